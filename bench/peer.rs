//! Side by side with python-telegram-bot: the same updates and the same broadcast, against the
//! same fake Bot API, for branchbot (its release binary, `branchbot serve`, on SQLite and on
//! PostgreSQL) and for a python-telegram-bot bot written as its documentation shows
//! (`bench/peer_ptb.py`, version [`PTB_VERSION`], installed by this bench into a virtual
//! environment of its own).
//!
//! - **inbound**: N `/me` updates from M chats wait on the fake before the bot starts; each bot
//!   fetches them by long polling and answers every one with the member's profile. The rate
//!   runs from the bot's first getUpdates to the last reply; the fake's limits are lifted (and
//!   branchbot's own limiter opened wide), so the figure is each bot's own ceiling. Also: the
//!   bot process's peak RSS (VmHWM) over the backlog and its RSS after some idle seconds.
//! - **broadcast**: one message to each of B chats at Telegram's limits, which the fake enforces
//!   in strict sliding windows (more than 30 in any second overall, or more than one a second
//!   to a chat, is answered 429). branchbot drains B outbox rows queued before it starts;
//!   python-telegram-bot sends them at once through `AIORateLimiter` with its defaults. The
//!   rate runs from the first message the fake accepted to the last; 429s and the chats never
//!   reached (lost) are counted.
//!
//! Rounds are interleaved (python-telegram-bot, branchbot SQLite, branchbot PostgreSQL, then
//! again) and the table shows medians. Each bot is its own process, so each RSS is its own;
//! the fake runs in this process.
//!
//! `cargo bench --bench peer -- [--updates N] [--members M] [--broadcast B] [--rounds R]
//! [--bots ptb,sqlite,postgres] [--measure inbound|broadcast|both] [--other-core idle|busy]`

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Store;
use branchbot::testkit::db::{drop_postgres_blocking, fresh_postgres, TempSqlite};
use branchbot::testkit::fake_telegram::FakeTelegram;
use clap::{Parser, ValueEnum};

#[path = "common/mod.rs"]
mod common;
use common::machine::{Machine, OtherCore};
use common::seed::{self, FIRST_CHAT};

/// The python-telegram-bot release the peer runs.
const PTB_VERSION: &str = "22.8";
const TOKEN: &str = "1:peer";
const NOTICE: &str = "【通知】请于周五前提交个人承诺践诺情况。收到请回复。";

#[derive(Debug, Parser)]
#[command(about = "branchbot and python-telegram-bot side by side on one fake Bot API")]
struct Args {
    /// `/me` updates waiting when the bot starts (inbound).
    #[arg(long, default_value_t = 20_000)]
    updates: usize,
    /// Distinct chats (bound members) they come from.
    #[arg(long, default_value_t = 2_000)]
    members: usize,
    /// Chats the broadcast goes to, one message each.
    #[arg(long, default_value_t = 900)]
    broadcast: usize,
    /// Interleaved rounds; the table shows medians.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Which bots run, comma separated.
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [Bot::Ptb, Bot::Sqlite, Bot::Postgres])]
    bots: Vec<Bot>,
    #[arg(long, value_enum, default_value_t = Measure::Both)]
    measure: Measure,
    /// What the machine's other core does meanwhile: `idle`, or `busy` with a CPU hog the
    /// bench starts; a run that strays from it is reported as not figures.
    #[arg(long, value_enum, default_value_t = OtherCore::Idle)]
    other_core: OtherCore,
    /// Seconds the bot stays idle after the inbound load before its RSS is read.
    #[arg(long, default_value_t = 10)]
    idle_secs: u64,
    /// Give up on a run after this many seconds.
    #[arg(long, default_value_t = 600)]
    timeout_secs: u64,
    /// Where python-telegram-bot is installed (made when missing).
    #[arg(long)]
    venv: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ValueEnum)]
enum Bot {
    /// python-telegram-bot.
    Ptb,
    /// branchbot on SQLite.
    Sqlite,
    /// branchbot on PostgreSQL.
    Postgres,
}

impl Bot {
    fn title(self) -> String {
        match self {
            Bot::Ptb => format!("python-telegram-bot {PTB_VERSION}"),
            Bot::Sqlite => "branchbot SQLite".into(),
            Bot::Postgres => "branchbot PostgreSQL".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Measure {
    Inbound,
    Broadcast,
    Both,
}

/// One inbound run.
#[derive(Debug, Clone, Copy, Default)]
struct Inbound {
    rate: f64,
    peak_rss_kib: u64,
    idle_rss_kib: u64,
    rejected_429: u64,
    lost: usize,
    wrong: usize,
}

/// One broadcast run.
#[derive(Debug, Clone, Copy, Default)]
struct Broadcast {
    rate: f64,
    rejected_429: u64,
    lost: usize,
    peak_rss_kib: u64,
}

/// The database a branchbot run uses, removed when dropped.
enum Db {
    Sqlite(TempSqlite),
    Postgres(String),
}

impl Db {
    async fn fresh(bot: Bot) -> Result<Self, String> {
        match bot {
            Bot::Postgres => fresh_postgres().await.map(Db::Postgres).map_err(|e| e.0),
            _ => Ok(Db::Sqlite(TempSqlite::new())),
        }
    }

    fn url(&self) -> &str {
        match self {
            Db::Sqlite(t) => &t.url,
            Db::Postgres(url) => url,
        }
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Db::Postgres(url) = self {
            drop_postgres_blocking(url);
        }
    }
}

/// A bot process and what it leaves behind.
struct Running {
    child: Child,
    log: PathBuf,
    _dir: tempfile::TempDir,
    _db: Option<Db>,
}

impl Running {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process has ended (with its status).
    fn ended(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the process and waits for it (so its CPU counts as this bench's own).
    fn stop(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// The last lines of its log, to say why it failed.
    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(8)..].join("\n")
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    if args.updates == 0 || args.members == 0 || args.broadcast == 0 || args.rounds == 0 {
        eprintln!("--updates, --members, --broadcast and --rounds must be at least 1");
        return ExitCode::FAILURE;
    }
    let python = if args.bots.contains(&Bot::Ptb) {
        let venv = args
            .venv
            .clone()
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/peer-venv"));
        match ensure_venv(&venv) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("python-telegram-bot: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(run(&args, python.as_deref()))
}

async fn run(args: &Args, python: Option<&Path>) -> ExitCode {
    println!(
        "side by side: inbound {} `/me` updates from {} chats (limits lifted); broadcast to {} chats at Telegram's limits (strict sliding windows); {} interleaved round(s)",
        args.updates, args.members, args.broadcast, args.rounds
    );
    let machine = Machine::start(args.other_core);
    let mut inbound: HashMap<Bot, Vec<Inbound>> = HashMap::new();
    let mut broadcast: HashMap<Bot, Vec<Broadcast>> = HashMap::new();
    let mut failed = false;
    for round in 1..=args.rounds {
        for &bot in &args.bots {
            if args.measure != Measure::Broadcast {
                match run_inbound(args, bot, python).await {
                    Ok(r) => {
                        eprintln!("round {round} {} inbound: {r:?}", bot.title());
                        failed |= r.lost > 0 || r.wrong > 0;
                        inbound.entry(bot).or_default().push(r);
                    }
                    Err(e) => {
                        eprintln!("round {round} {} inbound FAILED: {e}", bot.title());
                        failed = true;
                    }
                }
            }
            if args.measure != Measure::Inbound {
                match run_broadcast(args, bot, python).await {
                    Ok(r) => {
                        eprintln!("round {round} {} broadcast: {r:?}", bot.title());
                        broadcast.entry(bot).or_default().push(r);
                    }
                    Err(e) => {
                        eprintln!("round {round} {} broadcast FAILED: {e}", bot.title());
                        failed = true;
                    }
                }
            }
        }
    }
    let verdict = machine.finish();
    print_table(args, &inbound, &broadcast);
    println!("{}", verdict.line());
    if failed || !verdict.stands() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn median<T: Copy>(runs: &[T], key: impl Fn(&T) -> f64) -> f64 {
    let mut v: Vec<f64> = runs.iter().map(key).collect();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn print_table(
    args: &Args,
    inbound: &HashMap<Bot, Vec<Inbound>>,
    broadcast: &HashMap<Bot, Vec<Broadcast>>,
) {
    let bots = &args.bots;
    println!();
    println!(
        "| measure (median of {}) | {} |",
        args.rounds,
        bots.iter()
            .map(|b| b.title())
            .collect::<Vec<_>>()
            .join(" | ")
    );
    println!("|---|{}", "---:|".repeat(bots.len()));
    let ptb_rate = inbound.get(&Bot::Ptb).map(|r| median(r, |x| x.rate));
    let mib = |kib: f64| format!("{:.1} MiB", kib / 1024.0);
    let row = |name: &str, cell: &dyn Fn(Bot) -> Option<String>| {
        println!(
            "| {name} | {} |",
            bots.iter()
                .map(|&b| cell(b).unwrap_or_else(|| "–".into()))
                .collect::<Vec<_>>()
                .join(" | ")
        );
    };
    if args.measure != Measure::Broadcast {
        row("inbound by long polling, updates/s", &|b| {
            let runs = inbound.get(&b)?;
            let rate = median(runs, |x| x.rate);
            Some(match ptb_rate {
                Some(p) if b != Bot::Ptb && p > 0.0 => format!("{rate:.0} ({:.1}×)", rate / p),
                _ => format!("{rate:.0}"),
            })
        });
        row(
            &format!("peak RSS over the {}-update backlog", args.updates),
            &|b| Some(mib(median(inbound.get(&b)?, |x| x.peak_rss_kib as f64))),
        );
        row(&format!("RSS after {} s idle", args.idle_secs), &|b| {
            Some(mib(median(inbound.get(&b)?, |x| x.idle_rss_kib as f64)))
        });
        row("inbound: 429s / replies lost / wrong", &|b| {
            let runs = inbound.get(&b)?;
            Some(format!(
                "{} / {} / {}",
                median(runs, |x| x.rejected_429 as f64),
                median(runs, |x| x.lost as f64),
                median(runs, |x| x.wrong as f64)
            ))
        });
    }
    if args.measure != Measure::Inbound {
        row(
            &format!("broadcast to {} at 30/s, msg/s", args.broadcast),
            &|b| Some(format!("{:.1}", median(broadcast.get(&b)?, |x| x.rate))),
        );
        row("broadcast: 429s / lost", &|b| {
            let runs = broadcast.get(&b)?;
            Some(format!(
                "{} / {}",
                median(runs, |x| x.rejected_429 as f64),
                median(runs, |x| x.lost as f64)
            ))
        });
        row("broadcast: peak RSS", &|b| {
            Some(mib(median(broadcast.get(&b)?, |x| x.peak_rss_kib as f64)))
        });
    }
}

/// The virtual environment's python with python-telegram-bot [`PTB_VERSION`] (and its rate
/// limiter) installed, installing it when missing.
fn ensure_venv(venv: &Path) -> Result<PathBuf, String> {
    let python = venv.join("bin/python");
    let check = format!(
        "import sys, telegram, aiolimiter; sys.exit(telegram.__version__ != '{PTB_VERSION}')"
    );
    let ready = |python: &Path| {
        Command::new(python)
            .args(["-c", &check])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if ready(&python) {
        return Ok(python);
    }
    eprintln!(
        "installing python-telegram-bot {PTB_VERSION} into {}",
        venv.display()
    );
    let status = |mut c: Command, what: &str| match c.status() {
        Ok(s) if s.success() => Ok(()),
        Ok(s) => Err(format!("{what} ended with {s}")),
        Err(e) => Err(format!("cannot run {what}: {e}")),
    };
    let mut make = Command::new("python3");
    make.args(["-m", "venv"]).arg(venv);
    status(make, "python3 -m venv")?;
    let mut pip = Command::new(venv.join("bin/pip"));
    pip.args([
        "install",
        "--quiet",
        &format!("python-telegram-bot[rate-limiter]=={PTB_VERSION}"),
    ]);
    status(pip, "pip install python-telegram-bot")?;
    if ready(&python) {
        Ok(python)
    } else {
        Err("installed, but `import telegram, aiolimiter` still fails".into())
    }
}

fn profile(i: usize) -> String {
    format!(
        "成员{i}（{}）\n第{}学生党支部 · 第一党小组 · 党员",
        seed::member_key(i),
        i % 20 + 1
    )
}

/// A free port on 127.0.0.1 for the bot's HTTP server.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts a bot process against `fake`. branchbot: `branchbot serve` on `db`, with Telegram's
/// limits or with them opened wide. python-telegram-bot: `peer_ptb.py` with `ptb_args`.
fn start(
    bot: Bot,
    fake: &FakeTelegram,
    db: Option<Db>,
    python: Option<&Path>,
    ptb_args: &[String],
    limits_lifted: bool,
) -> Result<Running, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let log = dir.path().join("bot.log");
    let log_file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
    let mut command = match bot {
        Bot::Ptb => {
            let python = python.ok_or("python-telegram-bot is not installed")?;
            let mut c = Command::new(python);
            c.arg(concat!(env!("CARGO_MANIFEST_DIR"), "/bench/peer_ptb.py"))
                .args(ptb_args);
            c
        }
        Bot::Sqlite | Bot::Postgres => {
            let db = db.as_ref().ok_or("no database")?;
            let mut c = Command::new(env!("CARGO_BIN_EXE_branchbot"));
            c.args(["serve", "--no-console"])
                .env("BRANCHBOT_DATABASE_URL", db.url())
                .env("TELOXIDE_TOKEN", TOKEN)
                .env("BRANCHBOT_TELEGRAM_API_URL", fake.api_url())
                .env(
                    "BRANCHBOT_HTTP_LISTEN",
                    format!("127.0.0.1:{}", free_port()),
                )
                .env("RUST_LOG", "warn")
                // PostgreSQL needs the shared anonymity key (docs/PRIVACY.md); any fixed one.
                .env("BRANCHBOT_ANONYMITY_KEY", "7e".repeat(32));
            if limits_lifted {
                c.env("BRANCHBOT_TELEGRAM_PER_SECOND", "1000000")
                    .env("BRANCHBOT_TELEGRAM_PER_CHAT_PER_SECOND", "1000000");
            }
            c
        }
    };
    let child = command
        .current_dir(dir.path())
        .env_remove("BRANCHBOT_CONFIG")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
        .stderr(log_file)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bot.title()))?;
    Ok(Running {
        child,
        log,
        _dir: dir,
        _db: db,
    })
}

fn proc_status_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

async fn run_inbound(args: &Args, bot: Bot, python: Option<&Path>) -> Result<Inbound, String> {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(false);
    let members_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (db, ptb_args) = match bot {
        Bot::Ptb => {
            let profiles: HashMap<String, String> = (0..args.members)
                .map(|i| ((FIRST_CHAT + i as i64).to_string(), profile(i)))
                .collect();
            let path = members_dir.path().join("members.json");
            std::fs::write(&path, serde_json::to_vec(&profiles).unwrap())
                .map_err(|e| e.to_string())?;
            (
                None,
                vec!["inbound".into(), fake.api_url(), path.display().to_string()],
            )
        }
        _ => {
            let db = Db::fresh(bot).await?;
            seed::members(db.url(), args.members, true).await?;
            (Some(db), Vec::new())
        }
    };
    for k in 0..args.updates {
        fake.push(fake.text_update(FIRST_CHAT + (k % args.members) as i64, "/me", "zh-hans"));
    }
    let mut running = start(bot, &fake, db, python, &ptb_args, true)?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs);
    let mut last_sent = 0;
    let mut last_move = Instant::now();
    let end = loop {
        if fake.first_poll().is_none() {
            last_move = Instant::now();
        }
        let sent = fake.sent_count();
        let now = Instant::now();
        if sent >= args.updates {
            break now;
        }
        if sent != last_sent {
            (last_sent, last_move) = (sent, now);
        }
        if let Some(status) = running.ended() {
            let tail = running.log_tail();
            running.stop();
            return Err(format!("the bot ended with {status}:\n{tail}"));
        }
        if now > deadline || (sent > 0 && now.duration_since(last_move) > Duration::from_secs(30)) {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let pid = running.pid();
    let peak_rss_kib = proc_status_kib(pid, "VmHWM:");
    let start = fake.first_poll().ok_or("the bot never polled")?;
    tokio::time::sleep(Duration::from_secs(args.idle_secs)).await;
    let idle_rss_kib = proc_status_kib(pid, "VmRSS:");
    running.stop();
    let sent = fake.sent();
    let wrong = sent
        .iter()
        .filter(|s| {
            let i = (s.chat_id - FIRST_CHAT) as usize;
            !s.text.contains(&seed::member_key(i))
        })
        .count();
    let answered = sent.len().min(args.updates);
    Ok(Inbound {
        rate: answered as f64 / end.duration_since(start).as_secs_f64(),
        peak_rss_kib,
        idle_rss_kib,
        rejected_429: fake.rejected_429(),
        lost: args.updates - answered,
        wrong,
    })
}

async fn run_broadcast(args: &Args, bot: Bot, python: Option<&Path>) -> Result<Broadcast, String> {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(true);
    let chats: Vec<i64> = (0..args.broadcast as i64).map(|i| FIRST_CHAT + i).collect();
    let chats_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let (db, ptb_args) = match bot {
        Bot::Ptb => {
            let path = chats_dir.path().join("chats.json");
            std::fs::write(&path, serde_json::to_vec(&chats).unwrap())
                .map_err(|e| e.to_string())?;
            (
                None,
                vec![
                    "broadcast".into(),
                    fake.api_url(),
                    path.display().to_string(),
                    NOTICE.into(),
                ],
            )
        }
        _ => {
            let db = Db::fresh(bot).await?;
            let store = Store::open(db.url()).await.map_err(|e| e.to_string())?;
            let rows: Vec<NewMessage> = chats
                .iter()
                .map(|chat| NewMessage {
                    channel: "telegram".into(),
                    address: chat.to_string(),
                    member_id: None,
                    body: NOTICE.into(),
                    choices_json: "[]".into(),
                    dedupe_key: format!("peer:{chat}"),
                    urgent: true,
                    not_before: 0,
                    expires_at: None,
                    segments: 1,
                })
                .collect();
            let mut tx = store.begin().await.map_err(|e| e.to_string())?;
            outbox::enqueue(&mut tx, &rows, 0)
                .await
                .map_err(|e| e.to_string())?;
            tx.commit().await.map_err(|e| e.to_string())?;
            store.close().await;
            (Some(db), Vec::new())
        }
    };
    let mut running = start(bot, &fake, db, python, &ptb_args, false)?;
    let deadline = Instant::now() + Duration::from_secs(args.timeout_secs);
    let (mut first, mut last, mut seen) = (None, None, 0);
    let mut peak_rss_kib = 0;
    let exited = loop {
        let sent = fake.sent_count();
        let now = Instant::now();
        if sent > seen {
            first.get_or_insert(now);
            (last, seen) = (Some(now), sent);
        }
        peak_rss_kib = peak_rss_kib.max(proc_status_kib(running.pid(), "VmHWM:"));
        if sent >= args.broadcast || now > deadline {
            break None;
        }
        if let Some(status) = running.ended() {
            break Some(status);
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    if let (Some(status), Bot::Sqlite | Bot::Postgres) = (exited, bot) {
        let tail = running.log_tail();
        running.stop();
        return Err(format!("branchbot ended with {status}:\n{tail}"));
    }
    running.stop();
    let reached: std::collections::HashSet<i64> = fake.sent().iter().map(|s| s.chat_id).collect();
    let lost = chats.iter().filter(|c| !reached.contains(c)).count();
    let rate = match (first, last) {
        (Some(f), Some(l)) if seen > 1 && l > f => {
            (seen - 1) as f64 / l.duration_since(f).as_secs_f64()
        }
        _ => 0.0,
    };
    Ok(Broadcast {
        rate,
        rejected_429: fake.rejected_429(),
        lost,
        peak_rss_kib,
    })
}
