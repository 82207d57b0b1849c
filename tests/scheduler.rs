//! The scheduler from the outside. Here: jobs put on the schedule through the public API fire
//! at their instant on paused time, recurring ones advance, relative ones move with their
//! event, an idle scheduler is woken by a new job, and bad requests are refused. Beside it:
//! [`downtime`] (caught up once, or recorded as missed), [`kinds`] (the built-in kinds, and
//! failing runs), [`pledges`] (monthly check-ins and the one reminder), [`preview_cli`] (`branchbot schedule preview`), [`replicas`] (two
//! schedulers on one database, each message exactly once) and [`store`] (the jobs table's SQL
//! on SQLite and PostgreSQL alike).

#[path = "scheduler/calendar.rs"]
mod calendar;
#[path = "scheduler/downtime.rs"]
mod downtime;
#[path = "scheduler/kinds.rs"]
mod kinds;
#[path = "scheduler/pledges.rs"]
mod pledges;
#[path = "scheduler/preview_cli.rs"]
mod preview_cli;
#[path = "scheduler/replicas.rs"]
mod replicas;
#[path = "scheduler/store.rs"]
mod store;
#[path = "scheduler/support.rs"]
mod support;

use std::time::Duration;

use branchbot::i18n::{Catalog, Locale};
use branchbot::scheduler::{plan, Crontab, ScheduleError, SchedulerConfig, When};
use chrono::TimeDelta;

use support::{bind, eventually, hours, member, message, t, Env, TZ};

#[tokio::test(start_paused = true)]
async fn a_one_off_job_fires_at_its_instant_and_enqueues_exactly_one_outbox_row() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let alice = member(&env.store, "alice", true).await;
    bind(&env.store, alice, "telegram", "1001").await;
    let running = env.spawn();
    let at = t("2025-11-03T10:00:00+08:00");
    let spec = message("notice:1", "支部大会今晚七点", &[alice], When::At(at));
    let id = running
        .handle
        .schedule(&env.store, &spec, env.clock.now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        running
            .handle
            .schedule(&env.store, &spec, env.clock.now())
            .await
            .unwrap(),
        None,
        "same dedupe key: a no-op"
    );

    env.advance_to(at - TimeDelta::seconds(1)).await;
    env.settle().await;
    assert!(env.outbox().await.is_empty(), "nothing before its instant");

    env.advance_to(at).await;
    eventually("the job ran", async || env.job(id).await.status == "done").await;
    let out = env.outbox().await;
    assert_eq!(out.len(), 1);
    assert_eq!(
        (
            out[0].channel.as_str(),
            out[0].address.as_str(),
            out[0].member_id
        ),
        ("telegram", "1001", alice)
    );
    assert_eq!(out[0].body, "支部大会今晚七点");
    assert_eq!(
        out[0].created_at,
        at.timestamp_millis(),
        "queued at its instant, not later"
    );
    assert!(!out[0].urgent, "a message is not urgent unless it says so");
    let job = env.job(id).await;
    assert_eq!(
        (job.runs, job.misses, job.last_run_at),
        (1, 0, Some(at.timestamp_millis()))
    );
    assert_eq!(job.last_note.as_deref(), Some("queued 1 of 1"));

    env.advance_to(at + hours(48)).await;
    env.settle().await;
    assert_eq!(
        env.outbox().await.len(),
        1,
        "a one-off job never fires twice"
    );
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_recurring_job_fires_every_wednesday_evening_and_advances() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let bob = member(&env.store, "bob", true).await;
    bind(&env.store, bob, "telegram", "2002").await;
    let running = env.spawn();
    let crontab = Crontab::parse("30 19 * * Wed").unwrap();
    let spec = message(
        "study:weekly",
        "周三晚学习",
        &[bob],
        When::Cron { crontab, tz: TZ },
    );
    let id = running
        .handle
        .schedule(&env.store, &spec, env.clock.now())
        .await
        .unwrap()
        .unwrap();
    let wednesdays = [
        t("2025-11-05T19:30:00+08:00"),
        t("2025-11-12T19:30:00+08:00"),
        t("2025-11-19T19:30:00+08:00"),
    ];
    for (n, at) in wednesdays.iter().enumerate() {
        assert_eq!(env.job(id).await.due_at, at.timestamp_millis());
        env.advance_to(*at).await;
        eventually("this week's run", async || {
            env.outbox().await.len() == n + 1
        })
        .await;
    }
    let created: Vec<i64> = env.outbox().await.iter().map(|o| o.created_at).collect();
    assert_eq!(created, wednesdays.map(|w| w.timestamp_millis()));
    let job = env.job(id).await;
    assert_eq!(job.status, "scheduled");
    assert_eq!(
        job.due_at,
        t("2025-11-26T19:30:00+08:00").timestamp_millis()
    );
    assert_eq!(job.runs, 3);
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn a_relative_job_moves_when_its_meeting_moves() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let carol = member(&env.store, "carol", true).await;
    bind(&env.store, carol, "telegram", "3003").await;
    let running = env.spawn();
    let meeting = t("2025-11-06T19:00:00+08:00");
    let before = |key: &str, offset: TimeDelta| {
        let when = When::Relative {
            anchor_key: "meeting:7".into(),
            anchor_at: meeting,
            offset,
        };
        message(key, "明晚支部大会", &[carol], when)
    };
    let day = running
        .handle
        .schedule(
            &env.store,
            &before("meeting:7:24h", -hours(24)),
            env.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();
    let hour = running
        .handle
        .schedule(
            &env.store,
            &before("meeting:7:1h", -hours(1)),
            env.clock.now(),
        )
        .await
        .unwrap()
        .unwrap();

    let moved_to = t("2025-11-08T19:00:00+08:00");
    let mut tx = env.store.begin().await.unwrap();
    assert_eq!(
        plan::move_anchor(&mut tx, "meeting:7", moved_to, env.clock.now())
            .await
            .unwrap(),
        2
    );
    tx.commit().await.unwrap();
    running.handle.wake();
    assert_eq!(
        env.job(day).await.due_at,
        (moved_to - hours(24)).timestamp_millis()
    );
    assert_eq!(
        env.job(hour).await.due_at,
        (moved_to - hours(1)).timestamp_millis()
    );

    env.advance_to(meeting - hours(24) + TimeDelta::minutes(1))
        .await;
    env.settle().await;
    assert!(env.outbox().await.is_empty(), "not at the old time");
    env.advance_to(moved_to - hours(24)).await;
    eventually("the day-before reminder", async || {
        env.outbox().await.len() == 1
    })
    .await;
    assert_eq!(
        env.outbox().await[0].created_at,
        (moved_to - hours(24)).timestamp_millis()
    );

    // Moving it again moves only what has not run yet.
    let later = t("2025-11-08T20:00:00+08:00");
    let mut tx = env.store.begin().await.unwrap();
    assert_eq!(
        plan::move_anchor(&mut tx, "meeting:7", later, env.clock.now())
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    running.handle.wake();
    env.advance_to(later - hours(1)).await;
    eventually("the hour-before reminder", async || {
        env.outbox().await.len() == 2
    })
    .await;
    assert_eq!(
        env.outbox().await[1].created_at,
        (later - hours(1)).timestamp_millis()
    );
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn scheduling_in_the_past_an_unknown_kind_or_a_bad_payload_is_refused_plainly() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let now = env.clock.now();
    let registry = branchbot::app::features::jobs();
    let mut conn = env.store.pool().acquire().await.unwrap();
    let past = message("past", "迟了", &[1], When::At(now - TimeDelta::minutes(1)));
    let err = plan::schedule(&mut conn, &registry, &past, now)
        .await
        .unwrap_err();
    assert!(matches!(err, ScheduleError::InThePast { .. }), "{err:?}");
    let catalog = Catalog::load().unwrap();
    assert_eq!(
        err.user_message(&catalog, Locale::En, TZ).unwrap(),
        "That time (2025-11-03 08:59) has already passed. Choose a time in the future."
    );
    assert!(err
        .user_message(&catalog, Locale::ZhCn, TZ)
        .unwrap()
        .contains("已经过去"));
    let relative = When::Relative {
        anchor_key: "meeting:1".into(),
        anchor_at: now + hours(1),
        offset: -hours(2),
    };
    let err = plan::schedule(
        &mut conn,
        &registry,
        &message("rel", "x", &[1], relative),
        now,
    )
    .await
    .unwrap_err();
    assert!(matches!(err, ScheduleError::InThePast { .. }), "{err:?}");
    let mut unknown = message("unknown", "x", &[1], When::At(now + hours(1)));
    unknown.kind = "fax".into();
    let err = plan::schedule(&mut conn, &registry, &unknown, now)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "no job kind named 'fax'");
    let empty = message("empty", "  ", &[1], When::At(now + hours(1)));
    let err = plan::schedule(&mut conn, &registry, &empty, now)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "bad payload for a 'message' job: the text is empty"
    );
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing was stored");
}

#[tokio::test(start_paused = true)]
async fn an_idle_scheduler_sleeps_until_a_new_job_wakes_it() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let fay = member(&env.store, "fay", true).await;
    bind(&env.store, fay, "telegram", "6006").await;
    let mut config = SchedulerConfig::new(TZ);
    config.max_sleep = Duration::from_secs(3600);
    let running = env.spawn_with(branchbot::app::features::jobs(), config);
    env.settle().await; // asleep, for up to an hour
    let at = env.clock.now() + TimeDelta::minutes(10);
    running
        .handle
        .schedule(
            &env.store,
            &message("soon", "十分钟后", &[fay], When::At(at)),
            env.clock.now(),
        )
        .await
        .unwrap();
    env.advance_to(at).await;
    eventually("the new job ran", async || env.outbox().await.len() == 1).await;
    assert_eq!(
        env.outbox().await[0].created_at,
        at.timestamp_millis(),
        "woken, not at the end of its hour"
    );
    running.stop().await;
}
