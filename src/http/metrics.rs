//! `GET /metrics`: queue depths and delivery counters in the Prometheus text format.
//!
//! Not public: it is served on its own address (`http.metrics_listen`, loopback by default,
//! [`router`]) and, on the public listener, only to a request carrying
//! `Authorization: Bearer <BRANCHBOT_METRICS_TOKEN>` ([`public`]; 404 there when no token is
//! set, 401 for a missing or wrong token).

use std::fmt::Write;
use std::sync::atomic::Ordering;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use subtle::ConstantTimeEq;

use super::AppState;
use crate::store::{inbox, outbox};

/// The metrics listener's routes: `/metrics` and nothing else.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(handle))
        .with_state(state)
}

/// `GET /metrics` on the public listener: only with the bearer token.
pub async fn public(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(token) = state.metrics_token.clone() else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .trim();
    if !bool::from(given.as_bytes().ct_eq(token.as_bytes())) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a bearer token is required\n",
        )
            .into_response();
    }
    handle(State(state)).await.into_response()
}

pub async fn handle(State(state): State<AppState>) -> impl IntoResponse {
    match render(&state).await {
        Ok(body) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            body,
        ),
        Err(e) => {
            tracing::warn!(error = %e, "metrics unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(header::CONTENT_TYPE, "text/plain")],
                "database unavailable\n".to_owned(),
            )
        }
    }
}

async fn render(state: &AppState) -> Result<String, crate::store::StoreError> {
    let mut conn = state.engine.store.pool().acquire().await?;
    let now = state.engine.clock.now_ms();
    let figures = outbox::figures(&mut conn, now).await?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# HELP branchbot_outbox_messages Outbox rows by channel and status."
    );
    let _ = writeln!(out, "# TYPE branchbot_outbox_messages gauge");
    for (channel, status, n) in &figures.by_status {
        let _ = writeln!(
            out,
            "branchbot_outbox_messages{{channel=\"{channel}\",status=\"{status}\"}} {n}"
        );
    }
    let _ = writeln!(
        out,
        "# HELP branchbot_outbox_oldest_pending_seconds Age of the oldest message not yet sent."
    );
    let _ = writeln!(out, "# TYPE branchbot_outbox_oldest_pending_seconds gauge");
    for (channel, age) in &figures.oldest_pending {
        let _ = writeln!(
            out,
            "branchbot_outbox_oldest_pending_seconds{{channel=\"{channel}\"}} {}",
            age / 1000
        );
    }
    let _ = writeln!(
        out,
        "# HELP branchbot_outbox_sent_last_minute Messages sent in the last minute, all replicas."
    );
    let _ = writeln!(out, "# TYPE branchbot_outbox_sent_last_minute gauge");
    let _ = writeln!(
        out,
        "branchbot_outbox_sent_last_minute {}",
        figures.sent_last_minute
    );
    let _ = writeln!(out, "# HELP branchbot_outbox_rate_limited_total 429 answers recorded on outbox rows, all replicas.");
    let _ = writeln!(out, "# TYPE branchbot_outbox_rate_limited_total counter");
    let _ = writeln!(
        out,
        "branchbot_outbox_rate_limited_total {}",
        figures.rate_limited_total
    );
    let _ = writeln!(out, "# HELP branchbot_inbox_updates Inbox rows by status.");
    let _ = writeln!(out, "# TYPE branchbot_inbox_updates gauge");
    for (status, n) in inbox::counts(&mut conn).await? {
        let _ = writeln!(out, "branchbot_inbox_updates{{status=\"{status}\"}} {n}");
    }
    let _ = writeln!(
        out,
        "# HELP branchbot_inbox_failed_total Updates this process set aside as failed (stored data it cannot read, a bug) since it started."
    );
    let _ = writeln!(out, "# TYPE branchbot_inbox_failed_total counter");
    let _ = writeln!(
        out,
        "branchbot_inbox_failed_total {}",
        crate::flows::engine::FAILED_UPDATES.load(Ordering::Relaxed)
    );
    let _ = writeln!(
        out,
        "# HELP branchbot_jobs Scheduled jobs by kind and status."
    );
    let _ = writeln!(out, "# TYPE branchbot_jobs gauge");
    for (kind, status, n) in crate::store::jobs::counts(&mut conn).await? {
        let _ = writeln!(
            out,
            "branchbot_jobs{{kind=\"{kind}\",status=\"{status}\"}} {n}"
        );
    }
    if let Some((_, _, at)) = crate::store::jobs::upcoming(&mut conn, 1).await?.first() {
        let _ = writeln!(
            out,
            "# HELP branchbot_jobs_next_due_seconds Seconds until the next scheduled job is due."
        );
        let _ = writeln!(out, "# TYPE branchbot_jobs_next_due_seconds gauge");
        let _ = writeln!(out, "branchbot_jobs_next_due_seconds {}", (at - now) / 1000);
    }
    if let Some(stats) = &state.telegram_stats {
        let _ = writeln!(
            out,
            "# HELP branchbot_delivery_total Send outcomes of this process since it started."
        );
        let _ = writeln!(out, "# TYPE branchbot_delivery_total counter");
        for (name, v) in [
            ("sent", &stats.sent),
            ("failed", &stats.failed),
            ("blocked", &stats.blocked),
            ("expired", &stats.expired),
            ("retried", &stats.retried),
            ("rate_limited", &stats.rate_limited),
            ("resumed", &stats.resumed),
        ] {
            let _ = writeln!(
                out,
                "branchbot_delivery_total{{channel=\"telegram\",outcome=\"{name}\"}} {}",
                v.load(Ordering::Relaxed)
            );
        }
    }
    Ok(out)
}
