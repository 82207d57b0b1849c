//! A fake WeCom API on 127.0.0.1: `GET /cgi-bin/gettoken`, `POST /cgi-bin/message/send`,
//! `POST /cgi-bin/message/update_template_card` and `GET /cgi-bin/auth/getuserinfo`, as a
//! self-built app sees them, and WeCom's web authorization (`GET /connect/oauth2/authorize`,
//! which answers with a one-time code for whoever [`FakeWecom::visit_as`] names). Like WeCom it
//! issues access_tokens that expire (and can be expired at will: errcode 42001), drops
//! silently what goes over 30 messages a minute or 1,000 an hour to one member (recording the
//! drop, so a test can prove none happened), answers `invaliduser` for userids that left the
//! app, takes temporary media (`POST /cgi-bin/media/upload`, a multipart form: the bytes,
//! name and type are recorded) and `image`/`file` messages naming them, and records what was
//! sent. [`Callbacks`] builds the signed, encrypted callbacks WeCom
//! would post to the bot.

use std::collections::{HashMap, HashSet, VecDeque};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use tokio::sync::Notify;

use crate::channels::wecom::crypto::Crypto;

/// The organisation and app the fake serves.
pub const CORP_ID: &str = "ww5823bf96d3bd56c7";
pub const AGENT_ID: i64 = 1000002;
pub const SECRET: &str = "wecom-test-secret";
/// The callback's Token and EncodingAESKey.
pub const TOKEN: &str = "QDG6eK";
pub const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

/// One message the app sent (or tried to).
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub to: String,
    /// `text`, `template_card`, `image` or `file`.
    pub msgtype: String,
    /// The text's content; a card's title.
    pub text: String,
    /// A card's buttons: (label, key).
    pub buttons: Vec<(String, String)>,
    pub task_id: Option<String>,
    /// An `image` or `file` message's media_id.
    pub media_id: Option<String>,
    pub msgid: String,
}

/// One temporary media the app uploaded (`media/upload`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The `type` asked for: `image` or `file`.
    pub media_type: String,
    /// The form part's file name and content type.
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
    pub media_id: String,
}

/// One `update_template_card` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardUpdate {
    pub userid: String,
    pub response_code: String,
    pub replace_name: String,
}

/// A misbehaviour for the next `message/send`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// errcode -1, 系统繁忙.
    Busy,
    /// errcode 45009, API frequency limit.
    Frequency,
}

struct Inner {
    sent: Mutex<Vec<Sent>>,
    dropped: Mutex<Vec<Sent>>,
    updates: Mutex<Vec<CardUpdate>>,
    tokens: Mutex<HashMap<String, Instant>>,
    token_ttl: Mutex<Duration>,
    left: Mutex<HashSet<String>>,
    faults: Mutex<VecDeque<Fault>>,
    /// Sends per member (lower case), for the limits.
    log: Mutex<HashMap<String, Vec<Instant>>>,
    per_minute: usize,
    per_hour: usize,
    gettoken: AtomicU64,
    rejected_tokens: AtomicU64,
    next: AtomicU64,
    new_sent: Notify,
    /// One-time OAuth codes not yet used, and who they name.
    codes: Mutex<HashMap<String, Visitor>>,
    /// Who opens the authorize page (the person signed in to the WeCom app).
    visitor: Mutex<Option<Visitor>>,
    /// Media members sent (`media/get`): media_id → bytes.
    media: Mutex<HashMap<String, Vec<u8>>>,
    /// `media/get` calls, by media_id.
    media_calls: Mutex<Vec<String>>,
    /// Temporary media the app uploaded.
    uploads: Mutex<Vec<Upload>>,
}

/// Who a web authorization names, as `getuserinfo` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visitor {
    /// A member of the organisation: `userid`.
    Member(String),
    /// Someone outside it (a WeChat user): `openid`.
    Outsider(String),
}

/// A running fake WeCom API.
#[derive(Clone)]
pub struct FakeWecom {
    pub addr: SocketAddr,
    inner: Arc<Inner>,
}

impl FakeWecom {
    /// Starts the server on an ephemeral port of 127.0.0.1, with WeCom's limits.
    pub async fn start() -> Self {
        Self::with_limits(30, 1000).await
    }

    /// Starts the server with other per-member limits.
    pub async fn with_limits(per_minute: usize, per_hour: usize) -> Self {
        let inner = Arc::new(Inner {
            sent: Mutex::default(),
            dropped: Mutex::default(),
            updates: Mutex::default(),
            tokens: Mutex::default(),
            token_ttl: Mutex::new(Duration::from_secs(7200)),
            left: Mutex::default(),
            faults: Mutex::default(),
            log: Mutex::default(),
            per_minute,
            per_hour,
            gettoken: AtomicU64::new(0),
            rejected_tokens: AtomicU64::new(0),
            next: AtomicU64::new(1),
            new_sent: Notify::new(),
            codes: Mutex::default(),
            visitor: Mutex::default(),
            media: Mutex::default(),
            media_calls: Mutex::default(),
            uploads: Mutex::default(),
        });
        let app = Router::new()
            .route("/cgi-bin/gettoken", get(gettoken))
            .route("/cgi-bin/message/send", post(send))
            .route("/cgi-bin/message/update_template_card", post(update_card))
            .route("/cgi-bin/auth/getuserinfo", get(getuserinfo))
            .route("/cgi-bin/media/get", get(media_get))
            .route("/cgi-bin/media/upload", post(media_upload))
            .route("/connect/oauth2/authorize", get(authorize))
            .with_state(Arc::clone(&inner));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind fake WeCom");
        let addr = listener.local_addr().expect("local addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self { addr, inner }
    }

    /// Holds a picture or file a member sent; `media/get` serves it under `media_id`.
    pub fn add_media(&self, media_id: &str, bytes: &[u8]) {
        self.inner
            .media
            .lock()
            .unwrap()
            .insert(media_id.to_owned(), bytes.to_vec());
    }

    /// WeCom forgets a media (its three days are over): sends naming it answer 40007.
    pub fn forget_media(&self, media_id: &str) {
        self.inner.media.lock().unwrap().remove(media_id);
    }

    /// The media_ids `media/get` was asked for, in order.
    pub fn media_calls(&self) -> Vec<String> {
        self.inner.media_calls.lock().unwrap().clone()
    }

    /// The temporary media the app uploaded, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.inner.uploads.lock().unwrap().clone()
    }

    /// `http://127.0.0.1:PORT`, for `wecom.api_url`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// WeCom's web authorization base, for `feedback.wecom_authorize_url`.
    pub fn authorize_url(&self) -> String {
        format!("http://{}/connect/oauth2/authorize", self.addr)
    }

    /// Who the next visits to the authorize page are signed in as.
    pub fn visit_as(&self, visitor: Visitor) {
        *self.inner.visitor.lock().unwrap() = Some(visitor);
    }

    /// A one-time code naming `visitor`, as the authorize page would add to the redirect.
    pub fn issue_code(&self, visitor: Visitor) -> String {
        issue(&self.inner, visitor)
    }

    /// OAuth codes issued and not yet used.
    pub fn unused_codes(&self) -> usize {
        self.inner.codes.lock().unwrap().len()
    }

    /// Every token issued so far stops working (WeCom answers 42001).
    pub fn expire_tokens(&self) {
        self.inner.tokens.lock().unwrap().clear();
    }

    /// How long the next tokens last (`expires_in`).
    pub fn set_token_ttl(&self, ttl: Duration) {
        *self.inner.token_ttl.lock().unwrap() = ttl;
    }

    /// The member left the app's visible range: sends to them answer `invaliduser`.
    pub fn leave(&self, userid: &str) {
        self.inner
            .left
            .lock()
            .unwrap()
            .insert(userid.to_lowercase());
    }

    /// Queues a fault for the next send.
    pub fn fault(&self, fault: Fault) {
        self.inner.faults.lock().unwrap().push_back(fault);
    }

    /// `gettoken` calls so far.
    pub fn gettoken_calls(&self) -> u64 {
        self.inner.gettoken.load(Ordering::Relaxed)
    }

    /// Calls refused for an expired or unknown token.
    pub fn rejected_tokens(&self) -> u64 {
        self.inner.rejected_tokens.load(Ordering::Relaxed)
    }

    /// Everything delivered.
    pub fn sent(&self) -> Vec<Sent> {
        self.inner.sent.lock().unwrap().clone()
    }

    /// How many messages were delivered so far (cheaper than [`Self::sent`] for a counter).
    pub fn sent_count(&self) -> usize {
        self.inner.sent.lock().unwrap().len()
    }

    /// What was delivered to one userid.
    pub fn sent_to(&self, userid: &str) -> Vec<Sent> {
        self.sent()
            .into_iter()
            .filter(|s| s.to.eq_ignore_ascii_case(userid))
            .collect()
    }

    /// The texts delivered to one userid.
    pub fn texts_to(&self, userid: &str) -> Vec<String> {
        self.sent_to(userid)
            .into_iter()
            .filter(|s| s.msgtype == "text")
            .map(|s| s.text)
            .collect()
    }

    /// What WeCom would have dropped silently (over a per-member limit).
    pub fn dropped(&self) -> Vec<Sent> {
        self.inner.dropped.lock().unwrap().clone()
    }

    /// Cards updated after a click.
    pub fn card_updates(&self) -> Vec<CardUpdate> {
        self.inner.updates.lock().unwrap().clone()
    }

    /// Waits until `n` messages were delivered to `userid`; returns them all.
    pub async fn wait_sent(&self, userid: &str, n: usize, timeout: Duration) -> Vec<Sent> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.new_sent.notified();
            let got = self.sent_to(userid);
            if got.len() >= n {
                return got;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "expected {n} WeCom messages to {userid} within {timeout:?}, got {}: {got:#?}",
                    got.len()
                );
            }
        }
    }

    /// Waits until `n` card updates were made.
    pub async fn wait_updates(&self, n: usize, timeout: Duration) -> Vec<CardUpdate> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let got = self.card_updates();
            if got.len() >= n {
                return got;
            }
            if tokio::time::Instant::now() > deadline {
                panic!("expected {n} card updates, got {got:#?}");
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn valid(inner: &Inner, token: Option<&String>) -> bool {
    let now = Instant::now();
    let ok = token
        .and_then(|t| inner.tokens.lock().unwrap().get(t).copied())
        .is_some_and(|until| until > now);
    if !ok {
        inner.rejected_tokens.fetch_add(1, Ordering::Relaxed);
    }
    ok
}

async fn gettoken(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    inner.gettoken.fetch_add(1, Ordering::Relaxed);
    if q.get("corpid").map(String::as_str) != Some(CORP_ID)
        || q.get("corpsecret").map(String::as_str) != Some(SECRET)
    {
        return Json(json!({"errcode": 40001, "errmsg": "invalid credential"}));
    }
    let n = inner.next.fetch_add(1, Ordering::Relaxed);
    let token = format!("token-{n}");
    let ttl = *inner.token_ttl.lock().unwrap();
    inner
        .tokens
        .lock()
        .unwrap()
        .insert(token.clone(), Instant::now() + ttl);
    Json(json!({
        "errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": ttl.as_secs()
    }))
}

/// `media/get`: the bytes (with their type), or WeCom's JSON error (40007 for an unknown id).
async fn media_get(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !valid(&inner, q.get("access_token")) {
        return Json(json!({"errcode": 42001, "errmsg": "access_token expired"})).into_response();
    }
    let id = q.get("media_id").cloned().unwrap_or_default();
    inner.media_calls.lock().unwrap().push(id.clone());
    match inner.media.lock().unwrap().get(&id) {
        Some(bytes) => (
            [("content-type", "application/octet-stream")],
            bytes.clone(),
        )
            .into_response(),
        None => Json(json!({"errcode": 40007, "errmsg": "invalid media_id"})).into_response(),
    }
}

/// `media/upload`: a multipart form whose part `media` carries a file name and content type,
/// as WeCom requires (errcode 40004/40005 otherwise); answers a new media_id.
async fn media_upload(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> Json<Value> {
    if !valid(&inner, q.get("access_token")) {
        return Json(json!({"errcode": 42001, "errmsg": "access_token expired"}));
    }
    let media_type = q.get("type").cloned().unwrap_or_default();
    if !matches!(media_type.as_str(), "image" | "file" | "voice" | "video") {
        return Json(json!({"errcode": 40004, "errmsg": "invalid media type"}));
    }
    let boundary = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split("boundary=").nth(1))
        .map(|b| b.trim_matches('"').to_owned());
    let Some((filename, content_type, bytes)) = boundary.and_then(|b| media_part(&body, &b)) else {
        return Json(json!({"errcode": 40005, "errmsg": "no media part with a filename"}));
    };
    if bytes.len() <= 5 {
        return Json(json!({"errcode": 40006, "errmsg": "invalid file size"}));
    }
    let n = inner.next.fetch_add(1, Ordering::Relaxed);
    let media_id = format!("media-{n}");
    inner
        .media
        .lock()
        .unwrap()
        .insert(media_id.clone(), bytes.clone());
    inner.uploads.lock().unwrap().push(Upload {
        media_type: media_type.clone(),
        filename,
        content_type,
        bytes,
        media_id: media_id.clone(),
    });
    Json(json!({
        "errcode": 0, "errmsg": "", "type": media_type, "media_id": media_id,
        "created_at": chrono::Utc::now().timestamp().to_string()
    }))
}

/// The part named `media` of a multipart body: (filename, content type, bytes).
fn media_part(body: &[u8], boundary: &str) -> Option<(String, String, Vec<u8>)> {
    let delimiter = format!("--{boundary}");
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let mut at = find(body, delimiter.as_bytes(), 0)? + delimiter.len();
    loop {
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = String::from_utf8_lossy(&body[at..head_end]).into_owned();
        let start = head_end + 4;
        let next = find(body, format!("\r\n{delimiter}").as_bytes(), start)?;
        let disposition = head
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"))
            .unwrap_or("");
        let field = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(&format!("{key}=")))
                .map(|v| v.trim_matches('"').to_owned())
        };
        if field("name").as_deref() == Some("media") {
            let filename = field("filename").filter(|f| !f.is_empty())?;
            let content_type = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("content-type:")
                        .then(|| l["content-type:".len()..].trim().to_owned())
                })
                .unwrap_or_default();
            return Some((filename, content_type, body[start..next].to_vec()));
        }
        at = next + 2 + delimiter.len();
    }
}

async fn send(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    if !valid(&inner, q.get("access_token")) {
        return Json(json!({"errcode": 42001, "errmsg": "access_token expired"}));
    }
    if let Some(fault) = inner.faults.lock().unwrap().pop_front() {
        return Json(match fault {
            Fault::Busy => json!({"errcode": -1, "errmsg": "system busy"}),
            Fault::Frequency => json!({"errcode": 45009, "errmsg": "api freq out of limit"}),
        });
    }
    if body["agentid"].as_i64() != Some(AGENT_ID) {
        return Json(json!({"errcode": 40056, "errmsg": "invalid agentid"}));
    }
    let to = body["touser"].as_str().unwrap_or("").to_owned();
    if to.is_empty() || to.contains('|') {
        return Json(json!({"errcode": 40003, "errmsg": "the fake takes one userid"}));
    }
    if inner.left.lock().unwrap().contains(&to.to_lowercase()) {
        return Json(json!({"errcode": 0, "errmsg": "ok", "invaliduser": to}));
    }
    let msgtype = body["msgtype"].as_str().unwrap_or("").to_owned();
    let n = inner.next.fetch_add(1, Ordering::Relaxed);
    let mut sent = Sent {
        to: to.clone(),
        msgtype: msgtype.clone(),
        text: String::new(),
        buttons: Vec::new(),
        task_id: None,
        media_id: None,
        msgid: format!("msg-{n}"),
    };
    match msgtype.as_str() {
        "text" => {
            let content = body["text"]["content"].as_str().unwrap_or("");
            if content.is_empty() || content.len() > 2048 {
                return Json(json!({"errcode": 44004, "errmsg": "empty or over 2048 bytes"}));
            }
            sent.text = content.to_owned();
        }
        "template_card" => {
            let card = &body["template_card"];
            if card["card_type"] != "button_interaction" {
                return Json(json!({"errcode": 40003, "errmsg": "card type"}));
            }
            sent.text = card["main_title"]["title"]
                .as_str()
                .unwrap_or("")
                .to_owned();
            sent.task_id = card["task_id"].as_str().map(str::to_owned);
            sent.buttons = card["button_list"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|b| {
                    (
                        b["text"].as_str().unwrap_or("").to_owned(),
                        b["key"].as_str().unwrap_or("").to_owned(),
                    )
                })
                .collect();
            if sent.buttons.is_empty() || sent.buttons.len() > 6 || sent.task_id.is_none() {
                return Json(json!({"errcode": 40003, "errmsg": "buttons or task_id"}));
            }
        }
        "image" | "file" => {
            let id = body[msgtype.as_str()]["media_id"].as_str().unwrap_or("");
            if !inner.media.lock().unwrap().contains_key(id) {
                return Json(json!({"errcode": 40007, "errmsg": "invalid media_id"}));
            }
            sent.media_id = Some(id.to_owned());
        }
        _ => return Json(json!({"errcode": 40008, "errmsg": "invalid message type"})),
    }
    // WeCom's per-member limits: over them, the message is dropped without a word.
    let now = Instant::now();
    let over = {
        let mut log = inner.log.lock().unwrap();
        let times = log.entry(to.to_lowercase()).or_default();
        times.retain(|t| now.duration_since(*t) < Duration::from_secs(3600));
        let minute = times
            .iter()
            .filter(|t| now.duration_since(**t) < Duration::from_secs(60))
            .count();
        let over = minute >= inner.per_minute || times.len() >= inner.per_hour;
        if !over {
            times.push(now);
        }
        over
    };
    let msgid = sent.msgid.clone();
    if over {
        inner.dropped.lock().unwrap().push(sent);
    } else {
        inner.sent.lock().unwrap().push(sent);
        inner.new_sent.notify_waiters();
    }
    Json(json!({"errcode": 0, "errmsg": "ok", "invaliduser": "", "msgid": msgid}))
}

async fn update_card(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    if !valid(&inner, q.get("access_token")) {
        return Json(json!({"errcode": 42001, "errmsg": "access_token expired"}));
    }
    let userid = body["userids"][0].as_str().unwrap_or("").to_owned();
    let code = body["response_code"].as_str().unwrap_or("").to_owned();
    let name = body["button"]["replace_name"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    if userid.is_empty() || code.is_empty() || name.is_empty() {
        return Json(json!({"errcode": 40003, "errmsg": "userids, response_code, button"}));
    }
    inner.updates.lock().unwrap().push(CardUpdate {
        userid,
        response_code: code,
        replace_name: name,
    });
    Json(json!({"errcode": 0, "errmsg": "ok"}))
}

fn issue(inner: &Inner, visitor: Visitor) -> String {
    let n = inner.next.fetch_add(1, Ordering::Relaxed);
    let code = format!("oauth-code-{n}-{:08x}", rand::random::<u32>());
    inner.codes.lock().unwrap().insert(code.clone(), visitor);
    code
}

/// `GET /connect/oauth2/authorize`: WeCom checks the app and sends the browser back to
/// `redirect_uri` with a one-time `code` and the `state` it was given.
async fn authorize(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;
    let arg = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    if arg("appid") != CORP_ID
        || arg("agentid") != AGENT_ID.to_string()
        || arg("response_type") != "code"
        || arg("scope") != "snsapi_base"
        || !arg("redirect_uri").starts_with("http")
    {
        return (StatusCode::BAD_REQUEST, "invalid authorize request").into_response();
    }
    let Some(visitor) = inner.visitor.lock().unwrap().clone() else {
        return (StatusCode::FORBIDDEN, "nobody is signed in").into_response();
    };
    let code = issue(&inner, visitor);
    let uri = arg("redirect_uri");
    let sep = if uri.contains('?') { '&' } else { '?' };
    let location = format!(
        "{uri}{sep}{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("code", &code)
            .append_pair("state", arg("state"))
            .finish()
    );
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

/// `GET /cgi-bin/auth/getuserinfo`: who a one-time code names; a used or unknown code is
/// 40029, as WeCom answers.
async fn getuserinfo(
    State(inner): State<Arc<Inner>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    if !valid(&inner, q.get("access_token")) {
        return Json(json!({"errcode": 42001, "errmsg": "access_token expired"}));
    }
    let taken = q
        .get("code")
        .and_then(|c| inner.codes.lock().unwrap().remove(c));
    Json(match taken {
        Some(Visitor::Member(userid)) => json!({"errcode": 0, "errmsg": "ok", "userid": userid}),
        Some(Visitor::Outsider(openid)) => json!({
            "errcode": 0, "errmsg": "ok", "openid": openid, "external_userid": ""
        }),
        None => json!({"errcode": 40029, "errmsg": "invalid code"}),
    })
}

/// Builds the callbacks WeCom posts: encrypted with the fake's keys and signed.
pub struct Callbacks {
    crypto: Crypto,
    next: AtomicU64,
}

impl Default for Callbacks {
    fn default() -> Self {
        Self::new(CORP_ID)
    }
}

impl Callbacks {
    /// Callbacks for the organisation `corp_id` (another one's are refused by the bot).
    pub fn new(corp_id: &str) -> Self {
        Self {
            crypto: Crypto::new(TOKEN, AES_KEY, corp_id).expect("the fake's key"),
            next: AtomicU64::new(1),
        }
    }

    /// A member's text, as WeCom's XML.
    pub fn text_xml(&self, from: &str, content: &str, msg_id: u64) -> String {
        format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>\
             <FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{}</CreateTime>\
             <MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content>\
             <MsgId>{msg_id}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>",
            chrono::Utc::now().timestamp()
        )
    }

    /// A member's picture (`image`, with its `MediaId`), as WeCom's XML.
    pub fn image_xml(&self, from: &str, media_id: &str, msg_id: u64) -> String {
        format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>\
             <FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{}</CreateTime>\
             <MsgType><![CDATA[image]]></MsgType>\
             <PicUrl><![CDATA[https://wework.qpic.cn/{media_id}]]></PicUrl>\
             <MediaId><![CDATA[{media_id}]]></MediaId>\
             <MsgId>{msg_id}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>",
            chrono::Utc::now().timestamp()
        )
    }

    /// A member's file (`file`, with its `MediaId` and `FileName`), as WeCom's XML.
    pub fn file_xml(&self, from: &str, media_id: &str, name: &str, msg_id: u64) -> String {
        format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>\
             <FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{}</CreateTime>\
             <MsgType><![CDATA[file]]></MsgType>\
             <MediaId><![CDATA[{media_id}]]></MediaId><FileName><![CDATA[{name}]]></FileName>\
             <MsgId>{msg_id}</MsgId><AgentID>{AGENT_ID}</AgentID></xml>",
            chrono::Utc::now().timestamp()
        )
    }

    /// A card's button clicked.
    pub fn click_xml(&self, from: &str, key: &str, task_id: &str, response_code: &str) -> String {
        format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>\
             <FromUserName><![CDATA[{from}]]></FromUserName><CreateTime>{}</CreateTime>\
             <MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>\
             <EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[{task_id}]]></TaskId>\
             <CardType><![CDATA[button_interaction]]></CardType>\
             <ResponseCode><![CDATA[{response_code}]]></ResponseCode>\
             <AgentID>{AGENT_ID}</AgentID></xml>",
            chrono::Utc::now().timestamp()
        )
    }

    /// The query string and body of a POST carrying `inner`, signed at `timestamp`.
    pub fn post(&self, inner: &str, timestamp: i64) -> (String, String) {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let mut random = [0u8; 16];
        random[..8].copy_from_slice(&n.to_be_bytes());
        let encrypt = self.crypto.encrypt(inner, random);
        let nonce = format!("{}", 1_000_000 + n);
        let ts = timestamp.to_string();
        let sig = self.crypto.signature(&ts, &nonce, &encrypt);
        let body = format!(
            "<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName>\
             <Encrypt><![CDATA[{encrypt}]]></Encrypt><AgentID><![CDATA[{AGENT_ID}]]></AgentID></xml>"
        );
        (
            format!("msg_signature={sig}&timestamp={ts}&nonce={nonce}"),
            body,
        )
    }

    /// The query string of the URL check, with `echostr` encrypting `plain`.
    pub fn verify_query(&self, plain: &str, timestamp: i64) -> String {
        let echostr = self.crypto.encrypt(plain, [9; 16]);
        let nonce = "5551212";
        let ts = timestamp.to_string();
        let sig = self.crypto.signature(&ts, nonce, &echostr);
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("msg_signature", &sig)
            .append_pair("timestamp", &ts)
            .append_pair("nonce", nonce)
            .append_pair("echostr", &echostr);
        q.finish()
    }
}
