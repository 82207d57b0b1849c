//! The notices and campaign stores on SQLite and PostgreSQL alike: the figures a sender reads
//! (outcomes joined from the outbox, confirmations), and the branches' phase summaries.

use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::notices::store::{self as notices, Confirmed, Figures};
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::{campaigns, members, Store};

use crate::both;
use crate::helpers::{Db, TestDb};

both!(
    notice_figures_join_outcomes_and_count_confirmations_once,
    phase_summaries_list_every_branch_and_a_second_one_replaces_the_first,
);

async fn college(store: &Store) -> std::collections::HashMap<String, i64> {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    members::list(&mut conn, None)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.key, m.id))
        .collect()
}

async fn notice_figures_join_outcomes_and_count_confirmations_once(store: &Store) {
    let ids = college(store).await;
    let mut conn = store.pool().acquire().await.unwrap();
    let id = notices::create(
        &mut conn,
        ids["S201"],
        "{\"kind\":\"all\"}",
        "开会",
        true,
        false,
        10,
    )
    .await
    .unwrap();
    let reached = ["S202", "S203", "S204", "S205"];
    let mut recipients: Vec<(i64, Option<&str>)> = reached
        .iter()
        .map(|k| (ids[*k], Some("telegram")))
        .collect();
    recipients.push((ids["S209"], None));
    notices::add_recipients(&mut conn, id, &recipients)
        .await
        .unwrap();
    let rows: Vec<NewMessage> = reached
        .iter()
        .map(|k| NewMessage {
            channel: "telegram".into(),
            address: k.to_string(),
            member_id: Some(ids[*k]),
            body: "开会".into(),
            choices_json: "[]".into(),
            dedupe_key: format!("notice:{id}:{}", ids[*k]),
            urgent: false,
            not_before: 10,
            expires_at: None,
            segments: 1,
        })
        .collect();
    assert_eq!(outbox::enqueue(&mut conn, &rows, 10).await.unwrap(), 4);
    for (key, status) in [("S202", "sent"), ("S203", "blocked"), ("S204", "failed")] {
        sqlx::query("UPDATE outbox SET status = $1 WHERE dedupe_key = $2")
            .bind(status)
            .bind(format!("notice:{id}:{}", ids[key]))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
    assert_eq!(
        notices::confirm(&mut conn, id, ids["S202"], 20)
            .await
            .unwrap(),
        Confirmed::Now
    );
    assert_eq!(
        notices::confirm(&mut conn, id, ids["S202"], 30)
            .await
            .unwrap(),
        Confirmed::Already
    );
    assert_eq!(
        notices::confirm(&mut conn, id, ids["T001"], 30)
            .await
            .unwrap(),
        Confirmed::NotFound
    );
    assert_eq!(
        notices::figures(&mut conn, id).await.unwrap(),
        Figures {
            total: 5,
            sent: 1,
            failed: 1,
            blocked: 1,
            queued: 1,
            unreachable: 1,
            confirmed: 1,
        }
    );
    let missing: Vec<String> = notices::unconfirmed(&mut conn, id)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    assert_eq!(missing, ["唐志强", "韩梅梅", "冯磊", "吕思远"]);
    // S209 has no phone and was unreachable: not a target of the SMS escalation.
    let targets: Vec<String> = notices::escalation_targets(&mut conn, id)
        .await
        .unwrap()
        .into_iter()
        .map(|(_, phone)| phone)
        .collect();
    assert_eq!(
        targets,
        ["+8613900030003", "+8613900030004", "+8613900030005"]
    );
    assert_eq!(
        notices::latest_unconfirmed_for(&mut conn, ids["S203"])
            .await
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        notices::latest_unconfirmed_for(&mut conn, ids["S202"])
            .await
            .unwrap(),
        None
    );
    let recent = notices::recent(&mut conn, Some(ids["S201"]), 5)
        .await
        .unwrap();
    assert_eq!(recent.len(), 1);
    assert!(recent[0].confirm && !recent[0].urgent);
}

async fn phase_summaries_list_every_branch_and_a_second_one_replaces_the_first(store: &Store) {
    let ids = college(store).await;
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        campaigns::save(&mut conn, "创先争优", "name = 'a'", 1)
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        campaigns::save(&mut conn, "创先争优", "name = 'b'", 2)
            .await
            .unwrap(),
        Some("name = 'a'".into())
    );
    let branch = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    assert!(
        campaigns::submit_summary(&mut conn, "创先争优", 0, branch, ids["S101"], "一", 5)
            .await
            .unwrap()
    );
    assert!(
        !campaigns::submit_summary(&mut conn, "创先争优", 0, branch, ids["S102"], "二", 6)
            .await
            .unwrap()
    );
    let rows = campaigns::summaries(&mut conn, "创先争优", 0)
        .await
        .unwrap();
    let seen: Vec<(&str, Option<i64>, i64)> = rows
        .iter()
        .map(|r| (r.branch.as_str(), r.submitted_at, r.secretaries))
        .collect();
    assert_eq!(
        seen,
        [
            ("学生第一党支部", Some(6), 1),
            ("学生第二党支部", None, 1),
            ("教工第一党支部", None, 1),
        ]
    );
    let other_phase = campaigns::summaries(&mut conn, "创先争优", 1)
        .await
        .unwrap();
    assert!(other_phase.iter().all(|r| r.submitted_at.is_none()));
}
