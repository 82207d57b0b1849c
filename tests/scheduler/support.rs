//! What the scheduler tests share: a fresh SQLite store with a clock on paused tokio time,
//! members and bindings inserted with plain SQL, and readers for the rows a person would look at.
//!
//! Paused time and a database: tokio auto-advances a paused clock to the next timer whenever
//! the runtime has nothing to do, and waiting for SQLite's worker thread counts as nothing to
//! do, so the clock would jump (and sqlx's 30 s acquire timeout fire) in the middle of a query.
//! [`freeze`] parks a blocking task, which inhibits auto-advance: time then moves only when a
//! test calls [`Env::advance_to`], and a test waits for the scheduler with [`eventually`].

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use branchbot::clock::Clock;
use branchbot::delivery::Wake;
use branchbot::scheduler::{
    JobSpec, Registry, Scheduler, SchedulerConfig, SchedulerHandle, Stats, When,
};
use branchbot::store::jobs::{self, JobRow};
use branchbot::store::Store;
use branchbot::testkit::db::TempSqlite;
use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use sqlx::Row;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub const TZ: Tz = chrono_tz::Asia::Shanghai;

/// An instant from RFC 3339 text.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub use branchbot::testkit::{freeze, Frozen};

/// A running scheduler: its handle, and how to stop it.
pub struct Running {
    pub handle: SchedulerHandle,
    cancel: CancellationToken,
    task: JoinHandle<()>,
}

impl Running {
    pub async fn stop(self) {
        self.cancel.cancel();
        self.task.await.unwrap();
    }
}

/// A fresh database and a clock that reads `start` now, on frozen paused time.
pub struct Env {
    pub store: Store,
    pub clock: Clock,
    /// The running schedulers' counters: time moves only while they all sleep.
    running: Mutex<Vec<Arc<Stats>>>,
    _db: TempSqlite,
    _frozen: Frozen,
}

impl Env {
    pub async fn new(start: DateTime<Utc>) -> Self {
        // BRANCHBOT_LOG=info shows what the scheduler did.
        let filter = tracing_subscriber::EnvFilter::try_from_env("BRANCHBOT_LOG")
            .unwrap_or_else(|_| "off".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
        let frozen = freeze();
        let db = TempSqlite::new();
        let store = Store::open(&db.url).await.unwrap();
        Self {
            store,
            clock: Clock::starting_at(start),
            running: Mutex::default(),
            _db: db,
            _frozen: frozen,
        }
    }

    pub fn scheduler(&self, registry: Registry, config: SchedulerConfig) -> Scheduler {
        Scheduler::new(
            self.store.clone(),
            self.clock.clone(),
            Arc::new(registry),
            Wake::default(),
            config,
        )
    }

    /// Starts a scheduler with the built-in kinds and the default configuration.
    pub fn spawn(&self) -> Running {
        self.spawn_with(branchbot::app::features::jobs(), SchedulerConfig::new(TZ))
    }

    pub fn spawn_with(&self, registry: Registry, config: SchedulerConfig) -> Running {
        let scheduler = self.scheduler(registry, config);
        let handle = scheduler.handle();
        self.running
            .lock()
            .unwrap()
            .push(Arc::clone(&scheduler.stats));
        let cancel = CancellationToken::new();
        let task = tokio::spawn(scheduler.run(cancel.clone()));
        Running {
            handle,
            cancel,
            task,
        }
    }

    /// Moves paused time forward to `at`, once every running scheduler is asleep (one caught
    /// mid-round would go on with the new time and sleep on a stale plan).
    pub async fn advance_to(&self, at: DateTime<Utc>) {
        let running = self.running.lock().unwrap().clone();
        eventually("the schedulers are asleep", async || {
            running.iter().all(|s| s.sleeping.load(Ordering::SeqCst))
        })
        .await;
        let by = (at - self.clock.now())
            .to_std()
            .expect("time only moves forward");
        tokio::time::advance(by).await;
        assert_eq!(self.clock.now(), at);
    }

    /// Gives the scheduler a chance to act on what it was told (when nothing should happen).
    pub async fn settle(&self) {
        for _ in 0..20 {
            tokio::task::yield_now().await;
            sqlx::query("SELECT 1")
                .execute(self.store.pool())
                .await
                .unwrap();
        }
    }

    pub async fn job(&self, id: i64) -> JobRow {
        let mut conn = self.store.pool().acquire().await.unwrap();
        jobs::get(&mut conn, id).await.unwrap().unwrap()
    }

    pub async fn job_by_key(&self, key: &str) -> JobRow {
        let mut conn = self.store.pool().acquire().await.unwrap();
        jobs::by_dedupe_key(&mut conn, key).await.unwrap().unwrap()
    }

    pub async fn outbox(&self) -> Vec<Out> {
        outbox(&self.store).await
    }
}

/// Waits (in real time, at most 30 s) until `check` holds; paused time does not move meanwhile.
pub async fn eventually(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !check().await {
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting until {what}"
        );
        tokio::task::yield_now().await;
    }
}

/// Inserts a member (role `member`, locale zh-CN).
pub async fn member(store: &Store, key: &str, active: bool) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO members (key, name, role, locale, active, created_at, updated_at) \
         VALUES ($1, $1, 'member', 'zh-CN', $2, 0, 0) RETURNING id",
    )
    .bind(key)
    .bind(i64::from(active))
    .fetch_one(store.pool())
    .await
    .unwrap()
}

/// Binds a member's address on a channel.
pub async fn bind(store: &Store, member_id: i64, channel: &str, address: &str) {
    sqlx::query(
        "INSERT INTO bindings (channel, address, member_id, bound_at) VALUES ($1, $2, $3, 0)",
    )
    .bind(channel)
    .bind(address)
    .bind(member_id)
    .execute(store.pool())
    .await
    .unwrap();
}

/// A `message` job to `members`.
pub fn message(key: &str, text: &str, members: &[i64], when: When) -> JobSpec {
    JobSpec {
        kind: "message".into(),
        dedupe_key: key.into(),
        payload: serde_json::json!({ "text": text, "members": members }).to_string(),
        when,
        grace: None,
    }
}

pub fn hours(n: i64) -> TimeDelta {
    TimeDelta::hours(n)
}

/// An outbox row, as the delivery worker will see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Out {
    pub channel: String,
    pub address: String,
    pub member_id: i64,
    pub body: String,
    pub urgent: bool,
    pub dedupe_key: String,
    pub created_at: i64,
}

pub async fn outbox(store: &Store) -> Vec<Out> {
    let rows = sqlx::query(
        "SELECT channel, address, member_id, body, urgent, dedupe_key, created_at FROM outbox ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| Out {
            channel: r.get("channel"),
            address: r.get("address"),
            member_id: r.get("member_id"),
            body: r.get("body"),
            urgent: r.get::<i64, _>("urgent") != 0,
            dedupe_key: r.get("dedupe_key"),
            created_at: r.get("created_at"),
        })
        .collect()
}
