//! `/pledges <branch>`: a branch's published pledges (公示), readable by anyone who writes to
//! the bot — members, the masses and unbound senders alike.

use crate::flows::Ctx;
use crate::msg;
use crate::pledges::service::item_lines;
use crate::pledges::store;
use crate::store::{members, Conn, StoreError};

/// The published pledges of the named branch, or how to name one.
pub async fn text(cx: &Ctx<'_>, conn: &mut Conn, arg: Option<&str>) -> Result<String, StoreError> {
    let branches = members::branches(conn).await?;
    let names: Vec<&str> = branches.iter().map(|(_, n, _)| n.as_str()).collect();
    let Some(name) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        return Ok(cx.r(
            msg!("pledges-usage"),
            &[("example", names.first().copied().unwrap_or("").into())],
        ));
    };
    let Some(&(branch_id, ref branch, _)) = branches.iter().find(|(_, n, _)| n == name) else {
        return Ok(cx.r(
            msg!("pledges-no-branch"),
            &[
                ("branch", name.into()),
                (
                    "branches",
                    names.join(&cx.t(msg!("cli-list-separator"))).into(),
                ),
            ],
        ));
    };
    let published = store::published(conn, Some(branch_id)).await?;
    if published.is_empty() {
        return Ok(cx.r(msg!("pledges-none"), &[("branch", branch.as_str().into())]));
    }
    let mut people: Vec<(&str, Vec<store::Item>)> = Vec::new();
    for p in &published {
        match people.last_mut() {
            Some((key, items)) if *key == p.member_key => items.push(p.item.clone()),
            _ => people.push((&p.member_key, vec![p.item.clone()])),
        }
    }
    let mut lines = vec![cx.r(
        msg!("pledges-header"),
        &[
            ("branch", branch.as_str().into()),
            ("count", people.len().into()),
        ],
    )];
    for (key, items) in &people {
        let name = published
            .iter()
            .find(|p| p.member_key == *key)
            .map(|p| p.member_name.as_str())
            .unwrap_or("");
        lines.push(cx.r(msg!("pledges-member"), &[("name", name.into())]));
        lines.push(item_lines(cx.catalog, cx.locale, items));
    }
    Ok(lines.join("\n"))
}
