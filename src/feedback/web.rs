//! Feedback from the web page (`http::feedback`): the same one-rating-per-period tags, the
//! same sealed pool and the same reply codes as the chat, for a sender the page's check names
//! (a verified mobile number, a WeCom account, or a signed browser cookie).
//!
//! A mobile number verified by SMS makes exactly the tag an SMS from that number would
//! (channel `sms`, the E.164 number), so a person who rated on the page cannot rate the same
//! target again by texting "评价", nor the other way round. The number itself is never stored:
//! only the keyed tags made from it, and those only as the chat stores them.

use chrono::{DateTime, Utc};

use super::rules::{self, Rating, MAX_COMMENT_CHARS};
use super::{period_key, publish, seen_tag_of, sender_tag_of, store};
use crate::store::{Conn, StoreError};

/// The channel name a browser cookie's sender is tagged under (device check).
pub const DEVICE_CHANNEL: &str = "web-device";

/// The channel name a verified mobile number is tagged under: the SMS channel's.
pub const SMS_CHANNEL: &str = "sms";

/// The channel name a WeCom member's userid (from WeCom's web authorization) is tagged under:
/// the WeCom channel's, so rating on the page and in the WeCom app meet the same tag.
pub const WECOM_CHANNEL: &str = "wecom";

/// The channel name of someone outside the organisation whom WeCom names by an `openid`.
pub const WECOM_OUTSIDER_CHANNEL: &str = "wecom-openid";

/// The keyed tags of one sender for one target in one period. They hold no number and no
/// cookie, and cannot be recomputed once the period's secret is erased.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tags {
    pub period: String,
    pub target_id: i64,
    /// "Rated this target in this period" (`feedback_seen`).
    pub seen: String,
    /// Tells the senders of a batch apart (inside the seal only).
    pub sender: String,
}

/// What a submission from the page came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Sealed into the pool: the one-time reply code.
    Thanked(String),
    /// This sender already rated this target in this period; nothing was stored.
    Already,
    /// The period the page was opened in has ended; nothing was stored.
    PeriodEnded,
}

/// The tags of `channel`/`address` for a target in the current period; None in the instant
/// after a period ended and before the next one opens.
pub async fn tags(
    conn: &mut Conn,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    target_id: i64,
    channel: &str,
    address: &str,
) -> Result<Option<Tags>, StoreError> {
    let Some((period, key)) = period_key(now, tz, conn).await? else {
        return Ok(None);
    };
    Ok(Some(Tags {
        seen: seen_tag_of(&key, target_id, channel, address),
        sender: sender_tag_of(channel, address),
        period,
        target_id,
    }))
}

/// Whether these tags already rated their target in their period.
pub async fn already(conn: &mut Conn, tags: &Tags) -> Result<bool, StoreError> {
    store::seen(conn, &tags.period, &tags.seen).await
}

/// A comment as typed: trimmed, None when empty, `Err(max)` when longer than the chat allows.
pub fn comment(text: &str) -> Result<Option<String>, usize> {
    let t = text.trim();
    if t.chars().count() > MAX_COMMENT_CHARS {
        return Err(MAX_COMMENT_CHARS);
    }
    Ok((!t.is_empty()).then(|| t.to_owned()))
}

/// Marks the tags as having rated and seals the submission into the pending pool, in the
/// caller's transaction (its commit is what the thank-you promises), unless the period the
/// tags were made in has ended or they already rated.
pub async fn submit(
    conn: &mut Conn,
    now: DateTime<Utc>,
    tz: chrono_tz::Tz,
    tags: &Tags,
    rating: Rating,
    body: Option<String>,
) -> Result<Outcome, StoreError> {
    if rules::period(now, tz).0 != tags.period {
        return Ok(Outcome::PeriodEnded);
    }
    if !store::mark_seen(conn, &tags.period, &tags.seen).await? {
        return Ok(Outcome::Already);
    }
    let code = rules::new_reply_code();
    publish::submit(
        conn,
        &publish::Entry {
            target_id: tags.target_id,
            period: tags.period.clone(),
            rating: rating.as_i64(),
            body,
            reply_hash: super::code_hash(&code),
            sender: tags.sender.clone(),
        },
    )
    .await?;
    Ok(Outcome::Thanked(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_is_trimmed_an_empty_one_is_none_and_a_long_one_is_refused() {
        assert_eq!(comment("  楼道灯坏了 \n"), Ok(Some("楼道灯坏了".into())));
        assert_eq!(comment("   "), Ok(None));
        assert_eq!(
            comment(&"吵".repeat(MAX_COMMENT_CHARS)).map(|c| c.is_some()),
            Ok(true)
        );
        assert_eq!(
            comment(&"吵".repeat(MAX_COMMENT_CHARS + 1)),
            Err(MAX_COMMENT_CHARS)
        );
    }
}
