//! One claimed occurrence, start to finish, in one transaction: check the lease is still ours,
//! decide whether it runs (catching up after downtime) or is missed, run the job, record the
//! outcome and the next occurrence, commit, and wake the delivery workers.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::plan::{self, CatchUp, Fate};
use super::{JobContext, Scheduler};
use crate::domain::calendar::{Calendar, KindRule, Subject};
use crate::store::jobs::{self, Finish, JobRow};
use crate::store::{StoreError, Tx};

impl Scheduler {
    /// Runs one claimed occurrence, or records it as missed or failed.
    pub(super) async fn execute(&self, claimed: &JobRow) -> Result<(), StoreError> {
        let Some(job) = self.registry.get(&claimed.kind) else {
            return Ok(()); // never claimed: claim() filters on the registry's kinds
        };
        let now = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        if !jobs::lock(&self.store, &mut tx, claimed).await? {
            // Another replica took the row over (our lease lapsed) or it was cancelled.
            self.stats.lost.fetch_add(1, Ordering::Relaxed);
            tx.rollback().await?;
            return Ok(());
        }
        // The calendar, read in the run's transaction: a load committed before is seen.
        let cal = crate::store::calendar::load(&mut tx).await?;
        let rule = self
            .registry
            .rule_under(&self.config.calendar, &claimed.kind);
        let plan = plan::catch_up(claimed, now)
            .and_then(|c| Ok((c, plan::next_occurrence_in(claimed, now, &cal, rule)?)));
        let (CatchUp { run, skipped }, next) = match plan {
            Ok(plan) => plan,
            Err(error) => {
                tracing::error!(job_id = claimed.id, %error, "job has a broken schedule");
                return self.fail(tx, claimed, error, None, now).await;
            }
        };
        let Some(due) = run else {
            tracing::warn!(
                job_id = claimed.id,
                kind = %claimed.kind,
                late_ms = now - claimed.due_at,
                grace_ms = claimed.grace_ms,
                "job missed: it fell due while nobody was running"
            );
            self.stats
                .missed
                .fetch_add(skipped as u64, Ordering::Relaxed);
            jobs::finish(
                &mut tx,
                claimed,
                &Finish::Missed {
                    next,
                    count: skipped,
                },
                now,
            )
            .await?;
            return Ok(tx.commit().await?);
        };
        if let Some(put_off) = self
            .calendar_step(&mut tx, job.as_ref(), claimed, &cal, rule, due, next, now)
            .await?
        {
            if put_off {
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            return Ok(());
        }
        if claimed.attempts > self.config.max_attempts {
            // Claimed again and again without finishing: its runs keep dying mid-way.
            let error = format!(
                "gave up after {} attempts that did not finish",
                claimed.attempts - 1
            );
            return self.fail(tx, claimed, error, next, now).await;
        }
        if skipped > 0 {
            tracing::warn!(job_id = claimed.id, kind = %claimed.kind, skipped, "catching up: running the latest occurrence once");
        }
        // The occurrence run: the latest one within the grace period when catching up.
        let row = JobRow {
            due_at: due,
            ..claimed.clone()
        };
        let ctx = JobContext {
            now,
            tz: self.config.tz,
            sms_connected: self.config.sms_connected,
            meetings: Arc::clone(&self.config.meetings),
            recruitment: Arc::clone(&self.config.recruitment),
        };
        match job.run(&ctx, &mut tx, &row).await {
            Ok(ran) => {
                let how = Finish::Done {
                    note: ran.note.clone(),
                    next,
                    skipped,
                };
                if !jobs::finish(&mut tx, claimed, &how, now).await? {
                    self.stats.lost.fetch_add(1, Ordering::Relaxed);
                    tx.rollback().await?;
                    return Ok(());
                }
                tx.commit().await?;
                if job.erases() {
                    self.store.truncate_wal().await;
                }
                self.stats.ran.fetch_add(1, Ordering::Relaxed);
                self.stats
                    .missed
                    .fetch_add(skipped as u64, Ordering::Relaxed);
                tracing::info!(job_id = row.id, kind = %row.kind, note = ran.note.as_deref().unwrap_or(""), "job ran");
                for channel in ran.wake {
                    self.delivery.notify(channel);
                }
                Ok(())
            }
            Err(e) => {
                // Nothing the run wrote survives: it shared the transaction.
                tx.rollback().await?;
                let error = e.to_string();
                if e.is_permanent() || claimed.attempts >= self.config.max_attempts {
                    let mut tx = self.store.begin().await?;
                    if !jobs::lock(&self.store, &mut tx, claimed).await? {
                        return Ok(tx.rollback().await?);
                    }
                    return self.fail(tx, claimed, error, next, now).await;
                }
                self.stats.retried.fetch_add(1, Ordering::Relaxed);
                let factor = 1_i64 << (claimed.attempts - 1).clamp(0, 10);
                let at = now + self.config.retry_after.as_millis() as i64 * factor;
                tracing::warn!(job_id = claimed.id, kind = %claimed.kind, attempt = claimed.attempts, %error, "job failed; will retry");
                let mut conn = self.store.pool().acquire().await?;
                jobs::finish(&mut conn, claimed, &Finish::Retry { at, error }, now).await?;
                Ok(())
            }
        }
    }

    /// The calendar's say on the occurrence due at `due` (ms): None when it fires now;
    /// otherwise it was moved to a working day or dropped (a holiday, a student branch's
    /// vacation), recorded on the row with a note, and `Some(recorded)` tells whether to commit.
    #[allow(clippy::too_many_arguments)]
    async fn calendar_step(
        &self,
        tx: &mut Tx,
        job: &dyn super::Job,
        claimed: &JobRow,
        cal: &Calendar,
        rule: KindRule,
        due: i64,
        next: Option<i64>,
        now: i64,
    ) -> Result<Option<bool>, StoreError> {
        if cal.is_empty() {
            return Ok(None);
        }
        let subject = match job.subject(tx, claimed).await {
            Ok(s) => s,
            Err(e) if e.is_transient() => return Err(e),
            Err(e) => {
                tracing::warn!(job_id = claimed.id, error = %e, "job's subject unreadable; the calendar treats it as ordinary");
                Subject::default()
            }
        };
        let (crontab, tz) = match plan::crontab_of(claimed) {
            Some((c, tz)) => (Some(c), tz),
            None => (None, self.config.tz),
        };
        let Some(due_at) = DateTime::from_timestamp_millis(due) else {
            return Ok(None);
        };
        let shown = |t: DateTime<Utc>| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string();
        match plan::calendar_fate(cal, rule, subject, crontab.as_ref(), tz, due_at) {
            Fate::Fire | Fate::MakeUp(_) => Ok(None),
            Fate::Moved { to, why } => {
                let note = format!(
                    "moved from {} to {} ({})",
                    shown(due_at),
                    shown(to),
                    why.name()
                );
                tracing::info!(job_id = claimed.id, kind = %claimed.kind, %note, "calendar moved an occurrence");
                Ok(Some(
                    jobs::defer(tx, claimed, to.timestamp_millis(), &note, now).await?,
                ))
            }
            Fate::Dropped { why } => {
                let note = format!("not run on {} ({})", shown(due_at), why.name());
                tracing::info!(job_id = claimed.id, kind = %claimed.kind, %note, "calendar dropped an occurrence");
                let how = Finish::Skipped { note, next };
                Ok(Some(jobs::finish(tx, claimed, &how, now).await?))
            }
        }
    }

    /// Records an occurrence as failed for good (a recurring job moves on to `next`).
    async fn fail(
        &self,
        mut tx: Tx,
        row: &JobRow,
        error: String,
        next: Option<i64>,
        now: i64,
    ) -> Result<(), StoreError> {
        tracing::error!(job_id = row.id, kind = %row.kind, attempts = row.attempts, %error, "job failed");
        self.stats.failed.fetch_add(1, Ordering::Relaxed);
        jobs::finish(&mut tx, row, &Finish::Failed { error, next }, now).await?;
        Ok(tx.commit().await?)
    }
}
