//! Where `/dashboard` links point and how long a dashboard session lasts: what the engine
//! carries for the web dashboard (`http::dashboard`), built from the configuration's base URL
//! and `dashboard_session_hours`.

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
