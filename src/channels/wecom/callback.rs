//! `GET /wecom/callback` (URL verification) and `POST /wecom/callback` (messages and events),
//! WeCom's documented callback scheme ("接收消息与事件"):
//!
//! 1. the query's `timestamp` must be within `wecom.max_skew_secs` of now (a replay of an old
//!    request is refused), and `msg_signature` must match, compared in constant time, before
//!    anything is decrypted: 403 otherwise, and nothing stored;
//! 2. the `Encrypt` field (or `echostr`) is decrypted; another CorpID, bad padding, truncated
//!    or non-XML content is 400;
//! 3. a text, a card click or `enter_agent` goes through [`take`] in one transaction with its
//!    inbox row (deduplicated on `MsgId`, events on sender, time and key), and the answer is an
//!    empty 200 at once: WeCom retries after 5 s, and replies go out through the API.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono_tz::Tz;

use super::api::Api;
use super::crypto::Crypto;
use super::xml::{self, Message};
use crate::channels::sms::{guess_locale, local_day, signature::hmac_sha256};
use crate::channels::Hook;
use crate::flows::engine::{Engine, InboxItem};
use crate::flows::{ChannelKind, Content, Inbound};
use crate::msg;
use crate::store::{bindings, inbox, outbox, sms, wecom as store, StoreError};

/// The largest callback body read (WeCom's texts are at most 2,048 bytes before encryption).
pub const MAX_BODY: usize = 64 * 1024;

/// What the callback needs beyond the engine.
pub struct WecomState {
    pub crypto: Crypto,
    pub api: Arc<Api>,
    pub userid_is_key: bool,
    pub max_skew_secs: i64,
    /// The organisation's zone, in which "a day" is counted for strangers.
    pub tz: Tz,
    /// Keys the once-a-day tags of unknown userids.
    pub stranger_key: Arc<[u8]>,
}

/// The query WeCom adds to the callback URL.
#[derive(Debug, Default)]
pub struct Params {
    msg_signature: Option<String>,
    timestamp: Option<String>,
    nonce: Option<String>,
    echostr: Option<String>,
}

impl Params {
    fn parse(query: Option<&str>) -> Self {
        let mut p = Self::default();
        for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let slot = match k.as_ref() {
                "msg_signature" => &mut p.msg_signature,
                "timestamp" => &mut p.timestamp,
                "nonce" => &mut p.nonce,
                "echostr" => &mut p.echostr,
                _ => continue,
            };
            slot.get_or_insert_with(|| v.into_owned());
        }
        p
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

/// `GET` and `POST /wecom/callback`, the app's keys in the hook (`None`: WeCom is off, 404).
pub fn router(hook: Hook<WecomState>) -> axum::Router {
    axum::Router::new()
        .route(
            "/wecom/callback",
            axum::routing::get(verify_url)
                .post(receive)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY)),
        )
        .with_state(hook)
}

/// Checks the timestamp and the signature over `encrypt`. Err is the answer to give.
fn authenticate(
    state: &Hook<WecomState>,
    wecom: &WecomState,
    params: &Params,
    encrypt: &str,
) -> Result<(), (StatusCode, &'static str)> {
    let (Some(sig), Some(ts), Some(nonce)) = (
        params.msg_signature.as_deref(),
        params.timestamp.as_deref(),
        params.nonce.as_deref(),
    ) else {
        return Err((StatusCode::FORBIDDEN, "missing signature"));
    };
    let now = state.engine.clock.now().timestamp();
    match ts.trim().parse::<i64>() {
        Ok(t) if (now - t).abs() <= wecom.max_skew_secs => {}
        _ => {
            tracing::warn!("WeCom callback with a stale or unreadable timestamp refused");
            return Err((StatusCode::FORBIDDEN, "stale timestamp"));
        }
    }
    if wecom.crypto.verify(sig, ts, nonce, encrypt).is_err() {
        tracing::warn!("WeCom callback with a bad signature refused");
        return Err((StatusCode::FORBIDDEN, "bad signature"));
    }
    Ok(())
}

/// `GET`: WeCom checks the URL when the admin saves it; the answer is `echostr` decrypted.
pub async fn verify_url(
    State(state): State<Hook<WecomState>>,
    RawQuery(query): RawQuery,
) -> Response {
    let Some(wecom) = state.channel.clone() else {
        return plain(StatusCode::NOT_FOUND, "WeCom is not enabled");
    };
    let params = Params::parse(query.as_deref());
    let Some(echostr) = params.echostr.clone() else {
        return plain(StatusCode::BAD_REQUEST, "missing echostr");
    };
    if let Err(answer) = authenticate(&state, &wecom, &params, &echostr) {
        return answer.into_response();
    }
    match wecom.crypto.decrypt(&echostr) {
        Ok(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "WeCom URL verification could not be decrypted");
            (StatusCode::BAD_REQUEST, e.to_string()).into_response()
        }
    }
}

/// `POST`: a message or event.
pub async fn receive(
    State(state): State<Hook<WecomState>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let Some(wecom) = state.channel.clone() else {
        return plain(StatusCode::NOT_FOUND, "WeCom is not enabled");
    };
    let params = Params::parse(query.as_deref());
    let Ok(text) = std::str::from_utf8(&body) else {
        return plain(StatusCode::BAD_REQUEST, "the body is not UTF-8");
    };
    let envelope = match xml::envelope(text) {
        Ok(e) => e,
        Err(why) => {
            tracing::warn!(%why, "malformed WeCom callback");
            return (StatusCode::BAD_REQUEST, why).into_response();
        }
    };
    if let Err(answer) = authenticate(&state, &wecom, &params, &envelope.encrypt) {
        return answer.into_response();
    }
    let inner = match wecom.crypto.decrypt(&envelope.encrypt) {
        Ok(x) => x,
        Err(e) => {
            tracing::warn!(error = %e, "WeCom callback could not be decrypted");
            return (StatusCode::BAD_REQUEST, e.to_string()).into_response();
        }
    };
    let message = match xml::message(&inner) {
        Ok(m) => m,
        Err(why) => {
            tracing::warn!(%why, "malformed WeCom message");
            return (StatusCode::BAD_REQUEST, why).into_response();
        }
    };
    match take(&state.engine, &wecom, &message).await {
        Ok(intake) => {
            if intake == Intake::Queued {
                state.inbox.notify_one();
            }
            if intake != Intake::Duplicate {
                if let Message::CardClick {
                    from,
                    task_id,
                    key,
                    response_code: Some(code),
                    ..
                } = &message
                {
                    tokio::spawn(update_card(
                        state.engine.clone(),
                        Arc::clone(&wecom),
                        from.clone(),
                        task_id.clone(),
                        key.clone(),
                        code.clone(),
                    ));
                }
            }
            // WeCom wants an empty 200 (or "success") within 5 s; replies go by the API.
            (StatusCode::OK, "").into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not store a WeCom callback");
            plain(StatusCode::SERVICE_UNAVAILABLE, "try again")
        }
    }
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// Seen before (WeCom retried it): nothing done.
    Duplicate,
    /// Left in the inbox for the conversation engine.
    Queued,
    /// Answered (or deliberately not) at the door.
    Handled,
    /// An event the bot does not act on.
    Ignored,
}

/// The tag an unknown userid is remembered by for one local day.
fn stranger_tag(key: &[u8], userid: &str, day_start: i64) -> String {
    hex::encode(hmac_sha256(
        key,
        &[
            b"wecom-stranger\0",
            userid.to_lowercase().as_bytes(),
            b"\0",
            day_start.to_string().as_bytes(),
        ],
    ))
}

/// Takes one authenticated message in, in one transaction with its inbox row. A member (by
/// the roster's userid) is bound to the userid and their message left for the engine; an
/// unknown userid is answered once a day with a short explanation and nothing else is kept.
pub async fn take(
    engine: &Engine,
    wecom: &WecomState,
    message: &Message,
) -> Result<Intake, StoreError> {
    let (Some(from), Some(key)) = (message.from(), message.dedupe_key()) else {
        return Ok(Intake::Ignored);
    };
    let now = engine.clock.now();
    let now_ms = now.timestamp_millis();
    let content = match message {
        Message::Text { content, .. } => Content::Text {
            text: content.clone(),
        },
        Message::CardClick { key, .. } => Content::Choice { data: key.clone() },
        Message::Media {
            media_id,
            photo,
            name,
            ..
        } => Content::File(crate::chat::FileRef {
            id: media_id.clone(),
            photo: *photo,
            name: name.clone(),
            // The callback does not say; the download stops at the limit.
            size: None,
            outcome: None,
            attempts: 0,
            retry_at: None,
        }),
        Message::Unsupported { .. } => Content::Unsupported,
        Message::EnterAgent { .. } | Message::Ignored => Content::Unsupported,
    };
    let inbound = Inbound {
        channel: ChannelKind::Wecom,
        address: from.to_owned(),
        content,
        language_hint: None,
    };
    let mut tx = engine.store.begin().await?;
    let member = store::member_by_userid(&mut tx, from, wecom.userid_is_key).await?;
    let entering = matches!(message, Message::EnterAgent { .. });
    if let Some(m) = &member {
        // A known userid needs no invite: it is the member's address on WeCom from now on.
        if bindings::address_of(&mut tx, m.id, "wecom")
            .await?
            .as_deref()
            != Some(from)
        {
            bindings::bind(&mut tx, "wecom", from, m.id, now_ms).await?;
        }
    }
    let for_engine = !entering
        && (member.is_some()
            || engine
                .features
                .want_stranger(engine, &mut tx, &inbound)
                .await?);
    let payload = if for_engine {
        serde_json::to_string(&InboxItem { inbound, ack: None })
            .map_err(|e| StoreError::Corrupt(e.to_string()))?
    } else {
        String::new()
    };
    let Some(inbox_id) = inbox::insert(&mut tx, "wecom", &key, &payload, now_ms).await? else {
        tx.rollback().await?;
        return Ok(Intake::Duplicate);
    };
    if for_engine {
        tx.commit().await?;
        return Ok(Intake::Queued);
    }
    let mut reply = None;
    if member.is_none() {
        // Nothing is kept about a stranger but a keyed tag for the day.
        sqlx::query("DELETE FROM bindings WHERE channel = 'wecom' AND LOWER(address) = LOWER($1)")
            .bind(from)
            .execute(&mut *tx)
            .await?;
        let (day_start, day_end) = local_day(now, wecom.tz);
        let tag = stranger_tag(&wecom.stranger_key, from, day_start);
        if sms::first_from_stranger(&mut tx, &tag, day_end, now_ms).await? {
            let locale = match message {
                Message::Text { content, .. } => guess_locale(content),
                _ => None,
            }
            .unwrap_or(engine.org_locale);
            reply = Some(engine.catalog.text(locale, msg!("wecom-unknown")));
        }
    }
    if let Some(body) = &reply {
        let message = outbox::NewMessage {
            channel: "wecom".into(),
            address: from.to_owned(),
            member_id: None,
            segments: 1,
            body: body.clone(),
            choices_json: "[]".into(),
            dedupe_key: format!("reply:wecom:{key}:{inbox_id}:0"),
            urgent: true,
            not_before: now_ms,
            expires_at: Some(now_ms + 24 * 3600 * 1000),
        };
        outbox::enqueue(&mut tx, &[message], now_ms).await?;
    }
    let status = if reply.is_some() { "done" } else { "ignored" };
    inbox::finish(&mut tx, inbox_id, status, None, now_ms).await?;
    tx.commit().await?;
    if reply.is_some() {
        engine.wake.notify(ChannelKind::Wecom);
    }
    Ok(Intake::Handled)
}

/// Turns a clicked card's buttons into "已选择：请假" (once; WeCom allows it within 72 h).
async fn update_card(
    engine: Engine,
    wecom: Arc<WecomState>,
    userid: String,
    task_id: String,
    key: String,
    response_code: String,
) {
    let label = async {
        let id = super::sender::row_of_task(&task_id)?;
        let mut conn = engine.store.pool().acquire().await.ok()?;
        let (member_id, choices) = store::sent_row(&mut conn, id, &userid).await.ok()??;
        let choices: Vec<crate::flows::Choice> = serde_json::from_str(&choices).ok()?;
        let label = choices.into_iter().find(|c| c.data == key)?.label;
        let locale = match member_id {
            Some(m) => sms::locale_of(&mut conn, m).await.ok()?,
            None => None,
        }
        .unwrap_or(engine.org_locale);
        Some(engine.catalog.render(
            locale,
            msg!("wecom-card-chosen"),
            &[("label", label.into())],
        ))
    }
    .await;
    let Some(label) = label else {
        tracing::debug!(task_id, "a clicked WeCom card names no row of ours");
        return;
    };
    if let Err(e) = wecom.api.update_card(&userid, &response_code, &label).await {
        tracing::warn!(error = ?e, "could not update a clicked WeCom card");
    }
}
