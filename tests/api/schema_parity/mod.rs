//! The two dialects stay in step: every migration is applied to a real SQLite and a real
//! PostgreSQL database, both schemas are read back (tables, columns with their type family, NOT
//! NULL and default, primary keys, unique constraints and indexes, foreign keys, CHECKs) and
//! any difference fails the test, named. Nothing here lists the tables: a migration added to
//! one dialect and not the other, or written differently, is caught as it lands.

mod compare;
mod introspect;

use branchbot::store::Store;

use crate::helpers::{Db, TestDb};
use compare::differences;
use introspect::{checks_in, normalise_expr};

/// Both databases migrated, or None outside CI without PostgreSQL.
async fn migrated() -> Option<(TestDb, Store, TestDb, Store)> {
    let sqlite = TestDb::new(Db::Sqlite).await?;
    let postgres = TestDb::new(Db::Postgres).await?;
    let s = Store::open(&sqlite.url).await.expect("migrate SQLite");
    let p = Store::open(&postgres.url)
        .await
        .expect("migrate PostgreSQL");
    Some((sqlite, s, postgres, p))
}

fn listing(dialect: &str) -> Vec<String> {
    let dir = format!("{}/migrations/{dialect}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn every_migration_file_exists_in_both_dialects_and_is_applied() {
    let sqlite = listing("sqlite");
    let postgres = listing("postgres");
    assert_eq!(
        sqlite, postgres,
        "migrations/sqlite and migrations/postgres must hold the same files"
    );
    // The files on disk are the ones the binary applies: a file missing from the compiled
    // list would never run.
    let db = TestDb::new(Db::Sqlite).await.unwrap();
    let store = Store::open(&db.url).await.unwrap();
    let applied: Vec<String> = introspect::read(&store)
        .await
        .migrations
        .iter()
        .map(|(v, d)| format!("{v:04}_{d}.sql"))
        .collect();
    assert_eq!(applied, sqlite, "the migrations the binary applies");
}

#[tokio::test]
async fn the_sqlite_and_postgresql_migrations_build_the_same_schema() {
    let Some((_s, sqlite, _p, postgres)) = migrated().await else {
        return;
    };
    let s = introspect::read(&sqlite).await;
    let p = introspect::read(&postgres).await;
    assert!(s.tables.len() > 50, "read {} tables", s.tables.len());
    // The reading itself sees what it must: a named unique constraint, a CHECK, a foreign key.
    let outbox = &s.tables["outbox"];
    assert!(outbox
        .indexes
        .iter()
        .any(|i| i.unique && i.columns == ["dedupe_key"]));
    assert!(p.tables["members"]
        .checks
        .contains(&"channel_pref in 'telegram' , 'sms' , 'both'".to_owned()));
    assert!(p.tables["outbox"]
        .foreign_keys
        .iter()
        .any(|f| f.columns == ["member_id"] && f.table == "members"));
    let found = differences(&s, &p);
    assert!(
        found.is_empty(),
        "the SQLite and PostgreSQL schemas differ:\n  {}",
        found.join("\n  ")
    );
}

async fn run(store: &Store, statements: &[&str]) {
    for sql in statements {
        sqlx::query(sqlx::AssertSqlSafe(*sql))
            .execute(store.pool())
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[tokio::test]
async fn a_column_type_null_default_index_check_or_foreign_key_that_drifts_is_named() {
    let Some((_s, sqlite, _p, postgres)) = migrated().await else {
        return;
    };
    run(
        &sqlite,
        &[
            "ALTER TABLE members ADD COLUMN nickname TEXT",
            "CREATE INDEX drift_idx ON members (name)",
            "CREATE VIEW drift_view AS SELECT id FROM members",
        ],
    )
    .await;
    run(
        &postgres,
        &[
            "ALTER TABLE outbox ALTER COLUMN urgent DROP NOT NULL",
            "ALTER TABLE inbox ALTER COLUMN status SET DEFAULT 'done'",
            "ALTER TABLE invites ALTER COLUMN used_at TYPE TEXT",
            "ALTER TABLE jobs ALTER COLUMN attempts TYPE INTEGER",
            "ALTER TABLE invites ADD CONSTRAINT drift_check CHECK (expires_at > created_at)",
            "ALTER TABLE calendar_days DROP CONSTRAINT calendar_days_kind_check",
            "ALTER TABLE calendar_days ADD CONSTRAINT calendar_days_kind_check \
             CHECK (kind IN ('holiday', 'workday', 'vacation'))",
            "ALTER TABLE outbox DROP CONSTRAINT outbox_member_id_fkey",
            "ALTER TABLE party_groups DROP CONSTRAINT party_groups_branch_name_key",
        ],
    )
    .await;
    let found = differences(
        &introspect::read(&sqlite).await,
        &introspect::read(&postgres).await,
    );
    let expected = [
        "members.nickname: only in SQLite",
        "members: index drift_idx (name) only in SQLite",
        "views and triggers differ: SQLite [\"view drift_view\"], PostgreSQL []",
        "outbox.urgent: NOT NULL in SQLite, nullable in PostgreSQL",
        "inbox.status: default 'pending' in SQLite, 'done' in PostgreSQL",
        "invites.used_at: type integer in SQLite, text in PostgreSQL",
        "jobs.attempts: type integer in SQLite, integer (narrower than 64 bits) in PostgreSQL",
        "invites: CHECK expires_at > created_at only in PostgreSQL",
        "calendar_days: CHECK kind in 'holiday' , 'workday' only in SQLite",
        "calendar_days: CHECK kind in 'holiday' , 'workday' , 'vacation' only in PostgreSQL",
        "outbox: foreign key (member_id) REFERENCES members (id) ON DELETE NO ACTION \
         ON UPDATE NO ACTION only in SQLite",
        "party_groups: index sqlite_autoindex_party_groups_1 UNIQUE (branch_id, name) \
         only in SQLite",
    ];
    let mut found_sorted = found.clone();
    found_sorted.sort();
    let mut expected_sorted: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
    expected_sorted.sort();
    assert_eq!(
        found_sorted,
        expected_sorted,
        "found:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_two_dialects_spellings_of_a_check_and_a_default_read_alike() {
    // What SQLite keeps (the statement as written, comments and all) and what PostgreSQL's
    // pg_get_constraintdef and column_default give back for the same migration line.
    let sqlite = checks_in(
        "CREATE TABLE t (\n  kind TEXT NOT NULL CHECK (kind IN ('a', 'b''c')), -- 'x' | (y\n  \
         n BIGINT CHECK (n > 0), s TEXT CHECK (LENGTH(s) > 0))",
    );
    assert_eq!(
        sqlite,
        ["kind in 'a' , 'b'c'", "n > 0", "length s > 0"],
        "{sqlite:?}"
    );
    for (pg, expected) in [
        (
            "CHECK ((kind = ANY (ARRAY['a'::text, 'b''c'::text])))",
            "kind in 'a' , 'b'c'",
        ),
        ("CHECK ((n > 0))", "n > 0"),
        ("CHECK ((length(s) > 0))", "length s > 0"),
    ] {
        assert_eq!(normalise_expr(pg), expected, "{pg}");
    }
    for (sqlite, pg) in [
        ("'pending'", "'pending'::text"),
        ("0", "0"),
        ("-1", "'-1'::integer"),
        ("''", "''::text"),
    ] {
        assert_eq!(
            normalise_expr(sqlite),
            normalise_expr(pg),
            "{sqlite} ~ {pg}"
        );
    }
    assert_ne!(normalise_expr("'1'"), normalise_expr("1"));
}
