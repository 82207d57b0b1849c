//! `GET /dashboard`: every branch's quarter at a glance, for the college committee.

use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::super::html::{self, Table};
use super::super::{period, query_value, signed_in, Refusal, Words};
use super::{attendance, conn};
use crate::domain::meetings::MeetingKind;
use crate::http::AppState;
use crate::meetings::compliance;
use crate::msg;
use crate::pledges::service as stats;
use crate::store::{dashboard, members};

/// The kinds shown as columns of the overview (the ones with a cadence by default).
const OVERVIEW_KINDS: [MeetingKind; 4] = [
    MeetingKind::General,
    MeetingKind::Committee,
    MeetingKind::Group,
    MeetingKind::Lesson,
];

/// `GET /dashboard`: every branch at a glance; a secretary is sent to their branch.
pub async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: RawQuery,
) -> Response {
    let w = state.words();
    match overview_page(&w, &headers, &query).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

async fn overview_page(
    w: &Words<'_>,
    headers: &HeaderMap,
    query: &RawQuery,
) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    if !member.college {
        let Some(b) = member.branch_id else {
            return Err(Refusal::NoLongerAllowed);
        };
        let mut to = format!("/dashboard/branch/{b}");
        if let Some(q) = &query.0 {
            to.push('?');
            to.push_str(q);
        }
        let mut res = StatusCode::SEE_OTHER.into_response();
        if let Ok(v) = HeaderValue::from_str(&to) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        return Ok(res);
    }
    let p = period(w.state, query)?;
    let engine = &w.state.engine;
    let (from, to) = p.bounds(engine.tz);
    let mut conn = conn(w.state).await?;
    let mut headings = vec![w.t(msg!("dashboard-col-branch"))];
    for k in OVERVIEW_KINDS {
        headings.push(w.t(k.msg()));
    }
    headings.extend([
        w.t(msg!("dashboard-col-attendance")),
        w.t(msg!("dashboard-col-missing")),
        w.t(msg!("dashboard-col-no-pledge")),
        w.t(msg!("dashboard-col-awaiting")),
        w.t(msg!("dashboard-col-checkin")),
        w.t(msg!("dashboard-col-notices")),
        w.t(msg!("dashboard-col-confirm-rate")),
    ]);
    let mut table = Table::new(&headings, &[1, 2, 3, 4, 5, 7, 8, 9, 10, 11]);
    for (id, name, _) in members::branches(&mut conn).await? {
        let figures = compliance::figures_in(
            &mut conn,
            engine.tz,
            &engine.meetings,
            &p,
            Some(id),
            engine.clock.now(),
        )
        .await?;
        let Some(f) = figures.into_iter().next() else {
            continue;
        };
        let pledges = stats::figures(&mut conn, id, &name).await?;
        let notices = dashboard::branch_notices(
            &mut conn,
            id,
            from.timestamp_millis(),
            to.timestamp_millis(),
        )
        .await?;
        let (asked, confirmed) = confirmations(&notices);
        table.row(None).raw(&html::link(
            &format!(
                "/dashboard/branch/{id}?period={}",
                query_value(&p.to_string())
            ),
            &name,
        ));
        for k in OVERVIEW_KINDS {
            let (held, need) = f
                .kinds
                .iter()
                .find(|x| x.0 == k)
                .map_or((0, 0), |x| (x.1, x.2));
            let text = format!("{held} / {need}");
            if held < need {
                table.marked(&text, "num bad");
            } else {
                table.num(&text);
            }
        }
        table.num(&attendance(w, &f));
        let missing: Vec<String> = f.missing().iter().map(|k| w.t(k.msg())).collect();
        if missing.is_empty() {
            table.marked(&w.t(msg!("dashboard-ok")), "good");
        } else {
            table.marked(&missing.join(&w.t(msg!("cli-list-separator"))), "bad");
        }
        table
            .num(&pledges.no_pledge.len().to_string())
            .num(&pledges.awaiting.len().to_string());
        match pledges.round {
            Some((_, asked, answered)) => table.num(&w.rate(answered, asked)),
            None => table.num(&w.t(msg!("dashboard-none"))),
        };
        table
            .num(&notices.len().to_string())
            .num(&w.rate(confirmed, asked));
    }
    let title = w.r(
        msg!("dashboard-overview-title"),
        &[("period", w.period_text(&p).into())],
    );
    let mut body = w.period_form("/dashboard", &p);
    body.push_str(&html::para(
        &w.t(msg!("dashboard-overview-note")),
        Some("meta"),
    ));
    body.push_str(&format!("<div class=\"wide\">{}</div>", table.finish()));
    body.push_str(&super::super::charts::figures(w, None, &p));
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}

/// Recipients asked to confirm, and how many did, over the notices that asked.
fn confirmations(notices: &[dashboard::BranchNotice]) -> (i64, i64) {
    notices
        .iter()
        .filter(|n| n.confirm)
        .fold((0, 0), |(a, c), n| (a + n.recipients, c + n.confirmed))
}
