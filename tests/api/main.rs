//! The integration suite: the real application, started against a fake Telegram Bot API on
//! 127.0.0.1 and a fresh database per test (SQLite, and PostgreSQL where the test says so).

mod anonymity;
mod attachments;
mod attachments_web;
mod audit;
mod calendar_store;
mod campaign;
mod chat_files;
mod claims;
mod crash;
mod dashboard;
mod delivery;
mod dues;
mod evaluation;
mod failures;
mod features;
mod feedback;
#[cfg(target_os = "linux")]
mod full_disk;
mod glossary;
mod helpers;
mod invite_guard;
mod locales;
mod meeting_practice;
mod meetings;
mod meetings_store;
mod metrics;
mod notice_store;
mod notices;
mod plans;
mod pledges;
mod pledges_store;
mod pushes;
mod records;
mod recruitment;
mod recruitment_path;
mod reports;
mod sms;
mod spotcheck;
mod spotcheck_store;
mod store;
mod telegram;
mod web_feedback;
mod webhook;
mod wecom;
