//! Opening a round, from chat or the command line: eligible voters are the branch's party
//! members (probationary members included); a 民主评议 grades its full members, a 票决 votes on
//! the named candidates.

use crate::domain::evaluation::RoundKind;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::msg;
use crate::store::evaluation::{self as store, NewRound};
use crate::store::{members, Conn, StoreError};

/// How long a round opened from chat stays open.
pub const DEFAULT_DAYS: i64 = 7;

/// Opens a round for a branch. `candidates` is None for 民主评议 (every full member is
/// graded). Returns the round id and how many voters it has.
#[allow(clippy::too_many_arguments)]
pub async fn open_round(
    conn: &mut Conn,
    kind: RoundKind,
    branch_id: i64,
    title: &str,
    opens_at: i64,
    closes_at: i64,
    created_by: Option<i64>,
    candidates: Option<Vec<i64>>,
) -> Result<(i64, usize), StoreError> {
    let branch: Vec<Member> = members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.role.is_party_member())
        .collect();
    let voters: Vec<i64> = branch.iter().map(|m| m.id).collect();
    let candidates = candidates.unwrap_or_else(|| {
        branch
            .iter()
            .filter(|m| m.role.has_vote())
            .map(|m| m.id)
            .collect()
    });
    let id = store::open(
        conn,
        &NewRound {
            kind: kind.as_str(),
            branch_id,
            title,
            opens_at,
            closes_at,
            created_by,
            candidates: &candidates,
            voters: &voters,
            options: kind.options().len(),
        },
    )
    .await?;
    Ok((id, voters.len()))
}

/// The branch a member opens a round for: their own, or a named one for the committee.
async fn branch_for(
    conn: &mut Conn,
    member: &Member,
    name: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    if !name.is_empty() && member.college {
        return Ok(members::branch_id(conn, name)
            .await?
            .map(|id| (id, name.to_owned())));
    }
    Ok(member
        .branch_id
        .filter(|b| member.manages_branch(*b))
        .zip(member.branch_name.clone()))
}

/// `/evaluation open [branch]`: a 民主评议 round for seven days.
pub async fn grades(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    rest: &str,
) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let Some((branch_id, branch)) = branch_for(conn, member, rest).await? else {
        return Ok(Step::text(cx.t(msg!("evaluation-open-usage"))));
    };
    let title = cx.r(
        msg!("evaluation-title-grades"),
        &[("branch", branch.as_str().into())],
    );
    let closes = cx.now_ms + DEFAULT_DAYS * 24 * 3600 * 1000;
    let (id, voters) = open_round(
        conn,
        RoundKind::Grades,
        branch_id,
        &title,
        cx.now_ms,
        closes,
        Some(member.id),
        None,
    )
    .await?;
    cx.audit(
        conn,
        crate::store::audit::Action::RoundOpened,
        &format!("round:{id}"),
        &format!("{title} · {} · {voters}", RoundKind::Grades.as_str()),
    )
    .await?;
    Ok(Step::text(cx.r(
        msg!("evaluation-opened"),
        &[
            ("id", id.into()),
            ("title", title.into()),
            ("voters", voters.into()),
            ("days", DEFAULT_DAYS.into()),
        ],
    )))
}

/// `/evaluation vote <key> <key>…`: a 票决 on the named members of the manager's branch.
pub async fn vote(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    rest: &str,
) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let Some((branch_id, branch)) = branch_for(conn, member, "").await? else {
        return Ok(Step::text(cx.t(msg!("evaluation-open-usage"))));
    };
    let mut candidates = Vec::new();
    for key in rest.split(|c: char| c.is_whitespace() || c == ',' || c == '，') {
        if key.is_empty() {
            continue;
        }
        match members::find(conn, key).await? {
            Some(m) if m.active => candidates.push(m.id),
            _ => {
                return Ok(Step::text(
                    cx.r(msg!("evaluation-no-member"), &[("key", key.into())]),
                ))
            }
        }
    }
    if candidates.is_empty() {
        return Ok(Step::text(cx.t(msg!("evaluation-vote-usage"))));
    }
    let title = cx.r(
        msg!("evaluation-title-vote"),
        &[("branch", branch.as_str().into())],
    );
    let closes = cx.now_ms + DEFAULT_DAYS * 24 * 3600 * 1000;
    let (id, voters) = open_round(
        conn,
        RoundKind::Vote,
        branch_id,
        &title,
        cx.now_ms,
        closes,
        Some(member.id),
        Some(candidates),
    )
    .await?;
    cx.audit(
        conn,
        crate::store::audit::Action::RoundOpened,
        &format!("round:{id}"),
        &format!("{title} · {} · {voters}", RoundKind::Vote.as_str()),
    )
    .await?;
    Ok(Step::text(cx.r(
        msg!("evaluation-opened"),
        &[
            ("id", id.into()),
            ("title", title.into()),
            ("voters", voters.into()),
            ("days", DEFAULT_DAYS.into()),
        ],
    )))
}
