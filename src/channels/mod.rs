//! Channels translate between a platform and the conversation core: they turn what arrives
//! into [`crate::chat::Inbound`] rows in the inbox, and send outbox rows, rendering choices
//! as the platform allows (buttons on Telegram, numbered options in text).

pub mod console;
pub mod sms;
pub mod telegram;
pub mod wecom;

use std::sync::Arc;

use tokio::sync::Notify;

use crate::chat::Choice;
use crate::flows::engine::Engine;

/// What a channel's webhook handlers share: the engine that stores what arrives, the signal
/// that wakes the inbox processor, and the channel's own settings (`None` when the channel is
/// off, and its routes answer 404). Each channel's `router` takes one; `http` merges them.
pub struct Hook<T: ?Sized> {
    pub engine: Engine,
    pub inbox: Arc<Notify>,
    pub channel: Option<Arc<T>>,
}

// By hand: a derived `Clone` would ask `T: Clone`, which `str` is not.
impl<T: ?Sized> Clone for Hook<T> {
    fn clone(&self) -> Self {
        Self {
            engine: self.engine.clone(),
            inbox: Arc::clone(&self.inbox),
            channel: self.channel.clone(),
        }
    }
}

/// Choices as numbered options on one line: `[1] 中文  [2] English`.
pub fn numbered(choices: &[Choice]) -> String {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("[{}] {}", i + 1, c.label))
        .collect::<Vec<_>>()
        .join("  ")
}
