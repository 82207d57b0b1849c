//! Objects as files under one folder (one machine). A write goes to a temporary file in the
//! object's own folder, is synced, then renamed into place and the folder synced: after a
//! crash the object is either there whole or not at all (a stray `.tmp-` file at most, which
//! [`Storage::list`] shows and `attachments sweep` removes).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rand::RngExt as _;

use super::{Storage, Stored};

/// A folder of objects.
#[derive(Debug, Clone)]
pub struct Folder {
    root: PathBuf,
}

impl Folder {
    /// Objects under `root` (created on the first write).
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, key: &str) -> PathBuf {
        self.root.join(key)
    }
}

fn write_whole(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("an object path has a folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let suffix: u64 = rand::rng().random();
    let name = path
        .file_name()
        .context("an object path has a name")?
        .to_string_lossy();
    let tmp = dir.join(format!(".tmp-{suffix:016x}-{name}"));
    let result = (|| -> anyhow::Result<()> {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .with_context(|| format!("creating {}", tmp.display()))?;
        file.write_all(bytes)
            .with_context(|| format!("writing {}", tmp.display()))?;
        file.sync_all()
            .with_context(|| format!("syncing {}", tmp.display()))?;
        drop(file);
        std::fs::rename(&tmp, path).with_context(|| format!("renaming into {}", path.display()))?;
        // The rename itself is durable once the folder is synced.
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("syncing {}", dir.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<Stored>) -> std::io::Result<()> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            let modified = entry.metadata()?.modified()?;
            out.push(Stored {
                key: rel.to_string_lossy().replace('\\', "/"),
                modified: modified.into(),
            });
        }
    }
    Ok(())
}

impl Storage for Folder {
    async fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        let path = self.path(key);
        let bytes = bytes.to_vec();
        tokio::task::spawn_blocking(move || write_whole(&path, &bytes)).await?
    }

    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        let path = self.path(key);
        tokio::fs::read(&path)
            .await
            .with_context(|| format!("reading {}", path.display()))
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let path = self.path(key);
        match tokio::fs::remove_file(&path).await {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e).with_context(|| format!("deleting {}", path.display())),
        }
    }

    async fn list(&self) -> anyhow::Result<Vec<Stored>> {
        let root = self.root.clone();
        let mut listed = tokio::task::spawn_blocking(move || {
            let mut out = Vec::new();
            walk(&root, &root, &mut out).map(|()| out)
        })
        .await??;
        listed.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(listed)
    }
}
