//! `/spotcheck` (随机抽查), for the college committee: a branch is picked at random, then one of
//! its recent meetings or one of its members' published pledges, and its records are shown.
//! The checker may record a finding (typed next, in [`Waiting::SpotCheckFinding`]), ask for
//! another one, or stop. A recorded finding is written to `spot_checks` and the audit log, and
//! the branch's secretary and deputy are told, all in the step's transaction.

use rand::seq::IndexedRandom;

use serde::{Deserialize, Serialize};

use super::rules::{
    parse_finding, FindingError, Narrow, SubjectKind, LAST_FEW, MAX_FINDING_CHARS, RECENT_DAYS,
};
use super::store::{self as store, SpotCheck};
use crate::delivery::route::Push;
use crate::domain::org::{Member, Role};
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply, State};
use crate::i18n::{Catalog, Locale};
use crate::meetings::service::{self as meetings, Rsvp};
use crate::msg;
use crate::store::audit::{excerpt, Action};
use crate::store::{members, Conn, StoreError};

const DAY_MS: i64 = 24 * 3_600_000;

/// The feature's waiting steps, kept in `State::Feature` under [`super::NAME`]. Their JSON is
/// what `flows::State` wrote for them before the feature had its own folder
/// (`{"step":"spot_check_shown","check":7,"narrow":""}`), so a conversation stored then reads
/// on ([`super::Spotcheck`] claims those two step names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Waiting {
    /// A record is shown; offered 记录发现 / 换一个 / 取消. `narrow` is what the pick was
    /// narrowed to, for another one.
    SpotCheckShown { check: i64, narrow: String },
    /// The finding is typed next.
    SpotCheckFinding { check: i64, narrow: String },
}

impl Waiting {
    fn state(&self) -> State {
        State::feature(super::NAME, self)
    }
}

/// A button of a shown check, as typed data: on the wire `spot:find:7`, `spot:again:7`,
/// `spot:cancel:7` (what the buttons carried before it was typed, so buttons already sent still
/// work), at most [`MAX_DATA_BYTES`] as Telegram allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// 记录发现: the finding is typed next.
    Find(i64),
    /// 换一个: another record, narrowed the same way.
    Again(i64),
    /// 取消.
    Cancel(i64),
}

/// Telegram's limit on a button's data.
pub const MAX_DATA_BYTES: usize = 64;

impl Button {
    /// The button's data.
    pub fn encode(self) -> String {
        let (verb, id) = match self {
            Self::Find(id) => ("find", id),
            Self::Again(id) => ("again", id),
            Self::Cancel(id) => ("cancel", id),
        };
        format!("spot:{verb}:{id}")
    }

    /// What a button's data after `spot:` means; None for data this version never wrote.
    pub fn decode(value: &str) -> Option<Self> {
        let (verb, id) = value.split_once(':')?;
        let id: i64 = id.parse().ok()?;
        match verb {
            "find" => Some(Self::Find(id)),
            "again" => Some(Self::Again(id)),
            "cancel" => Some(Self::Cancel(id)),
            _ => None,
        }
    }

    fn check(self) -> i64 {
        match self {
            Self::Find(id) | Self::Again(id) | Self::Cancel(id) => id,
        }
    }
}

/// How much of the minutes the record quotes.
const MINUTES_START_CHARS: usize = 60;

/// `/spotcheck [meeting|pledge] [branch]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    if !member.college {
        return Ok(Step::text(cx.t(msg!("spotcheck-not-allowed"))));
    }
    show(cx, conn, member, Narrow::parse(arg)).await
}

/// Picks a record within `narrow`, stores the check as started, and shows the record.
async fn show(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    narrow: Narrow,
) -> Result<Step, StoreError> {
    let branch = match &narrow.branch {
        None => None,
        Some(name) => match members::branch_id(conn, name).await? {
            Some(id) => Some(id),
            None => {
                let names: Vec<String> = members::branches(conn)
                    .await?
                    .into_iter()
                    .map(|(_, n, _)| n)
                    .collect();
                return Ok(Step::text(cx.r(
                    msg!("spotcheck-no-branch"),
                    &[
                        ("branch", name.as_str().into()),
                        (
                            "branches",
                            names.join(&cx.t(msg!("cli-list-separator"))).into(),
                        ),
                    ],
                )));
            }
        },
    };
    let mut candidates: Vec<(SubjectKind, i64, i64)> = Vec::new();
    if narrow.kind != Some(SubjectKind::Pledge) {
        let since = cx.now_ms - RECENT_DAYS * DAY_MS;
        for (b, id) in store::recent_meetings(conn, branch, since, cx.now_ms, LAST_FEW).await? {
            candidates.push((SubjectKind::Meeting, b, id));
        }
    }
    if narrow.kind != Some(SubjectKind::Meeting) {
        for (b, id) in store::published_pledges(conn, branch).await? {
            candidates.push((SubjectKind::Pledge, b, id));
        }
    }
    let Some((kind, branch_id, subject_id)) = pick(&candidates) else {
        let text = if narrow == Narrow::default() {
            cx.r(msg!("spotcheck-nothing"), &[("days", RECENT_DAYS.into())])
        } else {
            cx.r(
                msg!("spotcheck-nothing-narrowed"),
                &[("scope", narrow.to_arg().into())],
            )
        };
        return Ok(Step::text(text));
    };
    let id = store::start(
        conn,
        member.id,
        branch_id,
        kind.as_str(),
        subject_id,
        cx.now_ms,
    )
    .await?;
    let check = store::get(conn, id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("spot check vanished".into()))?;
    let text = match kind {
        SubjectKind::Meeting => meeting_record(cx, conn, &check).await?,
        SubjectKind::Pledge => pledge_record(cx, conn, &check).await?,
    };
    let choices: Vec<Choice> = vec![
        cx.choice(Button::Find(id).encode(), msg!("spotcheck-find")),
        cx.choice(Button::Again(id).encode(), msg!("spotcheck-again")),
        cx.choice(Button::Cancel(id).encode(), msg!("spotcheck-cancel")),
    ];
    Ok(Step::new(
        vec![Reply::with_choices(text, choices)],
        Waiting::SpotCheckShown {
            check: id,
            narrow: narrow.to_arg(),
        }
        .state(),
    ))
}

/// A branch at random among those with something to check, then a kind the branch has, then
/// one of its records: a branch with many meetings is not checked more often than one with few.
fn pick(candidates: &[(SubjectKind, i64, i64)]) -> Option<(SubjectKind, i64, i64)> {
    let mut rng = rand::rng();
    let mut branches: Vec<i64> = candidates.iter().map(|c| c.1).collect();
    branches.sort_unstable();
    branches.dedup();
    let branch = *branches.choose(&mut rng)?;
    let mut kinds: Vec<SubjectKind> = candidates
        .iter()
        .filter(|c| c.1 == branch)
        .map(|c| c.0)
        .collect();
    kinds.dedup();
    let kind = *kinds.choose(&mut rng)?;
    let of_kind: Vec<&(SubjectKind, i64, i64)> = candidates
        .iter()
        .filter(|c| c.1 == branch && c.0 == kind)
        .collect();
    of_kind.choose(&mut rng).map(|c| **c)
}

/// A chosen option of a shown check: `find:<id>`, `again:<id>` or `cancel:<id>`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    value: &str,
) -> Result<Step, StoreError> {
    if !member.college {
        return Ok(Step::text(cx.t(msg!("spotcheck-not-allowed"))));
    }
    let Some(button) = Button::decode(value) else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let (check, narrow) = match state.data_of::<Waiting>(super::NAME) {
        Some(Waiting::SpotCheckShown { check, narrow }) => (check, narrow),
        // 取消 is offered while the finding is awaited too.
        Some(Waiting::SpotCheckFinding { check, narrow })
            if matches!(button, Button::Cancel(_)) =>
        {
            (check, narrow)
        }
        _ => return Ok(Step::text(cx.t(msg!("error-stale-choice")))),
    };
    if button.check() != check {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    }
    match button {
        Button::Find(_) => Ok(Step::new(
            vec![Reply::with_choices(
                cx.r(
                    msg!("spotcheck-ask-finding"),
                    &[("max", MAX_FINDING_CHARS.into())],
                ),
                vec![cancel_choice(cx, check)],
            )],
            Waiting::SpotCheckFinding { check, narrow }.state(),
        )),
        Button::Again(_) => show(cx, conn, member, Narrow::parse(Some(&narrow))).await,
        Button::Cancel(_) => Ok(Step::text(cx.t(msg!("spotcheck-cancelled")))),
    }
}

fn cancel_choice(cx: &Ctx<'_>, check: i64) -> Choice {
    cx.choice(Button::Cancel(check).encode(), msg!("spotcheck-cancel"))
}

/// The finding typed while [`Waiting::SpotCheckFinding`] waits for it.
pub async fn finding(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    waiting: &Waiting,
    text: &str,
) -> Result<Step, StoreError> {
    let Waiting::SpotCheckFinding { check, .. } = waiting else {
        return Ok(Step::text(cx.t(msg!("error-not-understood"))));
    };
    let state = &waiting.state();
    if !member.college {
        return Ok(Step::text(cx.t(msg!("spotcheck-not-allowed"))));
    }
    // The text waits before any offered choice; a typed 取消 (or its number) is still the button.
    if let Some((choice, rest)) = crate::flows::match_choice(&[cancel_choice(cx, *check)], text) {
        if rest.is_empty() && choice.data == Button::Cancel(*check).encode() {
            return Ok(Step::text(cx.t(msg!("spotcheck-cancelled"))));
        }
    }
    let finding = match parse_finding(text) {
        Ok(f) => f,
        Err(FindingError::Empty) => {
            return Ok(Step::retry(
                cx.t(msg!("spotcheck-finding-empty")),
                state.clone(),
            ))
        }
        Err(FindingError::TooLong) => {
            return Ok(Step::retry(
                cx.r(
                    msg!("spotcheck-finding-too-long"),
                    &[
                        ("length", text.trim().chars().count().into()),
                        ("max", MAX_FINDING_CHARS.into()),
                    ],
                ),
                state.clone(),
            ))
        }
    };
    if !store::conclude(conn, *check, member.id, &finding, cx.now_ms).await? {
        return Ok(Step::text(cx.t(msg!("spotcheck-already-recorded"))));
    }
    let Some(c) = store::get(conn, *check).await? else {
        return Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    };
    let detail = format!(
        "{} · {}:{} · {}",
        c.branch,
        c.subject_kind,
        c.subject_id,
        excerpt(&finding, 60)
    );
    cx.audit(
        conn,
        Action::SpotCheck,
        &format!("spotcheck:{}", c.id),
        &detail,
    )
    .await?;
    let mut told = Vec::new();
    for target in branch_leaders(conn, c.branch_id).await? {
        if target.id == member.id {
            continue;
        }
        let subject = subject_text(cx.catalog, target.locale, cx.engine.tz, conn, &c).await?;
        let text = cx.catalog.render(
            target.locale,
            msg!("spotcheck-notice"),
            &[
                ("checker", member.name.as_str().into()),
                ("branch", c.branch.as_str().into()),
                ("subject", subject.into()),
                ("finding", finding.as_str().into()),
            ],
        );
        let push = Push {
            dedupe_key: format!("spotcheck:{}:{}", c.id, target.id),
            urgent: false,
            not_before: cx.now_ms,
            expires_at: None,
        };
        cx.push(conn, &target, &Reply::text(text), &push).await?;
        told.push(target.name.clone());
    }
    let told = if told.is_empty() {
        cx.t(msg!("none"))
    } else {
        told.join(&cx.t(msg!("cli-list-separator")))
    };
    Ok(Step::text(cx.r(
        msg!("spotcheck-recorded"),
        &[("id", c.id.into()), ("told", told.into())],
    )))
}

/// The active secretary and deputy secretary of a branch.
async fn branch_leaders(conn: &mut Conn, branch_id: i64) -> Result<Vec<Member>, StoreError> {
    Ok(members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.active && matches!(m.role, Role::Secretary | Role::DeputySecretary))
        .collect())
}

/// `YYYY-MM-DD HH:MM` in the organisation's zone, as the audit log's entries read.
pub fn date_text(at_ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// What was checked, in one line: "支部党员大会（2026-11-20 19:30）" or "刘洋 的承诺".
pub async fn subject_text(
    catalog: &Catalog,
    locale: Locale,
    tz: chrono_tz::Tz,
    conn: &mut Conn,
    c: &SpotCheck,
) -> Result<String, StoreError> {
    if c.subject_kind == SubjectKind::Meeting.as_str() {
        let Some(m) = meetings::get(conn, c.subject_id).await? else {
            return Ok(format!("meeting:{}", c.subject_id));
        };
        return Ok(catalog.render(
            locale,
            msg!("spotcheck-subject-meeting"),
            &[
                ("kind", catalog.text(locale, m.kind.msg()).into()),
                ("date", date_text(m.starts_at, tz).into()),
            ],
        ));
    }
    let name = members::by_id(conn, c.subject_id)
        .await?
        .map(|m| m.name)
        .unwrap_or_else(|| c.subject_id.to_string());
    Ok(catalog.render(
        locale,
        msg!("spotcheck-subject-pledge"),
        &[("name", name.into())],
    ))
}

/// A held meeting's records: who attended, came late, was on leave (with the reason) or absent,
/// the 代签 sign-ins, and whether minutes were recorded.
async fn meeting_record(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    c: &SpotCheck,
) -> Result<String, StoreError> {
    let m = meetings::get(conn, c.subject_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("checked meeting vanished".into()))?;
    let all = meetings::attendees(conn, m.id).await?;
    let list = |names: Vec<String>| -> String {
        if names.is_empty() {
            "—".into()
        } else {
            names.join(&cx.t(msg!("cli-list-separator")))
        }
    };
    let present = list(
        all.iter()
            .filter(|a| a.signed_in && !a.late)
            .map(|a| a.name.clone())
            .collect(),
    );
    let late = list(
        all.iter()
            .filter(|a| a.signed_in && a.late)
            .map(|a| a.name.clone())
            .collect(),
    );
    let leave = list(
        all.iter()
            .filter(|a| !a.signed_in && a.rsvp == Rsvp::Leave)
            .map(|a| crate::meetings::service::leave_entry(cx.catalog, cx.locale, a))
            .collect(),
    );
    let absent = list(
        all.iter()
            .filter(|a| !a.signed_in && a.rsvp != Rsvp::Leave)
            .map(|a| crate::meetings::service::absent_entry(cx.catalog, cx.locale, a))
            .collect(),
    );
    let proxies = list(
        store::proxies(conn, m.id)
            .await?
            .iter()
            .map(|p| {
                cx.r(
                    msg!("spotcheck-proxy"),
                    &[
                        ("member", p.member.as_str().into()),
                        ("by", p.by.as_str().into()),
                        ("reason", p.reason.as_deref().unwrap_or("—").into()),
                    ],
                )
            })
            .collect(),
    );
    let minutes = match store::minutes(conn, m.id).await? {
        Some(body) => cx.r(
            msg!("spotcheck-minutes-start"),
            &[("start", excerpt(&body, MINUTES_START_CHARS).into())],
        ),
        None => cx.t(msg!("spotcheck-minutes-none")),
    };
    Ok(cx.r(
        msg!("spotcheck-meeting"),
        &[
            ("id", c.id.into()),
            ("branch", c.branch.as_str().into()),
            ("kind", cx.t(m.kind.msg()).into()),
            ("date", date_text(m.starts_at, cx.engine.tz).into()),
            ("place", m.place.as_str().into()),
            ("topic", m.topic.as_str().into()),
            ("expected", all.len().into()),
            ("present", present.into()),
            ("late", late.into()),
            ("leave", leave.into()),
            ("absent", absent.into()),
            ("proxies", proxies.into()),
            ("minutes", minutes.into()),
        ],
    ))
}

/// A member's published pledge and the answers of the latest check-in round they answered.
async fn pledge_record(cx: &Ctx<'_>, conn: &mut Conn, c: &SpotCheck) -> Result<String, StoreError> {
    let owner = members::by_id(conn, c.subject_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt("checked member vanished".into()))?;
    let (items, answers) = crate::pledges::service::published_of(conn, owner.id).await?;
    let checkin = match answers.iter().map(|a| a.started_at).max() {
        None => cx.t(msg!("spotcheck-checkin-none")),
        Some(latest) => {
            let mut lines = vec![cx.r(
                msg!("spotcheck-checkin-header"),
                &[("date", date_text(latest, cx.engine.tz).into())],
            )];
            for a in answers.iter().filter(|a| a.started_at == latest) {
                let mut args: Vec<(&str, crate::i18n::Arg)> = vec![
                    ("position", a.position.into()),
                    ("text", a.text.as_str().into()),
                    ("progress", cx.t(a.progress.msg()).into()),
                ];
                let line = match a.note.as_deref().filter(|n| !n.trim().is_empty()) {
                    Some(note) => {
                        args.push(("note", note.into()));
                        cx.r(msg!("spotcheck-checkin-line-note"), &args)
                    }
                    None => cx.r(msg!("spotcheck-checkin-line"), &args),
                };
                lines.push(line);
            }
            lines.join("\n")
        }
    };
    Ok(cx.r(
        msg!("spotcheck-pledge"),
        &[
            ("id", c.id.into()),
            ("branch", c.branch.as_str().into()),
            ("name", owner.name.as_str().into()),
            (
                "items",
                crate::pledges::service::item_lines(cx.catalog, cx.locale, &items).into(),
            ),
            ("checkin", checkin.into()),
        ],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_buttons_data_reads_back_as_the_button_and_fits_telegram() {
        for button in [Button::Find(7), Button::Again(i64::MAX), Button::Cancel(1)] {
            let data = button.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            let value = data.strip_prefix("spot:").expect("the feature's prefix");
            assert_eq!(Button::decode(value), Some(button));
        }
        // The data buttons carried before the action was typed.
        assert_eq!(Button::decode("find:12"), Some(Button::Find(12)));
        assert_eq!(Button::decode("cancel:3"), Some(Button::Cancel(3)));
        for stale in ["", "find", "find:", "find:x", "vote:3", "again:3:4"] {
            assert_eq!(Button::decode(stale), None, "{stale}");
        }
    }

    #[test]
    fn nothing_to_pick_from_picks_nothing() {
        assert_eq!(pick(&[]), None);
    }

    #[test]
    fn a_branch_with_one_record_is_picked_as_often_as_a_branch_with_many() {
        // Branch 1 has 30 meetings, branch 2 one pledge: picking per record would all but never
        // reach branch 2; picking the branch first reaches it about every other time.
        let mut candidates: Vec<(SubjectKind, i64, i64)> =
            (1..=30).map(|id| (SubjectKind::Meeting, 1, id)).collect();
        candidates.push((SubjectKind::Pledge, 2, 99));
        let picks: Vec<_> = (0..400).map(|_| pick(&candidates).unwrap()).collect();
        assert!(picks.iter().all(|p| candidates.contains(p)));
        let second = picks.iter().filter(|p| p.1 == 2).count();
        // Binomial(400, 1/2): outside 120..=280 with a probability below 1e-15.
        assert!((120..=280).contains(&second), "{second} of 400");
        assert!(picks.iter().filter(|p| p.1 == 2).all(|p| p.2 == 99));
    }
}
