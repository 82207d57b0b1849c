//! branchbot: a Telegram and SMS bot that runs a college Party organisation's organisational
//! life — meetings, notices, pledges and anonymous feedback — from one binary and a database.
//!
//! # Layout
//! - [`anonymity`]: the anonymity key, keyed hashes and sealed blobs (see `docs/PRIVACY.md`).
//! - [`chat`]: the kernel, no I/O and no feature: `ChannelKind`, `Inbound`, `Content`,
//!   `Choice`, `Reply`, typed-answer matching, the open questions of a conversation, SMS text
//!   and segments. Everything imports it; it imports only [`i18n`] and [`anonymity`].
//! - [`channels`]: Telegram (polling and webhook), SMS and the console; they only translate.
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
//! - [`recruitment`]: 发展党员, one feature folder: its rules, store, service, chat and CLI.
//! - [`dues`]: 党费, one feature folder: amounts, payments, reminders and the report.
//! - [`records`]: service activities, branch work plans and 领导点评, one feature folder.
//! - [`oversight`]: the committee's figures per branch and period, and their charts.
//! - [`config`], [`cli`], [`startup`]: configuration (parsed once into `config::Settings`),
//!   the command line, and wiring;
//!   [`status`] is what `branchbot status` shows.
//! - [`testkit`]: fake Telegram and SMS servers, test databases and `freeze`, for tests and
//!   benchmarks.
//!
//! Imports point down: kernel, then `domain` and `store`, then `delivery` and `scheduler`,
//! then the features in `flows`, then channels, `http`, `cli` and `startup`.
//! `tests/architecture.rs` holds the edges between these modules to a list that only shrinks,
//! and the SQLite and PostgreSQL migrations to one schema (docs/ARCHITECTURE.md).

pub mod anonymity;
pub mod channels;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod dues;
pub mod flows;
pub mod http;
pub mod i18n;
pub mod oversight;
pub mod records;
pub mod recruitment;
pub mod scheduler;
pub mod startup;
pub mod status;
pub mod store;
pub mod testkit;
