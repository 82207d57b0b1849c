//! Rate limits. A rate of `count` sends per `per` is kept as a strict sliding window: a send
//! is allowed only when the `count`-th previous send is at least `per` old, so no window of
//! length `per`, wherever it starts, ever holds more than `count` sends — the way Telegram
//! counts. Lateness does not add up: a wake-up a millisecond late costs that millisecond once
//! a window, not at every message.
//!
//! A rate given a burst tolerance (`with_burst`, more than one) is a generic cell rate
//! algorithm (GCRA) instead: a "theoretical arrival time" and a send allowed when now is not
//! earlier than that time minus the tolerance (the platforms that document bursts, not
//! windows).
//!
//! A refusal says when to come back, so a worker can put one busy chat aside and go on with the
//! others instead of waiting in line behind it. Time is tokio's, so limits behave the same on
//! paused time in tests.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// One rate: `count` sends per `per`; with a burst above one, bursts of up to `burst` sends
/// and `count` per `per` on average.
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

    /// The same rate, tolerating bursts of `burst` sends (GCRA rather than a window).
    pub const fn with_burst(self, burst: u32) -> Self {
        Self { burst, ..self }
    }

    fn windowed(&self) -> bool {
        self.burst <= 1
    }

    fn interval(&self) -> Duration {
        self.per / self.count.max(1)
    }

    fn tolerance(&self) -> Duration {
        self.interval() * self.burst.saturating_sub(1)
    }

    /// How many sends this rate lets out within `window` (at least one), on average.
    pub fn within(&self, window: Duration) -> u64 {
        let per = self.per.as_nanos().max(1);
        let n = window.as_nanos() * u128::from(self.count) / per + u128::from(self.burst);
        u64::try_from(n).unwrap_or(u64::MAX).max(1)
    }
}

/// The sends one rate has counted.
#[derive(Debug, Clone)]
enum Meter {
    /// The instants of the sends within the last `per`, oldest first.
    Window(VecDeque<Instant>),
    /// The GCRA theoretical arrival time.
    Cell(Instant),
}

impl Meter {
    fn new(rate: &Rate, now: Instant) -> Self {
        if rate.windowed() {
            Meter::Window(VecDeque::new())
        } else {
            Meter::Cell(now)
        }
    }

    /// When the next send is allowed (now or earlier: allowed now).
    fn ready_at(&mut self, rate: &Rate, now: Instant) -> Instant {
        match self {
            Meter::Window(sends) => {
                while sends.front().is_some_and(|t| *t + rate.per <= now) {
                    sends.pop_front();
                }
                let count = rate.count.max(1) as usize;
                if sends.len() < count {
                    now
                } else {
                    sends[sends.len() - count] + rate.per
                }
            }
            Meter::Cell(tat) => tat.checked_sub(rate.tolerance()).unwrap_or(*tat),
        }
    }

    fn take(&mut self, rate: &Rate, now: Instant) {
        match self {
            Meter::Window(sends) => sends.push_back(now),
            Meter::Cell(tat) => *tat = (*tat).max(now) + rate.interval(),
        }
    }

    /// Whether the meter no longer holds anything back at `now` (and can be forgotten).
    fn idle(&self, rate: &Rate, now: Instant) -> bool {
        match self {
            Meter::Window(sends) => sends.back().is_none_or(|t| *t + rate.per <= now),
            Meter::Cell(tat) => *tat <= now,
        }
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
    /// Telegram's documented ceilings: 30 messages a second overall, one a second per chat,
    /// 20 a minute per group, each counted in sliding windows.
    pub fn telegram() -> Self {
        Self {
            overall: Rate::per_second(30),
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

/// Why a send must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// This recipient is busy until then: put the message aside and go on with others.
    Recipient(Instant),
    /// The channel as a whole is at its ceiling until then.
    Overall(Instant),
}

/// What the limiter keeps for one recipient.
#[derive(Debug, Clone)]
struct Recipient {
    meter: Meter,
    /// Held back until then (the platform answered 429).
    held: Option<Instant>,
}

/// The limiter state of one worker.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    overall: Meter,
    recipients: HashMap<String, Recipient>,
    last_sweep: Instant,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        let now = Instant::now();
        Self {
            overall: Meter::new(&limits.overall, now),
            limits,
            recipients: HashMap::new(),
            last_sweep: now,
        }
    }

    fn recipient_rate(limits: &Limits, address: &str) -> Rate {
        // Telegram group and channel chat ids are negative.
        if address.starts_with('-') {
            limits.per_group
        } else {
            limits.per_chat
        }
    }

    /// Takes a slot for `address` now, or says how long to wait. Nothing is taken on a refusal.
    pub fn try_acquire(&mut self, address: &str, now: Instant) -> Result<(), Wait> {
        let rate = Self::recipient_rate(&self.limits, address);
        if let Some(r) = self.recipients.get_mut(address) {
            let ready = r.meter.ready_at(&rate, now).max(r.held.unwrap_or(now));
            if ready > now {
                return Err(Wait::Recipient(ready));
            }
        }
        let overall_ready = self.overall.ready_at(&self.limits.overall, now);
        if overall_ready > now {
            return Err(Wait::Overall(overall_ready));
        }
        let r = self
            .recipients
            .entry(address.to_owned())
            .or_insert_with(|| Recipient {
                meter: Meter::new(&rate, now),
                held: None,
            });
        r.meter.take(&rate, now);
        self.overall.take(&self.limits.overall, now);
        self.sweep(now);
        Ok(())
    }

    /// Holds a recipient back until `until` (the platform answered 429 for it).
    pub fn hold(&mut self, address: &str, until: Instant) {
        let rate = Self::recipient_rate(&self.limits, address);
        let r = self
            .recipients
            .entry(address.to_owned())
            .or_insert_with(|| Recipient {
                meter: Meter::new(&rate, until),
                held: None,
            });
        r.held = Some(r.held.map_or(until, |h| h.max(until)));
    }

    /// Forgets recipients that hold nothing back any more, so memory stays flat.
    fn sweep(&mut self, now: Instant) {
        if now.duration_since(self.last_sweep) < Duration::from_secs(60) {
            return;
        }
        self.last_sweep = now;
        let limits = &self.limits;
        self.recipients.retain(|address, r| {
            let rate = Self::recipient_rate(limits, address);
            !r.meter.idle(&rate, now) || r.held.is_some_and(|h| h > now)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The most sends any window of `per` holds, wherever it starts.
    fn busiest_window(sends: &[Instant], per: Duration) -> usize {
        (0..sends.len())
            .map(|i| {
                sends[i..]
                    .iter()
                    .take_while(|t| **t < sends[i] + per)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// Sends to `addresses` (in turn) for `secs` seconds, waking up `late` after each time the
    /// limiter names; returns the instants of the sends.
    fn drive(l: &mut Limiter, addresses: &[&str], secs: u64, late: Duration) -> Vec<Instant> {
        let t0 = Instant::now();
        let mut now = t0;
        let mut sends = Vec::new();
        let mut next = 0;
        while now < t0 + Duration::from_secs(secs) {
            match l.try_acquire(addresses[next % addresses.len()], now) {
                Ok(()) => {
                    sends.push(now);
                    next += 1;
                }
                Err(Wait::Overall(at) | Wait::Recipient(at)) => {
                    assert!(at > now, "a refusal names a later instant");
                    now = at + late;
                }
            }
        }
        sends
    }

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
        assert_eq!(l.try_acquire("1", t0 + Duration::from_secs(1)), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn no_second_ever_holds_thirty_one_and_thirty_a_second_are_reached() {
        let addresses: Vec<String> = (1..=5000).map(|i| i.to_string()).collect();
        let addresses: Vec<&str> = addresses.iter().map(String::as_str).collect();
        for late in [
            Duration::ZERO,
            Duration::from_millis(1),
            Duration::from_millis(5),
        ] {
            let mut l = Limiter::new(Limits::telegram());
            let sends = drive(&mut l, &addresses, 10, late);
            assert_eq!(busiest_window(&sends, Duration::from_secs(1)), 30);
            // The full rate: at least 29.7 a second even with every wake-up late.
            assert!(
                sends.len() >= 297,
                "{} sent in 10 s with wake-ups {late:?} late",
                sends.len()
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn sends_spread_unevenly_still_never_exceed_the_window() {
        // Sends at uneven instants (a worker that stalls now and then): no window of one
        // second holds more than 30 wherever it starts.
        let mut l = Limiter::new(Limits::telegram());
        let t0 = Instant::now();
        let mut sends = Vec::new();
        let mut now = t0;
        let mut i = 0u64;
        while now < t0 + Duration::from_secs(20) {
            if l.try_acquire(&i.to_string(), now).is_ok() {
                sends.push(now);
                i += 1;
            }
            now += Duration::from_millis(1 + (i * 7919) % 23);
        }
        assert_eq!(busiest_window(&sends, Duration::from_secs(1)), 30);
    }

    #[tokio::test(start_paused = true)]
    async fn one_chat_gets_one_a_second_and_a_group_twenty_a_minute() {
        let mut l = Limiter::new(Limits::telegram());
        let chat = drive(&mut l, &["42"], 10, Duration::ZERO);
        assert_eq!(busiest_window(&chat, Duration::from_secs(1)), 1);
        assert_eq!(chat.len(), 10);

        let mut l = Limiter::new(Limits::telegram());
        let group = drive(&mut l, &["-100"], 180, Duration::from_millis(3));
        assert_eq!(busiest_window(&group, Duration::from_secs(60)), 20);
        assert_eq!(group.len(), 60);
        let t0 = group[0];
        assert_eq!(
            l.try_acquire("-100", t0 + Duration::from_secs(2)),
            Err(Wait::Recipient(group[40] + Duration::from_secs(60)))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_held_recipient_waits_until_the_hold_ends() {
        let mut l = Limiter::new(Limits::telegram());
        let t0 = Instant::now();
        let until = t0 + Duration::from_secs(5);
        l.hold("7", until);
        assert_eq!(l.try_acquire("7", t0), Err(Wait::Recipient(until)));
        assert_eq!(l.try_acquire("8", t0), Ok(()));
        assert_eq!(l.try_acquire("7", until), Ok(()));
    }

    #[tokio::test(start_paused = true)]
    async fn a_rate_with_a_burst_lets_the_burst_out_then_paces() {
        let limits = Limits {
            overall: Rate::per_second(1000),
            per_chat: Rate::per_second(1).with_burst(3),
            per_group: Rate::per_second(1),
        };
        let mut l = Limiter::new(limits);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert_eq!(l.try_acquire("1", t0), Ok(()));
        }
        assert_eq!(
            l.try_acquire("1", t0),
            Err(Wait::Recipient(t0 + Duration::from_secs(1)))
        );
    }
}
