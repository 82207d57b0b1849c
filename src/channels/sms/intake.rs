//! The SMS front desk: what happens to an authenticated text message, decided in one
//! transaction with its inbox row (so a redelivered message changes nothing twice).
//!
//! - STOP, STOPALL, UNSUBSCRIBE, 退订, TD, R, 拒收 opt the number out of non-urgent messages
//!   (confirmed once; a second STOP is not answered, so two robots cannot ping-pong);
//!   START, UNSTOP, 订阅 opt back in; HELP, 帮助 say what the number is for. These work for
//!   anyone, and before any conversation step.
//! - A number that is not in the roster gets one short explanation a day. Only a keyed hash
//!   of (number, day) is kept to know it was answered; its text is never stored.
//! - A member's text longer than [`MAX_INBOUND_CHARS`] is answered with a request to send
//!   less and not stored.
//! - Anything else from a member is left in the inbox for the conversation engine.

use chrono_tz::Tz;

use super::{guess_locale, local_day, Received, MAX_INBOUND_CHARS};
use crate::chat::{ChannelKind, Content, Inbound};
use crate::domain::org::Member;
use crate::domain::phone::Phone;
use crate::flows::engine::{Engine, InboxItem};
use crate::i18n::Locale;
use crate::msg;
use crate::store::{inbox, outbox, sms, StoreError};

/// A keyword the SMS channel answers itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    Stop,
    Start,
    Help,
}

/// The keyword a whole message is, ignoring case, spaces, full-width forms and trailing
/// punctuation ("stop", "ＴＤ", "退订。"). A keyword inside a sentence is not one.
pub fn keyword(text: &str) -> Option<(Keyword, String)> {
    let folded = crate::chat::fold(text);
    let word: String = folded
        .trim()
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || "。！？，、".contains(c))
        .trim()
        .to_uppercase();
    let k = match word.as_str() {
        "STOP" | "STOPALL" | "UNSUBSCRIBE" | "退订" | "TD" | "R" | "拒收" => Keyword::Stop,
        "START" | "UNSTOP" | "订阅" => Keyword::Start,
        "HELP" | "帮助" => Keyword::Help,
        _ => return None,
    };
    Some((k, word))
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intake {
    /// Seen before (the gateway redelivered it): nothing done.
    Duplicate,
    /// Left in the inbox for the conversation engine.
    Queued,
    /// Answered (or deliberately not) at the door; nothing left to do.
    Handled,
    /// Not from a phone number the bot can answer (a short code, a name): acknowledged only.
    Ignored,
}

/// The tag an unknown number is remembered by for one local day: HMAC(key, number, day).
fn stranger_tag(key: &[u8], phone: &Phone, day_start: i64) -> String {
    hex::encode(super::signature::hmac_sha256(
        key,
        &[
            b"stranger\0",
            phone.as_str().as_bytes(),
            b"\0",
            day_start.to_string().as_bytes(),
        ],
    ))
}

/// Takes one authenticated message in.
pub async fn take(
    engine: &Engine,
    stranger_key: &[u8],
    tz: Tz,
    msg: &Received,
) -> Result<Intake, StoreError> {
    let Ok(phone) = msg.from.parse::<Phone>() else {
        tracing::debug!("SMS from a sender that is not a phone number; ignored");
        engine.receive_ignored(ChannelKind::Sms, &msg.id).await?;
        return Ok(Intake::Ignored);
    };
    let now = engine.clock.now();
    let now_ms = now.timestamp_millis();
    let mut tx = engine.store.begin().await?;
    let member = sms::member_by_phone(&mut tx, phone.as_str()).await?;
    let keyword = keyword(&msg.text);
    let inbound = Inbound {
        channel: ChannelKind::Sms,
        address: phone.as_str().to_owned(),
        content: if msg.media && msg.text.trim().is_empty() {
            Content::Unsupported
        } else {
            Content::Text {
                text: msg.text.clone(),
            }
        },
        language_hint: None,
    };
    let short = keyword.is_none() && msg.text.chars().count() <= MAX_INBOUND_CHARS;
    // An unknown number may rate anonymously ("评价 305", an answer to a rating in progress,
    // `/reply`): the feedback feature answers it before any conversation
    // (`Feature::wants_stranger`), and keeps nothing about the number.
    let for_engine = short
        && (member.is_some()
            || engine
                .features
                .want_stranger(engine, &mut tx, &inbound)
                .await?);
    let payload = if for_engine {
        let item = InboxItem { inbound, ack: None };
        serde_json::to_string(&item).map_err(|e| StoreError::Corrupt(e.to_string()))?
    } else {
        // Nothing of what an opt-out, a stranger or an over-long text said is kept.
        String::new()
    };
    let Some(inbox_id) = inbox::insert(&mut tx, "sms", &msg.id, &payload, now_ms).await? else {
        tx.rollback().await?;
        return Ok(Intake::Duplicate);
    };
    if for_engine {
        tx.commit().await?;
        return Ok(Intake::Queued);
    }
    // TD and R are the opt-out words of Chinese carriers, not English: they say nothing about
    // the sender's language, so a stranger sending them is answered in the organisation's.
    let telling = !matches!(&keyword, Some((_, w)) if w == "TD" || w == "R");
    let locale = member
        .as_ref()
        .map(|m| m.locale)
        .or_else(|| guess_locale(&msg.text).filter(|_| telling))
        .unwrap_or(engine.org_locale);
    let catalog = &engine.catalog;
    let (day_start, day_end) = local_day(now, tz);
    let tag = stranger_tag(stranger_key, &phone, day_start);
    let reply = match (keyword, &member) {
        (Some((Keyword::Stop, word)), _) => {
            let newly = sms::opt_out(&mut tx, phone.as_str(), &word, now_ms).await?;
            if newly {
                log_opt_out(member.as_ref().map(|m| m.id));
            }
            newly.then(|| catalog.text(locale, msg!("sms-stopped")))
        }
        (Some((Keyword::Start, _)), _) => {
            sms::opt_in(&mut tx, phone.as_str()).await?;
            Some(catalog.text(locale, msg!("sms-started")))
        }
        (Some((Keyword::Help, _)), Some(m)) => Some(help(engine, locale, m)),
        (Some((Keyword::Help, _)), None) => {
            sms::first_from_stranger(&mut tx, &tag, day_end, now_ms)
                .await?
                .then(|| catalog.text(locale, msg!("sms-help-stranger")))
        }
        (None, None) => sms::first_from_stranger(&mut tx, &tag, day_end, now_ms)
            .await?
            .then(|| catalog.text(locale, msg!("sms-unknown"))),
        (None, Some(_)) => Some(catalog.render(
            locale,
            msg!("error-too-long"),
            &[("max", MAX_INBOUND_CHARS.into())],
        )),
    };
    let status = if reply.is_some() { "done" } else { "ignored" };
    if let Some(body) = &reply {
        let message = outbox::NewMessage {
            channel: "sms".into(),
            address: phone.as_str().to_owned(),
            member_id: member.as_ref().map(|m| m.id),
            segments: super::encoding::segments(body) as i64,
            body: body.clone(),
            choices_json: "[]".into(),
            dedupe_key: format!("reply:sms:{}:{inbox_id}:0", msg.id),
            // An answer to what the person just sent: it passes the opt-out and the cap.
            urgent: true,
            not_before: now_ms,
            expires_at: Some(now_ms + 24 * 3600 * 1000),
        };
        outbox::enqueue(&mut tx, &[message], now_ms).await?;
    }
    inbox::finish(&mut tx, inbox_id, status, None, now_ms).await?;
    tx.commit().await?;
    if reply.is_some() {
        engine.wake.notify(ChannelKind::Sms);
    }
    Ok(Intake::Handled)
}

/// Logs an opt-out. Whether the number belongs to a member (and which) is said at debug
/// level only: the info log does not tell who is on the roster.
fn log_opt_out(member: Option<i64>) {
    tracing::info!("SMS opt-out");
    tracing::debug!(
        member,
        "SMS opt-out by this member (none: not on the roster)"
    );
}

/// What HELP tells a member.
fn help(engine: &Engine, locale: Locale, member: &Member) -> String {
    engine.catalog.render(
        locale,
        msg!("sms-help-member"),
        &[("name", member.name.as_str().into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the log says at `level` while `f` runs.
    fn logged(level: tracing::Level, f: impl FnOnce()) -> String {
        use std::sync::{Arc, Mutex};
        #[derive(Clone)]
        struct Buf(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Buf {
            fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let buf = Buf(Arc::default());
        let writer = buf.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            // No timestamp: "18:42:39.675842" would hold the digits the test looks for.
            .without_time()
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::with_default(subscriber, || {
            // Whether a log line is wanted is cached per call site, and another test's thread
            // may have cached "no" while no subscriber listened there: ask again under ours.
            tracing::callsite::rebuild_interest_cache();
            f()
        });
        let out = buf.0.lock().unwrap().clone();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn an_opt_out_says_whether_the_sender_is_a_member_only_at_debug_level() {
        let info = logged(tracing::Level::INFO, || log_opt_out(Some(42)));
        assert!(info.contains("SMS opt-out"), "{info}");
        assert!(!info.contains("member"), "{info}");
        assert!(!info.contains("42"), "{info}");
        // Tracing caches per call site whether anyone listens; a test on another thread that
        // registers a call site at the same moment can leave that cache stale for one call, so
        // the debug line is asked for a few times (it must appear at least once).
        let debug = (0..5)
            .map(|_| logged(tracing::Level::DEBUG, || log_opt_out(Some(42))))
            .find(|d| d.contains("member=42"))
            .unwrap_or_default();
        assert!(
            debug.contains("member=42"),
            "no debug line names the member"
        );
    }

    #[test]
    fn keywords_are_whole_messages_in_any_case_or_width() {
        assert_eq!(keyword("STOP").map(|k| k.0), Some(Keyword::Stop));
        assert_eq!(keyword(" stop. ").map(|k| k.0), Some(Keyword::Stop));
        assert_eq!(keyword("退订").map(|k| k.0), Some(Keyword::Stop));
        assert_eq!(keyword("ＴＤ").map(|k| k.0), Some(Keyword::Stop));
        assert_eq!(keyword("r").map(|k| k.0), Some(Keyword::Stop));
        assert_eq!(keyword("订阅！").map(|k| k.0), Some(Keyword::Start));
        assert_eq!(keyword("Help").map(|k| k.0), Some(Keyword::Help));
        assert_eq!(keyword("帮助").map(|k| k.0), Some(Keyword::Help));
        assert_eq!(keyword("please stop"), None);
        assert_eq!(keyword("2 出差"), None);
        assert_eq!(keyword("/help"), None);
    }
}
