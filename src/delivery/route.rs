//! Where a push to a member goes: the one place that decides between Telegram, WeCom and SMS.
//!
//! The member's channels are tried in the order of their preference (`both`, the default:
//! Telegram when a reachable chat is bound, then WeCom when the member has a reachable userid
//! and WeCom is connected, then SMS when the member has a mobile number, has not opted out and
//! SMS is connected); a console session is the last resort. Replies do not
//! come here: they go back where the message came from.
//!
//! [`push`] routes, queues the row in the caller's transaction (with its SMS segment count),
//! and records the offered choices as a question open on that channel until the push expires
//! ([`crate::flows::questions`]), so a typed answer ("2 出差") to the push is understood there,
//! even after other pushes — a flow that pushes needs nothing else.

use crate::chat::sms;
use crate::chat::{ChannelKind, Reply};
use crate::domain::org::Member;
use crate::i18n::Catalog;
use crate::store::{bindings, outbox, Conn, StoreError};

/// The channels a member accepts pushes on, in the order they are tried. `both` (the default)
/// is Telegram, WeCom, then SMS; `telegram` or `sms` alone (the older `sms prefer` values)
/// allow only that channel; `branchbot prefer KEY wecom,sms` names any order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preference(Vec<ChannelKind>);

impl Default for Preference {
    fn default() -> Self {
        Self(vec![
            ChannelKind::Telegram,
            ChannelKind::Wecom,
            ChannelKind::Sms,
        ])
    }
}

impl Preference {
    /// How it is stored and shown: `both` for the default order, else the channels joined
    /// by commas.
    pub fn as_str(&self) -> String {
        if *self == Self::default() {
            return "both".into();
        }
        self.0
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads `both`, one channel, or channels separated by commas or spaces (`wecom,sms`).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_lowercase();
        if matches!(s.as_str(), "both" | "any" | "all") {
            return Some(Self::default());
        }
        let mut order = Vec::new();
        for word in s.split(|c: char| c == ',' || c == '，' || c.is_whitespace()) {
            let channel = match word.trim() {
                "" => continue,
                "telegram" | "tg" => ChannelKind::Telegram,
                "wecom" | "企业微信" | "wxwork" => ChannelKind::Wecom,
                "sms" | "短信" => ChannelKind::Sms,
                "console" => ChannelKind::Console,
                _ => return None,
            };
            if !order.contains(&channel) {
                order.push(channel);
            }
        }
        (!order.is_empty()).then_some(Self(order))
    }

    /// The channels in the order they are tried.
    pub fn order(&self) -> &[ChannelKind] {
        &self.0
    }
}

/// Why a member cannot be reached by a push: no reachable Telegram chat, no console session,
/// and SMS is not an option for the reason named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Unreachable {
    /// Left the organisation.
    Inactive,
    /// No mobile number on the roster.
    NoPhone,
    /// A mobile number, but no SMS gateway is connected.
    NoGateway,
    /// A mobile number, but they opted out of SMS (TD).
    OptedOut,
    /// Their preference allows Telegram only.
    TelegramOnly,
    /// Their preference names only channels that cannot reach them (`prefer KEY wecom`).
    NotPreferred,
}

impl Unreachable {
    /// How the reason reads ("无手机号", "未接短信网关").
    pub fn msg(self) -> crate::i18n::Msg {
        match self {
            Self::Inactive => crate::msg!("reach-inactive"),
            Self::NoPhone => crate::msg!("reach-no-phone"),
            Self::NoGateway => crate::msg!("reach-no-gateway"),
            Self::OptedOut => crate::msg!("reach-opted-out"),
            Self::TelegramOnly => crate::msg!("reach-telegram-only"),
            Self::NotPreferred => crate::msg!("reach-not-preferred"),
        }
    }
}

/// "另有 3 位联系不上（无手机号 1 位，有手机号但未接短信网关 2 位）。": who a push could not
/// reach and why, for the answer to a remind button. None when everyone was reached.
pub fn unreachable_note(
    catalog: &Catalog,
    locale: crate::i18n::Locale,
    why: &[Unreachable],
) -> Option<String> {
    if why.is_empty() {
        return None;
    }
    let mut kinds: Vec<Unreachable> = why.to_vec();
    kinds.sort();
    kinds.dedup();
    let parts: Vec<String> = kinds
        .iter()
        .map(|k| {
            let n = why.iter().filter(|w| *w == k).count() as i64;
            catalog.render(
                locale,
                crate::msg!("reach-reason-count"),
                &[
                    ("reason", catalog.text(locale, k.msg()).into()),
                    ("count", n.into()),
                ],
            )
        })
        .collect();
    let sep = catalog.text(locale, crate::msg!("notice-preview-roles-sep"));
    Some(catalog.render(
        locale,
        crate::msg!("reach-unreachable-note"),
        &[
            ("count", (why.len() as i64).into()),
            ("reasons", parts.join(&sep).into()),
        ],
    ))
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
    /// A WeCom userid (the app pushes to it; the member need not have written first).
    Wecom {
        userid: String,
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
    /// How the route reads in a list ("Telegram", "可收短信", "仅控制台", or why not).
    pub fn msg(&self) -> crate::i18n::Msg {
        match self {
            Self::Telegram { .. } => crate::msg!("reach-telegram"),
            Self::Sms { .. } => crate::msg!("reach-sms"),
            Self::Wecom { .. } => crate::msg!("reach-wecom"),
            Self::Console { .. } => crate::msg!("reach-console"),
            Self::Nowhere(why) => why.msg(),
        }
    }

    /// The channel, if any.
    pub fn channel(&self) -> Option<ChannelKind> {
        match self {
            Self::Telegram { .. } => Some(ChannelKind::Telegram),
            Self::Sms { .. } => Some(ChannelKind::Sms),
            Self::Wecom { .. } => Some(ChannelKind::Wecom),
            Self::Console { .. } => Some(ChannelKind::Console),
            Self::Nowhere(_) => None,
        }
    }
}

/// Decides where a push to `member` goes — the one answer to "how can this member be reached"
/// that every screen shows (`/unbound`, the notice preview, the remind buttons' counts).
/// `sms_connected` says whether an SMS gateway runs (`config.sms.enabled()`); without one, SMS
/// is never chosen.
pub async fn route(
    conn: &mut Conn,
    member: &Member,
    sms_connected: bool,
) -> Result<Route, StoreError> {
    if !member.active {
        return Ok(Route::Nowhere(Unreachable::Inactive));
    }
    let pref = crate::store::wecom::preference(conn, member.id)
        .await?
        .and_then(|p| Preference::parse(&p))
        .unwrap_or_default();
    // Each channel in the member's order; the first that reaches them wins. WeCom has a
    // binding only while WeCom is connected (`channels::wecom` keeps them in line with the
    // roster), so no flag is needed for it here.
    let mut why = None;
    for channel in pref.order() {
        match channel {
            ChannelKind::Telegram => {
                if let Some(chat) =
                    bindings::address_of(conn, member.id, ChannelKind::Telegram.as_str()).await?
                {
                    return Ok(Route::Telegram { chat });
                }
            }
            ChannelKind::Wecom => {
                if let Some(userid) =
                    bindings::address_of(conn, member.id, ChannelKind::Wecom.as_str()).await?
                {
                    return Ok(Route::Wecom { userid });
                }
            }
            ChannelKind::Sms => {
                let reason = match &member.phone {
                    None => Unreachable::NoPhone,
                    Some(_) if !sms_connected => Unreachable::NoGateway,
                    Some(phone) if crate::store::sms::is_opted_out(conn, phone).await? => {
                        Unreachable::OptedOut
                    }
                    Some(phone) => {
                        return Ok(Route::Sms {
                            phone: phone.clone(),
                        })
                    }
                };
                why.get_or_insert(reason);
            }
            ChannelKind::Console => {
                if let Some(key) =
                    bindings::address_of(conn, member.id, ChannelKind::Console.as_str()).await?
                {
                    return Ok(Route::Console { key });
                }
            }
        }
    }
    let why = why.unwrap_or(if pref.order() == [ChannelKind::Telegram] {
        Unreachable::TelegramOnly
    } else {
        Unreachable::NotPreferred
    });
    if let Some(key) = bindings::address_of(conn, member.id, ChannelKind::Console.as_str()).await? {
        return Ok(Route::Console { key });
    }
    Ok(Route::Nowhere(why))
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
        Route::Wecom { userid } => (ChannelKind::Wecom, userid.clone(), 1),
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
    offer_push(
        conn,
        member.id,
        channel.as_str(),
        reply,
        now,
        push.expires_at,
    )
    .await?;
    Ok(route)
}

/// A conversation's step as stored before the member has started anything: the engine's idle
/// state (`flows::State::Idle`, whose test checks the two agree), written here without naming
/// it so that delivery does not reach up into the conversations.
pub const IDLE_STATE_JSON: &str = r#"{"step":"idle"}"#;

/// Records a push's choices as a question open on the member's conversation on `channel`,
/// keeping the conversation's step and its other questions.
pub async fn offer_push(
    conn: &mut crate::store::Conn,
    member_id: i64,
    channel: &str,
    reply: &Reply,
    now: i64,
    expires_at: Option<i64>,
) -> Result<(), crate::store::StoreError> {
    if reply.choices.is_empty() {
        return Ok(());
    }
    let (state, mut open) =
        match crate::store::conversations::load(conn, member_id, channel).await? {
            Some((state, json)) => (state, crate::chat::questions::Open::parse(&json, now)),
            None => (
                IDLE_STATE_JSON.to_owned(),
                crate::chat::questions::Open::default(),
            ),
        };
    open.expire(now);
    open.push(reply, now, expires_at);
    crate::store::conversations::save(conn, member_id, channel, &state, &open.to_json(), now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preference_is_an_order_of_channels_and_both_is_the_default_order() {
        let both = Preference::parse("both").unwrap();
        assert_eq!(both, Preference::default());
        assert_eq!(
            both.order(),
            [ChannelKind::Telegram, ChannelKind::Wecom, ChannelKind::Sms]
        );
        assert_eq!(both.as_str(), "both");
        let p = Preference::parse(" WeCom, 短信 wecom ").unwrap();
        assert_eq!(p.order(), [ChannelKind::Wecom, ChannelKind::Sms]);
        assert_eq!(p.as_str(), "wecom,sms");
        // The older values read as before: one channel alone.
        assert_eq!(
            Preference::parse("telegram").unwrap().order(),
            [ChannelKind::Telegram]
        );
        assert_eq!(Preference::parse("sms").unwrap().as_str(), "sms");
        assert_eq!(
            Preference::parse("console").unwrap().order(),
            [ChannelKind::Console]
        );
        for bad in ["", " , ", "fax", "wecom,fax"] {
            assert_eq!(Preference::parse(bad), None, "{bad:?}");
        }
    }
}
