//! Compliance with the cadence of 三会一课, per branch and quarter: how many meetings of each
//! kind were held against what the cadence requires, the attendance rate (sign-ins of the
//! expected), the leave rate, and how many held meetings have minutes. [`figures`] is the one
//! function the chat (`/compliance`) and the CLI (`branchbot report meetings`) both read.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::meetings::{percent, MeetingKind, MeetingRules, Quarter};
use crate::domain::org::Member;
use crate::domain::period::Period;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::meetings::store as meetings;
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// One branch's quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchFigures {
    pub branch: String,
    /// Per kind (in [`MeetingKind::ALL`] order): held and required.
    pub kinds: Vec<(MeetingKind, u32, u32)>,
    pub expected: u32,
    pub signed_in: u32,
    pub on_leave: u32,
    /// Absent without leave (not signed in).
    pub absent: u32,
    /// Of those who missed a meeting (on leave or absent), how many have their 补学 done.
    pub made_up: u32,
    /// Absent without leave and without 补学: the open, unexcused absences.
    pub absent_open: u32,
    pub held: u32,
    pub with_minutes: u32,
}

impl BranchFigures {
    /// Attendance: sign-ins of the expected attendees, in per cent; None when no meeting with
    /// attendees was held (there is no rate to give, and 0% would read as everyone absent).
    pub fn attendance_rate(&self) -> Option<u32> {
        (self.expected > 0).then(|| percent(self.signed_in, self.expected))
    }

    /// Leave: of the expected attendees, in per cent; None as for attendance.
    pub fn leave_rate(&self) -> Option<u32> {
        (self.expected > 0).then(|| percent(self.on_leave, self.expected))
    }

    /// Who missed a held meeting (expected, not signed in: on leave or absent), in person-times.
    pub fn missed(&self) -> u32 {
        self.expected.saturating_sub(self.signed_in)
    }

    /// The kinds held fewer times than required.
    pub fn missing(&self) -> Vec<MeetingKind> {
        self.kinds
            .iter()
            .filter(|(_, held, need)| held < need)
            .map(|(k, _, _)| *k)
            .collect()
    }
}

/// The figures of `quarter` for one branch or every branch, as of `now`.
pub async fn figures(
    conn: &mut Conn,
    tz: Tz,
    rules: &MeetingRules,
    quarter: Quarter,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<BranchFigures>, StoreError> {
    figures_in(conn, tz, rules, &Period::Quarter(quarter), branch, now).await
}

/// The figures of any period (a quarter, a month, a year, a range of days): meetings held in
/// it against what falls due in it ([`Period::required`]).
pub async fn figures_in(
    conn: &mut Conn,
    tz: Tz,
    rules: &MeetingRules,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<BranchFigures>, StoreError> {
    let (from, to) = period.bounds(tz);
    let mut out = Vec::new();
    for (id, name, _) in members::branches(conn).await? {
        if branch.is_some_and(|b| b != id) {
            continue;
        }
        let held = meetings::held_between(
            conn,
            Some(id),
            from.timestamp_millis(),
            to.timestamp_millis(),
            now.timestamp_millis(),
        )
        .await?;
        let kinds = MeetingKind::ALL
            .iter()
            .map(|k| {
                let n = held.iter().filter(|h| h.meeting.kind == *k).count() as u32;
                (*k, n, period.required(rules.cadence(*k)))
            })
            .collect();
        out.push(BranchFigures {
            branch: name,
            kinds,
            expected: held.iter().map(|h| h.expected).sum(),
            signed_in: held.iter().map(|h| h.signed_in).sum(),
            on_leave: held.iter().map(|h| h.on_leave).sum(),
            absent: held.iter().map(|h| h.absent).sum(),
            made_up: held.iter().map(|h| h.made_up).sum(),
            absent_open: held.iter().map(|h| h.absent_open).sum(),
            held: held.len() as u32,
            with_minutes: held.iter().filter(|h| h.minutes).count() as u32,
        });
    }
    Ok(out)
}

/// A rate as people read it: `33%`, or `—` when there is none.
pub fn rate_text(rate: Option<u32>) -> String {
    rate.map_or_else(|| "—".to_owned(), |r| format!("{r}%"))
}

/// `/compliance [2026Q4]`: the college sees every branch, a manager their own.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let branch = if member.college {
        None
    } else if member.is_manager() {
        member.branch_id
    } else {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    };
    let period = match arg {
        None => Period::quarter_containing(cx.now(), cx.engine.tz),
        Some(p) => match p.parse::<Period>() {
            Ok(p) => p,
            Err(crate::domain::period::PeriodError::TooLong) => {
                return Ok(Step::text(
                    cx.r(msg!("report-long-period"), &[("typed", p.into())]),
                ))
            }
            Err(_) => {
                return Ok(Step::text(
                    cx.r(msg!("meeting-bad-quarter"), &[("typed", p.into())]),
                ))
            }
        },
    };
    let rows = figures_in(
        conn,
        cx.engine.tz,
        &cx.engine.meetings,
        &period,
        branch,
        cx.now(),
    )
    .await?;
    let mut lines = vec![cx.r(
        msg!("compliance-header"),
        &[(
            "quarter",
            crate::meetings::text::period_text(cx.catalog, cx.locale, &period).into(),
        )],
    )];
    for f in &rows {
        let missing: Vec<String> = f
            .missing()
            .iter()
            .map(|k| crate::meetings::text::kind_text(cx.catalog, cx.locale, *k))
            .collect();
        let count = |k: MeetingKind| f.kinds.iter().find(|x| x.0 == k).map_or(0, |x| x.1);
        let makeup = cx.r(
            msg!("compliance-makeup-line"),
            &[
                ("made_up", f.made_up.into()),
                ("missed", f.missed().into()),
                ("open", f.absent_open.into()),
            ],
        );
        lines.push(
            cx.r(
                msg!("compliance-line"),
                &[
                    ("branch", f.branch.as_str().into()),
                    ("general", count(MeetingKind::General).into()),
                    ("committee", count(MeetingKind::Committee).into()),
                    ("group", count(MeetingKind::Group).into()),
                    ("lesson", count(MeetingKind::Lesson).into()),
                    ("attendance", rate_text(f.attendance_rate()).into()),
                    ("leave", rate_text(f.leave_rate()).into()),
                    ("minutes", f.with_minutes.into()),
                    ("held", f.held.into()),
                    (
                        "missing",
                        if missing.is_empty() {
                            "—".to_owned()
                        } else {
                            missing.join(&cx.t(msg!("cli-list-separator")))
                        }
                        .into(),
                    ),
                ],
            ) + "\n"
                + &makeup,
        );
    }
    Ok(Step::text(lines.join("\n\n")))
}
