//! `GET /dashboard/branch/{id}/recruitment`: a branch's 发展党员 pipeline — one row per person
//! with the stage, the next clock, the overdue ones (marked) and the end of a running 公示 —
//! read through `recruitment::service`, as `/recruit` and `report recruitment` read it. The
//! college committee sees any branch, a branch's committee its own; notes are never shown here.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::html::{self, Table};
use super::super::{signed_in, Refusal, Words};
use super::conn;
use crate::export::Cell;
use crate::http::AppState;
use crate::msg;
use crate::recruitment::service::{self, Viewer};
use crate::store::members;

/// `GET /dashboard/branch/{id}/recruitment`.
pub async fn recruitment(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = state.words();
    match page(&w, &id, &headers).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

async fn page(w: &Words<'_>, id: &str, headers: &HeaderMap) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let id: Option<i64> = id.parse().ok();
    // As on the branch page: a secretary learns nothing about other branches.
    if !member.college && (id.is_none() || id != member.branch_id) {
        return Err(Refusal::Forbidden);
    }
    let mut conn = conn(w.state).await?;
    let Some((id, name)) = (match id {
        Some(id) => members::branches(&mut conn)
            .await?
            .into_iter()
            .find(|(b, _, _)| *b == id)
            .map(|(b, n, _)| (b, n)),
        None => None,
    }) else {
        return Err(Refusal::NotFound(msg!("dashboard-error-no-branch")));
    };
    let engine = &w.state.engine;
    let today = engine.clock.now().with_timezone(&engine.tz).date_naive();
    let views = match service::pipeline(
        &mut conn,
        Viewer::Member(&member),
        Some(id),
        &engine.recruitment,
    )
    .await?
    {
        Ok(views) => views,
        Err(_) => return Err(Refusal::Forbidden),
    };
    let words = crate::recruitment::chat::Words {
        catalog: &engine.catalog,
        locale: w.locale,
    };
    let mine: Vec<_> = views
        .into_iter()
        .filter(|v| v.recruit.branch_id == Some(id))
        .collect();
    let title = w.r(
        msg!("dashboard-recruitment-title"),
        &[("branch", name.as_str().into())],
    );
    let body = if mine.is_empty() {
        html::para(
            &words_text(&words, msg!("recruit-pipeline-empty")),
            Some("muted"),
        )
    } else {
        let data = crate::recruitment::cli::table(&words, &mine, today);
        let mut t = Table::new(&data.header, &[]);
        for row in &data.rows {
            t.row(None);
            for (i, cell) in row.iter().enumerate() {
                let text = cell.display();
                // The overdue column is marked when it holds anything.
                if i == 6 && *cell != Cell::Blank && !text.is_empty() {
                    t.marked(&text, "bad");
                } else {
                    t.cell(&text);
                }
            }
        }
        t.finish()
    };
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}

fn words_text(w: &crate::recruitment::chat::Words<'_>, id: crate::i18n::Msg) -> String {
    w.catalog.text(w.locale, id)
}
