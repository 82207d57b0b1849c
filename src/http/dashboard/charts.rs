//! `GET /dashboard/charts/<chart>.svg?branch=<id>&period=2026Q4`: the committee's charts
//! (`oversight::charts`) as SVG images for the pages, scoped like the pages: the whole college
//! for the committee only, one branch for the committee or that branch's secretary.

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::html::esc;
use super::pages::conn;
use super::{period, query_value, signed_in, Refusal, Words};
use crate::domain::period::Period;
use crate::http::AppState;
use crate::msg;
use crate::oversight::charts::{self, Chart, ChartContext};
use crate::store::members;

/// `GET /dashboard/charts/{file}`.
pub async fn chart(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
    query: RawQuery,
) -> Response {
    let w = state.words();
    match draw(&w, &file, &headers, &query).await {
        Ok(svg) => svg_response(svg),
        Err(why) => w.refused(why),
    }
}

async fn draw(
    w: &Words<'_>,
    file: &str,
    headers: &HeaderMap,
    query: &RawQuery,
) -> Result<String, Refusal> {
    let member = signed_in(w.state, headers).await?;
    // None: the whole college; Some(None): a branch id that is not a number.
    let branch = param(query.0.as_deref(), "branch").map(|b| b.parse::<i64>().ok());
    // Scope first: a secretary learns nothing of other branches, not even which ids exist.
    match branch {
        None if !member.college => return Err(Refusal::Forbidden),
        Some(b) if !member.college && (b.is_none() || b != member.branch_id) => {
            return Err(Refusal::Forbidden)
        }
        _ => {}
    }
    let chart = file
        .strip_suffix(".svg")
        .and_then(Chart::from_slug)
        .ok_or(Refusal::NotFound(msg!("dashboard-error-not-found")))?;
    let p = period(w.state, query)?;
    let mut conn = conn(w.state).await?;
    let branch = match branch {
        None => None,
        Some(b) => {
            let known = members::branches(&mut conn)
                .await?
                .into_iter()
                .any(|(id, _, _)| Some(id) == b);
            if !known {
                return Err(Refusal::NotFound(msg!("dashboard-error-no-branch")));
            }
            b
        }
    };
    let engine = &w.state.engine;
    let ctx = ChartContext::of(engine, engine.clock.now());
    Ok(charts::svg(&mut conn, &ctx, chart, branch, &p).await?)
}

/// An SVG that cannot run anything, even when opened on its own.
fn svg_response(svg: String) -> Response {
    let mut res = (StatusCode::OK, svg).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    res
}

/// A query parameter's value.
fn param(query: Option<&str>, name: &str) -> Option<String> {
    form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The charts of a page as `<figure>`s: the whole college (`branch` None) or one branch.
pub fn figures(w: &Words<'_>, branch: Option<i64>, p: &Period) -> String {
    let mut out = super::html::h2(&w.t(msg!("dashboard-charts-heading")), "charts");
    for (chart, alt) in [
        (Chart::Attendance, msg!("dashboard-chart-attendance")),
        (Chart::Cadence, msg!("dashboard-chart-cadence")),
        (Chart::Pledges, msg!("dashboard-chart-pledges")),
        (Chart::Feedback, msg!("dashboard-chart-feedback")),
    ] {
        let mut src = format!(
            "/dashboard/charts/{}.svg?period={}",
            chart.slug(),
            query_value(&p.to_string())
        );
        if let Some(b) = branch {
            src.push_str(&format!("&branch={b}"));
        }
        out.push_str(&format!(
            "<figure><img src=\"{}\" alt=\"{}\"></figure>\n",
            esc(&src),
            esc(&w.t(alt))
        ));
    }
    out
}
