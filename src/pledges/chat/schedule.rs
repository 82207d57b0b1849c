//! `/pledge_schedule <schedule>`: a branch's managers set when check-ins go out, in words
//! (每月1日9点, 每周三晚上7点, 每月最后一天, 每季度末), by a preset, or as a crontab for experts;
//! the schedule is said back in words with the next three dates and confirmed first. Each branch has one recurring `pledge_checkin` job,
//! created with the default (monthly) schedule when its first pledge is approved.

use super::{Action, Schedule, Waiting};
use crate::domain::org::Member;
use crate::domain::schedule::{Spoken, PRESETS};
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::pledges::rules::DEFAULT_SCHEDULE;
use crate::pledges::store::checkins as pledge_checkins;
use crate::scheduler::crontab::Crontab;
use crate::scheduler::{JobSpec, When};
use crate::store::{jobs, Conn, StoreError};

/// The dedupe key of a branch's check-in job.
pub fn job_key(branch_id: i64) -> String {
    format!("pledge:checkin:{branch_id}")
}

/// Makes sure the branch's check-in job exists and follows the branch's crontab.
pub async fn ensure_checkins(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    branch_id: i64,
) -> Result<(), StoreError> {
    let expr = pledge_checkins::schedule_of(conn, branch_id)
        .await?
        .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
    let Ok(crontab) = Crontab::parse(&expr) else {
        tracing::warn!(branch_id, expr, "stored pledge schedule does not parse");
        return Ok(());
    };
    let tz = cx.engine.tz;
    let key = job_key(branch_id);
    if jobs::by_dedupe_key(conn, &key).await?.is_some() {
        if let Some(due) = crontab.next_after(tz, cx.now()) {
            if jobs::reschedule_cron(
                conn,
                &key,
                &expr,
                tz.name(),
                due.timestamp_millis(),
                cx.now_ms,
            )
            .await?
            {
                cx.mark_scheduled();
            }
        }
        return Ok(());
    }
    let spec = JobSpec {
        kind: crate::pledges::jobs::CHECKIN.to_owned(),
        dedupe_key: key,
        payload: serde_json::json!({ "branch_id": branch_id }).to_string(),
        when: When::Cron { crontab, tz },
        grace: None,
    };
    match cx.schedule(conn, &spec).await {
        Ok(_) => Ok(()),
        Err(crate::scheduler::ScheduleError::Store(e)) => Err(e),
        Err(e) => {
            tracing::warn!(branch_id, error = %e, "pledge check-ins not scheduled");
            Ok(())
        }
    }
}

/// A crontab said in words in the reader's language: "每月1日 9:00", "每周三 19:00"; any other
/// shape as the expression and its next time.
pub fn words(cx: &Ctx<'_>, expr: &str) -> String {
    let Some(spoken) = Spoken::from_crontab(expr) else {
        let next = Crontab::parse(expr)
            .ok()
            .and_then(|c| c.next_after(cx.engine.tz, cx.now()))
            .map(|t| {
                t.with_timezone(&cx.engine.tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        return cx.r(
            msg!("schedule-crontab"),
            &[("crontab", expr.into()), ("next", next.into())],
        );
    };
    let time = spoken.time();
    match spoken {
        Spoken::Daily { .. } => cx.r(msg!("schedule-daily"), &[("time", time.into())]),
        Spoken::Weekly { weekday, .. } => {
            let day = cx.t(crate::chat::dates::weekday_msg(weekday));
            cx.r(
                msg!("schedule-weekly"),
                &[("weekday", day.into()), ("time", time.into())],
            )
        }
        Spoken::Monthly { day, .. } => cx.r(
            msg!("schedule-monthly"),
            &[("day", day.into()), ("time", time.into())],
        ),
        Spoken::MonthEnd { .. } => cx.r(msg!("schedule-month-end"), &[("time", time.into())]),
        Spoken::QuarterEnd { .. } => cx.r(msg!("schedule-quarter-end"), &[("time", time.into())]),
        Spoken::QuarterStart { .. } => {
            cx.r(msg!("schedule-quarter-start"), &[("time", time.into())])
        }
    }
}

/// `/pledge_schedule [schedule]`: in words (每月1日9点, 每周三晚上7点, 每季度末) or, for experts,
/// a crontab; without one, the current schedule and the presets to choose from.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(_) = member.branch_id.filter(|b| member.manages_branch(*b)) else {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    };
    let Some(typed) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        let branch_id = member.branch_id.unwrap_or_default();
        let current = pledge_checkins::schedule_of(conn, branch_id)
            .await?
            .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
        let choices = PRESETS
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let label = words(cx, &p.crontab());
                Choice {
                    data: Action::Schedule(Schedule::Preset(i)).encode(),
                    aliases: vec![label.clone()],
                    label,
                }
            })
            .collect();
        return Ok(Step::reply(Reply::with_choices(
            cx.r(
                msg!("pledge-schedule-usage"),
                &[("current", words(cx, &current).into())],
            ),
            choices,
        )));
    };
    let crontab = if let Some(spoken) = Spoken::from_words(typed) {
        spoken.crontab()
    } else if typed.chars().any(|c| c as u32 >= 0x2E80) {
        // Words we do not read: say what we do read, not crontab's grammar.
        return Ok(Step::text(cx.r(
            msg!("pledge-schedule-not-understood"),
            &[("typed", typed.into())],
        )));
    } else {
        match Crontab::parse(typed) {
            Ok(c) => c.to_string(),
            Err(e) => {
                return Ok(Step::text(cx.r(
                    msg!("pledge-schedule-bad"),
                    &[("error", e.render(cx.catalog, cx.locale).into())],
                )))
            }
        }
    };
    Ok(preview(cx, member, &crontab))
}

fn preview(cx: &Ctx<'_>, member: &Member, crontab: &str) -> Step {
    let Ok(parsed) = Crontab::parse(crontab) else {
        return Step::text(cx.t(msg!("error-stale-choice")));
    };
    let tz = cx.engine.tz;
    let dates: Vec<String> = parsed
        .upcoming(tz, cx.now())
        .take(3)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .collect();
    Step::new(
        vec![Reply::with_choices(
            cx.r(
                msg!("pledge-schedule-preview"),
                &[
                    ("branch", member.branch_name.as_deref().unwrap_or("").into()),
                    ("words", words(cx, crontab).into()),
                    ("dates", dates.join("\n").into()),
                ],
            ),
            vec![
                cx.choice(
                    Action::Schedule(Schedule::Yes).encode(),
                    msg!("pledge-schedule-confirm"),
                ),
                cx.choice(
                    Action::Schedule(Schedule::No).encode(),
                    msg!("pledge-schedule-cancel"),
                ),
            ],
        )],
        Waiting::PledgeSchedule {
            crontab: crontab.to_owned(),
        }
        .state(),
    )
}

/// Confirmed (`yes`) or not; or a preset chosen.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    waiting: Option<Waiting>,
    answer: Schedule,
) -> Result<Step, StoreError> {
    if let Schedule::Preset(n) = answer {
        let preset = PRESETS.get(n);
        return Ok(match preset {
            Some(p) if member.branch_id.is_some_and(|b| member.manages_branch(b)) => {
                preview(cx, member, &p.crontab())
            }
            Some(_) => Step::text(cx.t(msg!("error-managers-only"))),
            None => Step::text(cx.t(msg!("error-stale-choice"))),
        });
    }
    let (Some(Waiting::PledgeSchedule { crontab }), Some(branch_id)) = (waiting, member.branch_id)
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    if answer != Schedule::Yes {
        let current = pledge_checkins::schedule_of(conn, branch_id)
            .await?
            .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
        return Ok(Step::text(cx.r(
            msg!("pledge-schedule-kept"),
            &[("words", words(cx, &current).into())],
        )));
    }
    pledge_checkins::set_schedule(conn, branch_id, &crontab, cx.now_ms).await?;
    ensure_checkins(cx, conn, branch_id).await?;
    Ok(Step::text(cx.r(
        msg!("pledge-schedule-set"),
        &[("words", words(cx, &crontab).into())],
    )))
}
