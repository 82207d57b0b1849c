//! The practice gaps of 三会一课 on SQLite and PostgreSQL, on paused time in Asia/Shanghai:
//! 代请假 (a secretary records leave for a member, by command and by the attendance view's
//! button; the member is told; the audit log names both; refusals change nothing), 补学
//! recorded as done (by the member and by the secretary; compliance and the absence flag count
//! it), and the rotating sign-in code (it changes every 30 seconds, the previous window's code
//! still works, an older one is refused as expired; the link to its screen works once; the
//! page itself over HTTP). What a person reads is the text queued for their chat.

use branchbot::domain::meetings::{MeetingKind, MeetingRules};
use branchbot::flows::Content;
use branchbot::meetings::rules::{rotating_code, rotating_window};
use branchbot::meetings::store::screen as meeting_screens;
use branchbot::meetings::store::NewMeeting;
use branchbot::store::members;
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::helpers::Db;
use crate::world::{t, texts, ChatWorld};

crate::paused_on_both!(
    a_secretary_records_leave_for_a_member_who_is_told_and_every_view_shows_it,
    make_up_study_is_recorded_and_counted_by_compliance_and_the_absence_flag,
    the_rotating_code_changes_every_thirty_seconds_and_an_older_one_is_refused,
);

/// The shared world with the members these tests speak as bound.
struct World(ChatWorld);

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.0
    }
}

impl World {
    /// None when PostgreSQL is wanted and not reachable (the test is skipped).
    async fn new(db: Db, start: DateTime<Utc>) -> Option<Self> {
        Self::with_rules(db, start, MeetingRules::default()).await
    }

    async fn with_rules(db: Db, start: DateTime<Utc>, rules: MeetingRules) -> Option<Self> {
        let w = ChatWorld::new(db, start, rules).await?;
        for key in [
            "S101", "S102", "S103", "S104", "S106", "S107", "S109", "T001",
        ] {
            w.bind(key).await;
        }
        Some(Self(w))
    }

    /// Types a text and returns what came back (what was waiting unread is set aside first).
    async fn say(&mut self, key: &str, text: &str) -> Vec<(String, Vec<String>)> {
        self.read(key).await;
        self.0.send(key, Content::Text { text: text.into() }).await;
        self.read(key).await
    }

    async fn tap(&mut self, key: &str, data: &str) -> Vec<(String, Vec<String>)> {
        self.read(key).await;
        self.0
            .send(key, Content::Choice { data: data.into() })
            .await;
        self.read(key).await
    }

    /// One reply's text, asserting there was exactly one.
    async fn one(&mut self, key: &str, text: &str) -> String {
        let r = self.say(key, text).await;
        assert_eq!(r.len(), 1, "{r:?}");
        r[0].0.clone()
    }

    async fn advance_ms(&self, ms: u64) {
        tokio::time::advance(std::time::Duration::from_millis(ms)).await;
    }

    /// A meeting of 学生第一党支部 with the kind's default attendees, its jobs scheduled.
    async fn meeting(&self, kind: MeetingKind, at: &str, minutes: i64) -> (i64, String) {
        let mut tx = self.store.begin().await.unwrap();
        let branch = members::branch_id(&mut tx, "学生第一党支部")
            .await
            .unwrap()
            .unwrap();
        let attendees =
            branchbot::meetings::service::default_attendees(&mut tx, branch, kind, None)
                .await
                .unwrap()
                .iter()
                .map(|m| m.id)
                .collect();
        let starts = t(at).timestamp_millis();
        let id = branchbot::meetings::service::commit(
            &mut tx,
            self.engine.jobs.registry(),
            &self.engine.meetings.remind_before_minutes,
            self.clock.now(),
            NewMeeting {
                branch_id: branch,
                kind,
                starts_at: starts,
                ends_at: starts + minutes * 60_000,
                place: "图书馆 305".into(),
                topic: "学习贯彻全会精神".into(),
                created_by: None,
                attendees,
                signin_code: String::new(),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let code: Option<String> =
            sqlx::query_scalar("SELECT signin_code FROM meetings WHERE id = $1")
                .bind(id)
                .fetch_one(self.store.pool())
                .await
                .unwrap();
        (id, code.unwrap_or_default())
    }

    async fn audit(&self, action: &str) -> Vec<(String, String, String)> {
        sqlx::query("SELECT actor, subject, detail FROM audit_log WHERE action = $1 ORDER BY id")
            .bind(action)
            .fetch_all(self.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("actor"), r.get("subject"), r.get("detail")))
            .collect()
    }

    async fn secret(&self, meeting: i64) -> Vec<u8> {
        let hex: String =
            sqlx::query_scalar("SELECT secret FROM meeting_signin_secrets WHERE meeting_id = $1")
                .bind(meeting)
                .fetch_one(self.store.pool())
                .await
                .unwrap();
        hex::decode(hex).unwrap()
    }
}

async fn a_secretary_records_leave_for_a_member_who_is_told_and_every_view_shows_it(db: Db) {
    let Some(mut w) = World::new(db, t("2026-10-01T09:00:00+08:00")).await else {
        return;
    };
    let (id, _) = w
        .meeting(MeetingKind::General, "2026-10-15T19:30:00+08:00", 120)
        .await;

    // Refusals: each says why and records nothing.
    let refusals = [
        ("S102", format!("/proxyleave {id} S103 家中有事"), "只有本支部的书记或副书记可以代请假。".to_owned()),
        ("T001", format!("/proxyleave {id} S103 家中有事"), "只有本支部的书记或副书记可以代请假。".to_owned()),
        ("S101", format!("/proxyleave {id} S103"), "请写明请假原因，例如：/proxyleave 12 S103 家中有事。".to_owned()),
        ("S101", format!("/proxyleave {id} S105 出差"), "郭子豪同志不在这个会议的参会名单里，无需请假。".to_owned()),
        ("S101", format!("/proxyleave {id} X999 出差"), "没有找到编号为 X999 的成员。".to_owned()),
        ("S101", "/proxyleave 999 S103 出差".to_owned(), "没有编号为 999 的会议。发送 /meetings 查看编号。".to_owned()),
        ("S101", "/proxyleave".to_owned(), "代请假格式：/proxyleave 会议编号 成员编号 原因，例如 /proxyleave 12 S103 家中有事。也可以在 /attendance 会议编号 里点“代请假”。".to_owned()),
    ];
    for (who, typed, said) in refusals {
        assert_eq!(w.one(who, &typed).await, said, "{who}: {typed}");
    }
    assert!(w.read("S103").await.is_empty());
    assert!(w.audit("leave_recorded").await.is_empty());

    // By command: the member is told who recorded it.
    assert_eq!(
        w.one("S101", &format!("/proxyleave {id} S103 家中有事"))
            .await,
        "已为马超同志代请假：10月15日（周四）19:30 党员大会，原因：家中有事。已通知本人。"
    );
    assert_eq!(
        texts(&w.read("S103").await),
        ["【学生第一党支部】黄晓明同志已为您登记请假：10月15日（周四）19:30 党员大会，原因：家中有事。会后请按要求补学。如有出入，请联系书记。"]
    );
    assert_eq!(
        w.audit("leave_recorded").await,
        [(
            "黄晓明 (S101)".to_owned(),
            format!("meeting:{id}"),
            "学生第一党支部 · general · 2026-10-15 19:30 · 马超 (S103) · 家中有事".to_owned()
        )]
    );

    // By the attendance view's button: the member is chosen, then the reason typed.
    let r = w.say("S101", &format!("/attendance {id}")).await;
    assert_eq!(r[0].1, ["提醒未回复者", "代请假", "签到大屏"]);
    assert!(
        r[0].0.contains("请假：马超（家中有事，书记代请假）"),
        "{}",
        r[0].0
    );
    let r = w.tap("S101", &format!("meet:leavefor:{id}")).await;
    assert_eq!(r[0].0, "为哪位同志代请假？");
    assert!(!r[0].1.contains(&"马超".to_owned()), "already on leave");
    assert!(r[0].1.contains(&"胡静怡".to_owned()), "{:?}", r[0].1);
    let hu = w.member_id("S104").await;
    let r = w.tap("S101", &format!("meet:leavefor:{id}:{hu}")).await;
    assert_eq!(
        texts(&r),
        ["请输入胡静怡同志的请假原因（如：出差、家中有事）。"]
    );
    let long = "很".repeat(201);
    assert_eq!(
        w.one("S101", &long).await,
        "请假原因太长了，请控制在 200 字以内。"
    );
    assert_eq!(
        w.one("S101", "上课冲突").await,
        "已为胡静怡同志代请假：10月15日（周四）19:30 党员大会，原因：上课冲突。已通知本人。"
    );
    assert_eq!(w.read("S104").await.len(), 1);
    // A committee member sees no 代请假 button and cannot use a stale one.
    let r = w.say("S102", &format!("/attendance {id}")).await;
    assert_eq!(r[0].1, ["提醒未回复者", "签到大屏"]);
    assert_eq!(
        w.tap("S102", &format!("meet:leavefor:{id}")).await[0].0,
        "只有本支部的书记或副书记可以代请假。"
    );

    // The member's own answer replaces it: then it is no longer 代请假.
    let r = w.tap("S104", &format!("rsvp:leave:{id}")).await;
    assert_eq!(r[0].0, "请简要说明请假原因（如：出差、上课冲突）。");
    w.say("S104", "实验").await;
    let r = w.say("S101", &format!("/attendance {id}")).await;
    assert!(
        r[0].0
            .contains("请假：马超（家中有事，书记代请假）、胡静怡（实验）"),
        "{}",
        r[0].0
    );

    // The minutes list it the same way.
    w.advance_to("2026-10-15T21:40:00+08:00").await;
    let r = w
        .say(
            "S101",
            &format!("/minutes {id} 主持人：黄晓明\n记录人：孙丽\n传达学习全会精神。"),
        )
        .await;
    assert!(
        r[0].0
            .contains("请假：马超（家中有事，书记代请假）、胡静怡（实验）"),
        "{}",
        r[0].0
    );

    // Once it has ended, or when it was cancelled, leave can no longer be recorded.
    assert_eq!(
        w.one("S101", &format!("/proxyleave {id} S106 出差")).await,
        "这个会议已经结束，不能再请假。会后请登记补学（/makeup）。"
    );
    let (other, _) = w
        .meeting(MeetingKind::Lesson, "2026-10-20T19:30:00+08:00", 90)
        .await;
    assert!(w
        .one("S101", &format!("/cancelmeeting {other}"))
        .await
        .contains("已取消"));
    assert_eq!(
        w.one("S101", &format!("/proxyleave {other} S106 出差"))
            .await,
        "这个会议已经取消了。"
    );
    assert_eq!(w.audit("leave_recorded").await.len(), 2);
}

async fn make_up_study_is_recorded_and_counted_by_compliance_and_the_absence_flag(db: Db) {
    let Some(mut w) = World::new(db, t("2026-10-01T09:00:00+08:00")).await else {
        return;
    };
    let (id, code) = w
        .meeting(MeetingKind::General, "2026-10-15T19:30:00+08:00", 120)
        .await;
    w.tap("S106", &format!("rsvp:leave:{id}")).await;
    w.say("S106", "出差").await;
    w.advance_to("2026-10-15T19:25:00+08:00").await;
    assert_eq!(w.one("S103", &code).await, "签到成功：党员大会。");
    assert_eq!(
        w.one("S104", &format!("/makeup {id} 自学了会议精神")).await,
        "会议结束后才能登记补学。"
    );

    w.advance_to("2026-10-15T22:00:00+08:00").await;
    w.read("S104").await;
    // The member: the list of what they owe, the meeting chosen, the note typed.
    let r = w.say("S104", "/makeup").await;
    assert_eq!(r[0].0, "以下会议您未参加，补学完成后请选择会议登记：");
    assert_eq!(r[0].1, ["10月15日（周四）19:30 党员大会"]);
    let r = w.tap("S104", &format!("meet:makeup:{id}")).await;
    assert_eq!(
        texts(&r),
        ["请简要写明10月15日（周四）19:30 党员大会的补学情况（如：已自学会议精神并写了心得）。"]
    );
    assert_eq!(
        w.one("S104", "自学全会公报，写了心得").await,
        "已登记补学：10月15日（周四）19:30 党员大会。谢谢您！"
    );
    assert_eq!(
        w.one("S104", &format!("/makeup {id} 再学一遍")).await,
        "这次会议的补学已于 2026-10-15 登记过了。"
    );
    assert_eq!(
        w.one("S104", "/makeup").await,
        "近半年没有需要您补学的会议。"
    );
    assert_eq!(
        w.one("S103", &format!("/makeup {id} 自学")).await,
        "马超同志参加了这次会议，无需补学。"
    );
    // The secretary for a member on leave; a committee member may not.
    assert_eq!(
        w.one("S102", &format!("/makeup {id} S107 自学")).await,
        "只有本人，或本支部的书记、副书记，可以登记补学。"
    );
    w.read("S106").await;
    assert_eq!(
        w.one("S101", &format!("/makeup {id} S106 书记面授补课"))
            .await,
        "已为林小雨同志登记补学：10月15日（周四）19:30 党员大会。"
    );
    assert_eq!(
        texts(&w.read("S106").await),
        ["【学生第一党支部】已为您登记补学：10月15日（周四）19:30 党员大会（书记面授补课）。"]
    );
    let audit = w.audit("makeup_recorded").await;
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].0, "黄晓明 (S101)");
    assert!(
        audit[1].2.ends_with("林小雨 (S106) · 书记面授补课"),
        "{audit:?}"
    );

    // Compliance counts it: of 8 who missed (1 on leave, 7 absent), 2 made up; 6 absences
    // without leave stay open.
    w.advance_to("2026-12-31T12:00:00+08:00").await;
    let r = w.one("S101", "/compliance 2026Q4").await;
    assert!(
        r.contains("出席率 11% · 请假率 11% · 有会议记录 0/1\n未达要求：支委会、党小组会、党课、主题党日、组织生活会\n补学 2/8 人次 · 未补学的无故缺席 6 人次"),
        "{r}"
    );
}

/// 孙丽 (S102) misses three committee meetings in a row without leave, but made up the second:
/// the third absence is not a third unexcused one in a row, so the secretary is not flagged.
#[tokio::test(start_paused = true)]
async fn an_absence_made_up_breaks_the_run_of_unexcused_absences() {
    let mut w = World::new(Db::Sqlite, t("2026-10-01T09:00:00+08:00"))
        .await
        .unwrap();
    for (n, at) in [
        "2026-10-10T19:00:00+08:00",
        "2026-11-10T19:00:00+08:00",
        "2026-12-10T19:00:00+08:00",
    ]
    .into_iter()
    .enumerate()
    {
        let (id, code) = w.meeting(MeetingKind::Committee, at, 60).await;
        w.advance_to(&at.replace("19:00", "19:05")).await;
        w.say("S101", &code).await;
        w.advance_to(&at.replace("19:00", "20:30")).await;
        if n == 1 {
            assert_eq!(
                w.one("S102", &format!("/makeup {id} 自学会议材料")).await,
                "已登记补学：11月10日（周二）19:00 支委会。谢谢您！"
            );
        }
    }
    let flags: Vec<String> = w
        .read("S101")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.contains("连续"))
        .collect();
    assert!(flags.is_empty(), "{flags:?}");
}

async fn the_rotating_code_changes_every_thirty_seconds_and_an_older_one_is_refused(db: Db) {
    let Some(mut w) = World::new(db, t("2026-10-15T19:10:00+08:00")).await else {
        return;
    };
    let (id, code) = w
        .meeting(MeetingKind::General, "2026-10-15T19:30:00+08:00", 120)
        .await;
    let r = w.one("S101", &format!("/signin_screen {id}")).await;
    assert!(
        r.starts_with(
            "签到大屏链接（10 分钟内打开一次有效）：http://127.0.0.1:8080/meetings/screen/open/"
        ),
        "{r}"
    );
    assert!(r.ends_with("原签到码仍可使用。"), "{r}");
    let token = r
        .split("/open/")
        .nth(1)
        .unwrap()
        .split('\n')
        .next()
        .unwrap()
        .to_owned();
    // The link works once.
    {
        let now = w.clock.now_ms();
        let mut conn = w.store.pool().acquire().await.unwrap();
        assert!(meeting_screens::use_link(&mut conn, &token, now)
            .await
            .unwrap()
            .is_some());
        assert!(meeting_screens::use_link(&mut conn, &token, now)
            .await
            .unwrap()
            .is_none());
    }
    let secret = w.secret(id).await;
    let code_at = |ms: i64| rotating_code(&secret, rotating_window(ms));

    // The current window's code signs in; so does the previous one's, half a minute on.
    let first = code_at(w.clock.now_ms());
    assert_eq!(w.one("S103", &first).await, "签到成功：党员大会。");
    w.advance_ms(30_000).await;
    let second = code_at(w.clock.now_ms());
    assert_ne!(first, second, "the code changes with the window");
    assert_eq!(
        w.one("S104", &format!("签到 {first}")).await,
        "签到成功：党员大会。"
    );
    // Two windows old: refused as expired, and the current one then works.
    w.advance_ms(30_000).await;
    assert_eq!(
        w.one("S106", &first).await,
        format!(
            "签到码 {first} 已过期（签到码每 30 秒更换一次）。请看会场屏幕上的最新签到码再发送。"
        )
    );
    let now = code_at(w.clock.now_ms());
    assert_eq!(w.one("S106", &now).await, "签到成功：党员大会。");
    // The static code still works until the secretary makes the rotating one the only one.
    assert_eq!(w.one("S107", &code).await, "签到成功：党员大会。");
    let r = w.one("S101", &format!("/signin_screen {id} only")).await;
    assert!(r.ends_with("原签到码已停用。"), "{r}");
    assert_eq!(
        w.one("S109", &code).await,
        format!("签到码 {code} 无效，或签到已经结束。请核对后重发。")
    );
    let r = w.say("S101", &format!("/attendance {id}")).await;
    assert!(
        r[0].0.ends_with(&format!(
            "签到码：动态签到码，请发送 /signin_screen {id} 打开签到大屏"
        )),
        "{}",
        r[0].0
    );
    // After the end, no new screen.
    w.advance_to("2026-10-15T21:40:00+08:00").await;
    assert_eq!(
        w.one("S101", &format!("/signin_screen {id}")).await,
        "这个会议已经结束，不能再打开签到大屏。"
    );
}

/// The screen over HTTP: the one-time link opens a session and leads to the page, which shows
/// the meeting and the current rotating code in large digits and reloads itself without
/// scripts; the link does not open twice; the page does not open without the session.
async fn the_sign_in_screen_opens_once_and_shows_the_current_code(db: Db) {
    use crate::helpers::{spawn_with, Spawn};
    use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
    use reqwest::StatusCode;

    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    app.bind(7101, "S101").await;
    let branch: i64 = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        members::branch_id(&mut conn, "学生第一党支部")
            .await
            .unwrap()
            .unwrap()
    };
    let start = Utc::now() + chrono::TimeDelta::minutes(10);
    let id = {
        let mut tx = app.store.begin().await.unwrap();
        let id = branchbot::meetings::store::create(
            &mut tx,
            &NewMeeting {
                branch_id: branch,
                kind: MeetingKind::General,
                starts_at: start.timestamp_millis(),
                ends_at: (start + chrono::TimeDelta::hours(2)).timestamp_millis(),
                place: "图书馆 305".into(),
                topic: "学习<党章>".into(),
                created_by: None,
                attendees: Vec::new(),
                signin_code: "135790".into(),
            },
            Utc::now().timestamp_millis(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        id
    };
    let reply = app.ask(7101, &format!("/signin_screen {id}"), 1).await;
    let text = &reply[0].text;
    let path = text[text.find("/meetings/screen/open/").expect("a link")..]
        .split('\n')
        .next()
        .unwrap()
        .to_owned();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: String, cookie: Option<String>| {
        let mut req = client.get(format!("{}{path}", app.base_url()));
        if let Some(c) = cookie {
            req = req.header(COOKIE, c);
        }
        req.send()
    };
    let opened = get(path.clone(), None).await.unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        opened.headers()[LOCATION].to_str().unwrap(),
        format!("/meetings/screen/{id}")
    );
    let cookie = opened.headers()[SET_COOKIE].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly; SameSite=Lax; Path=/meetings/screen"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap().to_owned();

    let again = get(path, None).await.unwrap();
    assert_eq!(again.status(), StatusCode::FORBIDDEN);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("链接无效、已过期或已经打开过。"));

    let before = Utc::now().timestamp_millis();
    let page = get(format!("/meetings/screen/{id}"), Some(pair))
        .await
        .unwrap();
    let after = Utc::now().timestamp_millis();
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.unwrap();
    assert!(
        body.contains("<h1>【学生第一党支部】党员大会</h1>"),
        "{body}"
    );
    assert!(
        body.contains("<meta http-equiv=\"refresh\" content=\""),
        "{body}"
    );
    assert!(!body.contains("<script"), "no scripts");
    let hex: String =
        sqlx::query_scalar("SELECT secret FROM meeting_signin_secrets WHERE meeting_id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    let secret = hex::decode(hex).unwrap();
    let shown = [before, after].map(|ms| {
        format!(
            "<div class=\"code\" id=\"code\">{}</div>",
            rotating_code(&secret, rotating_window(ms))
        )
    });
    assert!(shown.iter().any(|c| body.contains(c.as_str())), "{body}");

    let none = get(format!("/meetings/screen/{id}"), None).await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    assert!(none
        .text()
        .await
        .unwrap()
        .contains("请先通过书记获取的签到大屏链接打开本页。"));
    app.stop().await;
}

mod the_sign_in_screen_over_http {
    #[tokio::test]
    async fn on_sqlite() {
        super::the_sign_in_screen_opens_once_and_shows_the_current_code(super::Db::Sqlite).await;
    }

    #[tokio::test]
    async fn on_postgres() {
        super::the_sign_in_screen_opens_once_and_shows_the_current_code(super::Db::Postgres).await;
    }
}

/// `[meetings] static_signin_code = false`: a meeting made in chat has no static code, the
/// secretary is told how to open the rotating one when it is made and an hour before.
#[tokio::test(start_paused = true)]
async fn without_static_codes_the_secretary_is_pointed_to_the_sign_in_screen() {
    let rules = MeetingRules {
        static_signin_code: false,
        ..MeetingRules::default()
    };
    let mut w = World::with_rules(Db::Sqlite, t("2026-10-01T09:00:00+08:00"), rules)
        .await
        .unwrap();
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:general").await;
    w.say("S101", "10月15日 19:30").await;
    w.say("S101", "图书馆 305").await;
    w.say("S101", "学习贯彻全会精神").await;
    let r = w.one("S101", "确认").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert!(
        r.ends_with(&format!(
            "签到码：动态签到码，请发送 /signin_screen {id} 打开签到大屏（会前 30 分钟开放）。"
        )),
        "{r}"
    );
    let code: Option<String> = sqlx::query_scalar("SELECT signin_code FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(code, None);
    w.advance_to("2026-10-15T18:31:00+08:00").await;
    let told: Vec<String> = w
        .read("S101")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.contains("动态签到码"))
        .collect();
    assert_eq!(
        told,
        [format!("【学生第一党支部】党员大会（10月15日（周四）19:30）使用动态签到码，会前 30 分钟开放签到。请发送 /signin_screen {id}，在会场屏幕上打开签到大屏。")]
    );
}
