//! `/lang`: switch between Chinese and English.

use super::engine::Step;
use super::{Ctx, Reply, State};
use crate::domain::org::Member;
use crate::i18n::Locale;
use crate::msg;
use crate::store::{members, Conn, StoreError};

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
            State::ChoosingLanguage,
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
