//! 三会一课 (the branch's meetings and Party lessons), one feature folder:
//!
//! - [`store`]: the meetings' queries — attendees, answers, sign-ins, minutes, 代请假, 补学, the
//!   figures — and [`store::screen`], the rotating sign-in code's secrets, links and screen
//!   sessions (migration 0022's tables). The row itself and the reads the files' targets and
//!   the attachments' command line share stay in `crate::store::meetings` (re-exported by
//!   [`store`]); the kinds, cadences, quarters and `[meetings]`'s timings in
//!   `crate::domain::meetings`, which the configuration reads; the feature's own pure rules —
//!   default attendees, semesters, the quorum, the rotating code — in [`rules`].
//! - [`service`]: creating meetings ([`service::create`]: attendees, the row, its reminders,
//!   the sign-in code's policy, the audit row), who attends by default, who is told.
//! - [`text`]: how a meeting, its reminder, its attendance and a reporting period read.
//! - [`chat`]: `/meeting`, `/meetings`, `/attendance`, `/signin`, 代签, 代请假, 补学, minutes,
//!   the rotating code's screen; its waiting steps ([`chat::Waiting`]); [`actions`]: its
//!   buttons as typed data.
//! - [`compliance`]: the quarter's figures (`/compliance`, the dashboard, the oversight charts).
//! - [`jobs`]: a meeting's reminders, the after-meeting check and the minutes reminder;
//!   [`warning`]: the compliance warning. [`cli`]: `branchbot meeting …`.
//!
//! What the feature declares to the platform ([`Meetings`], listed in `app::features`): its
//! commands with their aliases and menu lines, the `rsvp:` and `meet:` buttons, its `/help`
//! lines, its waiting steps, a sign-in code typed as it is, `/start si_<code>` and the word 补学.

pub mod actions;
pub mod chat;
pub mod cli;
pub mod compliance;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;
pub mod text;
pub mod warning;

use crate::domain::org::Member;
use crate::flows::feature::{
    Answer, CommandSpec, Configured, Feature, HelpLines, TextAnswer, TextStage,
};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

/// The tag of its waiting steps.
pub const NAME: &str = "meetings";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Meetings;

/// Its commands; those with a menu line in the order Telegram's menu shows them.
const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "meetings",
        aliases: &[],
        menu: Some(msg!("menu-meetings")),
    },
    CommandSpec {
        name: "signin",
        aliases: &["qd"],
        menu: Some(msg!("menu-signin")),
    },
    CommandSpec {
        name: "meeting",
        aliases: &["newmeeting"],
        menu: Some(msg!("menu-meeting")),
    },
    CommandSpec {
        name: "attendance",
        aliases: &[],
        menu: Some(msg!("menu-attendance")),
    },
    CommandSpec {
        name: "minutes",
        aliases: &[],
        menu: Some(msg!("menu-minutes")),
    },
    CommandSpec {
        name: "compliance",
        aliases: &[],
        menu: Some(msg!("menu-compliance")),
    },
    CommandSpec {
        name: "meeting_series",
        aliases: &["meetingseries"],
        menu: None,
    },
    CommandSpec {
        name: "cancelmeeting",
        aliases: &[],
        menu: None,
    },
    CommandSpec {
        name: "reschedule",
        aliases: &[],
        menu: None,
    },
    CommandSpec {
        name: "proxysignin",
        aliases: &[],
        menu: None,
    },
    CommandSpec {
        name: "proxyleave",
        aliases: &["leave_for", "leavefor"],
        menu: None,
    },
    CommandSpec {
        name: "makeup",
        aliases: &["make_up", "buxue"],
        menu: None,
    },
    CommandSpec {
        name: "signin_screen",
        aliases: &["signinscreen", "screen"],
        menu: None,
    },
];

impl Feature for Meetings {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &[actions::RSVP, actions::MEET]
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        chat::LEGACY_STEPS
    }

    fn typed_choices_first(&self) -> &'static [&'static str] {
        &chat::create::DRAFT_CHOICES
    }

    fn start_links(&self) -> &'static [(&'static str, &'static str)] {
        &[("si_", "signin")]
    }

    fn words(&self) -> &'static [(&'static str, &'static str)] {
        // How an SMS reader records make-up study: "补学", "补学 12 自学会议精神".
        &[("补学", "makeup")]
    }

    /// Its menu lines follow `/evaluation`, where they always stood.
    fn menu_after(&self) -> Option<&'static str> {
        Some("evaluation")
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.role.is_party_member() {
            lines.everyone.push(cx.t(msg!("help-meetings")));
            lines.everyone.push(cx.t(msg!("meeting-help-makeup")));
        }
        if member.is_manager() {
            lines
                .managing_early
                .push(cx.t(msg!("meeting-help-practice")));
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
        Box::pin(chat::command(cx, conn, member, name, arg))
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(chat::chosen(cx, conn, member, state, action, value, ""))
    }

    fn chosen_with_rest<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        action: &'a str,
        value: &'a str,
        rest: &'a str,
    ) -> Answer<'a> {
        Box::pin(chat::chosen(cx, conn, member, state, action, value, rest))
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
            match serde_json::from_value::<chat::Waiting>(data.clone()) {
                Ok(waiting) => chat::typed(cx, conn, member, waiting, text).await,
                Err(_) => Ok(None),
            }
        })
    }

    fn reads_text(&self) -> Option<TextStage> {
        Some(TextStage::BeforeChoices)
    }

    fn on_typed_text<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(chat::code_typed(cx, conn, member, text))
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
            match serde_json::from_value::<chat::Waiting>(data.clone()) {
                Ok(waiting) => chat::file_sent(cx, conn, member, &waiting, attachment).await,
                Err(_) => Ok(None),
            }
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(jobs::MeetingReminder)
            .with(warning::ComplianceWarning)
    }
}
