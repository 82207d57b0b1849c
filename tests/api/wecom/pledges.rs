//! A pledge over WeCom from start to check-in: written by typed answers and card buttons,
//! approved by the secretary from the pushed card, then the month's check-in answered.

use chrono::{TimeZone, Utc};

use super::{spawn_wecom, WecomApp};

const SECRETARY: &str = "S201";
const PENG: &str = "S207";

/// Runs the job with this dedupe key as its occurrence at `at`, as the scheduler would.
async fn run_job(app: &WecomApp, key: &str, at: chrono::DateTime<Utc>) {
    crate::helpers::run_job_at(&app.store, key, at).await;
    app.app()
        .engine
        .wake
        .notify(branchbot::flows::ChannelKind::Wecom);
}

#[tokio::test]
async fn a_member_writes_a_pledge_and_answers_the_monthly_check_in_over_wecom() {
    let app = spawn_wecom().await;
    let none = app.ask(PENG, "/pledge", 1).await;
    assert!(none[0].starts_with("您还没有填写承诺。"), "{}", none[0]);
    // Typed: the number of the first option (开始填写).
    let ways = app.ask(PENG, "1", 1).await;
    assert!(
        ways[0].starts_with("第 1 条承诺属于哪个方面？"),
        "{}",
        ways[0]
    );
    // A card's button: 带头遵纪守法.
    let card = app.last_card(PENG).await;
    let ask = app.tap(PENG, &card, "带头遵纪守法", 1).await;
    assert_eq!(ask[0], "请写下这一条（带头遵纪守法），不超过 200 字。");
    app.ask(PENG, "按时参加组织生活", 1).await;
    let added = app.ask(PENG, "跳过", 1).await;
    assert!(added[0].starts_with("已记下第 1 条。"), "{}", added[0]);
    let submitted = app.ask(PENG, "提交审核", 1).await;
    assert!(
        submitted[0].starts_with("已提交第 1 版承诺"),
        "{}",
        submitted[0]
    );

    // The secretary approves it from the pushed card.
    let review = app.wait_texts(SECRETARY, 1).await;
    assert!(
        review[0]
            .starts_with("彭博同志提交了第 1 版承诺，请审核：\n1. 带头遵纪守法：按时参加组织生活"),
        "{}",
        review[0]
    );
    let card = app.last_card(SECRETARY).await;
    let n = app.texts(PENG).len();
    let approved = app.tap(SECRETARY, &card, "通过", 1).await;
    assert_eq!(approved[0], "已通过彭博的承诺，已在支部公示。");
    let told = app.wait_texts(PENG, n + 1).await;
    assert_eq!(told[n], "您的承诺（第 1 版）已通过，已在支部公示。");

    // The month's check-in, answered by typing the option's number.
    let branch: i64 = sqlx::query_scalar("SELECT id FROM branches WHERE name = '学生第二党支部'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let before = app.texts(PENG).len();
    run_job(
        &app,
        &format!("pledge:checkin:{branch}"),
        Utc.with_ymd_and_hms(2026, 3, 1, 1, 0, 0).unwrap(),
    )
    .await;
    let question = app.wait_texts(PENG, before + 1).await[before].clone();
    assert_eq!(
        question,
        "本期践诺填报：\n1. 带头遵纪守法：按时参加组织生活，进展如何？\n\
         回复 1 已完成，2 按计划，3 落后，4 遇到困难"
    );
    let done = app.ask(PENG, "2", 1).await;
    assert_eq!(done[0], "本期践诺填报已全部记录，谢谢！");
    assert_eq!(app.count("SELECT COUNT(*) FROM pledge_answers").await, 1);
    assert!(app.wecom.dropped().is_empty());
    app.stop().await;
}
