//! A member answers a meeting reminder over SMS: the short reminder (one UCS-2 segment), "2 出差"
//! for leave with its reason, then "1" to attend after all.

use branchbot::config::sms::GatewayKind;
use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::NewMeeting;
use branchbot::store::members;
use chrono::{Datelike, Utc};

use super::{spawn_sms, LIU};
use crate::helpers::WAIT;

#[tokio::test]
async fn a_member_answers_a_meeting_reminder_by_sms_with_leave_and_a_reason() {
    let app = spawn_sms(GatewayKind::Android).await;
    let a = app.app.as_ref().unwrap();
    // A general meeting of 教工第一党支部 an hour and two seconds away: its one-hour reminder
    // falls due in two seconds.
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
            signin_code: String::new(),
        },
        branchbot::meetings::service::Invited::Default(None),
    )
    .await
    .unwrap()
    .id;
    tx.commit().await.unwrap();
    a.scheduler.wake();

    let sent = app.sms.wait_sent(LIU, 1, WAIT * 3).await;
    let local = starts.with_timezone(&chrono_tz::Asia::Shanghai);
    let weekday = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [local.weekday().num_days_from_monday() as usize];
    let reminder = format!(
        "【教工第一党支部】{}/{} {weekday}{} 图书馆305 党员大会。\n回复 1 参加，2 请假",
        local.month(),
        local.day(),
        local.format("%H:%M")
    );
    assert_eq!(sent[0].text, reminder);
    assert!(reminder.chars().count() <= 70, "one UCS-2 segment");

    let leave = app.ask(LIU, "2 出差", 1).await;
    // The answer says what it applied to: the meeting's time and kind, and the reason.
    assert!(
        leave[0].text.starts_with("已为您登记请假：")
            && leave[0].text.contains(&format!(
                "{}月{}日（{weekday}）{} 党员大会，原因：出差。支部书记会收到通知。\n",
                local.month(),
                local.day(),
                local.format("%H:%M")
            ))
            && leave[0]
                .text
                .ends_with("会后请按要求补学。如有变化，可改为参加。\n回复 1 改为参加"),
        "{}",
        leave[0].text
    );
    let row: (String, Option<String>) = sqlx::query_as(
        "SELECT a.rsvp, a.reason FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
         WHERE a.meeting_id = $1 AND m.key = 'T004'",
    )
    .bind(id)
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert_eq!(row, ("leave".to_owned(), Some("出差".to_owned())));

    let attend = app.ask(LIU, "1", 1).await;
    assert!(
        attend[0].text.starts_with("已为您登记参加："),
        "{}",
        attend[0].text
    );
    assert!(
        attend[0].text.ends_with("\n回复 1 改为请假"),
        "{}",
        attend[0].text
    );
    app.stop().await;
}
