//! The rotating sign-in code's per-meeting secrets and the sign-in screen's one-time links and
//! sessions (`meeting_signin_secrets`, `meeting_screens`, migration 0022). Tokens are made and
//! hashed as the dashboard's are ([`crate::store::dashboard::new_token`]): only the SHA-256 is kept.

use sqlx::Row;

use crate::store::dashboard::{new_token, token_hash};
use crate::store::{Conn, Result};

/// A screen link lasts ten minutes, as a dashboard link does.
pub const LINK_TTL_MS: i64 = crate::store::dashboard::LINK_TTL_MS;

/// The meeting's secret, made (32 random bytes) the first time it is asked for.
pub async fn secret(conn: &mut Conn, meeting_id: i64, now: i64) -> Result<Vec<u8>> {
    let fresh = hex::encode(rand::random::<[u8; 32]>());
    sqlx::query(
        "INSERT INTO meeting_signin_secrets (meeting_id, secret, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (meeting_id) DO NOTHING",
    )
    .bind(meeting_id)
    .bind(&fresh)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let stored: String =
        sqlx::query_scalar("SELECT secret FROM meeting_signin_secrets WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_one(conn)
            .await?;
    hex::decode(&stored).map_err(|_| {
        crate::store::StoreError::Corrupt(format!(
            "meeting {meeting_id}: sign-in secret is not hex"
        ))
    })
}

/// The secrets of the meetings not cancelled whose sign-in window holds `now` (from `opens_ms`
/// before the start to the end): `(meeting id, secret)`.
pub async fn open_secrets(conn: &mut Conn, now: i64, opens_ms: i64) -> Result<Vec<(i64, Vec<u8>)>> {
    let rows = sqlx::query(
        "SELECT s.meeting_id, s.secret FROM meeting_signin_secrets s \
         JOIN meetings mt ON mt.id = s.meeting_id \
         WHERE mt.status = 'scheduled' AND mt.starts_at - $2 <= $1 AND mt.ends_at > $1 \
         ORDER BY mt.starts_at, mt.id",
    )
    .bind(now)
    .bind(opens_ms)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::new();
    for r in rows {
        let id: i64 = r.try_get("meeting_id")?;
        let secret: String = r.try_get("secret")?;
        let secret = hex::decode(&secret).map_err(|_| {
            crate::store::StoreError::Corrupt(format!("meeting {id}: sign-in secret is not hex"))
        })?;
        out.push((id, secret));
    }
    Ok(out)
}

/// A one-time link to a meeting's sign-in screen, for the member who asked; returns its token.
pub async fn create_link(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: Option<i64>,
    now: i64,
) -> Result<String> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO meeting_screens (token_hash, kind, meeting_id, member_id, created_at, expires_at) \
         VALUES ($1, 'link', $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(meeting_id)
    .bind(member_id)
    .bind(now)
    .bind(now + LINK_TTL_MS)
    .execute(conn)
    .await?;
    Ok(token)
}

/// Uses a link once: marks it used and returns `(meeting id, member id)` while it has not
/// expired. A reused, expired or unknown link gives None.
pub async fn use_link(
    conn: &mut Conn,
    token: &str,
    now: i64,
) -> Result<Option<(i64, Option<i64>)>> {
    let row = sqlx::query(
        "UPDATE meeting_screens SET used_at = $2 WHERE token_hash = $1 AND kind = 'link' \
         AND used_at IS NULL AND expires_at > $2 RETURNING meeting_id, member_id",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("meeting_id")?, r.try_get("member_id")?)))
        .transpose()
}

/// Opens a screen session for a meeting until `expires_at`; returns the cookie's token.
pub async fn create_session(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: Option<i64>,
    now: i64,
    expires_at: i64,
) -> Result<String> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO meeting_screens (token_hash, kind, meeting_id, member_id, created_at, expires_at) \
         VALUES ($1, 'session', $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(meeting_id)
    .bind(member_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(token)
}

/// The meeting of a live screen session.
pub async fn session_meeting(conn: &mut Conn, token: &str, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT meeting_id FROM meeting_screens WHERE token_hash = $1 AND kind = 'session' \
         AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Deletes expired links and sessions; returns how many.
pub async fn prune(conn: &mut Conn, now: i64) -> Result<u64> {
    Ok(
        sqlx::query("DELETE FROM meeting_screens WHERE expires_at <= $1")
            .bind(now)
            .execute(conn)
            .await?
            .rows_affected(),
    )
}
