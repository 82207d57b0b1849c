//! `feedback-publish`: a built-in job that publishes the pending pool of anonymous feedback in
//! a mixed batch once it holds submissions from at least k distinct senders (see
//! `feedback::publish`). It runs in a transaction of its own, never in a sender's, and
//! asks for the SQLite WAL to be truncated after its commit.

use super::rules;
use crate::feedback;
use crate::scheduler::job::{Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::Conn;

/// The `feedback-publish` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct FeedbackPublish;

impl Job for FeedbackPublish {
    fn name(&self) -> &'static str {
        "feedback-publish"
    }

    /// Every ten minutes: a complete batch appears within ten minutes of its k-th sender.
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
            let now = chrono::DateTime::from_timestamp_millis(ctx.now).unwrap_or_default();
            let day = rules::day(now, ctx.tz);
            let done =
                feedback::publish::publish(conn, &day, feedback::publish::batch_size()).await?;
            let wake = feedback::publish::announce(conn, ctx, &done.commented).await?;
            let mut ran = Ran::note(format!(
                "published {}, waiting {}, unreadable {}",
                done.published, done.waiting, done.unreadable
            ));
            ran.wake = wake;
            Ok(ran)
        })
    }
}
