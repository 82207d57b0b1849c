//! `/dashboard`: the college committee and the branch committees get a one-time link to the
//! web dashboard (`http::dashboard`). The link works once, for ten minutes; only its hash is
//! stored (`store::dashboard`). Where links point is `config::dashboard::Settings`, which the
//! engine carries.

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::store::{dashboard, Conn, StoreError};

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
