//! The outbox worker against a misbehaving Telegram: rate limits, blocked users, server errors,
//! garbage answers, expiry and quiet hours. Every outcome is on the row.

use std::time::Duration;

use branchbot::clock::Clock;
use branchbot::delivery::worker::WorkerConfig;
use branchbot::domain::quiet::QuietHours;
use branchbot::flows::ChannelKind;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::testkit::fake_telegram::Fault;

use crate::helpers::{fast_worker, spawn_app, spawn_with, Spawn, WAIT};

fn message(chat: i64, key: &str, text: &str) -> NewMessage {
    NewMessage {
        channel: "telegram".into(),
        address: chat.to_string(),
        member_id: None,
        body: text.into(),
        choices_json: "[]".into(),
        dedupe_key: key.into(),
        urgent: false,
        not_before: 0,
        expires_at: None,
        segments: 1,
    }
}

async fn queue(app: &crate::helpers::TestApp, messages: &[NewMessage]) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    outbox::enqueue(&mut conn, messages, chrono::Utc::now().timestamp_millis())
        .await
        .unwrap();
    app.app().engine.wake.notify(ChannelKind::Telegram);
}

async fn status_of(app: &crate::helpers::TestApp, key: &str) -> (String, i64, Option<String>) {
    sqlx::query_as("SELECT status, attempts, last_error FROM outbox WHERE dedupe_key = $1")
        .bind(key)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_429_is_waited_out_and_then_the_message_goes() {
    let app = spawn_app().await;
    app.fake.fault(50, Fault::RetryAfter(1));
    let start = std::time::Instant::now();
    queue(&app, &[message(50, "m1", "通知一")]).await;
    let sent = app.fake.wait_sent(50, 1, WAIT).await;
    assert_eq!(sent[0].text, "通知一");
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "retried after retry_after"
    );
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'm1' AND status = 'sent' AND attempts = 1",
        1,
    )
    .await;
    assert_eq!(
        app.app()
            .telegram_stats
            .as_ref()
            .unwrap()
            .rate_limited
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_member_who_blocked_the_bot_is_marked_unreachable_and_not_retried() {
    let app = spawn_app().await;
    app.bind(51, "T005").await;
    app.fake.fault(51, Fault::Blocked);
    queue(&app, &[message(51, "m2", "通知二")]).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'm2' AND status = 'blocked'",
        1,
    )
    .await;
    let (_, attempts, error) = status_of(&app, "m2").await;
    assert_eq!(attempts, 1);
    assert_eq!(
        error.as_deref(),
        Some("Forbidden: bot was blocked by the user")
    );
    assert_eq!(
        app.count("SELECT unreachable FROM bindings WHERE address = '51'")
            .await,
        1
    );
    // Writing to the bot again makes the member reachable.
    app.ask(51, "/me", 1).await;
    assert_eq!(
        app.count("SELECT unreachable FROM bindings WHERE address = '51'")
            .await,
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn garbage_answers_are_retried_with_backoff_until_they_succeed() {
    let app = spawn_app().await;
    app.fake.fault(52, Fault::Garbage);
    app.fake.fault(52, Fault::Garbage);
    queue(&app, &[message(52, "m3", "通知三")]).await;
    let sent = app.fake.wait_sent(52, 1, WAIT).await;
    assert_eq!(sent.len(), 1);
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'm3' AND status = 'sent' AND attempts = 3",
        1,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_server_error_that_persists_ends_as_failed_after_the_last_attempt() {
    let worker = WorkerConfig {
        max_attempts: 2,
        ..fast_worker()
    };
    let app = spawn_with(Spawn {
        worker: Some(worker),
        ..Spawn::default()
    })
    .await
    .unwrap();
    for _ in 0..2 {
        app.fake.fault(53, Fault::ServerError(502));
    }
    queue(&app, &[message(53, "m4", "通知四")]).await;
    // teloxide pauses 10 s after a 5xx answer before reporting it.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let (status, attempts, error) = status_of(&app, "m4").await;
        if status == "failed" {
            assert_eq!(attempts, 2);
            assert_eq!(error.as_deref(), Some("Internal Server Error"));
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "still {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(app.fake.sent_to(53).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_expired_message_is_never_sent_late() {
    let app = spawn_app().await;
    let mut m = message(54, "m5", "会议一小时后开始");
    m.expires_at = Some(1);
    queue(&app, &[m]).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'm5' AND status = 'expired'",
        1,
    )
    .await;
    assert!(app.fake.sent_to(54).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_second_enqueue_with_the_same_key_is_ignored() {
    let app = spawn_app().await;
    queue(
        &app,
        &[message(55, "same", "一次"), message(55, "same", "两次")],
    )
    .await;
    app.fake.wait_sent(55, 1, WAIT).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(app.fake.sent_to(55).len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn quiet_hours_hold_back_ordinary_pushes_but_not_urgent_ones() {
    // 23:30 in Shanghai: inside the default 22:00-07:00 window.
    let night = chrono::DateTime::parse_from_rfc3339("2026-12-01T23:30:00+08:00")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let worker = WorkerConfig {
        quiet: Some((QuietHours::default(), chrono_tz::Asia::Shanghai)),
        ..fast_worker()
    };
    let app = spawn_with(Spawn {
        worker: Some(worker),
        clock: Some(Clock::starting_at(night)),
        ..Spawn::default()
    })
    .await
    .unwrap();
    let mut urgent = message(56, "urgent", "紧急通知");
    urgent.urgent = true;
    queue(&app, &[message(56, "ordinary", "普通通知"), urgent]).await;
    let sent = app.fake.wait_sent(56, 1, WAIT).await;
    assert_eq!(sent[0].text, "紧急通知");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.fake.sent_to(56).len(), 1);
    assert_eq!(status_of(&app, "ordinary").await.0, "pending");
    app.stop().await;
}

mod replicas {
    use std::sync::Arc;

    use branchbot::channels::telegram::{bot, TelegramSender};
    use branchbot::clock::Clock;
    use branchbot::delivery::worker::Worker;
    use branchbot::store::Store;
    use tokio_util::sync::CancellationToken;

    use super::*;
    use crate::helpers::{Db, TestDb};

    /// Two delivery workers (as two replicas would run) drain one outbox of 1,200 messages:
    /// every chat gets its message exactly once.
    async fn two_workers_send_each_message_exactly_once(db: Db) {
        let Some(db) = TestDb::new(db).await else {
            return;
        };
        let store = Store::open(&db.url).await.unwrap();
        let fake = branchbot::testkit::fake_telegram::FakeTelegram::start().await;
        let rows: Vec<NewMessage> = (1..=1200)
            .map(|chat| message(chat, &format!("r{chat}"), "提醒"))
            .collect();
        let mut conn = store.pool().acquire().await.unwrap();
        outbox::enqueue(&mut conn, &rows, 0).await.unwrap();
        drop(conn);
        let cancel = CancellationToken::new();
        let mut handles = Vec::new();
        for _ in 0..2 {
            let b = bot("1:replica", Some(&fake.api_url())).unwrap();
            let config = WorkerConfig {
                batch: 50,
                ..fast_worker()
            };
            let worker = Worker::new(
                store.clone(),
                Clock::System,
                Arc::new(TelegramSender::new(b)),
                Arc::default(),
                config,
            );
            handles.push(tokio::spawn(worker.run(cancel.child_token())));
        }
        fake.wait_sent(0, 1200, Duration::from_secs(60)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        cancel.cancel();
        for h in handles {
            h.await.unwrap();
        }
        let sent = fake.sent();
        let mut chats: Vec<i64> = sent.iter().map(|s| s.chat_id).collect();
        chats.sort_unstable();
        chats.dedup();
        assert_eq!((sent.len(), chats.len()), (1200, 1200));
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 1",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(done, 1200);
        store.close().await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn two_workers_on_sqlite_send_each_message_exactly_once() {
        two_workers_send_each_message_exactly_once(Db::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn two_workers_on_postgres_send_each_message_exactly_once() {
        two_workers_send_each_message_exactly_once(Db::Postgres).await;
    }
}

mod end_to_end {
    use std::sync::Arc;

    use branchbot::channels::telegram::{bot, TelegramSender};
    use branchbot::clock::Clock;
    use branchbot::delivery::worker::Worker;
    use branchbot::delivery::Wake;
    use branchbot::domain::roster;
    use branchbot::i18n::Locale;
    use branchbot::scheduler::{plan, JobSpec, Scheduler, SchedulerConfig, When};
    use branchbot::store::{bindings, members, Store};
    use tokio_util::sync::CancellationToken;

    use super::*;
    use crate::helpers::{Db, TestDb};

    const REMINDERS: usize = 1000;

    /// Two replicas, each with its own pool, its scheduler and its Telegram worker, share one
    /// database holding 1,000 due reminders: each member's chat gets its reminder exactly once.
    async fn two_replicas_deliver_each_reminder_once(db: Db) {
        let Some(db) = TestDb::new(db).await else {
            return;
        };
        let setup = Store::open(&db.url).await.unwrap();
        let mut csv = String::from("key,name,branch,branch_kind,role\n");
        for i in 0..REMINDERS {
            csv.push_str(&format!("K{i},成员{i},第一党支部,student,党员\n"));
        }
        let roster = roster::parse(csv.as_bytes(), Locale::ZhCn).unwrap();
        let registry = branchbot::app::features::jobs();
        let now = chrono::Utc::now();
        let mut tx = setup.begin().await.unwrap();
        members::import(&mut tx, &roster, false, 0).await.unwrap();
        let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM members ORDER BY id")
            .fetch_all(&mut *tx)
            .await
            .unwrap();
        for (i, id) in ids.iter().enumerate() {
            bindings::bind(&mut tx, "telegram", &(700_000 + i).to_string(), *id, 0)
                .await
                .unwrap();
            let spec = JobSpec {
                kind: "message".into(),
                dedupe_key: format!("reminder:{id}"),
                payload: format!("{{\"text\":\"【提醒】明天 19:30 党员大会\",\"members\":[{id}],\"urgent\":true}}"),
                when: When::At(now + chrono::TimeDelta::milliseconds(200 + i as i64)),
                grace: None,
            };
            plan::schedule(&mut tx, &registry, &spec, now)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();

        let fake = branchbot::testkit::fake_telegram::FakeTelegram::start().await;
        let cancel = CancellationToken::new();
        let mut tasks = Vec::new();
        let mut stores = Vec::new();
        for _ in 0..2 {
            let store = Store::open(&db.url).await.unwrap();
            let wake = Wake::default();
            let scheduler = Scheduler::new(
                store.clone(),
                Clock::System,
                Arc::new(branchbot::app::features::jobs()),
                wake.clone(),
                SchedulerConfig::new(chrono_tz::Asia::Shanghai),
            );
            let sender = Arc::new(TelegramSender::new(
                bot("1:e2e", Some(&fake.api_url())).unwrap(),
            ));
            let worker = Worker::new(
                store.clone(),
                Clock::System,
                sender,
                Arc::clone(wake.get(ChannelKind::Telegram)),
                WorkerConfig {
                    batch: 50,
                    ..fast_worker()
                },
            );
            tasks.push(tokio::spawn(scheduler.run(cancel.child_token())));
            tasks.push(tokio::spawn(worker.run(cancel.child_token())));
            stores.push(store);
        }
        fake.wait_sent(0, REMINDERS, Duration::from_secs(120)).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        cancel.cancel();
        for t in tasks {
            t.await.unwrap();
        }
        let sent = fake.sent();
        let mut chats: Vec<i64> = sent.iter().map(|s| s.chat_id).collect();
        chats.sort_unstable();
        chats.dedup();
        assert_eq!(
            (sent.len(), chats.len()),
            (REMINDERS, REMINDERS),
            "every chat got exactly one reminder"
        );
        assert!(sent.iter().all(|s| s.text == "【提醒】明天 19:30 党员大会"));
        let done: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'message' AND status = 'done'",
        )
        .fetch_one(setup.pool())
        .await
        .unwrap();
        assert_eq!(done, REMINDERS as i64);
        for s in stores {
            s.close().await;
        }
        setup.close().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_replicas_on_sqlite_deliver_each_of_1000_reminders_once() {
        two_replicas_deliver_each_reminder_once(Db::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_replicas_on_postgres_deliver_each_of_1000_reminders_once() {
        two_replicas_deliver_each_reminder_once(Db::Postgres).await;
    }
}

#[tokio::test]
async fn one_slow_chat_does_not_hold_up_the_others() {
    let app = spawn_app().await;
    app.fake.fault(60, Fault::Slow(Duration::from_secs(3)));
    let mut rows = vec![message(60, "slow", "慢")];
    for chat in 61..=80 {
        rows.push(message(chat, &format!("fast{chat}"), "快"));
    }
    queue(&app, &rows).await;
    let start = std::time::Instant::now();
    for chat in 61..=80 {
        app.fake.wait_sent(chat, 1, WAIT).await;
    }
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "the others went while chat 60 was slow"
    );
    assert!(app.fake.sent_to(60).is_empty());
    app.fake.wait_sent(60, 1, WAIT).await;
    app.stop().await;
}
