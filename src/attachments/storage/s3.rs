//! Objects in an S3-compatible bucket (AWS S3, MinIO, Garage, Ceph, 阿里云 OSS or 腾讯云 COS in
//! S3 mode), shared by every replica, through `object_store`. An S3 PUT is atomic: the
//! object is there whole once the request succeeds, or not at all.

use anyhow::Context;
use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use super::{Storage, Stored};
use crate::config::attachments::S3Settings;

/// A bucket, and a prefix inside it.
#[derive(Debug)]
pub struct S3 {
    store: AmazonS3,
    bucket: String,
    prefix: String,
}

impl S3 {
    /// The bucket `settings` name, reached with the credentials they carry (or, with none,
    /// the instance's own through the cloud's metadata service).
    pub fn new(settings: &S3Settings) -> anyhow::Result<Self> {
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(&settings.bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(!settings.path_style);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder
                .with_endpoint(endpoint)
                .with_allow_http(endpoint.starts_with("http://"));
        }
        if let (Some(id), Some(secret)) = (&settings.access_key_id, &settings.secret_access_key) {
            builder = builder
                .with_access_key_id(id.expose())
                .with_secret_access_key(secret.expose());
        }
        if let Some(token) = &settings.session_token {
            builder = builder.with_token(token.expose());
        }
        let store = builder
            .build()
            .with_context(|| format!("the S3 bucket {}", settings.bucket))?;
        Ok(Self {
            store,
            bucket: settings.bucket.clone(),
            prefix: settings.prefix.trim_matches('/').to_owned(),
        })
    }

    /// Where the objects are, for logs (no credentials).
    pub fn describe(&self) -> String {
        if self.prefix.is_empty() {
            format!("s3 bucket {}", self.bucket)
        } else {
            format!("s3 bucket {}/{}", self.bucket, self.prefix)
        }
    }

    fn path(&self, key: &str) -> Path {
        if self.prefix.is_empty() {
            Path::from(key)
        } else {
            Path::from(format!("{}/{key}", self.prefix))
        }
    }
}

impl Storage for S3 {
    async fn put(&self, key: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.store
            .put(&self.path(key), PutPayload::from(bytes.to_vec()))
            .await
            .with_context(|| format!("storing {key} in {}", self.describe()))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> anyhow::Result<Vec<u8>> {
        let got = self
            .store
            .get(&self.path(key))
            .await
            .with_context(|| format!("reading {key} from {}", self.describe()))?;
        Ok(got.bytes().await?.to_vec())
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        match self.store.delete(&self.path(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e).with_context(|| format!("deleting {key} from {}", self.describe())),
        }
    }

    async fn list(&self) -> anyhow::Result<Vec<Stored>> {
        let prefix = (!self.prefix.is_empty()).then(|| Path::from(self.prefix.as_str()));
        let metas: Vec<_> = self.store.list(prefix.as_ref()).try_collect().await?;
        let strip = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut listed: Vec<Stored> = metas
            .iter()
            .map(|m| {
                let p = m.location.as_ref();
                Stored {
                    key: p.strip_prefix(strip.as_str()).unwrap_or(p).to_owned(),
                    modified: m.last_modified,
                }
            })
            .collect();
        listed.sort_by(|a, b| a.key.cmp(&b.key));
        Ok(listed)
    }
}
