//! Pledges (党员承诺) in chat: a member writes and edits a pledge ([`write`]); a secretary
//! reviews it ([`review`]); approved pledges are published to anyone ([`publish`]); members
//! answer periodic check-ins ([`checkin`]) and phase-end self-assessments ([`assess`]); a
//! secretary sees the figures ([`stats`]) and sets when check-ins go out ([`schedule`]).
//!
//! Choice data: `pw:<way>`, `pd:skip`, `pm:add|submit`, `pe:edit`, `pr:<version>:ok|ret`,
//! `pck:<round>:<item>:<progress>`, `ps:yes|no`, `pa:<assessment>`.

pub mod assess;
pub mod checkin;
pub mod jobs;
pub mod publish;
pub mod review;
pub mod schedule;
pub mod stats;
pub mod write;

use super::engine::Step;
use super::{Choice, Ctx, State};
use crate::domain::org::Member;
use crate::i18n::{Catalog, Locale, Msg};
use crate::store::{members, Conn, StoreError};

/// Whether a choice's kind belongs to pledges.
pub fn owns(kind: &str) -> bool {
    matches!(kind, "pw" | "pd" | "pm" | "pe" | "pr" | "pck" | "ps" | "pa")
}

/// A tapped (or typed) pledge choice.
pub async fn on_choice(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: State,
    kind: &str,
    value: &str,
    rest: &str,
) -> Result<Step, StoreError> {
    match kind {
        "pe" => write::start(cx, member),
        "pw" => write::way_chosen(cx, state, value),
        "pd" => write::date_given(cx, state, None),
        "pm" => write::more(cx, conn, member, state, value).await,
        "pr" => review::chosen(cx, conn, member, value).await,
        "pck" => checkin::chosen(cx, conn, member, value, rest).await,
        "ps" => schedule::chosen(cx, conn, member, state, value).await,
        "pa" => assess::chosen(cx, conn, member, value).await,
        _ => Ok(Step::text(cx.t(crate::msg!("error-stale-choice")))),
    }
}

/// Free text in a pledge step, or a word that matches no check-in option. None when the text
/// is not for pledges.
pub async fn on_text(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    offered: &[Choice],
    text: &str,
) -> Result<Option<Step>, StoreError> {
    let step = match state {
        State::PledgeText { .. } => write::text_given(cx, state.clone(), text),
        State::PledgeDate { .. } => write::date_given(cx, state.clone(), Some(text))?,
        State::PledgeReturnComment { version } => {
            review::comment_given(cx, conn, member, *version, text).await?
        }
        State::PledgeBlocked { round, item } => {
            checkin::difficulty_given(cx, conn, member, *round, *item, text).await?
        }
        State::PledgeAssessment { id } => assess::text_given(cx, conn, member, *id, text).await?,
        _ if offered.iter().any(|c| c.data.starts_with("pck:")) => Step::retry(
            cx.r(
                crate::msg!("pledge-checkin-no-match"),
                &[(
                    "options",
                    super::engine::numbered_options(cx, offered).into(),
                )],
            ),
            state.clone(),
        ),
        _ => return Ok(None),
    };
    Ok(Some(step))
}

/// A choice labelled with `msg` in `locale`, typed as its label in any locale (for jobs, which
/// have no [`Ctx`]).
pub fn choice(catalog: &Catalog, locale: Locale, data: String, msg: Msg) -> Choice {
    Choice {
        data,
        label: catalog.text(locale, msg),
        aliases: Locale::ALL.iter().map(|l| catalog.text(*l, msg)).collect(),
    }
}

/// Those who run a branch (secretary, deputy, committee), who review and are told of
/// difficulties.
pub async fn managers(conn: &mut Conn, branch_id: i64) -> Result<Vec<Member>, StoreError> {
    Ok(members::list(conn, Some(branch_id))
        .await?
        .into_iter()
        .filter(|m| m.role.runs_branch())
        .collect())
}

/// A pledge's items as numbered lines, in `locale`.
pub fn item_lines(
    catalog: &Catalog,
    locale: Locale,
    items: &[crate::store::pledges::Item],
) -> String {
    items
        .iter()
        .map(|i| {
            let way = catalog.text(locale, i.way.msg());
            let mut args: Vec<(&str, crate::i18n::Arg)> = vec![
                ("number", i.position.into()),
                ("way", way.into()),
                ("text", i.text.as_str().into()),
            ];
            match &i.target_date {
                Some(d) => {
                    args.push(("date", d.as_str().into()));
                    catalog.render(locale, crate::msg!("pledge-view-item-dated"), &args)
                }
                None => catalog.render(locale, crate::msg!("pledge-view-item"), &args),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
