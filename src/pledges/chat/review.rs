//! `/pledges_review`: a branch's managers approve a submitted version, which publishes it
//! (公示), or return it with a comment the member is told. A review applies to one version: a
//! version the member has replaced since is refused as stale.

use super::{Action, Waiting};
use crate::delivery::route::Push;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply, State};
use crate::msg;
use crate::pledges::rules::{PledgeStatus, MAX_ITEM_CHARS};
use crate::pledges::service::item_lines;
use crate::pledges::store;
use crate::store::{members, Conn, StoreError};

/// A review request with its two buttons.
pub fn buttons(cx: &Ctx<'_>, text: String, version_id: i64) -> Reply {
    Reply::with_choices(
        text,
        vec![
            cx.choice(
                Action::Review {
                    version: version_id,
                    approve: true,
                }
                .encode(),
                msg!("pledge-review-approve"),
            ),
            cx.choice(
                Action::Review {
                    version: version_id,
                    approve: false,
                }
                .encode(),
                msg!("pledge-review-return"),
            ),
        ],
    )
}

/// Every version awaiting review in the manager's branch (every branch for the college).
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    }
    let scope = if member.college {
        None
    } else {
        member.branch_id
    };
    let waiting = store::awaiting(conn, scope).await?;
    if waiting.is_empty() {
        return Ok(Step::text(cx.t(msg!("pledge-review-none"))));
    }
    let mut replies = Vec::new();
    for (member_id, version_id) in waiting {
        let Some(owner) = members::by_id(conn, member_id).await? else {
            continue;
        };
        let number = store::version_number(conn, version_id).await?;
        let items = store::items(conn, version_id).await?;
        let text = cx.r(
            msg!("pledge-review-push"),
            &[
                ("name", owner.name.as_str().into()),
                ("version", number.into()),
                ("items", item_lines(cx.catalog, cx.locale, &items).into()),
            ],
        );
        replies.push(buttons(cx, text, version_id));
    }
    Ok(Step::new(replies, State::Idle))
}

/// The version's owner, when the reviewer may review it.
async fn owner_of(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    reviewer: &Member,
    version_id: i64,
) -> Result<Result<(store::Pledge, Member), Step>, StoreError> {
    let pledge = store::of_version(conn, version_id).await?;
    let owner = match &pledge {
        Some(p) => members::by_id(conn, p.member_id).await?,
        None => None,
    };
    let (Some(pledge), Some(owner)) = (pledge, owner) else {
        return Ok(Err(Step::text(cx.t(msg!("error-stale-choice")))));
    };
    let manages = owner.branch_id.is_some_and(|b| reviewer.manages_branch(b));
    if !manages {
        return Ok(Err(Step::text(cx.t(msg!("pledge-review-not-yours")))));
    }
    if pledge.current_version != version_id || pledge.status != PledgeStatus::Submitted {
        return Ok(Err(Step::text(cx.r(
            msg!("pledge-review-stale"),
            &[("name", owner.name.as_str().into())],
        ))));
    }
    Ok(Ok((pledge, owner)))
}

/// Approve (`approve`) or return (then the comment is asked for) `version`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    version: i64,
    approve: bool,
) -> Result<Step, StoreError> {
    let owner = match owner_of(cx, conn, member, version).await? {
        Ok((_, owner)) => owner,
        Err(step) => return Ok(step),
    };
    match approve {
        true => {
            if !store::review(conn, version, member.id, true, None, cx.now_ms).await? {
                // Another manager reviewed it in the meantime.
                return Ok(Step::text(cx.r(
                    msg!("pledge-review-stale"),
                    &[("name", owner.name.as_str().into())],
                )));
            }
            let number = store::version_number(conn, version).await?;
            let ocx = cx.for_member(&owner);
            let reply =
                Reply::text(ocx.r(msg!("pledge-approved-push"), &[("version", number.into())]));
            push(
                cx,
                conn,
                &owner,
                &reply,
                format!("pledge:approved:{version}"),
            )
            .await?;
            if let Some(branch_id) = owner.branch_id {
                super::schedule::ensure_checkins(cx, conn, branch_id).await?;
            }
            Ok(Step::text(cx.r(
                msg!("pledge-review-approved"),
                &[("name", owner.name.as_str().into())],
            )))
        }
        false => Ok(Step::new(
            vec![Reply::text(cx.r(
                msg!("pledge-review-ask-comment"),
                &[("name", owner.name.as_str().into())],
            ))],
            Waiting::PledgeReturnComment { version }.state(),
        )),
    }
}

/// The comment of a return: the version is returned and the member told.
pub async fn comment_given(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    version: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let comment = text.trim();
    if comment.chars().count() > MAX_ITEM_CHARS {
        return Ok(Step::retry(
            cx.r(
                msg!("pledge-error-item-too-long"),
                &[
                    ("max", MAX_ITEM_CHARS.into()),
                    ("got", comment.chars().count().into()),
                ],
            ),
            Waiting::PledgeReturnComment { version }.state(),
        ));
    }
    let owner = match owner_of(cx, conn, member, version).await? {
        Ok((_, owner)) => owner,
        Err(step) => return Ok(step),
    };
    if !store::review(conn, version, member.id, false, Some(comment), cx.now_ms).await? {
        return Ok(Step::text(cx.r(
            msg!("pledge-review-stale"),
            &[("name", owner.name.as_str().into())],
        )));
    }
    let number = store::version_number(conn, version).await?;
    let ocx = cx.for_member(&owner);
    let reply = Reply::text(ocx.r(
        msg!("pledge-returned-push"),
        &[("version", number.into()), ("comment", comment.into())],
    ));
    push(
        cx,
        conn,
        &owner,
        &reply,
        format!("pledge:returned:{version}"),
    )
    .await?;
    Ok(Step::text(cx.r(
        msg!("pledge-review-returned"),
        &[("name", owner.name.as_str().into())],
    )))
}

async fn push(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    to: &Member,
    reply: &Reply,
    dedupe_key: String,
) -> Result<(), StoreError> {
    let push = Push {
        dedupe_key,
        urgent: false,
        not_before: cx.now_ms,
        expires_at: None,
    };
    cx.push(conn, to, reply, &push).await?;
    Ok(())
}
