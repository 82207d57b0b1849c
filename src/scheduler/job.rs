//! What a job is: a named kind that does its work inside the transaction that records the run
//! ([`Job`]), and the [`Registry`] of the kinds this binary knows.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;

use crate::chat::{ChannelKind, Reply};
use crate::delivery::route::{self, Push};
use crate::domain::calendar::{KindRule, Rules, Subject};
use crate::domain::org::Member;
use crate::i18n::Catalog;
use crate::store::jobs::JobRow;
use crate::store::{Conn, StoreError};

/// What a run knows besides its row.
#[derive(Debug, Clone)]
pub struct JobContext {
    /// Now (Unix ms), as the scheduler's clock reads it.
    pub now: i64,
    /// The organisation's time zone.
    pub tz: Tz,
    /// Whether an SMS gateway is connected.
    pub sms_connected: bool,
    /// 三会一课 timings and cadences (`[meetings]`).
    pub meetings: std::sync::Arc<crate::domain::meetings::MeetingRules>,
    /// 发展党员 intervals (`[recruitment]`).
    pub recruitment: std::sync::Arc<crate::config::recruitment::Policy>,
}

/// What a successful run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ran {
    /// A few words for the job's row (`last_note`) and the log.
    pub note: Option<String>,
    /// Channels whose delivery workers should wake once the run is committed.
    pub wake: Vec<ChannelKind>,
}

impl Ran {
    /// A run that only leaves a note (nothing queued, nobody to wake).
    pub fn note(text: impl Into<String>) -> Self {
        Self {
            note: Some(text.into()),
            wake: Vec::new(),
        }
    }
}

/// Why a run failed. The run's transaction is rolled back and the occurrence retried.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("bad payload: {0}")]
    Payload(String),
    #[error("{0}")]
    Failed(String),
}

impl JobError {
    /// Whether running the occurrence again cannot help: a payload or stored data this
    /// binary cannot read, a bug. Such a run fails at once (recorded, shown by `status`)
    /// instead of being retried; a busy or unreachable database is retried with backoff.
    pub fn is_permanent(&self) -> bool {
        match self {
            Self::Payload(_) => true,
            Self::Store(e) => !e.is_transient(),
            Self::Failed(_) => false,
        }
    }
}

/// Pushes `reply` to `member` from a run, at once and not urgent unless `push` says otherwise,
/// on the route the delivery layer picks (see [`route::push`]), and notes the channel whose
/// worker to wake after the commit. Whether the member was reached.
pub async fn push(
    conn: &mut Conn,
    ctx: &JobContext,
    member: &Member,
    reply: &Reply,
    push: &Push,
    wake: &mut Vec<ChannelKind>,
) -> Result<bool, StoreError> {
    let routed = route::push(
        conn,
        Catalog::shared(),
        member,
        reply,
        push,
        ctx.sms_connected,
        ctx.now,
    )
    .await?;
    let Some(channel) = routed.channel() else {
        return Ok(false);
    };
    if !wake.contains(&channel) {
        wake.push(channel);
    }
    Ok(true)
}

/// A push queued now, not urgent, that does not expire.
pub fn now(ctx: &JobContext, dedupe_key: String) -> Push {
    Push {
        dedupe_key,
        urgent: false,
        not_before: ctx.now,
        expires_at: None,
    }
}

/// Whether a payload reads as `T`: what most kinds' [`Job::check`] asks.
pub fn check_payload<T: serde::de::DeserializeOwned>(payload: &str) -> Result<(), String> {
    serde_json::from_str::<T>(payload)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

/// A run's payload read as `T`; one that does not read is an error naming the row.
pub fn payload<T: serde::de::DeserializeOwned>(job: &JobRow) -> Result<T, JobError> {
    serde_json::from_str(&job.payload)
        .map_err(|e| JobError::Payload(format!("job {} ({}): {e}", job.id, job.kind)))
}

/// The future [`Job::subject`] returns.
pub type SubjectFuture<'a> = Pin<Box<dyn Future<Output = Result<Subject, StoreError>> + Send + 'a>>;

/// The future a run returns.
pub type JobFuture<'a> = Pin<Box<dyn Future<Output = Result<Ran, JobError>> + Send + 'a>>;

/// A kind of job. Its runs happen in the transaction that marks the occurrence done, so what a
/// run writes (typically outbox rows, through [`crate::store::outbox::enqueue`]) is committed
/// exactly when the run is, and never twice.
pub trait Job: Send + Sync + 'static {
    /// The kind's name, stored on each job row. Never rename one that has shipped.
    fn name(&self) -> &'static str;

    /// How late an occurrence may still run (after downtime); later ones are recorded as missed.
    fn grace(&self) -> Duration {
        Duration::from_secs(6 * 3600)
    }

    /// For a built-in recurring job: its crontab, read in the organisation's zone. The
    /// scheduler creates the job when it starts.
    fn builtin_schedule(&self) -> Option<&'static str> {
        None
    }

    /// How it follows the calendar when the configuration says nothing
    /// (`[calendar.rules.<kind>]` changes it): pushes that can wait move to the next working
    /// day, daily chores drop a holiday's run (the next day's covers it), and what belongs to
    /// an event (a meeting's reminders) or to the machinery keeps its time (the default).
    fn calendar_rule(&self) -> KindRule {
        KindRule::KEEP
    }

    /// Whether a run erases what must not stay readable on disk: after its commit the SQLite
    /// WAL is truncated (`wal_checkpoint(TRUNCATE)`), so old page images go with it.
    fn erases(&self) -> bool {
        false
    }

    /// Checks a payload before a job is scheduled, so a bad one is refused at once rather than
    /// failing when due.
    fn check(&self, _payload: &str) -> Result<(), String> {
        Ok(())
    }

    /// What an occurrence is about, for the calendar: a student branch's (paused in vacations
    /// when the kind's rule says so) or urgent (never held back). Read in the run's
    /// transaction before the calendar decides.
    fn subject<'a>(&'a self, _conn: &'a mut Conn, _job: &'a JobRow) -> SubjectFuture<'a> {
        Box::pin(async { Ok(Subject::default()) })
    }

    /// Does the work of one occurrence on `conn`, the run's transaction. The job decides
    /// urgency (quiet hours hold back non-urgent outbox rows).
    fn run<'a>(&'a self, ctx: &'a JobContext, conn: &'a mut Conn, job: &'a JobRow)
        -> JobFuture<'a>;
}

/// The kinds of job this binary can run.
#[derive(Clone, Default)]
pub struct Registry {
    jobs: Vec<Arc<dyn Job>>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.names()).finish()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same registry with `job` in place of the kind of the same name (a built-in kind
    /// whose schedule the configuration sets, such as `dues-reminders`).
    pub fn replace(mut self, job: impl Job) -> Self {
        let job: Arc<dyn Job> = Arc::new(job);
        match self.jobs.iter().position(|j| j.name() == job.name()) {
            Some(i) => self.jobs[i] = job,
            None => self.jobs.push(job),
        }
        self
    }

    /// Adds a kind.
    pub fn with(mut self, job: impl Job) -> Self {
        self.jobs.push(Arc::new(job));
        self
    }

    /// The kind with this name.
    pub fn get(&self, name: &str) -> Option<&Arc<dyn Job>> {
        self.jobs.iter().find(|j| j.name() == name)
    }

    /// The kinds' names, in registration order.
    pub fn names(&self) -> Vec<&'static str> {
        self.jobs.iter().map(|j| j.name()).collect()
    }

    /// Every kind.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Job>> {
        self.jobs.iter()
    }

    /// The calendar rule of `kind` when the configuration says nothing (a kind this binary does
    /// not run keeps its times).
    pub fn calendar_rule(&self, kind: &str) -> KindRule {
        self.get(kind).map_or(KindRule::KEEP, |j| j.calendar_rule())
    }

    /// The rule of `kind` under the configuration's `rules`.
    pub fn rule_under(&self, rules: &Rules, kind: &str) -> KindRule {
        rules.get(kind, self.calendar_rule(kind))
    }

    /// The first kind `rules` changes that this binary does not run, if any.
    pub fn unknown_calendar_kind<'a>(&self, rules: &'a Rules) -> Option<&'a str> {
        rules.kinds().find(|k| self.get(k).is_none())
    }
}
