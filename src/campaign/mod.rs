//! The campaign (创先争优), its chat, jobs and command line in one feature folder:
//!
//! - [`chat`]: `/campaign` (the current phase, and for the college committee who has submitted
//!   the phase summary) and `/summary [text]` (a branch's phase summary, inline or typed next in
//!   [`chat::Waiting`]).
//! - [`jobs`]: `campaign_announcement` and `campaign_summary_reminder`.
//! - [`schedule`]: turning a campaign file into jobs (announcements, summary reminders, the
//!   `pledge_assessment` at each phase's end when registered), reloads included.
//! - [`cli`]: `branchbot campaign load|show|status`.
//!
//! The campaign file's format (`domain::campaign`: `Campaign`, `Phase`) and its SQL with the
//! loaded campaigns (`store::campaigns`, `loaded`) stay below: the activity records
//! (`records`), the oversight figures and the dashboard read them too.
//!
//! What the feature declares to the platform ([`Campaign`], listed in `app::features`): its two
//! commands with their menu lines (after `/unbound` and the notices', where they always
//! stood), its lines
//! of `/help` and its waiting step (`summary_text` of the engine's older `State`).

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod schedule;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Configured, Feature, HelpLines, TextAnswer};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

/// The tag of its waiting step.
pub const NAME: &str = "campaign";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Campaign;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "campaign",
        aliases: &[],
        menu: Some(msg!("menu-campaign")),
    },
    CommandSpec {
        name: "summary",
        aliases: &[],
        menu: Some(msg!("menu-summary")),
    },
];

impl Feature for Campaign {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn menu_after(&self) -> Option<&'static str> {
        Some("notice_status")
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        &["summary_text"]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        lines.campaign_head.push(cx.t(msg!("help-campaign")));
        if member.role.runs_branch() && member.branch_id.is_some() {
            lines.campaign_tail.push(cx.t(msg!("help-summary")));
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
                "summary" => chat::summary(cx, conn, member, arg).await,
                _ => chat::command(cx, conn, member).await,
            }
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _state: &'a State,
        _action: &'a str,
        _value: &'a str,
    ) -> Answer<'a> {
        // It offers no buttons.
        Box::pin(async move {
            Ok(crate::flows::engine::Step::text(
                cx.t(msg!("error-stale-choice")),
            ))
        })
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
            // A sign-in code is the engine's even while a summary is awaited, as it always was.
            if crate::chat::matching::looks_like_signin_code(text) {
                return Ok(None);
            }
            match serde_json::from_value::<chat::Waiting>(data.clone()) {
                Ok(chat::Waiting::SummaryText { campaign, phase }) => {
                    chat::summary_text(cx, conn, member, &campaign, phase, text)
                        .await
                        .map(Some)
                }
                Err(_) => Ok(None),
            }
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(jobs::PhaseAnnouncement)
            .with(jobs::SummaryReminder)
    }
}
