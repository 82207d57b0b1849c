//! Phase-end self-assessments (践诺自评): the `pledge_assessment` job asks with a button; the
//! member taps it and writes a short text, kept for the year's evaluation.

use super::super::engine::Step;
use super::super::{Ctx, Reply, State};
use crate::domain::org::Member;
use crate::domain::pledges::MAX_ASSESSMENT_CHARS;
use crate::msg;
use crate::store::{pledge_checkins, Conn, StoreError};

/// `pa:<id>`: asks for the text.
pub async fn chosen(
    cx: &Ctx<'_>,
    _conn: &mut Conn,
    _member: &Member,
    value: &str,
) -> Result<Step, StoreError> {
    let Ok(id) = value.parse::<i64>() else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    Ok(Step::new(
        vec![Reply::text(cx.r(
            msg!("pledge-assessment-prompt"),
            &[("max", MAX_ASSESSMENT_CHARS.into())],
        ))],
        State::PledgeAssessment { id },
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
            State::PledgeAssessment { id },
        ));
    }
    if !pledge_checkins::answer_assessment(conn, id, member.id, text, cx.now_ms).await? {
        return Ok(Step::text(cx.t(msg!("pledge-assessment-stale"))));
    }
    Ok(Step::text(cx.t(msg!("pledge-assessment-saved"))))
}
