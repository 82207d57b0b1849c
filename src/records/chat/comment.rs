//! `/comment` (the committee's 领导点评) and `/comments` (what the branch was told), and the
//! committee's `/campaign` line of the branches' activities.

use super::plan::{branch_named, Named};
use super::*;

/// `/comment [支部名 [@学号] 点评]`: the committee's comment on the phase running or just
/// ended; alone, which branches have one.
pub async fn comment(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    if !member.college {
        return Ok(Step::text(w.t(msg!("records-comment-not-allowed"))));
    }
    let Some(c) = service::campaign(conn, cx.engine.tz).await? else {
        return Ok(Step::text(w.t(msg!("records-no-campaign"))));
    };
    let Some(phase) = service::comment_phase(&c, cx.now()) else {
        return Ok(Step::text(w.r(
            msg!("records-phase-not-started"),
            &[("phase", 1_i64.into())],
        )));
    };
    let title = c.phases[phase].title.get(cx.locale).to_owned();
    let Some(arg) = arg else {
        let done = crate::records::store::comments(conn, &c.name, None).await?;
        let lines: Vec<String> = members::branches(conn)
            .await?
            .into_iter()
            .map(|(id, name, _)| {
                let has = done
                    .iter()
                    .any(|k| k.branch_id == id && k.phase == phase as i64 && k.about.is_none());
                w.r(
                    if has {
                        msg!("records-comment-state-done")
                    } else {
                        msg!("records-comment-state-missing")
                    },
                    &[("branch", name.into())],
                )
            })
            .collect();
        let head = w.r(msg!("records-comment-usage"), &[("title", title.into())]);
        return Ok(Step::text(format!("{head}\n{}", lines.join("\n"))));
    };
    let (typed_branch, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
    let (id, name) = match branch_named(conn, typed_branch).await? {
        Named::One(id, name) => (id, name),
        Named::Several(names) => {
            return Ok(Step::text(w.r(
                msg!("records-plan-which"),
                &[
                    ("typed", typed_branch.into()),
                    ("list", w.list(&names).into()),
                ],
            )))
        }
        Named::None => {
            let names: Vec<String> = members::branches(conn)
                .await?
                .into_iter()
                .map(|(_, n, _)| n)
                .collect();
            return Ok(Step::text(w.r(
                msg!("records-no-branch"),
                &[
                    ("typed", typed_branch.into()),
                    ("list", w.list(&names).into()),
                ],
            )));
        }
    };
    let rest = rest.trim();
    let (about, text) = match rest.strip_prefix(['@', '＠']) {
        Some(r) => {
            let (key, text) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
            match members::find(conn, key).await? {
                Some(m) => (Some(m), text.trim()),
                None => {
                    return Ok(Step::text(
                        w.r(msg!("dues-unknown-member"), &[("who", key.into())]),
                    ))
                }
            }
        }
        None => (None, rest),
    };
    let actor = Actor::member(member, cx.via);
    let new = NewComment {
        phase,
        branch: (id, &name),
        about: about.as_ref(),
        text,
    };
    let done = service::write_comment(
        conn,
        cx.engine,
        Viewer::Member(member),
        &actor,
        &c,
        &new,
        cx.now_ms,
    )
    .await?;
    Ok(Step::text(match done {
        Ok((fresh, told)) => {
            cx.mark_pushed();
            w.r(
                if fresh {
                    msg!("records-comment-saved")
                } else {
                    msg!("records-comment-replaced")
                },
                &[
                    ("title", title.into()),
                    ("branch", name.into()),
                    ("told", told.into()),
                ],
            )
        }
        Err(d) => w.denied(&d),
    }))
}

/// `/comments`: what the committee said about the branch (and about oneself).
pub async fn comments(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    if !member.college && !member.role.is_party_member() {
        return Ok(Step::text(w.t(msg!("records-comments-not-allowed"))));
    }
    let Some(c) = service::campaign(conn, cx.engine.tz).await? else {
        return Ok(Step::text(w.t(msg!("records-no-campaign"))));
    };
    let scope = if member.college {
        None
    } else {
        member.branch_id
    };
    let list = service::comments_for(conn, &c, member, scope).await?;
    if list.is_empty() {
        return Ok(Step::text(w.t(msg!("records-comments-none"))));
    }
    let lines: Vec<String> = list.iter().map(|k| w.comment(&c, k)).collect();
    Ok(Step::text(format!(
        "{}\n{}",
        w.r(
            msg!("records-comments-header"),
            &[("campaign", c.name.as_str().into())]
        ),
        lines.join("\n")
    )))
}

/// The committee's `/campaign` line for a phase: activities and confirmed participations per
/// branch held in it; None when no branch logged one.
pub async fn phase_activity_line(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    phase: &crate::domain::campaign::Phase,
) -> Result<Option<String>, StoreError> {
    let w = words(cx);
    let tz = cx.engine.tz;
    let from = phase
        .start
        .with_timezone(&tz)
        .format("%Y-%m-%d")
        .to_string();
    let to = phase.last_day_text(tz);
    let counts = crate::records::store::branch_counts(conn, &from, &to).await?;
    if counts.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> = members::branches(conn)
        .await?
        .into_iter()
        .map(|(id, name, _)| {
            let (a, p) = counts
                .iter()
                .find(|(b, _, _)| *b == id)
                .map_or((0, 0), |(_, a, p)| (*a, *p));
            w.r(
                msg!("records-phase-branch"),
                &[
                    ("branch", name.into()),
                    ("activities", a.into()),
                    ("confirmed", p.into()),
                ],
            )
        })
        .collect();
    Ok(Some(w.r(
        msg!("records-phase-activities"),
        &[("list", w.list(&parts).into())],
    )))
}
