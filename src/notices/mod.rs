//! Notices (通知) with "收到请回复", one feature folder:
//!
//! - [`chat`]: `/notice` (scope, text, 收到请回复, urgency, re-nudge plan, preview with a file,
//!   send), a member's 收到 (button or typed), `/notice_status` with 提醒未确认者, and
//!   `/notice_escalate`; its buttons ([`chat::Action`]) and waiting steps ([`chat::Waiting`]).
//! - [`service`]: who a notice reaches and how it reads, and sending a confirmed draft — what
//!   the chat, the command line and the jobs share.
//! - [`rules`]: which typed words confirm a notice, when the unconfirmed may be nudged again.
//!   Who a scope reaches is `domain::notices`, which the campaign's announcements share.
//! - [`store`]: its SQL (`notices`, `notice_recipients`), both backends.
//! - [`jobs`]: `notice_escalation` (SMS to the unconfirmed) and `notice-renudge` (the automatic
//!   re-nudges of the plan picked when sending).
//! - [`cli`]: `branchbot notice send|status`.
//!
//! What the feature declares to the platform ([`Notices`], listed in `app::features`): its
//! three commands with their menu lines (after `/unbound`, where they always stood), the
//! `notice:` buttons, its `/help` line for managers, its waiting steps (the `notice_*` steps of
//! the engine's older `State`), a file sent at the preview, and a typed 收到 that nothing else
//! took.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{
    Answer, CommandSpec, Configured, Feature, HelpLines, TextAnswer, TextStage,
};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

use chat::Waiting;

/// The tag of its waiting steps.
pub const NAME: &str = "notices";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Notices;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "notice",
        aliases: &[],
        menu: Some(msg!("menu-notice")),
    },
    CommandSpec {
        name: "notice_status",
        aliases: &["notices"],
        menu: Some(msg!("menu-notice-status")),
    },
    CommandSpec {
        name: "notice_escalate",
        aliases: &[],
        menu: None,
    },
];

impl Feature for Notices {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn menu_after(&self) -> Option<&'static str> {
        Some("unbound")
    }

    fn actions(&self) -> &'static [&'static str] {
        &["notice"]
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        &[
            "notice_scope",
            "notice_group",
            "notice_text",
            "notice_confirm",
            "notice_urgent",
            "notice_preview",
            "notice_nudges",
        ]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.is_manager() {
            lines.managing_early.push(cx.t(msg!("help-notices")));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        arg: Option<&'a str>,
        _inbound: &'a Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            match name {
                "notice_status" => chat::status::command(cx, conn, member, arg).await,
                "notice_escalate" => chat::status::escalate(cx, conn, member, arg).await,
                _ => chat::compose::start(cx, member).await,
            }
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        _action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(chat::on_choice(cx, conn, member, value, state))
    }

    fn on_text<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        data: &'a serde_json::Value,
        text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async move {
            // A sign-in code is the engine's even while a notice is being written, as it always
            // was.
            if crate::chat::matching::looks_like_signin_code(text) {
                return Ok(None);
            }
            match serde_json::from_value::<Waiting>(data.clone()) {
                Ok(Waiting::NoticeText { scope }) => Ok(Some(chat::compose::text(cx, scope, text))),
                // A typed plan ("5 3 2"); other text may be one of the offered plans.
                Ok(Waiting::NoticeNudges { draft })
                    if crate::domain::pushes::NudgePlan::read(text).is_some() =>
                {
                    chat::nudges::typed(cx, conn, member, draft, text)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        })
    }

    fn on_file<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        data: &'a serde_json::Value,
        attachment: i64,
    ) -> TextAnswer<'a> {
        Box::pin(async move {
            match serde_json::from_value::<Waiting>(data.clone()) {
                // The notice being written: its file, sent with it.
                Ok(Waiting::NoticePreview { draft }) => {
                    chat::compose::file_sent(cx, conn, member, draft, attachment)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        })
    }

    fn reads_text(&self) -> Option<TextStage> {
        Some(TextStage::Unclaimed)
    }

    fn on_typed_text<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async move {
            if !rules::is_confirmation(text) {
                return Ok(None);
            }
            chat::confirm::typed(cx, conn, member).await
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(jobs::NoticeEscalation)
            .with(jobs::NoticeRenudge)
    }
}
