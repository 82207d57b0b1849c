//! `[attachments]`: where photos and files are kept (a folder on this machine, or an
//! S3-compatible object store shared by several replicas), how large one may be and which
//! kinds are taken. The files themselves are `attachments`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Problem};
use crate::msg;

/// The kinds of file a college may allow, by the short name `allowed` lists, with the
/// content type sniffed from the bytes that each stands for.
pub const KINDS: [(&str, &str); 11] = [
    ("jpeg", "image/jpeg"),
    ("png", "image/png"),
    ("webp", "image/webp"),
    ("gif", "image/gif"),
    ("pdf", "application/pdf"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("doc", "application/msword"),
    ("xls", "application/vnd.ms-excel"),
    ("ppt", "application/vnd.ms-powerpoint"),
];

/// Where the files live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BackendKind {
    /// A folder on this machine (one replica).
    #[default]
    Folder,
}

/// What a college may set (`[attachments]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// `folder` (default).
    pub backend: BackendKind,
    /// The folder for `backend = "folder"`; empty: next to the SQLite file
    /// (`branchbot.db` → `branchbot-attachments/`), or `./attachments` with PostgreSQL.
    pub folder: String,
    /// The largest file taken, in megabytes (1 MB = 1,048,576 bytes).
    pub max_size_mb: u64,
    /// The kinds taken, by short name (see [`KINDS`]); by default all of them.
    pub allowed: Vec<String>,
}

impl Default for AttachmentsConfig {
    fn default() -> Self {
        Self {
            backend: BackendKind::Folder,
            folder: String::new(),
            max_size_mb: 10,
            allowed: KINDS.iter().map(|(k, _)| (*k).to_owned()).collect(),
        }
    }
}

/// Where the files are kept, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    Folder(PathBuf),
}

/// `[attachments]` checked and resolved: what `attachments::Files` is built from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub storage: Storage,
    pub max_bytes: u64,
    /// The content types taken.
    pub allowed: Vec<&'static str>,
}

/// The largest `max_size_mb` accepted.
pub const MAX_SIZE_MB_LIMIT: u64 = 1024;

impl AttachmentsConfig {
    /// Checks the section and resolves the folder against the database URL.
    pub fn settings(&self, database_url: &str) -> Result<Settings, ConfigError> {
        if self.max_size_mb == 0 || self.max_size_mb > MAX_SIZE_MB_LIMIT {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-attachments-size-bad"))
                    .with("value", self.max_size_mb.to_string())
                    .with("max", MAX_SIZE_MB_LIMIT.to_string()),
            ));
        }
        let mut allowed = Vec::new();
        for name in &self.allowed {
            let key = name.trim().to_ascii_lowercase();
            let Some((_, mime)) = KINDS.iter().find(|(k, _)| *k == key) else {
                let known: Vec<&str> = KINDS.iter().map(|(k, _)| *k).collect();
                return Err(ConfigError::Invalid(
                    Problem::new(msg!("config-attachments-kind-bad"))
                        .with("kind", name.clone())
                        .with("known", known.join(", ")),
                ));
            };
            if !allowed.contains(mime) {
                allowed.push(*mime);
            }
        }
        let storage = match self.backend {
            BackendKind::Folder => Storage::Folder(if self.folder.trim().is_empty() {
                default_folder(database_url)
            } else {
                PathBuf::from(self.folder.trim())
            }),
        };
        Ok(Settings {
            storage,
            max_bytes: self.max_size_mb * 1024 * 1024,
            allowed,
        })
    }
}

/// Next to the SQLite file (`data/branchbot.db` → `data/branchbot-attachments`), or
/// `./attachments` for PostgreSQL and an in-memory database.
pub fn default_folder(database_url: &str) -> PathBuf {
    let Some(rest) = database_url.strip_prefix("sqlite:") else {
        return PathBuf::from("attachments");
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path.contains(":memory:") {
        return PathBuf::from("attachments");
    }
    let file = Path::new(path);
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "branchbot".into());
    file.with_file_name(format!("{stem}-attachments"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_folder_sits_next_to_the_sqlite_file() {
        assert_eq!(
            default_folder("sqlite://data/branchbot.db"),
            PathBuf::from("data/branchbot-attachments")
        );
        assert_eq!(
            default_folder("sqlite:///var/lib/bb/x.db?mode=rwc"),
            PathBuf::from("/var/lib/bb/x-attachments")
        );
        assert_eq!(
            default_folder("sqlite://branchbot.db"),
            PathBuf::from("branchbot-attachments")
        );
        assert_eq!(
            default_folder("postgres://u@h/db"),
            PathBuf::from("attachments")
        );
        assert_eq!(
            default_folder("sqlite::memory:"),
            PathBuf::from("attachments")
        );
    }

    #[test]
    fn sizes_and_kinds_are_checked() {
        let mut c = AttachmentsConfig::default();
        let s = c.settings("sqlite://a.db").unwrap();
        assert_eq!(s.max_bytes, 10 * 1024 * 1024);
        assert_eq!(s.allowed.len(), 11);
        c.allowed = vec!["JPEG".into(), "pdf".into()];
        let s = c.settings("sqlite://a.db").unwrap();
        assert_eq!(s.allowed, vec!["image/jpeg", "application/pdf"]);
        c.allowed = vec!["exe".into()];
        assert!(c.settings("sqlite://a.db").is_err());
        c.allowed = vec![];
        c.max_size_mb = 0;
        assert!(c.settings("sqlite://a.db").is_err());
    }
}
