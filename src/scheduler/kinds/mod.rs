//! The platform's own kinds of job, one file each. A feature's kinds live in its folder
//! (`meetings/jobs.rs`, `dues/jobs.rs`, …) and `app::features` lists them all.

pub mod housekeeping;
pub mod message;
pub mod push_digest;
