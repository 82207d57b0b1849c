//! The statements whose speed rests on one index, with the index each must use, and a way to
//! ask the database for its plan. A test runs every statement through `EXPLAIN QUERY PLAN`
//! (SQLite) or `EXPLAIN` (PostgreSQL) and fails when the planner would use another index or
//! read the whole table — the difference between a claim that reads a few index entries and
//! one that walks every message ever sent.

use sqlx::Row;

use super::{inbox, jobs, outbox, Backend, Conn, Result, Store};

/// A value bound to a statement's placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Int(i64),
    Text(&'static str),
    Null,
}

/// One statement and the index its plan must name.
#[derive(Debug, Clone)]
pub struct Planned {
    pub name: &'static str,
    pub sql: String,
    pub args: Vec<Arg>,
    pub index: &'static str,
    /// The table it must not read whole.
    pub table: &'static str,
}

/// The hot statements: the outbox claim (lapsed leases, then due rows) and its "next due", the
/// inbox claim, the job claim and its "next due".
pub fn statements(store: &Store) -> Vec<Planned> {
    let now = 1_000_000;
    let claim_args = vec![
        Arg::Text("telegram"),
        Arg::Int(now),
        Arg::Int(60),
        Arg::Int(0),
        Arg::Null,
    ];
    vec![
        Planned {
            name: "outbox claim, due rows",
            sql: outbox::claim_sql(store, "pending"),
            args: claim_args.clone(),
            index: "outbox_due_idx",
            table: "outbox",
        },
        Planned {
            name: "outbox claim, lapsed leases",
            sql: outbox::claim_sql(store, "sending"),
            args: claim_args,
            index: "outbox_due_idx",
            table: "outbox",
        },
        Planned {
            name: "outbox next due",
            sql: outbox::NEXT_DUE_SQL.to_owned(),
            args: vec![Arg::Text("telegram")],
            index: "outbox_due_idx",
            table: "outbox",
        },
        Planned {
            name: "inbox claim",
            sql: inbox::PENDING_LANES_SQL.to_owned(),
            args: vec![Arg::Int(64)],
            index: "inbox_pending_idx",
            table: "inbox",
        },
        Planned {
            name: "job claim",
            sql: jobs::claim_sql(store, 2),
            args: vec![
                Arg::Int(now),
                Arg::Int(50),
                Arg::Text("message"),
                Arg::Text("digest"),
            ],
            index: "jobs_due_idx",
            table: "jobs",
        },
        Planned {
            name: "job next due",
            sql: jobs::next_due_sql(2),
            args: vec![Arg::Text("message"), Arg::Text("digest")],
            index: "jobs_due_idx",
            table: "jobs",
        },
    ]
}

/// The plan the database would follow for `planned`, as text (one line per plan node).
pub async fn explain(conn: &mut Conn, backend: Backend, planned: &Planned) -> Result<String> {
    let sql = match backend {
        Backend::Sqlite => format!("EXPLAIN QUERY PLAN {}", planned.sql),
        Backend::Postgres => format!("EXPLAIN {}", planned.sql),
    };
    let mut q = sqlx::query(super::sql(sql));
    for arg in &planned.args {
        q = match arg {
            Arg::Int(i) => q.bind(*i),
            Arg::Text(t) => q.bind(*t),
            Arg::Null => q.bind(Option::<String>::None),
        };
    }
    let rows = q.fetch_all(conn).await?;
    let mut lines = Vec::with_capacity(rows.len());
    for row in &rows {
        lines.push(match backend {
            Backend::Sqlite => row.try_get::<String, _>("detail")?,
            Backend::Postgres => row.try_get::<String, _>(0)?,
        });
    }
    Ok(lines.join("\n"))
}
