//! 补学 recorded as done: a member who missed a meeting (on leave or absent) marks the make-up
//! study complete with a short note — `/makeup` lists what they owe (a button each, then the
//! note is asked for), `/makeup <meeting> <note>` records it at once — and the branch's
//! secretary or deputy may record it for a member (`/makeup <meeting> <member key> <note>`,
//! `branchbot meeting makeup`). The audit log keeps who recorded it; compliance, reports and
//! the absence flag count a made-up absence as no longer open. [`record`] is the one path.

use super::leave_for::may_record_for;
use super::Waiting;
use crate::delivery::route::{self, Push};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::meetings::service::Told;
use crate::meetings::store::{self as meetings, Meeting};
use crate::msg;
use crate::store::audit::Action;
use crate::store::{members, Conn, StoreError};

/// The longest note kept.
pub const MAX_NOTE_CHARS: usize = 200;

/// How far back `/makeup` looks for meetings owed.
const OWED_DAYS: i64 = 180;

/// Why 补学 was not recorded. Nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    NoSuchMeeting(String),
    NotAllowed,
    Cancelled,
    NotOver,
    NotAttendee(String),
    Attended(String),
    EmptyNote,
    NoteTooLong,
    NoSuchMember(String),
    /// Recorded before, on this day.
    Already(String),
}

impl Refused {
    /// What the person who asked reads.
    pub fn text(&self, catalog: &Catalog, locale: Locale) -> String {
        let (id, args): (Msg, Vec<(&str, Arg)>) = match self {
            Self::NoSuchMeeting(id) => (msg!("meeting-not-found"), vec![("id", id.into())]),
            Self::NotAllowed => (msg!("meeting-makeup-not-allowed"), vec![]),
            Self::Cancelled => (msg!("meeting-already-cancelled"), vec![]),
            Self::NotOver => (msg!("meeting-makeup-not-over"), vec![]),
            Self::NotAttendee(name) => (
                msg!("meeting-leave-for-not-attendee"),
                vec![("name", name.into())],
            ),
            Self::Attended(name) => (msg!("meeting-makeup-attended"), vec![("name", name.into())]),
            Self::EmptyNote => (msg!("meeting-makeup-empty-note"), vec![]),
            Self::NoteTooLong => (
                msg!("meeting-field-too-long"),
                vec![("max", MAX_NOTE_CHARS.into())],
            ),
            Self::NoSuchMember(key) => (msg!("meeting-no-such-member"), vec![("key", key.into())]),
            Self::Already(day) => (msg!("meeting-makeup-already"), vec![("day", day.into())]),
        };
        catalog.render(locale, id, &args)
    }
}

/// Records `member`'s 补学 for meeting `meeting_id` with `note`, by `by` (the member themself,
/// their secretary or deputy; None: the operator), all on `conn`: the audit row, and a push to
/// the member when someone else recorded it.
pub async fn record(
    conn: &mut Conn,
    told: &Told<'_>,
    by: Option<&Member>,
    via: &'static str,
    meeting_id: &str,
    member: &Member,
    note: &str,
) -> Result<Result<Meeting, Refused>, StoreError> {
    let Some(m) = (match meeting_id.trim().parse::<i64>() {
        Ok(id) => meetings::get(conn, id).await?,
        Err(_) => None,
    }) else {
        return Ok(Err(Refused::NoSuchMeeting(meeting_id.trim().into())));
    };
    let for_self = by.is_some_and(|b| b.id == member.id);
    if !for_self && by.is_some_and(|b| !may_record_for(b, m.branch_id)) {
        return Ok(Err(Refused::NotAllowed));
    }
    if m.cancelled {
        return Ok(Err(Refused::Cancelled));
    }
    if m.ends_at > told.now_ms {
        return Ok(Err(Refused::NotOver));
    }
    let Some(a) = meetings::attendees(conn, m.id)
        .await?
        .into_iter()
        .find(|a| a.member_id == member.id)
    else {
        return Ok(Err(Refused::NotAttendee(member.name.clone())));
    };
    if a.signed_in {
        return Ok(Err(Refused::Attended(member.name.clone())));
    }
    let note = note.trim();
    if note.is_empty() {
        return Ok(Err(Refused::EmptyNote));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        return Ok(Err(Refused::NoteTooLong));
    }
    if !meetings::record_makeup(conn, m.id, member.id, note, by.map(|b| b.id), told.now_ms).await? {
        let at = meetings::makeup_note(conn, m.id, member.id)
            .await?
            .map(|(_, at)| at)
            .unwrap_or(told.now_ms);
        let day = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(at)
            .unwrap_or_default()
            .with_timezone(&told.tz)
            .format("%Y-%m-%d")
            .to_string();
        return Ok(Err(Refused::Already(day)));
    }
    if !for_self {
        let (c, l) = (told.catalog, member.locale);
        let text = c.render(
            l,
            msg!("meeting-makeup-told"),
            &[
                ("branch", m.branch_name.as_str().into()),
                (
                    "kind",
                    crate::meetings::text::kind_text(c, l, m.kind).into(),
                ),
                (
                    "when",
                    crate::chat::dates::when_text_from(c, l, told.tz, m.starts_at, told.now_ms)
                        .into(),
                ),
                ("note", note.into()),
            ],
        );
        let push = Push {
            dedupe_key: format!("meeting:{}:makeup:{}", m.id, member.id),
            urgent: false,
            not_before: told.now_ms,
            expires_at: None,
        };
        route::push(
            conn,
            c,
            member,
            &Reply::text(text),
            &push,
            told.sms_connected,
            told.now_ms,
        )
        .await?;
    }
    crate::meetings::service::audit_for_member(
        conn,
        told,
        by,
        via,
        Action::MakeupRecorded,
        &m,
        member,
        note,
    )
    .await?;
    Ok(Ok(m))
}

fn told<'a>(cx: &'a Ctx<'_>) -> Told<'a> {
    Told {
        catalog: cx.catalog,
        tz: cx.engine.tz,
        sms_connected: cx.engine.sms_connected,
        now_ms: cx.now_ms,
    }
}

fn done(cx: &Ctx<'_>, m: &Meeting, member: &Member, by_self: bool) -> Step {
    let args: Vec<(&str, Arg)> = vec![
        ("name", member.name.as_str().into()),
        (
            "when",
            crate::chat::dates::when_text_from(
                cx.catalog,
                cx.locale,
                cx.engine.tz,
                m.starts_at,
                cx.now_ms,
            )
            .into(),
        ),
        (
            "kind",
            crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind).into(),
        ),
    ];
    let id = if by_self {
        msg!("meeting-makeup-done")
    } else {
        msg!("meeting-makeup-done-for")
    };
    Step::text(cx.r(id, &args))
}

/// `/makeup`, `/makeup <meeting> <note>`, `/makeup <meeting> <member key> <note>`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    by: &Member,
    args: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(args) = args.map(str::trim).filter(|a| !a.is_empty()) else {
        return owed(cx, conn, by).await;
    };
    let (id, rest) = args
        .split_once(char::is_whitespace)
        .map_or((args, ""), |(a, b)| (a, b.trim()));
    if id.parse::<i64>().is_err() {
        return Ok(Step::text(cx.t(msg!("meeting-makeup-usage"))));
    }
    // A secretary's second word may be a member's key: then the note follows it.
    let (first, after) = rest
        .split_once(char::is_whitespace)
        .map_or((rest, ""), |(a, b)| (a, b));
    let other = match members::find(conn, first).await? {
        Some(m) if m.id != by.id && !first.is_empty() && by.is_manager() => Some(m),
        _ => None,
    };
    let (member, note) = match &other {
        Some(m) => (m, after),
        None => (by, rest),
    };
    if note.trim().is_empty() && other.is_none() {
        // No note yet: the meeting is checked, then the note asked for.
        return ask_note(cx, conn, by, id).await;
    }
    match record(conn, &told(cx), Some(by), cx.via, id, member, note).await? {
        Ok(m) => Ok(done(cx, &m, member, other.is_none())),
        Err(why) => Ok(Step::text(why.text(cx.catalog, cx.locale))),
    }
}

/// The meetings `member` owes 补学 for, a button each.
async fn owed(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let since = cx.now_ms - OWED_DAYS * 24 * 3_600_000;
    let list = meetings::makeups_owed(conn, member.id, since, cx.now_ms).await?;
    if list.is_empty() {
        return Ok(Step::text(cx.t(msg!("meeting-makeup-none-owed"))));
    }
    let choices: Vec<Choice> = list
        .iter()
        .map(|m| Choice {
            data: crate::meetings::actions::Action::Makeup(m.id).encode(),
            label: format!(
                "{} {}",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    m.starts_at,
                    cx.now_ms
                ),
                crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind)
            ),
            aliases: Vec::new(),
        })
        .collect();
    Ok(Step::reply(Reply::with_choices(
        cx.t(msg!("meeting-makeup-owed")),
        choices,
    )))
}

/// Checks the meeting can take `member`'s 补学, then asks for the note.
async fn ask_note(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: &str,
) -> Result<Step, StoreError> {
    let Some(m) = (match id.parse::<i64>() {
        Ok(id) => meetings::get(conn, id).await?,
        Err(_) => None,
    }) else {
        return Ok(Step::text(
            Refused::NoSuchMeeting(id.into()).text(cx.catalog, cx.locale),
        ));
    };
    let a = meetings::attendees(conn, m.id)
        .await?
        .into_iter()
        .find(|a| a.member_id == member.id);
    let refused = if m.cancelled {
        Some(Refused::Cancelled)
    } else if m.ends_at > cx.now_ms {
        Some(Refused::NotOver)
    } else {
        match a {
            None => Some(Refused::NotAttendee(member.name.clone())),
            Some(a) if a.signed_in => Some(Refused::Attended(member.name.clone())),
            Some(a) if a.made_up => {
                let day = meetings::makeup_note(conn, m.id, member.id)
                    .await?
                    .map(|(_, at)| {
                        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(at)
                            .unwrap_or_default()
                            .with_timezone(&cx.engine.tz)
                            .format("%Y-%m-%d")
                            .to_string()
                    })
                    .unwrap_or_default();
                Some(Refused::Already(day))
            }
            Some(_) => None,
        }
    };
    if let Some(why) = refused {
        return Ok(Step::text(why.text(cx.catalog, cx.locale)));
    }
    Ok(Step::new(
        vec![Reply::text(
            cx.r(
                msg!("meeting-makeup-ask-note"),
                &[
                    (
                        "when",
                        crate::chat::dates::when_text_from(
                            cx.catalog,
                            cx.locale,
                            cx.engine.tz,
                            m.starts_at,
                            cx.now_ms,
                        )
                        .into(),
                    ),
                    (
                        "kind",
                        crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind).into(),
                    ),
                ],
            ),
        )],
        Waiting::MeetingMakeupNote { meeting_id: m.id }.state(),
    ))
}

/// A meeting chosen from `/makeup`'s list (`meet:makeup:<id>`).
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: i64,
) -> Result<Step, StoreError> {
    ask_note(cx, conn, member, &id.to_string()).await
}

/// The note typed for one's own 补学.
pub async fn note(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    meeting_id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let id = meeting_id.to_string();
    match record(conn, &told(cx), Some(member), cx.via, &id, member, text).await? {
        Ok(m) => Ok(done(cx, &m, member, true)),
        Err(why @ (Refused::EmptyNote | Refused::NoteTooLong)) => Ok(Step::retry(
            why.text(cx.catalog, cx.locale),
            Waiting::MeetingMakeupNote { meeting_id }.state(),
        )),
        Err(why) => Ok(Step::text(why.text(cx.catalog, cx.locale))),
    }
}
