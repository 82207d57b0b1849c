//! `GET /dashboard/meeting/{id}`: one meeting's record — when and where, the attendance, its
//! minutes, its photos (the images themselves, sized by CSS) and its files — and
//! `GET /dashboard/file/{id}`: one attachment, served only to those who may see what it
//! belongs to. The college committee sees every branch's; a branch's committee its own. A
//! meeting or file of another branch is "not found", exactly like one that does not exist.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::super::html::{self, esc, Table};
use super::super::{signed_in, Refusal, Words};
use super::conn;
use crate::attachments::{self, service as files, Attachment, Kind, Owner};
use crate::domain::org::Member;
use crate::http::AppState;
use crate::meetings::store::{self as meetings, Meeting, Rsvp};
use crate::msg;
use crate::store::Conn;

/// `GET /dashboard/meeting/{id}`.
pub async fn meeting(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = state.words();
    match meeting_page(&w, &id, &headers).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

/// The meeting, when the member may see it; None otherwise (or when there is none).
async fn visible_meeting(
    conn: &mut Conn,
    member: &Member,
    id: i64,
) -> Result<Option<Meeting>, Refusal> {
    Ok(meetings::get(conn, id)
        .await?
        .filter(|m| member.college || member.branch_id == Some(m.branch_id)))
}

async fn meeting_page(w: &Words<'_>, id: &str, headers: &HeaderMap) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let not_found = || Refusal::NotFound(msg!("dashboard-error-no-meeting"));
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut conn = conn(w.state).await?;
    let Some(m) = visible_meeting(&mut conn, &member, id).await? else {
        return Err(not_found());
    };
    let title = w.r(
        msg!("dashboard-meeting-title"),
        &[
            ("kind", w.t(m.kind.msg()).into()),
            ("date", w.when(m.starts_at, "%Y-%m-%d").into()),
        ],
    );
    let mut body = String::new();
    body.push_str(&html::para(
        &w.r(
            msg!("dashboard-meeting-meta"),
            &[
                ("branch", m.branch_name.as_str().into()),
                ("topic", m.topic.as_str().into()),
                ("place", m.place.as_str().into()),
                ("time", w.when(m.starts_at, "%Y-%m-%d %H:%M").into()),
            ],
        ),
        Some("meta"),
    ));
    body.push_str(&html::para(
        &html::link(
            &format!("/dashboard/branch/{}", m.branch_id),
            &w.t(msg!("dashboard-meeting-back")),
        ),
        None,
    ));

    // Attendance.
    let attendees = meetings::attendees(&mut conn, m.id).await?;
    let signed = attendees.iter().filter(|a| a.signed_in).count();
    let leave = attendees
        .iter()
        .filter(|a| !a.signed_in && a.rsvp == Rsvp::Leave)
        .count();
    let absent = attendees.len() - signed - leave;
    body.push_str(&html::h2(
        &w.t(msg!("dashboard-meeting-attendance")),
        "attendance",
    ));
    body.push_str(&html::para(
        &w.r(
            msg!("dashboard-meeting-attendance-line"),
            &[
                ("expected", (attendees.len() as i64).into()),
                ("signed", (signed as i64).into()),
                ("leave", (leave as i64).into()),
                ("absent", (absent as i64).into()),
            ],
        ),
        None,
    ));

    // Minutes.
    body.push_str(&html::h2(&w.t(msg!("dashboard-col-minutes")), "minutes"));
    match meetings::minutes(&mut conn, m.id).await? {
        Some(text) => body.push_str(&format!(
            "<div class=\"notice-body\">{}</div>\n",
            esc(&text)
        )),
        None => body.push_str(&html::para(
            &w.t(msg!("dashboard-meeting-no-minutes")),
            Some("muted"),
        )),
    }

    // Photos and files.
    let all = files::list_for(&mut conn, Owner::Meeting(m.id)).await?;
    let (photos, docs): (Vec<&Attachment>, Vec<&Attachment>) =
        all.iter().partition(|a| a.kind == Kind::Photo);
    body.push_str(&html::h2(&w.t(msg!("dashboard-meeting-photos")), "photos"));
    if photos.is_empty() {
        body.push_str(&html::para(
            &w.t(msg!("dashboard-meeting-no-photos")),
            Some("muted"),
        ));
    } else {
        body.push_str("<div class=\"photos\">");
        for a in &photos {
            let href = format!("/dashboard/file/{}", a.id);
            body.push_str(&format!(
                "<figure class=\"photo\"><a href=\"{href}\"><img src=\"{href}\" alt=\"{name}\" loading=\"lazy\"></a><figcaption>{name}</figcaption></figure>",
                name = esc(&a.display_name)
            ));
        }
        body.push_str("</div>\n");
    }
    body.push_str(&html::h2(&w.t(msg!("dashboard-meeting-files")), "files"));
    if docs.is_empty() {
        body.push_str(&html::para(
            &w.t(msg!("dashboard-meeting-no-files")),
            Some("muted"),
        ));
    } else {
        let mut t = Table::new(
            &[
                w.t(msg!("dashboard-col-file")),
                w.t(msg!("dashboard-col-size")),
                w.t(msg!("dashboard-col-uploaded")),
            ],
            &[1],
        );
        for a in &docs {
            t.row(None)
                .raw(&html::link(
                    &format!("/dashboard/file/{}", a.id),
                    &a.display_name,
                ))
                .num(&size_text(a.size))
                .cell(&w.when(a.created_at.timestamp_millis(), "%Y-%m-%d %H:%M"));
        }
        body.push_str(&t.finish());
    }
    Ok(html::respond(
        StatusCode::OK,
        html::page(&w.frame(&member, &title), &body),
    ))
}

/// `12 KB`, `3.4 MB`.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    }
}

/// `GET /dashboard/file/{id}`.
pub async fn file(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let w = state.words();
    match serve(&w, &id, &headers).await {
        Ok(res) => res,
        Err(why) => w.refused(why),
    }
}

/// Whether the member may see what the attachment belongs to: the committee sees all; a
/// branch's committee the files of its own meetings and activities.
async fn may_see(conn: &mut Conn, member: &Member, a: &Attachment) -> Result<bool, Refusal> {
    if member.college {
        return Ok(true);
    }
    let branch = match a.owner {
        Some(Owner::Meeting(id)) => meetings::get(conn, id).await?.map(|m| m.branch_id),
        Some(Owner::Activity(id)) => crate::records::store::activity_by_id(conn, id)
            .await?
            .map(|a| a.branch_id),
        _ => None,
    };
    Ok(branch.is_some() && branch == member.branch_id)
}

async fn serve(w: &Words<'_>, id: &str, headers: &HeaderMap) -> Result<Response, Refusal> {
    let member = signed_in(w.state, headers).await?;
    let not_found = || Refusal::NotFound(msg!("dashboard-error-no-file"));
    let id: i64 = id.parse().map_err(|_| not_found())?;
    let mut conn = conn(w.state).await?;
    let Some(a) = files::get(&mut conn, id).await? else {
        return Err(not_found());
    };
    if !may_see(&mut conn, &member, &a).await? {
        return Err(not_found());
    }
    drop(conn);
    let bytes = match files::read(&w.state.engine.files, &a).await {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, attachment = a.id, "an attachment could not be read");
            return Err(Refusal::NotFound(msg!("dashboard-error-file-unreadable")));
        }
    };
    Ok(file_response(&a, bytes))
}

/// The bytes with the stored (sniffed) type, never sniffed again by the browser, never run
/// as a page: photos inline, documents as a download under their harmless name.
pub fn file_response(a: &Attachment, bytes: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    let content_type = HeaderValue::from_str(&a.content_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    h.insert(header::CONTENT_TYPE, content_type);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let disposition = content_disposition(a);
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// `inline` for photos, `attachment` for documents, with an ASCII fallback name and the
/// UTF-8 one (RFC 6266, RFC 5987).
pub fn content_disposition(a: &Attachment) -> String {
    let how = match a.kind {
        Kind::Photo => "inline",
        Kind::Document => "attachment",
    };
    let ext = attachments::sniff::extension_of(&a.content_type);
    let ascii: String = a
        .display_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let ascii = if ascii.trim_matches(['_', '.']).is_empty() {
        format!("file.{ext}")
    } else {
        ascii
    };
    let utf8: String = a
        .display_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{how}; filename=\"{ascii}\"; filename*=UTF-8''{utf8}")
}
