//! Pledges over a simulated term: members write pledges (one returned and revised), the
//! secretary approves them, anyone reads them (公示), monthly check-ins are answered by button
//! and by typed replies, a silent member is reminded once, a blocked item reaches the secretary
//! at once, and the phase-end self-assessment is asked and kept. Each month's check-in (and the
//! reminder and the assessment) is run by hand as its occurrence at its own fire time, months
//! before the app's clock, so nothing waits for time to pass and the scheduler never races it
//! (it records such old occurrences as missed).

use branchbot::scheduler::{JobSpec, When};
use branchbot::testkit::fake_telegram::Sent;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::{
    replace_step, spawn_app, spawn_with, stored_step, tap, Db, Spawn, TestApp, WAIT,
};

const SECRETARY: i64 = 201;
const TANG: i64 = 203;
const HAN: i64 = 204;
const PENG: i64 = 207;
const STRANGER: i64 = 999;

/// Waits for the `n`th message to a chat (counting from 1) and returns it.
async fn nth(app: &TestApp, chat: i64, n: usize) -> Sent {
    app.fake.wait_sent(chat, n, WAIT).await[n - 1].clone()
}

/// 09:00 in Shanghai on a day.
fn nine(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 1, 0, 0).unwrap()
}

/// Runs the job with this dedupe key as its occurrence at `at`, as the scheduler would.
async fn run_job(app: &TestApp, key: &str, at: DateTime<Utc>) {
    crate::helpers::run_job_at(&app.store, key, at).await;
    app.app()
        .engine
        .wake
        .notify(branchbot::flows::ChannelKind::Telegram);
}

async fn branch_id(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT id FROM branches WHERE name = '学生第二党支部'")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
}

/// Writes and submits a one-item pledge, skipping the date.
async fn write_one(app: &TestApp, chat: i64, first: &Sent, way: &str, text: &str) -> Sent {
    let ways = tap(app, chat, first, first.labels()[0].as_str(), 1).await;
    let ask = tap(app, chat, &ways[0], way, 1).await;
    assert!(ask[0].text.starts_with("请写下这一条"), "{}", ask[0].text);
    let date = app.ask(chat, text, 1).await;
    let added = tap(app, chat, &date[0], "跳过", 1).await;
    assert_eq!(added[0].text, "已记下第 1 条。");
    tap(app, chat, &added[0], "提交审核", 1).await.remove(0)
}

#[tokio::test]
async fn a_branch_keeps_its_pledges_over_a_term() {
    term(spawn_app().await).await;
}

#[tokio::test]
async fn a_branch_keeps_its_pledges_over_a_term_on_postgres() {
    let opts = Spawn {
        db: Db::Postgres,
        ..Spawn::default()
    };
    if let Some(app) = spawn_with(opts).await {
        term(app).await;
    }
}

async fn term(app: TestApp) {
    for (chat, key) in [
        (SECRETARY, "S201"),
        (TANG, "S203"),
        (HAN, "S204"),
        (PENG, "S207"),
    ] {
        app.bind(chat, key).await;
    }
    let mut sec_seen = app.fake.sent_to(SECRETARY).len();

    // 唐志强 writes two items, with a bad length and a bad date corrected on the way.
    let none = app.ask(TANG, "/pledge", 1).await;
    assert_eq!(
        none[0].text,
        "您还没有填写承诺。承诺最多 5 条，每条对应一个“带头”方面。"
    );
    let ways = tap(&app, TANG, &none[0], "开始填写", 1).await;
    assert_eq!(
        ways[0].text,
        "第 1 条承诺属于哪个方面？\n带头学习提高 · 带头争创佳绩 · 带头服务师生 · 带头遵纪守法 · 带头弘扬正气"
    );
    assert_eq!(
        ways[0].labels(),
        vec![
            "带头学习提高",
            "带头争创佳绩",
            "带头服务师生",
            "带头遵纪守法",
            "带头弘扬正气"
        ]
    );
    let ask = tap(&app, TANG, &ways[0], "带头学习提高", 1).await;
    assert_eq!(ask[0].text, "请写下这一条（带头学习提高），不超过 200 字。");
    let long = app.ask(TANG, &"读".repeat(201), 1).await;
    assert_eq!(
        long[0].text,
        "这一条有 201 字，超过了 200 字的限制，请精简后重新发送。"
    );
    let date = app.ask(TANG, "每月读一本理论书籍", 1).await;
    assert_eq!(
        date[0].text,
        "有目标完成日期吗？请按 2026-12-31 的格式输入，或点“跳过”。"
    );
    let bad = app.ask(TANG, "明年夏天", 1).await;
    assert_eq!(
        bad[0].text,
        "未能识别这个日期。请按 2026-12-31 的格式输入，或点“跳过”。"
    );
    // A target date in the past is refused whatever form it is typed in.
    for past in ["2020-01-01", "2020/1/1", "2020.01.01", "2020年1月1日"] {
        let refused = app.ask(TANG, past, 1).await;
        assert_eq!(
            refused[0].text,
            format!(
                "“{past}”已经过去了，目标日期不能早于今天。请输入今天或以后的日期，或点“跳过”。"
            )
        );
    }
    let added = app.ask(TANG, "2027年6月30日", 1).await;
    assert_eq!(added[0].text, "已记下第 1 条。");
    assert_eq!(added[0].labels(), vec!["再加一条", "提交审核"]);
    let ways = tap(&app, TANG, &added[0], "再加一条", 1).await;
    assert!(ways[0].text.starts_with("第 2 条承诺"), "{}", ways[0].text);
    tap(&app, TANG, &ways[0], "带头服务师生", 1).await;
    let date = app.ask(TANG, "每周答疑两小时", 1).await;
    let added = tap(&app, TANG, &date[0], "跳过", 1).await;
    let submitted = tap(&app, TANG, &added[0], "提交审核", 1).await;
    assert_eq!(
        submitted[0].text,
        "已提交第 1 版承诺，书记审核后会公示。审核前可发送 /pledge 修改。"
    );

    // The secretary is asked to review it, and approves it from the push.
    sec_seen += 1;
    let review = nth(&app, SECRETARY, sec_seen).await;
    assert_eq!(
        review.text,
        "唐志强同志提交了第 1 版承诺，请审核：\n1. 带头学习提高：每月读一本理论书籍（目标：2027-06-30）\n2. 带头服务师生：每周答疑两小时"
    );
    let t0 = app.fake.sent_to(TANG).len();
    let approved = tap(&app, SECRETARY, &review, "通过", 1).await;
    sec_seen += 1;
    assert_eq!(approved[0].text, "已通过唐志强的承诺，已在支部公示。");
    let told = nth(&app, TANG, t0 + 1).await;
    assert_eq!(told.text, "您的承诺（第 1 版）已通过，已在支部公示。");

    // 韩梅梅's pledge is returned with a comment, revised and submitted again.
    let none = app.ask(HAN, "/pledge", 1).await;
    write_one(&app, HAN, &none[0], "带头争创佳绩", "本学期成绩进步").await;
    sec_seen += 1;
    let first_version = nth(&app, SECRETARY, sec_seen).await;
    let ask = tap(&app, SECRETARY, &first_version, "退回修改", 1).await;
    sec_seen += 1;
    assert_eq!(ask[0].text, "请写下退回的意见，韩梅梅 会看到。");
    let n = app.fake.sent_to(HAN).len();
    let done = app.ask(SECRETARY, "请写得更具体，比如哪门课程", 1).await;
    sec_seen += 1;
    assert_eq!(done[0].text, "已退回韩梅梅的承诺，并告知了您的意见。");
    let returned = nth(&app, HAN, n + 1).await;
    assert_eq!(
        returned.text,
        "您的承诺（第 1 版）被退回修改。书记的意见：请写得更具体，比如哪门课程\n发送 /pledge 修改后重新提交。"
    );
    let view = app.ask(HAN, "/pledge", 1).await;
    assert_eq!(
        view[0].text,
        "我的承诺（第 1 版 · 已退回修改）\n1. 带头争创佳绩：本学期成绩进步\n书记的意见：请写得更具体，比如哪门课程"
    );
    let v2 = write_one(
        &app,
        HAN,
        &view[0],
        "带头争创佳绩",
        "数据结构课程成绩 90 分以上",
    )
    .await;
    assert!(v2.text.starts_with("已提交第 2 版承诺"), "{}", v2.text);
    sec_seen += 1;
    nth(&app, SECRETARY, sec_seen).await;

    // 彭博 writes one item; the secretary reviews both from /pledges_review.
    let none = app.ask(PENG, "/pledge", 1).await;
    write_one(&app, PENG, &none[0], "带头遵纪守法", "按时参加组织生活").await;
    sec_seen += 1;
    nth(&app, SECRETARY, sec_seen).await;
    let waiting = app.ask(SECRETARY, "/pledges_review", 2).await;
    sec_seen += 2;
    assert_eq!(
        waiting[0].text,
        "韩梅梅同志提交了第 2 版承诺，请审核：\n1. 带头争创佳绩：数据结构课程成绩 90 分以上"
    );
    assert_eq!(
        waiting[1].text,
        "彭博同志提交了第 1 版承诺，请审核：\n1. 带头遵纪守法：按时参加组织生活"
    );
    tap(&app, SECRETARY, &waiting[0], "通过", 1).await;
    tap(&app, SECRETARY, &waiting[1], "通过", 1).await;
    sec_seen += 2;
    // The first version's button is stale: the review applies to a version.
    let stale = tap(&app, SECRETARY, &first_version, "通过", 1).await;
    sec_seen += 1;
    assert_eq!(
        stale[0].text,
        "这一版已经审核过，或 韩梅梅 之后又修改了承诺。请发送 /pledges_review 查看最新的。"
    );

    // Published: a stranger who never bound reads them.
    let public = app.ask(STRANGER, "/pledges 学生第二党支部", 1).await;
    assert_eq!(
        public[0].text,
        "学生第二党支部党员承诺公示（3 人）\n唐志强：\n1. 带头学习提高：每月读一本理论书籍（目标：2027-06-30）\n2. 带头服务师生：每周答疑两小时\n韩梅梅：\n1. 带头争创佳绩：数据结构课程成绩 90 分以上\n彭博：\n1. 带头遵纪守法：按时参加组织生活"
    );
    let stats = app.ask(SECRETARY, "/pledge_stats", 1).await;
    sec_seen += 1;
    assert_eq!(
        stats[0].text,
        "学生第二党支部承诺情况\n未提交承诺（6）：谢文博、宋雨桐、冯磊、曹雪、曾晓燕、蒋欣然\n待审核（0）：无\n还没有进行过践诺填报。"
    );

    // Month one: buttons, typed words, a note after the number, a blocked item.
    let key = format!("pledge:checkin:{}", branch_id(&app).await);
    let (t0, h0, p0) = (
        app.fake.sent_to(TANG).len(),
        app.fake.sent_to(HAN).len(),
        app.fake.sent_to(PENG).len(),
    );
    run_job(&app, &key, nine(2026, 3, 1)).await;
    let q1 = nth(&app, TANG, t0 + 1).await;
    assert_eq!(
        q1.text,
        "本期践诺填报：\n1. 带头学习提高：每月读一本理论书籍，进展如何？"
    );
    assert_eq!(q1.labels(), vec!["已完成", "按计划", "落后", "遇到困难"]);
    let q2 = tap(&app, TANG, &q1, "按计划", 1).await;
    assert_eq!(q2[0].text, "2. 带头服务师生：每周答疑两小时，进展如何？");
    let why = app.ask(TANG, "遇到困难", 1).await;
    assert_eq!(why[0].text, "请说明遇到的困难，书记会看到并联系您。");
    let thanks = app.ask(TANG, "本学期课程冲突，时间排不开", 1).await;
    assert_eq!(thanks[0].text, "已记录并告知书记。谢谢您的反馈。");
    sec_seen += 1;
    let alert = nth(&app, SECRETARY, sec_seen).await;
    assert_eq!(
        alert.text,
        "唐志强同志的承诺遇到困难：\n2. 每周答疑两小时\n困难：本学期课程冲突，时间排不开"
    );
    nth(&app, HAN, h0 + 1).await;
    let unclear = app.ask(HAN, "还行吧", 1).await;
    assert_eq!(
        unclear[0].text,
        "请回复进展：1 已完成，2 按计划，3 落后，4 遇到困难。"
    );
    let done = app.ask(HAN, "3 进度稍慢", 1).await;
    assert_eq!(done[0].text, "本期践诺填报已全部记录，谢谢！");
    nth(&app, PENG, p0 + 1).await;

    // 彭博 said nothing: reminded once two days later, and only once.
    let round: i64 = sqlx::query_scalar("SELECT MAX(id) FROM pledge_rounds")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let remind = format!("pledge:remind:{round}");
    run_job(&app, &remind, nine(2026, 3, 3)).await;
    let reminder = nth(&app, PENG, p0 + 2).await;
    assert_eq!(
        reminder.text,
        "提醒：本期践诺填报还没有完成。\n本期践诺填报：\n1. 带头遵纪守法：按时参加组织生活，进展如何？"
    );
    run_job(&app, &remind, nine(2026, 3, 3)).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'pledge:remind:%'")
            .await,
        1
    );
    let stats = app.ask(SECRETARY, "/pledge_stats", 1).await;
    sec_seen += 1;
    assert_eq!(
        stats[0].text,
        "学生第二党支部承诺情况\n未提交承诺（6）：谢文博、宋雨桐、冯磊、曹雪、曾晓燕、蒋欣然\n待审核（0）：无\n本期践诺填报（2026年3月1日）：2/3 人已填报，填报率 67%\n落后或遇到困难：\n唐志强 第 2 条（遇到困难）：每周答疑两小时 —— 本学期课程冲突，时间排不开\n韩梅梅 第 1 条（落后）：数据结构课程成绩 90 分以上 —— 进度稍慢"
    );

    // Month two: everyone answers, by number and by button.
    let (t0, h0, p0) = (
        app.fake.sent_to(TANG).len(),
        app.fake.sent_to(HAN).len(),
        app.fake.sent_to(PENG).len(),
    );
    run_job(&app, &key, nine(2026, 4, 1)).await;
    nth(&app, TANG, t0 + 1).await;
    app.ask(TANG, "2", 1).await;
    let last = app.ask(TANG, "１", 1).await;
    assert_eq!(last[0].text, "本期践诺填报已全部记录，谢谢！");
    nth(&app, HAN, h0 + 1).await;
    app.ask(HAN, "按计划", 1).await;
    let q = nth(&app, PENG, p0 + 1).await;
    tap(&app, PENG, &q, "已完成", 1).await;
    let stats = app.ask(SECRETARY, "/pledge_stats", 1).await;
    sec_seen += 1;
    assert!(
        stats[0].text.ends_with(
            "本期践诺填报（2026年4月1日）：3/3 人已填报，填报率 100%\n落后或遇到困难：\n无"
        ),
        "{}",
        stats[0].text
    );

    // Month three: 唐志强 edits item 1 after the round went out; his answer to it is refused.
    let t0 = app.fake.sent_to(TANG).len();
    run_job(&app, &key, nine(2026, 5, 1)).await;
    let q1 = nth(&app, TANG, t0 + 1).await;
    let view = app.ask(TANG, "/pledge", 1).await;
    let ways = tap(&app, TANG, &view[0], "修改承诺", 1).await;
    tap(&app, TANG, &ways[0], "带头学习提高", 1).await;
    let date = app.ask(TANG, "每两个月读一本理论书籍", 1).await;
    let added = tap(&app, TANG, &date[0], "跳过", 1).await;
    tap(&app, TANG, &added[0], "提交审核", 1).await;
    sec_seen += 1;
    nth(&app, SECRETARY, sec_seen).await;
    let refused = tap(&app, TANG, &q1, "按计划", 1).await;
    assert_eq!(
        refused[0].text,
        "第 1 条在本期填报开始后修改过（填报针对第 1 版，现在是第 2 版），这条填报没有记录。下期填报会按新版本进行。"
    );

    // Phase end: the campaign's `pledge_assessment` job asks; an answer is kept and shown.
    let at = Utc.with_ymd_and_hms(2026, 6, 30, 4, 0, 0).unwrap();
    {
        let mut tx = app.store.begin().await.unwrap();
        let spec = JobSpec {
            kind: "pledge_assessment".into(),
            dedupe_key: "campaign:1:phase:1:pledges".into(),
            payload: r#"{"campaign": "2027", "phase": 1, "title": "第一阶段践诺自评"}"#.into(),
            when: When::At(at),
            grace: None,
        };
        branchbot::scheduler::plan::schedule(
            &mut tx,
            &branchbot::app::features::jobs(),
            &spec,
            at - chrono::TimeDelta::days(1),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let h0 = app.fake.sent_to(HAN).len();
    run_job(&app, "campaign:1:phase:1:pledges", at).await;
    let asked = nth(&app, HAN, h0 + 1).await;
    assert_eq!(
        asked.text,
        "第一阶段践诺自评：请写一段简短的践诺自评（不超过 500 字），回顾您的承诺完成情况。\n1. 带头争创佳绩：数据结构课程成绩 90 分以上"
    );
    let prompt = tap(&app, HAN, &asked, "写自评", 1).await;
    assert_eq!(prompt[0].text, "请写下您的践诺自评（不超过 500 字）。");
    let saved = app.ask(HAN, "数据结构考了 92 分，达成目标。", 1).await;
    assert_eq!(saved[0].text, "已保存您的践诺自评，将用于年度评议。谢谢！");
    let view = app.ask(HAN, "/pledge", 1).await;
    assert_eq!(
        view[0].text,
        "我的承诺（第 2 版 · 已通过并公示）\n1. 带头争创佳绩：数据结构课程成绩 90 分以上\n践诺填报：\n2026-03-01 第 1 条：落后（进度稍慢）\n2026-04-01 第 1 条：按计划\n践诺自评：\n第一阶段践诺自评：数据结构考了 92 分，达成目标。"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM pledge_assessments WHERE text IS NOT NULL")
            .await,
        1
    );
    let _ = sec_seen;
    app.stop().await;
}

#[tokio::test]
async fn a_secretary_sets_the_check_in_schedule_after_seeing_the_next_three_dates() {
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    let usage = app.ask(SECRETARY, "/pledge_schedule", 1).await;
    assert_eq!(
        usage[0].text,
        "现在是每月1日 9:00进行践诺填报。要修改，请直接选一个，或在命令后用中文写，例如：/pledge_schedule 每月1日9点、每周三晚上7点、每月最后一天、每季度末。"
    );
    assert_eq!(
        usage[0].labels(),
        vec![
            "每月1日 9:00",
            "每月15日 9:00",
            "每月最后一天 9:00",
            "每季度末（3、6、9、12 月的最后一天）9:00"
        ]
    );
    // Plain Chinese is read and said back in words, never as crontab syntax.
    let said = app
        .ask(SECRETARY, "/pledge_schedule 每周三晚上7点", 1)
        .await;
    assert!(
        said[0]
            .text
            .starts_with("学生第二党支部将在每周三 19:00进行践诺填报，接下来三次：\n"),
        "{}",
        said[0].text
    );
    let set = tap(&app, SECRETARY, &said[0], "确认", 1).await;
    assert_eq!(set[0].text, "已设置：每周三 19:00。");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM jobs WHERE kind = 'pledge_checkin' AND cron_expr = '0 19 * * 3'"
        )
        .await,
        1
    );
    let unread = app.ask(SECRETARY, "/pledge_schedule 每逢节假日", 1).await;
    assert_eq!(
        unread[0].text,
        "未能识别“每逢节假日”。可以这样写：每月1日9点、每月15号 上午10点、每周三晚上7点、每天晚上8点、每月最后一天、每季度末。"
    );
    // A preset.
    let usage = app.ask(SECRETARY, "/pledge_schedule", 1).await;
    let preset = tap(&app, SECRETARY, &usage[0], "每月最后一天 9:00", 1).await;
    assert!(
        preset[0]
            .text
            .starts_with("学生第二党支部将在每月最后一天 9:00进行践诺填报"),
        "{}",
        preset[0].text
    );
    let kept = tap(&app, SECRETARY, &preset[0], "取消", 1).await;
    assert_eq!(kept[0].text, "未修改，仍为：每周三 19:00。");
    let bad = app.ask(SECRETARY, "/pledge_schedule 0 25 1 * *", 1).await;
    assert!(
        bad[0].text.starts_with("这个时间表达式无效：") && bad[0].text.contains("小时"),
        "{}",
        bad[0].text
    );
    let preview = app.ask(SECRETARY, "/pledge_schedule 0 20 * * Fri", 1).await;
    let tz = chrono_tz::Asia::Shanghai;
    let dates: Vec<String> = branchbot::scheduler::Crontab::parse("0 20 * * Fri")
        .unwrap()
        .upcoming(tz, Utc::now())
        .take(3)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .collect();
    // An expert's crontab is still accepted, and said back in words.
    assert_eq!(
        preview[0].text,
        format!(
            "学生第二党支部将在每周五 20:00进行践诺填报，接下来三次：\n{}\n确认吗？",
            dates.join("\n")
        )
    );
    assert_eq!(preview[0].labels(), vec!["确认", "取消"]);
    let set = tap(&app, SECRETARY, &preview[0], "确认", 1).await;
    assert_eq!(set[0].text, "已设置：每周五 20:00。");
    let sql =
        "SELECT COUNT(*) FROM jobs WHERE kind = 'pledge_checkin' AND cron_expr = '0 20 * * Fri'";
    assert_eq!(app.count(sql).await, 1);
    // Set again: the branch's one job follows.
    let preview = app.ask(SECRETARY, "/pledge_schedule 0 9 15 * *", 1).await;
    tap(&app, SECRETARY, &preview[0], "确认", 1).await;
    let sql =
        "SELECT COUNT(*) FROM jobs WHERE kind = 'pledge_checkin' AND cron_expr = '0 9 15 * *'";
    assert_eq!(app.count(sql).await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM jobs WHERE kind = 'pledge_checkin'")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn those_who_cannot_pledge_or_review_are_told_why() {
    let app = spawn_app().await;
    app.bind(209, "S209").await; // 入党积极分子: not a Party member
    let no = app.ask(209, "/pledge", 1).await;
    assert_eq!(no[0].text, "承诺由党员（含预备党员）填写。");
    let no = app.ask(209, "/pledges_review", 1).await;
    assert_eq!(no[0].text, "只有书记和支委可以这样做。需要帮助请发 /help。");
    let unknown = app.ask(STRANGER, "/pledges 第九党支部", 1).await;
    assert!(
        unknown[0]
            .text
            .starts_with("没有叫“第九党支部”的支部。现有支部："),
        "{}",
        unknown[0].text
    );
    let none = app.ask(STRANGER, "/pledges 学生第二党支部", 1).await;
    assert_eq!(none[0].text, "学生第二党支部还没有公示的承诺。");

    // A college committee member outside any branch cannot pledge, and is told why.
    let extra = "key,name,branch,branch_kind,group,role,mobile,locale,college\n\
                 C001,周院委,,,,党员,13700000001,zh-CN,是\n";
    let roster = branchbot::domain::roster::parse(extra.as_bytes(), branchbot::i18n::Locale::ZhCn)
        .expect("a college member without a branch");
    let mut tx = app.store.begin().await.unwrap();
    branchbot::store::members::import(&mut tx, &roster, false, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    app.bind(77, "C001").await;
    let no = app.ask(77, "/pledge", 1).await;
    assert_eq!(
        no[0].text,
        "您还没有编入党支部，暂时不能填写承诺。请联系支部书记。"
    );

    // A sixth item is refused with the limit, and the five can still be submitted.
    app.bind(205, "S205").await;
    let mut last = app.ask(205, "/pledge", 1).await.remove(0);
    let mut label = "开始填写";
    for n in 1..=5 {
        let ways = tap(&app, 205, &last, label, 1).await;
        tap(&app, 205, &ways[0], "带头学习提高", 1).await;
        let date = app.ask(205, &format!("第{n}条"), 1).await;
        last = tap(&app, 205, &date[0], "跳过", 1).await.remove(0);
        assert_eq!(last.text, format!("已记下第 {n} 条。"));
        label = "再加一条";
    }
    let sixth = app.ask(205, "再加一条", 1).await;
    assert_eq!(sixth[0].text, "承诺最多 5 条，请提交。");
    let sent = app.ask(205, "提交审核", 1).await;
    assert!(
        sent[0].text.starts_with("已提交第 1 版承诺"),
        "{}",
        sent[0].text
    );

    // The college committee sees every branch's figures.
    app.bind(1, "T001").await;
    let all = app.ask(1, "/pledge_stats", 1).await;
    let headers: Vec<&str> = all[0]
        .text
        .lines()
        .filter(|l| l.ends_with("承诺情况"))
        .collect();
    assert_eq!(
        headers,
        vec![
            "学生第一党支部承诺情况",
            "学生第二党支部承诺情况",
            "教工第一党支部承诺情况"
        ]
    );
    assert!(all[0].text.contains("待审核（1）：冯磊"), "{}", all[0].text);
    app.stop().await;
}

#[tokio::test]
async fn a_member_who_reads_english_writes_a_pledge_in_english() {
    let app = spawn_app().await;
    app.bind(9, "T009").await; // Emily Carter, locale en
    let none = app.ask(9, "/pledge", 1).await;
    assert_eq!(
        none[0].text,
        "You have not written a pledge yet. A pledge has at most 5 items, each in one way of taking the lead."
    );
    let ways = tap(&app, 9, &none[0], "Start writing", 1).await;
    assert_eq!(
        ways[0].labels(),
        vec![
            "Lead in study and self-improvement",
            "Lead in striving for excellent results",
            "Lead in serving teachers and students",
            "Lead in observing discipline and the law",
            "Lead in upholding integrity"
        ]
    );
    let ask = tap(
        &app,
        9,
        &ways[0],
        "Lead in serving teachers and students",
        1,
    )
    .await;
    assert_eq!(
        ask[0].text,
        "Write this item (Lead in serving teachers and students) in at most 200 characters."
    );
    app.ask(9, "Office hours for students every week", 1).await;
    let added = app.ask(9, "skip", 1).await;
    assert_eq!(added[0].text, "Item 1 noted.");
    let sent = app.ask(9, "2", 1).await;
    assert_eq!(
        sent[0].text,
        "Version 1 of your pledge is submitted; it is published once the secretary approves it. Send /pledge to edit it before then."
    );
    app.stop().await;
}

#[tokio::test]
async fn pledge_steps_and_buttons_stored_before_the_feature_had_its_folder_read_on() {
    stored_steps_read_on(spawn_app().await).await;
}

#[tokio::test]
async fn pledge_steps_and_buttons_stored_before_the_feature_had_its_folder_read_on_postgres() {
    let opts = Spawn {
        db: Db::Postgres,
        ..Spawn::default()
    };
    if let Some(app) = spawn_with(opts).await {
        stored_steps_read_on(app).await;
    }
}

async fn stored_steps_read_on(app: TestApp) {
    app.bind(SECRETARY, "S201").await;
    app.bind(TANG, "S203").await;
    app.ask(TANG, "/pledge", 1).await;

    // A member was asked for the second item's date, under `State::PledgeDate`.
    replace_step(&app.store,
        "S203",
        r#"{"step":"pledge_date","items":[{"way":"study","text":"每月读一本理论书籍","target_date":"2027-12-31"}],"way":"serve","text":"每周答疑两小时"}"#,
    )
    .await;
    let added = app.ask(TANG, "2027-06-30", 1).await;
    assert_eq!(added[0].text, "已记下第 2 条。");
    assert_eq!(added[0].labels(), vec!["再加一条", "提交审核"]);
    assert_eq!(
        stored_step(&app.store, "S203").await["data"]["step"],
        "pledge_more"
    );
    // Today's button data, sent as a client that kept the old message would.
    let before = app.fake.sent_to(TANG).len();
    app.deliver(
        app.fake
            .callback_update(TANG, added[0].message_id, "pm:submit"),
    )
    .await;
    let submitted = app.fake.wait_sent(TANG, before + 1, WAIT).await[before].clone();
    assert_eq!(
        submitted.text,
        "已提交第 1 版承诺，书记审核后会公示。审核前可发送 /pledge 修改。"
    );
    let items: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT i.text, i.target_date FROM pledge_items i ORDER BY i.position")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    assert_eq!(
        items,
        vec![
            ("每月读一本理论书籍".into(), Some("2027-12-31".into())),
            ("每周答疑两小时".into(), Some("2027-06-30".into())),
        ]
    );

    // The secretary had tapped 退回 and was asked why, under `State::PledgeReturnComment`.
    let version: i64 = sqlx::query_scalar("SELECT current_version FROM pledges")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    // Told of the submission (binding said two things first).
    app.fake.wait_sent(SECRETARY, 3, WAIT).await;
    replace_step(
        &app.store,
        "S201",
        &format!(r#"{{"step":"pledge_return_comment","version":{version}}}"#),
    )
    .await;
    let returned = app.ask(SECRETARY, "第二条请写具体些", 1).await;
    assert_eq!(returned[0].text, "已退回唐志强的承诺，并告知了您的意见。");
    let told = app.fake.wait_sent(TANG, before + 2, WAIT).await[before + 1].clone();
    assert!(told.text.contains("第二条请写具体些"), "{}", told.text);

    // A step the old enum wrote for a way: today's `pw:` data still answers it.
    replace_step(&app.store, "S203", r#"{"step":"pledge_way","items":[]}"#).await;
    let before = app.fake.sent_to(TANG).len();
    app.deliver(app.fake.callback_update(TANG, told.message_id, "pw:study"))
        .await;
    let ask = app.fake.wait_sent(TANG, before + 1, WAIT).await[before].clone();
    assert_eq!(ask.text, "请写下这一条（带头学习提高），不超过 200 字。");
    assert_eq!(
        stored_step(&app.store, "S203").await,
        serde_json::json!({"step": "feature", "feature": "pledges",
            "data": {"step": "pledge_text", "items": [], "way": "study"}})
    );
    app.stop().await;
}
