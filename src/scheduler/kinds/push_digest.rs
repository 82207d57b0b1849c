//! `push-digest`: a built-in daily job at `[pushes] digest_at` (18:00 unless set). For each
//! member with pushes the daily budget held ([`crate::delivery::budget`]), one message lists
//! them, oldest first, each on one line with its number, and carries their buttons labelled
//! with that number (typed numbers work on SMS); the held rows become `digested`. Not urgent,
//! so quiet hours still hold it back; never held by the budget itself. One digest per member
//! and day (its dedupe key), so a run repeated after a crash sends nothing twice.

use chrono::{DateTime, Utc};

use crate::chat::{Choice, Reply};
use crate::domain::pushes::{excerpt, DIGEST_PREFIX};
use crate::i18n::Catalog;
use crate::msg;
use crate::scheduler::job::{self, Job, JobContext, JobFuture, Ran};
use crate::store::jobs::JobRow;
use crate::store::{members, pushes, Conn, StoreError};

/// The kind's name.
pub const KIND: &str = "push-digest";

/// Items listed in one digest; the rest are counted.
const LISTED: usize = 20;

/// The `push-digest` kind, at the crontab `[pushes]` makes.
#[derive(Debug, Clone, Copy)]
pub struct PushDigest {
    schedule: &'static str,
}

impl Default for PushDigest {
    fn default() -> Self {
        Self {
            schedule: "0 18 * * *",
        }
    }
}

impl PushDigest {
    /// The kind at the digest hour of `budget` (made once per process).
    pub fn new(budget: &crate::domain::pushes::Budget) -> Self {
        let c = budget.crontab();
        if c == Self::default().schedule {
            return Self::default();
        }
        Self {
            schedule: Box::leak(c.into_boxed_str()),
        }
    }
}

impl Job for PushDigest {
    fn name(&self) -> &'static str {
        KIND
    }

    fn builtin_schedule(&self) -> Option<&'static str> {
        Some(self.schedule)
    }

    fn run<'a>(
        &'a self,
        ctx: &'a JobContext,
        conn: &'a mut Conn,
        _job: &'a JobRow,
    ) -> JobFuture<'a> {
        Box::pin(async move {
            let day = DateTime::<Utc>::from_timestamp_millis(ctx.now)
                .unwrap_or_default()
                .with_timezone(&ctx.tz)
                .date_naive();
            let mut wake = Vec::new();
            let (mut sent, mut items) = (0, 0);
            for member_id in pushes::members_with_held(conn).await? {
                let Some(member) = members::by_id(conn, member_id).await? else {
                    continue;
                };
                let held = pushes::held_for(conn, member_id).await?;
                let (live, expired): (Vec<_>, Vec<_>) = held
                    .into_iter()
                    .partition(|h| h.expires_at.is_none_or(|e| e > ctx.now));
                let gone: Vec<i64> = expired.iter().map(|h| h.outbox_id).collect();
                pushes::settle(conn, &gone, "expired", None, ctx.now).await?;
                if live.is_empty() {
                    continue;
                }
                let reply = digest(Catalog::shared(), member.locale, &live)?;
                let key = format!("{DIGEST_PREFIX}{member_id}:{day}");
                if !job::push(
                    conn,
                    ctx,
                    &member,
                    &reply,
                    &job::now(ctx, key.clone()),
                    &mut wake,
                )
                .await?
                {
                    // Nowhere to send it: the items wait, held, for a day the member can be
                    // reached.
                    continue;
                }
                let ids: Vec<i64> = live.iter().map(|h| h.outbox_id).collect();
                pushes::settle(conn, &ids, "digested", Some(&key), ctx.now).await?;
                sent += 1;
                items += ids.len();
            }
            Ok(Ran {
                note: Some(format!("{sent} digests, {items} items")),
                wake,
            })
        })
    }
}

/// The digest a member reads: a header with the count, one line per item (its number and
/// first words), and each item's buttons, labelled with its number. An item whose stored
/// buttons cannot be read is an error naming its outbox row (the run fails and is retried),
/// never a digest that silently drops them.
pub fn digest(
    catalog: &Catalog,
    locale: crate::i18n::Locale,
    items: &[pushes::Held],
) -> Result<Reply, StoreError> {
    let mut lines = vec![catalog.render(
        locale,
        msg!("push-digest-head"),
        &[("count", (items.len() as i64).into())],
    )];
    let mut choices = Vec::new();
    for (i, item) in items.iter().enumerate().take(LISTED) {
        let n = i + 1;
        lines.push(format!("{n}. {}", excerpt(&item.body, 60)));
        let own: Vec<Choice> = serde_json::from_str(&item.choices_json).map_err(|_| {
            StoreError::unreadable("outbox", item.outbox_id, "choices", &item.choices_json)
        })?;
        for c in own {
            choices.push(Choice {
                data: c.data,
                label: catalog.render(
                    locale,
                    msg!("push-digest-choice"),
                    &[("n", (n as i64).into()), ("label", c.label.into())],
                ),
                aliases: Vec::new(),
            });
        }
    }
    if items.len() > LISTED {
        lines.push(catalog.render(
            locale,
            msg!("push-digest-more"),
            &[("count", ((items.len() - LISTED) as i64).into())],
        ));
    }
    if !choices.is_empty() {
        lines.push(catalog.text(locale, msg!("push-digest-act")));
    }
    Ok(Reply::with_choices(lines.join("\n"), choices))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn held(n: i64, choices: &str) -> pushes::Held {
        pushes::Held {
            outbox_id: n,
            body: format!("【会议提醒】\n第{n}项"),
            choices_json: choices.into(),
            expires_at: None,
        }
    }

    #[test]
    fn a_long_digest_lists_twenty_items_and_counts_the_rest() {
        let mut items: Vec<_> = (1..=22).map(|n| held(n, "[]")).collect();
        items[0].choices_json = r#"[{"data":"meeting:rsvp:1:yes","label":"参加"}]"#.into();
        let d = digest(Catalog::shared(), Locale::ZhCn, &items).unwrap();
        let lines: Vec<&str> = d.text.lines().collect();
        assert_eq!(
            lines[0],
            "【今日汇总】为减少打扰，今天另有 22 条消息没有单独推送，汇总如下："
        );
        assert_eq!(lines[1], "1. 【会议提醒】 第1项");
        assert_eq!(lines[20], "20. 【会议提醒】 第20项");
        assert_eq!(lines[21], "……另有 2 条未列出。");
        assert_eq!(lines[22], "可按下方选项办理，每个选项标有条目编号。");
        assert_eq!(d.choices.len(), 1);
        assert_eq!(d.choices[0].label, "第1条：参加");
    }

    #[test]
    fn on_sms_each_option_names_its_item_once() {
        let items = [
            held(1, r#"[{"data":"meeting:rsvp:1:yes","label":"参加"}]"#),
            held(2, r#"[{"data":"notice:ack:2","label":"收到"}]"#),
        ];
        let d = digest(Catalog::shared(), Locale::ZhCn, &items).unwrap();
        let sms = crate::chat::sms::render(Catalog::shared(), Locale::ZhCn, &d.text, &d.choices);
        let last = sms.lines().last().unwrap_or_default();
        assert!(
            last.contains("第1条：参加") && last.contains("第2条：收到"),
            "{sms}"
        );
        assert!(!last.contains("1 1"), "{sms}");
    }

    #[test]
    fn an_item_whose_stored_buttons_cannot_be_read_fails_the_digest_naming_its_row() {
        let items = [
            held(1, r#"[{"data":"meeting:rsvp:1:yes","label":"参加"}]"#),
            held(2, r#"{"data":"notice:ack:2"}"#),
        ];
        let err = digest(Catalog::shared(), Locale::ZhCn, &items).unwrap_err();
        assert_eq!(
            err.to_string(),
            r#"stored data is corrupt: outbox row 2: unknown choices '{"data":"notice:ack:2"}'"#
        );
        assert!(!err.is_transient());
    }
}
