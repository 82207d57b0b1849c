//! `/notice`: a secretary (for the branch) or a college committee member (for anyone) composes
//! a notice step by step — scope, text, 收到请回复 or not, urgent or not — sees a preview with the
//! number of recipients per channel, and only then sends it ([`crate::notices::service::broadcast`]:
//! one batch of outbox rows in the step's transaction, keyed `notice:<id>:<member>`).

use super::{Action, Draft, ScopePick, Waiting};
use crate::chat::sms;
use crate::delivery::route::Route;
use crate::domain::notices::Scope;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::notices::service::{attachment_of, audience, broadcast, notice_reply, sender_label};
use crate::store::{members, Conn, StoreError};

/// `/notice`: the first question, or a polite refusal.
pub async fn start(cx: &Ctx<'_>, member: &Member) -> Result<Step, StoreError> {
    if !member.is_manager() {
        return Ok(Step::text(cx.t(msg!("notice-refused"))));
    }
    let mut choices: Vec<Choice> = Vec::new();
    if member.college {
        choices.push(cx.choice(
            Action::Scope(ScopePick::All).encode(),
            msg!("notice-scope-all"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Everyone).encode(),
            msg!("notice-scope-everyone"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Secretaries).encode(),
            msg!("notice-scope-secretaries"),
        ));
    }
    if member.branch_id.is_some() {
        choices.push(cx.choice(
            Action::Scope(ScopePick::Branch).encode(),
            msg!("notice-scope-branch"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Group).encode(),
            msg!("notice-scope-group"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Committee).encode(),
            msg!("notice-scope-committee"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Full).encode(),
            msg!("notice-scope-full"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Activists).encode(),
            msg!("notice-scope-activists"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::Masses).encode(),
            msg!("notice-scope-masses"),
        ));
        choices.push(cx.choice(
            Action::Scope(ScopePick::BranchEveryone).encode(),
            msg!("notice-scope-branch-everyone"),
        ));
    }
    Ok(Step::new(
        vec![Reply::with_choices(cx.t(msg!("notice-ask-scope")), choices)],
        Waiting::NoticeScope.state(),
    ))
}

/// A button of the composing steps, with the step waiting (`None`: another feature's or none).
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    action: Action,
    waiting: Option<Waiting>,
) -> Result<Step, StoreError> {
    let stale = || Ok(Step::text(cx.t(msg!("error-stale-choice"))));
    let Some(waiting) = waiting else {
        return match action {
            Action::Cancel => Ok(Step::text(cx.t(msg!("notice-cancelled")))),
            _ => stale(),
        };
    };
    match (action, waiting) {
        (Action::Scope(pick), Waiting::NoticeScope) => scope_chosen(cx, conn, member, pick).await,
        (Action::Group(i), Waiting::NoticeGroup) => {
            let groups = groups(conn, member).await?;
            let Some(group) = groups.get(i) else {
                return stale();
            };
            let scope = Scope::Group {
                branch: member.branch_id.unwrap_or_default(),
                group: group.clone(),
            };
            Ok(ask_text(cx, scope))
        }
        (Action::Receipt(confirm), Waiting::NoticeConfirm { scope, text }) => Ok(Step::new(
            vec![Reply::with_choices(
                cx.t(msg!("notice-ask-urgent")),
                vec![
                    cx.choice(Action::Urgent(false).encode(), msg!("notice-urgent-no")),
                    cx.choice(Action::Urgent(true).encode(), msg!("notice-urgent-yes")),
                ],
            )],
            Waiting::NoticeUrgent {
                scope,
                text,
                confirm,
            }
            .state(),
        )),
        (
            Action::Urgent(urgent),
            Waiting::NoticeUrgent {
                scope,
                text,
                confirm,
            },
        ) => {
            let draft = Draft {
                scope,
                text,
                confirm,
                urgent,
                nudges: None,
                attachment: None,
            };
            if draft.confirm {
                return Ok(super::nudges::ask(cx, draft));
            }
            preview(cx, conn, member, draft).await
        }
        (Action::Plan(plan), Waiting::NoticeNudges { draft }) => {
            super::nudges::chosen(cx, conn, member, plan, draft).await
        }
        (Action::Send, Waiting::NoticePreview { draft }) => send(cx, conn, member, draft).await,
        (Action::Edit, Waiting::NoticePreview { draft }) => Ok(ask_text(cx, draft.scope)),
        (Action::Cancel, _) => Ok(Step::text(cx.t(msg!("notice-cancelled")))),
        _ => stale(),
    }
}

/// The notice's text was typed.
pub fn text(cx: &Ctx<'_>, scope: Scope, text: &str) -> Step {
    Step::new(
        vec![Reply::with_choices(
            cx.t(msg!("notice-ask-confirm")),
            vec![
                cx.choice(Action::Receipt(true).encode(), msg!("notice-confirm-yes")),
                cx.choice(Action::Receipt(false).encode(), msg!("notice-confirm-no")),
            ],
        )],
        Waiting::NoticeConfirm {
            scope,
            text: text.trim().to_owned(),
        }
        .state(),
    )
}

fn ask_text(cx: &Ctx<'_>, scope: Scope) -> Step {
    Step::new(
        vec![Reply::text(cx.t(msg!("notice-ask-text")))],
        Waiting::NoticeText { scope }.state(),
    )
}

async fn scope_chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    pick: ScopePick,
) -> Result<Step, StoreError> {
    let branch = member.branch_id;
    let scope = match (pick, branch) {
        (ScopePick::All, _) if member.college => Scope::All,
        (ScopePick::Everyone, _) if member.college => Scope::Everyone { branch: None },
        (ScopePick::Secretaries, _) if member.college => Scope::Secretaries { branch: None },
        (ScopePick::Branch, Some(b)) => Scope::Branch { branch: b },
        (ScopePick::Committee, Some(_)) => Scope::Committee { branch },
        (ScopePick::Full, Some(_)) => Scope::FullMembers { branch },
        (ScopePick::Activists, Some(_)) => Scope::Activists { branch },
        (ScopePick::Masses, Some(_)) => Scope::Masses { branch },
        (ScopePick::BranchEveryone, Some(_)) => Scope::Everyone { branch },
        (ScopePick::Group, Some(_)) => {
            let groups = groups(conn, member).await?;
            let choices = groups
                .iter()
                .enumerate()
                .map(|(i, g)| Choice {
                    data: Action::Group(i).encode(),
                    label: g.clone(),
                    aliases: Vec::new(),
                })
                .collect();
            return Ok(Step::new(
                vec![Reply::with_choices(cx.t(msg!("notice-ask-group")), choices)],
                Waiting::NoticeGroup.state(),
            ));
        }
        // The college-wide scopes, chosen by someone who only runs a branch.
        (ScopePick::All | ScopePick::Everyone | ScopePick::Secretaries, _) => {
            return Ok(Step::text(cx.t(msg!("notice-other-branch"))))
        }
        _ => return Ok(Step::text(cx.t(msg!("error-stale-choice")))),
    };
    Ok(ask_text(cx, scope))
}

/// The party groups of the member's branch, by name.
async fn groups(conn: &mut Conn, member: &Member) -> Result<Vec<String>, StoreError> {
    let mut names: Vec<String> = members::list(conn, member.branch_id)
        .await?
        .into_iter()
        .filter_map(|m| m.group_name)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Recipients per channel: `(telegram, sms, console, unreachable, sms segments each, sms
/// segments in all, wecom)`, as [`route::route`] decides each one.
pub fn tally(cx: &Ctx<'_>, draft: &Draft, sender: &str, who: &[(Member, Route)]) -> [i64; 7] {
    let mut t = [0i64; 7];
    for (m, r) in who {
        match r {
            Route::Telegram { .. } => t[0] += 1,
            Route::Console { .. } => t[2] += 1,
            Route::Wecom { .. } => t[6] += 1,
            Route::Sms { .. } => {
                let mcx = cx.for_member(m);
                let reply =
                    notice_reply(&mcx, 0, sender, &draft.text, (draft.confirm, draft.urgent));
                let text = sms::render(cx.catalog, m.locale, &reply.text, &reply.choices);
                let n = sms::encoding::segments(&text) as i64;
                t[1] += 1;
                t[4] = t[4].max(n);
                t[5] += n;
            }
            Route::Nowhere(_) => t[3] += 1,
        }
    }
    t
}

/// "其中：正式党员 6 人，预备党员 1 人": the audience counted by role, the roles present only.
pub fn roles_line(cx: &Ctx<'_>, who: &[(Member, Route)]) -> String {
    use crate::domain::org::Role;
    let kinds = [
        (msg!("notice-role-full"), Role::has_vote as fn(Role) -> bool),
        (msg!("notice-role-probationary"), |r| {
            r == Role::Probationary
        }),
        (msg!("notice-role-activist"), |r| r == Role::Activist),
        (msg!("notice-role-masses"), |r| r == Role::Masses),
    ];
    let parts: Vec<String> = kinds
        .iter()
        .filter_map(|(label, is)| {
            let n = who.iter().filter(|(m, _)| is(m.role)).count() as i64;
            (n > 0).then(|| {
                cx.r(
                    msg!("notice-preview-role"),
                    &[("role", cx.t(*label).into()), ("count", n.into())],
                )
            })
        })
        .collect();
    let sep = cx.t(msg!("notice-preview-roles-sep"));
    cx.r(
        msg!("notice-preview-roles"),
        &[
            ("list", parts.join(&sep).into()),
            ("count", (parts.len() as i64).into()),
        ],
    )
}

/// The preview: the text, who receives it on which channel, the re-nudge plan; 发送 / 修改 /
/// 取消.
pub(super) async fn preview(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    draft: Draft,
) -> Result<Step, StoreError> {
    if !draft.scope.allowed_for(member) {
        return Ok(Step::text(cx.t(msg!("notice-other-branch"))));
    }
    let who = audience(conn, member, &draft.scope, cx.engine.sms_connected).await?;
    let [telegram, sms, console, nowhere, each, segments, wecom] =
        tally(cx, &draft, &sender_label(member), &who);
    let mut text = cx.r(
        msg!("notice-preview"),
        &[
            ("text", draft.text.as_str().into()),
            ("total", (telegram + sms + console + wecom).into()),
            ("wecom", wecom.into()),
            ("telegram", telegram.into()),
            ("sms", sms.into()),
            ("console", console.into()),
            ("each", each.into()),
            ("segments", segments.into()),
        ],
    );
    text.push('\n');
    text.push_str(&roles_line(cx, &who));
    if nowhere > 0 {
        text.push('\n');
        text.push_str(&cx.r(
            msg!("notice-preview-unreachable"),
            &[("count", nowhere.into())],
        ));
    }
    if let Some(plan) = &draft.nudges {
        text.push('\n');
        text.push_str(&cx.r(
            msg!("notice-preview-plan"),
            &[("plan", super::nudges::label(cx, plan).into())],
        ));
    }
    text.push('\n');
    text.push_str(&match attachment_of(conn, member, &draft).await? {
        Some(file) => cx.r(
            msg!("notice-preview-file"),
            &[("name", file.display_name.as_str().into())],
        ),
        None => cx.t(msg!("notice-preview-file-none")),
    });
    Ok(Step::new(
        vec![Reply::with_choices(
            text,
            vec![
                cx.choice(Action::Send.encode(), msg!("notice-send")),
                cx.choice(Action::Edit.encode(), msg!("notice-edit")),
                cx.choice(Action::Cancel.encode(), msg!("notice-cancel")),
            ],
        )],
        Waiting::NoticePreview { draft }.state(),
    ))
}

/// A file sent while the preview waits: the notice's file from now on (a second one replaces
/// it), and the preview again. Only the one writing the notice (its secretary or organiser)
/// gets here.
pub async fn file_sent(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    mut draft: Draft,
    attachment: i64,
) -> Result<Step, StoreError> {
    draft.attachment = Some(attachment);
    preview(cx, conn, member, draft).await
}

async fn send(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    draft: Draft,
) -> Result<Step, StoreError> {
    if !draft.scope.allowed_for(member) {
        return Ok(Step::text(cx.t(msg!("notice-other-branch"))));
    }
    let (id, queued) = broadcast(cx, conn, member, &draft).await?;
    Ok(Step::text(cx.r(
        msg!("notice-sent"),
        &[("id", id.into()), ("count", (queued as i64).into())],
    )))
}
