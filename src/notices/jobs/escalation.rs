//! `notice_escalation`: some hours after a notice asking for 收到, its unconfirmed readers who
//! were reached on Telegram and have a mobile number get it again by SMS. The SMS rows are
//! queued directly, past the Telegram-first routing. With no SMS gateway connected the
//! escalation is recorded as `pending`, which `/notice_status` shows.

use serde::Deserialize;

use crate::chat::sms;
use crate::chat::{ChannelKind, Choice};
use crate::domain::calendar::{KindRule, Subject};
use crate::i18n::Catalog;
use crate::msg;
use crate::notices::store as notices;
use crate::scheduler::job::{
    check_payload, payload, Job, JobContext, JobFuture, Ran, SubjectFuture,
};
use crate::store::jobs::JobRow;
use crate::store::outbox::{self, NewMessage};
use crate::store::{members, Conn};

/// The kind's name.
pub const KIND: &str = "notice_escalation";

#[derive(Debug, Deserialize)]
struct Payload {
    notice: i64,
}

/// The localized texts, loaded once for the jobs that render messages.
pub fn catalog() -> &'static Catalog {
    Catalog::shared()
}

/// The `notice_escalation` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoticeEscalation;

impl Job for NoticeEscalation {
    fn name(&self) -> &'static str {
        KIND
    }

    /// An escalation waits for the next working day.
    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH
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
            if n.escalation.as_deref() == Some("sent") {
                return Ok(Ran::default());
            }
            if !ctx.sms_connected {
                notices::set_escalation(conn, n.id, "pending", None).await?;
                return Ok(Ran::note("no SMS gateway: escalation pending"));
            }
            let catalog = catalog();
            let sender = members::by_id(conn, n.sender_id)
                .await?
                .map(|s| crate::notices::service::sender_label(&s))
                .unwrap_or_default();
            let mut rows = Vec::new();
            for (id, phone) in notices::escalation_targets(conn, n.id).await? {
                if crate::store::sms::is_opted_out(conn, &phone).await? {
                    continue;
                }
                let Some(m) = members::by_id(conn, id).await? else {
                    continue;
                };
                let header = catalog.render(
                    m.locale,
                    crate::notices::service::header_msg(&sender, n.urgent),
                    &[("sender", sender.as_str().into())],
                );
                let text = format!("{header}\n{}", n.body);
                let choice = Choice {
                    data: crate::notices::chat::Action::Confirm(n.id).encode(),
                    label: catalog.text(m.locale, msg!("notice-received")),
                    aliases: vec!["ok".into()],
                };
                let choices = vec![choice];
                let rendered = sms::render(catalog, m.locale, &text, &choices);
                let choices_json = serde_json::to_string(&choices).unwrap_or_else(|_| "[]".into());
                crate::delivery::route::offer_push(
                    conn,
                    m.id,
                    ChannelKind::Sms.as_str(),
                    &crate::chat::Reply::with_choices(text.clone(), choices.clone()),
                    ctx.now,
                    None,
                )
                .await?;
                rows.push(NewMessage {
                    channel: ChannelKind::Sms.as_str().to_owned(),
                    address: phone,
                    member_id: Some(m.id),
                    body: text,
                    choices_json,
                    dedupe_key: format!("notice:{}:{}:sms", n.id, m.id),
                    urgent: n.urgent,
                    not_before: ctx.now,
                    expires_at: None,
                    segments: sms::encoding::segments(&rendered) as i64,
                });
            }
            let queued = outbox::enqueue(conn, &rows, ctx.now).await?;
            notices::set_escalation(conn, n.id, "sent", None).await?;
            Ok(Ran {
                note: Some(format!("queued {queued} SMS")),
                wake: vec![ChannelKind::Sms],
            })
        })
    }
}
