//! Where a channel's files are fetched from: the [`FileSource`] each channel gives (Telegram's
//! getFile and file URL, WeCom's media/get) and the engine's register of them ([`Sources`]).
//! Only the shapes live here, below the channels and the engine that both name them; the
//! fetching itself, and what becomes of the bytes, is the `files` feature's (`files::fetch`).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

use super::{ChannelKind, FileRef};

/// Why a file could not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Larger than the limit (the platform said so, or the bytes kept coming): nothing kept.
    #[error("the file is over the limit")]
    TooLarge,
    /// Trying again later may work (a network failure, a 5xx, a 429).
    #[error("fetching failed for now: {0}")]
    Transient(String),
    /// It will not work (the reference is unknown or expired, the platform refuses).
    #[error("fetching failed: {0}")]
    Permanent(String),
}

/// A file's bytes, or why not.
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, FetchError>> + Send + 'a>>;

/// Where a channel's files are fetched from (Telegram's getFile and file URL, WeCom's
/// media/get). It reads at most `max_bytes` and answers [`FetchError::TooLarge`] past them.
pub trait FileSource: Send + Sync {
    fn fetch<'a>(&'a self, file: &'a FileRef, max_bytes: u64) -> FetchFuture<'a>;
}

/// The channels' file sources, registered at startup once each channel is connected; shared by
/// every clone of the engine.
#[derive(Clone, Default)]
pub struct Sources(Arc<RwLock<HashMap<ChannelKind, Arc<dyn FileSource>>>>);

impl Sources {
    /// Makes `source` the one files of `channel` are fetched from.
    pub fn register(&self, channel: ChannelKind, source: Arc<dyn FileSource>) {
        if let Ok(mut map) = self.0.write() {
            map.insert(channel, source);
        }
    }

    /// The source files of `channel` are fetched from, if one is registered.
    pub fn get(&self, channel: ChannelKind) -> Option<Arc<dyn FileSource>> {
        self.0.read().ok()?.get(&channel).cloned()
    }
}
