//! `branchbot schedule preview '<crontab>' [--tz ZONE] [--from YYYY-MM-DDTHH:MM] [--count N]`:
//! reading the arguments and printing the fire times, one per line in RFC 3339 with the zone's
//! offset. The command line only calls [`lines`].

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use chrono_tz::Tz;

use super::crontab::{self, Crontab, CrontabError};
use super::plan::{self, Fate};
use super::Registry;
use crate::domain::calendar::{Calendar, KindRule, Reason, Subject};
use crate::i18n::{Arg, Catalog, Locale};
use crate::msg;

/// The most fire times one preview prints.
pub const MAX_COUNT: usize = 1000;

/// A preview argument that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PreviewError {
    #[error("'{0}' is not a time zone name such as Asia/Shanghai or Europe/Berlin")]
    BadZone(String),
    #[error("'{value}' is not a time like 2025-03-30T09:00 (YYYY-MM-DDTHH:MM, read in {zone})")]
    BadFrom { value: String, zone: String },
    #[error("--count must be from 1 to {MAX_COUNT}, not {0}")]
    BadCount(usize),
    #[error("there is no job kind named '{value}'")]
    BadKind { value: String, kinds: String },
    #[error(transparent)]
    Crontab(#[from] CrontabError),
}

impl PreviewError {
    /// The message in the organisation's language, as the command line prints it.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let s = |v: &str| Arg::Str(v.to_owned());
        match self {
            Self::BadZone(value) => {
                catalog.render(locale, msg!("preview-bad-zone"), &[("value", s(value))])
            }
            Self::BadFrom { value, zone } => catalog.render(
                locale,
                msg!("preview-bad-from"),
                &[("value", s(value)), ("zone", s(zone))],
            ),
            Self::BadCount(n) => catalog.render(
                locale,
                msg!("preview-bad-count"),
                &[
                    ("value", Arg::Str(n.to_string())),
                    ("max", Arg::Str(MAX_COUNT.to_string())),
                ],
            ),
            Self::BadKind { value, kinds } => catalog.render(
                locale,
                msg!("preview-bad-kind"),
                &[("value", s(value)), ("kinds", s(kinds))],
            ),
            Self::Crontab(e) => e.render(catalog, locale),
        }
    }
}

/// Reads a zone name.
pub fn zone(name: &str) -> Result<Tz, PreviewError> {
    name.trim()
        .parse()
        .map_err(|_| PreviewError::BadZone(name.to_owned()))
}

/// Reads a wall-clock time in `tz` (`YYYY-MM-DDTHH:MM`, a space for the `T`, or a bare date for
/// midnight), under the scheduler's daylight-saving policy.
pub fn from(text: &str, tz: Tz) -> Result<DateTime<Utc>, PreviewError> {
    let t = text.trim();
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
        .or_else(|| {
            NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        });
    naive
        .and_then(|n| crontab::resolve(tz, n))
        .ok_or_else(|| PreviewError::BadFrom {
            value: text.to_owned(),
            zone: tz.name().to_owned(),
        })
}

/// The preview's lines: the first `count` fire times of `expr` at or after `from`.
pub fn lines(
    expr: &str,
    tz: Tz,
    from: DateTime<Utc>,
    count: usize,
) -> Result<Vec<String>, PreviewError> {
    if count == 0 || count > MAX_COUNT {
        return Err(PreviewError::BadCount(count));
    }
    Ok(crontab::preview(expr, tz, from, count)?
        .iter()
        .map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, false))
        .collect())
}

/// Reads a job kind's name for `--kind`: one this binary runs.
pub fn kind(registry: &Registry, name: &str) -> Result<&'static str, PreviewError> {
    registry
        .get(name.trim())
        .map(|j| j.name())
        .ok_or_else(|| PreviewError::BadKind {
            value: name.to_owned(),
            kinds: registry.names().join(", "),
        })
}

/// The preview's lines under the calendar, for a job of a kind with `rule`: each fire time,
/// and after it what the calendar does — a 调休 working day added to a 工作日 schedule, an
/// occurrence moved (to when, and the holiday), dropped or paused (the vacation).
#[allow(clippy::too_many_arguments)]
pub fn calendar_lines(
    expr: &str,
    tz: Tz,
    from: DateTime<Utc>,
    count: usize,
    cal: &Calendar,
    rule: KindRule,
    subject: Subject,
    catalog: &Catalog,
    locale: Locale,
) -> Result<Vec<String>, PreviewError> {
    if count == 0 || count > MAX_COUNT {
        return Err(PreviewError::BadCount(count));
    }
    let tab = Crontab::parse(expr)?;
    let shown = |t: DateTime<Utc>| {
        t.with_timezone(&tz)
            .fixed_offset()
            .to_rfc3339_opts(SecondsFormat::Secs, false)
    };
    let name = |n: &str| ("name", Arg::Str(n.to_owned()));
    Ok(
        plan::calendar_preview(&tab, tz, cal, rule, subject, from, count)
            .into_iter()
            .map(|(at, fate)| {
                let note = match fate {
                    Fate::Fire => return shown(at),
                    Fate::MakeUp(n) => {
                        catalog.render(locale, msg!("preview-fire-makeup"), &[name(&n)])
                    }
                    Fate::Moved { to, why } => catalog.render(
                        locale,
                        msg!("preview-fire-moved"),
                        &[("to", Arg::Str(shown(to))), name(why.name())],
                    ),
                    Fate::Dropped {
                        why: why @ Reason::Holiday(_),
                    } => catalog.render(locale, msg!("preview-fire-dropped"), &[name(why.name())]),
                    Fate::Dropped { why } => {
                        catalog.render(locale, msg!("preview-fire-paused"), &[name(why.name())])
                    }
                };
                format!("{}  {note}", shown(at))
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preview_prints_rfc3339_lines_with_the_zones_offset_across_a_dst_change() {
        let tz = zone("Europe/Berlin").unwrap();
        let start = from("2025-03-29T12:00", tz).unwrap();
        assert_eq!(
            lines("30 2 * * *", tz, start, 3).unwrap(),
            [
                "2025-03-30T03:00:00+02:00",
                "2025-03-31T02:30:00+02:00",
                "2025-04-01T02:30:00+02:00"
            ]
        );
        let utc = zone("UTC").unwrap();
        assert_eq!(
            lines("@daily", utc, from("2025-01-01", utc).unwrap(), 1).unwrap(),
            ["2025-01-01T00:00:00+00:00"]
        );
    }

    #[test]
    fn preview_refuses_bad_arguments_plainly() {
        assert_eq!(
            zone("Mars/Olympus").unwrap_err(),
            PreviewError::BadZone("Mars/Olympus".into())
        );
        let tz = chrono_tz::Asia::Shanghai;
        let e = from("2025-13-01T09:00", tz).unwrap_err();
        assert_eq!(e.to_string(), "'2025-13-01T09:00' is not a time like 2025-03-30T09:00 (YYYY-MM-DDTHH:MM, read in Asia/Shanghai)");
        let start = from("2025-11-01 09:00", tz).unwrap();
        assert_eq!(
            lines("* * * * *", tz, start, 0).unwrap_err(),
            PreviewError::BadCount(0)
        );
        assert_eq!(
            lines("* * * * *", tz, start, 1001).unwrap_err(),
            PreviewError::BadCount(1001)
        );
        assert_eq!(lines("* * * * *", tz, start, 1000).unwrap().len(), 1000);
        assert!(matches!(
            lines("* * *", tz, start, 5),
            Err(PreviewError::Crontab(CrontabError::FieldCount { found: 3 }))
        ));
    }

    #[test]
    fn preview_errors_read_in_both_locales() {
        let catalog = Catalog::load().unwrap();
        assert_eq!(
            PreviewError::BadCount(0).render(&catalog, Locale::En),
            "--count must be from 1 to 1000, not 0."
        );
        let zh = PreviewError::BadZone("Mars/Olympus".into()).render(&catalog, Locale::ZhCn);
        assert!(zh.contains("Mars/Olympus") && zh.contains("时区"), "{zh}");
        let e = PreviewError::BadFrom {
            value: "soon".into(),
            zone: "Asia/Shanghai".into(),
        };
        assert!(e
            .render(&catalog, Locale::En)
            .contains("read in Asia/Shanghai"));
    }
}
