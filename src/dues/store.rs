//! 党费's SQL, one text for SQLite and PostgreSQL (migration 0018): monthly amounts, payments,
//! each branch's keeper and the six-months flags already sent.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::rules::{Amount, Month};
use crate::domain::org::Member;
use crate::store::{members, Conn, Result, StoreError};

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub id: i64,
    pub member_id: i64,
    pub month: Month,
    pub amount: Amount,
    /// Who recorded it (name, roster key), when a member did; None: the command line.
    pub recorded_by: Option<(String, String)>,
    pub recorded_at: i64,
    pub corrected_at: Option<i64>,
}

fn month_of(text: &str) -> Result<Month> {
    Month::parse(text).ok_or_else(|| StoreError::Corrupt(format!("dues month '{text}'")))
}

fn payment_from_row(row: &AnyRow) -> Result<Payment> {
    let month: String = row.try_get("month")?;
    let by_name: Option<String> = row.try_get("by_name")?;
    let by_key: Option<String> = row.try_get("by_key")?;
    Ok(Payment {
        id: row.try_get("id")?,
        member_id: row.try_get("member_id")?,
        month: month_of(&month)?,
        amount: Amount(row.try_get("fen")?),
        recorded_by: by_name.zip(by_key),
        recorded_at: row.try_get("recorded_at")?,
        corrected_at: row.try_get("corrected_at")?,
    })
}

const PAYMENT_SELECT: &str = "SELECT p.id, p.member_id, p.month, p.fen, p.recorded_at, \
     p.corrected_at, m.name AS by_name, m.key AS by_key FROM dues_payments p \
     LEFT JOIN members m ON m.id = p.recorded_by";

/// Sets a member's monthly amount from `from` on (replacing one set from the same month).
pub async fn set_amount(
    conn: &mut Conn,
    member_id: i64,
    from: Month,
    amount: Amount,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO dues_amounts (member_id, from_month, fen, set_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (member_id, from_month) DO UPDATE SET fen = $3, set_at = $4",
    )
    .bind(member_id)
    .bind(from.to_string())
    .bind(amount.0)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A member's amounts, `(from, amount)`, earliest first.
pub async fn amounts(conn: &mut Conn, member_id: i64) -> Result<Vec<(Month, Amount)>> {
    let rows = sqlx::query(
        "SELECT from_month, fen FROM dues_amounts WHERE member_id = $1 ORDER BY from_month",
    )
    .bind(member_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let m: String = r.try_get("from_month")?;
            Ok((month_of(&m)?, Amount(r.try_get("fen")?)))
        })
        .collect()
}

/// The payment recorded for a member and month, if any.
pub async fn payment(conn: &mut Conn, member_id: i64, month: Month) -> Result<Option<Payment>> {
    let row = sqlx::query(crate::store::sql(format!(
        "{PAYMENT_SELECT} WHERE p.member_id = $1 AND p.month = $2"
    )))
    .bind(member_id)
    .bind(month.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(payment_from_row).transpose()
}

/// A member's payments, earliest month first.
pub async fn payments(conn: &mut Conn, member_id: i64) -> Result<Vec<Payment>> {
    let rows = sqlx::query(crate::store::sql(format!(
        "{PAYMENT_SELECT} WHERE p.member_id = $1 ORDER BY p.month"
    )))
    .bind(member_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(payment_from_row).collect()
}

/// Records a payment; returns its id. The caller has checked there is none for the month.
pub async fn add_payment(
    conn: &mut Conn,
    member_id: i64,
    month: Month,
    amount: Amount,
    recorded_by: Option<i64>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO dues_payments (member_id, month, fen, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(member_id)
    .bind(month.to_string())
    .bind(amount.0)
    .bind(recorded_by)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// Changes a recorded payment's amount.
pub async fn correct_payment(conn: &mut Conn, id: i64, amount: Amount, now: i64) -> Result<()> {
    sqlx::query("UPDATE dues_payments SET fen = $2, corrected_at = $3 WHERE id = $1")
        .bind(id)
        .bind(amount.0)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// The member named as a branch's keeper, if one was.
pub async fn keeper_id(conn: &mut Conn, branch_id: i64) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT member_id FROM dues_keepers WHERE branch_id = $1")
            .bind(branch_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Names a branch's keeper.
pub async fn set_keeper(conn: &mut Conn, branch_id: i64, member_id: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO dues_keepers (branch_id, member_id, set_at) VALUES ($1, $2, $3) \
         ON CONFLICT (branch_id) DO UPDATE SET member_id = $2, set_at = $3",
    )
    .bind(branch_id)
    .bind(member_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Notes that a run of unpaid months starting at `from` was flagged; false when it was
/// flagged before.
pub async fn flag_once(conn: &mut Conn, member_id: i64, from: Month, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO dues_flags (member_id, streak_from, flagged_at) VALUES ($1, $2, $3) \
         ON CONFLICT (member_id, streak_from) DO NOTHING",
    )
    .bind(member_id)
    .bind(from.to_string())
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Active members whose name is `name` (as typed, ignoring case), in one branch or in all.
pub async fn named(conn: &mut Conn, name: &str, branch_id: Option<i64>) -> Result<Vec<Member>> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM members WHERE active = 1 AND LOWER(name) = LOWER($1) \
         AND ($2 = 0 OR branch_id = $2) ORDER BY key",
    )
    .bind(name.trim())
    .bind(branch_id.unwrap_or(0))
    .fetch_all(&mut *conn)
    .await?;
    let mut found = Vec::with_capacity(ids.len());
    for id in ids {
        found.extend(members::by_id(conn, id).await?);
    }
    Ok(found)
}
