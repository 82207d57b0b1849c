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
    let sid = super::twilio_sid("port443");
    let params: Vec<(String, String)> = [
        ("MessageSid", sid.as_str()),
        ("AccountSid", fake_sms::TWILIO_SID),
        ("From", LIU),
        ("To", "+15005550006"),
        ("Body", "/me"),
        ("NumMedia", "0"),
    ]
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
async fn a_replayed_generic_webhook_is_refused_and_a_redelivery_answered_once() {
    let app = spawn_sms(GatewayKind::Generic).await;
    let (_, body) = signed_text(GatewayKind::Generic, LIU, "/me", "g-replay");
    // Captured ten minutes ago and sent again now (after its inbox row could be purged).
    let mut old = HeaderMap::new();
    super::generic_sign(&mut old, &body, now_secs() - 600);
    let r = app.post(old, body.clone()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "stale timestamp");
    // Signed with the old scheme (the body alone): unsigned now.
    let mut bare = HeaderMap::new();
    bare.insert(
        generic::SIGNATURE_HEADER,
        generic::sign(super::WEBHOOK_KEY, &body, "")
            .parse()
            .unwrap(),
    );
    let r = app.post(bare, body.clone()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(r.text().await.unwrap(), "missing signature");
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    // Within the window, a redelivery (same id, fresh signature) is answered once.
    for _ in 0..3 {
        let mut fresh = HeaderMap::new();
        super::generic_sign(&mut fresh, &body, now_secs());
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
        super::generic_sign(&mut headers, body.as_bytes(), now_secs());
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

/// A Twilio form as sent, signed over `signed` (which may differ from what is sent).
fn twilio_form(sent: &[(&str, &str)], signed: &[(&str, &str)]) -> (HeaderMap, Vec<u8>) {
    let own = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    let url = format!("{}{}", super::PUBLIC_URL, twilio::PATH);
    let mut headers = HeaderMap::new();
    headers.insert(
        twilio::HEADER,
        twilio::signature(fake_sms::TWILIO_TOKEN, &url, &own(signed))
            .parse()
            .unwrap(),
    );
    headers.insert(
        "content-type",
        "application/x-www-form-urlencoded".parse().unwrap(),
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(sent)
        .finish()
        .into_bytes();
    (headers, body)
}

#[tokio::test]
async fn a_twilio_request_with_shifted_parameter_boundaries_is_refused_and_changes_nothing() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let sid = super::twilio_sid("shift");
    let signed = [
        ("AccountSid", fake_sms::TWILIO_SID),
        ("Body", "/me"),
        ("From", LIU),
        ("MessageSid", sid.as_str()),
        ("NumMedia", "0"),
        ("To", "+15005550006"),
    ];
    // The captured genuine request is read once.
    let (headers, body) = twilio_form(&signed, &signed);
    assert_eq!(app.post(headers, body).await.status(), 200);
    app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;

    // `Body=/me` resent as `Bod=y/me`: the same signed text, no Body.
    let bod: Vec<(&str, &str)> = signed
        .iter()
        .map(|&(k, v)| if k == "Body" { ("Bod", "y/me") } else { (k, v) })
        .collect();
    let (headers, body) = twilio_form(&bod, &signed);
    let r = app.post(headers, body).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "no Body");

    // `MessageSid=<sid>NumMedia0`: a "new" message id made of the old one.
    let longer = format!("{sid}NumMedia0");
    let swallowed: Vec<(&str, &str)> = signed
        .iter()
        .filter(|(k, _)| *k != "NumMedia")
        .map(|&(k, v)| {
            if k == "MessageSid" {
                (k, longer.as_str())
            } else {
                (k, v)
            }
        })
        .collect();
    let (headers, body) = twilio_form(&swallowed, &signed);
    let r = app.post(headers, body).await;
    assert_eq!(r.status(), 400);

    // The plain replay is the same sid: answered 200, processed no second time.
    let (headers, body) = twilio_form(&signed, &signed);
    assert_eq!(app.post(headers, body).await.status(), 200);
    app.quiet(LIU, 1).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn a_twilio_request_for_another_account_is_refused() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let sid = super::twilio_sid("other-account");
    let pairs = [
        ("AccountSid", "AC11111111111111111111111111111111"),
        ("Body", "/me"),
        ("From", LIU),
        ("MessageSid", sid.as_str()),
        ("To", "+15005550006"),
    ];
    let (headers, body) = twilio_form(&pairs, &pairs);
    let r = app.post(headers, body).await;
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "AccountSid is not this account");
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_genuine_twilio_request_with_a_repeated_parameter_is_accepted() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let sid = super::twilio_sid("dup");
    let pairs = [
        ("AccountSid", fake_sms::TWILIO_SID),
        ("Body", "/me"),
        ("Dup", "same"),
        ("Dup", "same"),
        ("From", LIU),
        ("MessageSid", sid.as_str()),
        ("NumMedia", "0"),
        ("To", "+15005550006"),
    ];
    // Signed as Twilio's validator signs it: the repeated value once.
    let (headers, body) = twilio_form(
        &pairs,
        &pairs[..3]
            .iter()
            .chain(&pairs[4..])
            .copied()
            .collect::<Vec<_>>(),
    );
    assert_eq!(app.post(headers, body).await.status(), 200);
    let sent = app.sms.wait_sent(LIU, 1, crate::helpers::WAIT).await;
    assert!(sent[0].text.starts_with("姓名：刘洋"), "{}", sent[0].text);
    app.stop().await;
}
