//! The wiring at the top: the one list of features ([`features`]). Nothing below `app` names a
//! feature's jobs; the scheduler runs whatever registry it is given.

pub mod features;
