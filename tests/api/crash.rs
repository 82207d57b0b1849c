//! Crash safety with a real process and a real kill: `branchbot serve` is killed with SIGKILL
//! in the middle of a broadcast of 2,000 messages and started again. Every recipient gets the
//! message; duplicates are at most the rows that were in flight at the kill, and each of those
//! is logged when it is sent again. Killed in the middle of an inbox backlog (its updates
//! committed in batches), it answers every update exactly once after the restart.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::{bindings, members, Store};
use branchbot::testkit::db::TempSqlite;
use branchbot::testkit::fake_telegram::FakeTelegram;

const RECIPIENTS: i64 = 2_000;

fn start_bot(db: &TempSqlite, fake: &FakeTelegram) -> Child {
    start_bot_with(db, fake, &[])
}

fn start_bot_with(db: &TempSqlite, fake: &FakeTelegram, env: &[(&str, &str)]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_branchbot"))
        .args(["--database", &db.url, "serve", "--no-console"])
        .env("TELOXIDE_TOKEN", "123456:CRASH")
        .env("BRANCHBOT_TELEGRAM_API_URL", fake.api_url())
        .env("BRANCHBOT_HTTP_LISTEN", "127.0.0.1:0")
        .env("BRANCHBOT_METRICS_LISTEN", "")
        .env("BRANCHBOT_TELEGRAM_PER_SECOND", "400")
        .env("BRANCHBOT_DELIVERY_LEASE_SECS", "3")
        .env("BRANCHBOT_QUIET_HOURS", "00:00-00:00")
        .env("BRANCHBOT_LOG", "warn")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start branchbot")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_broadcast_killed_midway_reaches_everyone_after_a_restart() {
    let fake = FakeTelegram::start().await;
    let db = TempSqlite::new();
    let store = Store::open(&db.url).await.unwrap();
    let broadcast: Vec<NewMessage> = (1..=RECIPIENTS)
        .map(|chat| NewMessage {
            channel: "telegram".into(),
            address: chat.to_string(),
            member_id: None,
            body: "请于周五前提交个人承诺践诺情况。".into(),
            choices_json: "[]".into(),
            dedupe_key: format!("broadcast:1:{chat}"),
            urgent: false,
            not_before: 0,
            expires_at: None,
            segments: 1,
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    outbox::enqueue(&mut tx, &broadcast, 0).await.unwrap();
    tx.commit().await.unwrap();

    let mut first = start_bot(&db, &fake);
    fake.wait_sent(0, 500, Duration::from_secs(60)).await;
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let sent_before_kill = fake.sent().len();
    let in_flight: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(
        sent_before_kill < RECIPIENTS as usize,
        "the kill came mid-broadcast"
    );

    let mut second = start_bot(&db, &fake);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        if done == RECIPIENTS {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {done} of {RECIPIENTS} sent after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().unwrap();
    let output = second.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&output.stderr);

    let sent = fake.sent();
    let mut chats: Vec<i64> = sent.iter().map(|s| s.chat_id).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(
        chats.len() as i64,
        RECIPIENTS,
        "every recipient got the message"
    );
    let duplicates = sent.len() as i64 - RECIPIENTS;
    let resent = log.matches("resending a row whose worker died").count() as i64;
    assert_eq!(
        resent, in_flight,
        "each row in flight at the kill is logged when sent again"
    );
    assert!(
        duplicates <= in_flight,
        "{duplicates} duplicates but only {in_flight} rows were in flight"
    );
    eprintln!("kill after {sent_before_kill} sent: {in_flight} in flight, {duplicates} duplicates");
    store.close().await;
}

/// One stranger's rating with a comment through the running process; returns the reply code.
async fn rate_through(fake: &FakeTelegram, chat: i64, comment: &str) -> String {
    let wait = Duration::from_secs(30);
    fake.push_text(chat, "/start fb_D1-101");
    let intro = fake.wait_sent(chat, 1, wait).await;
    let data = intro[0].data_of("满意").expect("rating buttons");
    fake.push(fake.callback_update(chat, intro[0].message_id, &data));
    fake.wait_sent(chat, 2, wait).await;
    fake.push_text(chat, comment);
    let thanks = fake.wait_sent(chat, 3, wait).await;
    let text = &thanks[2].text;
    let start = text.find("回执码：").expect("a thank-you with a code") + "回执码：".len();
    text[start..].chars().take(7).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn feedback_accepted_before_a_kill_is_published_exactly_once_after_a_restart() {
    let fake = FakeTelegram::start().await;
    let db = TempSqlite::new();
    let store = Store::open(&db.url).await.unwrap();
    let mut tx = store.begin().await.unwrap();
    branchbot::feedback::store::load_targets(
        &mut tx,
        &[branchbot::feedback::store::NewTarget {
            code: "D1-101".into(),
            kind: "dormitory".into(),
            name: "1号楼 101".into(),
            building: Some("1".into()),
            branch_id: None,
            member_id: None,
            residents: Vec::new(),
        }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut first = start_bot(&db, &fake);
    let comments = [
        "一楼大厅很干净",
        "热水供应很稳定",
        "自习室的椅子坏了",
        "楼长很负责",
        "洗衣机排队太久",
    ];
    let mut codes = Vec::new();
    for (i, comment) in comments.iter().enumerate() {
        codes.push(rate_through(&fake, 880_001 + i as i64, comment).await);
    }
    // Thanked, so accepted: killed before the publication job ever ran.
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM feedback_pool").await, 5);
    assert_eq!(count("SELECT COUNT(*) FROM feedback").await, 0);

    // After the restart the pool is still there: a reply code reads as pending.
    let mut second = start_bot(&db, &fake);
    fake.push_text(880_001, &format!("/reply {}", codes[0]));
    let pending = fake.wait_sent(880_001, 4, Duration::from_secs(30)).await;
    assert_eq!(pending[3].text, "支部还没有答复，请过几天再来查看。");
    // The publication job's work, twice (as two replicas or a retried run would).
    for expected in [
        "published 5, waiting 0, unreadable 0",
        "published 0, waiting 0, unreadable 0",
    ] {
        let mut tx = store.begin().await.unwrap();
        let done = branchbot::feedback::publish::publish(&mut tx, "2026-12-07", 5)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let note = format!(
            "published {}, waiting {}, unreadable {}",
            done.published, done.waiting, done.unreadable
        );
        assert_eq!(note, expected);
    }
    for comment in comments {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM feedback WHERE body = $1")
            .bind(comment)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(n, 1, "{comment} published exactly once");
    }
    assert_eq!(count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    second.kill().unwrap();
    second.wait().unwrap();
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_inbox_backlog_killed_mid_batch_is_answered_exactly_once_after_a_restart() {
    const MEMBERS: i64 = 100;
    const UPDATES: i64 = 2_000;
    let fake = FakeTelegram::start().await;
    let db = TempSqlite::new();
    let store = Store::open(&db.url).await.unwrap();
    let mut csv = String::from("key,name,branch,branch_kind,role\n");
    for i in 0..MEMBERS {
        csv.push_str(&format!("M{i},成员{i}号,第{}党支部,student,党员\n", i % 5));
    }
    let roster = roster::parse(csv.as_bytes(), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    for i in 0..MEMBERS {
        let member = members::find(&mut tx, &format!("M{i}"))
            .await
            .unwrap()
            .unwrap();
        bindings::bind(
            &mut tx,
            "telegram",
            &(900_000 + i).to_string(),
            member.id,
            0,
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
    for n in 0..UPDATES {
        fake.push_text(900_000 + n % MEMBERS, "/me");
    }
    let count = |sql: &'static str| {
        let store = store.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(store.pool())
                .await
                .unwrap()
        }
    };
    let unlimited = [("BRANCHBOT_TELEGRAM_PER_CHAT_PER_SECOND", "1000")];

    let mut first = start_bot_with(&db, &fake, &unlimited);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    // Killed while updates wait to be processed: most likely inside an open batch.
    while count("SELECT COUNT(*) FROM inbox WHERE status = 'done'").await < 200
        || count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").await == 0
    {
        assert!(tokio::time::Instant::now() < deadline, "nothing processed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    first.kill().expect("SIGKILL");
    first.wait().unwrap();
    let done_at_kill = count("SELECT COUNT(*) FROM inbox WHERE status = 'done'").await;
    let stored_at_kill = count("SELECT COUNT(*) FROM inbox").await;
    let pending_at_kill = count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'").await;
    assert!(pending_at_kill > 0, "the kill came mid-backlog");
    // Each processed update committed with its reply, and nothing else did.
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox").await,
        done_at_kill,
        "one reply per processed update at the kill"
    );

    let mut second = start_bot_with(&db, &fake, &unlimited);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(240);
    loop {
        let sent = count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await;
        if sent == UPDATES {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "only {sent} of {UPDATES} replies sent after the restart"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    second.kill().unwrap();
    second.wait().unwrap();

    assert_eq!(
        count("SELECT COUNT(*) FROM inbox WHERE status = 'done'").await,
        UPDATES
    );
    assert_eq!(
        count("SELECT COUNT(DISTINCT dedupe_key) FROM outbox").await,
        UPDATES,
        "each update answered exactly once"
    );
    // Every chat got its member's profile, never another's.
    let sent = fake.sent();
    for i in 0..MEMBERS {
        let chat = 900_000 + i;
        let own = format!("成员{i}号");
        let replies: Vec<_> = sent.iter().filter(|s| s.chat_id == chat).collect();
        assert!(
            replies.len() >= (UPDATES / MEMBERS) as usize,
            "chat {chat}: {} replies",
            replies.len()
        );
        assert!(
            replies.iter().all(|r| r.text.contains(&own)),
            "chat {chat} got another member's profile"
        );
    }
    eprintln!(
        "kill after {done_at_kill} of {stored_at_kill} stored updates were processed, \
         {pending_at_kill} pending"
    );
    store.close().await;
}
