//! The `attachments` table's SQL (migration 0024), one text for SQLite and PostgreSQL.

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;

use super::{Attachment, Kind, Owner};
use crate::store::{Conn, Result, StoreError};

/// A row about to be written (its object is already stored).
#[derive(Debug, Clone)]
pub struct NewRow<'a> {
    pub object_key: &'a str,
    pub kind: Kind,
    pub content_type: &'a str,
    pub size: i64,
    pub display_name: &'a str,
    pub sha256: &'a str,
    pub uploaded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
}

const SELECT: &str = "SELECT id, object_key, kind, content_type, size, display_name, sha256, \
     uploaded_by, created_at, owner_kind, owner_id FROM attachments";

fn from_row(row: &AnyRow) -> Result<Attachment> {
    let kind: String = row.try_get("kind")?;
    let owner_kind: Option<String> = row.try_get("owner_kind")?;
    let owner_id: Option<i64> = row.try_get("owner_id")?;
    let owner = match (owner_kind, owner_id) {
        (Some(k), Some(id)) => Some(
            Owner::from_parts(&k, id)
                .ok_or_else(|| StoreError::Corrupt(format!("attachment owner '{k}'")))?,
        ),
        _ => None,
    };
    let created: i64 = row.try_get("created_at")?;
    Ok(Attachment {
        id: row.try_get("id")?,
        owner,
        kind: Kind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("attachment kind '{kind}'")))?,
        content_type: row.try_get("content_type")?,
        size: row.try_get("size")?,
        display_name: row.try_get("display_name")?,
        sha256: row.try_get("sha256")?,
        uploaded_by: row.try_get("uploaded_by")?,
        created_at: DateTime::from_timestamp_millis(created)
            .ok_or_else(|| StoreError::Corrupt(format!("attachment time {created}")))?,
        object_key: row.try_get("object_key")?,
    })
}

/// Writes the row of a stored object, unlinked; its id.
pub async fn insert(conn: &mut Conn, row: &NewRow<'_>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO attachments (object_key, kind, content_type, size, display_name, sha256, \
         uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(row.object_key)
    .bind(row.kind.as_str())
    .bind(row.content_type)
    .bind(row.size)
    .bind(row.display_name)
    .bind(row.sha256)
    .bind(row.uploaded_by)
    .bind(row.created_at.timestamp_millis())
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Links an attachment to its owner; false when there is no such attachment.
pub async fn link(conn: &mut Conn, id: i64, owner: Owner, now_ms: i64) -> Result<bool> {
    let (kind, owner_id) = owner.parts();
    let done = sqlx::query(
        "UPDATE attachments SET owner_kind = $1, owner_id = $2, linked_at = $3 WHERE id = $4",
    )
    .bind(kind)
    .bind(owner_id)
    .bind(now_ms)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

/// An owner's attachments, oldest first.
pub async fn list_for(conn: &mut Conn, owner: Owner) -> Result<Vec<Attachment>> {
    let (kind, id) = owner.parts();
    let rows = sqlx::query(crate::store::sql(format!(
        "{SELECT} WHERE owner_kind = $1 AND owner_id = $2 ORDER BY created_at, id"
    )))
    .bind(kind)
    .bind(id)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// What a member uploaded at or after `since_ms` and is not linked yet, oldest first.
pub async fn unlinked_of(
    conn: &mut Conn,
    member_id: i64,
    since_ms: i64,
) -> Result<Vec<Attachment>> {
    let rows = sqlx::query(crate::store::sql(format!(
        "{SELECT} WHERE uploaded_by = $1 AND created_at >= $2 AND owner_kind IS NULL \
         ORDER BY created_at, id"
    )))
    .bind(member_id)
    .bind(since_ms)
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// One attachment.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Attachment>> {
    let row = sqlx::query(crate::store::sql(format!("{SELECT} WHERE id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// Every object key a row names (to tell stray objects from stored ones).
pub async fn all_keys(conn: &mut Conn) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT object_key FROM attachments ORDER BY object_key")
            .fetch_all(conn)
            .await?,
    )
}

/// How many attachments each owner of a kind has, for reports.
pub async fn counts(conn: &mut Conn, owner_kind: &str) -> Result<Vec<(i64, i64)>> {
    let rows = sqlx::query(
        "SELECT owner_id, COUNT(*) AS n FROM attachments WHERE owner_kind = $1 \
         GROUP BY owner_id ORDER BY owner_id",
    )
    .bind(owner_kind)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("owner_id")?, r.try_get("n")?)))
        .collect()
}

/// Attachments for the command line's list: of one owner, of a branch's meetings and
/// activities, or all; newest first.
pub async fn listed(
    conn: &mut Conn,
    owner: Option<Owner>,
    branch_id: Option<i64>,
) -> Result<Vec<Attachment>> {
    let (kind, id) = owner.map_or(("", 0), Owner::parts);
    let rows = sqlx::query(
        "SELECT a.id, a.object_key, a.kind, a.content_type, a.size, a.display_name, a.sha256, \
         a.uploaded_by, a.created_at, a.owner_kind, a.owner_id FROM attachments a \
         LEFT JOIN meetings m ON a.owner_kind = 'meeting' AND m.id = a.owner_id \
         LEFT JOIN activities v ON a.owner_kind = 'activity' AND v.id = a.owner_id \
         WHERE ($1 = '' OR (a.owner_kind = $1 AND a.owner_id = $2)) \
         AND ($3 = 0 OR COALESCE(m.branch_id, v.branch_id) = $3) \
         ORDER BY a.created_at DESC, a.id DESC",
    )
    .bind(kind)
    .bind(id)
    .bind(branch_id.unwrap_or(0))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Forgets uploads never linked to anything and written before `before_ms`, unless a pending
/// outbox row still sends one; their object keys (the objects become strays, which the sweep
/// removes once this is committed). The cached Telegram file ids and WeCom media ids of those
/// rows go with them.
pub async fn forget_unlinked(conn: &mut Conn, before_ms: i64) -> Result<Vec<String>> {
    const WHICH: &str = "owner_kind IS NULL AND created_at < $1 AND id NOT IN \
         (SELECT attachment_id FROM outbox WHERE attachment_id IS NOT NULL)";
    let keys: Vec<String> = sqlx::query_scalar(crate::store::sql(format!(
        "SELECT object_key FROM attachments WHERE {WHICH} ORDER BY object_key"
    )))
    .bind(before_ms)
    .fetch_all(&mut *conn)
    .await?;
    if keys.is_empty() {
        return Ok(keys);
    }
    for cache in ["telegram_files", "wecom_media"] {
        sqlx::query(crate::store::sql(format!(
            "DELETE FROM {cache} WHERE attachment_id IN (SELECT id FROM attachments WHERE {WHICH})"
        )))
        .bind(before_ms)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(crate::store::sql(format!(
        "DELETE FROM attachments WHERE {WHICH}"
    )))
    .bind(before_ms)
    .execute(&mut *conn)
    .await?;
    Ok(keys)
}
