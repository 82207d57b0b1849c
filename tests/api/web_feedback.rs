//! The anonymous feedback page over HTTP, on SQLite and PostgreSQL: a phone's browser opens
//! `/f/<code>`, rates, may comment, gets a reply code and reads the answer at `/f/reply`; one
//! rating per period by the device check, the SMS check and the WeCom check (WeCom's web
//! authorization against the fake WeCom); CSRF, floods, sizes, unknown targets and ended
//! periods.

use std::collections::HashMap;

use branchbot::clock::Clock;
use branchbot::config::feedback::WebCheck;
use branchbot::config::sms::{GatewayKind, Secret};
use branchbot::config::Config;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::startup::{Application, Overrides};
use branchbot::store::{members, Store};
use branchbot::testkit::fake_sms::{self, FakeSms};
use branchbot::testkit::fake_wecom::{self, FakeWecom, Visitor};

use crate::feedback::{load_targets, publish};
use crate::helpers::{spawn_with, Db, Spawn, TestApp, TestDb, WAIT};

crate::on_both!(
    a_student_rates_on_the_page_with_and_without_a_comment_and_reads_the_answer_with_the_reply_code,
    a_second_rating_in_the_same_month_is_refused_with_a_clear_page_and_the_next_month_accepts_one,
    a_missing_or_forged_csrf_token_is_refused_and_nothing_is_stored,
    a_flood_gets_429_per_client_and_overall_and_nothing_it_sent_is_stored,
    an_unknown_target_gets_a_404_page_and_oversized_or_incomplete_forms_change_nothing,
    the_sms_check_sends_a_code_and_the_number_becomes_the_chat_s_already_rated_tag_never_stored,
    sms_codes_expire_after_ten_minutes_allow_five_tries_and_are_limited_per_number_and_client,
    the_wecom_check_rates_through_wecom_s_authorization_once_a_month_and_keeps_no_userid_or_openid,
    a_forged_or_replayed_wecom_state_and_an_invalid_or_used_code_are_refused_with_a_clear_page,
);

/// One browser: its cookies, its address as the proxy reports it, its language.
pub struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: HashMap<String, String>,
    /// Sent as `X-Forwarded-For` (the test connects from 127.0.0.1, a local proxy).
    pub forwarded: Option<String>,
    pub accept_language: Option<String>,
    pub user_agent: String,
}

/// A page as the browser got it.
pub struct Page {
    pub status: u16,
    pub body: String,
    pub headers: reqwest::header::HeaderMap,
}

impl Page {
    /// The value of a form field named `name`.
    pub fn field(&self, name: &str) -> String {
        let needle = format!("name=\"{name}\" value=\"");
        let start = self
            .body
            .find(&needle)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.body))
            + needle.len();
        self.body[start..self.body[start..].find('"').unwrap() + start].to_owned()
    }

    /// The reply code of a thank-you page.
    pub fn reply_code(&self) -> String {
        let start = self.body.find("class=\"code\"").expect("a reply code");
        let open = self.body[start..].find('>').unwrap() + start + 1;
        self.body[open..open + 7].to_owned()
    }

    /// The text a person reads: the body without tags.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut in_tag = false;
        for c in self.body.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => out.push(c),
                _ => {}
            }
        }
        out
    }
}

impl Browser {
    pub fn new(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: HashMap::new(),
            forwarded: None,
            accept_language: None,
            user_agent: "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0".into(),
        }
    }

    /// A browser the proxy sees at `address`.
    pub fn at(base: &str, address: &str) -> Self {
        let mut b = Self::new(base);
        b.forwarded = Some(address.to_owned());
        b
    }

    /// Every cookie value this browser holds.
    pub fn cookie_values(&self) -> Vec<String> {
        self.cookies.values().cloned().collect()
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let mut req = req.header("User-Agent", &self.user_agent);
        if let Some(f) = &self.forwarded {
            req = req.header("X-Forwarded-For", f);
        }
        if let Some(l) = &self.accept_language {
            req = req.header("Accept-Language", l);
        }
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("Cookie", jar.join("; "));
        }
        let res = req.send().await.expect("the page answers");
        for c in res.headers().get_all("set-cookie") {
            let c = c.to_str().unwrap();
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').unwrap();
            self.cookies.insert(k.to_owned(), v.to_owned());
        }
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.text().await.unwrap(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.http.get(format!("{}{path}", self.base));
        self.send(req).await
    }

    /// Follows a redirect's `Location` (another site's too: the browser goes where it is sent,
    /// without the URL's `#fragment`).
    pub async fn follow(&mut self, page: &Page) -> Page {
        assert_eq!(page.status, 302, "{}", page.body);
        let location = page.headers["location"].to_str().unwrap();
        let url = location.split('#').next().unwrap().to_owned();
        let req = self.http.get(url);
        self.send(req).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.post_raw(path, body.into_bytes()).await
    }

    pub async fn post_raw(&mut self, path: &str, body: Vec<u8>) -> Page {
        let req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body);
        self.send(req).await
    }

    /// Opens a target's page and rates it (device check); returns the answer to the form.
    pub async fn rate(&mut self, code: &str, rating: &str, comment: &str) -> Page {
        let page = self.get(&format!("/f/{code}")).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let (csrf, period) = (page.field("csrf"), page.field("period"));
        self.post(
            &format!("/f/{code}"),
            &[
                ("csrf", &csrf),
                ("lang", "zh-CN"),
                ("period", &period),
                ("rating", rating),
                ("comment", comment),
            ],
        )
        .await
    }

    /// Reads the answer to a reply code at `/f/reply`.
    pub async fn read_answer(&mut self, code: &str) -> Page {
        let form = self.get("/f/reply").await;
        let csrf = form.field("csrf");
        self.post(
            "/f/reply",
            &[("csrf", &csrf), ("lang", "zh-CN"), ("code", code)],
        )
        .await
    }
}

async fn device_app(db: Db) -> Option<TestApp> {
    let app = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await?;
    load_targets(&app).await;
    Some(app)
}

async fn a_student_rates_on_the_page_with_and_without_a_comment_and_reads_the_answer_with_the_reply_code(
    db: Db,
) {
    let Some(app) = device_app(db).await else {
        return;
    };
    let base = app.base_url();
    let mut phone = Browser::new(&base);
    let page = phone.get("/f/D12-305").await;
    assert_eq!(page.status, 200);
    let text = page.text();
    for expected in [
        "学生党员示范宿舍 · 12号楼 305",
        "总体感受？",
        "满意",
        "基本满意",
        "不满意",
        "想补充几句吗？（可不填）",
        "提交评价",
        "English",
    ] {
        assert!(text.contains(expected), "{expected} in {text}");
    }
    // Small, self-contained, scriptless, and under a strict policy.
    assert!(page.body.len() < 30 * 1024, "{} bytes", page.body.len());
    assert!(!page.body.contains("<script") && !page.body.contains(" src="));
    let csp = page.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.starts_with("default-src 'none'; style-src 'sha256-"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe"), "{csp}");
    assert_eq!(page.headers["cache-control"], "no-store");
    let cookies: Vec<&str> = page
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(
        cookies.iter().all(|c| c.contains("HttpOnly")),
        "{cookies:?}"
    );

    let (csrf, period) = (page.field("csrf"), page.field("period"));
    let thanks = phone
        .post(
            "/f/D12-305",
            &[
                ("csrf", &csrf),
                ("lang", "zh-CN"),
                ("period", &period),
                ("rating", "2"),
                ("comment", "晚上有时比较吵"),
            ],
        )
        .await;
    assert_eq!(thanks.status, 200, "{}", thanks.body);
    let code = thanks.reply_code();
    let text = thanks.text();
    assert!(text.contains("谢谢您的评价"), "{text}");
    assert!(text.contains("只显示这一次"), "{text}");
    assert!(
        text.contains(&format!("之后在 {base}/f/reply 输入回执码")),
        "{text}"
    );
    // Sealed in the pool with the chat's submissions, nothing published yet.
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, 0);
    let pending = phone.read_answer(&code).await;
    assert!(pending
        .text()
        .contains("支部还没有答复，请过几天再来查看。"));

    // Four more phones, without comments: the batch of five is published.
    for n in 0..4 {
        let mut other = Browser::new(&base);
        let done = other.rate("D12-305", "1", "").await;
        assert_eq!(done.status, 200, "phone {n}: {}", done.body);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 5);
    assert_eq!(publish(&app).await, "published 5, waiting 0, unreadable 0");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE rating = 2 AND body = '晚上有时比较吵'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE rating = 1 AND body IS NULL")
            .await,
        4
    );

    // The secretary answers in the chat; the phone reads it with its code.
    app.bind(7101, "S101").await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body IS NOT NULL")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.ask(
        7101,
        &format!("/answer {id} 已提醒宿舍晚上十点后保持安静"),
        1,
    )
    .await;
    let answer = phone.read_answer(&code.to_lowercase()).await;
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .text()
            .contains("支部的答复：已提醒宿舍晚上十点后保持安静"),
        "{}",
        answer.text()
    );
    let wrong = phone.read_answer("AAA-AAA").await;
    assert_eq!(wrong.status, 404);
    assert!(wrong.text().contains("回执码 AAA-AAA 不正确"));

    // English on the switch and by the browser's language; the privacy page says what is kept.
    let english = phone.get("/f/D12-305?lang=en").await;
    assert!(english.text().contains("Send feedback") || english.text().contains("Already rated"));
    let mut visitor = Browser::new(&base);
    visitor.accept_language = Some("en-GB,en;q=0.9,zh;q=0.5".into());
    let page = visitor.get("/f/D12-306").await;
    assert!(
        page.text().contains("How satisfied are you?"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("中文"));
    let privacy = visitor.get("/f/privacy?lang=zh-CN").await;
    assert!(privacy.text().contains("不保存：您的姓名、手机号、IP 地址"));
    assert!(privacy.text().contains("是最弱的方式"));
    app.stop().await;
}

async fn a_second_rating_in_the_same_month_is_refused_with_a_clear_page_and_the_next_month_accepts_one(
    db: Db,
) {
    // 23:50 on 30 November in Shanghai.
    let november = "2026-11-30T15:50:00Z".parse().unwrap();
    let Some(mut app) = spawn_with(Spawn {
        db,
        clock: Some(Clock::starting_at(november)),
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    load_targets(&app).await;
    let mut phone = Browser::new(&app.base_url());
    let first = phone.rate("D12-305", "1", "").await;
    assert_eq!(first.status, 200, "{}", first.body);
    // Opening the page again says so at once.
    let again = phone.get("/f/D12-305").await;
    assert_eq!(again.status, 200);
    assert!(again
        .text()
        .contains("本期您已经评价过这一对象，谢谢！下期可以再次评价。"));
    assert!(!again.body.contains("name=\"rating\""));
    // A form kept open and sent twice is refused too.
    let mut twice = Browser::new(&app.base_url());
    let page = twice.get("/f/D12-306").await;
    let fields = [
        ("csrf", page.field("csrf")),
        ("lang", "zh-CN".into()),
        ("period", page.field("period")),
        ("rating", "3".into()),
        ("comment", String::new()),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(twice.post("/f/D12-306", &fields).await.status, 200);
    let refused = twice.post("/f/D12-306", &fields).await;
    assert_eq!(refused.status, 409);
    assert!(refused.text().contains("本期您已经评价过这一对象"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 2);
    // A page opened in November and sent in December: the period has ended.
    let mut late = Browser::new(&app.base_url());
    let page = late.get("/f/D12-410").await;
    let (csrf, period) = (page.field("csrf"), page.field("period"));
    assert_eq!(period, "2026-11");

    app.restart_at(Clock::starting_at("2026-12-01T02:00:00Z".parse().unwrap()))
        .await;
    let base = app.base_url();
    phone.base = base.clone();
    late.base = base;
    let ended = late
        .post(
            "/f/D12-410",
            &[
                ("csrf", &csrf),
                ("lang", "zh-CN"),
                ("period", &period),
                ("rating", "1"),
                ("comment", "十一月的意见"),
            ],
        )
        .await;
    assert_eq!(ended.status, 410);
    assert!(ended.text().contains("本期评价已结束"), "{}", ended.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 2);
    // December: the same phone rates the same room again.
    let next = phone.rate("D12-305", "1", "好多了").await;
    assert_eq!(next.status, 200, "{}", next.body);
    assert!(next.text().contains("谢谢您的评价"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 3);
    app.stop().await;
}

async fn a_missing_or_forged_csrf_token_is_refused_and_nothing_is_stored(db: Db) {
    let Some(app) = device_app(db).await else {
        return;
    };
    let base = app.base_url();
    let mut phone = Browser::new(&base);
    let page = phone.get("/f/D12-305").await;
    let period = page.field("period");
    let forged = phone
        .post(
            "/f/D12-305",
            &[
                ("csrf", "0123456789abcdef0123456789abcdef"),
                ("period", &period),
                ("rating", "3"),
                ("comment", "伪造的提交"),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.text().contains("页面已过期"), "{}", forged.text());
    // Another site's form: a token copied from a page, but without the browser's cookie.
    let mut elsewhere = Browser::new(&base);
    let stolen = page.field("csrf");
    let refused = elsewhere
        .post(
            "/f/D12-305",
            &[
                ("csrf", &stolen),
                ("period", &period),
                ("rating", "3"),
                ("comment", "跨站提交"),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    let reply = elsewhere
        .post("/f/reply", &[("csrf", &stolen), ("code", "AAA-AAA")])
        .await;
    assert_eq!(reply.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 0);
    app.stop().await;
}

fn tight_limits(c: &mut Config) {
    c.feedback.web_per_client_per_hour = 3;
    c.feedback.web_per_minute = 5;
}

async fn a_flood_gets_429_per_client_and_overall_and_nothing_it_sent_is_stored(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        tweak: Some(tight_limits),
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    load_targets(&app).await;
    let base = app.base_url();
    // One address: three submissions (fresh cookies each time), then 429.
    for n in 0..3 {
        let mut b = Browser::at(&base, "198.51.100.7");
        assert_eq!(b.rate("D12-305", "1", "").await.status, 200, "{n}");
    }
    let mut flood = Browser::at(&base, "198.51.100.7");
    let refused = flood.rate("D12-305", "3", "刷屏").await;
    assert_eq!(refused.status, 429);
    assert!(refused
        .text()
        .contains("提交太频繁，请过一会儿再试。本次内容没有保存。"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 3);
    // Other addresses share the page's overall limit of five a minute.
    for n in 0..2 {
        let mut b = Browser::at(&base, &format!("203.0.113.{n}"));
        assert_eq!(b.rate("D12-306", "1", "").await.status, 200, "{n}");
    }
    let mut sixth = Browser::at(&base, "203.0.113.99");
    assert_eq!(sixth.rate("D12-306", "2", "第六个").await.status, 429);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 5);
    app.stop().await;
}

async fn an_unknown_target_gets_a_404_page_and_oversized_or_incomplete_forms_change_nothing(
    db: Db,
) {
    let Some(app) = device_app(db).await else {
        return;
    };
    let mut phone = Browser::new(&app.base_url());
    let missing = phone.get("/f/NOPE-1").await;
    assert_eq!(missing.status, 404);
    assert!(missing
        .text()
        .contains("没有编号为 NOPE-1 的评价对象。请检查牌子上的二维码或编号。"));
    let page = phone.get("/f/D12-305").await;
    let (csrf, period) = (page.field("csrf"), page.field("period"));
    let huge = phone
        .post_raw(
            "/f/D12-305",
            format!(
                "csrf={csrf}&period={period}&rating=1&comment={}",
                "a".repeat(20_000)
            )
            .into_bytes(),
        )
        .await;
    assert_eq!(huge.status, 413);
    assert!(huge.text().contains("内容太长"));
    // No rating picked: asked again, what was typed kept.
    let unrated = phone
        .post(
            "/f/D12-305",
            &[
                ("csrf", &csrf),
                ("period", &period),
                ("comment", "没选评分"),
            ],
        )
        .await;
    assert_eq!(unrated.status, 400);
    assert!(unrated
        .text()
        .contains("请选择一项：满意、基本满意或不满意。"));
    assert!(unrated.body.contains(">没选评分</textarea>"));
    // A comment longer than the chat allows.
    let long = "吵".repeat(501);
    let too_long = phone
        .post(
            "/f/D12-305",
            &[
                ("csrf", &csrf),
                ("period", &period),
                ("rating", "3"),
                ("comment", &long),
            ],
        )
        .await;
    assert_eq!(too_long.status, 400);
    assert!(too_long.text().contains("意见太长了，最多 500 字。"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 0);
    // The same form, now complete, is accepted.
    let done = phone
        .post(
            "/f/D12-305",
            &[("csrf", &csrf), ("period", &period), ("rating", "3")],
        )
        .await;
    assert_eq!(done.status, 200, "{}", done.body);
    app.stop().await;
}

/// The application with the SMS check on a fake generic gateway.
struct SmsApp {
    app: Option<Application>,
    sms: FakeSms,
    telegram: branchbot::testkit::fake_telegram::FakeTelegram,
    db: TestDb,
    store: Store,
}

impl SmsApp {
    async fn start(db: Db) -> Option<Self> {
        let db = TestDb::new(db).await?;
        let store = Store::open(&db.url).await.expect("open store");
        let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
            .expect("example roster");
        let mut tx = store.begin().await.unwrap();
        members::import(&mut tx, &roster, false, 0).await.unwrap();
        tx.commit().await.unwrap();
        let lines =
            branchbot::domain::targets::parse(include_bytes!("../../examples/targets.csv"), false)
                .unwrap();
        let mut tx = store.begin().await.unwrap();
        branchbot::feedback::load::load(&mut tx, &lines)
            .await
            .unwrap()
            .unwrap();
        tx.commit().await.unwrap();
        let mut app = Self {
            app: None,
            sms: FakeSms::start().await,
            telegram: branchbot::testkit::fake_telegram::FakeTelegram::start().await,
            db,
            store,
        };
        app.run(Clock::System).await;
        Some(app)
    }

    fn config(&self) -> Config {
        let mut config = Config {
            database_url: self.db.url.clone(),
            ..Config::default()
        };
        config.http.listen = "127.0.0.1:0".parse().unwrap();
        config.http.metrics_listen = String::new();
        config.http.public_url = Some(crate::sms::PUBLIC_URL.into());
        config.telegram.token = Some("123456:TEST".into());
        config.telegram.api_url = Some(self.telegram.api_url());
        config.telegram.poll_timeout_secs = 1;
        config.delivery.quiet_hours = "00:00-00:00".into();
        config.feedback.sms_codes_per_client_per_hour = 6;
        let s = &mut config.sms;
        s.gateway = GatewayKind::Generic;
        s.per_second = 50;
        s.timeout_secs = 2;
        s.webhook_key = Some(Secret::new(crate::sms::WEBHOOK_KEY));
        s.generic.url = Some(format!("{}/generic/send", self.sms.base_url()));
        s.generic.body = Some(r#"{"to":"{to}","content":"{text}","ref":"{id}"}"#.into());
        s.generic.headers.insert(
            "Authorization".into(),
            format!("Bearer {}", fake_sms::GENERIC_TOKEN),
        );
        s.generic.id_pointer = Some("/data/msgId".into());
        s.generic.ok_pointer = Some("/code".into());
        s.generic.ok_value = Some("OK".into());
        config.validate().expect("valid test configuration");
        assert_eq!(config.feedback.check(true), WebCheck::Sms);
        config
    }

    async fn run(&mut self, clock: Clock) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        let app = Application::build(
            self.config(),
            Overrides {
                clock: Some(clock),
                ..Overrides::default()
            },
        )
        .await
        .expect("application starts");
        self.app = Some(app);
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.app.as_ref().unwrap().addr)
    }

    async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        self.store.close().await;
    }

    /// Asks for a code for `number` on a target's page; returns the page with the rating form
    /// and the code the fake gateway received.
    async fn ask_code(&self, b: &mut Browser, target: &str, number: &str) -> (Page, String) {
        let to = format!("+86{number}");
        let before = self.sms.sent_to(&to).len();
        let page = b.get(&format!("/f/{target}")).await;
        assert!(page.text().contains("获取验证码"), "{}", page.text());
        let csrf = page.field("csrf");
        let form = b
            .post(
                &format!("/f/{target}/code"),
                &[("csrf", &csrf), ("lang", "zh-CN"), ("phone", number)],
            )
            .await;
        assert_eq!(form.status, 200, "{}", form.text());
        let sent = self.sms.wait_sent(&to, before + 1, WAIT).await;
        let text = &sent[before].text;
        let code: String = text
            .split(|c: char| !c.is_ascii_digit())
            .find(|run| run.len() == 6)
            .unwrap_or_default()
            .to_owned();
        assert_eq!(code.len(), 6, "{text}");
        (form, code)
    }
}

/// Sends the rating form of an SMS-check page with `typed` as the code.
async fn send_rating(
    b: &mut Browser,
    target: &str,
    form: &Page,
    typed: &str,
    comment: &str,
) -> Page {
    b.post(
        &format!("/f/{target}"),
        &[
            ("csrf", &form.field("csrf")),
            ("lang", "zh-CN"),
            ("period", &form.field("period")),
            ("challenge", &form.field("challenge")),
            ("rating", "3"),
            ("comment", comment),
            ("sms_code", typed),
        ],
    )
    .await
}

fn wrong(code: &str) -> String {
    if code == "000000" {
        "111111".into()
    } else {
        "000000".into()
    }
}

async fn the_sms_check_sends_a_code_and_the_number_becomes_the_chat_s_already_rated_tag_never_stored(
    db: Db,
) {
    let Some(app) = SmsApp::start(db).await else {
        return;
    };
    let mut phone = Browser::new(&app.base_url());
    let (form, code) = app.ask_code(&mut phone, "D12-305", "13912345678").await;
    assert!(form
        .text()
        .contains("验证码已发到 +86139****5678，10 分钟内有效。"));
    let text = &app.sms.sent_to("+8613912345678")[0].text;
    assert_eq!(
        text,
        &format!("【学院党委】匿名评价验证码 {code}，10 分钟内有效。")
    );
    let bad = send_rating(&mut phone, "D12-305", &form, &wrong(&code), "").await;
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("验证码不正确，还可以再试 4 次。"));
    let thanks = send_rating(&mut phone, "D12-305", &form, &code, "卫生间的灯坏了").await;
    assert_eq!(thanks.status, 200, "{}", thanks.text());
    assert!(thanks.text().contains("谢谢您的评价"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    // The same challenge sent again, or a new code for the same number: already rated.
    let replay = send_rating(&mut phone, "D12-305", &form, &code, "再来一次").await;
    assert_eq!(replay.status, 409);
    let mut other_phone = Browser::at(&app.base_url(), "203.0.113.5");
    let (form, code) = app
        .ask_code(&mut other_phone, "D12-305", "13912345678")
        .await;
    let again = send_rating(&mut other_phone, "D12-305", &form, &code, "").await;
    assert_eq!(again.status, 409);
    assert!(again.text().contains("本期您已经评价过这一对象"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    // The number is in no file of the database.
    if db == Db::Sqlite {
        app.store.truncate_wal().await;
        let path = app.db.url.trim_start_matches("sqlite://").to_owned();
        for file in [path.clone(), format!("{path}-wal")] {
            let bytes = std::fs::read(&file).unwrap_or_default();
            let found = bytes.windows(11).any(|w| w == b"13912345678");
            assert!(!found, "the number is readable in {file}");
        }
    }
    // Texting the keyword from that number meets the same tag.
    let (headers, body) = crate::sms::signed_text(
        GatewayKind::Generic,
        "+8613912345678",
        "评价 D12-305",
        "web-1",
    );
    let res = reqwest::Client::new()
        .post(format!("{}/sms/generic/inbound", app.base_url()))
        .headers(headers)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let sms = app.sms.wait_sent("+8613912345678", 3, WAIT).await;
    assert!(
        sms[2].text.starts_with("本期您已经评价过这一对象"),
        "{:?}",
        sms[2].text
    );
    app.stop().await;
}

async fn sms_codes_expire_after_ten_minutes_allow_five_tries_and_are_limited_per_number_and_client(
    db: Db,
) {
    let Some(mut app) = SmsApp::start(db).await else {
        return;
    };
    let mut phone = Browser::at(&app.base_url(), "198.51.100.20");
    // Five wrong tries end the challenge, even for the right code afterwards.
    let (form, code) = app.ask_code(&mut phone, "D12-305", "13900000001").await;
    for left in [4, 3, 2, 1] {
        let bad = send_rating(&mut phone, "D12-305", &form, &wrong(&code), "").await;
        assert!(
            bad.text().contains(&format!("还可以再试 {left} 次")),
            "{}",
            bad.text()
        );
    }
    let fifth = send_rating(&mut phone, "D12-305", &form, &wrong(&code), "").await;
    assert_eq!(fifth.status, 429);
    assert!(fifth.text().contains("验证码输错次数过多"));
    let late = send_rating(&mut phone, "D12-305", &form, &code, "").await;
    assert_eq!(late.status, 429);
    // Three codes an hour for one number.
    app.ask_code(&mut phone, "D12-306", "13900000001").await;
    app.ask_code(&mut phone, "D12-306", "13900000001").await;
    let page = phone.get("/f/D12-306").await;
    let fourth = phone
        .post(
            "/f/D12-306/code",
            &[("csrf", &page.field("csrf")), ("phone", "13900000001")],
        )
        .await;
    assert_eq!(fourth.status, 429);
    assert!(fourth.text().contains("验证码发送太频繁，请一小时后再试。"));
    assert_eq!(app.sms.sent_to("+8613900000001").len(), 3);
    // Six codes an hour for one client, whatever the numbers.
    app.ask_code(&mut phone, "D12-306", "13900000002").await;
    app.ask_code(&mut phone, "D12-306", "13900000003").await;
    let (expiring, code) = app.ask_code(&mut phone, "D12-410", "13900000004").await;
    let page = phone.get("/f/D12-306").await;
    let seventh = phone
        .post(
            "/f/D12-306/code",
            &[("csrf", &page.field("csrf")), ("phone", "13900000005")],
        )
        .await;
    assert_eq!(seventh.status, 429);
    assert!(app.sms.sent_to("+8613900000005").is_empty());
    // Eleven minutes later the code has expired.
    let later = chrono::Utc::now() + chrono::TimeDelta::minutes(11);
    app.run(Clock::starting_at(later)).await;
    phone.base = app.base_url();
    let expired = send_rating(&mut phone, "D12-410", &expiring, &code, "过期了").await;
    assert_eq!(expired.status, 400);
    assert!(expired.text().contains("验证码已超过 10 分钟"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 0);
    app.stop().await;
}

/// WeCom's in-app browser on a phone.
const WXWORK_UA: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 wxwork/4.1.30 MicroMessenger/7.0.1 NetType/WIFI Language/zh ColorScheme/Light";
/// A member of the organisation who is not on the Party roster (a staff member), and a
/// student from outside it, as WeCom names them: neither may be left anywhere.
const USERID: &str = "zhangwei.k7q2x";
const OPENID: &str = "oAmZr9k2-outsider-5Tq8Lw";

/// The application with WeCom on and the feedback page's `wecom` check, the targets loaded.
async fn wecom_app(db: Db) -> Option<crate::wecom::WecomApp> {
    let fake = FakeWecom::start().await;
    let authorize = fake.authorize_url();
    let app = crate::wecom::spawn_wecom_with(db, fake, move |c| {
        c.feedback.web_check = Some(WebCheck::Wecom);
        c.feedback.wecom_authorize_url = authorize;
    })
    .await?;
    let lines =
        branchbot::domain::targets::parse(include_bytes!("../../examples/targets.csv"), false)
            .unwrap();
    let mut tx = app.store.begin().await.unwrap();
    branchbot::feedback::load::load(&mut tx, &lines)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    Some(app)
}

fn wecom_base(app: &crate::wecom::WecomApp) -> String {
    format!("http://{}", app.app().addr)
}

/// Opens a target's page in WeCom as `visitor`: the page sends the browser to WeCom's
/// authorization, WeCom sends it back with a code; returns the page the bot shows then.
async fn open_in_wecom(
    app: &crate::wecom::WecomApp,
    b: &mut Browser,
    target: &str,
    visitor: Visitor,
) -> Page {
    b.user_agent = WXWORK_UA.into();
    app.wecom.visit_as(visitor);
    let first = b.get(&format!("/f/{target}")).await;
    assert_eq!(first.status, 302, "{}", first.text());
    let to_wecom = b.follow(&first).await;
    assert_eq!(to_wecom.status, 302, "{}", to_wecom.body);
    b.follow(&to_wecom).await
}

/// Sends the rating form reached through WeCom.
async fn rate_after_wecom(b: &mut Browser, target: &str, form: &Page, comment: &str) -> Page {
    b.post(
        &format!("/f/{target}"),
        &[
            ("csrf", &form.field("csrf")),
            ("lang", "zh-CN"),
            ("period", &form.field("period")),
            ("pass", &form.field("pass")),
            ("rating", "2"),
            ("comment", comment),
        ],
    )
    .await
}

async fn the_wecom_check_rates_through_wecom_s_authorization_once_a_month_and_keeps_no_userid_or_openid(
    db: Db,
) {
    let logs = crate::anonymity::logs();
    let Some(app) = wecom_app(db).await else {
        return;
    };
    let base = wecom_base(&app);
    // In WeChat (not WeCom) the page says where to open it, in the reader's language.
    let mut wechat = Browser::new(&base);
    let outside = wechat.get("/f/D12-305").await;
    assert_eq!(outside.status, 200);
    assert!(
        outside.text().contains("请在企业微信中打开")
            && outside.text().contains(&format!(
                "本评价页面只能在企业微信中使用，以确认每人每月只评价一次。请用企业微信扫描二维码，或在企业微信中打开 {base}/f/D12-305。"
            )),
        "{}",
        outside.text()
    );
    assert!(!outside.body.contains("name=\"rating\""));
    let english = wechat.get("/f/D12-305?lang=en").await;
    assert!(
        english
            .text()
            .contains("This feedback page works only inside WeCom (企业微信)"),
        "{}",
        english.text()
    );

    // In WeCom: the page goes to WeCom's silent authorization with the app's ids.
    let mut phone = Browser::new(&base);
    phone.user_agent = WXWORK_UA.into();
    let first = phone.get("/f/D12-305").await;
    assert_eq!(first.status, 302);
    let location = first.headers["location"].to_str().unwrap().to_owned();
    let expected_start = format!(
        "{}?appid={}&redirect_uri={}&response_type=code&scope=snsapi_base&state=",
        app.wecom.authorize_url(),
        fake_wecom::CORP_ID,
        form_urlencoded::byte_serialize(format!("{base}/f/D12-305/wecom?lang=zh-CN").as_bytes())
            .collect::<String>()
    );
    assert!(location.starts_with(&expected_start), "{location}");
    assert!(
        location.ends_with(&format!(
            "&agentid={}#wechat_redirect",
            fake_wecom::AGENT_ID
        )),
        "{location}"
    );
    // Back from WeCom: the rating form, which holds nothing of the userid.
    let form = open_in_wecom(&app, &mut phone, "D12-305", Visitor::Member(USERID.into())).await;
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(form.text().contains("总体感受？"), "{}", form.text());
    assert!(!form.body.contains(USERID));
    let thanks = rate_after_wecom(&mut phone, "D12-305", &form, "自习室的灯晚上十点就关了").await;
    assert_eq!(thanks.status, 200, "{}", thanks.text());
    assert!(thanks.text().contains("谢谢您的评价"), "{}", thanks.text());
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    // The same form sent again, and the same account on another phone: already rated.
    let replay = rate_after_wecom(&mut phone, "D12-305", &form, "再来一次").await;
    assert_eq!(replay.status, 409);
    assert!(replay.text().contains("本期您已经评价过这一对象"));
    let mut second = Browser::new(&base);
    let again = open_in_wecom(&app, &mut second, "D12-305", Visitor::Member(USERID.into())).await;
    assert_eq!(again.status, 200);
    assert!(
        again
            .text()
            .contains("本期您已经评价过这一对象，谢谢！下期可以再次评价。"),
        "{}",
        again.text()
    );
    assert!(!again.body.contains("name=\"rating\""));
    // The account may rate another target; someone outside the organisation rates by openid.
    let other = open_in_wecom(&app, &mut second, "D12-306", Visitor::Member(USERID.into())).await;
    assert_eq!(
        rate_after_wecom(&mut second, "D12-306", &other, "")
            .await
            .status,
        200
    );
    let mut student = Browser::new(&base);
    let form = open_in_wecom(
        &app,
        &mut student,
        "D12-305",
        Visitor::Outsider(OPENID.into()),
    )
    .await;
    let done = rate_after_wecom(&mut student, "D12-305", &form, "").await;
    assert_eq!(done.status, 200, "{}", done.text());
    let mut later = Browser::new(&base);
    let twice = open_in_wecom(
        &app,
        &mut later,
        "D12-305",
        Visitor::Outsider(OPENID.into()),
    )
    .await;
    assert!(twice.text().contains("本期您已经评价过这一对象"));
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 3);
    assert_eq!(app.wecom.unused_codes(), 0, "every code was used once");
    // The privacy page says what this check proves.
    let privacy = wechat.get("/f/privacy?lang=zh-CN").await;
    assert!(privacy
        .text()
        .contains("本页通过企业微信确认：企业微信告知打开本页的企业微信账号"));

    // Forensics: neither the userid nor the openid is in any file of the database or any log.
    let store = app.store.clone();
    let url = app._db.url.clone();
    store.truncate_wal().await;
    for (file, bytes) in crate::anonymity::db_files(&store, &url, db).await {
        for id in [USERID, OPENID] {
            let found = bytes.windows(id.len()).any(|w| w == id.as_bytes());
            assert!(!found, "{id} is readable in the database file {file}");
        }
    }
    app.stop().await;
    // Every line logged so far, by this test's application and any other.
    let logs = logs.text();
    let me = std::thread::current().name().unwrap_or("").to_owned();
    assert!(
        logs.lines()
            .any(|l| l.contains(me.as_str()) && l.contains("WeCom connected")),
        "this test's logs were captured"
    );
    for line in logs.lines() {
        assert!(
            !line.contains(USERID) && !line.contains(OPENID),
            "a log line names the WeCom account: {line}"
        );
    }
}

async fn a_forged_or_replayed_wecom_state_and_an_invalid_or_used_code_are_refused_with_a_clear_page(
    db: Db,
) {
    let Some(app) = wecom_app(db).await else {
        return;
    };
    let base = wecom_base(&app);
    app.wecom.visit_as(Visitor::Member(USERID.into()));
    let mut phone = Browser::new(&base);
    phone.user_agent = WXWORK_UA.into();
    let first = phone.get("/f/D12-305").await;
    let back = phone.follow(&first).await;
    let back_url = back.headers["location"].to_str().unwrap().to_owned();
    let path_of = |url: &str| url[base.len()..].to_owned();
    let params: HashMap<String, String> =
        form_urlencoded::parse(back_url.split_once('?').unwrap().1.as_bytes())
            .into_owned()
            .collect();
    let state = params["state"].clone();
    // A forged state, or the right one on another target: refused, the code left unused.
    let forged = phone
        .get(&format!(
            "/f/D12-305/wecom?lang=zh-CN&code={}&state=1234Z{}Z{}",
            params["code"],
            "0".repeat(32),
            "f".repeat(32)
        ))
        .await;
    assert_eq!(forged.status, 403);
    assert!(forged.text().contains("页面已过期"), "{}", forged.text());
    let moved = phone
        .get(&format!(
            "/f/D12-306/wecom?lang=zh-CN&code={}&state={state}",
            params["code"]
        ))
        .await;
    assert_eq!(moved.status, 403);
    // Another browser (another form cookie) cannot use this browser's state.
    let mut elsewhere = Browser::new(&base);
    elsewhere.user_agent = WXWORK_UA.into();
    elsewhere.get("/f/D12-305").await;
    let stolen = elsewhere.get(&path_of(&back_url)).await;
    assert_eq!(stolen.status, 403);
    assert_eq!(app.wecom.unused_codes(), 1);
    // The real way back works once; the same state again is refused.
    let form = phone.get(&path_of(&back_url)).await;
    assert_eq!(form.status, 200, "{}", form.text());
    let replayed = phone.get(&path_of(&back_url)).await;
    assert_eq!(replayed.status, 403);
    assert!(replayed.text().contains("重新打开评价页面"));
    // A fresh state with a code WeCom does not know, or one already used: WeCom answers 40029.
    for code in ["not-a-code".to_owned(), params["code"].clone()] {
        let first = phone.get("/f/D12-306").await;
        let location = first.headers["location"].to_str().unwrap().to_owned();
        let fresh: HashMap<String, String> = form_urlencoded::parse(
            location
                .split('#')
                .next()
                .unwrap()
                .split_once('?')
                .unwrap()
                .1
                .as_bytes(),
        )
        .into_owned()
        .collect();
        let refused = phone
            .get(&format!(
                "/f/D12-306/wecom?lang=zh-CN&code={code}&state={}",
                fresh["state"]
            ))
            .await;
        assert_eq!(refused.status, 400, "{}", refused.text());
        assert!(
            refused
                .text()
                .contains("企业微信的确认已过期或已使用，本次内容没有保存。请重新打开评价页面。"),
            "{}",
            refused.text()
        );
    }
    // A rating form without the pass WeCom's answer earned, or with one from another browser.
    let forged_pass = phone
        .post(
            "/f/D12-305",
            &[
                ("csrf", &form.field("csrf")),
                ("period", &form.field("period")),
                ("pass", "s1:AAAA"),
                ("rating", "3"),
            ],
        )
        .await;
    assert_eq!(forged_pass.status, 403);
    // Its own form token, but the pass copied from the other phone.
    let own = elsewhere.get("/f/reply").await.field("csrf");
    let copied = elsewhere
        .post(
            "/f/D12-305",
            &[
                ("csrf", &own),
                ("period", &form.field("period")),
                ("pass", &form.field("pass")),
                ("rating", "3"),
            ],
        )
        .await;
    assert_eq!(copied.status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_seen").await, 0);
    // The pass itself still works for its own browser.
    let done = rate_after_wecom(&mut phone, "D12-305", &form, "").await;
    assert_eq!(done.status, 200, "{}", done.text());
    app.stop().await;
}

#[tokio::test]
async fn the_wecom_check_without_the_wecom_channel_refuses_to_start_and_says_what_to_set() {
    let mut config = Config::default();
    config.feedback.web_check = Some(WebCheck::Wecom);
    let err = config.validate().unwrap_err().to_string();
    assert!(
        err.contains("needs the WeCom channel")
            && err.contains("BRANCHBOT_WECOM_CORP_ID")
            && err.contains("\"device\""),
        "{err}"
    );
    let db = TestDb::new(Db::Sqlite).await.unwrap();
    config.database_url = db.url.clone();
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.http.metrics_listen = String::new();
    let refused = Application::build(config, Overrides::default()).await;
    assert!(refused.is_err());
}
