//! The store suite, run on SQLite and on PostgreSQL alike: each test below is an async fn
//! taking a migrated store, and `both!` makes one test per backend.

use branchbot::domain::roster::{self, Roster};
use branchbot::i18n::Locale;
use branchbot::store::outbox::{self, NewMessage, Outcome};
use branchbot::store::{bindings, conversations, inbox, invites, members, Store};

use crate::both;
use crate::helpers::{Db, TestDb};

both!(
    importing_twice_updates_by_key_and_never_duplicates,
    members_can_swap_phone_numbers_in_one_import,
    a_phone_held_by_someone_outside_the_file_refuses_the_import,
    pruning_marks_missing_members_as_left,
    names_with_quotes_and_sql_are_stored_verbatim,
    a_chat_binds_to_one_member_and_rebinding_moves_it,
    an_invite_code_is_redeemed_once_and_a_new_one_revokes_the_old,
    the_inbox_drops_duplicates_and_erases_payloads_once_processed,
    outbox_rows_are_leased_to_one_worker_and_a_stale_worker_cannot_overwrite,
    conversation_state_is_saved_and_replaced,
    migrations_are_current_and_rerunning_them_is_harmless,
);

const HEADER: &str = "key,name,branch,branch_kind,group,role,mobile,locale,college\n";

fn roster(csv: &str) -> Roster {
    roster::parse(format!("{HEADER}{csv}").as_bytes(), Locale::ZhCn).unwrap()
}

fn example() -> Roster {
    roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap()
}

async fn import(
    store: &Store,
    r: &Roster,
    prune: bool,
) -> Result<members::ImportSummary, members::ImportError> {
    let mut tx = store.begin().await.unwrap();
    let result = members::import(&mut tx, r, prune, 1000).await;
    if result.is_ok() {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
    result
}

async fn importing_twice_updates_by_key_and_never_duplicates(store: &Store) {
    let first = import(store, &example(), false).await.unwrap();
    assert_eq!(
        (
            first.branches_created,
            first.groups_created,
            first.members_created
        ),
        (3, 6, 30)
    );
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(members::counts(&mut conn).await.unwrap(), (3, 6, 30));
    let mut changed = example();
    changed.members[3].name = "刘洋洋".into();
    let second = import(store, &changed, false).await.unwrap();
    assert_eq!(
        (
            second.members_created,
            second.members_updated,
            second.members_unchanged
        ),
        (0, 1, 29)
    );
    assert_eq!(members::counts(&mut conn).await.unwrap(), (3, 6, 30));
    let m = members::find(&mut conn, "t004").await.unwrap().unwrap();
    assert_eq!(m.name, "刘洋洋");
    assert_eq!(m.branch_name.as_deref(), Some("教工第一党支部"));
    let by_phone = members::find(&mut conn, "138 0001 0004")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_phone.key, "T004");
}

async fn members_can_swap_phone_numbers_in_one_import(store: &Store) {
    import(
        store,
        &roster("A1,甲,一支部,student,,党员,13811110001,,\nA2,乙,一支部,,,党员,13811110002,,\n"),
        false,
    )
    .await
    .unwrap();
    import(
        store,
        &roster("A1,甲,一支部,student,,党员,13811110002,,\nA2,乙,一支部,,,党员,13811110001,,\n"),
        false,
    )
    .await
    .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        members::find(&mut conn, "A1")
            .await
            .unwrap()
            .unwrap()
            .phone
            .as_deref(),
        Some("+8613811110002")
    );
    assert_eq!(
        members::find(&mut conn, "A2")
            .await
            .unwrap()
            .unwrap()
            .phone
            .as_deref(),
        Some("+8613811110001")
    );
}

async fn a_phone_held_by_someone_outside_the_file_refuses_the_import(store: &Store) {
    import(
        store,
        &roster("A1,甲,一支部,student,,党员,13811110001,,\n"),
        false,
    )
    .await
    .unwrap();
    let err = import(
        store,
        &roster("B1,乙,一支部,student,,党员,13811110001,,\nB2,丙,一支部,,,党员,,,\n"),
        false,
    )
    .await
    .unwrap_err();
    match err {
        members::ImportError::Conflicts(problems) => {
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].line, 2);
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        members::counts(&mut conn).await.unwrap().2,
        1,
        "nothing of the refused file was written"
    );
}

async fn pruning_marks_missing_members_as_left(store: &Store) {
    import(
        store,
        &roster("A1,甲,一支部,student,,党员,,,\nA2,乙,一支部,,,党员,,,\n"),
        false,
    )
    .await
    .unwrap();
    let kept = import(store, &roster("A1,甲,一支部,student,,党员,,,\n"), false)
        .await
        .unwrap();
    assert_eq!(kept.missing, vec!["A2".to_owned()]);
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(
        members::find(&mut conn, "A2").await.unwrap().is_some(),
        "without --prune nobody leaves"
    );
    let pruned = import(store, &roster("A1,甲,一支部,student,,党员,,,\n"), true)
        .await
        .unwrap();
    assert!(pruned.pruned);
    assert!(members::find(&mut conn, "A2").await.unwrap().is_none());
    // Coming back in a later file makes the member active again.
    import(
        store,
        &roster("A1,甲,一支部,student,,党员,,,\nA2,乙,一支部,,,党员,,,\n"),
        false,
    )
    .await
    .unwrap();
    assert!(members::find(&mut conn, "A2").await.unwrap().is_some());
}

async fn names_with_quotes_and_sql_are_stored_verbatim(store: &Store) {
    let name = "Robert'); DROP TABLE members;-- \"Bobby\"";
    import(
        store,
        &roster(&format!(
            "X1,\"{}\",一支部,student,,党员,,,\n",
            name.replace('"', "\"\"")
        )),
        false,
    )
    .await
    .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert_eq!(
        members::find(&mut conn, "X1").await.unwrap().unwrap().name,
        name
    );
    assert_eq!(members::counts(&mut conn).await.unwrap().2, 1);
}

async fn a_chat_binds_to_one_member_and_rebinding_moves_it(store: &Store) {
    import(store, &example(), false).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let a = members::find(&mut conn, "T001").await.unwrap().unwrap();
    let b = members::find(&mut conn, "T002").await.unwrap().unwrap();
    bindings::bind(&mut conn, "telegram", "100", a.id, 1)
        .await
        .unwrap();
    assert_eq!(
        members::by_binding(&mut conn, "telegram", "100")
            .await
            .unwrap()
            .unwrap()
            .key,
        "T001"
    );
    // The same member on a new chat: the old chat is released.
    bindings::bind(&mut conn, "telegram", "101", a.id, 2)
        .await
        .unwrap();
    assert!(members::by_binding(&mut conn, "telegram", "100")
        .await
        .unwrap()
        .is_none());
    // Another member on that chat: it moves.
    bindings::bind(&mut conn, "telegram", "101", b.id, 3)
        .await
        .unwrap();
    assert_eq!(
        members::by_binding(&mut conn, "telegram", "101")
            .await
            .unwrap()
            .unwrap()
            .key,
        "T002"
    );
    let branch = members::branch_id(&mut conn, "教工第一党支部")
        .await
        .unwrap();
    let unbound = members::unbound(&mut conn, "telegram", branch)
        .await
        .unwrap();
    assert_eq!(unbound.len(), 9);
    assert!(unbound.iter().all(|m| m.key != "T002"));
    bindings::mark_unreachable(&mut conn, "telegram", "101")
        .await
        .unwrap();
    assert_eq!(
        bindings::address_of(&mut conn, b.id, "telegram")
            .await
            .unwrap(),
        None
    );
    bindings::mark_reachable(&mut conn, "telegram", "101")
        .await
        .unwrap();
    assert_eq!(
        bindings::address_of(&mut conn, b.id, "telegram")
            .await
            .unwrap()
            .as_deref(),
        Some("101")
    );
}

async fn an_invite_code_is_redeemed_once_and_a_new_one_revokes_the_old(store: &Store) {
    import(store, &example(), false).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let m = members::find(&mut conn, "S101").await.unwrap().unwrap();
    invites::create(&mut conn, m.id, "OLDCODE1", 0, 10_000)
        .await
        .unwrap();
    invites::create(&mut conn, m.id, "NEWCODE1", 0, 10_000)
        .await
        .unwrap();
    assert_eq!(
        invites::redeem(&mut conn, "OLDCODE1", 5).await.unwrap(),
        invites::Redeem::Unknown
    );
    assert_eq!(
        invites::redeem(&mut conn, "NEWCODE1", 5).await.unwrap(),
        invites::Redeem::Member(m.id)
    );
    assert_eq!(
        invites::redeem(&mut conn, "NEWCODE1", 6).await.unwrap(),
        invites::Redeem::Used
    );
    invites::create(&mut conn, m.id, "LATECODE", 0, 10_000)
        .await
        .unwrap();
    assert_eq!(
        invites::redeem(&mut conn, "LATECODE", 10_000)
            .await
            .unwrap(),
        invites::Redeem::Expired
    );
    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM invites")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|h| h.len() == 64 && !h.contains("CODE")),
        "only hashes are stored"
    );
}

async fn the_inbox_drops_duplicates_and_erases_payloads_once_processed(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    let id = inbox::insert(&mut conn, "telegram", "1", "{}", 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        inbox::insert(&mut conn, "telegram", "1", "{}", 2)
            .await
            .unwrap(),
        None
    );
    assert!(
        inbox::insert(&mut conn, "sms", "1", "{}", 2)
            .await
            .unwrap()
            .is_some(),
        "ids are per channel"
    );
    assert_eq!(inbox::pending_ids(&mut conn, 10).await.unwrap().len(), 2);
    drop(conn);
    let mut tx = store.begin().await.unwrap();
    let row = inbox::claim(store, &mut tx, id, 3).await.unwrap().unwrap();
    assert_eq!(row.payload, "{}");
    assert!(!row.rating_live, "nobody is rating anything");
    inbox::finish(&mut tx, id, "done", None, 3).await.unwrap();
    tx.commit().await.unwrap();
    let mut tx = store.begin().await.unwrap();
    assert!(
        inbox::claim(store, &mut tx, id, 3).await.unwrap().is_none(),
        "a done row is not claimed again"
    );
    tx.rollback().await.unwrap();
    let payload: Option<String> = sqlx::query_scalar("SELECT payload FROM inbox WHERE id = $1")
        .bind(id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(payload, None);
}

fn msg(key: &str, address: &str) -> NewMessage {
    NewMessage {
        channel: "telegram".into(),
        address: address.into(),
        member_id: None,
        body: format!("body {key}"),
        choices_json: "[]".into(),
        dedupe_key: key.into(),
        urgent: false,
        not_before: 100,
        expires_at: None,
        segments: 1,
    }
}

async fn outbox_rows_are_leased_to_one_worker_and_a_stale_worker_cannot_overwrite(store: &Store) {
    let mut conn = store.pool().acquire().await.unwrap();
    let batch: Vec<NewMessage> = (0..250)
        .map(|i| msg(&format!("k{i}"), &i.to_string()))
        .collect();
    assert_eq!(outbox::enqueue(&mut conn, &batch, 1).await.unwrap(), 250);
    assert_eq!(
        outbox::enqueue(&mut conn, &batch[..10], 1).await.unwrap(),
        0,
        "dedupe keys"
    );
    // Not yet due.
    assert!(outbox::claim(store, "telegram", 10, 99, 1000, false, None)
        .await
        .unwrap()
        .is_empty());
    let first = outbox::claim(store, "telegram", 200, 100, 1000, false, None)
        .await
        .unwrap();
    let second = outbox::claim(store, "telegram", 200, 100, 1000, false, None)
        .await
        .unwrap();
    assert_eq!(
        (first.len(), second.len()),
        (200, 50),
        "no row is claimed twice"
    );
    // Quiet hours: non-urgent rows wait.
    assert_eq!(
        outbox::next_due(&mut conn, "telegram").await.unwrap(),
        Some(1100)
    );
    let a = &first[0];
    assert!(outbox::complete(
        &mut conn,
        a.id,
        &a.lease_token,
        &Outcome::Sent {
            provider_id: Some("9".into())
        },
        150
    )
    .await
    .unwrap());
    assert!(!outbox::complete(
        &mut conn,
        a.id,
        "stale-token",
        &Outcome::Failed { error: "x".into() },
        151
    )
    .await
    .unwrap());
    // A lapsed lease: another worker takes the row over and the first cannot record.
    let b = &first[1];
    let taken = outbox::claim(store, "telegram", 500, 1100, 1000, true, None)
        .await
        .unwrap();
    assert!(taken.is_empty(), "quiet hours hold non-urgent rows");
    let taken = outbox::claim(store, "telegram", 500, 1100, 1000, false, None)
        .await
        .unwrap();
    assert_eq!(taken.len(), 249);
    assert!(taken.iter().all(|c| c.resumed && c.attempts == 2));
    assert!(!outbox::complete(
        &mut conn,
        b.id,
        &b.lease_token,
        &Outcome::Sent { provider_id: None },
        1101
    )
    .await
    .unwrap());
    let c = taken.iter().find(|c| c.id == b.id).unwrap();
    assert!(outbox::defer(&mut conn, c.id, &c.lease_token, 5000)
        .await
        .unwrap());
    let counts = outbox::counts(&mut conn).await.unwrap();
    assert!(
        counts.contains(&("telegram".into(), "sent".into(), 1)),
        "{counts:?}"
    );
    assert!(
        counts.contains(&("telegram".into(), "pending".into(), 1)),
        "{counts:?}"
    );
    let attempts: i64 = sqlx::query_scalar("SELECT attempts FROM outbox WHERE id = $1")
        .bind(c.id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(attempts, 1, "a deferral does not count as an attempt");
}

async fn conversation_state_is_saved_and_replaced(store: &Store) {
    import(store, &example(), false).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let m = members::find(&mut conn, "T001").await.unwrap().unwrap();
    assert_eq!(
        conversations::load(&mut conn, m.id, "telegram")
            .await
            .unwrap(),
        None
    );
    conversations::save(&mut conn, m.id, "telegram", "{\"step\":\"idle\"}", "[]", 1)
        .await
        .unwrap();
    conversations::save(
        &mut conn,
        m.id,
        "telegram",
        "{\"step\":\"choosing_language\"}",
        "[1]",
        2,
    )
    .await
    .unwrap();
    assert_eq!(
        conversations::load(&mut conn, m.id, "telegram")
            .await
            .unwrap(),
        Some(("{\"step\":\"choosing_language\"}".into(), "[1]".into()))
    );
}

async fn migrations_are_current_and_rerunning_them_is_harmless(store: &Store) {
    assert!(store.ready().await.unwrap());
    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
}
