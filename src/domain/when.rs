//! Reading a date and time the way people type them in a chat: `2026-12-03 19:30`,
//! `12月3日 19:30`, `12-10 19：30`, `周三 19:30`, `下周三 19:30`, `下午3点`, `晚上7点半`,
//! `明晚7点`, `明天上午9点`, `后天 9:00`, `tomorrow 8:05`. A date typed without a year that
//! has already passed this year is not silently moved to next year: the reading says so, and
//! the caller asks. Pure: no I/O; "now" and the zone are passed in.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Why a typed date and time was not understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhenError {
    /// Not a date and time in any accepted form.
    Unreadable,
    /// A date that does not exist (31 February).
    NoSuchDate,
    /// Before now.
    InThePast,
    /// A day without the time of day ("明晚", "12月10日").
    NoTime,
}

/// A date and time read from what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub at: DateTime<Utc>,
    /// The date was typed without a year and has passed this year, so `at` is next year's:
    /// a guess the person must confirm.
    pub next_year: bool,
}

/// A day read from what was typed (a pledge's target date).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    pub date: NaiveDate,
    /// As [`When::next_year`].
    pub next_year: bool,
}

/// Reads a local date and time in `tz`, relative to `now`. A time alone is today; a weekday
/// alone (周三) is the next such day from today, 下周三 the Wednesday of next week (weeks
/// start on Monday), 本周三 this week's.
pub fn parse_when(text: &str, now: DateTime<Utc>, tz: Tz) -> Result<When, WhenError> {
    let today = now.with_timezone(&tz).date_naive();
    let folded = crate::chat::fold(text).to_lowercase();
    let mut c = Cursor::new(folded.trim());
    let mut part = None;
    let date = read_date(&mut c, &mut part)?;
    c.ws();
    if part.is_none() {
        part = read_part(&mut c);
        c.ws();
    }
    let time = read_time(&mut c)?;
    c.ws();
    if !c.done() {
        return Err(WhenError::Unreadable);
    }
    let (date, next_year) = match (date, time) {
        (None, None) => return Err(WhenError::Unreadable),
        (Some(_), None) => return Err(WhenError::NoTime),
        (None, Some(_)) => (today, false),
        (Some(d), Some(_)) => resolve(d, today)?,
    };
    let (h, m) = time.unwrap_or_default();
    let h = adjust_hour(h, part).ok_or(WhenError::Unreadable)?;
    let time = NaiveTime::from_hms_opt(h, m, 0).ok_or(WhenError::Unreadable)?;
    let at = tz
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .earliest()
        .ok_or(WhenError::NoSuchDate)?
        .with_timezone(&Utc);
    if at <= now {
        return Err(WhenError::InThePast);
    }
    Ok(When { at, next_year })
}

/// Reads a day alone (`2026-12-31`, `2026年12月31日`, `12月31日`, `12-31`, `明天`, `下周五`)
/// relative to `today`. A day before today is [`WhenError::InThePast`].
pub fn parse_day(text: &str, today: NaiveDate) -> Result<Day, WhenError> {
    let folded = crate::chat::fold(text).to_lowercase();
    let mut c = Cursor::new(folded.trim());
    let mut part = None;
    let date = read_date(&mut c, &mut part)?;
    c.ws();
    if !c.done() || part.is_some() {
        return Err(WhenError::Unreadable);
    }
    let (date, next_year) = resolve(date.ok_or(WhenError::Unreadable)?, today)?;
    if date < today {
        return Err(WhenError::InThePast);
    }
    Ok(Day { date, next_year })
}

/// A time of day alone, as typed (`9点`, `晚上7点半`, `19:30`, `上午 9:00`): hour and minute.
/// None when the text is not one.
pub fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let folded = crate::chat::fold(text).to_lowercase();
    let mut c = Cursor::new(folded.trim());
    let part = read_part(&mut c);
    c.ws();
    let (h, m) = read_time(&mut c).ok()??;
    c.ws();
    if !c.done() {
        return None;
    }
    let h = adjust_hour(h, part)?;
    (h < 24 && m < 60).then_some((h, m))
}

/// A number in digits or Chinese numerals at the start of `text` (`15`, `十五`), and the rest.
pub fn leading_number(text: &str) -> Option<(u32, &str)> {
    let mut c = Cursor::new(text);
    let n = c.number()?;
    let consumed: usize = c.chars[..c.i].iter().map(|ch| ch.len_utf8()).sum();
    Some((n, &text[consumed..]))
}

/// A day as typed, before it is placed relative to today.
#[derive(Debug, Clone, Copy)]
enum DateSpec {
    /// Today plus this many days.
    Days(i64),
    /// A weekday (1 = Monday … 7 = Sunday) of the coming, this or the next week.
    Weekday(Week, u32),
    /// Month and day, no year.
    MonthDay(u32, u32),
    /// A full date.
    Full(i32, u32, u32),
}

#[derive(Debug, Clone, Copy)]
enum Week {
    Coming,
    This,
    Next,
}

/// 上午 / 中午 / 下午 and their kin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Morning,
    Noon,
    Afternoon,
}

fn resolve(spec: DateSpec, today: NaiveDate) -> Result<(NaiveDate, bool), WhenError> {
    let wd = i64::from(today.weekday().number_from_monday());
    let monday = today - Duration::days(wd - 1);
    Ok(match spec {
        DateSpec::Days(n) => (today + Duration::days(n), false),
        DateSpec::Weekday(Week::Coming, d) => (
            today + Duration::days((i64::from(d) - wd).rem_euclid(7)),
            false,
        ),
        DateSpec::Weekday(Week::This, d) => (monday + Duration::days(i64::from(d) - 1), false),
        DateSpec::Weekday(Week::Next, d) => (monday + Duration::days(i64::from(d) + 6), false),
        DateSpec::Full(y, m, d) => (
            NaiveDate::from_ymd_opt(y, m, d).ok_or(WhenError::NoSuchDate)?,
            false,
        ),
        DateSpec::MonthDay(m, d) => {
            if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
                return Err(WhenError::NoSuchDate);
            }
            match NaiveDate::from_ymd_opt(today.year(), m, d) {
                Some(date) if date >= today => (date, false),
                _ => (
                    NaiveDate::from_ymd_opt(today.year() + 1, m, d).ok_or(WhenError::NoSuchDate)?,
                    true,
                ),
            }
        }
    })
}

fn adjust_hour(h: u32, part: Option<Part>) -> Option<u32> {
    match part {
        None | Some(Part::Morning) => Some(h),
        Some(Part::Noon) if h <= 2 => Some(h + 12),
        Some(Part::Noon) => Some(h),
        // 晚上12点 is midnight of the next day: too easy to misread, so not taken.
        Some(Part::Afternoon) if h == 12 => None,
        Some(Part::Afternoon) if h < 12 => Some(h + 12),
        Some(Part::Afternoon) => Some(h),
    }
}

const RELATIVE: &[(&str, i64, Option<Part>)] = &[
    ("大后天", 3, None),
    ("后天", 2, None),
    ("明天", 1, None),
    ("明日", 1, None),
    ("明晚", 1, Some(Part::Afternoon)),
    ("明早", 1, Some(Part::Morning)),
    ("明晨", 1, Some(Part::Morning)),
    ("今天", 0, None),
    ("今日", 0, None),
    ("今晚", 0, Some(Part::Afternoon)),
    ("今早", 0, Some(Part::Morning)),
    ("tomorrow", 1, None),
    ("today", 0, None),
];

const WEEKS: &[(&str, Week)] = &[
    ("下星期", Week::Next),
    ("下礼拜", Week::Next),
    ("下周", Week::Next),
    ("本星期", Week::This),
    ("这星期", Week::This),
    ("这礼拜", Week::This),
    ("本周", Week::This),
    ("这周", Week::This),
    ("星期", Week::Coming),
    ("礼拜", Week::Coming),
    ("周", Week::Coming),
];

const PARTS: &[(&str, Part)] = &[
    ("上午", Part::Morning),
    ("早上", Part::Morning),
    ("早晨", Part::Morning),
    ("凌晨", Part::Morning),
    ("中午", Part::Noon),
    ("下午", Part::Afternoon),
    ("傍晚", Part::Afternoon),
    ("晚上", Part::Afternoon),
    ("夜里", Part::Afternoon),
];

fn read_date(c: &mut Cursor, part: &mut Option<Part>) -> Result<Option<DateSpec>, WhenError> {
    for &(word, days, p) in RELATIVE {
        if c.eat(word) {
            *part = p;
            return Ok(Some(DateSpec::Days(days)));
        }
    }
    for &(word, week) in WEEKS {
        if c.eat(word) {
            let day = match c.next() {
                Some('一' | '1') => 1,
                Some('二' | '2') => 2,
                Some('三' | '3') => 3,
                Some('四' | '4') => 4,
                Some('五' | '5') => 5,
                Some('六' | '6') => 6,
                Some('日' | '天' | '七' | '7') => 7,
                _ => return Err(WhenError::Unreadable),
            };
            return Ok(Some(DateSpec::Weekday(week, day)));
        }
    }
    let start = c.i;
    let Some((first, len)) = c.digits() else {
        return Ok(None);
    };
    let date_sep = |ch: Option<char>| matches!(ch, Some('-' | '/' | '.' | '月'));
    if len == 4 && (date_sep(c.peek()) || c.peek() == Some('年')) {
        c.next();
        let (m, _) = c.digits().ok_or(WhenError::Unreadable)?;
        if !date_sep(c.next()) {
            return Err(WhenError::Unreadable);
        }
        let (d, _) = c.digits().ok_or(WhenError::Unreadable)?;
        c.eat_day_mark();
        let year = i32::try_from(first).map_err(|_| WhenError::Unreadable)?;
        return Ok(Some(DateSpec::Full(year, m, d)));
    }
    if len <= 2 && date_sep(c.peek()) {
        c.next();
        let (d, _) = c.digits().ok_or(WhenError::Unreadable)?;
        c.eat_day_mark();
        return Ok(Some(DateSpec::MonthDay(first, d)));
    }
    // Digits that begin a time ("19:30", "3点").
    c.i = start;
    Ok(None)
}

fn read_part(c: &mut Cursor) -> Option<Part> {
    PARTS
        .iter()
        .find(|(word, _)| c.eat(word))
        .map(|&(_, part)| part)
}

fn read_time(c: &mut Cursor) -> Result<Option<(u32, u32)>, WhenError> {
    let Some(h) = c.number() else {
        return Ok(None);
    };
    match c.next() {
        Some(':') => {
            let (m, len) = c.digits().ok_or(WhenError::Unreadable)?;
            if len != 2 {
                return Err(WhenError::Unreadable);
            }
            Ok(Some((h, m)))
        }
        Some('点' | '时') => {
            let m = if c.eat("半") {
                30
            } else if c.eat("一刻") {
                15
            } else if c.eat("三刻") {
                45
            } else if let Some(m) = c.number() {
                c.eat("分");
                m
            } else {
                c.eat("整");
                0
            };
            Ok(Some((h, m)))
        }
        _ => Err(WhenError::Unreadable),
    }
}

/// A position in the typed text.
struct Cursor {
    chars: Vec<char>,
    i: usize,
}

impl Cursor {
    fn new(s: &str) -> Self {
        Self {
            chars: s.chars().collect(),
            i: 0,
        }
    }

    fn done(&self) -> bool {
        self.i >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.i += 1;
        Some(c)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn eat(&mut self, word: &str) -> bool {
        let w: Vec<char> = word.chars().collect();
        if self.chars[self.i..].starts_with(&w) {
            self.i += w.len();
            true
        } else {
            false
        }
    }

    fn eat_day_mark(&mut self) {
        if matches!(self.peek(), Some('日' | '号')) {
            self.i += 1;
        }
    }

    /// A run of ASCII digits: its value and length.
    fn digits(&mut self) -> Option<(u32, usize)> {
        let start = self.i;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.i += 1;
        }
        let run: String = self.chars[start..self.i].iter().collect();
        match run.parse() {
            Ok(n) if run.len() <= 4 => Some((n, run.len())),
            _ => {
                self.i = start;
                None
            }
        }
    }

    /// A number in digits or in Chinese numerals up to 99 (七, 十, 十二, 二十, 三十五).
    fn number(&mut self) -> Option<u32> {
        if let Some((n, _)) = self.digits() {
            return Some(n);
        }
        let digit = |c: char| "零一二三四五六七八九".find(c).map(|b| (b / 3) as u32);
        let start = self.i;
        let (mut tens, mut units, mut seen_ten) = (None, None, false);
        while let Some(c) = self.peek() {
            if c == '十' && !seen_ten {
                seen_ten = true;
                tens = Some(units.take().unwrap_or(1));
            } else if let Some(d) = digit(c).or((c == '两').then_some(2)) {
                if units.is_some() {
                    break;
                }
                units = Some(d);
            } else {
                break;
            }
            self.i += 1;
        }
        if self.i == start {
            return None;
        }
        Some(tens.unwrap_or(0) * 10 + units.unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    /// Monday 2026-12-07 10:00 in Shanghai.
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, 2, 0, 0).unwrap()
    }

    fn read(typed: &str) -> Result<String, WhenError> {
        parse_when(typed, now(), TZ).map(|w| {
            let local = w.at.with_timezone(&TZ).format("%Y-%m-%d %H:%M");
            if w.next_year {
                format!("{local} ?")
            } else {
                local.to_string()
            }
        })
    }

    #[test]
    fn times_are_read_the_way_people_type_them_in_a_chat() {
        for (typed, want) in [
            ("周三 19:30", "2026-12-09 19:30"),
            ("星期三19:30", "2026-12-09 19:30"),
            ("下周三 19:30", "2026-12-16 19:30"),
            ("本周五 晚上8点", "2026-12-11 20:00"),
            ("周日 9:00", "2026-12-13 09:00"),
            ("下午3点", "2026-12-07 15:00"),
            ("晚上7点半", "2026-12-07 19:30"),
            ("明晚7点", "2026-12-08 19:00"),
            ("明晚 19:30", "2026-12-08 19:30"),
            ("明天上午9点", "2026-12-08 09:00"),
            ("明天 上午 9点15分", "2026-12-08 09:15"),
            ("后天 9:00", "2026-12-09 09:00"),
            ("后天下午两点", "2026-12-09 14:00"),
            ("12-10 19:30", "2026-12-10 19:30"),
            ("19：30", "2026-12-07 19:30"),
            ("12月10日 19:30", "2026-12-10 19:30"),
            ("12月10号晚上七点半", "2026-12-10 19:30"),
            ("中午12点", "2026-12-07 12:00"),
            ("中午1点", "2026-12-07 13:00"),
            ("周一 晚上十点", "2026-12-07 22:00"),
        ] {
            assert_eq!(read(typed), Ok(want.into()), "{typed}");
        }
    }

    #[test]
    fn the_old_forms_still_read() {
        for (typed, want) in [
            ("2026-12-23 19:30", "2026-12-23 19:30"),
            ("2026/12/23 19:30", "2026-12-23 19:30"),
            ("2026年12月23日 19:30", "2026-12-23 19:30"),
            ("１２月２３日 １９：３０", "2026-12-23 19:30"),
            ("12/23 19:30", "2026-12-23 19:30"),
            ("12月23日19:30", "2026-12-23 19:30"),
            ("tomorrow 8:05", "2026-12-08 08:05"),
            ("今天 19:30", "2026-12-07 19:30"),
        ] {
            assert_eq!(read(typed), Ok(want.into()), "{typed}");
        }
    }

    #[test]
    fn a_past_date_without_a_year_is_next_year_but_flagged_to_ask() {
        assert_eq!(read("12月3日 19:30"), Ok("2027-12-03 19:30 ?".into()));
        assert_eq!(read("1月5日 9:00"), Ok("2027-01-05 09:00 ?".into()));
        // Today, earlier: that has passed, it is not next year.
        assert_eq!(read("12月7日 8:00"), Err(WhenError::InThePast));
        assert_eq!(read("2026-12-03 19:30"), Err(WhenError::InThePast));
    }

    #[test]
    fn a_day_without_a_time_asks_for_the_time() {
        for typed in ["明晚", "后天", "12-10", "12月10日", "下周三"] {
            assert_eq!(read(typed), Err(WhenError::NoTime), "{typed}");
        }
    }

    #[test]
    fn impossible_past_and_unreadable_times_are_told_apart() {
        assert_eq!(read("2027-02-31 19:30"), Err(WhenError::NoSuchDate));
        assert_eq!(read("2月30日 19:30"), Err(WhenError::NoSuchDate));
        assert_eq!(read("13月3日 19:30"), Err(WhenError::NoSuchDate));
        assert_eq!(read("今天 8:00"), Err(WhenError::InThePast));
        assert_eq!(read("上午9点"), Err(WhenError::InThePast));
        assert_eq!(read("本周一 上午9点"), Err(WhenError::InThePast));
        for typed in [
            "next week",
            "12月3日 25:00",
            "周八 19:30",
            "19",
            "下周",
            "晚上12点",
            "12月3日 19:30 左右",
            "",
        ] {
            assert_eq!(read(typed), Err(WhenError::Unreadable), "{typed}");
        }
    }

    #[test]
    fn a_target_day_in_the_past_is_refused_in_every_form() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let day = |s| parse_day(s, today).map(|d| (d.date.to_string(), d.next_year));
        assert_eq!(day("2026-12-31"), Ok(("2026-12-31".into(), false)));
        assert_eq!(day("2026年12月31日"), Ok(("2026-12-31".into(), false)));
        assert_eq!(day("12月31日"), Ok(("2026-12-31".into(), false)));
        assert_eq!(day("今天"), Ok(("2026-12-07".into(), false)));
        assert_eq!(day("下周五"), Ok(("2026-12-18".into(), false)));
        assert_eq!(day("12月3日"), Ok(("2027-12-03".into(), true)));
        for past in ["2026-12-01", "2026/12/06", "2026.1.5", "2025年12月31日"] {
            assert_eq!(parse_day(past, today), Err(WhenError::InThePast), "{past}");
        }
        assert_eq!(parse_day("next week", today), Err(WhenError::Unreadable));
        assert_eq!(parse_day("2026-02-30", today), Err(WhenError::NoSuchDate));
        assert_eq!(
            parse_day("12月31日 19:30", today),
            Err(WhenError::Unreadable)
        );
    }
}
