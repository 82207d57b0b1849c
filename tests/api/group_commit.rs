//! Group commit on SQLite: a pass over the inbox commits its updates in batches, each update in
//! a savepoint of its own. One update failing for good is set aside with its apology while the
//! rest of its batch commits; a transient failure mid-batch keeps what came before it and loses
//! nothing after it, each chat's order kept. (A `kill -9` mid-batch: `crash.rs`.)

use chrono::{DateTime, TimeZone, Utc};

use branchbot::flows::engine::InboxItem;
use branchbot::flows::{ChannelKind, Content, Inbound};

use crate::helpers::Db;
use crate::world::ChatWorld;

const APOLOGY: &str = "出错了，已记录，请稍后再试或联系书记。";

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 8, 2, 0, 0).unwrap()
}

async fn world(db: Db) -> Option<ChatWorld> {
    let w = ChatWorld::new(db, start(), Default::default()).await?;
    for key in ["T004", "T006", "T008"] {
        w.bind(key).await;
    }
    Some(w)
}

/// Stores these updates (roster key, text) in one intake transaction, none processed yet.
async fn queue(w: &ChatWorld, updates: &[(&str, &str)]) {
    let batch: Vec<(String, Option<InboxItem>)> = updates
        .iter()
        .enumerate()
        .map(|(i, (key, text))| {
            let item = InboxItem {
                inbound: Inbound {
                    channel: ChannelKind::Telegram,
                    address: (*key).into(),
                    content: Content::Text {
                        text: (*text).into(),
                    },
                    language_hint: None,
                },
                ack: None,
            };
            (format!("gc{i}"), Some(item))
        })
        .collect();
    let new = w
        .engine
        .receive_batch(ChannelKind::Telegram, &batch)
        .await
        .unwrap();
    assert_eq!(new, updates.len());
}

async fn count(w: &ChatWorld, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(w.store.pool())
        .await
        .unwrap()
}

async fn bodies(w: &ChatWorld, key: &str) -> Vec<String> {
    w.take(key).await.into_iter().map(|q| q.body).collect()
}

async fn one_update_failing_for_good_leaves_the_rest_of_its_batch_committed(db: Db) {
    let Some(w) = world(db).await else {
        return;
    };
    // A meeting of a kind this binary does not know: T004's /meetings cannot be processed.
    let at = start().timestamp_millis();
    crate::helpers::write_unchecked(
        &w.store,
        "meetings",
        &format!(
            "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, status, \
             created_at, updated_at) \
             SELECT id, 'bogus', {}, {}, '会议室', '学习', 'scheduled', {at}, {at} FROM branches \
             WHERE name = '教工第一党支部'",
            at + 3_600_000,
            at + 7_200_000
        ),
    )
    .await;
    queue(
        &w,
        &[
            ("T006", "/help"),
            ("T004", "/meetings"),
            ("T006", "/me"),
            ("T008", "/me"),
        ],
    )
    .await;

    let drained = w.engine.drain_inbox().await;
    assert!(drained.stopped.is_none(), "{:?}", drained.stopped);
    assert_eq!(drained.failed, 1);

    let t006 = bodies(&w, "T006").await;
    assert_eq!(t006.len(), 2, "{t006:#?}");
    assert!(t006[0].contains("/meetings"), "the help first: {t006:#?}");
    assert!(t006[1].contains("杨帆"), "then the profile: {t006:#?}");
    let t008 = bodies(&w, "T008").await;
    assert!(t008.len() == 1 && t008[0].contains("周涛"), "{t008:#?}");
    assert_eq!(bodies(&w, "T004").await, vec![APOLOGY.to_owned()]);
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM inbox WHERE status = 'done'").await,
        3
    );
    let failed: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT external_id, error FROM inbox WHERE status = 'failed'")
            .fetch_all(w.store.pool())
            .await
            .unwrap();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0].0, "gc1");
    assert!(
        failed[0]
            .1
            .as_deref()
            .is_some_and(|e| e.contains("unknown kind 'bogus'")),
        "{failed:?}"
    );
}

#[tokio::test]
async fn one_update_failing_for_good_leaves_the_rest_of_its_batch_committed_on_sqlite() {
    one_update_failing_for_good_leaves_the_rest_of_its_batch_committed(Db::Sqlite).await;
}

#[tokio::test]
async fn one_update_failing_for_good_leaves_the_rest_of_its_batch_committed_on_postgres() {
    one_update_failing_for_good_leaves_the_rest_of_its_batch_committed(Db::Postgres).await;
}

#[tokio::test]
async fn a_transient_failure_mid_batch_keeps_what_came_before_and_loses_nothing_after() {
    let w = world(Db::Sqlite).await.unwrap();
    // Queuing a reply to T006 also writes a megabyte: past the page cap below, SQLITE_FULL.
    for statement in [
        "CREATE TABLE pad (b BLOB)",
        "CREATE TRIGGER pad_t006 AFTER INSERT ON outbox WHEN NEW.address = 'T006' \
         BEGIN INSERT INTO pad VALUES (zeroblob(1048576)); END",
    ] {
        sqlx::query(statement)
            .execute(w.store.pool())
            .await
            .unwrap();
    }
    queue(
        &w,
        &[
            ("T004", "/me"),
            ("T008", "/me"),
            ("T006", "/me"),
            ("T004", "/help"),
            ("T008", "/help"),
        ],
    )
    .await;
    let pages = count(&w, "SELECT page_count FROM pragma_page_count()").await;
    w.store.cap_sqlite_pages(pages as u64 + 64);

    let drained = w.engine.drain_inbox().await;
    let stopped = drained.stopped.expect("stopped by the full database");
    assert!(
        stopped.is_transient() && stopped.is_disk_full(),
        "{stopped}"
    );
    assert_eq!(drained.failed, 0);
    // What came before T006's update committed; it and everything after it wait, in order.
    let states: Vec<(String, String)> =
        sqlx::query_as("SELECT external_id, status FROM inbox ORDER BY id")
            .fetch_all(w.store.pool())
            .await
            .unwrap();
    let states: Vec<(&str, &str)> = states
        .iter()
        .map(|(e, s)| (e.as_str(), s.as_str()))
        .collect();
    assert_eq!(
        states,
        [
            ("gc0", "done"),
            ("gc1", "done"),
            ("gc2", "pending"),
            ("gc3", "pending"),
            ("gc4", "pending"),
        ]
    );
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM outbox WHERE address = 'T006'").await,
        0
    );

    // Room again: the next pass answers the rest, each once, each chat in order.
    w.store.cap_sqlite_pages(1 << 30);
    let drained = w.engine.drain_inbox().await;
    assert!(drained.stopped.is_none(), "{:?}", drained.stopped);
    assert_eq!(drained.failed, 0);
    assert_eq!(
        count(&w, "SELECT COUNT(*) FROM inbox WHERE status = 'done'").await,
        5
    );
    let t004 = bodies(&w, "T004").await;
    assert!(
        t004.len() == 2 && t004[0].contains("刘洋") && t004[1].contains("/meetings"),
        "{t004:#?}"
    );
    let t008 = bodies(&w, "T008").await;
    assert!(
        t008.len() == 2 && t008[0].contains("周涛") && t008[1].contains("/meetings"),
        "{t008:#?}"
    );
    let t006 = bodies(&w, "T006").await;
    assert!(t006.len() == 1 && t006[0].contains("杨帆"), "{t006:#?}");
}
