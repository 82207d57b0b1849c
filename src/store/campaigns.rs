//! Loaded campaign files, the campaigns they read as ([`loaded`]: the activity records, the
//! oversight figures and the dashboard read them as the campaign feature does), and the
//! branches' phase summaries.

use super::{Conn, Result};
use crate::domain::campaign::Campaign;

/// Stores a campaign's file under its name. Returns the source it replaces, if any.
pub async fn save(conn: &mut Conn, name: &str, source: &str, now: i64) -> Result<Option<String>> {
    let previous = self::source(conn, name).await?;
    sqlx::query(
        "INSERT INTO campaigns (name, source, loaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO UPDATE SET source = excluded.source, loaded_at = excluded.loaded_at",
    )
    .bind(name)
    .bind(source)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(previous)
}

/// The file of a campaign.
pub async fn source(conn: &mut Conn, name: &str) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT source FROM campaigns WHERE name = $1")
            .bind(name)
            .fetch_optional(conn)
            .await?,
    )
}

/// Every loaded campaign: `(name, source)`, the most recently loaded first.
pub async fn all(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT name, source FROM campaigns ORDER BY loaded_at DESC, name")
            .fetch_all(conn)
            .await?,
    )
}

/// Records (or replaces) a branch's summary of a phase. Returns true when it is the first.
pub async fn submit_summary(
    conn: &mut Conn,
    campaign: &str,
    phase: i64,
    branch_id: i64,
    author_id: i64,
    body: &str,
    now: i64,
) -> Result<bool> {
    let existed: Option<i64> = sqlx::query_scalar(
        "SELECT branch_id FROM phase_summaries WHERE campaign = $1 AND phase = $2 AND branch_id = $3",
    )
    .bind(campaign)
    .bind(phase)
    .bind(branch_id)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO phase_summaries (campaign, phase, branch_id, author_id, body, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (campaign, phase, branch_id) DO UPDATE SET \
         author_id = excluded.author_id, body = excluded.body, submitted_at = excluded.submitted_at",
    )
    .bind(campaign)
    .bind(phase)
    .bind(branch_id)
    .bind(author_id)
    .bind(body)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(existed.is_none())
}

/// One branch's state for a phase's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchSummary {
    pub branch_id: i64,
    pub branch: String,
    /// When the summary came in; None while missing.
    pub submitted_at: Option<i64>,
    /// The branch's secretaries, for reminders: member ids.
    pub secretaries: i64,
}

/// Every branch with its summary state for a phase, by branch name.
pub async fn summaries(conn: &mut Conn, campaign: &str, phase: i64) -> Result<Vec<BranchSummary>> {
    let rows: Vec<(i64, String, Option<i64>, i64)> = sqlx::query_as(
        "SELECT b.id, b.name, s.submitted_at, \
         CAST((SELECT COUNT(*) FROM members m WHERE m.branch_id = b.id AND m.role = 'secretary' \
               AND m.active = 1) AS BIGINT) \
         FROM branches b LEFT JOIN phase_summaries s \
         ON s.branch_id = b.id AND s.campaign = $1 AND s.phase = $2 ORDER BY b.name",
    )
    .bind(campaign)
    .bind(phase)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(branch_id, branch, submitted_at, secretaries)| BranchSummary {
                branch_id,
                branch,
                submitted_at,
                secretaries,
            },
        )
        .collect())
}

/// Every loaded campaign that parses, the most recently loaded first.
pub async fn loaded(conn: &mut Conn, tz: chrono_tz::Tz) -> Result<Vec<Campaign>> {
    Ok(all(conn)
        .await?
        .into_iter()
        .filter_map(|(_, s)| crate::domain::campaign::parse(&s, tz).ok())
        .collect())
}
