//! `message`: sends a fixed text to a list of members, each on the channel they are bound to
//! (Telegram first, then the console). Members who left the organisation are skipped, and the
//! run's note says who was skipped and why.

use serde::{Deserialize, Serialize};

use crate::chat::ChannelKind;
use crate::scheduler::job::{Job, JobContext, JobError, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::outbox::{self, NewMessage};
use crate::store::{bindings, members, Conn};

/// Telegram's limit on a message's text.
const MAX_CHARS: usize = 4096;

/// The channels tried, in order (a WeCom binding exists only while WeCom is connected).
const CHANNELS: [ChannelKind; 3] = [
    ChannelKind::Telegram,
    ChannelKind::Wecom,
    ChannelKind::Console,
];

/// A `message` job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagePayload {
    pub text: String,
    /// Member ids.
    pub members: Vec<i64>,
    /// Sent during quiet hours too.
    #[serde(default)]
    pub urgent: bool,
}

impl MessagePayload {
    fn parse(payload: &str) -> Result<Self, String> {
        let p: Self = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        if p.text.trim().is_empty() {
            return Err("the text is empty".into());
        }
        if p.text.chars().count() > MAX_CHARS {
            return Err(format!("the text is longer than {MAX_CHARS} characters"));
        }
        if p.members.is_empty() {
            return Err("no members to send to".into());
        }
        Ok(p)
    }
}

/// The `message` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Message;

impl Job for Message {
    fn name(&self) -> &'static str {
        "message"
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        MessagePayload::parse(payload).map(|_| ())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let p = MessagePayload::parse(&job.payload).map_err(JobError::Payload)?;
            let mut queue = Vec::with_capacity(p.members.len());
            let (mut left, mut unknown, mut unreachable, mut wake) =
                (Vec::new(), Vec::new(), Vec::new(), Vec::new());
            for &member_id in &p.members {
                match members::by_id(conn, member_id).await? {
                    None => {
                        unknown.push(member_id);
                        continue;
                    }
                    Some(m) if !m.active => {
                        left.push(member_id);
                        continue;
                    }
                    Some(_) => {}
                }
                let mut bound = None;
                for channel in CHANNELS {
                    if let Some(address) =
                        bindings::address_of(conn, member_id, channel.as_str()).await?
                    {
                        bound = Some((channel, address));
                        break;
                    }
                }
                let Some((channel, address)) = bound else {
                    unreachable.push(member_id);
                    continue;
                };
                if !wake.contains(&channel) {
                    wake.push(channel);
                }
                queue.push(NewMessage {
                    channel: channel.as_str().to_owned(),
                    address,
                    member_id: Some(member_id),
                    body: p.text.clone(),
                    choices_json: "[]".into(),
                    // One row per member and occurrence, however often the run is retried.
                    dedupe_key: format!("job:{}:{}:{member_id}", job.id, job.due_at),
                    urgent: p.urgent,
                    not_before: ctx.now,
                    expires_at: None,
                    segments: 1,
                });
            }
            let queued = outbox::enqueue(conn, &queue, ctx.now).await?;
            let mut note = format!("queued {queued} of {}", p.members.len());
            for (what, ids) in [
                ("left the organisation", &left),
                ("no reachable channel", &unreachable),
                ("no such member", &unknown),
            ] {
                if !ids.is_empty() {
                    note.push_str(&format!("; skipped {what}: {ids:?}"));
                }
            }
            if !left.is_empty() || !unreachable.is_empty() || !unknown.is_empty() {
                tracing::info!(
                    job_id = job.id,
                    ?left,
                    ?unreachable,
                    ?unknown,
                    "message job skipped some members"
                );
            }
            Ok(Ran {
                note: Some(note),
                wake,
            })
        })
    }
}
