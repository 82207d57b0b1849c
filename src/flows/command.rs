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
        "notice" => Command::Notice,
        "notice_status" | "notices" => Command::NoticeStatus(arg),
        "notice_escalate" => Command::NoticeEscalate(arg),
        "campaign" => Command::Campaign,
        "summary" => Command::Summary(arg),
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
