//! The anonymity key and what is made with it: keyed hashes and sealed (encrypted and
//! authenticated) blobs of a fixed size. See `docs/PRIVACY.md` for the threat model.
//!
//! One root key per deployment, never in the database: `BRANCHBOT_ANONYMITY_KEY`, or the file
//! named by `BRANCHBOT_ANONYMITY_KEY_FILE` (default `branchbot.anonymity-key` in the working
//! folder), created with 32 random bytes and mode 0600 when missing. Every use derives its own
//! key from it with HKDF-SHA256 (`purpose` is the HKDF info), so a sealed ballot can never be
//! opened as a feedback entry, and a keyed hash of one kind never equals one of another.
//!
//! Sealed values are `s1:` followed by base64 of a random 24-byte nonce and the
//! XChaCha20-Poly1305 ciphertext of `len (4 bytes) ‖ plaintext ‖ zeros`, padded to a multiple
//! of the caller's block size, so equal-sized blocks say nothing about their content.

use std::sync::OnceLock;

use base64::Engine as _;
use chacha20poly1305::aead::Aead;
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{KeyInit, Mac};
use sha2::Sha256;

/// What marks a sealed value.
const PREFIX: &str = "s1:";

/// Where the key comes from, for the message `serve` prints when it must refuse to start.
pub const KEY_VARIABLES: &str = "BRANCHBOT_ANONYMITY_KEY / BRANCHBOT_ANONYMITY_KEY_FILE";

/// Whether the operator named the key (in the environment or by a key file of their choosing),
/// rather than leaving the bot to make a key file in its working folder. Several replicas must
/// share one key, so on PostgreSQL `serve` requires this.
pub fn key_is_configured() -> bool {
    let set = |name: &str| std::env::var(name).is_ok_and(|v| !v.trim().is_empty());
    set("BRANCHBOT_ANONYMITY_KEY") || set("BRANCHBOT_ANONYMITY_KEY_FILE")
}

/// The root key (see the module documentation).
pub fn root_key() -> &'static [u8] {
    static KEY: OnceLock<Vec<u8>> = OnceLock::new();
    KEY.get_or_init(|| {
        if let Some(key) = std::env::var("BRANCHBOT_ANONYMITY_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty())
        {
            return key.trim().as_bytes().to_vec();
        }
        let path = std::env::var("BRANCHBOT_ANONYMITY_KEY_FILE")
            .ok()
            .filter(|p| !p.trim().is_empty())
            .unwrap_or_else(|| "branchbot.anonymity-key".into());
        key_file(std::path::Path::new(&path)).unwrap_or_else(|e| {
            // Without a file, a key for this process only: what was sealed before a restart
            // can no longer be opened, so `serve` on PostgreSQL refuses to run without a key.
            tracing::warn!(%path, error = %e, "no anonymity key file; using a key for this process only");
            rand::random::<[u8; 32]>().to_vec()
        })
    })
}

/// Reads the key file, or creates it (readable by the owner only) with a new random key.
fn key_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    match std::fs::read_to_string(path) {
        Ok(text) if !text.trim().is_empty() => return Ok(text.trim().as_bytes().to_vec()),
        Ok(_) => {}
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        Err(_) => {}
    }
    let key = hex::encode(rand::random::<[u8; 32]>());
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, key.as_bytes())?;
            Ok(key.into_bytes())
        }
        // Another process made it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Ok(std::fs::read_to_string(path)?.trim().as_bytes().to_vec())
        }
        Err(e) => Err(e),
    }
}

/// The key of one purpose: HKDF-SHA256 over the root key.
fn derive(root: &[u8], purpose: &str) -> [u8; 32] {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(b"branchbot-anonymity-v1"), root);
    let mut okm = [0u8; 32];
    hk.expand(purpose.as_bytes(), &mut okm)
        .expect("32 bytes is a valid HKDF-SHA256 length");
    okm
}

/// A keyed hash (HMAC-SHA256, hex) of `parts` for one purpose, under the root key.
pub fn keyed_hash(purpose: &str, parts: &[&[u8]]) -> String {
    hmac_hex(&derive(root_key(), purpose), parts)
}

/// HMAC-SHA256 (hex) of `parts`, each followed by a zero byte, under `key`.
pub fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac =
        hmac::Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
        mac.update(b"\0");
    }
    hex::encode(mac.finalize().into_bytes())
}

/// Seals `plaintext` for `purpose`, padded to a multiple of `block` bytes (plus four for the
/// length).
pub fn seal(purpose: &str, plaintext: &[u8], block: usize) -> String {
    seal_with(root_key(), purpose, plaintext, block)
}

/// Opens what [`seal`] made for the same purpose. None when it is not sealed, was sealed for
/// another purpose or under another key, or was tampered with.
pub fn open(purpose: &str, sealed: &str) -> Option<Vec<u8>> {
    open_with(root_key(), purpose, sealed)
}

/// Whether a stored value is sealed.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

/// Seals a text unless it is empty (an empty value says nothing and stays empty).
pub fn seal_text(purpose: &str, text: &str, block: usize) -> String {
    if text.is_empty() {
        return String::new();
    }
    seal(purpose, text.as_bytes(), block)
}

/// Opens a text sealed with [`seal_text`]; a value that is not sealed (written before sealing
/// began) is returned as it is.
pub fn open_text(purpose: &str, value: &str) -> Option<String> {
    if !is_sealed(value) {
        return Some(value.to_owned());
    }
    open(purpose, value).and_then(|b| String::from_utf8(b).ok())
}

fn seal_with(root: &[u8], purpose: &str, plaintext: &[u8], block: usize) -> String {
    let block = block.max(1);
    let len = u32::try_from(plaintext.len()).expect("sealed values are small");
    let padded_len = plaintext.len().div_ceil(block).max(1) * block;
    let mut padded = Vec::with_capacity(4 + padded_len);
    padded.extend_from_slice(&len.to_be_bytes());
    padded.extend_from_slice(plaintext);
    padded.resize(4 + padded_len, 0);
    let cipher = XChaCha20Poly1305::new(&derive(root, purpose).into());
    let nonce_bytes: [u8; 24] = rand::random();
    let nonce = XNonce::from(nonce_bytes);
    let sealed = cipher
        .encrypt(&nonce, padded.as_slice())
        .expect("encryption of a small buffer cannot fail");
    let mut out = nonce_bytes.to_vec();
    out.extend_from_slice(&sealed);
    format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(out)
    )
}

fn open_with(root: &[u8], purpose: &str, sealed: &str) -> Option<Vec<u8>> {
    let raw = base64::engine::general_purpose::STANDARD
        .decode(sealed.strip_prefix(PREFIX)?)
        .ok()?;
    if raw.len() < 24 {
        return None;
    }
    let (nonce_bytes, body) = raw.split_at(24);
    let nonce = XNonce::try_from(nonce_bytes).ok()?;
    let cipher = XChaCha20Poly1305::new(&derive(root, purpose).into());
    let padded = cipher.decrypt(&nonce, body).ok()?;
    let len = u32::from_be_bytes(padded.get(..4)?.try_into().ok()?) as usize;
    padded.get(4..4 + len).map(<[u8]>::to_vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_purpose() {
        let sealed = seal_with(b"root", "ballot", "合格合格".as_bytes(), 64);
        assert!(!sealed.contains("合格"));
        assert_eq!(
            open_with(b"root", "ballot", &sealed).as_deref(),
            Some("合格合格".as_bytes())
        );
        assert_eq!(open_with(b"root", "feedback", &sealed), None);
        assert_eq!(open_with(b"other", "ballot", &sealed), None);
    }

    #[test]
    fn sealed_values_of_different_lengths_have_the_same_size_within_a_block() {
        let short = seal_with(b"root", "p", b"a", 512);
        let long = seal_with(b"root", "p", &[b'x'; 500], 512);
        assert_eq!(short.len(), long.len());
        // The same text sealed twice looks different (a fresh nonce each time).
        assert_ne!(
            seal_with(b"root", "p", b"a", 512),
            seal_with(b"root", "p", b"a", 512)
        );
    }

    #[test]
    fn a_value_that_is_not_sealed_is_read_as_it_is() {
        assert_eq!(open_text("p", "plain").as_deref(), Some("plain"));
        assert_eq!(seal_text("p", "", 16), "");
    }
}
