//! Two replicas, each with its own pool, running their schedulers on one database over 1,000
//! due `message` jobs: every job runs once, so every recipient gets exactly one outbox row.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use branchbot::clock::Clock;
use branchbot::delivery::Wake;
use branchbot::scheduler::{plan, Scheduler, SchedulerConfig, When};
use branchbot::store::Store;
use branchbot::testkit::db::{fresh_postgres, postgres_required, TempSqlite};
use chrono::TimeDelta;
use tokio_util::sync::CancellationToken;

use crate::support::{bind, member, message, t, TZ};

const JOBS: i64 = 1000;
const MEMBERS: i64 = 50;
const PER_JOB: i64 = 3;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_sqlite_file_run_each_of_1000_jobs_once() {
    let db = TempSqlite::new();
    two_replicas(&db.url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_schedulers_on_one_postgres_database_run_each_of_1000_jobs_once() {
    let url = match fresh_postgres().await {
        Ok(url) => url,
        Err(e) if postgres_required() => panic!("PostgreSQL is required in CI: {}", e.0),
        Err(e) => {
            eprintln!(
                "skipped: no PostgreSQL ({}); set BRANCHBOT_TEST_PG to run this test",
                e.0
            );
            return;
        }
    };
    two_replicas(&url).await;
}

async fn two_replicas(url: &str) {
    let start = t("2025-11-03T09:00:00+08:00");
    let setup = Store::open(url).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..MEMBERS {
        let id = member(&setup, &format!("m{i}"), true).await;
        bind(&setup, id, "telegram", &format!("{}", 10_000 + i)).await;
        ids.push(id);
    }
    let registry = branchbot::app::features::jobs();
    let mut tx = setup.begin().await.unwrap();
    for j in 0..JOBS {
        let to: Vec<i64> = (0..PER_JOB)
            .map(|k| ids[((j + k) % MEMBERS) as usize])
            .collect();
        let at = start + TimeDelta::milliseconds(j);
        let spec = message(
            &format!("bulk:{j}"),
            &format!("通知 {j}"),
            &to,
            When::At(at),
        );
        plan::schedule(&mut tx, &registry, &spec, start - TimeDelta::minutes(1))
            .await
            .unwrap()
            .unwrap();
    }
    tx.commit().await.unwrap();

    // Both replicas come up a minute after the last job fell due.
    let cancel = CancellationToken::new();
    let mut replicas = Vec::new();
    for _ in 0..2 {
        let store = Store::open(url).await.unwrap();
        let clock = Clock::starting_at(start + TimeDelta::minutes(1));
        let scheduler = Scheduler::new(
            store.clone(),
            clock,
            Arc::new(branchbot::app::features::jobs()),
            Wake::default(),
            SchedulerConfig::new(TZ),
        );
        let stats = Arc::clone(&scheduler.stats);
        replicas.push((tokio::spawn(scheduler.run(cancel.clone())), stats, store));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    loop {
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'message' AND status = 'done'",
        )
        .fetch_one(setup.pool())
        .await
        .unwrap();
        if done == JOBS {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "only {done} of {JOBS} jobs done"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    cancel.cancel();
    let mut ran = Vec::new();
    for (task, stats, store) in replicas {
        task.await.unwrap();
        assert_eq!(stats.lost.load(Ordering::Relaxed), 0);
        ran.push(stats.ran.load(Ordering::Relaxed));
        store.close().await;
    }
    eprintln!("the two replicas ran {ran:?} jobs");
    assert_eq!(
        ran.iter().sum::<u64>(),
        JOBS as u64,
        "every job ran exactly once: {ran:?}"
    );

    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox")
        .fetch_one(setup.pool())
        .await
        .unwrap();
    assert_eq!(rows, JOBS * PER_JOB);
    let per_job: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT j.dedupe_key, j.runs, (SELECT COUNT(*) FROM outbox o WHERE o.dedupe_key LIKE 'job:' || CAST(j.id AS TEXT) || ':%') \
         FROM jobs j WHERE j.kind = 'message' ORDER BY j.id",
    )
    .fetch_all(setup.pool())
    .await
    .unwrap();
    assert_eq!(per_job.len() as i64, JOBS);
    for (key, runs, queued) in &per_job {
        assert_eq!((*runs, *queued), (1, PER_JOB), "{key}");
    }
    // A second run would have found its rows queued already and said "queued 0 of 3".
    let notes: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT last_note FROM jobs WHERE kind = 'message'")
            .fetch_all(setup.pool())
            .await
            .unwrap();
    assert_eq!(notes, ["queued 3 of 3"]);
    setup.close().await;
}
