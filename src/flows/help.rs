//! `/help`: what this member's role can do — only the commands they may use (a member of the
//! masses is not offered meetings, sign-in or evaluation; a member is not offered /summary).
//! The features' lines come from their declarations (`Feature::help`).

use super::Ctx;
use crate::domain::org::Member;
use crate::msg;

/// The help text for a member: everyone's commands, then the branch managers', then the
/// college committee's; each feature adds its lines from its own locale file.
pub fn text(cx: &Ctx<'_>, member: &Member) -> String {
    let mut everyone = vec![cx.r(
        msg!("help-member"),
        &[("name", member.name.as_str().into())],
    )];
    let features = cx.engine.features.help(cx, member);
    everyone.extend(features.everyone);
    let mut parts = vec![everyone.join("\n")];
    let mut campaign = features.campaign_head;
    campaign.extend(features.campaign_tail);
    parts.push(campaign.join("\n"));
    if member.is_manager() {
        let mut managing = vec![if member.college {
            cx.t(msg!("help-college"))
        } else {
            cx.t(msg!("help-manager"))
        }];
        managing.extend(features.managing_early);
        // The last of these is `/dashboard` (`org::Committee`, listed last).
        managing.extend(features.managing);
        parts.push(managing.join("\n"));
    }
    parts.join("\n\n")
}
