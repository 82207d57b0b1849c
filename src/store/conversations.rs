//! Conversation state per member and channel.

use super::{Conn, Result};

/// The stored state and last offered choices (both JSON), if any.
pub async fn load(
    conn: &mut Conn,
    member_id: i64,
    channel: &str,
) -> Result<Option<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT state, choices FROM conversations WHERE member_id = $1 AND channel = $2",
    )
    .bind(member_id)
    .bind(channel)
    .fetch_optional(conn)
    .await?)
}

/// Saves the state and offered choices.
pub async fn save(
    conn: &mut Conn,
    member_id: i64,
    channel: &str,
    state: &str,
    choices: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO conversations (member_id, channel, state, choices, updated_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (member_id, channel) DO UPDATE SET state = excluded.state, choices = excluded.choices, \
         updated_at = excluded.updated_at",
    )
    .bind(member_id)
    .bind(channel)
    .bind(state)
    .bind(choices)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
