//! The built-in kinds of job, one file each.

pub mod compliance;
pub mod housekeeping;
pub mod meetings;
pub mod message;
