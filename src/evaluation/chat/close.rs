//! `/evaluation close <id>`: the vote usually happens at the 组织生活会 itself, so a manager of
//! the round's branch may close it before its planned end — at once when everyone eligible
//! has voted, otherwise only after confirming (those who have not voted then cannot). Either
//! way the close is audited and the results are shown.

use super::super::store::{self, Round};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::store::audit::Action;
use crate::store::{Conn, StoreError};

/// The round `arg` names, if `member` may close it; otherwise what to answer.
async fn closable(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: &str,
) -> Result<Result<Round, Step>, StoreError> {
    let round = match arg.trim().parse::<i64>() {
        Ok(id) => store::get(conn, id).await?,
        Err(_) => return Ok(Err(Step::text(cx.t(msg!("evaluation-close-usage"))))),
    };
    let Some(round) = round else {
        return Ok(Err(Step::text(cx.t(msg!("evaluation-close-usage")))));
    };
    if !member.manages_branch(round.branch_id) {
        return Ok(Err(Step::text(cx.t(msg!("feedback-not-allowed")))));
    }
    if !round.is_open(cx.now_ms) {
        return Ok(Err(Step::text(cx.t(msg!("evaluation-closed")))));
    }
    Ok(Ok(round))
}

/// `/evaluation close <id>`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: &str,
) -> Result<Step, StoreError> {
    let round = match closable(cx, conn, member, arg).await? {
        Ok(r) => r,
        Err(step) => return Ok(step),
    };
    let (voted, eligible) = store::turnout(conn, round.id).await?;
    if voted >= eligible {
        return close(cx, conn, &round, voted, eligible).await;
    }
    let text = cx.r(
        msg!("evaluation-close-ask"),
        &[
            ("title", round.title.as_str().into()),
            ("voted", voted.into()),
            ("eligible", eligible.into()),
            ("missing", (eligible - voted).into()),
        ],
    );
    Ok(Step::reply(Reply::with_choices(
        text,
        vec![
            cx.choice(
                super::Action::Close { round: round.id }.encode(),
                msg!("evaluation-close-confirm"),
            ),
            cx.choice(
                super::Action::KeepOpen.encode(),
                msg!("evaluation-close-keep"),
            ),
        ],
    )))
}

/// 继续投票, tapped after [`command`] asked.
pub fn kept(cx: &Ctx<'_>) -> Result<Step, StoreError> {
    Ok(Step::text(cx.t(msg!("evaluation-close-kept"))))
}

/// 提前结束, tapped after [`command`] asked.
pub async fn confirmed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round_id: i64,
) -> Result<Step, StoreError> {
    let round = match closable(cx, conn, member, &round_id.to_string()).await? {
        Ok(r) => r,
        Err(step) => return Ok(step),
    };
    let (voted, eligible) = store::turnout(conn, round.id).await?;
    close(cx, conn, &round, voted, eligible).await
}

async fn close(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    round: &Round,
    voted: i64,
    eligible: i64,
) -> Result<Step, StoreError> {
    if !store::close_now(conn, round.id, cx.now_ms).await? {
        return Ok(Step::text(cx.t(msg!("evaluation-closed"))));
    }
    // Tokens, read in the audit views' language (see org::audit).
    let how = if voted >= eligible {
        "all_voted"
    } else {
        "closed_early"
    };
    cx.audit(
        conn,
        Action::RoundClosed,
        &format!("round:{}", round.id),
        &format!("{} · {how} · {voted}/{eligible}", round.title),
    )
    .await?;
    let closed = Round {
        closes_at: cx.now_ms,
        ..round.clone()
    };
    let head = cx.r(
        msg!("evaluation-close-done"),
        &[
            ("id", round.id.into()),
            ("voted", voted.into()),
            ("eligible", eligible.into()),
        ],
    );
    let results = super::render(cx, conn, &closed).await?;
    Ok(Step::text(format!("{head}\n{results}")))
}
