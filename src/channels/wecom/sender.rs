//! The delivery worker's sender for WeCom rows. A row becomes:
//!
//! - the text with the choices as numbered options in the reader's language ("回复 1 参加，
//!   2 请假"), split into parts of at most 2,048 bytes — the WeChat plugin for WeCom shows
//!   text only, and a typed number is always understood;
//! - then, when the row offers choices (at most six) and cards are on, a `button_interaction`
//!   card whose buttons carry the choices' data, so a tap is a [`crate::flows::Content::Choice`].
//!
//! A row that carries an attachment (a notice's file, queued after the notice's own row)
//! becomes one `image` or `file` message instead: the file is uploaded once with
//! `media/upload`, and its media_id kept (`wecom_media`) and reused for every other recipient
//! while it is younger than two and a half days (WeCom forgets it after three).
//!
//! Before anything goes out, the row's messages are counted against WeCom's per-member limits
//! (30 a minute, 1,000 an hour: [`super::quota`]) and the app's daily cap, from the outbox and
//! from this process's own recent sends; a row over a limit is held (not failed) until it
//! fits. Sends to one member are serialised, so two rows checked at once cannot both pass.
//! A userid WeCom calls invalid is marked unreachable, so routing falls back to SMS.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;
use serde_json::json;

use super::api::{split, Api, MAX_TEXT_BYTES};
use super::quota::{self, Quota};
use crate::channels::sms::{local_day, render};
use crate::clock::Clock;
use crate::delivery::{ChannelSender, Outgoing, SendError, SendFuture};
use crate::flows::{ChannelKind, Choice};
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::{sms, wecom as store, Store, StoreError};

/// How long an uploaded media_id is reused: WeCom keeps it three days.
pub const MEDIA_REUSE_MS: i64 = 60 * 60 * 60 * 1000;

/// The most buttons a WeCom card holds.
pub const MAX_BUTTONS: usize = 6;

/// Limits the sender keeps.
#[derive(Debug, Clone, Copy)]
pub struct SenderLimits {
    pub quota: Quota,
    /// Messages the app may send in a local day; None: 200 × active members.
    pub daily_cap: Option<u32>,
    pub cards: bool,
}

/// Recent sends per userid: (outbox id, Unix ms, messages).
type Recent = HashMap<String, Vec<(i64, i64, i64)>>;

/// The WeCom channel's sender.
pub struct WecomSender {
    api: Arc<Api>,
    store: Store,
    catalog: Arc<Catalog>,
    clock: Clock,
    org_locale: Locale,
    tz: Tz,
    limits: SenderLimits,
    /// Sends this process made in the last hour per userid: (outbox id, at, messages), known
    /// before their outcome is written to the outbox.
    recent: std::sync::Mutex<Recent>,
    locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// One check of the daily cap at a time.
    day: tokio::sync::Mutex<()>,
    /// Where notices' files are read from; None: rows with a file fail.
    files: Option<crate::attachments::Files>,
    /// One upload at a time: every other recipient then reuses the media_id WeCom returned.
    upload: tokio::sync::Mutex<()>,
}

impl WecomSender {
    pub fn new(
        api: Arc<Api>,
        store: Store,
        catalog: Arc<Catalog>,
        clock: Clock,
        org_locale: Locale,
        tz: Tz,
        limits: SenderLimits,
    ) -> Self {
        Self {
            api,
            store,
            catalog,
            clock,
            org_locale,
            tz,
            limits,
            recent: Default::default(),
            locks: Default::default(),
            day: Default::default(),
            files: None,
            upload: Default::default(),
        }
    }

    /// The same sender, able to send the rows that carry a file.
    pub fn with_files(mut self, files: crate::attachments::Files) -> Self {
        self.files = Some(files);
        self
    }

    /// Sends one message; a userid WeCom calls invalid is marked unreachable.
    async fn deliver(&self, userid: &str, body: serde_json::Value) -> Result<String, SendError> {
        match self.api.send(userid, body).await {
            Err(SendError::Unreachable(why)) => {
                if let Ok(mut conn) = self.store.pool().acquire().await {
                    if let Err(e) = store::mark_unreachable(&mut conn, userid).await {
                        tracing::error!(error = %e, "could not mark a WeCom userid unreachable");
                    }
                }
                Err(SendError::Unreachable(why))
            }
            other => other,
        }
    }

    /// The attachment and the media_id it was uploaded as less than 2.5 days ago, if it was.
    async fn known(
        &self,
        id: i64,
    ) -> Result<(Option<crate::attachments::Attachment>, Option<String>), StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let file = crate::attachments::service::get(&mut conn, id).await?;
        let since = self.clock.now_ms() - MEDIA_REUSE_MS;
        let media = store::media_id(&mut conn, id, since).await?;
        Ok((file, media))
    }

    /// Sends attachment `id` to `userid` as an `image` or `file` message: by the media_id of
    /// a recent upload, or uploaded now (once: a concurrent send of the same file waits and
    /// reuses its media_id).
    async fn send_file(&self, userid: &str, id: i64) -> Result<String, SendError> {
        let db = |e: StoreError| SendError::Transient(format!("database: {e}"));
        let Some(files) = &self.files else {
            return Err(SendError::Permanent("no attachment storage".into()));
        };
        let (file, mut media) = self.known(id).await.map_err(db)?;
        let Some(file) = file else {
            return Err(SendError::Permanent(format!("attachment {id} is gone")));
        };
        // The notice's row named the file instead when it was over WeCom's limit.
        let Some(kind) = file.wecom_type() else {
            return Err(SendError::Permanent(format!(
                "attachment {id} ({} bytes) is over WeCom's limit",
                file.size
            )));
        };
        if media.is_none() {
            let _one = self.upload.lock().await;
            media = self.known(id).await.map_err(db)?.1;
            if media.is_none() {
                let bytes = crate::attachments::service::read(files, &file)
                    .await
                    .map_err(|e| SendError::Transient(format!("attachment {id}: {e:#}")))?;
                let uploaded = self
                    .api
                    .upload(kind, &file.display_name, &file.content_type, &bytes)
                    .await?;
                let mut conn = self
                    .store
                    .pool()
                    .acquire()
                    .await
                    .map_err(|e| db(e.into()))?;
                store::put_media_id(&mut conn, id, &uploaded, self.clock.now_ms())
                    .await
                    .map_err(db)?;
                media = Some(uploaded);
            }
        }
        let media = media.unwrap_or_default();
        let body = json!({"msgtype": kind, kind: {"media_id": media}});
        match self.deliver(userid, body).await {
            // WeCom no longer knows the media_id: forget it, and the next attempt uploads again.
            Err(SendError::Permanent(why)) if why.contains("errcode 40007") => {
                let mut conn = self
                    .store
                    .pool()
                    .acquire()
                    .await
                    .map_err(|e| db(e.into()))?;
                store::forget_media_id(&mut conn, id, &media)
                    .await
                    .map_err(db)?;
                Err(SendError::Transient(why))
            }
            other => other,
        }
    }

    fn lock_for(&self, userid: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        if locks.len() > 10_000 {
            locks.retain(|_, l| Arc::strong_count(l) > 1);
        }
        Arc::clone(locks.entry(userid.to_lowercase()).or_default())
    }

    fn remember(&self, userid: &str, id: i64, at: i64, n: i64) {
        let mut recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent.retain(|_, v| {
            v.retain(|(_, t, _)| *t > at - 3_600_000);
            !v.is_empty()
        });
        recent
            .entry(userid.to_owned())
            .or_default()
            .push((id, at, n));
    }

    /// This process's sends since `since`, to one userid or (None) to anyone.
    fn recent_since(&self, userid: Option<&str>, since: i64) -> Vec<(i64, i64, i64)> {
        let recent = self.recent.lock().unwrap_or_else(|p| p.into_inner());
        recent
            .iter()
            .filter(|(u, _)| userid.is_none_or(|w| *u == w))
            .flat_map(|(_, v)| v.iter().copied())
            .filter(|(_, t, _)| *t >= since)
            .collect()
    }

    /// The messages a row becomes, in the reader's language.
    async fn render(&self, msg: &Outgoing) -> Result<Vec<serde_json::Value>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        let locale = match msg.member_id {
            Some(id) => sms::locale_of(&mut conn, id).await?,
            None => None,
        }
        .unwrap_or(self.org_locale);
        Ok(messages(
            &self.catalog,
            locale,
            msg,
            self.limits.cards,
            self.clock.now_ms(),
        ))
    }

    /// Whether `n` messages may go to `userid` now; otherwise how long to hold the row.
    async fn check(
        &self,
        msg: &Outgoing,
        n: i64,
    ) -> Result<Option<(Duration, String)>, StoreError> {
        let now = self.clock.now_ms();
        let mut conn = self.store.pool().acquire().await?;
        let mut sent: Vec<(i64, i64, i64)> =
            store::sent_to_since(&mut conn, &msg.address, now - 3_600_000).await?;
        for local in self.recent_since(Some(&msg.address), now - 3_600_000) {
            if !sent.iter().any(|(id, _, _)| *id == local.0) {
                sent.push(local);
            }
        }
        let pairs: Vec<(i64, i64)> = sent.iter().map(|(_, at, k)| (*at, *k)).collect();
        if let Some(wait) = quota::wait(self.limits.quota, &pairs, now, n) {
            let reason = format!(
                "WeCom per-member limit ({} a minute, {} an hour) reached; held {} s",
                self.limits.quota.per_minute,
                self.limits.quota.per_hour,
                (wait + 999) / 1000
            );
            return Ok(Some((Duration::from_millis(wait as u64), reason)));
        }
        let (start, end) = local_day(self.clock.now(), self.tz);
        let cap = match self.limits.daily_cap {
            Some(cap) => i64::from(cap),
            None => 200 * store::active_members(&mut conn).await?.max(1),
        };
        let today = store::sent_by_app(&mut conn, start, end).await?;
        // This process's sends the database does not show as sent yet (a set: a day's sends
        // are thousands, and each send asks).
        let recorded: std::collections::HashSet<i64> = today.iter().map(|(id, _)| *id).collect();
        let total: i64 = today.iter().map(|(_, k)| k).sum::<i64>()
            + self
                .recent_since(None, start)
                .into_iter()
                .filter(|(id, _, _)| !recorded.contains(id))
                .map(|(_, _, k)| k)
                .sum::<i64>();
        if total + n > cap {
            let reason = format!(
                "the app's daily cap of {cap} WeCom messages reached; waits for the next day"
            );
            sms::note(&mut conn, msg.id, &reason).await?;
            return Ok(Some((
                Duration::from_millis((end - now).max(1000) as u64),
                reason,
            )));
        }
        sms::set_segments(&mut conn, msg.id, n).await?;
        Ok(None)
    }
}

/// The `message/send` bodies for a row: text parts, then a card when choices fit one.
pub fn messages(
    catalog: &Catalog,
    locale: Locale,
    msg: &Outgoing,
    cards: bool,
    now_ms: i64,
) -> Vec<serde_json::Value> {
    let text = render(catalog, locale, &msg.text, &msg.choices);
    let mut out: Vec<serde_json::Value> = split(&text, MAX_TEXT_BYTES)
        .into_iter()
        .map(|part| json!({"msgtype": "text", "text": {"content": part}}))
        .collect();
    if cards && !msg.choices.is_empty() && msg.choices.len() <= MAX_BUTTONS {
        out.push(card(
            catalog,
            locale,
            msg.id,
            &msg.text,
            &msg.choices,
            now_ms,
        ));
    }
    out
}

/// A button card for the choices. Its task id names the outbox row (`bb-<id>-<ms>`: unique,
/// as WeCom requires, even when a row is sent again).
fn card(
    catalog: &Catalog,
    locale: Locale,
    id: i64,
    text: &str,
    choices: &[Choice],
    now_ms: i64,
) -> serde_json::Value {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let buttons: Vec<serde_json::Value> = choices
        .iter()
        .enumerate()
        .map(|(i, c)| {
            json!({
                "text": shorten(&format!("{} {}", i + 1, c.label), 20),
                "style": if i == 0 { 1 } else { 2 },
                "key": c.data,
            })
        })
        .collect();
    json!({
        "msgtype": "template_card",
        "template_card": {
            "card_type": "button_interaction",
            "main_title": {
                "title": shorten(first, 36),
                "desc": catalog.text(locale, msg!("wecom-card-hint")),
            },
            "task_id": format!("bb-{id}-{now_ms}"),
            "button_list": buttons,
        }
    })
}

/// The outbox row a card's task id names.
pub fn row_of_task(task_id: &str) -> Option<i64> {
    let mut parts = task_id.split('-');
    (parts.next()? == "bb").then_some(())?;
    parts.next()?.parse().ok()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(max - 1).collect();
    out.push('…');
    out
}

impl ChannelSender for WecomSender {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Wecom
    }

    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            let db = |e: StoreError| SendError::Transient(format!("database: {e}"));
            // Taken first, so a member's rows go out in the order they were claimed (a notice
            // before its file, which needs no rendering).
            let lock = self.lock_for(&msg.address);
            let _guard = lock.lock().await;
            let bodies = match msg.attachment {
                Some(_) => Vec::new(),
                None => self.render(msg).await.map_err(db)?,
            };
            let n = if msg.attachment.is_some() {
                1
            } else {
                bodies.len() as i64
            };
            let held = {
                let _day = self.day.lock().await;
                let held = self.check(msg, n).await.map_err(db)?;
                if held.is_none() {
                    // Counted before the send: a send that fails still may have reached WeCom.
                    self.remember(&msg.address, msg.id, self.clock.now_ms(), n);
                }
                held
            };
            if let Some((wait, reason)) = held {
                return Err(SendError::Held { wait, reason });
            }
            if let Some(id) = msg.attachment {
                let sent = self.send_file(&msg.address, id).await?;
                return Ok(Some(sent).filter(|id| !id.is_empty()));
            }
            let mut first_id = None;
            for body in bodies {
                let id = self.deliver(&msg.address, body).await?;
                first_id.get_or_insert(id);
            }
            Ok(first_id.filter(|id| !id.is_empty()))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outgoing(text: &str, choices: Vec<Choice>) -> Outgoing {
        Outgoing {
            id: 42,
            address: "T004".into(),
            text: text.into(),
            choices,
            member_id: None,
            urgent: false,
            attachment: None,
        }
    }

    fn choice(data: &str, label: &str) -> Choice {
        Choice {
            data: data.into(),
            label: label.into(),
            aliases: vec![],
        }
    }

    #[test]
    fn choices_become_numbered_text_and_a_card_with_the_choices_data_as_keys() {
        let catalog = Catalog::load().unwrap();
        let msg = outgoing(
            "【教工第一党支部】12/3 周三19:30 党员大会",
            vec![choice("rsvp:1:yes", "参加"), choice("rsvp:1:leave", "请假")],
        );
        let bodies = messages(&catalog, Locale::ZhCn, &msg, true, 7);
        assert_eq!(bodies.len(), 2);
        assert_eq!(
            bodies[0]["text"]["content"],
            "【教工第一党支部】12/3 周三19:30 党员大会\n回复 1 参加，2 请假"
        );
        let card = &bodies[1]["template_card"];
        assert_eq!(card["card_type"], "button_interaction");
        assert_eq!(card["task_id"], "bb-42-7");
        assert_eq!(card["button_list"][1]["key"], "rsvp:1:leave");
        assert_eq!(card["button_list"][1]["text"], "2 请假");
        assert_eq!(row_of_task("bb-42-7"), Some(42));
        assert_eq!(row_of_task("other-42"), None);
        // Cards off, or more choices than a card holds: text only.
        assert_eq!(messages(&catalog, Locale::ZhCn, &msg, false, 7).len(), 1);
        let many = outgoing(
            "x",
            (0..7).map(|i| choice(&format!("c:{i}"), "选项")).collect(),
        );
        assert_eq!(messages(&catalog, Locale::ZhCn, &many, true, 7).len(), 1);
    }

    #[test]
    fn a_long_text_is_sent_in_parts_within_wecoms_byte_limit() {
        let catalog = Catalog::load().unwrap();
        let text = "学习贯彻全会精神。".repeat(200);
        let bodies = messages(&catalog, Locale::ZhCn, &outgoing(&text, vec![]), true, 0);
        assert!(bodies.len() >= 3);
        let joined: String = bodies
            .iter()
            .map(|b| b["text"]["content"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(joined, text);
        assert!(bodies
            .iter()
            .all(|b| b["text"]["content"].as_str().unwrap().len() <= 2048));
    }
}
