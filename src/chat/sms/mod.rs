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
