//! `branchbot status`: what the delivery engine is doing, from the database, so it works
//! against a running bot (or several) without talking to them.

use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::outbox::{self, Figures};
use crate::store::{inbox, jobs, Store, StoreError};

/// Everything `status` shows.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub outbox: Figures,
    pub inbox: Vec<(String, i64)>,
    /// (kind, status, count)
    pub jobs: Vec<(String, String, i64)>,
    /// The next scheduled jobs: (kind, dedupe key, due in ms).
    pub next_jobs: Vec<(String, String, i64)>,
    /// The latest update set aside as failed, if any.
    pub last_failed_update: Option<inbox::Failed>,
    /// The latest failed job occurrence: (job id, kind, when in ms, error).
    pub last_failed_job: Option<(i64, String, i64, String)>,
}

/// Reads the figures at `now` (ms).
pub async fn gather(store: &Store, now: i64) -> Result<Report, StoreError> {
    let mut conn = store.pool().acquire().await?;
    Ok(Report {
        outbox: outbox::figures(&mut conn, now).await?,
        inbox: inbox::counts(&mut conn).await?,
        jobs: jobs::counts(&mut conn).await?,
        next_jobs: jobs::upcoming(&mut conn, 5).await?,
        last_failed_update: inbox::failed(&mut conn, 1).await?.into_iter().next(),
        last_failed_job: jobs::last_failure(&mut conn).await?,
    })
}

/// A status of an outbox or inbox row as a person reads it.
pub fn status_label(catalog: &Catalog, locale: Locale, status: &str) -> String {
    let m = match status {
        "pending" => msg!("status-pending"),
        "sending" => msg!("status-sending"),
        "sent" => msg!("status-sent"),
        "failed" => msg!("status-failed"),
        "blocked" => msg!("status-blocked"),
        "expired" => msg!("status-expired"),
        "done" => msg!("status-done"),
        "ignored" => msg!("status-ignored"),
        _ => return status.to_owned(),
    };
    catalog.text(locale, m)
}

/// Renders the report as lines for a terminal; times in `tz`.
pub fn render(report: &Report, catalog: &Catalog, locale: Locale, tz: chrono_tz::Tz) -> String {
    let mut lines = vec![catalog.text(locale, msg!("status-outbox-header"))];
    if report.outbox.by_status.is_empty() {
        lines.push(format!("  {}", catalog.text(locale, msg!("status-empty"))));
    }
    for (channel, status, n) in &report.outbox.by_status {
        lines.push(format!(
            "  {channel:<9} {:<8} {n:>8}",
            status_label(catalog, locale, status)
        ));
    }
    for (channel, age_ms) in &report.outbox.oldest_pending {
        lines.push(catalog.render(
            locale,
            msg!("status-oldest-pending"),
            &[
                ("channel", channel.as_str().into()),
                ("minutes", (age_ms / 60_000).into()),
            ],
        ));
    }
    lines.push(catalog.render(
        locale,
        msg!("status-rate"),
        &[
            ("minute", report.outbox.sent_last_minute.into()),
            ("hour", report.outbox.sent_last_hour.into()),
            ("limited", report.outbox.rate_limited_total.into()),
        ],
    ));
    lines.push(catalog.text(locale, msg!("status-inbox-header")));
    if report.inbox.is_empty() {
        lines.push(format!("  {}", catalog.text(locale, msg!("status-empty"))));
    }
    for (status, n) in &report.inbox {
        lines.push(format!(
            "  {:<8} {n:>8}",
            status_label(catalog, locale, status)
        ));
    }
    if let Some(failed) = &report.last_failed_update {
        let count = report
            .inbox
            .iter()
            .find(|(status, _)| status == "failed")
            .map_or(1, |(_, n)| *n);
        lines.push(catalog.render(
            locale,
            msg!("status-inbox-failed"),
            &[
                ("count", count.into()),
                ("id", failed.id.into()),
                (
                    "at",
                    local_time(failed.processed_at.unwrap_or(failed.received_at), tz).into(),
                ),
                ("error", failed.error.clone().unwrap_or_default().into()),
            ],
        ));
    }
    lines.push(catalog.text(locale, msg!("status-jobs-header")));
    if report.jobs.is_empty() {
        lines.push(format!("  {}", catalog.text(locale, msg!("status-empty"))));
    }
    for (kind, status, n) in &report.jobs {
        lines.push(format!("  {kind:<20} {status:<10} {n:>8}"));
    }
    if let Some((id, kind, at, error)) = &report.last_failed_job {
        lines.push(catalog.render(
            locale,
            msg!("status-job-failed"),
            &[
                ("id", (*id).into()),
                ("kind", kind.as_str().into()),
                ("at", local_time(*at, tz).into()),
                ("error", error.as_str().into()),
            ],
        ));
    }
    if !report.next_jobs.is_empty() {
        lines.push(catalog.text(locale, msg!("status-next-jobs")));
        for (kind, key, at) in &report.next_jobs {
            let when = chrono::DateTime::from_timestamp_millis(*at)
                .map(|d| d.with_timezone(&tz).to_rfc3339())
                .unwrap_or_default();
            lines.push(format!("  {when}  {kind:<20} {key}"));
        }
    }
    lines.join("\n")
}

/// An instant (ms) as `2026-12-07 13:02` in `tz`.
pub fn local_time(at: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(at)
        .map(|d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}
