//! The Chinese working calendar: 法定节假日 (public holidays), 调休 (weekend days worked in
//! exchange for a holiday) and a university's vacations (寒暑假). A crontab knows weekdays only;
//! these rules say which days are working days, and what each kind of recurring job does on
//! the days that are not ([`KindRule`], [`decide`]). Pure: the file is parsed into a
//! [`Calendar`] at the edge, the database keeps it (`store::calendar`), and the scheduler's
//! planning step asks it questions.
//!
//! The file (see `examples/calendar.toml`):
//!
//! ```toml
//! [[holiday]]
//! name = "国庆节"
//! days = ["2026-10-01", "2026-10-07"]      # first and last day off, both included
//! workdays = ["2026-09-20", "2026-10-10"]  # 调休上班
//! provisional = false                      # true: not yet the State Council's arrangement
//!
//! [[vacation]]
//! name = "2026年暑假"
//! days = ["2026-07-11", "2026-08-30"]
//! ```

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, Weekday};
use serde::Deserialize;
use toml::Spanned;

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
    /// Days (off or worked) of holidays marked `provisional`: the official arrangement was not
    /// published when the file was written.
    pub provisional: BTreeSet<NaiveDate>,
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

    /// The years the calendar speaks of: of every holiday, make-up day and vacation start.
    /// Loading a file replaces exactly these years.
    pub fn years(&self) -> BTreeSet<i32> {
        self.holidays
            .keys()
            .chain(self.workdays.keys())
            .map(Datelike::year)
            .chain(self.vacations.iter().map(|v| v.from.year()))
            .collect()
    }

    /// The holidays as entries, in date order: (name, first day, last day, make-up days,
    /// provisional). Consecutive days of one name make one entry.
    pub fn entries(&self) -> Vec<Entry> {
        let mut out: Vec<Entry> = Vec::new();
        for (day, name) in &self.holidays {
            match out.last_mut() {
                Some(e) if &e.name == name && e.to.succ_opt() == Some(*day) => e.to = *day,
                _ => out.push(Entry {
                    name: name.clone(),
                    from: *day,
                    to: *day,
                    workdays: Vec::new(),
                    provisional: self.provisional.contains(day),
                }),
            }
        }
        for (day, name) in &self.workdays {
            // The entry of that name nearest the make-up day.
            if let Some(e) = out
                .iter_mut()
                .filter(|e| &e.name == name)
                .min_by_key(|e| (e.from - *day).num_days().abs())
            {
                e.workdays.push(*day);
            }
        }
        out
    }
}

/// A day as people read it: 10月1日, or 1 Oct.
pub fn day_words(locale: crate::i18n::Locale, d: NaiveDate) -> String {
    match locale {
        crate::i18n::Locale::ZhCn => format!("{}月{}日", d.month(), d.day()),
        crate::i18n::Locale::En => d.format("%-d %b").to_string(),
    }
}

/// One holiday as `calendar show` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub workdays: Vec<NaiveDate>,
    pub provisional: bool,
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

/// What a recurring job does when it falls on a holiday (法定节假日).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolidayRule {
    /// Fire anyway.
    Keep,
    /// Fire on the next working day, at the same time of day.
    #[serde(rename = "move")]
    NextWorkingDay,
    /// Do not fire this time.
    Drop,
}

impl HolidayRule {
    /// The word in the configuration file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::NextWorkingDay => "move",
            Self::Drop => "drop",
        }
    }
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

/// How one kind of job follows the calendar (`[calendar.rules.<kind>]` in the configuration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindRule {
    /// On a 法定节假日.
    pub on_holiday: HolidayRule,
    /// A Monday-to-Friday crontab means 工作日: it also fires on 调休 make-up Saturdays and
    /// Sundays, and never on a holiday (unless `on_holiday` is `keep`).
    pub working_days: bool,
    /// For a student branch's jobs: no non-urgent push during a vacation (寒暑假).
    pub pause_in_vacation: bool,
}

impl KindRule {
    /// Keeps its times whatever the day: what belongs to an event (a meeting's reminders) or
    /// to the machinery. A kind's rule unless it says otherwise.
    pub const KEEP: Self = Self::new(HolidayRule::Keep, false, false);
    /// A push that can wait: a holiday's moves to the next working day, a Monday-to-Friday
    /// schedule means 工作日.
    pub const PUSH: Self = Self::new(HolidayRule::NextWorkingDay, true, false);
    /// A [`Self::PUSH`] that also pauses for a student branch in its vacations.
    pub const PUSH_PAUSED_IN_VACATION: Self = Self::new(HolidayRule::NextWorkingDay, true, true);
    /// A daily chore: a holiday's run is dropped, the next day's covers it.
    pub const DAILY_CHORE: Self = Self::new(HolidayRule::Drop, true, false);

    pub const fn new(on_holiday: HolidayRule, working_days: bool, pause_in_vacation: bool) -> Self {
        Self {
            on_holiday,
            working_days,
            pause_in_vacation,
        }
    }
}

/// Each kind's changes from the configuration (`[calendar.rules.<kind>]`); what a change leaves
/// out, and every kind it does not name, keeps the kind's own rule
/// ([`crate::scheduler::Job::calendar_rule`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Rules {
    changed: BTreeMap<String, RuleChange>,
}

/// A configuration's change to one kind's rule: what it leaves out keeps its default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleChange {
    pub on_holiday: Option<HolidayRule>,
    pub working_days: Option<bool>,
    pub pause_in_vacation: Option<bool>,
}

impl Rules {
    /// The configuration's changes (kind → change). Whether each names a kind the binary runs
    /// is the registry's to say (`Registry::unknown_calendar_kind`).
    pub fn new<'a>(changes: impl IntoIterator<Item = (&'a String, &'a RuleChange)>) -> Self {
        Self {
            changed: changes.into_iter().map(|(k, c)| (k.clone(), *c)).collect(),
        }
    }

    /// The rule of `kind`: its own rule `base` with the configuration's change.
    pub fn get(&self, kind: &str, base: KindRule) -> KindRule {
        match self.changed.get(kind) {
            Some(c) => KindRule {
                on_holiday: c.on_holiday.unwrap_or(base.on_holiday),
                working_days: c.working_days.unwrap_or(base.working_days),
                pause_in_vacation: c.pause_in_vacation.unwrap_or(base.pause_in_vacation),
            },
            None => base,
        }
    }

    /// The kinds the configuration changes, in name order.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.changed.keys().map(String::as_str)
    }
}

/// What an occurrence is about, as far as the calendar cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Subject {
    /// It concerns a student branch (it pauses in vacations if the rule says so).
    pub student: bool,
    /// Urgent: it fires whatever the day.
    pub urgent: bool,
}

/// Why an occurrence does not fire when it was due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// A day off of this holiday.
    Holiday(String),
    /// In this vacation, for a student branch.
    Vacation(String),
}

impl Reason {
    /// The holiday's or vacation's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Holiday(n) | Self::Vacation(n) => n,
        }
    }
}

/// What the calendar does to one occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// It fires when due.
    Fire,
    /// It fires at this local time instead.
    Move { to: NaiveDateTime, why: Reason },
    /// It does not fire.
    Drop { why: Reason },
}

/// What happens to an occurrence due at the local time `at` of a kind with `rule`, about
/// `subject`. `working_days` says the occurrence belongs to a 工作日 schedule (a
/// Monday-to-Friday crontab under a rule with `working_days`): on a holiday it is dropped,
/// since the schedule's next working day fires anyway. `recurring` says another occurrence
/// follows: a recurring job paused by a vacation waits for its next one, a one-off job moves to
/// the first working day after the vacation.
pub fn decide(
    cal: &Calendar,
    rule: KindRule,
    subject: Subject,
    at: NaiveDateTime,
    working_days: bool,
    recurring: bool,
) -> Decision {
    if subject.urgent {
        return Decision::Fire;
    }
    let day = at.date();
    if subject.student && rule.pause_in_vacation {
        if let Some(v) = cal.vacation(day) {
            let why = Reason::Vacation(v.name.clone());
            if recurring {
                return Decision::Drop { why };
            }
            let after = v.to.succ_opt().unwrap_or(v.to);
            let to = cal.working_day_on_or_after(after).and_time(at.time());
            return Decision::Move { to, why };
        }
    }
    let Some(name) = cal.holiday(day) else {
        return Decision::Fire;
    };
    let why = Reason::Holiday(name.to_owned());
    match rule.on_holiday {
        HolidayRule::Keep => Decision::Fire,
        HolidayRule::Drop => Decision::Drop { why },
        HolidayRule::NextWorkingDay if working_days => Decision::Drop { why },
        HolidayRule::NextWorkingDay => Decision::Move {
            to: cal.working_day_on_or_after(day).and_time(at.time()),
            why,
        },
    }
}

/// A problem of a calendar file, on its line (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct CalendarError {
    pub line: usize,
    pub kind: ProblemKind,
}

/// Why a calendar file was refused: each names the entry and the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
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
    #[error("the file lists no holiday and no vacation")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    holiday: Vec<Spanned<HolidayEntry>>,
    #[serde(default)]
    vacation: Vec<Spanned<VacationEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    name: Spanned<String>,
    days: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    workdays: Vec<Spanned<String>>,
    #[serde(default)]
    provisional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VacationEntry {
    name: Spanned<String>,
    days: Spanned<Vec<Spanned<String>>>,
}

/// The line (from 1) of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src[..offset.min(src.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

struct Reader<'a> {
    src: &'a str,
}

impl Reader<'_> {
    fn err(&self, span: std::ops::Range<usize>, kind: ProblemKind) -> CalendarError {
        CalendarError {
            line: line_of(self.src, span.start),
            kind,
        }
    }

    fn date(&self, entry: &str, value: &Spanned<String>) -> Result<NaiveDate, CalendarError> {
        NaiveDate::parse_from_str(value.get_ref().trim(), "%Y-%m-%d").map_err(|_| {
            self.err(
                value.span(),
                ProblemKind::BadDate {
                    entry: entry.to_owned(),
                    value: value.get_ref().clone(),
                },
            )
        })
    }

    fn span(
        &self,
        entry: &str,
        days: &Spanned<Vec<Spanned<String>>>,
    ) -> Result<(NaiveDate, NaiveDate), CalendarError> {
        let [first, last] = days.get_ref().as_slice() else {
            return Err(self.err(
                days.span(),
                ProblemKind::BadSpan {
                    entry: entry.to_owned(),
                },
            ));
        };
        let (from, to) = (self.date(entry, first)?, self.date(entry, last)?);
        if to < from {
            return Err(self.err(
                days.span(),
                ProblemKind::Reversed {
                    entry: entry.to_owned(),
                },
            ));
        }
        if (to - from).num_days() >= MAX_SPAN_DAYS {
            return Err(self.err(
                days.span(),
                ProblemKind::TooLong {
                    entry: entry.to_owned(),
                },
            ));
        }
        Ok((from, to))
    }

    fn name(
        &self,
        table: &'static str,
        entry: std::ops::Range<usize>,
        name: &Spanned<String>,
    ) -> Result<String, CalendarError> {
        let n = name.get_ref().trim();
        if n.is_empty() {
            return Err(self.err(
                entry,
                ProblemKind::NoName {
                    entry: table.into(),
                },
            ));
        }
        Ok(n.to_owned())
    }
}

/// Reads a calendar file. Nothing is half-read: the first problem refuses the whole file.
pub fn parse(text: &str) -> Result<Calendar, CalendarError> {
    let r = Reader { src: text };
    let file: File = toml::from_str(text).map_err(|e| CalendarError {
        line: e.span().map(|s| line_of(text, s.start)).unwrap_or(1),
        kind: ProblemKind::Syntax(e.message().trim().to_owned()),
    })?;
    let mut cal = Calendar::default();
    // Which line put each make-up day, to name it if a day off clashes.
    let mut workday_lines: BTreeMap<NaiveDate, std::ops::Range<usize>> = BTreeMap::new();
    for h in &file.holiday {
        let span = h.span();
        let h = h.get_ref();
        let entry = r.name("[[holiday]]", span, &h.name)?;
        let (from, to) = r.span(&entry, &h.days)?;
        for d in from.iter_days().take_while(|d| *d <= to) {
            cal.holidays.insert(d, entry.clone());
            if h.provisional {
                cal.provisional.insert(d);
            }
        }
        for w in &h.workdays {
            let d = r.date(&entry, w)?;
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(r.err(
                    w.span(),
                    ProblemKind::WorkdayOnWeekday {
                        entry: entry.clone(),
                        day: d,
                    },
                ));
            }
            cal.workdays.insert(d, entry.clone());
            workday_lines.insert(d, w.span());
            if h.provisional {
                cal.provisional.insert(d);
            }
        }
    }
    if let Some((d, name)) = cal
        .workdays
        .iter()
        .find(|(d, _)| cal.holidays.contains_key(d))
    {
        return Err(r.err(
            workday_lines.get(d).cloned().unwrap_or(0..0),
            ProblemKind::Clash {
                entry: name.clone(),
                day: *d,
            },
        ));
    }
    for v in &file.vacation {
        let span = v.span();
        let v = v.get_ref();
        let entry = r.name("[[vacation]]", span, &v.name)?;
        let (from, to) = r.span(&entry, &v.days)?;
        cal.vacations.push(Vacation {
            name: entry,
            from,
            to,
        });
    }
    if cal.is_empty() {
        return Err(CalendarError {
            line: 1,
            kind: ProblemKind::Empty,
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
        // 33 days off in 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7; 2027's 13 statutory days are
        // provisional until the State Council's notice.
        let in_2026 = |d: &&NaiveDate| d.year() == 2026;
        assert_eq!(cal.holidays.keys().filter(in_2026).count(), 33);
        assert_eq!(cal.holidays.len(), 33 + 13);
        assert_eq!(cal.provisional.len(), 13);
        assert!(cal.provisional.iter().all(|d| d.year() == 2027));
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
    fn a_bad_file_is_refused_with_the_line_the_entry_and_the_value_named() {
        let bad_date = "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-32\"]\n";
        assert_eq!(
            parse(bad_date),
            Err(CalendarError {
                line: 3,
                kind: ProblemKind::BadDate {
                    entry: "国庆节".into(),
                    value: "2026-10-32".into()
                }
            })
        );
        let kind = |text: &str| parse(text).map(|_| ()).unwrap_err();
        let reversed = "[[vacation]]\nname = \"暑假\"\ndays = [\"2026-08-30\", \"2026-07-11\"]\n";
        assert!(matches!(
            kind(reversed),
            CalendarError {
                line: 3,
                kind: ProblemKind::Reversed { .. }
            }
        ));
        let year_typo = "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2027-10-07\"]\n";
        assert!(matches!(kind(year_typo).kind, ProblemKind::TooLong { .. }));
        let weekday_workday =
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-09\"]\n";
        assert!(matches!(
            kind(weekday_workday),
            CalendarError {
                line: 4,
                kind: ProblemKind::WorkdayOnWeekday { .. }
            }
        ));
        let clash =
            "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\nworkdays = [\"2026-10-03\"]\n";
        assert!(matches!(kind(clash).kind, ProblemKind::Clash { .. }));
        assert!(matches!(
            kind("\n[[holdiay]]\n"),
            CalendarError {
                line: 2,
                kind: ProblemKind::Syntax(_)
            }
        ));
        assert!(matches!(kind("# nothing\n").kind, ProblemKind::Empty));
    }

    #[test]
    fn the_years_a_file_covers_are_those_of_its_days() {
        let cal = example();
        assert_eq!(cal.years().into_iter().collect::<Vec<_>>(), [2026, 2027]);
        let entries = cal.entries();
        let national = entries
            .iter()
            .find(|e| e.name == "国庆节" && e.from.year() == 2026)
            .unwrap();
        assert_eq!(
            (national.from, national.to),
            (d("2026-10-01"), d("2026-10-07"))
        );
        assert_eq!(national.workdays, [d("2026-09-20"), d("2026-10-10")]);
        assert!(!national.provisional);
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_decision_moves_drops_keeps_or_pauses_by_kind_and_subject() {
        let cal = example();
        // The rules of `pledge_checkin` and `meeting` as those kinds declare them.
        let checkin = KindRule::new(HolidayRule::NextWorkingDay, true, true);
        let none = Subject::default();
        let student = Subject {
            student: true,
            urgent: false,
        };
        assert_eq!(
            decide(&cal, checkin, none, at("2026-10-01 09:00"), false, true),
            Decision::Move {
                to: at("2026-10-08 09:00"),
                why: Reason::Holiday("国庆节".into())
            }
        );
        // A meeting's reminder keeps its time on a holiday.
        assert_eq!(
            decide(
                &cal,
                KindRule::KEEP,
                none,
                at("2026-10-02 09:00"),
                false,
                false
            ),
            Decision::Fire
        );
        // A 工作日 schedule skips the holiday: its next working day fires anyway.
        assert_eq!(
            decide(&cal, checkin, none, at("2026-10-01 09:00"), true, true),
            Decision::Drop {
                why: Reason::Holiday("国庆节".into())
            }
        );
        // A student branch in the summer vacation: a recurring push waits for its next time,
        // a one-off one for the first working day after the vacation.
        assert_eq!(
            decide(&cal, checkin, student, at("2026-08-01 09:00"), false, true),
            Decision::Drop {
                why: Reason::Vacation("2026年暑假".into())
            }
        );
        assert_eq!(
            decide(&cal, checkin, student, at("2026-08-01 09:00"), false, false),
            Decision::Move {
                to: at("2026-08-31 09:00"),
                why: Reason::Vacation("2026年暑假".into())
            }
        );
        assert_eq!(
            decide(&cal, checkin, none, at("2026-08-03 09:00"), false, true),
            Decision::Fire
        );
        let urgent = Subject {
            student: true,
            urgent: true,
        };
        assert_eq!(
            decide(&cal, checkin, urgent, at("2026-10-01 09:00"), false, true),
            Decision::Fire
        );
    }

    #[test]
    fn the_configuration_changes_only_what_it_names_of_a_kinds_rule() {
        let change = RuleChange {
            on_holiday: Some(HolidayRule::Drop),
            ..RuleChange::default()
        };
        let changes = [("pledge_checkin".to_owned(), change)];
        let rules = Rules::new(changes.iter().map(|(k, c)| (k, c)));
        let own = KindRule::new(HolidayRule::NextWorkingDay, true, true);
        let r = rules.get("pledge_checkin", own);
        assert_eq!(r.on_holiday, HolidayRule::Drop);
        assert!(
            r.working_days && r.pause_in_vacation,
            "the rest keeps its default"
        );
        assert_eq!(rules.get("meeting", KindRule::KEEP), KindRule::KEEP);
        assert_eq!(rules.kinds().collect::<Vec<_>>(), ["pledge_checkin"]);
    }
}
