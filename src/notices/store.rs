//! Notices and their recipients: who got what, who confirmed, and the figures the sender sees.
//! A recipient's delivery outcome is the status of its outbox row, found by the dedupe key
//! `notice:<id>:<member>`.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::store::{Conn, Result};

/// A stored notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: i64,
    pub sender_id: i64,
    pub scope: String,
    pub body: String,
    pub confirm: bool,
    pub urgent: bool,
    pub created_at: i64,
    pub nudged_at: Option<i64>,
    pub escalate_at: Option<i64>,
    /// `scheduled`, `pending` (no SMS gateway when it was due) or `sent`.
    pub escalation: Option<String>,
}

/// The figures of one notice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    pub total: i64,
    pub sent: i64,
    pub failed: i64,
    pub blocked: i64,
    /// Not sent yet (queued, or held back by quiet hours or for the day's digest).
    pub queued: i64,
    /// No channel reached them (no Telegram chat, no SMS).
    pub unreachable: i64,
    pub confirmed: i64,
}

/// How a confirmation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confirmed {
    Now,
    /// Confirmed before: nothing changed.
    Already,
    /// Not a recipient of that notice (or it asks for no confirmation).
    NotFound,
}

const SELECT: &str = "SELECT id, sender_id, scope, body, confirm, urgent, created_at, nudged_at, \
     escalate_at, escalation FROM notices";

fn from_row(row: &AnyRow) -> Result<Notice> {
    Ok(Notice {
        id: row.try_get("id")?,
        sender_id: row.try_get("sender_id")?,
        scope: row.try_get("scope")?,
        body: row.try_get("body")?,
        confirm: row.try_get::<i64, _>("confirm")? != 0,
        urgent: row.try_get::<i64, _>("urgent")? != 0,
        created_at: row.try_get("created_at")?,
        nudged_at: row.try_get("nudged_at")?,
        escalate_at: row.try_get("escalate_at")?,
        escalation: row.try_get("escalation")?,
    })
}

/// Creates a notice and returns its id.
pub async fn create(
    conn: &mut Conn,
    sender_id: i64,
    scope: &str,
    body: &str,
    confirm: bool,
    urgent: bool,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO notices (sender_id, scope, body, confirm, urgent, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(sender_id)
    .bind(scope)
    .bind(body)
    .bind(i64::from(confirm))
    .bind(i64::from(urgent))
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Records the recipients, `(member, channel or None when unreachable)`, in batches.
pub async fn add_recipients(
    conn: &mut Conn,
    notice_id: i64,
    recipients: &[(i64, Option<&str>)],
) -> Result<()> {
    for chunk in recipients.chunks(200) {
        let mut sql =
            String::from("INSERT INTO notice_recipients (notice_id, member_id, channel) VALUES ");
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, ${}, ${})", 2 * i + 2, 2 * i + 3));
        }
        sql.push_str(" ON CONFLICT (notice_id, member_id) DO NOTHING");
        let mut q = sqlx::query(crate::store::sql(sql)).bind(notice_id);
        for (member, channel) in chunk {
            q = q.bind(*member).bind(*channel);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// A notice by id.
pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<Notice>> {
    let sql = format!("{SELECT} WHERE id = $1");
    let row = sqlx::query(crate::store::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The latest notices, newest first: by one sender, or by anyone when `sender` is None.
pub async fn recent(conn: &mut Conn, sender: Option<i64>, limit: i64) -> Result<Vec<Notice>> {
    let sql = format!("{SELECT} WHERE ($1 IS NULL OR sender_id = $1) ORDER BY id DESC LIMIT $2");
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(sender)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// The figures of a notice: recipients by delivery outcome, and how many confirmed.
pub async fn figures(conn: &mut Conn, id: i64) -> Result<Figures> {
    figures_in_branch(conn, id, None).await
}

/// The notices created in `[from, to)`, oldest first.
pub async fn created_between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<Notice>> {
    let sql =
        format!("{SELECT} WHERE created_at >= $1 AND created_at < $2 ORDER BY created_at, id");
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(from)
        .bind(to)
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

/// [`figures`] counting only the recipients of one branch (all of them when `branch` is None).
pub async fn figures_in_branch(conn: &mut Conn, id: i64, branch: Option<i64>) -> Result<Figures> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS total, \
         CAST(COALESCE(SUM(CASE WHEN o.status IN ('sent', 'digested') THEN 1 ELSE 0 END), 0) AS BIGINT) AS sent, \
         CAST(COALESCE(SUM(CASE WHEN o.status IN ('failed', 'expired') THEN 1 ELSE 0 END), 0) AS BIGINT) AS failed, \
         CAST(COALESCE(SUM(CASE WHEN o.status = 'blocked' THEN 1 ELSE 0 END), 0) AS BIGINT) AS blocked, \
         CAST(COALESCE(SUM(CASE WHEN o.status IN ('pending', 'sending', 'held') THEN 1 ELSE 0 END), 0) AS BIGINT) AS queued, \
         CAST(COALESCE(SUM(CASE WHEN r.channel IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS unreachable, \
         CAST(COALESCE(SUM(CASE WHEN r.confirmed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS confirmed \
         FROM notice_recipients r \
         LEFT JOIN outbox o ON o.dedupe_key = 'notice:' || CAST(r.notice_id AS TEXT) || ':' || CAST(r.member_id AS TEXT) \
         WHERE r.notice_id = $1 AND ($2 IS NULL OR r.member_id IN \
           (SELECT b.id FROM members b WHERE b.branch_id = $2))",
    )
    .bind(id)
    .bind(branch)
    .fetch_one(conn)
    .await?;
    Ok(Figures {
        total: row.try_get("total")?,
        sent: row.try_get("sent")?,
        failed: row.try_get("failed")?,
        blocked: row.try_get("blocked")?,
        queued: row.try_get("queued")?,
        unreachable: row.try_get("unreachable")?,
        confirmed: row.try_get("confirmed")?,
    })
}

/// Recipients who have not confirmed, by roster key: `(member id, name)`.
pub async fn unconfirmed(conn: &mut Conn, id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.name FROM notice_recipients r JOIN members m ON m.id = r.member_id \
         WHERE r.notice_id = $1 AND r.confirmed_at IS NULL ORDER BY m.key",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Unconfirmed recipients first reached on Telegram who have a mobile number: the ones an
/// escalation sends an SMS to. `(member id, phone)`.
pub async fn escalation_targets(conn: &mut Conn, id: i64) -> Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.phone FROM notice_recipients r JOIN members m ON m.id = r.member_id \
         WHERE r.notice_id = $1 AND r.confirmed_at IS NULL AND r.channel = 'telegram' \
         AND m.phone IS NOT NULL AND m.active = 1 ORDER BY m.key",
    )
    .bind(id)
    .fetch_all(conn)
    .await?)
}

/// Confirms a notice for a member, once.
pub async fn confirm(conn: &mut Conn, id: i64, member_id: i64, now: i64) -> Result<Confirmed> {
    let row: Option<(Option<i64>, i64)> = sqlx::query_as(
        "SELECT r.confirmed_at, n.confirm FROM notice_recipients r \
         JOIN notices n ON n.id = r.notice_id WHERE r.notice_id = $1 AND r.member_id = $2",
    )
    .bind(id)
    .bind(member_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None | Some((_, 0)) => Ok(Confirmed::NotFound),
        Some((Some(_), _)) => Ok(Confirmed::Already),
        Some((None, _)) => {
            sqlx::query(
                "UPDATE notice_recipients SET confirmed_at = $1 \
                 WHERE notice_id = $2 AND member_id = $3 AND confirmed_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .bind(member_id)
            .execute(conn)
            .await?;
            Ok(Confirmed::Now)
        }
    }
}

/// The newest notice asking this member to confirm that they have not confirmed yet.
pub async fn latest_unconfirmed_for(conn: &mut Conn, member_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT n.id FROM notice_recipients r JOIN notices n ON n.id = r.notice_id \
         WHERE r.member_id = $1 AND n.confirm = 1 AND r.confirmed_at IS NULL \
         ORDER BY n.id DESC LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(conn)
    .await?)
}

/// The newest notice asking this member to confirm, confirmed or not.
pub async fn latest_for(conn: &mut Conn, member_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT n.id FROM notice_recipients r JOIN notices n ON n.id = r.notice_id \
         WHERE r.member_id = $1 AND n.confirm = 1 ORDER BY n.id DESC LIMIT 1",
    )
    .bind(member_id)
    .fetch_optional(conn)
    .await?)
}

/// Records a re-nudge.
pub async fn set_nudged(conn: &mut Conn, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE notices SET nudged_at = $1 WHERE id = $2")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Records the escalation's state (`scheduled`, `pending`, `sent`) and when it is due.
pub async fn set_escalation(conn: &mut Conn, id: i64, state: &str, at: Option<i64>) -> Result<()> {
    sqlx::query(
        "UPDATE notices SET escalation = $1, escalate_at = COALESCE($2, escalate_at) WHERE id = $3",
    )
    .bind(state)
    .bind(at)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
