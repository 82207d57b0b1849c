//! `/lang`: switch between Chinese and English.

use serde::{Deserialize, Serialize};

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply, State};
use crate::i18n::Locale;
use crate::msg;
use crate::store::{members, Conn, StoreError};

/// The feature's waiting steps, stored as `State::Feature` data under the tag `step`, which is
/// how the engine's older `State` stored them (`{"step":"choosing_language"}`), so a
/// conversation stored before reads on (`Feature::legacy_steps`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// Offered the language choice.
    ChoosingLanguage,
}

/// `/lang` alone offers the choice; `/lang en` switches at once.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    match arg {
        None => Ok(Step::new(
            vec![Reply::with_choices(
                cx.t(msg!("lang-ask")),
                vec![
                    cx.choice("lang:zh-CN", msg!("lang-zh")),
                    cx.choice("lang:en", msg!("lang-en")),
                ],
            )],
            State::feature(super::NAME, &Waiting::ChoosingLanguage),
        )),
        Some(code) => chosen(cx, conn, member, code).await,
    }
}

/// A language was chosen (button, number, or typed code).
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    code: &str,
) -> Result<Step, StoreError> {
    let Ok(locale) = code.parse::<Locale>() else {
        return Ok(Step::text(
            cx.r(msg!("lang-unknown"), &[("code", code.into())]),
        ));
    };
    members::set_locale(conn, member.id, locale, cx.now_ms).await?;
    let cx = cx.in_locale(locale, Some(member));
    Ok(Step::text(cx.t(msg!("lang-set"))))
}
