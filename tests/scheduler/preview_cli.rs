//! `branchbot schedule preview`, run as a person runs it: the real binary, in an empty working
//! directory, with the locale set explicitly.

use std::process::Command;

/// Exit code, stdout and stderr of one run.
fn preview(locale: &str, args: &[&str]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
    for (name, _) in std::env::vars() {
        if name.starts_with("BRANCHBOT_") || name.starts_with("TELOXIDE_") {
            command.env_remove(name);
        }
    }
    let out = command
        .current_dir(dir.path())
        .env("BRANCHBOT_LOCALE", locale)
        .args(["schedule", "preview"])
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

#[test]
fn preview_prints_one_rfc3339_line_per_fire_time_with_the_zones_offset() {
    let (code, out, err) = preview(
        "en",
        &[
            "30 2 * * *",
            "--tz",
            "Europe/Berlin",
            "--from",
            "2025-03-29T12:00",
            "--count",
            "3",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2025-03-30T03:00:00+02:00",
            "2025-03-31T02:30:00+02:00",
            "2025-04-01T02:30:00+02:00"
        ]
    );
    // Without --tz: the organisation's zone, Asia/Shanghai by default.
    let (code, out, _) = preview(
        "en",
        &[
            "0 9 L 3,6,9,12 *",
            "--from",
            "2025-01-01T00:00",
            "--count",
            "2",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["2025-03-31T09:00:00+08:00", "2025-06-30T09:00:00+08:00"]
    );
}

#[test]
fn preview_refuses_bad_arguments_with_exit_code_2_and_a_plain_message() {
    for (args, says) in [
        (
            &["* * * * *", "--count", "0"][..],
            "--count must be from 1 to 1000, not 0.",
        ),
        (
            &["* * * * *", "--count", "1001"][..],
            "--count must be from 1 to 1000, not 1001.",
        ),
        (
            &["* * * * *", "--tz", "Mars/Olympus"][..],
            "\"Mars/Olympus\" is not a time zone name",
        ),
        (
            &["* * * * *", "--from", "2025-02-30T10:00"][..],
            "\"2025-02-30T10:00\" is not a time like 2025-03-30T09:00",
        ),
        (
            &["0 9 * Jnu *"][..],
            "In the month field, \"Jnu\" is not understood. Allowed: 1–12 or Jan–Dec",
        ),
        (
            &["61 * * * *"][..],
            "In the minute field, 61 is out of range: use 0 to 59.",
        ),
    ] {
        let (code, out, err) = preview("en", args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = preview("zh-CN", &["0 9 * Jnu *"]);
    assert_eq!(code, 2);
    assert!(err.contains("月份字段中的“Jnu”无法识别"), "{err}");
}

const CALENDAR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/calendar.toml");

#[test]
fn preview_with_a_kind_says_what_the_calendar_does_to_each_occurrence() {
    // A monthly check-in: 1 October is 国庆节, so it moves to the 8th.
    let (code, out, err) = preview(
        "zh-CN",
        &[
            "0 9 1 * *",
            "--from",
            "2026-09-01T00:00",
            "--count",
            "3",
            "--kind",
            "pledge_checkin",
            "--calendar",
            CALENDAR,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2026-09-01T09:00:00+08:00",
            "2026-10-01T09:00:00+08:00  顺延至 2026-10-08T09:00:00+08:00（国庆节）",
            "2026-11-01T09:00:00+08:00",
        ]
    );
    // Every working day: the holiday week is skipped, the 调休 Saturday after it fires.
    let (code, out, err) = preview(
        "zh-CN",
        &[
            "0 9 * * 1-5",
            "--from",
            "2026-09-30T00:00",
            "--count",
            "9",
            "--kind",
            "pledge_checkin",
            "--calendar",
            CALENDAR,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2026-09-30T09:00:00+08:00",
            "2026-10-01T09:00:00+08:00  不发送（国庆节）",
            "2026-10-02T09:00:00+08:00  不发送（国庆节）",
            "2026-10-05T09:00:00+08:00  不发送（国庆节）",
            "2026-10-06T09:00:00+08:00  不发送（国庆节）",
            "2026-10-07T09:00:00+08:00  不发送（国庆节）",
            "2026-10-08T09:00:00+08:00",
            "2026-10-09T09:00:00+08:00",
            "2026-10-10T09:00:00+08:00  调休上班（国庆节）",
        ]
    );
    // A student branch's check-in in the summer vacation, in English; a meeting reminder on
    // 国庆节 keeps its time.
    let (code, out, err) = preview(
        "en",
        &[
            "0 9 1 * *",
            "--from",
            "2026-08-01T00:00",
            "--count",
            "2",
            "--kind",
            "pledge_checkin",
            "--student",
            "--calendar",
            CALENDAR,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "2026-08-01T09:00:00+08:00  paused (2026年暑假)",
            "2026-09-01T09:00:00+08:00",
        ]
    );
    let (code, out, _) = preview(
        "zh-CN",
        &[
            "0 9 1 10 *",
            "--from",
            "2026-09-01T00:00",
            "--count",
            "1",
            "--kind",
            "meeting",
            "--calendar",
            CALENDAR,
        ],
    );
    assert_eq!((code, out.trim_end()), (0, "2026-10-01T09:00:00+08:00"));
}

#[test]
fn preview_refuses_an_unknown_kind_and_a_bad_calendar_file_plainly() {
    let (code, out, err) = preview("zh-CN", &["0 9 1 * *", "--kind", "pledge"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(
        err.starts_with(
            "没有名为“pledge”的任务类型。可用的类型：message, housekeeping, push-digest,"
        ),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-07\", \"2026-10-01\"]\n",
    )
    .unwrap();
    let (code, _, err) = preview(
        "en",
        &[
            "0 9 1 * *",
            "--kind",
            "meeting",
            "--calendar",
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        format!(
            "{}, line 3: in \"国庆节\", the last day is before the first. Nothing was loaded; fix the file and load it again.",
            bad.display()
        )
    );
}
