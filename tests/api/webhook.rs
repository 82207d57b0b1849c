//! The webhook endpoint: secret first, then a well-formed update, stored before the 200.

use branchbot::config::TelegramMode;
use serde_json::json;

use crate::helpers::{spawn_with, Spawn, SECRET, WAIT};

async fn webhook_app() -> crate::helpers::TestApp {
    spawn_with(Spawn {
        mode: TelegramMode::Webhook,
        ..Spawn::default()
    })
    .await
    .unwrap()
}

#[tokio::test]
async fn a_wrong_or_missing_secret_is_refused_and_nothing_is_stored() {
    let app = webhook_app().await;
    let update = app.fake.text_update(5, "/help", "zh");
    assert_eq!(app.post_webhook(&update, Some("wrong")).await.status(), 403);
    assert_eq!(app.post_webhook(&update, None).await.status(), 403);
    assert_eq!(
        app.post_webhook(&update, Some(&format!("{SECRET}x")))
            .await
            .status(),
        403
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn malformed_bodies_get_400_without_harm() {
    let app = webhook_app().await;
    let client = &app.http;
    let url = format!("{}/telegram/webhook", app.base_url());
    for body in [
        "",
        "not json",
        "[]",
        "{\"update_id\": \"x\"}",
        "{\"foo\": 1}",
    ] {
        let r = client
            .post(&url)
            .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "body {body:?}");
    }
    let weird = json!({"update_id": 99, "message": {"chat": "nonsense"}});
    assert_eq!(app.post_webhook(&weird, Some(SECRET)).await.status(), 400);
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    // Still healthy afterwards.
    let health = client
        .get(format!("{}/healthz", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    app.stop().await;
}

#[tokio::test]
async fn a_redelivered_update_is_answered_once() {
    let app = webhook_app().await;
    let update = app.fake.text_update(6, "hello", "zh");
    for _ in 0..3 {
        assert_eq!(app.post_webhook(&update, Some(SECRET)).await.status(), 200);
    }
    app.fake.wait_sent(6, 1, WAIT).await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 1)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.fake.sent_to(6).len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn update_kinds_the_bot_ignores_are_acknowledged_and_remembered() {
    let app = webhook_app().await;
    let edited = json!({"update_id": 4242, "edited_message": {
        "message_id": 1, "date": 1, "edit_date": 2,
        "chat": {"id": 7, "type": "private", "first_name": "A"}, "text": "x"}});
    assert_eq!(app.post_webhook(&edited, Some(SECRET)).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE status = 'ignored' AND payload IS NULL")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_whole_conversation_works_through_the_webhook() {
    let app = webhook_app().await;
    app.bind(8, "T002").await;
    let me = app.ask(8, "/me", 1).await;
    assert!(
        me[0].text.starts_with("姓名：李秀英\n编号：T002"),
        "{}",
        me[0].text
    );
    let ready = app
        .http
        .get(format!("{}/readyz", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn an_oversized_body_is_refused_before_it_is_read() {
    let app = webhook_app().await;
    // A genuine update padded past 256 KiB: Telegram sends nothing that large.
    let mut update = app.fake.text_update(5, "/help", "zh");
    update["padding"] = serde_json::Value::String("x".repeat(300 * 1024));
    let r = app.post_webhook(&update, Some(SECRET)).await;
    assert_eq!(r.status(), 413);
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    app.stop().await;
}
