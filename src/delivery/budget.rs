//! The daily push budget, applied where every push passes: when a worker has claimed its rows
//! and before it sends them. A member gets at most `per_day` non-urgent pushes a day (in the
//! organisation's zone, counted across channels and replicas); the next ones are held (their
//! outbox rows become `held`, with a `push_holds` row) for the day's digest, which the
//! `push-digest` job sends at the digest hour.
//!
//! Never held: urgent rows (urgent notices and their nudges; replies, which the engine queues
//! as urgent because they answer what the member just did), a push that would expire before
//! the digest (a ballot or sign-up with a deadline, a meeting reminder before the meeting), the
//! digest itself, and rows without a member (anonymous replies, strangers).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::domain::pushes::Budget;
use crate::store::outbox::Claimed;
use crate::store::{pushes, Backend, Store, StoreError};

/// Holds the rows of `batch` that are over their member's budget; returns the rest, in order.
pub async fn apply(
    store: &Store,
    budget: &Budget,
    batch: Vec<Claimed>,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>, StoreError> {
    let candidates: Vec<&Claimed> = batch
        .iter()
        .filter(|c| !c.urgent && c.member_id.is_some())
        .collect();
    if budget.per_day <= 0 || candidates.is_empty() {
        return Ok(batch);
    }
    let now_ms = now.timestamp_millis();
    let (_, from, _) = budget.day(now);
    let mut tx = store.begin().await?;
    let ids: Vec<i64> = candidates.iter().map(|c| c.id).collect();
    let keys: HashMap<i64, String> = pushes::dedupe_keys(&mut tx, &ids)
        .await?
        .into_iter()
        .collect();
    let mut people: Vec<i64> = candidates.iter().filter_map(|c| c.member_id).collect();
    people.sort_unstable();
    people.dedup();
    if store.backend() == Backend::Postgres {
        pushes::lock_members(&mut tx, &people).await?;
    }
    // One claim, one token: rows of this batch are counted as they are let through.
    let token = &candidates[0].lease_token;
    let mut counts: HashMap<i64, i64> = pushes::counted_since(&mut tx, &people, from, token)
        .await?
        .into_iter()
        .collect();
    let mut held = HashSet::new();
    for c in candidates {
        let Some(member) = c.member_id else { continue };
        let key = keys.get(&c.id).map(String::as_str).unwrap_or_default();
        let count = counts.get(&member).copied().unwrap_or(0);
        if count >= budget.per_day
            && budget.may_hold(now, c.expires_at, key)
            && pushes::hold(&mut tx, c.id, member, &c.lease_token, now_ms).await?
        {
            tracing::debug!(outbox_id = c.id, member, "held for the digest");
            held.insert(c.id);
            counts.insert(member, count);
        } else {
            counts.insert(member, count + 1);
        }
    }
    tx.commit().await?;
    Ok(batch
        .into_iter()
        .filter(|c| !held.contains(&c.id))
        .collect())
}
