//! `/minutes <id> [text]`: the secretary submits the minutes (会议记录) once the meeting has
//! started; without the text it is asked for. The reply shows what the record holds: the
//! topic and the attendance and leave taken from the records.

use super::super::engine::Step;
use super::super::{Ctx, Reply, State};
use crate::domain::org::Member;
use crate::msg;
use crate::store::meetings::{self, Rsvp};
use crate::store::{Conn, StoreError};

/// `/minutes <id> [text]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(m) = super::create::managed(cx, conn, member, arg).await? else {
        return super::create::refusal(cx, conn, member, arg).await;
    };
    if m.starts_at > cx.now_ms || m.cancelled {
        return Ok(Step::text(cx.t(msg!("meeting-minutes-too-early"))));
    }
    match arg
        .and_then(|a| a.split_once(char::is_whitespace))
        .map(|(_, t)| t.trim())
    {
        Some(text) if !text.is_empty() => submit(cx, conn, member, m.id, text).await,
        _ => Ok(Step::new(
            vec![Reply::text(cx.t(msg!("meeting-minutes-ask")))],
            State::MeetingMinutes { meeting_id: m.id },
        )),
    }
}

/// The minutes' text.
pub async fn submit(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    meeting_id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let Some(m) = meetings::get(conn, meeting_id).await? else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    meetings::save_minutes(conn, m.id, text.trim(), Some(member.id), cx.now_ms).await?;
    let all = meetings::attendees(conn, m.id).await?;
    let leave: Vec<String> = all
        .iter()
        .filter(|a| a.rsvp == Rsvp::Leave)
        .map(|a| format!("{}（{}）", a.name, a.reason.as_deref().unwrap_or("")))
        .collect();
    Ok(Step::text(
        cx.r(
            msg!("meeting-minutes-saved"),
            &[
                (
                    "kind",
                    super::kind_text(cx.catalog, cx.locale, m.kind).into(),
                ),
                (
                    "when",
                    super::when_text(cx.catalog, cx.locale, cx.engine.tz, m.starts_at).into(),
                ),
                ("topic", m.topic.as_str().into()),
                ("signed", all.iter().filter(|a| a.signed_in).count().into()),
                ("expected", all.len().into()),
                (
                    "leave",
                    if leave.is_empty() {
                        "—".to_owned()
                    } else {
                        leave.join("、")
                    }
                    .into(),
                ),
            ],
        ),
    ))
}
