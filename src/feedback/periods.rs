//! `feedback-periods`: a built-in daily job that ends feedback periods. The secret of a period
//! that has ended is erased and its "already rated" tags deleted, so no one can recompute
//! whether a chat rated a target; lapsed ratings in progress are deleted too.

use super::store;
use crate::scheduler::job::{Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::Conn;

/// The `feedback-periods` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedbackPeriods;

impl Job for FeedbackPeriods {
    fn name(&self) -> &'static str {
        "feedback-periods"
    }

    /// Daily at 00:07 in the organisation's zone: just after a month ends.
    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("7 0 * * *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let ended = store::end_periods(conn, ctx.now).await?;
            Ok(Ran::note(format!("ended {ended} feedback periods")))
        })
    }
}
