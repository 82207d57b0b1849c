//! Putting jobs on the schedule: the typed form of a job's time ([`When`]), checked when the
//! job is made (an unknown kind, a bad payload or a one-off time in the past is refused) and
//! turned into a row; and the next occurrence of a recurring row.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::crontab::Crontab;
use super::job::Registry;
use crate::i18n::{Arg, Catalog, Locale};
use crate::msg;
use crate::store::jobs::{self, JobRow, NewJob, Timing};
use crate::store::{Conn, StoreError};

/// When a job runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// Once, at this instant.
    At(DateTime<Utc>),
    /// At every fire time of a crontab read in `tz`.
    Cron { crontab: Crontab, tz: Tz },
    /// At `anchor_at + offset` (a negative offset is before the event). Every job of an
    /// anchor moves with it: see [`move_anchor`].
    Relative {
        anchor_key: String,
        anchor_at: DateTime<Utc>,
        offset: TimeDelta,
    },
}

/// A job to schedule.
#[derive(Debug, Clone)]
pub struct JobSpec {
    /// A kind in the registry.
    pub kind: String,
    /// Scheduling the same key again is a no-op: make it name the thing, e.g. `meeting:42:remind-24h`.
    pub dedupe_key: String,
    /// JSON the kind reads.
    pub payload: String,
    pub when: When,
    /// Overrides the kind's grace period.
    pub grace: Option<Duration>,
}

/// Why a job was not scheduled.
#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("no job kind named '{0}'")]
    UnknownKind(String),
    #[error("bad payload for a '{kind}' job: {reason}")]
    Payload { kind: String, reason: String },
    #[error("{at} has already passed; choose a time in the future")]
    InThePast { at: DateTime<Utc> },
    #[error("'{0}' has no fire time in the next 400 years")]
    NoFutureTime(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ScheduleError {
    /// What to tell the person who asked, in their language, if it is theirs to fix.
    pub fn user_message(&self, catalog: &Catalog, locale: Locale, tz: Tz) -> Option<String> {
        match self {
            Self::InThePast { at } => {
                let at = at.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
                Some(catalog.render(
                    locale,
                    msg!("scheduler-in-the-past"),
                    &[("at", Arg::Str(at))],
                ))
            }
            _ => None,
        }
    }
}

/// Puts a job on the schedule. Returns its id, or None when a job with the same dedupe key
/// exists already (nothing changes then). Wake the scheduler once the transaction commits.
pub async fn schedule(
    conn: &mut Conn,
    registry: &Registry,
    spec: &JobSpec,
    now: DateTime<Utc>,
) -> Result<Option<i64>, ScheduleError> {
    let job = registry
        .get(&spec.kind)
        .ok_or_else(|| ScheduleError::UnknownKind(spec.kind.clone()))?;
    job.check(&spec.payload)
        .map_err(|reason| ScheduleError::Payload {
            kind: spec.kind.clone(),
            reason,
        })?;
    let (timing, due) = match &spec.when {
        When::At(at) => (Timing::Once, *at),
        When::Cron { crontab, tz } => {
            let due = crontab
                .next_after(*tz, now)
                .ok_or_else(|| ScheduleError::NoFutureTime(crontab.to_string()))?;
            (
                Timing::Cron {
                    expr: crontab.to_string(),
                    tz: tz.name().to_owned(),
                },
                due,
            )
        }
        When::Relative {
            anchor_key,
            anchor_at,
            offset,
        } => (
            Timing::Relative {
                anchor_key: anchor_key.clone(),
                anchor_at: anchor_at.timestamp_millis(),
                offset_ms: offset.num_milliseconds(),
            },
            *anchor_at + *offset,
        ),
    };
    if due <= now {
        return Err(ScheduleError::InThePast { at: due });
    }
    let grace = spec.grace.unwrap_or_else(|| job.grace());
    let row = NewJob {
        kind: spec.kind.clone(),
        dedupe_key: spec.dedupe_key.clone(),
        payload: spec.payload.clone(),
        timing,
        due_at: due.timestamp_millis(),
        grace_ms: i64::try_from(grace.as_millis()).unwrap_or(i64::MAX),
    };
    Ok(jobs::insert(conn, &row, now.timestamp_millis()).await?)
}

/// Moves every job still waiting on an event (`anchor_key`) to the event's new instant,
/// keeping each job's offset. Returns how many moved. Wake the scheduler once committed.
pub async fn move_anchor(
    conn: &mut Conn,
    anchor_key: &str,
    anchor_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    jobs::move_anchor(
        conn,
        anchor_key,
        anchor_at.timestamp_millis(),
        now.timestamp_millis(),
    )
    .await
}

/// The occurrence after `after` (ms) of a recurring row; None for one-off and relative rows.
pub fn next_occurrence(row: &JobRow, after: i64) -> Result<Option<i64>, String> {
    let Timing::Cron { expr, tz } = &row.timing else {
        return Ok(None);
    };
    let crontab = Crontab::parse(expr).map_err(|e| format!("stored crontab '{expr}': {e}"))?;
    let tz: Tz = tz
        .parse()
        .map_err(|_| format!("stored time zone '{tz}' is unknown"))?;
    let after = DateTime::from_timestamp_millis(after)
        .ok_or_else(|| format!("instant {after} is out of range"))?;
    let next = crontab
        .next_after(tz, after)
        .ok_or_else(|| format!("'{expr}' has no fire time in the next 400 years"))?;
    Ok(Some(next.timestamp_millis()))
}
