//! `attachments_tidy`: a built-in daily job that forgets uploads left unlinked for a week and
//! removes objects no row names ([`super::service::tidy`]).

use chrono::{TimeZone, Utc};

use super::Files;
use crate::scheduler::job::{Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::Conn;

/// The `attachments_tidy` kind, over the storage the bot was started with.
#[derive(Clone)]
pub struct AttachmentsTidy {
    files: Files,
}

impl AttachmentsTidy {
    pub fn new(files: Files) -> Self {
        Self { files }
    }
}

impl Job for AttachmentsTidy {
    fn name(&self) -> &'static str {
        "attachments_tidy"
    }

    /// Daily at 04:37 in the organisation's zone, after `housekeeping`.
    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("37 4 * * *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let now = Utc
                .timestamp_millis_opt(ctx.now)
                .single()
                .unwrap_or_else(Utc::now);
            let (strays, forgotten) = super::service::tidy(&self.files, conn, now)
                .await
                .map_err(|e| crate::scheduler::job::JobError::Failed(format!("{e:#}")))?;
            Ok(Ran::note(format!(
                "removed {strays} stray stored files and forgot {forgotten} uploads left unlinked for {} days",
                super::service::UNLINKED_DAYS
            )))
        })
    }
}
