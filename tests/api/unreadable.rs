//! A stored value this binary cannot read (a locale, a status, a kind) is an error that names
//! the table, the row and the value, on both backends, never a default: the update that read
//! it is set aside as failed with an apology, as any other permanent failure is.

use branchbot::meetings::store as meetings;
use branchbot::pledges::store as pledges;
use branchbot::store::jobs::{self, Timing};
use branchbot::store::{calendar, members, sms, Store, StoreError};

use crate::both;
use crate::helpers::{spawn_with, write_unchecked, Db, Spawn, TestDb, WAIT};

both!(
    a_member_whose_stored_locale_is_unknown_is_an_error_naming_the_row,
    a_meeting_whose_stored_status_is_unknown_is_an_error_naming_the_row,
    a_calendar_day_of_an_unknown_kind_is_an_error_naming_the_day,
    a_job_row_with_an_unknown_schedule_or_without_its_timing_is_an_error_naming_the_job,
    a_pledge_or_item_of_an_unknown_status_or_way_is_an_error_naming_the_row,
);

async fn one_member(store: &Store) -> i64 {
    let roster = branchbot::domain::roster::parse(
        "key,name,branch,branch_kind,group,role,mobile,locale,college\n\
         T001,张老师,教工第一党支部,teacher,,secretary,13800000001,zh-CN,0\n"
            .as_bytes(),
        branchbot::i18n::Locale::ZhCn,
    )
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 1000)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    sqlx::query_scalar("SELECT id FROM members WHERE key = 'T001'")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn a_member_whose_stored_locale_is_unknown_is_an_error_naming_the_row(store: &Store) {
    let id = one_member(store).await;
    write_unchecked(
        store,
        "members",
        &format!("UPDATE members SET locale = 'fr' WHERE id = {id}"),
    )
    .await;
    let mut conn = store.pool().acquire().await.unwrap();
    let err = members::by_id(&mut conn, id).await.unwrap_err();
    let expected = format!("stored data is corrupt: members row {id}: unknown locale 'fr'");
    assert_eq!(err.to_string(), expected);
    assert!(!err.is_transient());
    let err = sms::locale_of(&mut conn, id).await.unwrap_err();
    assert_eq!(err.to_string(), expected);
}

async fn a_meeting_whose_stored_status_is_unknown_is_an_error_naming_the_row(store: &Store) {
    one_member(store).await;
    write_unchecked(
        store,
        "meetings",
        "INSERT INTO meetings (branch_id, kind, starts_at, ends_at, place, topic, status, \
         created_at, updated_at) SELECT id, 'general', 10, 20, '会议室', '学习', 'postponed', 1, 1 \
         FROM branches",
    )
    .await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM meetings")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let err = meetings::get(&mut conn, id).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("stored data is corrupt: meetings row {id}: unknown status 'postponed'")
    );
}

async fn a_calendar_day_of_an_unknown_kind_is_an_error_naming_the_day(store: &Store) {
    write_unchecked(
        store,
        "calendar_days",
        "INSERT INTO calendar_days (day, year, kind, name, provisional, loaded_at) \
         VALUES ('2026-10-01', 2026, 'vacation', '国庆节', 0, 1)",
    )
    .await;
    let mut conn = store.pool().acquire().await.unwrap();
    let err = calendar::load(&mut conn).await.unwrap_err();
    assert!(matches!(err, StoreError::Unreadable { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "stored data is corrupt: calendar_days row 2026-10-01: unknown kind 'vacation'"
    );
}

async fn a_member_with_an_unknown_locale(db: Db) {
    let Some(app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let chat = 7301;
    let code = app.invite("T004").await;
    app.ask(chat, &format!("/start {code}"), 2).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM members WHERE key = 'T004'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    write_unchecked(
        &app.store,
        "members",
        &format!("UPDATE members SET locale = 'fr' WHERE id = {id}"),
    )
    .await;
    let before = app.fake.sent_to(chat).len();
    app.say(chat, "/help").await;
    let sent = app.fake.wait_sent(chat, before + 1, WAIT).await;
    // Not a help text in a language the member did not choose: the apology, in the
    // organisation's.
    assert_eq!(sent[before].text, "出错了，已记录，请稍后再试或联系书记。");
    app.eventually("SELECT COUNT(*) FROM inbox WHERE status = 'failed'", 1)
        .await;
    let error: String = sqlx::query_scalar("SELECT error FROM inbox WHERE status = 'failed'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    assert_eq!(
        error,
        format!("stored data is corrupt: members row {id}: unknown locale 'fr'")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_member_whose_stored_locale_is_unknown_gets_an_apology_and_the_update_is_set_aside_on_sqlite(
) {
    a_member_with_an_unknown_locale(Db::Sqlite).await;
}

#[tokio::test]
async fn a_member_whose_stored_locale_is_unknown_gets_an_apology_and_the_update_is_set_aside_on_postgres(
) {
    a_member_with_an_unknown_locale(Db::Postgres).await;
}

async fn a_job_row_with_an_unknown_schedule_or_without_its_timing_is_an_error_naming_the_job(
    store: &Store,
) {
    let insert = |key: &str, schedule: &str, expr: &str| {
        format!(
            "INSERT INTO jobs (kind, dedupe_key, payload, schedule, cron_expr, cron_tz, due_at, \
             next_run_at, grace_ms, created_at, updated_at) \
             VALUES ('message', '{key}', '{{}}', '{schedule}', {expr}, 'Asia/Shanghai', \
             1, 1, 1, 1, 1)"
        )
    };
    write_unchecked(store, "jobs", &insert("good", "cron", "'0 9 * * *'")).await;
    write_unchecked(store, "jobs", &insert("weekly", "weekly", "NULL")).await;
    write_unchecked(store, "jobs", &insert("bare", "cron", "NULL")).await;
    let mut conn = store.pool().acquire().await.unwrap();
    let good = jobs::by_dedupe_key(&mut conn, "good")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        good.timing,
        Timing::Cron {
            expr: "0 9 * * *".into(),
            tz: "Asia/Shanghai".into()
        }
    );
    for (key, expected) in [
        ("weekly", "unknown schedule 'weekly'"),
        ("bare", "unknown cron_expr 'NULL'"),
    ] {
        let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM jobs WHERE dedupe_key = '{key}'"
        )))
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        let err = jobs::get(&mut conn, id).await.unwrap_err();
        assert!(matches!(err, StoreError::Unreadable { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!("stored data is corrupt: jobs row {id}: {expected}")
        );
    }
}

async fn a_pledge_or_item_of_an_unknown_status_or_way_is_an_error_naming_the_row(store: &Store) {
    let member = one_member(store).await;
    let run = |sql: String| async move {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(store.pool())
            .await
            .unwrap();
    };
    run(format!(
        "INSERT INTO pledges (member_id, status, current_version, created_at, updated_at) \
         VALUES ({member}, 'submitted', 1, 1, 1)"
    ))
    .await;
    run(
        "INSERT INTO pledge_versions (pledge_id, number, created_at) \
         SELECT id, 1, 1 FROM pledges"
            .into(),
    )
    .await;
    run(
        "INSERT INTO pledge_items (version_id, position, way, text) \
         SELECT id, 1, 'study', '读原著' FROM pledge_versions"
            .into(),
    )
    .await;
    let mut conn = store.pool().acquire().await.unwrap();
    let pledge = pledges::of_member(&mut conn, member)
        .await
        .unwrap()
        .unwrap();
    let version: i64 = sqlx::query_scalar("SELECT id FROM pledge_versions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let items = pledges::items(&mut conn, version).await.unwrap();
    assert_eq!(items[0].way, branchbot::pledges::rules::Way::Study);

    write_unchecked(store, "pledges", "UPDATE pledges SET status = 'draft'").await;
    let err = pledges::of_member(&mut conn, member).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "stored data is corrupt: pledges row {}: unknown status 'draft'",
            pledge.id
        )
    );
    write_unchecked(
        store,
        "pledge_items",
        "UPDATE pledge_items SET way = 'sing'",
    )
    .await;
    let err = pledges::items(&mut conn, version).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "stored data is corrupt: pledge_items row {}: unknown way 'sing'",
            items[0].id
        )
    );
}
