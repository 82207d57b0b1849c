//! Failover benchmark: a broadcast of N messages at Telegram's 30 a second, sent by real
//! `branchbot serve` processes against the fake Bot API; one process is killed with SIGKILL
//! partway.
//!
//! - `single` (SQLite): the process is killed and started again at once.
//! - `replicas` (PostgreSQL): two processes share the broadcast; one is killed, the other goes on.
//!
//! For each run it prints the rows the dead process held in `sending`, how long after the kill
//! the last of them was sent (they wait out the lease: `delivery.lease_secs`), and the
//! duplicates (messages the fake received twice). Medians of the runs close the output.
//!
//! `cargo bench --bench failover -- [--messages N] [--runs R] [--scenario single|replicas|both]`
//! (runs in a debug build too: `cargo test --bench failover -- …`; the figures are set by the
//! lease and the rate, not by the CPU).

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Store;
use branchbot::testkit::db::{drop_postgres_blocking, fresh_postgres, TempSqlite};
use branchbot::testkit::fake_telegram::FakeTelegram;

struct Args {
    messages: i64,
    runs: usize,
    scenarios: Vec<&'static str>,
}

fn args() -> Args {
    let mut a = Args {
        messages: 900,
        runs: 3,
        scenarios: vec!["single", "replicas"],
    };
    let argv: Vec<String> = std::env::args()
        .skip(1)
        .filter(|s| s != "--bench")
        .collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().cloned().unwrap_or_default();
        match flag.as_str() {
            "--messages" => a.messages = value.parse().expect("--messages N"),
            "--runs" => a.runs = value.parse().expect("--runs R"),
            "--scenario" => {
                a.scenarios = match value.as_str() {
                    "single" => vec!["single"],
                    "replicas" => vec!["replicas"],
                    _ => vec!["single", "replicas"],
                }
            }
            other => panic!("unknown option {other}"),
        }
    }
    a
}

/// A `serve` process, killed when dropped.
struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_bot(url: &str, fake: &FakeTelegram) -> Bot {
    Bot(Command::new(env!("CARGO_BIN_EXE_branchbot"))
        .args(["--database", url, "serve", "--no-console"])
        .env("TELOXIDE_TOKEN", "123456:FAILOVER")
        .env("BRANCHBOT_TELEGRAM_API_URL", fake.api_url())
        .env("BRANCHBOT_HTTP_LISTEN", "127.0.0.1:0")
        .env("BRANCHBOT_QUIET_HOURS", "00:00-00:00")
        .env("BRANCHBOT_LOG", "error")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start branchbot"))
}

struct Figures {
    held: i64,
    resumed_after: Duration,
    duplicates: i64,
}

async fn count(store: &Store, sql: &'static str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn run(url: &str, scenario: &str, n: i64) -> Figures {
    let fake = FakeTelegram::start().await;
    let store = Store::open(url).await.unwrap();
    let rows: Vec<NewMessage> = (1..=n)
        .map(|chat| NewMessage {
            channel: "telegram".into(),
            address: chat.to_string(),
            member_id: None,
            body: "请于周五前提交个人承诺践诺情况。".into(),
            choices_json: "[]".into(),
            dedupe_key: format!("failover:{chat}"),
            urgent: false,
            not_before: 0,
            expires_at: None,
            segments: 1,
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    outbox::enqueue(&mut tx, &rows, 0).await.unwrap();
    tx.commit().await.unwrap();

    let first = start_bot(url, &fake);
    let _second = (scenario == "replicas").then(|| start_bot(url, &fake));
    fake.wait_sent(0, (n / 6) as usize, Duration::from_secs(120))
        .await;
    drop(first); // SIGKILL
    let killed = Instant::now();
    let held: Vec<i64> = sqlx::query_scalar("SELECT id FROM outbox WHERE status = 'sending'")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let _restarted = (scenario == "single").then(|| start_bot(url, &fake));
    let mut resumed_after = Duration::ZERO;
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut waiting = held.clone();
    loop {
        if !waiting.is_empty() {
            let list: Vec<String> = waiting.iter().map(i64::to_string).collect();
            let sql = format!(
                "SELECT id FROM outbox WHERE status <> 'sent' AND id IN ({})",
                list.join(", ")
            );
            waiting = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_all(store.pool())
                .await
                .unwrap();
            if waiting.is_empty() {
                resumed_after = killed.elapsed();
            }
        }
        let sent = count(&store, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await;
        if sent == n && waiting.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "only {sent} of {n} sent");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent = fake.sent();
    let mut chats: Vec<i64> = sent.iter().map(|s| s.chat_id).collect();
    chats.sort_unstable();
    chats.dedup();
    assert_eq!(chats.len() as i64, n, "every recipient got the message");
    store.close().await;
    Figures {
        held: held.len() as i64,
        resumed_after,
        duplicates: sent.len() as i64 - n,
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let a = args();
    for scenario in &a.scenarios {
        let mut all = Vec::new();
        for i in 1..=a.runs {
            let figures = if *scenario == "single" {
                let db = TempSqlite::new();
                run(&db.url, scenario, a.messages).await
            } else {
                let Ok(url) = fresh_postgres().await else {
                    eprintln!("skipped replicas: no PostgreSQL (set BRANCHBOT_TEST_PG)");
                    break;
                };
                let f = run(&url, scenario, a.messages).await;
                drop_postgres_blocking(&url);
                f
            };
            println!(
                "{scenario} run {i}: held at the kill {}, all of them sent {:.1} s after it, duplicates {}",
                figures.held,
                figures.resumed_after.as_secs_f64(),
                figures.duplicates
            );
            all.push(figures);
        }
        if all.is_empty() {
            continue;
        }
        println!(
            "{scenario} median of {}: held {}, resumed after {:.1} s, duplicates {}",
            all.len(),
            median(all.iter().map(|f| f.held).collect()),
            median(all.iter().map(|f| f.resumed_after.as_secs_f64()).collect()),
            median(all.iter().map(|f| f.duplicates).collect()),
        );
    }
}
