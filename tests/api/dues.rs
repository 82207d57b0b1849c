//! 党费 as the people involved read it: the secretary of 学生第一党支部 records payments in
//! chat by name or roster key (and by picking from this month's unpaid), the same month twice
//! is "已登记过" with the existing record, a correction is its own command, the committee's
//! member is asked which 马超 when two share the name, amounts are refused with the reason;
//! members read their year with `/dues`; over seven months on paused time the monthly job
//! reminds only the unpaid and tells the secretary once of six months unpaid; the branch's
//! figures. The store is checked on both backends.

use branchbot::clock::Clock;
use branchbot::domain::roster;
use branchbot::dues::rules::{Amount, Month};
use branchbot::dues::service;
use branchbot::dues::store as dstore;
use branchbot::flows::Content;
use branchbot::i18n::Locale;
use branchbot::store::audit::Actor;
use branchbot::store::{members, Store};
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::{spawn_with, tap, Db, Spawn, TestApp, TestDb};
use crate::world::ChatWorld;

crate::both!(the_dues_store_keeps_amounts_payments_keepers_and_flags_once);

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn m(s: &str) -> Month {
    Month::parse(s).unwrap()
}

async fn the_dues_store_keeps_amounts_payments_keepers_and_flags_once(store: &Store) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
        .expect("example roster");
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let ma = members::find(&mut tx, "S103").await.unwrap().unwrap();
    let sec = members::find(&mut tx, "S101").await.unwrap().unwrap();
    let branch = ma.branch_id.unwrap();

    dstore::set_amount(&mut tx, ma.id, m("2026-01"), Amount(1250), 1)
        .await
        .unwrap();
    dstore::set_amount(&mut tx, ma.id, m("2026-07"), Amount(1500), 2)
        .await
        .unwrap();
    // The same month again replaces the amount.
    dstore::set_amount(&mut tx, ma.id, m("2026-07"), Amount(1600), 3)
        .await
        .unwrap();
    assert_eq!(
        dstore::amounts(&mut tx, ma.id).await.unwrap(),
        vec![(m("2026-01"), Amount(1250)), (m("2026-07"), Amount(1600))]
    );

    let id = dstore::add_payment(&mut tx, ma.id, m("2026-02"), Amount(1250), Some(sec.id), 10)
        .await
        .unwrap();
    dstore::add_payment(&mut tx, ma.id, m("2026-01"), Amount(1250), None, 11)
        .await
        .unwrap();
    let p = dstore::payment(&mut tx, ma.id, m("2026-02"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (p.id, p.amount, p.recorded_by.clone(), p.corrected_at),
        (
            id,
            Amount(1250),
            Some(("黄晓明".into(), "S101".into())),
            None
        )
    );
    dstore::correct_payment(&mut tx, id, Amount(1300), 20)
        .await
        .unwrap();
    let all = dstore::payments(&mut tx, ma.id).await.unwrap();
    assert_eq!(
        all.iter()
            .map(|p| (p.month.to_string(), p.amount.0, p.corrected_at))
            .collect::<Vec<_>>(),
        vec![
            ("2026-01".to_owned(), 1250, None),
            ("2026-02".to_owned(), 1300, Some(20))
        ]
    );
    assert_eq!(all[0].recorded_by, None);

    // The keeper defaults to the secretary; naming another sticks.
    assert_eq!(dstore::keeper_id(&mut tx, branch).await.unwrap(), None);
    assert_eq!(
        service::keeper(&mut tx, branch).await.unwrap().unwrap().key,
        "S101"
    );
    let sun = members::find(&mut tx, "S102").await.unwrap().unwrap();
    dstore::set_keeper(&mut tx, branch, sun.id, 30)
        .await
        .unwrap();
    dstore::set_keeper(&mut tx, branch, ma.id, 31)
        .await
        .unwrap();
    assert_eq!(
        dstore::keeper_id(&mut tx, branch).await.unwrap(),
        Some(ma.id)
    );

    assert!(dstore::flag_once(&mut tx, ma.id, m("2026-03"), 40)
        .await
        .unwrap());
    assert!(!dstore::flag_once(&mut tx, ma.id, m("2026-03"), 41)
        .await
        .unwrap());
    assert!(dstore::flag_once(&mut tx, ma.id, m("2026-09"), 42)
        .await
        .unwrap());

    let named = dstore::named(&mut tx, "马超", None).await.unwrap();
    assert_eq!(
        named.iter().map(|m| m.key.as_str()).collect::<Vec<_>>(),
        ["S103"]
    );
    assert!(dstore::named(&mut tx, "马超", Some(branch + 1000))
        .await
        .unwrap()
        .is_empty());
    tx.commit().await.unwrap();
}

/// 黄晓明 (S101), secretary of 学生第一党支部.
const SECRETARY: i64 = 9401;
/// 马超 (S103), a member of it.
const MA: i64 = 9402;
/// 王建国 (T001), secretary of 教工第一党支部 and on the college committee.
const COMMITTEE: i64 = 9403;
/// 郭子豪 (S105), an activist: pays no dues.
const ACTIVIST: i64 = 9404;
/// 林小雨 (S106), 党小组长: records nothing.
const LEADER: i64 = 9405;

async fn app_on_7_december_2026(db: Db) -> Option<TestApp> {
    let start = TZ
        .with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let app = spawn_with(Spawn {
        db,
        clock: Some(Clock::starting_at(start)),
        ..Spawn::default()
    })
    .await?;
    for (chat, key) in [
        (SECRETARY, "S101"),
        (MA, "S103"),
        (COMMITTEE, "T001"),
        (ACTIVIST, "S105"),
        (LEADER, "S106"),
    ] {
        app.bind(chat, key).await;
    }
    // Monthly amounts from October: ¥12.50 for 马超, ¥0.20 for 胡静怡 (a student's dues).
    let mut tx = app.store.begin().await.unwrap();
    for (key, fen) in [("S101", 3000), ("S103", 1250), ("S104", 20)] {
        let id = members::find(&mut tx, key).await.unwrap().unwrap().id;
        dstore::set_amount(&mut tx, id, m("2026-10"), Amount(fen), 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
    Some(app)
}

async fn said(app: &TestApp, chat: i64, text: &str) -> String {
    app.ask(chat, text, 1).await[0].text.clone()
}

#[tokio::test]
async fn the_secretary_records_dues_in_chat_once_and_members_read_their_year_on_sqlite() {
    recording_in_chat(Db::Sqlite).await;
}

#[tokio::test]
async fn the_secretary_records_dues_in_chat_once_and_members_read_their_year_on_postgres() {
    recording_in_chat(Db::Postgres).await;
}

async fn recording_in_chat(db: Db) {
    let Some(app) = app_on_7_december_2026(db).await else {
        return;
    };
    let s = |t: &'static str| said(&app, SECRETARY, t);

    assert!(said(&app, MA, "/help")
        .await
        .contains("/dues — 查看您今年的党费交纳情况"));
    assert!(s("/help").await.contains("/dues_pay 姓名或学号 月份 金额"));
    assert_eq!(
        s("/dues_pay 马超 2026-11 12.50").await,
        "已登记：马超（S103）2026年11月党费 ¥12.50。"
    );
    // The same month again changes nothing and shows what was recorded.
    assert_eq!(
        s("/dues_pay S103 2026-11 ¥12.5").await,
        "马超（S103）2026年11月的党费已登记过：¥12.50（黄晓明（S101），2026-12-07）。\
         如需更正，请用 /dues_fix S103 2026-11 金额。"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM dues_payments").await,
        1,
        "recorded once"
    );
    // Amounts and months that cannot be right are refused, saying why; nothing is written.
    for (typed, answer) in [
        ("/dues_pay 马超 2026-10 -5", "金额“-5”不能为负数。"),
        (
            "/dues_pay 马超 2026-10 12.505",
            "金额“12.505”最多保留两位小数（精确到分）。",
        ),
        (
            "/dues_pay 马超 2026-10 99999",
            "金额“99999”超过每月上限 ¥10000.00，请核对。",
        ),
        (
            "/dues_pay 马超 2026-10 12,50",
            "无法识别金额“12,50”，请填写数字，如 12.50。",
        ),
        ("/dues_pay 马超 2026-10 0", "金额“0”须大于零。"),
        (
            "/dues_pay 马超 2026-13 12.50",
            "无法识别月份“2026-13”，请按 YYYY-MM 填写，例如 2026-11。",
        ),
        (
            "/dues_pay 郭子豪 2026-10 1",
            "郭子豪（S105）不是党员，不交纳党费。",
        ),
        (
            "/dues_pay 张三 2026-10 1",
            "名册中没有“张三”，请核对姓名或学号。",
        ),
        (
            "/dues_pay 马超 2028-01 12.50",
            "2028年1月超过一年以后，暂不能登记。",
        ),
    ] {
        assert_eq!(s(typed).await, answer, "{typed}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM dues_payments").await, 1);
    // A correction is explicit, and audited with what it was.
    assert_eq!(
        s("/dues_fix 马超 2026-11 15").await,
        "已更正：马超（S103）2026年11月党费由 ¥12.50 改为 ¥15.00。"
    );
    assert_eq!(
        s("/dues_fix 马超 2026-10 15").await,
        "马超（S103）2026年10月的党费尚未登记，无需更正。请用 /dues_pay S103 2026-10 金额 登记。"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'dues_paid'")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'dues_corrected' \
             AND detail = '2026-11 12.50 -> 15.00' AND subject = 'member:S103'"
        )
        .await,
        1
    );

    // 马超 reads his year: October and December unpaid, whom to pay.
    assert_eq!(
        said(&app, MA, "/dues").await,
        "您2026年的党费：每月 ¥12.50\n已交：11月\n未交：10月、12月\n\
         请向收缴党费的同志交纳：黄晓明（S101）。"
    );
    assert_eq!(
        said(&app, ACTIVIST, "/dues").await,
        "党费由党员交纳；您目前不需要交纳党费。"
    );
    // A group leader neither records nor reads the branch's dues.
    assert_eq!(
        said(&app, LEADER, "/dues_pay 马超 2026-10 12.50").await,
        "只有支部收缴党费的同志、支部书记和学院党委委员可以登记党费。"
    );
    assert_eq!(
        said(&app, LEADER, "/dues_report").await,
        "只有支部书记、支委、收缴党费的同志和学院党委委员可以查看支部党费情况。"
    );
    assert_eq!(
        said(&app, LEADER, "/dues").await,
        "尚未为您设定每月党费标准，请联系支部书记。"
    );

    // The guided way: /dues_pay alone lists December's unpaid; a pick offers the amount set.
    let listed = app.ask(SECRETARY, "/dues_pay", 1).await;
    assert_eq!(
        listed[0].text,
        "2026年12月尚未交纳党费的有 3 人，请选择要登记的同志："
    );
    let confirm = tap(&app, SECRETARY, &listed[0], "胡静怡（S104）", 1).await;
    assert_eq!(
        confirm[0].text,
        "登记胡静怡（S104）2026年12月党费 ¥0.20？金额不同请输入 /dues_pay S104 2026-12 金额。"
    );
    let done = tap(&app, SECRETARY, &confirm[0], "确认登记", 1).await;
    assert_eq!(done[0].text, "已登记：胡静怡（S104）2026年12月党费 ¥0.20。");
    // Tapping the old button again records nothing more.
    let again = tap(&app, SECRETARY, &confirm[0], "确认登记", 1).await;
    assert!(again[0].text.contains("的党费已登记过：¥0.20"), "{again:?}");

    // Another 马超 joins 学生第二党支部: the committee's member is asked which one.
    sqlx::query(
        "INSERT INTO members (key, name, branch_id, role, college, phone, locale, active, \
         created_at, updated_at) SELECT 'S211', '马超', id, 'member', 0, NULL, 'zh-CN', 1, 0, 0 \
         FROM branches WHERE name = '学生第二党支部'",
    )
    .execute(app.store.pool())
    .await
    .unwrap();
    let which = app.ask(COMMITTEE, "/dues_pay 马超 2026-12 10", 1).await;
    assert_eq!(
        which[0].text,
        "名册中有 2 位“马超”，请选择您要登记的是哪一位："
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM dues_payments").await, 2);
    let picked = tap(
        &app,
        COMMITTEE,
        &which[0],
        "马超（S211） · 学生第二党支部",
        1,
    )
    .await;
    assert_eq!(
        picked[0].text,
        "已登记：马超（S211）2026年12月党费 ¥10.00。"
    );
    // The secretary's own branch has one 马超: no question.
    assert_eq!(
        s("/dues_pay 马超 2026-12 12.50").await,
        "已登记：马超（S103）2026年12月党费 ¥12.50。"
    );

    // The branch's month.
    assert_eq!(
        s("/dues_report 2026-12").await,
        "【学生第一党支部】2026年12月党费\n\
         党员 9 人，应交 3 人，共 ¥42.70；已交 2 人，共 ¥12.70。\n\
         未交（1 人）：黄晓明（S101） ¥30.00"
    );
    assert_eq!(
        s("/dues_report 2026-13").await,
        "无法识别月份“2026-13”，请按 YYYY-MM 填写，例如 2026-11。"
    );
    // The committee sees every branch.
    let all = said(&app, COMMITTEE, "/dues_report 2026-12").await;
    assert!(all.contains("【学生第二党支部】2026年12月党费"), "{all}");
    assert!(all.contains("【教工第一党支部】2026年12月党费"), "{all}");

    // The secretary names 孙丽 (S102) keeper: members are told to pay her, and she records.
    let mut tx = app.store.begin().await.unwrap();
    let sun = members::find(&mut tx, "S102").await.unwrap().unwrap();
    let branch = sun.branch_id.unwrap();
    service::set_keeper(
        &mut tx,
        &Actor::operator(),
        branch,
        "学生第一党支部",
        &sun,
        0,
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    assert!(said(&app, MA, "/dues")
        .await
        .ends_with("请向收缴党费的同志交纳：孙丽（S102）。"));

    // The web dashboard shows the same month to the secretary, and nothing of other branches.
    let cookie = dashboard_session(&app, SECRETARY).await;
    let own = {
        let mut conn = app.store.pool().acquire().await.unwrap();
        members::branch_id(&mut conn, "学生第一党支部")
            .await
            .unwrap()
            .unwrap()
    };
    let (status, body) = page(&app, &format!("/dashboard/branch/{own}"), &cookie).await;
    assert_eq!(status, 200);
    assert!(
        body.contains(&format!("href=\"/dashboard/branch/{own}/dues\"")),
        "{body}"
    );
    let (status, body) = page(
        &app,
        &format!("/dashboard/branch/{own}/dues?month=2026-12"),
        &cookie,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("学生第一党支部 · 2026年12月党费"), "{body}");
    assert!(
        body.contains("党员 9 人，应交 3 人，共 ¥42.70；已交 2 人，共 ¥12.70。"),
        "{body}"
    );
    assert!(
        body.contains("未交（1 人）：黄晓明（S101） ¥30.00"),
        "{body}"
    );
    assert!(body.contains("胡静怡"), "{body}");
    let (status, body) = page(
        &app,
        &format!("/dashboard/branch/{own}/dues?month=2026-13"),
        &cookie,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("无法识别月份“2026-13”"), "{body}");
    let (status, body) = page(
        &app,
        &format!("/dashboard/branch/{}/dues", own + 1),
        &cookie,
    )
    .await;
    assert_eq!(status, 403);
    assert!(!body.contains("党费"), "{body}");
    app.stop().await;
}

/// Opens a one-time dashboard link from chat; the session cookie (`name=value`).
async fn dashboard_session(app: &TestApp, chat: i64) -> String {
    let text = said(app, chat, "/dashboard").await;
    let url = text[text.find("http").expect("a link")..].trim().to_owned();
    let path = &url[url.find("/dashboard/login/").unwrap()..];
    let res = client()
        .get(format!("{}{path}", app.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let cookie = res.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let res = client()
        .get(format!("{}{path}", app.base_url()))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// The shared world with the built-in jobs installed; what a member reads is what was queued
/// for their chat, and a dues reminder is never urgent.
struct World(ChatWorld);

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.0
    }
}

impl World {
    async fn new(db: Db, start: DateTime<Utc>) -> Option<Self> {
        let w = ChatWorld::new(db, start, Default::default()).await?;
        w.scheduler.install_builtins().await.unwrap();
        Some(Self(w))
    }

    async fn say(&mut self, key: &str, text: &str) -> Vec<String> {
        self.0.send(key, Content::Text { text: text.into() }).await;
        self.read(key).await
    }

    async fn read(&self, key: &str) -> Vec<String> {
        self.take(key)
            .await
            .into_iter()
            .map(|q| {
                if q.body.starts_with("党费提醒") {
                    assert!(!q.urgent, "reminders are not urgent");
                }
                q.body
            })
            .collect()
    }

    async fn dues_read(&self, key: &str) -> Vec<String> {
        self.read(key)
            .await
            .into_iter()
            .filter(|b| b.starts_with("党费提醒"))
            .collect()
    }

    /// Moves paused time to 10:00 on `day` of `month` in Shanghai and runs what fell due.
    async fn advance_to(&self, month: &str, day: u32, hour: u32) {
        let mo = m(month);
        let at = TZ
            .with_ymd_and_hms(mo.year, mo.month, day, hour, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        self.0.advance(at).await;
    }
}

#[tokio::test(start_paused = true)]
async fn over_seven_months_the_unpaid_are_reminded_and_six_months_unpaid_flagged_on_sqlite() {
    seven_months(Db::Sqlite).await;
}

#[tokio::test(start_paused = true)]
async fn over_seven_months_the_unpaid_are_reminded_and_six_months_unpaid_flagged_on_postgres() {
    seven_months(Db::Postgres).await;
}

/// Over seven months the unpaid are reminded monthly, and six months unpaid reach the
/// secretary once.
async fn seven_months(db: Db) {
    let start = TZ
        .with_ymd_and_hms(2026, 6, 1, 9, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let Some(mut w) = World::new(db, start).await else {
        return;
    };
    for key in ["S101", "S103", "S104", "S107"] {
        w.bind(key).await;
    }
    // Amounts from June: 马超 (S103) never pays; 胡静怡 (S104) pays each month before the 5th;
    // 何宇航 (S107) has no amount set and is never reminded; the secretary pays in August.
    let mut tx = w.store.begin().await.unwrap();
    for (key, fen) in [("S101", 3000), ("S103", 1250), ("S104", 20)] {
        let id = members::find(&mut tx, key).await.unwrap().unwrap().id;
        dstore::set_amount(&mut tx, id, m("2026-06"), Amount(fen), 0)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let months = [
        "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01",
    ];
    let mut to_secretary = Vec::new();
    for month in months {
        w.advance_to(month, 2, 9).await;
        let r = w.say("S101", &format!("/dues_pay S104 {month} 0.2")).await;
        assert_eq!(
            r,
            [format!(
                "已登记：胡静怡（S104）{}党费 ¥0.20。",
                month_zh(month)
            )]
        );
        if month == "2026-08" {
            w.say("S101", "/dues_pay S101 2026-08 30").await;
        }
        // The day before the reminder nothing goes out.
        w.advance_to(month, 4, 10).await;
        assert_eq!(w.dues_read("S103").await, Vec::<String>::new(), "{month}");
        w.advance_to(month, 5, 10).await;
        assert_eq!(
            w.dues_read("S103").await,
            [format!(
                "党费提醒：您{}的党费（¥12.50）尚未登记交纳。方便时请交给收缴党费的同志黄晓明（S101）。\
                 如已交纳，请忽略本提醒。",
                month_zh(month)
            )],
            "{month}"
        );
        assert_eq!(w.dues_read("S104").await, Vec::<String>::new(), "{month}");
        assert_eq!(w.dues_read("S107").await, Vec::<String>::new(), "{month}");
        let mut mine = w.dues_read("S101").await;
        let own = mine
            .iter()
            .position(|t| t.starts_with("党费提醒：您"))
            .map(|i| mine.remove(i));
        assert_eq!(own.is_some(), month != "2026-08", "{month}: {own:?}");
        to_secretary.extend(mine.into_iter().map(|t| (month, t)));
    }
    // June to November unpaid: flagged on 5 December, once (January's run is the same run).
    // The secretary's own run is broken by August's payment, and is four months long in
    // January: not flagged.
    assert_eq!(
        to_secretary,
        [(
            "2026-12",
            "党费提醒：马超（S103）已连续 6 个月（2026年6月至2026年11月）未交纳党费。\
             按照党章第三十八条，请支部了解情况，做好思想工作。"
                .to_owned()
        )]
    );
    let flags: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM dues_flags")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(flags, 1);

    // The report reads the same: January's figures and the run.
    let r = w.say("S101", "/dues_report 2027-01").await;
    assert_eq!(
        r,
        ["【学生第一党支部】2027年1月党费\n\
          党员 9 人，应交 3 人，共 ¥42.70；已交 1 人，共 ¥0.20。\n\
          未交（2 人）：黄晓明（S101） ¥30.00、马超（S103） ¥12.50\n\
          连续六个月以上未交纳：马超（S103） 7 个月"]
    );
    // 马超 reads his January.
    assert_eq!(
        w.say("S103", "/dues").await,
        ["您2027年的党费：每月 ¥12.50\n未交：1月\n请向收缴党费的同志交纳：黄晓明（S101）。"]
    );
    // When he pays, the run ends; a new one would be flagged anew, never this one again.
    w.say("S101", "/dues_pay 马超 2027-01 12.50").await;
    w.advance_to("2027-02", 5, 10).await;
    assert_eq!(
        w.dues_read("S103").await,
        ["党费提醒：您2027年2月的党费（¥12.50）尚未登记交纳。方便时请交给收缴党费的同志黄晓明（S101）。\
          如已交纳，请忽略本提醒。"]
    );
    assert!(w
        .dues_read("S101")
        .await
        .iter()
        .all(|t| !t.contains("马超")));
}

fn month_zh(month: &str) -> String {
    let m = m(month);
    format!("{}年{}月", m.year, m.month)
}
