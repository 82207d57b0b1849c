//! Answering a meeting reminder: 参加, or 请假 with a reason (asked for when it did not come
//! with the answer: "请假 出差", "2 出差"). The answer can be changed until the meeting starts.
//! Every answer is said back with the meeting it applied to ("已为您登记请假：12月8日（周二）
//! 19:30 党员大会，原因：出差"); attending twice says it was confirmed before.

use super::Waiting;
use crate::delivery::route::Push;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::meetings::store::{self as meetings, Meeting, Rsvp};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The longest leave reason kept.
const MAX_REASON_CHARS: usize = 200;

/// A 参加 (`attend`) / 请假 choice of meeting `id`, with what was typed after it.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    attend: bool,
    id: i64,
    rest: &str,
) -> Result<Step, StoreError> {
    let Some(m) = open_meeting(cx, conn, member, &id.to_string()).await? else {
        return Ok(Step::text(cx.t(msg!("meeting-rsvp-closed"))));
    };
    match attend {
        true => {
            let before = meetings::attendees(conn, m.id)
                .await?
                .into_iter()
                .find(|a| a.member_id == member.id)
                .map(|a| a.rsvp);
            let said = if before == Some(Rsvp::Attend) {
                msg!("meeting-attend-already")
            } else {
                meetings::set_rsvp(conn, m.id, member.id, Rsvp::Attend, None, cx.now_ms).await?;
                msg!("meeting-attend-recorded")
            };
            Ok(Step::reply(Reply::with_choices(
                cx.r(said, &what(cx, &m)),
                vec![cx.choice(
                    crate::meetings::actions::Action::Leave(m.id).encode(),
                    msg!("meeting-change-to-leave"),
                )],
            )))
        }
        false if !rest.trim().is_empty() => leave(cx, conn, member, &m, rest).await,
        false => Ok(Step::new(
            vec![Reply::text(cx.t(msg!("meeting-leave-ask-reason")))],
            Waiting::MeetingLeaveReason { meeting_id: m.id }.state(),
        )),
    }
}

/// The reason typed after 请假.
pub async fn reason(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    meeting_id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let Some(m) = open_meeting(cx, conn, member, &meeting_id.to_string()).await? else {
        return Ok(Step::text(cx.t(msg!("meeting-rsvp-closed"))));
    };
    if text.chars().count() > MAX_REASON_CHARS {
        return Ok(Step::retry(
            cx.r(
                msg!("meeting-reason-too-long"),
                &[("max", MAX_REASON_CHARS.into())],
            ),
            Waiting::MeetingLeaveReason { meeting_id }.state(),
        ));
    }
    leave(cx, conn, member, &m, text).await
}

/// What an answer applied to, said back with it: the meeting's time and kind.
fn what(cx: &Ctx<'_>, m: &Meeting) -> Vec<(&'static str, crate::i18n::Arg)> {
    vec![
        (
            "when",
            crate::chat::dates::when_text(cx.catalog, cx.locale, cx.engine.tz, m.starts_at).into(),
        ),
        (
            "kind",
            crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind).into(),
        ),
    ]
}

/// The meeting if it exists, is not cancelled or started, and expects `member`.
async fn open_meeting(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: &str,
) -> Result<Option<Meeting>, StoreError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    let Some(m) = meetings::get(conn, id).await? else {
        return Ok(None);
    };
    if m.cancelled || m.starts_at <= cx.now_ms {
        return Ok(None);
    }
    let expected = meetings::attendees(conn, id)
        .await?
        .iter()
        .any(|a| a.member_id == member.id);
    Ok(expected.then_some(m))
}

async fn leave(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    m: &Meeting,
    reason: &str,
) -> Result<Step, StoreError> {
    let reason = reason.trim();
    meetings::set_rsvp(conn, m.id, member.id, Rsvp::Leave, Some(reason), cx.now_ms).await?;
    for s in crate::meetings::service::secretaries(conn, m.branch_id).await? {
        if s.id == member.id {
            continue;
        }
        let scx = cx.for_member(&s);
        let text = scx.r(
            msg!("meeting-leave-notice"),
            &[
                ("name", member.name.as_str().into()),
                (
                    "kind",
                    crate::meetings::text::kind_text(cx.catalog, s.locale, m.kind).into(),
                ),
                (
                    "when",
                    crate::chat::dates::when_text(cx.catalog, s.locale, cx.engine.tz, m.starts_at)
                        .into(),
                ),
                ("reason", reason.into()),
            ],
        );
        let push = Push {
            dedupe_key: format!(
                "meeting:{}:leave:{}:{}:{}",
                m.id, member.id, s.id, cx.now_ms
            ),
            urgent: false,
            not_before: cx.now_ms,
            expires_at: Some(m.ends_at),
        };
        cx.push(conn, &s, &Reply::text(text), &push).await?;
    }
    // The one choice left is changing one's mind: "回复 1 改为参加" on SMS.
    Ok(Step::reply(Reply::with_choices(
        cx.r(msg!("meeting-leave-recorded"), &{
            let mut args = what(cx, m);
            args.push(("reason", reason.into()));
            args
        }),
        vec![cx.choice(
            crate::meetings::actions::Action::Attend(m.id).encode(),
            msg!("meeting-change-to-attend"),
        )],
    )))
}
