//! Telegram, through teloxide: updates arrive by long polling ([`polling`]) or by our own
//! webhook handler ([`webhook`]); both only store the update in the inbox. Outbox rows are
//! sent by [`TelegramSender`], with choices as inline keyboard buttons.

pub mod files;
pub mod polling;
pub mod webhook;

use teloxide::payloads::{SendMessageSetters, SetMyCommandsSetters};
use teloxide::requests::Requester;
use teloxide::types::{
    BotCommand, CallbackQueryId, ChatId, InlineKeyboardButton, InlineKeyboardMarkup, Update,
    UpdateKind,
};
use teloxide::{ApiError, Bot, RequestError};

use crate::chat::{ChannelKind, Content, FileRef, Inbound};
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
                None => file_of(msg).map_or(Content::Unsupported, Content::File),
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

/// A photo (its largest size) or a document of a message, as the platform announced it.
fn file_of(msg: &teloxide::types::Message) -> Option<FileRef> {
    // teloxide reads a missing `file_size` as u32::MAX: not a size Telegram said.
    let size = |s: u32| (s != u32::MAX).then_some(u64::from(s));
    if let Some(sizes) = msg.photo() {
        // Telegram lists a photo's sizes smallest first; the largest is the photo itself.
        let largest = sizes
            .iter()
            .max_by_key(|p| (u64::from(p.width) * u64::from(p.height), p.file.size))?;
        return Some(FileRef {
            id: largest.file.id.0.clone(),
            photo: true,
            name: None,
            size: size(largest.file.size),
            outcome: None,
            attempts: 0,
            retry_at: None,
        });
    }
    let doc = msg.document()?;
    Some(FileRef {
        id: doc.file.id.0.clone(),
        photo: false,
        name: doc.file_name.clone(),
        size: size(doc.file.size),
        outcome: None,
        attempts: 0,
        retry_at: None,
    })
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
        let commands: Vec<BotCommand> = features
            .menu_with(MENU)
            .into_iter()
            .map(|(name, msg)| BotCommand::new(name, catalog.text(locale, msg)))
            .collect();
        match locale {
            Locale::ZhCn => bot.set_my_commands(commands).await?,
            Locale::En => bot.set_my_commands(commands).language_code("en").await?,
        };
    }
    Ok(())
}

/// Sends outbox rows to Telegram chats; a row with an attachment (a notice's file) as a photo
/// or document with the row's text as its caption.
pub struct TelegramSender {
    bot: Bot,
    files: Option<Stored>,
}

/// Where attachments are read from, and the upload guard.
struct Stored {
    store: crate::store::Store,
    files: crate::attachments::Files,
    clock: crate::clock::Clock,
    /// One upload at a time: every other recipient then reuses the file_id Telegram returned.
    upload: tokio::sync::Mutex<()>,
}

/// Telegram's limit on a caption.
const MAX_CAPTION_CHARS: usize = 1024;

impl TelegramSender {
    pub fn new(bot: Bot) -> Self {
        Self { bot, files: None }
    }

    /// The same sender, able to send the rows that carry a file.
    pub fn with_files(
        mut self,
        store: crate::store::Store,
        files: crate::attachments::Files,
        clock: crate::clock::Clock,
    ) -> Self {
        self.files = Some(Stored {
            store,
            files,
            clock,
            upload: tokio::sync::Mutex::new(()),
        });
        self
    }

    /// Sends attachment `id` to `chat` with `caption`: by the file_id of an earlier upload, or
    /// uploaded now (once: a concurrent send of the same file waits and reuses its file_id).
    async fn send_file(&self, chat: i64, id: i64, caption: &str) -> Result<String, SendError> {
        use crate::attachments::service;
        use crate::store::outbox;
        let Some(stored) = &self.files else {
            return Err(SendError::Permanent("no attachment storage".into()));
        };
        let db = |e: crate::store::StoreError| SendError::Transient(format!("database: {e}"));
        let caption: String = caption.chars().take(MAX_CAPTION_CHARS).collect();
        let known = |id: i64| async move {
            let mut conn = stored
                .store
                .pool()
                .acquire()
                .await
                .map_err(|e| db(e.into()))?;
            let file = service::get(&mut conn, id).await.map_err(db)?;
            let uploaded = outbox::telegram_file_id(&mut conn, id).await.map_err(db)?;
            Ok::<_, SendError>((file, uploaded))
        };
        let (file, uploaded) = known(id).await?;
        let Some(file) = file else {
            return Err(SendError::Permanent(format!("attachment {id} is gone")));
        };
        if let Some(file_id) = uploaded {
            let input = teloxide::types::InputFile::file_id(teloxide::types::FileId(file_id));
            return self
                .send_input(chat, &file, input, caption)
                .await
                .map(|(m, _)| m);
        }
        let _one = stored.upload.lock().await;
        if let (_, Some(file_id)) = known(id).await? {
            let input = teloxide::types::InputFile::file_id(teloxide::types::FileId(file_id));
            return self
                .send_input(chat, &file, input, caption)
                .await
                .map(|(m, _)| m);
        }
        let bytes = service::read(&stored.files, &file)
            .await
            .map_err(|e| SendError::Transient(format!("attachment {id}: {e:#}")))?;
        let input = teloxide::types::InputFile::memory(bytes).file_name(file.display_name.clone());
        let (message, file_id) = self.send_input(chat, &file, input, caption).await?;
        if let Some(file_id) = file_id {
            let mut conn = stored
                .store
                .pool()
                .acquire()
                .await
                .map_err(|e| db(e.into()))?;
            outbox::put_telegram_file_id(&mut conn, id, &file_id, stored.clock.now_ms())
                .await
                .map_err(db)?;
        }
        Ok(message)
    }

    /// sendPhoto or sendDocument: the message id and the file_id Telegram keeps it under.
    async fn send_input(
        &self,
        chat: i64,
        file: &crate::attachments::Attachment,
        input: teloxide::types::InputFile,
        caption: String,
    ) -> Result<(String, Option<String>), SendError> {
        use teloxide::payloads::{SendDocumentSetters, SendPhotoSetters};
        match file.kind {
            crate::attachments::Kind::Photo => {
                let sent = self
                    .bot
                    .send_photo(ChatId(chat), input)
                    .caption(caption)
                    .await
                    .map_err(classify)?;
                let file_id = sent
                    .photo()
                    .and_then(|sizes| {
                        sizes
                            .iter()
                            .max_by_key(|p| u64::from(p.width) * u64::from(p.height))
                    })
                    .map(|p| p.file.id.0.clone());
                Ok((sent.id.0.to_string(), file_id))
            }
            crate::attachments::Kind::Document => {
                let sent = self
                    .bot
                    .send_document(ChatId(chat), input)
                    .caption(caption)
                    .await
                    .map_err(classify)?;
                let file_id = sent.document().map(|d| d.file.id.0.clone());
                Ok((sent.id.0.to_string(), file_id))
            }
        }
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
            if let Some(id) = msg.attachment {
                return self.send_file(chat, id, &msg.text).await.map(Some);
            }
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
