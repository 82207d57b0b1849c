//! `branchbot notice send --scope … --text … [--confirm] [--urgent] [--nudge-every MINUTES
//! [--nudges N] [--sms-from K]] [--yes]` and
//! `branchbot notice status [ID]`, for the college committee. `send` prints the preview and
//! sends only with `--yes`; the sender is a college committee member (`--from`, or the first
//! one on the roster).

use clap::Subcommand;

use crate::domain::notices::Scope;
use crate::domain::org::Member;
use crate::domain::pushes::NudgePlan;
use crate::flows::engine::Engine;
use crate::flows::Ctx;
use crate::msg;
use crate::notices::chat::nudges::{self as nudges_step, floor_minutes as nudge_floor};
use crate::notices::chat::{compose, status, Draft};
use crate::notices::service;
use crate::store::members;
use crate::terminal::{find_branch, Failure, Outcome, Ui};

/// The `notice` subcommands.
#[derive(Debug, Subcommand)]
pub enum NoticeCommand {
    /// Preview a notice and, with --yes, send it.
    Send {
        /// all (party members) | everyone | branch:NAME (its party members) | everyone:BRANCH |
        /// group:BRANCH/GROUP | role:secretary | role:committee | role:full | role:activist |
        /// role:masses
        #[arg(long)]
        scope: String,
        #[arg(long)]
        text: String,
        /// Ask recipients to confirm receipt (收到请回复).
        #[arg(long)]
        confirm: bool,
        /// Send during quiet hours too.
        #[arg(long)]
        urgent: bool,
        /// Re-nudge the unconfirmed automatically every MINUTES (needs --confirm; at least 5
        /// for an urgent notice, at least `[notices] nudge_interval_minutes` otherwise).
        #[arg(long, value_name = "MINUTES")]
        nudge_every: Option<i64>,
        /// How many automatic re-nudges (1 to 6; default 3).
        #[arg(long, value_name = "N", requires = "nudge_every")]
        nudges: Option<i64>,
        /// From this re-nudge on (1 = the first), by SMS to those with a mobile number.
        #[arg(long, value_name = "K", requires = "nudge_every")]
        sms_from: Option<i64>,
        /// Send it (without this, only the preview is printed).
        #[arg(long)]
        yes: bool,
        /// The sender: a college committee member's roster key (default: the first one).
        #[arg(long, value_name = "MEMBER")]
        from: Option<String>,
    },
    /// What became of a notice (the latest by default) and the recent ones.
    Status { id: Option<i64> },
}

/// Reads `--scope`.
async fn scope(conn: &mut crate::store::Conn, text: &str, ui: &Ui) -> Outcome<Scope> {
    let bad = || ui.mistake(msg!("cli-notice-bad-scope"), &[("scope", text.into())]);
    let (kind, rest) = text.split_once(':').unwrap_or((text, ""));
    Ok(match (kind.trim(), rest.trim()) {
        ("all", "") => Scope::All,
        ("everyone", "") => Scope::Everyone { branch: None },
        ("everyone", name) => Scope::Everyone {
            branch: Some(find_branch(conn, name, ui).await?),
        },
        ("branch", name) if !name.is_empty() => Scope::Branch {
            branch: find_branch(conn, name, ui).await?,
        },
        ("group", path) => {
            let (b, g) = path.split_once('/').ok_or_else(bad)?;
            Scope::Group {
                branch: find_branch(conn, b, ui).await?,
                group: g.trim().to_owned(),
            }
        }
        ("role", "secretary" | "secretaries") => Scope::Secretaries { branch: None },
        ("role", "committee") => Scope::Committee { branch: None },
        ("role", "full" | "member" | "members") => Scope::FullMembers { branch: None },
        ("role", "activist" | "activists") => Scope::Activists { branch: None },
        ("role", "masses") => Scope::Masses { branch: None },
        _ => return Err(bad()),
    })
}

/// Runs a `notice` subcommand.
pub(crate) async fn run(e: Engine, command: NoticeCommand, ui: &Ui) -> Outcome {
    let from = match &command {
        NoticeCommand::Send { from, .. } => from.clone(),
        NoticeCommand::Status { .. } => None,
    };
    let sender: Member = match from {
        Some(key) => {
            let mut conn = e.store.pool().acquire().await?;
            members::find(&mut conn, &key)
                .await?
                .ok_or_else(|| ui.mistake(msg!("cli-no-member"), &[("who", key.as_str().into())]))?
        }
        None => {
            let mut conn = e.store.pool().acquire().await?;
            members::list(&mut conn, None)
                .await?
                .into_iter()
                .find(|m| m.college)
                .ok_or_else(|| ui.mistake(msg!("cli-notice-no-sender"), &[]))?
        }
    };
    if !sender.college {
        return Err(ui.mistake(msg!("cli-notice-no-sender"), &[]));
    }
    let cx = Ctx {
        catalog: &e.catalog,
        locale: ui.locale,
        member: Some(&sender),
        now_ms: e.clock.now_ms(),
        engine: &e,
        via: "cli",
        scheduled: Default::default(),
        pushed: Default::default(),
    };
    let mut tx = e.store.begin().await?;
    match command {
        NoticeCommand::Send {
            scope: s,
            text,
            confirm,
            urgent,
            yes,
            nudge_every,
            nudges,
            sms_from,
            ..
        } => {
            let plan = match nudge_every {
                None => None,
                Some(_) if !confirm => {
                    return Err(Failure::User(ui.t(msg!("notice-plan-no-confirm"))))
                }
                Some(every) => {
                    let floor = nudge_floor(&cx);
                    match NudgePlan::new(every, nudges.unwrap_or(3), sms_from, urgent, floor) {
                        Ok(p) => Some(p),
                        Err(e) => return Err(Failure::User(nudges_step::refusal(&cx, e))),
                    }
                }
            };
            let draft = Draft {
                scope: scope(&mut tx, &s, ui).await?,
                text: text.trim().to_owned(),
                confirm,
                urgent,
                nudges: plan,
                attachment: None,
            };
            let who = service::audience(&mut tx, &sender, &draft.scope, e.sms_connected).await?;
            let label = service::sender_label(&sender);
            let [telegram, sms, console, nowhere, each, segments, wecom] =
                compose::tally(&cx, &draft, &label, &who);
            println!(
                "{}",
                ui.r(
                    msg!("notice-preview"),
                    &[
                        ("text", draft.text.as_str().into()),
                        ("total", (telegram + sms + console + wecom).into()),
                        ("wecom", wecom.into()),
                        ("telegram", telegram.into()),
                        ("sms", sms.into()),
                        ("console", console.into()),
                        ("each", each.into()),
                        ("segments", segments.into()),
                    ],
                )
            );
            println!("{}", compose::roles_line(&cx, &who));
            if nowhere > 0 {
                println!(
                    "{}",
                    ui.r(
                        msg!("notice-preview-unreachable"),
                        &[("count", nowhere.into())]
                    )
                );
            }
            if let Some(plan) = &draft.nudges {
                println!(
                    "{}",
                    ui.r(
                        msg!("notice-preview-plan"),
                        &[("plan", nudges_step::label(&cx, plan).into())]
                    )
                );
            }
            if !yes {
                println!("{}", ui.t(msg!("cli-notice-not-sent")));
                return Ok(());
            }
            let (id, queued) = service::broadcast(&cx, &mut tx, &sender, &draft).await?;
            tx.commit().await?;
            println!(
                "{}",
                ui.r(
                    msg!("cli-notice-sent"),
                    &[("id", id.into()), ("count", (queued as i64).into())]
                )
            );
        }
        NoticeCommand::Status { id } => {
            let arg = id.map(|i| i.to_string());
            let step = status::command(&cx, &mut tx, &sender, arg.as_deref()).await?;
            tx.rollback().await?;
            for r in step.replies {
                println!("{}", r.text);
            }
        }
    }
    e.store.close().await;
    Ok(())
}
