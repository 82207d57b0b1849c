//! The SMS channel end to end: the real application, a fake SMS provider for all three
//! gateways, and a fake Telegram beside it; signed webhooks in, the provider's record out.

mod answers;
mod conversation;
mod delivery;
mod meeting_rsvp;
mod optout;
mod signatures;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::HeaderMap;
use branchbot::channels::sms::{android, generic, twilio};
use branchbot::config::sms::{GatewayKind, Secret};
use branchbot::config::Config;
use branchbot::startup::{Application, Overrides};
use branchbot::store::Store;
use branchbot::testkit::fake_sms::{self, FakeSms, Sent};
use branchbot::testkit::fake_telegram::FakeTelegram;
use serde_json::json;

use crate::helpers::{Db, TestDb, WAIT};

/// The public URL Twilio is told to post to (the bot sits behind a proxy).
pub const PUBLIC_URL: &str = "https://bot.example.org";
/// Signs the Android and generic webhooks.
pub const WEBHOOK_KEY: &str = "webhook-signing-key";

/// 刘洋 (T004), a member; Emily Carter (T009) reads English; nobody has this last one.
pub const LIU: &str = "+8613800010004";
pub const EMILY: &str = "+8613800010009";
pub const STRANGER: &str = "+8613912345678";

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The application with SMS on, and what surrounds it.
pub struct SmsApp {
    pub app: Option<Application>,
    pub sms: FakeSms,
    pub telegram: FakeTelegram,
    /// Kept so the database outlives the app.
    pub _db: TestDb,
    pub store: Store,
    pub gateway: GatewayKind,
    pub http: reqwest::Client,
}

/// Starts the app with `gateway` on SQLite.
pub async fn spawn_sms(gateway: GatewayKind) -> SmsApp {
    spawn_sms_with(gateway, Db::Sqlite, |_| {})
        .await
        .expect("SQLite always works")
}

/// Starts the app with `gateway`, the example college and a configuration tweak. None when
/// the database is unavailable (PostgreSQL outside CI).
pub async fn spawn_sms_with(
    gateway: GatewayKind,
    db: Db,
    tweak: impl FnOnce(&mut Config),
) -> Option<SmsApp> {
    let db = TestDb::new(db).await?;
    let sms = FakeSms::start().await;
    let telegram = FakeTelegram::start().await;
    let store = crate::helpers::open_college(&db.url).await;

    let mut config = Config {
        database_url: db.url.clone(),
        ..Config::default()
    };
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.http.metrics_listen = String::new();
    config.http.public_url = Some(PUBLIC_URL.into());
    config.telegram.token = Some("123456:TEST".into());
    config.telegram.api_url = Some(telegram.api_url());
    config.telegram.poll_timeout_secs = 1;
    // No quiet hours: the tests run at any time of day.
    config.delivery.quiet_hours = "00:00-00:00".into();
    let s = &mut config.sms;
    s.gateway = gateway;
    s.per_second = 50;
    s.timeout_secs = 2;
    s.webhook_key = Some(Secret::new(WEBHOOK_KEY));
    s.twilio.api_url = sms.base_url();
    s.twilio.account_sid = Some(fake_sms::TWILIO_SID.into());
    s.twilio.auth_token = Some(Secret::new(fake_sms::TWILIO_TOKEN));
    s.twilio.from = Some("+15005550006".into());
    s.android.base_url = Some(sms.base_url());
    s.android.username = Some(fake_sms::ANDROID_USER.into());
    s.password = Some(Secret::new(fake_sms::ANDROID_PASSWORD));
    s.generic.url = Some(format!("{}/generic/send", sms.base_url()));
    s.generic.body = Some(r#"{"to":"{to}","content":"{text}","ref":"{id}"}"#.into());
    s.generic.headers.insert(
        "Authorization".into(),
        format!("Bearer {}", fake_sms::GENERIC_TOKEN),
    );
    s.generic.id_pointer = Some("/data/msgId".into());
    s.generic.ok_pointer = Some("/code".into());
    s.generic.ok_value = Some("OK".into());
    tweak(&mut config);
    config.validate().expect("valid test configuration");
    let app = Application::build(config, Overrides::default())
        .await
        .expect("application starts");
    Some(SmsApp {
        app: Some(app),
        sms,
        telegram,
        _db: db,
        store,
        gateway,
        http: reqwest::Client::new(),
    })
}

/// A fresh provider message id.
pub fn fresh_id() -> String {
    format!("m{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// The Twilio message sid a test id stands for: the id itself when it is one, else `SM` and
/// 32 hex digits derived from it (the same id gives the same sid, so a redelivery is one).
pub fn twilio_sid(id: &str) -> String {
    if twilio::is_message_sid(id) {
        return id.to_owned();
    }
    use sha2::Digest;
    let digest = hex::encode(sha2::Sha256::digest(id.as_bytes()));
    format!("SM{}", &digest[..32])
}

/// Now in Unix seconds.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A signed inbound request as the gateway would make it: (headers, body, query).
pub fn signed_text(gateway: GatewayKind, from: &str, text: &str, id: &str) -> (HeaderMap, Vec<u8>) {
    let mut headers = HeaderMap::new();
    let body = match gateway {
        GatewayKind::Twilio => {
            let sid = twilio_sid(id);
            let params: Vec<(String, String)> = [
                ("MessageSid", sid.as_str()),
                ("AccountSid", fake_sms::TWILIO_SID),
                ("From", from),
                ("To", "+15005550006"),
                ("Body", text),
                ("NumMedia", "0"),
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
            let body = json!({
                "deviceId": "ffffffffceb0b1db0000018e937c815b",
                "event": "sms:received",
                "id": id,
                "payload": {
                    "messageId": format!("c-{id}"),
                    "message": text,
                    "phoneNumber": from,
                    "sender": from,
                    "recipient": "+8613000000000",
                    "simNumber": 1,
                    "receivedAt": "2025-12-01T19:30:00.000+08:00"
                },
                "webhookId": "hook-1"
            })
            .to_string()
            .into_bytes();
            android_sign(&mut headers, &body, now_secs());
            body
        }
        GatewayKind::Generic => {
            let body = json!({"from": from, "to": "+8610690000", "text": text, "id": id})
                .to_string()
                .into_bytes();
            generic_sign(&mut headers, &body, now_secs());
            body
        }
        GatewayKind::None => unreachable!("no gateway"),
    };
    (headers, body)
}

/// Signs a generic webhook body at `stamp` (Unix seconds).
pub fn generic_sign(headers: &mut HeaderMap, body: &[u8], stamp: i64) {
    let stamp = stamp.to_string();
    headers.insert(
        generic::SIGNATURE_HEADER,
        generic::sign(WEBHOOK_KEY, body, &stamp).parse().unwrap(),
    );
    headers.insert(generic::TIMESTAMP_HEADER, stamp.parse().unwrap());
    headers.insert("content-type", "application/json".parse().unwrap());
}

/// Signs an Android webhook body at `stamp` (Unix seconds).
pub fn android_sign(headers: &mut HeaderMap, body: &[u8], stamp: i64) {
    let stamp = stamp.to_string();
    headers.insert(
        android::SIGNATURE_HEADER,
        android::sign(WEBHOOK_KEY, body, &stamp).parse().unwrap(),
    );
    headers.insert(android::TIMESTAMP_HEADER, stamp.parse().unwrap());
    headers.insert("content-type", "application/json".parse().unwrap());
}

impl SmsApp {
    pub fn app(&self) -> &Application {
        self.app.as_ref().expect("running")
    }

    /// The inbound webhook URL on the test server.
    pub fn inbound_url(&self) -> String {
        format!(
            "http://{}/sms/{}/inbound",
            self.app().addr,
            self.gateway.as_str()
        )
    }

    /// Posts a prepared webhook request.
    pub async fn post(&self, headers: HeaderMap, body: Vec<u8>) -> reqwest::Response {
        self.http
            .post(self.inbound_url())
            .headers(headers)
            .body(body)
            .send()
            .await
            .expect("webhook request")
    }

    /// A text from `from`, signed by the gateway; asserts it was accepted.
    pub async fn text(&self, from: &str, text: &str) {
        let (headers, body) = signed_text(self.gateway, from, text, &fresh_id());
        let r = self.post(headers, body).await;
        assert_eq!(r.status(), 200, "webhook accepted the text");
    }

    /// Texts and waits for `n` new messages to that number; returns them.
    pub async fn ask(&self, from: &str, text: &str, n: usize) -> Vec<Sent> {
        let before = self.sms.sent_to(from).len();
        self.text(from, text).await;
        let all = self.sms.wait_sent(from, before + n, WAIT).await;
        all[before..].to_vec()
    }

    /// Asserts nothing more reaches `to` for a moment.
    pub async fn quiet(&self, to: &str, expected: usize) {
        tokio::time::sleep(Duration::from_millis(700)).await;
        assert_eq!(
            self.sms.sent_to(to).len(),
            expected,
            "{:#?}",
            self.sms.sent_to(to)
        );
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        crate::helpers::count(&self.store, sql).await
    }

    /// Waits until a count on the database is `expected`, or panics.
    pub async fn eventually(&self, sql: &'static str, expected: i64) {
        crate::helpers::eventually(&self.store, sql, expected).await;
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        self.store.close().await;
    }
}
