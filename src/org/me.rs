//! `/me`: who the bot thinks you are.

use crate::domain::org::Member;
use crate::flows::Ctx;
use crate::msg;

pub fn text(cx: &Ctx<'_>, member: &Member) -> String {
    let none = cx.t(msg!("none"));
    let phone = member
        .phone
        .as_deref()
        .and_then(|p| p.parse::<crate::domain::phone::Phone>().ok())
        .map(|p| p.masked())
        .unwrap_or_else(|| none.clone());
    let college = if member.college {
        cx.t(msg!("yes"))
    } else {
        cx.t(msg!("no"))
    };
    cx.r(
        msg!("me-profile"),
        &[
            ("name", member.name.as_str().into()),
            ("key", member.key.as_str().into()),
            (
                "branch",
                member
                    .branch_name
                    .clone()
                    .unwrap_or_else(|| none.clone())
                    .into(),
            ),
            (
                "group",
                member
                    .group_name
                    .clone()
                    .unwrap_or_else(|| none.clone())
                    .into(),
            ),
            ("role", cx.t(member.role.msg()).into()),
            ("college", college.into()),
            ("phone", phone.into()),
            (
                "locale",
                cx.t(match member.locale {
                    crate::i18n::Locale::ZhCn => msg!("lang-zh"),
                    crate::i18n::Locale::En => msg!("lang-en"),
                })
                .into(),
            ),
        ],
    )
}
