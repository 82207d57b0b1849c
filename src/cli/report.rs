//! `branchbot report <meetings|pledges|notices|feedback|evaluation|campaign|charts>`: the
//! committee's figures (`oversight::figures`, the same the chat shows) printed as a table and
//! written as `<kind>-<period>.csv` and `.xlsx` (a summary sheet, one sheet per branch), or as
//! charts (SVG and PNG). Every export is written to the audit log.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use super::{engine, print_table, Config, Failure, Outcome, Ui};
use crate::domain::meetings::{percent, MeetingKind};
use crate::domain::period::{Period, PeriodError};
use crate::domain::roster::Column;
use crate::export::{self, Book, Cell, Table};
use crate::feedback::rules::Shown;
use crate::flows::engine::Engine;
use crate::i18n::Msg;
use crate::meetings::text::period_text;
use crate::msg;
use crate::oversight::charts::{self, Chart, ChartContext, PngError};
use crate::oversight::figures;
use crate::pledges::service as stats;
use crate::store::audit::{self, Action, Actor};
use crate::store::{members, Conn};

/// `branchbot report …`.
#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Compliance with 三会一课 per branch (default: the current quarter); a sheet per branch
    /// lists its meetings held.
    Meetings {
        /// A quarter, e.g. 2026Q4 (the older form of `--period`).
        #[arg(long, conflicts_with = "period")]
        quarter: Option<String>,
        /// Also write each meeting's photos and files, a folder per meeting, beside the
        /// CSV and XLSX (`meetings-<period>-files/`).
        #[arg(long)]
        with_files: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Published pledges, one row per item; the figures (no pledge, awaiting review, the
    /// current round's response rate, items behind or blocked) go to stderr. As of now.
    Pledges {
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
        /// Where to write the files (default: the current directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Notices sent in the period (default: the current quarter) with delivery and
    /// confirmation figures; a branch's sheet counts its own recipients.
    Notices {
        #[command(flatten)]
        common: Common,
    },
    /// Feedback per target, month by month (default: the current month); groups under the
    /// threshold stay hidden.
    Feedback {
        #[command(flatten)]
        common: Common,
    },
    /// Tallies of the evaluation rounds closed in the period (default: the current year).
    Evaluation {
        #[command(flatten)]
        common: Common,
    },
    /// The campaign's phases and which branches submitted their summaries (default: every
    /// phase).
    Campaign {
        #[command(flatten)]
        common: Common,
    },
    /// 发展党员 as of today: one row per person (stage, next clock, overdue clocks, the end
    /// of a running 公示), a summary per branch (people per stage, overdue clocks, 公示 running).
    Recruitment {
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
        /// Where to write the files (default: the current directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// 党费 for a month (default: this month): a row per branch (party members, expected,
    /// amount expected, paid, amount paid, the unpaid, six months unpaid), a sheet per branch
    /// with a row per member.
    Dues {
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// The month, YYYY-MM.
        #[arg(long)]
        month: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
        /// Where to write the files (default: the current directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Pushes per member and ISO week (default: the current month): sent (digests included),
    /// of which digests, held for a digest by the daily budget; a sheet per branch.
    Pushes {
        #[command(flatten)]
        common: Common,
    },
    /// Service activities held in the period (default: this year): a row per activity with
    /// its participants and who confirmed, a sheet per branch.
    Activities {
        #[command(flatten)]
        common: Common,
    },
    /// Charts as SVG and PNG: attendance per branch and month, meetings against the cadence,
    /// pledge check-ins, feedback per target (default: the current quarter).
    Charts {
        /// 2026Q4, 2026-11, 2026 or 2026-10-01..2026-12-31.
        #[arg(long)]
        period: Option<String>,
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Where to write the files (default: the current directory).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// The flags most reports share.
#[derive(Debug, Args)]
pub struct Common {
    /// 2026Q4 (a quarter), 2026-11 (a month), 2026 (a year) or 2026-10-01..2026-12-31 (days,
    /// both included), in the organisation's time zone.
    #[arg(long)]
    period: Option<String>,
    /// Only this branch.
    #[arg(long)]
    branch: Option<String>,
    /// Print CSV with a header row instead of tab-separated rows.
    #[arg(long)]
    csv: bool,
    /// Where to write the files (default: the current directory).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// A report ready to print and write.
struct Report {
    /// `meetings`, `pledges`, …: the first part of the file names.
    kind: &'static str,
    /// The second part of the file names (a period, or the day for "as of now" reports).
    label: String,
    /// The same as typed (`2026-10-01..2026-10-31` where the file has `_`): the audit log's.
    shown: String,
    /// The same as people read it (`2026年10月1日至2026年10月31日`).
    said: String,
    /// Lines to stderr before the table.
    head: Vec<String>,
    /// What stdout shows (and the CSV file holds).
    table: Table,
    book: Book,
    /// Nothing to export: a line says so and no file is written.
    empty: bool,
}

/// Runs a `report` subcommand.
pub async fn run(config: &Config, command: ReportCommand, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let now = e.clock.now();
    let result = dispatch(&e, command, now, ui).await;
    e.store.close().await;
    result
}

async fn dispatch(e: &Engine, command: ReportCommand, now: DateTime<Utc>, ui: &Ui) -> Outcome {
    let mut conn = e.store.pool().acquire().await?;
    let (report, out, csv, branch) = match command {
        ReportCommand::Meetings {
            quarter,
            with_files,
            common,
        } => {
            // `--quarter` is the older spelling of `--period` (clap keeps them apart).
            let typed = quarter.or(common.period);
            let period = period_or(&typed, ui, || Period::quarter_containing(now, e.tz))?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let (report, held) = meetings(&mut conn, e, &period, branch, now, ui).await?;
            if with_files && !report.empty {
                let dir = common.out.clone().unwrap_or_else(|| PathBuf::from("."));
                let folder = dir.join(format!("meetings-{}-files", report.label));
                meeting_files(&mut conn, e, &held, &folder, ui).await?;
            }
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Pledges { branch, csv, out } => {
            let branch = scope(&mut conn, branch.as_deref(), ui).await?;
            let label = now.with_timezone(&e.tz).format("%Y-%m-%d").to_string();
            (
                pledges(&mut conn, e, branch, label, ui).await?,
                out,
                csv,
                branch,
            )
        }
        ReportCommand::Notices { common } => {
            let period = period_or(&common.period, ui, || Period::quarter_containing(now, e.tz))?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let report = notices(&mut conn, e, &period, branch, ui).await?;
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Feedback { common } => {
            let period = period_or(&common.period, ui, || Period::month_containing(now, e.tz))?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let months = figures::feedback(&mut conn, &period, branch).await?;
            let names = figures::branches(&mut conn, branch).await?;
            drop(conn);
            legacy_feedback(&months, common.csv, ui)?;
            let report = feedback(&period, &months, &names, ui);
            return finish(e, report, common.out, branch, now, ui).await;
        }
        ReportCommand::Evaluation { common } => {
            let period = period_or(&common.period, ui, || {
                Period::Year(
                    now.with_timezone(&e.tz)
                        .format("%Y")
                        .to_string()
                        .parse()
                        .unwrap_or(2026),
                )
            })?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let report = evaluation(&mut conn, e, &period, branch, now, ui).await?;
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Campaign { common } => {
            let period = match &common.period {
                Some(p) => Some(parse_period(p, ui)?),
                None => None,
            };
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let label = period.map_or_else(
                || now.with_timezone(&e.tz).format("%Y-%m-%d").to_string(),
                |p| p.file_label(),
            );
            let report = campaign(&mut conn, e, period.as_ref(), branch, label, now, ui).await?;
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Recruitment { branch, csv, out } => {
            let branch = scope(&mut conn, branch.as_deref(), ui).await?;
            let today = now.with_timezone(&e.tz).date_naive();
            let (table, book) =
                crate::recruitment::cli::report(&mut conn, ui, branch, &e.recruitment, today)
                    .await?;
            let label = today.format("%Y-%m-%d").to_string();
            let report = Report {
                kind: "recruitment",
                shown: label.clone(),
                said: label.clone(),
                label,
                head: Vec::new(),
                empty: table.rows.is_empty(),
                table,
                book,
            };
            (report, out, csv, branch)
        }
        ReportCommand::Dues {
            branch,
            month,
            csv,
            out,
        } => {
            use crate::dues::rules::Month;
            let this_month = Month::of(now.with_timezone(&e.tz).date_naive());
            let month = match &month {
                Some(m) => Month::parse(m).ok_or_else(|| {
                    ui.mistake(msg!("dues-bad-month"), &[("typed", m.as_str().into())])
                })?,
                None => this_month,
            };
            let branch = scope(&mut conn, branch.as_deref(), ui).await?;
            let (table, book) =
                crate::dues::cli::report(&mut conn, ui, branch, month, this_month).await?;
            let label = month.to_string();
            let report = Report {
                kind: "dues",
                shown: label.clone(),
                said: label.clone(),
                label,
                head: Vec::new(),
                empty: table.rows.is_empty(),
                table,
                book,
            };
            (report, out, csv, branch)
        }
        ReportCommand::Pushes { common } => {
            let period = period_or(&common.period, ui, || Period::month_containing(now, e.tz))?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let (table, book) = super::pushes::report(&mut conn, ui, e.tz, &period, branch).await?;
            let said = period_text(&ui.catalog, ui.locale, &period);
            let report = Report {
                kind: "pushes",
                label: period.file_label(),
                shown: period.to_string(),
                said,
                head: Vec::new(),
                empty: table.rows.is_empty(),
                table,
                book,
            };
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Activities { common } => {
            let period = period_or(&common.period, ui, || {
                use chrono::Datelike;
                Period::Year(now.with_timezone(&e.tz).year())
            })?;
            let branch = scope(&mut conn, common.branch.as_deref(), ui).await?;
            let (table, book) = crate::records::cli::report(&mut conn, ui, branch, &period).await?;
            let report = Report {
                kind: "activities",
                shown: period.to_string(),
                said: period_text(&ui.catalog, ui.locale, &period),
                label: period.file_label(),
                head: Vec::new(),
                empty: table.rows.is_empty(),
                table,
                book,
            };
            (report, common.out, common.csv, branch)
        }
        ReportCommand::Charts {
            period,
            branch,
            out,
        } => {
            let period = period_or(&period, ui, || Period::quarter_containing(now, e.tz))?;
            let branch_id = scope(&mut conn, branch.as_deref(), ui).await?;
            return write_charts(e, &mut conn, &period, branch_id, out, now, ui).await;
        }
    };
    drop(conn);
    for line in &report.head {
        eprintln!("{line}");
    }
    print_table(&report.table.header, &report.table.text_rows(), csv)?;
    finish(e, report, out, branch, now, ui).await
}

/// A typed period, or the default.
fn period_or(typed: &Option<String>, ui: &Ui, default: impl FnOnce() -> Period) -> Outcome<Period> {
    match typed {
        Some(p) => parse_period(p, ui),
        None => Ok(default()),
    }
}

/// A typed period, or a mistake naming the forms accepted.
fn parse_period(typed: &str, ui: &Ui) -> Outcome<Period> {
    typed.parse().map_err(|e| {
        let id = match e {
            PeriodError::Unknown => msg!("report-bad-period"),
            PeriodError::Empty => msg!("report-empty-period"),
            PeriodError::TooLong => msg!("report-long-period"),
        };
        ui.mistake(id, &[("typed", typed.into())])
    })
}

/// The branch asked for, or a mistake naming the branches and how to list them.
async fn scope(conn: &mut Conn, name: Option<&str>, ui: &Ui) -> Outcome<Option<i64>> {
    match name {
        None => Ok(None),
        Some(name) => super::branch_named(conn, name, msg!("report-no-branch"), ui)
            .await
            .map(Some),
    }
}

/// One sheet per branch in scope, holding the rows tagged with its id.
async fn branch_sheets(
    conn: &mut Conn,
    branch: Option<i64>,
    head: &[String],
    tagged: &[(i64, Vec<Cell>)],
) -> Outcome<Vec<(String, Table)>> {
    Ok(figures::branches(conn, branch)
        .await?
        .into_iter()
        .map(|(id, name)| {
            let mut t = Table::new(head.to_vec());
            t.rows = tagged
                .iter()
                .filter(|(b, _)| *b == id)
                .map(|(_, row)| row.clone())
                .collect();
            (name, t)
        })
        .collect())
}

/// A progress bar on the terminal (hidden when stderr is not one).
fn progress(len: usize) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Writes the files (unless there is nothing to write), says where, and logs the export.
async fn finish(
    e: &Engine,
    report: Report,
    out: Option<PathBuf>,
    branch: Option<i64>,
    now: DateTime<Utc>,
    ui: &Ui,
) -> Outcome {
    if report.empty {
        eprintln!(
            "{}",
            ui.r(
                msg!("report-no-data"),
                &[
                    ("kind", ui.t(kind_msg(report.kind)).into()),
                    ("period", report.said.as_str().into())
                ]
            )
        );
        return Ok(());
    }
    let dir = out.unwrap_or_else(|| PathBuf::from("."));
    make_dir(&dir, ui)?;
    let stem = format!("{}-{}", report.kind, report.label);
    let csv = dir.join(format!("{stem}.csv"));
    let xlsx = dir.join(format!("{stem}.xlsx"));
    export::write_csv(&csv, &report.table).map_err(|err| unwritable(&csv, &err, ui))?;
    let bar = progress(report.book.sheets.len() + 1);
    bar.set_message(xlsx.display().to_string());
    export::write_xlsx(&xlsx, &report.book, || bar.inc(1))
        .map_err(|err| unwritable(&xlsx, &err, ui))?;
    bar.finish_and_clear();
    let files = [csv, xlsx];
    record(
        e,
        &format!("report {}", report.kind),
        &report.shown,
        branch,
        &files,
        now,
    )
    .await?;
    for f in &files {
        eprintln!(
            "{}",
            ui.r(
                msg!("report-written"),
                &[("file", f.display().to_string().into())]
            )
        );
    }
    Ok(())
}

/// A report kind's name, for "no data" lines.
fn kind_msg(kind: &str) -> Msg {
    match kind {
        "meetings" => msg!("report-kind-meetings"),
        "pledges" => msg!("report-kind-pledges"),
        "notices" => msg!("report-kind-notices"),
        "feedback" => msg!("report-kind-feedback"),
        "evaluation" => msg!("report-kind-evaluation"),
        "campaign" => msg!("report-kind-campaign"),
        "recruitment" => msg!("report-kind-recruitment"),
        "dues" => msg!("report-kind-dues"),
        "pushes" => msg!("report-kind-pushes"),
        "activities" => msg!("report-kind-activities"),
        _ => msg!("report-kind-charts"),
    }
}

fn make_dir(dir: &Path, ui: &Ui) -> Outcome {
    std::fs::create_dir_all(dir).map_err(|err| unwritable(dir, &err, ui))
}

fn unwritable(path: &Path, err: &dyn std::fmt::Display, ui: &Ui) -> Failure {
    ui.mistake(
        msg!("report-unwritable"),
        &[
            ("file", path.display().to_string().into()),
            ("detail", err.to_string().into()),
        ],
    )
}

/// The audit row of an export: `report meetings 2026Q4 branch:学生第一党支部`, the files.
async fn record(
    e: &Engine,
    what: &str,
    label: &str,
    branch: Option<i64>,
    files: &[PathBuf],
    now: DateTime<Utc>,
) -> Outcome {
    let mut tx = e.store.begin().await?;
    let mut subject = format!("{what} {label}");
    if let Some(id) = branch {
        if let Some((_, name, _)) = members::branches(&mut tx)
            .await?
            .into_iter()
            .find(|(b, _, _)| *b == id)
        {
            subject.push_str(&format!(" branch:{name}"));
        }
    }
    let detail = files
        .iter()
        .map(|f| f.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    audit::record(
        &mut tx,
        now.timestamp_millis(),
        &Actor::operator(),
        Action::DataExported,
        &subject,
        &detail,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn header(ui: &Ui, ids: &[Msg]) -> Vec<String> {
    ids.iter().map(|id| ui.t(*id)).collect()
}

fn day(at_ms: i64, tz: chrono_tz::Tz, format: &str) -> String {
    DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format(format)
        .to_string()
}

/// `report meetings`: the `/compliance` figures per branch; per branch, its meetings held.
async fn meetings(
    conn: &mut Conn,
    e: &Engine,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
    ui: &Ui,
) -> Outcome<(Report, Vec<crate::meetings::store::Meeting>)> {
    let rows = figures::meetings(conn, e.tz, &e.meetings, period, branch, now).await?;
    let counts: std::collections::HashMap<i64, i64> =
        crate::attachments::store::counts(conn, "meeting")
            .await?
            .into_iter()
            .collect();
    let mut all_held = Vec::new();
    let mut head = vec![ui.t(msg!("cli-meeting-column-branch"))];
    head.extend(MeetingKind::ALL.iter().map(|k| ui.t(k.msg())));
    head.extend(header(
        ui,
        &[
            msg!("cli-report-attendance"),
            msg!("cli-report-leave"),
            msg!("cli-report-minutes"),
            msg!("cli-report-made-up"),
            msg!("cli-report-absent-open"),
            msg!("cli-report-behind"),
        ],
    ));
    let mut table = Table::new(head);
    for f in &rows {
        let mut row: Vec<Cell> = vec![f.branch.clone().into()];
        row.extend(
            f.kinds
                .iter()
                .map(|(_, held, need)| Cell::from(format!("{held}/{need}"))),
        );
        let behind: Vec<String> = f.missing().iter().map(|k| ui.t(k.msg())).collect();
        for rate in [f.attendance_rate(), f.leave_rate()] {
            row.push(rate.map_or_else(|| Cell::Text("—".into()), Cell::Percent));
        }
        row.push(format!("{}/{}", f.with_minutes, f.held).into());
        row.push(format!("{}/{}", f.made_up, f.missed()).into());
        row.push(f.absent_open.into());
        row.push(ui.list(&behind).into());
        table.rows.push(row);
    }
    let (from, to) = period.bounds(e.tz);
    let mut sheets = Vec::new();
    let scoped = figures::branches(conn, branch).await?;
    let bar = progress(scoped.len());
    for (id, name) in scoped {
        bar.inc(1);
        let held = crate::meetings::store::held_between(
            conn,
            Some(id),
            from.timestamp_millis(),
            to.timestamp_millis(),
            now.timestamp_millis(),
        )
        .await?;
        let mut t = Table::new(header(
            ui,
            &[
                msg!("report-column-when"),
                msg!("report-column-kind"),
                msg!("report-column-topic"),
                msg!("report-column-place"),
                msg!("report-column-expected"),
                msg!("report-column-signed-in"),
                msg!("report-column-on-leave"),
                msg!("cli-report-attendance"),
                msg!("report-column-minutes"),
                msg!("cli-report-made-up"),
                msg!("report-column-attachments"),
            ],
        ));
        for h in held {
            let files = counts.get(&h.meeting.id).copied().unwrap_or(0);
            all_held.push(h.meeting.clone());
            t.rows.push(vec![
                day(h.meeting.starts_at, e.tz, "%Y-%m-%d %H:%M").into(),
                ui.t(h.meeting.kind.msg()).into(),
                h.meeting.topic.into(),
                h.meeting.place.into(),
                h.expected.into(),
                h.signed_in.into(),
                h.on_leave.into(),
                Cell::Percent(percent(h.signed_in, h.expected)),
                ui.t(if h.minutes {
                    msg!("report-yes")
                } else {
                    msg!("report-no")
                })
                .into(),
                h.made_up.into(),
                files.into(),
            ]);
        }
        sheets.push((name, t));
    }
    bar.finish_and_clear();
    let nothing_due = rows
        .iter()
        .all(|f| f.held == 0 && f.kinds.iter().all(|(_, _, need)| *need == 0));
    let report = Report {
        kind: "meetings",
        label: period.file_label(),
        shown: period.to_string(),
        said: period_text(&ui.catalog, ui.locale, period),
        head: vec![ui.r(
            msg!("compliance-header"),
            &[(
                "quarter",
                period_text(&ui.catalog, ui.locale, period).into(),
            )],
        )],
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary: table.clone(),
            sheets,
        },
        table,
        empty: rows.is_empty() || nothing_due,
    };
    Ok((report, all_held))
}

/// `report meetings --with-files`: each held meeting's photos and files in a folder of its
/// own (`2026-05-04 学生第一党支部 支部党员大会 #12/`), under their display names (made
/// harmless when stored; a name taken twice gets the attachment's number in front).
async fn meeting_files(
    conn: &mut Conn,
    e: &Engine,
    held: &[crate::meetings::store::Meeting],
    folder: &Path,
    ui: &Ui,
) -> Outcome {
    use crate::attachments::{service as files, Owner};
    let mut written: i64 = 0;
    for m in held {
        let list = files::list_for(conn, Owner::Meeting(m.id)).await?;
        if list.is_empty() {
            continue;
        }
        let name: String = format!(
            "{} {} {} #{}",
            day(m.starts_at, e.tz, "%Y-%m-%d"),
            m.branch_name,
            ui.t(m.kind.msg()),
            m.id
        )
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
        let dir = folder.join(name);
        make_dir(&dir, ui)?;
        for a in &list {
            let bytes = files::read(&e.files, a)
                .await
                .map_err(|err| unwritable(&dir, &err, ui))?;
            let mut path = dir.join(&a.display_name);
            if path.exists() {
                path = dir.join(format!("{}-{}", a.id, a.display_name));
            }
            std::fs::write(&path, bytes).map_err(|err| unwritable(&path, &err, ui))?;
        }
        written += 1;
    }
    eprintln!(
        "{}",
        ui.r(
            msg!("report-files-written"),
            &[
                ("meetings", written.into()),
                ("dir", folder.display().to_string().into())
            ]
        )
    );
    Ok(())
}

/// `report pledges`: the published items; the `/pledge_stats` figures on stderr and in the
/// summary sheet.
async fn pledges(
    conn: &mut Conn,
    e: &Engine,
    branch: Option<i64>,
    label: String,
    ui: &Ui,
) -> Outcome<Report> {
    let all = figures::pledges(conn, branch).await?;
    let head: Vec<String> = all
        .iter()
        .map(|f| format!("{}\n", stats::render(&ui.catalog, ui.locale, e.tz, f)))
        .collect();
    let published = stats::published(conn, branch).await?;
    let item_header = header(
        ui,
        &[
            Column::Branch.msg(),
            Column::Key.msg(),
            Column::Name.msg(),
            msg!("cli-pledges-column-number"),
            msg!("cli-pledges-column-way"),
            msg!("cli-pledges-column-text"),
            msg!("cli-pledges-column-target"),
        ],
    );
    let item_row = |p: &stats::Published| -> Vec<Cell> {
        vec![
            p.branch.clone().into(),
            p.member_key.clone().into(),
            p.member_name.clone().into(),
            p.item.position.into(),
            ui.t(p.item.way.msg()).into(),
            p.item.text.clone().into(),
            p.item.target_date.clone().map_or(Cell::Blank, Cell::Text),
        ]
    };
    let mut table = Table::new(item_header.clone());
    table.rows = published.iter().map(item_row).collect();
    let mut summary = Table::new(header(
        ui,
        &[
            msg!("cli-meeting-column-branch"),
            msg!("report-column-no-pledge"),
            msg!("report-column-awaiting"),
            msg!("report-column-round"),
            msg!("report-column-asked"),
            msg!("report-column-answered"),
            msg!("report-column-response"),
            msg!("report-column-attention"),
        ],
    ));
    let mut sheets = Vec::new();
    for f in &all {
        let (started, asked, answered) = f.round.map_or((Cell::Blank, 0, 0), |(s, a, n)| {
            (day(s, e.tz, "%Y-%m-%d").into(), a, n)
        });
        summary.rows.push(vec![
            f.branch.clone().into(),
            f.no_pledge.len().into(),
            f.awaiting.len().into(),
            started,
            asked.into(),
            answered.into(),
            Cell::Percent(stats::rate_percent(answered, asked) as u32),
            f.attention.len().into(),
        ]);
        let mut t = Table::new(item_header.clone());
        t.rows = published
            .iter()
            .filter(|p| p.branch == f.branch)
            .map(item_row)
            .collect();
        sheets.push((f.branch.clone(), t));
    }
    let empty = published.is_empty()
        && all
            .iter()
            .all(|f| f.no_pledge.is_empty() && f.awaiting.is_empty() && f.round.is_none());
    Ok(Report {
        kind: "pledges",
        shown: label.clone(),
        said: label.clone(),
        label,
        head,
        table,
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary,
            sheets,
        },
        empty,
    })
}

/// `report notices`: each notice of the period with the `/notice_status` figures.
async fn notices(
    conn: &mut Conn,
    e: &Engine,
    period: &Period,
    branch: Option<i64>,
    ui: &Ui,
) -> Outcome<Report> {
    let head = header(
        ui,
        &[
            msg!("report-column-notice"),
            msg!("report-column-when"),
            msg!("report-column-sender"),
            msg!("report-column-text"),
            msg!("report-column-recipients"),
            msg!("report-column-sent"),
            msg!("report-column-failed"),
            msg!("report-column-blocked"),
            msg!("report-column-queued"),
            msg!("report-column-unreachable"),
            msg!("report-column-confirmed"),
            msg!("report-column-confirm-rate"),
        ],
    );
    let rows_of = |list: &[figures::NoticeFigures]| -> Vec<Vec<Cell>> {
        list.iter()
            .map(|n| {
                let f = &n.figures;
                let text: String = n.notice.body.chars().take(40).collect();
                vec![
                    n.notice.id.into(),
                    day(n.notice.created_at, e.tz, "%Y-%m-%d %H:%M").into(),
                    n.sender.clone().into(),
                    text.into(),
                    f.total.into(),
                    f.sent.into(),
                    f.failed.into(),
                    f.blocked.into(),
                    f.queued.into(),
                    f.unreachable.into(),
                    if n.notice.confirm {
                        f.confirmed.into()
                    } else {
                        Cell::Blank
                    },
                    if n.notice.confirm {
                        Cell::Percent(percent(f.confirmed as u32, f.total as u32))
                    } else {
                        Cell::Blank
                    },
                ]
            })
            .collect()
    };
    let all = figures::notices(conn, e.tz, period, branch).await?;
    let mut table = Table::new(head.clone());
    table.rows = rows_of(&all);
    let mut sheets = Vec::new();
    let scoped = figures::branches(conn, branch).await?;
    let bar = progress(scoped.len());
    for (id, name) in scoped {
        bar.inc(1);
        let mine = figures::notices(conn, e.tz, period, Some(id)).await?;
        let mut t = Table::new(head.clone());
        t.rows = rows_of(&mine);
        sheets.push((name, t));
    }
    bar.finish_and_clear();
    Ok(Report {
        kind: "notices",
        label: period.file_label(),
        shown: period.to_string(),
        said: period_text(&ui.catalog, ui.locale, period),
        head: vec![ui.r(
            msg!("report-notices-header"),
            &[
                ("period", period_text(&ui.catalog, ui.locale, period).into()),
                ("count", all.len().into()),
            ],
        )],
        empty: all.is_empty(),
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary: table.clone(),
            sheets,
        },
        table,
    })
}

/// What `report feedback` printed before exports existed: the chat's text, or CSV with
/// English column names (kept for scripts that read it).
fn legacy_feedback(months: &[figures::FeedbackMonth], csv: bool, ui: &Ui) -> Outcome {
    if !csv {
        for m in months {
            let text = crate::feedback::results::render(
                &ui.catalog,
                ui.locale,
                &m.month,
                &m.rows,
                &m.groups,
            );
            println!("{text}");
        }
        return Ok(());
    }
    let mut w = ::csv::Writer::from_writer(std::io::stdout());
    w.write_record([
        "period",
        "code",
        "kind",
        "name",
        "satisfied",
        "fair",
        "dissatisfied",
        "total",
    ])?;
    for m in months {
        for row in &m.rows {
            let mut record = vec![
                m.month.clone(),
                row.target.code.clone(),
                row.target.kind.clone(),
                row.target.name.clone(),
            ];
            record.extend(counts(&row.shown).iter().map(Cell::display));
            w.write_record(&record)?;
        }
    }
    w.flush()?;
    Ok(())
}

/// Satisfied, fair, dissatisfied and the total; blanks when hidden.
fn counts(shown: &Shown) -> Vec<Cell> {
    match shown {
        Shown::Counts(c) => c
            .iter()
            .chain(std::iter::once(&c.iter().sum::<i64>()))
            .map(|n| Cell::Number(*n))
            .collect(),
        Shown::Hidden => vec![Cell::Blank; 4],
    }
}

/// `report feedback`: the files (the table went to stdout already, as it always did).
fn feedback(
    period: &Period,
    months: &[figures::FeedbackMonth],
    branches: &[(i64, String)],
    ui: &Ui,
) -> Report {
    let head = header(
        ui,
        &[
            msg!("report-column-month"),
            msg!("report-column-code"),
            msg!("report-column-target-kind"),
            msg!("report-column-target"),
            msg!("feedback-rating-satisfied"),
            msg!("feedback-rating-fair"),
            msg!("feedback-rating-dissatisfied"),
            msg!("report-column-total"),
            msg!("report-column-note"),
        ],
    );
    let hidden = ui.r(
        msg!("report-feedback-hidden"),
        &[("min", crate::feedback::rules::MIN_RATINGS.into())],
    );
    let row_of = |month: &str, kind: String, name: &str, code: &str, shown: &Shown| {
        let mut row: Vec<Cell> = vec![month.into(), code.into(), kind.into(), name.into()];
        row.extend(counts(shown));
        row.push(match shown {
            Shown::Counts(_) => Cell::Blank,
            Shown::Hidden => hidden.as_str().into(),
        });
        row
    };
    let mut table = Table::new(head.clone());
    let mut by_branch: Vec<(Option<i64>, Vec<Cell>)> = Vec::new();
    for m in months {
        for r in &m.rows {
            let kind = ui.t(crate::feedback::kind_msg(&r.target.kind));
            let row = row_of(&m.month, kind, &r.target.name, &r.target.code, &r.shown);
            by_branch.push((r.target.branch_id, row.clone()));
            table.rows.push(row);
        }
        for (building, shown) in &m.groups {
            let kind = ui.t(msg!("report-building-total"));
            table.rows.push(row_of(&m.month, kind, building, "", shown));
        }
    }
    let sheets = branches
        .iter()
        .map(|(id, name)| {
            let mut t = Table::new(head.clone());
            t.rows = by_branch
                .iter()
                .filter(|(b, _)| *b == Some(*id))
                .map(|(_, row)| row.clone())
                .collect();
            (name.clone(), t)
        })
        .collect();
    Report {
        kind: "feedback",
        label: period.file_label(),
        shown: period.to_string(),
        said: period_text(&ui.catalog, ui.locale, period),
        head: Vec::new(),
        empty: !months.iter().any(|m| m.rated),
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary: table.clone(),
            sheets,
        },
        table,
    }
}

/// `report evaluation`: one row per candidate of each round closed in the period, with the
/// tallies `/evaluation` shows.
async fn evaluation(
    conn: &mut Conn,
    e: &Engine,
    period: &Period,
    branch: Option<i64>,
    now: DateTime<Utc>,
    ui: &Ui,
) -> Outcome<Report> {
    use crate::evaluation::service::{option_msg, RoundKind};
    let rounds = figures::evaluation(conn, e.tz, period, branch, now).await?;
    let options: Vec<(RoundKind, usize)> = [RoundKind::Grades, RoundKind::Vote]
        .into_iter()
        .flat_map(|k| (0..k.options().len()).map(move |i| (k, i)))
        .collect();
    let mut head = header(
        ui,
        &[
            msg!("report-column-round"),
            msg!("cli-meeting-column-branch"),
            msg!("report-column-title"),
            msg!("report-column-closed"),
            msg!("report-column-turnout"),
            msg!("report-column-candidate"),
        ],
    );
    head.extend(options.iter().map(|(k, i)| ui.t(option_msg(*k, *i))));
    head.push(ui.t(msg!("report-column-note")));
    let mut table = Table::new(head.clone());
    let mut tagged = Vec::new();
    for r in &rounds {
        for (name, tally) in &r.results.candidates {
            let mut row: Vec<Cell> = vec![
                r.round.id.into(),
                r.branch.clone().into(),
                r.round.title.clone().into(),
                day(r.round.closes_at - 1, e.tz, "%Y-%m-%d").into(),
                format!("{}/{}", r.results.voted, r.results.eligible).into(),
                name.clone().into(),
            ];
            row.extend(options.iter().map(|(k, i)| {
                if *k == r.results.kind {
                    tally.get(*i).map_or(Cell::Blank, |n| Cell::Number(*n))
                } else {
                    Cell::Blank
                }
            }));
            row.push(if r.results.too_many_excellent {
                ui.t(msg!("evaluation-too-many-excellent")).into()
            } else {
                Cell::Blank
            });
            tagged.push((r.round.branch_id, row.clone()));
            table.rows.push(row);
        }
    }
    let sheets = branch_sheets(conn, branch, &head, &tagged).await?;
    Ok(Report {
        kind: "evaluation",
        label: period.file_label(),
        shown: period.to_string(),
        said: period_text(&ui.catalog, ui.locale, period),
        head: vec![ui.r(
            msg!("report-evaluation-header"),
            &[
                ("period", period_text(&ui.catalog, ui.locale, period).into()),
                ("count", rounds.len().into()),
            ],
        )],
        empty: rounds.is_empty(),
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary: table.clone(),
            sheets,
        },
        table,
    })
}

/// `report campaign`: each phase and each branch's summary of it.
async fn campaign(
    conn: &mut Conn,
    e: &Engine,
    period: Option<&Period>,
    branch: Option<i64>,
    label: String,
    now: DateTime<Utc>,
    ui: &Ui,
) -> Outcome<Report> {
    let phases = figures::campaign(conn, e.tz, period, branch, now).await?;
    let head = header(
        ui,
        &[
            msg!("report-column-campaign"),
            msg!("report-column-phase"),
            msg!("report-column-title"),
            msg!("report-column-start"),
            msg!("report-column-end"),
            msg!("report-column-current"),
            msg!("cli-meeting-column-branch"),
            msg!("report-column-summary"),
            msg!("records-column-activities"),
            msg!("records-column-comment"),
        ],
    );
    let mut table = Table::new(head.clone());
    let mut tagged = Vec::new();
    for p in &phases {
        for s in &p.summaries {
            let records = crate::records::cli::campaign_cells(
                conn,
                ui,
                e.tz,
                &p.campaign,
                p.index - 1,
                &p.phase,
                s.branch_id,
            )
            .await?;
            let mut row: Vec<Cell> = vec![
                p.campaign.clone().into(),
                p.index.into(),
                p.phase.title.get(ui.locale).into(),
                day(p.phase.start.timestamp_millis(), e.tz, "%Y-%m-%d").into(),
                p.phase.last_day_text(e.tz).into(),
                if p.current {
                    ui.t(msg!("report-yes")).into()
                } else {
                    Cell::Blank
                },
                s.branch.clone().into(),
                match s.submitted_at {
                    Some(at) => ui
                        .r(
                            msg!("report-summary-in"),
                            &[("day", day(at, e.tz, "%Y-%m-%d").into())],
                        )
                        .into(),
                    None => ui.t(msg!("report-summary-missing")).into(),
                },
            ];
            row.extend(records);
            tagged.push((s.branch_id, row.clone()));
            table.rows.push(row);
        }
    }
    let sheets = branch_sheets(conn, branch, &head, &tagged).await?;
    let head_lines = phases
        .iter()
        .map(|p| {
            let done = p
                .summaries
                .iter()
                .filter(|s| s.submitted_at.is_some())
                .count();
            ui.r(
                msg!("campaign-summaries"),
                &[
                    ("title", p.phase.title.get(ui.locale).into()),
                    ("done", done.into()),
                    ("total", p.summaries.len().into()),
                ],
            )
        })
        .collect();
    Ok(Report {
        kind: "campaign",
        shown: period.map_or_else(|| label.clone(), Period::to_string),
        said: period.map_or_else(|| label.clone(), |p| period_text(&ui.catalog, ui.locale, p)),
        label,
        head: head_lines,
        empty: phases.is_empty(),
        book: Book {
            summary_name: ui.t(msg!("report-summary-sheet")),
            summary: table.clone(),
            sheets,
        },
        table,
    })
}

/// `report charts`: each chart with something to show as `<chart>-<period>.svg` and `.png`.
async fn write_charts(
    e: &Engine,
    conn: &mut Conn,
    period: &Period,
    branch: Option<i64>,
    out: Option<PathBuf>,
    now: DateTime<Utc>,
    ui: &Ui,
) -> Outcome {
    let ctx = ChartContext {
        catalog: e.catalog.clone(),
        locale: ui.locale,
        tz: e.tz,
        rules: e.meetings.clone(),
        now,
    };
    let dir = out.unwrap_or_else(|| PathBuf::from("."));
    let label = period.file_label();
    let mut drawn = Vec::new();
    for chart in Chart::ALL {
        let bars = charts::data(conn, &ctx, chart, branch, period).await?;
        if bars.empty {
            eprintln!(
                "{}",
                ui.r(
                    msg!("report-chart-no-data"),
                    &[("title", bars.title.as_str().into())]
                )
            );
            continue;
        }
        drawn.push((chart, charts::draw(&bars, &ui.t(msg!("chart-no-data")))));
    }
    if drawn.is_empty() {
        eprintln!(
            "{}",
            ui.r(
                msg!("report-no-data"),
                &[
                    ("kind", ui.t(kind_msg("charts")).into()),
                    ("period", period_text(&ui.catalog, ui.locale, period).into())
                ]
            )
        );
        return Ok(());
    }
    make_dir(&dir, ui)?;
    let bar = progress(drawn.len());
    let mut files = Vec::new();
    let mut no_font = false;
    for (chart, svg) in &drawn {
        bar.set_message(chart.slug());
        let svg_path = dir.join(format!("{}-{label}.svg", chart.slug()));
        std::fs::write(&svg_path, svg).map_err(|err| unwritable(&svg_path, &err, ui))?;
        files.push(svg_path);
        match charts::png(svg) {
            Ok(png) => {
                let png_path = dir.join(format!("{}-{label}.png", chart.slug()));
                std::fs::write(&png_path, png).map_err(|err| unwritable(&png_path, &err, ui))?;
                files.push(png_path);
            }
            Err(PngError::NoCjkFont) => no_font = true,
            Err(other) => return Err(Failure::Internal(other.into())),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    record(e, "report charts", &period.to_string(), branch, &files, now).await?;
    for f in &files {
        eprintln!(
            "{}",
            ui.r(
                msg!("report-written"),
                &[("file", f.display().to_string().into())]
            )
        );
    }
    if no_font {
        return Err(ui.mistake(
            msg!("qr-no-font"),
            &[("fonts", charts::CJK_FAMILIES.join(", ").into())],
        ));
    }
    Ok(())
}
