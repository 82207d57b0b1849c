//! branchbot: a Telegram and SMS bot that runs a college Party organisation's organisational
//! life — meetings, notices, pledges and anonymous feedback — from one binary and a database.
//!
//! # Layout
//! - [`anonymity`]: the anonymity key, keyed hashes and sealed blobs (see `docs/PRIVACY.md`).
//! - [`channels`]: Telegram (polling and webhook) and the console; they only translate.
//! - [`flows`]: the conversations, written once for every channel, and the engine that runs
//!   an inbound update in one transaction.
//! - [`domain`]: pure rules and types (roles, phone numbers, the roster file, quiet hours,
//!   notices' audiences, the campaign file).
//! - [`store`]: sqlx repositories over SQLite or PostgreSQL, one file per aggregate.
//! - [`delivery`]: the outbox workers, rate limits and retries.
//! - [`scheduler`]: jobs kept in the database (one-off, crontab, relative to an event), run once
//!   across replicas.
//! - [`http`]: webhook, health, readiness, metrics and the read-only web dashboard in one axum
//!   router.
//! - [`i18n`]: Fluent locales (zh-CN default, en).
//! - [`oversight`]: the committee's figures per branch and period, and their charts.
//! - [`config`], [`cli`], [`startup`]: configuration, the command line, and wiring;
//!   [`status`] is what `branchbot status` shows.
//! - [`testkit`]: a fake Telegram Bot API server for tests and benchmarks.

pub mod anonymity;
pub mod channels;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod flows;
pub mod http;
pub mod i18n;
pub mod oversight;
pub mod scheduler;
pub mod startup;
pub mod status;
pub mod store;
pub mod testkit;
