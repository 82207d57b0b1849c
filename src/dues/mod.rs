//! 党费 (party dues): the bot records payments, it takes no money. One feature folder:
//!
//! - [`rules`]: pure — exact amounts in fen read from what people type (never floats),
//!   months, `[dues]` (when the monthly reminder goes out), the run of unpaid months.
//! - [`store`]: its SQL (`dues_amounts`, `dues_payments`, `dues_keepers`, `dues_flags`;
//!   migration 0018), both backends.
//! - [`service`]: who keeps a branch's dues and may record them, recording once with its
//!   audit row, corrections, a member's book, the figures per branch and month.
//! - [`chat`]: `/dues`, `/dues_pay`, `/dues_fix`, `/dues_report`, and how the feature's texts
//!   read (shared with the command line and the job).
//! - [`jobs`]: `dues-reminders`, monthly: the unpaid reminded, six months unpaid flagged.
//! - [`cli`]: `branchbot dues import|import-payments|keeper|record|correct|show` and the rows
//!   of `branchbot report dues`.
//!
//! What the feature declares to the platform ([`Dues`], listed in `app::features`): four chat
//! commands, the `dues:` buttons and its `/help` lines; besides, the audit actions
//! `dues_paid`, `dues_corrected`, `dues_imported`, `dues_keeper`, the `[dues]` configuration
//! ([`rules::Policy`]), the job kind, and the `dues` and `report dues` subcommands.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Configured, Feature, HelpLines};
use crate::flows::Ctx;
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Dues;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "dues",
        aliases: &["dangfei"],
        menu: Some(msg!("menu-dues")),
    },
    CommandSpec {
        name: "dues_pay",
        aliases: &["duespay"],
        menu: Some(msg!("menu-dues-pay")),
    },
    CommandSpec {
        name: "dues_fix",
        aliases: &["duesfix"],
        menu: None,
    },
    CommandSpec {
        name: "dues_report",
        aliases: &["duesreport"],
        menu: Some(msg!("menu-dues-report")),
    },
];

impl Feature for Dues {
    fn name(&self) -> &'static str {
        "dues"
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &["dues"]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.role.is_party_member() {
            lines.everyone.push(cx.t(msg!("dues-help-member")));
        }
        if member.is_manager() {
            lines.managing.push(cx.t(msg!("dues-help-keeper")));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        arg: Option<&'a str>,
        _inbound: &'a crate::flows::Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            match name {
                "dues_pay" => chat::pay(cx, conn, member, arg).await,
                "dues_fix" => chat::fix(cx, conn, member, arg).await,
                "dues_report" => chat::report(cx, conn, member, arg).await,
                _ => chat::mine(cx, conn, member).await,
            }
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        _state: &'a crate::flows::State,
        _action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(chat::chosen(cx, conn, member, value))
    }

    /// The monthly reminder, on the day and at the time `[dues]` sets.
    fn jobs(&self, registry: Registry, configured: Option<Configured<'_>>) -> Registry {
        registry.with(match configured {
            Some(c) => jobs::DuesReminders::new(&c.config.dues),
            None => jobs::DuesReminders::default(),
        })
    }
}
