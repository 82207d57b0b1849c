//! `/activity`: the draft's steps, the participant picker, the preview, and the `rec:`
//! buttons (the participants' 确认参加 / 不是我 among them).

use super::*;

/// `/activity`: the kinds to choose from.
pub async fn activity(cx: &Ctx<'_>, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    let Some(branch) = member.branch_id else {
        return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
    };
    if !service::may_log(Viewer::Member(member), branch) {
        return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
    }
    let choices = cx
        .engine
        .records
        .kinds()
        .into_iter()
        .map(|k| Choice {
            data: format!("rec:kind:{k}"),
            label: w.kind(&k),
            aliases: Locale::ALL
                .iter()
                .map(|l| rules::kind_name(cx.catalog, *l, &k))
                .collect(),
        })
        .collect();
    Ok(Step::new(
        vec![Reply::with_choices(w.t(msg!("records-ask-kind")), choices)],
        draft(Draft::ActivityKind),
    ))
}

/// Text typed while a draft waits for it.
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    d: &Draft,
    text: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let state = draft(d.clone());
    Ok(match d.clone() {
        Draft::ActivityDay { kind } => match rules::parse_day(text, today(cx)) {
            Ok(day) => Step::new(
                vec![Reply::text(w.t(msg!("records-ask-place")))],
                draft(Draft::ActivityPlace { kind, day }),
            ),
            Err(e) => Step::retry(w.bad_day(text, e), state),
        },
        Draft::ActivityPlace { kind, day } => {
            match rules::text_within(text, 1, rules::MAX_PLACE_CHARS) {
                Ok(place) => {
                    let who = vec![member.id];
                    let next = Draft::ActivityWho {
                        kind,
                        day,
                        place,
                        who: who.clone(),
                    };
                    picker(cx, conn, member, next, &who).await?
                }
                Err(e) => Step::retry(w.bad_text(msg!("records-what-place"), e), state),
            }
        }
        Draft::ActivityWho {
            kind,
            day,
            place,
            mut who,
        } => {
            let folded = crate::chat::fold(text).trim().to_lowercase();
            let candidates = pickable(conn, member).await?;
            let shown = candidates.len().min(PICK_LIMIT);
            // 完成 typed, or its number among the buttons (SMS shows them numbered).
            let done = folded == (shown + 1).to_string()
                || Locale::ALL.iter().any(|l| {
                    cx.catalog
                        .text(*l, msg!("records-button-done"))
                        .to_lowercase()
                        == folded
                });
            if done {
                return done_picking(cx, member, kind, day, place, who);
            }
            for part in text
                .split([',', '，', '、', ';', '；', ' ', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let found = match part.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= shown => Some(&candidates[n - 1]),
                    _ => candidates.iter().find(|m| {
                        m.key.eq_ignore_ascii_case(part) || m.name.eq_ignore_ascii_case(part)
                    }),
                };
                let Some(m) = found else {
                    return Ok(Step::retry(
                        w.r(
                            msg!("records-unknown-participant"),
                            &[("typed", part.into())],
                        ),
                        state,
                    ));
                };
                if !who.contains(&m.id) {
                    who.push(m.id);
                }
            }
            let next = Draft::ActivityWho {
                kind,
                day,
                place,
                who: who.clone(),
            };
            picker(cx, conn, member, next, &who).await?
        }
        Draft::ActivityText {
            kind,
            day,
            place,
            who,
        } => match rules::text_within(text, 1, rules::MAX_DESCRIPTION_CHARS) {
            Ok(text) => {
                let next = Draft::ActivityPreview {
                    kind,
                    day,
                    place,
                    who,
                    text,
                    photos: Vec::new(),
                };
                preview(cx, conn, next).await?
            }
            Err(e) => Step::retry(w.bad_text(msg!("records-what-description"), e), state),
        },
        Draft::PlanText => super::plan::publish_typed(cx, conn, member, text).await?,
        Draft::ActivityKind | Draft::ActivityPreview { .. } => {
            Step::retry(w.t(msg!("error-not-understood")), state)
        }
    })
}

/// The branch's members one may name on an activity (activists and party members; not the
/// masses), by roster key.
async fn pickable(conn: &mut Conn, member: &Member) -> Result<Vec<Member>, StoreError> {
    let Some(b) = member.branch_id else {
        return Ok(Vec::new());
    };
    Ok(members::list(conn, Some(b))
        .await?
        .into_iter()
        .filter(|m| m.role != crate::domain::org::Role::Masses)
        .collect())
}

/// The picker: who is named so far, a button per member (✓ on those named), and 完成.
async fn picker(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    d: Draft,
    who: &[i64],
) -> Result<Step, StoreError> {
    let w = words(cx);
    let all = pickable(conn, member).await?;
    let named: Vec<String> = all
        .iter()
        .filter(|m| who.contains(&m.id))
        .map(|m| m.name.clone())
        .collect();
    let mut choices: Vec<Choice> = all
        .iter()
        .take(PICK_LIMIT)
        .map(|m| Choice {
            data: format!("rec:who:{}", m.id),
            label: if who.contains(&m.id) {
                format!("✓ {}", m.name)
            } else {
                m.name.clone()
            },
            aliases: vec![m.key.clone()],
        })
        .collect();
    choices.push(cx.choice("rec:done", msg!("records-button-done")));
    let text = w.r(
        msg!("records-ask-who"),
        &[
            ("count", named.len().into()),
            ("names", w.list(&named).into()),
        ],
    );
    Ok(Step::new(
        vec![Reply::with_choices(text, choices)],
        draft(d),
    ))
}

fn done_picking(
    cx: &Ctx<'_>,
    _member: &Member,
    kind: String,
    day: NaiveDate,
    place: String,
    who: Vec<i64>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    if who.is_empty() {
        return Ok(Step::retry(
            w.t(msg!("records-no-participants")),
            draft(Draft::ActivityWho {
                kind,
                day,
                place,
                who,
            }),
        ));
    }
    Ok(Step::new(
        vec![Reply::text(w.r(
            msg!("records-ask-description"),
            &[("max", rules::MAX_DESCRIPTION_CHARS.into())],
        ))],
        draft(Draft::ActivityText {
            kind,
            day,
            place,
            who,
        }),
    ))
}

async fn names_of(conn: &mut Conn, who: &[i64]) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::new();
    for id in who {
        out.extend(members::by_id(conn, *id).await?);
    }
    Ok(out)
}

/// A photo or file sent while the preview waits: kept with the draft, the preview shown again.
pub async fn file_sent(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    d: &Draft,
    attachment: i64,
) -> Result<Option<Step>, StoreError> {
    let Draft::ActivityPreview {
        kind,
        day,
        place,
        who,
        text,
        photos,
    } = d
    else {
        return Ok(None);
    };
    let mut photos = photos.clone();
    if !photos.contains(&attachment) {
        photos.push(attachment);
    }
    let next = Draft::ActivityPreview {
        kind: kind.clone(),
        day: *day,
        place: place.clone(),
        who: who.clone(),
        text: text.clone(),
        photos,
    };
    preview(cx, conn, next).await.map(Some)
}

/// What will be saved, with 保存 / 取消.
async fn preview(cx: &Ctx<'_>, conn: &mut Conn, d: Draft) -> Result<Step, StoreError> {
    let w = words(cx);
    let Draft::ActivityPreview {
        kind,
        day,
        place,
        who,
        text,
        photos,
    } = &d
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let names: Vec<String> = names_of(conn, who)
        .await?
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let body = w.r(
        msg!("records-preview"),
        &[
            ("kind", w.kind(kind).into()),
            ("day", day.format("%Y-%m-%d").to_string().into()),
            ("place", place.as_str().into()),
            ("names", w.list(&names).into()),
            ("description", text.as_str().into()),
        ],
    );
    let files = crate::files::service::of_ids(conn, photos).await?;
    let body = if files.is_empty() {
        format!("{body}\n{}", w.t(msg!("records-preview-photos-none")))
    } else {
        let counts = crate::files::service::counts_text(cx, &files);
        format!(
            "{body}\n{}",
            w.r(msg!("records-preview-photos"), &[("counts", counts.into())])
        )
    };
    Ok(Step::new(
        vec![Reply::with_choices(
            body,
            vec![
                cx.choice("rec:save", msg!("records-button-save")),
                cx.choice("rec:discard", msg!("records-button-discard")),
            ],
        )],
        draft(d),
    ))
}

/// A button of the feature: `kind:<k>`, `who:<id>`, `done`, `save`, `discard`, `yes:<id>`,
/// `no:<id>`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    value: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let stale = || Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    let (what, rest) = value.split_once(':').unwrap_or((value, ""));
    match (what, state.data_of::<Draft>(super::super::NAME)) {
        ("yes" | "no", _) => {
            let Ok(id) = rest.parse::<i64>() else {
                return stale();
            };
            let actor = Actor::member(member, cx.via);
            let answered =
                service::answer(conn, member, &actor, id, what == "yes", cx.now_ms).await?;
            Ok(Step::text(match answered {
                Answered::Confirmed(a) => w.r(
                    msg!("records-confirmed"),
                    &[
                        ("kind", w.kind(&a.kind).into()),
                        ("day", a.held_on.as_str().into()),
                    ],
                ),
                Answered::Declined(a) => w.r(
                    msg!("records-declined"),
                    &[
                        ("kind", w.kind(&a.kind).into()),
                        ("day", a.held_on.as_str().into()),
                    ],
                ),
                Answered::NotNamed => w.t(msg!("records-not-named")),
            }))
        }
        ("kind", Some(Draft::ActivityKind)) => {
            if !cx.engine.records.kinds().iter().any(|k| k == rest) {
                return stale();
            }
            Ok(Step::new(
                vec![Reply::text(w.r(
                    msg!("records-ask-day"),
                    &[("kind", w.kind(rest).into())],
                ))],
                draft(Draft::ActivityDay {
                    kind: rest.to_owned(),
                }),
            ))
        }
        (
            "who",
            Some(Draft::ActivityWho {
                kind,
                day,
                place,
                mut who,
            }),
        ) => {
            let Ok(id) = rest.parse::<i64>() else {
                return stale();
            };
            if !pickable(conn, member).await?.iter().any(|m| m.id == id) {
                return stale();
            }
            match who.iter().position(|x| *x == id) {
                Some(i) => {
                    who.remove(i);
                }
                None => who.push(id),
            }
            let next = Draft::ActivityWho {
                kind,
                day,
                place,
                who: who.clone(),
            };
            picker(cx, conn, member, next, &who).await
        }
        (
            "done",
            Some(Draft::ActivityWho {
                kind,
                day,
                place,
                who,
            }),
        ) => done_picking(cx, member, kind, day, place, who),
        (
            "save",
            Some(Draft::ActivityPreview {
                kind,
                day,
                place,
                who,
                text,
                photos,
            }),
        ) => {
            let Some(branch_id) = member.branch_id else {
                return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
            };
            let new = NewActivity {
                branch_id,
                kind: kind.clone(),
                held_on: day,
                place,
                body: text,
                participants: names_of(conn, &who).await?,
            };
            let actor = Actor::member(member, cx.via);
            match service::log_activity(
                conn,
                cx.engine,
                Viewer::Member(member),
                &actor,
                &new,
                cx.now_ms,
            )
            .await?
            {
                Ok((id, asked)) => {
                    cx.mark_pushed();
                    let logged = w.r(
                        msg!("records-logged"),
                        &[
                            ("kind", w.kind(&kind).into()),
                            ("day", day.format("%Y-%m-%d").to_string().into()),
                            ("asked", asked.into()),
                        ],
                    );
                    let target = crate::files::service::Target::Activity(id);
                    let attached =
                        crate::files::service::attach_ids(conn, member, &photos, target).await?;
                    Ok(Step::text(if attached.is_empty() {
                        logged
                    } else {
                        let counts = crate::files::service::counts_text(cx, &attached);
                        let line = w.r(
                            msg!("records-photos-attached"),
                            &[("counts", counts.into())],
                        );
                        format!("{logged}\n{line}")
                    }))
                }
                Err(d) => Ok(Step::text(w.denied(&d))),
            }
        }
        ("discard", Some(_)) => Ok(Step::text(w.t(msg!("records-discarded")))),
        _ => stale(),
    }
}
