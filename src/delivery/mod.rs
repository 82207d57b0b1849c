//! Delivery: workers drain the outbox through a channel's sender, at the platform's rate
//! limits, recording every outcome on the row. See [`worker`] for the loop and [`limits`] for
//! the rate limiter.

pub mod budget;
pub mod limits;
pub mod route;
pub mod worker;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

use crate::chat::{ChannelKind, Choice};

/// Wakes the delivery worker of a channel when rows were queued.
#[derive(Debug, Clone, Default)]
pub struct Wake {
    telegram: Arc<Notify>,
    console: Arc<Notify>,
    sms: Arc<Notify>,
    wecom: Arc<Notify>,
}

impl Wake {
    pub fn get(&self, channel: ChannelKind) -> &Arc<Notify> {
        match channel {
            ChannelKind::Telegram => &self.telegram,
            ChannelKind::Console => &self.console,
            ChannelKind::Sms => &self.sms,
            ChannelKind::Wecom => &self.wecom,
        }
    }

    /// Wakes the channel's worker (the wake-up is kept if it is busy).
    pub fn notify(&self, channel: ChannelKind) {
        self.get(channel).notify_one();
    }
}

/// A message to send, as the sender sees it.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The outbox row's id.
    pub id: i64,
    pub address: String,
    pub text: String,
    pub choices: Vec<Choice>,
    /// The member behind the address, when known (SMS renders in their locale).
    pub member_id: Option<i64>,
    /// Urgent rows pass the SMS opt-out and daily cap; others wait or are refused.
    pub urgent: bool,
    /// A file to send with it (Telegram: as a photo or document, `text` its caption).
    pub attachment: Option<i64>,
}

/// Why a send failed, as far as retrying is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The platform asked to wait (HTTP 429 with retry_after).
    RetryAfter(Duration),
    /// Worth retrying with backoff: 5xx, timeouts, connection errors.
    Transient(String),
    /// The recipient blocked the bot or the chat does not exist: never retried.
    Unreachable(String),
    /// The request itself is wrong (400): retrying will not help.
    Permanent(String),
    /// Our own policy holds it back (an SMS number's daily cap): try again after `wait`,
    /// without counting an attempt or holding the recipient's other messages.
    Held { wait: Duration, reason: String },
}

pub type SendFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<String>, SendError>> + Send + 'a>>;

/// Sends one message on one channel. Returns the provider's message id, if any.
pub trait ChannelSender: Send + Sync + 'static {
    fn channel(&self) -> ChannelKind;
    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a>;
}
