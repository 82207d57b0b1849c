//! What a typed text asks for.

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Start(Option<String>),
    Help,
    Cancel,
    /// A `/word` the engine itself does not answer: a feature's command
    /// ([`super::feature::Features`]) or one the bot does not know.
    Other(String, Option<String>),
}

/// The engine's own commands shown in Telegram's menu, with their description message ids
/// (the features' join them: [`menu`]).
pub const MENU: &[(&str, crate::i18n::Msg)] = &[
    ("help", crate::msg!("menu-help")),
    ("cancel", crate::msg!("menu-cancel")),
];

/// Parses `/command@botname args`, or a bare help word. Returns None for plain text.
pub fn parse(text: &str) -> Option<Command> {
    let text = crate::flows::fold(text);
    let text = text.trim();
    let Some(body) = text.strip_prefix('/') else {
        // A feature's word without `/` ("补学 12 自学会议精神") is read by the engine after this
        // (`Features::word`).
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
        "cancel" => Command::Cancel,
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
            Some(Command::Other("lang".into(), Some("en".into())))
        );
        assert_eq!(parse("帮助"), Some(Command::Help));
        assert_eq!(
            parse("/frobnicate"),
            Some(Command::Other("frobnicate".into(), None))
        );
        assert_eq!(parse("hello"), None);
        assert_eq!(
            parse("/signin 123456"),
            Some(Command::Other("signin".into(), Some("123456".into())))
        );
        assert_eq!(
            parse("/dashboard@branch_bot"),
            Some(Command::Other("dashboard".into(), None))
        );
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
