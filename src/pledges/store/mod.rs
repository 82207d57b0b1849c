//! Pledges' SQL (migration 0006's tables), both backends: here a member's pledge, its versions
//! and items, reviews; [`checkins`]: check-in rounds and answers, self-assessments and the
//! branches' check-in schedules. A version is never changed once written; an edit is a new one.

pub mod checkins;

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::pledges::rules::{PledgeStatus, Way};
use crate::store::{read_row, Conn, Result, UnknownValue};

/// A member's pledge.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Pledge {
    pub id: i64,
    pub member_id: i64,
    #[sqlx(try_from = "String")]
    pub status: PledgeStatus,
    /// The latest version written.
    pub current_version: i64,
    /// The version published, if any.
    pub approved_version: Option<i64>,
}

/// One item of a version.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Item {
    pub id: i64,
    pub version_id: i64,
    pub position: i64,
    #[sqlx(try_from = "String")]
    pub way: Way,
    pub text: String,
    /// `YYYY-MM-DD`.
    pub target_date: Option<String>,
}

/// An item as written, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NewItem {
    pub way: String,
    pub text: String,
    pub target_date: Option<String>,
}

impl TryFrom<String> for PledgeStatus {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        Self::parse(&s).ok_or(UnknownValue(s))
    }
}

impl TryFrom<String> for Way {
    type Error = UnknownValue;

    fn try_from(s: String) -> Result<Self, UnknownValue> {
        Self::parse(&s).ok_or(UnknownValue(s))
    }
}

/// A pledge row; a status the CHECK would refuse today (a row written before 0027 or by hand)
/// is an error naming the pledge.
fn pledge_from_row(row: &AnyRow) -> Result<Pledge> {
    read_row("pledges", row)
}

/// An item row; a way this binary does not know is an error naming the item.
fn item_from_row(row: &AnyRow) -> Result<Item> {
    read_row("pledge_items", row)
}

/// A member's pledge, if they wrote one.
pub async fn of_member(conn: &mut Conn, member_id: i64) -> Result<Option<Pledge>> {
    let row = sqlx::query(
        "SELECT id, member_id, status, current_version, approved_version FROM pledges \
         WHERE member_id = $1",
    )
    .bind(member_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(pledge_from_row).transpose()
}

/// The pledges of a branch's members, by member id (one query for a whole branch).
pub async fn of_branch(
    conn: &mut Conn,
    branch_id: i64,
) -> Result<std::collections::HashMap<i64, Pledge>> {
    let rows = sqlx::query(
        "SELECT p.id, p.member_id, p.status, p.current_version, p.approved_version \
         FROM pledges p JOIN members m ON m.id = p.member_id WHERE m.branch_id = $1",
    )
    .bind(branch_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| pledge_from_row(row).map(|p| (p.member_id, p)))
        .collect()
}

/// The pledge a version belongs to.
pub async fn of_version(conn: &mut Conn, version_id: i64) -> Result<Option<Pledge>> {
    let row = sqlx::query(
        "SELECT p.id, p.member_id, p.status, p.current_version, p.approved_version \
         FROM pledges p JOIN pledge_versions v ON v.pledge_id = p.id WHERE v.id = $1",
    )
    .bind(version_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(pledge_from_row).transpose()
}

/// A version's number (1, 2, …).
pub async fn version_number(conn: &mut Conn, version_id: i64) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT number FROM pledge_versions WHERE id = $1")
            .bind(version_id)
            .fetch_optional(conn)
            .await?
            .unwrap_or(0),
    )
}

/// A version's items, in order.
pub async fn items(conn: &mut Conn, version_id: i64) -> Result<Vec<Item>> {
    let rows = sqlx::query(
        "SELECT id, version_id, position, way, text, target_date FROM pledge_items \
         WHERE version_id = $1 ORDER BY position",
    )
    .bind(version_id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(item_from_row).collect()
}

/// One item by id.
pub async fn item(conn: &mut Conn, item_id: i64) -> Result<Option<Item>> {
    let row = sqlx::query(
        "SELECT id, version_id, position, way, text, target_date FROM pledge_items WHERE id = $1",
    )
    .bind(item_id)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// Writes a new version of a member's pledge (creating the pledge on the first) and submits it
/// for review. Returns the version's id and number.
pub async fn submit(
    conn: &mut Conn,
    member_id: i64,
    items: &[NewItem],
    now: i64,
) -> Result<(i64, i64)> {
    sqlx::query(
        "INSERT INTO pledges (member_id, status, created_at, updated_at) \
         VALUES ($1, 'submitted', $2, $2) ON CONFLICT (member_id) DO NOTHING",
    )
    .bind(member_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let pledge_id: i64 = sqlx::query_scalar("SELECT id FROM pledges WHERE member_id = $1")
        .bind(member_id)
        .fetch_one(&mut *conn)
        .await?;
    let number: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(number), 0) + 1 FROM pledge_versions WHERE pledge_id = $1",
    )
    .bind(pledge_id)
    .fetch_one(&mut *conn)
    .await?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO pledge_versions (pledge_id, number, created_at) VALUES ($1, $2, $3) \
         RETURNING id",
    )
    .bind(pledge_id)
    .bind(number)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    for (i, item) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pledge_items (version_id, position, way, text, target_date) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(version_id)
        .bind(i as i64 + 1)
        .bind(&item.way)
        .bind(&item.text)
        .bind(item.target_date.as_deref())
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE pledges SET status = 'submitted', current_version = $1, updated_at = $2 \
         WHERE id = $3",
    )
    .bind(version_id)
    .bind(now)
    .bind(pledge_id)
    .execute(conn)
    .await?;
    Ok((version_id, number))
}

/// Records a review of a version. Only the current, submitted version can be reviewed: returns
/// false when the member has written another since, or it was reviewed already.
pub async fn review(
    conn: &mut Conn,
    version_id: i64,
    reviewer_id: i64,
    approve: bool,
    comment: Option<&str>,
    now: i64,
) -> Result<bool> {
    // The pledge's new status, and the review's decision (what 0030's CHECK lists).
    let status = if approve {
        PledgeStatus::Approved
    } else {
        PledgeStatus::Returned
    }
    .as_str();
    let done = sqlx::query(
        "UPDATE pledges SET status = $1, updated_at = $2, \
         approved_version = CASE WHEN $1 = 'approved' THEN current_version ELSE approved_version END \
         WHERE current_version = $3 AND status = 'submitted'",
    )
    .bind(status)
    .bind(now)
    .bind(version_id)
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO pledge_reviews (version_id, reviewer_id, decision, comment, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(version_id)
    .bind(reviewer_id)
    .bind(status)
    .bind(comment)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(true)
}

/// The comment of the latest return of a pledge, if it was returned.
pub async fn last_comment(conn: &mut Conn, pledge_id: i64) -> Result<Option<String>> {
    Ok(sqlx::query_scalar(
        "SELECT r.comment FROM pledge_reviews r JOIN pledge_versions v ON v.id = r.version_id \
         WHERE v.pledge_id = $1 AND r.decision = 'returned' ORDER BY r.id DESC LIMIT 1",
    )
    .bind(pledge_id)
    .fetch_optional(conn)
    .await?
    .flatten())
}

/// Submitted versions awaiting review in a branch (or every branch): (member id, version id).
pub async fn awaiting(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT p.member_id, p.current_version FROM pledges p JOIN members m ON m.id = p.member_id \
         WHERE p.status = 'submitted' AND m.active = 1 AND ($1 IS NULL OR m.branch_id = $1) \
         ORDER BY m.key",
    )
    .bind(branch_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// A published item, with whose it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    pub branch: String,
    pub member_key: String,
    pub member_name: String,
    pub item: Item,
}

/// The approved versions' items of active members, in one branch or all, by branch, member
/// and position.
pub async fn published(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<Published>> {
    let rows = sqlx::query(
        "SELECT b.name AS branch, m.key AS member_key, m.name AS member_name, i.id, i.version_id, \
         i.position, i.way, i.text, i.target_date \
         FROM pledges p JOIN members m ON m.id = p.member_id \
         JOIN branches b ON b.id = m.branch_id \
         JOIN pledge_items i ON i.version_id = p.approved_version \
         WHERE m.active = 1 AND ($1 IS NULL OR m.branch_id = $1) \
         ORDER BY b.name, m.key, i.position",
    )
    .bind(branch_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Published {
                branch: r.try_get("branch")?,
                member_key: r.try_get("member_key")?,
                member_name: r.try_get("member_name")?,
                item: item_from_row(r)?,
            })
        })
        .collect()
}

/// Active members of a branch with an approved pledge: (member id, approved version id).
pub async fn approved_in_branch(conn: &mut Conn, branch_id: i64) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT p.member_id, p.approved_version FROM pledges p JOIN members m ON m.id = p.member_id \
         WHERE p.approved_version IS NOT NULL AND m.active = 1 AND m.branch_id = $1 ORDER BY m.key",
    )
    .bind(branch_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// Active members of every branch with an approved pledge: (member id, approved version id).
pub async fn approved_all(conn: &mut Conn) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT p.member_id, p.approved_version FROM pledges p JOIN members m ON m.id = p.member_id \
         WHERE p.approved_version IS NOT NULL AND m.active = 1 ORDER BY m.key",
    )
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}
