//! Invite codes: single-use, expiring, stored only as a hash.

use sha2::{Digest, Sha256};

use super::{Conn, Result};

/// Hash of a normalized code.
pub fn hash(code: &str) -> String {
    hex::encode(Sha256::digest(code.as_bytes()))
}

/// Stores a new code for a member, revoking the member's unused earlier codes.
pub async fn create(
    conn: &mut Conn,
    member_id: i64,
    code: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM invites WHERE member_id = $1 AND used_at IS NULL")
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO invites (code_hash, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(hash(code))
        .bind(member_id)
        .bind(now)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// What redeeming a code found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redeem {
    /// Valid: the member it binds; the code is now used.
    Member(i64),
    Unknown,
    Used,
    Expired,
}

/// Redeems a normalized code: marks it used and returns its member when valid.
pub async fn redeem(conn: &mut Conn, code: &str, now: i64) -> Result<Redeem> {
    let row: Option<(i64, i64, Option<i64>)> =
        sqlx::query_as("SELECT member_id, expires_at, used_at FROM invites WHERE code_hash = $1")
            .bind(hash(code))
            .fetch_optional(&mut *conn)
            .await?;
    let Some((member_id, expires_at, used_at)) = row else {
        return Ok(Redeem::Unknown);
    };
    if used_at.is_some() {
        return Ok(Redeem::Used);
    }
    if expires_at <= now {
        return Ok(Redeem::Expired);
    }
    let done =
        sqlx::query("UPDATE invites SET used_at = $1 WHERE code_hash = $2 AND used_at IS NULL")
            .bind(now)
            .bind(hash(code))
            .execute(conn)
            .await?;
    Ok(if done.rows_affected() == 1 {
        Redeem::Member(member_id)
    } else {
        Redeem::Used
    })
}

/// How a chat is kept in `invite_failures`: a SHA-256 hash of its channel and address.
pub fn chat_hash(channel: &str, address: &str) -> String {
    hex::encode(Sha256::digest(
        format!("invite-guard\0{channel}\0{address}").as_bytes(),
    ))
}

/// Wrong codes from one chat since `since` (ms).
pub async fn failures_of_chat(conn: &mut Conn, chat_hash: &str, since: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar(
            "SELECT COUNT(*) FROM invite_failures WHERE chat_hash = $1 AND at >= $2",
        )
        .bind(chat_hash)
        .bind(since)
        .fetch_one(conn)
        .await?,
    )
}

/// Wrong codes from all chats since `since` (ms).
pub async fn failures_since(conn: &mut Conn, since: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM invite_failures WHERE at >= $1")
            .bind(since)
            .fetch_one(conn)
            .await?,
    )
}

/// Records a wrong code from a chat, and forgets failures older than `forget_before` (ms).
pub async fn record_failure(
    conn: &mut Conn,
    chat_hash: &str,
    now: i64,
    forget_before: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM invite_failures WHERE at < $1")
        .bind(forget_before)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO invite_failures (chat_hash, at) VALUES ($1, $2)")
        .bind(chat_hash)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}
