//! 三会一课 in chat: creating a meeting (`create`, and `series` for a recurring one),
//! answering a reminder (`rsvp`), signing in (`signin`, with the rotating code of `screen`),
//! the secretary's view and nudges (`attendance`), 代请假 (`leave_for`), 补学 recorded as done
//! (`makeup`) and minutes (`minutes`). Here: the feature's waiting steps ([`Waiting`]) and what
//! routes a command, a button and typed text to those files.

pub mod attendance;
pub mod create;
pub mod leave_for;
pub mod makeup;
pub mod minutes;
pub mod rsvp;
pub mod screen;
pub mod series;
pub mod signin;

use serde::{Deserialize, Serialize};

use super::actions::Action;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply, State};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The feature's waiting steps, kept in `State::Feature` under [`super::NAME`]. Their JSON is
/// what `flows::State` wrote for them before the feature had its own folder
/// (`{"step":"meeting_leave_reason","meeting_id":12}`), so a conversation stored then reads on
/// ([`super::Meetings`] claims those step names: [`LEGACY_STEPS`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// Creating a meeting: the kind is chosen, the rest is filled in order (time, place,
    /// topic), then the preview waits for 确认 / 取消.
    MeetingDraft {
        kind: String,
        /// A 党小组会's party group, when the secretary chose one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        group: Option<String>,
        starts_at: Option<i64>,
        place: Option<String>,
        topic: Option<String>,
    },
    /// `/meeting_series`: the preview waits for 确认 / 取消.
    MeetingSeries {
        kind: String,
        cron: String,
        place: String,
        topic: String,
        count: u32,
    },
    /// `/proxysignin <no.> <key>` without a reason: the reason is typed next.
    MeetingProxyReason { args: String },
    /// Chose 请假: the reason is typed next.
    MeetingLeaveReason { meeting_id: i64 },
    /// 代请假: a member was chosen on the attendance view; the reason is typed next.
    MeetingLeaveForReason { meeting_id: i64, member_id: i64 },
    /// 补学: a missed meeting was chosen; the note is typed next.
    MeetingMakeupNote { meeting_id: i64 },
    /// Asked for a meeting's minutes: the text (or a photo of the sign-in sheet) is sent next.
    MeetingMinutes { meeting_id: i64 },
}

/// The step names [`Waiting`] reads, as `flows::State` stored them.
pub const LEGACY_STEPS: &[&str] = &[
    "meeting_draft",
    "meeting_series",
    "meeting_proxy_reason",
    "meeting_leave_reason",
    "meeting_leave_for_reason",
    "meeting_makeup_note",
    "meeting_minutes",
];

impl Waiting {
    /// The conversation's state for this step.
    pub fn state(&self) -> State {
        State::feature(super::NAME, self)
    }

    /// The step `state` is, if it is one of the feature's.
    pub fn of(state: &State) -> Option<Self> {
        state.data_of(super::NAME)
    }
}

/// `/name arg`, `name` one of the feature's commands.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    name: &str,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    match name {
        "meeting" => create::start(cx, member).await,
        "meetings" => attendance::list(cx, conn, member).await,
        "attendance" => attendance::detail(cx, conn, member, arg).await,
        "meeting_series" => series::command(cx, conn, member, arg).await,
        "cancelmeeting" => create::cancel(cx, conn, member, arg).await,
        "reschedule" => create::reschedule(cx, conn, member, arg).await,
        "signin" => match arg {
            Some(code) => signin::with_code(cx, conn, member, code).await,
            None => Ok(Step::text(cx.t(msg!("meeting-signin-usage")))),
        },
        "proxysignin" => signin::proxy(cx, conn, member, arg).await,
        "proxyleave" => leave_for::command(cx, conn, member, arg).await,
        "makeup" => makeup::command(cx, conn, member, arg).await,
        "signin_screen" => screen::command(cx, conn, member, arg).await,
        "minutes" => minutes::command(cx, conn, member, arg).await,
        "compliance" => super::compliance::command(cx, conn, member, arg).await,
        _ => Ok(Step::text(cx.r(
            msg!("error-unknown-command"),
            &[("command", format!("/{name}").into())],
        ))),
    }
}

/// A button of the feature (`rsvp:…`, `meet:…`), with what was typed after its label.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    action: &str,
    value: &str,
    rest: &str,
) -> Result<Step, StoreError> {
    let stale = || Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    let Some(action) = Action::decode(action, value) else {
        return stale();
    };
    match action {
        Action::Attend(id) => rsvp::chosen(cx, conn, member, true, id, rest).await,
        Action::Leave(id) => rsvp::chosen(cx, conn, member, false, id, rest).await,
        Action::Kind(kind) => create::kind_chosen(cx, conn, member, kind).await,
        Action::Group(group) => match Waiting::of(state) {
            Some(draft) => create::group_chosen(cx, conn, member, draft, &group).await,
            None => stale(),
        },
        Action::Year(at) => match Waiting::of(state) {
            Some(draft) => Ok(create::next_year_answered(cx, draft, at)),
            None => stale(),
        },
        Action::Confirm => match Waiting::of(state) {
            Some(draft) => create::confirm(cx, conn, member, &draft).await,
            None => stale(),
        },
        Action::Series => match Waiting::of(state) {
            Some(series) => series::confirm(cx, conn, member, &series).await,
            None => stale(),
        },
        Action::Discard => Ok(Step::text(cx.t(msg!("meeting-discarded")))),
        Action::Nudge(id) => attendance::nudge(cx, conn, member, id).await,
        Action::LeaveFor {
            meeting,
            member: who,
        } => leave_for::chosen(cx, conn, member, meeting, who).await,
        Action::Makeup(id) => makeup::chosen(cx, conn, member, id).await,
        Action::Screen(id) => screen::command(cx, conn, member, Some(&id.to_string())).await,
    }
}

/// Text typed while one of [`Waiting`] is current; `None` leaves it to the engine (a preview
/// waits for a button, and its typed label is read as any answer is).
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    waiting: Waiting,
    text: &str,
) -> Result<Option<Step>, StoreError> {
    Ok(Some(match waiting {
        Waiting::MeetingLeaveReason { meeting_id } => {
            rsvp::reason(cx, conn, member, meeting_id, text).await?
        }
        Waiting::MeetingProxyReason { args } => {
            let args = format!("{args} {}", text.trim());
            signin::proxy(cx, conn, member, Some(&args)).await?
        }
        Waiting::MeetingLeaveForReason {
            meeting_id,
            member_id,
        } => leave_for::reason(cx, conn, member, meeting_id, member_id, text).await?,
        Waiting::MeetingMakeupNote { meeting_id } => {
            makeup::note(cx, conn, member, meeting_id, text).await?
        }
        Waiting::MeetingMinutes { meeting_id } => {
            minutes::submit(cx, conn, member, meeting_id, text).await?
        }
        Waiting::MeetingDraft {
            ref starts_at,
            ref place,
            ref topic,
            ..
        } if starts_at.is_none() || place.is_none() || topic.is_none() => {
            create::typed(cx, conn, member, waiting, text).await?
        }
        Waiting::MeetingDraft { .. } | Waiting::MeetingSeries { .. } => return Ok(None),
    }))
}

/// Text no waiting step took: a sign-in code typed as it is ("976520", "签到 976520").
pub async fn code_typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: &str,
) -> Result<Option<Step>, StoreError> {
    if !signin::looks_like_code(text) {
        return Ok(None);
    }
    signin::with_code(cx, conn, member, text).await.map(Some)
}

/// A file sent while the minutes are asked for (a photo of the sign-in sheet): filed to the
/// meeting's record and said so, the step kept so that the text can follow.
pub async fn file_sent(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    waiting: &Waiting,
    attachment: i64,
) -> Result<Option<Step>, StoreError> {
    let Waiting::MeetingMinutes { meeting_id } = waiting else {
        return Ok(None);
    };
    let Some(text) =
        crate::files::service::attach_to_minutes(cx, conn, member, *meeting_id, attachment).await?
    else {
        return Ok(None);
    };
    Ok(Some(Step {
        replies: vec![Reply::text(text)],
        state: waiting.state(),
        keep_offered: true,
    }))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::flows::feature::{Feature, Features};

    /// Conversations stored before the feature had its folder: each meeting step as
    /// `serde_json` wrote `flows::State`'s variants then (tag `step`, snake case).
    const STORED: &[&str] = &[
        r#"{"step":"meeting_draft","kind":"general","starts_at":null,"place":null,"topic":null}"#,
        r#"{"step":"meeting_draft","kind":"group","group":"第一党小组","starts_at":1791630000000,"place":"党员活动室","topic":null}"#,
        r#"{"step":"meeting_draft","kind":"committee","starts_at":1791630000000,"place":"党员活动室","topic":"支委会"}"#,
        r#"{"step":"meeting_series","kind":"lesson","cron":"0 19 * * 4","place":"图书馆 305","topic":"党课","count":4}"#,
        r#"{"step":"meeting_proxy_reason","args":"12 S109"}"#,
        r#"{"step":"meeting_leave_reason","meeting_id":12}"#,
        r#"{"step":"meeting_leave_for_reason","meeting_id":12,"member_id":31}"#,
        r#"{"step":"meeting_makeup_note","meeting_id":12}"#,
        r#"{"step":"meeting_minutes","meeting_id":12}"#,
    ];

    /// How the engine reads a stored state: as its own `State`, or as the step a feature claims.
    fn read(features: &Features, stored: &str) -> Option<State> {
        serde_json::from_str::<State>(stored)
            .ok()
            .or_else(|| features.legacy(stored))
    }

    #[test]
    fn every_meeting_step_stored_before_reads_as_the_features_step_with_its_data() {
        let features = Features::new(vec![Arc::new(super::super::Meetings)]);
        let expected = [
            Waiting::MeetingDraft {
                kind: "general".into(),
                group: None,
                starts_at: None,
                place: None,
                topic: None,
            },
            Waiting::MeetingDraft {
                kind: "group".into(),
                group: Some("第一党小组".into()),
                starts_at: Some(1_791_630_000_000),
                place: Some("党员活动室".into()),
                topic: None,
            },
            Waiting::MeetingDraft {
                kind: "committee".into(),
                group: None,
                starts_at: Some(1_791_630_000_000),
                place: Some("党员活动室".into()),
                topic: Some("支委会".into()),
            },
            Waiting::MeetingSeries {
                kind: "lesson".into(),
                cron: "0 19 * * 4".into(),
                place: "图书馆 305".into(),
                topic: "党课".into(),
                count: 4,
            },
            Waiting::MeetingProxyReason {
                args: "12 S109".into(),
            },
            Waiting::MeetingLeaveReason { meeting_id: 12 },
            Waiting::MeetingLeaveForReason {
                meeting_id: 12,
                member_id: 31,
            },
            Waiting::MeetingMakeupNote { meeting_id: 12 },
            Waiting::MeetingMinutes { meeting_id: 12 },
        ];
        assert_eq!(STORED.len(), expected.len());
        for (stored, want) in STORED.iter().zip(expected) {
            let state = read(&features, stored).unwrap_or_else(|| panic!("unread: {stored}"));
            assert!(
                matches!(&state, State::Feature { feature, .. } if feature == super::super::NAME),
                "{stored}: {state:?}"
            );
            assert_eq!(Waiting::of(&state).as_ref(), Some(&want), "{stored}");
            // Written back, the step's data is what was stored: the same JSON, field for field.
            let State::Feature { data, .. } = &want.state() else {
                unreachable!()
            };
            let before: serde_json::Value = serde_json::from_str(stored).unwrap();
            assert_eq!(data, &before, "{stored}");
        }
        // Every step name the feature claims is one of those; none is claimed twice.
        let claimed = super::super::Meetings.legacy_steps();
        for stored in STORED {
            let step = serde_json::from_str::<serde_json::Value>(stored).unwrap()["step"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(claimed.contains(&step.as_str()), "{step}");
        }
        // A state the engine still has is not taken for a meeting's, nor another feature's.
        assert_eq!(read(&features, r#"{"step":"idle"}"#), Some(State::Idle));
        assert_eq!(read(&features, r#"{"step":"choosing_language"}"#), None);
    }
}
