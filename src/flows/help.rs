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
    if member.role.is_party_member() {
        parts[0].push('\n');
        parts[0].push_str(&cx.t(msg!("pledge-help-member")));
    }
    if member.college {
        parts.push(cx.t(msg!("help-college")));
    } else if member.role.runs_branch() && member.branch_id.is_some() {
        parts.push(cx.t(msg!("help-manager")));
    }
    if member.is_manager() {
        let last = parts.len() - 1;
        parts[last].push('\n');
        parts[last].push_str(&cx.t(msg!("pledge-help-manager")));
    }
    let mut campaign = vec![cx.t(msg!("help-campaign"))];
    if member.role.runs_branch() && member.branch_id.is_some() {
        campaign.push(cx.t(msg!("help-summary")));
    }
    if member.is_manager() {
        campaign.push(cx.t(msg!("help-notices")));
    }
    parts.push(campaign.join("\n"));
    parts.join("\n\n")
}
