//! `/pledge_stats`: the figures of every branch the manager may see ([`service::visible`]).

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::pledges::service;
use crate::store::{Conn, StoreError};

/// `/pledge_stats`.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    }
    let all = service::visible(conn, member).await?;
    let text = all
        .iter()
        .map(|f| service::render(cx.catalog, cx.locale, cx.engine.tz, f))
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Step::text(text))
}
