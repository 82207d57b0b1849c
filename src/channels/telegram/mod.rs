//! Telegram, through teloxide: updates arrive by long polling ([`polling`]) or by our own
//! webhook handler ([`webhook`]); both only store the update in the inbox. Outbox rows are
//! sent by [`TelegramSender`], with choices as inline keyboard buttons.

pub mod polling;
pub mod webhook;

use teloxide::payloads::{SendMessageSetters, SetMyCommandsSetters};
use teloxide::requests::Requester;
use teloxide::types::{
    BotCommand, CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, Update,
    UpdateKind,
};
use teloxide::{ApiError, Bot, RequestError};

use crate::chat::{ChannelKind, Content, Inbound};
use crate::delivery::{ChannelSender, Outgoing, SendError, SendFuture};
use crate::flows::command::MENU;
use crate::flows::engine::InboxItem;
use crate::i18n::{Catalog, Locale};

/// Makes a teloxide bot for a token and an optional API URL (a local Bot API server or a fake).
pub fn bot(token: &str, api_url: Option<&str>) -> Result<Bot, String> {
    let client = teloxide::net::default_reqwest_settings()
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let bot = Bot::with_client(token, client);
    Ok(match api_url {
        Some(url) => bot.set_api_url(
            url.parse()
                .map_err(|e| format!("telegram.api_url '{url}': {e}"))?,
        ),
        None => bot,
    })
}

/// Turns a Telegram update into what the inbox stores. `None` for kinds the bot ignores
/// (edits, group messages, membership changes…).
pub fn decode(update: &Update) -> Option<InboxItem> {
    match &update.kind {
        UpdateKind::Message(msg) => {
            if !msg.chat.is_private() {
                return None;
            }
            let content = match msg.text() {
                Some(text) => Content::Text {
                    text: text.to_owned(),
                },
                None => Content::Unsupported,
            };
            Some(InboxItem {
                inbound: Inbound {
                    channel: ChannelKind::Telegram,
                    address: msg.chat.id.0.to_string(),
                    content,
                    language_hint: msg.from.as_ref().and_then(|u| u.language_code.clone()),
                },
                ack: None,
            })
        }
        UpdateKind::CallbackQuery(q) => {
            let chat = q
                .message
                .as_ref()
                .map(|m| m.chat().id.0)
                .unwrap_or(q.from.id.0 as i64);
            if chat < 0 {
                return None;
            }
            Some(InboxItem {
                inbound: Inbound {
                    channel: ChannelKind::Telegram,
                    address: chat.to_string(),
                    content: match &q.data {
                        Some(data) => Content::Choice { data: data.clone() },
                        None => Content::Unsupported,
                    },
                    language_hint: q.from.language_code.clone(),
                },
                ack: Some(q.id.0.clone()),
            })
        }
        _ => None,
    }
}

/// Acknowledges a tapped button, so the client stops its spinner. Best effort.
pub async fn ack(bot: &Bot, callback_id: &str) {
    if let Err(e) = bot
        .answer_callback_query(CallbackQueryId(callback_id.to_owned()))
        .await
    {
        tracing::debug!(error = %e, "answerCallbackQuery failed");
    }
}

/// Registers the command menu (the engine's and the features') in every locale (zh-CN as the
/// default).
pub async fn set_commands(
    bot: &Bot,
    catalog: &Catalog,
    features: &crate::flows::feature::Features,
) -> Result<(), RequestError> {
    for locale in Locale::ALL {
        let commands: Vec<BotCommand> = MENU
            .iter()
            .copied()
            .chain(features.menu())
            .map(|(name, msg)| BotCommand::new(name, catalog.text(locale, msg)))
            .collect();
        match locale {
            Locale::ZhCn => bot.set_my_commands(commands).await?,
            Locale::En => bot.set_my_commands(commands).language_code("en").await?,
        };
    }
    Ok(())
}

/// Sends outbox rows to Telegram chats.
pub struct TelegramSender {
    bot: Bot,
}

impl TelegramSender {
    pub fn new(bot: Bot) -> Self {
        Self { bot }
    }
}

/// Sorts a teloxide error into what the delivery engine does with it.
pub fn classify(err: RequestError) -> SendError {
    match err {
        RequestError::RetryAfter(secs) => SendError::RetryAfter(secs.duration()),
        RequestError::Api(
            e @ (ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::UserDeactivated
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::CantInitiateConversation
            | ApiError::CantTalkWithBots),
        ) => SendError::Unreachable(e.to_string()),
        RequestError::Api(ApiError::Unknown(desc)) => {
            if desc.starts_with("Forbidden") {
                SendError::Unreachable(desc)
            } else if desc.starts_with("Bad Request") {
                SendError::Permanent(desc)
            } else {
                SendError::Transient(desc)
            }
        }
        RequestError::Api(e) => SendError::Permanent(e.to_string()),
        RequestError::MigrateToChatId(id) => SendError::Permanent(format!("chat migrated to {id}")),
        RequestError::Network(e) => SendError::Transient(e.to_string()),
        RequestError::InvalidJson { source, .. } => {
            SendError::Transient(format!("unreadable answer: {source}"))
        }
        RequestError::Io(e) => SendError::Transient(e.to_string()),
    }
}

impl ChannelSender for TelegramSender {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Telegram
    }

    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let chat: i64 = msg.address.parse().map_err(|_| {
                SendError::Permanent(format!("'{}' is not a Telegram chat id", msg.address))
            })?;
            if msg.text.chars().count() > crate::chat::MAX_TEXT_CHARS {
                return Err(SendError::Permanent(format!(
                    "text of {} characters is over Telegram's limit of {}",
                    msg.text.chars().count(),
                    crate::chat::MAX_TEXT_CHARS
                )));
            }
            let mut request = self.bot.send_message(ChatId(chat), msg.text.clone());
            if !msg.choices.is_empty() {
                // One button per row for up to two short labels side by side; longer lists stack.
                let buttons: Vec<InlineKeyboardButton> = msg
                    .choices
                    .iter()
                    .map(|c| InlineKeyboardButton::callback(c.label.clone(), c.data.clone()))
                    .collect();
                let rows: Vec<Vec<InlineKeyboardButton>> = if buttons.len() <= 3 {
                    vec![buttons]
                } else {
                    buttons.chunks(2).map(<[_]>::to_vec).collect()
                };
                request = request.reply_markup(InlineKeyboardMarkup::new(rows));
            }
            let sent = request.await.map_err(classify)?;
            Ok(Some(sent.id.0.to_string()))
        })
    }
}
