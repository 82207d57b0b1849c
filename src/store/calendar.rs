//! The organisation's calendar in the database: what `branchbot calendar load` wrote, read back
//! as a [`Calendar`] for the scheduler's planning step, the meeting warnings and
//! `calendar show`.

use chrono::{Datelike, NaiveDate};

use super::{Conn, Result, StoreError};
use crate::domain::calendar::{Calendar, Vacation};

fn day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("calendar day '{text}'")))
}

/// The whole calendar (an empty one when none was loaded).
pub async fn load(conn: &mut Conn) -> Result<Calendar> {
    let mut cal = Calendar::default();
    let rows: Vec<(String, String, String, i64)> =
        sqlx::query_as("SELECT day, kind, name, provisional FROM calendar_days")
            .fetch_all(&mut *conn)
            .await?;
    for (text, kind, name, provisional) in rows {
        let d = day(&text)?;
        match kind.as_str() {
            "workday" => cal.workdays.insert(d, name),
            "holiday" => cal.holidays.insert(d, name),
            // Not a day off by default: the calendar moves reminders by it.
            _ => return Err(StoreError::unreadable("calendar_days", d, "kind", &kind)),
        };
        if provisional != 0 {
            cal.provisional.insert(d);
        }
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT name, first_day, last_day FROM calendar_vacations ORDER BY first_day, id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (name, first_day, last_day) in rows {
        cal.vacations.push(Vacation {
            name,
            from: day(&first_day)?,
            to: day(&last_day)?,
        });
    }
    Ok(cal)
}

/// Replaces the years `cal` covers with what it says; other years stay. Returns the days and
/// vacations written. Run it in the transaction that records the load in the audit log.
pub async fn replace_years(conn: &mut Conn, cal: &Calendar, now: i64) -> Result<(u64, u64)> {
    for year in cal.years() {
        for table in ["calendar_days", "calendar_vacations"] {
            sqlx::query(super::sql(format!("DELETE FROM {table} WHERE year = $1")))
                .bind(i64::from(year))
                .execute(&mut *conn)
                .await?;
        }
    }
    let days = cal
        .holidays
        .iter()
        .map(|(d, n)| (d, n, "holiday"))
        .chain(cal.workdays.iter().map(|(d, n)| (d, n, "workday")));
    let mut written = 0;
    for (d, name, kind) in days {
        sqlx::query(
            "INSERT INTO calendar_days (day, year, kind, name, provisional, loaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(d.format("%Y-%m-%d").to_string())
        .bind(i64::from(d.year()))
        .bind(kind)
        .bind(name.as_str())
        .bind(i64::from(cal.provisional.contains(d)))
        .bind(now)
        .execute(&mut *conn)
        .await?;
        written += 1;
    }
    for v in &cal.vacations {
        sqlx::query(
            "INSERT INTO calendar_vacations (year, name, first_day, last_day, loaded_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(i64::from(v.from.year()))
        .bind(v.name.as_str())
        .bind(v.from.format("%Y-%m-%d").to_string())
        .bind(v.to.format("%Y-%m-%d").to_string())
        .bind(now)
        .execute(&mut *conn)
        .await?;
    }
    Ok((written, cal.vacations.len() as u64))
}

/// Whether a branch is a student branch (学生党支部), whose non-urgent pushes pause in vacations.
pub async fn is_student_branch(conn: &mut Conn, branch_id: i64) -> Result<bool> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM branches WHERE id = $1")
        .bind(branch_id)
        .fetch_optional(conn)
        .await?;
    Ok(kind.as_deref() == Some("student"))
}

/// Whether the branch of a pledge check-in round is a student branch.
pub async fn is_student_round(conn: &mut Conn, round_id: i64) -> Result<bool> {
    let kind: Option<String> = sqlx::query_scalar(
        "SELECT b.kind FROM pledge_rounds r JOIN branches b ON b.id = r.branch_id WHERE r.id = $1",
    )
    .bind(round_id)
    .fetch_optional(conn)
    .await?;
    Ok(kind.as_deref() == Some("student"))
}

/// Whether a notice is urgent (its reminders fire whatever the day).
pub async fn is_urgent_notice(conn: &mut Conn, notice_id: i64) -> Result<bool> {
    let urgent: Option<i64> = sqlx::query_scalar("SELECT urgent FROM notices WHERE id = $1")
        .bind(notice_id)
        .fetch_optional(conn)
        .await?;
    Ok(urgent.unwrap_or(0) != 0)
}
