//! Whole conversations over WeCom, through the same flows as Telegram: a meeting reminder
//! answered by button (leave, then the reason typed) and by typed text, a clicked card
//! updated, a notice confirmed, and one reminder rendered for Telegram, WeCom and SMS.

use branchbot::domain::meetings::{MeetingKind, MeetingRules};
use branchbot::flows::start;
use branchbot::meetings::store::NewMeeting;
use branchbot::store::{invites, members};
use chrono::Utc;

use super::{spawn_wecom, WecomApp, LIU, WANG};
use crate::helpers::WAIT;

/// A general meeting of 教工第一党支部 an hour and two seconds away: its one-hour reminder
/// falls due in two seconds. Returns the meeting's id.
async fn meeting_soon(app: &WecomApp) -> i64 {
    let a = app.app();
    let starts = Utc::now() + chrono::TimeDelta::seconds(3602);
    let mut tx = app.store.begin().await.unwrap();
    let branch = members::branch_id(&mut tx, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    let by = branchbot::meetings::service::Creator {
        registry: a.scheduler.registry(),
        rules: &MeetingRules::default(),
        tz: chrono_tz::Asia::Shanghai,
        now: Utc::now(),
        actor: branchbot::store::audit::Actor::operator(),
    };
    let id = branchbot::meetings::service::create(
        &mut tx,
        &by,
        NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: starts.timestamp_millis(),
            ends_at: starts.timestamp_millis() + 7_200_000,
            place: "图书馆 305".into(),
            topic: "学习贯彻全会精神".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        },
        branchbot::meetings::service::Invited::Default(None),
    )
    .await
    .unwrap()
    .id;
    tx.commit().await.unwrap();
    a.scheduler.wake();
    id
}

async fn rsvp(app: &WecomApp, meeting: i64, key: &str) -> (String, Option<String>) {
    sqlx::query_as(
        "SELECT a.rsvp, a.reason FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
         WHERE a.meeting_id = $1 AND m.key = $2",
    )
    .bind(meeting)
    .bind(key)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn a_member_answers_a_reminder_by_button_with_a_typed_reason_then_by_typed_text() {
    let app = spawn_wecom().await;
    let id = meeting_soon(&app).await;
    let reminder = app.wait_texts(LIU, 1).await;
    assert!(
        reminder[0].starts_with("【教工第一党支部】")
            && reminder[0].ends_with("\n回复 1 参加，2 请假"),
        "{}",
        reminder[0]
    );
    let card = app.last_card(LIU).await;
    assert_eq!(
        card.buttons
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["1 参加", "2 请假"]
    );

    // The 请假 button: the reason is asked for and typed.
    let ask = app.tap(LIU, &card, "请假", 1).await;
    assert_eq!(ask[0], "请简要说明请假原因（如：出差、上课冲突）。");
    let updates = app.wecom.wait_updates(1, WAIT).await;
    assert_eq!(updates[0].userid, LIU);
    assert_eq!(updates[0].replace_name, "已选择：请假");
    let leave = app.ask(LIU, "外出参加学术会议", 1).await;
    assert!(
        leave[0].starts_with("已为您登记请假：") && leave[0].contains("原因：外出参加学术会议。"),
        "{}",
        leave[0]
    );
    assert_eq!(
        rsvp(&app, id, "T004").await,
        ("leave".to_owned(), Some("外出参加学术会议".to_owned()))
    );

    // Typed, as from the WeChat plugin (text only): "1" to attend after all.
    let attend = app.ask(LIU, "1", 1).await;
    assert!(attend[0].starts_with("已为您登记参加："), "{}", attend[0]);
    assert_eq!(rsvp(&app, id, "T004").await.0, "attend");
    // And "1 出差" in one message: back to leave, with its reason.
    let leave = app.ask(LIU, "1 出差", 1).await;
    assert!(leave[0].contains("原因：出差。"), "{}", leave[0]);
    assert_eq!(
        rsvp(&app, id, "T004").await,
        ("leave".to_owned(), Some("出差".to_owned()))
    );
    assert!(app.wecom.dropped().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_member_confirms_a_notice_over_wecom_by_typing_and_another_by_button() {
    let app = spawn_wecom().await;
    // The secretary composes the notice over WeCom too, typing the options' words.
    app.ask(WANG, "/notice", 1).await;
    app.ask(WANG, "全支部党员", 1).await;
    app.ask(WANG, "周五前提交学习心得", 1).await;
    app.ask(WANG, "需要", 1).await;
    app.ask(WANG, "不紧急", 1).await;
    let preview = app.ask(WANG, "不自动提醒", 1).await;
    assert!(preview[0].contains("企业微信"), "{}", preview[0]);
    let sent = app.ask(WANG, "发送", 1).await;
    assert!(sent[0].starts_with("已发送（通知 #1，"), "{}", sent[0]);
    let notice = app.wait_texts(LIU, 1).await;
    assert!(
        notice[0].contains("周五前提交学习心得") && notice[0].ends_with("收到请回复1"),
        "{}",
        notice[0]
    );
    let ok = app.ask(LIU, "收到", 1).await;
    assert!(ok[0].starts_with("已确认收到通知"), "{}", ok[0]);
    // 张伟 (T003) taps the card's button instead.
    app.wait_texts("T003", 1).await;
    let card = app.last_card("T003").await;
    let ok = app.tap("T003", &card, "收到", 1).await;
    assert!(ok[0].starts_with("已确认收到通知"), "{}", ok[0]);
    app.eventually(
        "SELECT COUNT(*) FROM notice_recipients WHERE confirmed_at IS NOT NULL",
        2,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn one_reminder_is_rendered_for_telegram_wecom_and_sms_from_one_flow() {
    let app = spawn_wecom().await;
    // 李秀英 (T002) binds Telegram; 张伟 (T003) prefers SMS; 刘洋 (T004) is on WeCom.
    let mut conn = app.store.pool().acquire().await.unwrap();
    let li = members::find(&mut conn, "T002").await.unwrap().unwrap();
    let code = start::new_code();
    let now = Utc::now().timestamp_millis();
    invites::create(
        &mut conn,
        li.id,
        &start::normalize_code(&code),
        now,
        now + 3_600_000,
    )
    .await
    .unwrap();
    let zhang = members::find(&mut conn, "T003").await.unwrap().unwrap();
    branchbot::store::wecom::set_preference(&mut conn, zhang.id, "sms", now)
        .await
        .unwrap();
    drop(conn);
    app.telegram.push_text(102, &format!("/start {code}"));
    // Bound: the welcome and the help.
    app.telegram.wait_sent(102, 2, WAIT).await;
    let before = app.telegram.sent_to(102).len();

    meeting_soon(&app).await;
    let telegram = app.telegram.wait_sent(102, before + 1, WAIT * 2).await[before].clone();
    let wecom = app.wait_texts(LIU, 1).await[0].clone();
    let card = app.last_card(LIU).await;
    let sms = app.sms.wait_sent("+8613800010003", 1, WAIT).await[0].clone();

    // Telegram and WeCom carry the same full reminder; WeCom adds the numbered options
    // (read by the WeChat plugin) and a card with the very buttons Telegram shows.
    assert_eq!(wecom, format!("{}\n回复 1 参加，2 请假", telegram.text));
    let tg_buttons: Vec<(String, String)> = telegram.buttons.iter().flatten().cloned().collect();
    let card_buttons: Vec<(String, String)> = card
        .buttons
        .iter()
        .map(|(l, k)| (l.split_once(' ').unwrap().1.to_owned(), k.clone()))
        .collect();
    assert_eq!(card_buttons, tg_buttons);
    // SMS gets the short form, which fits one segment.
    assert!(
        sms.text.ends_with("党员大会。\n回复 1 参加，2 请假"),
        "{}",
        sms.text
    );
    assert!(sms.text.chars().count() <= 70, "{}", sms.text);
    assert!(telegram.text.chars().count() > sms.text.chars().count() - 12);
    app.stop().await;
}
