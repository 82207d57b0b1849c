//! What chat, the command line, the check-in job and the reports call: who may log an
//! activity, publish a plan or write a 领导点评; logging with its audit row and the pushes that
//! ask each participant to confirm; answers; members' confirmed counts; the plans published
//! and missing; the comments, pushed to the branch. Everything runs in the caller's
//! transaction.

use chrono::{DateTime, NaiveDate, Utc};

/// A campaign phase's line of service activities (the campaign's summary shows it) and the
/// push that asks the branch's leaders for their 领导点评 (the pledge assessment sends it).
pub use super::chat::phase_activity_line;
pub use super::jobs::prompt_comments;

use super::rules::{self, TextError};
use super::store::{self, Activity, Comment};
use crate::chat::{Choice, Reply};
use crate::delivery::route::Push;
use crate::domain::campaign::Campaign;
use crate::domain::org::{Member, Role};
use crate::flows::engine::Engine;
use crate::i18n::{Catalog, Locale, Msg};
use crate::msg;
use crate::store::audit::{self, Action, Actor};
use crate::store::{members, Conn, StoreError};

/// Who is asking: a member in chat, or the operator at the command line (who answers for the
/// college committee).
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    Member(&'a Member),
    Operator,
}

impl Viewer<'_> {
    fn member_id(&self) -> Option<i64> {
        match self {
            Self::Member(m) => Some(m.id),
            Self::Operator => None,
        }
    }

    fn college(&self) -> bool {
        match self {
            Self::Member(m) => m.college,
            Self::Operator => true,
        }
    }
}

/// Why a request was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Only party members of the branch (and the committee) log its activities.
    NotAllowedToLog,
    /// Only the branch's secretary and committee (or the college committee) publish its plan.
    NotAllowedToPublish,
    /// Only the college committee writes 领导点评.
    NotAllowedToComment,
    /// A participant from another branch, or no longer on the roster.
    NotInBranch(Member),
    /// Nobody named.
    NoParticipants,
    /// More participants than one activity takes.
    TooManyParticipants,
    /// A text out of its limits; the message names which text.
    Text(Msg, TextError),
    /// No campaign is loaded.
    NoCampaign,
    /// The campaign has no phase by that number (from 1).
    NoSuchPhase(i64, usize),
    /// The phase has not started.
    PhaseNotStarted(i64),
    /// The member commented on is not in the branch.
    AboutNotInBranch(Member),
}

/// The campaign plans and comments are about: the one loaded last.
pub async fn campaign(conn: &mut Conn, tz: chrono_tz::Tz) -> Result<Option<Campaign>, StoreError> {
    Ok(crate::store::campaigns::loaded(conn, tz)
        .await?
        .into_iter()
        .next())
}

/// The phase a comment written now is for: the last one that ended (comments are written at
/// a phase's end), else the one running.
pub fn comment_phase(c: &Campaign, now: DateTime<Utc>) -> Option<usize> {
    c.phases
        .iter()
        .rposition(|p| p.end <= now)
        .or_else(|| c.current(now).map(|(i, _)| i))
}

/// Whether the viewer may log an activity of `branch_id`.
pub fn may_log(viewer: Viewer<'_>, branch_id: i64) -> bool {
    match viewer {
        Viewer::Operator => true,
        Viewer::Member(m) => {
            m.college || (m.branch_id == Some(branch_id) && m.role.is_party_member())
        }
    }
}

/// What logging an activity needs.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub branch_id: i64,
    pub kind: String,
    pub held_on: NaiveDate,
    pub place: String,
    pub body: String,
    pub participants: Vec<Member>,
}

/// Logs an activity (audited) and asks each participant but the one who logged it to
/// confirm. Returns the activity's id and how many were asked.
pub async fn log_activity(
    conn: &mut Conn,
    e: &Engine,
    viewer: Viewer<'_>,
    actor: &Actor,
    new: &NewActivity,
    now_ms: i64,
) -> Result<Result<(i64, usize), Denied>, StoreError> {
    if !may_log(viewer, new.branch_id) {
        return Ok(Err(Denied::NotAllowedToLog));
    }
    let mut people: Vec<&Member> = Vec::with_capacity(new.participants.len());
    for m in &new.participants {
        if !people.iter().any(|p| p.id == m.id) {
            people.push(m);
        }
    }
    if people.is_empty() {
        return Ok(Err(Denied::NoParticipants));
    }
    if people.len() > rules::MAX_PARTICIPANTS {
        return Ok(Err(Denied::TooManyParticipants));
    }
    if let Some(m) = people
        .iter()
        .find(|m| !m.active || m.branch_id != Some(new.branch_id))
    {
        return Ok(Err(Denied::NotInBranch((*m).clone())));
    }
    let place = match rules::text_within(&new.place, 1, rules::MAX_PLACE_CHARS) {
        Ok(t) => t,
        Err(err) => return Ok(Err(Denied::Text(msg!("records-what-place"), err))),
    };
    let body = match rules::text_within(&new.body, 1, rules::MAX_DESCRIPTION_CHARS) {
        Ok(t) => t,
        Err(err) => return Ok(Err(Denied::Text(msg!("records-what-description"), err))),
    };
    let day = new.held_on.format("%Y-%m-%d").to_string();
    let id = store::add_activity(
        conn,
        new.branch_id,
        &new.kind,
        &day,
        &place,
        &body,
        viewer.member_id(),
        now_ms,
    )
    .await?;
    let mut asked = 0;
    for p in &people {
        let own = viewer.member_id() == Some(p.id);
        store::add_participant(conn, id, p.id, own.then_some(now_ms)).await?;
        if own {
            continue;
        }
        let by = match viewer {
            Viewer::Member(m) => m.name.clone(),
            Viewer::Operator => e.catalog.text(p.locale, msg!("records-by-committee")),
        };
        let reply = ask_reply(&e.catalog, p.locale, id, new, &place, &by);
        notify(
            conn,
            e,
            p,
            &reply,
            format!("activity:{id}:ask:{}", p.id),
            now_ms,
        )
        .await?;
        asked += 1;
    }
    let keys: Vec<&str> = people.iter().map(|m| m.key.as_str()).collect();
    audit::record(
        conn,
        now_ms,
        actor,
        Action::ActivityLogged,
        &format!("activity:{id}"),
        &format!("{} {day} {}", new.kind, keys.join(",")),
    )
    .await?;
    Ok(Ok((id, asked)))
}

/// The push asking a participant to confirm.
fn ask_reply(
    catalog: &Catalog,
    locale: Locale,
    id: i64,
    new: &NewActivity,
    place: &str,
    by: &str,
) -> Reply {
    let text = catalog.render(
        locale,
        msg!("records-activity-ask"),
        &[
            ("who", by.into()),
            ("kind", rules::kind_name(catalog, locale, &new.kind).into()),
            ("day", new.held_on.format("%Y-%m-%d").to_string().into()),
            ("place", place.into()),
            ("description", new.body.trim().into()),
        ],
    );
    let choice = |data: String, m: Msg| Choice {
        data,
        label: catalog.text(locale, m),
        aliases: Locale::ALL.iter().map(|l| catalog.text(*l, m)).collect(),
    };
    Reply::with_choices(
        text,
        vec![
            choice(format!("rec:yes:{id}"), msg!("records-button-confirm")),
            choice(format!("rec:no:{id}"), msg!("records-button-not-me")),
        ],
    )
}

/// Queues a push to `member` in the caller's transaction.
pub async fn notify(
    conn: &mut Conn,
    e: &Engine,
    member: &Member,
    reply: &Reply,
    key: String,
    now_ms: i64,
) -> Result<(), StoreError> {
    let push = Push {
        dedupe_key: key,
        urgent: false,
        not_before: now_ms,
        expires_at: None,
    };
    crate::delivery::route::push(
        conn,
        &e.catalog,
        member,
        reply,
        &push,
        e.sms_connected,
        now_ms,
    )
    .await?;
    Ok(())
}

/// How a participant's answer went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answered {
    Confirmed(Activity),
    Declined(Activity),
    /// Not named on it (or it is gone).
    NotNamed,
}

/// A participant answers 确认参加 (`yes`) or 不是我; audited.
pub async fn answer(
    conn: &mut Conn,
    member: &Member,
    actor: &Actor,
    activity_id: i64,
    yes: bool,
    now_ms: i64,
) -> Result<Answered, StoreError> {
    let Some(a) = store::activity_by_id(conn, activity_id).await? else {
        return Ok(Answered::NotNamed);
    };
    if !store::answer(conn, activity_id, member.id, yes, now_ms).await? {
        return Ok(Answered::NotNamed);
    }
    audit::record(
        conn,
        now_ms,
        actor,
        Action::ActivityAnswered,
        &format!("activity:{activity_id}"),
        if yes { "confirmed" } else { "declined" },
    )
    .await?;
    Ok(if yes {
        Answered::Confirmed(a)
    } else {
        Answered::Declined(a)
    })
}

/// The line a member's pledge check-in carries: their confirmed activities, per kind. None
/// when they have none (the check-in stays as short as it was).
pub async fn checkin_line(
    conn: &mut Conn,
    catalog: &Catalog,
    member: &Member,
) -> Result<Option<String>, StoreError> {
    let kinds = store::confirmed_kinds(conn, member.id, "0000", "9999").await?;
    let total: i64 = kinds.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return Ok(None);
    }
    let l = member.locale;
    let parts: Vec<String> = kinds
        .iter()
        .map(|(k, n)| {
            catalog.render(
                l,
                msg!("records-count-kind"),
                &[
                    ("kind", rules::kind_name(catalog, l, k).into()),
                    ("count", (*n).into()),
                ],
            )
        })
        .collect();
    Ok(Some(
        catalog.render(
            l,
            msg!("records-checkin-line"),
            &[
                ("count", total.into()),
                (
                    "kinds",
                    parts
                        .join(&catalog.text(l, msg!("cli-list-separator")))
                        .into(),
                ),
            ],
        ),
    ))
}

/// Whether the viewer may publish `branch_id`'s plan.
pub fn may_publish(viewer: Viewer<'_>, branch_id: i64) -> bool {
    match viewer {
        Viewer::Operator => true,
        Viewer::Member(m) => m.manages_branch(branch_id),
    }
}

/// Publishes (or replaces) a branch's plan for the current campaign; audited. True when it is
/// the branch's first.
pub async fn publish_plan(
    conn: &mut Conn,
    tz: chrono_tz::Tz,
    viewer: Viewer<'_>,
    actor: &Actor,
    branch: (i64, &str),
    text: &str,
    now_ms: i64,
) -> Result<Result<bool, Denied>, StoreError> {
    if !may_publish(viewer, branch.0) {
        return Ok(Err(Denied::NotAllowedToPublish));
    }
    let body = match rules::text_within(text, rules::MIN_PLAN_CHARS, rules::MAX_PLAN_CHARS) {
        Ok(t) => t,
        Err(err) => return Ok(Err(Denied::Text(msg!("records-what-plan"), err))),
    };
    let c = campaign(conn, tz)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let first = store::publish_plan(conn, &c, branch.0, &body, viewer.member_id(), now_ms).await?;
    audit::record(
        conn,
        now_ms,
        actor,
        Action::PlanPublished,
        &format!("branch:{}", branch.1),
        &format!(
            "{} {} chars",
            if first { "published" } else { "replaced" },
            body.chars().count()
        ),
    )
    .await?;
    Ok(Ok(first))
}

/// Every branch with whether its plan is published for the current campaign: `(id, name,
/// published)`, by name.
pub async fn plan_states(
    conn: &mut Conn,
    tz: chrono_tz::Tz,
) -> Result<Vec<(i64, String, bool)>, StoreError> {
    let c = campaign(conn, tz)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let planned = store::planned(conn, &c).await?;
    Ok(members::branches(conn)
        .await?
        .into_iter()
        .map(|(id, name, _)| (id, name, planned.contains(&id)))
        .collect())
}

/// A branch's published plan for the current campaign: `(body, publisher, published_at)`.
pub async fn plan_of(
    conn: &mut Conn,
    tz: chrono_tz::Tz,
    branch_id: i64,
) -> Result<Option<(String, Option<String>, i64)>, StoreError> {
    let c = campaign(conn, tz)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    store::plan(conn, &c, branch_id).await
}

/// What writing a comment needs.
#[derive(Debug, Clone)]
pub struct NewComment<'a> {
    /// The phase's index, from 0.
    pub phase: usize,
    pub branch: (i64, &'a str),
    /// A member of the branch, when the comment is about one.
    pub about: Option<&'a Member>,
    pub text: &'a str,
}

/// Writes (or replaces) a 领导点评 (audited) and pushes it: a branch's comment to its party
/// members, a member's to that member and the branch's secretaries. Returns whether it is new
/// and how many were told.
pub async fn write_comment(
    conn: &mut Conn,
    e: &Engine,
    viewer: Viewer<'_>,
    actor: &Actor,
    c: &Campaign,
    new: &NewComment<'_>,
    now_ms: i64,
) -> Result<Result<(bool, usize), Denied>, StoreError> {
    if !viewer.college() {
        return Ok(Err(Denied::NotAllowedToComment));
    }
    let Some(phase) = c.phases.get(new.phase) else {
        return Ok(Err(Denied::NoSuchPhase(
            new.phase as i64 + 1,
            c.phases.len(),
        )));
    };
    let now = DateTime::from_timestamp_millis(now_ms).unwrap_or_default();
    if phase.start > now {
        return Ok(Err(Denied::PhaseNotStarted(new.phase as i64 + 1)));
    }
    if let Some(m) = new.about {
        if m.branch_id != Some(new.branch.0) || !m.active {
            return Ok(Err(Denied::AboutNotInBranch(m.clone())));
        }
    }
    let body = match rules::text_within(new.text, 1, rules::MAX_COMMENT_CHARS) {
        Ok(t) => t,
        Err(err) => return Ok(Err(Denied::Text(msg!("records-what-comment"), err))),
    };
    let about_id = new.about.map_or(0, |m| m.id);
    let fresh = store::put_comment(
        conn,
        &c.name,
        new.phase as i64,
        new.branch.0,
        about_id,
        &body,
        viewer.member_id(),
        now_ms,
    )
    .await?;
    let told: Vec<Member> = members::list(conn, Some(new.branch.0))
        .await?
        .into_iter()
        .filter(|m| match new.about {
            Some(a) => m.id == a.id || m.role == Role::Secretary,
            None => m.role.is_party_member(),
        })
        .collect();
    for m in &told {
        let l = m.locale;
        let id = match new.about {
            Some(_) => msg!("records-comment-push-member"),
            None => msg!("records-comment-push"),
        };
        let text = e.catalog.render(
            l,
            id,
            &[
                ("campaign", c.name.as_str().into()),
                ("title", phase.title.get(l).into()),
                ("branch", new.branch.1.into()),
                (
                    "who",
                    new.about.map(|a| a.name.clone()).unwrap_or_default().into(),
                ),
                ("text", body.as_str().into()),
            ],
        );
        let key = format!(
            "comment:{}:{}:{}:{about_id}:{now_ms}:{}",
            c.name, new.phase, new.branch.0, m.id
        );
        notify(conn, e, m, &Reply::text(text), key, now_ms).await?;
    }
    let about = new
        .about
        .map_or_else(String::new, |m| format!(" member:{}", m.key));
    audit::record(
        conn,
        now_ms,
        actor,
        Action::CommentWritten,
        &format!("branch:{}{about}", new.branch.1),
        &format!("{} phase {}", c.name, new.phase + 1),
    )
    .await?;
    Ok(Ok((fresh, told.len())))
}

/// The comments a member may read: their branch's, and those about themselves (a branch's
/// managers read every comment about its members). The committee reads every branch's.
pub async fn comments_for(
    conn: &mut Conn,
    c: &Campaign,
    reader: &Member,
    branch_id: Option<i64>,
) -> Result<Vec<Comment>, StoreError> {
    let all = store::comments(conn, &c.name, branch_id).await?;
    Ok(all
        .into_iter()
        .filter(|k| {
            reader.college
                || (reader.branch_id == Some(k.branch_id)
                    && (k.about.is_none()
                        || reader.manages_branch(k.branch_id)
                        || k.about.as_ref().is_some_and(|(_, key)| *key == reader.key)))
        })
        .collect())
}
