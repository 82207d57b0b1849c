//! The party-affairs glossary (`locales/glossary.toml`) holds: no zh-CN message uses a banned
//! variant of a term, the fixed messages (五个带头, notice scopes) read exactly as the glossary
//! says, and Chinese text is punctuated with full-width marks.

use std::collections::BTreeMap;

use branchbot::i18n::{Locale, SOURCES};
use fluent_syntax::ast;
use serde::Deserialize;

const GLOSSARY: &str = include_str!("../../locales/glossary.toml");

/// Stands for a variable in a message's text: never a CJK character nor punctuation.
const VARIABLE: char = '\u{FFFC}';

#[derive(Deserialize)]
struct Glossary {
    term: Vec<Term>,
    fixed: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Term {
    concept: String,
    #[serde(rename = "use")]
    allowed: String,
    banned: Vec<String>,
}

fn glossary() -> Glossary {
    toml::from_str(GLOSSARY).expect("locales/glossary.toml parses")
}

fn text_of_pattern(p: &ast::Pattern<&str>, out: &mut String) {
    for el in &p.elements {
        match el {
            ast::PatternElement::TextElement { value } => out.push_str(value),
            ast::PatternElement::Placeable { expression } => text_of_expression(expression, out),
        }
    }
}

fn text_of_expression(e: &ast::Expression<&str>, out: &mut String) {
    match e {
        ast::Expression::Inline(i) => text_of_inline(i, out),
        // Every variant is text someone may read.
        ast::Expression::Select { variants, .. } => {
            for v in variants {
                text_of_pattern(&v.value, out);
                out.push('\n');
            }
        }
    }
}

fn text_of_inline(i: &ast::InlineExpression<&str>, out: &mut String) {
    match i {
        ast::InlineExpression::StringLiteral { value } => out.push_str(value),
        ast::InlineExpression::Placeable { expression } => text_of_expression(expression, out),
        _ => out.push(VARIABLE),
    }
}

/// Every zh-CN message as the text its reader sees, variables marked by [`VARIABLE`].
fn zh_messages() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (l, file, src) in SOURCES {
        if *l != Locale::ZhCn {
            continue;
        }
        let res =
            fluent_syntax::parser::parse(*src).unwrap_or_else(|(_, e)| panic!("{file}: {e:?}"));
        for entry in res.body {
            if let ast::Entry::Message(m) = entry {
                let mut text = String::new();
                if let Some(v) = &m.value {
                    text_of_pattern(v, &mut text);
                }
                out.push((format!("{file}: {}", m.id.name), text));
            }
        }
    }
    assert!(out.len() > 500, "read {} zh-CN messages", out.len());
    out
}

/// A Chinese character (not punctuation: `username = "x"）` is code inside Chinese brackets).
fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

#[test]
fn no_zh_cn_message_uses_a_banned_variant_of_a_glossary_term() {
    let g = glossary();
    let mut found = Vec::new();
    for (id, text) in zh_messages() {
        for t in &g.term {
            for b in &t.banned {
                if text.contains(b.as_str()) {
                    found.push(format!(
                        "{id} says “{b}”; for {} the glossary says “{}”",
                        t.concept, t.allowed
                    ));
                }
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_five_leads_and_the_notice_scopes_read_exactly_as_the_glossary_says() {
    let g = glossary();
    let messages: BTreeMap<String, String> = zh_messages()
        .into_iter()
        .map(|(id, text)| (id.split(": ").nth(1).unwrap().to_owned(), text))
        .collect();
    for (id, want) in &g.fixed {
        assert_eq!(messages.get(id), Some(want), "{id}");
    }
    // The prompt lists the same five, in the same words.
    let ask = &messages["pledge-ask-way"];
    for id in ["study", "results", "serve", "discipline", "integrity"] {
        let way = &g.fixed[&format!("pledge-way-{id}")];
        assert!(
            ask.contains(way.as_str()),
            "pledge-ask-way lacks {way}: {ask}"
        );
    }
}

#[test]
fn every_glossary_term_is_used_somewhere_so_the_glossary_stays_true() {
    let all: String = zh_messages().into_iter().map(|(_, t)| t).collect();
    for t in glossary().term {
        for word in t.allowed.split(" / ") {
            assert!(
                all.contains(word),
                "no zh-CN message uses “{word}” ({})",
                t.concept
            );
        }
    }
}

#[test]
fn chinese_text_is_punctuated_with_full_width_commas_and_quotes() {
    let mut found = Vec::new();
    for (id, text) in zh_messages() {
        let chars: Vec<char> = text.chars().collect();
        for (i, c) in chars.iter().enumerate() {
            if !matches!(c, ',' | '"') {
                continue;
            }
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            // "1 参加，2 请假" and 点"跳过" both put an ASCII mark against Chinese.
            let after_word = chars.get(i + 2).copied();
            if before.is_some_and(is_cjk)
                || after.is_some_and(is_cjk)
                || (after == Some(' ') && after_word.is_some_and(is_cjk))
            {
                found.push(format!("{id}: ASCII “{c}” in {text:?}"));
            }
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
}
