//! Putting jobs on the schedule: the typed form of a job's time ([`When`]), checked when the
//! job is made (an unknown kind, a bad payload or a one-off time in the past is refused) and
//! turned into a row; and the next occurrence of a recurring row.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use super::crontab::Crontab;
use super::job::Registry;
use crate::domain::calendar::{decide, Calendar, DayKind, Decision, KindRule, Reason, Subject};
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
            // The first occurrence already follows the loaded calendar: a 工作日 schedule fires
            // on a 调休 Saturday that comes before its next weekday, as later occurrences do
            // (`next_occurrence_in`). The kind's built-in rule decides; a holiday it lands on is
            // moved or dropped when it runs, under the configured rule.
            let cal = crate::store::calendar::load(conn).await?;
            let rule = job.calendar_rule();
            let due = next_fire(crontab, *tz, &cal, rule, now)
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

/// After a calendar load: each waiting recurring job whose next occurrence under `cal` (and
/// `rules`) comes sooner than the time computed before — a 调休 working weekend day of a 工作日
/// schedule — is brought forward to it. Later occurrences follow the calendar as they are
/// computed. Returns how many moved; wake the scheduler once committed.
pub async fn replan_for_calendar(
    conn: &mut Conn,
    registry: &Registry,
    cal: &Calendar,
    rules: &crate::domain::calendar::Rules,
    now: DateTime<Utc>,
) -> Result<u64, StoreError> {
    let mut moved = 0;
    for row in jobs::scheduled_recurring(conn).await? {
        // A row whose stored schedule does not read is left for the run to set aside.
        let Some((crontab, tz)) = crontab_of(&row) else {
            continue;
        };
        let Some(next) = next_fire(
            &crontab,
            tz,
            cal,
            registry.rule_under(rules, &row.kind),
            now,
        ) else {
            continue;
        };
        let next = next.timestamp_millis();
        if next < row.next_run_at
            && jobs::bring_forward(conn, row.id, next, now.timestamp_millis()).await?
        {
            moved += 1;
        }
    }
    Ok(moved)
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

/// Which occurrence of a due row runs, if any, and how many are missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatchUp {
    /// The occurrence to run (ms).
    pub run: Option<i64>,
    /// Occurrences not run: passed over, or too late.
    pub skipped: i64,
}

/// Past this many passed-over occurrences the count stops being exact (a job firing every
/// minute, down for a week).
const MAX_COUNTED: i64 = 10_000;

/// Decides what a row found due at `now` (ms) does. A one-off or relative row runs if it is
/// within its grace period and is missed otherwise. A recurring row runs once, as its latest
/// occurrence up to now, if that one is within the grace period; the earlier ones are missed.
pub fn catch_up(row: &JobRow, now: i64) -> Result<CatchUp, String> {
    let in_grace = |t: i64| now - t <= row.grace_ms;
    if !matches!(row.timing, Timing::Cron { .. }) {
        return Ok(if in_grace(row.due_at) {
            CatchUp {
                run: Some(row.due_at),
                skipped: 0,
            }
        } else {
            CatchUp {
                run: None,
                skipped: 1,
            }
        });
    }
    let (crontab, tz) = cron_of(row)?;
    let (mut latest, mut passed) = (row.due_at, 1);
    loop {
        let from = if passed == MAX_COUNTED {
            latest.max(now - row.grace_ms - 1)
        } else {
            latest
        };
        let Some(next) = crontab.next_after(tz, instant(from)?) else {
            break;
        };
        let next = next.timestamp_millis();
        if next > now {
            break;
        }
        (latest, passed) = (next, passed + 1);
    }
    Ok(if in_grace(latest) {
        CatchUp {
            run: Some(latest),
            skipped: passed - 1,
        }
    } else {
        CatchUp {
            run: None,
            skipped: passed,
        }
    })
}

/// The occurrence after `after` (ms) of a recurring row; None for one-off and relative rows.
pub fn next_occurrence(row: &JobRow, after: i64) -> Result<Option<i64>, String> {
    if !matches!(row.timing, Timing::Cron { .. }) {
        return Ok(None);
    }
    let (crontab, tz) = cron_of(row)?;
    let next = crontab
        .next_after(tz, instant(after)?)
        .ok_or_else(|| format!("'{crontab}' has no fire time in the next 400 years"))?;
    Ok(Some(next.timestamp_millis()))
}

// ---- The calendar: the one place where 法定节假日, 调休 and vacations change a schedule. ----
//
// Every occurrence a claimed row is about to run goes through [`calendar_fate`]: it fires, moves
// to another time (the row is put back with that time) or is dropped, by the kind's
// [`KindRule`] (`[calendar.rules]`) and what the job is about ([`Subject`]: a student branch, an
// urgent notice). A recurring row's next occurrence comes from [`next_fire`], which adds the 调休
// working Saturdays and Sundays to a Monday-to-Friday schedule when the rule says 工作日.
// `schedule preview` prints the same decisions ([`calendar_preview`]).

/// What the calendar did to one occurrence, as preview and the job's note say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fate {
    /// Fires when due.
    Fire,
    /// A 调休 working weekend day added to a 工作日 schedule (the holiday's name).
    MakeUp(String),
    /// Fires at another instant instead.
    Moved { to: DateTime<Utc>, why: Reason },
    /// Does not fire.
    Dropped { why: Reason },
}

/// Whether a recurring crontab is a 工作日 schedule under `rule`.
pub fn working_days(crontab: &Crontab, rule: KindRule) -> bool {
    rule.working_days && crontab.is_monday_to_friday()
}

/// The next fire time after `after`: the crontab's, or for a 工作日 schedule a 调休 working
/// weekend day's, whichever comes first.
pub fn next_fire(
    crontab: &Crontab,
    tz: Tz,
    cal: &Calendar,
    rule: KindRule,
    after: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let plain = crontab.next_after(tz, after);
    if !working_days(crontab, rule) || cal.workdays.is_empty() {
        return plain;
    }
    let from = after.with_timezone(&tz).date_naive();
    let until = plain.map(|t| t.with_timezone(&tz).date_naive());
    let make_up = cal
        .workdays
        .range(from..)
        .take_while(|(d, _)| until.is_none_or(|u| **d <= u))
        .find_map(|(d, _)| crontab.first_on(tz, *d, after));
    match (plain, make_up) {
        (Some(p), Some(m)) => Some(p.min(m)),
        (p, m) => p.or(m),
    }
}

/// What the calendar does to an occurrence of a `kind` job due at `due`. `crontab` is the
/// row's schedule when it recurs.
pub fn calendar_fate(
    cal: &Calendar,
    rule: KindRule,
    subject: Subject,
    crontab: Option<&Crontab>,
    tz: Tz,
    due: DateTime<Utc>,
) -> Fate {
    if cal.is_empty() {
        return Fate::Fire;
    }
    let local = due.with_timezone(&tz).naive_local();
    let working = crontab.is_some_and(|c| working_days(c, rule));
    match decide(cal, rule, subject, local, working, crontab.is_some()) {
        Decision::Fire => match cal.kind(local.date()) {
            DayKind::MakeUp(name) if working => Fate::MakeUp(name.to_owned()),
            _ => Fate::Fire,
        },
        Decision::Drop { why } => Fate::Dropped { why },
        Decision::Move { to, why } => match super::crontab::resolve(tz, to) {
            Some(to) if to > due => Fate::Moved { to, why },
            _ => Fate::Fire,
        },
    }
}

/// The first `count` occurrences of `crontab` at or after `from` under the calendar, each with
/// its fate: what `schedule preview --kind` prints. Dropped and moved occurrences are listed
/// where they were due, so a reader sees what the holiday did.
pub fn calendar_preview(
    crontab: &Crontab,
    tz: Tz,
    cal: &Calendar,
    rule: KindRule,
    subject: Subject,
    from: DateTime<Utc>,
    count: usize,
) -> Vec<(DateTime<Utc>, Fate)> {
    let mut out = Vec::with_capacity(count);
    let mut after = from - TimeDelta::milliseconds(1);
    while out.len() < count {
        let Some(at) = next_fire(crontab, tz, cal, rule, after) else {
            break;
        };
        out.push((at, calendar_fate(cal, rule, subject, Some(crontab), tz, at)));
        after = at;
    }
    out
}

/// The crontab and zone of a recurring row (None for one-off and relative rows, or a row whose
/// stored schedule does not read).
pub fn crontab_of(row: &JobRow) -> Option<(Crontab, Tz)> {
    cron_of(row).ok()
}

/// The occurrence after `after` (ms) of a recurring row under the calendar; None for one-off
/// and relative rows.
pub fn next_occurrence_in(
    row: &JobRow,
    after: i64,
    cal: &Calendar,
    rule: KindRule,
) -> Result<Option<i64>, String> {
    if !matches!(row.timing, Timing::Cron { .. }) {
        return Ok(None);
    }
    let (crontab, tz) = cron_of(row)?;
    let next = next_fire(&crontab, tz, cal, rule, instant(after)?)
        .ok_or_else(|| format!("'{crontab}' has no fire time in the next 400 years"))?;
    Ok(Some(next.timestamp_millis()))
}

fn cron_of(row: &JobRow) -> Result<(Crontab, Tz), String> {
    let Timing::Cron { expr, tz } = &row.timing else {
        return Err("not a recurring job".into());
    };
    let crontab = Crontab::parse(expr).map_err(|e| format!("stored crontab '{expr}': {e}"))?;
    let tz = tz
        .parse()
        .map_err(|_| format!("stored time zone '{tz}' is unknown"))?;
    Ok((crontab, tz))
}

fn instant(ms: i64) -> Result<DateTime<Utc>, String> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| format!("instant {ms} is out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600 * 1000;

    fn ms(s: &str) -> i64 {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    fn row(timing: Timing, due: &str) -> JobRow {
        JobRow {
            id: 1,
            kind: "message".into(),
            dedupe_key: "k".into(),
            payload: "{}".into(),
            timing,
            due_at: ms(due),
            next_run_at: ms(due),
            grace_ms: 6 * HOUR,
            status: "running".into(),
            attempts: 1,
            lease_token: Some("t".into()),
            last_run_at: None,
            last_outcome: None,
            last_note: None,
            last_error: None,
            runs: 0,
            misses: 0,
        }
    }

    fn hourly() -> Timing {
        Timing::Cron {
            expr: "0 * * * *".into(),
            tz: "Asia/Shanghai".into(),
        }
    }

    #[test]
    fn a_recurring_job_found_late_runs_its_latest_occurrence_once_and_counts_the_rest_missed() {
        let r = row(hourly(), "2025-11-03T01:00:00Z");
        let c = catch_up(&r, ms("2025-11-03T03:30:00Z")).unwrap();
        assert_eq!(
            c,
            CatchUp {
                run: Some(ms("2025-11-03T03:00:00Z")),
                skipped: 2
            }
        );
        let c = catch_up(&r, ms("2025-11-03T08:30:00Z")).unwrap();
        assert_eq!(
            c,
            CatchUp {
                run: Some(ms("2025-11-03T08:00:00Z")),
                skipped: 7
            }
        );
        assert_eq!(
            next_occurrence(&r, ms("2025-11-03T08:30:00Z")).unwrap(),
            Some(ms("2025-11-03T09:00:00Z"))
        );
        let on_time = catch_up(&r, ms("2025-11-03T01:00:00Z")).unwrap();
        assert_eq!(
            on_time,
            CatchUp {
                run: Some(ms("2025-11-03T01:00:00Z")),
                skipped: 0
            }
        );
    }

    #[test]
    fn a_job_whose_every_passed_occurrence_is_beyond_grace_is_missed() {
        let daily = Timing::Cron {
            expr: "0 9 * * *".into(),
            tz: "Asia/Shanghai".into(),
        };
        let r = row(daily, "2025-11-03T09:00:00+08:00");
        let c = catch_up(&r, ms("2025-11-04T17:00:00+08:00")).unwrap();
        assert_eq!(
            c,
            CatchUp {
                run: None,
                skipped: 2
            }
        );
        let once = row(Timing::Once, "2025-11-03T09:00:00+08:00");
        assert_eq!(
            catch_up(&once, ms("2025-11-03T15:00:00+08:00"))
                .unwrap()
                .run,
            Some(once.due_at)
        );
        assert_eq!(
            catch_up(&once, ms("2025-11-03T15:00:00.001+08:00")).unwrap(),
            CatchUp {
                run: None,
                skipped: 1
            }
        );
    }

    #[test]
    fn a_minutely_job_down_for_a_month_catches_up_without_counting_forever() {
        let r = row(
            Timing::Cron {
                expr: "* * * * *".into(),
                tz: "UTC".into(),
            },
            "2025-10-01T00:00:00Z",
        );
        let c = catch_up(&r, ms("2025-11-01T00:00:30Z")).unwrap();
        assert_eq!(c.run, Some(ms("2025-11-01T00:00:00Z")));
        assert!(c.skipped >= MAX_COUNTED, "{c:?}");
    }
}
