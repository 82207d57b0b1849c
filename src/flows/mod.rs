//! Conversations, written once for every channel. A flow receives who is writing (a member or
//! an unknown sender), their text or chosen option, and answers with replies made of text plus
//! choices. Channels only translate: Telegram renders choices as buttons, the console and SMS
//! as numbered options, and a typed answer ("1", "中文", "English") is matched back to a
//! choice here, so no flow knows which channel it is on.
//!
//! Layout: [`engine`] runs one inbound update in one transaction (dedupe, sender, state,
//! replies); [`command`] parses what was typed; [`questions`] keeps every message that offered
//! choices answerable and says which one a typed answer is for; one file per intent
//! ([`start`], [`help`], [`me`], [`lang`], [`unbound`], [`campaign`]) or folder per feature
//! ([`notices`], [`pledges`], [`meetings`]: the 三会一课 flows, one file per intent).

pub mod attempts;
pub mod audit;
pub mod campaign;
pub mod command;
pub mod dashboard;
pub mod engine;
pub mod evaluation;
pub mod feedback;
pub mod help;
pub mod lang;
pub mod me;
pub mod meetings;
pub mod notices;
pub mod pledges;
pub mod questions;
pub mod spotcheck;
pub mod start;
pub mod unbound;

use serde::{Deserialize, Serialize};

use crate::domain::org::Member;
use crate::i18n::{Arg, Catalog, Locale, Msg};

/// Telegram's limit on a message's text, which the bot also applies to what it reads.
pub const MAX_TEXT_CHARS: usize = 4096;

/// The channel an update came from or a reply goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Telegram,
    Console,
    Sms,
    Wecom,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Telegram => "telegram",
            Self::Console => "console",
            Self::Sms => "sms",
            Self::Wecom => "wecom",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "telegram" => Some(Self::Telegram),
            "console" => Some(Self::Console),
            "sms" => Some(Self::Sms),
            "wecom" => Some(Self::Wecom),
            _ => None,
        }
    }
}

/// What arrived, in channel-neutral form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inbound {
    pub channel: ChannelKind,
    /// Where replies go: a Telegram chat id, a phone number, a console member key.
    pub address: String,
    pub content: Content,
    /// The sender's client language, for people the bot does not know yet.
    pub language_hint: Option<String>,
}

/// The content of an inbound update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Content {
    Text {
        text: String,
    },
    /// A tapped button: the choice's data.
    Choice {
        data: String,
    },
    /// A photo, sticker, voice message or anything else that is not text.
    Unsupported,
}

/// One option offered with a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// What comes back when it is chosen (Telegram callback data: at most 64 bytes).
    pub data: String,
    /// The label in the reader's locale.
    pub label: String,
    /// Other words that choose it when typed: the label in every locale.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
}

/// One message the bot sends back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub text: String,
    pub choices: Vec<Choice>,
    /// A reply of an anonymous flow (feedback, ballots): queued without a member under a keyed
    /// dedupe key, body and choices sealed, and once sent its address, body, provider id and
    /// precise times erased, so the outbox does not tie the sender to it (docs/PRIVACY.md).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
}

impl Reply {
    pub fn text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            choices: Vec::new(),
            anonymous: false,
        }
    }

    pub fn with_choices(text: impl Into<String>, choices: Vec<Choice>) -> Self {
        Self {
            text: text.into(),
            choices,
            anonymous: false,
        }
    }

    /// The same reply, marked anonymous (see [`Reply::anonymous`]).
    pub fn anonymous(mut self) -> Self {
        self.anonymous = true;
        self
    }
}

/// Where a member is in a multi-step conversation. Persisted, so a restart resumes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum State {
    #[default]
    Idle,
    /// Offered the language choice.
    ChoosingLanguage,
    /// Writing a pledge: choosing the way of the next item (the items so far are kept here
    /// until submitted).
    PledgeWay {
        items: Vec<crate::store::pledges::NewItem>,
    },
    /// Writing a pledge item's text.
    PledgeText {
        items: Vec<crate::store::pledges::NewItem>,
        way: String,
    },
    /// Asked for an item's optional target date.
    PledgeDate {
        items: Vec<crate::store::pledges::NewItem>,
        way: String,
        text: String,
    },
    /// Offered to add another item or to submit.
    PledgeMore {
        items: Vec<crate::store::pledges::NewItem>,
    },
    /// A secretary writes why a version is returned.
    PledgeReturnComment { version: i64 },
    /// A member describes the difficulty of a blocked item.
    PledgeBlocked { round: i64, item: i64 },
    /// A member writes a phase-end self-assessment.
    PledgeAssessment { id: i64 },
    /// A secretary confirms a new check-in schedule.
    PledgeSchedule { crontab: String },
    /// `/notice`: offered the scopes.
    NoticeScope,
    /// `/notice`: offered the branch's party groups.
    NoticeGroup,
    /// `/notice`: waiting for the text.
    NoticeText {
        scope: crate::domain::notices::Scope,
    },
    /// `/notice`: asked whether recipients must confirm (收到请回复).
    NoticeConfirm {
        scope: crate::domain::notices::Scope,
        text: String,
    },
    /// `/notice`: asked whether the notice is urgent.
    NoticeUrgent {
        scope: crate::domain::notices::Scope,
        text: String,
        confirm: bool,
    },
    /// `/notice`: the preview is shown; nothing is sent until [发送].
    NoticePreview { draft: notices::Draft },
    /// `/summary`: waiting for the branch's phase summary.
    SummaryText { campaign: String, phase: usize },
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
    /// Asked for a meeting's minutes: the text is typed next.
    MeetingMinutes { meeting_id: i64 },
    /// `/spotcheck`: a record is shown; offered 记录发现 / 换一个 / 取消. `narrow` is what the
    /// pick was narrowed to, for another one.
    SpotCheckShown { check: i64, narrow: String },
    /// `/spotcheck`: the finding is typed next.
    SpotCheckFinding { check: i64, narrow: String },
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

/// Matches typed text against the choices last offered: the number ("1", "１", "1."), or the
/// label or an alias, ignoring case, spaces and punctuation. Returns the choice and the rest of
/// the text after a leading number or word ("2 出差" gives choice 2 and "出差").
pub fn match_choice<'c>(choices: &'c [Choice], text: &str) -> Option<(&'c Choice, String)> {
    let folded = fold(text);
    let trimmed = folded.trim();
    // A leading number, then an optional separator and the rest. The number may be bracketed
    // ("[2]", "（2）") or follow the hint's own word ("回复2", "reply 2"), as typed on phones.
    let numbered =
        trimmed.trim_start_matches(|c: char| c.is_whitespace() || "([【「<《".contains(c));
    let numbered = ["回复", "reply"]
        .iter()
        .find_map(|w| {
            numbered
                .get(..w.len())
                .filter(|head| head.eq_ignore_ascii_case(w))
                .map(|_| numbered[w.len()..].trim_start())
        })
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(numbered);
    let digits: String = numbered.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = numbered[digits.len()..].trim_start_matches(|c: char| {
            c.is_whitespace() || ".、:：,，)）]】」>》-。!！?？;；\u{FE0F}\u{20E3}".contains(c)
        });
        let n: usize = digits.parse().ok()?;
        return choices
            .get(n.checked_sub(1)?)
            .map(|c| (c, rest.trim().to_owned()));
    }
    let bare = |s: &str| -> String {
        fold(s)
            .chars()
            .filter(|c| {
                !c.is_whitespace() && !c.is_ascii_punctuation() && !"。，、！？：；".contains(*c)
            })
            .collect::<String>()
            .to_lowercase()
    };
    let whole = bare(trimmed);
    for c in choices {
        for word in std::iter::once(&c.label).chain(&c.aliases) {
            let w = bare(word);
            if w.is_empty() {
                continue;
            }
            if whole == w {
                return Some((c, String::new()));
            }
            // "请假 出差": the word, then a reason.
            if let Some(rest) = strip_word(trimmed, &fold(word).to_lowercase()) {
                if rest.starts_with(|ch: char| ch.is_whitespace() || "，,：:".contains(ch)) {
                    let rest = rest
                        .trim_start_matches(|ch: char| ch.is_whitespace() || "，,：:".contains(ch));
                    return Some((c, rest.trim().to_owned()));
                }
            }
        }
    }
    None
}

/// The text after a leading `word` (already lower case), compared ignoring case. The cut is
/// found in the text itself: lower-casing may change a character's length (`İ` becomes two
/// characters), so a position in the lower-cased text is not one in the original.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let word = word.trim();
    if word.is_empty() {
        return None;
    }
    text.char_indices()
        .map(|(i, ch)| i + ch.len_utf8())
        .take_while(|&end| end <= 4 * word.len())
        .find(|&end| text[..end].to_lowercase() == word)
        .map(|end| &text[end..])
}

/// Folds full-width ASCII (as Chinese keyboards type it) to half-width.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice> {
        vec![
            Choice {
                data: "a".into(),
                label: "参加".into(),
                aliases: vec!["参加".into(), "Attend".into()],
            },
            Choice {
                data: "l".into(),
                label: "请假".into(),
                aliases: vec!["请假".into(), "Leave".into()],
            },
        ]
    }

    #[test]
    fn typed_numbers_choose_with_a_rest() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "1").map(|(c, r)| (c.data.as_str(), r)),
            Some(("a", String::new()))
        );
        assert_eq!(
            match_choice(&c, " ２ ").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", String::new()))
        );
        assert_eq!(
            match_choice(&c, "2 出差").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差".into()))
        );
        assert_eq!(
            match_choice(&c, "2、外出开会").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "外出开会".into()))
        );
        assert!(match_choice(&c, "3").is_none());
        assert!(match_choice(&c, "0").is_none());
    }

    #[test]
    fn numbers_typed_on_a_phone_keyboard_choose_too() {
        let c = choices();
        for typed in [
            "[2]",
            "（２）",
            "2。",
            "2!",
            "回复2",
            "Reply 2",
            "2\u{FE0F}\u{20E3}",
            " 【2】 ",
        ] {
            assert_eq!(
                match_choice(&c, typed).map(|(c, r)| (c.data.as_str(), r)),
                Some(("l", String::new())),
                "{typed:?}"
            );
        }
        assert_eq!(
            match_choice(&c, "回复 2 出差。").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差。".into()))
        );
        assert!(match_choice(&c, "回复").is_none());
    }

    #[test]
    fn typed_words_choose_in_either_locale() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "请假。").map(|(c, _)| c.data.as_str()),
            Some("l")
        );
        assert_eq!(
            match_choice(&c, "attend").map(|(c, _)| c.data.as_str()),
            Some("a")
        );
        assert_eq!(
            match_choice(&c, "请假 出差").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差".into()))
        );
        assert!(match_choice(&c, "maybe").is_none());
    }

    /// Lower-casing `İ` makes it longer, and the reason used to be cut at a position of the
    /// lower-cased text: a panic (a subtraction below zero), or a reason cut short.
    #[test]
    fn a_reason_whose_letters_change_length_in_lower_case_is_kept_whole() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "Leave İİİİİİİİ").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "İİİİİİİİ".into()))
        );
        assert_eq!(
            match_choice(&c, "LEAVE ẞ trip").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "ẞ trip".into()))
        );
    }
}
