//! Pledge jobs: `pledge_checkin` (a branch's recurring check-in round, a crontab job per
//! branch), `pledge_checkin_reminder` (one reminder, two days later, to those who answered
//! nothing) and `pledge_assessment` (a phase-end self-assessment, scheduled by the campaign).
//! Each pushes through [`crate::delivery::route`], so a typed answer matches the choices.

use chrono::TimeDelta;
use serde::Deserialize;

use crate::chat::Reply;
use crate::domain::calendar::{KindRule, Subject};
use crate::i18n::Catalog;
use crate::msg;
use crate::pledges::chat::{checkin, Action};
use crate::pledges::rules::{MAX_ASSESSMENT_CHARS, REMIND_AFTER_DAYS};
use crate::pledges::service::item_lines;
use crate::pledges::store::{self as pledges, checkins as pledge_checkins};
use crate::scheduler::job::{
    self, check_payload, payload, Job, JobContext, JobError, JobFuture, Ran, Registry,
    SubjectFuture,
};
use crate::scheduler::{JobSpec, When};
use crate::store::jobs::JobRow;
use crate::store::{members, Conn};

/// The check-in round kind.
pub const CHECKIN: &str = "pledge_checkin";
/// The reminder kind.
pub const REMINDER: &str = "pledge_checkin_reminder";
/// The phase-end self-assessment kind.
pub const ASSESSMENT: &str = "pledge_assessment";

/// A check-in's opening with the member's confirmed service activities after its header
/// (src/records/), when they have any.
async fn with_activities(
    conn: &mut Conn,
    catalog: &Catalog,
    member: &crate::domain::org::Member,
    mut reply: Reply,
) -> Result<Reply, JobError> {
    if let Some(line) = crate::records::service::checkin_line(conn, catalog, member).await? {
        reply.text = match reply.text.split_once('\n') {
            Some((head, rest)) => format!("{head}\n{line}\n{rest}"),
            None => format!("{line}\n{}", reply.text),
        };
    }
    Ok(reply)
}

/// Jobs have no engine: they read the catalog compiled into the binary.
fn catalog() -> Result<&'static Catalog, JobError> {
    Ok(Catalog::shared())
}

#[derive(Debug, Deserialize)]
struct CheckinPayload {
    branch_id: i64,
}

/// `pledge_checkin`: asks every member of the branch with an approved pledge about its items.
#[derive(Debug, Clone, Copy, Default)]
pub struct PledgeCheckin;

impl Job for PledgeCheckin {
    fn name(&self) -> &'static str {
        CHECKIN
    }

    /// A pledge push that can wait moves to the next working day; a student branch's pauses in vacations.
    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH_PAUSED_IN_VACATION
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        check_payload::<CheckinPayload>(payload)
    }

    fn subject<'a>(&'a self, conn: &'a mut Conn, job: &'a JobRow) -> SubjectFuture<'a> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<CheckinPayload>(&job.payload) else {
                return Ok(Subject::default());
            };
            Ok(Subject {
                student: crate::store::calendar::is_student_branch(conn, p.branch_id).await?,
                urgent: false,
            })
        })
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let p: CheckinPayload = payload(job)?;
            let catalog = catalog()?;
            let round = pledge_checkins::start_round(conn, p.branch_id, job.due_at).await?;
            let mut wake = Vec::new();
            let (mut asked, mut reached) = (0, 0);
            for (member_id, version) in pledges::approved_in_branch(conn, p.branch_id).await? {
                let Some(member) = members::by_id(conn, member_id).await? else {
                    continue;
                };
                if !pledge_checkins::ask(conn, round, member_id, version).await? {
                    continue;
                }
                asked += 1;
                let items = pledges::items(conn, version).await?;
                let Some(reply) = checkin::opening(catalog, &member, round, &items, false) else {
                    continue;
                };
                let reply = with_activities(conn, catalog, &member, reply).await?;
                let key = format!("pledge:checkin:{round}:{member_id}");
                if job::push(conn, ctx, &member, &reply, &job::now(ctx, key), &mut wake).await? {
                    reached += 1;
                }
            }
            let remind_at = chrono::DateTime::from_timestamp_millis(job.due_at).unwrap_or_default()
                + TimeDelta::days(REMIND_AFTER_DAYS);
            let spec = JobSpec {
                kind: REMINDER.to_owned(),
                dedupe_key: format!("pledge:remind:{round}"),
                payload: serde_json::json!({ "round_id": round }).to_string(),
                when: When::At(remind_at),
                grace: None,
            };
            let now = chrono::DateTime::from_timestamp_millis(ctx.now).unwrap_or_default();
            if remind_at > now {
                // The registry is only asked for the kind's grace and calendar rule.
                let kinds = Registry::new().with(PledgeReminder);
                crate::scheduler::plan::schedule(conn, &kinds, &spec, now)
                    .await
                    .map_err(|e| JobError::Failed(e.to_string()))?;
            }
            Ok(Ran {
                note: Some(format!("round {round}: asked {asked}, reached {reached}")),
                wake,
            })
        })
    }
}

#[derive(Debug, Deserialize)]
struct ReminderPayload {
    round_id: i64,
}

/// `pledge_checkin_reminder`: reminds, once, those who answered nothing in a round.
#[derive(Debug, Clone, Copy, Default)]
pub struct PledgeReminder;

impl Job for PledgeReminder {
    fn name(&self) -> &'static str {
        REMINDER
    }

    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH_PAUSED_IN_VACATION
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        check_payload::<ReminderPayload>(payload)
    }

    fn subject<'a>(&'a self, conn: &'a mut Conn, job: &'a JobRow) -> SubjectFuture<'a> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<ReminderPayload>(&job.payload) else {
                return Ok(Subject::default());
            };
            Ok(Subject {
                student: crate::store::calendar::is_student_round(conn, p.round_id).await?,
                urgent: false,
            })
        })
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let p: ReminderPayload = payload(job)?;
            let catalog = catalog()?;
            let mut wake = Vec::new();
            let mut reminded = 0;
            for (member_id, version) in pledge_checkins::silent(conn, p.round_id).await? {
                let Some(member) = members::by_id(conn, member_id).await? else {
                    continue;
                };
                if !pledge_checkins::mark_reminded(conn, p.round_id, member_id, ctx.now).await? {
                    continue;
                }
                let items = pledges::items(conn, version).await?;
                let Some(reply) = checkin::opening(catalog, &member, p.round_id, &items, true)
                else {
                    continue;
                };
                let key = format!("pledge:remind:{}:{member_id}", p.round_id);
                if job::push(conn, ctx, &member, &reply, &job::now(ctx, key), &mut wake).await? {
                    reminded += 1;
                }
            }
            Ok(Ran {
                note: Some(format!("reminded {reminded}")),
                wake,
            })
        })
    }
}

/// A `pledge_assessment` job's payload, as the campaign schedules it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AssessmentPayload {
    pub campaign: String,
    pub phase: i64,
    pub title: String,
}

/// `pledge_assessment`: asks every member with an approved pledge for a self-assessment.
#[derive(Debug, Clone, Copy, Default)]
pub struct PledgeAssessment;

impl Job for PledgeAssessment {
    fn name(&self) -> &'static str {
        ASSESSMENT
    }

    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH_PAUSED_IN_VACATION
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        let p: AssessmentPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
        if p.campaign.trim().is_empty() || p.title.trim().is_empty() {
            return Err("the campaign and the title must not be empty".into());
        }
        Ok(())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            self.check(&job.payload).map_err(JobError::Payload)?;
            let p: AssessmentPayload = payload(job)?;
            let catalog = catalog()?;
            let mut wake = Vec::new();
            let mut asked = 0;
            for (member_id, version) in pledges::approved_all(conn).await? {
                let Some(member) = members::by_id(conn, member_id).await? else {
                    continue;
                };
                pledge_checkins::ask_assessment(
                    conn,
                    member_id,
                    version,
                    &p.campaign,
                    p.phase,
                    &p.title,
                    ctx.now,
                )
                .await?;
                let Some(id) =
                    pledge_checkins::assessment_id(conn, member_id, &p.campaign, p.phase).await?
                else {
                    continue;
                };
                let items = pledges::items(conn, version).await?;
                let locale = member.locale;
                let text = catalog.render(
                    locale,
                    msg!("pledge-assessment-ask"),
                    &[
                        ("title", p.title.as_str().into()),
                        ("max", MAX_ASSESSMENT_CHARS.into()),
                        ("items", item_lines(catalog, locale, &items).into()),
                    ],
                );
                let reply = Reply::with_choices(
                    text,
                    vec![crate::pledges::chat::choice(
                        catalog,
                        locale,
                        Action::Assess(id).encode(),
                        msg!("pledge-assessment-write"),
                    )],
                );
                let key = format!("pledge:assess:{id}");
                if job::push(conn, ctx, &member, &reply, &job::now(ctx, key), &mut wake).await? {
                    asked += 1;
                }
            }
            // The same phase end asks the college committee for its 领导点评 (src/records/).
            let prompted = crate::records::service::prompt_comments(
                conn,
                ctx,
                &p.campaign,
                p.phase,
                &mut wake,
            )
            .await?;
            Ok(Ran {
                note: Some(format!("asked {asked}, committee prompted {prompted}")),
                wake,
            })
        })
    }
}
