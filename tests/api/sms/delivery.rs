//! Sending through a misbehaving gateway, delivery receipts, and the daily cap.

use std::time::Duration;

use axum::http::HeaderMap;
use branchbot::channels::sms::twilio;
use branchbot::config::sms::GatewayKind;
use branchbot::testkit::fake_sms::{self, Fault};
use serde_json::json;

use super::{android_sign, now_secs, spawn_sms, spawn_sms_with, SmsApp, LIU, PUBLIC_URL};
use crate::helpers::Db;

/// The reply row's (status, attempts, rate_limited, last_error).
async fn reply_row(app: &SmsApp) -> (String, i64, i64, Option<String>) {
    sqlx::query_as(
        "SELECT status, attempts, rate_limited, last_error FROM outbox ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_429_waits_a_5xx_is_retried_and_an_invalid_number_fails() {
    let app = spawn_sms(GatewayKind::Android).await;
    app.sms.fault(Fault::RetryAfter(1));
    let start = std::time::Instant::now();
    let first = app.ask(LIU, "/me", 1).await;
    assert!(first[0].text.starts_with("姓名：刘洋"));
    assert!(start.elapsed() >= Duration::from_millis(900));
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 1 AND rate_limited = 1",
        1,
    )
    .await;

    app.sms.fault(Fault::ServerError(503));
    app.ask(LIU, "/me", 1).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2",
        1,
    )
    .await;

    app.sms.fault(Fault::InvalidNumber);
    app.text(LIU, "/me").await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE status = 'failed'", 1)
        .await;
    let (status, attempts, _, error) = reply_row(&app).await;
    assert_eq!((status.as_str(), attempts), ("failed", 1));
    assert_eq!(error.as_deref(), Some("HTTP 400: invalid phone number"));
    assert_eq!(app.sms.refused(), 3);
    app.stop().await;
}

#[tokio::test]
async fn a_gateway_that_does_not_answer_in_time_is_tried_again() {
    let app = spawn_sms(GatewayKind::Generic).await;
    app.sms.fault(Fault::Slow(Duration::from_secs(4)));
    app.text(LIU, "/me").await;
    // The first attempt times out after 2 s and is tried again.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND attempts = 2",
        1,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn twilio_unsubscribed_numbers_are_blocked_not_retried() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    app.sms.fault(Fault::Unsubscribed);
    app.text(LIU, "/me").await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE status = 'blocked'", 1)
        .await;
    let (_, attempts, _, error) = reply_row(&app).await;
    assert_eq!(attempts, 1);
    assert!(error.unwrap().contains("21610"));
    app.stop().await;
}

/// Posts a receipt for `id` saying `status`, signed as the gateway signs it.
async fn receipt(app: &SmsApp, id: &str, status: &str) -> u16 {
    let mut headers = HeaderMap::new();
    let body = match app.gateway {
        GatewayKind::Twilio => {
            // An id that is no Twilio sid stands for one the bot never sent.
            let sid = super::twilio_sid(id);
            let params: Vec<(String, String)> = [
                ("MessageSid", sid.as_str()),
                ("MessageStatus", status),
                (
                    "ErrorCode",
                    if status == "delivered" { "" } else { "30003" },
                ),
                ("AccountSid", fake_sms::TWILIO_SID),
            ]
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
            let url = format!("{PUBLIC_URL}{}", twilio::PATH);
            let sig = twilio::signature(fake_sms::TWILIO_TOKEN, &url, &params);
            headers.insert(twilio::HEADER, sig.parse().unwrap());
            headers.insert(
                "content-type",
                "application/x-www-form-urlencoded".parse().unwrap(),
            );
            form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&params)
                .finish()
                .into_bytes()
        }
        GatewayKind::Android => {
            let event = match status {
                "delivered" => "sms:delivered",
                "sent" => "sms:sent",
                _ => "sms:failed",
            };
            let body = json!({
                "event": event, "id": format!("ev-{id}"), "deviceId": "d",
                "payload": {"messageId": id, "phoneNumber": LIU, "reason": "RESULT_ERROR_GENERIC_FAILURE"}
            })
            .to_string()
            .into_bytes();
            android_sign(&mut headers, &body, now_secs());
            body
        }
        _ => {
            let body = json!({"id": id, "status": status, "error": "blacklisted"})
                .to_string()
                .into_bytes();
            super::generic_sign(&mut headers, &body, now_secs());
            body
        }
    };
    app.post(headers, body).await.status().as_u16()
}

async fn receipts_update_rows(gateway: GatewayKind) {
    let app = spawn_sms(gateway).await;
    let first = app.ask(LIU, "/me", 1).await;
    let second = app.ask(LIU, "/help", 1).await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 2)
        .await;
    assert_eq!(receipt(&app, &first[0].id, "delivered").await, 200);
    assert_eq!(receipt(&app, &second[0].id, "undelivered").await, 200);
    // A receipt for a message the bot never sent changes nothing.
    assert_eq!(receipt(&app, "nobody-sent-this", "delivered").await, 200);
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT status, last_error FROM outbox ORDER BY id")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(rows[0], ("delivered".into(), None));
    assert_eq!(rows[1].0, "failed");
    let error = rows[1].1.clone().unwrap();
    let expected = match gateway {
        GatewayKind::Twilio => "twilio: undelivered (30003)",
        GatewayKind::Android => "android: RESULT_ERROR_GENERIC_FAILURE",
        _ => "gateway: undelivered (blacklisted)",
    };
    assert_eq!(error, expected);
    // Receipts never move a row back.
    assert_eq!(receipt(&app, &first[0].id, "sent").await, 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'delivered'")
            .await,
        1
    );
    if gateway == GatewayKind::Twilio {
        assert_eq!(
            first[0].status_callback.as_deref(),
            Some("https://bot.example.org/sms/twilio/inbound")
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn twilio_status_callbacks_update_the_row() {
    receipts_update_rows(GatewayKind::Twilio).await;
}

#[tokio::test]
async fn android_delivery_events_update_the_row() {
    receipts_update_rows(GatewayKind::Android).await;
}

#[tokio::test]
async fn generic_receipts_update_the_row() {
    receipts_update_rows(GatewayKind::Generic).await;
}

#[tokio::test]
async fn a_number_gets_its_daily_cap_of_notices_and_the_rest_waits_for_tomorrow() {
    let app = spawn_sms_with(GatewayKind::Android, Db::Sqlite, |c| c.sms.daily_cap = 2)
        .await
        .unwrap();
    for key in ["c1", "c2", "c3"] {
        super::optout::notice(&app, LIU, key, false).await;
    }
    // The three are sent concurrently, one at a time per number: whichever comes third waits.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key IN ('c1', 'c2', 'c3') \
         AND status = 'pending' AND last_error LIKE 'daily cap of 2 SMS%' AND attempts = 0",
        1,
    )
    .await;
    assert_eq!(app.sms.sent_to(LIU).len(), 2);
    // It waits until the next local day in Shanghai.
    let (due,): (i64,) = sqlx::query_as(
        "SELECT next_attempt_at FROM outbox WHERE dedupe_key IN ('c1', 'c2', 'c3') \
         AND status = 'pending'",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    let (_, tomorrow) =
        branchbot::channels::sms::local_day(chrono::Utc::now(), chrono_tz::Asia::Shanghai);
    assert!(due >= tomorrow, "due {due}, tomorrow {tomorrow}");
    // An answer to the member still goes.
    let reply = app.ask(LIU, "/me", 1).await;
    assert!(reply[0].text.starts_with("姓名："));
    app.stop().await;
}
