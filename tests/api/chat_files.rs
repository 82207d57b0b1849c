//! Photos and files sent in chat, over the fake Telegram (getFile and the file URL, real HTTP on
//! 127.0.0.1), on SQLite and PostgreSQL: attached to a meeting and counted in its record, an
//! activity's photos, refusals (an executable renamed .jpg, 50 MB refused before any download,
//! a path in the file name), a feedback exchange that takes no file, a stranger, a fetch that
//! fails for now and one that fails for good.

use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::time::Duration;

use branchbot::config::Config;
use branchbot::domain::meetings::MeetingKind;
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::testkit::fake_telegram::{Fault, Sent};
use chrono::{Datelike, TimeDelta, Utc};

use crate::feedback::load_targets;
use crate::helpers::{spawn_with, tap, Db, Spawn, TestApp, WAIT};

/// 黄晓明 (S101), the student branch's secretary, and 马超 (S103), a member.
const SECRETARY: i64 = 71_001;
const MEMBER: i64 = 71_003;

/// A small JPEG whose EXIF block holds a GPS position (stripped before it is stored).
pub fn jpeg() -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend([0xFF, 0xE0, 0x00, 0x10]);
    b.extend(b"JFIF\0");
    b.extend([0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
    let exif = b"Exif\0\0GPSMARKER-31.2304N-121.4737E";
    b.extend([0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
    b.extend(exif);
    b.extend([0xFF, 0xDB, 0x00, 0x43, 0x00]);
    b.extend([1u8; 64]);
    b.extend([
        0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
    ]);
    for class in [0x00, 0x10] {
        b.extend([0xFF, 0xC4, 0x00, 0x14, class, 0x01]);
        b.extend([0u8; 15]);
        b.push(0x00);
    }
    b.extend([0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    b.extend([0x00, 0xFF, 0xD9]);
    b
}

pub fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n".to_vec()
}

/// A Linux executable's first bytes.
fn elf() -> Vec<u8> {
    let mut b = b"\x7fELF\x02\x01\x01\x00".to_vec();
    b.extend([0u8; 120]);
    b
}

/// The folder a test's files are kept in: one per test database.
fn folder_of(database_url: &str) -> PathBuf {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    database_url.hash(&mut h);
    std::env::temp_dir().join(format!("branchbot-chat-files-{:x}", h.finish()))
}

fn own_folder(config: &mut Config) {
    config.attachments.folder = folder_of(&config.database_url).display().to_string();
}

/// Every file under `dir`, with its bytes.
fn stored(dir: &std::path::Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(stored(&p));
        } else if let Ok(b) = std::fs::read(&p) {
            out.push((p, b));
        }
    }
    out
}

/// The bot with the example college, 黄晓明 and 马超 bound, and a 党员大会 of the student
/// branch held two hours ago that both were expected at. Returns the app and the meeting.
async fn world(db: Db) -> Option<(TestApp, i64, PathBuf)> {
    let app = spawn_with(Spawn {
        db,
        tweak: Some(own_folder),
        ..Spawn::default()
    })
    .await?;
    let folder = folder_of(&app.config().database_url);
    let _ = std::fs::remove_dir_all(&folder);
    app.bind(SECRETARY, "S101").await;
    app.bind(MEMBER, "S103").await;
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM members WHERE key IN ('S101', 'S102', 'S103', 'S104') ORDER BY key",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM members WHERE key = 'S101'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let start = Utc::now() - TimeDelta::hours(2);
    let mut tx = app.store.begin().await.unwrap();
    let meeting = meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: start.timestamp_millis(),
            ends_at: (start + TimeDelta::hours(1)).timestamp_millis(),
            place: "党员活动室".into(),
            topic: "学习党章".into(),
            created_by: Some(ids[0]),
            attendees: ids,
            signin_code: "4711".into(),
        },
        start.timestamp_millis(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Some((app, meeting, folder))
}

/// The meeting's button label: "12月7日 党员大会" (the day in Asia/Shanghai).
fn meeting_label() -> String {
    let day = (Utc::now() - TimeDelta::hours(2)).with_timezone(&chrono_tz::Asia::Shanghai);
    format!("{}月{}日 党员大会", day.month(), day.day())
}

/// Delivers an update from `chat` and returns the `n` replies that follow.
async fn send(app: &TestApp, chat: i64, update: serde_json::Value, n: usize) -> Vec<Sent> {
    let before = app.fake.sent_to(chat).len();
    app.deliver(update).await;
    app.fake.wait_sent(chat, before + n, WAIT).await[before..].to_vec()
}

async fn photo(app: &TestApp, chat: i64, bytes: &[u8]) -> Vec<Sent> {
    let id = app.fake.add_file(bytes);
    send(
        app,
        chat,
        app.fake.photo_update(chat, &id, bytes.len() as u64),
        1,
    )
    .await
}

async fn document(app: &TestApp, chat: i64, name: &str, bytes: &[u8]) -> Vec<Sent> {
    let id = app.fake.add_file(bytes);
    let update = app
        .fake
        .document_update(chat, &id, name, bytes.len() as u64);
    send(app, chat, update, 1).await
}

crate::on_both!(
    a_photo_and_a_document_are_fetched_attached_to_a_meeting_and_counted_in_its_record,
    an_executable_renamed_jpg_is_refused_and_nothing_is_kept,
    a_50_mb_document_is_refused_without_being_fetched,
    a_path_in_the_file_name_is_only_ever_a_name,
    a_file_in_a_feedback_exchange_is_refused_and_never_fetched_nor_kept,
    an_activity_is_logged_with_its_photos,
    a_fetch_that_fails_for_now_is_retried_and_one_that_fails_for_good_is_answered,
    a_stranger_s_photo_is_answered_with_how_to_bind_and_never_fetched,
);

async fn a_photo_and_a_document_are_fetched_attached_to_a_meeting_and_counted_in_its_record(
    db: Db,
) {
    let Some((app, meeting, folder)) = world(db).await else {
        return;
    };
    let label = meeting_label();
    let asked = photo(&app, MEMBER, &jpeg()).await;
    assert_eq!(asked[0].text, "收到（照片 1 张）。归到哪里？");
    assert_eq!(asked[0].labels(), [label.as_str(), "不归档"]);
    // getFile was asked for the largest of Telegram's three sizes only, and fetched once.
    let calls = app.fake.calls("getFile");
    assert_eq!(calls.len(), 1);
    assert!(!calls[0]["file_id"].as_str().unwrap().ends_with("-s"));
    assert_eq!(app.fake.downloads().len(), 1);
    let done = tap(&app, MEMBER, &asked[0], &label, 1).await;
    assert_eq!(done[0].text, format!("已附到 {label} 的记录：照片 1 张"));

    let asked = document(&app, MEMBER, "会议签到表.pdf", &pdf()).await;
    assert_eq!(asked[0].text, "收到（文件 1 个）。归到哪里？");
    let done = tap(&app, MEMBER, &asked[0], &label, 1).await;
    assert_eq!(done[0].text, format!("已附到 {label} 的记录：文件 1 个"));
    // A second tap on the old question changes nothing.
    let again = tap(&app, MEMBER, &asked[0], &label, 1).await;
    assert_eq!(again[0].text, "这些文件已经归档了。");

    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT kind, content_type, display_name FROM attachments \
         WHERE owner_kind = 'meeting' AND owner_id = $1 ORDER BY id",
    )
    .bind(meeting)
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[0].0, "photo");
    assert_eq!(rows[0].1, "image/jpeg");
    assert_eq!(
        rows[1],
        (
            "document".into(),
            "application/pdf".into(),
            "会议签到表.pdf".into()
        )
    );
    // The photo was stored without its GPS position.
    let objects = stored(&folder);
    assert_eq!(
        objects.len(),
        2,
        "{:?}",
        objects.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    for (path, bytes) in &objects {
        assert!(
            !String::from_utf8_lossy(bytes).contains("GPSMARKER"),
            "{path:?} keeps the photo's GPS position"
        );
    }

    // The meeting's record in chat says what it holds.
    let view = app
        .ask(SECRETARY, &format!("/attendance {meeting}"), 1)
        .await;
    assert!(
        view[0].text.ends_with("附件：照片 1 张、文件 1 个"),
        "{}",
        view[0].text
    );
    app.ask(SECRETARY, &format!("/minutes {meeting}"), 1).await;
    // A photo of the sign-in sheet sent while the minutes are asked for goes to the meeting.
    let sheet = photo(&app, SECRETARY, &jpeg()).await;
    assert_eq!(
        sheet[0].text,
        format!("已附到 {label} 的记录：照片 1 张\n请继续输入会议记录正文。")
    );
    let minutes = app
        .ask(SECRETARY, "主持人：黄晓明\n记录人：孙丽\n学习了党章。", 1)
        .await;
    assert!(
        minutes[0].text.ends_with("附件：照片 2 张、文件 1 个"),
        "{}",
        minutes[0].text
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn an_executable_renamed_jpg_is_refused_and_nothing_is_kept(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    let refused = document(&app, MEMBER, "会议照片.jpg", &elf()).await;
    assert!(
        refused[0]
            .text
            .starts_with("只保存照片（JPEG、PNG、WebP、GIF）和文档"),
        "{}",
        refused[0].text
    );
    assert!(refused[0].text.ends_with("未保存。"), "{}", refused[0].text);
    assert!(refused[0].buttons.is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    assert!(stored(&folder).is_empty());
    // An empty file is refused too, before it is fetched.
    let update = app.fake.document_update(MEMBER, "EMPTY", "空.pdf", 0);
    let empty = send(&app, MEMBER, update, 1).await;
    assert_eq!(empty[0].text, "文件为空，未保存。");
    assert_eq!(app.fake.calls("getFile").len(), 1);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_50_mb_document_is_refused_without_being_fetched(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    let update = app
        .fake
        .document_update(MEMBER, "BIGFILE", "全年会议录像.pdf", 50 * 1024 * 1024);
    let refused = send(&app, MEMBER, update, 1).await;
    assert_eq!(
        refused[0].text,
        "文件超过 10 MB，未保存。请发送较小的文件。"
    );
    assert!(
        app.fake.calls("getFile").is_empty(),
        "Telegram was asked for it"
    );
    assert!(app.fake.downloads().is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_path_in_the_file_name_is_only_ever_a_name(db: Db) {
    let Some((app, meeting, folder)) = world(db).await else {
        return;
    };
    let asked = document(&app, MEMBER, "../../../../tmp/cron.d/evil.pdf", &pdf()).await;
    let done = tap(&app, MEMBER, &asked[0], &meeting_label(), 1).await;
    assert!(done[0].text.ends_with("文件 1 个"), "{}", done[0].text);
    let (name, key): (String, String) =
        sqlx::query_as("SELECT display_name, object_key FROM attachments WHERE owner_id = $1")
            .bind(meeting)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
    assert_eq!(name, "evil.pdf");
    assert!(!key.contains("evil") && !key.contains(".."), "{key}");
    assert!(!std::path::Path::new("/tmp/cron.d/evil.pdf").exists());
    let objects = stored(&folder);
    assert_eq!(objects.len(), 1);
    assert!(objects[0].0.starts_with(&folder));
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_file_in_a_feedback_exchange_is_refused_and_never_fetched_nor_kept(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    load_targets(&app).await;
    let intro = app.ask(MEMBER, "/start fb_D12-305", 1).await;
    let ask = tap(&app, MEMBER, &intro[0], "满意", 1).await;
    assert_eq!(ask[0].text, "想补充几句吗？（可跳过）");
    let refused = photo(&app, MEMBER, &jpeg()).await;
    assert_eq!(
        refused[0].text,
        "匿名反馈只收文字：照片和文件可能透露您的身份，不会被接收或保存。请用文字写下您的意见。"
    );
    assert_eq!(refused[0].labels(), ["跳过"]);
    let thanks = app.ask(MEMBER, "很干净", 1).await;
    assert!(thanks[0].text.starts_with("谢谢！"), "{}", thanks[0].text);
    assert!(
        app.fake.calls("getFile").is_empty(),
        "the photo was asked for"
    );
    assert!(app.fake.downloads().is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    assert!(stored(&folder).is_empty());
    // The refusal went out like every anonymous reply: without the member, erased once sent.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')",
        0,
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL")
            .await,
        0
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn an_activity_is_logged_with_its_photos(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    let kinds = app.ask(MEMBER, "/activity", 1).await;
    tap(&app, MEMBER, &kinds[0], "志愿服务", 1).await;
    app.ask(MEMBER, "今天", 1).await;
    let pick = app.ask(MEMBER, "社区服务中心", 1).await;
    tap(&app, MEMBER, &pick[0], "完成", 1).await;
    let preview = app.ask(MEMBER, "为社区老人讲解智能手机的使用方法", 1).await;
    assert!(
        preview[0]
            .text
            .ends_with("可以现在发活动照片（可跳过），保存时一起归档。"),
        "{}",
        preview[0].text
    );
    photo(&app, MEMBER, &jpeg()).await;
    let preview = photo(&app, MEMBER, &jpeg()).await;
    assert!(
        preview[0]
            .text
            .ends_with("已添加 照片 2 张，保存时一起归档；还可以继续发。"),
        "{}",
        preview[0].text
    );
    assert_eq!(preview[0].labels(), ["保存", "取消"]);
    let saved = tap(&app, MEMBER, &preview[0], "保存", 1).await;
    assert!(
        saved[0].text.ends_with("\n活动照片已归档：照片 2 张"),
        "{}",
        saved[0].text
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM attachments a JOIN activities v ON v.id = a.owner_id \
             WHERE a.owner_kind = 'activity' AND a.kind = 'photo'"
        )
        .await,
        2
    );
    // A photo sent later finds the activity among the member's recent records.
    let asked = photo(&app, MEMBER, &jpeg()).await;
    let day = Utc::now().with_timezone(&chrono_tz::Asia::Shanghai);
    let activity = format!("{}月{}日 志愿服务", day.month(), day.day());
    assert!(
        asked[0].labels().contains(&activity),
        "{:?}",
        asked[0].labels()
    );
    let kept = tap(&app, MEMBER, &asked[0], "不归档", 1).await;
    assert_eq!(kept[0].text, "好的，不归档：这个文件不会出现在任何记录里。");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attachments WHERE owner_id IS NULL")
            .await,
        1
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_fetch_that_fails_for_now_is_retried_and_one_that_fails_for_good_is_answered(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    // Telegram's file service answers 502 once: the update waits and is tried again.
    app.fake.file_fault(Fault::ServerError(502));
    let id = app.fake.add_file(&jpeg());
    let before = app.fake.sent_to(MEMBER).len();
    app.deliver(app.fake.photo_update(MEMBER, &id, jpeg().len() as u64))
        .await;
    let sent = app
        .fake
        .wait_sent(MEMBER, before + 1, WAIT + Duration::from_secs(10))
        .await;
    assert_eq!(sent[before].text, "收到（照片 1 张）。归到哪里？");
    assert_eq!(app.fake.calls("getFile").len(), 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
    // Other chats were not held up meanwhile, and nothing is left pending.
    app.eventually("SELECT COUNT(*) FROM inbox WHERE status = 'pending'", 0)
        .await;

    // A file Telegram does not know (400): told at once, nothing kept.
    let update = app.fake.document_update(MEMBER, "GONE", "记录.pdf", 2_000);
    let failed = send(&app, MEMBER, update, 1).await;
    assert_eq!(
        failed[0].text,
        "抱歉，这个文件没能取到，未保存。请稍后重新发送一次。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 1);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

async fn a_stranger_s_photo_is_answered_with_how_to_bind_and_never_fetched(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    let told = photo(&app, 79_999, &jpeg()).await;
    assert!(
        told[0].text.contains("您还没有绑定身份"),
        "{}",
        told[0].text
    );
    assert!(app.fake.calls("getFile").is_empty());
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

/// An MMS (a picture and no text) through Twilio: the member is told how files are sent.
#[tokio::test]
async fn an_mms_is_answered_with_how_to_send_photos_and_files_instead() {
    use branchbot::channels::sms::twilio;
    use branchbot::config::sms::GatewayKind;
    use branchbot::testkit::fake_sms;

    use crate::sms::{fresh_id, spawn_sms, twilio_sid, LIU, PUBLIC_URL};

    let app = spawn_sms(GatewayKind::Twilio).await;
    let sid = twilio_sid(&fresh_id());
    let params: Vec<(String, String)> = [
        ("MessageSid", sid.as_str()),
        ("AccountSid", fake_sms::TWILIO_SID),
        ("From", LIU),
        ("To", "+15005550006"),
        ("Body", ""),
        ("NumMedia", "1"),
        ("MediaContentType0", "image/jpeg"),
        (
            "MediaUrl0",
            "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1",
        ),
    ]
    .iter()
    .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
    .collect();
    let url = format!("{PUBLIC_URL}{}", twilio::PATH);
    let mut headers = axum::http::HeaderMap::new();
    let sig = twilio::signature(fake_sms::TWILIO_TOKEN, &url, &params);
    headers.insert(twilio::HEADER, sig.parse().unwrap());
    headers.insert(
        "content-type",
        "application/x-www-form-urlencoded".parse().unwrap(),
    );
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&params)
        .finish()
        .into_bytes();
    let r = app.post(headers, body).await;
    assert_eq!(r.status(), 200);
    let sent = app.sms.wait_sent(LIU, 1, WAIT).await;
    assert_eq!(
        sent[0].text,
        "短信无法接收照片和文件。请在 Telegram 或企业微信里把照片、文件发给本机器人，再选择归到哪次会议、践诺填报或活动。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM attachments").await, 0);
    app.stop().await;
}

crate::on_both!(a_wecom_picture_is_fetched_with_media_get_and_attached_to_a_meeting);

/// A picture sent to the WeCom app: fetched with `media/get` by its MediaId, attached by a
/// typed option number.
async fn a_wecom_picture_is_fetched_with_media_get_and_attached_to_a_meeting(db: Db) {
    use branchbot::testkit::fake_wecom::FakeWecom;

    use crate::wecom::{msg_id, spawn_wecom_with, LIU};

    let folder = std::env::temp_dir().join(format!(
        "branchbot-chat-files-wecom-{:016x}",
        rand::random::<u64>()
    ));
    let dir = folder.display().to_string();
    let Some(app) = spawn_wecom_with(db, FakeWecom::start().await, move |c| {
        c.attachments.folder = dir;
    })
    .await
    else {
        return;
    };
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM members WHERE key IN ('T001', 'T004') ORDER BY key")
            .fetch_all(app.store.pool())
            .await
            .unwrap();
    let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM members WHERE key = 'T004'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let start = Utc::now() - TimeDelta::hours(2);
    let mut tx = app.store.begin().await.unwrap();
    meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::General,
            starts_at: start.timestamp_millis(),
            ends_at: (start + TimeDelta::hours(1)).timestamp_millis(),
            place: "党员活动室".into(),
            topic: "学习党章".into(),
            created_by: Some(ids[0]),
            attendees: ids,
            signin_code: "5812".into(),
        },
        start.timestamp_millis(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    app.wecom.add_media("MEDIA-7", &jpeg());
    let before = app.texts(LIU).len();
    let r = app
        .post(&app.calls.image_xml(LIU, "MEDIA-7", msg_id()))
        .await;
    assert_eq!(r.status(), 200);
    let asked = app.wait_texts(LIU, before + 1).await[before].clone();
    assert!(
        asked.starts_with("收到（照片 1 张）。归到哪里？"),
        "{asked}"
    );
    assert_eq!(app.wecom.media_calls(), ["MEDIA-7"]);
    let done = app.ask(LIU, "1", 1).await;
    assert_eq!(
        done[0],
        format!("已附到 {} 的记录：照片 1 张", meeting_label())
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attachments WHERE owner_kind = 'meeting'")
            .await,
        1
    );
    // A MediaId WeCom no longer knows (40007): told at once, nothing kept.
    let before = app.texts(LIU).len();
    app.post(&app.calls.image_xml(LIU, "MEDIA-GONE", msg_id()))
        .await;
    let failed = app.wait_texts(LIU, before + 1).await[before].clone();
    assert_eq!(
        failed,
        "抱歉，这个文件没能取到，未保存。请稍后重新发送一次。"
    );
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

crate::on_both!(a_notice_comes_with_its_file_uploaded_to_telegram_once);

/// The secretary sends a notice with a PDF: each Telegram recipient gets the notice and then
/// the file; the file is uploaded once and every other recipient gets it by its file_id.
async fn a_notice_comes_with_its_file_uploaded_to_telegram_once(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    app.bind(71_002, "S102").await;
    app.bind(71_004, "S104").await;
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    tap(&app, SECRETARY, &scope[0], "全支部党员", 1).await;
    let confirm = app.ask(SECRETARY, "请阅读附件中的会议安排。", 1).await;
    let urgent = tap(&app, SECRETARY, &confirm[0], "需要", 1).await;
    let plans = tap(&app, SECRETARY, &urgent[0], "紧急", 1).await;
    let preview = tap(&app, SECRETARY, &plans[0], "不自动提醒", 1).await;
    assert!(
        preview[0]
            .text
            .ends_with("\n需要随通知发送文件，可以现在把文件发给我。"),
        "{}",
        preview[0].text
    );
    let preview = document(&app, SECRETARY, "会议安排.pdf", &pdf()).await;
    assert!(
        preview[0].text.ends_with(
            "\n附件：会议安排.pdf（Telegram 和企业微信收件人随通知收到文件，其他人收到文件名）"
        ),
        "{}",
        preview[0].text
    );
    assert_eq!(preview[0].labels(), ["发送", "修改", "取消"]);
    let recipients = [71_002, MEMBER, 71_004];
    let before: Vec<usize> = recipients
        .iter()
        .map(|c| app.fake.sent_to(*c).len())
        .collect();
    let sent = tap(&app, SECRETARY, &preview[0], "发送", 1).await;
    assert!(
        sent[0].text.starts_with("已发送（通知 #1，3 人）"),
        "{}",
        sent[0].text
    );

    for (chat, before) in recipients.into_iter().zip(before) {
        let got = app.fake.wait_sent(chat, before + 2, WAIT).await;
        let n = got.len();
        assert!(
            got[n - 2].text.contains("请阅读附件中的会议安排。"),
            "{got:#?}"
        );
        assert_eq!(got[n - 1].text, "通知附件：会议安排.pdf");
    }
    let uploads = app.fake.uploads();
    assert_eq!(uploads.len(), 3, "{uploads:#?}");
    let first: Vec<_> = uploads.iter().filter(|u| u.uploaded.is_some()).collect();
    assert_eq!(first.len(), 1, "uploaded once: {uploads:#?}");
    assert_eq!(
        first[0].uploaded,
        Some(("会议安排.pdf".to_owned(), pdf().len()))
    );
    assert!(uploads.iter().all(|u| u.method == "senddocument"));
    assert!(uploads.iter().all(|u| u.file_id == first[0].file_id));
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attachments WHERE owner_kind = 'notice' AND owner_id = 1")
            .await,
        1
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM telegram_files").await, 1);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}

/// SMS recipients of a notice with a file get the text and a line naming the file.
#[tokio::test]
async fn an_sms_recipient_of_a_notice_with_a_file_gets_a_line_naming_it() {
    use branchbot::config::sms::GatewayKind;

    use crate::sms::spawn_sms;

    let app = spawn_sms(GatewayKind::Android).await;
    // 谢文博 (S201), the secretary, writes on Telegram; 宋 (S202) reads SMS only.
    let sec: i64 = 72_001;
    sqlx::query(
        "INSERT INTO bindings (channel, address, member_id, bound_at) \
         SELECT 'telegram', $1, id, 0 FROM members WHERE key = 'S201'",
    )
    .bind(sec.to_string())
    .execute(app.store.pool())
    .await
    .unwrap();
    let tg = &app.telegram;
    let tap_on = |msg: &Sent, label: &str| {
        let data = msg
            .data_of(label)
            .unwrap_or_else(|| panic!("{label} in {msg:#?}"));
        tg.callback_update(sec, msg.message_id, &data)
    };
    let scope = say(tg, sec, tg.text_update(sec, "/notice", "zh-hans")).await;
    say(tg, sec, tap_on(&scope, "全支部党员")).await;
    let confirm = say(tg, sec, tg.text_update(sec, "周五交材料。", "zh-hans")).await;
    let urgent = say(tg, sec, tap_on(&confirm, "需要")).await;
    let plans = say(tg, sec, tap_on(&urgent, "紧急")).await;
    say(tg, sec, tap_on(&plans, "不自动提醒")).await;
    let id = app.telegram.add_file(&pdf());
    let update = tg.document_update(sec, &id, "材料清单.pdf", pdf().len() as u64);
    let preview = say(tg, sec, update).await;
    assert!(
        preview.text.contains("附件：材料清单.pdf"),
        "{}",
        preview.text
    );
    say(tg, sec, tap_on(&preview, "发送")).await;
    let song = "+8613900030002";
    let got = app.sms.wait_sent(song, 1, WAIT).await;
    assert!(
        got[0]
            .text
            .contains("附件：材料清单.pdf（请向支部书记索取）"),
        "{}",
        got[0].text
    );
    app.stop().await;
}

/// Delivers an update from `chat` by getUpdates and returns the next message to it.
async fn say(
    tg: &branchbot::testkit::fake_telegram::FakeTelegram,
    chat: i64,
    update: serde_json::Value,
) -> Sent {
    let before = tg.sent_to(chat).len();
    tg.push(update);
    tg.wait_sent(chat, before + 1, WAIT).await[before].clone()
}

crate::on_both!(a_photo_is_evidence_for_the_member_s_current_pledge_check_in);

/// A member asked in this period's pledge check-in may attach a photo to it as evidence.
async fn a_photo_is_evidence_for_the_member_s_current_pledge_check_in(db: Db) {
    let Some((app, _, folder)) = world(db).await else {
        return;
    };
    let pool = app.store.pool();
    let member: i64 = sqlx::query_scalar("SELECT id FROM members WHERE key = 'S103'")
        .fetch_one(pool)
        .await
        .unwrap();
    let branch: i64 = sqlx::query_scalar("SELECT branch_id FROM members WHERE key = 'S103'")
        .fetch_one(pool)
        .await
        .unwrap();
    let started = Utc::now() - TimeDelta::days(1);
    let pledge: i64 = sqlx::query_scalar(
        "INSERT INTO pledges (member_id, status, created_at, updated_at) \
         VALUES ($1, 'approved', 0, 0) RETURNING id",
    )
    .bind(member)
    .fetch_one(pool)
    .await
    .unwrap();
    let version: i64 = sqlx::query_scalar(
        "INSERT INTO pledge_versions (pledge_id, number, created_at) VALUES ($1, 1, 0) RETURNING id",
    )
    .bind(pledge)
    .fetch_one(pool)
    .await
    .unwrap();
    let mut conn = pool.acquire().await.unwrap();
    let round = branchbot::pledges::store::checkins::start_round(
        &mut conn,
        branch,
        started.timestamp_millis(),
    )
    .await
    .unwrap();
    branchbot::pledges::store::checkins::ask(&mut conn, round, member, version)
        .await
        .unwrap();
    drop(conn);

    let asked = photo(&app, MEMBER, &jpeg()).await;
    let day = started.with_timezone(&chrono_tz::Asia::Shanghai);
    let label = format!("本期践诺填报（{}月{}日）", day.month(), day.day());
    assert_eq!(
        asked[0].labels(),
        [meeting_label(), label.clone(), "不归档".to_owned()]
    );
    let done = tap(&app, MEMBER, &asked[0], &label, 1).await;
    assert_eq!(done[0].text, format!("已附到 {label} 的记录：照片 1 张"));
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM attachments WHERE owner_kind = 'checkin' AND owner_id = $1",
    )
    .bind(round)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(n, 1);
    app.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}
