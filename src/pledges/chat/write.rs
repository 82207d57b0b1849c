//! `/pledge`: a member sees their pledge (its versions' status, check-ins and assessments), or
//! writes a new version item by item — the way, the text, an optional target date — and
//! submits it; the branch's managers are asked to review it.

use super::{Action, More, Waiting, Write};
use crate::delivery::route::Push;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::pledges::rules::{
    self as pledges, PledgeStatus, TargetDateError, Way, MAX_ITEMS, MAX_ITEM_CHARS,
};
use crate::pledges::service::item_lines;
use crate::pledges::store::checkins as pledge_checkins;
use crate::pledges::store::{self as store, NewItem};
use crate::store::{Conn, StoreError};

/// Why a member cannot write a pledge, if they cannot.
fn refused(cx: &Ctx<'_>, member: &Member) -> Option<Step> {
    if member.branch_id.is_none() {
        return Some(Step::text(cx.t(msg!("pledge-error-no-branch"))));
    }
    if !member.role.is_party_member() {
        return Some(Step::text(cx.t(msg!("pledge-error-not-member"))));
    }
    None
}

/// `/pledge`: the member's pledge and what happened to it, with a button to edit or write one.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if let Some(step) = refused(cx, member) {
        return Ok(step);
    }
    let Some(pledge) = store::of_member(conn, member.id).await? else {
        return Ok(Step::reply(Reply::with_choices(
            cx.r(msg!("pledge-none"), &[("max", MAX_ITEMS.into())]),
            vec![cx.choice(Action::Write(Write::New).encode(), msg!("pledge-write"))],
        )));
    };
    let number = store::version_number(conn, pledge.current_version).await?;
    let items = store::items(conn, pledge.current_version).await?;
    let mut lines = vec![
        cx.r(
            msg!("pledge-view-header"),
            &[
                ("version", number.into()),
                ("status", cx.t(pledge.status.msg()).into()),
            ],
        ),
        item_lines(cx.catalog, cx.locale, &items),
    ];
    if pledge.status == PledgeStatus::Returned {
        if let Some(comment) = store::last_comment(conn, pledge.id).await? {
            lines.push(cx.r(msg!("pledge-view-returned"), &[("comment", comment.into())]));
        }
    }
    if let Some(approved) = pledge.approved_version {
        if approved != pledge.current_version {
            let n = store::version_number(conn, approved).await?;
            lines.push(cx.r(msg!("pledge-view-published"), &[("version", n.into())]));
        }
    }
    let answers = pledge_checkins::answers_of(conn, member.id).await?;
    if !answers.is_empty() {
        lines.push(cx.t(msg!("pledge-view-checkins")));
        for a in answers {
            let date = day(cx, a.started_at);
            let mut args: Vec<(&str, crate::i18n::Arg)> = vec![
                ("date", date.into()),
                ("number", a.position.into()),
                ("progress", cx.t(a.progress.msg()).into()),
            ];
            lines.push(match a.note {
                Some(note) => {
                    args.push(("note", note.into()));
                    cx.r(msg!("pledge-view-checkin-note"), &args)
                }
                None => cx.r(msg!("pledge-view-checkin"), &args),
            });
        }
    }
    let assessments = pledge_checkins::assessments_of(conn, member.id).await?;
    if !assessments.is_empty() {
        lines.push(cx.t(msg!("pledge-view-assessments")));
        for (title, text) in assessments {
            lines.push(match text {
                Some(text) => cx.r(
                    msg!("pledge-view-assessment"),
                    &[("title", title.into()), ("text", text.into())],
                ),
                None => cx.r(
                    msg!("pledge-view-assessment-open"),
                    &[("title", title.into())],
                ),
            });
        }
    }
    Ok(Step::reply(Reply::with_choices(
        lines.join("\n"),
        vec![cx.choice(Action::Write(Write::Edit).encode(), msg!("pledge-edit"))],
    )))
}

/// A date in the organisation's zone.
pub fn day(cx: &Ctx<'_>, at_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz)
        .format("%Y-%m-%d")
        .to_string()
}

/// Starts writing a new version: asks for the first item's way.
pub fn start(cx: &Ctx<'_>, member: &Member) -> Result<Step, StoreError> {
    if let Some(step) = refused(cx, member) {
        return Ok(step);
    }
    Ok(ask_way(cx, Vec::new()))
}

fn ask_way(cx: &Ctx<'_>, items: Vec<NewItem>) -> Step {
    let choices = Way::ALL
        .iter()
        .map(|w| cx.choice(Action::Way(*w).encode(), w.msg()))
        .collect();
    Step::new(
        vec![Reply::with_choices(
            cx.r(
                msg!("pledge-ask-way"),
                &[("number", (items.len() + 1).into())],
            ),
            choices,
        )],
        Waiting::PledgeWay { items }.state(),
    )
}

/// A way was chosen: asks for the item's text.
pub fn way_chosen(cx: &Ctx<'_>, waiting: Option<Waiting>, way: Way) -> Result<Step, StoreError> {
    let Some(Waiting::PledgeWay { items }) = waiting else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    Ok(Step::new(
        vec![Reply::text(cx.r(
            msg!("pledge-ask-text"),
            &[
                ("way", cx.t(way.msg()).into()),
                ("max", MAX_ITEM_CHARS.into()),
            ],
        ))],
        Waiting::PledgeText {
            items,
            way: way.as_str().to_owned(),
        }
        .state(),
    ))
}

/// The item's text: checked, then the target date is asked for.
pub fn text_given(cx: &Ctx<'_>, waiting: Waiting, text: &str) -> Step {
    let Waiting::PledgeText { items, way } = waiting else {
        return Step::text(cx.t(msg!("error-stale-choice")));
    };
    match pledges::parse_item(text, items.len()) {
        Err(e) => {
            let (max, got) = match e {
                pledges::ItemError::TooLong { max, got } => (max, got),
                pledges::ItemError::TooMany { max } => (max, 0),
                pledges::ItemError::Empty => (0, 0),
            };
            let text = cx.r(e.msg(), &[("max", max.into()), ("got", got.into())]);
            Step::retry(text, Waiting::PledgeText { items, way }.state())
        }
        Ok(text) => Step::new(
            vec![Reply::with_choices(
                cx.t(msg!("pledge-ask-date")),
                vec![cx.choice(Action::SkipDate.encode(), msg!("pledge-skip"))],
            )],
            Waiting::PledgeDate { items, way, text }.state(),
        ),
    }
}

/// The target date, or none (skipped): the item is added, and another offered.
pub fn date_given(
    cx: &Ctx<'_>,
    waiting: Option<Waiting>,
    typed: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(Waiting::PledgeDate {
        mut items,
        way,
        text,
    }) = waiting
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let target_date = match typed {
        None => None,
        Some(t) => {
            let today = cx.now().with_timezone(&cx.engine.tz).date_naive();
            let refusal = match pledges::parse_target_date(t, today) {
                Ok(d) => Ok(d.format("%Y-%m-%d").to_string()),
                Err(TargetDateError::Unreadable) => Err(cx.t(msg!("pledge-error-bad-date"))),
                Err(TargetDateError::Past) => Err(cx.r(
                    msg!("pledge-error-past-date"),
                    &[("typed", t.trim().into())],
                )),
                Err(TargetDateError::WriteYear(d)) => Err(cx.r(
                    msg!("pledge-error-date-write-year"),
                    &[
                        ("typed", t.trim().into()),
                        ("example", d.format("%Y-%m-%d").to_string().into()),
                    ],
                )),
            };
            match refusal {
                Ok(date) => Some(date),
                Err(why) => {
                    return Ok(Step::retry(
                        why,
                        Waiting::PledgeDate { items, way, text }.state(),
                    ))
                }
            }
        }
    };
    items.push(NewItem {
        way,
        text,
        target_date,
    });
    // "Add another" stays offered at the limit, so that asking for a sixth gets the reason.
    let choices = vec![
        cx.choice(Action::More(More::Add).encode(), msg!("pledge-add-more")),
        cx.choice(Action::More(More::Submit).encode(), msg!("pledge-submit")),
    ];
    Ok(Step::new(
        vec![Reply::with_choices(
            cx.r(msg!("pledge-added"), &[("number", items.len().into())]),
            choices,
        )],
        Waiting::PledgeMore { items }.state(),
    ))
}

/// Another item, or submit.
pub async fn more(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    waiting: Option<Waiting>,
    more: More,
) -> Result<Step, StoreError> {
    let Some(Waiting::PledgeMore { items }) = waiting else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    match more {
        More::Add if items.len() >= MAX_ITEMS => Ok(Step::retry(
            cx.r(msg!("pledge-error-too-many"), &[("max", MAX_ITEMS.into())]),
            Waiting::PledgeMore { items }.state(),
        )),
        More::Add => Ok(ask_way(cx, items)),
        More::Submit => submit(cx, conn, member, &items).await,
    }
}

async fn submit(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    items: &[NewItem],
) -> Result<Step, StoreError> {
    let Some(branch_id) = member.branch_id else {
        return Ok(Step::text(cx.t(msg!("pledge-error-no-branch"))));
    };
    if items.is_empty() {
        return Ok(Step::text(cx.t(msg!("pledge-error-item-empty"))));
    }
    let (version_id, number) = store::submit(conn, member.id, items, cx.now_ms).await?;
    let stored = store::items(conn, version_id).await?;
    for manager in super::managers(conn, branch_id).await? {
        if manager.id == member.id {
            continue;
        }
        let mcx = cx.for_member(&manager);
        let text = mcx.r(
            msg!("pledge-review-push"),
            &[
                ("name", member.name.as_str().into()),
                ("version", number.into()),
                (
                    "items",
                    item_lines(cx.catalog, manager.locale, &stored).into(),
                ),
            ],
        );
        let reply = super::review::buttons(&mcx, text, version_id);
        let push = Push {
            dedupe_key: format!("pledge:review:{version_id}:{}", manager.id),
            urgent: false,
            not_before: cx.now_ms,
            expires_at: None,
        };
        cx.push(conn, &manager, &reply, &push).await?;
    }
    Ok(Step::text(cx.r(
        msg!("pledge-submitted"),
        &[("version", number.into())],
    )))
}
