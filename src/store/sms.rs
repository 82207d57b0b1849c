//! What the SMS channel keeps: opt-outs by number, members' channel preference, the keyed tags
//! of unknown numbers answered today, and the SMS side of outbox rows (segments, receipts,
//! what a number was sent today).

use super::{members, Conn, Result};
use crate::domain::org::Member;
use crate::i18n::Locale;

/// The active member whose roster mobile number this is (E.164). SMS numbers are recognised
/// from the roster, never bound.
pub async fn member_by_phone(conn: &mut Conn, phone: &str) -> Result<Option<Member>> {
    // `members::find` also matches roster keys; only a member whose phone is exactly this
    // number counts.
    Ok(members::find(conn, phone)
        .await?
        .filter(|m| m.phone.as_deref() == Some(phone)))
}

/// A member's locale, if the member exists.
pub async fn locale_of(conn: &mut Conn, member_id: i64) -> Result<Option<Locale>> {
    let code: Option<String> = sqlx::query_scalar("SELECT locale FROM members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(conn)
        .await?;
    code.map(|c| {
        c.parse()
            .map_err(|_| super::StoreError::unreadable("members", member_id, "locale", &c))
    })
    .transpose()
}

/// A member's channel preference as stored: `telegram`, `sms` or `both`.
pub async fn preference(conn: &mut Conn, member_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT channel_pref FROM members WHERE id = $1")
            .bind(member_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets a member's channel preference (`telegram`, `sms` or `both`; the database refuses
/// anything else). Returns whether the member exists.
pub async fn set_preference(conn: &mut Conn, member_id: i64, pref: &str, now: i64) -> Result<bool> {
    let done = sqlx::query("UPDATE members SET channel_pref = $1, updated_at = $2 WHERE id = $3")
        .bind(pref)
        .bind(now)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether a number has opted out.
pub async fn is_opted_out(conn: &mut Conn, phone: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sms_optouts WHERE phone = $1")
        .bind(phone)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Records an opt-out. Returns false when the number had opted out already.
pub async fn opt_out(conn: &mut Conn, phone: &str, keyword: &str, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO sms_optouts (phone, keyword, opted_out_at) VALUES ($1, $2, $3) \
         ON CONFLICT (phone) DO NOTHING",
    )
    .bind(phone)
    .bind(keyword)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Lifts an opt-out. Returns whether there was one.
pub async fn opt_in(conn: &mut Conn, phone: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM sms_optouts WHERE phone = $1")
        .bind(phone)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Notes that an unknown number (given only as a keyed tag) was answered, until `until` (ms).
/// Returns false when it had been answered already. Expired tags are dropped on the way.
pub async fn first_from_stranger(conn: &mut Conn, tag: &str, until: i64, now: i64) -> Result<bool> {
    sqlx::query("DELETE FROM sms_strangers WHERE until <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query(
        "INSERT INTO sms_strangers (tag, until) VALUES ($1, $2) ON CONFLICT (tag) DO NOTHING",
    )
    .bind(tag)
    .bind(until)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// SMS rows to a number sent in `[from, to)` (ms) other than `except_id`: what the daily cap
/// counts. Sends to one number are a second apart (the delivery limiter), so a row being sent
/// at the same moment is not a case to count for.
pub async fn sent_between(
    conn: &mut Conn,
    phone: &str,
    from: i64,
    to: i64,
    except_id: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'sms' AND address = $1 AND id <> $2 \
         AND sent_at >= $3 AND sent_at < $4",
    )
    .bind(phone)
    .bind(except_id)
    .bind(from)
    .bind(to)
    .fetch_one(conn)
    .await?)
}

/// Stores how many segments a row's text takes, as rendered for SMS.
pub async fn set_segments(conn: &mut Conn, outbox_id: i64, segments: i64) -> Result<()> {
    sqlx::query("UPDATE outbox SET segments = $1 WHERE id = $2")
        .bind(segments)
        .bind(outbox_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Notes on a row why it was held back (the worker puts it back to pending).
pub async fn note(conn: &mut Conn, outbox_id: i64, reason: &str) -> Result<()> {
    sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
        .bind(reason)
        .bind(outbox_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The gateway confirmed delivery of the message it knows as `provider_id`. A row only moves
/// forward (sent → delivered). Returns the rows changed.
pub async fn mark_delivered(conn: &mut Conn, provider_id: &str) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'delivered' \
         WHERE channel = 'sms' AND provider_id = $1 AND status = 'sent'",
    )
    .bind(provider_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The gateway reported that the message it knows as `provider_id` did not arrive.
pub async fn mark_undelivered(conn: &mut Conn, provider_id: &str, error: &str) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE outbox SET status = 'failed', last_error = $1 \
         WHERE channel = 'sms' AND provider_id = $2 AND status IN ('sent', 'delivered')",
    )
    .bind(error)
    .bind(provider_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
