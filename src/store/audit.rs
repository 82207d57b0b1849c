//! The audit log: every administrative action with who did it, through what, when, and on
//! what. Rows are only ever added; the committee reads them with `branchbot audit`.

use std::fmt;
use std::str::FromStr;

use sqlx::any::AnyRow;

use super::{Conn, Result};
use crate::domain::org::Member;
use crate::i18n::Msg;
use crate::msg;

/// What was done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// A roster file was imported.
    Import,
    /// Feedback targets were loaded.
    TargetsLoaded,
    /// A campaign file was loaded.
    CampaignLoaded,
    /// A calendar file (holidays, 调休, vacations) was loaded.
    CalendarLoaded,
    NoticeSent,
    MeetingCreated,
    MeetingRescheduled,
    MeetingCancelled,
    /// An evaluation round (民主评议 or 票决) was opened.
    RoundOpened,
    /// An evaluation round was closed before its planned end.
    RoundClosed,
    /// An abusive feedback comment was hidden.
    CommentHidden,
    /// A secretary or the committee answered a feedback comment.
    FeedbackAnswered,
    /// Invite codes were made (they bind a Telegram account to a member).
    InvitesIssued,
    /// A report or export was written.
    DataExported,
    /// A spot check's finding was recorded.
    SpotCheck,
    /// Someone logged in to the web dashboard.
    DashboardLogin,
    /// The operator put a failed inbound update back to be processed again.
    InboxRetried,
    /// A step of 发展党员 was recorded (src/recruitment/).
    RecruitmentStep,
    /// A member's 党费 for a month was recorded (src/dues/).
    DuesPaid,
    /// A recorded 党费 payment was corrected.
    DuesCorrected,
    /// Monthly 党费 amounts were imported.
    DuesImported,
    /// A branch's dues keeper was named.
    DuesKeeper,
    /// 代请假: leave recorded for a member by their secretary (or the operator).
    LeaveRecorded,
    /// A member's 补学 for a missed meeting recorded as done.
    MakeupRecorded,
    /// A service activity was logged (src/records/).
    ActivityLogged,
    /// A participant confirmed or denied taking part in an activity.
    ActivityAnswered,
    /// A branch published (or replaced) its work plan.
    PlanPublished,
    /// The committee wrote a 领导点评.
    CommentWritten,
}

impl Action {
    pub const ALL: [Action; 28] = [
        Self::Import,
        Self::TargetsLoaded,
        Self::CampaignLoaded,
        Self::CalendarLoaded,
        Self::NoticeSent,
        Self::MeetingCreated,
        Self::MeetingRescheduled,
        Self::MeetingCancelled,
        Self::RoundOpened,
        Self::RoundClosed,
        Self::CommentHidden,
        Self::FeedbackAnswered,
        Self::InvitesIssued,
        Self::DataExported,
        Self::SpotCheck,
        Self::DashboardLogin,
        Self::InboxRetried,
        Self::RecruitmentStep,
        Self::DuesPaid,
        Self::DuesCorrected,
        Self::DuesImported,
        Self::DuesKeeper,
        Self::LeaveRecorded,
        Self::MakeupRecorded,
        Self::ActivityLogged,
        Self::ActivityAnswered,
        Self::PlanPublished,
        Self::CommentWritten,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::TargetsLoaded => "targets_loaded",
            Self::CampaignLoaded => "campaign_loaded",
            Self::CalendarLoaded => "calendar_loaded",
            Self::NoticeSent => "notice_sent",
            Self::MeetingCreated => "meeting_created",
            Self::MeetingRescheduled => "meeting_rescheduled",
            Self::MeetingCancelled => "meeting_cancelled",
            Self::RoundOpened => "round_opened",
            Self::RoundClosed => "round_closed",
            Self::CommentHidden => "comment_hidden",
            Self::FeedbackAnswered => "feedback_answered",
            Self::InvitesIssued => "invites_issued",
            Self::DataExported => "data_exported",
            Self::SpotCheck => "spot_check",
            Self::DashboardLogin => "dashboard_login",
            Self::InboxRetried => "inbox_retried",
            Self::RecruitmentStep => "recruitment_step",
            Self::DuesPaid => "dues_paid",
            Self::DuesCorrected => "dues_corrected",
            Self::DuesImported => "dues_imported",
            Self::DuesKeeper => "dues_keeper",
            Self::LeaveRecorded => "leave_recorded",
            Self::MakeupRecorded => "makeup_recorded",
            Self::ActivityLogged => "activity_logged",
            Self::ActivityAnswered => "activity_answered",
            Self::PlanPublished => "plan_published",
            Self::CommentWritten => "comment_written",
        }
    }

    /// The action as a person reads it.
    pub fn msg(self) -> Msg {
        match self {
            Self::Import => msg!("audit-action-import"),
            Self::TargetsLoaded => msg!("audit-action-targets-loaded"),
            Self::CampaignLoaded => msg!("audit-action-campaign-loaded"),
            Self::CalendarLoaded => msg!("audit-action-calendar-loaded"),
            Self::NoticeSent => msg!("audit-action-notice-sent"),
            Self::MeetingCreated => msg!("audit-action-meeting-created"),
            Self::MeetingRescheduled => msg!("audit-action-meeting-rescheduled"),
            Self::MeetingCancelled => msg!("audit-action-meeting-cancelled"),
            Self::RoundOpened => msg!("audit-action-round-opened"),
            Self::RoundClosed => msg!("audit-action-round-closed"),
            Self::CommentHidden => msg!("audit-action-comment-hidden"),
            Self::FeedbackAnswered => msg!("audit-action-feedback-answered"),
            Self::InvitesIssued => msg!("audit-action-invites-issued"),
            Self::DataExported => msg!("audit-action-data-exported"),
            Self::SpotCheck => msg!("audit-action-spot-check"),
            Self::DashboardLogin => msg!("audit-action-dashboard-login"),
            Self::InboxRetried => msg!("audit-action-inbox-retried"),
            Self::RecruitmentStep => msg!("audit-action-recruitment-step"),
            Self::DuesPaid => msg!("audit-action-dues-paid"),
            Self::DuesCorrected => msg!("audit-action-dues-corrected"),
            Self::DuesImported => msg!("audit-action-dues-imported"),
            Self::DuesKeeper => msg!("audit-action-dues-keeper"),
            Self::LeaveRecorded => msg!("audit-action-leave-recorded"),
            Self::MakeupRecorded => msg!("audit-action-makeup-recorded"),
            Self::ActivityLogged => msg!("audit-action-activity-logged"),
            Self::ActivityAnswered => msg!("audit-action-activity-answered"),
            Self::PlanPublished => msg!("audit-action-plan-published"),
            Self::CommentWritten => msg!("audit-action-comment-written"),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Action {
    type Err = ();

    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        let s = s.trim().to_lowercase().replace('-', "_");
        Self::ALL.into_iter().find(|a| a.as_str() == s).ok_or(())
    }
}

/// Who acted and through what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The member, when a member acted (in chat, or named with `--from` at the command line).
    pub member_id: Option<i64>,
    /// The name as it was at the time: `name (key)`, or the operator's login at the command line.
    pub name: String,
    /// `telegram`, `sms`, `console`, `cli` or `web`.
    pub via: &'static str,
}

impl Actor {
    /// A member acting through a channel or the dashboard.
    pub fn member(member: &Member, via: &'static str) -> Self {
        Self {
            member_id: Some(member.id),
            name: format!("{} ({})", member.name, member.key),
            via,
        }
    }

    /// The operator at the command line, named by their login (`$USER`), as the database
    /// cannot know more.
    pub fn operator() -> Self {
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "operator".to_owned());
        Self {
            member_id: None,
            name: user,
            via: "cli",
        }
    }
}

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub at: i64,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub via: String,
    /// The stored action; an action this build does not know is kept as text.
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Writes one action to the log, in the caller's transaction so that the action and its
/// record stand or fall together.
pub async fn record(
    conn: &mut Conn,
    at: i64,
    actor: &Actor,
    action: Action,
    subject: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_id, actor, via, action, subject, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
    .bind(actor.member_id)
    .bind(actor.name.as_str())
    .bind(actor.via)
    .bind(action.as_str())
    .bind(subject)
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

/// The first `max` characters of a text on one line, with `…` when cut: what a detail quotes.
pub fn excerpt(text: &str, max: usize) -> String {
    let line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= max {
        return line;
    }
    let mut cut: String = line.chars().take(max).collect();
    cut.push('…');
    cut
}

/// Which rows to read.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// From this instant (milliseconds, inclusive).
    pub since: Option<i64>,
    /// Before this instant (exclusive).
    pub until: Option<i64>,
    pub action: Option<Action>,
    pub actor_id: Option<i64>,
    /// At most this many, the newest; all when None.
    pub limit: Option<i64>,
}

/// The rows matching the filter, oldest first (the newest `limit` when a limit is set).
pub async fn list(conn: &mut Conn, filter: &Filter) -> Result<Vec<Entry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor, via, action, subject, detail FROM audit_log \
         WHERE ($1 IS NULL OR at >= $1) AND ($2 IS NULL OR at < $2) \
           AND ($3 IS NULL OR action = $3) AND ($4 IS NULL OR actor_id = $4) \
         ORDER BY at DESC, id DESC LIMIT $5",
    )
    .bind(filter.since)
    .bind(filter.until)
    .bind(filter.action.map(Action::as_str))
    .bind(filter.actor_id)
    .bind(filter.limit.unwrap_or(i64::MAX))
    .fetch_all(conn)
    .await?;
    let mut out = rows.iter().map(from_row).collect::<Result<Vec<_>>>()?;
    out.reverse();
    Ok(out)
}

fn from_row(row: &AnyRow) -> Result<Entry> {
    super::read_row("audit_log", row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_back_from_their_names() {
        for action in Action::ALL {
            assert_eq!(action.as_str().parse::<Action>(), Ok(action));
        }
        assert_eq!("notice-sent".parse::<Action>(), Ok(Action::NoticeSent));
        assert_eq!("deleted".parse::<Action>(), Err(()));
    }

    #[test]
    fn excerpts_keep_one_line_and_mark_the_cut() {
        assert_eq!(excerpt("周三 下午\n开会", 20), "周三 下午 开会");
        assert_eq!(excerpt("一二三四五六", 4), "一二三四…");
    }
}
