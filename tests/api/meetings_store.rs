//! The meetings store on SQLite and PostgreSQL alike: answers, sign-ins once, codes only while
//! a meeting is not over, minutes replaced, cancel and reschedule, overlaps, and the figures
//! of held meetings (sums cast so PostgreSQL does not return NUMERIC).

use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::meetings::store::{self as meetings, NewMeeting, Rsvp};
use branchbot::store::{members, Store};

use crate::helpers::{Db, TestDb};

crate::both!(
    a_meeting_keeps_answers_sign_ins_minutes_and_figures_alike_on_both_backends,
    an_answer_this_binary_never_writes_is_an_error_naming_the_meeting_not_no_answer,
);

const H: i64 = 3_600_000;

async fn a_meeting_keeps_answers_sign_ins_minutes_and_figures_alike_on_both_backends(
    store: &Store,
) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let branch = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let other = members::branch_id(&mut conn, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    let id_of = async |conn: &mut _, key: &str| members::find(conn, key).await.unwrap().unwrap().id;
    let (a, b, c) = (
        id_of(&mut conn, "S101").await,
        id_of(&mut conn, "S103").await,
        id_of(&mut conn, "S107").await,
    );
    let new = |kind, starts: i64, code: &str| NewMeeting {
        branch_id: branch,
        kind,
        starts_at: starts,
        ends_at: starts + 2 * H,
        place: "图书馆 305".into(),
        topic: "议题 'quoted' ; DROP".into(),
        created_by: Some(a),
        attendees: vec![a, b, c],
        signin_code: code.into(),
    };
    let m1 = meetings::create(&mut conn, &new(MeetingKind::General, 100 * H, "123456"), 0)
        .await
        .unwrap();
    let m2 = meetings::create(&mut conn, &new(MeetingKind::Lesson, 101 * H, "654321"), 0)
        .await
        .unwrap();

    // Answers: only for attendees.
    assert!(meetings::set_rsvp(&mut conn, m1, b, Rsvp::Attend, None, 1)
        .await
        .unwrap());
    assert!(
        meetings::set_rsvp(&mut conn, m1, c, Rsvp::Leave, Some("出差"), 2)
            .await
            .unwrap()
    );
    let outsider = id_of(&mut conn, "T004").await;
    assert!(
        !meetings::set_rsvp(&mut conn, m1, outsider, Rsvp::Attend, None, 3)
            .await
            .unwrap()
    );

    // A code works until the meeting is over.
    assert_eq!(
        meetings::by_code(&mut conn, "123456", 99 * H)
            .await
            .unwrap()
            .unwrap()
            .id,
        m1
    );
    assert!(meetings::by_code(&mut conn, "123456", 102 * H)
        .await
        .unwrap()
        .is_none());

    // Sign-in once; a proxy sign-in keeps who and why.
    assert!(meetings::sign_in(&mut conn, m1, b, 100 * H, false, None)
        .await
        .unwrap());
    assert!(
        !meetings::sign_in(&mut conn, m1, b, 100 * H + 5, true, None)
            .await
            .unwrap()
    );
    assert!(
        meetings::sign_in(&mut conn, m1, a, 100 * H + 9, true, Some((a, "代签")))
            .await
            .unwrap()
    );
    let list = meetings::attendees(&mut conn, m1).await.unwrap();
    let names: Vec<(&str, Rsvp, bool, bool)> = list
        .iter()
        .map(|x| (x.name.as_str(), x.rsvp, x.signed_in, x.late))
        .collect();
    assert_eq!(
        names,
        [
            ("黄晓明", Rsvp::None, true, true),
            ("马超", Rsvp::Attend, true, false),
            ("何宇航", Rsvp::Leave, false, false),
        ]
    );

    // Overlaps: m2 starts an hour into m1 and shares attendees; another branch is not asked.
    let over = meetings::overlapping(&mut conn, branch, 100 * H + 30, 100 * H + 60, &[c])
        .await
        .unwrap();
    assert_eq!(over.iter().map(|m| m.id).collect::<Vec<_>>(), [m1]);
    assert!(meetings::overlapping(&mut conn, other, 0, 200 * H, &[c])
        .await
        .unwrap()
        .is_empty());

    // Minutes are replaced, not duplicated.
    meetings::save_minutes(&mut conn, m1, "初稿", Some(a), 103 * H)
        .await
        .unwrap();
    meetings::save_minutes(&mut conn, m1, "定稿", Some(a), 104 * H)
        .await
        .unwrap();
    assert!(meetings::has_minutes(&mut conn, m1).await.unwrap());
    let body: String = sqlx::query_scalar("SELECT body FROM meeting_minutes")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(body, "定稿");

    // Cancel once; reschedule only what is scheduled.
    assert!(meetings::cancel(&mut conn, m2, 5).await.unwrap());
    assert!(!meetings::cancel(&mut conn, m2, 6).await.unwrap());
    assert!(!meetings::reschedule(&mut conn, m2, 300 * H, 302 * H, 7)
        .await
        .unwrap());
    assert!(meetings::reschedule(&mut conn, m1, 99 * H, 101 * H, 8)
        .await
        .unwrap());

    // Figures of what was held: the cancelled lesson is not counted.
    let held = meetings::held_between(&mut conn, None, 0, 1000 * H, 500 * H)
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    let h = &held[0];
    assert_eq!(
        (h.meeting.id, h.expected, h.signed_in, h.on_leave, h.minutes),
        (m1, 3, 2, 1, true)
    );
    assert_eq!(h.meeting.topic, "议题 'quoted' ; DROP");
    assert!(
        meetings::held_between(&mut conn, Some(other), 0, 1000 * H, 500 * H)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn an_answer_this_binary_never_writes_is_an_error_naming_the_meeting_not_no_answer(
    store: &Store,
) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let branch = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let a = members::find(&mut conn, "S101").await.unwrap().unwrap().id;
    let new = NewMeeting {
        branch_id: branch,
        kind: MeetingKind::General,
        starts_at: 100 * H,
        ends_at: 102 * H,
        place: "图书馆 305".into(),
        topic: "议题".into(),
        created_by: Some(a),
        attendees: vec![a],
        signin_code: "123456".into(),
    };
    let m = meetings::create(&mut conn, &new, 0).await.unwrap();
    let read = meetings::attendees(&mut conn, m).await.unwrap();
    assert_eq!(read[0].rsvp, Rsvp::None);

    // Refused by meeting_attendees_rsvp_check; what a row written by another binary looks like.
    crate::helpers::write_unchecked(
        store,
        "meeting_attendees",
        &format!(
            "UPDATE meeting_attendees SET rsvp = 'maybe' WHERE meeting_id = {m} AND member_id = {a}"
        ),
    )
    .await;
    let err = meetings::attendees(&mut conn, m).await.unwrap_err();
    assert!(
        err.to_string().contains(&format!(
            "meeting_attendees row (meeting {m}, member {a}): unknown rsvp 'maybe'"
        )),
        "{err}"
    );
    assert!(!err.is_transient());
}
