//! Branches, party groups and members: roster import and lookups.

use std::collections::{HashMap, HashSet};

use sqlx::any::AnyRow;

use super::{read_row, Conn, Result, StoreError, UnknownValue};
use crate::domain::org::{BranchKind, Member, Role};
use crate::domain::roster::{Column, ProblemKind, Roster, RosterProblem};
use crate::i18n::Locale;

const MEMBER_SELECT: &str = "SELECT m.id, m.key, m.name, m.branch_id, b.name AS branch_name, \
     g.name AS group_name, m.role, m.college, m.phone, m.locale, m.active \
     FROM members m LEFT JOIN branches b ON b.id = m.branch_id \
     LEFT JOIN party_groups g ON g.id = m.group_id";

/// A member row as [`MEMBER_SELECT`] reads it; a role or locale this binary cannot read is an
/// error naming the member (a locale with no catalog is not the organisation's: the member
/// would be answered in a language they did not choose).
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: i64,
    key: String,
    name: String,
    branch_id: Option<i64>,
    branch_name: Option<String>,
    group_name: Option<String>,
    #[sqlx(try_from = "String")]
    role: Role,
    college: i64,
    phone: Option<String>,
    #[sqlx(try_from = "String")]
    locale: Locale,
    active: i64,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Self {
        Member {
            id: r.id,
            key: r.key,
            name: r.name,
            branch_id: r.branch_id,
            branch_name: r.branch_name,
            group_name: r.group_name,
            role: r.role,
            college: r.college != 0,
            phone: r.phone,
            locale: r.locale,
            active: r.active != 0,
        }
    }
}

impl TryFrom<String> for Role {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        s.parse().map_err(|()| UnknownValue(s))
    }
}

impl TryFrom<String> for Locale {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        match s.parse() {
            Ok(locale) => Ok(locale),
            Err(_) => Err(UnknownValue(s)),
        }
    }
}

impl TryFrom<String> for BranchKind {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        s.parse().map_err(|()| UnknownValue(s))
    }
}

fn member_from_row(row: &AnyRow) -> Result<Member> {
    read_row::<MemberRow>("members", row).map(Member::from)
}

/// A member row with its binding's `unreachable` flag.
#[derive(sqlx::FromRow)]
struct ReachRow {
    #[sqlx(flatten)]
    member: MemberRow,
    unreachable: i64,
}

/// A branch as [`branches`] reads it.
#[derive(sqlx::FromRow)]
struct BranchRow {
    id: i64,
    name: String,
    #[sqlx(try_from = "String")]
    kind: BranchKind,
}

/// A member row as the roster import compares it with the file: the stored text as is.
#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    key: String,
    name: String,
    branch_id: Option<i64>,
    group_id: Option<i64>,
    role: String,
    college: i64,
    phone: Option<String>,
    locale: String,
    active: i64,
}

/// A member by database id.
pub async fn by_id(conn: &mut Conn, id: i64) -> Result<Option<Member>> {
    let sql = format!("{MEMBER_SELECT} WHERE m.id = $1");
    let row = sqlx::query(super::sql(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(member_from_row).transpose()
}

/// An active member by roster key (case-insensitive) or by mobile number.
pub async fn find(conn: &mut Conn, key_or_phone: &str) -> Result<Option<Member>> {
    let sql = format!("{MEMBER_SELECT} WHERE LOWER(m.key) = LOWER($1) AND m.active = 1");
    if let Some(row) = sqlx::query(super::sql(sql))
        .bind(key_or_phone.trim())
        .fetch_optional(&mut *conn)
        .await?
    {
        return member_from_row(&row).map(Some);
    }
    let Ok(phone) = key_or_phone.parse::<crate::domain::phone::Phone>() else {
        return Ok(None);
    };
    let sql = format!("{MEMBER_SELECT} WHERE m.phone = $1 AND m.active = 1");
    let row = sqlx::query(super::sql(sql))
        .bind(phone.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(member_from_row).transpose()
}

/// The active member bound to a channel address, if any.
pub async fn by_binding(conn: &mut Conn, channel: &str, address: &str) -> Result<Option<Member>> {
    let sql = format!(
        "{MEMBER_SELECT} JOIN bindings bd ON bd.member_id = m.id \
         WHERE bd.channel = $1 AND bd.address = $2 AND m.active = 1"
    );
    let row = sqlx::query(super::sql(sql))
        .bind(channel)
        .bind(address)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(member_from_row).transpose()
}

/// The active member bound to a channel address, if any, and whether the binding is marked
/// unreachable (one read for what an inbound message needs to know of its sender).
pub async fn by_binding_with_reach(
    conn: &mut Conn,
    channel: &str,
    address: &str,
) -> Result<Option<(Member, bool)>> {
    let sql = format!(
        "{} JOIN bindings bd ON bd.member_id = m.id \
         WHERE bd.channel = $1 AND bd.address = $2 AND m.active = 1",
        MEMBER_SELECT.replacen(" FROM ", ", bd.unreachable FROM ", 1)
    );
    let row = sqlx::query(super::sql(sql))
        .bind(channel)
        .bind(address)
        .fetch_optional(conn)
        .await?;
    row.as_ref()
        .map(|r| {
            let read = read_row::<ReachRow>("members", r)?;
            Ok((Member::from(read.member), read.unreachable != 0))
        })
        .transpose()
}

/// Active members of a branch (or of every branch when `branch_id` is None), by branch then name.
pub async fn list(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Member>> {
    let sql = format!(
        "{MEMBER_SELECT} WHERE m.active = 1 AND ($1 IS NULL OR m.branch_id = $1) \
         ORDER BY b.name, m.key"
    );
    let rows = sqlx::query(super::sql(sql))
        .bind(branch_id)
        .fetch_all(conn)
        .await?;
    rows.iter().map(member_from_row).collect()
}

/// Active members with no binding on `channel`, in one branch or in all.
pub async fn unbound(
    conn: &mut Conn,
    channel: &str,
    branch_id: Option<i64>,
) -> Result<Vec<Member>> {
    let sql = format!(
        "{MEMBER_SELECT} WHERE m.active = 1 AND ($1 IS NULL OR m.branch_id = $1) \
         AND NOT EXISTS (SELECT 1 FROM bindings bd WHERE bd.member_id = m.id AND bd.channel = $2) \
         ORDER BY b.name, m.key"
    );
    let rows = sqlx::query(super::sql(sql))
        .bind(branch_id)
        .bind(channel)
        .fetch_all(conn)
        .await?;
    rows.iter().map(member_from_row).collect()
}

/// A branch's id by name.
pub async fn branch_id(conn: &mut Conn, name: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM branches WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(conn)
            .await?,
    )
}

/// All branches: (id, name, kind).
pub async fn branches(conn: &mut Conn) -> Result<Vec<(i64, String, BranchKind)>> {
    let rows = sqlx::query("SELECT id, name, kind FROM branches ORDER BY name")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let b = read_row::<BranchRow>("branches", r)?;
            Ok((b.id, b.name, b.kind))
        })
        .collect()
}

/// Sets a member's locale.
pub async fn set_locale(conn: &mut Conn, member_id: i64, locale: Locale, now: i64) -> Result<()> {
    sqlx::query("UPDATE members SET locale = $1, updated_at = $2 WHERE id = $3")
        .bind(locale.code())
        .bind(now)
        .bind(member_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub branches_created: usize,
    pub groups_created: usize,
    pub members_created: usize,
    pub members_updated: usize,
    pub members_unchanged: usize,
    /// Active members in the database but not in the file (marked as left with `prune`).
    pub missing: Vec<String>,
    pub pruned: bool,
}

/// Why an import was refused: problems tied to file lines that only the database can see.
/// Show them with [`RosterProblem::render`]; `Display` is for logs.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the roster conflicts with the database on {} line(s)", .0.len())]
    Conflicts(Vec<RosterProblem>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Applies a validated roster inside the caller's transaction: branches and groups are created
/// as needed, members are inserted or updated by key. With `prune`, active members missing from
/// the file are marked as having left. Nothing is written when a conflict is found.
pub async fn import(
    conn: &mut Conn,
    roster: &Roster,
    prune: bool,
    now: i64,
) -> Result<ImportSummary, ImportError> {
    let mut summary = ImportSummary {
        pruned: prune,
        ..ImportSummary::default()
    };

    // A phone in the file that belongs to someone who is not in the file is a conflict.
    let file_keys: HashSet<String> = roster
        .members
        .iter()
        .map(|m| m.key.to_lowercase())
        .collect();
    let mut conflicts = Vec::new();
    for m in &roster.members {
        let Some(phone) = &m.phone else { continue };
        let holder: Option<String> = sqlx::query_scalar("SELECT key FROM members WHERE phone = $1")
            .bind(phone.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(StoreError::from)?;
        if let Some(holder) = holder {
            if !file_keys.contains(&holder.to_lowercase()) {
                conflicts.push(RosterProblem::new(
                    m.line,
                    Some(Column::Mobile),
                    ProblemKind::PhoneHeldByOther {
                        phone: phone.clone(),
                        holder,
                    },
                ));
            }
        }
    }
    // Likewise a WeCom userid (case-insensitive, as WeCom compares them).
    for m in &roster.members {
        let Some(userid) = &m.wecom else { continue };
        let holder: Option<String> =
            sqlx::query_scalar("SELECT key FROM members WHERE LOWER(wecom) = LOWER($1)")
                .bind(userid)
                .fetch_optional(&mut *conn)
                .await
                .map_err(StoreError::from)?;
        if let Some(holder) = holder {
            if !file_keys.contains(&holder.to_lowercase()) {
                conflicts.push(RosterProblem::new(
                    m.line,
                    Some(Column::Wecom),
                    ProblemKind::WecomHeldByOther {
                        value: userid.clone(),
                        holder,
                    },
                ));
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(ImportError::Conflicts(conflicts));
    }

    let mut branch_ids: HashMap<String, i64> = HashMap::new();
    for (name, kind) in &roster.branches {
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM branches WHERE name = $1")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await
            .map_err(StoreError::from)?;
        let id = match existing {
            Some(id) => {
                sqlx::query("UPDATE branches SET kind = $1 WHERE id = $2")
                    .bind(kind.as_str())
                    .bind(id)
                    .execute(&mut *conn)
                    .await
                    .map_err(StoreError::from)?;
                id
            }
            None => {
                summary.branches_created += 1;
                sqlx::query_scalar(
                    "INSERT INTO branches (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id",
                )
                .bind(name)
                .bind(kind.as_str())
                .bind(now)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?
            }
        };
        branch_ids.insert(name.clone(), id);
    }

    let mut group_ids: HashMap<(i64, String), i64> = HashMap::new();
    for m in &roster.members {
        let (Some(branch), Some(group)) = (&m.branch, &m.group) else {
            continue;
        };
        let branch_id = branch_ids[branch];
        if group_ids.contains_key(&(branch_id, group.clone())) {
            continue;
        }
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM party_groups WHERE branch_id = $1 AND name = $2")
                .bind(branch_id)
                .bind(group)
                .fetch_optional(&mut *conn)
                .await
                .map_err(StoreError::from)?;
        let id = match existing {
            Some(id) => id,
            None => {
                summary.groups_created += 1;
                sqlx::query_scalar(
                    "INSERT INTO party_groups (branch_id, name) VALUES ($1, $2) RETURNING id",
                )
                .bind(branch_id)
                .bind(group)
                .fetch_one(&mut *conn)
                .await
                .map_err(StoreError::from)?
            }
        };
        group_ids.insert((branch_id, group.clone()), id);
    }

    // Free the file members' phones first so that two members may swap numbers.
    let existing: Vec<Existing> = sqlx::query_as(
        "SELECT id, key, name, branch_id, group_id, role, college, phone, locale, active FROM members",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(StoreError::from)?;
    let mut by_key: HashMap<String, &Existing> = HashMap::new();
    for row in &existing {
        by_key.insert(row.key.to_lowercase(), row);
    }
    for m in &roster.members {
        if let Some(row) = by_key.get(&m.key.to_lowercase()) {
            sqlx::query("UPDATE members SET phone = NULL WHERE id = $1")
                .bind(row.id)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from)?;
        }
    }

    for m in &roster.members {
        let branch_id = m.branch.as_ref().map(|b| branch_ids[b]);
        let group_id = match (branch_id, &m.group) {
            (Some(b), Some(g)) => Some(group_ids[&(b, g.clone())]),
            _ => None,
        };
        let phone = m.phone.as_ref().map(|p| p.as_str().to_owned());
        match by_key.get(&m.key.to_lowercase()) {
            Some(row) => {
                let id = row.id;
                let same = row.name == m.name
                    && row.branch_id == branch_id
                    && row.group_id == group_id
                    && row.role == m.role.as_str()
                    && row.college == i64::from(m.college)
                    && row.phone == phone
                    && row.locale == m.locale.code()
                    && row.active == 1;
                if same {
                    summary.members_unchanged += 1;
                } else {
                    summary.members_updated += 1;
                }
                sqlx::query(
                    "UPDATE members SET name = $1, branch_id = $2, group_id = $3, role = $4, \
                     college = $5, phone = $6, locale = $7, active = 1, updated_at = $8 WHERE id = $9",
                )
                .bind(&m.name)
                .bind(branch_id)
                .bind(group_id)
                .bind(m.role.as_str())
                .bind(i64::from(m.college))
                .bind(phone)
                .bind(m.locale.code())
                .bind(now)
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from)?;
            }
            None => {
                summary.members_created += 1;
                sqlx::query(
                    "INSERT INTO members (key, name, branch_id, group_id, role, college, phone, \
                     locale, active, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
                )
                .bind(&m.key)
                .bind(&m.name)
                .bind(branch_id)
                .bind(group_id)
                .bind(m.role.as_str())
                .bind(i64::from(m.college))
                .bind(phone)
                .bind(m.locale.code())
                .bind(now)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from)?;
            }
        }
    }

    // WeCom userids: freed for every file member first, so two members may swap them.
    for m in &roster.members {
        sqlx::query("UPDATE members SET wecom = NULL WHERE LOWER(key) = LOWER($1)")
            .bind(&m.key)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from)?;
    }
    for m in &roster.members {
        let Some(userid) = &m.wecom else { continue };
        sqlx::query("UPDATE members SET wecom = $1 WHERE LOWER(key) = LOWER($2)")
            .bind(userid)
            .bind(&m.key)
            .execute(&mut *conn)
            .await
            .map_err(StoreError::from)?;
    }

    for row in &existing {
        if row.active == 1 && !file_keys.contains(&row.key.to_lowercase()) {
            summary.missing.push(row.key.clone());
        }
    }
    summary.missing.sort();
    if prune && !summary.missing.is_empty() {
        for key in &summary.missing {
            sqlx::query("UPDATE members SET active = 0, updated_at = $1 WHERE key = $2")
                .bind(now)
                .bind(key)
                .execute(&mut *conn)
                .await
                .map_err(StoreError::from)?;
        }
    }
    Ok(summary)
}

/// Counts of what the database holds: (branches, groups, active members).
pub async fn counts(conn: &mut Conn) -> Result<(i64, i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM branches) AS b, (SELECT COUNT(*) FROM party_groups) AS g, \
         (SELECT COUNT(*) FROM members WHERE active = 1) AS m",
    )
    .fetch_one(conn)
    .await?)
}
