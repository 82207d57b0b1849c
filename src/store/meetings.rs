//! The meeting row (三会一课) as every layer reads it: [`Meeting`], one by id, the meetings a
//! member took part in lately and whether they did. The files' targets and the attachments'
//! command line read these below the meetings folder; the rest of the meetings' queries
//! (attendees, answers, sign-ins, minutes, the figures) are the feature's own,
//! `crate::meetings::store`, which re-exports these.

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Conn, Result, StoreError};
use crate::domain::meetings::MeetingKind;

/// A meeting as the flows see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: i64,
    pub branch_id: i64,
    pub branch_name: String,
    pub kind: MeetingKind,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub topic: String,
    pub cancelled: bool,
    pub signin_code: Option<String>,
}

/// The columns [`meeting_from_row`] reads, from `meetings` joined with its branch.
pub const MEETING_SELECT: &str = "SELECT mt.id, mt.branch_id, b.name AS branch_name, mt.kind, \
     mt.starts_at, mt.ends_at, mt.place, mt.topic, mt.status, mt.signin_code \
     FROM meetings mt JOIN branches b ON b.id = mt.branch_id";

/// A row of [`MEETING_SELECT`] as a [`Meeting`]; a kind or status this binary never writes is
/// an error naming the row.
pub fn meeting_from_row(row: &AnyRow) -> Result<Meeting> {
    let id: i64 = row.try_get("id")?;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    // Only a meeting marked cancelled is; a status this binary does not know is not read as
    // "scheduled" (its reminders would go out).
    let cancelled = match status.as_str() {
        "scheduled" => false,
        "cancelled" => true,
        _ => return Err(StoreError::unreadable("meetings", id, "status", &status)),
    };
    Ok(Meeting {
        id,
        branch_id: row.try_get("branch_id")?,
        branch_name: row.try_get("branch_name")?,
        kind: kind
            .parse()
            .map_err(|()| StoreError::unreadable("meetings", id, "kind", &kind))?,
        starts_at: row.try_get("starts_at")?,
        ends_at: row.try_get("ends_at")?,
        place: row.try_get("place")?,
        topic: row.try_get("topic")?,
        cancelled,
        signin_code: row.try_get("signin_code")?,
    })
}

/// A meeting by id.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Meeting>> {
    let sql = format!("{MEETING_SELECT} WHERE mt.id = $1");
    let row = sqlx::query(super::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(meeting_from_row).transpose()
}

/// Meetings of `branch_id` that started from `since` to `now`, not cancelled, where `member_id`
/// was expected or is the organiser, latest first: what a photo sent now may belong to.
pub async fn recent_for(
    conn: &mut Conn,
    branch_id: i64,
    member_id: i64,
    since: i64,
    now: i64,
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE mt.branch_id = $1 AND mt.starts_at >= $2 AND mt.starts_at <= $3 \
         AND mt.status = 'scheduled' AND (mt.created_by = $4 OR EXISTS (SELECT 1 FROM \
         meeting_attendees a WHERE a.meeting_id = mt.id AND a.member_id = $4)) \
         ORDER BY mt.starts_at DESC, mt.id DESC"
    );
    let rows = sqlx::query(super::sql(sql))
        .bind(branch_id)
        .bind(since)
        .bind(now)
        .bind(member_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(meeting_from_row).collect()
}

/// Whether `member_id` was expected at a meeting or organises it.
pub async fn takes_part(conn: &mut Conn, meeting_id: i64, member_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meetings mt WHERE mt.id = $1 AND (mt.created_by = $2 OR EXISTS \
         (SELECT 1 FROM meeting_attendees a WHERE a.meeting_id = mt.id AND a.member_id = $2))",
    )
    .bind(meeting_id)
    .bind(member_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
