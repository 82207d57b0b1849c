//! Rate limits. A rate of `count` sends per `per` is kept as a strict sliding window, counted
//! the way the server counts it: no window of length `per`, wherever it starts, may see more
//! than `count` sends arrive.
//!
//! The server counts a request when it arrives, an instant the sender never sees: somewhere
//! between the moment the request was started and the moment its answer came back. Counting
//! sends from their start is not enough: a request that leaves late on the wire (or is queued
//! behind others on a busy machine) can arrive less than `per` after the request `count`
//! sends earlier arrived, although it started `per` later. So a send occupies the window from
//! its start until `per` after its answer: a new send goes only when fewer than `count` sends
//! are in flight or were answered within the last `per`. Then for any two sends `count` apart
//! the later one started at least `per` after the earlier one was answered, so it arrived at
//! least `per` after the earlier one arrived, whatever the network did in between. The price
//! is one round trip per `per` a slot: at 30 a second with answers in 5 ms, 29.85 a second.
//! A send whose answer never comes back to the limiter (its task died) is taken as answered
//! [`STALE`] after its start.
//!
//! A rate given a burst tolerance (`with_burst`, more than one) is a generic cell rate
//! algorithm (GCRA) instead: a "theoretical arrival time" and a send allowed when now is not
//! earlier than that time minus the tolerance (the platforms that document bursts, not
//! windows).
//!
//! A refusal says when to come back at the earliest, so a worker can put one busy chat aside
//! and go on with the others instead of waiting in line behind it. Time is tokio's, so limits
//! behave the same on paused time in tests.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use tokio::time::Instant;

/// A send whose answer was never reported is taken as answered this long after it started.
pub const STALE: Duration = Duration::from_secs(120);

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
    /// A strict window: the sends in flight (by permit, with their start) and the answers
    /// of the last `per`, oldest first.
    Window {
        inflight: BTreeMap<u64, Instant>,
        answered: VecDeque<Instant>,
    },
    /// The GCRA theoretical arrival time.
    Cell(Instant),
}

impl Meter {
    fn new(rate: &Rate, now: Instant) -> Self {
        if rate.windowed() {
            Meter::Window {
                inflight: BTreeMap::new(),
                answered: VecDeque::new(),
            }
        } else {
            Meter::Cell(now)
        }
    }

    /// When the next send is allowed (now or earlier: allowed now). While too many sends are
    /// in flight the answer is `now + per`, the earliest a slot can open.
    fn ready_at(&mut self, rate: &Rate, now: Instant) -> Instant {
        match self {
            Meter::Window { inflight, answered } => {
                while let Some((&seq, &start)) = inflight.first_key_value() {
                    if start + STALE > now {
                        break;
                    }
                    inflight.remove(&seq);
                    insert_sorted(answered, start + STALE);
                }
                while answered.front().is_some_and(|t| *t + rate.per <= now) {
                    answered.pop_front();
                }
                let count = rate.count.max(1) as usize;
                let live = inflight.len() + answered.len();
                if live < count {
                    return now;
                }
                // This many answers must age out of the window before one more may go.
                let need = live - count + 1;
                match answered.get(need - 1) {
                    Some(t) => *t + rate.per,
                    None => now + rate.per,
                }
            }
            Meter::Cell(tat) => tat.checked_sub(rate.tolerance()).unwrap_or(*tat),
        }
    }

    fn take(&mut self, rate: &Rate, seq: u64, now: Instant) {
        match self {
            Meter::Window { inflight, .. } => {
                inflight.insert(seq, now);
            }
            Meter::Cell(tat) => *tat = (*tat).max(now) + rate.interval(),
        }
    }

    /// The send `seq` was answered at `at`: it counts until `per` after that.
    fn answered(&mut self, seq: u64, at: Instant) {
        if let Meter::Window { inflight, answered } = self {
            if let Some(start) = inflight.remove(&seq) {
                insert_sorted(answered, at.max(start));
            }
        }
    }

    /// Whether the meter no longer holds anything back at `now` (and can be forgotten).
    fn idle(&self, rate: &Rate, now: Instant) -> bool {
        match self {
            Meter::Window { inflight, answered } => {
                inflight.values().all(|t| *t + STALE + rate.per <= now)
                    && answered.back().is_none_or(|t| *t + rate.per <= now)
            }
            Meter::Cell(tat) => *tat <= now,
        }
    }
}

/// Inserts `t` keeping `sorted` in order (answers mostly come in order: near the back).
fn insert_sorted(sorted: &mut VecDeque<Instant>, t: Instant) {
    let at = sorted.partition_point(|x| *x <= t);
    sorted.insert(at, t);
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

/// A send the limiter let out, to be handed back with the instant its answer came
/// ([`Limiter::answered`]): until then the send counts as in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permit {
    seq: u64,
    address: String,
}

/// The limiter state of one worker.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    overall: Meter,
    recipients: HashMap<String, Recipient>,
    last_sweep: Instant,
    next_seq: u64,
}

impl Limiter {
    pub fn new(limits: Limits) -> Self {
        let now = Instant::now();
        Self {
            overall: Meter::new(&limits.overall, now),
            limits,
            recipients: HashMap::new(),
            last_sweep: now,
            next_seq: 0,
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

    /// Takes a slot for `address` now, or says how long to wait at least. Nothing is taken on
    /// a refusal. The permit goes back to [`Limiter::answered`] once the send is answered.
    pub fn try_acquire(&mut self, address: &str, now: Instant) -> Result<Permit, Wait> {
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
        let seq = self.next_seq;
        self.next_seq += 1;
        let r = self
            .recipients
            .entry(address.to_owned())
            .or_insert_with(|| Recipient {
                meter: Meter::new(&rate, now),
                held: None,
            });
        r.meter.take(&rate, seq, now);
        self.overall.take(&self.limits.overall, seq, now);
        self.sweep(now);
        Ok(Permit {
            seq,
            address: address.to_owned(),
        })
    }

    /// The send of `permit` was answered at `at` (whatever the answer: a 429 or an error
    /// counts too, the request may have reached the server). It leaves the window `per` later.
    pub fn answered(&mut self, permit: Permit, at: Instant) {
        self.overall.answered(permit.seq, at);
        if let Some(r) = self.recipients.get_mut(&permit.address) {
            r.meter.answered(permit.seq, at);
        }
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
    use tokio::task::JoinSet;

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

    /// The most sends a server could have counted in one window of `per`, each send arriving
    /// at any instant between its start and its answer, chosen as badly as possible: for a
    /// window starting at `T` that is every send answered at or after `T` and started before
    /// `T + per`, and the worst `T` is one of the answers.
    fn busiest_at_server(sends: &[(Instant, Instant)], per: Duration) -> usize {
        sends
            .iter()
            .map(|&(_, t)| {
                sends
                    .iter()
                    .filter(|&&(start, answer)| answer >= t && start < t + per)
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    /// Sends to `addresses` (in turn) for `secs` seconds, each answered at once, waking up
    /// `late` after each time the limiter names; returns the instants of the sends.
    fn drive(l: &mut Limiter, addresses: &[&str], secs: u64, late: Duration) -> Vec<Instant> {
        let t0 = Instant::now();
        let mut now = t0;
        let mut sends = Vec::new();
        let mut next = 0;
        while now < t0 + Duration::from_secs(secs) {
            match l.try_acquire(addresses[next % addresses.len()], now) {
                Ok(permit) => {
                    l.answered(permit, now);
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

    /// One send as the server saw it: started, answered, refused with 429 or not.
    struct Sent {
        address: String,
        start: Instant,
        answer: Instant,
        refused: bool,
    }

    /// A delivery loop like the worker's, on tokio's (paused) clock: `rows` become due at
    /// their instants, sends run concurrently and each takes `latency(i)` to be answered, and
    /// the sends for which `refuse(i)` holds are answered 429 (the recipient held a second,
    /// the row sent again after). Returns every send.
    async fn deliver(
        limits: Limits,
        rows: Vec<(Duration, String)>,
        latency: impl Fn(usize) -> Duration,
        refuse: impl Fn(usize) -> bool,
    ) -> Vec<Sent> {
        let mut l = Limiter::new(limits);
        let t0 = Instant::now();
        // Rows by the instant they are due (deferred ones go back in with a later instant).
        let mut due: Vec<(Instant, String)> = rows.into_iter().map(|(d, a)| (t0 + d, a)).collect();
        let mut inflight: JoinSet<(Permit, Sent)> = JoinSet::new();
        let mut sends = Vec::new();
        let mut n = 0usize;
        let finish = |l: &mut Limiter, due: &mut Vec<(Instant, String)>, permit, sent: Sent| {
            l.answered(permit, sent.answer);
            if sent.refused {
                let until = sent.answer + Duration::from_secs(1);
                l.hold(&sent.address, until);
                due.push((until, sent.address.clone()));
            }
            sent
        };
        loop {
            while let Some(done) = inflight.try_join_next() {
                let (permit, sent) = done.unwrap();
                sends.push(finish(&mut l, &mut due, permit, sent));
            }
            if due.is_empty() && inflight.is_empty() {
                return sends;
            }
            due.sort_by_key(|(at, _)| *at);
            let now = Instant::now();
            let next = due.first().filter(|(at, _)| *at <= now).cloned();
            let wait_until = match next {
                None => due.first().map(|(at, _)| *at),
                Some((_, address)) => match l.try_acquire(&address, now) {
                    Ok(permit) => {
                        due.remove(0);
                        let (lat, refused) = (latency(n), refuse(n));
                        n += 1;
                        inflight.spawn(async move {
                            tokio::time::sleep(lat).await;
                            let answer = Instant::now();
                            let sent = Sent {
                                address,
                                start: now,
                                answer,
                                refused,
                            };
                            (permit, sent)
                        });
                        continue;
                    }
                    Err(Wait::Recipient(at)) => {
                        // Put aside; the others go on.
                        due[0].0 = at;
                        continue;
                    }
                    Err(Wait::Overall(at)) => Some(at),
                },
            };
            tokio::select! {
                _ = tokio::time::sleep_until(wait_until.unwrap_or(now + STALE)) => {}
                Some(done) = inflight.join_next(), if !inflight.is_empty() => {
                    let (permit, sent) = done.unwrap();
                    sends.push(finish(&mut l, &mut due, permit, sent));
                }
            }
        }
    }

    /// A pseudo-random latency from 0 to 250 ms, with one send in 17 taking 900 ms.
    fn jittery(i: usize) -> Duration {
        if i % 17 == 5 {
            return Duration::from_millis(900);
        }
        Duration::from_millis((i as u64 * 7919 + 13) % 251)
    }

    fn times(sends: &[Sent]) -> Vec<(Instant, Instant)> {
        sends.iter().map(|s| (s.start, s.answer)).collect()
    }

    #[tokio::test(start_paused = true)]
    async fn no_server_window_sees_thirty_one_whatever_the_latency_bursts_and_retries() {
        // 900 chats at once, then two bursts of 300 more, some of them to the same chats
        // again; latencies jump from 0 to 900 ms; one send in 23 is refused 429 and retried.
        let mut rows: Vec<(Duration, String)> = (0..900)
            .map(|i| (Duration::ZERO, format!("{}", 1000 + i)))
            .collect();
        for burst in [Duration::from_secs(40), Duration::from_millis(41_500)] {
            rows.extend((0..300).map(|i| (burst, format!("{}", 1000 + i * 3))));
        }
        let sends = deliver(Limits::telegram(), rows, jittery, |i| i % 23 == 7).await;
        let per = Duration::from_secs(1);
        assert_eq!(busiest_at_server(&times(&sends), per), 30);
        // Per chat: never two in one second at the server, whatever the order of arrivals.
        let mut chats: HashMap<&str, Vec<(Instant, Instant)>> = HashMap::new();
        for s in &sends {
            chats
                .entry(s.address.as_str())
                .or_default()
                .push((s.start, s.answer));
        }
        for (chat, sent) in &chats {
            assert!(busiest_at_server(sent, per) <= 1, "chat {chat}: {sent:?}");
        }
        // Nothing lost: every row was accepted once (the refused ones on a later try).
        let accepted = sends.iter().filter(|s| !s.refused).count();
        assert_eq!(accepted, 1500);
        assert!(sends.iter().any(|s| s.refused));
    }

    #[tokio::test(start_paused = true)]
    async fn the_thirty_first_waits_a_second_from_an_answer_not_from_a_start() {
        // The attack the answer-based count stands against: thirty sends go at once, the
        // first is slow (arrives after 400 ms), the others quick; counted from their starts,
        // the 31st could go at 1 s and arrive within 600 ms of the slow one.
        let rows: Vec<(Duration, String)> =
            (0..31).map(|i| (Duration::ZERO, i.to_string())).collect();
        let latency = |i: usize| Duration::from_millis(if i == 0 { 400 } else { 1 });
        let sends = deliver(Limits::telegram(), rows, latency, |_| false).await;
        let t0 = sends.iter().map(|s| s.start).min().unwrap();
        let last = sends.iter().map(|s| s.start).max().unwrap();
        assert_eq!(last, t0 + Duration::from_millis(1_001));
        assert_eq!(
            busiest_at_server(&times(&sends), Duration::from_secs(1)),
            30
        );
    }

    #[tokio::test(start_paused = true)]
    async fn answers_in_five_ms_still_give_twenty_nine_point_seven_a_second() {
        let rows: Vec<(Duration, String)> =
            (0..900).map(|i| (Duration::ZERO, i.to_string())).collect();
        let latency = |_| Duration::from_millis(5);
        let sends = deliver(Limits::telegram(), rows, latency, |_| false).await;
        let t0 = sends.iter().map(|s| s.start).min().unwrap();
        let window = t0 + Duration::from_secs(1)..t0 + Duration::from_secs(11);
        let in_ten = sends.iter().filter(|s| window.contains(&s.start)).count();
        assert!(in_ten >= 297, "{in_ten} sends in 10 s");
        assert_eq!(
            busiest_at_server(&times(&sends), Duration::from_secs(1)),
            30
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_send_never_answered_frees_its_slot_after_the_stale_delay() {
        let limits = Limits {
            overall: Rate::per_second(2),
            ..Limits::telegram()
        };
        let mut l = Limiter::new(limits);
        let t0 = Instant::now();
        let _lost = l.try_acquire("1", t0).unwrap();
        let kept = l.try_acquire("2", t0).unwrap();
        l.answered(kept, t0 + Duration::from_millis(10));
        let t = t0 + Duration::from_secs(5);
        // One slot is free again (the answered send is old); the lost one still holds its own.
        let p = l.try_acquire("3", t).unwrap();
        l.answered(p, t);
        assert_eq!(
            l.try_acquire("4", t),
            Err(Wait::Overall(t + Duration::from_secs(1)))
        );
        let late = t0 + STALE + Duration::from_secs(1);
        assert!(l.try_acquire("4", late).is_ok());
    }

    #[tokio::test(start_paused = true)]
    async fn one_chat_waits_a_second_after_its_answer_while_others_go_on() {
        let mut l = Limiter::new(Limits::telegram());
        let t0 = Instant::now();
        let p = l.try_acquire("1", t0).unwrap();
        let t = t0 + Duration::from_millis(40);
        // Still in flight: a second from now at the earliest.
        assert_eq!(
            l.try_acquire("1", t),
            Err(Wait::Recipient(t + Duration::from_secs(1)))
        );
        l.answered(p, t);
        assert!(l.try_acquire("2", t).is_ok());
        assert_eq!(
            l.try_acquire("1", t0 + Duration::from_secs(1)),
            Err(Wait::Recipient(t + Duration::from_secs(1)))
        );
        assert!(l.try_acquire("1", t + Duration::from_secs(1)).is_ok());
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
            if let Ok(p) = l.try_acquire(&i.to_string(), now) {
                l.answered(p, now);
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
        assert!(l.try_acquire("8", t0).is_ok());
        assert!(l.try_acquire("7", until).is_ok());
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
            assert!(l.try_acquire("1", t0).is_ok());
        }
        assert_eq!(
            l.try_acquire("1", t0),
            Err(Wait::Recipient(t0 + Duration::from_secs(1)))
        );
    }
}
