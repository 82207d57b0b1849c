//! Oversight benchmark: a college of 30 branches and 3,000 members with a quarter of meetings
//! (six a branch, every branch member expected, four in five signed in, the fifth on leave).
//! Times the commands the committee runs, as a user runs them — the real binary,
//! start to exit — and their peak memory: `report meetings` (table, CSV and XLSX with a sheet
//! per branch), `report pledges`, and `report charts` (four charts as SVG and PNG). Then runs
//! `branchbot serve` on the same database and times the web dashboard's pages for a college
//! committee member's session (overview, a branch page, a chart), and the server's peak memory.
//!
//! `cargo bench --bench oversight -- [--branches N] [--per-branch M] [--backend sqlite|postgres]`

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::meetings::store::{self as meetings, NewMeeting, Rsvp};
use branchbot::store::{dashboard, members, Store};
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
    let mut csv = String::from("key,name,branch,branch_kind,role,college\n");
    for b in 0..branches {
        for i in 0..per_branch {
            let role = if i == 0 { "书记" } else { "党员" };
            // The first branch's secretary sits on the college committee.
            let college = if b == 0 && i == 0 { "是" } else { "否" };
            csv.push_str(&format!(
                "M{b:02}{i:03},成员{b}-{i},第{b:02}党支部,student,{role},{college}\n"
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

    dashboard(&url, dir.path()).await;
}

/// `branchbot serve` on the database; a committee member's session made in the database as
/// the login link would; each page fetched 200 times in a row after one warm-up.
async fn dashboard(url: &str, dir: &Path) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_branchbot"))
        .args(["--database", url, "serve", "--no-console"])
        .current_dir(dir)
        .env("BRANCHBOT_HTTP_LISTEN", format!("127.0.0.1:{port}"))
        .env("BRANCHBOT_METRICS_LISTEN", "")
        .env(
            "BRANCHBOT_ANONYMITY_KEY",
            "bench-key-bench-key-bench-key-32",
        )
        .env_remove("TELOXIDE_TOKEN")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let ready = Instant::now();
    while http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status().is_success())
        .ok()
        != Some(true)
    {
        assert!(ready.elapsed().as_secs() < 60, "the server did not start");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let store = Store::open(url).await.unwrap();
    let mut conn = store.begin().await.unwrap();
    let committee = members::find(&mut conn, "M00000").await.unwrap().unwrap();
    let branch = members::branch_id(&mut conn, "第07党支部")
        .await
        .unwrap()
        .unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let token = dashboard::create_session(&mut conn, committee.id, now, now + 3_600_000)
        .await
        .unwrap();
    conn.commit().await.unwrap();
    store.close().await;
    let cookie = format!("branchbot_session={token}");
    for (name, path) in [
        ("overview", "/dashboard?period=2026Q4".to_owned()),
        (
            "branch page",
            format!("/dashboard/branch/{branch}?period=2026Q4"),
        ),
        (
            "chart (attendance, all branches)",
            "/dashboard/charts/attendance.svg?period=2026Q4".to_owned(),
        ),
    ] {
        let mut times = Vec::new();
        let mut bytes = 0;
        for i in 0..201 {
            let started = Instant::now();
            let res = http
                .get(format!("{base}{path}"))
                .header("cookie", &cookie)
                .send()
                .await
                .unwrap();
            assert!(res.status().is_success(), "{path}: {}", res.status());
            bytes = res.bytes().await.unwrap().len();
            if i > 0 {
                times.push(started.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "  dashboard {:<32} p50 {:>6.1} ms   p99 {:>6.1} ms   {:>6} bytes",
            name,
            times[times.len() / 2],
            times[times.len() * 99 / 100],
            bytes
        );
    }
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.id())).unwrap();
    let peak = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .unwrap_or("?")
        .trim()
        .to_owned();
    println!("  serve peak RSS after the pages: {peak}");
    server.kill().unwrap();
    server.wait().unwrap();
}
