//! Photos and files attached to what a branch is inspected on: a meeting's record, a notice,
//! a pledge check-in, a service activity. One feature folder:
//!
//! - [`sniff`]: pure — the content type read from the bytes (never the declared one or the
//!   name), the allowlist and size limit, the display name made harmless, EXIF and other
//!   metadata dropped from photos without re-encoding them.
//! - [`storage`]: where the bytes live, behind one trait ([`storage::Storage`]) with two
//!   backends: a folder on this machine (written to a temporary file, synced, then renamed)
//!   and an S3-compatible object store for several replicas.
//! - [`store`]: the `attachments` table (migration 0024), both databases.
//! - [`service`]: what chat, the dashboard, the command line and reports call: accept an
//!   upload (the object is written completely before its row), link it to its owner, list,
//!   read back.
//!
//! - [`cli`]: `branchbot attachments list`.
//!
//! Configuration: `[attachments]` (`config::attachments`).

pub mod cli;
pub mod jobs;
pub mod service;
pub mod sniff;
pub mod storage;
pub mod store;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;

/// What an attachment belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    /// A meeting's record (`meetings.id`): its photos, the sign-in sheet.
    Meeting(i64),
    /// A notice (`notices.id`): the file everyone must read.
    Notice(i64),
    /// A pledge check-in (the check-in round's id).
    CheckIn(i64),
    /// A service activity (`activities.id`).
    Activity(i64),
}

impl Owner {
    /// The stored kind and id.
    pub fn parts(self) -> (&'static str, i64) {
        match self {
            Owner::Meeting(id) => ("meeting", id),
            Owner::Notice(id) => ("notice", id),
            Owner::CheckIn(id) => ("checkin", id),
            Owner::Activity(id) => ("activity", id),
        }
    }

    /// The owner a stored kind and id name.
    pub fn from_parts(kind: &str, id: i64) -> Option<Self> {
        Some(match kind {
            "meeting" => Owner::Meeting(id),
            "notice" => Owner::Notice(id),
            "checkin" => Owner::CheckIn(id),
            "activity" => Owner::Activity(id),
            _ => return None,
        })
    }
}

/// A photo (shown inline) or a document (downloaded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Photo,
    Document,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Photo => "photo",
            Kind::Document => "document",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "photo" => Some(Kind::Photo),
            "document" => Some(Kind::Document),
            _ => None,
        }
    }

    /// Its name, localized.
    pub fn label(self) -> Msg {
        match self {
            Kind::Photo => msg!("attachments-kind-photo"),
            Kind::Document => msg!("attachments-kind-document"),
        }
    }
}

/// A stored photo or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub id: i64,
    /// None until it is linked to what it belongs to.
    pub owner: Option<Owner>,
    pub kind: Kind,
    /// Sniffed from the bytes, never the declared one.
    pub content_type: String,
    /// Bytes, as stored (after metadata was dropped from a photo).
    pub size: i64,
    /// Sanitised: no path parts, no control characters, at most 100 characters, its
    /// extension the stored type's.
    pub display_name: String,
    /// Of the stored bytes, lowercase hex.
    pub sha256: String,
    pub uploaded_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    /// Where the bytes are in the storage backend: generated, never from the sender.
    pub object_key: String,
}

/// WeCom's limit on a temporary media sent as a picture (`image`: JPG or PNG).
pub const WECOM_MAX_IMAGE_BYTES: i64 = 10 * 1024 * 1024;
/// WeCom's limit on a temporary media sent as a file (`file`: any type).
pub const WECOM_MAX_FILE_BYTES: i64 = 20 * 1024 * 1024;

impl Attachment {
    /// How WeCom takes this file (`media/upload`'s and `message/send`'s type): `image` for a
    /// JPEG or PNG photo within 10 MB, `file` for anything else within 20 MB; None when it is
    /// over WeCom's limit (developer.work.weixin.qq.com 素材管理 → 上传临时素材).
    pub fn wecom_type(&self) -> Option<&'static str> {
        let picture = matches!(self.content_type.as_str(), "image/jpeg" | "image/png");
        if self.kind == Kind::Photo && picture && self.size <= WECOM_MAX_IMAGE_BYTES {
            Some("image")
        } else if self.size <= WECOM_MAX_FILE_BYTES {
            Some("file")
        } else {
            None
        }
    }
}

/// Why an upload was not kept. Nothing was stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge {
        limit_bytes: u64,
    },
    /// The bytes are not one of the allowed kinds; `detected` is what they are (a content
    /// type, or "unknown").
    TypeNotAllowed {
        detected: String,
    },
    /// The bytes start like an allowed photo but cannot be read as one.
    Damaged {
        detected: String,
    },
}

impl Refusal {
    /// The Fluent id of its explanation (both locales).
    pub fn message_id(&self) -> &'static str {
        self.msg().0
    }

    /// Its explanation.
    pub fn msg(&self) -> Msg {
        match self {
            Refusal::Empty => msg!("attachments-refused-empty"),
            Refusal::TooLarge { .. } => msg!("attachments-refused-too-large"),
            Refusal::TypeNotAllowed { .. } => msg!("attachments-refused-type"),
            Refusal::Damaged { .. } => msg!("attachments-refused-damaged"),
        }
    }

    /// The arguments its message reads.
    pub fn args(&self) -> Vec<(&'static str, Arg)> {
        match self {
            Refusal::Empty => Vec::new(),
            Refusal::TooLarge { limit_bytes } => vec![(
                "limit_mb",
                Arg::Num(i64::try_from(limit_bytes / (1024 * 1024)).unwrap_or(i64::MAX)),
            )],
            Refusal::TypeNotAllowed { detected } | Refusal::Damaged { detected } => {
                vec![("detected", Arg::Str(detected.clone()))]
            }
        }
    }

    /// The explanation in `locale`, with its arguments.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let args = self.args();
        let refs: Vec<(&str, Arg)> = args.iter().map(|(k, v)| (*k, v.clone())).collect();
        catalog.render(locale, self.msg(), &refs)
    }
}

/// One upload as it arrived.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub bytes: &'a [u8],
    /// The name the sender gave (Telegram's `file_name`), if any; only ever shown, never used
    /// as a path.
    pub declared_name: Option<&'a str>,
    pub uploaded_by: Option<i64>,
    /// When it arrived (the engine's clock, so paused-time tests agree).
    pub at: DateTime<Utc>,
}

/// The storage backend and the limits, built from settings. Cheap to clone.
#[derive(Clone)]
pub struct Files {
    inner: Arc<Inner>,
}

struct Inner {
    backend: storage::Backend,
    max_bytes: u64,
    allowed: Vec<&'static str>,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("backend", &self.inner.backend.describe())
            .field("max_bytes", &self.inner.max_bytes)
            .finish()
    }
}

impl Files {
    /// The backend `[attachments]` names, with its limits.
    pub fn from_settings(settings: &crate::config::Settings) -> anyhow::Result<Self> {
        Self::from_attachment_settings(&settings.attachments)
    }

    /// The same from the section alone.
    pub fn from_attachment_settings(
        settings: &crate::config::attachments::Settings,
    ) -> anyhow::Result<Self> {
        Ok(Self::new(
            storage::Backend::from_settings(&settings.storage)?,
            settings.max_bytes,
            settings.allowed.clone(),
        ))
    }

    /// Over a given backend (tests run the same suite over each).
    pub fn new(backend: storage::Backend, max_bytes: u64, allowed: Vec<&'static str>) -> Self {
        Self {
            inner: Arc::new(Inner {
                backend,
                max_bytes,
                allowed,
            }),
        }
    }

    /// Files whose backend could not be built: every read and write fails with `why`.
    pub fn unavailable(why: String) -> Self {
        Self::new(storage::Backend::Unavailable(why), 0, Vec::new())
    }

    /// The largest upload taken, in bytes.
    pub fn limit_bytes(&self) -> u64 {
        self.inner.max_bytes
    }

    /// The content types taken.
    pub fn allowed(&self) -> &[&'static str] {
        &self.inner.allowed
    }

    /// Where the bytes live.
    pub fn backend(&self) -> &storage::Backend {
        &self.inner.backend
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(kind: Kind, content_type: &str, size: i64) -> Attachment {
        Attachment {
            id: 1,
            owner: None,
            kind,
            content_type: content_type.into(),
            size,
            display_name: "x".into(),
            sha256: String::new(),
            uploaded_by: None,
            created_at: Utc::now(),
            object_key: "k".into(),
        }
    }

    #[test]
    fn wecom_takes_jpeg_and_png_as_pictures_anything_else_as_files_within_its_limits() {
        let mb = 1024 * 1024;
        assert_eq!(
            file(Kind::Photo, "image/jpeg", 10 * mb).wecom_type(),
            Some("image")
        );
        assert_eq!(
            file(Kind::Photo, "image/png", mb).wecom_type(),
            Some("image")
        );
        // WeCom's pictures are JPG or PNG only, 10 MB at most: the rest goes as a file.
        assert_eq!(
            file(Kind::Photo, "image/webp", mb).wecom_type(),
            Some("file")
        );
        assert_eq!(
            file(Kind::Photo, "image/jpeg", 10 * mb + 1).wecom_type(),
            Some("file")
        );
        assert_eq!(
            file(Kind::Document, "application/pdf", 20 * mb).wecom_type(),
            Some("file")
        );
        assert_eq!(
            file(Kind::Document, "application/pdf", 20 * mb + 1).wecom_type(),
            None
        );
    }
}
