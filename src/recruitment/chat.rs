//! `/mystage` for the person in the pipeline, `/recruit` for secretaries, the committee and
//! contacts: the pipeline, what is due this month, one record, recording a step or a paper
//! received, and the 公示's text (sent to the branch when the 公示 is recorded). How a stage, a
//! step, a paper, a clock, a refusal and the 公示 read is shared with the command line and the
//! report.

use chrono::{Datelike, NaiveDate};

use super::rules::{self, Clock, Document, Refusal, Stage, StepKind, Tally, Wait};
use super::service::{self, Denied, Request, Sight, View, Viewer};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::audit::Actor;
use crate::store::members;
use crate::store::{Conn, StoreError};

/// Renders the feature's texts in one locale.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub catalog: &'a Catalog,
    pub locale: Locale,
}

impl Words<'_> {
    fn t(&self, id: Msg) -> String {
        self.catalog.text(self.locale, id)
    }

    fn r(&self, id: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }

    pub fn stage(&self, stage: Stage) -> String {
        self.t(match stage {
            Stage::Applicant => msg!("recruit-stage-applicant"),
            Stage::Activist => msg!("recruit-stage-activist"),
            Stage::Candidate => msg!("recruit-stage-candidate"),
            Stage::Probationary => msg!("recruit-stage-probationary"),
            Stage::Full => msg!("recruit-stage-full"),
        })
    }

    pub fn step(&self, kind: StepKind) -> String {
        self.t(match kind {
            StepKind::Applied => msg!("recruit-step-applied"),
            StepKind::Talk => msg!("recruit-step-talk"),
            StepKind::Activist => msg!("recruit-step-activist"),
            StepKind::Contact => msg!("recruit-step-contact"),
            StepKind::Report => msg!("recruit-step-report"),
            StepKind::Review => msg!("recruit-step-review"),
            StepKind::Opinions => msg!("recruit-step-opinions"),
            StepKind::Candidate => msg!("recruit-step-candidate"),
            StepKind::Political => msg!("recruit-step-political"),
            StepKind::Training => msg!("recruit-step-training"),
            StepKind::CommitteeReview => msg!("recruit-step-committee-review"),
            StepKind::PreReview => msg!("recruit-step-prereview"),
            StepKind::Form => msg!("recruit-step-form"),
            StepKind::Publicity => msg!("recruit-step-publicity"),
            StepKind::Vote => msg!("recruit-step-vote"),
            StepKind::CommitteeTalk => msg!("recruit-step-committee-talk"),
            StepKind::Approval => msg!("recruit-step-approval"),
            StepKind::Oath => msg!("recruit-step-oath"),
            StepKind::Application => msg!("recruit-step-application"),
        })
    }

    pub fn paper(&self, doc: Document) -> String {
        self.t(match doc {
            Document::ApplicationLetter => msg!("recruit-paper-application-letter"),
            Document::Report => msg!("recruit-paper-report"),
            Document::PoliticalMaterials => msg!("recruit-paper-political-materials"),
            Document::TrainingCertificate => msg!("recruit-paper-training-certificate"),
            Document::VolunteerForm => msg!("recruit-paper-volunteer-form"),
            Document::ConfirmApplication => msg!("recruit-paper-confirm-application"),
        })
    }

    /// The checklist: the papers of the stages reached and those the next stage needs, each
    /// with the day received or "missing"; the 思想汇报 counted.
    pub fn papers(&self, v: &View) -> String {
        let mut docs: Vec<Document> = Stage::ALL
            .iter()
            .filter(|s| **s <= v.stage)
            .flat_map(|s| rules::checklist(*s).iter().copied())
            .chain(v.facts.papers_missing_next())
            .collect();
        docs.sort();
        docs.dedup();
        let items: Vec<String> = docs
            .into_iter()
            .map(|doc| {
                let got = v.facts.received(doc);
                let paper = self.paper(doc);
                match got.last() {
                    None => self.r(msg!("recruit-paper-missing"), &[("paper", paper.into())]),
                    Some(last) if doc.repeats() => self.r(
                        msg!("recruit-paper-reports"),
                        &[
                            ("paper", paper.into()),
                            ("count", got.len().into()),
                            ("date", date(*last).into()),
                        ],
                    ),
                    Some(on) => self.r(
                        msg!("recruit-paper-received"),
                        &[("paper", paper.into()), ("date", date(*on).into())],
                    ),
                }
            })
            .collect();
        let sep = match self.locale {
            Locale::ZhCn => "；",
            Locale::En => "; ",
        };
        self.r(msg!("recruit-papers"), &[("items", items.join(sep).into())])
    }

    /// The 公示's window as the record shows it.
    pub fn window(&self, w: &rules::Window) -> String {
        self.r(
            msg!("recruit-publicity-window"),
            &[
                ("start", date(w.start).into()),
                ("last", date(w.last).into()),
                ("days", w.working_days.into()),
                ("from", date(w.vote_from).into()),
            ],
        )
    }

    /// The 公示 text a branch posts: who, what is proposed, the steps so far, the window in
    /// working days, how to raise an objection and whom to contact. `None` when no 公示 is
    /// running for the person.
    pub fn notice(
        &self,
        v: &View,
        org: &str,
        contact: Option<&Member>,
        today: NaiveDate,
    ) -> Option<String> {
        let w = v.publicity?;
        let f = &v.facts;
        let opt = |d: Option<NaiveDate>| d.map(date).unwrap_or_default();
        let branch = v.recruit.branch.clone().unwrap_or_default();
        let contact = match contact {
            Some(Member {
                name,
                phone: Some(phone),
                ..
            }) => self.r(
                msg!("recruit-notice-contact"),
                &[
                    ("name", name.as_str().into()),
                    ("phone", phone.as_str().into()),
                ],
            ),
            Some(m) => m.name.clone(),
            None => self.t(msg!("recruit-notice-contact-committee")),
        };
        let mut args: Vec<(&str, Arg)> = vec![
            ("name", v.recruit.name.as_str().into()),
            ("branch", branch.into()),
            ("org", org.into()),
            ("start", date(w.start).into()),
            ("last", date(w.last).into()),
            ("days", w.working_days.into()),
            ("contact", contact.into()),
            ("today", date(today).into()),
        ];
        let id = if v.stage == Stage::Probationary {
            args.push(("admitted", opt(f.admitted).into()));
            args.push((
                "ends",
                opt(f.admitted.map(|a| rules::add_months(a, 12))).into(),
            ));
            msg!("recruit-notice-confirm")
        } else {
            args.push(("applied", opt(f.applied).into()));
            args.push(("activist", opt(f.activist).into()));
            args.push(("candidate", opt(f.candidate).into()));
            msg!("recruit-notice-admission")
        };
        Some(self.r(id, &args))
    }

    pub fn clock(&self, clock: Clock) -> String {
        self.t(match clock {
            Clock::Talk => msg!("recruit-clock-talk"),
            Clock::Report => msg!("recruit-clock-report"),
            Clock::Review => msg!("recruit-clock-review"),
            Clock::CandidateFrom => msg!("recruit-clock-candidate-from"),
            Clock::Approval => msg!("recruit-clock-approval"),
            Clock::ProbationEnds => msg!("recruit-clock-probation-ends"),
            Clock::PublicityEnds => msg!("recruit-clock-publicity-ends"),
        })
    }

    /// `谈话：2026-01-05（已逾期）`.
    pub fn due(&self, clock: Clock, by: NaiveDate, today: NaiveDate) -> String {
        let id = if rules::is_deadline(clock) && by < today {
            msg!("recruit-due-overdue")
        } else {
            msg!("recruit-due")
        };
        self.r(
            id,
            &[
                ("clock", self.clock(clock).into()),
                ("date", date(by).into()),
            ],
        )
    }

    /// Why a request was not carried out, and what to do.
    pub fn denied(&self, kind: StepKind, d: &Denied) -> String {
        match d {
            Denied::NotAllowed => self.t(msg!("recruit-not-allowed")),
            Denied::UnknownMember(key) => self.r(
                msg!("recruit-unknown-member"),
                &[("key", key.as_str().into())],
            ),
            Denied::NotInPipeline(key) => self.r(
                msg!("recruit-not-in-pipeline"),
                &[("key", key.as_str().into())],
            ),
            Denied::UnknownContact(key) => self.r(
                msg!("recruit-unknown-contact"),
                &[("key", key.as_str().into())],
            ),
            Denied::FutureDate(d) => {
                self.r(msg!("recruit-future-date"), &[("date", date(*d).into())])
            }
            Denied::Refused(r) => self.refusal(kind, r),
        }
    }

    /// A refusal by the rules: which condition, and until when.
    pub fn refusal(&self, kind: StepKind, r: &Refusal) -> String {
        let step = self.step(kind);
        match r {
            Refusal::WrongStage { stage } => self.r(
                msg!("recruit-refused-wrong-stage"),
                &[("step", step.into()), ("stage", self.stage(*stage).into())],
            ),
            Refusal::Missing(need) => self.r(
                msg!("recruit-refused-missing"),
                &[("step", step.into()), ("need", self.step(*need).into())],
            ),
            Refusal::NotEnough {
                step: s,
                have,
                need,
            } => self.r(
                msg!("recruit-refused-not-enough"),
                &[
                    ("step", step.into()),
                    ("need-step", self.step(*s).into()),
                    ("have", (*have).into()),
                    ("need", (*need).into()),
                ],
            ),
            Refusal::TooEarly { until, why } => self.r(
                match why {
                    Wait::YearAsActivist => msg!("recruit-refused-year"),
                    Wait::Publicity => msg!("recruit-refused-publicity"),
                    Wait::Probation => msg!("recruit-refused-probation"),
                },
                &[("step", step.into()), ("until", date(*until).into())],
            ),
            Refusal::BeforeEarlier { step: s, on } => self.r(
                msg!("recruit-refused-before"),
                &[
                    ("step", step.into()),
                    ("need", self.step(*s).into()),
                    ("date", date(*on).into()),
                ],
            ),
            Refusal::ContactNotFull => self.t(msg!("recruit-refused-contact")),
            Refusal::Already(s) => self.r(
                msg!("recruit-refused-already"),
                &[("step", self.step(*s).into())],
            ),
            Refusal::ImpossibleTally => self.t(msg!("recruit-refused-tally")),
            Refusal::TrainingTooShort { hours, need } => self.r(
                msg!("recruit-refused-training"),
                &[("hours", (*hours).into()), ("need", (*need).into())],
            ),
            Refusal::MissingPaper(doc) => self.r(
                msg!("recruit-refused-paper"),
                &[("step", step.into()), ("paper", self.paper(*doc).into())],
            ),
            Refusal::PaperAlready(doc) => self.r(
                msg!("recruit-refused-paper-already"),
                &[("paper", self.paper(*doc).into())],
            ),
        }
    }

    /// The vote's result and the rule, as the branch reads it.
    pub fn tally(&self, t: &Tally) -> String {
        self.r(
            if t.passes() {
                msg!("recruit-vote-passed")
            } else {
                msg!("recruit-vote-failed")
            },
            &[
                ("yes", t.yes.into()),
                ("no", t.no.into()),
                ("abstain", t.abstain.into()),
                ("entitled", t.entitled.into()),
                ("needed", t.needed().into()),
            ],
        )
    }

    /// One person's record: stage, steps (with notes when the sight allows) and clocks.
    pub fn record(&self, v: &View, today: NaiveDate) -> String {
        let mut lines = vec![self.r(
            msg!("recruit-show-header"),
            &[
                ("name", v.recruit.name.as_str().into()),
                ("key", v.recruit.key.as_str().into()),
                ("stage", self.stage(v.stage).into()),
            ],
        )];
        if let Some(admitted) = v.facts.admitted {
            lines.push(self.r(
                msg!("recruit-admitted-on"),
                &[
                    ("date", date(admitted).into()),
                    ("ends", date(rules::add_months(admitted, 12)).into()),
                ],
            ));
        }
        if let Some(full) = v.facts.full {
            lines.push(self.r(msg!("recruit-full-on"), &[("date", date(full).into())]));
        }
        for s in &v.steps {
            let mut line = format!("{} {}", date(s.step.on), self.step(s.step.kind));
            if let rules::Detail::Vote(t) = &s.step.detail {
                line.push_str(&format!(" · {}", self.tally(t)));
            }
            if let rules::Detail::Hours(h) = s.step.detail {
                line.push_str(&format!(
                    " · {}",
                    self.r(msg!("recruit-hours"), &[("hours", h.into())])
                ));
            }
            if v.sight == Sight::Full && !s.note.is_empty() {
                line.push_str(&format!(" · {}", s.note));
            }
            lines.push(line);
        }
        lines.push(self.papers(v));
        if let Some(w) = &v.publicity {
            lines.push(self.window(w));
        }
        for d in &v.clocks {
            lines.push(self.due(d.what, d.by, today));
        }
        lines.join("\n")
    }

    /// One line of a pipeline: who, stage, the next clock.
    pub fn pipeline_line(&self, v: &View, today: NaiveDate) -> String {
        let next = v
            .clocks
            .first()
            .map(|d| self.due(d.what, d.by, today))
            .unwrap_or_else(|| self.t(msg!("recruit-nothing-due")));
        self.r(
            msg!("recruit-pipeline-line"),
            &[
                ("name", v.recruit.name.as_str().into()),
                ("key", v.recruit.key.as_str().into()),
                ("stage", self.stage(v.stage).into()),
                ("next", next.into()),
            ],
        )
    }
}

/// `YYYY-MM-DD`.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads `YYYY-MM-DD` (also `YYYY/MM/DD` and `YYYY.MM.DD`).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

fn words<'a>(cx: &'a Ctx<'_>) -> Words<'a> {
    Words {
        catalog: cx.catalog,
        locale: cx.locale,
    }
}

fn today(cx: &Ctx<'_>) -> NaiveDate {
    cx.now().with_timezone(&cx.engine.tz).date_naive()
}

/// `/mystage`: one's own stage, what comes next and what is expected.
pub async fn mystage(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    let policy = &cx.engine.recruitment;
    match service::view(conn, Viewer::Member(member), &member.key, policy).await? {
        Ok(v) => {
            let mut lines = vec![w.r(
                msg!("recruit-mystage"),
                &[("stage", w.stage(v.stage).into())],
            )];
            lines.push(w.t(match v.stage {
                Stage::Applicant => msg!("recruit-expect-applicant"),
                Stage::Activist => msg!("recruit-expect-activist"),
                Stage::Candidate => msg!("recruit-expect-candidate"),
                Stage::Probationary => msg!("recruit-expect-probationary"),
                Stage::Full => msg!("recruit-expect-full"),
            }));
            let today = today(cx);
            lines.push(w.papers(&v));
            if let Some(window) = &v.publicity {
                lines.push(w.window(window));
            }
            for d in &v.clocks {
                lines.push(w.due(d.what, d.by, today));
            }
            Ok(Step::text(lines.join("\n")))
        }
        Err(_) => Ok(Step::text(w.t(msg!("recruit-mystage-none")))),
    }
}

/// `/recruit`, `/recruit due`, `/recruit KEY`, `/recruit KEY STEP [DATE] [details]`.
pub async fn recruit(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let policy = &cx.engine.recruitment;
    let today = today(cx);
    let viewer = Viewer::Member(member);
    let words_in: Vec<&str> = arg.unwrap_or("").split_whitespace().collect();
    match words_in.as_slice() {
        [] | ["due"] | ["到期"] => {
            let views = match service::pipeline(conn, viewer, None, policy).await? {
                Ok(v) => v,
                Err(d) => return Ok(Step::text(w.denied(StepKind::Applied, &d))),
            };
            if words_in.is_empty() {
                return Ok(Step::text(pipeline_text(&w, &views, today)));
            }
            let end = rules::add_months(today.with_day(1).unwrap_or(today), 1)
                .pred_opt()
                .unwrap_or(today);
            let due = service::due_between(&views, today.with_day(1).unwrap_or(today), end);
            if due.is_empty() {
                return Ok(Step::text(w.t(msg!("recruit-due-none"))));
            }
            let mut lines = vec![w.r(msg!("recruit-due-header"), &[("count", due.len().into())])];
            for (v, d) in due {
                lines.push(format!(
                    "{} ({}) · {}",
                    v.recruit.name,
                    v.recruit.key,
                    w.due(d.what, d.by, today)
                ));
            }
            Ok(Step::text(lines.join("\n")))
        }
        [key] => match service::view(conn, viewer, key, policy).await? {
            Ok(v) => Ok(Step::text(w.record(&v, today))),
            Err(d) => Ok(Step::text(w.denied(StepKind::Applied, &d))),
        },
        [key, "ballot" | "无记名投票", rest @ ..] => {
            super::ballot::command(cx, conn, member, key, rest).await
        }
        [key, "notice" | "公示文本" | "公示通知"] => {
            let v = match service::view(conn, viewer, key, policy).await? {
                Ok(v) => v,
                Err(d) => return Ok(Step::text(w.denied(StepKind::Publicity, &d))),
            };
            let contact = first_secretary(conn, v.recruit.branch_id).await?;
            Ok(Step::text(
                w.notice(&v, &cx.engine.org_name, contact.as_ref(), today)
                    .unwrap_or_else(|| w.r(msg!("recruit-notice-none"), &[("key", (*key).into())])),
            ))
        }
        [_, "paper" | "doc" | "材料"] => Ok(Step::text(
            w.r(msg!("recruit-bad-paper"), &[("paper", "".into())]),
        )),
        [key, "paper" | "doc" | "材料", name, rest @ ..] => {
            let Some(doc) = Document::parse(name) else {
                return Ok(Step::text(
                    w.r(msg!("recruit-bad-paper"), &[("paper", (*name).into())]),
                ));
            };
            let parsed = match parse_details(StepKind::Opinions, rest, today) {
                Ok(p) => p,
                Err(id) => return Ok(Step::text(w.t(id))),
            };
            let actor = Actor::member(member, cx.via);
            let kind = doc.step().unwrap_or(StepKind::Political);
            match service::receive(
                conn,
                viewer,
                &actor,
                key,
                doc,
                parsed.on,
                &parsed.note,
                policy,
                today,
                cx.now_ms,
            )
            .await?
            {
                Ok(_) => Ok(Step::text(w.r(
                    msg!("recruit-paper-recorded"),
                    &[
                        ("key", (*key).into()),
                        ("paper", w.paper(doc).into()),
                        ("date", date(parsed.on).into()),
                    ],
                ))),
                Err(d) => Ok(Step::text(w.denied(kind, &d))),
            }
        }
        [key, step, rest @ ..] => {
            let Some(kind) = StepKind::parse(step) else {
                return Ok(Step::text(
                    w.r(msg!("recruit-bad-step"), &[("step", (*step).into())]),
                ));
            };
            let parsed = match parse_details(kind, rest, today) {
                Ok(p) => p,
                Err(id) => return Ok(Step::text(w.t(id))),
            };
            let req = Request {
                key,
                kind,
                on: parsed.on,
                contact: parsed.contact.as_deref(),
                hours: parsed.hours,
                tally: parsed.tally,
                note: &parsed.note,
            };
            let actor = Actor::member(member, cx.via);
            match service::record(conn, viewer, &actor, &req, policy, today, cx.now_ms).await? {
                Ok(moved) => {
                    let mut text = w.r(
                        msg!("recruit-recorded"),
                        &[
                            ("key", (*key).into()),
                            ("step", w.step(kind).into()),
                            ("date", date(parsed.on).into()),
                            ("stage", w.stage(moved.after).into()),
                        ],
                    );
                    if let Some(t) = &parsed.tally {
                        text.push('\n');
                        text.push_str(&w.tally(t));
                    }
                    if kind == StepKind::Publicity {
                        text.push_str("\n\n");
                        text.push_str(&publish(cx, conn, member, key, today).await?);
                    }
                    Ok(Step::text(text))
                }
                Err(d) => Ok(Step::text(w.denied(kind, &d))),
            }
        }
    }
}

/// The branch's secretary (or another member running it), the 公示's contact.
async fn first_secretary(
    conn: &mut Conn,
    branch_id: Option<i64>,
) -> Result<Option<Member>, StoreError> {
    Ok(match branch_id {
        Some(b) => crate::meetings::service::secretaries(conn, b)
            .await?
            .into_iter()
            .next(),
        None => None,
    })
}

/// A 公示 was recorded: its text for the secretary, and sent to every active member of the
/// person's branch in their own language, once (the dedupe key names the 公示's first day).
async fn publish(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    key: &str,
    today: NaiveDate,
) -> Result<String, StoreError> {
    let w = words(cx);
    let policy = &cx.engine.recruitment;
    let Ok(v) = service::view(conn, Viewer::Member(member), key, policy).await? else {
        return Ok(String::new());
    };
    let contact = first_secretary(conn, v.recruit.branch_id).await?;
    let org = cx.engine.org_name.as_str();
    let (Some(text), Some(window)) = (w.notice(&v, org, contact.as_ref(), today), v.publicity)
    else {
        return Ok(String::new());
    };
    let mut sent = 0usize;
    if let Some(branch) = v.recruit.branch_id {
        for m in members::list(conn, Some(branch)).await? {
            if !m.active || m.id == member.id {
                continue;
            }
            let theirs = Words {
                catalog: cx.catalog,
                locale: m.locale,
            };
            let Some(body) = theirs.notice(&v, org, contact.as_ref(), today) else {
                continue;
            };
            let push = crate::delivery::route::Push {
                dedupe_key: format!("recruit-notice:{}:{}:{}", v.recruit.id, window.start, m.id),
                urgent: false,
                not_before: cx.now_ms,
                expires_at: None,
            };
            let route = cx
                .push(conn, &m, &crate::flows::Reply::text(body), &push)
                .await?;
            if route.channel().is_some() {
                sent += 1;
            }
        }
    }
    Ok(format!(
        "{text}\n\n{}",
        w.r(msg!("recruit-notice-sent"), &[("count", sent.into())])
    ))
}

/// The pipeline: people per stage, then one line each.
pub fn pipeline_text(w: &Words<'_>, views: &[View], today: NaiveDate) -> String {
    if views.is_empty() {
        return w.t(msg!("recruit-pipeline-empty"));
    }
    let counts: Vec<String> = Stage::ALL
        .iter()
        .map(|s| {
            let n = views.iter().filter(|v| v.stage == *s).count();
            format!("{} {n}", w.stage(*s))
        })
        .collect();
    let mut lines = vec![w.r(
        msg!("recruit-pipeline-header"),
        &[
            ("count", views.len().into()),
            ("stages", counts.join(" · ").into()),
        ],
    )];
    lines.extend(views.iter().map(|v| w.pipeline_line(v, today)));
    lines.push(w.t(msg!("recruit-usage")));
    lines.join("\n")
}

/// What follows the step's name in `/recruit KEY STEP …` and `recruit record`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub on: NaiveDate,
    pub contact: Option<String>,
    pub hours: Option<u32>,
    pub tally: Option<Tally>,
    pub note: String,
}

/// `[DATE] [CONTACT | HOURS | YES NO ABSTAIN ENTITLED] [note…]`; the date defaults to today.
/// The error is the message saying how to write it.
pub fn parse_details(kind: StepKind, rest: &[&str], today: NaiveDate) -> Result<Details, Msg> {
    let mut rest = rest;
    let on = match rest.first().and_then(|s| parse_date(s)) {
        Some(d) => {
            rest = &rest[1..];
            d
        }
        None => {
            if rest
                .first()
                .is_some_and(|s| s.chars().filter(|c| *c == '-').count() == 2)
            {
                return Err(msg!("recruit-bad-date"));
            }
            today
        }
    };
    let mut details = Details {
        on,
        contact: None,
        hours: None,
        tally: None,
        note: String::new(),
    };
    match kind {
        StepKind::Contact => {
            let Some((key, r)) = rest.split_first() else {
                return Err(msg!("recruit-bad-contact"));
            };
            details.contact = Some((*key).to_owned());
            rest = r;
        }
        StepKind::Training => {
            if let Some(h) = rest.first().and_then(|s| s.parse::<u32>().ok()) {
                details.hours = Some(h);
                rest = &rest[1..];
            }
        }
        StepKind::Vote => {
            let n: Vec<u32> = rest.iter().take(4).map_while(|s| s.parse().ok()).collect();
            let [yes, no, abstain, entitled] = n[..] else {
                return Err(msg!("recruit-bad-tally"));
            };
            details.tally = Some(Tally {
                yes,
                no,
                abstain,
                entitled,
            });
            rest = &rest[4..];
        }
        _ => {}
    }
    details.note = rest.join(" ");
    Ok(details)
}
