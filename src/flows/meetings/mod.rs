//! 三会一课 in chat: creating a meeting (`create`), answering a reminder (`rsvp`), signing in
//! (`signin`, with the rotating code of `screen`), the secretary's view and nudges
//! (`attendance`), 代请假 (`leave_for`), 补学 recorded as done (`makeup`), minutes (`minutes`)
//! and the college's compliance view (`compliance`). Shared here: how a meeting is shown, who attends
//! by default, and [`commit`], which creates a meeting and puts its reminders on the schedule
//! (the CLI uses it too).

pub mod attendance;
pub mod compliance;
pub mod create;
pub mod jobs;
pub mod leave_for;
pub mod makeup;
pub mod minutes;
pub mod rsvp;
pub mod screen;
pub mod series;
pub mod signin;
pub mod warning;

use chrono::{DateTime, Datelike, TimeDelta, Utc};
use chrono_tz::Tz;

use super::{Choice, Reply};
use crate::domain::meetings::{Attendees, MeetingKind};
use crate::domain::org::{Member, Role};
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::scheduler::{plan, JobSpec, Registry, ScheduleError, When};
use crate::store::meetings::{self as store, Meeting, NewMeeting};
use crate::store::{members, Conn, StoreError};

// Reminders before the start, the sign-in window and the default length are the
// organisation's (`[meetings]`, [`crate::domain::meetings::MeetingRules`]): three days, one day
// and one hour before; sign-in from 30 minutes before; two hours. A reminder an hour or less
// before is urgent (sent in quiet hours too): a meeting an hour away is not news that can wait.

/// Minutes are asked for this long after the end.
pub const MINUTES_DUE_HOURS: i64 = 24;

/// Creates one meeting of `template` at each of `times` (each `length_ms` long), with its
/// jobs, all on `conn`: a recurring series, from the chat (`/meeting_series`) and the CLI
/// (`meeting series`). Returns the new ids.
pub async fn commit_series(
    conn: &mut Conn,
    registry: &Registry,
    remind_before_minutes: &[i64],
    now: DateTime<Utc>,
    template: &NewMeeting,
    length_ms: i64,
    times: &[DateTime<Utc>],
) -> Result<Vec<i64>, ScheduleError> {
    let mut ids = Vec::with_capacity(times.len());
    for t in times {
        let new = NewMeeting {
            starts_at: t.timestamp_millis(),
            ends_at: t.timestamp_millis() + length_ms,
            ..template.clone()
        };
        ids.push(commit(conn, registry, remind_before_minutes, now, new).await?);
    }
    Ok(ids)
}

/// What the audit log says about a meeting: `branch · kind · YYYY-MM-DD HH:MM` (local).
pub fn audit_detail(branch: &str, kind: MeetingKind, starts_at: i64, tz: Tz) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(starts_at)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M");
    format!("{branch} · {} · {at}", kind.as_str())
}

/// Writes the audit row of something recorded for one `member` at meeting `m` (代请假, 补学):
/// by a secretary in chat (`by`, through `via`) or by the operator at the command line (`None`),
/// the detail naming the meeting, the member and `what` was written.
#[allow(clippy::too_many_arguments)]
pub async fn audit_for_member(
    conn: &mut crate::store::Conn,
    told: &create::Told<'_>,
    by: Option<&crate::domain::org::Member>,
    via: &'static str,
    action: crate::store::audit::Action,
    m: &crate::store::meetings::Meeting,
    member: &crate::domain::org::Member,
    what: &str,
) -> Result<(), crate::store::StoreError> {
    use crate::store::audit::{self, Actor};
    let actor = match by {
        Some(b) => Actor::member(b, via),
        None => Actor::operator(),
    };
    let detail = format!(
        "{} · {} ({}) · {what}",
        audit_detail(&m.branch_name, m.kind, m.starts_at, told.tz),
        member.name,
        member.key
    );
    audit::record(
        conn,
        told.now_ms,
        &actor,
        action,
        &format!("meeting:{}", m.id),
        &detail,
    )
    .await
}

/// The anchor of a meeting's jobs: rescheduling moves them all.
pub fn anchor(meeting_id: i64) -> String {
    format!("meeting:{meeting_id}")
}

/// "12月3日（周三）19:30" in the reader's locale and the organisation's zone. Where the
/// reader may not know which year is meant, use [`when_text_from`].
pub fn when_text(catalog: &Catalog, locale: Locale, tz: Tz, at_ms: i64) -> String {
    when_text_from(catalog, locale, tz, at_ms, at_ms)
}

/// As [`when_text`], with the year ("2027年12月3日（周五）19:30") whenever it is not the
/// year of `now_ms`.
pub fn when_text_from(
    catalog: &Catalog,
    locale: Locale,
    tz: Tz,
    at_ms: i64,
    now_ms: i64,
) -> String {
    let local = |ms| {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    };
    let (at, now) = (local(at_ms), local(now_ms));
    let weekday = catalog.text(locale, weekday_msg(at.weekday().number_from_monday()));
    let id = if at.year() == now.year() {
        msg!("meeting-when")
    } else {
        msg!("meeting-when-year")
    };
    catalog.render(
        locale,
        id,
        &[
            ("year", at.year().to_string().into()),
            ("month", at.month().into()),
            ("day", at.day().into()),
            ("weekday", weekday.into()),
            ("time", at.format("%H:%M").to_string().into()),
        ],
    )
}

/// The weekday's short name (1 = Monday … 7 = Sunday): 周三 / Wed.
pub fn weekday_msg(n: u32) -> crate::i18n::Msg {
    match n {
        1 => msg!("meeting-weekday-1"),
        2 => msg!("meeting-weekday-2"),
        3 => msg!("meeting-weekday-3"),
        4 => msg!("meeting-weekday-4"),
        5 => msg!("meeting-weekday-5"),
        6 => msg!("meeting-weekday-6"),
        _ => msg!("meeting-weekday-7"),
    }
}

/// The kind's name in `locale`.
pub fn kind_text(catalog: &Catalog, locale: Locale, kind: MeetingKind) -> String {
    catalog.text(locale, kind.msg())
}

/// The 参加 / 请假 choices of a meeting.
pub fn rsvp_choices(catalog: &Catalog, locale: Locale, meeting_id: i64) -> Vec<Choice> {
    let choice = |data: String, m| Choice {
        data,
        label: catalog.text(locale, m),
        aliases: Locale::ALL.iter().map(|l| catalog.text(*l, m)).collect(),
    };
    vec![
        choice(format!("rsvp:attend:{meeting_id}"), msg!("meeting-attend")),
        choice(format!("rsvp:leave:{meeting_id}"), msg!("meeting-leave")),
    ]
}

/// The reminder a member reads (scenario 1), with its choices.
pub fn reminder(catalog: &Catalog, locale: Locale, tz: Tz, m: &Meeting) -> Reply {
    let text = catalog.render(
        locale,
        msg!("meeting-reminder"),
        &[
            ("branch", m.branch_name.as_str().into()),
            ("kind", kind_text(catalog, locale, m.kind).into()),
            ("when", when_text(catalog, locale, tz, m.starts_at).into()),
            ("place", m.place.as_str().into()),
            ("topic", m.topic.as_str().into()),
        ],
    );
    Reply::with_choices(text, rsvp_choices(catalog, locale, m.id))
}

/// The same reminder for SMS, short enough for one UCS-2 segment where possible (scenario 2);
/// the numbered options are appended by the SMS renderer.
pub fn reminder_sms(catalog: &Catalog, locale: Locale, tz: Tz, m: &Meeting) -> Reply {
    let at = DateTime::<Utc>::from_timestamp_millis(m.starts_at)
        .unwrap_or_default()
        .with_timezone(&tz);
    let weekday = catalog.text(locale, weekday_msg(at.weekday().number_from_monday()));
    let text = catalog.render(
        locale,
        msg!("meeting-reminder-sms"),
        &[
            ("branch", m.branch_name.as_str().into()),
            ("kind", kind_text(catalog, locale, m.kind).into()),
            ("date", format!("{}/{}", at.month(), at.day()).into()),
            ("weekday", weekday.into()),
            ("time", at.format("%H:%M").to_string().into()),
            ("place", m.place.replace(' ', "").into()),
        ],
    );
    Reply::with_choices(text, rsvp_choices(catalog, locale, m.id))
}

/// One person on leave as the attendance view and the minutes list them: "马超（出差）", or
/// "马超（出差，代请假）" when a secretary recorded it for them, with "，已补学" once their
/// make-up study is recorded.
pub fn leave_entry(catalog: &Catalog, locale: Locale, a: &store::Attendee) -> String {
    let id = if a.leave_proxy {
        msg!("meeting-leave-entry-proxy")
    } else {
        msg!("meeting-leave-entry")
    };
    catalog.render(
        locale,
        id,
        &[
            ("name", a.name.as_str().into()),
            ("reason", a.reason.as_deref().unwrap_or("").into()),
            ("made_up", if a.made_up { "yes" } else { "no" }.into()),
        ],
    )
}

/// One absent member as the minutes list them: "马超", or "马超（已补学）".
pub fn absent_entry(catalog: &Catalog, locale: Locale, a: &store::Attendee) -> String {
    if a.made_up {
        catalog.render(
            locale,
            msg!("meeting-absent-entry-made-up"),
            &[("name", a.name.as_str().into())],
        )
    } else {
        a.name.clone()
    }
}

/// The sign-in code as a secretary reads it: the static code, or, when the meeting has none,
/// how to open the rotating one.
pub fn code_text(catalog: &Catalog, locale: Locale, m: &Meeting) -> String {
    match &m.signin_code {
        Some(code) => code.clone(),
        None => catalog.render(
            locale,
            msg!("meeting-code-rotating-only"),
            &[("id", m.id.into())],
        ),
    }
}

/// Applies `[meetings] static_signin_code = false` to meetings just made: they keep no static
/// code, and members sign in with the rotating one only.
pub async fn apply_code_policy(
    conn: &mut Conn,
    rules: &crate::domain::meetings::MeetingRules,
    ids: &[i64],
) -> Result<(), StoreError> {
    if !rules.static_signin_code {
        for id in ids {
            store::drop_static_code(conn, *id).await?;
        }
    }
    Ok(())
}

/// The members a kind expects by default: the branch's party members, its committee, or the
/// party group of `group_of` (the person creating the meeting).
pub async fn default_attendees(
    conn: &mut Conn,
    branch_id: i64,
    kind: MeetingKind,
    group_of: Option<&Member>,
) -> Result<Vec<Member>, StoreError> {
    let all = members::list(conn, Some(branch_id)).await?;
    let group = group_of.and_then(|m| m.group_name.clone());
    Ok(all
        .into_iter()
        .filter(|m| m.active && m.role.is_party_member())
        .filter(|m| match kind.default_attendees() {
            Attendees::Branch => true,
            Attendees::Committee => m.role.runs_branch(),
            Attendees::Group => group.is_none() || m.group_name == group,
        })
        .collect())
}

/// The secretaries (or, without one, the managers) of a branch: who is told about leave,
/// quorum and missing minutes.
pub async fn secretaries(conn: &mut Conn, branch_id: i64) -> Result<Vec<Member>, StoreError> {
    let managers: Vec<Member> = members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && m.role.runs_branch())
        .collect();
    let secretaries: Vec<Member> = managers
        .iter()
        .filter(|m| m.role == Role::Secretary)
        .cloned()
        .collect();
    Ok(if secretaries.is_empty() {
        managers
    } else {
        secretaries
    })
}

/// "3 天、1 天和 1 小时" / "3 days, 1 day and 1 hour": the reminder times, for messages.
pub fn reminders_text(catalog: &Catalog, locale: Locale, minutes: &[i64]) -> String {
    let parts: Vec<String> = minutes
        .iter()
        .map(|&m| {
            let (id, n) = if m % (24 * 60) == 0 {
                (msg!("meeting-offset-days"), m / (24 * 60))
            } else if m % 60 == 0 {
                (msg!("meeting-offset-hours"), m / 60)
            } else {
                (msg!("meeting-offset-minutes"), m)
            };
            catalog.render(locale, id, &[("n", n.into())])
        })
        .collect();
    match parts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!(
            "{}{}{last}",
            rest.join(&catalog.text(locale, msg!("meeting-offset-sep"))),
            catalog.text(locale, msg!("meeting-offset-and"))
        ),
    }
}

/// What a new meeting's creator is promised about reminders: only the ones that will fire
/// (a reminder whose time has passed is not scheduled, see [`commit`]): "参会同志将在会前 1 小时
/// 收到提醒。", or, when none is left, that none will be sent.
/// A warning line when a meeting falls on a 法定节假日, or, for a student branch, in a vacation
/// (寒暑假): the meeting is still created, the secretary is only asked to check the date.
pub async fn calendar_warning(
    conn: &mut Conn,
    catalog: &Catalog,
    locale: Locale,
    tz: Tz,
    branch_id: i64,
    starts_at: i64,
) -> Result<Option<String>, StoreError> {
    let cal = crate::store::calendar::load(conn).await?;
    let Some(at) = DateTime::<Utc>::from_timestamp_millis(starts_at) else {
        return Ok(None);
    };
    let day = at.with_timezone(&tz).date_naive();
    let date = crate::domain::calendar::day_words(locale, day);
    if let Some(name) = cal.holiday(day) {
        return Ok(Some(catalog.render(
            locale,
            msg!("meeting-on-holiday"),
            &[("date", date.into()), ("name", name.into())],
        )));
    }
    if let Some(v) = cal.vacation(day) {
        if crate::store::calendar::is_student_branch(conn, branch_id).await? {
            return Ok(Some(catalog.render(
                locale,
                msg!("meeting-on-vacation"),
                &[("date", date.into()), ("name", v.name.as_str().into())],
            )));
        }
    }
    Ok(None)
}

pub fn reminders_promise(
    catalog: &Catalog,
    locale: Locale,
    minutes: &[i64],
    starts_at: i64,
    now_ms: i64,
) -> String {
    let ahead: Vec<i64> = minutes
        .iter()
        .copied()
        .filter(|m| starts_at - m * 60_000 > now_ms)
        .collect();
    if ahead.is_empty() {
        return catalog.text(locale, msg!("meeting-reminders-none"));
    }
    catalog.render(
        locale,
        msg!("meeting-reminders-promise"),
        &[("list", reminders_text(catalog, locale, &ahead).into())],
    )
}

/// A six-digit sign-in code derived from the meeting's start and a counter, not guessable
/// from the meeting id alone.
pub fn signin_code(seed: i64) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("branchbot-signin:{seed}").as_bytes());
    let n = u32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]]) % 900_000 + 100_000;
    n.to_string()
}

/// Creates a meeting and schedules its jobs (reminders, the after-meeting check, the minutes
/// reminder) relative to its start, all on `conn`. Returns the new id.
pub async fn commit(
    conn: &mut Conn,
    registry: &Registry,
    remind_before_minutes: &[i64],
    now: DateTime<Utc>,
    mut new: NewMeeting,
) -> Result<i64, ScheduleError> {
    if new.signin_code.is_empty() {
        new.signin_code = signin_code(now.timestamp_millis() ^ new.starts_at);
    }
    let id = store::create(conn, &new, now.timestamp_millis()).await?;
    let starts = DateTime::<Utc>::from_timestamp_millis(new.starts_at).unwrap_or_default();
    let length = new.ends_at - new.starts_at;
    use crate::flows::meetings::jobs::Step;
    let mut jobs: Vec<(Step, i64)> = remind_before_minutes
        .iter()
        .map(|&minutes| (Step::Remind { minutes }, -minutes * 60_000))
        .collect();
    jobs.push((Step::After, length));
    jobs.push((Step::Minutes, length + MINUTES_DUE_HOURS * 3_600_000));
    for (step, offset_ms) in jobs {
        let offset = TimeDelta::milliseconds(offset_ms);
        if starts + offset <= now {
            continue;
        }
        let payload = crate::flows::meetings::jobs::Payload {
            meeting_id: id,
            step,
        };
        let spec = JobSpec {
            kind: crate::flows::meetings::jobs::KIND.into(),
            dedupe_key: format!("meeting:{id}:{step}"),
            payload: serde_json::to_string(&payload).unwrap_or_default(),
            when: When::Relative {
                anchor_key: anchor(id),
                anchor_at: starts,
                offset,
            },
            grace: None,
        };
        plan::schedule(conn, registry, &spec, now).await?;
    }
    Ok(id)
}

/// A reporting period as people read it: "2026年第四季度", "2026年11月", "2026年",
/// "2026年10月1日至12月31日" (the typed form "2026Q4" stays for commands and links).
pub fn period_text(
    catalog: &Catalog,
    locale: Locale,
    period: &crate::domain::period::Period,
) -> String {
    use crate::domain::period::Period;
    match *period {
        Period::Quarter(q) => quarter_text(catalog, locale, q),
        Period::Month { year, month } => catalog.render(
            locale,
            msg!("period-month"),
            &[("year", year.to_string().into()), ("month", month.into())],
        ),
        Period::Year(year) => catalog.render(
            locale,
            msg!("period-year"),
            &[("year", year.to_string().into())],
        ),
        Period::Range { from, to } => {
            let day = |d: chrono::NaiveDate| {
                catalog.render(
                    locale,
                    msg!("period-day"),
                    &[
                        ("year", d.year().to_string().into()),
                        ("month", d.month().into()),
                        ("day", d.day().into()),
                    ],
                )
            };
            catalog.render(
                locale,
                msg!("period-range"),
                &[("from", day(from).into()), ("to", day(to).into())],
            )
        }
    }
}

/// A quarter as people read it: "2026年第四季度".
pub fn quarter_text(
    catalog: &Catalog,
    locale: Locale,
    q: crate::domain::meetings::Quarter,
) -> String {
    catalog.render(
        locale,
        msg!("period-quarter"),
        &[("year", q.year.to_string().into()), ("quarter", q.q.into())],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_times_read_naturally_in_both_locales() {
        let c = Catalog::load().unwrap();
        let default = [3 * 24 * 60, 24 * 60, 60];
        assert_eq!(
            reminders_text(&c, Locale::ZhCn, &default),
            "3 天、1 天和 1 小时"
        );
        assert_eq!(
            reminders_text(&c, Locale::En, &default),
            "3 days, 1 day and 1 hour"
        );
        assert_eq!(
            reminders_text(&c, Locale::En, &[120, 10]),
            "2 hours and 10 minutes"
        );
        assert_eq!(reminders_text(&c, Locale::ZhCn, &[90]), "90 分钟");
    }
}
