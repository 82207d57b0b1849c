//! `branchbot sms …`: what operators do with the SMS channel from the command line.

use clap::Subcommand;

use super::encoding::{measure, Encoding};
use crate::i18n::{Catalog, Locale};
use crate::msg;

/// The `sms` subcommands.
#[derive(Debug, Subcommand)]
pub enum SmsCommand {
    /// Print a text's SMS encoding and how many segments (billed messages) it takes.
    Count {
        /// The text, quoted.
        text: String,
    },
    /// Set where a member's pushes may go, as `branchbot prefer` does (its older spelling).
    Prefer {
        /// The member's roster key or mobile number.
        member: String,
        /// telegram, wecom, sms, console in order (separated by commas), or both.
        channel: String,
    },
}

/// What `branchbot sms count` prints, in the reader's language.
pub fn count(text: &str, catalog: &Catalog, locale: Locale) -> String {
    let l = measure(text);
    let per = if l.segments == 1 {
        l.encoding.single()
    } else {
        l.encoding.per_part()
    };
    let unit = match l.encoding {
        Encoding::Gsm7 => msg!("sms-unit-septets"),
        Encoding::Ucs2 => msg!("sms-unit-utf16"),
    };
    catalog.render(
        locale,
        msg!("sms-count"),
        &[
            ("encoding", l.encoding.to_string().into()),
            ("chars", l.chars.into()),
            ("units", l.units.into()),
            ("unit", catalog.text(locale, unit).into()),
            ("segments", l.segments.into()),
            ("per", per.into()),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_says_encoding_and_segments() {
        let catalog = Catalog::load().unwrap();
        let count = |t: &str| count(t, &catalog, Locale::En);
        assert_eq!(
            count(&"a".repeat(161)),
            "GSM-7: 161 characters, 161 septets, 2 segments (153 septets per segment)"
        );
        assert_eq!(
            count("回复1参加，2请假"),
            "UCS-2: 9 characters, 9 UTF-16 units, 1 segment (70 UTF-16 units per segment)"
        );
        assert_eq!(
            super::count("回复1参加，2请假", &catalog, Locale::ZhCn),
            "UCS-2：9 个字符，9 个UTF-16 单元，共 1 条（每条最多 70 个UTF-16 单元）"
        );
    }
}
