//! The scheduler: jobs that are rows in the database, so they survive restarts, and that run
//! once across replicas.
//!
//! - [`crontab`]: standard five-field crontab, parsed into a type, and its fire times.
//! - [`plan`]: putting a job on the schedule (one-off, recurring, or relative to an event).
//! - [`job`]: the [`Job`] trait and the [`Registry`] of named kinds; [`kinds`]: the built-ins.
//! - [`preview`]: what `branchbot schedule preview` prints.
//! - [`Scheduler`] (here): the loop. It sleeps until the next due row or until woken
//!   ([`SchedulerHandle::wake`]), claims due rows with a lease ([`crate::store::jobs::claim`]),
//!   and runs each in one transaction with its effects and its bookkeeping.
//!
//! Downtime: an occurrence found late still runs, once, if it is within its grace period (per
//! kind, six hours by default); later than that it is recorded as missed. A recurring job that
//! missed several occurrences runs only the latest of them (if within grace), counts the others
//! as missed, and moves on to its next future time. A run that fails is rolled back and retried
//! a few times, then recorded as failed. See [`run`] for one occurrence start to finish.

pub mod crontab;
pub mod job;
pub mod kinds;
pub mod plan;
pub mod preview;
pub mod run;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

pub use self::crontab::{Crontab, CrontabError};
pub use self::job::{Job, JobContext, JobError, Ran, Registry, SubjectFuture};
pub use self::plan::{JobSpec, ScheduleError, When};
use crate::clock::Clock;
use crate::delivery::Wake;
use crate::store::jobs;
use crate::store::{Store, StoreError};

/// Occurrences run at once on PostgreSQL.
pub const PARALLEL_RUNS: usize = 8;

/// How the scheduler behaves.
#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// The organisation's zone: built-in schedules are read in it.
    pub tz: Tz,
    /// Rows claimed at a time.
    pub batch: i64,
    /// How long a claim lasts before another replica may take the row over.
    pub lease: Duration,
    /// The longest sleep, so that rows another replica inserted are seen without a wake-up.
    pub max_sleep: Duration,
    /// Attempts at one occurrence before it is recorded as failed.
    pub max_attempts: i64,
    /// Wait before the first retry; doubles with each attempt.
    pub retry_after: Duration,
    /// Whether an SMS gateway is connected: jobs that send SMS directly (notice escalation)
    /// record their work as pending without one.
    pub sms_connected: bool,
    /// 三会一课 timings and cadences (`[meetings]`), for the meeting jobs.
    pub meetings: Arc<crate::domain::meetings::MeetingRules>,
    /// 发展党员 intervals (`[recruitment]`), for the recruitment reminders.
    pub recruitment: Arc<crate::config::recruitment::Policy>,
    /// What each kind does on a holiday, on 调休 days and in vacations (`[calendar.rules]`).
    pub calendar: Arc<crate::domain::calendar::Rules>,
}

impl SchedulerConfig {
    /// Defaults for an organisation in `tz`.
    pub fn new(tz: Tz) -> Self {
        Self {
            tz,
            batch: 128,
            lease: Duration::from_secs(120),
            max_sleep: Duration::from_secs(60),
            max_attempts: 3,
            retry_after: Duration::from_secs(60),
            sms_connected: false,
            meetings: Arc::default(),
            recruitment: Arc::default(),
            calendar: Arc::default(),
        }
    }
}

/// What code that schedules jobs needs: the registry (to check kinds and payloads) and the
/// scheduler's wake-up. Call [`SchedulerHandle::wake`] after committing a transaction that
/// scheduled or moved jobs, or use [`SchedulerHandle::schedule`], which does both.
#[derive(Debug, Clone)]
pub struct SchedulerHandle {
    notify: Arc<Notify>,
    registry: Arc<Registry>,
}

impl SchedulerHandle {
    /// A handle with no scheduler behind it (command-line tools that only write jobs: the
    /// running scheduler finds them on its next look).
    pub fn detached(registry: Arc<Registry>) -> Self {
        Self {
            notify: Arc::default(),
            registry,
        }
    }

    /// Makes the scheduler look at the table now (the wake-up is kept if it is busy).
    pub fn wake(&self) {
        self.notify.notify_one();
    }

    /// The kinds the scheduler runs.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// Schedules one job in its own transaction and wakes the scheduler. Returns the new id,
    /// or None when the dedupe key was taken already.
    pub async fn schedule(
        &self,
        store: &Store,
        spec: &JobSpec,
        now: DateTime<Utc>,
    ) -> Result<Option<i64>, ScheduleError> {
        let mut tx = store.begin().await?;
        let id = plan::schedule(&mut tx, &self.registry, spec, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.wake();
        Ok(id)
    }
}

/// Counters, for logs and metrics.
#[derive(Debug, Default)]
pub struct Stats {
    pub ran: AtomicU64,
    pub missed: AtomicU64,
    pub retried: AtomicU64,
    pub failed: AtomicU64,
    /// Claimed rows that were no longer ours when run or recorded (another replica took the
    /// lapsed lease over, or the job was cancelled): their work was rolled back.
    pub lost: AtomicU64,
    /// The loop is waiting for the next due row, a wake-up or the stop signal (tests on
    /// paused time move the clock only while it is).
    pub sleeping: AtomicBool,
}

/// The scheduling loop of one replica.
pub struct Scheduler {
    store: Store,
    clock: Clock,
    registry: Arc<Registry>,
    delivery: Wake,
    config: SchedulerConfig,
    handle: SchedulerHandle,
    pub stats: Arc<Stats>,
}

impl Scheduler {
    /// A scheduler over `store` that runs the kinds in `registry` and wakes the delivery
    /// workers through `delivery` when a run queued messages.
    pub fn new(
        store: Store,
        clock: Clock,
        registry: Arc<Registry>,
        delivery: Wake,
        config: SchedulerConfig,
    ) -> Self {
        let handle = SchedulerHandle {
            notify: Arc::default(),
            registry: Arc::clone(&registry),
        };
        Self {
            store,
            clock,
            registry,
            delivery,
            config,
            handle,
            stats: Arc::default(),
        }
    }

    /// A handle that wakes this scheduler and schedules jobs for it.
    pub fn handle(&self) -> SchedulerHandle {
        self.handle.clone()
    }

    /// Wakes this scheduler.
    pub fn wake(&self) {
        self.handle.wake();
    }

    /// Creates the built-in recurring jobs (once per database, whatever the number of
    /// replicas), and updates their schedule if this binary's differs.
    pub async fn install_builtins(&self) -> Result<(), ScheduleError> {
        let now = self.clock.now();
        let mut conn = self
            .store
            .pool()
            .acquire()
            .await
            .map_err(StoreError::from)?;
        for job in self.registry.iter() {
            let Some(expr) = job.builtin_schedule() else {
                continue;
            };
            let crontab = Crontab::parse(expr).map_err(|e| ScheduleError::Payload {
                kind: job.name().into(),
                reason: e.to_string(),
            })?;
            let spec = JobSpec {
                kind: job.name().into(),
                dedupe_key: format!("builtin:{}", job.name()),
                payload: "{}".into(),
                when: When::Cron {
                    crontab: crontab.clone(),
                    tz: self.config.tz,
                },
                grace: None,
            };
            if plan::schedule(&mut conn, &self.registry, &spec, now)
                .await?
                .is_none()
            {
                let due = crontab
                    .next_after(self.config.tz, now)
                    .map(|t| t.timestamp_millis())
                    .unwrap_or(i64::MAX);
                jobs::reschedule_cron(
                    &mut conn,
                    &spec.dedupe_key,
                    expr,
                    self.config.tz.name(),
                    due,
                    now.timestamp_millis(),
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Runs until `cancel` is cancelled. A run in progress finishes; rows claimed but not
    /// started are given back.
    pub async fn run(self, cancel: CancellationToken) {
        let notify = Arc::clone(&self.handle.notify);
        let mut installed = false;
        loop {
            let notified = notify.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if cancel.is_cancelled() {
                break;
            }
            if !installed {
                // Retried every round until the database lets it through.
                installed = match self.install_builtins().await {
                    Ok(()) => true,
                    Err(e) => {
                        tracing::error!(error = %e, "could not install the built-in jobs; will retry");
                        false
                    }
                };
            }
            match self.run_due(&cancel).await {
                Ok(0) => {}
                Ok(_) => continue,
                Err(e) => {
                    tracing::error!(error = %e, "scheduler round failed; retrying");
                    tokio::select! {
                        _ = cancel.cancelled() => break,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                    continue;
                }
            }
            let wait = self.idle_wait().await;
            tracing::debug!(?wait, "scheduler idle");
            self.stats.sleeping.store(true, Ordering::SeqCst);
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = &mut notified => {}
                _ = tokio::time::sleep(wait) => {}
            }
            self.stats.sleeping.store(false, Ordering::SeqCst);
        }
    }

    /// Runs everything due now, batch after batch (tests, and a replica catching up).
    pub async fn drain(&self) -> Result<usize, StoreError> {
        let cancel = CancellationToken::new();
        let mut total = 0;
        loop {
            match self.run_due(&cancel).await? {
                0 => return Ok(total),
                n => total += n,
            }
        }
    }

    /// How long to sleep: until the next due row, at most `max_sleep`. A row due already but
    /// not claimed is held by another replica for a moment: look again shortly.
    async fn idle_wait(&self) -> Duration {
        let kinds = self.registry.names();
        let next = match self.store.pool().acquire().await {
            Ok(mut conn) => jobs::next_due(&mut conn, &kinds).await.ok().flatten(),
            Err(_) => None,
        };
        match next {
            Some(at) => Duration::from_millis((at - self.clock.now_ms()).max(0) as u64)
                .clamp(Duration::from_millis(50), self.config.max_sleep),
            None => self.config.max_sleep,
        }
    }

    /// Claims one batch of due rows and runs them. Returns how many were claimed.
    async fn run_due(&self, cancel: &CancellationToken) -> Result<usize, StoreError> {
        let kinds = self.registry.names();
        let now = self.clock.now_ms();
        let lease = self.config.lease.as_millis() as i64;
        let claimed = jobs::claim(&self.store, &kinds, now, self.config.batch, lease).await?;
        let n = claimed.len();
        if self.store.backend() == crate::store::Backend::Postgres {
            // PostgreSQL takes writers in parallel: run the batch's occurrences a few at a
            // time, each still in its own transaction (on SQLite they would only queue for
            // the one write lock).
            use futures_util::stream::{self, StreamExt, TryStreamExt};
            stream::iter(claimed)
                .map(|row| async move { self.execute(&row).await })
                .buffer_unordered(PARALLEL_RUNS)
                .try_collect::<Vec<()>>()
                .await?;
            return Ok(n);
        }
        let mut rows = claimed.into_iter();
        while let Some(row) = rows.next() {
            if cancel.is_cancelled() {
                let mut conn = self.store.pool().acquire().await?;
                let now = self.clock.now_ms();
                for row in std::iter::once(row).chain(rows.by_ref()) {
                    jobs::release(&mut conn, &row, now).await?;
                }
                break;
            }
            self.execute(&row).await?;
        }
        Ok(n)
    }
}
