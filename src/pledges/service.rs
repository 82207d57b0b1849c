//! What the rest of the bot reads of pledges — `/pledge_stats`, `branchbot report pledges`,
//! the dashboard, the oversight figures, spot checks: per branch, who has no pledge, who awaits
//! review, the response rate of the current check-in round and the items behind or blocked
//! (the college committee sees every branch); the published items; a pledge's items as lines.

use crate::domain::org::Member;
use crate::i18n::{Arg, Catalog, Locale};
use crate::msg;
use crate::pledges::rules::PledgeStatus;
use crate::pledges::store::checkins::{self as pledge_checkins, Answer};
use crate::pledges::store::{self as store, Item};
use crate::store::{members, Conn, StoreError};

pub use crate::pledges::rules::rate_percent;
pub use crate::pledges::store::{published, Published};

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

/// A pledge's items as numbered lines, in `locale`.
pub fn item_lines(catalog: &Catalog, locale: Locale, items: &[Item]) -> String {
    items
        .iter()
        .map(|i| {
            let way = catalog.text(locale, i.way.msg());
            let mut args: Vec<(&str, Arg)> = vec![
                ("number", i.position.into()),
                ("way", way.into()),
                ("text", i.text.as_str().into()),
            ];
            match &i.target_date {
                Some(d) => {
                    args.push(("date", d.as_str().into()));
                    catalog.render(locale, msg!("pledge-view-item-dated"), &args)
                }
                None => catalog.render(locale, msg!("pledge-view-item"), &args),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A member's published pledge (its approved version's items) and the answers of every
/// check-in round they were asked in, for a spot check.
pub async fn published_of(
    conn: &mut Conn,
    member_id: i64,
) -> Result<(Vec<Item>, Vec<Answer>), StoreError> {
    let items = match store::of_member(conn, member_id)
        .await?
        .and_then(|p| p.approved_version)
    {
        Some(version) => store::items(conn, version).await?,
        None => Vec::new(),
    };
    Ok((items, pledge_checkins::answers_of(conn, member_id).await?))
}
