//! Evaluation rounds in chat: `/evaluation` lists the ballots waiting for this member,
//! `/evaluation open [branch]` opens a 民主评议 round, `/evaluation vote <keys or names…>` a
//! 票决 (both tell the voters), `/evaluation close <id>` ends one early, and
//! `/evaluation results <id>` shows a closed round.
//!
//! A ballot is stepped through with buttons whose data carries the picks so far
//! (`ev:<round>:<picks>`, [`Action`]), and submitted once (`ev:<round>:<picks>:ok`): the
//! voter's flag is flipped and the ballot sealed into a row under a random id in one
//! transaction. The counters are only added to once the round has closed
//! (`service::tally`, run by the `evaluation-tally` job), in one transaction that deletes the
//! ballots. Ballot replies are anonymous (queued without the member, sealed, erased once
//! sent); the buttons offered mid-ballot are stored sealed in the conversation (see
//! `chat::questions::Open::to_json`), and the final step offers none. A long ballot can be
//! filled in one message instead ([`compact`]: 一次填写全部, one digit per candidate, its
//! waiting step [`Waiting`]).

pub mod close;
pub mod compact;
pub mod open;

use serde::{Deserialize, Serialize};

use super::service::{option_msg, seal_ballot, tallies};
use super::store;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The first field of the button data the feature owns.
pub const ACTIONS: &[&str] = &["ev"];

/// A button of the feature, as its data reads on the wire (at most 64 bytes, Telegram's
/// limit, for a ballot of up to some fifty candidates).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// `ev:<round>:<picks>` (`ev:<round>:` to begin or restart), or `ev:<round>:<picks>:ok`
    /// to submit: the picks so far, one digit (the option's index) per candidate.
    Ballot {
        round: i64,
        picks: Vec<u8>,
        submit: bool,
    },
    /// `ev:<round>:all`: the whole ballot in one message ([`compact`]).
    Compact { round: i64 },
    /// `ev:close:<round>`: end the round now (提前结束).
    Close { round: i64 },
    /// `ev:close:keep`: leave it open (继续投票).
    KeepOpen,
}

impl Action {
    /// The button data.
    pub fn encode(&self) -> String {
        match self {
            Self::Ballot {
                round,
                picks,
                submit,
            } => {
                let picks: String = picks.iter().map(|p| p.to_string()).collect();
                if *submit {
                    format!("ev:{round}:{picks}:ok")
                } else {
                    format!("ev:{round}:{picks}")
                }
            }
            Self::Compact { round } => format!("ev:{round}:{}", compact::ALL),
            Self::Close { round } => format!("ev:close:{round}"),
            Self::KeepOpen => "ev:close:keep".into(),
        }
    }

    /// Reads button data written by [`Action::encode`] (or by the code before it, which wrote
    /// the same strings); `None` for anything else.
    pub fn decode(data: &str) -> Option<Self> {
        let value = data.strip_prefix("ev:")?;
        if let Some(what) = value.strip_prefix("close:") {
            return match what {
                "keep" => Some(Self::KeepOpen),
                id => id.parse().ok().map(|round| Self::Close { round }),
            };
        }
        let mut parts = value.split(':');
        let round: i64 = parts.next()?.parse().ok()?;
        let picks = parts.next().unwrap_or("");
        let submit = match parts.next() {
            None => false,
            Some("ok") => true,
            Some(_) => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        if picks == compact::ALL && !submit {
            return Some(Self::Compact { round });
        }
        let picks = picks
            .chars()
            .map(|c| c.to_digit(10).map(|d| d as u8))
            .collect::<Option<Vec<u8>>>()?;
        Some(Self::Ballot {
            round,
            picks,
            submit,
        })
    }
}

/// The feature's waiting step, stored as `State::Feature` with the same tag and fields the
/// engine's `State::EvaluationCompact` had (`{"step":"evaluation_compact","round_id":…}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// The compact ballot was shown: one digit per candidate is typed next.
    EvaluationCompact { round_id: i64 },
}

impl Waiting {
    /// The tags the engine's older `State` stored these steps under.
    pub const STEPS: &'static [&'static str] = &["evaluation_compact"];

    /// As the conversation stores it.
    pub fn state(&self) -> crate::flows::State {
        crate::flows::State::feature(super::NAME, self)
    }
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
        .map(|r| Choice {
            data: Action::Ballot {
                round: r.id,
                picks: Vec::new(),
                submit: false,
            }
            .encode(),
            label: r.title.clone(),
            aliases: Vec::new(),
        })
        .collect();
    Ok(Step::reply(Reply::with_choices(
        cx.t(msg!("evaluation-pending")),
        choices,
    )))
}

/// A button of the feature: `data` is the whole button data (`ev:…`).
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    data: &str,
) -> Result<Step, StoreError> {
    let (round_id, picks, submit) = match Action::decode(data) {
        None => return Ok(Step::text(cx.t(msg!("error-stale-choice")))),
        Some(Action::KeepOpen) => return close::kept(cx),
        Some(Action::Close { round }) => return close::confirmed(cx, conn, member, round).await,
        Some(Action::Compact { round }) => return compact::start(cx, conn, member, round).await,
        Some(Action::Ballot {
            round,
            picks,
            submit,
        }) => (round, picks, submit),
    };
    let Some(round) = store::get(conn, round_id).await? else {
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
    let ballot = |picks: Vec<u8>, submit: bool| {
        Action::Ballot {
            round: round.id,
            picks,
            submit,
        }
        .encode()
    };
    if let Some((_, name)) = candidates.get(picks.len()) {
        let mut choices: Vec<_> = (0..options)
            .map(|o| {
                let next = picks.iter().copied().chain([o as u8]).collect();
                cx.choice(ballot(next, false), option_msg(kind, o))
            })
            .collect();
        // At the first name of a longer ballot: the whole ballot in one message instead.
        if picks.is_empty() && candidates.len() > 1 {
            choices.push(cx.choice(
                Action::Compact { round: round.id }.encode(),
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
                cx.choice(ballot(picks.clone(), true), msg!("evaluation-submit")),
                cx.choice(ballot(Vec::new(), false), msg!("evaluation-restart")),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_as_written_within_telegram_s_64_bytes() {
        let actions = [
            Action::Ballot {
                round: 1,
                picks: Vec::new(),
                submit: false,
            },
            Action::Ballot {
                round: 42,
                picks: vec![0, 1, 2, 3],
                submit: false,
            },
            Action::Ballot {
                round: 9_999_999,
                picks: vec![2; 28],
                submit: true,
            },
            Action::Compact { round: 7 },
            Action::Close { round: 12 },
            Action::KeepOpen,
        ];
        for action in actions {
            let data = action.encode();
            assert!(data.len() <= 64, "{data}");
            assert!(ACTIONS.contains(&data.split(':').next().unwrap()), "{data}");
            assert_eq!(Action::decode(&data), Some(action), "{data}");
        }
    }

    #[test]
    fn the_button_data_the_bot_writes_today_reads_as_before() {
        let ballot = |round, picks: &[u8], submit| {
            Some(Action::Ballot {
                round,
                picks: picks.to_vec(),
                submit,
            })
        };
        assert_eq!(Action::decode("ev:1:"), ballot(1, &[], false));
        assert_eq!(Action::decode("ev:3:0"), ballot(3, &[0], false));
        assert_eq!(Action::decode("ev:3:0123"), ballot(3, &[0, 1, 2, 3], false));
        assert_eq!(
            Action::decode("ev:1:0123:ok"),
            ballot(1, &[0, 1, 2, 3], true)
        );
        assert_eq!(
            Action::decode("ev:5:all"),
            Some(Action::Compact { round: 5 })
        );
        assert_eq!(
            Action::decode("ev:close:8"),
            Some(Action::Close { round: 8 })
        );
        assert_eq!(Action::decode("ev:close:keep"), Some(Action::KeepOpen));
        // As the old reader took them: no picks yet without the second colon.
        assert_eq!(Action::decode("ev:4"), ballot(4, &[], false));
        for never in [
            "ev:",
            "ev:x:1",
            "ev:1:1a",
            "ev:1:12:no",
            "ev:1:12:ok:x",
            "ev:1:all:ok",
            "ev:close:",
            "ev:close:x",
            "pw:study",
        ] {
            assert_eq!(Action::decode(never), None, "{never}");
        }
    }

    #[test]
    fn the_compact_step_is_stored_with_the_old_state_s_tag() {
        let waiting = Waiting::EvaluationCompact { round_id: 3 };
        assert_eq!(
            serde_json::to_string(&waiting).unwrap(),
            r#"{"step":"evaluation_compact","round_id":3}"#
        );
        assert_eq!(
            waiting.state().data_of::<Waiting>(super::super::NAME),
            Some(waiting)
        );
    }
}
