//! The in-process world several conversation tests share: the example college's roster in a
//! fresh database, the engine and the scheduler on paused time, members typing and tapping on
//! a channel (Telegram unless the [`Setup`] says otherwise), and what was queued back read
//! (and marked sent) straight from the outbox. The scheduler is drained by hand as time is
//! advanced, or runs by itself in a [`RunningWorld`]; [`Delivery`] adds the Telegram and SMS
//! workers where a test reads what was really sent. A test file wraps it in its own `World`
//! for what only it needs (its calendar, who is bound, how it reads a reply).

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use branchbot::channels::sms;
use branchbot::clock::Clock;
use branchbot::config::sms::{GatewayKind, Secret};
use branchbot::config::Config;
use branchbot::delivery::limits::Limits;
use branchbot::delivery::worker::{Worker, WorkerConfig};
use branchbot::delivery::{ChannelSender, Outgoing, SendFuture, Wake};
use branchbot::domain::meetings::MeetingRules;
use branchbot::domain::pushes::Budget;
use branchbot::flows::engine::{Engine, InboxItem};
use branchbot::flows::feature::Features;
use branchbot::flows::{ChannelKind, Choice, Content, Inbound};
use branchbot::i18n::{Catalog, Locale};
use branchbot::scheduler::{Registry, Scheduler, SchedulerConfig, Stats};
use branchbot::store::{bindings, conversations, members, Store};
use branchbot::testkit::fake_sms::{self, FakeSms};
use branchbot::testkit::{freeze, Frozen};
use chrono::{DateTime, Utc};
use sqlx::Row;
use tokio_util::sync::CancellationToken;

use crate::helpers::{open_college, Db, TestDb};

pub const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

/// An RFC 3339 time, such as `2026-10-01T09:00:00+08:00`.
pub fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

/// The texts of replies read as text and button labels.
pub fn texts(replies: &[(String, Vec<String>)]) -> Vec<&str> {
    replies.iter().map(|(t, _)| t.as_str()).collect()
}

/// One message queued for a chat.
#[derive(Debug, Clone)]
pub struct Queued {
    pub body: String,
    pub urgent: bool,
    pub choices: Vec<Choice>,
}

impl Queued {
    pub fn labels(&self) -> Vec<String> {
        self.choices.iter().map(|c| c.label.clone()).collect()
    }
}

/// What a world is made of besides its start: the bot's own unless a test says otherwise.
#[derive(Clone)]
pub struct Setup {
    pub db: Db,
    /// The channel members talk on.
    pub channel: ChannelKind,
    /// `[meetings]`.
    pub rules: MeetingRules,
    /// What the conversation offers.
    pub features: Features,
    /// The kinds of job the scheduler runs.
    pub jobs: Arc<Registry>,
    /// Whether an SMS gateway is connected.
    pub sms_connected: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            db: Db::Sqlite,
            channel: ChannelKind::Telegram,
            rules: MeetingRules::default(),
            features: branchbot::app::features::chat(),
            jobs: Arc::new(branchbot::app::features::jobs()),
            sms_connected: false,
        }
    }
}

pub struct ChatWorld {
    pub store: Store,
    pub clock: Clock,
    pub engine: Engine,
    pub scheduler: Scheduler,
    /// Wakes the delivery workers (see [`Delivery`]).
    pub wake: Wake,
    pub setup: Setup,
    seq: u64,
    db: TestDb,
    _frozen: Frozen,
}

impl ChatWorld {
    /// The roster imported at `start`, with these `[meetings]` rules; None when PostgreSQL is
    /// wanted and not reachable (the test is skipped).
    pub async fn new(db: Db, start: DateTime<Utc>, rules: MeetingRules) -> Option<Self> {
        Self::with(
            Setup {
                db,
                rules,
                ..Setup::default()
            },
            start,
        )
        .await
    }

    /// The roster imported at `start` on `setup`; None when PostgreSQL is wanted and not
    /// reachable (the test is skipped).
    pub async fn with(setup: Setup, start: DateTime<Utc>) -> Option<Self> {
        let frozen = freeze();
        let db = TestDb::new(setup.db).await?;
        let store = open_college(&db.url).await;
        let clock = Clock::starting_at(start);
        let (engine, scheduler, wake) = Self::parts(&store, &clock, &setup);
        Some(Self {
            store,
            clock,
            engine,
            scheduler,
            wake,
            setup,
            seq: 0,
            db,
            _frozen: frozen,
        })
    }

    fn parts(store: &Store, clock: &Clock, setup: &Setup) -> (Engine, Scheduler, Wake) {
        let wake = Wake::default();
        let scheduler = Scheduler::new(
            store.clone(),
            clock.clone(),
            Arc::clone(&setup.jobs),
            wake.clone(),
            SchedulerConfig {
                meetings: Arc::new(setup.rules.clone()),
                sms_connected: setup.sms_connected,
                ..SchedulerConfig::new(TZ)
            },
        );
        let mut settings = crate::helpers::settings(TZ, setup.rules.clone());
        settings.sms_connected = setup.sms_connected;
        let engine = Engine::new(
            store.clone(),
            Arc::new(Catalog::load().unwrap()),
            clock.clone(),
            wake.clone(),
            scheduler.handle(),
            &settings,
            "http://127.0.0.1:8080",
            setup.features.clone(),
        );
        (engine, scheduler, wake)
    }

    /// Stops the engine and the scheduler and starts them again on the same database, at the
    /// same time (a restart).
    pub async fn restart(&mut self) {
        self.store.close().await;
        self.store = Store::open(&self.db.url).await.unwrap();
        (self.engine, self.scheduler, self.wake) =
            Self::parts(&self.store, &self.clock, &self.setup);
    }

    /// Binds the member with this roster key to the chat of the same name on the world's
    /// channel.
    pub async fn bind(&self, key: &str) {
        let mut conn = self.store.pool().acquire().await.unwrap();
        let m = members::find(&mut conn, key).await.unwrap().unwrap();
        bindings::bind(&mut conn, self.setup.channel.as_str(), key, m.id, 0)
            .await
            .unwrap();
    }

    /// Binds every member on the roster, each to the chat named by their key.
    pub async fn bind_everyone(&self) {
        sqlx::query(
            "INSERT INTO bindings (channel, address, member_id, bound_at) \
             SELECT $1, key, id, 0 FROM members",
        )
        .bind(self.setup.channel.as_str())
        .execute(self.store.pool())
        .await
        .unwrap();
    }

    pub async fn member_id(&self, key: &str) -> i64 {
        let mut conn = self.store.pool().acquire().await.unwrap();
        members::find(&mut conn, key).await.unwrap().unwrap().id
    }

    /// `key` writes or taps on the world's channel; the update is stored and processed.
    pub async fn send(&mut self, key: &str, content: Content) {
        self.seq += 1;
        let item = InboxItem {
            inbound: Inbound {
                channel: self.setup.channel,
                address: key.into(),
                content,
                language_hint: None,
            },
            ack: None,
        };
        let id = self
            .engine
            .receive(&format!("u{}", self.seq), &item)
            .await
            .unwrap()
            .unwrap();
        self.engine.process(id).await.unwrap();
    }

    /// Everything queued for a chat since last read, oldest first, marked sent (no delivery
    /// worker runs here, and the daily housekeeping purges old rows, so SQLite may reuse
    /// their ids).
    pub async fn take(&self, key: &str) -> Vec<Queued> {
        let rows = sqlx::query(
            "SELECT id, body, urgent, choices FROM outbox WHERE channel = $2 \
             AND address = $1 AND status = 'pending' ORDER BY id",
        )
        .bind(key)
        .bind(self.setup.channel.as_str())
        .fetch_all(self.store.pool())
        .await
        .unwrap();
        let mut out = Vec::new();
        for r in rows {
            sqlx::query("UPDATE outbox SET status = 'sent' WHERE id = $1")
                .bind(r.get::<i64, _>("id"))
                .execute(self.store.pool())
                .await
                .unwrap();
            out.push(Queued {
                body: r.get("body"),
                urgent: r.get::<i64, _>("urgent") != 0,
                choices: serde_json::from_str(&r.get::<String, _>("choices")).unwrap_or_default(),
            });
        }
        out
    }

    /// What this chat has been sent since last read: text and button labels.
    pub async fn read(&self, key: &str) -> Vec<(String, Vec<String>)> {
        self.take(key)
            .await
            .into_iter()
            .map(|q| {
                let labels = q.labels();
                (q.body, labels)
            })
            .collect()
    }

    /// Types a text and returns what came back to that chat.
    pub async fn say(&mut self, key: &str, text: &str) -> Vec<(String, Vec<String>)> {
        self.send(key, Content::Text { text: text.into() }).await;
        self.read(key).await
    }

    /// Taps the button whose data is `data` and returns what came back to that chat.
    pub async fn tap(&mut self, key: &str, data: &str) -> Vec<(String, Vec<String>)> {
        self.send(key, Content::Choice { data: data.into() }).await;
        self.read(key).await
    }

    /// Moves paused time to `at` and runs what fell due.
    pub async fn advance(&self, at: DateTime<Utc>) {
        tokio::time::advance((at - self.clock.now()).to_std().unwrap()).await;
        self.scheduler.drain().await.unwrap();
    }

    /// [`ChatWorld::advance`] to an RFC 3339 time.
    pub async fn advance_to(&self, at: &str) {
        self.advance(t(at)).await;
    }

    /// The urgent flag of the latest message to `key` whose body is like `like`.
    pub async fn urgent_of(&self, key: &str, like: &str) -> i64 {
        sqlx::query_scalar(
            "SELECT urgent FROM outbox WHERE address = $1 AND body LIKE $2 ORDER BY id DESC",
        )
        .bind(key)
        .bind(like)
        .fetch_one(self.store.pool())
        .await
        .unwrap()
    }

    /// Counts rows (the query's one number).
    pub async fn count(&self, sql: &'static str) -> i64 {
        crate::helpers::count(&self.store, sql).await
    }

    /// Writes `state` as `key`'s stored conversation on the world's channel, as an older
    /// binary left it.
    pub async fn save_state(&self, key: &str, state: &str) {
        let mut conn = self.store.pool().acquire().await.unwrap();
        let member = members::find(&mut conn, key).await.unwrap().unwrap().id;
        conversations::save(
            &mut conn,
            member,
            self.setup.channel.as_str(),
            state,
            "[]",
            self.clock.now_ms(),
        )
        .await
        .unwrap();
    }

    /// The same world with its scheduler running by itself in the background, as the
    /// application's does.
    pub fn run_scheduler(self) -> RunningWorld {
        let Self {
            store,
            clock,
            engine,
            scheduler,
            setup,
            db,
            _frozen,
            ..
        } = self;
        let stats = Arc::clone(&scheduler.stats);
        let cancel = CancellationToken::new();
        tokio::spawn(scheduler.run(cancel.clone()));
        RunningWorld {
            store,
            clock,
            engine,
            registry: setup.jobs,
            stats,
            cancel,
            _db: db,
            _frozen,
        }
    }
}

/// A world whose scheduler runs by itself; paused time is moved only while it sleeps (the
/// parked task of [`freeze`] keeps tokio from moving it while SQLite works).
pub struct RunningWorld {
    pub store: Store,
    pub clock: Clock,
    pub engine: Engine,
    pub registry: Arc<Registry>,
    pub stats: Arc<Stats>,
    /// Stops the scheduler.
    pub cancel: CancellationToken,
    _db: TestDb,
    _frozen: Frozen,
}

impl RunningWorld {
    /// What `key` reads back after writing `text` on Telegram: the engine's replies, one per
    /// line (handled in one transaction, as a channel does).
    pub async fn say(&self, key: &str, text: &str) -> String {
        let mut tx = self.store.begin().await.unwrap();
        let inbound = Inbound {
            channel: ChannelKind::Telegram,
            address: key.into(),
            content: Content::Text { text: text.into() },
            language_hint: None,
        };
        let handled = self.engine.handle(&mut tx, &inbound, true).await.unwrap();
        tx.commit().await.unwrap();
        let texts: Vec<String> = handled.replies.into_iter().map(|r| r.text).collect();
        texts.join("\n")
    }

    /// Waits until the scheduler sleeps.
    pub async fn wait_asleep(&self) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while !self.stats.sleeping.load(Ordering::SeqCst) {
            assert!(
                std::time::Instant::now() < deadline,
                "the scheduler never slept"
            );
            tokio::task::yield_now().await;
        }
    }

    /// Once the scheduler sleeps, moves paused time to an RFC 3339 time.
    pub async fn advance_to(&self, at: &str) {
        self.wait_asleep().await;
        let by = (t(at) - self.clock.now()).to_std().unwrap();
        tokio::time::advance(by).await;
    }

    /// How many outbox rows have a dedupe key like `like`.
    pub async fn rows(&self, like: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE $1")
            .bind(like)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// Waits until `like` matches `n` outbox rows.
    pub async fn expect_rows(&self, like: &str, n: i64) {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let got = self.rows(like).await;
            if got == n {
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{like}: {got} rows, expected {n}"
            );
            tokio::task::yield_now().await;
        }
    }

    /// The body of the outbox row with this dedupe key.
    pub async fn body(&self, dedupe_key: &str) -> String {
        sqlx::query_scalar("SELECT body FROM outbox WHERE dedupe_key = $1")
            .bind(dedupe_key)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    pub async fn member_id(&self, key: &str) -> i64 {
        sqlx::query_scalar("SELECT id FROM members WHERE key = $1")
            .bind(key)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }
}

/// A Telegram that records what it was asked to send.
#[derive(Default, Clone)]
pub struct Recorder(Arc<Mutex<Vec<Outgoing>>>);

impl ChannelSender for Recorder {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Telegram
    }

    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a> {
        self.0.lock().unwrap().push(msg.clone());
        Box::pin(async { Ok(None) })
    }
}

/// The Telegram and SMS delivery workers over a world's outbox, without limits: Telegram is
/// recorded, SMS goes through the Android gateway to the fake SMS provider.
pub struct Delivery {
    telegram: Worker,
    sms: Worker,
    recorder: Recorder,
}

impl Delivery {
    /// Workers on `w`'s store, clock and wake-up that keep the daily push budget `budget`.
    pub fn new(w: &ChatWorld, fake_sms: &FakeSms, budget: Budget) -> Self {
        let config = WorkerConfig {
            limits: Limits::unlimited(),
            budget: Some(budget),
            ..WorkerConfig::default()
        };
        let recorder = Recorder::default();
        let telegram = Worker::new(
            w.store.clone(),
            w.clock.clone(),
            Arc::new(recorder.clone()),
            Arc::clone(w.wake.get(ChannelKind::Telegram)),
            config.clone(),
        );
        let mut sms_config = Config::default().sms;
        sms_config.gateway = GatewayKind::Android;
        sms_config.android.base_url = Some(fake_sms.base_url());
        sms_config.android.username = Some(fake_sms::ANDROID_USER.into());
        sms_config.password = Some(Secret::new(fake_sms::ANDROID_PASSWORD));
        sms_config.webhook_key = Some(Secret::new("webhook-test-key"));
        let connected = sms::connect(&sms_config, None).unwrap().unwrap();
        let sender = sms::sender::SmsSender::new(
            connected.gateway,
            w.store.clone(),
            Arc::clone(&w.engine.catalog),
            w.clock.clone(),
            Locale::ZhCn,
            TZ,
            100,
        );
        let sms = Worker::new(
            w.store.clone(),
            w.clock.clone(),
            Arc::new(sender),
            Arc::clone(w.wake.get(ChannelKind::Sms)),
            config,
        );
        Self {
            telegram,
            sms,
            recorder,
        }
    }

    /// Sends everything due, Telegram first.
    pub async fn drain(&mut self) {
        self.telegram.drain().await.unwrap();
        self.sms.drain().await.unwrap();
    }

    /// What Telegram chat `key` was sent since the last read.
    pub fn read(&self, key: &str) -> Vec<Outgoing> {
        let mut all = self.recorder.0.lock().unwrap();
        let (mine, rest): (Vec<Outgoing>, Vec<Outgoing>) =
            all.drain(..).partition(|m| m.address == key);
        *all = rest;
        mine
    }
}
