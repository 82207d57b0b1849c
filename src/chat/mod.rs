//! The conversation's kernel: the channel-neutral types every layer speaks (what arrived, the
//! replies and their choices), typed-answer matching, and how a text is put as SMS. No I/O and
//! no feature: everything else imports from here, and this imports only [`crate::i18n`] and
//! [`crate::anonymity`] (to seal a conversation's open questions).
//!
//! Layout: [`dates`] names a time as a reader reads it; [`matching`] turns typed text into a choice ([`fold`], [`match_choice`]);
//! [`questions`] keeps every message that offered choices answerable and says which one a typed
//! answer is for; [`sms`] renders choices as numbered options and counts segments; [`sources`]
//! is where a channel's files are fetched from (the shapes only: channels give them, the
//! engine holds them).

pub mod dates;
pub mod matching;
pub mod questions;
pub mod sms;
pub mod sources;

use serde::{Deserialize, Serialize};

pub use matching::{fold, match_choice};

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
    /// A photo or a document: what the platform says about it, and what became of it once
    /// the engine fetched it ([`FileRef::outcome`]).
    File(FileRef),
    /// A sticker, voice message or anything else that is neither text nor a file.
    Unsupported,
}

/// A file someone sent, as the platform announced it. Nothing here is trusted: the name is only
/// shown (never used as a path), the size only lets an oversized file be refused before it is
/// fetched, and the type is sniffed from the bytes once they are here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRef {
    /// The platform's reference to fetch it by (a Telegram `file_id`, a WeCom `MediaId`).
    pub id: String,
    /// Sent as a photo (Telegram's compressed photo, a WeCom image) rather than a document.
    #[serde(default)]
    pub photo: bool,
    /// The name the sender's client declared, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The size the platform declared, in bytes, if it says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// What fetching it came to; `None` until the engine has fetched it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Fetched>,
    /// How many fetches failed for now (the engine tries again later).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attempts: u32,
    /// After a failed fetch: not tried again before this instant (ms).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<i64>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What became of a fetched file, written into the stored update so that processing it again
/// (a retry, a crash) neither fetches nor stores it twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fetched {
    /// Accepted and stored as this attachment (not yet attached to anything).
    Stored { attachment: i64 },
    /// Refused by the limits after it was fetched: the Fluent id of the refusal, its size
    /// limit and the type found in its bytes where they matter.
    Refused {
        message: String,
        #[serde(default)]
        limit_bytes: u64,
        #[serde(default)]
        detected: String,
    },
    /// It could not be fetched: the platform refused for good, or it kept failing.
    Failed,
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
