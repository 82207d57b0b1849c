//! What chat, the command line, the monthly job and the report call: who keeps a branch's
//! dues and may record them, recording a payment once (audited, in the caller's
//! transaction) or correcting it explicitly, a member's ledger for a year, and the figures
//! per branch and month.

use super::rules::{self, Amount, Month, MonthDues};
use super::store::{self, Payment};
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

/// Why a request was not carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// Only the branch's dues keeper, its secretary or the college committee record dues.
    NotAllowed,
    /// Nobody on the roster by that key.
    UnknownMember(String),
    /// Activists and the masses pay no dues.
    NotPartyMember(Member),
    /// More than a year ahead.
    TooFarAhead(Month),
    /// A correction of a payment never recorded.
    NothingToCorrect(Member, Month),
    /// The keeper named is not a party member of that branch.
    NotInBranch(Member),
}

/// What recording did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// A new payment.
    New(Payment),
    /// The month was recorded before: nothing changed; the existing record.
    Already(Payment),
}

/// The member who collects a branch's dues: the one named, or else the secretary (the first
/// of the branch committee when there is no secretary).
pub async fn keeper(conn: &mut Conn, branch_id: i64) -> Result<Option<Member>, StoreError> {
    if let Some(id) = store::keeper_id(conn, branch_id).await? {
        if let Some(m) = members::by_id(conn, id).await? {
            if m.active && m.branch_id == Some(branch_id) {
                return Ok(Some(m));
            }
        }
    }
    Ok(crate::meetings::service::secretaries(conn, branch_id)
        .await?
        .into_iter()
        .next())
}

/// Whether the viewer may record a branch's dues: its keeper, its secretary, the college
/// committee, the operator.
pub async fn may_record(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    branch_id: Option<i64>,
) -> Result<bool, StoreError> {
    let Viewer::Member(m) = viewer else {
        return Ok(true);
    };
    if m.college {
        return Ok(true);
    }
    let Some(b) = branch_id else {
        return Ok(false);
    };
    if m.branch_id != Some(b) {
        return Ok(false);
    }
    if m.role == Role::Secretary {
        return Ok(true);
    }
    Ok(keeper(conn, b).await?.is_some_and(|k| k.id == m.id))
}

/// The branch whose dues a member keeps (as keeper or secretary), if any.
pub async fn keeps(conn: &mut Conn, m: &Member) -> Result<Option<i64>, StoreError> {
    match m.branch_id {
        Some(b) if may_record(conn, Viewer::Member(m), Some(b)).await? => Ok(Some(b)),
        _ => Ok(None),
    }
}

/// Records `member`'s dues for `month`, once: a month recorded before is left as it was
/// and returned. Checked, and audited in the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    actor: &Actor,
    member: &Member,
    month: Month,
    amount: Amount,
    this_month: Month,
    now_ms: i64,
) -> Result<Result<Recorded, Denied>, StoreError> {
    if let Some(d) = check(conn, viewer, member, month, this_month).await? {
        return Ok(Err(d));
    }
    if let Some(p) = store::payment(conn, member.id, month).await? {
        return Ok(Ok(Recorded::Already(p)));
    }
    let by = match viewer {
        Viewer::Member(m) => Some(m.id),
        Viewer::Operator => None,
    };
    store::add_payment(conn, member.id, month, amount, by, now_ms).await?;
    audit::record(
        conn,
        now_ms,
        actor,
        Action::DuesPaid,
        &format!("member:{}", member.key),
        &format!("{month} {amount}"),
    )
    .await?;
    let p = store::payment(conn, member.id, month)
        .await?
        .ok_or_else(|| StoreError::Corrupt("a payment just recorded is missing".into()))?;
    Ok(Ok(Recorded::New(p)))
}

/// Corrects the amount recorded for `member` and `month`; returns the amount it was.
#[allow(clippy::too_many_arguments)]
pub async fn correct(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    actor: &Actor,
    member: &Member,
    month: Month,
    amount: Amount,
    this_month: Month,
    now_ms: i64,
) -> Result<Result<Amount, Denied>, StoreError> {
    if let Some(d) = check(conn, viewer, member, month, this_month).await? {
        return Ok(Err(d));
    }
    let Some(p) = store::payment(conn, member.id, month).await? else {
        return Ok(Err(Denied::NothingToCorrect(member.clone(), month)));
    };
    store::correct_payment(conn, p.id, amount, now_ms).await?;
    audit::record(
        conn,
        now_ms,
        actor,
        Action::DuesCorrected,
        &format!("member:{}", member.key),
        &format!("{month} {} -> {amount}", p.amount),
    )
    .await?;
    Ok(Ok(p.amount))
}

async fn check(
    conn: &mut Conn,
    viewer: Viewer<'_>,
    member: &Member,
    month: Month,
    this_month: Month,
) -> Result<Option<Denied>, StoreError> {
    if !may_record(conn, viewer, member.branch_id).await? {
        return Ok(Some(Denied::NotAllowed));
    }
    if !member.role.is_party_member() {
        return Ok(Some(Denied::NotPartyMember(member.clone())));
    }
    if this_month.until(month) > rules::AHEAD_MONTHS {
        return Ok(Some(Denied::TooFarAhead(month)));
    }
    Ok(None)
}

/// A member's amounts and paid months: what the ledger, the reminder and the report read.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub amounts: Vec<(Month, Amount)>,
    pub payments: Vec<Payment>,
}

impl Book {
    pub async fn of(conn: &mut Conn, member_id: i64) -> Result<Self, StoreError> {
        Ok(Self {
            amounts: store::amounts(conn, member_id).await?,
            payments: store::payments(conn, member_id).await?,
        })
    }

    pub fn month(&self, month: Month) -> MonthDues {
        MonthDues {
            month,
            expected: rules::amount_for(&self.amounts, month),
            paid: self
                .payments
                .iter()
                .find(|p| p.month == month)
                .map(|p| p.amount),
        }
    }

    /// January to `until` of `until`'s year.
    pub fn year_to(&self, until: Month) -> Vec<MonthDues> {
        (1..=until.month)
            .filter_map(|m| Month::new(until.year, m))
            .map(|m| self.month(m))
            .collect()
    }

    /// The run of unpaid months closed before `before`: (first month, length).
    pub fn unpaid_run(&self, before: Month) -> Option<(Month, u32)> {
        let paid: Vec<Month> = self.payments.iter().map(|p| p.month).collect();
        rules::unpaid_run(&self.amounts, &paid, before)
    }
}

/// One member in a branch's month.
#[derive(Debug, Clone)]
pub struct Line {
    pub member: Member,
    pub dues: MonthDues,
    /// Consecutive unpaid months up to the month (closed months only for the current one).
    pub run: u32,
}

/// A branch's figures for a month.
#[derive(Debug, Clone)]
pub struct BranchMonth {
    pub branch_id: i64,
    pub branch: String,
    /// Party members (full and probationary), active.
    pub members: usize,
    /// Those with an amount set for the month.
    pub expected: usize,
    pub expected_amount: Amount,
    pub paid: usize,
    pub paid_amount: Amount,
    /// Every party member's line, by roster key.
    pub lines: Vec<Line>,
    pub keeper: Option<Member>,
}

impl BranchMonth {
    pub fn unpaid(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.dues.unpaid())
    }

    /// Members with six or more months unpaid in a row.
    pub fn flagged(&self) -> impl Iterator<Item = &Line> {
        self.lines.iter().filter(|l| l.run >= rules::FLAG_AFTER)
    }
}

/// The figures of every branch (or one) for `month`; `this_month` tells an open month from
/// closed ones.
pub async fn report(
    conn: &mut Conn,
    branch_id: Option<i64>,
    month: Month,
    this_month: Month,
) -> Result<Vec<BranchMonth>, StoreError> {
    let mut out = Vec::new();
    for (id, name, _) in members::branches(conn).await? {
        if branch_id.is_some_and(|b| b != id) {
            continue;
        }
        let mut lines = Vec::new();
        for m in members::list(conn, Some(id)).await? {
            if !m.role.is_party_member() {
                continue;
            }
            let book = Book::of(conn, m.id).await?;
            let dues = book.month(month);
            let before = if month >= this_month {
                this_month
            } else {
                month.next()
            };
            let run = book.unpaid_run(before).map_or(0, |(_, len)| len);
            lines.push(Line {
                member: m,
                dues,
                run,
            });
        }
        let expected: Vec<&Line> = lines.iter().filter(|l| l.dues.expected.is_some()).collect();
        let paid: Vec<&Line> = lines.iter().filter(|l| l.dues.paid.is_some()).collect();
        out.push(BranchMonth {
            branch_id: id,
            branch: name,
            members: lines.len(),
            expected: expected.len(),
            expected_amount: expected.iter().filter_map(|l| l.dues.expected).sum(),
            paid: paid.len(),
            paid_amount: paid.iter().filter_map(|l| l.dues.paid).sum(),
            keeper: keeper(conn, id).await?,
            lines,
        });
    }
    Ok(out)
}

/// Sets a branch's keeper (audited): a party member of that branch.
pub async fn set_keeper(
    conn: &mut Conn,
    actor: &Actor,
    branch_id: i64,
    branch: &str,
    member: &Member,
    now_ms: i64,
) -> Result<Result<(), Denied>, StoreError> {
    if member.branch_id != Some(branch_id) || !member.role.is_party_member() {
        return Ok(Err(Denied::NotInBranch(member.clone())));
    }
    store::set_keeper(conn, branch_id, member.id, now_ms).await?;
    audit::record(
        conn,
        now_ms,
        actor,
        Action::DuesKeeper,
        &format!("branch:{branch}"),
        &format!("member:{}", member.key),
    )
    .await?;
    Ok(Ok(()))
}
