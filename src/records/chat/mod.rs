//! The records in chat. `/activity` logs a service activity step by step (the kind by button,
//! the day, the place, the participants picked from the branch by button or typed by name,
//! the description, a preview to save); each participant is asked 确认参加 / 不是我.
//! `/plan [支部名]` reads a branch's work plan (a name in part is enough; without one, the
//! branches that published, or for the committee which have not), `/plan_publish [text]`
//! publishes the branch's, `/comment 支部名 [@学号] 点评` is the committee's 领导点评 and
//! `/comments` what the branch (or the member) was told. How refusals read is shared with the
//! command line. One file per part: [`activity`], [`plan`], [`comment`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::{self, DayError, TextError};
use super::service::{self, Answered, Denied, NewActivity, NewComment, Viewer};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Content, Ctx, Inbound, Reply, State};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::audit::Actor;
use crate::store::{members, Conn, StoreError};

mod activity;
mod comment;
mod plan;

pub use activity::{activity, chosen, file_sent, typed};
pub use comment::{comment, comments, phase_activity_line};
pub use plan::{missing_line, plan, plan_publish, plan_text};

/// The most members the participant picker offers as buttons.
const PICK_LIMIT: usize = 30;

/// Where a member is in writing a record (kept as the feature's step, `State::Feature`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "draft", rename_all = "snake_case")]
pub enum Draft {
    /// `/activity`: the kind is offered.
    ActivityKind,
    /// The day is typed next.
    ActivityDay { kind: String },
    /// The place is typed next.
    ActivityPlace { kind: String, day: NaiveDate },
    /// Participants are picked (the one logging is in from the start).
    ActivityWho {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
    },
    /// The description is typed next.
    ActivityText {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
    },
    /// The preview waits for 保存 / 取消; photos and files sent now are kept here
    /// (`attachments` ids, not attached yet) and attached to the activity when it is saved.
    ActivityPreview {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        photos: Vec<i64>,
    },
    /// `/plan_publish`: the plan's text is typed next.
    PlanText,
}

/// Renders the feature's texts in one locale.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub catalog: &'a Catalog,
    pub locale: Locale,
}

impl Words<'_> {
    pub fn t(&self, id: Msg) -> String {
        self.catalog.text(self.locale, id)
    }

    pub fn r(&self, id: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }

    pub fn list(&self, items: &[String]) -> String {
        items.join(&self.t(msg!("cli-list-separator")))
    }

    pub fn kind(&self, key: &str) -> String {
        rules::kind_name(self.catalog, self.locale, key)
    }

    /// `马超（S103）`.
    pub fn who(&self, name: &str, key: &str) -> String {
        self.r(
            msg!("dues-who"),
            &[("name", name.into()), ("key", key.into())],
        )
    }

    /// Why a day was refused.
    pub fn bad_day(&self, typed: &str, e: DayError) -> String {
        let id = match e {
            DayError::Unreadable => msg!("records-day-unreadable"),
            DayError::Future => msg!("records-day-future"),
            DayError::TooOld => msg!("records-day-too-old"),
        };
        self.r(id, &[("typed", typed.trim().into())])
    }

    /// Why a text was refused; `what` names it (the place, the description, the plan).
    pub fn bad_text(&self, what: Msg, e: TextError) -> String {
        let what = self.t(what);
        match e {
            TextError::Empty => self.r(msg!("records-text-empty"), &[("what", what.into())]),
            TextError::TooShort(min) => self.r(
                msg!("records-text-too-short"),
                &[("what", what.into()), ("min", min.into())],
            ),
            TextError::TooLong(max) => self.r(
                msg!("records-text-too-long"),
                &[("what", what.into()), ("max", max.into())],
            ),
        }
    }

    /// Why a request was not carried out, and what to do.
    pub fn denied(&self, d: &Denied) -> String {
        match d {
            Denied::NotAllowedToLog => self.t(msg!("records-log-not-allowed")),
            Denied::NotAllowedToPublish => self.t(msg!("records-plan-not-allowed")),
            Denied::NotAllowedToComment => self.t(msg!("records-comment-not-allowed")),
            Denied::NotInBranch(m) => self.r(
                msg!("records-not-in-branch"),
                &[("who", self.who(&m.name, &m.key).into())],
            ),
            Denied::NoParticipants => self.t(msg!("records-no-participants")),
            Denied::TooManyParticipants => self.r(
                msg!("records-too-many-participants"),
                &[("max", rules::MAX_PARTICIPANTS.into())],
            ),
            Denied::Text(what, e) => self.bad_text(*what, *e),
            Denied::NoCampaign => self.t(msg!("records-no-campaign")),
            Denied::NoSuchPhase(n, of) => self.r(
                msg!("records-no-such-phase"),
                &[("phase", (*n).into()), ("count", (*of).into())],
            ),
            Denied::PhaseNotStarted(n) => {
                self.r(msg!("records-phase-not-started"), &[("phase", (*n).into())])
            }
            Denied::AboutNotInBranch(m) => self.r(
                msg!("records-not-in-branch"),
                &[("who", self.who(&m.name, &m.key).into())],
            ),
        }
    }

    /// A comment as the branch reads it.
    pub fn comment(
        &self,
        c: &crate::domain::campaign::Campaign,
        k: &super::store::Comment,
    ) -> String {
        let title = c
            .phases
            .get(k.phase as usize)
            .map(|p| p.title.get(self.locale).to_owned())
            .unwrap_or_default();
        match &k.about {
            None => self.r(
                msg!("records-comment-line"),
                &[
                    ("title", title.into()),
                    ("branch", k.branch.as_str().into()),
                    ("text", k.body.as_str().into()),
                ],
            ),
            Some((name, key)) => self.r(
                msg!("records-comment-line-member"),
                &[
                    ("title", title.into()),
                    ("who", self.who(name, key).into()),
                    ("text", k.body.as_str().into()),
                ],
            ),
        }
    }
}

fn words<'a>(cx: &'a Ctx<'_>) -> Words<'a> {
    Words {
        catalog: cx.catalog,
        locale: cx.locale,
    }
}

fn today(cx: &Ctx<'_>) -> NaiveDate {
    cx.now().with_timezone(&cx.engine.tz).date_naive()
}

fn draft(d: Draft) -> State {
    State::feature(super::NAME, &d)
}

/// The text after the command word as it was typed (the command parser folds full-width
/// punctuation, which a plan or a comment keeps).
pub fn raw_arg(inbound: &Inbound) -> Option<&str> {
    match &inbound.content {
        Content::Text { text } => text
            .trim()
            .split_once(char::is_whitespace)
            .map(|(_, rest)| rest.trim())
            .filter(|r| !r.is_empty()),
        _ => None,
    }
}

/// Whether a typed text is for the draft (the preview waits for its buttons).
pub fn takes_text(d: &Draft) -> bool {
    !matches!(d, Draft::ActivityKind | Draft::ActivityPreview { .. })
}
