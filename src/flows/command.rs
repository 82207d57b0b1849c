//! What a typed text asks for.

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start(Option<String>),
    Help,
    Me,
    Lang(Option<String>),
    Unbound,
    Cancel,
    /// `/pledge`: my pledge.
    Pledge,
    /// `/pledges <branch>`: a branch's published pledges.
    Pledges(Option<String>),
    /// `/pledges_review`.
    PledgesReview,
    /// `/pledge_stats`.
    PledgeStats,
    /// `/pledge_schedule <crontab>`.
    PledgeSchedule(Option<String>),
    /// `/notice`: compose a notice.
    Notice,
    /// `/notice_status [id]`.
    NoticeStatus(Option<String>),
    /// `/notice_escalate HOURS [id]`.
    NoticeEscalate(Option<String>),
    /// `/campaign`: the current phase.
    Campaign,
    /// `/summary [text]`: the branch's phase summary.
    Summary(Option<String>),
    /// `/reply <code>`: read the answer to one's anonymous feedback.
    Reply(Option<String>),
    /// `/feedback [period]`: results of the targets one may see.
    Feedback(Option<String>),
    /// `/answer <id> <text>`: a secretary answers a comment.
    Answer(Option<String>),
    /// `/hide <id>`: the committee hides an abusive comment.
    Hide(Option<String>),
    /// `/evaluation …`: open, vote in, or see the results of an evaluation round.
    Evaluation(Option<String>),
    /// `/meeting` or `/newmeeting`: create a meeting.
    NewMeeting,
    /// `/meetings`: upcoming meetings.
    Meetings,
    /// `/attendance <id>`.
    Attendance(Option<String>),
    /// `/meeting_series <kind>; <crontab>; <place>; <topic>[; <count>]`: a recurring series.
    MeetingSeries(Option<String>),
    /// `/cancelmeeting <id>`.
    CancelMeeting(Option<String>),
    /// `/reschedule <id> <date time>`.
    Reschedule(Option<String>),
    /// `/signin <code>`.
    SignIn(Option<String>),
    /// `/proxysignin <id> <member key> <reason>`.
    ProxySignIn(Option<String>),
    /// `/minutes <id> [text]`.
    Minutes(Option<String>),
    /// `/compliance [quarter]`.
    Compliance(Option<String>),
    /// `/spotcheck [meeting|pledge] [branch]`: the committee's random check.
    SpotCheck(Option<String>),
    /// `/audit`: the latest administrative actions.
    Audit,
    /// `/dashboard`: a one-time login link to the web dashboard.
    Dashboard,
    /// `/mystage`: one's own stage of 发展党员.
    MyStage,
    /// `/recruit [due | KEY [STEP [DATE] [details]]]`: the branch's recruitment pipeline.
    Recruit(Option<String>),
    /// `/dues`: one's own 党费 this year.
    Dues,
    /// `/dues_pay [WHO [MONTH] [AMOUNT]]`: the keeper records a payment.
    DuesPay(Option<String>),
    /// `/dues_fix WHO MONTH AMOUNT`: the keeper corrects a recorded payment.
    DuesFix(Option<String>),
    /// `/dues_report [MONTH]`: a branch's 党费 for a month.
    DuesReport(Option<String>),
    /// `/activity`: log a service activity.
    Activity,
    /// `/plan [支部名]`: a branch's work plan.
    Plan(Option<String>),
    /// `/plan_publish [text]`: publish the branch's work plan.
    PlanPublish(Option<String>),
    /// `/comment [支部名 [@学号] 点评]`: the committee's 领导点评.
    Comment(Option<String>),
    /// `/comments`: the 领导点评 on one's branch.
    Comments,
    /// A `/word` the bot does not know.
    Unknown(String),
}

/// The commands shown in Telegram's menu, with their description message ids.
pub const MENU: &[(&str, crate::i18n::Msg)] = &[
    ("help", crate::msg!("menu-help")),
    ("me", crate::msg!("menu-me")),
    ("lang", crate::msg!("menu-lang")),
    ("unbound", crate::msg!("menu-unbound")),
    ("notice", crate::msg!("menu-notice")),
    ("notice_status", crate::msg!("menu-notice-status")),
    ("campaign", crate::msg!("menu-campaign")),
    ("summary", crate::msg!("menu-summary")),
    ("cancel", crate::msg!("menu-cancel")),
    ("pledge", crate::msg!("menu-pledge")),
    ("pledges", crate::msg!("menu-pledges")),
    ("pledges_review", crate::msg!("menu-pledges-review")),
    ("pledge_stats", crate::msg!("menu-pledge-stats")),
    ("pledge_schedule", crate::msg!("menu-pledge-schedule")),
    ("feedback", crate::msg!("menu-feedback")),
    ("evaluation", crate::msg!("menu-evaluation")),
    ("meetings", crate::msg!("menu-meetings")),
    ("signin", crate::msg!("menu-signin")),
    ("meeting", crate::msg!("menu-meeting")),
    ("attendance", crate::msg!("menu-attendance")),
    ("minutes", crate::msg!("menu-minutes")),
    ("compliance", crate::msg!("menu-compliance")),
    ("spotcheck", crate::msg!("menu-spotcheck")),
    ("audit", crate::msg!("menu-audit")),
    ("dashboard", crate::msg!("menu-dashboard")),
    ("mystage", crate::msg!("menu-mystage")),
    ("recruit", crate::msg!("menu-recruit")),
    ("dues", crate::msg!("menu-dues")),
    ("dues_pay", crate::msg!("menu-dues-pay")),
    ("dues_report", crate::msg!("menu-dues-report")),
    ("activity", crate::msg!("menu-activity")),
    ("plan", crate::msg!("menu-plan")),
    ("comments", crate::msg!("menu-comments")),
];

/// Parses `/command@botname args`, or a bare help word. Returns None for plain text.
pub fn parse(text: &str) -> Option<Command> {
    let text = crate::flows::fold(text);
    let text = text.trim();
    let Some(body) = text.strip_prefix('/') else {
        return match text.to_lowercase().as_str() {
            "help" | "帮助" | "?" | "？" => Some(Command::Help),
            _ => None,
        };
    };
    let (head, args) = match body.split_once(char::is_whitespace) {
        Some((h, a)) => (h, a.trim()),
        None => (body, ""),
    };
    let name = head.split('@').next().unwrap_or("").to_lowercase();
    let arg = (!args.is_empty()).then(|| args.to_owned());
    Some(match name.as_str() {
        "start" => Command::Start(arg),
        "help" => Command::Help,
        "me" => Command::Me,
        "lang" | "language" => Command::Lang(arg),
        "unbound" => Command::Unbound,
        "cancel" => Command::Cancel,
        "pledge" => Command::Pledge,
        "pledges" => Command::Pledges(arg),
        "pledges_review" => Command::PledgesReview,
        "pledge_stats" => Command::PledgeStats,
        "pledge_schedule" => Command::PledgeSchedule(arg),
        "notice" => Command::Notice,
        "notice_status" | "notices" => Command::NoticeStatus(arg),
        "notice_escalate" => Command::NoticeEscalate(arg),
        "campaign" => Command::Campaign,
        "summary" => Command::Summary(arg),
        "reply" => Command::Reply(arg),
        "feedback" => Command::Feedback(arg),
        "answer" => Command::Answer(arg),
        "hide" => Command::Hide(arg),
        "evaluation" | "vote" => Command::Evaluation(arg),
        "meeting" | "newmeeting" => Command::NewMeeting,
        "meetings" => Command::Meetings,
        "attendance" => Command::Attendance(arg),
        "meeting_series" | "meetingseries" => Command::MeetingSeries(arg),
        "cancelmeeting" => Command::CancelMeeting(arg),
        "reschedule" => Command::Reschedule(arg),
        "signin" | "qd" => Command::SignIn(arg),
        "proxysignin" => Command::ProxySignIn(arg),
        "minutes" => Command::Minutes(arg),
        "compliance" => Command::Compliance(arg),
        "spotcheck" | "spot_check" | "choucha" => Command::SpotCheck(arg),
        "audit" => Command::Audit,
        "dashboard" => Command::Dashboard,
        "mystage" | "my_stage" => Command::MyStage,
        "recruit" | "recruitment" => Command::Recruit(arg),
        "dues" | "dangfei" => Command::Dues,
        "dues_pay" | "duespay" => Command::DuesPay(arg),
        "dues_fix" | "duesfix" => Command::DuesFix(arg),
        "dues_report" | "duesreport" => Command::DuesReport(arg),
        "activity" | "huodong" => Command::Activity,
        "plan" | "fangan" => Command::Plan(arg),
        "plan_publish" | "planpublish" => Command::PlanPublish(arg),
        "comment" | "dianping" => Command::Comment(arg),
        "comments" => Command::Comments,
        _ => Command::Unknown(name),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_bot_suffix_and_arguments() {
        assert_eq!(
            parse("/start ABCD-2345"),
            Some(Command::Start(Some("ABCD-2345".into())))
        );
        assert_eq!(parse("/help@branch_bot"), Some(Command::Help));
        assert_eq!(
            parse("／ｌａｎｇ en"),
            Some(Command::Lang(Some("en".into())))
        );
        assert_eq!(parse("帮助"), Some(Command::Help));
        assert_eq!(
            parse("/frobnicate"),
            Some(Command::Unknown("frobnicate".into()))
        );
        assert_eq!(parse("hello"), None);
        assert_eq!(parse("/dashboard@branch_bot"), Some(Command::Dashboard));
        assert_eq!(
            parse("/pledge_schedule 0 9 1 * *"),
            Some(Command::PledgeSchedule(Some("0 9 1 * *".into())))
        );
        assert_eq!(
            parse("/dues_pay 马超 2026-11 12.50"),
            Some(Command::DuesPay(Some("马超 2026-11 12.50".into())))
        );
        assert_eq!(parse("/dues"), Some(Command::Dues));
        assert_eq!(
            parse("/dues_report@branch_bot 2026-11"),
            Some(Command::DuesReport(Some("2026-11".into())))
        );
        assert_eq!(
            parse("/pledges 教工第一党支部"),
            Some(Command::Pledges(Some("教工第一党支部".into())))
        );
    }
}
