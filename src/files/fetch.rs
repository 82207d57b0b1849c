//! Fetching a file someone sent, outside the update's transaction. The engine runs an update
//! with a file in two passes: the first (in its transaction, as any update) decides whether the
//! file is wanted at all — an anonymous exchange refuses it, a stranger is told how to bind, a
//! declared size over the limit is refused —, and only when it is wanted is the transaction
//! rolled back and the file fetched here, with no database lock held. What the fetch came to
//! ([`Fetched`]) is written into the stored update, together with the attachment row when it was
//! accepted, in one transaction; the second pass then runs the update as usual and reads the
//! outcome. A crash between the two passes fetches again (nothing was written); a crash after
//! fetches nothing twice.
//!
//! A fetch that fails transiently (the platform's file server down, a timeout, the storage
//! unwritable) is tried again later — the update stays pending with a time to retry, while the
//! other updates go on — and after [`MAX_ATTEMPTS`] the sender is told it could not be fetched.

use crate::attachments::{self, service, Refusal, Upload};
use crate::chat::sources::FetchError;
use crate::chat::{Content, Fetched, FileRef};
use crate::flows::engine::{Engine, InboxItem};
use crate::store::{inbox, StoreError};

/// How many times a fetch that fails transiently is tried before the sender is told.
pub const MAX_ATTEMPTS: u32 = 10;

/// The wait before the first retry; it doubles after each failure, up to [`MAX_BACKOFF_MS`].
pub const FIRST_BACKOFF_MS: i64 = 2_000;

/// The longest wait between two tries.
pub const MAX_BACKOFF_MS: i64 = 5 * 60_000;

/// When the `attempt`-th failed fetch is tried again, `now` being the failure.
pub fn retry_at(now: i64, attempt: u32) -> i64 {
    let backoff = FIRST_BACKOFF_MS.saturating_mul(1_i64 << attempt.min(20).saturating_sub(1));
    now + backoff.min(MAX_BACKOFF_MS)
}

/// What a refusal is written as in the stored update.
pub fn refused(r: &Refusal) -> Fetched {
    match r {
        Refusal::Empty => Fetched::Refused {
            message: "empty".into(),
            limit_bytes: 0,
            detected: String::new(),
        },
        Refusal::TooLarge { limit_bytes } => Fetched::Refused {
            message: "too_large".into(),
            limit_bytes: *limit_bytes,
            detected: String::new(),
        },
        Refusal::TypeNotAllowed { detected } => Fetched::Refused {
            message: "type".into(),
            limit_bytes: 0,
            detected: detected.clone(),
        },
        Refusal::Damaged { detected } => Fetched::Refused {
            message: "damaged".into(),
            limit_bytes: 0,
            detected: detected.clone(),
        },
    }
}

/// The refusal a stored outcome names (None: not a refusal this version writes).
pub fn refusal_of(message: &str, limit_bytes: u64, detected: &str) -> Option<Refusal> {
    match message {
        "empty" => Some(Refusal::Empty),
        "too_large" => Some(Refusal::TooLarge { limit_bytes }),
        "type" => Some(Refusal::TypeNotAllowed {
            detected: detected.to_owned(),
        }),
        "damaged" => Some(Refusal::Damaged {
            detected: detected.to_owned(),
        }),
        _ => None,
    }
}

/// Fetches the file of inbox row `inbox_id` (whose stored update is `item`) for `member_id`,
/// and records the outcome in the update. `Ok(true)`: the outcome is recorded, process the
/// update again; `Ok(false)`: it is to be retried later (or another replica has it).
pub async fn run(
    engine: &Engine,
    inbox_id: i64,
    item: &InboxItem,
    member_id: Option<i64>,
) -> Result<bool, StoreError> {
    let Content::File(file) = &item.inbound.content else {
        return Ok(true);
    };
    let limit = service::limit_bytes(&engine.files);
    let fetched = match engine.sources.get(item.inbound.channel) {
        Some(source) => source.fetch(file, limit).await,
        None => Err(FetchError::Permanent(format!(
            "no file source for {}",
            item.inbound.channel.as_str()
        ))),
    };
    let now = engine.clock.now_ms();
    let mut tx = engine.store.begin().await?;
    // Still ours and still unfetched: a replica that got here first has recorded its outcome.
    let Some(row) = inbox::claim(&engine.store, &mut tx, inbox_id, now).await? else {
        tx.rollback().await?;
        return Ok(false);
    };
    let unfetched = serde_json::from_str::<InboxItem>(&row.payload)
        .ok()
        .filter(|c| {
            matches!(
                &c.inbound.content,
                Content::File(FileRef { outcome: None, .. })
            )
        });
    let Some(mut item) = unfetched else {
        tx.rollback().await?;
        return Ok(true);
    };
    let transient = |why: String| {
        tracing::warn!(inbox_id, error = %why, "a file could not be fetched; will retry");
    };
    let outcome = match fetched {
        Ok(bytes) => {
            let upload = Upload {
                bytes: &bytes,
                declared_name: file.name.as_deref(),
                uploaded_by: member_id,
                at: engine.clock.now(),
            };
            match attachments::service::accept(&engine.files, &mut tx, upload).await {
                Ok(Ok(a)) => Some(Fetched::Stored { attachment: a.id }),
                Ok(Err(r)) => Some(refused(&r)),
                // The storage could not take it (full, unreachable): like a failed fetch.
                Err(e) => {
                    transient(format!("{e:#}"));
                    tx.rollback().await?;
                    tx = engine.store.begin().await?;
                    if inbox::claim(&engine.store, &mut tx, inbox_id, now)
                        .await?
                        .is_none()
                    {
                        tx.rollback().await?;
                        return Ok(false);
                    }
                    None
                }
            }
        }
        Err(FetchError::TooLarge) => Some(refused(&Refusal::TooLarge { limit_bytes: limit })),
        Err(FetchError::Permanent(why)) => {
            tracing::warn!(inbox_id, error = %why, "a file cannot be fetched; the sender is told");
            Some(Fetched::Failed)
        }
        Err(FetchError::Transient(why)) => {
            transient(why);
            None
        }
    };
    let Content::File(stored) = &mut item.inbound.content else {
        return Ok(true);
    };
    let again = match outcome {
        Some(outcome) => {
            stored.outcome = Some(outcome);
            stored.retry_at = None;
            true
        }
        None => {
            stored.attempts += 1;
            if stored.attempts >= MAX_ATTEMPTS {
                stored.outcome = Some(Fetched::Failed);
                stored.retry_at = None;
                true
            } else {
                stored.retry_at = Some(retry_at(now, stored.attempts));
                false
            }
        }
    };
    let payload = serde_json::to_string(&item).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    inbox::replace_payload(&mut tx, inbox_id, &payload).await?;
    tx.commit().await?;
    Ok(again)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_fetch_waits_two_seconds_then_twice_as_long_each_time_up_to_five_minutes() {
        assert_eq!(retry_at(0, 1), 2_000);
        assert_eq!(retry_at(0, 2), 4_000);
        assert_eq!(retry_at(0, 3), 8_000);
        assert_eq!(retry_at(0, 9), MAX_BACKOFF_MS);
        assert_eq!(retry_at(0, 40), MAX_BACKOFF_MS);
    }

    #[test]
    fn every_refusal_is_written_and_read_back_as_the_same_refusal() {
        for r in [
            Refusal::Empty,
            Refusal::TooLarge {
                limit_bytes: 10 << 20,
            },
            Refusal::TypeNotAllowed {
                detected: "application/x-executable".into(),
            },
            Refusal::Damaged {
                detected: "image/jpeg".into(),
            },
        ] {
            let Fetched::Refused {
                message,
                limit_bytes,
                detected,
            } = refused(&r)
            else {
                panic!("{r:?} is a refusal");
            };
            let back = refusal_of(&message, limit_bytes, &detected).unwrap();
            assert_eq!(back.message_id(), r.message_id());
            assert_eq!(format!("{back:?}"), format!("{r:?}"));
        }
    }
}
