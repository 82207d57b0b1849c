//! 三会一课's shared vocabulary: the kinds of branch meeting (the stored meeting row, the audit
//! and the oversight reports name them) and their statutory cadence, `[meetings]`'s timings
//! ([`MeetingRules`], which the configuration reads), quarters and compliance arithmetic.
//! The feature's own rules — who attends by default, the semester a day falls in, the quorum,
//! the rotating sign-in code — are `crate::meetings::rules`. Pure: no I/O.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use crate::i18n::Msg;
use crate::msg;

/// A kind of meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MeetingKind {
    /// 支部党员大会
    General,
    /// 支部委员会会议
    Committee,
    /// 党小组会
    Group,
    /// 党课
    Lesson,
    /// 主题党日
    ThemedDay,
    /// 组织生活会
    Life,
    /// 其他
    Other,
}

/// How often a kind must be held, by the regulation (中国共产党支部工作条例（试行）) and common
/// local rules; organisations may change it in `[meetings]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Monthly,
    Quarterly,
    Yearly,
    /// At least `n` times between the semester dates of the configuration.
    PerSemester(u32),
    /// No rule.
    None,
}

/// The timings of meetings, from `[meetings]` in the configuration (defaults: reminders three
/// days, one day and one hour before; sign-in opens 30 minutes before; two hours long).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingRules {
    /// Minutes before the start at which reminders go out, largest first. A reminder an hour
    /// or less before is urgent (sent in quiet hours too) and carries the sign-in code to the
    /// secretary; the one exactly a day before warns of a general meeting without quorum.
    pub remind_before_minutes: Vec<i64>,
    /// Sign-in opens this many minutes before the start (and closes at the end).
    pub signin_opens_minutes: i64,
    /// A meeting lasts this long unless told otherwise.
    pub length_minutes: i64,
    /// Cadences that differ from the statutory ones ([`MeetingKind::default_cadence`]).
    pub cadence: BTreeMap<MeetingKind, Cadence>,
    /// Semesters as (month, day) of the first and last day; one may run over the new year.
    pub semesters: Vec<((u32, u32), (u32, u32))>,
    /// Whether new meetings get a static six-digit sign-in code (`static_signin_code`). Without
    /// it members sign in only with the rotating code on the meeting room's screen.
    pub static_signin_code: bool,
}

impl MeetingRules {
    /// The cadence of `kind` here.
    pub fn cadence(&self, kind: MeetingKind) -> Cadence {
        self.cadence
            .get(&kind)
            .copied()
            .unwrap_or_else(|| kind.default_cadence())
    }
}

impl Default for MeetingRules {
    fn default() -> Self {
        Self {
            remind_before_minutes: vec![3 * 24 * 60, 24 * 60, 60],
            signin_opens_minutes: 30,
            length_minutes: 120,
            cadence: BTreeMap::new(),
            semesters: Vec::new(),
            static_signin_code: true,
        }
    }
}

/// Reads a simple duration: `3d`, `1h`, `90m`, or a bare number of minutes. Returns minutes.
pub fn parse_minutes(text: &str) -> Option<i64> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "m"),
    };
    let n: i64 = digits.parse().ok()?;
    let factor = match unit.trim() {
        "m" | "min" => 1,
        "h" => 60,
        "d" => 24 * 60,
        _ => return None,
    };
    n.checked_mul(factor)
}

impl MeetingKind {
    /// Every kind, in the order they are offered.
    pub const ALL: [MeetingKind; 7] = [
        Self::General,
        Self::Committee,
        Self::Group,
        Self::Lesson,
        Self::ThemedDay,
        Self::Life,
        Self::Other,
    ];

    /// The stored key.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Committee => "committee",
            Self::Group => "group",
            Self::Lesson => "lesson",
            Self::ThemedDay => "themed_day",
            Self::Life => "life",
            Self::Other => "other",
        }
    }

    /// The kind's name in messages.
    pub fn msg(self) -> Msg {
        match self {
            Self::General => msg!("meeting-kind-general"),
            Self::Committee => msg!("meeting-kind-committee"),
            Self::Group => msg!("meeting-kind-group"),
            Self::Lesson => msg!("meeting-kind-lesson"),
            Self::ThemedDay => msg!("meeting-kind-themed-day"),
            Self::Life => msg!("meeting-kind-life"),
            Self::Other => msg!("meeting-kind-other"),
        }
    }

    /// The statutory cadence.
    pub fn default_cadence(self) -> Cadence {
        match self {
            Self::General | Self::Lesson => Cadence::Quarterly,
            Self::Committee | Self::Group | Self::ThemedDay => Cadence::Monthly,
            Self::Life => Cadence::Yearly,
            Self::Other => Cadence::None,
        }
    }

    /// How many meetings of this kind a quarter needs under `cadence` (a yearly meeting is
    /// due in the fourth quarter; a per-semester rule is checked per semester, not here).
    pub fn required_in_quarter(cadence: Cadence, quarter: Quarter) -> u32 {
        match cadence {
            Cadence::Monthly => 3,
            Cadence::Quarterly => 1,
            Cadence::Yearly => u32::from(quarter.q == 4),
            Cadence::PerSemester(_) | Cadence::None => 0,
        }
    }
}

impl fmt::Display for MeetingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MeetingKind {
    type Err = ();

    /// The key, an English word or the Chinese name.
    fn from_str(s: &str) -> Result<Self, ()> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        Ok(match t.as_str() {
            "general" | "党员大会" | "支部党员大会" => Self::General,
            "committee" | "支委会" | "支部委员会会议" | "支委会议" => Self::Committee,
            "group" | "党小组会" | "小组会" => Self::Group,
            "lesson" | "党课" => Self::Lesson,
            "themed_day" | "themed" | "主题党日" => Self::ThemedDay,
            "life" | "组织生活会" => Self::Life,
            "other" | "其他" => Self::Other,
            _ => return Err(()),
        })
    }
}

impl FromStr for Cadence {
    type Err = ();

    /// `monthly`, `quarterly`, `yearly`, `none`, or `semester:N`.
    fn from_str(s: &str) -> Result<Self, ()> {
        let t = s.trim().to_lowercase();
        Ok(match t.as_str() {
            "monthly" => Self::Monthly,
            "quarterly" => Self::Quarterly,
            "yearly" | "annual" => Self::Yearly,
            "none" => Self::None,
            _ => {
                let n = t.strip_prefix("semester:").ok_or(())?;
                Self::PerSemester(n.parse().map_err(|_| ())?)
            }
        })
    }
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quarter {
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    /// The quarter holding `at` in `tz`.
    pub fn containing(at: DateTime<Utc>, tz: Tz) -> Self {
        let local = at.with_timezone(&tz);
        Self {
            year: local.year(),
            q: (local.month() - 1) / 3 + 1,
        }
    }

    /// Its first instant and the first instant of the next quarter, in `tz`.
    pub fn bounds(self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or_default();
        let end = if self.q == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.q * 3 + 1, 1)
        }
        .unwrap_or_default();
        (local_midnight(start, tz), local_midnight(end, tz))
    }
}

/// The first instant of day `d` in `tz` (the earlier one where the clock turns back).
pub fn local_midnight(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

impl fmt::Display for Quarter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}Q{}", self.year, self.q)
    }
}

impl FromStr for Quarter {
    type Err = ();

    /// `2026Q4` (or `2026q4`, `2026-Q4`).
    fn from_str(s: &str) -> Result<Self, ()> {
        let t = s.trim().to_uppercase().replace('-', "");
        let (y, q) = t.split_once('Q').ok_or(())?;
        let year: i32 = y.parse().map_err(|_| ())?;
        let q: u32 = q.parse().map_err(|_| ())?;
        if !(1..=4).contains(&q) || !(2000..=2200).contains(&year) {
            return Err(());
        }
        Ok(Self { year, q })
    }
}

/// A percentage rounded to a whole number; 0 when there is nothing to divide by.
pub fn percent(part: u32, whole: u32) -> u32 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    fn now() -> DateTime<Utc> {
        // 2026-10-01 09:00 in Shanghai.
        Utc.with_ymd_and_hms(2026, 10, 1, 1, 0, 0).unwrap()
    }

    fn local(at: DateTime<Utc>) -> String {
        at.with_timezone(&TZ).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn simple_durations_read_as_minutes() {
        assert_eq!(parse_minutes("3d"), Some(3 * 24 * 60));
        assert_eq!(parse_minutes("1h"), Some(60));
        assert_eq!(parse_minutes("90m"), Some(90));
        assert_eq!(parse_minutes("45"), Some(45));
        assert_eq!(parse_minutes("2w"), None);
        assert_eq!(parse_minutes("h"), None);
    }

    #[test]
    fn kinds_have_the_statutory_cadence_and_attendees() {
        let q4 = Quarter { year: 2026, q: 4 };
        let q2 = Quarter { year: 2026, q: 2 };
        let need = |k: MeetingKind, q| MeetingKind::required_in_quarter(k.default_cadence(), q);
        assert_eq!(need(MeetingKind::General, q4), 1);
        assert_eq!(need(MeetingKind::Committee, q4), 3);
        assert_eq!(need(MeetingKind::Lesson, q2), 1);
        assert_eq!(need(MeetingKind::Life, q4), 1);
        assert_eq!(need(MeetingKind::Life, q2), 0);
        assert_eq!("党员大会".parse(), Ok(MeetingKind::General));
        assert_eq!("themed-day".parse(), Ok(MeetingKind::ThemedDay));
        assert_eq!("semester:2".parse(), Ok(Cadence::PerSemester(2)));
    }

    #[test]
    fn quarters_parse_and_bound_in_local_time() {
        let q: Quarter = "2026Q4".parse().unwrap();
        let (start, end) = q.bounds(TZ);
        assert_eq!(local(start), "2026-10-01 00:00");
        assert_eq!(local(end), "2027-01-01 00:00");
        assert_eq!(Quarter::containing(now(), TZ), q);
        assert!("2026Q5".parse::<Quarter>().is_err());
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
