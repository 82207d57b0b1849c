//! `branchbot activity log|list|show`, `branchbot plan publish|show|missing`, `branchbot
//! comment add|list` and the rows of `branchbot report activities`. The operator acts for the
//! college committee; everything goes through [`service`], so the checks, the audit rows and
//! the pushes are the ones chat makes.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;

use super::chat::{self, Words};
use super::rules;
use super::service::{self, Denied, NewActivity, NewComment, Viewer};
use super::store;
use crate::domain::period::Period;
use crate::export::{Book, Cell, Table};
use crate::flows::engine::Engine;
use crate::msg;
use crate::store::audit::Actor;
use crate::store::{members, Conn};
use crate::terminal::{find_branch, Failure, Outcome, Ui};

/// `branchbot activity …`.
#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// Log a service activity; each participant is asked to confirm.
    Log {
        /// The branch.
        #[arg(long)]
        branch: String,
        /// 结对帮扶, 志愿服务, 走访慰问, 进社区 (or pair_help, volunteer, visit, community), or a
        /// kind named in `[records]`.
        #[arg(long)]
        kind: String,
        /// The day it was held: YYYY-MM-DD.
        #[arg(long)]
        date: String,
        #[arg(long)]
        place: String,
        /// Participants' roster keys, comma-separated.
        #[arg(long, value_delimiter = ',')]
        participants: Vec<String>,
        /// What was done.
        description: String,
    },
    /// Activities held in a period (default: this year), latest first.
    List {
        #[arg(long)]
        branch: Option<String>,
        /// 2026Q4, 2026-11, 2026 or 2026-10-01..2026-12-31.
        #[arg(long)]
        period: Option<String>,
    },
    /// One activity with its participants and their answers.
    Show { id: i64 },
}

/// `branchbot plan …`.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Publish (or replace) a branch's work plan from a UTF-8 text file.
    Publish {
        #[arg(long)]
        branch: String,
        file: PathBuf,
    },
    /// A branch's published plan.
    Show { branch: String },
    /// The branches that have not published their plan.
    Missing,
}

/// `branchbot comment …`.
#[derive(Debug, Subcommand)]
pub enum CommentCommand {
    /// Write a 领导点评 on a branch (or one of its members) for a campaign phase; it is pushed
    /// to the branch.
    Add {
        #[arg(long)]
        branch: String,
        /// The phase, from 1.
        #[arg(long)]
        phase: i64,
        /// A member of the branch, by roster key, when the comment is about one.
        #[arg(long)]
        member: Option<String>,
        text: String,
    },
    /// Every comment of the campaign.
    List {
        #[arg(long)]
        branch: Option<String>,
    },
}

fn words(ui: &Ui) -> Words<'_> {
    Words {
        catalog: &ui.catalog,
        locale: ui.locale,
    }
}

fn user(text: String) -> Failure {
    Failure::User(text)
}

/// Runs `activity …`.
pub(crate) async fn activity(e: &Engine, command: ActivityCommand, ui: &Ui) -> Outcome {
    let now = e.clock.now();
    let now_ms = now.timestamp_millis();
    let today = now.with_timezone(&e.tz).date_naive();
    let w = words(ui);
    let result = async {
        match command {
            ActivityCommand::Log {
                branch,
                kind,
                date,
                place,
                participants,
                description,
            } => {
                let Some(kind) = rules::kind_typed(&e.records, &e.catalog, &kind) else {
                    let names: Vec<String> = e.records.kinds().iter().map(|k| w.kind(k)).collect();
                    return Err(user(w.r(
                        msg!("records-unknown-kind"),
                        &[("typed", kind.into()), ("list", w.list(&names).into())],
                    )));
                };
                let held_on =
                    rules::parse_day(&date, today).map_err(|err| user(w.bad_day(&date, err)))?;
                let mut tx = e.store.begin().await?;
                let branch_id = find_branch(&mut tx, &branch, ui).await?;
                let mut people = Vec::new();
                for key in participants
                    .iter()
                    .map(|k| k.trim())
                    .filter(|k| !k.is_empty())
                {
                    match members::find(&mut tx, key).await? {
                        Some(m) => people.push(m),
                        None => {
                            return Err(user(
                                w.r(msg!("dues-unknown-member"), &[("who", key.into())]),
                            ))
                        }
                    }
                }
                let new = NewActivity {
                    branch_id,
                    kind: kind.clone(),
                    held_on,
                    place,
                    body: description,
                    participants: people,
                };
                match service::log_activity(
                    &mut tx,
                    e,
                    Viewer::Operator,
                    &Actor::operator(),
                    &new,
                    now_ms,
                )
                .await?
                {
                    Ok((id, asked)) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            w.r(
                                msg!("records-logged-cli"),
                                &[
                                    ("id", id.into()),
                                    ("kind", w.kind(&kind).into()),
                                    ("day", held_on.format("%Y-%m-%d").to_string().into()),
                                    ("asked", asked.into()),
                                ],
                            )
                        );
                        Ok(())
                    }
                    Err(d) => Err(user(w.denied(&d))),
                }
            }
            ActivityCommand::List { branch, period } => {
                let mut conn = e.store.pool().acquire().await?;
                let branch = match branch {
                    Some(b) => Some(find_branch(&mut conn, &b, ui).await?),
                    None => None,
                };
                let period = period_or_year(period.as_deref(), today, ui)?;
                let (table, _) = report(&mut conn, ui, branch, &period).await?;
                crate::terminal::print_table(&table.header, &table.text_rows(), false)
            }
            ActivityCommand::Show { id } => {
                let mut conn = e.store.pool().acquire().await?;
                let Some(a) = store::activity_by_id(&mut conn, id).await? else {
                    return Err(user(w.r(msg!("records-no-activity"), &[("id", id.into())])));
                };
                let people = store::participants(&mut conn, id).await?;
                println!(
                    "{}",
                    w.r(
                        msg!("records-show"),
                        &[
                            ("id", a.id.into()),
                            ("kind", w.kind(&a.kind).into()),
                            ("day", a.held_on.as_str().into()),
                            ("branch", a.branch.as_str().into()),
                            ("place", a.place.as_str().into()),
                            ("description", a.body.as_str().into()),
                        ],
                    )
                );
                for p in people {
                    println!("{}\t{}", w.who(&p.name, &p.key), status(&w, &p.status));
                }
                let owner = crate::attachments::Owner::Activity(id);
                for f in crate::attachments::service::list_for(&mut conn, owner).await? {
                    println!(
                        "{}",
                        w.r(
                            msg!("records-show-file"),
                            &[
                                ("id", f.id.into()),
                                ("kind", w.t(f.kind.label()).into()),
                                ("name", f.display_name.as_str().into()),
                            ],
                        )
                    );
                }
                Ok(())
            }
        }
    }
    .await;
    e.store.close().await;
    result
}

fn status(w: &Words<'_>, s: &str) -> String {
    w.t(match s {
        "confirmed" => msg!("records-status-confirmed"),
        "declined" => msg!("records-status-declined"),
        _ => msg!("records-status-asked"),
    })
}

fn period_or_year(typed: Option<&str>, today: NaiveDate, ui: &Ui) -> Outcome<Period> {
    use chrono::Datelike;
    match typed {
        None => Ok(Period::Year(today.year())),
        Some(t) => t
            .parse()
            .map_err(|_| ui.mistake(msg!("report-bad-period"), &[("typed", t.into())])),
    }
}

/// Runs `plan …`.
pub(crate) async fn plan(e: &Engine, command: PlanCommand, ui: &Ui) -> Outcome {
    let now_ms = e.clock.now_ms();
    let w = words(ui);
    let result = async {
        match command {
            PlanCommand::Publish { branch, file } => {
                let bytes = std::fs::read(&file).map_err(|err| {
                    user(w.r(
                        msg!("records-file-unreadable"),
                        &[
                            ("file", file.display().to_string().into()),
                            ("detail", err.to_string().into()),
                        ],
                    ))
                })?;
                let text = String::from_utf8(bytes).map_err(|_| {
                    user(w.r(
                        msg!("records-file-not-utf8"),
                        &[("file", file.display().to_string().into())],
                    ))
                })?;
                let text = text.trim_start_matches('\u{feff}');
                let mut tx = e.store.begin().await?;
                let branch_id = find_branch(&mut tx, &branch, ui).await?;
                match service::publish_plan(
                    &mut tx,
                    e.tz,
                    Viewer::Operator,
                    &Actor::operator(),
                    (branch_id, &branch),
                    text,
                    now_ms,
                )
                .await?
                {
                    Ok(first) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            w.r(
                                if first {
                                    msg!("records-plan-published")
                                } else {
                                    msg!("records-plan-replaced")
                                },
                                &[("branch", branch.as_str().into())]
                            )
                        );
                        Ok(())
                    }
                    Err(d) => Err(user(w.denied(&d))),
                }
            }
            PlanCommand::Show { branch } => {
                let mut conn = e.store.pool().acquire().await?;
                let id = find_branch(&mut conn, &branch, ui).await?;
                let plan = service::plan_of(&mut conn, e.tz, id).await?;
                println!("{}", chat::plan_text(&w, e.tz, &branch, plan));
                Ok(())
            }
            PlanCommand::Missing => {
                let mut conn = e.store.pool().acquire().await?;
                let missing: Vec<String> = service::plan_states(&mut conn, e.tz)
                    .await?
                    .into_iter()
                    .filter(|(_, _, p)| !*p)
                    .map(|(_, n, _)| n)
                    .collect();
                println!("{}", chat::missing_line(&w, &missing));
                Ok(())
            }
        }
    }
    .await;
    e.store.close().await;
    result
}

/// Runs `comment …`.
pub(crate) async fn comment(e: &Engine, command: CommentCommand, ui: &Ui) -> Outcome {
    let now_ms = e.clock.now_ms();
    let w = words(ui);
    let result = async {
        let mut tx = e.store.begin().await?;
        let Some(c) = service::campaign(&mut tx, e.tz).await? else {
            return Err(user(w.t(msg!("records-no-campaign"))));
        };
        match command {
            CommentCommand::Add {
                branch,
                phase,
                member,
                text,
            } => {
                if phase < 1 || phase as usize > c.phases.len() {
                    return Err(user(w.denied(&Denied::NoSuchPhase(phase, c.phases.len()))));
                }
                let branch_id = find_branch(&mut tx, &branch, ui).await?;
                let about = match member {
                    Some(key) => match members::find(&mut tx, &key).await? {
                        Some(m) => Some(m),
                        None => {
                            return Err(user(
                                w.r(msg!("dues-unknown-member"), &[("who", key.as_str().into())]),
                            ))
                        }
                    },
                    None => None,
                };
                let new = NewComment {
                    phase: (phase - 1) as usize,
                    branch: (branch_id, &branch),
                    about: about.as_ref(),
                    text: &text,
                };
                match service::write_comment(
                    &mut tx,
                    e,
                    Viewer::Operator,
                    &Actor::operator(),
                    &c,
                    &new,
                    now_ms,
                )
                .await?
                {
                    Ok((fresh, told)) => {
                        tx.commit().await?;
                        let title = c.phases[new.phase].title.get(ui.locale).to_owned();
                        println!(
                            "{}",
                            w.r(
                                if fresh {
                                    msg!("records-comment-saved")
                                } else {
                                    msg!("records-comment-replaced")
                                },
                                &[
                                    ("title", title.into()),
                                    ("branch", branch.as_str().into()),
                                    ("told", told.into()),
                                ],
                            )
                        );
                        Ok(())
                    }
                    Err(d) => Err(user(w.denied(&d))),
                }
            }
            CommentCommand::List { branch } => {
                let branch = match branch {
                    Some(b) => Some(find_branch(&mut tx, &b, ui).await?),
                    None => None,
                };
                let list = store::comments(&mut tx, &c.name, branch).await?;
                if list.is_empty() {
                    println!("{}", w.t(msg!("records-comments-none")));
                }
                for k in &list {
                    println!("{}", w.comment(&c, k));
                }
                Ok(())
            }
        }
    }
    .await;
    e.store.close().await;
    result
}

/// `report activities`: a row per activity held in the period (day, branch, kind, place,
/// description, participants, confirmed, logged by), a sheet per branch.
pub(crate) async fn report(
    conn: &mut Conn,
    ui: &Ui,
    branch: Option<i64>,
    period: &Period,
) -> Outcome<(Table, Book)> {
    let w = words(ui);
    let from = period.first_day().format("%Y-%m-%d").to_string();
    let to = period.last_day().format("%Y-%m-%d").to_string();
    let list = store::activities(conn, branch, &from, &to).await?;
    let header = [
        msg!("records-column-id"),
        msg!("records-column-day"),
        msg!("records-column-branch"),
        msg!("records-column-kind"),
        msg!("records-column-place"),
        msg!("records-column-description"),
        msg!("records-column-participants"),
        msg!("records-column-confirmed"),
        msg!("records-column-logged-by"),
    ]
    .map(|id| ui.t(id))
    .to_vec();
    let mut summary = Table::new(header.clone());
    let mut sheets: Vec<(String, Table)> = Vec::new();
    for a in &list {
        let people = store::participants(conn, a.id).await?;
        let confirmed: Vec<String> = people
            .iter()
            .filter(|p| p.status == "confirmed")
            .map(|p| w.who(&p.name, &p.key))
            .collect();
        let row = vec![
            Cell::Number(a.id),
            Cell::Text(a.held_on.clone()),
            Cell::Text(a.branch.clone()),
            Cell::Text(w.kind(&a.kind)),
            Cell::Text(a.place.clone()),
            Cell::Text(a.body.clone()),
            Cell::from(people.len()),
            Cell::Text(confirmed.join(" ")),
            Cell::Text(
                a.logged_by
                    .as_ref()
                    .map_or_else(|| w.t(msg!("dues-by-operator")), |(n, k)| w.who(n, k)),
            ),
        ];
        match sheets.iter_mut().find(|(n, _)| *n == a.branch) {
            Some((_, t)) => t.rows.push(row.clone()),
            None => {
                let mut t = Table::new(header.clone());
                t.rows.push(row.clone());
                sheets.push((a.branch.clone(), t));
            }
        }
        summary.rows.push(row);
    }
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let summary_name = ui.t(msg!("records-sheet-summary"));
    let fitted = crate::export::sheet_names(&summary_name, &names);
    let sheets = sheets
        .into_iter()
        .zip(fitted.into_iter().skip(1))
        .map(|((_, t), n)| (n, t))
        .collect();
    Ok((
        summary.clone(),
        Book {
            summary_name,
            summary,
            sheets,
        },
    ))
}

/// The campaign report's two cells for a branch and phase: activities held in the phase
/// (with confirmed participations) and the 领导点评.
pub(crate) async fn campaign_cells(
    conn: &mut Conn,
    ui: &Ui,
    tz: chrono_tz::Tz,
    campaign: &str,
    phase_index: usize,
    phase: &crate::domain::campaign::Phase,
    branch_id: i64,
) -> Outcome<[Cell; 2]> {
    let from = phase
        .start
        .with_timezone(&tz)
        .format("%Y-%m-%d")
        .to_string();
    let to = phase.last_day_text(tz);
    let counts = store::branch_counts(conn, &from, &to).await?;
    let (a, p) = counts
        .iter()
        .find(|(b, _, _)| *b == branch_id)
        .map_or((0, 0), |(_, a, p)| (*a, *p));
    let comment = store::comments(conn, campaign, Some(branch_id))
        .await?
        .into_iter()
        .find(|k| k.phase == phase_index as i64 && k.about.is_none())
        .map_or(Cell::Blank, |k| Cell::Text(k.body));
    Ok([
        Cell::Text(ui.r(
            msg!("records-report-activities"),
            &[("activities", a.into()), ("confirmed", p.into())],
        )),
        comment,
    ])
}
