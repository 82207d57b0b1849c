//! The conversation's kernel: the channel-neutral types every layer speaks (what arrived, the
//! replies and their choices), typed-answer matching, and how a text is put as SMS. No I/O and
//! no feature: everything else imports from here, and this imports only [`crate::i18n`] and
//! [`crate::anonymity`] (to seal a conversation's open questions).
//!
//! Layout: [`matching`] turns typed text into a choice ([`fold`], [`match_choice`]);
//! [`questions`] keeps every message that offered choices answerable and says which one a typed
//! answer is for; [`sms`] renders choices as numbered options and counts segments.

pub mod matching;
pub mod questions;
pub mod sms;

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
