//! `/notice`: a secretary (for the branch) or a college committee member (for anyone) composes
//! a notice step by step — scope, text, 收到请回复 or not, urgent or not — sees a preview with the
//! number of recipients per channel, and only then sends it. The broadcast is one batch of
//! outbox rows in the step's transaction, keyed `notice:<id>:<member>`.

use super::{notice_reply, Action, Draft, ScopePick, Waiting};
use crate::chat::sms;
use crate::delivery::route::{self, Route};
use crate::domain::notices::{recipients, Scope};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Choice, Ctx, Reply};
use crate::msg;
use crate::notices::store as notices;
use crate::store::outbox::{self, NewMessage};
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

/// Who would get the notice and where: the recipients with their routes.
pub async fn audience(
    conn: &mut Conn,
    sender: &Member,
    scope: &Scope,
    sms_connected: bool,
) -> Result<Vec<(Member, Route)>, StoreError> {
    let all = members::list(conn, scope.branch()).await?;
    let mut out = Vec::new();
    for m in recipients(scope, &all) {
        if m.id == sender.id {
            continue;
        }
        let r = route::route(conn, m, sms_connected).await?;
        out.push((m.clone(), r));
    }
    Ok(out)
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

/// How the sender is named in the notice's header: "王建国（学生第一党支部）"; empty for a
/// member of the college committee, whose notices speak for the committee (【学院党委通知】,
/// see [`super::header_msg`]).
pub fn sender_label(member: &Member) -> String {
    match &member.branch_name {
        _ if member.college => String::new(),
        Some(b) => format!("{}（{b}）", member.name),
        None => member.name.clone(),
    }
}

/// The draft's file, if it has one the sender sent and it is still there.
async fn attachment_of(
    conn: &mut Conn,
    member: &Member,
    draft: &Draft,
) -> Result<Option<crate::attachments::Attachment>, StoreError> {
    let Some(id) = draft.attachment else {
        return Ok(None);
    };
    Ok(crate::attachments::service::get(conn, id)
        .await?
        .filter(|a| a.uploaded_by == Some(member.id)))
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

/// Sends a confirmed draft: the notice row, its recipients and their outbox rows, in batches.
/// Returns the notice id and how many rows were queued.
pub async fn broadcast(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    draft: &Draft,
) -> Result<(i64, usize), StoreError> {
    let now = cx.now_ms;
    let who = audience(conn, member, &draft.scope, cx.engine.sms_connected).await?;
    let id = notices::create(
        conn,
        member.id,
        &draft.scope.to_db(),
        &draft.text,
        draft.confirm,
        draft.urgent,
        now,
    )
    .await?;
    let sender = sender_label(member);
    // The notice's file: Telegram and WeCom recipients get it after the text (one more row
    // each, the file uploaded once per channel), the others (and WeCom's when the file is over
    // WeCom's limit) a line naming it and how to get it.
    let file = attachment_of(conn, member, draft).await?;
    if let Some(f) = &file {
        crate::attachments::service::link(conn, f.id, crate::attachments::Owner::Notice(id))
            .await?;
    }
    let mut file_rows = Vec::new();
    let mut rows = Vec::with_capacity(who.len());
    let mut reached = Vec::with_capacity(who.len());
    for (m, r) in &who {
        let channel = r.channel();
        reached.push((m.id, channel.map(|c| c.as_str())));
        let (channel, address) = match r {
            Route::Telegram { chat } => (channel, chat.clone()),
            Route::Sms { phone } => (channel, phone.clone()),
            Route::Wecom { userid } => (channel, userid.clone()),
            Route::Console { key } => (channel, key.clone()),
            Route::Nowhere(_) => continue,
        };
        let Some(channel) = channel else { continue };
        let mcx = cx.for_member(m);
        let mut reply = notice_reply(
            &mcx,
            id,
            &sender,
            &draft.text,
            (draft.confirm, draft.urgent),
        );
        if let Some(f) = &file {
            let name = ("name", f.display_name.as_str().into());
            let sends_file = match channel {
                crate::flows::ChannelKind::Telegram => true,
                crate::flows::ChannelKind::Wecom => f.wecom_type().is_some(),
                _ => false,
            };
            if sends_file {
                file_rows.push(NewMessage {
                    channel: channel.as_str().to_owned(),
                    address: address.clone(),
                    // Part of the notice, not a push of its own: never held by the budget.
                    member_id: None,
                    body: mcx.r(msg!("notice-file-caption"), &[name]),
                    choices_json: "[]".into(),
                    dedupe_key: format!("notice:{id}:{}:file", m.id),
                    urgent: draft.urgent,
                    not_before: now,
                    expires_at: None,
                    segments: 1,
                });
            } else {
                reply.text = format!(
                    "{}\n{}",
                    reply.text,
                    mcx.r(msg!("notice-file-elsewhere"), &[name])
                );
            }
        }
        let segments = match channel {
            crate::flows::ChannelKind::Sms => sms::encoding::segments(&sms::render(
                cx.catalog,
                m.locale,
                &reply.text,
                &reply.choices,
            )) as i64,
            _ => 1,
        };
        let choices = serde_json::to_string(&reply.choices).unwrap_or_else(|_| "[]".into());
        if draft.confirm {
            // A typed "1" or 收到 on that channel now answers this notice too.
            crate::flows::questions::offer_push(conn, m.id, channel.as_str(), &reply, now, None)
                .await?;
        }
        rows.push(NewMessage {
            channel: channel.as_str().to_owned(),
            address,
            member_id: Some(m.id),
            body: reply.text,
            choices_json: choices,
            dedupe_key: format!("notice:{id}:{}", m.id),
            urgent: draft.urgent,
            not_before: now,
            expires_at: None,
            segments,
        });
    }
    notices::add_recipients(conn, id, &reached).await?;
    if let Some(plan) = draft.nudges.as_ref().filter(|_| draft.confirm) {
        super::nudges::schedule(cx, conn, id, plan, now).await?;
    }
    let queued = outbox::enqueue(conn, &rows, now).await? as usize;
    if let Some(f) = &file {
        outbox::enqueue(conn, &file_rows, now).await?;
        let keys: Vec<String> = file_rows.into_iter().map(|r| r.dedupe_key).collect();
        outbox::set_attachment(conn, &keys, f.id).await?;
    }
    let mut detail = format!(
        "{} · {} → {}",
        draft.scope.to_db(),
        crate::store::audit::excerpt(&draft.text, 40),
        who.len()
    );
    if let Some(p) = draft.nudges.as_ref().filter(|_| draft.confirm) {
        // The re-nudge plan: every N minutes, K times, by SMS from the S-th.
        detail.push_str(&format!(" · nudges {}m×{}", p.interval_minutes, p.nudges));
        if let Some(s) = p.sms_from {
            detail.push_str(&format!(" sms≥{s}"));
        }
    }
    cx.audit(
        conn,
        crate::store::audit::Action::NoticeSent,
        &format!("notice:{id}"),
        &detail,
    )
    .await?;
    cx.pushed.store(true, std::sync::atomic::Ordering::Relaxed);
    Ok((id, queued))
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
