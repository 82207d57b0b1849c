//! `branchbot recruit import FILE | list | show KEY | record KEY STEP … | record KEY paper NAME
//! … | notice KEY` and the rows of `branchbot report recruitment`. The operator at the command line acts for the college
//! committee; every step goes through [`service::record`], so the rules and the audit log
//! are the same as in chat.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Subcommand;

use super::chat::{self, parse_details, Words};
use super::rules::{self, Document, Stage, StepKind};
use super::service::{self, Request, View, Viewer};
use crate::export::{Book, Cell, Table};
use crate::flows::engine::Engine;
use crate::msg;
use crate::store::audit::Actor;
use crate::store::Conn;
use crate::terminal::{find_branch, print_table, Outcome, Ui};

/// `branchbot recruit …`.
#[derive(Debug, Subcommand)]
pub enum RecruitCommand {
    /// Load the current pipeline from a CSV file: a header row naming `key` and the steps
    /// (`applied`, `talk`, `activist`, `contacts`, `reviews`, `reports`, `opinions`,
    /// `candidate`, …, English or Chinese), one person a line, dates as YYYY-MM-DD. Every step
    /// is checked by the rules; the file is refused whole if any line is wrong.
    Import {
        file: PathBuf,
        /// Check the file and say what would be loaded, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// The pipeline: each person's stage and next clock.
    List {
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
    },
    /// One person's record: steps, dates, notes, clocks.
    Show { key: String },
    /// The text of the 公示 running for a person, to post (the 公示 period in the
    /// organisation's working days, how to raise objections, the branch's contact).
    Notice { key: String },
    /// Record a step: `record KEY STEP [YYYY-MM-DD] [CONTACT | HOURS | YES NO ABSTAIN
    /// ENTITLED] [note…]`; or a paper received: `record KEY paper NAME [YYYY-MM-DD] [note…]`
    /// (入党申请书, 思想汇报, 政审材料, 培训结业证明, 入党志愿书, 转正申请书).
    Record {
        key: String,
        step: String,
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        details: Vec<String>,
    },
}

fn words(ui: &Ui) -> Words<'_> {
    Words {
        catalog: &ui.catalog,
        locale: ui.locale,
    }
}

/// Runs `recruit …`.
pub(crate) async fn run(e: &Engine, command: RecruitCommand, ui: &Ui) -> Outcome {
    let today = e.clock.now().with_timezone(&e.tz).date_naive();
    let now_ms = e.clock.now().timestamp_millis();
    let policy = &e.recruitment;
    let w = words(ui);
    let result = async {
        match command {
            RecruitCommand::Import { file, dry_run } => {
                import(&e.store, &file, dry_run, policy, today, now_ms, ui).await
            }
            RecruitCommand::List { branch, csv } => {
                let mut conn = e.store.pool().acquire().await?;
                let branch = match &branch {
                    Some(b) => Some(find_branch(&mut conn, b, ui).await?),
                    None => None,
                };
                let views = service::pipeline(&mut conn, Viewer::Operator, branch, policy)
                    .await?
                    .unwrap_or_default();
                if views.is_empty() {
                    eprintln!("{}", ui.t(msg!("recruit-pipeline-empty")));
                    return Ok(());
                }
                let table = table(&w, &views, today);
                print_table(&table.header, &table.text_rows(), csv)
            }
            RecruitCommand::Show { key } => {
                let mut conn = e.store.pool().acquire().await?;
                match service::view(&mut conn, Viewer::Operator, &key, policy).await? {
                    Ok(v) => {
                        println!("{}", w.record(&v, today));
                        Ok(())
                    }
                    Err(d) => Err(crate::terminal::Failure::User(
                        w.denied(StepKind::Applied, &d),
                    )),
                }
            }
            RecruitCommand::Notice { key } => {
                let mut conn = e.store.pool().acquire().await?;
                let v = match service::view(&mut conn, Viewer::Operator, &key, policy).await? {
                    Ok(v) => v,
                    Err(d) => {
                        return Err(crate::terminal::Failure::User(
                            w.denied(StepKind::Publicity, &d),
                        ))
                    }
                };
                let contact = match v.recruit.branch_id {
                    Some(b) => crate::meetings::service::secretaries(&mut conn, b)
                        .await?
                        .into_iter()
                        .next(),
                    None => None,
                };
                match w.notice(&v, &e.org_name, contact.as_ref(), today) {
                    Some(text) => {
                        println!("{text}");
                        Ok(())
                    }
                    None => Err(ui.mistake(msg!("recruit-notice-none"), &[("key", key.into())])),
                }
            }
            RecruitCommand::Record { key, step, details }
                if ["paper", "doc", "材料"].contains(&step.as_str()) =>
            {
                let Some(name) = details.first() else {
                    return Err(ui.mistake(msg!("recruit-bad-paper"), &[("paper", "".into())]));
                };
                let Some(doc) = Document::parse(name) else {
                    return Err(ui.mistake(
                        msg!("recruit-bad-paper"),
                        &[("paper", name.as_str().into())],
                    ));
                };
                let rest: Vec<&str> = details[1..].iter().map(String::as_str).collect();
                let d = parse_details(StepKind::Opinions, &rest, today)
                    .map_err(|id| crate::terminal::Failure::User(ui.t(id)))?;
                let mut tx = e.store.begin().await?;
                let done = service::receive(
                    &mut tx,
                    Viewer::Operator,
                    &Actor::operator(),
                    &key,
                    doc,
                    d.on,
                    &d.note,
                    policy,
                    today,
                    now_ms,
                )
                .await?;
                match done {
                    Ok(_) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            ui.r(
                                msg!("recruit-paper-recorded"),
                                &[
                                    ("key", key.as_str().into()),
                                    ("paper", w.paper(doc).into()),
                                    ("date", chat::date(d.on).into()),
                                ],
                            )
                        );
                        Ok(())
                    }
                    Err(denied) => Err(crate::terminal::Failure::User(
                        w.denied(doc.step().unwrap_or(StepKind::Political), &denied),
                    )),
                }
            }
            RecruitCommand::Record { key, step, details } => {
                let Some(kind) = StepKind::parse(&step) else {
                    return Err(ui.mistake(msg!("recruit-bad-step"), &[("step", step.into())]));
                };
                let rest: Vec<&str> = details.iter().map(String::as_str).collect();
                let d = parse_details(kind, &rest, today)
                    .map_err(|id| crate::terminal::Failure::User(ui.t(id)))?;
                let req = Request {
                    key: &key,
                    kind,
                    on: d.on,
                    contact: d.contact.as_deref(),
                    hours: d.hours,
                    tally: d.tally,
                    note: &d.note,
                };
                let mut tx = e.store.begin().await?;
                let done = service::record(
                    &mut tx,
                    Viewer::Operator,
                    &Actor::operator(),
                    &req,
                    policy,
                    today,
                    now_ms,
                )
                .await?;
                match done {
                    Ok(moved) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            ui.r(
                                msg!("recruit-recorded"),
                                &[
                                    ("key", key.as_str().into()),
                                    ("step", w.step(kind).into()),
                                    ("date", chat::date(d.on).into()),
                                    ("stage", w.stage(moved.after).into()),
                                ],
                            )
                        );
                        if let Some(t) = &d.tally {
                            println!("{}", w.tally(t));
                        }
                        Ok(())
                    }
                    Err(denied) => Err(crate::terminal::Failure::User(w.denied(kind, &denied))),
                }
            }
        }
    }
    .await;
    e.store.close().await;
    result
}

/// The pipeline as a table: branch, key, name, stage, next clock, by, overdue.
pub fn table(w: &Words<'_>, views: &[View], today: NaiveDate) -> Table {
    let header = [
        msg!("recruit-column-branch"),
        msg!("recruit-column-key"),
        msg!("recruit-column-name"),
        msg!("recruit-column-stage"),
        msg!("recruit-column-next"),
        msg!("recruit-column-by"),
        msg!("recruit-column-overdue"),
        msg!("recruit-column-publicity-ends"),
        msg!("recruit-column-papers-missing"),
    ]
    .map(|id| w.catalog.text(w.locale, id))
    .to_vec();
    let mut t = Table::new(header);
    for v in views {
        let next = v.clocks.first();
        let overdue = v.overdue(today);
        let publicity = v
            .publicity
            .map_or(Cell::Blank, |p| Cell::Text(chat::date(p.last)));
        let sep = match w.locale {
            crate::i18n::Locale::ZhCn => "、",
            crate::i18n::Locale::En => ", ",
        };
        let missing: Vec<String> = v
            .facts
            .papers_missing_next()
            .into_iter()
            .map(|d| w.paper(d))
            .collect();
        t.rows.push(vec![
            Cell::Text(v.recruit.branch.clone().unwrap_or_default()),
            Cell::Text(v.recruit.key.clone()),
            Cell::Text(v.recruit.name.clone()),
            Cell::Text(w.stage(v.stage)),
            next.map_or(Cell::Blank, |d| Cell::Text(w.clock(d.what))),
            next.map_or(Cell::Blank, |d| Cell::Text(chat::date(d.by))),
            Cell::Text(
                overdue
                    .iter()
                    .map(|d| format!("{} {}", w.clock(d.what), chat::date(d.by)))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            publicity,
            Cell::Text(missing.join(sep)),
        ]);
    }
    t
}

/// `report recruitment`: the people (one row each), a summary per branch (people per stage,
/// overdue clocks, 公示 running) and a sheet per branch.
pub(crate) async fn report(
    conn: &mut Conn,
    ui: &Ui,
    branch: Option<i64>,
    policy: &rules::Policy,
    today: NaiveDate,
) -> Outcome<(Table, Book)> {
    let w = words(ui);
    let views = service::pipeline(conn, Viewer::Operator, branch, policy)
        .await?
        .unwrap_or_default();
    let table = table(&w, &views, today);
    let mut header = vec![ui.t(msg!("recruit-column-branch"))];
    header.extend(Stage::ALL.iter().map(|s| w.stage(*s)));
    header.push(ui.t(msg!("recruit-column-overdue")));
    header.push(ui.t(msg!("recruit-column-publicity-ends")));
    let mut summary = Table::new(header);
    let mut branches: Vec<String> = views
        .iter()
        .map(|v| v.recruit.branch.clone().unwrap_or_default())
        .collect();
    branches.dedup();
    let mut sheets = Vec::new();
    for b in &branches {
        let mine: Vec<&View> = views
            .iter()
            .filter(|v| v.recruit.branch.as_deref().unwrap_or_default() == b)
            .collect();
        let mut row = vec![Cell::Text(b.clone())];
        row.extend(
            Stage::ALL
                .iter()
                .map(|s| Cell::from(mine.iter().filter(|v| v.stage == *s).count())),
        );
        row.push(Cell::from(
            mine.iter().map(|v| v.overdue(today).len()).sum::<usize>(),
        ));
        row.push(Cell::from(
            mine.iter().filter(|v| v.publicity.is_some()).count(),
        ));
        summary.rows.push(row);
        let mut sheet = Table::new(table.header.clone());
        sheet.rows = table
            .rows
            .iter()
            .filter(|r| r.first() == Some(&Cell::Text(b.clone())))
            .cloned()
            .collect();
        sheets.push((b.clone(), sheet));
    }
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let summary_name = ui.t(msg!("recruit-sheet-summary"));
    let fitted = crate::export::sheet_names(&summary_name, &names);
    let sheets = sheets
        .into_iter()
        .zip(fitted.into_iter().skip(1))
        .map(|((_, t), n)| (n, t))
        .collect();
    Ok((
        table,
        Book {
            summary_name,
            summary,
            sheets,
        },
    ))
}

/// The columns an import file may have, in the order their steps are recorded.
const IMPORT_COLUMNS: &[(&str, &[&str])] = &[
    ("applied", &["applied", "申请", "入党申请", "申请日期"]),
    ("talk", &["talk", "谈话"]),
    ("activist", &["activist", "积极分子", "确定积极分子"]),
    ("contacts", &["contacts", "联系人", "培养联系人"]),
    ("reviews", &["reviews", "考察"]),
    ("reports", &["reports", "思想汇报"]),
    ("training", &["training", "培训", "集中培训"]),
    ("opinions", &["opinions", "意见", "征求意见"]),
    ("candidate", &["candidate", "发展对象"]),
    ("political", &["political", "政审"]),
    ("committee_review", &["committee_review", "支委会审查"]),
    ("prereview", &["prereview", "预审"]),
    ("form", &["form", "志愿书", "入党志愿书"]),
    ("political_materials", &["political_materials", "政审材料"]),
    (
        "training_certificate",
        &["training_certificate", "培训结业证明", "结业证明"],
    ),
    ("publicity", &["publicity", "公示"]),
    ("vote", &["vote", "支部大会", "表决"]),
    ("committee_talk", &["committee_talk", "党委谈话"]),
    ("approval", &["approval", "审批"]),
    ("oath", &["oath", "宣誓"]),
    ("application", &["application", "转正申请"]),
    ("confirm_publicity", &["confirm_publicity", "转正公示"]),
    ("confirm_vote", &["confirm_vote", "转正表决"]),
    ("confirm_approval", &["confirm_approval", "转正审批"]),
];

fn column_step(name: &str) -> Option<StepKind> {
    Some(match name {
        "contacts" => StepKind::Contact,
        "reviews" => StepKind::Review,
        "reports" => StepKind::Report,
        "confirm_publicity" => StepKind::Publicity,
        "confirm_vote" => StepKind::Vote,
        "confirm_approval" => StepKind::Approval,
        // Papers: named after the step they go with in a refusal.
        "political_materials" => StepKind::Political,
        "training_certificate" => StepKind::Training,
        other => StepKind::ALL.into_iter().find(|k| k.as_str() == other)?,
    })
}

/// `recruit import FILE`: every line checked by the same rules as chat, in one transaction
/// that is rolled back when any line is wrong (or on `--dry-run`).
async fn import(
    store: &crate::store::Store,
    file: &Path,
    dry_run: bool,
    policy: &rules::Policy,
    today: NaiveDate,
    now_ms: i64,
    ui: &Ui,
) -> Outcome {
    let w = words(ui);
    let bytes = std::fs::read(file).map_err(|err| {
        ui.mistake(
            msg!("recruit-import-unreadable"),
            &[
                ("file", file.display().to_string().into()),
                ("detail", err.to_string().into()),
            ],
        )
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let headers = reader.headers()?.clone();
    let mut key_col = None;
    let mut columns: Vec<(usize, &str)> = Vec::new();
    let mut problems = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let low = h.to_lowercase().replace(['-', ' '], "_");
        if ["key", "学号", "工号", "编号"].contains(&low.as_str()) {
            key_col = Some(i);
        } else if let Some((name, _)) = IMPORT_COLUMNS
            .iter()
            .find(|(_, a)| a.contains(&low.as_str()))
        {
            columns.push((i, name));
        } else if !["name", "姓名", "branch", "支部", "note", "备注"].contains(&low.as_str())
        {
            problems.push(ui.r(
                msg!("recruit-import-unknown-column"),
                &[("column", h.into())],
            ));
        }
    }
    let Some(key_col) = key_col else {
        return Err(ui.mistake(msg!("recruit-import-no-key"), &[]));
    };
    // Record the steps in the order of the pipeline, whatever the file's column order.
    columns.sort_by_key(|(_, name)| IMPORT_COLUMNS.iter().position(|(n, _)| n == name));
    let actor = Actor::operator();
    let mut tx = store.begin().await?;
    let mut people: usize = 0;
    let mut steps: usize = 0;
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = record?;
        let key = record.get(key_col).unwrap_or("");
        if key.is_empty() {
            problems.push(ui.r(msg!("recruit-import-line-no-key"), &[("line", line.into())]));
            continue;
        }
        people += 1;
        'line: for (i, name) in &columns {
            let cell = record.get(*i).unwrap_or("");
            if cell.is_empty() {
                continue;
            }
            let kind = column_step(name).unwrap_or(StepKind::Applied);
            // Several dates (reviews, reports) or contacts are separated by `;`.
            for part in cell
                .split([';', '；', '、'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let at = |text: String| {
                    ui.r(
                        msg!("recruit-import-problem"),
                        &[
                            ("line", line.into()),
                            ("column", headers.get(*i).unwrap_or(name).into()),
                            ("problem", text.into()),
                        ],
                    )
                };
                let parts: Vec<&str> = part.split_whitespace().collect();
                let parsed = if kind == StepKind::Contact {
                    // A contact is assigned on the day the person became an activist.
                    let on = record
                        .get(
                            columns
                                .iter()
                                .find(|(_, n)| *n == "activist")
                                .map_or(usize::MAX, |c| c.0),
                        )
                        .and_then(chat::parse_date)
                        .unwrap_or(today);
                    let mut with_date = vec![];
                    let on_text = chat::date(on);
                    with_date.push(on_text.as_str());
                    with_date.extend(parts.iter().copied());
                    parse_details(kind, &with_date, today)
                } else if parts.first().and_then(|p| chat::parse_date(p)).is_none() {
                    Err(msg!("recruit-bad-date"))
                } else {
                    parse_details(kind, &parts, today)
                };
                let d = match parsed {
                    Ok(d) => d,
                    Err(id) => {
                        problems.push(at(ui.t(id)));
                        break 'line;
                    }
                };
                let req = Request {
                    key,
                    kind,
                    on: d.on,
                    contact: d.contact.as_deref(),
                    hours: d.hours,
                    tally: d.tally,
                    note: &d.note,
                };
                // The papers received on their own (政审材料, 培训结业证明) are not steps.
                let done = match Document::parse(name).filter(|doc| doc.step().is_none()) {
                    Some(doc) => {
                        service::receive(
                            &mut tx,
                            Viewer::Operator,
                            &actor,
                            key,
                            doc,
                            d.on,
                            &d.note,
                            policy,
                            today,
                            now_ms,
                        )
                        .await?
                    }
                    None => {
                        service::record(
                            &mut tx,
                            Viewer::Operator,
                            &actor,
                            &req,
                            policy,
                            today,
                            now_ms,
                        )
                        .await?
                    }
                };
                match done {
                    Ok(_) => steps += 1,
                    Err(denied) => {
                        problems.push(at(w.denied(kind, &denied)));
                        break 'line;
                    }
                }
            }
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        for p in &problems {
            eprintln!("{p}");
        }
        return Err(ui.mistake(
            msg!("recruit-import-refused"),
            &[("count", problems.len().into())],
        ));
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    println!(
        "{}",
        ui.r(
            if dry_run {
                msg!("recruit-import-dry-run")
            } else {
                msg!("recruit-import-done")
            },
            &[("people", people.into()), ("steps", steps.into())],
        )
    );
    Ok(())
}
