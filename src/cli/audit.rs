//! `branchbot audit`: the log of administrative actions, filtered by date, action and member,
//! as a table (or CSV) with times in the organisation's zone and actions in its language.

use chrono::{Days, NaiveDate};
use clap::Args;

use super::{engine, print_table, Config, Failure, Outcome, Ui};
use crate::msg;
use crate::org::audit::{action_text, time_text, via_text};
use crate::store::audit::{self, Action, Filter};
use crate::store::members;

/// `branchbot audit [--since D] [--until D] [--action A] [--member KEY] [--limit N] [--csv]`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// From this day on (YYYY-MM-DD, in the organisation's zone).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Up to and including this day.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub until: Option<String>,
    /// Only this action: import, targets_loaded, campaign_loaded, calendar_loaded, notice_sent,
    /// meeting_created, meeting_rescheduled, meeting_cancelled, round_opened, round_closed,
    /// comment_hidden, data_exported, spot_check, dashboard_login, inbox_retried.
    #[arg(long)]
    pub action: Option<String>,
    /// Only what this member did (roster key or mobile number).
    #[arg(long, value_name = "KEY")]
    pub member: Option<String>,
    /// At most this many, the newest.
    #[arg(long, value_name = "N")]
    pub limit: Option<String>,
    /// Print CSV with a header row instead of tab-separated rows.
    #[arg(long)]
    pub csv: bool,
}

/// Runs `audit`.
pub async fn run(config: &Config, args: AuditArgs, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let day = |typed: &str| -> Outcome<NaiveDate> {
        NaiveDate::parse_from_str(typed.trim(), "%Y-%m-%d")
            .map_err(|_| ui.mistake(msg!("cli-audit-bad-date"), &[("date", typed.into())]))
    };
    let start_of = |d: NaiveDate| -> i64 {
        d.and_hms_opt(0, 0, 0)
            .and_then(|t| t.and_local_timezone(e.tz).earliest())
            .map(|t| t.timestamp_millis())
            .unwrap_or_default()
    };
    let since = args.since.as_deref().map(day).transpose()?;
    let until = args.until.as_deref().map(day).transpose()?;
    if let (Some(s), Some(u)) = (since, until) {
        if s > u {
            return Err(ui.mistake(
                msg!("cli-audit-bad-range"),
                &[
                    ("since", s.to_string().into()),
                    ("until", u.to_string().into()),
                ],
            ));
        }
    }
    let action = match args.action.as_deref() {
        None => None,
        Some(typed) => Some(typed.parse::<Action>().map_err(|()| {
            let valid: Vec<String> = Action::ALL
                .iter()
                .map(|a| format!("{} ({})", a.as_str(), ui.t(a.msg())))
                .collect();
            ui.mistake(
                msg!("cli-audit-bad-action"),
                &[
                    ("action", typed.into()),
                    ("actions", ui.list(&valid).into()),
                ],
            )
        })?),
    };
    let limit = match args.limit.as_deref() {
        None => None,
        Some(typed) => match typed.trim().parse::<i64>() {
            Ok(n) if n > 0 => Some(n),
            _ => return Err(ui.mistake(msg!("cli-audit-bad-limit"), &[])),
        },
    };
    let mut conn = e.store.pool().acquire().await?;
    let actor_id = match args.member.as_deref() {
        None => None,
        Some(who) => Some(
            members::find(&mut conn, who)
                .await?
                .ok_or_else(|| ui.mistake(msg!("cli-no-member"), &[("who", who.into())]))?
                .id,
        ),
    };
    let filter = Filter {
        since: since.map(start_of),
        until: until
            .and_then(|u| u.checked_add_days(Days::new(1)))
            .map(start_of),
        action,
        actor_id,
        limit,
    };
    let entries = audit::list(&mut conn, &filter).await?;
    drop(conn);
    e.store.close().await;
    if entries.is_empty() {
        eprintln!("{}", ui.t(msg!("cli-audit-none")));
        return Ok(());
    }
    let header = [
        msg!("cli-audit-column-time"),
        msg!("cli-audit-column-actor"),
        msg!("cli-audit-column-via"),
        msg!("cli-audit-column-action"),
        msg!("cli-audit-column-subject"),
        msg!("cli-audit-column-detail"),
    ]
    .map(|id| ui.t(id));
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| {
            vec![
                time_text(entry.at, e.tz),
                entry.actor.clone(),
                via_text(&ui.catalog, ui.locale, &entry.via),
                action_text(&ui.catalog, ui.locale, entry),
                entry.subject.clone(),
                entry.detail.clone(),
            ]
        })
        .collect();
    print_table(&header, &rows, args.csv)?;
    eprintln!(
        "{}",
        ui.r(
            msg!("cli-audit-footer"),
            &[("count", rows.len().into()), ("zone", e.tz.name().into())],
        )
    );
    Ok::<(), Failure>(())
}
