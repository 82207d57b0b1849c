//! Evaluation rounds end to end: 民主评议 from opening to results with reminders to those who
//! have not voted, and a 票决.

use branchbot::clock::Clock;
use branchbot::evaluation::jobs::EvaluationRemind;
use branchbot::flows::ChannelKind;
use branchbot::scheduler::job::{Job, JobContext};
use branchbot::store::jobs;

use crate::helpers::tap;
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
        step[0].text.starts_with("请核对您的选票："),
        "{}",
        step[0].text
    );
    let done = tap(app, chat, &step[0], "提交", 1).await;
    done[0].text.clone()
}

/// Waits for the message that tells `chat` a round has opened; returns it.
async fn told(app: &TestApp, chat: i64) -> String {
    let mut n = 1;
    loop {
        let sent = app.fake.wait_sent(chat, n, WAIT).await;
        if let Some(s) = sent.iter().find(|s| s.text.contains("已开始，截止时间")) {
            return s.text.clone();
        }
        n = sent.len() + 1;
    }
}

/// Runs the reminder job now, as the scheduler would.
async fn remind(app: &TestApp) {
    app.scheduled("builtin:evaluation-remind").await;
    let mut tx = app.store.begin().await.unwrap();
    let row = jobs::by_dedupe_key(&mut tx, "builtin:evaluation-remind")
        .await
        .unwrap()
        .expect("the built-in job is scheduled");
    let ctx = JobContext {
        now: chrono::Utc::now().timestamp_millis(),
        tz: chrono_tz::Asia::Shanghai,

        sms_connected: false,
        recruitment: Default::default(),
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
        "已开启第 1 号评议：学生第一党支部民主评议党员，共 9 人可投票，7 天后截止。已通知 3 人。"
    );
    // Every voter but the opener is told, without having to type /evaluation.
    for chat in [8102, 8104, 8103] {
        let told = told(&app, chat).await;
        assert!(
            told.starts_with("【学生第一党支部】学生第一党支部民主评议党员已开始，截止时间 "),
            "{told}"
        );
        assert!(
            told.ends_with("请发送 /evaluation 参加投票（匿名）。"),
            "{told}"
        );
    }
    // Opening it twice for the same period makes no second round.
    let again = app.ask(8101, "/evaluation open", 1).await;
    assert!(
        again[0].text.starts_with(
            "本支部同一时段已有这项评议：第 1 号“学生第一党支部民主评议党员”，截止时间 "
        ),
        "{}",
        again[0].text
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM evaluation_rounds").await, 1);
    assert_eq!(
        app.ask(8102, "/evaluation", 1).await[0].labels().len(),
        1,
        "members see one round"
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
    assert_eq!(again[0].text, "目前没有等待您投票的评议。");
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
    // 8103 was told the round opened, then stepped its ballot; the reminder comes last.
    let reminded = app.fake.wait_sent(8103, 8, WAIT).await;
    assert!(
        reminded[7]
            .text
            .starts_with("提醒：学生第一党支部民主评议党员 将于"),
        "{}",
        reminded[7].text
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
        opened[0]
            .text
            .contains("学生第二党支部评优票决（优秀共产党员）"),
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
        again[0].text.starts_with("本期您已经评价过"),
        "{}",
        again[0].text
    );
    app.bind(8302, "S101").await;
    let seen = app.ask(8302, "/feedback", 1).await;
    assert!(
        seen[0].text.contains("12号楼 305：评价少于 5 条，暂不显示"),
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

/// The nine voters of 学生第一党支部 (party members, probationary ones included), bound to
/// chats 8401…8409.
async fn bind_first_branch(app: &mut TestApp) -> Vec<i64> {
    let keys = [
        "S101", "S102", "S103", "S104", "S106", "S107", "S108", "S109", "S110",
    ];
    let mut chats = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let chat = 8401 + i as i64;
        app.bind(chat, key).await;
        chats.push(chat);
    }
    chats
}

#[tokio::test]
async fn a_secretary_closes_a_round_at_once_when_everyone_has_voted() {
    let mut app = spawn_app().await;
    let chats = bind_first_branch(&mut app).await;
    app.ask(chats[0], "/evaluation open", 1).await;
    for &chat in &chats[1..] {
        told(&app, chat).await;
    }
    for &chat in &chats {
        vote(&app, chat, &["合格"; 7]).await;
    }
    let closed = app.ask(chats[0], "/evaluation close 1", 1).await;
    assert!(
        closed[0].text.starts_with(
            "第 1 号评议已结束（投票 9 / 9 人）。\n学生第一党支部民主评议党员 结果（投票 9 / 9 人）：\n· 黄晓明：优秀 0 · 合格 9"
        ),
        "{}",
        closed[0].text
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'round_closed'")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn closing_a_round_early_asks_first_and_then_nobody_else_can_vote() {
    let app = spawn_app().await;
    for (chat, key) in [(8501, "S101"), (8502, "S102"), (8503, "S103")] {
        app.bind(chat, key).await;
    }
    app.ask(8501, "/evaluation open", 1).await;
    told(&app, 8502).await;
    told(&app, 8503).await;
    vote(&app, 8502, &["合格"; 7]).await;
    // A member may not close it.
    let refused = app.ask(8503, "/evaluation close 1", 1).await;
    assert_eq!(refused[0].text, "您没有权限这样做。需要帮助请发 /help。");
    let asked = app.ask(8501, "/evaluation close 1", 1).await;
    assert_eq!(
        asked[0].text,
        "学生第一党支部民主评议党员：已投票 1 / 9 人，还有 8 人未投票。提前结束后他们将不能再投票，确定提前结束吗？"
    );
    assert_eq!(asked[0].labels(), ["提前结束", "继续投票"]);
    let kept = tap(&app, 8501, &asked[0], "继续投票", 1).await;
    assert_eq!(kept[0].text, "好的，评议继续进行。");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'round_closed'")
            .await,
        0
    );
    let asked = app.ask(8501, "/evaluation close 1", 1).await;
    let closed = tap(&app, 8501, &asked[0], "提前结束", 1).await;
    assert!(
        closed[0]
            .text
            .starts_with("第 1 号评议已结束（投票 1 / 9 人）。\n学生第一党支部民主评议党员 结果（投票 1 / 9 人）："),
        "{}",
        closed[0].text
    );
    let late = app.ask(8503, "/evaluation", 1).await;
    assert_eq!(late[0].text, "目前没有等待您投票的评议。");
    let detail: String =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'round_closed'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert!(detail.ends_with("closed_early · 1/9"), "{detail}");
    app.stop().await;
}

#[tokio::test]
async fn a_vote_takes_names_and_asks_which_one_when_two_share_a_name() {
    let app = spawn_app().await;
    app.bind(8601, "S101").await;
    let opened = app.ask(8601, "/evaluation vote 马超", 1).await;
    assert!(
        opened[0]
            .text
            .starts_with("已开启第 1 号评议：学生第一党支部评优票决（优秀共产党员）"),
        "{}",
        opened[0].text
    );
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT m.name FROM evaluation_candidates c JOIN members m ON m.id = c.member_id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(names, ["马超"]);
    // A second 马超 joins the branch: the name no longer says who.
    let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM members WHERE key = 'S103'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO members (key, name, branch_id, role, locale, active, college, created_at, updated_at) \
         SELECT 'S199', '马超', $1, role, locale, 1, 0, 0, 0 FROM members WHERE key = 'S103'",
    )
    .bind(branch)
    .execute(app.store.pool())
    .await
    .unwrap();
    let asked = app.ask(8601, "/evaluation vote 马超 S107", 1).await;
    assert_eq!(
        asked[0].text,
        "本支部有 2 位同志叫“马超”：马超（S103）、马超（S199）。请用编号重新发送，例如 /evaluation vote S103。"
    );
    let unknown = app.ask(8601, "/evaluation vote 诸葛亮", 1).await;
    assert_eq!(unknown[0].text, "名册中没有编号或姓名为“诸葛亮”的成员。");
    assert_eq!(app.count("SELECT COUNT(*) FROM evaluation_rounds").await, 1);
    app.stop().await;
}

/// On SMS a ballot of many names would be one text per name: the whole ballot is offered in
/// one message instead, answered with one digit per candidate; wrong answers are explained and
/// asked again; the picks are shown back in a few words and submitted as usual.
async fn a_ballot_is_filled_in_one_message(db: crate::helpers::Db) {
    let Some(app) = crate::helpers::spawn_with(crate::helpers::Spawn {
        db,
        ..Default::default()
    })
    .await
    else {
        return;
    };
    for (chat, key) in [(8501, "S201"), (8502, "S202")] {
        app.bind(chat, key).await;
    }
    app.ask(8501, "/evaluation vote S203 S207", 1).await;
    let pending = app.ask(8502, "/evaluation", 1).await;
    let title = pending[0].labels()[0].clone();
    let first = tap(&app, 8502, &pending[0], &title, 1).await;
    assert_eq!(first[0].labels(), ["赞成", "反对", "弃权", "一次填写全部"]);
    let compact = tap(&app, 8502, &first[0], "一次填写全部", 1).await;
    assert_eq!(
        compact[0].text,
        "学生第二党支部评优票决（优秀共产党员）共 2 人。请按名单顺序回复 2 位数字（1赞成 2反对 3弃权）：1唐志强2彭博"
    );
    assert_eq!(
        app.ask(8502, "12 3", 1).await[0].text,
        "您回复了 3 位数字，名单共 2 人，请按顺序每人一位重新回复。"
    );
    assert_eq!(
        app.ask(8502, "14", 1).await[0].text,
        "第 2 位是 4，只能是 1 到 3。请重新回复。"
    );
    let review = app.ask(8502, "２1", 1).await;
    assert_eq!(
        review[0].text,
        "请核对您的选票：21（共 2 人：赞成 1、反对 1、弃权 0）。提交后不可更改。"
    );
    assert_eq!(review[0].labels(), ["提交", "重新填写"]);
    let done = tap(&app, 8502, &review[0], "提交", 1).await;
    assert!(done[0].text.starts_with("选票已提交"), "{}", done[0].text);
    app.stop().await;
}

mod a_ballot_in_one_message {
    #[tokio::test]
    async fn on_sqlite() {
        super::a_ballot_is_filled_in_one_message(crate::helpers::Db::Sqlite).await;
    }

    #[tokio::test]
    async fn on_postgres() {
        super::a_ballot_is_filled_in_one_message(crate::helpers::Db::Postgres).await;
    }
}

/// A compact ballot shown before evaluation had its own folder waits under the old
/// `State::EvaluationCompact` JSON, and clients keep today's button data: both read on.
async fn a_compact_step_and_buttons_stored_before_the_feature_had_its_folder_read_on(
    db: crate::helpers::Db,
) {
    let Some(app) = crate::helpers::spawn_with(crate::helpers::Spawn {
        db,
        ..Default::default()
    })
    .await
    else {
        return;
    };
    for (chat, key) in [(8501, "S201"), (8502, "S202")] {
        app.bind(chat, key).await;
    }
    app.ask(8501, "/evaluation vote S203 S207", 1).await;
    let round: i64 = sqlx::query_scalar("SELECT id FROM evaluation_rounds")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.ask(8502, "/evaluation", 1).await;
    // As the engine's `State::EvaluationCompact` was stored.
    crate::helpers::replace_step(
        &app.store,
        "S202",
        &format!(r#"{{"step":"evaluation_compact","round_id":{round}}}"#),
    )
    .await;
    assert_eq!(
        app.ask(8502, "14", 1).await[0].text,
        "第 2 位是 4，只能是 1 到 3。请重新回复。"
    );
    let review = app.ask(8502, "21", 1).await;
    assert_eq!(
        review[0].text,
        "请核对您的选票：21（共 2 人：赞成 1、反对 1、弃权 0）。提交后不可更改。"
    );
    // Today's button data, sent as a client that kept the old message would.
    let before = app.fake.sent_to(8502).len();
    app.deliver(
        app.fake
            .callback_update(8502, review[0].message_id, &format!("ev:{round}:10:ok")),
    )
    .await;
    let done = app.fake.wait_sent(8502, before + 1, WAIT).await[before].clone();
    assert!(done.text.starts_with("选票已提交"), "{}", done.text);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evaluation_voters WHERE voted = 1")
            .await,
        1
    );
    app.stop().await;
}

mod a_compact_step_stored_before {
    #[tokio::test]
    async fn on_sqlite() {
        super::a_compact_step_and_buttons_stored_before_the_feature_had_its_folder_read_on(
            crate::helpers::Db::Sqlite,
        )
        .await;
    }

    #[tokio::test]
    async fn on_postgres() {
        super::a_compact_step_and_buttons_stored_before_the_feature_had_its_folder_read_on(
            crate::helpers::Db::Postgres,
        )
        .await;
    }
}

#[tokio::test]
async fn the_evaluation_lines_of_help_stand_where_they_stood_before_the_feature_had_its_folder() {
    let app = spawn_app().await;
    for (chat, key) in [(8601, "S201"), (8602, "S202")] {
        app.bind(chat, key).await;
    }
    // In the campaign's section, after /reply.
    let member = app.ask(8602, "/help", 1).await[0].text.clone();
    assert!(
        member.contains("/reply 回执码 查看您的评价有没有收到答复\n/evaluation 参加民主评议或票决"),
        "{member}"
    );
    // A secretary: the same, then /summary; the manager's line after the pledges' lines and
    // before /answer.
    let secretary = app.ask(8601, "/help", 1).await[0].text.clone();
    assert!(
        secretary.contains(
            "/reply 回执码 查看您的评价有没有收到答复\n/evaluation 参加民主评议或票决\n/summary"
        ),
        "{secretary}"
    );
    let lines: Vec<&str> = secretary.lines().collect();
    let at = |start: &str| lines.iter().position(|l| l.starts_with(start)).unwrap();
    let manager = at("/evaluation open 开启本支部民主评议");
    assert_eq!(lines[manager + 1], "/answer 编号 答复内容 答复一条意见");
    let last_pledge = lines.iter().rposition(|l| l.contains("/pledge")).unwrap();
    assert_eq!(last_pledge + 1, manager, "{secretary}");
    app.stop().await;
}
