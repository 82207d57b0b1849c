//! Runs inbound updates through the flows. Each update is atomic: the inbox row is claimed, the
//! sender looked up, the flow run, its state saved and its replies queued in the outbox, then
//! everything commits together or not at all. On SQLite a pass commits many updates in one
//! transaction, each in a savepoint of its own (group commit, `Engine::process_batch`); an
//! update of an anonymous flow, one that fails for good and one whose file is fetched get a
//! transaction of their own. A crash before a commit leaves its updates pending, and they are
//! processed again on restart: at least once in, exactly once in effect.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::attempts::BindAttempts;
use super::command::{self, Command};
use super::feature::TextStage;
use super::{
    help, questions, start, ChannelKind, Choice, Content, Ctx, Inbound, Reply, State,
    MAX_TEXT_CHARS,
};
use crate::clock::Clock;
use crate::delivery::Wake;
use crate::domain::org::Member;
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::{
    bindings, conversations, inbox, members, outbox, Conn, Store, StoreError,
    INTAKE_ACQUIRE_TIMEOUT,
};

/// The outbox dedupe key of the `i`th reply to an inbox row. It names the update by channel,
/// platform id and inbox id together: inbox ids are reused on SQLite once housekeeping has
/// purged old rows, and Telegram's update ids restart after a quiet week, but not both at once.
fn reply_key(row: &inbox::Pending, i: usize) -> String {
    format!("reply:{}:{}:{}:{i}", row.channel, row.external_id, row.id)
}

/// The outbox dedupe key of the `i`th reply of an anonymous flow: a keyed hash of
/// [`reply_key`], as unique and as stable across a re-run, but it names no inbox row or update.
fn anonymous_reply_key(row: &inbox::Pending, i: usize) -> String {
    let plain = reply_key(row, i);
    format!(
        "anon:{}",
        crate::anonymity::keyed_hash("outbox-dedupe", &[plain.as_bytes()])
    )
}

/// Chats whose updates are processed at once on PostgreSQL.
pub const INBOX_LANES: usize = 8;

/// What is stored in the inbox for one update: the channel-neutral content, plus a platform
/// token to acknowledge once processed (a Telegram callback query id).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InboxItem {
    pub inbound: Inbound,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ack: Option<String>,
}

/// How processing an inbox row ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Processed {
    /// Done; `replies` were queued. `ack` is a token to acknowledge on the channel.
    Done {
        channel: ChannelKind,
        replies: usize,
        ack: Option<String>,
    },
    /// Processing failed for good (stored data this binary cannot read, a bug): the row was
    /// set aside as `failed` with its error and the sender was sent an apology.
    Failed {
        channel: ChannelKind,
        ack: Option<String>,
    },
    /// Another worker has it, or it was done already.
    Skipped,
}

impl Processed {
    /// Whether the row was finished (done or failed) by this call.
    fn progressed(&self) -> bool {
        !matches!(self, Self::Skipped)
    }

    /// The channel acknowledgement to make, if any.
    fn ack(self) -> Option<(ChannelKind, String)> {
        match self {
            Self::Done { channel, ack, .. } | Self::Failed { channel, ack } => {
                ack.map(|a| (channel, a))
            }
            Self::Skipped => None,
        }
    }
}

/// What one pass over the inbox did.
#[derive(Debug, Default)]
pub struct Drained {
    /// Acknowledgements the channels should make (Telegram callback queries).
    pub acks: Vec<(ChannelKind, String)>,
    /// Updates set aside as failed in this pass.
    pub failed: usize,
    /// A transient failure (the database busy, full or unreachable) that stopped the pass:
    /// the rows it did not reach stay pending, in order, for the next pass.
    pub stopped: Option<StoreError>,
}

/// What one pass over an inbox row came to.
enum Tried {
    Done(Processed),
    /// The update's file is wanted: fetch it and run the update again.
    Fetch {
        item: InboxItem,
        member_id: Option<i64>,
    },
}

/// What running an inbox row inside a transaction came to (`Engine::run`).
enum Ran {
    /// Done: the caller commits, then [`Engine::committed`] wakes whoever has work.
    Done(Effects),
    /// Not claimed (another worker has it, or it was done), or a file not to fetch yet.
    Skipped,
    /// The update's file is wanted: roll back, fetch it and run the update again.
    Fetch {
        item: InboxItem,
        member_id: Option<i64>,
    },
    /// In a batch, an update of an anonymous flow: roll back and run it in a transaction alone.
    Alone,
}

/// What a processed update leaves to do once its transaction committed.
struct Effects {
    channel: ChannelKind,
    replies: usize,
    ack: Option<String>,
    pushed: bool,
    scheduled: bool,
}

/// On SQLite, at most this many updates commit in one transaction (`Engine::process_batch`).
pub const BATCH_UPDATES: usize = 128;

/// How many updates a batch takes at most: [`BATCH_UPDATES`], or `BRANCHBOT_INBOX_BATCH` when
/// set (read once; `1` is one transaction per update, group commit off, as a fallback and to
/// compare the two on one binary).
fn batch_updates() -> usize {
    static MOST: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *MOST.get_or_init(|| {
        std::env::var("BRANCHBOT_INBOX_BATCH")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(BATCH_UPDATES)
    })
}

/// On SQLite, a batch takes no more updates once it has been open this long: the first
/// update's replies wait at most about this for the commit.
pub const BATCH_TIME: std::time::Duration = std::time::Duration::from_millis(50);

/// Updates set aside as failed by this process since it started, for `/metrics`.
pub static FAILED_UPDATES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The conversation engine, shared by every channel.
#[derive(Clone)]
pub struct Engine {
    pub store: Store,
    pub catalog: Arc<Catalog>,
    pub clock: Clock,
    pub org_locale: Locale,
    pub invite_ttl_hours: i64,
    pub wake: Wake,
    /// Wrong invite codes per chat, to stop guessing.
    pub bind_attempts: BindAttempts,
    /// The organisation's time zone: dates are read and shown in it.
    pub tz: chrono_tz::Tz,
    /// The organisation's name, for message headers.
    pub org_name: String,
    /// Schedules jobs (reminders) and wakes the scheduler.
    pub jobs: crate::scheduler::SchedulerHandle,
    /// Whether an SMS gateway is connected (pushes may fall back to SMS).
    pub sms_connected: bool,
    /// The least time between two re-nudges of a notice's unconfirmed recipients.
    pub notice_nudge_interval_ms: i64,
    /// The daily push budget (`[pushes]`): delivery holds what is over it for the digest.
    pub pushes: crate::domain::pushes::Budget,
    /// 三会一课 timings: reminders, the sign-in window, the default length (`[meetings]`).
    pub meetings: crate::domain::meetings::MeetingRules,
    /// Where `/dashboard` links point and how long a dashboard session lasts.
    pub dashboard: crate::config::dashboard::Settings,
    /// 发展党员: the college's intervals and 公示 length (`[recruitment]`).
    pub recruitment: crate::config::recruitment::Policy,
    /// The features' commands, buttons and help lines (`app::features::chat`).
    pub features: super::feature::Features,
    /// The kinds of service activity (`[records]`).
    pub records: crate::config::records::Policy,
    /// Where each channel's files are fetched from (registered by startup).
    pub sources: crate::chat::sources::Sources,
    /// Photos and files: the storage backend and the limits (`[attachments]`).
    pub files: crate::attachments::Files,
}

impl Engine {
    /// The engine over `store`, with the organisation's [`Settings`](crate::config::Settings);
    /// `jobs` schedules reminders and `wake` rouses the delivery workers after a commit.
    /// Dashboard links start with `dashboard_base` ([`crate::config::Config::dashboard_base`]).
    /// `features` are the features' commands, buttons and help (`app::features::chat`).
    /// Startup, the CLI and the tests all build it here.
    // Eight distinct things the caller owns; a struct of them would only rename the list.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        store: Store,
        catalog: Arc<Catalog>,
        clock: Clock,
        wake: Wake,
        jobs: crate::scheduler::SchedulerHandle,
        settings: &crate::config::Settings,
        dashboard_base: &str,
        features: super::feature::Features,
    ) -> Self {
        Self {
            store,
            catalog,
            clock,
            org_locale: settings.org_locale,
            invite_ttl_hours: settings.invites.ttl_hours,
            wake,
            bind_attempts: crate::flows::attempts::BindAttempts::new(&settings.invites),
            tz: settings.tz,
            org_name: settings.org_name.clone(),
            jobs,
            sms_connected: settings.sms_connected,
            notice_nudge_interval_ms: settings.notice_nudge_interval_ms,
            pushes: settings.pushes,
            meetings: settings.meetings.clone(),
            dashboard: crate::config::dashboard::Settings::new(
                dashboard_base,
                settings.dashboard_session_hours,
            ),
            recruitment: settings.recruitment.clone(),
            features,
            records: settings.records.clone(),
            sources: Default::default(),
            files: crate::attachments::Files::from_settings(settings)
                .unwrap_or_else(|e| crate::attachments::Files::unavailable(e.to_string())),
        }
    }
}

/// What handling one update produced.
#[derive(Debug, Default)]
pub struct Handled {
    pub replies: Vec<Reply>,
    /// The member who wrote, if known.
    pub member_id: Option<i64>,
    /// Jobs were scheduled or moved: wake the scheduler after the commit.
    pub scheduled: bool,
    /// Messages were pushed to other members: wake the delivery workers after the commit.
    pub pushed: bool,
    /// The update carries a file that is wanted: fetch it outside the transaction (rolled
    /// back) and run the update again ([`super::feature::FileIntake`]).
    pub fetch: bool,
}

impl Handled {
    fn replies(replies: Vec<Reply>) -> Self {
        Self {
            replies,
            ..Self::default()
        }
    }
}

/// What a flow step produced.
pub struct Step {
    pub replies: Vec<Reply>,
    pub state: State,
    /// Keep the choices offered before (the answer was a mistake to be corrected).
    pub keep_offered: bool,
}

impl Step {
    pub fn reply(reply: Reply) -> Self {
        Self {
            replies: vec![reply],
            state: State::Idle,
            keep_offered: false,
        }
    }

    pub fn new(replies: Vec<Reply>, state: State) -> Self {
        Self {
            replies,
            state,
            keep_offered: false,
        }
    }

    /// A correction: the state and the offered choices stay as they were.
    pub fn retry(text: String, state: State) -> Self {
        Self {
            replies: vec![Reply::text(text)],
            state,
            keep_offered: true,
        }
    }

    pub fn text(text: String) -> Self {
        Self::reply(Reply::text(text))
    }
}

impl Engine {
    /// Stores an inbound update unless it was seen before. Returns the inbox id when new. A
    /// webhook is answered from this: it waits at most [`INTAKE_ACQUIRE_TIMEOUT`] for a
    /// connection, so that a database outage gets a quick 503 (the platform retries) rather
    /// than a request hanging for the pool's whole wait.
    pub async fn receive(
        &self,
        external_id: &str,
        item: &InboxItem,
    ) -> Result<Option<i64>, StoreError> {
        let payload =
            serde_json::to_string(item).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut conn = self.intake_conn().await?;
        inbox::insert(
            &mut conn,
            item.inbound.channel.as_str(),
            external_id,
            &payload,
            self.clock.now_ms(),
        )
        .await
    }

    /// Stores a whole batch of updates (a `getUpdates` answer) in one transaction: all of them
    /// or, on an error, none, so the caller moves its offset only past a stored batch. An
    /// update without an item is a kind the bot ignores: only its id is kept, as `ignored`.
    /// Duplicates of stored updates are dropped. Returns how many were new.
    pub async fn receive_batch(
        &self,
        channel: ChannelKind,
        updates: &[(String, Option<InboxItem>)],
    ) -> Result<usize, StoreError> {
        if updates.is_empty() {
            return Ok(0);
        }
        let mut tx = match tokio::time::timeout(INTAKE_ACQUIRE_TIMEOUT, self.store.begin()).await {
            Ok(tx) => tx?,
            Err(_) => return Err(StoreError::Db(sqlx::Error::PoolTimedOut)),
        };
        let now = self.clock.now_ms();
        let mut new = 0;
        for (external_id, item) in updates {
            match item {
                Some(item) => {
                    let payload = serde_json::to_string(item)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                    let channel = item.inbound.channel.as_str();
                    let id = inbox::insert(&mut tx, channel, external_id, &payload, now).await?;
                    new += usize::from(id.is_some());
                }
                None => {
                    let id = inbox::insert(&mut tx, channel.as_str(), external_id, "", now).await?;
                    if let Some(id) = id {
                        inbox::finish(&mut tx, id, "ignored", None, now).await?;
                    }
                }
            }
        }
        tx.commit().await?;
        Ok(new)
    }

    /// A connection for the intake path, or `PoolTimedOut` after [`INTAKE_ACQUIRE_TIMEOUT`].
    async fn intake_conn(&self) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, StoreError> {
        match tokio::time::timeout(INTAKE_ACQUIRE_TIMEOUT, self.store.pool().acquire()).await {
            Ok(conn) => Ok(conn?),
            Err(_) => Err(StoreError::Db(sqlx::Error::PoolTimedOut)),
        }
    }

    /// Records an update that needs no processing (a kind the bot ignores), so a redelivery of
    /// it is recognised as a duplicate. Nothing of its content is kept.
    pub async fn receive_ignored(
        &self,
        channel: ChannelKind,
        external_id: &str,
    ) -> Result<(), StoreError> {
        let mut tx = match tokio::time::timeout(INTAKE_ACQUIRE_TIMEOUT, self.store.begin()).await {
            Ok(tx) => tx?,
            Err(_) => return Err(StoreError::Db(sqlx::Error::PoolTimedOut)),
        };
        let now = self.clock.now_ms();
        if let Some(id) = inbox::insert(&mut tx, channel.as_str(), external_id, "", now).await? {
            inbox::finish(&mut tx, id, "ignored", None, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Processes every pending inbox row, oldest first. An update that fails for good is set
    /// aside (see [`Engine::process`]) and the pass goes on; a transient failure stops the
    /// pass (on PostgreSQL: that chat's lane; the other chats go on) and is returned in
    /// [`Drained::stopped`], with the rows not reached still pending in order.
    pub async fn drain_inbox(&self) -> Drained {
        if self.store.backend() == crate::store::Backend::Postgres {
            return self.drain_inbox_in_lanes().await;
        }
        // SQLite has one writer: updates are processed one after the other, and committed
        // together in batches (group commit, see `process_batch`).
        let mut drained = Drained::default();
        loop {
            let ids = match self.pending_ids().await {
                Ok(ids) => ids,
                Err(e) => {
                    drained.stopped = Some(e);
                    return drained;
                }
            };
            if ids.is_empty() {
                return drained;
            }
            let mut queue: std::collections::VecDeque<i64> = ids.into();
            let mut progressed = false;
            while !queue.is_empty() {
                let (done, stopped) = self.process_batch(&mut queue).await;
                for processed in done {
                    progressed |= processed.progressed();
                    drained.failed += usize::from(matches!(processed, Processed::Failed { .. }));
                    drained.acks.extend(processed.ack());
                }
                if let Some(e) = stopped {
                    drained.stopped = Some(e);
                    return drained;
                }
            }
            if !progressed {
                // Every pending row is held by another replica.
                return drained;
            }
        }
    }

    /// SQLite's group commit: the updates at the front of `queue` run one after the other in
    /// ONE transaction, each inside a savepoint of its own, and commit together: up to
    /// [`BATCH_UPDATES`] of them, or what [`BATCH_TIME`] allowed. Each update's effects stay
    /// atomic (its savepoint is released whole or rolled back whole) and a crash before the
    /// commit leaves the whole batch pending, to be processed again.
    ///
    /// An update that cannot share a transaction ends the batch: the batch so far commits and
    /// then that update is handled as [`Engine::process`] handles one, in a transaction of its
    /// own. That is an update that failed for good (set aside with its apology), one whose file
    /// must be fetched (the two passes), and one of an anonymous flow (a rating in progress at
    /// the claim, or a turn with an anonymous reply): nothing may tie it to other updates. A
    /// transient failure stops the batch: what came before it commits, it and the rest stay
    /// pending in order, and the error is returned.
    async fn process_batch(
        &self,
        queue: &mut std::collections::VecDeque<i64>,
    ) -> (Vec<Processed>, Option<StoreError>) {
        let mut done = Vec::new();
        let most = batch_updates();
        if most <= 1 {
            // Group commit off: one transaction per update.
            let Some(id) = queue.pop_front() else {
                return (done, None);
            };
            return match self.process(id).await {
                Ok(processed) => (vec![processed], None),
                Err(e) => (done, Some(e)),
            };
        }
        let mut tx = match self.store.begin().await {
            Ok(tx) => tx,
            Err(e) => return (done, Some(e)),
        };
        let started = std::time::Instant::now();
        let mut effects: Vec<Effects> = Vec::new();
        // What ends the batch early: an update to handle alone after the commit, or a stop.
        let mut alone: Option<(i64, Option<StoreError>)> = None;
        let mut stopped: Option<StoreError> = None;
        while let Some(&id) = queue.front() {
            if effects.len() >= most || started.elapsed() >= BATCH_TIME {
                break;
            }
            let mut savepoint = match sqlx::Acquire::begin(&mut tx).await {
                Ok(sp) => sp,
                Err(e) => {
                    stopped = Some(e.into());
                    break;
                }
            };
            let ran = self.run(&mut savepoint, id, true).await;
            let kept = matches!(ran, Ok(Ran::Done(_)));
            let ended = if kept {
                savepoint.commit().await
            } else {
                savepoint.rollback().await
            };
            if let Err(end) = ended {
                // The update's own failure says more than the rollback's that followed it.
                stopped = Some(match ran {
                    Err(e) => e,
                    Ok(_) => end.into(),
                });
                break;
            }
            match ran {
                Ok(Ran::Done(e)) => {
                    queue.pop_front();
                    effects.push(e);
                }
                Ok(Ran::Skipped) => {
                    queue.pop_front();
                    done.push(Processed::Skipped);
                }
                Ok(Ran::Fetch { .. } | Ran::Alone) => {
                    queue.pop_front();
                    alone = Some((id, None));
                    break;
                }
                Err(e) if !e.is_transient() => {
                    queue.pop_front();
                    alone = Some((id, Some(e)));
                    break;
                }
                Err(e) => {
                    stopped = Some(e);
                    break;
                }
            }
        }
        if let Err(e) = tx.commit().await {
            // Nothing of the batch was kept: it is all pending again, in order, from where
            // this pass started.
            let e = StoreError::from(e);
            return (done, Some(stopped.unwrap_or(e)));
        }
        for e in effects {
            done.push(self.committed(e));
        }
        if let Some(e) = stopped {
            return (done, Some(e));
        }
        if let Some((id, failure)) = alone {
            let processed = match failure {
                Some(e) => self.set_aside(id, &e).await,
                None => self.process(id).await,
            };
            match processed {
                Ok(processed) => done.push(processed),
                Err(e) => {
                    // Pending again: it comes first in the next pass.
                    return (done, Some(e));
                }
            }
        }
        (done, None)
    }

    async fn pending_ids(&self) -> Result<Vec<i64>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        inbox::pending_ids(&mut conn, 2 * batch_updates().max(50) as i64).await
    }

    /// PostgreSQL takes writers in parallel: updates from different chats are processed
    /// concurrently (up to [`INBOX_LANES`] at once), each chat's updates still in order. A lane
    /// stopped by a transient failure leaves its remaining updates pending; the others go on.
    async fn drain_inbox_in_lanes(&self) -> Drained {
        let mut drained = Drained::default();
        loop {
            let pending = {
                let listed = async {
                    let mut conn = self.store.pool().acquire().await?;
                    inbox::pending_lanes(&mut conn, 200).await
                };
                match listed.await {
                    Ok(pending) => pending,
                    Err(e) => {
                        drained.stopped = Some(e);
                        return drained;
                    }
                }
            };
            if pending.is_empty() {
                return drained;
            }
            let mut lanes: Vec<(String, Vec<i64>)> = Vec::new();
            for (id, lane) in pending {
                match lanes.iter_mut().find(|(l, _)| *l == lane) {
                    Some((_, ids)) => ids.push(id),
                    None => lanes.push((lane, vec![id])),
                }
            }
            let semaphore = Arc::new(tokio::sync::Semaphore::new(INBOX_LANES));
            let mut tasks = tokio::task::JoinSet::new();
            for (_, ids) in lanes {
                let engine = self.clone();
                let semaphore = Arc::clone(&semaphore);
                tasks.spawn(async move {
                    let _permit = semaphore.acquire_owned().await;
                    let mut done = Vec::new();
                    for id in ids {
                        match engine.process(id).await {
                            Ok(processed) => done.push(processed),
                            // The rest of this chat waits for the next pass, in order.
                            Err(e) => return (done, Some(e)),
                        }
                    }
                    (done, None)
                });
            }
            let mut progressed = false;
            while let Some(joined) = tasks.join_next().await {
                let Ok((lane, stopped)) = joined else {
                    continue;
                };
                for processed in lane {
                    progressed |= processed.progressed();
                    drained.failed += usize::from(matches!(processed, Processed::Failed { .. }));
                    drained.acks.extend(processed.ack());
                }
                if let Some(e) = stopped {
                    drained.stopped.get_or_insert(e);
                }
            }
            if drained.stopped.is_some() || !progressed {
                return drained;
            }
        }
    }

    /// Processes one inbox row in one transaction. A transient failure (see
    /// [`StoreError::is_transient`]) is returned and the row stays pending; any other failure
    /// sets the row aside as `failed` with its error, and the sender gets a short apology.
    ///
    /// An update with a wanted file runs twice: the first pass only decides to fetch it, the
    /// file is fetched with no transaction open by the feature that takes files
    /// ([`super::feature::FileIntake`]), its outcome written into the update, and the second
    /// pass runs it as usual. A fetch to retry later leaves the row pending and answers
    /// [`Processed::Skipped`].
    pub async fn process(&self, inbox_id: i64) -> Result<Processed, StoreError> {
        // A second pass never fetches (the outcome is in the update); the bound is a guard.
        for _ in 0..3 {
            let (item, member_id) = match self.try_process(inbox_id).await {
                Err(e) if !e.is_transient() => return self.set_aside(inbox_id, &e).await,
                Err(e) => return Err(e),
                Ok(Tried::Done(processed)) => return Ok(processed),
                Ok(Tried::Fetch { item, member_id }) => (item, member_id),
            };
            // The first pass asks to fetch only when a feature takes files.
            let Some(intake) = self.features.file_intake() else {
                return Ok(Processed::Skipped);
            };
            match intake.fetch(self, inbox_id, &item, member_id).await {
                Err(e) if !e.is_transient() => return self.set_aside(inbox_id, &e).await,
                Err(e) => return Err(e),
                Ok(true) => continue,
                Ok(false) => return Ok(Processed::Skipped),
            }
        }
        Ok(Processed::Skipped)
    }

    /// Finishes a row whose processing failed for good as `failed`, with the error, and queues
    /// an apology to its sender, in one transaction.
    ///
    /// The row keeps its content for `branchbot inbox failed --retry` only when a bound member
    /// wrote it outside the anonymous flows: an unknown sender's message is never kept, and a
    /// failure in an anonymous flow keeps nothing that ties the sender to it (the content is
    /// erased and the apology is queued like an anonymous reply, erased once sent).
    async fn set_aside(&self, inbox_id: i64, error: &StoreError) -> Result<Processed, StoreError> {
        let anonymous = matches!(error, StoreError::Anonymous(_));
        let error = error.to_string();
        tracing::error!(inbox_id, %error, "update failed; set aside as failed, the sender is told");
        // The sender's language, read apart from the transaction below (a failing read there
        // would abort it on PostgreSQL); the hint or the organisation's language otherwise.
        let payload = {
            let mut conn = self.store.pool().acquire().await?;
            inbox::payload(&mut conn, inbox_id).await?
        };
        let item = payload.and_then(|p| serde_json::from_str::<InboxItem>(&p).ok());
        let member = match &item {
            Some(item) => {
                let mut conn = self.store.pool().acquire().await?;
                sender(&mut conn, &item.inbound)
                    .await
                    .ok()
                    .and_then(|(m, _)| m)
            }
            None => None,
        };
        let now = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        let Some(row) = inbox::claim(&self.store, &mut tx, inbox_id, self.clock.now_ms()).await?
        else {
            tx.rollback().await?;
            return Ok(Processed::Skipped);
        };
        if let Some(item) = &item {
            let hint = item
                .inbound
                .language_hint
                .as_deref()
                .and_then(Locale::from_hint);
            let locale = member
                .as_ref()
                .map(|m| m.locale)
                .or(hint)
                .unwrap_or(self.org_locale);
            // Apart from the replies' keys: a retried update's replies are not swallowed.
            let key = format!("apology:{}:{}:{}", row.channel, row.external_id, row.id);
            let apology = outbox::NewMessage {
                channel: item.inbound.channel.as_str().to_owned(),
                address: item.inbound.address.clone(),
                member_id: member.as_ref().map(|m| m.id).filter(|_| !anonymous),
                body: self.catalog.text(locale, msg!("error-update-failed")),
                choices_json: "[]".into(),
                dedupe_key: key.clone(),
                urgent: true,
                not_before: now,
                expires_at: Some(now + 24 * 3600 * 1000),
                segments: 1,
            };
            outbox::enqueue(&mut tx, &[apology], now).await?;
            if anonymous {
                outbox::mark_anonymous(&mut tx, &[key]).await?;
            }
        }
        inbox::finish(&mut tx, inbox_id, "failed", Some(&error), now).await?;
        if anonymous || member.is_none() {
            inbox::erase_payload(&mut tx, inbox_id).await?;
        }
        tx.commit().await?;
        FAILED_UPDATES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(item) = item else {
            return Ok(Processed::Skipped);
        };
        self.wake.notify(item.inbound.channel);
        Ok(Processed::Failed {
            channel: item.inbound.channel,
            ack: item.ack,
        })
    }

    async fn try_process(&self, inbox_id: i64) -> Result<Tried, StoreError> {
        let mut tx = self.store.begin().await?;
        match self.run(&mut tx, inbox_id, false).await? {
            Ran::Done(effects) => {
                tx.commit().await?;
                Ok(Tried::Done(self.committed(effects)))
            }
            Ran::Skipped | Ran::Alone => {
                tx.rollback().await?;
                Ok(Tried::Done(Processed::Skipped))
            }
            Ran::Fetch { item, member_id } => {
                // Nothing of this pass is kept: the file is fetched with no transaction open.
                tx.rollback().await?;
                Ok(Tried::Fetch { item, member_id })
            }
        }
    }

    /// Runs one inbox row inside `conn`'s open transaction (or savepoint): the claim, the
    /// flows, the replies queued, the row finished. The caller commits a [`Ran::Done`] and
    /// rolls back anything else. `batched`: the transaction holds other updates too, so an
    /// update of an anonymous flow is not run to the end but answered [`Ran::Alone`].
    async fn run(&self, conn: &mut Conn, inbox_id: i64, batched: bool) -> Result<Ran, StoreError> {
        let Some(row) = inbox::claim(&self.store, conn, inbox_id, self.clock.now_ms()).await?
        else {
            return Ok(Ran::Skipped);
        };
        if batched && row.rating_live {
            // Maybe an answer to a rating: never in a transaction with other updates.
            return Ok(Ran::Alone);
        }
        let now = self.clock.now_ms();
        let item: InboxItem = match serde_json::from_str(&row.payload) {
            Ok(item) => item,
            // Set aside as failed by `process`: nobody to apologise to.
            Err(e) => {
                return Err(StoreError::Corrupt(format!(
                    "unreadable inbox payload: {e}"
                )))
            }
        };
        if matches!(&item.inbound.content, Content::File(f) if f.retry_at.is_some_and(|at| at > now))
        {
            // A file whose fetch failed a moment ago: not yet.
            return Ok(Ran::Skipped);
        }
        let handled = self.handle(conn, &item.inbound, row.rating_live).await?;
        if handled.fetch {
            return Ok(Ran::Fetch {
                item,
                member_id: handled.member_id,
            });
        }
        if batched && handled.replies.iter().any(|r| r.anonymous) {
            // An anonymous exchange: rolled back here and run again in a transaction alone.
            return Ok(Ran::Alone);
        }
        let inbound = item.inbound;
        let replies = handled.replies;
        let count = replies.len();
        let member_id = handled.member_id;
        // Replies of an anonymous flow are queued without the member, under a keyed dedupe key
        // that does not name the update, with body and choices sealed, and marked, so they are
        // erased once sent and keep no provider id or precise time (store::outbox).
        let key_of = |i: usize, anonymous: bool| {
            if anonymous {
                anonymous_reply_key(&row, i)
            } else {
                reply_key(&row, i)
            }
        };
        let anonymous: Vec<String> = replies
            .iter()
            .enumerate()
            .filter(|(_, r)| r.anonymous)
            .map(|(i, _)| key_of(i, true))
            .collect();
        let messages: Vec<outbox::NewMessage> = replies
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let choices = serde_json::to_string(&r.choices).unwrap_or_else(|_| "[]".into());
                let (body, choices_json) = if r.anonymous {
                    (outbox::seal_body(&r.text), outbox::seal_body(&choices))
                } else {
                    (r.text, choices)
                };
                outbox::NewMessage {
                    channel: inbound.channel.as_str().to_owned(),
                    address: inbound.address.clone(),
                    member_id: member_id.filter(|_| !r.anonymous),
                    body,
                    choices_json,
                    dedupe_key: key_of(i, r.anonymous),
                    // A reply to what someone just wrote is never held back by quiet hours.
                    urgent: true,
                    not_before: now,
                    expires_at: Some(now + 24 * 3600 * 1000),
                    segments: 1,
                }
            })
            .collect();
        outbox::enqueue(conn, &messages, now).await?;
        outbox::mark_anonymous(conn, &anonymous).await?;
        inbox::finish(conn, inbox_id, "done", None, now).await?;
        if !anonymous.is_empty() {
            // An anonymous exchange keeps only its dedupe key: no time finer than the day.
            inbox::coarsen_times(conn, inbox_id).await?;
        }
        Ok(Ran::Done(Effects {
            channel: inbound.channel,
            replies: count,
            ack: item.ack,
            pushed: handled.pushed,
            scheduled: handled.scheduled,
        }))
    }

    /// After an update's transaction committed: wakes whoever has work from it.
    fn committed(&self, effects: Effects) -> Processed {
        if effects.replies > 0 {
            self.wake.notify(effects.channel);
        }
        if effects.pushed {
            self.wake.notify(ChannelKind::Telegram);
            self.wake.notify(ChannelKind::Sms);
            self.wake.notify(ChannelKind::Wecom);
        }
        if effects.scheduled {
            self.jobs.wake();
        }
        Processed::Done {
            channel: effects.channel,
            replies: effects.replies,
            ack: effects.ack,
        }
    }

    /// Runs the flows for one update inside `conn`'s transaction and returns the replies and
    /// what else the step did.
    ///
    /// `exchange_live`: whether a feature's anonymous exchange was in progress when the update
    /// was claimed (`inbox::Pending::rating_live`;
    /// [`super::feature::Feature::before_conversation`]).
    pub async fn handle(
        &self,
        conn: &mut Conn,
        inbound: &Inbound,
        exchange_live: bool,
    ) -> Result<Handled, StoreError> {
        let channel = inbound.channel.as_str();
        let now = self.clock.now_ms();
        let (member, unreachable) = sender(conn, inbound).await?;
        let hint = inbound.language_hint.as_deref().and_then(Locale::from_hint);
        // The features' anonymous exchanges run before the sender's own conversation, for bound
        // and unknown senders alike: they keep no conversation row and their replies are marked
        // anonymous.
        {
            let cx = Ctx {
                catalog: &self.catalog,
                locale: member
                    .as_ref()
                    .map(|m| m.locale)
                    .or(hint)
                    .unwrap_or(self.org_locale),
                member: member.as_ref(),
                now_ms: now,
                engine: self,
                via: channel,
                scheduled: Default::default(),
                pushed: Default::default(),
            };
            let intercepted = self
                .features
                .before_conversation(&cx, conn, inbound, exchange_live)
                .await
                .map_err(|e| StoreError::Anonymous(Box::new(e)))?;
            if let Some(replies) = intercepted {
                return Ok(Handled::replies(replies));
            }
        }
        let Some(member) = member else {
            let locale = hint.unwrap_or(self.org_locale);
            let cx = Ctx {
                catalog: &self.catalog,
                locale,
                member: None,
                now_ms: now,
                engine: self,
                via: channel,
                scheduled: Default::default(),
                pushed: Default::default(),
            };
            if inbound.channel == ChannelKind::Sms {
                // The SMS channel answers unknown numbers before storing anything; this is a
                // number that left the roster while its message waited.
                return Ok(Handled::replies(vec![Reply::text(
                    cx.t(msg!("sms-unknown")),
                )]));
            }
            if inbound.channel == ChannelKind::Wecom {
                // Likewise WeCom: a userid that left the roster while its message waited.
                return Ok(Handled::replies(vec![Reply::text(
                    cx.t(msg!("wecom-unknown")),
                )]));
            }
            let replies = start::unknown_sender(&cx, conn, inbound, &self.bind_attempts).await?;
            return Ok(Handled::replies(replies));
        };
        if let Content::File(file) = &inbound.content {
            if file.outcome.is_none() {
                // Fetched only for a member, outside any anonymous exchange, within the limits
                // the platform's declared size already shows.
                let cx = Ctx {
                    catalog: &self.catalog,
                    locale: member.locale,
                    member: Some(&member),
                    now_ms: now,
                    engine: self,
                    via: channel,
                    scheduled: Default::default(),
                    pushed: Default::default(),
                };
                let refusal = match self.features.file_intake() {
                    Some(intake) => intake.before_fetch(&cx, file),
                    None => Some(Reply::text(cx.t(msg!("error-unsupported")))),
                };
                return Ok(match refusal {
                    Some(refusal) => Handled {
                        replies: vec![refusal],
                        member_id: Some(member.id),
                        ..Handled::default()
                    },
                    None => Handled {
                        member_id: Some(member.id),
                        fetch: true,
                        ..Handled::default()
                    },
                });
            }
        }
        if unreachable {
            bindings::mark_reachable(conn, channel, &inbound.address).await?;
        }
        let stored = conversations::load(conn, member.id, channel).await?;
        let (state, mut open) = match &stored {
            Some((s, c)) => (
                serde_json::from_str::<State>(s)
                    .ok()
                    .or_else(|| self.features.legacy(s))
                    .unwrap_or_else(|| {
                        // Unlike a kind or a status, a waiting step that cannot be read (one a
                        // newer binary wrote) is let go: failing every message of the member
                        // would lock them out. Logged with its row, not its content (a draft).
                        tracing::warn!(
                            table = "conversations",
                            member_id = member.id,
                            channel,
                            bytes = s.len(),
                            "a stored conversation state this binary cannot read; \
                             the member starts from the idle state"
                        );
                        State::Idle
                    }),
                questions::Open::parse(c, now),
            ),
            None => (State::Idle, questions::Open::default()),
        };
        open.expire(now);
        let cx = Ctx {
            catalog: &self.catalog,
            locale: member.locale,
            member: Some(&member),
            now_ms: now,
            engine: self,
            via: channel,
            scheduled: Default::default(),
            pushed: Default::default(),
        };
        let step = self
            .step(&cx, conn, &member, inbound, state, &mut open)
            .await?;
        // Each reply offering choices is a question of its own; a correction keeps them all.
        if !step.keep_offered {
            open.after_step(&step.replies, now);
        }
        // Sealed while a ballot's buttons are open (see `questions::Open::to_json`).
        let offered_json = open.to_json();
        let state_json =
            serde_json::to_string(&step.state).unwrap_or_else(|_| "{\"step\":\"idle\"}".into());
        // A turn that leaves the conversation as it found it with nothing offered (a command
        // answered from idle) writes nothing; with questions open the row's time is kept
        // fresh as before (abandoned ballots are forgotten by it).
        let unchanged = offered_json == "[]"
            && stored
                .as_ref()
                .is_some_and(|(s, c)| *s == state_json && *c == offered_json);
        if !unchanged {
            conversations::save(conn, member.id, channel, &state_json, &offered_json, now).await?;
        }
        Ok(Handled {
            replies: step.replies,
            member_id: Some(member.id),
            scheduled: cx.scheduled.load(std::sync::atomic::Ordering::Relaxed),
            pushed: cx.pushed.load(std::sync::atomic::Ordering::Relaxed),
            fetch: false,
        })
    }

    async fn step(
        &self,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        member: &Member,
        inbound: &Inbound,
        state: State,
        open: &mut questions::Open,
    ) -> Result<Step, StoreError> {
        let offered = &open.latest();
        let text = match &inbound.content {
            // An MMS or a picture through the SMS gateway: said how files are sent instead.
            Content::Unsupported if inbound.channel == ChannelKind::Sms => {
                return Ok(Step::retry(cx.t(msg!("files-sms-how")), state))
            }
            Content::Unsupported => return Ok(Step::retry(cx.t(msg!("error-unsupported")), state)),
            Content::File(file) => {
                return match self.features.file_intake() {
                    Some(intake) => intake.arrived(cx, conn, member, state, file, open).await,
                    None => Ok(Step::retry(cx.t(msg!("error-unsupported")), state)),
                };
            }
            Content::Choice { data } => {
                let rest = open.pick_rest(data).unwrap_or_default();
                open.answering = Some(data.clone());
                return self.on_choice(cx, conn, member, state, data, &rest).await;
            }
            Content::Text { text } => text,
        };
        if text.trim().is_empty() {
            return Ok(Step::retry(cx.t(msg!("error-empty")), state));
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Ok(Step::retry(
                cx.r(msg!("error-too-long"), &[("max", MAX_TEXT_CHARS.into())]),
                state,
            ));
        }
        if let Some(cmd) = command::parse(text) {
            return self.on_command(cx, conn, member, inbound, cmd).await;
        }
        if let Some((feature, name, arg)) = self.features.word(text) {
            return feature
                .command(cx, conn, member, name, arg.as_deref(), inbound)
                .await;
        }
        // Steps that wait for free text take it before any offered choice, except the choices a
        // draft offers about itself (which party group; 是指 2027 年 12 月 3 日吗？).
        if let Some((choice, rest)) = super::match_choice(offered, text).filter(|(c, rest)| {
            // "1月5日 9:00" starts with a number but is a new date, not choice 1.
            self.features.typed_first(&c.data) && rest.is_empty()
        }) {
            let data = choice.data.clone();
            return self.on_choice(cx, conn, member, state, &data, &rest).await;
        }
        if let Some(step) = self.on_text(cx, conn, member, &state, text).await? {
            return Ok(step);
        }
        match open.resolve(text) {
            questions::Resolved::One { choice, rest } => {
                open.answering = Some(choice.data.clone());
                return self
                    .on_choice(cx, conn, member, state, &choice.data, &rest)
                    .await;
            }
            questions::Resolved::Ambiguous { candidates, rest } => {
                return Ok(ask_which(cx, open, text, candidates, rest, state));
            }
            questions::Resolved::Nothing => {}
        }
        for feature in self.features.iter() {
            if let Some(step) = feature
                .unmatched(cx, conn, member, &state, offered, text)
                .await?
            {
                return Ok(step);
            }
        }
        if let Some(step) = self
            .features
            .typed_text(TextStage::Unclaimed, cx, conn, member, text)
            .await?
        {
            return Ok(step);
        }
        let numbered = super::fold(text).trim().chars().all(|c| c.is_ascii_digit());
        if numbered && !offered.is_empty() {
            let options = numbered_options(cx, offered);
            let text = cx.r(
                msg!("error-no-such-option"),
                &[
                    ("number", super::fold(text).trim().into()),
                    ("options", options.into()),
                ],
            );
            return Ok(Step::retry(text, state));
        }
        Ok(Step::retry(cx.t(msg!("error-not-understood")), state))
    }

    async fn on_command(
        &self,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        member: &Member,
        inbound: &Inbound,
        cmd: Command,
    ) -> Result<Step, StoreError> {
        match cmd {
            Command::Start(code) => {
                // A payload that means a feature's command (`/start si_<code>`: sign in).
                let link = code.as_deref().and_then(|c| self.features.start_link(c));
                if let Some((feature, name, rest)) = link {
                    return feature
                        .command(cx, conn, member, name, Some(rest), inbound)
                        .await;
                }
                start::bound_start(
                    cx,
                    conn,
                    member,
                    inbound,
                    code.as_deref(),
                    &self.bind_attempts,
                )
                .await
            }
            Command::Help => Ok(Step::text(help::text(cx, member))),
            Command::Cancel => Ok(Step::text(cx.t(msg!("cancelled")))),
            Command::Other(name, arg) => match self.features.command(&name) {
                Some((feature, name)) => {
                    feature
                        .command(cx, conn, member, name, arg.as_deref(), inbound)
                        .await
                }
                None => Ok(Step::text(cx.r(
                    msg!("error-unknown-command"),
                    &[("command", format!("/{name}").into())],
                ))),
            },
        }
    }

    async fn on_choice(
        &self,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        member: &Member,
        state: State,
        data: &str,
        rest: &str,
    ) -> Result<Step, StoreError> {
        let (kind, value) = data.split_once(':').unwrap_or((data, ""));
        match self.features.action(kind) {
            Some(feature) => {
                feature
                    .chosen_with_rest(cx, conn, member, &state, kind, value, rest)
                    .await
            }
            None => Ok(Step::text(cx.t(msg!("error-stale-choice")))),
        }
    }
}

impl Engine {
    /// Text typed while a step waits for it (a feature's step, the compact ballot), or text a
    /// feature reads in any step (a sign-in code). None: not for a waiting step.
    async fn on_text(
        &self,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        member: &Member,
        state: &State,
        text: &str,
    ) -> Result<Option<Step>, StoreError> {
        if let State::Feature { feature, data } = state {
            match self.features.named(feature) {
                Some(f) => {
                    if let Some(step) = f.on_text(cx, conn, member, data, text).await? {
                        return Ok(Some(step));
                    }
                }
                // A step of a feature this binary no longer has: start over.
                None => return Ok(Some(Step::text(cx.t(msg!("error-stale-choice"))))),
            }
        }
        // Text no waiting step took that a feature reads in any step (a sign-in code).
        self.features
            .typed_text(TextStage::BeforeChoices, cx, conn, member, text)
            .await
    }
}

/// Who is writing. Telegram chats and console keys are bound to members; an SMS number is
/// never bound: it is recognised by the roster's mobile number (the one channel-specific
/// lookup in the engine).
///
/// Also says whether the sender's binding is marked unreachable (to be marked reachable again
/// now that they wrote), read in the same statement; an SMS number has no binding.
async fn sender(conn: &mut Conn, inbound: &Inbound) -> Result<(Option<Member>, bool), StoreError> {
    match inbound.channel {
        ChannelKind::Sms => Ok((
            crate::store::sms::member_by_phone(conn, &inbound.address).await?,
            false,
        )),
        other => Ok(
            match members::by_binding_with_reach(conn, other.as_str(), &inbound.address).await? {
                Some((member, unreachable)) => (Some(member), unreachable),
                None => (None, false),
            },
        ),
    }
}

/// A typed answer fits questions that mean different things: never guessed, the member is
/// asked which one was meant, each candidate named by what it is about. The state is kept.
fn ask_which(
    cx: &Ctx<'_>,
    open: &mut questions::Open,
    typed: &str,
    candidates: Vec<(String, Choice)>,
    rest: String,
    state: State,
) -> Step {
    let choices: Vec<Choice> = candidates
        .into_iter()
        .map(|(about, c)| Choice {
            label: cx.r(
                msg!("answer-which-option"),
                &[("about", about.into()), ("label", c.label.as_str().into())],
            ),
            data: c.data,
            aliases: Vec::new(),
        })
        .collect();
    let reply = Reply::with_choices(
        cx.r(
            msg!("answer-which"),
            &[("typed", super::fold(typed).trim().into())],
        ),
        choices,
    );
    let mut q = questions::Question::from_reply(&reply, cx.now_ms, None, false);
    q.pick_rest = Some(rest);
    open.ask_which(q);
    Step {
        replies: vec![reply],
        state,
        keep_offered: true,
    }
}

/// "1 中文，2 English" ("1 中文, 2 English" in English): the offered choices as numbered
/// options, for an error message, joined as the reader's language joins them.
pub fn numbered_options(cx: &Ctx<'_>, choices: &[Choice]) -> String {
    choices
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} {}", i + 1, c.label))
        .collect::<Vec<_>>()
        .join(&cx.t(msg!("sms-option-separator")))
}
