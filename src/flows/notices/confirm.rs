//! A member confirms a notice (收到): by its button, by a typed "收到", "1" or "ok". Confirming
//! twice changes nothing and says so.

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::store::notices::{self, Confirmed};
use crate::store::{Conn, StoreError};

/// The 收到 button of notice `id`.
pub async fn by_id(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: &str,
) -> Result<Step, StoreError> {
    let Ok(id) = id.parse::<i64>() else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let done = notices::confirm(conn, id, member.id, cx.now_ms).await?;
    Ok(Step::text(answer(cx, done)))
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
        return Ok(Some(Step::text(answer(cx, done))));
    }
    if notices::latest_for(conn, member.id).await?.is_some() {
        return Ok(Some(Step::text(answer(cx, Confirmed::Already))));
    }
    Ok(None)
}

fn answer(cx: &Ctx<'_>, done: Confirmed) -> String {
    cx.t(match done {
        Confirmed::Now => msg!("notice-confirmed"),
        Confirmed::Already => msg!("notice-confirmed-already"),
        Confirmed::NotFound => msg!("error-stale-choice"),
    })
}
