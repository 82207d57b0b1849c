//! `/unbound`: a secretary lists the branch's members who have not bound Telegram yet; the
//! college committee sees every branch. Each line says how the member can be reached now, as
//! [`route::route`] decides it for every push.

use super::engine::Step;
use super::Ctx;
use crate::delivery::route;
use crate::domain::org::Member;
use crate::msg;
use crate::store::{members, Conn, StoreError};

pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    }
    let scope = if member.college {
        None
    } else {
        member.branch_id
    };
    let all = members::list(conn, scope).await?;
    let unbound = members::unbound(conn, "telegram", scope).await?;
    if unbound.is_empty() {
        return Ok(Step::text(
            cx.r(msg!("unbound-none"), &[("total", all.len().into())]),
        ));
    }
    let mut lines = vec![cx.r(
        msg!("unbound-header"),
        &[("count", unbound.len().into()), ("total", all.len().into())],
    )];
    let mut last_branch: Option<String> = None;
    for m in &unbound {
        if member.college && m.branch_name != last_branch {
            let branch = m
                .branch_name
                .clone()
                .unwrap_or_else(|| cx.t(msg!("no-branch")));
            lines.push(format!("【{branch}】"));
            last_branch = m.branch_name.clone();
        }
        let reach = route::route(conn, m, cx.engine.sms_connected).await?.msg();
        lines.push(cx.r(
            msg!("unbound-line"),
            &[
                ("name", m.name.as_str().into()),
                ("key", m.key.as_str().into()),
                ("reach", cx.t(reach).into()),
            ],
        ));
    }
    lines.push(cx.t(msg!("unbound-footer")));
    Ok(Step::text(lines.join("\n")))
}
