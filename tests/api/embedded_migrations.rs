//! The migrations `sqlx::migrate!` embeds are the ones the hand-written list of `include_str!`
//! applied before it: a database that list built opens with this binary without error, its
//! recorded migrations (version, description, checksum) untouched, and what this binary records
//! for a new database is what the list recorded.

use std::borrow::Cow;

use branchbot::store::Store;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::SqlSafeStr;

use crate::helpers::{Db, TestDb};

/// The migrator as the hand-written list built it: version and description from the file
/// name (`0010_invite_guard.sql` → 10, `invite_guard`), the checksum of the text, and
/// `-- no-transaction` read from its first line.
fn hand_written_list(db: Db) -> Migrator {
    let dialect = match db {
        Db::Sqlite => "sqlite",
        Db::Postgres => "postgres",
    };
    let dir = format!("{}/migrations/{dialect}", env!("CARGO_MANIFEST_DIR"));
    let mut migrations = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".sql") else {
            continue;
        };
        let (version, description) = stem.split_once('_').unwrap();
        let sql: &'static str = Box::leak(std::fs::read_to_string(&path).unwrap().into_boxed_str());
        migrations.push(Migration::new(
            version.parse().unwrap(),
            Cow::Owned(description.to_owned()),
            MigrationType::Simple,
            sqlx::AssertSqlSafe(sql).into_sql_str(),
            sql.starts_with("-- no-transaction"),
        ));
    }
    Migrator::with_migrations(migrations)
}

type Recorded = Vec<(i64, String, Vec<u8>)>;

async fn recorded(store: &Store) -> Recorded {
    sqlx::query_as(
        "SELECT version, description, checksum FROM _sqlx_migrations \
         WHERE success = TRUE ORDER BY version",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

/// A database built by the hand-written list, up to `version`.
async fn built_by_the_list(db: Db, version: i64) -> Option<(TestDb, Store)> {
    let test_db = TestDb::new(db).await?;
    let store = Store::connect(&test_db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    hand_written_list(db)
        .run_to(version, &mut *conn)
        .await
        .unwrap();
    drop(conn);
    Some((test_db, store))
}

async fn a_database_the_list_built_opens(db: Db) {
    // Fully migrated by the list: nothing left to apply, nothing rewritten.
    let Some((full_db, full)) = built_by_the_list(db, i64::MAX).await else {
        return;
    };
    let by_the_list = recorded(&full).await;
    assert!(by_the_list.len() > 20, "{by_the_list:?}");
    full.close().await;
    let reopened = Store::open(&full_db.url)
        .await
        .expect("opens without error");
    assert!(reopened.ready().await.unwrap());
    assert_eq!(recorded(&reopened).await, by_the_list);
    reopened.close().await;

    // Built by the list up to 0028: this binary applies the rest, keeps what was recorded, and
    // records the rest as the list would have.
    let (_db, older) = built_by_the_list(db, 28).await.unwrap();
    let before = recorded(&older).await;
    assert_eq!(before.last().map(|r| r.0), Some(28));
    older.migrate().await.expect("migrates without error");
    assert!(older.ready().await.unwrap());
    let after = recorded(&older).await;
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(after, by_the_list);
    older.close().await;

    // A new database: the same rows the list recorded.
    let fresh_db = TestDb::new(db).await.unwrap();
    let fresh = Store::open(&fresh_db.url).await.unwrap();
    assert_eq!(recorded(&fresh).await, by_the_list);
    fresh.close().await;
}

#[tokio::test]
async fn a_sqlite_database_the_hand_written_list_built_opens_with_its_migrations_as_recorded() {
    a_database_the_list_built_opens(Db::Sqlite).await;
}

#[tokio::test]
async fn a_postgres_database_the_hand_written_list_built_opens_with_its_migrations_as_recorded() {
    a_database_the_list_built_opens(Db::Postgres).await;
}
