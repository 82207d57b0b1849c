//! `/audit`: the latest administrative actions, for the college committee. How an entry
//! reads (time in the organisation's zone, who, through what, the localized action) is shared
//! with `branchbot audit`.

use chrono_tz::Tz;

use crate::domain::meetings::MeetingKind;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
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
    let labels = Labels {
        catalog: cx.catalog,
        locale: cx.locale,
        branches: crate::store::members::branches(conn)
            .await?
            .into_iter()
            .map(|(id, name, _)| (id, name))
            .collect(),
    };
    let mut lines = vec![cx.r(
        msg!("audit-chat-header"),
        &[("count", entries.len().into())],
    )];
    for e in &entries {
        let detail = if e.detail.is_empty() {
            String::new()
        } else {
            format!(" · {}", labels.detail(&e.detail))
        };
        lines.push(cx.r(
            msg!("audit-line"),
            &[
                ("time", time_text(e.at, cx.engine.tz).into()),
                ("actor", e.actor.as_str().into()),
                ("via", via_text(cx.catalog, cx.locale, &e.via).into()),
                ("action", action_text(cx.catalog, cx.locale, e).into()),
                ("subject", labels.subject(&e.subject).into()),
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

/// How an entry's subject and detail read in chat: the keys stored in the log (`meeting:5`,
/// `general`, `grades`, a notice's audience as JSON) become words in the reader's language;
/// anything not recognised is shown as stored.
pub struct Labels<'a> {
    pub catalog: &'a Catalog,
    pub locale: Locale,
    /// Branch ids and names.
    pub branches: std::collections::HashMap<i64, String>,
}

impl Labels<'_> {
    fn r(&self, id: crate::i18n::Msg, args: &[(&str, crate::i18n::Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }

    fn branch(&self, id: Option<i64>) -> String {
        match id {
            Some(id) => self
                .branches
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.to_string()),
            None => self.catalog.text(self.locale, msg!("audit-every-branch")),
        }
    }

    /// `meeting:5` → 会议 #5, `round:1` → 评议 #1, `branch:2` → the branch's name.
    pub fn subject(&self, subject: &str) -> String {
        let Some((kind, id)) = subject.split_once(':') else {
            return subject.to_owned();
        };
        let id = id.replace("..", "–#");
        let label = match kind {
            "meeting" => msg!("audit-subject-meeting"),
            "round" => msg!("audit-subject-round"),
            "notice" => msg!("audit-subject-notice"),
            "feedback" => msg!("audit-subject-feedback"),
            "spotcheck" => msg!("audit-subject-spotcheck"),
            "pledge" => msg!("audit-subject-pledge"),
            "member" => msg!("audit-subject-member"),
            "branch" => {
                return match id.parse() {
                    Ok(n) => self.branch(Some(n)),
                    Err(_) => id,
                }
            }
            _ => return subject.to_owned(),
        };
        self.r(label, &[("id", id.into())])
    }

    /// Each ` · `-separated part of a detail, read.
    pub fn detail(&self, detail: &str) -> String {
        detail
            .split(" · ")
            .map(|part| self.part(part))
            .collect::<Vec<_>>()
            .join(" · ")
    }

    fn part(&self, part: &str) -> String {
        if part.starts_with('{') {
            return self.scope(part).unwrap_or_else(|| part.to_owned());
        }
        if let Some(kind) = MeetingKind::ALL.into_iter().find(|k| k.as_str() == part) {
            return self.catalog.text(self.locale, kind.msg());
        }
        let id = match part {
            "grades" => msg!("audit-detail-grades"),
            "vote" => msg!("audit-detail-vote"),
            "all_voted" => msg!("audit-detail-all-voted"),
            "closed_early" => msg!("audit-detail-closed-early"),
            _ if part.contains(':') && !part.contains(' ') => return self.subject(part),
            _ => return part.to_owned(),
        };
        self.catalog.text(self.locale, id)
    }

    /// A notice's audience as stored (`{"kind":"branch","branch":2}`), in words.
    fn scope(&self, json: &str) -> Option<String> {
        let v: serde_json::Value = serde_json::from_str(json).ok()?;
        let kind = v.get("kind")?.as_str()?;
        let branch = self.branch(v.get("branch").and_then(serde_json::Value::as_i64));
        let group = v
            .get("group")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let id = match kind {
            "all" => msg!("audit-scope-all"),
            "branch" => msg!("audit-scope-branch"),
            "group" => msg!("audit-scope-group"),
            "committee" => msg!("audit-scope-committee"),
            "secretaries" => msg!("audit-scope-secretaries"),
            "full_members" => msg!("audit-scope-full-members"),
            _ => return Some(format!("{branch} · {kind}")),
        };
        Some(self.r(id, &[("branch", branch.into()), ("group", group.into())]))
    }
}
