//! The rows of `branchbot report pushes [--period P] [--branch NAME]`: per member and ISO week,
//! pushes sent (digests included), of which digests, and pushes held for a digest; a sheet per
//! branch. The figures are `oversight::pushes`'s, which the dashboard shows too.

use chrono_tz::Tz;

use super::{Outcome, Ui};
use crate::domain::period::Period;
use crate::export::{Book, Table};
use crate::msg;
use crate::oversight::pushes::{weekly, MemberWeek};
use crate::store::Conn;

/// The summary table and the workbook.
pub(crate) async fn report(
    conn: &mut Conn,
    ui: &Ui,
    tz: Tz,
    period: &Period,
    branch: Option<i64>,
) -> Outcome<(Table, Book)> {
    let head: Vec<String> = [
        msg!("report-pushes-col-week"),
        msg!("report-pushes-col-branch"),
        msg!("report-pushes-col-member"),
        msg!("report-pushes-col-key"),
        msg!("report-pushes-col-sent"),
        msg!("report-pushes-col-digests"),
        msg!("report-pushes-col-held"),
    ]
    .iter()
    .map(|id| ui.t(*id))
    .collect();
    let rows = weekly(conn, tz, period, branch).await?;
    let to_row = |r: &MemberWeek| {
        vec![
            r.week.clone().into(),
            r.branch.clone().into(),
            r.name.clone().into(),
            r.key.clone().into(),
            r.sent.into(),
            r.digests.into(),
            r.held.into(),
        ]
    };
    let mut table = Table::new(head.clone());
    table.rows = rows.iter().map(to_row).collect();
    let mut sheets = Vec::new();
    for (_, name) in crate::oversight::figures::branches(conn, branch).await? {
        let mut t = Table::new(head.clone());
        t.rows = rows
            .iter()
            .filter(|r| r.branch == name)
            .map(to_row)
            .collect();
        sheets.push((name, t));
    }
    let book = Book {
        summary_name: ui.t(msg!("report-pushes-title")),
        summary: table.clone(),
        sheets,
    };
    Ok((table, book))
}
