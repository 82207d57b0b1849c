//! Pledges (党员承诺): the five ways a member takes the lead (带头), the states a pledge and a
//! check-in answer can be in, and the limits on what a member writes. Pure: no I/O.

use crate::i18n::Msg;
use crate::msg;

/// At most this many items in one pledge.
pub const MAX_ITEMS: usize = 5;
/// At most this many characters in one item, and in a note or a self-assessment.
pub const MAX_ITEM_CHARS: usize = 200;
/// At most this many characters in a self-assessment.
pub const MAX_ASSESSMENT_CHARS: usize = 500;
/// Days after a check-in round before the one reminder to those who did not answer.
pub const REMIND_AFTER_DAYS: i64 = 2;
/// The default check-in schedule: 09:00 on the first of every month.
pub const DEFAULT_SCHEDULE: &str = "0 9 1 * *";

/// One of the five ways to take the lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Way {
    /// 带头学习
    Study,
    /// 带头创优争先
    Results,
    /// 带头服务师生
    Serve,
    /// 带头遵纪守法
    Discipline,
    /// 带头弘扬正气、廉洁
    Integrity,
}

impl Way {
    /// Every way, in the order they are offered.
    pub const ALL: [Way; 5] = [
        Self::Study,
        Self::Results,
        Self::Serve,
        Self::Discipline,
        Self::Integrity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Study => "study",
            Self::Results => "results",
            Self::Serve => "serve",
            Self::Discipline => "discipline",
            Self::Integrity => "integrity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// Its label ("带头学习").
    pub fn msg(self) -> Msg {
        match self {
            Self::Study => msg!("pledge-way-study"),
            Self::Results => msg!("pledge-way-results"),
            Self::Serve => msg!("pledge-way-serve"),
            Self::Discipline => msg!("pledge-way-discipline"),
            Self::Integrity => msg!("pledge-way-integrity"),
        }
    }
}

/// Where a pledge stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PledgeStatus {
    /// Submitted, awaiting the secretary.
    Submitted,
    /// Returned with a comment; the member revises.
    Returned,
    /// Approved and published (公示).
    Approved,
}

impl PledgeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Submitted, Self::Returned, Self::Approved]
            .into_iter()
            .find(|x| x.as_str() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            Self::Submitted => msg!("pledge-status-submitted"),
            Self::Returned => msg!("pledge-status-returned"),
            Self::Approved => msg!("pledge-status-approved"),
        }
    }
}

/// A check-in answer for one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    /// 已完成
    Done,
    /// 按计划
    OnTrack,
    /// 落后
    Behind,
    /// 遇到困难
    Blocked,
}

impl Progress {
    /// In the order offered.
    pub const ALL: [Progress; 4] = [Self::Done, Self::OnTrack, Self::Behind, Self::Blocked];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Done => "done",
            Self::OnTrack => "on_track",
            Self::Behind => "behind",
            Self::Blocked => "blocked",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn msg(self) -> Msg {
        match self {
            Self::Done => msg!("pledge-progress-done"),
            Self::OnTrack => msg!("pledge-progress-on-track"),
            Self::Behind => msg!("pledge-progress-behind"),
            Self::Blocked => msg!("pledge-progress-blocked"),
        }
    }

    /// Whether the secretary's view lists it as needing attention.
    pub fn needs_attention(self) -> bool {
        matches!(self, Self::Behind | Self::Blocked)
    }
}

/// Why a written item was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemError {
    Empty,
    TooLong { max: usize, got: usize },
    TooMany { max: usize },
}

impl ItemError {
    /// The message that explains it.
    pub fn msg(&self) -> Msg {
        match self {
            Self::Empty => msg!("pledge-error-item-empty"),
            Self::TooLong { .. } => msg!("pledge-error-item-too-long"),
            Self::TooMany { .. } => msg!("pledge-error-too-many"),
        }
    }
}

/// Checks one item's text, given how many items there are already; returns it trimmed.
pub fn parse_item(text: &str, existing: usize) -> Result<String, ItemError> {
    if existing >= MAX_ITEMS {
        return Err(ItemError::TooMany { max: MAX_ITEMS });
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(ItemError::Empty);
    }
    let got = text.chars().count();
    if got > MAX_ITEM_CHARS {
        return Err(ItemError::TooLong {
            max: MAX_ITEM_CHARS,
            got,
        });
    }
    Ok(text.to_owned())
}

/// Why a target date was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetDateError {
    /// Not a date, or not one that exists.
    Unreadable,
    /// Before today, whatever the form it was typed in.
    Past,
    /// Typed without a year and already past this year: the year must be written (this date
    /// of next year is the one named).
    WriteYear(chrono::NaiveDate),
}

/// Reads a target date as typed — `2026-12-31`, `2026/12/31`, `2026.12.31`, `2026年12月31日`,
/// `12月31日`, `12-31`, `下周五` — relative to `today` (the organisation's). Today is allowed;
/// a day before it is refused in every form.
pub fn parse_target_date(
    text: &str,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, TargetDateError> {
    use crate::domain::when::{parse_day, WhenError};
    match parse_day(text, today) {
        Ok(day) if day.next_year => Err(TargetDateError::WriteYear(day.date)),
        Ok(day) => Ok(day.date),
        Err(WhenError::InThePast) => Err(TargetDateError::Past),
        Err(_) => Err(TargetDateError::Unreadable),
    }
}

/// The response rate of a round as a whole percentage (0 when nobody was asked).
pub fn rate_percent(answered: i64, asked: i64) -> i64 {
    if asked <= 0 {
        0
    } else {
        (answered * 100 + asked / 2) / asked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ways_progress_and_statuses_round_trip_through_their_names() {
        for w in Way::ALL {
            assert_eq!(Way::parse(w.as_str()), Some(w));
        }
        for p in Progress::ALL {
            assert_eq!(Progress::parse(p.as_str()), Some(p));
        }
        for s in ["submitted", "returned", "approved"] {
            assert_eq!(PledgeStatus::parse(s).map(PledgeStatus::as_str), Some(s));
        }
        assert_eq!(Way::parse("sleep"), None);
        assert!(Progress::Blocked.needs_attention() && !Progress::OnTrack.needs_attention());
    }

    #[test]
    fn an_item_must_be_non_empty_short_enough_and_at_most_the_fifth() {
        assert_eq!(
            parse_item("  每月读一本理论书籍 ", 0).unwrap(),
            "每月读一本理论书籍"
        );
        assert_eq!(parse_item("   ", 0), Err(ItemError::Empty));
        let long = "学".repeat(201);
        assert_eq!(
            parse_item(&long, 0),
            Err(ItemError::TooLong { max: 200, got: 201 })
        );
        assert!(parse_item(&"学".repeat(200), 4).is_ok());
        assert_eq!(parse_item("x", 5), Err(ItemError::TooMany { max: 5 }));
    }

    #[test]
    fn target_dates_are_read_in_the_usual_chinese_and_iso_forms() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).ok_or(TargetDateError::Unreadable);
        for typed in [
            "2026-12-31",
            "2026/12/31",
            "２０２６年12月31日",
            "12月31日",
            "12-31",
        ] {
            assert_eq!(parse_target_date(typed, today), d, "{typed}");
        }
        assert_eq!(
            parse_target_date("next week", today),
            Err(TargetDateError::Unreadable)
        );
        assert_eq!(
            parse_target_date("2026-02-30", today),
            Err(TargetDateError::Unreadable)
        );
    }

    #[test]
    fn a_target_date_in_the_past_is_refused_in_every_format() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
        for typed in ["2026-12-06", "2026/12/1", "2026.11.30", "2025年12月31日"] {
            assert_eq!(
                parse_target_date(typed, today),
                Err(TargetDateError::Past),
                "{typed}"
            );
        }
        assert_eq!(
            parse_target_date("12月3日", today),
            Err(TargetDateError::WriteYear(
                chrono::NaiveDate::from_ymd_opt(2027, 12, 3).unwrap()
            ))
        );
        assert_eq!(
            parse_target_date("2026-12-07", today),
            Ok(today),
            "today is still in time"
        );
    }

    #[test]
    fn the_response_rate_rounds_to_a_whole_percent() {
        assert_eq!(rate_percent(2, 3), 67);
        assert_eq!(rate_percent(0, 0), 0);
        assert_eq!(rate_percent(4, 4), 100);
    }
}
