//! Rate limits, as the generic cell rate algorithm (GCRA): each limited thing keeps a
//! "theoretical arrival time" and a send is allowed when now is not earlier than that time
//! minus the burst tolerance. A refusal says when to come back, so a worker can put one busy
//! chat aside and go on with the others instead of waiting in line behind it.
//!
//! Time is tokio's, so limits behave the same on paused time in tests.

use std::collections::HashMap;
use std::time::Duration;

use tokio::time::Instant;

/// One rate: `count` sends per `per`, with bursts of up to `burst` sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: u32,
    pub per: Duration,
    pub burst: u32,
}

impl Rate {
    pub const fn per_second(count: u32) -> Self {
        Self {
            count,
            per: Duration::from_secs(1),
            burst: 1,
        }
    }

    pub const fn per_minute(count: u32) -> Self {
        Self {
            count,
            per: Duration::from_secs(60),
            burst: 1,
        }
    }

    /// The same rate, tolerating bursts of `burst` sends.
    pub const fn with_burst(self, burst: u32) -> Self {
        Self { burst, ..self }
    }

    fn interval(&self) -> Duration {
        self.per / self.count.max(1)
    }

    fn tolerance(&self) -> Duration {
        self.interval() * self.burst.saturating_sub(1)
    }
}

/// One GCRA cell.
#[derive(Debug, Clone, Copy)]
struct Cell {
    tat: Instant,
}

impl Cell {
    fn ready_at(&self, rate: &Rate) -> Instant {
        self.tat.checked_sub(rate.tolerance()).unwrap_or(self.tat)
    }

    fn take(&mut self, rate: &Rate, now: Instant) {
        self.tat = self.tat.max(now) + rate.interval();
    }
}

/// Limits for one channel: an overall rate, a rate per private chat and a rate per group chat.
#[derive(Debug, Clone)]
pub struct Limits {
    pub overall: Rate,
    pub per_chat: Rate,
    pub per_group: Rate,
}

impl Limits {
    /// Telegram's documented ceilings: about 30 messages a second overall, one a second per
    /// chat, 20 a minute per group.
    pub fn telegram() -> Self {
        Self {
            // A burst of two absorbs the timer's lateness (a wake-up a millisecond after the
            // slot would otherwise lose that millisecond at every message) without ever
            // going above 31 in any one second.
            overall: Rate::per_second(30).with_burst(2),
            per_chat: Rate::per_second(1),
            per_group: Rate::per_minute(20),
        }
    }

    /// No practical limit (local channels, benchmarks of the engine's own ceiling).
    pub fn unlimited() -> Self {
        Self {
            overall: Rate::per_second(1_000_000),
            per_chat: Rate::per_second(1_000_000),
            per_group: Rate::per_second(1_000_000),
        }
    }
}

impl Rate {
    /// How many sends this rate lets out within `window` (at least one).
    pub fn within(&self, window: Duration) -> u64 {
        let per = self.per.as_nanos().max(1);
        let n = window.as_nanos() * u128::from(self.count) / per + u128::from(self.burst);
        u64::try_from(n).unwrap_or(u64::MAX).max(1)
    }
}

/// Why a send must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// This recipient is busy until then: put the message aside and go on with others.
    Recipient(Instant),
    /// The channel as a whole is at its ceiling until then.
    Overall(Instant),
}

/// The limiter state of one worker.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    overall: Cell,
    recipients: HashMap<String, Cell>,
    last_sweep: Instant,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        let now = Instant::now();
        Self {
            limits,
            overall: Cell { tat: now },
            recipients: HashMap::new(),
            last_sweep: now,
        }
    }

    fn recipient_rate(&self, address: &str) -> Rate {
        // Telegram group and channel chat ids are negative.
        if address.starts_with('-') {
            self.limits.per_group
        } else {
            self.limits.per_chat
        }
    }

    /// Takes a slot for `address` now, or says how long to wait. Nothing is taken on a refusal.
    pub fn try_acquire(&mut self, address: &str, now: Instant) -> Result<(), Wait> {
        let rate = self.recipient_rate(address);
        let cell = self
            .recipients
            .get(address)
            .copied()
            .unwrap_or(Cell { tat: now });
        let ready = cell.ready_at(&rate);
        if ready > now {
            return Err(Wait::Recipient(ready));
        }
        let overall_ready = self.overall.ready_at(&self.limits.overall);
        if overall_ready > now {
            return Err(Wait::Overall(overall_ready));
        }
        let mut cell = cell;
        cell.take(&rate, now);
        self.recipients.insert(address.to_owned(), cell);
        let overall_rate = self.limits.overall;
        self.overall.take(&overall_rate, now);
        self.sweep(now);
        Ok(())
    }

    /// Holds a recipient back until `until` (the platform answered 429 for it).
    pub fn hold(&mut self, address: &str, until: Instant) {
        let cell = self
            .recipients
            .entry(address.to_owned())
            .or_insert(Cell { tat: until });
        cell.tat = cell.tat.max(until);
    }

    /// Forgets recipients whose cells are in the past, so memory stays flat.
    fn sweep(&mut self, now: Instant) {
        if now.duration_since(self.last_sweep) < Duration::from_secs(60) {
            return;
        }
        self.last_sweep = now;
        self.recipients.retain(|_, c| c.tat > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn one_chat_waits_a_second_while_others_go_on() {
        let mut l = Limiter::new(Limits::telegram());
        let t0 = Instant::now();
        assert_eq!(l.try_acquire("1", t0), Ok(()));
        let t = t0 + Duration::from_millis(40);
        assert_eq!(
            l.try_acquire("1", t),
            Err(Wait::Recipient(t0 + Duration::from_secs(1)))
        );
        assert_eq!(l.try_acquire("2", t), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn overall_rate_is_thirty_a_second_even_when_every_wake_up_is_late() {
        for late in [
            Duration::ZERO,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ] {
            let mut l = Limiter::new(Limits::telegram());
            let t0 = Instant::now();
            let mut sent = 0;
            let mut now = t0;
            while now < t0 + Duration::from_secs(10) {
                match l.try_acquire(&sent.to_string(), now) {
                    Ok(()) => sent += 1,
                    Err(Wait::Overall(at)) => now = at + late,
                    Err(Wait::Recipient(_)) => unreachable!("every address is new"),
                }
            }
            // 30 a second, plus at most the burst of two at the start.
            assert!(
                (300..=302).contains(&sent),
                "{sent} sent in 10 s with wake-ups {late:?} late"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn groups_get_twenty_a_minute() {
        let mut l = Limiter::new(Limits::telegram());
        let t0 = Instant::now();
        assert_eq!(l.try_acquire("-100", t0), Ok(()));
        assert_eq!(
            l.try_acquire("-100", t0 + Duration::from_secs(2)),
            Err(Wait::Recipient(t0 + Duration::from_secs(3)))
        );
    }
}
