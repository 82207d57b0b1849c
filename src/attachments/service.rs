//! What chat, the dashboard, the command line and reports call. An upload is checked (size,
//! kind sniffed from the bytes), a photo loses its metadata, the object is written whole
//! under a generated key and only then is its row inserted, so a row never names a missing
//! object and a refused upload leaves nothing behind.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::storage::{self, Storage};
use super::{sniff, store, Attachment, Files, Owner, Refusal, Upload};
use crate::store::{Conn, StoreError};

/// Takes an upload: refuses it (nothing stored) or stores it, unlinked, and gives its row.
/// The row is written in the caller's transaction; should that transaction roll back, the
/// object is left without a row (never a row without its object).
pub async fn accept(
    files: &Files,
    conn: &mut Conn,
    upload: Upload<'_>,
) -> anyhow::Result<Result<Attachment, Refusal>> {
    let sniffed = match sniff::check(upload.bytes, files.limit_bytes(), files.allowed()) {
        Ok(s) => s,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let bytes = match sniff::strip_metadata(upload.bytes, sniffed.content_type) {
        Ok(b) => b,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let display_name = sniff::display_name(upload.declared_name, &sniffed);
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let key = storage::new_key(sniffed.extension);
    let size = i64::try_from(bytes.len())?;
    files.backend().put(&key, &bytes).await?;
    let row = store::NewRow {
        object_key: &key,
        kind: sniffed.kind,
        content_type: sniffed.content_type,
        size,
        display_name: &display_name,
        sha256: &sha256,
        uploaded_by: upload.uploaded_by,
        created_at: upload.at,
    };
    let id = match store::insert(conn, &row).await {
        Ok(id) => id,
        Err(e) => {
            if let Err(cleanup) = files.backend().delete(&key).await {
                tracing::warn!(error = %cleanup, "an attachment's object outlived its failed row");
            }
            return Err(e.into());
        }
    };
    Ok(Ok(Attachment {
        id,
        owner: None,
        kind: sniffed.kind,
        content_type: sniffed.content_type.to_owned(),
        size,
        display_name,
        sha256,
        uploaded_by: upload.uploaded_by,
        created_at: DateTime::from_timestamp_millis(upload.at.timestamp_millis())
            .unwrap_or(upload.at),
        object_key: key,
    }))
}

/// Links an attachment to what it belongs to (moving it when it was linked before).
pub async fn link(conn: &mut Conn, id: i64, owner: Owner) -> Result<(), StoreError> {
    if store::link(conn, id, owner, Utc::now().timestamp_millis()).await? {
        Ok(())
    } else {
        Err(StoreError::Db(sqlx::Error::RowNotFound))
    }
}

/// An owner's attachments, oldest first.
pub async fn list_for(conn: &mut Conn, owner: Owner) -> Result<Vec<Attachment>, StoreError> {
    store::list_for(conn, owner).await
}

/// What a member uploaded since `since` that is not linked yet, oldest first.
pub async fn unlinked_of(
    conn: &mut Conn,
    member_id: i64,
    since: DateTime<Utc>,
) -> Result<Vec<Attachment>, StoreError> {
    store::unlinked_of(conn, member_id, since.timestamp_millis()).await
}

/// One attachment by id.
pub async fn get(conn: &mut Conn, id: i64) -> Result<Option<Attachment>, StoreError> {
    store::get(conn, id).await
}

/// The stored bytes (a photo without its metadata).
pub async fn read(files: &Files, a: &Attachment) -> anyhow::Result<Vec<u8>> {
    files.backend().get(&a.object_key).await
}

/// The largest upload taken, in bytes: refuse before downloading when the size is known.
pub fn limit_bytes(files: &Files) -> u64 {
    files.limit_bytes()
}

/// Objects no row names and written before `before`: left by an upload whose transaction
/// rolled back, or by a write cut short. Deleted unless `dry_run`; their keys, sorted.
/// (An upload in progress has written its object but not yet committed its row, so only
/// objects older than a while are strays.)
pub async fn sweep(
    files: &Files,
    conn: &mut Conn,
    before: DateTime<Utc>,
    dry_run: bool,
) -> anyhow::Result<Vec<String>> {
    let named: std::collections::HashSet<String> =
        store::all_keys(conn).await?.into_iter().collect();
    let mut strays = Vec::new();
    for stored in files.backend().list().await? {
        if stored.modified < before && !named.contains(&stored.key) {
            if !dry_run {
                files.backend().delete_stray(&stored.key).await?;
            }
            strays.push(stored.key);
        }
    }
    Ok(strays)
}

/// How long an upload may wait unlinked (不归档, a draft never saved) before it is forgotten.
pub const UNLINKED_DAYS: i64 = 7;

/// The daily tidy-up: first removes stray objects older than an hour (so objects of rows
/// forgotten by an earlier run, once that run committed), then forgets, in `conn`'s
/// transaction, uploads left unlinked for [`UNLINKED_DAYS`]. Their objects go on the next run:
/// deleting them before this transaction commits could leave a row naming a missing object.
/// Gives (strays removed, uploads forgotten).
pub async fn tidy(
    files: &Files,
    conn: &mut Conn,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let strays = sweep(files, conn, now - chrono::TimeDelta::hours(1), false).await?;
    let forgotten = store::forget_unlinked(
        conn,
        (now - chrono::TimeDelta::days(UNLINKED_DAYS)).timestamp_millis(),
    )
    .await?;
    Ok((strays.len(), forgotten.len()))
}
