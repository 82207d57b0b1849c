//! A stopgap in front of the fake Bot API for one answer it gets wrong: teloxide 0.17 cannot
//! parse the fake's getMe (it lacks the required `has_main_web_app`), so the bot would not
//! start. The shim answers a connection whose first request is getMe itself, and splices every
//! other connection byte for byte to the fake: after start-up no HTTP is parsed here, only
//! copied. [`needed`] asks teloxide whether the fake's own getMe parses, so once the fake is
//! fixed the benchmark talks to it directly and this file can go.

use std::net::SocketAddr;

use teloxide::requests::Requester;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use branchbot::testkit::fake_telegram::BOT_USERNAME;

/// Whether teloxide fails to read the fake's getMe answer.
pub async fn needed(api_url: &str) -> bool {
    let bot = teloxide::Bot::new("123:probe").set_api_url(api_url.parse().expect("fake API URL"));
    bot.get_me().await.is_err()
}

/// Starts the shim on an ephemeral port of 127.0.0.1, in front of the fake at `fake`.
pub async fn start(fake: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind the getMe shim");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        while let Ok((conn, _)) = listener.accept().await {
            tokio::spawn(async move {
                if let Err(e) = serve(conn, fake).await {
                    tracing::debug!(error = %e, "getMe shim connection ended");
                }
            });
        }
    });
    addr
}

async fn serve(mut client: TcpStream, fake: SocketAddr) -> std::io::Result<()> {
    client.set_nodelay(true)?;
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let is_get_me = head.lines().next().is_some_and(|l| l.contains("/getme "));
    if !is_get_me {
        let mut upstream = TcpStream::connect(fake).await?;
        upstream.set_nodelay(true)?;
        upstream.write_all(&buf).await?;
        tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
        return Ok(());
    }
    // Read the request body to its end before answering and closing, so the close is clean.
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = serde_json::json!({"ok": true, "result": {
        "id": 1, "is_bot": true, "first_name": "Branch Bot", "username": BOT_USERNAME,
        "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
        "can_connect_to_business": false, "has_main_web_app": false
    }})
    .to_string();
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    client.write_all(answer.as_bytes()).await?;
    client.shutdown().await
}
