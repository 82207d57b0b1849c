//! Fresh databases for tests and benchmarks: a SQLite file in the temp directory, or a new
//! PostgreSQL database on the server named by `BRANCHBOT_TEST_PG` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`).

use std::path::PathBuf;

use rand::RngExt;
use sqlx::{Connection, Executor};

/// The server the PostgreSQL tests use.
pub fn pg_admin_url() -> String {
    std::env::var("BRANCHBOT_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// A SQLite database file that is deleted (with its WAL files) when dropped.
pub struct TempSqlite {
    pub path: PathBuf,
    pub url: String,
}

impl TempSqlite {
    pub fn new() -> Self {
        let name = format!("branchbot-test-{:016x}.db", rand::rng().random::<u64>());
        let path = std::env::temp_dir().join(name);
        let url = format!("sqlite://{}", path.display());
        Self { path, url }
    }
}

impl Default for TempSqlite {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempSqlite {
    fn drop(&mut self) {
        // The attachments' default folder sits next to the file
        // (`config::attachments::default_folder`): `x.db` → `x-attachments`.
        if let Some(stem) = self.path.file_stem() {
            let mut folder = stem.to_os_string();
            folder.push("-attachments");
            let _ = std::fs::remove_dir_all(self.path.with_file_name(folder));
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Why no PostgreSQL database could be made.
#[derive(Debug)]
pub struct NoPostgres(pub String);

/// Creates a new, empty PostgreSQL database and returns its URL.
pub async fn fresh_postgres() -> Result<String, NoPostgres> {
    sqlx::any::install_default_drivers();
    let admin = pg_admin_url();
    let mut conn = sqlx::PgConnection::connect(&admin)
        .await
        .map_err(|e| NoPostgres(format!("cannot connect to {admin}: {e}")))?;
    let name = format!("branchbot_test_{:016x}", rand::rng().random::<u64>());
    conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .map_err(|e| NoPostgres(format!("cannot create a database on {admin}: {e}")))?;
    let _ = conn.close().await;
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_owned())
        .unwrap_or(admin);
    Ok(format!("{base}/{name}"))
}

/// Whether PostgreSQL tests must run (in CI a missing server is a failure, not a skip).
pub fn postgres_required() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Drops a database made by [`fresh_postgres`], closing whatever connections are left. Blocks
/// (it runs on its own thread and runtime), so it can be called from `Drop`.
pub fn drop_postgres_blocking(url: &str) {
    let Some(name) = url.rsplit('/').next().map(str::to_owned) else {
        return;
    };
    if !name.starts_with("branchbot_test_")
        || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return;
    }
    let admin = pg_admin_url();
    let _ = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        rt.block_on(async move {
            if let Ok(mut conn) = sqlx::PgConnection::connect(&admin).await {
                let _ = conn
                    .execute(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .await;
                let _ = conn.close().await;
            }
        });
    })
    .join();
}
