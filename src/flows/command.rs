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
    /// `/reply <code>`: read the answer to one's anonymous feedback.
    Reply(Option<String>),
    /// `/feedback [period]`: results of the targets one may see.
    Feedback(Option<String>),
    /// `/answer <id> <text>`: a secretary answers a comment.
    Answer(Option<String>),
    /// `/hide <id>`: the committee hides an abusive comment.
    Hide(Option<String>),
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
    /// `/proxyleave <id> <member key> <reason>`: 代请假.
    ProxyLeave(Option<String>),
    /// `/makeup [<id> [<member key>] <note>]`: 补学 recorded as done.
    Makeup(Option<String>),
    /// `/signin_screen <id> [only]`: a one-time link to the rotating sign-in code's page.
    SignInScreen(Option<String>),
    /// `/minutes <id> [text]`.
    Minutes(Option<String>),
    /// `/compliance [quarter]`.
    Compliance(Option<String>),
    /// `/audit`: the latest administrative actions.
    Audit,
    /// `/dashboard`: a one-time login link to the web dashboard.
    Dashboard,
    /// A `/word` the engine itself does not answer: a feature's command
    /// ([`super::feature::Features`]) or one the bot does not know.
    Other(String, Option<String>),
}

/// The engine's own commands shown in Telegram's menu, with their description message ids
/// (the features' join them: [`menu`]).
pub const MENU: &[(&str, crate::i18n::Msg)] = &[
    ("help", crate::msg!("menu-help")),
    ("me", crate::msg!("menu-me")),
    ("lang", crate::msg!("menu-lang")),
    ("unbound", crate::msg!("menu-unbound")),
    ("cancel", crate::msg!("menu-cancel")),
    ("feedback", crate::msg!("menu-feedback")),
    ("meetings", crate::msg!("menu-meetings")),
    ("signin", crate::msg!("menu-signin")),
    ("meeting", crate::msg!("menu-meeting")),
    ("attendance", crate::msg!("menu-attendance")),
    ("minutes", crate::msg!("menu-minutes")),
    ("compliance", crate::msg!("menu-compliance")),
    ("audit", crate::msg!("menu-audit")),
    ("dashboard", crate::msg!("menu-dashboard")),
];

/// Parses `/command@botname args`, or a bare help word. Returns None for plain text.
pub fn parse(text: &str) -> Option<Command> {
    let text = crate::flows::fold(text);
    let text = text.trim();
    let Some(body) = text.strip_prefix('/') else {
        // "补学" and "补学 12 自学会议精神": how an SMS reader records make-up study.
        if let Some(rest) = text.strip_prefix("补学") {
            if rest.is_empty() || rest.starts_with(char::is_whitespace) {
                let rest = rest.trim();
                return Some(Command::Makeup((!rest.is_empty()).then(|| rest.to_owned())));
            }
        }
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
        "reply" => Command::Reply(arg),
        "feedback" => Command::Feedback(arg),
        "answer" => Command::Answer(arg),
        "hide" => Command::Hide(arg),
        "meeting" | "newmeeting" => Command::NewMeeting,
        "meetings" => Command::Meetings,
        "attendance" => Command::Attendance(arg),
        "meeting_series" | "meetingseries" => Command::MeetingSeries(arg),
        "cancelmeeting" => Command::CancelMeeting(arg),
        "reschedule" => Command::Reschedule(arg),
        "signin" | "qd" => Command::SignIn(arg),
        "proxysignin" => Command::ProxySignIn(arg),
        "proxyleave" | "leave_for" | "leavefor" => Command::ProxyLeave(arg),
        "makeup" | "make_up" | "buxue" => Command::Makeup(arg),
        "signin_screen" | "signinscreen" | "screen" => Command::SignInScreen(arg),
        "minutes" => Command::Minutes(arg),
        "compliance" => Command::Compliance(arg),
        "audit" => Command::Audit,
        "dashboard" => Command::Dashboard,
        _ => Command::Other(name, arg),
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
            Some(Command::Other("frobnicate".into(), None))
        );
        assert_eq!(parse("hello"), None);
        assert_eq!(parse("补学"), Some(Command::Makeup(None)));
        assert_eq!(
            parse("补学 12 自学会议精神"),
            Some(Command::Makeup(Some("12 自学会议精神".into())))
        );
        assert_eq!(parse("补学了会议精神"), None);
        assert_eq!(parse("/dashboard@branch_bot"), Some(Command::Dashboard));
        assert_eq!(
            parse("/pledge_schedule 0 9 1 * *"),
            Some(Command::Other(
                "pledge_schedule".into(),
                Some("0 9 1 * *".into())
            ))
        );
        assert_eq!(
            parse("/dues_pay 马超 2026-11 12.50"),
            Some(Command::Other(
                "dues_pay".into(),
                Some("马超 2026-11 12.50".into())
            ))
        );
        assert_eq!(parse("/dues"), Some(Command::Other("dues".into(), None)));
        assert_eq!(
            parse("/dues_report@branch_bot 2026-11"),
            Some(Command::Other("dues_report".into(), Some("2026-11".into())))
        );
        assert_eq!(
            parse("/pledges 教工第一党支部"),
            Some(Command::Other(
                "pledges".into(),
                Some("教工第一党支部".into())
            ))
        );
    }
}
