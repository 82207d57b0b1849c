//! The hot statements read the index meant for them, on both backends, with the tables
//! holding what a running bot's do: many sent messages, a few due.

use branchbot::store::plans::{explain, statements};
use branchbot::store::{Backend, Store};
use sqlx::Executor;

use crate::helpers::{Db, TestDb};

/// PostgreSQL's plan for `planned`, every line of it, read on a connection of its own where
/// reading a table whole is ruled out: with the statistics of a small table the planner may
/// rightly prefer that, and the question is which index it would use.
async fn explain_pg(url: &str, planned: &branchbot::store::plans::Planned) -> String {
    use branchbot::store::plans::Arg;
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    conn.execute("SET enable_seqscan = off").await.unwrap();
    let sql = format!("EXPLAIN {}", planned.sql);
    let mut q = sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(sql));
    for arg in &planned.args {
        q = match arg {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(t) => q.bind(*t),
            Arg::Null => q.bind(Option::<String>::None),
        };
    }
    let lines = q.fetch_all(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    lines.join("\n")
}

/// Thousands of sent messages and processed updates, a few due ones, finished and due jobs.
async fn seed(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    let mut rows = Vec::new();
    for i in 0..3000i64 {
        let (channel, status, sent) = match i % 30 {
            0 => ("telegram", "pending", "NULL".to_owned()),
            1 => ("sms", "pending", "NULL".to_owned()),
            _ => ("telegram", "sent", i.to_string()),
        };
        rows.push(format!(
            "('{channel}', '{}', 'x', '[]', 'seed:{i}', '{status}', {i}, {i}, {sent})",
            i % 700
        ));
    }
    for chunk in rows.chunks(500) {
        conn.execute(sqlx::AssertSqlSafe(format!(
            "INSERT INTO outbox (channel, address, body, choices, dedupe_key, status, \
             next_attempt_at, created_at, sent_at) VALUES {}",
            chunk.join(", ")
        )))
        .await
        .unwrap();
    }
    let inbox: Vec<String> = (0..2000i64)
        .map(|i| {
            let status = if i % 40 == 0 { "pending" } else { "done" };
            format!("('telegram', 'seed:{i}', '{status}', {i})")
        })
        .collect();
    for chunk in inbox.chunks(500) {
        conn.execute(sqlx::AssertSqlSafe(format!(
            "INSERT INTO inbox (channel, external_id, status, received_at) VALUES {}",
            chunk.join(", ")
        )))
        .await
        .unwrap();
    }
    if store.backend() == Backend::Postgres {
        conn.execute("ANALYZE").await.unwrap();
    }
}

async fn hot_statements_use_their_index(store: &Store, url: &str) {
    seed(store).await;
    let mut conn = store.pool().acquire().await.unwrap();
    let mut wrong = Vec::new();
    for planned in statements(store) {
        let plan = match store.backend() {
            Backend::Sqlite => explain(&mut conn, store.backend(), &planned).await.unwrap(),
            Backend::Postgres => explain_pg(url, &planned).await,
        };
        let whole = match store.backend() {
            Backend::Sqlite => plan.lines().any(|l| {
                l.trim_start_matches(['|', '`', '-', ' '])
                    .starts_with(&format!("SCAN {}", planned.table))
            }),
            Backend::Postgres => plan.contains(&format!("Seq Scan on {}", planned.table)),
        };
        if !plan.contains(planned.index) || whole {
            wrong.push(format!(
                "{} (wants {}):\n{plan}",
                planned.name, planned.index
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "plans not using their index:\n{}",
        wrong.join("\n\n")
    );
}

#[tokio::test]
async fn hot_statements_use_their_index_on_sqlite() {
    let db = TestDb::new(Db::Sqlite).await.unwrap();
    let store = Store::open(&db.url).await.unwrap();
    hot_statements_use_their_index(&store, &db.url).await;
    store.close().await;
}

#[tokio::test]
async fn hot_statements_use_their_index_on_postgres() {
    let Some(db) = TestDb::new(Db::Postgres).await else {
        return;
    };
    let store = Store::open(&db.url).await.unwrap();
    hot_statements_use_their_index(&store, &db.url).await;
    store.close().await;
}
