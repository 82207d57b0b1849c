//! The HTTP server: the Telegram and SMS webhooks, the WeCom callback, health and readiness,
//! metrics, the web dashboard and the anonymous feedback page, in one axum router.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use tokio::sync::Notify;

use crate::delivery::worker::Stats;
use crate::flows::engine::Engine;

/// What handlers share.
#[derive(Clone)]
pub struct AppState {
    pub engine: Engine,
    /// The webhook secret; None when the webhook is off.
    pub webhook_secret: Option<Arc<str>>,
    /// Wakes the inbox processor.
    pub inbox: Arc<Notify>,
    pub telegram_stats: Option<Arc<Stats>>,
    /// The SMS gateway's webhook side; None when SMS is off.
    pub sms: Option<Arc<crate::channels::sms::webhook::SmsState>>,
    /// `BRANCHBOT_METRICS_TOKEN`: `/metrics` on this listener needs it as a bearer token.
    pub metrics_token: Option<Arc<str>>,
    /// The anonymous feedback page's settings and limits.
    pub web: Arc<feedback::Web>,
    /// The WeCom callback's keys and API; None when WeCom is off.
    pub wecom: Option<Arc<crate::channels::wecom::callback::WecomState>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::public))
        .merge(dashboard::routes())
        .merge(meeting_screen::routes())
        .merge(feedback::routes())
        .with_state(state.clone())
        .merge(crate::channels::telegram::webhook::router(
            state.hook(state.webhook_secret.clone()),
        ))
        .merge(crate::channels::sms::webhook::router(
            state.hook(state.sms.clone()),
        ))
        .merge(crate::channels::wecom::callback::router(
            state.hook(state.wecom.clone()),
        ))
}

impl AppState {
    /// A channel's share of the state.
    fn hook<T: ?Sized>(&self, channel: Option<Arc<T>>) -> crate::channels::Hook<T> {
        crate::channels::Hook {
            engine: self.engine.clone(),
            inbox: Arc::clone(&self.inbox),
            channel,
        }
    }
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers within a moment, its migrations are current, and it takes a write
/// (a full disk or a read-only database is not ready). Answered quickly whatever the
/// database does, so that a load balancer can act.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    use crate::store::Readiness;
    match state.engine.store.readiness().await {
        Ok(Readiness::Ready) => (StatusCode::OK, "ready"),
        Ok(Readiness::MigrationsPending) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Ok(Readiness::NotWritable) => {
            tracing::warn!("readiness check: the database cannot be written (disk full?)");
            (StatusCode::SERVICE_UNAVAILABLE, "database not writable")
        }
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

pub mod dashboard;
pub mod feedback;
pub mod meeting_screen;
pub mod metrics;
