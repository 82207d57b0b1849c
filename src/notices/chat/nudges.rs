//! The re-nudge step of `/notice` (and `notice send --nudge-every`): for a notice asking for
//! 收到, the sender picks whether and how the unconfirmed are reminded again — as close as
//! every 5 minutes for an urgent notice (DingTalk's DING practice), never closer than
//! `[notices] nudge_interval_minutes` (2 hours by default) for an ordinary one — and from which
//! nudge on by SMS (chat → SMS). Buttons offer common plans; "间隔分钟 次数 [第几次起改发短信]"
//! may be typed. Each nudge is a `notice-renudge` job ([`crate::notices::jobs::renudge`]).

use super::{Action, Draft, Waiting};
use crate::domain::org::Member;
use crate::domain::pushes::{NudgePlan, PlanError, MAX_NUDGES};
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The ordinary notices' floor, in minutes (`[notices] nudge_interval_minutes`).
pub fn floor_minutes(cx: &Ctx<'_>) -> i64 {
    (cx.engine.notice_nudge_interval_ms / 60_000).max(1)
}

/// "5 分钟", "2 小时".
pub fn duration(cx: &Ctx<'_>, minutes: i64) -> String {
    if minutes % 60 == 0 {
        cx.r(msg!("notice-plan-hours"), &[("n", (minutes / 60).into())])
    } else {
        cx.r(msg!("notice-plan-minutes"), &[("n", minutes.into())])
    }
}

/// How a plan reads: "每 5 分钟提醒一次，共 3 次，第 2 次起改发短信".
pub fn label(cx: &Ctx<'_>, plan: &NudgePlan) -> String {
    cx.r(
        msg!("notice-plan-label"),
        &[
            ("every", duration(cx, plan.interval_minutes).into()),
            ("count", plan.nudges.into()),
            ("sms", plan.sms_from.unwrap_or(0).into()),
        ],
    )
}

/// Why a plan is refused, saying the rule.
pub fn refusal(cx: &Ctx<'_>, e: PlanError) -> String {
    match e {
        PlanError::TooClose { floor } => cx.r(
            msg!("notice-plan-too-close"),
            &[
                ("floor", duration(cx, floor).into()),
                (
                    "urgent_floor",
                    duration(cx, NudgePlan::floor(true, floor)).into(),
                ),
                ("urgent", i64::from(floor < floor_minutes(cx)).into()),
            ],
        ),
        PlanError::TooFar => cx.t(msg!("notice-plan-too-far")),
        PlanError::Count => cx.r(msg!("notice-plan-count"), &[("max", MAX_NUDGES.into())]),
        PlanError::SmsRung => cx.t(msg!("notice-plan-sms-rung")),
        PlanError::NoConfirm => cx.t(msg!("notice-plan-no-confirm")),
    }
}

/// The plans offered as buttons: for urgent notices every 5 minutes (chat only, or SMS from
/// the second) and every 30 minutes with SMS; for ordinary ones once or twice at the floor.
fn offered(urgent: bool, floor: i64) -> Vec<NudgePlan> {
    let plans: &[(i64, i64, Option<i64>)] = if urgent {
        &[(5, 3, None), (5, 3, Some(2)), (30, 2, Some(2))]
    } else {
        &[(floor, 1, None), (floor, 2, Some(2))]
    };
    plans
        .iter()
        .filter_map(|(i, n, s)| NudgePlan::new(*i, *n, *s, urgent, floor).ok())
        .collect()
}

/// The question, asked once a notice asking for 收到 is marked urgent or not.
pub fn ask(cx: &Ctx<'_>, draft: Draft) -> Step {
    let floor = floor_minutes(cx);
    let mut choices = vec![cx.choice(Action::Plan(None).encode(), msg!("notice-plan-none"))];
    for p in offered(draft.urgent, floor) {
        choices.push(Choice {
            data: Action::Plan(Some((p.interval_minutes, p.nudges, p.sms_from))).encode(),
            label: label(cx, &p),
            aliases: Vec::new(),
        });
    }
    let text = cx.r(
        msg!("notice-ask-nudges"),
        &[
            (
                "floor",
                duration(cx, NudgePlan::floor(draft.urgent, floor)).into(),
            ),
            ("urgent", i64::from(draft.urgent).into()),
        ],
    );
    Step::new(
        vec![Reply::with_choices(text, choices)],
        Waiting::NoticeNudges { draft }.state(),
    )
}

/// A `notice:plan:<interval>-<count>[-<sms>]` or `notice:plan:none` button.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    plan: Option<(i64, i64, Option<i64>)>,
    draft: Draft,
) -> Result<Step, StoreError> {
    match plan {
        None => super::compose::preview(cx, conn, member, draft).await,
        Some(plan) => decide(cx, conn, member, draft, plan).await,
    }
}

/// A typed plan: "5 3 2".
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    draft: Draft,
    text: &str,
) -> Result<Step, StoreError> {
    let Some(plan) = NudgePlan::read(text) else {
        return Ok(ask(cx, draft));
    };
    decide(cx, conn, member, draft, plan).await
}

async fn decide(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    mut draft: Draft,
    (interval, count, sms): (i64, i64, Option<i64>),
) -> Result<Step, StoreError> {
    match NudgePlan::new(interval, count, sms, draft.urgent, floor_minutes(cx)) {
        Ok(plan) => {
            draft.nudges = Some(plan);
            super::compose::preview(cx, conn, member, draft).await
        }
        Err(e) => {
            // The refusal, and the same question again: nothing changes.
            let mut step = ask(cx, draft);
            if let Some(first) = step.replies.first_mut() {
                first.text = format!("{}\n{}", refusal(cx, e), first.text);
            }
            Ok(step)
        }
    }
}
