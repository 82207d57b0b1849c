//! The callback's door: URL verification, forged and stale requests, another organisation's
//! messages, broken ciphertexts and bodies, replays, and unknown userids.

use branchbot::testkit::fake_wecom::{Callbacks, CORP_ID};

use super::{msg_id, now_secs, spawn_wecom, LIU};

const INBOX_WECOM: &str = "SELECT COUNT(*) FROM inbox WHERE channel = 'wecom'";

#[tokio::test]
async fn the_url_check_is_answered_with_the_decrypted_echostr_and_a_forged_one_with_403() {
    let app = spawn_wecom().await;
    let query = app.calls.verify_query("8613123456789", now_secs());
    let r = app
        .http
        .get(format!("{}?{query}", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "8613123456789");
    let forged = query.replacen("msg_signature=", "msg_signature=0", 1);
    let r = app
        .http
        .get(format!("{}?{forged}", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = app.http.get(app.url()).send().await.unwrap();
    assert_eq!(r.status(), 400, "no echostr");
    app.stop().await;
}

#[tokio::test]
async fn a_forged_or_unsigned_message_is_refused_with_403_and_nothing_is_stored() {
    let app = spawn_wecom().await;
    let xml = app.calls.text_xml(LIU, "1", msg_id());
    let (query, body) = app.calls.post(&xml, now_secs());
    // One hex digit changed.
    let sig_at = query.find("msg_signature=").unwrap() + "msg_signature=".len();
    let mut tampered = query.clone().into_bytes();
    tampered[sig_at] = if tampered[sig_at] == b'a' { b'b' } else { b'a' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert_eq!(app.post_raw(&tampered, body.clone()).await.status(), 403);
    // The right signature over another ciphertext.
    let (_, other_body) = app
        .calls
        .post(&app.calls.text_xml(LIU, "2", msg_id()), now_secs());
    assert_eq!(app.post_raw(&query, other_body).await.status(), 403);
    // No signature at all.
    let bare = query.split('&').skip(1).collect::<Vec<_>>().join("&");
    assert_eq!(app.post_raw(&bare, body).await.status(), 403);
    assert_eq!(app.count(INBOX_WECOM).await, 0);
    assert!(app.wecom.sent().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_stale_timestamp_is_refused_even_with_a_good_signature() {
    let app = spawn_wecom().await;
    let xml = app.calls.text_xml(LIU, "1", msg_id());
    for skew in [-301, 301, -3600] {
        let (query, body) = app.calls.post(&xml, now_secs() + skew);
        assert_eq!(app.post_raw(&query, body).await.status(), 403, "{skew}");
    }
    let (query, body) = app.calls.post(&xml, now_secs() - 200);
    assert_eq!(app.post_raw(&query, body).await.status(), 200);
    app.stop().await;
}

#[tokio::test]
async fn another_organisations_message_and_broken_bodies_get_400_and_nothing_is_stored() {
    let app = spawn_wecom().await;
    // Signed with our token and key, but sealed for another CorpID.
    let other = Callbacks::new("ww0000000000000000");
    let (query, body) = other.post(&app.calls.text_xml(LIU, "1", msg_id()), now_secs());
    assert_eq!(app.post_raw(&query, body).await.status(), 400);
    // Decrypts, but is not XML; and XML without what a message needs.
    for inner in [
        "hello, not xml",
        "<xml><MsgType>text</MsgType>",
        "<xml><MsgType>text</MsgType><FromUserName>T004</FromUserName></xml>",
    ] {
        let (query, body) = app.calls.post(inner, now_secs());
        assert_eq!(app.post_raw(&query, body).await.status(), 400, "{inner}");
    }
    // Envelopes that are not XML, have no Encrypt, or carry a truncated ciphertext.
    let ts = now_secs().to_string();
    for body in [
        "garbage".to_owned(),
        format!("<xml><ToUserName>{CORP_ID}</ToUserName></xml>"),
        "<xml><Encrypt>".to_owned(),
    ] {
        let r = app
            .post_raw(
                &format!("msg_signature=x&timestamp={ts}&nonce=1"),
                body.clone(),
            )
            .await;
        assert_eq!(r.status(), 400, "{body}");
    }
    // A correctly signed ciphertext cut short (bad length / padding).
    let crypto = branchbot::channels::wecom::crypto::Crypto::new(
        branchbot::testkit::fake_wecom::TOKEN,
        branchbot::testkit::fake_wecom::AES_KEY,
        CORP_ID,
    )
    .unwrap();
    let good = crypto.encrypt(&app.calls.text_xml(LIU, "1", msg_id()), [3; 16]);
    for cut in [&good[..good.len() - 24], &good[..44], "AAAA"] {
        let sig = crypto.signature(&ts, "7", cut);
        let body = format!("<xml><Encrypt><![CDATA[{cut}]]></Encrypt></xml>");
        let r = app
            .post_raw(&format!("msg_signature={sig}&timestamp={ts}&nonce=7"), body)
            .await;
        assert_eq!(r.status(), 400, "{cut}");
    }
    assert_eq!(app.count(INBOX_WECOM).await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_message_wecom_sends_again_is_answered_once() {
    let app = spawn_wecom().await;
    let xml = app.calls.text_xml(LIU, "/help", msg_id());
    for _ in 0..3 {
        let r = app.post(&xml).await;
        assert_eq!(r.status(), 200);
    }
    let texts = app.wait_texts(LIU, 1).await;
    assert!(!texts[0].is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(app.texts(LIU).len(), 1, "{:#?}", app.texts(LIU));
    assert_eq!(app.count(INBOX_WECOM).await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_userid_gets_one_short_explanation_a_day_and_nothing_about_it_is_kept() {
    let app = spawn_wecom().await;
    let first = app.ask("zhangsan", "你好", 1).await;
    assert_eq!(
        first[0],
        "您好，这里是党建助手。您的企业微信账号不在党员名单中，暂时无法为您服务；如有疑问，请联系所在支部书记。"
    );
    app.say("zhangsan", "在吗？").await;
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(app.texts("zhangsan").len(), 1, "answered once a day");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM bindings WHERE channel = 'wecom' AND address = 'zhangsan'")
            .await,
        0
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE channel = 'wecom' AND status = 'pending'")
            .await,
        0,
        "what a stranger wrote never waits for the engine"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_known_userid_needs_no_invite_code() {
    let app = spawn_wecom().await;
    let help = app.ask(LIU, "/me", 1).await;
    assert!(help[0].contains("刘洋"), "{}", help[0]);
    assert_eq!(app.count("SELECT COUNT(*) FROM invites").await, 0);
    app.stop().await;
}
