//! The calendar on the real scheduler and paused time: a check-in due on 国庆节 moves to the
//! next working day, a 工作日 schedule fires on the 调休 Saturday and not on the Sunday, and a
//! student branch's check-in pauses in the summer vacation while a teacher branch's runs.

use branchbot::domain::calendar;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::pledges::rules::Way;
use branchbot::pledges::store::{self as pledges, NewItem};
use branchbot::scheduler::{Crontab, JobSpec, When};
use branchbot::store::{calendar as stored, members};

use crate::support::{bind, eventually, t, Env, TZ};

const EXAMPLE: &str = include_str!("../../examples/calendar.toml");

/// The example college with the example calendar loaded; in 学生第二党支部, 唐志强 and 韩梅梅
/// have approved pledges and bound accounts. Returns the student and the teacher branch.
async fn college(env: &Env) -> (i64, i64) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = env.store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let student = members::branch_id(&mut tx, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let teacher = members::branch_id(&mut tx, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    let mut ids = Vec::new();
    for key in ["S201", "S203", "S204"] {
        ids.push(members::find(&mut tx, key).await.unwrap().unwrap().id);
    }
    for m in &ids[1..] {
        let item = NewItem {
            way: Way::Study.as_str().into(),
            text: "每月读一本理论书籍".into(),
            target_date: None,
        };
        let (v, _) = pledges::submit(&mut tx, *m, &[item], 0).await.unwrap();
        pledges::review(&mut tx, v, ids[0], true, None, 0)
            .await
            .unwrap();
    }
    let cal = calendar::parse(EXAMPLE).unwrap();
    stored::replace_years(&mut tx, &cal, 0).await.unwrap();
    tx.commit().await.unwrap();
    bind(&env.store, ids[1], "telegram", "203").await;
    bind(&env.store, ids[2], "telegram", "204").await;
    (student, teacher)
}

fn checkins(branch: i64, crontab: &str) -> JobSpec {
    JobSpec {
        kind: "pledge_checkin".into(),
        dedupe_key: format!("pledge:checkin:{branch}"),
        payload: serde_json::json!({ "branch_id": branch }).to_string(),
        when: When::Cron {
            crontab: Crontab::parse(crontab).unwrap(),
            tz: TZ,
        },
        grace: None,
    }
}

/// The check-in questions queued so far (one per member and round).
async fn asked(env: &Env) -> usize {
    env.outbox()
        .await
        .iter()
        .filter(|o| o.dedupe_key.starts_with("pledge:checkin:"))
        .count()
}

#[tokio::test(start_paused = true)]
async fn a_check_in_due_on_national_day_moves_to_the_first_working_day_after_the_holiday_week() {
    let env = Env::new(t("2026-09-28T10:00:00+08:00")).await;
    let (student, _) = college(&env).await;
    let running = env.spawn();
    let key = format!("pledge:checkin:{student}");
    running
        .handle
        .schedule(&env.store, &checkins(student, "0 9 1 * *"), env.clock.now())
        .await
        .unwrap();

    // Thursday 1 October, 09:00: 国庆节. Nothing is sent; the occurrence waits for Thursday 8th.
    env.advance_to(t("2026-10-01T09:00:00+08:00")).await;
    eventually("the check-in is put off", async || {
        env.job_by_key(&key).await.next_run_at == t("2026-10-08T09:00:00+08:00").timestamp_millis()
    })
    .await;
    let job = env.job_by_key(&key).await;
    assert_eq!(
        job.last_note.as_deref(),
        Some("moved from 2026-10-01 09:00 to 2026-10-08 09:00 (国庆节)")
    );
    assert_eq!((job.status.as_str(), job.runs), ("scheduled", 0));
    env.advance_to(t("2026-10-07T09:00:00+08:00")).await;
    env.settle().await;
    assert_eq!(asked(&env).await, 0, "nothing during the holiday week");

    env.advance_to(t("2026-10-08T09:00:00+08:00")).await;
    eventually("the round is sent on the 8th", async || {
        asked(&env).await == 2
    })
    .await;
    eventually("the job moves on to November", async || {
        env.job_by_key(&key).await.next_run_at == t("2026-11-01T09:00:00+08:00").timestamp_millis()
    })
    .await;
    let sent = env.outbox().await;
    assert_eq!(
        sent[0].body,
        "本期践诺填报：\n1. 带头学习提高：每月读一本理论书籍，进展如何？"
    );
    assert_eq!(
        sent[0].created_at,
        t("2026-10-08T09:00:00+08:00").timestamp_millis()
    );
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_working_days_schedule_fires_on_the_make_up_saturday_and_not_on_the_sunday() {
    // Friday 9 October 2026; Saturday 10th is worked in exchange for 国庆节.
    let env = Env::new(t("2026-10-09T08:00:00+08:00")).await;
    let (student, _) = college(&env).await;
    let running = env.spawn();
    let key = format!("pledge:checkin:{student}");
    running
        .handle
        .schedule(
            &env.store,
            &checkins(student, "0 9 * * 1-5"),
            env.clock.now(),
        )
        .await
        .unwrap();

    env.advance_to(t("2026-10-09T09:00:00+08:00")).await;
    eventually("Friday's round is sent", async || asked(&env).await == 2).await;
    eventually("the next is the 调休 Saturday", async || {
        env.job_by_key(&key).await.next_run_at == t("2026-10-10T09:00:00+08:00").timestamp_millis()
    })
    .await;

    env.advance_to(t("2026-10-10T09:00:00+08:00")).await;
    eventually("Saturday's round is sent", async || asked(&env).await == 4).await;
    eventually("then Monday, not Sunday", async || {
        env.job_by_key(&key).await.next_run_at == t("2026-10-12T09:00:00+08:00").timestamp_millis()
    })
    .await;
    let saturday = t("2026-10-10T09:00:00+08:00").timestamp_millis();
    assert_eq!(
        env.outbox()
            .await
            .iter()
            .filter(|o| o.created_at == saturday)
            .count(),
        2
    );
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_working_days_schedule_set_on_friday_evening_first_fires_on_the_make_up_saturday() {
    // Set after Friday's 09:00 has passed: its first occurrence is the 调休 Saturday, not
    // Monday (before, the first occurrence read the crontab alone).
    let env = Env::new(t("2026-10-09T20:00:00+08:00")).await;
    let (student, _) = college(&env).await;
    let running = env.spawn();
    let key = format!("pledge:checkin:{student}");
    running
        .handle
        .schedule(
            &env.store,
            &checkins(student, "0 9 * * 1-5"),
            env.clock.now(),
        )
        .await
        .unwrap();
    assert_eq!(
        env.job_by_key(&key).await.next_run_at,
        t("2026-10-10T09:00:00+08:00").timestamp_millis()
    );
    env.advance_to(t("2026-10-10T09:00:00+08:00")).await;
    eventually("Saturday's round is sent", async || asked(&env).await == 2).await;
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn loading_the_calendar_brings_a_working_days_schedule_forward_to_the_make_up_saturday() {
    let env = Env::new(t("2026-10-09T20:00:00+08:00")).await;
    let (student, _) = college(&env).await;
    // As if the job had been set before any calendar was loaded: its next time is Monday.
    sqlx::query("DELETE FROM calendar_days")
        .execute(env.store.pool())
        .await
        .unwrap();
    let running = env.spawn();
    let key = format!("pledge:checkin:{student}");
    running
        .handle
        .schedule(
            &env.store,
            &checkins(student, "0 9 * * 1-5"),
            env.clock.now(),
        )
        .await
        .unwrap();
    let monday = t("2026-10-12T09:00:00+08:00").timestamp_millis();
    assert_eq!(env.job_by_key(&key).await.next_run_at, monday);

    let mut tx = env.store.begin().await.unwrap();
    let cal = calendar::parse(EXAMPLE).unwrap();
    stored::replace_years(&mut tx, &cal, 0).await.unwrap();
    let loaded = stored::load(&mut tx).await.unwrap();
    let moved = branchbot::scheduler::plan::replan_for_calendar(
        &mut tx,
        &branchbot::app::features::jobs(),
        &loaded,
        &calendar::Rules::default(),
        env.clock.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(moved, 1);
    assert_eq!(
        env.job_by_key(&key).await.next_run_at,
        t("2026-10-10T09:00:00+08:00").timestamp_millis()
    );
    // Once more changes nothing: it only ever brings a time forward.
    let mut tx = env.store.begin().await.unwrap();
    let again = branchbot::scheduler::plan::replan_for_calendar(
        &mut tx,
        &branchbot::app::features::jobs(),
        &loaded,
        &calendar::Rules::default(),
        env.clock.now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(again, 0);
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_student_branch_pauses_in_the_summer_vacation_and_a_teacher_branch_does_not() {
    let env = Env::new(t("2026-07-30T10:00:00+08:00")).await;
    let (student, teacher) = college(&env).await;
    let running = env.spawn();
    for branch in [student, teacher] {
        running
            .handle
            .schedule(&env.store, &checkins(branch, "0 9 1 * *"), env.clock.now())
            .await
            .unwrap();
    }
    let student_key = format!("pledge:checkin:{student}");
    let teacher_key = format!("pledge:checkin:{teacher}");

    env.advance_to(t("2026-08-01T09:00:00+08:00")).await;
    eventually("both occurrences are settled", async || {
        env.job_by_key(&student_key).await.last_outcome.is_some()
            && env.job_by_key(&teacher_key).await.last_outcome.is_some()
    })
    .await;
    let paused = env.job_by_key(&student_key).await;
    assert_eq!(
        (
            paused.last_outcome.as_deref(),
            paused.last_note.as_deref(),
            paused.runs
        ),
        (
            Some("skipped"),
            Some("not run on 2026-08-01 09:00 (2026年暑假)"),
            0
        )
    );
    assert_eq!(
        paused.next_run_at,
        t("2026-09-01T09:00:00+08:00").timestamp_millis()
    );
    let teacher_job = env.job_by_key(&teacher_key).await;
    assert_eq!(
        (teacher_job.last_outcome.as_deref(), teacher_job.runs),
        (Some("done"), 1),
        "a teacher branch has no vacation"
    );
    assert_eq!(asked(&env).await, 0);

    env.advance_to(t("2026-09-01T09:00:00+08:00")).await;
    eventually("September's round reaches the students", async || {
        asked(&env).await == 2
    })
    .await;
    running.stop().await;
}
