//! `branchbot attachments list [--meeting N | --branch NAME] [--csv]`: the photos and files
//! stored, newest first, with what each belongs to; `branchbot attachments sweep [--dry-run]`:
//! objects no row names removed.

use chrono::DateTime;
use clap::Subcommand;

use super::{store, Attachment, Files, Owner};
use crate::msg;
use crate::store::{meetings, Store};
use crate::terminal::{find_branch, print_table, Failure, Outcome, Ui};

/// `branchbot attachments …`.
#[derive(Debug, Subcommand)]
pub enum AttachmentsCommand {
    /// Photos and files, newest first: of one meeting, of one branch's meetings and
    /// activities, or all of them.
    List {
        /// Only this meeting's (its number).
        #[arg(long, conflicts_with = "branch")]
        meeting: Option<i64>,
        /// Only this branch's meetings' and activities'.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
    },
    /// Delete stored objects that no row names and that are more than an hour old (left by
    /// an upload whose transaction failed, or a write cut short by a crash).
    Sweep {
        /// Say what would be deleted, deleting nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// What an attachment belongs to, as a person reads it (`会议 #12`, `未关联`).
pub(crate) fn owner_text(ui: &Ui, owner: Option<Owner>) -> String {
    let Some(owner) = owner else {
        return ui.t(msg!("attachments-owner-none"));
    };
    let (m, id) = match owner {
        Owner::Meeting(id) => (msg!("attachments-owner-meeting"), id),
        Owner::Notice(id) => (msg!("attachments-owner-notice"), id),
        Owner::CheckIn(id) => (msg!("attachments-owner-checkin"), id),
        Owner::Activity(id) => (msg!("attachments-owner-activity"), id),
    };
    ui.r(m, &[("id", id.into())])
}

fn row(ui: &Ui, tz: chrono_tz::Tz, a: &Attachment) -> Vec<String> {
    vec![
        a.id.to_string(),
        owner_text(ui, a.owner),
        ui.t(a.kind.label()),
        a.display_name.clone(),
        a.content_type.clone(),
        a.size.to_string(),
        DateTime::from_timestamp_millis(a.created_at.timestamp_millis())
            .unwrap_or_default()
            .with_timezone(&tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        a.sha256.chars().take(12).collect(),
    ]
}

/// Runs `attachments …`.
pub(crate) async fn run(
    store: &Store,
    files: &Files,
    tz: chrono_tz::Tz,
    now: chrono::DateTime<chrono::Utc>,
    command: AttachmentsCommand,
    ui: &Ui,
) -> Outcome {
    match command {
        AttachmentsCommand::List {
            meeting,
            branch,
            csv,
        } => list(store, tz, meeting, branch, csv, ui).await,
        AttachmentsCommand::Sweep { dry_run } => {
            let mut conn = store.pool().acquire().await?;
            let strays =
                super::service::sweep(files, &mut conn, now - chrono::TimeDelta::hours(1), dry_run)
                    .await
                    .map_err(Failure::Internal)?;
            for key in &strays {
                println!("{key}");
            }
            let m = if dry_run {
                msg!("attachments-sweep-would")
            } else {
                msg!("attachments-sweep-done")
            };
            eprintln!("{}", ui.r(m, &[("count", (strays.len() as i64).into())]));
            Ok(())
        }
    }
}

async fn list(
    store: &Store,
    tz: chrono_tz::Tz,
    meeting: Option<i64>,
    branch: Option<String>,
    csv: bool,
    ui: &Ui,
) -> Outcome {
    let mut conn = store.pool().acquire().await?;
    let branch_id = match &branch {
        Some(name) => Some(find_branch(&mut conn, name, ui).await?),
        None => None,
    };
    if let Some(id) = meeting {
        if meetings::get(&mut conn, id).await?.is_none() {
            return Err(ui.mistake(msg!("attachments-no-meeting"), &[("id", id.into())]));
        }
    }
    let listed = store::listed(&mut conn, meeting.map(Owner::Meeting), branch_id).await?;
    drop(conn);
    if listed.is_empty() {
        eprintln!("{}", ui.t(msg!("attachments-none")));
        return Ok(());
    }
    let header: Vec<String> = [
        msg!("attachments-col-id"),
        msg!("attachments-col-owner"),
        msg!("attachments-col-kind"),
        msg!("attachments-col-name"),
        msg!("attachments-col-type"),
        msg!("attachments-col-size"),
        msg!("attachments-col-uploaded"),
        msg!("attachments-col-sha256"),
    ]
    .iter()
    .map(|m| ui.t(*m))
    .collect();
    let rows: Vec<Vec<String>> = listed.iter().map(|a| row(ui, tz, a)).collect();
    print_table(&header, &rows, csv)
}
