//! The delivery worker's sender for SMS rows. Before a row reaches the gateway:
//!
//! - a non-urgent row to a number that opted out is refused (`blocked`, with the reason);
//! - a non-urgent row to a number that already got its daily cap today (counted in the
//!   organisation's zone) waits until the next local day; urgent rows always pass;
//! - the text is rendered for SMS (choices as numbered options in the member's current
//!   language) and its segment count stored on the row, so cost can be reported.

use std::sync::Arc;
use std::time::Duration;

use chrono_tz::Tz;

use super::{encoding, local_day, render, Gateway};
use crate::clock::Clock;
use crate::delivery::{ChannelSender, Outgoing, SendError, SendFuture};
use crate::flows::ChannelKind;
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
        }
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
            let sent = sms::sent_between(&mut conn, &msg.address, start, end, msg.id).await?;
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
            let text = self
                .prepare(msg)
                .await
                .map_err(|e| SendError::Transient(format!("database: {e}")))??;
            let reference = format!("bb-{}", msg.id);
            self.gateway.send(&msg.address, &text, &reference).await
        })
    }
}
