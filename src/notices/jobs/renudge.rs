//! `notice-renudge`: one automatic re-nudge of a notice's unconfirmed recipients, from the plan
//! its sender picked when sending (`notice_nudge_plans`; as close as 5 minutes apart for an
//! urgent notice, never closer than `[notices] nudge_interval_minutes` for an ordinary one).
//! Nudge `k` goes on the member's usual channel, or — from the plan's SMS rung on — by SMS to
//! those with a mobile number who have not opted out (the others keep getting it on chat).
//! Those who confirmed get nothing; once everyone has confirmed, the remaining nudges note it
//! and send nothing. Each nudge has its own dedupe key per member, so a repeated run sends
//! nothing twice.

use serde::Deserialize;

use crate::chat::{sms, ChannelKind, Choice, Reply};
use crate::delivery::route::Push;
use crate::domain::calendar::Subject;
use crate::i18n::Catalog;
use crate::msg;
use crate::notices::store as notices;
use crate::scheduler::job::{
    self, check_payload, payload, Job, JobContext, JobFuture, Ran, SubjectFuture,
};
use crate::store::jobs::JobRow;
use crate::store::outbox::{self, NewMessage};
use crate::store::{members, pushes, Conn};

/// The kind's name.
pub const KIND: &str = "notice-renudge";

#[derive(Debug, Deserialize)]
struct Payload {
    notice: i64,
    /// Which nudge of the plan, from 1.
    k: i64,
}

/// The job's payload for nudge `k` of `notice`.
pub fn payload_for(notice: i64, k: i64) -> String {
    serde_json::json!({ "notice": notice, "k": k }).to_string()
}

/// The `notice-renudge` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoticeRenudge;

impl Job for NoticeRenudge {
    fn name(&self) -> &'static str {
        KIND
    }

    /// A nudge an hour late is no longer the nudge that was chosen.
    fn grace(&self) -> std::time::Duration {
        std::time::Duration::from_secs(3600)
    }

    fn check(&self, payload: &str) -> Result<(), String> {
        check_payload::<Payload>(payload)
    }

    fn subject<'a>(&'a self, conn: &'a mut Conn, job: &'a JobRow) -> SubjectFuture<'a> {
        Box::pin(async move {
            let Ok(p) = serde_json::from_str::<Payload>(&job.payload) else {
                return Ok(Subject::default());
            };
            Ok(Subject {
                student: false,
                urgent: crate::store::calendar::is_urgent_notice(conn, p.notice).await?,
            })
        })
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let p: Payload = payload(job)?;
            let Some(n) = notices::by_id(conn, p.notice).await? else {
                return Ok(Ran::note("no such notice"));
            };
            let Some((plan, _)) = pushes::plan(conn, n.id).await? else {
                return Ok(Ran::note("no re-nudge plan"));
            };
            let missing = notices::unconfirmed(conn, n.id).await?;
            pushes::set_done(conn, n.id, p.k).await?;
            if missing.is_empty() {
                return Ok(Ran::note("everyone confirmed: nothing sent"));
            }
            let catalog = Catalog::shared();
            let sender = members::by_id(conn, n.sender_id)
                .await?
                .map(|s| crate::notices::service::sender_label(&s))
                .unwrap_or_default();
            let by_sms = plan.by_sms(p.k);
            let mut wake = Vec::new();
            let (mut chat, mut texts) = (0, Vec::new());
            for (id, _) in missing {
                let Some(m) = members::by_id(conn, id).await? else {
                    continue;
                };
                let header = catalog.render(
                    m.locale,
                    crate::notices::service::header_msg(&sender, n.urgent),
                    &[("sender", sender.as_str().into())],
                );
                let text = format!(
                    "{}\n{header}\n{}\n{}",
                    catalog.text(m.locale, msg!("notice-nudge-header")),
                    n.body,
                    catalog.text(m.locale, msg!("notice-please-confirm")),
                );
                let choices = vec![Choice {
                    data: crate::notices::chat::Action::Confirm(n.id).encode(),
                    label: catalog.text(m.locale, msg!("notice-received")),
                    aliases: vec!["ok".into()],
                }];
                let reply = Reply::with_choices(text, choices);
                let key = format!("notice:{}:{}:renudge:{}", n.id, m.id, p.k);
                let phone = match &m.phone {
                    Some(phone) if by_sms && ctx.sms_connected => {
                        (!crate::store::sms::is_opted_out(conn, phone).await?)
                            .then(|| phone.clone())
                    }
                    _ => None,
                };
                if let Some(phone) = phone {
                    let rendered = sms::render(catalog, m.locale, &reply.text, &reply.choices);
                    crate::delivery::route::offer_push(
                        conn,
                        m.id,
                        ChannelKind::Sms.as_str(),
                        &reply,
                        ctx.now,
                        None,
                    )
                    .await?;
                    texts.push(NewMessage {
                        channel: ChannelKind::Sms.as_str().to_owned(),
                        address: phone,
                        member_id: Some(m.id),
                        body: reply.text.clone(),
                        choices_json: serde_json::to_string(&reply.choices)
                            .unwrap_or_else(|_| "[]".into()),
                        dedupe_key: key,
                        urgent: n.urgent,
                        not_before: ctx.now,
                        expires_at: None,
                        segments: sms::encoding::segments(&rendered) as i64,
                    });
                    continue;
                }
                let push = Push {
                    dedupe_key: key,
                    urgent: n.urgent,
                    not_before: ctx.now,
                    expires_at: None,
                };
                if job::push(conn, ctx, &m, &reply, &push, &mut wake).await? {
                    chat += 1;
                }
            }
            let queued = outbox::enqueue(conn, &texts, ctx.now).await?;
            if queued > 0 && !wake.contains(&ChannelKind::Sms) {
                wake.push(ChannelKind::Sms);
            }
            notices::set_nudged(conn, n.id, ctx.now).await?;
            Ok(Ran {
                note: Some(format!(
                    "nudge {} of {}: {chat} on chat, {queued} by SMS",
                    p.k, plan.nudges
                )),
                wake,
            })
        })
    }
}
