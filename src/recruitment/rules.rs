//! The rules of 发展党员, pure: the five stages, the steps recorded on the way, what each step
//! needs first, the minimum intervals, the branch vote's majority rule and the clocks that
//! fall due. Everything here works on dates in the organisation's zone and the steps already
//! recorded for one person; nothing reads a clock or a database.
//!
//! The source is the 中国共产党发展党员工作细则 (中共中央办公厅, 2014); articles are cited as
//! 第N条 where a rule comes from one. What colleges set differently is in [`Policy`]
//! (`[recruitment]` in `branchbot.toml`).

use chrono::{Months, NaiveDate};

use crate::domain::calendar::Calendar;

/// The five stages a person passes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// 入党申请人: the written application was received (第6条).
    Applicant,
    /// 入党积极分子 (第8条).
    Activist,
    /// 发展对象 (第12条).
    Candidate,
    /// 预备党员: from the day the branch meeting admitted them (第28条 counts the probation
    /// from that day).
    Probationary,
    /// 正式党员: 转正 approved.
    Full,
}

impl Stage {
    pub const ALL: [Stage; 5] = [
        Self::Applicant,
        Self::Activist,
        Self::Candidate,
        Self::Probationary,
        Self::Full,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Activist => "activist",
            Self::Candidate => "candidate",
            Self::Probationary => "probationary",
            Self::Full => "full",
        }
    }
}

/// A step recorded for a person. Which stage a step belongs to is decided by the stage the
/// person is in when it is recorded (a 公示 or a vote as 发展对象 is for admission, as 预备党员
/// for 转正).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    /// 入党申请书 received (第6条): enters the pipeline.
    Applied,
    /// The branch's talk with the applicant, due within a month (第7条).
    Talk,
    /// Determined 入党积极分子 by the branch committee after 党员推荐 or 群团组织推优 (第8条).
    Activist,
    /// A 培养联系人 assigned: a full member (第9条).
    Contact,
    /// A 思想汇报 handed in (第10条; the interval is [`Policy::report_months`]).
    Report,
    /// The branch's half-yearly 考察 (第11条).
    Review,
    /// Opinions of the party group, the contacts, members and the masses heard (第12条).
    Opinions,
    /// Listed as 发展对象 (第12条): not before a year as an activist.
    Candidate,
    /// 政治审查 concluded (第15–16条).
    Political,
    /// 集中培训 finished: at least three days or 24 学时 (第17条).
    Training,
    /// 支部委员会审查 (第19条).
    CommitteeReview,
    /// The college committee's 预审 passed (第19条).
    PreReview,
    /// The 入党志愿书 filled in (第20条).
    Form,
    /// A 公示 started; it lasts [`Policy::publicity_working_days`] working days.
    Publicity,
    /// A 支部大会 vote with its counted result (第21条 for admission, 第31条 for 转正).
    Vote,
    /// The college committee's talk before approval (第23条).
    CommitteeTalk,
    /// The college committee's approval (第24条: within three months of the branch decision).
    Approval,
    /// 入党宣誓 (第26条).
    Oath,
    /// The written 转正 application (第31条).
    Application,
}

impl StepKind {
    pub const ALL: [StepKind; 19] = [
        Self::Applied,
        Self::Talk,
        Self::Activist,
        Self::Contact,
        Self::Report,
        Self::Review,
        Self::Opinions,
        Self::Candidate,
        Self::Political,
        Self::Training,
        Self::CommitteeReview,
        Self::PreReview,
        Self::Form,
        Self::Publicity,
        Self::Vote,
        Self::CommitteeTalk,
        Self::Approval,
        Self::Oath,
        Self::Application,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Talk => "talk",
            Self::Activist => "activist",
            Self::Contact => "contact",
            Self::Report => "report",
            Self::Review => "review",
            Self::Opinions => "opinions",
            Self::Candidate => "candidate",
            Self::Political => "political",
            Self::Training => "training",
            Self::CommitteeReview => "committee_review",
            Self::PreReview => "prereview",
            Self::Form => "form",
            Self::Publicity => "publicity",
            Self::Vote => "vote",
            Self::CommitteeTalk => "committee_talk",
            Self::Approval => "approval",
            Self::Oath => "oath",
            Self::Application => "application",
        }
    }

    /// Accepts the English name (`committee-review` too) or the Chinese word.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        if let Some(k) = Self::ALL.into_iter().find(|k| k.as_str() == t) {
            return Some(k);
        }
        Some(match t.as_str() {
            "申请" | "入党申请" => Self::Applied,
            "谈话" => Self::Talk,
            "积极分子" | "入党积极分子" => Self::Activist,
            "联系人" | "培养联系人" => Self::Contact,
            "思想汇报" | "汇报" => Self::Report,
            "考察" => Self::Review,
            "意见" | "征求意见" => Self::Opinions,
            "发展对象" => Self::Candidate,
            "政审" => Self::Political,
            "培训" | "集中培训" => Self::Training,
            "支委会审查" | "审查" => Self::CommitteeReview,
            "预审" => Self::PreReview,
            "志愿书" | "入党志愿书" => Self::Form,
            "公示" => Self::Publicity,
            "表决" | "票决" | "支部大会" => Self::Vote,
            "党委谈话" => Self::CommitteeTalk,
            "审批" | "批准" => Self::Approval,
            "宣誓" | "入党宣誓" => Self::Oath,
            "转正申请" => Self::Application,
            _ => return None,
        })
    }
}

pub use crate::config::recruitment::Policy;

/// A paper handed in, kept on the person's checklist with the day it was received. Four of
/// them are what a step is (the step records the paper too): the 入党申请书 ([`StepKind::Applied`],
/// 第6条), each 思想汇报 ([`StepKind::Report`], 第10条), the 入党志愿书 ([`StepKind::Form`],
/// 第20条) and the 转正申请书 ([`StepKind::Application`], 第31条). The 政审材料 (第15–16条) and
/// the 培训结业证明 (第17条) are received on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Document {
    ApplicationLetter,
    Report,
    PoliticalMaterials,
    TrainingCertificate,
    VolunteerForm,
    ConfirmApplication,
}

impl Document {
    pub const ALL: [Document; 6] = [
        Self::ApplicationLetter,
        Self::Report,
        Self::PoliticalMaterials,
        Self::TrainingCertificate,
        Self::VolunteerForm,
        Self::ConfirmApplication,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ApplicationLetter => "application_letter",
            Self::Report => "report",
            Self::PoliticalMaterials => "political_materials",
            Self::TrainingCertificate => "training_certificate",
            Self::VolunteerForm => "volunteer_form",
            Self::ConfirmApplication => "confirm_application",
        }
    }

    /// Accepts the English name or the Chinese word.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        if let Some(d) = Self::ALL.into_iter().find(|d| d.as_str() == t) {
            return Some(d);
        }
        Some(match t.as_str() {
            "入党申请书" | "申请书" => Self::ApplicationLetter,
            "思想汇报" => Self::Report,
            "政审材料" | "政审" => Self::PoliticalMaterials,
            "培训结业证明" | "结业证明" | "结业证书" => Self::TrainingCertificate,
            "入党志愿书" | "志愿书" => Self::VolunteerForm,
            "转正申请书" | "转正申请" => Self::ConfirmApplication,
            _ => return None,
        })
    }

    /// The step that is the receipt of this paper, if one is.
    pub fn step(self) -> Option<StepKind> {
        match self {
            Self::ApplicationLetter => Some(StepKind::Applied),
            Self::Report => Some(StepKind::Report),
            Self::VolunteerForm => Some(StepKind::Form),
            Self::ConfirmApplication => Some(StepKind::Application),
            Self::PoliticalMaterials | Self::TrainingCertificate => None,
        }
    }

    /// The paper a step records, if it records one.
    pub fn of_step(kind: StepKind) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.step() == Some(kind))
    }

    /// Whether one person hands it in more than once (the 思想汇报).
    pub fn repeats(self) -> bool {
        self == Self::Report
    }
}

/// The checklist of a stage: the papers handed in while in it.
pub fn checklist(stage: Stage) -> &'static [Document] {
    match stage {
        Stage::Applicant => &[Document::ApplicationLetter],
        Stage::Activist => &[Document::Report],
        Stage::Candidate => &[
            Document::PoliticalMaterials,
            Document::TrainingCertificate,
            Document::VolunteerForm,
        ],
        Stage::Probationary => &[Document::Report, Document::ConfirmApplication],
        Stage::Full => &[],
    }
}

/// The papers a step needs on file first, for a person in `stage`: the 入党申请书 to become an
/// activist (第6–8条); at least one 思想汇报 to be listed as 发展对象 (第10条, 第12条); the
/// 政审材料, the 培训结业证明 and the 入党志愿书 before the branch meeting admits them (第15–17条,
/// 第20–21条); the 转正申请书 before it votes on 转正 (第31条).
pub fn papers_for(kind: StepKind, stage: Stage) -> &'static [Document] {
    match (kind, stage) {
        (StepKind::Activist, _) => &[Document::ApplicationLetter],
        (StepKind::Candidate, _) => &[Document::Report],
        (StepKind::Vote, Stage::Candidate) => &[
            Document::PoliticalMaterials,
            Document::TrainingCertificate,
            Document::VolunteerForm,
        ],
        (StepKind::Vote, Stage::Probationary) => &[Document::ConfirmApplication],
        _ => &[],
    }
}

/// The counted result of a 支部大会 vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// 应到会有表决权的正式党员: full members with a vote, present or not.
    pub entitled: u32,
}

impl Tally {
    /// "赞成票超过应到会有表决权的正式党员的半数" (第21条): more than half of those entitled,
    /// not of those present.
    pub fn passes(&self) -> bool {
        self.yes * 2 > self.entitled
    }

    /// The fewest yes votes that pass.
    pub fn needed(&self) -> u32 {
        self.entitled / 2 + 1
    }

    /// Whether the counts can be true: no more ballots than members entitled.
    pub fn is_possible(&self) -> bool {
        self.entitled > 0 && self.yes + self.no + self.abstain <= self.entitled
    }
}

/// What a step carries besides its date.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Detail {
    #[default]
    None,
    /// The contact's member id and whether they are a full member.
    Contact {
        member_id: i64,
        full_member: bool,
    },
    /// 集中培训 学时.
    Hours(u32),
    Vote(Tally),
}

/// A step as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub kind: StepKind,
    pub on: NaiveDate,
    pub detail: Detail,
}

/// One person's record, summed up from their steps in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts {
    pub applied: Option<NaiveDate>,
    pub talk: Option<NaiveDate>,
    pub activist: Option<NaiveDate>,
    pub contacts: Vec<i64>,
    pub last_report: Option<NaiveDate>,
    pub reviews: usize,
    pub last_review: Option<NaiveDate>,
    pub opinions: Option<NaiveDate>,
    pub candidate: Option<NaiveDate>,
    pub political: Option<NaiveDate>,
    pub training: Option<NaiveDate>,
    pub committee_review: Option<NaiveDate>,
    pub prereview: Option<NaiveDate>,
    pub form: Option<NaiveDate>,
    /// The 公示 of the current stage (admission, then 转正).
    pub publicity: Option<NaiveDate>,
    /// The day the branch meeting admitted them: the probation starts.
    pub admitted: Option<NaiveDate>,
    pub committee_talk: Option<NaiveDate>,
    pub approved: Option<NaiveDate>,
    pub oath: Option<NaiveDate>,
    pub application: Option<NaiveDate>,
    /// The day the branch meeting voted for 转正.
    pub confirm_vote: Option<NaiveDate>,
    /// The day 转正 was approved.
    pub full: Option<NaiveDate>,
    /// The last vote that failed, with its date.
    pub failed_vote: Option<(NaiveDate, Tally)>,
    /// The papers on file, each with the day it was received, in that order (not from the
    /// steps: the caller adds them, see [`Facts::with_papers`]).
    pub papers: Vec<(Document, NaiveDate)>,
}

impl Facts {
    /// Sums up steps in the order they were recorded.
    pub fn from_steps<'a>(steps: impl IntoIterator<Item = &'a Recorded>) -> Self {
        let mut f = Self::default();
        for s in steps {
            f.apply(s);
        }
        f
    }

    /// The same facts with the papers on file.
    pub fn with_papers(mut self, papers: impl IntoIterator<Item = (Document, NaiveDate)>) -> Self {
        self.papers = papers.into_iter().collect();
        self.papers.sort_by_key(|(_, on)| *on);
        self
    }

    /// The days a paper was received, earliest first.
    pub fn received(&self, doc: Document) -> Vec<NaiveDate> {
        self.papers
            .iter()
            .filter(|(d, _)| *d == doc)
            .map(|(_, on)| *on)
            .collect()
    }

    /// The papers `kind` needs that are not on file by `on`.
    pub fn papers_missing(&self, kind: StepKind, on: NaiveDate) -> Vec<Document> {
        papers_for(kind, self.stage())
            .iter()
            .copied()
            .filter(|doc| !self.received(*doc).iter().any(|d| *d <= on))
            .collect()
    }

    /// The papers the next stage needs that are not on file yet.
    pub fn papers_missing_next(&self) -> Vec<Document> {
        let step = match self.stage() {
            Stage::Applicant => StepKind::Activist,
            Stage::Activist => StepKind::Candidate,
            Stage::Candidate | Stage::Probationary => StepKind::Vote,
            Stage::Full => return Vec::new(),
        };
        self.papers_missing(step, NaiveDate::MAX)
    }

    /// The stage the person is in.
    pub fn stage(&self) -> Stage {
        if self.full.is_some() {
            Stage::Full
        } else if self.admitted.is_some() {
            Stage::Probationary
        } else if self.candidate.is_some() {
            Stage::Candidate
        } else if self.activist.is_some() {
            Stage::Activist
        } else {
            Stage::Applicant
        }
    }

    fn apply(&mut self, s: &Recorded) {
        let on = Some(s.on);
        let stage = self.stage();
        match s.kind {
            StepKind::Applied => self.applied = on,
            StepKind::Talk => self.talk = on,
            StepKind::Activist => self.activist = on,
            StepKind::Contact => {
                if let Detail::Contact { member_id, .. } = s.detail {
                    if !self.contacts.contains(&member_id) {
                        self.contacts.push(member_id);
                    }
                }
            }
            StepKind::Report => self.last_report = on,
            StepKind::Review => {
                self.reviews += 1;
                self.last_review = on;
            }
            StepKind::Opinions => self.opinions = on,
            StepKind::Candidate => {
                self.candidate = on;
                self.publicity = None;
            }
            StepKind::Political => self.political = on,
            StepKind::Training => self.training = on,
            StepKind::CommitteeReview => self.committee_review = on,
            StepKind::PreReview => self.prereview = on,
            StepKind::Form => self.form = on,
            StepKind::Publicity => self.publicity = on,
            StepKind::Vote => {
                let Detail::Vote(t) = s.detail else { return };
                if !t.passes() {
                    self.failed_vote = Some((s.on, t));
                } else if stage == Stage::Probationary {
                    self.confirm_vote = on;
                } else {
                    self.admitted = on;
                    // The 转正 needs its own 公示 and its own application.
                    self.publicity = None;
                    self.last_report = None;
                }
            }
            StepKind::CommitteeTalk => self.committee_talk = on,
            StepKind::Approval => {
                if self.approved.is_none() {
                    self.approved = on;
                } else {
                    self.full = on;
                }
            }
            StepKind::Oath => self.oath = on,
            StepKind::Application => self.application = on,
        }
    }
}

/// Why a step cannot be recorded: which condition, and until when where time is the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The step belongs to other stages.
    WrongStage { stage: Stage },
    /// This step must be recorded first.
    Missing(StepKind),
    /// More of this step are needed first: `have` of `need`.
    NotEnough {
        step: StepKind,
        have: usize,
        need: usize,
    },
    /// Not before this date.
    TooEarly { until: NaiveDate, why: Wait },
    /// The date is before the step it follows.
    BeforeEarlier { step: StepKind, on: NaiveDate },
    /// A contact must be a full member.
    ContactNotFull,
    /// Already recorded for this stage.
    Already(StepKind),
    /// The vote's counts cannot be true.
    ImpossibleTally,
    /// 集中培训 shorter than the policy asks.
    TrainingTooShort { hours: u32, need: u32 },
    /// A paper the step needs is not on file (the first one missing).
    MissingPaper(Document),
    /// This paper is on file already (only the 思想汇报 is handed in again).
    PaperAlready(Document),
}

/// What a [`Refusal::TooEarly`] waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// A year as 入党积极分子 (第12条).
    YearAsActivist,
    /// The 公示's working days.
    Publicity,
    /// The year of probation (第28条).
    Probation,
}

/// Whether `kind` may be recorded `on` that date for a person with these facts. On success,
/// the stage the person is in afterwards.
pub fn check(
    facts: &Facts,
    kind: StepKind,
    on: NaiveDate,
    detail: &Detail,
    policy: &Policy,
    cal: &Calendar,
) -> Result<Stage, Refusal> {
    use StepKind as K;
    let stage = facts.stage();
    let in_stage = |allowed: &[Stage]| {
        if allowed.contains(&stage) {
            Ok(())
        } else {
            Err(Refusal::WrongStage { stage })
        }
    };
    let need = |step: K, date: Option<NaiveDate>| -> Result<NaiveDate, Refusal> {
        let d = date.ok_or(Refusal::Missing(step))?;
        if on < d {
            return Err(Refusal::BeforeEarlier { step, on: d });
        }
        Ok(d)
    };
    // The papers come after the steps: "the talk first" reads better than "a paper missing".
    let papers = || match facts.papers_missing(kind, on).first() {
        Some(doc) => Err(Refusal::MissingPaper(*doc)),
        None => Ok(()),
    };
    match kind {
        K::Applied => {
            if facts.applied.is_some() {
                return Err(Refusal::Already(K::Applied));
            }
        }
        K::Talk => {
            in_stage(&[Stage::Applicant])?;
            need(K::Applied, facts.applied)?;
        }
        K::Activist => {
            in_stage(&[Stage::Applicant])?;
            need(K::Applied, facts.applied)?;
            // 第7条: the talk comes first.
            need(K::Talk, facts.talk)?;
            papers()?;
        }
        K::Contact => {
            in_stage(&[Stage::Activist, Stage::Candidate])?;
            if let Detail::Contact { full_member, .. } = detail {
                if !full_member {
                    return Err(Refusal::ContactNotFull);
                }
            }
        }
        K::Report => {
            in_stage(&[Stage::Activist, Stage::Candidate, Stage::Probationary])?;
        }
        K::Review | K::Opinions => {
            in_stage(&[Stage::Activist, Stage::Candidate, Stage::Probationary])?;
        }
        K::Candidate => {
            in_stage(&[Stage::Activist])?;
            let since = need(K::Activist, facts.activist)?;
            let year = add_months(since, 12);
            if on < year {
                return Err(Refusal::TooEarly {
                    until: year,
                    why: Wait::YearAsActivist,
                });
            }
            if facts.contacts.is_empty() {
                return Err(Refusal::Missing(K::Contact));
            }
            if facts.reviews < policy.reviews_before_candidate {
                return Err(Refusal::NotEnough {
                    step: K::Review,
                    have: facts.reviews,
                    need: policy.reviews_before_candidate,
                });
            }
            need(K::Opinions, facts.opinions)?;
            papers()?;
        }
        K::Political | K::CommitteeReview | K::PreReview | K::Form => {
            in_stage(&[Stage::Candidate])?;
            need(K::Candidate, facts.candidate)?;
            if kind == K::PreReview {
                need(K::CommitteeReview, facts.committee_review)?;
            }
            if kind == K::Form {
                need(K::PreReview, facts.prereview)?;
            }
        }
        K::Training => {
            in_stage(&[Stage::Activist, Stage::Candidate])?;
            if let Detail::Hours(hours) = *detail {
                if hours < policy.training_hours {
                    return Err(Refusal::TrainingTooShort {
                        hours,
                        need: policy.training_hours,
                    });
                }
            }
        }
        K::Publicity => {
            in_stage(&[Stage::Candidate, Stage::Probationary])?;
            if stage == Stage::Candidate {
                need(K::PreReview, facts.prereview)?;
            } else {
                need(K::Application, facts.application)?;
            }
        }
        K::Vote => {
            in_stage(&[Stage::Candidate, Stage::Probationary])?;
            let Detail::Vote(tally) = detail else {
                return Err(Refusal::ImpossibleTally);
            };
            if !tally.is_possible() {
                return Err(Refusal::ImpossibleTally);
            }
            if stage == Stage::Candidate {
                need(K::Political, facts.political)?;
                need(K::Training, facts.training)?;
                need(K::CommitteeReview, facts.committee_review)?;
                need(K::PreReview, facts.prereview)?;
                need(K::Form, facts.form)?;
            } else {
                if facts.confirm_vote.is_some() {
                    return Err(Refusal::Already(K::Vote));
                }
                need(K::Approval, facts.approved)?;
                let admitted = need(K::Vote, facts.admitted)?;
                let end = add_months(admitted, 12);
                if on < end {
                    return Err(Refusal::TooEarly {
                        until: end,
                        why: Wait::Probation,
                    });
                }
                need(K::Application, facts.application)?;
            }
            papers()?;
            let started = need(K::Publicity, facts.publicity)?;
            let window = Window::new(cal, started, policy.publicity_working_days);
            if on < window.vote_from {
                return Err(Refusal::TooEarly {
                    until: window.vote_from,
                    why: Wait::Publicity,
                });
            }
            if !tally.passes() {
                return Ok(stage);
            }
            // Admitted, or 转正 voted (it takes effect on approval).
            return Ok(Stage::Probationary);
        }
        K::CommitteeTalk => {
            in_stage(&[Stage::Probationary])?;
            if facts.approved.is_some() {
                return Err(Refusal::Already(K::Approval));
            }
        }
        K::Approval => {
            in_stage(&[Stage::Probationary])?;
            if facts.approved.is_none() {
                need(K::CommitteeTalk, facts.committee_talk)?;
            } else {
                need(K::Vote, facts.confirm_vote)?;
                return Ok(Stage::Full);
            }
        }
        K::Oath => {
            in_stage(&[Stage::Probationary])?;
            need(K::Approval, facts.approved)?;
        }
        K::Application => {
            in_stage(&[Stage::Probationary])?;
            need(K::Approval, facts.approved)?;
        }
    }
    if let Some(doc) = Document::of_step(kind) {
        if !doc.repeats() && !facts.received(doc).is_empty() {
            return Err(Refusal::PaperAlready(doc));
        }
    }
    Ok(match kind {
        K::Activist => Stage::Activist,
        K::Candidate => Stage::Candidate,
        _ => stage.max(Stage::Applicant),
    })
}

/// A 公示's window: from the day it starts through its last working day; the branch meeting
/// may vote from the day after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: NaiveDate,
    /// The last of its working days.
    pub last: NaiveDate,
    /// The first day the vote may be held.
    pub vote_from: NaiveDate,
    pub working_days: u32,
}

impl Window {
    /// The window of a 公示 starting on `start` that lasts `days` working days of `cal` (an
    /// empty calendar: Monday to Friday). The day it starts counts when it is a working day.
    pub fn new(cal: &Calendar, start: NaiveDate, days: u32) -> Self {
        let first = cal.working_day_on_or_after(start);
        let last = if days == 0 {
            start
        } else {
            crate::domain::calendar::nth_working_day_after(cal, first, days - 1)
        };
        Self {
            start,
            last,
            vote_from: last.succ_opt().unwrap_or(last),
            working_days: days,
        }
    }

    /// Whether `day` is inside the window.
    pub fn open_on(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.last
    }
}

/// `months` calendar months later (the last day of a shorter month when the day is missing).
pub fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(d)
}

/// A clock that runs for a person: what is due and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub what: Clock,
    pub by: NaiveDate,
}

/// The clocks the bot keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Clock {
    /// The talk within a month of the application (第7条).
    Talk,
    /// The next 思想汇报.
    Report,
    /// The next half-yearly 考察 (第11条).
    Review,
    /// The earliest day to list as 发展对象 (第12条).
    CandidateFrom,
    /// The committee's talk and approval within three months of the branch decision (第24条).
    Approval,
    /// The probation ends: the 转正 should be discussed (第31条).
    ProbationEnds,
    /// The last working day of a running 公示: the branch meeting may vote from the next day.
    /// Added by the caller, who knows the calendar ([`Window`]).
    PublicityEnds,
}

impl Clock {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Talk => "talk",
            Self::Report => "report",
            Self::Review => "review",
            Self::CandidateFrom => "candidate_from",
            Self::Approval => "approval",
            Self::ProbationEnds => "probation_ends",
            Self::PublicityEnds => "publicity_ends",
        }
    }
}

/// The clocks running for a person, earliest first.
pub fn clocks(facts: &Facts, policy: &Policy) -> Vec<Due> {
    let mut due = Vec::new();
    let mut push = |what, by| due.push(Due { what, by });
    match facts.stage() {
        Stage::Applicant => {
            if let (Some(applied), None) = (facts.applied, facts.talk) {
                push(Clock::Talk, add_months(applied, 1));
            }
        }
        Stage::Activist | Stage::Candidate => {
            if let Some(since) = facts.activist {
                let last = facts.last_report.unwrap_or(since);
                push(Clock::Report, add_months(last, policy.report_months));
                let last = facts.last_review.unwrap_or(since).max(since);
                push(Clock::Review, add_months(last, 6));
                if facts.stage() == Stage::Activist {
                    push(Clock::CandidateFrom, add_months(since, 12));
                }
            }
        }
        Stage::Probationary => {
            let Some(admitted) = facts.admitted else {
                return due;
            };
            if facts.approved.is_none() {
                push(Clock::Approval, add_months(admitted, 3));
            }
            let last = facts.last_report.unwrap_or(admitted);
            push(Clock::Report, add_months(last, policy.report_months));
            if facts.confirm_vote.is_none() {
                push(Clock::ProbationEnds, add_months(admitted, 12));
            }
        }
        Stage::Full => {}
    }
    due.sort_by_key(|d| d.by);
    due
}

/// Whether a clock is a deadline (overdue once passed) rather than an earliest date.
pub fn is_deadline(clock: Clock) -> bool {
    !matches!(clock, Clock::CandidateFrom | Clock::PublicityEnds)
}

/// The clocks to remind of on `today`: a few days ahead of a deadline (a week for the talk and
/// the 思想汇报, two weeks for the 考察 and the approval, [`Policy::remind_probation_days`]
/// before the probation ends), on the day it falls due, and on the day a person may be
/// listed as 发展对象 or a 公示 has its last day. The flag says whether it is the day itself.
pub fn reminders_on(clocks: &[Due], today: NaiveDate, policy: &Policy) -> Vec<(Due, bool)> {
    clocks
        .iter()
        .filter_map(|d| {
            let lead = match d.what {
                Clock::Talk | Clock::Report => 7,
                Clock::Review | Clock::Approval => 14,
                Clock::ProbationEnds => i64::from(policy.remind_probation_days),
                Clock::CandidateFrom | Clock::PublicityEnds => 0,
            };
            if d.by == today {
                Some((*d, true))
            } else if lead > 0 && d.by - chrono::Duration::days(lead) == today {
                Some((*d, false))
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn step(kind: StepKind, on: &str) -> Recorded {
        Recorded {
            kind,
            on: d(on),
            detail: Detail::None,
        }
    }

    #[test]
    fn the_majority_counts_members_entitled_not_members_present() {
        // 40 entitled, 30 present, 20 for: exactly half of 40 is not more than half.
        let t = Tally {
            yes: 20,
            no: 5,
            abstain: 5,
            entitled: 40,
        };
        assert!(!t.passes());
        assert_eq!(t.needed(), 21);
        assert!(Tally { yes: 21, ..t }.passes());
        assert!(Tally {
            yes: 3,
            no: 0,
            abstain: 0,
            entitled: 5
        }
        .passes());
        assert!(!Tally {
            yes: 30,
            no: 20,
            abstain: 0,
            entitled: 40
        }
        .is_possible());
    }

    #[test]
    fn publicity_of_five_working_days_skips_the_weekend() {
        let none = Calendar::default();
        // Wednesday 2026-12-02: Wed, Thu, Fri, Mon, Tue → the vote may be on Wednesday 9th.
        let w = Window::new(&none, d("2026-12-02"), 5);
        assert_eq!((w.last, w.vote_from), (d("2026-12-08"), d("2026-12-09")));
        // Starting on a Saturday: Mon–Fri, then the next Saturday.
        assert_eq!(
            Window::new(&none, d("2026-12-05"), 5).vote_from,
            d("2026-12-12")
        );
    }

    #[test]
    fn publicity_over_national_day_counts_the_calendars_working_days() {
        let cal =
            crate::domain::calendar::parse(include_str!("../../examples/calendar.toml")).unwrap();
        // Tuesday 29 September 2026: 29th, 30th, then 国庆 1–7 October off, Thursday 8th,
        // Friday 9th and the 调休 Saturday 10th are worked: the 5th working day is the 10th.
        let w = Window::new(&cal, d("2026-09-29"), 5);
        assert_eq!(w.last, d("2026-10-10"));
        assert_eq!(w.vote_from, d("2026-10-11"));
        assert!(w.open_on(d("2026-10-05")));
        // Without the calendar the holiday would have counted.
        assert_eq!(
            Window::new(&Calendar::default(), d("2026-09-29"), 5).last,
            d("2026-10-05")
        );
    }

    #[test]
    fn the_branch_meeting_needs_the_papers_on_file_and_the_refusal_names_the_first_missing() {
        let mut steps = vec![
            step(StepKind::Applied, "2024-01-01"),
            step(StepKind::Talk, "2024-01-10"),
            step(StepKind::Activist, "2024-02-01"),
            step(StepKind::Candidate, "2025-03-01"),
            step(StepKind::Political, "2025-04-01"),
            step(StepKind::Training, "2025-04-02"),
            step(StepKind::CommitteeReview, "2025-04-03"),
            step(StepKind::PreReview, "2025-04-04"),
            step(StepKind::Form, "2025-04-05"),
            step(StepKind::Publicity, "2025-04-07"),
        ];
        let vote = Detail::Vote(Tally {
            yes: 12,
            no: 0,
            abstain: 0,
            entitled: 20,
        });
        let check_on = |f: &Facts| {
            check(
                f,
                StepKind::Vote,
                d("2025-05-06"),
                &vote,
                &Policy::default(),
                &Calendar::default(),
            )
        };
        let papers = [
            (Document::VolunteerForm, d("2025-04-05")),
            (Document::TrainingCertificate, d("2025-04-02")),
        ];
        let facts = Facts::from_steps(&steps).with_papers(papers);
        assert_eq!(
            check_on(&facts),
            Err(Refusal::MissingPaper(Document::PoliticalMaterials))
        );
        let facts = Facts::from_steps(&steps).with_papers(
            papers
                .into_iter()
                .chain([(Document::PoliticalMaterials, d("2025-04-01"))]),
        );
        assert_eq!(check_on(&facts), Ok(Stage::Probationary));
        assert!(facts.papers_missing_next().is_empty());
        steps.truncate(3);
        let facts = Facts::from_steps(&steps);
        assert_eq!(facts.papers_missing_next(), vec![Document::Report]);
    }

    #[test]
    fn an_activist_cannot_become_a_candidate_before_a_year_and_the_refusal_says_when() {
        let mut steps = vec![
            step(StepKind::Applied, "2025-03-01"),
            step(StepKind::Talk, "2025-03-20"),
            step(StepKind::Activist, "2025-04-10"),
        ];
        let facts = Facts::from_steps(&steps);
        let policy = Policy::default();
        assert_eq!(
            check(
                &facts,
                StepKind::Candidate,
                d("2026-04-09"),
                &Detail::None,
                &policy,
                &Calendar::default()
            ),
            Err(Refusal::TooEarly {
                until: d("2026-04-10"),
                why: Wait::YearAsActivist
            })
        );
        assert_eq!(
            check(
                &facts,
                StepKind::Candidate,
                d("2026-04-10"),
                &Detail::None,
                &policy,
                &Calendar::default()
            ),
            Err(Refusal::Missing(StepKind::Contact))
        );
        steps.push(Recorded {
            kind: StepKind::Contact,
            on: d("2025-04-10"),
            detail: Detail::Contact {
                member_id: 7,
                full_member: true,
            },
        });
        steps.push(step(StepKind::Review, "2025-10-10"));
        let facts = Facts::from_steps(&steps);
        assert_eq!(
            check(
                &facts,
                StepKind::Candidate,
                d("2026-04-10"),
                &Detail::None,
                &policy,
                &Calendar::default()
            ),
            Err(Refusal::NotEnough {
                step: StepKind::Review,
                have: 1,
                need: 2
            })
        );
    }

    #[test]
    fn an_applicant_is_not_made_an_activist_before_the_talk() {
        let facts = Facts::from_steps(&[step(StepKind::Applied, "2025-03-01")]);
        assert_eq!(
            check(
                &facts,
                StepKind::Activist,
                d("2025-03-05"),
                &Detail::None,
                &Policy::default(),
                &Calendar::default()
            ),
            Err(Refusal::Missing(StepKind::Talk))
        );
        assert_eq!(
            clocks(&facts, &Policy::default()),
            vec![Due {
                what: Clock::Talk,
                by: d("2025-04-01")
            }]
        );
    }

    #[test]
    fn a_failed_vote_keeps_the_candidate_where_they_are() {
        let steps = [
            step(StepKind::Applied, "2024-01-01"),
            step(StepKind::Talk, "2024-01-10"),
            step(StepKind::Activist, "2024-02-01"),
            step(StepKind::Candidate, "2025-03-01"),
            Recorded {
                kind: StepKind::Vote,
                on: d("2025-06-01"),
                detail: Detail::Vote(Tally {
                    yes: 10,
                    no: 5,
                    abstain: 0,
                    entitled: 20,
                }),
            },
        ];
        let facts = Facts::from_steps(&steps);
        assert_eq!(facts.stage(), Stage::Candidate);
        assert_eq!(facts.failed_vote.map(|(on, _)| on), Some(d("2025-06-01")));
    }

    #[test]
    fn reminders_come_a_week_ahead_and_on_the_day_never_between() {
        let facts = Facts::from_steps(&[step(StepKind::Applied, "2026-11-14")]);
        let clocks = clocks(&facts, &Policy::default());
        let on = |day: &str| reminders_on(&clocks, d(day), &Policy::default());
        assert_eq!(on("2026-12-06"), vec![]);
        assert_eq!(
            on("2026-12-07"),
            vec![(
                Due {
                    what: Clock::Talk,
                    by: d("2026-12-14")
                },
                false
            )]
        );
        assert_eq!(on("2026-12-10"), vec![]);
        assert_eq!(on("2026-12-14").len(), 1);
        assert!(on("2026-12-14")[0].1);
    }

    #[test]
    fn a_college_sets_its_intervals_in_the_recruitment_section() {
        let p: Policy = toml::from_str("publicity_working_days = 7\nreport_months = 2").unwrap();
        assert_eq!(p.publicity_working_days, 7);
        assert_eq!(p.report_months, 2);
        assert_eq!(p.training_hours, 24);
        assert!(toml::from_str::<Policy>("publicity_days = 7").is_err());
    }

    #[test]
    fn steps_parse_from_english_and_chinese() {
        assert_eq!(StepKind::parse("公示"), Some(StepKind::Publicity));
        assert_eq!(
            StepKind::parse("committee-review"),
            Some(StepKind::CommitteeReview)
        );
        assert_eq!(StepKind::parse("dance"), None);
        for k in StepKind::ALL {
            assert_eq!(StepKind::parse(k.as_str()), Some(k));
        }
    }
}
