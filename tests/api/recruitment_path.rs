//! One person's whole path through 发展党员 on paused time in Asia/Shanghai, on SQLite and on
//! PostgreSQL: 郭子豪 (S105) applies on 3 March 2025; his secretary 黄晓明 (S101) is reminded of
//! the talk a week before the month is out; he and his contacts hear of each quarter's 思想汇报;
//! he cannot be listed as 发展对象 before his year as an activist (the refusal says the day);
//! the 公示 runs over the 国庆 holiday with the organisation's calendar loaded, and its text
//! reaches the branch; the branch meeting's vote fails (three of seven entitled is not more
//! than half, whoever attended) and passes; the college's approval is reminded within three
//! months, the end of the probation a month ahead and on the day; after the 转正 the roster
//! says 党员 and his record the date. The engine runs each update in its own transaction as
//! the channels do; the scheduler is drained as time is advanced by hand; what a member reads
//! is what was queued for their chat.
//!
//! Then the secret ballot (无记名投票) on the evaluation feature's 票决, failing and passing
//! under the same rule, on the running application.

use branchbot::clock::Clock;
use branchbot::domain::org::Role;
use branchbot::flows::Content;
use branchbot::store::members;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::{spawn_with, tap, Db, Spawn, TestApp};
use crate::world::ChatWorld;

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// The shared world with the example calendar loaded and the built-in jobs installed.
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
        let cal = branchbot::domain::calendar::parse(include_str!("../../examples/calendar.toml"))
            .unwrap();
        let mut tx = w.store.begin().await.unwrap();
        branchbot::store::calendar::replace_years(&mut tx, &cal, 0)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        w.scheduler.install_builtins().await.unwrap();
        Some(Self(w))
    }

    /// Types a text as `key` and returns the reply (the last message queued back: a notice
    /// pushed earlier waits before it).
    async fn say(&mut self, key: &str, text: &str) -> String {
        self.0.send(key, Content::Text { text: text.into() }).await;
        self.read(key).await.pop().unwrap_or_default()
    }

    /// Everything queued for a chat since last read, taken out of the outbox.
    async fn read(&self, key: &str) -> Vec<String> {
        self.take(key).await.into_iter().map(|q| q.body).collect()
    }

    /// The recruitment reminders queued for a chat since last read.
    async fn reminders(&self, key: &str) -> Vec<String> {
        self.read(key)
            .await
            .into_iter()
            .filter(|b| b.starts_with("发展党员提醒"))
            .collect()
    }

    /// Moves paused time to `hour`:00 on a day in Shanghai and runs what fell due.
    async fn advance_to(&self, y: i32, m: u32, d: u32, hour: u32) {
        self.0.advance(at(y, m, d, hour)).await;
    }

    async fn role(&self, key: &str) -> Role {
        let mut conn = self.store.pool().acquire().await.unwrap();
        members::find(&mut conn, key).await.unwrap().unwrap().role
    }
}

#[tokio::test(start_paused = true)]
async fn one_person_goes_from_application_to_full_membership_on_time_on_sqlite() {
    whole_path(Db::Sqlite).await;
}

#[tokio::test(start_paused = true)]
async fn one_person_goes_from_application_to_full_membership_on_time_on_postgres() {
    whole_path(Db::Postgres).await;
}

async fn whole_path(db: Db) {
    let Some(mut w) = World::new(db, at(2025, 3, 3, 10)).await else {
        return;
    };
    for key in ["S101", "S103", "S105", "S107", "S110"] {
        w.bind(key).await;
    }
    macro_rules! ok {
        ($text:expr, $want:expr) => {{
            let r = w.say("S101", $text).await;
            assert!(r.contains($want), "{}: {r}", $text);
            r
        }};
    }

    // 入党申请人: the application today, and the talk within a month.
    ok!(
        "/recruit S105 applied",
        "已记录：S105 · 递交入党申请书 · 2025-03-03。目前阶段：入党申请人"
    );
    ok!(
        "/recruit S105 activist",
        "不能记录“确定为入党积极分子”：还没有记录“党组织派人谈话”。"
    );
    w.advance_to(2025, 3, 26, 10).await;
    assert_eq!(w.reminders("S101").await, Vec::<String>::new());
    w.advance_to(2025, 3, 27, 10).await;
    assert_eq!(
        w.reminders("S101").await,
        ["发展党员提醒：郭子豪（S105）· 谈话期限：2025-04-03"]
    );
    ok!("/recruit S105 talk", "2025-03-27");

    // 入党积极分子 with two full members as contacts, and the quarterly 思想汇报.
    w.advance_to(2025, 4, 1, 10).await;
    ok!(
        "/recruit S105 activist 团支部推优",
        "目前阶段：入党积极分子"
    );
    assert_eq!(w.role("S105").await, Role::Activist);
    ok!("/recruit S105 contact S107", "已记录");
    ok!("/recruit S105 contact S110", "已记录");
    w.advance_to(2025, 6, 24, 10).await;
    let report = "发展党员提醒：郭子豪（S105）· 下次思想汇报：2025-07-01";
    assert_eq!(w.reminders("S105").await, [report]);
    assert_eq!(w.reminders("S107").await, [report]);
    assert_eq!(w.reminders("S110").await, [report]);
    assert_eq!(w.reminders("S101").await, Vec::<String>::new());
    w.advance_to(2025, 6, 30, 10).await;
    // His contact records the report he handed in.
    let r = w.say("S107", "/recruit S105 report").await;
    assert!(
        r.contains("已记录：S105 · 递交思想汇报 · 2025-06-30"),
        "{r}"
    );
    w.advance_to(2025, 9, 23, 10).await;
    assert_eq!(
        w.reminders("S105").await,
        ["发展党员提醒：郭子豪（S105）· 下次思想汇报：2025-09-30"]
    );

    // The year as an activist: refused the day before, with the day it becomes possible.
    w.advance_to(2026, 3, 31, 10).await;
    for step in [
        "/recruit S105 report 2025-09-29",
        "/recruit S105 review 2025-10-01",
        "/recruit S105 report 2025-12-28",
        "/recruit S105 report 2026-03-25",
        "/recruit S105 review 2026-03-30",
        "/recruit S105 opinions 2026-03-30 党小组、培养联系人一致同意",
    ] {
        ok!(step, "已记录");
    }
    ok!(
        "/recruit S105 candidate",
        "不能记录“列为发展对象”：确定为入党积极分子须满一年（细则第十二条），最早 2026-04-01。"
    );
    w.read("S101").await;
    w.advance_to(2026, 4, 1, 10).await;
    assert_eq!(
        w.reminders("S101").await,
        ["发展党员提醒：郭子豪（S105）· 今天到期 · 最早可列为发展对象：2026-04-01"]
    );
    ok!("/recruit S105 candidate", "目前阶段：发展对象");

    // 发展对象: the steps and the papers before the 公示 and the vote.
    w.advance_to(2026, 9, 28, 10).await;
    for step in [
        "/recruit S105 political 2026-05-10",
        "/recruit S105 材料 政审材料 2026-05-10",
        "/recruit S105 training 2026-06-20 24",
        "/recruit S105 committee_review 2026-09-01",
        "/recruit S105 prereview 2026-09-10",
        "/recruit S105 form 2026-09-15",
    ] {
        ok!(step, "已");
    }
    ok!(
        "/recruit S105 vote 4 1 0 7",
        "不能记录“支部大会表决”：还没有收到“培训结业证明”。"
    );
    ok!("/recruit S105 材料", "不认识的材料“”。可登记：入党申请书、思想汇报、政审材料、培训结业证明、入党志愿书、转正申请书。");
    ok!("/recruit S105 材料 培训结业证明 2026-06-20", "已登记");
    ok!(
        "/recruit S105 材料 入党志愿书 2026-09-16",
        "“入党志愿书”已经登记过。"
    );
    ok!("/recruit S105 vote 4 1 0 7", "还没有记录“公示”");
    let show = ok!("/recruit S105", "材料：入党申请书 2025-03-03；思想汇报 4 份（最近 2026-03-25）；政审材料 2026-05-10；培训结业证明 2026-06-20；入党志愿书 2026-09-15");
    assert!(!show.contains("公示期"), "{show}");

    // The 公示 from Tuesday 29 September: 29th and 30th, 国庆 1–7 October off, then the 8th,
    // 9th and the 调休 Saturday 10th. Its text goes to the branch.
    w.advance_to(2026, 9, 29, 10).await;
    let r = ok!("/recruit S105 公示", "已记录：S105 · 公示 · 2026-09-29");
    assert!(
        r.contains("关于拟接收郭子豪同志为中共预备党员的公示\n\n郭子豪同志，学生第一党支部，2025-03-03递交入党申请书，2025-04-01被确定为入党积极分子，2026-04-01被列为发展对象。经支部委员会审查、学院党委预审，拟接收郭子豪同志为中共预备党员，现予公示。\n公示期：2026-09-29至2026-10-10（5个工作日）。"),
        "{r}"
    );
    assert!(r.contains("联系人：黄晓明（+8613900020001）"), "{r}");
    assert!(r.ends_with("公示已发送给本支部 4 名成员。"), "{r}");
    let notice = w.read("S103").await;
    assert_eq!(notice.len(), 1, "{notice:?}");
    assert!(
        notice[0].starts_with("关于拟接收郭子豪同志为中共预备党员的公示"),
        "{notice:?}"
    );
    assert!(notice[0].contains("以个人名义反映的请署真实姓名"));
    // He was sent it too, as a member of the branch.
    assert_eq!(w.read("S105").await, notice);
    let r = w.say("S105", "/mystage").await;
    assert!(
        r.contains(
            "公示期：2026-09-29 至 2026-10-10（5 个工作日），2026-10-11 起可提交支部大会表决"
        ),
        "{r}"
    );
    w.advance_to(2026, 10, 9, 10).await;
    ok!(
        "/recruit S105 vote 4 1 0 7",
        "不能记录“支部大会表决”：公示尚未期满（按工作日计算），2026-10-11 起才可表决。"
    );

    // The 公示's last day, the 调休 Saturday: the secretary hears the vote may follow.
    w.read("S101").await;
    w.advance_to(2026, 10, 10, 10).await;
    assert_eq!(
        w.reminders("S101").await,
        ["发展党员提醒：郭子豪（S105）· 今天到期 · 公示期满（次日起可表决）：2026-10-10"]
    );

    // The branch meeting on Monday 12 October: three for of seven entitled is not more than
    // half, though three of the four present voted for; then four for passes.
    w.advance_to(2026, 10, 12, 10).await;
    let r = ok!(
        "/recruit S105 vote 3 1 0 7",
        "表决未通过：赞成 3、反对 1、弃权 0；应到会有表决权的正式党员 7 人，超过半数需 4 票。"
    );
    assert!(r.contains("目前阶段：发展对象"), "{r}");
    assert_eq!(w.role("S105").await, Role::Activist);
    let r = ok!(
        "/recruit S105 vote 4 1 0 7",
        "表决通过：赞成 4、反对 1、弃权 0；应到会有表决权的正式党员 7 人，超过半数需 4 票。"
    );
    assert!(r.contains("目前阶段：预备党员"), "{r}");
    assert_eq!(w.role("S105").await, Role::Probationary);

    // The college's talk and approval within three months: reminded two weeks ahead.
    w.read("S101").await;
    w.advance_to(2026, 12, 29, 10).await;
    let got = w.reminders("S101").await;
    assert!(
        got.contains(&"发展党员提醒：郭子豪（S105）· 学院党委审批期限：2027-01-12".to_owned()),
        "{got:?}"
    );
    ok!("/recruit S105 approval", "还没有记录“学院党委派人谈话”");
    ok!("/recruit S105 committee_talk 2026-12-20", "已记录");
    ok!("/recruit S105 approval", "目前阶段：预备党员");
    ok!("/recruit S105 oath", "已记录");

    // The probation ends on 12 October 2027: he and his secretary hear of it a month ahead.
    w.read("S101").await;
    w.read("S105").await;
    w.advance_to(2027, 9, 12, 10).await;
    let ends = "发展党员提醒：郭子豪（S105）· 预备期满（讨论转正）：2027-10-12";
    assert!(w.reminders("S105").await.contains(&ends.to_owned()));
    assert!(w.reminders("S101").await.contains(&ends.to_owned()));
    w.advance_to(2027, 9, 13, 10).await;
    ok!("/recruit S105 公示", "还没有记录“递交转正申请”");
    ok!("/recruit S105 application", "已记录");
    let r = ok!(
        "/recruit S105 公示",
        "关于郭子豪同志拟按期转为中共正式党员的公示"
    );
    assert!(
        r.contains("2026-10-12经支部大会讨论接收为中共预备党员，预备期至2027-10-12"),
        "{r}"
    );
    w.advance_to(2027, 9, 22, 10).await;
    ok!(
        "/recruit S105 vote 6 0 1 7",
        "不能记录“支部大会表决”：预备期一年尚未期满，最早 2027-10-12。"
    );
    w.read("S101").await;
    w.read("S105").await;
    w.advance_to(2027, 10, 12, 10).await;
    let due = "发展党员提醒：郭子豪（S105）· 今天到期 · 预备期满（讨论转正）：2027-10-12";
    assert!(w.reminders("S105").await.contains(&due.to_owned()));
    assert!(w.reminders("S101").await.contains(&due.to_owned()));
    ok!("/recruit S105 vote 6 0 1 7", "表决通过");
    w.advance_to(2027, 10, 20, 10).await;
    ok!("/recruit S105 approval", "目前阶段：正式党员");
    assert_eq!(w.role("S105").await, Role::Member);
    let show = ok!("/recruit S105", "转为中共正式党员：2027-10-20");
    assert!(
        show.contains("接收为中共预备党员：2026-10-12（预备期至 2027-10-12）"),
        "{show}"
    );
    w.read("S105").await;
    let r = w.say("S105", "/mystage").await;
    assert!(r.contains("您已经是正式党员"), "{r}");

    // Another member sees nothing of his record, and has none of their own.
    let r = w.say("S103", "/recruit S105").await;
    assert!(r.contains("没有权限") && !r.contains("郭子豪"), "{r}");
    assert!(w
        .say("S103", "/mystage")
        .await
        .contains("您还没有入党申请记录"));

    // Every step and paper is audited.
    let audited: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'recruitment_step'")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    let steps: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recruit_steps")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(
        audited,
        steps + 2,
        "the steps and the two papers on their own"
    );
}

/// Waits until `chat` has been told of the `n`-th ballot opened for it.
async fn told(app: &TestApp, chat: i64, n: usize) {
    let mut want = 1;
    loop {
        let sent = app.fake.wait_sent(chat, want, crate::helpers::WAIT).await;
        if sent
            .iter()
            .filter(|m| m.text.contains("已开始，截止时间"))
            .count()
            >= n
        {
            return;
        }
        want = sent.len() + 1;
    }
}

async fn said(app: &TestApp, chat: i64, text: &str) -> String {
    app.ask(chat, text, 1).await[0].text.clone()
}

/// 黄晓明 (S101), secretary of 学生第一党支部, and three full members of it.
const VOTERS: [(i64, &str); 4] = [
    (9601, "S101"),
    (9602, "S102"),
    (9603, "S103"),
    (9604, "S107"),
];

#[tokio::test]
async fn the_branch_votes_by_secret_ballot_and_the_majority_counts_all_members_entitled_on_sqlite()
{
    secret_ballot(Db::Sqlite).await;
}

#[tokio::test]
async fn the_branch_votes_by_secret_ballot_and_the_majority_counts_all_members_entitled_on_postgres(
) {
    secret_ballot(Db::Postgres).await;
}

async fn secret_ballot(db: Db) {
    let start = at(2026, 12, 7, 10);
    let Some(mut app) = spawn_with(Spawn {
        db,
        clock: Some(Clock::starting_at(start)),
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    for (chat, key) in VOTERS {
        app.bind(chat, key).await;
    }
    let s = VOTERS[0].0;
    for step in [
        "/recruit S105 applied 2024-03-01",
        "/recruit S105 talk 2024-03-15",
        "/recruit S105 activist 2024-04-01",
        "/recruit S105 contact 2024-04-01 S107",
        "/recruit S105 report 2024-07-01",
        "/recruit S105 review 2024-10-01",
        "/recruit S105 review 2025-03-25",
        "/recruit S105 opinions 2025-03-28",
        "/recruit S105 candidate 2025-04-02",
        "/recruit S105 political 2025-05-01",
        "/recruit S105 paper political_materials 2025-05-01",
        "/recruit S105 training 2025-05-10 24",
        "/recruit S105 paper training_certificate 2025-05-10",
        "/recruit S105 committee_review 2025-06-01",
        "/recruit S105 prereview 2025-06-10",
        "/recruit S105 form 2025-06-15",
    ] {
        let r = said(&app, s, step).await;
        assert!(r.starts_with("已"), "{step}: {r}");
    }
    // The 公示 from Monday 7 December runs to Friday 11th: the ballot is refused as the vote
    // would be, and says from when.
    let r = said(&app, s, "/recruit S105 公示").await;
    assert!(
        r.contains("关于拟接收郭子豪同志为中共预备党员的公示"),
        "{r}"
    );
    let r = said(&app, s, "/recruit S105 无记名投票").await;
    assert_eq!(
        r,
        "不能记录“支部大会表决”：公示尚未期满（按工作日计算），2026-12-12 起才可表决。"
    );
    let r = said(&app, s, "/recruit S105 无记名投票 100").await;
    assert!(r.starts_with("投票时长请写 1 到 72"), "{r}");
    let other = said(&app, VOTERS[2].0, "/recruit S105 无记名投票").await;
    assert!(other.contains("没有权限"), "{other}");

    // The branch meeting on Monday 14th: the ballot opens for the seven full members of the
    // branch (not 郭子豪, not the probationary members).
    app.restart_at(Clock::starting_at(at(2026, 12, 14, 19)))
        .await;
    let r = said(&app, s, "/recruit S105 无记名投票 1").await;
    assert!(
        r.starts_with("已发起无记名投票（第 1 号）：支部大会表决：接收郭子豪为中共预备党员。有表决权的正式党员 7 人，赞成票须超过其半数，即至少 4 票。"),
        "{r}"
    );
    for (chat, _) in &VOTERS[1..] {
        told(&app, *chat, 1).await;
    }
    for (i, (chat, _)) in VOTERS.iter().enumerate() {
        let pick = if i == 3 { "反对" } else { "赞成" };
        crate::evaluation::vote(&app, *chat, &[pick]).await;
    }
    let r = said(&app, s, "/recruit S105 无记名投票").await;
    assert!(
        r.starts_with("无记名投票（第 1 号）进行中：已投 4 / 7 人"),
        "{r}"
    );
    let asked = app.ask(s, "/evaluation close 1", 1).await;
    tap(&app, s, &asked[0], "提前结束", 1).await;
    // Three for of seven entitled: not more than half, though three of four voted for.
    let r = said(&app, s, "/recruit S105 无记名投票").await;
    assert!(
        r.contains(
            "表决未通过：赞成 3、反对 1、弃权 0；应到会有表决权的正式党员 7 人，超过半数需 4 票。"
        ),
        "{r}"
    );
    assert!(r.contains("目前阶段：发展对象"), "{r}");

    // A second ballot: all four present vote for, and it passes.
    let r = said(&app, s, "/recruit S105 无记名投票 1").await;
    assert!(r.starts_with("已发起无记名投票（第 2 号）"), "{r}");
    for (chat, _) in &VOTERS[1..] {
        told(&app, *chat, 2).await;
    }
    for (chat, _) in VOTERS {
        crate::evaluation::vote(&app, chat, &["赞成"]).await;
    }
    let asked = app.ask(s, "/evaluation close 2", 1).await;
    tap(&app, s, &asked[0], "提前结束", 1).await;
    let r = said(&app, s, "/recruit S105 无记名投票").await;
    assert!(
        r.contains(
            "表决通过：赞成 4、反对 0、弃权 0；应到会有表决权的正式党员 7 人，超过半数需 4 票。"
        ),
        "{r}"
    );
    assert!(r.contains("目前阶段：预备党员"), "{r}");
    let show = said(&app, s, "/recruit S105").await;
    assert!(show.contains("无记名投票（第 2 号）"), "{show}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM recruit_ballots WHERE recorded_at IS NOT NULL")
            .await,
        2
    );
    app.stop().await;
}
