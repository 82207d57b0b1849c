//! The feature's job kinds:
//!
//! - `evaluation-remind`: a built-in daily job that reminds the voters of every open evaluation
//!   round who have not voted yet. It reads only the "has voted" flags, never a ballot. It also
//!   forgets the buttons of ballots abandoned halfway (they carry the picks so far).
//! - `evaluation-tally`: adds the sealed ballots of closed rounds to their counters. It runs in
//!   a transaction of its own, never in a voter's, and asks for the SQLite WAL to be truncated
//!   after its commit.

use super::store as evaluation;
use crate::chat::Reply;
use crate::delivery::route::{self, Push};
use crate::domain::calendar::KindRule;
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{Job, JobContext, JobError, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::{members, Conn};

/// The `evaluation-remind` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvaluationRemind;

/// Jobs carry no catalog; the built-in messages are compiled in, so one is loaded once.
fn catalog() -> Option<&'static Catalog> {
    Some(Catalog::shared())
}

impl Job for EvaluationRemind {
    fn name(&self) -> &'static str {
        "evaluation-remind"
    }

    /// A daily chore: a holiday's run is dropped, the next day's covers it.
    fn calendar_rule(&self) -> KindRule {
        KindRule::DAILY_CHORE
    }

    /// Daily at 10:00 in the organisation's zone.
    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("0 10 * * *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let catalog =
                catalog().ok_or_else(|| JobError::Payload("the messages do not load".into()))?;
            let day = crate::domain::feedback::day(
                chrono::DateTime::from_timestamp_millis(ctx.now).unwrap_or_default(),
                ctx.tz,
            );
            let mut reminded = 0;
            let mut wake = Vec::new();
            for round in evaluation::open_rounds(conn, ctx.now).await? {
                let closes = chrono::DateTime::from_timestamp_millis(round.closes_at)
                    .unwrap_or_default()
                    .with_timezone(&ctx.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
                for member_id in evaluation::non_voters(conn, round.id).await? {
                    let Some(member) = members::by_id(conn, member_id).await? else {
                        continue;
                    };
                    if !member.active {
                        continue;
                    }
                    let text = catalog.render(
                        member.locale,
                        msg!("evaluation-remind"),
                        &[
                            ("title", round.title.as_str().into()),
                            ("closes", closes.as_str().into()),
                        ],
                    );
                    let push = Push {
                        dedupe_key: format!("evaluation:{}:remind:{member_id}:{day}", round.id),
                        urgent: false,
                        not_before: ctx.now,
                        expires_at: Some(round.closes_at),
                    };
                    let routed = route::push(
                        conn,
                        catalog,
                        &member,
                        &Reply::text(text),
                        &push,
                        false,
                        ctx.now,
                    )
                    .await?;
                    if let Some(channel) = routed.channel() {
                        reminded += 1;
                        if !wake.contains(&channel) {
                            wake.push(channel);
                        }
                    }
                }
            }
            let forgotten =
                evaluation::forget_abandoned_ballots(conn, ctx.now - 3600 * 1000).await?;
            Ok(Ran {
                note: Some(format!(
                    "reminded {reminded} voters; forgot {forgotten} abandoned ballots"
                )),
                wake,
            })
        })
    }
}

/// The `evaluation-tally` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct EvaluationTally;

impl Job for EvaluationTally {
    fn name(&self) -> &'static str {
        "evaluation-tally"
    }

    /// Every ten minutes: ballots of a closed round are counted within ten minutes.
    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("*/10 * * * *")
    }

    fn erases(&self) -> bool {
        true
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let rounds = super::service::tally(conn, ctx.now).await?;
            Ok(Ran::note(format!("tallied {rounds} rounds")))
        })
    }
}
