//! `branchbot calendar load FILE | show [YEAR]`: load the organisation's calendar (法定节假日,
//! 调休 make-up working days, 寒暑假), which replaces the years the file covers, and print one
//! year of it. A file with a mistake is refused whole, naming its line, and nothing is written.

use std::path::PathBuf;

use chrono::{Datelike, NaiveDate};
use clap::Subcommand;

use super::{engine, Outcome, Ui};
use crate::config::Config;
use crate::domain::calendar::{self, CalendarError, ProblemKind};
use crate::i18n::Locale;
use crate::msg;
use crate::store::audit::{self, Action, Actor};
use crate::store::calendar as stored;

/// The `calendar` subcommands.
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Validate a calendar file (see examples/calendar.toml) and store it, replacing the years
    /// it covers.
    Load { file: PathBuf },
    /// Print one year's holidays, make-up working days and vacations (default: this year).
    Show { year: Option<String> },
}

/// A day as people read it: 10月1日, or 1 Oct.
pub fn day(locale: Locale, d: NaiveDate) -> String {
    calendar::day_words(locale, d)
}

/// A calendar file's problem in the user's language.
pub fn problem(ui: &Ui, e: &CalendarError) -> String {
    let s = |v: &str| -> crate::i18n::Arg { v.into() };
    match &e.kind {
        ProblemKind::Syntax(detail) => {
            ui.r(msg!("calendar-problem-syntax"), &[("detail", s(detail))])
        }
        ProblemKind::BadDate { entry, value } => ui.r(
            msg!("calendar-problem-bad-date"),
            &[("entry", s(entry)), ("value", s(value))],
        ),
        ProblemKind::BadSpan { entry } => {
            ui.r(msg!("calendar-problem-bad-span"), &[("entry", s(entry))])
        }
        ProblemKind::Reversed { entry } => {
            ui.r(msg!("calendar-problem-reversed"), &[("entry", s(entry))])
        }
        ProblemKind::TooLong { entry } => ui.r(
            msg!("calendar-problem-too-long"),
            &[("entry", s(entry)), ("max", calendar::MAX_SPAN_DAYS.into())],
        ),
        ProblemKind::Clash { entry, day } => ui.r(
            msg!("calendar-problem-clash"),
            &[("entry", s(entry)), ("day", day.to_string().into())],
        ),
        ProblemKind::WorkdayOnWeekday { entry, day } => ui.r(
            msg!("calendar-problem-workday-on-weekday"),
            &[("entry", s(entry)), ("day", day.to_string().into())],
        ),
        ProblemKind::NoName { entry } => {
            ui.r(msg!("calendar-problem-no-name"), &[("entry", s(entry))])
        }
        ProblemKind::Empty => ui.t(msg!("calendar-problem-empty")),
    }
}

/// Runs a `calendar` subcommand.
pub async fn run(config: &Config, command: CalendarCommand, ui: &Ui) -> Outcome {
    match command {
        CalendarCommand::Load { file } => load(config, &file, ui).await,
        CalendarCommand::Show { year } => show(config, year.as_deref(), ui).await,
    }
}

async fn load(config: &Config, file: &std::path::Path, ui: &Ui) -> Outcome {
    let name = file.display().to_string();
    let source = std::fs::read_to_string(file).map_err(|err| {
        ui.mistake(
            msg!("cli-calendar-unreadable"),
            &[
                ("file", name.as_str().into()),
                ("detail", err.to_string().into()),
            ],
        )
    })?;
    // Checked before the database is opened: a refused file touches nothing.
    let cal = calendar::parse(&source).map_err(|e| {
        ui.mistake(
            msg!("cli-calendar-problem"),
            &[
                ("file", name.as_str().into()),
                ("line", (e.line as i64).into()),
                ("problem", problem(ui, &e).into()),
            ],
        )
    })?;
    let e = engine(config, ui).await?;
    let years: Vec<String> = cal.years().iter().map(i32::to_string).collect();
    let years = ui.list(&years);
    let mut tx = e.store.begin().await?;
    let (days, vacations) = stored::replace_years(&mut tx, &cal, e.clock.now_ms()).await?;
    // Recurring jobs computed their next time before this calendar: a 工作日 schedule's next
    // 调休 working day may come sooner.
    let rules = config
        .settings()
        .map_err(|err| super::config_mistake(&err, ui))?
        .calendar;
    let loaded = stored::load(&mut tx).await?;
    let replanned = crate::scheduler::plan::replan_for_calendar(
        &mut tx,
        e.jobs.registry(),
        &loaded,
        &rules,
        e.clock.now(),
    )
    .await?;
    audit::record(
        &mut tx,
        e.clock.now_ms(),
        &Actor::operator(),
        Action::CalendarLoaded,
        &years,
        &format!(
            "{} · {days} days, {vacations} vacations",
            super::file_name(file)
        ),
    )
    .await?;
    tx.commit().await?;
    if replanned > 0 {
        // A running `serve` reads the new time when its scheduler next looks (at the latest
        // within a minute); nothing is lost meanwhile.
        eprintln!(
            "{}",
            ui.r(
                msg!("cli-calendar-replanned"),
                &[("count", (replanned as i64).into())]
            )
        );
    }
    println!(
        "{}",
        ui.r(
            msg!("cli-calendar-loaded"),
            &[
                ("years", years.into()),
                ("holidays", (cal.holidays.len() as i64).into()),
                ("workdays", (cal.workdays.len() as i64).into()),
                ("vacations", (cal.vacations.len() as i64).into()),
            ],
        )
    );
    e.store.close().await;
    Ok(())
}

async fn show(config: &Config, year: Option<&str>, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let year = match year {
        None => e.clock.now().with_timezone(&e.tz).year(),
        Some(text) => text
            .trim()
            .trim_end_matches('年')
            .parse::<i32>()
            .ok()
            .filter(|y| (1949..=2200).contains(y))
            .ok_or_else(|| ui.mistake(msg!("cli-calendar-bad-year"), &[("value", text.into())]))?,
    };
    let mut conn = e.store.pool().acquire().await?;
    let cal = stored::load(&mut conn).await?;
    drop(conn);
    e.store.close().await;
    let entries: Vec<_> = cal
        .entries()
        .into_iter()
        .filter(|h| h.from.year() == year)
        .collect();
    let vacations: Vec<_> = cal
        .vacations
        .iter()
        .filter(|v| v.from.year() == year)
        .collect();
    let y = ("year", i64::from(year).into());
    if entries.is_empty() && vacations.is_empty() {
        println!("{}", ui.r(msg!("cli-calendar-show-none"), &[y]));
        return Ok(());
    }
    let d = |x: NaiveDate| day(ui.locale, x);
    let mut lines = vec![ui.r(msg!("cli-calendar-show-header"), &[y])];
    for h in &entries {
        let mut line = ui.r(
            msg!("cli-calendar-show-holiday"),
            &[
                ("name", h.name.as_str().into()),
                ("from", d(h.from).into()),
                ("to", d(h.to).into()),
                ("days", ((h.to - h.from).num_days() + 1).into()),
            ],
        );
        if !h.workdays.is_empty() {
            let days: Vec<String> = h.workdays.iter().map(|w| d(*w)).collect();
            line.push_str(&ui.r(
                msg!("cli-calendar-show-workdays"),
                &[("days", ui.list(&days).into())],
            ));
        }
        if h.provisional {
            line.push_str(&ui.t(msg!("cli-calendar-show-provisional")));
        }
        lines.push(line);
    }
    for v in vacations {
        lines.push(ui.r(
            msg!("cli-calendar-show-vacation"),
            &[
                ("name", v.name.as_str().into()),
                ("from", d(v.from).into()),
                ("to", d(v.to).into()),
            ],
        ));
    }
    println!("{}", lines.join("\n"));
    Ok(())
}
