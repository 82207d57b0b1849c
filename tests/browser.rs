//! The web pages in a real browser: Debian's headless Chromium, driven through chromedriver
//! with fantoccini. A committee member gets the one-time link through the chat, opens it, reads
//! the overview, follows the link to a branch and reads that page; and a student on a phone
//! (a 360×740 viewport) scans a plaque, rates, comments, keeps the reply code and later reads
//! the secretary's answer, on a page that holds no script; then again on a phone whose browser
//! blocks JavaScript altogether (Chromium's content setting, proved on a page with a script),
//! where the plain forms must do everything. Screenshots go to `test-artifacts/`.
//!
//! Without Chromium and chromedriver the test says it was skipped and how to install them,
//! except under CI (`CI` set), where it fails: `.ci/run` installs them.

#[allow(dead_code, unused_imports)]
#[path = "api/helpers.rs"]
mod helpers;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::store::members;
use chrono::{TimeDelta, Utc};
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

use helpers::{spawn_app, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// 吴桂兰 (T010), on the college committee.
const COMMITTEE: i64 = 10;

/// chromedriver as a child process, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Driver {
    async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let driver = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let ready = http
                .get(format!("{}/status", driver.url))
                .send()
                .await
                .ok()
                .filter(|r| r.status().is_success());
            if ready.is_some() {
                return driver;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not answer on {}",
                driver.url
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn browser(&self) -> Client {
        self.connect(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1280,900",
                    "--lang=zh-CN",
                ],
            },
        }))
        .await
    }

    /// A phone: a 360×740 viewport (headless windows are at least 500 px wide, so the phone's
    /// screen is emulated) and WeChat's user agent.
    async fn phone(&self) -> Client {
        self.connect(serde_json::json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=360,740",
                    "--lang=zh-CN",
                ],
                "mobileEmulation": {
                    "deviceMetrics": { "width": 360, "height": 740, "pixelRatio": 2.0 },
                    "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50",
                },
                "prefs": { "intl.accept_languages": "zh-CN,zh" },
            },
        }))
        .await
    }

    /// The phone with JavaScript blocked (Chromium's content setting: scripts do not run on any
    /// page). chromedriver's `mobileEmulation` cannot be combined with blocked scripts (its
    /// element commands then hang), so the 360×740 screen is set over the DevTools protocol
    /// (`Emulation.setDeviceMetricsOverride`) and WeChat's user agent by a switch.
    async fn phone_without_scripts(&self) -> Client {
        let phone = self
            .connect(serde_json::json!({
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--window-size=360,740",
                        "--lang=zh-CN",
                        "--user-agent=Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36 MicroMessenger/8.0.50",
                    ],
                    "prefs": {
                        "intl.accept_languages": "zh-CN,zh",
                        "profile.managed_default_content_settings.javascript": 2,
                    },
                },
            }))
            .await;
        let session = phone
            .session_id()
            .await
            .expect("the session")
            .expect("a session id");
        let answer = reqwest::Client::new()
            .post(format!("{}/session/{session}/goog/cdp/execute", self.url))
            .json(&serde_json::json!({
                "cmd": "Emulation.setDeviceMetricsOverride",
                "params": { "width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true },
            }))
            .send()
            .await
            .expect("chromedriver answers");
        assert!(answer.status().is_success(), "{:?}", answer.text().await);
        phone
    }

    async fn connect(&self, caps: serde_json::Value) -> Client {
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("a Chromium session")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the browser is installed; outside CI a missing one skips the test.
fn browser_available() -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let note = format!(
        "{} not found; install with `apt-get install chromium chromium-driver`",
        missing.join(" and ")
    );
    if std::env::var_os("CI").is_some() {
        panic!("the browser test is required in CI: {note}");
    }
    eprintln!("skipped: {note}");
    false
}

fn artifact(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("test-artifacts/ is writable");
    dir.join(name)
}

/// A general meeting of 教工第一党支部 an hour ago: six expected, four signed in.
async fn seed(app: &TestApp) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    let branch = members::branch_id(&mut conn, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    let mut ids = Vec::new();
    for key in ["T001", "T002", "T003", "T004", "T005", "T006"] {
        ids.push(members::find(&mut conn, key).await.unwrap().unwrap().id);
    }
    let start = Utc::now() - TimeDelta::hours(2);
    let meeting = meetings::create(
        &mut conn,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: start.timestamp_millis(),
            ends_at: (start + TimeDelta::hours(1)).timestamp_millis(),
            place: "党员活动室".into(),
            topic: "学习新修订的党章".into(),
            created_by: Some(ids[0]),
            attendees: ids.clone(),
            signin_code: "4711".into(),
        },
        start.timestamp_millis(),
    )
    .await
    .unwrap();
    for id in &ids[..4] {
        meetings::sign_in(
            &mut conn,
            meeting,
            *id,
            start.timestamp_millis(),
            false,
            None,
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn a_committee_member_logs_in_through_the_chat_link_and_reads_the_dashboard_in_chromium() {
    if !browser_available() {
        return;
    }
    let driver = Driver::start().await;
    let app = spawn_app().await;
    app.bind(COMMITTEE, "T010").await;
    seed(&app).await;
    let reply = app.ask(COMMITTEE, "/dashboard", 1).await;
    let text = &reply[0].text;
    let link = text[text.find("http://").expect("a link in the reply")..]
        .trim()
        .to_owned();

    let browser = driver.browser().await;
    let checked = async {
        browser.goto(&link).await?;
        // The link redirects to the overview and sets the cookie.
        let url = browser.current_url().await?;
        assert_eq!(url.path(), "/dashboard");
        let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
        assert!(h1.starts_with("各支部工作情况 · "), "{h1}");
        let table = browser.find(Locator::Css("table")).await?.text().await?;
        for branch in ["教工第一党支部", "学生第一党支部", "学生第二党支部"] {
            assert!(table.contains(branch), "{branch} in {table}");
        }
        assert!(
            table.contains("67%"),
            "attendance of 教工第一党支部: {table}"
        );
        // The session cookie is out of reach of scripts.
        let visible = browser.execute("return document.cookie;", vec![]).await?;
        assert_eq!(visible, serde_json::json!(""));
        let cookies = browser.get_all_cookies().await?;
        let session = cookies
            .iter()
            .find(|c| c.name() == "branchbot_session")
            .expect("the session cookie");
        assert_eq!(session.http_only(), Some(true));
        std::fs::write(
            artifact("dashboard-overview.png"),
            browser.screenshot().await?,
        )
        .expect("screenshot saved");

        browser
            .find(Locator::LinkText("教工第一党支部"))
            .await?
            .click()
            .await?;
        let path = wait_for_path(&browser, "/dashboard/branch/").await?;
        assert!(path.starts_with("/dashboard/branch/"), "{path}");
        let h1 = browser.find(Locator::Css("h1")).await?.text().await?;
        assert!(h1.starts_with("教工第一党支部 · "), "{h1}");
        let body = browser.find(Locator::Css("main")).await?.text().await?;
        for expected in [
            "三会一课",
            "学习新修订的党章",
            "党员承诺",
            "通知",
            "群众评价",
        ] {
            assert!(body.contains(expected), "{expected} in {body}");
        }
        // The charts are images the browser could load and draw.
        let charts = browser
            .execute(
                "const imgs = Array.from(document.querySelectorAll('figure img')); \
                 return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0);",
                vec![],
            )
            .await?;
        assert_eq!(charts, serde_json::json!(true), "every chart loads");
        let figure = browser.find(Locator::Css("figure")).await?;
        std::fs::write(
            artifact("dashboard-branch-chart.png"),
            figure.screenshot().await?,
        )
        .expect("screenshot saved");
        std::fs::write(
            artifact("dashboard-branch.png"),
            browser.screenshot().await?,
        )
        .expect("screenshot saved");
        Ok::<_, fantoccini::error::CmdError>(())
    }
    .await;
    browser.close().await.ok();
    checked.expect("the browser session");
    app.stop().await;
    drop(driver);
}

/// The page's path once it starts with `prefix` (or whatever it is after ten seconds).
async fn wait_for_path(
    browser: &Client,
    prefix: &str,
) -> Result<String, fantoccini::error::CmdError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let path = browser.current_url().await?.path().to_owned();
        if path.starts_with(prefix) || tokio::time::Instant::now() > deadline {
            return Ok(path);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Loads `examples/targets.csv`, and puts four other people's ratings in the pool, so that
/// the next publication has five senders.
async fn seed_feedback(app: &TestApp) {
    use branchbot::feedback::rules::Rating;
    use branchbot::feedback::web;
    let lines = branchbot::domain::targets::parse(include_bytes!("../examples/targets.csv"), false)
        .unwrap();
    let mut tx = app.store.begin().await.unwrap();
    branchbot::feedback::load::load(&mut tx, &lines)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let target = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        branchbot::feedback::store::target_by_code(&mut conn, "D12-305")
            .await
            .unwrap()
            .unwrap()
    };
    for n in 0..4 {
        let mut tx = app.store.begin().await.unwrap();
        let now = Utc::now();
        let tags = web::tags(
            &mut tx,
            now,
            chrono_tz::Asia::Shanghai,
            target.id,
            web::DEVICE_CHANNEL,
            &format!("another-phone-{n}"),
        )
        .await
        .unwrap()
        .unwrap();
        let done = web::submit(
            &mut tx,
            now,
            chrono_tz::Asia::Shanghai,
            &tags,
            Rating::Satisfied,
            None,
        )
        .await
        .unwrap();
        assert!(matches!(done, web::Outcome::Thanked(_)));
        tx.commit().await.unwrap();
    }
}

/// Runs the `feedback-publish` job now, as the scheduler would every ten minutes.
async fn publish(app: &TestApp) -> String {
    use branchbot::scheduler::job::{Job, JobContext};
    app.scheduled("builtin:feedback-publish").await;
    let mut tx = app.store.begin().await.unwrap();
    let row = branchbot::store::jobs::by_dedupe_key(&mut tx, "builtin:feedback-publish")
        .await
        .unwrap()
        .expect("the built-in job is scheduled");
    let ctx = JobContext {
        now: Utc::now().timestamp_millis(),
        tz: chrono_tz::Asia::Shanghai,
        sms_connected: false,
        meetings: Default::default(),
        recruitment: Default::default(),
    };
    let ran = branchbot::feedback::publish_job::FeedbackPublish
        .run(&ctx, &mut tx, &row)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ran.note.unwrap_or_default()
}

/// The text of the first element matching `css` once it is `expected` (pages change after a
/// form is sent); whatever it is after ten seconds otherwise.
async fn text_once(
    phone: &Client,
    css: &str,
    expected: &str,
) -> Result<String, fantoccini::error::CmdError> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let text = match phone.find(Locator::Css(css)).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text == expected || tokio::time::Instant::now() > deadline {
            return Ok(text);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Saves a screenshot when `shots` names a prefix.
async fn shot(
    phone: &Client,
    shots: Option<&str>,
    name: &str,
) -> Result<(), fantoccini::error::CmdError> {
    if let Some(prefix) = shots {
        std::fs::write(
            artifact(&format!("{prefix}-{name}.png")),
            phone.screenshot().await?,
        )
        .expect("screenshot saved");
    }
    Ok(())
}

/// Scan → rate → comment → receipt, as a student does on the phone; returns the reply code.
async fn rate_on_phone(
    phone: &Client,
    base: &str,
    comment: &str,
    shots: Option<&str>,
) -> Result<String, fantoccini::error::CmdError> {
    // The QR code on the plaque opens the page.
    let started = tokio::time::Instant::now();
    phone.goto(&format!("{base}/f/D12-305")).await?;
    let h1 = phone.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "学生党员示范宿舍 · 12号楼 305");
    // Readable at 360 px: nothing wider than the screen, the choices wide and easy to hit.
    let (_, _, width, _) = phone.find(Locator::Css("main")).await?.rectangle().await?;
    assert!(width <= 360.0, "main is {width} px wide");
    let (_, _, button, height) = phone
        .find(Locator::Css("label.choice"))
        .await?
        .rectangle()
        .await?;
    assert!(
        button >= 300.0 && height >= 44.0,
        "a rating button is {button}×{height} px"
    );
    // Nothing for a script to do: the page has none (and its policy would block one).
    assert!(phone.find_all(Locator::Css("script")).await?.is_empty());
    shot(phone, shots, "page").await?;
    // Rate, comment, send: plain form posts, no script.
    phone
        .find(Locator::XPath("//label[normalize-space()='基本满意']"))
        .await?
        .click()
        .await?;
    phone
        .find(Locator::Css("#comment"))
        .await?
        .send_keys(comment)
        .await?;
    shot(phone, shots, "filled").await?;
    phone
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    assert_eq!(
        text_once(phone, "h1", "谢谢您的评价").await?,
        "谢谢您的评价"
    );
    let code = phone.find(Locator::Css(".code")).await?.text().await?;
    assert_eq!(code.len(), 7, "{code}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "rating took {:?}",
        started.elapsed()
    );
    shot(phone, shots, "thanks").await?;
    Ok(code)
}

/// Later: the link under the thank-you leads to the answer of a reply code.
async fn read_on_phone(
    phone: &Client,
    code: &str,
    expected: &str,
    shots: Option<&str>,
) -> Result<(), fantoccini::error::CmdError> {
    phone
        .find(Locator::LinkText("查看答复"))
        .await?
        .click()
        .await?;
    assert_eq!(text_once(phone, "h1", "查看答复").await?, "查看答复");
    phone
        .find(Locator::Css("#code"))
        .await?
        .send_keys(code)
        .await?;
    phone
        .find(Locator::Css("button[type=submit]"))
        .await?
        .click()
        .await?;
    assert_eq!(text_once(phone, ".answer", expected).await?, expected);
    shot(phone, shots, "answer").await?;
    Ok(())
}

#[tokio::test]
async fn a_student_on_a_phone_scans_rates_comments_and_later_reads_the_answer_in_chromium() {
    if !browser_available() {
        return;
    }
    let driver = Driver::start().await;
    let app = spawn_app().await;
    seed_feedback(&app).await;
    let base = app.base_url();
    let phone = driver.phone().await;
    let rated = rate_on_phone(&phone, &base, "晚上有时比较吵", Some("feedback-phone")).await;
    let code = match rated {
        Ok(code) => code,
        Err(e) => {
            phone.close().await.ok();
            panic!("the browser session: {e}");
        }
    };
    // Published with four others; the secretary answers in the chat.
    assert_eq!(publish(&app).await, "published 5, waiting 0, unreadable 0");
    app.bind(7101, "S101").await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body = '晚上有时比较吵'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.ask(
        7101,
        &format!("/answer {id} 已提醒宿舍晚上十点后保持安静"),
        1,
    )
    .await;
    let read = read_on_phone(
        &phone,
        &code,
        "支部的答复：已提醒宿舍晚上十点后保持安静",
        Some("feedback-phone"),
    )
    .await;
    phone.close().await.ok();
    read.expect("the browser session");
    app.stop().await;
    drop(driver);
}

#[tokio::test]
async fn a_student_whose_phone_blocks_javascript_rates_comments_and_reads_the_answer_in_chromium() {
    if !browser_available() {
        return;
    }
    let driver = Driver::start().await;
    let app = spawn_app().await;
    seed_feedback(&app).await;
    let base = app.base_url();
    let phone = driver.phone_without_scripts().await;
    let checked = async {
        // Scripts really are off: a page whose script would retitle it keeps its title and
        // shows its <noscript> text.
        phone
            .goto(
                "data:text/html;charset=utf-8,<title>off</title><noscript><p id=n>no scripts</p></noscript>\
                 <script>document.title='on'</script>",
            )
            .await?;
        assert_eq!(phone.title().await?, "off");
        assert_eq!(
            phone.find(Locator::Css("#n")).await?.text().await?,
            "no scripts"
        );
        let code = rate_on_phone(&phone, &base, "楼道的灯晚上不亮", Some("feedback-noscript")).await?;
        // The viewport is the phone's.
        let (_, _, width, _) = phone.find(Locator::Css("html")).await?.rectangle().await?;
        assert_eq!(width, 360.0, "the viewport is {width} px wide");
        let receipt = phone.find(Locator::Css("main")).await?.text().await?;
        assert!(receipt.contains(&code), "{receipt}");
        assert!(
            receipt.contains(&format!("之后在 {base}/f/reply 输入回执码")),
            "{receipt}"
        );
        Ok::<_, fantoccini::error::CmdError>(code)
    }
    .await;
    let code = match checked {
        Ok(code) => code,
        Err(e) => {
            phone.close().await.ok();
            panic!("the browser session: {e}");
        }
    };
    assert_eq!(publish(&app).await, "published 5, waiting 0, unreadable 0");
    app.bind(7101, "S101").await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body = '楼道的灯晚上不亮'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.ask(7101, &format!("/answer {id} 已报修，本周内更换灯管"), 1)
        .await;
    let read = read_on_phone(
        &phone,
        &code,
        "支部的答复：已报修，本周内更换灯管",
        Some("feedback-noscript"),
    )
    .await;
    phone.close().await.ok();
    read.expect("the browser session");
    app.stop().await;
    drop(driver);
}
