//! The HTTP server: the Telegram and SMS webhooks, the WeCom callback, health and readiness, metrics and the web
//! dashboard, in one axum router.

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
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
    /// The WeCom callback's keys and API; None when WeCom is off.
    pub wecom: Option<Arc<crate::channels::wecom::callback::WecomState>>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics::handle))
        .route(
            "/telegram/webhook",
            post(crate::channels::telegram::webhook::handle),
        )
        .route(
            "/sms/{gateway}/inbound",
            post(crate::channels::sms::webhook::handle).layer(DefaultBodyLimit::max(
                crate::channels::sms::webhook::MAX_BODY,
            )),
        )
        .route(
            "/wecom/callback",
            get(crate::channels::wecom::callback::verify_url)
                .post(crate::channels::wecom::callback::receive)
                .layer(DefaultBodyLimit::max(
                    crate::channels::wecom::callback::MAX_BODY,
                )),
        )
        .merge(dashboard::routes())
        .with_state(state)
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and its migrations are current.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.engine.store.ready().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (StatusCode::SERVICE_UNAVAILABLE, "migrations pending"),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

pub mod dashboard;
pub mod metrics;
