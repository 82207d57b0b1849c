//! The read-only web dashboard, served by the bot's own HTTP server: a compliance overview of
//! every branch, a page per branch and the campaign's timeline, in server-rendered HTML in the
//! organisation's locale.
//!
//! There are no passwords: `/dashboard` in chat gives a one-time link (`org::dashboard`);
//! opening it starts a session whose token lives in an HttpOnly, SameSite=Lax cookie (Secure
//! over HTTPS) scoped to `/dashboard`. The college committee sees every branch; a branch's
//! secretary, deputy or committee member sees only their branch. Every refusal is a readable
//! page with the right status that names nothing it should not.

mod charts;
mod html;
mod pages;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::AppState;
use crate::domain::org::Member;
use crate::i18n::{Arg, Locale, Msg};
use crate::msg;
use crate::org::dashboard::allowed;
use crate::store::audit::{self, Action, Actor};
use crate::store::{dashboard, members, StoreError};

/// The session cookie's name.
pub const COOKIE: &str = "branchbot_session";

/// The dashboard's routes, merged into the server's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(pages::overview))
        .route("/dashboard/branch/{id}", get(pages::branch))
        .route(
            "/dashboard/branch/{id}/recruitment",
            get(pages::recruitment),
        )
        .route("/dashboard/branch/{id}/dues", get(pages::dues))
        .route("/dashboard/meeting/{id}", get(pages::meeting))
        .route("/dashboard/file/{id}", get(pages::file))
        .route("/dashboard/campaign", get(pages::campaign))
        .route("/dashboard/charts/{file}", get(charts::chart))
        .route("/dashboard/login/{token}", get(login))
        .route("/dashboard/logout", get(logout).post(logout))
        .route("/dashboard/{*rest}", get(not_found))
}

/// Why a page is not shown.
pub enum Refusal {
    /// No session, or an expired one: 401.
    NoSession,
    /// The member may not see this: 403.
    Forbidden,
    /// The member no longer runs a branch nor sits on the committee: 403.
    NoLongerAllowed,
    /// No such branch or page: 404.
    NotFound(Msg),
    /// A `?period=` that is not a quarter (or is empty): 400.
    BadPeriod(String),
    /// A `?period=` longer than five years: 400.
    LongPeriod(String),
    /// The database failed: 500, logged.
    Internal(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Self::Internal(e)
    }
}

/// What the handlers share: the catalog in the organisation's locale.
pub struct Words<'a> {
    pub state: &'a AppState,
    pub locale: Locale,
}

impl Words<'_> {
    pub fn t(&self, m: Msg) -> String {
        self.state.engine.catalog.text(self.locale, m)
    }

    pub fn r(&self, m: Msg, args: &[(&str, Arg)]) -> String {
        self.state.engine.catalog.render(self.locale, m, args)
    }

    /// A period as people read it ("2026年第四季度").
    pub fn period_text(&self, p: &crate::domain::period::Period) -> String {
        crate::meetings::text::period_text(&self.state.engine.catalog, self.locale, p)
    }

    pub fn org(&self) -> &str {
        &self.state.engine.org_name
    }

    /// A page with no navigation: an error or a notice. With `relogin`, it says how to get a
    /// new link; otherwise it links back to the dashboard.
    pub fn plain(&self, status: StatusCode, title: Msg, text: &str, relogin: bool) -> Response {
        let mut body = html::para(text, None);
        if relogin {
            body.push_str(&html::para(&self.t(msg!("dashboard-how-to-login")), None));
        } else {
            body.push_str(&format!(
                "<p>{}</p>\n",
                html::link("/dashboard", &self.t(msg!("dashboard-back")))
            ));
        }
        let title = self.t(title);
        let frame = html::Frame {
            locale: self.locale,
            org: self.org(),
            title: &title,
            nav: Vec::new(),
            signed_in: None,
            footer: None,
        };
        html::respond(
            status,
            html::page(&frame, &format!("<div class=\"card\">{body}</div>")),
        )
    }

    /// The page for a refusal.
    pub fn refused(&self, why: Refusal) -> Response {
        match why {
            Refusal::NoSession => self.plain(
                StatusCode::UNAUTHORIZED,
                msg!("dashboard-error-session-title"),
                &self.t(msg!("dashboard-error-session")),
                true,
            ),
            Refusal::Forbidden => self.plain(
                StatusCode::FORBIDDEN,
                msg!("dashboard-error-forbidden-title"),
                &self.t(msg!("dashboard-error-forbidden")),
                false,
            ),
            Refusal::NoLongerAllowed => self.plain(
                StatusCode::FORBIDDEN,
                msg!("dashboard-error-forbidden-title"),
                &self.t(msg!("dashboard-error-no-longer")),
                true,
            ),
            Refusal::NotFound(m) => self.plain(
                StatusCode::NOT_FOUND,
                msg!("dashboard-error-not-found-title"),
                &self.t(m),
                false,
            ),
            Refusal::BadPeriod(typed) => {
                let text = if typed.trim().is_empty() {
                    self.t(msg!("dashboard-error-period-empty"))
                } else {
                    self.r(msg!("dashboard-error-period"), &[("typed", typed.into())])
                };
                self.plain(
                    StatusCode::BAD_REQUEST,
                    msg!("dashboard-error-period-title"),
                    &text,
                    false,
                )
            }
            Refusal::LongPeriod(typed) => self.plain(
                StatusCode::BAD_REQUEST,
                msg!("dashboard-error-period-title"),
                &self.r(
                    msg!("dashboard-error-period-long"),
                    &[("typed", typed.into())],
                ),
                false,
            ),
            Refusal::Internal(e) => {
                tracing::error!(error = %e, "dashboard page failed");
                self.plain(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    msg!("dashboard-error-internal-title"),
                    &self.t(msg!("dashboard-error-internal")),
                    false,
                )
            }
        }
    }
}

impl AppState {
    /// The dashboard speaks the organisation's locale.
    fn words(&self) -> Words<'_> {
        Words {
            state: self,
            locale: self.engine.org_locale,
        }
    }
}

/// The session token in the request's cookies.
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

/// The signed-in member, who must still be allowed to see the dashboard.
pub async fn signed_in(state: &AppState, headers: &HeaderMap) -> Result<Member, Refusal> {
    let Some(token) = session_token(headers) else {
        return Err(Refusal::NoSession);
    };
    let mut conn = state
        .engine
        .store
        .pool()
        .acquire()
        .await
        .map_err(StoreError::from)?;
    let now = state.engine.clock.now_ms();
    let Some(member_id) = dashboard::session_member(&mut conn, &token, now).await? else {
        return Err(Refusal::NoSession);
    };
    match members::by_id(&mut conn, member_id).await? {
        Some(m) if m.active && allowed(&m) => Ok(m),
        _ => Err(Refusal::NoLongerAllowed),
    }
}

/// `Set-Cookie` for a session.
fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    let mut c = format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/dashboard; Max-Age={max_age_secs}"
    );
    if secure {
        c.push_str("; Secure");
    }
    c
}

/// Link previewers (Telegram's among them) fetch a link as soon as it is posted; they must not
/// use up the one-time link.
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

/// `GET /dashboard/login/{token}`: uses the link once, opens a session, writes the audit row,
/// and sends the member to their first page.
async fn login(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = state.words();
    let expired = || {
        w.plain(
            StatusCode::FORBIDDEN,
            msg!("dashboard-error-link-title"),
            &w.t(msg!("dashboard-error-link")),
            true,
        )
    };
    if !dashboard::looks_like_token(&token) {
        return expired();
    }
    if is_link_preview(&headers) {
        return w.plain(
            StatusCode::OK,
            msg!("dashboard-preview-title"),
            &w.t(msg!("dashboard-preview")),
            false,
        );
    }
    match open_session(&state, &token).await {
        Ok(Some((member, session))) => {
            let settings = &state.engine.dashboard;
            let to = match member.branch_id {
                Some(b) if !member.college => format!("/dashboard/branch/{b}"),
                _ => "/dashboard".to_owned(),
            };
            let cookie = session_cookie(&session, settings.session_ms / 1000, settings.secure());
            let mut res = StatusCode::SEE_OTHER.into_response();
            let h = res.headers_mut();
            if let (Ok(loc), Ok(cookie)) =
                (HeaderValue::from_str(&to), HeaderValue::from_str(&cookie))
            {
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
        Ok(None) => expired(),
        Err(other) => w.refused(other),
    }
}

/// In one transaction: the link is marked used, the session made and the login recorded. None
/// when the link is unknown, used or expired.
async fn open_session(state: &AppState, token: &str) -> Result<Option<(Member, String)>, Refusal> {
    let engine = &state.engine;
    let now = engine.clock.now_ms();
    let mut tx = engine.store.begin().await?;
    let Some(member_id) = dashboard::use_link(&mut tx, token, now).await? else {
        tx.rollback().await.map_err(StoreError::from)?;
        return Ok(None);
    };
    let member = match members::by_id(&mut tx, member_id).await? {
        Some(m) if m.active && allowed(&m) => m,
        _ => {
            // The link stays used: it was for someone who may no longer look.
            tx.commit().await.map_err(StoreError::from)?;
            return Err(Refusal::NoLongerAllowed);
        }
    };
    let session =
        dashboard::create_session(&mut tx, member.id, now, now + engine.dashboard.session_ms)
            .await?;
    audit::record(
        &mut tx,
        now,
        &Actor::member(&member, "web"),
        Action::DashboardLogin,
        &format!("member:{}", member.id),
        "",
    )
    .await?;
    tx.commit().await.map_err(StoreError::from)?;
    tracing::info!(member = member.id, "dashboard login");
    Ok(Some((member, session)))
}

/// `/dashboard/logout`: ends the session and clears the cookie.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let w = state.words();
    if let Some(token) = session_token(&headers) {
        let ended = async {
            let mut conn = state.engine.store.pool().acquire().await?;
            dashboard::end_session(&mut conn, &token).await
        }
        .await;
        if let Err(e) = ended {
            return w.refused(Refusal::Internal(e));
        }
    }
    let mut res = w.plain(
        StatusCode::OK,
        msg!("dashboard-logged-out-title"),
        &w.t(msg!("dashboard-logged-out")),
        true,
    );
    let clear = session_cookie("", 0, state.engine.dashboard.secure());
    if let Ok(v) = HeaderValue::from_str(&clear) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Any other path under `/dashboard/`.
async fn not_found(State(state): State<AppState>) -> Response {
    let w = state.words();
    w.refused(Refusal::NotFound(msg!("dashboard-error-not-found")))
}

/// The value of `period` in a query string: None when absent, the text (maybe empty) when
/// given.
fn period_param(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "period")
        .map(|(_, v)| v.into_owned())
}

/// A value as it goes into a link's query string.
fn query_value(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// The period a page shows: `?period=` as `branchbot report` reads it (2026Q4, 2026-11, 2026,
/// 2026-10-01..2026-12-31), or the current quarter.
fn period(
    state: &AppState,
    RawQuery(query): &RawQuery,
) -> Result<crate::domain::period::Period, Refusal> {
    match period_param(query.as_deref()) {
        None => Ok(crate::domain::period::Period::quarter_containing(
            state.engine.clock.now(),
            state.engine.tz,
        )),
        Some(p) => p.parse().map_err(|e| match e {
            crate::domain::period::PeriodError::TooLong => Refusal::LongPeriod(p),
            _ => Refusal::BadPeriod(p),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_read_among_others_and_written_with_its_attributes() {
        let mut h = HeaderMap::new();
        let token = dashboard::new_token();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {COOKIE}={token}; b=2")).unwrap(),
        );
        assert_eq!(session_token(&h), Some(token.clone()));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("branchbot_session=<x>"),
        );
        assert_eq!(session_token(&h), None);
        assert_eq!(
            session_cookie("abc", 3600, false),
            "branchbot_session=abc; HttpOnly; SameSite=Lax; Path=/dashboard; Max-Age=3600"
        );
        assert!(session_cookie("abc", 3600, true).ends_with("; Secure"));
    }

    #[test]
    fn the_period_is_absent_empty_or_given() {
        assert_eq!(period_param(None), None);
        assert_eq!(period_param(Some("x=1")), None);
        assert_eq!(period_param(Some("period=")), Some(String::new()));
        assert_eq!(
            period_param(Some("period=2026%51%34")),
            Some("2026Q4".to_owned())
        );
    }
}
