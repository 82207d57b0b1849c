//! A generic gateway, for providers with no module of their own (or a small relay in front of
//! Aliyun, Tencent Cloud and the like).
//!
//! In: JSON `{"from", "to", "text", "id"}` for a message, `{"id", "status", "error"}` for a
//! delivery receipt (`delivered`, `failed`, `undelivered`; anything else is progress), signed
//! as the Android gateway signs: `X-Branchbot-Timestamp` is the time of sending in Unix
//! seconds (digits only) and `X-Branchbot-Signature` is hex HMAC-SHA256, under
//! `BRANCHBOT_SMS_WEBHOOK_KEY`, of the raw body followed by that timestamp. A request whose
//! timestamp is more than `sms.max_skew_secs` (default 300) from now is refused as a replay;
//! within the window the message id is the inbox's dedupe key, which housekeeping keeps for
//! 30 days, far longer than the window (the configuration refuses a window over a day).
//!
//! Out: an HTTP POST built from configuration: `sms.generic.url`, `headers` and a `body`
//! template in which `{to}`, `{text}`, `{id}`, `{segments}` and `{password}` are replaced —
//! JSON-escaped in a JSON body, URL-encoded in a form body or the URL. The message id is read
//! from the answer at `id_pointer`; `ok_pointer`/`ok_value` catch APIs that answer 200 to a
//! refusal.

use std::collections::BTreeMap;

use serde_json::Value;

use super::signature::{hex_matches, hmac_sha256};
use super::{
    classify_status, classify_transport, retry_after, Event, Gateway, Receipt, Received, Refusal,
    Request, Webhook,
};
use crate::config::sms::{Secret, SmsConfig};
use crate::delivery::{SendError, SendFuture};

/// Hex HMAC-SHA256 of the raw body followed by the timestamp.
pub const SIGNATURE_HEADER: &str = "x-branchbot-signature";
/// Unix seconds at sending, part of what is signed.
pub const TIMESTAMP_HEADER: &str = "x-branchbot-timestamp";

/// The generic inbound side.
pub struct GenericWebhook {
    key: Secret,
    max_skew_secs: i64,
}

/// The template-driven sender.
pub struct GenericGateway {
    client: reqwest::Client,
    url: String,
    headers: BTreeMap<String, String>,
    body: String,
    content_type: String,
    id_pointer: Option<String>,
    ok: Option<(String, String)>,
    password: Option<Secret>,
}

/// Both sides from configuration (validated before).
pub fn build(
    config: &SmsConfig,
    client: reqwest::Client,
) -> Result<(GenericWebhook, GenericGateway), String> {
    let g = &config.generic;
    let key = config
        .webhook_key
        .clone()
        .ok_or("BRANCHBOT_SMS_WEBHOOK_KEY is not set")?;
    let gateway = GenericGateway {
        client,
        url: g.url.clone().ok_or("sms.generic.url is not set")?,
        headers: g.headers.clone(),
        body: g.body.clone().ok_or("sms.generic.body is not set")?,
        content_type: g.content_type.clone(),
        id_pointer: g.id_pointer.clone().filter(|p| !p.is_empty()),
        ok: g.ok_pointer.clone().zip(g.ok_value.clone()),
        password: config.password.clone(),
    };
    Ok((GenericWebhook::new(key, config.max_skew_secs), gateway))
}

/// The signature a generic gateway puts in `X-Branchbot-Signature` for a body sent at
/// `timestamp` (Unix seconds, as written in `X-Branchbot-Timestamp`).
pub fn sign(key: &str, body: &[u8], timestamp: &str) -> String {
    hex::encode(hmac_sha256(key.as_bytes(), &[body, timestamp.as_bytes()]))
}

/// A timestamp as written in the header: 1 to 12 ASCII digits, nothing else (so no byte of
/// the body can pass for part of it).
fn timestamp(s: &str) -> Option<i64> {
    if !(1..=12).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

impl GenericWebhook {
    /// Verifies with the shared webhook key, refusing timestamps more than `max_skew_secs`
    /// from now.
    pub fn new(key: Secret, max_skew_secs: i64) -> Self {
        Self { key, max_skew_secs }
    }

    /// The key that tags unknown numbers.
    pub fn key(&self) -> std::sync::Arc<[u8]> {
        self.key.expose().as_bytes().into()
    }
}

impl Webhook for GenericWebhook {
    fn verify(&self, req: &Request<'_>) -> Result<(), Refusal> {
        let given = req.header(SIGNATURE_HEADER).ok_or(Refusal::Unsigned)?;
        let stamp = req.header(TIMESTAMP_HEADER).ok_or(Refusal::Unsigned)?;
        let expected = hmac_sha256(self.key.expose().as_bytes(), &[req.body, stamp.as_bytes()]);
        if !hex_matches(&expected, given) {
            return Err(Refusal::Forged);
        }
        let at = timestamp(stamp).ok_or(Refusal::Forged)?;
        if (req.now_secs - at).abs() > self.max_skew_secs {
            return Err(Refusal::Stale);
        }
        Ok(())
    }

    fn parse(&self, req: &Request<'_>) -> Result<Event, String> {
        let v: Value = serde_json::from_slice(req.body).map_err(|_| "body is not JSON")?;
        let id = match &v["id"] {
            Value::String(s) if !s.is_empty() => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return Err("no id".into()),
        };
        if let Some(text) = v.get("text") {
            let text = text.as_str().ok_or("text is not a string")?;
            let from = v["from"]
                .as_str()
                .filter(|s| !s.is_empty())
                .ok_or("no from")?;
            return Ok(Event::Message(Received {
                id,
                from: from.to_owned(),
                text: text.to_owned(),
                media: false,
            }));
        }
        let status = v["status"].as_str().ok_or("neither text nor status")?;
        let receipt = match status.to_ascii_lowercase().as_str() {
            "delivered" => Receipt::Delivered,
            "failed" | "undelivered" | "rejected" => Receipt::Failed(format!(
                "gateway: {status}{}",
                v["error"]
                    .as_str()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            )),
            _ => Receipt::Progress,
        };
        Ok(Event::Status {
            provider_id: id,
            receipt,
        })
    }
}

/// How a placeholder's value is written into the text around it.
#[derive(Clone, Copy)]
enum Escape {
    /// Inside a JSON string.
    Json,
    /// In a URL or a form body.
    Url,
    /// As it is (headers; values with line breaks are refused there).
    Raw,
}

fn escape(value: &str, how: Escape) -> String {
    match how {
        Escape::Json => {
            let quoted = serde_json::to_string(value).unwrap_or_default();
            quoted[1..quoted.len() - 1].to_owned()
        }
        Escape::Url => form_urlencoded::byte_serialize(value.as_bytes()).collect(),
        Escape::Raw => value.replace(['\r', '\n'], " "),
    }
}

/// Fills `{name}` placeholders in one pass (a value containing `{text}` is not filled again).
fn fill(template: &str, values: &[(&str, &str)], how: Escape) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let hit = after.find('}').and_then(|close| {
            let name = &after[..close];
            values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (close, *v))
        });
        match hit {
            Some((close, value)) => {
                out.push_str(&escape(value, how));
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

impl Gateway for GenericGateway {
    fn send<'a>(&'a self, to: &'a str, text: &'a str, reference: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let segments = super::encoding::segments(text).to_string();
            let password = self.password.as_ref().map(Secret::expose).unwrap_or("");
            let values = [
                ("to", to),
                ("text", text),
                ("id", reference),
                ("segments", segments.as_str()),
                ("password", password),
            ];
            let body_escape = if self.content_type.contains("json") {
                Escape::Json
            } else {
                Escape::Url
            };
            let mut request = self
                .client
                .post(fill(&self.url, &values, Escape::Url))
                .header(reqwest::header::CONTENT_TYPE, &self.content_type)
                .body(fill(&self.body, &values, body_escape));
            for (name, value) in &self.headers {
                request = request.header(name, fill(value, &values, Escape::Raw));
            }
            let answer = request.send().await.map_err(classify_transport)?;
            let status = answer.status().as_u16();
            let wait = retry_after(answer.headers());
            let text = answer.text().await.unwrap_or_default();
            let body: Value = serde_json::from_str(&text).unwrap_or_default();
            if !(200..300).contains(&status) {
                let detail: String = text.chars().take(200).collect();
                return Err(classify_status(status, wait, detail));
            }
            if let Some((pointer, value)) = &self.ok {
                let got = match body.pointer(pointer) {
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                    None => String::new(),
                };
                if got != *value {
                    let detail: String = text.chars().take(200).collect();
                    return Err(SendError::Permanent(format!("refused: {detail}")));
                }
            }
            Ok(self
                .id_pointer
                .as_deref()
                .and_then(|p| match body.pointer(p) {
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(Value::Number(n)) => Some(n.to_string()),
                    _ => None,
                }))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_escaped_for_where_they_land() {
        let values = [
            ("to", "+8613800010004"),
            ("text", "回复 \"1\"\n参加 & {id}"),
            ("id", "bb-7"),
        ];
        assert_eq!(
            fill(
                r#"{"phone":"{to}","content":"{text}","ref":"{id}","x":"{y}"}"#,
                &values,
                Escape::Json
            ),
            r#"{"phone":"+8613800010004","content":"回复 \"1\"\n参加 & {id}","ref":"bb-7","x":"{y}"}"#
        );
        assert_eq!(
            fill("https://sms.example.cn/send?to={to}&msg={text}", &values[..2], Escape::Url),
            "https://sms.example.cn/send?to=%2B8613800010004&msg=%E5%9B%9E%E5%A4%8D+%221%22%0A%E5%8F%82%E5%8A%A0+%26+%7Bid%7D"
        );
        assert_eq!(
            fill("Bearer {password}", &[("password", "a\r\nb")], Escape::Raw),
            "Bearer a  b"
        );
    }

    #[test]
    fn messages_and_receipts_are_read_and_the_signature_checked() {
        let hook = GenericWebhook::new(Secret::new("k"), 300);
        let body = br#"{"from":"+8613800010004","to":"+8610086","text":"1","id":"g-1"}"#;
        let mut h = axum::http::HeaderMap::new();
        h.insert(SIGNATURE_HEADER, sign("k", body, "1000").parse().unwrap());
        h.insert(TIMESTAMP_HEADER, "1000".parse().unwrap());
        let req = Request {
            headers: &h,
            query: None,
            body,
            now_secs: 1000,
        };
        assert_eq!(hook.verify(&req), Ok(()));
        assert!(
            matches!(hook.parse(&req), Ok(Event::Message(m)) if m.from == "+8613800010004" && m.text == "1")
        );
        let receipt = Request {
            body: br#"{"id":"g-9","status":"failed","error":"blacklisted"}"#,
            ..req
        };
        assert_eq!(hook.verify(&receipt), Err(Refusal::Forged));
        assert_eq!(
            hook.parse(&receipt),
            Ok(Event::Status {
                provider_id: "g-9".into(),
                receipt: Receipt::Failed("gateway: failed (blacklisted)".into())
            })
        );
    }

    fn signed(body: &[u8], stamp: &str) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        h.insert(SIGNATURE_HEADER, sign("k", body, stamp).parse().unwrap());
        h.insert(TIMESTAMP_HEADER, stamp.parse().unwrap());
        h
    }

    #[test]
    fn a_captured_request_is_refused_once_outside_the_skew_window() {
        let hook = GenericWebhook::new(Secret::new("k"), 300);
        let body = br#"{"from":"+8613800010004","text":"1","id":"g-1"}"#;
        let h = signed(body, "1000000");
        let at = |now_secs| Request {
            headers: &h,
            query: None,
            body,
            now_secs,
        };
        assert_eq!(hook.verify(&at(1_000_000)), Ok(()));
        assert_eq!(hook.verify(&at(1_000_300)), Ok(()));
        assert_eq!(hook.verify(&at(999_700)), Ok(()));
        assert_eq!(hook.verify(&at(1_000_301)), Err(Refusal::Stale));
        assert_eq!(
            hook.verify(&at(1_000_000 + 31 * 86_400)),
            Err(Refusal::Stale)
        );
        assert_eq!(hook.verify(&at(999_699)), Err(Refusal::Stale));
    }

    #[test]
    fn the_timestamp_is_signed_and_must_be_plain_digits() {
        let hook = GenericWebhook::new(Secret::new("k"), 300);
        let body = br#"{"from":"+8613800010004","text":"1","id":"g-1"}"#;
        // A fresh timestamp on an old signature.
        let mut h = signed(body, "1000");
        h.insert(TIMESTAMP_HEADER, "5000".parse().unwrap());
        let req = Request {
            headers: &h,
            query: None,
            body,
            now_secs: 5000,
        };
        assert_eq!(hook.verify(&req), Err(Refusal::Forged));
        // Signed, but not a plain number.
        for stamp in ["+5000", " 5000", "5e3", "0x1388", "-5000"] {
            let h = signed(body, stamp);
            let req = Request {
                headers: &h,
                query: None,
                body,
                now_secs: 5000,
            };
            assert_eq!(hook.verify(&req), Err(Refusal::Forged), "{stamp:?}");
        }
        // No timestamp at all: the old scheme (body only) is not accepted any more.
        let mut h = axum::http::HeaderMap::new();
        h.insert(
            SIGNATURE_HEADER,
            hex::encode(hmac_sha256(b"k", &[body])).parse().unwrap(),
        );
        let req = Request {
            headers: &h,
            query: None,
            body,
            now_secs: 5000,
        };
        assert_eq!(hook.verify(&req), Err(Refusal::Unsigned));
    }
}
