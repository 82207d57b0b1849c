//! The members' own commands about themselves and the roster, one feature folder:
//!
//! - [`me`]: `/me`, who the bot thinks you are.
//! - [`lang`]: `/lang` (`/language`), the `lang:` buttons and the language choice's waiting
//!   step ([`lang::Waiting`]).
//! - [`unbound`]: `/unbound`, the members not yet bound, and its `unbound:invite` button.
//! - [`audit`]: `/audit`, the latest administrative actions, and how an entry of the log reads
//!   (shared with `branchbot audit`).
//! - [`dashboard`]: `/dashboard`, a one-time link to the web dashboard, and who may open it.
//!
//! What the folder declares to the platform (listed in `app::features`): [`Org`] — `/me`,
//! `/lang`, `/unbound` in the menu after `/help`, the `lang:` and `unbound:` buttons, the
//! `choosing_language` step the engine's older `State` stored — and [`Committee`] — `/audit`
//! and `/dashboard` in the menu after `/compliance`, the `/dashboard` line closing the
//! managers' part of `/help`. Their lines in `/help` otherwise stand in the engine's headings
//! (`help-member`, `help-manager`, `help-college`), as they always did.
//!
//! `/start` (binding a chat with an invite code) stays the engine's (`flows::start`): it is
//! what makes a sender known, it is read before anyone is (an unknown sender's only command,
//! with the address to bind), and the anonymous feedback reads its `fb_` links before any
//! conversation; the features' `/start` links (`Feature::start_links`) go through it.

pub mod audit;
pub mod dashboard;
pub mod lang;
pub mod me;
pub mod unbound;

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::feature::{Answer, CommandSpec, Feature, HelpLines};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::store::Conn;

/// The tag of [`Org`]'s waiting steps.
pub const NAME: &str = "org";

/// `/me`, `/lang`, `/unbound`: a member's own profile and language, and a manager's list of
/// members not yet bound.
#[derive(Debug, Clone, Copy, Default)]
pub struct Org;

const ORG_COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "me",
        aliases: &[],
        menu: Some(msg!("menu-me")),
    },
    CommandSpec {
        name: "lang",
        aliases: &["language"],
        menu: Some(msg!("menu-lang")),
    },
    CommandSpec {
        name: "unbound",
        aliases: &[],
        menu: Some(msg!("menu-unbound")),
    },
];

impl Feature for Org {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        ORG_COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &["lang", "unbound"]
    }

    fn menu_after(&self) -> Option<&'static str> {
        Some("help")
    }

    /// Its lines are in the engine's headings: `/me` and `/lang` in what everyone can do,
    /// `/unbound` in what a manager or the committee can do.
    fn help(&self, _cx: &Ctx<'_>, _member: &Member, _lines: &mut HelpLines) {}

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
                "lang" => lang::command(cx, conn, member, arg).await,
                "unbound" => unbound::command(cx, conn, member).await,
                _ => Ok(Step::text(me::text(cx, member))),
            }
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        _state: &'a State,
        action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(async move {
            match action {
                "lang" => lang::chosen(cx, conn, member, value).await,
                "unbound" if value == "invite" => unbound::invite(cx, conn, member).await,
                _ => Ok(Step::text(cx.t(msg!("error-stale-choice")))),
            }
        })
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        &["choosing_language"]
    }
}

/// `/audit` and `/dashboard`: the committees' view of what was done and of the web dashboard.
#[derive(Debug, Clone, Copy, Default)]
pub struct Committee;

const COMMITTEE_COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "audit",
        aliases: &[],
        menu: Some(msg!("menu-audit")),
    },
    CommandSpec {
        name: "dashboard",
        aliases: &[],
        menu: Some(msg!("menu-dashboard")),
    },
];

impl Feature for Committee {
    fn name(&self) -> &'static str {
        "committee"
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMITTEE_COMMANDS
    }

    fn menu_after(&self) -> Option<&'static str> {
        Some("compliance")
    }

    /// The `/dashboard` line closes the managers' part: `app::features::chat` lists this
    /// feature last.
    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if dashboard::allowed(member) {
            lines.managing.push(cx.t(msg!("help-dashboard")));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        _arg: Option<&'a str>,
        _inbound: &'a Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            match name {
                "audit" => audit::command(cx, conn, member).await,
                _ => dashboard::command(cx, conn, member).await,
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
        Box::pin(async move { Ok(Step::text(cx.t(msg!("error-stale-choice")))) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::feature::Features;
    use std::sync::Arc;

    /// A conversation stored while `/lang` waited, before the step was this folder's, reads
    /// on as its step and is written back field for field.
    #[test]
    fn a_stored_language_choice_reads_on_as_this_features_step() {
        let features = Features::new(vec![Arc::new(Org), Arc::new(Committee)]);
        let stored = r#"{"step":"choosing_language"}"#;
        assert!(serde_json::from_str::<State>(stored).is_err());
        let state = features.legacy(stored).expect("claimed");
        assert_eq!(
            state.data_of::<lang::Waiting>(NAME),
            Some(lang::Waiting::ChoosingLanguage)
        );
        assert_eq!(
            state,
            State::feature(NAME, &lang::Waiting::ChoosingLanguage)
        );
        let State::Feature { data, .. } = &state else {
            unreachable!()
        };
        assert_eq!(
            data,
            &serde_json::from_str::<serde_json::Value>(stored).unwrap()
        );
        // What `/lang` stores now reads back as the same step.
        let json = serde_json::to_string(&state).unwrap();
        assert_eq!(serde_json::from_str::<State>(&json).unwrap(), state);
        assert!(features.legacy(r#"{"step":"meeting_title"}"#).is_none());
    }

    #[test]
    fn the_commands_aliases_and_buttons_reach_their_feature() {
        let features = Features::new(vec![Arc::new(Org), Arc::new(Committee)]);
        let named = |name: &str| features.command(name).map(|(f, n)| (f.name(), n));
        assert_eq!(named("me"), Some(("org", "me")));
        assert_eq!(named("language"), Some(("org", "lang")));
        assert_eq!(named("unbound"), Some(("org", "unbound")));
        assert_eq!(named("audit"), Some(("committee", "audit")));
        assert_eq!(named("dashboard"), Some(("committee", "dashboard")));
        assert_eq!(named("start"), None);
        assert_eq!(features.action("lang").map(|f| f.name()), Some("org"));
        assert_eq!(features.action("unbound").map(|f| f.name()), Some("org"));
    }
}
