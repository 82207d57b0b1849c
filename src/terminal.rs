//! What every subcommand shares, whichever feature it belongs to: how it fails ([`Failure`],
//! exit codes 2 and 1), how it speaks ([`Ui`], the catalog in the organisation's locale), how it
//! prints a table, and how it finds a branch by name. The clap root is `cli`; a feature's own
//! subcommands (`dues`, `recruit`) use this and never the root.

use std::io::Write;
use std::sync::Arc;

use crate::domain::roster::RosterProblem;
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::{members, Conn};

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// A mistake the user can fix, already localized and saying what to do next: exit code 2.
    User(String),
    /// Anything else: exit code 1.
    Internal(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Self::Internal(e.into())
    }
}

pub(crate) type Outcome<T = ()> = Result<T, Failure>;

/// How the command line speaks: the catalog, in the organisation's locale.
pub(crate) struct Ui {
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) locale: Locale,
}

impl Ui {
    pub(crate) fn t(&self, id: Msg) -> String {
        self.catalog.text(self.locale, id)
    }

    pub(crate) fn r(&self, id: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }

    /// A mistake the user can fix, said in their language.
    pub(crate) fn mistake(&self, id: Msg, args: &[(&str, Arg)]) -> Failure {
        Failure::User(self.r(id, args))
    }

    /// Items as a list in this locale: `甲、乙` or `a, b`.
    pub(crate) fn list<S: AsRef<str>>(&self, items: &[S]) -> String {
        let items: Vec<&str> = items.iter().map(AsRef::as_ref).collect();
        items.join(&self.t(msg!("cli-list-separator")))
    }

    pub(crate) fn problem(&self, problem: &RosterProblem) -> String {
        problem.render(&self.catalog, self.locale)
    }
}

/// A branch's id by name, or a mistake that lists the branches there are.
pub(crate) async fn find_branch(conn: &mut Conn, name: &str, ui: &Ui) -> Outcome<i64> {
    branch_named(conn, name, msg!("cli-no-branch"), ui).await
}

/// A branch's id by name, or the mistake `unknown` (with `branch` and `branches`).
pub(crate) async fn branch_named(
    conn: &mut Conn,
    name: &str,
    unknown: Msg,
    ui: &Ui,
) -> Outcome<i64> {
    if let Some(id) = members::branch_id(conn, name).await? {
        return Ok(id);
    }
    let names: Vec<String> = members::branches(conn)
        .await?
        .into_iter()
        .map(|(_, name, _)| name)
        .collect();
    let branches = if names.is_empty() {
        ui.t(msg!("none"))
    } else {
        ui.list(&names)
    };
    Err(ui.mistake(
        unknown,
        &[("branch", name.into()), ("branches", branches.into())],
    ))
}

/// Prints rows on stdout: CSV with a header row, or tab-separated rows with the column names
/// on stderr (so that `> file` keeps only the rows). An empty tab-separated cell prints as `-`.
pub(crate) fn print_table(header: &[String], rows: &[Vec<String>], csv: bool) -> Outcome {
    let stdout = std::io::stdout();
    if csv {
        let mut writer = csv::Writer::from_writer(stdout.lock());
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
        return Ok(());
    }
    if !rows.is_empty() {
        eprintln!("{}", header.join("\t"));
    }
    let mut out = stdout.lock();
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| tsv_cell(c)).collect();
        writeln!(out, "{}", cells.join("\t"))?;
    }
    out.flush()?;
    Ok(())
}

/// A value as one tab-separated cell: a tab or line break inside would split the row.
fn tsv_cell(value: &str) -> String {
    if value.is_empty() {
        return "-".to_owned();
    }
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_separated_cell_never_splits_its_row() {
        assert_eq!(tsv_cell(""), "-");
        assert_eq!(tsv_cell("第一\t党支部\n"), "第一 党支部 ");
    }
}
