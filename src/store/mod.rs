//! Storage: sqlx repositories over SQLite (the embedded default) or PostgreSQL, through sqlx's
//! `Any` driver so that one set of queries serves both. Where the SQL must differ (row locks),
//! the store asks [`Backend`]. Instants are Unix milliseconds in BIGINT columns.
//!
//! One file per aggregate; every function takes a connection (a pooled one or a transaction),
//! so a flow's reads and writes and the replies it queues commit together.

pub mod audit;
pub mod bindings;
pub mod campaigns;
pub mod conversations;
pub mod dashboard;
pub mod evaluation;
pub mod feedback;
pub mod inbox;
pub mod invites;
pub mod jobs;
pub mod meetings;
pub mod members;
pub mod notices;
pub mod outbox;
pub mod pledge_checkins;
pub mod pledges;
pub mod sms;
pub mod spotchecks;
pub mod wecom;

use std::borrow::Cow;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{Any, AnyPool, Executor, SqlSafeStr, Transaction};

pub use sqlx::AnyConnection as Conn;

/// A database transaction on either backend.
pub type Tx = Transaction<'static, Any>;

/// Which database is behind the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A storage failure. User mistakes are caught before they reach the database; what is left
/// here is logged and answered with a generic apology.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL '{0}': use sqlite://FILE or postgres://USER@HOST/DB")]
    BadUrl(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The migrations of each backend, compiled in. Never edit one that has landed: add a new one.
const SQLITE_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "core",
        include_str!("../../migrations/sqlite/0001_core.sql"),
    ),
    (
        2,
        "jobs",
        include_str!("../../migrations/sqlite/0002_jobs.sql"),
    ),
    (
        3,
        "sms",
        include_str!("../../migrations/sqlite/0003_sms.sql"),
    ),
    (
        4,
        "meetings",
        include_str!("../../migrations/sqlite/0004_meetings.sql"),
    ),
    (
        5,
        "notices",
        include_str!("../../migrations/sqlite/0005_notices.sql"),
    ),
    (
        6,
        "pledges",
        include_str!("../../migrations/sqlite/0006_pledges.sql"),
    ),
    (
        7,
        "feedback",
        include_str!("../../migrations/sqlite/0007_feedback.sql"),
    ),
    (
        8,
        "oversight",
        include_str!("../../migrations/sqlite/0008_oversight.sql"),
    ),
    (
        11,
        "anonymity",
        include_str!("../../migrations/sqlite/0011_anonymity.sql"),
    ),
    (
        15,
        "wecom",
        include_str!("../../migrations/sqlite/0015_wecom.sql"),
    ),
];
const POSTGRES_MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "core",
        include_str!("../../migrations/postgres/0001_core.sql"),
    ),
    (
        2,
        "jobs",
        include_str!("../../migrations/postgres/0002_jobs.sql"),
    ),
    (
        3,
        "sms",
        include_str!("../../migrations/postgres/0003_sms.sql"),
    ),
    (
        4,
        "meetings",
        include_str!("../../migrations/postgres/0004_meetings.sql"),
    ),
    (
        5,
        "notices",
        include_str!("../../migrations/postgres/0005_notices.sql"),
    ),
    (
        6,
        "pledges",
        include_str!("../../migrations/postgres/0006_pledges.sql"),
    ),
    (
        7,
        "feedback",
        include_str!("../../migrations/postgres/0007_feedback.sql"),
    ),
    (
        8,
        "oversight",
        include_str!("../../migrations/postgres/0008_oversight.sql"),
    ),
    (
        11,
        "anonymity",
        include_str!("../../migrations/postgres/0011_anonymity.sql"),
    ),
    (
        15,
        "wecom",
        include_str!("../../migrations/postgres/0015_wecom.sql"),
    ),
];

/// The connection pool and what it talks to.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects (creating a SQLite file if needed) without migrating.
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::BadUrl(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .min_connections(1)
                    .idle_timeout(None)
                    .after_connect(|conn, _| {
                        Box::pin(async move {
                            // WAL lets readers go on during a write; the busy timeout makes a
                            // second writer wait instead of failing; NORMAL is durable in WAL
                            // against process crashes.
                            // secure_delete zeroes what is deleted or overwritten, so erased
                            // rows leave no bytes in free pages (docs/PRIVACY.md).
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; \
                                 PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                                 PRAGMA secure_delete = ON;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
                    .connect_with(options)
                    .await?
            }
            Backend::Postgres => {
                AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Self { pool, backend })
    }

    /// Connects and applies every pending migration.
    pub async fn open(url: &str) -> Result<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    fn migrator(&self) -> Migrator {
        let list = match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS,
            Backend::Postgres => POSTGRES_MIGRATIONS,
        };
        Migrator::with_migrations(
            list.iter()
                .map(|(version, name, sql)| {
                    Migration::new(
                        *version,
                        Cow::Borrowed(*name),
                        MigrationType::Simple,
                        sqlx::AssertSqlSafe(*sql).into_sql_str(),
                        false,
                    )
                })
                .collect(),
        )
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        self.migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers and every migration this binary knows is applied.
    pub async fn ready(&self) -> Result<bool> {
        let latest = self.migrator().migrations.iter().map(|m| m.version).max();
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await?;
        Ok(applied == latest)
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a read-then-write never fails late with SQLITE_BUSY.
    pub async fn begin(&self) -> Result<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// ` FOR UPDATE SKIP LOCKED` on PostgreSQL, nothing on SQLite (where the transaction
    /// already holds the only write lock).
    pub fn skip_locked(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// On SQLite, copies the WAL into the database and truncates it to zero bytes, so the old
    /// page images it holds (of erased rows) are gone from the disk. A reader that holds an
    /// old snapshot makes it a partial checkpoint; the next call finishes it. Nothing on
    /// PostgreSQL, where sensitive plaintext is never written.
    pub async fn truncate_wal(&self) {
        if self.backend != Backend::Sqlite {
            return;
        }
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
        {
            tracing::warn!(error = %e, "could not truncate the SQLite WAL");
        }
    }

    /// Closes the pool; on SQLite the WAL is truncated first (see [`Self::truncate_wal`]).
    pub async fn close(&self) {
        self.truncate_wal().await;
        self.pool.close().await;
    }
}

/// The name of the unique constraint a database error violated, if it was one.
pub fn unique_violation(err: &StoreError) -> Option<String> {
    match err {
        StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation() => Some(
            e.constraint()
                .map(str::to_owned)
                .unwrap_or_else(|| e.message().to_owned()),
        ),
        _ => None,
    }
}

/// Runs a dynamic SQL text that the code assembled from fixed pieces (never from input).
pub fn sql(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(text)
}
