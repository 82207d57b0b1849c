//! Conversations, written once for every channel. A flow receives who is writing (a member or
//! an unknown sender), their text or chosen option, and answers with replies made of text plus
//! choices. Channels only translate: Telegram renders choices as buttons, the console and SMS
//! as numbered options, and a typed answer ("1", "中文", "English") is matched back to a
//! choice here, so no flow knows which channel it is on.
//!
//! Layout: [`engine`] runs one inbound update in one transaction (dedupe, sender, state,
//! replies); [`command`] parses what was typed; [`questions`] keeps every message that offered
//! choices answerable and says which one a typed answer is for; the conversation's own
//! commands ([`start`]: binding, with [`attempts`], its guard; [`help`]; `/cancel`); the
//! features have folders of their own (`crate::org`, `crate::meetings`, `crate::notices`, …)
//! and plug in through [`feature`].

pub mod attempts;
pub mod command;
pub mod engine;
pub mod feature;
pub mod help;
pub mod questions;
pub mod start;

use serde::{Deserialize, Serialize};

pub use crate::chat::{
    fold, match_choice, ChannelKind, Choice, Content, Inbound, Reply, MAX_TEXT_CHARS,
};
use crate::domain::org::Member;
use crate::i18n::{Arg, Catalog, Locale, Msg};

/// Where a member is in a multi-step conversation. Persisted, so a restart resumes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    /// A feature's own waiting step ([`feature::Feature::on_text`]): which feature, and the
    /// data it stored, read by that feature alone ([`State::feature`], [`State::data_of`]).
    Feature {
        feature: String,
        data: serde_json::Value,
    },
}

impl State {
    /// `feature`'s waiting step with `data` (any serde value: a draft, an id).
    pub fn feature<T: Serialize>(feature: &str, data: &T) -> Self {
        Self::Feature {
            feature: feature.to_owned(),
            // A value the feature's own type wrote; serializing it does not fail.
            data: serde_json::to_value(data).unwrap_or_default(),
        }
    }

    /// The data of `feature`'s waiting step, if that is the step and it reads as `T`.
    pub fn data_of<T: serde::de::DeserializeOwned>(&self, feature: &str) -> Option<T> {
        match self {
            Self::Feature { feature: f, data } if f == feature => {
                serde_json::from_value(data.clone()).ok()
            }
            _ => None,
        }
    }
}

/// What a flow works with: the catalog, the reader's locale and, when known, the member.
pub struct Ctx<'a> {
    pub catalog: &'a Catalog,
    pub locale: Locale,
    pub member: Option<&'a Member>,
    pub now_ms: i64,
    /// The engine: the store, the organisation's zone and name, the scheduler's handle.
    pub engine: &'a engine::Engine,
    /// Through what the member acts (`telegram`, `sms`, `console`, or `cli` when the command
    /// line drives a flow): only the audit log reads it, no flow changes what it says by it.
    pub via: &'static str,
    /// Set when the step scheduled or moved jobs, so the scheduler is woken after the commit.
    pub scheduled: std::sync::atomic::AtomicBool,
    /// Set when the step pushed messages to other members, so the workers are woken.
    pub pushed: std::sync::atomic::AtomicBool,
}

impl<'a> Ctx<'a> {
    /// The same context speaking to `member` in their own locale.
    pub fn for_member(&self, member: &'a Member) -> Ctx<'a> {
        self.in_locale(member.locale, Some(member))
    }

    /// The same context in another locale.
    pub fn in_locale(&self, locale: Locale, member: Option<&'a Member>) -> Ctx<'a> {
        Ctx {
            catalog: self.catalog,
            locale,
            member,
            now_ms: self.now_ms,
            engine: self.engine,
            via: self.via,
            scheduled: std::sync::atomic::AtomicBool::new(false),
            pushed: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Now, as an instant.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(self.now_ms).unwrap_or_default()
    }

    /// Schedules a job inside the step's transaction; the scheduler is woken after the commit.
    pub async fn schedule(
        &self,
        conn: &mut crate::store::Conn,
        spec: &crate::scheduler::JobSpec,
    ) -> Result<Option<i64>, crate::scheduler::ScheduleError> {
        let id =
            crate::scheduler::plan::schedule(conn, self.engine.jobs.registry(), spec, self.now())
                .await?;
        self.scheduled
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(id)
    }

    /// Writes an administrative action by the acting member to the audit log, inside the
    /// step's transaction (so the action and its record stand or fall together).
    pub async fn audit(
        &self,
        conn: &mut crate::store::Conn,
        action: crate::store::audit::Action,
        subject: &str,
        detail: &str,
    ) -> Result<(), crate::store::StoreError> {
        let actor = match self.member {
            Some(m) => crate::store::audit::Actor::member(m, self.via),
            None => crate::store::audit::Actor::operator(),
        };
        crate::store::audit::record(conn, self.now_ms, &actor, action, subject, detail).await
    }

    /// Records that the step queued pushes some other way (through [`crate::delivery::route`]).
    pub fn mark_pushed(&self) {
        self.pushed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Records that the step changed jobs some other way (moved or cancelled them).
    pub fn mark_scheduled(&self) {
        self.scheduled
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Pushes a message to a member (not the sender: replies are returned) on the channel
    /// [`crate::delivery::route`] picks, inside the step's transaction.
    pub async fn push(
        &self,
        conn: &mut crate::store::Conn,
        member: &Member,
        reply: &Reply,
        push: &crate::delivery::route::Push,
    ) -> Result<crate::delivery::route::Route, crate::store::StoreError> {
        let route = crate::delivery::route::push(
            conn,
            self.catalog,
            member,
            reply,
            push,
            self.engine.sms_connected,
            self.now_ms,
        )
        .await?;
        self.pushed
            .store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(route)
    }
}

impl Ctx<'_> {
    pub fn t(&self, msg: Msg) -> String {
        self.catalog.text(self.locale, msg)
    }

    pub fn r(&self, msg: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, msg, args)
    }

    /// A choice labelled with `msg`, typed as its label in any locale.
    pub fn choice(&self, data: impl Into<String>, msg: Msg) -> Choice {
        Choice {
            data: data.into(),
            label: self.t(msg),
            aliases: Locale::ALL
                .iter()
                .map(|l| self.catalog.text(*l, msg))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Delivery writes a fresh conversation's step without naming [`State`]; a renamed variant
    /// or tag would make every pushed question reset the member's conversation to garbage.
    #[test]
    fn the_idle_step_delivery_writes_is_the_one_the_engine_reads() {
        let stored = crate::delivery::route::IDLE_STATE_JSON;
        assert_eq!(serde_json::to_string(&State::Idle).unwrap(), stored);
        assert_eq!(serde_json::from_str::<State>(stored).unwrap(), State::Idle);
    }
}
