//! Pledges (党员承诺) in chat: a member writes and edits a pledge ([`write`]); a secretary
//! reviews it ([`review`]); approved pledges are published to anyone ([`publish`]); members
//! answer periodic check-ins ([`checkin`]) and phase-end self-assessments ([`assess`]); a
//! secretary sees the figures ([`stats`]) and sets when check-ins go out ([`schedule`]).
//!
//! The buttons are an [`Action`]; the steps waiting for a member are a [`Waiting`].

pub mod assess;
pub mod checkin;
pub mod publish;
pub mod review;
pub mod schedule;
pub mod stats;
pub mod write;

use serde::{Deserialize, Serialize};

use super::rules::{Progress, Way};
use super::store::NewItem;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, State};
use crate::i18n::{Catalog, Locale, Msg};
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// The feature's waiting steps, kept in `State::Feature` under [`super::NAME`]. Their JSON is
/// what `flows::State` wrote for them before the feature had its own folder
/// (`{"step":"pledge_way","items":[]}`), so a conversation stored then reads on
/// ([`super::Pledges`] claims those step names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// Writing a pledge: choosing the way of the next item (the items so far are kept here
    /// until submitted).
    PledgeWay { items: Vec<NewItem> },
    /// Writing a pledge item's text.
    PledgeText { items: Vec<NewItem>, way: String },
    /// Asked for an item's optional target date.
    PledgeDate {
        items: Vec<NewItem>,
        way: String,
        text: String,
    },
    /// Offered to add another item or to submit.
    PledgeMore { items: Vec<NewItem> },
    /// A secretary writes why a version is returned.
    PledgeReturnComment { version: i64 },
    /// A member describes the difficulty of a blocked item.
    PledgeBlocked { round: i64, item: i64 },
    /// A member writes a phase-end self-assessment.
    PledgeAssessment { id: i64 },
    /// A secretary confirms a new check-in schedule.
    PledgeSchedule { crontab: String },
}

impl Waiting {
    /// The step names serde writes for the variants (the old `State`'s tags).
    pub const STEPS: &'static [&'static str] = &[
        "pledge_way",
        "pledge_text",
        "pledge_date",
        "pledge_more",
        "pledge_return_comment",
        "pledge_blocked",
        "pledge_assessment",
        "pledge_schedule",
    ];

    /// The conversation state that waits here.
    pub fn state(self) -> State {
        State::feature(super::NAME, &self)
    }

    /// The member's step, if it is one of the feature's.
    pub fn of(state: &State) -> Option<Self> {
        state.data_of(super::NAME)
    }
}

/// `/pledge`'s button: write a first pledge, or edit the one there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Write {
    New,
    Edit,
}

/// 再加一条 or 提交.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum More {
    Add,
    Submit,
}

/// The answer to a new check-in schedule's preview, or a preset chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    Yes,
    No,
    /// The `n`th of `domain::schedule::PRESETS`.
    Preset(usize),
}

/// A pledge button, as typed data. On the wire (what the buttons carried before they were
/// typed, so buttons already sent still work): `pe:new|edit`, `pw:<way>`, `pd:skip`,
/// `pm:add|submit`, `pr:<version>:ok|ret`, `pck:<round>:<item>:<progress>`,
/// `ps:yes|no|preset:<n>`, `pa:<assessment>`; at most [`MAX_DATA_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Start writing a (new version of the) pledge.
    Write(Write),
    /// The way of the next item.
    Way(Way),
    /// No target date.
    SkipDate,
    /// Another item, or submit.
    More(More),
    /// A reviewer approves (`approve`) or returns a version.
    Review { version: i64, approve: bool },
    /// A check-in answer about one item.
    CheckIn {
        round: i64,
        item: i64,
        progress: Progress,
    },
    /// A check-in schedule confirmed, kept, or a preset chosen.
    Schedule(Schedule),
    /// Write the self-assessment `id`.
    Assess(i64),
}

/// Telegram's limit on a button's data.
pub const MAX_DATA_BYTES: usize = 64;

/// The first fields of the feature's button data.
pub const ACTIONS: &[&str] = &["pw", "pd", "pm", "pe", "pr", "pck", "ps", "pa"];

impl Action {
    /// The button's data.
    pub fn encode(self) -> String {
        match self {
            Self::Write(Write::New) => "pe:new".into(),
            Self::Write(Write::Edit) => "pe:edit".into(),
            Self::Way(way) => format!("pw:{}", way.as_str()),
            Self::SkipDate => "pd:skip".into(),
            Self::More(More::Add) => "pm:add".into(),
            Self::More(More::Submit) => "pm:submit".into(),
            Self::Review { version, approve } => {
                format!("pr:{version}:{}", if approve { "ok" } else { "ret" })
            }
            Self::CheckIn {
                round,
                item,
                progress,
            } => format!("pck:{round}:{item}:{}", progress.as_str()),
            Self::Schedule(Schedule::Yes) => "ps:yes".into(),
            Self::Schedule(Schedule::No) => "ps:no".into(),
            Self::Schedule(Schedule::Preset(n)) => format!("ps:preset:{n}"),
            Self::Assess(id) => format!("pa:{id}"),
        }
    }

    /// What a button's data means; None for data this version never wrote.
    pub fn decode(data: &str) -> Option<Self> {
        let (action, value) = data.split_once(':')?;
        let mut parts = value.split(':');
        let mut id = || parts.next()?.parse::<i64>().ok();
        let action = match (action, value) {
            ("pe", "new") => Self::Write(Write::New),
            ("pe", "edit") => Self::Write(Write::Edit),
            ("pw", way) => Self::Way(Way::parse(way)?),
            ("pd", "skip") => Self::SkipDate,
            ("pm", "add") => Self::More(More::Add),
            ("pm", "submit") => Self::More(More::Submit),
            ("pr", _) => {
                let version = id()?;
                let approve = match parts.next()? {
                    "ok" => true,
                    "ret" => false,
                    _ => return None,
                };
                Self::Review { version, approve }
            }
            ("pck", _) => {
                let round = id()?;
                let item = id()?;
                let progress = Progress::parse(parts.next()?)?;
                Self::CheckIn {
                    round,
                    item,
                    progress,
                }
            }
            ("ps", "yes") => Self::Schedule(Schedule::Yes),
            ("ps", "no") => Self::Schedule(Schedule::No),
            ("ps", v) => Self::Schedule(Schedule::Preset(v.strip_prefix("preset:")?.parse().ok()?)),
            ("pa", v) => Self::Assess(v.parse().ok()?),
            _ => return None,
        };
        // Nothing after the last field ("pr:3:ok:x" was never written).
        if matches!(action, Self::Review { .. } | Self::CheckIn { .. }) && parts.next().is_some() {
            return None;
        }
        Some(action)
    }
}

/// A tapped (or typed) pledge button; `rest` is what was typed after a typed option, kept as a
/// check-in answer's note ("2 进度稍慢").
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    data: &str,
    rest: &str,
) -> Result<Step, StoreError> {
    let Some(action) = Action::decode(data) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let waiting = Waiting::of(state);
    match action {
        Action::Write(_) => write::start(cx, member),
        Action::Way(way) => write::way_chosen(cx, waiting, way),
        Action::SkipDate => write::date_given(cx, waiting, None),
        Action::More(more) => write::more(cx, conn, member, waiting, more).await,
        Action::Review { version, approve } => {
            review::chosen(cx, conn, member, version, approve).await
        }
        Action::CheckIn {
            round,
            item,
            progress,
        } => checkin::chosen(cx, conn, member, round, item, progress, rest).await,
        Action::Schedule(s) => schedule::chosen(cx, conn, member, waiting, s).await,
        Action::Assess(id) => assess::chosen(cx, id),
    }
}

/// Text that no open question took: the text a pledge step waits for, or, while check-in
/// questions are open, a word that matches none of their answers. None when the text is not
/// for pledges.
pub async fn unmatched(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    offered: &[Choice],
    text: &str,
) -> Result<Option<Step>, StoreError> {
    let step = match Waiting::of(state) {
        Some(w @ Waiting::PledgeText { .. }) => write::text_given(cx, w, text),
        Some(w @ Waiting::PledgeDate { .. }) => write::date_given(cx, Some(w), Some(text))?,
        Some(Waiting::PledgeReturnComment { version }) => {
            review::comment_given(cx, conn, member, version, text).await?
        }
        Some(Waiting::PledgeBlocked { round, item }) => {
            checkin::difficulty_given(cx, conn, member, round, item, text).await?
        }
        Some(Waiting::PledgeAssessment { id }) => {
            assess::text_given(cx, conn, member, id, text).await?
        }
        _ if offered.iter().any(|c| c.data.starts_with("pck:")) => Step::retry(
            cx.r(
                msg!("pledge-checkin-no-match"),
                &[(
                    "options",
                    crate::flows::engine::numbered_options(cx, offered).into(),
                )],
            ),
            state.clone(),
        ),
        _ => return Ok(None),
    };
    Ok(Some(step))
}

/// A choice labelled with `msg` in `locale`, typed as its label in any locale (for jobs, which
/// have no [`Ctx`]).
pub fn choice(catalog: &Catalog, locale: Locale, data: String, msg: Msg) -> Choice {
    Choice {
        data,
        label: catalog.text(locale, msg),
        aliases: Locale::ALL.iter().map(|l| catalog.text(*l, msg)).collect(),
    }
}

/// Those who run a branch (secretary, deputy, committee), who review and are told of
/// difficulties.
pub async fn managers(conn: &mut Conn, branch_id: i64) -> Result<Vec<Member>, StoreError> {
    Ok(members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.role.runs_branch())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_data_within_telegrams_64_bytes() {
        let mut all = vec![
            Action::Write(Write::New),
            Action::Write(Write::Edit),
            Action::SkipDate,
            Action::More(More::Add),
            Action::More(More::Submit),
            Action::Review {
                version: i64::MAX,
                approve: true,
            },
            Action::Review {
                version: 1,
                approve: false,
            },
            Action::Schedule(Schedule::Yes),
            Action::Schedule(Schedule::No),
            Action::Schedule(Schedule::Preset(3)),
            Action::Assess(i64::MAX),
        ];
        all.extend(Way::ALL.map(Action::Way));
        all.extend(Progress::ALL.map(|progress| Action::CheckIn {
            round: i64::MAX,
            item: i64::MAX,
            progress,
        }));
        for action in all {
            let data = action.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            let (first, _) = data.split_once(':').unwrap();
            assert!(ACTIONS.contains(&first), "{data}");
            assert_eq!(Action::decode(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn the_data_buttons_carry_today_reads_as_the_same_actions() {
        let today = [
            ("pe:new", Action::Write(Write::New)),
            ("pe:edit", Action::Write(Write::Edit)),
            ("pw:study", Action::Way(Way::Study)),
            ("pw:integrity", Action::Way(Way::Integrity)),
            ("pd:skip", Action::SkipDate),
            ("pm:add", Action::More(More::Add)),
            ("pm:submit", Action::More(More::Submit)),
            (
                "pr:42:ok",
                Action::Review {
                    version: 42,
                    approve: true,
                },
            ),
            (
                "pr:42:ret",
                Action::Review {
                    version: 42,
                    approve: false,
                },
            ),
            (
                "pck:7:31:on_track",
                Action::CheckIn {
                    round: 7,
                    item: 31,
                    progress: Progress::OnTrack,
                },
            ),
            (
                "pck:7:31:blocked",
                Action::CheckIn {
                    round: 7,
                    item: 31,
                    progress: Progress::Blocked,
                },
            ),
            ("ps:yes", Action::Schedule(Schedule::Yes)),
            ("ps:no", Action::Schedule(Schedule::No)),
            ("ps:preset:0", Action::Schedule(Schedule::Preset(0))),
            ("pa:12", Action::Assess(12)),
        ];
        for (data, action) in today {
            assert_eq!(Action::decode(data), Some(action), "{data}");
            assert_eq!(action.encode(), data);
        }
        for stale in [
            "",
            "pw",
            "pw:",
            "pw:fly",
            "pd:",
            "pm:more",
            "pr:x:ok",
            "pr:3",
            "pr:3:maybe",
            "pr:3:ok:1",
            "pck:1:2",
            "pck:1:2:late",
            "pck:1:2:done:3",
            "ps:preset:x",
            "pa:",
            "pa:x",
            "pe:",
            "rsvp:1:yes",
        ] {
            assert_eq!(Action::decode(stale), None, "{stale}");
        }
    }
}
