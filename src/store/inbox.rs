//! The inbox: every inbound update, stored before it is acknowledged and processed once.
//! Payloads are stored sealed under the anonymity key (padded to 1 KiB blocks): what someone
//! wrote is never in the clear on disk, not even in a dead row version on PostgreSQL or a free
//! page on SQLite, while it waits to be processed (docs/PRIVACY.md).

use super::{Conn, Result, Store};

/// The purpose payloads are sealed for.
const PURPOSE: &str = "inbox-payload";

/// A stored payload opened (one stored in the clear before sealing began is read as is).
fn open(payload: Option<String>) -> Option<String> {
    payload.and_then(|p| crate::anonymity::open_text(PURPOSE, &p))
}

/// Stores an update unless one with the same (channel, external id) exists. Returns the new
/// row's id, or None for a duplicate.
///
/// The statement runs to its end (`fetch_all`): on a connection outside a transaction the
/// commit happens when SQLite steps past the last row, and stopping at the first row
/// (`fetch_optional`) would drop a commit that failed (a full disk) and report a row that was
/// never stored.
pub async fn insert(
    conn: &mut Conn,
    channel: &str,
    external_id: &str,
    payload: &str,
    now: i64,
) -> Result<Option<i64>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "INSERT INTO inbox (channel, external_id, payload, status, received_at) \
         VALUES ($1, $2, $3, 'pending', $4) \
         ON CONFLICT (channel, external_id) DO NOTHING RETURNING id",
    )
    .bind(channel)
    .bind(external_id)
    .bind(crate::anonymity::seal_text(PURPOSE, payload, 1024))
    .bind(now)
    .fetch_all(conn)
    .await?;
    Ok(ids.into_iter().next())
}

/// One pending update, claimed inside the caller's transaction.
#[derive(Debug, Clone)]
pub struct Pending {
    pub id: i64,
    pub channel: String,
    pub external_id: String,
    pub payload: String,
    /// Whether anyone was rating anything (a feedback session live) when the update was
    /// claimed, read in the same statement: when nobody is, the feedback lookups are skipped.
    pub rating_live: bool,
}

/// Ids of pending updates, oldest first.
pub async fn pending_ids(conn: &mut Conn, limit: i64) -> Result<Vec<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM inbox WHERE status = 'pending' ORDER BY id LIMIT $1")
            .bind(limit)
            .fetch_all(conn)
            .await?,
    )
}

/// An update's content, opened (None when erased or unreadable).
pub async fn payload(conn: &mut Conn, id: i64) -> Result<Option<String>> {
    let stored: Option<Option<String>> =
        sqlx::query_scalar("SELECT payload FROM inbox WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(open(stored.flatten()))
}

/// A row as [`claim`] reads it.
#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    channel: String,
    external_id: String,
    payload: Option<String>,
    rating_live: i64,
}

/// The condition "a rating is in progress at `$2`" (of anyone: sessions are keyed by hashes),
/// a cheap check that spares every other update the feedback lookups. The claim reads it in
/// its own statement ([`claim`]), so it costs no statement of its own. The sessions themselves
/// are the feedback feature's (`feedback::store`); this one condition on their table stays
/// here, with the claim that reads it.
const ANY_SESSION_EXISTS: &str = "EXISTS (SELECT 1 FROM feedback_sessions WHERE expires_at > $2)";

/// Locks one pending update for processing (skipped if another replica holds it), and reads
/// in the same statement whether a feedback session is live at `now`
/// ([`ANY_SESSION_EXISTS`]).
pub async fn claim(store: &Store, conn: &mut Conn, id: i64, now: i64) -> Result<Option<Pending>> {
    let sql = format!(
        "SELECT id, channel, external_id, payload, \
         CAST(CASE WHEN {} THEN 1 ELSE 0 END AS BIGINT) AS rating_live \
         FROM inbox WHERE id = $1 AND status = 'pending'{}",
        ANY_SESSION_EXISTS,
        store.skip_locked()
    );
    let row = sqlx::query(super::sql(sql))
        .bind(id)
        .bind(now)
        .fetch_optional(conn)
        .await?;
    row.map(|r| {
        let r = super::read_row::<ClaimRow>("inbox", &r)?;
        Ok(Pending {
            id: r.id,
            channel: r.channel,
            external_id: r.external_id,
            payload: open(r.payload).unwrap_or_default(),
            rating_live: r.rating_live != 0,
        })
    })
    .transpose()
}

/// Closes an update: its payload is erased, only the dedupe key and the outcome remain. A
/// `failed` update keeps its payload, so that an operator can retry it once the cause is
/// fixed ([`retry`]).
pub async fn finish(
    conn: &mut Conn,
    id: i64,
    status: &str,
    error: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE inbox SET status = $1, error = $2, processed_at = $3, \
         payload = CASE WHEN $1 = 'failed' THEN payload ELSE NULL END WHERE id = $4",
    )
    .bind(status)
    .bind(error)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Leaves a processed row of an anonymous exchange no time finer than the (UTC) day: only its
/// dedupe key and outcome say it existed.
pub async fn coarsen_times(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE inbox SET received_at = received_at - (received_at % 86400000), \
         processed_at = processed_at - (processed_at % 86400000) WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Erases an update's content (a failed one that must not be kept for a retry).
pub async fn erase_payload(conn: &mut Conn, id: i64) -> Result<()> {
    sqlx::query("UPDATE inbox SET payload = NULL WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Replaces a pending update's content (sealed as on insert): what fetching its file came to.
pub async fn replace_payload(conn: &mut Conn, id: i64, payload: &str) -> Result<()> {
    sqlx::query("UPDATE inbox SET payload = $1 WHERE id = $2 AND status = 'pending'")
        .bind(crate::anonymity::seal_text(PURPOSE, payload, 1024))
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Counts of inbox rows per status.
pub async fn counts(conn: &mut Conn) -> Result<Vec<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT status, COUNT(*) FROM inbox GROUP BY status ORDER BY status")
            .fetch_all(conn)
            .await?,
    )
}

/// The read of [`pending_lanes`], the inbox processor's claim. Binds: limit.
pub const PENDING_LANES_SQL: &str =
    "SELECT id, channel, payload FROM inbox WHERE status = 'pending' ORDER BY id LIMIT $1";

/// Pending updates, oldest first, with the address each came from (read from the payload), so
/// that updates from one chat can be kept in order while different chats go in parallel.
pub async fn pending_lanes(conn: &mut Conn, limit: i64) -> Result<Vec<(i64, String)>> {
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(PENDING_LANES_SQL)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, channel, payload)| {
            let address = open(payload)
                .as_deref()
                .and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok())
                .and_then(|v| v["inbound"]["address"].as_str().map(str::to_owned))
                .unwrap_or_default();
            (id, format!("{channel}:{address}"))
        })
        .collect())
}

/// An update set aside because processing it failed for good.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failed {
    pub id: i64,
    pub channel: String,
    pub received_at: i64,
    /// When it was set aside (ms).
    pub processed_at: Option<i64>,
    pub error: Option<String>,
}

/// Failed updates, newest first, at most `limit`.
pub async fn failed(conn: &mut Conn, limit: i64) -> Result<Vec<Failed>> {
    type Row = (i64, String, i64, Option<i64>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, channel, received_at, processed_at, error FROM inbox \
         WHERE status = 'failed' ORDER BY id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, channel, received_at, processed_at, error)| Failed {
            id,
            channel,
            received_at,
            processed_at,
            error,
        })
        .collect())
}

/// Why [`retry`] did not put an update back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryRefused {
    /// No inbox row has this id.
    NotFound,
    /// The row is not failed (pending, done or ignored): nothing to retry.
    NotFailed,
    /// The row kept no content (an unknown sender, an anonymous flow, or unreadable): there is
    /// nothing to process again.
    NoPayload,
}

/// Puts a failed update back to `pending`, to be processed again by the running bot.
pub async fn retry(conn: &mut Conn, id: i64) -> Result<std::result::Result<(), RetryRefused>> {
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT status, payload FROM inbox WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match row {
        None => return Ok(Err(RetryRefused::NotFound)),
        Some((status, _)) if status != "failed" => return Ok(Err(RetryRefused::NotFailed)),
        Some((_, None)) => return Ok(Err(RetryRefused::NoPayload)),
        Some(_) => {}
    }
    sqlx::query(
        "UPDATE inbox SET status = 'pending', error = NULL, processed_at = NULL \
         WHERE id = $1 AND status = 'failed'",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(Ok(()))
}
