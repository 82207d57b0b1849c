//! Meetings (三会一课): creating the rows, their expected attendees and answers (参加 / 请假),
//! sign-ins (签到, late or on someone's behalf), minutes, 代请假 and 补学, and the per-quarter
//! figures the compliance report is made of. The row itself and the few reads the layers below
//! share ([`Meeting`], [`get`], [`recent_for`], [`takes_part`]) are `crate::store::meetings`,
//! re-exported here; [`screen`]: the rotating sign-in code's secrets and the screen's links.

use sqlx::Row;

pub mod screen;

use crate::domain::meetings::MeetingKind;
pub use crate::store::meetings::{get, recent_for, takes_part, Meeting};
use crate::store::meetings::{meeting_from_row, MEETING_SELECT};
use crate::store::{Conn, Result, StoreError};

/// A meeting to create.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    pub branch_id: i64,
    pub kind: MeetingKind,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: String,
    pub topic: String,
    pub created_by: Option<i64>,
    /// Member ids expected to attend.
    pub attendees: Vec<i64>,
    /// The sign-in code (unique among meetings not yet over, see [`by_code`]).
    pub signin_code: String,
}

/// What an attendee answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rsvp {
    None,
    Attend,
    Leave,
}

impl Rsvp {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Attend => "attend",
            Self::Leave => "leave",
        }
    }

    /// The stored text read back; `None` for text this binary never writes.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "none" => Some(Self::None),
            "attend" => Some(Self::Attend),
            "leave" => Some(Self::Leave),
            _ => None,
        }
    }
}

/// One expected attendee, with their answer and sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub member_id: i64,
    pub name: String,
    pub rsvp: Rsvp,
    pub reason: Option<String>,
    pub signed_in: bool,
    pub late: bool,
    pub proxy: bool,
    /// The leave was recorded by a secretary (or the operator) for them: 代请假.
    pub leave_proxy: bool,
    /// Their 补学 (make-up study) for this meeting is recorded as done.
    pub made_up: bool,
}

/// Creates a meeting and its attendee rows; returns its id.
pub async fn create(conn: &mut Conn, m: &NewMeeting, now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, signin_code, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         RETURNING id",
    )
    .bind(m.branch_id)
    .bind(m.kind.as_str())
    .bind(m.starts_at)
    .bind(m.ends_at)
    .bind(&m.place)
    .bind(&m.topic)
    .bind(&m.signin_code)
    .bind(m.created_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for member in &m.attendees {
        sqlx::query("INSERT INTO meeting_attendees (meeting_id, member_id) VALUES ($1, $2)")
            .bind(id)
            .bind(member)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}

/// Meetings starting in `[from, to)`, of one branch or all, oldest first, cancelled ones too.
pub async fn between(
    conn: &mut Conn,
    branch_id: Option<i64>,
    from: i64,
    to: i64,
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE mt.starts_at >= $1 AND mt.starts_at < $2 \
         AND ($3 = 0 OR mt.branch_id = $3) ORDER BY mt.starts_at, mt.id"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(from)
        .bind(to)
        .bind(branch_id.unwrap_or(0))
        .fetch_all(conn)
        .await?;
    rows.iter().map(meeting_from_row).collect()
}

/// The meeting not yet over whose sign-in code is `code`.
pub async fn by_code(conn: &mut Conn, code: &str, now: i64) -> Result<Option<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE mt.signin_code = $1 AND mt.status = 'scheduled' \
         AND mt.ends_at > $2 ORDER BY mt.starts_at LIMIT 1"
    );
    let row = sqlx::query(crate::store::sql(sql))
        .bind(code)
        .bind(now)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(meeting_from_row).transpose()
}

/// Marks a meeting cancelled. False when it was not scheduled.
pub async fn cancel(conn: &mut Conn, id: i64, now: i64) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meetings SET status = 'cancelled', updated_at = $2 \
         WHERE id = $1 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The expected attendees with their answers and sign-ins, by name.
pub async fn attendees(conn: &mut Conn, meeting_id: i64) -> Result<Vec<Attendee>> {
    let rows = sqlx::query(
        "SELECT a.member_id, m.name, a.rsvp, a.reason, a.leave_proxy, s.signed_at, s.late, \
         s.proxy_by, k.done_at AS made_up \
         FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
         LEFT JOIN meeting_signins s ON s.meeting_id = a.meeting_id AND s.member_id = a.member_id \
         LEFT JOIN meeting_makeups k ON k.meeting_id = a.meeting_id AND k.member_id = a.member_id \
         WHERE a.meeting_id = $1 ORDER BY m.key",
    )
    .bind(meeting_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            let signed: Option<i64> = r.try_get("signed_at")?;
            let late: Option<i64> = r.try_get("late")?;
            let proxy: Option<i64> = r.try_get("proxy_by")?;
            let made_up: Option<i64> = r.try_get("made_up")?;
            let member_id: i64 = r.try_get("member_id")?;
            let rsvp: String = r.try_get("rsvp")?;
            // An answer this binary does not know is not "no answer": it would be counted,
            // reminded and reported as one.
            let rsvp = Rsvp::parse(&rsvp).ok_or_else(|| {
                StoreError::unreadable(
                    "meeting_attendees",
                    format_args!("(meeting {meeting_id}, member {member_id})"),
                    "rsvp",
                    &rsvp,
                )
            })?;
            Ok(Attendee {
                member_id,
                name: r.try_get("name")?,
                rsvp,
                reason: r.try_get("reason")?,
                signed_in: signed.is_some(),
                late: late.unwrap_or(0) != 0,
                proxy: proxy.is_some(),
                leave_proxy: r.try_get::<i64, _>("leave_proxy")? != 0,
                made_up: made_up.is_some(),
            })
        })
        .collect()
}

/// Records an answer. False when the member is not expected at the meeting.
pub async fn set_rsvp(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: i64,
    rsvp: Rsvp,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meeting_attendees SET rsvp = $3, reason = $4, answered_at = $5, \
         leave_proxy = 0, leave_by = NULL WHERE meeting_id = $1 AND member_id = $2",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(rsvp.as_str())
    .bind(reason)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a sign-in. False when the member had signed in already.
pub async fn sign_in(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: i64,
    at: i64,
    late: bool,
    proxy: Option<(i64, &str)>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO meeting_signins (meeting_id, member_id, signed_at, late, proxy_by, reason) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (meeting_id, member_id) DO NOTHING",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(at)
    .bind(i64::from(late))
    .bind(proxy.map(|p| p.0))
    .bind(proxy.map(|p| p.1))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Saves (or replaces) the minutes of a meeting.
pub async fn save_minutes(
    conn: &mut Conn,
    meeting_id: i64,
    body: &str,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO meeting_minutes (meeting_id, body, submitted_by, submitted_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id) \
         DO UPDATE SET body = excluded.body, submitted_by = excluded.submitted_by, \
         submitted_at = excluded.submitted_at",
    )
    .bind(meeting_id)
    .bind(body)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether a meeting has minutes.
pub async fn has_minutes(conn: &mut Conn, meeting_id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_minutes WHERE meeting_id = $1")
        .bind(meeting_id)
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Other scheduled meetings in `[starts, ends)` that share an attendee with `members`.
pub async fn overlapping(
    conn: &mut Conn,
    branch_id: i64,
    starts: i64,
    ends: i64,
    members: &[i64],
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} WHERE mt.branch_id = $1 AND mt.status = 'scheduled' \
         AND mt.starts_at < $3 AND mt.ends_at > $2 ORDER BY mt.starts_at"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(branch_id)
        .bind(starts)
        .bind(ends)
        .fetch_all(&mut *conn)
        .await?;
    let mut found = Vec::new();
    for row in &rows {
        let m = meeting_from_row(row)?;
        let theirs = attendees(&mut *conn, m.id).await?;
        if theirs.iter().any(|a| members.contains(&a.member_id)) {
            found.push(m);
        }
    }
    Ok(found)
}

/// A meeting's minutes, if recorded.
pub async fn minutes(conn: &mut Conn, meeting_id: i64) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT body FROM meeting_minutes WHERE meeting_id = $1")
            .bind(meeting_id)
            .fetch_optional(conn)
            .await?,
    )
}

/// One held meeting's figures, for the compliance report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub meeting: Meeting,
    pub expected: u32,
    pub signed_in: u32,
    pub on_leave: u32,
    /// Expected, not signed in and not on leave: absent without leave.
    pub absent: u32,
    /// Not signed in (on leave or absent) with their 补学 recorded as done.
    pub made_up: u32,
    /// Absent without leave and without 补学: the open, unexcused absences.
    pub absent_open: u32,
    pub minutes: bool,
}

/// The meetings held (not cancelled, already started) in `[from, to)` with their figures.
pub async fn held_between(
    conn: &mut Conn,
    branch_id: Option<i64>,
    from: i64,
    to: i64,
    now: i64,
) -> Result<Vec<Held>> {
    let mut out = Vec::new();
    for meeting in between(&mut *conn, branch_id, from, to).await? {
        if meeting.cancelled || meeting.starts_at > now {
            continue;
        }
        let row = sqlx::query(
            "SELECT COUNT(*) AS expected, \
             CAST(COALESCE(SUM(CASE WHEN a.rsvp = 'leave' THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_leave, \
             CAST(COALESCE(SUM(CASE WHEN s.member_id IS NULL AND a.rsvp <> 'leave' THEN 1 ELSE 0 END), 0) AS BIGINT) AS absent, \
             CAST(COALESCE(SUM(CASE WHEN s.member_id IS NULL AND k.member_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS made_up, \
             CAST(COALESCE(SUM(CASE WHEN s.member_id IS NULL AND a.rsvp <> 'leave' AND k.member_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS absent_open, \
             (SELECT COUNT(*) FROM meeting_signins s WHERE s.meeting_id = $1) AS signed_in, \
             (SELECT COUNT(*) FROM meeting_minutes n WHERE n.meeting_id = $1) AS minutes \
             FROM meeting_attendees a \
             LEFT JOIN meeting_signins s ON s.meeting_id = a.meeting_id AND s.member_id = a.member_id \
             LEFT JOIN meeting_makeups k ON k.meeting_id = a.meeting_id AND k.member_id = a.member_id \
             WHERE a.meeting_id = $1",
        )
        .bind(meeting.id)
        .fetch_one(&mut *conn)
        .await?;
        let n = |c: &str| -> Result<u32> { Ok(row.try_get::<i64, _>(c)?.max(0) as u32) };
        out.push(Held {
            expected: n("expected")?,
            on_leave: n("on_leave")?,
            absent: n("absent")?,
            made_up: n("made_up")?,
            absent_open: n("absent_open")?,
            signed_in: n("signed_in")?,
            minutes: n("minutes")? > 0,
            meeting,
        });
    }
    Ok(out)
}

/// Moves a scheduled meeting. False when it is not scheduled.
pub async fn reschedule(
    conn: &mut Conn,
    id: i64,
    starts_at: i64,
    ends_at: i64,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meetings SET starts_at = $2, ends_at = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'scheduled'",
    )
    .bind(id)
    .bind(starts_at)
    .bind(ends_at)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of a member's latest held meetings (started before `now`, not cancelled, where
/// they were expected) in a row they missed without leave, looking back at most `limit`. A
/// missed meeting whose 补学 is recorded as done is not an open absence: it ends the run.
pub async fn unexcused_streak(
    conn: &mut Conn,
    member_id: i64,
    now: i64,
    limit: i64,
) -> Result<u32> {
    let rows = sqlx::query(
        "SELECT a.rsvp, (SELECT COUNT(*) FROM meeting_signins s \
           WHERE s.meeting_id = mt.id AND s.member_id = a.member_id) \
         + (SELECT COUNT(*) FROM meeting_makeups k \
           WHERE k.meeting_id = mt.id AND k.member_id = a.member_id) AS signed \
         FROM meeting_attendees a JOIN meetings mt ON mt.id = a.meeting_id \
         WHERE a.member_id = $1 AND mt.status = 'scheduled' AND mt.ends_at <= $2 \
         ORDER BY mt.starts_at DESC LIMIT $3",
    )
    .bind(member_id)
    .bind(now)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let mut streak = 0;
    for r in rows {
        let rsvp: String = r.try_get("rsvp")?;
        let signed: i64 = r.try_get("signed")?;
        if rsvp == "leave" || signed > 0 {
            break;
        }
        streak += 1;
    }
    Ok(streak)
}

/// When a member last took part in a meeting (signed in), if ever.
pub async fn last_attended(conn: &mut Conn, member_id: i64) -> Result<Option<i64>> {
    let at: Option<i64> =
        sqlx::query_scalar("SELECT MAX(signed_at) FROM meeting_signins WHERE member_id = $1")
            .bind(member_id)
            .fetch_one(conn)
            .await?;
    Ok(at)
}

/// When a member was first expected at a meeting that was not cancelled, if ever.
pub async fn first_expected(conn: &mut Conn, member_id: i64) -> Result<Option<i64>> {
    let at: Option<i64> = sqlx::query_scalar(
        "SELECT MIN(mt.starts_at) FROM meeting_attendees a JOIN meetings mt ON mt.id = a.meeting_id \
         WHERE a.member_id = $1 AND mt.status = 'scheduled'",
    )
    .bind(member_id)
    .fetch_one(conn)
    .await?;
    Ok(at)
}

/// 代请假: records leave with `reason` for a member who told `by` in person (None: the
/// operator at the command line). False when the member is not expected at the meeting.
pub async fn set_leave_for(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: i64,
    reason: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE meeting_attendees SET rsvp = 'leave', reason = $3, answered_at = $4, \
         leave_proxy = 1, leave_by = $5 WHERE meeting_id = $1 AND member_id = $2",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(reason)
    .bind(now)
    .bind(by)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records a member's 补学 for a meeting as done, with their note. False when it was recorded
/// already (the first record stands).
pub async fn record_makeup(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: i64,
    note: &str,
    by: Option<i64>,
    now: i64,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO meeting_makeups (meeting_id, member_id, note, recorded_by, done_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, member_id) DO NOTHING",
    )
    .bind(meeting_id)
    .bind(member_id)
    .bind(note)
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A member's 补学 note for a meeting, with when it was recorded.
pub async fn makeup_note(
    conn: &mut Conn,
    meeting_id: i64,
    member_id: i64,
) -> Result<Option<(String, i64)>> {
    let row = sqlx::query(
        "SELECT note, done_at FROM meeting_makeups WHERE meeting_id = $1 AND member_id = $2",
    )
    .bind(meeting_id)
    .bind(member_id)
    .fetch_optional(conn)
    .await?;
    row.map(|r| Ok((r.try_get("note")?, r.try_get("done_at")?)))
        .transpose()
}

/// The held meetings (over by `now`, not cancelled) since `since` that a member was expected
/// at, did not sign in to and has no 补学 recorded for, oldest first.
pub async fn makeups_owed(
    conn: &mut Conn,
    member_id: i64,
    since: i64,
    now: i64,
) -> Result<Vec<Meeting>> {
    let sql = format!(
        "{MEETING_SELECT} JOIN meeting_attendees a ON a.meeting_id = mt.id AND a.member_id = $1 \
         WHERE mt.status = 'scheduled' AND mt.ends_at <= $3 AND mt.starts_at >= $2 \
         AND NOT EXISTS (SELECT 1 FROM meeting_signins s \
           WHERE s.meeting_id = mt.id AND s.member_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM meeting_makeups k \
           WHERE k.meeting_id = mt.id AND k.member_id = $1) \
         ORDER BY mt.starts_at, mt.id"
    );
    let rows = sqlx::query(crate::store::sql(sql))
        .bind(member_id)
        .bind(since)
        .bind(now)
        .fetch_all(conn)
        .await?;
    rows.iter().map(meeting_from_row).collect()
}

/// Removes a meeting's static sign-in code (sign-in is then by the rotating code only).
pub async fn drop_static_code(conn: &mut Conn, meeting_id: i64) -> Result<()> {
    sqlx::query("UPDATE meetings SET signin_code = NULL WHERE id = $1")
        .bind(meeting_id)
        .execute(conn)
        .await?;
    Ok(())
}
