//! The dashboard's pages: the overview of every branch, one branch, and the campaign. The
//! figures are those the bot gives in chat: `/compliance` (`meetings::compliance`),
//! `/pledge_stats` (`pledges::service`), notice confirmations, and feedback reports with
//! the anonymity thresholds of `feedback::rules` (a suppressed cell is never shown).

mod branch;
mod campaign;
mod dues;
mod meeting;
mod overview;
mod recruitment;

pub use branch::branch;
pub use campaign::campaign;
pub use dues::dues;
pub use meeting::{file, meeting};
pub use overview::overview;
pub use recruitment::recruitment;

use chrono::{DateTime, Utc};

use super::html::{esc, Frame};
use super::{Refusal, Words};
use crate::domain::org::Member;
use crate::domain::period::Period;
use crate::http::AppState;
use crate::meetings::compliance;
use crate::msg;
use crate::pledges::service::rate_percent;
use crate::store::StoreError;

impl Words<'_> {
    pub(super) fn when(&self, ms: i64, format: &str) -> String {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&self.state.engine.tz)
            .format(format)
            .to_string()
    }

    /// `45%`, or a dash when there is nothing to divide.
    pub(super) fn rate(&self, part: i64, whole: i64) -> String {
        if whole <= 0 {
            self.t(msg!("dashboard-none"))
        } else {
            format!("{}%", rate_percent(part, whole))
        }
    }

    /// The frame of a signed-in page.
    pub(super) fn frame<'a>(&'a self, member: &Member, title: &'a str) -> Frame<'a> {
        let mut nav = Vec::new();
        if member.college {
            nav.push((
                "/dashboard".to_owned(),
                self.t(msg!("dashboard-nav-overview")),
            ));
        } else if let Some(b) = member.branch_id {
            nav.push((
                format!("/dashboard/branch/{b}"),
                self.t(msg!("dashboard-nav-branch")),
            ));
        }
        nav.push((
            "/dashboard/campaign".to_owned(),
            self.t(msg!("dashboard-nav-campaign")),
        ));
        let now = self.when(self.state.engine.clock.now_ms(), "%Y-%m-%d %H:%M");
        Frame {
            locale: self.locale,
            org: self.org(),
            title,
            nav,
            signed_in: Some((
                self.r(
                    msg!("dashboard-signed-in"),
                    &[("name", member.name.as_str().into())],
                ),
                self.t(msg!("dashboard-nav-logout")),
            )),
            footer: Some(self.r(msg!("dashboard-generated"), &[("time", now.into())])),
        }
    }

    /// The period chooser (a plain GET form).
    pub(super) fn period_form(&self, action: &str, p: &Period) -> String {
        format!(
            "<form class=\"period\" method=\"get\" action=\"{}\"><label for=\"period\">{}</label>\
             <input id=\"period\" name=\"period\" value=\"{}\" placeholder=\"2026Q4\">\
             <button type=\"submit\">{}</button></form>\n",
            esc(action),
            esc(&self.t(msg!("dashboard-period-label"))),
            esc(&p.to_string()),
            esc(&self.t(msg!("dashboard-period-show"))),
        )
    }
}

pub(super) async fn conn(
    state: &AppState,
) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, Refusal> {
    Ok(state
        .engine
        .store
        .pool()
        .acquire()
        .await
        .map_err(StoreError::from)?)
}

pub(super) fn attendance(w: &Words<'_>, f: &compliance::BranchFigures) -> String {
    match f.attendance_rate() {
        None => w.t(msg!("dashboard-none")),
        Some(rate) => format!("{rate}%"),
    }
}
