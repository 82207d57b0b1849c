//! The open questions live in the kernel ([`crate::chat::questions`]) and a push is recorded by
//! delivery ([`crate::delivery::route::offer_push`]); both are re-exported here so the old
//! paths keep working.

pub use crate::chat::questions::*;
pub use crate::delivery::route::offer_push;
