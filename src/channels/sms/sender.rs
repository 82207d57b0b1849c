//! The delivery worker's sender for SMS rows. Before a row reaches the gateway:
//!
//! - a non-urgent row to a number that opted out is refused (`blocked`, with the reason);
//! - a non-urgent row to a number that already got its daily cap today (counted in the
//!   organisation's zone) waits until the next local day; urgent rows always pass;
//! - the text is rendered for SMS (choices as numbered options in the member's current
//!   language) and its segment count stored on the row, so cost can be reported.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;

use super::{encoding, local_day, render, Gateway};
use crate::chat::ChannelKind;
use crate::clock::Clock;
use crate::delivery::{ChannelSender, Outgoing, SendError, SendFuture};
use crate::i18n::{Catalog, Locale};
use crate::store::{sms, Store, StoreError};

/// The SMS channel's sender: policy and rendering around a [`Gateway`].
pub struct SmsSender {
    gateway: Arc<dyn Gateway>,
    store: Store,
    catalog: Arc<Catalog>,
    clock: Clock,
    org_locale: Locale,
    tz: Tz,
    daily_cap: u32,
    /// Sends this process made today per number, known before the outcome is recorded in the
    /// outbox: with sends to one number serialised by its lock, a cap cannot be overrun by
    /// messages checked at the same moment.
    today: std::sync::Mutex<HashMap<String, (i64, i64)>>,
    locks: std::sync::Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl SmsSender {
    /// A sender through `gateway`, counting days in `tz`.
    pub fn new(
        gateway: Arc<dyn Gateway>,
        store: Store,
        catalog: Arc<Catalog>,
        clock: Clock,
        org_locale: Locale,
        tz: Tz,
        daily_cap: u32,
    ) -> Self {
        Self {
            gateway,
            store,
            catalog,
            clock,
            org_locale,
            tz,
            daily_cap,
            today: Default::default(),
            locks: Default::default(),
        }
    }

    fn lock_for(&self, address: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
        if locks.len() > 10_000 {
            locks.retain(|_, l| Arc::strong_count(l) > 1);
        }
        Arc::clone(locks.entry(address.to_owned()).or_default())
    }

    /// Sends to `address` this process made in the local day starting at `day_start`.
    fn sent_here(&self, address: &str, day_start: i64) -> i64 {
        let today = self.today.lock().unwrap_or_else(|p| p.into_inner());
        today
            .get(address)
            .filter(|(d, _)| *d == day_start)
            .map_or(0, |(_, n)| *n)
    }

    fn count_sent(&self, address: &str, day_start: i64) {
        let mut today = self.today.lock().unwrap_or_else(|p| p.into_inner());
        today.retain(|_, (d, _)| *d >= day_start);
        let entry = today.entry(address.to_owned()).or_insert((day_start, 0));
        entry.1 += 1;
    }

    /// Checks the opt-out and the cap, renders, stores the segment count. Returns the text.
    async fn prepare(&self, msg: &Outgoing) -> Result<Result<String, SendError>, StoreError> {
        let mut conn = self.store.pool().acquire().await?;
        if !msg.urgent {
            if sms::is_opted_out(&mut conn, &msg.address).await? {
                return Ok(Err(SendError::Unreachable(
                    "the number opted out of SMS (STOP); only urgent messages go to it".into(),
                )));
            }
            let now = self.clock.now();
            let (start, end) = local_day(now, self.tz);
            let recorded = sms::sent_between(&mut conn, &msg.address, start, end, msg.id).await?;
            let sent = recorded.max(self.sent_here(&msg.address, start));
            if sent >= i64::from(self.daily_cap) {
                let reason = format!(
                    "daily cap of {} SMS to this number reached; waits for the next day",
                    self.daily_cap
                );
                sms::note(&mut conn, msg.id, &reason).await?;
                let wait = Duration::from_millis((end - now.timestamp_millis()).max(1000) as u64);
                return Ok(Err(SendError::Held { wait, reason }));
            }
        }
        let locale = match msg.member_id {
            Some(id) => sms::locale_of(&mut conn, id).await?,
            None => None,
        }
        .unwrap_or(self.org_locale);
        let text = render(&self.catalog, locale, &msg.text, &msg.choices);
        sms::set_segments(&mut conn, msg.id, encoding::segments(&text) as i64).await?;
        Ok(Ok(text))
    }
}

impl ChannelSender for SmsSender {
    fn channel(&self) -> ChannelKind {
        ChannelKind::Sms
    }

    fn send<'a>(&'a self, msg: &'a Outgoing) -> SendFuture<'a> {
        Box::pin(async move {
            if !msg.address.starts_with('+') {
                return Err(SendError::Permanent(format!(
                    "'{}' is not an E.164 phone number",
                    msg.address
                )));
            }
            // One send at a time per number, so the daily cap is checked against every send
            // before it.
            let lock = self.lock_for(&msg.address);
            let _guard = lock.lock().await;
            let text = self
                .prepare(msg)
                .await
                .map_err(|e| SendError::Transient(format!("database: {e}")))??;
            let reference = format!("bb-{}", msg.id);
            let result = self.gateway.send(&msg.address, &text, &reference).await;
            if result.is_ok() {
                let (start, _) = local_day(self.clock.now(), self.tz);
                self.count_sent(&msg.address, start);
            }
            result
        })
    }
}
