//! The built-in kinds at work (`message`, `housekeeping`), and a kind whose runs fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use branchbot::scheduler::job::JobFuture;
use branchbot::scheduler::{plan, Job, JobContext, JobError, JobSpec, SchedulerConfig, When};
use branchbot::store::jobs::JobRow;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Conn;
use chrono::TimeDelta;

use crate::support::{bind, eventually, member, message, t, Env, TZ};

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
    let registry = branchbot::app::features::jobs();
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
    let registry = branchbot::app::features::jobs().with(Flaky(Arc::clone(&calls)));
    let mut config = SchedulerConfig::new(TZ);
    config.retry_after = Duration::from_secs(60);
    let running = env.spawn_with(registry, config);
    let due = env.clock.now() + TimeDelta::minutes(5);
    let spec = JobSpec {
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
        Some("deleted 2 inbox rows older than 30 days, 3 outbox rows older than 90 days, 0 expired dashboard links and 0 expired dashboard sessions")
    );
    assert_eq!(
        job.due_at,
        t("2025-11-04T04:17:00+08:00").timestamp_millis()
    );
    running.stop().await;
}
