//! Pure rules of the records: the kinds of service activity (four built in, more from
//! `[records]`), the day an activity was held as people type it, and the limits on what they
//! write. No I/O.

use chrono::{Duration, NaiveDate};

use crate::i18n::Locale;

/// The longest place name.
pub const MAX_PLACE_CHARS: usize = 60;
/// The longest activity description.
pub const MAX_DESCRIPTION_CHARS: usize = 500;
/// The longest branch work plan (a plan is a document, not a message).
pub const MAX_PLAN_CHARS: usize = 8000;
/// The shortest branch work plan worth publishing.
pub const MIN_PLAN_CHARS: usize = 10;
/// The longest 领导点评.
pub const MAX_COMMENT_CHARS: usize = 500;
/// How far back an activity may be logged.
pub const MAX_DAYS_BACK: i64 = 366;
/// The most participants on one activity.
pub const MAX_PARTICIPANTS: usize = 60;
pub use crate::config::records::{kind_name, Policy, PolicyError, BUILT_IN, MAX_KIND_CHARS};

/// The kind meant by what was typed: a key, a name in any locale (ignoring case), or a
/// configured kind.
pub fn kind_typed(policy: &Policy, catalog: &crate::i18n::Catalog, typed: &str) -> Option<String> {
    let typed = crate::chat::fold(typed).trim().to_lowercase();
    policy.kinds().into_iter().find(|key| {
        key.to_lowercase() == typed
            || Locale::ALL
                .iter()
                .any(|l| kind_name(catalog, *l, key).to_lowercase() == typed)
    })
}

/// Why a typed day was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayError {
    /// Not a day: `2026-12-05`, `12月5日`, 今天, 昨天.
    Unreadable,
    /// Later than today.
    Future,
    /// More than a year ago.
    TooOld,
}

/// The day an activity was held, read from `2026-12-05`, `2026/12/5`, `12月5日`, `12-05`,
/// 今天 / today, 昨天 / yesterday, 前天; `today` is the organisation's date.
pub fn parse_day(typed: &str, today: NaiveDate) -> Result<NaiveDate, DayError> {
    let t = crate::chat::fold(typed).trim().to_lowercase();
    let day = match t.as_str() {
        "今天" | "today" => Some(today),
        "昨天" | "yesterday" => Some(today - Duration::days(1)),
        "前天" => Some(today - Duration::days(2)),
        _ => read_day(&t, today),
    }
    .ok_or(DayError::Unreadable)?;
    if day > today {
        return Err(DayError::Future);
    }
    if (today - day).num_days() > MAX_DAYS_BACK {
        return Err(DayError::TooOld);
    }
    Ok(day)
}

fn read_day(t: &str, today: NaiveDate) -> Option<NaiveDate> {
    let t = t.trim_end_matches(['日', '号']);
    let parts: Vec<&str> = t
        .split(['-', '/', '.', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    let nums: Vec<u32> = parts
        .iter()
        .map(|p| p.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    match nums.as_slice() {
        [y, m, d] if *y >= 2000 => NaiveDate::from_ymd_opt(*y as i32, *m, *d),
        // A day without a year: this year's, or last year's when that would be in the future.
        [m, d] => {
            use chrono::Datelike;
            let this = NaiveDate::from_ymd_opt(today.year(), *m, *d)?;
            if this > today {
                NaiveDate::from_ymd_opt(today.year() - 1, *m, *d)
            } else {
                Some(this)
            }
        }
        _ => None,
    }
}

/// Why a written text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextError {
    Empty,
    TooShort(usize),
    TooLong(usize),
}

/// A text trimmed and within `min..=max` characters.
pub fn text_within(text: &str, min: usize, max: usize) -> Result<String, TextError> {
    let t = text.trim();
    let n = t.chars().count();
    if n == 0 {
        Err(TextError::Empty)
    } else if n < min {
        Err(TextError::TooShort(min))
    } else if n > max {
        Err(TextError::TooLong(max))
    } else {
        Ok(t.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn days_are_read_as_people_type_them_and_future_or_old_ones_refused() {
        let today = d(2026, 12, 7);
        assert_eq!(parse_day("2026-12-05", today), Ok(d(2026, 12, 5)));
        assert_eq!(parse_day("2026/12/5", today), Ok(d(2026, 12, 5)));
        assert_eq!(parse_day("12月5日", today), Ok(d(2026, 12, 5)));
        assert_eq!(parse_day("2026年11月30日", today), Ok(d(2026, 11, 30)));
        assert_eq!(parse_day("今天", today), Ok(today));
        assert_eq!(parse_day("Yesterday", today), Ok(d(2026, 12, 6)));
        assert_eq!(parse_day("12-25", today), Ok(d(2025, 12, 25)));
        assert_eq!(parse_day("2026-12-08", today), Err(DayError::Future));
        assert_eq!(parse_day("2024-12-08", today), Err(DayError::TooOld));
        assert_eq!(parse_day("下周", today), Err(DayError::Unreadable));
        assert_eq!(parse_day("2026-02-30", today), Err(DayError::Unreadable));
    }

    #[test]
    fn texts_are_trimmed_and_held_to_their_limits() {
        assert_eq!(text_within("  走访 ", 1, 5), Ok("走访".into()));
        assert_eq!(text_within("   ", 1, 5), Err(TextError::Empty));
        assert_eq!(
            text_within("一二三四五六", 1, 5),
            Err(TextError::TooLong(5))
        );
        assert_eq!(text_within("短", 3, 5), Err(TextError::TooShort(3)));
    }

    #[test]
    fn configured_kinds_are_checked_and_typed_kinds_found_in_any_language() {
        let catalog = crate::i18n::Catalog::shared();
        let p = Policy {
            activity_kinds: vec!["理论宣讲".into()],
        };
        assert_eq!(p.check(catalog), Ok(()));
        assert_eq!(p.kinds().len(), 5);
        assert_eq!(
            kind_typed(&p, catalog, "志愿服务").as_deref(),
            Some("volunteer")
        );
        assert_eq!(
            kind_typed(&p, catalog, "Volunteer service").as_deref(),
            Some("volunteer")
        );
        assert_eq!(
            kind_typed(&p, catalog, "理论宣讲").as_deref(),
            Some("理论宣讲")
        );
        assert_eq!(kind_typed(&p, catalog, "打球"), None);
        let twice = Policy {
            activity_kinds: vec!["志愿服务".into()],
        };
        assert_eq!(
            twice.check(catalog),
            Err(PolicyError::Twice("志愿服务".into()))
        );
        let empty = Policy {
            activity_kinds: vec![" ".into()],
        };
        assert_eq!(empty.check(catalog), Err(PolicyError::Empty));
    }

    #[test]
    fn records_settings_are_refused_in_the_operators_language() {
        use crate::config::Config;
        use crate::i18n::{Catalog, Locale};
        let c: Config = toml::from_str("[records]\nactivity_kinds = ['理论宣讲']\n").unwrap();
        assert_eq!(
            c.settings()
                .unwrap()
                .records
                .kinds()
                .last()
                .map(String::as_str),
            Some("理论宣讲")
        );
        let render = |toml_text: &str, locale: Locale| {
            let c: Config = toml::from_str(toml_text).unwrap();
            c.settings().unwrap_err().render(Catalog::shared(), locale)
        };
        assert_eq!(
            render("[records]\nactivity_kinds = ['志愿服务']\n", Locale::ZhCn),
            "records.activity_kinds 中的“志愿服务”重复了（或与内置类别同名）。"
        );
        assert_eq!(
            render(
                "[records]\nactivity_kinds = ['一二三四五六七八九十一二三']\n",
                Locale::En
            ),
            "\"一二三四五六七八九十一二三\" in records.activity_kinds is too long or has a colon \
             (at most 12 characters)."
        );
        assert!(toml::from_str::<Config>("[records]\nkinds = []\n").is_err());
    }
}
