//! The anonymous feedback page, for people without Telegram: a plaque's QR code opens
//! `<public_url>/f/<target code>`, where they rate, may comment, and get a one-time reply code;
//! `/f/reply` shows the branch's answer to a code; `/f/privacy` says what is kept.
//!
//! A submission goes through `feedback::web` into the same sealed pool as the chat's
//! and is published in the same mixed batches. One rating per person per period is checked by
//! the configured [`WebCheck`]: a code sent by SMS (the number becomes the chat's keyed tag and
//! is never stored), WeCom's web authorization (`snsapi_base`: the userid or openid WeCom names
//! becomes the keyed tag and is never stored; [`wecom_return`]), or a signed cookie per period
//! (the weakest).
//!
//! Safety: every form carries a CSRF token bound to a cookie; a strict Content-Security-Policy;
//! per-client and global limits answered with 429 before anything is read or written; bodies
//! over [`MAX_BODY`] get 413. Nothing of the client (address, user agent, cookie) is stored or
//! logged: limits count in memory under a keyed hash of the address made with a key of this
//! process only ([`limits`]).

mod check;
mod limits;
mod pages;

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use self::check::{Challenge, Pass};
use self::limits::Window;
use super::AppState;
use crate::config::feedback::{FeedbackConfig, WebCheck};
use crate::domain::phone::Phone;
use crate::feedback::rules::{self, Rating};
use crate::feedback::store::{self, Target};
use crate::feedback::web::{self, Outcome, Tags};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::StoreError;

/// The largest form accepted: a 500-character Chinese comment is about 4.5 KB encoded.
pub const MAX_BODY: usize = 8 * 1024;

/// The page's settings and its in-memory limits.
pub struct Web {
    pub check: WebCheck,
    /// `https://bot.example.org`, without a trailing slash.
    pub base_url: String,
    secure: bool,
    /// Keys the client addresses and numbers the limits count; made for this process only.
    key: [u8; 32],
    per_client: Window,
    global: Window,
    codes_per_number: Window,
    codes_per_client: Window,
    /// Wrong codes per challenge id, with the challenge's expiry.
    tries: Mutex<HashMap<String, (u32, i64)>>,
    /// WeCom's web authorization page (`wecom` check).
    authorize_url: String,
    /// The nonces of WeCom `state`s already used, with their expiry: a state works once.
    states_used: Mutex<HashMap<String, i64>>,
}

impl Web {
    pub fn new(config: &FeedbackConfig, check: WebCheck, base_url: &str) -> Self {
        const HOUR: i64 = 3_600_000;
        let base_url = base_url.trim_end_matches('/').to_owned();
        Self {
            check,
            secure: base_url.to_ascii_lowercase().starts_with("https://"),
            base_url,
            key: rand::random(),
            per_client: Window::new(HOUR, config.web_per_client_per_hour),
            global: Window::new(60_000, config.web_per_minute),
            codes_per_number: Window::new(HOUR, config.sms_codes_per_number_per_hour),
            codes_per_client: Window::new(HOUR, config.sms_codes_per_client_per_hour),
            tries: Mutex::new(HashMap::new()),
            authorize_url: config.wecom_authorize_url.trim().to_owned(),
            states_used: Mutex::new(HashMap::new()),
        }
    }

    /// Takes a WeCom `state`'s nonce; false when it was used before.
    fn use_state(&self, nonce: &str, expires_at: i64, now: i64) -> bool {
        let mut used = self.states_used.lock().unwrap_or_else(|e| e.into_inner());
        used.retain(|_, expires| *expires >= now);
        used.insert(nonce.to_owned(), expires_at).is_none()
    }

    /// The link a plaque's QR code holds.
    pub fn target_url(base_url: &str, code: &str) -> String {
        format!("{}/f/{code}", base_url.trim_end_matches('/'))
    }

    fn keyed(&self, what: &str, value: &str) -> String {
        crate::anonymity::hmac_hex(&self.key, &[what.as_bytes(), value.as_bytes()])
    }

    /// Counts a wrong code; returns how many tries are left.
    fn wrong_try(&self, c: &Challenge, now: i64) -> u32 {
        let mut tries = self.tries.lock().unwrap_or_else(|e| e.into_inner());
        tries.retain(|_, (_, expires)| *expires > now);
        let n = tries.entry(c.id.clone()).or_insert((0, c.expires_at));
        n.0 += 1;
        check::CODE_TRIES.saturating_sub(n.0)
    }

    fn tries_left(&self, c: &Challenge) -> u32 {
        let tries = self.tries.lock().unwrap_or_else(|e| e.into_inner());
        check::CODE_TRIES.saturating_sub(tries.get(&c.id).map_or(0, |t| t.0))
    }

    fn forget(&self, c: &Challenge) {
        let mut tries = self.tries.lock().unwrap_or_else(|e| e.into_inner());
        tries.remove(&c.id);
    }
}

/// The page's routes, merged into the server's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/f/privacy", get(privacy))
        .route("/f/reply", get(reply_form).post(reply_post))
        .route("/f/{code}", get(show).post(submit))
        .route("/f/{code}/code", post(send_code))
        .route("/f/{code}/wecom", get(wecom_return))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// The client as the limits know it: a keyed hash of its address (the proxy's `X-Forwarded-For`
/// when the connection comes from a local or private-network proxy), never the address.
pub struct Client(String);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        let behind_proxy = peer.is_none_or(|ip| match ip {
            IpAddr::V4(v4) => v4.is_loopback() || v4.is_private(),
            IpAddr::V6(v6) => v6.is_loopback() || (v6.segments()[0] & 0xfe00) == 0xfc00,
        });
        let forwarded = behind_proxy
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .and_then(|v| v.trim().parse::<IpAddr>().ok())
            })
            .flatten();
        let ip = forwarded
            .or(peer)
            .map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Ok(Self(state.web.keyed("client", &ip)))
    }
}

/// The texts of one page, in the reader's language.
pub struct Words<'a> {
    state: &'a AppState,
    pub locale: Locale,
}

impl Words<'_> {
    pub fn t(&self, m: Msg) -> String {
        self.state.engine.catalog.text(self.locale, m)
    }

    pub fn r(&self, m: Msg, args: &[(&str, Arg)]) -> String {
        self.state.engine.catalog.render(self.locale, m, args)
    }

    pub fn org(&self) -> &str {
        &self.state.engine.org_name
    }

    pub fn catalog(&self) -> &Catalog {
        &self.state.engine.catalog
    }

    pub fn reply_url(&self) -> String {
        format!("{}/f/reply", self.state.web.base_url)
    }
}

/// The language of a page: the `lang` the reader picked, else the first of the browser's
/// `Accept-Language` the bot speaks, else Chinese.
fn locale(lang: Option<&str>, headers: &HeaderMap) -> Locale {
    if let Some(l) = lang.and_then(|l| l.parse().ok()) {
        return l;
    }
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Locale)> = None;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if let Ok(l) = tag.parse::<Locale>() {
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, l));
            }
        }
    }
    best.map_or(Locale::ZhCn, |(_, l)| l)
}

fn query_lang(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

/// A form's fields (the last value of a repeated name).
fn fields(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// An HTML answer with the page's headers: never cached, framed, sniffed or referred.
fn respond(status: StatusCode, html: String, cookies: &[String]) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(pages::csp()),
    );
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    res
}

impl Words<'_> {
    /// A page that only says something.
    fn notice(
        &self,
        status: StatusCode,
        title: Msg,
        text: &str,
        link: Option<(&str, Msg)>,
        here: &str,
    ) -> Response {
        let label = link.map(|(href, m)| (href.to_owned(), self.t(m)));
        let body = pages::notice(text, label.as_ref().map(|(h, l)| (h.as_str(), l.as_str())));
        respond(status, pages::page(self, &self.t(title), &body, here), &[])
    }

    fn not_found(&self, code: &str) -> Response {
        self.notice(
            StatusCode::NOT_FOUND,
            msg!("web-not-found-title"),
            &self.r(msg!("web-not-found"), &[("code", code.into())]),
            None,
            "/f/reply",
        )
    }

    fn too_many(&self, here: &str) -> Response {
        self.notice(
            StatusCode::TOO_MANY_REQUESTS,
            msg!("web-busy-title"),
            &self.t(msg!("web-busy")),
            None,
            here,
        )
    }

    fn expired_form(&self, code: &str) -> Response {
        let href = format!("/f/{code}?lang={}", self.locale.code());
        self.notice(
            StatusCode::FORBIDDEN,
            msg!("web-expired-title"),
            &self.t(msg!("web-expired")),
            Some((&href, msg!("web-start-again"))),
            &format!("/f/{code}"),
        )
    }

    fn period_ended(&self, code: &str) -> Response {
        let href = format!("/f/{code}?lang={}", self.locale.code());
        self.notice(
            StatusCode::GONE,
            msg!("web-period-ended-title"),
            &self.t(msg!("web-period-ended")),
            Some((&href, msg!("web-start-again"))),
            &format!("/f/{code}"),
        )
    }

    fn already(&self, status: StatusCode, code: &str) -> Response {
        self.notice(
            status,
            msg!("web-already-title"),
            &self.t(msg!("web-already")),
            Some(("/f/reply", msg!("web-reply-link"))),
            &format!("/f/{code}"),
        )
    }

    fn internal(&self, e: &StoreError) -> Response {
        // The error names a table or a connection, never the client.
        tracing::error!(error = %e, "feedback page failed");
        self.notice(
            StatusCode::INTERNAL_SERVER_ERROR,
            msg!("web-error-title"),
            &self.t(msg!("web-error")),
            None,
            "/f/reply",
        )
    }

    fn wecom_failed(&self, code: &str) -> Response {
        let href = format!("/f/{code}?lang={}", self.locale.code());
        self.notice(
            StatusCode::SERVICE_UNAVAILABLE,
            msg!("web-wecom-failed-title"),
            &self.t(msg!("web-wecom-failed")),
            Some((&href, msg!("web-start-again"))),
            &format!("/f/{code}"),
        )
    }

    fn too_large(&self) -> Response {
        self.notice(
            StatusCode::PAYLOAD_TOO_LARGE,
            msg!("web-too-large-title"),
            &self.t(msg!("web-too-large")),
            None,
            "/f/reply",
        )
    }
}

impl AppState {
    fn web_words(&self, locale: Locale) -> Words<'_> {
        Words {
            state: self,
            locale,
        }
    }
}

/// The target a path names, if any.
async fn target(state: &AppState, code: &str) -> Result<Option<Target>, StoreError> {
    let Some(code) = rules::parse_code(code) else {
        return Ok(None);
    };
    let mut conn = state.engine.store.pool().acquire().await?;
    store::target_by_code(&mut conn, &code).await
}

/// The CSRF cookie of the request, or a new one to set.
fn csrf_cookie(web: &Web, headers: &HeaderMap, cookies: &mut Vec<String>) -> String {
    check::cookie(headers, check::CSRF_COOKIE).unwrap_or_else(|| {
        let v = check::fresh();
        cookies.push(check::set_cookie(check::CSRF_COOKIE, &v, None, web.secure));
        v
    })
}

/// `GET /f/{code}`: the rating page (or, with the SMS check, its first step).
async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let w = state.web_words(locale(query_lang(query.as_deref()).as_deref(), &headers));
    match show_inner(&state, &w, &code, &headers).await {
        Ok(res) => res,
        Err(e) => w.internal(&e),
    }
}

async fn show_inner(
    state: &AppState,
    w: &Words<'_>,
    code: &str,
    headers: &HeaderMap,
) -> Result<Response, StoreError> {
    let Some(target) = target(state, code).await? else {
        return Ok(w.not_found(code));
    };
    let here = format!("/f/{}", target.code);
    let mut cookies = Vec::new();
    let form_cookie = csrf_cookie(&state.web, headers, &mut cookies);
    let csrf = check::csrf_token(&form_cookie);
    let title = pages::target_title(w, &target);
    let now = state.engine.clock.now();
    let (period, ends) = rules::period(now, state.engine.tz);
    let body = match state.web.check {
        WebCheck::Sms => pages::phone(w, &target, &csrf, "", None),
        WebCheck::Wecom => {
            return Ok(to_wecom(state, w, &target, &form_cookie, headers, cookies));
        }
        _ => {
            let nonce = match check::cookie(headers, check::DEVICE_COOKIE)
                .and_then(|c| check::device_nonce(&c, &period))
            {
                Some(n) => n,
                None => {
                    let value = check::device_cookie(&period);
                    let age = (ends - now.timestamp_millis()) / 1000;
                    cookies.push(check::set_cookie(
                        check::DEVICE_COOKIE,
                        &value,
                        Some(age),
                        state.web.secure,
                    ));
                    check::device_nonce(&value, &period).expect("a fresh cookie is valid")
                }
            };
            let mut conn = state.engine.store.pool().acquire().await?;
            let Some(tags) = web::tags(
                &mut conn,
                now,
                state.engine.tz,
                target.id,
                web::DEVICE_CHANNEL,
                &nonce,
            )
            .await?
            else {
                return Ok(w.period_ended(&target.code));
            };
            if web::already(&mut conn, &tags).await? {
                return Ok(w.already(StatusCode::OK, &target.code));
            }
            pages::rate(
                w,
                &target,
                &pages::RateForm {
                    csrf: &csrf,
                    period: &period,
                    challenge: None,
                    pass: None,
                    rating: None,
                    comment: "",
                    error: None,
                },
            )
        }
    };
    Ok(respond(
        StatusCode::OK,
        pages::page(w, &title, &body, &here),
        &cookies,
    ))
}

/// Reads a posted form, or answers 413 for one too large.
fn posted(body: Result<Bytes, BytesRejection>) -> Result<HashMap<String, String>, StatusCode> {
    match body {
        Ok(b) => Ok(fields(&b)),
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(StatusCode::PAYLOAD_TOO_LARGE),
        Err(_) => Err(StatusCode::BAD_REQUEST),
    }
}

/// `POST /f/{code}`: a rating, with the check's proof.
async fn submit(
    State(state): State<AppState>,
    Path(code): Path<String>,
    client: Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let now = state.engine.clock.now_ms();
    // Limits first: a flood is refused before anything it sent is read or stored.
    if !state.web.per_client.take(&client.0, now) || !state.web.global.take("", now) {
        return state
            .web_words(locale(None, &headers))
            .too_many(&format!("/f/{code}"));
    }
    let form = match posted(body) {
        Ok(f) => f,
        Err(status) => {
            let w = state.web_words(locale(None, &headers));
            return if status == StatusCode::PAYLOAD_TOO_LARGE {
                w.too_large()
            } else {
                w.expired_form(&code)
            };
        }
    };
    let w = state.web_words(locale(form.get("lang").map(String::as_str), &headers));
    match submit_inner(&state, &w, &code, &headers, &form).await {
        Ok(res) => res,
        Err(e) => w.internal(&e),
    }
}

fn field<'f>(form: &'f HashMap<String, String>, name: &str) -> &'f str {
    form.get(name).map_or("", String::as_str)
}

async fn submit_inner(
    state: &AppState,
    w: &Words<'_>,
    code: &str,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Response, StoreError> {
    if !check::csrf_ok(headers, field(form, "csrf")) {
        return Ok(w.expired_form(code));
    }
    let Some(target) = target(state, code).await? else {
        return Ok(w.not_found(code));
    };
    let here = format!("/f/{}", target.code);
    let title = pages::target_title(w, &target);
    let csrf = field(form, "csrf");
    let period = field(form, "period");
    let rating = field(form, "rating")
        .parse()
        .ok()
        .and_then(Rating::from_i64);
    let typed = field(form, "comment");
    let challenge_field = form.get("challenge").map(String::as_str);
    let pass_field = form.get("pass").map(String::as_str);
    let again = |error: String, status: StatusCode| {
        let body = pages::rate(
            w,
            &target,
            &pages::RateForm {
                csrf,
                period,
                challenge: challenge_field,
                pass: pass_field,
                rating,
                comment: typed,
                error: Some(error),
            },
        );
        respond(status, pages::page(w, &title, &body, &here), &[])
    };
    let Some(rating) = rating else {
        return Ok(again(w.t(msg!("web-pick-rating")), StatusCode::BAD_REQUEST));
    };
    let comment = match web::comment(typed) {
        Ok(c) => c,
        Err(max) => {
            return Ok(again(
                w.r(msg!("web-too-long"), &[("max", max.into())]),
                StatusCode::BAD_REQUEST,
            ))
        }
    };
    let now = state.engine.clock.now();
    let now_ms = now.timestamp_millis();
    let tz = state.engine.tz;
    let mut challenge = None;
    let tags: Tags = match state.web.check {
        WebCheck::Sms => {
            let Some(c) = challenge_field
                .and_then(Challenge::open)
                .filter(|c| c.tags.target_id == target.id)
            else {
                return Ok(w.expired_form(&target.code));
            };
            if now_ms > c.expires_at {
                let href = format!("/f/{}?lang={}", target.code, w.locale.code());
                return Ok(w.notice(
                    StatusCode::BAD_REQUEST,
                    msg!("web-code-expired-title"),
                    &w.t(msg!("web-code-expired")),
                    Some((&href, msg!("web-start-again"))),
                    &here,
                ));
            }
            if state.web.tries_left(&c) == 0 {
                return Ok(too_many_tries(w, &target.code, &here));
            }
            if !c.matches(field(form, "sms_code")) {
                let left = state.web.wrong_try(&c, now_ms);
                if left == 0 {
                    return Ok(too_many_tries(w, &target.code, &here));
                }
                return Ok(again(
                    w.r(msg!("web-code-wrong"), &[("left", i64::from(left).into())]),
                    StatusCode::BAD_REQUEST,
                ));
            }
            let tags = c.tags.clone();
            challenge = Some(c);
            tags
        }
        WebCheck::Wecom => {
            let cookie = check::cookie(headers, check::CSRF_COOKIE);
            let Some(pass) = pass_field
                .and_then(|p| Pass::open(p, cookie.as_deref()))
                .filter(|p| p.tags.target_id == target.id && now_ms <= p.expires_at)
            else {
                return Ok(w.expired_form(&target.code));
            };
            pass.tags
        }
        _ => {
            let Some(nonce) = check::cookie(headers, check::DEVICE_COOKIE)
                .and_then(|c| check::device_nonce(&c, period))
            else {
                if period != rules::period(now, tz).0 {
                    return Ok(w.period_ended(&target.code));
                }
                return Ok(w.expired_form(&target.code));
            };
            let mut conn = state.engine.store.pool().acquire().await?;
            match web::tags(&mut conn, now, tz, target.id, web::DEVICE_CHANNEL, &nonce).await? {
                Some(t) => t,
                None => return Ok(w.period_ended(&target.code)),
            }
        }
    };
    if tags.period != period {
        return Ok(w.period_ended(&target.code));
    }
    let mut tx = state.engine.store.begin().await?;
    let outcome = web::submit(&mut tx, now, tz, &tags, rating, comment).await?;
    tx.commit().await?;
    if let Some(c) = &challenge {
        state.web.forget(c);
    }
    Ok(match outcome {
        Outcome::Thanked(reply_code) => respond(
            StatusCode::OK,
            pages::page(
                w,
                &w.t(msg!("web-thanks-title")),
                &pages::thanks(w, &reply_code),
                &here,
            ),
            &[],
        ),
        Outcome::Already => w.already(StatusCode::CONFLICT, &target.code),
        Outcome::PeriodEnded => w.period_ended(&target.code),
    })
}

fn too_many_tries(w: &Words<'_>, code: &str, here: &str) -> Response {
    let href = format!("/f/{code}?lang={}", w.locale.code());
    w.notice(
        StatusCode::TOO_MANY_REQUESTS,
        msg!("web-code-tries-title"),
        &w.t(msg!("web-code-tries")),
        Some((&href, msg!("web-start-again"))),
        here,
    )
}

/// `POST /f/{code}/code`: sends a 6-digit code to a mobile number (SMS check).
async fn send_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
    client: Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let form = match posted(body) {
        Ok(f) => f,
        Err(status) => {
            let w = state.web_words(locale(None, &headers));
            return if status == StatusCode::PAYLOAD_TOO_LARGE {
                w.too_large()
            } else {
                w.expired_form(&code)
            };
        }
    };
    let w = state.web_words(locale(form.get("lang").map(String::as_str), &headers));
    match send_code_inner(&state, &w, &code, &client, &headers, &form).await {
        Ok(res) => res,
        Err(e) => w.internal(&e),
    }
}

async fn send_code_inner(
    state: &AppState,
    w: &Words<'_>,
    code: &str,
    client: &Client,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Response, StoreError> {
    let (Some(sms), WebCheck::Sms) = (state.sms.as_deref(), state.web.check) else {
        return Ok(w.not_found(code));
    };
    if !check::csrf_ok(headers, field(form, "csrf")) {
        return Ok(w.expired_form(code));
    }
    let Some(target) = target(state, code).await? else {
        return Ok(w.not_found(code));
    };
    let here = format!("/f/{}", target.code);
    let title = pages::target_title(w, &target);
    let csrf = field(form, "csrf");
    let typed = field(form, "phone");
    let refuse = |status: StatusCode, error: String| {
        let body = pages::phone(w, &target, csrf, typed, Some(&error));
        respond(status, pages::page(w, &title, &body, &here), &[])
    };
    let phone: Phone = match typed.parse() {
        Ok(p) => p,
        Err(e) => {
            let e: crate::domain::phone::PhoneError = e;
            return Ok(refuse(
                StatusCode::BAD_REQUEST,
                e.render(w.catalog(), w.locale),
            ));
        }
    };
    let now = state.engine.clock.now();
    let now_ms = now.timestamp_millis();
    let web = &state.web;
    let number = web.keyed("number", phone.as_str());
    if !web.codes_per_number.allows(&number, now_ms)
        || !web.codes_per_client.take(&client.0, now_ms)
        || !web.global.take("", now_ms)
        || !web.codes_per_number.take(&number, now_ms)
    {
        return Ok(refuse(
            StatusCode::TOO_MANY_REQUESTS,
            w.t(msg!("web-too-many-codes")),
        ));
    }
    let mut conn = state.engine.store.pool().acquire().await?;
    let Some(tags) = web::tags(
        &mut conn,
        now,
        state.engine.tz,
        target.id,
        web::SMS_CHANNEL,
        phone.as_str(),
    )
    .await?
    else {
        return Ok(w.period_ended(&target.code));
    };
    drop(conn);
    let challenge = Challenge::new(tags, now_ms);
    let text = w.r(
        msg!("web-sms-text"),
        &[
            ("org", w.org().into()),
            ("code", challenge.code.as_str().into()),
        ],
    );
    if let Err(e) = sms
        .connected
        .gateway
        .send(phone.as_str(), &text, &check::fresh())
        .await
    {
        // Only the kind of failure: a gateway's detail may quote the number.
        let kind = match e {
            crate::delivery::SendError::RetryAfter(_) | crate::delivery::SendError::Held { .. } => {
                "busy"
            }
            crate::delivery::SendError::Transient(_) => "transient",
            _ => "refused",
        };
        tracing::warn!(kind, "feedback page: an SMS code could not be sent");
        return Ok(refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            w.t(msg!("web-sms-failed")),
        ));
    }
    let sealed = challenge.seal();
    let body = pages::rate(
        w,
        &target,
        &pages::RateForm {
            csrf,
            period: &challenge.tags.period,
            challenge: Some(&sealed),
            pass: None,
            rating: None,
            comment: "",
            error: None,
        },
    );
    let sent = format!(
        "<p role=\"status\">{}</p>\n",
        pages::esc(&w.r(msg!("web-code-sent"), &[("phone", phone.masked().into())]))
    );
    Ok(respond(
        StatusCode::OK,
        pages::page(w, &title, &format!("{sent}{body}"), &here),
        &[],
    ))
}

/// Whether the page was opened in WeCom's own browser (its user agent names `wxwork`).
fn in_wecom(headers: &HeaderMap) -> bool {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.to_ascii_lowercase().contains("wxwork"))
}

/// The WeCom check's first step: outside WeCom, a page saying to open it there; inside, the
/// way to WeCom's web authorization (`snsapi_base`, silent), which comes back to
/// [`wecom_return`] with a one-time code and the `state` signed for this browser.
fn to_wecom(
    state: &AppState,
    w: &Words<'_>,
    target: &Target,
    form_cookie: &str,
    headers: &HeaderMap,
    cookies: Vec<String>,
) -> Response {
    let here = format!("/f/{}", target.code);
    let Some(wecom) = state.wecom.as_deref() else {
        return w.wecom_failed(&target.code);
    };
    if !in_wecom(headers) {
        let mut res = w.notice(
            StatusCode::OK,
            msg!("web-wecom-only-title"),
            &w.r(
                msg!("web-wecom-only"),
                &[("url", format!("{}{here}", state.web.base_url).into())],
            ),
            None,
            &here,
        );
        for c in &cookies {
            if let Ok(v) = HeaderValue::from_str(c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        return res;
    }
    let now = state.engine.clock.now_ms();
    let back = format!(
        "{}/f/{}/wecom?lang={}",
        state.web.base_url,
        target.code,
        w.locale.code()
    );
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("appid", wecom.api.corp_id())
        .append_pair("redirect_uri", &back)
        .append_pair("response_type", "code")
        .append_pair("scope", "snsapi_base")
        .append_pair("state", &check::wecom_state(form_cookie, &target.code, now))
        .append_pair("agentid", &wecom.api.agent_id().to_string())
        .finish();
    let location = format!("{}?{query}#wechat_redirect", state.web.authorize_url);
    let body = pages::notice(
        &w.t(msg!("web-wecom-redirect")),
        Some((&location, &w.t(msg!("web-wecom-continue")))),
    );
    let mut res = respond(
        StatusCode::FOUND,
        pages::page(w, &pages::target_title(w, target), &body, &here),
        &cookies,
    );
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// `GET /f/{code}/wecom?code=…&state=…`: back from WeCom's authorization. The `state` must be
/// the one signed for this browser and this target, unexpired and unused; WeCom's
/// `auth/getuserinfo` turns the one-time code into a userid (a member) or an openid (someone
/// outside the organisation), which becomes the keyed "already rated" tag at once and is
/// dropped: never stored, never logged. The rating form then carries only the sealed tags.
async fn wecom_return(
    State(state): State<AppState>,
    Path(code): Path<String>,
    RawQuery(query): RawQuery,
    client: Client,
    headers: HeaderMap,
) -> Response {
    let w = state.web_words(locale(query_lang(query.as_deref()).as_deref(), &headers));
    let now = state.engine.clock.now_ms();
    if !state.web.per_client.take(&client.0, now) {
        return w.too_many(&format!("/f/{code}"));
    }
    match wecom_return_inner(&state, &w, &code, query.as_deref(), &headers).await {
        Ok(res) => res,
        Err(e) => w.internal(&e),
    }
}

async fn wecom_return_inner(
    state: &AppState,
    w: &Words<'_>,
    code: &str,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, StoreError> {
    let (Some(wecom), WebCheck::Wecom) = (state.wecom.as_deref(), state.web.check) else {
        return Ok(w.not_found(code));
    };
    let Some(target) = target(state, code).await? else {
        return Ok(w.not_found(code));
    };
    let here = format!("/f/{}", target.code);
    let params: HashMap<String, String> = form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .into_owned()
        .collect();
    let now = state.engine.clock.now();
    let now_ms = now.timestamp_millis();
    let Some(form_cookie) = check::cookie(headers, check::CSRF_COOKIE) else {
        return Ok(w.expired_form(&target.code));
    };
    let taken = params
        .get("state")
        .and_then(|s| check::wecom_state_nonce(s, &form_cookie, &target.code, now_ms))
        .is_some_and(|(nonce, expires)| state.web.use_state(&nonce, expires, now_ms));
    let one_time = params.get("code").map(|c| c.trim()).unwrap_or("");
    if !taken || one_time.is_empty() || one_time.len() > 512 {
        return Ok(w.expired_form(&target.code));
    }
    let visitor = match wecom.api.visitor(one_time).await {
        Ok(Some(v)) => v,
        Ok(None) => {
            let href = format!("/f/{}?lang={}", target.code, w.locale.code());
            return Ok(w.notice(
                StatusCode::BAD_REQUEST,
                msg!("web-wecom-code-title"),
                &w.t(msg!("web-wecom-code")),
                Some((&href, msg!("web-start-again"))),
                &here,
            ));
        }
        Err(e) => {
            // Only the kind: the detail of a transport error quotes the URL with the code.
            let kind = match e {
                crate::delivery::SendError::RetryAfter(_)
                | crate::delivery::SendError::Held { .. } => "busy",
                crate::delivery::SendError::Transient(_) => "transient",
                _ => "refused",
            };
            tracing::warn!(
                kind,
                "feedback page: WeCom could not say who opened the page"
            );
            return Ok(w.wecom_failed(&target.code));
        }
    };
    let (channel, address) = match &visitor {
        crate::channels::wecom::api::Visitor::Member(userid) => (web::WECOM_CHANNEL, userid),
        crate::channels::wecom::api::Visitor::Outsider(openid) => {
            (web::WECOM_OUTSIDER_CHANNEL, openid)
        }
    };
    let mut conn = state.engine.store.pool().acquire().await?;
    let tags = web::tags(&mut conn, now, state.engine.tz, target.id, channel, address).await?;
    drop(visitor);
    let Some(tags) = tags else {
        return Ok(w.period_ended(&target.code));
    };
    if web::already(&mut conn, &tags).await? {
        return Ok(w.already(StatusCode::OK, &target.code));
    }
    drop(conn);
    let period = tags.period.clone();
    let sealed = Pass::new(tags, &form_cookie, now_ms).seal();
    let csrf = check::csrf_token(&form_cookie);
    let body = pages::rate(
        w,
        &target,
        &pages::RateForm {
            csrf: &csrf,
            period: &period,
            challenge: None,
            pass: Some(&sealed),
            rating: None,
            comment: "",
            error: None,
        },
    );
    Ok(respond(
        StatusCode::OK,
        pages::page(w, &pages::target_title(w, &target), &body, &here),
        &[],
    ))
}

/// `GET /f/reply`: the form that reads an answer.
async fn reply_form(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let w = state.web_words(locale(query_lang(query.as_deref()).as_deref(), &headers));
    let mut cookies = Vec::new();
    let csrf = check::csrf_token(&csrf_cookie(&state.web, &headers, &mut cookies));
    let body = pages::reply(&w, &csrf, "", None);
    respond(
        StatusCode::OK,
        pages::page(&w, &w.t(msg!("web-reply-title")), &body, "/f/reply"),
        &cookies,
    )
}

/// `POST /f/reply`: what a reply code leads to.
async fn reply_post(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let now = state.engine.clock.now_ms();
    if !state.web.per_client.take(&client.0, now) {
        return state.web_words(locale(None, &headers)).too_many("/f/reply");
    }
    let form = match posted(body) {
        Ok(f) => f,
        Err(_) => return state.web_words(locale(None, &headers)).too_large(),
    };
    let w = state.web_words(locale(form.get("lang").map(String::as_str), &headers));
    let csrf = field(&form, "csrf");
    if !check::csrf_ok(&headers, csrf) {
        let href = format!("/f/reply?lang={}", w.locale.code());
        return w.notice(
            StatusCode::FORBIDDEN,
            msg!("web-expired-title"),
            &w.t(msg!("web-expired")),
            Some((&href, msg!("web-start-again"))),
            "/f/reply",
        );
    }
    let typed = field(&form, "code").trim();
    let found = if rules::normalize(typed).is_empty() {
        Ok(None)
    } else {
        match state.engine.store.pool().acquire().await {
            Ok(mut conn) => crate::feedback::answer_by_code(&mut conn, typed).await,
            Err(e) => Err(e.into()),
        }
    };
    let (status, result) = match found {
        Err(e) => return w.internal(&e),
        Ok(None) if rules::normalize(typed).is_empty() => (
            StatusCode::BAD_REQUEST,
            (false, w.t(msg!("web-reply-empty"))),
        ),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            (
                false,
                w.r(msg!("feedback-reply-unknown"), &[("code", typed.into())]),
            ),
        ),
        Ok(Some(None)) => (StatusCode::OK, (false, w.t(msg!("feedback-reply-pending")))),
        Ok(Some(Some(answer))) => (
            StatusCode::OK,
            (
                true,
                w.r(msg!("feedback-reply-answer"), &[("answer", answer.into())]),
            ),
        ),
    };
    let body = pages::reply(&w, csrf, typed, Some(result));
    respond(
        status,
        pages::page(&w, &w.t(msg!("web-reply-title")), &body, "/f/reply"),
        &[],
    )
}

/// `GET /f/privacy`: what is and is not kept.
async fn privacy(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let w = state.web_words(locale(query_lang(query.as_deref()).as_deref(), &headers));
    let body = pages::privacy(&w, state.web.check.as_str());
    respond(
        StatusCode::OK,
        pages::page(&w, &w.t(msg!("web-privacy-title")), &body, "/f/privacy"),
        &[],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, v.parse().unwrap());
        h
    }

    #[test]
    fn the_browser_s_accept_language_picks_the_first_view_and_the_switch_wins() {
        assert_eq!(locale(None, &HeaderMap::new()), Locale::ZhCn);
        assert_eq!(
            locale(None, &accept("en-US,en;q=0.9,zh-CN;q=0.8")),
            Locale::En
        );
        assert_eq!(
            locale(None, &accept("fr-FR,zh-CN;q=0.5,en;q=0.4")),
            Locale::ZhCn
        );
        assert_eq!(locale(None, &accept("zh-CN;q=0.3,en;q=0.7")), Locale::En);
        assert_eq!(locale(Some("zh-CN"), &accept("en")), Locale::ZhCn);
        assert_eq!(locale(Some("xx"), &accept("en")), Locale::En);
    }
}
