//! Where attachments' bytes live, behind one trait: [`Storage`]. Objects are named by a key
//! the feature generates ([`new_key`]), never by anything a sender typed; an object is
//! either absent or complete.

pub mod folder;
pub mod s3;

use std::future::Future;

use rand::RngExt as _;

pub use folder::Folder;
pub use s3::S3;

/// A place objects are written to whole, read back and deleted.
pub trait Storage: Send + Sync {
    /// Writes the object completely (it is never seen half-written), replacing none: keys
    /// are fresh.
    fn put(&self, key: &str, bytes: &[u8]) -> impl Future<Output = anyhow::Result<()>> + Send;
    /// The object's bytes; an error when it is missing.
    fn get(&self, key: &str) -> impl Future<Output = anyhow::Result<Vec<u8>>> + Send;
    /// Deletes the object; nothing when it is already gone.
    fn delete(&self, key: &str) -> impl Future<Output = anyhow::Result<()>> + Send;
    /// Every object stored with when it was written, sorted by key, leftovers of an
    /// interrupted write included.
    fn list(&self) -> impl Future<Output = anyhow::Result<Vec<Stored>>> + Send;
}

/// An object as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub key: String,
    pub modified: chrono::DateTime<chrono::Utc>,
}

/// The configured backend.
#[derive(Debug)]
pub enum Backend {
    Folder(Folder),
    S3(S3),
    /// The configured backend could not be built (startup refuses to run with it; an engine
    /// built elsewhere answers every request with this reason).
    Unavailable(String),
}

impl Backend {
    /// The backend `[attachments]` resolved to.
    pub fn from_settings(storage: &crate::config::attachments::Storage) -> anyhow::Result<Self> {
        use crate::config::attachments::Storage as S;
        Ok(match storage {
            S::Folder(path) => Backend::Folder(Folder::new(path.clone())),
            S::S3(settings) => Backend::S3(S3::new(settings)?),
        })
    }

    /// Where the files are, for logs and `status` (no credentials).
    pub fn describe(&self) -> String {
        match self {
            Backend::Folder(f) => format!("folder {}", f.root().display()),
            Backend::S3(b) => b.describe(),
            Backend::Unavailable(why) => format!("unavailable ({why})"),
        }
    }
}

impl Backend {
    /// Every key stored, sorted (leftovers of an interrupted write included).
    pub async fn keys(&self) -> anyhow::Result<Vec<String>> {
        Ok(self.list().await?.into_iter().map(|s| s.key).collect())
    }

    /// Deletes an object no row names: a generated key, or the temporary file of a write
    /// that was interrupted (`3f/.tmp-…`).
    pub async fn delete_stray(&self, key: &str) -> anyhow::Result<()> {
        if check_key(key).is_ok() {
            return self.delete(key).await;
        }
        match self {
            Backend::Folder(f) if is_temporary(key) => f.delete(key).await,
            _ => anyhow::bail!("not an attachment key: {key:?}"),
        }
    }
}

/// A folder's temporary file: `xx/.tmp-<16 hex>-<key's name>`.
fn is_temporary(key: &str) -> bool {
    key.split_once('/').is_some_and(|(dir, name)| {
        dir.len() == 2
            && dir.bytes().all(|b| b.is_ascii_hexdigit())
            && name.starts_with(".tmp-")
            && !name.contains(['/', '\\'])
            && !name.contains("..")
    })
}

impl Storage for Backend {
    async fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        check_key(key)?;
        match self {
            Backend::Folder(f) => f.put(key, bytes).await,
            Backend::S3(b) => b.put(key, bytes).await,
            Backend::Unavailable(why) => anyhow::bail!("attachment storage unavailable: {why}"),
        }
    }

    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        check_key(key)?;
        match self {
            Backend::Folder(f) => f.get(key).await,
            Backend::S3(b) => b.get(key).await,
            Backend::Unavailable(why) => anyhow::bail!("attachment storage unavailable: {why}"),
        }
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        check_key(key)?;
        match self {
            Backend::Folder(f) => f.delete(key).await,
            Backend::S3(b) => b.delete(key).await,
            Backend::Unavailable(why) => anyhow::bail!("attachment storage unavailable: {why}"),
        }
    }

    async fn list(&self) -> anyhow::Result<Vec<Stored>> {
        match self {
            Backend::Folder(f) => f.list().await,
            Backend::S3(b) => b.list().await,
            Backend::Unavailable(why) => anyhow::bail!("attachment storage unavailable: {why}"),
        }
    }
}

/// A fresh key: two hex digits of fan-out, 32 random hex digits, the stored type's
/// extension (`3f/9a…e1.jpg`).
pub fn new_key(extension: &str) -> String {
    let bytes: [u8; 16] = rand::rng().random();
    let hex = hex::encode(bytes);
    format!("{}/{hex}.{extension}", &hex[..2])
}

/// Keys are generated, so anything else is refused: lowercase hex, one `/`, one `.` and a
/// short lowercase extension.
pub fn check_key(key: &str) -> anyhow::Result<()> {
    let ok = key.len() <= 64
        && key.split_once('/').is_some_and(|(dir, rest)| {
            dir.len() == 2
                && dir
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                && rest.split_once('.').is_some_and(|(name, ext)| {
                    name.len() == 32
                        && name
                            .bytes()
                            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
                        && (1..=5).contains(&ext.len())
                        && ext.bytes().all(|b| b.is_ascii_lowercase())
                })
        });
    anyhow::ensure!(ok, "not an attachment key: {key:?}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_generated_and_checked() {
        let k = new_key("jpg");
        check_key(&k).unwrap();
        assert_ne!(k, new_key("jpg"));
        for bad in [
            "../../etc/passwd",
            "ab/../../x.jpg",
            "/etc/passwd",
            "ab/cd.jpg",
            "AB/0123456789abcdef0123456789abcdef.jpg",
            "ab/0123456789abcdef0123456789abcdef.j/g",
        ] {
            assert!(check_key(bad).is_err(), "{bad}");
        }
    }
}
