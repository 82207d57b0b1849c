//! 党费, pure: amounts as exact fen (分) read from what people type, months, the `[dues]`
//! settings (when the monthly reminder goes out), and the run of unpaid months the regulation
//! counts (党章第三十八条: six months without paying dues without good reason).

use std::fmt;

use chrono::{Datelike, NaiveDate};

/// The largest monthly amount accepted: ¥10,000.00. Anything above is a typing mistake.
pub const MAX_FEN: i64 = 1_000_000;

/// Consecutive unpaid months that are flagged to the secretary.
pub const FLAG_AFTER: u32 = 6;

/// An amount of money in fen (分): ¥12.50 is `Amount(1250)`. Never a float.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Amount(pub i64);

/// Why a typed amount was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Not a number (`abc`, `12,50`, `1.2.3`).
    NotANumber,
    /// Below zero.
    Negative,
    /// Zero: nothing was paid.
    Zero,
    /// More than two decimals (`12.505`): fen are the smallest unit.
    TooPrecise,
    /// More than [`MAX_FEN`].
    TooLarge,
}

impl Amount {
    /// Reads `12.5`, `12.50`, `¥12.50`, `￥12.50`, `12.50元`, `１２.５０` (full width), `12`.
    pub fn parse(typed: &str) -> Result<Self, AmountError> {
        let folded = crate::chat::fold(typed);
        let mut s = folded.trim();
        for sign in ['¥', '￥'] {
            s = s.strip_prefix(sign).unwrap_or(s).trim_start();
        }
        s = s.strip_suffix('元').unwrap_or(s).trim_end();
        let (negative, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, Some(f)),
            None => (s, None),
        };
        let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        // `.5` reads as 0.5; a bare `.` or an empty whole part without decimals does not.
        let whole_ok = digits(whole) || (whole.is_empty() && frac.is_some());
        if !whole_ok || frac.is_some_and(|f| !digits(f)) {
            return Err(AmountError::NotANumber);
        }
        if negative {
            return Err(AmountError::Negative);
        }
        let frac = frac.unwrap_or("");
        if frac.len() > 2 {
            return Err(AmountError::TooPrecise);
        }
        let whole = whole.trim_start_matches('0');
        if whole.len() > 7 {
            return Err(AmountError::TooLarge);
        }
        let yuan: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| AmountError::TooLarge)?
        };
        let fen: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let total = yuan * 100 + fen;
        if total == 0 {
            return Err(AmountError::Zero);
        }
        if total > MAX_FEN {
            return Err(AmountError::TooLarge);
        }
        Ok(Self(total))
    }

    /// `¥12.50`.
    pub fn yuan(self) -> String {
        format!("¥{self}")
    }
}

impl fmt::Display for Amount {
    /// `12.50`: yuan with two decimals, as a spreadsheet reads it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let v = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", v / 100, v % 100)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Self>>(iter: I) -> Self {
        Self(iter.map(|a| a.0).sum())
    }
}

/// A calendar month in the organisation's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    /// 1–12.
    pub month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1..=12).contains(&month) && (2000..=2100).contains(&year)).then_some(Self { year, month })
    }

    /// The month a day falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self {
            year: day.year(),
            month: day.month(),
        }
    }

    /// Reads `2026-11`, `2026/11`, `2026.11`, `2026-1`, `2026年11月`, `202611`.
    pub fn parse(typed: &str) -> Option<Self> {
        let s = crate::chat::fold(typed);
        let s = s.trim().trim_end_matches('月');
        let (y, m) = if let Some(p) = s.find(['-', '/', '.', '年']) {
            let (y, rest) = s.split_at(p);
            (y, &rest[rest.chars().next()?.len_utf8()..])
        } else if s.len() == 6 && s.chars().all(|c| c.is_ascii_digit()) {
            s.split_at(4)
        } else {
            return None;
        };
        if y.len() != 4 || m.is_empty() || m.len() > 2 {
            return None;
        }
        if !y.chars().chain(m.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        Self::new(y.parse().ok()?, m.parse().ok()?)
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            Self {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Self {
                month: self.month + 1,
                ..self
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            Self {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Self {
                month: self.month - 1,
                ..self
            }
        }
    }

    /// Months from `self` to `other` (negative when `other` is earlier).
    pub fn until(self, other: Self) -> i32 {
        (other.year - self.year) * 12 + other.month as i32 - self.month as i32
    }
}

impl fmt::Display for Month {
    /// `2026-11`: what the database stores and people type.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// How far ahead a payment may be recorded (预交): a year.
pub const AHEAD_MONTHS: i32 = 12;

pub use crate::config::dues::Policy;

impl Policy {
    /// The reminder's crontab (`0 10 5 * *` by default), or what is wrong with the settings.
    pub fn crontab(&self) -> Result<String, String> {
        if !(1..=28).contains(&self.remind_day) {
            return Err(format!(
                "dues.remind_day: {} is not a day from 1 to 28 (every month has it)",
                self.remind_day
            ));
        }
        let bad = || {
            format!(
                "dues.remind_at: '{}' is not a time like 10:00",
                self.remind_at
            )
        };
        let (h, m) = self.remind_at.trim().split_once(':').ok_or_else(bad)?;
        let h: u32 = h.parse().map_err(|_| bad())?;
        let m: u32 = m.parse().map_err(|_| bad())?;
        if h > 23 || m > 59 {
            return Err(bad());
        }
        Ok(format!("{m} {h} {} * *", self.remind_day))
    }
}

/// One month of a member's ledger: what was expected and what was paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthDues {
    pub month: Month,
    /// The monthly amount set for the month; None: none set (nothing expected).
    pub expected: Option<Amount>,
    pub paid: Option<Amount>,
}

impl MonthDues {
    /// Expected and not paid.
    pub fn unpaid(&self) -> bool {
        self.expected.is_some() && self.paid.is_none()
    }
}

/// The amount set for `month` from a member's amounts (`(from, amount)`, any order): the
/// latest set at or before it.
pub fn amount_for(amounts: &[(Month, Amount)], month: Month) -> Option<Amount> {
    amounts
        .iter()
        .filter(|(from, _)| *from <= month)
        .max_by_key(|(from, _)| *from)
        .map(|(_, a)| *a)
}

/// The run of consecutive unpaid months ending just before `before` (that month itself is
/// still open): its first month and length. A month with no amount set ends the run.
pub fn unpaid_run(
    amounts: &[(Month, Amount)],
    paid: &[Month],
    before: Month,
) -> Option<(Month, u32)> {
    let mut m = before.prev();
    let mut len = 0;
    let mut first = None;
    while len < 240 && amount_for(amounts, m).is_some() && !paid.contains(&m) {
        first = Some(m);
        len += 1;
        m = m.prev();
    }
    first.map(|f| (f, len))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Month {
        Month::parse(s).unwrap()
    }

    #[test]
    fn amounts_read_as_exact_fen() {
        for (typed, fen) in [
            ("12.5", 1250),
            ("12.50", 1250),
            ("¥12.50", 1250),
            ("￥ 12.50", 1250),
            ("12.50元", 1250),
            ("１２.５０", 1250),
            ("12", 1200),
            ("0.2", 20),
            (".5", 50),
            ("0.01", 1),
            ("10000", 1_000_000),
            ("0012.30", 1230),
        ] {
            assert_eq!(Amount::parse(typed), Ok(Amount(fen)), "{typed}");
        }
        for (typed, err) in [
            ("-1", AmountError::Negative),
            ("-0.5", AmountError::Negative),
            ("12.505", AmountError::TooPrecise),
            ("0.001", AmountError::TooPrecise),
            ("10000.01", AmountError::TooLarge),
            ("99999999999999999999", AmountError::TooLarge),
            ("0", AmountError::Zero),
            ("0.00", AmountError::Zero),
            ("abc", AmountError::NotANumber),
            ("12,50", AmountError::NotANumber),
            ("1.2.3", AmountError::NotANumber),
            ("", AmountError::NotANumber),
            ("¥", AmountError::NotANumber),
            ("1e3", AmountError::NotANumber),
            ("12.", AmountError::NotANumber),
        ] {
            assert_eq!(Amount::parse(typed), Err(err), "{typed}");
        }
        assert_eq!(Amount(1250).to_string(), "12.50");
        assert_eq!(Amount(5).yuan(), "¥0.05");
        assert_eq!(Amount(-120).to_string(), "-1.20");
    }

    #[test]
    fn months_read_in_the_usual_forms_and_step() {
        for typed in [
            "2026-11",
            "2026/11",
            "2026.11",
            "2026年11月",
            "202611",
            "２０２６-１１",
        ] {
            assert_eq!(Month::parse(typed), Month::new(2026, 11), "{typed}");
        }
        assert_eq!(m("2026-1").to_string(), "2026-01");
        for bad in [
            "2026-13",
            "2026-00",
            "26-11",
            "2026",
            "2026-11-05",
            "x",
            "1999-12",
        ] {
            assert_eq!(Month::parse(bad), None, "{bad}");
        }
        assert_eq!(m("2026-12").next(), m("2027-01"));
        assert_eq!(m("2027-01").prev(), m("2026-12"));
        assert_eq!(m("2026-11").until(m("2027-02")), 3);
    }

    #[test]
    fn the_unpaid_run_counts_closed_months_back_to_a_payment_or_no_amount() {
        let amounts = [(m("2026-01"), Amount(1250)), (m("2026-05"), Amount(1500))];
        assert_eq!(amount_for(&amounts, m("2025-12")), None);
        assert_eq!(amount_for(&amounts, m("2026-04")), Some(Amount(1250)));
        assert_eq!(amount_for(&amounts, m("2026-09")), Some(Amount(1500)));
        assert_eq!(
            unpaid_run(&amounts, &[], m("2026-07")),
            Some((m("2026-01"), 6))
        );
        assert_eq!(
            unpaid_run(&amounts, &[m("2026-03")], m("2026-07")),
            Some((m("2026-04"), 3))
        );
        assert_eq!(unpaid_run(&amounts, &[m("2026-06")], m("2026-07")), None);
        assert_eq!(unpaid_run(&amounts, &[], m("2026-01")), None);
    }

    #[test]
    fn the_reminder_time_is_a_monthly_crontab() {
        assert_eq!(Policy::default().crontab().unwrap(), "0 10 5 * *");
        let p = Policy {
            remind_day: 29,
            ..Policy::default()
        };
        assert!(p.crontab().unwrap_err().contains("remind_day"));
        let p = Policy {
            remind_at: "25:00".into(),
            ..Policy::default()
        };
        assert!(p.crontab().unwrap_err().contains("remind_at"));
    }
}
