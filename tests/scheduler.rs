//! The scheduler from the outside: jobs put on the schedule through the public API fire at
//! their instant on paused time, recurring ones advance, relative ones move with their event,
//! downtime is caught up once or recorded as missed, and two replicas on one database enqueue
//! each message exactly once (see [`replicas`]). [`store`] runs the jobs table's SQL on SQLite
//! and PostgreSQL alike.

#[path = "scheduler/replicas.rs"]
mod replicas;
#[path = "scheduler/store.rs"]
mod store;
#[path = "scheduler/support.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use branchbot::i18n::{Catalog, Locale};
use branchbot::scheduler::job::JobFuture;
use branchbot::scheduler::{
    plan, Crontab, Job, JobContext, JobError, Registry, ScheduleError, SchedulerConfig, When,
};
use branchbot::store::jobs::JobRow;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Conn;
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
async fn after_downtime_within_grace_each_job_fires_once_at_start() {
    let down_at = t("2025-11-03T09:00:00+08:00");
    // The process comes back three and a half hours later.
    let env = Env::new(down_at + TimeDelta::minutes(210)).await;
    let dan = member(&env.store, "dan", true).await;
    bind(&env.store, dan, "telegram", "4004").await;
    let registry = Registry::builtin();
    let mut tx = env.store.begin().await.unwrap();
    let once = message("once", "一次", &[dan], When::At(down_at + hours(1)));
    let hourly = message(
        "hourly",
        "每小时",
        &[dan],
        When::Cron {
            crontab: Crontab::parse("0 * * * *").unwrap(),
            tz: TZ,
        },
    );
    let once = plan::schedule(&mut tx, &registry, &once, down_at)
        .await
        .unwrap()
        .unwrap();
    let hourly = plan::schedule(&mut tx, &registry, &hourly, down_at)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();

    let running = env.spawn();
    eventually("both caught up", async || env.outbox().await.len() == 2).await;
    let start = env.clock.now().timestamp_millis();
    let out = env.outbox().await;
    assert!(
        out.iter().all(|o| o.created_at == start),
        "both fire at start: {out:?}"
    );
    assert_eq!(env.job(once).await.status, "done");
    let job = env.job(hourly).await;
    // 10:00, 11:00 and 12:00 passed: the latest runs once, the two before it are missed.
    let noon = t("2025-11-03T12:00:00+08:00").timestamp_millis();
    assert!(
        out.iter()
            .any(|o| o.dedupe_key == format!("job:{hourly}:{noon}:{dan}")),
        "{out:?}"
    );
    assert_eq!(
        (job.runs, job.misses, job.status.as_str()),
        (1, 2, "scheduled")
    );
    assert_eq!(
        job.due_at,
        t("2025-11-03T13:00:00+08:00").timestamp_millis()
    );

    env.advance_to(t("2025-11-03T12:59:00+08:00")).await;
    env.settle().await;
    assert_eq!(env.outbox().await.len(), 2, "never twice");
    env.advance_to(t("2025-11-03T13:00:00+08:00")).await;
    eventually("the next hour", async || env.outbox().await.len() == 3).await;
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn after_downtime_beyond_grace_jobs_are_recorded_missed_and_recurring_ones_move_on() {
    let down_at = t("2025-11-03T09:00:00+08:00");
    let env = Env::new(t("2025-11-04T17:00:00+08:00")).await;
    let erin = member(&env.store, "erin", true).await;
    bind(&env.store, erin, "telegram", "5005").await;
    let registry = Registry::builtin();
    let mut tx = env.store.begin().await.unwrap();
    let once = message("once", "一次", &[erin], When::At(down_at + hours(1)));
    let daily = message(
        "daily",
        "每天",
        &[erin],
        When::Cron {
            crontab: Crontab::parse("0 9 * * *").unwrap(),
            tz: TZ,
        },
    );
    let once = plan::schedule(&mut tx, &registry, &once, down_at)
        .await
        .unwrap()
        .unwrap();
    let daily = plan::schedule(&mut tx, &registry, &daily, down_at)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();

    let running = env.spawn();
    eventually("both recorded", async || {
        env.job(once).await.status == "missed" && env.job(daily).await.misses == 1
    })
    .await;
    assert!(env.outbox().await.is_empty(), "a missed job sends nothing");
    let job = env.job(once).await;
    assert_eq!(
        (job.runs, job.misses, job.last_outcome.as_deref()),
        (0, 1, Some("missed"))
    );
    let job = env.job(daily).await;
    // Tuesday 09:00 was eight hours ago, beyond the six-hour grace: next is Wednesday.
    assert_eq!(
        (job.status.as_str(), job.last_outcome.as_deref()),
        ("scheduled", Some("missed"))
    );
    assert_eq!(
        job.due_at,
        t("2025-11-05T09:00:00+08:00").timestamp_millis()
    );

    env.advance_to(t("2025-11-05T09:00:00+08:00")).await;
    eventually("Wednesday's run", async || env.outbox().await.len() == 1).await;
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn scheduling_in_the_past_an_unknown_kind_or_a_bad_payload_is_refused_plainly() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let now = env.clock.now();
    let registry = Registry::builtin();
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
async fn a_message_goes_to_each_members_channel_skips_who_left_and_keeps_its_urgency() {
    let env = Env::new(t("2025-11-03T23:00:00+08:00")).await;
    let (a, b, c, d) = (
        member(&env.store, "a", true).await,
        member(&env.store, "b", true).await,
        member(&env.store, "c", false).await,
        member(&env.store, "d", true).await,
    );
    bind(&env.store, a, "telegram", "1").await;
    bind(&env.store, a, "console", "a").await;
    bind(&env.store, b, "console", "b").await;
    bind(&env.store, c, "telegram", "3").await;
    let registry = Registry::builtin();
    let mut spec = message(
        "urgent",
        "紧急通知",
        &[a, b, c, d],
        When::At(env.clock.now()),
    );
    spec.payload =
        serde_json::json!({ "text": "紧急通知", "members": [a, b, c, d], "urgent": true })
            .to_string();
    let mut conn = env.store.pool().acquire().await.unwrap();
    let id = plan::schedule(
        &mut conn,
        &registry,
        &spec,
        env.clock.now() - TimeDelta::minutes(1),
    )
    .await
    .unwrap()
    .unwrap();
    drop(conn);

    env.scheduler(registry, SchedulerConfig::new(TZ))
        .drain()
        .await
        .unwrap();
    let out = env.outbox().await;
    let sent: Vec<_> = out
        .iter()
        .map(|o| {
            (
                o.member_id,
                o.channel.as_str(),
                o.address.as_str(),
                o.urgent,
            )
        })
        .collect();
    assert_eq!(
        sent,
        [(a, "telegram", "1", true), (b, "console", "b", true)],
        "Telegram first, then the console"
    );
    let note = env.job(id).await.last_note.unwrap();
    assert_eq!(note, format!("queued 2 of 4; skipped left the organisation: [{c}]; skipped no reachable channel: [{d}]"));
}

/// Enqueues a message, then fails: the message must not survive.
struct Flaky(Arc<AtomicUsize>);

impl Job for Flaky {
    fn name(&self) -> &'static str {
        "flaky"
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            self.0.fetch_add(1, Ordering::SeqCst);
            let m = NewMessage {
                channel: "console".into(),
                address: "x".into(),
                member_id: None,
                body: "half done".into(),
                choices_json: "[]".into(),
                dedupe_key: format!("flaky:{}", job.attempts),
                urgent: false,
                not_before: ctx.now,
                expires_at: None,
                segments: 1,
            };
            outbox::enqueue(conn, &[m], ctx.now).await?;
            Err(JobError::Failed("the gateway said no".into()))
        })
    }
}

#[tokio::test(start_paused = true)]
async fn a_failing_run_leaves_nothing_behind_is_retried_and_then_recorded_failed() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let calls = Arc::new(AtomicUsize::new(0));
    let registry = Registry::builtin().with(Flaky(Arc::clone(&calls)));
    let mut config = SchedulerConfig::new(TZ);
    config.retry_after = Duration::from_secs(60);
    let running = env.spawn_with(registry, config);
    let due = env.clock.now() + TimeDelta::minutes(5);
    let spec = branchbot::scheduler::JobSpec {
        kind: "flaky".into(),
        dedupe_key: "flaky".into(),
        payload: "{}".into(),
        when: When::At(due),
        grace: None,
    };
    let id = running
        .handle
        .schedule(&env.store, &spec, env.clock.now())
        .await
        .unwrap()
        .unwrap();

    env.advance_to(due).await;
    eventually("the first attempt", async || {
        env.job(id).await.last_error.is_some()
    })
    .await;
    let job = env.job(id).await;
    assert_eq!(
        (job.status.as_str(), job.attempts, job.next_run_at),
        (
            "scheduled",
            1,
            (due + TimeDelta::minutes(1)).timestamp_millis()
        )
    );
    assert!(
        env.outbox().await.is_empty(),
        "the failed run's message was rolled back"
    );
    env.advance_to(due + TimeDelta::minutes(1)).await;
    eventually("the second attempt", async || {
        calls.load(Ordering::SeqCst) == 2 && env.job(id).await.status == "scheduled"
    })
    .await;
    env.advance_to(due + TimeDelta::minutes(3)).await;
    eventually("the third attempt", async || {
        env.job(id).await.status == "failed"
    })
    .await;
    let job = env.job(id).await;
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        (job.last_outcome.as_deref(), job.last_error.as_deref()),
        (Some("failed"), Some("the gateway said no"))
    );
    assert!(env.outbox().await.is_empty());
    running.stop().await;
}

#[tokio::test(start_paused = true)]
async fn an_idle_scheduler_sleeps_until_a_new_job_wakes_it() {
    let env = Env::new(t("2025-11-03T09:00:00+08:00")).await;
    let fay = member(&env.store, "fay", true).await;
    bind(&env.store, fay, "telegram", "6006").await;
    let mut config = SchedulerConfig::new(TZ);
    config.max_sleep = Duration::from_secs(3600);
    let running = env.spawn_with(Registry::builtin(), config);
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

#[tokio::test(start_paused = true)]
async fn housekeeping_runs_daily_and_deletes_only_old_finished_rows() {
    let env = Env::new(t("2025-11-03T04:00:00+08:00")).await;
    let now = env.clock.now().timestamp_millis();
    let day = 24 * 3600 * 1000;
    for (i, (status, age)) in [
        ("done", 31),
        ("ignored", 31),
        ("done", 29),
        ("pending", 40),
        ("failed", 40),
    ]
    .iter()
    .enumerate()
    {
        sqlx::query("INSERT INTO inbox (channel, external_id, status, received_at) VALUES ('telegram', $1, $2, $3)")
            .bind(i.to_string())
            .bind(*status)
            .bind(now - age * day)
            .execute(env.store.pool())
            .await
            .unwrap();
    }
    for (i, (status, age)) in [
        ("sent", 91),
        ("failed", 91),
        ("expired", 91),
        ("sent", 89),
        ("pending", 91),
        ("blocked", 91),
    ]
    .iter()
    .enumerate()
    {
        sqlx::query(
            "INSERT INTO outbox (channel, address, body, choices, dedupe_key, status, next_attempt_at, created_at) \
             VALUES ('telegram', '1', 'x', '[]', $1, $2, $3, $3)",
        )
        .bind(i.to_string())
        .bind(*status)
        .bind(now - age * day)
        .execute(env.store.pool())
        .await
        .unwrap();
    }
    let running = env.spawn();
    eventually("the built-in job exists", async || {
        sqlx::query("SELECT 1 FROM jobs")
            .fetch_optional(env.store.pool())
            .await
            .unwrap()
            .is_some()
    })
    .await;
    let job = env.job_by_key("builtin:housekeeping").await;
    assert_eq!(
        job.due_at,
        t("2025-11-03T04:17:00+08:00").timestamp_millis()
    );
    env.advance_to(t("2025-11-03T04:17:00+08:00")).await;
    eventually("housekeeping ran", async || {
        env.job_by_key("builtin:housekeeping").await.runs == 1
    })
    .await;
    let inbox: Vec<String> = sqlx::query_scalar("SELECT status FROM inbox ORDER BY id")
        .fetch_all(env.store.pool())
        .await
        .unwrap();
    assert_eq!(inbox, ["done", "pending", "failed"]);
    let outbox: Vec<String> = sqlx::query_scalar("SELECT status FROM outbox ORDER BY id")
        .fetch_all(env.store.pool())
        .await
        .unwrap();
    assert_eq!(outbox, ["sent", "pending", "blocked"]);
    let job = env.job_by_key("builtin:housekeeping").await;
    assert_eq!(
        job.last_note.as_deref(),
        Some("deleted 2 inbox rows older than 30 days and 3 outbox rows older than 90 days")
    );
    assert_eq!(
        job.due_at,
        t("2025-11-04T04:17:00+08:00").timestamp_millis()
    );
    running.stop().await;
}
