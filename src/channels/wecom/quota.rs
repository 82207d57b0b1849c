//! WeCom's per-member limits, kept exactly: an app may send one member about 30 messages a
//! minute and 1,000 an hour, and WeCom silently drops what goes over. [`wait`] answers, from
//! what a member was sent in the last hour, whether `n` more messages may go now and, if not,
//! how long until they may. Sliding windows, not buckets: no minute ever holds more than the
//! limit, wherever it starts.

/// The per-member limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub per_minute: i64,
    pub per_hour: i64,
}

const MINUTE: i64 = 60_000;
const HOUR: i64 = 3_600_000;

/// `sent` holds (Unix ms, messages) of sends to one member; `n` more would go at `now`.
/// None: they may go now. Some(ms): wait that long.
pub fn wait(quota: Quota, sent: &[(i64, i64)], now: i64, n: i64) -> Option<i64> {
    let mut sent: Vec<(i64, i64)> = sent
        .iter()
        .copied()
        .filter(|(at, _)| *at > now - HOUR)
        .collect();
    sent.sort_unstable();
    let minute = window_wait(&sent, now, n, MINUTE, quota.per_minute);
    let hour = window_wait(&sent, now, n, HOUR, quota.per_hour);
    match (minute, hour) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0).max(b.unwrap_or(0))),
    }
}

/// How long until `n` more fit in every window of `width` ending at or after then.
fn window_wait(sent: &[(i64, i64)], now: i64, n: i64, width: i64, limit: i64) -> Option<i64> {
    let inside: Vec<(i64, i64)> = sent
        .iter()
        .copied()
        .filter(|(at, _)| *at > now - width)
        .collect();
    let mut total: i64 = inside.iter().map(|(_, k)| k).sum();
    // More than the limit at once can never fit; send it into an empty window.
    let need = limit - n.min(limit);
    if total <= need {
        return None;
    }
    for (at, k) in inside {
        total -= k;
        if total <= need {
            // Once this send leaves the window (it is older than `width`), they fit.
            return Some((at + width - now).max(1));
        }
    }
    Some(width)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: Quota = Quota {
        per_minute: 30,
        per_hour: 1000,
    };

    #[test]
    fn thirty_fit_in_a_minute_and_the_thirty_first_waits_for_the_first_to_age() {
        let sent: Vec<(i64, i64)> = (0..30).map(|i| (i * 1000, 1)).collect();
        assert_eq!(wait(Q, &sent[..29], 29_500, 1), None);
        // The first left the window at 60,000: wait until just after.
        assert_eq!(wait(Q, &sent, 30_000, 1), Some(30_000));
        assert_eq!(wait(Q, &sent, 60_001, 1), None);
        // Two more need the first two gone.
        assert_eq!(wait(Q, &sent, 30_000, 2), Some(31_000));
    }

    #[test]
    fn the_hour_limit_holds_even_when_every_minute_is_within_its_own() {
        // 25 a minute for 40 minutes = 1,000 in the hour.
        let sent: Vec<(i64, i64)> = (0..40).map(|m| (m * 60_000, 25)).collect();
        let now = 40 * 60_000;
        let w = wait(Q, &sent, now, 1).expect("the hour is full");
        // The first 25 leave the hour at 3,600,000.
        assert_eq!(now + w, 3_600_000);
        assert_eq!(wait(Q, &sent, 3_600_001, 1), None);
    }

    #[test]
    fn no_sliding_minute_ever_holds_more_than_thirty() {
        // A greedy sender that sends whenever allowed, in bursts of 1 to 3, for two hours.
        let mut sent: Vec<(i64, i64)> = Vec::new();
        let mut now = 0;
        let mut burst = 1;
        while now < 2 * HOUR {
            match wait(Q, &sent, now, burst) {
                None => {
                    sent.push((now, burst));
                    burst = burst % 3 + 1;
                    now += 7;
                }
                Some(w) => now += w,
            }
        }
        for &(start, _) in &sent {
            let minute: i64 = sent
                .iter()
                .filter(|(at, _)| *at >= start && *at < start + MINUTE)
                .map(|(_, k)| k)
                .sum();
            let hour: i64 = sent
                .iter()
                .filter(|(at, _)| *at >= start && *at < start + HOUR)
                .map(|(_, k)| k)
                .sum();
            assert!(minute <= 30, "{minute} in the minute from {start}");
            assert!(hour <= 1000, "{hour} in the hour from {start}");
        }
        assert!(sent.iter().map(|(_, k)| k).sum::<i64>() >= 1900);
    }
}
