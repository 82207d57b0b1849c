//! Our own webhook handler (teloxide's listener answers 200 before processing and compares the
//! secret in non-constant time). The secret header is checked in constant time first; the body
//! must be an update with an `update_id`; it is stored in the inbox, keyed by update_id, before
//! the 200 goes back. A duplicate is answered 200 and dropped.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use subtle::ConstantTimeEq;
use teloxide::types::{Update, UpdateKind};

use crate::channels::Hook;
use crate::chat::ChannelKind;
use crate::flows::engine::InboxItem;

/// The header Telegram sends the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Reads a webhook body: the update's id (the inbox's dedupe key) and what the inbox stores
/// (None for a kind the bot ignores), or why it is refused with 400.
pub fn read(body: &[u8]) -> Result<(String, Option<InboxItem>), &'static str> {
    // The head first, skipping everything else without building it: a large body of some
    // other shape costs no memory beyond its bytes.
    let head: Head = serde_json::from_slice(body).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => "no update_id",
        _ => "body is not JSON",
    })?;
    let update_id = head.update_id.ok_or("no update_id")?;
    if head.message.is_none() && head.callback_query.is_none() {
        // A kind the bot does not read: acknowledged, never parsed further (Telegram's update
        // ids fit in 32 bits, as teloxide reads them).
        if u32::try_from(update_id).is_err() {
            return Err("not a Telegram update");
        }
        return Ok((update_id.to_string(), None));
    }
    let update = serde_json::from_slice::<Update>(body).map_err(|_| "not a Telegram update")?;
    if matches!(update.kind, UpdateKind::Error(_)) {
        // A kind the bot handles, but malformed: not something Telegram would send.
        return Err("malformed update");
    }
    Ok((update_id.to_string(), super::decode(&update)))
}

/// What is read of a body before anything else: its id and which of the kinds the bot reads
/// it holds (their contents skipped).
#[derive(serde::Deserialize)]
struct Head {
    update_id: Option<u64>,
    message: Option<serde::de::IgnoredAny>,
    callback_query: Option<serde::de::IgnoredAny>,
}

/// The largest update read. Telegram's updates are a few KiB (a 4,096-character text with
/// entities is under 64 KiB); axum's default would read 2 MiB.
pub const MAX_BODY: usize = 256 * 1024;

/// `POST /telegram/webhook`, its secret in the hook (`None`: the webhook is off, 404).
pub fn router(hook: Hook<str>) -> axum::Router {
    axum::Router::new()
        .route(
            "/telegram/webhook",
            axum::routing::post(handle).layer(axum::extract::DefaultBodyLimit::max(MAX_BODY)),
        )
        .with_state(hook)
}

/// `POST /telegram/webhook`.
pub async fn handle(
    State(state): State<Hook<str>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let Some(expected) = state.channel.as_deref() else {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_head_first_and_other_kinds_are_acknowledged_unparsed() {
        assert_eq!(read(b"{").map(|_| ()), Err("body is not JSON"));
        assert_eq!(read(b"[]").map(|_| ()), Err("no update_id"));
        assert_eq!(
            read(br#"{"update_id":"7"}"#).map(|_| ()),
            Err("no update_id")
        );
        // Another kind, however large its content: its id and nothing else.
        let junk = format!(
            r#"{{"update_id":7,"edited_message":[{}1]}}"#,
            r#"{"a":1},"#.repeat(20_000)
        );
        let (id, item) = read(junk.as_bytes()).unwrap();
        assert_eq!((id.as_str(), item.is_none()), ("7", true));
        assert_eq!(
            read(br#"{"update_id":4294967296,"poll":{}}"#).map(|_| ()),
            Err("not a Telegram update")
        );
        // A kind the bot reads, malformed.
        assert_eq!(
            read(br#"{"update_id":8,"message":{"chat":"x"}}"#).map(|_| ()),
            Err("malformed update")
        );
    }
}
