//! How long a text is as SMS: its encoding and how many segments (billed messages) it takes.
//!
//! A text that fits the GSM 03.38 default alphabet goes as GSM-7: 160 characters in one
//! segment, 153 per part of a longer (concatenated) message, where the extension characters
//! `€ ^ { } [ ] ~ \ |` (and form feed) take two places each (an escape and the character).
//! Any other character — a Chinese character, an em dash, an emoji — makes the whole text
//! UCS-2: 70 UTF-16 code units in one segment, 67 per part, a surrogate pair (an emoji)
//! taking two. Parts are cut at segment boundaries without splitting an escape pair or a
//! surrogate pair, which is why a text can need one more part than plain division says.

use std::fmt;

/// The basic GSM 03.38 alphabet (one septet each), ESC excluded.
const GSM7_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The GSM 03.38 extension table: an escape septet, then the character (two septets).
const GSM7_EXTENSION: &str = "\u{0C}^{}\\[~]|€";

/// How a text is encoded on the air.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

impl Encoding {
    /// Units (septets or UTF-16 code units) that fit in a single-segment message.
    pub fn single(self) -> usize {
        match self {
            Self::Gsm7 => 160,
            Self::Ucs2 => 70,
        }
    }

    /// Units per part of a concatenated message (the rest is the part header).
    pub fn per_part(self) -> usize {
        match self {
            Self::Gsm7 => 153,
            Self::Ucs2 => 67,
        }
    }

    /// How many units one character takes.
    fn units(self, c: char) -> usize {
        match self {
            Self::Gsm7 if GSM7_EXTENSION.contains(c) => 2,
            Self::Gsm7 => 1,
            Self::Ucs2 => c.len_utf16(),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Gsm7 => "GSM-7",
            Self::Ucs2 => "UCS-2",
        })
    }
}

/// Whether a character can be sent in GSM-7 (directly or through the extension table).
pub fn is_gsm7(c: char) -> bool {
    GSM7_BASIC.contains(c) || GSM7_EXTENSION.contains(c)
}

/// The encoding a text needs.
pub fn encoding_of(text: &str) -> Encoding {
    if text.chars().all(is_gsm7) {
        Encoding::Gsm7
    } else {
        Encoding::Ucs2
    }
}

/// What a text costs as SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Length {
    pub encoding: Encoding,
    /// Characters as a person counts them (Unicode scalar values).
    pub chars: usize,
    /// Septets (GSM-7) or UTF-16 code units (UCS-2).
    pub units: usize,
    /// Billed messages; an empty text still takes one.
    pub segments: usize,
}

/// Measures a text.
pub fn measure(text: &str) -> Length {
    let encoding = encoding_of(text);
    Length {
        encoding,
        chars: text.chars().count(),
        units: text.chars().map(|c| encoding.units(c)).sum(),
        segments: split(text).len().max(1),
    }
}

/// The segment count alone.
pub fn segments(text: &str) -> usize {
    measure(text).segments
}

/// Cuts a text into the parts it travels in: the whole text when it fits one segment,
/// otherwise parts of at most 153 septets (GSM-7) or 67 code units (UCS-2), never cutting
/// an escape pair or a surrogate pair. An empty text gives no parts.
pub fn split(text: &str) -> Vec<&str> {
    if text.is_empty() {
        return Vec::new();
    }
    let encoding = encoding_of(text);
    let total: usize = text.chars().map(|c| encoding.units(c)).sum();
    if total <= encoding.single() {
        return vec![text];
    }
    let limit = encoding.per_part();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let u = encoding.units(c);
        // A character is never split: if it does not fit, it opens the next part.
        if used + u > limit {
            parts.push(&text[start..i]);
            start = i;
            used = 0;
        }
        used += u;
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_goes_ucs2_seventy_in_one_then_sixty_seven_a_part() {
        assert_eq!(measure(&"党".repeat(70)).segments, 1);
        assert_eq!(measure(&"党".repeat(71)).segments, 2);
        assert_eq!(measure(&"党".repeat(134)).segments, 2);
        assert_eq!(measure(&"党".repeat(135)).segments, 3);
        let l = measure("回复1参加，2请假");
        assert_eq!(
            (l.encoding, l.chars, l.units, l.segments),
            (Encoding::Ucs2, 9, 9, 1)
        );
    }

    #[test]
    fn ascii_goes_gsm7_one_sixty_in_one_then_one_fifty_three_a_part() {
        assert_eq!(measure(&"a".repeat(160)).segments, 1);
        assert_eq!(measure(&"a".repeat(161)).segments, 2);
        assert_eq!(measure(&"a".repeat(306)).segments, 2);
        assert_eq!(measure(&"a".repeat(307)).segments, 3);
        assert_eq!(measure("").segments, 1);
        assert_eq!(measure("Reply 1 Attend, 2 Leave").encoding, Encoding::Gsm7);
    }

    #[test]
    fn extension_characters_count_double() {
        let text = format!("{}€", "a".repeat(159));
        let l = measure(&text);
        assert_eq!(
            (l.encoding, l.chars, l.units, l.segments),
            (Encoding::Gsm7, 160, 161, 2)
        );
        assert_eq!(measure(&format!("{}€", "a".repeat(158))).segments, 1);
        assert_eq!(measure("{[~]}^\\|").units, 16);
    }

    #[test]
    fn one_foreign_character_makes_the_whole_text_ucs2() {
        // An em dash, an emoji, a Chinese character: each is outside GSM-7.
        for text in ["Meeting — 19:30", "Thanks 👍", "Room 305 图书馆"] {
            assert_eq!(encoding_of(text), Encoding::Ucs2, "{text}");
        }
        // 69 letters and one emoji (two code units) are 71 units: two segments.
        let text = format!("{}👍", "a".repeat(69));
        let l = measure(&text);
        assert_eq!((l.chars, l.units, l.segments), (70, 71, 2));
        // Mixed Chinese and ASCII, as a real reminder looks.
        let reminder =
            "【第三党支部】12/3 周三19:30 图书馆305 党员大会。回复1参加，2请假（可附原因）";
        assert_eq!(measure(reminder).segments, 1);
    }

    #[test]
    fn parts_never_split_an_escape_or_a_surrogate_pair() {
        // 152 letters then '€': the escape pair does not fit in part one and moves on.
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(10));
        let parts = split(&text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], "a".repeat(152));
        assert!(parts[1].starts_with('€'));
        // 66 Chinese characters then an emoji: the pair opens part two.
        let text = format!("{}👍{}", "党".repeat(66), "员".repeat(10));
        let parts = split(&text);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].chars().count(), 66);
        assert!(parts[1].starts_with('👍'));
        assert_eq!(parts.concat(), text);
        // Every part fits its limit.
        let long = "长".repeat(1000);
        assert!(split(&long).iter().all(|p| p.encode_utf16().count() <= 67));
        assert_eq!(split(&long).len(), 15);
    }
}
