//! Which channel address (a Telegram chat, a phone) belongs to which member.

use super::{Conn, Result};

/// Binds `address` on `channel` to a member, replacing the member's previous address on that
/// channel and whoever held this address before.
pub async fn bind(
    conn: &mut Conn,
    channel: &str,
    address: &str,
    member_id: i64,
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM bindings WHERE channel = $1 AND (address = $2 OR member_id = $3)")
        .bind(channel)
        .bind(address)
        .bind(member_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO bindings (channel, address, member_id, bound_at, unreachable) VALUES ($1, $2, $3, $4, 0)",
    )
    .bind(channel)
    .bind(address)
    .bind(member_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// The member's address on a channel, if bound and reachable.
pub async fn address_of(conn: &mut Conn, member_id: i64, channel: &str) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT address FROM bindings WHERE member_id = $1 AND channel = $2 AND unreachable = 0",
    )
    .bind(member_id)
    .bind(channel)
    .fetch_optional(conn)
    .await?)
}

/// Marks an address unreachable (the platform said the bot was blocked or the chat is gone).
pub async fn mark_unreachable(conn: &mut Conn, channel: &str, address: &str) -> Result<()> {
    sqlx::query("UPDATE bindings SET unreachable = 1 WHERE channel = $1 AND address = $2")
        .bind(channel)
        .bind(address)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks an address reachable again (the member wrote to the bot).
pub async fn mark_reachable(conn: &mut Conn, channel: &str, address: &str) -> Result<()> {
    sqlx::query("UPDATE bindings SET unreachable = 0 WHERE channel = $1 AND address = $2 AND unreachable = 1")
        .bind(channel)
        .bind(address)
        .execute(conn)
        .await?;
    Ok(())
}
