//! Feedback: targets, per-period secrets, "already rated" tags, anonymous sessions, the
//! feedback rows, answers and moderation. No function here takes or stores a sender.

use sqlx::Row;

use crate::store::{Conn, Result};

/// A target as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub name: String,
    pub building: Option<String>,
    pub branch_id: Option<i64>,
    pub member_id: Option<i64>,
}

/// A target to load, with its residents' member ids.
#[derive(Debug, Clone)]
pub struct NewTarget {
    pub code: String,
    pub kind: String,
    pub name: String,
    pub building: Option<String>,
    pub branch_id: Option<i64>,
    pub member_id: Option<i64>,
    pub residents: Vec<i64>,
}

const TARGET_COLUMNS: &str = "id, code, kind, name, building, branch_id, member_id";

fn target(row: &sqlx::any::AnyRow) -> Result<Target> {
    Ok(Target {
        id: row.try_get("id")?,
        code: row.try_get("code")?,
        kind: row.try_get("kind")?,
        name: row.try_get("name")?,
        building: row.try_get("building")?,
        branch_id: row.try_get("branch_id")?,
        member_id: row.try_get("member_id")?,
    })
}

/// Inserts or updates targets by code and replaces their residents. Returns how many.
pub async fn load_targets(conn: &mut Conn, targets: &[NewTarget]) -> Result<usize> {
    for t in targets {
        sqlx::query(
            "INSERT INTO feedback_targets (code, kind, name, building, branch_id, member_id) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO UPDATE SET kind = excluded.kind, \
             name = excluded.name, building = excluded.building, branch_id = excluded.branch_id, \
             member_id = excluded.member_id",
        )
        .bind(&t.code)
        .bind(&t.kind)
        .bind(&t.name)
        .bind(&t.building)
        .bind(t.branch_id)
        .bind(t.member_id)
        .execute(&mut *conn)
        .await?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM feedback_targets WHERE code = $1")
            .bind(&t.code)
            .fetch_one(&mut *conn)
            .await?;
        sqlx::query("DELETE FROM feedback_residents WHERE target_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for m in &t.residents {
            sqlx::query(
                "INSERT INTO feedback_residents (target_id, member_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(m)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(targets.len())
}

/// The target with this code.
pub async fn target_by_code(conn: &mut Conn, code: &str) -> Result<Option<Target>> {
    let sql = format!("SELECT {TARGET_COLUMNS} FROM feedback_targets WHERE code = $1");
    sqlx::query(crate::store::sql(sql))
        .bind(code)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(target)
        .transpose()
}

/// The target with this id.
pub async fn target_by_id(conn: &mut Conn, id: i64) -> Result<Option<Target>> {
    let sql = format!("SELECT {TARGET_COLUMNS} FROM feedback_targets WHERE id = $1");
    sqlx::query(crate::store::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .as_ref()
        .map(target)
        .transpose()
}

/// The targets a member sees results of: all for the committee; otherwise those of their
/// branch (for its secretaries and committee members), the dormitories they live in, and
/// their own post.
pub async fn visible_targets(
    conn: &mut Conn,
    member_id: i64,
    all: bool,
    branch_managed: Option<i64>,
) -> Result<Vec<Target>> {
    let sql = format!(
        "SELECT {TARGET_COLUMNS} FROM feedback_targets t WHERE $1 = 1 OR t.branch_id = $2 \
         OR t.member_id = $3 OR EXISTS (SELECT 1 FROM feedback_residents r \
         WHERE r.target_id = t.id AND r.member_id = $3) ORDER BY t.code"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(i64::from(all))
        .bind(branch_managed.unwrap_or(-1))
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(target).collect()
}

/// Who is told when a target gets new comments: its residents, the member it names, and the
/// secretaries and deputy secretaries of its branch. Member ids, ascending.
pub async fn told_of_comments(conn: &mut Conn, target_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT r.member_id FROM feedback_residents r WHERE r.target_id = $1 \
         UNION SELECT t.member_id FROM feedback_targets t WHERE t.id = $1 AND t.member_id IS NOT NULL \
         UNION SELECT m.id FROM members m JOIN feedback_targets t ON t.branch_id = m.branch_id \
         WHERE t.id = $1 AND m.role IN ('secretary', 'deputy_secretary') \
         ORDER BY 1",
    )
    .bind(target_id)
    .fetch_all(conn)
    .await?)
}

/// The secret of a period, made when first needed. None once the period has ended.
pub async fn period_secret(conn: &mut Conn, period: &str, ends_at: i64) -> Result<Option<String>> {
    // Read first: every update asks, and only the first of a month writes.
    let known: Option<Option<String>> =
        sqlx::query_scalar("SELECT secret FROM feedback_periods WHERE period = $1")
            .bind(period)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(secret) = known {
        return Ok(secret);
    }
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query(
        "INSERT INTO feedback_periods (period, secret, ends_at) VALUES ($1, $2, $3) \
         ON CONFLICT (period) DO NOTHING",
    )
    .bind(period)
    .bind(&fresh)
    .bind(ends_at)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT secret FROM feedback_periods WHERE period = $1")
            .bind(period)
            .fetch_one(conn)
            .await?,
    )
}

/// Erases the secrets and tags of ended periods, and sessions that lapsed. Returns how many
/// periods were closed.
pub async fn end_periods(conn: &mut Conn, now: i64) -> Result<u64> {
    sqlx::query(
        "DELETE FROM feedback_seen WHERE period IN \
         (SELECT period FROM feedback_periods WHERE ends_at <= $1)",
    )
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM feedback_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(sqlx::query(
        "UPDATE feedback_periods SET secret = NULL WHERE ends_at <= $1 AND secret IS NOT NULL",
    )
    .bind(now)
    .execute(conn)
    .await?
    .rows_affected())
}

/// Records that a tag rated in a period. False when it already had.
pub async fn mark_seen(conn: &mut Conn, period: &str, tag: &str) -> Result<bool> {
    Ok(sqlx::query(
        "INSERT INTO feedback_seen (period, tag) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    )
    .bind(period)
    .bind(tag)
    .execute(conn)
    .await?
    .rows_affected()
        == 1)
}

/// Whether a tag has rated in a period.
pub async fn seen(conn: &mut Conn, period: &str, tag: &str) -> Result<bool> {
    let n: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM feedback_seen WHERE period = $1 AND tag = $2")
            .bind(period)
            .bind(tag)
            .fetch_one(conn)
            .await?;
    Ok(n > 0)
}

/// An anonymous session: the target and the rating so far, sealed (see
/// `feedback`); None for the rating while it is not picked yet. Whether any session is live at
/// all is read with the inbox claim, in its own statement (`store::inbox::claim`).
pub async fn session(
    conn: &mut Conn,
    tag: &str,
    now: i64,
) -> Result<Option<(i64, Option<String>)>> {
    let row = sqlx::query(
        "SELECT target_id, sealed FROM feedback_sessions WHERE tag = $1 AND expires_at > $2",
    )
    .bind(tag)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("target_id")?, r.try_get("sealed")?)))
        .transpose()
}

/// Starts or moves a session. The rating picked so far is stored sealed only; the plain
/// `rating` column stays NULL.
pub async fn put_session(
    conn: &mut Conn,
    tag: &str,
    target_id: i64,
    sealed_rating: Option<&str>,
    expires_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO feedback_sessions (tag, target_id, rating, sealed, expires_at) \
         VALUES ($1, $2, NULL, $3, $4) \
         ON CONFLICT (tag) DO UPDATE SET target_id = excluded.target_id, rating = NULL, \
         sealed = excluded.sealed, expires_at = excluded.expires_at",
    )
    .bind(tag)
    .bind(target_id)
    .bind(sealed_rating)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends a session.
pub async fn drop_session(conn: &mut Conn, tag: &str) -> Result<()> {
    sqlx::query("DELETE FROM feedback_sessions WHERE tag = $1")
        .bind(tag)
        .execute(conn)
        .await?;
    Ok(())
}

/// A feedback row to store.
#[derive(Debug, Clone)]
pub struct NewFeedback<'a> {
    pub id: &'a str,
    pub target_id: i64,
    pub period: &'a str,
    pub day: &'a str,
    pub rating: i64,
    pub body: Option<&'a str>,
    pub reply_hash: &'a str,
}

/// Stores a feedback row (the publication job does, see `feedback::publish`).
pub async fn insert(conn: &mut Conn, f: &NewFeedback<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO feedback (id, target_id, period, day, rating, body, reply_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(f.id)
    .bind(f.target_id)
    .bind(f.period)
    .bind(f.day)
    .bind(f.rating)
    .bind(f.body)
    .bind(f.reply_hash)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts a sealed submission in the pending pool under a random id.
pub async fn pool_insert(conn: &mut Conn, id: &str, sealed: &str) -> Result<()> {
    sqlx::query("INSERT INTO feedback_pool (id, sealed) VALUES ($1, $2)")
        .bind(id)
        .bind(sealed)
        .execute(conn)
        .await?;
    Ok(())
}

/// Every pooled submission: `(id, sealed)`, in id order (random).
pub async fn pool(conn: &mut Conn) -> Result<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT id, sealed FROM feedback_pool ORDER BY id")
            .fetch_all(conn)
            .await?,
    )
}

/// Takes submissions out of the pool (in the transaction that publishes them). Returns how
/// many were still there: fewer than asked means another run took them first.
pub async fn pool_remove(conn: &mut Conn, ids: &[String]) -> Result<u64> {
    let mut removed = 0;
    for id in ids {
        removed += sqlx::query("DELETE FROM feedback_pool WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    }
    Ok(removed)
}

/// The ratings of a period per target: `(target id, rating, count)`.
pub async fn counts(conn: &mut Conn, period: &str) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT target_id, rating, CAST(COUNT(*) AS BIGINT) FROM feedback WHERE period = $1 \
         GROUP BY target_id, rating",
    )
    .bind(period)
    .fetch_all(conn)
    .await?)
}

/// A comment as a report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub id: String,
    /// The day it was published (comments are shown dated by `period`, their month).
    pub day: String,
    /// The month it was given in.
    pub period: String,
    pub body: String,
    pub answer: Option<String>,
}

/// The visible comments of a target given in `period` or any month before it (hidden ones left
/// out), by month, then id (random).
pub async fn comments(conn: &mut Conn, target_id: i64, period: &str) -> Result<Vec<Comment>> {
    let rows = sqlx::query(
        "SELECT id, day, period, body, answer FROM feedback WHERE target_id = $1 AND period <= $2 \
         AND body IS NOT NULL AND hidden = 0 ORDER BY period, id",
    )
    .bind(target_id)
    .bind(period)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Comment {
                id: r.try_get("id")?,
                day: r.try_get("day")?,
                period: r.try_get("period")?,
                body: r.try_get("body")?,
                answer: r.try_get("answer")?,
            })
        })
        .collect()
}

/// The target id of a feedback row with a comment.
pub async fn target_of(conn: &mut Conn, id: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT target_id FROM feedback WHERE id = $1 AND body IS NOT NULL")
            .bind(id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Answers a comment and logs who did. False when there is no such comment.
pub async fn answer(conn: &mut Conn, id: &str, text: &str, by: i64, day: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE feedback SET answer = $1 WHERE id = $2 AND body IS NOT NULL")
        .bind(text)
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if done == 1 {
        log_action(conn, id, "answer", by, day).await?;
    }
    Ok(done == 1)
}

/// Hides a comment (kept, marked) and logs who did. False when there is no such comment.
pub async fn hide(conn: &mut Conn, id: &str, by: i64, day: &str) -> Result<bool> {
    let done = sqlx::query("UPDATE feedback SET hidden = 1 WHERE id = $1 AND body IS NOT NULL")
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if done == 1 {
        log_action(conn, id, "hide", by, day).await?;
    }
    Ok(done == 1)
}

async fn log_action(conn: &mut Conn, id: &str, action: &str, by: i64, day: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO feedback_actions (feedback_id, action, member_id, day) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(action)
    .bind(by)
    .bind(day)
    .execute(conn)
    .await?;
    Ok(())
}

/// The answer to the feedback whose reply code hashes to `hash`: None when no feedback has
/// that code, `Some(None)` when it is not answered yet.
pub async fn answer_by_code(conn: &mut Conn, hash: &str) -> Result<Option<Option<String>>> {
    let row = sqlx::query("SELECT answer FROM feedback WHERE reply_hash = $1")
        .bind(hash)
        .fetch_optional(conn)
        .await?;
    row.map(|r| r.try_get("answer"))
        .transpose()
        .map_err(Into::into)
}
