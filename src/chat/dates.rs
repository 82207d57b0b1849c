//! Dates as a reader reads them, in their locale and the organisation's zone: "12月3日（周三）
//! 19:30", with the year when it is not this year's, and the weekday's short name. Used by
//! every feature that names a time (meetings, evaluation rounds, pledge check-in schedules).

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::i18n::{Catalog, Locale};
use crate::msg;

/// "12月3日（周三）19:30" in the reader's locale and the organisation's zone. Where the
/// reader may not know which year is meant, use [`when_text_from`].
pub fn when_text(catalog: &Catalog, locale: Locale, tz: Tz, at_ms: i64) -> String {
    when_text_from(catalog, locale, tz, at_ms, at_ms)
}

/// As [`when_text`], with the year ("2027年12月3日（周五）19:30") whenever it is not the
/// year of `now_ms`.
pub fn when_text_from(
    catalog: &Catalog,
    locale: Locale,
    tz: Tz,
    at_ms: i64,
    now_ms: i64,
) -> String {
    let local = |ms| {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    };
    let (at, now) = (local(at_ms), local(now_ms));
    let weekday = catalog.text(locale, weekday_msg(at.weekday().number_from_monday()));
    let id = if at.year() == now.year() {
        msg!("meeting-when")
    } else {
        msg!("meeting-when-year")
    };
    catalog.render(
        locale,
        id,
        &[
            ("year", at.year().to_string().into()),
            ("month", at.month().into()),
            ("day", at.day().into()),
            ("weekday", weekday.into()),
            ("time", at.format("%H:%M").to_string().into()),
        ],
    )
}

/// The weekday's short name (1 = Monday … 7 = Sunday): 周三 / Wed.
pub fn weekday_msg(n: u32) -> crate::i18n::Msg {
    match n {
        1 => msg!("meeting-weekday-1"),
        2 => msg!("meeting-weekday-2"),
        3 => msg!("meeting-weekday-3"),
        4 => msg!("meeting-weekday-4"),
        5 => msg!("meeting-weekday-5"),
        6 => msg!("meeting-weekday-6"),
        _ => msg!("meeting-weekday-7"),
    }
}
