//! The 支部大会 vote by secret ballot (无记名投票), on the evaluation feature's 票决: the round,
//! its sealed ballots, the voters' `/evaluation` buttons, the early close and the tally are
//! those of the `evaluation` feature (see docs/PRIVACY.md); this file opens a round on one person
//! with the branch's full members as voters (有表决权的正式党员, 第21条), and once it has
//! closed records its counts as the person's vote step, where the rule "赞成票超过应到会有表决权
//! 的正式党员的半数" decides ([`rules::Tally::passes`]).
//!
//! `/recruit KEY ballot [HOURS]` opens it (default two hours: the meeting); the same command
//! afterwards says how many have voted, or, once closed, records the result.

use chrono::{DateTime, Utc};

use super::chat::{date, Words};
use super::rules::{self, Detail, Stage, StepKind, Tally};
use super::service::{self, Denied, Request, Viewer};
use super::store;
use crate::delivery::route::Push;
use crate::domain::org::Member;
use crate::evaluation::service::{self as rounds, NewRound, RoundKind};
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::store::audit::{Action, Actor};
use crate::store::{members, Conn, StoreError};

/// How long a ballot stays open when the secretary does not say.
pub const DEFAULT_HOURS: i64 = 2;
/// The longest a ballot may stay open: a branch meeting, not a campaign.
pub const MAX_HOURS: i64 = 72;

/// `/recruit KEY ballot [HOURS]`: opens the secret ballot, reports on it, or records its result.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    key: &str,
    rest: &[&str],
) -> Result<Step, StoreError> {
    let w = Words {
        catalog: cx.catalog,
        locale: cx.locale,
    };
    let policy = &cx.engine.recruitment;
    let today = cx.now().with_timezone(&cx.engine.tz).date_naive();
    let hours = match rest {
        [] => DEFAULT_HOURS,
        [h] => match h.parse::<i64>() {
            Ok(h) if (1..=MAX_HOURS).contains(&h) => h,
            _ => return Ok(Step::text(w_hours(&w))),
        },
        _ => return Ok(Step::text(w_hours(&w))),
    };
    let viewer = Viewer::Member(member);
    let v = match service::view(conn, viewer, key, policy).await? {
        Ok(v) => v,
        Err(d) => return Ok(Step::text(w.denied(StepKind::Vote, &d))),
    };
    if !viewer.runs(v.recruit.branch_id) {
        return Ok(Step::text(w.denied(StepKind::Vote, &Denied::NotAllowed)));
    }
    let Some(branch_id) = v.recruit.branch_id else {
        return Ok(Step::text(w.denied(StepKind::Vote, &Denied::NotAllowed)));
    };
    if let Some((ballot_id, round_id)) = store::pending_ballot(conn, v.recruit.id).await? {
        return result(cx, conn, member, &w, key, ballot_id, round_id, today).await;
    }
    // Voters: the branch's full members, the person themselves never.
    let voters: Vec<Member> = members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.role.has_vote() && m.id != v.recruit.member_id)
        .collect();
    let entitled = u32::try_from(voters.len()).unwrap_or(u32::MAX);
    // The vote's preconditions, checked now as if everyone voted for: the steps, the papers,
    // the 公示's working days, the year of probation.
    let cal = crate::store::calendar::load(conn).await?;
    let all_for = Detail::Vote(Tally {
        yes: entitled,
        no: 0,
        abstain: 0,
        entitled,
    });
    if let Err(r) = rules::check(&v.facts, StepKind::Vote, today, &all_for, policy, &cal) {
        return Ok(Step::text(w.refusal(StepKind::Vote, &r)));
    }
    let title = cx.r(
        if v.stage == Stage::Probationary {
            msg!("recruit-ballot-title-confirm")
        } else {
            msg!("recruit-ballot-title-admission")
        },
        &[("name", v.recruit.name.as_str().into())],
    );
    let closes_at = cx.now_ms + hours * 3_600_000;
    let ids: Vec<i64> = voters.iter().map(|m| m.id).collect();
    let round_id = rounds::insert_round(
        conn,
        &NewRound {
            kind: RoundKind::Vote.as_str(),
            branch_id,
            title: &title,
            opens_at: cx.now_ms,
            closes_at,
            created_by: Some(member.id),
            candidates: &[v.recruit.member_id],
            voters: &ids,
            options: RoundKind::Vote.options().len(),
        },
    )
    .await?;
    store::add_ballot(conn, v.recruit.id, round_id, cx.now_ms).await?;
    let branch = v.recruit.branch.clone().unwrap_or_default();
    for m in voters.iter().filter(|m| m.id != member.id) {
        let closes = crate::chat::dates::when_text_from(
            cx.catalog,
            m.locale,
            cx.engine.tz,
            closes_at,
            cx.now_ms,
        );
        let text = cx.catalog.render(
            m.locale,
            msg!("evaluation-opened-notice"),
            &[
                ("branch", branch.as_str().into()),
                ("title", title.as_str().into()),
                ("closes", closes.into()),
            ],
        );
        let push = Push {
            dedupe_key: format!("evaluation:{round_id}:opened:{}", m.id),
            urgent: false,
            not_before: cx.now_ms,
            expires_at: Some(closes_at),
        };
        cx.push(conn, m, &Reply::text(text), &push).await?;
    }
    cx.audit(
        conn,
        Action::RecruitmentStep,
        &format!("member:{}", v.recruit.key),
        &format!("ballot round:{round_id} {entitled}"),
    )
    .await?;
    let closes = crate::chat::dates::when_text_from(
        cx.catalog,
        cx.locale,
        cx.engine.tz,
        closes_at,
        cx.now_ms,
    );
    Ok(Step::text(cx.r(
        msg!("recruit-ballot-opened"),
        &[
            ("id", round_id.into()),
            ("title", title.as_str().into()),
            ("entitled", entitled.into()),
            ("needed", (entitled / 2 + 1).into()),
            ("closes", closes.into()),
            ("key", key.into()),
        ],
    )))
}

fn w_hours(w: &Words<'_>) -> String {
    w.catalog.render(
        w.locale,
        msg!("recruit-ballot-bad-hours"),
        &[("max", MAX_HOURS.into())],
    )
}

/// The ballot is open: how many voted. Closed: its counts become the vote step.
#[allow(clippy::too_many_arguments)]
async fn result(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    w: &Words<'_>,
    key: &str,
    ballot_id: i64,
    round_id: i64,
    today: chrono::NaiveDate,
) -> Result<Step, StoreError> {
    let Some(round) = rounds::round(conn, round_id).await? else {
        return Err(StoreError::Corrupt(format!(
            "recruitment ballot round {round_id}"
        )));
    };
    if cx.now_ms < round.closes_at {
        let (voted, eligible) = rounds::turnout(conn, round_id).await?;
        let closes = crate::chat::dates::when_text_from(
            cx.catalog,
            cx.locale,
            cx.engine.tz,
            round.closes_at,
            cx.now_ms,
        );
        return Ok(Step::text(cx.r(
            msg!("recruit-ballot-running"),
            &[
                ("id", round_id.into()),
                ("voted", voted.into()),
                ("eligible", eligible.into()),
                ("closes", closes.into()),
            ],
        )));
    }
    // The counts as `/evaluation results` shows them (ballots the tally job has not reached
    // yet are counted without writing); 赞成, 反对, 弃权 in that order.
    let results = rounds::tallies(conn, &round).await?;
    let counts = results
        .candidates
        .first()
        .map(|(_, c)| c.clone())
        .unwrap_or_default();
    let n = |i: usize| u32::try_from(counts.get(i).copied().unwrap_or(0)).unwrap_or(0);
    let tally = Tally {
        yes: n(0),
        no: n(1),
        abstain: n(2),
        entitled: u32::try_from(results.eligible).unwrap_or(0),
    };
    let on = DateTime::<Utc>::from_timestamp_millis(round.closes_at)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz)
        .date_naive()
        .min(today);
    let note = cx.r(msg!("recruit-ballot-note"), &[("id", round_id.into())]);
    let req = Request {
        key,
        kind: StepKind::Vote,
        on,
        contact: None,
        hours: None,
        tally: Some(tally),
        note: &note,
    };
    let actor = Actor::member(member, cx.via);
    let policy = &cx.engine.recruitment;
    match service::record(
        conn,
        Viewer::Member(member),
        &actor,
        &req,
        policy,
        today,
        cx.now_ms,
    )
    .await?
    {
        Ok(moved) => {
            store::ballot_recorded(conn, ballot_id, cx.now_ms).await?;
            Ok(Step::text(format!(
                "{}\n{}",
                cx.r(
                    msg!("recruit-recorded"),
                    &[
                        ("key", key.into()),
                        ("step", w.step(StepKind::Vote).into()),
                        ("date", date(on).into()),
                        ("stage", w.stage(moved.after).into()),
                    ],
                ),
                w.tally(&tally)
            )))
        }
        // The counts are final whatever the rules say now (a vote recorded by show of hands
        // meanwhile, say): the ballot is done, so that another may be opened, and the refusal
        // is shown with its counts.
        Err(d @ Denied::Refused(_)) => {
            store::ballot_recorded(conn, ballot_id, cx.now_ms).await?;
            Ok(Step::text(format!(
                "{}\n{}",
                w.denied(StepKind::Vote, &d),
                w.tally(&tally)
            )))
        }
        Err(d) => Ok(Step::text(w.denied(StepKind::Vote, &d))),
    }
}
