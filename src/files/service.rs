//! What other features call of the files kept in chat: the minutes' attachments as a meeting's
//! record lists them, a file attached to a meeting's minutes from the minutes step, and the
//! files an activity's preview step takes (what they may be attached to, their count line).

pub use super::chat::{attach_ids, attach_to_minutes, counts_text, of_ids, record_line};
pub use super::targets::Target;
