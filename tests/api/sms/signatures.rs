//! Every gateway's webhook: a valid signature is needed before anything is read, a replay
//! is refused, a redelivery is answered once, and malformed bodies get 400.

use axum::http::HeaderMap;
use branchbot::channels::sms::{generic, twilio};
use branchbot::config::sms::GatewayKind;
use branchbot::testkit::fake_sms;
use serde_json::json;

use super::{android_sign, fresh_id, now_secs, signed_text, spawn_sms, LIU};

async fn only_signed_requests_are_read(gateway: GatewayKind) {
    let app = spawn_sms(gateway).await;
    let (headers, body) = signed_text(gateway, LIU, "/me", &fresh_id());

    // Tampered: the body says something else than what was signed.
    let mut tampered = body.clone();
    let at = tampered
        .iter()
        .position(|b| *b == b'm')
        .expect("an m to change");
    tampered[at] = b'n';
    let r = app.post(headers.clone(), tampered).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "bad signature");

    // Signed with the wrong key.
    let mut wrong = headers.clone();
    let name = match gateway {
        GatewayKind::Twilio => twilio::HEADER,
        GatewayKind::Android => branchbot::channels::sms::android::SIGNATURE_HEADER,
        _ => generic::SIGNATURE_HEADER,
    };
    let forged = match gateway {
        GatewayKind::Twilio => "0/KCTR6DLpKmkAf8muzZqo1nDgQ=".to_owned(),
        _ => "ab".repeat(32),
    };
    wrong.insert(name, forged.parse().unwrap());
    assert_eq!(app.post(wrong, body.clone()).await.status(), 403);

    // Missing.
    let mut missing = headers.clone();
    missing.remove(name);
    let r = app.post(missing, body.clone()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "missing signature");
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    assert!(app.sms.sent().is_empty());

    // The genuine request is read and answered.
    let r = app.post(headers, body).await;
    assert_eq!(r.status(), 200);
    if gateway == GatewayKind::Twilio {
        assert_eq!(
            r.text().await.unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>"
        );
    }
    let sent = app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;
    assert!(sent[0].text.starts_with("姓名：刘洋"), "{}", sent[0].text);
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn twilio_webhooks_need_twilios_signature() {
    only_signed_requests_are_read(GatewayKind::Twilio).await;
}

#[tokio::test]
async fn android_webhooks_need_the_apps_signature() {
    only_signed_requests_are_read(GatewayKind::Android).await;
}

#[tokio::test]
async fn generic_webhooks_need_the_shared_key() {
    only_signed_requests_are_read(GatewayKind::Generic).await;
}

#[tokio::test]
async fn twilio_signing_the_url_with_its_default_port_is_accepted() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let params: Vec<(String, String)> =
        [("MessageSid", "SMport443"), ("From", LIU), ("Body", "/me")]
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect();
    let url = format!("https://bot.example.org:443{}?source=port", twilio::PATH);
    let mut headers = HeaderMap::new();
    headers.insert(
        twilio::HEADER,
        twilio::signature(fake_sms::TWILIO_TOKEN, &url, &params)
            .parse()
            .unwrap(),
    );
    headers.insert(
        "content-type",
        "application/x-www-form-urlencoded".parse().unwrap(),
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish();
    let r = app
        .http
        .post(format!("{}?source=port", app.inbound_url()))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;
    app.stop().await;
}

#[tokio::test]
async fn a_replayed_android_webhook_is_refused_and_a_redelivery_answered_once() {
    let app = spawn_sms(GatewayKind::Android).await;
    let (_, body) = signed_text(GatewayKind::Android, LIU, "/me", "ev-replay");
    // Captured ten minutes ago and sent again now.
    let mut old = HeaderMap::new();
    android_sign(&mut old, &body, now_secs() - 600);
    let r = app.post(old, body.clone()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "stale timestamp");
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    // The app retries a webhook it thinks failed: same event id, fresh signature.
    for _ in 0..3 {
        let mut fresh = HeaderMap::new();
        android_sign(&mut fresh, &body, now_secs());
        assert_eq!(app.post(fresh, body.clone()).await.status(), 200);
    }
    app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;
    app.quiet(LIU, 1).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_twilio_redelivery_of_the_same_message_is_answered_once() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let (headers, body) = signed_text(GatewayKind::Twilio, LIU, "退订", "SMdup");
    assert_eq!(app.post(headers.clone(), body.clone()).await.status(), 200);
    assert_eq!(app.post(headers, body).await.status(), 200);
    app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;
    app.quiet(LIU, 1).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM sms_optouts").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn signed_but_malformed_bodies_get_400_and_change_nothing() {
    let app = spawn_sms(GatewayKind::Generic).await;
    for body in [
        "".to_owned(),
        "not json".to_owned(),
        "[]".to_owned(),
        json!({"id": "x"}).to_string(),
        json!({"from": LIU, "text": "hi"}).to_string(),
        json!({"id": "y", "from": LIU, "text": 5}).to_string(),
    ] {
        let mut headers = HeaderMap::new();
        headers.insert(
            generic::SIGNATURE_HEADER,
            generic::sign(super::WEBHOOK_KEY, body.as_bytes())
                .parse()
                .unwrap(),
        );
        let r = app.post(headers, body.clone().into_bytes()).await;
        assert_eq!(r.status(), 400, "body {body:?}");
    }
    // Too big to be a text message: refused before it is read.
    let huge = vec![b'x'; 200 * 1024];
    assert_eq!(app.post(HeaderMap::new(), huge).await.status(), 413);
    // Another gateway's path is not served.
    let r = app
        .http
        .post(app.inbound_url().replace("/generic/", "/twilio/"))
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    // A sender that is not a phone number (a short code) is acknowledged and ignored.
    let (headers, body) = signed_text(GatewayKind::Generic, "10086", "话费余额", &fresh_id());
    assert_eq!(app.post(headers, body).await.status(), 200);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE status = 'ignored' AND payload IS NULL")
            .await,
        1
    );
    app.quiet("10086", 0).await;
    app.stop().await;
}
