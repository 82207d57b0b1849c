//! Evaluation rounds (民主评议党员 and 票决) with sealed ballots, one feature folder:
//!
//! - [`rules`]: pure — the kinds of round and their options, the tally table, the warning when
//!   优秀 exceeds a third.
//! - [`store`]: its SQL (`evaluation_rounds`, candidates, voters and their flags, the sealed
//!   `evaluation_ballots`, the counters), both backends.
//! - [`service`]: what the command line, the recruitment ballot, the oversight figures and the
//!   reports use: opening a round and telling its voters, sealing a ballot, the tally of
//!   closed rounds, a round's results, the labels of the options.
//! - [`chat`]: `/evaluation [open|vote|close|results]`, the ballot's buttons ([`chat::Action`])
//!   and the compact ballot's waiting step ([`chat::Waiting`]).
//! - [`jobs`]: `evaluation-remind` and `evaluation-tally`.
//! - [`cli`]: `branchbot evaluation open`.
//!
//! The anonymity of ballots (docs/PRIVACY.md) rests on the service and the store: a ballot is
//! sealed and padded into a row under a random id in the transaction that flips its voter's
//! flag, the counters are added to only once the round has closed, in one transaction that
//! deletes the ballots, and every reply of a ballot is anonymous.
//!
//! What the feature declares to the platform ([`Evaluation`], listed in `app::features`): the
//! command (alias `vote`) with its menu line, the `ev:` buttons, its `/help` lines, the step
//! the engine's older `State` stored for it, and its two job kinds.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Configured, Feature, HelpLines, TextAnswer};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

/// The tag of its waiting steps.
pub const NAME: &str = "evaluation";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evaluation;

const COMMANDS: &[CommandSpec] = &[CommandSpec {
    name: "evaluation",
    aliases: &["vote"],
    menu: Some(msg!("menu-evaluation")),
}];

impl Feature for Evaluation {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        chat::ACTIONS
    }

    fn legacy_steps(&self) -> &'static [&'static str] {
        chat::Waiting::STEPS
    }

    /// Its menu line follows the engine's `/feedback`.
    fn menu_after(&self) -> Option<&'static str> {
        Some("feedback")
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.role.is_party_member() {
            lines.campaign_tail.push(cx.t(msg!("help-evaluation")));
        }
        if member.is_manager() {
            lines
                .managing_early
                .push(cx.t(msg!("help-evaluation-manager")));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        _name: &'static str,
        arg: Option<&'a str>,
        _inbound: &'a Inbound,
    ) -> Answer<'a> {
        Box::pin(chat::command(cx, conn, member, arg))
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
            let data = format!("{action}:{value}");
            chat::chosen(cx, conn, member, &data).await
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
            match serde_json::from_value::<chat::Waiting>(data.clone()) {
                Ok(chat::Waiting::EvaluationCompact { round_id }) => {
                    chat::compact::typed(cx, conn, member, round_id, text)
                        .await
                        .map(Some)
                }
                Err(_) => Ok(None),
            }
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(jobs::EvaluationTally)
            .with(jobs::EvaluationRemind)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::chat::Waiting;
    use super::*;
    use crate::flows::feature::Features;

    #[test]
    fn the_compact_ballot_step_the_old_state_stored_is_claimed_by_the_feature_and_read_on() {
        let features = Features::new(vec![Arc::new(Evaluation)]);
        // As serde wrote `flows::State::EvaluationCompact` (`#[serde(tag = "step",
        // rename_all = "snake_case")]`), as databases hold it today.
        let stored = r#"{"step":"evaluation_compact","round_id":17}"#;
        assert!(
            serde_json::from_str::<State>(stored).is_err(),
            "the engine's State no longer reads it itself"
        );
        let state = features.legacy(stored).expect("claimed");
        assert!(
            matches!(&state, State::Feature { feature, .. } if feature == NAME),
            "{state:?}"
        );
        assert_eq!(
            state.data_of::<Waiting>(NAME),
            Some(Waiting::EvaluationCompact { round_id: 17 })
        );
        // Saved again, it reads back as the same step.
        let saved = serde_json::to_string(&state).unwrap();
        let again: State = serde_json::from_str(&saved).unwrap();
        assert_eq!(again, state);
        assert!(features
            .legacy(r#"{"step":"pledge_way","items":[]}"#)
            .is_none());
    }

    #[test]
    fn its_command_alias_and_buttons_reach_it() {
        let features = Features::new(vec![Arc::new(Evaluation)]);
        assert_eq!(features.command("vote").map(|(_, n)| n), Some("evaluation"));
        assert_eq!(
            features.command("evaluation").map(|(_, n)| n),
            Some("evaluation")
        );
        assert!(features.action("ev").is_some());
        let menu: Vec<_> = features
            .menu_with(&[("feedback", msg!("menu-feedback"))])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(menu, ["feedback", "evaluation"]);
    }
}
