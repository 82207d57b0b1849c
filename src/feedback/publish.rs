//! The pending pool and its publication. A submission is sealed into `feedback_pool` in the
//! sender's transaction (that commit is what the thank-you promises); the `feedback-publish`
//! job opens the pool and, once it holds submissions from at least k distinct senders, moves
//! all of them into `feedback` in one transaction of its own, in random order, dated by the
//! day of publication. A smaller pool waits for the next run. So the row a comment lands in
//! shares no transaction, position or time with the update that brought it (docs/PRIVACY.md).

use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use super::{rules, store};
use crate::anonymity;
use crate::store::{Conn, StoreError};

/// The smallest batch, whatever the configuration says.
pub const MIN_BATCH: usize = 5;

/// The purpose the pool is sealed for.
const PURPOSE: &str = "feedback-pool";

/// Sealed entries are padded to a multiple of this many bytes: a 500-character comment in
/// Chinese with its fields fits in one block, so every ordinary entry has the same size.
const BLOCK: usize = 4096;

/// The batch size: `BRANCHBOT_FEEDBACK_BATCH` (at least [`MIN_BATCH`]), else [`MIN_BATCH`].
pub fn batch_size() -> usize {
    std::env::var("BRANCHBOT_FEEDBACK_BATCH")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(MIN_BATCH)
        .max(MIN_BATCH)
}

/// What one submission holds, sealed in the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The target.
    pub target_id: i64,
    /// The period it counts in (the month it was given in).
    pub period: String,
    pub rating: i64,
    pub body: Option<String>,
    /// The keyed hash of the reply code.
    pub reply_hash: String,
    /// A keyed hash of the sender, only to count distinct senders in a batch.
    pub sender: String,
}

/// Seals an entry and puts it in the pool, in the caller's (the sender's) transaction.
pub async fn submit(conn: &mut Conn, entry: &Entry) -> Result<(), StoreError> {
    let json = serde_json::to_vec(entry).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let sealed = anonymity::seal(PURPOSE, &json, BLOCK);
    store::pool_insert(conn, &rules::new_pool_id(), &sealed).await
}

/// The pooled entries that open under the current key: `(pool id, entry)`. Entries sealed
/// under another key are left where they are (and counted by [`publish`]).
pub async fn pooled(conn: &mut Conn) -> Result<(Vec<(String, Entry)>, usize), StoreError> {
    let mut open = Vec::new();
    let mut unreadable = 0;
    for (id, sealed) in store::pool(conn).await? {
        match anonymity::open(PURPOSE, &sealed).and_then(|b| serde_json::from_slice(&b).ok()) {
            Some(entry) => open.push((id, entry)),
            None => unreadable += 1,
        }
    }
    Ok((open, unreadable))
}

/// What a publication run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// Entries moved into `feedback`.
    pub published: usize,
    /// Entries still waiting (too few distinct senders).
    pub waiting: usize,
    /// Entries that no longer open (sealed under a key that was replaced).
    pub unreadable: usize,
    /// Targets that got new comments.
    pub commented: Vec<i64>,
}

/// Publishes the pool if it holds submissions from at least `k` distinct senders: all of them,
/// in random order, each dated `day`. Runs inside the caller's transaction.
pub async fn publish(conn: &mut Conn, day: &str, k: usize) -> Result<Published, StoreError> {
    let (mut entries, unreadable) = pooled(conn).await?;
    let mut senders: Vec<&str> = entries.iter().map(|(_, e)| e.sender.as_str()).collect();
    senders.sort_unstable();
    senders.dedup();
    if senders.len() < k.max(MIN_BATCH) {
        return Ok(Published {
            waiting: entries.len(),
            unreadable,
            ..Published::default()
        });
    }
    entries.shuffle(&mut rand::rng());
    let ids: Vec<String> = entries.iter().map(|(id, _)| id.clone()).collect();
    // Two runs at once (replicas, or a run and a retry) both read the pool; the second one's
    // deletes find the rows gone once the first commits, and it must not publish them again.
    if store::pool_remove(conn, &ids).await? != ids.len() as u64 {
        return Err(StoreError::Corrupt(
            "the pool changed while it was being published; the run is retried".into(),
        ));
    }
    let mut commented = Vec::new();
    for (_, e) in &entries {
        let body = e.body.as_deref().filter(|b| !b.is_empty());
        store::insert(
            conn,
            &store::NewFeedback {
                id: &rules::new_feedback_id(),
                target_id: e.target_id,
                period: &e.period,
                day,
                rating: e.rating,
                body,
                reply_hash: &e.reply_hash,
            },
        )
        .await?;
        if body.is_some() && !commented.contains(&e.target_id) {
            commented.push(e.target_id);
        }
    }
    commented.sort_unstable();
    Ok(Published {
        published: entries.len(),
        waiting: 0,
        unreadable,
        commented,
    })
}

/// Whether a reply code belongs to a submission still waiting in the pool.
pub async fn pending_code(conn: &mut Conn, reply_hash: &str) -> Result<bool, StoreError> {
    let (entries, _) = pooled(conn).await?;
    Ok(entries.iter().any(|(_, e)| e.reply_hash == reply_hash))
}

/// Tells the residents of each target with newly published comments, the member it names and
/// its branch's secretaries, so the comments get answered. Queued in the run's transaction,
/// once per person, target and day. Returns the channels to wake.
pub async fn announce(
    conn: &mut Conn,
    ctx: &crate::scheduler::job::JobContext,
    targets: &[i64],
) -> Result<Vec<crate::flows::ChannelKind>, StoreError> {
    use crate::msg;
    let catalog = crate::i18n::Catalog::shared();
    let now = chrono::DateTime::from_timestamp_millis(ctx.now).unwrap_or_default();
    let day = rules::day(now, ctx.tz);
    let mut wake = Vec::new();
    for &target_id in targets {
        let Some(target) = store::target_by_id(conn, target_id).await? else {
            continue;
        };
        for member_id in store::told_of_comments(conn, target_id).await? {
            let Some(member) = crate::store::members::by_id(conn, member_id).await? else {
                continue;
            };
            if !member.active {
                continue;
            }
            let text = catalog.render(
                member.locale,
                msg!("feedback-published"),
                &[
                    (
                        "kind",
                        catalog
                            .render(member.locale, super::kind_msg(&target.kind), &[])
                            .into(),
                    ),
                    ("name", target.name.as_str().into()),
                ],
            );
            let push = crate::scheduler::job::now(
                ctx,
                format!("feedback:published:{target_id}:{day}:{member_id}"),
            );
            crate::scheduler::job::push(
                conn,
                ctx,
                &member,
                &crate::flows::Reply::text(text),
                &push,
                &mut wake,
            )
            .await?;
        }
    }
    Ok(wake)
}
