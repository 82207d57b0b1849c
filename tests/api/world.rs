//! The in-process world several conversation tests share: the example college's roster in a
//! fresh database, the engine and the scheduler on paused time, members typing and tapping on
//! Telegram, and what was queued back read (and marked sent) straight from the outbox.
//! A test file wraps it in its own `World` for what only it needs (its calendar, its rules,
//! who is bound, how it reads a reply).

use std::sync::Arc;

use branchbot::clock::Clock;
use branchbot::delivery::Wake;
use branchbot::domain::meetings::MeetingRules;
use branchbot::domain::roster;
use branchbot::flows::engine::{Engine, InboxItem};
use branchbot::flows::{ChannelKind, Choice, Content, Inbound};
use branchbot::i18n::{Catalog, Locale};
use branchbot::scheduler::{Scheduler, SchedulerConfig};
use branchbot::store::{bindings, members, Store};
use branchbot::testkit::{freeze, Frozen};
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::helpers::{Db, TestDb};

pub const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

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

pub struct ChatWorld {
    pub store: Store,
    pub clock: Clock,
    pub engine: Engine,
    pub scheduler: Scheduler,
    seq: u64,
    _db: TestDb,
    _frozen: Frozen,
}

impl ChatWorld {
    /// The roster imported at `start`, with these `[meetings]` rules; None when PostgreSQL is
    /// wanted and not reachable (the test is skipped).
    pub async fn new(db: Db, start: DateTime<Utc>, rules: MeetingRules) -> Option<Self> {
        let frozen = freeze();
        let db = TestDb::new(db).await?;
        let store = Store::open(&db.url).await.unwrap();
        let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
            .expect("example roster");
        let mut tx = store.begin().await.unwrap();
        members::import(&mut tx, &roster, false, 0).await.unwrap();
        tx.commit().await.unwrap();
        let clock = Clock::starting_at(start);
        let wake = Wake::default();
        let scheduler = Scheduler::new(
            store.clone(),
            clock.clone(),
            Arc::new(branchbot::app::features::jobs()),
            wake.clone(),
            SchedulerConfig {
                meetings: Arc::new(rules.clone()),
                ..SchedulerConfig::new(TZ)
            },
        );
        let engine = Engine::new(
            store.clone(),
            Arc::new(Catalog::load().unwrap()),
            clock.clone(),
            wake,
            scheduler.handle(),
            &crate::helpers::settings(TZ, rules),
            "http://127.0.0.1:8080",
            branchbot::app::features::chat(),
        );
        Some(Self {
            store,
            clock,
            engine,
            scheduler,
            seq: 0,
            _db: db,
            _frozen: frozen,
        })
    }

    /// Binds the member with this roster key to the Telegram chat of the same name.
    pub async fn bind(&self, key: &str) {
        let mut conn = self.store.pool().acquire().await.unwrap();
        let m = members::find(&mut conn, key).await.unwrap().unwrap();
        bindings::bind(&mut conn, "telegram", key, m.id, 0)
            .await
            .unwrap();
    }

    pub async fn member_id(&self, key: &str) -> i64 {
        let mut conn = self.store.pool().acquire().await.unwrap();
        members::find(&mut conn, key).await.unwrap().unwrap().id
    }

    /// `key` writes or taps on Telegram; the update is stored and processed.
    pub async fn send(&mut self, key: &str, content: Content) {
        self.seq += 1;
        let item = InboxItem {
            inbound: Inbound {
                channel: ChannelKind::Telegram,
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

    /// Everything queued for a Telegram chat since last read, oldest first, marked sent.
    pub async fn take(&self, key: &str) -> Vec<Queued> {
        let rows = sqlx::query(
            "SELECT id, body, urgent, choices FROM outbox WHERE channel = 'telegram' \
             AND address = $1 AND status = 'pending' ORDER BY id",
        )
        .bind(key)
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
}
