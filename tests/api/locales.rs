//! The two locales carry the same messages with the same variables, and every message the
//! code names with `msg!` exists in both.

use std::collections::{BTreeMap, BTreeSet};

use branchbot::i18n::{Catalog, Locale, SOURCES};
use fluent_syntax::ast;

type Messages = BTreeMap<String, BTreeSet<String>>;

fn variables_of_pattern(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            variables_of_expression(expression, out);
        }
    }
}

fn variables_of_expression(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Inline(i) => variables_of_inline(i, out),
        ast::Expression::Select { selector, variants } => {
            variables_of_inline(selector, out);
            for v in variants {
                variables_of_pattern(&v.value, out);
            }
        }
    }
}

fn variables_of_inline(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                variables_of_inline(a, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => variables_of_expression(expression, out),
        _ => {}
    }
}

fn messages(locale: Locale) -> Messages {
    let mut out = Messages::new();
    for (l, file, src) in SOURCES {
        if *l != locale {
            continue;
        }
        let res = fluent_syntax::parser::parse(*src)
            .unwrap_or_else(|(_, errs)| panic!("{}/{file}: {errs:?}", locale.code()));
        for entry in res.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(v) = &m.value {
                    variables_of_pattern(v, &mut vars);
                }
                assert!(
                    out.insert(m.id.name.to_owned(), vars).is_none(),
                    "{} defines {} twice",
                    locale.code(),
                    m.id.name
                );
            }
        }
    }
    out
}

fn ids_named_in_code() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for part in text.split("msg!(\"").skip(1) {
                    if let Some(id) = part.split('"').next() {
                        ids.insert(id.to_owned());
                    }
                }
            }
        }
    }
    ids
}

#[test]
fn both_locales_have_the_same_messages_with_the_same_variables() {
    let zh = messages(Locale::ZhCn);
    let en = messages(Locale::En);
    let zh_ids: BTreeSet<_> = zh.keys().collect();
    let en_ids: BTreeSet<_> = en.keys().collect();
    assert_eq!(
        zh_ids.difference(&en_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in zh-CN"
    );
    assert_eq!(
        en_ids.difference(&zh_ids).collect::<Vec<_>>(),
        Vec::<&&String>::new(),
        "only in en"
    );
    for (id, vars) in &zh {
        assert_eq!(vars, &en[id], "message {id} uses different variables");
    }
}

#[test]
fn every_message_the_code_names_exists() {
    let catalog = Catalog::load().unwrap();
    let ids = ids_named_in_code();
    assert!(
        ids.len() > 40,
        "found only {} ids; is the scan broken?",
        ids.len()
    );
    for id in &ids {
        for locale in Locale::ALL {
            assert!(
                catalog.has(locale, id),
                "{id} is missing in {}",
                locale.code()
            );
        }
    }
}

#[test]
fn every_message_renders_in_every_locale() {
    let catalog = Catalog::load().unwrap();
    for locale in Locale::ALL {
        for id in messages(locale).keys() {
            let leaked: &'static str = Box::leak(id.clone().into_boxed_str());
            let text = catalog.render(locale, branchbot::i18n::Msg(leaked), &[]);
            assert!(
                !text.trim().is_empty(),
                "{id} renders empty in {}",
                locale.code()
            );
        }
    }
}
