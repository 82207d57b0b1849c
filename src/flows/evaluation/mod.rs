//! Evaluation rounds in chat: `/evaluation` lists the ballots waiting for this member,
//! `/evaluation open [branch]` opens a 民主评议 round, `/evaluation vote <keys or names…>` a
//! 票决 (both tell the voters), `/evaluation close <id>` ends one early, and
//! `/evaluation results <id>` shows a closed round.
//!
//! A ballot is stepped through with buttons whose data carries the picks so far
//! (`ev:<round>:<picks>`), and submitted once (`ev:<round>:<picks>:ok`): the voter's flag is
//! flipped and the ballot sealed into a row under a random id in one transaction. The counters
//! are only added to once the round has closed ([`tally`], run by the `evaluation-tally` job),
//! in one transaction that deletes the ballots. Ballot replies are anonymous (queued without
//! the member, sealed, erased once sent); the buttons offered mid-ballot are stored sealed in
//! the conversation (see `flows::engine`), and the final step offers none. A long ballot can
//! be filled in one message instead ([`compact`]: 一次填写全部, one digit per candidate).

pub mod close;
pub mod compact;
pub mod open;
pub mod remind;

use super::engine::Step;
use super::{Ctx, Reply};
use crate::domain::evaluation::{self as rules, RoundKind};
use crate::domain::org::Member;
use crate::i18n::Msg;
use crate::msg;
use crate::store::evaluation as store;
use crate::store::{Conn, StoreError};

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

fn anon(step: Step) -> Step {
    Step {
        replies: step.replies.into_iter().map(Reply::anonymous).collect(),
        ..step
    }
}

/// `/evaluation [open|vote|results …]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let arg = arg.unwrap_or("").trim();
    let (head, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
    match head {
        "open" | "开启" => open::grades(cx, conn, member, rest.trim()).await,
        "vote" | "票决" => open::vote(cx, conn, member, rest.trim()).await,
        "results" | "结果" => results(cx, conn, member, rest.trim()).await,
        "close" | "结束" => close::command(cx, conn, member, rest.trim()).await,
        _ => pending(cx, conn, member).await,
    }
}

async fn pending(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let rounds = store::pending_for(conn, member.id, cx.now_ms).await?;
    if rounds.is_empty() {
        return Ok(Step::text(cx.t(msg!("evaluation-nothing-pending"))));
    }
    let choices = rounds
        .iter()
        .map(|r| super::Choice {
            data: format!("ev:{}:", r.id),
            label: r.title.clone(),
            aliases: Vec::new(),
        })
        .collect();
    Ok(Step::reply(Reply::with_choices(
        cx.t(msg!("evaluation-pending")),
        choices,
    )))
}

/// A button of a ballot: `value` is `<round>:<picks>` or `<round>:<picks>:ok`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    value: &str,
) -> Result<Step, StoreError> {
    if let Some(what) = value.strip_prefix("close:") {
        return close::confirmed(cx, conn, member, what).await;
    }
    if let Some(round) = value
        .strip_suffix(compact::ALL)
        .and_then(|r| r.strip_suffix(':'))
        .and_then(|r| r.parse().ok())
    {
        return compact::start(cx, conn, member, round).await;
    }
    let mut parts = value.split(':');
    let round_id = parts.next().and_then(|r| r.parse().ok());
    let picks: Option<Vec<u8>> = parts
        .next()
        .unwrap_or("")
        .chars()
        .map(|c| c.to_digit(10).map(|d| d as u8))
        .collect();
    let submit = parts.next() == Some("ok");
    let round = match round_id {
        Some(id) => store::get(conn, id).await?,
        None => None,
    };
    let (Some(round), Some(picks)) = (round, picks) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let kind = round.round_kind()?;
    if !round.is_open(cx.now_ms) {
        return Ok(anon(Step::text(cx.t(msg!("evaluation-closed")))));
    }
    let waiting = store::pending_for(conn, member.id, cx.now_ms).await?;
    if !waiting.iter().any(|r| r.id == round.id) {
        return Ok(anon(Step::text(cx.t(msg!("evaluation-not-waiting")))));
    }
    let candidates = store::candidates(conn, round.id).await?;
    let options = kind.options().len();
    if picks.len() > candidates.len() || picks.iter().any(|p| usize::from(*p) >= options) {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    }
    let sofar: String = picks.iter().map(|p| p.to_string()).collect();
    if let Some((_, name)) = candidates.get(picks.len()) {
        let mut choices: Vec<_> = (0..options)
            .map(|o| cx.choice(format!("ev:{}:{sofar}{o}", round.id), option_msg(kind, o)))
            .collect();
        // At the first name of a longer ballot: the whole ballot in one message instead.
        if picks.is_empty() && candidates.len() > 1 {
            choices.push(cx.choice(
                format!("ev:{}:{}", round.id, compact::ALL),
                msg!("evaluation-compact-button"),
            ));
        }
        return Ok(anon(Step::reply(Reply::with_choices(
            cx.r(
                msg!("evaluation-ballot-step"),
                &[
                    ("title", round.title.as_str().into()),
                    ("n", (picks.len() + 1).into()),
                    ("of", candidates.len().into()),
                    ("name", name.as_str().into()),
                ],
            ),
            choices,
        ))));
    }
    if !submit {
        let summary = candidates
            .iter()
            .zip(&picks)
            .map(|((_, name), p)| format!("· {name}：{}", cx.t(option_msg(kind, usize::from(*p)))))
            .collect::<Vec<_>>()
            .join("\n");
        return Ok(anon(Step::reply(Reply::with_choices(
            cx.r(
                msg!("evaluation-ballot-review"),
                &[("summary", summary.into())],
            ),
            vec![
                cx.choice(
                    format!("ev:{}:{sofar}:ok", round.id),
                    msg!("evaluation-submit"),
                ),
                cx.choice(format!("ev:{}:", round.id), msg!("evaluation-restart")),
            ],
        ))));
    }
    if !store::submit(conn, round.id, member.id, &seal_ballot(&picks)).await? {
        return Ok(anon(Step::text(cx.t(msg!("evaluation-not-waiting")))));
    }
    // Logged without the picks: who voted is not secret, what they voted is never logged.
    tracing::info!(round = round.id, "ballot submitted");
    Ok(anon(Step::text(cx.t(msg!("evaluation-submitted")))))
}

async fn results(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: &str,
) -> Result<Step, StoreError> {
    let round = match arg.parse::<i64>() {
        Ok(id) => store::get(conn, id).await?,
        Err(_) => None,
    };
    let Some(round) = round else {
        return Ok(Step::text(cx.t(msg!("evaluation-results-usage"))));
    };
    if !member.manages_branch(round.branch_id) && member.branch_id != Some(round.branch_id) {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    Ok(Step::text(render(cx, conn, &round).await?))
}

/// A round's results, or why they are not shown yet.
pub async fn render(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    round: &store::Round,
) -> Result<String, StoreError> {
    let (voted, eligible) = store::turnout(conn, round.id).await?;
    if cx.now_ms < round.closes_at {
        return Ok(cx.r(
            msg!("evaluation-results-later"),
            &[("voted", voted.into()), ("eligible", eligible.into())],
        ));
    }
    let results = tallies(conn, round).await?;
    let kind = results.kind;
    let mut out = vec![cx.r(
        msg!("evaluation-results-title"),
        &[
            ("title", round.title.as_str().into()),
            ("voted", voted.into()),
            ("eligible", eligible.into()),
        ],
    )];
    for (name, counts) in &results.candidates {
        let figures = counts
            .iter()
            .enumerate()
            .map(|(o, n)| format!("{} {n}", cx.t(option_msg(kind, o))))
            .collect::<Vec<_>>()
            .join(" · ");
        out.push(format!("· {name}：{figures}"));
    }
    if results.too_many_excellent {
        out.push(cx.t(msg!("evaluation-too-many-excellent")));
    }
    Ok(out.join("\n"))
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
