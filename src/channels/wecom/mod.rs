//! WeCom (企业微信): the same conversations through a self-built app (自建应用).
//!
//! In: WeCom posts encrypted XML to `/wecom/callback` ([`callback`]): the signature is checked
//! in constant time ([`crypto`]) before anything is decrypted, the message read with a real
//! XML parser ([`xml`]), and stored in the inbox in one transaction, deduplicated; the answer
//! is an empty 200 at once. Members are recognised by their userid on the roster (the `wecom`
//! column, or the key with `wecom.userid_is_key`): no invite code is needed, and an unknown
//! userid gets one short explanation a day and nothing else is kept.
//!
//! Out: [`sender::WecomSender`] sends outbox rows through [`api::Api`] (`message/send`, the
//! access_token cached and shared across replicas): the text with numbered options, split at
//! 2,048 bytes, then a button card for the choices; a clicked card is updated to show the
//! answer. A notice's file goes as an `image` or `file` message, uploaded once (`media/upload`)
//! and its media_id reused for the other recipients. WeCom's per-member limits ([`quota`]) and the app's daily cap are never exceeded.
//!
//! [`start`] connects it all when WeCom is configured, and keeps the `wecom` bindings in line
//! with the roster (routing pushes to a userid needs no message from the member first).

pub mod api;
pub mod callback;
pub mod crypto;
pub mod quota;
pub mod sender;
pub mod xml;

use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

use crate::config::wecom::WecomConfig;
use crate::delivery::worker::{Worker, WorkerConfig};
use crate::domain::quiet::QuietHours;
use crate::flows::engine::Engine;
use crate::flows::ChannelKind;

/// How often the `wecom` bindings are brought in line with the roster.
const SYNC_EVERY: Duration = Duration::from_secs(60);

/// Connects WeCom when configured: its delivery worker and the roster sync run, and the
/// callback's state is returned for the router. When WeCom is off, no push is routed to it.
pub async fn start(
    config: &WecomConfig,
    engine: &Engine,
    tz: chrono_tz::Tz,
    quiet: QuietHours,
    max_attempts: i64,
    tasks: &mut JoinSet<()>,
    cancel: &CancellationToken,
) -> Result<Option<Arc<callback::WecomState>>, String> {
    let mut conn = engine
        .store
        .pool()
        .acquire()
        .await
        .map_err(|e| format!("database: {e}"))?;
    if !config.enabled() {
        crate::store::wecom::drop_bindings(&mut conn)
            .await
            .map_err(|e| format!("database: {e}"))?;
        return Ok(None);
    }
    let (Some(corp_id), Some(agent_id), Some(secret), Some(token), Some(aes_key)) = (
        config.corp_id.as_deref(),
        config.agent_id,
        config.secret.clone(),
        config.token.as_ref(),
        config.aes_key.as_ref(),
    ) else {
        return Err("WeCom is partly configured".into());
    };
    let crypto = crypto::Crypto::new(token.expose(), aes_key.expose(), corp_id)
        .map_err(|e| format!("BRANCHBOT_WECOM_AES_KEY: {e}"))?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(config.timeout_secs))
        .build()
        .map_err(|e| format!("HTTP client: {e}"))?;
    let api = Arc::new(api::Api::new(
        client,
        &config.api_url,
        corp_id,
        agent_id,
        secret,
        engine.store.clone(),
        engine.clock.clone(),
    ));
    crate::store::wecom::sync_bindings(&mut conn, config.userid_is_key, engine.clock.now_ms())
        .await
        .map_err(|e| format!("database: {e}"))?;
    engine.sources.register(
        ChannelKind::Wecom,
        Arc::new(api::WecomFiles(Arc::clone(&api))),
    );
    drop(conn);
    let sender = sender::WecomSender::new(
        Arc::clone(&api),
        engine.store.clone(),
        Arc::clone(&engine.catalog),
        engine.clock.clone(),
        engine.org_locale,
        tz,
        sender::SenderLimits {
            quota: quota::Quota {
                per_minute: i64::from(config.per_member_per_minute),
                per_hour: i64::from(config.per_member_per_hour),
            },
            daily_cap: config.daily_cap,
            cards: config.cards,
        },
    )
    .with_files(engine.files.clone());
    let worker = Worker::new(
        engine.store.clone(),
        engine.clock.clone(),
        Arc::new(sender),
        Arc::clone(engine.wake.get(ChannelKind::Wecom)),
        WorkerConfig {
            limits: config.limits(),
            max_attempts,
            lease: Duration::from_secs(60.max(config.timeout_secs * 8)),
            concurrency: 16,
            quiet: Some((quiet, tz)),
            budget: Some(engine.pushes),
            ..WorkerConfig::default()
        },
    );
    tasks.spawn(worker.run(cancel.child_token()));
    tasks.spawn(sync_loop(
        engine.clone(),
        config.userid_is_key,
        cancel.child_token(),
    ));
    let stranger_key: Arc<[u8]> =
        Arc::from(format!("{}\0{}", token.expose(), aes_key.expose()).into_bytes());
    tracing::info!(corp_id, agent_id, "WeCom connected");
    Ok(Some(Arc::new(callback::WecomState {
        crypto,
        api,
        userid_is_key: config.userid_is_key,
        max_skew_secs: config.max_skew_secs,
        tz,
        stranger_key,
    })))
}

/// Keeps the `wecom` bindings in line with the roster (an import by the CLI, a member who
/// left), every minute.
async fn sync_loop(engine: Engine, userid_is_key: bool, cancel: CancellationToken) {
    loop {
        tokio::select! {
            _ = cancel.cancelled() => return,
            _ = tokio::time::sleep(SYNC_EVERY) => {}
        }
        let result = async {
            let mut conn = engine.store.pool().acquire().await?;
            crate::store::wecom::sync_bindings(&mut conn, userid_is_key, engine.clock.now_ms())
                .await
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not sync WeCom bindings with the roster");
        }
    }
}
