//! Downtime: occurrences that fell due while no replica was running fire once at start if
//! within their grace period, and are otherwise recorded as missed; never twice.

use branchbot::scheduler::{plan, Crontab, When};
use chrono::TimeDelta;

use crate::support::{bind, eventually, hours, member, message, t, Env, TZ};

#[tokio::test(start_paused = true)]
async fn after_downtime_within_grace_each_job_fires_once_at_start() {
    let down_at = t("2025-11-03T09:00:00+08:00");
    // The process comes back three and a half hours later.
    let env = Env::new(down_at + TimeDelta::minutes(210)).await;
    let dan = member(&env.store, "dan", true).await;
    bind(&env.store, dan, "telegram", "4004").await;
    let registry = branchbot::app::features::jobs();
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
    let registry = branchbot::app::features::jobs();
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
