//! The spot checks and the audit log in the store, on SQLite and PostgreSQL alike: candidates
//! (recent held meetings, else the last few; published pledges), a finding written once, lists
//! by branch, and the audit log's filters.

use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::spotcheck::store as spotchecks;
use branchbot::store::audit::{self, Action, Actor, Filter};
use branchbot::store::{members, Store};

use crate::helpers::{Db, TestDb};

crate::both!(
    spot_checks_pick_from_held_meetings_and_keep_one_finding,
    the_audit_log_filters_by_time_action_and_member,
);

const DAY: i64 = 24 * 3_600_000;

async fn college(store: &Store) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
        .expect("example roster");
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
}

async fn spot_checks_pick_from_held_meetings_and_keep_one_finding(store: &Store) {
    college(store).await;
    let mut tx = store.begin().await.unwrap();
    let b1 = members::branch_id(&mut tx, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let b2 = members::branch_id(&mut tx, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let checker = members::find(&mut tx, "T010").await.unwrap().unwrap();
    let now = 1_000 * DAY;
    let meeting = |branch_id, starts_at| NewMeeting {
        branch_id,
        kind: MeetingKind::Lesson,
        starts_at,
        ends_at: starts_at + 3_600_000,
        place: "活动室".into(),
        topic: "党课".into(),
        created_by: None,
        attendees: Vec::new(),
        signin_code: String::new(),
    };
    let old = meetings::create(&mut tx, &meeting(b1, now - 200 * DAY), 0)
        .await
        .unwrap();
    let older = meetings::create(&mut tx, &meeting(b1, now - 300 * DAY), 0)
        .await
        .unwrap();
    let recent = meetings::create(&mut tx, &meeting(b2, now - 10 * DAY), 0)
        .await
        .unwrap();
    let cancelled = meetings::create(&mut tx, &meeting(b2, now - 5 * DAY), 0)
        .await
        .unwrap();
    meetings::cancel(&mut tx, cancelled, 0).await.unwrap();
    let _future = meetings::create(&mut tx, &meeting(b2, now + 5 * DAY), 0)
        .await
        .unwrap();
    let since = now - 90 * DAY;

    // Recent ones anywhere; within a branch with none recent, its last few.
    assert_eq!(
        spotchecks::recent_meetings(&mut tx, None, since, now, 5)
            .await
            .unwrap(),
        vec![(b2, recent)]
    );
    assert_eq!(
        spotchecks::recent_meetings(&mut tx, Some(b1), since, now, 1)
            .await
            .unwrap(),
        vec![(b1, old)]
    );
    assert_eq!(
        spotchecks::recent_meetings(&mut tx, Some(b1), since, now, 5)
            .await
            .unwrap(),
        vec![(b1, old), (b1, older)]
    );
    assert!(spotchecks::published_pledges(&mut tx, None)
        .await
        .unwrap()
        .is_empty());

    let first = spotchecks::start(&mut tx, checker.id, b2, "meeting", recent, now)
        .await
        .unwrap();
    let second = spotchecks::start(&mut tx, checker.id, b1, "meeting", old, now + 1)
        .await
        .unwrap();
    assert!(
        spotchecks::conclude(&mut tx, first, checker.id, "记录完整", now + 2)
            .await
            .unwrap()
    );
    assert!(
        !spotchecks::conclude(&mut tx, first, checker.id, "再写一次", now + 3)
            .await
            .unwrap()
    );
    let other = members::find(&mut tx, "T001").await.unwrap().unwrap();
    assert!(
        !spotchecks::conclude(&mut tx, second, other.id, "不是我的", now + 3)
            .await
            .unwrap()
    );

    let all = spotchecks::list(&mut tx, None, false).await.unwrap();
    assert_eq!(
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![second, first]
    );
    assert_eq!(all[1].finding.as_deref(), Some("记录完整"));
    assert_eq!(all[1].found_at, Some(now + 2));
    assert_eq!(
        (all[0].checker.as_str(), all[0].branch.as_str()),
        ("吴桂兰", "学生第一党支部")
    );
    let done = spotchecks::list(&mut tx, None, true).await.unwrap();
    assert_eq!(done.len(), 1);
    assert_eq!(
        spotchecks::list(&mut tx, Some(b1), false)
            .await
            .unwrap()
            .len(),
        1
    );
    tx.commit().await.unwrap();
}

async fn the_audit_log_filters_by_time_action_and_member(store: &Store) {
    college(store).await;
    let mut tx = store.begin().await.unwrap();
    let t001 = members::find(&mut tx, "T001").await.unwrap().unwrap();
    let by_member = Actor::member(&t001, "telegram");
    let operator = Actor {
        member_id: None,
        name: "zhangsan".into(),
        via: "cli",
    };
    audit::record(
        &mut tx,
        100,
        &operator,
        Action::Import,
        "college.csv",
        "+30",
    )
    .await
    .unwrap();
    audit::record(&mut tx, 200, &by_member, Action::NoticeSent, "notice:1", "")
        .await
        .unwrap();
    audit::record(
        &mut tx,
        300,
        &by_member,
        Action::MeetingCreated,
        "meeting:1",
        "",
    )
    .await
    .unwrap();
    let subjects = |entries: Vec<audit::Entry>| -> Vec<String> {
        entries.into_iter().map(|e| e.subject).collect()
    };
    assert_eq!(
        subjects(audit::list(&mut tx, &Filter::default()).await.unwrap()),
        ["college.csv", "notice:1", "meeting:1"]
    );
    let f = Filter {
        since: Some(200),
        until: Some(300),
        ..Filter::default()
    };
    assert_eq!(
        subjects(audit::list(&mut tx, &f).await.unwrap()),
        ["notice:1"]
    );
    let f = Filter {
        actor_id: Some(t001.id),
        limit: Some(1),
        ..Filter::default()
    };
    assert_eq!(
        subjects(audit::list(&mut tx, &f).await.unwrap()),
        ["meeting:1"]
    );
    let f = Filter {
        action: Some(Action::Import),
        ..Filter::default()
    };
    let entries = audit::list(&mut tx, &f).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].actor.as_str(),
            entries[0].via.as_str(),
            entries[0].actor_id
        ),
        ("zhangsan", "cli", None)
    );
    tx.commit().await.unwrap();
}
