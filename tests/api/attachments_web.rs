//! A meeting's record on the dashboard, through the real HTTP server: the branch page links
//! each meeting to its page, which shows the minutes, the attendance, the photos and the
//! files; each file is served to those who may see the meeting, with its sniffed type, never
//! sniffed again, photos inline and documents as downloads under a harmless name; another
//! branch's meeting or file is "not found", the same as one that does not exist.

use branchbot::attachments::service::{accept, link};
use branchbot::attachments::{Owner, Upload};
use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::store::members;
use chrono::{TimeDelta, Utc};
use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::StatusCode;

use crate::attachments::{with_gps, JPG, PDF};
use crate::helpers::{spawn_with, Db, Spawn, TestApp};

/// 吴桂兰 (T010): the college committee.
const COMMITTEE: i64 = 10;
/// 黄晓明 (S101): secretary of 学生第一党支部.
const SECRETARY: i64 = 101;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn get(app: &TestApp, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut req = client().get(format!("{}{path}", app.base_url()));
    if let Some(c) = cookie {
        req = req.header(COOKIE, c);
    }
    req.send().await.unwrap()
}

async fn log_in(app: &TestApp, chat: i64) -> String {
    let reply = app.ask(chat, "/dashboard", 1).await;
    let text = &reply[0].text;
    let path = text[text.find("/dashboard/login/").expect("a link")..]
        .trim()
        .to_owned();
    let res = get(app, &path, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

/// A meeting held an hour ago in `branch`, with minutes and two of three signed in.
async fn meeting(app: &TestApp, branch: &str, minutes: &str) -> (i64, i64) {
    let mut tx = app.store.begin().await.unwrap();
    let b = members::branch_id(&mut tx, branch).await.unwrap().unwrap();
    let people: Vec<i64> = members::list(&mut tx, Some(b))
        .await
        .unwrap()
        .into_iter()
        .take(3)
        .map(|m| m.id)
        .collect();
    let start = Utc::now() - TimeDelta::hours(1);
    let id = meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id: b,
            kind: MeetingKind::General,
            starts_at: start.timestamp_millis(),
            ends_at: start.timestamp_millis() + 3_600_000,
            place: "党员活动室".into(),
            topic: "学习党章".into(),
            created_by: None,
            attendees: people.clone(),
            signin_code: String::new(),
        },
        0,
    )
    .await
    .unwrap();
    for m in &people[..2] {
        meetings::sign_in(&mut tx, id, *m, start.timestamp_millis(), false, None)
            .await
            .unwrap();
    }
    meetings::save_minutes(&mut tx, id, minutes, None, start.timestamp_millis())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (b, id)
}

async fn attach(app: &TestApp, bytes: &[u8], name: &str, meeting: i64) -> i64 {
    attach_to(app, bytes, name, Owner::Meeting(meeting)).await
}

async fn attach_to(app: &TestApp, bytes: &[u8], name: &str, owner: Owner) -> i64 {
    let files = &app.app().engine.files;
    let mut tx = app.store.begin().await.unwrap();
    let a = accept(
        files,
        &mut tx,
        Upload {
            bytes,
            declared_name: Some(name),
            uploaded_by: None,
            at: Utc::now(),
        },
    )
    .await
    .unwrap()
    .unwrap();
    link(&mut tx, a.id, owner).await.unwrap();
    tx.commit().await.unwrap();
    a.id
}

/// A 志愿服务 activity of `branch` held today, two named and one of them confirmed.
async fn activity(app: &TestApp, branch: i64) -> i64 {
    use branchbot::records::store as records;
    let today = Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive()
        .to_string();
    let mut tx = app.store.begin().await.unwrap();
    let id = records::add_activity(
        &mut tx,
        branch,
        "volunteer",
        &today,
        "社区服务中心",
        "为社区老人讲解智能手机的使用方法",
        None,
        0,
    )
    .await
    .unwrap();
    let people = members::list(&mut tx, Some(branch)).await.unwrap();
    records::add_participant(&mut tx, id, people[0].id, Some(0))
        .await
        .unwrap();
    records::add_participant(&mut tx, id, people[1].id, None)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn a_meetings_record_shows_its_photos_and_files_to_those_who_may_see_it(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    app.bind(SECRETARY, "S101").await;
    app.bind(COMMITTEE, "T010").await;
    let (own, mine) = meeting(
        &app,
        "学生第一党支部",
        "一、学习党章第三章。\n二、<b>讨论</b>",
    )
    .await;
    let (_, theirs) = meeting(&app, "教工第一党支部", "教工支部的记录").await;
    let (gps_photo, _) = with_gps(JPG);
    let photo = attach(&app, &gps_photo, "合影.jpg", mine).await;
    let pdf = attach(&app, PDF, "../../etc/passwd.pdf", mine).await;
    let secret = attach(&app, PDF, "教工支部名单.pdf", theirs).await;

    // Without a session: nothing.
    let res = get(&app, &format!("/dashboard/file/{photo}"), None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);

    let session = log_in(&app, SECRETARY).await;
    let branch = get(&app, &format!("/dashboard/branch/{own}"), Some(&session)).await;
    let branch = branch.text().await.unwrap();
    assert!(
        branch.contains(&format!(
            "<a href=\"/dashboard/meeting/{mine}\">学习党章</a>"
        )),
        "the branch page links the meeting"
    );
    assert!(branch.contains("本期没有登记服务活动。"), "no activity yet");
    // An activity with a photo: listed on the branch page, the photo linked and served.
    let done = activity(&app, own).await;
    let snap = attach_to(&app, JPG, "讲解现场.jpg", Owner::Activity(done)).await;
    let branch = get(&app, &format!("/dashboard/branch/{own}"), Some(&session)).await;
    let branch = branch.text().await.unwrap();
    assert!(
        branch.contains("志愿服务") && branch.contains("社区服务中心"),
        "{branch}"
    );
    assert!(branch.contains(">1/2<"), "one of two confirmed: {branch}");
    assert!(
        branch.contains(&format!(
            "<a href=\"/dashboard/file/{snap}\">讲解现场.jpg</a>"
        )),
        "{branch}"
    );
    let res = get(&app, &format!("/dashboard/file/{snap}"), Some(&session)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/jpeg");

    let page = get(&app, &format!("/dashboard/meeting/{mine}"), Some(&session)).await;
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("一、学习党章第三章。"), "the minutes");
    assert!(page.contains("&lt;b&gt;讨论&lt;/b&gt;"), "escaped");
    assert!(
        page.contains("应到 3 人，签到 2 人，请假 0 人，缺席 1 人。"),
        "{page}"
    );
    assert!(page.contains(&format!(
        "<img src=\"/dashboard/file/{photo}\" alt=\"合影.jpg\""
    )));
    assert!(page.contains(&format!("<a href=\"/dashboard/file/{pdf}\">passwd.pdf</a>")));
    assert!(!page.contains("etc/passwd") && !page.contains("教工支部名单"));

    let res = get(&app, &format!("/dashboard/file/{photo}"), Some(&session)).await;
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline;"));
    assert_eq!(
        res.bytes().await.unwrap().as_ref(),
        JPG,
        "served without its GPS position"
    );

    let res = get(&app, &format!("/dashboard/file/{pdf}"), Some(&session)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(
        res.headers()["content-disposition"],
        "attachment; filename=\"passwd.pdf\"; filename*=UTF-8''passwd.pdf"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

    // Another branch's meeting and file are as absent as ones that do not exist.
    let other = get(&app, &format!("/dashboard/file/{secret}"), Some(&session)).await;
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let other = other.text().await.unwrap();
    let none = get(&app, "/dashboard/file/999999", Some(&session)).await;
    assert_eq!(none.status(), StatusCode::NOT_FOUND);
    assert_eq!(other, none.text().await.unwrap(), "names nothing");
    assert!(!other.contains("教工支部名单") && other.contains("没有这个文件"));
    let res = get(
        &app,
        &format!("/dashboard/meeting/{theirs}"),
        Some(&session),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(!res.text().await.unwrap().contains("教工支部的记录"));

    // The committee sees every branch's.
    let committee = log_in(&app, COMMITTEE).await;
    let res = get(&app, &format!("/dashboard/file/{secret}"), Some(&committee)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("filename*=UTF-8''%E6%95%99%E5%B7%A5"));
    let page = get(
        &app,
        &format!("/dashboard/meeting/{theirs}"),
        Some(&committee),
    )
    .await;
    assert!(page.text().await.unwrap().contains("教工支部的记录"));
}

#[tokio::test]
async fn a_meetings_record_shows_its_photos_and_files_on_sqlite() {
    a_meetings_record_shows_its_photos_and_files_to_those_who_may_see_it(Db::Sqlite).await;
}

#[tokio::test]
async fn a_meetings_record_shows_its_photos_and_files_on_postgres() {
    a_meetings_record_shows_its_photos_and_files_to_those_who_may_see_it(Db::Postgres).await;
}
