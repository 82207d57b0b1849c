//! Evaluation rounds end to end: 民主评议 from opening to results with reminders to those who
//! have not voted, and a 票决.

use branchbot::clock::Clock;
use branchbot::flows::ChannelKind;
use branchbot::scheduler::job::{Job, JobContext};
use branchbot::scheduler::kinds::evaluation_remind::EvaluationRemind;
use branchbot::store::jobs;

use crate::feedback::tap;
use crate::helpers::{spawn_app, TestApp, WAIT};

/// Fills in and submits the ballot waiting for `chat`, one label per candidate.
pub async fn vote(app: &TestApp, chat: i64, picks: &[&str]) -> String {
    let pending = app.ask(chat, "/evaluation", 1).await;
    let title = pending[0].labels()[0].clone();
    let mut step = tap(app, chat, &pending[0], &title, 1).await;
    for pick in picks {
        step = tap(app, chat, &step[0], pick, 1).await;
    }
    assert!(
        step[0].text.starts_with("请核对你的选票："),
        "{}",
        step[0].text
    );
    let done = tap(app, chat, &step[0], "提交", 1).await;
    done[0].text.clone()
}

/// Runs the reminder job now, as the scheduler would.
async fn remind(app: &TestApp) {
    let mut tx = app.store.begin().await.unwrap();
    let row = jobs::by_dedupe_key(&mut tx, "builtin:evaluation-remind")
        .await
        .unwrap()
        .expect("the built-in job is scheduled");
    let ctx = JobContext {
        now: chrono::Utc::now().timestamp_millis(),
        tz: chrono_tz::Asia::Shanghai,

        sms_connected: false,
        meetings: Default::default(),
    };
    EvaluationRemind.run(&ctx, &mut tx, &row).await.unwrap();
    tx.commit().await.unwrap();
    app.app().engine.wake.notify(ChannelKind::Telegram);
}

#[tokio::test]
async fn a_round_runs_from_opening_to_results_with_reminders_to_those_who_have_not_voted() {
    let mut app = spawn_app().await;
    for (chat, key) in [
        (8101, "S101"),
        (8102, "S102"),
        (8104, "S104"),
        (8103, "S103"),
    ] {
        app.bind(chat, key).await;
    }
    let opened = app.ask(8101, "/evaluation open", 1).await;
    assert_eq!(
        opened[0].text,
        "已开启第 1 号评议：学生第一党支部民主评议党员，共 9 人可投票，7 天后截止。"
    );
    // Seven full members are graded; the probationary member S104 votes but is not graded.
    let all_excellent = ["优秀"; 7];
    let done = vote(&app, 8101, &all_excellent).await;
    assert_eq!(done, "选票已提交，谢谢！投票是匿名的，提交后不可更改。");
    vote(
        &app,
        8102,
        &["合格", "合格", "优秀", "合格", "基本合格", "合格", "不合格"],
    )
    .await;
    vote(&app, 8104, &all_excellent).await;
    // A ballot is submitted once.
    let again = app.ask(8101, "/evaluation", 1).await;
    assert_eq!(again[0].text, "目前没有等待你投票的评议。");
    // Results wait for the close.
    let early = app.ask(8101, "/evaluation results 1", 1).await;
    assert_eq!(
        early[0].text,
        "评议截止后才公布结果。目前已投票 3 人，共 9 人。"
    );
    // S103 starts a ballot and stops after one pick: the buttons (with the pick) are kept in
    // the conversation row sealed, never in the clear, until the job forgets them.
    let pending = app.ask(8103, "/evaluation", 1).await;
    let title = pending[0].labels()[0].clone();
    let first = tap(&app, 8103, &pending[0], &title, 1).await;
    let second = tap(&app, 8103, &first[0], "优秀", 1).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM conversations WHERE choices LIKE 's1:%'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM conversations WHERE choices LIKE '%ev:%'")
            .await,
        0
    );
    // Typed answers still work on the sealed buttons: "2" picks the second option.
    let typed = app.ask(8103, "2", 1).await;
    assert_eq!(
        typed[0].text.lines().count(),
        second[0].text.lines().count()
    );
    sqlx::query("UPDATE conversations SET updated_at = 0")
        .execute(app.store.pool())
        .await
        .unwrap();
    // Reminders go to those who have not voted, and say nothing of anyone's choice.
    remind(&app).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM conversations WHERE choices LIKE 's1:%'")
            .await,
        0
    );
    let reminded = app.fake.wait_sent(8103, 7, WAIT).await;
    assert!(
        reminded[6]
            .text
            .starts_with("提醒：学生第一党支部民主评议党员 将于"),
        "{}",
        reminded[6].text
    );
    assert!(!app
        .fake
        .sent_to(8102)
        .iter()
        .any(|s| s.text.starts_with("提醒：")));
    // Eight days later the round is closed and shows its results.
    let later = chrono::Utc::now() + chrono::Days::new(8);
    app.restart_at(Clock::starting_at(later)).await;
    let results = app.ask(8101, "/evaluation results 1", 1).await;
    let text = &results[0].text;
    assert!(
        text.starts_with("学生第一党支部民主评议党员 结果（投票 3 / 9 人）：\n· 黄晓明：优秀 2 · 合格 1 · 基本合格 0 · 不合格 0"),
        "{text}"
    );
    assert!(text.ends_with("注意：“优秀”超过三分之一。"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn a_vote_for_commendation_counts_for_against_and_abstain() {
    let mut app = spawn_app().await;
    for (chat, key) in [(8201, "S201"), (8202, "S202"), (8203, "S203")] {
        app.bind(chat, key).await;
    }
    let opened = app.ask(8201, "/evaluation vote S203 S207", 1).await;
    assert!(
        opened[0].text.contains("学生第二党支部评先票决"),
        "{}",
        opened[0].text
    );
    vote(&app, 8201, &["赞成", "赞成"]).await;
    vote(&app, 8202, &["反对", "赞成"]).await;
    vote(&app, 8203, &["弃权", "赞成"]).await;
    let later = chrono::Utc::now() + chrono::Days::new(8);
    app.restart_at(Clock::starting_at(later)).await;
    let results = app.ask(8202, "/evaluation results 1", 1).await;
    assert!(
        results[0]
            .text
            .contains("· 唐志强：赞成 1 · 反对 1 · 弃权 1\n· 彭博：赞成 3 · 反对 0 · 弃权 0"),
        "{}",
        results[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn feedback_reports_and_a_round_work_the_same_on_postgres() {
    let Some(app) = crate::helpers::spawn_with(crate::helpers::Spawn {
        db: crate::helpers::Db::Postgres,
        ..Default::default()
    })
    .await
    else {
        return;
    };
    crate::feedback::load_targets(&app).await;
    let thanks = crate::feedback::rate(&app, 8301, "D12-305", "满意", Some("很整洁")).await;
    assert!(thanks.starts_with("谢谢！"), "{thanks}");
    let again = app.ask(8301, "/start fb_D12-305", 1).await;
    assert!(
        again[0].text.starts_with("本期你已经评价过"),
        "{}",
        again[0].text
    );
    app.bind(8302, "S101").await;
    let seen = app.ask(8302, "/feedback", 1).await;
    assert!(
        seen[0].text.contains("12号楼 305：人数不足，暂不显示"),
        "{}",
        seen[0].text
    );
    app.ask(8302, "/evaluation open", 1).await;
    let done = vote(&app, 8302, &["优秀"; 7]).await;
    assert!(done.starts_with("选票已提交"), "{done}");
    let early = app.ask(8302, "/evaluation results 1", 1).await;
    assert_eq!(
        early[0].text,
        "评议截止后才公布结果。目前已投票 1 人，共 9 人。"
    );
    app.stop().await;
}
