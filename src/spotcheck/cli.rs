//! `branchbot spotcheck list`: the spot checks the college committee ran, with their findings.

use clap::Subcommand;

use super::chat::{date_text, subject_text};
use super::store as spotchecks;
use crate::flows::engine::Engine;
use crate::msg;
use crate::terminal::{find_branch, print_table, Outcome, Ui};

/// `branchbot spotcheck …`.
#[derive(Debug, Subcommand)]
pub enum SpotcheckCommand {
    /// List the spot checks, newest first: when, which branch, who checked, what, the finding.
    List {
        /// Only this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
    },
}

/// Runs `spotcheck …`.
pub(crate) async fn run(e: &Engine, command: SpotcheckCommand, ui: &Ui) -> Outcome {
    let SpotcheckCommand::List { branch, csv } = command;
    let mut conn = e.store.pool().acquire().await?;
    let scope = match &branch {
        Some(b) => Some(find_branch(&mut conn, b, ui).await?),
        None => None,
    };
    let checks = spotchecks::list(&mut conn, scope, false).await?;
    if checks.is_empty() {
        drop(conn);
        e.store.close().await;
        eprintln!("{}", ui.t(msg!("cli-spotcheck-none")));
        return Ok(());
    }
    let header = [
        msg!("cli-spotcheck-column-id"),
        msg!("cli-spotcheck-column-time"),
        msg!("cli-spotcheck-column-branch"),
        msg!("cli-spotcheck-column-checker"),
        msg!("cli-spotcheck-column-subject"),
        msg!("cli-spotcheck-column-finding"),
    ]
    .map(|id| ui.t(id));
    let mut rows = Vec::with_capacity(checks.len());
    for c in &checks {
        let subject = subject_text(&ui.catalog, ui.locale, e.tz, &mut conn, c).await?;
        rows.push(vec![
            c.id.to_string(),
            date_text(c.started_at, e.tz),
            c.branch.clone(),
            c.checker.clone(),
            subject,
            c.finding
                .clone()
                .unwrap_or_else(|| ui.t(msg!("cli-spotcheck-no-finding"))),
        ]);
    }
    drop(conn);
    e.store.close().await;
    print_table(&header, &rows, csv)?;
    let concluded = checks.iter().filter(|c| c.finding.is_some()).count();
    eprintln!(
        "{}",
        ui.r(
            msg!("cli-spotcheck-footer"),
            &[
                ("count", checks.len().into()),
                ("concluded", concluded.into())
            ],
        )
    );
    Ok(())
}
