//! The page's tokens: the CSRF token bound to a cookie, the device check's signed cookie, the
//! SMS check's sealed challenge, and the WeCom check's `state` and sealed pass. All are made with keys derived from the anonymity key,
//! so every replica accepts what another made; none is stored on the server.

use axum::http::{header, HeaderMap};
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::anonymity;
use crate::feedback::web::Tags;

/// The cookie a form's CSRF token is bound to.
pub const CSRF_COOKIE: &str = "bb_form";
/// The device check's cookie.
pub const DEVICE_COOKIE: &str = "bb_device";
/// How long an SMS code is good for.
pub const CODE_TTL_MS: i64 = 10 * 60 * 1000;
/// Wrong codes allowed for one challenge.
pub const CODE_TRIES: u32 = 5;

/// A cookie of the request, by name.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic()))
}

/// A `Set-Cookie` value scoped to the page, out of reach of scripts.
pub fn set_cookie(name: &str, value: &str, max_age_secs: Option<i64>, secure: bool) -> String {
    let mut c = format!("{name}={value}; HttpOnly; SameSite=Lax; Path=/f");
    if let Some(age) = max_age_secs {
        c.push_str(&format!("; Max-Age={}", age.max(0)));
    }
    if secure {
        c.push_str("; Secure");
    }
    c
}

fn equal(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// A fresh random value for a cookie.
pub fn fresh() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// The CSRF token of the forms for a `CSRF_COOKIE` value.
pub fn csrf_token(cookie: &str) -> String {
    anonymity::keyed_hash("web-csrf", &[cookie.as_bytes()])[..32].to_owned()
}

/// Whether a form's token matches the request's cookie.
pub fn csrf_ok(headers: &HeaderMap, token: &str) -> bool {
    cookie(headers, CSRF_COOKIE).is_some_and(|c| equal(&csrf_token(&c), token))
}

/// A device cookie for a period: `<period>.<random>.<signature>`.
pub fn device_cookie(period: &str) -> String {
    let nonce = fresh();
    format!("{period}.{nonce}.{}", device_sig(period, &nonce))
}

fn device_sig(period: &str, nonce: &str) -> String {
    anonymity::keyed_hash("web-device", &[period.as_bytes(), nonce.as_bytes()])[..32].to_owned()
}

/// The random part of a device cookie that is signed and made for `period`.
pub fn device_nonce(value: &str, period: &str) -> Option<String> {
    let mut parts = value.split('.');
    let (p, nonce, sig) = (parts.next()?, parts.next()?, parts.next()?);
    (parts.next().is_none() && p == period && equal(&device_sig(p, nonce), sig))
        .then(|| nonce.to_owned())
}

/// What an SMS challenge holds, sealed into the form: never the number, only the tags made
/// from it for this target and period, and the code.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Challenge {
    /// Random: counts wrong tries.
    pub id: String,
    pub code: String,
    pub expires_at: i64,
    pub tags: Tags,
}

const CHALLENGE_PURPOSE: &str = "web-sms-challenge";

impl Challenge {
    /// A challenge with a fresh 6-digit code.
    pub fn new(tags: Tags, now: i64) -> Self {
        use rand::RngExt;
        Self {
            id: fresh(),
            code: format!("{:06}", rand::rng().random_range(0..1_000_000u32)),
            expires_at: now + CODE_TTL_MS,
            tags,
        }
    }

    /// Sealed for the form's hidden field.
    pub fn seal(&self) -> String {
        let json = serde_json::to_vec(self).expect("a challenge serializes");
        anonymity::seal(CHALLENGE_PURPOSE, &json, 512)
    }

    /// Opens a sealed challenge; None when forged or made under another key.
    pub fn open(sealed: &str) -> Option<Self> {
        anonymity::open(CHALLENGE_PURPOSE, sealed).and_then(|b| serde_json::from_slice(&b).ok())
    }

    /// Whether `typed` is the code (digits only, spaces ignored).
    pub fn matches(&self, typed: &str) -> bool {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        equal(&digits, &self.code)
    }
}

/// How long a WeCom authorization may take, from the redirect to WeCom to the way back.
pub const WECOM_STATE_TTL_MS: i64 = 10 * 60 * 1000;
/// How long the rating form reached through WeCom may stay open.
pub const WECOM_PASS_TTL_MS: i64 = 30 * 60 * 1000;

/// The `state` sent through WeCom's authorization: `<expiry>Z<nonce>Z<signature>` (letters and
/// digits only, under WeCom's 128 bytes), signed for this browser's form cookie and this
/// target, so it cannot be made for another browser or reused on another target.
pub fn wecom_state(cookie: &str, target: &str, now: i64) -> String {
    let expires = format!("{:x}", now + WECOM_STATE_TTL_MS);
    let nonce = fresh();
    let sig = wecom_state_sig(cookie, target, &expires, &nonce);
    format!("{expires}Z{nonce}Z{sig}")
}

fn wecom_state_sig(cookie: &str, target: &str, expires: &str, nonce: &str) -> String {
    anonymity::keyed_hash(
        "web-wecom-state",
        &[
            cookie.as_bytes(),
            target.as_bytes(),
            expires.as_bytes(),
            nonce.as_bytes(),
        ],
    )[..32]
        .to_owned()
}

/// The nonce and expiry of a `state` made for this cookie and target and not yet expired.
pub fn wecom_state_nonce(
    state: &str,
    cookie: &str,
    target: &str,
    now: i64,
) -> Option<(String, i64)> {
    let mut parts = state.split('Z');
    let (expires, nonce, sig) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !equal(&wecom_state_sig(cookie, target, expires, nonce), sig) {
        return None;
    }
    let expires_at = i64::from_str_radix(expires, 16).ok()?;
    (now <= expires_at).then(|| (nonce.to_owned(), expires_at))
}

/// What the WeCom check puts into the rating form once WeCom named the person: only the tags
/// made from the userid (never the userid), bound to the browser's form cookie, sealed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pass {
    pub tags: Tags,
    pub expires_at: i64,
    /// A keyed hash of the form cookie the pass was made for.
    bound: String,
}

const PASS_PURPOSE: &str = "web-wecom-pass";

fn bound_to(cookie: &str) -> String {
    anonymity::keyed_hash("web-wecom-bound", &[cookie.as_bytes()])[..32].to_owned()
}

impl Pass {
    pub fn new(tags: Tags, cookie: &str, now: i64) -> Self {
        Self {
            tags,
            expires_at: now + WECOM_PASS_TTL_MS,
            bound: bound_to(cookie),
        }
    }

    /// Sealed for the form's hidden field.
    pub fn seal(&self) -> String {
        let json = serde_json::to_vec(self).expect("a pass serializes");
        anonymity::seal(PASS_PURPOSE, &json, 512)
    }

    /// Opens a sealed pass sent by the browser holding `cookie`; None when forged, made under
    /// another key or for another browser.
    pub fn open(sealed: &str, cookie: Option<&str>) -> Option<Self> {
        let pass: Self =
            anonymity::open(PASS_PURPOSE, sealed).and_then(|b| serde_json::from_slice(&b).ok())?;
        cookie
            .is_some_and(|c| equal(&bound_to(c), &pass.bound))
            .then_some(pass)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_cookie_is_accepted_only_for_its_period_and_unaltered() {
        let c = device_cookie("2026-12");
        assert!(device_nonce(&c, "2026-12").is_some());
        assert!(device_nonce(&c, "2027-01").is_none());
        let forged = c.replace("2026-12.", "2026-12.0");
        assert!(device_nonce(&forged, "2026-12").is_none());
    }

    #[test]
    fn a_sealed_challenge_hides_its_code_and_opens_intact() {
        let tags = Tags {
            period: "2026-12".into(),
            target_id: 3,
            seen: "s".into(),
            sender: "x".into(),
        };
        let c = Challenge::new(tags, 0);
        let sealed = c.seal();
        assert!(!sealed.contains(&c.code));
        let opened = Challenge::open(&sealed).unwrap();
        assert!(opened.matches(&format!(" {} ", c.code)));
        assert!(!opened.matches("12345"));
        assert!(Challenge::open("s1:AAAA").is_none());
    }

    #[test]
    fn a_wecom_state_holds_only_letters_and_digits_and_is_good_for_its_cookie_target_and_time() {
        let s = wecom_state("cookie-a", "D12-305", 1_000);
        assert!(
            s.len() <= 128 && s.bytes().all(|b| b.is_ascii_alphanumeric()),
            "{s}"
        );
        let (nonce, expires) = wecom_state_nonce(&s, "cookie-a", "D12-305", 2_000).unwrap();
        assert_eq!(nonce.len(), 32);
        assert_eq!(expires, 1_000 + WECOM_STATE_TTL_MS);
        assert!(wecom_state_nonce(&s, "cookie-b", "D12-305", 2_000).is_none());
        assert!(wecom_state_nonce(&s, "cookie-a", "D12-306", 2_000).is_none());
        assert!(wecom_state_nonce(&s, "cookie-a", "D12-305", expires + 1).is_none());
        let later = s.replacen(&format!("{:x}", expires), &format!("{:x}", expires * 2), 1);
        assert!(wecom_state_nonce(&later, "cookie-a", "D12-305", 2_000).is_none());
    }

    #[test]
    fn a_wecom_pass_opens_only_for_the_browser_it_was_made_for() {
        let tags = Tags {
            period: "2026-12".into(),
            target_id: 3,
            seen: "s".into(),
            sender: "x".into(),
        };
        let sealed = Pass::new(tags.clone(), "cookie-a", 0).seal();
        assert_eq!(Pass::open(&sealed, Some("cookie-a")).unwrap().tags, tags);
        assert!(Pass::open(&sealed, Some("cookie-b")).is_none());
        assert!(Pass::open(&sealed, None).is_none());
        assert!(Pass::open("s1:AAAA", Some("cookie-a")).is_none());
    }
}
