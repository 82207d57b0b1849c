//! Delivery claims stay close to what can be sent: at Telegram's 30 messages a second a worker
//! holds about two seconds' worth of rows in `sending`, keeps their lease alive however short
//! it is, and gives what it holds back when stopped cleanly.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use branchbot::delivery::limits::Limits;
use branchbot::delivery::worker::WorkerConfig;
use branchbot::flows::ChannelKind;
use branchbot::store::outbox::{self, NewMessage};

use crate::helpers::{spawn_with, Spawn};

fn broadcast(n: i64) -> Vec<NewMessage> {
    (1..=n)
        .map(|chat| NewMessage {
            channel: "telegram".into(),
            address: (800_000 + chat).to_string(),
            member_id: None,
            body: "请于周五前提交材料。".into(),
            choices_json: "[]".into(),
            dedupe_key: format!("claims:{chat}"),
            urgent: true,
            not_before: 0,
            expires_at: None,
            segments: 1,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_at_30_a_second_holds_two_seconds_of_rows_renews_their_lease_and_gives_them_back_on_stop(
) {
    let app = spawn_with(Spawn {
        worker: Some(WorkerConfig {
            limits: Limits::telegram(),
            // Shorter than the time the claimed rows wait for the limiter: only renewal keeps
            // them from being taken over as if this worker had died.
            lease: Duration::from_millis(900),
            ..WorkerConfig::default()
        }),
        ..Spawn::default()
    })
    .await
    .unwrap();
    let mut conn = app.store.pool().acquire().await.unwrap();
    outbox::enqueue(&mut conn, &broadcast(300), 0)
        .await
        .unwrap();
    drop(conn);
    app.app().engine.wake.notify(ChannelKind::Telegram);

    let started = Instant::now();
    let mut most_held = 0;
    while started.elapsed() < Duration::from_secs(4) {
        let held = app
            .count("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
            .await;
        most_held = most_held.max(held);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let stats = std::sync::Arc::clone(app.app().telegram_stats.as_ref().unwrap());
    let sent_before_stop = app.fake.sent().len();
    assert!(sent_before_stop > 60, "sending went on: {sent_before_stop}");
    assert!(
        most_held <= 70,
        "{most_held} rows held at once at 30 a second"
    );
    assert_eq!(
        stats.resumed.load(Ordering::Relaxed),
        0,
        "no lease lapsed while its worker was alive"
    );

    let mut app = app;
    app.app.take().unwrap().stop().await;
    let store = app.store.clone();
    let fake_sent = app.fake.clone();
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sending'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(held, 0, "a clean stop gives every claimed row back");
    let pending: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let sent = fake_sent.sent().len() as i64;
    assert_eq!(sent + pending, 300, "each row is sent or waits, none twice");
    app.stop().await;
}
