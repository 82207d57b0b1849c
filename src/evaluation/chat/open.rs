//! Opening a round from chat (`/evaluation open`, `/evaluation vote`): the branch, the
//! candidates as typed, the audit row and the answer. The opening itself, shared with the
//! command line, is `service::open_round`.

use super::super::rules::RoundKind;
use super::super::service::{open_round, Announce, Opened, Opening};
use super::super::store::Round;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// How long a round opened from chat stays open.
pub const DEFAULT_DAYS: i64 = 7;

/// The branch a member opens a round for: their own, or a named one for the committee.
async fn branch_for(
    conn: &mut Conn,
    member: &Member,
    name: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    if !name.is_empty() && member.college {
        return Ok(members::branch_id(conn, name)
            .await?
            .map(|id| (id, name.to_owned())));
    }
    Ok(member
        .branch_id
        .filter(|b| member.manages_branch(*b))
        .zip(member.branch_name.clone()))
}

/// `/evaluation open [branch]`: a 民主评议 round for seven days.
pub async fn grades(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    rest: &str,
) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let Some((branch_id, branch)) = branch_for(conn, member, rest).await? else {
        return Ok(Step::text(cx.t(msg!("evaluation-open-usage"))));
    };
    opened(
        cx,
        conn,
        member,
        RoundKind::Grades,
        branch_id,
        &branch,
        None,
    )
    .await
}

/// Opens from chat, audits, and says what happened.
async fn opened(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    kind: RoundKind,
    branch_id: i64,
    branch: &str,
    candidates: Option<Vec<i64>>,
) -> Result<Step, StoreError> {
    let title_msg = match kind {
        RoundKind::Grades => msg!("evaluation-title-grades"),
        RoundKind::Vote => msg!("evaluation-title-vote"),
    };
    let title = cx.r(title_msg, &[("branch", branch.into())]);
    let opening = Opening {
        kind,
        branch_id,
        branch,
        title: &title,
        opens_at: cx.now_ms,
        closes_at: cx.now_ms + DEFAULT_DAYS * 24 * 3600 * 1000,
        created_by: Some(member.id),
        candidates,
    };
    let tell = Announce {
        catalog: cx.catalog,
        tz: cx.engine.tz,
        sms_connected: cx.engine.sms_connected,
        now_ms: cx.now_ms,
    };
    let (id, voters, told) = match open_round(conn, &opening, tell).await? {
        Opened::New { id, voters, told } => (id, voters, told),
        Opened::Duplicate(r) => return Ok(Step::text(duplicate_text(cx, &r))),
    };
    cx.mark_pushed();
    cx.audit(
        conn,
        crate::store::audit::Action::RoundOpened,
        &format!("round:{id}"),
        &format!("{title} · {} · {voters}", kind.as_str()),
    )
    .await?;
    Ok(Step::text(cx.r(
        msg!("evaluation-opened"),
        &[
            ("id", id.into()),
            ("title", title.into()),
            ("voters", voters.into()),
            ("days", DEFAULT_DAYS.into()),
            ("told", told.into()),
        ],
    )))
}

/// "本支部已有一轮…（第 3 号），不再重复开启".
pub fn duplicate_text(cx: &Ctx<'_>, r: &Round) -> String {
    cx.r(
        msg!("evaluation-duplicate"),
        &[
            ("id", r.id.into()),
            ("title", r.title.as_str().into()),
            (
                "closes",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    r.closes_at,
                    cx.now_ms,
                )
                .into(),
            ),
        ],
    )
}

/// A candidate as typed: a roster key (or mobile number) anywhere, or a name in the branch.
#[derive(Debug)]
pub enum Candidate {
    One(Member),
    None,
    /// Several members of the branch have this name.
    Many(Vec<Member>),
}

/// Reads one candidate word.
pub async fn candidate(
    conn: &mut Conn,
    branch_id: i64,
    word: &str,
) -> Result<Candidate, StoreError> {
    if let Some(m) = members::find(conn, word).await? {
        return Ok(if m.active {
            Candidate::One(m)
        } else {
            Candidate::None
        });
    }
    let mut named: Vec<Member> = members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.name == word)
        .collect();
    Ok(match named.len() {
        0 => Candidate::None,
        1 => Candidate::One(named.remove(0)),
        _ => Candidate::Many(named),
    })
}

/// `/evaluation vote <key or name>…`: a 票决 on the named members of the manager's branch.
pub async fn vote(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    rest: &str,
) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let Some((branch_id, branch)) = branch_for(conn, member, "").await? else {
        return Ok(Step::text(cx.t(msg!("evaluation-open-usage"))));
    };
    let mut candidates = Vec::new();
    for word in rest.split(|c: char| c.is_whitespace() || ",，、".contains(c)) {
        if word.is_empty() {
            continue;
        }
        match candidate(conn, branch_id, word).await? {
            Candidate::One(m) if !candidates.contains(&m.id) => candidates.push(m.id),
            Candidate::One(_) => {}
            Candidate::None => {
                return Ok(Step::text(
                    cx.r(msg!("evaluation-no-member"), &[("key", word.into())]),
                ))
            }
            Candidate::Many(ms) => {
                let who = ms
                    .iter()
                    .map(|m| format!("{}（{}）", m.name, m.key))
                    .collect::<Vec<_>>()
                    .join("、");
                let example = ms.first().map(|m| m.key.clone()).unwrap_or_default();
                return Ok(Step::text(cx.r(
                    msg!("evaluation-name-ambiguous"),
                    &[
                        ("name", word.into()),
                        ("count", ms.len().into()),
                        ("who", who.into()),
                        ("example", example.into()),
                    ],
                )));
            }
        }
    }
    if candidates.is_empty() {
        return Ok(Step::text(cx.t(msg!("evaluation-vote-usage"))));
    }
    opened(
        cx,
        conn,
        member,
        RoundKind::Vote,
        branch_id,
        &branch,
        Some(candidates),
    )
    .await
}
