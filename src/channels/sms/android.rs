//! SMS Gateway for Android (sms-gate.app, github.com/capcom6/android-sms-gateway): a phone with
//! the organisation's own SIM sends and receives, so no commercial template approval applies.
//!
//! Webhooks (android-sms-gateway/docs-web, docs/features/webhooks.md): the app posts JSON
//! `{"deviceId", "event", "id", "payload": {...}, "webhookId"}` for the events `sms:received`
//! (payload `messageId`, `message`, `phoneNumber` — newer apps add `sender` and `recipient`,
//! with `phoneNumber` kept for compatibility — `simNumber`, `receivedAt`), `sms:sent`,
//! `sms:delivered`, `sms:failed` (payload `messageId`, `phoneNumber`, `reason`) and
//! `system:ping`. The payload's `messageId` "is generated based on the message content and is
//! not guaranteed to be unique", so received messages are deduplicated on the event's `id`.
//! Each request is signed: `X-Signature` is hex HMAC-SHA256 of the raw body followed by the
//! `X-Timestamp` header (Unix seconds), keyed with the signing key set in Settings → Webhooks;
//! the docs advise refusing timestamps more than ±5 minutes off, against replays.
//!
//! Sending (docs/features/sending-messages.md, docs/getting-started/local-server.md): the
//! phone's local server takes `POST {base}/message`, the cloud and private servers
//! `POST {base}/messages` under `/3rdparty/v1`, both with basic auth and JSON
//! `{"textMessage": {"text"}, "phoneNumbers": [...]}`; the answer carries the message `id`
//! that later `sms:delivered` / `sms:failed` events name.

use serde_json::{json, Value};

use super::signature::{hex_matches, hmac_sha256};
use super::{
    classify_status, classify_transport, retry_after, Event, Gateway, Receipt, Received, Refusal,
    Request, Webhook,
};
use crate::config::sms::{Secret, SmsConfig};
use crate::delivery::{SendError, SendFuture};

/// Hex HMAC-SHA256 of the body and the timestamp.
pub const SIGNATURE_HEADER: &str = "x-signature";
/// Unix seconds, part of what is signed.
pub const TIMESTAMP_HEADER: &str = "x-timestamp";

/// The app's inbound side.
pub struct AndroidWebhook {
    key: Secret,
    max_skew_secs: i64,
}

/// The app's send API.
pub struct AndroidGateway {
    client: reqwest::Client,
    endpoint: String,
    username: String,
    password: Secret,
    sim_number: Option<u8>,
}

/// Both sides from configuration (validated before).
pub fn build(
    config: &SmsConfig,
    client: reqwest::Client,
) -> Result<(AndroidWebhook, AndroidGateway), String> {
    let key = config
        .webhook_key
        .clone()
        .ok_or("BRANCHBOT_SMS_WEBHOOK_KEY is not set")?;
    let base = config
        .android
        .base_url
        .as_deref()
        .ok_or("sms.android.base_url is not set")?
        .trim_end_matches('/');
    // The local server names the resource in the singular, the cloud API in the plural.
    let endpoint = if base.ends_with("/3rdparty/v1") {
        format!("{base}/messages")
    } else {
        format!("{base}/message")
    };
    let gateway = AndroidGateway {
        client,
        endpoint,
        username: config.android.username.clone().unwrap_or_default(),
        password: config
            .password
            .clone()
            .ok_or("BRANCHBOT_SMS_GATEWAY_PASSWORD is not set")?,
        sim_number: config.android.sim_number,
    };
    Ok((AndroidWebhook::new(key, config.max_skew_secs), gateway))
}

/// The signature the app puts in `X-Signature` for a body and timestamp.
pub fn sign(key: &str, body: &[u8], timestamp: &str) -> String {
    hex::encode(hmac_sha256(key.as_bytes(), &[body, timestamp.as_bytes()]))
}

impl AndroidWebhook {
    /// Verifies with the app's signing key, refusing timestamps more than `max_skew_secs` off.
    pub fn new(key: Secret, max_skew_secs: i64) -> Self {
        Self { key, max_skew_secs }
    }

    /// The key that tags unknown numbers.
    pub fn key(&self) -> std::sync::Arc<[u8]> {
        self.key.expose().as_bytes().into()
    }
}

fn text(v: &Value) -> Option<&str> {
    v.as_str().filter(|s| !s.is_empty())
}

impl Webhook for AndroidWebhook {
    fn verify(&self, req: &Request<'_>) -> Result<(), Refusal> {
        let given = req.header(SIGNATURE_HEADER).ok_or(Refusal::Unsigned)?;
        let stamp = req.header(TIMESTAMP_HEADER).ok_or(Refusal::Unsigned)?;
        let expected = hmac_sha256(self.key.expose().as_bytes(), &[req.body, stamp.as_bytes()]);
        if !hex_matches(&expected, given) {
            return Err(Refusal::Forged);
        }
        // Signed, so the timestamp is the gateway's own: only its age is left to judge.
        let at: i64 = stamp.trim().parse().map_err(|_| Refusal::Forged)?;
        if (req.now_secs - at).abs() > self.max_skew_secs {
            return Err(Refusal::Stale);
        }
        Ok(())
    }

    fn parse(&self, req: &Request<'_>) -> Result<Event, String> {
        let v: Value = serde_json::from_slice(req.body).map_err(|_| "body is not JSON")?;
        let event = text(&v["event"]).ok_or("no event")?;
        let p = &v["payload"];
        if !p.is_object() {
            return Err("no payload".into());
        }
        let message_id = || {
            text(&p["messageId"])
                .map(str::to_owned)
                .ok_or_else(|| "no payload.messageId".to_owned())
        };
        match event {
            "sms:received" => {
                let from = text(&p["sender"])
                    .or_else(|| text(&p["phoneNumber"]))
                    .ok_or("no payload.sender or payload.phoneNumber")?;
                let id = match text(&v["id"]) {
                    Some(id) => id.to_owned(),
                    // Older apps: the content-based id, made unique by the receive time.
                    None => format!(
                        "{}@{}",
                        message_id()?,
                        p["receivedAt"].as_str().unwrap_or_default()
                    ),
                };
                Ok(Event::Message(Received {
                    id,
                    from: from.to_owned(),
                    text: p["message"]
                        .as_str()
                        .ok_or("no payload.message")?
                        .to_owned(),
                    media: false,
                }))
            }
            "sms:delivered" => Ok(Event::Status {
                provider_id: message_id()?,
                receipt: Receipt::Delivered,
            }),
            "sms:failed" => Ok(Event::Status {
                provider_id: message_id()?,
                receipt: Receipt::Failed(format!(
                    "android: {}",
                    p["reason"].as_str().unwrap_or("failed")
                )),
            }),
            "sms:sent" => Ok(Event::Status {
                provider_id: message_id()?,
                receipt: Receipt::Progress,
            }),
            _ => Ok(Event::Ignored),
        }
    }
}

impl Gateway for AndroidGateway {
    fn send<'a>(&'a self, to: &'a str, text: &'a str, _reference: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let mut body = json!({
                "textMessage": {"text": text},
                "phoneNumbers": [to],
                "withDeliveryReport": true,
            });
            if let Some(sim) = self.sim_number {
                body["simNumber"] = json!(sim);
            }
            let answer = self
                .client
                .post(&self.endpoint)
                .basic_auth(&self.username, Some(self.password.expose()))
                .json(&body)
                .send()
                .await
                .map_err(classify_transport)?;
            let status = answer.status().as_u16();
            let wait = retry_after(answer.headers());
            let body: Value = answer.json().await.unwrap_or_default();
            if (200..300).contains(&status) {
                return match body["id"].as_str() {
                    Some(id) => Ok(Some(id.to_owned())),
                    None => Err(SendError::Transient("answer without an id".into())),
                };
            }
            let detail = body["message"]
                .as_str()
                .or_else(|| body["error"].as_str())
                .unwrap_or("no message")
                .to_owned();
            Err(classify_status(status, wait, detail))
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    const BODY: &[u8] = br#"{"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C","payload":{"messageId":"abc123","message":"Android is always a sweet treat!","phoneNumber":"6505551212","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"w1"}"#;

    fn headers(signature: &str, stamp: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(SIGNATURE_HEADER, HeaderValue::from_str(signature).unwrap());
        h.insert(TIMESTAMP_HEADER, HeaderValue::from_str(stamp).unwrap());
        h
    }

    #[test]
    fn the_documented_payload_verifies_and_reads() {
        let hook = AndroidWebhook::new(Secret::new("signing-key"), 300);
        let now = 1_719_046_000;
        let sig = sign("signing-key", BODY, &now.to_string());
        let h = headers(&sig, &now.to_string());
        let req = Request {
            headers: &h,
            query: None,
            body: BODY,
            now_secs: now + 10,
        };
        assert_eq!(hook.verify(&req), Ok(()));
        assert_eq!(
            hook.parse(&req).unwrap(),
            Event::Message(Received {
                id: "Ey6ECgOkVVFjz3CL48B8C".into(),
                from: "6505551212".into(),
                text: "Android is always a sweet treat!".into(),
                media: false,
            })
        );
    }

    #[test]
    fn forged_missing_and_stale_signatures_are_refused() {
        let hook = AndroidWebhook::new(Secret::new("signing-key"), 300);
        let now = 1_719_046_000;
        let stamp = now.to_string();
        let good = sign("signing-key", BODY, &stamp);
        let check = |h: &HeaderMap, now_secs: i64| {
            hook.verify(&Request {
                headers: h,
                query: None,
                body: BODY,
                now_secs,
            })
        };
        assert_eq!(
            check(&headers(&sign("other", BODY, &stamp), &stamp), now),
            Err(Refusal::Forged)
        );
        // The signature covers the timestamp: moving it forward breaks it.
        assert_eq!(
            check(&headers(&good, &(now + 1).to_string()), now),
            Err(Refusal::Forged)
        );
        assert_eq!(check(&HeaderMap::new(), now), Err(Refusal::Unsigned));
        // A genuine request, replayed ten minutes later.
        assert_eq!(
            check(&headers(&good, &stamp), now + 600),
            Err(Refusal::Stale)
        );
    }

    #[test]
    fn receipts_name_the_message_the_bot_sent() {
        let hook = AndroidWebhook::new(Secret::new("k"), 300);
        let h = HeaderMap::new();
        let parse = |body: &'static [u8]| {
            hook.parse(&Request {
                headers: &h,
                query: None,
                body,
                now_secs: 0,
            })
        };
        assert_eq!(
            parse(br#"{"event":"sms:failed","id":"e1","payload":{"messageId":"zXD","reason":"Invalid number"}}"#),
            Ok(Event::Status {
                provider_id: "zXD".into(),
                receipt: Receipt::Failed("android: Invalid number".into())
            })
        );
        assert_eq!(
            parse(br#"{"event":"system:ping","id":"e2","payload":{"health":{}}}"#),
            Ok(Event::Ignored)
        );
        assert!(parse(b"[1,2").is_err());
        assert!(parse(br#"{"event":"sms:received","id":"e3","payload":{"message":"x"}}"#).is_err());
    }
}
