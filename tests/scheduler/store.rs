//! The jobs table's SQL on SQLite and on PostgreSQL alike: dedupe, leases and tokens, anchor
//! moves, cancelling, giving a claim back, and the housekeeping purges.

use branchbot::store::jobs::{self, Finish, NewJob, Timing};
use branchbot::store::Store;
use branchbot::testkit::db::{fresh_postgres, postgres_required, TempSqlite};

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                let db = super::TempSqlite::new();
                let store = super::Store::open(&db.url).await.unwrap();
                super::$name(&store).await;
                store.close().await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let url = match super::fresh_postgres().await {
                    Ok(url) => url,
                    Err(e) if super::postgres_required() => panic!("PostgreSQL is required in CI: {}", e.0),
                    Err(e) => return eprintln!("skipped: no PostgreSQL ({})", e.0),
                };
                let store = super::Store::open(&url).await.unwrap();
                super::$name(&store).await;
                store.close().await;
            }
        }
    )*};
}

both!(
    a_lease_refuses_a_stale_token_and_a_duplicate_key_is_a_no_op,
    anchors_move_scheduled_jobs_and_cancelled_or_released_jobs_behave,
    purges_delete_only_old_finished_rows,
);

fn once(key: &str, due: i64) -> NewJob {
    NewJob {
        kind: "message".into(),
        dedupe_key: key.into(),
        payload: "{}".into(),
        timing: Timing::Once,
        due_at: due,
        grace_ms: 1000,
    }
}

fn relative(key: &str, anchor_at: i64, offset_ms: i64) -> NewJob {
    NewJob {
        timing: Timing::Relative {
            anchor_key: "meeting:1".into(),
            anchor_at,
            offset_ms,
        },
        due_at: anchor_at + offset_ms,
        ..once(key, 0)
    }
}

async fn a_lease_refuses_a_stale_token_and_a_duplicate_key_is_a_no_op(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    let id = jobs::insert(&mut conn, &once("a", 1000), 0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        jobs::insert(&mut conn, &once("a", 5000), 0).await.unwrap(),
        None
    );
    let cron = NewJob {
        timing: Timing::Cron {
            expr: "0 9 * * *".into(),
            tz: "Asia/Shanghai".into(),
        },
        ..once("c", 9000)
    };
    jobs::insert(&mut conn, &cron, 0).await.unwrap().unwrap();
    assert_eq!(
        jobs::next_due(&mut conn, &["message"]).await.unwrap(),
        Some(1000)
    );
    assert_eq!(jobs::next_due(&mut conn, &["other"]).await.unwrap(), None);

    assert!(
        jobs::claim(store, &["message"], 999, 10, 100)
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let first = jobs::claim(store, &["message"], 1000, 10, 100)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(
        (first[0].id, first[0].attempts, first[0].status.as_str()),
        (id, 1, "running")
    );
    assert!(
        jobs::claim(store, &["message"], 1050, 10, 100)
            .await
            .unwrap()
            .is_empty(),
        "leased"
    );
    assert!(
        jobs::claim(store, &["other"], 5000, 10, 100)
            .await
            .unwrap()
            .is_empty(),
        "kinds this replica does not know are left alone"
    );
    // The first replica went quiet; its lease lapsed and another took the row over.
    let second = jobs::claim(store, &["message"], 1100, 10, 100)
        .await
        .unwrap();
    assert_eq!((second[0].id, second[0].attempts), (id, 2));
    assert_ne!(first[0].lease_token, second[0].lease_token);

    let done = Finish::Done {
        note: Some("ok".into()),
        next: None,
        skipped: 0,
    };
    let mut tx = store.begin().await.unwrap();
    assert!(!jobs::lock(store, &mut tx, &first[0]).await.unwrap());
    assert!(
        !jobs::finish(&mut tx, &first[0], &done, 1200).await.unwrap(),
        "the stale attempt cannot record"
    );
    assert!(jobs::lock(store, &mut tx, &second[0]).await.unwrap());
    assert!(jobs::finish(&mut tx, &second[0], &done, 1200)
        .await
        .unwrap());
    tx.commit().await.unwrap();
    let row = jobs::get(&mut conn, id).await.unwrap().unwrap();
    assert_eq!(
        (row.status.as_str(), row.runs, row.attempts, row.last_run_at),
        ("done", 1, 0, Some(1200))
    );
    assert_eq!(row.last_note.as_deref(), Some("ok"));

    // A recurring row goes back to scheduled at its next occurrence; a retry keeps the occurrence.
    let c = jobs::claim(store, &["message"], 9000, 10, 100)
        .await
        .unwrap()
        .remove(0);
    let retry = Finish::Retry {
        at: 9500,
        error: "busy".into(),
    };
    assert!(jobs::finish(&mut conn, &c, &retry, 9000).await.unwrap());
    let row = jobs::by_dedupe_key(&mut conn, "c").await.unwrap().unwrap();
    assert_eq!(
        (
            row.status.as_str(),
            row.due_at,
            row.next_run_at,
            row.attempts
        ),
        ("scheduled", 9000, 9500, 1)
    );
    let c = jobs::claim(store, &["message"], 9500, 10, 100)
        .await
        .unwrap()
        .remove(0);
    let missed = Finish::Missed {
        next: Some(20_000),
        count: 2,
    };
    assert!(jobs::finish(&mut conn, &c, &missed, 9600).await.unwrap());
    let row = jobs::by_dedupe_key(&mut conn, "c").await.unwrap().unwrap();
    assert_eq!(
        (row.status.as_str(), row.due_at, row.misses, row.attempts),
        ("scheduled", 20_000, 2, 0)
    );
    assert_eq!(
        row.timing,
        Timing::Cron {
            expr: "0 9 * * *".into(),
            tz: "Asia/Shanghai".into()
        }
    );
    let counts = jobs::counts(&mut conn).await.unwrap();
    assert_eq!(
        counts,
        [
            ("message".into(), "done".into(), 1),
            ("message".into(), "scheduled".into(), 1)
        ]
    );
}

async fn anchors_move_scheduled_jobs_and_cancelled_or_released_jobs_behave(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    let early = jobs::insert(&mut conn, &relative("r1", 10_000, -100), 0)
        .await
        .unwrap()
        .unwrap();
    let late = jobs::insert(&mut conn, &relative("r2", 10_000, -10), 0)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        jobs::move_anchor(&mut conn, "meeting:1", 20_000, 5)
            .await
            .unwrap(),
        2
    );
    let row = jobs::get(&mut conn, early).await.unwrap().unwrap();
    assert_eq!((row.due_at, row.next_run_at), (19_900, 19_900));
    assert_eq!(
        row.timing,
        Timing::Relative {
            anchor_key: "meeting:1".into(),
            anchor_at: 20_000,
            offset_ms: -100
        }
    );
    assert_eq!(
        jobs::get(&mut conn, late).await.unwrap().unwrap().due_at,
        19_990
    );
    assert_eq!(
        jobs::move_anchor(&mut conn, "meeting:2", 1, 5)
            .await
            .unwrap(),
        0
    );

    assert!(jobs::cancel(&mut conn, "r2", 6).await.unwrap());
    assert!(!jobs::cancel(&mut conn, "r2", 6).await.unwrap(), "once");
    let claimed = jobs::claim(store, &["message"], 19_995, 10, 100)
        .await
        .unwrap();
    assert_eq!(
        claimed.iter().map(|j| j.id).collect::<Vec<_>>(),
        [early],
        "a cancelled job is never claimed"
    );
    assert!(jobs::release(&mut conn, &claimed[0], 19_996).await.unwrap());
    let row = jobs::get(&mut conn, early).await.unwrap().unwrap();
    assert_eq!(
        (row.status.as_str(), row.attempts, row.lease_token),
        ("scheduled", 0, None)
    );
    assert!(
        !jobs::release(&mut conn, &claimed[0], 19_996).await.unwrap(),
        "not ours any more"
    );

    // Cancelling a running job refuses its result.
    let claimed = jobs::claim(store, &["message"], 19_997, 10, 100)
        .await
        .unwrap()
        .remove(0);
    assert!(jobs::cancel(&mut conn, "r1", 19_998).await.unwrap());
    let done = Finish::Done {
        note: None,
        next: None,
        skipped: 0,
    };
    assert!(!jobs::finish(&mut conn, &claimed, &done, 19_999)
        .await
        .unwrap());
    assert_eq!(
        jobs::get(&mut conn, early).await.unwrap().unwrap().status,
        "cancelled"
    );
    assert_eq!(
        jobs::move_anchor(&mut conn, "meeting:1", 30_000, 7)
            .await
            .unwrap(),
        0,
        "nothing left to move"
    );
}

async fn purges_delete_only_old_finished_rows(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    for (i, (status, at)) in [
        ("done", 10),
        ("ignored", 10),
        ("done", 100),
        ("pending", 10),
    ]
    .iter()
    .enumerate()
    {
        sqlx::query("INSERT INTO inbox (channel, external_id, status, received_at) VALUES ('telegram', $1, $2, $3)")
            .bind(i.to_string())
            .bind(*status)
            .bind(*at as i64)
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    for (i, (status, at)) in [
        ("sent", 10),
        ("expired", 10),
        ("sent", 100),
        ("sending", 10),
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
        .bind(*at as i64)
        .execute(&mut *conn)
        .await
        .unwrap();
    }
    assert_eq!(jobs::purge_inbox(&mut conn, 50).await.unwrap(), 2);
    assert_eq!(jobs::purge_outbox(&mut conn, 50).await.unwrap(), 2);
    let left: i64 =
        sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM inbox) + (SELECT COUNT(*) FROM outbox)")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(left, 4);
}
