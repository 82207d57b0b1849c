//! `/dues` for every party member (their year: months paid and unpaid, the amount, whom to
//! pay), `/dues_pay` and `/dues_fix` for a branch's dues keeper (by name or roster key; two
//! members of one name are asked about, never guessed; with no arguments, a guided pick of
//! this month's unpaid), `/dues_report` for the secretary and the committee. How amounts,
//! months, refusals and a branch's month read is shared with the command line and the job.

use chrono::{DateTime, Utc};

use super::rules::{Amount, AmountError, Month};
use super::service::{self, Book, BranchMonth, Denied, Recorded, Viewer};
use super::store::{self, Payment};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;
use crate::store::audit::Actor;
use crate::store::{members, Conn, StoreError};

/// The most members a guided pick offers at once.
const PICK_LIMIT: usize = 30;

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

    fn list(&self, items: &[String]) -> String {
        items.join(&self.t(msg!("cli-list-separator")))
    }

    /// `2026年11月` / `November 2026`.
    pub fn month(&self, m: Month) -> String {
        self.r(
            msg!("dues-month"),
            &[
                ("year", i64::from(m.year).into()),
                ("month", m.month.into()),
            ],
        )
    }

    /// `11月` / `Nov`.
    pub fn month_short(&self, m: Month) -> String {
        self.r(msg!("dues-month-short"), &[("month", m.month.into())])
    }

    /// `马超（S103）`.
    pub fn who(&self, m: &Member) -> String {
        self.r(
            msg!("dues-who"),
            &[
                ("name", m.name.as_str().into()),
                ("key", m.key.as_str().into()),
            ],
        )
    }

    /// Why a typed amount was refused, naming what was typed.
    pub fn amount_error(&self, typed: &str, e: AmountError) -> String {
        let id = match e {
            AmountError::NotANumber => msg!("dues-amount-not-a-number"),
            AmountError::Negative => msg!("dues-amount-negative"),
            AmountError::Zero => msg!("dues-amount-zero"),
            AmountError::TooPrecise => msg!("dues-amount-too-precise"),
            AmountError::TooLarge => msg!("dues-amount-too-large"),
        };
        self.r(
            id,
            &[
                ("typed", typed.into()),
                ("max", Amount(super::rules::MAX_FEN).yuan().into()),
            ],
        )
    }

    pub fn bad_month(&self, typed: &str) -> String {
        self.r(msg!("dues-bad-month"), &[("typed", typed.into())])
    }

    /// Why a request was not carried out, and what to do.
    pub fn denied(&self, d: &Denied) -> String {
        match d {
            Denied::NotAllowed => self.t(msg!("dues-not-allowed")),
            Denied::UnknownMember(who) => {
                self.r(msg!("dues-unknown-member"), &[("who", who.as_str().into())])
            }
            Denied::NotPartyMember(m) => {
                self.r(msg!("dues-not-party"), &[("who", self.who(m).into())])
            }
            Denied::TooFarAhead(month) => self.r(
                msg!("dues-too-far-ahead"),
                &[("month", self.month(*month).into())],
            ),
            Denied::NothingToCorrect(m, month) => self.r(
                msg!("dues-nothing-to-correct"),
                &[
                    ("who", self.who(m).into()),
                    ("month", self.month(*month).into()),
                    ("key", m.key.as_str().into()),
                    ("code", month.to_string().into()),
                ],
            ),
            Denied::NotInBranch(m) => {
                self.r(msg!("dues-not-in-branch"), &[("who", self.who(m).into())])
            }
        }
    }

    /// What recording said: recorded, or recorded before (with that record).
    pub fn recorded(&self, m: &Member, r: &Recorded, tz: chrono_tz::Tz) -> String {
        match r {
            Recorded::New(p) => self.r(
                msg!("dues-recorded"),
                &[
                    ("who", self.who(m).into()),
                    ("month", self.month(p.month).into()),
                    ("amount", p.amount.yuan().into()),
                ],
            ),
            Recorded::Already(p) => self.already(m, p, tz),
        }
    }

    /// At the command line: recorded before, and how to correct it there.
    pub fn already_cli(&self, m: &Member, p: &Payment, tz: chrono_tz::Tz) -> String {
        self.already_as(msg!("dues-already-cli"), m, p, tz)
    }

    fn already(&self, m: &Member, p: &Payment, tz: chrono_tz::Tz) -> String {
        self.already_as(msg!("dues-already"), m, p, tz)
    }

    fn already_as(&self, id: Msg, m: &Member, p: &Payment, tz: chrono_tz::Tz) -> String {
        let on = DateTime::<Utc>::from_timestamp_millis(p.recorded_at)
            .unwrap_or_default()
            .with_timezone(&tz)
            .format("%Y-%m-%d")
            .to_string();
        let by = match &p.recorded_by {
            Some((name, key)) => self.r(
                msg!("dues-who"),
                &[("name", name.as_str().into()), ("key", key.as_str().into())],
            ),
            None => self.t(msg!("dues-by-operator")),
        };
        self.r(
            id,
            &[
                ("who", self.who(m).into()),
                ("month", self.month(p.month).into()),
                ("amount", p.amount.yuan().into()),
                ("by", by.into()),
                ("on", on.into()),
                ("key", m.key.as_str().into()),
                ("code", p.month.to_string().into()),
            ],
        )
    }

    /// A branch's month as the secretary reads it in chat.
    pub fn branch_month(&self, b: &BranchMonth, month: Month) -> String {
        let mut lines = vec![self.r(
            msg!("dues-report-header"),
            &[
                ("branch", b.branch.as_str().into()),
                ("month", self.month(month).into()),
            ],
        )];
        lines.push(self.r(
            msg!("dues-report-figures"),
            &[
                ("members", b.members.into()),
                ("expected", b.expected.into()),
                ("expected-amount", b.expected_amount.yuan().into()),
                ("paid", b.paid.into()),
                ("paid-amount", b.paid_amount.yuan().into()),
            ],
        ));
        let unpaid: Vec<String> = b
            .unpaid()
            .map(|l| {
                format!(
                    "{} {}",
                    self.who(&l.member),
                    l.dues.expected.unwrap_or_default().yuan()
                )
            })
            .collect();
        lines.push(if unpaid.is_empty() {
            self.t(msg!("dues-report-all-paid"))
        } else {
            self.r(
                msg!("dues-report-unpaid"),
                &[
                    ("count", unpaid.len().into()),
                    ("list", self.list(&unpaid).into()),
                ],
            )
        });
        let flagged: Vec<String> = b
            .flagged()
            .map(|l| {
                self.r(
                    msg!("dues-report-run"),
                    &[
                        ("who", self.who(&l.member).into()),
                        ("months", l.run.into()),
                    ],
                )
            })
            .collect();
        if !flagged.is_empty() {
            lines.push(self.r(
                msg!("dues-report-flagged"),
                &[("list", self.list(&flagged).into())],
            ));
        }
        lines.join("\n")
    }

    /// A member's year: the amount, months paid and unpaid, whom to pay.
    pub fn ledger(&self, book: &Book, this_month: Month, keeper: Option<&Member>) -> String {
        let months = book.year_to(this_month);
        let Some(amount) = book.month(this_month).expected else {
            return self.t(msg!("dues-mine-none"));
        };
        let mut lines = vec![self.r(
            msg!("dues-mine-header"),
            &[
                ("year", i64::from(this_month.year).into()),
                ("amount", amount.yuan().into()),
            ],
        )];
        let paid: Vec<String> = months
            .iter()
            .filter(|d| d.paid.is_some())
            .map(|d| self.month_short(d.month))
            .collect();
        let unpaid: Vec<String> = months
            .iter()
            .filter(|d| d.unpaid())
            .map(|d| self.month_short(d.month))
            .collect();
        if !paid.is_empty() {
            lines.push(self.r(
                msg!("dues-mine-paid"),
                &[("months", self.list(&paid).into())],
            ));
        }
        if unpaid.is_empty() {
            lines.push(self.t(msg!("dues-mine-all-paid")));
        } else {
            lines.push(self.r(
                msg!("dues-mine-unpaid"),
                &[("months", self.list(&unpaid).into())],
            ));
        }
        lines.push(match keeper {
            Some(k) => self.r(msg!("dues-mine-pay-to"), &[("who", self.who(k).into())]),
            None => self.t(msg!("dues-mine-no-keeper")),
        });
        lines.join("\n")
    }
}

fn words<'a>(cx: &'a Ctx<'_>) -> Words<'a> {
    Words {
        catalog: cx.catalog,
        locale: cx.locale,
    }
}

/// The month it is in the organisation's zone.
pub fn this_month(cx: &Ctx<'_>) -> Month {
    Month::of(cx.now().with_timezone(&cx.engine.tz).date_naive())
}

/// `/dues`: one's own year.
pub async fn mine(cx: &Ctx<'_>, conn: &mut Conn, member: &Member) -> Result<Step, StoreError> {
    let w = words(cx);
    if !member.role.is_party_member() {
        return Ok(Step::text(w.t(msg!("dues-mine-not-party"))));
    }
    let book = Book::of(conn, member.id).await?;
    let keeper = match member.branch_id {
        Some(b) => service::keeper(conn, b).await?,
        None => None,
    };
    let mut text = w.ledger(&book, this_month(cx), keeper.as_ref());
    if service::keeps(conn, member).await?.is_some() || member.college {
        text.push_str("\n\n");
        text.push_str(&w.t(msg!("dues-keeper-hint")));
    }
    Ok(Step::text(text))
}

/// What `/dues_pay` and `/dues_fix` were given.
struct Typed<'a> {
    who: String,
    month: Option<Month>,
    amount: Option<(&'a str, Amount)>,
}

/// `WHO [MONTH] [AMOUNT]`: the name may have a space (`Emily Carter`); the month and the
/// amount are read from the end. The error is the message to answer with.
fn read_args<'a>(w: &Words<'_>, arg: &'a str) -> Result<Typed<'a>, String> {
    let mut parts: Vec<&str> = arg.split_whitespace().collect();
    let mut amount = None;
    let mut month = None;
    while parts.len() > 1 {
        let last = parts[parts.len() - 1];
        if month.is_none() {
            if let Some(m) = Month::parse(last) {
                month = Some(m);
                parts.pop();
                continue;
            }
            if looks_like_month(last) {
                return Err(w.bad_month(last));
            }
        }
        if amount.is_none() && looks_like_amount(last) {
            match Amount::parse(last) {
                Ok(a) => amount = Some((last, a)),
                Err(e) => return Err(w.amount_error(last, e)),
            }
            parts.pop();
            continue;
        }
        break;
    }
    Ok(Typed {
        who: parts.join(" "),
        month,
        amount,
    })
}

fn looks_like_amount(s: &str) -> bool {
    let f = crate::chat::fold(s);
    let f = f.trim();
    f.starts_with(['¥', '￥', '-', '+', '.'])
        || f.ends_with('元')
        || (f.chars().any(|c| c.is_ascii_digit())
            && f.chars().all(|c| c.is_ascii_digit() || ".,".contains(c))
            && f.len() <= 12)
}

fn looks_like_month(s: &str) -> bool {
    let f = crate::chat::fold(s);
    f.len() >= 6 && f.starts_with("20") && f.contains(['-', '/', '年'])
}

/// Finds the member meant by a name or roster key among those the keeper may record.
enum Found {
    One(Box<Member>),
    Several(Vec<Member>),
    None,
}

async fn find(conn: &mut Conn, keeper: &Member, who: &str) -> Result<Found, StoreError> {
    if let Some(m) = members::find(conn, who).await? {
        return Ok(Found::One(Box::new(m)));
    }
    let scope = if keeper.college {
        None
    } else {
        keeper.branch_id
    };
    let mut named = store::named(conn, who, scope).await?;
    Ok(match named.len() {
        0 => Found::None,
        1 => Found::One(Box::new(named.remove(0))),
        _ => Found::Several(named),
    })
}

/// `/dues_pay [WHO [MONTH] [AMOUNT]]`.
pub async fn pay(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    keeper: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let now_month = this_month(cx);
    let branch = service::keeps(conn, keeper).await?;
    if branch.is_none() && !keeper.college {
        return Ok(Step::text(w.t(msg!("dues-not-allowed"))));
    }
    let Some(arg) = arg.filter(|a| !a.trim().is_empty()) else {
        return pick(cx, conn, keeper, now_month).await;
    };
    let typed = match read_args(&w, arg) {
        Ok(t) => t,
        Err(text) => return Ok(Step::text(text)),
    };
    if typed.who.is_empty() {
        return Ok(Step::text(w.t(msg!("dues-pay-usage"))));
    }
    let month = typed.month.unwrap_or(now_month);
    let member = match find(conn, keeper, &typed.who).await? {
        Found::One(m) => *m,
        Found::None => {
            return Ok(Step::text(w.denied(&Denied::UnknownMember(typed.who))));
        }
        Found::Several(list) => {
            let mut choices = Vec::new();
            for m in &list {
                let data = match typed.amount {
                    Some((_, a)) => format!("dues:pay:{}:{month}:{}", m.id, a.0),
                    None => format!("dues:who:{}:{month}", m.id),
                };
                choices.push(Choice {
                    data,
                    label: w.r(
                        msg!("dues-which-option"),
                        &[
                            ("who", w.who(m).into()),
                            ("branch", m.branch_name.clone().unwrap_or_default().into()),
                        ],
                    ),
                    aliases: vec![m.key.clone()],
                });
            }
            return Ok(Step::reply(Reply::with_choices(
                w.r(
                    msg!("dues-which"),
                    &[
                        ("name", typed.who.as_str().into()),
                        ("count", list.len().into()),
                    ],
                ),
                choices,
            )));
        }
    };
    let amount = match typed.amount {
        Some((_, a)) => a,
        None => {
            return confirm(cx, conn, &member, month).await;
        }
    };
    record(cx, conn, keeper, &member, month, amount).await
}

/// Records and says so (or why not).
async fn record(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    keeper: &Member,
    member: &Member,
    month: Month,
    amount: Amount,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let actor = Actor::member(keeper, cx.via);
    let done = service::record(
        conn,
        Viewer::Member(keeper),
        &actor,
        member,
        month,
        amount,
        this_month(cx),
        cx.now_ms,
    )
    .await?;
    Ok(Step::text(match done {
        Ok(r) => w.recorded(member, &r, cx.engine.tz),
        Err(d) => w.denied(&d),
    }))
}

/// A member chosen without an amount: the amount set for the month is offered to confirm.
async fn confirm(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    month: Month,
) -> Result<Step, StoreError> {
    let w = words(cx);
    if let Some(p) = store::payment(conn, member.id, month).await? {
        return Ok(Step::text(w.already(member, &p, cx.engine.tz)));
    }
    let book = Book::of(conn, member.id).await?;
    let Some(amount) = book.month(month).expected else {
        return Ok(Step::text(w.r(
            msg!("dues-no-amount"),
            &[
                ("who", w.who(member).into()),
                ("key", member.key.as_str().into()),
                ("code", month.to_string().into()),
            ],
        )));
    };
    Ok(Step::reply(Reply::with_choices(
        w.r(
            msg!("dues-confirm"),
            &[
                ("who", w.who(member).into()),
                ("month", w.month(month).into()),
                ("amount", amount.yuan().into()),
                ("key", member.key.as_str().into()),
                ("code", month.to_string().into()),
            ],
        ),
        vec![cx.choice(
            format!("dues:pay:{}:{month}:{}", member.id, amount.0),
            msg!("dues-confirm-button"),
        )],
    )))
}

/// `/dues_pay` alone: this month's unpaid members of the keeper's branch, to pick one.
async fn pick(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    keeper: &Member,
    month: Month,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let Some(branch) = keeper.branch_id else {
        return Ok(Step::text(w.t(msg!("dues-pay-usage"))));
    };
    let report = service::report(conn, Some(branch), month, month).await?;
    let unpaid: Vec<&Member> = report
        .iter()
        .flat_map(|b| b.unpaid())
        .map(|l| &l.member)
        .collect();
    if unpaid.is_empty() {
        return Ok(Step::text(
            w.r(msg!("dues-pick-none"), &[("month", w.month(month).into())]),
        ));
    }
    let choices = unpaid
        .iter()
        .take(PICK_LIMIT)
        .map(|m| Choice {
            data: format!("dues:who:{}:{month}", m.id),
            label: w.who(m),
            aliases: vec![m.key.clone()],
        })
        .collect();
    Ok(Step::reply(Reply::with_choices(
        w.r(
            msg!("dues-pick"),
            &[
                ("month", w.month(month).into()),
                ("count", unpaid.len().into()),
            ],
        ),
        choices,
    )))
}

/// A button of `/dues_pay`: `who:<member>:<month>` or `pay:<member>:<month>:<fen>`.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    keeper: &Member,
    value: &str,
) -> Result<Step, StoreError> {
    let parts: Vec<&str> = value.split(':').collect();
    let member_and_month = |id: &str, m: &str| Some((id.parse::<i64>().ok()?, Month::parse(m)?));
    match parts.as_slice() {
        ["who", id, m] => {
            if let Some((id, month)) = member_and_month(id, m) {
                if let Some(member) = members::by_id(conn, id).await?.filter(|m| m.active) {
                    return confirm(cx, conn, &member, month).await;
                }
            }
        }
        ["pay", id, m, fen] => {
            let amount = fen.parse::<i64>().ok().map(Amount);
            if let (Some((id, month)), Some(amount)) = (member_and_month(id, m), amount) {
                if let Some(member) = members::by_id(conn, id).await?.filter(|m| m.active) {
                    return record(cx, conn, keeper, &member, month, amount).await;
                }
            }
        }
        _ => {}
    }
    Ok(Step::text(cx.t(msg!("error-stale-choice"))))
}

/// `/dues_fix WHO MONTH AMOUNT`: the explicit correction of a recorded payment.
pub async fn fix(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    keeper: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let typed = match read_args(&w, arg.unwrap_or("")) {
        Ok(t) => t,
        Err(text) => return Ok(Step::text(text)),
    };
    let (Some(month), Some((_, amount))) = (typed.month, typed.amount) else {
        return Ok(Step::text(w.t(msg!("dues-fix-usage"))));
    };
    if typed.who.is_empty() {
        return Ok(Step::text(w.t(msg!("dues-fix-usage"))));
    }
    let member = match find(conn, keeper, &typed.who).await? {
        Found::One(m) => *m,
        Found::None => return Ok(Step::text(w.denied(&Denied::UnknownMember(typed.who)))),
        Found::Several(list) => {
            let keys: Vec<String> = list.iter().map(|m| w.who(m)).collect();
            return Ok(Step::text(w.r(
                msg!("dues-fix-which"),
                &[
                    ("name", typed.who.as_str().into()),
                    ("list", w.list(&keys).into()),
                ],
            )));
        }
    };
    let actor = Actor::member(keeper, cx.via);
    let done = service::correct(
        conn,
        Viewer::Member(keeper),
        &actor,
        &member,
        month,
        amount,
        this_month(cx),
        cx.now_ms,
    )
    .await?;
    Ok(Step::text(match done {
        Ok(was) => w.r(
            msg!("dues-corrected"),
            &[
                ("who", w.who(&member).into()),
                ("month", w.month(month).into()),
                ("from", was.yuan().into()),
                ("to", amount.yuan().into()),
            ],
        ),
        Err(d) => w.denied(&d),
    }))
}

/// `/dues_report [YYYY-MM]`: the secretary's (or keeper's) branch; every branch for the
/// committee.
pub async fn report(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let w = words(cx);
    let now_month = this_month(cx);
    let month = match arg.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => match Month::parse(a) {
            Some(m) => m,
            None => return Ok(Step::text(w.bad_month(a))),
        },
        None => now_month,
    };
    let scope = if member.college {
        None
    } else {
        match service::keeps(conn, member).await? {
            Some(b) => Some(b),
            None if member.is_manager() => member.branch_id,
            None => return Ok(Step::text(w.t(msg!("dues-report-not-allowed")))),
        }
    };
    let branches = service::report(conn, scope, month, now_month).await?;
    let text: Vec<String> = branches.iter().map(|b| w.branch_month(b, month)).collect();
    Ok(Step::text(text.join("\n\n")))
}
