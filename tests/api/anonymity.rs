//! The forensic attacker (docs/PRIVACY.md), on SQLite and on PostgreSQL. Eight bound members
//! and two strangers rate and comment in random order with gaps, six members vote and one
//! abandons a ballot; then, holding the database files as left on disk (the SQLite db and WAL,
//! or PostgreSQL's relation files with their dead row versions) and every log line, but not
//! the anonymity key, the attacker tries every route from a comment or a ballot to a person:
//! leftover bytes, row order (`ORDER BY ctid`), transaction ids (`xmin`), times, the
//! message-number chain, dedupe keys, hashes, sizes, and two snapshots a minute apart. A link
//! by any route fails the test. Two more people rate on the web page (`/f/<code>`) among them:
//! their addresses, user agent and cookies must be nowhere, their comments mixed with the rest.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use rand::seq::SliceRandom;
use rand::RngExt;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::evaluation::vote;
use crate::feedback::{load_targets, publish_at, rate};
use crate::helpers::tap;
use crate::helpers::{spawn_with, Db, Spawn, TestApp};

/// Log lines written while the tests run, at debug level.
#[derive(Clone, Default)]
pub struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// Everything logged so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The one log capture of this test process (a global subscriber can be set once). Each line
/// names its thread: libtest names a test's thread after the test, and `#[tokio::test]`'s
/// single-threaded runtime runs the application under test on it.
pub fn logs() -> &'static Captured {
    static LOGS: OnceLock<Captured> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Captured::default();
        let writer = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_thread_names(true)
            .with_writer(move || writer.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("one subscriber per test process");
        logs
    })
}

/// Bound members (chat, roster key): ten-digit chat ids, so a match in raw bytes means them.
const MEMBERS: [(i64, &str); 8] = [
    (7730000101, "S101"),
    (7730000102, "S102"),
    (7730000103, "S103"),
    (7730000104, "S104"),
    (7730000106, "S106"),
    (7730000107, "S107"),
    (7730000109, "S109"),
    (7730000110, "S110"),
];
/// Chats that never bind.
const STRANGERS: [i64; 2] = [7730000201, 7730000202];

/// Each sender's target, rating and comment, in the order of [`MEMBERS`] then [`STRANGERS`].
const SAID: [(&str, &str, &str); 10] = [
    ("D12-305", "满意", "值日表贴在门后很清楚"),
    ("D12-306", "基本满意", "阳台的晾衣架有点松动"),
    ("D12-305", "不满意", "半夜打游戏的声音太大"),
    ("D12-410", "满意", "学习角的台灯很好用"),
    ("B-S1", "基本满意", "组织生活可以多讲案例"),
    ("D12-305", "满意", "室长主动帮新同学搬行李"),
    ("D12-306", "不满意", "卫生间的下水道又堵了"),
    ("B-S1", "满意", "志愿服务安排得很周到"),
    ("D12-410", "基本满意", "门禁卡有时刷不开门"),
    ("D12-305", "不满意", "楼道里的垃圾没人倒掉"),
];

/// Two phones on the web page: their address (as the proxy reports it), target, rating value
/// and comment.
const WEB_SAID: [(&str, &str, &str, &str); 2] = [
    ("203.0.113.41", "D12-306", "2", "宿舍门口的灯晚上太暗"),
    ("203.0.113.42", "D12-410", "3", "楼下自行车乱停挡路"),
];
/// The web phones' user agent.
const WEB_AGENT: &str = "ForensicPhone/7.3 MicroMessenger/8.0";

/// The ballot picks of the six voters: the first candidate's grade differs per voter.
const FIRST_PICKS: [&str; 6] = ["优秀", "合格", "基本合格", "不合格", "优秀", "合格"];

/// What the attacker holds at one moment: every database file's bytes, by the table (or
/// file) they belong to, and every table as text.
struct Snapshot {
    /// `(owner, bytes)`: for SQLite the whole db and WAL ("db", "wal"); for PostgreSQL one
    /// entry per relation file, named by its relation.
    files: Vec<(String, Vec<u8>)>,
    tables: Vec<(String, Vec<String>, Vec<Vec<String>>)>,
}

impl Snapshot {
    fn table(&self, name: &str) -> &(String, Vec<String>, Vec<Vec<String>>) {
        self.tables
            .iter()
            .find(|(t, ..)| t == name)
            .unwrap_or_else(|| panic!("no table {name}"))
    }

    /// The values of one column, in the order the table was read (storage order).
    fn column(&self, table: &str, column: &str) -> Vec<String> {
        let (_, columns, rows) = self.table(table);
        let i = columns
            .iter()
            .position(|c| c == column)
            .unwrap_or_else(|| panic!("no column {table}.{column}"));
        rows.iter().map(|r| r[i].clone()).collect()
    }
}

/// Every user table's rows as text, in storage order (rowid order on SQLite, `ctid` order on
/// PostgreSQL), with `xmin` as an extra last column on PostgreSQL.
async fn dump(app: &TestApp, db: Db) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let pool = app.store.pool();
    let tables: Vec<String> = match db {
        Db::Sqlite => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE '_sqlx%' ORDER BY name",
        ),
        Db::Postgres => sqlx::query_scalar(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
             WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name",
        ),
    }
    .fetch_all(pool)
    .await
    .unwrap();
    let mut out = Vec::new();
    for t in tables {
        let mut columns: Vec<String> = match db {
            Db::Sqlite => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT name FROM pragma_table_info('{t}') ORDER BY cid"
            ))),
            Db::Postgres => sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(column_name AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = 'public' AND table_name = '{t}' ORDER BY ordinal_position"
            ))),
        }
        .fetch_all(pool)
        .await
        .unwrap();
        let mut select: Vec<String> = columns
            .iter()
            .map(|c| match db {
                Db::Sqlite => format!(
                    "CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END"
                ),
                Db::Postgres => format!("CAST(\"{c}\" AS TEXT)"),
            })
            .collect();
        let order = match db {
            Db::Sqlite => "",
            Db::Postgres => {
                select.push("CAST(xmin AS TEXT)".into());
                columns.push("xmin".into());
                " ORDER BY ctid"
            }
        };
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {} FROM \"{t}\"{order}",
            select.join(", ")
        )))
        .fetch_all(pool)
        .await
        .unwrap();
        let cells = rows
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

/// The database files as they are on disk now.
async fn files(app: &TestApp, db: Db) -> Vec<(String, Vec<u8>)> {
    db_files(&app.store, &app.db.url, db).await
}

/// The database's files as left on disk: the SQLite db and WAL, or every PostgreSQL relation
/// file (live and dead row versions) after a checkpoint.
pub async fn db_files(
    store: &branchbot::store::Store,
    url: &str,
    db: Db,
) -> Vec<(String, Vec<u8>)> {
    match db {
        Db::Sqlite => {
            let path = url.trim_start_matches("sqlite://").to_owned();
            let read = |p: String| std::fs::read(p).unwrap_or_default();
            vec![
                ("db".into(), read(path.clone())),
                ("wal".into(), read(format!("{path}-wal"))),
            ]
        }
        Db::Postgres => {
            // Flush shared buffers, so the files hold every row version written so far (live
            // and dead), then read them as a superuser with file access would.
            sqlx::query("CHECKPOINT")
                .execute(store.pool())
                .await
                .unwrap();
            let rels: Vec<(String, String)> = sqlx::query_as(
                "SELECT CAST(c.relname AS TEXT), pg_relation_filepath(c.oid) FROM pg_class c \
                 JOIN pg_namespace n ON n.oid = c.relnamespace \
                 WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't') \
                 AND pg_relation_filepath(c.oid) IS NOT NULL",
            )
            .fetch_all(store.pool())
            .await
            .unwrap();
            let mut out = Vec::new();
            for (name, path) in rels {
                let bytes: Option<Vec<u8>> =
                    sqlx::query_scalar("SELECT pg_read_binary_file($1, 0, 1000000000, true)")
                        .bind(&path)
                        .fetch_one(store.pool())
                        .await
                        .unwrap();
                out.push((name, bytes.unwrap_or_default()));
            }
            out
        }
    }
}

async fn snapshot(app: &TestApp, db: Db) -> Snapshot {
    Snapshot {
        files: files(app, db).await,
        tables: dump(app, db).await,
    }
}

fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return Vec::new();
    }
    (0..=hay.len() - needle.len())
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .collect()
}

/// The SQLite page (4 KiB) around an offset of the db file or of the WAL (frames of a 24-byte
/// header and a page, after a 32-byte file header).
fn page_around(owner: &str, bytes: &[u8], at: usize) -> std::ops::Range<usize> {
    const PAGE: usize = 4096;
    let start = if owner == "wal" && at >= 32 {
        32 + (at - 32) / (PAGE + 24) * (PAGE + 24) + 24
    } else {
        at / PAGE * PAGE
    };
    start.min(bytes.len())..(start + PAGE).min(bytes.len())
}

/// SHA-256 hex of a normalized reply code (what an unkeyed hash of it would be).
fn sha256_of_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex::encode(Sha256::digest(normal.as_bytes()))
}

/// Whether a cell holds the picks of a ballot button (`ev:<round>:<digit>`).
fn holds_picks(cell: &str) -> bool {
    cell.match_indices("ev:1:")
        .any(|(i, _)| cell[i + 5..].starts_with(|c: char| c.is_ascii_digit()))
}

/// What the attacker knows of the run (from the outside: who wrote when).
struct Script {
    /// Comments in the order they were submitted, with their sender's chat.
    submitted: Vec<(i64, &'static str)>,
    reply_codes: Vec<String>,
    member_ids: Vec<String>,
    /// What the web phones showed the server: addresses, user agent, cookie values.
    web_markers: Vec<String>,
    /// Whole ballots typed in one message ("1 2 2 2 2 2 2").
    typed_ballots: Vec<String>,
    /// The Telegram file ids of photos sent in the middle of a rating (refused, never fetched).
    photos: Vec<String>,
}

async fn scripted_run(app: &TestApp) -> Script {
    load_targets(app).await;
    for (chat, key) in MEMBERS {
        app.bind(chat, key).await;
    }
    let opened = app.ask(MEMBERS[0].0, "/evaluation open", 1).await;
    assert!(
        opened[0].text.starts_with("已开启第 1 号评议"),
        "{}",
        opened[0].text
    );
    // The round's notice reaches every other voter before anyone talks to the bot, so each
    // exchange below reads its own replies, not the notice.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;
    let mut senders: Vec<usize> = (0..10 + WEB_SAID.len()).collect();
    senders.shuffle(&mut rand::rng());
    let chat_of = |i: usize| {
        if i < MEMBERS.len() {
            MEMBERS[i].0
        } else {
            STRANGERS[i - MEMBERS.len()]
        }
    };
    let mut submitted = Vec::new();
    let mut reply_codes = Vec::new();
    let mut web_markers = vec![WEB_AGENT.to_owned()];
    let mut photos = Vec::new();
    for i in senders {
        if i >= 10 {
            let (address, code, rating, text) = WEB_SAID[i - 10];
            let mut phone = crate::web_feedback::Browser::at(&app.base_url(), address);
            phone.user_agent = WEB_AGENT.into();
            let thanks = phone.rate(code, rating, text).await;
            assert_eq!(thanks.status, 200, "{}", thanks.body);
            reply_codes.push(thanks.reply_code());
            submitted.push((0, text));
            web_markers.push(address.to_owned());
            web_markers.extend(phone.cookie_values());
            continue;
        }
        let chat = chat_of(i);
        let (code, label, text) = SAID[i];
        // Ordinary traffic around it, so each chat has a message-number chain to read.
        if i < MEMBERS.len() && rand::rng().random_bool(0.5) {
            app.ask(chat, "/help", 1).await;
        }
        let thanks = if i < MEMBERS.len() && i % 2 == 0 {
            // A photo in the middle of the rating: refused, never fetched nor kept.
            let intro = app.ask(chat, &format!("/start fb_{code}"), 1).await;
            tap(app, chat, &intro[0], label, 1).await;
            let file_id = format!("FBPHOTO{chat}Q7Z");
            let before = app.fake.sent_to(chat).len();
            app.deliver(app.fake.photo_update(chat, &file_id, 40_000))
                .await;
            let refused = app
                .fake
                .wait_sent(chat, before + 1, crate::helpers::WAIT)
                .await;
            assert!(
                refused[before].text.starts_with("匿名反馈只收文字"),
                "{}",
                refused[before].text
            );
            photos.push(file_id);
            app.ask(chat, text, 1).await[0].text.clone()
        } else {
            rate(app, chat, code, label, Some(text)).await
        };
        let start = thanks.find("回执码：").expect("a reply code") + "回执码：".len();
        reply_codes.push(thanks[start..].chars().take(7).collect());
        submitted.push((chat, text));
        if i < MEMBERS.len() && rand::rng().random_bool(0.5) {
            app.ask(chat, "/help", 1).await;
        }
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(0..120))).await;
    }
    // Six members vote in random order; a seventh stops after one pick.
    let mut voters: Vec<usize> = (0..6).collect();
    voters.shuffle(&mut rand::rng());
    let mut typed_ballots = Vec::new();
    for v in voters {
        let mut picks = vec!["合格"; 7];
        picks[0] = FIRST_PICKS[v];
        // Two of them fill the whole ballot in one message, as an SMS voter would.
        let done = if v % 3 == 1 {
            let (done, typed) = vote_in_one_message(app, MEMBERS[v].0, &picks).await;
            typed_ballots.push(typed);
            done
        } else {
            vote(app, MEMBERS[v].0, &picks).await
        };
        assert!(done.starts_with("选票已提交"), "{done}");
        tokio::time::sleep(Duration::from_millis(rand::rng().random_range(0..120))).await;
    }
    let quitter = MEMBERS[6].0;
    let pending = app.ask(quitter, "/evaluation", 1).await;
    let title = pending[0].labels()[0].clone();
    let first = tap(app, quitter, &pending[0], &title, 1).await;
    tap(app, quitter, &first[0], "优秀", 1).await;
    // Every reply has been sent (and so erased where it must be).
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;
    let mut member_ids = Vec::new();
    for (_, key) in MEMBERS {
        let id: i64 = sqlx::query_scalar("SELECT id FROM members WHERE key = $1")
            .bind(key)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        member_ids.push(id.to_string());
    }
    assert!(
        app.fake.calls("getFile").is_empty(),
        "a photo sent in a rating was asked for"
    );
    Script {
        submitted,
        reply_codes,
        member_ids,
        web_markers,
        typed_ballots,
        photos,
    }
}

/// Votes with the whole ballot typed in one message (one digit per candidate, spaced);
/// returns what the bot answered the submission and the message typed.
async fn vote_in_one_message(app: &TestApp, chat: i64, picks: &[&str]) -> (String, String) {
    let pending = app.ask(chat, "/evaluation", 1).await;
    let title = pending[0].labels()[0].clone();
    let first = tap(app, chat, &pending[0], &title, 1).await;
    let options = first[0].labels();
    let compact = tap(app, chat, &first[0], "一次填写全部", 1).await;
    assert!(
        compact[0].text.contains("请按名单顺序回复"),
        "{}",
        compact[0].text
    );
    let typed = picks
        .iter()
        .map(|p| (options.iter().position(|o| o == p).expect("an option") + 1).to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let review = app.ask(chat, &typed, 1).await;
    assert!(
        review[0].text.starts_with("请核对您的选票："),
        "{}",
        review[0].text
    );
    let done = tap(app, chat, &review[0], "提交", 1).await;
    (done[0].text.clone(), typed)
}

/// Leftover bytes: what was said, voted or handed back never lies in the files in the clear,
/// except comments in the `feedback` table once published, and there never in a page that
/// also names a chat.
fn attack_bytes(snap: &Snapshot, script: &Script, published: bool, db: Db) {
    let chats: Vec<String> = MEMBERS
        .iter()
        .map(|(c, _)| c.to_string())
        .chain(STRANGERS.iter().map(i64::to_string))
        .collect();
    for (owner, bytes) in &snap.files {
        for (_, text) in &script.submitted {
            for at in find_all(bytes, text.as_bytes()) {
                let in_feedback = match db {
                    Db::Sqlite => true, // checked by page below
                    Db::Postgres => owner == "feedback",
                };
                assert!(
                    published && in_feedback,
                    "comment {text:?} readable in {owner} at {at} (published: {published})"
                );
                if db == Db::Sqlite {
                    let page = &bytes[page_around(owner, bytes, at)];
                    for chat in &chats {
                        assert!(
                            find_all(page, chat.as_bytes()).is_empty(),
                            "comment {text:?} shares a page of the {owner} file with chat {chat}"
                        );
                    }
                    for (_, key) in MEMBERS {
                        assert!(
                            find_all(page, key.as_bytes()).is_empty(),
                            "comment {text:?} shares a page of the {owner} file with {key}"
                        );
                    }
                }
            }
        }
        for needle in [
            "请核对您的选票",
            "黄晓明：优秀",
            "黄晓明：合格",
            "fb:r:",
            "fb:skip",
        ] {
            assert!(
                find_all(bytes, needle.as_bytes()).is_empty(),
                "{needle:?} readable in {owner}"
            );
        }
        for typed in &script.typed_ballots {
            assert!(
                find_all(bytes, typed.as_bytes()).is_empty(),
                "a ballot typed in one message ({typed:?}) readable in {owner}"
            );
        }
        for photo in &script.photos {
            assert!(
                find_all(bytes, photo.as_bytes()).is_empty(),
                "a photo sent in a rating ({photo}) is named in {owner}"
            );
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(!holds_picks(&text), "ballot picks readable in {owner}");
        for marker in &script.web_markers {
            assert!(
                !text.contains(marker.as_str()),
                "{marker:?} (a web client's address, agent or cookie) readable in {owner}"
            );
        }
        for code in &script.reply_codes {
            assert!(
                !text.contains(code.as_str()),
                "reply code {code} readable in {owner}"
            );
            let hash = sha256_of_code(code);
            assert!(!text.contains(&hash), "the SHA-256 of {code} is in {owner}");
        }
    }
}

/// Tables: strangers nowhere; no content next to a person; eligibility only in keyed form;
/// anonymous replies without provider id, precise time, body or a dedupe key naming the update.
fn attack_tables(snap: &Snapshot, script: &Script) {
    for (table, columns, rows) in &snap.tables {
        for row in rows {
            for (column, cell) in columns.iter().zip(row) {
                for chat in STRANGERS {
                    assert!(
                        !cell.contains(&chat.to_string()),
                        "{table}.{column} holds stranger {chat}: {row:?}"
                    );
                }
                if table != "feedback" {
                    for (_, text) in &script.submitted {
                        assert!(!cell.contains(text), "{table}.{column} holds a comment");
                    }
                }
                assert!(!holds_picks(cell), "{table}.{column} holds ballot picks");
                assert!(
                    !cell.contains("fb:"),
                    "{table}.{column} holds a rating step"
                );
            }
        }
    }
    // Anonymous replies: no member, address, body, provider id, time finer than a day, or a
    // dedupe key that names the inbox row.
    let outbox = snap.table("outbox");
    let col = |name: &str| outbox.1.iter().position(|c| c == name).unwrap();
    let (anon, provider, created, sent, next, key, body, address) = (
        col("anonymous"),
        col("provider_id"),
        col("created_at"),
        col("sent_at"),
        col("next_attempt_at"),
        col("dedupe_key"),
        col("body"),
        col("address"),
    );
    let anonymous: Vec<&Vec<String>> = outbox.2.iter().filter(|r| r[anon] == "1").collect();
    assert!(
        anonymous.len() > 60,
        "anonymous replies: {}",
        anonymous.len()
    );
    for r in &anonymous {
        assert_eq!(
            r[provider], "",
            "an anonymous reply keeps a message number: {r:?}"
        );
        for t in [created, sent, next] {
            let ms: i64 = r[t].parse().unwrap();
            assert_eq!(ms % 86_400_000, 0, "an anonymous reply keeps a time: {r:?}");
        }
        assert!(
            r[key].starts_with("anon:") && !r[key].contains("reply:"),
            "{r:?}"
        );
        assert_eq!((r[body].as_str(), r[address].as_str()), ("", ""), "{r:?}");
    }
    // The inbox rows of anonymous exchanges keep no precise time, and no outbox key names them.
    let inbox = snap.table("inbox");
    let icol = |name: &str| inbox.1.iter().position(|c| c == name).unwrap();
    let coarse: Vec<(&String, &String)> = inbox
        .2
        .iter()
        .filter(|r| r[icol("received_at")].parse::<i64>().unwrap() % 86_400_000 == 0)
        .map(|r| (&r[icol("id")], &r[icol("external_id")]))
        .collect();
    assert!(coarse.len() >= 60, "anonymous exchanges: {}", coarse.len());
    for (id, external) in &coarse {
        let named = format!(":{external}:{id}:");
        assert!(
            !outbox.2.iter().any(|r| r[key].contains(&named)),
            "an outbox key names inbox row {id}"
        );
    }
    for r in &inbox.2 {
        assert_eq!(
            r[icol("payload")],
            "",
            "a processed update keeps its payload: {r:?}"
        );
    }
    // Reply codes are stored under a keyed hash only.
    let hashes: BTreeSet<String> = snap.column("feedback", "reply_hash").into_iter().collect();
    for code in &script.reply_codes {
        assert!(
            !hashes.contains(&sha256_of_code(code)),
            "{code} hashed without a key"
        );
    }
    // The abandoned ballot: the buttons with its pick are sealed or gone.
    for choices in snap.column("conversations", "choices") {
        assert!(
            choices == "[]" || choices.starts_with("s1:") || !choices.contains("ev:"),
            "{choices}"
        );
    }
    // Nothing in the tables that hold content or eligibility names a member or a chat.
    for (table, allowed) in [
        (
            "feedback",
            &[
                "id",
                "target_id",
                "period",
                "day",
                "rating",
                "body",
                "reply_hash",
                "answer",
                "hidden",
            ][..],
        ),
        ("feedback_pool", &["id", "sealed"][..]),
        ("feedback_seen", &["period", "tag"][..]),
        ("evaluation_ballots", &["id", "round_id", "sealed"][..]),
        (
            "evaluation_tallies",
            &["round_id", "slot", "pick", "votes"][..],
        ),
    ] {
        let (_, columns, _) = snap.table(table);
        let plain: Vec<&str> = columns
            .iter()
            .map(String::as_str)
            .filter(|c| *c != "xmin")
            .collect();
        assert_eq!(plain, allowed, "{table} has only these columns");
    }
    let _ = &script.member_ids;
}

/// Row order: the attacker lines the stored comments up with the order people wrote in (the
/// anonymous exchanges are in the inbox in that order). A shuffled batch gives about one right
/// by chance; eight or more of ten is a link.
fn attack_order(snap: &Snapshot, script: &Script) {
    let stored: Vec<String> = snap
        .column("feedback", "body")
        .into_iter()
        .filter(|b| script.submitted.iter().any(|(_, t)| t == b))
        .collect();
    assert_eq!(
        stored.len(),
        script.submitted.len(),
        "every comment published"
    );
    let right = stored
        .iter()
        .zip(&script.submitted)
        .filter(|(b, (_, t))| b == t)
        .count();
    assert!(right < 8, "storage order gives {right} of 12 senders");
}

/// PostgreSQL transaction ids: published feedback shares one transaction, which is none of the
/// senders' updates; counters share none with a voter's flag.
fn attack_xmin(snap: &Snapshot, tallied: bool) {
    let xmins =
        |table: &str| -> BTreeSet<String> { snap.column(table, "xmin").into_iter().collect() };
    let feedback = xmins("feedback");
    assert_eq!(
        feedback.len(),
        1,
        "one batch, one transaction: {feedback:?}"
    );
    // The publishing transaction also queues the "new comments" notices: only the anonymous
    // replies (the senders' exchanges) must not share it.
    let outbox = snap.table("outbox");
    let anon = outbox.1.iter().position(|c| c == "anonymous").unwrap();
    let replies: BTreeSet<String> = outbox
        .2
        .iter()
        .filter(|r| r[anon] == "1")
        .map(|r| r.last().unwrap().clone())
        .collect();
    assert!(
        feedback.is_disjoint(&replies),
        "feedback shares a transaction with an anonymous reply"
    );
    for other in [
        "inbox",
        "feedback_seen",
        "conversations",
        "evaluation_voters",
    ] {
        assert!(
            feedback.is_disjoint(&xmins(other)),
            "feedback shares a transaction with {other}"
        );
    }
    let tallies = snap.table("evaluation_tallies");
    let votes = tallies.1.iter().position(|c| c == "votes").unwrap();
    let counted: BTreeSet<String> = tallies
        .2
        .iter()
        .filter(|r| r[votes] != "0")
        .map(|r| r.last().unwrap().clone())
        .collect();
    assert_eq!(
        !counted.is_empty(),
        tallied,
        "counters touched only at the close"
    );
    assert!(
        counted.is_disjoint(&xmins("evaluation_voters")),
        "counters share a transaction with a voter's flag"
    );
}

async fn forensic(db: Db) {
    let logs = logs();
    let Some(mut app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let script = scripted_run(&app).await;

    // Snapshot 1: everything accepted, nothing published yet.
    let before = snapshot(&app, db).await;
    attack_bytes(&before, &script, false, db);
    attack_tables(&before, &script);
    // Sizes: every pooled submission and every ballot is the same size.
    for (table, column) in [
        ("feedback_pool", "sealed"),
        ("evaluation_ballots", "sealed"),
    ] {
        let sizes: BTreeSet<usize> = before
            .column(table, column)
            .iter()
            .map(String::len)
            .collect();
        assert_eq!(sizes.len(), 1, "{table} sizes differ: {sizes:?}");
    }
    assert_eq!(before.column("feedback_pool", "id").len(), 12);
    assert_eq!(before.column("evaluation_ballots", "id").len(), 6);
    assert!(before.column("feedback", "id").is_empty());

    // Snapshot 2, a minute later: the job has published the pool in one batch.
    let later = chrono::Utc::now() + chrono::TimeDelta::minutes(1);
    let note = publish_at(&app, later).await;
    assert_eq!(note, "published 12, waiting 0, unreadable 0");
    let after = snapshot(&app, db).await;
    attack_bytes(&after, &script, true, db);
    attack_tables(&after, &script);
    attack_order(&after, &script);
    // The difference between the snapshots: ten rows at once, one day for all, no pool left.
    let days: BTreeSet<String> = after.column("feedback", "day").into_iter().collect();
    assert_eq!(days.len(), 1, "{days:?}");
    assert!(after.column("feedback_pool", "id").is_empty());

    // The round closes; its ballots are counted in one transaction and deleted.
    let closes: i64 = sqlx::query_scalar("SELECT closes_at FROM evaluation_rounds WHERE id = 1")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let mut tx = app.store.begin().await.unwrap();
    assert_eq!(
        branchbot::evaluation::service::tally(&mut tx, closes + 60_000)
            .await
            .unwrap(),
        1
    );
    tx.commit().await.unwrap();
    app.store.truncate_wal().await;
    let closed = snapshot(&app, db).await;
    attack_bytes(&closed, &script, true, db);
    attack_tables(&closed, &script);
    assert!(closed.column("evaluation_ballots", "id").is_empty());
    let total: i64 = closed
        .column("evaluation_tallies", "votes")
        .iter()
        .map(|v| v.parse::<i64>().unwrap())
        .sum();
    assert_eq!(total, 6 * 7, "six ballots of seven picks");
    if db == Db::Postgres {
        attack_xmin(&after, false);
        attack_xmin(&closed, true);
    }

    // Shut down: on SQLite the WAL is truncated, nothing of it stays on disk.
    if let Some(running) = app.app.take() {
        running.stop().await;
    }
    app.store.truncate_wal().await;
    let stopped = files(&app, db).await;
    if db == Db::Sqlite {
        let wal = &stopped.iter().find(|(f, _)| f == "wal").unwrap().1;
        assert!(
            wal.is_empty(),
            "the WAL keeps {} bytes after shutdown",
            wal.len()
        );
    }
    app.store.close().await;

    // Every log line: none ties a sender to feedback or a ballot.
    let logs = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
    let me = std::thread::current().name().unwrap_or("").to_owned();
    assert!(
        logs.lines().filter(|l| l.contains(me.as_str())).count() > 10,
        "this test's logs were captured"
    );
    let chats: Vec<String> = MEMBERS
        .iter()
        .map(|(c, _)| c.to_string())
        .chain(STRANGERS.iter().map(i64::to_string))
        .collect();
    // Other tests of this process run at the same time and log to the same capture; their
    // lines carry their own thread's name (libtest names a test's thread after the test, and
    // the single-threaded runtime runs each application on its test's thread).
    let another_test = |line: &str| {
        let thread = line.split_whitespace().nth(2).unwrap_or("");
        thread.contains("::") && !thread.ends_with(':') && thread != me
    };
    for line in logs.lines().filter(|l| !another_test(l)) {
        // The thread's name is the test's, which names feedback and ballots itself.
        let line = line.replacen(me.as_str(), "", 1);
        let line = line.as_str();
        for (_, text) in &script.submitted {
            assert!(!line.contains(text), "a log line holds a comment: {line}");
        }
        for typed in &script.typed_ballots {
            assert!(
                !line.contains(typed.as_str()),
                "a log line holds a typed ballot: {line}"
            );
        }
        for photo in &script.photos {
            assert!(
                !line.contains(photo.as_str()),
                "a log line names a photo sent in a rating: {line}"
            );
        }
        for marker in &script.web_markers {
            assert!(
                !line.contains(marker.as_str()),
                "a log line holds a web client's address, agent or cookie: {line}"
            );
        }
        let names_a_sender = chats.iter().any(|c| line.contains(c.as_str()))
            || script
                .member_ids
                .iter()
                .any(|m| line.contains(&format!("member={m}")));
        let names_content = ["fb_", "fb:", "D12-", "B-S1", "ev:", "ballot", "feedback"]
            .iter()
            .any(|w| line.contains(w));
        assert!(
            !(names_a_sender && names_content),
            "a log line ties a sender to feedback or a ballot: {line}"
        );
    }
}

#[tokio::test]
async fn a_forensic_attacker_holding_the_sqlite_files_and_logs_links_no_comment_or_ballot_to_anyone(
) {
    forensic(Db::Sqlite).await;
}

#[tokio::test]
async fn a_forensic_attacker_holding_postgres_row_versions_and_logs_links_no_comment_or_ballot_to_anyone(
) {
    forensic(Db::Postgres).await;
}
