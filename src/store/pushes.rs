//! Re-nudge plans of notices, and the pushes the daily push budget held for the digest
//! (migration 0023). A held push stays an outbox row (`held`, then `digested` once a digest
//! carried it), with a `push_holds` row saying when and which digest: nothing is kept in
//! memory, so a restart loses nothing.

use super::{Conn, Result};
use crate::domain::pushes::NudgePlan;

/// Stores a notice's re-nudge plan.
pub async fn save_plan(conn: &mut Conn, notice: i64, plan: &NudgePlan) -> Result<()> {
    sqlx::query(
        "INSERT INTO notice_nudge_plans (notice_id, interval_minutes, nudges, sms_from) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(notice)
    .bind(plan.interval_minutes)
    .bind(plan.nudges)
    .bind(plan.sms_from)
    .execute(conn)
    .await?;
    Ok(())
}

/// A notice's plan and how many of its nudges have run.
pub async fn plan(conn: &mut Conn, notice: i64) -> Result<Option<(NudgePlan, i64)>> {
    let row: Option<(i64, i64, Option<i64>, i64)> = sqlx::query_as(
        "SELECT interval_minutes, nudges, sms_from, done FROM notice_nudge_plans \
         WHERE notice_id = $1",
    )
    .bind(notice)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(interval_minutes, nudges, sms_from, done)| {
        (
            NudgePlan {
                interval_minutes,
                nudges,
                sms_from,
            },
            done,
        )
    }))
}

/// Records that nudge `k` ran.
pub async fn set_done(conn: &mut Conn, notice: i64, k: i64) -> Result<()> {
    sqlx::query("UPDATE notice_nudge_plans SET done = $2 WHERE notice_id = $1 AND done < $2")
        .bind(notice)
        .bind(k)
        .execute(conn)
        .await?;
    Ok(())
}

/// The dedupe keys of outbox rows, by id.
pub async fn dedupe_keys(conn: &mut Conn, ids: &[i64]) -> Result<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT id, dedupe_key FROM outbox WHERE id IN ({})",
        id_list(ids)
    );
    Ok(sqlx::query_as(super::sql(sql)).fetch_all(conn).await?)
}

fn id_list(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Locks members' rows, in id order, until the transaction ends (PostgreSQL; SQLite's write
/// lock already serializes), so two channels' workers count one member's budget one after
/// the other.
pub async fn lock_members(conn: &mut Conn, ids: &[i64]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let sql = format!(
        "SELECT id FROM members WHERE id IN ({}) ORDER BY id FOR UPDATE",
        id_list(ids)
    );
    sqlx::query(super::sql(sql)).fetch_all(conn).await?;
    Ok(())
}

/// The non-urgent pushes that count against each member's budget since `from` (ms): sent
/// since then, or being sent now by a claim other than `token`. Digests do not count. Members
/// with none are left out.
pub async fn counted_since(
    conn: &mut Conn,
    ids: &[i64],
    from: i64,
    token: &str,
) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT member_id, COUNT(*) FROM outbox WHERE member_id IN ({}) AND urgent = 0 \
         AND dedupe_key NOT LIKE 'digest:%' \
         AND ((status = 'sent' AND sent_at >= $1) \
              OR (status = 'sending' AND lease_token <> $2)) \
         GROUP BY member_id",
        id_list(ids)
    );
    Ok(sqlx::query_as(super::sql(sql))
        .bind(from)
        .bind(token)
        .fetch_all(conn)
        .await?)
}

/// Holds a claimed row for the digest (only under the claim's token).
pub async fn hold(conn: &mut Conn, id: i64, member: i64, token: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'held', lease_until = NULL, lease_token = NULL \
         WHERE id = $1 AND lease_token = $2 AND status = 'sending'",
    )
    .bind(id)
    .bind(token)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if done == 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO push_holds (outbox_id, member_id, held_at) VALUES ($1, $2, $3) \
         ON CONFLICT (outbox_id) DO NOTHING",
    )
    .bind(id)
    .bind(member)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// A held push, as the digest reads it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Held {
    #[sqlx(rename = "id")]
    pub outbox_id: i64,
    pub body: String,
    #[sqlx(rename = "choices")]
    pub choices_json: String,
    pub expires_at: Option<i64>,
}

/// Members with held pushes, by id.
pub async fn members_with_held(conn: &mut Conn) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT h.member_id FROM push_holds h JOIN outbox o ON o.id = h.outbox_id \
         WHERE o.status = 'held' ORDER BY h.member_id",
    )
    .fetch_all(conn)
    .await?)
}

/// A member's held pushes, oldest first.
pub async fn held_for(conn: &mut Conn, member: i64) -> Result<Vec<Held>> {
    Ok(sqlx::query_as(
        "SELECT o.id, o.body, o.choices, o.expires_at FROM push_holds h \
         JOIN outbox o ON o.id = h.outbox_id \
         WHERE h.member_id = $1 AND o.status = 'held' ORDER BY o.id",
    )
    .bind(member)
    .fetch_all(conn)
    .await?)
}

/// Marks held rows as carried by the digest `key` (or, with `status` `expired`, as past
/// their expiry: they are dropped from the digest).
pub async fn settle(
    conn: &mut Conn,
    ids: &[i64],
    status: &str,
    key: Option<&str>,
    now: i64,
) -> Result<()> {
    for id in ids {
        sqlx::query("UPDATE outbox SET status = $2 WHERE id = $1 AND status = 'held'")
            .bind(id)
            .bind(status)
            .execute(&mut *conn)
            .await?;
        sqlx::query("UPDATE push_holds SET digest_key = $2, digested_at = $3 WHERE outbox_id = $1")
            .bind(id)
            .bind(key)
            .bind(now)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// One push to a member in a report: who, when (ms), and whether it was held for a digest
/// (`held`) or sent on its own or as a digest (`sent`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRow {
    pub member_id: i64,
    pub at: i64,
    pub held: bool,
    pub digest: bool,
}

/// The pushes of `[from, to)`: every message sent to a member that was not a reply to what
/// they wrote (replies are keyed `reply:`), with digests marked, and every push held.
pub async fn between(conn: &mut Conn, from: i64, to: i64) -> Result<Vec<PushRow>> {
    let sent: Vec<(i64, i64, String)> = sqlx::query_as(
        "SELECT member_id, sent_at, dedupe_key FROM outbox \
         WHERE status = 'sent' AND member_id IS NOT NULL AND sent_at >= $1 AND sent_at < $2 \
         AND dedupe_key NOT LIKE 'reply:%' AND dedupe_key NOT LIKE 'anon:%' ORDER BY sent_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let held: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT member_id, held_at FROM push_holds WHERE held_at >= $1 AND held_at < $2 \
         ORDER BY held_at",
    )
    .bind(from)
    .bind(to)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<PushRow> = sent
        .into_iter()
        .map(|(member_id, at, key)| PushRow {
            member_id,
            at,
            held: false,
            digest: key.starts_with(crate::domain::pushes::DIGEST_PREFIX),
        })
        .collect();
    out.extend(held.into_iter().map(|(member_id, at)| PushRow {
        member_id,
        at,
        held: true,
        digest: false,
    }));
    Ok(out)
}
