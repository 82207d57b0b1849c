//! `/pledge_schedule <crontab>`: a branch's managers set when check-ins go out; the next three
//! dates are shown and confirmed first. Each branch has one recurring `pledge_checkin` job,
//! created with the default (monthly) schedule when its first pledge is approved.

use super::super::engine::Step;
use super::super::{Ctx, Reply, State};
use crate::domain::org::Member;
use crate::domain::pledges::DEFAULT_SCHEDULE;
use crate::msg;
use crate::scheduler::crontab::Crontab;
use crate::scheduler::{JobSpec, When};
use crate::store::{jobs, pledge_checkins, Conn, StoreError};

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
        kind: crate::scheduler::kinds::pledges::CHECKIN.to_owned(),
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

/// `/pledge_schedule [crontab]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(branch_id) = member.branch_id.filter(|b| member.manages_branch(*b)) else {
        return Ok(Step::text(cx.t(msg!("error-managers-only"))));
    };
    let Some(expr) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        let current = pledge_checkins::schedule_of(conn, branch_id)
            .await?
            .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
        return Ok(Step::text(cx.r(
            msg!("pledge-schedule-usage"),
            &[("current", current.into())],
        )));
    };
    let crontab = match Crontab::parse(expr) {
        Ok(c) => c,
        Err(e) => {
            return Ok(Step::text(cx.r(
                msg!("pledge-schedule-bad"),
                &[("error", e.render(cx.catalog, cx.locale).into())],
            )))
        }
    };
    let tz = cx.engine.tz;
    let dates: Vec<String> = crontab
        .upcoming(tz, cx.now())
        .take(3)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .collect();
    Ok(Step::new(
        vec![Reply::with_choices(
            cx.r(
                msg!("pledge-schedule-preview"),
                &[
                    ("branch", member.branch_name.as_deref().unwrap_or("").into()),
                    ("dates", dates.join("\n").into()),
                ],
            ),
            vec![
                cx.choice("ps:yes", msg!("pledge-schedule-confirm")),
                cx.choice("ps:no", msg!("pledge-schedule-cancel")),
            ],
        )],
        State::PledgeSchedule {
            crontab: crontab.to_string(),
        },
    ))
}

/// Confirmed (`yes`) or not.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: State,
    value: &str,
) -> Result<Step, StoreError> {
    let (State::PledgeSchedule { crontab }, Some(branch_id)) = (state, member.branch_id) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    if value != "yes" {
        let current = pledge_checkins::schedule_of(conn, branch_id)
            .await?
            .unwrap_or_else(|| DEFAULT_SCHEDULE.to_owned());
        return Ok(Step::text(
            cx.r(msg!("pledge-schedule-kept"), &[("crontab", current.into())]),
        ));
    }
    pledge_checkins::set_schedule(conn, branch_id, &crontab, cx.now_ms).await?;
    ensure_checkins(cx, conn, branch_id).await?;
    Ok(Step::text(cx.r(
        msg!("pledge-schedule-set"),
        &[("crontab", crontab.into())],
    )))
}
