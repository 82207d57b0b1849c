//! Crash safety with a real process and a real kill: `branchbot serve` is killed with SIGKILL
//! in the middle of a broadcast of 2,000 messages and started again. Every recipient gets the
//! message; duplicates are at most the rows that were in flight at the kill, and each of those
//! is logged when it is sent again.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Store;
use branchbot::testkit::db::TempSqlite;
use branchbot::testkit::fake_telegram::FakeTelegram;

const RECIPIENTS: i64 = 2_000;

fn start_bot(db: &TempSqlite, fake: &FakeTelegram) -> Child {
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
