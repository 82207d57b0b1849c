//! The delivery loop of one channel: claim due outbox rows, hold back what the rate limits or
//! quiet hours do not allow yet, send the rest concurrently, and record every outcome.
//!
//! - 429 → the recipient is held for `retry_after` and the row retried then (not counted as a
//!   failed attempt);
//! - 5xx, timeouts → exponential backoff with jitter, up to `max_attempts`, then `failed`;
//! - blocked by the user / chat not found → `blocked`, the binding marked unreachable;
//! - past its expiry → `expired`, never sent late.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use rand::RngExt;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use super::limits::{Limiter, Limits, Permit, Wait};
use super::{ChannelSender, Outgoing, SendError};
use crate::chat::Choice;
use crate::clock::Clock;
use crate::domain::quiet::QuietHours;
use crate::store::outbox::{self, Claimed, Outcome};
use crate::store::{bindings, Store, StoreError};

/// The claim of one round covers what the rate limit lets out in this long.
pub const CLAIM_WINDOW: Duration = Duration::from_secs(2);

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    pub limits: Limits,
    /// Rows claimed at a time.
    pub batch: i64,
    /// How long a claim lasts before another worker may take the row over.
    pub lease: Duration,
    /// Transient failures before a row is marked failed.
    pub max_attempts: i64,
    /// Sends in flight at once.
    pub concurrency: usize,
    /// Base of the exponential backoff.
    pub backoff: Duration,
    /// Only rows to this address (the console channel).
    pub address: Option<String>,
    /// Quiet hours and the zone they are read in.
    pub quiet: Option<(QuietHours, Tz)>,
    /// The daily push budget: non-urgent pushes beyond it wait for the digest
    /// ([`super::budget`]).
    pub budget: Option<crate::domain::pushes::Budget>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            limits: Limits::telegram(),
            batch: 200,
            lease: Duration::from_secs(15),
            max_attempts: 5,
            concurrency: 64,
            backoff: Duration::from_secs(2),
            address: None,
            quiet: None,
            budget: None,
        }
    }
}

/// Counters a worker keeps, for `/metrics` and `branchbot status`.
#[derive(Debug, Default)]
pub struct Stats {
    pub sent: AtomicU64,
    pub failed: AtomicU64,
    pub blocked: AtomicU64,
    pub expired: AtomicU64,
    pub retried: AtomicU64,
    pub rate_limited: AtomicU64,
    /// Rows found mid-send after a crash and sent again (possible duplicates).
    pub resumed: AtomicU64,
}

pub struct Worker {
    store: Store,
    clock: Clock,
    sender: Arc<dyn ChannelSender>,
    wake: Arc<Notify>,
    config: WorkerConfig,
    limiter: Limiter,
    /// Outcomes waiting to be written together.
    written: Vec<(Claimed, Action)>,
    /// Lease tokens of the claims this worker may still hold rows of, kept alive by the
    /// heartbeat in [`Worker::run`].
    held: Arc<std::sync::Mutex<Vec<String>>>,
    pub stats: Arc<Stats>,
}

/// A finished send: the row, the answer, the limiter's permit and when the answer came.
type Finished = (Claimed, Result<Option<String>, SendError>, Permit, Instant);

/// What to write for one finished send.
enum Action {
    Complete(Outcome),
    RateLimited { at: i64, error: String },
    Unreachable(Outcome),
}

impl Worker {
    pub fn new(
        store: Store,
        clock: Clock,
        sender: Arc<dyn ChannelSender>,
        wake: Arc<Notify>,
        config: WorkerConfig,
    ) -> Self {
        let limiter = Limiter::new(config.limits.clone());
        Self {
            store,
            clock,
            sender,
            wake,
            config,
            limiter,
            written: Vec::new(),
            held: Arc::default(),
            stats: Arc::default(),
        }
    }

    /// Runs until cancelled. Sends in flight when cancelled are finished and recorded; claimed
    /// rows not yet sent are put back.
    pub async fn run(mut self, cancel: CancellationToken) {
        let channel = self.sender.channel().as_str();
        let mut inflight: JoinSet<Finished> = JoinSet::new();
        let wake = Arc::clone(&self.wake);
        let heartbeat_stop = CancellationToken::new();
        let heartbeat = tokio::spawn(heartbeat(
            self.store.clone(),
            self.clock.clone(),
            Arc::clone(&self.held),
            self.config.lease,
            heartbeat_stop.clone(),
        ));
        loop {
            let notified = wake.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if cancel.is_cancelled() {
                break;
            }
            let sent = match self.round(&mut inflight, &cancel).await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(channel, error = %e, "delivery round failed");
                    tokio::select! {
                        _ = cancel.cancelled() => break,
                        _ = tokio::time::sleep(Duration::from_secs(1)) => {}
                    }
                    continue;
                }
            };
            if sent > 0 {
                continue;
            }
            let wait = self.idle_wait().await;
            tokio::select! {
                _ = cancel.cancelled() => break,
                _ = &mut notified => {}
                Some(done) = inflight.join_next(), if !inflight.is_empty() => {
                    if let Ok(done) = done { self.record(done).await; }
                }
                _ = tokio::time::sleep(wait) => {}
            }
            self.flush().await;
        }
        while let Some(done) = inflight.join_next().await {
            if let Ok(done) = done {
                self.record(done).await;
            }
        }
        self.flush().await;
        heartbeat_stop.cancel();
        let _ = heartbeat.await;
    }

    /// Claims and sends everything due now (used by the console after each message, and by
    /// tests). Returns how many rows were handled.
    pub async fn drain(&mut self) -> Result<usize, StoreError> {
        let mut inflight = JoinSet::new();
        let cancel = CancellationToken::new();
        let mut total = 0;
        loop {
            let n = self.round(&mut inflight, &cancel).await?;
            while let Some(done) = inflight.join_next().await {
                if let Ok(done) = done {
                    self.record(done).await;
                }
            }
            self.flush().await;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// How long to sleep when nothing was due: until the next due row, at most 30 s.
    async fn idle_wait(&self) -> Duration {
        let cap = Duration::from_secs(30);
        let Ok(mut conn) = self.store.pool().acquire().await else {
            return cap;
        };
        let mut wait = match outbox::next_due(&mut conn, self.sender.channel().as_str()).await {
            Ok(Some(at)) => {
                Duration::from_millis((at - self.clock.now_ms()).max(0) as u64).min(cap)
            }
            _ => cap,
        };
        if let Some((quiet, tz)) = self.config.quiet {
            let now = self.clock.now();
            if quiet.contains(now, tz) {
                wait = wait.max(Duration::from_millis(1)).min(
                    self.clock
                        .until(quiet.ends_after(now, tz))
                        .max(Duration::from_millis(1)),
                );
            }
        }
        wait.max(Duration::from_millis(1))
    }

    /// How many rows to claim at once: what the overall rate lets out within
    /// [`CLAIM_WINDOW`], at most `batch`. A worker that dies then leaves only a couple of
    /// seconds' worth of rows in `sending`, which another worker resends (possible
    /// duplicates) and which wait out the lease; claiming far more than can be sent would
    /// hold up and duplicate that much more.
    fn claim_size(&self) -> i64 {
        let allowed = self.config.limits.overall.within(CLAIM_WINDOW);
        i64::try_from(allowed)
            .unwrap_or(i64::MAX)
            .clamp(1, self.config.batch.max(1))
    }

    /// How many outcomes to write together: what the rate lets out in a quarter of a second,
    /// at most 64. A message sent but not yet recorded when the process dies is sent again
    /// (a duplicate), so at Telegram's 30 a second outcomes are written every few sends; at
    /// rates far above, batching saves write transactions.
    fn flush_every(&self) -> usize {
        let n = self
            .config
            .limits
            .overall
            .within(Duration::from_millis(250));
        usize::try_from(n).unwrap_or(64).clamp(1, 64)
    }

    /// One claim and its sends. Returns how many rows were claimed.
    async fn round(
        &mut self,
        inflight: &mut JoinSet<Finished>,
        cancel: &CancellationToken,
    ) -> Result<usize, StoreError> {
        let now = self.clock.now();
        let quiet = self.config.quiet.is_some_and(|(q, tz)| q.contains(now, tz));
        let batch = outbox::claim(
            &self.store,
            self.sender.channel().as_str(),
            self.claim_size(),
            now.timestamp_millis(),
            self.config.lease.as_millis() as i64,
            quiet,
            self.config.address.as_deref(),
        )
        .await?;
        let claimed = batch.len();
        let batch = match &self.config.budget {
            Some(budget) => super::budget::apply(&self.store, budget, batch, now).await?,
            None => batch,
        };
        if let Some(first) = batch.first() {
            let mut held = self.held.lock().unwrap_or_else(|p| p.into_inner());
            held.push(first.lease_token.clone());
        }
        let mut renewed = Instant::now();
        let mut rows = batch.into_iter();
        while let Some(row) = rows.next() {
            // Rows wait here behind the rate limiter; keep their claim alive so no other
            // worker (or this one) takes them over as if this worker had died.
            if renewed.elapsed() > self.config.lease / 3 {
                let mut conn = self.store.pool().acquire().await?;
                let until = self.clock.now_ms() + self.config.lease.as_millis() as i64;
                outbox::renew(&mut conn, &row.lease_token, until).await?;
                renewed = Instant::now();
            }
            if cancel.is_cancelled() {
                let mut conn = self.store.pool().acquire().await?;
                let now_ms = self.clock.now_ms();
                outbox::defer(&mut conn, row.id, &row.lease_token, now_ms).await?;
                for rest in rows.by_ref() {
                    outbox::defer(&mut conn, rest.id, &rest.lease_token, now_ms).await?;
                }
                break;
            }
            if row.resumed {
                self.stats.resumed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(
                    outbox_id = row.id,
                    "resending a row whose worker died mid-send (the recipient may get it twice)"
                );
            }
            if row.expires_at.is_some_and(|e| e <= self.clock.now_ms()) {
                self.complete(&row, &Outcome::Expired).await?;
                continue;
            }
            // Choices that cannot be read cannot be rendered: the row fails alone, rather than
            // going out without the buttons its text asks the recipient to press.
            let choices: Vec<Choice> = match serde_json::from_str(&row.choices_json) {
                Ok(choices) => choices,
                Err(e) => {
                    self.stats.failed.fetch_add(1, Ordering::Relaxed);
                    tracing::error!(outbox_id = row.id, error = %e, "outbox row cannot be rendered; marked failed");
                    let error = format!("unreadable choices: {e}");
                    self.complete(&row, &Outcome::Failed { error }).await?;
                    continue;
                }
            };
            let permit = loop {
                match self.limiter.try_acquire(&row.address, Instant::now()) {
                    Ok(permit) => break Some(permit),
                    Err(Wait::Overall(at)) => {
                        // Collect finished sends while waiting for the next slot.
                        tokio::select! {
                            _ = tokio::time::sleep_until(at) => {}
                            Some(done) = inflight.join_next(), if !inflight.is_empty() => {
                                if let Ok(done) = done { self.record(done).await; }
                            }
                        }
                    }
                    Err(Wait::Recipient(at)) => {
                        let at_ms = self.clock.now_ms()
                            + at.saturating_duration_since(Instant::now()).as_millis() as i64;
                        let mut conn = self.store.pool().acquire().await?;
                        outbox::defer(&mut conn, row.id, &row.lease_token, at_ms).await?;
                        break None;
                    }
                }
            };
            let Some(permit) = permit else {
                continue;
            };
            while inflight.len() >= self.config.concurrency {
                if let Some(Ok(done)) = inflight.join_next().await {
                    self.record(done).await;
                }
            }
            let sender = Arc::clone(&self.sender);
            inflight.spawn(async move {
                let msg = Outgoing {
                    id: row.id,
                    address: row.address.clone(),
                    text: row.body.clone(),
                    choices,
                    member_id: row.member_id,
                    urgent: row.urgent,
                    attachment: row.attachment_id,
                };
                let result = sender.send(&msg).await;
                // The limiter counts the send until a window after this instant: the
                // platform received it at the latest now.
                (row, result, permit, Instant::now())
            });
            while let Some(done) = inflight.try_join_next() {
                if let Ok(done) = done {
                    self.record(done).await;
                }
            }
        }
        self.flush().await;
        Ok(claimed)
    }

    /// Turns a send result into what to write, and writes a batch of them together.
    async fn record(&mut self, (row, result, permit, answered): Finished) {
        self.limiter.answered(permit, answered);
        let now_ms = self.clock.now_ms();
        let action = match result {
            Ok(provider_id) => {
                self.stats.sent.fetch_add(1, Ordering::Relaxed);
                Action::Complete(Outcome::Sent { provider_id })
            }
            Err(SendError::RetryAfter(wait)) => {
                self.stats.rate_limited.fetch_add(1, Ordering::Relaxed);
                self.limiter.hold(&row.address, answered + wait);
                // A 429 is the platform pacing us, not a failure of this message.
                Action::RateLimited {
                    at: now_ms + wait.as_millis() as i64,
                    error: format!("rate limited: retry after {} s", wait.as_secs()),
                }
            }
            Err(SendError::Held { wait, reason }) => {
                // Not the platform pacing us and not a failure: the row simply waits.
                tracing::debug!(outbox_id = row.id, reason = %reason, "message held back");
                let at = now_ms + wait.as_millis() as i64;
                if let Ok(mut conn) = self.store.pool().acquire().await {
                    if let Err(e) = outbox::defer(&mut conn, row.id, &row.lease_token, at).await {
                        tracing::error!(outbox_id = row.id, error = %e, "could not hold back a message");
                    }
                }
                return;
            }
            Err(SendError::Transient(error)) if row.attempts < self.config.max_attempts => {
                self.stats.retried.fetch_add(1, Ordering::Relaxed);
                let base = self.config.backoff.as_millis() as i64
                    * (1i64 << (row.attempts - 1).clamp(0, 16));
                let jitter = rand::rng().random_range(0..=base / 2 + 1);
                let delay = (base + jitter).min(15 * 60 * 1000);
                Action::Complete(Outcome::Retry {
                    at: now_ms + delay,
                    error,
                })
            }
            Err(SendError::Transient(error)) | Err(SendError::Permanent(error)) => {
                self.stats.failed.fetch_add(1, Ordering::Relaxed);
                tracing::warn!(outbox_id = row.id, attempts = row.attempts, error = %error, "message failed");
                Action::Complete(Outcome::Failed { error })
            }
            Err(SendError::Unreachable(error)) => {
                self.stats.blocked.fetch_add(1, Ordering::Relaxed);
                Action::Unreachable(Outcome::Blocked { error })
            }
        };
        self.written.push((row, action));
        if self.written.len() >= self.flush_every() {
            self.flush().await;
        }
    }

    /// Writes the recorded outcomes in one transaction (one write instead of one per message).
    async fn flush(&mut self) {
        if self.written.is_empty() {
            return;
        }
        let batch = std::mem::take(&mut self.written);
        let now_ms = self.clock.now_ms();
        let result: Result<(), StoreError> = async {
            let mut tx = self.store.begin().await?;
            for (row, action) in &batch {
                let applied = match action {
                    Action::Complete(outcome) => {
                        outbox::complete(&mut tx, row.id, &row.lease_token, outcome, now_ms).await?
                    }
                    Action::RateLimited { at, error } => {
                        outbox::rate_limited(&mut tx, row.id, &row.lease_token, *at, error).await?
                    }
                    Action::Unreachable(outcome) => {
                        bindings::mark_unreachable(&mut tx, &row.channel, &row.address).await?;
                        outbox::complete(&mut tx, row.id, &row.lease_token, outcome, now_ms).await?
                    }
                };
                if !applied {
                    tracing::warn!(
                        outbox_id = row.id,
                        "outcome not recorded: another worker took the row over"
                    );
                }
            }
            tx.commit().await?;
            Ok(())
        }
        .await;
        if let Err(e) = result {
            // The rows stay in `sending`; once their lease lapses they are sent again.
            tracing::error!(error = %e, count = batch.len(), "could not record send outcomes");
        }
    }

    async fn complete(&self, row: &Claimed, outcome: &Outcome) -> Result<(), StoreError> {
        if *outcome == Outcome::Expired {
            self.stats.expired.fetch_add(1, Ordering::Relaxed);
        }
        let mut conn = self.store.pool().acquire().await?;
        let applied = outbox::complete(
            &mut conn,
            row.id,
            &row.lease_token,
            outcome,
            self.clock.now_ms(),
        )
        .await?;
        if !applied {
            tracing::warn!(
                outbox_id = row.id,
                "outcome not recorded: another worker took the row over"
            );
        }
        Ok(())
    }
}

/// Keeps the leases of the rows a worker holds alive (claimed and waiting for the limiter, or
/// being sent), every third of the lease, until `stop`. A claim with no row left in `sending`
/// is forgotten. Rows survive a lease only when their worker died, so the lease can be short
/// and a crashed worker's rows are taken over soon.
async fn heartbeat(
    store: Store,
    clock: Clock,
    held: Arc<std::sync::Mutex<Vec<String>>>,
    lease: Duration,
    stop: CancellationToken,
) {
    let every = (lease / 3).max(Duration::from_millis(100));
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(every) => {}
        }
        let tokens = held.lock().unwrap_or_else(|p| p.into_inner()).clone();
        if tokens.is_empty() {
            continue;
        }
        let Ok(mut conn) = store.pool().acquire().await else {
            continue;
        };
        let until = clock.now_ms() + lease.as_millis() as i64;
        for token in tokens {
            match outbox::renew(&mut conn, &token, until).await {
                Ok(0) => held
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .retain(|t| *t != token),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "could not renew a delivery lease"),
            }
        }
    }
}
