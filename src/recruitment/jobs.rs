//! `recruitment-clocks`: a built-in daily job at 09:00 that reminds of the pipeline's clocks
//! on time (see [`rules::reminders_on`]): the branch's secretary of the talk within a month,
//! the half-yearly 考察, the college's approval within three months and the day a person may
//! be listed as 发展对象, and on the last working day of a 公示 (the vote may follow the next
//! day); the person and their contacts of the next 思想汇报; the person and
//! the secretary before the probation ends. Each reminder has its own dedupe key, so a run
//! repeated after a crash never sends one twice.

use chrono::{DateTime, Utc};

use super::chat::{date, Words};
use super::rules::{self, Clock};
use super::service::{self, Viewer};
use crate::domain::calendar::KindRule;
use crate::domain::org::Member;
use crate::flows::Reply;
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{self, Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::{members, Conn};

/// The kind's name.
pub const KIND: &str = "recruitment-clocks";

/// The `recruitment-clocks` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecruitmentClocks;

impl Job for RecruitmentClocks {
    fn name(&self) -> &'static str {
        KIND
    }

    /// A daily chore: a holiday's run is dropped, the next day's covers it.
    fn calendar_rule(&self) -> KindRule {
        KindRule::DAILY_CHORE
    }

    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("0 9 * * *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let today = DateTime::<Utc>::from_timestamp_millis(ctx.now)
                .unwrap_or_default()
                .with_timezone(&ctx.tz)
                .date_naive();
            let views = service::pipeline(conn, Viewer::Operator, None, &ctx.recruitment)
                .await?
                .unwrap_or_default();
            let (mut sent, mut wake) = (0usize, Vec::new());
            for v in &views {
                for (due, on_the_day) in rules::reminders_on(&v.clocks, today, &ctx.recruitment) {
                    let mut to: Vec<Member> = Vec::new();
                    let person = members::by_id(conn, v.recruit.member_id).await?;
                    let secretaries = match v.recruit.branch_id {
                        Some(b) => crate::meetings::service::secretaries(conn, b).await?,
                        None => Vec::new(),
                    };
                    match due.what {
                        Clock::Report => {
                            to.extend(person);
                            for id in &v.facts.contacts {
                                to.extend(members::by_id(conn, *id).await?);
                            }
                        }
                        Clock::ProbationEnds => {
                            to.extend(person);
                            to.extend(secretaries);
                        }
                        Clock::Talk
                        | Clock::Review
                        | Clock::Approval
                        | Clock::CandidateFrom
                        | Clock::PublicityEnds => {
                            to.extend(secretaries);
                        }
                    }
                    for m in to.iter().filter(|m| m.active) {
                        let w = Words {
                            catalog: Catalog::shared(),
                            locale: m.locale,
                        };
                        let text = Catalog::shared().render(
                            m.locale,
                            if on_the_day {
                                msg!("recruit-remind-today")
                            } else {
                                msg!("recruit-remind")
                            },
                            &[
                                ("name", v.recruit.name.as_str().into()),
                                ("key", v.recruit.key.as_str().into()),
                                ("clock", w.clock(due.what).into()),
                                ("date", date(due.by).into()),
                            ],
                        );
                        let key = format!(
                            "recruit:{}:{}:{}:{}:{}",
                            v.recruit.id,
                            due.what.as_str(),
                            due.by,
                            m.id,
                            if on_the_day { "day" } else { "ahead" }
                        );
                        if job::push(
                            conn,
                            ctx,
                            m,
                            &Reply::text(text),
                            &job::now(ctx, key),
                            &mut wake,
                        )
                        .await?
                        {
                            sent += 1;
                        }
                    }
                }
            }
            Ok(Ran {
                note: Some(format!("{sent} reminders")),
                wake,
            })
        })
    }
}
