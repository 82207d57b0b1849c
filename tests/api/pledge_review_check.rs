//! The CHECK on a pledge review's decision (migration 0030), on both backends: the two
//! decisions `pledges::store::review` writes are taken, anything else is refused by the
//! database with an error naming the constraint (`StoreError::Check`); and reviews written at
//! 0029 come through the migration with their ids, values and references as they were, and
//! none of their comments left behind in SQLite's free pages.

use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::pledges::rules::Way;
use branchbot::pledges::store::{self as pledges, NewItem};
use branchbot::store::{members, Store};

use crate::both;
use crate::checks::{column, refused_by};
use crate::helpers::{assert_rebuild_left_nothing_behind, Db, TestDb};

both!(a_review_takes_each_decision_the_code_writes_and_refuses_any_other);

const CONSTRAINT: &str = "pledge_reviews_decision_check";

/// One review row, every column.
type Review = (i64, i64, i64, String, Option<String>, i64);

/// The example college: a secretary and two members of the second student branch.
async fn org(store: &Store) -> [i64; 3] {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let mut ids = [0; 3];
    for (i, key) in ["S201", "S203", "S204"].iter().enumerate() {
        ids[i] = members::find(&mut conn, key).await.unwrap().unwrap().id;
    }
    ids
}

/// A pledge of `member`'s approved and one of `other`'s returned with `comment`, by `reviewer`,
/// through the store as the review flow writes them. Returns the two versions' ids.
async fn reviewed(store: &Store, [reviewer, member, other]: [i64; 3], comment: &str) -> [i64; 2] {
    let item = |text: &str| NewItem {
        way: Way::Study.as_str().into(),
        text: text.into(),
        target_date: None,
    };
    let mut tx = store.begin().await.unwrap();
    let (approved, _) = pledges::submit(&mut tx, member, &[item("读原著")], 1)
        .await
        .unwrap();
    let (returned, _) = pledges::submit(&mut tx, other, &[item("学党史")], 1)
        .await
        .unwrap();
    assert!(pledges::review(&mut tx, approved, reviewer, true, None, 2)
        .await
        .unwrap());
    assert!(
        pledges::review(&mut tx, returned, reviewer, false, Some(comment), 3)
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    [approved, returned]
}

async fn reviews(store: &Store) -> Vec<Review> {
    sqlx::query_as(
        "SELECT id, version_id, reviewer_id, decision, comment, created_at \
         FROM pledge_reviews ORDER BY id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

async fn a_review_takes_each_decision_the_code_writes_and_refuses_any_other(store: &Store) {
    let ids = org(store).await;
    let [approved, returned] = reviewed(store, ids, "具体些").await;
    let written: Vec<(i64, String)> = reviews(store)
        .await
        .into_iter()
        .map(|(_, version, _, decision, ..)| (version, decision))
        .collect();
    assert_eq!(
        written,
        [
            (approved, "approved".to_owned()),
            (returned, "returned".to_owned())
        ]
    );
    let first = "(SELECT MIN(id) FROM pledge_reviews)";
    column(
        store,
        &format!("UPDATE pledge_reviews SET decision = '{{}}' WHERE id = {first}"),
        &format!("SELECT decision FROM pledge_reviews WHERE id = {first}"),
        &["returned", "approved"],
        "rejected",
        CONSTRAINT,
    )
    .await;
    // A pledge's other status, another case, nothing: none is a decision.
    for bad in ["submitted", "Approved", ""] {
        let sql = format!("UPDATE pledge_reviews SET decision = '{bad}' WHERE id = {first}");
        assert_eq!(refused_by(store, &sql).await.as_deref(), Some(CONSTRAINT));
        let sql = format!(
            "INSERT INTO pledge_reviews (version_id, reviewer_id, decision, created_at) \
             VALUES ({approved}, {}, '{bad}', 9)",
            ids[0]
        );
        assert_eq!(refused_by(store, &sql).await.as_deref(), Some(CONSTRAINT));
    }
    let mut conn = store.pool().acquire().await.unwrap();
    let pledge: i64 = sqlx::query_scalar("SELECT pledge_id FROM pledge_versions WHERE id = $1")
        .bind(returned)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        pledges::last_comment(&mut conn, pledge)
            .await
            .unwrap()
            .as_deref(),
        Some("具体些")
    );
}

async fn through_0030(db: Db) {
    let Some(test_db) = TestDb::new(db).await else {
        return;
    };
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(29).await.unwrap();
    let ids = org(&store).await;
    let [_, returned] = reviewed(&store, ids, "目标再具体些").await;
    let before = reviews(&store).await;
    assert_eq!(before.len(), 2);

    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
    assert_eq!(reviews(&store).await, before, "every review kept as it was");
    let mut conn = store.pool().acquire().await.unwrap();
    let pledge: i64 = sqlx::query_scalar("SELECT pledge_id FROM pledge_versions WHERE id = $1")
        .bind(returned)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(
        pledges::last_comment(&mut conn, pledge)
            .await
            .unwrap()
            .as_deref(),
        Some("目标再具体些")
    );
    drop(conn);
    let sql = "UPDATE pledge_reviews SET decision = 'rejected'";
    assert_eq!(refused_by(&store, sql).await.as_deref(), Some(CONSTRAINT));
    if db == Db::Sqlite {
        // Foreign keys are on again, every reference still finds its row, nothing is left.
        assert_rebuild_left_nothing_behind(&store).await;
        let refused = sqlx::query(
            "INSERT INTO pledge_reviews (version_id, reviewer_id, decision, created_at) \
             VALUES (999999, $1, 'approved', 9)",
        )
        .bind(ids[0])
        .execute(store.pool())
        .await;
        assert!(refused.is_err(), "a dangling reference was taken");
    }
    store.close().await;
}

#[tokio::test]
async fn reviews_written_at_0029_keep_their_ids_values_and_references_through_0030_on_sqlite() {
    through_0030(Db::Sqlite).await;
}

#[tokio::test]
async fn reviews_written_at_0029_keep_their_ids_values_and_references_through_0030_on_postgres() {
    through_0030(Db::Postgres).await;
}

/// SQLite: the rebuild drops the old table with `secure_delete` on, so a reviewer's comment
/// written before 0030 and deleted after it is gone from the file, not left behind in the
/// pages the old table freed.
#[tokio::test]
async fn the_rebuild_leaves_no_comment_in_the_pages_the_old_table_freed_on_sqlite() {
    const MARK: &str = "REVIEW-FORENSIC-MARK-51c9";
    let test_db = TestDb::new(Db::Sqlite).await.unwrap();
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(29).await.unwrap();
    let ids = org(&store).await;
    reviewed(&store, ids, MARK).await;
    store.migrate().await.unwrap();
    sqlx::query("DELETE FROM pledge_reviews WHERE comment IS NOT NULL")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let path = test_db.url.trim_start_matches("sqlite://").to_owned();
    for file in [path.clone(), format!("{path}-wal")] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        assert!(
            !bytes.windows(MARK.len()).any(|w| w == MARK.as_bytes()),
            "{file} still holds a deleted comment"
        );
    }
}
