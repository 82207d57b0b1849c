//! Phase-end self-assessments (践诺自评): the `pledge_assessment` job asks with a button; the
//! member taps it and writes a short text, kept for the year's evaluation.

use super::Waiting;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::pledges::rules::MAX_ASSESSMENT_CHARS;
use crate::pledges::store::checkins as pledge_checkins;
use crate::store::{Conn, StoreError};

/// `pa:<id>`: asks for the text.
pub fn chosen(cx: &Ctx<'_>, id: i64) -> Result<Step, StoreError> {
    Ok(Step::new(
        vec![Reply::text(cx.r(
            msg!("pledge-assessment-prompt"),
            &[("max", MAX_ASSESSMENT_CHARS.into())],
        ))],
        Waiting::PledgeAssessment { id }.state(),
    ))
}

/// The self-assessment's text.
pub async fn text_given(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let text = text.trim();
    let got = text.chars().count();
    if got > MAX_ASSESSMENT_CHARS {
        return Ok(Step::retry(
            cx.r(
                msg!("pledge-assessment-too-long"),
                &[("max", MAX_ASSESSMENT_CHARS.into()), ("got", got.into())],
            ),
            Waiting::PledgeAssessment { id }.state(),
        ));
    }
    if !pledge_checkins::answer_assessment(conn, id, member.id, text, cx.now_ms).await? {
        return Ok(Step::text(cx.t(msg!("pledge-assessment-stale"))));
    }
    Ok(Step::text(cx.t(msg!("pledge-assessment-saved"))))
}
