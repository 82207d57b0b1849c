//! `GET /dashboard/branch/{id}/dues[?month=YYYY-MM]`: a branch's 党费 for a month — the figures
//! `/dues_report` gives, then one row per party member (the amount, the payment, the months
//! unpaid in a row, marked from six) — read through `dues::service`, as `report dues` reads
//! it. The college committee sees any branch, a branch's committee its own.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::html::{self, Table};
use super::super::{signed_in, Refusal, Words};
use super::conn;
use crate::dues::rules::{Month, FLAG_AFTER};
use crate::dues::service;
use crate::http::AppState;
use crate::msg;
use crate::store::members;

/// The query: `month=YYYY-MM` (default: this month).
#[derive(Debug, serde::Deserialize)]
pub struct DuesQuery {
    month: Option<String>,
}

/// `GET /dashboard/branch/{id}/dues`.
pub async fn dues(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<DuesQuery>,
    headers: HeaderMap,
) -> Response {
    let w = state.words();
    match page(&w, &id, q.month.as_deref(), &headers).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

async fn page(
    w: &Words<'_>,
    id: &str,
    month: Option<&str>,
    headers: &HeaderMap,
) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let id: Option<i64> = id.parse().ok();
    // As on the branch page: a secretary learns nothing about other branches.
    if !member.college && (id.is_none() || id != member.branch_id) {
        return Err(Refusal::Forbidden);
    }
    let engine = &w.state.engine;
    let words = crate::dues::chat::Words {
        catalog: &engine.catalog,
        locale: w.locale,
    };
    let this_month = Month::of(engine.clock.now().with_timezone(&engine.tz).date_naive());
    let month = match month.map(str::trim).filter(|m| !m.is_empty()) {
        None => this_month,
        Some(typed) => match Month::parse(typed) {
            Some(m) => m,
            None => {
                let body = html::para(&words.bad_month(typed), Some("muted"));
                let title = w.t(msg!("report-kind-dues"));
                return Ok(html::respond(
                    StatusCode::BAD_REQUEST,
                    html::page(&w.frame(&member, &title), &body),
                ));
            }
        },
    };
    let mut conn = conn(w.state).await?;
    let known = match id {
        Some(id) => members::branches(&mut conn)
            .await?
            .into_iter()
            .any(|(b, _, _)| b == id),
        None => false,
    };
    let Some(id) = id.filter(|_| known) else {
        return Err(Refusal::NotFound(msg!("dashboard-error-no-branch")));
    };
    let report = service::report(&mut conn, Some(id), month, this_month).await?;
    let Some(b) = report.first() else {
        return Err(Refusal::NotFound(msg!("dashboard-error-no-branch")));
    };
    let title = w.r(
        msg!("dashboard-dues-title"),
        &[
            ("branch", b.branch.as_str().into()),
            ("month", words.month(month).into()),
        ],
    );
    let mut body = String::new();
    for line in words.branch_month(b, month).lines().skip(1) {
        body.push_str(&html::para(line, None));
    }
    let sheet = crate::dues::cli::member_sheet(&words, b);
    let mut t = Table::new(&sheet.header, &[2, 3, 4]);
    for (line, row) in b.lines.iter().zip(&sheet.rows) {
        t.row(None);
        for (i, cell) in row.iter().enumerate() {
            let text = cell.display();
            if i == 4 && line.run >= FLAG_AFTER {
                t.marked(&text, "bad");
            } else {
                t.cell(&text);
            }
        }
    }
    body.push_str(&t.finish());
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}
