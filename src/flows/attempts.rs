//! The invite-code guard: limits how many wrong invite codes may be tried, so codes cannot be
//! guessed by brute force. Two limits, both kept in the database (`invite_failures`), so a
//! restart unlocks nothing and every replica counts the same:
//!
//! - per chat: after `per_chat` wrong codes within `lockout_minutes`, that chat is told to
//!   wait;
//! - overall: after `global` wrong codes from all chats together within `global_minutes`,
//!   every chat is told to wait (an attacker with many chats gets no more guesses than one).
//!
//! While a limit holds, a code is not even looked up (a right one is refused too, or the
//! limit would still answer guesses), and the refusal is not counted, so the lock lifts once
//! the window has passed. A chat is kept only as a hash ([`invites::chat_hash`]), and only for
//! the longer window.

use crate::config::InviteConfig;
use crate::store::{invites, Conn, StoreError};

const MINUTE_MS: i64 = 60_000;

/// The guard's limits (from `[invites]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BindAttempts {
    /// Wrong codes one chat may send within `lockout_ms`.
    pub per_chat: i64,
    pub lockout_ms: i64,
    /// Wrong codes all chats together may send within `global_ms`.
    pub global: i64,
    pub global_ms: i64,
}

impl Default for BindAttempts {
    fn default() -> Self {
        Self::new(&InviteConfig::default())
    }
}

/// Whether a code may be tried now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// This chat sent too many wrong codes; it may try again in this many minutes.
    ChatLocked {
        minutes: i64,
    },
    /// Too many wrong codes overall; everyone may try again in this many minutes.
    Busy {
        minutes: i64,
    },
}

impl BindAttempts {
    /// The limits configured in `[invites]`.
    pub fn new(config: &InviteConfig) -> Self {
        Self {
            per_chat: config.max_wrong_codes_per_chat,
            lockout_ms: config.lockout_minutes * MINUTE_MS,
            global: config.max_wrong_codes,
            global_ms: config.wrong_codes_window_minutes * MINUTE_MS,
        }
    }

    /// Whether this chat may try a code now.
    pub async fn check(
        &self,
        conn: &mut Conn,
        channel: &str,
        address: &str,
        now_ms: i64,
    ) -> Result<Verdict, StoreError> {
        let overall = invites::failures_since(conn, now_ms - self.global_ms).await?;
        if overall >= self.global {
            return Ok(Verdict::Busy {
                minutes: minutes(self.global_ms),
            });
        }
        let hash = invites::chat_hash(channel, address);
        let mine = invites::failures_of_chat(conn, &hash, now_ms - self.lockout_ms).await?;
        if mine >= self.per_chat {
            return Ok(Verdict::ChatLocked {
                minutes: minutes(self.lockout_ms),
            });
        }
        Ok(Verdict::Allowed)
    }

    /// Counts a wrong (unknown, used or expired) code from this chat.
    pub async fn failed(
        &self,
        conn: &mut Conn,
        channel: &str,
        address: &str,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let keep = self.lockout_ms.max(self.global_ms);
        invites::record_failure(
            conn,
            &invites::chat_hash(channel, address),
            now_ms,
            now_ms - keep,
        )
        .await
    }
}

fn minutes(ms: i64) -> i64 {
    (ms + MINUTE_MS - 1) / MINUTE_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limits_come_from_the_invites_section() {
        let a = BindAttempts::new(&InviteConfig {
            max_wrong_codes_per_chat: 3,
            lockout_minutes: 20,
            max_wrong_codes: 40,
            wrong_codes_window_minutes: 5,
            ..InviteConfig::default()
        });
        assert_eq!(
            a,
            BindAttempts {
                per_chat: 3,
                lockout_ms: 20 * MINUTE_MS,
                global: 40,
                global_ms: 5 * MINUTE_MS,
            }
        );
        assert_eq!(BindAttempts::default().per_chat, 5);
        assert_eq!(minutes(15 * MINUTE_MS), 15);
    }
}
