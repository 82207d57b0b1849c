//! Spot checks (随机抽查): the row written when a record is shown to a checker, its finding
//! once written, what can be checked, and the 代签 and minutes a meeting's record shows.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::store::{Conn, Result};

/// One spot check, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotCheck {
    pub id: i64,
    pub checker_id: i64,
    pub checker: String,
    pub branch_id: i64,
    pub branch: String,
    /// `meeting` or `pledge`.
    pub subject_kind: String,
    /// The meeting's id, or the pledge owner's member id.
    pub subject_id: i64,
    pub started_at: i64,
    pub finding: Option<String>,
    pub found_at: Option<i64>,
}

const SELECT: &str =
    "SELECT s.id, s.checker_id, c.name AS checker, s.branch_id, b.name AS branch, \
     s.subject_kind, s.subject_id, s.started_at, s.finding, s.found_at \
     FROM spot_checks s JOIN members c ON c.id = s.checker_id \
     JOIN branches b ON b.id = s.branch_id";

fn from_row(row: &AnyRow) -> Result<SpotCheck> {
    Ok(SpotCheck {
        id: row.try_get("id")?,
        checker_id: row.try_get("checker_id")?,
        checker: row.try_get("checker")?,
        branch_id: row.try_get("branch_id")?,
        branch: row.try_get("branch")?,
        subject_kind: row.try_get("subject_kind")?,
        subject_id: row.try_get("subject_id")?,
        started_at: row.try_get("started_at")?,
        finding: row.try_get("finding")?,
        found_at: row.try_get("found_at")?,
    })
}

/// Records that a record was shown to a checker; returns the check's id.
pub async fn start(
    conn: &mut Conn,
    checker_id: i64,
    branch_id: i64,
    kind: &str,
    subject_id: i64,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO spot_checks (checker_id, branch_id, subject_kind, subject_id, started_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(checker_id)
    .bind(branch_id)
    .bind(kind)
    .bind(subject_id)
    .bind(at)
    .fetch_one(conn)
    .await?)
}

/// A check by id.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<SpotCheck>> {
    let sql = format!("{SELECT} WHERE s.id = $1");
    let row = sqlx::query(crate::store::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Writes the finding of a check its checker has not concluded yet. False when there is no
/// such open check (another checker's, or already written).
pub async fn conclude(
    conn: &mut Conn,
    id: i64,
    checker_id: i64,
    finding: &str,
    at: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE spot_checks SET finding = $3, found_at = $4 \
         WHERE id = $1 AND checker_id = $2 AND finding IS NULL",
    )
    .bind(id)
    .bind(checker_id)
    .bind(finding)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The checks of one branch or all, newest first; with `concluded_only`, those with a finding.
pub async fn list(
    conn: &mut Conn,
    branch_id: Option<i64>,
    concluded_only: bool,
) -> Result<Vec<SpotCheck>> {
    let sql = format!(
        "{SELECT} WHERE ($1 = 0 OR s.branch_id = $1) AND ($2 = 0 OR s.finding IS NOT NULL) \
         ORDER BY s.started_at DESC, s.id DESC"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(branch_id.unwrap_or(0))
        .bind(i64::from(concluded_only))
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// A candidate for a check: (branch id, subject id).
pub type Candidate = (i64, i64);

/// Held meetings (over by `now`, not cancelled) that started at or after `since`, of one
/// branch or all, newest first. When there are none, the last `last_few` held ones instead.
pub async fn recent_meetings(
    conn: &mut Conn,
    branch_id: Option<i64>,
    since: i64,
    now: i64,
    last_few: i64,
) -> Result<Vec<Candidate>> {
    let pairs = |rows: Vec<AnyRow>| -> Result<Vec<Candidate>> {
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect()
    };
    let recent = sqlx::query(
        "SELECT branch_id, id FROM meetings WHERE status = 'scheduled' \
         AND starts_at >= $1 AND ends_at <= $2 AND ($3 = 0 OR branch_id = $3) \
         ORDER BY starts_at DESC, id DESC",
    )
    .bind(since)
    .bind(now)
    .bind(branch_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    if !recent.is_empty() {
        return pairs(recent);
    }
    let last = sqlx::query(
        "SELECT branch_id, id FROM meetings WHERE status = 'scheduled' \
         AND ends_at <= $1 AND ($2 = 0 OR branch_id = $2) \
         ORDER BY starts_at DESC, id DESC LIMIT $3",
    )
    .bind(now)
    .bind(branch_id.unwrap_or(0))
    .bind(last_few)
    .fetch_all(conn)
    .await?;
    pairs(last)
}

/// Active members with a published (approved) pledge: (branch id, member id).
pub async fn published_pledges(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Candidate>> {
    let rows = sqlx::query(
        "SELECT m.branch_id, m.id FROM pledges p JOIN members m ON m.id = p.member_id \
         WHERE p.approved_version IS NOT NULL AND m.active = 1 AND m.branch_id IS NOT NULL \
         AND ($1 = 0 OR m.branch_id = $1) ORDER BY m.key",
    )
    .bind(branch_id.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// A sign-in on someone's behalf (代签): for whom, by whom, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    pub member: String,
    pub by: String,
    pub reason: Option<String>,
}

/// A meeting's 代签 sign-ins, by the signed member's key.
pub async fn proxies(conn: &mut Conn, meeting_id: i64) -> Result<Vec<Proxy>> {
    let rows = sqlx::query(
        "SELECT m.name AS member, p.name AS by_name, s.reason FROM meeting_signins s \
         JOIN members m ON m.id = s.member_id JOIN members p ON p.id = s.proxy_by \
         WHERE s.meeting_id = $1 ORDER BY m.key",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Proxy {
                member: r.try_get("member")?,
                by: r.try_get("by_name")?,
                reason: r.try_get("reason")?,
            })
        })
        .collect()
}

/// A meeting's minutes, if recorded.
pub async fn minutes(conn: &mut Conn, meeting_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT body FROM meeting_minutes WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_optional(conn)
            .await?,
    )
}
