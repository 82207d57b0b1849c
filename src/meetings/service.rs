//! The meetings' service: what the chat, the command line, the jobs and the tests call to
//! create meetings ([`create`]: attendees → the row → its scheduled jobs → the sign-in code's
//! policy → the audit row, written once), who attends by default, who is told as the branch's
//! secretaries, and the audit row of something recorded for one member.

use chrono::{DateTime, TimeDelta, Utc};

use chrono_tz::Tz;

use crate::domain::meetings::{MeetingKind, MeetingRules};
use crate::domain::org::{Member, Role};
use crate::meetings::rules::Attendees;
use crate::meetings::store::{self as store, NewMeeting};
use crate::scheduler::{plan, JobSpec, Registry, ScheduleError, When};
use crate::store::audit::{self, Action, Actor};
use crate::store::{members, Conn, StoreError};

use super::text::audit_detail;

/// A meeting's leave and absence lines as its minutes show them; spot checks list them too.
pub use super::text::{absent_entry, leave_entry};

/// What other features read of a meeting (a spot check of its attendance): the row, who was
/// asked and how each answered.
pub use super::store::{attendees, get, Attendee, Meeting, Rsvp};

/// Who creates a meeting, and what the creation needs of the organisation's settings.
pub struct Creator<'a> {
    /// The job kinds the meeting's reminders are scheduled as.
    pub registry: &'a Registry,
    /// `[meetings]`: the reminders' times and the sign-in code's policy.
    pub rules: &'a MeetingRules,
    /// The organisation's zone, for the audit row's time.
    pub tz: Tz,
    pub now: DateTime<Utc>,
    /// Who the audit row names: a secretary in chat, or the operator at the command line.
    pub actor: Actor,
}

/// Who a new meeting expects.
#[derive(Debug, Clone)]
pub enum Invited<'a> {
    /// The kind's default attendees ([`default_attendees`]); a 党小组会's are the party group
    /// of the member given (the creator), or the whole branch's without one.
    Default(Option<&'a Member>),
    /// These members (a chosen party group's).
    Listed(Vec<i64>),
}

/// Creates a meeting, the one sequence the chat (`/meeting`), the command line (`meeting
/// create`) and the tests go through: its attendees are settled, the meeting is stored with
/// its reminders, the after-meeting check and the minutes reminder on the schedule ([`commit`]),
/// `[meetings] static_signin_code` is applied, and the audit log records it, all on `conn`.
/// Returns the meeting as stored.
pub async fn create(
    conn: &mut Conn,
    by: &Creator<'_>,
    mut new: NewMeeting,
    invited: Invited<'_>,
) -> Result<Meeting, ScheduleError> {
    new.attendees = invited.ids(conn, new.branch_id, new.kind).await?;
    let id = commit(
        conn,
        by.registry,
        &by.rules.remind_before_minutes,
        by.now,
        new,
    )
    .await?;
    apply_code_policy(conn, by.rules, &[id]).await?;
    let m = store::get(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("meeting {id} vanished as it was made")))?;
    let detail = audit_detail(&m.branch_name, m.kind, m.starts_at, by.tz);
    audit::record(
        conn,
        by.now.timestamp_millis(),
        &by.actor,
        Action::MeetingCreated,
        &format!("meeting:{id}"),
        &detail,
    )
    .await?;
    Ok(m)
}

impl Invited<'_> {
    /// The members' ids.
    async fn ids(
        self,
        conn: &mut Conn,
        branch_id: i64,
        kind: MeetingKind,
    ) -> Result<Vec<i64>, StoreError> {
        Ok(match self {
            Invited::Default(group_of) => default_attendees(conn, branch_id, kind, group_of)
                .await?
                .iter()
                .map(|m| m.id)
                .collect(),
            Invited::Listed(ids) => ids,
        })
    }
}

/// A recurring series (`/meeting_series`, `meeting series`): one meeting of `template` at each
/// of `times`, each `length_ms` long, made as [`create`] makes one (attendees, rows and their
/// jobs, the sign-in code's policy), with one audit row for the whole series
/// (`meeting:<first>..<last>`, "`branch` · kind · first time × count"). Returns the new ids.
#[allow(clippy::too_many_arguments)]
pub async fn create_series(
    conn: &mut Conn,
    by: &Creator<'_>,
    branch_name: &str,
    mut template: NewMeeting,
    invited: Invited<'_>,
    length_ms: i64,
    times: &[DateTime<Utc>],
) -> Result<Vec<i64>, ScheduleError> {
    template.attendees = invited.ids(conn, template.branch_id, template.kind).await?;
    let ids = commit_series(
        conn,
        by.registry,
        &by.rules.remind_before_minutes,
        by.now,
        &template,
        length_ms,
        times,
    )
    .await?;
    apply_code_policy(conn, by.rules, &ids).await?;
    let first_at = times.first().map(|t| t.timestamp_millis());
    let detail = format!(
        "{} × {}",
        audit_detail(
            branch_name,
            template.kind,
            first_at.unwrap_or_default(),
            by.tz
        ),
        ids.len()
    );
    let (first, last) = (
        ids.first().copied().unwrap_or_default(),
        ids.last().copied().unwrap_or_default(),
    );
    audit::record(
        conn,
        by.now.timestamp_millis(),
        &by.actor,
        Action::MeetingCreated,
        &format!("meeting:{first}..{last}"),
        &detail,
    )
    .await?;
    Ok(ids)
}

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

/// Writes the audit row of something recorded for one `member` at meeting `m` (代请假, 补学):
/// by a secretary in chat (`by`, through `via`) or by the operator at the command line (`None`),
/// the detail naming the meeting, the member and `what` was written.
#[allow(clippy::too_many_arguments)]
pub async fn audit_for_member(
    conn: &mut crate::store::Conn,
    told: &Told<'_>,
    by: Option<&crate::domain::org::Member>,
    via: &'static str,
    action: Action,
    m: &crate::meetings::store::Meeting,
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
        .filter(|m| match crate::meetings::rules::default_attendees(kind) {
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
    use super::jobs::Step;
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
        let payload = super::jobs::Payload {
            meeting_id: id,
            step,
        };
        let spec = JobSpec {
            kind: super::jobs::KIND.into(),
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

/// Tells a meeting's attendees that it was cancelled or moved (the chat and the CLI).
pub struct Told<'a> {
    pub catalog: &'a crate::i18n::Catalog,
    pub tz: chrono_tz::Tz,
    pub sms_connected: bool,
    pub now_ms: i64,
}

impl Told<'_> {
    /// Pushes the notice to every attendee but `except`; returns how many were reached.
    pub async fn attendees(
        &self,
        conn: &mut Conn,
        m: &Meeting,
        what: &str,
        new_start: Option<i64>,
        except: Option<i64>,
    ) -> Result<usize, StoreError> {
        let mut reached = 0;
        for a in store::attendees(conn, m.id).await? {
            if Some(a.member_id) == except {
                continue;
            }
            let Some(target) = members::by_id(conn, a.member_id).await? else {
                continue;
            };
            let (c, l) = (self.catalog, target.locale);
            let kind = super::text::kind_text(c, l, m.kind);
            let old = crate::chat::dates::when_text_from(c, l, self.tz, m.starts_at, self.now_ms);
            let text = match new_start {
                None => c.render(
                    l,
                    crate::msg!("meeting-cancelled-notice"),
                    &[
                        ("branch", m.branch_name.as_str().into()),
                        ("kind", kind.into()),
                        ("when", old.into()),
                    ],
                ),
                Some(at) => c.render(
                    l,
                    crate::msg!("meeting-moved-notice"),
                    &[
                        ("branch", m.branch_name.as_str().into()),
                        ("kind", kind.into()),
                        ("old", old.into()),
                        (
                            "when",
                            crate::chat::dates::when_text_from(c, l, self.tz, at, self.now_ms)
                                .into(),
                        ),
                        ("place", m.place.as_str().into()),
                    ],
                ),
            };
            let push = crate::delivery::route::Push {
                dedupe_key: format!("meeting:{}:{what}:{}:{}", m.id, self.now_ms, target.id),
                urgent: false,
                not_before: self.now_ms,
                expires_at: Some(new_start.unwrap_or(m.starts_at)),
            };
            let route = crate::delivery::route::push(
                conn,
                c,
                &target,
                &crate::chat::Reply::text(text),
                &push,
                self.sms_connected,
                self.now_ms,
            )
            .await?;
            if route.channel().is_some() {
                reached += 1;
            }
        }
        Ok(reached)
    }
}
