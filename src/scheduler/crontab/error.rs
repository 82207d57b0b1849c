//! What can be wrong with a crontab expression: [`CrontabError`], with the [`Field`] it is in,
//! said in English for logs and the command line, or in a member's language.

use std::fmt;

use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;

/// One of the five fields, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Minute,
    Hour,
    DayOfMonth,
    Month,
    DayOfWeek,
}

pub(super) const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];
pub(super) const WEEKDAYS: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

impl Field {
    pub(super) const ORDER: [Field; 5] = [
        Self::Minute,
        Self::Hour,
        Self::DayOfMonth,
        Self::Month,
        Self::DayOfWeek,
    ];

    /// The lowest and highest value a number may take.
    pub(super) fn bounds(self) -> (u32, u32) {
        match self {
            Self::Minute => (0, 59),
            Self::Hour => (0, 23),
            Self::DayOfMonth => (1, 31),
            Self::Month => (1, 12),
            Self::DayOfWeek => (0, 7),
        }
    }

    /// Names accepted instead of numbers, and the number of the first name.
    pub(super) fn names(self) -> (&'static [&'static str], u32) {
        match self {
            Self::Month => (&MONTHS, 1),
            Self::DayOfWeek => (&WEEKDAYS, 0),
            _ => (&[], 0),
        }
    }

    /// The field's name in English (logs, `Display`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::DayOfMonth => "day-of-month",
            Self::Month => "month",
            Self::DayOfWeek => "day-of-week",
        }
    }

    /// The field's name, localized.
    pub fn label(self) -> Msg {
        match self {
            Self::Minute => msg!("crontab-field-minute"),
            Self::Hour => msg!("crontab-field-hour"),
            Self::DayOfMonth => msg!("crontab-field-day-of-month"),
            Self::Month => msg!("crontab-field-month"),
            Self::DayOfWeek => msg!("crontab-field-day-of-week"),
        }
    }

    /// What the field accepts, localized.
    pub fn allowed(self) -> Msg {
        match self {
            Self::Minute => msg!("crontab-allowed-minute"),
            Self::Hour => msg!("crontab-allowed-hour"),
            Self::DayOfMonth => msg!("crontab-allowed-day-of-month"),
            Self::Month => msg!("crontab-allowed-month"),
            Self::DayOfWeek => msg!("crontab-allowed-day-of-week"),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What is wrong with an expression. `Display` is English for logs and the command line;
/// [`CrontabError::render`] says it in a member's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CrontabError {
    #[error("the schedule is empty: write five fields (minute hour day-of-month month day-of-week), for example 30 19 * * 3")]
    Empty,
    #[error("expected five fields (minute hour day-of-month month day-of-week) but found {found}")]
    FieldCount { found: usize },
    #[error("'{value}' is not a known shortcut: use @hourly, @daily, @weekly, @monthly, @quarterly or @yearly")]
    UnknownShortcut { value: String },
    #[error("{field} field: '{value}' is not understood (a number, a name such as Mon or Jan, *, a range a-b, a step */n, or a list)")]
    BadValue { field: Field, value: String },
    #[error("{field} field: {value} is out of range; use {min} to {max}")]
    OutOfRange {
        field: Field,
        value: String,
        min: u32,
        max: u32,
    },
    #[error("{field} field: the range '{value}' runs backwards; write the smaller value first")]
    Backwards { field: Field, value: String },
    #[error("{field} field: the step in '{value}' must be a whole number from 1 to {max}")]
    BadStep {
        field: Field,
        value: String,
        max: u32,
    },
    #[error("{field} field: in '{value}' a step must follow * or a range, as in */15 or 0-30/5")]
    StepNeedsRange { field: Field, value: String },
    #[error("day-of-week field: in '{value}' the week after # must be 1 to 5, as in Mon#1")]
    BadNth { value: String },
    #[error(
        "{field} field: '{value}' is not allowed here: L goes in day-of-month, # in day-of-week"
    )]
    Misplaced { field: Field, value: String },
    #[error("'{value}' never fires: no month it names has such a day")]
    NeverFires { value: String },
}

impl CrontabError {
    /// The message in a member's language.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let field = |f: Field| Arg::Str(catalog.text(locale, f.label()));
        let s = |v: &str| Arg::Str(v.to_owned());
        match self {
            Self::Empty => catalog.text(locale, msg!("crontab-empty")),
            Self::FieldCount { found } => catalog.render(
                locale,
                msg!("crontab-field-count"),
                &[("found", (*found).into())],
            ),
            Self::UnknownShortcut { value } => catalog.render(
                locale,
                msg!("crontab-unknown-shortcut"),
                &[("value", s(value))],
            ),
            Self::BadValue { field: f, value } => catalog.render(
                locale,
                msg!("crontab-bad-value"),
                &[
                    ("field", field(*f)),
                    ("value", s(value)),
                    ("allowed", Arg::Str(catalog.text(locale, f.allowed()))),
                ],
            ),
            Self::OutOfRange {
                field: f,
                value,
                min,
                max,
            } => catalog.render(
                locale,
                msg!("crontab-out-of-range"),
                &[
                    ("field", field(*f)),
                    ("value", s(value)),
                    ("min", (*min).into()),
                    ("max", (*max).into()),
                ],
            ),
            Self::Backwards { field: f, value } => catalog.render(
                locale,
                msg!("crontab-backwards"),
                &[("field", field(*f)), ("value", s(value))],
            ),
            Self::BadStep {
                field: f,
                value,
                max,
            } => catalog.render(
                locale,
                msg!("crontab-bad-step"),
                &[
                    ("field", field(*f)),
                    ("value", s(value)),
                    ("max", (*max).into()),
                ],
            ),
            Self::StepNeedsRange { field: f, value } => catalog.render(
                locale,
                msg!("crontab-step-needs-range"),
                &[("field", field(*f)), ("value", s(value))],
            ),
            Self::BadNth { value } => {
                catalog.render(locale, msg!("crontab-bad-nth"), &[("value", s(value))])
            }
            Self::Misplaced { field: f, value } => catalog.render(
                locale,
                msg!("crontab-misplaced"),
                &[("field", field(*f)), ("value", s(value))],
            ),
            Self::NeverFires { value } => {
                catalog.render(locale, msg!("crontab-never-fires"), &[("value", s(value))])
            }
        }
    }
}
