//! `branchbot campaign load FILE | show | status`: load (and reload) the campaign file, which
//! validates it and schedules its pushes; print its phases; print which branches have
//! submitted each phase's summary.

use std::path::PathBuf;

use clap::Subcommand;

use crate::campaign::schedule::{self as campaigns, LoadError};
use crate::domain::campaign::{Problem, ProblemKind};
use crate::flows::engine::Engine;
use crate::msg;
use crate::store::campaigns as stored;
use crate::terminal::{Failure, Outcome, Ui};

/// The `campaign` subcommands.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Validate a campaign file, store it and schedule its announcements and reminders.
    /// Loading an edited file again updates the schedule without sending anything twice.
    Load {
        file: PathBuf,
        /// Move every phase by the same number of days so that the first one starts on this
        /// day: `today` or YYYY-MM-DD (the file itself is not changed).
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
    },
    /// Print the phases of the loaded campaign.
    Show,
    /// Print, per phase, which branches have submitted their summary.
    Status,
}

/// Says a problem of a campaign file in the user's language.
pub(crate) fn problem(ui: &Ui, p: &Problem) -> String {
    let line = ("line", (p.line as i64).into());
    match &p.kind {
        ProblemKind::Syntax(detail) => ui.r(
            msg!("campaign-problem-syntax"),
            &[line, ("detail", detail.as_str().into())],
        ),
        ProblemKind::BadDate { field } => ui.r(
            msg!("campaign-problem-bad-date"),
            &[line, ("field", field.as_str().into())],
        ),
        ProblemKind::Reversed { field } => ui.r(
            msg!("campaign-problem-reversed"),
            &[line, ("field", field.as_str().into())],
        ),
        ProblemKind::Overlap { field, previous } => ui.r(
            msg!("campaign-problem-overlap"),
            &[
                line,
                ("field", field.as_str().into()),
                ("previous", (*previous as i64).into()),
            ],
        ),
        ProblemKind::MissingText { field, locale } => ui.r(
            msg!("campaign-problem-missing-text"),
            &[
                line,
                ("field", field.as_str().into()),
                ("locale", (*locale).into()),
            ],
        ),
        ProblemKind::NoPhases => ui.r(msg!("campaign-problem-no-phases"), &[line]),
        ProblemKind::NotPositive { field } => ui.r(
            msg!("campaign-problem-not-positive"),
            &[line, ("field", field.as_str().into())],
        ),
    }
}

/// The campaign file moved so that its first phase starts on `day` (`today` or YYYY-MM-DD). An
/// invalid file is returned as it is, for the load to name its problems.
fn shifted(
    source: &str,
    day: &str,
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
    ui: &Ui,
) -> Outcome<String> {
    let target = match day.trim() {
        "today" | "今天" => now.with_timezone(&tz).date_naive(),
        other => chrono::NaiveDate::parse_from_str(other, "%Y-%m-%d")
            .map_err(|_| ui.mistake(msg!("cli-campaign-bad-start"), &[("start", day.into())]))?,
    };
    Ok(match crate::domain::campaign::parse(source, tz) {
        Ok(c) => crate::domain::campaign::shift(source, c.days_to_start_on(target, tz)),
        Err(_) => source.to_owned(),
    })
}

/// Runs a `campaign` subcommand.
pub(crate) async fn run(e: Engine, command: CampaignCommand, ui: &Ui) -> Outcome {
    let tz = e.tz;
    let result = match command {
        CampaignCommand::Load { file, start } => {
            let name = file.display().to_string();
            let source = std::fs::read_to_string(&file).map_err(|err| {
                ui.mistake(
                    msg!("cli-campaign-unreadable"),
                    &[
                        ("file", name.as_str().into()),
                        ("detail", err.to_string().into()),
                    ],
                )
            })?;
            let source = match start {
                Some(day) => shifted(&source, &day, e.clock.now(), tz, ui)?,
                None => source,
            };
            let mut tx = e.store.begin().await?;
            match campaigns::load(&mut tx, e.jobs.registry(), tz, &source, e.clock.now()).await {
                Ok(loaded) => {
                    let subject = loaded
                        .campaign
                        .as_ref()
                        .map(|c| c.name.clone())
                        .unwrap_or_default();
                    let detail = format!(
                        "{} · +{} ={} -{}",
                        file_name(&file),
                        loaded.scheduled,
                        loaded.kept,
                        loaded.cancelled
                    );
                    crate::store::audit::record(
                        &mut tx,
                        e.clock.now_ms(),
                        &crate::store::audit::Actor::operator(),
                        crate::store::audit::Action::CampaignLoaded,
                        &subject,
                        &detail,
                    )
                    .await?;
                    tx.commit().await?;
                    let phases = loaded.campaign.as_ref().map_or(0, |c| c.phases.len()) as i64;
                    let cname = loaded.campaign.map(|c| c.name).unwrap_or_default();
                    println!(
                        "{}",
                        ui.r(
                            msg!("cli-campaign-loaded"),
                            &[
                                ("name", cname.into()),
                                ("phases", phases.into()),
                                ("scheduled", (loaded.scheduled as i64).into()),
                                ("kept", (loaded.kept as i64).into()),
                                ("cancelled", (loaded.cancelled as i64).into()),
                                ("past", (loaded.past as i64).into()),
                            ],
                        )
                    );
                    Ok(())
                }
                Err(LoadError::Invalid(problems)) => {
                    let mut lines =
                        vec![ui.r(msg!("cli-campaign-refused"), &[("file", name.into())])];
                    lines.extend(problems.iter().map(|p| problem(ui, p)));
                    Err(Failure::User(lines.join("\n")))
                }
                Err(other) => Err(Failure::Internal(other.into())),
            }
        }
        CampaignCommand::Show | CampaignCommand::Status => {
            let status = matches!(command, CampaignCommand::Status);
            let mut conn = e.store.pool().acquire().await?;
            let Some(c) = stored::loaded(&mut conn, tz).await?.into_iter().next() else {
                return Err(ui.mistake(msg!("cli-campaign-none"), &[]));
            };
            let now = e.clock.now();
            let day = |t: chrono::DateTime<chrono::Utc>| {
                t.with_timezone(&tz).format("%Y-%m-%d").to_string()
            };
            let mut lines = vec![c.name.clone()];
            for (i, p) in c.phases.iter().enumerate() {
                let state = if p.start <= now && now < p.end {
                    ui.t(msg!("cli-campaign-phase-now"))
                } else {
                    String::new()
                };
                lines.push(ui.r(
                    msg!("cli-campaign-phase"),
                    &[
                        ("index", (i as i64 + 1).into()),
                        ("title", p.title.get(ui.locale).into()),
                        ("start", day(p.start).into()),
                        ("end", p.last_day_text(tz).into()),
                        ("state", state.into()),
                    ],
                ));
                if !status {
                    lines.push(ui.r(
                        msg!("cli-campaign-phase-theme"),
                        &[("theme", p.theme.get(ui.locale).into())],
                    ));
                    continue;
                }
                let rows = stored::summaries(&mut conn, &c.name, i as i64).await?;
                let done = rows.iter().filter(|r| r.submitted_at.is_some()).count() as i64;
                lines.push(ui.r(
                    msg!("campaign-summaries"),
                    &[
                        ("title", p.title.get(ui.locale).into()),
                        ("done", done.into()),
                        ("total", (rows.len() as i64).into()),
                    ],
                ));
                for r in rows {
                    let m = if r.submitted_at.is_some() {
                        msg!("campaign-summary-in")
                    } else {
                        msg!("campaign-summary-missing")
                    };
                    lines.push(ui.r(m, &[("branch", r.branch.as_str().into())]));
                }
            }
            println!("{}", lines.join("\n"));
            Ok(())
        }
    };
    e.store.close().await;
    result
}

/// The file's name without its folders, as the command line names files it read.
fn file_name(file: &std::path::Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}
