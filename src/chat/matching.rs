//! Typed answers: full-width folding and matching what was typed to the choices last offered.

use super::Choice;

/// Matches typed text against the choices last offered: the number ("1", "１", "1."), or the
/// label or an alias, ignoring case, spaces and punctuation. Returns the choice and the rest of
/// the text after a leading number or word ("2 出差" gives choice 2 and "出差").
pub fn match_choice<'c>(choices: &'c [Choice], text: &str) -> Option<(&'c Choice, String)> {
    let folded = fold(text);
    let trimmed = folded.trim();
    // A leading number, then an optional separator and the rest. The number may be bracketed
    // ("[2]", "（2）") or follow the hint's own word ("回复2", "reply 2"), as typed on phones.
    let numbered =
        trimmed.trim_start_matches(|c: char| c.is_whitespace() || "([【「<《".contains(c));
    let numbered = ["回复", "reply"]
        .iter()
        .find_map(|w| {
            numbered
                .get(..w.len())
                .filter(|head| head.eq_ignore_ascii_case(w))
                .map(|_| numbered[w.len()..].trim_start())
        })
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(numbered);
    let digits: String = numbered.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = numbered[digits.len()..].trim_start_matches(|c: char| {
            c.is_whitespace() || ".、:：,，)）]】」>》-。!！?？;；\u{FE0F}\u{20E3}".contains(c)
        });
        let n: usize = digits.parse().ok()?;
        return choices
            .get(n.checked_sub(1)?)
            .map(|c| (c, rest.trim().to_owned()));
    }
    let bare = |s: &str| -> String {
        fold(s)
            .chars()
            .filter(|c| {
                !c.is_whitespace() && !c.is_ascii_punctuation() && !"。，、！？：；".contains(*c)
            })
            .collect::<String>()
            .to_lowercase()
    };
    let whole = bare(trimmed);
    for c in choices {
        for word in std::iter::once(&c.label).chain(&c.aliases) {
            let w = bare(word);
            if w.is_empty() {
                continue;
            }
            if whole == w {
                return Some((c, String::new()));
            }
            // "请假 出差": the word, then a reason.
            if let Some(rest) = strip_word(trimmed, &fold(word).to_lowercase()) {
                if rest.starts_with(|ch: char| ch.is_whitespace() || "，,：:".contains(ch)) {
                    let rest = rest
                        .trim_start_matches(|ch: char| ch.is_whitespace() || "，,：:".contains(ch));
                    return Some((c, rest.trim().to_owned()));
                }
            }
        }
    }
    None
}

/// The text after a leading `word` (already lower case), compared ignoring case. The cut is
/// found in the text itself: lower-casing may change a character's length (`İ` becomes two
/// characters), so a position in the lower-cased text is not one in the original.
fn strip_word<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let word = word.trim();
    if word.is_empty() {
        return None;
    }
    text.char_indices()
        .map(|(i, ch)| i + ch.len_utf8())
        .take_while(|&end| end <= 4 * word.len())
        .find(|&end| text[..end].to_lowercase() == word)
        .map(|end| &text[end..])
}

/// Folds full-width ASCII (as Chinese keyboards type it) to half-width.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// Whether typed text looks like a meeting's sign-in code (read by the meetings feature in any
/// step; features whose steps read text leave such text to it): six digits, alone or after the word 签到
/// ("签到 976520", "签到976520", "签到：976520"), as people type it in an SMS.
pub fn looks_like_signin_code(text: &str) -> bool {
    signin_code_in(text).is_some()
}

/// The six-digit code in a typed sign-in, without the word 签到 before it.
pub fn signin_code_in(text: &str) -> Option<String> {
    let t = fold(text);
    let t = t.trim();
    let rest = ["签到码", "签到", "signin", "sign in", "qd"]
        .iter()
        .find_map(|w| {
            t.get(..w.len())
                .filter(|head| head.eq_ignore_ascii_case(w))
                .map(|_| &t[w.len()..])
        })
        .map(|r| r.trim_start_matches(|c: char| c.is_whitespace() || ":：,，".contains(c)))
        .unwrap_or(t)
        .trim();
    (rest.len() == 6 && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choices() -> Vec<Choice> {
        vec![
            Choice {
                data: "a".into(),
                label: "参加".into(),
                aliases: vec!["参加".into(), "Attend".into()],
            },
            Choice {
                data: "l".into(),
                label: "请假".into(),
                aliases: vec!["请假".into(), "Leave".into()],
            },
        ]
    }

    #[test]
    fn typed_numbers_choose_with_a_rest() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "1").map(|(c, r)| (c.data.as_str(), r)),
            Some(("a", String::new()))
        );
        assert_eq!(
            match_choice(&c, " ２ ").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", String::new()))
        );
        assert_eq!(
            match_choice(&c, "2 出差").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差".into()))
        );
        assert_eq!(
            match_choice(&c, "2、外出开会").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "外出开会".into()))
        );
        assert!(match_choice(&c, "3").is_none());
        assert!(match_choice(&c, "0").is_none());
    }

    #[test]
    fn numbers_typed_on_a_phone_keyboard_choose_too() {
        let c = choices();
        for typed in [
            "[2]",
            "（２）",
            "2。",
            "2!",
            "回复2",
            "Reply 2",
            "2\u{FE0F}\u{20E3}",
            " 【2】 ",
        ] {
            assert_eq!(
                match_choice(&c, typed).map(|(c, r)| (c.data.as_str(), r)),
                Some(("l", String::new())),
                "{typed:?}"
            );
        }
        assert_eq!(
            match_choice(&c, "回复 2 出差。").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差。".into()))
        );
        assert!(match_choice(&c, "回复").is_none());
    }

    #[test]
    fn typed_words_choose_in_either_locale() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "请假。").map(|(c, _)| c.data.as_str()),
            Some("l")
        );
        assert_eq!(
            match_choice(&c, "attend").map(|(c, _)| c.data.as_str()),
            Some("a")
        );
        assert_eq!(
            match_choice(&c, "请假 出差").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "出差".into()))
        );
        assert!(match_choice(&c, "maybe").is_none());
    }

    /// Lower-casing `İ` makes it longer, and the reason used to be cut at a position of the
    /// lower-cased text: a panic (a subtraction below zero), or a reason cut short.
    #[test]
    fn a_reason_whose_letters_change_length_in_lower_case_is_kept_whole() {
        let c = choices();
        assert_eq!(
            match_choice(&c, "Leave İİİİİİİİ").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "İİİİİİİİ".into()))
        );
        assert_eq!(
            match_choice(&c, "LEAVE ẞ trip").map(|(c, r)| (c.data.as_str(), r)),
            Some(("l", "ẞ trip".into()))
        );
    }
}
