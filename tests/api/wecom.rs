//! The WeCom channel end to end: the real application with WeCom on, a fake WeCom API
//! (tokens, sends, card updates, per-member limits), a fake SMS gateway for the fallback and a
//! fake Telegram beside them; signed, encrypted callbacks in, the fake's record out.

mod callback;
mod conversation;
mod delivery;
mod files;
mod pledges;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use branchbot::config::sms::{GatewayKind, Secret};
use branchbot::config::Config;
use branchbot::startup::{Application, Overrides};
use branchbot::store::Store;
use branchbot::testkit::fake_sms::{self, FakeSms};
use branchbot::testkit::fake_telegram::FakeTelegram;
use branchbot::testkit::fake_wecom::{self, Callbacks, FakeWecom, Sent};

use crate::helpers::{Db, TestDb, WAIT};

/// 刘洋 (T004) and 王建国 (T001, the secretary) of 教工第一党支部: userids are roster keys.
pub const LIU: &str = "T004";
pub const WANG: &str = "T001";

static NEXT_MSG: AtomicU64 = AtomicU64::new(1);

/// The application with WeCom (and SMS) on, and what surrounds it.
pub struct WecomApp {
    pub app: Option<Application>,
    pub wecom: FakeWecom,
    pub sms: FakeSms,
    pub telegram: FakeTelegram,
    pub _db: TestDb,
    pub store: Store,
    pub http: reqwest::Client,
    pub calls: Callbacks,
}

/// Starts the app on SQLite with WeCom's real limits and userids as roster keys.
pub async fn spawn_wecom() -> WecomApp {
    spawn_wecom_with(Db::Sqlite, FakeWecom::start().await, |_| {})
        .await
        .expect("SQLite always works")
}

/// The configuration the tests run with.
pub fn wecom_config(url: &str, api: &str) -> Config {
    let mut config = Config {
        database_url: url.to_owned(),
        ..Config::default()
    };
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.http.metrics_listen = String::new();
    config.delivery.quiet_hours = "00:00-00:00".into();
    let w = &mut config.wecom;
    w.corp_id = Some(fake_wecom::CORP_ID.into());
    w.agent_id = Some(fake_wecom::AGENT_ID);
    w.api_url = api.to_owned();
    w.userid_is_key = true;
    w.per_second = 200;
    w.timeout_secs = 2;
    w.secret = Some(Secret::new(fake_wecom::SECRET));
    w.token = Some(Secret::new(fake_wecom::TOKEN));
    w.aes_key = Some(Secret::new(fake_wecom::AES_KEY));
    config
}

/// Starts the app with the example college, `wecom` as its WeCom API, an Android SMS gateway
/// and a configuration tweak. None when the database is unavailable.
pub async fn spawn_wecom_with(
    db: Db,
    wecom: FakeWecom,
    tweak: impl FnOnce(&mut Config),
) -> Option<WecomApp> {
    let db = TestDb::new(db).await?;
    let sms = FakeSms::start().await;
    let telegram = FakeTelegram::start().await;
    let store = crate::helpers::open_college(&db.url).await;
    let mut config = wecom_config(&db.url, &wecom.base_url());
    config.telegram.token = Some("123456:TEST".into());
    config.telegram.api_url = Some(telegram.api_url());
    config.telegram.poll_timeout_secs = 1;
    let s = &mut config.sms;
    s.gateway = GatewayKind::Android;
    s.per_second = 50;
    s.timeout_secs = 2;
    s.webhook_key = Some(Secret::new("webhook-signing-key"));
    s.android.base_url = Some(sms.base_url());
    s.android.username = Some(fake_sms::ANDROID_USER.into());
    s.password = Some(Secret::new(fake_sms::ANDROID_PASSWORD));
    tweak(&mut config);
    config.validate().expect("valid test configuration");
    let app = Application::build(config, Overrides::default())
        .await
        .expect("application starts");
    Some(WecomApp {
        app: Some(app),
        wecom,
        sms,
        telegram,
        _db: db,
        store,
        http: reqwest::Client::new(),
        calls: Callbacks::default(),
    })
}

/// A fresh MsgId.
pub fn msg_id() -> u64 {
    4_561_255_354_251_345_929 + NEXT_MSG.fetch_add(1, Ordering::Relaxed)
}

/// Now in Unix seconds.
pub fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

impl WecomApp {
    pub fn app(&self) -> &Application {
        self.app.as_ref().expect("running")
    }

    pub fn url(&self) -> String {
        format!("http://{}/wecom/callback", self.app().addr)
    }

    /// Posts a callback as prepared.
    pub async fn post_raw(&self, query: &str, body: String) -> reqwest::Response {
        self.http
            .post(format!("{}?{query}", self.url()))
            .header("content-type", "text/xml")
            .body(body)
            .send()
            .await
            .expect("callback request")
    }

    /// Posts `inner` encrypted and signed now.
    pub async fn post(&self, inner: &str) -> reqwest::Response {
        let (query, body) = self.calls.post(inner, now_secs());
        self.post_raw(&query, body).await
    }

    /// A text from `from`; asserts WeCom got its empty 200.
    pub async fn say(&self, from: &str, text: &str) {
        let r = self.post(&self.calls.text_xml(from, text, msg_id())).await;
        assert_eq!(r.status(), 200, "callback accepted");
        assert_eq!(r.text().await.unwrap(), "", "an empty answer");
    }

    /// The texts sent to `from` so far.
    pub fn texts(&self, to: &str) -> Vec<String> {
        self.wecom.texts_to(to)
    }

    /// Waits until `to` has `n` texts; returns them all.
    pub async fn wait_texts(&self, to: &str, n: usize) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + WAIT * 2;
        loop {
            let got = self.texts(to);
            if got.len() >= n {
                return got;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "expected {n} texts to {to}, got {got:#?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Says something and waits for `n` new texts to that userid.
    pub async fn ask(&self, from: &str, text: &str, n: usize) -> Vec<String> {
        let before = self.texts(from).len();
        self.say(from, text).await;
        self.wait_texts(from, before + n).await[before..].to_vec()
    }

    /// The last card sent to `to`.
    pub async fn last_card(&self, to: &str) -> Sent {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Some(card) = self
                .wecom
                .sent_to(to)
                .into_iter()
                .rev()
                .find(|s| s.msgtype == "template_card")
            {
                return card;
            }
            assert!(tokio::time::Instant::now() < deadline, "no card to {to}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Clicks the button of `card` whose label ends with `label`; waits for `n` new texts.
    pub async fn tap(&self, from: &str, card: &Sent, label: &str, n: usize) -> Vec<String> {
        let key = card
            .buttons
            .iter()
            .find(|(l, _)| l.ends_with(label))
            .unwrap_or_else(|| panic!("no button {label:?} in {card:#?}"))
            .1
            .clone();
        let before = self.texts(from).len();
        let xml = self.calls.click_xml(
            from,
            &key,
            card.task_id.as_deref().unwrap(),
            &format!("rc-{}", msg_id()),
        );
        let r = self.post(&xml).await;
        assert_eq!(r.status(), 200);
        self.wait_texts(from, before + n).await[before..].to_vec()
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
