//! What the rest of the bot uses of evaluation rounds: opening a round and telling its voters
//! ([`open_round`], for chat and the command line), sealing a ballot ([`seal_ballot`]), the
//! tally of closed rounds ([`tally`], run by the `evaluation-tally` job), a round's results
//! ([`tallies`], for `/evaluation results`, the recruitment ballot, the oversight figures and
//! `report evaluation`) and the labels of the options ([`option_msg`]). The 支部大会 ballot of
//! recruitment stores its round with [`insert_round`] and reads it back with [`round`] and
//! [`turnout`].

use super::rules;
use super::store;
use crate::chat::Reply;
use crate::delivery::route::{self, Push};
use crate::domain::org::Member;
use crate::i18n::{Catalog, Msg};
use crate::msg;
use crate::store::{members, Conn, StoreError};

pub use super::rules::RoundKind;
pub use super::store::{NewRound, Round};

// Opening a round: eligible voters are the branch's party members (probationary members
// included); a 民主评议 grades its full members, a 票决 votes on the named candidates. A second
// round of the same kind for the same branch and period is refused; the voters are told in
// the opening transaction.

/// The round stored under `id`.
pub async fn round(conn: &mut Conn, id: i64) -> Result<Option<Round>, StoreError> {
    store::get(conn, id).await
}

/// Rounds of a branch (all branches when None), newest first.
pub async fn rounds(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Round>, StoreError> {
    store::list(conn, branch_id).await
}

/// How many of a round's voters have voted, and how many may.
pub async fn turnout(conn: &mut Conn, round_id: i64) -> Result<(i64, i64), StoreError> {
    store::turnout(conn, round_id).await
}

/// Stores a round (its voters, candidates and counters) without telling anyone: for a caller
/// that tells its voters itself (the 支部大会 ballot). [`open_round`] is the usual way.
pub async fn insert_round(conn: &mut Conn, r: &NewRound<'_>) -> Result<i64, StoreError> {
    store::open(conn, r).await
}

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

/// The label of option `i` of a kind of round.
pub fn option_msg(kind: RoundKind, i: usize) -> Msg {
    match (kind, i) {
        (RoundKind::Grades, 0) => msg!("evaluation-grade-excellent"),
        (RoundKind::Grades, 1) => msg!("evaluation-grade-qualified"),
        (RoundKind::Grades, 2) => msg!("evaluation-grade-basic"),
        (RoundKind::Grades, _) => msg!("evaluation-grade-unqualified"),
        (RoundKind::Vote, 0) => msg!("evaluation-vote-for"),
        (RoundKind::Vote, 1) => msg!("evaluation-vote-against"),
        (RoundKind::Vote, _) => msg!("evaluation-vote-abstain"),
    }
}

/// The purpose ballots are sealed for.
const BALLOT_PURPOSE: &str = "ballot";

/// Ballots are padded to a multiple of this many picks: every ballot of a round has one size.
const BALLOT_BLOCK: usize = 256;

/// A ballot's picks (one option index per candidate, in ballot order), sealed and padded as
/// `evaluation_ballots` keeps them.
pub fn seal_ballot(picks: &[u8]) -> String {
    crate::anonymity::seal(BALLOT_PURPOSE, picks, BALLOT_BLOCK)
}

/// The picks of the not yet tallied ballots of a round, opened; ids of those that open.
async fn open_ballots(
    conn: &mut Conn,
    round_id: i64,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    Ok(store::ballots(conn, round_id)
        .await?
        .into_iter()
        .filter_map(|(id, sealed)| Some((id, crate::anonymity::open(BALLOT_PURPOSE, &sealed)?)))
        .collect())
}

/// Counts of `(slot, pick)` over ballots.
fn count_picks(ballots: &[(String, Vec<u8>)]) -> Vec<(i64, i64, i64)> {
    let mut counts: Vec<(i64, i64, i64)> = Vec::new();
    for (_, picks) in ballots {
        for (slot, pick) in picks.iter().enumerate() {
            let key = (slot as i64, i64::from(*pick));
            match counts.iter_mut().find(|(s, p, _)| (*s, *p) == key) {
                Some(c) => c.2 += 1,
                None => counts.push((key.0, key.1, 1)),
            }
        }
    }
    counts
}

/// Tallies the ballots of every round closed by `now`: per round, the counters are added to
/// and the ballots deleted in the caller's transaction, counters written in random order.
/// Returns how many rounds were tallied. Ballots that no longer open (sealed under a replaced
/// key) are left in place.
pub async fn tally(conn: &mut Conn, now: i64) -> Result<usize, StoreError> {
    use rand::seq::SliceRandom;
    let rounds = store::untallied(conn, now).await?;
    for &round_id in &rounds {
        let ballots = open_ballots(conn, round_id).await?;
        let mut counts = count_picks(&ballots);
        counts.shuffle(&mut rand::rng());
        let ids: Vec<String> = ballots.into_iter().map(|(id, _)| id).collect();
        // Deleted first: a concurrent run that opened them too finds them gone and fails
        // (its transaction rolls back), so no ballot is counted twice.
        if store::delete_ballots(conn, &ids).await? != ids.len() as u64 {
            return Err(StoreError::Corrupt(
                "ballots were tallied by another run at the same time".into(),
            ));
        }
        for (slot, pick, n) in counts {
            store::add_votes(conn, round_id, slot, pick, n).await?;
        }
    }
    Ok(rounds.len())
}

/// A round's tallies, as shown once it has closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    pub kind: RoundKind,
    pub voted: i64,
    pub eligible: i64,
    /// Each candidate's name and count per option (in [`RoundKind::options`] order).
    pub candidates: Vec<(String, Vec<i64>)>,
    /// 民主评议 only: 优秀 given more than a third of the grades.
    pub too_many_excellent: bool,
}

/// The tallies of a round (the caller shows them only once it has closed).
pub async fn tallies(conn: &mut Conn, round: &store::Round) -> Result<Results, StoreError> {
    let (voted, eligible) = store::turnout(conn, round.id).await?;
    let kind = round.round_kind()?;
    let options = kind.options().len();
    let candidates = store::candidates(conn, round.id).await?;
    let mut stored = store::tallies(conn, round.id).await?;
    // Ballots the `evaluation-tally` job has not reached yet (it runs a few minutes after a
    // round closes): counted here without writing, so results are whole from the moment the
    // round closes. Callers show a round's tallies only once it has closed.
    stored.extend(count_picks(&open_ballots(conn, round.id).await?));
    let rows: Vec<(usize, usize, i64)> = stored
        .into_iter()
        .map(|(s, p, n)| (s as usize, p as usize, n))
        .collect();
    let table = rules::tally(options, &rows, candidates.len());
    let too_many_excellent = kind == RoundKind::Grades && {
        let excellent: i64 = table.iter().map(|c| c[0]).sum();
        let total: i64 = table.iter().flatten().sum();
        rules::too_many_excellent(excellent, total)
    };
    Ok(Results {
        kind,
        voted,
        eligible,
        candidates: candidates
            .into_iter()
            .map(|(_, name)| name)
            .zip(table)
            .collect(),
        too_many_excellent,
    })
}
