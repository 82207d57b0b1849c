//! The web dashboard in a real browser: Debian's headless Chromium, driven through chromedriver
//! with fantoccini. A committee member gets the one-time link through the chat, opens it, reads
//! the overview, follows the link to a branch and reads that page; screenshots of both go to
//! `test-artifacts/`.
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
use branchbot::store::meetings::{self, NewMeeting};
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
        let caps = serde_json::json!({
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
        });
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
