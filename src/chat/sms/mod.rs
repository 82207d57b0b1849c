//! A reply as an SMS: its choices as numbered options in the reader's language, and
//! ([`encoding`]) how many segments the text takes.

pub mod encoding;

use crate::chat::Choice;
use crate::i18n::{Catalog, Locale};
use crate::msg;

/// A reply as SMS text: the text, then the choices as numbered options on their own line
/// ("回复 1 中文，2 English" / "Reply 1 中文, 2 English"), in the reader's language.
pub fn render(catalog: &Catalog, locale: Locale, text: &str, choices: &[Choice]) -> String {
    if choices.is_empty() {
        return text.to_owned();
    }
    // "收到请回复。" with one option, 收到, would read "收到请回复。\n回复 1 收到": the same
    // request twice. It becomes one: "收到请回复1" (`sms-confirm-with`).
    let prompt = catalog.text(locale, msg!("notice-please-confirm"));
    if let ([_], Some(head)) = (choices, text.strip_suffix(prompt.as_str())) {
        let merged = catalog.render(locale, msg!("sms-confirm-with"), &[("number", "1".into())]);
        return format!("{head}{merged}");
    }
    let separator = catalog.text(locale, msg!("sms-option-separator"));
    let options = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            catalog.render(
                locale,
                msg!("sms-option"),
                &[
                    ("number", (i + 1).to_string().into()),
                    ("label", c.label.as_str().into()),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(&separator);
    let hint = catalog.render(
        locale,
        msg!("sms-reply-with"),
        &[("options", options.into())],
    );
    format!("{text}\n{hint}")
}
