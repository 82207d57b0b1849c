//! HMAC signatures and their constant-time comparison, shared by the gateways.

use base64::Engine as _;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// HMAC-SHA256 over the concatenation of `parts`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// HMAC-SHA1 over the concatenation of `parts` (Twilio's scheme).
pub fn hmac_sha1(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes a key of any length");
    for p in parts {
        mac.update(p);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Whether `given` (hex, either case, surrounding spaces ignored) is `expected`, compared in
/// constant time. Anything that is not hex does not match.
pub fn hex_matches(expected: &[u8], given: &str) -> bool {
    match hex::decode(given.trim()) {
        Ok(bytes) => bool::from(bytes.as_slice().ct_eq(expected)),
        Err(_) => false,
    }
}

/// Whether `given` (standard base64) is `expected`, compared in constant time.
pub fn base64_matches(expected: &[u8], given: &str) -> bool {
    match base64::engine::general_purpose::STANDARD.decode(given.trim()) {
        Ok(bytes) => bool::from(bytes.as_slice().ct_eq(expected)),
        Err(_) => false,
    }
}

/// Standard base64, for signing test requests the way a gateway does.
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_case_two_signs_as_published() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let mac = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert!(hex_matches(
            &mac,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ));
        assert!(hex_matches(
            &mac,
            "5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843"
        ));
        assert!(!hex_matches(&mac, "5bdcc146"));
        assert!(!hex_matches(&mac, "not hex"));
        assert!(!base64_matches(&mac, ""));
    }
}
