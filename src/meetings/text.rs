//! How a meeting is shown: its kind, its reminder (chat and SMS) with the 参加 / 请假 choices,
//! the entries of the attendance view and the minutes, the sign-in code as a secretary reads
//! it, the reminder times, a holiday or vacation warning, a reporting period, and the audit
//! row's detail. Pure text over what the store read; the chat, the jobs, the CLI, the
//! dashboard and the oversight figures use it.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

use crate::chat::dates::{weekday_msg, when_text};
use crate::chat::{Choice, Reply};
use crate::domain::meetings::MeetingKind;
use crate::i18n::{Catalog, Locale};
use crate::meetings::store::{self as store, Meeting};
use crate::msg;
use crate::store::{Conn, StoreError};

/// What the audit log says about a meeting: `branch · kind · YYYY-MM-DD HH:MM` (local).
pub fn audit_detail(branch: &str, kind: MeetingKind, starts_at: i64, tz: Tz) -> String {
    let at = DateTime::<Utc>::from_timestamp_millis(starts_at)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M");
    format!("{branch} · {} · {at}", kind.as_str())
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
        choice(
            super::actions::Action::Attend(meeting_id).encode(),
            msg!("meeting-attend"),
        ),
        choice(
            super::actions::Action::Leave(meeting_id).encode(),
            msg!("meeting-leave"),
        ),
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
