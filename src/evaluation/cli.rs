//! `branchbot evaluation open`: a 民主评议 or 票决 round for a branch.

use clap::Subcommand;

use super::rules::RoundKind;
use super::service::{open_round, Announce, Opened, Opening};
use crate::flows::engine::Engine;
use crate::msg;
use crate::store::audit::{Action, Actor};
use crate::store::members;
use crate::terminal::{find_branch, Outcome, Ui};

/// `branchbot evaluation …`.
#[derive(Debug, Subcommand)]
pub enum EvaluationCommand {
    /// Open a round for a branch: 民主评议 by default, or a 票决 on `--candidates`.
    Open {
        #[arg(long)]
        branch: String,
        /// First day (YYYY-MM-DD, in the organisation's zone).
        #[arg(long)]
        from: chrono::NaiveDate,
        /// Last day (inclusive).
        #[arg(long)]
        to: chrono::NaiveDate,
        /// Roster keys of the candidates of a 票决, comma-separated.
        #[arg(long, value_delimiter = ',')]
        candidates: Vec<String>,
    },
}

/// `branchbot evaluation open --branch B --from D --to D [--candidates K,K]`.
pub(crate) async fn open(
    e: &Engine,
    branch: &str,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    candidates: &[String],
    ui: &Ui,
) -> Outcome {
    let mut tx = e.store.begin().await?;
    let branch_id = find_branch(&mut tx, branch, ui).await?;
    let at = |d: chrono::NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(e.tz).earliest())
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    };
    let (opens, closes) = (at(from), at(to + chrono::Days::new(1)));
    let mut ids = Vec::new();
    for key in candidates {
        match members::find(&mut tx, key).await? {
            Some(m) => ids.push(m.id),
            None => {
                return Err(ui.mistake(
                    msg!("evaluation-no-member"),
                    &[("key", key.as_str().into())],
                ))
            }
        }
    }
    let (kind, title) = if ids.is_empty() {
        (RoundKind::Grades, msg!("evaluation-title-grades"))
    } else {
        (RoundKind::Vote, msg!("evaluation-title-vote"))
    };
    let title = ui.r(title, &[("branch", branch.into())]);
    let opening = Opening {
        kind,
        branch_id,
        branch,
        title: &title,
        opens_at: opens,
        closes_at: closes,
        created_by: None,
        candidates: (!ids.is_empty()).then_some(ids),
    };
    let tell = Announce {
        catalog: &ui.catalog,
        tz: e.tz,
        sms_connected: e.sms_connected,
        now_ms: e.clock.now_ms(),
    };
    let (id, voters, told) = match open_round(&mut tx, &opening, tell).await? {
        Opened::New { id, voters, told } => (id, voters, told),
        Opened::Duplicate(r) => {
            return Err(ui.mistake(
                msg!("evaluation-duplicate-cli"),
                &[("id", r.id.into()), ("title", r.title.as_str().into())],
            ))
        }
    };
    crate::store::audit::record(
        &mut tx,
        e.clock.now_ms(),
        &Actor::operator(),
        Action::RoundOpened,
        &format!("round:{id}"),
        &format!("{title} · {} · {voters}", kind.as_str()),
    )
    .await?;
    tx.commit().await?;
    let days = (to - from).num_days() + 1;
    println!(
        "{}",
        ui.r(
            msg!("evaluation-opened"),
            &[
                ("id", id.into()),
                ("title", title.into()),
                ("voters", voters.into()),
                ("days", days.into()),
                ("told", told.into()),
            ],
        )
    );
    e.store.close().await;
    Ok(())
}
