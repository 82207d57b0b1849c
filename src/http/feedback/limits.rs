//! Rate limits of the feedback page, kept in memory only: counters per fixed window, keyed by
//! a keyed hash of the client's address (or of a mobile number) under a key this process made
//! for itself, so not even the process's memory holds an address next to a count for longer
//! than a window, and nothing of it reaches the database or the logs.

use std::collections::HashMap;
use std::sync::Mutex;

/// At most `max` events per `window_ms` per key.
pub struct Window {
    window_ms: i64,
    max: u32,
    counts: Mutex<HashMap<String, (i64, u32)>>,
}

impl Window {
    pub fn new(window_ms: i64, max: u32) -> Self {
        Self {
            window_ms,
            max,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event for `key` at `now` (ms); false when the key is over its limit (the
    /// event is then not counted).
    pub fn take(&self, key: &str, now: i64) -> bool {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() > 50_000 {
            let window = self.window_ms;
            counts.retain(|_, (start, _)| now - *start < window);
        }
        let entry = counts.entry(key.to_owned()).or_insert((now, 0));
        if now - entry.0 >= self.window_ms {
            *entry = (now, 0);
        }
        if entry.1 >= self.max {
            return false;
        }
        entry.1 += 1;
        true
    }

    /// Whether `key` could take one more event now, without counting it.
    pub fn allows(&self, key: &str, now: i64) -> bool {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .get(key)
            .is_none_or(|(start, n)| now - start >= self.window_ms || *n < self.max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_refuses_past_its_limit_and_opens_again_when_it_ends() {
        let w = Window::new(1000, 2);
        assert!(w.take("a", 0));
        assert!(w.take("a", 10));
        assert!(!w.allows("a", 20));
        assert!(!w.take("a", 20));
        assert!(w.take("b", 20));
        assert!(w.take("a", 1000));
    }
}
