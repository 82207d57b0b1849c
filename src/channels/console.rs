//! The console channel: talk to the bot in a terminal as a member (`branchbot chat --as`).
//! Lines typed are inbound updates like any other; replies go through the outbox and are
//! printed with their choices numbered, so the console behaves as SMS will.

use std::io::Write;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::chat::{ChannelKind, Content, Inbound};
use crate::delivery::worker::{Worker, WorkerConfig};
use crate::delivery::{limits::Limits, ChannelSender, Outgoing, SendFuture};
use crate::domain::org::Member;
use crate::flows::engine::{Engine, InboxItem};
use crate::msg;
use crate::store::{bindings, StoreError};

/// Prints outgoing console messages to a writer.
pub struct ConsoleSender {
    out: Arc<Mutex<dyn Write + Send>>,
}

impl ConsoleSender {
    pub fn new(out: Arc<Mutex<dyn Write + Send>>) -> Self {
        Self { out }
    }
}

impl ChannelSender for ConsoleSender {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Console
    }

    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let mut out = self
                .out
                .lock()
                .map_err(|_| crate::delivery::SendError::Permanent("console poisoned".into()))?;
            let mut text = String::new();
            for (i, line) in msg.text.lines().enumerate() {
                text.push_str(if i == 0 { "bot › " } else { "      " });
                text.push_str(line);
                text.push('\n');
            }
            if !msg.choices.is_empty() {
                text.push_str("      ");
                text.push_str(&super::numbered(&msg.choices));
                text.push('\n');
            }
            out.write_all(text.as_bytes())
                .and_then(|()| out.flush())
                .map_err(|e| crate::delivery::SendError::Permanent(e.to_string()))?;
            Ok(None)
        })
    }
}

/// A console session as one member.
pub struct Session {
    engine: Engine,
    member: Member,
    worker: Worker,
    out: Arc<Mutex<dyn Write + Send>>,
    seq: u64,
}

impl Session {
    /// Binds the console to the member and prepares the session.
    pub async fn open(
        engine: Engine,
        member: Member,
        out: Arc<Mutex<dyn Write + Send>>,
    ) -> Result<Self, StoreError> {
        let mut conn = engine.store.pool().acquire().await?;
        bindings::bind(
            &mut conn,
            ChannelKind::Console.as_str(),
            &member.key,
            member.id,
            engine.clock.now_ms(),
        )
        .await?;
        drop(conn);
        let config = WorkerConfig {
            limits: Limits::unlimited(),
            address: Some(member.key.clone()),
            concurrency: 1,
            ..WorkerConfig::default()
        };
        let sender: Arc<dyn ChannelSender> = Arc::new(ConsoleSender::new(Arc::clone(&out)));
        let worker = Worker::new(
            engine.store.clone(),
            engine.clock.clone(),
            sender,
            Arc::clone(engine.wake.get(ChannelKind::Console)),
            config,
        );
        Ok(Self {
            engine,
            member,
            worker,
            out,
            seq: 0,
        })
    }

    /// Prints who you are talking as.
    pub fn greet(&self) {
        let branch = self.member.branch_name.clone().unwrap_or_else(|| {
            self.engine
                .catalog
                .text(self.member.locale, msg!("no-branch"))
        });
        let role = self
            .engine
            .catalog
            .text(self.member.locale, self.member.role.msg());
        let text = self.engine.catalog.render(
            self.member.locale,
            msg!("console-intro"),
            &[
                ("name", self.member.name.as_str().into()),
                ("branch", branch.into()),
                ("role", role.into()),
            ],
        );
        if let Ok(mut out) = self.out.lock() {
            let _ = writeln!(out, "{text}");
        }
    }

    /// Sends one typed line and prints the replies (and anything else queued for this member
    /// on the console).
    pub async fn say(&mut self, line: &str) -> Result<(), StoreError> {
        self.seq += 1;
        let external_id = format!(
            "{}-{}-{}",
            self.member.key,
            self.engine.clock.now_ms(),
            self.seq
        );
        let item = InboxItem {
            inbound: Inbound {
                channel: ChannelKind::Console,
                address: self.member.key.clone(),
                content: Content::Text {
                    text: line.to_owned(),
                },
                language_hint: None,
            },
            ack: None,
        };
        if let Some(id) = self.engine.receive(&external_id, &item).await? {
            self.engine.process(id).await?;
        }
        self.worker.drain().await?;
        Ok(())
    }

    /// Reads lines until end of input.
    pub async fn run<R: AsyncBufRead + Unpin>(
        &mut self,
        input: R,
        prompt: bool,
    ) -> Result<(), StoreError> {
        self.greet();
        self.worker.drain().await?;
        let mut lines = input.lines();
        loop {
            if prompt {
                if let Ok(mut out) = self.out.lock() {
                    let _ = write!(out, "{} › ", self.member.name);
                    let _ = out.flush();
                }
            }
            match lines.next_line().await {
                Ok(Some(line)) => self.say(&line).await?,
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "console input is not readable text");
                    let _ = self.say("").await;
                }
            }
        }
        if prompt {
            if let Ok(mut out) = self.out.lock() {
                let _ = writeln!(out);
            }
        }
        Ok(())
    }
}
