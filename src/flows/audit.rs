//! `/audit`: the latest administrative actions, for the college committee. How an entry
//! reads (time in the organisation's zone, who, through what, the localized action) is shared
//! with `branchbot audit`.

use chrono_tz::Tz;

use super::engine::Step;
use super::Ctx;
use crate::domain::org::Member;
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::audit::{self, Action, Entry, Filter};
use crate::store::{Conn, StoreError};

/// How many entries `/audit` shows.
pub const CHAT_LIMIT: i64 = 20;

/// `/audit`.
pub async fn command(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    if !member.college {
        return Ok(Step::text(cx.t(msg!("audit-not-allowed"))));
    }
    let filter = Filter {
        limit: Some(CHAT_LIMIT),
        ..Filter::default()
    };
    let entries = audit::list(conn, &filter).await?;
    if entries.is_empty() {
        return Ok(Step::text(cx.t(msg!("audit-chat-empty"))));
    }
    let mut lines = vec![cx.r(
        msg!("audit-chat-header"),
        &[("count", entries.len().into())],
    )];
    for e in &entries {
        let detail = if e.detail.is_empty() {
            String::new()
        } else {
            format!(" · {}", e.detail)
        };
        lines.push(cx.r(
            msg!("audit-line"),
            &[
                ("time", time_text(e.at, cx.engine.tz).into()),
                ("actor", e.actor.as_str().into()),
                ("via", via_text(cx.catalog, cx.locale, &e.via).into()),
                ("action", action_text(cx.catalog, cx.locale, e).into()),
                ("subject", e.subject.as_str().into()),
                ("detail", detail.into()),
            ],
        ));
    }
    Ok(Step::text(lines.join("\n")))
}

/// `YYYY-MM-DD HH:MM` in the organisation's zone.
pub fn time_text(at_ms: i64, tz: Tz) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// The channel or tool an action came through, as a person reads it.
pub fn via_text(catalog: &Catalog, locale: Locale, via: &str) -> String {
    let id = match via {
        "telegram" => msg!("audit-via-telegram"),
        "sms" => msg!("audit-via-sms"),
        "console" => msg!("audit-via-console"),
        "cli" => msg!("audit-via-cli"),
        "web" => msg!("audit-via-web"),
        other => return other.to_owned(),
    };
    catalog.text(locale, id)
}

/// The entry's action as a person reads it; one this build does not know, as stored.
pub fn action_text(catalog: &Catalog, locale: Locale, entry: &Entry) -> String {
    match entry.action.parse::<Action>() {
        Ok(action) => catalog.text(locale, action.msg()),
        Err(()) => entry.action.clone(),
    }
}
