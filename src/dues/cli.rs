//! `branchbot dues import FILE | import-payments FILE | keeper BRANCH KEY | record KEY MONTH
//! AMOUNT | correct KEY MONTH AMOUNT | show KEY` and the rows of `branchbot report dues`. The
//! operator at the command line acts for the college committee; every payment goes through
//! [`service::record`], so the checks and the audit log are the same as in chat. An import
//! file (CSV or XLSX) is checked whole: one bad line and nothing is written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Subcommand;

use super::chat::Words;
use super::rules::{Amount, Month};
use super::service::{self, Book, BranchMonth, Denied, Recorded, Viewer};
use crate::domain::org::Member;
use crate::export::{Cell, Table};
use crate::flows::engine::Engine;
use crate::msg;
use crate::store::audit::{self, Action, Actor};
use crate::store::{members, Conn};
use crate::terminal::{find_branch, Outcome, Ui};

/// `branchbot dues …`.
#[derive(Debug, Subcommand)]
pub enum DuesCommand {
    /// Load monthly amounts from a CSV or XLSX file: a header row naming `key` (学号, 工号)
    /// and `amount` (党费, 金额, 月党费), optionally `from` (起始月份, YYYY-MM; default: this
    /// month). The file is refused whole, with the line of every problem, if any line is wrong.
    Import {
        file: PathBuf,
        /// Check the file and say what would be loaded, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Load payments from a CSV or XLSX file: `key`, `month` (月份) and `amount` (金额) per
    /// line. A month recorded before with the same amount is skipped; with another amount it
    /// is a problem (correct it with `dues correct`).
    ImportPayments {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
    },
    /// Name the member who collects a branch's dues (default: its secretary).
    Keeper { branch: String, key: String },
    /// Record a payment: `record KEY YYYY-MM AMOUNT` (12.50, ¥12.50).
    Record {
        key: String,
        month: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Correct a recorded payment's amount: `correct KEY YYYY-MM AMOUNT`.
    Correct {
        key: String,
        month: String,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// A member's year: amount, months paid and unpaid, whom to pay.
    Show { key: String },
}

fn words(ui: &Ui) -> Words<'_> {
    Words {
        catalog: &ui.catalog,
        locale: ui.locale,
    }
}

/// Runs `dues …`.
pub(crate) async fn run(e: &Engine, command: DuesCommand, ui: &Ui) -> Outcome {
    let now = e.clock.now();
    let today = now.with_timezone(&e.tz).date_naive();
    let now_ms = now.timestamp_millis();
    let w = words(ui);
    let result = async {
        match command {
            DuesCommand::Import { file, dry_run } => {
                import_amounts(&e.store, &file, dry_run, today, now_ms, ui).await
            }
            DuesCommand::ImportPayments { file, dry_run } => {
                import_payments(&e.store, &file, dry_run, today, now_ms, ui).await
            }
            DuesCommand::Keeper { branch, key } => {
                let mut tx = e.store.begin().await?;
                let branch_id = find_branch(&mut tx, &branch, ui).await?;
                let member = member(&mut tx, &key, &w).await?;
                match service::set_keeper(
                    &mut tx,
                    &Actor::operator(),
                    branch_id,
                    &branch,
                    &member,
                    now_ms,
                )
                .await?
                {
                    Ok(()) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            w.r(
                                msg!("dues-keeper-set"),
                                &[
                                    ("branch", branch.as_str().into()),
                                    ("who", w.who(&member).into())
                                ]
                            )
                        );
                        Ok(())
                    }
                    Err(d) => Err(crate::terminal::Failure::User(w.denied(&d))),
                }
            }
            DuesCommand::Record { key, month, amount } => {
                let (month, amount) = month_and_amount(&w, &month, &amount)?;
                let mut tx = e.store.begin().await?;
                let member = member(&mut tx, &key, &w).await?;
                let done = service::record(
                    &mut tx,
                    Viewer::Operator,
                    &Actor::operator(),
                    &member,
                    month,
                    amount,
                    Month::of(today),
                    now_ms,
                )
                .await?;
                match done {
                    Ok(Recorded::Already(p)) => {
                        println!("{}", w.already_cli(&member, &p, e.tz));
                        Ok(())
                    }
                    Ok(r) => {
                        tx.commit().await?;
                        println!("{}", w.recorded(&member, &r, e.tz));
                        Ok(())
                    }
                    Err(d) => Err(user(w.denied(&d))),
                }
            }
            DuesCommand::Correct { key, month, amount } => {
                let (month, amount) = month_and_amount(&w, &month, &amount)?;
                let mut tx = e.store.begin().await?;
                let member = member(&mut tx, &key, &w).await?;
                let done = service::correct(
                    &mut tx,
                    Viewer::Operator,
                    &Actor::operator(),
                    &member,
                    month,
                    amount,
                    Month::of(today),
                    now_ms,
                )
                .await?;
                match done {
                    Ok(was) => {
                        tx.commit().await?;
                        println!(
                            "{}",
                            w.r(
                                msg!("dues-corrected"),
                                &[
                                    ("who", w.who(&member).into()),
                                    ("month", w.month(month).into()),
                                    ("from", was.yuan().into()),
                                    ("to", amount.yuan().into()),
                                ],
                            )
                        );
                        Ok(())
                    }
                    Err(d) => Err(user(w.denied(&d))),
                }
            }
            DuesCommand::Show { key } => {
                let mut conn = e.store.pool().acquire().await?;
                let member = member(&mut conn, &key, &w).await?;
                if !member.role.is_party_member() {
                    return Err(user(w.denied(&Denied::NotPartyMember(member))));
                }
                let book = Book::of(&mut conn, member.id).await?;
                let keeper = match member.branch_id {
                    Some(b) => service::keeper(&mut conn, b).await?,
                    None => None,
                };
                println!("{}", w.who(&member));
                println!("{}", w.ledger(&book, Month::of(today), keeper.as_ref()));
                Ok(())
            }
        }
    }
    .await;
    e.store.close().await;
    result
}

/// The month and the amount typed on the command line, the month first: each refused in the
/// operator's language.
fn month_and_amount(
    w: &Words<'_>,
    month: &str,
    amount: &str,
) -> Result<(Month, Amount), crate::terminal::Failure> {
    let month = Month::parse(month).ok_or_else(|| user(w.bad_month(month)))?;
    let amount = Amount::parse(amount).map_err(|err| user(w.amount_error(amount, err)))?;
    Ok((month, amount))
}

fn user(text: String) -> crate::terminal::Failure {
    crate::terminal::Failure::User(text)
}

async fn member(conn: &mut Conn, key: &str, w: &Words<'_>) -> Outcome<Member> {
    members::find(conn, key)
        .await?
        .ok_or_else(|| user(w.denied(&Denied::UnknownMember(key.to_owned()))))
}

/// A file's rows (the header first), from CSV (a UTF-8 BOM is skipped) or XLSX.
fn read_rows(file: &Path, ui: &Ui) -> Outcome<Vec<Vec<String>>> {
    let unreadable = |detail: String| {
        ui.mistake(
            msg!("dues-import-unreadable"),
            &[
                ("file", file.display().to_string().into()),
                ("detail", detail.into()),
            ],
        )
    };
    let bytes = std::fs::read(file).map_err(|err| unreadable(err.to_string()))?;
    if bytes.starts_with(b"PK\x03\x04") {
        use calamine::{Data, Reader};
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
            .map_err(|err| unreadable(err.to_string()))?;
        let range = book
            .worksheet_range_at(0)
            .ok_or_else(|| unreadable(ui.t(msg!("dues-import-no-sheet"))))?
            .map_err(|err| unreadable(err.to_string()))?;
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
        return Ok(range
            .rows()
            .map(|row| {
                row.iter()
                    .map(|c| match c {
                        Data::Empty => String::new(),
                        Data::Float(f) => format!("{f}"),
                        Data::Int(i) => i.to_string(),
                        Data::DateTime(d) => {
                            let day = epoch + chrono::Days::new(d.as_f64().max(0.0).floor() as u64);
                            Month::of(day).to_string()
                        }
                        other => other.to_string().trim().to_owned(),
                    })
                    .collect()
            })
            .collect());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes));
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| unreadable(err.to_string()))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(rows)
}

/// Which column holds what: `key`, `amount`, `from`, `month`; others are ignored when they
/// are the roster's (name, branch), refused otherwise.
fn columns(header: &[String], ui: &Ui) -> (HashMap<&'static str, usize>, Vec<String>) {
    const NAMES: &[(&str, &[&str])] = &[
        ("key", &["key", "学号", "工号", "编号"]),
        (
            "amount",
            &["amount", "dues", "党费", "金额", "月党费", "每月党费"],
        ),
        ("from", &["from", "from_month", "起始月份", "起始月", "自"]),
        ("month", &["month", "月份", "所属月份"]),
    ];
    const IGNORED: &[&str] = &["name", "姓名", "branch", "支部", "note", "备注"];
    let mut found = HashMap::new();
    let mut problems = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let low = h.trim().to_lowercase().replace(['-', ' '], "_");
        if let Some((name, _)) = NAMES.iter().find(|(_, a)| a.contains(&low.as_str())) {
            found.insert(*name, i);
        } else if !IGNORED.contains(&low.as_str()) && !low.is_empty() {
            problems.push(ui.r(
                msg!("dues-import-unknown-column"),
                &[("column", h.as_str().into())],
            ));
        }
    }
    (found, problems)
}

fn at(ui: &Ui, line: usize, problem: String) -> String {
    ui.r(
        msg!("dues-import-problem"),
        &[("line", line.into()), ("problem", problem.into())],
    )
}

fn refused(problems: &[String], ui: &Ui) -> crate::terminal::Failure {
    for p in problems {
        eprintln!("{p}");
    }
    ui.mistake(
        msg!("dues-import-refused"),
        &[("count", problems.len().into())],
    )
}

/// `dues import FILE`: monthly amounts, all or nothing.
async fn import_amounts(
    store: &crate::store::Store,
    file: &Path,
    dry_run: bool,
    today: NaiveDate,
    now_ms: i64,
    ui: &Ui,
) -> Outcome {
    let w = words(ui);
    let rows = read_rows(file, ui)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(ui.mistake(msg!("dues-import-empty"), &[]));
    };
    let (cols, mut problems) = columns(header, ui);
    let (Some(&key_col), Some(&amount_col)) = (cols.get("key"), cols.get("amount")) else {
        return Err(ui.mistake(msg!("dues-import-no-columns"), &[]));
    };
    let from_col = cols.get("from").copied();
    let mut tx = store.begin().await?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut loaded = 0usize;
    for (n, row) in body.iter().enumerate() {
        let line = n + 2;
        let cell = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let key = cell(key_col);
        if key.is_empty() {
            problems.push(at(ui, line, ui.t(msg!("dues-import-no-key"))));
            continue;
        }
        if let Some(first) = seen.insert(key.to_lowercase(), line) {
            problems.push(at(
                ui,
                line,
                ui.r(
                    msg!("dues-import-duplicate"),
                    &[("key", key.into()), ("first", first.into())],
                ),
            ));
            continue;
        }
        let Some(member) = members::find(&mut tx, key).await? else {
            problems.push(at(ui, line, w.denied(&Denied::UnknownMember(key.into()))));
            continue;
        };
        if !member.role.is_party_member() {
            problems.push(at(ui, line, w.denied(&Denied::NotPartyMember(member))));
            continue;
        }
        let amount = match Amount::parse(cell(amount_col)) {
            Ok(a) => a,
            Err(e) => {
                problems.push(at(ui, line, w.amount_error(cell(amount_col), e)));
                continue;
            }
        };
        let from = match from_col.map(cell).filter(|c| !c.is_empty()) {
            None => Month::of(today),
            Some(c) => match Month::parse(c) {
                Some(m) => m,
                None => {
                    problems.push(at(ui, line, w.bad_month(c)));
                    continue;
                }
            },
        };
        super::store::set_amount(&mut tx, member.id, from, amount, now_ms).await?;
        loaded += 1;
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(refused(&problems, ui));
    }
    if dry_run {
        tx.rollback().await?;
    } else {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        audit::record(
            &mut tx,
            now_ms,
            &Actor::operator(),
            Action::DuesImported,
            &name,
            &format!("{loaded} amounts"),
        )
        .await?;
        tx.commit().await?;
    }
    println!(
        "{}",
        ui.r(
            if dry_run {
                msg!("dues-import-dry-run")
            } else {
                msg!("dues-import-done")
            },
            &[("count", loaded.into())],
        )
    );
    Ok(())
}

/// `dues import-payments FILE`: payments, all or nothing; a month recorded before with the
/// same amount is skipped.
async fn import_payments(
    store: &crate::store::Store,
    file: &Path,
    dry_run: bool,
    today: NaiveDate,
    now_ms: i64,
    ui: &Ui,
) -> Outcome {
    let w = words(ui);
    let rows = read_rows(file, ui)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(ui.mistake(msg!("dues-import-empty"), &[]));
    };
    let (cols, mut problems) = columns(header, ui);
    let (Some(&key_col), Some(&month_col), Some(&amount_col)) =
        (cols.get("key"), cols.get("month"), cols.get("amount"))
    else {
        return Err(ui.mistake(msg!("dues-import-payment-columns"), &[]));
    };
    let mut tx = store.begin().await?;
    let (mut new, mut before) = (0usize, 0usize);
    for (n, row) in body.iter().enumerate() {
        let line = n + 2;
        let cell = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let key = cell(key_col);
        let Some(member) = members::find(&mut tx, key).await? else {
            problems.push(at(ui, line, w.denied(&Denied::UnknownMember(key.into()))));
            continue;
        };
        let Some(month) = Month::parse(cell(month_col)) else {
            problems.push(at(ui, line, w.bad_month(cell(month_col))));
            continue;
        };
        let amount = match Amount::parse(cell(amount_col)) {
            Ok(a) => a,
            Err(e) => {
                problems.push(at(ui, line, w.amount_error(cell(amount_col), e)));
                continue;
            }
        };
        match service::record(
            &mut tx,
            Viewer::Operator,
            &Actor::operator(),
            &member,
            month,
            amount,
            Month::of(today),
            now_ms,
        )
        .await?
        {
            Ok(Recorded::New(_)) => new += 1,
            Ok(Recorded::Already(p)) if p.amount == amount => before += 1,
            Ok(Recorded::Already(p)) => {
                problems.push(at(
                    ui,
                    line,
                    w.r(
                        msg!("dues-import-differs"),
                        &[
                            ("who", w.who(&member).into()),
                            ("month", w.month(month).into()),
                            ("was", p.amount.yuan().into()),
                            ("amount", amount.yuan().into()),
                            ("key", member.key.as_str().into()),
                            ("code", month.to_string().into()),
                            ("typed", amount.to_string().into()),
                        ],
                    ),
                ));
            }
            Err(d) => problems.push(at(ui, line, w.denied(&d))),
        }
    }
    if !problems.is_empty() {
        tx.rollback().await?;
        return Err(refused(&problems, ui));
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
                msg!("dues-payments-dry-run")
            } else {
                msg!("dues-payments-done")
            },
            &[("new", new.into()), ("before", before.into())],
        )
    );
    Ok(())
}

/// `report dues`: a row per branch (members, expected, amount expected, paid, amount paid,
/// unpaid, six months unpaid) and a sheet per branch with a row per member.
pub(crate) async fn report(
    conn: &mut Conn,
    ui: &Ui,
    branch: Option<i64>,
    month: Month,
    this_month: Month,
) -> Outcome<(Table, crate::export::Book)> {
    let w = words(ui);
    let branches = service::report(conn, branch, month, this_month).await?;
    let header = [
        msg!("dues-column-branch"),
        msg!("dues-column-members"),
        msg!("dues-column-expected"),
        msg!("dues-column-expected-amount"),
        msg!("dues-column-paid"),
        msg!("dues-column-paid-amount"),
        msg!("dues-column-unpaid"),
        msg!("dues-column-flagged"),
    ]
    .map(|id| ui.t(id))
    .to_vec();
    let mut summary = Table::new(header);
    let mut sheets = Vec::new();
    for b in &branches {
        summary.rows.push(summary_row(&w, b));
        sheets.push((b.branch.clone(), member_sheet(&w, b)));
    }
    let names: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let summary_name = ui.t(msg!("dues-sheet-summary"));
    let fitted = crate::export::sheet_names(&summary_name, &names);
    let sheets = sheets
        .into_iter()
        .zip(fitted.into_iter().skip(1))
        .map(|((_, t), n)| (n, t))
        .collect();
    Ok((
        summary.clone(),
        crate::export::Book {
            summary_name,
            summary,
            sheets,
        },
    ))
}

fn summary_row(w: &Words<'_>, b: &BranchMonth) -> Vec<Cell> {
    let names = |it: &mut dyn Iterator<Item = &service::Line>| {
        it.map(|l| w.who(&l.member)).collect::<Vec<_>>().join(" ")
    };
    vec![
        Cell::Text(b.branch.clone()),
        Cell::from(b.members),
        Cell::from(b.expected),
        Cell::Text(b.expected_amount.to_string()),
        Cell::from(b.paid),
        Cell::Text(b.paid_amount.to_string()),
        Cell::Text(names(&mut b.unpaid())),
        Cell::Text(names(&mut b.flagged())),
    ]
}

/// A branch's month, one row per party member: key, name, amount, paid, months unpaid in a
/// row (shared with the dashboard).
pub fn member_sheet(w: &Words<'_>, b: &BranchMonth) -> Table {
    let header = [
        msg!("dues-column-key"),
        msg!("dues-column-name"),
        msg!("dues-column-amount"),
        msg!("dues-column-paid-amount"),
        msg!("dues-column-run"),
    ]
    .map(|id| w.t(id))
    .to_vec();
    let mut t = Table::new(header);
    for l in &b.lines {
        t.rows.push(vec![
            Cell::Text(l.member.key.clone()),
            Cell::Text(l.member.name.clone()),
            l.dues
                .expected
                .map_or(Cell::Blank, |a| Cell::Text(a.to_string())),
            l.dues
                .paid
                .map_or(Cell::Blank, |a| Cell::Text(a.to_string())),
            Cell::from(l.run as usize),
        ]);
    }
    t
}
