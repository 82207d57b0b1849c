//! `spawn_app`: the whole bot on a fresh database, talking to a fake Telegram.

use std::time::Duration;

use branchbot::clock::Clock;
use branchbot::config::{Config, Settings, TelegramMode};
use branchbot::delivery::limits::Limits;
use branchbot::delivery::worker::WorkerConfig;
use branchbot::domain::meetings::MeetingRules;
use branchbot::domain::roster;
use branchbot::flows::start;
use branchbot::i18n::Locale;
use branchbot::scheduler::JobContext;
use branchbot::startup::{Application, Overrides};
use branchbot::store::{invites, jobs, members, Store};
use branchbot::testkit::db::{fresh_postgres, postgres_required, TempSqlite};
use branchbot::testkit::fake_telegram::{FakeTelegram, Sent};
use chrono::{DateTime, Utc};

pub const WAIT: Duration = Duration::from_secs(20);

/// The settings the engine-level worlds of these tests run with: the default configuration
/// in `tz`, for 学院党委, with invites that last three days and notices re-nudged every two
/// hours.
pub fn settings(tz: chrono_tz::Tz, meetings: MeetingRules) -> Settings {
    let mut config = Config {
        org_name: "学院党委".into(),
        locale: Locale::ZhCn,
        ..Config::default()
    };
    config.invites.ttl_hours = 72;
    config.notices.nudge_interval_minutes = 120;
    let mut settings = config
        .settings()
        .expect("the default configuration is valid");
    settings.tz = tz;
    settings.meetings = meetings;
    settings
}
pub const SECRET: &str = "test_secret-123";

/// A store on `url` with the example college's roster imported.
pub async fn open_college(url: &str) -> Store {
    let store = Store::open(url).await.expect("open store");
    import_college(&store).await;
    store
}

/// Imports the example college's roster.
pub async fn import_college(store: &Store) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
        .expect("example roster");
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
}

/// Runs the job with this dedupe key as its occurrence at `at`, as the scheduler would (the
/// bot's own kinds, default rules, in Shanghai, no SMS gateway).
pub async fn run_job_at(store: &Store, key: &str, at: DateTime<Utc>) {
    let mut tx = store.begin().await.unwrap();
    let mut row = jobs::by_dedupe_key(&mut tx, key)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no job {key}"));
    row.due_at = at.timestamp_millis();
    let ctx = JobContext {
        now: at.timestamp_millis(),
        tz: chrono_tz::Asia::Shanghai,
        sms_connected: false,
        recruitment: Default::default(),
        meetings: Default::default(),
    };
    let registry = branchbot::app::features::jobs();
    let kind = registry.get(&row.kind).expect("known kind");
    kind.run(&ctx, &mut tx, &row).await.expect("job runs");
    tx.commit().await.unwrap();
}

/// A fresh invite code for a member, valid for an hour, as `branchbot invite` makes it.
pub async fn invite_code(store: &Store, key: &str) -> String {
    let mut conn = store.pool().acquire().await.unwrap();
    let member = members::find(&mut conn, key)
        .await
        .unwrap()
        .expect("member exists");
    let code = start::new_code();
    let now = chrono::Utc::now().timestamp_millis();
    invites::create(
        &mut conn,
        member.id,
        &start::normalize_code(&code),
        now,
        now + 3_600_000,
    )
    .await
    .unwrap();
    code
}

/// Counts rows (the query's one number).
pub async fn count(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// Waits until a count on the database is `expected`, or panics.
pub async fn eventually(store: &Store, sql: &'static str, expected: i64) {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = count(store, sql).await;
        if got == expected {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{sql}: expected {expected}, got {got}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// A database that lives as long as the test.
pub struct TestDb {
    pub url: String,
    _sqlite: Option<TempSqlite>,
}

impl TestDb {
    /// A fresh database, or None (with a note) when PostgreSQL is not reachable outside CI.
    pub async fn new(db: Db) -> Option<Self> {
        match db {
            Db::Sqlite => {
                let file = TempSqlite::new();
                Some(Self {
                    url: file.url.clone(),
                    _sqlite: Some(file),
                })
            }
            Db::Postgres => match fresh_postgres().await {
                Ok(url) => Some(Self { url, _sqlite: None }),
                Err(e) if postgres_required() => panic!("PostgreSQL is required in CI: {}", e.0),
                Err(e) => {
                    eprintln!(
                        "skipped: no PostgreSQL ({}); set BRANCHBOT_TEST_PG to run this test",
                        e.0
                    );
                    None
                }
            },
        }
    }
}

impl TestDb {
    /// The folder this database's photos and files go to (removed with it).
    pub fn files_dir(&self) -> std::path::PathBuf {
        let name: String = self
            .url
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        std::env::temp_dir().join(format!("{name}-attachments"))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.files_dir());
        if self._sqlite.is_none() {
            branchbot::testkit::db::drop_postgres_blocking(&self.url);
        }
    }
}

/// The application under test and its surroundings.
pub struct TestApp {
    pub app: Option<Application>,
    pub fake: FakeTelegram,
    pub db: TestDb,
    pub store: Store,
    pub mode: TelegramMode,
    pub http: reqwest::Client,
    /// The URL the application is given instead of the database's own (through a proxy).
    pub app_db_url: Option<String>,
    /// A change to the configuration, kept across restarts.
    pub tweak: Option<fn(&mut Config)>,
}

/// Options for [`spawn_with`].
#[derive(Clone)]
pub struct Spawn {
    pub db: Db,
    pub mode: TelegramMode,
    pub worker: Option<WorkerConfig>,
    pub clock: Option<Clock>,
    /// Makes the application reach PostgreSQL through this address (a proxy the test can cut)
    /// instead of the server's own.
    pub through: Option<std::net::SocketAddr>,
    pub tweak: Option<fn(&mut Config)>,
}

impl Default for Spawn {
    fn default() -> Self {
        Self {
            db: Db::Sqlite,
            mode: TelegramMode::Polling,
            worker: Some(fast_worker()),
            clock: None,
            through: None,
            tweak: None,
        }
    }
}

/// Delivery tuned for tests: Telegram's real limits, short backoff.
pub fn fast_worker() -> WorkerConfig {
    WorkerConfig {
        limits: Limits::unlimited(),
        backoff: Duration::from_millis(50),
        ..WorkerConfig::default()
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(Spawn::default())
        .await
        .expect("SQLite always works")
}

/// Starts the app with the example college loaded. None when the database is unavailable
/// (PostgreSQL outside CI).
pub async fn spawn_with(opts: Spawn) -> Option<TestApp> {
    let db = TestDb::new(opts.db).await?;
    let fake = FakeTelegram::start().await;
    let store = open_college(&db.url).await;
    let mut app = TestApp {
        app: None,
        fake,
        db,
        store,
        mode: opts.mode,
        http: reqwest::Client::new(),
        app_db_url: None,
        tweak: opts.tweak,
    };
    if let Some(addr) = opts.through {
        // postgres://user@host:port/db → postgres://user@ADDR/db
        let url = &app.db.url;
        let (scheme_user, rest) = url.split_once('@').expect("a URL with a user");
        let (_, path) = rest.split_once('/').expect("a URL with a database");
        app.app_db_url = Some(format!("{scheme_user}@{addr}/{path}"));
    }
    app.start(&opts).await;
    Some(app)
}

impl TestApp {
    pub fn config(&self) -> Config {
        let mut config = Config {
            database_url: self
                .app_db_url
                .clone()
                .unwrap_or_else(|| self.db.url.clone()),
            ..Config::default()
        };
        config.http.listen = "127.0.0.1:0".parse().unwrap();
        config.http.metrics_listen = "127.0.0.1:0".into();
        config.telegram.token = Some("123456:TEST".into());
        config.telegram.api_url = Some(self.fake.api_url());
        config.telegram.poll_timeout_secs = 1;
        config.telegram.mode = self.mode;
        config.attachments.folder = self.db.files_dir().display().to_string();
        if self.mode == TelegramMode::Webhook {
            config.http.public_url = Some("https://bot.example.org".into());
            config.telegram.webhook_secret = Some(SECRET.into());
        }
        if let Some(tweak) = self.tweak {
            tweak(&mut config);
        }
        config
    }

    async fn start(&mut self, opts: &Spawn) {
        let overrides = Overrides {
            clock: opts.clock.clone(),
            telegram_worker: opts.worker.clone(),
        };
        let app = Application::build(self.config(), overrides)
            .await
            .expect("application starts");
        self.app = Some(app);
    }

    /// Stops the application and starts a new one on the same database (a restart).
    pub async fn restart(&mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        let opts = Spawn {
            mode: self.mode,
            ..Spawn::default()
        };
        self.start(&opts).await;
    }

    /// Stops the application and starts a new one on the same database reading `clock`.
    pub async fn restart_at(&mut self, clock: Clock) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        let opts = Spawn {
            mode: self.mode,
            clock: Some(clock),
            ..Spawn::default()
        };
        self.start(&opts).await;
    }

    pub fn app(&self) -> &Application {
        self.app.as_ref().expect("running")
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.app().addr)
    }

    /// A fresh invite code for a member, as `branchbot invite` makes it.
    pub async fn invite(&self, key: &str) -> String {
        invite_code(&self.store, key).await
    }

    /// Sends a text as a Telegram user, by the app's mode (getUpdates or webhook).
    pub async fn say(&self, chat: i64, text: &str) {
        let update = self.fake.text_update(chat, text, "zh-hans");
        self.deliver(update).await;
    }

    /// Delivers a prepared update by the app's mode.
    pub async fn deliver(&self, update: serde_json::Value) {
        match self.mode {
            TelegramMode::Polling => self.fake.push(update),
            TelegramMode::Webhook => {
                let r = self.post_webhook(&update, Some(SECRET)).await;
                assert_eq!(r.status(), 200, "webhook accepted the update");
            }
        }
    }

    pub async fn post_webhook(
        &self,
        body: &serde_json::Value,
        secret: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .http
            .post(format!("{}/telegram/webhook", self.base_url()))
            .json(body);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        req.send().await.expect("webhook request")
    }

    /// Says something and waits for `n` new replies to that chat; returns them.
    pub async fn ask(&self, chat: i64, text: &str, n: usize) -> Vec<Sent> {
        let before = self.fake.sent_to(chat).len();
        self.say(chat, text).await;
        let all = self.fake.wait_sent(chat, before + n, WAIT).await;
        all[before..].to_vec()
    }

    /// Binds a chat to a member through the real /start flow.
    pub async fn bind(&self, chat: i64, key: &str) {
        let code = self.invite(key).await;
        let replies = self.ask(chat, &format!("/start {code}"), 2).await;
        assert!(
            replies[0].text.contains("绑定成功")
                || replies[0].text.contains("Your account is linked"),
            "{replies:#?}"
        );
    }

    /// Counts rows of a table (test-only convenience).
    pub async fn count(&self, sql: &'static str) -> i64 {
        count(&self.store, sql).await
    }

    /// Waits until a condition on the database holds, or panics.
    /// Waits until the scheduler, which writes its built-in jobs as it starts beside the test,
    /// has written the job with this dedupe key.
    pub async fn scheduled(&self, dedupe_key: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE dedupe_key = $1")
                .bind(dedupe_key)
                .fetch_one(self.store.pool())
                .await
                .unwrap();
            if n > 0 {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the job {dedupe_key} is not on the schedule"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub async fn eventually(&self, sql: &'static str, expected: i64) {
        eventually(&self.store, sql, expected).await;
    }

    pub async fn stop(mut self) {
        if let Some(app) = self.app.take() {
            app.stop().await;
        }
        self.store.close().await;
    }
}

/// Makes each named `async fn(&Store)` a test on SQLite and one on PostgreSQL: the store
/// suite is one suite for both backends.
#[macro_export]
macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[tokio::test]
            async fn on_sqlite() {
                let db = TestDb::new(Db::Sqlite).await.unwrap();
                let store = Store::open(&db.url).await.unwrap();
                super::$name(&store).await;
                store.close().await;
            }

            #[tokio::test]
            async fn on_postgres() {
                let Some(db) = TestDb::new(Db::Postgres).await else { return };
                let store = Store::open(&db.url).await.unwrap();
                super::$name(&store).await;
                store.close().await;
            }
        }
    )*};
}

/// Makes each named `async fn(Db)` a test on SQLite and one on PostgreSQL.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn on_sqlite() {
                super::$name($crate::helpers::Db::Sqlite).await;
            }

            #[tokio::test]
            async fn on_postgres() {
                super::$name($crate::helpers::Db::Postgres).await;
            }
        }
    )*};
}

/// [`on_both!`] on paused time.
#[macro_export]
macro_rules! paused_on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(start_paused = true)]
            async fn on_sqlite() {
                super::$name($crate::helpers::Db::Sqlite).await;
            }

            #[tokio::test(start_paused = true)]
            async fn on_postgres() {
                super::$name($crate::helpers::Db::Postgres).await;
            }
        }
    )*};
}

/// Taps the button labelled `label` on `msg` in `chat` and returns the `n` messages that
/// follow.
pub async fn tap(app: &TestApp, chat: i64, msg: &Sent, label: &str, n: usize) -> Vec<Sent> {
    let data = msg
        .data_of(label)
        .unwrap_or_else(|| panic!("no button {label:?} in {msg:#?}"));
    let before = app.fake.sent_to(chat).len();
    app.deliver(app.fake.callback_update(chat, msg.message_id, &data))
        .await;
    app.fake.wait_sent(chat, before + n, WAIT).await[before..].to_vec()
}

/// The stored step of `key`'s Telegram conversation, as JSON.
pub async fn stored_step(store: &Store, key: &str) -> serde_json::Value {
    let json: String = sqlx::query_scalar(
        "SELECT c.state FROM conversations c JOIN members m ON m.id = c.member_id \
         WHERE m.key = $1 AND c.channel = 'telegram'",
    )
    .bind(key)
    .fetch_one(store.pool())
    .await
    .unwrap();
    serde_json::from_str(&json).unwrap()
}

/// Replaces the step of `key`'s Telegram conversation with `json`, as a database written by
/// an older binary holds it.
pub async fn replace_step(store: &Store, key: &str, json: &str) {
    sqlx::query(
        "UPDATE conversations SET state = $1 WHERE channel = 'telegram' AND member_id = \
         (SELECT id FROM members WHERE key = $2)",
    )
    .bind(json)
    .bind(key)
    .execute(store.pool())
    .await
    .unwrap();
}

/// Runs `sql` with the table's CHECK constraints out of the way, as a row written by another
/// binary (or by hand) would be: SQLite ignores them on one connection, PostgreSQL drops
/// those of `table`.
pub async fn write_unchecked(store: &Store, table: &str, sql: &str) {
    let mut conn = store.pool().acquire().await.unwrap();
    match store.backend() {
        branchbot::store::Backend::Sqlite => {
            sqlx::query("PRAGMA ignore_check_constraints = ON")
                .execute(&mut *conn)
                .await
                .unwrap();
        }
        branchbot::store::Backend::Postgres => {
            let drop = format!(
                "DO $$ DECLARE r record; BEGIN FOR r IN SELECT conname FROM pg_constraint \
                 WHERE conrelid = '{table}'::regclass AND contype = 'c' LOOP \
                 EXECUTE 'ALTER TABLE {table} DROP CONSTRAINT ' || quote_ident(r.conname); \
                 END LOOP; END $$"
            );
            sqlx::query(sqlx::AssertSqlSafe(drop))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
    }
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut *conn)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    if store.backend() == branchbot::store::Backend::Sqlite {
        sqlx::query("PRAGMA ignore_check_constraints = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

/// After a SQLite table rebuild: foreign keys are on again and every reference still finds its
/// row (`pragma_foreign_key_check`), and no `*_new` table of the rebuild is left behind.
pub async fn assert_rebuild_left_nothing_behind(store: &Store) {
    let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert!(dangling.is_empty(), "{dangling:?}");
    let stray: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%\\_new' ESCAPE '\\'",
    )
    .fetch_one(store.pool())
    .await
    .unwrap();
    assert_eq!(stray, 0, "a table of the rebuild was left behind");
}
