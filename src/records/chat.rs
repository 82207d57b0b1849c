//! The records in chat. `/activity` logs a service activity step by step (the kind by button,
//! the day, the place, the participants picked from the branch by button or typed by name,
//! the description, a preview to save); each participant is asked 确认参加 / 不是我.
//! `/plan [支部名]` reads a branch's work plan (a name in part is enough; without one, the
//! branches that published, or for the committee which have not), `/plan_publish [text]`
//! publishes the branch's, `/comment 支部名 [@学号] 点评` is the committee's 领导点评 and
//! `/comments` what the branch (or the member) was told. How refusals read is shared with the
//! command line.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::rules::{self, DayError, TextError};
use super::service::{self, Answered, Denied, NewActivity, NewComment, Viewer};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Content, Ctx, Inbound, Reply, State};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::audit::Actor;
use crate::store::{members, Conn, StoreError};

/// The most members the participant picker offers as buttons.
const PICK_LIMIT: usize = 30;

/// Where a member is in writing a record (kept in [`State::Records`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "draft", rename_all = "snake_case")]
pub enum Draft {
    /// `/activity`: the kind is offered.
    ActivityKind,
    /// The day is typed next.
    ActivityDay { kind: String },
    /// The place is typed next.
    ActivityPlace { kind: String, day: NaiveDate },
    /// Participants are picked (the one logging is in from the start).
    ActivityWho {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
    },
    /// The description is typed next.
    ActivityText {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
    },
    /// The preview waits for 保存 / 取消. Photos will attach here (issue 22, section 1).
    ActivityPreview {
        kind: String,
        day: NaiveDate,
        place: String,
        who: Vec<i64>,
        text: String,
    },
    /// `/plan_publish`: the plan's text is typed next.
    PlanText,
}

/// Renders the feature's texts in one locale.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    pub catalog: &'a Catalog,
    pub locale: Locale,
}

impl Words<'_> {
    pub fn t(&self, id: Msg) -> String {
        self.catalog.text(self.locale, id)
    }

    pub fn r(&self, id: Msg, args: &[(&str, Arg)]) -> String {
        self.catalog.render(self.locale, id, args)
    }

    pub fn list(&self, items: &[String]) -> String {
        items.join(&self.t(msg!("cli-list-separator")))
    }

    pub fn kind(&self, key: &str) -> String {
        rules::kind_name(self.catalog, self.locale, key)
    }

    /// `马超（S103）`.
    pub fn who(&self, name: &str, key: &str) -> String {
        self.r(
            msg!("dues-who"),
            &[("name", name.into()), ("key", key.into())],
        )
    }

    /// Why a day was refused.
    pub fn bad_day(&self, typed: &str, e: DayError) -> String {
        let id = match e {
            DayError::Unreadable => msg!("records-day-unreadable"),
            DayError::Future => msg!("records-day-future"),
            DayError::TooOld => msg!("records-day-too-old"),
        };
        self.r(id, &[("typed", typed.trim().into())])
    }

    /// Why a text was refused; `what` names it (the place, the description, the plan).
    pub fn bad_text(&self, what: Msg, e: TextError) -> String {
        let what = self.t(what);
        match e {
            TextError::Empty => self.r(msg!("records-text-empty"), &[("what", what.into())]),
            TextError::TooShort(min) => self.r(
                msg!("records-text-too-short"),
                &[("what", what.into()), ("min", min.into())],
            ),
            TextError::TooLong(max) => self.r(
                msg!("records-text-too-long"),
                &[("what", what.into()), ("max", max.into())],
            ),
        }
    }

    /// Why a request was not carried out, and what to do.
    pub fn denied(&self, d: &Denied) -> String {
        match d {
            Denied::NotAllowedToLog => self.t(msg!("records-log-not-allowed")),
            Denied::NotAllowedToPublish => self.t(msg!("records-plan-not-allowed")),
            Denied::NotAllowedToComment => self.t(msg!("records-comment-not-allowed")),
            Denied::NotInBranch(m) => self.r(
                msg!("records-not-in-branch"),
                &[("who", self.who(&m.name, &m.key).into())],
            ),
            Denied::NoParticipants => self.t(msg!("records-no-participants")),
            Denied::TooManyParticipants => self.r(
                msg!("records-too-many-participants"),
                &[("max", rules::MAX_PARTICIPANTS.into())],
            ),
            Denied::Text(what, e) => self.bad_text(*what, *e),
            Denied::NoCampaign => self.t(msg!("records-no-campaign")),
            Denied::NoSuchPhase(n, of) => self.r(
                msg!("records-no-such-phase"),
                &[("phase", (*n).into()), ("count", (*of).into())],
            ),
            Denied::PhaseNotStarted(n) => {
                self.r(msg!("records-phase-not-started"), &[("phase", (*n).into())])
            }
            Denied::AboutNotInBranch(m) => self.r(
                msg!("records-not-in-branch"),
                &[("who", self.who(&m.name, &m.key).into())],
            ),
        }
    }

    /// A comment as the branch reads it.
    pub fn comment(
        &self,
        c: &crate::domain::campaign::Campaign,
        k: &super::store::Comment,
    ) -> String {
        let title = c
            .phases
            .get(k.phase as usize)
            .map(|p| p.title.get(self.locale).to_owned())
            .unwrap_or_default();
        match &k.about {
            None => self.r(
                msg!("records-comment-line"),
                &[
                    ("title", title.into()),
                    ("branch", k.branch.as_str().into()),
                    ("text", k.body.as_str().into()),
                ],
            ),
            Some((name, key)) => self.r(
                msg!("records-comment-line-member"),
                &[
                    ("title", title.into()),
                    ("who", self.who(name, key).into()),
                    ("text", k.body.as_str().into()),
                ],
            ),
        }
    }
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

fn draft(d: Draft) -> State {
    State::Records(d)
}

/// The text after the command word as it was typed (the command parser folds full-width
/// punctuation, which a plan or a comment keeps).
pub fn raw_arg(inbound: &Inbound) -> Option<&str> {
    match &inbound.content {
        Content::Text { text } => text
            .trim()
            .split_once(char::is_whitespace)
            .map(|(_, rest)| rest.trim())
            .filter(|r| !r.is_empty()),
        _ => None,
    }
}

/// Whether a typed text is for the draft (the preview waits for its buttons).
pub fn takes_text(d: &Draft) -> bool {
    !matches!(d, Draft::ActivityKind | Draft::ActivityPreview { .. })
}

// ---------------------------------------------------------------------------------------------
// Activities

/// `/activity`: the kinds to choose from.
pub async fn activity(cx: &Ctx<'_>, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    let Some(branch) = member.branch_id else {
        return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
    };
    if !service::may_log(Viewer::Member(member), branch) {
        return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
    }
    let choices = cx
        .engine
        .records
        .kinds()
        .into_iter()
        .map(|k| Choice {
            data: format!("rec:kind:{k}"),
            label: w.kind(&k),
            aliases: Locale::ALL
                .iter()
                .map(|l| rules::kind_name(cx.catalog, *l, &k))
                .collect(),
        })
        .collect();
    Ok(Step::new(
        vec![Reply::with_choices(w.t(msg!("records-ask-kind")), choices)],
        draft(Draft::ActivityKind),
    ))
}

/// Text typed while a draft waits for it.
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    d: &Draft,
    text: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let state = draft(d.clone());
    Ok(match d.clone() {
        Draft::ActivityDay { kind } => match rules::parse_day(text, today(cx)) {
            Ok(day) => Step::new(
                vec![Reply::text(w.t(msg!("records-ask-place")))],
                draft(Draft::ActivityPlace { kind, day }),
            ),
            Err(e) => Step::retry(w.bad_day(text, e), state),
        },
        Draft::ActivityPlace { kind, day } => {
            match rules::text_within(text, 1, rules::MAX_PLACE_CHARS) {
                Ok(place) => {
                    let who = vec![member.id];
                    let next = Draft::ActivityWho {
                        kind,
                        day,
                        place,
                        who: who.clone(),
                    };
                    picker(cx, conn, member, next, &who).await?
                }
                Err(e) => Step::retry(w.bad_text(msg!("records-what-place"), e), state),
            }
        }
        Draft::ActivityWho {
            kind,
            day,
            place,
            mut who,
        } => {
            let folded = crate::chat::fold(text).trim().to_lowercase();
            let candidates = pickable(conn, member).await?;
            let shown = candidates.len().min(PICK_LIMIT);
            // 完成 typed, or its number among the buttons (SMS shows them numbered).
            let done = folded == (shown + 1).to_string()
                || Locale::ALL.iter().any(|l| {
                    cx.catalog
                        .text(*l, msg!("records-button-done"))
                        .to_lowercase()
                        == folded
                });
            if done {
                return done_picking(cx, member, kind, day, place, who);
            }
            for part in text
                .split([',', '，', '、', ';', '；', ' ', '\n'])
                .map(str::trim)
                .filter(|p| !p.is_empty())
            {
                let found = match part.parse::<usize>() {
                    Ok(n) if n >= 1 && n <= shown => Some(&candidates[n - 1]),
                    _ => candidates.iter().find(|m| {
                        m.key.eq_ignore_ascii_case(part) || m.name.eq_ignore_ascii_case(part)
                    }),
                };
                let Some(m) = found else {
                    return Ok(Step::retry(
                        w.r(
                            msg!("records-unknown-participant"),
                            &[("typed", part.into())],
                        ),
                        state,
                    ));
                };
                if !who.contains(&m.id) {
                    who.push(m.id);
                }
            }
            let next = Draft::ActivityWho {
                kind,
                day,
                place,
                who: who.clone(),
            };
            picker(cx, conn, member, next, &who).await?
        }
        Draft::ActivityText {
            kind,
            day,
            place,
            who,
        } => match rules::text_within(text, 1, rules::MAX_DESCRIPTION_CHARS) {
            Ok(text) => {
                let next = Draft::ActivityPreview {
                    kind,
                    day,
                    place,
                    who,
                    text,
                };
                preview(cx, conn, next).await?
            }
            Err(e) => Step::retry(w.bad_text(msg!("records-what-description"), e), state),
        },
        Draft::PlanText => publish_typed(cx, conn, member, text).await?,
        Draft::ActivityKind | Draft::ActivityPreview { .. } => {
            Step::retry(w.t(msg!("error-not-understood")), state)
        }
    })
}

/// The branch's members one may name on an activity (activists and party members; not the
/// masses), by roster key.
async fn pickable(conn: &mut Conn, member: &Member) -> Result<Vec<Member>, StoreError> {
    let Some(b) = member.branch_id else {
        return Ok(Vec::new());
    };
    Ok(members::list(conn, Some(b))
        .await?
        .into_iter()
        .filter(|m| m.role != crate::domain::org::Role::Masses)
        .collect())
}

/// The picker: who is named so far, a button per member (✓ on those named), and 完成.
async fn picker(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    d: Draft,
    who: &[i64],
) -> Result<Step, StoreError> {
    let w = words(cx);
    let all = pickable(conn, member).await?;
    let named: Vec<String> = all
        .iter()
        .filter(|m| who.contains(&m.id))
        .map(|m| m.name.clone())
        .collect();
    let mut choices: Vec<Choice> = all
        .iter()
        .take(PICK_LIMIT)
        .map(|m| Choice {
            data: format!("rec:who:{}", m.id),
            label: if who.contains(&m.id) {
                format!("✓ {}", m.name)
            } else {
                m.name.clone()
            },
            aliases: vec![m.key.clone()],
        })
        .collect();
    choices.push(cx.choice("rec:done", msg!("records-button-done")));
    let text = w.r(
        msg!("records-ask-who"),
        &[
            ("count", named.len().into()),
            ("names", w.list(&named).into()),
        ],
    );
    Ok(Step::new(
        vec![Reply::with_choices(text, choices)],
        draft(d),
    ))
}

fn done_picking(
    cx: &Ctx<'_>,
    _member: &Member,
    kind: String,
    day: NaiveDate,
    place: String,
    who: Vec<i64>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    if who.is_empty() {
        return Ok(Step::retry(
            w.t(msg!("records-no-participants")),
            draft(Draft::ActivityWho {
                kind,
                day,
                place,
                who,
            }),
        ));
    }
    Ok(Step::new(
        vec![Reply::text(w.r(
            msg!("records-ask-description"),
            &[("max", rules::MAX_DESCRIPTION_CHARS.into())],
        ))],
        draft(Draft::ActivityText {
            kind,
            day,
            place,
            who,
        }),
    ))
}

async fn names_of(conn: &mut Conn, who: &[i64]) -> Result<Vec<Member>, StoreError> {
    let mut out = Vec::new();
    for id in who {
        out.extend(members::by_id(conn, *id).await?);
    }
    Ok(out)
}

/// What will be saved, with 保存 / 取消.
async fn preview(cx: &Ctx<'_>, conn: &mut Conn, d: Draft) -> Result<Step, StoreError> {
    let w = words(cx);
    let Draft::ActivityPreview {
        kind,
        day,
        place,
        who,
        text,
    } = &d
    else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let names: Vec<String> = names_of(conn, who)
        .await?
        .iter()
        .map(|m| m.name.clone())
        .collect();
    let body = w.r(
        msg!("records-preview"),
        &[
            ("kind", w.kind(kind).into()),
            ("day", day.format("%Y-%m-%d").to_string().into()),
            ("place", place.as_str().into()),
            ("names", w.list(&names).into()),
            ("description", text.as_str().into()),
        ],
    );
    Ok(Step::new(
        vec![Reply::with_choices(
            body,
            vec![
                cx.choice("rec:save", msg!("records-button-save")),
                cx.choice("rec:discard", msg!("records-button-discard")),
            ],
        )],
        draft(d),
    ))
}

/// A button of the feature: `kind:<k>`, `who:<id>`, `done`, `save`, `discard`, `yes:<id>`,
/// `no:<id>`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: State,
    value: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let stale = || Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    let (what, rest) = value.split_once(':').unwrap_or((value, ""));
    match (what, state) {
        ("yes" | "no", _) => {
            let Ok(id) = rest.parse::<i64>() else {
                return stale();
            };
            let actor = Actor::member(member, cx.via);
            let answered =
                service::answer(conn, member, &actor, id, what == "yes", cx.now_ms).await?;
            Ok(Step::text(match answered {
                Answered::Confirmed(a) => w.r(
                    msg!("records-confirmed"),
                    &[
                        ("kind", w.kind(&a.kind).into()),
                        ("day", a.held_on.as_str().into()),
                    ],
                ),
                Answered::Declined(a) => w.r(
                    msg!("records-declined"),
                    &[
                        ("kind", w.kind(&a.kind).into()),
                        ("day", a.held_on.as_str().into()),
                    ],
                ),
                Answered::NotNamed => w.t(msg!("records-not-named")),
            }))
        }
        ("kind", State::Records(Draft::ActivityKind)) => {
            if !cx.engine.records.kinds().iter().any(|k| k == rest) {
                return stale();
            }
            Ok(Step::new(
                vec![Reply::text(w.r(
                    msg!("records-ask-day"),
                    &[("kind", w.kind(rest).into())],
                ))],
                draft(Draft::ActivityDay {
                    kind: rest.to_owned(),
                }),
            ))
        }
        (
            "who",
            State::Records(Draft::ActivityWho {
                kind,
                day,
                place,
                mut who,
            }),
        ) => {
            let Ok(id) = rest.parse::<i64>() else {
                return stale();
            };
            if !pickable(conn, member).await?.iter().any(|m| m.id == id) {
                return stale();
            }
            match who.iter().position(|x| *x == id) {
                Some(i) => {
                    who.remove(i);
                }
                None => who.push(id),
            }
            let next = Draft::ActivityWho {
                kind,
                day,
                place,
                who: who.clone(),
            };
            picker(cx, conn, member, next, &who).await
        }
        (
            "done",
            State::Records(Draft::ActivityWho {
                kind,
                day,
                place,
                who,
            }),
        ) => done_picking(cx, member, kind, day, place, who),
        (
            "save",
            State::Records(Draft::ActivityPreview {
                kind,
                day,
                place,
                who,
                text,
            }),
        ) => {
            let Some(branch_id) = member.branch_id else {
                return Ok(Step::text(w.t(msg!("records-log-not-allowed"))));
            };
            let new = NewActivity {
                branch_id,
                kind: kind.clone(),
                held_on: day,
                place,
                body: text,
                participants: names_of(conn, &who).await?,
            };
            let actor = Actor::member(member, cx.via);
            match service::log_activity(
                conn,
                cx.engine,
                Viewer::Member(member),
                &actor,
                &new,
                cx.now_ms,
            )
            .await?
            {
                Ok((_, asked)) => {
                    cx.mark_pushed();
                    Ok(Step::text(w.r(
                        msg!("records-logged"),
                        &[
                            ("kind", w.kind(&kind).into()),
                            ("day", day.format("%Y-%m-%d").to_string().into()),
                            ("asked", asked.into()),
                        ],
                    )))
                }
                Err(d) => Ok(Step::text(w.denied(&d))),
            }
        }
        ("discard", State::Records(_)) => Ok(Step::text(w.t(msg!("records-discarded")))),
        _ => stale(),
    }
}

// ---------------------------------------------------------------------------------------------
// Plans

/// The branch meant by a typed name: the exact name, else the only one containing it.
enum Named {
    One(i64, String),
    Several(Vec<String>),
    None,
}

async fn branch_named(conn: &mut Conn, typed: &str) -> Result<Named, StoreError> {
    let typed = crate::chat::fold(typed).trim().to_lowercase();
    let all = members::branches(conn).await?;
    if let Some((id, name, _)) = all.iter().find(|(_, n, _)| n.to_lowercase() == typed) {
        return Ok(Named::One(*id, name.clone()));
    }
    let mut hits: Vec<(i64, String)> = all
        .into_iter()
        .filter(|(_, n, _)| n.to_lowercase().contains(&typed))
        .map(|(id, n, _)| (id, n))
        .collect();
    Ok(match hits.len() {
        0 => Named::None,
        1 => {
            let (id, n) = hits.remove(0);
            Named::One(id, n)
        }
        _ => Named::Several(hits.into_iter().map(|(_, n)| n).collect()),
    })
}

/// `/plan [支部名]`: anyone, the masses and senders not yet bound too (`reader` None).
pub async fn plan(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    reader: Option<&Member>,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let tz = cx.engine.tz;
    let states = service::plan_states(conn, tz).await?;
    let Some(typed) = arg.map(str::trim).filter(|a| !a.is_empty()) else {
        let published: Vec<String> = states
            .iter()
            .filter(|(_, _, p)| *p)
            .map(|(_, n, _)| n.clone())
            .collect();
        let mut lines = vec![if published.is_empty() {
            w.t(msg!("records-plan-none-published"))
        } else {
            w.r(
                msg!("records-plan-list"),
                &[
                    ("count", published.len().into()),
                    ("list", w.list(&published).into()),
                ],
            )
        }];
        if reader.is_some_and(|m| m.college) {
            let missing: Vec<String> = states
                .iter()
                .filter(|(_, _, p)| !*p)
                .map(|(_, n, _)| n.clone())
                .collect();
            lines.push(missing_line(&w, &missing));
        }
        return Ok(Step::text(lines.join("\n")));
    };
    match branch_named(conn, typed).await? {
        Named::One(id, name) => Ok(Step::text(plan_text(
            &w,
            tz,
            &name,
            service::plan_of(conn, tz, id).await?,
        ))),
        Named::Several(names) => Ok(Step::text(w.r(
            msg!("records-plan-which"),
            &[("typed", typed.into()), ("list", w.list(&names).into())],
        ))),
        Named::None => {
            let names: Vec<String> = states.into_iter().map(|(_, n, _)| n).collect();
            Ok(Step::text(w.r(
                msg!("records-no-branch"),
                &[("typed", typed.into()), ("list", w.list(&names).into())],
            )))
        }
    }
}

/// The branches that have not published, as a line.
pub fn missing_line(w: &Words<'_>, missing: &[String]) -> String {
    if missing.is_empty() {
        w.t(msg!("records-plan-all-published"))
    } else {
        w.r(
            msg!("records-plan-missing"),
            &[
                ("count", missing.len().into()),
                ("list", w.list(missing).into()),
            ],
        )
    }
}

/// A branch's plan as people read it, or that it has none yet.
pub fn plan_text(
    w: &Words<'_>,
    tz: chrono_tz::Tz,
    branch: &str,
    plan: Option<(String, Option<String>, i64)>,
) -> String {
    match plan {
        None => w.r(
            msg!("records-plan-not-published"),
            &[("branch", branch.into())],
        ),
        Some((body, by, at)) => {
            let day = chrono::DateTime::from_timestamp_millis(at)
                .unwrap_or_default()
                .with_timezone(&tz)
                .format("%Y-%m-%d")
                .to_string();
            let by = by.unwrap_or_else(|| w.t(msg!("dues-by-operator")));
            w.r(
                msg!("records-plan-show"),
                &[
                    ("branch", branch.into()),
                    ("day", day.into()),
                    ("by", by.into()),
                    ("text", body.into()),
                ],
            )
        }
    }
}

/// `/plan_publish [text]`.
pub async fn plan_publish(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let Some(b) = member
        .branch_id
        .filter(|b| service::may_publish(Viewer::Member(member), *b))
    else {
        return Ok(Step::text(w.t(msg!("records-plan-not-allowed"))));
    };
    let _ = b;
    match text {
        Some(t) => publish_typed(cx, conn, member, t).await,
        None => Ok(Step::new(
            vec![Reply::text(w.r(
                msg!("records-plan-ask"),
                &[("max", rules::MAX_PLAN_CHARS.into())],
            ))],
            draft(Draft::PlanText),
        )),
    }
}

async fn publish_typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    text: &str,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let (Some(b), Some(name)) = (member.branch_id, member.branch_name.as_deref()) else {
        return Ok(Step::text(w.t(msg!("records-plan-not-allowed"))));
    };
    let actor = Actor::member(member, cx.via);
    let done = service::publish_plan(
        conn,
        cx.engine.tz,
        Viewer::Member(member),
        &actor,
        (b, name),
        text,
        cx.now_ms,
    )
    .await?;
    Ok(match done {
        Ok(first) => Step::text(w.r(
            if first {
                msg!("records-plan-published")
            } else {
                msg!("records-plan-replaced")
            },
            &[("branch", name.into())],
        )),
        Err(d @ Denied::Text(..)) => Step::retry(w.denied(&d), draft(Draft::PlanText)),
        Err(d) => Step::text(w.denied(&d)),
    })
}

// ---------------------------------------------------------------------------------------------
// 领导点评

/// `/comment [支部名 [@学号] 点评]`: the committee's comment on the phase running or just
/// ended; alone, which branches have one.
pub async fn comment(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    if !member.college {
        return Ok(Step::text(w.t(msg!("records-comment-not-allowed"))));
    }
    let Some(c) = service::campaign(conn, cx.engine.tz).await? else {
        return Ok(Step::text(w.t(msg!("records-no-campaign"))));
    };
    let Some(phase) = service::comment_phase(&c, cx.now()) else {
        return Ok(Step::text(w.r(
            msg!("records-phase-not-started"),
            &[("phase", 1_i64.into())],
        )));
    };
    let title = c.phases[phase].title.get(cx.locale).to_owned();
    let Some(arg) = arg else {
        let done = super::store::comments(conn, &c.name, None).await?;
        let lines: Vec<String> = members::branches(conn)
            .await?
            .into_iter()
            .map(|(id, name, _)| {
                let has = done
                    .iter()
                    .any(|k| k.branch_id == id && k.phase == phase as i64 && k.about.is_none());
                w.r(
                    if has {
                        msg!("records-comment-state-done")
                    } else {
                        msg!("records-comment-state-missing")
                    },
                    &[("branch", name.into())],
                )
            })
            .collect();
        let head = w.r(msg!("records-comment-usage"), &[("title", title.into())]);
        return Ok(Step::text(format!("{head}\n{}", lines.join("\n"))));
    };
    let (typed_branch, rest) = arg.split_once(char::is_whitespace).unwrap_or((arg, ""));
    let (id, name) = match branch_named(conn, typed_branch).await? {
        Named::One(id, name) => (id, name),
        Named::Several(names) => {
            return Ok(Step::text(w.r(
                msg!("records-plan-which"),
                &[
                    ("typed", typed_branch.into()),
                    ("list", w.list(&names).into()),
                ],
            )))
        }
        Named::None => {
            let names: Vec<String> = members::branches(conn)
                .await?
                .into_iter()
                .map(|(_, n, _)| n)
                .collect();
            return Ok(Step::text(w.r(
                msg!("records-no-branch"),
                &[
                    ("typed", typed_branch.into()),
                    ("list", w.list(&names).into()),
                ],
            )));
        }
    };
    let rest = rest.trim();
    let (about, text) = match rest.strip_prefix(['@', '＠']) {
        Some(r) => {
            let (key, text) = r.split_once(char::is_whitespace).unwrap_or((r, ""));
            match members::find(conn, key).await? {
                Some(m) => (Some(m), text.trim()),
                None => {
                    return Ok(Step::text(
                        w.r(msg!("dues-unknown-member"), &[("who", key.into())]),
                    ))
                }
            }
        }
        None => (None, rest),
    };
    let actor = Actor::member(member, cx.via);
    let new = NewComment {
        phase,
        branch: (id, &name),
        about: about.as_ref(),
        text,
    };
    let done = service::write_comment(
        conn,
        cx.engine,
        Viewer::Member(member),
        &actor,
        &c,
        &new,
        cx.now_ms,
    )
    .await?;
    Ok(Step::text(match done {
        Ok((fresh, told)) => {
            cx.mark_pushed();
            w.r(
                if fresh {
                    msg!("records-comment-saved")
                } else {
                    msg!("records-comment-replaced")
                },
                &[
                    ("title", title.into()),
                    ("branch", name.into()),
                    ("told", told.into()),
                ],
            )
        }
        Err(d) => w.denied(&d),
    }))
}

/// `/comments`: what the committee said about the branch (and about oneself).
pub async fn comments(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    if !member.college && !member.role.is_party_member() {
        return Ok(Step::text(w.t(msg!("records-comments-not-allowed"))));
    }
    let Some(c) = service::campaign(conn, cx.engine.tz).await? else {
        return Ok(Step::text(w.t(msg!("records-no-campaign"))));
    };
    let scope = if member.college {
        None
    } else {
        member.branch_id
    };
    let list = service::comments_for(conn, &c, member, scope).await?;
    if list.is_empty() {
        return Ok(Step::text(w.t(msg!("records-comments-none"))));
    }
    let lines: Vec<String> = list.iter().map(|k| w.comment(&c, k)).collect();
    Ok(Step::text(format!(
        "{}\n{}",
        w.r(
            msg!("records-comments-header"),
            &[("campaign", c.name.as_str().into())]
        ),
        lines.join("\n")
    )))
}

/// The committee's `/campaign` line for a phase: activities and confirmed participations per
/// branch held in it; None when no branch logged one.
pub async fn phase_activity_line(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    phase: &crate::domain::campaign::Phase,
) -> Result<Option<String>, StoreError> {
    let w = words(cx);
    let tz = cx.engine.tz;
    let from = phase
        .start
        .with_timezone(&tz)
        .format("%Y-%m-%d")
        .to_string();
    let to = phase.last_day_text(tz);
    let counts = super::store::branch_counts(conn, &from, &to).await?;
    if counts.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> = members::branches(conn)
        .await?
        .into_iter()
        .map(|(id, name, _)| {
            let (a, p) = counts
                .iter()
                .find(|(b, _, _)| *b == id)
                .map_or((0, 0), |(_, a, p)| (*a, *p));
            w.r(
                msg!("records-phase-branch"),
                &[
                    ("branch", name.into()),
                    ("activities", a.into()),
                    ("confirmed", p.into()),
                ],
            )
        })
        .collect();
    Ok(Some(w.r(
        msg!("records-phase-activities"),
        &[("list", w.list(&parts).into())],
    )))
}
