//! The campaign on paused time: a file of three phases is loaded, each phase is announced to
//! everyone at its start, secretaries are reminded before its end until their branch's summary
//! is in, the committee sees who has submitted, and reloading an edited file moves the
//! schedule without sending anything twice. Also: the command line names a bad file's lines.

use std::process::Command;

use branchbot::campaign::schedule::{self as campaigns, Loaded};
use branchbot::testkit::db::TempSqlite;
use chrono::{DateTime, Utc};

use crate::world::{t, ChatWorld, RunningWorld, Setup, TZ};

fn phase(start: &str, end: &str, title: &str, task: &str) -> String {
    format!(
        "[[phases]]\nstart = {start}\nend = {end}\n\
         title = {{ zh-CN = \"{title}\", en = \"{title} (en)\" }}\n\
         theme = {{ zh-CN = \"{title}专题\", en = \"Theme\" }}\n\
         announcement = {{ zh-CN = \"{title}今天开始。\", en = \"It starts today.\" }}\n\
         tasks = [{{ zh-CN = \"{task}\", en = \"Task\" }}]\n"
    )
}

fn campaign(third_start: &str, third_end: &str) -> String {
    format!(
        "name = \"创先争优\"\nsummary_days_before_end = 4\nremind_every_days = 2\n{}{}{}",
        phase(
            "2027-03-01T09:00:00+08:00",
            "2027-03-15T09:00:00+08:00",
            "第一阶段：发动部署",
            "制定支部工作方案"
        ),
        phase(
            "2027-03-15T09:00:00+08:00",
            "2027-04-01T09:00:00+08:00",
            "第二阶段：喜迎建党90周年",
            "专题学习"
        ),
        phase(third_start, third_end, "第三阶段：喜迎党的十八大", "评议")
    )
}

/// The shared world on SQLite with everyone reading Telegram (the chat id is the roster key)
/// and the scheduler running by itself.
async fn world(start: DateTime<Utc>) -> RunningWorld {
    let w = ChatWorld::with(Setup::default(), start)
        .await
        .expect("SQLite always works");
    w.bind_everyone().await;
    w.run_scheduler()
}

/// Loads a campaign file as `branchbot campaign load` does, and wakes the scheduler.
async fn load(w: &RunningWorld, source: &str) -> Loaded {
    let mut tx = w.store.begin().await.unwrap();
    let loaded = campaigns::load(&mut tx, &w.registry, TZ, source, w.clock.now())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    w.engine.jobs.wake();
    loaded
}

#[tokio::test(start_paused = true)]
async fn the_reminder_and_campaign_name_the_same_last_day_of_a_phase_ending_at_midnight() {
    // The phase ends at midnight of 2026-12-12 in Shanghai: its last day is 12-11, and five
    // days before the end (00:00 on 12-07) five days are left, counting today.
    let w = world(t("2026-12-01T00:00:00Z")).await;
    let src = format!(
        "name = \"创先争优\"\nsummary_days_before_end = 5\nremind_every_days = 10\n{}",
        phase(
            "2026-12-01",
            "2026-12-12",
            "第一阶段：发动部署",
            "制定支部工作方案"
        )
    );
    load(&w, &src).await;
    w.advance_to("2026-12-06T16:00:30Z").await;
    w.expect_rows("campaign:创先争优:0:summary:%", 3).await;
    let s101 = w.member_id("S101").await;
    let due = t("2026-12-06T16:00:00Z").timestamp_millis();
    assert_eq!(
        w.body(&format!("campaign:创先争优:0:summary:{due}:{s101}"))
            .await,
        "请提交学生第一党支部“第一阶段：发动部署”阶段总结：本阶段还剩 5 天（至 2026-12-11）。\
         发送 /summary 后输入总结内容。"
    );
    assert!(w
        .say("T004", "/campaign")
        .await
        .starts_with("【创先争优】第一阶段：发动部署，还剩 5 天（至 2026-12-11）。"),);
    // The last minute of 12-11 is the last day's; a minute later the phase is over.
    w.advance_to("2026-12-11T15:59:00Z").await;
    assert!(w
        .say("T004", "/campaign")
        .await
        .starts_with("【创先争优】第一阶段：发动部署，还剩 1 天（至 2026-12-11）。"),);
    w.advance_to("2026-12-11T16:00:00Z").await;
    assert!(!w.say("T004", "/campaign").await.contains("还剩"));
    w.cancel.cancel();
}

#[tokio::test(start_paused = true)]
async fn a_campaign_announces_each_phase_reminds_secretaries_and_collects_summaries() {
    let w = world(t("2027-02-01T00:00:00Z")).await;
    let loaded = load(
        &w,
        &campaign("2027-04-01T09:00:00+08:00", "2027-04-20T09:00:00+08:00"),
    )
    .await;
    // Per phase: an announcement, two summary reminders and the pledge self-assessment at
    // its end.
    assert_eq!(
        (loaded.scheduled, loaded.cancelled, loaded.past),
        (12, 0, 0)
    );
    assert_eq!(
        w.say("T004", "/campaign").await,
        "【创先争优】下一阶段“第一阶段：发动部署”将于 2027-03-01 开始。"
    );

    w.advance_to("2027-03-01T01:01:00Z").await;
    // The 28 party members: the campaign's audience leaves out the two activists.
    w.expect_rows("campaign:创先争优:0:announce:%", 28).await;
    let t004 = w.member_id("T004").await;
    assert_eq!(
        w.body(&format!("campaign:创先争优:0:announce:{t004}"))
            .await,
        "【创先争优】第一阶段：发动部署\n第一阶段：发动部署专题\n第一阶段：发动部署今天开始。\n\
         本阶段任务：\n1. 制定支部工作方案"
    );
    assert_eq!(
        w.say("T004", "/campaign").await,
        "【创先争优】第一阶段：发动部署，还剩 14 天（至 2027-03-15）。\n\
         主题：第一阶段：发动部署专题\n本阶段任务：\n1. 制定支部工作方案"
    );

    let emily = w.say("T009", "/campaign").await;
    assert!(
        emily.starts_with(
            "[创先争优] 第一阶段：发动部署 (en): 14 days left (until 2027-03-15).\nTheme: Theme"
        ),
        "{emily}"
    );

    // Four days before the end, each branch secretary is asked.
    w.advance_to("2027-03-11T01:01:00Z").await;
    w.expect_rows("campaign:创先争优:0:summary:%", 3).await;
    let s101 = w.member_id("S101").await;
    let due = t("2027-03-11T01:00:00Z").timestamp_millis();
    assert_eq!(
        w.body(&format!("campaign:创先争优:0:summary:{due}:{s101}"))
            .await,
        "请提交学生第一党支部“第一阶段：发动部署”阶段总结：本阶段还剩 4 天（至 2027-03-15）。\
         发送 /summary 后输入总结内容。"
    );
    assert_eq!(
        w.say("S101", "/summary").await,
        "请输入本支部“第一阶段：发动部署”阶段总结。"
    );
    assert_eq!(
        w.say("S101", "完成动员部署，全员制定承诺。").await,
        "已收到本支部“第一阶段：发动部署”阶段总结，谢谢！"
    );
    assert_eq!(
        w.say("T004", "/summary 我也写一份").await,
        "只有支部书记和支委可以提交阶段总结。需要帮助请发 /help。"
    );
    // The committee (王建国 sits on it) sees who has submitted.
    let committee = w.say("T001", "/campaign").await;
    assert!(
        committee.ends_with(
            "“第一阶段：发动部署”阶段总结：已提交 1/3 个支部\n✓ 学生第一党支部\n\
             ✗ 学生第二党支部（未提交）\n✗ 教工第一党支部（未提交）"
        ),
        "{committee}"
    );
    // Two days later only the two branches still missing are reminded.
    w.advance_to("2027-03-13T01:01:00Z").await;
    w.expect_rows("campaign:创先争优:0:summary:%", 5).await;
    let later = t("2027-03-13T01:00:00Z").timestamp_millis();
    w.expect_rows(&format!("campaign:创先争优:0:summary:{later}:{s101}"), 0)
        .await;

    w.advance_to("2027-03-15T01:01:00Z").await;
    w.expect_rows("campaign:创先争优:1:announce:%", 28).await;

    // The third phase moves by four days: its jobs (announcement, two reminders, the pledge
    // self-assessment at its end) move, nothing already sent is sent again.
    let moved = load(
        &w,
        &campaign("2027-04-05T09:00:00+08:00", "2027-04-25T09:00:00+08:00"),
    )
    .await;
    assert_eq!((moved.scheduled, moved.cancelled), (4, 4), "{moved:?}");
    // Moved back and forth again: the cancelled jobs come back, none is doubled.
    let back = load(
        &w,
        &campaign("2027-04-01T09:00:00+08:00", "2027-04-20T09:00:00+08:00"),
    )
    .await;
    assert_eq!((back.scheduled, back.cancelled), (4, 4), "{back:?}");
    let again = load(
        &w,
        &campaign("2027-04-05T09:00:00+08:00", "2027-04-25T09:00:00+08:00"),
    )
    .await;
    assert_eq!(
        (again.scheduled, again.cancelled, again.kept),
        (4, 4, 3),
        "{again:?}"
    );
    w.advance_to("2027-04-01T01:01:00Z").await;
    for _ in 0..50 {
        tokio::task::yield_now().await;
    }
    assert_eq!(w.rows("campaign:创先争优:2:announce:%").await, 0);
    w.advance_to("2027-04-05T01:01:00Z").await;
    w.expect_rows("campaign:创先争优:2:announce:%", 28).await;
    assert_eq!(w.rows("campaign:创先争优:0:announce:%").await, 28);
    assert_eq!(w.rows("campaign:创先争优:1:announce:%").await, 28);
    w.cancel.cancel();
}

#[test]
fn a_bad_campaign_file_is_refused_with_its_lines_named() {
    let db = TempSqlite::new();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("campaign.toml");
    std::fs::write(
        &file,
        format!(
            "name = \"x\"\n{}{}",
            phase("2027-06-01", "2027-05-01", "一", "a"),
            phase("2027-04-01", "2027-07-01", "二", "b")
        ),
    )
    .unwrap();
    let run = |locale: &str| {
        Command::new(env!("CARGO_BIN_EXE_branchbot"))
            .args(["--database", &db.url, "campaign", "load"])
            .arg(&file)
            .current_dir(dir.path())
            .env("BRANCHBOT_LOCALE", locale)
            .output()
            .unwrap()
    };
    let zh = run("zh-CN");
    assert_eq!(zh.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&zh.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[1..],
        [
            "第 4 行：phases[1].end 必须晚于开始时间。",
            "第 10 行：phases[2].start 与第 1 阶段重叠，请让它在上一阶段结束后开始。",
        ],
        "{stderr}"
    );
    let en = run("en");
    let stderr = String::from_utf8_lossy(&en.stderr);
    assert!(
        stderr.contains("line 4: phases[1].end must be after the start."),
        "{stderr}"
    );
}
