//! The CHECK constraints on enum columns (migration 0027), on both backends: every value the
//! code writes is taken, anything else is refused by the database with an error naming the
//! constraint (`StoreError::Check`), and the row keeps what it had.

use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::org::BranchKind;
use branchbot::meetings::store::{self as meetings, NewMeeting, Rsvp};
use branchbot::pledges::rules::{PledgeStatus, Progress, Way};
use branchbot::store::{members, Store, StoreError};

use crate::both;
use crate::helpers::{Db, TestDb};

both!(each_enum_column_takes_what_the_code_writes_and_refuses_anything_else_by_name);

/// Runs one statement and says which constraint refused it, if one did.
pub(crate) async fn refused_by(store: &Store, sql: &str) -> Option<String> {
    match sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(store.pool())
        .await
    {
        Ok(_) => None,
        Err(e) => match StoreError::from(e) {
            StoreError::Check { constraint } => Some(constraint),
            other => panic!("{sql}: not a CHECK violation: {other}"),
        },
    }
}

pub(crate) async fn scalar(store: &Store, sql: &str) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Each value in `good` is taken by `template` (with `{}` for the value); `bad` is refused by
/// `constraint`, leaving what `read` reads as the last good value.
pub(crate) async fn column(
    store: &Store,
    template: &str,
    read: &str,
    good: &[&str],
    bad: &str,
    constraint: &str,
) {
    for value in good {
        let sql = template.replace("{}", value);
        assert_eq!(refused_by(store, &sql).await, None, "{sql}");
    }
    let sql = template.replace("{}", bad);
    assert_eq!(
        refused_by(store, &sql).await.as_deref(),
        Some(constraint),
        "{sql}"
    );
    if !read.is_empty() {
        assert_eq!(scalar(store, read).await, *good.last().unwrap(), "{read}");
    }
}

async fn each_enum_column_takes_what_the_code_writes_and_refuses_anything_else_by_name(
    store: &Store,
) {
    let roster = branchbot::domain::roster::parse(
        include_bytes!("../../examples/college.csv"),
        branchbot::i18n::Locale::ZhCn,
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

    column(
        store,
        &format!("UPDATE branches SET kind = '{{}}' WHERE id = {branch}"),
        &format!("SELECT kind FROM branches WHERE id = {branch}"),
        &[BranchKind::Teacher.as_str(), BranchKind::Student.as_str()],
        "college",
        "branches_kind_check",
    )
    .await;

    // jobs: the schedules, statuses and outcomes src/store/jobs.rs writes.
    column(
        store,
        "INSERT INTO jobs (kind, dedupe_key, payload, schedule, due_at, next_run_at, grace_ms, \
         created_at, updated_at) VALUES ('message', 'check:{}', '{}', '{}', 1, 1, 1, 1, 1)",
        "",
        &["once", "cron", "relative"],
        "weekly",
        "jobs_schedule_check",
    )
    .await;
    column(
        store,
        "UPDATE jobs SET status = '{}' WHERE dedupe_key = 'check:once'",
        "SELECT status FROM jobs WHERE dedupe_key = 'check:once'",
        &[
            "running",
            "done",
            "missed",
            "failed",
            "cancelled",
            "scheduled",
        ],
        "paused",
        "jobs_status_check",
    )
    .await;
    column(
        store,
        "UPDATE jobs SET last_outcome = '{}' WHERE dedupe_key = 'check:once'",
        "SELECT last_outcome FROM jobs WHERE dedupe_key = 'check:once'",
        &["done", "missed", "skipped", "failed"],
        "crashed",
        "jobs_last_outcome_check",
    )
    .await;
    assert_eq!(
        refused_by(
            store,
            "UPDATE jobs SET last_outcome = NULL WHERE dedupe_key = 'check:once'"
        )
        .await,
        None,
        "a job never run has no outcome"
    );

    let meeting = meetings::create(
        &mut conn,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: 100,
            ends_at: 200,
            place: "图书馆 305".into(),
            topic: "议题".into(),
            created_by: Some(member),
            attendees: vec![member],
            signin_code: "123456".into(),
        },
        0,
    )
    .await
    .unwrap();
    column(
        store,
        &format!(
            "UPDATE meeting_attendees SET rsvp = '{{}}' WHERE meeting_id = {meeting} \
             AND member_id = {member}"
        ),
        &format!("SELECT rsvp FROM meeting_attendees WHERE meeting_id = {meeting}"),
        &[
            Rsvp::Attend.as_str(),
            Rsvp::Leave.as_str(),
            Rsvp::None.as_str(),
        ],
        "maybe",
        "meeting_attendees_rsvp_check",
    )
    .await;

    assert_eq!(
        refused_by(
            store,
            &format!(
                "INSERT INTO pledges (member_id, status, created_at, updated_at) \
                 VALUES ({member}, 'submitted', 1, 1)"
            )
        )
        .await,
        None
    );
    column(
        store,
        &format!("UPDATE pledges SET status = '{{}}' WHERE member_id = {member}"),
        &format!("SELECT status FROM pledges WHERE member_id = {member}"),
        &[
            PledgeStatus::Returned.as_str(),
            PledgeStatus::Approved.as_str(),
            PledgeStatus::Submitted.as_str(),
        ],
        "draft",
        "pledges_status_check",
    )
    .await;
    let pledge = scalar(
        store,
        &format!("SELECT CAST(id AS TEXT) FROM pledges WHERE member_id = {member}"),
    )
    .await;
    assert_eq!(
        refused_by(
            store,
            &format!(
                "INSERT INTO pledge_versions (pledge_id, number, created_at) \
                 VALUES ({pledge}, 1, 1)"
            )
        )
        .await,
        None
    );
    let version = scalar(store, "SELECT CAST(MAX(id) AS TEXT) FROM pledge_versions").await;
    let ways: Vec<&str> = Way::ALL.iter().map(|w| w.as_str()).collect();
    column(
        store,
        &format!(
            "INSERT INTO pledge_items (version_id, position, way, text) \
             VALUES ({version}, (SELECT COUNT(*) + 1 FROM pledge_items), '{{}}', '读书')"
        ),
        "",
        &ways,
        "sing",
        "pledge_items_way_check",
    )
    .await;
    let item = scalar(store, "SELECT CAST(MIN(id) AS TEXT) FROM pledge_items").await;
    assert_eq!(
        refused_by(
            store,
            &format!("INSERT INTO pledge_rounds (branch_id, started_at) VALUES ({branch}, 1)")
        )
        .await,
        None
    );
    let round = scalar(store, "SELECT CAST(MAX(id) AS TEXT) FROM pledge_rounds").await;
    assert_eq!(
        refused_by(
            store,
            &format!(
                "INSERT INTO pledge_answers (round_id, item_id, member_id, progress, answered_at) \
                 VALUES ({round}, {item}, {member}, 'done', 1)"
            )
        )
        .await,
        None
    );
    let progress: Vec<&str> = Progress::ALL.iter().map(|p| p.as_str()).collect();
    column(
        store,
        &format!("UPDATE pledge_answers SET progress = '{{}}' WHERE round_id = {round}"),
        &format!("SELECT progress FROM pledge_answers WHERE round_id = {round}"),
        &progress,
        "halfway",
        "pledge_answers_progress_check",
    )
    .await;

    // What a person or the log would read.
    let err = StoreError::Check {
        constraint: "jobs_status_check".into(),
    };
    assert_eq!(
        err.to_string(),
        "the database refused a value outside jobs_status_check"
    );
    assert!(!err.is_transient());
}

async fn through_0027(db: Db) {
    let Some(test_db) = TestDb::new(db).await else {
        return;
    };
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(23).await.unwrap();
    let roster = branchbot::domain::roster::parse(
        include_bytes!("../../examples/college.csv"),
        branchbot::i18n::Locale::ZhCn,
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
    let meeting = meetings::create(
        &mut conn,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: 100,
            ends_at: 200,
            place: "图书馆 305".into(),
            topic: "议题".into(),
            created_by: Some(member),
            attendees: vec![member],
            signin_code: "123456".into(),
        },
        0,
    )
    .await
    .unwrap();
    meetings::set_rsvp(&mut conn, meeting, member, Rsvp::Leave, Some("出差"), 5)
        .await
        .unwrap();
    drop(conn);
    let before = counts(&store).await;

    store.migrate().await.unwrap();
    assert_eq!(counts(&store).await, before, "every row kept");
    let mut conn = store.pool().acquire().await.unwrap();
    let read = meetings::attendees(&mut conn, meeting).await.unwrap();
    assert_eq!(
        (read[0].member_id, read[0].rsvp, read[0].reason.as_deref()),
        (member, Rsvp::Leave, Some("出差"))
    );
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM branches ORDER BY id")
        .fetch_all(&mut *conn)
        .await
        .unwrap();
    assert!(ids
        .iter()
        .any(|(id, name)| *id == branch && name == "学生第一党支部"));
    drop(conn);
    if db == Db::Sqlite {
        // Foreign keys are on again on the connection that ran the rebuild (the pool keeps
        // one): a reference to no branch is refused on every connection.
        for _ in 0..4 {
            let refused = sqlx::query(
                "INSERT INTO party_groups (branch_id, name) VALUES (999999, '不存在的支部')",
            )
            .execute(store.pool())
            .await;
            assert!(refused.is_err(), "a dangling reference was taken");
        }
        let dangling: Vec<(String,)> =
            sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert!(dangling.is_empty(), "{dangling:?}");
    }
    store.close().await;
}

async fn counts(store: &Store) -> Vec<i64> {
    let mut out = Vec::new();
    for table in [
        "branches",
        "members",
        "meetings",
        "meeting_attendees",
        "jobs",
        "pledges",
        "pledge_items",
        "pledge_answers",
    ] {
        out.push(
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(store.pool())
                .await
                .unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn rows_written_before_the_checks_keep_their_ids_values_and_references_on_sqlite() {
    through_0027(Db::Sqlite).await;
}

#[tokio::test]
async fn rows_written_before_the_checks_keep_their_ids_values_and_references_on_postgres() {
    through_0027(Db::Postgres).await;
}

async fn a_value_outside_the_checks(db: Db) {
    let Some(test_db) = TestDb::new(db).await else {
        return;
    };
    let store = Store::connect(&test_db.url).await.unwrap();
    store.migrate_to(23).await.unwrap();
    sqlx::query(
        "INSERT INTO branches (name, kind, created_at) VALUES ('研究生党支部', 'graduate', 1)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let err = store.migrate().await.unwrap_err();
    assert!(
        err.to_string().contains("branches_kind_check"),
        "the failure names the constraint: {err}"
    );
    // The process stops there; the next one finds nothing half done: the branch is still
    // there, no table was left rebuilt, and the migration runs once the row is fixed.
    store.close().await;
    let store = Store::connect(&test_db.url).await.unwrap();
    let left: Vec<(String,)> = sqlx::query_as("SELECT kind FROM branches")
        .fetch_all(store.pool())
        .await
        .unwrap();
    assert_eq!(left, [("graduate".to_owned(),)]);
    if db == Db::Sqlite {
        let stray: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE '%\\_new' ESCAPE '\\'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(stray, 0);
    }
    sqlx::query("UPDATE branches SET kind = 'student'")
        .execute(store.pool())
        .await
        .unwrap();
    store.migrate().await.unwrap();
    assert!(store.ready().await.unwrap());
    store.close().await;
}

#[tokio::test]
async fn a_stored_value_outside_the_checks_stops_the_migration_naming_the_constraint_on_sqlite() {
    a_value_outside_the_checks(Db::Sqlite).await;
}

#[tokio::test]
async fn a_stored_value_outside_the_checks_stops_the_migration_naming_the_constraint_on_postgres() {
    a_value_outside_the_checks(Db::Postgres).await;
}
