//! The command line. `branchbot serve` runs the bot; the other commands work on the same
//! database: import a roster, list the members, make invite codes, list who is unbound, talk
//! as a member.
//!
//! Everything printed for a person goes through the catalog in the organisation's locale
//! (`locale` in the configuration, or `BRANCHBOT_LOCALE`). Lists (`members`, `unbound`,
//! `invite`) print their rows on stdout, tab-separated or, with `--csv`, as CSV with a header
//! row; their localized header and footer lines go to stderr, so `> file` keeps only the rows.
//! A mistake the user can fix exits with code 2 and says what to do next; an internal error
//! exits with code 1. Clap's own `--help` and usage errors stay in English.

use std::collections::HashSet;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::{Parser, Subcommand};

mod audit;
mod calendar;
mod feedback;
mod inbox;
mod pushes;
mod report;

use crate::channels::console::Session;
use crate::clock::Clock;
use crate::config::Config;
use crate::delivery::Wake;
use crate::domain::org::{Member, Role};
use crate::domain::phone::Phone;
use crate::domain::roster::{self, Column, RosterProblem};
use crate::flows::engine::Engine;
use crate::flows::start;
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::startup::{Application, Overrides, StartError};
use crate::store::audit::{Action, Actor};
use crate::store::{invites, members, Store, StoreError};
use crate::terminal::branch_named;
pub(crate) use crate::terminal::{find_branch, print_table, Failure, Outcome, Ui};

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
    /// List the active members: key, name, branch, party group, role, masked mobile number and
    /// whether they have bound Telegram.
    Members {
        /// Only the members of this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
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
        /// Only the members of this branch.
        #[arg(long)]
        branch: Option<String>,
        /// Print CSV with a header row instead of tab-separated rows.
        #[arg(long)]
        csv: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Show the delivery queue: messages per channel and status, send rate, 429s, the oldest
    /// waiting message, and the inbox.
    Status,
    /// Where a member's pushes go, in order: `prefer KEY wecom,sms`; one channel alone
    /// (`telegram`, `wecom`, `sms`, `console`) allows only it; `both` is Telegram, WeCom, SMS.
    Prefer {
        /// The member's roster key or mobile number.
        member: String,
        /// Channels in order, separated by commas, or `both`.
        channels: String,
    },
    /// SMS tools: `sms count '<text>'` (encoding and segments), `sms prefer MEMBER CHANNEL`.
    Sms {
        #[command(subcommand)]
        command: crate::channels::sms::cli::SmsCommand,
    },
    /// Work with schedules, e.g. `branchbot schedule preview '30 19 * * Wed'`.
    Schedule {
        #[command(subcommand)]
        command: ScheduleCommand,
    },
    /// The calendar of 法定节假日, 调休 and vacations: `calendar load FILE`, `calendar show
    /// [YEAR]`.
    Calendar {
        #[command(subcommand)]
        command: calendar::CalendarCommand,
    },
    /// The campaign: `campaign load FILE`, `campaign show`, `campaign status`.
    Campaign {
        #[command(subcommand)]
        command: crate::campaign::cli::CampaignCommand,
    },
    /// Notices: `notice send --scope … --text …`, `notice status [ID]`.
    Notice {
        #[command(subcommand)]
        command: crate::notices::cli::NoticeCommand,
    },
    /// Feedback targets: `targets load FILE` (CSV or TOML, refused whole if any line is wrong).
    Targets {
        #[command(subcommand)]
        command: feedback::TargetsCommand,
    },
    /// Write a printable plaque for a feedback target: `<code>.svg` and `<code>.png` with the
    /// QR code of its Telegram link, its name and an invitation (the PNG needs a CJK font).
    Qr {
        /// The target's code.
        code: String,
        /// Where to write the files (default: the current directory).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Reports for the committee, printed and written as CSV and XLSX:
    /// `report <meetings|pledges|notices|feedback|evaluation|campaign> [--period P]
    /// [--branch NAME] [--out DIR] [--csv]`, and `report charts` (SVG and PNG).
    Report {
        #[command(subcommand)]
        command: report::ReportCommand,
    },
    /// Meetings (三会一课): `meeting create --branch … --kind … --at 'YYYY-MM-DD HH:MM' --place …
    /// --topic …`, `meeting list`, `meeting cancel ID`, `meeting series`.
    Meeting {
        #[command(subcommand)]
        command: crate::meetings::cli::MeetingCommand,
    },
    /// Evaluation rounds: `evaluation open --branch … --from … --to …`.
    Evaluation {
        #[command(subcommand)]
        command: crate::evaluation::cli::EvaluationCommand,
    },
    /// The log of administrative actions (imports, notices, meetings, rounds, hidden comments,
    /// spot checks): `audit [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--action A]
    /// [--member KEY] [--limit N] [--csv]`.
    Audit(audit::AuditArgs),
    /// Spot checks (随机抽查) and their findings: `spotcheck list [--branch NAME] [--csv]`.
    Spotcheck {
        #[command(subcommand)]
        command: crate::spotcheck::cli::SpotcheckCommand,
    },
    /// 发展党员: `recruit import FILE`, `recruit list [--branch NAME] [--csv]`, `recruit show
    /// KEY`, `recruit record KEY STEP [DATE] [details…]`, `recruit record KEY paper NAME
    /// [DATE]`, `recruit notice KEY`.
    Recruit {
        #[command(subcommand)]
        command: crate::recruitment::cli::RecruitCommand,
    },
    /// 党费: `dues import FILE`, `dues import-payments FILE`, `dues keeper BRANCH KEY`, `dues
    /// record KEY MONTH AMOUNT`, `dues correct KEY MONTH AMOUNT`, `dues show KEY`.
    Dues {
        #[command(subcommand)]
        command: crate::dues::cli::DuesCommand,
    },
    /// Photos and files: `attachments list [--meeting N | --branch NAME] [--csv]`,
    /// `attachments sweep [--dry-run]`.
    Attachments {
        #[command(subcommand)]
        command: crate::attachments::cli::AttachmentsCommand,
    },
    /// Service activities: `activity log --branch B --kind K --date D --place P
    /// --participants KEY,KEY TEXT`, `activity list`, `activity show ID`.
    Activity {
        #[command(subcommand)]
        command: crate::records::cli::ActivityCommand,
    },
    /// Branch work plans: `plan publish --branch B FILE`, `plan show B`, `plan missing`.
    Plan {
        #[command(subcommand)]
        command: crate::records::cli::PlanCommand,
    },
    /// 领导点评: `comment add --branch B --phase N [--member KEY] TEXT`, `comment list`.
    Comment {
        #[command(subcommand)]
        command: crate::records::cli::CommentCommand,
    },
    /// Inbound updates that failed: `inbox failed [--csv]` lists them, `inbox failed --retry
    /// NUMBER` puts one back to be processed again.
    Inbox {
        #[command(subcommand)]
        command: inbox::InboxCommand,
    },
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(!matches!(cli.command, Command::Serve { .. }));
    let catalog = match Catalog::loaded() {
        Ok(catalog) => catalog,
        Err(e) => {
            // Nothing to localize with: this is a build defect, not a user's mistake.
            eprintln!("error: the built-in messages do not load: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut ui = Ui {
        catalog,
        locale: env_locale(),
    };
    let outcome = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime.block_on(run(cli, &mut ui)),
        Err(e) => Err(Failure::Internal(
            anyhow::Error::new(e).context("cannot start the async runtime"),
        )),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::User(text)) => {
            eprintln!("{text}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(e)) => {
            let detail = format!("{e:#}");
            eprintln!(
                "{}",
                ui.r(msg!("cli-internal-error"), &[("detail", detail.into())])
            );
            ExitCode::FAILURE
        }
    }
}

/// The locale to speak before the configuration is read (the configuration may be what is
/// wrong): `BRANCHBOT_LOCALE` if it names one, else zh-CN.
fn env_locale() -> Locale {
    std::env::var("BRANCHBOT_LOCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_default()
}

type LogFilter =
    tracing_subscriber::reload::Handle<tracing_subscriber::EnvFilter, tracing_subscriber::Registry>;

/// Changes the log filter while running (see [`quiet_logs_for_console`]).
static LOG_FILTER: std::sync::OnceLock<LogFilter> = std::sync::OnceLock::new();

fn init_tracing(quiet: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    // Only the server logs by default; a command's output is its localized text.
    let default = if quiet { "warn" } else { "info,sqlx=warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("BRANCHBOT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let (filter, handle) = tracing_subscriber::reload::Layer::new(filter);
    let logs = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    if tracing_subscriber::registry()
        .with(filter)
        .with(logs)
        .try_init()
        .is_ok()
    {
        let _ = LOG_FILTER.set(handle);
    }
}

/// While a chat runs in this terminal, the server logs only warnings and errors: INFO lines
/// would land in the middle of the conversation. `BRANCHBOT_LOG`, when set, still decides.
fn quiet_logs_for_console() {
    if std::env::var_os("BRANCHBOT_LOG").is_some() {
        return;
    }
    if let Some(handle) = LOG_FILTER.get() {
        let _ = handle.modify(|f| *f = tracing_subscriber::EnvFilter::new("warn"));
    }
}

async fn run(cli: Cli, ui: &mut Ui) -> Outcome {
    let config = load_config(&cli, ui)?;
    ui.locale = config.locale;
    let ui = &*ui;
    match cli.command {
        Command::Serve { no_console } => serve(config, no_console, ui).await,
        Command::Chat { member } => chat(&config, &member, ui).await,
        Command::Import {
            file,
            prune,
            dry_run,
        } => import(&config, &file, prune, dry_run, ui).await,
        Command::Members { branch, csv } => list_members(&config, branch.as_deref(), csv, ui).await,
        Command::Invite { member, branch } => {
            invite(&config, member.as_deref(), branch.as_deref(), ui).await
        }
        Command::Unbound { branch, csv } => unbound(&config, branch.as_deref(), csv, ui).await,
        Command::Status => status(&config, ui).await,
        Command::Sms { command } => sms(&config, command, ui).await,
        Command::Prefer { member, channels } => {
            prefer(
                &config,
                &member,
                &channels,
                ui,
                msg!("prefer-bad"),
                msg!("prefer-set"),
            )
            .await
        }
        Command::Migrate => {
            let e = engine(&config, ui).await?;
            let database = redacted(&config.database_url);
            println!(
                "{}",
                ui.r(msg!("cli-migrated"), &[("database", database.into())])
            );
            e.store.close().await;
            Ok(())
        }
        Command::Schedule { command } => schedule(&config, command, ui).await,
        Command::Calendar { command } => calendar::run(&config, command, ui).await,
        Command::Report { command } => report::run(&config, command, ui).await,
        Command::Campaign { command } => {
            crate::campaign::cli::run(engine(&config, ui).await?, command, ui).await
        }
        Command::Notice { command } => {
            crate::notices::cli::run(engine(&config, ui).await?, command, ui).await
        }
        Command::Targets {
            command: feedback::TargetsCommand::Load { file },
        } => feedback::load_targets(&config, &file, ui).await,
        Command::Qr { code, out } => feedback::qr(&config, &code, out.as_deref(), ui).await,
        Command::Evaluation {
            command:
                crate::evaluation::cli::EvaluationCommand::Open {
                    branch,
                    from,
                    to,
                    candidates,
                },
        } => {
            let e = engine(&config, ui).await?;
            crate::evaluation::cli::open(&e, &branch, from, to, &candidates, ui).await
        }
        Command::Meeting { command } => {
            crate::meetings::cli::run(&engine(&config, ui).await?, command, ui).await
        }
        Command::Audit(args) => audit::run(&config, args, ui).await,
        Command::Spotcheck { command } => {
            crate::spotcheck::cli::run(&engine(&config, ui).await?, command, ui).await
        }
        Command::Inbox { command } => inbox::run(&config, command, ui).await,
        Command::Recruit { command } => {
            crate::recruitment::cli::run(&engine(&config, ui).await?, command, ui).await
        }
        Command::Dues { command } => {
            crate::dues::cli::run(&engine(&config, ui).await?, command, ui).await
        }
        Command::Attachments { command } => {
            let e = engine(&config, ui).await?;
            let result =
                crate::attachments::cli::run(&e.store, &e.files, e.tz, e.clock.now(), command, ui)
                    .await;
            e.store.close().await;
            result
        }
        Command::Activity { command } => {
            crate::records::cli::activity(&engine(&config, ui).await?, command, ui).await
        }
        Command::Plan { command } => {
            crate::records::cli::plan(&engine(&config, ui).await?, command, ui).await
        }
        Command::Comment { command } => {
            crate::records::cli::comment(&engine(&config, ui).await?, command, ui).await
        }
    }
}

fn load_config(cli: &Cli, ui: &Ui) -> Outcome<Config> {
    let mut config = Config::load(cli.config.as_deref()).map_err(|e| config_mistake(&e, ui))?;
    if let Some(db) = &cli.database {
        config.database_url = db.clone();
    }
    config
        .settings()
        .and_then(|settings| crate::app::features::check_calendar(&settings))
        .map_err(|e| config_mistake(&e, ui))?;
    Ok(config)
}

/// A configuration error in the reader's language: what serde and TOML say in English
/// ("unknown field `colour`, expected one of …") is read and said again, with the file and line;
/// the loader's own checks are Fluent messages already ([`crate::config::Problem`]).
fn config_mistake(e: &crate::config::ConfigError, ui: &Ui) -> Failure {
    use crate::config::ConfigError;
    match e {
        ConfigError::Parse { path, message } => {
            let file = path.display().to_string();
            let line = message
                .split("at line ")
                .nth(1)
                .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
                .unwrap_or("?")
                .to_owned();
            // The source line TOML quotes: "3 | colour = \"red\"".
            let source = message
                .lines()
                .find_map(|l| {
                    let (n, text) = l.split_once('|')?;
                    (n.trim() == line).then(|| text.trim().to_owned())
                })
                .unwrap_or_default();
            let said = message
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let quoted = |s: &str| -> Vec<String> {
                s.split('`').skip(1).step_by(2).map(str::to_owned).collect()
            };
            if let Some(rest) = said.strip_prefix("unknown field ") {
                let names = quoted(rest);
                let (field, expected) = names
                    .split_first()
                    .map_or((String::new(), &[][..]), |(f, e)| (f.clone(), e));
                return ui.mistake(
                    msg!("cli-config-unknown-field"),
                    &[
                        ("file", file.into()),
                        ("line", line.into()),
                        ("field", field.into()),
                        ("expected", ui.list(expected).into()),
                    ],
                );
            }
            if let Some(rest) = said.strip_prefix("missing field ") {
                return ui.mistake(
                    msg!("cli-config-missing-field"),
                    &[
                        ("file", file.into()),
                        ("field", quoted(rest).concat().into()),
                    ],
                );
            }
            let id = if said.starts_with("invalid ") {
                msg!("cli-config-bad-value")
            } else {
                msg!("cli-config-syntax")
            };
            ui.mistake(
                id,
                &[
                    ("file", file.into()),
                    ("line", line.into()),
                    ("source", source.into()),
                ],
            )
        }
        ConfigError::Env {
            name: "BRANCHBOT_LOCALE",
            ..
        } => ui.mistake(
            msg!("cli-config-bad-locale"),
            &[(
                "value",
                std::env::var("BRANCHBOT_LOCALE").unwrap_or_default().into(),
            )],
        ),
        ConfigError::WecomCheckWithoutWecom => ui.mistake(msg!("cli-config-wecom-check"), &[]),
        ConfigError::Read { path, source } => {
            let file = path.display().to_string();
            if source.kind() == std::io::ErrorKind::NotFound {
                ui.mistake(msg!("config-file-not-found"), &[("file", file.into())])
            } else {
                ui.mistake(
                    msg!("config-file-unreadable"),
                    &[("file", file.into()), ("detail", source.to_string().into())],
                )
            }
        }
        // A value that cannot be used, named with its setting, in the reader's language.
        other => ui.mistake(
            msg!("cli-config-error"),
            &[("detail", other.render(&ui.catalog, ui.locale).into())],
        ),
    }
}

pub(crate) async fn engine(config: &Config, ui: &Ui) -> Outcome<Engine> {
    let url = redacted(&config.database_url);
    let store = Store::open(&config.database_url)
        .await
        .map_err(|e| match e {
            StoreError::BadUrl(_) => ui.mistake(
                msg!("cli-bad-database-url"),
                &[("url", url.as_str().into())],
            ),
            other => Failure::Internal(anyhow::Error::new(other).context(format!("opening {url}"))),
        })?;
    let settings = config.settings().map_err(|e| config_mistake(&e, ui))?;
    Ok(Engine::new(
        store,
        Arc::clone(&ui.catalog),
        Clock::System,
        Wake::default(),
        crate::scheduler::SchedulerHandle::detached(Arc::new(crate::app::features::jobs_for(
            config, &settings,
        ))),
        &settings,
        &config.dashboard_base(config.http.listen),
        crate::app::features::chat(),
    ))
}

/// A database URL fit to print: no password, no query string (it may hold one too).
fn redacted(url: &str) -> String {
    let url = url.split('?').next().unwrap_or(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{path}")
        }
        _ => url.to_owned(),
    }
}

/// Where `/metrics` can be read, as the serve banner says it: its own listener, the public one
/// with the bearer token, or nowhere.
fn metrics_where(ui: &Ui, app: &Application, config: &Config) -> String {
    match (app.metrics_addr, &config.http.metrics_token) {
        (Some(addr), _) => ui.r(
            msg!("cli-serve-metrics-at"),
            &[("addr", addr.to_string().into())],
        ),
        (None, Some(_)) => ui.t(msg!("cli-serve-metrics-token")),
        (None, None) => ui.t(msg!("cli-serve-metrics-off")),
    }
}

async fn serve(config: Config, no_console: bool, ui: &Ui) -> Outcome {
    // Replicas on one PostgreSQL must share the anonymity key: one that each process made for
    // itself would seal what the others cannot open and break "already rated" (docs/PRIVACY.md).
    let postgres = config.database_url.starts_with("postgres://")
        || config.database_url.starts_with("postgresql://");
    if postgres && !crate::anonymity::key_is_configured() {
        return Err(ui.mistake(
            msg!("cli-anonymity-key-required"),
            &[("variables", crate::anonymity::KEY_VARIABLES.into())],
        ));
    }
    let demo = config.telegram.token.is_none();
    if demo {
        load_example_if_empty(&config, ui).await?;
    }
    let app = Application::build(config.clone(), Overrides::default())
        .await
        .map_err(|e| match e {
            StartError::Listen { addr, source } => ui.mistake(
                msg!("cli-listen-error"),
                &[
                    ("addr", addr.to_string().into()),
                    ("detail", source.to_string().into()),
                ],
            ),
            StartError::Config(e) => config_mistake(&e, ui),
            StartError::TelegramToken(detail) => ui.mistake(
                msg!("cli-telegram-token-refused"),
                &[("detail", detail.into())],
            ),
            other => Failure::from(other),
        })?;
    if app.telegram_unreachable.is_some() {
        eprintln!("{}", ui.t(msg!("cli-telegram-unreachable")));
    }
    eprintln!(
        "{}",
        ui.r(
            msg!("cli-serve-listening"),
            &[
                ("addr", app.addr.to_string().into()),
                ("metrics", metrics_where(ui, &app, &config).into())
            ]
        )
    );
    let cancel = app.cancel_token();
    tokio::spawn({
        let cancel = cancel.clone();
        async move {
            let _ = tokio::signal::ctrl_c().await;
            cancel.cancel();
        }
    });
    if demo {
        eprintln!(
            "{}",
            ui.r(
                msg!("cli-serve-telegram-off"),
                &[("bin", invocation().into())]
            )
        );
        if !no_console && std::io::stdin().is_terminal() {
            let engine = app.engine.clone();
            let mut conn = engine.store.pool().acquire().await?;
            // The secretary of the roster's first branch (the one imported first).
            let secretary = members::list(&mut conn, None)
                .await?
                .into_iter()
                .filter(|m| m.role == Role::Secretary)
                .min_by_key(|m| (m.branch_id, m.key.clone()));
            drop(conn);
            if let Some(member) = secretary {
                eprintln!(
                    "{}",
                    ui.r(
                        msg!("cli-serve-console"),
                        &[
                            ("name", member.name.as_str().into()),
                            ("key", member.key.as_str().into())
                        ],
                    )
                );
                quiet_logs_for_console();
                let out: Arc<Mutex<dyn Write + Send>> = Arc::new(Mutex::new(std::io::stdout()));
                let mut session = Session::open(engine, member, out).await?;
                // Ctrl-C stops the server even while the console waits for a line.
                tokio::select! {
                    r = session.run(tokio::io::BufReader::new(tokio::io::stdin()), true) => r?,
                    _ = cancel.cancelled() => {}
                }
                cancel.cancel();
            }
        }
    }
    app.run_until_stopped().await;
    Ok(())
}

/// How to run this binary again from the current folder: `branchbot` when that is what the
/// PATH finds, else its path (`./target/release/branchbot` after `cargo build --release`).
pub fn invocation() -> String {
    let Ok(exe) = std::env::current_exe().and_then(|p| p.canonicalize()) else {
        return "branchbot".into();
    };
    let on_path = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            dir.join("branchbot")
                .canonicalize()
                .is_ok_and(|found| found == exe)
        })
    });
    if on_path {
        return "branchbot".into();
    }
    match std::env::current_dir().map(|cwd| exe.strip_prefix(cwd).map(Path::to_path_buf)) {
        Ok(Ok(relative)) => format!("./{}", relative.display()),
        _ => exe.display().to_string(),
    }
}

/// With no Telegram token and no members, the example college, so a newcomer sees the bot work.
async fn load_example_if_empty(config: &Config, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let mut conn = e.store.pool().acquire().await?;
    let (_, _, count) = members::counts(&mut conn).await?;
    drop(conn);
    if count == 0 {
        let roster =
            roster::parse(EXAMPLE_ROSTER.as_bytes(), config.locale).map_err(|problems| {
                let text: Vec<String> = problems.iter().map(|p| ui.problem(p)).collect();
                anyhow::anyhow!("the built-in example roster: {}", text.join("; "))
            })?;
        let mut tx = e.store.begin().await?;
        members::import(&mut tx, &roster, false, e.clock.now_ms()).await?;
        tx.commit().await?;
        eprintln!(
            "{}",
            ui.r(
                msg!("cli-serve-example-loaded"),
                &[("count", roster.members.len().into())]
            )
        );
    }
    e.store.close().await;
    Ok(())
}

/// An active member by key or mobile number, or a mistake that says how to find one.
async fn find_member(e: &Engine, who: &str, ui: &Ui) -> Outcome<Member> {
    let mut conn = e.store.pool().acquire().await?;
    members::find(&mut conn, who)
        .await?
        .ok_or_else(|| ui.mistake(msg!("cli-no-member"), &[("who", who.into())]))
}

async fn chat(config: &Config, who: &str, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let member = find_member(&e, who, ui).await?;
    let out: Arc<Mutex<dyn Write + Send>> = Arc::new(Mutex::new(std::io::stdout()));
    let mut session = Session::open(e.clone(), member, out).await?;
    let input = tokio::io::BufReader::new(tokio::io::stdin());
    session.run(input, std::io::stdin().is_terminal()).await?;
    e.store.close().await;
    Ok(())
}

async fn import(config: &Config, file: &Path, prune: bool, dry_run: bool, ui: &Ui) -> Outcome {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ui.mistake(
            msg!("cli-file-not-found"),
            &[("file", name.as_str().into())],
        ),
        _ => ui.mistake(
            msg!("cli-file-unreadable"),
            &[
                ("file", name.as_str().into()),
                ("detail", e.to_string().into()),
            ],
        ),
    })?;
    let roster =
        roster::parse(&bytes, config.locale).map_err(|problems| refused(ui, &name, &problems))?;
    let e = engine(config, ui).await?;
    let mut tx = e.store.begin().await?;
    let summary = match members::import(&mut tx, &roster, prune, e.clock.now_ms()).await {
        Ok(summary) => summary,
        Err(members::ImportError::Conflicts(problems)) => {
            tx.rollback().await?;
            return Err(refused(ui, &name, &problems));
        }
        Err(members::ImportError::Store(err)) => return Err(err.into()),
    };
    if dry_run {
        tx.rollback().await?;
    } else {
        let detail = format!(
            "+{} ~{} ={} -{}",
            summary.members_created,
            summary.members_updated,
            summary.members_unchanged,
            if prune { summary.missing.len() } else { 0 }
        );
        crate::store::audit::record(
            &mut tx,
            e.clock.now_ms(),
            &Actor::operator(),
            Action::Import,
            &file_name(file),
            &detail,
        )
        .await?;
        tx.commit().await?;
    }
    let done = if dry_run {
        msg!("cli-import-dry-run")
    } else {
        msg!("cli-import-done")
    };
    println!(
        "{}",
        ui.r(
            done,
            &[
                ("file", name.as_str().into()),
                ("branches", summary.branches_created.into()),
                ("groups", summary.groups_created.into()),
                ("added", summary.members_created.into()),
                ("updated", summary.members_updated.into()),
                ("unchanged", summary.members_unchanged.into()),
            ],
        )
    );
    if !summary.missing.is_empty() {
        let missing = match (prune, dry_run) {
            (false, _) => msg!("cli-import-missing"),
            (true, false) => msg!("cli-import-pruned"),
            (true, true) => msg!("cli-import-would-prune"),
        };
        let args = [
            ("count", summary.missing.len().into()),
            ("keys", ui.list(&summary.missing).into()),
        ];
        println!("{}", ui.r(missing, &args));
    }
    e.store.close().await;
    Ok(())
}

/// A file as the audit log names it: its name without the directories.
fn file_name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

/// A refused roster: a header with the count, one indented line per problem, what to do next.
fn refused(ui: &Ui, file: &str, problems: &[RosterProblem]) -> Failure {
    let mut text = ui.r(
        msg!("cli-import-refused"),
        &[("file", file.into()), ("count", problems.len().into())],
    );
    for problem in problems {
        text.push_str("\n  ");
        text.push_str(&ui.problem(problem));
    }
    text.push('\n');
    text.push_str(&ui.t(msg!("cli-import-refused-footer")));
    Failure::User(text)
}

async fn list_members(config: &Config, branch: Option<&str>, csv: bool, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let mut conn = e.store.pool().acquire().await?;
    let scope = match branch {
        Some(b) => Some(find_branch(&mut conn, b, ui).await?),
        None => None,
    };
    let all = members::list(&mut conn, scope).await?;
    let unbound: HashSet<i64> = members::unbound(&mut conn, "telegram", scope)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect();
    drop(conn);
    let scope = scope_name(branch, ui);
    if all.is_empty() {
        eprintln!(
            "{}",
            ui.r(msg!("cli-members-none"), &[("scope", scope.into())])
        );
    } else {
        let args = [("scope", scope.into()), ("count", all.len().into())];
        eprintln!("{}", ui.r(msg!("cli-members-header"), &args));
    }
    let header = [
        Column::Key.msg(),
        Column::Name.msg(),
        Column::Branch.msg(),
        Column::Group.msg(),
        Column::Role.msg(),
        Column::Mobile.msg(),
        msg!("cli-column-telegram"),
    ]
    .map(|id| ui.t(id));
    let rows: Vec<Vec<String>> = all
        .iter()
        .map(|m| {
            let mobile = m
                .phone
                .as_deref()
                .and_then(|p| p.parse::<Phone>().ok())
                .map(|p| p.masked());
            let bound = if unbound.contains(&m.id) {
                msg!("no")
            } else {
                msg!("yes")
            };
            vec![
                m.key.clone(),
                m.name.clone(),
                m.branch_name.clone().unwrap_or_default(),
                m.group_name.clone().unwrap_or_default(),
                ui.t(m.role.msg()),
                mobile.unwrap_or_default(),
                ui.t(bound),
            ]
        })
        .collect();
    print_table(&header, &rows, csv)?;
    e.store.close().await;
    Ok(())
}

/// A branch's name, or "all branches" in the reader's language.
fn scope_name(branch: Option<&str>, ui: &Ui) -> String {
    branch.map_or_else(|| ui.t(msg!("cli-scope-all")), str::to_owned)
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

/// Whom `branchbot invite` makes codes for.
enum Invitees<'a> {
    Member(&'a str),
    UnboundOf(&'a str),
}

async fn invite(config: &Config, who: Option<&str>, branch: Option<&str>, ui: &Ui) -> Outcome {
    let invitees = match (who, branch) {
        (Some(who), _) => Invitees::Member(who),
        (None, Some(branch)) => Invitees::UnboundOf(branch),
        (None, None) => return Err(ui.mistake(msg!("cli-invite-needs-target"), &[])),
    };
    let e = engine(config, ui).await?;
    let targets = match invitees {
        Invitees::Member(who) => vec![find_member(&e, who, ui).await?],
        Invitees::UnboundOf(branch) => {
            let mut conn = e.store.pool().acquire().await?;
            let id = find_branch(&mut conn, branch, ui).await?;
            let targets = members::unbound(&mut conn, "telegram", Some(id)).await?;
            if targets.is_empty() {
                eprintln!(
                    "{}",
                    ui.r(msg!("cli-invite-all-bound"), &[("branch", branch.into())])
                );
                drop(conn);
                e.store.close().await;
                return Ok(());
            }
            targets
        }
    };
    let username = bot_username(config).await;
    let bot = username
        .clone()
        .unwrap_or_else(|| ui.t(msg!("cli-placeholder-bot-username")));
    let now = e.clock.now_ms();
    let expires = now + config.invites.ttl_hours * 3600 * 1000;
    let tz = e.tz;
    let until = chrono::DateTime::from_timestamp_millis(expires)
        .map(|d| d.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z").to_string())
        .unwrap_or_default();
    let mut tx = e.store.begin().await?;
    let mut rows = Vec::new();
    for m in &targets {
        let code = start::new_code();
        invites::create(&mut tx, m.id, &start::normalize_code(&code), now, expires).await?;
        let link = format!("https://t.me/{bot}?start={code}");
        rows.push(vec![m.key.clone(), m.name.clone(), code, link]);
    }
    let keys: Vec<&str> = targets.iter().map(|m| m.key.as_str()).collect();
    crate::store::audit::record(
        &mut tx,
        now,
        &Actor::operator(),
        Action::InvitesIssued,
        &match branch {
            Some(b) => format!("branch:{b}"),
            None => keys.join(","),
        },
        &format!("{} · {}", targets.len(), keys.join(",")),
    )
    .await?;
    tx.commit().await?;
    let header = [
        Column::Key.msg(),
        Column::Name.msg(),
        msg!("cli-column-code"),
        msg!("cli-column-link"),
    ]
    .map(|id| ui.t(id));
    print_table(&header, &rows, false)?;
    eprintln!(
        "{}",
        ui.r(msg!("cli-invite-footer"), &[("until", until.into())])
    );
    if username.is_none() {
        eprintln!("{}", ui.t(msg!("cli-invite-no-username")));
    }
    e.store.close().await;
    Ok(())
}

async fn unbound(config: &Config, branch: Option<&str>, csv: bool, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let mut conn = e.store.pool().acquire().await?;
    let scope = match branch {
        Some(b) => Some(find_branch(&mut conn, b, ui).await?),
        None => None,
    };
    let list = members::unbound(&mut conn, "telegram", scope).await?;
    // How each can be reached, as every push decides it.
    let mut reach = Vec::with_capacity(list.len());
    for m in &list {
        reach.push(
            crate::delivery::route::route(&mut conn, m, e.sms_connected)
                .await?
                .msg(),
        );
    }
    drop(conn);
    let scope = scope_name(branch, ui);
    if list.is_empty() {
        eprintln!(
            "{}",
            ui.r(msg!("cli-unbound-none"), &[("scope", scope.into())])
        );
    } else {
        let args = [("scope", scope.into()), ("count", list.len().into())];
        eprintln!("{}", ui.r(msg!("cli-unbound-header"), &args));
    }
    let header = [
        Column::Key.msg(),
        Column::Name.msg(),
        Column::Branch.msg(),
        msg!("cli-column-reach"),
    ]
    .map(|id| ui.t(id));
    let rows: Vec<Vec<String>> = list
        .iter()
        .zip(&reach)
        .map(|(m, reach)| {
            vec![
                m.key.clone(),
                m.name.clone(),
                m.branch_name.clone().unwrap_or_default(),
                ui.t(*reach),
            ]
        })
        .collect();
    print_table(&header, &rows, csv)?;
    if !list.is_empty() {
        eprintln!("{}", ui.t(msg!("cli-unbound-footer")));
    }
    e.store.close().await;
    Ok(())
}

async fn status(config: &Config, ui: &Ui) -> Outcome {
    let e = engine(config, ui).await?;
    let report = crate::status::gather(&e.store, e.clock.now_ms()).await?;
    println!(
        "{}",
        crate::status::render(&report, &ui.catalog, ui.locale, e.tz)
    );
    e.store.close().await;
    Ok(())
}

/// `branchbot prefer` and the older `branchbot sms prefer`: sets the order of a member's
/// channels.
async fn prefer(
    config: &Config,
    member: &str,
    channels: &str,
    ui: &Ui,
    bad: crate::i18n::Msg,
    set: crate::i18n::Msg,
) -> Outcome {
    use crate::delivery::route::Preference;
    let pref = Preference::parse(channels)
        .ok_or_else(|| ui.mistake(bad, &[("channel", channels.into())]))?;
    let e = engine(config, ui).await?;
    let mut conn = e.store.pool().acquire().await?;
    let m = members::find(&mut conn, member)
        .await?
        .ok_or_else(|| ui.mistake(msg!("cli-no-member"), &[("who", member.into())]))?;
    crate::store::wecom::set_preference(&mut conn, m.id, &pref.as_str(), e.clock.now_ms()).await?;
    println!(
        "{}",
        ui.r(
            set,
            &[
                ("name", m.name.as_str().into()),
                ("key", m.key.as_str().into()),
                ("channel", pref.as_str().into())
            ]
        )
    );
    drop(conn);
    e.store.close().await;
    Ok(())
}

/// `branchbot sms …`.
async fn sms(config: &Config, command: crate::channels::sms::cli::SmsCommand, ui: &Ui) -> Outcome {
    use crate::channels::sms::cli::SmsCommand;
    match command {
        SmsCommand::Count { text } => {
            println!(
                "{}",
                crate::channels::sms::cli::count(&text, &ui.catalog, ui.locale)
            )
        }
        SmsCommand::Prefer { member, channel } => {
            prefer(
                config,
                &member,
                &channel,
                ui,
                msg!("sms-prefer-bad"),
                msg!("sms-prefer-set"),
            )
            .await?
        }
    }
    Ok(())
}

/// `branchbot schedule …`.
#[derive(Debug, Subcommand)]
pub enum ScheduleCommand {
    /// Print the next fire times of a crontab expression (minute hour day-of-month month
    /// day-of-week), one per line in RFC 3339.
    Preview {
        /// The expression, quoted: '30 19 * * Wed', '0 9 * * Mon#1', '0 9 L 3,6,9,12 *', '@quarterly'.
        expr: String,
        /// Time zone (default: the organisation's).
        #[arg(long, value_name = "ZONE")]
        tz: Option<String>,
        /// Start from this wall-clock time in the zone (default: now).
        #[arg(long, value_name = "YYYY-MM-DDTHH:MM")]
        from: Option<String>,
        /// How many fire times to print (1 to 1000).
        #[arg(long, value_name = "N", default_value_t = 10)]
        count: usize,
        /// Apply the calendar as it applies to this job kind (`pledge_checkin`, `meeting`, …):
        /// each holiday's occurrence says whether it moves (to when), is dropped or kept, and a
        /// 工作日 schedule lists its 调休 working weekend days.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// With --kind: the job is a student branch's (its pushes pause in vacations).
        #[arg(long, requires = "kind")]
        student: bool,
        /// With --kind: read the calendar from this file instead of the database.
        #[arg(long, value_name = "FILE", requires = "kind")]
        calendar: Option<PathBuf>,
    },
}

async fn schedule(config: &Config, command: ScheduleCommand, ui: &Ui) -> Outcome {
    use crate::scheduler::preview;
    let ScheduleCommand::Preview {
        expr,
        tz,
        from,
        count,
        kind,
        student,
        calendar: calendar_file,
    } = command;
    let mistake = |e: preview::PreviewError| Failure::User(e.render(&ui.catalog, ui.locale));
    let zone = match &tz {
        Some(name) => preview::zone(name).map_err(mistake)?,
        None => config.tz().map_err(|e| config_mistake(&e, ui))?,
    };
    let start = match &from {
        Some(text) => preview::from(text, zone).map_err(mistake)?,
        None => chrono::Utc::now(),
    };
    let Some(kind) = kind else {
        let lines = preview::lines(&expr, zone, start, count).map_err(mistake)?;
        println!("{}", lines.join("\n"));
        return Ok(());
    };
    let settings = config.settings().map_err(|e| config_mistake(&e, ui))?;
    let registry = crate::app::features::jobs_for(config, &settings);
    let kind = preview::kind(&registry, &kind).map_err(mistake)?;
    let cal = match calendar_file {
        Some(file) => {
            let name = file.display().to_string();
            let source = std::fs::read_to_string(&file).map_err(|err| {
                ui.mistake(
                    msg!("cli-calendar-unreadable"),
                    &[
                        ("file", name.as_str().into()),
                        ("detail", err.to_string().into()),
                    ],
                )
            })?;
            crate::domain::calendar::parse(&source).map_err(|e| {
                ui.mistake(
                    msg!("cli-calendar-problem"),
                    &[
                        ("file", name.as_str().into()),
                        ("line", (e.line as i64).into()),
                        ("problem", calendar::problem(ui, &e).into()),
                    ],
                )
            })?
        }
        None => {
            let e = engine(config, ui).await?;
            let mut conn = e.store.pool().acquire().await?;
            let cal = crate::store::calendar::load(&mut conn).await?;
            drop(conn);
            e.store.close().await;
            cal
        }
    };
    let subject = crate::domain::calendar::Subject {
        student,
        urgent: false,
    };
    let lines = preview::calendar_lines(
        &expr,
        zone,
        start,
        count,
        &cal,
        registry.rule_under(&settings.calendar, kind),
        subject,
        &ui.catalog,
        ui.locale,
    )
    .map_err(mistake)?;
    println!("{}", lines.join("\n"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_are_printed_without_their_password() {
        assert_eq!(
            redacted("postgres://bot:s3cret@db.example.org:5432/branchbot"),
            "postgres://bot:***@db.example.org:5432/branchbot"
        );
        assert_eq!(
            redacted("postgres://bot@db/branchbot?password=s3cret"),
            "postgres://bot@db/branchbot"
        );
        assert_eq!(redacted("sqlite://branchbot.db"), "sqlite://branchbot.db");
        assert_eq!(
            redacted("sqlite:///var/lib/branchbot/bot.db?mode=rwc"),
            "sqlite:///var/lib/branchbot/bot.db"
        );
    }

    #[test]
    fn the_banner_names_a_binary_not_on_the_path_by_the_path_that_runs_it() {
        // The test binary is not `branchbot` on the PATH: it is named by a path that exists
        // (relative to the current folder when under it, as `./target/…`).
        let said = invocation();
        assert_ne!(said, "branchbot");
        assert!(std::path::Path::new(&said).is_file(), "{said}");
        let cwd = std::env::current_dir().unwrap();
        let exe = std::env::current_exe().unwrap().canonicalize().unwrap();
        if exe.starts_with(&cwd) {
            assert!(said.starts_with("./"), "{said}");
        }
    }
}
