//! The campaign's jobs: `campaign_announcement` sends a phase's announcement to everyone in the
//! campaign's audience at the phase's start; `campaign_summary_reminder` asks each secretary
//! whose branch has not submitted the phase summary to send it (`/summary`). Neither is urgent:
//! quiet hours hold them back. Each reads the campaign file as stored when it runs.

use serde::Deserialize;

use crate::chat::ChannelKind;
use crate::delivery::route::{self, Route};
use crate::domain::calendar::KindRule;
use crate::domain::campaign::{self, Campaign, Phase};
use crate::domain::notices::recipients;
use crate::domain::org::{Member, Role};
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{Job, JobContext, JobError, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::outbox::{self, NewMessage};
use crate::store::{campaigns, members, Conn, StoreError};

pub use super::schedule::{ANNOUNCE, REMIND};

#[derive(Debug, Deserialize)]
struct Payload {
    campaign: String,
    phase: usize,
}

fn payload(s: &str) -> Result<Payload, String> {
    serde_json::from_str(s).map_err(|e| e.to_string())
}

/// The campaign and phase a job is about, or a note saying why there is none.
async fn phase_of(
    conn: &mut Conn,
    ctx: &JobContext,
    job: &JobRow,
) -> Result<Result<(Campaign, usize), String>, JobError> {
    let p = payload(&job.payload).map_err(JobError::Payload)?;
    let Some(src) = campaigns::source(conn, &p.campaign).await? else {
        return Ok(Err("no such campaign".into()));
    };
    let Ok(c) = campaign::parse(&src, ctx.tz) else {
        return Ok(Err("the stored campaign no longer parses".into()));
    };
    if p.phase >= c.phases.len() {
        return Ok(Err("no such phase".into()));
    }
    Ok(Ok((c, p.phase)))
}

/// Queues `text` to each member on the route the delivery layer picks, in one batch.
async fn queue(
    conn: &mut Conn,
    ctx: &JobContext,
    who: &[(Member, String)],
    key: impl Fn(&Member) -> String,
) -> Result<(u64, Vec<ChannelKind>), StoreError> {
    let mut rows = Vec::new();
    let mut wake = Vec::new();
    for (m, text) in who {
        let (channel, address) = match route::route(conn, m, ctx.sms_connected).await? {
            Route::Telegram { chat } => (ChannelKind::Telegram, chat),
            Route::Sms { phone } => (ChannelKind::Sms, phone),
            Route::Wecom { userid } => (ChannelKind::Wecom, userid),
            Route::Console { key } => (ChannelKind::Console, key),
            Route::Nowhere(_) => continue,
        };
        if !wake.contains(&channel) {
            wake.push(channel);
        }
        let segments = match channel {
            ChannelKind::Sms => crate::chat::sms::encoding::segments(text) as i64,
            _ => 1,
        };
        rows.push(NewMessage {
            channel: channel.as_str().to_owned(),
            address,
            member_id: Some(m.id),
            body: text.clone(),
            choices_json: "[]".into(),
            dedupe_key: key(m),
            urgent: false,
            not_before: ctx.now,
            expires_at: None,
            segments,
        });
    }
    Ok((outbox::enqueue(conn, &rows, ctx.now).await?, wake))
}

/// The announcement as `m` reads it: title, theme, text and the tasks of the phase.
pub fn announcement(c: &Campaign, p: &Phase, locale: crate::i18n::Locale) -> String {
    let cat = Catalog::shared();
    let mut lines = vec![
        cat.render(
            locale,
            msg!("campaign-announce-header"),
            &[
                ("campaign", c.name.as_str().into()),
                ("title", p.title.get(locale).into()),
            ],
        ),
        p.theme.get(locale).to_owned(),
        p.announcement.get(locale).to_owned(),
    ];
    if !p.tasks.is_empty() {
        lines.push(cat.text(locale, msg!("campaign-tasks")));
        for (i, t) in p.tasks.iter().enumerate() {
            lines.push(format!("{}. {}", i + 1, t.get(locale)));
        }
    }
    lines.join("\n")
}

/// The `campaign_announcement` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhaseAnnouncement;

impl Job for PhaseAnnouncement {
    fn name(&self) -> &'static str {
        ANNOUNCE
    }

    /// An announcement waits for the next working day.
    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH
    }

    fn check(&self, p: &str) -> Result<(), String> {
        payload(p).map(|_| ())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let (c, i) = match phase_of(conn, ctx, job).await? {
                Ok(found) => found,
                Err(note) => return Ok(Ran::note(note)),
            };
            let p = &c.phases[i];
            let all = members::list(conn, None).await?;
            let who: Vec<(Member, String)> = recipients(&c.audience.scope(), &all)
                .into_iter()
                .map(|m| (m.clone(), announcement(&c, p, m.locale)))
                .collect();
            let (queued, wake) = queue(conn, ctx, &who, |m| {
                format!("campaign:{}:{i}:announce:{}", c.name, m.id)
            })
            .await?;
            Ok(Ran {
                note: Some(format!("announced to {queued} of {}", who.len())),
                wake,
            })
        })
    }
}

/// The `campaign_summary_reminder` kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct SummaryReminder;

impl Job for SummaryReminder {
    fn name(&self) -> &'static str {
        REMIND
    }

    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH
    }

    fn check(&self, p: &str) -> Result<(), String> {
        payload(p).map(|_| ())
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let (c, i) = match phase_of(conn, ctx, job).await? {
                Ok(found) => found,
                Err(note) => return Ok(Ran::note(note)),
            };
            let p = &c.phases[i];
            let now = chrono::DateTime::from_timestamp_millis(ctx.now).unwrap_or_default();
            let days = p.days_left(now);
            let end = p.last_day_text(ctx.tz);
            let mut who = Vec::new();
            for b in campaigns::summaries(conn, &c.name, i as i64).await? {
                if b.submitted_at.is_some() {
                    continue;
                }
                for m in members::list(conn, Some(b.branch_id)).await? {
                    if m.role != Role::Secretary {
                        continue;
                    }
                    let text = Catalog::shared().render(
                        m.locale,
                        msg!("campaign-summary-request"),
                        &[
                            ("title", p.title.get(m.locale).into()),
                            ("branch", b.branch.as_str().into()),
                            ("days", days.into()),
                            ("end", end.as_str().into()),
                        ],
                    );
                    who.push((m, text));
                }
            }
            let due = job.due_at;
            let (queued, wake) = queue(conn, ctx, &who, |m| {
                format!("campaign:{}:{i}:summary:{due}:{}", c.name, m.id)
            })
            .await?;
            Ok(Ran {
                note: Some(format!("reminded {queued} secretaries")),
                wake,
            })
        })
    }
}
