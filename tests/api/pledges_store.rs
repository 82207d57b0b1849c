//! The pledge store on SQLite and PostgreSQL alike: versions and reviews, published items,
//! rounds with answers and the response figures, the one reminder, assessments, schedules.

use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::pledges::rules::{PledgeStatus, Progress, Way};
use branchbot::pledges::store::checkins as pledge_checkins;
use branchbot::pledges::store::{self as pledges, NewItem};
use branchbot::store::{members, Conn, Store};

use crate::both;
use crate::helpers::{Db, TestDb};

both!(
    versions_are_kept_and_a_review_applies_to_the_current_one_only,
    round_figures_count_members_who_answered_every_item_and_remind_the_silent_once,
    assessments_and_schedules_are_stored_once_per_key,
);

fn item(way: Way, text: &str) -> NewItem {
    NewItem {
        way: way.as_str().into(),
        text: text.into(),
        target_date: None,
    }
}

/// The example college, and the ids of the second student branch and three of its members.
async fn setup(store: &Store) -> (i64, [i64; 4]) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let branch = members::branch_id(&mut conn, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let mut ids = [0; 4];
    for (i, key) in ["S201", "S203", "S204", "S207"].iter().enumerate() {
        ids[i] = members::find(&mut conn, key).await.unwrap().unwrap().id;
    }
    (branch, ids)
}

async fn versions_are_kept_and_a_review_applies_to_the_current_one_only(store: &Store) {
    let (branch, [sec, a, b, _]) = setup(store).await;
    let mut tx = store.begin().await.unwrap();
    let conn: &mut Conn = &mut tx;
    let (v1, n1) = pledges::submit(conn, a, &[item(Way::Study, "读书 'a'; --")], 1)
        .await
        .unwrap();
    let (v2, n2) = pledges::submit(
        conn,
        a,
        &[item(Way::Study, "读书"), item(Way::Serve, "答疑")],
        2,
    )
    .await
    .unwrap();
    assert_eq!((n1, n2), (1, 2));
    assert_eq!(
        pledges::items(conn, v1).await.unwrap()[0].text,
        "读书 'a'; --"
    );
    // The first version is no longer current: its review is refused.
    assert!(!pledges::review(conn, v1, sec, true, None, 3).await.unwrap());
    assert!(pledges::review(conn, v2, sec, false, Some("具体些"), 3)
        .await
        .unwrap());
    assert!(!pledges::review(conn, v2, sec, true, None, 4).await.unwrap());
    let p = pledges::of_member(conn, a).await.unwrap().unwrap();
    assert_eq!(
        (p.status, p.current_version, p.approved_version),
        (PledgeStatus::Returned, v2, None)
    );
    let pid = p.id;
    assert_eq!(
        pledges::last_comment(conn, pid).await.unwrap().as_deref(),
        Some("具体些")
    );
    let (v3, _) = pledges::submit(conn, a, &[item(Way::Results, "创优")], 5)
        .await
        .unwrap();
    let (vb, _) = pledges::submit(conn, b, &[item(Way::Integrity, "廉洁")], 5)
        .await
        .unwrap();
    assert_eq!(
        pledges::awaiting(conn, Some(branch)).await.unwrap(),
        vec![(a, v3), (b, vb)]
    );
    assert!(pledges::review(conn, v3, sec, true, None, 6).await.unwrap());
    assert_eq!(pledges::awaiting(conn, None).await.unwrap(), vec![(b, vb)]);
    let published = pledges::published(conn, Some(branch)).await.unwrap();
    assert_eq!(published.len(), 1);
    assert_eq!(
        (
            published[0].member_key.as_str(),
            published[0].item.text.as_str()
        ),
        ("S203", "创优")
    );
    // An edit after approval keeps the approved version published.
    pledges::submit(conn, a, &[item(Way::Results, "创优争先")], 7)
        .await
        .unwrap();
    let published = pledges::published(conn, None).await.unwrap();
    assert_eq!(published[0].item.text, "创优");
    assert_eq!(
        pledges::approved_in_branch(conn, branch).await.unwrap(),
        vec![(a, v3)]
    );
    tx.commit().await.unwrap();
}

async fn round_figures_count_members_who_answered_every_item_and_remind_the_silent_once(
    store: &Store,
) {
    let (branch, [sec, a, b, c]) = setup(store).await;
    let mut tx = store.begin().await.unwrap();
    let conn: &mut Conn = &mut tx;
    let mut versions = Vec::new();
    for m in [a, b, c] {
        let (v, _) = pledges::submit(
            conn,
            m,
            &[item(Way::Study, "一"), item(Way::Serve, "二")],
            1,
        )
        .await
        .unwrap();
        assert!(pledges::review(conn, v, sec, true, None, 2).await.unwrap());
        versions.push(v);
    }
    let round = pledge_checkins::start_round(conn, branch, 100)
        .await
        .unwrap();
    assert_eq!(
        pledge_checkins::start_round(conn, branch, 100)
            .await
            .unwrap(),
        round,
        "a retried run finds the same round"
    );
    for (m, v) in [a, b, c].into_iter().zip(&versions) {
        assert!(pledge_checkins::ask(conn, round, m, *v).await.unwrap());
        assert!(!pledge_checkins::ask(conn, round, m, *v).await.unwrap());
    }
    let items_a = pledges::items(conn, versions[0]).await.unwrap();
    let items_b = pledges::items(conn, versions[1]).await.unwrap();
    // a answers both items (the second twice: corrected), b only the first, c nothing.
    for (i, p) in [
        (0, Progress::Done),
        (1, Progress::OnTrack),
        (1, Progress::Blocked),
    ] {
        pledge_checkins::answer(conn, round, items_a[i].id, a, p, None, 200)
            .await
            .unwrap();
    }
    pledge_checkins::set_note(conn, round, items_a[1].id, "没时间")
        .await
        .unwrap();
    pledge_checkins::answer(conn, round, items_b[0].id, b, Progress::Behind, None, 200)
        .await
        .unwrap();
    assert_eq!(
        pledge_checkins::response(conn, round).await.unwrap(),
        (3, 1)
    );
    let attention = pledge_checkins::attention(conn, round).await.unwrap();
    let seen: Vec<(i64, Progress, Option<&str>)> = attention
        .iter()
        .map(|x| (x.position, x.progress, x.note.as_deref()))
        .collect();
    assert_eq!(
        seen,
        vec![
            (2, Progress::Blocked, Some("没时间")),
            (1, Progress::Behind, None)
        ]
    );
    assert_eq!(
        pledge_checkins::silent(conn, round).await.unwrap(),
        vec![(c, versions[2])]
    );
    assert!(pledge_checkins::mark_reminded(conn, round, c, 300)
        .await
        .unwrap());
    assert!(!pledge_checkins::mark_reminded(conn, round, c, 301)
        .await
        .unwrap());
    assert!(pledge_checkins::silent(conn, round)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        pledge_checkins::latest_round(conn, branch).await.unwrap(),
        Some((round, 100))
    );
    assert_eq!(pledge_checkins::answers_of(conn, a).await.unwrap().len(), 2);
    tx.commit().await.unwrap();
}

async fn assessments_and_schedules_are_stored_once_per_key(store: &Store) {
    let (branch, [sec, a, _, _]) = setup(store).await;
    let mut tx = store.begin().await.unwrap();
    let conn: &mut Conn = &mut tx;
    let (v, _) = pledges::submit(conn, a, &[item(Way::Study, "一")], 1)
        .await
        .unwrap();
    pledges::review(conn, v, sec, true, None, 2).await.unwrap();
    assert!(
        pledge_checkins::ask_assessment(conn, a, v, "2026", 1, "第一阶段", 3)
            .await
            .unwrap()
    );
    assert!(
        !pledge_checkins::ask_assessment(conn, a, v, "2026", 1, "第一阶段", 4)
            .await
            .unwrap()
    );
    let id = pledge_checkins::assessment_id(conn, a, "2026", 1)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !pledge_checkins::answer_assessment(conn, id, sec, "不是我的", 5)
            .await
            .unwrap()
    );
    assert!(pledge_checkins::answer_assessment(conn, id, a, "完成", 5)
        .await
        .unwrap());
    assert_eq!(
        pledge_checkins::assessments_of(conn, a).await.unwrap(),
        vec![("第一阶段".to_owned(), Some("完成".to_owned()))]
    );
    assert_eq!(
        pledge_checkins::schedule_of(conn, branch).await.unwrap(),
        None
    );
    pledge_checkins::set_schedule(conn, branch, "0 9 1 * *", 1)
        .await
        .unwrap();
    pledge_checkins::set_schedule(conn, branch, "0 20 * * Fri", 2)
        .await
        .unwrap();
    assert_eq!(
        pledge_checkins::schedule_of(conn, branch)
            .await
            .unwrap()
            .as_deref(),
        Some("0 20 * * Fri")
    );
    tx.commit().await.unwrap();
}
