//! A fake SMS provider on 127.0.0.1 that speaks all three gateways' send APIs: Twilio's
//! Messages API (`POST /2010-04-01/Accounts/{sid}/Messages.json`, form, basic auth), the
//! Android app's (`POST /message` and `/3rdparty/v1/messages`, JSON, basic auth) and a generic
//! JSON endpoint (`POST /generic/send`). It records what was sent and can be told to
//! misbehave for the next send: 429, 5xx, an invalid or unsubscribed number, a slow answer.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// Credentials the fake accepts.
pub const TWILIO_SID: &str = "AC00000000000000000000000000000000";
pub const TWILIO_TOKEN: &str = "twilio-test-token";
pub const ANDROID_USER: &str = "sms";
pub const ANDROID_PASSWORD: &str = "android-test-password";
pub const GENERIC_TOKEN: &str = "generic-test-token";

/// Which API a message came through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    Twilio,
    Android,
    Generic,
}

/// A misbehaviour for the next send.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 with `Retry-After`.
    RetryAfter(u32),
    /// A 5xx answer.
    ServerError(u16),
    /// 400: the number is not valid.
    InvalidNumber,
    /// Twilio's 21610: the recipient replied STOP to Twilio.
    Unsubscribed,
    /// Answer normally, after a delay.
    Slow(Duration),
}

/// One message the bot sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub api: Api,
    pub to: String,
    pub text: String,
    /// The id the fake gave it (what receipts name).
    pub id: String,
    /// Twilio: `From` or `MessagingServiceSid`; `StatusCallback`.
    pub from: Option<String>,
    pub status_callback: Option<String>,
    /// The raw request body (the generic API's rendered template).
    pub raw: String,
}

#[derive(Default)]
struct Inner {
    sent: Mutex<Vec<Sent>>,
    faults: Mutex<VecDeque<Fault>>,
    refused: AtomicU64,
    next: AtomicU64,
    new_sent: Notify,
}

/// A running fake SMS provider.
#[derive(Clone)]
pub struct FakeSms {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

impl FakeSms {
    /// Starts the server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> Self {
        let inner = Arc::new(Inner {
            next: AtomicU64::new(1),
            ..Inner::default()
        });
        let app = Router::new()
            .route("/2010-04-01/Accounts/{sid}/Messages.json", post(twilio))
            .route("/message", post(android))
            .route("/3rdparty/v1/messages", post(android))
            .route("/generic/send", post(generic))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake SMS");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, inner }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Queues a fault for the next send.
    pub fn fault(&self, fault: Fault) {
        self.inner.faults.lock().unwrap().push_back(fault);
    }

    /// Sends refused by an injected fault or bad credentials.
    pub fn refused(&self) -> u64 {
        self.inner.refused.load(Ordering::Relaxed)
    }

    /// Everything sent so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.inner.sent.lock().unwrap().clone()
    }

    /// Messages sent to one number (E.164).
    pub fn sent_to(&self, to: &str) -> Vec<Sent> {
        self.sent().into_iter().filter(|s| s.to == to).collect()
    }

    /// Waits until at least `n` messages were sent to `to`, or panics after `timeout` with
    /// what was sent.
    pub async fn wait_sent(&self, to: &str, n: usize, timeout: Duration) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.new_sent.notified();
            let got = self.sent_to(to);
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "expected {n} SMS to {to} within {timeout:?}, got {}: {got:#?}",
                    got.len()
                );
            }
        }
    }
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, pass) = text.split_once(':')?;
    Some((user.to_owned(), pass.to_owned()))
}

/// The next fault, applied: Some(answer) when the send is refused.
async fn misbehave(inner: &Inner, api: Api) -> Option<Response> {
    let fault = inner.faults.lock().unwrap().pop_front()?;
    let (status, body) = match fault {
        Fault::Slow(d) => {
            tokio::time::sleep(d).await;
            return None;
        }
        Fault::RetryAfter(secs) => {
            inner.refused.fetch_add(1, Ordering::Relaxed);
            let body = json!({"code": 20429, "message": "Too Many Requests", "status": 429});
            return Some(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    [("retry-after", secs.to_string())],
                    axum::Json(body),
                )
                    .into_response(),
            );
        }
        Fault::ServerError(code) => (
            StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            json!({"message": "Internal Server Error", "status": code}),
        ),
        Fault::InvalidNumber => (
            StatusCode::BAD_REQUEST,
            match api {
                Api::Twilio => {
                    json!({"code": 21211, "message": "The 'To' number is not a valid phone number.", "status": 400})
                }
                _ => json!({"message": "invalid phone number"}),
            },
        ),
        Fault::Unsubscribed => (
            StatusCode::BAD_REQUEST,
            json!({"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400}),
        ),
    };
    inner.refused.fetch_add(1, Ordering::Relaxed);
    Some((status, axum::Json(body)).into_response())
}

fn record(inner: &Inner, mut sent: Sent) -> String {
    let n = inner.next.fetch_add(1, Ordering::Relaxed);
    sent.id = match sent.api {
        Api::Twilio => format!("SM{n:032}"),
        Api::Android => format!("and-{n}"),
        Api::Generic => format!("gen-{n}"),
    };
    let id = sent.id.clone();
    inner.sent.lock().unwrap().push(sent);
    inner.new_sent.notify_waiters();
    id
}

fn unauthorized(inner: &Inner) -> Response {
    inner.refused.fetch_add(1, Ordering::Relaxed);
    (
        StatusCode::UNAUTHORIZED,
        axum::Json(json!({"code": 20003, "message": "Authenticate", "status": 401})),
    )
        .into_response()
}

async fn twilio(
    State(inner): State<Arc<Inner>>,
    Path(sid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if sid != TWILIO_SID || basic_auth(&headers) != Some((sid.clone(), TWILIO_TOKEN.into())) {
        return unauthorized(&inner);
    }
    let form: HashMap<String, String> = form_urlencoded::parse(&body).into_owned().collect();
    if let Some(refusal) = misbehave(&inner, Api::Twilio).await {
        return refusal;
    }
    let id = record(
        &inner,
        Sent {
            api: Api::Twilio,
            to: form.get("To").cloned().unwrap_or_default(),
            text: form.get("Body").cloned().unwrap_or_default(),
            id: String::new(),
            from: form
                .get("From")
                .or_else(|| form.get("MessagingServiceSid"))
                .cloned(),
            status_callback: form.get("StatusCallback").cloned(),
            raw: String::from_utf8_lossy(&body).into_owned(),
        },
    );
    (
        StatusCode::CREATED,
        axum::Json(json!({"sid": id, "status": "queued", "num_segments": "1"})),
    )
        .into_response()
}

async fn android(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    if basic_auth(&headers) != Some((ANDROID_USER.into(), ANDROID_PASSWORD.into())) {
        return unauthorized(&inner);
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    if let Some(refusal) = misbehave(&inner, Api::Android).await {
        return refusal;
    }
    let to = v["phoneNumbers"][0].as_str().unwrap_or_default().to_owned();
    let id = record(
        &inner,
        Sent {
            api: Api::Android,
            to: to.clone(),
            text: v["textMessage"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            id: String::new(),
            from: None,
            status_callback: None,
            raw: String::from_utf8_lossy(&body).into_owned(),
        },
    );
    (
        StatusCode::ACCEPTED,
        axum::Json(json!({"id": id, "state": "Pending", "recipients": [{"phoneNumber": to, "state": "Pending"}]})),
    )
        .into_response()
}

async fn generic(State(inner): State<Arc<Inner>>, headers: HeaderMap, body: Bytes) -> Response {
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if auth != format!("Bearer {GENERIC_TOKEN}") {
        return unauthorized(&inner);
    }
    let Ok(v) = serde_json::from_slice::<Value>(&body) else {
        return (StatusCode::BAD_REQUEST, "not JSON").into_response();
    };
    if let Some(refusal) = misbehave(&inner, Api::Generic).await {
        return refusal;
    }
    let id = record(
        &inner,
        Sent {
            api: Api::Generic,
            to: v["to"].as_str().unwrap_or_default().to_owned(),
            text: v["content"].as_str().unwrap_or_default().to_owned(),
            id: String::new(),
            from: None,
            status_callback: None,
            raw: String::from_utf8_lossy(&body).into_owned(),
        },
    );
    // Shaped like template APIs: a result code beside the data.
    axum::Json(json!({"code": "OK", "data": {"msgId": id}})).into_response()
}
