//! WeCom's server API as the app uses it: `gettoken`, `message/send`,
//! `message/update_template_card` (developer.work.weixin.qq.com, 服务端API → 消息推送) and
//! `auth/getuserinfo` (身份验证 → 网页授权登录 → 获取访问用户身份), which the feedback page's
//! `wecom` check uses, `media/get` (素材管理 → 获取临时素材) for the pictures and files
//! members send, and `media/upload` (素材管理 → 上传临时素材) for a notice's file.
//!
//! The `access_token` (valid 7,200 s) is cached in this process and in the `wecom_tokens` row
//! shared by every replica on the database: a replica that finds no valid token takes a short
//! lease on the row, calls `gettoken` once and stores the result; the others wait for it, so N
//! replicas do not each call `gettoken`. When WeCom answers that a token expired or is invalid
//! (40014, 42001, 41001) the token is discarded, a new one fetched once, and the call retried.
//!
//! Answers are sorted for the delivery engine: `-1` (busy) and transport failures are retried
//! with backoff, API frequency limits (45009, 45033) wait, a userid that is not (or no longer)
//! in the app's visible range (`invaliduser`, 60111, 81013) is unreachable on WeCom.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};

use crate::channels::sms::{classify_status, classify_transport};
use crate::chat::sources::{FetchError, FetchFuture, FileSource};
use crate::clock::Clock;
use crate::config::sms::Secret;
use crate::delivery::SendError;
use crate::store::{wecom as store, Store};

/// A token is refreshed this long before WeCom's own expiry.
const MARGIN_MS: i64 = 5 * 60 * 1000;
/// How long a replica may hold the right to fetch a token.
const LEASE_MS: i64 = 15_000;

/// WeCom's error codes that say the access_token is expired or invalid.
pub fn token_rejected(errcode: i64) -> bool {
    matches!(errcode, 40014 | 42001 | 41001)
}

/// Sorts a WeCom `errcode` for the delivery engine.
pub fn classify(errcode: i64, errmsg: &str) -> SendError {
    let detail = format!("WeCom errcode {errcode}: {errmsg}");
    match errcode {
        // 系统繁忙
        -1 => SendError::Transient(detail),
        // API call frequency limits: wait a minute.
        45009 | 45033 | 45011 => SendError::RetryAfter(Duration::from_secs(60)),
        // The userid does not exist, or none of the recipients is in the app's visible range
        // (the member left the organisation or the app).
        60111 | 81013 | 60103 => SendError::Unreachable(detail),
        c if token_rejected(c) => SendError::Transient(detail),
        _ => SendError::Permanent(detail),
    }
}

/// The app's side of WeCom's API.
pub struct Api {
    client: reqwest::Client,
    base: String,
    corp_id: String,
    agent_id: i64,
    secret: Secret,
    store: Store,
    clock: Clock,
    /// The `wecom_tokens` row: corp id and agent id.
    app: String,
    /// This process, as the holder of the token lease.
    owner: String,
    cached: tokio::sync::Mutex<Option<(String, i64)>>,
    /// `gettoken` calls this process made.
    pub gettoken_calls: AtomicU64,
}

impl Api {
    pub fn new(
        client: reqwest::Client,
        base: &str,
        corp_id: &str,
        agent_id: i64,
        secret: Secret,
        store: Store,
        clock: Clock,
    ) -> Self {
        let owner = format!("{:016x}", rand::random::<u64>());
        Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            corp_id: corp_id.to_owned(),
            agent_id,
            secret,
            store,
            clock,
            app: format!("{corp_id}:{agent_id}"),
            owner,
            cached: tokio::sync::Mutex::new(None),
            gettoken_calls: AtomicU64::new(0),
        }
    }

    pub fn agent_id(&self) -> i64 {
        self.agent_id
    }

    /// The organisation's CorpID (the `appid` of WeCom's web authorization).
    pub fn corp_id(&self) -> &str {
        &self.corp_id
    }

    /// A valid access_token: cached, shared by another replica, or fetched under the lease.
    pub async fn token(&self) -> Result<String, SendError> {
        let db = |e: crate::store::StoreError| SendError::Transient(format!("database: {e}"));
        let mut cached = self.cached.lock().await;
        if let Some((token, expires)) = cached.as_ref() {
            if *expires - MARGIN_MS > self.clock.now_ms() {
                return Ok(token.clone());
            }
        }
        // Up to a little more than one lease: a replica that died holding it is taken over.
        for _ in 0..100 {
            let now = self.clock.now_ms();
            let mut conn = self
                .store
                .pool()
                .acquire()
                .await
                .map_err(|e| db(e.into()))?;
            let row = store::token(&mut conn, &self.app).await.map_err(db)?;
            if !row.token.is_empty() && row.expires_at - MARGIN_MS > now {
                *cached = Some((row.token.clone(), row.expires_at));
                return Ok(row.token);
            }
            if store::take_token_lease(
                &mut conn,
                &self.app,
                &self.owner,
                now,
                now + LEASE_MS,
                now + MARGIN_MS,
            )
            .await
            .map_err(db)?
            {
                return match self.fetch_token().await {
                    Ok((token, expires_in)) => {
                        let expires_at = self.clock.now_ms() + expires_in * 1000;
                        store::store_token(&mut conn, &self.app, &token, expires_at)
                            .await
                            .map_err(db)?;
                        *cached = Some((token.clone(), expires_at));
                        Ok(token)
                    }
                    Err(e) => {
                        store::release_token_lease(&mut conn, &self.app, &self.owner)
                            .await
                            .map_err(db)?;
                        Err(e)
                    }
                };
            }
            drop(conn);
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Err(SendError::Transient(
            "another replica is fetching the WeCom token".into(),
        ))
    }

    /// Forgets a token WeCom rejected, here and in the shared row.
    async fn discard(&self, token: &str) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|(t, _)| t == token) {
            *cached = None;
        }
        if let Ok(mut conn) = self.store.pool().acquire().await {
            if let Err(e) = store::discard_token(&mut conn, &self.app, token).await {
                tracing::warn!(error = %e, "could not discard a rejected WeCom token");
            }
        }
    }

    /// `GET /cgi-bin/gettoken`: (token, seconds it lasts).
    async fn fetch_token(&self) -> Result<(String, i64), SendError> {
        self.gettoken_calls.fetch_add(1, Ordering::Relaxed);
        let answer = self
            .client
            .get(format!("{}/cgi-bin/gettoken", self.base))
            .query(&[
                ("corpid", self.corp_id.as_str()),
                ("corpsecret", self.secret.expose()),
            ])
            .send()
            .await
            .map_err(classify_transport)?;
        let body = Self::read(answer).await?;
        let code = body["errcode"].as_i64().unwrap_or(0);
        if code != 0 {
            let msg = body["errmsg"].as_str().unwrap_or("");
            tracing::error!(errcode = code, errmsg = msg, "WeCom gettoken refused");
            // A wrong secret or corp id (40001, 40013) is a configuration fault, not the
            // message's: keep the row and retry with backoff while the operator fixes it.
            return Err(match code {
                -1 | 40001 | 40013 | 40091 => {
                    SendError::Transient(format!("WeCom gettoken errcode {code}: {msg}"))
                }
                _ => classify(code, msg),
            });
        }
        let token = body["access_token"]
            .as_str()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| SendError::Transient("gettoken answered without a token".into()))?;
        let expires_in = body["expires_in"].as_i64().unwrap_or(7200).max(60);
        Ok((token.to_owned(), expires_in))
    }

    async fn read(answer: reqwest::Response) -> Result<Value, SendError> {
        let status = answer.status().as_u16();
        let wait = crate::channels::sms::retry_after(answer.headers());
        if !(200..300).contains(&status) {
            let detail = answer.text().await.unwrap_or_default();
            return Err(classify_status(
                status,
                wait,
                detail.chars().take(200).collect(),
            ));
        }
        answer
            .json::<Value>()
            .await
            .map_err(|e| SendError::Transient(format!("unreadable WeCom answer: {e}")))
    }

    /// POSTs to `/cgi-bin/<path>` with the token; refreshes the token once if WeCom rejects it.
    pub async fn call(&self, path: &str, body: &Value) -> Result<Value, SendError> {
        for attempt in 0..2 {
            let token = self.token().await?;
            let answer = self
                .client
                .post(format!("{}/cgi-bin/{path}", self.base))
                .query(&[("access_token", token.as_str())])
                .json(body)
                .send()
                .await
                .map_err(classify_transport)?;
            let value = Self::read(answer).await?;
            let code = value["errcode"].as_i64().unwrap_or(0);
            if code == 0 {
                return Ok(value);
            }
            let msg = value["errmsg"].as_str().unwrap_or("").to_owned();
            if token_rejected(code) && attempt == 0 {
                tracing::info!(
                    errcode = code,
                    "WeCom rejected the access_token; refreshing it"
                );
                self.discard(&token).await;
                continue;
            }
            return Err(classify(code, &msg));
        }
        unreachable!("the loop returns on its second pass")
    }

    /// `message/send` to one userid. Returns the msgid. A userid WeCom lists as invalid is
    /// unreachable (it answers errcode 0 for a partly valid list).
    pub async fn send(&self, userid: &str, mut message: Value) -> Result<String, SendError> {
        message["touser"] = json!(userid);
        message["agentid"] = json!(self.agent_id);
        let answer = self.call("message/send", &message).await?;
        let invalid = answer["invaliduser"].as_str().unwrap_or("");
        if invalid
            .split('|')
            .any(|u| !u.is_empty() && u.eq_ignore_ascii_case(userid))
        {
            return Err(SendError::Unreachable(format!(
                "WeCom: {userid} is not in the app's visible range (left the app or the organisation)"
            )));
        }
        Ok(answer["msgid"].as_str().unwrap_or_default().to_owned())
    }

    /// `POST /cgi-bin/media/upload?type=image|file`: uploads a file as a temporary media (a
    /// multipart form, field `media`, with its name and content type; the name is what the
    /// recipient sees) and returns its `media_id`, valid three days. WeCom's answers are sorted
    /// as a send's; a rejected token is refreshed once.
    pub async fn upload(
        &self,
        media_type: &str,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<String, SendError> {
        for attempt in 0..2 {
            let token = self.token().await?;
            let part = reqwest::multipart::Part::bytes(bytes.to_vec())
                .file_name(name.to_owned())
                .mime_str(content_type)
                .map_err(|e| SendError::Permanent(format!("content type {content_type}: {e}")))?;
            let form = reqwest::multipart::Form::new().part("media", part);
            let answer = self
                .client
                .post(format!("{}/cgi-bin/media/upload", self.base))
                .query(&[("access_token", token.as_str()), ("type", media_type)])
                .multipart(form)
                .send()
                .await
                .map_err(classify_transport)?;
            let value = Self::read(answer).await?;
            let code = value["errcode"].as_i64().unwrap_or(0);
            if code == 0 {
                return value["media_id"]
                    .as_str()
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        SendError::Transient("media/upload answered without a media_id".into())
                    });
            }
            let msg = value["errmsg"].as_str().unwrap_or("").to_owned();
            if token_rejected(code) && attempt == 0 {
                self.discard(&token).await;
                continue;
            }
            return Err(classify(code, &format!("media/upload: {msg}")));
        }
        unreachable!("the loop returns on its second pass")
    }

    /// `message/update_template_card`: turns a clicked card's buttons into one grey label.
    pub async fn update_card(
        &self,
        userid: &str,
        response_code: &str,
        replace_name: &str,
    ) -> Result<(), SendError> {
        let body = json!({
            "userids": [userid],
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": {"replace_name": replace_name},
        });
        self.call("message/update_template_card", &body).await?;
        Ok(())
    }
}

impl Api {
    /// `GET /cgi-bin/media/get`: the bytes of a picture or file a member sent (its `MediaId`
    /// lasts three days), at most `max_bytes`. WeCom answers an error as JSON instead of the
    /// bytes; a rejected token is refreshed once.
    pub async fn media(&self, media_id: &str, max_bytes: u64) -> Result<Vec<u8>, FetchError> {
        let send_error = |e: SendError| match e {
            SendError::Permanent(why) | SendError::Unreachable(why) => FetchError::Permanent(why),
            other => FetchError::Transient(format!("{other:?}")),
        };
        for attempt in 0..2 {
            let token = self.token().await.map_err(send_error)?;
            let mut answer = self
                .client
                .get(format!("{}/cgi-bin/media/get", self.base))
                .query(&[("access_token", token.as_str()), ("media_id", media_id)])
                .send()
                .await
                .map_err(|e| send_error(classify_transport(e)))?;
            let status = answer.status().as_u16();
            if !(200..300).contains(&status) {
                let wait = crate::channels::sms::retry_after(answer.headers());
                return Err(send_error(classify_status(status, wait, String::new())));
            }
            let json = answer
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.contains("json") || t.starts_with("text/plain"));
            if json {
                let value: Value = answer
                    .json()
                    .await
                    .map_err(|e| FetchError::Transient(format!("unreadable WeCom answer: {e}")))?;
                let code = value["errcode"].as_i64().unwrap_or(-1);
                let msg = value["errmsg"].as_str().unwrap_or("").to_owned();
                if token_rejected(code) && attempt == 0 {
                    self.discard(&token).await;
                    continue;
                }
                return Err(match code {
                    // An unknown or expired media_id.
                    40007 => FetchError::Permanent(format!("WeCom media/get 40007: {msg}")),
                    _ => send_error(classify(code, &msg)),
                });
            }
            if answer.content_length().is_some_and(|n| n > max_bytes) {
                return Err(FetchError::TooLarge);
            }
            let mut bytes = Vec::new();
            while let Some(chunk) = answer
                .chunk()
                .await
                .map_err(|e| FetchError::Transient(format!("WeCom media download: {e}")))?
            {
                if (bytes.len() + chunk.len()) as u64 > max_bytes {
                    return Err(FetchError::TooLarge);
                }
                bytes.extend_from_slice(&chunk);
            }
            return Ok(bytes);
        }
        Err(FetchError::Transient(
            "WeCom kept rejecting the token".into(),
        ))
    }
}

/// WeCom as a [`FileSource`]: what members send the app.
pub struct WecomFiles(pub Arc<Api>);

impl FileSource for WecomFiles {
    fn fetch<'a>(&'a self, file: &'a crate::chat::FileRef, max_bytes: u64) -> FetchFuture<'a> {
        Box::pin(self.0.media(&file.id, max_bytes))
    }
}

/// Who a web authorization's code names (`auth/getuserinfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visitor {
    /// A member of the organisation (whether or not in the app's visible range): `userid`.
    Member(String),
    /// Someone outside the organisation: `openid`, unique within the organisation.
    Outsider(String),
}

impl Api {
    /// `GET /cgi-bin/auth/getuserinfo`: who the one-time `code` of a web authorization names.
    /// `Ok(None)` when WeCom refuses the code (40029: wrong, used, or older than 5 minutes).
    /// Neither the code nor the answer is logged.
    pub async fn visitor(&self, code: &str) -> Result<Option<Visitor>, SendError> {
        for attempt in 0..2 {
            let token = self.token().await?;
            let answer = self
                .client
                .get(format!("{}/cgi-bin/auth/getuserinfo", self.base))
                .query(&[("access_token", token.as_str()), ("code", code)])
                .send()
                .await
                .map_err(classify_transport)?;
            let value = Self::read(answer).await?;
            let errcode = value["errcode"].as_i64().unwrap_or(0);
            if errcode == 0 {
                let named = |k: &str| {
                    value[k]
                        .as_str()
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                        .map(str::to_owned)
                };
                return Ok(match (named("userid"), named("openid")) {
                    (Some(userid), _) => Some(Visitor::Member(userid)),
                    (None, Some(openid)) => Some(Visitor::Outsider(openid)),
                    (None, None) => None,
                });
            }
            if errcode == 40029 {
                return Ok(None);
            }
            if token_rejected(errcode) && attempt == 0 {
                self.discard(&token).await;
                continue;
            }
            let msg = value["errmsg"].as_str().unwrap_or("");
            return Err(classify(errcode, msg));
        }
        unreachable!("the loop returns on its second pass")
    }
}

/// WeCom's limit on a text message, in bytes.
pub const MAX_TEXT_BYTES: usize = 2048;

/// Splits a text into parts of at most `max` bytes: at line breaks where it can, else at a
/// character boundary; no part is empty and nothing is lost but the line breaks split at.
pub fn split(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        let extra = usize::from(!current.is_empty());
        if current.len() + extra + line.len() <= max {
            if extra == 1 {
                current.push('\n');
            }
            current.push_str(line);
            continue;
        }
        if !current.is_empty() {
            parts.push(std::mem::take(&mut current));
        }
        let mut rest = line;
        while rest.len() > max {
            let mut cut = max;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            parts.push(rest[..cut].to_owned());
            rest = &rest[cut..];
        }
        current.push_str(rest);
    }
    if !current.is_empty() || parts.is_empty() {
        parts.push(current);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_at_lines_then_characters_within_the_byte_limit() {
        assert_eq!(split("短", 2048), vec!["短"]);
        assert_eq!(split("", 2048), vec![""]);
        let lines: Vec<String> = (0..300).map(|i| format!("第{i}行：学习贯彻")).collect();
        let text = lines.join("\n");
        let parts = split(&text, 2048);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| p.len() <= 2048 && !p.is_empty()));
        assert_eq!(parts.join("\n"), text, "split only at line breaks");
        // One line of 1,000 Chinese characters (3,000 bytes) and emoji, cut at characters.
        let long: String = "党🎉".repeat(500);
        let parts = split(&long, 2048);
        assert!(parts.iter().all(|p| p.len() <= 2048));
        assert_eq!(parts.concat(), long);
    }

    #[test]
    fn wecom_error_codes_are_sorted_for_retrying() {
        assert!(matches!(classify(-1, "busy"), SendError::Transient(_)));
        assert!(matches!(classify(81013, "x"), SendError::Unreachable(_)));
        assert!(matches!(classify(60111, "x"), SendError::Unreachable(_)));
        assert_eq!(
            classify(45009, "x"),
            SendError::RetryAfter(Duration::from_secs(60))
        );
        assert!(matches!(classify(40003, "x"), SendError::Permanent(_)));
        assert!(token_rejected(42001) && token_rejected(40014) && !token_rejected(40001));
    }
}
