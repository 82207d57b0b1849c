//! The records a branch is inspected on beside its meetings: service activities (结对帮扶,
//! 志愿服务, 走访慰问, 进社区 and kinds a college adds), the branch's published work plan
//! (支部工作方案) and the committee's comments at each phase (领导点评). Text only for now:
//! photos and files (issue 22, section 1) will attach to an activity's id and to the activity
//! draft's preview step. One feature folder:
//!
//! - [`rules`]: pure — the kinds and `[records]`, the day as typed, the limits on texts.
//! - [`store`]: its SQL (`activities`, `activity_participants`, `branch_plans`,
//!   `leader_comments`; migration 0021), both backends; what the files feature reads of an
//!   activity is `crate::store::activities`, re-exported here.
//! - [`service`]: who may log, publish and comment; logging with the participants' pushes,
//!   answers, confirmed counts, plans published and missing, comments pushed to the branch.
//! - [`chat`]: `/activity`, `/plan`, `/plan_publish`, `/comment`, `/comments`, the `rec:`
//!   buttons, and how the feature's texts read (shared with the command line).
//! - [`jobs`]: at each phase's end, the committee asked for its 领导点评 (run by the
//!   campaign's phase-end job).
//! - [`cli`]: `branchbot activity|plan|comment …` and the rows of `branchbot report
//!   activities` and of the campaign report's activities and 领导点评 columns.
//!
//! What the feature declares to the platform ([`Records`], listed in `app::features`): five
//! chat commands (`/plan` open to senders not yet bound), the `rec:` buttons, the
//! [`chat::Draft`] steps and its `/help` lines; besides, the audit actions `activity_logged`, `activity_answered`,
//! `plan_published`, `comment_written`, the `[records]` configuration ([`rules::Policy`]), a
//! line in pledge check-ins and in the committee's `/campaign`, and the subcommands.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;

use crate::domain::org::Member;
use crate::flows::feature::{Answer, CommandSpec, Feature, HelpLines, TextAnswer};
use crate::flows::{Ctx, Inbound, State};
use crate::msg;
use crate::store::Conn;

/// The tag of its waiting steps.
pub const NAME: &str = "records";

/// The feature's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "activity",
        aliases: &["huodong"],
        menu: Some(msg!("menu-activity")),
    },
    CommandSpec {
        name: "plan",
        aliases: &["fangan"],
        menu: Some(msg!("menu-plan")),
    },
    CommandSpec {
        name: "plan_publish",
        aliases: &["planpublish"],
        menu: None,
    },
    CommandSpec {
        name: "comment",
        aliases: &["dianping"],
        menu: None,
    },
    CommandSpec {
        name: "comments",
        aliases: &[],
        menu: Some(msg!("menu-comments")),
    },
];

impl Feature for Records {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &["rec"]
    }

    fn public_commands(&self) -> &'static [&'static str] {
        &["plan"]
    }

    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        lines.everyone.push(cx.t(if member.role.is_party_member() {
            msg!("records-help-member")
        } else {
            msg!("records-help-plan")
        }));
        if member.is_manager() {
            lines.managing.push(cx.t(if member.college {
                msg!("records-help-college")
            } else {
                msg!("records-help-manager")
            }));
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        arg: Option<&'a str>,
        inbound: &'a Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            match name {
                "plan" => chat::plan(cx, conn, Some(member), arg).await,
                // A plan and a comment keep their text as typed (not folded).
                "plan_publish" => {
                    chat::plan_publish(cx, conn, member, chat::raw_arg(inbound)).await
                }
                "comment" => chat::comment(cx, conn, member, chat::raw_arg(inbound)).await,
                "comments" => chat::comments(cx, conn, member).await,
                _ => chat::activity(cx, member).await,
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
            match serde_json::from_value::<chat::Draft>(data.clone()) {
                Ok(d) if chat::takes_text(&d) => {
                    chat::typed(cx, conn, member, &d, text).await.map(Some)
                }
                // A step waiting for a button: a typed option is read as any text is.
                _ => Ok(None),
            }
        })
    }

    fn on_file<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        _member: &'a Member,
        data: &'a serde_json::Value,
        attachment: i64,
    ) -> TextAnswer<'a> {
        Box::pin(async move {
            match serde_json::from_value::<chat::Draft>(data.clone()) {
                // The activity's photos, sent at its preview.
                Ok(d) => chat::file_sent(cx, conn, &d, attachment).await,
                Err(_) => Ok(None),
            }
        })
    }

    fn for_stranger<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        _name: &'static str,
        arg: Option<&'a str>,
    ) -> Answer<'a> {
        Box::pin(chat::plan(cx, conn, None, arg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_draft_is_kept_as_the_features_own_step_and_read_back() {
        let d = chat::Draft::ActivityDay {
            kind: "volunteer".into(),
        };
        let state = State::feature(NAME, &d);
        let json = serde_json::to_value(&state).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"step": "feature", "feature": "records",
                "data": {"draft": "activity_day", "kind": "volunteer"}})
        );
        assert_eq!(state.data_of::<chat::Draft>(NAME), Some(d));
        assert_eq!(state.data_of::<chat::Draft>("spotcheck"), None);
    }
}
