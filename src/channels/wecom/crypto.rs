//! WeCom's callback encryption ("加解密方案说明", developer.work.weixin.qq.com path 91144):
//!
//! - `msg_signature = SHA1(sort([token, timestamp, nonce, encrypt]).join(""))`, hex;
//! - the AES key is `base64(EncodingAESKey + "=")`: 32 bytes; AES-256-CBC with IV = key[0..16];
//! - PKCS#7 padding to a block of **32** bytes (not AES's 16);
//! - plaintext = `random(16) ‖ len(msg) (4 bytes, big-endian) ‖ msg ‖ receive_id`, where the
//!   receive_id of a self-built app's callback is the CorpID.
//!
//! [`Crypto::verify`] compares signatures in constant time and is meant to run before
//! [`Crypto::decrypt`]; every failure is a [`CryptoError`], never a panic.

use aes::Aes256;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;

/// WeCom pads to 32-byte blocks.
const PAD_BLOCK: usize = 32;

/// Why a callback could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("EncodingAESKey must be 43 characters of base64")]
    BadKey,
    #[error("the signature does not match")]
    Forged,
    #[error("the ciphertext is not base64")]
    NotBase64,
    #[error("the ciphertext is not a whole number of AES blocks")]
    BadLength,
    #[error("the padding is not PKCS#7 to 32 bytes")]
    BadPadding,
    #[error("the plaintext is shorter than its length field says")]
    Truncated,
    #[error("the message is addressed to another organisation (receive_id)")]
    WrongReceiver,
    #[error("the message is not UTF-8")]
    NotUtf8,
}

/// The callback's keys: the token that signs and the AES key that encrypts.
#[derive(Clone)]
pub struct Crypto {
    token: String,
    key: [u8; 32],
    receive_id: String,
}

impl std::fmt::Debug for Crypto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Crypto")
            .field("receive_id", &self.receive_id)
            .finish_non_exhaustive()
    }
}

impl Crypto {
    /// Keys from the admin console's Token and EncodingAESKey; `receive_id` is the CorpID.
    pub fn new(token: &str, encoding_aes_key: &str, receive_id: &str) -> Result<Self, CryptoError> {
        let encoded = encoding_aes_key.trim();
        if encoded.len() != 43 {
            return Err(CryptoError::BadKey);
        }
        // 43 characters carry 258 bits: the last two are not part of the key and need not be
        // zero, so the decoder must allow trailing bits.
        let lenient = base64::engine::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
        );
        let bytes = lenient
            .decode(format!("{encoded}="))
            .map_err(|_| CryptoError::BadKey)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(Self {
            token: token.to_owned(),
            key,
            receive_id: receive_id.to_owned(),
        })
    }

    /// `SHA1(sort([token, timestamp, nonce, encrypt]).join(""))` as lower-case hex.
    pub fn signature(&self, timestamp: &str, nonce: &str, encrypt: &str) -> String {
        let mut parts = [self.token.as_str(), timestamp, nonce, encrypt];
        parts.sort_unstable();
        let mut hasher = Sha1::new();
        for p in parts {
            hasher.update(p.as_bytes());
        }
        hex::encode(hasher.finalize())
    }

    /// Checks `msg_signature` in constant time (case-insensitively, as hex).
    pub fn verify(
        &self,
        msg_signature: &str,
        timestamp: &str,
        nonce: &str,
        encrypt: &str,
    ) -> Result<(), CryptoError> {
        let expected = self.signature(timestamp, nonce, encrypt);
        let given = msg_signature.trim().to_ascii_lowercase();
        if given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
        {
            Ok(())
        } else {
            Err(CryptoError::Forged)
        }
    }

    /// Decrypts an `Encrypt` field (or a GET's `echostr`) into the message, checking the
    /// padding, the length field and the receive_id.
    pub fn decrypt(&self, encrypt: &str) -> Result<String, CryptoError> {
        let mut buf = STANDARD
            .decode(encrypt.trim())
            .map_err(|_| CryptoError::NotBase64)?;
        if buf.is_empty() || buf.len() % PAD_BLOCK != 0 {
            return Err(CryptoError::BadLength);
        }
        let cipher = cbc::Decryptor::<Aes256>::new_from_slices(&self.key, &self.key[..16])
            .map_err(|_| CryptoError::BadKey)?;
        let plain = cipher
            .decrypt_padded::<NoPadding>(&mut buf)
            .map_err(|_| CryptoError::BadLength)?;
        let pad = usize::from(*plain.last().ok_or(CryptoError::BadPadding)?);
        if pad == 0 || pad > PAD_BLOCK || pad > plain.len() {
            return Err(CryptoError::BadPadding);
        }
        if plain[plain.len() - pad..]
            .iter()
            .any(|b| usize::from(*b) != pad)
        {
            return Err(CryptoError::BadPadding);
        }
        let content = &plain[..plain.len() - pad];
        if content.len() < 20 {
            return Err(CryptoError::Truncated);
        }
        let len = u32::from_be_bytes([content[16], content[17], content[18], content[19]]);
        let len = usize::try_from(len).map_err(|_| CryptoError::Truncated)?;
        let rest = &content[20..];
        if len > rest.len() {
            return Err(CryptoError::Truncated);
        }
        let (msg, receive_id) = rest.split_at(len);
        if !bool::from(receive_id.ct_eq(self.receive_id.as_bytes())) {
            return Err(CryptoError::WrongReceiver);
        }
        String::from_utf8(msg.to_vec()).map_err(|_| CryptoError::NotUtf8)
    }

    /// Encrypts `msg` with the given 16 random bytes (what WeCom does; the bot uses it for
    /// passive replies and tests use it to build callbacks).
    pub fn encrypt(&self, msg: &str, random: [u8; 16]) -> String {
        let mut plain = Vec::with_capacity(msg.len() + self.receive_id.len() + 20 + PAD_BLOCK);
        plain.extend_from_slice(&random);
        plain.extend_from_slice(&(msg.len() as u32).to_be_bytes());
        plain.extend_from_slice(msg.as_bytes());
        plain.extend_from_slice(self.receive_id.as_bytes());
        let pad = PAD_BLOCK - plain.len() % PAD_BLOCK;
        plain.extend(std::iter::repeat_n(pad as u8, pad));
        let len = plain.len();
        let cipher = cbc::Encryptor::<Aes256>::new_from_slices(&self.key, &self.key[..16])
            .expect("a 32-byte key and a 16-byte IV");
        let out = cipher
            .encrypt_padded::<NoPadding>(&mut plain, len)
            .expect("the plaintext is padded to whole blocks");
        STANDARD.encode(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample values of WeCom's documentation ("加解密方案说明").
    const TOKEN: &str = "QDG6eK";
    const CORP_ID: &str = "wx5823bf96d3bd56c7";
    const AES_KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    fn crypto() -> Crypto {
        Crypto::new(TOKEN, AES_KEY, CORP_ID).unwrap()
    }

    /// The documentation's URL-verification GET and message POST.
    const ECHOSTR: &str =
        "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==";
    const ENCRYPT: &str = "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==";

    #[test]
    fn the_documented_url_verification_sample_verifies_and_decrypts() {
        let c = crypto();
        c.verify(
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3",
            "1409659589",
            "263014780",
            ECHOSTR,
        )
        .unwrap();
        let echo = c.decrypt(ECHOSTR).unwrap();
        assert!(
            !echo.is_empty() && echo.bytes().all(|b| b.is_ascii_digit()),
            "{echo}"
        );
    }

    #[test]
    fn the_documented_message_sample_verifies_and_decrypts_to_a_text_from_mycreate() {
        let c = crypto();
        c.verify(
            "477715d11cdb4164915debcba66cb864d751f3e6",
            "1409659813",
            "1372623149",
            ENCRYPT,
        )
        .unwrap();
        let xml = c.decrypt(ENCRYPT).unwrap();
        assert!(xml.starts_with("<xml>"), "{xml}");
        assert!(xml.contains("<ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>"));
        assert!(xml.contains("<FromUserName><![CDATA[mycreate]]></FromUserName>"));
        assert!(xml.contains("<Content><![CDATA[hello]]></Content>"));
        assert!(xml.contains("<MsgId>4561255354251345929</MsgId>"));
        // The same ciphertext under another organisation's CorpID is refused.
        let other = Crypto::new(TOKEN, AES_KEY, "wx0000000000000000").unwrap();
        assert_eq!(other.decrypt(ENCRYPT), Err(CryptoError::WrongReceiver));
    }

    #[test]
    fn the_documented_key_decodes_to_thirty_two_bytes() {
        let c = crypto();
        assert_eq!(c.key.len(), 32);
        assert_eq!(
            Crypto::new(TOKEN, &AES_KEY[..42], CORP_ID).unwrap_err(),
            CryptoError::BadKey
        );
        assert_eq!(
            Crypto::new(TOKEN, &format!("{}!", &AES_KEY[..42]), CORP_ID).unwrap_err(),
            CryptoError::BadKey
        );
    }

    #[test]
    fn round_trips_chinese_emoji_and_two_kilobytes() {
        let c = crypto();
        let long: String = "党支部🎉abc".chars().cycle().take(900).collect();
        assert!(long.len() > 2048);
        for (i, text) in ["", "hello", "回复 1 参加，2 请假", "🇨🇳👍🏽", long.as_str()]
            .into_iter()
            .enumerate()
        {
            let enc = c.encrypt(text, [i as u8; 16]);
            assert_eq!(STANDARD.decode(&enc).unwrap().len() % 32, 0);
            assert_eq!(c.decrypt(&enc).unwrap(), text);
        }
    }

    #[test]
    fn a_signature_is_sha1_of_the_four_sorted_values() {
        let c = crypto();
        // sort(["QDG6eK", "1409659813", "1372623149", "x"]) = 1372623149 1409659813 QDG6eK x
        let mut h = Sha1::new();
        h.update(b"13726231491409659813QDG6eKx");
        assert_eq!(
            c.signature("1409659813", "1372623149", "x"),
            hex::encode(h.finalize())
        );
        let sig = c.signature("1409659813", "1372623149", "x");
        assert!(c.verify(&sig, "1409659813", "1372623149", "x").is_ok());
        assert!(c
            .verify(&sig.to_uppercase(), "1409659813", "1372623149", "x")
            .is_ok());
        let mut tampered = sig.clone().into_bytes();
        tampered[0] = if tampered[0] == b'0' { b'1' } else { b'0' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(
            c.verify(&tampered, "1409659813", "1372623149", "x"),
            Err(CryptoError::Forged)
        );
        assert_eq!(
            c.verify(&sig, "1409659814", "1372623149", "x"),
            Err(CryptoError::Forged)
        );
        assert_eq!(
            c.verify("", "1409659813", "1372623149", "x"),
            Err(CryptoError::Forged)
        );
    }

    #[test]
    fn another_corp_id_is_refused() {
        let c = crypto();
        let other = Crypto::new(TOKEN, AES_KEY, "ww0000000000000000").unwrap();
        let enc = other.encrypt("<xml/>", [7; 16]);
        assert_eq!(c.decrypt(&enc), Err(CryptoError::WrongReceiver));
    }

    #[test]
    fn bad_padding_short_and_foreign_ciphertexts_are_errors_not_panics() {
        let c = crypto();
        let raw = |plain: &[u8]| {
            let mut buf = plain.to_vec();
            let len = buf.len();
            let enc = cbc::Encryptor::<Aes256>::new_from_slices(&c.key, &c.key[..16]).unwrap();
            STANDARD.encode(enc.encrypt_padded::<NoPadding>(&mut buf, len).unwrap())
        };
        // Padding byte 0, padding byte 33, inconsistent padding bytes.
        let mut block = vec![0u8; 64];
        assert_eq!(c.decrypt(&raw(&block)), Err(CryptoError::BadPadding));
        block[63] = 33;
        assert_eq!(c.decrypt(&raw(&block)), Err(CryptoError::BadPadding));
        block[63] = 3;
        block[62] = 3;
        block[61] = 4;
        assert_eq!(c.decrypt(&raw(&block)), Err(CryptoError::BadPadding));
        // A length field larger than what follows.
        let mut lying = vec![0u8; 16];
        lying.extend_from_slice(&1000u32.to_be_bytes());
        lying.extend_from_slice(b"short");
        let pad = 32 - lying.len() % 32;
        lying.extend(std::iter::repeat_n(pad as u8, pad));
        assert_eq!(c.decrypt(&raw(&lying)), Err(CryptoError::Truncated));
        assert_eq!(c.decrypt("not base64!"), Err(CryptoError::NotBase64));
        assert_eq!(c.decrypt(""), Err(CryptoError::BadLength));
        assert_eq!(
            c.decrypt(&STANDARD.encode([1u8; 17])),
            Err(CryptoError::BadLength)
        );
        // A 16-byte-aligned but not 32-byte-aligned ciphertext is not WeCom's.
        assert_eq!(
            c.decrypt(&STANDARD.encode([1u8; 48])),
            Err(CryptoError::BadLength)
        );
    }

    #[test]
    fn random_bytes_never_panic_the_decoder() {
        let c = crypto();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for n in 0..2000usize {
            let len = (n % 7) * 16 + (n % 3);
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            assert!(c.decrypt(&STANDARD.encode(&bytes)).is_err());
        }
    }
}
