//! `meeting`: the jobs of one meeting, anchored to its start (`meeting:<id>`), so a reschedule
//! moves them all. Steps: `remind:<minutes before>` pushes the reminder with 参加 / 请假 to
//! every attendee not on leave (the one-hour reminder is urgent and carries the sign-in code to
//! the secretary; the one-day reminder of a general meeting warns the secretary when the
//! expected attendance has no quorum); `after` tells members absent without leave to make up
//! the study (补学) and flags a third unexcused absence in a row to the secretary; `minutes` reminds the secretary when no minutes were submitted. A reminder
//! is never sent once the meeting has started (its outbox row expires at the start).

use serde::{Deserialize, Serialize};

use super::rules::has_quorum;
use crate::chat::Reply;
use crate::delivery::route::{self, Push, Route};
use crate::domain::meetings::MeetingKind;
use crate::i18n::Catalog;
use crate::meetings::store::{self as meetings, Rsvp};
use crate::msg;
use crate::scheduler::job::{
    self, check_payload, payload, Job, JobContext, JobError, JobFuture, Ran,
};
use crate::store::jobs::JobRow;
use crate::store::{members, Conn};

/// The kind's name.
pub const KIND: &str = "meeting";

/// A `meeting` job's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payload {
    pub meeting_id: i64,
    pub step: Step,
}

/// What a `meeting` job does. Stored as the text it always was (`remind:<minutes>`, `after`,
/// `minutes`), so rows scheduled before this type existed still read; any other text is an
/// error that fails the job (and `check` refuses it when scheduling), never a silent default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Step {
    /// Remind the attendees this many minutes before the start.
    Remind { minutes: i64 },
    /// Tell those who neither signed in nor asked for leave that they were absent.
    After,
    /// Remind the secretaries to write the minutes.
    Minutes,
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Remind { minutes } => write!(f, "remind:{minutes}"),
            Self::After => f.write_str("after"),
            Self::Minutes => f.write_str("minutes"),
        }
    }
}

impl std::str::FromStr for Step {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "after" => Ok(Self::After),
            "minutes" => Ok(Self::Minutes),
            _ => s
                .strip_prefix("remind:")
                .and_then(|m| m.parse().ok())
                .map(|minutes| Self::Remind { minutes })
                .ok_or_else(|| format!("unknown meeting step {s:?}")),
        }
    }
}

impl TryFrom<String> for Step {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Step> for String {
    fn from(step: Step) -> Self {
        step.to_string()
    }
}

/// The `meeting` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct MeetingReminder;

fn catalog() -> &'static Catalog {
    Catalog::shared()
}

impl Job for MeetingReminder {
    fn name(&self) -> &'static str {
        KIND
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        check_payload::<Payload>(payload)
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let p: Payload = payload(job)?;
            let Some(m) = meetings::get(conn, p.meeting_id).await? else {
                return Ok(Ran::note("no such meeting"));
            };
            if m.cancelled {
                return Ok(Ran::note("cancelled"));
            }
            let mut run = Run {
                ctx,
                conn,
                wake: Vec::new(),
                sent: 0,
            };
            let tag = format!("meeting:{}:{}", m.id, p.step);
            if let Step::Remind { minutes: before } = p.step {
                if m.starts_at <= ctx.now {
                    return Ok(Ran::note("started already"));
                }
                let urgent = before <= 60;
                for a in meetings::attendees(run.conn, m.id).await? {
                    if a.rsvp == Rsvp::Leave {
                        continue;
                    }
                    run.remind(a.member_id, &m, &tag, urgent).await?;
                }
                if before == 24 * 60 && m.kind == MeetingKind::General {
                    run.quorum(&m, &tag).await?;
                }
                if before <= 60 {
                    run.code(&m, &tag).await?;
                }
            } else if p.step == Step::After {
                for a in meetings::attendees(run.conn, m.id).await? {
                    if a.rsvp == Rsvp::Leave || a.signed_in {
                        continue;
                    }
                    run.tell(a.member_id, msg!("meeting-absent"), &m, &tag, &[])
                        .await?;
                    // Three unexcused absences in a row are the secretary's to follow up.
                    if meetings::unexcused_streak(run.conn, a.member_id, ctx.now, 3).await? >= 3 {
                        let tag = format!("{tag}:streak:{}", a.member_id);
                        for s in
                            crate::meetings::service::secretaries(run.conn, m.branch_id).await?
                        {
                            run.tell(
                                s.id,
                                msg!("meeting-absent-streak"),
                                &m,
                                &tag,
                                &[("name", a.name.clone())],
                            )
                            .await?;
                        }
                    }
                }
            } else if p.step == Step::Minutes && !meetings::has_minutes(run.conn, m.id).await? {
                for s in crate::meetings::service::secretaries(run.conn, m.branch_id).await? {
                    run.tell(s.id, msg!("meeting-minutes-due"), &m, &tag, &[])
                        .await?;
                }
            }
            Ok(Ran {
                note: Some(format!("{}: {} messages", p.step, run.sent)),
                wake: run.wake,
            })
        })
    }
}

struct Run<'a> {
    ctx: &'a JobContext,
    conn: &'a mut Conn,
    wake: Vec<crate::chat::ChannelKind>,
    sent: usize,
}

impl Run<'_> {
    async fn push(
        &mut self,
        member_id: i64,
        reply: impl Fn(&crate::domain::org::Member, bool) -> Reply,
        key: String,
        urgent: bool,
        expires_at: Option<i64>,
    ) -> Result<(), JobError> {
        let Some(member) = members::by_id(self.conn, member_id).await? else {
            return Ok(());
        };
        let to = route::route(self.conn, &member, self.ctx.sms_connected).await?;
        let reply = reply(&member, matches!(to, Route::Sms { .. }));
        let push = Push {
            dedupe_key: key,
            urgent,
            not_before: self.ctx.now,
            expires_at,
        };
        if job::push(self.conn, self.ctx, &member, &reply, &push, &mut self.wake).await? {
            self.sent += 1;
        }
        Ok(())
    }

    async fn remind(
        &mut self,
        member_id: i64,
        m: &meetings::Meeting,
        tag: &str,
        urgent: bool,
    ) -> Result<(), JobError> {
        let tz = self.ctx.tz;
        self.push(
            member_id,
            |member, sms| {
                if sms {
                    crate::meetings::text::reminder_sms(catalog(), member.locale, tz, m)
                } else {
                    crate::meetings::text::reminder(catalog(), member.locale, tz, m)
                }
            },
            format!("{tag}:{member_id}"),
            urgent,
            Some(m.starts_at),
        )
        .await
    }

    /// A message about the meeting with its kind, time and an optional number.
    async fn tell(
        &mut self,
        member_id: i64,
        id: crate::i18n::Msg,
        m: &meetings::Meeting,
        tag: &str,
        extra: &[(&str, String)],
    ) -> Result<(), JobError> {
        let tz = self.ctx.tz;
        self.push(
            member_id,
            |member, _| {
                let c = catalog();
                let mut args = vec![
                    ("branch", m.branch_name.as_str().into()),
                    (
                        "kind",
                        crate::meetings::text::kind_text(c, member.locale, m.kind).into(),
                    ),
                    (
                        "when",
                        crate::chat::dates::when_text(c, member.locale, tz, m.starts_at).into(),
                    ),
                    ("id", m.id.into()),
                ];
                for (name, value) in extra {
                    args.push((name, value.as_str().into()));
                }
                Reply::text(c.render(member.locale, id, &args))
            },
            format!("{tag}:{member_id}"),
            false,
            None,
        )
        .await
    }

    /// Warns the secretary when the members with a vote who are not on leave are not more
    /// than half of those with a vote.
    async fn quorum(&mut self, m: &meetings::Meeting, tag: &str) -> Result<(), JobError> {
        let (mut voting, mut expected) = (0u32, 0u32);
        for a in meetings::attendees(self.conn, m.id).await? {
            let Some(member) = members::by_id(self.conn, a.member_id).await? else {
                continue;
            };
            if member.active && member.role.has_vote() {
                voting += 1;
                if a.rsvp != Rsvp::Leave {
                    expected += 1;
                }
            }
        }
        if has_quorum(expected, voting) {
            return Ok(());
        }
        let figures = format!("{expected}/{voting}");
        for s in crate::meetings::service::secretaries(self.conn, m.branch_id).await? {
            let tag = format!("{tag}:quorum");
            self.tell(
                s.id,
                msg!("meeting-quorum-warning"),
                m,
                &tag,
                &[("figures", figures.clone())],
            )
            .await?;
        }
        Ok(())
    }

    /// Gives the secretary the sign-in code an hour before.
    async fn code(&mut self, m: &meetings::Meeting, tag: &str) -> Result<(), JobError> {
        let code = m.signin_code.clone().unwrap_or_default();
        let opens = self.ctx.meetings.signin_opens_minutes.to_string();
        // Without a static code, the secretary is told how to open the rotating one.
        let id = if m.signin_code.is_some() {
            msg!("meeting-signin-code")
        } else {
            msg!("meeting-signin-code-rotating")
        };
        for s in crate::meetings::service::secretaries(self.conn, m.branch_id).await? {
            let tag = format!("{tag}:code");
            self.tell(
                s.id,
                id,
                m,
                &tag,
                &[("code", code.clone()), ("opens", opens.clone())],
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Payloads exactly as `meetings::commit` has stored them since the kind shipped.
    #[test]
    fn payloads_already_stored_read_as_the_same_steps_and_write_back_unchanged() {
        for (stored, step) in [
            (
                r#"{"meeting_id":42,"step":"remind:1440"}"#,
                Step::Remind { minutes: 1440 },
            ),
            (
                r#"{"meeting_id":42,"step":"remind:30"}"#,
                Step::Remind { minutes: 30 },
            ),
            (r#"{"meeting_id":42,"step":"after"}"#, Step::After),
            (r#"{"meeting_id":42,"step":"minutes"}"#, Step::Minutes),
        ] {
            let read: Payload = serde_json::from_str(stored).unwrap();
            assert_eq!(
                read,
                Payload {
                    meeting_id: 42,
                    step
                }
            );
            assert_eq!(serde_json::to_string(&read).unwrap(), stored);
        }
    }

    /// A bad number used to read as "remind 0 minutes before", an urgent reminder.
    #[test]
    fn an_unknown_step_is_refused_instead_of_becoming_an_urgent_reminder() {
        for stored in [
            r#"{"meeting_id":1,"step":"remind:soon"}"#,
            r#"{"meeting_id":1,"step":"remind:"}"#,
            r#"{"meeting_id":1,"step":"later"}"#,
        ] {
            let err = MeetingReminder.check(stored).unwrap_err();
            assert!(err.contains("unknown meeting step"), "{stored}: {err}");
        }
    }

    #[test]
    fn a_payload_that_does_not_read_names_the_job_row() {
        let job = JobRow {
            id: 7,
            kind: KIND.into(),
            payload: r#"{"meeting_id":1,"step":"later"}"#.into(),
            dedupe_key: "meeting:1:later".into(),
            timing: crate::store::jobs::Timing::Once,
            due_at: 0,
            next_run_at: 0,
            grace_ms: 0,
            status: "running".into(),
            attempts: 1,
            lease_token: None,
            last_run_at: None,
            last_outcome: None,
            last_note: None,
            last_error: None,
            runs: 0,
            misses: 0,
        };
        let err = payload::<Payload>(&job).unwrap_err();
        assert!(err.is_permanent());
        assert!(err.to_string().contains("job 7 (meeting)"), "{err}");
    }
}
