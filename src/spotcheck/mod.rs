//! 随机抽查 (spot checks) for the college committee, one feature folder:
//!
//! - [`rules`]: pure — what a check looks at, how `/spotcheck` narrows its pick, "recent",
//!   the finding's limit.
//! - [`store`]: its SQL (`spot_checks`, migration 0008's table; the candidates; a meeting's
//!   代签 and minutes), both backends.
//! - [`chat`]: `/spotcheck [meeting|pledge] [branch]`, the random pick, the record shown,
//!   记录发现 / 换一个 / 取消, the finding with its audit row and the push to the branch's
//!   secretary and deputy; its waiting steps ([`chat::Waiting`]).
//! - [`cli`]: `branchbot spotcheck list`.
//!
//! What the feature declares to the platform ([`Spotcheck`], listed in `app::features`): the
//! command with its aliases and menu line, the `spot:` buttons, its `/help` line for the
//! committee and its two waiting steps; besides, the audit action `spot_check`.

pub mod chat;
pub mod cli;
pub mod rules;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Feature, HelpLines, TextAnswer};
use crate::flows::{Ctx, State};
use crate::msg;
use crate::store::Conn;

/// The tag of its waiting steps.
pub const NAME: &str = "spotcheck";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Spotcheck;

const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "spotcheck",
    aliases: &["spot_check", "choucha"],
    menu: Some(msg!("menu-spotcheck")),
}];

impl Feature for Spotcheck {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &["spot"]
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        &["spot_check_shown", "spot_check_finding"]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.is_manager() && member.college {
            lines.managing.push(cx.t(msg!("help-spotcheck")));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        _name: &'static str,
        arg: Option<&'a str>,
        _inbound: &'a crate::flows::Inbound,
    ) -> Answer<'a> {
        Box::pin(chat::command(cx, conn, member, arg))
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
        Box::pin(chat::chosen(cx, conn, member, state, value))
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
                Ok(waiting @ chat::Waiting::SpotCheckFinding { .. }) => {
                    chat::finding(cx, conn, member, &waiting, text)
                        .await
                        .map(Some)
                }
                // A record is shown and text came instead of a button: a typed option (记录发现,
                // 2) is read by the engine as it reads any text.
                _ => Ok(None),
            }
        })
    }
}
