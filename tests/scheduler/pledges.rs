//! Pledge check-ins on the real scheduler and paused time: a branch's crontab round fires at
//! 09:00 on the 1st each month, the reminder two days later reaches only the member who said
//! nothing, and only once.

use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::pledges::rules::{Progress, Way};
use branchbot::pledges::store::checkins as pledge_checkins;
use branchbot::pledges::store::{self as pledges, NewItem};
use branchbot::scheduler::{Crontab, JobSpec, When};
use branchbot::store::members;

use crate::support::{bind, eventually, t, Env, TZ};

fn item(way: Way, text: &str) -> NewItem {
    NewItem {
        way: way.as_str().into(),
        text: text.into(),
        target_date: None,
    }
}

#[tokio::test(start_paused = true)]
async fn monthly_check_ins_fire_on_the_branch_crontab_and_the_silent_are_reminded_once() {
    let env = Env::new(t("2026-02-27T10:00:00+08:00")).await;
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = env.store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let branch = members::branch_id(&mut tx, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let mut ids = Vec::new();
    for key in ["S201", "S203", "S204"] {
        ids.push(members::find(&mut tx, key).await.unwrap().unwrap().id);
    }
    let (sec, tang, han) = (ids[0], ids[1], ids[2]);
    let mut versions = Vec::new();
    for (m, items) in [
        (
            tang,
            vec![
                item(Way::Study, "每月读一本理论书籍"),
                item(Way::Serve, "每周答疑两小时"),
            ],
        ),
        (han, vec![item(Way::Results, "数据结构 90 分以上")]),
    ] {
        let (v, _) = pledges::submit(&mut tx, m, &items, 0).await.unwrap();
        pledges::review(&mut tx, v, sec, true, None, 0)
            .await
            .unwrap();
        versions.push(v);
    }
    tx.commit().await.unwrap();
    bind(&env.store, tang, "telegram", "203").await;
    bind(&env.store, han, "telegram", "204").await;

    let running = env.spawn();
    let spec = JobSpec {
        kind: "pledge_checkin".into(),
        dedupe_key: format!("pledge:checkin:{branch}"),
        payload: serde_json::json!({ "branch_id": branch }).to_string(),
        when: When::Cron {
            crontab: Crontab::parse("0 9 1 * *").unwrap(),
            tz: TZ,
        },
        grace: None,
    };
    running
        .handle
        .schedule(&env.store, &spec, env.clock.now())
        .await
        .unwrap();

    let asked = |prefix: &'static str| {
        let store = env.store.clone();
        async move {
            crate::support::outbox(&store)
                .await
                .into_iter()
                .filter(|o| o.dedupe_key.starts_with(prefix))
                .collect::<Vec<_>>()
        }
    };

    env.advance_to(t("2026-03-01T08:59:00+08:00")).await;
    env.settle().await;
    assert!(
        asked("pledge:checkin:").await.is_empty(),
        "not before 09:00"
    );
    env.advance_to(t("2026-03-01T09:00:00+08:00")).await;
    eventually("the first round is sent", async || {
        asked("pledge:checkin:").await.len() == 2
    })
    .await;
    let sent = asked("pledge:checkin:").await;
    assert_eq!(
        sent[0].body,
        "本期践诺填报：\n1. 带头学习提高：每月读一本理论书籍，进展如何？"
    );
    assert_eq!(
        (sent[0].address.as_str(), sent[1].address.as_str()),
        ("203", "204")
    );

    // 唐志强 answers the first item; 韩梅梅 says nothing.
    let (round, _) = {
        let mut conn = env.store.pool().acquire().await.unwrap();
        let round = pledge_checkins::latest_round(&mut conn, branch)
            .await
            .unwrap()
            .unwrap();
        let first = pledges::items(&mut conn, versions[0]).await.unwrap()[0].id;
        pledge_checkins::answer(&mut conn, round.0, first, tang, Progress::OnTrack, None, 0)
            .await
            .unwrap();
        round
    };

    env.advance_to(t("2026-03-03T09:00:00+08:00")).await;
    eventually("the reminder is sent", async || {
        asked("pledge:remind:").await.len() == 1
    })
    .await;
    env.advance_to(t("2026-03-10T09:00:00+08:00")).await;
    env.settle().await;
    let reminders = asked("pledge:remind:").await;
    assert_eq!(reminders.len(), 1, "{reminders:#?}");
    assert_eq!(reminders[0].address, "204");
    assert_eq!(
        reminders[0].body,
        "提醒：本期践诺填报还没有完成。\n本期践诺填报：\n1. 带头争创佳绩：数据结构 90 分以上，进展如何？"
    );

    // The next month's round, on the same crontab.
    env.advance_to(t("2026-04-01T09:00:00+08:00")).await;
    eventually("the second round is sent", async || {
        asked("pledge:checkin:").await.len() == 4
    })
    .await;
    let mut conn = env.store.pool().acquire().await.unwrap();
    let (second, _) = pledge_checkins::latest_round(&mut conn, branch)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(second, round);
    assert_eq!(
        pledge_checkins::response(&mut conn, round).await.unwrap(),
        (2, 0),
        "唐志强 answered one item of two: not a full response"
    );
    drop(conn);
    running.stop().await;
}
