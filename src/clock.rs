//! The one source of "now". Production reads the system clock; tests run on paused tokio time,
//! where a [`Clock::Tokio`] clock starts at a chosen instant and advances with tokio's clock.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone)]
pub enum Clock {
    System,
    /// `start` is the wall time at `origin`; now = start + (tokio now − origin).
    Tokio {
        start: DateTime<Utc>,
        origin: tokio::time::Instant,
    },
}

impl Clock {
    /// A clock that reads `start` now and advances with tokio's (possibly paused) clock.
    pub fn starting_at(start: DateTime<Utc>) -> Self {
        Self::Tokio {
            start,
            origin: tokio::time::Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Self::System => Utc::now(),
            Self::Tokio { start, origin } => {
                let elapsed = tokio::time::Instant::now().duration_since(*origin);
                *start + TimeDelta::from_std(elapsed).unwrap_or(TimeDelta::MAX)
            }
        }
    }

    /// Now in Unix milliseconds, as stored in the database.
    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// How long until `at`, as a tokio duration (zero when it has passed).
    pub fn until(&self, at: DateTime<Utc>) -> std::time::Duration {
        (at - self.now()).to_std().unwrap_or_default()
    }
}
