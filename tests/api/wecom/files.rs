//! A notice's file over WeCom, on SQLite and PostgreSQL: the secretary sends a PDF or a photo
//! with a notice, WeCom recipients get the notice and then the file itself (`file` or `image`),
//! uploaded once with `media/upload` and sent to everyone by the same media_id.

use std::time::Duration;

use branchbot::testkit::fake_wecom::{FakeWecom, Sent};

use super::{msg_id, spawn_wecom_with, WecomApp, WANG};
use crate::chat_files::{jpeg, pdf};
use crate::helpers::{Db, WAIT};

crate::on_both!(
    a_notice_s_pdf_is_uploaded_to_wecom_once_and_sent_to_every_recipient_after_the_notice,
    a_notice_s_photo_goes_to_wecom_recipients_as_an_image,
);

/// The app with its files in a folder of its own (removed by the caller).
async fn app_with_files(db: Db) -> Option<(WecomApp, std::path::PathBuf)> {
    let folder = std::env::temp_dir().join(format!(
        "branchbot-wecom-notice-files-{:016x}",
        rand::random::<u64>()
    ));
    let dir = folder.display().to_string();
    let app = spawn_wecom_with(db, FakeWecom::start().await, move |c| {
        c.attachments.folder = dir;
    })
    .await?;
    Some((app, folder))
}

/// 王建国 composes a notice over WeCom and sends it with the file the fake holds under
/// `media`, posted by `post`; returns the preview's file line.
async fn compose_and_send(app: &WecomApp, text: &str, post: String) -> String {
    app.ask(WANG, "/notice", 1).await;
    app.ask(WANG, "全支部党员", 1).await;
    app.ask(WANG, text, 1).await;
    app.ask(WANG, "需要", 1).await;
    app.ask(WANG, "不紧急", 1).await;
    let preview = app.ask(WANG, "不自动提醒", 1).await;
    assert!(
        preview[0].contains("需要随通知发送文件，可以现在把文件发给我。"),
        "{}",
        preview[0]
    );
    let before = app.texts(WANG).len();
    assert_eq!(app.post(&post).await.status(), 200);
    let preview = app.wait_texts(WANG, before + 1).await[before].clone();
    let sent = app.ask(WANG, "发送", 1).await;
    assert!(sent[0].starts_with("已发送（通知 #1，"), "{}", sent[0]);
    preview
}

/// The userids the notice went to over WeCom.
async fn wecom_recipients(app: &WecomApp) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT m.key FROM notice_recipients r JOIN members m ON m.id = r.member_id \
         WHERE r.notice_id = 1 AND r.channel = 'wecom' ORDER BY m.key",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap()
}

/// Waits until `userid` got a message of `msgtype`; returns everything sent to them.
async fn wait_media(app: &WecomApp, userid: &str, msgtype: &str) -> Vec<Sent> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = app.wecom.sent_to(userid);
        if got.iter().any(|s| s.msgtype == msgtype) {
            return got;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {msgtype} message to {userid}: {got:#?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn a_notice_s_pdf_is_uploaded_to_wecom_once_and_sent_to_every_recipient_after_the_notice(
    db: Db,
) {
    let Some((app, folder)) = app_with_files(db).await else {
        return;
    };
    app.wecom.add_media("MEDIA-PDF", &pdf());
    let text = "请阅读附件中的会议安排。";
    let post = app
        .calls
        .file_xml(WANG, "MEDIA-PDF", "会议安排.pdf", msg_id());
    let preview = compose_and_send(&app, text, post).await;
    assert!(
        preview.contains(
            "\n附件：会议安排.pdf（Telegram 和企业微信收件人随通知收到文件，其他人收到文件名）\n"
        ),
        "{preview}"
    );
    let recipients = wecom_recipients(&app).await;
    assert!(recipients.len() >= 2, "{recipients:?}");
    for userid in &recipients {
        wait_media(&app, userid, "file").await;
    }
    // One upload: the stored PDF, under its name, as a `file`.
    let uploads = app.wecom.uploads();
    assert_eq!(uploads.len(), 1, "uploaded once: {uploads:#?}");
    assert_eq!(uploads[0].bytes, pdf());
    assert_eq!(uploads[0].filename, "会议安排.pdf");
    assert_eq!(uploads[0].media_type, "file");
    assert_eq!(uploads[0].content_type, "application/pdf");
    let media_id = uploads[0].media_id.clone();
    for userid in &recipients {
        let got = app.wecom.sent_to(userid);
        let notice = got
            .iter()
            .position(|s| s.msgtype == "text" && s.text.contains(text))
            .unwrap_or_else(|| panic!("no notice to {userid}: {got:#?}"));
        assert!(
            !got[notice].text.contains("Telegram") && !got[notice].text.contains("附件："),
            "the file comes itself, not a line about it: {}",
            got[notice].text
        );
        let files: Vec<(usize, &Sent)> = got
            .iter()
            .enumerate()
            .filter(|(_, s)| s.msgtype == "file")
            .collect();
        assert_eq!(files.len(), 1, "one file to {userid}: {got:#?}");
        assert!(files[0].0 > notice, "the file after the notice: {got:#?}");
        assert_eq!(files[0].1.media_id.as_deref(), Some(media_id.as_str()));
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM wecom_media").await, 1);
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'wecom' AND attachment_id IS NOT NULL \
         AND status = 'sent'",
        recipients.len() as i64,
    )
    .await;
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_notice_s_photo_goes_to_wecom_recipients_as_an_image(db: Db) {
    let Some((app, folder)) = app_with_files(db).await else {
        return;
    };
    app.wecom.add_media("MEDIA-JPG", &jpeg());
    let post = app.calls.image_xml(WANG, "MEDIA-JPG", msg_id());
    compose_and_send(&app, "活动现场照片。", post).await;
    let recipients = wecom_recipients(&app).await;
    assert!(recipients.len() >= 2, "{recipients:?}");
    for userid in &recipients {
        let got = wait_media(&app, userid, "image").await;
        assert!(got.iter().all(|s| s.msgtype != "file"), "{got:#?}");
    }
    let uploads = app.wecom.uploads();
    assert_eq!(uploads.len(), 1, "uploaded once: {uploads:#?}");
    assert_eq!(uploads[0].media_type, "image");
    assert_eq!(uploads[0].content_type, "image/jpeg");
    // The stored photo: its GPS position was stripped before anyone got it.
    assert!(uploads[0].bytes.starts_with(&[0xFF, 0xD8]));
    assert!(!uploads[0].bytes.windows(9).any(|w| w == b"GPSMARKER"));
    let stored: i64 =
        sqlx::query_scalar("SELECT size FROM attachments WHERE owner_kind = 'notice'")
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(uploads[0].bytes.len() as i64, stored);
    for userid in &recipients {
        let images: Vec<Sent> = app
            .wecom
            .sent_to(userid)
            .into_iter()
            .filter(|s| s.msgtype == "image")
            .collect();
        assert_eq!(images.len(), 1);
        assert_eq!(
            images[0].media_id.as_deref(),
            Some(uploads[0].media_id.as_str())
        );
    }
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

crate::on_both!(an_uploaded_media_id_is_reused_for_two_and_a_half_days_and_uploaded_again_after);

/// The sender alone against the fake: the media_id is reused while young, uploaded again once
/// older than 2.5 days, and forgotten (the row retried, then uploaded again) when WeCom no
/// longer knows it.
async fn an_uploaded_media_id_is_reused_for_two_and_a_half_days_and_uploaded_again_after(db: Db) {
    use std::sync::Arc;

    use branchbot::attachments::storage::{Backend, Folder};
    use branchbot::attachments::{service, Files, Upload};
    use branchbot::channels::wecom::api::Api;
    use branchbot::channels::wecom::quota::Quota;
    use branchbot::channels::wecom::sender::{SenderLimits, WecomSender};
    use branchbot::clock::Clock;
    use branchbot::config::sms::Secret;
    use branchbot::delivery::{ChannelSender, Outgoing, SendError};
    use branchbot::i18n::{Catalog, Locale};
    use branchbot::store::Store;
    use branchbot::testkit::fake_wecom;

    let Some(test_db) = crate::helpers::TestDb::new(db).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let files = Files::new(
        Backend::Folder(Folder::new(dir.path().join("attachments"))),
        10 * 1024 * 1024,
        vec!["application/pdf"],
    );
    let store = Store::open(&test_db.url).await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    let upload = Upload {
        bytes: &pdf(),
        declared_name: Some("材料清单.pdf"),
        uploaded_by: None,
        at: chrono::Utc::now(),
    };
    let file = service::accept(&files, &mut conn, upload)
        .await
        .unwrap()
        .unwrap();
    drop(conn);
    let fake = FakeWecom::start().await;
    let api = Arc::new(Api::new(
        reqwest::Client::new(),
        &fake.base_url(),
        fake_wecom::CORP_ID,
        fake_wecom::AGENT_ID,
        Secret::new(fake_wecom::SECRET),
        store.clone(),
        Clock::System,
    ));
    let sender = WecomSender::new(
        api,
        store.clone(),
        Arc::new(Catalog::load().unwrap()),
        Clock::System,
        Locale::ZhCn,
        chrono_tz::Asia::Shanghai,
        SenderLimits {
            quota: Quota {
                per_minute: 30,
                per_hour: 1000,
            },
            daily_cap: None,
            cards: true,
        },
    )
    .with_files(files);
    let row = |id: i64, to: &str| Outgoing {
        id,
        address: to.into(),
        text: "通知附件：材料清单.pdf".into(),
        choices: vec![],
        member_id: None,
        urgent: false,
        attachment: Some(file.id),
    };
    sender.send(&row(1, "T002")).await.unwrap();
    sender.send(&row(2, "T003")).await.unwrap();
    assert_eq!(fake.uploads().len(), 1, "reused while young");
    // Two days and a half later: uploaded again, the new media_id kept.
    sqlx::query("UPDATE wecom_media SET uploaded_at = uploaded_at - 216000001")
        .execute(store.pool())
        .await
        .unwrap();
    sender.send(&row(3, "T004")).await.unwrap();
    let uploads = fake.uploads();
    assert_eq!(uploads.len(), 2, "{uploads:#?}");
    assert_ne!(uploads[0].media_id, uploads[1].media_id);
    assert_eq!(
        fake.sent_to("T004")[0].media_id.as_deref(),
        Some(uploads[1].media_id.as_str())
    );
    // WeCom forgot it early: the send fails for now, the media_id is forgotten, the retry
    // uploads again.
    fake.forget_media(&uploads[1].media_id);
    let failed = sender.send(&row(4, "T005")).await;
    assert!(matches!(failed, Err(SendError::Transient(_))), "{failed:?}");
    let kept: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM wecom_media")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0);
    sender.send(&row(4, "T005")).await.unwrap();
    assert_eq!(fake.uploads().len(), 3);
    let to_t005 = fake.sent_to("T005");
    assert_eq!(to_t005.len(), 1);
    assert_eq!(to_t005[0].msgtype, "file");
    store.close().await;
}
