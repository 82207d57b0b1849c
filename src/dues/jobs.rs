//! `dues-reminders`: a built-in monthly job (the 5th at 10:00 in the organisation's zone
//! unless `[dues]` says otherwise). It gently reminds each party member who has an amount set
//! and has not paid this month (not urgent: quiet hours and the push budget hold it back like
//! any other reminder), and tells the branch's secretary, once per run of months, of a member
//! with six months unpaid in a row (党章第三十八条). Each push has its own dedupe key, so a run
//! repeated after a crash never sends one twice.

use chrono::{DateTime, Utc};

use super::chat::Words;
use super::rules::{self, Month, Policy};
use super::service::{self, Book};
use super::store;
use crate::domain::calendar::KindRule;
use crate::flows::Reply;
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{self, Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::{members, Conn};

/// The kind's name.
pub const KIND: &str = "dues-reminders";

/// The `dues-reminders` kind, at the crontab `[dues]` makes.
#[derive(Debug, Clone, Copy)]
pub struct DuesReminders {
    schedule: &'static str,
}

impl Default for DuesReminders {
    fn default() -> Self {
        Self {
            schedule: "0 10 5 * *",
        }
    }
}

impl DuesReminders {
    /// The kind at the time `policy` sets (checked by `Config::settings`; the default when it
    /// does not read). The crontab is made once per process.
    pub fn new(policy: &Policy) -> Self {
        match policy.crontab() {
            Ok(c) if c != Self::default().schedule => Self {
                schedule: Box::leak(c.into_boxed_str()),
            },
            _ => Self::default(),
        }
    }
}

impl Job for DuesReminders {
    fn name(&self) -> &'static str {
        KIND
    }

    /// The monthly reminder waits for the next working day.
    fn calendar_rule(&self) -> KindRule {
        KindRule::PUSH
    }

    fn builtin_schedule(&self) -> Option<&'static str> {
        Some(self.schedule)
    }

    /// A reminder a few days late is still worth sending after a long outage.
    fn grace(&self) -> std::time::Duration {
        std::time::Duration::from_secs(3 * 24 * 3600)
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let month = Month::of(
                DateTime::<Utc>::from_timestamp_millis(ctx.now)
                    .unwrap_or_default()
                    .with_timezone(&ctx.tz)
                    .date_naive(),
            );
            let (reminded, flagged, wake) = run_month(conn, ctx, month).await?;
            Ok(Ran {
                note: Some(format!("{reminded} reminders, {flagged} flagged")),
                wake,
            })
        })
    }
}

/// The month's reminders and flags; (reminded, flagged, channels to wake).
async fn run_month(
    conn: &mut Conn,
    ctx: &JobContext,
    month: Month,
) -> Result<(usize, usize, Vec<crate::chat::ChannelKind>), crate::store::StoreError> {
    let (mut reminded, mut flagged, mut wake) = (0usize, 0usize, Vec::new());
    for m in members::list(conn, None).await? {
        if !m.active || !m.role.is_party_member() {
            continue;
        }
        let book = Book::of(conn, m.id).await?;
        let now = book.month(month);
        let keeper = match m.branch_id {
            Some(b) => service::keeper(conn, b).await?,
            None => None,
        };
        let w = Words {
            catalog: Catalog::shared(),
            locale: m.locale,
        };
        if let (true, Some(amount)) = (now.unpaid(), now.expected) {
            let text = match &keeper {
                Some(k) if k.id != m.id => w.r(
                    msg!("dues-remind"),
                    &[
                        ("month", w.month(month).into()),
                        ("amount", amount.yuan().into()),
                        ("who", w.who(k).into()),
                    ],
                ),
                _ => w.r(
                    msg!("dues-remind-self"),
                    &[
                        ("month", w.month(month).into()),
                        ("amount", amount.yuan().into()),
                    ],
                ),
            };
            let key = format!("dues:remind:{}:{month}", m.id);
            if job::push(
                conn,
                ctx,
                &m,
                &Reply::text(text),
                &job::now(ctx, key),
                &mut wake,
            )
            .await?
            {
                reminded += 1;
            }
        }
        let Some((first, len)) = book.unpaid_run(month) else {
            continue;
        };
        if len < rules::FLAG_AFTER || !store::flag_once(conn, m.id, first, ctx.now).await? {
            continue;
        }
        flagged += 1;
        let secretaries = match m.branch_id {
            Some(b) => crate::meetings::service::secretaries(conn, b).await?,
            None => Vec::new(),
        };
        for s in secretaries.iter().filter(|s| s.id != m.id) {
            let w = Words {
                catalog: Catalog::shared(),
                locale: s.locale,
            };
            let text = w.r(
                msg!("dues-flag"),
                &[
                    ("who", w.who(&m).into()),
                    ("months", len.into()),
                    ("from", w.month(first).into()),
                    ("to", w.month(month.prev()).into()),
                ],
            );
            let key = format!("dues:flag:{}:{first}:{}", m.id, s.id);
            job::push(
                conn,
                ctx,
                s,
                &Reply::text(text),
                &job::now(ctx, key),
                &mut wake,
            )
            .await?;
        }
    }
    Ok((reminded, flagged, wake))
}
