//! 党费 (party dues): the bot records payments, it takes no money. One feature folder:
//!
//! - [`rules`]: pure — exact amounts in fen read from what people type (never floats),
//!   months, `[dues]` (when the monthly reminder goes out), the run of unpaid months.
//! - [`store`]: its SQL (`dues_amounts`, `dues_payments`, `dues_keepers`, `dues_flags`;
//!   migration 0018), both backends.
//! - [`service`]: who keeps a branch's dues and may record them, recording once with its
//!   audit row, corrections, a member's book, the figures per branch and month.
//! - [`chat`]: `/dues`, `/dues_pay`, `/dues_fix`, `/dues_report`, and how the feature's texts
//!   read (shared with the command line and the job).
//! - [`jobs`]: `dues-reminders`, monthly: the unpaid reminded, six months unpaid flagged.
//! - [`cli`]: `branchbot dues import|import-payments|keeper|record|correct|show` and the rows
//!   of `branchbot report dues`.
//!
//! What the feature declares to the platform: four chat commands (routed from
//! `flows::command`), the `dues:` buttons (`flows::engine::on_choice`), the audit actions
//! `dues_paid`, `dues_corrected`, `dues_imported`, `dues_keeper`, the `[dues]` configuration
//! ([`rules::Policy`]), the job kind, and the `dues` and `report dues` subcommands.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;
