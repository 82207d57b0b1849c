//! The figures of each report kind, per branch and for a period, gathered through the functions
//! behind the chat's answers so that an export, a chart and a chat reply never disagree.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::meetings::{percent, MeetingRules};
use crate::domain::period::Period;
use crate::evaluation::service as evaluation;
use crate::feedback::results;
use crate::feedback::rules::Shown;
use crate::feedback::store as feedback_store;
use crate::meetings::compliance;
use crate::meetings::store as meeting_store;
use crate::notices::store as notice_store;
use crate::pledges::service as stats;
use crate::store::campaigns as campaign_store;
use crate::store::members;
use crate::store::{Conn, StoreError};

pub use compliance::BranchFigures as MeetingFigures;
pub use stats::BranchFigures as PledgeFigures;

/// The branches in scope: every branch, or the one asked for. `(id, name)`, by name.
pub async fn branches(
    conn: &mut Conn,
    branch: Option<i64>,
) -> Result<Vec<(i64, String)>, StoreError> {
    Ok(members::branches(conn)
        .await?
        .into_iter()
        .filter(|(id, _, _)| branch.is_none_or(|b| b == *id))
        .map(|(id, name, _)| (id, name))
        .collect())
}

/// 三会一课 per branch in `period`: the `/compliance` figures.
pub async fn meetings(
    conn: &mut Conn,
    tz: Tz,
    rules: &MeetingRules,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<MeetingFigures>, StoreError> {
    compliance::figures_in(conn, tz, rules, period, branch, now).await
}

/// One branch's attendance month by month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyAttendance {
    pub branch: String,
    /// `(month as 2026-11, signed in, expected)` for each month of the period.
    pub months: Vec<(String, u32, u32)>,
}

impl MonthlyAttendance {
    /// The attendance rates in per cent, month by month (`None` for a month without meetings).
    pub fn rates(&self) -> Vec<Option<u32>> {
        self.months
            .iter()
            .map(|(_, signed, expected)| (*expected > 0).then(|| percent(*signed, *expected)))
            .collect()
    }
}

/// Sign-ins of the expected attendees of the meetings held, per branch and month: the same
/// sums as the attendance rate of `/compliance`, cut by month.
pub async fn attendance_by_month(
    conn: &mut Conn,
    tz: Tz,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<MonthlyAttendance>, StoreError> {
    let mut out = Vec::new();
    for (id, name) in branches(conn, branch).await? {
        let mut months = Vec::new();
        for (y, m) in period.months() {
            let (from, to) = period.month_within(y, m).bounds(tz);
            let held = meeting_store::held_between(
                conn,
                Some(id),
                from.timestamp_millis(),
                to.timestamp_millis(),
                now.timestamp_millis(),
            )
            .await?;
            months.push((
                format!("{y}-{m:02}"),
                held.iter().map(|h| h.signed_in).sum(),
                held.iter().map(|h| h.expected).sum(),
            ));
        }
        out.push(MonthlyAttendance {
            branch: name,
            months,
        });
    }
    Ok(out)
}

/// Pledges per branch: the `/pledge_stats` figures (no pledge, awaiting review, the latest
/// check-in round's response, items behind or blocked). They describe the present, whatever
/// the period.
pub async fn pledges(
    conn: &mut Conn,
    branch: Option<i64>,
) -> Result<Vec<PledgeFigures>, StoreError> {
    let mut out = Vec::new();
    for (id, name) in branches(conn, branch).await? {
        out.push(stats::figures(conn, id, &name).await?);
    }
    Ok(out)
}

/// One month of feedback as `/feedback` shows it: targets and building totals after the
/// thresholds and the suppression of complementary cells.
#[derive(Debug, Clone)]
pub struct FeedbackMonth {
    /// The feedback period, `2026-11`.
    pub month: String,
    pub rows: Vec<results::Row>,
    /// Building totals (the whole college only).
    pub groups: Vec<(String, Shown)>,
    /// Whether anyone rated anything this month (in the whole college).
    pub rated: bool,
}

/// Feedback month by month in `period`. Suppression is decided over the whole college, as in
/// the chat, and only then are the rows cut to `branch`: a branch's export never shows a
/// cell the college report hides. Months are never added together, since a sum of months
/// could reveal a hidden month by difference. Every target is listed, rated or not (as in the
/// chat), so a missing row never tells "nobody" from "too few". Comments come as the chat shows them
/// (from ten on); the exports leave them out.
pub async fn feedback(
    conn: &mut Conn,
    period: &Period,
    branch: Option<i64>,
) -> Result<Vec<FeedbackMonth>, StoreError> {
    let mut out = Vec::new();
    for (y, m) in period.months() {
        let month = format!("{y}-{m:02}");
        let rated = !feedback_store::counts(conn, &month).await?.is_empty();
        let targets = feedback_store::visible_targets(conn, 0, true, None).await?;
        let (rows, groups) = results::report(conn, targets, &month).await?;
        let rows = rows
            .into_iter()
            .filter(|r| branch.is_none() || r.target.branch_id == branch)
            .collect();
        out.push(FeedbackMonth {
            month,
            rows,
            groups: if branch.is_none() { groups } else { Vec::new() },
            rated,
        });
    }
    Ok(out)
}

/// One notice with its figures (`/notice_status`), for the college or one branch's recipients.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeFigures {
    pub notice: notice_store::Notice,
    pub sender: String,
    pub figures: notice_store::Figures,
}

/// The notices created in `period`, with the figures of every recipient (`branch` None) or of
/// one branch's recipients only (notices that reached nobody there are left out).
pub async fn notices(
    conn: &mut Conn,
    tz: Tz,
    period: &Period,
    branch: Option<i64>,
) -> Result<Vec<NoticeFigures>, StoreError> {
    let (from, to) = period.bounds(tz);
    let mut out = Vec::new();
    for notice in
        notice_store::created_between(conn, from.timestamp_millis(), to.timestamp_millis()).await?
    {
        let figures = notice_store::figures_in_branch(conn, notice.id, branch).await?;
        if branch.is_some() && figures.total == 0 {
            continue;
        }
        let sender = members::by_id(conn, notice.sender_id)
            .await?
            .map_or_else(String::new, |m| m.name);
        out.push(NoticeFigures {
            notice,
            sender,
            figures,
        });
    }
    Ok(out)
}

/// One closed evaluation round's tallies, as `/evaluation` shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundFigures {
    pub round: evaluation::Round,
    pub branch: String,
    pub results: evaluation::Results,
}

/// The evaluation rounds that closed in `period` (and before `now`): rounds still open show
/// no tallies, as in the chat.
pub async fn evaluation(
    conn: &mut Conn,
    tz: Tz,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<RoundFigures>, StoreError> {
    let (from, to) = period.bounds(tz);
    let (from, to, now) = (
        from.timestamp_millis(),
        to.timestamp_millis(),
        now.timestamp_millis(),
    );
    let names = branches(conn, branch).await?;
    let mut out = Vec::new();
    for round in evaluation::rounds(conn, branch).await? {
        if round.closes_at > now || round.closes_at < from || round.closes_at >= to {
            continue;
        }
        let Some((_, name)) = names.iter().find(|(id, _)| *id == round.branch_id) else {
            continue;
        };
        let results = evaluation::tallies(conn, &round).await?;
        out.push(RoundFigures {
            branch: name.clone(),
            round,
            results,
        });
    }
    out.sort_by_key(|r| (r.round.closes_at, r.round.id));
    Ok(out)
}

/// One phase of a loaded campaign and each branch's summary of it (`branchbot campaign status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseFigures {
    pub campaign: String,
    /// 1-based.
    pub index: usize,
    pub phase: crate::domain::campaign::Phase,
    /// Whether `now` falls in it.
    pub current: bool,
    pub summaries: Vec<campaign_store::BranchSummary>,
}

/// The phases of the loaded campaigns that overlap `period` (every phase when None), with
/// which branches have submitted their summary.
pub async fn campaign(
    conn: &mut Conn,
    tz: Tz,
    period: Option<&Period>,
    branch: Option<i64>,
    now: DateTime<Utc>,
) -> Result<Vec<PhaseFigures>, StoreError> {
    let mut out = Vec::new();
    for c in campaign_store::loaded(conn, tz).await? {
        for (i, phase) in c.phases.iter().enumerate() {
            if let Some(p) = period {
                let (from, to) = p.bounds(tz);
                if phase.end <= from || phase.start >= to {
                    continue;
                }
            }
            let summaries = campaign_store::summaries(conn, &c.name, i as i64)
                .await?
                .into_iter()
                .filter(|s| branch.is_none_or(|b| b == s.branch_id))
                .collect();
            out.push(PhaseFigures {
                campaign: c.name.clone(),
                index: i + 1,
                current: phase.start <= now && now < phase.end,
                phase: phase.clone(),
                summaries,
            });
        }
    }
    Ok(out)
}
