//! The built-in kinds of job, one file each.

pub mod evaluation_remind;
pub mod feedback_periods;
pub mod housekeeping;
pub mod message;
