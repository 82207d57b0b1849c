//! Turns a campaign file into jobs (the campaign feature's; the scheduler knows no campaign): an announcement at each phase's start, summary reminders to
//! branch secretaries before each phase's end, and — when another part of the bot registers the
//! kind — a `pledge_assessment` at each phase's end. Reloading an edited file cancels the jobs
//! whose instants changed and schedules the new ones; what was already sent is never sent again
//! (the outbox keys name campaign, phase, kind and member, not the instant).

use std::collections::HashSet;

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::domain::campaign::{self, Campaign, Problem};
use crate::scheduler::{plan, JobSpec, Registry, ScheduleError, When};
use crate::store::{campaigns, jobs, Conn, StoreError};

/// The announcement kind's name (the kind is [`crate::campaign::jobs`]'s).
pub const ANNOUNCE: &str = "campaign_announcement";
/// The summary reminder kind's name (`campaign::jobs`).
pub const REMIND: &str = "campaign_summary_reminder";

/// The kind another developer provides; scheduled only when registered.
pub const PLEDGE_ASSESSMENT: &str = "pledge_assessment";

/// What loading a campaign did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Loaded {
    pub campaign: Option<Campaign>,
    /// Jobs newly scheduled.
    pub scheduled: usize,
    /// Jobs already on the schedule and unchanged.
    pub kept: usize,
    /// Jobs cancelled because their phase changed or disappeared.
    pub cancelled: usize,
    /// Jobs whose instant has passed (not scheduled).
    pub past: usize,
}

/// Why a load failed.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("the campaign file has problems")]
    Invalid(Vec<Problem>),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
}

/// The jobs a campaign wants, in phase order.
pub fn plan(c: &Campaign, registry: &Registry) -> Vec<JobSpec> {
    let mut specs = Vec::new();
    let name = &c.name;
    let payload = |i: usize| serde_json::json!({ "campaign": name, "phase": i }).to_string();
    for (i, p) in c.phases.iter().enumerate() {
        specs.push(JobSpec {
            kind: ANNOUNCE.into(),
            dedupe_key: format!(
                "campaign:{name}:{i}:announce:{}",
                p.start.timestamp_millis()
            ),
            payload: payload(i),
            when: When::At(p.start),
            grace: None,
        });
        let mut at = p.end - TimeDelta::days(c.summary_days_before_end);
        if at < p.start {
            at = p.start;
        }
        while at < p.end {
            specs.push(JobSpec {
                kind: REMIND.into(),
                dedupe_key: format!("campaign:{name}:{i}:summary:{}", at.timestamp_millis()),
                payload: payload(i),
                when: When::At(at),
                grace: None,
            });
            at += TimeDelta::days(c.remind_every_days);
        }
        if registry.get(PLEDGE_ASSESSMENT).is_some() {
            specs.push(JobSpec {
                kind: PLEDGE_ASSESSMENT.into(),
                dedupe_key: format!(
                    "campaign:{name}:{i}:pledge_assessment:{}",
                    p.end.timestamp_millis()
                ),
                payload: serde_json::json!({ "campaign": name, "phase": i, "title": p.title.zh })
                    .to_string(),
                when: When::At(p.end),
                grace: None,
            });
        }
    }
    specs
}

/// Validates a campaign file, stores it and brings its jobs up to date, in `conn`'s
/// transaction. Wake the scheduler after committing.
pub async fn load(
    conn: &mut Conn,
    registry: &Registry,
    tz: Tz,
    source: &str,
    now: DateTime<Utc>,
) -> Result<Loaded, LoadError> {
    let c = campaign::parse(source, tz).map_err(LoadError::Invalid)?;
    let previous = campaigns::save(conn, &c.name, source, now.timestamp_millis()).await?;
    let specs = plan(&c, registry);
    let wanted: HashSet<&str> = specs.iter().map(|s| s.dedupe_key.as_str()).collect();
    let mut loaded = Loaded::default();
    if let Some(old) = previous.and_then(|s| campaign::parse(&s, tz).ok()) {
        for spec in plan(&old, registry) {
            if !wanted.contains(spec.dedupe_key.as_str())
                && jobs::cancel(conn, &spec.dedupe_key, now.timestamp_millis()).await?
            {
                loaded.cancelled += 1;
            }
        }
    }
    for spec in &specs {
        match plan::schedule(conn, registry, spec, now).await {
            Ok(Some(_)) => loaded.scheduled += 1,
            // The key exists: kept as it is, or revived if an earlier reload cancelled it.
            Ok(None) => {
                let When::At(at) = spec.when else { continue };
                if jobs::revive(
                    conn,
                    &spec.dedupe_key,
                    at.timestamp_millis(),
                    now.timestamp_millis(),
                )
                .await?
                {
                    loaded.scheduled += 1;
                } else {
                    loaded.kept += 1;
                }
            }
            Err(ScheduleError::InThePast { .. }) => loaded.past += 1,
            Err(e) => return Err(e.into()),
        }
    }
    loaded.campaign = Some(c);
    Ok(loaded)
}
