//! Loading feedback targets: the file's branch names and roster keys resolved against the
//! database, every problem reported with its line and column, nothing written unless all
//! resolve.

use super::store::{self, NewTarget};
use crate::domain::targets::{problem, TargetLine, TargetProblem};
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// Resolves and stores `lines` in `conn`'s transaction. Returns how many targets were loaded,
/// or the problems (and then nothing is written).
pub async fn load(
    conn: &mut Conn,
    lines: &[TargetLine],
) -> Result<Result<usize, Vec<TargetProblem>>, StoreError> {
    let mut problems = Vec::new();
    let mut targets = Vec::new();
    for l in lines {
        let branch_id = match &l.branch {
            Some(name) => {
                let id = members::branch_id(conn, name).await?;
                if id.is_none() {
                    problems.push(problem(
                        l.line,
                        "branch",
                        msg!("targets-unknown-branch"),
                        name,
                    ));
                }
                id
            }
            None => None,
        };
        let mut member_of = async |key: &str, column: &'static str| {
            let found = members::find(conn, key).await?;
            if found.is_none() {
                problems.push(problem(l.line, column, msg!("targets-unknown-member"), key));
            }
            Ok::<_, StoreError>(found.map(|m| m.id))
        };
        let member_id = match &l.member {
            Some(key) => member_of(key, "member").await?,
            None => None,
        };
        let mut residents = Vec::new();
        for key in &l.residents {
            if let Some(id) = member_of(key, "residents").await? {
                residents.push(id);
            }
        }
        targets.push(NewTarget {
            code: l.code.clone(),
            kind: l.kind.as_str().to_owned(),
            name: l.name.clone(),
            building: l.building.clone(),
            branch_id,
            member_id,
            residents,
        });
    }
    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    Ok(Ok(store::load_targets(conn, &targets).await?))
}
