//! What the platform reads of service activities without knowing the feature: one activity,
//! the recent ones a member logged or is named on, and whether they take part in one (a file
//! sent in chat may be attached to such an activity, `files`). The feature's own SQL is in
//! `records::store`, which re-exports these.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Conn, Result};

/// A logged service activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub id: i64,
    pub branch_id: i64,
    pub branch: String,
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    pub place: String,
    pub body: String,
    /// Who logged it (name, roster key); None: the command line.
    pub logged_by: Option<(String, String)>,
    pub logged_at: i64,
}

/// The columns [`activity`] reads, over `activities a` with its branch and who logged it.
pub const ACTIVITY_SELECT: &str = "SELECT a.id, a.branch_id, b.name AS branch, a.kind, a.held_on, \
     a.place, a.body, a.logged_at, m.name AS by_name, m.key AS by_key FROM activities a \
     JOIN branches b ON b.id = a.branch_id LEFT JOIN members m ON m.id = a.logged_by";

/// An activity of a row [`ACTIVITY_SELECT`] selected.
pub fn activity(row: &AnyRow) -> Result<Activity> {
    let by_name: Option<String> = row.try_get("by_name")?;
    let by_key: Option<String> = row.try_get("by_key")?;
    Ok(Activity {
        id: row.try_get("id")?,
        branch_id: row.try_get("branch_id")?,
        branch: row.try_get("branch")?,
        kind: row.try_get("kind")?,
        held_on: row.try_get("held_on")?,
        place: row.try_get("place")?,
        body: row.try_get("body")?,
        logged_by: by_name.zip(by_key),
        logged_at: row.try_get("logged_at")?,
    })
}

/// One activity.
pub async fn activity_by_id(conn: &mut Conn, id: i64) -> Result<Option<Activity>> {
    let row = sqlx::query(super::sql(format!("{ACTIVITY_SELECT} WHERE a.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(activity).transpose()
}

/// Activities held from `from` (a day, included) that `member_id` logged or is named on
/// (and did not decline), latest first: what a photo sent now may belong to.
pub async fn recent_of(conn: &mut Conn, member_id: i64, from: &str) -> Result<Vec<Activity>> {
    let rows = sqlx::query(super::sql(format!(
        "{ACTIVITY_SELECT} WHERE a.held_on >= $1 AND (a.logged_by = $2 OR EXISTS (SELECT 1 \
         FROM activity_participants p WHERE p.activity_id = a.id AND p.member_id = $2 \
         AND p.status <> 'declined')) ORDER BY a.held_on DESC, a.id DESC"
    )))
    .bind(from)
    .bind(member_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(activity).collect()
}

/// Whether `member_id` logged an activity or is named on it (and did not decline).
pub async fn takes_part(conn: &mut Conn, activity_id: i64, member_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM activities a WHERE a.id = $1 AND (a.logged_by = $2 OR EXISTS \
         (SELECT 1 FROM activity_participants p WHERE p.activity_id = a.id \
         AND p.member_id = $2 AND p.status <> 'declined'))",
    )
    .bind(activity_id)
    .bind(member_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
