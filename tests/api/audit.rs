//! The audit log as the committee reads it: every administrative action done in chat (a notice
//! sent, a meeting created, moved and cancelled, an evaluation round opened, a comment hidden)
//! leaves exactly one row naming who did it, through what and on what, and `/audit` shows them.

use crate::feedback::{four_others, load_targets, publish, rate};
use crate::helpers::{spawn_app, tap, TestApp};

/// 谢文博 (S201), secretary of 学生第二党支部; 王建国 (T001), secretary of 教工第一党支部 and on
/// the college committee.
const SECRETARY: i64 = 9201;
const COMMITTEE: i64 = 9202;

/// The audit rows as (member key, via, action, subject), oldest first.
async fn rows(app: &TestApp) -> Vec<(String, String, String, String)> {
    sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT m.key, a.via, a.action, a.subject FROM audit_log a \
         JOIN members m ON m.id = a.actor_id ORDER BY a.id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap()
}

fn row(key: &str, action: &str, subject: &str) -> (String, String, String, String) {
    (key.into(), "telegram".into(), action.into(), subject.into())
}

#[tokio::test]
async fn each_administrative_action_in_chat_leaves_exactly_one_audit_row() {
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    app.bind(COMMITTEE, "T001").await;

    // A notice to the whole branch.
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    let ask = tap(&app, SECRETARY, &scope[0], "全支部党员", 1).await;
    assert_eq!(ask[0].text, "请输入通知内容。");
    let confirm = app.ask(SECRETARY, "周五前提交学习心得。", 1).await;
    let urgent = tap(&app, SECRETARY, &confirm[0], "需要", 1).await;
    let plans = tap(&app, SECRETARY, &urgent[0], "不紧急", 1).await;
    let preview = tap(&app, SECRETARY, &plans[0], "不自动提醒", 1).await;
    assert_eq!(rows(&app).await, vec![], "nothing before [发送]");
    let sent = tap(&app, SECRETARY, &preview[0], "发送", 1).await;
    assert!(
        sent[0].text.starts_with("已发送（通知 #1"),
        "{}",
        sent[0].text
    );
    assert_eq!(
        rows(&app).await,
        vec![row("S201", "notice_sent", "notice:1")]
    );

    // A meeting: created, moved, cancelled.
    let kinds = app.ask(SECRETARY, "/meeting", 1).await;
    tap(&app, SECRETARY, &kinds[0], "党员大会", 1).await;
    app.ask(SECRETARY, "明天 19:30", 1).await;
    app.ask(SECRETARY, "图书馆 305", 1).await;
    let preview = app.ask(SECRETARY, "学习贯彻全会精神", 1).await;
    assert_eq!(rows(&app).await.len(), 1, "nothing before 确认");
    let created = tap(&app, SECRETARY, &preview[0], "确认", 1).await;
    assert!(created[0].text.contains("1"), "{}", created[0].text);
    let moved = app.ask(SECRETARY, "/reschedule 1 后天 20:00", 1).await;
    assert!(moved[0].text.contains("20:00"), "{}", moved[0].text);
    app.ask(SECRETARY, "/cancelmeeting 1", 1).await;
    // A second cancellation changes nothing and logs nothing.
    app.ask(SECRETARY, "/cancelmeeting 1", 1).await;

    // An evaluation round.
    let opened = app.ask(SECRETARY, "/evaluation open", 1).await;
    assert!(
        opened[0].text.starts_with("已开启第 1 号评议"),
        "{}",
        opened[0].text
    );

    // A hidden comment; a refused /hide logs nothing.
    load_targets(&app).await;
    rate(&app, 5004, "P-T004", "不满意", Some("骂人的话")).await;
    four_others(&app, "P-T004").await;
    publish(&app).await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body IS NOT NULL")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.ask(SECRETARY, &format!("/hide {id}"), 1).await;
    let hidden = app.ask(COMMITTEE, &format!("/hide {id}"), 1).await;
    assert_eq!(hidden[0].text, format!("意见 {id} 已隐藏（保留存档）。"));
    // The committee answers it.
    app.ask(COMMITTEE, &format!("/answer {id} 已转交宿管中心处理"), 1)
        .await;

    assert_eq!(
        rows(&app).await,
        vec![
            row("S201", "notice_sent", "notice:1"),
            row("S201", "meeting_created", "meeting:1"),
            row("S201", "meeting_rescheduled", "meeting:1"),
            row("S201", "meeting_cancelled", "meeting:1"),
            row("S201", "round_opened", "round:1"),
            row("T001", "comment_hidden", &format!("feedback:{id}")),
            row("T001", "feedback_answered", &format!("feedback:{id}")),
        ]
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE actor = '谢文博 (S201)'")
            .await,
        5
    );

    // The committee reads them in chat, newest last, in its language.
    let log = app.ask(COMMITTEE, "/audit", 1).await;
    let lines: Vec<&str> = log[0].text.lines().collect();
    assert_eq!(lines[0], "最近 7 条管理操作记录：");
    // What was done and to what, in words: no stored keys or JSON.
    assert!(
        lines[1].contains(" 谢文博 (S201)（Telegram）发送通知：通知 #1 · 学生第二党支部全体 · 周五前提交学习心得。"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2]
            .contains("谢文博 (S201)（Telegram）创建会议：会议 #1 · 学生第二党支部 · 党员大会 · "),
        "{}",
        lines[2]
    );
    assert!(
        lines[5].contains("谢文博 (S201)（Telegram）开启评议：评议 #1 · 学生第二党支部民主评议党员 · 民主评议 · 9"),
        "{}",
        lines[5]
    );
    assert!(
        lines[6].ends_with(&format!("王建国 (T001)（Telegram）隐藏评论：意见 {id}")),
        "{}",
        lines[6]
    );
    for raw in [
        "{\"kind\"",
        "general",
        "grades",
        "notice:",
        "round:",
        "meeting:",
    ] {
        assert!(!log[0].text.contains(raw), "{raw} in {}", log[0].text);
    }
    app.stop().await;
}
