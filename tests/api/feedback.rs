//! Anonymous feedback end to end: the scenario-4 conversation, one rating per period, answers
//! by reply code, thresholds in reports, and an attacker reading every table and log line.

use branchbot::clock::Clock;
use branchbot::domain::targets;
use branchbot::feedback::rules::Shown;
use branchbot::feedback::store;
use branchbot::feedback::{load, results};

use branchbot::feedback::publish_job::FeedbackPublish;
use branchbot::flows::ChannelKind;
use branchbot::scheduler::job::{Job, JobContext};
use branchbot::store::jobs;

use crate::helpers::{spawn_app, spawn_with, tap, Spawn, TestApp, WAIT};

/// Runs the `feedback-publish` job now at `now`, as the scheduler would every ten minutes;
/// returns its note.
pub async fn publish_at(app: &TestApp, now: chrono::DateTime<chrono::Utc>) -> String {
    // The scheduler writes its built-in jobs as it starts, beside the test: wait for the row.
    let deadline = tokio::time::Instant::now() + WAIT;
    let (mut tx, row) = loop {
        let mut tx = app.store.begin().await.unwrap();
        if let Some(row) = jobs::by_dedupe_key(&mut tx, "builtin:feedback-publish")
            .await
            .unwrap()
        {
            break (tx, row);
        }
        tx.rollback().await.unwrap();
        assert!(
            tokio::time::Instant::now() < deadline,
            "the built-in job is scheduled"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    let ctx = JobContext {
        now: now.timestamp_millis(),
        tz: chrono_tz::Asia::Shanghai,
        sms_connected: false,
        recruitment: Default::default(),
        meetings: Default::default(),
    };
    let ran = FeedbackPublish.run(&ctx, &mut tx, &row).await.unwrap();
    tx.commit().await.unwrap();
    app.store.truncate_wal().await;
    app.app().engine.wake.notify(ChannelKind::Telegram);
    ran.note.unwrap_or_default()
}

/// Runs the `feedback-publish` job now.
pub async fn publish(app: &TestApp) -> String {
    publish_at(app, chrono::Utc::now()).await
}

/// Four more students rate `code` (no comment), so the pool holds five distinct senders.
pub async fn four_others(app: &TestApp, code: &str) {
    for chat in 6901..=6904 {
        let done = rate(app, chat, code, "满意", None).await;
        assert!(done.starts_with("谢谢！"), "{done}");
    }
}

/// Loads `examples/targets.csv`.
pub async fn load_targets(app: &TestApp) {
    let lines = targets::parse(include_bytes!("../../examples/targets.csv"), false).unwrap();
    let mut tx = app.store.begin().await.unwrap();
    load::load(&mut tx, &lines).await.unwrap().unwrap();
    tx.commit().await.unwrap();
}

/// Rates a target through the link, with a comment or skipping it; returns the last reply.
pub async fn rate(
    app: &TestApp,
    chat: i64,
    code: &str,
    label: &str,
    comment: Option<&str>,
) -> String {
    let intro = app.ask(chat, &format!("/start fb_{code}"), 1).await;
    let ask = tap(app, chat, &intro[0], label, 1).await;
    let done = match comment {
        Some(text) => app.ask(chat, text, 1).await,
        None => tap(app, chat, &ask[0], "跳过", 1).await,
    };
    done[0].text.clone()
}

/// The reply code in a thank-you text.
fn reply_code(text: &str) -> String {
    let start = text.find("回执码：").expect("a reply code") + "回执码：".len();
    text[start..].chars().take(7).collect()
}

#[tokio::test]
async fn a_student_who_never_bound_rates_a_model_dormitory_as_in_scenario_four() {
    let app = spawn_app().await;
    load_targets(&app).await;
    let intro = app.ask(5001, "/start fb_D12-305", 1).await;
    assert_eq!(
        intro[0].text,
        "评价：学生党员示范宿舍 · 12号楼 305（匿名，不记录您的身份）\n总体感受？"
    );
    assert_eq!(intro[0].labels(), vec!["满意", "基本满意", "不满意"]);
    let ask = tap(&app, 5001, &intro[0], "基本满意", 1).await;
    assert_eq!(ask[0].text, "想补充几句吗？（可跳过）");
    assert_eq!(ask[0].labels(), vec!["跳过"]);
    let thanks = app.ask(5001, "晚上有时比较吵", 1).await;
    let code = reply_code(&thanks[0].text);
    assert_eq!(
        thanks[0].text,
        format!(
            "谢谢！您的回执码：{code}（只显示这一次）。\n之后发送 /reply {code} 可查看支部的答复。\n\
             您的评价会在凑满至少 5 位评价人后与其他评价一起公布，日期只记到天。"
        )
    );
    // Accepted means sealed in the pool: nothing is published while fewer than five wait.
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    assert_eq!(publish(&app).await, "published 0, waiting 1, unreadable 0");
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, 0);
    four_others(&app, "D12-305").await;
    assert_eq!(publish(&app).await, "published 5, waiting 0, unreadable 0");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE rating = 2 AND body = '晚上有时比较吵'")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    // Nothing was kept of the rating in progress, and the student was never asked to bind.
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_sessions").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn one_rating_per_student_per_period_and_the_next_month_accepts_a_new_one() {
    // 23:59 on 30 November in Shanghai.
    let november = "2026-11-30T15:50:00Z".parse().unwrap();
    let mut app = spawn_with(Spawn {
        clock: Some(Clock::starting_at(november)),
        ..Spawn::default()
    })
    .await
    .unwrap();
    load_targets(&app).await;
    let first = rate(&app, 5002, "D12-305", "满意", None).await;
    assert!(first.starts_with("谢谢！"), "{first}");
    let again = app.ask(5002, "/start fb_D12-305", 1).await;
    assert_eq!(
        again[0].text,
        "本期您已经评价过这一对象，谢谢！下期可以再次评价。"
    );
    // Another target is still open to the same student.
    let other = rate(&app, 5002, "D12-306", "不满意", None).await;
    assert!(other.starts_with("谢谢！"), "{other}");
    // December: the same student rates the same room again.
    app.restart_at(Clock::starting_at("2026-12-01T02:00:00Z".parse().unwrap()))
        .await;
    let next = rate(&app, 5002, "D12-305", "满意", Some("好多了")).await;
    assert!(next.starts_with("谢谢！"), "{next}");
    // Three submissions from one student wait in the pool, each keeping its own month.
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 3);
    four_others(&app, "D12-410").await;
    let december = "2026-12-01T02:10:00Z".parse().unwrap();
    assert_eq!(
        publish_at(&app, december).await,
        "published 7, waiting 0, unreadable 0"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE period = '2026-12' AND target_id = (SELECT id FROM feedback_targets WHERE code = 'D12-305')")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE period = '2026-11'")
            .await,
        2
    );
    // Dated by the day of publication, not of submission.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE day = '2026-12-01'")
            .await,
        7
    );
    // The period job erases November's secret and tags: nobody can recompute them now.
    let mut conn = app.store.pool().acquire().await.unwrap();
    let now = "2026-12-01T02:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .timestamp_millis();
    assert_eq!(store::end_periods(&mut conn, now).await.unwrap(), 1);
    drop(conn);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback_periods WHERE secret IS NULL")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback_seen WHERE period = '2026-11'")
            .await,
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn a_student_reads_the_secretary_s_answer_with_the_reply_code_and_a_wrong_code_is_explained()
{
    let app = spawn_app().await;
    load_targets(&app).await;
    let thanks = rate(&app, 5003, "D12-305", "不满意", Some("楼道灯坏了一周")).await;
    let code = reply_code(&thanks);
    // Still in the pool: the code is known and the answer pending.
    let pending = app.ask(5003, &format!("/reply {code}"), 1).await;
    assert_eq!(pending[0].text, "支部还没有答复，请过几天再来查看。");
    four_others(&app, "D12-305").await;
    publish(&app).await;
    let pending = app.ask(5003, &format!("/reply {code}"), 1).await;
    assert_eq!(pending[0].text, "支部还没有答复，请过几天再来查看。");
    app.bind(7101, "S101").await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body IS NOT NULL")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let answered = app
        .ask(7101, &format!("/answer {id} 已报修，周五前修好"), 1)
        .await;
    assert_eq!(
        answered[0].text,
        format!("已答复意见 {id}，评价人可凭回执码查看。")
    );
    let read = app
        .ask(5003, &format!("/reply {}", code.to_lowercase()), 1)
        .await;
    assert_eq!(read[0].text, "支部的答复：已报修，周五前修好");
    let wrong = app.ask(5003, "/reply AAA-AAA", 1).await;
    assert_eq!(
        wrong[0].text,
        "回执码 AAA-AAA 不正确。请检查后重发；回执码只在评价后显示一次。"
    );
    // A secretary of another branch may not answer.
    app.bind(7102, "S201").await;
    let refused = app.ask(7102, &format!("/answer {id} 不是我的"), 1).await;
    assert_eq!(refused[0].text, "您没有权限这样做。需要帮助请发 /help。");
    app.stop().await;
}

/// Stores `n` ratings (and `comments` of them with a comment) for a target directly, as the
/// publication job would, in November 2026.
async fn seed(app: &TestApp, code: &str, n: usize, comments: usize) {
    seed_in(app, code, "2026-11", n, comments).await;
}

/// The same in a given month.
async fn seed_in(app: &TestApp, code: &str, period: &str, n: usize, comments: usize) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    let target = store::target_by_code(&mut conn, code)
        .await
        .unwrap()
        .unwrap();
    for i in 0..n {
        let id = format!("{code}{period}{i:03}").replace('-', "");
        let body = (i < comments).then(|| format!("{period}意见{i}"));
        store::insert(
            &mut conn,
            &store::NewFeedback {
                id: &id,
                target_id: target.id,
                period,
                day: &format!("{period}-20"),
                rating: 1,
                body: body.as_deref(),
                reply_hash: &id,
            },
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn reports_hide_four_ratings_and_four_comments_and_withhold_a_room_recoverable_by_subtraction(
) {
    let app = spawn_app().await;
    load_targets(&app).await;
    seed(&app, "D12-305", 4, 4).await; // too few ratings and comments
    seed(&app, "D12-306", 9, 9).await; // enough of both, withheld for 305's sake
    seed(&app, "D12-410", 12, 10).await; // enough of both
    seed(&app, "D8-201", 5, 0).await; // exactly five
    let mut conn = app.store.pool().acquire().await.unwrap();
    let all = store::visible_targets(&mut conn, 0, true, None)
        .await
        .unwrap();
    let (rows, groups) = results::report(&mut conn, all, "2026-11").await.unwrap();
    let row = |code: &str| rows.iter().find(|r| r.target.code == code).unwrap();
    assert_eq!(row("D12-305").shown, Shown::Hidden);
    // 306 has 9, but 12号楼 shows a total of 25: 306 is hidden too, or 305 = 25 - 9 - 12.
    assert_eq!(row("D12-306").shown, Shown::Hidden);
    assert_eq!(row("D12-410").shown, Shown::Counts([12, 0, 0]));
    assert_eq!(row("D8-201").shown, Shown::Counts([5, 0, 0]));
    // 306 is withheld to protect 305, not for want of ratings; 305 has too few.
    assert!(row("D12-306").withheld && !row("D12-305").withheld);
    // Comments show from five: 305's four wait, 306's nine are shown.
    assert!(row("D12-305").comments.is_empty());
    assert_eq!(row("D12-306").comments.len(), 9);
    assert_eq!(row("D12-410").comments.len(), 10);
    assert!(groups.contains(&("12".into(), Shown::Counts([25, 0, 0]))));
    drop(conn);
    // What a resident sees: their room's line says too few.
    let mut app = app;
    app.restart().await;
    app.bind(7201, "S103").await;
    let seen = app.ask(7201, "/feedback 2026-11", 1).await;
    assert!(
        seen[0]
            .text
            .contains("· 学生党员示范宿舍 · 12号楼 305：评价少于 5 条，暂不显示"),
        "{}",
        seen[0].text
    );
    assert!(!seen[0].text.contains("意见"), "{}", seen[0].text);
    // The secretary sees why 306 is not shown, and its comments dated by month.
    app.bind(7202, "S101").await;
    let seen = app.ask(7202, "/feedback 2026-11", 1).await;
    assert!(
        seen[0]
            .text
            .contains("· 学生党员示范宿舍 · 12号楼 306：为保护匿名，暂不显示"),
        "{}",
        seen[0].text
    );
    assert!(
        seen[0].text.contains("2026-11 2026-11意见0"),
        "{}",
        seen[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn comments_of_a_quiet_room_add_up_across_months_and_are_dated_by_month() {
    let app = spawn_app().await;
    load_targets(&app).await;
    seed_in(&app, "D8-201", "2026-10", 3, 3).await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let all = store::visible_targets(&mut conn, 0, true, None)
        .await
        .unwrap();
    let (rows, _) = results::report(&mut conn, all.clone(), "2026-10")
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.target.code == "D8-201").unwrap();
    assert!(row.comments.is_empty(), "three comments wait");
    drop(conn);
    seed_in(&app, "D8-201", "2026-11", 2, 2).await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let (rows, _) = results::report(&mut conn, all.clone(), "2026-11")
        .await
        .unwrap();
    let row = rows.iter().find(|r| r.target.code == "D8-201").unwrap();
    let months: Vec<&str> = row.comments.iter().map(|c| c.period.as_str()).collect();
    assert_eq!(
        months,
        ["2026-11", "2026-11", "2026-10", "2026-10", "2026-10"]
    );
    // A report of October does not reach into November.
    let (rows, _) = results::report(&mut conn, all, "2026-10").await.unwrap();
    let row = rows.iter().find(|r| r.target.code == "D8-201").unwrap();
    assert!(row.comments.is_empty());
    drop(conn);
    app.stop().await;
}

#[tokio::test]
async fn the_committee_hides_an_abusive_comment_which_is_kept_and_the_action_logged() {
    let app = spawn_app().await;
    load_targets(&app).await;
    rate(&app, 5004, "P-T004", "不满意", Some("骂人的话")).await;
    four_others(&app, "P-T004").await;
    publish(&app).await;
    let id: String = sqlx::query_scalar("SELECT id FROM feedback WHERE body IS NOT NULL")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    app.bind(7401, "T003").await;
    let refused = app.ask(7401, &format!("/hide {id}"), 1).await;
    assert_eq!(refused[0].text, "您没有权限这样做。需要帮助请发 /help。");
    app.bind(7402, "T001").await;
    let hidden = app
        .ask(7402, &format!("/hide {}", id.to_lowercase()), 1)
        .await;
    assert_eq!(hidden[0].text, format!("意见 {id} 已隐藏（保留存档）。"));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM feedback WHERE hidden = 1 AND body = '骂人的话'")
            .await,
        1
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM feedback_actions a JOIN members m ON m.id = a.member_id \
             WHERE a.action = 'hide' AND m.key = 'T001'"
        )
        .await,
        1
    );
    let missing = app.ask(7402, "/hide NOSUCH12", 1).await;
    assert_eq!(missing[0].text, "没有编号为 NOSUCH12 的意见。");
    app.stop().await;
}

#[tokio::test]
async fn residents_and_the_secretary_are_told_when_new_comments_are_published() {
    let app = spawn_app().await;
    load_targets(&app).await;
    app.bind(7301, "S103").await; // lives in 12号楼 305
    app.bind(7302, "S101").await; // the branch's secretary
    app.bind(7303, "S102").await; // neither
    rate(&app, 5301, "D12-305", "不满意", Some("楼道灯又坏了")).await;
    four_others(&app, "D12-305").await;
    publish(&app).await;
    for chat in [7301, 7302] {
        let told = app.fake.wait_sent(chat, 3, WAIT).await;
        assert_eq!(
            told[2].text,
            "学生党员示范宿舍 · 12号楼 305 收到了新的匿名意见。发送 /feedback 查看，并用 /answer 答复。"
        );
    }
    assert_eq!(
        app.fake.sent_to(7303).len(),
        2,
        "only those concerned are told"
    );
    // A second run the same day tells no one again.
    publish(&app).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.fake.sent_to(7301).len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn a_thin_month_shows_the_semester_so_far_unless_that_would_reveal_it_by_subtraction() {
    let mut app = spawn_app().await;
    load_targets(&app).await;
    // 12号楼 410: two ratings a month since September, never five in one month.
    for month in ["2026-09", "2026-10", "2026-11"] {
        seed_in(&app, "D12-410", month, 2, 0).await;
    }
    // 8号楼 201: nine in September (shown), three in November (thin): 12 - 9 = 3 would be the
    // thin months, so no semester figure.
    seed_in(&app, "D8-201", "2026-09", 9, 0).await;
    seed_in(&app, "D8-201", "2026-11", 3, 0).await;
    app.restart().await;
    app.bind(7501, "S106").await; // lives in 410
    let seen = app.ask(7501, "/feedback 2026-11", 1).await;
    assert!(
        seen[0].text.contains(
            "· 学生党员示范宿舍 · 12号楼 410：评价少于 5 条，暂不显示\n本学期累计：满意 6，基本满意 0，不满意 0（共 6）"
        ),
        "{}",
        seen[0].text
    );
    app.bind(7502, "S203").await; // lives in 8号楼 201
    let seen = app.ask(7502, "/feedback 2026-11", 1).await;
    assert!(
        seen[0]
            .text
            .contains("· 学生党员示范宿舍 · 8号楼 201：评价少于 5 条，暂不显示"),
        "{}",
        seen[0].text
    );
    assert!(!seen[0].text.contains("本学期累计"), "{}", seen[0].text);
    app.stop().await;
}

#[tokio::test]
async fn two_semester_figures_a_month_apart_never_reveal_the_month_between() {
    let app = spawn_app().await;
    load_targets(&app).await;
    // September 3 and October 3: October shows 6 so far. November adds 2: 8 - 6 = 2 would be
    // November's, so November shows no semester figure; December adds 4 more: 12 - 6 = 6.
    for (month, n) in [
        ("2026-09", 3),
        ("2026-10", 3),
        ("2026-11", 2),
        ("2026-12", 4),
    ] {
        seed_in(&app, "D12-410", month, n, 0).await;
    }
    let mut conn = app.store.pool().acquire().await.unwrap();
    let all = store::visible_targets(&mut conn, 0, true, None)
        .await
        .unwrap();
    let mut figures = Vec::new();
    for month in ["2026-09", "2026-10", "2026-11", "2026-12"] {
        let (rows, _) = results::report(&mut conn, all.clone(), month)
            .await
            .unwrap();
        let row = rows.iter().find(|r| r.target.code == "D12-410").unwrap();
        figures.push(row.semester.map(|c| c.iter().sum::<i64>()));
    }
    assert_eq!(figures, [None, Some(6), None, Some(12)]);
    drop(conn);
    app.stop().await;
}

#[tokio::test]
async fn two_replicas_publishing_the_same_pool_at_once_publish_it_once() {
    let Some(app) = spawn_with(Spawn {
        db: crate::helpers::Db::Postgres,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    load_targets(&app).await;
    rate(&app, 5401, "D12-305", "满意", Some("窗台上的花养得很好")).await;
    four_others(&app, "D12-305").await;
    let mut first = app.store.begin().await.unwrap();
    let done = branchbot::feedback::publish::publish(&mut first, "2026-12-07", 5)
        .await
        .unwrap();
    assert_eq!(done.published, 5);
    // The second replica reads the same pool while the first has not committed.
    let store = app.store.clone();
    let second = tokio::spawn(async move {
        let mut tx = store.begin().await.unwrap();
        let result = branchbot::feedback::publish::publish(&mut tx, "2026-12-07", 5).await;
        match result {
            Ok(done) => {
                tx.commit().await.unwrap();
                Ok(done.published)
            }
            Err(e) => Err(e.to_string()),
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    first.commit().await.unwrap();
    let second = second.await.unwrap();
    assert!(matches!(second, Err(_) | Ok(0)), "{second:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback").await, 5);
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 0);
    app.stop().await;
}
