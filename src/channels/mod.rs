//! Channels translate between a platform and the conversation core: they turn what arrives
//! into [`crate::chat::Inbound`] rows in the inbox, and send outbox rows, rendering choices
//! as the platform allows (buttons on Telegram, numbered options in text).

pub mod console;
pub mod sms;
pub mod telegram;
pub mod wecom;

use crate::chat::Choice;

/// Choices as numbered options on one line: `[1] 中文  [2] English`.
pub fn numbered(choices: &[Choice]) -> String {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("[{}] {}", i + 1, c.label))
        .collect::<Vec<_>>()
        .join("  ")
}
