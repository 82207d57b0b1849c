//! The dashboard's pages: the overview of every branch, one branch, and the campaign. The
//! figures are those the bot gives in chat: `/compliance` (`flows::meetings::compliance`),
//! `/pledge_stats` (`flows::pledges::stats`), notice confirmations, and feedback reports with
//! the anonymity thresholds of `domain::feedback` (a suppressed cell is never shown).

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

use super::html::{self, esc, Frame, Table};
use super::{quarter, signed_in, Refusal, Words};
use crate::domain::feedback::{self as rules, Shown};
use crate::domain::meetings::{percent, MeetingKind, Quarter};
use crate::domain::org::Member;
use crate::domain::pledges::rate_percent;
use crate::flows::feedback::results;
use crate::flows::meetings::compliance;
use crate::flows::pledges::stats;
use crate::http::AppState;
use crate::msg;
use crate::scheduler::campaigns as loaded;
use crate::store::{campaigns, dashboard, feedback, meetings, members, Conn, StoreError};

/// The kinds shown as columns of the overview (the ones with a cadence by default).
const OVERVIEW_KINDS: [MeetingKind; 4] = [
    MeetingKind::General,
    MeetingKind::Committee,
    MeetingKind::Group,
    MeetingKind::Lesson,
];

impl Words<'_> {
    fn when(&self, ms: i64, format: &str) -> String {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&self.state.engine.tz)
            .format(format)
            .to_string()
    }

    /// `45%`, or a dash when there is nothing to divide.
    fn rate(&self, part: i64, whole: i64) -> String {
        if whole <= 0 {
            self.t(msg!("dashboard-none"))
        } else {
            format!("{}%", rate_percent(part, whole))
        }
    }

    /// The frame of a signed-in page.
    fn frame<'a>(&'a self, member: &Member, title: &'a str) -> Frame<'a> {
        let mut nav = Vec::new();
        if member.college {
            nav.push((
                "/dashboard".to_owned(),
                self.t(msg!("dashboard-nav-overview")),
            ));
        } else if let Some(b) = member.branch_id {
            nav.push((
                format!("/dashboard/branch/{b}"),
                self.t(msg!("dashboard-nav-branch")),
            ));
        }
        nav.push((
            "/dashboard/campaign".to_owned(),
            self.t(msg!("dashboard-nav-campaign")),
        ));
        let now = self.when(self.state.engine.clock.now_ms(), "%Y-%m-%d %H:%M");
        Frame {
            locale: self.locale,
            org: self.org(),
            title,
            nav,
            signed_in: Some((
                self.r(
                    msg!("dashboard-signed-in"),
                    &[("name", member.name.as_str().into())],
                ),
                self.t(msg!("dashboard-nav-logout")),
            )),
            footer: Some(self.r(msg!("dashboard-generated"), &[("time", now.into())])),
        }
    }

    /// The quarter chooser (a plain GET form).
    fn period_form(&self, action: &str, q: Quarter) -> String {
        format!(
            "<form class=\"period\" method=\"get\" action=\"{}\"><label for=\"period\">{}</label>\
             <input id=\"period\" name=\"period\" value=\"{}\" placeholder=\"2026Q4\">\
             <button type=\"submit\">{}</button></form>\n",
            esc(action),
            esc(&self.t(msg!("dashboard-period-label"))),
            esc(&q.to_string()),
            esc(&self.t(msg!("dashboard-period-show"))),
        )
    }
}

async fn conn(state: &AppState) -> Result<sqlx::pool::PoolConnection<sqlx::Any>, Refusal> {
    Ok(state
        .engine
        .store
        .pool()
        .acquire()
        .await
        .map_err(StoreError::from)?)
}

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
    let q = quarter(w.state, query)?;
    let engine = &w.state.engine;
    let (from, to) = q.bounds(engine.tz);
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
        let figures = compliance::figures(
            &mut conn,
            engine.tz,
            &engine.meetings,
            q,
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
            &format!("/dashboard/branch/{id}?period={q}"),
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
            table.marked(&missing.join("、"), "bad");
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
        &[("period", q.to_string().into())],
    );
    let mut body = w.period_form("/dashboard", q);
    body.push_str(&html::para(
        &w.t(msg!("dashboard-overview-note")),
        Some("meta"),
    ));
    body.push_str(&format!("<div class=\"wide\">{}</div>", table.finish()));
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

fn attendance(w: &Words<'_>, f: &compliance::BranchFigures) -> String {
    if f.expected == 0 {
        w.t(msg!("dashboard-none"))
    } else {
        format!("{}%", f.attendance_rate())
    }
}

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
    let q = quarter(w.state, query)?;
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
    let mut body = w.period_form(&format!("/dashboard/branch/{id}"), q);
    body.push_str(&meetings_section(w, &mut conn, id, q).await?);
    body.push_str(&pledges_section(w, &mut conn, id, &name).await?);
    body.push_str(&notices_section(w, &mut conn, id, q).await?);
    body.push_str(&feedback_section(w, &mut conn, id, q).await?);
    let title = w.r(
        msg!("dashboard-branch-title"),
        &[
            ("branch", name.as_str().into()),
            ("period", q.to_string().into()),
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
    q: Quarter,
) -> Result<String, StoreError> {
    let engine = &w.state.engine;
    let now = engine.clock.now();
    let mut out = html::h2(&w.t(msg!("dashboard-meetings-heading")), "meetings");
    let figures = compliance::figures(conn, engine.tz, &engine.meetings, q, Some(id), now).await?;
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
                    ("leave", f.leave_rate().into()),
                    ("minutes", f.with_minutes.into()),
                ],
            ),
            None,
        ));
    }
    let (from, to) = q.bounds(engine.tz);
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
            .cell(&m.topic);
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
            v.join("、")
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
    q: Quarter,
) -> Result<String, StoreError> {
    let (from, to) = q.bounds(w.state.engine.tz);
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
    q: Quarter,
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
    let months: Vec<String> = (0..3)
        .map(|i| format!("{}-{:02}", q.year, (q.q - 1) * 3 + 1 + i))
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
                w.t(crate::flows::feedback::kind_msg(&row.target.kind)),
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
    let Some(c) = loaded::loaded(&mut conn, engine.tz)
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
        let last = p.end - chrono::TimeDelta::seconds(1);
        let dates = format!(
            "{} – {}",
            w.when(p.start.timestamp_millis(), "%Y-%m-%d"),
            w.when(last.timestamp_millis(), "%Y-%m-%d")
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
