//! 发展党员: the recruitment pipeline from application to full membership, as one feature.
//!
//! - [`rules`]: pure — the stages, the steps and what each needs first, the minimum
//!   intervals, the branch vote's majority rule, the clocks (中国共产党发展党员工作细则, 2014).
//! - [`store`]: its SQL (`recruits`, `recruit_steps`, migration 0017; `recruit_papers`,
//!   `recruit_ballots`, migration 0019), both backends.
//! - [`service`]: who may see or change what; recording a step with its audit row and role.
//! - [`chat`]: `/mystage` and `/recruit`, and how the feature's texts read (the papers on file,
//!   the 公示's window and its notice text).
//! - [`ballot`]: the 支部大会 vote by secret ballot, on the evaluation feature's 票决 round.
//! - [`jobs`]: `recruitment-clocks`, the daily reminders of the clocks.
//! - [`cli`]: `branchbot recruit import|list|show|record` and `branchbot report recruitment`.
//!
//! What the feature declares to the platform ([`Recruitment`], listed in `app::features`): the
//! chat commands `/mystage` and `/recruit` and their `/help` lines; besides, the audit action `recruitment_step`, the `[recruitment]`
//! configuration ([`rules::Policy`]) and the `recruit` and `report recruitment` subcommands.

pub mod ballot;
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
pub struct Recruitment;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "mystage",
        aliases: &["my_stage"],
        menu: Some(msg!("menu-mystage")),
    },
    CommandSpec {
        name: "recruit",
        aliases: &["recruitment"],
        menu: Some(msg!("menu-recruit")),
    },
];

impl Feature for Recruitment {
    fn name(&self) -> &'static str {
        "recruitment"
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if !member.role.has_vote() {
            // Applicants, activists and probationary members follow their way to membership.
            lines.everyone.push(cx.t(msg!("recruit-help-mystage")));
        }
        if member.is_manager() {
            lines.managing.push(cx.t(msg!("recruit-help-recruit")));
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
                "recruit" => chat::recruit(cx, conn, member, arg).await,
                _ => chat::mystage(cx, conn, member).await,
            }
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _state: &'a crate::flows::State,
        _action: &'a str,
        _value: &'a str,
    ) -> Answer<'a> {
        // It offers no buttons: an old one is stale.
        Box::pin(async move {
            Ok(crate::flows::engine::Step::text(
                cx.t(msg!("error-stale-choice")),
            ))
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry.with(jobs::RecruitmentClocks)
    }
}
