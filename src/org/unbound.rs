//! `/unbound`: a secretary lists the branch's members who have not bound Telegram yet; the
//! college committee sees every branch. Each line says how the member can be reached now, as
//! [`route::route`] decides it for every push; a button makes their invite codes right there
//! (`unbound:invite`), as `branchbot invite --branch` does at the command line.

use crate::delivery::route;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::start::{new_code, normalize_code};
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::store::audit::Action;
use crate::store::{invites, members, Conn, StoreError};

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
    let label = cx.r(
        msg!("unbound-invite-button"),
        &[("count", unbound.len().into())],
    );
    let choice = Choice {
        data: "unbound:invite".into(),
        aliases: vec![label.clone()],
        label,
    };
    Ok(Step::reply(Reply::with_choices(
        lines.join("\n"),
        vec![choice],
    )))
}

/// The button under `/unbound`: an invite code for each member still unbound (their earlier
/// unused codes are revoked), shown to the manager to pass on; audited.
pub async fn invite(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    }
    let scope = if member.college {
        None
    } else {
        member.branch_id
    };
    let unbound = members::unbound(conn, "telegram", scope).await?;
    if unbound.is_empty() {
        let all = members::list(conn, scope).await?;
        return Ok(Step::text(
            cx.r(msg!("unbound-none"), &[("total", all.len().into())]),
        ));
    }
    let expires = cx.now_ms + cx.engine.invite_ttl_hours * 3_600_000;
    let mut lines = vec![cx.r(
        msg!("unbound-invites-header"),
        &[("count", unbound.len().into())],
    )];
    for m in &unbound {
        let code = new_code();
        invites::create(conn, m.id, &normalize_code(&code), cx.now_ms, expires).await?;
        lines.push(cx.r(
            msg!("unbound-invite-line"),
            &[
                ("name", m.name.as_str().into()),
                ("key", m.key.as_str().into()),
                ("code", code.into()),
            ],
        ));
    }
    let until = chrono::DateTime::from_timestamp_millis(expires)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    lines.push(cx.r(msg!("unbound-invites-footer"), &[("until", until.into())]));
    let keys: Vec<&str> = unbound.iter().map(|m| m.key.as_str()).collect();
    let subject = match (scope, &member.branch_name) {
        (Some(_), Some(name)) => format!("branch:{name}"),
        _ => keys.join(","),
    };
    cx.audit(
        conn,
        Action::InvitesIssued,
        &subject,
        &format!("{} · {}", unbound.len(), keys.join(",")),
    )
    .await?;
    Ok(Step::text(lines.join("\n")))
}
