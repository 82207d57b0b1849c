//! `branchbot sms …`: what operators do with the SMS channel from the command line.

use clap::Subcommand;

use super::encoding::{measure, Encoding};

/// The `sms` subcommands.
#[derive(Debug, Subcommand)]
pub enum SmsCommand {
    /// Print a text's SMS encoding and how many segments (billed messages) it takes.
    Count {
        /// The text, quoted.
        text: String,
    },
    /// Set where a member's pushes may go: telegram, sms or both (Telegram first).
    Prefer {
        /// The member's roster key or mobile number.
        member: String,
        /// telegram, sms or both.
        channel: String,
    },
}

/// What `branchbot sms count` prints.
pub fn count(text: &str) -> String {
    let l = measure(text);
    let per = if l.segments == 1 {
        l.encoding.single()
    } else {
        l.encoding.per_part()
    };
    let unit = match l.encoding {
        Encoding::Gsm7 => "septets",
        Encoding::Ucs2 => "UTF-16 units",
    };
    format!(
        "{}: {} characters, {} {unit}, {} segment{} ({per} {unit} per segment)",
        l.encoding,
        l.chars,
        l.units,
        l.segments,
        if l.segments == 1 { "" } else { "s" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_says_encoding_and_segments() {
        assert_eq!(
            count(&"a".repeat(161)),
            "GSM-7: 161 characters, 161 septets, 2 segments (153 septets per segment)"
        );
        assert_eq!(
            count("回复1参加，2请假"),
            "UCS-2: 9 characters, 9 UTF-16 units, 1 segment (70 UTF-16 units per segment)"
        );
    }
}
