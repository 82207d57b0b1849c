//! `branchbot meeting create|list|cancel|series|leave|makeup|screen`: the meetings of
//! 三会一课 from the command line, through the same store, scheduling and figures as the chat
//! (`leave`: 代请假, `makeup`: 补学 recorded as done, `screen`: a one-time link to the rotating
//! sign-in code's page).

use chrono::{NaiveDateTime, TimeZone};
use clap::Subcommand;

use crate::domain::meetings::MeetingKind;
use crate::flows::engine::Engine;
use crate::meetings::chat as flows;
use crate::meetings::service::{self, Told};
use crate::meetings::store::{self as meetings, NewMeeting, Rsvp};
use crate::msg;
use crate::store::audit::{self, Action, Actor};
use crate::terminal::{find_branch, print_table, Failure, Outcome, Ui};

/// `branchbot meeting …`.
#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Schedule a meeting; its attendees are defaulted from the kind and reminded 3 days, 1 day
    /// and 1 hour before.
    Create {
        #[arg(long)]
        branch: String,
        /// general, committee, group, lesson, themed_day, life, other (or the Chinese name).
        #[arg(long)]
        kind: String,
        /// Local time in the organisation's zone.
        #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
        at: String,
        #[arg(long)]
        place: String,
        #[arg(long)]
        topic: String,
        /// Length in minutes (default: `meetings.length_minutes`, 120).
        #[arg(long)]
        minutes: Option<i64>,
    },
    /// List a branch's meetings from today on (or every branch's).
    List {
        #[arg(long)]
        branch: Option<String>,
        #[arg(long)]
        csv: bool,
    },
    /// Cancel a meeting by number (the attendees are told).
    Cancel { id: i64 },
    /// 代请假: record leave, with its reason, for a member who told the branch in person (the
    /// member is told; the audit log names the operator).
    Leave {
        /// The meeting's number.
        id: String,
        /// The member's roster key.
        #[arg(long)]
        member: String,
        #[arg(long)]
        reason: String,
    },
    /// 补学: record a member's make-up study for a meeting they missed as done, with a note.
    Makeup {
        /// The meeting's number.
        id: String,
        /// The member's roster key.
        #[arg(long)]
        member: String,
        #[arg(long)]
        note: String,
    },
    /// A one-time link (ten minutes) to the page showing the meeting's rotating sign-in code,
    /// to open on the meeting room's screen.
    Screen {
        id: i64,
        /// Sign-in by the rotating code only: the meeting's static code is dropped.
        #[arg(long)]
        rotating_only: bool,
    },
    /// A recurring series from a crontab read in the organisation's zone, e.g. the themed day
    /// on the 15th of each month at 19:00: `--cron '0 19 15 * *' --count 6`. Prints the first
    /// three dates; with `--yes` creates one meeting per occurrence.
    Series {
        #[arg(long)]
        branch: String,
        #[arg(long)]
        kind: String,
        #[arg(long)]
        cron: String,
        /// How many occurrences (1 to 24).
        #[arg(long, default_value_t = 3)]
        count: usize,
        #[arg(long)]
        place: String,
        #[arg(long)]
        topic: String,
        /// Length in minutes (default: `meetings.length_minutes`, 120).
        #[arg(long)]
        minutes: Option<i64>,
        /// Create them (without it, only the preview is printed).
        #[arg(long)]
        yes: bool,
    },
}

/// Runs `meeting …`.
pub(crate) async fn run(e: &Engine, command: MeetingCommand, ui: &Ui) -> Outcome {
    let now = chrono::Utc::now();
    match command {
        MeetingCommand::Create {
            branch,
            kind,
            at,
            place,
            topic,
            minutes,
        } => {
            let mut tx = e.store.begin().await?;
            let branch_id = find_branch(&mut tx, &branch, ui).await?;
            let kind = parse_kind(&kind, ui)?;
            let starts = NaiveDateTime::parse_from_str(at.trim(), "%Y-%m-%d %H:%M")
                .ok()
                .and_then(|t| e.tz.from_local_datetime(&t).earliest())
                .ok_or_else(|| {
                    ui.mistake(msg!("cli-meeting-bad-time"), &[("at", at.as_str().into())])
                })?
                .with_timezone(&chrono::Utc);
            if starts <= now {
                return Err(ui.mistake(msg!("cli-meeting-past"), &[("at", at.as_str().into())]));
            }
            if place.trim().is_empty() || topic.trim().is_empty() {
                return Err(ui.mistake(msg!("cli-meeting-empty-field"), &[]));
            }
            let new = NewMeeting {
                branch_id,
                kind,
                starts_at: starts.timestamp_millis(),
                ends_at: starts.timestamp_millis()
                    + minutes.unwrap_or(e.meetings.length_minutes).max(1) * 60_000,
                place: place.trim().into(),
                topic: topic.trim().into(),
                created_by: None,
                attendees: Vec::new(),
                signin_code: String::new(),
            };
            let by = service::Creator {
                registry: e.jobs.registry(),
                rules: &e.meetings,
                tz: e.tz,
                now,
                actor: Actor::operator(),
            };
            let m = service::create(&mut tx, &by, new, service::Invited::Default(None))
                .await
                .map_err(|err| Failure::Internal(err.into()))?;
            let id = m.id;
            let warning = crate::meetings::text::calendar_warning(
                &mut tx,
                &ui.catalog,
                ui.locale,
                e.tz,
                m.branch_id,
                m.starts_at,
            )
            .await?;
            tx.commit().await?;
            println!(
                "{}",
                ui.r(
                    msg!("cli-meeting-created"),
                    &[
                        ("id", id.into()),
                        (
                            "code",
                            crate::meetings::text::code_text(&ui.catalog, ui.locale, &m).into()
                        ),
                        (
                            "reminders",
                            crate::meetings::text::reminders_promise(
                                &ui.catalog,
                                ui.locale,
                                &e.meetings.remind_before_minutes,
                                m.starts_at,
                                now.timestamp_millis(),
                            )
                            .into(),
                        ),
                    ],
                )
            );
            if let Some(warning) = warning {
                println!("{warning}");
            }
        }
        MeetingCommand::List { branch, csv } => {
            let mut conn = e.store.pool().acquire().await?;
            let scope = match &branch {
                Some(b) => Some(find_branch(&mut conn, b, ui).await?),
                None => None,
            };
            let from = now.timestamp_millis() - 24 * 3_600_000;
            let list = meetings::between(&mut conn, scope, from, i64::MAX).await?;
            let header = [
                msg!("cli-meeting-column-id"),
                msg!("cli-meeting-column-branch"),
                msg!("cli-meeting-column-kind"),
                msg!("cli-meeting-column-time"),
                msg!("cli-meeting-column-place"),
                msg!("cli-meeting-column-answers"),
                msg!("cli-meeting-column-status"),
            ]
            .map(|id| ui.t(id));
            let mut rows = Vec::new();
            for m in list {
                let all = meetings::attendees(&mut conn, m.id).await?;
                let n = |r: Rsvp| all.iter().filter(|a| a.rsvp == r).count();
                let time = chrono::DateTime::from_timestamp_millis(m.starts_at)
                    .unwrap_or_default()
                    .with_timezone(&e.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
                let status = if m.cancelled {
                    msg!("cli-meeting-cancelled")
                } else {
                    msg!("cli-meeting-scheduled")
                };
                rows.push(vec![
                    m.id.to_string(),
                    m.branch_name.clone(),
                    ui.t(m.kind.msg()),
                    time,
                    m.place.clone(),
                    format!("{}/{}/{}", n(Rsvp::Attend), n(Rsvp::Leave), n(Rsvp::None)),
                    ui.t(status),
                ]);
            }
            print_table(&header, &rows, csv)?;
        }
        MeetingCommand::Series {
            branch,
            kind,
            cron,
            count,
            place,
            topic,
            minutes,
            yes,
        } => {
            let mut tx = e.store.begin().await?;
            let branch_id = find_branch(&mut tx, &branch, ui).await?;
            let kind = parse_kind(&kind, ui)?;
            let tab = crate::scheduler::Crontab::parse(&cron).map_err(|err| {
                ui.mistake(
                    msg!("cli-meeting-bad-cron"),
                    &[
                        ("cron", cron.as_str().into()),
                        ("detail", err.to_string().into()),
                    ],
                )
            })?;
            if !(1..=24).contains(&count) || place.trim().is_empty() || topic.trim().is_empty() {
                return Err(ui.mistake(msg!("cli-meeting-series-bad"), &[]));
            }
            let times: Vec<_> = tab.upcoming(e.tz, now).take(count).collect();
            for t in times.iter().take(3) {
                let local = t.with_timezone(&e.tz).format("%Y-%m-%d %H:%M").to_string();
                println!("{local}");
            }
            if !yes {
                eprintln!(
                    "{}",
                    ui.r(
                        msg!("cli-meeting-series-confirm"),
                        &[("count", times.len().into())]
                    )
                );
                return Ok(());
            }
            let template = NewMeeting {
                branch_id,
                kind,
                starts_at: 0,
                ends_at: 0,
                place: place.trim().into(),
                topic: topic.trim().into(),
                created_by: None,
                attendees: Vec::new(),
                signin_code: String::new(),
            };
            let by = service::Creator {
                registry: e.jobs.registry(),
                rules: &e.meetings,
                tz: e.tz,
                now,
                actor: Actor::operator(),
            };
            service::create_series(
                &mut tx,
                &by,
                &branch,
                template,
                service::Invited::Default(None),
                minutes.unwrap_or(e.meetings.length_minutes).max(1) * 60_000,
                &times,
            )
            .await
            .map_err(|err| Failure::Internal(err.into()))?;
            tx.commit().await?;
            eprintln!(
                "{}",
                ui.r(
                    msg!("cli-meeting-series-done"),
                    &[("count", times.len().into())]
                )
            );
        }
        MeetingCommand::Leave { id, member, reason } => {
            let mut tx = e.store.begin().await?;
            let told = Told {
                catalog: &ui.catalog,
                tz: e.tz,
                sms_connected: e.sms_connected,
                now_ms: now.timestamp_millis(),
            };
            match flows::leave_for::record(&mut tx, &told, None, "cli", &id, &member, &reason)
                .await?
            {
                Ok(r) => {
                    tx.commit().await?;
                    println!(
                        "{}",
                        ui.r(
                            msg!("meeting-leave-for-done"),
                            &[
                                ("name", r.member.name.as_str().into()),
                                (
                                    "when",
                                    crate::chat::dates::when_text_from(
                                        &ui.catalog,
                                        ui.locale,
                                        e.tz,
                                        r.meeting.starts_at,
                                        now.timestamp_millis()
                                    )
                                    .into(),
                                ),
                                ("kind", ui.t(r.meeting.kind.msg()).into()),
                                ("reason", reason.trim().into()),
                            ],
                        )
                    );
                }
                Err(why) => return Err(Failure::User(why.text(&ui.catalog, ui.locale))),
            }
        }
        MeetingCommand::Makeup { id, member, note } => {
            let mut tx = e.store.begin().await?;
            let Some(who) = crate::store::members::find(&mut tx, member.trim()).await? else {
                return Err(ui.mistake(
                    msg!("meeting-no-such-member"),
                    &[("key", member.trim().into())],
                ));
            };
            let told = Told {
                catalog: &ui.catalog,
                tz: e.tz,
                sms_connected: e.sms_connected,
                now_ms: now.timestamp_millis(),
            };
            match flows::makeup::record(&mut tx, &told, None, "cli", &id, &who, &note).await? {
                Ok(m) => {
                    tx.commit().await?;
                    println!(
                        "{}",
                        ui.r(
                            msg!("meeting-makeup-done-for"),
                            &[
                                ("name", who.name.as_str().into()),
                                (
                                    "when",
                                    crate::chat::dates::when_text_from(
                                        &ui.catalog,
                                        ui.locale,
                                        e.tz,
                                        m.starts_at,
                                        now.timestamp_millis()
                                    )
                                    .into(),
                                ),
                                ("kind", ui.t(m.kind.msg()).into()),
                            ],
                        )
                    );
                }
                Err(why) => return Err(Failure::User(why.text(&ui.catalog, ui.locale))),
            }
        }
        MeetingCommand::Screen { id, rotating_only } => {
            let mut tx = e.store.begin().await?;
            let Some(m) = meetings::get(&mut tx, id).await? else {
                return Err(ui.mistake(msg!("meeting-not-found"), &[("id", id.into())]));
            };
            use flows::screen::{issue, link_url, Refused};
            match issue(&mut tx, &m, None, rotating_only, now.timestamp_millis()).await? {
                Ok(token) => {
                    tx.commit().await?;
                    println!("{}", link_url(&e.dashboard.base_url, &token));
                }
                Err(Refused::Cancelled) => {
                    return Err(ui.mistake(msg!("meeting-already-cancelled"), &[]))
                }
                Err(Refused::Ended) => return Err(ui.mistake(msg!("meeting-screen-ended"), &[])),
            }
        }
        MeetingCommand::Cancel { id } => {
            let mut tx = e.store.begin().await?;
            let Some(m) = meetings::get(&mut tx, id).await? else {
                return Err(ui.mistake(msg!("meeting-not-found"), &[("id", id.into())]));
            };
            if !meetings::cancel(&mut tx, id, now.timestamp_millis()).await? {
                return Err(ui.mistake(msg!("meeting-already-cancelled"), &[]));
            }
            let told = Told {
                catalog: &ui.catalog,
                tz: e.tz,
                sms_connected: e.sms_connected,
                now_ms: now.timestamp_millis(),
            };
            let n = told.attendees(&mut tx, &m, "cancelled", None, None).await?;
            let detail =
                crate::meetings::text::audit_detail(&m.branch_name, m.kind, m.starts_at, e.tz);
            audit::record(
                &mut tx,
                now.timestamp_millis(),
                &Actor::operator(),
                Action::MeetingCancelled,
                &format!("meeting:{id}"),
                &detail,
            )
            .await?;
            tx.commit().await?;
            println!(
                "{}",
                ui.r(
                    msg!("cli-meeting-cancelled-done"),
                    &[("id", id.into()), ("count", n.into())],
                )
            );
        }
    }
    e.store.close().await;
    Ok(())
}

/// A kind of meeting as typed (`general`, `党员大会`, …), or the mistake naming the kinds.
fn parse_kind(kind: &str, ui: &Ui) -> Outcome<MeetingKind> {
    kind.parse()
        .map_err(|()| ui.mistake(msg!("cli-meeting-bad-kind"), &[("kind", kind.into())]))
}
