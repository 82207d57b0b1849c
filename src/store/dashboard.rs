//! The web dashboard's one-time login links and sessions, and the per-branch notice figures
//! its pages show. Tokens are random and only their SHA-256 is stored, so a copy of the
//! database opens no dashboard.

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::{Conn, Result};

/// A login link lasts ten minutes.
pub const LINK_TTL_MS: i64 = 10 * 60 * 1000;

/// A fresh token: 256 random bits, URL-safe base64 without padding (43 characters).
pub fn new_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// What is stored of a token: its SHA-256, in hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether a text could be a token at all (checked before touching the database).
pub fn looks_like_token(text: &str) -> bool {
    (20..=100).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Stores a new login link for a member; returns the token to put in the link.
pub async fn create_link(conn: &mut Conn, member_id: i64, now: i64) -> Result<String> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO dashboard_links (token_hash, member_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(member_id)
    .bind(now)
    .bind(now + LINK_TTL_MS)
    .execute(conn)
    .await?;
    Ok(token)
}

/// Uses a link: marks it used and returns its member, once, while it has not expired. A
/// reused, expired or unknown link gives None.
pub async fn use_link(conn: &mut Conn, token: &str, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "UPDATE dashboard_links SET used_at = $2 \
         WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING member_id",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Opens a session for a member; returns the token for the cookie.
pub async fn create_session(
    conn: &mut Conn,
    member_id: i64,
    now: i64,
    expires_at: i64,
) -> Result<String> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO dashboard_sessions (token_hash, member_id, created_at, expires_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash(&token))
    .bind(member_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(token)
}

/// The member of a live session.
pub async fn session_member(conn: &mut Conn, token: &str, now: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT member_id FROM dashboard_sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now)
    .fetch_optional(conn)
    .await?)
}

/// Ends a session (logging out). Returns whether there was one.
pub async fn end_session(conn: &mut Conn, token: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM dashboard_sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Deletes expired links (used or not) and expired sessions: `(links, sessions)`.
pub async fn prune(conn: &mut Conn, now: i64) -> Result<(u64, u64)> {
    let links = sqlx::query("DELETE FROM dashboard_links WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    let sessions = sqlx::query("DELETE FROM dashboard_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok((links, sessions))
}

/// A notice as one branch received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchNotice {
    pub id: i64,
    pub body: String,
    pub created_at: i64,
    /// Whether it asked for a confirmation (收到请回复).
    pub confirm: bool,
    /// Recipients in the branch.
    pub recipients: i64,
    /// Of them, how many confirmed.
    pub confirmed: i64,
}

/// The notices sent in `[from, to)` that reached members of a branch, newest first, with the
/// branch's share of recipients and confirmations.
pub async fn branch_notices(
    conn: &mut Conn,
    branch_id: i64,
    from: i64,
    to: i64,
) -> Result<Vec<BranchNotice>> {
    let rows: Vec<BranchNoticeRow> = sqlx::query_as(
        "SELECT n.id, n.body, n.created_at, n.confirm, CAST(COUNT(*) AS BIGINT) AS recipients, \
         CAST(COALESCE(SUM(CASE WHEN r.confirmed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS confirmed \
         FROM notices n JOIN notice_recipients r ON r.notice_id = n.id \
         JOIN members m ON m.id = r.member_id \
         WHERE m.branch_id = $1 AND n.created_at >= $2 AND n.created_at < $3 \
         GROUP BY n.id, n.body, n.created_at, n.confirm ORDER BY n.created_at DESC, n.id DESC",
    )
    .bind(branch_id)
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BranchNotice {
            id: r.id,
            body: r.body,
            created_at: r.created_at,
            confirm: r.confirm != 0,
            recipients: r.recipients,
            confirmed: r.confirmed,
        })
        .collect())
}

/// A row of [`branch_notices`] as read.
#[derive(sqlx::FromRow)]
struct BranchNoticeRow {
    id: i64,
    body: String,
    created_at: i64,
    confirm: i64,
    recipients: i64,
    confirmed: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_url_safe_and_only_their_hash_is_kept() {
        let a = new_token();
        let b = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(looks_like_token(&a));
        assert!(!looks_like_token("short"));
        assert!(!looks_like_token(
            "../../etc/passwd-and-some-more-characters"
        ));
        let h = token_hash(&a);
        assert_eq!(h.len(), 64);
        assert!(!h.contains(&a));
        assert_eq!(h, token_hash(&a));
    }
}
