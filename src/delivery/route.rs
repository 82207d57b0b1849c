//! Where a push to a member goes: the one place that decides between Telegram and SMS.
//!
//! Telegram when the member has bound a chat that is reachable, else SMS when the member has a
//! mobile number, has not opted out and SMS is connected — each only as far as the member's
//! preference allows (`both`, the default, allows either with Telegram first). Replies do not
//! come here: they go back where the message came from.
//!
//! [`push`] routes, queues the row in the caller's transaction (with its SMS segment count),
//! and records the offered choices for that channel, so a typed answer ("2 出差") to the push
//! is understood there — a flow that pushes needs nothing else.

use crate::channels::sms;
use crate::domain::org::Member;
use crate::flows::{ChannelKind, Reply, State};
use crate::i18n::Catalog;
use crate::store::{bindings, conversations, outbox, Conn, StoreError};

/// Which channels a member accepts pushes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Preference {
    Telegram,
    Sms,
    /// Telegram first, SMS when Telegram cannot reach them.
    #[default]
    Both,
}

impl Preference {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Telegram => "telegram",
            Self::Sms => "sms",
            Self::Both => "both",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "telegram" | "tg" => Some(Self::Telegram),
            "sms" | "短信" => Some(Self::Sms),
            "both" | "any" | "all" => Some(Self::Both),
            _ => None,
        }
    }

    fn allows(self, channel: ChannelKind) -> bool {
        matches!(
            (self, channel),
            (Self::Both, _)
                | (Self::Telegram, ChannelKind::Telegram)
                | (Self::Sms, ChannelKind::Sms)
        )
    }
}

/// Why a member cannot be reached by a push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unreachable {
    /// Left the organisation.
    Inactive,
    /// No reachable Telegram chat, and SMS is not an option (no number, opted out, SMS off,
    /// or not allowed by the preference).
    NoChannel,
}

/// Where a push goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Telegram {
        chat: String,
    },
    Sms {
        phone: String,
    },
    /// A terminal session the member opened (`branchbot chat --as`): used only when neither
    /// Telegram nor SMS can reach them, so a member who works on the console locally still
    /// gets reminders there.
    Console {
        key: String,
    },
    Nowhere(Unreachable),
}

impl Route {
    /// The channel, if any.
    pub fn channel(&self) -> Option<ChannelKind> {
        match self {
            Self::Telegram { .. } => Some(ChannelKind::Telegram),
            Self::Sms { .. } => Some(ChannelKind::Sms),
            Self::Console { .. } => Some(ChannelKind::Console),
            Self::Nowhere(_) => None,
        }
    }
}

/// Decides where a push to `member` goes. `sms_connected` says whether an SMS gateway runs
/// (`config.sms.enabled()`); without one, SMS is never chosen.
pub async fn route(
    conn: &mut Conn,
    member: &Member,
    sms_connected: bool,
) -> Result<Route, StoreError> {
    if !member.active {
        return Ok(Route::Nowhere(Unreachable::Inactive));
    }
    let pref = crate::store::sms::preference(conn, member.id)
        .await?
        .and_then(|p| Preference::parse(&p))
        .unwrap_or_default();
    if pref.allows(ChannelKind::Telegram) {
        if let Some(chat) =
            bindings::address_of(conn, member.id, ChannelKind::Telegram.as_str()).await?
        {
            return Ok(Route::Telegram { chat });
        }
    }
    if sms_connected && pref.allows(ChannelKind::Sms) {
        if let Some(phone) = &member.phone {
            if !crate::store::sms::is_opted_out(conn, phone).await? {
                return Ok(Route::Sms {
                    phone: phone.clone(),
                });
            }
        }
    }
    if let Some(key) = bindings::address_of(conn, member.id, ChannelKind::Console.as_str()).await? {
        return Ok(Route::Console { key });
    }
    Ok(Route::Nowhere(Unreachable::NoChannel))
}

/// How a push is queued.
#[derive(Debug, Clone)]
pub struct Push {
    /// Unique per logical message and member (`meeting:42:remind:7`).
    pub dedupe_key: String,
    pub urgent: bool,
    pub not_before: i64,
    pub expires_at: Option<i64>,
}

/// Routes a reply to a member, queues it in the caller's transaction and records its choices
/// as the ones offered on that channel (the conversation's step is kept). Returns the route;
/// the caller wakes `route.channel()`'s worker after committing.
pub async fn push(
    conn: &mut Conn,
    catalog: &Catalog,
    member: &Member,
    reply: &Reply,
    push: &Push,
    sms_connected: bool,
    now: i64,
) -> Result<Route, StoreError> {
    let route = route(conn, member, sms_connected).await?;
    let (channel, address, segments) = match &route {
        Route::Telegram { chat } => (ChannelKind::Telegram, chat.clone(), 1),
        Route::Sms { phone } => {
            let text = sms::render(catalog, member.locale, &reply.text, &reply.choices);
            (
                ChannelKind::Sms,
                phone.clone(),
                sms::encoding::segments(&text) as i64,
            )
        }
        Route::Console { key } => (ChannelKind::Console, key.clone(), 1),
        Route::Nowhere(_) => return Ok(route),
    };
    let choices_json = serde_json::to_string(&reply.choices).unwrap_or_else(|_| "[]".into());
    outbox::enqueue(
        conn,
        &[outbox::NewMessage {
            channel: channel.as_str().to_owned(),
            address,
            member_id: Some(member.id),
            body: reply.text.clone(),
            choices_json: choices_json.clone(),
            dedupe_key: push.dedupe_key.clone(),
            urgent: push.urgent,
            not_before: push.not_before,
            expires_at: push.expires_at,
            segments,
        }],
        now,
    )
    .await?;
    if !reply.choices.is_empty() {
        let state = match conversations::load(conn, member.id, channel.as_str()).await? {
            Some((state, _)) => state,
            None => {
                serde_json::to_string(&State::Idle).unwrap_or_else(|_| "{\"step\":\"idle\"}".into())
            }
        };
        conversations::save(
            conn,
            member.id,
            channel.as_str(),
            &state,
            &choices_json,
            now,
        )
        .await?;
    }
    Ok(route)
}
