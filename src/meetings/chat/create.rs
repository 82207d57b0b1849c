//! `/meeting` (or `/newmeeting`): kind → date and time → place → topic → preview (attendees
//! defaulted from the kind, overlaps warned about) → confirm. Each step waits in
//! [`Waiting::MeetingDraft`]; nothing is stored until the confirmation. Also `/cancelmeeting <id>`
//! and `/reschedule <id> <date time>`, which tell the attendees.

use chrono::{DateTime, Datelike, Utc};

use super::Waiting;
use crate::domain::meetings::MeetingKind;
use crate::domain::org::Member;
use crate::domain::when::{parse_when, When, WhenError};
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::meetings::actions::Action as Button;
use crate::meetings::service::{self, Told};
use crate::meetings::store::{self as meetings, Meeting, NewMeeting};
use crate::msg;
use crate::scheduler::plan;
use crate::store::audit::Action;
use crate::store::audit::Actor;
use crate::store::{members, Conn, StoreError};

/// Choices a draft offers while it also waits for typed text (the party group, 是 / 不是 to
/// "是指明年…吗？"): a typed answer that names one of them answers it, before the text is read
/// as a time.
pub const DRAFT_CHOICES: [&str; 2] = ["meet:year:", "meet:group:"];

/// The longest place or topic.
const MAX_FIELD_CHARS: usize = 200;

/// `/meeting`: offers the kinds.
pub async fn start(cx: &Ctx<'_>, member: &Member) -> Result<Step, StoreError> {
    if !member.role.runs_branch() || member.branch_id.is_none() {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    }
    let choices = MeetingKind::ALL
        .iter()
        .map(|k| cx.choice(Button::Kind(*k).encode(), k.msg()))
        .collect();
    Ok(Step::reply(Reply::with_choices(
        cx.t(msg!("meeting-ask-kind")),
        choices,
    )))
}

/// A kind was chosen: the draft begins. A 党小组会 first asks which party group meets (when the
/// branch has groups).
pub async fn kind_chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    kind: MeetingKind,
) -> Result<Step, StoreError> {
    if !member.role.runs_branch() || member.branch_id.is_none() {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    }
    let draft = Waiting::MeetingDraft {
        kind: kind.as_str().into(),
        group: None,
        starts_at: None,
        place: None,
        topic: None,
    }
    .state();
    if kind == MeetingKind::Group {
        let groups = branch_groups(conn, member.branch_id).await?;
        if !groups.is_empty() {
            let choices = groups
                .iter()
                .map(|g| crate::flows::Choice {
                    data: Button::Group(g.clone()).encode(),
                    label: g.clone(),
                    aliases: vec![g.clone()],
                })
                .collect();
            return Ok(Step::new(
                vec![Reply::with_choices(
                    cx.t(msg!("meeting-ask-group")),
                    choices,
                )],
                draft,
            ));
        }
    }
    Ok(Step::new(
        vec![Reply::text(cx.t(msg!("meeting-ask-when")))],
        draft,
    ))
}

/// The party groups of a branch, by name.
async fn branch_groups(conn: &mut Conn, branch_id: Option<i64>) -> Result<Vec<String>, StoreError> {
    let mut names: Vec<String> = members::list(conn, branch_id)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .filter_map(|m| m.group_name)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// A party group was chosen for a 党小组会: its members attend; the time is asked next.
pub async fn group_chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: Waiting,
    value: &str,
) -> Result<Step, StoreError> {
    let Waiting::MeetingDraft {
        kind,
        group: None,
        starts_at: None,
        ..
    } = state
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    if !branch_groups(conn, member.branch_id)
        .await?
        .iter()
        .any(|g| g == value)
    {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    }
    Ok(Step::new(
        vec![Reply::text(cx.t(msg!("meeting-ask-when")))],
        Waiting::MeetingDraft {
            kind,
            group: Some(value.to_owned()),
            starts_at: None,
            place: None,
            topic: None,
        }
        .state(),
    ))
}

/// Who a draft expects: the chosen party group's members, or the kind's default attendees.
async fn draft_attendees(
    conn: &mut Conn,
    member: &Member,
    new: &NewMeeting,
    state: &Waiting,
) -> Result<Vec<Member>, StoreError> {
    let all =
        crate::meetings::service::default_attendees(conn, new.branch_id, new.kind, Some(member))
            .await?;
    let Waiting::MeetingDraft {
        group: Some(group), ..
    } = state
    else {
        return Ok(all);
    };
    Ok(members::list(conn, Some(new.branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.role.is_party_member())
        .filter(|m| m.group_name.as_deref() == Some(group.as_str()))
        .collect())
}

/// The kind as the preview names it: "党小组会（本科党小组）" for a chosen group.
fn draft_kind_text(cx: &Ctx<'_>, kind: MeetingKind, state: &Waiting) -> String {
    let text = crate::meetings::text::kind_text(cx.catalog, cx.locale, kind);
    match state {
        Waiting::MeetingDraft {
            group: Some(group), ..
        } => cx.r(
            msg!("meeting-kind-with-group"),
            &[("kind", text.into()), ("group", group.as_str().into())],
        ),
        _ => text,
    }
}

/// Text typed while a draft waits: fills the next missing field.
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: Waiting,
    text: &str,
) -> Result<Step, StoreError> {
    let Waiting::MeetingDraft {
        kind,
        group,
        starts_at,
        place,
        topic,
    } = state.clone()
    else {
        return Ok(Step::text(cx.t(msg!("error-not-understood"))));
    };
    let text = text.trim();
    let Some(starts_at) = starts_at else {
        return Ok(match parse_when(text, cx.now(), cx.engine.tz) {
            Ok(When {
                at,
                next_year: true,
            }) => ask_next_year(cx, text, at, state),
            Ok(When { at, .. }) => Step::new(
                vec![Reply::text(cx.t(msg!("meeting-ask-place")))],
                Waiting::MeetingDraft {
                    kind,
                    group,
                    starts_at: Some(at.timestamp_millis()),
                    place,
                    topic,
                }
                .state(),
            ),
            Err(e) => Step::retry(when_error(cx, &e, text), state.state()),
        });
    };
    if text.chars().count() > MAX_FIELD_CHARS {
        return Ok(Step::retry(
            cx.r(
                msg!("meeting-field-too-long"),
                &[("max", MAX_FIELD_CHARS.into())],
            ),
            state.state(),
        ));
    }
    let Some(place) = place else {
        return Ok(Step::new(
            vec![Reply::text(cx.t(msg!("meeting-ask-topic")))],
            Waiting::MeetingDraft {
                kind,
                group,
                starts_at: Some(starts_at),
                place: Some(text.into()),
                topic,
            }
            .state(),
        ));
    };
    if topic.is_some() {
        return Ok(Step::retry(
            cx.t(msg!("meeting-confirm-or-discard")),
            state.state(),
        ));
    }
    let state = Waiting::MeetingDraft {
        kind,
        group,
        starts_at: Some(starts_at),
        place: Some(place),
        topic: Some(text.into()),
    };
    preview(cx, conn, member, state).await
}

/// A date typed without a year has passed this year: "是指 2027 年 12 月 3 日吗？", with 是 / 不是.
/// The draft still waits for a time, so typing another one works too.
fn ask_next_year(cx: &Ctx<'_>, typed: &str, at: DateTime<Utc>, state: Waiting) -> Step {
    let local = at.with_timezone(&cx.engine.tz);
    let text = cx.r(
        msg!("meeting-when-next-year"),
        &[
            ("typed", typed.into()),
            ("year", local.year().to_string().into()),
            ("month", local.month().into()),
            ("day", local.day().into()),
        ],
    );
    let choices = vec![
        cx.choice(
            Button::Year(Some(at.timestamp_millis())).encode(),
            msg!("meeting-when-next-year-yes"),
        ),
        cx.choice(
            Button::Year(None).encode(),
            msg!("meeting-when-next-year-no"),
        ),
    ];
    Step::new(vec![Reply::with_choices(text, choices)], state.state())
}

/// 是 / 不是 to "是指明年…吗？": the date is taken, or asked for again.
pub fn next_year_answered(cx: &Ctx<'_>, state: Waiting, at: Option<i64>) -> Step {
    let Waiting::MeetingDraft {
        kind,
        group,
        starts_at: None,
        place,
        topic,
    } = state
    else {
        return Step::text(cx.t(msg!("error-stale-choice")));
    };
    let (next, ask) = match at {
        Some(at) if at > cx.now_ms => (Some(at), msg!("meeting-ask-place")),
        _ => (None, msg!("meeting-ask-when")),
    };
    Step::new(
        vec![Reply::text(cx.t(ask))],
        Waiting::MeetingDraft {
            kind,
            group,
            starts_at: next,
            place,
            topic,
        }
        .state(),
    )
}

/// What tells a person why their date was not taken.
pub fn when_error(cx: &Ctx<'_>, e: &WhenError, typed: &str) -> String {
    match e {
        WhenError::Unreadable => cx.r(msg!("meeting-when-unreadable"), &[("typed", typed.into())]),
        WhenError::NoSuchDate => cx.r(
            msg!("meeting-when-no-such-date"),
            &[("typed", typed.into())],
        ),
        WhenError::InThePast => cx.r(msg!("meeting-when-past"), &[("typed", typed.into())]),
        WhenError::NoTime => cx.r(msg!("meeting-when-no-time"), &[("typed", typed.into())]),
    }
}

/// Where nobody can be asked (`/reschedule`, the CLI): a yearless date that has passed is
/// refused, naming the year to write.
pub fn next_year_refusal(cx: &Ctx<'_>, typed: &str, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&cx.engine.tz);
    cx.r(
        msg!("meeting-when-write-year"),
        &[
            ("typed", typed.into()),
            ("year", local.year().to_string().into()),
            ("month", local.month().into()),
            ("day", local.day().into()),
            ("example", local.format("%Y-%m-%d %H:%M").to_string().into()),
        ],
    )
}

fn draft_meeting(cx: &Ctx<'_>, member: &Member, state: &Waiting) -> Option<NewMeeting> {
    let Waiting::MeetingDraft {
        kind,
        starts_at: Some(starts_at),
        place: Some(place),
        topic: Some(topic),
        ..
    } = state
    else {
        return None;
    };
    Some(NewMeeting {
        branch_id: member.branch_id?,
        kind: kind.parse().ok()?,
        starts_at: *starts_at,
        ends_at: starts_at + cx.engine.meetings.length_minutes * 60_000,
        place: place.clone(),
        topic: topic.clone(),
        created_by: Some(member.id),
        attendees: Vec::new(),
        signin_code: String::new(),
    })
}

async fn preview(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: Waiting,
) -> Result<Step, StoreError> {
    let Some(new) = draft_meeting(cx, member, &state) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let attendees = draft_attendees(conn, member, &new, &state).await?;
    let ids: Vec<i64> = attendees.iter().map(|m| m.id).collect();
    let mut text = cx.r(
        msg!("meeting-preview"),
        &[
            ("kind", draft_kind_text(cx, new.kind, &state).into()),
            (
                "when",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    new.starts_at,
                    cx.now_ms,
                )
                .into(),
            ),
            ("place", new.place.as_str().into()),
            ("topic", new.topic.as_str().into()),
            ("count", attendees.len().into()),
        ],
    );
    for other in
        meetings::overlapping(conn, new.branch_id, new.starts_at, new.ends_at, &ids).await?
    {
        text.push('\n');
        text.push_str(
            &cx.r(
                msg!("meeting-overlap"),
                &[
                    (
                        "kind",
                        crate::meetings::text::kind_text(cx.catalog, cx.locale, other.kind).into(),
                    ),
                    (
                        "when",
                        crate::chat::dates::when_text_from(
                            cx.catalog,
                            cx.locale,
                            cx.engine.tz,
                            other.starts_at,
                            cx.now_ms,
                        )
                        .into(),
                    ),
                ],
            ),
        );
    }
    if let Some(warning) = crate::meetings::text::calendar_warning(
        conn,
        cx.catalog,
        cx.locale,
        cx.engine.tz,
        new.branch_id,
        new.starts_at,
    )
    .await?
    {
        text.push('\n');
        text.push_str(&warning);
    }
    let choices = vec![
        cx.choice(Button::Confirm.encode(), msg!("meeting-confirm")),
        cx.choice(Button::Discard.encode(), msg!("meeting-discard")),
    ];
    Ok(Step::new(
        vec![Reply::with_choices(text, choices)],
        state.state(),
    ))
}

/// 确认: the draft becomes a meeting with its reminders.
pub async fn confirm(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &Waiting,
) -> Result<Step, StoreError> {
    let Some(new) = draft_meeting(cx, member, state) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    if new.starts_at <= cx.now_ms {
        return Ok(Step::text(cx.t(msg!("meeting-when-past-now"))));
    }
    let attendees = draft_attendees(conn, member, &new, state)
        .await?
        .iter()
        .map(|m| m.id)
        .collect();
    let by = service::Creator {
        registry: cx.engine.jobs.registry(),
        rules: &cx.engine.meetings,
        tz: cx.engine.tz,
        now: cx.now(),
        actor: Actor::member(member, cx.via),
    };
    let m = match service::create(conn, &by, new, service::Invited::Listed(attendees)).await {
        Ok(m) => m,
        Err(crate::scheduler::ScheduleError::Store(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "scheduling a meeting's reminders");
            return Err(StoreError::Corrupt(e.to_string()));
        }
    };
    cx.mark_scheduled();
    let id = m.id;
    Ok(Step::text(
        cx.r(
            msg!("meeting-created"),
            &[
                ("id", id.into()),
                (
                    "code",
                    crate::meetings::text::code_text(cx.catalog, cx.locale, &m).into(),
                ),
                (
                    "reminders",
                    crate::meetings::text::reminders_promise(
                        cx.catalog,
                        cx.locale,
                        &cx.engine.meetings.remind_before_minutes,
                        m.starts_at,
                        cx.now_ms,
                    )
                    .into(),
                ),
                ("opens", cx.engine.meetings.signin_opens_minutes.into()),
            ],
        ),
    ))
}

/// The meeting `arg` names, if it exists and `member` manages its branch.
pub async fn managed(
    _cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Option<Meeting>, StoreError> {
    let Some(id) = arg.and_then(|a| a.split_whitespace().next()?.parse::<i64>().ok()) else {
        return Ok(None);
    };
    let m = meetings::get(conn, id).await?;
    Ok(m.filter(|m| member.manages_branch(m.branch_id)))
}

/// Why [`managed`] found nothing: a usage hint, an unknown id, or not allowed.
pub async fn refusal(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    _member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(id) = arg.and_then(|a| a.split_whitespace().next()) else {
        return Ok(Step::text(cx.t(msg!("meeting-id-needed"))));
    };
    match id.parse::<i64>() {
        Ok(n) if meetings::get(conn, n).await?.is_some() => {
            Ok(Step::text(cx.t(msg!("meeting-not-allowed"))))
        }
        _ => Ok(Step::text(
            cx.r(msg!("meeting-not-found"), &[("id", id.into())]),
        )),
    }
}

/// `/cancelmeeting <id>`.
pub async fn cancel(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(m) = managed(cx, conn, member, arg).await? else {
        return refusal(cx, conn, member, arg).await;
    };
    if m.cancelled || !meetings::cancel(conn, m.id, cx.now_ms).await? {
        return Ok(Step::text(cx.t(msg!("meeting-already-cancelled"))));
    }
    tell_attendees(cx, conn, member, &m, "cancelled", None).await?;
    let detail =
        crate::meetings::text::audit_detail(&m.branch_name, m.kind, m.starts_at, cx.engine.tz);
    cx.audit(
        conn,
        Action::MeetingCancelled,
        &format!("meeting:{}", m.id),
        &detail,
    )
    .await?;
    Ok(Step::text(
        cx.r(msg!("meeting-cancel-done"), &[("id", m.id.into())]),
    ))
}

/// `/reschedule <id> <date time>`.
pub async fn reschedule(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(m) = managed(cx, conn, member, arg).await? else {
        return refusal(cx, conn, member, arg).await;
    };
    let typed = arg
        .and_then(|a| a.split_once(char::is_whitespace))
        .map(|(_, rest)| rest.trim())
        .unwrap_or("");
    let at = match parse_when(typed, cx.now(), cx.engine.tz) {
        Ok(When {
            at,
            next_year: true,
        }) => return Ok(Step::text(next_year_refusal(cx, typed, at))),
        Ok(When { at, .. }) => at,
        Err(e) => return Ok(Step::text(when_error(cx, &e, typed))),
    };
    if m.cancelled {
        return Ok(Step::text(cx.t(msg!("meeting-already-cancelled"))));
    }
    let starts = at.timestamp_millis();
    meetings::reschedule(
        conn,
        m.id,
        starts,
        starts + (m.ends_at - m.starts_at),
        cx.now_ms,
    )
    .await?;
    plan::move_anchor(conn, &crate::meetings::service::anchor(m.id), at, cx.now()).await?;
    cx.mark_scheduled();
    tell_attendees(cx, conn, member, &m, "moved", Some(starts)).await?;
    let detail = format!(
        "{} → {}",
        crate::meetings::text::audit_detail(&m.branch_name, m.kind, m.starts_at, cx.engine.tz),
        crate::meetings::text::audit_detail(&m.branch_name, m.kind, starts, cx.engine.tz)
            .rsplit(" · ")
            .next()
            .unwrap_or_default()
    );
    cx.audit(
        conn,
        Action::MeetingRescheduled,
        &format!("meeting:{}", m.id),
        &detail,
    )
    .await?;
    Ok(Step::text(
        cx.r(
            msg!("meeting-reschedule-done"),
            &[(
                "when",
                crate::chat::dates::when_text_from(
                    cx.catalog,
                    cx.locale,
                    cx.engine.tz,
                    starts,
                    cx.now_ms,
                )
                .into(),
            )],
        ),
    ))
}

async fn tell_attendees(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    by: &Member,
    m: &Meeting,
    what: &str,
    new_start: Option<i64>,
) -> Result<(), StoreError> {
    let told = Told {
        catalog: cx.catalog,
        tz: cx.engine.tz,
        sms_connected: cx.engine.sms_connected,
        now_ms: cx.now_ms,
    };
    told.attendees(conn, m, what, new_start, Some(by.id))
        .await?;
    cx.mark_pushed();
    Ok(())
}
