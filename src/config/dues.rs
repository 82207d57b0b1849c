//! `[dues]`: what a college sets for the dues reminder. Its checks and crontab are in
//! `dues::rules`.

use serde::Deserialize;

/// What a college sets (`[dues]`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// The day of the month the reminder goes out (1–28; default 5).
    pub remind_day: u32,
    /// The time it goes out, `HH:MM` in the organisation's zone (default 10:00).
    pub remind_at: String,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            remind_day: 5,
            remind_at: "10:00".into(),
        }
    }
}
