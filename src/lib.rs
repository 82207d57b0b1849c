//! branchbot: a Telegram and SMS bot that runs a college Party organisation's organisational
//! life — meetings, notices, pledges and anonymous feedback — from one binary and a database.
//!
//! # Layout
//! - The kernel, no I/O and no feature: [`chat`] (`ChannelKind`, `Inbound`, `Choice`, `Reply`,
//!   typed-answer matching, open questions, SMS text and segments), [`i18n`] (Fluent locales),
//!   [`clock`] ("now"), [`anonymity`] (keyed hashes and sealing, `docs/PRIVACY.md`), [`domain`]
//!   (pure rules and types the layers above share).
//! - [`store`]: sqlx repositories over SQLite or PostgreSQL, migrations, the shared tables.
//! - The platform: [`config`] (parsed once into `config::Settings`; features' sections in
//!   `config/`), [`delivery`] (outbox workers, limits, retries), [`scheduler`] (jobs as rows,
//!   run once across replicas; it runs the registry it is given), [`terminal`] (what every
//!   subcommand shares), [`export`] (CSV and XLSX tables), [`status`] (what `branchbot status`
//!   shows).
//! - [`flows`]: the engine alone — one update, one transaction (on SQLite a batch of updates
//!   in one commit, each in its own savepoint), its own commands (`/start`, `/help`,
//!   `/cancel`), and `flows::feature`: the `Feature` trait through which a feature declares its
//!   commands, buttons, help lines, waiting steps, text and file hooks and job kinds.
//! - Feature folders, each one `Feature` listed in `app::features`: [`org`] (`/me`, `/lang`,
//!   `/unbound`, `/audit`, `/dashboard`), [`meetings`] (三会一课), [`notices`] (通知, 收到请回复),
//!   [`campaign`] (创先争优), [`pledges`] (党员承诺 and check-ins), [`feedback`] (anonymous
//!   feedback), [`evaluation`] (民主评议 and 票决, sealed ballots), [`dues`] (党费),
//!   [`recruitment`] (发展党员), [`spotcheck`] (随机抽查), [`records`] (service activities,
//!   work plans, 领导点评), [`files`] (photos and files arriving in chat); one feature reaches
//!   another only through its `service` or `rules`. [`attachments`] (stored photos and files:
//!   checks, two storage backends, the daily tidy-up) is platform; [`oversight`]: the
//!   committee's figures, charts and reports, read through the features' services.
//! - The SQLite and PostgreSQL schemas are held to one another twice: by text in
//!   `tests/architecture.rs`, and by applying every migration to both databases and reading
//!   the schemas back (`tests/api/schema_parity`).
//! - [`channels`]: Telegram, SMS, WeCom and the console; they translate, and each webhook has
//!   its own router.
//! - At the top: [`http`] (health, metrics, dashboard, feedback pages; merges the channels'
//!   routers), [`cli`] (the clap root), [`startup`] (wiring a running bot), [`app`] (the one list
//!   of features: `app::features`).
//! - [`testkit`]: fakes of Telegram, SMS and WeCom, test databases and `freeze`.
//!
//! Five layers — kernel, store, platform, features, top — and imports point down or within a
//! layer, with no cycle among the top-level modules; `tests/architecture.rs` proves it, holds
//! the edges to a list that only shrinks, and the SQLite and PostgreSQL migrations to one
//! schema (docs/ARCHITECTURE.md).

pub mod anonymity;
pub mod app;
pub mod attachments;
pub mod campaign;
pub mod channels;
pub mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod dues;
pub mod evaluation;
pub mod export;
pub mod feedback;
pub mod files;
pub mod flows;
pub mod http;
pub mod i18n;
pub mod meetings;
pub mod notices;
pub mod org;
pub mod oversight;
pub mod pledges;
pub mod records;
pub mod recruitment;
pub mod scheduler;
pub mod spotcheck;
pub mod startup;
pub mod status;
pub mod store;
pub mod terminal;
pub mod testkit;
