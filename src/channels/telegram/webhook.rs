//! Our own webhook handler (teloxide's listener answers 200 before processing and compares the
//! secret in non-constant time). The secret header is checked in constant time first; the body
//! must be an update with an `update_id`; it is stored in the inbox, keyed by update_id, before
//! the 200 goes back. A duplicate is answered 200 and dropped.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use subtle::ConstantTimeEq;
use teloxide::types::{Update, UpdateKind};

use crate::flows::engine::InboxItem;
use crate::flows::ChannelKind;
use crate::http::AppState;

/// The header Telegram sends the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Update kinds the bot reads; any other kind is acknowledged and ignored.
const KNOWN_KINDS: [&str; 2] = ["message", "callback_query"];

/// Reads a webhook body: the update's id (the inbox's dedupe key) and what the inbox stores
/// (None for a kind the bot ignores), or why it is refused with 400.
pub fn read(body: &[u8]) -> Result<(String, Option<InboxItem>), &'static str> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| "body is not JSON")?;
    let update_id = value
        .get("update_id")
        .and_then(serde_json::Value::as_u64)
        .ok_or("no update_id")?;
    // Parse from the bytes: teloxide's flattened `Update` does not survive a detour through
    // `serde_json::Value`.
    let update = serde_json::from_slice::<Update>(body).map_err(|_| "not a Telegram update")?;
    if matches!(update.kind, UpdateKind::Error(_))
        && KNOWN_KINDS.iter().any(|k| value.get(*k).is_some())
    {
        // A kind the bot handles, but malformed: not something Telegram would send.
        return Err("malformed update");
    }
    Ok((update_id.to_string(), super::decode(&update)))
}

/// `POST /telegram/webhook`.
pub async fn handle(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let Some(expected) = state.webhook_secret.as_deref() else {
        return (StatusCode::NOT_FOUND, "webhook not enabled");
    };
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !bool::from(given.ct_eq(expected.as_bytes())) {
        return (StatusCode::FORBIDDEN, "bad secret token");
    }
    let (external_id, item) = match read(&body) {
        Ok(read) => read,
        Err(why) => return (StatusCode::BAD_REQUEST, why),
    };
    let stored = match item {
        Some(item) => state.engine.receive(&external_id, &item).await.map(|_| ()),
        None => {
            state
                .engine
                .receive_ignored(ChannelKind::Telegram, &external_id)
                .await
        }
    };
    match stored {
        Ok(()) => {
            state.inbox.notify_one();
            (StatusCode::OK, "ok")
        }
        Err(e) => {
            tracing::error!(error = %e, "could not store a webhook update");
            // Telegram retries on a non-2xx answer: nothing is lost.
            (StatusCode::SERVICE_UNAVAILABLE, "try again")
        }
    }
}
