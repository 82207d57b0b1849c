//! The stored calendar on SQLite and PostgreSQL alike: a load writes every day off, 调休 day and
//! vacation, reads back as the file said, and a later load replaces only the years it covers.

use branchbot::domain::calendar::{self, DayKind};
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::store::{calendar as stored, members, Store};
use chrono::NaiveDate;

use crate::both;
use crate::helpers::{Db, TestDb};

both!(the_calendar_is_stored_read_back_and_replaced_by_year_on_both_backends);

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn the_calendar_is_stored_read_back_and_replaced_by_year_on_both_backends(store: &Store) {
    let example = calendar::parse(include_str!("../../examples/calendar.toml")).unwrap();
    let mut tx = store.begin().await.unwrap();
    let written = stored::replace_years(&mut tx, &example, 1).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(written, (46 + 6, 3));
    let mut conn = store.pool().acquire().await.unwrap();
    let read = stored::load(&mut conn).await.unwrap();
    assert_eq!(read, example);
    assert_eq!(read.kind(d("2026-10-10")), DayKind::MakeUp("国庆节"));
    assert!(read.provisional.contains(&d("2027-10-01")));

    // A file for 2026 alone: 2026 is replaced, 2027 stays.
    let only = calendar::parse(
        "[[holiday]]\nname = \"国庆节\"\ndays = [\"2026-10-01\", \"2026-10-07\"]\n",
    )
    .unwrap();
    stored::replace_years(&mut conn, &only, 2).await.unwrap();
    let read = stored::load(&mut conn).await.unwrap();
    assert_eq!(read.holiday(d("2026-02-16")), None);
    assert_eq!(read.holiday(d("2026-10-03")), Some("国庆节"));
    assert!(
        read.workdays.is_empty(),
        "2026's 调休 days went with the year"
    );
    assert_eq!(read.holiday(d("2027-02-06")), Some("春节"));
    assert_eq!(
        read.vacations
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>(),
        ["2027年寒假", "2027年暑假"]
    );

    // The subject lookups the scheduler asks.
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn).unwrap();
    members::import(&mut conn, &roster, false, 0).await.unwrap();
    let student = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let teacher = members::branch_id(&mut conn, "教工第一党支部")
        .await
        .unwrap()
        .unwrap();
    assert!(stored::is_student_branch(&mut conn, student).await.unwrap());
    assert!(!stored::is_student_branch(&mut conn, teacher).await.unwrap());
    assert!(!stored::is_urgent_notice(&mut conn, 999).await.unwrap());
}
