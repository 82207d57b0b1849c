//! The committee's reports and charts, on SQLite and PostgreSQL: a small college with
//! meetings and sign-ins, pledges and a check-in round, a notice with confirmations, and
//! feedback over and under the threshold (all in 2025, so the dates are past whenever this
//! runs). The figures `branchbot report …` prints and writes (CSV, XLSX read back) must be the
//! ones the chat shows (`/compliance`, `/feedback`), and the charts carry the Chinese labels.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use branchbot::domain::meetings::{MeetingKind, MeetingRules};
use branchbot::domain::period::Period;
use branchbot::feedback::store as feedback;
use branchbot::feedback::store::{NewFeedback, NewTarget};
use branchbot::i18n::{Catalog, Locale};
use branchbot::meetings::store as meetings;
use branchbot::meetings::store::{NewMeeting, Rsvp};
use branchbot::notices::store as notices;
use branchbot::oversight::charts::{self, Chart, ChartContext, PngError};
use branchbot::pledges::rules::Progress;
use branchbot::pledges::store::{self as pledges, checkins as pledge_checkins, NewItem};
use branchbot::store::{members, Conn, Store};
use calamine::{open_workbook_auto, Data, Reader};
use chrono::{DateTime, Utc};

use crate::helpers::{spawn_with, Db, Spawn};

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn ms(local: &str) -> i64 {
    DateTime::parse_from_rfc3339(local)
        .unwrap()
        .timestamp_millis()
}

async fn member_id(conn: &mut Conn, key: &str) -> i64 {
    members::find(conn, key).await.unwrap().unwrap().id
}

/// The college's quarter (party members only): two meetings of 学生第一党支部, a pledge and its check-in, a notice
/// to two branches, feedback on two targets.
async fn seed(store: &Store) {
    let mut tx = store.begin().await.unwrap();
    let conn: &mut Conn = &mut tx;
    let first = members::branch_id(conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let second = members::branch_id(conn, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let firsts: Vec<i64> = members::list(conn, Some(first))
        .await
        .unwrap()
        .iter()
        .filter(|m| m.role.is_party_member())
        .map(|m| m.id)
        .collect();
    let seconds: Vec<i64> = members::list(conn, Some(second))
        .await
        .unwrap()
        .iter()
        .filter(|m| m.role.is_party_member())
        .map(|m| m.id)
        .collect();
    assert_eq!((firsts.len(), seconds.len()), (9, 9), "party members");

    // A general meeting in October: 6 of 9 sign in, 2 on leave, minutes kept.
    let general = meetings::create(
        conn,
        &NewMeeting {
            branch_id: first,
            kind: MeetingKind::General,
            starts_at: ms("2025-10-15T19:00:00+08:00"),
            ends_at: ms("2025-10-15T21:00:00+08:00"),
            place: "图书馆 305".into(),
            topic: "学习贯彻全会精神".into(),
            created_by: None,
            attendees: firsts.clone(),
            signin_code: "111111".into(),
        },
        0,
    )
    .await
    .unwrap();
    for m in &firsts[..6] {
        meetings::sign_in(
            conn,
            general,
            *m,
            ms("2025-10-15T19:01:00+08:00"),
            false,
            None,
        )
        .await
        .unwrap();
    }
    for m in &firsts[6..8] {
        meetings::set_rsvp(conn, general, *m, Rsvp::Leave, Some("出差"), 0)
            .await
            .unwrap();
    }
    meetings::save_minutes(conn, general, "传达学习全会精神。", None, 0)
        .await
        .unwrap();
    // A committee meeting in November: 3 of 3 sign in, no minutes.
    let committee = meetings::create(
        conn,
        &NewMeeting {
            branch_id: first,
            kind: MeetingKind::Committee,
            starts_at: ms("2025-11-05T19:00:00+08:00"),
            ends_at: ms("2025-11-05T20:00:00+08:00"),
            place: "党员活动室".into(),
            topic: "研究发展对象".into(),
            created_by: None,
            attendees: firsts[..3].to_vec(),
            signin_code: "222222".into(),
        },
        0,
    )
    .await
    .unwrap();
    for m in &firsts[..3] {
        meetings::sign_in(
            conn,
            committee,
            *m,
            ms("2025-11-05T19:00:00+08:00"),
            false,
            None,
        )
        .await
        .unwrap();
    }

    // 马超 (S103) pledges two items, approved; in the round he is behind on one.
    let s103 = member_id(conn, "S103").await;
    let s101 = member_id(conn, "S101").await;
    let items = [
        NewItem {
            way: "study".into(),
            text: "每月读一本理论书籍".into(),
            target_date: Some("2025-12-31".into()),
        },
        NewItem {
            way: "serve".into(),
            text: "每周答疑两小时".into(),
            target_date: None,
        },
    ];
    let (version, _) = pledges::submit(conn, s103, &items, 0).await.unwrap();
    assert!(pledges::review(conn, version, s101, true, None, 0)
        .await
        .unwrap());
    let round = pledge_checkins::start_round(conn, first, ms("2025-11-10T09:00:00+08:00"))
        .await
        .unwrap();
    pledge_checkins::ask(conn, round, s103, version)
        .await
        .unwrap();
    let item_ids: Vec<i64> = pledges::items(conn, version)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    pledge_checkins::answer(conn, round, item_ids[0], s103, Progress::Done, None, 0)
        .await
        .unwrap();
    pledge_checkins::answer(conn, round, item_ids[1], s103, Progress::Behind, None, 0)
        .await
        .unwrap();

    // A notice to both student branches; 5 confirm in the first, 2 in the second.
    let t001 = member_id(conn, "T001").await;
    let notice = notices::create(
        conn,
        t001,
        "all",
        "请各支部于本周五前报送学习情况。",
        true,
        false,
        ms("2025-11-20T10:00:00+08:00"),
    )
    .await
    .unwrap();
    let everyone: Vec<(i64, Option<&str>)> = firsts
        .iter()
        .chain(&seconds)
        .map(|m| (*m, Some("telegram")))
        .collect();
    notices::add_recipients(conn, notice, &everyone)
        .await
        .unwrap();
    for m in firsts[..5].iter().chain(&seconds[..2]) {
        notices::confirm(conn, notice, *m, ms("2025-11-20T11:00:00+08:00"))
            .await
            .unwrap();
    }

    // Feedback in November 2025: six ratings for one post, three (too few) for another.
    feedback::load_targets(
        conn,
        &[
            NewTarget {
                code: "P1".into(),
                kind: "post".into(),
                name: "党员先锋岗".into(),
                building: None,
                branch_id: Some(first),
                member_id: None,
                residents: Vec::new(),
            },
            NewTarget {
                code: "P2".into(),
                kind: "post".into(),
                name: "党员服务岗".into(),
                building: None,
                branch_id: Some(first),
                member_id: None,
                residents: Vec::new(),
            },
        ],
    )
    .await
    .unwrap();
    let p1 = feedback::target_by_code(conn, "P1")
        .await
        .unwrap()
        .unwrap()
        .id;
    let p2 = feedback::target_by_code(conn, "P2")
        .await
        .unwrap()
        .unwrap()
        .id;
    for (i, (target, rating)) in [(p1, 1), (p1, 1), (p1, 1), (p1, 1), (p1, 2), (p1, 3)]
        .into_iter()
        .chain([(p2, 1), (p2, 3), (p2, 3)])
        .enumerate()
    {
        feedback::insert(
            conn,
            &NewFeedback {
                id: &format!("f{i}"),
                target_id: target,
                period: "2025-11",
                day: "2025-11-12",
                rating,
                body: None,
                reply_hash: &format!("h{i}"),
            },
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

/// Runs the real binary against the test's database, in `dir`.
fn report(database: &str, dir: &Path, args: &[&str]) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_branchbot"));
    for (name, _) in std::env::vars() {
        if name.starts_with("BRANCHBOT_") || name.starts_with("TELOXIDE_") {
            command.env_remove(name);
        }
    }
    let out = command
        .current_dir(dir)
        .env("BRANCHBOT_LOCALE", "zh-CN")
        .arg("--database")
        .arg(database)
        .arg("report")
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A sheet's rows as text (numbers as they would print: 0.75 → "0.75", 9 → "9").
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).expect("the XLSX opens");
    let range = book.worksheet_range(name).expect("the sheet exists");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) => format!("{f}"),
                    Data::Int(i) => i.to_string(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

/// The row whose first cells are `prefix`.
fn row_starting<'a>(rows: &'a [Vec<String>], prefix: &[&str]) -> &'a [String] {
    rows.iter()
        .find(|r| r.len() >= prefix.len() && r.iter().zip(prefix).all(|(a, b)| a == b))
        .unwrap_or_else(|| panic!("no row starting {prefix:?} in {rows:?}"))
}

/// The width and height a PNG declares in its header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&png[16..20]), be(&png[20..24]))
}

async fn reports_agree_with_the_chat(db: Db) {
    let Some(mut app) = spawn_with(Spawn {
        db,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    seed(&app.store).await;
    let database = app.db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("导出");

    // Meetings: the chat's /compliance line and the report's row say the same.
    app.bind(7001, "T001").await;
    let chat = app.ask(7001, "/compliance 2025Q4", 1).await[0].text.clone();
    let feedback_chat = app.ask(7001, "/feedback 2025-11", 1).await[0].text.clone();
    // The bot stops before the command line runs: on SQLite its workers would hold the
    // write lock a command needs for its audit row.
    if let Some(bot) = app.app.take() {
        bot.stop().await;
    }
    // Each branch reads as a short block a phone shows without wrapping a line in three.
    assert!(
        chat.contains(
            "\n\n学生第一党支部\n会议：党员大会 1 · 支委会 1 · 党小组会 0 · 党课 0\n\
             出席率 75% · 请假率 17% · 有会议记录 1/2\n未达要求："
        ),
        "{chat}"
    );
    let (code, stdout, stderr) = report(
        &database,
        dir.path(),
        &["meetings", "--period", "2025q4", "--out", "导出"],
    );
    assert_eq!(code, 0, "{stderr}");
    let row = stdout
        .lines()
        .find(|l| l.starts_with("学生第一党支部\t"))
        .expect("the branch's row");
    let cells: Vec<&str> = row.split('\t').collect();
    assert_eq!(cells[1..3], ["1/1", "1/3"]);
    assert_eq!(cells[8..11], ["75%", "17%", "1/2"]);
    assert!(
        stderr.starts_with("三会一课落实情况（2025年第四季度）"),
        "{stderr}"
    );
    assert!(
        stderr.contains("已写入 导出/meetings-2025Q4.xlsx"),
        "{stderr}"
    );
    let csv = std::fs::read_to_string(out.join("meetings-2025Q4.csv")).unwrap();
    assert!(
        csv.starts_with("\u{feff}党支部,党员大会,支委会,党小组会,党课"),
        "{csv}"
    );
    assert!(csv.contains("\n学生第一党支部,1/1,1/3,0/3,0/1,"), "{csv}");
    let xlsx = out.join("meetings-2025Q4.xlsx");
    assert_eq!(
        sheet_names(&xlsx),
        ["汇总", "学生第一党支部", "学生第二党支部", "教工第一党支部"]
    );
    let summary = sheet(&xlsx, "汇总");
    assert_eq!(summary[0][0], "党支部");
    assert_eq!(summary[0][8], "出席率");
    let first = row_starting(&summary, &["学生第一党支部"]);
    assert_eq!(first[8..11], ["0.75", "0.17", "1/2"]);
    let meetings_held = sheet(&xlsx, "学生第一党支部");
    assert_eq!(meetings_held[0][..4], ["时间", "会议类型", "主题", "地点"]);
    assert_eq!(
        meetings_held[1..]
            .iter()
            .map(|r| r[..8].join("|"))
            .collect::<Vec<_>>(),
        [
            "2025-10-15 19:00|党员大会|学习贯彻全会精神|图书馆 305|9|6|2|0.67",
            "2025-11-05 19:00|支委会|研究发展对象|党员活动室|3|3|0|1",
        ]
    );
    assert_eq!(sheet(&xlsx, "学生第二党支部").len(), 1, "a header only");

    // Pledges: the /pledge_stats figures, in the summary sheet.
    let (code, stdout, stderr) = report(&database, dir.path(), &["pledges", "--out", "导出"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("学生第一党支部\tS103\t马超\t2\t带头服务师生\t每周答疑两小时\t-"));
    let pledge_book = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("pledges-")
                && p.extension().is_some_and(|x| x == "xlsx")
        })
        .expect("the pledges workbook");
    let summary = sheet(&pledge_book, "汇总");
    assert_eq!(
        summary[0],
        [
            "党支部",
            "未提交承诺",
            "待审核",
            "轮次",
            "应填报人数",
            "已填报",
            "填报率",
            "落后或遇到困难（项）"
        ]
    );
    assert_eq!(
        row_starting(&summary, &["学生第一党支部"]),
        ["学生第一党支部", "8", "0", "2025-11-10", "1", "1", "1", "1"]
    );
    assert_eq!(sheet(&pledge_book, "学生第一党支部").len(), 3);

    // Notices: the college's figures and each branch's share of them.
    let (code, stdout, stderr) = report(
        &database,
        dir.path(),
        &["notices", "--period", "2025-11", "--out", "导出", "--csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("2025年11月 共发出 1 条通知"), "{stderr}");
    assert!(
        stdout.contains(",王建国,请各支部于本周五前报送学习情况。,18,0,0,0,0,0,7,39%"),
        "{stdout}"
    );
    let mut conn = app.store.pool().acquire().await.unwrap();
    let status = notices::figures(&mut conn, 1).await.unwrap();
    assert_eq!(
        (status.total, status.confirmed),
        (18, 7),
        "as /notice_status counts"
    );
    drop(conn);
    let book = out.join("notices-2025-11.xlsx");
    let branch = sheet(&book, "学生第一党支部");
    assert_eq!(branch[1][4..], ["9", "0", "0", "0", "0", "0", "5", "0.56"]);
    assert_eq!(
        sheet(&book, "教工第一党支部").len(),
        1,
        "no recipients there"
    );

    // Feedback: the post with six ratings shows, the one with three stays hidden everywhere.
    assert!(
        feedback_chat.contains("党员先锋岗：满意 4，基本满意 1，不满意 1（共 6）"),
        "{feedback_chat}"
    );
    assert!(
        feedback_chat.contains("党员服务岗：评价少于 5 条，暂不显示"),
        "{feedback_chat}"
    );
    let (code, _, stderr) = report(
        &database,
        dir.path(),
        &["feedback", "--period", "2025-11", "--out", "导出"],
    );
    assert_eq!(code, 0, "{stderr}");
    let book = out.join("feedback-2025-11.xlsx");
    let summary = sheet(&book, "汇总");
    assert_eq!(
        summary[0],
        [
            "月份",
            "编号",
            "类别",
            "评价对象",
            "满意",
            "基本满意",
            "不满意",
            "合计",
            "备注"
        ]
    );
    assert_eq!(
        row_starting(&summary, &["2025-11", "P1"]),
        [
            "2025-11",
            "P1",
            "党员服务窗口",
            "党员先锋岗",
            "4",
            "1",
            "1",
            "6",
            ""
        ]
    );
    assert_eq!(
        row_starting(&summary, &["2025-11", "P2"]),
        [
            "2025-11",
            "P2",
            "党员服务窗口",
            "党员服务岗",
            "",
            "",
            "",
            "",
            "评价少于 5 条，暂不显示"
        ]
    );
    let csv = std::fs::read_to_string(out.join("feedback-2025-11.csv")).unwrap();
    assert!(csv.contains("2025-11,P2,党员服务窗口,党员服务岗,,,,,评价少于 5 条，暂不显示"));
    let branch = sheet(&book, "学生第一党支部");
    assert_eq!(branch.len(), 3);
    assert_eq!(
        row_starting(&branch, &["2025-11", "P2"])[4..],
        ["", "", "", "", "评价少于 5 条，暂不显示"],
        "hidden in the branch's sheet too"
    );

    // Charts, through the API the dashboard uses.
    let ctx = ChartContext {
        catalog: Arc::new(Catalog::load().unwrap()),
        locale: Locale::ZhCn,
        tz: TZ,
        rules: MeetingRules::default(),
        now: Utc::now(),
    };
    let period: Period = "2025Q4".parse().unwrap();
    let mut conn = app.store.pool().acquire().await.unwrap();
    let attendance = charts::svg(&mut conn, &ctx, Chart::Attendance, None, &period)
        .await
        .unwrap();
    for text in [
        "各支部每月出席率（2025年第四季度）",
        "学生第一党支部",
        "2025-10",
        "2025-11",
        "67%",
        "100%",
    ] {
        assert!(
            attendance.contains(text),
            "{text} missing from the attendance chart"
        );
    }
    let cadence = charts::svg(&mut conn, &ctx, Chart::Cadence, None, &period)
        .await
        .unwrap();
    assert!(cadence.contains("三会一课：已开次数与应开次数") && cadence.contains("应开次数"));
    let pledges_chart = charts::svg(&mut conn, &ctx, Chart::Pledges, None, &period)
        .await
        .unwrap();
    assert!(pledges_chart.contains("已填报（人）"));
    let feedback_chart = charts::svg(&mut conn, &ctx, Chart::Feedback, None, &period)
        .await
        .unwrap();
    assert!(feedback_chart.contains("党员先锋岗"));
    assert!(
        feedback_chart.contains("2025-11 有 1 个对象评价少于 5 条，暂不显示：党员服务岗"),
        "the hidden target is named, not drawn"
    );
    drop(conn);
    match charts::png(&attendance) {
        Ok(png) => {
            let (w, h) = png_size(&png);
            assert!(
                (1600..=8000).contains(&w) && (1000..=2000).contains(&h),
                "{w}x{h}"
            );
        }
        Err(PngError::NoCjkFont) if std::env::var_os("CI").is_none() => {
            eprintln!("skipped the PNG: no CJK font; install fonts-wqy-zenhei")
        }
        Err(e) => panic!("{e}"),
    }
    let (code, _, stderr) = report(
        &database,
        dir.path(),
        &["charts", "--period", "2025Q4", "--out", "图表"],
    );
    let charts_dir = dir.path().join("图表");
    if let Some(keep) = std::env::var_os("BRANCHBOT_CHART_DIR") {
        // To look at the charts: BRANCHBOT_CHART_DIR=/tmp/charts cargo nextest run reports_and
        for f in std::fs::read_dir(&charts_dir).unwrap() {
            let f = f.unwrap().path();
            std::fs::copy(&f, Path::new(&keep).join(f.file_name().unwrap())).unwrap();
        }
    }
    for chart in ["attendance", "cadence", "pledges", "feedback"] {
        let svg = charts_dir.join(format!("{chart}-2025Q4.svg"));
        assert!(svg.exists(), "{chart}: {stderr}");
        if code == 0 {
            let png = std::fs::read(charts_dir.join(format!("{chart}-2025Q4.png"))).unwrap();
            png_size(&png);
        }
    }

    // Every export is in the audit log.
    let subjects: Vec<String> = sqlx::query_scalar(
        "SELECT subject FROM audit_log WHERE action = 'data_exported' ORDER BY id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(subjects.len(), 5, "{subjects:?}");
    assert_eq!(subjects[0], "report meetings 2025Q4");
    assert_eq!(subjects[2], "report notices 2025-11");
    assert_eq!(subjects[4], "report charts 2025Q4");
    app.stop().await;
}

#[tokio::test]
async fn reports_and_charts_agree_with_the_chat_on_sqlite() {
    reports_agree_with_the_chat(Db::Sqlite).await;
}

#[tokio::test]
async fn reports_and_charts_agree_with_the_chat_on_postgres() {
    reports_agree_with_the_chat(Db::Postgres).await;
}
