//! `/notice_status [id]`: what became of a notice — sent, failed, blocked, confirmed, who has
//! not confirmed — with the sender's recent notices; the re-nudge of the unconfirmed (at most
//! once per `[notices] nudge_interval_minutes`, or 5 minutes for an urgent notice); and `/notice_escalate HOURS [id]`, which schedules an
//! SMS to unconfirmed Telegram readers.

use super::Action;
use crate::delivery::route::{self, Push, Route};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::notices::rules::nudge_allowed;
use crate::notices::service::{notice_reply, sender_label};
use crate::notices::store::{self as notices, Notice};
use crate::scheduler::{JobSpec, When};
use crate::store::{members, Conn, StoreError};

/// Names listed before "…".
const NAMES_SHOWN: usize = 20;

/// The notice a manager asks about: by id (theirs, or anyone's for the committee), else their
/// latest. The answer when there is none.
async fn pick(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Result<Notice, String>, StoreError> {
    if !member.is_manager() {
        return Ok(Err(cx.t(msg!("notice-refused"))));
    }
    let found = match arg.map(|a| a.trim().trim_start_matches('#').parse::<i64>()) {
        Some(Ok(id)) => notices::by_id(conn, id).await?,
        Some(Err(_)) => return Ok(Err(cx.t(msg!("notice-status-usage")))),
        None => notices::recent(conn, Some(member.id), 1).await?.pop(),
    };
    match found {
        Some(n) if n.sender_id == member.id || member.college => Ok(Ok(n)),
        _ => Ok(Err(cx.t(msg!("notice-status-none")))),
    }
}

/// `/notice_status [id]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let n = match pick(cx, conn, member, arg).await? {
        Ok(n) => n,
        Err(text) => return Ok(Step::text(text)),
    };
    let f = notices::figures(conn, n.id).await?;
    let created = chrono::DateTime::from_timestamp_millis(n.created_at)
        .unwrap_or_default()
        .with_timezone(&cx.engine.tz);
    let mut lines = vec![
        cx.r(
            msg!("notice-status-head"),
            &[
                ("id", n.id.into()),
                ("at", moment(cx, created).into()),
                ("text", excerpt(&n.body).into()),
            ],
        ),
        cx.r(
            msg!("notice-status-delivery"),
            &[
                ("total", f.total.into()),
                ("sent", f.sent.into()),
                ("queued", f.queued.into()),
                ("failed", f.failed.into()),
                ("blocked", f.blocked.into()),
                ("unreachable", f.unreachable.into()),
            ],
        ),
    ];
    let mut choices = Vec::new();
    if n.confirm {
        let missing = notices::unconfirmed(conn, n.id).await?;
        if missing.is_empty() {
            lines.push(cx.r(
                msg!("notice-status-all-confirmed"),
                &[("total", f.total.into())],
            ));
        } else {
            let mut names: Vec<&str> = missing
                .iter()
                .take(NAMES_SHOWN)
                .map(|(_, n)| n.as_str())
                .collect();
            if missing.len() > NAMES_SHOWN {
                names.push("…");
            }
            lines.push(cx.r(
                msg!("notice-status-confirmed"),
                &[
                    ("confirmed", f.confirmed.into()),
                    ("total", f.total.into()),
                    ("missing", (missing.len() as i64).into()),
                    (
                        "names",
                        names.join(&cx.t(msg!("cli-list-separator"))).into(),
                    ),
                ],
            ));
            choices.push(cx.choice(Action::Nudge(n.id).encode(), msg!("notice-nudge")));
        }
        if let Some(state) = &n.escalation {
            let at = moment(
                cx,
                n.escalate_at
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .unwrap_or_default()
                    .with_timezone(&cx.engine.tz),
            );
            let msg = match state.as_str() {
                "sent" => msg!("notice-escalation-sent"),
                "pending" => msg!("notice-escalation-pending"),
                _ => msg!("notice-escalation-scheduled"),
            };
            lines.push(cx.r(msg, &[("at", at.into())]));
        }
    }
    let recent = notices::recent(conn, (!member.college).then_some(member.id), 6).await?;
    let others: Vec<&Notice> = recent.iter().filter(|r| r.id != n.id).take(5).collect();
    if !others.is_empty() {
        lines.push(cx.t(msg!("notice-status-recent")));
        for r in others {
            lines.push(format!("#{} {}", r.id, excerpt(&r.body)));
        }
    }
    Ok(Step::reply(Reply::with_choices(lines.join("\n"), choices)))
}

fn excerpt(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if first.chars().count() > 20 || s.lines().count() > 1 {
        format!("{}…", first.chars().take(20).collect::<String>())
    } else {
        first.to_owned()
    }
}

/// The 提醒未确认者 button: the notice again, to the unconfirmed only.
pub async fn nudge(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    id: i64,
) -> Result<Step, StoreError> {
    let n = match pick(cx, conn, member, Some(&id.to_string())).await? {
        Ok(n) => n,
        Err(text) => return Ok(Step::text(text)),
    };
    // An urgent notice may be re-nudged as often as its automatic plan could be.
    let floor = crate::domain::pushes::NudgePlan::floor(n.urgent, super::nudges::floor_minutes(cx));
    if let Err(next) = nudge_allowed(n.nudged_at, cx.now_ms, floor * 60_000) {
        let at = chrono::DateTime::from_timestamp_millis(next)
            .unwrap_or_default()
            .with_timezone(&cx.engine.tz)
            .format("%H:%M")
            .to_string();
        return Ok(Step::text(
            cx.r(msg!("notice-nudge-too-soon"), &[("at", at.into())]),
        ));
    }
    let sender = match members::by_id(conn, n.sender_id).await? {
        Some(s) => sender_label(&s),
        None => String::new(),
    };
    let mut count = 0i64;
    let mut missed = Vec::new();
    for (id, _) in notices::unconfirmed(conn, n.id).await? {
        let Some(m) = members::by_id(conn, id).await? else {
            continue;
        };
        let mcx = cx.for_member(&m);
        let mut reply = notice_reply(&mcx, n.id, &sender, &n.body, (true, n.urgent));
        reply.text = format!("{}\n{}", mcx.t(msg!("notice-nudge-header")), reply.text);
        let push = Push {
            dedupe_key: format!("notice:{}:{}:nudge:{}", n.id, m.id, cx.now_ms),
            urgent: n.urgent,
            not_before: cx.now_ms,
            expires_at: None,
        };
        match cx.push(conn, &m, &reply, &push).await? {
            Route::Nowhere(why) => missed.push(why),
            _ => count += 1,
        }
    }
    notices::set_nudged(conn, n.id, cx.now_ms).await?;
    let mut text = cx.r(msg!("notice-nudged"), &[("count", count.into())]);
    if let Some(note) = route::unreachable_note(cx.catalog, cx.locale, &missed) {
        text.push('\n');
        text.push_str(&note);
    }
    Ok(Step::text(text))
}

/// `/notice_escalate HOURS [id]`: after HOURS, unconfirmed Telegram readers with a mobile
/// number get the notice by SMS (the `notice_escalation` job).
pub async fn escalate(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let mut words = arg.unwrap_or("").split_whitespace();
    let Some(hours) = words
        .next()
        .and_then(|h| h.parse::<u32>().ok())
        .filter(|h| (1..=168).contains(h))
    else {
        return Ok(Step::text(cx.t(msg!("notice-escalate-usage"))));
    };
    let n = match pick(cx, conn, member, words.next()).await? {
        Ok(n) => n,
        Err(text) => return Ok(Step::text(text)),
    };
    if !n.confirm {
        return Ok(Step::text(cx.t(msg!("notice-escalate-no-confirm"))));
    }
    let at = cx.now() + chrono::TimeDelta::hours(i64::from(hours));
    let spec = JobSpec {
        kind: crate::notices::jobs::escalation::KIND.into(),
        dedupe_key: format!("notice:{}:escalate", n.id),
        payload: serde_json::json!({ "notice": n.id }).to_string(),
        when: When::At(at),
        grace: None,
    };
    if let Err(e) = cx.schedule(conn, &spec).await {
        tracing::warn!(error = %e, "could not schedule a notice escalation");
        return Ok(Step::text(cx.t(msg!("error-internal"))));
    }
    notices::set_escalation(conn, n.id, "scheduled", Some(at.timestamp_millis())).await?;
    let shown = moment(cx, at.with_timezone(&cx.engine.tz));
    Ok(Step::text(cx.r(
        msg!("notice-escalate-set"),
        &[("id", n.id.into()), ("at", shown.into())],
    )))
}

/// A moment as people read it: "12月7日 10:58".
fn moment(cx: &Ctx<'_>, at: chrono::DateTime<chrono_tz::Tz>) -> String {
    use chrono::Datelike;
    cx.r(
        msg!("moment"),
        &[
            ("month", at.month().into()),
            ("day", at.day().into()),
            ("time", at.format("%H:%M").to_string().into()),
        ],
    )
}
