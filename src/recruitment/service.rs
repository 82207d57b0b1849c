//! What chat, the command line, reminders and reports call: who may see or change whose
//! record, recording a step or a paper received (checked against the rules and the
//! organisation's calendar, written with its audit row in the caller's transaction, the roster
//! role following the stage), and the views.

use chrono::NaiveDate;

use super::rules::{
    self, Clock, Detail, Document, Due, Facts, Policy, Recorded, Refusal, Stage, StepKind, Window,
};
use super::store::{self, NewStep, PaperRow, Recruit, StepRow};
use crate::domain::calendar::Calendar;
use crate::domain::org::{Member, Role};
use crate::store::audit::{self, Action, Actor};
use crate::store::{members, Conn, StoreError};

/// Who is asking: a member in chat, or the operator at the command line (who answers for
/// the college committee).
#[derive(Debug, Clone, Copy)]
pub enum Viewer<'a> {
    Member(&'a Member),
    Operator,
}

impl Viewer<'_> {
    /// The branch committee of `branch_id`, or the college committee: may read personal data
    /// (opinions, reasons for delays) and record steps.
    pub fn runs(&self, branch_id: Option<i64>) -> bool {
        match self {
            Self::Operator => true,
            Self::Member(m) => m.college || branch_id.is_some_and(|b| m.manages_branch(b)),
        }
    }

    fn member_id(&self) -> Option<i64> {
        match self {
            Self::Member(m) => Some(m.id),
            Self::Operator => None,
        }
    }
}

/// How far a viewer sees one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sight {
    /// Everything, notes included.
    Full,
    /// The stage, the steps' dates and the clocks: the person themselves and their contacts.
    Progress,
}

/// One person's record as a viewer may see it.
#[derive(Debug, Clone)]
pub struct View {
    pub recruit: Recruit,
    pub facts: Facts,
    pub stage: Stage,
    pub clocks: Vec<Due>,
    /// Notes are emptied unless the sight is [`Sight::Full`].
    pub steps: Vec<StepRow>,
    /// The papers on file (notes emptied unless the sight is [`Sight::Full`]).
    pub papers: Vec<PaperRow>,
    /// The 公示 of the current stage, in the organisation's working days, until the branch
    /// meeting has voted on it.
    pub publicity: Option<Window>,
    pub sight: Sight,
}

impl View {
    /// The clocks overdue on `today`.
    pub fn overdue(&self, today: NaiveDate) -> Vec<Due> {
        self.clocks
            .iter()
            .copied()
            .filter(|d| rules::is_deadline(d.what) && d.by < today)
            .collect()
    }
}

/// Why a request was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Not theirs to see or change.
    NotAllowed,
    /// Nobody on the roster by that key.
    UnknownMember(String),
    /// The member is not in the pipeline (no application recorded).
    NotInPipeline(String),
    /// The contact named is not on the roster.
    UnknownContact(String),
    /// A date after today.
    FutureDate(NaiveDate),
    /// The rules refuse the step.
    Refused(Refusal),
}

/// What recording a step did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    pub before: Stage,
    pub after: Stage,
}

/// What a caller asks to record.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The person's roster key.
    pub key: &'a str,
    pub kind: StepKind,
    pub on: NaiveDate,
    /// A contact's roster key (for [`StepKind::Contact`]).
    pub contact: Option<&'a str>,
    pub hours: Option<u32>,
    pub tally: Option<rules::Tally>,
    pub note: &'a str,
}

/// Records a step for a person, checked, audited and with its role change, in the caller's
/// transaction. `today` is in the organisation's zone.
pub async fn record(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    actor: &Actor,
    req: &Request<'_>,
    policy: &Policy,
    today: NaiveDate,
    now_ms: i64,
) -> Result<Result<Moved, Denied>, StoreError> {
    let Some(person) = members::find(conn, req.key).await? else {
        return Ok(Err(Denied::UnknownMember(req.key.to_owned())));
    };
    // Only the branch committee and the college committee change records; a contact may
    // record the receipt of a 思想汇报 from the person they sponsor.
    let contact_of = match viewer {
        Viewer::Member(m) => is_contact(conn, m.id, person.id).await?,
        Viewer::Operator => false,
    };
    let may = viewer.runs(person.branch_id) || (contact_of && req.kind == StepKind::Report);
    if !may {
        return Ok(Err(Denied::NotAllowed));
    }
    if req.on > today {
        return Ok(Err(Denied::FutureDate(req.on)));
    }
    let existing = store::by_member(conn, person.id).await?;
    if existing.is_none() && req.kind != StepKind::Applied {
        return Ok(Err(Denied::NotInPipeline(person.key)));
    }
    let steps = match &existing {
        Some(r) => store::steps(conn, r.id).await?,
        None => Vec::new(),
    };
    let papers = match &existing {
        Some(r) => store::papers(conn, r.id).await?,
        None => Vec::new(),
    };
    let facts = Facts::from_steps(steps.iter().map(|s| &s.step))
        .with_papers(papers.iter().map(|p| (p.doc, p.on)));
    let detail = match req.kind {
        StepKind::Contact => {
            let Some(key) = req.contact else {
                return Ok(Err(Denied::UnknownContact(String::new())));
            };
            let Some(c) = members::find(conn, key).await? else {
                return Ok(Err(Denied::UnknownContact(key.to_owned())));
            };
            Detail::Contact {
                member_id: c.id,
                full_member: c.role.has_vote(),
            }
        }
        StepKind::Training => Detail::Hours(req.hours.unwrap_or(policy.training_hours)),
        StepKind::Vote => match req.tally {
            Some(t) => Detail::Vote(t),
            None => return Ok(Err(Denied::Refused(Refusal::ImpossibleTally))),
        },
        _ => Detail::None,
    };
    let before = facts.stage();
    let cal = crate::store::calendar::load(conn).await?;
    let after = match rules::check(&facts, req.kind, req.on, &detail, policy, &cal) {
        Ok(s) => s,
        Err(r) => return Ok(Err(Denied::Refused(r))),
    };
    let recruit_id = match existing {
        Some(r) => r.id,
        None => store::enrol(conn, person.id, now_ms).await?,
    };
    let step = Recorded {
        kind: req.kind,
        on: req.on,
        detail,
    };
    store::add_step(
        conn,
        &NewStep {
            recruit_id,
            step: &step,
            note: req.note,
            recorded_by: viewer.member_id(),
            at: now_ms,
        },
    )
    .await?;
    // The step is the receipt of a paper (the application, a 思想汇报, the forms): on file.
    if let Some(doc) = Document::of_step(req.kind) {
        store::add_paper(
            conn,
            recruit_id,
            doc,
            req.on,
            "",
            viewer.member_id(),
            now_ms,
        )
        .await?;
    }
    // The roster follows the stage: never lowers a role (a secretary applying again stays
    // secretary in the roster).
    let role = match after {
        Stage::Activist => Some(Role::Activist),
        Stage::Probationary => Some(Role::Probationary),
        Stage::Full => Some(Role::Member),
        _ => None,
    };
    if let Some(role) = role {
        if person.role > role {
            store::set_role(conn, person.id, role, now_ms).await?;
        }
    }
    let mut detail = format!("{} {}", req.kind.as_str(), req.on.format("%Y-%m-%d"));
    if let Detail::Vote(t) = step.detail {
        detail.push_str(&format!(" {}/{}/{}/{}", t.yes, t.no, t.abstain, t.entitled));
    }
    audit::record(
        conn,
        now_ms,
        actor,
        Action::RecruitmentStep,
        &format!("member:{}", person.key),
        &detail,
    )
    .await?;
    Ok(Ok(Moved { before, after }))
}

/// Records a paper received. A paper that is a step's (the application, a 思想汇报, the
/// 入党志愿书, the 转正申请书) is recorded as that step, with its checks; the others (政审材料,
/// 培训结业证明) are put on file once each, by the branch committee or the college committee.
#[allow(clippy::too_many_arguments)]
pub async fn receive(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    actor: &Actor,
    key: &str,
    doc: Document,
    on: NaiveDate,
    note: &str,
    policy: &Policy,
    today: NaiveDate,
    now_ms: i64,
) -> Result<Result<Moved, Denied>, StoreError> {
    if let Some(kind) = doc.step() {
        let req = Request {
            key,
            kind,
            on,
            contact: None,
            hours: None,
            tally: None,
            note,
        };
        return record(conn, viewer, actor, &req, policy, today, now_ms).await;
    }
    let Some(person) = members::find(conn, key).await? else {
        return Ok(Err(Denied::UnknownMember(key.to_owned())));
    };
    if !viewer.runs(person.branch_id) {
        return Ok(Err(Denied::NotAllowed));
    }
    if on > today {
        return Ok(Err(Denied::FutureDate(on)));
    }
    let Some(recruit) = store::by_member(conn, person.id).await? else {
        return Ok(Err(Denied::NotInPipeline(person.key)));
    };
    let papers = store::papers(conn, recruit.id).await?;
    if papers.iter().any(|p| p.doc == doc) {
        return Ok(Err(Denied::Refused(Refusal::PaperAlready(doc))));
    }
    let stage = Facts::from_steps(
        store::steps(conn, recruit.id)
            .await?
            .iter()
            .map(|s| &s.step),
    )
    .stage();
    store::add_paper(conn, recruit.id, doc, on, note, viewer.member_id(), now_ms).await?;
    audit::record(
        conn,
        now_ms,
        actor,
        Action::RecruitmentStep,
        &format!("member:{}", person.key),
        &format!("paper {} {}", doc.as_str(), on.format("%Y-%m-%d")),
    )
    .await?;
    Ok(Ok(Moved {
        before: stage,
        after: stage,
    }))
}

async fn is_contact(conn: &mut Conn, contact_id: i64, person_id: i64) -> Result<bool, StoreError> {
    Ok(store::sponsored_by(conn, contact_id)
        .await?
        .iter()
        .any(|r| r.member_id == person_id))
}

/// One person's record, as far as the viewer may see it.
pub async fn view(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    key: &str,
    policy: &Policy,
) -> Result<Result<View, Denied>, StoreError> {
    let Some(person) = members::find(conn, key).await? else {
        return Ok(Err(Denied::UnknownMember(key.to_owned())));
    };
    let sight = if viewer.runs(person.branch_id) {
        Sight::Full
    } else {
        match viewer {
            Viewer::Member(m) if m.id == person.id || is_contact(conn, m.id, person.id).await? => {
                Sight::Progress
            }
            _ => return Ok(Err(Denied::NotAllowed)),
        }
    };
    let Some(recruit) = store::by_member(conn, person.id).await? else {
        return Ok(Err(Denied::NotInPipeline(person.key)));
    };
    let cal = crate::store::calendar::load(conn).await?;
    Ok(Ok(build(conn, recruit, sight, policy, &cal).await?))
}

async fn build(
    conn: &mut Conn,
    recruit: Recruit,
    sight: Sight,
    policy: &Policy,
    cal: &Calendar,
) -> Result<View, StoreError> {
    let mut steps = store::steps(conn, recruit.id).await?;
    let mut papers = store::papers(conn, recruit.id).await?;
    if sight != Sight::Full {
        for s in &mut steps {
            s.note.clear();
        }
        for p in &mut papers {
            p.note.clear();
        }
    }
    let facts = Facts::from_steps(steps.iter().map(|s| &s.step))
        .with_papers(papers.iter().map(|p| (p.doc, p.on)));
    let stage = facts.stage();
    let publicity = match (stage, facts.publicity) {
        (Stage::Candidate | Stage::Probationary, Some(start)) if facts.confirm_vote.is_none() => {
            Some(Window::new(cal, start, policy.publicity_working_days))
        }
        _ => None,
    };
    let mut clocks = rules::clocks(&facts, policy);
    if let Some(w) = &publicity {
        clocks.push(Due {
            what: Clock::PublicityEnds,
            by: w.last,
        });
        clocks.sort_by_key(|d| d.by);
    }
    Ok(View {
        stage,
        clocks,
        facts,
        recruit,
        steps,
        papers,
        publicity,
        sight,
    })
}

/// The pipeline a viewer sees: the college committee every branch (or one), a branch
/// committee its branch, a contact the people they sponsor. Denied for anyone else.
pub async fn pipeline(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    branch_id: Option<i64>,
    policy: &Policy,
) -> Result<Result<Vec<View>, Denied>, StoreError> {
    let (recruits, sight) = match viewer {
        Viewer::Operator => (store::list(conn, branch_id).await?, Sight::Full),
        Viewer::Member(m) if m.college => (store::list(conn, branch_id).await?, Sight::Full),
        Viewer::Member(m) if m.is_manager() => (store::list(conn, m.branch_id).await?, Sight::Full),
        Viewer::Member(m) => {
            let sponsored = store::sponsored_by(conn, m.id).await?;
            if sponsored.is_empty() {
                return Ok(Err(Denied::NotAllowed));
            }
            (sponsored, Sight::Progress)
        }
    };
    let cal = crate::store::calendar::load(conn).await?;
    let mut views = Vec::with_capacity(recruits.len());
    for r in recruits {
        views.push(build(conn, r, sight, policy, &cal).await?);
    }
    Ok(Ok(views))
}

/// The clocks of a pipeline falling due from `from` to `until` (inclusive), or overdue
/// before, earliest first: (person, clock).
pub fn due_between(views: &[View], from: NaiveDate, until: NaiveDate) -> Vec<(&View, Due)> {
    let mut due: Vec<(&View, Due)> = views
        .iter()
        .flat_map(|v| v.clocks.iter().map(move |d| (v, *d)))
        .filter(|(_, d)| d.by <= until && (d.by >= from || rules::is_deadline(d.what)))
        .filter(|(_, d)| rules::is_deadline(d.what) || d.by >= from)
        .collect();
    due.sort_by_key(|(v, d)| (d.by, v.recruit.key.clone()));
    due
}
