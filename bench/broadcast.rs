//! Broadcast benchmark: N messages to N chats through the outbox and the delivery worker,
//! against the fake Bot API.
//!
//! 1. With Telegram's limits kept by the worker (30/s overall, 1/s per chat) and enforced by
//!    the fake (it answers 429 when they are crossed): achieved messages/s and the 429 count.
//! 2. With the limits lifted on both sides: the engine's own ceiling.
//!
//! `cargo bench --bench broadcast -- [--messages N] [--backend sqlite|postgres|both] [--run limited|unlimited|both]
//! [--other-core idle|busy]`

use std::sync::Arc;
use std::time::{Duration, Instant};

use branchbot::channels::telegram::{bot, TelegramSender};
use branchbot::clock::Clock;
use branchbot::delivery::limits::Limits;
use branchbot::delivery::worker::{Worker, WorkerConfig};
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::Store;
use branchbot::testkit::db::{fresh_postgres, TempSqlite};
use branchbot::testkit::fake_telegram::FakeTelegram;
use tokio_util::sync::CancellationToken;

#[path = "common/mod.rs"]
mod common;
use common::machine::{Machine, OtherCore};

struct Args {
    messages: usize,
    other_core: OtherCore,
    backends: Vec<&'static str>,
    runs: Vec<&'static str>,
}

fn args() -> Args {
    let mut a = Args {
        messages: 3000,
        other_core: OtherCore::Idle,
        backends: vec!["sqlite", "postgres"],
        runs: vec!["limited", "unlimited"],
    };
    let argv: Vec<String> = std::env::args()
        .skip(1)
        .filter(|s| s != "--bench")
        .collect();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let value = it.next().map(String::as_str).unwrap_or("");
        match flag.as_str() {
            "--messages" => a.messages = value.parse().expect("--messages takes a number"),
            "--backend" => {
                a.backends = match value {
                    "sqlite" => vec!["sqlite"],
                    "postgres" => vec!["postgres"],
                    _ => vec!["sqlite", "postgres"],
                }
            }
            "--run" => {
                a.runs = match value {
                    "limited" => vec!["limited"],
                    "unlimited" => vec!["unlimited"],
                    _ => vec!["limited", "unlimited"],
                }
            }
            "--other-core" => {
                a.other_core = OtherCore::parse(value).expect("--other-core takes idle or busy")
            }
            other => panic!("unknown argument {other}"),
        }
    }
    a
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn run(store: &Store, n: usize, limited: bool) -> (f64, u64, Duration, usize) {
    let fake = FakeTelegram::start().await;
    fake.enforce_limits(limited);
    let rows: Vec<NewMessage> = (1..=n as i64)
        .map(|chat| NewMessage {
            channel: "telegram".into(),
            address: chat.to_string(),
            member_id: None,
            body: "【通知】请于周五前提交个人承诺践诺情况。收到请回复。".into(),
            choices_json: "[]".into(),
            dedupe_key: format!("bench:{limited}:{chat}"),
            urgent: true,
            not_before: 0,
            expires_at: None,
            segments: 1,
        })
        .collect();
    let mut tx = store.begin().await.unwrap();
    outbox::enqueue(&mut tx, &rows, 0).await.unwrap();
    tx.commit().await.unwrap();
    let config = WorkerConfig {
        limits: if limited {
            Limits::telegram()
        } else {
            Limits::unlimited()
        },
        ..WorkerConfig::default()
    };
    let sender = Arc::new(TelegramSender::new(
        bot("1:bench", Some(&fake.api_url())).unwrap(),
    ));
    let worker = Worker::new(store.clone(), Clock::System, sender, Arc::default(), config);
    let cancel = CancellationToken::new();
    let start = Instant::now();
    let handle = tokio::spawn(worker.run(cancel.child_token()));
    let sent = fake.wait_sent(0, n, Duration::from_secs(600)).await;
    let elapsed = start.elapsed();
    // Lost: chats that never got their message.
    let reached: std::collections::HashSet<i64> = sent.iter().map(|s| s.chat_id).collect();
    let lost = (1..=n as i64).filter(|c| !reached.contains(c)).count();
    cancel.cancel();
    handle.await.unwrap();
    (
        n as f64 / elapsed.as_secs_f64(),
        fake.rejected_429(),
        elapsed,
        lost,
    )
}

#[tokio::main]
async fn main() {
    let args = args();
    println!(
        "broadcast of {} messages to {} chats; delivery worker against the fake Bot API",
        args.messages, args.messages
    );
    let machine = Machine::start(args.other_core);
    println!(
        "{:<9} {:<10} {:>12} {:>8} {:>6} {:>10} {:>14}",
        "backend", "limits", "messages/s", "429s", "lost", "seconds", "peak RSS MiB"
    );
    for backend in &args.backends {
        for run_kind in &args.runs {
            let limited = *run_kind == "limited";
            let sqlite = TempSqlite::new();
            let url = match *backend {
                "sqlite" => sqlite.url.clone(),
                _ => match fresh_postgres().await {
                    Ok(url) => url,
                    Err(e) => {
                        println!("{backend:<9} skipped: {}", e.0);
                        continue;
                    }
                },
            };
            let store = Store::open(&url).await.unwrap();
            let (rate, rejected, elapsed, lost) = run(&store, args.messages, limited).await;
            println!(
                "{backend:<9} {:<10} {rate:>12.1} {rejected:>8} {lost:>6} {:>10.2} {:>14.1}",
                if limited { "telegram" } else { "lifted" },
                elapsed.as_secs_f64(),
                peak_rss_mib()
            );
            store.close().await;
        }
    }
    let verdict = machine.finish();
    println!("{}", verdict.line());
    if !verdict.stands() {
        std::process::exit(1);
    }
}
