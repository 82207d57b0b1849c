//! Inbound throughput: N `/me` updates from M bound members go through the fake Telegram Bot
//! API, by long polling or through the webhook endpoint, or as WeCom callbacks (signed and
//! AES-encrypted, posted to `/wecom/callback`, answered through the fake WeCom API), and each
//! one is stored in the inbox, processed (member read, conversation state and outbox row
//! written) and answered. The figure is updates per second from the first update offered to the
//! last reply the fake received, and the peak RSS (VmHWM) of the process, which holds the bot,
//! the fake and the client.
//!
//! `cargo bench --bench inbound -- [--updates N] [--members M] [--backend sqlite|postgres|both]
//! [--mode polling|webhook|wecom|both|all]`
//!
//! Every combination runs in a child process of its own, so that each peak RSS is its own.
//! The outbox delivery runs with its overall rate limits lifted: the figure is the bot's own
//! ceiling, not Telegram's (about 30 messages a second per bot) nor the WeCom app's.

use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use branchbot::config::sms::Secret;
use branchbot::config::{Config, TelegramMode};
use branchbot::delivery::limits::Limits;
use branchbot::delivery::worker::WorkerConfig;
use branchbot::startup::{Application, Overrides};
use branchbot::store::{inbox, outbox};
use branchbot::testkit::db::{self, TempSqlite};
use branchbot::testkit::fake_telegram::FakeTelegram;
use branchbot::testkit::fake_wecom::{self, Callbacks, FakeWecom};
use clap::{Parser, ValueEnum};
use serde::{Deserialize, Serialize};
use sqlx::{ConnectOptions, Connection, Executor};

#[path = "common/mod.rs"]
mod common;
use common::machine::{Machine, OtherCore};
use common::seed::{self, FIRST_CHAT};

const WEBHOOK_SECRET: &str = "bench-secret";

#[derive(Debug, Parser)]
#[command(
    about = "Inbound throughput of branchbot through a fake Telegram Bot API and WeCom callbacks"
)]
struct Args {
    /// Updates to send.
    #[arg(long, default_value_t = 5000)]
    updates: usize,
    /// Distinct bound members the updates come from (round robin).
    #[arg(long, default_value_t = 500)]
    members: usize,
    #[arg(long, value_enum, default_value_t = Backend::Both)]
    backend: Backend,
    #[arg(long, value_enum, default_value_t = Mode::All)]
    mode: Mode,
    /// Webhook and WeCom callback requests in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Give up waiting for the replies after this many seconds.
    #[arg(long, default_value_t = 300)]
    timeout_secs: u64,
    /// Count the SQL statements the bot runs during the load (sqlx's statement events; slows
    /// the run down, so the rates of such a run are not figures).
    #[arg(long)]
    count_statements: bool,
    /// What the machine's other core does meanwhile: `idle`, or `busy` with a CPU hog the
    /// bench starts; a run that strays from it is reported as not figures.
    #[arg(long, value_enum, default_value_t = OtherCore::Idle)]
    other_core: OtherCore,
    /// Run one combination in this process and print its result as JSON (used by the parent).
    #[arg(long, hide = true)]
    child: bool,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
    Both,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Mode {
    Polling,
    Webhook,
    /// Signed, encrypted WeCom callbacks to `/wecom/callback`; replies through the fake WeCom API.
    Wecom,
    /// Polling and webhook (Telegram).
    Both,
    /// Polling, webhook and WeCom.
    All,
}

/// What one combination measured, passed from the child to the parent as one JSON line.
#[derive(Debug, Serialize, Deserialize)]
enum Outcome {
    Done(Figures),
    Skipped(String),
    Failed(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Figures {
    updates: usize,
    seconds: f64,
    /// Webhook and WeCom: until the last update was answered 200 (stored in the inbox).
    ingest_seconds: Option<f64>,
    rss_before_kib: u64,
    peak_rss_kib: u64,
    /// CPU time this process used (user + system) from the first update to the last reply.
    cpu_seconds: f64,
    /// Webhook answers other than 200 (retried).
    rejected_posts: usize,
    /// Statements run during the load, when counted.
    #[serde(default)]
    statements: Option<u64>,
}

impl Figures {
    fn rate(&self) -> f64 {
        self.updates as f64 / self.seconds
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.updates == 0 || args.members == 0 || args.concurrency == 0 {
        eprintln!("--updates, --members and --concurrency must be at least 1");
        return ExitCode::FAILURE;
    }
    if args.child {
        let outcome = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("tokio runtime")
            .block_on(child(&args));
        println!(
            "{}",
            serde_json::to_string(&outcome).expect("outcome as JSON")
        );
        return ExitCode::SUCCESS;
    }
    parent(&args)
}

/// Runs each requested combination in a child process and prints the table.
fn parent(args: &Args) -> ExitCode {
    let backends = match args.backend {
        Backend::Both => vec![Backend::Sqlite, Backend::Postgres],
        one => vec![one],
    };
    let modes = match args.mode {
        Mode::Both => vec![Mode::Polling, Mode::Webhook],
        Mode::All => vec![Mode::Polling, Mode::Webhook, Mode::Wecom],
        one => vec![one],
    };
    println!(
        "inbound throughput: {} `/me` updates from {} bound members; webhook and WeCom callbacks with {} requests in flight",
        args.updates, args.members, args.concurrency
    );
    println!("outbox delivery limits lifted (Limits::unlimited): this is the bot's own ceiling, not Telegram's ~30 msg/s");
    if modes.contains(&Mode::Wecom) {
        println!("WeCom: the app's overall API rate lifted; WeCom's per-member pacing (1 a second, 30 a minute) kept");
        if args.updates > args.members {
            println!("WeCom: members write more than once, so the per-member pacing may bound the rate (use --members {})", args.updates);
        }
    }
    println!(
        "peak RSS is the whole process: bot, fake Bot API or WeCom API (which keeps every call) and client"
    );
    let machine = (!args.count_statements).then(|| Machine::start(args.other_core));
    println!();
    let exe = std::env::current_exe().expect("path of this benchmark");
    let mut rows = Vec::new();
    let mut failed = false;
    for backend in &backends {
        for mode in &modes {
            let name = format!("{backend:?}/{mode:?}").to_lowercase();
            eprintln!("== {name}");
            let output = Command::new(&exe)
                .args([
                    "--child",
                    "--backend",
                    &label(*backend),
                    "--mode",
                    &label(*mode),
                ])
                .args([
                    "--updates",
                    &args.updates.to_string(),
                    "--members",
                    &args.members.to_string(),
                ])
                .args(["--concurrency", &args.concurrency.to_string()])
                .args(["--timeout-secs", &args.timeout_secs.to_string()])
                .args(args.count_statements.then_some("--count-statements"))
                .stderr(Stdio::inherit())
                .output();
            let outcome = match output {
                Ok(o) => String::from_utf8_lossy(&o.stdout)
                    .lines()
                    .rev()
                    .find_map(|l| serde_json::from_str::<Outcome>(l).ok())
                    .unwrap_or_else(|| {
                        Outcome::Failed(format!(
                            "the child process ended with {} and no result",
                            o.status
                        ))
                    }),
                Err(e) => Outcome::Failed(format!("cannot start the child process: {e}")),
            };
            failed |= matches!(outcome, Outcome::Failed(_));
            rows.push((name, outcome));
        }
    }
    println!("| backend/mode | updates | seconds | updates/s | webhook/callback ingest/s | CPU (cores busy) | RSS before | peak RSS |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, outcome) in &rows {
        match outcome {
            Outcome::Done(f) => println!(
                "| {name} | {} | {:.2} | {:.0} | {} | {:.2} s ({:.2}) | {:.1} MiB | {:.1} MiB |",
                f.updates,
                f.seconds,
                f.rate(),
                f.ingest_seconds
                    .map_or("–".into(), |s| format!("{:.0}", f.updates as f64 / s)),
                f.cpu_seconds,
                f.cpu_seconds / f.seconds,
                f.rss_before_kib as f64 / 1024.0,
                f.peak_rss_kib as f64 / 1024.0,
            ),
            Outcome::Skipped(why) => println!("| {name} | skipped: {why} |||||||"),
            Outcome::Failed(why) => println!("| {name} | FAILED: {why} |||||||"),
        }
    }
    for (name, outcome) in &rows {
        if let Outcome::Done(f) = outcome {
            if let Some(n) = f.statements {
                println!(
                    "{name}: {n} SQL statements during the load, {:.2} per update",
                    n as f64 / f.updates as f64
                );
            }
            if f.rejected_posts > 0 {
                println!(
                    "{name}: {} posts were answered other than 200 and sent again",
                    f.rejected_posts
                );
            }
        }
    }
    if let Some(machine) = machine {
        let verdict = machine.finish();
        println!("{}", verdict.line());
        failed |= !verdict.stands();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// How a value is spelt on the command line.
fn label(value: impl ValueEnum) -> String {
    value
        .to_possible_value()
        .expect("no skipped values")
        .get_name()
        .to_owned()
}

/// Statements sqlx reported (one `sqlx::query` event each), and per statement kind.
static STATEMENTS: AtomicUsize = AtomicUsize::new(0);
static STATEMENT_KINDS: std::sync::Mutex<Vec<(String, u64)>> = std::sync::Mutex::new(Vec::new());

/// Counts sqlx's statement events, by the statement's first words.
struct StatementCounter;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for StatementCounter {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Sql(String);
        impl tracing::field::Visit for Sql {
            fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
                if field.name() == "db.statement"
                    || (self.0.is_empty() && field.name() == "summary")
                {
                    self.0 = value.split_whitespace().collect::<Vec<_>>().join(" ");
                }
            }
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "db.statement"
                    || (self.0.is_empty() && field.name() == "summary")
                {
                    self.0 = format!("{value:?}")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ");
                }
            }
        }
        STATEMENTS.fetch_add(1, Ordering::Relaxed);
        let mut sql = Sql(String::new());
        event.record(&mut sql);
        let kind: String = sql.0.chars().take(90).collect();
        let mut kinds = STATEMENT_KINDS.lock().unwrap_or_else(|p| p.into_inner());
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, n)) => *n += 1,
            None => kinds.push((kind, 1)),
        }
    }
}

/// The statements counted since `before` (None when not counting); the kinds, most frequent
/// first, go to stderr.
fn statements_since(args: &Args, before: usize) -> Option<u64> {
    if !args.count_statements {
        return None;
    }
    let mut kinds = STATEMENT_KINDS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    for (kind, n) in kinds.iter().take(40) {
        eprintln!(
            "{:>8.3} per update  {kind}",
            *n as f64 / args.updates as f64
        );
    }
    Some((STATEMENTS.load(Ordering::Relaxed) - before) as u64)
}

/// Runs one combination in this process.
async fn child(args: &Args) -> Outcome {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()),
        );
    let counter = args.count_statements.then(|| {
        StatementCounter.with_filter(
            tracing_subscriber::filter::Targets::new()
                .with_target("sqlx::query", tracing::Level::TRACE),
        )
    });
    let _ = tracing_subscriber::registry()
        .with(logs)
        .with(counter)
        .try_init();
    let mode = match args.mode {
        Mode::Polling | Mode::Webhook | Mode::Wecom => args.mode,
        other => return Outcome::Failed(format!("the child needs one mode, not {other:?}")),
    };
    match args.backend {
        Backend::Sqlite => {
            let file = TempSqlite::new();
            run(args, &file.url, mode)
                .await
                .unwrap_or_else(Outcome::Failed)
        }
        Backend::Postgres => {
            let url = match db::fresh_postgres().await {
                Ok(url) => url,
                Err(e) => return Outcome::Skipped(format!("PostgreSQL unreachable ({})", e.0)),
            };
            let outcome = run(args, &url, mode).await.unwrap_or_else(Outcome::Failed);
            drop_postgres(&url).await;
            outcome
        }
        other => Outcome::Failed(format!("the child needs one backend, not {other:?}")),
    }
}

/// Runs one mode on the database at `url`.
async fn run(args: &Args, url: &str, mode: Mode) -> Result<Outcome, String> {
    match mode {
        Mode::Polling => run_telegram(args, url, TelegramMode::Polling).await,
        Mode::Webhook => run_telegram(args, url, TelegramMode::Webhook).await,
        Mode::Wecom => run_wecom(args, url).await,
        other => Err(format!("the child needs one mode, not {other:?}")),
    }
}

/// Seeds the database, starts the bot against a fake Bot API, offers the updates and waits for
/// every reply.
async fn run_telegram(args: &Args, url: &str, mode: TelegramMode) -> Result<Outcome, String> {
    seed::members(url, args.members, true).await?;

    let fake = FakeTelegram::start().await;
    let mut config = Config {
        database_url: url.to_owned(),
        ..Config::default()
    };
    config.http.listen = "127.0.0.1:0".parse().expect("address");
    config.http.metrics_listen = String::new();
    config.telegram.token = Some("123:bench".into());
    config.telegram.api_url = Some(fake.api_url());
    config.telegram.mode = mode;
    if mode == TelegramMode::Webhook {
        config.http.public_url = Some("https://bench.invalid".into());
        config.telegram.webhook_secret = Some(WEBHOOK_SECRET.into());
    }
    config.validate().map_err(|e| e.to_string())?;
    let overrides = Overrides {
        telegram_worker: Some(WorkerConfig {
            limits: Limits::unlimited(),
            ..WorkerConfig::default()
        }),
        ..Overrides::default()
    };
    let app = Application::build(config, overrides)
        .await
        .map_err(|e| format!("the bot did not start: {e}"))?;
    let stats = app.telegram_stats.clone().ok_or("no Telegram worker")?;

    // Everything offered is made before the clock starts.
    let updates: Vec<serde_json::Value> = (0..args.updates)
        .map(|k| fake.text_update(FIRST_CHAT + (k % args.members) as i64, "/me", "zh-hans"))
        .collect();
    let endpoint = format!("http://{}/telegram/webhook", app.addr);
    let (queued, posts): (Vec<serde_json::Value>, Vec<Post>) = match mode {
        TelegramMode::Polling => (updates, Vec::new()),
        TelegramMode::Webhook => (
            Vec::new(),
            updates
                .iter()
                .map(|u| (endpoint.clone(), u.to_string().into_bytes()))
                .collect(),
        ),
    };
    let rss_before_kib = proc_status_kib("VmRSS");
    let cpu_before = cpu_seconds();
    let statements_before = STATEMENTS.load(Ordering::Relaxed);
    STATEMENT_KINDS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clear();

    let started = Instant::now();
    let mut ingest = match mode {
        TelegramMode::Polling => {
            for u in queued {
                fake.push(u);
            }
            None
        }
        TelegramMode::Webhook => Some(tokio::spawn(post_all(
            posts,
            TELEGRAM_HEADERS,
            args.concurrency,
        ))),
    };

    let sent = || stats.sent.load(Ordering::Relaxed) as usize;
    let waited = wait_for_replies(&app, sent, args, started, &mut ingest).await;
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss_kib = proc_status_kib("VmHWM");
    let cpu_seconds = cpu_seconds() - cpu_before;
    let statements = statements_since(args, statements_before);
    let posted = match (waited, ingest) {
        (Err(e), _) => {
            app.stop().await;
            return Err(e);
        }
        (Ok(posted), None) => posted,
        (Ok(_), Some(task)) => Some(
            task.await
                .map_err(|e| e.to_string())
                .and_then(|r| r)
                .map_err(|e| format!("webhook client: {e}"))?,
        ),
    };
    let (ingest_seconds, rejected_posts) = match posted {
        Some((at, rejected)) => (Some(at.duration_since(started).as_secs_f64()), rejected),
        None => (None, 0),
    };

    let checked = check(&app, &fake, args).await;
    app.stop().await;
    checked?;
    Ok(Outcome::Done(Figures {
        updates: args.updates,
        seconds,
        ingest_seconds,
        rss_before_kib,
        peak_rss_kib,
        cpu_seconds,
        rejected_posts,
        statements,
    }))
}

/// Seeds the database (userids are roster keys), starts the bot with WeCom on against the fake
/// WeCom API, posts every member's `/me` as a signed, encrypted callback and waits for every
/// reply the app sends through the API.
async fn run_wecom(args: &Args, url: &str) -> Result<Outcome, String> {
    seed::members(url, args.members, false).await?;

    let fake = FakeWecom::start().await;
    let mut config = Config {
        database_url: url.to_owned(),
        ..Config::default()
    };
    config.http.listen = "127.0.0.1:0".parse().expect("address");
    config.http.metrics_listen = String::new();
    // Replies are never held for quiet hours; no push is measured here either way.
    config.delivery.quiet_hours = "00:00-00:00".into();
    let w = &mut config.wecom;
    w.corp_id = Some(fake_wecom::CORP_ID.into());
    w.agent_id = Some(fake_wecom::AGENT_ID);
    w.api_url = fake.base_url();
    w.userid_is_key = true;
    // The app's overall API rate lifted, as the Telegram runs lift theirs; the per-member
    // pacing and minute and hour quotas stay what WeCom allows.
    w.per_second = 1_000_000;
    w.secret = Some(Secret::new(fake_wecom::SECRET));
    w.token = Some(Secret::new(fake_wecom::TOKEN));
    w.aes_key = Some(Secret::new(fake_wecom::AES_KEY));
    config.validate().map_err(|e| e.to_string())?;
    let app = Application::build(config, Overrides::default())
        .await
        .map_err(|e| format!("the bot did not start: {e}"))?;

    // Every callback is encrypted and signed before the clock starts (well inside the 300 s
    // the bot allows between a callback's timestamp and its arrival).
    let calls = Callbacks::default();
    let endpoint = format!("http://{}/wecom/callback", app.addr);
    let now = chrono::Utc::now().timestamp();
    let posts: Vec<Post> = (0..args.updates)
        .map(|k| {
            let xml = calls.text_xml(
                &seed::member_key(k % args.members),
                "/me",
                1_000_000 + k as u64,
            );
            let (query, body) = calls.post(&xml, now);
            (format!("{endpoint}?{query}"), body.into_bytes())
        })
        .collect();
    let rss_before_kib = proc_status_kib("VmRSS");
    let cpu_before = cpu_seconds();

    let started = Instant::now();
    let mut ingest = Some(tokio::spawn(post_all(
        posts,
        WECOM_HEADERS,
        args.concurrency,
    )));
    let sent = || fake.sent_count();
    let waited = wait_for_replies(&app, sent, args, started, &mut ingest).await;
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss_kib = proc_status_kib("VmHWM");
    let cpu_seconds = cpu_seconds() - cpu_before;
    let posted = match (waited, ingest) {
        (Err(e), _) => {
            app.stop().await;
            return Err(e);
        }
        (Ok(posted), None) => posted,
        (Ok(_), Some(task)) => Some(
            task.await
                .map_err(|e| e.to_string())
                .and_then(|r| r)
                .map_err(|e| format!("callback client: {e}"))?,
        ),
    };
    let (at, rejected_posts) = posted.ok_or("the callback client reported nothing")?;

    let checked = check_wecom(&app, &fake, args).await;
    app.stop().await;
    checked?;
    Ok(Outcome::Done(Figures {
        updates: args.updates,
        seconds,
        ingest_seconds: Some(at.duration_since(started).as_secs_f64()),
        rss_before_kib,
        peak_rss_kib,
        cpu_seconds,
        rejected_posts,
        statements: None,
    }))
}

/// The roster key (and, with `wecom.userid_is_key`, the WeCom userid) of member `i`.
/// A request to post: the URL (with its query) and the body.
type Post = (String, Vec<u8>);

const TELEGRAM_HEADERS: &[(&str, &str)] = &[
    ("X-Telegram-Bot-Api-Secret-Token", WEBHOOK_SECRET),
    ("Content-Type", "application/json"),
];
const WECOM_HEADERS: &[(&str, &str)] = &[("Content-Type", "text/xml")];

type Posted = (Instant, usize);

/// Waits until the worker has sent a reply to every update. Fails when the time is up, when the
/// webhook client failed, or when nothing moves any more with work left undone. Returns what
/// the webhook client reported, if it finished meanwhile (it is taken out of `ingest`).
async fn wait_for_replies(
    app: &Application,
    sent: impl Fn() -> usize,
    args: &Args,
    started: Instant,
    ingest: &mut Option<tokio::task::JoinHandle<Result<Posted, String>>>,
) -> Result<Option<Posted>, String> {
    let deadline = started + Duration::from_secs(args.timeout_secs);
    let mut posted = None;
    let mut last = (0, Instant::now());
    // A send is counted once the fake has answered it: reading that counter is cheap, where
    // reading the fake's record would copy every message sent so far.
    loop {
        let sent = sent();
        if sent >= args.updates {
            return Ok(posted);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(format!(
                "timed out after {}s with {sent} of {} replies",
                args.timeout_secs, args.updates
            ));
        }
        if let Some(task) = ingest.take_if(|t| t.is_finished()) {
            let result = task.await.map_err(|e| e.to_string()).and_then(|r| r);
            posted = Some(result.map_err(|e| format!("HTTP client: {e}"))?);
        }
        if sent > last.0 {
            last = (sent, now);
        } else if now.duration_since(last.1) > Duration::from_secs(3) && ingest.is_none() {
            // Everything was offered and nothing moved for a while: is anything left to do?
            let (inbox, outbox) = counts(app).await?;
            let waiting = inbox.iter().any(|(s, _)| s == "pending")
                || outbox
                    .iter()
                    .any(|(_, s, _)| s == "pending" || s == "sending");
            if !waiting {
                return Err(format!("stalled at {sent} of {} replies with nothing left to do: inbox {inbox:?}, outbox {outbox:?}", args.updates));
            }
            last.1 = now;
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
}

/// Inbox rows per status and outbox rows per (channel, status).
async fn counts(
    app: &Application,
) -> Result<(Vec<(String, i64)>, Vec<(String, String, i64)>), String> {
    let mut conn = app
        .engine
        .store
        .pool()
        .acquire()
        .await
        .map_err(|e| e.to_string())?;
    let inbox = inbox::counts(&mut conn).await.map_err(|e| e.to_string())?;
    let outbox = outbox::counts(&mut conn).await.map_err(|e| e.to_string())?;
    Ok((inbox, outbox))
}

/// Posts every request with `concurrency` clients, each with its own connection. Returns when
/// the last one was answered 200, and how many answers were not 200.
async fn post_all(
    posts: Vec<Post>,
    headers: &'static [(&'static str, &'static str)],
    concurrency: usize,
) -> Result<Posted, String> {
    let posts = Arc::new(posts);
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (posts, next) = (Arc::clone(&posts), Arc::clone(&next));
        clients.spawn(async move {
            let client = reqwest::Client::new();
            let mut rejected = 0;
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                let Some((endpoint, body)) = posts.get(k) else {
                    return Ok(rejected);
                };
                let mut tries = 0;
                loop {
                    let mut request = client.post(endpoint).body(body.clone());
                    for (name, value) in headers {
                        request = request.header(*name, *value);
                    }
                    let answer = request
                        .send()
                        .await
                        .map_err(|e| format!("POST {endpoint}: {e}"))?;
                    let status = answer.status();
                    if status == reqwest::StatusCode::OK {
                        break;
                    }
                    // Telegram and WeCom retry a non-2xx answer; so does this client, a few times.
                    rejected += 1;
                    tries += 1;
                    if tries == 10 {
                        let text = answer.text().await.unwrap_or_default();
                        return Err(format!(
                            "update {k} refused 10 times, last with {status} {text:?}"
                        ));
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        });
    }
    let mut rejected = 0;
    while let Some(done) = clients.join_next().await {
        rejected += done.map_err(|e| e.to_string())??;
    }
    Ok((Instant::now(), rejected))
}

/// Checks that the work measured is the work meant: every reply is the `/me` profile of the
/// chat's own member, and every update left a processed inbox row and a sent outbox row.
async fn check(app: &Application, fake: &FakeTelegram, args: &Args) -> Result<(), String> {
    let sent = fake.sent();
    if sent.len() != args.updates {
        return Err(format!(
            "{} replies for {} updates",
            sent.len(),
            args.updates
        ));
    }
    for s in &sent {
        let key = seed::member_key((s.chat_id - FIRST_CHAT) as usize);
        if !s.text.contains(&key) {
            return Err(format!(
                "the reply to chat {} is not its member's profile: {:?}",
                s.chat_id, s.text
            ));
        }
    }
    // The fake records a message before it answers: the worker marks the last rows sent a
    // moment after the clock stopped.
    let settle = Instant::now() + Duration::from_secs(10);
    let (inbox, outbox, done, delivered) = loop {
        let (inbox, outbox) = counts(app).await?;
        let done = inbox
            .iter()
            .find(|(s, _)| s == "done")
            .map_or(0, |(_, n)| *n);
        let delivered = outbox
            .iter()
            .find(|(c, s, _)| c == "telegram" && s == "sent")
            .map_or(0, |(_, _, n)| *n);
        if delivered == args.updates as i64 || Instant::now() > settle {
            break (inbox, outbox, done, delivered);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    if done != args.updates as i64 || delivered != args.updates as i64 {
        return Err(format!(
            "inbox {inbox:?}, outbox {outbox:?} after {} updates",
            args.updates
        ));
    }
    Ok(())
}

/// Checks every reply is the `/me` profile of the member who wrote, sent as a WeCom text to
/// their userid, and every callback left a processed inbox row and a sent outbox row.
async fn check_wecom(app: &Application, fake: &FakeWecom, args: &Args) -> Result<(), String> {
    let sent = fake.sent();
    if sent.len() != args.updates {
        return Err(format!(
            "{} replies for {} callbacks",
            sent.len(),
            args.updates
        ));
    }
    for s in &sent {
        if s.msgtype != "text" || !s.text.contains(&s.to) {
            return Err(format!(
                "the reply to {} is not its member's profile: {:?}",
                s.to, s.text
            ));
        }
    }
    // The fake records a message before it answers: the worker marks the last rows sent a
    // moment after the clock stopped.
    let settle = Instant::now() + Duration::from_secs(10);
    let (inbox, outbox, done, delivered) = loop {
        let (inbox, outbox) = counts(app).await?;
        let done = inbox
            .iter()
            .find(|(s, _)| s == "done")
            .map_or(0, |(_, n)| *n);
        let delivered = outbox
            .iter()
            .find(|(c, s, _)| c == "wecom" && s == "sent")
            .map_or(0, |(_, _, n)| *n);
        if delivered == args.updates as i64 || Instant::now() > settle {
            break (inbox, outbox, done, delivered);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    if done != args.updates as i64 || delivered != args.updates as i64 {
        return Err(format!(
            "inbox {inbox:?}, outbox {outbox:?} after {} callbacks",
            args.updates
        ));
    }
    Ok(())
}

/// A `kB` field of /proc/self/status (VmRSS, VmHWM), or 0 where there is none.
fn proc_status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| {
                    l.strip_prefix(field)?
                        .strip_prefix(':')
                        .map(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                })
                .flatten()
        })
        .unwrap_or(0)
}

/// User and system CPU time of this process so far, from /proc/self/stat (in USER_HZ ticks,
/// 100 a second on Linux).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    // utime and stime are fields 14 and 15 of the line: indexes 11 and 12 after the name.
    let ticks: u64 = [11, 12]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<u64>().ok())
        .sum();
    ticks as f64 / 100.0
}

/// Drops a database made by `fresh_postgres`, so benchmark runs do not pile up.
async fn drop_postgres(url: &str) {
    let Some((_, name)) = url.rsplit_once('/') else {
        return;
    };
    let Ok(options) = db::pg_admin_url().parse::<sqlx::postgres::PgConnectOptions>() else {
        return;
    };
    // Dropping takes a second or two; that is not worth a "slow statement" warning.
    let Ok(mut conn) = options.disable_statement_logging().connect().await else {
        return;
    };
    let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    if let Err(e) = conn.execute(sqlx::AssertSqlSafe(sql)).await {
        eprintln!("could not drop the benchmark database {name}: {e}");
    }
    let _ = conn.close().await;
}
