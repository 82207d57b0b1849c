//! 代请假: a branch's secretary (or deputy) records leave, with the reason, for a member who
//! told them in person — `/proxyleave <meeting> <member key> <reason>`, or the 代请假 button on
//! `/attendance <id>` (the member chosen from the list, then the reason typed), and
//! `branchbot meeting leave` at the command line. The member is told by a push; the audit log
//! names who recorded it for whom; attendance, minutes and compliance show the leave as
//! 代请假. [`record`] is the one path the chat and the CLI share.

use super::Waiting;
use crate::delivery::route::{self, Push, Route};
use crate::domain::org::{Member, Role};
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::meetings::service::Told;
use crate::meetings::store::{self as meetings, Meeting, Rsvp};
use crate::msg;
use crate::store::audit::Action;
use crate::store::{members, Conn, StoreError};

/// The longest reason kept (as for a member's own leave).
pub const MAX_REASON_CHARS: usize = 200;

/// Why leave was not recorded. Nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NoSuchMeeting(String),
    /// Only the branch's secretary or deputy records leave for others.
    NotSecretary,
    Cancelled,
    Ended,
    EmptyReason,
    ReasonTooLong,
    NoSuchMember(String),
    NotAttendee(String),
    SignedIn(String),
}

impl Refused {
    /// What the person who asked reads.
    pub fn text(&self, catalog: &Catalog, locale: Locale) -> String {
        let (id, args): (Msg, Vec<(&str, Arg)>) = match self {
            Self::NoSuchMeeting(id) => (msg!("meeting-not-found"), vec![("id", id.into())]),
            Self::NotSecretary => (msg!("meeting-leave-for-not-secretary"), vec![]),
            Self::Cancelled => (msg!("meeting-already-cancelled"), vec![]),
            Self::Ended => (msg!("meeting-leave-for-ended"), vec![]),
            Self::EmptyReason => (msg!("meeting-leave-for-empty-reason"), vec![]),
            Self::ReasonTooLong => (
                msg!("meeting-reason-too-long"),
                vec![("max", MAX_REASON_CHARS.into())],
            ),
            Self::NoSuchMember(key) => (msg!("meeting-no-such-member"), vec![("key", key.into())]),
            Self::NotAttendee(name) => (
                msg!("meeting-leave-for-not-attendee"),
                vec![("name", name.into())],
            ),
            Self::SignedIn(name) => (
                msg!("meeting-leave-for-signed-in"),
                vec![("name", name.into())],
            ),
        };
        catalog.render(locale, id, &args)
    }
}

/// Whether `by` may record leave (or 补学) for others at a meeting of `branch_id`: the branch's
/// secretary or deputy secretary.
pub fn may_record_for(by: &Member, branch_id: i64) -> bool {
    by.active
        && by.branch_id == Some(branch_id)
        && matches!(by.role, Role::Secretary | Role::DeputySecretary)
}

/// What was recorded.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub meeting: Meeting,
    pub member: Member,
    /// Where the member's push went (or why it could not go anywhere).
    pub route: Route,
}

/// Records leave for the member `key` at meeting `meeting_id`, recorded by `by` (None: the
/// operator at the command line), tells the member and writes the audit row, all on `conn`.
pub async fn record(
    conn: &mut Conn,
    told: &Told<'_>,
    by: Option<&Member>,
    via: &'static str,
    meeting_id: &str,
    key: &str,
    reason: &str,
) -> Result<Result<Recorded, Refused>, StoreError> {
    let Some(m) = (match meeting_id.trim().parse::<i64>() {
        Ok(id) => meetings::get(conn, id).await?,
        Err(_) => None,
    }) else {
        return Ok(Err(Refused::NoSuchMeeting(meeting_id.trim().into())));
    };
    if by.is_some_and(|b| !may_record_for(b, m.branch_id)) {
        return Ok(Err(Refused::NotSecretary));
    }
    if m.cancelled {
        return Ok(Err(Refused::Cancelled));
    }
    if m.ends_at <= told.now_ms {
        return Ok(Err(Refused::Ended));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Ok(Err(Refused::EmptyReason));
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Ok(Err(Refused::ReasonTooLong));
    }
    let Some(member) = members::find(conn, key.trim()).await? else {
        return Ok(Err(Refused::NoSuchMember(key.trim().into())));
    };
    let Some(a) = meetings::attendees(conn, m.id)
        .await?
        .into_iter()
        .find(|a| a.member_id == member.id)
    else {
        return Ok(Err(Refused::NotAttendee(member.name.clone())));
    };
    if a.signed_in {
        return Ok(Err(Refused::SignedIn(member.name.clone())));
    }
    meetings::set_leave_for(conn, m.id, member.id, reason, by.map(|b| b.id), told.now_ms).await?;
    // The member is told who recorded it, in their own language.
    let (c, l) = (told.catalog, member.locale);
    let mut args: Vec<(&str, Arg)> = vec![
        ("branch", m.branch_name.as_str().into()),
        (
            "kind",
            crate::meetings::text::kind_text(c, l, m.kind).into(),
        ),
        (
            "when",
            crate::chat::dates::when_text_from(c, l, told.tz, m.starts_at, told.now_ms).into(),
        ),
        ("reason", reason.into()),
    ];
    let id = match by {
        Some(b) => {
            args.push(("by", b.name.as_str().into()));
            msg!("meeting-leave-for-told")
        }
        None => msg!("meeting-leave-for-told-office"),
    };
    let push = Push {
        dedupe_key: format!("meeting:{}:leavefor:{}:{}", m.id, member.id, told.now_ms),
        urgent: false,
        not_before: told.now_ms,
        expires_at: Some(m.ends_at),
    };
    let route = route::push(
        conn,
        c,
        &member,
        &Reply::text(c.render(l, id, &args)),
        &push,
        told.sms_connected,
        told.now_ms,
    )
    .await?;
    crate::meetings::service::audit_for_member(
        conn,
        told,
        by,
        via,
        Action::LeaveRecorded,
        &m,
        &member,
        reason,
    )
    .await?;
    Ok(Ok(Recorded {
        meeting: m,
        member,
        route,
    }))
}

fn told<'a>(cx: &'a Ctx<'_>) -> Told<'a> {
    Told {
        catalog: cx.catalog,
        tz: cx.engine.tz,
        sms_connected: cx.engine.sms_connected,
        now_ms: cx.now_ms,
    }
}

/// What the secretary reads once it is recorded.
fn done(cx: &Ctx<'_>, r: &Recorded, reason: &str) -> Step {
    let mut text = cx.r(
        msg!("meeting-leave-for-done"),
        &[
            ("name", r.member.name.as_str().into()),
            (
                "when",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    r.meeting.starts_at,
                    cx.now_ms,
                )
                .into(),
            ),
            (
                "kind",
                crate::meetings::text::kind_text(cx.catalog, cx.locale, r.meeting.kind).into(),
            ),
            ("reason", reason.trim().into()),
        ],
    );
    if let Route::Nowhere(why) = &r.route {
        if let Some(note) =
            route::unreachable_note(cx.catalog, cx.locale, std::slice::from_ref(why))
        {
            text.push('\n');
            text.push_str(&note);
        }
    }
    Step::text(text)
}

/// `/proxyleave <meeting> <member key> <reason>`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    by: &Member,
    args: Option<&str>,
) -> Result<Step, StoreError> {
    let usage = || Step::text(cx.t(msg!("meeting-leave-for-usage")));
    let Some(args) = args else {
        return Ok(usage());
    };
    let mut parts = args.trim().splitn(3, char::is_whitespace);
    let (Some(id), Some(key)) = (parts.next(), parts.next()) else {
        return Ok(usage());
    };
    let reason = parts.next().unwrap_or("");
    match record(conn, &told(cx), Some(by), cx.via, id, key, reason).await? {
        Ok(r) => Ok(done(cx, &r, reason)),
        Err(why) => Ok(Step::text(why.text(cx.catalog, cx.locale))),
    }
}

/// The 代请假 button (`meet:leavefor:<meeting>`): the members who may still be put on leave;
/// `meet:leavefor:<meeting>:<member id>`: that member chosen, their reason is asked for.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    by: &Member,
    id: i64,
    who: Option<i64>,
) -> Result<Step, StoreError> {
    let Some(m) = meetings::get(conn, id).await? else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let refused = if !may_record_for(by, m.branch_id) {
        Some(Refused::NotSecretary)
    } else if m.cancelled {
        Some(Refused::Cancelled)
    } else if m.ends_at <= cx.now_ms {
        Some(Refused::Ended)
    } else {
        None
    };
    if let Some(why) = refused {
        return Ok(Step::text(why.text(cx.catalog, cx.locale)));
    }
    let all = meetings::attendees(conn, m.id).await?;
    if let Some(member_id) = who {
        let Some(a) = all.iter().find(|a| a.member_id == member_id) else {
            return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
        };
        return Ok(Step::new(
            vec![Reply::text(cx.r(
                msg!("meeting-leave-for-ask-reason"),
                &[("name", a.name.as_str().into())],
            ))],
            Waiting::MeetingLeaveForReason {
                meeting_id: m.id,
                member_id,
            }
            .state(),
        ));
    }
    let choices: Vec<_> = all
        .iter()
        .filter(|a| !a.signed_in && a.rsvp != Rsvp::Leave)
        .map(|a| crate::flows::Choice {
            data: crate::meetings::actions::Action::LeaveFor {
                meeting: m.id,
                member: Some(a.member_id),
            }
            .encode(),
            label: a.name.clone(),
            aliases: Vec::new(),
        })
        .collect();
    if choices.is_empty() {
        return Ok(Step::text(cx.t(msg!("meeting-leave-for-nobody"))));
    }
    Ok(Step::reply(Reply::with_choices(
        cx.t(msg!("meeting-leave-for-ask-member")),
        choices,
    )))
}

/// The reason typed after a member was chosen.
pub async fn reason(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    by: &Member,
    meeting_id: i64,
    member_id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let Some(member) = members::by_id(conn, member_id).await? else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let state = Waiting::MeetingLeaveForReason {
        meeting_id,
        member_id,
    }
    .state();
    match record(
        conn,
        &told(cx),
        Some(by),
        cx.via,
        &meeting_id.to_string(),
        &member.key,
        text,
    )
    .await?
    {
        Ok(r) => Ok(done(cx, &r, text)),
        // A reason that is empty or too long is asked for again; anything else ends the step.
        Err(why @ (Refused::EmptyReason | Refused::ReasonTooLong)) => {
            Ok(Step::retry(why.text(cx.catalog, cx.locale), state))
        }
        Err(why) => Ok(Step::text(why.text(cx.catalog, cx.locale))),
    }
}
