//! Reminder benchmark: 100,000 one-off `message` jobs fall due within the same minute. Measures
//! how long the scheduler takes to move them all into the outbox, how late each ran after its
//! due instant (p50, p99, max), and the process's resident memory with 0 and with 100,000 jobs
//! pending and at the end (jobs are rows, not held in memory, so it must stay flat). Sending is
//! not part of it (no delivery worker runs).
//!
//! `cargo bench --bench reminders -- [--jobs N] [--members M] [--backend sqlite|postgres]
//! [--other-core idle|busy]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use branchbot::clock::Clock;
use branchbot::delivery::Wake;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::scheduler::{Scheduler, SchedulerConfig};
use branchbot::store::jobs::{self, NewJob, Timing};
use branchbot::store::{bindings, members, Store};
use branchbot::testkit::db::{fresh_postgres, TempSqlite};
use tokio_util::sync::CancellationToken;

#[path = "common/mod.rs"]
mod common;
use common::machine::{Machine, OtherCore};

fn rss_mib(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::main]
async fn main() {
    let mut n_jobs: i64 = 100_000;
    let mut n_members: i64 = 1_000;
    let mut backend = "sqlite".to_owned();
    let mut other_core = OtherCore::Idle;
    let argv: Vec<String> = std::env::args()
        .skip(1)
        .filter(|s| s != "--bench")
        .collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().cloned().unwrap_or_default();
        match flag.as_str() {
            "--jobs" => n_jobs = value.parse().expect("--jobs takes a number"),
            "--members" => n_members = value.parse().expect("--members takes a number"),
            "--backend" => backend = value,
            "--other-core" => {
                other_core = OtherCore::parse(&value).expect("--other-core takes idle or busy")
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let machine = Machine::start(other_core);
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

    let mut csv = String::from("key,name,branch,branch_kind,role\n");
    for i in 0..n_members {
        csv.push_str(&format!("M{i},成员{i},第{}党支部,student,党员\n", i % 10));
    }
    let roster = roster::parse(csv.as_bytes(), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM members ORDER BY id")
        .fetch_all(&mut *tx)
        .await
        .unwrap();
    for (i, id) in ids.iter().enumerate() {
        bindings::bind(&mut tx, "telegram", &(100_000 + i).to_string(), *id, 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let tz = chrono_tz::Asia::Shanghai;
    let scheduler = Scheduler::new(
        store.clone(),
        Clock::System,
        Arc::new(branchbot::app::features::jobs()),
        Wake::default(),
        SchedulerConfig::new(tz),
    );
    let handle = scheduler.handle();
    let stats = Arc::clone(&scheduler.stats);
    let cancel = CancellationToken::new();
    let task = tokio::spawn(scheduler.run(cancel.child_token()));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_idle = rss_mib("VmRSS:");

    // Due over one minute, starting once all are inserted.
    let insert_started = Instant::now();
    let t0 = chrono::Utc::now().timestamp_millis() + 30_000 + n_jobs / 20;
    let mut tx = store.begin().await.unwrap();
    for j in 0..n_jobs {
        let member = ids[(j % ids.len() as i64) as usize];
        let job = NewJob {
            kind: "message".into(),
            dedupe_key: format!("bench:{j}"),
            payload: format!(
                "{{\"text\":\"【提醒】明天 19:30 党员大会，图书馆 305。\",\"members\":[{member}]}}"
            ),
            timing: Timing::Once,
            due_at: t0 + j * 60_000 / n_jobs,
            grace_ms: 6 * 3_600_000,
        };
        jobs::insert(&mut tx, &job, 0).await.unwrap();
        if j % 2_000 == 1_999 {
            tx.commit().await.unwrap();
            tx = store.begin().await.unwrap();
        }
    }
    tx.commit().await.unwrap();
    handle.wake();
    let inserted_in = insert_started.elapsed();
    let rss_pending = rss_mib("VmRSS:");
    let now = chrono::Utc::now().timestamp_millis();
    assert!(
        now < t0,
        "inserting took longer than planned; raise the lead time"
    );

    let deadline = Instant::now() + Duration::from_secs(1800);
    loop {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'message' AND status = 'done'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        if done == n_jobs {
            break;
        }
        assert!(Instant::now() < deadline, "only {done} of {n_jobs} ran");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let rss_end = rss_mib("VmRSS:");
    cancel.cancel();
    task.await.unwrap();

    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT due_at, last_run_at FROM jobs WHERE kind = 'message'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut late: Vec<i64> = rows.iter().map(|(due, ran)| ran - due).collect();
    late.sort_unstable();
    let first_due = rows.iter().map(|r| r.0).min().unwrap();
    let last_run = rows.iter().map(|r| r.1).max().unwrap();
    let outbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(store.pool())
        .await
        .unwrap();

    println!("{n_jobs} message jobs for {n_members} members due within one minute, on {backend}");
    println!(
        "inserted in {:.1} s; outbox rows written: {outbox}; runs counted: {}",
        inserted_in.as_secs_f64(),
        stats.ran.load(std::sync::atomic::Ordering::Relaxed)
    );
    println!(
        "all moved into the outbox {:.1} s after the first fell due (the window itself is 60 s)",
        (last_run - first_due) as f64 / 1000.0
    );
    println!(
        "lateness after the due instant: p50 {} ms, p99 {} ms, max {} ms",
        percentile(&late, 0.50),
        percentile(&late, 0.99),
        late.last().copied().unwrap_or(0)
    );
    println!(
        "resident memory: {rss_idle:.1} MiB with 0 jobs pending, {rss_pending:.1} MiB with {n_jobs} pending, {rss_end:.1} MiB at the end (peak {:.1} MiB)",
        rss_mib("VmHWM:")
    );
    store.close().await;
    let verdict = machine.finish();
    println!("{}", verdict.line());
    if !verdict.stands() {
        std::process::exit(1);
    }
}
