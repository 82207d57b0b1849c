//! Standard five-field crontab, as crontab(5) defines it, parsed into a typed [`Crontab`], and
//! its fire times in a time zone.
//!
//! What people type: `minute hour day-of-month month day-of-week`, each field `*`, a value, a
//! range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; month and weekday names
//! (`Jan`, `Mon`, any case); Sunday as 0 or 7. When both day fields are restricted (neither
//! starts with `*`), a day matching EITHER fires, as crontab(5) says. Beyond crontab(5): `L` in
//! day-of-month (the last day of the month), `Mon#1` / `1#1` in day-of-week (the first Monday
//! of the month), and the shortcuts `@hourly`, `@daily`, `@weekly`, `@monthly`, `@quarterly`
//! (00:00 on 1 Jan/Apr/Jul/Oct), `@yearly` and `@annually`.
//!
//! The fields are matched here rather than translated to the `cron` crate, whose dialect differs
//! (a seconds field, Sunday = 1, day fields ANDed) and which has no stated daylight-saving policy.
//! Ours, in the organisation's zone:
//! - a wall-clock time that does not exist (skipped by a forward change) fires at the first
//!   instant after the gap (`30 2 * * *` on 30 March 2025 in Berlin fires at 03:00 CEST);
//! - a wall-clock time that happens twice (a backward change) fires once, on its first
//!   occurrence; times inside the repeated hour are not fired again on its second pass.

use std::fmt;
use std::str::FromStr;

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

mod error;

pub use self::error::{CrontabError, Field};

/// A parsed crontab expression. Bit `n` of a set stands for the value `n`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crontab {
    source: String,
    minutes: u64,
    hours: u64,
    days: u64,
    /// `L` in day-of-month.
    last_day: bool,
    months: u64,
    /// Sunday is bit 0.
    weekdays: u64,
    /// Per weekday (Sunday first), bit `n` set for `#n`.
    nth: [u8; 7],
    /// The field starts with `*`: crontab(5) then ANDs the day fields instead of ORing them.
    dom_star: bool,
    dow_star: bool,
}

/// One field's values.
#[derive(Debug, Default)]
struct Spec {
    bits: u64,
    last: bool,
    nth: [u8; 7],
}

/// Days searched for the next fire time: 400 years, one Gregorian cycle, so any day pattern
/// that can happen at all is found.
const MAX_DAYS: u32 = 146_097;

impl Crontab {
    /// Parses a five-field expression or a shortcut such as `@daily`.
    pub fn parse(text: &str) -> Result<Self, CrontabError> {
        let source = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if source.is_empty() {
            return Err(CrontabError::Empty);
        }
        let expanded = match source.strip_prefix('@') {
            Some(name) => shortcut(name).ok_or_else(|| CrontabError::UnknownShortcut {
                value: source.clone(),
            })?,
            None => source.as_str(),
        };
        let fields: Vec<&str> = expanded.split(' ').collect();
        if fields.len() != 5 {
            return Err(CrontabError::FieldCount {
                found: fields.len(),
            });
        }
        let mut specs = Vec::with_capacity(5);
        for (field, text) in Field::ORDER.into_iter().zip(&fields) {
            specs.push(parse_field(field, text)?);
        }
        let tab = Self {
            minutes: specs[0].bits,
            hours: specs[1].bits,
            days: specs[2].bits,
            last_day: specs[2].last,
            months: specs[3].bits,
            weekdays: specs[4].bits,
            nth: specs[4].nth,
            dom_star: fields[2].starts_with('*'),
            dow_star: fields[4].starts_with('*'),
            source,
        };
        // 28 years hold every combination of weekday, day and month (leap days included).
        let start = NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid date");
        if !start.iter_days().take(28 * 366).any(|d| tab.day_matches(d)) {
            return Err(CrontabError::NeverFires { value: tab.source });
        }
        Ok(tab)
    }

    /// The expression as written (whitespace normalized).
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the expression fires on this local date.
    fn day_matches(&self, date: NaiveDate) -> bool {
        if self.months & (1 << date.month()) == 0 {
            return false;
        }
        let day = date.day();
        let last = date
            .succ_opt()
            .is_none_or(|next| next.month() != date.month());
        let dom = self.days & (1 << day) != 0 || (self.last_day && last);
        let weekday = date.weekday().num_days_from_sunday() as usize;
        let week = (day - 1) / 7 + 1;
        let dow = self.weekdays & (1 << weekday) != 0 || self.nth[weekday] & (1 << week) != 0;
        if self.dom_star || self.dow_star {
            dom && dow
        } else {
            dom || dow
        }
    }

    /// The first fire time strictly after `after`, reading the expression in `tz`.
    pub fn next_after(&self, tz: Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        // Resolving wall-clock times with this policy never goes backwards in time, so no
        // wall-clock time before `after`'s own can resolve to an instant after it.
        let start = after
            .with_timezone(&tz)
            .naive_local()
            .with_second(0)?
            .with_nanosecond(0)?;
        let mut date = start.date();
        for _ in 0..MAX_DAYS {
            if self.day_matches(date) {
                for hour in ones(self.hours, 0, 23) {
                    if date == start.date() && hour < start.hour() {
                        continue;
                    }
                    for minute in ones(self.minutes, 0, 59) {
                        let naive = date.and_hms_opt(hour, minute, 0)?;
                        if naive < start {
                            continue;
                        }
                        match resolve(tz, naive) {
                            Some(at) if at > after => return Some(at),
                            _ => {}
                        }
                    }
                }
            }
            date = date.succ_opt()?;
        }
        None
    }

    /// Whether the expression fires Monday to Friday and on no other day of the week, on any
    /// day of the month: a 工作日 schedule, which the calendar may move onto 调休 weekend days.
    pub fn is_monday_to_friday(&self) -> bool {
        self.dom_star && !self.dow_star && self.weekdays == 0b011_1110 && self.nth == [0; 7]
    }

    /// The first fire time on the local date `date` after `after`, reading only the month, the
    /// hours and the minutes (a 调休 Saturday fires at a Monday-to-Friday schedule's times).
    pub fn first_on(&self, tz: Tz, date: NaiveDate, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if self.months & (1 << date.month()) == 0 {
            return None;
        }
        for hour in ones(self.hours, 0, 23) {
            for minute in ones(self.minutes, 0, 59) {
                match resolve(tz, date.and_hms_opt(hour, minute, 0)?) {
                    Some(at) if at > after && at.with_timezone(&tz).date_naive() == date => {
                        return Some(at)
                    }
                    _ => {}
                }
            }
        }
        None
    }

    /// Fire times after `after`, in order.
    pub fn upcoming(
        &self,
        tz: Tz,
        after: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        std::iter::successors(self.next_after(tz, after), move |t| self.next_after(tz, *t))
    }
}

impl FromStr for Crontab {
    type Err = CrontabError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Crontab {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// The first `count` fire times of `expr` at or after `from`, in `tz` with the zone's offset:
/// what `branchbot schedule preview` prints.
pub fn preview(
    expr: &str,
    tz: Tz,
    from: DateTime<Utc>,
    count: usize,
) -> Result<Vec<DateTime<FixedOffset>>, CrontabError> {
    let tab = Crontab::parse(expr)?;
    let times = tab
        .upcoming(tz, from - TimeDelta::milliseconds(1))
        .take(count)
        .map(|t| t.with_timezone(&tz).fixed_offset())
        .collect();
    Ok(times)
}

/// The instant a wall-clock time stands for under our daylight-saving policy: the first of
/// two, or for a time in a gap the first instant after the gap.
pub fn resolve(tz: Tz, naive: NaiveDateTime) -> Option<DateTime<Utc>> {
    if let Some(at) = tz.from_local_datetime(&naive).earliest() {
        return Some(at.with_timezone(&Utc));
    }
    // Gaps last an hour in most zones and a day at most (Samoa, 2011).
    let mut next = naive;
    for _ in 0..(26 * 60) {
        next += TimeDelta::minutes(1);
        if let Some(at) = tz.from_local_datetime(&next).earliest() {
            return Some(at.with_timezone(&Utc));
        }
    }
    None
}

fn shortcut(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "yearly" | "annually" => "0 0 1 1 *",
        "quarterly" => "0 0 1 1,4,7,10 *",
        "monthly" => "0 0 1 * *",
        "weekly" => "0 0 * * 0",
        "daily" | "midnight" => "0 0 * * *",
        "hourly" => "0 * * * *",
        _ => return None,
    })
}

fn ones(bits: u64, lo: u32, hi: u32) -> impl Iterator<Item = u32> {
    (lo..=hi).filter(move |i| bits & (1 << i) != 0)
}

fn parse_field(field: Field, text: &str) -> Result<Spec, CrontabError> {
    let mut spec = Spec::default();
    for item in text.split(',') {
        parse_item(field, item, &mut spec)?;
    }
    if field == Field::DayOfWeek && spec.bits & (1 << 7) != 0 {
        // 7 is Sunday too.
        spec.bits = (spec.bits & !(1 << 7)) | 1;
    }
    Ok(spec)
}

fn parse_item(field: Field, item: &str, spec: &mut Spec) -> Result<(), CrontabError> {
    let (min, max) = field.bounds();
    if item.eq_ignore_ascii_case("l") {
        if field != Field::DayOfMonth {
            return Err(CrontabError::Misplaced {
                field,
                value: item.to_owned(),
            });
        }
        spec.last = true;
        return Ok(());
    }
    if let Some((day, week)) = item.split_once('#') {
        if field != Field::DayOfWeek {
            return Err(CrontabError::Misplaced {
                field,
                value: item.to_owned(),
            });
        }
        let day = value(field, day, item)?;
        let week: u32 = week
            .parse()
            .ok()
            .filter(|w| (1..=5).contains(w))
            .ok_or_else(|| CrontabError::BadNth {
                value: item.to_owned(),
            })?;
        spec.nth[(day % 7) as usize] |= 1 << week;
        return Ok(());
    }
    let (range, step) = match item.split_once('/') {
        Some((range, step)) => (range, Some(step)),
        None => (item, None),
    };
    let (lo, hi, is_range) = if range == "*" {
        // Sunday once (0), not twice (0 and 7).
        (min, if field == Field::DayOfWeek { 6 } else { max }, true)
    } else if let Some((a, b)) = range.split_once('-') {
        let (a, b) = (value(field, a, item)?, value(field, b, item)?);
        if a > b {
            return Err(CrontabError::Backwards {
                field,
                value: item.to_owned(),
            });
        }
        (a, b, true)
    } else {
        let v = value(field, range, item)?;
        (v, v, false)
    };
    let step = match step {
        None => 1,
        Some(_) if !is_range => {
            return Err(CrontabError::StepNeedsRange {
                field,
                value: item.to_owned(),
            })
        }
        Some(s) => s
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| CrontabError::BadStep {
                field,
                value: item.to_owned(),
                max,
            })?,
    };
    for v in (lo..=hi).step_by(step as usize) {
        spec.bits |= 1 << v;
    }
    Ok(())
}

/// One number or name of a field.
fn value(field: Field, text: &str, item: &str) -> Result<u32, CrontabError> {
    let (min, max) = field.bounds();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.parse::<u32>() {
            Ok(v) if (min..=max).contains(&v) => Ok(v),
            _ => Err(CrontabError::OutOfRange {
                field,
                value: text.to_owned(),
                min,
                max,
            }),
        };
    }
    let (names, first) = field.names();
    names
        .iter()
        .position(|n| n.eq_ignore_ascii_case(text))
        .map(|i| i as u32 + first)
        .ok_or_else(|| CrontabError::BadValue {
            field,
            value: if text.is_empty() { item } else { text }.to_owned(),
        })
}

#[cfg(test)]
mod tests;
