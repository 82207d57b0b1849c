//! Opening a round, from chat or the command line: eligible voters are the branch's party
//! members (probationary members included); a 民主评议 grades its full members, a 票决 votes on
//! the named candidates (roster keys or names). A second round of the same kind for the same
//! branch and period is refused; the voters are told in the opening transaction.

use crate::delivery::route::{self, Push};
use crate::domain::evaluation::RoundKind;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::i18n::Catalog;
use crate::msg;
use crate::store::evaluation::{self as store, NewRound, Round};
use crate::store::{members, Conn, StoreError};

/// How long a round opened from chat stays open.
pub const DEFAULT_DAYS: i64 = 7;

/// A round to open.
#[derive(Debug, Clone)]
pub struct Opening<'a> {
    pub kind: RoundKind,
    pub branch_id: i64,
    pub branch: &'a str,
    pub title: &'a str,
    pub opens_at: i64,
    pub closes_at: i64,
    pub created_by: Option<i64>,
    /// None for 民主评议 (every full member is graded).
    pub candidates: Option<Vec<i64>>,
}

/// What is needed to tell the voters.
#[derive(Clone, Copy)]
pub struct Announce<'a> {
    pub catalog: &'a Catalog,
    pub tz: chrono_tz::Tz,
    pub sms_connected: bool,
    pub now_ms: i64,
}

/// What opening did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// A new round, with how many may vote and how many of them were told.
    New { id: i64, voters: usize, told: usize },
    /// The same kind of round for the same branch and period exists already: nothing was made.
    Duplicate(Round),
}

/// Opens a round for a branch and queues a message to each voter, all on `conn`; refuses a
/// duplicate (same branch and kind, overlapping period; for a 票决, the same candidates).
pub async fn open_round(
    conn: &mut Conn,
    o: &Opening<'_>,
    tell: Announce<'_>,
) -> Result<Opened, StoreError> {
    let branch: Vec<Member> = members::list(conn, Some(o.branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.role.is_party_member())
        .collect();
    let voters: Vec<i64> = branch.iter().map(|m| m.id).collect();
    let candidates = o.candidates.clone().unwrap_or_else(|| {
        branch
            .iter()
            .filter(|m| m.role.has_vote())
            .map(|m| m.id)
            .collect()
    });
    let mut wanted = candidates.clone();
    wanted.sort_unstable();
    for r in store::overlapping(conn, o.branch_id, o.kind.as_str(), o.opens_at, o.closes_at).await?
    {
        let mut theirs: Vec<i64> = store::candidates(conn, r.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        theirs.sort_unstable();
        if o.kind == RoundKind::Grades || theirs == wanted {
            return Ok(Opened::Duplicate(r));
        }
    }
    let id = store::open(
        conn,
        &NewRound {
            kind: o.kind.as_str(),
            branch_id: o.branch_id,
            title: o.title,
            opens_at: o.opens_at,
            closes_at: o.closes_at,
            created_by: o.created_by,
            candidates: &candidates,
            voters: &voters,
            options: o.kind.options().len(),
        },
    )
    .await?;
    let mut told = 0;
    for m in branch.iter().filter(|m| Some(m.id) != o.created_by) {
        let (c, l) = (tell.catalog, m.locale);
        let text = c.render(
            l,
            msg!("evaluation-opened-notice"),
            &[
                ("branch", o.branch.into()),
                ("title", o.title.into()),
                (
                    "closes",
                    crate::chat::dates::when_text_from(c, l, tell.tz, o.closes_at, tell.now_ms)
                        .into(),
                ),
            ],
        );
        let push = Push {
            dedupe_key: format!("evaluation:{id}:opened:{}", m.id),
            urgent: false,
            not_before: o.opens_at.max(tell.now_ms),
            expires_at: Some(o.closes_at),
        };
        let routed = route::push(
            conn,
            c,
            m,
            &Reply::text(text),
            &push,
            tell.sms_connected,
            tell.now_ms,
        )
        .await?;
        if routed.channel().is_some() {
            told += 1;
        }
    }
    Ok(Opened::New {
        id,
        voters: voters.len(),
        told,
    })
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
    opened(
        cx,
        conn,
        member,
        RoundKind::Grades,
        branch_id,
        &branch,
        None,
    )
    .await
}

/// Opens from chat, audits, and says what happened.
async fn opened(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    kind: RoundKind,
    branch_id: i64,
    branch: &str,
    candidates: Option<Vec<i64>>,
) -> Result<Step, StoreError> {
    let title_msg = match kind {
        RoundKind::Grades => msg!("evaluation-title-grades"),
        RoundKind::Vote => msg!("evaluation-title-vote"),
    };
    let title = cx.r(title_msg, &[("branch", branch.into())]);
    let opening = Opening {
        kind,
        branch_id,
        branch,
        title: &title,
        opens_at: cx.now_ms,
        closes_at: cx.now_ms + DEFAULT_DAYS * 24 * 3600 * 1000,
        created_by: Some(member.id),
        candidates,
    };
    let tell = Announce {
        catalog: cx.catalog,
        tz: cx.engine.tz,
        sms_connected: cx.engine.sms_connected,
        now_ms: cx.now_ms,
    };
    let (id, voters, told) = match open_round(conn, &opening, tell).await? {
        Opened::New { id, voters, told } => (id, voters, told),
        Opened::Duplicate(r) => return Ok(Step::text(duplicate_text(cx, &r))),
    };
    cx.mark_pushed();
    cx.audit(
        conn,
        crate::store::audit::Action::RoundOpened,
        &format!("round:{id}"),
        &format!("{title} · {} · {voters}", kind.as_str()),
    )
    .await?;
    Ok(Step::text(cx.r(
        msg!("evaluation-opened"),
        &[
            ("id", id.into()),
            ("title", title.into()),
            ("voters", voters.into()),
            ("days", DEFAULT_DAYS.into()),
            ("told", told.into()),
        ],
    )))
}

/// "本支部已有一轮…（第 3 号），不再重复开启".
pub fn duplicate_text(cx: &Ctx<'_>, r: &Round) -> String {
    cx.r(
        msg!("evaluation-duplicate"),
        &[
            ("id", r.id.into()),
            ("title", r.title.as_str().into()),
            (
                "closes",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    r.closes_at,
                    cx.now_ms,
                )
                .into(),
            ),
        ],
    )
}

/// A candidate as typed: a roster key (or mobile number) anywhere, or a name in the branch.
#[derive(Debug)]
pub enum Candidate {
    One(Member),
    None,
    /// Several members of the branch have this name.
    Many(Vec<Member>),
}

/// Reads one candidate word.
pub async fn candidate(
    conn: &mut Conn,
    branch_id: i64,
    word: &str,
) -> Result<Candidate, StoreError> {
    if let Some(m) = members::find(conn, word).await? {
        return Ok(if m.active {
            Candidate::One(m)
        } else {
            Candidate::None
        });
    }
    let mut named: Vec<Member> = members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.name == word)
        .collect();
    Ok(match named.len() {
        0 => Candidate::None,
        1 => Candidate::One(named.remove(0)),
        _ => Candidate::Many(named),
    })
}

/// `/evaluation vote <key or name>…`: a 票决 on the named members of the manager's branch.
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
    for word in rest.split(|c: char| c.is_whitespace() || ",，、".contains(c)) {
        if word.is_empty() {
            continue;
        }
        match candidate(conn, branch_id, word).await? {
            Candidate::One(m) if !candidates.contains(&m.id) => candidates.push(m.id),
            Candidate::One(_) => {}
            Candidate::None => {
                return Ok(Step::text(
                    cx.r(msg!("evaluation-no-member"), &[("key", word.into())]),
                ))
            }
            Candidate::Many(ms) => {
                let who = ms
                    .iter()
                    .map(|m| format!("{}（{}）", m.name, m.key))
                    .collect::<Vec<_>>()
                    .join("、");
                let example = ms.first().map(|m| m.key.clone()).unwrap_or_default();
                return Ok(Step::text(cx.r(
                    msg!("evaluation-name-ambiguous"),
                    &[
                        ("name", word.into()),
                        ("count", ms.len().into()),
                        ("who", who.into()),
                        ("example", example.into()),
                    ],
                )));
            }
        }
    }
    if candidates.is_empty() {
        return Ok(Step::text(cx.t(msg!("evaluation-vote-usage"))));
    }
    opened(
        cx,
        conn,
        member,
        RoundKind::Vote,
        branch_id,
        &branch,
        Some(candidates),
    )
    .await
}
