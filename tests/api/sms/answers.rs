//! What a phone user types lands where it was meant, and is said back: a meeting reminder and
//! a notice open at once (neither steals the other's answer, an ambiguous "1" is asked about),
//! a repeated 收到, "签到 976520", TD from an unknown number in the organisation's language, and
//! a rating with its comment in one SMS.

use branchbot::config::sms::GatewayKind;
use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::NewMeeting;
use branchbot::store::members;
use chrono::Utc;

use super::{spawn_sms, SmsApp, LIU, STRANGER};
use crate::helpers::WAIT;

/// 王建国 (T001), secretary of 教工第一党支部 and on the college committee.
const WANG: &str = "+8613800010001";
/// 杨帆 (T006), a member of the same branch.
const YANG: &str = "+8613800010006";

const NOTICE: &str = "请各位党员于12月15日前完成2026年度党费缴纳。";
/// How answers name the notice: its number and the first twenty characters.
const NAMED: &str = "#1（请各位党员于12月15日前完成2026年…）";

/// A general meeting of 教工第一党支部 whose one-hour reminder falls due in two seconds, with
/// `code` as its sign-in code. Returns its id.
async fn meeting_soon(app: &SmsApp, code: &str) -> i64 {
    let a = app.app.as_ref().unwrap();
    let now = Utc::now();
    let starts = now + chrono::TimeDelta::seconds(3602);
    let mut tx = app.store.begin().await.unwrap();
    let branch = members::branch_id(&mut tx, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    let by = branchbot::meetings::service::Creator {
        registry: a.scheduler.registry(),
        rules: &branchbot::domain::meetings::MeetingRules::default(),
        tz: chrono_tz::Asia::Shanghai,
        now,
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
            signin_code: code.into(),
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

#[tokio::test]
async fn a_notice_after_a_meeting_reminder_does_not_take_the_answer_meant_for_the_meeting() {
    let app = spawn_sms(GatewayKind::Android).await;
    meeting_soon(&app, "").await;
    let reminder = app.sms.wait_sent(LIU, 1, WAIT * 3).await;
    assert!(
        reminder[0]
            .text
            .ends_with("党员大会。\n回复 1 参加，2 请假"),
        "{}",
        reminder[0].text
    );
    app.sms.wait_sent(YANG, 1, WAIT).await;
    // The secretary also has the reminder and the meeting's sign-in code.
    app.sms.wait_sent(WANG, 2, WAIT).await;

    // The secretary sends a notice asking for 收到, typing the words of the options.
    app.ask(WANG, "/notice", 1).await;
    app.ask(WANG, "全支部党员", 1).await;
    app.ask(WANG, NOTICE, 1).await;
    app.ask(WANG, "需要", 1).await;
    app.ask(WANG, "不紧急", 1).await;
    app.ask(WANG, "不自动提醒", 1).await;
    let sent = app.ask(WANG, "发送", 1).await;
    assert!(
        sent[0].text.starts_with("已发送（通知 #1，"),
        "{}",
        sent[0].text
    );
    let notice = app.sms.wait_sent(LIU, 2, WAIT).await;
    assert!(
        notice[1].text.ends_with("收到请回复1"),
        "{}",
        notice[1].text
    );
    app.sms.wait_sent(YANG, 2, WAIT).await;

    // 杨帆 answers the reminder in words: it is still answerable after the notice.
    let attend = app.ask(YANG, "参加", 1).await;
    assert!(
        attend[0].text.starts_with("已为您登记参加：") && attend[0].text.contains("党员大会"),
        "{}",
        attend[0].text
    );
    let ok = app.ask(YANG, "收到", 1).await;
    assert_eq!(ok[0].text, format!("已确认收到通知 {NAMED}，谢谢！"));

    // 刘洋's "1" fits both: asked which, never guessed.
    let which = app.ask(LIU, "1", 1).await;
    let text = &which[0].text;
    assert!(
        text.starts_with(
            "您回复的“1”可以指以下几项，请选择您指的是哪一项：\n回复 1 【教工第一党支部】"
        ),
        "{text}"
    );
    assert!(
        text.ends_with(&format!(
            "党员大会。 → 参加，2 【学院党委通知】 {NOTICE} → 收到"
        )),
        "{text}"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
             WHERE m.key = 'T004' AND a.rsvp <> 'none'"
        )
        .await,
        0,
        "nothing recorded on a guess"
    );
    let attend = app.ask(LIU, "1", 1).await;
    assert!(
        attend[0].text.starts_with("已为您登记参加：") && attend[0].text.contains("党员大会"),
        "{}",
        attend[0].text
    );
    assert!(
        attend[0].text.ends_with("\n回复 1 改为请假"),
        "{}",
        attend[0].text
    );
    // The notice is still open: 收到 confirms it, once.
    let ok = app.ask(LIU, "收到", 1).await;
    assert_eq!(ok[0].text, format!("已确认收到通知 {NAMED}，谢谢！"));
    let again = app.ask(LIU, "收到", 1).await;
    assert_eq!(
        again[0].text,
        format!("您已确认过通知 {NAMED}，不用再回复。谢谢！")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_sign_in_code_is_understood_after_the_word_sign_in_with_or_without_a_space() {
    let app = spawn_sms(GatewayKind::Android).await;
    meeting_soon(&app, "976520").await;
    app.sms.wait_sent(LIU, 1, WAIT * 3).await;
    // The meeting starts in an hour: sign-in opens half an hour before, so it says so.
    let early = app.ask(LIU, "签到 976520", 1).await;
    assert!(
        early[0].text.starts_with("签到还没开始："),
        "{}",
        early[0].text
    );
    let early = app.ask(YANG, "签到976520", 1).await;
    assert!(
        early[0].text.starts_with("签到还没开始："),
        "{}",
        early[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_number_sending_td_is_answered_in_the_organisations_language() {
    let app = spawn_sms(GatewayKind::Android).await;
    let stopped = app.ask(STRANGER, "TD", 1).await;
    assert_eq!(
        stopped[0].text,
        "已退订，此号码将不再收到通知。回复“订阅”可恢复。"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_rating_and_its_comment_in_one_sms_are_taken_together() {
    let app = spawn_sms(GatewayKind::Android).await;
    let lines =
        branchbot::domain::targets::parse(include_bytes!("../../../examples/targets.csv"), false)
            .unwrap();
    let mut tx = app.store.begin().await.unwrap();
    branchbot::feedback::load::load(&mut tx, &lines)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    app.ask(STRANGER, "评价 D12-305", 1).await;
    let thanks = app.ask(STRANGER, "2 晚上有时比较吵", 1).await;
    assert!(
        thanks[0].text.starts_with("谢谢！您的回执码："),
        "{}",
        thanks[0].text
    );
    // Accepted means sealed in the pool (published later in a mixed batch): open it.
    let mut conn = app.store.begin().await.unwrap();
    let (pooled, _) = branchbot::feedback::publish::pooled(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let entries: Vec<_> = pooled
        .iter()
        .map(|(_, e)| (e.rating, e.body.as_deref()))
        .collect();
    assert_eq!(entries, [(2, Some("晚上有时比较吵"))]);
    app.stop().await;
}
