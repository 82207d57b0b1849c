//! 发展党员: the recruitment pipeline from application to full membership, as one feature.
//!
//! - [`rules`]: pure — the stages, the steps and what each needs first, the minimum
//!   intervals, the branch vote's majority rule, the clocks (中国共产党发展党员工作细则, 2014).
//! - [`store`]: its SQL (`recruits`, `recruit_steps`, migration 0017; `recruit_papers`,
//!   `recruit_ballots`, migration 0019), both backends.
//! - [`service`]: who may see or change what; recording a step with its audit row and role.
//! - [`chat`]: `/mystage` and `/recruit`, and how the feature's texts read (the papers on file,
//!   the 公示's window and its notice text).
//! - [`ballot`]: the 支部大会 vote by secret ballot, on the evaluation feature's 票决 round.
//! - [`jobs`]: `recruitment-clocks`, the daily reminders of the clocks.
//! - [`cli`]: `branchbot recruit import|list|show|record` and `branchbot report recruitment`.
//!
//! What the feature declares to the platform: the chat commands `/mystage` and `/recruit`
//! (routed from `flows::command`), the audit action `recruitment_step`, the `[recruitment]`
//! configuration ([`rules::Policy`]) and the `recruit` and `report recruitment` subcommands.

pub mod ballot;
pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;
