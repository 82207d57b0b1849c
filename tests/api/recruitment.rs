//! 发展党员 as the people involved see it: a secretary takes 郭子豪 (S105) from his
//! application to full membership in chat, on a clock set in Asia/Shanghai, meeting every
//! refusal the rules make on the way (the talk first, a full member as contact, the year as an
//! activist, the 学时 of training, the 公示's working days, the majority of members entitled,
//! the year of probation); he reads his own stage; his contact sees his progress but not the
//! committee's notes; another member sees nothing. The store is checked on both backends.

use branchbot::clock::Clock;
use branchbot::domain::org::Role;
use branchbot::recruitment::rules::{Detail, Recorded, StepKind, Tally};
use branchbot::recruitment::store::{self as rstore, NewStep};
use branchbot::store::{members, Store};
use chrono::{NaiveDate, TimeZone};

use crate::helpers::{spawn_with, Db, Spawn, TestApp, TestDb};

crate::both!(the_pipeline_store_keeps_steps_contacts_and_votes_in_order);

/// 黄晓明 (S101), secretary of 学生第一党支部.
const SECRETARY: i64 = 9301;
/// 郭子豪 (S105), the applicant.
const APPLICANT: i64 = 9302;
/// 何宇航 (S107), a full member who becomes his contact.
const CONTACT: i64 = 9303;
/// 马超 (S103), a member of the same branch with no part in it.
const OTHER: i64 = 9304;

async fn app_on_7_december_2026() -> TestApp {
    // 10:00 in Shanghai on Monday 7 December 2026.
    let start = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 12, 7, 10, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let app = spawn_with(Spawn {
        clock: Some(Clock::starting_at(start)),
        ..Spawn::default()
    })
    .await
    .unwrap();
    for (chat, key) in [
        (SECRETARY, "S101"),
        (APPLICANT, "S105"),
        (CONTACT, "S107"),
        (OTHER, "S103"),
    ] {
        app.bind(chat, key).await;
    }
    app
}

async fn said(app: &TestApp, chat: i64, text: &str) -> String {
    app.ask(chat, text, 1).await[0].text.clone()
}

async fn role_of(app: &TestApp, key: &str) -> Role {
    let mut conn = app.store.pool().acquire().await.unwrap();
    members::find(&mut conn, key).await.unwrap().unwrap().role
}

#[tokio::test]
async fn a_secretary_takes_an_applicant_to_full_membership_and_every_early_step_is_refused_with_its_date(
) {
    let app = app_on_7_december_2026().await;
    let s = |t: &'static str| said(&app, SECRETARY, t);

    assert!(said(&app, APPLICANT, "/mystage")
        .await
        .contains("还没有入党申请记录"));
    assert!(said(&app, APPLICANT, "/help").await.contains("/mystage"));
    assert!(said(&app, SECRETARY, "/help")
        .await
        .contains("/recruit due"));
    let r = s("/recruit S105 applied 2024-03-01").await;
    assert!(r.contains("已记录") && r.contains("入党申请人"), "{r}");
    let r = s("/recruit S105 activist 2024-03-20").await;
    assert!(r.contains("还没有记录“党组织派人谈话”"), "{r}");
    assert!(s("/recruit S105 谈话 2024-03-15").await.contains("已记录"));
    let r = s("/recruit S105 activist 2024-04-01").await;
    assert!(r.contains("入党积极分子"), "{r}");
    assert_eq!(role_of(&app, "S105").await, Role::Activist);

    // A probationary member cannot be a contact; a full member can.
    let r = s("/recruit S105 contact 2024-04-01 S104").await;
    assert!(r.contains("培养联系人须是正式党员"), "{r}");
    assert!(s("/recruit S105 contact 2024-04-01 S107")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 review 2024-10-01")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 review 2025-03-25")
        .await
        .contains("已记录"));
    assert!(
        s("/recruit S105 opinions 2025-03-28 党小组一致同意，群众评价好")
            .await
            .contains("已记录")
    );

    // The year as an activist runs from 2024-04-01.
    let r = s("/recruit S105 candidate 2025-03-30").await;
    assert!(r.contains("须满一年") && r.contains("2025-04-01"), "{r}");
    // Not without a 思想汇报 on file.
    let r = s("/recruit S105 candidate 2025-04-02").await;
    assert!(r.contains("还没有收到“思想汇报”"), "{r}");
    assert!(s("/recruit S105 report 2024-07-01")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 candidate 2025-04-02")
        .await
        .contains("发展对象"));

    // Before the vote: political review, training of 24 学时, reviews, the form, the 公示.
    let r = s("/recruit S105 vote 2025-06-25 16 2 2 30").await;
    assert!(r.contains("还没有记录“政治审查”"), "{r}");
    assert!(s("/recruit S105 political 2025-05-01")
        .await
        .contains("已记录"));
    let r = s("/recruit S105 training 2025-05-10 16").await;
    assert!(
        r.contains("只有 16 学时") && r.contains("至少需要 24 学时"),
        "{r}"
    );
    assert!(s("/recruit S105 training 2025-05-10 24")
        .await
        .contains("已记录"));
    let r = s("/recruit S105 材料 政审材料 2025-05-02").await;
    assert_eq!(r, "已登记：S105 的“政审材料”，收到日期 2025-05-02。");
    let r = s("/recruit S105 材料 政审材料 2025-05-03").await;
    assert_eq!(r, "“政审材料”已经登记过。");
    let r = s("/recruit S105 材料 成绩单 2025-05-03").await;
    assert!(r.starts_with("不认识的材料“成绩单”"), "{r}");
    let r = s("/recruit S105 prereview 2025-06-10").await;
    assert!(r.contains("还没有记录“支部委员会审查”"), "{r}");
    assert!(s("/recruit S105 committee_review 2025-06-01")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 prereview 2025-06-10")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 form 2025-06-15").await.contains("已记录"));
    // Wednesday 18 June: Wed, Thu, Fri, Mon, Tue — the vote may be on Wednesday 25th.
    assert!(s("/recruit S105 公示 2025-06-18").await.contains("已记录"));
    // The training certificate is not on file yet: the vote is refused and says which paper.
    let r = s("/recruit S105 vote 2025-06-26 16 2 2 30").await;
    assert!(r.contains("还没有收到“培训结业证明”"), "{r}");
    assert!(s("/recruit S105 paper training_certificate 2025-05-12")
        .await
        .contains("已登记"));
    let r = s("/recruit S105 vote 2025-06-24 20 1 0 30").await;
    assert!(
        r.contains("公示尚未期满") && r.contains("2025-06-25"),
        "{r}"
    );
    let r = s("/recruit S105 vote 2025-06-25 31 0 0 30").await;
    assert!(r.contains("表决结果不成立"), "{r}");

    // 15 of 30 entitled is not more than half: the vote fails and he stays 发展对象.
    let r = s("/recruit S105 vote 2025-06-25 15 3 2 30").await;
    assert!(r.contains("表决未通过") && r.contains("需 16 票"), "{r}");
    assert!(r.contains("目前阶段：发展对象"), "{r}");
    assert_eq!(role_of(&app, "S105").await, Role::Activist);
    let r = s("/recruit S105 vote 2025-06-26 16 2 2 30").await;
    assert!(r.contains("表决通过") && r.contains("预备党员"), "{r}");
    assert_eq!(role_of(&app, "S105").await, Role::Probationary);

    // Approval needs the committee's talk first.
    let r = s("/recruit S105 approval 2025-07-01").await;
    assert!(r.contains("还没有记录“学院党委派人谈话”"), "{r}");
    assert!(s("/recruit S105 committee_talk 2025-07-10")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 approval 2025-08-01")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 oath 2025-08-05").await.contains("已记录"));

    // He reads his own stage and what is expected of him.
    let r = said(&app, APPLICANT, "/mystage").await;
    assert!(
        r.contains("您目前是：预备党员") && r.contains("转正申请"),
        "{r}"
    );
    assert!(r.contains("预备期满（讨论转正）：2026-06-26"), "{r}");

    // 转正: the written application, its 公示, and not before the year of probation ends.
    let r = s("/recruit S105 publicity 2026-06-03").await;
    assert!(r.contains("还没有记录“递交转正申请”"), "{r}");
    assert!(s("/recruit S105 application 2026-06-01")
        .await
        .contains("已记录"));
    assert!(s("/recruit S105 publicity 2026-06-03")
        .await
        .contains("已记录"));
    let r = s("/recruit S105 vote 2026-06-20 20 0 0 30").await;
    assert!(
        r.contains("预备期一年尚未期满") && r.contains("2026-06-26"),
        "{r}"
    );
    let r = s("/recruit S105 vote 2026-06-29 20 0 0 30").await;
    assert!(r.contains("表决通过"), "{r}");
    let r = s("/recruit S105 approval 2026-07-10").await;
    assert!(r.contains("正式党员"), "{r}");
    assert_eq!(role_of(&app, "S105").await, Role::Member);

    // A date that has not come yet, in Shanghai, is refused.
    let r = s("/recruit S105 report 2026-12-08").await;
    assert!(r.contains("2026-12-08 还没到"), "{r}");

    // Every change is in the audit log: each step, and each paper received on its own.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'recruitment_step'")
            .await,
        app.count("SELECT COUNT(*) FROM recruit_steps").await
            + app
                .count(
                    "SELECT COUNT(*) FROM recruit_papers \
                     WHERE kind IN ('political_materials', 'training_certificate')"
                )
                .await
    );
    app.stop().await;
}

#[tokio::test]
async fn a_contact_sees_progress_without_notes_and_another_member_sees_nothing() {
    let app = app_on_7_december_2026().await;
    for step in [
        "/recruit S105 applied 2026-09-01",
        "/recruit S105 talk 2026-09-10",
        "/recruit S105 activist 2026-10-01 团支部推优",
        "/recruit S105 contact 2026-10-01 S107",
        "/recruit S105 opinions 2026-11-01 家庭困难，需关心",
    ] {
        assert!(said(&app, SECRETARY, step).await.contains("已记录"));
    }
    let secretary = said(&app, SECRETARY, "/recruit S105").await;
    assert!(secretary.contains("家庭困难"), "{secretary}");

    let contact = said(&app, CONTACT, "/recruit S105").await;
    assert!(
        contact.contains("郭子豪") && contact.contains("入党积极分子"),
        "{contact}"
    );
    assert!(!contact.contains("家庭困难"), "{contact}");
    let list = said(&app, CONTACT, "/recruit").await;
    assert!(list.contains("郭子豪（S105）"), "{list}");
    // A contact may record a 思想汇报 received, nothing else.
    assert!(said(&app, CONTACT, "/recruit S105 report 2026-12-01")
        .await
        .contains("已记录"));
    let r = said(&app, CONTACT, "/recruit S105 review 2026-12-01").await;
    assert!(r.contains("没有权限"), "{r}");

    let other = said(&app, OTHER, "/recruit S105").await;
    assert!(
        other.contains("没有权限") && !other.contains("入党积极分子"),
        "{other}"
    );
    let other = said(&app, OTHER, "/recruit").await;
    assert!(other.contains("没有权限"), "{other}");
    let own = said(&app, APPLICANT, "/mystage").await;
    assert!(
        own.contains("入党积极分子") && !own.contains("家庭困难"),
        "{own}"
    );

    // Due this month (December 2026): the 思想汇报 was handed in on 1 December, the
    // half-yearly review falls in April; the secretary's due list is empty, then not once
    // the talk of a new applicant is overdue.
    assert!(said(&app, SECRETARY, "/recruit due")
        .await
        .contains("本月没有到期的事项"));
    assert!(said(&app, SECRETARY, "/recruit S109 applied 2026-10-20")
        .await
        .contains("已记录"));
    let due = said(&app, SECRETARY, "/recruit due").await;
    assert!(
        due.contains("罗浩然") && due.contains("谈话期限：2026-11-20（已逾期）"),
        "{due}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM recruit_steps").await,
        7,
        "the refused review wrote nothing"
    );
    app.stop().await;
}

async fn the_pipeline_store_keeps_steps_contacts_and_votes_in_order(store: &Store) {
    let roster = branchbot::domain::roster::parse(
        include_bytes!("../../examples/college.csv"),
        branchbot::i18n::Locale::ZhCn,
    )
    .unwrap();
    let mut tx = store.begin().await.unwrap();
    members::import(&mut tx, &roster, false, 0).await.unwrap();
    let person = members::find(&mut tx, "S209").await.unwrap().unwrap();
    let contact = members::find(&mut tx, "S207").await.unwrap().unwrap();
    let id = rstore::enrol(&mut tx, person.id, 1).await.unwrap();
    assert_eq!(rstore::enrol(&mut tx, person.id, 2).await.unwrap(), id);
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let steps = [
        Recorded {
            kind: StepKind::Applied,
            on: d("2025-01-02"),
            detail: Detail::None,
        },
        Recorded {
            kind: StepKind::Contact,
            on: d("2025-02-01"),
            detail: Detail::Contact {
                member_id: contact.id,
                full_member: true,
            },
        },
        Recorded {
            kind: StepKind::Training,
            on: d("2025-03-01"),
            detail: Detail::Hours(24),
        },
        Recorded {
            kind: StepKind::Vote,
            on: d("2025-04-01"),
            detail: Detail::Vote(Tally {
                yes: 16,
                no: 2,
                abstain: 1,
                entitled: 30,
            }),
        },
    ];
    for (i, step) in steps.iter().enumerate() {
        rstore::add_step(
            &mut tx,
            &NewStep {
                recruit_id: id,
                step,
                note: if i == 0 { "本人申请" } else { "" },
                recorded_by: Some(contact.id),
                at: 10 + i as i64,
            },
        )
        .await
        .unwrap();
    }
    rstore::set_role(&mut tx, person.id, Role::Probationary, 20)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut conn = store.pool().acquire().await.unwrap();
    let read = rstore::steps(&mut conn, id).await.unwrap();
    assert_eq!(
        read.iter().map(|s| s.step.clone()).collect::<Vec<_>>(),
        steps.to_vec()
    );
    assert_eq!(read[0].note, "本人申请");
    assert_eq!(read[0].recorded_by.as_deref(), Some("彭博 (S207)"));
    let sponsored = rstore::sponsored_by(&mut conn, contact.id).await.unwrap();
    assert_eq!(sponsored.len(), 1);
    assert_eq!(sponsored[0].name, "吕思远");
    let b2 = members::branch_id(&mut conn, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let b1 = members::branch_id(&mut conn, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(rstore::list(&mut conn, Some(b2)).await.unwrap().len(), 1);
    assert!(rstore::list(&mut conn, Some(b1)).await.unwrap().is_empty());
    assert_eq!(rstore::list(&mut conn, None).await.unwrap().len(), 1);
    let again = members::find(&mut conn, "S209").await.unwrap().unwrap();
    assert_eq!(again.role, Role::Probationary);
}

/// Runs the daily `recruitment-clocks` job as its occurrence at 09:00 in Shanghai on a day,
/// as the scheduler would, and wakes the delivery worker.
async fn run_clocks_on(app: &TestApp, y: i32, m: u32, d: u32) {
    let at = chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, 9, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    app.scheduled("builtin:recruitment-clocks").await;
    crate::helpers::run_job_at(&app.store, "builtin:recruitment-clocks", at).await;
    app.app()
        .engine
        .wake
        .notify(branchbot::flows::ChannelKind::Telegram);
}

/// The texts pushed to a chat after its first `skip` messages, once delivery settles.
async fn pushed(app: &TestApp, chat: i64, skip: usize) -> Vec<String> {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    app.fake.sent_to(chat)[skip..]
        .iter()
        .map(|s| s.text.clone())
        .collect()
}

#[tokio::test]
async fn reminders_reach_the_secretary_a_week_before_the_talk_and_the_contact_before_a_report_once()
{
    let app = app_on_7_december_2026().await;
    // 谢文博 (S201), secretary of 学生第二党支部.
    const SECRETARY2: i64 = 9305;
    app.bind(SECRETARY2, "S201").await;
    // 吕思远 (S209) applied on 14 November: the talk is due by 14 December, reminded on the
    // 7th, a week ahead.
    assert!(said(&app, SECRETARY2, "/recruit S209 applied 2026-11-14")
        .await
        .contains("已记录"));
    // 郭子豪 (S105), an activist since 14 September: the first 思想汇报 is due by
    // 14 December; he and his contact hear of it on the 7th, his secretary does not.
    let r = said(&app, SECRETARY, "/recruit S105 applied 2026-08-01").await;
    assert!(r.contains("已记录"), "{r}");
    let r = said(&app, SECRETARY, "/recruit S105 talk 2026-07-20").await;
    assert!(r.contains("日期早于“递交入党申请书”（2026-08-01）"), "{r}");
    for step in [
        "/recruit S105 talk 2026-08-20",
        "/recruit S105 activist 2026-09-14",
        "/recruit S105 contact 2026-09-14 S107",
    ] {
        assert!(said(&app, SECRETARY, step).await.contains("已记录"));
    }
    let count = |chat| app.fake.sent_to(chat).len();
    let (sec2, sec, own, contact) = (
        count(SECRETARY2),
        count(SECRETARY),
        count(APPLICANT),
        count(CONTACT),
    );

    run_clocks_on(&app, 2026, 12, 6).await;
    assert_eq!(pushed(&app, SECRETARY2, sec2).await, Vec::<String>::new());
    assert_eq!(pushed(&app, APPLICANT, own).await, Vec::<String>::new());

    run_clocks_on(&app, 2026, 12, 7).await;
    let got = app
        .fake
        .wait_sent(SECRETARY2, sec2 + 1, crate::helpers::WAIT)
        .await;
    assert_eq!(
        got[sec2].text,
        "发展党员提醒：吕思远（S209）· 谈话期限：2026-12-14"
    );
    let to_him = app
        .fake
        .wait_sent(APPLICANT, own + 1, crate::helpers::WAIT)
        .await;
    assert_eq!(
        to_him[own].text,
        "发展党员提醒：郭子豪（S105）· 下次思想汇报：2026-12-14"
    );
    let to_contact = app
        .fake
        .wait_sent(CONTACT, contact + 1, crate::helpers::WAIT)
        .await;
    assert_eq!(to_contact[contact].text, to_him[own].text);
    assert_eq!(pushed(&app, SECRETARY, sec).await, Vec::<String>::new());

    // The same day again (a repeated run) sends nothing more.
    run_clocks_on(&app, 2026, 12, 7).await;
    assert_eq!(
        pushed(&app, SECRETARY2, sec2 + 1).await,
        Vec::<String>::new()
    );
    assert_eq!(pushed(&app, APPLICANT, own + 1).await, Vec::<String>::new());
    app.stop().await;
}

/// Logs a chat into the web dashboard through `/dashboard`; returns the cookie pair.
async fn dashboard_cookie(app: &TestApp, chat: i64) -> String {
    let text = app.ask(chat, "/dashboard", 1).await[0].text.clone();
    let url = text[text.find("http").expect("a link")..].trim().to_owned();
    let path = &url[url.find("/dashboard/login/").unwrap()..];
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = client
        .get(format!("{}{path}", app.base_url()))
        .send()
        .await
        .unwrap();
    let cookie = res.headers()["set-cookie"].to_str().unwrap().to_owned();
    cookie.split(';').next().unwrap().to_owned()
}

async fn dashboard_page(app: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let res = reqwest::Client::new()
        .get(format!("{}{path}", app.base_url()))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

#[tokio::test]
async fn the_dashboard_shows_a_branch_pipeline_with_overdue_clocks_to_its_secretary_only() {
    let app = app_on_7_december_2026().await;
    const SECRETARY2: i64 = 9305;
    app.bind(SECRETARY2, "S201").await;
    // Applied on 1 October with no talk: the talk was due by 1 November.
    assert!(
        said(&app, SECRETARY, "/recruit S105 applied 2026-10-01 家境说明")
            .await
            .contains("已记录")
    );
    let b1: i64 = sqlx::query_scalar("SELECT id FROM branches WHERE name = '学生第一党支部'")
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    let cookie = dashboard_cookie(&app, SECRETARY).await;
    let (status, body) = dashboard_page(
        &app,
        &format!("/dashboard/branch/{b1}/recruitment"),
        &cookie,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("学生第一党支部 · 发展党员"), "{body}");
    assert!(
        body.contains("郭子豪") && body.contains("入党申请人"),
        "{body}"
    );
    assert!(body.contains("谈话期限 2026-11-01"), "{body}");
    assert!(!body.contains("家境说明"), "notes are never on the page");

    let other = dashboard_cookie(&app, SECRETARY2).await;
    let (status, body) =
        dashboard_page(&app, &format!("/dashboard/branch/{b1}/recruitment"), &other).await;
    assert_eq!(status, 403);
    assert!(!body.contains("郭子豪"));
    app.stop().await;
}
