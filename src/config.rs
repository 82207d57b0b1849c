//! Configuration: one TOML file (`branchbot.toml`, or the path in `BRANCHBOT_CONFIG`) with
//! `BRANCHBOT_*` environment variables on top. Every setting has a default, so the bot runs
//! with no configuration at all. Secrets are read from the environment (or a file named by it)
//! and never printed.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use chrono_tz::Tz;
use serde::Deserialize;

use crate::delivery::limits::{Limits, Rate};
use crate::domain::meetings::{parse_minutes, Cadence, MeetingKind, MeetingRules};
use crate::domain::quiet::QuietHours;
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;

pub mod attachments;
pub mod dashboard;
pub mod dues;
pub mod feedback;
pub mod pushes;
pub mod records;
pub mod recruitment;
pub mod sms;
pub mod wecom;

/// The configuration's values in the types the bot works with, parsed once
/// ([`Config::settings`]) and handed to the engine, the scheduler and the CLI.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The organisation's time zone: dates are read and shown in it.
    pub tz: Tz,
    /// When non-urgent pushes wait (`[delivery] quiet_hours`).
    pub quiet: QuietHours,
    /// 三会一课 timings: reminders, the sign-in window, the default length (`[meetings]`).
    pub meetings: MeetingRules,
    pub org_locale: Locale,
    pub org_name: String,
    /// Invite lifetime and the limits on wrong codes.
    pub invites: InviteConfig,
    /// Whether an SMS gateway is connected (pushes may fall back to SMS).
    pub sms_connected: bool,
    /// The least time between two re-nudges of a notice's unconfirmed recipients.
    pub notice_nudge_interval_ms: i64,
    /// How long a dashboard session lasts.
    pub dashboard_session_hours: i64,
    /// 发展党员: the intervals and the 公示 length (`[recruitment]`).
    pub recruitment: recruitment::Policy,
    /// The kinds of service activity (`[records]`).
    pub records: records::Policy,
    /// What each kind of job does on a holiday, on 调休 days and in vacations.
    pub calendar: crate::domain::calendar::Rules,
    /// The daily push budget and the digest's hour (`[pushes]`).
    pub pushes: crate::domain::pushes::Budget,
    /// Photos and files: where they are kept, the size limit, the kinds taken (`[attachments]`).
    pub attachments: attachments::Settings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://branchbot.db` (default) or `postgres://user@host/db`.
    pub database_url: String,
    /// The organisation's name, shown in message headers.
    pub org_name: String,
    /// The organisation's default locale for members with none.
    pub locale: Locale,
    /// The organisation's time zone, in which cron expressions and quiet hours are read.
    pub timezone: String,
    pub http: HttpConfig,
    pub telegram: TelegramConfig,
    pub invites: InviteConfig,
    pub delivery: DeliveryConfig,
    /// Notices: how often the unconfirmed may be re-nudged.
    pub notices: NoticesConfig,
    /// The SMS gateway (off unless `sms.gateway` names one).
    pub sms: sms::SmsConfig,
    /// WeCom (企业微信): off unless its CorpID, Secret, Token and EncodingAESKey are set.
    pub wecom: wecom::WecomConfig,
    /// 三会一课: reminder times, the sign-in window, the default length.
    pub meetings: MeetingsConfig,
    /// The web dashboard: how long a login lasts.
    pub dashboard: DashboardConfig,
    /// The feedback web page: its check and its limits.
    pub feedback: feedback::FeedbackConfig,
    /// 发展党员: the intervals and the 公示 length a college sets (`[recruitment]`).
    pub recruitment: recruitment::Policy,
    /// What each kind of job does on a holiday, on 调休 days and in vacations (`[calendar]`).
    pub calendar: CalendarConfig,
    /// 党费: when the monthly reminder goes out (`[dues]`).
    pub dues: dues::Policy,
    /// The daily push budget and the digest's hour (`[pushes]`).
    pub pushes: pushes::PushesConfig,
    /// Service activities: kinds beyond the four built in (`[records]`).
    pub records: records::Policy,
    /// Photos and files: where they are kept, how large and which kinds (`[attachments]`).
    pub attachments: attachments::AttachmentsConfig,
}

/// `[calendar]`: per job kind, `[calendar.rules.<kind>]` with `on_holiday = "move" | "drop" |
/// "keep"`, `working_days` and `pause_in_vacation`; what is left out keeps the kind's own rule
/// (`scheduler::Job::calendar_rule`; `app::features::check_calendar` refuses a kind the binary
/// does not run). The calendar itself is loaded into the database with
/// `branchbot calendar load FILE`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CalendarConfig {
    pub rules: BTreeMap<String, crate::domain::calendar::RuleChange>,
}

/// `[dashboard]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DashboardConfig {
    /// How long a dashboard session lasts after the one-time link is opened, in hours.
    pub session_hours: i64,
}

impl Default for DashboardConfig {
    fn default() -> Self {
        Self { session_hours: 12 }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpConfig {
    /// Where the HTTP server (webhooks, health, metrics) listens.
    pub listen: SocketAddr,
    /// The public base URL (behind a proxy), used to build webhook URLs.
    pub public_url: Option<String>,
    /// Where `/metrics` is served on its own (loopback by default, so it is not public);
    /// empty: not served apart.
    pub metrics_listen: String,
    /// `BRANCHBOT_METRICS_TOKEN`: with it, `/metrics` is also served on `listen` to requests
    /// that carry `Authorization: Bearer <token>`; without it, not at all there.
    #[serde(skip)]
    pub metrics_token: Option<sms::Secret>,
}

impl HttpConfig {
    /// The separate metrics address, or None when it is off.
    pub fn metrics_addr(&self) -> Result<Option<SocketAddr>, ConfigError> {
        let text = self.metrics_listen.trim();
        if text.is_empty() {
            return Ok(None);
        }
        text.parse().map(Some).map_err(|_| {
            ConfigError::Invalid(
                Problem::new(msg!("config-metrics-listen-bad")).with("value", text),
            )
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TelegramMode {
    Polling,
    Webhook,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TelegramConfig {
    /// The bot token. Prefer the `TELOXIDE_TOKEN` environment variable.
    #[serde(skip)]
    pub token: Option<String>,
    /// Bot API base URL (a local Bot API server, or a fake one in tests).
    pub api_url: Option<String>,
    pub mode: TelegramMode,
    /// The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` (webhook mode).
    #[serde(skip)]
    pub webhook_secret: Option<String>,
    /// The bot's username, for deep links; read from getMe when not set.
    pub username: Option<String>,
    /// Long-polling timeout in seconds.
    pub poll_timeout_secs: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeliveryConfig {
    /// Telegram messages a second, overall (Telegram allows about 30).
    pub telegram_per_second: u32,
    /// Messages a second to one private chat.
    pub telegram_per_chat_per_second: u32,
    /// Messages a minute to one group chat.
    pub telegram_per_group_per_minute: u32,
    /// Paid broadcasts (`allow_paid_broadcast`) raise the overall ceiling to 1,000 a second.
    pub paid_broadcast: bool,
    /// Attempts before a transient failure becomes final.
    pub max_attempts: i64,
    /// Non-urgent pushes wait through this daily window, in the organisation's time zone.
    pub quiet_hours: String,
    /// How long a worker's claim on a message lasts; after a crash, its rows are sent again
    /// once the claim has lapsed.
    pub lease_secs: u64,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            telegram_per_second: 30,
            telegram_per_chat_per_second: 1,
            telegram_per_group_per_minute: 20,
            paid_broadcast: false,
            max_attempts: 5,
            quiet_hours: "22:00-07:00".into(),
            lease_secs: 15,
        }
    }
}

impl DeliveryConfig {
    /// The Telegram limits these settings describe.
    pub fn telegram_limits(&self) -> Limits {
        let overall = if self.paid_broadcast {
            1000
        } else {
            self.telegram_per_second
        };
        Limits {
            overall: Rate::per_second(overall),
            per_chat: Rate::per_second(self.telegram_per_chat_per_second),
            per_group: Rate::per_minute(self.telegram_per_group_per_minute),
        }
    }

    /// The quiet-hours window.
    pub fn quiet(&self) -> Result<QuietHours, ConfigError> {
        QuietHours::parse(&self.quiet_hours).map_err(|_| {
            ConfigError::Invalid(
                Problem::new(msg!("config-quiet-hours-bad")).with("value", &self.quiet_hours),
            )
        })
    }
}

/// `[notices]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NoticesConfig {
    /// The least time between two re-nudges of one notice's unconfirmed recipients.
    pub nudge_interval_minutes: i64,
}

impl Default for NoticesConfig {
    fn default() -> Self {
        Self {
            nudge_interval_minutes: 120,
        }
    }
}

/// `[meetings]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MeetingsConfig {
    /// When reminders go out before the start: `"3d"`, `"1h"`, `"90m"` or a number of minutes.
    pub remind_before: Vec<MinutesOrText>,
    /// How many minutes before the start sign-in opens.
    pub signin_opens_minutes: i64,
    /// How long a meeting lasts unless told otherwise, in minutes (the end of the sign-in
    /// window, the absence check and the minutes reminder count from it).
    pub length_minutes: i64,
    /// Per-kind cadence overrides: `lesson = "semester:2"`, `"monthly"`, `"quarterly"`,
    /// `"yearly"` or `"none"`.
    pub cadence: BTreeMap<String, String>,
    /// Semesters as `["MM-DD", "MM-DD"]` (first and last day), for `semester:N` cadences.
    pub semesters: Vec<[String; 2]>,
    /// Whether new meetings get a static sign-in code; `false`: the rotating code only.
    pub static_signin_code: bool,
}

/// A duration written as a number of minutes or as text (`"3d"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum MinutesOrText {
    Minutes(i64),
    Text(String),
}

impl Default for MeetingsConfig {
    fn default() -> Self {
        let rules = MeetingRules::default();
        Self {
            remind_before: rules
                .remind_before_minutes
                .iter()
                .map(|m| MinutesOrText::Minutes(*m))
                .collect(),
            signin_opens_minutes: rules.signin_opens_minutes,
            length_minutes: rules.length_minutes,
            cadence: BTreeMap::new(),
            semesters: Vec::new(),
            static_signin_code: rules.static_signin_code,
        }
    }
}

impl MeetingsConfig {
    /// The rules these settings describe, or what is wrong with them.
    pub fn rules(&self) -> Result<MeetingRules, ConfigError> {
        let mut remind = Vec::new();
        for r in &self.remind_before {
            let minutes = match r {
                MinutesOrText::Minutes(m) => Some(*m),
                MinutesOrText::Text(t) => parse_minutes(t),
            }
            .filter(|m| *m > 0)
            .ok_or_else(|| {
                let shown = match r {
                    MinutesOrText::Minutes(m) => m.to_string(),
                    MinutesOrText::Text(t) => t.clone(),
                };
                ConfigError::Invalid(
                    Problem::new(msg!("config-remind-before-bad")).with("value", shown),
                )
            })?;
            remind.push(minutes);
        }
        remind.sort_unstable_by(|a, b| b.cmp(a));
        remind.dedup();
        if remind.is_empty() {
            return Err(ConfigError::invalid(msg!("config-remind-before-empty")));
        }
        if self.signin_opens_minutes < 0 {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-signin-opens-negative"))
                    .with("value", self.signin_opens_minutes),
            ));
        }
        must_be_positive("meetings.length_minutes", self.length_minutes)?;
        let mut semesters = Vec::new();
        for [first, last] in &self.semesters {
            semesters.push((month_day(first)?, month_day(last)?));
        }
        let mut cadence = BTreeMap::new();
        for (kind, value) in &self.cadence {
            let k: MeetingKind = kind.parse().map_err(|()| {
                ConfigError::Invalid(
                    Problem::new(msg!("config-cadence-kind-bad")).with("kind", kind),
                )
            })?;
            let c: Cadence = value.parse().map_err(|()| {
                ConfigError::Invalid(
                    Problem::new(msg!("config-cadence-bad"))
                        .with("kind", kind)
                        .with("value", value),
                )
            })?;
            if matches!(c, Cadence::PerSemester(_)) && semesters.is_empty() {
                return Err(ConfigError::Invalid(
                    Problem::new(msg!("config-cadence-needs-semesters"))
                        .with("kind", kind)
                        .with("value", value),
                ));
            }
            cadence.insert(k, c);
        }
        Ok(MeetingRules {
            remind_before_minutes: remind,
            signin_opens_minutes: self.signin_opens_minutes,
            length_minutes: self.length_minutes,
            cadence,
            semesters,
            static_signin_code: self.static_signin_code,
        })
    }
}

/// A setting that must be above zero: Err names it and its value.
fn must_be_positive<T: PartialOrd + Default + std::fmt::Display>(
    key: &'static str,
    value: T,
) -> Result<(), ConfigError> {
    if value > T::default() {
        return Ok(());
    }
    Err(ConfigError::Invalid(
        Problem::new(msg!("config-must-be-positive"))
            .with("key", key)
            .with("value", value.to_string()),
    ))
}

/// A setting that must lie in `min..=max`: Err names it, its value and the bounds.
fn between(key: &'static str, value: i64, min: i64, max: i64) -> Result<(), ConfigError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(ConfigError::Invalid(
        Problem::new(msg!("config-between"))
            .with("key", key)
            .with("value", value)
            .with("min", min)
            .with("max", max),
    ))
}

/// A setting that must be at least 1: Err names it and its value.
fn at_least_one(key: &'static str, value: i64) -> Result<(), ConfigError> {
    if value >= 1 {
        return Ok(());
    }
    Err(ConfigError::Invalid(
        Problem::new(msg!("config-at-least-one"))
            .with("key", key)
            .with("value", value),
    ))
}

/// `"MM-DD"` as (month, day); any day of a leap year.
fn month_day(text: &str) -> Result<(u32, u32), ConfigError> {
    let bad =
        || ConfigError::Invalid(Problem::new(msg!("config-semester-day-bad")).with("value", text));
    let (m, d) = text.trim().split_once('-').ok_or_else(bad)?;
    let (m, d): (u32, u32) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    chrono::NaiveDate::from_ymd_opt(2024, m, d).ok_or_else(bad)?;
    Ok((m, d))
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InviteConfig {
    /// How long an invite code stays valid.
    pub ttl_hours: i64,
    /// Wrong codes one chat may send within `lockout_minutes` before it must wait.
    pub max_wrong_codes_per_chat: i64,
    pub lockout_minutes: i64,
    /// Wrong codes all chats together may send within `wrong_codes_window_minutes` before
    /// everyone must wait.
    pub max_wrong_codes: i64,
    pub wrong_codes_window_minutes: i64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://branchbot.db".into(),
            org_name: "学院党委".into(),
            locale: Locale::ZhCn,
            timezone: "Asia/Shanghai".into(),
            http: HttpConfig::default(),
            telegram: TelegramConfig::default(),
            invites: InviteConfig::default(),
            delivery: DeliveryConfig::default(),
            notices: NoticesConfig::default(),
            sms: sms::SmsConfig::default(),
            wecom: wecom::WecomConfig::default(),
            meetings: MeetingsConfig::default(),
            dashboard: DashboardConfig::default(),
            feedback: feedback::FeedbackConfig::default(),
            recruitment: recruitment::Policy::default(),
            calendar: CalendarConfig::default(),
            dues: dues::Policy::default(),
            pushes: pushes::PushesConfig::default(),
            records: records::Policy::default(),
            attachments: attachments::AttachmentsConfig::default(),
        }
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            metrics_listen: "127.0.0.1:9091".into(),
            metrics_token: None,
        }
    }
}

impl Default for TelegramConfig {
    fn default() -> Self {
        Self {
            token: None,
            api_url: None,
            mode: TelegramMode::Polling,
            webhook_secret: None,
            username: None,
            poll_timeout_secs: 30,
        }
    }
}

impl Default for InviteConfig {
    fn default() -> Self {
        Self {
            ttl_hours: 7 * 24,
            max_wrong_codes_per_chat: 5,
            lockout_minutes: 15,
            max_wrong_codes: 30,
            wrong_codes_window_minutes: 10,
        }
    }
}

/// A configuration problem, said plainly.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: PathBuf, message: String },
    /// An environment variable's value that cannot be used.
    #[error("environment variable {name}: {problem}")]
    Env {
        name: &'static str,
        problem: Problem,
    },
    /// A value that parses but cannot be used, or one that is missing.
    #[error("{0}")]
    Invalid(Problem),
    #[error("feedback.web_check = \"wecom\" needs the WeCom channel ([wecom] with BRANCHBOT_WECOM_CORP_ID, BRANCHBOT_WECOM_AGENT_ID, BRANCHBOT_WECOM_SECRET, BRANCHBOT_WECOM_TOKEN and BRANCHBOT_WECOM_AES_KEY); configure WeCom or use \"sms\" (with an SMS gateway) or \"device\"")]
    WecomCheckWithoutWecom,
}

impl ConfigError {
    /// What is wrong, in `locale`, as the operator reads it after "配置有误：" (the file and
    /// line of a TOML mistake are said by the command line, which knows the file).
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        match self {
            Self::Invalid(p) => p.render(catalog, locale),
            Self::Env { name, problem } => catalog.render(
                locale,
                msg!("config-env"),
                &[
                    ("name", (*name).into()),
                    ("detail", problem.render(catalog, locale).into()),
                ],
            ),
            other => other.to_string(),
        }
    }

    fn invalid(id: Msg) -> Self {
        Self::Invalid(Problem::new(id))
    }
}

/// One configuration mistake as a Fluent message and its arguments: the setting and the value
/// that are wrong. Shown in the operator's language by the command line; its `Display` is the
/// English text, for logs and for whatever prints it without a catalog.
#[derive(Debug, Clone)]
pub struct Problem {
    pub id: Msg,
    args: Vec<(&'static str, ProblemArg)>,
}

#[derive(Debug, Clone)]
enum ProblemArg {
    Plain(Arg),
    /// Messages, each rendered and joined as a list in the reader's language.
    List(Vec<Msg>),
}

impl Problem {
    pub fn new(id: Msg) -> Self {
        Self {
            id,
            args: Vec::new(),
        }
    }

    /// Adds an argument (the setting, the value, a limit).
    pub fn with(mut self, name: &'static str, value: impl Into<Arg>) -> Self {
        self.args.push((name, ProblemArg::Plain(value.into())));
        self
    }

    /// Adds a list of messages, said as one list in the reader's language.
    pub fn with_list(mut self, name: &'static str, items: Vec<Msg>) -> Self {
        self.args.push((name, ProblemArg::List(items)));
        self
    }

    /// The text in `locale`.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ProblemArg::Plain(v) => v.clone(),
                    ProblemArg::List(ids) => ids
                        .iter()
                        .map(|id| catalog.text(locale, *id))
                        .collect::<Vec<_>>()
                        .join(&catalog.text(locale, msg!("cli-list-separator")))
                        .into(),
                };
                (*name, value)
            })
            .collect();
        catalog.render(locale, self.id, &args)
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(Catalog::shared(), Locale::En))
    }
}

impl Config {
    /// Loads the file (if it exists; a named file must exist) and applies the environment.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let env_path = std::env::var_os("BRANCHBOT_CONFIG").map(PathBuf::from);
        let (path, required) = match (path, env_path) {
            (Some(p), _) => (p.to_path_buf(), true),
            (None, Some(p)) => (p, true),
            (None, None) => (PathBuf::from("branchbot.toml"), false),
        };
        let mut config = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str::<Config>(&text).map_err(|e| ConfigError::Parse {
                path: path.clone(),
                message: e.to_string(),
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => Config::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        config.validate()?;
        Ok(config)
    }

    /// Applies `BRANCHBOT_*` overrides and secrets from the given lookup.
    pub fn apply_env(&mut self, get: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("BRANCHBOT_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = v;
        }
        if let Some(v) = get("BRANCHBOT_ORG_NAME") {
            self.org_name = v;
        }
        if let Some(v) = get("BRANCHBOT_LOCALE") {
            self.locale = v.parse().map_err(|_| ConfigError::Env {
                name: "BRANCHBOT_LOCALE",
                problem: Problem::new(msg!("config-env-locale-bad")).with("value", &v),
            })?;
        }
        if let Some(v) = get("BRANCHBOT_TIMEZONE") {
            self.timezone = v;
        }
        if let Some(v) = get("BRANCHBOT_HTTP_LISTEN") {
            self.http.listen = v.parse().map_err(|_| ConfigError::Env {
                name: "BRANCHBOT_HTTP_LISTEN",
                problem: Problem::new(msg!("config-env-listen-bad")).with("value", &v),
            })?;
        }
        if let Some(v) = get("BRANCHBOT_PUBLIC_URL") {
            self.http.public_url = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_METRICS_LISTEN") {
            self.http.metrics_listen = v;
        }
        if let Some(token) = secret(&get, "BRANCHBOT_METRICS_TOKEN")? {
            self.http.metrics_token = Some(sms::Secret::new(token));
        }
        self.telegram.token = secret(&get, "TELOXIDE_TOKEN")?.or(self.telegram.token.take());
        self.telegram.webhook_secret = secret(&get, "BRANCHBOT_TELEGRAM_WEBHOOK_SECRET")?
            .or(self.telegram.webhook_secret.take());
        if let Some(v) = get("BRANCHBOT_TELEGRAM_API_URL") {
            self.telegram.api_url = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_TELEGRAM_USERNAME") {
            self.telegram.username = Some(v);
        }
        for (name, slot) in [
            (
                "BRANCHBOT_TELEGRAM_PER_SECOND",
                &mut self.delivery.telegram_per_second,
            ),
            (
                "BRANCHBOT_TELEGRAM_PER_CHAT_PER_SECOND",
                &mut self.delivery.telegram_per_chat_per_second,
            ),
        ] {
            if let Some(v) = get(name) {
                *slot = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::Env {
                        name: if name.contains("CHAT") {
                            "BRANCHBOT_TELEGRAM_PER_CHAT_PER_SECOND"
                        } else {
                            "BRANCHBOT_TELEGRAM_PER_SECOND"
                        },
                        problem: not_positive(&v),
                    })?;
            }
        }
        if let Some(v) = get("BRANCHBOT_DELIVERY_LEASE_SECS") {
            self.delivery.lease_secs =
                v.parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::Env {
                        name: "BRANCHBOT_DELIVERY_LEASE_SECS",
                        problem: not_positive(&v),
                    })?;
        }
        if let Some(v) = get("BRANCHBOT_QUIET_HOURS") {
            self.delivery.quiet_hours = v;
        }
        if let Some(v) = get("BRANCHBOT_DASHBOARD_SESSION_HOURS") {
            self.dashboard.session_hours =
                v.parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| ConfigError::Env {
                        name: "BRANCHBOT_DASHBOARD_SESSION_HOURS",
                        problem: not_positive(&v),
                    })?;
        }
        self.sms.apply_env(&get)?;
        self.wecom.apply_env(&get)?;
        self.attachments.apply_env(&get)?;
        if let Some(v) = get("BRANCHBOT_TELEGRAM_MODE") {
            self.telegram.mode = match v.to_ascii_lowercase().as_str() {
                "polling" => TelegramMode::Polling,
                "webhook" => TelegramMode::Webhook,
                _ => {
                    return Err(ConfigError::Env {
                        name: "BRANCHBOT_TELEGRAM_MODE",
                        problem: Problem::new(msg!("config-env-telegram-mode-bad"))
                            .with("value", &v),
                    })
                }
            };
        }
        Ok(())
    }

    /// The values the running bot reads, parsed into types once: the zone, quiet hours and
    /// meeting rules are errors here when they do not parse, never a fallback later.
    pub fn settings(&self) -> Result<Settings, ConfigError> {
        between("dues.remind_day", i64::from(self.dues.remind_day), 1, 28)?;
        self.dues.crontab().map_err(|_| {
            ConfigError::Invalid(
                Problem::new(msg!("config-dues-remind-at-bad"))
                    .with("value", self.dues.remind_at.clone()),
            )
        })?;
        self.records
            .check(crate::i18n::Catalog::shared())
            .map_err(|e| {
                use records::PolicyError;
                ConfigError::Invalid(match e {
                    PolicyError::Empty => Problem::new(msg!("records-config-kind-empty")),
                    PolicyError::TooLong(k) => Problem::new(msg!("records-config-kind-long"))
                        .with("kind", k)
                        .with("max", records::MAX_KIND_CHARS.to_string()),
                    PolicyError::Twice(k) => {
                        Problem::new(msg!("records-config-kind-twice")).with("kind", k)
                    }
                })
            })?;
        Ok(Settings {
            tz: self.tz()?,
            quiet: self.delivery.quiet()?,
            meetings: self.meetings.rules()?,
            org_locale: self.locale,
            org_name: self.org_name.clone(),
            invites: self.invites.clone(),
            sms_connected: self.sms.enabled(),
            notice_nudge_interval_ms: self.notices.nudge_interval_minutes.max(1) * 60_000,
            dashboard_session_hours: self.dashboard.session_hours,
            pushes: self.pushes.budget(self.tz()?)?,
            recruitment: self.recruitment.clone(),
            records: self.records.clone(),
            attachments: self.attachments.settings(&self.database_url)?,
            calendar: crate::domain::calendar::Rules::new(&self.calendar.rules),
        })
    }

    /// Checks what serde cannot (the time zone, quiet hours, meeting rules, the webhook
    /// settings, rates and limits) and gives the typed [`Settings`].
    pub fn validate(&self) -> Result<Settings, ConfigError> {
        let settings = self.settings()?;
        if self.telegram.mode == TelegramMode::Webhook && self.telegram.token.is_some() {
            if self.http.public_url.is_none() {
                return Err(ConfigError::invalid(msg!(
                    "config-webhook-needs-public-url"
                )));
            }
            match &self.telegram.webhook_secret {
                None => return Err(ConfigError::invalid(msg!("config-webhook-needs-secret"))),
                // A secret is named by its length, never shown.
                Some(s) if !valid_webhook_secret(s) => {
                    return Err(ConfigError::Invalid(
                        Problem::new(msg!("config-webhook-secret-bad"))
                            .with("length", s.chars().count()),
                    ))
                }
                Some(_) => {}
            }
        }
        self.sms.validate(self.http.public_url.as_deref())?;
        self.wecom.validate()?;
        self.feedback
            .validate(self.sms.enabled(), self.wecom.enabled())?;
        let d = &self.delivery;
        must_be_positive("delivery.telegram_per_second", d.telegram_per_second)?;
        must_be_positive(
            "delivery.telegram_per_chat_per_second",
            d.telegram_per_chat_per_second,
        )?;
        must_be_positive(
            "delivery.telegram_per_group_per_minute",
            d.telegram_per_group_per_minute,
        )?;
        at_least_one("delivery.max_attempts", d.max_attempts)?;
        if !(1..=24 * 90).contains(&self.dashboard.session_hours) {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-dashboard-session-hours"))
                    .with("value", self.dashboard.session_hours),
            ));
        }
        must_be_positive("invites.ttl_hours", self.invites.ttl_hours)?;
        if let Some(addr) = self.http.metrics_addr()? {
            // Port 0 asks the system for a free port, a different one for each listener.
            if addr == self.http.listen && addr.port() != 0 {
                return Err(ConfigError::Invalid(
                    Problem::new(msg!("config-metrics-same-as-listen"))
                        .with("value", addr.to_string()),
                ));
            }
        }
        // A secret is named by its length, never shown.
        if let Some(t) = self
            .http
            .metrics_token
            .as_ref()
            .filter(|t| t.expose().len() < 16)
        {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-metrics-token-short"))
                    .with("length", t.expose().chars().count()),
            ));
        }
        let i = &self.invites;
        at_least_one(
            "invites.max_wrong_codes_per_chat",
            i.max_wrong_codes_per_chat,
        )?;
        at_least_one("invites.max_wrong_codes", i.max_wrong_codes)?;
        between("invites.lockout_minutes", i.lockout_minutes, 1, 24 * 60)?;
        between(
            "invites.wrong_codes_window_minutes",
            i.wrong_codes_window_minutes,
            1,
            24 * 60,
        )?;
        Ok(settings)
    }

    /// Where the dashboard is reached from outside: `http.public_url` when set, else the
    /// address the server listens on.
    pub fn dashboard_base(&self, listening: SocketAddr) -> String {
        match &self.http.public_url {
            Some(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
            _ => format!("http://{listening}"),
        }
    }

    /// The organisation's time zone.
    pub fn tz(&self) -> Result<Tz, ConfigError> {
        self.timezone.parse::<Tz>().map_err(|_| {
            ConfigError::Invalid(
                Problem::new(msg!("config-timezone-bad")).with("value", &self.timezone),
            )
        })
    }
}

/// Reads a secret from `NAME`, or from the file named by `NAME_FILE`.
fn secret(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
) -> Result<Option<String>, ConfigError> {
    if let Some(v) = get(name).filter(|v| !v.trim().is_empty()) {
        return Ok(Some(v.trim().to_owned()));
    }
    let file_var = format!("{name}_FILE");
    let Some(path) = get(&file_var) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Env {
        name,
        problem: Problem::new(msg!("config-env-file-unreadable"))
            .with("file_var", file_var)
            .with("file", &path)
            .with("detail", e.to_string()),
    })?;
    Ok(Some(text.trim().to_owned()).filter(|s| !s.is_empty()))
}

/// "'x' is not a positive whole number", for an environment variable.
fn not_positive(value: &str) -> Problem {
    Problem::new(msg!("config-env-not-positive")).with("value", value)
}

/// Telegram accepts 1–256 characters of `A-Za-z0-9_-` as a webhook secret token.
pub fn valid_webhook_secret(s: &str) -> bool {
    (1..=256).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn the_dues_reminder_time_is_read_and_a_wrong_one_refused() {
        let c: Config = toml::from_str("[dues]\nremind_day = 10\nremind_at = '08:30'\n").unwrap();
        assert_eq!(c.dues.crontab().unwrap(), "30 8 10 * *");
        assert!(c.settings().is_ok());
        let c: Config = toml::from_str("[dues]\nremind_day = 31\n").unwrap();
        let err = c.settings().unwrap_err();
        let zh = err.render(crate::i18n::Catalog::shared(), crate::i18n::Locale::ZhCn);
        assert_eq!(zh, "dues.remind_day 必须在 1 到 28 之间（现在是 31）。");
        let c: Config = toml::from_str("[dues]\nremind_at = '25:00'\n").unwrap();
        let zh = c
            .settings()
            .unwrap_err()
            .render(crate::i18n::Catalog::shared(), crate::i18n::Locale::ZhCn);
        assert_eq!(
            zh,
            "dues.remind_at 的值“25:00”不是有效的时间，请写成 10:00 这样的形式。"
        );
        assert!(toml::from_str::<Config>("[dues]\nday = 3\n").is_err());
    }

    #[test]
    fn environment_overrides_the_file() {
        let mut c: Config =
            toml::from_str("database_url = 'sqlite://a.db'\n[http]\nlisten = '0.0.0.0:9000'\n")
                .unwrap();
        let env: HashMap<&str, &str> = [
            ("BRANCHBOT_DATABASE_URL", "postgres://x@y/z"),
            ("BRANCHBOT_LOCALE", "en"),
            ("TELOXIDE_TOKEN", "123:abc"),
        ]
        .into();
        c.apply_env(|k| env.get(k).map(|v| v.to_string())).unwrap();
        assert_eq!(c.database_url, "postgres://x@y/z");
        assert_eq!(c.locale, Locale::En);
        assert_eq!(c.http.listen.port(), 9000);
        assert_eq!(c.telegram.token.as_deref(), Some("123:abc"));
    }

    #[test]
    fn settings_carry_the_parsed_zone_quiet_hours_and_rules_and_refuse_a_bad_zone() {
        let mut c = Config {
            timezone: "Europe/Berlin".into(),
            ..Config::default()
        };
        c.delivery.quiet_hours = "23:00-06:30".into();
        c.notices.nudge_interval_minutes = 0;
        let s = c.validate().unwrap();
        assert_eq!(s.tz, chrono_tz::Europe::Berlin);
        assert_eq!(s.quiet, QuietHours::parse("23:00-06:30").unwrap());
        assert_eq!(s.meetings, MeetingRules::default());
        // As the engine always read it: at least a minute between two re-nudges.
        assert_eq!(s.notice_nudge_interval_ms, 60_000);
        // The CLI used to fall back to Asia/Shanghai here; now it is the configuration error.
        c.timezone = "Asia/Shangai".into();
        assert_eq!(
            c.settings().unwrap_err().to_string(),
            "'Asia/Shangai' is not a time zone name such as Asia/Shanghai"
        );
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused_plainly() {
        let err = toml::from_str::<Config>("databse_url = 'x'")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `databse_url`"), "{err}");
        let c = Config {
            timezone: "Mars/Olympus".into(),
            ..Config::default()
        };
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "'Mars/Olympus' is not a time zone name such as Asia/Shanghai"
        );
        let mut c = Config::default();
        let err = c
            .apply_env(|k| (k == "BRANCHBOT_TELEGRAM_MODE").then(|| "push".to_owned()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable BRANCHBOT_TELEGRAM_MODE: 'push' is neither polling nor webhook"
        );
    }

    #[test]
    fn the_dashboard_session_length_reads_from_the_file_and_the_environment() {
        assert_eq!(Config::default().dashboard.session_hours, 12);
        let mut c: Config = toml::from_str("[dashboard]\nsession_hours = 4\n").unwrap();
        assert_eq!(c.dashboard.session_hours, 4);
        c.apply_env(|k| (k == "BRANCHBOT_DASHBOARD_SESSION_HOURS").then(|| "8".to_owned()))
            .unwrap();
        assert_eq!(c.dashboard.session_hours, 8);
        let err = c
            .apply_env(|k| (k == "BRANCHBOT_DASHBOARD_SESSION_HOURS").then(|| "0".to_owned()))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable BRANCHBOT_DASHBOARD_SESSION_HOURS: '0' is not a positive whole number"
        );
        let listening = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(c.dashboard_base(listening), "http://127.0.0.1:8080");
        c.http.public_url = Some("https://bot.example.org/".into());
        assert_eq!(c.dashboard_base(listening), "https://bot.example.org");
    }

    #[test]
    fn webhook_mode_requires_a_valid_secret() {
        let mut c = Config::default();
        c.telegram.mode = TelegramMode::Webhook;
        c.telegram.token = Some("1:a".into());
        c.http.public_url = Some("https://bot.example.org".into());
        assert!(c.validate().is_err());
        c.telegram.webhook_secret = Some("has space".into());
        assert!(c.validate().is_err());
        c.telegram.webhook_secret = Some("s3cret_-".into());
        assert!(c.validate().is_ok());
    }

    #[test]
    fn meeting_timings_default_to_todays_and_bad_ones_are_refused_plainly() {
        assert_eq!(
            Config::default().meetings.rules().unwrap(),
            MeetingRules::default()
        );
        let c: Config = toml::from_str(
            "[meetings]\nremind_before = [\"2d\", 90, \"30m\"]\nsignin_opens_minutes = 15\nlength_minutes = 90\n",
        )
        .unwrap();
        let rules = c.meetings.rules().unwrap();
        assert_eq!(rules.remind_before_minutes, vec![2 * 24 * 60, 90, 30]);
        assert_eq!((rules.signin_opens_minutes, rules.length_minutes), (15, 90));
        let c: Config = toml::from_str("[meetings]\nremind_before = [\"1d\", \"soon\"]\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "meetings.remind_before: 'soon' is not a positive duration such as \"3d\", \"1h\", \"90m\" or a number of minutes"
        );
        let c: Config = toml::from_str("[meetings]\nremind_before = []\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "meetings.remind_before needs at least one time, such as [\"1d\"]"
        );
        let c: Config = toml::from_str("[meetings]\nlength_minutes = 0\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "meetings.length_minutes must be positive (it is 0)"
        );
        let c: Config = toml::from_str(
            "[meetings]\nsemesters = [[\"02-20\", \"07-10\"], [\"09-01\", \"01-20\"]]\n[meetings.cadence]\nlesson = \"semester:2\"\ncommittee = \"quarterly\"\n",
        )
        .unwrap();
        let rules = c.meetings.rules().unwrap();
        assert_eq!(rules.cadence(MeetingKind::Lesson), Cadence::PerSemester(2));
        assert_eq!(rules.cadence(MeetingKind::Committee), Cadence::Quarterly);
        assert_eq!(rules.cadence(MeetingKind::General), Cadence::Quarterly);
        assert_eq!(rules.semesters, vec![((2, 20), (7, 10)), ((9, 1), (1, 20))]);
        for (toml, err) in [
            (
                "[meetings.cadence]\nlesson = \"weekly\"\n",
                "meetings.cadence.lesson: 'weekly' is not monthly, quarterly, yearly, none or semester:N",
            ),
            (
                "[meetings.cadence]\nlesson = \"semester:2\"\n",
                "meetings.cadence.lesson = 'semester:2' needs meetings.semesters, e.g. [[\"02-20\", \"07-10\"], [\"09-01\", \"01-20\"]]",
            ),
            (
                "[meetings.cadence]\nparty_day = \"monthly\"\n",
                "meetings.cadence: 'party_day' is not a kind of meeting (general, committee, group, lesson, themed_day, life, other)",
            ),
            (
                "[meetings]\nsemesters = [[\"02-30\", \"07-10\"]]\n",
                "meetings.semesters: '02-30' is not a month and day such as \"09-01\"",
            ),
        ] {
            let c: Config = toml::from_str(toml).unwrap();
            assert_eq!(c.validate().unwrap_err().to_string(), err);
        }
        let err = toml::from_str::<Config>("[meetings]\nreminders = [60]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown field `reminders`"), "{err}");
    }

    #[test]
    fn the_notice_nudge_interval_defaults_to_two_hours_and_can_be_set() {
        assert_eq!(Config::default().notices.nudge_interval_minutes, 120);
        let c: Config = toml::from_str("[notices]\nnudge_interval_minutes = 30\n").unwrap();
        assert_eq!(c.notices.nudge_interval_minutes, 30);
    }

    #[test]
    fn metrics_listen_apart_on_loopback_unless_told_otherwise() {
        let c = Config::default();
        assert_eq!(
            c.http.metrics_addr().unwrap(),
            Some("127.0.0.1:9091".parse().unwrap())
        );
        let mut c = Config::default();
        c.apply_env(|k| match k {
            "BRANCHBOT_METRICS_LISTEN" => Some(String::new()),
            "BRANCHBOT_METRICS_TOKEN" => Some("a-token-long-enough-1".into()),
            _ => None,
        })
        .unwrap();
        assert_eq!(c.http.metrics_addr().unwrap(), None);
        assert!(c.validate().is_ok());
        assert!(!format!("{c:?}").contains("a-token-long-enough-1"));
        for (toml, err) in [
            (
                "[http]\nmetrics_listen = 'nine'\n",
                "http.metrics_listen: 'nine' is not an address like 127.0.0.1:9091 (or empty, for none)",
            ),
            (
                "[http]\nlisten = '127.0.0.1:9091'\n",
                "http.metrics_listen must differ from http.listen (both are 127.0.0.1:9091; leave it empty to serve /metrics only with BRANCHBOT_METRICS_TOKEN)",
            ),
        ] {
            let c: Config = toml::from_str(toml).unwrap();
            assert_eq!(c.validate().unwrap_err().to_string(), err);
        }
        let mut c = Config::default();
        c.apply_env(|k| (k == "BRANCHBOT_METRICS_TOKEN").then(|| "short".to_owned()))
            .unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "BRANCHBOT_METRICS_TOKEN must be at least 16 characters (it has 5)"
        );
    }

    #[test]
    fn the_invite_guard_limits_are_read_and_checked() {
        let c: Config = toml::from_str(
            "[invites]\nmax_wrong_codes_per_chat = 3\nmax_wrong_codes = 100\nwrong_codes_window_minutes = 60\n",
        )
        .unwrap();
        assert_eq!(c.invites.max_wrong_codes_per_chat, 3);
        assert_eq!(c.invites.lockout_minutes, 15);
        assert!(c.validate().is_ok());
        let c: Config = toml::from_str("[invites]\nmax_wrong_codes = 0\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "invites.max_wrong_codes must be at least 1 (it is 0)"
        );
        let c: Config = toml::from_str("[invites]\nlockout_minutes = 2000\n").unwrap();
        assert_eq!(
            c.validate().unwrap_err().to_string(),
            "invites.lockout_minutes must be between 1 and 1440 (it is 2000)"
        );
    }

    /// What the operator reads in Chinese (the command line puts "配置有误：" before it): the
    /// setting and the value, for each kind of check the loader makes.
    #[test]
    fn each_check_names_the_setting_and_its_value_in_chinese() {
        let zh = |e: ConfigError| e.render(Catalog::shared(), Locale::ZhCn);
        let invalid = |toml: &str| {
            zh(toml::from_str::<Config>(toml)
                .unwrap()
                .validate()
                .unwrap_err())
        };
        assert_eq!(
            invalid("timezone = 'Asia/Shangai'\n"),
            "timezone 的值“Asia/Shangai”不是时区名称，请写成 Asia/Shanghai 这样的形式。"
        );
        assert_eq!(
            invalid("[delivery]\nquiet_hours = '22-7'\n"),
            "delivery.quiet_hours 的值“22-7”不是有效的时段，请写成 22:00-07:00 这样的形式。"
        );
        assert_eq!(
            invalid("[delivery]\ntelegram_per_chat_per_second = 0\n"),
            "delivery.telegram_per_chat_per_second 必须是正数（现在是 0）。"
        );
        assert_eq!(
            invalid("[meetings.cadence]\nlesson = 'weekly'\n"),
            "meetings.cadence.lesson 的值“weekly”无法识别，可用 monthly、quarterly、yearly、none 或 semester:N。"
        );
        assert_eq!(
            invalid("[invites]\nwrong_codes_window_minutes = 0\n"),
            "invites.wrong_codes_window_minutes 必须在 1 到 1440 之间（现在是 0）。"
        );
        assert_eq!(
            invalid("[dashboard]\nsession_hours = 3000\n"),
            "dashboard.session_hours 必须在 1 到 2160（90 天）之间（现在是 3000）。"
        );
        let mut c = Config::default();
        let err = c
            .apply_env(|k| (k == "BRANCHBOT_HTTP_LISTEN").then(|| "localhost".to_owned()))
            .unwrap_err();
        assert_eq!(
            zh(err),
            "环境变量 BRANCHBOT_HTTP_LISTEN 的值有误：“localhost”不是有效的地址，请写成 127.0.0.1:8080 这样的形式。"
        );
        let err = c
            .apply_env(|k| {
                (k == "BRANCHBOT_METRICS_TOKEN_FILE").then(|| "/nonexistent/token".to_owned())
            })
            .unwrap_err();
        assert!(
            zh(err).starts_with("环境变量 BRANCHBOT_METRICS_TOKEN 的值有误：无法读取 BRANCHBOT_METRICS_TOKEN_FILE 指定的文件“/nonexistent/token”（"),
        );
    }
}
