//! Photos and files, as a contract every storage backend keeps, on SQLite and PostgreSQL
//! alike: a photo and documents go in and come back, what is refused (an executable named
//! .jpg, 50 MB, an empty file) leaves neither an object nor a row, a path in the file name
//! is never a path, and a photo's GPS position does not survive.

use branchbot::attachments::service::{self, accept};
use branchbot::attachments::sniff;
use branchbot::attachments::storage::{check_key, new_key, Backend, Folder, Storage, S3};
use branchbot::attachments::{Files, Kind, Owner, Refusal, Upload};
use branchbot::config::attachments::{S3Settings, KINDS};
use branchbot::config::sms::Secret;
use branchbot::domain::meetings::MeetingKind;
use branchbot::domain::roster;
use branchbot::i18n::{Catalog, Locale};
use branchbot::meetings::store::{self as meetings, NewMeeting};
use branchbot::store::{members, Store};
use chrono::{TimeZone, Utc};

use crate::helpers::{Db, TestDb};

pub const JPG: &[u8] = include_bytes!("../data/attachments/photo.jpg");
pub const PNG: &[u8] = include_bytes!("../data/attachments/photo.png");
pub const WEBP: &[u8] = include_bytes!("../data/attachments/photo.webp");
pub const GIF: &[u8] = include_bytes!("../data/attachments/photo.gif");
pub const PDF: &[u8] = include_bytes!("../data/attachments/notice.pdf");
pub const DOCX: &[u8] = include_bytes!("../data/attachments/minutes.docx");

/// A storage backend for one test, and what keeps it alive.
pub struct TestFiles {
    pub files: Files,
    _dir: Option<tempfile::TempDir>,
}

impl TestFiles {
    /// Files in a fresh folder with the default limits.
    pub fn folder() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::new(
            Backend::Folder(Folder::new(dir.path().join("attachments"))),
            10 * 1024 * 1024,
            KINDS.iter().map(|(_, mime)| *mime).collect(),
        );
        Self {
            files,
            _dir: Some(dir),
        }
    }

    /// Files in a fresh bucket of the S3-compatible server `BRANCHBOT_TEST_S3` names
    /// (`.ci/run` starts `moto_server` there); None, with a note, when it is not set outside
    /// CI. In CI it is required.
    pub async fn s3() -> Option<Self> {
        let Some(endpoint) = std::env::var("BRANCHBOT_TEST_S3")
            .ok()
            .filter(|v| !v.trim().is_empty())
        else {
            if branchbot::testkit::db::postgres_required() {
                panic!("an S3-compatible server is required in CI: set BRANCHBOT_TEST_S3");
            }
            eprintln!("skipped: no S3-compatible server; set BRANCHBOT_TEST_S3 to run this test");
            return None;
        };
        let endpoint = endpoint.trim().trim_end_matches('/').to_owned();
        let bucket = format!("branchbot-test-{:016x}", rand::random::<u64>());
        // The test makes its own bucket (an unsigned PUT, which moto takes).
        let made = reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("the S3 server at {endpoint} answers: {e}"));
        assert!(made.status().is_success(), "bucket made: {}", made.status());
        let s3 = S3::new(&S3Settings {
            endpoint: Some(endpoint),
            bucket,
            region: "us-east-1".into(),
            path_style: true,
            prefix: "branchbot".into(),
            access_key_id: Some(Secret::new("testing")),
            secret_access_key: Some(Secret::new("testing")),
            session_token: None,
        })
        .unwrap();
        let files = Files::new(
            Backend::S3(s3),
            10 * 1024 * 1024,
            KINDS.iter().map(|(_, mime)| *mime).collect(),
        );
        Some(Self { files, _dir: None })
    }
}

/// Runs each named contract test over every storage backend and both databases.
macro_rules! storage_contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[tokio::test]
            async fn folder_on_sqlite() {
                let db = TestDb::new(Db::Sqlite).await.unwrap();
                let store = Store::open(&db.url).await.unwrap();
                let files = TestFiles::folder();
                super::$name(&store, &files.files).await;
                store.close().await;
            }

            #[tokio::test]
            async fn folder_on_postgres() {
                let Some(db) = TestDb::new(Db::Postgres).await else { return };
                let store = Store::open(&db.url).await.unwrap();
                let files = TestFiles::folder();
                super::$name(&store, &files.files).await;
                store.close().await;
            }

            #[tokio::test]
            async fn s3_on_sqlite() {
                let Some(files) = TestFiles::s3().await else { return };
                let db = TestDb::new(Db::Sqlite).await.unwrap();
                let store = Store::open(&db.url).await.unwrap();
                super::$name(&store, &files.files).await;
                store.close().await;
            }

            #[tokio::test]
            async fn s3_on_postgres() {
                let Some(files) = TestFiles::s3().await else { return };
                let Some(db) = TestDb::new(Db::Postgres).await else { return };
                let store = Store::open(&db.url).await.unwrap();
                super::$name(&store, &files.files).await;
                store.close().await;
            }
        }
    )*};
}

storage_contract!(
    a_photo_and_documents_come_back_as_they_were_sent,
    an_executable_named_jpg_is_refused_and_nothing_is_kept,
    a_50_mb_file_is_refused_and_nothing_is_kept,
    a_path_in_the_file_name_is_only_ever_a_harmless_name,
    a_photo_loses_its_gps_position_and_nothing_else,
    uploads_wait_unlinked_until_linked_to_their_owner,
    a_row_that_cannot_be_written_leaves_no_object,
    a_sweep_removes_old_objects_no_row_names_and_nothing_else,
    uploads_left_unlinked_for_a_week_are_forgotten_then_their_objects_removed,
);

async fn college(store: &Store) -> (i64, i64) {
    let roster = roster::parse(include_bytes!("../../examples/college.csv"), Locale::ZhCn)
        .expect("example roster");
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let member = members::find(&mut tx, "T010").await.unwrap().unwrap();
    let branch = members::branch_id(&mut tx, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let meeting = meetings::create(
        &mut tx,
        &NewMeeting {
            branch_id: branch,
            kind: MeetingKind::Lesson,
            starts_at: 1_000,
            ends_at: 3_601_000,
            place: "活动室".into(),
            topic: "党课".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        },
        0,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    (member.id, meeting)
}

fn upload<'a>(bytes: &'a [u8], name: &'a str, by: Option<i64>) -> Upload<'a> {
    Upload {
        bytes,
        declared_name: Some(name),
        uploaded_by: by,
        at: Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap(),
    }
}

async fn row_count(store: &Store) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    n
}

async fn a_photo_and_documents_come_back_as_they_were_sent(store: &Store, files: &Files) {
    let (member, meeting) = college(store).await;
    let cases: [(&[u8], &str, &str, Kind); 6] = [
        (JPG, "会议照片.jpg", "image/jpeg", Kind::Photo),
        (PNG, "签到表.png", "image/png", Kind::Photo),
        (WEBP, "合影.webp", "image/webp", Kind::Photo),
        (GIF, "a.gif", "image/gif", Kind::Photo),
        (PDF, "通知.pdf", "application/pdf", Kind::Document),
        (
            DOCX,
            "会议记录.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Document,
        ),
    ];
    let mut ids = Vec::new();
    for (bytes, name, content_type, kind) in cases {
        let mut tx = store.begin().await.unwrap();
        let a = accept(files, &mut tx, upload(bytes, name, Some(member)))
            .await
            .unwrap()
            .unwrap_or_else(|r| panic!("{name} refused: {r:?}"));
        service::link(&mut tx, a.id, Owner::Meeting(meeting))
            .await
            .unwrap();
        tx.commit().await.unwrap();
        assert_eq!(a.content_type, content_type, "{name}");
        assert_eq!(a.kind, kind, "{name}");
        assert_eq!(a.display_name, name);
        let expected = sniff::strip_metadata(bytes, content_type).unwrap();
        assert_eq!(a.size, expected.len() as i64, "{name}");
        ids.push(a.id);
    }
    let mut tx = store.begin().await.unwrap();
    let listed = service::list_for(&mut tx, Owner::Meeting(meeting))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(listed.iter().map(|a| a.id).collect::<Vec<_>>(), ids);
    for (a, (bytes, name, ..)) in listed.iter().zip(cases) {
        assert_eq!(a.owner, Some(Owner::Meeting(meeting)));
        let stored = service::read(files, a).await.unwrap();
        if name.ends_with(".png") {
            // The logo's text chunks (metadata) are dropped; the image chunks are the same.
            assert!(bytes.windows(4).any(|w| w == b"tEXt"));
            assert!(!stored.windows(4).any(|w| w == b"tEXt"));
            let image = |b: &[u8]| {
                let png = img_parts::png::Png::from_bytes(b.to_vec().into()).unwrap();
                png.chunks()
                    .iter()
                    .filter(|c| !matches!(&c.kind(), b"tEXt" | b"zTXt" | b"iTXt"))
                    .map(|c| (c.kind(), c.contents().to_vec()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(image(&stored), image(bytes));
        } else {
            assert_eq!(stored, bytes, "{name}");
        }
        assert_eq!(a.sha256.len(), 64);
    }
    assert_eq!(files.backend().keys().await.unwrap().len(), 6);
}

async fn assert_nothing_kept(store: &Store, files: &Files) {
    assert_eq!(row_count(store).await, 0, "no row");
    assert_eq!(
        files.backend().keys().await.unwrap(),
        Vec::<String>::new(),
        "no object, not even a temporary one"
    );
}

async fn an_executable_named_jpg_is_refused_and_nothing_is_kept(store: &Store, files: &Files) {
    let (member, _) = college(store).await;
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.resize(4096, 0x90);
    let mut exe = b"MZ\x90\x00".to_vec();
    exe.resize(4096, 0);
    exe[0x3c] = 0x80;
    exe[0x80..0x84].copy_from_slice(b"PE\0\0");
    for (bytes, name) in [(&elf, "photo.jpg"), (&exe, "会议照片.jpg")] {
        let mut tx = store.begin().await.unwrap();
        let refusal = accept(files, &mut tx, upload(bytes, name, Some(member)))
            .await
            .unwrap()
            .unwrap_err();
        tx.commit().await.unwrap();
        let Refusal::TypeNotAllowed { detected } = &refusal else {
            panic!("{refusal:?}")
        };
        assert!(
            detected.contains("executable"),
            "named for what it is: {detected}"
        );
        let text = refusal.render(Catalog::shared(), Locale::ZhCn);
        assert!(text.contains("未保存"), "{text}");
    }
    // Plain text pretending to be a PDF, and an empty file.
    let mut tx = store.begin().await.unwrap();
    let r = accept(files, &mut tx, upload(b"just words", "x.pdf", None))
        .await
        .unwrap();
    assert_eq!(
        r,
        Err(Refusal::TypeNotAllowed {
            detected: "unknown".into()
        })
    );
    let r = accept(files, &mut tx, upload(b"", "x.pdf", None))
        .await
        .unwrap();
    assert_eq!(r, Err(Refusal::Empty));
    tx.commit().await.unwrap();
    assert_nothing_kept(store, files).await;
}

async fn a_50_mb_file_is_refused_and_nothing_is_kept(store: &Store, files: &Files) {
    college(store).await;
    let mut big = JPG.to_vec();
    big.resize(50 * 1024 * 1024, 0);
    let mut tx = store.begin().await.unwrap();
    let r = accept(files, &mut tx, upload(&big, "big.jpg", None))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let refusal = r.unwrap_err();
    assert_eq!(
        refusal,
        Refusal::TooLarge {
            limit_bytes: 10 * 1024 * 1024
        }
    );
    assert_eq!(service::limit_bytes(files), 10 * 1024 * 1024);
    let en = refusal.render(Catalog::shared(), Locale::En);
    assert!(en.contains("larger than 10 MB"), "{en}");
    let zh = refusal.render(Catalog::shared(), Locale::ZhCn);
    assert!(zh.contains("10 MB"), "{zh}");
    assert_nothing_kept(store, files).await;
}

async fn a_path_in_the_file_name_is_only_ever_a_harmless_name(store: &Store, files: &Files) {
    college(store).await;
    let mut tx = store.begin().await.unwrap();
    let a = accept(files, &mut tx, upload(PDF, "../../etc/passwd.pdf", None))
        .await
        .unwrap()
        .unwrap();
    let b = accept(
        files,
        &mut tx,
        upload(PDF, "..\\..\\boot.ini\u{202E}fdp.exe", None),
    )
    .await
    .unwrap()
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(a.display_name, "passwd.pdf");
    assert_eq!(b.display_name, "boot.inifdp.exe.pdf");
    for x in [&a, &b] {
        check_key(&x.object_key).unwrap();
        assert!(!x.object_key.contains("passwd") && !x.object_key.contains(".."));
    }
    let keys = files.backend().keys().await.unwrap();
    let mut expected = vec![a.object_key.clone(), b.object_key.clone()];
    expected.sort();
    assert_eq!(keys, expected, "only the generated keys are stored");
    if let Backend::Folder(folder) = files.backend() {
        let outside = folder.root().join("../../etc/passwd.pdf");
        assert!(!outside.exists(), "nothing written outside the folder");
    }
}

/// A JPEG whose EXIF block carries a GPS position (39°54'12.34"N), inserted after the start
/// marker of `base`; the EXIF segment's bytes.
pub fn with_gps(base: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    // IFD0: one entry, the GPS IFD's offset.
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&0x8825u16.to_le_bytes());
    tiff.extend_from_slice(&4u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&26u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // The GPS IFD: GPSLatitudeRef "N", GPSLatitude 39/1 54/1 1234/100.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&1u16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&2u32.to_le_bytes());
    tiff.extend_from_slice(b"N\0\0\0");
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&5u16.to_le_bytes());
    tiff.extend_from_slice(&3u32.to_le_bytes());
    tiff.extend_from_slice(&56u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for (n, d) in [(39u32, 1u32), (54, 1), (1234, 100)] {
        tiff.extend_from_slice(&n.to_le_bytes());
        tiff.extend_from_slice(&d.to_le_bytes());
    }
    let mut payload = b"Exif\0\0".to_vec();
    payload.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&payload);
    let mut jpeg = base[..2].to_vec();
    jpeg.extend_from_slice(&segment);
    jpeg.extend_from_slice(&base[2..]);
    (jpeg, segment)
}

async fn a_photo_loses_its_gps_position_and_nothing_else(store: &Store, files: &Files) {
    college(store).await;
    let (photo, exif) = with_gps(JPG);
    let gps = &exif[exif.len() - 24..];
    assert!(photo.windows(gps.len()).any(|w| w == gps));
    let mut tx = store.begin().await.unwrap();
    let a = accept(files, &mut tx, upload(&photo, "gps.jpg", None))
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let stored = service::read(files, &a).await.unwrap();
    assert!(!stored.windows(gps.len()).any(|w| w == gps), "GPS gone");
    assert!(!stored.windows(6).any(|w| w == b"Exif\0\0"), "EXIF gone");
    assert_eq!(stored, JPG, "the image itself untouched, not re-encoded");
    assert_eq!(a.size, JPG.len() as i64);
}

async fn uploads_wait_unlinked_until_linked_to_their_owner(store: &Store, files: &Files) {
    let (member, meeting) = college(store).await;
    let at = |h| Utc.with_ymd_and_hms(2026, 5, 4, h, 0, 0).unwrap();
    let mut tx = store.begin().await.unwrap();
    let mut ids = Vec::new();
    for h in [8, 10, 11] {
        let a = accept(
            files,
            &mut tx,
            Upload {
                bytes: JPG,
                declared_name: None,
                uploaded_by: Some(member),
                at: at(h),
            },
        )
        .await
        .unwrap()
        .unwrap();
        assert_eq!(a.display_name, "photo.jpg");
        assert_eq!(a.created_at, at(h));
        ids.push(a.id);
    }
    let waiting = service::unlinked_of(&mut tx, member, at(9)).await.unwrap();
    assert_eq!(
        waiting.iter().map(|a| a.id).collect::<Vec<_>>(),
        ids[1..].to_vec()
    );
    service::link(&mut tx, ids[1], Owner::Activity(7))
        .await
        .unwrap();
    service::link(&mut tx, ids[2], Owner::Meeting(meeting))
        .await
        .unwrap();
    assert!(service::unlinked_of(&mut tx, member, at(9))
        .await
        .unwrap()
        .is_empty());
    assert!(service::link(&mut tx, 999_999, Owner::Notice(1))
        .await
        .is_err());
    let got = service::get(&mut tx, ids[2]).await.unwrap().unwrap();
    assert_eq!(got.owner, Some(Owner::Meeting(meeting)));
    assert_eq!(got.uploaded_by, Some(member));
    assert!(service::get(&mut tx, 999_999).await.unwrap().is_none());
    tx.commit().await.unwrap();
}

async fn a_row_that_cannot_be_written_leaves_no_object(store: &Store, files: &Files) {
    college(store).await;
    // No member 424242: the row breaks its foreign key after the object was written.
    let mut tx = store.begin().await.unwrap();
    let r = accept(files, &mut tx, upload(PDF, "a.pdf", Some(424_242))).await;
    assert!(r.is_err(), "{r:?}");
    drop(tx);
    assert_nothing_kept(store, files).await;
}

async fn a_sweep_removes_old_objects_no_row_names_and_nothing_else(store: &Store, files: &Files) {
    college(store).await;
    let mut tx = store.begin().await.unwrap();
    let kept = accept(files, &mut tx, upload(PDF, "kept.pdf", None))
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    // An upload whose transaction rolled back: its object stays, its row does not.
    let mut tx = store.begin().await.unwrap();
    let lost = accept(files, &mut tx, upload(JPG, "lost.jpg", None))
        .await
        .unwrap()
        .unwrap();
    tx.rollback().await.unwrap();
    let stray = new_key("pdf");
    files.backend().put(&stray, PDF).await.unwrap();
    let mut expected = vec![lost.object_key.clone(), stray.clone()];
    if let Backend::Folder(folder) = files.backend() {
        // A write cut short by a crash.
        let dir = folder.root().join("ab");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(".tmp-0123456789abcdef-x.jpg"), b"half").unwrap();
        expected.push("ab/.tmp-0123456789abcdef-x.jpg".to_owned());
    }
    expected.sort();
    assert_eq!(
        files.backend().keys().await.unwrap().len(),
        expected.len() + 1
    );

    let mut conn = store.pool().acquire().await.unwrap();
    // Objects written in the last hour may belong to an upload still under way: kept.
    let hour_ago = Utc::now() - chrono::TimeDelta::hours(1);
    let none = service::sweep(files, &mut conn, hour_ago, false)
        .await
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    let later = Utc::now() + chrono::TimeDelta::minutes(1);
    let would = service::sweep(files, &mut conn, later, true).await.unwrap();
    assert_eq!(would, expected);
    assert_eq!(
        files.backend().keys().await.unwrap().len(),
        expected.len() + 1,
        "a dry run deletes nothing"
    );
    let swept = service::sweep(files, &mut conn, later, false)
        .await
        .unwrap();
    assert_eq!(swept, expected);
    assert_eq!(
        files.backend().keys().await.unwrap(),
        vec![kept.object_key.clone()]
    );
    assert_eq!(service::read(files, &kept).await.unwrap(), PDF);
}

async fn uploads_left_unlinked_for_a_week_are_forgotten_then_their_objects_removed(
    store: &Store,
    files: &Files,
) {
    let (member, meeting) = college(store).await;
    let mut tx = store.begin().await.unwrap();
    let linked = accept(files, &mut tx, upload(JPG, "meeting.jpg", Some(member)))
        .await
        .unwrap()
        .unwrap();
    service::link(&mut tx, linked.id, Owner::Meeting(meeting))
        .await
        .unwrap();
    let left = accept(files, &mut tx, upload(PDF, "left.pdf", Some(member)))
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let uploaded = Utc.with_ymd_and_hms(2026, 5, 4, 10, 0, 0).unwrap();
    let keys = || async { files.backend().keys().await.unwrap() };
    assert_eq!(keys().await.len(), 2);

    // Six days on: an unlinked upload may still be filed (不归档 only leaves it).
    let mut tx = store.begin().await.unwrap();
    let tidied = service::tidy(files, &mut tx, uploaded + chrono::TimeDelta::days(6))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(tidied, (0, 0));
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(service::get(&mut conn, left.id).await.unwrap().is_some());
    drop(conn);

    // Eight days on: the row goes; its object stays while that transaction could still
    // roll back, so a row never names a missing object.
    let mut tx = store.begin().await.unwrap();
    let tidied = service::tidy(files, &mut tx, uploaded + chrono::TimeDelta::days(8))
        .await
        .unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(tidied, (0, 1));
    assert_eq!(keys().await.len(), 2, "nothing deleted before a commit");
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(service::get(&mut conn, left.id).await.unwrap().is_some());
    drop(conn);

    let mut tx = store.begin().await.unwrap();
    service::tidy(files, &mut tx, uploaded + chrono::TimeDelta::days(8))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut conn = store.pool().acquire().await.unwrap();
    assert!(service::get(&mut conn, left.id).await.unwrap().is_none());
    assert!(service::get(&mut conn, linked.id).await.unwrap().is_some());
    drop(conn);
    assert_eq!(keys().await.len(), 2, "the object waits for the next run");

    // The next run, an hour after the object was written (the real clock: objects carry the
    // time they were written), removes the object; the linked photo stays.
    let mut tx = store.begin().await.unwrap();
    let tidied = service::tidy(files, &mut tx, Utc::now() + chrono::TimeDelta::hours(2))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(tidied, (1, 0));
    assert_eq!(keys().await, vec![linked.object_key.clone()]);
    assert_eq!(
        service::read(files, &linked).await.unwrap().len() as i64,
        linked.size
    );
}
