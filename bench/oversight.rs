//! Oversight benchmark: a college of 30 branches and 3,000 members with a quarter of meetings
//! (six a branch, every branch member expected, four in five signed in) and a pledge check-in
//! round. Times the commands the committee runs, as a user runs them — the real binary,
//! start to exit — and their peak memory: `report meetings` (table, CSV and XLSX with a sheet
//! per branch), `report pledges`, and `report charts` (four charts as SVG and PNG).
//!
//! `cargo bench --bench oversight -- [--branches N] [--per-branch M] [--backend sqlite|postgres]`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::store::meetings::{self, NewMeeting, Rsvp};
use branchbot::store::{members, Store};
use branchbot::testkit::db::{fresh_postgres, TempSqlite};

/// A local time in Asia/Shanghai in October and November 2026 (2026Q4), as milliseconds.
fn ms(month: u32, day: u32, hour: u32) -> i64 {
    use chrono::TimeZone;
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, month, day, hour, 0, 0)
        .unwrap()
        .timestamp_millis()
}

/// Runs the binary under `/usr/bin/time`; returns (seconds, peak RSS in MiB).
fn run(dir: &Path, url: &str, args: &[&str]) -> (f64, f64) {
    let bin = env!("CARGO_BIN_EXE_branchbot");
    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "peak-kib %M"])
        .arg(bin)
        .args(["--database", url])
        .args(args)
        .current_dir(dir)
        .env(
            "BRANCHBOT_ANONYMITY_KEY",
            "bench-key-bench-key-bench-key-32",
        )
        .output()
        .expect("/usr/bin/time runs (apt-get install time)");
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?} failed: {stderr}");
    let kib: f64 = stderr
        .lines()
        .find_map(|l| l.strip_prefix("peak-kib "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0.0);
    (secs, kib / 1024.0)
}

#[tokio::main]
async fn main() {
    let mut branches: usize = 30;
    let mut per_branch: usize = 100;
    let mut backend = "sqlite".to_owned();
    let argv: Vec<String> = std::env::args()
        .skip(1)
        .filter(|s| s != "--bench")
        .collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().cloned().unwrap_or_default();
        match flag.as_str() {
            "--branches" => branches = value.parse().expect("--branches takes a number"),
            "--per-branch" => per_branch = value.parse().expect("--per-branch takes a number"),
            "--backend" => backend = value,
            other => panic!("unknown argument {other}"),
        }
    }
    let sqlite = TempSqlite::new();
    let url = if backend == "postgres" {
        match fresh_postgres().await {
            Ok(url) => url,
            Err(e) => {
                println!("postgres skipped: {}", e.0);
                return;
            }
        }
    } else {
        sqlite.url.clone()
    };
    let store = Store::open(&url).await.unwrap();

    let seeded = Instant::now();
    let mut csv = String::from("key,name,branch,branch_kind,role\n");
    for b in 0..branches {
        for i in 0..per_branch {
            let role = if i == 0 { "书记" } else { "党员" };
            csv.push_str(&format!(
                "M{b:02}{i:03},成员{b}-{i},第{b:02}党支部,student,{role}\n"
            ));
        }
    }
    let roster = roster::parse(csv.as_bytes(), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();

    let kinds = [
        (MeetingKind::General, 10, 8),
        (MeetingKind::Committee, 10, 20),
        (MeetingKind::Committee, 11, 5),
        (MeetingKind::Group, 10, 22),
        (MeetingKind::Lesson, 11, 12),
        (MeetingKind::ThemedDay, 11, 26),
    ];
    let mut attendee_rows = 0;
    let all = members::branches(&mut store.begin().await.unwrap())
        .await
        .unwrap();
    for (bi, (branch_id, _, _)) in all.into_iter().enumerate() {
        let mut tx = store.begin().await.unwrap();
        let ids: Vec<i64> = members::list(&mut tx, Some(branch_id))
            .await
            .unwrap()
            .iter()
            .map(|m| m.id)
            .collect();
        for (k, (kind, month, day)) in kinds.iter().enumerate() {
            let id = meetings::create(
                &mut tx,
                &NewMeeting {
                    branch_id,
                    kind: *kind,
                    starts_at: ms(*month, *day, 19),
                    ends_at: ms(*month, *day, 21),
                    place: "党员活动室".into(),
                    topic: "学习".into(),
                    created_by: None,
                    attendees: ids.clone(),
                    signin_code: format!("{:06}", bi * 10 + k),
                },
                0,
            )
            .await
            .unwrap();
            attendee_rows += ids.len();
            for (i, m) in ids.iter().enumerate() {
                if i % 5 == 4 {
                    meetings::set_rsvp(&mut tx, id, *m, Rsvp::Leave, Some("出差"), 0)
                        .await
                        .unwrap();
                } else {
                    meetings::sign_in(&mut tx, id, *m, ms(*month, *day, 19), false, None)
                        .await
                        .unwrap();
                }
            }
        }
        tx.commit().await.unwrap();
    }
    store.close().await;
    let seeded = seeded.elapsed().as_secs_f64();
    println!(
        "{backend}: {branches} branches, {} members, {} meetings, {attendee_rows} attendee rows (seeded in {seeded:.1} s)",
        branches * per_branch,
        branches * kinds.len(),
    );

    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["report", "meetings", "--period", "2026Q4", "--out", "out"][..],
        &["report", "pledges", "--out", "out"][..],
        &["report", "charts", "--period", "2026Q4", "--out", "out"][..],
    ] {
        // One run to warm the page cache, then the median of three.
        run(dir.path(), &url, args);
        let mut times: Vec<(f64, f64)> = (0..3).map(|_| run(dir.path(), &url, args)).collect();
        times.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (secs, peak) = times[1];
        println!(
            "  {:<40} {:>7.2} s   peak RSS {:>6.1} MiB",
            args[..2].join(" "),
            secs,
            peak
        );
    }
    let written: Vec<String> = std::fs::read_dir(dir.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    println!("  files: {}", written.len());
}
