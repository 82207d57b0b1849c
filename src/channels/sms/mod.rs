//! SMS: the same conversations over plain text messages, through a real gateway.
//!
//! In: a gateway posts to `POST /sms/<gateway>/inbound` ([`webhook`]). The request is
//! authenticated first, in constant time, by the gateway's own scheme ([`twilio`],
//! [`android`], [`generic`]); only then is it parsed into an [`Event`]. [`intake`] decides in
//! one transaction with the inbox row (deduplicated on the gateway's message id) what happens:
//! opt-out keywords, unknown numbers and over-long texts are answered at the door; a member's
//! text is left in the inbox for the conversation engine, which finds the member by the
//! roster's mobile number. Delivery receipts update the outbox row by the gateway's id.
//!
//! Out: [`sender::SmsSender`] is the delivery worker's sender for SMS rows. It refuses
//! non-urgent rows to numbers that opted out, holds them past a number's daily cap, renders
//! choices as numbered options in the reader's language ([`render`]), stores the segment
//! count ([`encoding`]) and hands the text to the gateway.

pub mod android;
pub mod cli;
pub mod generic;
pub mod intake;
pub mod sender;
pub mod signature;
pub mod twilio;
pub mod webhook;

use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderMap;
use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

pub use crate::chat::sms::{encoding, render};
use crate::config::sms::{GatewayKind, SmsConfig};
use crate::delivery::{SendError, SendFuture};
use crate::i18n::Locale;

/// The longest text read from an SMS (about eight segments of Chinese). Longer texts are
/// answered with a request to send less, and not stored.
pub const MAX_INBOUND_CHARS: usize = 500;

/// A text message that arrived, as the gateway reported it (already authenticated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    /// The gateway's id for this message or event: the inbox's dedupe key.
    pub id: String,
    /// The sender's number as the gateway wrote it.
    pub from: String,
    pub text: String,
    /// A picture or other media came with it (MMS).
    pub media: bool,
}

/// What a delivery receipt says about a message the bot sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Receipt {
    Delivered,
    Failed(String),
    /// Queued, sent to the network…: nothing to record.
    Progress,
}

/// What a webhook call carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Message(Received),
    Status {
        provider_id: String,
        receipt: Receipt,
    },
    /// An event the bot does not act on (a ping, an outgoing message's "sent").
    Ignored,
}

/// A webhook request, raw.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub headers: &'a HeaderMap,
    /// The query string as received, without `?`.
    pub query: Option<&'a str>,
    pub body: &'a [u8],
    /// Now, in Unix seconds, for timestamp checks.
    pub now_secs: i64,
}

impl Request<'_> {
    /// A header as text, if present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Why a webhook call was refused before it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No signature (or timestamp) header.
    Unsigned,
    /// The signature does not match.
    Forged,
    /// Signed, but too old or too far in the future: a replay.
    Stale,
}

/// A gateway's inbound side: authenticate, then read.
pub trait Webhook: Send + Sync + 'static {
    /// Checks the signature over the raw request, in constant time. Nothing is parsed for
    /// any other purpose before this passes.
    fn verify(&self, req: &Request<'_>) -> Result<(), Refusal>;
    /// Reads an authenticated request. `Err` is a description of what is malformed.
    fn parse(&self, req: &Request<'_>) -> Result<Event, String>;
    /// The body and content type of the 200 answer.
    fn ok_response(&self) -> (&'static str, &'static str) {
        ("text/plain; charset=utf-8", "ok")
    }
}

/// A gateway's outbound side. Returns the gateway's id for the message.
pub trait Gateway: Send + Sync + 'static {
    /// Sends `text` to `to` (E.164); `reference` is the bot's own id for the message.
    fn send<'a>(&'a self, to: &'a str, text: &'a str, reference: &'a str) -> SendFuture<'a>;
}

/// The connected gateway's two sides.
#[derive(Clone)]
pub struct Connected {
    pub kind: GatewayKind,
    pub webhook: Arc<dyn Webhook>,
    pub gateway: Arc<dyn Gateway>,
    /// Keys the tags of unknown numbers (the gateway's webhook secret).
    pub stranger_key: Arc<[u8]>,
}

/// Builds the configured gateway, or None when SMS is off.
pub fn connect(config: &SmsConfig, public_url: Option<&str>) -> Result<Option<Connected>, String> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.timeout_secs))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let connected = match config.gateway {
        GatewayKind::None => return Ok(None),
        GatewayKind::Twilio => {
            let (webhook, gateway) = twilio::build(config, public_url, client)?;
            Connected {
                kind: config.gateway,
                stranger_key: webhook.key(),
                webhook: Arc::new(webhook),
                gateway: Arc::new(gateway),
            }
        }
        GatewayKind::Android => {
            let (webhook, gateway) = android::build(config, client)?;
            Connected {
                kind: config.gateway,
                stranger_key: webhook.key(),
                webhook: Arc::new(webhook),
                gateway: Arc::new(gateway),
            }
        }
        GatewayKind::Generic => {
            let (webhook, gateway) = generic::build(config, client)?;
            Connected {
                kind: config.gateway,
                stranger_key: webhook.key(),
                webhook: Arc::new(webhook),
                gateway: Arc::new(gateway),
            }
        }
    };
    Ok(Some(connected))
}

/// A best guess at a stranger's language from what they wrote: Chinese characters mean
/// Chinese, Latin letters alone mean English.
pub fn guess_locale(text: &str) -> Option<Locale> {
    if text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
        Some(Locale::ZhCn)
    } else if text.chars().any(|c| c.is_ascii_alphabetic()) {
        Some(Locale::En)
    } else {
        None
    }
}

/// The local day (in the organisation's zone) that contains `now`, as `[start, end)` in Unix
/// milliseconds: what the daily cap and the once-a-day answer to strangers count in.
pub fn local_day(now: DateTime<Utc>, tz: Tz) -> (i64, i64) {
    let start = |day: NaiveDate| {
        // Where a time change skips midnight, the day starts at the first hour that exists.
        [0, 1, 2]
            .iter()
            .find_map(|h| {
                let t = NaiveTime::from_hms_opt(*h, 0, 0)?;
                tz.from_local_datetime(&day.and_time(t)).earliest()
            })
            .map(|t| t.timestamp_millis())
            .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
    };
    let today = now.with_timezone(&tz).date_naive();
    let tomorrow = today.succ_opt().unwrap_or(today);
    (start(today), start(tomorrow))
}

/// Sorts an HTTP answer from a gateway into what the delivery engine does with it: 429 waits
/// (for `Retry-After`, or a few seconds), 5xx and 408 are retried with backoff, other 4xx are
/// the request's own fault.
pub fn classify_status(status: u16, retry_after: Option<Duration>, detail: String) -> SendError {
    match status {
        429 => SendError::RetryAfter(retry_after.unwrap_or(Duration::from_secs(5))),
        408 | 500..=599 => SendError::Transient(format!("HTTP {status}: {detail}")),
        _ => SendError::Permanent(format!("HTTP {status}: {detail}")),
    }
}

/// Sorts a transport failure (timeout, refused connection, unreadable answer): worth a retry.
pub fn classify_transport(err: reqwest::Error) -> SendError {
    let what = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "transport error"
    };
    // reqwest errors name the URL, which for the generic gateway may carry credentials.
    SendError::Transient(format!("{what}: {}", err.without_url()))
}

/// The `Retry-After` header in seconds, if any.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    headers
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(Duration::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chat::Choice;
    use crate::i18n::Catalog;
    use crate::msg;

    fn choices(catalog: &Catalog, locale: Locale) -> Vec<Choice> {
        let _ = locale;
        vec![
            Choice {
                data: "lang:zh-CN".into(),
                label: catalog.text(locale, msg!("lang-zh")),
                aliases: vec![],
            },
            Choice {
                data: "lang:en".into(),
                label: catalog.text(locale, msg!("lang-en")),
                aliases: vec![],
            },
        ]
    }

    #[test]
    fn choices_become_numbered_options_in_the_readers_language() {
        let catalog = Catalog::load().unwrap();
        let zh = render(
            &catalog,
            Locale::ZhCn,
            "请选择语言：",
            &choices(&catalog, Locale::ZhCn),
        );
        assert_eq!(zh, "请选择语言：\n回复 1 中文，2 English");
        let en = render(
            &catalog,
            Locale::En,
            "Choose a language:",
            &choices(&catalog, Locale::En),
        );
        assert_eq!(en, "Choose a language:\nReply 1 中文, 2 English");
        assert_eq!(render(&catalog, Locale::En, "Hi", &[]), "Hi");
    }

    #[test]
    fn gateway_answers_are_sorted_for_retrying() {
        assert_eq!(
            classify_status(429, Some(Duration::from_secs(7)), String::new()),
            SendError::RetryAfter(Duration::from_secs(7))
        );
        assert!(matches!(
            classify_status(503, None, "x".into()),
            SendError::Transient(_)
        ));
        assert!(matches!(
            classify_status(400, None, "x".into()),
            SendError::Permanent(_)
        ));
        assert_eq!(guess_locale("hello"), Some(Locale::En));
        assert_eq!(guess_locale("你好 hi"), Some(Locale::ZhCn));
        assert_eq!(guess_locale("123"), None);
    }

    #[test]
    fn what_the_channel_says_itself_fits_one_message() {
        let catalog = Catalog::load().unwrap();
        for locale in Locale::ALL {
            for id in [
                msg!("sms-unknown"),
                msg!("sms-stopped"),
                msg!("sms-started"),
                msg!("sms-help-stranger"),
            ] {
                let text = catalog.text(locale, id);
                assert_eq!(encoding::segments(&text), 1, "{locale} {id:?}: {text}");
            }
            let name = match locale {
                Locale::ZhCn => "王建国",
                Locale::En => "Emily Carter",
            };
            let help = catalog.render(locale, msg!("sms-help-member"), &[("name", name.into())]);
            assert!(encoding::segments(&help) <= 2, "{help}");
        }
    }

    #[test]
    fn a_day_is_counted_in_the_organisations_zone() {
        // 2025-12-03 23:30 in Shanghai is 15:30 UTC; the day began at 16:00 UTC the day before.
        let now = chrono::DateTime::parse_from_rfc3339("2025-12-03T15:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (start, end) = local_day(now, chrono_tz::Asia::Shanghai);
        let at = |s: &str| {
            chrono::DateTime::parse_from_rfc3339(s)
                .unwrap()
                .timestamp_millis()
        };
        assert_eq!(start, at("2025-12-02T16:00:00Z"));
        assert_eq!(end, at("2025-12-03T16:00:00Z"));
        // Berlin's day of the spring change is 23 hours long.
        let now = chrono::DateTime::parse_from_rfc3339("2025-03-30T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (start, end) = local_day(now, chrono_tz::Europe::Berlin);
        assert_eq!(end - start, 23 * 3_600_000);
    }
}
