//! The campaign (创先争优) as data: a TOML file with its name, the audience of its
//! announcements, and phases with start and end instants, a title, a theme, an announcement and
//! the tasks expected, each in zh-CN and en. [`parse`] reads and validates a file; every
//! problem names the field and the line it is on. Pure: storing and reading back are
//! `store::campaigns`, scheduling the campaign feature's (`campaign::schedule`). Below the
//! feature because the activity records and the oversight figures read phases too.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use crate::domain::notices::Scope;
use crate::i18n::Locale;

/// A validated campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Campaign {
    pub name: String,
    /// Who receives the phase announcements.
    pub audience: Audience,
    /// How many days before a phase ends each secretary is asked for the branch's summary.
    pub summary_days_before_end: i64,
    /// How often (days) a secretary is reminded until the summary is in.
    pub remind_every_days: i64,
    pub phases: Vec<Phase>,
}

/// One phase, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub title: Text,
    pub theme: Text,
    pub announcement: Text,
    pub tasks: Vec<Text>,
}

/// A text in every locale.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    /// The text in `locale`.
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::ZhCn => &self.zh,
            Locale::En => &self.en,
        }
    }
}

/// Who hears the announcements.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Every party member of the college (full and probationary; not activists or the masses).
    #[default]
    All,
    /// Full members only (no probationary members, activists or masses).
    FullMembers,
    /// Branch committees.
    Committees,
}

impl Audience {
    /// The notice scope it stands for.
    pub fn scope(self) -> Scope {
        match self {
            Self::All => Scope::All,
            Self::FullMembers => Scope::FullMembers { branch: None },
            Self::Committees => Scope::Committee { branch: None },
        }
    }
}

/// What is wrong with a campaign file, and on which line (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub kind: ProblemKind,
}

/// The kinds of problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not TOML, an unknown field, a wrong type: the parser's own words.
    Syntax(String),
    /// A date that is neither an offset date-time nor a local date or date-time.
    BadDate { field: String },
    /// `end` is not after `start`.
    Reversed { field: String },
    /// The phase starts before the previous one ends.
    Overlap { field: String, previous: usize },
    /// A text is missing or empty in a locale.
    MissingText { field: String, locale: &'static str },
    /// No phases at all.
    NoPhases,
    /// A count that must be positive.
    NotPositive { field: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCampaign {
    name: Spanned<String>,
    #[serde(default)]
    audience: Audience,
    #[serde(default = "default_days_before")]
    summary_days_before_end: Spanned<i64>,
    #[serde(default = "default_every")]
    remind_every_days: Spanned<i64>,
    #[serde(default)]
    phases: Vec<Spanned<RawPhase>>,
}

fn default_days_before() -> Spanned<i64> {
    Spanned::new(0..0, 7)
}

fn default_every() -> Spanned<i64> {
    Spanned::new(0..0, 2)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    start: Spanned<toml::value::Datetime>,
    end: Spanned<toml::value::Datetime>,
    title: Spanned<RawText>,
    theme: Spanned<RawText>,
    announcement: Spanned<RawText>,
    #[serde(default)]
    tasks: Vec<Spanned<RawText>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawText {
    #[serde(rename = "zh-CN")]
    zh: Option<String>,
    en: Option<String>,
}

/// The line (from 1) of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads a date as an instant: an offset date-time as written, a local date or date-time in
/// the organisation's zone `tz`.
fn instant(d: &toml::value::Datetime, tz: Tz) -> Option<DateTime<Utc>> {
    let s = d.to_string();
    if d.offset.is_some() {
        return DateTime::parse_from_rfc3339(&s)
            .ok()
            .map(|t| t.with_timezone(&Utc));
    }
    let naive = match (&d.date, &d.time) {
        (Some(_), Some(_)) => NaiveDateTime::parse_from_str(&s, "%Y-%m-%dT%H:%M:%S%.f").ok()?,
        (Some(_), None) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .ok()?
            .and_hms_opt(0, 0, 0)?,
        _ => return None,
    };
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses and validates a campaign file; local dates are read in `tz`. Returns every problem
/// found, in line order.
pub fn parse(src: &str, tz: Tz) -> Result<Campaign, Vec<Problem>> {
    let raw: RawCampaign = toml::from_str(src).map_err(|e| {
        let line = e.span().map(|s| line_of(src, s.start)).unwrap_or(1);
        vec![Problem {
            line,
            kind: ProblemKind::Syntax(e.message().trim().to_owned()),
        }]
    })?;
    let mut problems = Vec::new();
    let mut push = |span: std::ops::Range<usize>, kind| {
        problems.push(Problem {
            line: line_of(src, span.start),
            kind,
        })
    };
    for (field, v) in [
        ("summary_days_before_end", &raw.summary_days_before_end),
        ("remind_every_days", &raw.remind_every_days),
    ] {
        if *v.get_ref() <= 0 {
            push(
                v.span(),
                ProblemKind::NotPositive {
                    field: field.into(),
                },
            );
        }
    }
    if raw.name.get_ref().trim().is_empty() {
        push(
            raw.name.span(),
            ProblemKind::MissingText {
                field: "name".into(),
                locale: "-",
            },
        );
    }
    if raw.phases.is_empty() {
        push(0..0, ProblemKind::NoPhases);
    }
    let mut phases = Vec::new();
    let mut previous_end: Option<DateTime<Utc>> = None;
    for (i, p) in raw.phases.iter().enumerate() {
        let n = i + 1;
        let p = p.get_ref();
        let start = instant(p.start.get_ref(), tz);
        let end = instant(p.end.get_ref(), tz);
        if start.is_none() {
            push(
                p.start.span(),
                ProblemKind::BadDate {
                    field: format!("phases[{n}].start"),
                },
            );
        }
        if end.is_none() {
            push(
                p.end.span(),
                ProblemKind::BadDate {
                    field: format!("phases[{n}].end"),
                },
            );
        }
        if let (Some(s), Some(e)) = (start, end) {
            if e <= s {
                push(
                    p.end.span(),
                    ProblemKind::Reversed {
                        field: format!("phases[{n}].end"),
                    },
                );
            }
            if previous_end.is_some_and(|pe| s < pe) {
                push(
                    p.start.span(),
                    ProblemKind::Overlap {
                        field: format!("phases[{n}].start"),
                        previous: i,
                    },
                );
            }
            previous_end = Some(e);
        }
        let mut text = |name: String, t: &Spanned<RawText>| -> Text {
            let r = t.get_ref();
            for (locale, v) in [("zh-CN", &r.zh), ("en", &r.en)] {
                if v.as_deref().is_none_or(|v| v.trim().is_empty()) {
                    push(
                        t.span(),
                        ProblemKind::MissingText {
                            field: name.clone(),
                            locale,
                        },
                    );
                }
            }
            Text {
                zh: r.zh.clone().unwrap_or_default().trim().to_owned(),
                en: r.en.clone().unwrap_or_default().trim().to_owned(),
            }
        };
        let title = text(format!("phases[{n}].title"), &p.title);
        let theme = text(format!("phases[{n}].theme"), &p.theme);
        let announcement = text(format!("phases[{n}].announcement"), &p.announcement);
        let tasks = p
            .tasks
            .iter()
            .enumerate()
            .map(|(j, t)| text(format!("phases[{n}].tasks[{}]", j + 1), t))
            .collect();
        if let (Some(start), Some(end)) = (start, end) {
            phases.push(Phase {
                start,
                end,
                title,
                theme,
                announcement,
                tasks,
            });
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.line);
        return Err(problems);
    }
    Ok(Campaign {
        name: raw.name.into_inner().trim().to_owned(),
        audience: raw.audience,
        summary_days_before_end: raw.summary_days_before_end.into_inner(),
        remind_every_days: raw.remind_every_days.into_inner(),
        phases,
    })
}

/// The file with every phase's `start` and `end` moved by `days` whole days (times of day and
/// offsets kept), so the same plan runs from another date. Lines, comments and texts stay as
/// they were, so a problem found later still names the line of the original file.
pub fn shift(src: &str, days: i64) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let key = ["start", "end"].into_iter().find(|k| {
            trimmed
                .strip_prefix(k)
                .is_some_and(|r| r.trim_start().starts_with('='))
        });
        let moved = key.and_then(|_| {
            let eq = line.find('=')?;
            let value = line[eq + 1..].trim_start();
            let at = line.len() - value.len();
            let date = NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()?;
            let date = date.checked_add_signed(chrono::TimeDelta::days(days))?;
            Some(format!(
                "{}{}{}",
                &line[..at],
                date.format("%Y-%m-%d"),
                &line[at + 10..]
            ))
        });
        out.push_str(moved.as_deref().unwrap_or(line));
    }
    out
}

impl Campaign {
    /// The days to [`shift`] this campaign's file by so that its first phase starts on `day`
    /// (in the organisation's zone).
    pub fn days_to_start_on(&self, day: NaiveDate, tz: Tz) -> i64 {
        self.phases
            .first()
            .map(|p| (day - p.start.with_timezone(&tz).date_naive()).num_days())
            .unwrap_or(0)
    }

    /// The phase running at `now`, with its index.
    pub fn current(&self, now: DateTime<Utc>) -> Option<(usize, &Phase)> {
        self.phases
            .iter()
            .enumerate()
            .find(|(_, p)| p.start <= now && now < p.end)
    }

    /// The next phase to start after `now`, with its index.
    pub fn next(&self, now: DateTime<Utc>) -> Option<(usize, &Phase)> {
        self.phases.iter().enumerate().find(|(_, p)| p.start > now)
    }
}

impl Phase {
    /// The phase's last day in the organisation's zone, the one every screen shows as "至 …":
    /// the day of the last instant before `end`, so a phase that ends at midnight on 12-12
    /// (`end = 2026-12-12`) runs 至 2026-12-11.
    pub fn last_day(&self, tz: Tz) -> NaiveDate {
        (self.end - chrono::TimeDelta::milliseconds(1))
            .with_timezone(&tz)
            .date_naive()
    }

    /// [`Self::last_day`] as `YYYY-MM-DD`.
    pub fn last_day_text(&self, tz: Tz) -> String {
        self.last_day(tz).format("%Y-%m-%d").to_string()
    }

    /// Whole days left until the end (a partial day counts as one). For a phase ending at
    /// midnight this counts today and [`Self::last_day`] both.
    pub fn days_left(&self, now: DateTime<Utc>) -> i64 {
        let ms = (self.end - now).num_milliseconds().max(0);
        (ms + 86_400_000 - 1) / 86_400_000
    }
}

#[cfg(test)]
mod tests;
