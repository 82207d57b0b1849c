//! The notices' conversation, one file per intent. [`compose`] is `/notice` (scope, text,
//! confirmation, urgency, preview, send); [`confirm`] is a member's 收到 (button or typed);
//! [`status`] is `/notice_status`, the re-nudge of the unconfirmed and the SMS escalation.
//! Buttons carry `notice:<action>[:<value>]` ([`Action`]); the composing steps wait in
//! [`Waiting`].

pub mod compose;
pub mod confirm;
pub mod nudges;
pub mod status;

use serde::{Deserialize, Serialize};

use crate::domain::notices::Scope;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, State};
use crate::msg;
use crate::store::{Conn, StoreError};

/// A notice being composed, carried by the conversation's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub scope: Scope,
    pub text: String,
    pub confirm: bool,
    pub urgent: bool,
    /// The automatic re-nudges of the unconfirmed the sender picked, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nudges: Option<crate::domain::pushes::NudgePlan>,
    /// The file sent with it (an `attachments` id the sender sent at the preview), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachment: Option<i64>,
}

/// The steps of composing a notice, kept in `State::Feature` under [`super::NAME`]. Their JSON
/// is what `flows::State` wrote for them before the feature had its own folder
/// (`{"step":"notice_text","scope":{"kind":"branch","branch":3}}`), so a conversation stored
/// then reads on ([`super::Notices`] claims those step names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// Offered the scopes.
    NoticeScope,
    /// Offered the branch's party groups.
    NoticeGroup,
    /// Waiting for the text.
    NoticeText { scope: Scope },
    /// Asked whether recipients must confirm (收到请回复).
    NoticeConfirm { scope: Scope, text: String },
    /// Asked whether the notice is urgent.
    NoticeUrgent {
        scope: Scope,
        text: String,
        confirm: bool,
    },
    /// The preview is shown; nothing is sent until [发送].
    NoticePreview { draft: Draft },
    /// Asked whether and how the unconfirmed are re-nudged (a notice asking for 收到).
    NoticeNudges { draft: Draft },
}

impl Waiting {
    /// The conversation's state holding this step.
    pub fn state(self) -> State {
        State::feature(super::NAME, &self)
    }
}

/// The scope a `notice:scope:…` button picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopePick {
    All,
    Everyone,
    Secretaries,
    Branch,
    Group,
    Committee,
    Full,
    Activists,
    Masses,
    BranchEveryone,
}

impl ScopePick {
    const ALL: [(Self, &'static str); 10] = [
        (Self::All, "all"),
        (Self::Everyone, "everyone"),
        (Self::Secretaries, "secretaries"),
        (Self::Branch, "branch"),
        (Self::Group, "group"),
        (Self::Committee, "committee"),
        (Self::Full, "full"),
        (Self::Activists, "activists"),
        (Self::Masses, "masses"),
        (Self::BranchEveryone, "branch_everyone"),
    ];

    fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(p, _)| *p == self)
            .map_or("", |(_, s)| s)
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, w)| *w == s).map(|(p, _)| *p)
    }
}

/// A button of the notices, as typed data. On the wire it is what the buttons carried before it
/// was typed (`notice:scope:branch`, `notice:plan:30-3-2`, `notice:confirm:12`, …), so buttons
/// already sent — the 收到 under a notice in someone's chat — still work; at most
/// [`MAX_DATA_BYTES`], as Telegram allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Who the notice goes to.
    Scope(ScopePick),
    /// The party group, by its place in the list offered.
    Group(usize),
    /// 收到请回复 asked (yes) or not.
    Receipt(bool),
    /// Urgent (yes) or not.
    Urgent(bool),
    /// The automatic re-nudges: none, or every `interval` minutes, `count` times, by SMS from
    /// the `sms`-th on.
    Plan(Option<(i64, i64, Option<i64>)>),
    /// 发送 at the preview.
    Send,
    /// 修改 at the preview.
    Edit,
    /// 取消, at any step.
    Cancel,
    /// 收到 under notice `id`.
    Confirm(i64),
    /// 提醒未确认者 of notice `id` (`/notice_status`).
    Nudge(i64),
}

/// Telegram's limit on a button's data.
pub const MAX_DATA_BYTES: usize = 64;

impl Action {
    /// The button's data.
    pub fn encode(self) -> String {
        match self {
            Self::Scope(p) => format!("notice:scope:{}", p.as_str()),
            Self::Group(i) => format!("notice:group:{i}"),
            Self::Receipt(yes) => format!("notice:receipt:{}", yes_no(yes)),
            Self::Urgent(yes) => format!("notice:urgent:{}", yes_no(yes)),
            Self::Plan(None) => "notice:plan:none".into(),
            Self::Plan(Some((interval, count, sms))) => {
                let sms = sms.map(|s| format!("-{s}")).unwrap_or_default();
                format!("notice:plan:{interval}-{count}{sms}")
            }
            Self::Send => "notice:send".into(),
            Self::Edit => "notice:edit".into(),
            Self::Cancel => "notice:cancel".into(),
            Self::Confirm(id) => format!("notice:confirm:{id}"),
            Self::Nudge(id) => format!("notice:nudge:{id}"),
        }
    }

    /// What a button's data after `notice:` means; None for data this version never wrote.
    pub fn decode(value: &str) -> Option<Self> {
        let (action, arg) = value.split_once(':').unwrap_or((value, ""));
        let yes_no = |arg: &str| match arg {
            "yes" => Some(true),
            "no" => Some(false),
            _ => None,
        };
        Some(match action {
            "scope" => Self::Scope(ScopePick::parse(arg)?),
            "group" => Self::Group(arg.parse().ok()?),
            "receipt" => Self::Receipt(yes_no(arg)?),
            "urgent" => Self::Urgent(yes_no(arg)?),
            "plan" if arg == "none" => Self::Plan(None),
            "plan" => {
                let n: Vec<i64> = arg
                    .split('-')
                    .map(|w| w.parse().ok())
                    .collect::<Option<_>>()?;
                match n.as_slice() {
                    [i, c] => Self::Plan(Some((*i, *c, None))),
                    [i, c, s] => Self::Plan(Some((*i, *c, Some(*s)))),
                    _ => return None,
                }
            }
            "send" if arg.is_empty() => Self::Send,
            "edit" if arg.is_empty() => Self::Edit,
            "cancel" if arg.is_empty() => Self::Cancel,
            "confirm" => Self::Confirm(arg.parse().ok()?),
            "nudge" => Self::Nudge(arg.parse().ok()?),
            _ => return None,
        })
    }
}

fn yes_no(yes: bool) -> &'static str {
    if yes {
        "yes"
    } else {
        "no"
    }
}

/// A tapped or typed `notice:…` choice (`value` is what follows `notice:`).
pub async fn on_choice(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    value: &str,
    state: &State,
) -> Result<Step, StoreError> {
    let Some(action) = Action::decode(value) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    match action {
        Action::Confirm(id) => confirm::by_id(cx, conn, member, id).await,
        Action::Nudge(id) => status::nudge(cx, conn, member, id).await,
        _ => {
            let waiting = state.data_of::<Waiting>(super::NAME);
            compose::chosen(cx, conn, member, action, waiting).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pushes::NudgePlan;

    #[test]
    fn a_buttons_data_reads_back_as_the_action_and_fits_telegram() {
        let mut all: Vec<Action> = ScopePick::ALL
            .iter()
            .map(|(p, _)| Action::Scope(*p))
            .collect();
        all.extend([
            Action::Group(0),
            Action::Group(12),
            Action::Receipt(true),
            Action::Receipt(false),
            Action::Urgent(true),
            Action::Urgent(false),
            Action::Plan(None),
            Action::Plan(Some((30, 3, None))),
            // Far beyond any plan `NudgePlan::new` accepts (a day apart, six nudges).
            Action::Plan(Some((1 << 31, 1 << 31, Some(1 << 31)))),
            Action::Send,
            Action::Edit,
            Action::Cancel,
            Action::Confirm(i64::MAX),
            Action::Nudge(i64::MAX),
        ]);
        for action in all {
            let data = action.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            let value = data.strip_prefix("notice:").expect("the feature's prefix");
            assert_eq!(Action::decode(value), Some(action), "{data}");
        }
    }

    #[test]
    fn the_data_of_buttons_already_sent_reads_as_before() {
        // The strings the buttons carried before the action was typed, as they sit in people's
        // chats and in stored questions (`notice:confirm:…` under a notice already sent).
        let cases = [
            ("notice:scope:all", Action::Scope(ScopePick::All)),
            ("notice:scope:everyone", Action::Scope(ScopePick::Everyone)),
            (
                "notice:scope:secretaries",
                Action::Scope(ScopePick::Secretaries),
            ),
            ("notice:scope:branch", Action::Scope(ScopePick::Branch)),
            ("notice:scope:group", Action::Scope(ScopePick::Group)),
            (
                "notice:scope:committee",
                Action::Scope(ScopePick::Committee),
            ),
            ("notice:scope:full", Action::Scope(ScopePick::Full)),
            (
                "notice:scope:activists",
                Action::Scope(ScopePick::Activists),
            ),
            ("notice:scope:masses", Action::Scope(ScopePick::Masses)),
            (
                "notice:scope:branch_everyone",
                Action::Scope(ScopePick::BranchEveryone),
            ),
            ("notice:group:2", Action::Group(2)),
            ("notice:receipt:yes", Action::Receipt(true)),
            ("notice:receipt:no", Action::Receipt(false)),
            ("notice:urgent:yes", Action::Urgent(true)),
            ("notice:urgent:no", Action::Urgent(false)),
            ("notice:plan:none", Action::Plan(None)),
            ("notice:plan:60-3", Action::Plan(Some((60, 3, None)))),
            ("notice:plan:5-6-4", Action::Plan(Some((5, 6, Some(4))))),
            ("notice:send", Action::Send),
            ("notice:edit", Action::Edit),
            ("notice:cancel", Action::Cancel),
            ("notice:confirm:3", Action::Confirm(3)),
            ("notice:nudge:41", Action::Nudge(41)),
        ];
        for (data, action) in cases {
            let value = data.strip_prefix("notice:").unwrap();
            assert_eq!(Action::decode(value), Some(action), "{data}");
            assert_eq!(action.encode(), data);
        }
        for stale in [
            "",
            "scope",
            "scope:nobody",
            "group:x",
            "receipt:maybe",
            "plan:",
            "plan:5",
            "plan:5-x",
            "confirm:",
            "confirm:x",
            "nudge",
            "ack:2",
        ] {
            assert_eq!(Action::decode(stale), None, "{stale}");
        }
    }

    /// The JSON `flows::State` wrote for each step of composing a notice before the feature had
    /// its own folder, as conversations in a database hold it today.
    #[test]
    fn the_steps_stored_before_the_feature_had_its_folder_read_on() {
        let draft = Draft {
            scope: Scope::Group {
                branch: 3,
                group: "第一党小组".into(),
            },
            text: "周五开会".into(),
            confirm: true,
            urgent: false,
            nudges: Some(NudgePlan {
                interval_minutes: 60,
                nudges: 3,
                sms_from: Some(2),
            }),
            attachment: Some(9),
        };
        let cases = [
            (r#"{"step":"notice_scope"}"#, Waiting::NoticeScope),
            (r#"{"step":"notice_group"}"#, Waiting::NoticeGroup),
            (
                r#"{"step":"notice_text","scope":{"kind":"branch","branch":3}}"#,
                Waiting::NoticeText {
                    scope: Scope::Branch { branch: 3 },
                },
            ),
            (
                r#"{"step":"notice_confirm","scope":{"kind":"all"},"text":"周五开会"}"#,
                Waiting::NoticeConfirm {
                    scope: Scope::All,
                    text: "周五开会".into(),
                },
            ),
            (
                r#"{"step":"notice_urgent","scope":{"kind":"committee","branch":null},"text":"周五开会","confirm":true}"#,
                Waiting::NoticeUrgent {
                    scope: Scope::Committee { branch: None },
                    text: "周五开会".into(),
                    confirm: true,
                },
            ),
            (
                r#"{"step":"notice_preview","draft":{"scope":{"kind":"group","branch":3,"group":"第一党小组"},"text":"周五开会","confirm":true,"urgent":false,"nudges":{"interval_minutes":60,"nudges":3,"sms_from":2},"attachment":9}}"#,
                Waiting::NoticePreview {
                    draft: draft.clone(),
                },
            ),
            (
                // Written before drafts had a plan or a file.
                r#"{"step":"notice_nudges","draft":{"scope":{"kind":"everyone","branch":4},"text":"t","confirm":true,"urgent":true}}"#,
                Waiting::NoticeNudges {
                    draft: Draft {
                        scope: Scope::Everyone { branch: Some(4) },
                        text: "t".into(),
                        confirm: true,
                        urgent: true,
                        nudges: None,
                        attachment: None,
                    },
                },
            ),
        ];
        let features =
            crate::flows::feature::Features::new(vec![std::sync::Arc::new(super::super::Notices)]);
        for (json, waiting) in cases {
            assert!(
                serde_json::from_str::<State>(json).is_err(),
                "the engine's State no longer reads {json}"
            );
            let state = features.legacy(json).unwrap_or_else(|| panic!("{json}"));
            assert_eq!(
                state.data_of::<Waiting>(super::super::NAME),
                Some(waiting.clone()),
                "{json}"
            );
            // And what the feature writes now reads back the same.
            assert_eq!(
                waiting
                    .clone()
                    .state()
                    .data_of::<Waiting>(super::super::NAME),
                Some(waiting)
            );
        }
        // The preview's JSON is the old one, key for key.
        let old = r#"{"step":"notice_preview","draft":{"scope":{"kind":"group","branch":3,"group":"第一党小组"},"text":"周五开会","confirm":true,"urgent":false,"nudges":{"interval_minutes":60,"nudges":3,"sms_from":2},"attachment":9}}"#;
        assert_eq!(
            serde_json::to_string(&Waiting::NoticePreview { draft }).unwrap(),
            old
        );
    }
}
