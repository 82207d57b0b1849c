//! `POST /sms/<gateway>/inbound`: the gateway's signature is checked on the raw request before
//! anything is read; then a message goes to [`super::intake`] and a delivery receipt updates
//! its outbox row. Forged, unsigned or stale requests get 403 and leave no trace; malformed
//! ones 400; a database failure 503, so the gateway tries again.

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;

use super::{intake, Connected, Event, Receipt, Refusal, Request};
use crate::channels::Hook;
use crate::store::sms;

/// What the SMS endpoint needs beyond the engine.
pub struct SmsState {
    pub connected: Connected,
    /// The organisation's zone, in which "a day" is counted.
    pub tz: Tz,
}

/// The largest webhook body read (a Twilio form with a 1,600-character body is about 5 KiB).
pub const MAX_BODY: usize = 64 * 1024;

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

/// `POST /sms/{gateway}/inbound`, the gateway's settings in the hook (`None`: SMS is off, 404).
pub fn router(hook: Hook<SmsState>) -> axum::Router {
    axum::Router::new()
        .route(
            "/sms/{gateway}/inbound",
            axum::routing::post(handle).layer(axum::extract::DefaultBodyLimit::max(MAX_BODY)),
        )
        .with_state(hook)
}

/// The handler.
pub async fn handle(
    State(state): State<Hook<SmsState>>,
    Path(gateway): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(sms) = state.channel.as_deref() else {
        return plain(StatusCode::NOT_FOUND, "SMS is not enabled");
    };
    if gateway != sms.connected.kind.as_str() {
        return plain(StatusCode::NOT_FOUND, "no such SMS gateway");
    }
    let req = Request {
        headers: &headers,
        query: query.as_deref(),
        body: &body,
        now_secs: state.engine.clock.now().timestamp(),
    };
    if let Err(refusal) = sms.connected.webhook.verify(&req) {
        tracing::warn!(gateway, ?refusal, "SMS webhook refused");
        let why = match refusal {
            Refusal::Unsigned => "missing signature",
            Refusal::Forged => "bad signature",
            Refusal::Stale => "stale timestamp",
        };
        return plain(StatusCode::FORBIDDEN, why);
    }
    let event = match sms.connected.webhook.parse(&req) {
        Ok(e) => e,
        Err(why) => {
            tracing::warn!(gateway, %why, "malformed SMS webhook");
            return (StatusCode::BAD_REQUEST, why).into_response();
        }
    };
    let outcome = match &event {
        Event::Message(m) => {
            match intake::take(&state.engine, &sms.connected.stranger_key, sms.tz, m).await {
                Ok(intake::Intake::Queued) => {
                    state.inbox.notify_one();
                    Ok(())
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e),
            }
        }
        Event::Status {
            provider_id,
            receipt,
        } => record(&state, provider_id, receipt).await,
        Event::Ignored => Ok(()),
    };
    match outcome {
        Ok(()) => {
            let (content_type, body) = sms.connected.webhook.ok_response();
            (StatusCode::OK, [(header::CONTENT_TYPE, content_type)], body).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not store an SMS webhook");
            plain(StatusCode::SERVICE_UNAVAILABLE, "try again")
        }
    }
}

/// Applies a delivery receipt to the row the gateway knows by `provider_id`.
async fn record(
    state: &Hook<SmsState>,
    provider_id: &str,
    receipt: &Receipt,
) -> Result<(), crate::store::StoreError> {
    let mut conn = state.engine.store.pool().acquire().await?;
    let changed = match receipt {
        Receipt::Delivered => sms::mark_delivered(&mut conn, provider_id).await?,
        Receipt::Failed(error) => sms::mark_undelivered(&mut conn, provider_id, error).await?,
        Receipt::Progress => return Ok(()),
    };
    if changed == 0 {
        tracing::debug!(provider_id, "delivery receipt for no sent SMS row");
    }
    Ok(())
}
