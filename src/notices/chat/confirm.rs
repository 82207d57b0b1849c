//! A member confirms a notice (收到): by its button, by a typed "收到", "1" or "ok". Confirming
//! twice changes nothing and says so.

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::notices::store::{self as notices, Confirmed};
use crate::store::{Conn, StoreError};

/// The 收到 button of notice `id`.
pub async fn by_id(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: i64,
) -> Result<Step, StoreError> {
    let done = notices::confirm(conn, id, member.id, cx.now_ms).await?;
    Ok(Step::text(answer(cx, conn, id, done).await?))
}

/// A typed confirmation with no button behind it: the newest notice waiting for this member's
/// 收到. None when there is nothing to confirm at all (the text means something else).
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
) -> Result<Option<Step>, StoreError> {
    if let Some(id) = notices::latest_unconfirmed_for(conn, member.id).await? {
        let done = notices::confirm(conn, id, member.id, cx.now_ms).await?;
        return Ok(Some(Step::text(answer(cx, conn, id, done).await?)));
    }
    if let Some(id) = notices::latest_for(conn, member.id).await? {
        let text = answer(cx, conn, id, Confirmed::Already).await?;
        return Ok(Some(Step::text(text)));
    }
    Ok(None)
}

/// The answer names the notice it applied to: its number and the start of its text.
async fn answer(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    id: i64,
    done: Confirmed,
) -> Result<String, StoreError> {
    let msg = match done {
        Confirmed::Now => msg!("notice-confirmed"),
        Confirmed::Already => msg!("notice-confirmed-already"),
        Confirmed::NotFound => return Ok(cx.t(msg!("error-stale-choice"))),
    };
    let excerpt = notices::by_id(conn, id)
        .await?
        .map(|n| crate::store::audit::excerpt(&n.body, 20))
        .unwrap_or_default();
    Ok(cx.r(msg, &[("id", id.into()), ("excerpt", excerpt.into())]))
}
