//! Twilio: inbound messages and status callbacks arrive form-encoded and signed; messages go
//! out through the Messages API.
//!
//! Signature (https://www.twilio.com/docs/usage/webhooks/webhooks-security): `X-Twilio-Signature`
//! is base64(HMAC-SHA1(auth token, the full URL Twilio requested, query included, followed by
//! every POST parameter sorted by name, each name immediately followed by its value)). Values
//! of a repeated name are sorted too. Twilio may sign an https URL with or without `:443`
//! (and http with or without `:80`), so both forms are tried. The URL is the public one from
//! configuration, since the bot sits behind a proxy.
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
    Ok((TwilioWebhook::new(token, url), gateway))
}

/// The signature Twilio computes for a URL and POST parameters (base64).
pub fn signature(token: &str, url: &str, params: &[(String, String)]) -> String {
    super::signature::base64(&mac(token, url, params))
}

/// The raw HMAC-SHA1 behind [`signature`].
fn mac(token: &str, url: &str, params: &[(String, String)]) -> Vec<u8> {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut data = url.to_owned();
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    hmac_sha1(token.as_bytes(), &[data.as_bytes()])
}

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
    pub fn new(token: Secret, url: String) -> Self {
        Self { token, url }
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
        let get = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let sid = get("MessageSid")
            .or_else(|| get("SmsSid"))
            .filter(|s| !s.is_empty())
            .ok_or("no MessageSid")?;
        let status = get("MessageStatus").or_else(|| get("SmsStatus"));
        if get("Body").is_none() && status.is_some_and(|s| s != "received") {
            let status = status.unwrap_or_default();
            let receipt = match status {
                "delivered" | "read" => Receipt::Delivered,
                "undelivered" | "failed" => Receipt::Failed(match get("ErrorCode") {
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
        let from = get("From").filter(|s| !s.is_empty()).ok_or("no From")?;
        let media = get("NumMedia")
            .and_then(|n| n.parse::<u32>().ok())
            .is_some_and(|n| n > 0);
        Ok(Event::Message(Received {
            id: sid.to_owned(),
            from: from.to_owned(),
            text: get("Body").unwrap_or_default().to_owned(),
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
