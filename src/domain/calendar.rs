//! The Chinese working calendar: 法定节假日 (public holidays), 调休 (weekend days worked in
//! exchange for a holiday) and a university's vacations (寒暑假). A crontab knows weekdays only;
//! these rules say which days are working days. Pure: the file is parsed into a [`Calendar`]
//! at the edge, and everything else asks it questions.
//!
//! The file (see `examples/calendar.toml`):
//!
//! ```toml
//! [[holiday]]
//! name = "国庆节"
//! days = ["2026-10-01", "2026-10-07"]      # first and last day off, both included
//! workdays = ["2026-09-20", "2026-10-10"]  # 调休上班
//!
//! [[vacation]]
//! name = "2026年暑假"
//! days = ["2026-07-11", "2026-08-30"]
//! ```

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;

/// The longest span one holiday or vacation may cover, in days: a typo in a year
/// ("2026-10-01".."2027-10-07") should be refused, not turn a year into a holiday.
pub const MAX_SPAN_DAYS: i64 = 200;

/// What the organisation's calendar says about days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    /// Days off by the State Council's arrangement, with the holiday's name.
    pub holidays: BTreeMap<NaiveDate, String>,
    /// Saturdays and Sundays worked in exchange (调休上班), with the holiday they belong to.
    pub workdays: BTreeMap<NaiveDate, String>,
    /// Vacations (寒暑假), first and last day included.
    pub vacations: Vec<Vacation>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vacation {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What a day is, as a person would say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind<'a> {
    /// Monday to Friday, not a holiday.
    Working,
    /// A weekend day worked in exchange for the named holiday (调休上班).
    MakeUp(&'a str),
    /// A day off of the named holiday (法定节假日).
    Holiday(&'a str),
    /// Saturday or Sunday, no exchange.
    Weekend,
}

impl Calendar {
    /// What `day` is.
    pub fn kind(&self, day: NaiveDate) -> DayKind<'_> {
        if let Some(name) = self.workdays.get(&day) {
            return DayKind::MakeUp(name);
        }
        if let Some(name) = self.holidays.get(&day) {
            return DayKind::Holiday(name);
        }
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            DayKind::Weekend
        } else {
            DayKind::Working
        }
    }

    /// Whether people work on `day`: Monday to Friday unless a holiday, and 调休 weekend days.
    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        matches!(self.kind(day), DayKind::Working | DayKind::MakeUp(_))
    }

    /// The holiday `day` belongs to, if it is a day off of one.
    pub fn holiday(&self, day: NaiveDate) -> Option<&str> {
        self.holidays.get(&day).map(String::as_str)
    }

    /// The vacation `day` falls in, if any.
    pub fn vacation(&self, day: NaiveDate) -> Option<&Vacation> {
        self.vacations.iter().find(|v| v.from <= day && day <= v.to)
    }

    /// The first working day on or after `day`.
    pub fn working_day_on_or_after(&self, day: NaiveDate) -> NaiveDate {
        let mut d = day;
        // A calendar is finite: at most MAX_SPAN_DAYS holidays in a row, so this ends.
        while !self.is_working_day(d) {
            d = d.succ_opt().unwrap_or(d);
            if d == NaiveDate::MAX {
                break;
            }
        }
        d
    }

    /// Whether the calendar says anything at all (an empty one changes no schedule).
    pub fn is_empty(&self) -> bool {
        self.holidays.is_empty() && self.workdays.is_empty() && self.vacations.is_empty()
    }
}

/// The n-th working day after `day` (`day` itself not counted): `n = 1` is the next working
/// day. `n = 0` is `day` itself. A 公示 of "5 个工作日" starting on Friday 2026-09-25 (中秋)
/// ends on [`nth_working_day_after`]`(cal, 2026-09-24, 5)`.
pub fn nth_working_day_after(cal: &Calendar, day: NaiveDate, n: u32) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    while left > 0 {
        let Some(next) = d.succ_opt() else {
            return d;
        };
        d = next;
        if cal.is_working_day(d) {
            left -= 1;
        }
    }
    d
}

/// What a recurring job does when it falls on a holiday (法定节假日) or, for a student branch,
/// in a vacation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayRule {
    /// Fire anyway.
    Keep,
    /// Fire on the next working day, at the same time of day.
    NextWorkingDay,
    /// Do not fire this time.
    Drop,
}

/// Where a firing on `day` goes under `rule`: the same day, another day, or nowhere.
pub fn apply(cal: &Calendar, rule: HolidayRule, day: NaiveDate) -> Option<NaiveDate> {
    if cal.holiday(day).is_none() {
        return Some(day);
    }
    match rule {
        HolidayRule::Keep => Some(day),
        HolidayRule::NextWorkingDay => Some(cal.working_day_on_or_after(day)),
        HolidayRule::Drop => None,
    }
}

/// Why a calendar file was refused: each names the entry and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("not valid TOML: {0}")]
    Syntax(String),
    #[error("{entry}: “{value}” is not a date like 2026-10-01")]
    BadDate { entry: String, value: String },
    #[error("{entry}: days must be [first, last]")]
    BadSpan { entry: String },
    #[error("{entry}: the last day is before the first")]
    Reversed { entry: String },
    #[error("{entry}: longer than {MAX_SPAN_DAYS} days")]
    TooLong { entry: String },
    #[error("{entry}: {day} is both a day off and a make-up working day")]
    Clash { entry: String, day: NaiveDate },
    #[error("{entry}: the make-up working day {day} is not a Saturday or Sunday")]
    WorkdayOnWeekday { entry: String, day: NaiveDate },
    #[error("{entry}: the name is empty")]
    NoName { entry: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    holiday: Vec<HolidayEntry>,
    #[serde(default)]
    vacation: Vec<VacationEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    name: String,
    days: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VacationEntry {
    name: String,
    days: Vec<String>,
}

fn date(entry: &str, value: &str) -> Result<NaiveDate, CalendarError> {
    NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d").map_err(|_| CalendarError::BadDate {
        entry: entry.to_owned(),
        value: value.to_owned(),
    })
}

fn span(entry: &str, days: &[String]) -> Result<(NaiveDate, NaiveDate), CalendarError> {
    let [first, last] = days else {
        return Err(CalendarError::BadSpan {
            entry: entry.to_owned(),
        });
    };
    let (from, to) = (date(entry, first)?, date(entry, last)?);
    if to < from {
        return Err(CalendarError::Reversed {
            entry: entry.to_owned(),
        });
    }
    if (to - from).num_days() >= MAX_SPAN_DAYS {
        return Err(CalendarError::TooLong {
            entry: entry.to_owned(),
        });
    }
    Ok((from, to))
}

/// Reads a calendar file. Nothing is half-read: the first problem refuses the whole file.
pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
    let file: File = toml::from_str(text).map_err(|e| CalendarError::Syntax(e.to_string()))?;
    let mut cal = Calendar::default();
    for h in &file.holiday {
        let entry = h.name.trim();
        if entry.is_empty() {
            return Err(CalendarError::NoName {
                entry: "[[holiday]]".into(),
            });
        }
        let (from, to) = span(entry, &h.days)?;
        for d in from.iter_days().take_while(|d| *d <= to) {
            cal.holidays.insert(d, entry.to_owned());
        }
        for w in &h.workdays {
            let d = date(entry, w)?;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(CalendarError::WorkdayOnWeekday {
                    entry: entry.to_owned(),
                    day: d,
                });
            }
            cal.workdays.insert(d, entry.to_owned());
        }
    }
    if let Some((d, name)) = cal
        .workdays
        .iter()
        .find(|(d, _)| cal.holidays.contains_key(d))
    {
        return Err(CalendarError::Clash {
            entry: name.clone(),
            day: *d,
        });
    }
    for v in &file.vacation {
        let entry = v.name.trim();
        if entry.is_empty() {
            return Err(CalendarError::NoName {
                entry: "[[vacation]]".into(),
            });
        }
        let (from, to) = span(entry, &v.days)?;
        cal.vacations.push(Vacation {
            name: entry.to_owned(),
            from,
            to,
        });
    }
    cal.vacations.sort_by_key(|v| v.from);
    Ok(cal)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("../../examples/calendar.toml");

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn example() -> Calendar {
        parse(EXAMPLE).expect("the example calendar parses")
    }

    #[test]
    fn the_example_file_holds_the_state_councils_2026_arrangement() {
        let cal = example();
        // 33 days off in 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7.
        assert_eq!(cal.holidays.len(), 33);
        assert_eq!(
            cal.workdays
                .keys()
                .map(|d| d.to_string())
                .collect::<Vec<_>>(),
            [
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10"
            ]
        );
        assert_eq!(cal.holiday(d("2026-02-23")), Some("春节"));
        assert_eq!(cal.kind(d("2026-10-10")), DayKind::MakeUp("国庆节"));
    }

    #[test]
    fn a_make_up_saturday_is_a_working_day_and_a_holiday_monday_is_not() {
        let cal = example();
        assert!(
            cal.is_working_day(d("2026-02-14")),
            "调休 Saturday before 春节"
        );
        assert!(!cal.is_working_day(d("2026-02-16")), "春节 Monday");
        assert!(
            !cal.is_working_day(d("2026-02-21")),
            "a plain Saturday inside 春节"
        );
        assert!(
            cal.is_working_day(d("2026-02-24")),
            "the Tuesday after 春节"
        );
        assert!(!cal.is_working_day(d("2026-03-07")), "an ordinary Saturday");
    }

    #[test]
    fn the_nth_working_day_skips_holidays_and_counts_make_up_days() {
        let cal = example();
        // Thursday 24 Sep 2026: 中秋 takes Fri–Sun, so the first working day after is Mon 28.
        assert_eq!(
            nth_working_day_after(&cal, d("2026-09-24"), 1),
            d("2026-09-28")
        );
        // Five working days from Friday 9 Oct: the 调休 Saturday 10 Oct counts.
        assert_eq!(
            nth_working_day_after(&cal, d("2026-10-09"), 1),
            d("2026-10-10")
        );
        assert_eq!(
            nth_working_day_after(&cal, d("2026-10-09"), 5),
            d("2026-10-15")
        );
        // From the eve of 国庆 across the whole week.
        assert_eq!(
            nth_working_day_after(&cal, d("2026-09-30"), 1),
            d("2026-10-08")
        );
        assert_eq!(
            nth_working_day_after(&cal, d("2026-09-30"), 0),
            d("2026-09-30")
        );
        // With no calendar, weekends only.
        let none = Calendar::default();
        assert_eq!(
            nth_working_day_after(&none, d("2026-10-02"), 1),
            d("2026-10-05")
        );
    }

    #[test]
    fn a_rule_moves_drops_or_keeps_a_firing_on_a_holiday_and_leaves_other_days_alone() {
        let cal = example();
        let national_day = d("2026-10-01");
        assert_eq!(
            apply(&cal, HolidayRule::NextWorkingDay, national_day),
            Some(d("2026-10-08"))
        );
        assert_eq!(apply(&cal, HolidayRule::Drop, national_day), None);
        assert_eq!(
            apply(&cal, HolidayRule::Keep, national_day),
            Some(national_day)
        );
        let ordinary = d("2026-10-13");
        assert_eq!(apply(&cal, HolidayRule::Drop, ordinary), Some(ordinary));
    }

    #[test]
    fn a_vacation_is_found_by_any_of_its_days() {
        let cal = example();
        assert_eq!(
            cal.vacation(d("2026-08-01")).map(|v| v.name.as_str()),
            Some("2026年暑假")
        );
        assert!(cal.vacation(d("2026-08-31")).is_none());
        assert!(cal.vacation(d("2026-07-11")).is_some());
    }

    #[test]
    fn a_bad_file_is_refused_with_the_entry_and_the_value_named() {
        let bad_date = "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-32\"]\n";
        assert_eq!(
            parse(bad_date),
            Err(CalendarError::BadDate {
                entry: "国庆节".into(),
                value: "2026-10-32".into()
            })
        );
        let reversed = "[[vacation]]\nname = \"暑假\"\ndays = [\"2026-08-30\", \"2026-07-11\"]\n";
        assert!(matches!(
            parse(reversed),
            Err(CalendarError::Reversed { .. })
        ));
        let year_typo = "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2027-10-07\"]\n";
        assert!(matches!(
            parse(year_typo),
            Err(CalendarError::TooLong { .. })
        ));
        let weekday_workday =
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-09\"]\n";
        assert!(matches!(
            parse(weekday_workday),
            Err(CalendarError::WorkdayOnWeekday { .. })
        ));
        let clash =
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-03\"]\n";
        assert!(matches!(parse(clash), Err(CalendarError::Clash { .. })));
        assert!(matches!(
            parse("[[holdiay]]\n"),
            Err(CalendarError::Syntax(_))
        ));
    }
}
