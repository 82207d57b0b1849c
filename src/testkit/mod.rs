//! Test harness shared by the integration tests and the benchmarks: a fake Telegram Bot API
//! server on 127.0.0.1 ([`fake_telegram`]), a fake SMS provider ([`fake_sms`]) and a fake
//! WeCom API with its signed callbacks ([`fake_wecom`]). It is
//! compiled into the library so that `bench/` can use it too; the bot never starts it by
//! itself.

pub mod db;
pub mod fake_sms;
pub mod fake_telegram;
pub mod fake_wecom;

/// Held by a test on paused tokio time: keeps the clock from auto-advancing while SQLite
/// works. Tokio advances a paused clock to the next timer whenever the runtime has nothing to
/// do, and waiting for SQLite's worker thread counts as nothing to do, so the clock would jump
/// (and sqlx's acquire timeout fire) in the middle of a query. A parked blocking task inhibits
/// auto-advance until this is dropped; time then moves only when the test advances it.
pub struct Frozen(#[allow(dead_code)] std::sync::mpsc::Sender<()>);

/// Parks a blocking task until the returned [`Frozen`] is dropped (see there). Call inside a
/// tokio runtime.
pub fn freeze() -> Frozen {
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    tokio::task::spawn_blocking(move || {
        let _ = rx.recv();
    });
    Frozen(tx)
}
