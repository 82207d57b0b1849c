//! `branchbot inbox failed [--retry ID]`: the inbound updates set aside because processing them
//! failed for good (stored data this binary cannot read, a bug), and putting one back to be
//! processed again once the cause is fixed. A retry is written to the audit log.

use clap::Subcommand;

use super::{engine, print_table, Config, Outcome, Ui};
use crate::msg;
use crate::status::{local_time, status_label};
use crate::store::audit::{self, Action, Actor};
use crate::store::inbox::{self, RetryRefused};

/// `branchbot inbox …`.
#[derive(Debug, Subcommand)]
pub enum InboxCommand {
    /// List failed updates, newest first (number, channel, received, failed, error), or put
    /// one back with `--retry NUMBER`.
    Failed {
        /// Put this failed update back to pending: the running bot processes it again.
        #[arg(long, value_name = "NUMBER")]
        retry: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
    },
}

/// How many failed updates the list shows at most.
const LIST_LIMIT: i64 = 500;

/// Runs `inbox …`.
pub async fn run(config: &Config, command: InboxCommand, ui: &Ui) -> Outcome {
    let InboxCommand::Failed { retry, csv } = command;
    match retry {
        Some(typed) => retry_one(config, &typed, ui).await,
        None => list(config, csv, ui).await,
    }
}

async fn list(config: &Config, csv: bool, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let failed = {
        let mut conn = e.store.pool().acquire().await?;
        inbox::failed(&mut conn, LIST_LIMIT).await?
    };
    e.store.close().await;
    if failed.is_empty() {
        eprintln!("{}", ui.t(msg!("cli-inbox-failed-none")));
        return Ok(());
    }
    let header = [
        msg!("cli-inbox-column-id"),
        msg!("cli-inbox-column-channel"),
        msg!("cli-inbox-column-received"),
        msg!("cli-inbox-column-failed"),
        msg!("cli-inbox-column-error"),
    ]
    .map(|id| ui.t(id));
    let rows: Vec<Vec<String>> = failed
        .iter()
        .map(|f| {
            vec![
                f.id.to_string(),
                f.channel.clone(),
                local_time(f.received_at, e.tz),
                f.processed_at
                    .map(|at| local_time(at, e.tz))
                    .unwrap_or_default(),
                f.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    print_table(&header, &rows, csv)?;
    eprintln!("{}", ui.t(msg!("cli-inbox-failed-footer")));
    Ok(())
}

async fn retry_one(config: &Config, typed: &str, ui: &Ui) -> Outcome {
    let id: i64 = typed
        .trim()
        .trim_start_matches('#')
        .parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ui.mistake(msg!("cli-inbox-bad-id"), &[("id", typed.into())]))?;
    let e = engine(config, ui).await?;
    let mut tx = e.store.begin().await?;
    let refused = match inbox::retry(&mut tx, id).await? {
        Ok(()) => {
            audit::record(
                &mut tx,
                e.clock.now_ms(),
                &Actor::operator(),
                Action::InboxRetried,
                &format!("inbox:{id}"),
                "",
            )
            .await?;
            tx.commit().await?;
            None
        }
        Err(refused) => {
            let status: Option<String> =
                sqlx::query_scalar("SELECT status FROM inbox WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            tx.rollback().await?;
            Some((refused, status.unwrap_or_default()))
        }
    };
    e.store.close().await;
    match refused {
        None => {
            println!("{}", ui.r(msg!("cli-inbox-retried"), &[("id", id.into())]));
            Ok(())
        }
        Some((RetryRefused::NotFound, _)) => {
            Err(ui.mistake(msg!("cli-inbox-not-found"), &[("id", id.into())]))
        }
        Some((RetryRefused::NotFailed, status)) => Err(ui.mistake(
            msg!("cli-inbox-not-failed"),
            &[
                ("id", id.into()),
                (
                    "status",
                    status_label(&ui.catalog, ui.locale, &status).into(),
                ),
            ],
        )),
        Some((RetryRefused::NoPayload, _)) => {
            Err(ui.mistake(msg!("cli-inbox-no-payload"), &[("id", id.into())]))
        }
    }
}
