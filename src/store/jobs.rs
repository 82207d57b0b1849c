//! Scheduled jobs: one row per job, with its timing (one-off, crontab, or relative to an event),
//! the occurrence it is working on, and a lease. A replica claims due rows with a lease and a
//! random attempt token; only the holder of the current token can record how a run ended, so a
//! replica presumed dead cannot overwrite a newer attempt.
//!
//! The scheduler decides what the times are ([`crate::scheduler`]); this file only stores them.
//! Also here, for want of a better home in this change: the purges the housekeeping job runs.

use rand::RngExt;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{read_row, Backend, Conn, Result, Store, StoreError, UnknownValue};

/// How a job's time is defined, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Timing {
    /// Once, at `due_at`.
    Once,
    /// Recurring: a five-field crontab read in an IANA time zone.
    Cron { expr: String, tz: String },
    /// At `anchor_at + offset_ms`; moves when the anchor (an event) moves.
    Relative {
        anchor_key: String,
        anchor_at: i64,
        offset_ms: i64,
    },
}

/// A job to insert.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    /// Unique: inserting a second job with the same key does nothing.
    pub dedupe_key: String,
    /// JSON, read by the kind.
    pub payload: String,
    pub timing: Timing,
    /// The first occurrence (ms).
    pub due_at: i64,
    pub grace_ms: i64,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRow {
    pub id: i64,
    pub kind: String,
    pub dedupe_key: String,
    pub payload: String,
    pub timing: Timing,
    /// The occurrence being worked on (ms).
    pub due_at: i64,
    /// When to (re)try it (ms).
    pub next_run_at: i64,
    pub grace_ms: i64,
    /// scheduled | running | done | missed | failed | cancelled
    pub status: String,
    /// Attempts at the current occurrence, this one included once claimed.
    pub attempts: i64,
    /// Set on a claimed row: the attempt's token.
    pub lease_token: Option<String>,
    pub last_run_at: Option<i64>,
    pub last_outcome: Option<String>,
    pub last_note: Option<String>,
    pub last_error: Option<String>,
    pub runs: i64,
    pub misses: i64,
}

const COLUMNS: &str = "id, kind, dedupe_key, payload, schedule, cron_expr, cron_tz, anchor_key, anchor_at, \
     offset_ms, due_at, next_run_at, grace_ms, status, attempts, lease_token, last_run_at, last_outcome, \
     last_note, last_error, runs, misses";

/// The `schedule` column (CHECK `jobs_schedule_check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schedule {
    Once,
    Cron,
    Relative,
}

impl TryFrom<String> for Schedule {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        match s.as_str() {
            "once" => Ok(Self::Once),
            "cron" => Ok(Self::Cron),
            "relative" => Ok(Self::Relative),
            _ => Err(UnknownValue(s)),
        }
    }
}

/// A `jobs` row as stored, column by column.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    kind: String,
    dedupe_key: String,
    payload: String,
    #[sqlx(try_from = "String")]
    schedule: Schedule,
    cron_expr: Option<String>,
    cron_tz: Option<String>,
    anchor_key: Option<String>,
    anchor_at: Option<i64>,
    offset_ms: Option<i64>,
    due_at: i64,
    next_run_at: i64,
    grace_ms: i64,
    status: String,
    attempts: i64,
    lease_token: Option<String>,
    last_run_at: Option<i64>,
    last_outcome: Option<String>,
    last_note: Option<String>,
    last_error: Option<String>,
    runs: i64,
    misses: i64,
}

impl TryFrom<Stored> for JobRow {
    type Error = StoreError;

    /// A timing whose columns are missing (a cron job without its expression, a relative one
    /// without its anchor) is an error naming the job, not an expression "" or an anchor at 0.
    fn try_from(s: Stored) -> Result<Self> {
        fn needed<T>(id: i64, column: &str, value: Option<T>) -> Result<T> {
            value.ok_or_else(|| StoreError::unreadable("jobs", id, column, "NULL"))
        }
        let id = s.id;
        let timing = match s.schedule {
            Schedule::Once => Timing::Once,
            Schedule::Cron => Timing::Cron {
                expr: needed(id, "cron_expr", s.cron_expr)?,
                tz: needed(id, "cron_tz", s.cron_tz)?,
            },
            Schedule::Relative => Timing::Relative {
                anchor_key: needed(id, "anchor_key", s.anchor_key)?,
                anchor_at: needed(id, "anchor_at", s.anchor_at)?,
                offset_ms: needed(id, "offset_ms", s.offset_ms)?,
            },
        };
        Ok(JobRow {
            id,
            kind: s.kind,
            dedupe_key: s.dedupe_key,
            payload: s.payload,
            timing,
            due_at: s.due_at,
            next_run_at: s.next_run_at,
            grace_ms: s.grace_ms,
            status: s.status,
            attempts: s.attempts,
            lease_token: s.lease_token,
            last_run_at: s.last_run_at,
            last_outcome: s.last_outcome,
            last_note: s.last_note,
            last_error: s.last_error,
            runs: s.runs,
            misses: s.misses,
        })
    }
}

fn job_from_row(row: &AnyRow) -> Result<JobRow> {
    read_row::<Stored>("jobs", row)?.try_into()
}

/// Inserts a job unless one with the same dedupe key exists. Returns the new id, or None.
pub async fn insert(conn: &mut Conn, job: &NewJob, now: i64) -> Result<Option<i64>> {
    let (schedule, expr, tz, anchor_key, anchor_at, offset_ms) = match &job.timing {
        Timing::Once => ("once", None, None, None, None, None),
        Timing::Cron { expr, tz } => (
            "cron",
            Some(expr.as_str()),
            Some(tz.as_str()),
            None,
            None,
            None,
        ),
        Timing::Relative {
            anchor_key,
            anchor_at,
            offset_ms,
        } => (
            "relative",
            None,
            None,
            Some(anchor_key.as_str()),
            Some(*anchor_at),
            Some(*offset_ms),
        ),
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO jobs (kind, dedupe_key, payload, schedule, cron_expr, cron_tz, anchor_key, anchor_at, \
         offset_ms, due_at, next_run_at, grace_ms, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $11, 'scheduled', $12, $12) \
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
    )
    .bind(&job.kind)
    .bind(&job.dedupe_key)
    .bind(&job.payload)
    .bind(schedule)
    .bind(expr)
    .bind(tz)
    .bind(anchor_key)
    .bind(anchor_at)
    .bind(offset_ms)
    .bind(job.due_at)
    .bind(job.grace_ms)
    .bind(now)
    // To the end of the statement, so that an auto-committed insert reports a failed commit
    // (see `inbox::insert`).
    .fetch_all(conn)
    .await?
    .into_iter()
    .next())
}

/// A job by id.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<JobRow>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    let row = sqlx::query(super::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// A job by dedupe key.
pub async fn by_dedupe_key(conn: &mut Conn, key: &str) -> Result<Option<JobRow>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE dedupe_key = $1");
    let row = sqlx::query(super::sql(sql))
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(job_from_row).transpose()
}

/// `$first, $first+1, …` for an `IN (…)` list of `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The job claim's read: due scheduled rows and running rows whose lease lapsed, of `kinds`
/// kinds, in due order. Binds: now, limit, then the kinds.
pub fn claim_sql(store: &Store, kinds: usize) -> String {
    format!(
        "SELECT {COLUMNS} FROM jobs \
         WHERE ((status = 'scheduled' AND next_run_at <= $1) OR (status = 'running' AND lease_until <= $1)) \
         AND kind IN ({}) ORDER BY next_run_at, id LIMIT $2{}",
        placeholders(3, kinds),
        store.skip_locked()
    )
}

/// The statement of [`next_due`] for `kinds` kinds. Binds: the kinds.
pub fn next_due_sql(kinds: usize) -> String {
    format!(
        "SELECT MIN(CASE WHEN status = 'scheduled' THEN next_run_at ELSE lease_until END) FROM jobs \
         WHERE status IN ('scheduled', 'running') AND kind IN ({})",
        placeholders(1, kinds)
    )
}

/// Claims up to `limit` due jobs of the given kinds for `lease_ms`: scheduled rows whose time
/// has come, and running rows whose lease lapsed (their replica died). Each claimed row gets a
/// fresh token and one more attempt. Kinds this replica does not know are left to others.
pub async fn claim(
    store: &Store,
    kinds: &[&str],
    now: i64,
    limit: i64,
    lease_ms: i64,
) -> Result<Vec<JobRow>> {
    if kinds.is_empty() {
        return Ok(Vec::new());
    }
    let token = format!("{:016x}", rand::rng().random::<u64>());
    let mut tx = store.begin().await?;
    let mut q = sqlx::query(super::sql(claim_sql(store, kinds.len())))
        .bind(now)
        .bind(limit);
    for kind in kinds {
        q = q.bind(*kind);
    }
    let rows = q.fetch_all(&mut *tx).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for row in &rows {
        let mut job = match job_from_row(row) {
            Ok(job) => job,
            Err(e) => {
                // A row this binary cannot read fails alone; the others run.
                let id: i64 = row.try_get("id")?;
                tracing::error!(job_id = id, error = %e, "job row cannot be read; recorded as failed");
                fail_unreadable(&mut tx, id, &e.to_string(), now).await?;
                continue;
            }
        };
        job.status = "running".into();
        job.attempts += 1;
        job.lease_token = Some(token.clone());
        claimed.push(job);
    }
    // A job of a kind no running binary knows (written by a newer version, then rolled back)
    // fails once its grace period has passed: a replica that knows the kind would have run it.
    let sql = format!(
        "UPDATE jobs SET status = 'failed', last_outcome = 'failed', \
         last_error = 'unknown job kind: ' || kind, last_run_at = $1, lease_until = NULL, \
         lease_token = NULL, updated_at = $1 \
         WHERE status = 'scheduled' AND next_run_at <= $1 AND next_run_at + grace_ms < $1 \
         AND kind NOT IN ({})",
        placeholders(2, kinds.len())
    );
    let mut q = sqlx::query(super::sql(sql)).bind(now);
    for kind in kinds {
        q = q.bind(*kind);
    }
    let unknown = q.execute(&mut *tx).await?.rows_affected();
    if unknown > 0 {
        tracing::error!(
            count = unknown,
            "jobs of a kind this binary does not know were past their grace period; recorded as failed"
        );
    }
    if !claimed.is_empty() {
        // One statement for the batch; the ids come from the rows just read.
        let ids: Vec<String> = claimed.iter().map(|j| j.id.to_string()).collect();
        let sql = format!(
            "UPDATE jobs SET status = 'running', lease_until = $1, lease_token = $2, \
             attempts = attempts + 1, updated_at = $3 WHERE id IN ({})",
            ids.join(", ")
        );
        sqlx::query(super::sql(sql))
            .bind(now + lease_ms)
            .bind(&token)
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// Records a job whose row cannot be read as failed, with the reason.
async fn fail_unreadable(conn: &mut Conn, id: i64, error: &str, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'failed', last_outcome = 'failed', last_error = $1, \
         last_run_at = $2, lease_until = NULL, lease_token = NULL, updated_at = $2 WHERE id = $3",
    )
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The most recent failed occurrence: (job id, kind, when in ms, error).
pub async fn last_failure(conn: &mut Conn) -> Result<Option<(i64, String, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, COALESCE(last_run_at, updated_at), COALESCE(last_error, '') FROM jobs \
         WHERE last_outcome = 'failed' ORDER BY COALESCE(last_run_at, updated_at) DESC, id DESC LIMIT 1",
    )
    .fetch_optional(conn)
    .await?)
}

/// Inside a run's transaction: locks a claimed row (PostgreSQL) and says whether its lease is
/// still ours. On SQLite the transaction already holds the database's write lock.
pub async fn lock(store: &Store, conn: &mut Conn, job: &JobRow) -> Result<bool> {
    let for_update = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "SELECT id FROM jobs WHERE id = $1 AND lease_token = $2 AND status = 'running'{for_update}"
    );
    let found: Option<i64> = sqlx::query_scalar(super::sql(sql))
        .bind(job.id)
        .bind(job.lease_token.as_deref())
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// How a claimed occurrence ended. `next` is the following occurrence of a recurring job (the
/// row goes back to `scheduled`); without one the row keeps its final status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finish {
    /// Ran; `skipped` earlier occurrences were passed over (catching up after downtime) and
    /// count as missed.
    Done {
        note: Option<String>,
        next: Option<i64>,
        skipped: i64,
    },
    /// Too late (beyond the grace period): `count` occurrences recorded as missed, none run.
    Missed { next: Option<i64>, count: i64 },
    /// Failed; try the same occurrence again at `at`.
    Retry { at: i64, error: String },
    /// Failed for good.
    Failed { error: String, next: Option<i64> },
    /// Not run, by the calendar (a holiday, a vacation): `note` says why.
    Skipped { note: String, next: Option<i64> },
}

/// Records how a claimed occurrence ended, only if the row's token is still `job`'s. Returns
/// whether it was recorded.
pub async fn finish(conn: &mut Conn, job: &JobRow, how: &Finish, now: i64) -> Result<bool> {
    let (final_status, next, outcome, note, error, runs, misses) = match how {
        Finish::Done {
            note,
            next,
            skipped,
        } => ("done", *next, "done", note.clone(), None, 1_i64, *skipped),
        Finish::Missed { next, count } => ("missed", *next, "missed", None, None, 0, *count),
        Finish::Failed { error, next } => {
            ("failed", *next, "failed", None, Some(error.clone()), 0, 0)
        }
        Finish::Skipped { note, next } => {
            ("done", *next, "skipped", Some(note.clone()), None, 0, 0)
        }
        Finish::Retry { at, error } => {
            let done = sqlx::query(
                "UPDATE jobs SET status = 'scheduled', next_run_at = $1, last_error = $2, lease_until = NULL, \
                 lease_token = NULL, updated_at = $3 WHERE id = $4 AND lease_token = $5",
            )
            .bind(*at)
            .bind(error)
            .bind(now)
            .bind(job.id)
            .bind(job.lease_token.as_deref())
            .execute(conn)
            .await?;
            return Ok(done.rows_affected() == 1);
        }
    };
    let status = if next.is_some() {
        "scheduled"
    } else {
        final_status
    };
    let done = sqlx::query(
        "UPDATE jobs SET status = $1, due_at = COALESCE($2, due_at), next_run_at = COALESCE($2, next_run_at), \
         attempts = 0, last_run_at = $3, last_outcome = $4, last_note = $5, last_error = $6, runs = runs + $7, \
         misses = misses + $8, lease_until = NULL, lease_token = NULL, updated_at = $3 \
         WHERE id = $9 AND lease_token = $10",
    )
    .bind(status)
    .bind(next)
    .bind(now)
    .bind(outcome)
    .bind(note)
    .bind(error)
    .bind(runs)
    .bind(misses)
    .bind(job.id)
    .bind(job.lease_token.as_deref())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a claimed occurrence off to `at` (the calendar moved it), with a note saying why, if
/// the row is still ours.
pub async fn defer(conn: &mut Conn, job: &JobRow, at: i64, note: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'scheduled', due_at = $1, next_run_at = $1, attempts = 0, last_note = $2, \
         lease_until = NULL, lease_token = NULL, updated_at = $3 WHERE id = $4 AND lease_token = $5",
    )
    .bind(at)
    .bind(note)
    .bind(now)
    .bind(job.id)
    .bind(job.lease_token.as_deref())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives a claimed row back untouched (the replica is stopping), if it is still ours.
pub async fn release(conn: &mut Conn, job: &JobRow, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'scheduled', attempts = attempts - 1, lease_until = NULL, lease_token = NULL, \
         updated_at = $1 WHERE id = $2 AND lease_token = $3",
    )
    .bind(now)
    .bind(job.id)
    .bind(job.lease_token.as_deref())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The earliest instant (ms) at which a job of the given kinds becomes claimable, if any.
pub async fn next_due(conn: &mut Conn, kinds: &[&str]) -> Result<Option<i64>> {
    if kinds.is_empty() {
        return Ok(None);
    }
    let mut q = sqlx::query_scalar(super::sql(next_due_sql(kinds.len())));
    for kind in kinds {
        q = q.bind(*kind);
    }
    Ok(q.fetch_one(conn).await?)
}

/// Moves every scheduled job of an anchor (an event) to the anchor's new instant, keeping each
/// job's offset. Jobs that already ran are left alone. Returns how many moved.
pub async fn move_anchor(
    conn: &mut Conn,
    anchor_key: &str,
    anchor_at: i64,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET anchor_at = $1, due_at = $1 + offset_ms, next_run_at = $1 + offset_ms, attempts = 0, \
         updated_at = $2 WHERE anchor_key = $3 AND schedule = 'relative' AND status = 'scheduled'",
    )
    .bind(anchor_at)
    .bind(now)
    .bind(anchor_key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Changes a recurring job's expression and zone, and its next occurrence, unless they are the
/// same already. Returns whether it changed.
pub async fn reschedule_cron(
    conn: &mut Conn,
    dedupe_key: &str,
    expr: &str,
    tz: &str,
    due_at: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET cron_expr = $1, cron_tz = $2, due_at = $3, next_run_at = $3, updated_at = $4 \
         WHERE dedupe_key = $5 AND schedule = 'cron' AND status = 'scheduled' AND (cron_expr <> $1 OR cron_tz <> $2)",
    )
    .bind(expr)
    .bind(tz)
    .bind(due_at)
    .bind(now)
    .bind(dedupe_key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The recurring jobs waiting for their next occurrence, for a re-plan after the calendar
/// changed.
pub async fn scheduled_recurring(conn: &mut Conn) -> Result<Vec<JobRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM jobs WHERE schedule = 'cron' AND status = 'scheduled' ORDER BY id"
    );
    let rows = sqlx::query(super::sql(sql)).fetch_all(conn).await?;
    rows.iter().map(job_from_row).collect()
}

/// Brings a waiting recurring job forward to `due_at` (only forward, only while it waits).
pub async fn bring_forward(conn: &mut Conn, id: i64, due_at: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET due_at = $1, next_run_at = $1, updated_at = $2 \
         WHERE id = $3 AND schedule = 'cron' AND status = 'scheduled' AND next_run_at > $1",
    )
    .bind(due_at)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Cancels a job that has not run yet (or is running: its run's result is then refused).
/// Returns whether there was one.
pub async fn cancel(conn: &mut Conn, dedupe_key: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'cancelled', lease_until = NULL, lease_token = NULL, updated_at = $1 \
         WHERE dedupe_key = $2 AND status IN ('scheduled', 'running')",
    )
    .bind(now)
    .bind(dedupe_key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts of jobs per (kind, status).
pub async fn counts(conn: &mut Conn) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT kind, status, COUNT(*) FROM jobs GROUP BY kind, status ORDER BY kind, status",
    )
    .fetch_all(conn)
    .await?)
}

/// Inbox rows that are `done` or `ignored` are kept this long (their payload is already gone);
/// `failed` ones keep their payload (for a retry) this long, and stay.
pub const INBOX_DAYS: i64 = 30;

/// Deletes inbox rows that were processed (`done` or `ignored`) and received before `before`.
/// Failed rows stay (an operator reads them with `branchbot inbox failed`), but the content
/// they kept for a retry is erased then too. Returns how many rows were deleted.
pub async fn purge_inbox(conn: &mut Conn, before: i64) -> Result<u64> {
    sqlx::query(
        "UPDATE inbox SET payload = NULL WHERE status = 'failed' AND received_at < $1 \
         AND payload IS NOT NULL",
    )
    .bind(before)
    .execute(&mut *conn)
    .await?;
    let done =
        sqlx::query("DELETE FROM inbox WHERE status IN ('done', 'ignored') AND received_at < $1")
            .bind(before)
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// Deletes outbox rows that are final (`sent`, `failed`, `expired`) and were queued before `before`.
pub async fn purge_outbox(conn: &mut Conn, before: i64) -> Result<u64> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'expired') AND created_at < $1",
    )
    .bind(before)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The next `limit` scheduled jobs: (kind, dedupe key, next run in ms).
pub async fn upcoming(conn: &mut Conn, limit: i64) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT kind, dedupe_key, next_run_at FROM jobs WHERE status = 'scheduled' \
         ORDER BY next_run_at, id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Puts a cancelled one-off job back on the schedule (a campaign phase moved back to where it
/// was): returns whether there was one to revive.
pub async fn revive(conn: &mut Conn, dedupe_key: &str, due_at: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'scheduled', due_at = $1, next_run_at = $1, attempts = 0, \
         updated_at = $2 WHERE dedupe_key = $3 AND status = 'cancelled'",
    )
    .bind(due_at)
    .bind(now)
    .bind(dedupe_key)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
