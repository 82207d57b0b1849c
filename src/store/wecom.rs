//! What the WeCom channel keeps: members' userids (the roster's `wecom` column, or the key
//! with `wecom.userid_is_key`) turned into `wecom` bindings, members' channel order, the
//! app's shared access_token, and what a userid was sent lately (for WeCom's per-member
//! limits).

use super::{members, Conn, Result};
use crate::domain::org::Member;

/// The channel's name in bindings, the inbox and the outbox.
pub const CHANNEL: &str = "wecom";

/// The userid a member is reached at, as SQL over `members m`: the roster's column, else the
/// key when userids are keys (`$1` = 1).
const USERID: &str = "COALESCE(m.wecom, CASE WHEN $1 = 1 THEN m.key END)";

/// The active member whose WeCom userid this is (case-insensitively).
pub async fn member_by_userid(
    conn: &mut Conn,
    userid: &str,
    userid_is_key: bool,
) -> Result<Option<Member>> {
    let sql = format!(
        "SELECT m.id FROM members m WHERE m.active = 1 AND LOWER({USERID}) = LOWER($2) \
         ORDER BY (m.wecom IS NULL), m.id LIMIT 1"
    );
    let id: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(i64::from(userid_is_key))
        .bind(userid)
        .fetch_optional(&mut *conn)
        .await?;
    match id {
        Some(id) => members::by_id(conn, id).await,
        None => Ok(None),
    }
}

/// Brings the `wecom` bindings in line with the roster: a binding whose member left, or whose
/// userid is no longer the member's, is dropped; an active member with a userid and no binding
/// gets one (reachable). A binding marked unreachable for the same userid stays so.
pub async fn sync_bindings(conn: &mut Conn, userid_is_key: bool, now: i64) -> Result<u64> {
    let stale = format!(
        "DELETE FROM bindings WHERE channel = 'wecom' AND NOT EXISTS ( \
           SELECT 1 FROM members m WHERE m.id = bindings.member_id AND m.active = 1 \
           AND LOWER({USERID}) = LOWER(bindings.address))"
    );
    let dropped = sqlx::query(sqlx::AssertSqlSafe(stale))
        .bind(i64::from(userid_is_key))
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let fresh = format!(
        "INSERT INTO bindings (channel, address, member_id, bound_at, unreachable) \
         SELECT 'wecom', {USERID}, m.id, $2, 0 FROM members m \
         WHERE m.active = 1 AND {USERID} IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM bindings b WHERE b.channel = 'wecom' \
           AND (b.member_id = m.id OR LOWER(b.address) = LOWER({USERID})))"
    );
    let added = sqlx::query(sqlx::AssertSqlSafe(fresh))
        .bind(i64::from(userid_is_key))
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(dropped + added)
}

/// Drops every `wecom` binding (WeCom is not connected, so nothing may be routed there).
pub async fn drop_bindings(conn: &mut Conn) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM bindings WHERE channel = 'wecom'")
        .execute(conn)
        .await?
        .rows_affected())
}

/// Marks a userid unreachable (the member left the app or the organisation), creating the
/// binding if there was none, so routing falls back to another channel.
pub async fn mark_unreachable(conn: &mut Conn, userid: &str) -> Result<()> {
    sqlx::query(
        "UPDATE bindings SET unreachable = 1 WHERE channel = 'wecom' AND LOWER(address) = LOWER($1)",
    )
    .bind(userid)
    .execute(conn)
    .await?;
    Ok(())
}

/// A member's channel order as stored: the order set by `branchbot prefer`, else the older
/// `channel_pref` (`telegram`, `sms` or `both`).
pub async fn preference(conn: &mut Conn, member_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT COALESCE(channel_order, channel_pref) FROM members WHERE id = $1",
    )
    .bind(member_id)
    .fetch_optional(conn)
    .await?)
}

/// Sets a member's channel order. The values the older column knows (`telegram`, `sms`,
/// `both`) are kept there, so an older binary reads the same preference.
pub async fn set_preference(
    conn: &mut Conn,
    member_id: i64,
    order: &str,
    now: i64,
) -> Result<bool> {
    let legacy = matches!(order, "telegram" | "sms" | "both");
    let done = sqlx::query(
        "UPDATE members SET channel_pref = $1, channel_order = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(if legacy { order } else { "both" })
    .bind((!legacy).then_some(order))
    .bind(now)
    .bind(member_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// What one userid was sent since `since` (Unix ms): (outbox id, sent at, API messages).
pub async fn sent_to_since(
    conn: &mut Conn,
    userid: &str,
    since: i64,
) -> Result<Vec<(i64, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, sent_at, segments FROM outbox WHERE channel = 'wecom' AND address = $1 \
         AND status = 'sent' AND sent_at >= $2 ORDER BY sent_at",
    )
    .bind(userid)
    .bind(since)
    .fetch_all(conn)
    .await?)
}

/// API messages the app sent in `[start, end)`, and the outbox ids they came from.
pub async fn sent_by_app(conn: &mut Conn, start: i64, end: i64) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, segments FROM outbox WHERE channel = 'wecom' AND status = 'sent' \
         AND sent_at >= $1 AND sent_at < $2",
    )
    .bind(start)
    .bind(end)
    .fetch_all(conn)
    .await?)
}

/// Active members, for the default daily cap (200 a day each).
pub async fn active_members(conn: &mut Conn) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE active = 1")
            .fetch_one(conn)
            .await?,
    )
}

/// The body and choices of an outbox row sent to `userid` (a card's task id names its row).
pub async fn sent_row(
    conn: &mut Conn,
    outbox_id: i64,
    userid: &str,
) -> Result<Option<(Option<i64>, String)>> {
    Ok(sqlx::query_as(
        "SELECT member_id, choices FROM outbox WHERE id = $1 AND channel = 'wecom' \
         AND LOWER(address) = LOWER($2)",
    )
    .bind(outbox_id)
    .bind(userid)
    .fetch_optional(conn)
    .await?)
}

/// A cached access_token.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Token {
    pub token: String,
    pub expires_at: i64,
    pub lease_until: i64,
}

/// The app's token row (created empty when missing).
pub async fn token(conn: &mut Conn, app: &str) -> Result<Token> {
    sqlx::query("INSERT INTO wecom_tokens (app) VALUES ($1) ON CONFLICT (app) DO NOTHING")
        .bind(app)
        .execute(&mut *conn)
        .await?;
    Ok(
        sqlx::query_as("SELECT token, expires_at, lease_until FROM wecom_tokens WHERE app = $1")
            .bind(app)
            .fetch_one(conn)
            .await?,
    )
}

/// Takes the right to fetch a new token until `until`, if nobody holds it and no token valid
/// past `valid_after` is stored (another replica may have stored one since it was read). One
/// replica wins.
pub async fn take_token_lease(
    conn: &mut Conn,
    app: &str,
    owner: &str,
    now: i64,
    until: i64,
    valid_after: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE wecom_tokens SET lease_until = $1, lease_owner = $2 WHERE app = $3 \
         AND lease_until <= $4 AND (token = '' OR expires_at <= $5)",
    )
    .bind(until)
    .bind(owner)
    .bind(app)
    .bind(now)
    .bind(valid_after)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a fresh token and gives the lease back.
pub async fn store_token(conn: &mut Conn, app: &str, token: &str, expires_at: i64) -> Result<()> {
    sqlx::query(
        "UPDATE wecom_tokens SET token = $1, expires_at = $2, lease_until = 0, lease_owner = '' WHERE app = $3",
    )
    .bind(token)
    .bind(expires_at)
    .bind(app)
    .execute(conn)
    .await?;
    Ok(())
}

/// Gives the lease back without a token (gettoken failed).
pub async fn release_token_lease(conn: &mut Conn, app: &str, owner: &str) -> Result<()> {
    sqlx::query(
        "UPDATE wecom_tokens SET lease_until = 0, lease_owner = '' WHERE app = $1 AND lease_owner = $2",
    )
    .bind(app)
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a token WeCom called expired or invalid (only that one: another replica may have
/// stored a newer one already).
pub async fn discard_token(conn: &mut Conn, app: &str, token: &str) -> Result<()> {
    sqlx::query("UPDATE wecom_tokens SET expires_at = 0 WHERE app = $1 AND token = $2")
        .bind(app)
        .bind(token)
        .execute(conn)
        .await?;
    Ok(())
}

/// The media_id attachment `attachment_id` was uploaded to WeCom as, if it was uploaded at or
/// after `since` (Unix ms): WeCom forgets a media_id after three days.
pub async fn media_id(conn: &mut Conn, attachment_id: i64, since: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT media_id FROM wecom_media WHERE attachment_id = $1 AND uploaded_at >= $2",
    )
    .bind(attachment_id)
    .bind(since)
    .fetch_optional(conn)
    .await?)
}

/// Keeps the media_id of an upload (replacing an older one).
pub async fn put_media_id(
    conn: &mut Conn,
    attachment_id: i64,
    media_id: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO wecom_media (attachment_id, media_id, uploaded_at) VALUES ($1, $2, $3) \
         ON CONFLICT (attachment_id) DO UPDATE SET media_id = $2, uploaded_at = $3",
    )
    .bind(attachment_id)
    .bind(media_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets a media_id WeCom no longer knows.
pub async fn forget_media_id(conn: &mut Conn, attachment_id: i64, media_id: &str) -> Result<()> {
    sqlx::query("DELETE FROM wecom_media WHERE attachment_id = $1 AND media_id = $2")
        .bind(attachment_id)
        .bind(media_id)
        .execute(conn)
        .await?;
    Ok(())
}
