//! Pledge check-ins and phase-end assessments: rounds per branch, who was asked about which
//! version, their answers per item, the one reminder, self-assessments, the branches' check-in
//! crontabs, and the figures a secretary sees. A branch's latest round and whether a member was
//! asked in one are the platform's own reads (`store::pledge_rounds`, for a file's targets),
//! re-exported here.

use sqlx::Row;

use crate::pledges::rules::Progress;
use crate::store::{Conn, Result, StoreError};

pub use crate::store::pledge_rounds::{asked_version, latest_round};

/// Starts a branch's round for one fire time, or finds it when a retried run started it.
pub async fn start_round(conn: &mut Conn, branch_id: i64, started_at: i64) -> Result<i64> {
    sqlx::query(
        "INSERT INTO pledge_rounds (branch_id, started_at) VALUES ($1, $2) \
         ON CONFLICT (branch_id, started_at) DO NOTHING",
    )
    .bind(branch_id)
    .bind(started_at)
    .execute(&mut *conn)
    .await?;
    Ok(
        sqlx::query_scalar("SELECT id FROM pledge_rounds WHERE branch_id = $1 AND started_at = $2")
            .bind(branch_id)
            .bind(started_at)
            .fetch_one(conn)
            .await?,
    )
}

/// Records that a member is asked about a version in a round. False when already asked.
pub async fn ask(conn: &mut Conn, round_id: i64, member_id: i64, version_id: i64) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO pledge_round_members (round_id, member_id, version_id) VALUES ($1, $2, $3) \
         ON CONFLICT (round_id, member_id) DO NOTHING",
    )
    .bind(round_id)
    .bind(member_id)
    .bind(version_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records (or corrects) a member's answer for an item in a round.
pub async fn answer(
    conn: &mut Conn,
    round_id: i64,
    item_id: i64,
    member_id: i64,
    progress: Progress,
    note: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO pledge_answers (round_id, item_id, member_id, progress, note, answered_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (round_id, item_id) \
         DO UPDATE SET progress = excluded.progress, note = excluded.note, \
         answered_at = excluded.answered_at",
    )
    .bind(round_id)
    .bind(item_id)
    .bind(member_id)
    .bind(progress.as_str())
    .bind(note)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Adds the difficulty to a blocked answer.
pub async fn set_note(conn: &mut Conn, round_id: i64, item_id: i64, note: &str) -> Result<()> {
    sqlx::query("UPDATE pledge_answers SET note = $1 WHERE round_id = $2 AND item_id = $3")
        .bind(note)
        .bind(round_id)
        .bind(item_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The items a member answered in a round.
pub async fn answered_items(conn: &mut Conn, round_id: i64, member_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT item_id FROM pledge_answers WHERE round_id = $1 AND member_id = $2",
    )
    .bind(round_id)
    .bind(member_id)
    .fetch_all(conn)
    .await?)
}

/// Members asked in a round who answered nothing and were not reminded: (member, version).
pub async fn silent(conn: &mut Conn, round_id: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT rm.member_id, rm.version_id FROM pledge_round_members rm \
         WHERE rm.round_id = $1 AND rm.reminded_at IS NULL AND NOT EXISTS \
         (SELECT 1 FROM pledge_answers a WHERE a.round_id = rm.round_id AND a.member_id = rm.member_id) \
         ORDER BY rm.member_id",
    )
    .bind(round_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Marks a member reminded in a round (once: false when they were already).
pub async fn mark_reminded(
    conn: &mut Conn,
    round_id: i64,
    member_id: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pledge_round_members SET reminded_at = $1 \
         WHERE round_id = $2 AND member_id = $3 AND reminded_at IS NULL",
    )
    .bind(now)
    .bind(round_id)
    .bind(member_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One answer, as a member's history or the secretary's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub started_at: i64,
    pub member_name: String,
    pub position: i64,
    pub text: String,
    pub progress: Progress,
    pub note: Option<String>,
}

const ANSWER_SELECT: &str = "SELECT r.started_at, m.name AS member_name, i.position, i.text, \
     a.progress, a.note FROM pledge_answers a JOIN pledge_rounds r ON r.id = a.round_id \
     JOIN pledge_items i ON i.id = a.item_id JOIN members m ON m.id = a.member_id";

fn answers_from(rows: &[sqlx::any::AnyRow]) -> Result<Vec<Answer>> {
    rows.iter()
        .map(|r| {
            let p: String = r.try_get("progress")?;
            Ok(Answer {
                started_at: r.try_get("started_at")?,
                member_name: r.try_get("member_name")?,
                position: r.try_get("position")?,
                text: r.try_get("text")?,
                progress: Progress::parse(&p)
                    .ok_or_else(|| StoreError::Corrupt(format!("progress '{p}'")))?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// A member's answers, oldest round first.
pub async fn answers_of(conn: &mut Conn, member_id: i64) -> Result<Vec<Answer>> {
    let sql = format!("{ANSWER_SELECT} WHERE a.member_id = $1 ORDER BY r.started_at, i.position");
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    answers_from(&rows)
}

/// The answers of a round that are behind or blocked, by member and position.
pub async fn attention(conn: &mut Conn, round_id: i64) -> Result<Vec<Answer>> {
    let sql = format!(
        "{ANSWER_SELECT} WHERE a.round_id = $1 AND a.progress IN ('behind', 'blocked') \
         ORDER BY m.key, i.position"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(round_id)
        .fetch_all(conn)
        .await?;
    answers_from(&rows)
}

/// How many were asked in a round and how many of them answered every item.
pub async fn response(conn: &mut Conn, round_id: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS asked, CAST(COALESCE(SUM(CASE WHEN \
         (SELECT COUNT(*) FROM pledge_answers a WHERE a.round_id = rm.round_id AND a.member_id = rm.member_id) \
         >= (SELECT COUNT(*) FROM pledge_items i WHERE i.version_id = rm.version_id) \
         THEN 1 ELSE 0 END), 0) AS BIGINT) AS answered \
         FROM pledge_round_members rm WHERE rm.round_id = $1",
    )
    .bind(round_id)
    .fetch_one(conn)
    .await?;
    Ok((row.try_get("asked")?, row.try_get("answered")?))
}

/// Asks a member for a phase's self-assessment. False when asked already for that phase.
pub async fn ask_assessment(
    conn: &mut Conn,
    member_id: i64,
    version_id: i64,
    campaign: &str,
    phase: i64,
    title: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO pledge_assessments (member_id, version_id, campaign, phase, title, asked_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (member_id, campaign, phase) DO NOTHING",
    )
    .bind(member_id)
    .bind(version_id)
    .bind(campaign)
    .bind(phase)
    .bind(title)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores a self-assessment's text. False when it does not exist or is not the member's.
pub async fn answer_assessment(
    conn: &mut Conn,
    id: i64,
    member_id: i64,
    text: &str,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE pledge_assessments SET text = $1, answered_at = $2 WHERE id = $3 AND member_id = $4",
    )
    .bind(text)
    .bind(now)
    .bind(id)
    .bind(member_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The id of a member's assessment for a phase.
pub async fn assessment_id(
    conn: &mut Conn,
    member_id: i64,
    campaign: &str,
    phase: i64,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM pledge_assessments WHERE member_id = $1 AND campaign = $2 AND phase = $3",
    )
    .bind(member_id)
    .bind(campaign)
    .bind(phase)
    .fetch_optional(conn)
    .await?)
}

/// A member's assessments: (title, text if answered), oldest first.
pub async fn assessments_of(
    conn: &mut Conn,
    member_id: i64,
) -> Result<Vec<(String, Option<String>)>> {
    let rows = sqlx::query(
        "SELECT title, text FROM pledge_assessments WHERE member_id = $1 ORDER BY asked_at, id",
    )
    .bind(member_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// A branch's check-in crontab, when one was set.
pub async fn schedule_of(conn: &mut Conn, branch_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT crontab FROM pledge_schedules WHERE branch_id = $1")
            .bind(branch_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// Sets a branch's check-in crontab.
pub async fn set_schedule(conn: &mut Conn, branch_id: i64, crontab: &str, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO pledge_schedules (branch_id, crontab, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (branch_id) DO UPDATE SET crontab = excluded.crontab, \
         updated_at = excluded.updated_at",
    )
    .bind(branch_id)
    .bind(crontab)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}
