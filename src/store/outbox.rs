//! The outbox: every outgoing message is a row before it is sent. Workers claim due rows with a
//! lease and an attempt token; a worker whose lease ran out cannot overwrite a newer attempt.

use rand::RngExt;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Conn, Result, Store};

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub channel: String,
    pub address: String,
    pub member_id: Option<i64>,
    pub body: String,
    /// JSON list of `{data, label}`.
    pub choices_json: String,
    /// Unique per logical message: a second enqueue with the same key is ignored.
    pub dedupe_key: String,
    pub urgent: bool,
    /// Not sent before this instant (ms).
    pub not_before: i64,
    /// Not sent after this instant (ms): it becomes `expired`.
    pub expires_at: Option<i64>,
    pub segments: i64,
}

const COLUMNS: usize = 11;

/// Queues messages in one statement per 100 rows; duplicates (same dedupe key) are skipped.
/// Returns how many rows were new.
pub async fn enqueue(conn: &mut Conn, messages: &[NewMessage], now: i64) -> Result<u64> {
    let mut inserted = 0;
    for chunk in messages.chunks(100) {
        let mut sql = String::from(
            "INSERT INTO outbox (channel, address, member_id, body, choices, dedupe_key, urgent, \
             next_attempt_at, expires_at, segments, created_at) VALUES ",
        );
        for i in 0..chunk.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            for c in 0..COLUMNS {
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("${}", i * COLUMNS + c + 1));
            }
            sql.push(')');
        }
        sql.push_str(" ON CONFLICT (dedupe_key) DO NOTHING");
        let mut q = sqlx::query(super::sql(sql));
        for m in chunk {
            q = q
                .bind(&m.channel)
                .bind(&m.address)
                .bind(m.member_id)
                .bind(&m.body)
                .bind(&m.choices_json)
                .bind(&m.dedupe_key)
                .bind(i64::from(m.urgent))
                .bind(m.not_before)
                .bind(m.expires_at)
                .bind(m.segments)
                .bind(now);
        }
        inserted += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(inserted)
}

/// Marks queued rows as replies of an anonymous flow: once final, their body and choices are
/// erased along with the address (see [`complete`]), so nothing ties the sender to them.
pub async fn mark_anonymous(conn: &mut Conn, dedupe_keys: &[String]) -> Result<()> {
    for key in dedupe_keys {
        sqlx::query("UPDATE outbox SET anonymous = 1, member_id = NULL WHERE dedupe_key = $1")
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The purpose bodies and choices of anonymous replies are sealed for.
const ANONYMOUS_PURPOSE: &str = "outbox-anonymous";

/// Seals the body (or choices) of an anonymous reply, padded to 1 KiB blocks, so a reply code
/// or ballot summary is never written in the clear (and on PostgreSQL, never in a dead row).
pub fn seal_body(text: &str) -> String {
    crate::anonymity::seal_text(ANONYMOUS_PURPOSE, text, 1024)
}

/// The start of a UTC day, in ms: the only time an anonymous reply keeps once final.
fn day_floor(ms: i64) -> i64 {
    ms - ms.rem_euclid(86_400_000)
}

/// A claimed row, leased to one worker.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: i64,
    pub channel: String,
    pub address: String,
    pub member_id: Option<i64>,
    pub body: String,
    pub choices_json: String,
    pub attempts: i64,
    pub expires_at: Option<i64>,
    pub urgent: bool,
    pub lease_token: String,
    /// The row was found in `sending` with a lapsed lease: a worker died while sending it.
    pub resumed: bool,
    /// A file sent with the row (a notice's): the body is its caption.
    pub attachment_id: Option<i64>,
}

/// Opens what [`seal_body`] sealed, when the row is anonymous.
fn open_if(anonymous: bool, value: String) -> Result<String> {
    if !anonymous {
        return Ok(value);
    }
    crate::anonymity::open_text(ANONYMOUS_PURPOSE, &value).ok_or_else(|| {
        super::StoreError::Corrupt("an anonymous reply does not open with this key".into())
    })
}

/// A row as the claim reads it ([`claim_sql`]).
#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    channel: String,
    address: Option<String>,
    member_id: Option<i64>,
    body: String,
    choices: String,
    attempts: i64,
    expires_at: Option<i64>,
    urgent: i64,
    status: String,
    anonymous: i64,
    attachment_id: Option<i64>,
}

fn claimed_from_row(row: &AnyRow, token: &str) -> Result<Claimed> {
    let r = super::read_row::<ClaimRow>("outbox", row)?;
    let anonymous = r.anonymous != 0;
    Ok(Claimed {
        id: r.id,
        channel: r.channel,
        address: r.address.unwrap_or_default(),
        member_id: r.member_id,
        body: open_if(anonymous, r.body)?,
        choices_json: open_if(anonymous, r.choices)?,
        attempts: r.attempts + 1,
        expires_at: r.expires_at,
        urgent: r.urgent != 0,
        lease_token: token.to_owned(),
        resumed: r.status == "sending",
        attachment_id: r.attachment_id,
    })
}

/// Claims up to `limit` due rows of a channel (and of one address, for the console) for
/// `lease_ms`. Rows whose lease lapsed (their worker died mid-send) are claimed again. In
/// `quiet` hours only urgent rows are claimed.
pub async fn claim(
    store: &Store,
    channel: &str,
    limit: i64,
    now: i64,
    lease_ms: i64,
    quiet: bool,
    address: Option<&str>,
) -> Result<Vec<Claimed>> {
    let token = format!("{:016x}", rand::rng().random::<u64>());
    let mut tx = store.begin().await?;
    // Rows whose worker died mid-send (their lease lapsed) first, then due pending rows: each
    // one range of `outbox_due_idx` (status, next_attempt_at), read in due order. (One
    // statement with both in an OR made the planners walk `outbox_address_sent_idx` instead:
    // every message the channel ever sent.)
    let mut rows = sqlx::query(super::sql(claim_sql(store, "sending")))
        .bind(channel)
        .bind(now)
        .bind(limit)
        .bind(i64::from(quiet))
        .bind(address)
        .fetch_all(&mut *tx)
        .await?;
    let left = limit - rows.len() as i64;
    if left > 0 {
        let due = sqlx::query(super::sql(claim_sql(store, "pending")))
            .bind(channel)
            .bind(now)
            .bind(left)
            .bind(i64::from(quiet))
            .bind(address)
            .fetch_all(&mut *tx)
            .await?;
        rows.extend(due);
    }
    let mut claimed = Vec::with_capacity(rows.len());
    for row in &rows {
        match claimed_from_row(row, &token) {
            Ok(c) => claimed.push(c),
            Err(e) => {
                // A row this binary cannot read fails alone; the rest of the batch is sent.
                let id: i64 = row.try_get("id")?;
                tracing::error!(outbox_id = id, error = %e, "outbox row cannot be read; marked failed");
                fail_unreadable(&mut tx, id, &format!("unreadable row: {e}")).await?;
            }
        }
    }
    // One statement for the whole batch.
    for chunk in claimed.chunks(500) {
        let list: Vec<String> = chunk.iter().map(|c| c.id.to_string()).collect();
        let sql = format!(
            "UPDATE outbox SET status = 'sending', lease_until = $1, lease_token = $2, \
             attempts = attempts + 1 WHERE id IN ({})",
            list.join(", ")
        );
        sqlx::query(super::sql(sql))
            .bind(now + lease_ms)
            .bind(&token)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(claimed)
}

/// The claim's read of rows in `status` (`pending`: due; `sending`: lease lapsed) on one
/// channel, in due order. Binds: channel, now, limit, quiet (0/1), address (or NULL).
pub fn claim_sql(store: &Store, status: &str) -> String {
    let due = if status == "sending" {
        "status = 'sending' AND lease_until <= $2"
    } else {
        "status = 'pending' AND next_attempt_at <= $2"
    };
    format!(
        "SELECT id, channel, address, member_id, body, choices, attempts, expires_at, urgent, status, \
         anonymous, attachment_id FROM outbox WHERE channel = $1 AND {due} \
         AND (urgent = 1 OR $4 = 0) AND ($5 IS NULL OR address = $5) \
         ORDER BY next_attempt_at, id LIMIT $3{}",
        store.skip_locked()
    )
}

/// The statement of [`next_due`]: the earliest pending row and the earliest lapsing lease of
/// a channel, each the first entry of its range of `outbox_due_idx`. Binds: channel.
pub const NEXT_DUE_SQL: &str = "SELECT MIN(t) FROM (\
     SELECT MIN(next_attempt_at) AS t FROM outbox WHERE channel = $1 AND status = 'pending' \
     UNION ALL \
     SELECT MIN(lease_until) AS t FROM outbox WHERE channel = $1 AND status = 'sending') due";

/// Makes the rows queued under `keys` carry attachment `attachment_id` (a notice's file, sent
/// with the row's body as its caption).
pub async fn set_attachment(conn: &mut Conn, keys: &[String], attachment_id: i64) -> Result<()> {
    for key in keys {
        sqlx::query("UPDATE outbox SET attachment_id = $1 WHERE dedupe_key = $2")
            .bind(attachment_id)
            .bind(key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The Telegram file_id an attachment was uploaded as, if it was.
pub async fn telegram_file_id(conn: &mut Conn, attachment_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT file_id FROM telegram_files WHERE attachment_id = $1")
            .bind(attachment_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Keeps the file_id Telegram gave an uploaded attachment (the first one stays).
pub async fn put_telegram_file_id(
    conn: &mut Conn,
    attachment_id: i64,
    file_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO telegram_files (attachment_id, file_id, uploaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (attachment_id) DO NOTHING",
    )
    .bind(attachment_id)
    .bind(file_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks a row that cannot be read or rendered as failed, with the reason.
pub async fn fail_unreadable(conn: &mut Conn, id: i64, error: &str) -> Result<()> {
    sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $1, lease_until = NULL, \
         lease_token = NULL WHERE id = $2",
    )
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// How a send attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent {
        provider_id: Option<String>,
    },
    /// Try again at `at` (ms): rate limited or a transient failure.
    Retry {
        at: i64,
        error: String,
    },
    Failed {
        error: String,
    },
    /// The recipient blocked the bot or the chat is gone: never retried.
    Blocked {
        error: String,
    },
    Expired,
}

impl Outcome {
    pub fn status(&self) -> &'static str {
        match self {
            Self::Sent { .. } => "sent",
            Self::Retry { .. } => "pending",
            Self::Failed { .. } => "failed",
            Self::Blocked { .. } => "blocked",
            Self::Expired => "expired",
        }
    }
}

/// Records an attempt's outcome, only if the lease token still matches (a newer attempt by
/// another worker wins). Returns whether the row was updated. Rows with no member behind them
/// (replies to unbound chats) lose their address once final.
pub async fn complete(
    conn: &mut Conn,
    id: i64,
    token: &str,
    outcome: &Outcome,
    now: i64,
) -> Result<bool> {
    let (provider_id, error, next_at, sent_at) = match outcome {
        Outcome::Sent { provider_id } => (provider_id.clone(), None, None, Some(now)),
        Outcome::Retry { at, error } => (None, Some(error.clone()), Some(*at), None),
        Outcome::Failed { error } | Outcome::Blocked { error } => {
            (None, Some(error.clone()), None, None)
        }
        Outcome::Expired => (None, None, None, None),
    };
    // Anonymous replies, once final, also lose the provider's message id (a per-chat sequence
    // that would place them among the chat's other messages) and every time finer than the day.
    let done = sqlx::query(
        "UPDATE outbox SET status = $1, provider_id = CASE WHEN anonymous = 1 THEN NULL \
         ELSE COALESCE($2, provider_id) END, last_error = $3, lease_until = NULL, lease_token = NULL, \
         address = CASE WHEN member_id IS NULL AND $1 <> 'pending' THEN NULL ELSE address END, \
         body = CASE WHEN anonymous = 1 AND $1 <> 'pending' THEN '' ELSE body END, \
         choices = CASE WHEN anonymous = 1 AND $1 <> 'pending' THEN '[]' ELSE choices END, \
         created_at = CASE WHEN anonymous = 1 AND $1 <> 'pending' THEN $8 ELSE created_at END, \
         next_attempt_at = CASE WHEN anonymous = 1 AND $1 <> 'pending' THEN $8 \
           ELSE COALESCE($4, next_attempt_at) END, \
         sent_at = CASE WHEN anonymous = 1 THEN (CASE WHEN $5 IS NULL THEN NULL ELSE $8 END) ELSE $5 END \
         WHERE id = $6 AND lease_token = $7",
    )
    .bind(outcome.status())
    .bind(provider_id)
    .bind(error)
    .bind(next_at)
    .bind(sent_at)
    .bind(id)
    .bind(token)
    .bind(day_floor(now))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The earliest instant (ms) at which a row of the channel becomes due, if any.
pub async fn next_due(conn: &mut Conn, channel: &str) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(NEXT_DUE_SQL)
        .bind(channel)
        .fetch_one(conn)
        .await?)
}

/// Counts of rows per (channel, status).
pub async fn counts(conn: &mut Conn) -> Result<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT channel, status, COUNT(*) FROM outbox GROUP BY channel, status ORDER BY channel, status",
    )
    .fetch_all(conn)
    .await?)
}

/// Puts a claimed row back to `pending` until `at` (ms) without counting an attempt: its
/// recipient was busy, or the worker is stopping.
pub async fn defer(conn: &mut Conn, id: i64, token: &str, at: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = attempts - 1, \
         lease_until = NULL, lease_token = NULL WHERE id = $2 AND lease_token = $3",
    )
    .bind(at)
    .bind(id)
    .bind(token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a claimed row back after the platform answered 429, counting it, without counting an
/// attempt.
pub async fn rate_limited(
    conn: &mut Conn,
    id: i64,
    token: &str,
    at: i64,
    error: &str,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'pending', next_attempt_at = $1, attempts = attempts - 1, \
         rate_limited = rate_limited + 1, last_error = $2, lease_until = NULL, lease_token = NULL \
         WHERE id = $3 AND lease_token = $4",
    )
    .bind(at)
    .bind(error)
    .bind(id)
    .bind(token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Figures for `branchbot status` and `/metrics`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// (channel, status, count)
    pub by_status: Vec<(String, String, i64)>,
    /// (channel, age in ms of the oldest row still pending or sending)
    pub oldest_pending: Vec<(String, i64)>,
    pub sent_last_minute: i64,
    pub sent_last_hour: i64,
    pub rate_limited_total: i64,
}

/// Gathers the outbox figures at `now` (ms).
pub async fn figures(conn: &mut Conn, now: i64) -> Result<Figures> {
    let by_status = counts(&mut *conn).await?;
    let oldest_pending: Vec<(String, i64)> = sqlx::query_as(
        "SELECT channel, $1 - MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending') \
         GROUP BY channel ORDER BY channel",
    )
    .bind(now)
    .fetch_all(&mut *conn)
    .await?;
    let (minute, hour, limited): (i64, i64, i64) = sqlx::query_as(
        "SELECT \
           (SELECT COUNT(*) FROM outbox WHERE sent_at >= $1), \
           (SELECT COUNT(*) FROM outbox WHERE sent_at >= $2), \
           (SELECT CAST(COALESCE(SUM(rate_limited), 0) AS BIGINT) FROM outbox)",
    )
    .bind(now - 60_000)
    .bind(now - 3_600_000)
    .fetch_one(conn)
    .await?;
    Ok(Figures {
        by_status,
        oldest_pending,
        sent_last_minute: minute,
        sent_last_hour: hour,
        rate_limited_total: limited,
    })
}

/// Extends the lease of every row still held under `token` to `until` (ms).
pub async fn renew(conn: &mut Conn, token: &str, until: i64) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET lease_until = $1 WHERE lease_token = $2 AND status = 'sending'",
    )
    .bind(until)
    .bind(token)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
