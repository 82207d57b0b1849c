//! The CHECK constraints of migration 0029 (members, meetings, inbox, outbox, bindings,
//! conversations, notices, notice recipients), on both backends: every value the code writes
//! is taken, anything else is refused by the database with an error naming the constraint
//! (`StoreError::Check`); and a database at 0028 holding rows in those tables migrates keeping
//! every row, byte for byte, with no plaintext left behind in SQLite's free pages.

use branchbot::chat::ChannelKind;
use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::org::Role;
use branchbot::i18n::Locale;
use branchbot::store::{inbox, members, Store};

use crate::both;
use crate::checks::{column, refused_by};
use crate::helpers::{assert_rebuild_left_nothing_behind, Db, TestDb};

both!(
    members_take_each_role_and_locale_and_refuse_any_other,
    meetings_take_each_kind_and_status_and_refuse_any_other,
    the_inbox_takes_each_channel_and_status_and_refuses_any_other,
    the_outbox_takes_each_channel_and_status_and_refuses_any_other,
    bindings_take_each_channel_and_refuse_any_other,
    conversations_take_each_channel_and_refuse_any_other,
    notices_take_each_escalation_state_and_refuse_any_other,
    notice_recipients_take_each_channel_and_refuse_any_other,
);

const CHANNELS: [ChannelKind; 4] = [
    ChannelKind::Telegram,
    ChannelKind::Console,
    ChannelKind::Sms,
    ChannelKind::Wecom,
];

fn channels() -> Vec<&'static str> {
    CHANNELS.iter().map(|c| c.as_str()).collect()
}

/// The example roster imported: (a branch id, a member id).
async fn org(store: &Store) -> (i64, i64) {
    let roster = branchbot::domain::roster::parse(
        include_bytes!("../../examples/college.csv"),
        Locale::ZhCn,
    )
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let branch = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let member = members::find(&mut conn, "S101").await.unwrap().unwrap().id;
    (branch, member)
}

async fn ok(store: &Store, sql: &str) {
    assert_eq!(refused_by(store, sql).await, None, "{sql}");
}

async fn members_take_each_role_and_locale_and_refuse_any_other(store: &Store) {
    let (_, member) = org(store).await;
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    column(
        store,
        &format!("UPDATE members SET role = '{{}}' WHERE id = {member}"),
        &format!("SELECT role FROM members WHERE id = {member}"),
        &roles,
        "chairman",
        "members_role_check",
    )
    .await;
    let locales: Vec<&str> = Locale::ALL.iter().map(|l| l.code()).collect();
    column(
        store,
        &format!("UPDATE members SET locale = '{{}}' WHERE id = {member}"),
        &format!("SELECT locale FROM members WHERE id = {member}"),
        &locales,
        "fr",
        "members_locale_check",
    )
    .await;
}

async fn meetings_take_each_kind_and_status_and_refuse_any_other(store: &Store) {
    let (branch, member) = org(store).await;
    ok(
        store,
        &format!(
            "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, \
             created_by, created_at, updated_at) \
             VALUES ({branch}, 'general', 100, 200, '图书馆 305', '议题', {member}, 0, 0)"
        ),
    )
    .await;
    let kinds: Vec<&str> = MeetingKind::ALL.iter().map(|k| k.as_str()).collect();
    column(
        store,
        "UPDATE meetings SET kind = '{}'",
        "SELECT kind FROM meetings",
        &kinds,
        "party",
        "meetings_kind_check",
    )
    .await;
    column(
        store,
        "UPDATE meetings SET status = '{}'",
        "SELECT status FROM meetings",
        &["cancelled", "scheduled"],
        "postponed",
        "meetings_status_check",
    )
    .await;
}

async fn the_inbox_takes_each_channel_and_status_and_refuses_any_other(store: &Store) {
    column(
        store,
        "INSERT INTO inbox (channel, external_id, payload, received_at) \
         VALUES ('{}', 'check:{}', NULL, 1)",
        "",
        &channels(),
        "email",
        "inbox_channel_check",
    )
    .await;
    column(
        store,
        "UPDATE inbox SET status = '{}' WHERE external_id = 'check:telegram'",
        "SELECT status FROM inbox WHERE external_id = 'check:telegram'",
        &["done", "ignored", "failed", "pending"],
        "lost",
        "inbox_status_check",
    )
    .await;
}

async fn the_outbox_takes_each_channel_and_status_and_refuses_any_other(store: &Store) {
    column(
        store,
        "INSERT INTO outbox (channel, address, body, choices, dedupe_key, next_attempt_at, \
         created_at) VALUES ('{}', '1', '正文', '[]', 'check:{}', 1, 1)",
        "",
        &channels(),
        "email",
        "outbox_channel_check",
    )
    .await;
    let outcomes = [
        branchbot::store::outbox::Outcome::Sent { provider_id: None },
        branchbot::store::outbox::Outcome::Retry {
            at: 1,
            error: String::new(),
        },
        branchbot::store::outbox::Outcome::Failed {
            error: String::new(),
        },
        branchbot::store::outbox::Outcome::Blocked {
            error: String::new(),
        },
        branchbot::store::outbox::Outcome::Expired,
    ];
    let mut statuses: Vec<&str> = outcomes.iter().map(|o| o.status()).collect();
    // Claimed by a worker; held by the push budget, then carried by a digest (or expired);
    // confirmed by an SMS delivery receipt.
    statuses.extend(["sending", "held", "digested", "delivered", "pending"]);
    column(
        store,
        "UPDATE outbox SET status = '{}' WHERE dedupe_key = 'check:telegram'",
        "SELECT status FROM outbox WHERE dedupe_key = 'check:telegram'",
        &statuses,
        "queued",
        "outbox_status_check",
    )
    .await;
}

async fn bindings_take_each_channel_and_refuse_any_other(store: &Store) {
    let (_, member) = org(store).await;
    column(
        store,
        &format!(
            "INSERT INTO bindings (channel, address, member_id, bound_at) \
             VALUES ('{{}}', 'check:{{}}', {member}, 1)"
        ),
        "",
        &channels(),
        "email",
        "bindings_channel_check",
    )
    .await;
}

async fn conversations_take_each_channel_and_refuse_any_other(store: &Store) {
    let (_, member) = org(store).await;
    column(
        store,
        &format!(
            "INSERT INTO conversations (member_id, channel, state, choices, updated_at) \
             VALUES ({member}, '{{}}', '\"Idle\"', '[]', 1)"
        ),
        "",
        &channels(),
        "email",
        "conversations_channel_check",
    )
    .await;
}

async fn notices_take_each_escalation_state_and_refuse_any_other(store: &Store) {
    let (_, member) = org(store).await;
    ok(
        store,
        &format!(
            "INSERT INTO notices (sender_id, scope, body, created_at) \
             VALUES ({member}, 'all', '通知', 1)"
        ),
    )
    .await;
    column(
        store,
        "UPDATE notices SET escalation = '{}'",
        "SELECT escalation FROM notices",
        &["scheduled", "pending", "sent"],
        "escalated",
        "notices_escalation_check",
    )
    .await;
    ok(store, "UPDATE notices SET escalation = NULL").await;
}

async fn notice_recipients_take_each_channel_and_refuse_any_other(store: &Store) {
    let (_, member) = org(store).await;
    ok(
        store,
        &format!(
            "INSERT INTO notices (sender_id, scope, body, created_at) \
             VALUES ({member}, 'all', '通知', 1)"
        ),
    )
    .await;
    ok(
        store,
        &format!(
            "INSERT INTO notice_recipients (notice_id, member_id, channel) \
             VALUES ((SELECT MAX(id) FROM notices), {member}, NULL)"
        ),
    )
    .await;
    column(
        store,
        "UPDATE notice_recipients SET channel = '{}'",
        "SELECT channel FROM notice_recipients",
        &channels(),
        "email",
        "notice_recipients_channel_check",
    )
    .await;
    ok(store, "UPDATE notice_recipients SET channel = NULL").await;
}

/// The tables 0029 rebuilds (on SQLite), each with the column it is ordered by.
const TABLES: [(&str, &str); 8] = [
    ("members", "id"),
    ("bindings", "channel, address"),
    ("inbox", "id"),
    ("conversations", "member_id, channel"),
    ("outbox", "id"),
    ("meetings", "id"),
    ("notices", "id"),
    ("notice_recipients", "notice_id, member_id"),
];

/// Every row of the rebuilt tables, every column as text (NULL as "NULL").
async fn snapshot(store: &Store) -> Vec<(String, Vec<Vec<String>>)> {
    use sqlx::{Column, Row};
    let mut out = Vec::new();
    for (table, order) in TABLES {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} ORDER BY {order}"
        )))
        .fetch_all(store.pool())
        .await
        .unwrap();
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                (0..row.columns().len())
                    .map(|i| {
                        let name = row.columns()[i].name().to_owned();
                        let value = match row.try_get::<Option<i64>, _>(i) {
                            Ok(v) => v.map(|v| v.to_string()),
                            Err(_) => row.try_get::<Option<String>, _>(i).unwrap(),
                        };
                        format!("{name}={}", value.as_deref().unwrap_or("NULL"))
                    })
                    .collect()
            })
            .collect();
        assert!(!rows.is_empty(), "{table} has rows to migrate");
        out.push((table.to_owned(), rows));
    }
    out
}

/// A database at 0028 with rows in every table 0029 touches, as the code writes them.
/// Returns the inbox row's id and its (sealed) payload's plaintext.
async fn fill_0028(store: &Store) -> (i64, &'static str) {
    let (branch, member) = org(store).await;
    let mut conn = store.pool().acquire().await.unwrap();
    sqlx::query(
        "UPDATE members SET locale = 'en', channel_pref = 'sms', wecom = 'ZhangSan' WHERE id = $1",
    )
    .bind(member)
    .execute(&mut *conn)
    .await
    .unwrap();
    branchbot::store::bindings::bind(&mut conn, "telegram", "4242", member, 5)
        .await
        .unwrap();
    branchbot::store::conversations::save(&mut conn, member, "telegram", "\"Idle\"", "[]", 6)
        .await
        .unwrap();
    let payload = "{\"text\":\"0029 的收件箱\"}";
    let id = inbox::insert(&mut conn, "telegram", "u-1", payload, 7)
        .await
        .unwrap()
        .unwrap();
    inbox::insert(&mut conn, "sms", "u-2", "", 8).await.unwrap();
    inbox::finish(&mut conn, id + 1, "ignored", None, 9)
        .await
        .unwrap();
    let message = branchbot::store::outbox::NewMessage {
        channel: "wecom".into(),
        address: "ZhangSan".into(),
        member_id: Some(member),
        body: "会议通知".into(),
        choices_json: "[]".into(),
        dedupe_key: "check:0029".into(),
        urgent: true,
        not_before: 10,
        expires_at: Some(99),
        segments: 1,
    };
    branchbot::store::outbox::enqueue(&mut conn, &[message], 10)
        .await
        .unwrap();
    sqlx::query("UPDATE outbox SET status = 'held'")
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, status, \
         signin_code, created_by, created_at, updated_at) \
         VALUES ($1, 'themed_day', 100, 200, '图书馆 305', '议题', 'cancelled', '123456', $2, 1, 2)",
    )
    .bind(branch)
    .bind(member)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO notices (sender_id, scope, body, confirm, created_at, escalate_at, escalation) \
         VALUES ($1, 'all', '收到请回复', 1, 3, 4, 'scheduled')",
    )
    .bind(member)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO notice_recipients (notice_id, member_id, channel, confirmed_at) \
         SELECT (SELECT MAX(id) FROM notices), id, \
         CASE WHEN id = $1 THEN 'telegram' ELSE NULL END, NULL FROM members",
    )
    .bind(member)
    .execute(&mut *conn)
    .await
    .unwrap();
    (id, payload)
}

async fn through_0029(db: Db) {
    let Some(test_db) = TestDb::new(db).await else {
        return;
    };
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(28).await.unwrap();
    let (inbox_id, payload) = fill_0028(&store).await;
    let sealed: String = sqlx::query_scalar("SELECT payload FROM inbox WHERE id = $1")
        .bind(inbox_id)
        .fetch_one(store.pool())
        .await
        .unwrap();
    let before = snapshot(&store).await;

    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
    assert_eq!(snapshot(&store).await, before, "every row kept as it was");
    let mut conn = store.pool().acquire().await.unwrap();
    let after: String = sqlx::query_scalar("SELECT payload FROM inbox WHERE id = $1")
        .bind(inbox_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(after, sealed, "the sealed bytes are copied, not opened");
    assert!(!after.contains("收件箱"));
    assert_eq!(
        inbox::payload(&mut conn, inbox_id)
            .await
            .unwrap()
            .as_deref(),
        Some(payload)
    );
    let member = members::find(&mut conn, "S101").await.unwrap().unwrap();
    assert_eq!(member.locale, Locale::En);
    drop(conn);
    if db == Db::Sqlite {
        // Foreign keys are on again, every reference still finds its row, nothing is left.
        assert_rebuild_left_nothing_behind(&store).await;
        for _ in 0..4 {
            let refused = sqlx::query(
                "INSERT INTO bindings (channel, address, member_id, bound_at) \
                 VALUES ('sms', '+8613800000000', 999999, 1)",
            )
            .execute(store.pool())
            .await;
            assert!(refused.is_err(), "a dangling reference was taken");
        }
    }
    store.close().await;
}

#[tokio::test]
async fn rows_written_at_0028_keep_their_ids_values_and_references_through_0029_on_sqlite() {
    through_0029(Db::Sqlite).await;
}

#[tokio::test]
async fn rows_written_at_0028_keep_their_ids_values_and_references_through_0029_on_postgres() {
    through_0029(Db::Postgres).await;
}

/// SQLite: the rebuild drops the old tables with `secure_delete` on, so a body or a payload
/// written before 0029 and erased after it is gone from the file, not left behind in the
/// pages the old table freed.
#[tokio::test]
async fn the_rebuild_leaves_no_plaintext_in_the_pages_the_old_tables_freed_on_sqlite() {
    const MARK: &str = "REBUILD-FORENSIC-MARK-7f3a";
    let test_db = TestDb::new(Db::Sqlite).await.unwrap();
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(28).await.unwrap();
    // An outbox body (a reply to an unbound chat: erased once final) and an inbox payload
    // stored in the clear by a binary from before sealing began.
    sqlx::query(
        "INSERT INTO outbox (channel, address, body, choices, dedupe_key, next_attempt_at, \
         created_at) VALUES ('telegram', '1', $1, '[]', 'forensic', 1, 1)",
    )
    .bind(format!("{MARK} outbox"))
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO inbox (channel, external_id, payload, received_at) \
         VALUES ('telegram', 'forensic', $1, 1)",
    )
    .bind(format!("{MARK} inbox"))
    .execute(store.pool())
    .await
    .unwrap();
    store.migrate().await.unwrap();
    sqlx::query("DELETE FROM outbox WHERE dedupe_key = 'forensic'")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE inbox SET payload = NULL WHERE external_id = 'forensic'")
        .execute(store.pool())
        .await
        .unwrap();
    store.close().await;
    let path = test_db.url.trim_start_matches("sqlite://").to_owned();
    for file in [path.clone(), format!("{path}-wal")] {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        assert!(
            !bytes.windows(MARK.len()).any(|w| w == MARK.as_bytes()),
            "{file} still holds an erased body or payload"
        );
    }
}
