//! `/spotcheck` (随机抽查) as the college committee and a branch secretary read it: the record
//! of a held meeting, the finding typed (with mistakes answered and the step kept), the row in
//! `spot_checks` and the audit log, and the push to the branch's secretary. Someone who is not
//! on the committee is refused and nothing is written.

use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::{self as meetings, NewMeeting, Rsvp};
use branchbot::store::members;

use crate::helpers::{spawn_app, spawn_with, tap, Db, Spawn, TestApp, WAIT};

/// 吴桂兰 (T010) sits on the college committee; 黄晓明 (S101) is the secretary of
/// 学生第一党支部; 孙丽 (S102) is on that branch's committee but not the college's.
const CHECKER: i64 = 9101;
const SECRETARY: i64 = 9102;
const BRANCH_MEMBER: i64 = 9103;

const DAY_MS: i64 = 24 * 3_600_000;

/// A general meeting of 学生第一党支部 held ten days ago: 黄晓明 signed in, 孙丽 came late,
/// 马超 was signed in by 黄晓明 (代签), 胡静怡 was on leave, 林小雨 and 何宇航 were absent;
/// minutes were recorded. Returns its start (ms).
async fn seed_meeting(app: &TestApp) -> i64 {
    let now = chrono::Utc::now().timestamp_millis();
    let starts = now - 10 * DAY_MS;
    let mut tx = app.store.begin().await.unwrap();
    let mut id_of = std::collections::HashMap::new();
    for key in ["S101", "S102", "S103", "S104", "S106", "S107"] {
        let m = members::find(&mut tx, key).await.unwrap().unwrap();
        id_of.insert(key, m.id);
    }
    let branch_id = members::branch_id(&mut tx, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let id = meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id,
            kind: MeetingKind::General,
            starts_at: starts,
            ends_at: starts + 2 * 3_600_000,
            place: "图书馆 305".into(),
            topic: "学习贯彻全会精神".into(),
            created_by: Some(id_of["S101"]),
            attendees: ["S101", "S102", "S103", "S104", "S106", "S107"]
                .iter()
                .map(|k| id_of[k])
                .collect(),
            signin_code: "4821".into(),
        },
        starts - 5 * DAY_MS,
    )
    .await
    .unwrap();
    meetings::set_rsvp(
        &mut tx,
        id,
        id_of["S104"],
        Rsvp::Leave,
        Some("出差"),
        starts - DAY_MS,
    )
    .await
    .unwrap();
    meetings::sign_in(&mut tx, id, id_of["S101"], starts - 60_000, false, None)
        .await
        .unwrap();
    meetings::sign_in(&mut tx, id, id_of["S102"], starts + 600_000, true, None)
        .await
        .unwrap();
    meetings::sign_in(
        &mut tx,
        id,
        id_of["S103"],
        starts,
        false,
        Some((id_of["S101"], "手机没电")),
    )
    .await
    .unwrap();
    meetings::save_minutes(
        &mut tx,
        id,
        "会议由黄晓明主持，传达学习了全会精神，大家逐一发言。",
        Some(id_of["S101"]),
        starts + DAY_MS,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    starts
}

fn local(at_ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[tokio::test]
async fn the_committee_spot_checks_a_meeting_and_the_secretary_hears_the_finding() {
    spot_check_a_meeting(spawn_app().await).await;
}

#[tokio::test]
async fn the_committee_spot_checks_a_meeting_and_the_secretary_hears_the_finding_on_postgres() {
    let opts = Spawn {
        db: Db::Postgres,
        ..Spawn::default()
    };
    if let Some(app) = spawn_with(opts).await {
        spot_check_a_meeting(app).await;
    }
}

async fn spot_check_a_meeting(app: TestApp) {
    let starts = seed_meeting(&app).await;
    app.bind(CHECKER, "T010").await;
    app.bind(SECRETARY, "S101").await;
    let pushed_before = app.fake.sent_to(SECRETARY).len();

    // The only record to check is the seeded meeting.
    let shown = app.ask(CHECKER, "/spotcheck", 1).await;
    assert_eq!(
        shown[0].text,
        format!(
            "随机抽查 #1：学生第一党支部\n\
             党员大会 · {} · 图书馆 305\n\
             议题：学习贯彻全会精神\n\
             应到 6 人\n\
             出席：黄晓明、马超\n\
             迟到：孙丽\n\
             请假：胡静怡（出差）\n\
             缺席：林小雨、何宇航\n\
             代签：马超（黄晓明代签：手机没电）\n\
             会议记录：已记录，开头：“会议由黄晓明主持，传达学习了全会精神，大家逐一发言。”",
            local(starts)
        )
    );
    assert_eq!(shown[0].labels(), vec!["填写抽查意见", "换一个", "取消"]);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM spot_checks WHERE finding IS NULL AND subject_kind = 'meeting'"
        )
        .await,
        1
    );

    let ask = tap(&app, CHECKER, &shown[0], "填写抽查意见", 1).await;
    assert_eq!(
        ask[0].text,
        "请简要写下抽查意见（不超过 500 字），例如“记录完整”或“缺少会议记录，请补交”。"
    );

    // Mistakes are answered and the step waits on.
    let long = "很".repeat(501);
    let too_long = app.ask(CHECKER, &long, 1).await;
    assert_eq!(
        too_long[0].text,
        "抽查意见太长了（501 字），请控制在 500 字以内。"
    );
    let before = app.fake.sent_to(CHECKER).len();
    app.deliver(app.fake.sticker_update(CHECKER)).await;
    let sticker = app.fake.wait_sent(CHECKER, before + 1, WAIT).await;
    assert!(
        !sticker[before].text.is_empty() && !sticker[before].text.contains("已记录"),
        "{}",
        sticker[before].text
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM spot_checks WHERE finding IS NOT NULL")
            .await,
        0
    );

    let done = app
        .ask(CHECKER, "会议记录完整，代签理由需补充说明。", 1)
        .await;
    assert_eq!(done[0].text, "已记录抽查 #1 的抽查意见，并告知：黄晓明。");
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM spot_checks s JOIN members m ON m.id = s.checker_id \
             WHERE m.key = 'T010' AND s.finding = '会议记录完整，代签理由需补充说明。' \
             AND s.found_at IS NOT NULL"
        )
        .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM audit_log a JOIN members m ON m.id = a.actor_id \
             WHERE m.key = 'T010' AND a.action = 'spot_check' AND a.subject = 'spotcheck:1' \
             AND a.via = 'telegram'"
        )
        .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 1);

    // The secretary reads who checked what, and the finding.
    let got = app.fake.wait_sent(SECRETARY, pushed_before + 1, WAIT).await;
    assert_eq!(
        got[pushed_before].text,
        format!(
            "学院党委吴桂兰同志对学生第一党支部进行了随机抽查，抽查对象：党员大会（{}）。\n\
             抽查意见：会议记录完整，代签理由需补充说明。",
            local(starts)
        )
    );

    // The finding is written once; a second text is not a second finding.
    let again = app.ask(CHECKER, "再补一句", 1).await;
    assert!(!again[0].text.contains("已记录抽查"), "{}", again[0].text);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM spot_checks WHERE finding IS NOT NULL")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn someone_outside_the_committee_is_refused_and_nothing_is_written() {
    let app = spawn_app().await;
    seed_meeting(&app).await;
    app.bind(BRANCH_MEMBER, "S102").await;
    let refused = app.ask(BRANCH_MEMBER, "/spotcheck", 1).await;
    assert_eq!(refused[0].text, "只有学院党委成员可以进行随机抽查。");
    let audit = app.ask(BRANCH_MEMBER, "/audit", 1).await;
    assert_eq!(audit[0].text, "只有学院党委成员可以查看管理操作记录。");
    assert_eq!(app.count("SELECT COUNT(*) FROM spot_checks").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn with_nothing_to_check_the_committee_is_told_so_and_another_one_or_cancel_work() {
    let app = spawn_app().await;
    app.bind(CHECKER, "T010").await;
    let nothing = app.ask(CHECKER, "/spotcheck", 1).await;
    assert_eq!(
        nothing[0].text,
        "没有可抽查的记录：近 90 天内没有召开过的会议，也没有公示的党员承诺。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM spot_checks").await, 0);

    seed_meeting(&app).await;
    let pledges = app.ask(CHECKER, "/spotcheck pledge", 1).await;
    assert_eq!(
        pledges[0].text,
        "在“pledge”范围内没有可抽查的记录。换个范围试试，或直接发送 /spotcheck。"
    );
    let unknown = app.ask(CHECKER, "/spotcheck 化学系党支部", 1).await;
    assert!(
        unknown[0]
            .text
            .starts_with("没有名为“化学系党支部”的支部。现有支部："),
        "{}",
        unknown[0].text
    );
    let shown = app.ask(CHECKER, "/spotcheck 学生第一党支部 会议", 1).await;
    assert!(
        shown[0].text.starts_with("随机抽查 #1：学生第一党支部"),
        "{}",
        shown[0].text
    );
    let another = tap(&app, CHECKER, &shown[0], "换一个", 1).await;
    assert!(
        another[0].text.starts_with("随机抽查 #2：学生第一党支部"),
        "{}",
        another[0].text
    );
    let closed = app.ask(CHECKER, "3", 1).await;
    assert_eq!(closed[0].text, "已结束本次抽查，没有填写抽查意见。");
    // 取消 typed while the finding is awaited closes the check too, writing nothing.
    let third = app.ask(CHECKER, "/spotcheck", 1).await;
    let ask = tap(&app, CHECKER, &third[0], "填写抽查意见", 1).await;
    assert_eq!(ask[0].labels(), vec!["取消"]);
    let closed = app.ask(CHECKER, "取消", 1).await;
    assert_eq!(closed[0].text, "已结束本次抽查，没有填写抽查意见。");
    let stale = tap(&app, CHECKER, &third[0], "填写抽查意见", 1).await;
    assert_eq!(stale[0].text, "这个按钮已经失效了。需要帮助请发 /help。");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM spot_checks WHERE finding IS NULL")
            .await,
        3
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
    app.stop().await;
}

/// 唐志强 (S203) of 学生第二党支部 has a published pledge of two items, approved by 谢文博
/// (S201), and answered two check-in rounds; the latest was `latest` (ms).
async fn seed_pledge(app: &TestApp, earlier: i64, latest: i64) {
    use branchbot::pledges::rules::Progress;
    use branchbot::pledges::store::{self as pledges, checkins as pledge_checkins};
    let mut tx = app.store.begin().await.unwrap();
    let tang = members::find(&mut tx, "S203").await.unwrap().unwrap();
    let secretary = members::find(&mut tx, "S201").await.unwrap().unwrap();
    let items = [
        ("study", "每月读一本理论书籍", None),
        ("serve", "每周为同学答疑两小时", Some("2026-12-31")),
    ]
    .map(|(way, text, date)| pledges::NewItem {
        way: way.into(),
        text: text.into(),
        target_date: date.map(Into::into),
    });
    let (version, _) = pledges::submit(&mut tx, tang.id, &items, earlier - DAY_MS)
        .await
        .unwrap();
    assert!(
        pledges::review(&mut tx, version, secretary.id, true, None, earlier - DAY_MS)
            .await
            .unwrap()
    );
    let item_ids: Vec<i64> = pledges::items(&mut tx, version)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    let branch = tang.branch_id.unwrap();
    let first = pledge_checkins::start_round(&mut tx, branch, earlier)
        .await
        .unwrap();
    pledge_checkins::answer(
        &mut tx,
        first,
        item_ids[0],
        tang.id,
        Progress::Behind,
        None,
        earlier,
    )
    .await
    .unwrap();
    let second = pledge_checkins::start_round(&mut tx, branch, latest)
        .await
        .unwrap();
    pledge_checkins::answer(
        &mut tx,
        second,
        item_ids[0],
        tang.id,
        Progress::OnTrack,
        None,
        latest,
    )
    .await
    .unwrap();
    pledge_checkins::answer(
        &mut tx,
        second,
        item_ids[1],
        tang.id,
        Progress::Blocked,
        Some("实验室排班冲突"),
        latest,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_pledge_spot_check_shows_the_items_and_the_latest_answers_and_tells_secretary_and_deputy()
{
    let app = spawn_app().await;
    let now = chrono::Utc::now().timestamp_millis();
    let latest = now - 3 * DAY_MS;
    seed_pledge(&app, now - 33 * DAY_MS, latest).await;
    app.bind(CHECKER, "T010").await;
    app.bind(SECRETARY, "S201").await;
    app.bind(BRANCH_MEMBER, "S202").await;

    let shown = app.ask(CHECKER, "/spotcheck pledge", 1).await;
    assert_eq!(
        shown[0].text,
        format!(
            "随机抽查 #1：学生第二党支部\n\
             唐志强的公示承诺：\n\
             1. 带头学习提高：每月读一本理论书籍\n\
             2. 带头服务师生：每周为同学答疑两小时（目标：2026-12-31）\n\
             最近一期践诺填报（{}）：\n\
             1. 每月读一本理论书籍：按计划\n\
             2. 每周为同学答疑两小时：遇到困难（实验室排班冲突）",
            local(latest)
        )
    );
    let ask = tap(&app, CHECKER, &shown[0], "填写抽查意见", 1).await;
    assert!(
        ask[0].text.starts_with("请简要写下抽查意见"),
        "{}",
        ask[0].text
    );
    let done = app.ask(CHECKER, "践诺情况属实，困难请支部协调。", 1).await;
    assert_eq!(
        done[0].text,
        "已记录抽查 #1 的抽查意见，并告知：谢文博、宋雨桐。"
    );
    for chat in [SECRETARY, BRANCH_MEMBER] {
        let got = app.fake.wait_sent(chat, 3, WAIT).await;
        assert_eq!(
            got.last().unwrap().text,
            "学院党委吴桂兰同志对学生第二党支部进行了随机抽查，抽查对象：唐志强的承诺。\n\
             抽查意见：践诺情况属实，困难请支部协调。"
        );
    }
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM spot_checks s JOIN members m ON m.id = s.subject_id \
             WHERE s.subject_kind = 'pledge' AND m.key = 'S203' AND s.finding IS NOT NULL"
        )
        .await,
        1
    );
    app.stop().await;
}
