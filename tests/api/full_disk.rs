//! A full disk with a real process: `branchbot serve` runs with a file-size limit
//! (`RLIMIT_FSIZE`, no root needed), so that SQLite's commits fail the way they do on a full
//! filesystem (the WAL cannot grow). Every update the webhook answered 200 must be in the
//! inbox; the ones refused got a non-200, so Telegram retries them; once the limit is lifted
//! the same process stores and answers them all, without a restart.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use branchbot::store::Store;
use branchbot::testkit::db::TempSqlite;
use branchbot::testkit::fake_telegram::FakeTelegram;

const SECRET: &str = "full-disk-secret";

/// The bot's process, killed when the test ends however it ends.
struct Bot(Child);

impl Drop for Bot {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_bot(db: &TempSqlite, fake: &FakeTelegram, port: u16, max_file_bytes: u64) -> Child {
    use std::os::unix::process::CommandExt;
    let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
    command
        .args(["--database", &db.url, "serve", "--no-console"])
        .env("TELOXIDE_TOKEN", "123456:FULL")
        .env("BRANCHBOT_TELEGRAM_API_URL", fake.api_url())
        .env("BRANCHBOT_TELEGRAM_MODE", "webhook")
        .env("BRANCHBOT_PUBLIC_URL", "https://bot.example.org")
        .env("BRANCHBOT_TELEGRAM_WEBHOOK_SECRET", SECRET)
        .env("BRANCHBOT_HTTP_LISTEN", format!("127.0.0.1:{port}"))
        .env("BRANCHBOT_TELEGRAM_PER_SECOND", "1000")
        .env("BRANCHBOT_TELEGRAM_PER_CHAT_PER_SECOND", "1000")
        .env("BRANCHBOT_DELIVERY_LEASE_SECS", "2")
        .env("BRANCHBOT_QUIET_HOURS", "00:00-00:00")
        .env("BRANCHBOT_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(move || {
            // A write past the limit fails with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: max_file_bytes as libc::rlim_t,
                rlim_max: libc::RLIM_INFINITY,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.spawn().expect("start branchbot")
}

/// Lifts the file-size limit of a running process (its own user may raise it to the hard one).
fn lift_limit(pid: u32) {
    let limit = libc::rlimit {
        rlim_cur: libc::RLIM_INFINITY,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: a plain syscall on a pid we started.
    let done = unsafe {
        libc::prlimit(
            pid as libc::pid_t,
            libc::RLIMIT_FSIZE,
            &limit,
            std::ptr::null_mut(),
        )
    };
    assert_eq!(done, 0, "prlimit: {}", std::io::Error::last_os_error());
}

async fn post(http: &reqwest::Client, port: u16, update: &serde_json::Value) -> Option<u16> {
    http.post(format!("http://127.0.0.1:{port}/telegram/webhook"))
        .header("X-Telegram-Bot-Api-Secret-Token", SECRET)
        .json(update)
        .timeout(Duration::from_secs(10))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_loses_no_acknowledged_update_and_the_bot_recovers_without_a_restart() {
    let fake = FakeTelegram::start().await;
    let db = TempSqlite::new();
    let store = Store::open(&db.url).await.unwrap();
    let path = db
        .url
        .trim_start_matches("sqlite://")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let size = |p: &str| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let biggest = [path.clone(), format!("{path}-wal"), format!("{path}-shm")]
        .iter()
        .map(|p| size(p))
        .max()
        .unwrap();
    let port = free_port();
    let mut bot = Bot(start_bot(
        &db,
        &fake,
        port,
        biggest.max(32_768) + 256 * 1024,
    ));
    // Read its log as it comes: a full pipe would block the bot.
    let log = {
        use std::io::Read;
        let mut stderr = bot.0.stderr.take().unwrap();
        std::thread::spawn(move || {
            let mut log = String::new();
            let _ = stderr.read_to_string(&mut log);
            log
        })
    };
    let http = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(90);
    while http
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .is_err()
    {
        assert!(Instant::now() < deadline, "serve did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Strangers write: each is answered with how to bind, one reply per update.
    let mut taken = Vec::new();
    let mut refused = Vec::new();
    for i in 0..600 {
        let update = fake.text_update(900_000 + i, "你好", "zh-hans");
        match post(&http, port, &update).await {
            Some(200) => taken.push(update),
            _ => refused.push(update),
        }
    }
    // A little room may be left in pages SQLite already holds (the WAL reuses its own): keep
    // posting until readiness says the database cannot be written, as a full disk must.
    let mut ready = 0;
    for i in 0..100 {
        ready = http
            .get(format!("http://127.0.0.1:{port}/readyz"))
            .send()
            .await
            .unwrap()
            .status()
            .as_u16();
        if ready == 503 {
            break;
        }
        let update = fake.text_update(900_600 + i, "你好", "zh-hans");
        match post(&http, port, &update).await {
            Some(200) => taken.push(update),
            _ => refused.push(update),
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(ready, 503, "a database that cannot be written is not ready");
    eprintln!("taken {}, refused {}", taken.len(), refused.len());
    let stored: Vec<String> = sqlx::query_scalar("SELECT external_id FROM inbox")
        .fetch_all(store.pool())
        .await
        .unwrap();
    let lost: Vec<i64> = taken
        .iter()
        .map(|u| u["update_id"].as_i64().unwrap())
        .filter(|id| !stored.contains(&id.to_string()))
        .collect();
    assert!(
        lost.is_empty(),
        "{} updates answered 200 were lost: {lost:?}",
        lost.len()
    );

    assert!(!refused.is_empty(), "the disk never filled up");
    // Space returns; Telegram retries what was refused.
    lift_limit(bot.0.id());
    for update in &refused {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if post(&http, port, update).await == Some(200) {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the webhook never took the update again"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
    let everyone = taken.len() + refused.len();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let mut chats: Vec<i64> = fake.sent().iter().map(|s| s.chat_id).collect();
        chats.sort_unstable();
        chats.dedup();
        if chats.len() == everyone {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {} of {everyone} strangers answered after the disk had room again",
            chats.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let ready = http
        .get(format!("http://127.0.0.1:{port}/readyz"))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    drop(bot);
    let log = log.join().unwrap();
    assert!(
        !log.contains("non-zero transaction depth"),
        "a connection stayed inside a failed transaction:\n{log}"
    );
    store.close().await;
}
