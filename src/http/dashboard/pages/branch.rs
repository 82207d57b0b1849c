//! `GET /dashboard/branch/{id}`: one branch's meetings with attendance, pledges, notices with
//! confirmation rates, service activities with their photos and files, and feedback within the
//! anonymity thresholds.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::super::html::{self, esc, Table};
use super::super::{period, signed_in, Refusal, Words};
use super::{attendance, conn};
use crate::domain::meetings::percent;
use crate::domain::period::Period;
use crate::feedback::results;
use crate::feedback::rules::{self, Shown};
use crate::feedback::store as feedback;
use crate::http::AppState;
use crate::meetings::compliance;
use crate::meetings::store as meetings;
use crate::msg;
use crate::pledges::service as stats;
use crate::store::{dashboard, members, Conn, StoreError};

/// `GET /dashboard/branch/{id}`.
pub async fn branch(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
    query: RawQuery,
) -> Response {
    let w = state.words();
    match branch_page(&w, &id, &headers, &query).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

async fn branch_page(
    w: &Words<'_>,
    id: &str,
    headers: &HeaderMap,
    query: &RawQuery,
) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let id: Option<i64> = id.parse().ok();
    // A secretary learns nothing about other branches, not even whether an id exists.
    if !member.college && (id.is_none() || id != member.branch_id) {
        return Err(Refusal::Forbidden);
    }
    let p = period(w.state, query)?;
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
    let mut body = w.period_form(&format!("/dashboard/branch/{id}"), &p);
    body.push_str(&meetings_section(w, &mut conn, id, &p).await?);
    body.push_str(&pledges_section(w, &mut conn, id, &name).await?);
    body.push_str(&notices_section(w, &mut conn, id, &p).await?);
    body.push_str(&activities_section(w, &mut conn, id, &p).await?);
    // The push burden in one line (the weekly rows are `branchbot report pushes`).
    let pushes =
        crate::oversight::pushes::weekly(&mut conn, w.state.engine.tz, &p, Some(id)).await?;
    let b = crate::oversight::pushes::burden(&pushes);
    body.push_str(&html::para(
        &w.r(
            msg!("dashboard-pushes-line"),
            &[
                ("sent", b.sent.into()),
                ("per_week", b.per_week.into()),
                ("max", b.max.into()),
                ("held", b.held.into()),
            ],
        ),
        Some("muted"),
    ));
    body.push_str(&feedback_section(w, &mut conn, id, &p).await?);
    body.push_str(&super::super::charts::figures(w, Some(id), &p));
    body.push_str(&html::para(&w.t(msg!("dashboard-recruitment-link")), None));
    body.push_str(&html::link(
        &format!("/dashboard/branch/{id}/recruitment"),
        &w.t(msg!("dashboard-recruitment-open")),
    ));
    body.push_str(&html::para(&w.t(msg!("dashboard-dues-link")), None));
    body.push_str(&html::link(
        &format!("/dashboard/branch/{id}/dues"),
        &w.t(msg!("dashboard-dues-open")),
    ));
    let title = w.r(
        msg!("dashboard-branch-title"),
        &[
            ("branch", name.as_str().into()),
            ("period", w.period_text(&p).into()),
        ],
    );
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}

async fn meetings_section(
    w: &Words<'_>,
    conn: &mut Conn,
    id: i64,
    p: &Period,
) -> Result<String, StoreError> {
    let engine = &w.state.engine;
    let now = engine.clock.now();
    let mut out = html::h2(&w.t(msg!("dashboard-meetings-heading")), "meetings");
    let figures =
        compliance::figures_in(conn, engine.tz, &engine.meetings, p, Some(id), now).await?;
    if let Some(f) = figures.first() {
        let mut t = Table::new(
            &[
                w.t(msg!("dashboard-col-kind-name")),
                w.t(msg!("dashboard-col-held")),
                w.t(msg!("dashboard-col-required")),
            ],
            &[1, 2],
        );
        for (k, held, need) in &f.kinds {
            if *held == 0 && *need == 0 {
                continue;
            }
            t.row(None).cell(&w.t(k.msg())).num(&held.to_string());
            if held < need {
                t.marked(&need.to_string(), "num bad");
            } else {
                t.num(&need.to_string());
            }
        }
        out.push_str(&t.finish());
        out.push_str(&html::para(
            &w.r(
                msg!("dashboard-meetings-summary"),
                &[
                    ("held", f.held.into()),
                    ("attendance", attendance(w, f).into()),
                    ("leave", compliance::rate_text(f.leave_rate()).into()),
                    ("minutes", f.with_minutes.into()),
                ],
            ),
            None,
        ));
        // 补学 as /compliance counts it.
        out.push_str(&html::para(
            &w.r(
                msg!("compliance-makeup-line"),
                &[
                    ("made_up", f.made_up.into()),
                    ("missed", f.missed().into()),
                    ("open", f.absent_open.into()),
                ],
            ),
            None,
        ));
    }
    let (from, to) = p.bounds(engine.tz);
    let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
    let all = meetings::between(conn, Some(id), from, to).await?;
    if all.is_empty() {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-no-meetings")),
            Some("muted"),
        ));
        return Ok(out);
    }
    let held = meetings::held_between(conn, Some(id), from, to, now.timestamp_millis()).await?;
    let mut t = Table::new(
        &[
            w.t(msg!("dashboard-col-date")),
            w.t(msg!("dashboard-col-kind-name")),
            w.t(msg!("dashboard-col-topic")),
            w.t(msg!("dashboard-col-expected")),
            w.t(msg!("dashboard-col-signed-in")),
            w.t(msg!("dashboard-col-leave")),
            w.t(msg!("dashboard-col-attendance")),
            w.t(msg!("dashboard-col-minutes")),
        ],
        &[3, 4, 5, 6],
    );
    for m in &all {
        t.row(None)
            .cell(&w.when(m.starts_at, "%Y-%m-%d %H:%M"))
            .cell(&w.t(m.kind.msg()))
            .raw(&html::link(
                &format!("/dashboard/meeting/{}", m.id),
                &m.topic,
            ));
        match held.iter().find(|h| h.meeting.id == m.id) {
            Some(h) => {
                let rate = if h.expected == 0 {
                    w.t(msg!("dashboard-none"))
                } else {
                    format!("{}%", percent(h.signed_in, h.expected))
                };
                t.num(&h.expected.to_string())
                    .num(&h.signed_in.to_string())
                    .num(&h.on_leave.to_string())
                    .num(&rate);
                if h.minutes {
                    t.marked(&w.t(msg!("dashboard-yes")), "good");
                } else {
                    t.marked(&w.t(msg!("dashboard-no")), "bad");
                }
            }
            None => {
                let status = if m.cancelled {
                    w.t(msg!("dashboard-meeting-cancelled"))
                } else {
                    w.t(msg!("dashboard-meeting-upcoming"))
                };
                t.num("").num("").num("").num("").marked(&status, "muted");
            }
        }
    }
    out.push_str(&t.finish());
    Ok(out)
}

/// The period's service activities (结对帮扶, 志愿服务…): day, kind, place, who confirmed
/// taking part, and links to the photos and files filed to each.
async fn activities_section(
    w: &Words<'_>,
    conn: &mut Conn,
    id: i64,
    p: &Period,
) -> Result<String, StoreError> {
    use crate::attachments::{service as files, Owner};
    use crate::records::{rules as kinds, store as records};
    let mut out = html::h2(&w.t(msg!("dashboard-activities-heading")), "activities");
    let (from, to) = (p.first_day().to_string(), p.last_day().to_string());
    let all = records::activities(conn, Some(id), &from, &to).await?;
    if all.is_empty() {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-no-activities")),
            Some("muted"),
        ));
        return Ok(out);
    }
    let mut t = Table::new(
        &[
            w.t(msg!("records-column-day")),
            w.t(msg!("records-column-kind")),
            w.t(msg!("records-column-place")),
            w.t(msg!("records-column-confirmed")),
            w.t(msg!("dashboard-col-activity-files")),
        ],
        &[3],
    );
    for a in &all {
        let people = records::participants(conn, a.id).await?;
        let confirmed = people.iter().filter(|p| p.status == "confirmed").count();
        let links: Vec<String> = files::list_for(conn, Owner::Activity(a.id))
            .await?
            .iter()
            .map(|f| html::link(&format!("/dashboard/file/{}", f.id), &f.display_name))
            .collect();
        t.row(None)
            .cell(&a.held_on)
            .cell(&kinds::kind_name(
                &w.state.engine.catalog,
                w.locale,
                &a.kind,
            ))
            .cell(&a.place)
            .num(&format!("{confirmed}/{}", people.len()));
        if links.is_empty() {
            t.marked(&w.t(msg!("dashboard-none")), "muted");
        } else {
            t.raw(&links.join("、"));
        }
    }
    out.push_str(&t.finish());
    Ok(out)
}

async fn pledges_section(
    w: &Words<'_>,
    conn: &mut Conn,
    id: i64,
    name: &str,
) -> Result<String, StoreError> {
    let f = stats::figures(conn, id, name).await?;
    let mut out = html::h2(&w.t(msg!("dashboard-pledges-heading")), "pledges");
    let names = |v: &[String]| {
        if v.is_empty() {
            w.t(msg!("dashboard-nobody"))
        } else {
            v.join(&w.t(msg!("cli-list-separator")))
        }
    };
    out.push_str(&html::para(
        &w.r(
            msg!("dashboard-pledges-no-pledge"),
            &[
                ("count", f.no_pledge.len().into()),
                ("names", names(&f.no_pledge).into()),
            ],
        ),
        None,
    ));
    out.push_str(&html::para(
        &w.r(
            msg!("dashboard-pledges-awaiting"),
            &[
                ("count", f.awaiting.len().into()),
                ("names", names(&f.awaiting).into()),
            ],
        ),
        None,
    ));
    let Some((started, asked, answered)) = f.round else {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-pledges-no-round")),
            Some("muted"),
        ));
        return Ok(out);
    };
    out.push_str(&html::para(
        &w.r(
            msg!("dashboard-pledges-round"),
            &[
                ("date", w.when(started, "%Y-%m-%d").into()),
                ("answered", answered.into()),
                ("asked", asked.into()),
                ("rate", w.rate(answered, asked).into()),
            ],
        ),
        None,
    ));
    if f.attention.is_empty() {
        return Ok(out);
    }
    let mut t = Table::new(
        &[
            w.t(msg!("dashboard-col-member")),
            w.t(msg!("dashboard-col-item")),
            w.t(msg!("dashboard-col-progress")),
            w.t(msg!("dashboard-col-note")),
        ],
        &[],
    );
    for a in &f.attention {
        t.row(None)
            .cell(&a.member_name)
            .cell(&format!("{}. {}", a.position, a.text))
            .marked(&w.t(a.progress.msg()), "bad")
            .cell(a.note.as_deref().unwrap_or(""));
    }
    out.push_str(&t.finish());
    Ok(out)
}

async fn notices_section(
    w: &Words<'_>,
    conn: &mut Conn,
    id: i64,
    p: &Period,
) -> Result<String, StoreError> {
    let (from, to) = p.bounds(w.state.engine.tz);
    let notices =
        dashboard::branch_notices(conn, id, from.timestamp_millis(), to.timestamp_millis()).await?;
    let mut out = html::h2(&w.t(msg!("dashboard-notices-heading")), "notices");
    if notices.is_empty() {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-no-notices")),
            Some("muted"),
        ));
        return Ok(out);
    }
    let mut t = Table::new(
        &[
            w.t(msg!("dashboard-col-date")),
            w.t(msg!("dashboard-col-notice")),
            w.t(msg!("dashboard-col-recipients")),
            w.t(msg!("dashboard-col-confirmed")),
            w.t(msg!("dashboard-col-confirm-rate")),
        ],
        &[2, 3, 4],
    );
    for n in &notices {
        t.row(None)
            .cell(&w.when(n.created_at, "%Y-%m-%d %H:%M"))
            .raw(&format!(
                "<div class=\"notice-body\">{}</div>",
                esc(&shorten(&n.body, 160))
            ))
            .num(&n.recipients.to_string());
        if n.confirm {
            t.num(&n.confirmed.to_string())
                .num(&w.rate(n.confirmed, n.recipients));
        } else {
            let none = w.t(msg!("dashboard-no-confirm-needed"));
            t.marked("", "num").marked(&none, "muted");
        }
    }
    out.push_str(&t.finish());
    Ok(out)
}

/// The first `max` characters, with an ellipsis when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

/// Feedback of the branch's targets, for each month of the quarter that has begun.
async fn feedback_section(
    w: &Words<'_>,
    conn: &mut Conn,
    id: i64,
    p: &Period,
) -> Result<String, StoreError> {
    let mut out = html::h2(&w.t(msg!("dashboard-feedback-heading")), "feedback");
    let targets = feedback::visible_targets(conn, -1, false, Some(id)).await?;
    if targets.is_empty() {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-feedback-none")),
            Some("muted"),
        ));
        return Ok(out);
    }
    let engine = &w.state.engine;
    let (current, _) = rules::period(engine.clock.now(), engine.tz);
    let months: Vec<String> = p
        .months()
        .into_iter()
        .map(|(year, month)| format!("{year}-{month:02}"))
        .filter(|p| *p <= current)
        .collect();
    if months.is_empty() {
        out.push_str(&html::para(
            &w.t(msg!("dashboard-feedback-not-yet")),
            Some("muted"),
        ));
        return Ok(out);
    }
    for period in months.iter().rev() {
        let (rows, groups) = results::report(conn, targets.clone(), period).await?;
        out.push_str(&format!(
            "<h3>{}</h3>\n",
            esc(&w.r(
                msg!("dashboard-feedback-month"),
                &[("period", period.as_str().into())]
            ))
        ));
        let mut t = Table::new(
            &[
                w.t(msg!("dashboard-col-target")),
                w.t(msg!("dashboard-col-satisfied")),
                w.t(msg!("dashboard-col-fair")),
                w.t(msg!("dashboard-col-dissatisfied")),
                w.t(msg!("dashboard-col-total")),
                w.t(msg!("dashboard-col-comments")),
            ],
            &[1, 2, 3, 4, 5],
        );
        let hidden = w.t(msg!("dashboard-feedback-hidden"));
        for (group, shown) in &groups {
            t.row(Some("muted")).cell(group);
            shown_cells(&mut t, shown, &hidden);
            t.num("");
        }
        for row in &rows {
            let label = format!(
                "{} · {}",
                w.t(crate::feedback::kind_msg(&row.target.kind)),
                row.target.name
            );
            t.row(None).cell(&label);
            shown_cells(&mut t, &row.shown, &hidden);
            t.num(&row.comments.len().to_string());
        }
        out.push_str(&t.finish());
    }
    out.push_str(&html::para(
        &w.t(msg!("dashboard-feedback-note")),
        Some("meta"),
    ));
    Ok(out)
}

/// Four figure cells, or one cell saying the figures are withheld (spanning the four).
fn shown_cells(t: &mut Table, shown: &Shown, hidden: &str) {
    match shown {
        Shown::Counts(c) => {
            for n in c {
                t.num(&n.to_string());
            }
            t.num(&c.iter().sum::<i64>().to_string());
        }
        Shown::Hidden => {
            t.raw(&format!("<span class=\"muted\">{}</span>", esc(hidden)))
                .num("")
                .num("")
                .num("");
        }
    }
}
