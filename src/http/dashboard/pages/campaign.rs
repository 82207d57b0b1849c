//! `GET /dashboard/campaign`: the campaign's phases with the current one marked, and which
//! branches have sent each phase's summary.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::html::{self, esc, Table};
use super::super::{signed_in, Refusal, Words};
use super::conn;
use crate::http::AppState;
use crate::msg;
use crate::store::campaigns;

/// `GET /dashboard/campaign`: the phases, the current one marked, and which branches have
/// sent each phase's summary (a secretary sees their own branch only).
pub async fn campaign(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let w = state.words();
    match campaign_page(&w, &headers).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

async fn campaign_page(w: &Words<'_>, headers: &HeaderMap) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let engine = &w.state.engine;
    let now = engine.clock.now();
    let mut conn = conn(w.state).await?;
    let Some(c) = campaigns::loaded(&mut conn, engine.tz)
        .await?
        .into_iter()
        .next()
    else {
        let title = w.t(msg!("dashboard-nav-campaign"));
        let body = html::para(&w.t(msg!("dashboard-campaign-none")), Some("muted"));
        return Ok(html::respond(
            StatusCode::OK,
            html::page(&w.frame(&member, &title), &body),
        ));
    };
    let current = c.current(now).map(|(i, _)| i);
    let mut t = Table::new(
        &[
            w.t(msg!("dashboard-col-phase")),
            w.t(msg!("dashboard-col-dates")),
            w.t(msg!("dashboard-col-status")),
            w.t(msg!("dashboard-col-summaries")),
        ],
        &[],
    );
    let mut missing_lists = String::new();
    for (i, p) in c.phases.iter().enumerate() {
        let status = if Some(i) == current {
            w.t(msg!("dashboard-phase-current"))
        } else if p.end <= now {
            w.t(msg!("dashboard-phase-done"))
        } else {
            w.t(msg!("dashboard-phase-upcoming"))
        };
        let dates = format!(
            "{} – {}",
            w.when(p.start.timestamp_millis(), "%Y-%m-%d"),
            p.last_day_text(engine.tz)
        );
        t.row((Some(i) == current).then_some("current"))
            .cell(p.title.get(w.locale))
            .cell(&dates)
            .cell(&status);
        if p.start > now {
            t.cell(&w.t(msg!("dashboard-none")));
            continue;
        }
        let rows: Vec<_> = campaigns::summaries(&mut conn, &c.name, i as i64)
            .await?
            .into_iter()
            .filter(|r| member.college || member.branch_id == Some(r.branch_id))
            .collect();
        let done = rows.iter().filter(|r| r.submitted_at.is_some()).count();
        if member.college {
            t.cell(&w.r(
                msg!("dashboard-summaries-count"),
                &[("done", done.into()), ("total", rows.len().into())],
            ));
        } else if done > 0 {
            t.marked(&w.t(msg!("dashboard-summary-in")), "good");
        } else {
            t.marked(&w.t(msg!("dashboard-summary-missing")), "bad");
        }
        if member.college {
            let mut list = Table::new(
                &[
                    w.t(msg!("dashboard-col-branch")),
                    w.t(msg!("dashboard-col-summary")),
                ],
                &[],
            );
            for r in &rows {
                list.row(None).cell(&r.branch);
                match r.submitted_at {
                    Some(at) => list.marked(
                        &w.r(
                            msg!("dashboard-summary-in-at"),
                            &[("date", w.when(at, "%Y-%m-%d").into())],
                        ),
                        "good",
                    ),
                    None => list.marked(&w.t(msg!("dashboard-summary-missing")), "bad"),
                };
            }
            missing_lists.push_str(&format!(
                "<h3>{}</h3>\n",
                esc(&w.r(
                    msg!("dashboard-summaries-of"),
                    &[("title", p.title.get(w.locale).into())]
                ))
            ));
            missing_lists.push_str(&list.finish());
        }
    }
    let mut body = html::h2(&w.t(msg!("dashboard-campaign-timeline")), "timeline");
    body.push_str(&t.finish());
    if let Some(i) = current {
        let p = &c.phases[i];
        body.push_str(&html::para(
            &w.r(
                msg!("dashboard-campaign-now"),
                &[
                    ("title", p.title.get(w.locale).into()),
                    ("days", p.days_left(now).into()),
                ],
            ),
            None,
        ));
    }
    body.push_str(&missing_lists);
    let title = w.r(
        msg!("dashboard-campaign-title"),
        &[("campaign", c.name.as_str().into())],
    );
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}
