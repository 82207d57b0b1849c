//! `meeting-compliance`: a built-in recurring job, at 09:00 on the 17th of each quarter's last
//! month (about two weeks before the quarter ends). Each branch's secretary is warned when no
//! general meeting or party lesson (or other kind the configuration makes quarterly) has been
//! held or scheduled this quarter, or fewer than N of a `semester:N` kind this semester, and told of party
//! members who were expected at meetings six months ago or earlier and have not signed in at
//! any since (Party Constitution, Art. 9).

use chrono::{DateTime, Utc};

use crate::chat::Reply;
use crate::domain::calendar::KindRule;
use crate::domain::meetings::{Cadence, MeetingKind, Quarter};
use crate::i18n::Catalog;
use crate::meetings::store as meetings;
use crate::msg;
use crate::scheduler::job::{self, Job, JobContext, JobError, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::members;

/// The kind's name.
pub const KIND: &str = "meeting-compliance";

/// Six months, as the Constitution counts them (a little over 182 days).
const SIX_MONTHS_MS: i64 = 183 * 24 * 3_600_000;

/// The `meeting-compliance` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct ComplianceWarning;

fn catalog() -> &'static Catalog {
    Catalog::shared()
}

impl Job for ComplianceWarning {
    fn name(&self) -> &'static str {
        KIND
    }

    /// The warning waits for the next working day.
    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH
    }

    fn builtin_schedule(&self) -> Option<&'static str> {
        Some("0 9 17 3,6,9,12 *")
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut crate::store::Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let now = DateTime::<Utc>::from_timestamp_millis(ctx.now).unwrap_or_default();
            let quarter = Quarter::containing(now, ctx.tz);
            let (from, to) = quarter.bounds(ctx.tz);
            let (mut sent, mut wake) = (0usize, Vec::new());
            for (branch_id, _, _) in members::branches(conn).await? {
                let planned = meetings::between(
                    conn,
                    Some(branch_id),
                    from.timestamp_millis(),
                    to.timestamp_millis(),
                )
                .await?;
                // Quarterly kinds (by default the general meeting and the party lesson) need
                // one this quarter; a `semester:N` kind needs N in the current semester.
                let mut missing: Vec<MeetingKind> = Vec::new();
                let mut semester_short: Vec<(MeetingKind, u32, u32)> = Vec::new();
                for k in MeetingKind::ALL {
                    match ctx.meetings.cadence(k) {
                        Cadence::Quarterly
                            if !planned.iter().any(|m| !m.cancelled && m.kind == k) =>
                        {
                            missing.push(k);
                        }
                        Cadence::PerSemester(n) => {
                            let Some((s_from, s_to)) = crate::meetings::rules::semester_containing(
                                &ctx.meetings,
                                now,
                                ctx.tz,
                            ) else {
                                continue;
                            };
                            let in_semester = meetings::between(
                                conn,
                                Some(branch_id),
                                s_from.timestamp_millis(),
                                s_to.timestamp_millis(),
                            )
                            .await?;
                            let count = in_semester
                                .iter()
                                .filter(|m| !m.cancelled && m.kind == k)
                                .count() as u32;
                            if count < n {
                                semester_short.push((k, count, n));
                            }
                        }
                        _ => {}
                    }
                }
                let since = ctx.now - SIX_MONTHS_MS;
                let held_recently =
                    !meetings::held_between(conn, Some(branch_id), since, ctx.now, ctx.now)
                        .await?
                        .is_empty();
                let mut inactive = Vec::new();
                for m in members::list(conn, Some(branch_id)).await? {
                    if !held_recently || !m.active || !m.role.is_party_member() {
                        continue;
                    }
                    // Only who has been expected at meetings for six months or more.
                    let first = meetings::first_expected(conn, m.id).await?;
                    let last = meetings::last_attended(conn, m.id).await?;
                    if first.is_some_and(|at| at <= since) && last.is_none_or(|at| at < since) {
                        inactive.push(m.name.clone());
                    }
                }
                if missing.is_empty() && semester_short.is_empty() && inactive.is_empty() {
                    continue;
                }
                for s in crate::meetings::service::secretaries(conn, branch_id).await? {
                    let c = catalog();
                    let l = s.locale;
                    let mut lines = Vec::new();
                    if !missing.is_empty() {
                        let kinds: Vec<String> =
                            missing.iter().map(|k| c.text(l, k.msg())).collect();
                        lines.push(c.render(
                            l,
                            msg!("meeting-compliance-warning"),
                            &[
                                (
                                    "quarter",
                                    crate::meetings::text::quarter_text(c, l, quarter).into(),
                                ),
                                (
                                    "kinds",
                                    kinds.join(&c.text(l, msg!("cli-list-separator"))).into(),
                                ),
                            ],
                        ));
                    }
                    for (k, count, need) in &semester_short {
                        lines.push(c.render(
                            l,
                            msg!("meeting-compliance-semester"),
                            &[
                                ("kind", c.text(l, k.msg()).into()),
                                ("count", (*count).into()),
                                ("need", (*need).into()),
                            ],
                        ));
                    }
                    if !inactive.is_empty() {
                        lines.push(c.render(
                            l,
                            msg!("meeting-inactive-members"),
                            &[(
                                "names",
                                inactive.join(&c.text(l, msg!("cli-list-separator"))).into(),
                            )],
                        ));
                    }
                    let key = format!("job:{}:{}:{}", job.id, job.due_at, s.id);
                    let reply = Reply::text(lines.join("\n"));
                    if job::push(conn, ctx, &s, &reply, &job::now(ctx, key), &mut wake).await? {
                        sent += 1;
                    }
                }
            }
            Ok::<_, JobError>(Ran {
                note: Some(format!("warned {sent} secretaries")),
                wake,
            })
        })
    }
}
