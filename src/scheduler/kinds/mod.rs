//! The built-in kinds of job, one file each.

pub mod campaign;
pub mod compliance;
pub mod evaluation_remind;
pub mod feedback_periods;
pub mod feedback_publish;
pub mod housekeeping;
pub mod meetings;
pub mod message;
pub mod notice_escalation;
pub mod notice_renudge;
pub mod pledges;
pub mod push_digest;
