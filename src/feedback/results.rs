//! Feedback results for members (`/feedback [period]`), answers to comments (`/answer <id>
//! <text>`) and moderation (`/hide <id>`). Reports follow `feedback::rules`: a distribution
//! needs at least five ratings in the month, and complementary cells are hidden (said so:
//! "为保护匿名，暂不显示"); a target's comments are shown once it has five, across months up to
//! the one shown, each dated by its month.

use rand::seq::SliceRandom;

use super::rules::{self, Cell, Rating, Shown};
use super::store::{self, Target};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::{Conn, StoreError};

/// One target's lines in a report.
#[derive(Debug, Clone)]
pub struct Row {
    pub target: Target,
    pub shown: Shown,
    /// Hidden although it has enough ratings, only so that a thinner cell cannot be derived by
    /// subtraction.
    pub withheld: bool,
    /// Where the month is too thin: the semester so far, when it may be shown
    /// ([`rules::semester_shown`]).
    pub semester: Option<rules::Counts>,
    /// Visible comments (this month and before), shuffled within each month, when there are
    /// enough of them.
    pub comments: Vec<store::Comment>,
}

/// Builds the report of `targets` for `period`, applying thresholds and suppression.
pub async fn report(
    conn: &mut Conn,
    targets: Vec<Target>,
    period: &str,
) -> Result<(Vec<Row>, Vec<(String, Shown)>), StoreError> {
    let counts = store::counts(conn, period).await?;
    // Every month of the semester so far, for the cumulative figures of thin months.
    let mut semester: Vec<Vec<(i64, i64, i64)>> = Vec::new();
    for month in rules::semester_months_through(period).unwrap_or_default() {
        semester.push(store::counts(conn, &month).await?);
    }
    let cells: Vec<Cell> = targets
        .iter()
        .map(|t| {
            let mut c = [0i64; 3];
            for (target, rating, n) in &counts {
                if *target == t.id {
                    if let Some(r) = Rating::from_i64(*rating) {
                        c[r as usize - 1] += n;
                    }
                }
            }
            Cell {
                target: t.code.clone(),
                group: t.building.clone(),
                counts: c,
            }
        })
        .collect();
    let shown = rules::suppress(&cells);
    let withheld = rules::withheld(&cells, &shown);
    let groups = rules::group_totals(&cells);
    let mut rows = Vec::new();
    for ((target, shown), withheld) in targets.into_iter().zip(shown).zip(withheld) {
        let semester = (shown == Shown::Hidden && !withheld)
            .then(|| semester_figure(&semester, target.id))
            .flatten();
        let mut comments = store::comments(conn, target.id, period).await?;
        if !rules::comments_shown(comments.len() as i64) {
            comments.clear();
        }
        comments.shuffle(&mut rand::rng());
        // By month, newest first; within a month in random order.
        comments.sort_by(|a, b| b.period.cmp(&a.period));
        rows.push(Row {
            target,
            shown,
            withheld,
            semester,
            comments,
        });
    }
    Ok((rows, groups))
}

/// A target's semester-to-date counts through the last month of `months`, if they may be
/// shown. Walks the semester as its earlier reports did: a figure is withheld when, with the
/// months shown on their own or an earlier semester figure, it would let the thin months be
/// computed by subtraction (a difference of fewer than five ratings).
fn semester_figure(months: &[Vec<(i64, i64, i64)>], target_id: i64) -> Option<rules::Counts> {
    let mut total = [0i64; 3];
    let mut monthly_shown = 0;
    // (total, monthly_shown) when a semester figure was last shown.
    let mut last: Option<(i64, i64)> = None;
    let mut shown_now = None;
    for month in months {
        let mut c = [0i64; 3];
        for (t, rating, n) in month {
            if *t == target_id {
                if let Some(r) = Rating::from_i64(*rating) {
                    c[r as usize - 1] += n;
                }
            }
        }
        let n: i64 = c.iter().sum();
        let thin = n < rules::MIN_RATINGS;
        if !thin {
            monthly_shown += n;
        }
        for (a, b) in total.iter_mut().zip(c) {
            *a += b;
        }
        let sum: i64 = total.iter().sum();
        let apart_from_last = last.is_none_or(|(t, m)| {
            let d = (sum - t) - (monthly_shown - m);
            d == 0 || d >= rules::MIN_RATINGS
        });
        shown_now = (thin && rules::semester_shown(&total, monthly_shown) && apart_from_last)
            .then_some(total);
        if shown_now.is_some() {
            last = Some((sum, monthly_shown));
        }
    }
    shown_now
}

/// Renders a report as text in a locale.
pub fn render(
    catalog: &Catalog,
    locale: Locale,
    period: &str,
    rows: &[Row],
    groups: &[(String, Shown)],
) -> String {
    let t = |m| catalog.text(locale, m);
    let counts = |c: &rules::Counts| {
        catalog.render(
            locale,
            msg!("feedback-counts"),
            &[
                ("satisfied", c[0].into()),
                ("fair", c[1].into()),
                ("dissatisfied", c[2].into()),
                ("total", c.iter().sum::<i64>().into()),
            ],
        )
    };
    let mut out = vec![catalog.render(
        locale,
        msg!("feedback-report-title"),
        &[("period", period.into())],
    )];
    for (g, shown) in groups {
        let figures = match shown {
            Shown::Counts(c) => counts(c),
            Shown::Hidden => t(msg!("feedback-too-few")),
        };
        out.push(catalog.render(
            locale,
            msg!("feedback-report-building"),
            &[("building", g.as_str().into()), ("figures", figures.into())],
        ));
    }
    for row in rows {
        let figures = match &row.shown {
            Shown::Counts(c) => counts(c),
            Shown::Hidden if row.withheld => t(msg!("feedback-withheld")),
            Shown::Hidden => t(msg!("feedback-too-few")),
        };
        out.push(catalog.render(
            locale,
            msg!("feedback-report-target"),
            &[
                ("kind", t(super::kind_msg(&row.target.kind)).into()),
                ("name", row.target.name.as_str().into()),
                ("figures", figures.into()),
            ],
        ));
        if let Some(c) = &row.semester {
            out.push(catalog.render(
                locale,
                msg!("feedback-report-semester"),
                &[("figures", counts(c).into())],
            ));
        }
        for c in &row.comments {
            out.push(catalog.render(
                locale,
                msg!("feedback-report-comment"),
                &[
                    ("id", c.id.as_str().into()),
                    ("day", c.period.as_str().into()),
                    ("text", c.body.as_str().into()),
                ],
            ));
            if let Some(a) = &c.answer {
                out.push(catalog.render(
                    locale,
                    msg!("feedback-report-answer"),
                    &[("answer", a.as_str().into())],
                ));
            }
        }
    }
    out.join("\n")
}

/// `/feedback [period]`: the results of the targets this member may see.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let period = match arg {
        Some(p) => p.trim().to_owned(),
        None => rules::period(cx.now(), cx.engine.tz).0,
    };
    let manages = member.branch_id.filter(|_| member.role.runs_branch());
    let targets = store::visible_targets(conn, member.id, member.college, manages).await?;
    if targets.is_empty() {
        return Ok(Step::text(cx.t(msg!("feedback-none-visible"))));
    }
    let (rows, groups) = report(conn, targets, &period).await?;
    Ok(Step::text(render(
        cx.catalog, cx.locale, &period, &rows, &groups,
    )))
}

/// `/answer <id> <text>`: a secretary of the target's branch (or the committee) answers.
pub async fn answer(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some((id, text)) = arg.and_then(|a| a.split_once(char::is_whitespace)) else {
        return Ok(Step::text(cx.t(msg!("feedback-answer-usage"))));
    };
    let id = rules::normalize(id);
    let Some(target_id) = store::target_of(conn, &id).await? else {
        return Ok(Step::text(
            cx.r(msg!("feedback-no-comment"), &[("id", id.into())]),
        ));
    };
    let target = store::target_by_id(conn, target_id).await?;
    let allowed = member.college
        || target
            .and_then(|t| t.branch_id)
            .is_some_and(|b| member.manages_branch(b));
    if !allowed {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let day = rules::day(cx.now(), cx.engine.tz);
    store::answer(conn, &id, text.trim(), member.id, &day).await?;
    tracing::info!(member = member.id, "feedback answered");
    cx.audit(
        conn,
        crate::store::audit::Action::FeedbackAnswered,
        &format!("feedback:{id}"),
        "",
    )
    .await?;
    Ok(Step::text(
        cx.r(msg!("feedback-answered"), &[("id", id.into())]),
    ))
}

/// `/hide <id>`: the committee hides an abusive comment. It is kept and marked; the action is
/// logged with who hid it.
pub async fn hide(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    if !member.college {
        return Ok(Step::text(cx.t(msg!("feedback-not-allowed"))));
    }
    let Some(id) = arg.map(rules::normalize).filter(|i| !i.is_empty()) else {
        return Ok(Step::text(cx.t(msg!("feedback-hide-usage"))));
    };
    let day = rules::day(cx.now(), cx.engine.tz);
    if !store::hide(conn, &id, member.id, &day).await? {
        return Ok(Step::text(
            cx.r(msg!("feedback-no-comment"), &[("id", id.into())]),
        ));
    }
    tracing::info!(member = member.id, "feedback comment hidden");
    cx.audit(
        conn,
        crate::store::audit::Action::CommentHidden,
        &format!("feedback:{id}"),
        "",
    )
    .await?;
    Ok(Step::text(
        cx.r(msg!("feedback-hidden"), &[("id", id.into())]),
    ))
}
