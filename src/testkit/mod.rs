//! Test harness shared by the integration tests and the benchmarks: a fake Telegram Bot API
//! server on 127.0.0.1 ([`fake_telegram`]), a fake SMS provider ([`fake_sms`]) and a fake
//! WeCom API with its signed callbacks ([`fake_wecom`]). It is
//! compiled into the library so that `bench/` can use it too; the bot never starts it by
//! itself.

pub mod db;
pub mod fake_sms;
pub mod fake_telegram;
pub mod fake_wecom;
