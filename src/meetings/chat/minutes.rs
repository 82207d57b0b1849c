//! `/minutes <id> [text]`: the secretary submits the minutes (会议记录) once the meeting has
//! started; without the text it is asked for. The record names its 主持人 and 记录人 (lines
//! "主持人：…" and "记录人：…" in the text; minutes without them are asked for again and
//! nothing is saved). The reply shows what the record holds: the topic, who chaired and who
//! recorded, and the attendance, leave and absence taken from the records.

use super::Waiting;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::meetings::store::{self as meetings, Rsvp};
use crate::msg;
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
            Waiting::MeetingMinutes { meeting_id: m.id }.state(),
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
    let host = role_line(text, &["主持人", "主持", "host", "chair"]);
    let recorder = role_line(text, &["记录人", "记录", "recorder", "minutes by"]);
    let (Some(host), Some(recorder)) = (host.clone(), recorder.clone()) else {
        let missing = match (host, recorder) {
            (None, None) => "both",
            (None, _) => "host",
            _ => "recorder",
        };
        return Ok(Step::retry(
            cx.r(
                msg!("meeting-minutes-need-roles"),
                &[("missing", missing.into())],
            ),
            Waiting::MeetingMinutes { meeting_id }.state(),
        ));
    };
    meetings::save_minutes(conn, m.id, text.trim(), Some(member.id), cx.now_ms).await?;
    let all = meetings::attendees(conn, m.id).await?;
    let leave: Vec<String> = all
        .iter()
        .filter(|a| a.rsvp == Rsvp::Leave)
        .map(|a| crate::meetings::text::leave_entry(cx.catalog, cx.locale, a))
        .collect();
    let absent: Vec<String> = all
        .iter()
        .filter(|a| !a.signed_in && a.rsvp != Rsvp::Leave)
        .map(|a| crate::meetings::text::absent_entry(cx.catalog, cx.locale, a))
        .collect();
    let listed = |v: Vec<String>| {
        if v.is_empty() {
            "—".to_owned()
        } else {
            v.join(&cx.t(msg!("cli-list-separator")))
        }
    };
    let saved = cx.r(
        msg!("meeting-minutes-saved"),
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
            ("topic", m.topic.as_str().into()),
            ("host", host.into()),
            ("recorder", recorder.into()),
            ("signed", all.iter().filter(|a| a.signed_in).count().into()),
            ("expected", all.len().into()),
            ("leave", listed(leave).into()),
            ("absent", listed(absent).into()),
        ],
    );
    // The photos and files of the record (the sign-in sheet, the meeting), or how to add them.
    let files = match crate::files::service::record_line(cx, conn, m.id).await? {
        Some(line) => line,
        None => cx.t(msg!("files-record-none")),
    };
    Ok(Step::text(format!("{saved}\n{files}")))
}

/// The value of a "主持人：黄晓明" line (any of `labels`, full- or half-width colon), if the
/// minutes have one.
fn role_line(text: &str, labels: &[&str]) -> Option<String> {
    text.lines().find_map(|line| {
        let line = crate::flows::fold(line);
        let line = line.trim();
        labels.iter().find_map(|label| {
            let head = line.get(..label.len())?;
            if !head.eq_ignore_ascii_case(label) {
                return None;
            }
            let value = line[label.len()..].trim_start().strip_prefix(':')?.trim();
            (!value.is_empty()).then(|| value.to_owned())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::role_line;

    #[test]
    fn the_host_and_recorder_are_read_from_their_lines() {
        let text = "主持人：黄晓明\n记录：孙丽\n传达学习全会精神。";
        assert_eq!(role_line(text, &["主持人", "主持"]), Some("黄晓明".into()));
        assert_eq!(role_line(text, &["记录人", "记录"]), Some("孙丽".into()));
        assert_eq!(
            role_line("Chair: Li\nbody", &["host", "chair"]),
            Some("Li".into())
        );
        assert_eq!(role_line("主持人：\n正文", &["主持人"]), None);
        assert_eq!(role_line("由黄晓明主持人：无", &["主持人"]), None);
    }
}
