//! `housekeeping`: a built-in daily job that deletes what no longer needs keeping: processed
//! inbox rows after 30 days, final outbox rows after 90, expired dashboard links and sessions.

use crate::scheduler::job::{Job, JobContext, JobFuture, Ran};
use crate::store::jobs::{self, JobRow, INBOX_DAYS};
use crate::store::{dashboard, Conn};

const DAY_MS: i64 = 24 * 3600 * 1000;
/// Outbox rows that are `sent`, `failed` or `expired` are kept this long.
pub const OUTBOX_DAYS: i64 = 90;

/// The `housekeeping` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Housekeeping;

impl Job for Housekeeping {
    fn name(&self) -> &'static str {
        "housekeeping"
    }

    /// Daily at 04:17 in the organisation's zone: quiet, and off the hour most jobs pick.
    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("17 4 * * *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let inbox = jobs::purge_inbox(conn, ctx.now - INBOX_DAYS * DAY_MS).await?;
            let outbox = jobs::purge_outbox(conn, ctx.now - OUTBOX_DAYS * DAY_MS).await?;
            let (links, sessions) = dashboard::prune(conn, ctx.now).await?;
            Ok(Ran::note(format!("deleted {inbox} inbox rows older than {INBOX_DAYS} days, {outbox} outbox rows older than {OUTBOX_DAYS} days, {links} expired dashboard links and {sessions} expired dashboard sessions")))
        })
    }
}
