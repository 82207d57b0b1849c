//! Notices (通知) with "收到请回复": one file per intent. [`compose`] is `/notice` (scope, text,
//! confirmation, urgency, preview, send); [`confirm`] is a member's 收到 (button or typed);
//! [`status`] is `/notice_status`, the re-nudge of the unconfirmed and the SMS escalation.
//! Choices carry `notice:<action>[:<value>]`, routed here by the engine.

pub mod compose;
pub mod confirm;
pub mod escalation;
pub mod nudges;
pub mod renudge;
pub mod status;

use serde::{Deserialize, Serialize};

use super::engine::Step;
use super::{Ctx, Reply, State};
use crate::domain::notices::Scope;
use crate::domain::org::Member;
use crate::msg;
use crate::store::{Conn, StoreError};

/// A notice being composed, carried by the conversation's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub scope: Scope,
    pub text: String,
    pub confirm: bool,
    pub urgent: bool,
    /// The automatic re-nudges of the unconfirmed the sender picked, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudges: Option<crate::domain::pushes::NudgePlan>,
    /// The file sent with it (an `attachments` id the sender sent at the preview), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<i64>,
}

/// A tapped or typed `notice:…` choice.
pub async fn on_choice(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    value: &str,
    state: State,
) -> Result<Step, StoreError> {
    let (action, arg) = value.split_once(':').unwrap_or((value, ""));
    match action {
        "confirm" => confirm::by_id(cx, conn, member, arg).await,
        "nudge" => status::nudge(cx, conn, member, arg).await,
        _ => compose::chosen(cx, conn, member, action, arg, state).await,
    }
}

/// The header of a notice: 【通知】 with the sender's label, or 【学院党委通知】 when the label
/// is empty (the college committee sent it); 紧急 when urgent.
pub fn header_msg(sender: &str, urgent: bool) -> crate::i18n::Msg {
    match (sender.is_empty(), urgent) {
        (true, true) => msg!("notice-header-college-urgent"),
        (true, false) => msg!("notice-header-college"),
        (false, true) => msg!("notice-header-urgent"),
        (false, false) => msg!("notice-header"),
    }
}

/// The reply a member reads: `notice-header` with the sender, the text, and for 收到请回复 a
/// 收到 button (typed "收到", "1" or "ok" confirm too).
pub fn notice_reply(cx: &Ctx<'_>, id: i64, sender: &str, text: &str, d: (bool, bool)) -> Reply {
    let (confirm, urgent) = d;
    let header = header_msg(sender, urgent);
    let mut body = format!("{}\n{text}", cx.r(header, &[("sender", sender.into())]));
    if !confirm {
        return Reply::text(body);
    }
    body.push('\n');
    body.push_str(&cx.t(msg!("notice-please-confirm")));
    let mut choice = cx.choice(format!("notice:confirm:{id}"), msg!("notice-received"));
    choice.aliases.push("ok".into());
    Reply::with_choices(body, vec![choice])
}
