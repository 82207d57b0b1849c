//! Long polling: getUpdates in a loop. Each batch is stored in the inbox in one transaction
//! before the offset moves past it, so a crash loses nothing (Telegram redelivers, the inbox drops duplicates).

use std::future::IntoFuture;
use std::time::Duration;

use teloxide::payloads::GetUpdatesSetters;
use teloxide::requests::Requester;
use teloxide::types::AllowedUpdate;
use teloxide::Bot;
use tokio_util::sync::CancellationToken;

use crate::chat::ChannelKind;
use crate::flows::engine::Engine;

/// Polls until cancelled, waking `inbox` after every stored batch.
pub async fn run(
    bot: Bot,
    engine: Engine,
    timeout_secs: u32,
    inbox: std::sync::Arc<tokio::sync::Notify>,
    cancel: CancellationToken,
) {
    if let Err(e) = bot.delete_webhook().await {
        tracing::warn!(error = %e, "deleteWebhook failed; polling anyway");
    }
    let mut offset: i32 = 0;
    let mut failures = 0u32;
    loop {
        let request = bot
            .get_updates()
            .offset(offset)
            .timeout(timeout_secs)
            .allowed_updates(vec![AllowedUpdate::Message, AllowedUpdate::CallbackQuery]);
        let updates = tokio::select! {
            _ = cancel.cancelled() => return,
            r = request.into_future() => r,
        };
        let updates = match updates {
            Ok(u) => {
                failures = 0;
                u
            }
            Err(e) => {
                failures += 1;
                let wait = Duration::from_millis(500 * 2u64.pow(failures.min(6)));
                tracing::warn!(error = %e, retry_in = ?wait, "getUpdates failed");
                tokio::select! {
                    _ = cancel.cancelled() => return,
                    _ = tokio::time::sleep(wait) => continue,
                }
            }
        };
        // The whole batch in one transaction; the offset moves past it only once it is stored.
        let batch: Vec<(String, Option<crate::flows::engine::InboxItem>)> = updates
            .iter()
            .map(|update| (update.id.0.to_string(), super::decode(update)))
            .collect();
        let stored_all = match engine.receive_batch(ChannelKind::Telegram, &batch).await {
            Ok(_) => {
                if let Some(last) = updates.last() {
                    offset = last.id.0 as i32 + 1;
                }
                true
            }
            Err(e) => {
                tracing::error!(error = %e, count = updates.len(), "could not store a batch of updates; it will be fetched again");
                false
            }
        };
        if !updates.is_empty() {
            inbox.notify_one();
        }
        if !stored_all {
            tokio::select! {
                _ = cancel.cancelled() => return,
                _ = tokio::time::sleep(Duration::from_secs(1)) => {}
            }
        }
    }
}
