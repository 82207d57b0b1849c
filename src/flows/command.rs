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
    /// `/meeting` or `/newmeeting`: create a meeting.
    NewMeeting,
    /// `/meetings`: upcoming meetings.
    Meetings,
    /// `/attendance <id>`.
    Attendance(Option<String>),
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
    /// A `/word` the bot does not know.
    Unknown(String),
}

/// The commands shown in Telegram's menu, with their description message ids.
pub const MENU: &[(&str, crate::i18n::Msg)] = &[
    ("help", crate::msg!("menu-help")),
    ("me", crate::msg!("menu-me")),
    ("lang", crate::msg!("menu-lang")),
    ("unbound", crate::msg!("menu-unbound")),
    ("cancel", crate::msg!("menu-cancel")),
    ("meetings", crate::msg!("menu-meetings")),
    ("signin", crate::msg!("menu-signin")),
    ("meeting", crate::msg!("menu-meeting")),
    ("attendance", crate::msg!("menu-attendance")),
    ("minutes", crate::msg!("menu-minutes")),
    ("compliance", crate::msg!("menu-compliance")),
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
        "meeting" | "newmeeting" => Command::NewMeeting,
        "meetings" => Command::Meetings,
        "attendance" => Command::Attendance(arg),
        "cancelmeeting" => Command::CancelMeeting(arg),
        "reschedule" => Command::Reschedule(arg),
        "signin" | "qd" => Command::SignIn(arg),
        "proxysignin" => Command::ProxySignIn(arg),
        "minutes" => Command::Minutes(arg),
        "compliance" => Command::Compliance(arg),
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
    }
}
