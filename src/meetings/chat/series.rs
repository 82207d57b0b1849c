//! `/meeting_series <kind>; <crontab>; <place>; <topic>[; <count>]`: a recurring series. The
//! preview shows the next three dates (the crontab read in the organisation's zone) and waits
//! in [`Waiting::MeetingSeries`] for 确认 / 取消; 确认 creates the meetings with their reminders
//! ([`crate::meetings::service::commit_series`], shared with `branchbot meeting series`).

use super::Waiting;
use crate::domain::meetings::MeetingKind;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::meetings::service;
use crate::meetings::store::NewMeeting;
use crate::msg;
use crate::scheduler::Crontab;
use crate::store::{Conn, StoreError};

/// Meetings in a series unless told otherwise.
const DEFAULT_COUNT: u32 = 6;

/// The longest place or topic.
const MAX_FIELD_CHARS: usize = 200;

/// A series as typed, checked.
struct Series {
    kind: MeetingKind,
    tab: Crontab,
    cron: String,
    place: String,
    topic: String,
    count: u32,
}

/// Reads the series, or says what is wrong with it.
fn read(
    cx: &Ctx<'_>,
    kind: &str,
    cron: &str,
    place: &str,
    topic: &str,
    count: u32,
) -> Result<Series, String> {
    let Ok(kind) = kind.parse::<MeetingKind>() else {
        return Err(cx.r(
            msg!("cli-meeting-bad-kind"),
            &[("kind", kind.trim().into())],
        ));
    };
    let cron = cron.split_whitespace().collect::<Vec<_>>().join(" ");
    let tab = Crontab::parse(&cron).map_err(|err| {
        cx.r(
            msg!("cli-meeting-bad-cron"),
            &[
                ("cron", cron.as_str().into()),
                ("detail", err.to_string().into()),
            ],
        )
    })?;
    let (place, topic) = (place.trim(), topic.trim());
    if !(1..=24).contains(&count)
        || place.is_empty()
        || topic.is_empty()
        || place.chars().count() > MAX_FIELD_CHARS
        || topic.chars().count() > MAX_FIELD_CHARS
    {
        return Err(cx.t(msg!("cli-meeting-series-bad")));
    }
    Ok(Series {
        kind,
        tab,
        cron,
        place: place.into(),
        topic: topic.into(),
        count,
    })
}

/// `/meeting_series …`: the preview, or the usage.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(branch_id) = member.branch_id.filter(|_| member.role.runs_branch()) else {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    };
    let parts: Vec<&str> = arg
        .unwrap_or("")
        .split([';', '；'])
        .map(str::trim)
        .collect();
    let count = match parts.get(4) {
        None => Some(DEFAULT_COUNT),
        Some(n) => n.parse().ok(),
    };
    let (4 | 5, Some(count)) = (parts.len(), count) else {
        return Ok(Step::text(cx.t(msg!("meeting-series-usage"))));
    };
    let s = match read(cx, parts[0], parts[1], parts[2], parts[3], count) {
        Ok(s) => s,
        Err(text) => return Ok(Step::text(text)),
    };
    let times: Vec<_> = s.tab.upcoming(cx.engine.tz, cx.now()).take(3).collect();
    if times.is_empty() {
        return Ok(Step::text(cx.t(msg!("cli-meeting-series-bad"))));
    }
    let dates: Vec<String> = times
        .iter()
        .map(|t| {
            crate::chat::dates::when_text(cx.catalog, cx.locale, cx.engine.tz, t.timestamp_millis())
        })
        .collect();
    let attendees =
        crate::meetings::service::default_attendees(conn, branch_id, s.kind, Some(member)).await?;
    let text = cx.r(
        msg!("meeting-series-preview"),
        &[
            ("count", s.count.into()),
            (
                "kind",
                crate::meetings::text::kind_text(cx.catalog, cx.locale, s.kind).into(),
            ),
            ("cron", s.cron.as_str().into()),
            ("dates", dates.join("\n").into()),
            ("place", s.place.as_str().into()),
            ("topic", s.topic.as_str().into()),
            ("attendees", attendees.len().into()),
        ],
    );
    let choices = vec![
        cx.choice(
            crate::meetings::actions::Action::Series.encode(),
            msg!("meeting-confirm"),
        ),
        cx.choice(
            crate::meetings::actions::Action::Discard.encode(),
            msg!("meeting-discard"),
        ),
    ];
    Ok(Step::new(
        vec![Reply::with_choices(text, choices)],
        Waiting::MeetingSeries {
            kind: s.kind.as_str().into(),
            cron: s.cron,
            place: s.place,
            topic: s.topic,
            count: s.count,
        }
        .state(),
    ))
}

/// 确认: the series' meetings are created with their reminders, in the engine's transaction.
pub async fn confirm(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &Waiting,
) -> Result<Step, StoreError> {
    let Waiting::MeetingSeries {
        kind,
        cron,
        place,
        topic,
        count,
    } = state
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let Some(branch_id) = member.branch_id.filter(|_| member.role.runs_branch()) else {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    };
    let s = match read(cx, kind, cron, place, topic, *count) {
        Ok(s) => s,
        Err(text) => return Ok(Step::text(text)),
    };
    let times: Vec<_> = s
        .tab
        .upcoming(cx.engine.tz, cx.now())
        .take(s.count as usize)
        .collect();
    let template = NewMeeting {
        branch_id,
        kind: s.kind,
        starts_at: 0,
        ends_at: 0,
        place: s.place,
        topic: s.topic,
        created_by: Some(member.id),
        attendees: Vec::new(),
        signin_code: String::new(),
    };
    let by = service::Creator {
        registry: cx.engine.jobs.registry(),
        rules: &cx.engine.meetings,
        tz: cx.engine.tz,
        now: cx.now(),
        actor: crate::store::audit::Actor::member(member, cx.via),
    };
    let ids = match service::create_series(
        conn,
        &by,
        member.branch_name.as_deref().unwrap_or_default(),
        template,
        service::Invited::Default(Some(member)),
        cx.engine.meetings.length_minutes * 60_000,
        &times,
    )
    .await
    {
        Ok(ids) => ids,
        Err(crate::scheduler::ScheduleError::Store(e)) => return Err(e),
        Err(e) => {
            tracing::error!(error = %e, "scheduling a series' reminders");
            return Err(StoreError::Corrupt(e.to_string()));
        }
    };
    cx.mark_scheduled();
    let (first, last) = (
        ids.first().copied().unwrap_or_default(),
        ids.last().copied().unwrap_or_default(),
    );
    Ok(Step::text(cx.r(
        msg!("meeting-series-created"),
        &[
            ("count", ids.len().into()),
            (
                "kind",
                crate::meetings::text::kind_text(cx.catalog, cx.locale, s.kind).into(),
            ),
            ("first", first.into()),
            ("last", last.into()),
        ],
    )))
}
