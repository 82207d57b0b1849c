//! Fetching a file someone sent the bot: `getFile` turns its `file_id` into a path, and the
//! bytes come from `<api>/file/bot<token>/<path>` (<https://core.telegram.org/bots/api#getfile>;
//! bots may fetch files of up to 20 MB). At most the limit is read: past it the download stops
//! and the file is refused.

use futures_util::StreamExt;
use teloxide::net::Download;
use teloxide::requests::Requester;
use teloxide::types::FileId;
use teloxide::{ApiError, Bot, RequestError};

use crate::chat::sources::{FetchError, FetchFuture, FileSource};
use crate::chat::FileRef;

/// Telegram as a [`FileSource`].
pub struct TelegramFiles {
    bot: Bot,
}

impl TelegramFiles {
    pub fn new(bot: Bot) -> Self {
        Self { bot }
    }
}

/// Sorts a failed `getFile` into what the engine does with it.
fn classify(err: RequestError) -> FetchError {
    match err {
        RequestError::Api(ApiError::Unknown(desc)) if desc.contains("file is too big") => {
            FetchError::TooLarge
        }
        RequestError::Api(ApiError::Unknown(desc)) if desc.starts_with("Bad Request") => {
            FetchError::Permanent(desc)
        }
        RequestError::Api(ApiError::Unknown(desc)) => FetchError::Transient(desc),
        RequestError::Api(e) => FetchError::Permanent(e.to_string()),
        RequestError::MigrateToChatId(_) => FetchError::Permanent(err.to_string()),
        RequestError::RetryAfter(_)
        | RequestError::Network(_)
        | RequestError::InvalidJson { .. }
        | RequestError::Io(_) => FetchError::Transient(err.to_string()),
    }
}

impl FileSource for TelegramFiles {
    fn fetch<'a>(&'a self, file: &'a FileRef, max_bytes: u64) -> FetchFuture<'a> {
        Box::pin(async move {
            let meta = self
                .bot
                .get_file(FileId(file.id.clone()))
                .await
                .map_err(classify)?;
            if meta.meta.size != u32::MAX && u64::from(meta.meta.size) > max_bytes {
                return Err(FetchError::TooLarge);
            }
            let mut stream = self.bot.download_file_stream(&meta.path);
            let mut bytes = Vec::new();
            while let Some(chunk) = stream.next().await {
                let chunk = chunk.map_err(|e| match e.status() {
                    // The path is unknown or expired: asking again will not help.
                    Some(s) if s.is_client_error() && s.as_u16() != 429 => {
                        FetchError::Permanent(format!("file download: {s}"))
                    }
                    _ => FetchError::Transient(format!("file download: {e}")),
                })?;
                if (bytes.len() + chunk.len()) as u64 > max_bytes {
                    return Err(FetchError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            Ok(bytes)
        })
    }
}
