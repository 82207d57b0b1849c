//! Quiet hours: a daily window in the organisation's time zone during which non-urgent pushes
//! wait. The window may wrap midnight (22:00–07:00, the default).

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(22, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(7, 0, 0).expect("valid time"),
        }
    }
}

impl QuietHours {
    /// Parses "22:00-07:00". Equal ends mean no quiet hours.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (a, b) = s
            .split_once('-')
            .ok_or_else(|| format!("'{s}' is not a window like 22:00-07:00"))?;
        let t = |x: &str| {
            NaiveTime::parse_from_str(x.trim(), "%H:%M")
                .map_err(|_| format!("'{}' is not a time like 22:00", x.trim()))
        };
        Ok(Self {
            start: t(a)?,
            end: t(b)?,
        })
    }

    /// Whether a local wall-clock time is inside the window.
    pub fn contains_local(&self, t: NaiveTime) -> bool {
        if self.start == self.end {
            false
        } else if self.start < self.end {
            t >= self.start && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }

    /// Whether an instant is inside the window in zone `tz`.
    pub fn contains(&self, now: DateTime<Utc>, tz: Tz) -> bool {
        self.contains_local(now.with_timezone(&tz).time())
    }

    /// When the window that contains `now` ends (now itself when outside it).
    pub fn ends_after(&self, now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
        if !self.contains(now, tz) {
            return now;
        }
        let local = now.with_timezone(&tz);
        let mut day = local.date_naive();
        if local.time() >= self.end {
            day = day.succ_opt().unwrap_or(day);
        }
        let end = day.and_time(self.end);
        tz.from_local_datetime(&end)
            .earliest()
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or(now + chrono::TimeDelta::hours(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn the_default_window_wraps_midnight_in_shanghai() {
        let q = QuietHours::default();
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        assert!(q.contains(at("2026-12-01T23:30:00+08:00"), tz));
        assert!(q.contains(at("2026-12-02T06:59:00+08:00"), tz));
        assert!(!q.contains(at("2026-12-02T07:00:00+08:00"), tz));
        assert!(!q.contains(at("2026-12-01T21:59:00+08:00"), tz));
        assert_eq!(
            q.ends_after(at("2026-12-01T23:30:00+08:00"), tz),
            at("2026-12-02T07:00:00+08:00")
        );
        assert_eq!(
            q.ends_after(at("2026-12-02T03:00:00+08:00"), tz),
            at("2026-12-02T07:00:00+08:00")
        );
    }

    #[test]
    fn windows_parse_or_say_why_not() {
        assert_eq!(
            QuietHours::parse("22:00-07:00").unwrap(),
            QuietHours::default()
        );
        assert!(QuietHours::parse("22-7")
            .unwrap_err()
            .contains("not a time"));
        assert!(!QuietHours::parse("00:00-00:00")
            .unwrap()
            .contains_local(NaiveTime::MIN));
    }
}
