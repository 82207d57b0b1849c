//! Pure rules and types: no I/O. Values are parsed into these types at the edge (roster files,
//! chat input, configuration) so the rest of the code can trust them.

pub mod meetings;
pub mod org;
pub mod phone;
pub mod quiet;
pub mod roster;
