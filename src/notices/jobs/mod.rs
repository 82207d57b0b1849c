//! The notices' job kinds: [`escalation::NoticeEscalation`] (`notice_escalation`, the SMS
//! escalation of the unconfirmed) and [`renudge::NoticeRenudge`] (`notice-renudge`, one
//! automatic re-nudge of a plan). Kind names and payloads are what they were when these lived in
//! `flows::notices`, so jobs already stored run on.

pub mod escalation;
pub mod renudge;

pub use escalation::NoticeEscalation;
pub use renudge::NoticeRenudge;
