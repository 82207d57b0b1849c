//! `/dashboard`: the college committee and the branch committees get a one-time link to the
//! web dashboard (`http::dashboard`). The link works once, for ten minutes; only its hash is
//! stored (`store::dashboard`).

use super::engine::Step;
use super::Ctx;
use crate::domain::org::Member;
use crate::msg;
use crate::store::{dashboard, Conn, StoreError};

/// Where dashboard links point and how long a session lasts.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `https://bot.example.org` or `http://127.0.0.1:8080`, without a trailing slash.
    pub base_url: String,
    /// How long a session lasts once the link is opened.
    pub session_ms: i64,
}

impl Settings {
    pub fn new(base_url: &str, session_hours: i64) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            session_ms: session_hours.max(1) * 3_600_000,
        }
    }

    /// Whether the dashboard is served over HTTPS (its cookie is then `Secure`).
    pub fn secure(&self) -> bool {
        self.base_url.to_ascii_lowercase().starts_with("https://")
    }

    /// The login link for a token.
    pub fn login_url(&self, token: &str) -> String {
        format!("{}/dashboard/login/{token}", self.base_url)
    }
}

/// Who may open the dashboard: the college committee (every branch) and those who run a
/// branch (their own).
pub fn allowed(member: &Member) -> bool {
    member.is_manager()
}

/// `/dashboard`.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !allowed(member) {
        return Ok(Step::text(cx.t(msg!("dashboard-refused"))));
    }
    let token = dashboard::create_link(conn, member.id, cx.now_ms).await?;
    let link = cx.engine.dashboard.login_url(&token);
    tracing::info!(member = member.id, "dashboard link issued");
    Ok(Step::text(cx.r(
        msg!("dashboard-link"),
        &[
            ("link", link.into()),
            ("minutes", (dashboard::LINK_TTL_MS / 60_000).into()),
        ],
    )))
}
