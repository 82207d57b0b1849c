//! The push burden (issue 20, "指尖上的形式主义"): per member and ISO week, the pushes sent to
//! them (digests included, replies to what they wrote not), how many of those were digests, and
//! how many pushes the daily budget held for a digest — for `branchbot report pushes` and the
//! dashboard's branch page.

use std::collections::BTreeMap;

use chrono_tz::Tz;

use crate::domain::period::Period;
use crate::domain::pushes::iso_week;
use crate::store::{members, pushes, Conn, StoreError};

/// One member's pushes in one ISO week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberWeek {
    /// "2026-W50", in the organisation's zone.
    pub week: String,
    pub branch: String,
    pub name: String,
    pub key: String,
    /// Pushes sent, digests included.
    pub sent: i64,
    /// Of which digests.
    pub digests: i64,
    /// Pushes held for a digest.
    pub held: i64,
}

/// The weeks of `period` with pushes, per member of `branch` (every branch when None), by
/// week, branch and roster key.
pub async fn weekly(
    conn: &mut Conn,
    tz: Tz,
    period: &Period,
    branch: Option<i64>,
) -> Result<Vec<MemberWeek>, StoreError> {
    let (from, to) = period.bounds(tz);
    let rows = pushes::between(conn, from.timestamp_millis(), to.timestamp_millis()).await?;
    let people: BTreeMap<i64, crate::domain::org::Member> = members::list(conn, branch)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let mut cells: BTreeMap<(String, String, String), MemberWeek> = BTreeMap::new();
    for r in rows {
        let Some(m) = people.get(&r.member_id) else {
            continue;
        };
        let week = iso_week(r.at, tz);
        let branch = m.branch_name.clone().unwrap_or_default();
        let cell = cells
            .entry((week.clone(), branch.clone(), m.key.clone()))
            .or_insert_with(|| MemberWeek {
                week,
                branch,
                name: m.name.clone(),
                key: m.key.clone(),
                sent: 0,
                digests: 0,
                held: 0,
            });
        match (r.held, r.digest) {
            (true, _) => cell.held += 1,
            (false, true) => {
                cell.sent += 1;
                cell.digests += 1;
            }
            (false, false) => cell.sent += 1,
        }
    }
    Ok(cells.into_values().collect())
}

/// The burden in one line: pushes sent, held, the average per member-week with pushes (rounded
/// to one decimal, as text) and the most one member got in a week.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Burden {
    pub sent: i64,
    pub held: i64,
    pub per_week: String,
    pub max: i64,
}

/// Sums [`weekly`]'s rows.
pub fn burden(rows: &[MemberWeek]) -> Burden {
    let sent: i64 = rows.iter().map(|r| r.sent).sum();
    let held: i64 = rows.iter().map(|r| r.held).sum();
    let max = rows.iter().map(|r| r.sent).max().unwrap_or(0);
    let per_week = if rows.is_empty() {
        "0".into()
    } else {
        format!("{:.1}", sent as f64 / rows.len() as f64)
    };
    Burden {
        sent,
        held,
        per_week,
        max,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(sent: i64, held: i64) -> MemberWeek {
        MemberWeek {
            week: "2026-W50".into(),
            branch: "B".into(),
            name: "N".into(),
            key: "K".into(),
            sent,
            digests: 0,
            held,
        }
    }

    #[test]
    fn the_burden_sums_the_weeks_and_names_the_heaviest() {
        let b = burden(&[row(4, 2), row(1, 0)]);
        assert_eq!(
            b,
            Burden {
                sent: 5,
                held: 2,
                per_week: "2.5".into(),
                max: 4
            }
        );
        assert_eq!(burden(&[]).per_week, "0");
    }
}
