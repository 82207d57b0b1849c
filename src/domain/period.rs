//! Reporting periods as people type them: a quarter (`2026Q4`, `2026q4`), a month (`2026-11`),
//! a year (`2026`) or an inclusive range of days (`2026-10-01..2026-12-31`). A period is a span
//! of local days; [`Period::bounds`] reads it in the organisation's zone as UTC instants.
//! A range may cover at most [`MAX_YEARS`] years: every report, chart and dashboard page
//! reads periods here, and a century-long range costs seconds of work per request.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use chrono_tz::Tz;

use super::meetings::{Cadence, MeetingKind, Quarter};

/// A reporting period: a span of whole local days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Quarter(Quarter),
    Month {
        year: i32,
        month: u32,
    },
    Year(i32),
    /// From the first to the last day, both included.
    Range {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// Why a typed period was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// Not one of the accepted forms (or a month 13, a day 31 of a 30-day month).
    #[error("not a period (2026Q4, 2026-11, 2026, 2026-10-01..2026-12-31)")]
    Unknown,
    /// A range that ends before it starts.
    #[error("the period ends before it starts")]
    Empty,
    /// A range longer than [`MAX_YEARS`] years.
    #[error("the period is longer than 5 years")]
    TooLong,
}

/// The longest range of days read, in years.
pub const MAX_YEARS: u32 = 5;

const YEARS: std::ops::RangeInclusive<i32> = 2000..=2200;

impl Period {
    /// The quarter holding `at` in `tz`.
    pub fn quarter_containing(at: DateTime<Utc>, tz: Tz) -> Self {
        Self::Quarter(Quarter::containing(at, tz))
    }

    /// The month holding `at` in `tz`.
    pub fn month_containing(at: DateTime<Utc>, tz: Tz) -> Self {
        let local = at.with_timezone(&tz);
        Self::Month {
            year: local.year(),
            month: local.month(),
        }
    }

    /// Its first local day.
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            Self::Quarter(q) => ymd(q.year, (q.q - 1) * 3 + 1, 1),
            Self::Month { year, month } => ymd(year, month, 1),
            Self::Year(year) => ymd(year, 1, 1),
            Self::Range { from, .. } => from,
        }
    }

    /// Its last local day (included).
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            Self::Quarter(q) => month_end(q.year, q.q * 3),
            Self::Month { year, month } => month_end(year, month),
            Self::Year(year) => ymd(year, 12, 31),
            Self::Range { to, .. } => to,
        }
    }

    /// Its first instant and the first instant after it, reading its days in `tz`.
    pub fn bounds(&self, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        let end = self.last_day().succ_opt().unwrap_or(self.last_day());
        (
            local_midnight(self.first_day(), tz),
            local_midnight(end, tz),
        )
    }

    /// Whether `at` falls in it, in `tz`.
    pub fn contains(&self, at: DateTime<Utc>, tz: Tz) -> bool {
        let (from, to) = self.bounds(tz);
        from <= at && at < to
    }

    /// The calendar months it touches, in order, as `(year, month)`.
    pub fn months(&self) -> Vec<(i32, u32)> {
        let (first, last) = (self.first_day(), self.last_day());
        let mut out = Vec::new();
        let (mut y, mut m) = (first.year(), first.month());
        while (y, m) <= (last.year(), last.month()) {
            out.push((y, m));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        out
    }

    /// The part of a month inside this period, as a period of its own.
    pub fn month_within(&self, year: i32, month: u32) -> Self {
        let from = ymd(year, month, 1).max(self.first_day());
        let to = month_end(year, month).min(self.last_day());
        if from == ymd(year, month, 1) && to == month_end(year, month) {
            Self::Month { year, month }
        } else {
            Self::Range { from, to }
        }
    }

    /// How many meetings of a cadence fall due in it: one for each month, quarter or year
    /// whose last day lies in the period. For a quarter this is exactly
    /// [`MeetingKind::required_in_quarter`], the figure `/compliance` shows.
    pub fn required(&self, cadence: Cadence) -> u32 {
        if let Self::Quarter(q) = self {
            return MeetingKind::required_in_quarter(cadence, *q);
        }
        let ends = |month_ends: &dyn Fn(u32) -> bool| -> u32 {
            self.months()
                .into_iter()
                .filter(|&(y, m)| month_ends(m) && self.last_day() >= month_end(y, m))
                .count() as u32
        };
        match cadence {
            Cadence::Monthly => ends(&|_| true),
            Cadence::Quarterly => ends(&|m| m % 3 == 0),
            Cadence::Yearly => ends(&|m| m == 12),
            Cadence::PerSemester(_) | Cadence::None => 0,
        }
    }

    /// How it appears in a file name: like [`Display`](fmt::Display), with `_` for `..`.
    pub fn file_label(&self) -> String {
        self.to_string().replace("..", "_")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Quarter(q) => write!(f, "{q}"),
            Self::Month { year, month } => write!(f, "{year}-{month:02}"),
            Self::Year(y) => write!(f, "{y}"),
            Self::Range { from, to } => write!(f, "{from}..{to}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, PeriodError> {
        let t = s.trim();
        if let Some((a, b)) = t.split_once("..") {
            let from = day(a).ok_or(PeriodError::Unknown)?;
            let to = day(b).ok_or(PeriodError::Unknown)?;
            if to < from {
                return Err(PeriodError::Empty);
            }
            // At most five years: 2021-01-01..2025-12-31, not a day more.
            let limit = from.checked_add_months(chrono::Months::new(12 * MAX_YEARS));
            if limit.is_none_or(|limit| to >= limit) {
                return Err(PeriodError::TooLong);
            }
            return Ok(Self::Range { from, to });
        }
        if t.contains(['q', 'Q']) {
            return t
                .parse::<Quarter>()
                .map(Self::Quarter)
                .map_err(|()| PeriodError::Unknown);
        }
        if let Some((y, m)) = t.split_once('-') {
            let year = number(y, 4..=4).ok_or(PeriodError::Unknown)?;
            let month = number(m, 1..=2).ok_or(PeriodError::Unknown)?;
            if !YEARS.contains(&year) || !(1..=12).contains(&month) {
                return Err(PeriodError::Unknown);
            }
            return Ok(Self::Month {
                year,
                month: month as u32,
            });
        }
        match number(t, 4..=4) {
            Some(year) if YEARS.contains(&year) => Ok(Self::Year(year)),
            _ => Err(PeriodError::Unknown),
        }
    }
}

/// Digits only, as many as allowed (so `2026-1x`, `+2026` or `26` are refused).
fn number(s: &str, digits: std::ops::RangeInclusive<usize>) -> Option<i32> {
    let s = s.trim();
    if !digits.contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `YYYY-MM-DD`, a real calendar day.
fn day(s: &str) -> Option<NaiveDate> {
    let mut parts = s.trim().split('-');
    let y = number(parts.next()?, 4..=4)?;
    let m = number(parts.next()?, 1..=2)?;
    let d = number(parts.next()?, 1..=2)?;
    if parts.next().is_some() || !YEARS.contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m as u32, d as u32)
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let next = if m == 12 {
        ymd(y + 1, 1, 1)
    } else {
        ymd(y, m + 1, 1)
    };
    next.pred_opt().unwrap_or(next)
}

fn local_midnight(d: NaiveDate, tz: Tz) -> DateTime<Utc> {
    use chrono::{NaiveTime, TimeZone};
    tz.from_local_datetime(&d.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;

    fn p(s: &str) -> Period {
        s.parse().unwrap()
    }

    #[test]
    fn a_quarter_is_typed_in_either_case_and_covers_three_months() {
        assert_eq!(p("2026Q4"), p("2026q4"));
        assert_eq!(p("2026Q4").first_day(), ymd(2026, 10, 1));
        assert_eq!(p("2026Q4").last_day(), ymd(2026, 12, 31));
        assert_eq!(p("2026q4").to_string(), "2026Q4");
        assert_eq!(
            p("2026Q4").months(),
            vec![(2026, 10), (2026, 11), (2026, 12)]
        );
    }

    #[test]
    fn a_month_a_year_and_a_range_are_read_as_local_days() {
        assert_eq!(p("2026-02").last_day(), ymd(2026, 2, 28));
        assert_eq!(p("2026-2"), p("2026-02"));
        assert_eq!(
            p("2026-10-1..2026-10-31").bounds(SHANGHAI),
            p("2026-10").bounds(SHANGHAI)
        );
        assert_eq!(p("2028-02").last_day(), ymd(2028, 2, 29));
        assert_eq!(p("2026").months().len(), 12);
        let r = p("2026-10-01..2026-12-31");
        assert_eq!(r.to_string(), "2026-10-01..2026-12-31");
        assert_eq!(r.file_label(), "2026-10-01_2026-12-31");
        assert_eq!(r.bounds(SHANGHAI), p("2026Q4").bounds(SHANGHAI));
        assert_eq!(p("2026-11-05..2026-11-05").months(), vec![(2026, 11)]);
    }

    #[test]
    fn bounds_are_local_midnights_in_the_organisations_zone() {
        let (from, to) = p("2026-11").bounds(SHANGHAI);
        assert_eq!(from.to_rfc3339(), "2026-10-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-11-30T16:00:00+00:00");
        assert!(p("2026-11").contains(from, SHANGHAI));
        assert!(!p("2026-11").contains(to, SHANGHAI));
        let berlin = chrono_tz::Europe::Berlin;
        let (start, _) = p("2026-11").bounds(berlin);
        assert_eq!(start.to_rfc3339(), "2026-10-31T23:00:00+00:00");
        // Shanghai's first instant of November is still October afternoon in Berlin.
        assert!(!p("2026-11").contains(from, berlin));
    }

    #[test]
    fn unknown_forms_and_impossible_dates_are_refused() {
        for bad in [
            "",
            "Q4",
            "2026Q5",
            "2026Q0",
            "2026-13",
            "2026-00",
            "2026-123",
            "26-11",
            "1999",
            "twenty",
            "2026-02-30..2026-03-01",
            "2026-10-01..",
            "2026/10",
            "2026-11-01",
        ] {
            assert_eq!(bad.parse::<Period>(), Err(PeriodError::Unknown), "{bad}");
        }
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_an_empty_period() {
        assert_eq!(
            "2026-12-31..2026-10-01".parse::<Period>(),
            Err(PeriodError::Empty)
        );
    }

    #[test]
    fn a_range_may_cover_five_years_and_no_more() {
        assert_eq!(p("2021-01-01..2025-12-31").months().len(), 60);
        assert_eq!(p("2024-02-29..2029-02-27").first_day(), ymd(2024, 2, 29));
        for long in [
            "2021-01-01..2026-01-01",
            "2000-01-01..2200-12-31",
            "2024-02-29..2029-02-28",
        ] {
            assert_eq!(long.parse::<Period>(), Err(PeriodError::TooLong), "{long}");
        }
    }

    #[test]
    fn what_falls_due_in_a_period_matches_the_quarterly_rule() {
        for q in 1..=4 {
            let quarter = p(&format!("2026Q{q}"));
            let range = Period::Range {
                from: quarter.first_day(),
                to: quarter.last_day(),
            };
            for c in [Cadence::Monthly, Cadence::Quarterly, Cadence::Yearly] {
                assert_eq!(quarter.required(c), range.required(c), "Q{q} {c:?}");
            }
        }
        assert_eq!(p("2026").required(Cadence::Monthly), 12);
        assert_eq!(p("2026").required(Cadence::Quarterly), 4);
        assert_eq!(p("2026").required(Cadence::Yearly), 1);
        assert_eq!(p("2026-11").required(Cadence::Quarterly), 0);
        // A month cut short is not yet due.
        assert_eq!(p("2026-11-01..2026-11-20").required(Cadence::Monthly), 0);
    }

    #[test]
    fn a_month_within_a_range_is_cut_to_the_range() {
        let r = p("2026-10-15..2026-12-31");
        assert_eq!(
            r.month_within(2026, 10),
            Period::Range {
                from: ymd(2026, 10, 15),
                to: ymd(2026, 10, 31)
            }
        );
        assert_eq!(r.month_within(2026, 11), p("2026-11"));
    }
}
