//! What a member's file may be attached to, and who may attach to what: anyone expected at a
//! meeting (or organising it, or managing its branch) may add its photos and files; a member
//! adds evidence to a pledge check-in they were asked in; anyone who logged a service activity
//! or is named on it (and did not decline) may add its photos.

use chrono::{DateTime, Utc};

use crate::attachments::Owner;
use crate::domain::org::Member;
use crate::flows::Ctx;
use crate::msg;
use crate::store::activities as records;
use crate::store::{meetings, pledge_rounds, Conn, StoreError};

/// How far back a meeting or an activity is offered (held in the last two weeks).
pub const RECENT_DAYS: i64 = 14;

/// How old a pledge check-in round may be and still be "the current one".
pub const CHECKIN_DAYS: i64 = 35;

/// At most this many meetings and activities each are offered as buttons.
pub const MAX_EACH: usize = 4;

const DAY_MS: i64 = 24 * 3_600_000;

/// Something a file can be attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Meeting(i64),
    /// A pledge check-in round (the member's evidence in it).
    CheckIn(i64),
    /// A service activity (`records`).
    Activity(i64),
}

impl Target {
    /// The attachment's owner.
    pub fn owner(self) -> Owner {
        match self {
            Self::Meeting(id) => Owner::Meeting(id),
            Self::CheckIn(id) => Owner::CheckIn(id),
            Self::Activity(id) => Owner::Activity(id),
        }
    }
}

/// A target offered, with what its button says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offered {
    pub target: Target,
    pub label: String,
}

/// What `member`'s file sent now may be attached to: their recent meetings, their current
/// pledge check-in, their recent service activities, in that order.
pub async fn of(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
) -> Result<Vec<Offered>, StoreError> {
    let mut offered = Vec::new();
    let Some(branch) = member.branch_id else {
        return Ok(offered);
    };
    let since = cx.now_ms - RECENT_DAYS * DAY_MS;
    for m in meetings::recent_for(conn, branch, member.id, since, cx.now_ms)
        .await?
        .into_iter()
        .take(MAX_EACH)
    {
        offered.push(Offered {
            target: Target::Meeting(m.id),
            label: meeting_label(cx, &m),
        });
    }
    if let Some((round, started)) = current_checkin(cx, conn, member).await? {
        offered.push(Offered {
            target: Target::CheckIn(round),
            label: cx.r(
                msg!("files-checkin-label"),
                &[("date", date(cx, started).into())],
            ),
        });
    }
    let from = day(cx, since);
    for a in records::recent_of(conn, member.id, &from)
        .await?
        .into_iter()
        .take(MAX_EACH)
    {
        offered.push(Offered {
            target: Target::Activity(a.id),
            label: activity_label(cx, &a),
        });
    }
    Ok(offered)
}

/// The member's current pledge check-in: the latest round of their branch, if they were asked
/// in it and it started in the last [`CHECKIN_DAYS`]. `(round, started_at)`.
pub async fn current_checkin(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
) -> Result<Option<(i64, i64)>, StoreError> {
    let Some(branch) = member.branch_id else {
        return Ok(None);
    };
    let Some((round, started)) = pledge_rounds::latest_round(conn, branch).await? else {
        return Ok(None);
    };
    if started < cx.now_ms - CHECKIN_DAYS * DAY_MS {
        return Ok(None);
    }
    let asked = pledge_rounds::asked_version(conn, round, member.id).await?;
    Ok(asked.map(|_| (round, started)))
}

/// Whether `member` may attach files to `target`, and what it is called: None when they may
/// not (or it is gone).
pub async fn allowed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    target: Target,
) -> Result<Option<String>, StoreError> {
    Ok(match target {
        Target::Meeting(id) => match meetings::get(conn, id).await? {
            Some(m)
                if !m.cancelled
                    && (member.manages_branch(m.branch_id)
                        || meetings::takes_part(conn, id, member.id).await?) =>
            {
                Some(meeting_label(cx, &m))
            }
            _ => None,
        },
        Target::CheckIn(round) => {
            match pledge_rounds::asked_version(conn, round, member.id).await? {
                Some(_) => {
                    let started = match current_checkin(cx, conn, member).await? {
                        Some((r, started)) if r == round => started,
                        // An older round the member was asked in: still theirs.
                        _ => cx.now_ms,
                    };
                    Some(cx.r(
                        msg!("files-checkin-label"),
                        &[("date", date(cx, started).into())],
                    ))
                }
                None => None,
            }
        }
        Target::Activity(id) => match records::activity_by_id(conn, id).await? {
            Some(a) if records::takes_part(conn, id, member.id).await? => {
                Some(activity_label(cx, &a))
            }
            _ => None,
        },
    })
}

/// "11月12日 支部党员大会".
pub fn meeting_label(cx: &Ctx<'_>, m: &meetings::Meeting) -> String {
    cx.r(
        msg!("files-meeting-label"),
        &[
            ("date", date(cx, m.starts_at).into()),
            ("kind", cx.t(m.kind.msg()).into()),
        ],
    )
}

/// "11月10日 志愿服务".
fn activity_label(cx: &Ctx<'_>, a: &records::Activity) -> String {
    let day = chrono::NaiveDate::parse_from_str(&a.held_on, "%Y-%m-%d").ok();
    let date = match day {
        Some(d) => {
            use chrono::Datelike;
            cx.r(
                msg!("files-date"),
                &[("month", d.month().into()), ("day", d.day().into())],
            )
        }
        None => a.held_on.clone(),
    };
    cx.r(
        msg!("files-activity-label"),
        &[
            ("date", date.into()),
            (
                "kind",
                crate::config::records::kind_name(cx.catalog, cx.locale, &a.kind).into(),
            ),
        ],
    )
}

/// "11月12日" of an instant, in the organisation's zone.
fn date(cx: &Ctx<'_>, at_ms: i64) -> String {
    use chrono::Datelike;
    let local = DateTime::<Utc>::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz);
    cx.r(
        msg!("files-date"),
        &[("month", local.month().into()), ("day", local.day().into())],
    )
}

/// `YYYY-MM-DD` of an instant, in the organisation's zone (how activities keep their day).
fn day(cx: &Ctx<'_>, at_ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz)
        .format("%Y-%m-%d")
        .to_string()
}
