//! The attacker test: after students (bound and not) rate and comment and members vote, read
//! every table and every log line as a database administrator or log reader would, and fail
//! if any of it ties a comment or a ballot to a person.

use std::io::Write;
use std::sync::{Arc, Mutex};

use sqlx::Row;

use crate::evaluation::vote;
use crate::feedback::{load_targets, rate};
use crate::helpers::{spawn_app, TestApp};

/// Log lines written during the test, at debug level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every table: `(table, columns, rows as text)`.
async fn dump(app: &TestApp) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
        )))
        .fetch_all(app.store.pool())
        .await
        .unwrap();
        // Every cell as text, whatever its type.
        let select = columns
            .iter()
            .map(|c| {
                format!("CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END")
            })
            .collect::<Vec<_>>()
            .join(", ");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT {select} FROM \"{t}\"")))
            .fetch_all(app.store.pool())
            .await
            .unwrap();
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        row.try_get::<Option<String>, _>(i)
                            .unwrap()
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect();
        out.push((t, columns, cells));
    }
    out
}

#[tokio::test]
async fn an_attacker_reading_every_table_and_log_line_cannot_tie_feedback_or_ballots_to_anyone() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("one subscriber per test process");

    let app = spawn_app().await;
    load_targets(&app).await;
    // Students who never bound, and two bound members who live in the room.
    let comments = [
        (987654301, "晚上有时比较吵"),
        (987654302, "卫生值日表执行得很好"),
        (987654303, "希望多组织学习分享"),
        (987654304, "门口的自行车太乱"),
    ];
    for (chat, text) in comments {
        rate(&app, chat, "D12-305", "基本满意", Some(text)).await;
    }
    rate(&app, 987654305, "D12-305", "满意", None).await;
    app.bind(987650001, "S103").await;
    app.bind(987650002, "S107").await;
    rate(&app, 987650001, "D12-305", "不满意", Some("空调滤网该洗了")).await;
    rate(&app, 987650002, "P-T004", "满意", Some("办事效率很高")).await;
    // A round, and three members voting in order.
    app.bind(987650003, "S101").await;
    app.ask(987650003, "/evaluation open", 1).await;
    let voters = [
        (987650003, "优秀"),
        (987650001, "合格"),
        (987650002, "基本合格"),
    ];
    for (chat, first) in voters {
        let mut picks = vec!["合格"; 7];
        picks[0] = first;
        vote(&app, chat, &picks).await;
    }
    // Every reply has been sent (and so erased where it must be).
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;

    let texts: Vec<&str> = comments
        .iter()
        .map(|(_, t)| *t)
        .chain(["空调滤网该洗了", "办事效率很高"])
        .collect();
    let strangers = [
        "987654301",
        "987654302",
        "987654303",
        "987654304",
        "987654305",
    ];
    let bound_chats = ["987650001", "987650002", "987650003"];
    let bound_members: Vec<String> = {
        let mut ids = Vec::new();
        for key in ["S103", "S107", "S101"] {
            let id: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT id FROM members WHERE key = '{key}'"
            )))
            .fetch_one(app.store.pool())
            .await
            .unwrap();
            ids.push(id.to_string());
        }
        ids
    };
    // The tables that hold what was said or voted, and exactly the columns they may have.
    let content_tables = [
        (
            "feedback",
            vec![
                "id",
                "target_id",
                "period",
                "day",
                "rating",
                "body",
                "reply_hash",
                "answer",
                "hidden",
            ],
        ),
        ("feedback_seen", vec!["period", "tag"]),
        (
            "evaluation_tallies",
            vec!["round_id", "slot", "pick", "votes"],
        ),
        ("evaluation_voters", vec!["round_id", "member_id", "voted"]),
    ];
    let tables = dump(&app).await;
    for (table, columns, rows) in &tables {
        for row in rows {
            for (column, cell) in columns.iter().zip(row) {
                // A chat that never bound appears nowhere at all.
                for chat in strangers {
                    assert!(
                        !cell.contains(chat),
                        "{table}.{column} holds chat {chat}: {row:?}"
                    );
                }
                // A comment appears in the feedback table only.
                if table != "feedback" {
                    for text in &texts {
                        assert!(
                            !cell.contains(text),
                            "{table}.{column} holds a comment: {row:?}"
                        );
                    }
                }
                // The ballot in progress left nothing behind.
                let picks = cell
                    .match_indices("ev:1:")
                    .any(|(i, _)| cell[i + 5..].starts_with(|c: char| c.is_ascii_digit()));
                assert!(!picks, "{table}.{column} holds ballot picks: {row:?}");
                assert!(
                    !cell.contains("fb:"),
                    "{table}.{column} holds a rating step: {row:?}"
                );
            }
        }
        if let Some((_, allowed)) = content_tables.iter().find(|(t, _)| t == table) {
            if !rows.is_empty() {
                assert_eq!(columns, allowed, "{table} has only these columns");
            }
            for row in rows {
                for (column, cell) in columns.iter().zip(row) {
                    // No instant finer than a day: no millisecond timestamps.
                    let looks_like_ms = cell.parse::<i64>().is_ok_and(|n| n > 100_000_000_000);
                    assert!(
                        !looks_like_ms,
                        "{table}.{column} holds a timestamp: {row:?}"
                    );
                    for chat in bound_chats {
                        assert!(
                            !cell.contains(chat),
                            "{table}.{column} holds a chat id: {row:?}"
                        );
                    }
                    assert!(
                        !cell.contains("+86"),
                        "{table}.{column} holds a phone: {row:?}"
                    );
                }
            }
        }
    }
    // Feedback rows hold no member: their columns were checked above; and no member id of a
    // rater sits in the sessions or seen tables (they are empty or keyed hashes).
    let sessions = tables
        .iter()
        .find(|(t, ..)| t == "feedback_sessions")
        .unwrap();
    assert!(
        sessions.2.is_empty(),
        "ratings in progress are gone: {:?}",
        sessions.2
    );
    // Ballots: no row per ballot exists, so there is no order to match. The counters are the
    // ones made at opening (7 candidates x 4 grades), and voters carry no time.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evaluation_tallies").await,
        28
    );
    // The round is open: ballots are sealed, the counters untouched until it closes.
    assert_eq!(
        app.count("SELECT CAST(SUM(votes) AS BIGINT) FROM evaluation_tallies")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM evaluation_ballots").await,
        3
    );
    // Replies of the anonymous flows: no member, and neither address nor body once sent.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM outbox WHERE anonymous = 1 AND \
             (member_id IS NOT NULL OR address IS NOT NULL OR body <> '' OR choices <> '[]')"
        )
        .await,
        0
    );
    assert!(
        app.count("SELECT COUNT(*) FROM outbox WHERE anonymous = 1")
            .await
            > 20
    );
    // Conversations of the bound raters and voters hold no step of those flows.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM conversations WHERE state NOT LIKE '%idle%' OR choices <> '[]'"
        )
        .await,
        0
    );
    app.stop().await;

    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    assert!(logs.lines().count() > 10, "logs were captured:\n{logs}");
    if std::env::var_os("BRANCHBOT_TEST_SHOW_LOGS").is_some() {
        eprintln!("{logs}");
    }
    for line in logs.lines() {
        for text in &texts {
            assert!(!line.contains(text), "a log line holds a comment: {line}");
        }
        let names_a_sender = strangers
            .iter()
            .chain(&bound_chats)
            .any(|c| line.contains(c))
            || bound_members
                .iter()
                .any(|m| line.contains(&format!("member={m}")));
        let names_content = [
            "fb_", "fb:", "D12-305", "P-T004", "ev:", "ballot", "feedback",
        ]
        .iter()
        .any(|w| line.contains(w));
        assert!(
            !(names_a_sender && names_content),
            "a log line ties a sender to feedback or a ballot: {line}"
        );
    }
}
