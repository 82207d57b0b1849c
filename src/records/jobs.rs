//! At a campaign phase's end the college committee is asked for its 领导点评: run by the
//! phase-end job the campaign schedules (`pledge_assessment`, `scheduler::kinds::pledges`), so
//! loading a campaign schedules nothing more.

use crate::chat::Reply;
use crate::domain::org::Member;
use crate::flows::ChannelKind;
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{self, JobContext};
use crate::store::{members, Conn, StoreError};

/// Pushes the comment prompt for phase `phase` (from 0) of `campaign` to every member of the
/// college committee, once each. Returns how many it reached.
pub async fn prompt_comments(
    conn: &mut Conn,
    ctx: &JobContext,
    campaign: &str,
    phase: i64,
    wake: &mut Vec<ChannelKind>,
) -> Result<usize, StoreError> {
    let catalog = Catalog::shared();
    let Some(c) = crate::store::campaigns::loaded(conn, ctx.tz)
        .await?
        .into_iter()
        .find(|c| c.name == campaign)
    else {
        return Ok(0);
    };
    let Some(p) = usize::try_from(phase).ok().and_then(|i| c.phases.get(i)) else {
        return Ok(0);
    };
    let committee: Vec<Member> = members::list(conn, None)
        .await?
        .into_iter()
        .filter(|m| m.college)
        .collect();
    let mut reached = 0;
    for m in &committee {
        let text = catalog.render(
            m.locale,
            msg!("records-comment-prompt"),
            &[("title", p.title.get(m.locale).into())],
        );
        let key = format!("comment:prompt:{campaign}:{phase}:{}", m.id);
        if job::push(conn, ctx, m, &Reply::text(text), &job::now(ctx, key), wake).await? {
            reached += 1;
        }
    }
    Ok(reached)
}
