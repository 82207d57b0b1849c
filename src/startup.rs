//! Builds and runs the whole application: store, engine, channels, workers and the HTTP
//! server. `main` and the integration tests both start it through [`Application::build`].

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use teloxide::payloads::SetWebhookSetters;
use teloxide::requests::Requester;
use teloxide::Bot;
use tokio::sync::Notify;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::channels::{sms, telegram};
use crate::clock::Clock;
use crate::config::{Config, TelegramMode};
use crate::delivery::worker::{Stats, Worker, WorkerConfig};
use crate::delivery::Wake;
use crate::flows::engine::Engine;
use crate::flows::ChannelKind;
use crate::http::{self, AppState};
use crate::i18n::Catalog;
use crate::scheduler::{Scheduler, SchedulerConfig, SchedulerHandle};
use crate::store::Store;

/// Everything that can stop the application from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("locales: {0}")]
    Locales(String),
    #[error("telegram: {0}")]
    Telegram(String),
    /// Telegram answered and refused the token (getMe).
    #[error("telegram refused the token: {0}")]
    TelegramToken(String),
    #[error("sms: {0}")]
    Sms(String),
    #[error("wecom: {0}")]
    Wecom(String),
    #[error("attachments: {0}")]
    Attachments(String),
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

/// Options the tests and benchmarks set beyond the configuration file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub clock: Option<Clock>,
    pub telegram_worker: Option<WorkerConfig>,
}

/// A running application.
pub struct Application {
    pub addr: SocketAddr,
    /// Where `/metrics` is served apart (`http.metrics_listen`), if it is.
    pub metrics_addr: Option<SocketAddr>,
    pub engine: Engine,
    pub bot: Option<Bot>,
    pub bot_username: Option<String>,
    pub telegram_stats: Option<Arc<Stats>>,
    /// Set when a token is configured but the network could not reach Telegram at start (the
    /// usual case on mainland networks): everything else runs, and the Telegram loops keep
    /// retrying. Holds the error, for the log.
    pub telegram_unreachable: Option<String>,
    /// Schedules jobs and wakes the scheduler.
    pub scheduler: SchedulerHandle,
    cancel: CancellationToken,
    tasks: JoinSet<()>,
}

impl Application {
    /// Opens the store (migrating it), connects Telegram when a token is set, and starts every
    /// loop and the HTTP server.
    pub async fn build(config: Config, overrides: Overrides) -> Result<Self, StartError> {
        let settings = config.settings()?;
        crate::app::features::check_calendar(&settings)?;
        let tz = settings.tz;
        config.sms.validate_inbound()?;
        config
            .feedback
            .validate(config.sms.enabled(), config.wecom.enabled())?;
        let quiet = settings.quiet;
        // The engine builds the same again; checked here so a bad backend stops the start.
        let files = crate::attachments::Files::from_settings(&settings)
            .map_err(|e| StartError::Attachments(e.to_string()))?;
        tracing::info!(storage = %files.backend().describe(), "attachments");
        let store = Store::open(&config.database_url).await?;
        // The same bundles as the command line's (`cli::main`) and the jobs' (`Catalog::shared`).
        let catalog = Catalog::loaded().map_err(StartError::Locales)?;
        let clock = overrides.clock.unwrap_or(Clock::System);
        let wake = Wake::default();
        let meeting_rules = settings.meetings.clone();
        let scheduler = Scheduler::new(
            store.clone(),
            clock.clone(),
            Arc::new(crate::app::features::jobs_for(&config, &settings)),
            wake.clone(),
            SchedulerConfig {
                sms_connected: config.sms.enabled(),
                meetings: Arc::new(meeting_rules.clone()),
                recruitment: Arc::new(config.recruitment.clone()),
                calendar: Arc::new(settings.calendar.clone()),
                ..SchedulerConfig::new(tz)
            },
        );
        let scheduler_handle = scheduler.handle();
        // Bound before the engine is made: dashboard links name the address actually listened
        // on (port 0 picks a free one) when no public URL is set.
        let listener = tokio::net::TcpListener::bind(config.http.listen)
            .await
            .map_err(|source| StartError::Listen {
                addr: config.http.listen,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| StartError::Listen {
            addr: config.http.listen,
            source,
        })?;
        let metrics_listener = match config.http.metrics_addr()? {
            Some(at) => Some(
                tokio::net::TcpListener::bind(at)
                    .await
                    .map_err(|source| StartError::Listen { addr: at, source })?,
            ),
            None => None,
        };
        let engine = Engine::new(
            store.clone(),
            Arc::clone(&catalog),
            clock.clone(),
            wake.clone(),
            scheduler_handle.clone(),
            &settings,
            &config.dashboard_base(addr),
            crate::app::features::chat(),
        );
        let cancel = CancellationToken::new();
        let mut tasks = JoinSet::new();
        tasks.spawn(scheduler.run(cancel.child_token()));
        let inbox_wake = Arc::new(Notify::new());

        let mut bot = None;
        let mut bot_username = config.telegram.username.clone();
        let mut telegram_stats = None;
        let mut webhook_secret = None;
        let mut telegram_unreachable = None;
        if let Some(token) = &config.telegram.token {
            let b = telegram::bot(token, config.telegram.api_url.as_deref())
                .map_err(StartError::Telegram)?;
            match b.get_me().await {
                Ok(me) => {
                    if bot_username.is_none() {
                        bot_username = me.user.username.clone();
                    }
                    if let Err(e) = telegram::set_commands(&b, &catalog, &engine.features).await {
                        tracing::warn!(error = %e, "setMyCommands failed; the command menu may be stale");
                    }
                }
                // Telegram answered: the token is what is wrong.
                Err(e @ teloxide::RequestError::Api(_)) => {
                    return Err(StartError::TelegramToken(e.to_string()))
                }
                // No answer: the network. The console, SMS and the web still serve; polling
                // and delivery retry until Telegram can be reached.
                Err(e) if config.telegram.mode == TelegramMode::Polling => {
                    tracing::warn!(error = %e, "Telegram cannot be reached; running without it until it can");
                    telegram_unreachable = Some(e.to_string());
                }
                Err(e) => return Err(StartError::Telegram(format!("getMe failed: {e}"))),
            }
            let worker_config = overrides
                .telegram_worker
                .clone()
                .unwrap_or_else(|| WorkerConfig {
                    limits: config.delivery.telegram_limits(),
                    max_attempts: config.delivery.max_attempts,
                    lease: Duration::from_secs(config.delivery.lease_secs),
                    quiet: Some((quiet, tz)),
                    budget: Some(settings.pushes),
                    ..WorkerConfig::default()
                });
            let worker = Worker::new(
                store.clone(),
                clock.clone(),
                Arc::new(telegram::TelegramSender::new(b.clone()).with_files(
                    store.clone(),
                    engine.files.clone(),
                    clock.clone(),
                )),
                Arc::clone(wake.get(ChannelKind::Telegram)),
                worker_config,
            );
            telegram_stats = Some(Arc::clone(&worker.stats));
            tasks.spawn(worker.run(cancel.child_token()));
            engine.sources.register(
                ChannelKind::Telegram,
                Arc::new(telegram::files::TelegramFiles::new(b.clone())),
            );
            match config.telegram.mode {
                TelegramMode::Polling => {
                    tasks.spawn(telegram::polling::run(
                        b.clone(),
                        engine.clone(),
                        config.telegram.poll_timeout_secs,
                        Arc::clone(&inbox_wake),
                        cancel.child_token(),
                    ));
                }
                TelegramMode::Webhook => {
                    let secret = config.telegram.webhook_secret.clone().unwrap_or_default();
                    let base = config.http.public_url.clone().unwrap_or_default();
                    let url = format!("{}/telegram/webhook", base.trim_end_matches('/'));
                    let url: reqwest::Url = url
                        .parse()
                        .map_err(|e| StartError::Telegram(format!("webhook URL {url}: {e}")))?;
                    b.set_webhook(url)
                        .secret_token(secret.clone())
                        .allowed_updates(vec![
                            teloxide::types::AllowedUpdate::Message,
                            teloxide::types::AllowedUpdate::CallbackQuery,
                        ])
                        .await
                        .map_err(|e| StartError::Telegram(format!("setWebhook failed: {e}")))?;
                    webhook_secret = Some(Arc::<str>::from(secret));
                }
            }
            bot = Some(b);
        }

        let sms_state = start_sms(&config, &engine, tz, quiet, &mut tasks, &cancel)?;
        let wecom_state = crate::channels::wecom::start(
            &config.wecom,
            &engine,
            tz,
            quiet,
            config.delivery.max_attempts,
            &mut tasks,
            &cancel,
        )
        .await
        .map_err(StartError::Wecom)?;

        tasks.spawn(inbox_loop(
            engine.clone(),
            bot.clone(),
            Arc::clone(&inbox_wake),
            cancel.child_token(),
        ));

        let state = AppState {
            engine: engine.clone(),
            webhook_secret,
            inbox: Arc::clone(&inbox_wake),
            telegram_stats: telegram_stats.clone(),
            sms: sms_state,
            metrics_token: config
                .http
                .metrics_token
                .as_ref()
                .map(|t| Arc::<str>::from(t.expose())),
            web: Arc::new(http::feedback::Web::new(
                &config.feedback,
                config.feedback.check(config.sms.enabled()),
                &config.dashboard_base(addr),
            )),
            wecom: wecom_state,
        };
        let metrics_addr = match metrics_listener {
            Some(listener) => {
                let addr = listener.local_addr().ok();
                let app = http::metrics::router(state.clone());
                let stop = cancel.child_token();
                tasks.spawn(async move {
                    if let Err(e) = axum::serve(listener, app)
                        .with_graceful_shutdown(async move { stop.cancelled().await })
                        .await
                    {
                        tracing::error!(error = %e, "metrics server stopped");
                    }
                });
                addr
            }
            None => None,
        };
        let server_cancel = cancel.child_token();
        tasks.spawn(async move {
            let app = http::router(state);
            // The peer address feeds the feedback page's rate limits only (never stored).
            let app = app.into_make_service_with_connect_info::<SocketAddr>();
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(async move { server_cancel.cancelled().await })
                .await
            {
                tracing::error!(error = %e, "HTTP server stopped");
            }
        });
        tracing::info!(%addr, metrics = ?metrics_addr, telegram = bot.is_some(), "branchbot started");
        Ok(Self {
            addr,
            metrics_addr,
            engine,
            bot,
            bot_username,
            telegram_stats,
            telegram_unreachable,
            scheduler: scheduler_handle,
            cancel,
            tasks,
        })
    }

    /// A token that stops the application when cancelled.
    pub fn cancel_token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Runs until the token is cancelled, then waits for every loop to finish its work.
    pub async fn run_until_stopped(mut self) {
        self.cancel.cancelled().await;
        while self.tasks.join_next().await.is_some() {}
    }

    /// Stops every loop and waits for them (sends in flight finish and are recorded).
    pub async fn stop(mut self) {
        self.cancel.cancel();
        while self.tasks.join_next().await.is_some() {}
        self.engine.store.close().await;
    }
}

/// Connects the SMS gateway when one is configured: its delivery worker runs, and the
/// webhook's state is returned for the router.
fn start_sms(
    config: &Config,
    engine: &Engine,
    tz: chrono_tz::Tz,
    quiet: crate::domain::quiet::QuietHours,
    tasks: &mut JoinSet<()>,
    cancel: &CancellationToken,
) -> Result<Option<Arc<sms::webhook::SmsState>>, StartError> {
    let Some(connected) =
        sms::connect(&config.sms, config.http.public_url.as_deref()).map_err(StartError::Sms)?
    else {
        return Ok(None);
    };
    let sender = sms::sender::SmsSender::new(
        Arc::clone(&connected.gateway),
        engine.store.clone(),
        Arc::clone(&engine.catalog),
        engine.clock.clone(),
        engine.org_locale,
        tz,
        config.sms.daily_cap,
    );
    let worker = Worker::new(
        engine.store.clone(),
        engine.clock.clone(),
        Arc::new(sender),
        Arc::clone(engine.wake.get(ChannelKind::Sms)),
        WorkerConfig {
            limits: config.sms.limits(),
            max_attempts: config.delivery.max_attempts,
            lease: Duration::from_secs(config.delivery.lease_secs.max(config.sms.timeout_secs * 2)),
            concurrency: 8,
            quiet: Some((quiet, tz)),
            budget: Some(engine.pushes),
            ..WorkerConfig::default()
        },
    );
    tasks.spawn(worker.run(cancel.child_token()));
    tracing::info!(gateway = connected.kind.as_str(), "SMS connected");
    Ok(Some(Arc::new(sms::webhook::SmsState { connected, tz })))
}

/// Processes the inbox whenever a channel stored something (and every few seconds, for rows
/// another replica left behind). After a transient failure (the database busy, full or
/// unreachable) it waits with growing backoff, whatever wakes it, and starts again from the
/// oldest pending row, so each chat's updates keep their order.
async fn inbox_loop(
    engine: Engine,
    bot: Option<Bot>,
    wake: Arc<Notify>,
    cancel: CancellationToken,
) {
    const FIRST_BACKOFF: Duration = Duration::from_millis(200);
    const MAX_BACKOFF: Duration = Duration::from_secs(5);
    let mut backoff = FIRST_BACKOFF;
    // Whether updates came in since the heap was last trimmed.
    let mut worked = false;
    loop {
        let notified = wake.notified();
        tokio::pin!(notified);
        notified.as_mut().enable();
        let drained = engine.drain_inbox().await;
        if let Some(bot) = &bot {
            for (channel, ack) in drained.acks {
                if channel == ChannelKind::Telegram {
                    telegram::ack(bot, &ack).await;
                }
            }
        }
        if let Some(e) = drained.stopped {
            tracing::warn!(error = %e, retry_in = ?backoff, "inbox processing paused by a database failure; will retry");
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(backoff) => {}
            }
            backoff = (backoff * 2).min(MAX_BACKOFF);
            continue;
        }
        backoff = FIRST_BACKOFF;
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = &mut notified => worked = true,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {
                // Five quiet seconds after updates came in: the burst is over.
                if std::mem::take(&mut worked) {
                    release_freed_memory();
                }
            }
        }
    }
}

/// Hands the heap's free pages back to the system. glibc's malloc keeps what a burst freed, in
/// each thread's arena, for the next allocation: without this the resident size stays at the
/// burst's peak however long the bot then idles. Other C libraries: nothing to do here.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::ffi::c_int;
        }
        // SAFETY: malloc_trim takes no pointer; it only walks and trims glibc's own arenas.
        unsafe {
            malloc_trim(0);
        }
    }
}
