//! Pledges (党员承诺) and their check-ins (承诺践诺), one feature folder:
//!
//! - [`rules`]: pure — the five ways, a pledge's and an answer's states, the limits on what
//!   is written, a target date as typed, the default check-in schedule.
//! - [`store`]: its SQL (`pledges`, versions and items, reviews; [`store::checkins`]: rounds,
//!   answers, the one reminder, self-assessments, the branches' crontabs), both backends.
//! - [`service`]: what the command line, the dashboard, the oversight figures and spot checks
//!   read: the figures per branch, the published items, a pledge's items as lines.
//! - [`chat`]: `/pledge`, `/pledges`, `/pledges_review`, `/pledge_stats`, `/pledge_schedule`,
//!   the buttons ([`chat::Action`]) and the waiting steps ([`chat::Waiting`]).
//! - [`jobs`]: `pledge_checkin`, `pledge_checkin_reminder`, `pledge_assessment`.
//!
//! What the feature declares to the platform ([`Pledges`], listed in `app::features`): five
//! commands (`/pledges` open to senders not yet bound), the buttons, its `/help` lines, the
//! steps the engine's older `State` stored for it, and its three job kinds.

pub mod chat;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Configured, Feature, HelpLines, TextAnswer};
use crate::flows::{Choice, Ctx, Inbound, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::Conn;

/// The tag of its waiting steps.
pub const NAME: &str = "pledges";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pledges;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "pledge",
        aliases: &[],
        menu: Some(msg!("menu-pledge")),
    },
    CommandSpec {
        name: "pledges",
        aliases: &[],
        menu: Some(msg!("menu-pledges")),
    },
    CommandSpec {
        name: "pledges_review",
        aliases: &[],
        menu: Some(msg!("menu-pledges-review")),
    },
    CommandSpec {
        name: "pledge_stats",
        aliases: &[],
        menu: Some(msg!("menu-pledge-stats")),
    },
    CommandSpec {
        name: "pledge_schedule",
        aliases: &[],
        menu: Some(msg!("menu-pledge-schedule")),
    },
];

impl Feature for Pledges {
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

    fn menu_after(&self) -> Option<&'static str> {
        Some("cancel")
    }

    fn public_commands(&self) -> &'static [&'static str] {
        &["pledges"]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        if member.role.is_party_member() {
            lines.everyone.push(cx.t(msg!("pledge-help-member")));
        }
        if member.is_manager() {
            lines.managing_early.push(cx.t(msg!("pledge-help-manager")));
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
                "pledges" => Ok(crate::flows::engine::Step::text(
                    chat::publish::text(cx, conn, arg).await?,
                )),
                "pledges_review" => chat::review::command(cx, conn, member).await,
                "pledge_stats" => chat::stats::command(cx, conn, member).await,
                "pledge_schedule" => chat::schedule::command(cx, conn, member, arg).await,
                _ => chat::write::command(cx, conn, member).await,
            }
        })
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
        self.chosen_with_rest(cx, conn, member, state, action, value, "")
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
        Box::pin(async move {
            let data = format!("{action}:{value}");
            chat::chosen(cx, conn, member, state, &data, rest).await
        })
    }

    fn unmatched<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        offered: &'a [Choice],
        text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(chat::unmatched(cx, conn, member, state, offered, text))
    }

    fn for_stranger<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        _name: &'static str,
        arg: Option<&'a str>,
    ) -> Answer<'a> {
        Box::pin(async move {
            Ok(crate::flows::engine::Step::text(
                chat::publish::text(cx, conn, arg).await?,
            ))
        })
    }

    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(jobs::PledgeCheckin)
            .with(jobs::PledgeReminder)
            .with(jobs::PledgeAssessment)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::chat::Waiting;
    use super::*;
    use crate::flows::feature::Features;
    use crate::pledges::store::NewItem;

    fn item(way: &str, text: &str, target_date: Option<&str>) -> NewItem {
        NewItem {
            way: way.into(),
            text: text.into(),
            target_date: target_date.map(Into::into),
        }
    }

    #[test]
    fn each_pledge_step_the_old_state_stored_is_claimed_by_the_feature_and_read_on() {
        let features = Features::new(vec![Arc::new(Pledges)]);
        let items = vec![item("study", "每月读一本理论书籍", Some("2026-12-31"))];
        // As serde wrote `flows::State`'s pledge variants (`#[serde(tag = "step",
        // rename_all = "snake_case")]`), as databases hold them today.
        let stored = [
            (
                r#"{"step":"pledge_way","items":[{"way":"study","text":"每月读一本理论书籍","target_date":"2026-12-31"}]}"#,
                Waiting::PledgeWay {
                    items: items.clone(),
                },
            ),
            (
                r#"{"step":"pledge_way","items":[]}"#,
                Waiting::PledgeWay { items: vec![] },
            ),
            (
                r#"{"step":"pledge_text","items":[],"way":"serve"}"#,
                Waiting::PledgeText {
                    items: vec![],
                    way: "serve".into(),
                },
            ),
            (
                r#"{"step":"pledge_date","items":[{"way":"study","text":"每月读一本理论书籍","target_date":"2026-12-31"}],"way":"serve","text":"每周答疑两小时"}"#,
                Waiting::PledgeDate {
                    items: items.clone(),
                    way: "serve".into(),
                    text: "每周答疑两小时".into(),
                },
            ),
            (
                r#"{"step":"pledge_more","items":[{"way":"study","text":"每月读一本理论书籍","target_date":"2026-12-31"},{"way":"serve","text":"每周答疑两小时","target_date":null}]}"#,
                Waiting::PledgeMore {
                    items: vec![items[0].clone(), item("serve", "每周答疑两小时", None)],
                },
            ),
            (
                r#"{"step":"pledge_return_comment","version":12}"#,
                Waiting::PledgeReturnComment { version: 12 },
            ),
            (
                r#"{"step":"pledge_blocked","round":3,"item":41}"#,
                Waiting::PledgeBlocked { round: 3, item: 41 },
            ),
            (
                r#"{"step":"pledge_assessment","id":5}"#,
                Waiting::PledgeAssessment { id: 5 },
            ),
            (
                r#"{"step":"pledge_schedule","crontab":"0 19 * * 3"}"#,
                Waiting::PledgeSchedule {
                    crontab: "0 19 * * 3".into(),
                },
            ),
        ];
        let mut steps = Vec::new();
        for (json, waiting) in stored {
            assert!(
                serde_json::from_str::<State>(json).is_err(),
                "the engine's State no longer reads {json}"
            );
            let state = features
                .legacy(json)
                .unwrap_or_else(|| panic!("unclaimed: {json}"));
            assert_eq!(Waiting::of(&state), Some(waiting.clone()), "{json}");
            // What is written back now is the feature's own form, which reads back the same.
            let now = serde_json::to_string(&waiting.clone().state()).unwrap();
            let again: State = serde_json::from_str(&now).unwrap();
            assert_eq!(Waiting::of(&again), Some(waiting), "{now}");
            let step = serde_json::from_str::<serde_json::Value>(json).unwrap()["step"]
                .as_str()
                .unwrap()
                .to_owned();
            if !steps.contains(&step) {
                steps.push(step);
            }
        }
        assert_eq!(steps, chat::Waiting::STEPS);
        assert!(features.legacy(r#"{"step":"spot_check_shown"}"#).is_none());
    }

    #[test]
    fn the_feature_owns_todays_button_prefixes_and_its_five_commands() {
        let features = Features::new(vec![Arc::new(Pledges)]);
        for prefix in ["pw", "pd", "pm", "pe", "pr", "pck", "ps", "pa"] {
            assert!(features.action(prefix).is_some(), "{prefix}");
        }
        assert_eq!(
            features
                .menu_with(&[])
                .into_iter()
                .map(|(n, _)| n)
                .collect::<Vec<_>>(),
            [
                "pledge",
                "pledges",
                "pledges_review",
                "pledge_stats",
                "pledge_schedule"
            ]
        );
    }
}
