//! The rules of 发展党员, pure: the five stages, the steps recorded on the way, what each step
//! needs first, the minimum intervals, the branch vote's majority rule and the clocks that
//! fall due. Everything here works on dates in the organisation's zone and the steps already
//! recorded for one person; nothing reads a clock or a database.
//!
//! The source is the 中国共产党发展党员工作细则 (中共中央办公厅, 2014); articles are cited as
//! 第N条 where a rule comes from one. What colleges set differently is in [`Policy`]
//! (`[recruitment]` in `branchbot.toml`).

use chrono::{Datelike, Months, NaiveDate, Weekday};

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
            let started = need(K::Publicity, facts.publicity)?;
            let ends = working_days_after(started, policy.publicity_working_days);
            if on < ends {
                return Err(Refusal::TooEarly {
                    until: ends,
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
    Ok(match kind {
        K::Activist => Stage::Activist,
        K::Candidate => Stage::Candidate,
        _ => stage.max(Stage::Applicant),
    })
}

/// The day a 公示 started on `start` has lasted `days` working days: the first day it may be
/// followed by the vote. Working days are Monday to Friday here; this is the one place where
/// the organisation's calendar (holidays, 调休 working weekends) plugs in when one is loaded.
pub fn working_days_after(start: NaiveDate, days: u32) -> NaiveDate {
    let mut d = start;
    let mut counted = 0;
    // The day it starts counts when it is a working day.
    while counted < days {
        if is_working_day(d) {
            counted += 1;
        }
        d = d.succ_opt().unwrap_or(d);
    }
    d
}

fn is_working_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
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
    clock != Clock::CandidateFrom
}

/// The clocks to remind of on `today`: a few days ahead of a deadline (a week for the talk and
/// the 思想汇报, two weeks for the 考察 and the approval, [`Policy::remind_probation_days`]
/// before the probation ends), on the day it falls due, and on the day a person may be
/// listed as 发展对象. The flag says whether it is the day itself.
pub fn reminders_on(clocks: &[Due], today: NaiveDate, policy: &Policy) -> Vec<(Due, bool)> {
    clocks
        .iter()
        .filter_map(|d| {
            let lead = match d.what {
                Clock::Talk | Clock::Report => 7,
                Clock::Review | Clock::Approval => 14,
                Clock::ProbationEnds => i64::from(policy.remind_probation_days),
                Clock::CandidateFrom => 0,
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
        // Wednesday 2026-12-02: Wed, Thu, Fri, Mon, Tue → the vote may be on Wednesday 9th.
        assert_eq!(working_days_after(d("2026-12-02"), 5), d("2026-12-09"));
        // Starting on a Saturday: Mon–Fri, then the next Saturday.
        assert_eq!(working_days_after(d("2026-12-05"), 5), d("2026-12-12"));
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
                &policy
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
                &policy
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
                &policy
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
                &Policy::default()
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
