//! Mobile numbers in E.164. Chinese mobile numbers are accepted without the +86 prefix.

use std::fmt;
use std::str::FromStr;

use crate::i18n::{Catalog, Locale};
use crate::msg;

/// A phone number in E.164 form: `+` then 8 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

/// Why a text is not a phone number. [`PhoneError::render`] says it to a person; `Display` is
/// for logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    BadCharacter(char),
    WrongLength(usize),
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("empty phone number"),
            Self::BadCharacter(c) => write!(f, "unexpected character '{c}' in phone number"),
            Self::WrongLength(n) => write!(
                f,
                "{n} digits is not a phone number (use +<country><number>, e.g. +8613812345678, or an 11-digit Chinese mobile number)"
            ),
        }
    }
}

impl PhoneError {
    /// The reason in the reader's language, with what a right number looks like.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        match self {
            Self::Empty => catalog.text(locale, msg!("phone-error-empty")),
            Self::BadCharacter(c) => catalog.render(
                locale,
                msg!("phone-error-bad-character"),
                &[("char", visible(*c).into())],
            ),
            Self::WrongLength(n) => catalog.render(
                locale,
                msg!("phone-error-wrong-length"),
                &[("digits", (*n).into())],
            ),
        }
    }
}

/// A character as it can be shown on a terminal: control characters escaped (`\u{1b}`).
fn visible(c: char) -> String {
    if c.is_control() {
        c.escape_default().to_string()
    } else {
        c.to_string()
    }
}

impl Phone {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with the middle digits hidden, for lists a secretary sees.
    pub fn masked(&self) -> String {
        let digits = &self.0;
        if digits.len() <= 7 {
            return digits.clone();
        }
        format!(
            "{}****{}",
            &digits[..digits.len() - 8],
            &digits[digits.len() - 4..]
        )
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(raw: &str) -> Result<Self, PhoneError> {
        let mut digits = String::new();
        let mut plus = false;
        for (i, c) in raw.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                // Full-width digits, as typed on Chinese keyboards.
                '０'..='９' => digits.push(char::from(b'0' + (c as u32 - '０' as u32) as u8)),
                '+' | '＋' if i == 0 => plus = true,
                ' ' | '-' | '(' | ')' | '.' | '\u{3000}' => {}
                other => return Err(PhoneError::BadCharacter(other)),
            }
        }
        if digits.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !plus {
            if let Some(rest) = digits.strip_prefix("00") {
                digits = rest.to_owned();
            } else if is_cn_mobile(&digits) {
                digits = format!("86{digits}");
            } else if digits.len() == 13 && digits.starts_with("86") && is_cn_mobile(&digits[2..]) {
                // 8613812345678 written without the plus.
            } else {
                return Err(PhoneError::WrongLength(digits.len()));
            }
        }
        if digits.starts_with("86") && digits.len() != 13 && digits[2..].starts_with('1') {
            return Err(PhoneError::WrongLength(digits.len() - 2));
        }
        if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
            return Err(PhoneError::WrongLength(digits.len()));
        }
        Ok(Self(format!("+{digits}")))
    }
}

fn is_cn_mobile(d: &str) -> bool {
    d.len() == 11 && d.starts_with('1') && matches!(d.as_bytes()[1], b'3'..=b'9')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_mobiles_get_the_country_code() {
        assert_eq!(
            "13812345678".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
        assert_eq!(
            "138 1234 5678".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
        assert_eq!(
            "+86 138-1234-5678".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
        assert_eq!(
            "008613812345678".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
        assert_eq!(
            "8613812345678".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
        assert_eq!(
            "１３８１２３４５６７８".parse::<Phone>().unwrap().as_str(),
            "+8613812345678"
        );
    }

    #[test]
    fn foreign_numbers_need_a_plus() {
        assert_eq!(
            "+49 30 1234567".parse::<Phone>().unwrap().as_str(),
            "+49301234567"
        );
        assert_eq!(
            "030 1234567".parse::<Phone>(),
            Err(PhoneError::WrongLength(10))
        );
    }

    #[test]
    fn garbage_is_refused_with_a_reason() {
        assert_eq!("".parse::<Phone>(), Err(PhoneError::Empty));
        assert_eq!("138x".parse::<Phone>(), Err(PhoneError::BadCharacter('x')));
        assert_eq!(
            "+86 1381234567".parse::<Phone>(),
            Err(PhoneError::WrongLength(10))
        );
    }

    #[test]
    fn reasons_are_said_in_both_locales_with_what_would_be_right() {
        let catalog = Catalog::load().unwrap();
        let en = |e: PhoneError| e.render(&catalog, Locale::En);
        let zh = |e: PhoneError| e.render(&catalog, Locale::ZhCn);
        assert_eq!(
            en(PhoneError::WrongLength(7)),
            "it has 7 digits; write an 11-digit Chinese mobile number (13812345678) or + and the country code (+8613812345678)"
        );
        assert_eq!(
            en(PhoneError::WrongLength(1)),
            "it has 1 digit; write an 11-digit Chinese mobile number (13812345678) or + and the country code (+8613812345678)"
        );
        assert_eq!(
            zh(PhoneError::WrongLength(7)),
            "位数不对（7 位）；请写 11 位的中国大陆手机号（如 13812345678），或写 + 加国家代码（如 +8613812345678）"
        );
        assert_eq!(
            en(PhoneError::BadCharacter('x')),
            "it contains 'x'; use only digits, spaces, dashes and a leading +"
        );
        assert_eq!(
            zh(PhoneError::BadCharacter('\u{1b}')),
            "含有“\\u{1b}”；手机号只能包含数字、空格、短横线和开头的 +"
        );
        assert_eq!(
            en(PhoneError::Empty),
            "it is empty; write a mobile number such as 13812345678"
        );
        assert_eq!(
            zh(PhoneError::Empty),
            "没有填写；请写手机号，如 13812345678"
        );
    }

    #[test]
    fn masked_hides_the_middle() {
        let p: Phone = "13812345678".parse().unwrap();
        assert_eq!(p.masked(), "+86138****5678");
    }
}
