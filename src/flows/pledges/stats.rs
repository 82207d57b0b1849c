//! `/pledge_stats` and `branchbot report pledges`: per branch, who has no pledge, who awaits
//! review, the response rate of the current check-in round and the items behind or blocked.
//! The college committee sees every branch.

use super::super::engine::Step;
use super::super::Ctx;
use crate::domain::org::Member;
use crate::domain::pledges::{rate_percent, PledgeStatus};
use crate::i18n::{Arg, Catalog, Locale};
use crate::msg;
use crate::store::pledge_checkins::{self, Answer};
use crate::store::pledges as store;
use crate::store::{members, Conn, StoreError};

/// One branch's figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchFigures {
    pub branch: String,
    /// Party members with no pledge, by roster key.
    pub no_pledge: Vec<String>,
    /// Members whose latest version awaits review.
    pub awaiting: Vec<String>,
    /// The latest round: (started at, asked, answered every item).
    pub round: Option<(i64, i64, i64)>,
    /// That round's answers behind or blocked.
    pub attention: Vec<Answer>,
}

/// The figures of one branch.
pub async fn figures(
    conn: &mut Conn,
    branch_id: i64,
    branch: &str,
) -> Result<BranchFigures, StoreError> {
    let mut no_pledge = Vec::new();
    let mut awaiting = Vec::new();
    let pledges = store::of_branch(conn, branch_id).await?;
    for m in members::list(conn, Some(branch_id)).await? {
        if !m.role.is_party_member() {
            continue;
        }
        match pledges.get(&m.id) {
            None => no_pledge.push(m.name),
            Some(p) if p.status == PledgeStatus::Submitted => awaiting.push(m.name),
            Some(_) => {}
        }
    }
    let (round, attention) = match pledge_checkins::latest_round(conn, branch_id).await? {
        Some((id, started)) => {
            let (asked, answered) = pledge_checkins::response(conn, id).await?;
            (
                Some((started, asked, answered)),
                pledge_checkins::attention(conn, id).await?,
            )
        }
        None => (None, Vec::new()),
    };
    Ok(BranchFigures {
        branch: branch.to_owned(),
        no_pledge,
        awaiting,
        round,
        attention,
    })
}

/// The figures of every branch the member may see (all for the college committee).
pub async fn visible(conn: &mut Conn, member: &Member) -> Result<Vec<BranchFigures>, StoreError> {
    let mut out = Vec::new();
    for (id, name, _) in members::branches(conn).await? {
        if member.college || member.manages_branch(id) {
            out.push(figures(conn, id, &name).await?);
        }
    }
    Ok(out)
}

/// The figures as a person reads them.
pub fn render(catalog: &Catalog, locale: Locale, tz: chrono_tz::Tz, f: &BranchFigures) -> String {
    let names = |v: &[String]| -> String {
        if v.is_empty() {
            catalog.text(locale, msg!("pledge-stats-nobody"))
        } else {
            v.join(&catalog.text(locale, msg!("cli-list-separator")))
        }
    };
    let mut lines = vec![
        catalog.render(
            locale,
            msg!("pledge-stats-header"),
            &[("branch", f.branch.as_str().into())],
        ),
        catalog.render(
            locale,
            msg!("pledge-stats-no-pledge"),
            &[
                ("count", f.no_pledge.len().into()),
                ("names", names(&f.no_pledge).into()),
            ],
        ),
        catalog.render(
            locale,
            msg!("pledge-stats-awaiting"),
            &[
                ("count", f.awaiting.len().into()),
                ("names", names(&f.awaiting).into()),
            ],
        ),
    ];
    let Some((started, asked, answered)) = f.round else {
        lines.push(catalog.text(locale, msg!("pledge-stats-no-round")));
        return lines.join("\n");
    };
    // As people read a day: 2026年3月1日.
    let day = chrono::DateTime::from_timestamp_millis(started)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive();
    let date = catalog.render(
        locale,
        msg!("period-day"),
        &[
            ("year", chrono::Datelike::year(&day).to_string().into()),
            ("month", chrono::Datelike::month(&day).into()),
            ("day", chrono::Datelike::day(&day).into()),
        ],
    );
    lines.push(catalog.render(
        locale,
        msg!("pledge-stats-round"),
        &[
            ("date", date.into()),
            ("answered", answered.into()),
            ("asked", asked.into()),
            ("rate", rate_percent(answered, asked).into()),
        ],
    ));
    lines.push(catalog.text(locale, msg!("pledge-stats-attention")));
    if f.attention.is_empty() {
        lines.push(catalog.text(locale, msg!("pledge-stats-nobody")));
    }
    for a in &f.attention {
        let mut args: Vec<(&str, Arg)> = vec![
            ("name", a.member_name.as_str().into()),
            ("number", a.position.into()),
            ("progress", catalog.text(locale, a.progress.msg()).into()),
            ("text", a.text.as_str().into()),
        ];
        lines.push(match &a.note {
            Some(note) => {
                args.push(("note", note.as_str().into()));
                catalog.render(locale, msg!("pledge-stats-attention-note"), &args)
            }
            None => catalog.render(locale, msg!("pledge-stats-attention-item"), &args),
        });
    }
    lines.join("\n")
}

/// `/pledge_stats`.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    }
    let all = visible(conn, member).await?;
    let text = all
        .iter()
        .map(|f| render(cx.catalog, cx.locale, cx.engine.tz, f))
        .collect::<Vec<_>>()
        .join("\n\n");
    Ok(Step::text(text))
}
