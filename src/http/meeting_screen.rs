//! The sign-in screen (签到大屏): the page a secretary opens on the meeting room's screen, with
//! the meeting's rotating sign-in code in large digits, its name and time. No scripts: the page
//! reloads itself (`<meta http-equiv="refresh">`) when the 30-second window turns.
//!
//! `GET /meetings/screen/open/{token}` uses the one-time link (`meetings::chat::screen`) once,
//! opens a screen session until the meeting ends (an HttpOnly cookie scoped to
//! `/meetings/screen`), and sends the browser to `GET /meetings/screen/{id}`, the page. A used,
//! expired or unknown link, or a page without its session, is a readable refusal page.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};

use super::AppState;
use crate::i18n::{Arg, Msg};
use crate::meetings::rules::{rotating_code, rotating_window, ROTATING_WINDOW_MS};
use crate::meetings::store as meetings;
use crate::meetings::store::screen as meeting_screens;
use crate::msg;
use crate::store::{dashboard, StoreError};

/// The screen session cookie's name.
pub const COOKIE: &str = "branchbot_screen";

/// The screen's routes, merged into the server's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/meetings/screen/open/{token}", get(open))
        .route("/meetings/screen/{id}", get(page))
}

struct Words<'a>(&'a AppState);

impl Words<'_> {
    fn t(&self, m: Msg) -> String {
        self.0.engine.catalog.text(self.0.engine.org_locale, m)
    }

    fn r(&self, m: Msg, args: &[(&str, Arg)]) -> String {
        self.0
            .engine
            .catalog
            .render(self.0.engine.org_locale, m, args)
    }

    /// A whole page: `refresh` seconds until it reloads itself (None: it does not).
    fn page(&self, status: StatusCode, title: &str, body: &str, refresh: Option<i64>) -> Response {
        let lang = self.0.engine.org_locale.code();
        let refresh = refresh
            .map(|s| format!("<meta http-equiv=\"refresh\" content=\"{}\">\n", s.max(1)))
            .unwrap_or_default();
        let html = format!(
            "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"robots\" content=\"noindex\">\n{refresh}<title>{}</title>\n\
             <style>body{{font-family:system-ui,sans-serif;text-align:center;margin:4vh 2vw;\
             color:#222}}h1{{font-size:5vh;margin:0 0 2vh}}.when{{font-size:3.5vh;color:#555}}\
             .code{{font-size:28vh;font-weight:700;letter-spacing:2vw;margin:4vh 0;\
             font-variant-numeric:tabular-nums;color:#b71c1c}}.hint{{font-size:3vh}}\
             .note{{font-size:2.5vh;color:#777}}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
            escape(title)
        );
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
        res
    }

    fn refused(&self, status: StatusCode, text: Msg) -> Response {
        let title = self.t(msg!("screen-title"));
        let body = format!("<p class=\"hint\">{}</p>", escape(&self.t(text)));
        self.page(status, &title, &body, None)
    }

    fn internal(&self, e: StoreError) -> Response {
        tracing::error!(error = %e, "sign-in screen failed");
        self.refused(
            StatusCode::INTERNAL_SERVER_ERROR,
            msg!("screen-error-internal"),
        )
    }
}

/// HTML-escapes text.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The screen token in the request's cookies.
fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
        .filter(|v| dashboard::looks_like_token(v))
}

/// Link previewers fetch a link as soon as it is posted; they must not use it up.
fn is_link_preview(headers: &HeaderMap) -> bool {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| {
            let ua = ua.to_ascii_lowercase();
            [
                "telegrambot",
                "twitterbot",
                "facebookexternalhit",
                "slackbot",
            ]
            .iter()
            .any(|bot| ua.contains(bot))
        })
}

/// `GET /meetings/screen/open/{token}`.
async fn open(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = Words(&state);
    if !dashboard::looks_like_token(&token) {
        return w.refused(StatusCode::FORBIDDEN, msg!("screen-error-link"));
    }
    if is_link_preview(&headers) {
        return w.refused(StatusCode::OK, msg!("screen-preview"));
    }
    let opened = async {
        let engine = &state.engine;
        let now = engine.clock.now_ms();
        let mut tx = engine.store.begin().await?;
        let Some((meeting_id, member_id)) = meeting_screens::use_link(&mut tx, &token, now).await?
        else {
            tx.rollback().await?;
            return Ok(None);
        };
        let Some(m) = meetings::get(&mut tx, meeting_id).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        // The session lasts until the meeting ends (at least the link's ten minutes).
        let until = m.ends_at.max(now + meeting_screens::LINK_TTL_MS);
        let session =
            meeting_screens::create_session(&mut tx, meeting_id, member_id, now, until).await?;
        tx.commit().await?;
        Ok::<_, StoreError>(Some((meeting_id, session, (until - now) / 1000)))
    }
    .await;
    match opened {
        Ok(Some((id, session, max_age))) => {
            let mut cookie = format!(
                "{COOKIE}={session}; HttpOnly; SameSite=Lax; Path=/meetings/screen; Max-Age={max_age}"
            );
            if state.engine.dashboard.secure() {
                cookie.push_str("; Secure");
            }
            let mut res = StatusCode::SEE_OTHER.into_response();
            let h = res.headers_mut();
            if let (Ok(loc), Ok(cookie)) = (
                HeaderValue::from_str(&format!("/meetings/screen/{id}")),
                HeaderValue::from_str(&cookie),
            ) {
                h.insert(header::LOCATION, loc);
                h.insert(header::SET_COOKIE, cookie);
            }
            h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            h.insert(
                header::REFERRER_POLICY,
                HeaderValue::from_static("no-referrer"),
            );
            res
        }
        Ok(None) => w.refused(StatusCode::FORBIDDEN, msg!("screen-error-link")),
        Err(e) => w.internal(e),
    }
}

/// `GET /meetings/screen/{id}`: the code now, with the meeting's name and time.
async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = Words(&state);
    let Ok(id) = id.parse::<i64>() else {
        return w.refused(StatusCode::NOT_FOUND, msg!("screen-error-session"));
    };
    let Some(token) = session_token(&headers) else {
        return w.refused(StatusCode::UNAUTHORIZED, msg!("screen-error-session"));
    };
    let engine = &state.engine;
    let now = engine.clock.now_ms();
    let found = async {
        let mut conn = engine.store.pool().acquire().await?;
        if meeting_screens::session_meeting(&mut conn, &token, now).await? != Some(id) {
            return Ok(None);
        }
        let Some(m) = meetings::get(&mut conn, id).await? else {
            return Ok(None);
        };
        let secret = meeting_screens::secret(&mut conn, id, now).await?;
        Ok::<_, StoreError>(Some((m, secret)))
    }
    .await;
    let (m, secret) = match found {
        Ok(Some(x)) => x,
        Ok(None) => return w.refused(StatusCode::UNAUTHORIZED, msg!("screen-error-session")),
        Err(e) => return w.internal(e),
    };
    let (c, l, tz) = (&engine.catalog, engine.org_locale, engine.tz);
    let kind = crate::meetings::text::kind_text(c, l, m.kind);
    let title = w.r(
        msg!("screen-heading"),
        &[
            ("branch", m.branch_name.as_str().into()),
            ("kind", kind.as_str().into()),
        ],
    );
    let when = crate::chat::dates::when_text(c, l, tz, m.starts_at);
    let mut body = format!(
        "<h1>{}</h1>\n<p class=\"when\">{}</p>\n",
        escape(&title),
        escape(&format!("{when} · {}", m.place))
    );
    let opens_at = m.starts_at - engine.meetings.signin_opens_minutes * 60_000;
    if m.cancelled {
        body.push_str(&format!(
            "<p class=\"hint\">{}</p>",
            escape(&w.t(msg!("screen-cancelled")))
        ));
        return w.page(StatusCode::OK, &title, &body, None);
    }
    if now >= m.ends_at {
        body.push_str(&format!(
            "<p class=\"hint\">{}</p>",
            escape(&w.t(msg!("screen-ended")))
        ));
        return w.page(StatusCode::OK, &title, &body, None);
    }
    if now < opens_at {
        let at = DateTime::<Utc>::from_timestamp_millis(opens_at)
            .unwrap_or_default()
            .with_timezone(&tz)
            .format("%H:%M")
            .to_string();
        body.push_str(&format!(
            "<p class=\"hint\">{}</p>",
            escape(&w.r(msg!("screen-not-open"), &[("at", at.into())]))
        ));
        // Looked at again every half minute until sign-in opens.
        let wait = ((opens_at - now) / 1000).clamp(1, 30);
        return w.page(StatusCode::OK, &title, &body, Some(wait));
    }
    let window = rotating_window(now);
    let code = rotating_code(&secret, window);
    let left = ((window + 1) * ROTATING_WINDOW_MS - now + 999) / 1000;
    body.push_str(&format!(
        "<div class=\"code\" id=\"code\">{code}</div>\n<p class=\"hint\">{}</p>\n<p class=\"note\">{}</p>",
        escape(&w.t(msg!("screen-hint"))),
        escape(&w.r(msg!("screen-changes"), &[("seconds", left.into())]))
    ));
    w.page(StatusCode::OK, &title, &body, Some(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_on_the_screen_is_escaped_and_the_cookie_is_read_among_others() {
        assert_eq!(
            escape("<b>\"a\" & 'b'</b>"),
            "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;"
        );
        let token = dashboard::new_token();
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("branchbot_session=x; {COOKIE}={token}")).unwrap(),
        );
        assert_eq!(session_token(&h), Some(token));
    }
}
