//! The pipeline's SQL, one text for SQLite and PostgreSQL: the people in it, their steps in
//! the order they were recorded, the papers they handed in (`recruit_papers`, migration 0019)
//! and the roster role that follows the stage.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;

use super::rules::{Detail, Document, Recorded, StepKind, Tally};
use crate::domain::org::Role;
use crate::store::{sql, Conn, Result, StoreError};

/// A person in the pipeline, with the names a list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recruit {
    pub id: i64,
    pub member_id: i64,
    pub key: String,
    pub name: String,
    pub branch_id: Option<i64>,
    pub branch: Option<String>,
}

/// A stored step: the rule's view of it and what only some may read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: i64,
    pub step: Recorded,
    /// Opinions, reasons for a delay: for the branch committee and the college committee.
    pub note: String,
    /// Who recorded it (`name (key)`), when a member did.
    pub recorded_by: Option<String>,
}

const RECRUIT_SELECT: &str = "SELECT r.id, r.member_id, m.key, m.name, m.branch_id, \
     b.name AS branch FROM recruits r JOIN members m ON m.id = r.member_id \
     LEFT JOIN branches b ON b.id = m.branch_id";

fn recruit_from_row(row: &AnyRow) -> Result<Recruit> {
    Ok(Recruit {
        id: row.try_get("id")?,
        member_id: row.try_get("member_id")?,
        key: row.try_get("key")?,
        name: row.try_get("name")?,
        branch_id: row.try_get("branch_id")?,
        branch: row.try_get("branch")?,
    })
}

/// Puts a member into the pipeline; returns the recruit's id (the existing one when they are
/// in it already).
pub async fn enrol(conn: &mut Conn, member_id: i64, now: i64) -> Result<i64> {
    if let Some(r) = by_member(conn, member_id).await? {
        return Ok(r.id);
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO recruits (member_id, created_at) VALUES ($1, $2) RETURNING id",
    )
    .bind(member_id)
    .bind(now)
    .fetch_one(conn)
    .await?)
}

/// The pipeline row of a member, if they are in it.
pub async fn by_member(conn: &mut Conn, member_id: i64) -> Result<Option<Recruit>> {
    let row = sqlx::query(sql(format!("{RECRUIT_SELECT} WHERE r.member_id = $1")))
        .bind(member_id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(recruit_from_row).transpose()
}

/// The people in the pipeline of one branch or all, by branch and roster key.
pub async fn list(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Recruit>> {
    let rows = sqlx::query(sql(format!(
        "{RECRUIT_SELECT} WHERE ($1 = 0 OR m.branch_id = $1) ORDER BY b.name, m.key"
    )))
    .bind(branch_id.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    rows.iter().map(recruit_from_row).collect()
}

/// The people a 培养联系人 sponsors.
pub async fn sponsored_by(conn: &mut Conn, contact_id: i64) -> Result<Vec<Recruit>> {
    let rows = sqlx::query(sql(format!(
        "{RECRUIT_SELECT} WHERE r.id IN (SELECT recruit_id FROM recruit_steps \
         WHERE kind = 'contact' AND other_id = $1) ORDER BY m.key"
    )))
    .bind(contact_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(recruit_from_row).collect()
}

/// A step to write.
#[derive(Debug, Clone)]
pub struct NewStep<'a> {
    pub recruit_id: i64,
    pub step: &'a Recorded,
    pub note: &'a str,
    pub recorded_by: Option<i64>,
    pub at: i64,
}

/// Writes a step; returns its id.
pub async fn add_step(conn: &mut Conn, s: &NewStep<'_>) -> Result<i64> {
    let (other, hours, tally) = match s.step.detail {
        Detail::None => (None, None, None),
        Detail::Contact { member_id, .. } => (Some(member_id), None, None),
        Detail::Hours(h) => (None, Some(i64::from(h)), None),
        Detail::Vote(t) => (None, None, Some(t)),
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO recruit_steps (recruit_id, kind, on_date, other_id, hours, votes_yes, \
         votes_no, votes_abstain, entitled, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(s.recruit_id)
    .bind(s.step.kind.as_str())
    .bind(s.step.on.format("%Y-%m-%d").to_string())
    .bind(other)
    .bind(hours)
    .bind(tally.map(|t| i64::from(t.yes)))
    .bind(tally.map(|t| i64::from(t.no)))
    .bind(tally.map(|t| i64::from(t.abstain)))
    .bind(tally.map(|t| i64::from(t.entitled)))
    .bind(s.note)
    .bind(s.recorded_by)
    .bind(s.at)
    .fetch_one(conn)
    .await?)
}

/// A recruit's steps in the order they were recorded.
pub async fn steps(conn: &mut Conn, recruit_id: i64) -> Result<Vec<StepRow>> {
    let rows = sqlx::query(
        "SELECT s.id, s.kind, s.on_date, s.other_id, s.hours, s.votes_yes, s.votes_no, \
         s.votes_abstain, s.entitled, s.note, m.name AS by_name, m.key AS by_key \
         FROM recruit_steps s LEFT JOIN members m ON m.id = s.recorded_by \
         WHERE s.recruit_id = $1 ORDER BY s.id",
    )
    .bind(recruit_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(step_from_row).collect()
}

fn step_from_row(row: &AnyRow) -> Result<StepRow> {
    let id: i64 = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let kind = StepKind::ALL
        .into_iter()
        .find(|k| k.as_str() == kind)
        .ok_or_else(|| StoreError::unreadable("recruit_steps", id, "kind", &kind))?;
    let on: String = row.try_get("on_date")?;
    let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d")
        .map_err(|_| StoreError::unreadable("recruit_steps", id, "on_date", &on))?;
    // A negative count (hours, votes) is not zero: the tally would read as a different vote.
    let count = |name: &'static str| -> Result<Option<u32>> {
        row.try_get::<Option<i64>, _>(name)?
            .map(|v| {
                u32::try_from(v).map_err(|_| StoreError::unreadable("recruit_steps", id, name, v))
            })
            .transpose()
    };
    let detail = match kind {
        StepKind::Contact => match row.try_get::<Option<i64>, _>("other_id")? {
            Some(member_id) => Detail::Contact {
                member_id,
                full_member: true,
            },
            None => Detail::None,
        },
        StepKind::Training => count("hours")?.map_or(Detail::None, Detail::Hours),
        StepKind::Vote => Detail::Vote(Tally {
            yes: count("votes_yes")?.unwrap_or(0),
            no: count("votes_no")?.unwrap_or(0),
            abstain: count("votes_abstain")?.unwrap_or(0),
            entitled: count("entitled")?.unwrap_or(0),
        }),
        _ => Detail::None,
    };
    let by_name: Option<String> = row.try_get("by_name")?;
    let by_key: Option<String> = row.try_get("by_key")?;
    Ok(StepRow {
        id,
        step: Recorded { kind, on, detail },
        note: row.try_get("note")?,
        recorded_by: by_name.zip(by_key).map(|(n, k)| format!("{n} ({k})")),
    })
}

/// Sets a member's role on the roster (积极分子, 预备党员, 党员 as the stage moves on).
pub async fn set_role(conn: &mut Conn, member_id: i64, role: Role, now: i64) -> Result<()> {
    sqlx::query("UPDATE members SET role = $2, updated_at = $3 WHERE id = $1")
        .bind(member_id)
        .bind(role.as_str())
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// A paper on file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRow {
    pub doc: Document,
    pub on: NaiveDate,
    pub note: String,
}

/// Writes a paper received; a second copy of a paper that is handed in once breaks the
/// unique index `recruit_papers_once` (callers check first).
pub async fn add_paper(
    conn: &mut Conn,
    recruit_id: i64,
    doc: Document,
    on: NaiveDate,
    note: &str,
    recorded_by: Option<i64>,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO recruit_papers (recruit_id, kind, received_on, note, recorded_by, \
         recorded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(recruit_id)
    .bind(doc.as_str())
    .bind(on.format("%Y-%m-%d").to_string())
    .bind(note)
    .bind(recorded_by)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A recruit's papers, by the day received.
pub async fn papers(conn: &mut Conn, recruit_id: i64) -> Result<Vec<PaperRow>> {
    let rows = sqlx::query(
        "SELECT id, kind, received_on, note FROM recruit_papers WHERE recruit_id = $1 \
         ORDER BY received_on, id",
    )
    .bind(recruit_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let kind: String = row.try_get("kind")?;
            let doc = Document::ALL
                .into_iter()
                .find(|d| d.as_str() == kind)
                .ok_or_else(|| StoreError::unreadable("recruit_papers", id, "kind", &kind))?;
            let on: String = row.try_get("received_on")?;
            let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d")
                .map_err(|_| StoreError::unreadable("recruit_papers", id, "received_on", &on))?;
            Ok(PaperRow {
                doc,
                on,
                note: row.try_get("note")?,
            })
        })
        .collect()
}

/// Links a secret-ballot round to the person it votes on.
pub async fn add_ballot(conn: &mut Conn, recruit_id: i64, round_id: i64, at: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO recruit_ballots (recruit_id, round_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(recruit_id)
    .bind(round_id)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The round of the person's secret ballot whose result is not recorded yet: `(id, round_id)`.
pub async fn pending_ballot(conn: &mut Conn, recruit_id: i64) -> Result<Option<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT id, round_id FROM recruit_ballots WHERE recruit_id = $1 \
         AND recorded_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(recruit_id)
    .fetch_optional(conn)
    .await?)
}

/// Marks a ballot's result recorded as the person's vote step.
pub async fn ballot_recorded(conn: &mut Conn, id: i64, at: i64) -> Result<()> {
    sqlx::query("UPDATE recruit_ballots SET recorded_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}
