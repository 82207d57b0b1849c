//! The records' SQL, one text for SQLite and PostgreSQL (migration 0021): activities and their
//! participants, branch work plans, 领导点评.

use sqlx::Row;

use crate::store::activities::{activity, ACTIVITY_SELECT};
pub use crate::store::activities::{activity_by_id, recent_of, takes_part, Activity};
use crate::store::{Conn, Result};

/// A participant named on an activity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participant {
    pub member_id: i64,
    pub name: String,
    pub key: String,
    /// `asked`, `confirmed` or `declined`.
    pub status: String,
}

/// Stores an activity; returns its id.
#[allow(clippy::too_many_arguments)]
pub async fn add_activity(
    conn: &mut Conn,
    branch_id: i64,
    kind: &str,
    held_on: &str,
    place: &str,
    body: &str,
    logged_by: Option<i64>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO activities (branch_id, kind, held_on, place, body, logged_by, logged_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(branch_id)
    .bind(kind)
    .bind(held_on)
    .bind(place)
    .bind(body)
    .bind(logged_by)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Names a participant, `asked` or already `confirmed` (the one who logged it).
pub async fn add_participant(
    conn: &mut Conn,
    activity_id: i64,
    member_id: i64,
    confirmed_at: Option<i64>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO activity_participants (activity_id, member_id, status, answered_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (activity_id, member_id) DO NOTHING",
    )
    .bind(activity_id)
    .bind(member_id)
    .bind(if confirmed_at.is_some() {
        "confirmed"
    } else {
        "asked"
    })
    .bind(confirmed_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a participant's answer; false when they are not on the activity.
pub async fn answer(
    conn: &mut Conn,
    activity_id: i64,
    member_id: i64,
    confirmed: bool,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE activity_participants SET status = $3, answered_at = $4 \
         WHERE activity_id = $1 AND member_id = $2",
    )
    .bind(activity_id)
    .bind(member_id)
    .bind(if confirmed { "confirmed" } else { "declined" })
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Activities held from `from` to `to` (days, both included), in one branch or all, latest
/// first.
pub async fn activities(
    conn: &mut Conn,
    branch_id: Option<i64>,
    from: &str,
    to: &str,
) -> Result<Vec<Activity>> {
    let rows = sqlx::query(crate::store::sql(format!(
        "{ACTIVITY_SELECT} WHERE ($1 = 0 OR a.branch_id = $1) AND a.held_on >= $2 \
         AND a.held_on <= $3 ORDER BY a.held_on DESC, a.id DESC"
    )))
    .bind(branch_id.unwrap_or(0))
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    rows.iter().map(activity).collect()
}

/// An activity's participants, by roster key.
pub async fn participants(conn: &mut Conn, activity_id: i64) -> Result<Vec<Participant>> {
    let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT m.id, m.name, m.key, p.status FROM activity_participants p \
         JOIN members m ON m.id = p.member_id WHERE p.activity_id = $1 ORDER BY m.key",
    )
    .bind(activity_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(member_id, name, key, status)| Participant {
            member_id,
            name,
            key,
            status,
        })
        .collect())
}

/// A member's confirmed activities per kind held from `from` to `to`: `(kind, count)`.
pub async fn confirmed_kinds(
    conn: &mut Conn,
    member_id: i64,
    from: &str,
    to: &str,
) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.kind, CAST(COUNT(*) AS BIGINT) FROM activity_participants p \
         JOIN activities a ON a.id = p.activity_id WHERE p.member_id = $1 \
         AND p.status = 'confirmed' AND a.held_on >= $2 AND a.held_on <= $3 \
         GROUP BY a.kind ORDER BY a.kind",
    )
    .bind(member_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// Per branch, activities held from `from` to `to` and the confirmed participations in them:
/// `(branch_id, activities, confirmed)`.
pub async fn branch_counts(conn: &mut Conn, from: &str, to: &str) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT a.branch_id, CAST(COUNT(DISTINCT a.id) AS BIGINT), \
         CAST(COUNT(p.member_id) AS BIGINT) FROM activities a \
         LEFT JOIN activity_participants p ON p.activity_id = a.id AND p.status = 'confirmed' \
         WHERE a.held_on >= $1 AND a.held_on <= $2 GROUP BY a.branch_id",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?)
}

/// A branch's published plan: `(body, publisher's name, published_at)`.
pub async fn plan(
    conn: &mut Conn,
    campaign: &str,
    branch_id: i64,
) -> Result<Option<(String, Option<String>, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.body, m.name, p.published_at FROM branch_plans p \
         LEFT JOIN members m ON m.id = p.published_by WHERE p.campaign = $1 AND p.branch_id = $2",
    )
    .bind(campaign)
    .bind(branch_id)
    .fetch_optional(conn)
    .await?)
}

/// Publishes (or replaces) a branch's plan; true when it is the first.
pub async fn publish_plan(
    conn: &mut Conn,
    campaign: &str,
    branch_id: i64,
    body: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let first = plan(conn, campaign, branch_id).await?.is_none();
    sqlx::query(
        "INSERT INTO branch_plans (campaign, branch_id, body, published_by, published_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign, branch_id) DO UPDATE SET \
         body = excluded.body, published_by = excluded.published_by, \
         published_at = excluded.published_at",
    )
    .bind(campaign)
    .bind(branch_id)
    .bind(body)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(first)
}

/// Branches with a published plan for the campaign: their ids.
pub async fn planned(conn: &mut Conn, campaign: &str) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT branch_id FROM branch_plans WHERE campaign = $1")
            .bind(campaign)
            .fetch_all(conn)
            .await?,
    )
}

/// A stored 领导点评.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub phase: i64,
    pub branch_id: i64,
    pub branch: String,
    /// The member it is about (name, key); None: the branch.
    pub about: Option<(String, String)>,
    pub body: String,
    pub written_by: Option<String>,
    pub written_at: i64,
}

/// Writes (or replaces) a comment; `member_id` 0 is about the branch. True when it is new.
#[allow(clippy::too_many_arguments)]
pub async fn put_comment(
    conn: &mut Conn,
    campaign: &str,
    phase: i64,
    branch_id: i64,
    member_id: i64,
    body: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let existed: Option<i64> = sqlx::query_scalar(
        "SELECT phase FROM leader_comments WHERE campaign = $1 AND phase = $2 \
         AND branch_id = $3 AND member_id = $4",
    )
    .bind(campaign)
    .bind(phase)
    .bind(branch_id)
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO leader_comments (campaign, phase, branch_id, member_id, body, written_by, \
         written_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (campaign, phase, branch_id, member_id) DO UPDATE SET \
         body = excluded.body, written_by = excluded.written_by, written_at = excluded.written_at",
    )
    .bind(campaign)
    .bind(phase)
    .bind(branch_id)
    .bind(member_id)
    .bind(body)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(existed.is_none())
}

/// A campaign's comments, in one branch or all, by phase, branch, then the branch's own before
/// its members'.
pub async fn comments(
    conn: &mut Conn,
    campaign: &str,
    branch_id: Option<i64>,
) -> Result<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT c.phase, c.branch_id, b.name AS branch, c.member_id, a.name AS about_name, \
         a.key AS about_key, c.body, w.name AS by_name, c.written_at FROM leader_comments c \
         JOIN branches b ON b.id = c.branch_id LEFT JOIN members a ON a.id = c.member_id \
         LEFT JOIN members w ON w.id = c.written_by \
         WHERE c.campaign = $1 AND ($2 = 0 OR c.branch_id = $2) \
         ORDER BY c.phase, b.name, c.member_id",
    )
    .bind(campaign)
    .bind(branch_id.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let name: Option<String> = r.try_get("about_name")?;
            let key: Option<String> = r.try_get("about_key")?;
            Ok(Comment {
                phase: r.try_get("phase")?,
                branch_id: r.try_get("branch_id")?,
                branch: r.try_get("branch")?,
                about: name.zip(key),
                body: r.try_get("body")?,
                written_by: r.try_get("by_name")?,
                written_at: r.try_get("written_at")?,
            })
        })
        .collect()
}
