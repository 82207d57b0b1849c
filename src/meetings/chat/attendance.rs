//! `/meetings`: meetings in progress and upcoming (a member sees their own with their answer and may
//! it; a manager sees the branch's with counts). `/attendance <id>`: who attends, who is on
//! leave (with reasons), who has not answered, who signed in; the manager may nudge only those
//! who have not answered, record leave for a member (代请假, [`super::leave_for`]) and open the
//! rotating sign-in code's screen ([`super::screen`]).

use crate::delivery::route::{self, Push, Route};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::meetings::store::{self as meetings, Rsvp};
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// How far ahead `/meetings` looks.
const AHEAD_MS: i64 = 90 * 24 * 3_600_000;

/// How far back a meeting may have started and still be in progress.
const DAY_MS: i64 = 24 * 3_600_000;

/// `/meetings`.
pub async fn list(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let branch = if member.college {
        None
    } else {
        member.branch_id
    };
    // Meetings in progress (started within the day, not yet over) come first.
    let upcoming =
        meetings::between(conn, branch, cx.now_ms - DAY_MS, cx.now_ms + AHEAD_MS).await?;
    let mut lines = Vec::new();
    let mut replies = Vec::new();
    for m in upcoming
        .iter()
        .filter(|m| !m.cancelled && m.ends_at > cx.now_ms)
    {
        let all = meetings::attendees(conn, m.id).await?;
        let mine = all.iter().find(|a| a.member_id == member.id);
        let manages = member.manages_branch(m.branch_id);
        if mine.is_none() && !manages {
            continue;
        }
        let when = crate::chat::dates::when_text_from(
            cx.catalog,
            cx.locale,
            cx.engine.tz,
            m.starts_at,
            cx.now_ms,
        );
        let kind = crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind);
        let count = |r: Rsvp| all.iter().filter(|a| a.rsvp == r).count();
        if manages {
            // The committee sees every branch's: each line names its branch.
            let line = if member.college {
                msg!("meeting-list-line-college")
            } else {
                msg!("meeting-list-line-manager")
            };
            lines.push(cx.r(
                line,
                &[
                    ("branch", m.branch_name.as_str().into()),
                    ("id", m.id.into()),
                    ("kind", kind.as_str().into()),
                    ("when", when.as_str().into()),
                    ("attend", count(Rsvp::Attend).into()),
                    ("leave", count(Rsvp::Leave).into()),
                    ("none", count(Rsvp::None).into()),
                ],
            ));
        }
        if let (Some(_), true) = (mine, m.starts_at <= cx.now_ms) {
            // Answers cannot change once it has started: sign-in is what is left.
            replies.push(Reply::text(cx.r(
                msg!("meeting-list-in-progress"),
                &[
                    ("kind", kind.as_str().into()),
                    ("when", when.as_str().into()),
                    ("place", m.place.as_str().into()),
                ],
            )));
        } else if let Some(a) = mine {
            let answer = match a.rsvp {
                Rsvp::Attend => cx.t(msg!("meeting-answer-attend")),
                Rsvp::Leave => cx.t(msg!("meeting-answer-leave")),
                Rsvp::None => cx.t(msg!("meeting-answer-none")),
            };
            replies.push(Reply::with_choices(
                cx.r(
                    msg!("meeting-list-mine"),
                    &[
                        ("kind", kind.as_str().into()),
                        ("when", when.as_str().into()),
                        ("place", m.place.as_str().into()),
                        ("answer", answer.into()),
                    ],
                ),
                crate::meetings::text::rsvp_choices(cx.catalog, cx.locale, m.id),
            ));
        }
    }
    if lines.is_empty() && replies.is_empty() {
        return Ok(Step::text(cx.t(msg!("meeting-list-empty"))));
    }
    if !lines.is_empty() {
        let header = if member.college {
            msg!("meeting-list-header-college")
        } else {
            msg!("meeting-list-header")
        };
        lines.insert(0, cx.t(header));
        replies.insert(0, Reply::text(lines.join("\n")));
    }
    Ok(Step::new(replies, crate::flows::State::Idle))
}

/// `/attendance <id>`.
pub async fn detail(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(m) = super::create::managed(cx, conn, member, arg).await? else {
        return super::create::refusal(cx, conn, member, arg).await;
    };
    let all = meetings::attendees(conn, m.id).await?;
    let names = |pick: &dyn Fn(&meetings::Attendee) -> bool| -> String {
        let v: Vec<String> = all
            .iter()
            .filter(|a| pick(a))
            .map(|a| a.name.clone())
            .collect();
        if v.is_empty() {
            "—".into()
        } else {
            v.join(&cx.t(msg!("cli-list-separator")))
        }
    };
    let leave: Vec<String> = all
        .iter()
        .filter(|a| a.rsvp == Rsvp::Leave)
        .map(|a| crate::meetings::text::leave_entry(cx.catalog, cx.locale, a))
        .collect();
    let none = all.iter().filter(|a| a.rsvp == Rsvp::None).count();
    let text = cx.r(
        msg!("meeting-attendance"),
        &[
            (
                "kind",
                crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind).into(),
            ),
            (
                "when",
                crate::chat::dates::when_text(cx.catalog, cx.locale, cx.engine.tz, m.starts_at)
                    .into(),
            ),
            ("attend", names(&|a| a.rsvp == Rsvp::Attend).into()),
            (
                "leave",
                if leave.is_empty() {
                    "—".to_owned()
                } else {
                    leave.join(&cx.t(msg!("cli-list-separator")))
                }
                .into(),
            ),
            ("none", names(&|a| a.rsvp == Rsvp::None).into()),
            ("signed", names(&|a| a.signed_in).into()),
            (
                "code",
                crate::meetings::text::code_text(cx.catalog, cx.locale, &m).into(),
            ),
        ],
    );
    // The photos and files of the meeting's record, when it has any (`files`).
    let text = match crate::files::service::record_line(cx, conn, m.id).await? {
        Some(line) => format!("{text}\n{line}"),
        None => text,
    };
    let mut choices: Vec<Choice> = if none > 0 && m.starts_at > cx.now_ms {
        vec![cx.choice(
            crate::meetings::actions::Action::Nudge(m.id).encode(),
            msg!("meeting-nudge"),
        )]
    } else {
        Vec::new()
    };
    // Until the meeting ends: 代请假 (the secretary or deputy) and the sign-in screen.
    if !m.cancelled && m.ends_at > cx.now_ms {
        if super::leave_for::may_record_for(member, m.branch_id) {
            choices.push(
                cx.choice(
                    crate::meetings::actions::Action::LeaveFor {
                        meeting: m.id,
                        member: None,
                    }
                    .encode(),
                    msg!("meeting-leave-for-button"),
                ),
            );
        }
        choices.push(cx.choice(
            crate::meetings::actions::Action::Screen(m.id).encode(),
            msg!("meeting-screen-button"),
        ));
    }
    Ok(Step::reply(Reply::with_choices(text, choices)))
}

/// The manager's nudge: the reminder again, to those who have not answered.
pub async fn nudge(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: i64,
) -> Result<Step, StoreError> {
    let id = id.to_string();
    let id = id.as_str();
    let Some(m) = super::create::managed(cx, conn, member, Some(id)).await? else {
        return super::create::refusal(cx, conn, member, Some(id)).await;
    };
    if m.starts_at <= cx.now_ms {
        return Ok(Step::text(cx.t(msg!("meeting-rsvp-closed"))));
    }
    let mut n = 0usize;
    let mut missed = Vec::new();
    for a in meetings::attendees(conn, m.id).await? {
        if a.rsvp != Rsvp::None || a.member_id == member.id {
            continue;
        }
        let Some(target) = members::by_id(conn, a.member_id).await? else {
            continue;
        };
        let reply = crate::meetings::text::reminder(cx.catalog, target.locale, cx.engine.tz, &m);
        let push = Push {
            dedupe_key: format!("meeting:{}:nudge:{}:{}", m.id, cx.now_ms, target.id),
            urgent: false,
            not_before: cx.now_ms,
            expires_at: Some(m.starts_at),
        };
        match cx.push(conn, &target, &reply, &push).await? {
            Route::Nowhere(why) => missed.push(why),
            _ => n += 1,
        }
    }
    let mut text = cx.r(msg!("meeting-nudged"), &[("count", n.into())]);
    if let Some(note) = route::unreachable_note(cx.catalog, cx.locale, &missed) {
        text.push('\n');
        text.push_str(&note);
    }
    Ok(Step::text(text))
}
