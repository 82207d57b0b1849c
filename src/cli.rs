//! The command line. `branchbot serve` runs the bot; the other commands work on the same
//! database: import a roster, make invite codes, list who is unbound, talk as a member.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand};

use crate::channels::console::Session;
use crate::clock::Clock;
use crate::config::Config;
use crate::delivery::Wake;
use crate::domain::roster;
use crate::flows::engine::Engine;
use crate::flows::start;
use crate::i18n::Catalog;
use crate::startup::{Application, Overrides};
use crate::store::{invites, members, Store};

/// The example college loaded into an empty database when no Telegram token is set.
pub const EXAMPLE_ROSTER: &str = include_str!("../examples/college.csv");

#[derive(Debug, Parser)]
#[command(
    name = "branchbot",
    version,
    about = "A Telegram and SMS bot for a college Party organisation's organisational life"
)]
pub struct Cli {
    /// Configuration file (default: branchbot.toml if present, or $BRANCHBOT_CONFIG).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// Database URL, overriding the configuration (sqlite://FILE or postgres://…).
    #[arg(long, global = true)]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the bot: HTTP server, Telegram (when TELOXIDE_TOKEN is set) and the workers. With no
    /// token and an empty database, loads the example college and opens a console chat.
    Serve {
        /// Do not open a console chat even when the terminal is interactive.
        #[arg(long)]
        no_console: bool,
    },
    /// Talk to the bot in this terminal as a member.
    Chat {
        /// The member's roster key or mobile number.
        #[arg(long = "as", value_name = "MEMBER")]
        member: String,
    },
    /// Load or update the roster from a CSV file (refused whole if any line is wrong).
    Import {
        file: PathBuf,
        /// Mark active members who are missing from the file as having left.
        #[arg(long)]
        prune: bool,
        /// Check the file and report what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Make an invite code and Telegram deep link for a member (or every unbound member of a branch).
    Invite {
        /// The member's roster key or mobile number.
        member: Option<String>,
        /// Every member of this branch who has not bound Telegram yet.
        #[arg(long, conflicts_with = "member")]
        branch: Option<String>,
    },
    /// List members who have not bound Telegram yet.
    Unbound {
        #[arg(long)]
        branch: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// SMS tools: `sms count '<text>'` (encoding and segments), `sms prefer MEMBER CHANNEL`.
    Sms {
        #[command(subcommand)]
        command: crate::channels::sms::cli::SmsCommand,
    },
}

/// A failure the user can fix, said plainly; exit code 2.
#[derive(Debug)]
struct UserError(String);

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(matches!(cli.command, Command::Chat { .. }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => match e.downcast::<UserErrorBox>() {
            Ok(user) => {
                eprintln!("{}", user.0 .0);
                ExitCode::from(2)
            }
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        },
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}", .0 .0)]
struct UserErrorBox(UserError);

fn user(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserErrorBox(UserError(msg.into())))
}

fn init_tracing(quiet: bool) {
    let default = if quiet { "warn" } else { "info,sqlx=warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BRANCHBOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn load_config(cli: &Cli) -> anyhow::Result<Config> {
    let mut config =
        Config::load(cli.config.as_deref()).map_err(|e| user(format!("configuration: {e}")))?;
    if let Some(db) = &cli.database {
        config.database_url = db.clone();
    }
    Ok(config)
}

async fn engine(config: &Config) -> anyhow::Result<Engine> {
    let store = Store::open(&config.database_url)
        .await
        .map_err(|e| match e {
            crate::store::StoreError::BadUrl(_) => user(e.to_string()),
            other => anyhow::Error::new(other).context(format!("opening {}", config.database_url)),
        })?;
    Ok(Engine {
        store,
        catalog: Arc::new(Catalog::load().map_err(anyhow::Error::msg)?),
        clock: Clock::System,
        org_locale: config.locale,
        invite_ttl_hours: config.invites.ttl_hours,
        wake: Wake::default(),
    })
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = load_config(&cli)?;
    match cli.command {
        Command::Serve { no_console } => serve(config, no_console).await,
        Command::Chat { member } => chat(&config, &member).await,
        Command::Import {
            file,
            prune,
            dry_run,
        } => import(&config, &file, prune, dry_run).await,
        Command::Invite { member, branch } => {
            invite(&config, member.as_deref(), branch.as_deref()).await
        }
        Command::Unbound { branch } => unbound(&config, branch.as_deref()).await,
        Command::Sms { command } => sms(&config, command).await,
        Command::Migrate => {
            let e = engine(&config).await?;
            println!("migrations applied: {}", config.database_url);
            e.store.close().await;
            Ok(())
        }
    }
}

async fn serve(config: Config, no_console: bool) -> anyhow::Result<()> {
    let demo = config.telegram.token.is_none();
    if demo {
        let e = engine(&config).await?;
        let mut conn = e.store.pool().acquire().await?;
        let (_, _, count) = members::counts(&mut conn).await?;
        if count == 0 {
            let roster = roster::parse(EXAMPLE_ROSTER.as_bytes(), config.locale)
                .map_err(|p| anyhow::anyhow!("example roster: {p:?}"))?;
            let mut tx = e.store.begin().await?;
            members::import(&mut tx, &roster, false, e.clock.now_ms()).await?;
            tx.commit().await?;
            eprintln!("No Telegram token (TELOXIDE_TOKEN) and an empty database: loaded the example college ({} members).", roster.members.len());
        }
        drop(conn);
        e.store.close().await;
    }
    let app = Application::build(config.clone(), Overrides::default()).await?;
    eprintln!("branchbot is listening on http://{} (health: /healthz, readiness: /readyz, metrics: /metrics)", app.addr);
    let cancel = app.cancel_token();
    tokio::spawn({
        let cancel = cancel.clone();
        async move {
            let _ = tokio::signal::ctrl_c().await;
            cancel.cancel();
        }
    });
    if demo {
        eprintln!("Telegram is off (set TELOXIDE_TOKEN to connect a bot). Talk to the bot locally with: branchbot chat --as <member key>");
        if !no_console && std::io::stdin().is_terminal() {
            let engine = app.engine.clone();
            let mut conn = engine.store.pool().acquire().await?;
            let secretary = members::list(&mut conn, None)
                .await?
                .into_iter()
                .find(|m| m.role == crate::domain::org::Role::Secretary);
            drop(conn);
            if let Some(member) = secretary {
                eprintln!("Opening a console chat as {} ({}). Ctrl-D leaves the chat and stops the server.", member.name, member.key);
                let out: Arc<Mutex<dyn std::io::Write + Send>> =
                    Arc::new(Mutex::new(std::io::stdout()));
                let mut session = Session::open(engine, member, out).await?;
                session
                    .run(tokio::io::BufReader::new(tokio::io::stdin()), true)
                    .await?;
                cancel.cancel();
            }
        }
    }
    app.run_until_stopped().await;
    Ok(())
}

async fn chat(config: &Config, who: &str) -> anyhow::Result<()> {
    let e = engine(config).await?;
    let mut conn = e.store.pool().acquire().await?;
    let member = members::find(&mut conn, who)
        .await?
        .ok_or_else(|| user(format!("no active member with key or mobile number '{who}' (see the roster; import one with: branchbot import FILE)")))?;
    drop(conn);
    let out: Arc<Mutex<dyn std::io::Write + Send>> = Arc::new(Mutex::new(std::io::stdout()));
    let mut session = Session::open(e.clone(), member, out).await?;
    session
        .run(
            tokio::io::BufReader::new(tokio::io::stdin()),
            std::io::stdin().is_terminal(),
        )
        .await?;
    e.store.close().await;
    Ok(())
}

async fn import(
    config: &Config,
    file: &std::path::Path,
    prune: bool,
    dry_run: bool,
) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).map_err(|e| user(format!("cannot read {}: {e}", file.display())))?;
    let roster = roster::parse(&bytes, config.locale).map_err(|problems| {
        let mut text = format!(
            "{}: refused, nothing was imported ({} problem{}):",
            file.display(),
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        for p in &problems {
            text.push_str(&format!("\n  {p}"));
        }
        user(text)
    })?;
    let e = engine(config).await?;
    let mut tx = e.store.begin().await?;
    let summary = match members::import(&mut tx, &roster, prune, e.clock.now_ms()).await {
        Ok(s) => s,
        Err(members::ImportError::Conflicts(problems)) => {
            tx.rollback().await?;
            let mut text = format!("{}: refused, nothing was imported:", file.display());
            for p in &problems {
                text.push_str(&format!("\n  {p}"));
            }
            return Err(user(text));
        }
        Err(members::ImportError::Store(e)) => return Err(e.into()),
    };
    if dry_run {
        tx.rollback().await?;
    } else {
        tx.commit().await?;
    }
    println!(
        "{}{}: {} branches and {} party groups created; {} members added, {} updated, {} unchanged.",
        if dry_run { "Dry run, nothing written. " } else { "" },
        file.display(),
        summary.branches_created,
        summary.groups_created,
        summary.members_created,
        summary.members_updated,
        summary.members_unchanged
    );
    if !summary.missing.is_empty() {
        if prune {
            println!(
                "{} members not in the file were marked as having left: {}",
                summary.missing.len(),
                summary.missing.join(", ")
            );
        } else {
            println!("{} active members are not in the file (use --prune to mark them as having left): {}", summary.missing.len(), summary.missing.join(", "));
        }
    }
    e.store.close().await;
    Ok(())
}

async fn bot_username(config: &Config) -> Option<String> {
    if let Some(u) = &config.telegram.username {
        return Some(u.clone());
    }
    let token = config.telegram.token.as_deref()?;
    let bot = crate::channels::telegram::bot(token, config.telegram.api_url.as_deref()).ok()?;
    use teloxide::requests::Requester;
    bot.get_me()
        .await
        .ok()
        .and_then(|me| me.user.username.clone())
}

async fn invite(config: &Config, who: Option<&str>, branch: Option<&str>) -> anyhow::Result<()> {
    let e = engine(config).await?;
    let mut conn = e.store.pool().acquire().await?;
    let targets =
        match (who, branch) {
            (Some(who), _) => vec![members::find(&mut conn, who).await?.ok_or_else(|| {
                user(format!(
                    "no active member with key or mobile number '{who}'"
                ))
            })?],
            (None, Some(b)) => {
                let id = members::branch_id(&mut conn, b)
                    .await?
                    .ok_or_else(|| user(format!("no branch named '{b}'")))?;
                members::unbound(&mut conn, "telegram", Some(id)).await?
            }
            (None, None) => return Err(user(
                "name a member (branchbot invite KEY) or a branch (branchbot invite --branch NAME)",
            )),
        };
    drop(conn);
    let username = bot_username(config).await;
    let now = e.clock.now_ms();
    let expires = now + config.invites.ttl_hours * 3600 * 1000;
    let until = chrono::DateTime::from_timestamp_millis(expires)
        .map(|d| {
            d.with_timezone(&config.tz().unwrap_or(chrono_tz::Asia::Shanghai))
                .format("%Y-%m-%d %H:%M %Z")
                .to_string()
        })
        .unwrap_or_default();
    if targets.is_empty() {
        println!("Everyone in that branch has bound Telegram already.");
    }
    let mut tx = e.store.begin().await?;
    let mut lines = Vec::new();
    for m in &targets {
        let code = start::new_code();
        invites::create(&mut tx, m.id, &start::normalize_code(&code), now, expires).await?;
        let link = match &username {
            Some(u) => format!("https://t.me/{u}?start={code}"),
            None => format!("https://t.me/<bot username>?start={code}"),
        };
        lines.push(format!("{}\t{}\t{}\t{}", m.key, m.name, code, link));
    }
    tx.commit().await?;
    for l in &lines {
        println!("{l}");
    }
    if !lines.is_empty() {
        println!("Codes are single-use and valid until {until}. In Telegram the member opens the link or sends: /start CODE");
        if username.is_none() {
            println!("(Set telegram.username or TELOXIDE_TOKEN to print the bot's real username in the links.)");
        }
    }
    e.store.close().await;
    Ok(())
}

async fn unbound(config: &Config, branch: Option<&str>) -> anyhow::Result<()> {
    let e = engine(config).await?;
    let mut conn = e.store.pool().acquire().await?;
    let scope = match branch {
        Some(b) => Some(
            members::branch_id(&mut conn, b)
                .await?
                .ok_or_else(|| user(format!("no branch named '{b}'")))?,
        ),
        None => None,
    };
    let list = members::unbound(&mut conn, "telegram", scope).await?;
    if list.is_empty() {
        println!("Every member has bound Telegram.");
    }
    for m in &list {
        println!(
            "{}\t{}\t{}\t{}",
            m.key,
            m.name,
            m.branch_name.as_deref().unwrap_or("-"),
            if m.phone.is_some() {
                "SMS"
            } else {
                "no mobile"
            }
        );
    }
    drop(conn);
    e.store.close().await;
    Ok(())
}

async fn sms(
    config: &Config,
    command: crate::channels::sms::cli::SmsCommand,
) -> anyhow::Result<()> {
    use crate::channels::sms::cli::SmsCommand;
    use crate::delivery::route::Preference;
    match command {
        SmsCommand::Count { text } => println!("{}", crate::channels::sms::cli::count(&text)),
        SmsCommand::Prefer { member, channel } => {
            let pref = Preference::parse(&channel)
                .ok_or_else(|| user(format!("'{channel}' is not telegram, sms or both")))?;
            let e = engine(config).await?;
            let mut conn = e.store.pool().acquire().await?;
            let m = members::find(&mut conn, &member).await?.ok_or_else(|| {
                user(format!(
                    "no active member with key or mobile number '{member}'"
                ))
            })?;
            crate::store::sms::set_preference(&mut conn, m.id, pref.as_str(), e.clock.now_ms())
                .await?;
            println!("{} ({}): pushes go to {}", m.name, m.key, pref.as_str());
            drop(conn);
            e.store.close().await;
        }
    }
    Ok(())
}
