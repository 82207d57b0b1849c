//! Localized text. Every user-facing string lives in `locales/<locale>/*.ftl` (Fluent); the files
//! are compiled into the binary so it runs from anywhere. zh-CN is the default locale.
//!
//! Code names a message with [`msg!`], which makes a [`Msg`]; a test scans the sources for every
//! `msg!` and fails when an id is missing from a locale, and another fails when the locales
//! disagree on ids or variables.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

/// Lists each Fluent file once; it is compiled in for every locale.
macro_rules! sources {
    ($($file:literal),* $(,)?) => {
        &[$(
            (Locale::ZhCn, $file, include_str!(concat!("../locales/zh-CN/", $file))),
            (Locale::En, $file, include_str!(concat!("../locales/en/", $file))),
        )*]
    };
}

/// The Fluent sources, per locale, as compiled into the binary.
pub const SOURCES: &[(Locale, &str, &str)] = sources![
    "core.ftl",
    "cli.ftl",
    "status.ftl",
    "scheduler.ftl",
    "sms.ftl",
    "pledges.ftl",
    "notices.ftl",
    "campaign.ftl",
    "feedback.ftl",
    "evaluation.ftl",
    "meetings.ftl",
    "audit.ftl",
    "reports.ftl",
    "spotcheck.ftl",
    "dashboard.ftl",
    "failures.ftl",
    "web.ftl",
    "wecom.ftl",
    "recruitment.ftl",
    "calendar.ftl",
    "dues.ftl",
    "pushes.ftl",
    "records.ftl",
    "config.ftl",
    "meeting_practice.ftl",
    "files.ftl",
    "attachments.ftl"
];

/// A locale the bot speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::ZhCn => "zh-CN",
            Self::En => "en",
        }
    }

    /// Best match for a client's language tag (Telegram's `language_code`), if any.
    pub fn from_hint(tag: &str) -> Option<Self> {
        tag.parse().ok()
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Locale {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_ascii_lowercase().replace('_', "-");
        let primary = lower.split('-').next().unwrap_or("");
        match primary {
            "zh" | "cn" | "中文" => Ok(Self::ZhCn),
            "en" | "english" => Ok(Self::En),
            _ => Err(format!("unknown locale '{s}' (use zh-CN or en)")),
        }
    }
}

/// A message id known to exist in every locale. Make one with [`msg!`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Msg(pub &'static str);

/// Names a Fluent message: `msg!("help-member")`. The locale tests find every use.
#[macro_export]
macro_rules! msg {
    ($id:literal) => {
        $crate::i18n::Msg($id)
    };
}

/// One Fluent argument value.
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Self::Str(v.to_owned())
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Self::Str(v)
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Self::Str(v.clone())
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Self::Num(v)
    }
}
impl From<usize> for Arg {
    fn from(v: usize) -> Self {
        Self::Num(v as i64)
    }
}
impl From<u32> for Arg {
    fn from(v: u32) -> Self {
        Self::Num(v.into())
    }
}

/// The process's catalog of the compiled-in sources (see [`Catalog::loaded`]).
static SHARED: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();

/// All locales' bundles.
pub struct Catalog {
    bundles: Vec<(Locale, FluentBundle<FluentResource>)>,
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalog").finish_non_exhaustive()
    }
}

impl Catalog {
    /// The catalog of the compiled-in sources, loaded once per process, for code that runs
    /// outside a conversation (scheduled jobs). The locale tests make sure it loads.
    pub fn shared() -> &'static Catalog {
        SHARED.get_or_init(|| Arc::new(Catalog::load().expect("the compiled-in locales load")))
    }

    /// The same catalog as [`Catalog::shared`], for holders of an `Arc`: the bundles are
    /// parsed once per process (each parse holds the whole catalog's messages), whoever asks
    /// first. Fails, and keeps nothing, on a Fluent syntax error.
    pub fn loaded() -> Result<Arc<Catalog>, String> {
        if let Some(catalog) = SHARED.get() {
            return Ok(Arc::clone(catalog));
        }
        let catalog = Arc::new(Catalog::load()?);
        Ok(Arc::clone(SHARED.get_or_init(|| catalog)))
    }

    /// Builds the catalog from the embedded sources. Fails on a Fluent syntax error.
    pub fn load() -> Result<Self, String> {
        let mut bundles = Vec::new();
        for locale in Locale::ALL {
            let langid = locale
                .code()
                .parse::<unic_langid::LanguageIdentifier>()
                .map_err(|e| e.to_string())?;
            let mut bundle = FluentBundle::new_concurrent(vec![langid]);
            // Isolation marks are invisible in Telegram but cost SMS characters.
            bundle.set_use_isolating(false);
            bundle.add_builtins().map_err(|e| e.to_string())?;
            for (l, file, src) in SOURCES {
                if *l != locale {
                    continue;
                }
                let res = FluentResource::try_new((*src).to_owned())
                    .map_err(|(_, errs)| format!("{}/{file}: {errs:?}", locale.code()))?;
                bundle
                    .add_resource(res)
                    .map_err(|errs| format!("{}/{file}: {errs:?}", locale.code()))?;
            }
            bundles.push((locale, bundle));
        }
        Ok(Self { bundles })
    }

    fn bundle(&self, locale: Locale) -> &FluentBundle<FluentResource> {
        &self
            .bundles
            .iter()
            .find(|(l, _)| *l == locale)
            .expect("every locale has a bundle")
            .1
    }

    /// Whether a message id exists in the given locale.
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.bundle(locale).has_message(id)
    }

    /// Renders a message without arguments.
    pub fn text(&self, locale: Locale, msg: Msg) -> String {
        self.render(locale, msg, &[])
    }

    /// Renders a message. A missing id renders as the id itself (the locale tests prevent it).
    pub fn render(&self, locale: Locale, msg: Msg, args: &[(&str, Arg)]) -> String {
        let bundle = self.bundle(locale);
        let Some(pattern) = bundle.get_message(msg.0).and_then(|m| m.value()) else {
            tracing::error!(id = msg.0, locale = locale.code(), "missing Fluent message");
            return msg.0.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            let v: FluentValue = match value {
                Arg::Str(s) => FluentValue::String(Cow::Owned(s.clone())),
                Arg::Num(n) => FluentValue::from(*n),
            };
            fargs.set(*name, v);
        }
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::error!(id = msg.0, ?errors, "Fluent formatting errors");
        }
        out.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags_parse_loosely() {
        assert_eq!("zh-CN".parse::<Locale>().unwrap(), Locale::ZhCn);
        assert_eq!("zh_hans".parse::<Locale>().unwrap(), Locale::ZhCn);
        assert_eq!("en-US".parse::<Locale>().unwrap(), Locale::En);
        assert!("fr".parse::<Locale>().is_err());
    }
}
