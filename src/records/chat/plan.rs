//! `/plan` and `/plan_publish`: reading a branch's work plan (by part of its name too) and
//! publishing the branch's.

use super::*;

/// The branch meant by a typed name: the exact name, else the only one containing it.
pub(super) enum Named {
    One(i64, String),
    Several(Vec<String>),
    None,
}

pub(super) async fn branch_named(conn: &mut Conn, typed: &str) -> Result<Named, StoreError> {
    let typed = crate::chat::fold(typed).trim().to_lowercase();
    let all = members::branches(conn).await?;
    if let Some((id, name, _)) = all.iter().find(|(_, n, _)| n.to_lowercase() == typed) {
        return Ok(Named::One(*id, name.clone()));
    }
    let mut hits: Vec<(i64, String)> = all
        .into_iter()
        .filter(|(_, n, _)| n.to_lowercase().contains(&typed))
        .map(|(id, n, _)| (id, n))
        .collect();
    Ok(match hits.len() {
        0 => Named::None,
        1 => {
            let (id, n) = hits.remove(0);
            Named::One(id, n)
        }
        _ => Named::Several(hits.into_iter().map(|(_, n)| n).collect()),
    })
}

/// `/plan [支部名]`: anyone, the masses and senders not yet bound too (`reader` None).
pub async fn plan(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    reader: Option<&Member>,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let tz = cx.engine.tz;
    let states = service::plan_states(conn, tz).await?;
    let Some(typed) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        let published: Vec<String> = states
            .iter()
            .filter(|(_, _, p)| *p)
            .map(|(_, n, _)| n.clone())
            .collect();
        let mut lines = vec![if published.is_empty() {
            w.t(msg!("records-plan-none-published"))
        } else {
            w.r(
                msg!("records-plan-list"),
                &[
                    ("count", published.len().into()),
                    ("list", w.list(&published).into()),
                ],
            )
        }];
        if reader.is_some_and(|m| m.college) {
            let missing: Vec<String> = states
                .iter()
                .filter(|(_, _, p)| !*p)
                .map(|(_, n, _)| n.clone())
                .collect();
            lines.push(missing_line(&w, &missing));
        }
        return Ok(Step::text(lines.join("\n")));
    };
    match branch_named(conn, typed).await? {
        Named::One(id, name) => Ok(Step::text(plan_text(
            &w,
            tz,
            &name,
            service::plan_of(conn, tz, id).await?,
        ))),
        Named::Several(names) => Ok(Step::text(w.r(
            msg!("records-plan-which"),
            &[("typed", typed.into()), ("list", w.list(&names).into())],
        ))),
        Named::None => {
            let names: Vec<String> = states.into_iter().map(|(_, n, _)| n).collect();
            Ok(Step::text(w.r(
                msg!("records-no-branch"),
                &[("typed", typed.into()), ("list", w.list(&names).into())],
            )))
        }
    }
}

/// The branches that have not published, as a line.
pub fn missing_line(w: &Words<'_>, missing: &[String]) -> String {
    if missing.is_empty() {
        w.t(msg!("records-plan-all-published"))
    } else {
        w.r(
            msg!("records-plan-missing"),
            &[
                ("count", missing.len().into()),
                ("list", w.list(missing).into()),
            ],
        )
    }
}

/// A branch's plan as people read it, or that it has none yet.
pub fn plan_text(
    w: &Words<'_>,
    tz: chrono_tz::Tz,
    branch: &str,
    plan: Option<(String, Option<String>, i64)>,
) -> String {
    match plan {
        None => w.r(
            msg!("records-plan-not-published"),
            &[("branch", branch.into())],
        ),
        Some((body, by, at)) => {
            let day = chrono::DateTime::from_timestamp_millis(at)
                .unwrap_or_default()
                .with_timezone(&tz)
                .format("%Y-%m-%d")
                .to_string();
            let by = by.unwrap_or_else(|| w.t(msg!("dues-by-operator")));
            w.r(
                msg!("records-plan-show"),
                &[
                    ("branch", branch.into()),
                    ("day", day.into()),
                    ("by", by.into()),
                    ("text", body.into()),
                ],
            )
        }
    }
}

/// `/plan_publish [text]`.
pub async fn plan_publish(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let Some(b) = member
        .branch_id
        .filter(|b| service::may_publish(Viewer::Member(member), *b))
    else {
        return Ok(Step::text(w.t(msg!("records-plan-not-allowed"))));
    };
    let _ = b;
    match text {
        Some(t) => publish_typed(cx, conn, member, t).await,
        None => Ok(Step::new(
            vec![Reply::text(w.r(
                msg!("records-plan-ask"),
                &[("max", rules::MAX_PLAN_CHARS.into())],
            ))],
            draft(Draft::PlanText),
        )),
    }
}

pub(super) async fn publish_typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let (Some(b), Some(name)) = (member.branch_id, member.branch_name.as_deref()) else {
        return Ok(Step::text(w.t(msg!("records-plan-not-allowed"))));
    };
    let actor = Actor::member(member, cx.via);
    let done = service::publish_plan(
        conn,
        cx.engine.tz,
        Viewer::Member(member),
        &actor,
        (b, name),
        text,
        cx.now_ms,
    )
    .await?;
    Ok(match done {
        Ok(first) => Step::text(w.r(
            if first {
                msg!("records-plan-published")
            } else {
                msg!("records-plan-replaced")
            },
            &[("branch", name.into())],
        )),
        Err(d @ Denied::Text(..)) => Step::retry(w.denied(&d), draft(Draft::PlanText)),
        Err(d) => Step::text(w.denied(&d)),
    })
}
