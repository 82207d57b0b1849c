//! What the notices' chat, command line and jobs share: who a notice reaches and how
//! ([`audience`]), how it reads ([`header_msg`], [`sender_label`], [`notice_reply`]), and sending
//! a confirmed draft ([`broadcast`]: the notice row, its recipients, their outbox rows, its file,
//! its re-nudges and the audit row, in the caller's transaction).

use super::chat::Draft;
use super::store as notices;
use crate::chat::sms;
use crate::delivery::route::{self, Route};
use crate::domain::notices::{recipients, Scope};
use crate::domain::org::Member;
use crate::domain::pushes::NudgePlan;
use crate::flows::{Ctx, Reply};
use crate::msg;
use crate::scheduler::{JobSpec, When};
use crate::store::outbox::{self, NewMessage};
use crate::store::{members, pushes, Conn, StoreError};

/// The header of a notice: 【通知】 with the sender's label, or 【学院党委通知】 when the label
/// is empty (the college committee sent it); 紧急 when urgent.
pub fn header_msg(sender: &str, urgent: bool) -> crate::i18n::Msg {
    match (sender.is_empty(), urgent) {
        (true, true) => msg!("notice-header-college-urgent"),
        (true, false) => msg!("notice-header-college"),
        (false, true) => msg!("notice-header-urgent"),
        (false, false) => msg!("notice-header"),
    }
}

/// How the sender is named in the notice's header: "王建国（学生第一党支部）"; empty for a
/// member of the college committee, whose notices speak for the committee (【学院党委通知】,
/// see [`header_msg`]).
pub fn sender_label(member: &Member) -> String {
    match &member.branch_name {
        _ if member.college => String::new(),
        Some(b) => format!("{}（{b}）", member.name),
        None => member.name.clone(),
    }
}

/// The reply a member reads: `notice-header` with the sender, the text, and for 收到请回复 a
/// 收到 button (typed "收到", "1" or "ok" confirm too).
pub fn notice_reply(cx: &Ctx<'_>, id: i64, sender: &str, text: &str, d: (bool, bool)) -> Reply {
    let (confirm, urgent) = d;
    let header = header_msg(sender, urgent);
    let mut body = format!("{}\n{text}", cx.r(header, &[("sender", sender.into())]));
    if !confirm {
        return Reply::text(body);
    }
    body.push('\n');
    body.push_str(&cx.t(msg!("notice-please-confirm")));
    let mut choice = cx.choice(
        super::chat::Action::Confirm(id).encode(),
        msg!("notice-received"),
    );
    choice.aliases.push("ok".into());
    Reply::with_choices(body, vec![choice])
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

/// The draft's file, if it has one the sender sent and it is still there.
pub async fn attachment_of(
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
        schedule_nudges(cx, conn, id, plan, now).await?;
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

/// Stores the plan of a notice just sent and schedules its nudges, in the sending
/// transaction: nudge `k` at `k` intervals after `sent_at`.
pub async fn schedule_nudges(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    notice: i64,
    plan: &NudgePlan,
    sent_at: i64,
) -> Result<(), StoreError> {
    pushes::save_plan(conn, notice, plan).await?;
    for k in 1..=plan.nudges {
        let at = chrono::DateTime::from_timestamp_millis(plan.due(sent_at, k)).unwrap_or_default();
        let spec = JobSpec {
            kind: crate::notices::jobs::renudge::KIND.into(),
            dedupe_key: format!("notice:{notice}:renudge:{k}"),
            payload: crate::notices::jobs::renudge::payload_for(notice, k),
            when: When::At(at),
            grace: None,
        };
        match cx.schedule(conn, &spec).await {
            Ok(_) => {}
            Err(crate::scheduler::ScheduleError::Store(e)) => return Err(e),
            // The kind is built in, the payload ours and the time ahead: a bug.
            Err(e) => {
                tracing::error!(error = %e, notice, k, "could not schedule a re-nudge");
                return Err(StoreError::Corrupt(format!(
                    "re-nudge {k} of notice {notice}: {e}"
                )));
            }
        }
    }
    Ok(())
}
