//! `/help`: what this member's role can do.

use super::Ctx;
use crate::domain::org::Member;
use crate::msg;

/// The help text for a member: everyone's commands, then the branch managers', then the
/// college committee's.
pub fn text(cx: &Ctx<'_>, member: &Member) -> String {
    let mut parts = vec![cx.r(
        msg!("help-member"),
        &[("name", member.name.as_str().into())],
    )];
    // Feedback and evaluation lines (locales/*/feedback.ftl, evaluation.ftl).
    parts.push(format!(
        "{}\n{}",
        cx.t(msg!("help-feedback")),
        cx.t(msg!("help-evaluation"))
    ));
    if member.is_manager() {
        parts.push(cx.t(msg!("help-evaluation-manager")));
    }
    if member.college {
        parts.push(cx.t(msg!("help-college")));
    } else if member.role.runs_branch() && member.branch_id.is_some() {
        parts.push(cx.t(msg!("help-manager")));
    }
    parts.join("\n\n")
}
