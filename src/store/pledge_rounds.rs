//! What the platform reads of pledge check-ins without knowing the feature: a branch's latest
//! round and whether a member was asked in one (a file sent in chat may be attached to the
//! member's current check-in, `files`). The feature's own SQL is in `pledges::store`,
//! which re-exports these two.

use sqlx::Row;

use super::{Conn, Result};

/// A branch's latest round: (id, started at).
pub async fn latest_round(conn: &mut Conn, branch_id: i64) -> Result<Option<(i64, i64)>> {
    let row = sqlx::query(
        "SELECT id, started_at FROM pledge_rounds WHERE branch_id = $1 \
         ORDER BY started_at DESC LIMIT 1",
    )
    .bind(branch_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get(0)?, r.try_get(1)?))).transpose()
}

/// The version a member was asked about in a round, if they were.
pub async fn asked_version(conn: &mut Conn, round_id: i64, member_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT version_id FROM pledge_round_members WHERE round_id = $1 AND member_id = $2",
    )
    .bind(round_id)
    .bind(member_id)
    .fetch_optional(conn)
    .await?)
}
