//! Pure rules and types: no I/O. Values are parsed into these types at the edge (roster files,
//! chat input, configuration) so the rest of the code can trust them.

pub mod calendar;
pub mod campaign;
pub mod feedback;
pub mod meetings;
pub mod notices;
pub mod org;
pub mod period;
pub mod phone;
pub mod pushes;
pub mod quiet;
pub mod roster;
pub mod schedule;
pub mod targets;
pub mod when;
