//! `/campaign`: the current phase of the campaign, the days left and what is expected now; the
//! college committee also sees which branches have submitted the phase summary. `/summary`: a
//! branch secretary submits the branch's summary of the current phase, inline or as the next
//! message.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::campaign::{Campaign, Phase};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply, State};
use crate::msg;
use crate::store::{campaigns as stored, Conn, StoreError};

/// The feature's waiting step, kept in `State::Feature` under [`super::NAME`]. Its JSON is
/// what `flows::State::SummaryText` wrote before the feature had its own folder
/// (`{"step":"summary_text","campaign":"创先争优","phase":0}`), so a conversation stored then
/// reads on ([`super::Campaign`] claims that step name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// `/summary`: waiting for the branch's phase summary.
    SummaryText { campaign: String, phase: usize },
}

impl Waiting {
    fn state(self) -> State {
        State::feature(super::NAME, &self)
    }
}

/// The phase a summary is for: the running one, else the last one that ended.
fn summary_phase(c: &Campaign, now: DateTime<Utc>) -> Option<usize> {
    c.current(now)
        .map(|(i, _)| i)
        .or_else(|| c.phases.iter().rposition(|p| p.end <= now))
}

fn last_day(cx: &Ctx<'_>, p: &Phase) -> String {
    p.last_day_text(cx.engine.tz)
}

/// `/campaign`.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let now = cx.now();
    let Some(c) = stored::loaded(conn, cx.engine.tz).await?.into_iter().next() else {
        return Ok(Step::text(cx.t(msg!("campaign-none"))));
    };
    let l = cx.locale;
    let mut lines = Vec::new();
    if let Some((_, p)) = c.current(now) {
        lines.push(cx.r(
            msg!("campaign-current"),
            &[
                ("campaign", c.name.as_str().into()),
                ("title", p.title.get(l).into()),
                ("days", p.days_left(now).into()),
                ("end", last_day(cx, p).into()),
            ],
        ));
        lines.push(cx.r(msg!("campaign-theme"), &[("theme", p.theme.get(l).into())]));
        if !p.tasks.is_empty() {
            lines.push(cx.t(msg!("campaign-tasks")));
            for (i, t) in p.tasks.iter().enumerate() {
                lines.push(format!("{}. {}", i + 1, t.get(l)));
            }
        }
    } else if let Some((_, p)) = c.next(now) {
        let start = p
            .start
            .with_timezone(&cx.engine.tz)
            .format("%Y-%m-%d")
            .to_string();
        lines.push(cx.r(
            msg!("campaign-upcoming"),
            &[
                ("campaign", c.name.as_str().into()),
                ("title", p.title.get(l).into()),
                ("start", start.into()),
            ],
        ));
    } else {
        lines.push(cx.r(
            msg!("campaign-over"),
            &[("campaign", c.name.as_str().into())],
        ));
    }
    if member.college {
        if let Some(i) = summary_phase(&c, now) {
            let rows = stored::summaries(conn, &c.name, i as i64).await?;
            let done = rows.iter().filter(|r| r.submitted_at.is_some()).count() as i64;
            lines.push(cx.r(
                msg!("campaign-summaries"),
                &[
                    ("title", c.phases[i].title.get(l).into()),
                    ("done", done.into()),
                    ("total", (rows.len() as i64).into()),
                ],
            ));
            for r in rows {
                let m = if r.submitted_at.is_some() {
                    msg!("campaign-summary-in")
                } else {
                    msg!("campaign-summary-missing")
                };
                lines.push(cx.r(m, &[("branch", r.branch.as_str().into())]));
            }
            let phase = &c.phases[i];
            if let Some(line) =
                crate::records::service::phase_activity_line(cx, conn, phase).await?
            {
                lines.push(line);
            }
        }
    }
    Ok(Step::text(lines.join("\n")))
}

/// `/summary [text]`.
pub async fn summary(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(branch) = member.branch_id.filter(|_| member.role.runs_branch()) else {
        return Ok(Step::text(cx.t(msg!("campaign-summary-refused"))));
    };
    let now = cx.now();
    let found = stored::loaded(conn, cx.engine.tz)
        .await?
        .into_iter()
        .find_map(|c| summary_phase(&c, now).map(|i| (c, i)));
    let Some((c, i)) = found else {
        return Ok(Step::text(cx.t(msg!("campaign-summary-no-phase"))));
    };
    let title = c.phases[i].title.get(cx.locale).to_owned();
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(Step::new(
            vec![Reply::text(
                cx.r(msg!("campaign-summary-ask"), &[("title", title.into())]),
            )],
            Waiting::SummaryText {
                campaign: c.name,
                phase: i,
            }
            .state(),
        ));
    };
    let first =
        stored::submit_summary(conn, &c.name, i as i64, branch, member.id, text, cx.now_ms).await?;
    let m = if first {
        msg!("campaign-summary-saved")
    } else {
        msg!("campaign-summary-replaced")
    };
    Ok(Step::text(cx.r(m, &[("title", title.into())])))
}

/// The text after `/summary` asked for it.
pub async fn summary_text(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    campaign: &str,
    phase: usize,
    text: &str,
) -> Result<Step, StoreError> {
    let Some(branch) = member.branch_id.filter(|_| member.role.runs_branch()) else {
        return Ok(Step::text(cx.t(msg!("campaign-summary-refused"))));
    };
    let first = stored::submit_summary(
        conn,
        campaign,
        phase as i64,
        branch,
        member.id,
        text.trim(),
        cx.now_ms,
    )
    .await?;
    let title = stored::loaded(conn, cx.engine.tz)
        .await?
        .into_iter()
        .find(|c| c.name == campaign)
        .and_then(|c| {
            c.phases
                .get(phase)
                .map(|p| p.title.get(cx.locale).to_owned())
        })
        .unwrap_or_default();
    let m = if first {
        msg!("campaign-summary-saved")
    } else {
        msg!("campaign-summary-replaced")
    };
    Ok(Step::text(cx.r(m, &[("title", title.into())])))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON `flows::State::SummaryText` wrote, as conversations in a database hold it today.
    #[test]
    fn a_summary_step_stored_before_the_feature_had_its_folder_reads_on() {
        let old = r#"{"step":"summary_text","campaign":"创先争优","phase":2}"#;
        let features =
            crate::flows::feature::Features::new(vec![std::sync::Arc::new(super::super::Campaign)]);
        assert!(serde_json::from_str::<State>(old).is_err());
        let waiting = Waiting::SummaryText {
            campaign: "创先争优".into(),
            phase: 2,
        };
        assert_eq!(
            features
                .legacy(old)
                .and_then(|s| s.data_of::<Waiting>(super::super::NAME)),
            Some(waiting.clone())
        );
        assert_eq!(serde_json::to_string(&waiting).unwrap(), old);
    }
}
