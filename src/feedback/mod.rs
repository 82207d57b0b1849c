//! Anonymous feedback: anyone, bound or not, opens `/start fb_<code>` (the plaque's QR code) or
//! texts "评价 <code>" / "PJ <code>", picks a rating, may add a comment, and gets a one-time
//! reply code. `/reply <code>` later shows the branch's answer.
//!
//! Anonymity by construction (docs/PRIVACY.md). The sender is known only here, while the
//! update is processed; what is stored is:
//! - the rating in progress, keyed by a keyed hash of the sender, the picked rating sealed,
//!   deleted in the transaction that pools the submission;
//! - "this sender rated this target in this period", a keyed hash with no content, whose key
//!   (the period's secret) is erased when the period ends;
//! - the submission itself, sealed and padded into the pending pool under a random id
//!   ([`publish`]); the `feedback-publish` job later moves it into `feedback` in a mixed batch
//!   of at least k senders, in a transaction of its own, dated by the day of publication.
//!
//! The engine runs [`intercept`] (this feature's `Feature::before_conversation`) before the
//! member's own conversation, so nothing is written to `conversations`, and the replies are
//! marked anonymous: queued without a member under a keyed dedupe key, sealed, and erased once
//! sent. Nothing here logs the sender.
//!
//! What the feature declares to the platform ([`Feedback`], listed in `app::features`): that
//! exchange ([`Feature::before_conversation`], and for the channels' intake of strangers
//! [`Feature::wants_stranger`]); the commands `/feedback` (with its menu line), `/reply`,
//! `/answer` and `/hide`; the `fb:` buttons; its `/help` lines; and its two job kinds
//! ([`periods`], [`publish_job`]). It has no waiting step of the conversation: a rating in
//! progress is a keyed, sealed session of its own ([`store::session`]).

pub mod load;
pub mod periods;
pub mod plaque;
pub mod publish;
pub mod publish_job;
pub mod results;
pub mod rules;
pub mod store;
pub mod web;

use sha2::{Digest, Sha256};

use crate::domain::org::Member;
use crate::flows::command::{self, Command};
use crate::flows::engine::{Engine, Step};
use crate::flows::feature::{
    Answer, CommandSpec, Configured, Feature, HelpLines, Intercepted, Wants,
};
use crate::flows::{match_choice, Choice, Content, Ctx, Inbound, Reply, State};
use crate::msg;
use crate::scheduler::Registry;
use crate::store::{Conn, StoreError};
use rules::{Rating, MAX_COMMENT_CHARS};

/// The feature's name.
pub const NAME: &str = "feedback";

/// The first field of its button data (`fb:r:1`, `fb:skip`).
pub const ACTION: &str = "fb";

/// Anonymous feedback's part of the conversation.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feedback;

const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "feedback",
        aliases: &[],
        menu: Some(msg!("menu-feedback")),
    },
    CommandSpec {
        name: "reply",
        aliases: &[],
        menu: None,
    },
    CommandSpec {
        name: "answer",
        aliases: &[],
        menu: None,
    },
    CommandSpec {
        name: "hide",
        aliases: &[],
        menu: None,
    },
];

impl Feature for Feedback {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        COMMANDS
    }

    fn actions(&self) -> &'static [&'static str] {
        &[ACTION]
    }

    /// Its menu line follows the pledges' (where `/feedback` has always stood).
    fn menu_after(&self) -> Option<&'static str> {
        Some("pledge_schedule")
    }

    /// After the campaign's line, for everyone; answering and hiding after the other
    /// features' early lines of the managing paragraph.
    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines) {
        lines.campaign_head.extend([
            format!(
                "{}\n{}",
                cx.t(msg!("help-feedback")),
                cx.t(msg!("feedback-stored"))
            ),
            cx.t(msg!("help-reply")),
        ]);
        if member.is_manager() {
            lines
                .managing_early
                .push(cx.t(msg!("help-feedback-answer")));
            if member.college {
                lines.managing_early.push(cx.t(msg!("help-feedback-hide")));
            }
        }
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        arg: Option<&'a str>,
        inbound: &'a Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            match name {
                "feedback" => results::command(cx, conn, member, arg).await,
                // The answer is kept as typed (command::parse folds full-width punctuation).
                "answer" => {
                    let raw = match &inbound.content {
                        Content::Text { text } => text
                            .trim()
                            .split_once(char::is_whitespace)
                            .map(|(_, rest)| rest.trim()),
                        _ => None,
                    };
                    results::answer(cx, conn, member, raw).await
                }
                "hide" => results::hide(cx, conn, member, arg).await,
                // `/reply` is answered by [`intercept`] before the member's conversation.
                _ => Ok(Step::text(cx.t(msg!("feedback-reply-usage")))),
            }
        })
    }

    /// A rating's button reaches here only when [`intercept`] left it, the period's secret
    /// being gone at the turn of the month: as stale as any other.
    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _state: &'a State,
        _action: &'a str,
        _value: &'a str,
    ) -> Answer<'a> {
        Box::pin(async move { Ok(Step::text(cx.t(msg!("error-stale-choice")))) })
    }

    fn before_conversation<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        inbound: &'a Inbound,
        live: bool,
    ) -> Intercepted<'a> {
        Box::pin(intercept(cx, conn, inbound, live))
    }

    fn wants_stranger<'a>(
        &'a self,
        engine: &'a Engine,
        conn: &'a mut Conn,
        inbound: &'a Inbound,
    ) -> Wants<'a> {
        Box::pin(sms_wants(engine, conn, inbound))
    }

    /// Opening and closing the rating periods; publishing the results when a period closes.
    fn jobs(&self, registry: Registry, _: Option<Configured<'_>>) -> Registry {
        registry
            .with(periods::FeedbackPeriods)
            .with(publish_job::FeedbackPublish)
    }
}

/// `/reply`, with what was typed after it.
fn reply_command(parsed: &Option<Command>) -> Option<Option<&str>> {
    match parsed {
        Some(Command::Other(name, code)) if name == "reply" => Some(code.as_deref()),
        _ => None,
    }
}

/// How long a rating in progress waits for the next answer.
const SESSION_MS: i64 = 30 * 60 * 1000;

use crate::anonymity::{hmac_hex, root_key};

/// The keys of the current period: `(period, key)`. None only if the period has just ended
/// and its secret is gone (the next update opens the new one).
async fn period_key(
    now: chrono::DateTime<chrono::Utc>,
    tz: chrono_tz::Tz,
    conn: &mut Conn,
) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let (period, ends) = rules::period(now, tz);
    let Some(secret) = store::period_secret(conn, &period, ends).await? else {
        return Ok(None);
    };
    let key = hmac_hex(root_key(), &[b"feedback-period", secret.as_bytes()]);
    Ok(Some((period, key.into_bytes())))
}

/// The keyed hash a sender's rating in progress is stored under.
fn session_tag(key: &[u8], inbound: &Inbound) -> String {
    hmac_hex(
        key,
        &[
            b"session",
            inbound.channel.as_str().as_bytes(),
            inbound.address.as_bytes(),
        ],
    )
}

/// The keyed hash that says "this sender rated this target".
fn seen_tag(key: &[u8], target_id: i64, inbound: &Inbound) -> String {
    seen_tag_of(key, target_id, inbound.channel.as_str(), &inbound.address)
}

/// [`seen_tag`] for a sender named by channel and address: the web page's checks make the
/// same tag for a mobile number as an SMS from that number would (`web`).
fn seen_tag_of(key: &[u8], target_id: i64, channel: &str, address: &str) -> String {
    hmac_hex(
        key,
        &[
            b"seen",
            target_id.to_string().as_bytes(),
            channel.as_bytes(),
            address.as_bytes(),
        ],
    )
}

/// The stored hash of a reply code: keyed, so a code seen elsewhere cannot be matched to its
/// row without the anonymity key.
pub fn code_hash(code: &str) -> String {
    crate::anonymity::keyed_hash("reply-code", &[rules::normalize(code).as_bytes()])
}

/// The plain SHA-256 that rows published before keyed hashes were stored under.
fn legacy_code_hash(code: &str) -> String {
    hex::encode(Sha256::digest(rules::normalize(code).as_bytes()))
}

/// The purpose the rating of a rating in progress is sealed for.
const SESSION_PURPOSE: &str = "feedback-session";

/// The keyed hash that tells apart the senders of a batch (inside the seal only).
fn sender_tag(inbound: &Inbound) -> String {
    sender_tag_of(inbound.channel.as_str(), &inbound.address)
}

/// [`sender_tag`] for a sender named by channel and address.
fn sender_tag_of(channel: &str, address: &str) -> String {
    crate::anonymity::keyed_hash("feedback-sender", &[channel.as_bytes(), address.as_bytes()])
}

/// "评价 305", "PJ D12-305": the SMS way to start, returning the target code.
pub fn sms_keyword(text: &str) -> Option<String> {
    let folded = crate::flows::fold(text);
    let t = folded.trim();
    let rest = ["评价", "PJ", "pj", "Pj"]
        .iter()
        .find_map(|w| t.strip_prefix(w))?;
    let code = rest.split_whitespace().next()?;
    rules::parse_code(code)
}

/// Whether an SMS from an unknown number belongs to the feedback flow (a keyword, `/reply`,
/// or an answer to a rating in progress), so the SMS intake hands it to the engine.
pub async fn sms_wants(
    engine: &Engine,
    conn: &mut Conn,
    inbound: &Inbound,
) -> Result<bool, StoreError> {
    let Content::Text { text } = &inbound.content else {
        return Ok(false);
    };
    if sms_keyword(text).is_some() || reply_command(&command::parse(text)).is_some() {
        return Ok(true);
    }
    let now = engine.clock.now();
    let Some((_, key)) = period_key(now, engine.tz, conn).await? else {
        return Ok(false);
    };
    Ok(
        store::session(conn, &session_tag(&key, inbound), now.timestamp_millis())
            .await?
            .is_some(),
    )
}

/// Runs the feedback flow if this update belongs to it. Returns the (anonymous) replies, or
/// None to let the engine handle the update as usual.
///
/// `rating_live`: whether any feedback session was live when the update was claimed (read with
/// the claim); when none was, only an update that starts a rating is looked into.
pub async fn intercept(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    rating_live: bool,
) -> Result<Option<Vec<Reply>>, StoreError> {
    let anon = |replies: Vec<Reply>| Some(replies.into_iter().map(Reply::anonymous).collect());
    let text = match &inbound.content {
        Content::Text { text } => Some(text.as_str()),
        _ => None,
    };
    let parsed = text.and_then(command::parse);
    if let Some(code) = reply_command(&parsed) {
        return Ok(anon(vec![read_answer(cx, conn, code).await?]));
    }
    let started = match &parsed {
        Some(Command::Start(Some(arg))) => arg.strip_prefix("fb_").map(str::to_owned),
        None => text.and_then(sms_keyword),
        _ => None,
    };
    let is_ours = started.is_some()
        || matches!(&inbound.content, Content::Choice { data } if data.starts_with("fb:"));
    if !is_ours && !rating_live {
        // Nobody is rating anything: this update cannot be an answer to a rating, and the
        // period's key and the sender's session need not be read.
        return Ok(None);
    }
    let Some((period, key)) = period_key(cx.now(), cx.engine.tz, conn).await? else {
        return Ok(None);
    };
    let tag = session_tag(&key, inbound);
    if let Some(code) = started {
        return Ok(anon(
            begin(cx, conn, inbound, &key, &period, &tag, &code).await?,
        ));
    }
    let session = store::session(conn, &tag, cx.now_ms).await?;
    let Some((target_id, sealed)) = session else {
        if is_ours {
            return Ok(anon(vec![Reply::text(cx.t(msg!("feedback-expired")))]));
        }
        return Ok(None);
    };
    if parsed.is_some() {
        // Any other command ends the rating in progress; the engine answers the command.
        store::drop_session(conn, &tag).await?;
        return Ok(None);
    }
    let rating = sealed.as_deref().and_then(|s| {
        let opened = crate::anonymity::open(SESSION_PURPOSE, s)?;
        Rating::from_i64(i64::from(*opened.first()?))
    });
    let replies = match rating {
        // "2 晚上有时比较吵": the rating and the comment in one message.
        None => match rating_with_comment(cx, inbound) {
            Some((rating, rest)) => {
                comment(cx, conn, &rest, &key, &period, &tag, target_id, rating).await?
            }
            None => rate(cx, conn, inbound, &tag, target_id).await?,
        },
        Some(rating) => comment(cx, conn, inbound, &key, &period, &tag, target_id, rating).await?,
    };
    Ok(anon(replies))
}

/// A typed rating followed by a comment ("2 晚上有时比较吵", "满意，很干净"): the rating, and
/// the same update carrying only the comment. None for a bare rating or anything else.
fn rating_with_comment(cx: &Ctx<'_>, inbound: &Inbound) -> Option<(Rating, Inbound)> {
    let Content::Text { text } = &inbound.content else {
        return None;
    };
    let choices = rating_choices(cx);
    let (choice, rest) = match_choice(&choices, text)?;
    let rating = choice
        .data
        .strip_prefix("fb:r:")?
        .parse()
        .ok()
        .and_then(Rating::from_i64)?;
    (!rest.trim().is_empty()).then(|| {
        let mut only_comment = inbound.clone();
        only_comment.content = Content::Text { text: rest };
        (rating, only_comment)
    })
}

fn rating_choices(cx: &Ctx<'_>) -> Vec<Choice> {
    Rating::ALL
        .iter()
        .map(|r| cx.choice(format!("fb:r:{}", r.as_i64()), rating_msg(*r)))
        .collect()
}

/// The label of a rating.
pub fn rating_msg(r: Rating) -> crate::i18n::Msg {
    match r {
        Rating::Satisfied => msg!("feedback-rating-satisfied"),
        Rating::Fair => msg!("feedback-rating-fair"),
        Rating::Dissatisfied => msg!("feedback-rating-dissatisfied"),
    }
}

/// The label of a target kind.
pub fn kind_msg(kind: &str) -> crate::i18n::Msg {
    match kind {
        "dormitory" => msg!("feedback-kind-dormitory"),
        "post" => msg!("feedback-kind-post"),
        "branch" => msg!("feedback-kind-branch"),
        _ => msg!("feedback-kind-member"),
    }
}

async fn begin(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    key: &[u8],
    period: &str,
    tag: &str,
    code: &str,
) -> Result<Vec<Reply>, StoreError> {
    let target = match rules::parse_code(code) {
        Some(code) => store::target_by_code(conn, &code).await?,
        None => None,
    };
    let Some(target) = target else {
        return Ok(vec![Reply::text(
            cx.r(msg!("feedback-unknown-target"), &[("code", code.into())]),
        )]);
    };
    if store::seen(conn, period, &seen_tag(key, target.id, inbound)).await? {
        return Ok(vec![Reply::text(cx.t(msg!("feedback-already")))]);
    }
    store::put_session(conn, tag, target.id, None, cx.now_ms + SESSION_MS).await?;
    Ok(vec![Reply::with_choices(
        cx.r(
            msg!("feedback-intro"),
            &[
                ("kind", cx.t(kind_msg(&target.kind)).into()),
                ("name", target.name.as_str().into()),
            ],
        ),
        rating_choices(cx),
    )])
}

async fn rate(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    tag: &str,
    target_id: i64,
) -> Result<Vec<Reply>, StoreError> {
    let choices = rating_choices(cx);
    if let Content::File(_) = &inbound.content {
        // Never fetched nor stored: a photo could say who sent it.
        return Ok(vec![Reply::with_choices(
            cx.t(msg!("feedback-no-files")),
            choices,
        )]);
    }
    let picked = match &inbound.content {
        Content::Choice { data } => data.strip_prefix("fb:r:").map(str::to_owned),
        Content::Text { text } => match_choice(&choices, text).map(|(c, _)| c.data[5..].to_owned()),
        Content::Unsupported | Content::File(_) => None,
    };
    let Some(rating) = picked
        .and_then(|n| n.parse().ok())
        .and_then(Rating::from_i64)
    else {
        return Ok(vec![Reply::with_choices(
            cx.t(msg!("feedback-pick-rating")),
            choices,
        )]);
    };
    // Sealed and padded like every other session value: no rating in the clear next to a tag
    // (or, on PostgreSQL, in the transaction of the sender's update).
    let sealed = crate::anonymity::seal(SESSION_PURPOSE, &[rating.as_i64() as u8], 16);
    store::put_session(conn, tag, target_id, Some(&sealed), cx.now_ms + SESSION_MS).await?;
    Ok(vec![Reply::with_choices(
        cx.t(msg!("feedback-ask-comment")),
        vec![cx.choice("fb:skip", msg!("feedback-skip"))],
    )])
}

#[allow(clippy::too_many_arguments)]
async fn comment(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    key: &[u8],
    period: &str,
    tag: &str,
    target_id: i64,
    rating: Rating,
) -> Result<Vec<Reply>, StoreError> {
    let skip = [cx.choice("fb:skip", msg!("feedback-skip"))];
    let body = match &inbound.content {
        Content::Choice { data } if data == "fb:skip" => None,
        Content::Choice { .. } | Content::Unsupported => {
            return Ok(vec![Reply::with_choices(
                cx.t(msg!("feedback-ask-comment")),
                skip.to_vec(),
            )])
        }
        // Never fetched nor stored: a photo could say who sent it.
        Content::File(_) => {
            return Ok(vec![Reply::with_choices(
                cx.t(msg!("feedback-no-files")),
                skip.to_vec(),
            )])
        }
        Content::Text { text } if match_choice(&skip, text).is_some() => None,
        Content::Text { text } => Some(text.trim().to_owned()),
    };
    if let Some(b) = &body {
        if b.chars().count() > MAX_COMMENT_CHARS {
            return Ok(vec![Reply::with_choices(
                cx.r(
                    msg!("feedback-too-long"),
                    &[("max", MAX_COMMENT_CHARS.into())],
                ),
                skip.to_vec(),
            )]);
        }
    }
    store::drop_session(conn, tag).await?;
    if !store::mark_seen(conn, period, &seen_tag(key, target_id, inbound)).await? {
        return Ok(vec![Reply::text(cx.t(msg!("feedback-already")))]);
    }
    // Sealed into the pending pool; the `feedback-publish` job publishes it in a mixed batch.
    // The commit of this transaction is what the thank-you promises.
    let code = rules::new_reply_code();
    publish::submit(
        conn,
        &publish::Entry {
            target_id,
            period: period.to_owned(),
            rating: rating.as_i64(),
            body: body.filter(|b| !b.is_empty()),
            reply_hash: code_hash(&code),
            sender: sender_tag(inbound),
        },
    )
    .await?;
    Ok(vec![Reply::text(
        cx.r(msg!("feedback-thanks"), &[("code", code.into())]),
    )])
}

async fn read_answer(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    code: Option<&str>,
) -> Result<Reply, StoreError> {
    let Some(code) = code.filter(|c| !rules::normalize(c).is_empty()) else {
        return Ok(Reply::text(cx.t(msg!("feedback-reply-usage"))));
    };
    Ok(Reply::text(match answer_by_code(conn, code).await? {
        None => cx.r(msg!("feedback-reply-unknown"), &[("code", code.into())]),
        Some(None) => cx.t(msg!("feedback-reply-pending")),
        Some(Some(answer)) => cx.r(msg!("feedback-reply-answer"), &[("answer", answer.into())]),
    }))
}

/// What a reply code leads to: None when no submission has it, `Some(None)` while it is not
/// answered (or still waits in the pool), `Some(Some(answer))` once the branch has answered.
pub async fn answer_by_code(
    conn: &mut Conn,
    code: &str,
) -> Result<Option<Option<String>>, StoreError> {
    let hash = code_hash(code);
    let mut found = store::answer_by_code(conn, &hash).await?;
    if found.is_none() {
        found = store::answer_by_code(conn, &legacy_code_hash(code)).await?;
    }
    if found.is_none() && publish::pending_code(conn, &hash).await? {
        // Accepted, waiting in the pool to be published with others.
        found = Some(None);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::flows::feature::Features;

    #[test]
    fn its_commands_and_buttons_reach_it_and_the_engine_parses_none_of_them() {
        let features = Features::new(vec![Arc::new(Feedback)]);
        for name in ["feedback", "reply", "answer", "hide"] {
            assert_eq!(features.command(name).map(|(_, n)| n), Some(name));
            assert_eq!(
                command::parse(&format!("/{name} K7Q-4MX")),
                Some(Command::Other(name.to_owned(), Some("K7Q-4MX".to_owned())))
            );
        }
        // The rating buttons already sent (`fb:r:1`…`fb:r:3`, `fb:skip`) are its own.
        assert!(features.action("fb").is_some());
        assert_eq!(
            reply_command(&command::parse("/reply@branch_bot k7q-4mx")),
            Some(Some("k7q-4mx"))
        );
        assert_eq!(reply_command(&command::parse("/reply")), Some(None));
        assert_eq!(reply_command(&command::parse("/replies")), None);
        assert_eq!(reply_command(&command::parse("评价 305")), None);
        assert_eq!(sms_keyword("评价 305").as_deref(), Some("305"));
        assert_eq!(sms_keyword("PJ D12-305").as_deref(), Some("D12-305"));
    }

    #[test]
    fn its_menu_line_stands_after_the_pledges_and_only_feedback_is_in_the_menu() {
        let features = Features::new(vec![Arc::new(Feedback)]);
        let menu: Vec<_> = features
            .menu_with(&[
                ("cancel", msg!("menu-cancel")),
                ("pledge_schedule", msg!("menu-pledge-schedule")),
                ("audit", msg!("menu-audit")),
            ])
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(menu, ["cancel", "pledge_schedule", "feedback", "audit"]);
    }

    #[test]
    fn it_claims_no_stored_conversation_step() {
        // A rating in progress was never a step of the conversation (it is a keyed, sealed
        // session of its own), so no stored `conversations` row is the feature's: the steps
        // databases hold read as they did, and the feature claims none of them.
        let features = Features::new(vec![Arc::new(Feedback)]);
        for stored in [
            r#"{"step":"idle"}"#,
            r#"{"step":"choosing_language"}"#,
            r#"{"step":"evaluation_compact","round_id":17}"#,
            r#"{"step":"feedback"}"#,
            r#"{"step":"feedback_rating","target_id":3}"#,
        ] {
            assert!(features.legacy(stored).is_none(), "{stored}");
        }
        assert!(Feedback.legacy_steps().is_empty());
    }
}
