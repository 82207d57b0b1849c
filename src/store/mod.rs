//! Storage: sqlx repositories over SQLite (the embedded default) or PostgreSQL, through sqlx's
//! `Any` driver so that one set of queries serves both. Where the SQL must differ (row locks),
//! the store asks [`Backend`]. Instants are Unix milliseconds in BIGINT columns.
//!
//! One file per aggregate; every function takes a connection (a pooled one or a transaction),
//! so a flow's reads and writes and the replies it queues commit together.

pub mod activities;
pub mod audit;
pub mod bindings;
pub mod calendar;
pub mod campaigns;
pub mod conversations;
pub mod dashboard;
pub mod inbox;
pub mod invites;
pub mod jobs;
pub mod meetings;
pub mod members;
pub mod outbox;
pub mod plans;
pub mod pledge_rounds;
pub mod pushes;
pub mod sms;
pub mod wecom;

use std::borrow::Cow;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, Migrator};
use sqlx::{Any, AnyPool, Executor, Transaction};

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
    Db(sqlx::Error),
    /// The database refused a value its CHECK constraint does not allow (an enum column
    /// holding a value this binary never writes): a bug, or a row written by something else.
    /// Named by the constraint (`jobs_status_check`), the same on both backends.
    #[error("the database refused a value outside {constraint}")]
    Check { constraint: String },
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("unsupported database URL '{0}': use sqlite://FILE or postgres://USER@HOST/DB")]
    BadUrl(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// A stored value this binary cannot read (a kind, a status, a locale, a count): it names
    /// the table, the row and the value, so the operator can find and fix it, and it fails
    /// the update or job that read it (see [`Self::is_transient`]) instead of being read as a
    /// default.
    #[error("stored data is corrupt: {table} row {row}: unknown {column} '{value}'")]
    Unreadable {
        table: &'static str,
        row: String,
        column: String,
        value: String,
    },
    /// A failure inside an anonymous flow (feedback, ballots): whoever handles it must keep
    /// nothing that ties the sender to it (see `Engine::process`).
    #[error("{0}")]
    Anonymous(Box<StoreError>),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match check_violation(&e) {
            Some(constraint) => Self::Check { constraint },
            None => Self::Db(e),
        }
    }
}

/// The constraint a CHECK violation names: PostgreSQL says it (SQLSTATE 23514); SQLite puts
/// it in the message (`CHECK constraint failed: jobs_status_check`, extended code 275).
fn check_violation(e: &sqlx::Error) -> Option<String> {
    let sqlx::Error::Database(db) = e else {
        return None;
    };
    let code = db.code();
    let sqlite = code.as_deref() == Some("275");
    if code.as_deref() != Some("23514")
        && !sqlite
        && db.kind() != sqlx::error::ErrorKind::CheckViolation
    {
        return None;
    }
    if let Some(c) = db.constraint() {
        return Some(c.to_owned());
    }
    let message = db.message();
    Some(
        message
            .split_once("CHECK constraint failed: ")
            .map_or(message, |(_, c)| c)
            .trim()
            .to_owned(),
    )
}

impl StoreError {
    /// Whether waiting and trying again may succeed: the database is busy, locked, full,
    /// unreachable or restarting, a connection was lost, or the pool had none to give. Such a
    /// failure says nothing about the update or row being worked on, so it is retried with
    /// backoff and in order. Everything else (stored data this binary cannot read, a broken
    /// invariant, a bug) is permanent: retrying the same row fails the same way, so the row is
    /// set aside as failed and the work goes on with the next one.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Db(e) => transient_sqlx(e),
            Self::Anonymous(e) => e.is_transient(),
            Self::Migrate(_)
            | Self::BadUrl(_)
            | Self::Corrupt(_)
            | Self::Unreadable { .. }
            | Self::Check { .. } => false,
        }
    }

    /// A stored value of `table`'s `column` in row `row` that this binary cannot read.
    pub fn unreadable(
        table: &'static str,
        row: impl std::fmt::Display,
        column: impl std::fmt::Display,
        value: impl std::fmt::Display,
    ) -> Self {
        Self::Unreadable {
            table,
            row: row.to_string(),
            column: column.to_string(),
            value: value.to_string(),
        }
    }

    /// Whether the database refused a write for want of space (SQLITE_FULL, PostgreSQL's
    /// class 53 `disk_full`).
    pub fn is_disk_full(&self) -> bool {
        match self {
            Self::Anonymous(e) => e.is_disk_full(),
            Self::Db(sqlx::Error::Database(e)) => match e.code().as_deref() {
                Some("53100") => true,
                Some(code) => code.parse::<i64>().is_ok_and(|c| c & 0xff == 13),
                None => false,
            },
            _ => false,
        }
    }
}

fn transient_sqlx(e: &sqlx::Error) -> bool {
    use sqlx::Error as E;
    match e {
        E::Io(_)
        | E::Tls(_)
        | E::Protocol(_)
        | E::PoolTimedOut
        | E::PoolClosed
        | E::WorkerCrashed
        | E::InvalidSavePointStatement
        | E::BeginFailed => true,
        E::Database(db) => {
            let Some(code) = db.code() else { return false };
            if let Ok(n) = code.parse::<i64>() {
                // SQLite: the primary result code is the low byte of the extended one.
                // BUSY, LOCKED, NOMEM, READONLY, IOERR, CORRUPT (the whole file, not a row),
                // FULL, CANTOPEN, PROTOCOL.
                return matches!(n & 0xff, 5 | 6 | 7 | 8 | 10 | 11 | 13 | 14 | 15);
            }
            // PostgreSQL SQLSTATE: connection exceptions, insufficient resources, operator
            // intervention (shutdown, restart), system errors, serialization failures and
            // deadlocks, lock not available, a read-only standby after a failover.
            code.starts_with("08")
                || code.starts_with("53")
                || code.starts_with("57P")
                || code.starts_with("58")
                || matches!(code.as_ref(), "40001" | "40P01" | "55P03" | "25006")
        }
        _ => false,
    }
}

/// The migrations of each backend, embedded from `migrations/sqlite` and `migrations/postgres`
/// (build.rs makes a file added there rebuild the binary). Never edit one that has landed: add
/// a new one. A file starting `-- no-transaction` opens its own transaction (sqlx reads that
/// line as the hand-written list did).
static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

/// The embedded migrations as the runner applies them. Versions and checksums (SHA-384 of the
/// file) are sqlx's; descriptions keep the file name's underscores (`invite_guard`), as the
/// hand-written list recorded them in `_sqlx_migrations`, where sqlx would write spaces.
fn migrations(backend: Backend) -> Migrator {
    let embedded = match backend {
        Backend::Sqlite => &SQLITE_MIGRATIONS,
        Backend::Postgres => &POSTGRES_MIGRATIONS,
    };
    Migrator::with_migrations(
        embedded
            .migrations
            .iter()
            .map(|m| Migration {
                description: Cow::Owned(m.description.replace(' ', "_")),
                ..m.clone()
            })
            .collect(),
    )
}

/// How long a readiness check may take before the database counts as unavailable.
pub const READY_TIMEOUT: Duration = Duration::from_millis(1500);

/// How long a webhook waits for a connection before answering 503 (the platform retries).
pub const INTAKE_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(2);

/// What `/readyz` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// This binary knows migrations the database has not applied.
    MigrationsPending,
    /// The database answers but cannot take a write (its disk or its size limit is full).
    NotWritable,
}

/// The connection pool and what it talks to.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// SQLite only: a cap on the database's size in pages (`PRAGMA max_page_count`) applied to
    /// every connection; 0 for none. See [`Store::cap_sqlite_pages`].
    page_cap: Arc<AtomicU64>,
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
        let page_cap = Arc::new(AtomicU64::new(0));
        let cap = Arc::clone(&page_cap);
        let cap_at_connect = Arc::clone(&page_cap);
        let pool = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(4)
                    .min_connections(1)
                    .idle_timeout(None)
                    .before_acquire(move |conn, _| {
                        let cap = cap.load(Ordering::Relaxed);
                        Box::pin(async move {
                            if cap > 0 {
                                conn.execute(sql(format!("PRAGMA max_page_count = {cap}")))
                                    .await?;
                            }
                            Ok(true)
                        })
                    })
                    .after_release(discard_if_in_transaction)
                    .after_connect(move |conn, _| {
                        // A connection opened after the cap was set gets it too: the pool
                        // calls `before_acquire` only for connections it already held.
                        let cap = cap_at_connect.load(Ordering::Relaxed);
                        Box::pin(async move {
                            if cap > 0 {
                                conn.execute(sql(format!("PRAGMA max_page_count = {cap}")))
                                    .await?;
                            }
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
                    .after_release(|conn, _| {
                        // A dropped transaction's rollback is counted at once on PostgreSQL.
                        let keep = !sqlx::Connection::is_in_transaction(conn);
                        Box::pin(async move { Ok(keep) })
                    })
                    .connect_with(options)
                    .await?
            }
        };
        Ok(Self {
            pool,
            backend,
            page_cap,
        })
    }

    /// SQLite: caps the database file at `pages` pages on every connection (`PRAGMA
    /// max_page_count`), as a quota, or to try out what a full disk does without filling
    /// one. A larger value lifts the cap again; running connections pick it up on their next
    /// use. Does nothing on PostgreSQL.
    pub fn cap_sqlite_pages(&self, pages: u64) {
        self.page_cap.store(pages, Ordering::Relaxed);
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
        migrations(self.backend)
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        self.migrate_to(i64::MAX).await
    }

    /// Applies pending migrations up to and including `version` (a test writes rows as an
    /// older binary did, then runs the migration under test over them). A migration that
    /// fails halfway can leave its connection inside the transaction it opened itself, with
    /// SQLite's foreign keys off (a table rebuild) or PostgreSQL's migration lock held: that
    /// connection is closed, never handed back to the pool.
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        match self.migrator().run_to(version, &mut *conn).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = conn.close().await;
                Err(e.into())
            }
        }
    }

    /// Whether the database answers and every migration this binary knows is applied.
    pub async fn ready(&self) -> Result<bool> {
        Ok(self.readiness().await? == Readiness::Ready)
    }

    /// Whether the database answers within [`READY_TIMEOUT`], its migrations are current and
    /// it takes a write: a probe row is written and committed (a full disk or a read-only
    /// database refuses it), and on SQLite the file must have room to grow (its page cap not
    /// reached, or free pages left inside it). An unreachable database is an error
    /// (`PoolTimedOut` when it did not answer in time).
    pub async fn readiness(&self) -> Result<Readiness> {
        match tokio::time::timeout(READY_TIMEOUT, self.check_readiness()).await {
            Ok(result) => result,
            Err(_) => Err(StoreError::Db(sqlx::Error::PoolTimedOut)),
        }
    }

    async fn check_readiness(&self) -> Result<Readiness> {
        let mut conn = self.pool.acquire().await?;
        let latest = self.migrator().migrations.iter().map(|m| m.version).max();
        let applied: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&mut *conn)
                .await?;
        if applied != latest {
            return Ok(Readiness::MigrationsPending);
        }
        if self.backend == Backend::Sqlite {
            // A database at its page cap with no free page inside cannot store one more
            // update, although a write in place (the probe below) still succeeds.
            let (count, max, free): (i64, i64, i64) = sqlx::query_as(
                "SELECT (SELECT page_count FROM pragma_page_count()), \
                 (SELECT max_page_count FROM pragma_max_page_count()), \
                 (SELECT freelist_count FROM pragma_freelist_count())",
            )
            .fetch_one(&mut *conn)
            .await?;
            if max - count + free < 4 {
                return Ok(Readiness::NotWritable);
            }
        }
        let now = chrono::Utc::now().timestamp_millis();
        let probe = sqlx::query(
            "INSERT INTO health_probe (id, checked_at) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET checked_at = EXCLUDED.checked_at",
        )
        .bind(now)
        .execute(&mut *conn)
        .await;
        match probe {
            Ok(_) => Ok(Readiness::Ready),
            Err(e) => {
                let e = StoreError::from(e);
                if e.is_disk_full() || is_read_only(&e) {
                    Ok(Readiness::NotWritable)
                } else {
                    Err(e)
                }
            }
        }
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

/// SQLite: a connection handed back still inside a transaction (a COMMIT that failed on a full
/// disk, after which SQLite had rolled back by itself and the driver's ROLLBACK failed too)
/// would refuse every later `BEGIN` ("non-zero transaction depth"): it is closed instead, and
/// the pool opens a fresh one.
fn discard_if_in_transaction(
    conn: &mut Conn,
    _: sqlx::pool::PoolConnectionMetadata,
) -> futures_util::future::BoxFuture<'_, std::result::Result<bool, sqlx::Error>> {
    Box::pin(async move {
        // The ping waits for a rollback queued by a dropped transaction to be carried out.
        sqlx::Connection::ping(conn).await?;
        if sqlx::Connection::is_in_transaction(conn) {
            tracing::warn!("closing a connection left inside a transaction");
            return Ok(false);
        }
        Ok(true)
    })
}

/// Whether the database refused a write because it is read-only (SQLITE_READONLY, a
/// PostgreSQL standby).
fn is_read_only(err: &StoreError) -> bool {
    match err {
        StoreError::Db(sqlx::Error::Database(e)) => match e.code().as_deref() {
            Some("25006") => true,
            Some(code) => code.parse::<i64>().is_ok_and(|c| c & 0xff == 8),
            None => false,
        },
        _ => false,
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

/// What a `TryFrom<String>` of a stored enum says of a value it does not know: the value. A
/// derived `FromRow` carries it out as a column decode error, which [`read_row`] turns into
/// [`StoreError::Unreadable`] naming the row. (sqlx 0.9.0's derive drops the error's text —
/// its `__spec_error!` picks the "unprintable" arm — so `read_row` reads the value again.)
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnknownValue(pub String);

/// A row read with its derived `FromRow` (`#[sqlx(try_from = "String")]` on enum columns); a
/// column that does not read is an error naming `table`, the row's `id` and the value, never a
/// default.
pub fn read_row<'r, T>(table: &'static str, row: &'r sqlx::any::AnyRow) -> Result<T>
where
    T: sqlx::FromRow<'r, sqlx::any::AnyRow>,
{
    use sqlx::Row;
    T::from_row(row).map_err(|e| {
        let id = row
            .try_get::<i64, _>("id")
            .map_or_else(|_| "?".to_owned(), |id| id.to_string());
        match e {
            sqlx::Error::ColumnDecode { index, source } => {
                let column = index.trim_matches('"').to_owned();
                match row.try_get::<Option<String>, _>(column.as_str()) {
                    Ok(value) => StoreError::unreadable(
                        table,
                        id,
                        column,
                        value.as_deref().unwrap_or("NULL"),
                    ),
                    Err(_) => {
                        StoreError::Corrupt(format!("{table} row {id}: column {column}: {source}"))
                    }
                }
            }
            other => other.into(),
        }
    })
}

/// Runs a dynamic SQL text that the code assembled from fixed pieces (never from input).
pub fn sql(text: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(text)
}

#[cfg(test)]
mod tests {
    use super::StoreError;

    #[test]
    fn a_busy_unreachable_or_timed_out_database_is_transient_and_unreadable_data_is_not() {
        let transient = [
            StoreError::Db(sqlx::Error::PoolTimedOut),
            StoreError::Db(sqlx::Error::Io(std::io::Error::from(
                std::io::ErrorKind::ConnectionReset,
            ))),
            StoreError::Db(sqlx::Error::InvalidSavePointStatement),
            StoreError::Anonymous(Box::new(StoreError::Db(sqlx::Error::PoolClosed))),
        ];
        for e in &transient {
            assert!(e.is_transient(), "{e}");
        }
        let permanent = [
            StoreError::Corrupt("meeting kind 'bogus'".into()),
            StoreError::unreadable("meetings", 7, "kind", "bogus"),
            StoreError::Db(sqlx::Error::RowNotFound),
            StoreError::Db(sqlx::Error::ColumnNotFound("kind".into())),
            StoreError::Anonymous(Box::new(StoreError::Corrupt("x".into()))),
        ];
        for e in &permanent {
            assert!(!e.is_transient(), "{e}");
        }
        assert_eq!(
            StoreError::unreadable("meetings", 7, "kind", "bogus").to_string(),
            "stored data is corrupt: meetings row 7: unknown kind 'bogus'"
        );
    }
}
