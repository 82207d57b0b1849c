//! Twilio: inbound messages and status callbacks arrive form-encoded and signed; messages go
//! out through the Messages API.
//!
//! Signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security): `X-Twilio-Signature`
//! is base64(HMAC-SHA1(auth token, the full URL Twilio requested, query included, followed by
//! every POST parameter sorted by name, each name immediately followed by its value)). Values
//! of a repeated name are sorted too, and a value repeated under one name is signed once (as
//! Twilio's own validator, twilio-python's `RequestValidator.compute_signature`, does:
//! `for value in sorted(set(values))`). Twilio may sign an https URL with or without `:443`
//! (and http with or without `:80`), so both forms are tried. The URL is the public one from
//! configuration, since the bot sits behind a proxy.
//!
//! The signed text has no separators, so a signature cannot tell where one parameter ends:
//! `Body=hi` signs the same text as `Bod=yhi`, and `MessageSid=<sid>NumMedia0` the same as
//! `MessageSid=<sid>` beside `NumMedia=0`. Twilio's validator shares this, so the shape is
//! checked here after the signature: a message must carry a `MessageSid` (or `SmsSid`) of the
//! documented form (`SM` or `MM` and 32 hex digits), our `AccountSid`, `From`, `To`, `Body`
//! and `NumMedia`, each once; parameter names are Twilio's (letters and digits); anything else is refused as
//! malformed. A shifted boundary then breaks one of these, and the sid is the inbox's dedupe
//! key, so a replay of a captured request changes nothing.
//!
//! Sending: `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with basic auth and the
//! form `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`
//! (https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource).

use super::signature::{base64_matches, hmac_sha1};
use super::{
    classify_status, classify_transport, retry_after, Event, Gateway, Receipt, Received, Refusal,
    Request, Webhook,
};
use crate::config::sms::{Secret, SmsConfig};
use crate::delivery::{SendError, SendFuture};

/// The header Twilio signs with.
pub const HEADER: &str = "x-twilio-signature";
const FORM: &str = "application/x-www-form-urlencoded";
/// Where Twilio posts, under the public URL.
pub const PATH: &str = "/sms/twilio/inbound";

/// Twilio's inbound side.
pub struct TwilioWebhook {
    token: Secret,
    /// Our account (`AC…`): a request naming another is not for us.
    account_sid: String,
    /// The public URL of the webhook, without query.
    url: String,
}

/// Twilio's outbound side.
pub struct TwilioGateway {
    client: reqwest::Client,
    endpoint: String,
    account_sid: String,
    token: Secret,
    from: Option<String>,
    messaging_service_sid: Option<String>,
    status_callback: Option<String>,
}

/// Both sides from configuration (validated before).
pub fn build(
    config: &SmsConfig,
    public_url: Option<&str>,
    client: reqwest::Client,
) -> Result<(TwilioWebhook, TwilioGateway), String> {
    let t = &config.twilio;
    let token = t
        .auth_token
        .clone()
        .ok_or("BRANCHBOT_TWILIO_AUTH_TOKEN is not set")?;
    let sid = t
        .account_sid
        .clone()
        .ok_or("BRANCHBOT_TWILIO_ACCOUNT_SID is not set")?;
    let base = public_url.ok_or("http.public_url is not set")?;
    let url = format!("{}{PATH}", base.trim_end_matches('/'));
    let sid_for_hook = sid.clone();
    let gateway = TwilioGateway {
        client,
        endpoint: format!(
            "{}/2010-04-01/Accounts/{sid}/Messages.json",
            t.api_url.trim_end_matches('/')
        ),
        account_sid: sid,
        token: token.clone(),
        from: t.from.clone(),
        messaging_service_sid: t.messaging_service_sid.clone(),
        status_callback: t.status_callback.then(|| url.clone()),
    };
    Ok((TwilioWebhook::new(token, url, sid_for_hook), gateway))
}

/// The signature Twilio computes for a URL and POST parameters (base64).
pub fn signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    super::signature::base64(&mac(token, url, params))
}

/// The raw HMAC-SHA1 behind [`signature`].
fn mac(token: &str, url: &str, params: &[(String, String)]) -> Vec<u8> {
    // Sorted by name, then value; a (name, value) pair that repeats is signed once.
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut data = url.to_owned();
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    hmac_sha1(token.as_bytes(), &[data.as_bytes()])
}

/// Whether `sid` is a message sid as Twilio documents it: `SM` (or `MM` for a picture
/// message) and 32 lower-case hex digits.
pub fn is_message_sid(sid: &str) -> bool {
    let b = sid.as_bytes();
    b.len() == 34
        && (b.starts_with(b"SM") || b.starts_with(b"MM"))
        && b[2..]
            .iter()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c))
}

/// A number as Twilio writes it in `From` and `To`: E.164 or a short code, perhaps behind a
/// channel prefix (`whatsapp:+86…`).
fn is_address(s: &str) -> bool {
    let number = match s.split_once(':') {
        Some((channel, number))
            if !channel.is_empty() && channel.bytes().all(|c| c.is_ascii_lowercase()) =>
        {
            number
        }
        Some(_) => return false,
        None => s,
    };
    let digits = number.strip_prefix('+').unwrap_or(number);
    (2..=20).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit())
}

/// Whether a parameter name is shaped like Twilio's (`MessageSid`, `MediaUrl0`).
fn is_name(name: &str) -> bool {
    name.len() <= 64
        && name.bytes().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// Statuses a status callback may report
/// (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values).
const STATUSES: &[&str] = &[
    "accepted",
    "scheduled",
    "canceled",
    "queued",
    "sending",
    "sent",
    "failed",
    "delivered",
    "undelivered",
    "receiving",
    "received",
    "read",
    "partially_delivered",
];

/// The URL as given, and with the scheme's default port added or removed.
fn url_variants(url: &str) -> Vec<String> {
    let mut out = vec![url.to_owned()];
    let Some((scheme, rest)) = url.split_once("://") else {
        return out;
    };
    let port = match scheme.to_ascii_lowercase().as_str() {
        "https" => ":443",
        "http" => ":80",
        _ => return out,
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let other = match authority.strip_suffix(port) {
        Some(bare) => format!("{scheme}://{bare}{tail}"),
        None if !authority.rsplit(']').next().unwrap_or("").contains(':') => {
            format!("{scheme}://{authority}{port}{tail}")
        }
        None => return out,
    };
    out.push(other);
    out
}

fn form_params(req: &Request<'_>) -> Vec<(String, String)> {
    let is_form = req
        .header("content-type")
        .and_then(|v| v.split(';').next())
        .is_some_and(|mime| mime.trim().eq_ignore_ascii_case(FORM));
    if !is_form {
        return Vec::new();
    }
    form_urlencoded::parse(req.body).into_owned().collect()
}

impl TwilioWebhook {
    /// Verifies with the auth token, for requests to the public `url` (without query).
    pub fn new(token: Secret, url: String, account_sid: String) -> Self {
        Self {
            token,
            url,
            account_sid,
        }
    }

    /// The key that tags unknown numbers.
    pub fn key(&self) -> std::sync::Arc<[u8]> {
        self.token.expose().as_bytes().into()
    }
}

impl Webhook for TwilioWebhook {
    fn verify(&self, req: &Request<'_>) -> Result<(), Refusal> {
        let given = req.header(HEADER).ok_or(Refusal::Unsigned)?;
        let params = form_params(req);
        let url = match req.query {
            Some(q) if !q.is_empty() => format!("{}?{q}", self.url),
            _ => self.url.clone(),
        };
        // Every variant is computed and compared, so timing does not tell which one matched.
        let mut ok = false;
        for variant in url_variants(&url) {
            ok |= base64_matches(&mac(self.token.expose(), &variant, &params), given);
        }
        if ok {
            Ok(())
        } else {
            Err(Refusal::Forged)
        }
    }

    fn parse(&self, req: &Request<'_>) -> Result<Event, String> {
        let params = form_params(req);
        if params.is_empty() {
            return Err("expected a form-encoded body".into());
        }
        if let Some((name, _)) = params.iter().find(|(k, _)| !is_name(k)) {
            return Err(format!("unexpected parameter {name:?}"));
        }
        // The value of a parameter read here; present at most once (with one value).
        let get = |name: &str| -> Result<Option<&str>, String> {
            let mut values = params.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
            let first = values.next();
            if values.any(|v| Some(v) != first) {
                return Err(format!("{name} given twice"));
            }
            Ok(first.map(String::as_str))
        };
        let account = get("AccountSid")?.ok_or("no AccountSid")?;
        if account != self.account_sid {
            return Err("AccountSid is not this account".into());
        }
        let sid = match (get("MessageSid")?, get("SmsSid")?) {
            (Some(a), Some(b)) if a != b => return Err("MessageSid and SmsSid differ".into()),
            (Some(sid), _) | (None, Some(sid)) => sid,
            (None, None) => return Err("no MessageSid".into()),
        };
        if !is_message_sid(sid) {
            return Err("MessageSid is not a message sid (SM or MM and 32 hex digits)".into());
        }
        let status = match (get("MessageStatus")?, get("SmsStatus")?) {
            (Some(s), _) | (None, Some(s)) => Some(s),
            (None, None) => None,
        };
        if let Some(s) = status.filter(|s| !STATUSES.contains(s)) {
            return Err(format!("unknown MessageStatus {s:?}"));
        }
        let body = get("Body")?;
        if body.is_none() && status.is_some_and(|s| s != "received") {
            let status = status.unwrap_or_default();
            let receipt = match status {
                "delivered" | "read" => Receipt::Delivered,
                "undelivered" | "failed" => Receipt::Failed(match get("ErrorCode")? {
                    Some(code) if !code.is_empty() => format!("twilio: {status} ({code})"),
                    _ => format!("twilio: {status}"),
                }),
                _ => Receipt::Progress,
            };
            return Ok(Event::Status {
                provider_id: sid.to_owned(),
                receipt,
            });
        }
        let from = get("From")?.ok_or("no From")?;
        let to = get("To")?.ok_or("no To")?;
        if !is_address(from) || !is_address(to) {
            return Err("From or To is not a number".into());
        }
        let text = body.ok_or("no Body")?;
        // Twilio sends NumMedia with every message; without it, `NumMedia=1` could be re-split
        // as `NumMedia1=` and a picture message read as an empty text.
        let media = get("NumMedia")?
            .ok_or("no NumMedia")?
            .parse::<u32>()
            .map_err(|_| "NumMedia is not a number")?
            > 0;
        Ok(Event::Message(Received {
            id: sid.to_owned(),
            from: from.to_owned(),
            text: text.to_owned(),
            media,
        }))
    }

    fn ok_response(&self) -> (&'static str, &'static str) {
        // An empty TwiML document: no automatic reply (replies go through the outbox).
        (
            "text/xml; charset=utf-8",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
        )
    }
}

/// Twilio's error codes that mean the recipient cannot be reached this way
/// (https://www.twilio.com/docs/api/errors): 21610 replied STOP; 21614 not a mobile number.
fn unreachable_code(code: i64) -> bool {
    matches!(code, 21610 | 21614)
}

impl Gateway for TwilioGateway {
    fn send<'a>(&'a self, to: &'a str, text: &'a str, _reference: &'a str) -> SendFuture<'a> {
        Box::pin(async move {
            let mut form: Vec<(&str, &str)> = vec![("To", to), ("Body", text)];
            match (&self.messaging_service_sid, &self.from) {
                (Some(mg), _) => form.push(("MessagingServiceSid", mg)),
                (None, Some(from)) => form.push(("From", from)),
                (None, None) => return Err(SendError::Permanent("no From number".into())),
            }
            if let Some(cb) = &self.status_callback {
                form.push(("StatusCallback", cb));
            }
            let answer = self
                .client
                .post(&self.endpoint)
                .basic_auth(&self.account_sid, Some(self.token.expose()))
                .form(&form)
                .send()
                .await
                .map_err(classify_transport)?;
            let status = answer.status().as_u16();
            let wait = retry_after(answer.headers());
            let body: serde_json::Value = answer.json().await.unwrap_or_default();
            if (200..300).contains(&status) {
                return match body["sid"].as_str() {
                    Some(sid) => Ok(Some(sid.to_owned())),
                    None => Err(SendError::Transient("answer without a sid".into())),
                };
            }
            let code = body["code"].as_i64().unwrap_or_default();
            let detail = format!(
                "{} (code {code})",
                body["message"].as_str().unwrap_or("no message")
            );
            if unreachable_code(code) {
                return Err(SendError::Unreachable(detail));
            }
            Err(classify_status(status, wait, detail))
        })
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    const ACCOUNT: &str = "AC00000000000000000000000000000000";
    const SID: &str = "SM0123456789abcdef0123456789abcdef";
    const URL: &str = "https://bot.example.org/sms/twilio/inbound";

    fn hook() -> TwilioWebhook {
        TwilioWebhook::new(Secret::new("t"), URL.into(), ACCOUNT.into())
    }

    /// A form body as sent, and the headers with Twilio's signature over `signed`.
    fn request(body: &str, signed: &[(&str, &str)]) -> (HeaderMap, Vec<u8>) {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static(FORM));
        let sig = signature("t", URL, &params(signed));
        headers.insert(HEADER, HeaderValue::from_str(&sig).unwrap());
        (headers, body.as_bytes().to_vec())
    }

    fn check(headers: &HeaderMap, body: &[u8]) -> Result<Event, String> {
        let req = Request {
            headers,
            query: None,
            body,
            now_secs: 0,
        };
        hook().verify(&req).map_err(|r| format!("{r:?}"))?;
        hook().parse(&req)
    }

    fn genuine() -> Vec<(&'static str, &'static str)> {
        vec![
            ("AccountSid", ACCOUNT),
            ("Body", "hi"),
            ("From", "+8613800010004"),
            ("MessageSid", SID),
            ("NumMedia", "0"),
            ("To", "+15005550006"),
        ]
    }

    fn form(pairs: &[(&str, &str)]) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    #[test]
    fn a_genuine_message_is_read() {
        let (h, b) = request(&form(&genuine()), &genuine());
        assert_eq!(
            check(&h, &b),
            Ok(Event::Message(Received {
                id: SID.into(),
                from: "+8613800010004".into(),
                text: "hi".into(),
                media: false,
            }))
        );
    }

    #[test]
    fn a_body_signed_as_hi_is_not_read_when_resent_as_bod_yhi() {
        let signed = genuine();
        let shifted: Vec<(&str, &str)> = signed
            .iter()
            .map(|&(k, v)| if k == "Body" { ("Bod", "yhi") } else { (k, v) })
            .collect();
        let (h, b) = request(&form(&shifted), &signed);
        // The signature alone cannot tell (Twilio's scheme has no separators)…
        let req = Request {
            headers: &h,
            query: None,
            body: &b,
            now_secs: 0,
        };
        assert_eq!(hook().verify(&req), Ok(()));
        // …so the shape does: a message without a Body is not one.
        assert_eq!(hook().parse(&req), Err("no Body".into()));
    }

    #[test]
    fn a_captured_message_resent_with_the_sid_swallowing_a_parameter_is_refused() {
        let signed = genuine();
        let longer = format!("{SID}NumMedia0");
        let shifted: Vec<(&str, &str)> = signed
            .iter()
            .filter(|(k, _)| *k != "NumMedia")
            .map(|&(k, v)| {
                if k == "MessageSid" {
                    (k, longer.as_str())
                } else {
                    (k, v)
                }
            })
            .collect();
        let (h, b) = request(&form(&shifted), &signed);
        assert_eq!(
            check(&h, &b),
            Err("MessageSid is not a message sid (SM or MM and 32 hex digits)".into())
        );
    }

    #[test]
    fn requests_of_unknown_shape_or_for_another_account_are_refused() {
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (
                vec![
                    ("MessageSid", SID),
                    ("From", "+8613800010004"),
                    ("Body", "x"),
                ],
                "no AccountSid",
            ),
            (
                vec![
                    ("AccountSid", "AC11111111111111111111111111111111"),
                    ("MessageSid", SID),
                ],
                "AccountSid is not this account",
            ),
            (
                vec![("AccountSid", ACCOUNT), ("MessageSid", "SM123")],
                "MessageSid is not a message sid (SM or MM and 32 hex digits)",
            ),
            (
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("SmsSid", "SMffffffffffffffffffffffffffffffff"),
                ],
                "MessageSid and SmsSid differ",
            ),
            (
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("Body", "a"),
                    ("Body", "b"),
                ],
                "Body given twice",
            ),
            (
                vec![("AccountSid", ACCOUNT), ("MessageSid", SID), ("Bo dy", "a")],
                "unexpected parameter \"Bo dy\"",
            ),
            (
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("MessageStatus", "exploded"),
                ],
                "unknown MessageStatus \"exploded\"",
            ),
            (
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("Body", "x"),
                    ("From", "+8613800010004CityBEIJING"),
                    ("To", "+15005550006"),
                ],
                "From or To is not a number",
            ),
            (
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("Body", "x"),
                    ("From", "+8613800010004"),
                ],
                "no To",
            ),
            (
                // `NumMedia=1` re-split as `NumMedia1=`: a picture message read as text.
                vec![
                    ("AccountSid", ACCOUNT),
                    ("MessageSid", SID),
                    ("Body", ""),
                    ("From", "+8613800010004"),
                    ("NumMedia1", ""),
                    ("To", "+15005550006"),
                ],
                "no NumMedia",
            ),
        ];
        for (pairs, why) in cases {
            let (h, b) = request(&form(&pairs), &pairs);
            assert_eq!(check(&h, &b), Err(why.to_owned()), "{pairs:?}");
        }
    }

    #[test]
    fn status_callbacks_are_read_by_their_sid() {
        let pairs = [
            ("AccountSid", ACCOUNT),
            ("MessageSid", SID),
            ("MessageStatus", "undelivered"),
            ("ErrorCode", "30003"),
        ];
        let (h, b) = request(&form(&pairs), &pairs);
        assert_eq!(
            check(&h, &b),
            Ok(Event::Status {
                provider_id: SID.into(),
                receipt: Receipt::Failed("twilio: undelivered (30003)".into()),
            })
        );
    }

    #[test]
    fn a_repeated_parameter_is_accepted_as_twilios_validator_signs_it() {
        let mut pairs = genuine();
        pairs.push(("Dup", "same"));
        pairs.push(("Dup", "same"));
        let body = form(&pairs);
        // Twilio's validator: names sorted, each name's distinct values sorted, appended once.
        let data = format!(
            "{URL}AccountSid{ACCOUNT}BodyhiDupsameFrom+8613800010004MessageSid{SID}NumMedia0To+15005550006"
        );
        let sig = super::super::signature::base64(&hmac_sha1(b"t", &[data.as_bytes()]));
        let mut h = HeaderMap::new();
        h.insert("content-type", HeaderValue::from_static(FORM));
        h.insert(HEADER, HeaderValue::from_str(&sig).unwrap());
        assert!(matches!(check(&h, body.as_bytes()), Ok(Event::Message(_))));
    }

    #[test]
    fn message_sids_have_the_documented_form() {
        assert!(is_message_sid(SID));
        assert!(is_message_sid("MM0123456789abcdef0123456789abcdef"));
        for bad in [
            "",
            "SM",
            "SM0123456789abcdef0123456789abcde",
            "SM0123456789abcdef0123456789abcdef0",
            "SM0123456789ABCDEF0123456789ABCDEF",
            "CA0123456789abcdef0123456789abcdef",
            "SM0123456789abcdef0123456789abcdeg",
        ] {
            assert!(!is_message_sid(bad), "{bad}");
        }
    }

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    /// The worked example on Twilio's "Webhooks security" page.
    #[test]
    fn twilios_published_example_verifies() {
        let p = params(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+12349013030"),
            ("Digits", "1234"),
            ("From", "+12349013030"),
            ("To", "+18005551212"),
        ]);
        assert_eq!(
            signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", &p),
            "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        );
        // The same, as the request arrives: form body out of order, query from the URL.
        let hook = TwilioWebhook::new(
            Secret::new("12345"),
            "https://mycompany.com/myapp.php".into(),
            ACCOUNT.into(),
        );
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static(FORM));
        headers.insert(
            HEADER,
            HeaderValue::from_static("0/KCTR6DLpKmkAf8muzZqo1nDgQ="),
        );
        let body = b"To=%2B18005551212&Digits=1234&CallSid=CA1234567890ABCDE&From=%2B12349013030&Caller=%2B12349013030";
        let req = Request {
            headers: &headers,
            query: Some("foo=1&bar=2"),
            body,
            now_secs: 0,
        };
        assert_eq!(hook.verify(&req), Ok(()));
        let other_query = Request {
            query: Some("foo=1&bar=3"),
            ..req
        };
        assert_eq!(hook.verify(&other_query), Err(Refusal::Forged));
        let tampered = Request {
            body: b"To=%2B18005551212&Digits=9999&CallSid=CA1234567890ABCDE&From=%2B12349013030&Caller=%2B12349013030",
            ..req
        };
        assert_eq!(hook.verify(&tampered), Err(Refusal::Forged));
        let mut unsigned = headers.clone();
        unsigned.remove(HEADER);
        let req = Request {
            headers: &unsigned,
            ..req
        };
        assert_eq!(hook.verify(&req), Err(Refusal::Unsigned));
    }

    #[test]
    fn the_default_port_may_or_may_not_be_in_the_signed_url() {
        assert_eq!(
            url_variants("https://bot.example.org/sms/twilio/inbound?a=1"),
            vec![
                "https://bot.example.org/sms/twilio/inbound?a=1",
                "https://bot.example.org:443/sms/twilio/inbound?a=1"
            ]
        );
        assert_eq!(
            url_variants("http://bot.example.org:80/x")[1],
            "http://bot.example.org/x"
        );
        assert_eq!(url_variants("https://bot.example.org:8443/x").len(), 1);
        let p = params(&[("Body", "1"), ("From", "+8613800010004")]);
        let signed_with_port = signature("t", "https://bot.example.org:443/sms/twilio/inbound", &p);
        let hook = TwilioWebhook::new(
            Secret::new("t"),
            "https://bot.example.org/sms/twilio/inbound".into(),
            ACCOUNT.into(),
        );
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static(FORM));
        headers.insert(HEADER, HeaderValue::from_str(&signed_with_port).unwrap());
        let req = Request {
            headers: &headers,
            query: None,
            body: b"From=%2B8613800010004&Body=1",
            now_secs: 0,
        };
        assert_eq!(hook.verify(&req), Ok(()));
    }

    #[test]
    fn repeated_names_sort_their_values_too() {
        let a = params(&[("A", "2"), ("A", "1"), ("B", "x")]);
        let b = params(&[("B", "x"), ("A", "1"), ("A", "2")]);
        assert_eq!(
            signature("k", "https://h/p", &a),
            signature("k", "https://h/p", &b)
        );
        // The signed data is "https://h/pA1A2Bx".
        let direct = super::super::signature::base64(&hmac_sha1(b"k", &[b"https://h/pA1A2Bx"]));
        assert_eq!(signature("k", "https://h/p", &a), direct);
    }
}
