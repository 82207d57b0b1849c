//! A fake Telegram Bot API on 127.0.0.1. teloxide is pointed at it with a custom API URL. It
//! answers getMe, getUpdates (long polling), sendMessage, editMessageText,
//! editMessageReplyMarkup, answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook and
//! getFile, sendDocument and sendPhoto (a multipart upload, or a file_id sent before; each
//! recorded as an [`Upload`]), and serves the files it holds at `/file/bot<token>/<path>` as
//! Telegram does
//! (method names matched case-insensitively, as teloxide sends `SendMessage`), records every
//! call and download, and can be told to misbehave: 429 with retry_after, 403 "bot was blocked
//! by the user", 5xx, garbage, slow answers, and Telegram's own rate limits.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::Notify;

/// A misbehaviour to inject.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// 429 Too Many Requests with `parameters.retry_after`.
    RetryAfter(u32),
    /// 403 Forbidden: bot was blocked by the user.
    Blocked,
    /// 400 Bad Request: chat not found.
    ChatNotFound,
    /// A 5xx answer with a JSON error body.
    ServerError(u16),
    /// 200 with a body that is not JSON.
    Garbage,
    /// Answer normally, after a delay.
    Slow(Duration),
}

/// One message the bot sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub chat_id: i64,
    pub message_id: i64,
    pub text: String,
    /// Inline keyboard rows of (label, callback data).
    pub buttons: Vec<Vec<(String, String)>>,
}

impl Sent {
    /// Button labels, row by row, flattened.
    pub fn labels(&self) -> Vec<String> {
        self.buttons
            .iter()
            .flatten()
            .map(|(l, _)| l.clone())
            .collect()
    }

    /// The callback data of the button with this label.
    pub fn data_of(&self, label: &str) -> Option<String> {
        self.buttons
            .iter()
            .flatten()
            .find(|(l, _)| l == label)
            .map(|(_, d)| d.clone())
    }
}

/// A file the bot sent with sendDocument or sendPhoto.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    pub chat_id: i64,
    /// `senddocument` or `sendphoto`.
    pub method: String,
    pub caption: String,
    /// The uploaded file's name and size; None when the bot sent a file_id instead.
    pub uploaded: Option<(String, usize)>,
    /// The file_id it went out as (the one the upload got, or the one the bot sent).
    pub file_id: String,
}

/// Telegram's limits, each counted in a strict sliding window: at most 30 messages in any one
/// second overall, one in any second to a private chat, 20 in any minute to a group (negative
/// chat id).
#[derive(Default)]
struct Limits {
    overall: VecDeque<Instant>,
    chats: HashMap<i64, VecDeque<Instant>>,
}

impl Limits {
    const OVERALL: (usize, Duration) = (30, Duration::from_secs(1));
    const CHAT: (usize, Duration) = (1, Duration::from_secs(1));
    const GROUP: (usize, Duration) = (20, Duration::from_secs(60));

    /// Counts a message at `now`, or refuses it with the whole seconds to wait (Telegram's
    /// `retry_after`) when it would be one too many in some window. A refused message is not
    /// counted.
    fn admit(&mut self, chat_id: i64, now: Instant) -> Option<u64> {
        let (count, window) = if chat_id < 0 { Self::GROUP } else { Self::CHAT };
        let chat = self.chats.entry(chat_id).or_default();
        let wait = [
            Self::full_until(&mut self.overall, Self::OVERALL.0, Self::OVERALL.1, now),
            Self::full_until(chat, count, window, now),
        ]
        .into_iter()
        .flatten()
        .max();
        if let Some(until) = wait {
            let secs = until.duration_since(now).as_secs_f64().ceil() as u64;
            return Some(secs.max(1));
        }
        self.overall.push_back(now);
        chat.push_back(now);
        None
    }

    /// When the window in `sends` has room again, if it has none at `now`.
    fn full_until(
        sends: &mut VecDeque<Instant>,
        count: usize,
        window: Duration,
        now: Instant,
    ) -> Option<Instant> {
        while sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            sends.pop_front();
        }
        (sends.len() >= count).then(|| sends[sends.len() - count] + window)
    }
}

#[derive(Default)]
struct Inner {
    sent: Mutex<Vec<Sent>>,
    calls: Mutex<Vec<(String, Value)>>,
    updates: Mutex<VecDeque<Value>>,
    /// Faults for the next sendMessage to a chat (front first); key 0 = any chat.
    faults: Mutex<HashMap<i64, VecDeque<Fault>>>,
    enforce: Mutex<Option<Limits>>,
    rejected_429: AtomicU64,
    next_update: AtomicI64,
    next_message: AtomicI64,
    new_update: Notify,
    new_sent: Notify,
    /// Files the bot may fetch: file_id → (file_path, bytes).
    files: Mutex<HashMap<String, (String, Vec<u8>)>>,
    /// Faults for the next getFile calls (front first).
    file_faults: Mutex<VecDeque<Fault>>,
    /// Paths downloaded from `/file/…`, in order.
    downloads: Mutex<Vec<String>>,
    /// Files the bot sent, in order.
    uploads: Mutex<Vec<Upload>>,
    /// When the first getUpdates arrived (a benchmark's clock starts there).
    first_poll: Mutex<Option<Instant>>,
}

/// A running fake Bot API server.
#[derive(Clone)]
pub struct FakeTelegram {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

/// The username the fake bot reports in getMe.
pub const BOT_USERNAME: &str = "branch_test_bot";

impl FakeTelegram {
    /// Starts the server on an ephemeral port of 127.0.0.1.
    pub async fn start() -> Self {
        let inner = Arc::new(Inner {
            next_update: AtomicI64::new(1000),
            next_message: AtomicI64::new(1),
            ..Inner::default()
        });
        let app = Router::new()
            .route("/{token}/{method}", post(handle))
            .route("/file/{token}/{*path}", get(download))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake Telegram");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, inner }
    }

    /// The URL to give teloxide (`Bot::set_api_url`).
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Makes the fake answer 429 with `retry_after` whenever Telegram's limits would be crossed,
    /// counted in strict sliding windows: more than 30 messages in any one second overall, more
    /// than one in any second to a private chat, more than 20 in any minute to a group.
    pub fn enforce_limits(&self, on: bool) {
        *self.inner.enforce.lock().unwrap() = on.then(Limits::default);
    }

    /// How many sends were refused with 429 by the enforced limits or injected faults.
    pub fn rejected_429(&self) -> u64 {
        self.inner.rejected_429.load(Ordering::Relaxed)
    }

    /// Queues a fault for the next sendMessage to `chat_id` (0: to any chat).
    pub fn fault(&self, chat_id: i64, fault: Fault) {
        self.inner
            .faults
            .lock()
            .unwrap()
            .entry(chat_id)
            .or_default()
            .push_back(fault);
    }

    /// A private message update from `chat_id` whose content is `field` (`text`, `photo`, …),
    /// as Telegram would send it; `language` is the client's language, where it tells one.
    fn message_update(
        &self,
        chat_id: i64,
        language: Option<&str>,
        field: &str,
        content: Value,
    ) -> Value {
        let id = self.inner.next_update.fetch_add(1, Ordering::Relaxed);
        let mut from = json!({"id": chat_id, "is_bot": false, "first_name": "Test"});
        if let Some(language) = language {
            from["language_code"] = json!(language);
        }
        let mut message = json!({
            "message_id": id,
            "date": 1_764_000_000,
            "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
            "from": from,
        });
        message[field] = content;
        json!({"update_id": id, "message": message})
    }

    /// A private text message update, as Telegram would send it.
    pub fn text_update(&self, chat_id: i64, text: &str, language: &str) -> Value {
        let mut update = self.message_update(chat_id, Some(language), "text", json!(text));
        // Telegram marks a leading `/command` as an entity (its length in UTF-16 units).
        if text.starts_with('/') {
            let command = text.split(char::is_whitespace).next().unwrap_or(text);
            update["message"]["entities"] = json!([{
                "type": "bot_command", "offset": 0, "length": command.encode_utf16().count()
            }]);
        }
        update
    }

    /// A sticker message update (not text).
    pub fn sticker_update(&self, chat_id: i64) -> Value {
        let sticker = json!({
            "file_id": "CAAC", "file_unique_id": "AgAD", "type": "regular",
            "width": 512, "height": 512, "is_animated": false, "is_video": false
        });
        self.message_update(chat_id, None, "sticker", sticker)
    }

    /// Holds a file the bot may fetch with getFile; returns its file_id.
    pub fn add_file(&self, bytes: &[u8]) -> String {
        let n = self.inner.next_message.fetch_add(1, Ordering::Relaxed);
        let id = format!("FILE{n}");
        let path = format!("documents/file_{n}");
        self.inner
            .files
            .lock()
            .unwrap()
            .insert(id.clone(), (path, bytes.to_vec()));
        id
    }

    /// Queues a fault for the next getFile call.
    pub fn file_fault(&self, fault: Fault) {
        self.inner.file_faults.lock().unwrap().push_back(fault);
    }

    /// The files the bot sent (sendDocument, sendPhoto), in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.inner.uploads.lock().unwrap().clone()
    }

    /// The file paths the bot downloaded, in order.
    pub fn downloads(&self) -> Vec<String> {
        self.inner.downloads.lock().unwrap().clone()
    }

    /// A private photo message: Telegram's three sizes of it, the largest being `file_id` with
    /// `size` bytes declared (the smaller ones are other ids the bot should not fetch).
    pub fn photo_update(&self, chat_id: i64, file_id: &str, size: u64) -> Value {
        let photo = json!([
            {"file_id": format!("{file_id}-s"), "file_unique_id": "s", "file_size": 1200, "width": 90, "height": 67},
            {"file_id": format!("{file_id}-m"), "file_unique_id": "m", "file_size": 14000, "width": 320, "height": 240},
            {"file_id": file_id, "file_unique_id": "x", "file_size": size, "width": 1280, "height": 960}
        ]);
        self.message_update(chat_id, Some("zh-hans"), "photo", photo)
    }

    /// A private document message with the name and size its client declared.
    pub fn document_update(&self, chat_id: i64, file_id: &str, name: &str, size: u64) -> Value {
        let document = json!({
            "file_id": file_id, "file_unique_id": "d", "file_name": name,
            "mime_type": "application/octet-stream", "file_size": size
        });
        self.message_update(chat_id, Some("zh-hans"), "document", document)
    }

    /// A button tap (callback query) update.
    pub fn callback_update(&self, chat_id: i64, message_id: i64, data: &str) -> Value {
        let id = self.inner.next_update.fetch_add(1, Ordering::Relaxed);
        json!({
            "update_id": id,
            "callback_query": {
                "id": format!("cb{id}"),
                "from": {"id": chat_id, "is_bot": false, "first_name": "Test"},
                "chat_instance": "1",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": 1_764_000_000,
                    "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
                    "from": {"id": 1, "is_bot": true, "first_name": "Bot", "username": BOT_USERNAME},
                    "text": "…"
                }
            }
        })
    }

    /// Queues an update for the bot's next getUpdates.
    pub fn push(&self, update: Value) {
        self.inner.updates.lock().unwrap().push_back(update);
        self.inner.new_update.notify_waiters();
    }

    /// Queues a text message from a chat for getUpdates.
    pub fn push_text(&self, chat_id: i64, text: &str) {
        let u = self.text_update(chat_id, text, "zh-hans");
        self.push(u);
    }

    /// Everything sent so far.
    pub fn sent(&self) -> Vec<Sent> {
        self.inner.sent.lock().unwrap().clone()
    }

    /// How many messages were sent, without copying them (cheap enough to poll).
    pub fn sent_count(&self) -> usize {
        self.inner.sent.lock().unwrap().len()
    }

    /// When the bot first called getUpdates, if it has.
    pub fn first_poll(&self) -> Option<Instant> {
        *self.inner.first_poll.lock().unwrap()
    }

    /// Messages sent to one chat.
    pub fn sent_to(&self, chat_id: i64) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.chat_id == chat_id)
            .collect()
    }

    /// Bodies of every call to a method (name matched case-insensitively).
    pub fn calls(&self, method: &str) -> Vec<Value> {
        self.inner
            .calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m.eq_ignore_ascii_case(method))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// Waits until at least `n` messages were sent to `chat_id` (0: to anyone), or panics after
    /// `timeout` with what was sent.
    pub async fn wait_sent(&self, chat_id: i64, n: usize, timeout: Duration) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.new_sent.notified();
            let got: Vec<Sent> = if chat_id == 0 {
                self.sent()
            } else {
                self.sent_to(chat_id)
            };
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "expected {n} messages to chat {chat_id} within {timeout:?}, got {}: {got:#?}",
                    got.len()
                );
            }
        }
    }
}

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn err(status: StatusCode, description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": status.as_u16(), "description": description});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (status, axum::Json(body)).into_response()
}

/// Text fields of a multipart/form-data body (teloxide sends setWebhook that way) as JSON.
fn multipart_fields(content_type: &str, body: &[u8]) -> Value {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return Value::Null;
    };
    let boundary = format!("--{}", boundary.trim_matches('"'));
    let text = String::from_utf8_lossy(body);
    let mut fields = serde_json::Map::new();
    for part in text.split(boundary.as_str()) {
        let Some((head, value)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let Some(name) = head
            .split("name=\"")
            .nth(1)
            .and_then(|r| r.split('"').next())
        else {
            continue;
        };
        let value = value.strip_suffix("\r\n").unwrap_or(value);
        let parsed =
            serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.to_owned()));
        fields.insert(name.to_owned(), parsed);
    }
    Value::Object(fields)
}

/// The fields of an `application/x-www-form-urlencoded` body (how python-telegram-bot and
/// other clients post parameters), each read as JSON where it is JSON and as text otherwise,
/// as for multipart bodies.
fn form_fields(body: &[u8]) -> Value {
    let fields = form_urlencoded::parse(body)
        .map(|(name, value)| {
            let parsed = serde_json::from_str(&value)
                .unwrap_or_else(|_| Value::String(value.clone().into_owned()));
            (name.into_owned(), parsed)
        })
        .collect();
    Value::Object(fields)
}

async fn handle(
    State(inner): State<Arc<Inner>>,
    Path((token, method)): Path<(String, String)>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Response {
    if !token.starts_with("bot") {
        return err(StatusCode::NOT_FOUND, "Not Found", None);
    }
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let lower = method.to_ascii_lowercase();
    if lower == "senddocument" || lower == "sendphoto" {
        return send_file(&inner, &lower, content_type, &body);
    }
    let body: Value = if content_type.starts_with("multipart/form-data") {
        multipart_fields(content_type, &body)
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        form_fields(&body)
    } else {
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    inner
        .calls
        .lock()
        .unwrap()
        .push((method.clone(), body.clone()));
    match method.to_ascii_lowercase().as_str() {
        "getme" => ok(json!({
            "id": 1, "is_bot": true, "first_name": "Branch Bot", "username": BOT_USERNAME,
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "has_main_web_app": false
        })),
        "getupdates" => {
            inner
                .first_poll
                .lock()
                .unwrap()
                .get_or_insert_with(Instant::now);
            get_updates(&inner, &body).await
        }
        "getfile" => get_file(&inner, &body),
        "sendmessage" => send_message(&inner, &body).await,
        "editmessagetext" | "editmessagereplymarkup" => ok(json!({
            "message_id": body["message_id"], "date": 1_764_000_000,
            "chat": {"id": body["chat_id"], "type": "private", "first_name": "Test"},
            "text": body["text"].as_str().unwrap_or("")
        })),
        "answercallbackquery" | "setmycommands" | "setwebhook" | "deletewebhook" => ok(json!(true)),
        _ => err(StatusCode::NOT_FOUND, "Not Found: method not found", None),
    }
}

/// The parts of a multipart/form-data body, binary-safe: (name, file name, bytes).
fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<(String, Option<String>, Vec<u8>)> {
    let Some(boundary) = content_type.split("boundary=").nth(1) else {
        return Vec::new();
    };
    let marker = format!("--{}", boundary.trim_matches('"'));
    let marker = marker.as_bytes();
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        (from..=hay.len().saturating_sub(needle.len())).find(|&i| hay[i..].starts_with(needle))
    };
    let mut parts = Vec::new();
    let mut at = match find(body, marker, 0) {
        Some(i) => i + marker.len(),
        None => return parts,
    };
    while let Some(next) = find(body, marker, at) {
        let part = &body[at..next];
        at = next + marker.len();
        let Some(split) = find(part, b"\r\n\r\n", 0) else {
            continue;
        };
        let head = String::from_utf8_lossy(&part[..split]).into_owned();
        let mut value = part[split + 4..].to_vec();
        if value.ends_with(b"\r\n") {
            value.truncate(value.len() - 2);
        }
        let attr = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_owned)
        };
        if let Some(name) = attr(" name").or_else(|| attr(";name")) {
            parts.push((name, attr("filename"), value));
        }
    }
    parts
}

/// sendDocument / sendPhoto: an upload (a multipart file part) or a file_id; answers the
/// message with the file's file_id, as Telegram does.
fn send_file(inner: &Inner, method: &str, content_type: &str, body: &[u8]) -> Response {
    let field = if method == "sendphoto" {
        "photo"
    } else {
        "document"
    };
    let (chat_id, caption, uploaded, given) = if content_type.starts_with("multipart/form-data") {
        let parts = multipart_parts(content_type, body);
        let text = |name: &str| {
            parts
                .iter()
                .find(|(n, f, _)| n == name && f.is_none())
                .map(|(_, _, v)| String::from_utf8_lossy(v).trim_matches('"').to_owned())
        };
        // teloxide names the file part itself and sends `document=attach://<that name>`
        // (https://core.telegram.org/bots/api#sending-files); a file_id goes as plain text.
        let given = text(field);
        let part = given
            .as_deref()
            .and_then(|g| g.strip_prefix("attach://"))
            .unwrap_or(field)
            .to_owned();
        let file = parts
            .iter()
            .find(|(n, f, _)| *n == part && f.is_some())
            .map(|(_, f, v)| (f.clone().unwrap_or_default(), v.len()));
        (
            text("chat_id").and_then(|c| c.parse().ok()).unwrap_or(0),
            text("caption").unwrap_or_default(),
            file,
            given.filter(|g| !g.starts_with("attach://")),
        )
    } else {
        let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        (
            v["chat_id"].as_i64().unwrap_or(0),
            v["caption"].as_str().unwrap_or("").to_owned(),
            None,
            v[field].as_str().map(str::to_owned),
        )
    };
    inner.calls.lock().unwrap().push((
        method.to_owned(),
        json!({"chat_id": chat_id, "caption": caption, "uploaded": uploaded.is_some()}),
    ));
    let message_id = inner.next_message.fetch_add(1, Ordering::Relaxed);
    let file_id = match (&uploaded, given) {
        (Some(_), _) => format!("SENT{message_id}"),
        (None, Some(id)) if !id.is_empty() => id,
        _ => {
            return err(
                StatusCode::BAD_REQUEST,
                "Bad Request: there is no file in the request",
                None,
            )
        }
    };
    inner.uploads.lock().unwrap().push(Upload {
        chat_id,
        method: method.to_owned(),
        caption: caption.clone(),
        uploaded: uploaded.clone(),
        file_id: file_id.clone(),
    });
    inner.sent.lock().unwrap().push(Sent {
        chat_id,
        message_id,
        text: caption.clone(),
        buttons: Vec::new(),
    });
    inner.new_sent.notify_waiters();
    let mut message = json!({
        "message_id": message_id,
        "date": 1_764_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
        "from": {"id": 1, "is_bot": true, "first_name": "Branch Bot", "username": BOT_USERNAME},
        "caption": caption
    });
    let size = uploaded.as_ref().map_or(1000, |(_, n)| *n);
    if method == "sendphoto" {
        message["photo"] = json!([{"file_id": file_id, "file_unique_id": format!("u{file_id}"),
            "file_size": size, "width": 1280, "height": 960}]);
    } else {
        message["document"] = json!({"file_id": file_id, "file_unique_id": format!("u{file_id}"),
            "file_name": uploaded.map(|(n, _)| n).unwrap_or_default(), "file_size": size});
    }
    ok(message)
}

/// getFile: the file's path, or 400 for an id it does not hold (as Telegram answers).
fn get_file(inner: &Inner, body: &Value) -> Response {
    if let Some(fault) = inner.file_faults.lock().unwrap().pop_front() {
        match fault {
            Fault::ServerError(code) => {
                let status =
                    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                return err(status, "Internal Server Error", None);
            }
            Fault::RetryAfter(secs) => {
                return err(
                    StatusCode::TOO_MANY_REQUESTS,
                    &format!("Too Many Requests: retry after {secs}"),
                    Some(json!({"retry_after": secs})),
                )
            }
            Fault::Garbage => return (StatusCode::OK, "<html>oops</html>").into_response(),
            _ => {
                return err(
                    StatusCode::BAD_REQUEST,
                    "Bad Request: invalid file_id",
                    None,
                )
            }
        }
    }
    let id = body["file_id"].as_str().unwrap_or("");
    match inner.files.lock().unwrap().get(id) {
        Some((path, bytes)) => ok(json!({
            "file_id": id, "file_unique_id": format!("u{id}"),
            "file_size": bytes.len(), "file_path": path
        })),
        None => err(
            StatusCode::BAD_REQUEST,
            "Bad Request: invalid file_id",
            None,
        ),
    }
}

/// `/file/bot<token>/<path>`: the bytes of a file getFile named.
async fn download(
    State(inner): State<Arc<Inner>>,
    Path((token, path)): Path<(String, String)>,
) -> Response {
    if !token.starts_with("bot") {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    }
    inner.downloads.lock().unwrap().push(path.clone());
    let bytes = inner
        .files
        .lock()
        .unwrap()
        .values()
        .find(|(p, _)| *p == path)
        .map(|(_, b)| b.clone());
    match bytes {
        Some(b) => (StatusCode::OK, b).into_response(),
        None => (StatusCode::NOT_FOUND, "Not Found").into_response(),
    }
}

async fn get_updates(inner: &Inner, body: &Value) -> Response {
    let offset = body["offset"].as_i64().unwrap_or(0);
    let timeout = body["timeout"].as_u64().unwrap_or(0).min(5);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = inner.new_update.notified();
        {
            let mut queue = inner.updates.lock().unwrap();
            // Confirmed updates (below the offset) are forgotten, as Telegram does.
            queue.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
            if !queue.is_empty() {
                let batch: Vec<Value> = queue.iter().take(100).cloned().collect();
                return ok(Value::Array(batch));
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}

async fn send_message(inner: &Inner, body: &Value) -> Response {
    let chat_id = body["chat_id"]
        .as_i64()
        .or_else(|| body["chat_id"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(0);
    let fault = {
        let mut faults = inner.faults.lock().unwrap();
        faults
            .get_mut(&chat_id)
            .and_then(VecDeque::pop_front)
            .or_else(|| faults.get_mut(&0).and_then(VecDeque::pop_front))
    };
    match fault {
        Some(Fault::RetryAfter(secs)) => {
            inner.rejected_429.fetch_add(1, Ordering::Relaxed);
            return err(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too Many Requests: retry after {secs}"),
                Some(json!({"retry_after": secs})),
            );
        }
        Some(Fault::Blocked) => {
            return err(
                StatusCode::FORBIDDEN,
                "Forbidden: bot was blocked by the user",
                None,
            )
        }
        Some(Fault::ChatNotFound) => {
            return err(StatusCode::BAD_REQUEST, "Bad Request: chat not found", None)
        }
        Some(Fault::ServerError(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return err(status, "Internal Server Error", None);
        }
        Some(Fault::Garbage) => return (StatusCode::OK, "<html>oops</html>").into_response(),
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        None => {}
    }
    let refused = inner
        .enforce
        .lock()
        .unwrap()
        .as_mut()
        .and_then(|limits| limits.admit(chat_id, Instant::now()));
    if let Some(retry_after) = refused {
        inner.rejected_429.fetch_add(1, Ordering::Relaxed);
        return err(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Too Many Requests: retry after {retry_after}"),
            Some(json!({ "retry_after": retry_after })),
        );
    }
    let text = body["text"].as_str().unwrap_or("").to_owned();
    let buttons = body["reply_markup"]["inline_keyboard"]
        .as_array()
        .map(|rows| {
            rows.iter()
                .map(|row| {
                    row.as_array()
                        .map(|bs| {
                            bs.iter()
                                .map(|b| {
                                    (
                                        b["text"].as_str().unwrap_or("").to_owned(),
                                        b["callback_data"].as_str().unwrap_or("").to_owned(),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let message_id = inner.next_message.fetch_add(1, Ordering::Relaxed);
    inner.sent.lock().unwrap().push(Sent {
        chat_id,
        message_id,
        text: text.clone(),
        buttons,
    });
    inner.new_sent.notify_waiters();
    ok(json!({
        "message_id": message_id,
        "date": 1_764_000_000,
        "chat": {"id": chat_id, "type": "private", "first_name": "Test"},
        "from": {"id": 1, "is_bot": true, "first_name": "Branch Bot", "username": BOT_USERNAME},
        "text": text
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_form_encoded_send_is_read_as_a_json_one_is() {
        let fake = FakeTelegram::start().await;
        let answer = reqwest::Client::new()
            .post(format!("{}bot1:x/sendMessage", fake.api_url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body("chat_id=100042&text=%E4%BD%A0%E5%A5%BD+%2Fme")
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
        let sent = fake.sent();
        assert_eq!(sent.len(), 1);
        assert_eq!(
            (sent[0].chat_id, sent[0].text.as_str()),
            (100042, "你好 /me")
        );
        assert_eq!(fake.sent_count(), 1);
        assert!(fake.first_poll().is_none());
    }

    fn ms(t0: Instant, ms: u64) -> Instant {
        t0 + Duration::from_millis(ms)
    }

    #[test]
    fn thirty_in_any_second_overall_and_the_thirty_first_waits_for_the_first_to_age() {
        let mut l = Limits::default();
        let t0 = Instant::now();
        for i in 0..30u64 {
            assert_eq!(l.admit(i as i64 + 1, ms(t0, i * 10)), None);
        }
        assert_eq!(l.admit(100, ms(t0, 990)), Some(1));
        // The first send is a second old: one more fits, and the window is full again.
        assert_eq!(l.admit(100, ms(t0, 1000)), None);
        assert_eq!(l.admit(101, ms(t0, 1005)), Some(1));
        assert_eq!(l.admit(101, ms(t0, 1010)), None);
    }

    #[test]
    fn one_a_second_to_a_chat_and_twenty_a_minute_to_a_group() {
        let mut l = Limits::default();
        let t0 = Instant::now();
        assert_eq!(l.admit(7, t0), None);
        assert_eq!(l.admit(7, ms(t0, 999)), Some(1));
        assert_eq!(l.admit(7, ms(t0, 1000)), None);

        let mut l = Limits::default();
        for i in 0..20u64 {
            assert_eq!(l.admit(-100, ms(t0, i * 100)), None);
        }
        // The next slot opens when the first of the twenty is a minute old.
        assert_eq!(l.admit(-100, ms(t0, 2_000)), Some(58));
        assert_eq!(l.admit(-100, ms(t0, 60_000)), None);
    }
}
