//! Limits how many wrong invite codes one chat may try, so codes cannot be guessed by brute
//! force. The chat is remembered only in memory, as a keyed hash with a per-process key, and
//! only for the length of the window: nothing about an unknown sender reaches the database.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::{Arc, Mutex};

use std::collections::hash_map::RandomState;

/// Wrong codes allowed per chat within [`WINDOW_MS`].
pub const MAX_FAILURES: u32 = 5;
/// The window, in milliseconds.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;

/// Failures and the start of their window, per hashed chat.
#[derive(Debug, Default)]
struct Tally {
    key: RandomState,
    failures: HashMap<u64, (u32, i64)>,
}

#[derive(Debug, Clone, Default)]
pub struct BindAttempts {
    inner: Arc<Mutex<Tally>>,
}

impl BindAttempts {
    fn key(state: &RandomState, channel: &str, address: &str) -> u64 {
        state.hash_one((channel, address))
    }

    /// Whether this chat may try a code now.
    pub fn allowed(&self, channel: &str, address: &str, now_ms: i64) -> bool {
        let Ok(mut guard) = self.inner.lock() else {
            return true;
        };
        let Tally {
            key: state,
            failures: map,
        } = &mut *guard;
        let key = Self::key(state, channel, address);
        map.retain(|_, (_, since)| now_ms - *since < WINDOW_MS);
        map.get(&key).is_none_or(|(n, _)| *n < MAX_FAILURES)
    }

    /// Counts a wrong code.
    pub fn failed(&self, channel: &str, address: &str, now_ms: i64) {
        let Ok(mut guard) = self.inner.lock() else {
            return;
        };
        let Tally {
            key: state,
            failures: map,
        } = &mut *guard;
        let key = Self::key(state, channel, address);
        let entry = map.entry(key).or_insert((0, now_ms));
        entry.0 += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_codes_lock_a_chat_out_for_the_window() {
        let a = BindAttempts::default();
        for _ in 0..MAX_FAILURES {
            assert!(a.allowed("telegram", "1", 0));
            a.failed("telegram", "1", 0);
        }
        assert!(!a.allowed("telegram", "1", 1000));
        assert!(
            a.allowed("telegram", "2", 1000),
            "other chats are not affected"
        );
        assert!(a.allowed("telegram", "1", WINDOW_MS), "the window passes");
    }
}
