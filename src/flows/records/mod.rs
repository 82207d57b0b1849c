//! The records a branch is inspected on beside its meetings: service activities (结对帮扶,
//! 志愿服务, 走访慰问, 进社区 and kinds a college adds), the branch's published work plan
//! (支部工作方案) and the committee's comments at each phase (领导点评). Text only for now:
//! photos and files (issue 22, section 1) will attach to an activity's id and to the activity
//! draft's preview step. One feature folder:
//!
//! - [`rules`]: pure — the kinds and `[records]`, the day as typed, the limits on texts.
//! - [`store`]: its SQL (`activities`, `activity_participants`, `branch_plans`,
//!   `leader_comments`; migration 0021), both backends.
//! - [`service`]: who may log, publish and comment; logging with the participants' pushes,
//!   answers, confirmed counts, plans published and missing, comments pushed to the branch.
//! - [`chat`]: `/activity`, `/plan`, `/plan_publish`, `/comment`, `/comments`, the `rec:`
//!   buttons, and how the feature's texts read (shared with the command line).
//! - [`jobs`]: at each phase's end, the committee asked for its 领导点评 (run by the
//!   campaign's phase-end job).
//! - [`cli`]: `branchbot activity|plan|comment …` and the rows of `branchbot report
//!   activities` and of the campaign report's activities and 领导点评 columns.
//!
//! What the feature declares to the platform: five chat commands (routed from
//! `flows::command`), the `rec:` buttons and the [`chat::Draft`] steps
//! (`flows::engine`), the audit actions `activity_logged`, `activity_answered`,
//! `plan_published`, `comment_written`, the `[records]` configuration ([`rules::Policy`]), a
//! line in pledge check-ins and in the committee's `/campaign`, and the subcommands.

pub mod chat;
pub mod cli;
pub mod jobs;
pub mod rules;
pub mod service;
pub mod store;
