//! The web dashboard as its users meet it: `/dashboard` in chat gives a one-time link; opening
//! it sets the session cookie and leads to the overview (committee) or the member's branch
//! (secretary); the pages show the seeded figures; reused and expired links, missing sessions,
//! other branches, unknown branches and bad periods get readable pages with the right status.

use branchbot::clock::Clock;
use branchbot::config::TelegramMode;
use branchbot::domain::meetings::{MeetingKind, Quarter};
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::notices::store as notices;
use branchbot::store::{dashboard, members, Store};
use chrono::{TimeDelta, Utc};
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;

use crate::both;
use crate::feedback::load_targets;
use crate::helpers::{spawn_with, Db, Spawn, TestApp, TestDb};

/// 吴桂兰 (T010): a member of the college committee who runs no branch.
const COMMITTEE: i64 = 10;
/// 黄晓明 (S101): secretary of 学生第一党支部.
const SECRETARY: i64 = 101;
/// 马超 (S103): a member of 学生第一党支部.
const MEMBER: i64 = 103;

/// What a browser gets back.
struct Page {
    status: StatusCode,
    location: Option<String>,
    set_cookie: Option<String>,
    body: String,
}

/// A client that does not follow redirects, so a test sees the 303 itself.
fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> Page {
    let mut req = client().get(format!("{}{path}", app.base_url()));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    read(req.send().await.unwrap()).await
}

async fn read(res: reqwest::Response) -> Page {
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_owned)
    };
    let (location, set_cookie) = (header(LOCATION), header(SET_COOKIE));
    Page {
        status: res.status(),
        location,
        set_cookie,
        body: res.text().await.unwrap(),
    }
}

/// Sends /dashboard in chat and returns the link's path (`/dashboard/login/…`) and full URL.
async fn link(app: &TestApp, chat: i64) -> (String, String) {
    let reply = app.ask(chat, "/dashboard", 1).await;
    let text = &reply[0].text;
    assert!(
        text.starts_with("网页看板登录链接（10 分钟内有效，只能使用一次，请勿转发）："),
        "{text}"
    );
    let url = text[text.find("http").expect("a link")..].trim().to_owned();
    let path = url[url.find("/dashboard/login/").unwrap()..].to_owned();
    (path, url)
}

/// Opens a fresh link and returns the cookie to send back (`name=value`) and the redirect.
async fn log_in(app: &TestApp, chat: i64) -> (String, String) {
    let (path, _) = link(app, chat).await;
    let page = get(app, &path, None).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let cookie = page.set_cookie.expect("a session cookie");
    let pair = cookie.split(';').next().unwrap().to_owned();
    (pair, page.location.expect("a redirect"))
}

async fn branch_id(app: &TestApp, name: &str) -> i64 {
    let mut conn = app.store.pool().acquire().await.unwrap();
    members::branch_id(&mut conn, name).await.unwrap().unwrap()
}

async fn member_id(store: &Store, key: &str) -> i64 {
    let mut conn = store.pool().acquire().await.unwrap();
    members::find(&mut conn, key).await.unwrap().unwrap().id
}

/// Seeds 教工第一党支部: a general meeting an hour ago (6 expected, 4 signed in, minutes), and a
/// notice asking for 收到 to four members, three of whom confirmed. Ratings: 6 for the branch
/// itself, 2 for 刘洋's post (too few to show). Returns the quarter they fall in.
async fn seed(app: &TestApp) -> Quarter {
    load_targets(app).await;
    let branch = branch_id(app, "教工第一党支部").await;
    let mut ids = Vec::new();
    for key in ["T001", "T002", "T003", "T004", "T005", "T006"] {
        ids.push(member_id(&app.store, key).await);
    }
    let now = Utc::now();
    let start = now - TimeDelta::hours(2);
    let mut tx = app.store.begin().await.unwrap();
    let meeting = meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: start.timestamp_millis(),
            ends_at: (start + TimeDelta::hours(1)).timestamp_millis(),
            place: "党员活动室".into(),
            topic: "学习<党章>".into(),
            created_by: Some(ids[0]),
            attendees: ids.clone(),
            signin_code: "4711".into(),
        },
        start.timestamp_millis(),
    )
    .await
    .unwrap();
    for id in &ids[..4] {
        meetings::sign_in(&mut tx, meeting, *id, start.timestamp_millis(), false, None)
            .await
            .unwrap();
    }
    meetings::save_minutes(
        &mut tx,
        meeting,
        "记录",
        Some(ids[0]),
        now.timestamp_millis(),
    )
    .await
    .unwrap();
    let notice = notices::create(
        &mut tx,
        ids[0],
        "branch",
        "<b>请于周五前</b>提交材料",
        true,
        false,
        start.timestamp_millis(),
    )
    .await
    .unwrap();
    let recipients: Vec<(i64, Option<&str>)> =
        ids[1..5].iter().map(|id| (*id, Some("telegram"))).collect();
    notices::add_recipients(&mut tx, notice, &recipients)
        .await
        .unwrap();
    for id in &ids[1..4] {
        notices::confirm(&mut tx, notice, *id, now.timestamp_millis())
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    let period = branchbot::feedback::rules::period(now, chrono_tz::Asia::Shanghai).0;
    for (i, (code, rating)) in [
        ("B-T1", 1),
        ("B-T1", 1),
        ("B-T1", 1),
        ("B-T1", 1),
        ("B-T1", 2),
        ("B-T1", 2),
        ("P-T004", 3),
        ("P-T004", 3),
    ]
    .into_iter()
    .enumerate()
    {
        sqlx::query(
            "INSERT INTO feedback (id, target_id, period, day, rating) \
             SELECT $1, id, $2, $3, $4 FROM feedback_targets WHERE code = $5",
        )
        .bind(format!("F{i}"))
        .bind(&period)
        .bind(format!("{period}-01"))
        .bind(rating)
        .bind(code)
        .execute(app.store.pool())
        .await
        .unwrap();
    }
    Quarter::containing(start, chrono_tz::Asia::Shanghai)
}

/// The table row naming `name`.
fn row_of<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body
        .find(&format!(">{name}<"))
        .unwrap_or_else(|| panic!("no row for {name} in {body}"));
    let start = body[..at].rfind("<tr").unwrap();
    let end = at + body[at..].find("</tr>").unwrap();
    &body[start..end]
}

/// Cells of a row as text, tags stripped.
fn cells(row: &str) -> Vec<String> {
    row.split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..];
            let inner = &inner[..inner.find("</td>").unwrap_or(inner.len())];
            let mut text = String::new();
            let mut in_tag = false;
            for ch in inner.chars() {
                match ch {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text
        })
        .collect()
}

async fn the_committee_logs_in_once_through_the_link_and_sees_every_branch(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    app.bind(COMMITTEE, "T010").await;
    let quarter = seed(&app).await;
    let (path, url) = link(&app, COMMITTEE).await;
    assert_eq!(url, format!("{}{path}", app.base_url()));
    // Only the hash of the token is stored.
    let token = path.rsplit('/').next().unwrap();
    assert!(token.len() >= 22, "{token}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM dashboard_links")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(stored, dashboard::token_hash(token));
    assert!(!stored.contains(token));

    // Without a session: 401 and how to get one.
    let page = get(&app, &format!("/dashboard?period={quarter}"), None).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    assert!(
        page.body.contains("请在机器人对话中发送 /dashboard"),
        "{}",
        page.body
    );

    let opened = get(&app, &path, None).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    assert_eq!(opened.location.as_deref(), Some("/dashboard"));
    let cookie = opened.set_cookie.unwrap();
    assert!(cookie.starts_with("branchbot_session="), "{cookie}");
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Path=/dashboard",
        "Max-Age=43200",
    ] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(!cookie.contains("Secure"), "no Secure over http: {cookie}");
    let session = cookie.split(';').next().unwrap();

    let overview = get(&app, &format!("/dashboard?period={quarter}"), Some(session)).await;
    assert_eq!(overview.status, StatusCode::OK);
    assert!(overview.body.contains(&format!(
        "各支部工作情况 · {}年第{}季度",
        quarter.year,
        ["一", "二", "三", "四"][quarter.q as usize - 1]
    )));
    assert!(overview.body.contains("当前用户：吴桂兰"));
    let t1 = cells(row_of(&overview.body, "教工第一党支部"));
    // Branch; general, committee, group, lesson (held / required); attendance; short of;
    // no pledge; awaiting review; check-in; notices; confirmed.
    assert_eq!(t1[1], "1 / 1", "{t1:?}");
    assert_eq!(t1[2], "0 / 3", "{t1:?}");
    assert_eq!(t1[5], "67%", "{t1:?}");
    assert!(t1[6].starts_with("支委会、党小组会、党课"), "{t1:?}");
    assert!(!t1[6].contains("党员大会"), "{t1:?}");
    assert_eq!(t1[7], "10", "{t1:?}");
    assert_eq!(t1[10], "1", "{t1:?}");
    assert_eq!(t1[11], "75%", "{t1:?}");
    let s2 = cells(row_of(&overview.body, "学生第二党支部"));
    assert_eq!(s2[1], "0 / 1", "{s2:?}");
    assert_eq!(s2[5], "—", "{s2:?}");
    assert_eq!(s2[10], "0", "{s2:?}");
    assert!(overview.body.contains("学生第一党支部"));
    let t1_id = branch_id(&app, "教工第一党支部").await;
    assert!(overview.body.contains(&format!(
        "href=\"/dashboard/branch/{t1_id}?period={quarter}\""
    )));

    // The charts of the college, embedded and served as SVG.
    assert!(overview.body.contains(&format!(
        "<img src=\"/dashboard/charts/attendance.svg?period={quarter}\""
    )));
    let chart = get(
        &app,
        &format!("/dashboard/charts/attendance.svg?period={quarter}"),
        Some(session),
    )
    .await;
    assert_eq!(chart.status, StatusCode::OK);
    assert!(chart.body.contains("<svg"), "{}", chart.body);
    assert!(chart.body.contains("教工第一党支部"), "{}", chart.body);
    let unknown_chart = get(&app, "/dashboard/charts/pie.svg", Some(session)).await;
    assert_eq!(unknown_chart.status, StatusCode::NOT_FOUND);
    let no_session = get(&app, "/dashboard/charts/attendance.svg", None).await;
    assert_eq!(no_session.status, StatusCode::UNAUTHORIZED);

    // The link works once.
    let again = get(&app, &path, None).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    assert!(
        again.body.contains("这个登录链接已经用过或已经过期"),
        "{}",
        again.body
    );
    assert!(again.set_cookie.is_none());

    // The branch page: meetings with attendance, notices with their rate, feedback with the
    // thresholds; user text is escaped.
    let branch = get(
        &app,
        &format!("/dashboard/branch/{t1_id}?period={quarter}"),
        Some(session),
    )
    .await;
    assert_eq!(branch.status, StatusCode::OK);
    let b = &branch.body;
    assert!(b.contains(&format!(
        "教工第一党支部 · {}年第{}季度",
        quarter.year,
        ["一", "二", "三", "四"][quarter.q as usize - 1]
    )));
    assert!(
        b.contains("学习&lt;党章&gt;") && !b.contains("学习<党章>"),
        "{b}"
    );
    assert!(b.contains("&lt;b&gt;请于周五前&lt;/b&gt;提交材料"), "{b}");
    let meeting = cells(row_of(b, "学习&lt;党章&gt;"));
    assert_eq!(&meeting[3..], ["6", "4", "0", "67%", "有"], "{meeting:?}");
    assert!(b.contains("补学 0/2 人次 · 未补学的无故缺席 2 人次"), "{b}");
    let notice = cells(row_of(b, "&lt;b&gt;请于周五前&lt;/b&gt;提交材料"));
    assert_eq!(&notice[2..], ["4", "3", "75%"], "{notice:?}");
    let rated = cells(row_of(b, "党支部 · 教工第一党支部"));
    assert_eq!(&rated[1..5], ["4", "2", "0", "6"], "{rated:?}");
    let few = cells(row_of(b, "党员服务窗口 · 教务办公室 · 刘洋"));
    assert_eq!(few[1], "评价少于 5 条，暂不显示", "{few:?}");
    assert!(
        !few.iter().any(|c| c == "2"),
        "a suppressed cell shows no figure: {few:?}"
    );
    assert!(b.contains("未提交承诺（"), "{b}");
    // The push burden in one line.
    let line = b
        .lines()
        .find(|l| l.contains("本期推送："))
        .unwrap_or_else(|| panic!("no push line in {b}"));
    // (Its notices are rows no worker sent here: no push was sent in the quarter.)
    assert_eq!(
        line.trim(),
        "<p class=\"muted\">本期推送：共 0 条，人均每周 0 条，最多的一位每周 0 条；\
         0 条并入了汇总消息。</p>"
    );

    // Unknown branch and bad periods.
    let unknown = get(&app, "/dashboard/branch/99999", Some(session)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("没有这个党支部。"));
    for path in ["/dashboard/branch/abc", "/dashboard/nothing/here"] {
        let page = get(&app, path, Some(session)).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("返回"), "{}", page.body);
    }
    let bad = get(&app, "/dashboard?period=2026Q5", Some(session)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body
            .contains("未能识别时段“2026Q5”。可以写：2026Q4（季度）、2026-11（月份）"),
        "{}",
        bad.body
    );
    let empty = get(&app, "/dashboard?period=", Some(session)).await;
    assert_eq!(empty.status, StatusCode::BAD_REQUEST);
    assert!(empty.body.contains("时段不能为空"), "{}", empty.body);
    let backwards = get(
        &app,
        "/dashboard?period=2026-12-31..2026-10-01",
        Some(session),
    )
    .await;
    assert_eq!(backwards.status, StatusCode::BAD_REQUEST);
    assert!(
        backwards.body.contains("结束不能早于开始"),
        "{}",
        backwards.body
    );
    // A period over five years (seconds of CPU for a feedback chart) is refused on every
    // page and chart, with the page's own words.
    for path in [
        "/dashboard?period=2000-01-01..2200-12-31".to_owned(),
        format!("/dashboard/branch/{t1_id}?period=2000-01-01..2200-12-31"),
        "/dashboard/charts/feedback.svg?period=2021-01-01..2026-01-01".to_owned(),
    ] {
        let long = get(&app, &path, Some(session)).await;
        assert_eq!(long.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(long.body.contains("超过了 5 年"), "{path}: {}", long.body);
    }
    let five = get(
        &app,
        "/dashboard?period=2021-01-01..2025-12-31",
        Some(session),
    )
    .await;
    assert_eq!(five.status, StatusCode::OK, "{}", five.body);
    // The forms `branchbot report` reads work here too: a month, and days.
    let month = get(&app, "/dashboard?period=2026-11", Some(session)).await;
    assert_eq!(month.status, StatusCode::OK, "{}", month.body);
    assert!(
        month.body.contains("各支部工作情况 · 2026年11月"),
        "{}",
        month.body
    );
    assert!(month.body.contains("charts/cadence.svg?period=2026-11"));
    let days = get(
        &app,
        "/dashboard?period=2026-10-01..2026-10-31",
        Some(session),
    )
    .await;
    assert_eq!(days.status, StatusCode::OK, "{}", days.body);
    assert!(days
        .body
        .contains("各支部工作情况 · 2026年10月1日至2026年10月31日"));
    let script = get(&app, "/dashboard?period=%3Cscript%3E", Some(session)).await;
    assert_eq!(script.status, StatusCode::BAD_REQUEST);
    assert!(script.body.contains("“&lt;script&gt;”") && !script.body.contains("<script>"));

    // One audit row for the one login.
    let rows: Vec<(Option<i64>, String, String, String)> =
        sqlx::query_as("SELECT actor_id, actor, via, action FROM audit_log")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        rows,
        [(
            Some(member_id(&app.store, "T010").await),
            "吴桂兰 (T010)".to_owned(),
            "web".to_owned(),
            "dashboard_login".to_owned()
        )]
    );

    // Logging out ends the session.
    let out = read(
        client()
            .post(format!("{}/dashboard/logout", app.base_url()))
            .header(COOKIE, session)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(out.status, StatusCode::OK);
    assert!(out.set_cookie.unwrap().contains("Max-Age=0"));
    assert!(out.body.contains("您已退出网页看板"));
    let after = get(&app, "/dashboard", Some(session)).await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    app.stop().await;
}

#[tokio::test]
async fn the_committee_logs_in_once_through_the_link_and_sees_every_branch_on_sqlite() {
    the_committee_logs_in_once_through_the_link_and_sees_every_branch(Db::Sqlite).await;
}

#[tokio::test]
async fn the_committee_logs_in_once_through_the_link_and_sees_every_branch_on_postgres() {
    the_committee_logs_in_once_through_the_link_and_sees_every_branch(Db::Postgres).await;
}

async fn a_secretary_sees_only_their_own_branch(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    app.bind(SECRETARY, "S101").await;
    let quarter = seed(&app).await;
    let own = branch_id(&app, "学生第一党支部").await;
    let other = branch_id(&app, "教工第一党支部").await;
    let (session, to) = log_in(&app, SECRETARY).await;
    assert_eq!(to, format!("/dashboard/branch/{own}"));

    // The overview sends them to their branch, keeping the period.
    let overview = get(
        &app,
        &format!("/dashboard?period={quarter}"),
        Some(&session),
    )
    .await;
    assert_eq!(overview.status, StatusCode::SEE_OTHER);
    assert_eq!(
        overview.location,
        Some(format!("/dashboard/branch/{own}?period={quarter}"))
    );
    let page = get(&app, &to, Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("学生第一党支部 · "), "{}", page.body);
    assert!(page.body.contains("当前用户：黄晓明"));
    assert!(!page.body.contains("教工第一党支部"), "{}", page.body);
    // Dormitory targets of the branch, each with too few ratings.
    assert!(
        page.body.contains("学生党员示范宿舍 · 12号楼 305"),
        "{}",
        page.body
    );

    // Another branch: 403, and nothing of it named. An unknown id looks the same.
    for path in [
        format!("/dashboard/branch/{other}?period={quarter}"),
        "/dashboard/branch/99999".to_owned(),
        "/dashboard/branch/abc".to_owned(),
    ] {
        let refused = get(&app, &path, Some(&session)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(refused.body.contains("您只能查看本支部的情况。"));
        assert!(!refused.body.contains("教工第一党支部"), "{}", refused.body);
        assert!(!refused.body.contains("学习"), "{}", refused.body);
    }

    // Charts: their own branch only, never the college's or another branch's.
    assert!(page.body.contains("/dashboard/charts/cadence.svg?period="));
    let own_chart = get(
        &app,
        &format!("/dashboard/charts/cadence.svg?period={quarter}&branch={own}"),
        Some(&session),
    )
    .await;
    assert_eq!(own_chart.status, StatusCode::OK);
    assert!(
        own_chart.body.contains("学生第一党支部"),
        "{}",
        own_chart.body
    );
    assert!(
        !own_chart.body.contains("教工第一党支部"),
        "{}",
        own_chart.body
    );
    for path in [
        format!("/dashboard/charts/cadence.svg?period={quarter}"),
        format!("/dashboard/charts/cadence.svg?period={quarter}&branch={other}"),
        "/dashboard/charts/cadence.svg?branch=99999".to_owned(),
    ] {
        let refused = get(&app, &path, Some(&session)).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert!(!refused.body.contains("教工第一党支部"));
    }

    // The campaign page without a campaign says so.
    let campaign = get(&app, "/dashboard/campaign", Some(&session)).await;
    assert_eq!(campaign.status, StatusCode::OK);
    assert!(campaign.body.contains("还没有导入创先争优活动方案。"));
    app.stop().await;
}

#[tokio::test]
async fn a_secretary_sees_only_their_own_branch_on_sqlite() {
    a_secretary_sees_only_their_own_branch(Db::Sqlite).await;
}

#[tokio::test]
async fn a_secretary_sees_only_their_own_branch_on_postgres() {
    a_secretary_sees_only_their_own_branch(Db::Postgres).await;
}

#[tokio::test]
async fn a_plain_member_is_refused_in_chat_and_gets_no_link() {
    let Some(app) = spawn_with(Spawn::default()).await else {
        return;
    };
    app.bind(MEMBER, "S103").await;
    let reply = app.ask(MEMBER, "/dashboard", 1).await;
    assert_eq!(
        reply[0].text,
        "只有学院党委成员和支部书记、副书记、支委可以使用网页看板。需要帮助请发 /help。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM dashboard_links").await, 0);
    let help = app.ask(MEMBER, "/help", 1).await;
    assert!(!help[0].text.contains("/dashboard"), "{}", help[0].text);
    app.stop().await;
}

#[tokio::test]
async fn a_link_opened_after_ten_minutes_is_refused_and_a_session_ends_after_its_hours() {
    let Some(mut app) = spawn_with(Spawn::default()).await else {
        return;
    };
    app.bind(COMMITTEE, "T010").await;
    let (session, _) = log_in(&app, COMMITTEE).await;
    let (path, _) = link(&app, COMMITTEE).await;
    assert_eq!(
        get(&app, "/dashboard", Some(&session)).await.status,
        StatusCode::OK
    );

    app.restart_at(Clock::starting_at(Utc::now() + TimeDelta::minutes(11)))
        .await;
    let late = get(&app, &path, None).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    assert!(late
        .body
        .contains("登录链接 10 分钟内有效，并且只能使用一次"));
    assert!(late.body.contains("/dashboard"));
    assert!(late.set_cookie.is_none());
    // The session (12 hours) still holds.
    assert_eq!(
        get(&app, "/dashboard", Some(&session)).await.status,
        StatusCode::OK
    );

    app.restart_at(Clock::starting_at(Utc::now() + TimeDelta::hours(13)))
        .await;
    let expired = get(&app, "/dashboard", Some(&session)).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.body.contains("登录已经过期"));
    app.stop().await;
}

#[tokio::test]
async fn over_https_the_cookie_is_secure_and_link_previews_do_not_use_up_the_link() {
    let Some(app) = spawn_with(Spawn {
        mode: TelegramMode::Webhook,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    app.bind(COMMITTEE, "T010").await;
    let (path, url) = link(&app, COMMITTEE).await;
    assert_eq!(url, format!("https://bot.example.org{path}"));
    let preview = read(
        client()
            .get(format!("{}{path}", app.base_url()))
            .header("User-Agent", "TelegramBot (like TwitterBot)")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(preview.status, StatusCode::OK);
    assert!(preview.set_cookie.is_none());
    let opened = get(&app, &path, None).await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER);
    let cookie = opened.set_cookie.unwrap();
    assert!(cookie.contains("; Secure"), "{cookie}");
    app.stop().await;
}

both!(expired_links_and_sessions_are_pruned_and_a_link_works_once_on_both_backends);

async fn expired_links_and_sessions_are_pruned_and_a_link_works_once_on_both_backends(
    store: &Store,
) {
    let roster = branchbot::domain::roster::parse(
        include_bytes!("../../examples/college.csv"),
        branchbot::i18n::Locale::ZhCn,
    )
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let member = member_id(store, "T010").await;
    let mut conn = store.pool().acquire().await.unwrap();
    let t0 = 1_800_000_000_000;
    let used = dashboard::create_link(&mut conn, member, t0).await.unwrap();
    let unused = dashboard::create_link(&mut conn, member, t0).await.unwrap();
    let late = dashboard::create_link(&mut conn, member, t0 + 80 * 60_000)
        .await
        .unwrap();
    assert_eq!(
        dashboard::use_link(&mut conn, &used, t0 + 1).await.unwrap(),
        Some(member)
    );
    assert_eq!(
        dashboard::use_link(&mut conn, &used, t0 + 2).await.unwrap(),
        None
    );
    assert_eq!(
        dashboard::use_link(&mut conn, &unused, t0 + dashboard::LINK_TTL_MS)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        dashboard::use_link(&mut conn, "nonsense", t0)
            .await
            .unwrap(),
        None
    );
    let session = dashboard::create_session(&mut conn, member, t0, t0 + 3_600_000)
        .await
        .unwrap();
    let long = dashboard::create_session(&mut conn, member, t0, t0 + 7_200_000)
        .await
        .unwrap();
    assert_eq!(
        dashboard::session_member(&mut conn, &session, t0 + 1)
            .await
            .unwrap(),
        Some(member)
    );
    assert_eq!(
        dashboard::session_member(&mut conn, &session, t0 + 3_600_000)
            .await
            .unwrap(),
        None
    );
    // At t0 + 85 min: the first two links and the first session have expired.
    assert_eq!(
        dashboard::prune(&mut conn, t0 + 85 * 60_000).await.unwrap(),
        (2, 1)
    );
    assert_eq!(
        dashboard::session_member(&mut conn, &long, t0 + 85 * 60_000)
            .await
            .unwrap(),
        Some(member)
    );
    assert_eq!(
        dashboard::use_link(&mut conn, &late, t0 + 86 * 60_000)
            .await
            .unwrap(),
        Some(member)
    );
    assert!(dashboard::end_session(&mut conn, &long).await.unwrap());
    assert!(!dashboard::end_session(&mut conn, &long).await.unwrap());
}

#[tokio::test]
async fn the_campaign_page_marks_the_current_phase_and_who_sent_summaries() {
    let Some(mut app) = spawn_with(Spawn::default()).await else {
        return;
    };
    // 2027-04-15 in Asia/Shanghai: the second phase of examples/campaign.toml runs.
    let now = chrono::DateTime::parse_from_rfc3339("2027-04-15T10:00:00+08:00")
        .unwrap()
        .with_timezone(&Utc);
    // Bound before the clock moves: invite codes are made on the real clock.
    app.bind(COMMITTEE, "T010").await;
    app.bind(SECRETARY, "S101").await;
    app.restart_at(Clock::starting_at(now)).await;
    let teachers = branch_id(&app, "教工第一党支部").await;
    let students = branch_id(&app, "学生第一党支部").await;
    let author = member_id(&app.store, "T001").await;
    let mut tx = app.store.begin().await.unwrap();
    branchbot::campaign::schedule::load(
        &mut tx,
        &branchbot::app::features::jobs(),
        chrono_tz::Asia::Shanghai,
        include_str!("../../examples/campaign.toml"),
        now,
    )
    .await
    .unwrap();
    let at = now.timestamp_millis();
    branchbot::store::campaigns::submit_summary(
        &mut tx,
        "创先争优",
        0,
        teachers,
        author,
        "总结",
        at,
    )
    .await
    .unwrap();
    branchbot::store::campaigns::submit_summary(
        &mut tx,
        "创先争优",
        1,
        students,
        author,
        "总结",
        at,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let (session, _) = log_in(&app, COMMITTEE).await;
    let page = get(&app, "/dashboard/campaign", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(b.contains("<h1>创先争优</h1>"), "{b}");
    let first = cells(row_of(b, "第一阶段：发动部署、党内评优表彰"));
    assert_eq!(
        first[1..],
        ["2026-12-01 – 2027-02-28", "已结束", "1 / 3 个支部已提交"]
    );
    let second = row_of(b, "第二阶段：喜迎建党106周年");
    assert!(second.starts_with("<tr class=\"current\">"), "{second}");
    assert_eq!(
        cells(second)[1..],
        ["2027-03-01 – 2027-06-30", "进行中", "1 / 3 个支部已提交"]
    );
    assert!(
        b.contains("当前阶段：第二阶段：喜迎建党106周年，还剩 77 天。"),
        "{b}"
    );
    let upcoming = cells(row_of(b, "第三阶段：群众评议、推广典型"));
    assert_eq!(upcoming[2], "未开始", "{upcoming:?}");

    let (session, _) = log_in(&app, SECRETARY).await;
    let page = get(&app, "/dashboard/campaign", Some(&session)).await;
    assert_eq!(page.status, StatusCode::OK);
    let first = cells(row_of(&page.body, "第一阶段：发动部署、党内评优表彰"));
    assert_eq!(first[3], "未提交");
    let second = cells(row_of(&page.body, "第二阶段：喜迎建党106周年"));
    assert_eq!(second[3], "已提交");
    assert!(!page.body.contains("教工第一党支部"), "{}", page.body);
    app.stop().await;
}
