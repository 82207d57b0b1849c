//! `[records]`: the kinds of service activity a college adds to the four built in, and their
//! check. The records themselves are `records`.

use serde::Deserialize;

use crate::i18n::{Locale, Msg};
use crate::msg;

/// The longest name of a configured kind.
pub const MAX_KIND_CHARS: usize = 12;

/// The built-in kinds: their stored key and their name.
pub const BUILT_IN: [(&str, Msg); 4] = [
    ("pair_help", msg!("records-kind-pair-help")),
    ("volunteer", msg!("records-kind-volunteer")),
    ("visit", msg!("records-kind-visit")),
    ("community", msg!("records-kind-community")),
];

/// A kind's name in `locale`: the built-in's message, or the configured name as written.
pub fn kind_name(catalog: &crate::i18n::Catalog, locale: Locale, key: &str) -> String {
    match BUILT_IN.iter().find(|(k, _)| *k == key) {
        Some((_, m)) => catalog.text(locale, *m),
        None => key.to_owned(),
    }
}

/// What a college may set (`[records]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// Kinds of service activity beyond the four built in, by their name (理论宣讲).
    pub activity_kinds: Vec<String>,
}

/// Why `[records]` is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    Empty,
    TooLong(String),
    Twice(String),
}

impl Policy {
    /// Checks the configured kinds: named, short, each once and none a built-in's name.
    pub fn check(&self, catalog: &crate::i18n::Catalog) -> Result<(), PolicyError> {
        let mut seen: Vec<String> = BUILT_IN
            .iter()
            .flat_map(|(key, m)| {
                let mut names: Vec<String> = Locale::ALL
                    .iter()
                    .map(|l| catalog.text(*l, *m).to_lowercase())
                    .collect();
                names.push((*key).to_owned());
                names
            })
            .collect();
        for k in &self.activity_kinds {
            let k = k.trim();
            if k.is_empty() {
                return Err(PolicyError::Empty);
            }
            if k.chars().count() > MAX_KIND_CHARS || k.contains(':') {
                return Err(PolicyError::TooLong(k.to_owned()));
            }
            if seen.contains(&k.to_lowercase()) {
                return Err(PolicyError::Twice(k.to_owned()));
            }
            seen.push(k.to_lowercase());
        }
        Ok(())
    }

    /// Every kind's stored key, the built-in ones first.
    pub fn kinds(&self) -> Vec<String> {
        BUILT_IN
            .iter()
            .map(|(k, _)| (*k).to_owned())
            .chain(self.activity_kinds.iter().map(|k| k.trim().to_owned()))
            .collect()
    }
}
