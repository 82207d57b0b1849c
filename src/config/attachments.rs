//! `[attachments]`: where photos and files are kept (a folder on this machine, or an
//! S3-compatible object store shared by several replicas), how large one may be and which
//! kinds are taken. The files themselves are `attachments`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::sms::Secret;
use super::{secret, ConfigError, Problem};
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
    /// An S3-compatible bucket (several replicas share it).
    S3,
}

/// `[attachments.s3]`: the bucket. Credentials come only from the environment:
/// `BRANCHBOT_S3_ACCESS_KEY_ID` and `BRANCHBOT_S3_SECRET_ACCESS_KEY` (or `…_FILE`), with
/// `BRANCHBOT_S3_SESSION_TOKEN` for temporary ones; none: the instance's role.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct S3Config {
    /// The service's URL (`https://minio.example.edu:9000`); empty: AWS S3 in `region`.
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    /// Path-style requests (`endpoint/bucket/key`), which MinIO, Garage and most
    /// self-hosted services want; false: virtual-hosted (`bucket.endpoint/key`).
    pub path_style: bool,
    /// Keys start with this folder inside the bucket (`branchbot/`); empty: none.
    pub prefix: String,
    #[serde(skip)]
    pub access_key_id: Option<Secret>,
    #[serde(skip)]
    pub secret_access_key: Option<Secret>,
    #[serde(skip)]
    pub session_token: Option<Secret>,
}

impl Default for S3Config {
    fn default() -> Self {
        Self {
            endpoint: String::new(),
            bucket: String::new(),
            region: "us-east-1".into(),
            path_style: true,
            prefix: String::new(),
            access_key_id: None,
            secret_access_key: None,
            session_token: None,
        }
    }
}

/// The bucket, checked, with its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub path_style: bool,
    pub prefix: String,
    pub access_key_id: Option<Secret>,
    pub secret_access_key: Option<Secret>,
    pub session_token: Option<Secret>,
}

/// What a college may set (`[attachments]`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AttachmentsConfig {
    /// `folder` (default) or `s3`.
    pub backend: BackendKind,
    /// The folder for `backend = "folder"`; empty: next to the SQLite file
    /// (`branchbot.db` → `branchbot-attachments/`), or `./attachments` with PostgreSQL.
    pub folder: String,
    /// The largest file taken, in megabytes (1 MB = 1,048,576 bytes).
    pub max_size_mb: u64,
    /// The kinds taken, by short name (see [`KINDS`]); by default all of them.
    pub allowed: Vec<String>,
    /// The bucket for `backend = "s3"`.
    pub s3: S3Config,
}

impl Default for AttachmentsConfig {
    fn default() -> Self {
        Self {
            backend: BackendKind::Folder,
            folder: String::new(),
            max_size_mb: 10,
            allowed: KINDS.iter().map(|(k, _)| (*k).to_owned()).collect(),
            s3: S3Config::default(),
        }
    }
}

/// Where the files are kept, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    Folder(PathBuf),
    S3(S3Settings),
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

impl S3Config {
    fn settings(&self) -> Result<S3Settings, ConfigError> {
        let bad = |field: &str, value: &str| {
            ConfigError::Invalid(
                Problem::new(msg!("config-attachments-s3-bad"))
                    .with("field", field.to_owned())
                    .with("value", value.to_owned()),
            )
        };
        let bucket = self.bucket.trim();
        let bucket_ok = (3..=63).contains(&bucket.len())
            && bucket
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
        if !bucket_ok {
            return Err(bad("attachments.s3.bucket", bucket));
        }
        let endpoint = self.endpoint.trim().trim_end_matches('/');
        let scheme_ok = endpoint.starts_with("http://") || endpoint.starts_with("https://");
        if !endpoint.is_empty() && !scheme_ok {
            return Err(bad("attachments.s3.endpoint", endpoint));
        }
        if self.region.trim().is_empty() {
            return Err(bad("attachments.s3.region", ""));
        }
        if self.access_key_id.is_some() != self.secret_access_key.is_some() {
            return Err(ConfigError::invalid(msg!(
                "config-attachments-s3-keys-pair"
            )));
        }
        Ok(S3Settings {
            endpoint: (!endpoint.is_empty()).then(|| endpoint.to_owned()),
            bucket: bucket.to_owned(),
            region: self.region.trim().to_owned(),
            path_style: self.path_style,
            prefix: self.prefix.trim().trim_matches('/').to_owned(),
            access_key_id: self.access_key_id.clone(),
            secret_access_key: self.secret_access_key.clone(),
            session_token: self.session_token.clone(),
        })
    }
}

impl AttachmentsConfig {
    /// Reads the bucket's credentials from the environment (never from the file).
    pub fn apply_env(&mut self, get: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = secret(get, "BRANCHBOT_S3_ACCESS_KEY_ID")? {
            self.s3.access_key_id = Some(Secret::new(v));
        }
        if let Some(v) = secret(get, "BRANCHBOT_S3_SECRET_ACCESS_KEY")? {
            self.s3.secret_access_key = Some(Secret::new(v));
        }
        if let Some(v) = secret(get, "BRANCHBOT_S3_SESSION_TOKEN")? {
            self.s3.session_token = Some(Secret::new(v));
        }
        Ok(())
    }

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
            BackendKind::S3 => Storage::S3(self.s3.settings()?),
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

    #[test]
    fn the_bucket_is_checked_and_its_keys_come_from_the_environment() {
        let mut c: AttachmentsConfig = toml::from_str(
            "backend = \"s3\"\n[s3]\nendpoint = \"http://127.0.0.1:9000/\"\nbucket = \"party-files\"\n",
        )
        .unwrap();
        c.apply_env(&|name: &str| match name {
            "BRANCHBOT_S3_ACCESS_KEY_ID" => Some("AKID".into()),
            "BRANCHBOT_S3_SECRET_ACCESS_KEY" => Some("SECRET".into()),
            _ => None,
        })
        .unwrap();
        let Storage::S3(s) = c.settings("sqlite://a.db").unwrap().storage else {
            panic!("s3")
        };
        assert_eq!(s.endpoint.as_deref(), Some("http://127.0.0.1:9000"));
        assert!(s.path_style);
        assert_eq!(s.access_key_id.unwrap().expose(), "AKID");
        assert!(!format!("{c:?}").contains("SECRET"), "never printed");
        // Keys in the file are refused: they belong in the environment.
        assert!(toml::from_str::<AttachmentsConfig>(
            "[s3]\nbucket = \"b\"\naccess_key_id = \"AKID\"\n"
        )
        .is_err());
        c.s3.bucket = "Bad_Bucket".into();
        assert!(c.settings("sqlite://a.db").is_err());
        c.s3.bucket = "ok-bucket".into();
        c.s3.secret_access_key = None;
        assert!(
            c.settings("sqlite://a.db").is_err(),
            "a key without its secret"
        );
    }
}
