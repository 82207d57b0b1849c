//! Fewer, better pushes (issue 20): the re-nudge plan a sender picks for a notice asking for
//! 收到 (how often, how many times, from which nudge on by SMS), and the daily push budget (at
//! most N non-urgent pushes a member a day in the organisation's zone; the rest wait for one
//! digest at a set hour). Pure: the scheduler runs the plan, delivery applies the budget.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

/// The closest two re-nudges of an urgent notice may be (DingTalk's DING practice).
pub const URGENT_FLOOR_MINUTES: i64 = 5;
/// The most re-nudges one plan makes.
pub const MAX_NUDGES: i64 = 6;
/// The longest interval a plan may have (a day).
pub const MAX_INTERVAL_MINUTES: i64 = 24 * 60;

/// A notice's automatic re-nudges of its unconfirmed recipients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NudgePlan {
    /// Minutes between sending and the first nudge, and between two nudges.
    pub interval_minutes: i64,
    /// How many nudges, at most.
    pub nudges: i64,
    /// From this nudge on (1 = the first), by SMS to those with a mobile number; None: chat only.
    pub sms_from: Option<i64>,
}

/// Why a plan is refused. Each says the rule, for the sender to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanError {
    /// Closer than the floor: `floor` minutes (5 for urgent notices, the configured interval,
    /// 2 hours by default, for the others).
    TooClose { floor: i64 },
    /// More than a day apart.
    TooFar,
    /// No nudge, or more than [`MAX_NUDGES`].
    Count,
    /// The SMS rung names a nudge the plan does not make.
    SmsRung,
    /// Re-nudges need a notice that asks for 收到.
    NoConfirm,
}

impl NudgePlan {
    /// A plan for a notice; `floor_minutes` is the ordinary notices' floor
    /// (`[notices] nudge_interval_minutes`). Urgent notices may go down to
    /// [`URGENT_FLOOR_MINUTES`], never below it; ordinary ones never below their floor.
    pub fn new(
        interval_minutes: i64,
        nudges: i64,
        sms_from: Option<i64>,
        urgent: bool,
        floor_minutes: i64,
    ) -> Result<Self, PlanError> {
        let floor = Self::floor(urgent, floor_minutes);
        if interval_minutes < floor {
            return Err(PlanError::TooClose { floor });
        }
        if interval_minutes > MAX_INTERVAL_MINUTES {
            return Err(PlanError::TooFar);
        }
        if !(1..=MAX_NUDGES).contains(&nudges) {
            return Err(PlanError::Count);
        }
        if sms_from.is_some_and(|k| !(1..=nudges).contains(&k)) {
            return Err(PlanError::SmsRung);
        }
        Ok(Self {
            interval_minutes,
            nudges,
            sms_from,
        })
    }

    /// The least interval, in minutes, for an urgent or ordinary notice.
    pub fn floor(urgent: bool, floor_minutes: i64) -> i64 {
        if urgent {
            URGENT_FLOOR_MINUTES.min(floor_minutes.max(1))
        } else {
            floor_minutes.max(1)
        }
    }

    /// Reads what a sender types: "间隔分钟 次数 [第几次起短信]" — `5 3`, `5 3 2`, full-width
    /// digits and Chinese commas too. None when it is not two or three numbers.
    pub fn read(text: &str) -> Option<(i64, i64, Option<i64>)> {
        let folded = crate::chat::fold(text);
        // Only numbers: "5 3 2", not "5分钟后" or a sentence with numbers in it.
        let numbers: Vec<i64> = folded
            .split(|c: char| c.is_whitespace() || ",，、/".contains(c))
            .filter(|w| !w.is_empty())
            .map(|w| w.parse::<i64>().ok())
            .collect::<Option<_>>()?;
        match numbers.as_slice() {
            [i, n] => Some((*i, *n, None)),
            [i, n, s] => Some((*i, *n, Some(*s))),
            _ => None,
        }
    }

    /// When nudge `k` (from 1) is due for a notice sent at `sent_at` (ms).
    pub fn due(&self, sent_at: i64, k: i64) -> i64 {
        sent_at + k * self.interval_minutes * 60_000
    }

    /// Whether nudge `k` goes by SMS (to those with a mobile number).
    pub fn by_sms(&self, k: i64) -> bool {
        self.sms_from.is_some_and(|s| k >= s)
    }
}

/// The daily push budget (`[pushes]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Non-urgent pushes a member receives a day before the rest wait for the digest; 0: no
    /// budget.
    pub per_day: i64,
    /// When the day's digest goes out, in the organisation's zone (quiet hours still apply).
    pub digest_at: NaiveTime,
    /// The organisation's zone: the day and the digest's hour are read in it.
    pub tz: Tz,
}

impl Budget {
    /// The default: 3 a day, the digest at 18:00.
    pub fn new(tz: Tz) -> Self {
        Self {
            per_day: 3,
            digest_at: NaiveTime::from_hms_opt(18, 0, 0).expect("valid time"),
            tz,
        }
    }

    /// The local day `now` falls in, and its bounds in UTC ms.
    pub fn day(&self, now: DateTime<Utc>) -> (NaiveDate, i64, i64) {
        let day = now.with_timezone(&self.tz).date_naive();
        (
            day,
            self.midnight(day),
            self.midnight(day + Duration::days(1)),
        )
    }

    fn midnight(&self, day: NaiveDate) -> i64 {
        self.tz
            .from_local_datetime(&day.and_time(NaiveTime::MIN))
            .earliest()
            .map(|t| t.timestamp_millis())
            // A zone that skips midnight: the day starts an hour later.
            .unwrap_or_else(|| {
                self.tz
                    .from_local_datetime(&day.and_hms_opt(1, 0, 0).expect("valid time"))
                    .earliest()
                    .map(|t| t.timestamp_millis())
                    .unwrap_or_default()
            })
    }

    /// The next digest at or after `now` (ms): today's at `digest_at` if not yet past, else
    /// tomorrow's.
    pub fn next_digest(&self, now: DateTime<Utc>) -> i64 {
        let local = now.with_timezone(&self.tz);
        let mut day = local.date_naive();
        if local.time() > self.digest_at {
            day += Duration::days(1);
        }
        self.tz
            .from_local_datetime(&day.and_time(self.digest_at))
            .earliest()
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| now.timestamp_millis() + 3_600_000)
    }

    /// The digest's crontab (the scheduler's `push-digest` job): daily at `digest_at`.
    pub fn crontab(&self) -> String {
        use chrono::Timelike;
        format!(
            "{} {} * * *",
            self.digest_at.minute(),
            self.digest_at.hour()
        )
    }

    /// Whether a non-urgent push may be held for the digest at all. Never held: a push that
    /// expires before the next digest (a ballot or sign-up with a deadline, a reminder of a
    /// meeting before it) — held, it would be useless; and the digest itself.
    pub fn may_hold(&self, now: DateTime<Utc>, expires_at: Option<i64>, dedupe_key: &str) -> bool {
        if self.per_day <= 0 || dedupe_key.starts_with(DIGEST_PREFIX) {
            return false;
        }
        expires_at.is_none_or(|e| e > self.next_digest(now))
    }
}

/// The dedupe keys of digests start with this (`digest:<member>:<YYYY-MM-DD>`).
pub const DIGEST_PREFIX: &str = "digest:";

/// A held push as the digest lists it: its first words, on one line.
pub fn excerpt(body: &str, max: usize) -> String {
    let joined = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if joined.chars().count() > max {
        format!("{}…", joined.chars().take(max).collect::<String>())
    } else {
        joined
    }
}

/// The ISO week an instant falls in, in `tz`: "2026-W49".
pub fn iso_week(ms: i64, tz: Tz) -> String {
    use chrono::Datelike;
    let w = DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    #[test]
    fn urgent_notices_may_be_nudged_every_five_minutes_and_ordinary_ones_keep_their_floor() {
        assert_eq!(
            NudgePlan::new(5, 3, Some(2), true, 120),
            Ok(NudgePlan {
                interval_minutes: 5,
                nudges: 3,
                sms_from: Some(2)
            })
        );
        assert_eq!(
            NudgePlan::new(4, 3, None, true, 120),
            Err(PlanError::TooClose { floor: 5 })
        );
        assert_eq!(
            NudgePlan::new(60, 1, None, false, 120),
            Err(PlanError::TooClose { floor: 120 })
        );
        assert!(NudgePlan::new(120, 1, None, false, 120).is_ok());
        assert_eq!(NudgePlan::new(5, 0, None, true, 120), Err(PlanError::Count));
        assert_eq!(NudgePlan::new(5, 7, None, true, 120), Err(PlanError::Count));
        assert_eq!(
            NudgePlan::new(5, 2, Some(3), true, 120),
            Err(PlanError::SmsRung)
        );
        assert_eq!(
            NudgePlan::new(24 * 60 + 1, 1, None, false, 120),
            Err(PlanError::TooFar)
        );
    }

    #[test]
    fn a_typed_plan_is_two_or_three_numbers() {
        assert_eq!(NudgePlan::read("5 3"), Some((5, 3, None)));
        assert_eq!(NudgePlan::read("１０，３，２"), Some((10, 3, Some(2))));
        assert_eq!(NudgePlan::read("5"), None);
        assert_eq!(NudgePlan::read("5分钟 3次"), None);
        assert_eq!(NudgePlan::read("1 2 3 4"), None);
    }

    #[test]
    fn nudges_fall_at_the_interval_and_the_sms_rung_from_its_number() {
        let p = NudgePlan::new(5, 3, Some(2), true, 120).unwrap();
        assert_eq!(p.due(1_000, 1), 1_000 + 300_000);
        assert_eq!(p.due(1_000, 3), 1_000 + 900_000);
        assert!(!p.by_sms(1) && p.by_sms(2) && p.by_sms(3));
    }

    #[test]
    fn the_day_and_the_next_digest_are_read_in_the_organisations_zone() {
        let b = Budget::new(TZ);
        // 2026-12-07 17:30 in Shanghai.
        let now = TZ
            .with_ymd_and_hms(2026, 12, 7, 17, 30, 0)
            .unwrap()
            .with_timezone(&Utc);
        let (day, from, to) = b.day(now);
        assert_eq!(day.to_string(), "2026-12-07");
        assert_eq!(to - from, 86_400_000);
        let six = TZ.with_ymd_and_hms(2026, 12, 7, 18, 0, 0).unwrap();
        assert_eq!(b.next_digest(now), six.timestamp_millis());
        let later = now + Duration::hours(1);
        assert_eq!(
            b.next_digest(later),
            (six + Duration::days(1)).timestamp_millis()
        );
        assert_eq!(b.crontab(), "0 18 * * *");
        // A push that would expire before the digest is never held; nor is the digest.
        assert!(!b.may_hold(now, Some(six.timestamp_millis() - 1), "meeting:1:remind:2"));
        assert!(b.may_hold(now, None, "notice:1:2"));
        assert!(!b.may_hold(now, None, "digest:2:2026-12-07"));
    }

    #[test]
    fn held_items_read_as_one_line_and_weeks_as_iso_weeks() {
        assert_eq!(
            excerpt("【通知】\n  周五前提交。\n", 40),
            "【通知】 周五前提交。"
        );
        assert_eq!(excerpt("一二三四五六", 3), "一二三…");
        let monday = TZ.with_ymd_and_hms(2026, 12, 7, 0, 30, 0).unwrap();
        assert_eq!(iso_week(monday.timestamp_millis(), TZ), "2026-W50");
    }
}
