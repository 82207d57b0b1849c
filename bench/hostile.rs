//! Memory under hostile load: `branchbot serve` (its own process, Telegram in webhook mode
//! against a fake Bot API, the generic SMS gateway) gets rounds of malformed webhook requests,
//! and its resident memory (VmRSS of the server process alone) is read after each round. A
//! leak grows round after round; allocator retention grows at first and then stays.
//!
//! `cargo bench --bench hostile -- [--rounds R] [--requests N] [--concurrency C]`
//! (`--profile dev` measures a debug build). Set `MALLOC_ARENA_MAX` to see how much of the
//! growth is glibc's per-thread arenas.
//!
//! Each round cycles through: garbage bytes, JSON without `update_id`, an update of the wrong
//! shape, a deeply nested document, 1 MiB of JSON objects (over the cap), a wrong secret
//! (Telegram);
//! unsigned, stale and signed-but-malformed bodies, and a 100 KiB body (SMS).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use branchbot::channels::sms::generic;
use branchbot::testkit::fake_telegram::FakeTelegram;
use clap::Parser;

const SECRET: &str = "bench-secret";
const KEY: &str = "bench-webhook-key";

#[derive(Debug, Parser)]
#[command(about = "RSS of branchbot serve under rounds of malformed webhook requests")]
struct Args {
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// Requests per round.
    #[arg(long, default_value_t = 10_000)]
    requests: usize,
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Size of the big JSON body, in KiB (over the 256 KiB cap by default; 250 shows the
    /// worst a body under the cap can do).
    #[arg(long, default_value_t = 1024)]
    big_kib: usize,
    /// The server binary (another build, to compare); this crate's `branchbot` by default.
    #[arg(long)]
    server: Option<std::path::PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// One hostile request: path, headers, body.
type Hostile = (&'static str, Vec<(&'static str, String)>, Vec<u8>);

fn hostile(k: usize, big_kib: usize) -> Hostile {
    let tg = "/telegram/webhook";
    let sms = "/sms/generic/inbound";
    let secret = || vec![("x-telegram-bot-api-secret-token", SECRET.to_owned())];
    let now = chrono::Utc::now().timestamp().to_string();
    let signed = |body: &[u8], stamp: &str| {
        vec![
            (generic::SIGNATURE_HEADER, generic::sign(KEY, body, stamp)),
            (generic::TIMESTAMP_HEADER, stamp.to_owned()),
        ]
    };
    match k % 12 {
        0 => (tg, secret(), format!("\u{1}garbage {k} {{[").into_bytes()),
        1 => (
            tg,
            secret(),
            format!(r#"{{"message":{{"text":"{k}"}}}}"#).into_bytes(),
        ),
        2 => (
            tg,
            secret(),
            format!(r#"{{"update_id":{k},"message":{{"chat":"x","text":7}}}}"#).into_bytes(),
        ),
        3 => (tg, secret(), "[".repeat(5000).into_bytes()),
        // 1 MiB of JSON (by default): 130,000 small objects, tens of MiB once parsed.
        4 => {
            let items = r#"{"a":1},"#.repeat(big_kib * 1024 / 8);
            let body = format!(r#"{{"update_id":{k},"x":[{}{{}}]}}"#, items);
            (tg, secret(), body.into_bytes())
        }
        5 => (
            tg,
            vec![("x-telegram-bot-api-secret-token", format!("wrong{k}"))],
            b"{}".to_vec(),
        ),
        6 => (sms, Vec::new(), format!(r#"{{"id":"{k}"}}"#).into_bytes()),
        7 => {
            let body = format!(r#"{{"id":"s{k}","from":"+8613800010004","text":"hi"}}"#);
            let headers = signed(body.as_bytes(), "1000000000");
            (sms, headers, body.into_bytes())
        }
        8 => {
            let body = format!("not json {k}").into_bytes();
            (sms, signed(&body, &now), body)
        }
        9 => {
            let body = format!(r#"{{"id":{k},"text":5}}"#).into_bytes();
            (sms, signed(&body, &now), body)
        }
        10 => (sms, Vec::new(), vec![b'{'; 100 * 1024]),
        _ => {
            let body = format!(r#"{{"update_id":{k},"edited_message":{}}}"#, "{}").into_bytes();
            (tg, secret(), body)
        }
    }
}

fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn serve(binary: &Path, dir: &Path, port: u16, telegram: &str) -> Child {
    std::fs::write(
        dir.join("branchbot.toml"),
        "[sms]\ngateway = 'generic'\n[sms.generic]\nurl = 'http://127.0.0.1:9/send'\nbody = '{\"to\":\"{to}\",\"text\":\"{text}\"}'\n",
    )
    .expect("config file");
    Command::new(binary)
        .args(["serve", "--no-console"])
        .current_dir(dir)
        .env("BRANCHBOT_DATABASE_URL", "sqlite://hostile.db")
        .env("BRANCHBOT_HTTP_LISTEN", format!("127.0.0.1:{port}"))
        .env("BRANCHBOT_METRICS_LISTEN", "")
        .env("BRANCHBOT_PUBLIC_URL", "https://bench.invalid")
        .env("TELOXIDE_TOKEN", "123:bench")
        .env("BRANCHBOT_TELEGRAM_API_URL", telegram)
        .env("BRANCHBOT_TELEGRAM_MODE", "webhook")
        .env("BRANCHBOT_TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("BRANCHBOT_SMS_WEBHOOK_KEY", KEY)
        .env("BRANCHBOT_LOG", "error")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("branchbot serve starts")
}

async fn round(base: &str, args: &Args, offset: usize) -> [usize; 6] {
    let next = Arc::new(AtomicUsize::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..args.concurrency {
        let (next, base, total) = (Arc::clone(&next), base.to_owned(), args.requests);
        let big_kib = args.big_kib;
        clients.spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .expect("HTTP client");
            let mut by_status = [0usize; 6];
            loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= total {
                    return by_status;
                }
                let (path, headers, body) = hostile(offset + k, big_kib);
                let mut req = http.post(format!("{base}{path}")).body(body);
                for (name, value) in headers {
                    req = req.header(name, value);
                }
                let slot = match req.send().await.map(|r| r.status().as_u16()) {
                    Ok(200) => 0,
                    Ok(400) => 1,
                    Ok(403) => 2,
                    Ok(413) => 3,
                    Ok(_) => 4,
                    Err(_) => 5,
                };
                by_status[slot] += 1;
            }
        });
    }
    let mut total = [0usize; 6];
    while let Some(counts) = clients.join_next().await {
        for (t, c) in total.iter_mut().zip(counts.expect("client task")) {
            *t += c;
        }
    }
    total
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let fake = FakeTelegram::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let binary = args
        .server
        .clone()
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_branchbot").into());
    let mut server = serve(&binary, dir.path(), port, &fake.api_url());
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = Instant::now();
    while http
        .get(format!("{base}/readyz"))
        .send()
        .await
        .map(|r| r.status().is_success())
        .ok()
        != Some(true)
    {
        assert!(started.elapsed().as_secs() < 60, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let pid = server.id();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (idle, _) = rss_kib(pid);
    println!(
        "branchbot serve (pid {pid}), {} requests a round, {} in flight; MALLOC_ARENA_MAX={}",
        args.requests,
        args.concurrency,
        std::env::var("MALLOC_ARENA_MAX").unwrap_or_else(|_| "unset".into())
    );
    println!("| round | 200 | 400 | 403 | 413 | other | errors | seconds | VmRSS after | VmHWM |");
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    println!("| idle | | | | | | | | {:.1} MiB | |", idle as f64 / 1024.0);
    for r in 0..args.rounds {
        let t = Instant::now();
        let s = round(&base, &args, r * args.requests).await;
        let secs = t.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_secs(1)).await;
        let (rss, hwm) = rss_kib(pid);
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {secs:.1} | {:.1} MiB | {:.1} MiB |",
            r + 1,
            s[0],
            s[1],
            s[2],
            s[3],
            s[4],
            s[5],
            rss as f64 / 1024.0,
            hwm as f64 / 1024.0
        );
    }
    let _ = server.kill();
    let _ = server.wait();
}
