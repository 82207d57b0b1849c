//! The crontab(5) rules, our extensions and the daylight-saving policy, checked on dates a
//! person can verify on a calendar.

use chrono::{NaiveDateTime, SecondsFormat};

use super::*;
use crate::i18n::{Catalog, Locale};

const SHANGHAI: Tz = chrono_tz::Asia::Shanghai;
const BERLIN: Tz = chrono_tz::Europe::Berlin;

/// The first `n` fire times at or after a local wall-clock time, as RFC 3339 text.
fn fires(expr: &str, tz: Tz, from_local: &str, n: usize) -> Vec<String> {
    let naive = NaiveDateTime::parse_from_str(from_local, "%Y-%m-%dT%H:%M").unwrap();
    let from = resolve(tz, naive).unwrap();
    preview(expr, tz, from, n)
        .unwrap_or_else(|e| panic!("{expr}: {e}"))
        .iter()
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false))
        .collect()
}

fn err(expr: &str) -> CrontabError {
    Crontab::parse(expr).expect_err(expr)
}

#[test]
fn every_wednesday_at_half_past_seven_in_the_evening_by_number_or_by_name() {
    let want = [
        "2025-11-05T19:30:00+08:00",
        "2025-11-12T19:30:00+08:00",
        "2025-11-19T19:30:00+08:00",
    ];
    assert_eq!(fires("30 19 * * 3", SHANGHAI, "2025-11-01T00:00", 3), want);
    assert_eq!(
        fires("30 19 * * Wed", SHANGHAI, "2025-11-01T00:00", 3),
        want
    );
    assert_eq!(
        fires("30 19 * * wed", SHANGHAI, "2025-11-05T19:30", 1),
        want[..1]
    );
}

#[test]
fn when_both_day_fields_are_restricted_a_day_matching_either_fires() {
    // The 1st, the 15th, and every Friday.
    assert_eq!(
        fires("0 0 1,15 * 5", SHANGHAI, "2025-11-01T00:00", 7),
        [
            "2025-11-01T00:00:00+08:00",
            "2025-11-07T00:00:00+08:00",
            "2025-11-14T00:00:00+08:00",
            "2025-11-15T00:00:00+08:00",
            "2025-11-21T00:00:00+08:00",
            "2025-11-28T00:00:00+08:00",
            "2025-12-01T00:00:00+08:00",
        ]
    );
}

#[test]
fn a_day_field_starting_with_a_star_does_not_count_as_restricted() {
    // crontab(5): "restricted (i.e., don't start with *)": odd-numbered days AND Mondays.
    assert_eq!(
        fires("0 0 */2 * Mon", SHANGHAI, "2025-11-01T00:00", 3),
        [
            "2025-11-03T00:00:00+08:00",
            "2025-11-17T00:00:00+08:00",
            "2025-12-01T00:00:00+08:00"
        ]
    );
}

#[test]
fn every_quarter_hour_of_office_hours_on_weekdays() {
    assert_eq!(
        fires("*/15 9-17 * * 1-5", SHANGHAI, "2025-11-07T17:40", 3),
        [
            "2025-11-07T17:45:00+08:00",
            "2025-11-10T09:00:00+08:00",
            "2025-11-10T09:15:00+08:00"
        ]
    );
    let monday = fires("*/15 9-17 * * Mon-Fri", SHANGHAI, "2025-11-10T00:00", 40);
    assert_eq!(
        monday
            .iter()
            .filter(|t| t.starts_with("2025-11-10"))
            .count(),
        36
    );
    assert_eq!(monday[35], "2025-11-10T17:45:00+08:00");
}

#[test]
fn sunday_is_0_and_7() {
    let want = ["2025-11-02T08:00:00+08:00", "2025-11-09T08:00:00+08:00"];
    assert_eq!(fires("0 8 * * 0", SHANGHAI, "2025-11-01T00:00", 2), want);
    assert_eq!(fires("0 8 * * 7", SHANGHAI, "2025-11-01T00:00", 2), want);
    assert_eq!(fires("0 8 * * SUN", SHANGHAI, "2025-11-01T00:00", 2), want);
    assert_eq!(
        Crontab::parse("0 8 * * 0").unwrap().weekdays,
        Crontab::parse("0 8 * * 7").unwrap().weekdays
    );
    assert_eq!(
        fires("0 8 * * 5-7", SHANGHAI, "2025-11-06T00:00", 4),
        [
            "2025-11-07T08:00:00+08:00",
            "2025-11-08T08:00:00+08:00",
            "2025-11-09T08:00:00+08:00",
            "2025-11-14T08:00:00+08:00",
        ]
    );
}

#[test]
fn lists_ranges_steps_and_month_names() {
    assert_eq!(
        fires("0 6-12/3 * Jan,Mar-Apr *", SHANGHAI, "2025-12-31T00:00", 4),
        [
            "2026-01-01T06:00:00+08:00",
            "2026-01-01T09:00:00+08:00",
            "2026-01-01T12:00:00+08:00",
            "2026-01-02T06:00:00+08:00",
        ]
    );
    assert_eq!(
        fires("0 0 1 Mar-Apr *", SHANGHAI, "2026-01-15T00:00", 2),
        ["2026-03-01T00:00:00+08:00", "2026-04-01T00:00:00+08:00"]
    );
}

#[test]
fn the_first_monday_of_the_month_by_name_or_number() {
    let want = [
        "2025-09-01T09:00:00+08:00",
        "2025-10-06T09:00:00+08:00",
        "2025-11-03T09:00:00+08:00",
        "2025-12-01T09:00:00+08:00",
        "2026-01-05T09:00:00+08:00",
    ];
    assert_eq!(
        fires("0 9 * * Mon#1", SHANGHAI, "2025-09-01T00:00", 5),
        want
    );
    assert_eq!(fires("0 9 * * 1#1", SHANGHAI, "2025-09-01T00:00", 5), want);
}

#[test]
fn l_is_the_last_day_of_the_month_and_of_the_quarter() {
    assert_eq!(
        fires("0 9 L 3,6,9,12 *", SHANGHAI, "2025-01-01T00:00", 5),
        [
            "2025-03-31T09:00:00+08:00",
            "2025-06-30T09:00:00+08:00",
            "2025-09-30T09:00:00+08:00",
            "2025-12-31T09:00:00+08:00",
            "2026-03-31T09:00:00+08:00",
        ]
    );
    assert_eq!(
        fires("0 0 L 2 *", SHANGHAI, "2024-01-01T00:00", 2),
        ["2024-02-29T00:00:00+08:00", "2025-02-28T00:00:00+08:00"]
    );
}

#[test]
fn shortcuts_mean_what_their_names_say() {
    let from = "2025-11-15T10:20";
    assert_eq!(
        fires("@hourly", SHANGHAI, from, 1),
        ["2025-11-15T11:00:00+08:00"]
    );
    assert_eq!(
        fires("@daily", SHANGHAI, from, 1),
        ["2025-11-16T00:00:00+08:00"]
    );
    assert_eq!(
        fires("@weekly", SHANGHAI, from, 1),
        ["2025-11-16T00:00:00+08:00"]
    );
    assert_eq!(
        fires("@monthly", SHANGHAI, from, 1),
        ["2025-12-01T00:00:00+08:00"]
    );
    assert_eq!(
        fires("@quarterly", SHANGHAI, from, 4),
        [
            "2026-01-01T00:00:00+08:00",
            "2026-04-01T00:00:00+08:00",
            "2026-07-01T00:00:00+08:00",
            "2026-10-01T00:00:00+08:00",
        ]
    );
    assert_eq!(
        fires("@yearly", SHANGHAI, from, 1),
        ["2026-01-01T00:00:00+08:00"]
    );
    assert_eq!(
        fires("@annually", SHANGHAI, from, 1),
        ["2026-01-01T00:00:00+08:00"]
    );
    assert_eq!(Crontab::parse("@Daily").unwrap().to_string(), "@Daily");
}

#[test]
fn a_wall_clock_time_skipped_in_spring_fires_at_the_next_valid_instant() {
    // Berlin, 30 March 2025: 02:00 CET becomes 03:00 CEST.
    assert_eq!(
        fires("30 2 * * *", BERLIN, "2025-03-29T00:00", 3),
        [
            "2025-03-29T02:30:00+01:00",
            "2025-03-30T03:00:00+02:00",
            "2025-03-31T02:30:00+02:00"
        ]
    );
    let tab = Crontab::parse("30 2 * * *").unwrap();
    let at = tab
        .next_after(BERLIN, "2025-03-29T23:00:00Z".parse().unwrap())
        .unwrap();
    assert_eq!(at, "2025-03-30T01:00:00Z".parse::<DateTime<Utc>>().unwrap());
    // Several times inside the gap still fire once.
    assert_eq!(
        fires("*/15 2 * * *", BERLIN, "2025-03-30T00:00", 2),
        ["2025-03-30T03:00:00+02:00", "2025-03-31T02:00:00+02:00"]
    );
}

#[test]
fn a_wall_clock_time_repeated_in_autumn_fires_once_on_its_first_occurrence() {
    // Berlin, 26 October 2025: 03:00 CEST becomes 02:00 CET.
    assert_eq!(
        fires("30 2 * * *", BERLIN, "2025-10-25T12:00", 3),
        [
            "2025-10-26T02:30:00+02:00",
            "2025-10-27T02:30:00+01:00",
            "2025-10-28T02:30:00+01:00"
        ]
    );
    assert_eq!(
        fires("*/30 * * * *", BERLIN, "2025-10-26T01:30", 4),
        [
            "2025-10-26T01:30:00+02:00",
            "2025-10-26T02:00:00+02:00",
            "2025-10-26T02:30:00+02:00",
            "2025-10-26T03:00:00+01:00",
        ]
    );
    // Asked from inside the second pass, the repeated time is not fired again.
    let tab = Crontab::parse("45 2 * * *").unwrap();
    let second_pass: DateTime<Utc> = "2025-10-26T01:10:00Z".parse().unwrap();
    assert_eq!(
        tab.next_after(BERLIN, second_pass),
        Some("2025-10-27T01:45:00Z".parse().unwrap())
    );
}

#[test]
fn preview_counts_from_the_given_instant_inclusive_with_the_zone_offset() {
    let from: DateTime<Utc> = "2025-11-05T11:30:00Z".parse().unwrap();
    let times = preview("30 19 * * 3", SHANGHAI, from, 2).unwrap();
    assert_eq!(times.len(), 2);
    assert_eq!(times[0].to_rfc3339(), "2025-11-05T19:30:00+08:00");
    assert_eq!(times[0].offset().local_minus_utc(), 8 * 3600);
    assert_eq!(
        preview("bad", SHANGHAI, from, 2).unwrap_err(),
        CrontabError::FieldCount { found: 1 }
    );
}

#[test]
fn bad_expressions_say_which_field_what_value_and_what_is_allowed() {
    use CrontabError::*;
    assert_eq!(err("  "), Empty);
    assert_eq!(err("0 0 * *"), FieldCount { found: 4 });
    assert_eq!(err("0 0 0 * * *"), FieldCount { found: 6 });
    assert_eq!(
        err("@reboot"),
        UnknownShortcut {
            value: "@reboot".into()
        }
    );
    assert_eq!(
        err("61 * * * *"),
        OutOfRange {
            field: Field::Minute,
            value: "61".into(),
            min: 0,
            max: 59
        }
    );
    assert_eq!(
        err("0 24 * * *"),
        OutOfRange {
            field: Field::Hour,
            value: "24".into(),
            min: 0,
            max: 23
        }
    );
    assert_eq!(
        err("0 0 0 * *"),
        OutOfRange {
            field: Field::DayOfMonth,
            value: "0".into(),
            min: 1,
            max: 31
        }
    );
    assert_eq!(
        err("0 0 * 13 *"),
        OutOfRange {
            field: Field::Month,
            value: "13".into(),
            min: 1,
            max: 12
        }
    );
    assert_eq!(
        err("0 0 * * 8"),
        OutOfRange {
            field: Field::DayOfWeek,
            value: "8".into(),
            min: 0,
            max: 7
        }
    );
    assert_eq!(
        err("0 0 * Jnu *"),
        BadValue {
            field: Field::Month,
            value: "Jnu".into()
        }
    );
    assert_eq!(
        err("0 0 * * Mon,"),
        BadValue {
            field: Field::DayOfWeek,
            value: "".into()
        }
    );
    assert_eq!(
        err("0 0 * * ?"),
        BadValue {
            field: Field::DayOfWeek,
            value: "?".into()
        }
    );
    assert_eq!(
        err("0 17-9 * * *"),
        Backwards {
            field: Field::Hour,
            value: "17-9".into()
        }
    );
    assert_eq!(
        err("*/0 * * * *"),
        BadStep {
            field: Field::Minute,
            value: "*/0".into(),
            max: 59
        }
    );
    assert_eq!(
        err("5/15 * * * *"),
        StepNeedsRange {
            field: Field::Minute,
            value: "5/15".into()
        }
    );
    assert_eq!(
        err("0 9 * * Mon#6"),
        BadNth {
            value: "Mon#6".into()
        }
    );
    assert_eq!(
        err("0 9 * * L"),
        Misplaced {
            field: Field::DayOfWeek,
            value: "L".into()
        }
    );
    assert_eq!(
        err("0 9 1#1 * *"),
        Misplaced {
            field: Field::DayOfMonth,
            value: "1#1".into()
        }
    );
    assert_eq!(
        err("0 0 30 2 *"),
        NeverFires {
            value: "0 0 30 2 *".into()
        }
    );
    assert_eq!(
        err("0 0 31 4,6 *"),
        NeverFires {
            value: "0 0 31 4,6 *".into()
        }
    );
    assert!(
        Crontab::parse("0 0 29 2 *").is_ok(),
        "29 February happens in leap years"
    );
    assert_eq!(
        err("61 * * * *").to_string(),
        "minute field: 61 is out of range; use 0 to 59"
    );
}

#[test]
fn errors_read_in_both_locales_with_the_field_and_the_value() {
    let catalog = Catalog::load().unwrap();
    let e = err("0 0 * Jnu *");
    let en = e.render(&catalog, Locale::En);
    assert!(
        en.contains("month") && en.contains("Jnu") && en.contains("Jan"),
        "{en}"
    );
    let zh = e.render(&catalog, Locale::ZhCn);
    assert!(zh.contains("月份") && zh.contains("Jnu"), "{zh}");
    let zh = err("61 * * * *").render(&catalog, Locale::ZhCn);
    assert!(
        zh.contains("分钟") && zh.contains("61") && zh.contains("59"),
        "{zh}"
    );
    for e in [
        err(""),
        err("1 2 3"),
        err("@reboot"),
        err("1-0 * * * *"),
        err("*/99 * * * *"),
        err("1/2 * * * *"),
        err("* * * * 1#9"),
        err("* * * * L"),
        err("0 0 30 2 *"),
    ] {
        for locale in Locale::ALL {
            let text = e.render(&catalog, locale);
            assert!(!text.starts_with("crontab-"), "{locale}: {text}");
        }
    }
}

#[test]
fn agrees_with_the_cron_crate_wherever_the_two_dialects_mean_the_same() {
    // Only one day field restricted, weekdays by name, no DST: there the `cron` crate's
    // six-field dialect with a leading seconds field means what crontab(5) means.
    let from: DateTime<Utc> = "2025-11-03T04:05:00Z".parse().unwrap();
    for expr in [
        "*/15 9-17 * * Mon-Fri",
        "30 19 * * Wed",
        "0 0 1,15 * *",
        "0 6-12/3 * Jan,Mar-Apr *",
        "5 4 * * Sun",
        "0 0 1 1,4,7,10 *",
        "59 23 31 * *",
    ] {
        let ours: Vec<_> = Crontab::parse(expr)
            .unwrap()
            .upcoming(SHANGHAI, from)
            .take(60)
            .collect();
        let theirs: Vec<_> = cron::Schedule::from_str(&format!("0 {expr}"))
            .unwrap()
            .after(&from.with_timezone(&SHANGHAI))
            .take(60)
            .map(|t| t.with_timezone(&Utc))
            .collect();
        assert_eq!(ours, theirs, "{expr}");
    }
}
