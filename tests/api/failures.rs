//! One bad row never stops the bot: an update whose processing fails for good is set aside as
//! failed and its sender gets an apology while everyone else is answered; a job or an outbox
//! row that cannot be read fails alone; a database that drops every connection mid-run loses
//! nothing and keeps each chat's order; a full SQLite database refuses what it cannot store
//! (so Telegram retries it) and recovers without a restart.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use branchbot::config::TelegramMode;
use branchbot::status;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::{inbox, Store};

use crate::helpers::{fast_worker, spawn_with, Db, Spawn, TestApp, SECRET, WAIT};

const APOLOGY: &str = "出错了，已记录，请稍后再试或联系书记。";

async fn webhook_app(db: Db) -> Option<TestApp> {
    spawn_with(Spawn {
        db,
        mode: TelegramMode::Webhook,
        ..Spawn::default()
    })
    .await
}

/// Binds a chat through /start. Its two replies may arrive in either order on a runtime with
/// several threads (the test worker has no per-chat limit).
async fn bind(app: &TestApp, chat: i64, key: &str) {
    let code = app.invite(key).await;
    let replies = app.ask(chat, &format!("/start {code}"), 2).await;
    assert!(
        replies.iter().any(|r| r.text.contains("绑定成功")),
        "{replies:#?}"
    );
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// A meeting row of a kind this binary does not know, in 教工第一党支部 (what a rollback to an
/// older binary after a newer one wrote a new kind looks like).
async fn bogus_meeting(store: &Store) {
    let now = now_ms();
    // The CHECK on meetings.kind (migration 0029) refuses it, as it would a newer binary's
    // value after a rollback: write it the way such a row got there.
    crate::helpers::write_unchecked(
        store,
        "meetings",
        &format!(
            "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, status, \
             created_at, updated_at) \
             SELECT id, 'bogus', {}, {}, '会议室', '学习', 'scheduled', {now}, {now} FROM branches \
             WHERE name = '教工第一党支部'",
            now + 3_600_000,
            now + 7_200_000
        ),
    )
    .await;
}

async fn one_bad_row_does_not_silence_the_others(db: Db) {
    let Some(app) = webhook_app(db).await else {
        return;
    };
    let (a, b) = (7101, 7102);
    bind(&app, a, "T004").await;
    bind(&app, b, "T006").await;
    bogus_meeting(&app.store).await;

    let before_a = app.fake.sent_to(a).len();
    let before_b = app.fake.sent_to(b).len();
    app.say(a, "/meetings").await;
    let asked = Instant::now();
    app.say(b, "/help").await;
    let to_b = app.fake.wait_sent(b, before_b + 1, WAIT).await;
    let waited = asked.elapsed();
    assert!(
        to_b[before_b].text.contains("/meetings"),
        "B got the help text: {to_b:#?}"
    );
    assert!(
        waited < Duration::from_secs(2),
        "B waited {waited:?} behind A's bad update"
    );
    let to_a = app.fake.wait_sent(a, before_a + 1, WAIT).await;
    assert_eq!(to_a[before_a..].len(), 1, "{to_a:#?}");
    assert_eq!(to_a[before_a].text, APOLOGY);

    app.eventually("SELECT COUNT(*) FROM inbox WHERE status = 'pending'", 0)
        .await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let failed = inbox::failed(&mut conn, 10).await.unwrap();
    assert_eq!(failed.len(), 1, "{failed:#?}");
    let bogus: i64 = sqlx::query_scalar("SELECT id FROM meetings WHERE kind = 'bogus'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        failed[0].error.as_deref(),
        Some(
            format!("stored data is corrupt: meetings row {bogus}: unknown kind 'bogus'").as_str()
        )
    );

    // The operator sees it in `branchbot status` and in /metrics.
    let report = status::gather(&app.store, now_ms()).await.unwrap();
    let text = status::render(
        &report,
        &app.app().engine.catalog,
        branchbot::i18n::Locale::ZhCn,
        chrono_tz::Asia::Shanghai,
    );
    assert!(
        text.contains(&format!("处理失败的消息：1 条；最近一条 #{}", failed[0].id))
            && text.contains("unknown kind 'bogus'"),
        "{text}"
    );
    let metrics = app
        .http
        .get(format!(
            "http://{}/metrics",
            app.app().metrics_addr.expect("a metrics listener")
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("branchbot_inbox_updates{status=\"failed\"} 1"),
        "{metrics}"
    );

    // Once the row is fixed, the operator retries the update and A gets the list.
    sqlx::query("UPDATE meetings SET kind = 'general' WHERE kind = 'bogus'")
        .execute(&mut *conn)
        .await
        .unwrap();
    assert_eq!(inbox::retry(&mut conn, failed[0].id).await.unwrap(), Ok(()));
    drop(conn);
    app.app().engine.drain_inbox().await;
    let to_a = app.fake.wait_sent(a, before_a + 2, WAIT).await;
    assert_eq!(to_a[before_a + 1].text, "近期没有需要您参加的会议。");
    app.stop().await;
}

#[tokio::test]
async fn a_member_whose_update_cannot_be_processed_gets_an_apology_and_the_next_member_is_answered_on_sqlite(
) {
    one_bad_row_does_not_silence_the_others(Db::Sqlite).await;
}

#[tokio::test]
async fn a_member_whose_update_cannot_be_processed_gets_an_apology_and_the_next_member_is_answered_on_postgres(
) {
    one_bad_row_does_not_silence_the_others(Db::Postgres).await;
}

/// Inserts a job row as it stands, past the jobs table's CHECKs: a schedule this binary does
/// not know can only be there if something else wrote it.
async fn insert_job(store: &Store, kind: &str, key: &str, payload: &str, schedule: &str, due: i64) {
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    let sql = format!(
        "INSERT INTO jobs (kind, dedupe_key, payload, schedule, due_at, next_run_at, grace_ms, \
         status, created_at, updated_at) VALUES ({}, {}, {}, {}, {due}, {due}, 3600000, \
         'scheduled', {due}, {due})",
        q(kind),
        q(key),
        q(payload),
        q(schedule)
    );
    crate::helpers::write_unchecked(store, "jobs", &sql).await;
}

async fn jobs_that_cannot_be_read_fail_alone(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let chat = 7201;
    bind(&app, chat, "T004").await;
    let member: i64 = sqlx::query_scalar("SELECT id FROM members WHERE key = 'T004'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let now = now_ms();
    insert_job(
        &app.store,
        "message",
        "bad-payload",
        "{\"text\": 5}",
        "once",
        now - 1000,
    )
    .await;
    insert_job(
        &app.store,
        "message",
        "bad-schedule",
        "{}",
        "fortnightly",
        now - 1000,
    )
    .await;
    insert_job(
        &app.store,
        "from_the_future",
        "unknown-kind",
        "{}",
        "once",
        now - 7_200_000,
    )
    .await;
    let good = format!("{{\"text\": \"今晚七点学习\", \"members\": [{member}], \"urgent\": true}}");
    insert_job(&app.store, "message", "good", &good, "once", now - 500).await;
    app.app().scheduler.wake();

    let sent = app.fake.wait_sent(chat, 3, WAIT).await;
    assert_eq!(sent[2].text, "今晚七点学习");
    app.eventually(
        "SELECT COUNT(*) FROM jobs WHERE dedupe_key IN ('bad-payload', 'bad-schedule', 'unknown-kind') \
         AND status = 'failed'",
        3,
    )
    .await;
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT dedupe_key, attempts, last_error FROM jobs \
         WHERE dedupe_key IN ('bad-payload', 'bad-schedule', 'unknown-kind') ORDER BY dedupe_key",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(rows[0].0, "bad-payload");
    assert_eq!(rows[0].1, 0, "failed at once, not retried: {rows:?}");
    assert!(rows[0].2.starts_with("bad payload"), "{rows:?}");
    assert_eq!(rows[1].0, "bad-schedule");
    assert!(
        rows[1].2.contains("unknown schedule 'fortnightly'"),
        "{rows:?}"
    );
    assert_eq!(rows[2].2, "unknown job kind: from_the_future");

    let report = status::gather(&app.store, now_ms()).await.unwrap();
    let text = status::render(
        &report,
        &app.app().engine.catalog,
        branchbot::i18n::Locale::En,
        chrono_tz::Asia::Shanghai,
    );
    assert!(text.contains("The latest failed job: #"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn a_job_whose_payload_schedule_or_kind_cannot_be_read_fails_alone_and_the_scheduler_goes_on_on_sqlite(
) {
    jobs_that_cannot_be_read_fail_alone(Db::Sqlite).await;
}

#[tokio::test]
async fn a_job_whose_payload_schedule_or_kind_cannot_be_read_fails_alone_and_the_scheduler_goes_on_on_postgres(
) {
    jobs_that_cannot_be_read_fail_alone(Db::Postgres).await;
}

fn message(chat: i64, key: &str, choices: &str) -> NewMessage {
    NewMessage {
        channel: "telegram".into(),
        address: chat.to_string(),
        member_id: None,
        body: format!("通知 {key}"),
        choices_json: choices.into(),
        dedupe_key: key.into(),
        urgent: true,
        not_before: 0,
        expires_at: None,
        segments: 1,
    }
}

async fn outbox_rows_that_cannot_be_read_fail_alone(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let rows = [
        message(7301, "unrenderable", "{\"not\": \"a list\""),
        message(7302, "unreadable", "[]"),
        message(7303, "good", "[]"),
    ];
    let mut tx = app.store.begin().await.unwrap();
    outbox::enqueue(&mut tx, &rows, 0).await.unwrap();
    if db == Db::Sqlite {
        // SQLite keeps whatever is written: a count that is not a number cannot be read. Spoilt
        // in the same transaction, so the worker never sees the row whole.
        sqlx::query("UPDATE outbox SET attempts = 'many' WHERE dedupe_key = 'unreadable'")
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    app.app()
        .engine
        .wake
        .notify(branchbot::flows::ChannelKind::Telegram);
    let sent = app.fake.wait_sent(7303, 1, WAIT).await;
    assert_eq!(sent[0].text, "通知 good");
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'unrenderable' AND status = 'failed' \
         AND last_error LIKE 'unreadable choices%'",
        1,
    )
    .await;
    if db == Db::Sqlite {
        app.eventually(
            "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'unreadable' AND status = 'failed' \
             AND last_error LIKE 'unreadable row%'",
            1,
        )
        .await;
        assert!(app.fake.sent_to(7302).is_empty());
    }
    assert!(app.fake.sent_to(7301).is_empty());
    app.stop().await;
}

#[tokio::test]
async fn an_outbox_row_that_cannot_be_read_or_rendered_is_marked_failed_and_the_rest_is_sent_on_sqlite(
) {
    outbox_rows_that_cannot_be_read_fail_alone(Db::Sqlite).await;
}

#[tokio::test]
async fn an_outbox_row_that_cannot_be_read_or_rendered_is_marked_failed_and_the_rest_is_sent_on_postgres(
) {
    outbox_rows_that_cannot_be_read_fail_alone(Db::Postgres).await;
}

/// Posts an update until the bot takes it, as Telegram does on a non-2xx answer.
async fn post_until_taken(app: &TestApp, update: &serde_json::Value) {
    let deadline = Instant::now() + WAIT;
    loop {
        let r = app
            .http
            .post(format!("{}/telegram/webhook", app.base_url()))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(update)
            .send()
            .await;
        if r.is_ok_and(|r| r.status() == 200) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the webhook never took the update"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_dropping_every_connection_mid_run_loses_no_update_and_keeps_each_chats_order() {
    let Some(app) = spawn_with(Spawn {
        db: Db::Postgres,
        mode: TelegramMode::Webhook,
        worker: Some(branchbot::delivery::worker::WorkerConfig {
            lease: Duration::from_secs(2),
            ..fast_worker()
        }),
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let chats = [7401, 7402, 7403];
    let keys = ["T004", "T005", "T006"];
    for (chat, key) in chats.iter().zip(keys) {
        bind(&app, *chat, key).await;
    }
    let before: Vec<usize> = chats.iter().map(|c| app.fake.sent_to(*c).len()).collect();
    const EACH: usize = 12;
    for i in 1..=EACH {
        if i == EACH / 2 {
            // Every connection of the bot's database is cut, as a restart of PostgreSQL does.
            let killed: Vec<bool> = sqlx::query_scalar(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
                 WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .fetch_all(app.store.pool())
            .await
            .unwrap();
            assert!(!killed.is_empty(), "the bot had connections to cut");
        }
        for chat in chats {
            let update = app.fake.text_update(chat, &format!("/step{i}"), "zh-hans");
            post_until_taken(&app, &update).await;
        }
    }
    let step_of = |text: &str| -> String {
        text.split_whitespace()
            .find(|w| w.contains("/step"))
            .unwrap_or_default()
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_owned()
    };
    let expected: Vec<String> = (1..=EACH).map(|i| format!("step{i}")).collect();
    for (n, chat) in chats.iter().enumerate() {
        // Every update reached the chat (a reply whose send outcome was cut may come twice).
        let sent = app.fake.wait_sent(*chat, before[n] + EACH, WAIT).await;
        let mut got: Vec<String> = sent[before[n]..].iter().map(|s| step_of(&s.text)).collect();
        got.sort();
        got.dedup();
        let mut all = expected.clone();
        all.sort();
        assert_eq!(got, all, "chat {chat}");
        // And the updates were processed in the order they were sent: the replies were
        // queued in that order.
        let queued: Vec<String> = sqlx::query_scalar(
            "SELECT body FROM outbox WHERE address = $1 AND body LIKE '%/step%' ORDER BY id",
        )
        .bind(chat.to_string())
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        let queued: Vec<String> = queued.iter().map(|b| step_of(b)).collect();
        assert_eq!(queued, expected, "chat {chat}");
    }
    app.eventually("SELECT COUNT(*) FROM inbox WHERE status <> 'done'", 0)
        .await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_sqlite_database_refuses_what_it_cannot_store_and_recovers_without_a_restart() {
    let app = spawn_with(Spawn {
        mode: TelegramMode::Webhook,
        worker: Some(branchbot::delivery::worker::WorkerConfig {
            lease: Duration::from_secs(2),
            ..fast_worker()
        }),
        ..Spawn::default()
    })
    .await
    .unwrap();
    let chat = 7501;
    bind(&app, chat, "T004").await;
    let store = app.app().engine.store.clone();
    let pages: i64 = sqlx::query_scalar("SELECT page_count FROM pragma_page_count()")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    store.cap_sqlite_pages(pages as u64 + 2);

    let before = app.fake.sent_to(chat).len();
    let mut taken = Vec::new();
    let mut refused = Vec::new();
    for i in 0..400 {
        let update = app.fake.text_update(chat, &format!("/fill{i}"), "zh-hans");
        let id = update["update_id"].as_i64().unwrap();
        let r = app
            .http
            .post(format!("{}/telegram/webhook", app.base_url()))
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .json(&update)
            .send()
            .await
            .unwrap();
        if r.status() == 200 {
            taken.push(id);
        } else {
            refused.push(update);
        }
    }
    eprintln!("taken {}, refused {}", taken.len(), refused.len());
    assert!(!refused.is_empty(), "the database never filled up");
    // Every update answered 200 is in the inbox.
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT external_id FROM inbox WHERE channel = 'telegram'")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    for id in &taken {
        assert!(
            stored.contains(&id.to_string()),
            "update {id} was answered 200 but lost"
        );
    }
    let ready = app
        .http
        .get(format!("{}/readyz", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.unwrap(), "database not writable");

    // Space returns; Telegram retries what was refused; no restart.
    store.cap_sqlite_pages(1 << 30);
    for update in &refused {
        post_until_taken(&app, update).await;
    }
    let total = taken.len() + refused.len();
    app.fake.wait_sent(chat, before + total, WAIT * 3).await;
    app.eventually("SELECT COUNT(*) FROM inbox WHERE status = 'pending'", 0)
        .await;
    let ready = app
        .http
        .get(format!("{}/readyz", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    app.stop().await;
}

/// A TCP proxy to PostgreSQL that the test can cut: while down, it closes every connection it
/// carries and every new one at once, as a stopped server does.
struct Proxy {
    addr: std::net::SocketAddr,
    down: Arc<AtomicBool>,
    /// Cancelled to close the connections carried so far.
    cut: Arc<Mutex<CancellationToken>>,
}

impl Proxy {
    async fn start(target: std::net::SocketAddr) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let proxy = Self {
            addr: listener.local_addr().unwrap(),
            down: Arc::default(),
            cut: Arc::default(),
        };
        let (down, cut) = (Arc::clone(&proxy.down), Arc::clone(&proxy.cut));
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if down.load(Ordering::SeqCst) {
                    continue; // dropped: closed at once
                }
                let cut = cut.lock().unwrap().clone();
                tokio::spawn(async move {
                    let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = cut.cancelled() => {}
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                    }
                });
            }
        });
        proxy
    }

    fn set_down(&self, down: bool) {
        self.down.store(down, Ordering::SeqCst);
        if down {
            let old = std::mem::take(&mut *self.cut.lock().unwrap());
            old.cancel();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn during_a_database_outage_readyz_and_the_webhook_answer_503_quickly_and_recover() {
    let Ok(admin) = std::env::var("BRANCHBOT_TEST_PG") else {
        if branchbot::testkit::db::postgres_required() {
            panic!("PostgreSQL is required in CI");
        }
        eprintln!("skipped: set BRANCHBOT_TEST_PG to run this test");
        return;
    };
    let host = admin
        .split_once('@')
        .and_then(|(_, rest)| rest.split('/').next())
        .unwrap_or("127.0.0.1:5432");
    let target = tokio::net::lookup_host(host).await.unwrap().next().unwrap();
    let proxy = Proxy::start(target).await;
    let Some(app) = spawn_with(Spawn {
        db: Db::Postgres,
        mode: TelegramMode::Webhook,
        through: Some(proxy.addr),
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let readyz = || async {
        let started = Instant::now();
        let r = app
            .http
            .get(format!("{}/readyz", app.base_url()))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), started.elapsed())
    };
    assert_eq!(readyz().await.0, 200);

    proxy.set_down(true);
    let (status, took) = readyz().await;
    assert_eq!(status, 503);
    assert!(took < Duration::from_secs(2), "/readyz took {took:?}");
    let update = app.fake.text_update(7601, "/help", "zh-hans");
    let started = Instant::now();
    let r = app.post_webhook(&update, Some(SECRET)).await;
    let took = started.elapsed();
    assert_eq!(r.status(), 503, "refused, so that Telegram retries");
    assert!(took < Duration::from_secs(3), "the webhook took {took:?}");

    proxy.set_down(false);
    let deadline = Instant::now() + WAIT;
    while readyz().await.0 != 200 {
        assert!(Instant::now() < deadline, "never ready again");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    post_until_taken(&app, &update).await;
    let sent = app.fake.wait_sent(7601, 1, WAIT).await;
    assert!(!sent.is_empty());
    app.stop().await;
}
