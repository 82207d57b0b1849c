//! Check-ins (践诺): each item of the approved version is asked about in turn — done, on
//! track, behind, blocked — by button or typed word or number, with an optional note after it
//! ("2 进度稍慢"). "Blocked" asks for the difficulty and tells the branch's managers at once.
//! An answer about an item edited since the round was sent is refused and explained.

use super::{Action, Waiting};
use crate::delivery::route::Push;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply, State};
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::pledges::rules::{Progress, MAX_ITEM_CHARS};
use crate::pledges::store::checkins as pledge_checkins;
use crate::pledges::store::{self as store, Item};
use crate::store::{Conn, StoreError};

/// The question about one item, with the four answers as choices.
pub fn question(catalog: &Catalog, locale: Locale, round: i64, item: &Item) -> Reply {
    let text = catalog.render(
        locale,
        msg!("pledge-checkin-question"),
        &[
            ("number", item.position.into()),
            ("way", catalog.text(locale, item.way.msg()).into()),
            ("text", item.text.as_str().into()),
        ],
    );
    let choices = Progress::ALL
        .iter()
        .map(|p| {
            super::choice(
                catalog,
                locale,
                Action::CheckIn {
                    round,
                    item: item.id,
                    progress: *p,
                }
                .encode(),
                p.msg(),
            )
        })
        .collect();
    Reply::with_choices(text, choices)
}

/// What a round sends a member: the header (after a reminder line when `reminder`) and the
/// first question. None when the version has no items.
pub fn opening(
    catalog: &Catalog,
    member: &Member,
    round: i64,
    items: &[Item],
    reminder: bool,
) -> Option<Reply> {
    let first = items.first()?;
    let locale = member.locale;
    let q = question(catalog, locale, round, first);
    let mut text = catalog.render(
        locale,
        msg!("pledge-checkin-header"),
        &[
            ("branch", member.branch_name.as_deref().unwrap_or("").into()),
            ("name", member.name.as_str().into()),
        ],
    );
    if reminder {
        text = format!(
            "{}\n{text}",
            catalog.text(locale, msg!("pledge-checkin-reminder"))
        );
    }
    Some(Reply::with_choices(
        format!("{text}\n{}", q.text),
        q.choices,
    ))
}

/// The next unanswered item's question, or the closing thanks.
async fn next(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round: i64,
    version: i64,
) -> Result<Reply, StoreError> {
    let answered = pledge_checkins::answered_items(conn, round, member.id).await?;
    let items = store::items(conn, version).await?;
    Ok(match items.iter().find(|i| !answered.contains(&i.id)) {
        Some(item) => question(cx.catalog, cx.locale, round, item),
        None => Reply::text(cx.t(msg!("pledge-checkin-done"))),
    })
}

/// `progress` was chosen about `item_id` in `round`, with `rest` typed after it as a note.
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round: i64,
    item_id: i64,
    progress: Progress,
    rest: &str,
) -> Result<Step, StoreError> {
    let asked = pledge_checkins::asked_version(conn, round, member.id).await?;
    let item = store::item(conn, item_id).await?;
    let (Some(asked), Some(item)) = (asked, item) else {
        return Ok(Step::text(cx.t(msg!("pledge-checkin-stale"))));
    };
    if item.version_id != asked {
        return Ok(Step::text(cx.t(msg!("pledge-checkin-stale"))));
    }
    // The member may have written a new version since the round was sent: an item that
    // changed is not answered for (the answer would be about words no longer pledged).
    if let Some(pledge) = store::of_member(conn, member.id).await? {
        if pledge.current_version != asked {
            let now = store::items(conn, pledge.current_version).await?;
            let same = now
                .iter()
                .any(|i| i.position == item.position && i.way == item.way && i.text == item.text);
            if !same {
                let asked_n = store::version_number(conn, asked).await?;
                let current_n = store::version_number(conn, pledge.current_version).await?;
                return Ok(Step::text(cx.r(
                    msg!("pledge-checkin-edited"),
                    &[
                        ("number", item.position.into()),
                        ("asked", asked_n.into()),
                        ("current", current_n.into()),
                    ],
                )));
            }
        }
    }
    let note: String = rest.trim().chars().take(MAX_ITEM_CHARS).collect();
    let note = (!note.is_empty()).then_some(note);
    pledge_checkins::answer(
        conn,
        round,
        item.id,
        member.id,
        progress,
        note.as_deref(),
        cx.now_ms,
    )
    .await?;
    if progress == Progress::Blocked {
        let Some(note) = note else {
            return Ok(Step::new(
                vec![Reply::text(cx.t(msg!("pledge-checkin-ask-difficulty")))],
                Waiting::PledgeBlocked {
                    round,
                    item: item.id,
                }
                .state(),
            ));
        };
        return blocked(cx, conn, member, round, &item, &note).await;
    }
    let reply = next(cx, conn, member, round, asked).await?;
    Ok(Step::new(vec![reply], State::Idle))
}

/// The difficulty of a blocked item, typed after "blocked".
pub async fn difficulty_given(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round: i64,
    item_id: i64,
    text: &str,
) -> Result<Step, StoreError> {
    let note = text.trim();
    if note.chars().count() > MAX_ITEM_CHARS {
        return Ok(Step::retry(
            cx.r(
                msg!("pledge-error-item-too-long"),
                &[
                    ("max", MAX_ITEM_CHARS.into()),
                    ("got", note.chars().count().into()),
                ],
            ),
            Waiting::PledgeBlocked {
                round,
                item: item_id,
            }
            .state(),
        ));
    }
    let Some(item) = store::item(conn, item_id).await? else {
        return Ok(Step::text(cx.t(msg!("pledge-checkin-stale"))));
    };
    pledge_checkins::set_note(conn, round, item_id, note).await?;
    blocked(cx, conn, member, round, &item, note).await
}

/// Tells the branch's managers about a blocked item, thanks the member and asks the next item.
async fn blocked(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round: i64,
    item: &Item,
    note: &str,
) -> Result<Step, StoreError> {
    if let Some(branch_id) = member.branch_id {
        for manager in super::managers(conn, branch_id).await? {
            if manager.id == member.id {
                continue;
            }
            let text = cx.catalog.render(
                manager.locale,
                msg!("pledge-checkin-blocked-push"),
                &[
                    ("name", member.name.as_str().into()),
                    ("number", item.position.into()),
                    ("text", item.text.as_str().into()),
                    ("note", note.into()),
                ],
            );
            let push = Push {
                dedupe_key: format!("pledge:blocked:{round}:{}:{}", item.id, manager.id),
                urgent: false,
                not_before: cx.now_ms,
                expires_at: None,
            };
            cx.push(conn, &manager, &Reply::text(text), &push).await?;
        }
    }
    let mut replies = vec![Reply::text(cx.t(msg!("pledge-checkin-blocked-recorded")))];
    let after = next(cx, conn, member, round, item.version_id).await?;
    if !after.choices.is_empty() {
        replies.push(after);
    }
    Ok(Step::new(replies, State::Idle))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pledges::rules::Way;

    #[test]
    fn the_first_check_in_message_fits_in_one_sms_for_an_everyday_item() {
        let catalog = Catalog::load().unwrap();
        let member = Member {
            id: 1,
            key: "S203".into(),
            name: "唐志强".into(),
            branch_id: Some(2),
            branch_name: Some("学生第二党支部".into()),
            group_name: None,
            role: crate::domain::org::Role::Member,
            college: false,
            phone: Some("+8613800000000".into()),
            locale: Locale::ZhCn,
            active: true,
        };
        let item = Item {
            id: 1,
            version_id: 1,
            position: 1,
            way: Way::Study,
            text: "每月读一本理论书籍".into(),
            target_date: None,
        };
        let reply = opening(&catalog, &member, 1, &[item], false).unwrap();
        let sms = crate::chat::sms::render(&catalog, Locale::ZhCn, &reply.text, &reply.choices);
        assert_eq!(
            sms,
            "本期践诺填报：\n1. 带头学习提高：每月读一本理论书籍，进展如何？\n\
             回复 1 已完成，2 按计划，3 落后，4 遇到困难"
        );
        assert_eq!(crate::chat::sms::encoding::segments(&sms), 1);
    }

    #[test]
    fn a_question_offers_the_four_answers_within_telegrams_64_byte_callback_limit() {
        let catalog = Catalog::load().unwrap();
        let item = Item {
            id: i64::MAX,
            version_id: 1,
            position: 2,
            way: Way::Serve,
            text: "每周答疑两小时".into(),
            target_date: None,
        };
        let q = question(&catalog, Locale::ZhCn, i64::MAX, &item);
        assert_eq!(q.text, "2. 带头服务师生：每周答疑两小时，进展如何？");
        let labels: Vec<&str> = q.choices.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(labels, vec!["已完成", "按计划", "落后", "遇到困难"]);
        assert!(q.choices.iter().all(|c| c.data.len() <= 64), "{q:?}");
        assert!(q.choices[3].aliases.contains(&"Blocked".to_owned()));
    }
}
