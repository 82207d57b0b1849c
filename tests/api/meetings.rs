//! 三会一课 over a quarter for one branch, on paused time in Asia/Shanghai: the secretary
//! creates a general meeting in chat, reminders arrive at the right local times, members
//! answer by button and by typing, one asks for leave with a reason, sign-in with a code
//! inside and outside the window (and on someone's behalf), minutes, the missed-meeting and
//! missing-minutes messages, and the compliance report's numbers. The engine runs each update
//! in its transaction as the channels do; the scheduler is drained as time is advanced by
//! hand; what a member reads is the text queued for their chat.

use branchbot::domain::meetings::MeetingRules;
use branchbot::flows::ChannelKind;
use branchbot::store::members;
use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::world::{t, texts, ChatWorld, Setup, TZ};

/// The shared world on SQLite, members on Telegram (or on the console:
/// [`World::on_console`]).
struct World(ChatWorld);

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.0
    }
}

impl std::ops::DerefMut for World {
    fn deref_mut(&mut self) -> &mut ChatWorld {
        &mut self.0
    }
}

impl World {
    async fn new(start: DateTime<Utc>) -> Self {
        Self::with_rules(start, MeetingRules::default()).await
    }

    /// A world whose `[meetings]` timings are `rules`.
    async fn with_rules(start: DateTime<Utc>, rules: MeetingRules) -> Self {
        let setup = Setup {
            rules,
            ..Setup::default()
        };
        Self(
            ChatWorld::with(setup, start)
                .await
                .expect("SQLite always works"),
        )
    }

    /// The same world with members on the console (`branchbot chat --as`) instead.
    fn on_console(mut self) -> Self {
        self.0.setup.channel = ChannelKind::Console;
        self
    }
}

const REMINDER: &str = "【学生第一党支部】党员大会提醒\n时间：10月15日（周四）19:30\n\
     地点：图书馆 305\n议题：学习贯彻全会精神\n请确认是否参加。";

#[tokio::test(start_paused = true)]
async fn a_quarter_of_meetings_for_one_branch_reads_right_to_every_member() {
    a_quarter_of_meetings(World::new(t("2026-10-01T09:00:00+08:00")).await).await;
}

#[tokio::test(start_paused = true)]
async fn the_same_quarter_reads_the_same_over_the_console() {
    let w = World::new(t("2026-10-01T09:00:00+08:00"))
        .await
        .on_console();
    a_quarter_of_meetings(w).await;
}

async fn a_quarter_of_meetings(mut w: World) {
    for key in [
        "S101", "S102", "S103", "S104", "S106", "S107", "S110", "T001",
    ] {
        w.bind(key).await;
    }
    // The quarterly warning, as the built-in schedule has it (not every built-in: the daily
    // housekeeping would purge the inbox, and SQLite would then reuse inbox ids, which the
    // engine's reply dedupe keys are made of — see the report).
    schedule_warning(&w).await;

    // The secretary schedules a general meeting; mistakes are answered and change nothing.
    let r = w.say("S101", "/meeting").await;
    assert_eq!(r[0].0, "要安排什么会议？");
    assert_eq!(r[0].1[0], "党员大会");
    let r = w.tap("S101", "meet:kind:general").await;
    assert_eq!(
        texts(&r),
        ["请输入会议时间，例如：12月10日 19:30、周三 19:30、下周三 19:30、明晚7点半、明天上午9点。"]
    );
    let r = w.say("S101", "2月31日 19:30").await;
    assert_eq!(
        texts(&r),
        ["“2月31日 19:30”不是一个存在的日期，请检查月份和日期。"]
    );
    let r = w.say("S101", "2026-09-30 19:30").await;
    assert_eq!(
        texts(&r),
        ["“2026-09-30 19:30”已经过去了，请输入将来的时间。"]
    );
    let r = w.say("S101", "下周").await;
    assert_eq!(
        texts(&r),
        ["未能识别“下周”。您可以这样写：12月10日 19:30、周三 19:30、下周三 19:30、晚上7点半、明天上午9点、2026-12-10 19:30。"]
    );
    assert_eq!(
        texts(&w.say("S101", "10月15日 19:30").await),
        ["会议地点？"]
    );
    assert_eq!(texts(&w.say("S101", "图书馆 305").await), ["会议议题？"]);
    let r = w.say("S101", "学习贯彻全会精神").await;
    assert_eq!(
        r[0].0,
        "预览：党员大会\n时间：10月15日（周四）19:30\n地点：图书馆 305\n议题：学习贯彻全会精神\n参会：9 人"
    );
    assert_eq!(r[0].1, ["确认", "取消"]);
    let r = w.say("S101", "确认").await;
    let (id, code): (i64, String) = {
        let row = sqlx::query("SELECT id, signin_code FROM meetings")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
        (row.get("id"), row.get("signin_code"))
    };
    assert_eq!(
        texts(&r),
        [format!(
            "已创建会议 #{id}。参会同志将在会前 3 天、1 天和 1 小时收到提醒。签到码：{code}（会前 30 分钟开放）。"
        )]
    );
    // A member cannot schedule one.
    assert_eq!(
        texts(&w.say("S103", "/meeting").await),
        ["只有本支部的书记和支委可以管理会议。需要帮助请发 /help。"]
    );

    // Three days before, at 19:30 local time: the reminder with 参加 / 请假.
    w.advance_to("2026-10-12T19:29:00+08:00").await;
    assert!(w.read("S103").await.is_empty(), "not a minute early");
    w.advance_to("2026-10-12T19:30:00+08:00").await;
    let r = w.read("S103").await;
    assert_eq!(texts(&r), [REMINDER]);
    assert_eq!(r[0].1, ["参加", "请假"]);
    assert_eq!(w.urgent_of("S103", "%党员大会提醒%").await, 0);
    for key in ["S101", "S102", "S104", "S106", "S107", "S110"] {
        assert_eq!(texts(&w.read(key).await), [REMINDER], "{key}");
    }
    // The activist (S105) is not a party member: no reminder; T001 is in another branch.
    assert!(w.read("T001").await.is_empty());

    // Answers: a button, a typed word with a reason, a number with a reason, leave asked.
    let r = w.tap("S103", &format!("rsvp:attend:{id}")).await;
    assert_eq!(
        texts(&r),
        ["已为您登记参加：10月15日（周四）19:30 党员大会。如有变化，可改为请假。"]
    );
    let r = w.tap("S106", &format!("rsvp:leave:{id}")).await;
    assert_eq!(texts(&r), ["请简要说明请假原因（如：出差、上课冲突）。"]);
    let r = w.say("S106", "外出参加学术会议").await;
    assert_eq!(
        texts(&r),
        ["已为您登记请假：10月15日（周四）19:30 党员大会，原因：外出参加学术会议。支部书记会收到通知。\n\
          会后请按要求补学。如有变化，可改为参加。"]
    );
    let r = w.say("S107", "请假 出差").await;
    assert_eq!(
        r[0].0.lines().next().unwrap(),
        "已为您登记请假：10月15日（周四）19:30 党员大会，原因：出差。支部书记会收到通知。"
    );
    let r = w.say("S102", "2 上课冲突").await;
    assert_eq!(
        r[0].0.lines().next().unwrap(),
        "已为您登记请假：10月15日（周四）19:30 党员大会，原因：上课冲突。支部书记会收到通知。"
    );
    let r = w.say("S110", "请假，家中有事").await;
    assert_eq!(
        r[0].0.lines().next().unwrap(),
        "已为您登记请假：10月15日（周四）19:30 党员大会，原因：家中有事。支部书记会收到通知。"
    );
    assert_eq!(
        texts(&w.read("S101").await),
        [
            "林小雨请假：10月15日（周四）19:30 党员大会，原因：外出参加学术会议。",
            "何宇航请假：10月15日（周四）19:30 党员大会，原因：出差。",
            "孙丽请假：10月15日（周四）19:30 党员大会，原因：上课冲突。",
            "郑佳琪请假：10月15日（周四）19:30 党员大会，原因：家中有事。",
        ]
    );
    let r = w.say("S101", &format!("/attendance {id}")).await;
    assert_eq!(
        r[0].0,
        format!(
            "党员大会 · 10月15日（周四）19:30\n参加：马超\n请假：孙丽（上课冲突）、林小雨（外出参加学术会议）、何宇航（出差）、郑佳琪（家中有事）\n\
             未回复：黄晓明、胡静怡、高婷婷、罗浩然\n已签到：—\n签到码：{code}"
        )
    );
    assert_eq!(r[0].1, ["提醒未回复者", "代请假", "签到大屏"]);
    let r = w.tap("S101", &format!("meet:nudge:{id}")).await;
    // 高婷婷 has no mobile number and 罗浩然's cannot be used without an SMS gateway.
    assert_eq!(
        texts(&r),
        ["已再次提醒 1 位未回复的同志。\n另有 2 位无法送达（无手机号：1 位，有手机号但未接短信网关：1 位）。"]
    );
    assert_eq!(texts(&w.read("S104").await), [REMINDER]);
    assert!(
        w.read("S103").await.is_empty(),
        "who answered is not nudged"
    );

    // One day before: reminders to all but those on leave, and the quorum warning: 3 of the 7
    // members with a vote are expected, which is not more than half.
    w.advance_to("2026-10-14T19:30:00+08:00").await;
    assert_eq!(texts(&w.read("S103").await), [REMINDER]);
    assert!(
        w.read("S106").await.is_empty(),
        "on leave: no more reminders"
    );
    assert_eq!(
        texts(&w.read("S101").await),
        [
            REMINDER,
            "【学生第一党支部】明天的党员大会（10月15日（周四）19:30）预计到会有表决权党员 3/7，不超过半数，无法表决。请做好动员或调整时间。"
        ]
    );

    // One hour before: urgent, and the secretary gets the sign-in code.
    w.advance_to("2026-10-15T18:30:00+08:00").await;
    assert_eq!(texts(&w.read("S103").await), [REMINDER]);
    assert_eq!(w.urgent_of("S103", "%党员大会提醒%").await, 1);
    let r = w.read("S101").await;
    assert_eq!(
        r[1].0,
        format!("【学生第一党支部】党员大会（10月15日（周四）19:30）签到码：{code}。会前 30 分钟开放签到，请参会同志发送签到码签到。")
    );

    // Sign-in: too early, mistyped, from someone not expected, on time, late, on behalf.
    let r = w.say("S103", &code).await;
    assert_eq!(
        texts(&r),
        ["签到还没开始：会议在 10月15日（周四）19:30，会前 30 分钟开放签到。"]
    );
    // 代签 is refused before sign-in opens, and signs nobody in.
    assert_eq!(
        texts(
            &w.say("S101", &format!("/proxysignin {id} S109 在外地线上参会"))
                .await
        ),
        ["还不能代签：会议在 10月15日（周四）19:30，会前 30 分钟开放签到后才能代签。"]
    );
    w.advance_to("2026-10-15T19:10:00+08:00").await;
    assert_eq!(
        texts(&w.say("S103", "000000").await),
        ["签到码 000000 无效，或签到已经结束。请核对后重发。"]
    );
    // The code alone, or after the word 签到 with or without a space.
    assert_eq!(
        texts(&w.say("S103", &format!("签到 {code}")).await),
        ["签到成功：党员大会。"]
    );
    assert_eq!(
        texts(&w.say("S103", &format!("签到{code}")).await),
        ["您已经签到过了。"]
    );
    assert_eq!(texts(&w.say("S103", &code).await), ["您已经签到过了。"]);
    assert_eq!(
        texts(&w.say("T001", &format!("/signin {code}")).await),
        ["您不在这个会议的参会名单里。如有疑问请联系书记。"]
    );
    // Answers cannot change once it has started (S104 had the 1-day and 1-hour reminders).
    assert_eq!(texts(&w.read("S104").await), [REMINDER, REMINDER]);
    w.advance_to("2026-10-15T19:40:00+08:00").await;
    assert_eq!(
        texts(&w.tap("S104", &format!("rsvp:attend:{id}")).await),
        ["这个会议已经开始、已取消，或不需要您参加，无法再修改。有疑问请联系书记。"]
    );
    assert_eq!(
        texts(&w.say("S101", &format!("/start si_{code}")).await),
        ["签到成功：党员大会（迟到）。"]
    );
    // Without a reason, the reason is asked for.
    assert_eq!(
        texts(&w.say("S101", &format!("/proxysignin {id} S109")).await),
        ["请输入代签原因（如：手机没电、现场统一签到）。"]
    );
    assert_eq!(
        texts(&w.say("S101", "在外地线上参会").await),
        ["已为 罗浩然 代签。"]
    );

    // After the end: who missed it without leave is asked to make up the study.
    w.advance_to("2026-10-15T21:30:00+08:00").await;
    assert_eq!(
        texts(&w.read("S104").await),
        [format!("【学生第一党支部】您未请假缺席了10月15日（周四）19:30的党员大会。请按要求补学，完成后发送 /makeup {id} 登记，并向支部书记说明情况。").as_str()]
    );
    assert!(w.read("S106").await.is_empty(), "on leave: not absent");
    assert!(w.read("S103").await.is_empty(), "signed in");

    // No minutes a day later: the secretary is reminded; then submits them.
    w.advance_to("2026-10-16T21:30:00+08:00").await;
    assert_eq!(
        texts(&w.read("S101").await),
        [format!(
            "【学生第一党支部】10月15日（周四）19:30的党员大会（#{id}）还没有会议记录，请发送 /minutes {id} 提交。"
        )]
    );
    let r = w.say("S101", &format!("/minutes {id}")).await;
    assert_eq!(
        texts(&r),
        ["请发送会议记录正文，并写明主持人和记录人，例如：\n主持人：黄晓明\n记录人：孙丽\n（会议内容）"]
    );
    // Without who chaired and who recorded, nothing is saved and they are asked for.
    let r = w
        .say("S101", "主持人：黄晓明\n传达学习全会精神，讨论发展对象。")
        .await;
    assert_eq!(
        texts(&r),
        ["会议记录还缺记录人，没有保存。请在记录里写明“主持人：姓名”和“记录人：姓名”，再发送完整记录。"]
    );
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_minutes")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(saved, 0);
    let r = w
        .say(
            "S101",
            "主持人：黄晓明\n记录人：孙丽\n传达学习全会精神，讨论发展对象。",
        )
        .await;
    assert_eq!(
        texts(&r),
        ["会议记录已保存：党员大会 · 10月15日（周四）19:30\n议题：学习贯彻全会精神\n主持人：黄晓明　记录人：孙丽\n签到：3/9\n请假：孙丽（上课冲突）、林小雨（外出参加学术会议）、何宇航（出差）、郑佳琪（家中有事）\n缺席：胡静怡、高婷婷\n附件：暂无。会议照片、签到表可直接发给我，选择这次会议即可归档。"]
    );

    // Two weeks before the quarter ends: no party lesson yet in the student branch, and
    // nothing at all in the teachers' branch.
    w.advance_to("2026-12-17T09:00:00+08:00").await;
    assert_eq!(
        texts(&w.read("S101").await),
        ["提醒：本季度（2026年第四季度）还没有召开或安排：党课。季度末前请抓紧安排（发送 /meeting）。"]
    );
    assert_eq!(
        texts(&w.read("T001").await),
        ["提醒：本季度（2026年第四季度）还没有召开或安排：党员大会、党课。季度末前请抓紧安排（发送 /meeting）。"]
    );

    // The quarter's compliance, as the college committee sees it: 3 of 9 signed in (33%),
    // 4 of 9 on leave (44%), minutes for the one meeting held.
    w.advance_to("2026-12-31T12:00:00+08:00").await;
    let r = w.say("T001", "/compliance 2026Q4").await;
    assert_eq!(
        texts(&r),
        ["三会一课落实情况（2026年第四季度）\n\n\
          学生第一党支部\n\
          会议：党员大会 1 · 支委会 0 · 党小组会 0 · 党课 0\n\
          出席率 33% · 请假率 44% · 有会议记录 1/1\n\
          未达要求：支委会、党小组会、党课、主题党日、组织生活会\n\
          补学 0/6 人次 · 未补学的无故缺席 2 人次\n\n\
          学生第二党支部\n\
          会议：党员大会 0 · 支委会 0 · 党小组会 0 · 党课 0\n\
          出席率 — · 请假率 — · 有会议记录 0/0\n\
          未达要求：党员大会、支委会、党小组会、党课、主题党日、组织生活会\n\
          补学 0/0 人次 · 未补学的无故缺席 0 人次\n\n\
          教工第一党支部\n\
          会议：党员大会 0 · 支委会 0 · 党小组会 0 · 党课 0\n\
          出席率 — · 请假率 — · 有会议记录 0/0\n\
          未达要求：党员大会、支委会、党小组会、党课、主题党日、组织生活会\n\
          补学 0/0 人次 · 未补学的无故缺席 0 人次"]
    );
    // Any period `branchbot report` reads: the year holds the same meeting.
    let year = texts(&w.say("T001", "/compliance 2026").await).join("\n");
    assert!(
        year.starts_with(
            "三会一课落实情况（2026年）\n\n学生第一党支部\n会议：党员大会 1 · 支委会 0"
        ),
        "{year}"
    );
    assert_eq!(
        texts(&w.say("T001", "/compliance 2026Q5").await),
        ["未能识别时段“2026Q5”。可以写：2026Q4（季度）、2026-11（月份）、2026（年份），或 2026-10-01..2026-12-31（日期范围）。"]
    );
    assert_eq!(
        texts(&w.say("T001", "/compliance 2000-01-01..2200-12-31").await),
        ["时段“2000-01-01..2200-12-31”超过了 5 年。请选短一些的时段，例如一年（2026）或 2022-01-01..2026-12-31。"]
    );
    assert_eq!(
        texts(&w.say("S103", "/compliance").await),
        ["只有本支部的书记和支委可以管理会议。需要帮助请发 /help。"]
    );
}

/// Creates a committee meeting of 学生第一党支部 at `at` (local), as the CLI does.
async fn committee_meeting(w: &World, at: &str) -> i64 {
    let mut tx = w.store.begin().await.unwrap();
    let branch = members::branch_id(&mut tx, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let kind = branchbot::domain::meetings::MeetingKind::Committee;
    let starts = t(at).timestamp_millis();
    let by = branchbot::meetings::service::Creator {
        registry: w.engine.jobs.registry(),
        rules: &w.engine.meetings,
        tz: chrono_tz::Asia::Shanghai,
        now: w.clock.now(),
        actor: branchbot::store::audit::Actor::operator(),
    };
    let id = branchbot::meetings::service::create(
        &mut tx,
        &by,
        branchbot::meetings::store::NewMeeting {
            branch_id: branch,
            kind,
            starts_at: starts,
            ends_at: starts + 3_600_000,
            place: "党员活动室".into(),
            topic: "支委会".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        },
        branchbot::meetings::service::Invited::Default(None),
    )
    .await
    .unwrap()
    .id;
    tx.commit().await.unwrap();
    id
}

#[tokio::test(start_paused = true)]
async fn a_typed_answer_with_two_meetings_listed_is_asked_about_and_then_applied_to_the_one_picked()
{
    let mut w = World::new(t("2026-10-01T09:00:00+08:00"))
        .await
        .on_console();
    w.bind("S102").await;
    let first = committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    let second = committee_meeting(&w, "2026-10-21T19:00:00+08:00").await;
    let listed = w.say("S102", "/meetings").await;
    let offers: Vec<&Vec<String>> = listed
        .iter()
        .map(|(_, c)| c)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(offers.len(), 2, "{listed:?}");
    // "2 出差" fits both meetings' 请假: nothing is recorded, the member is asked which.
    let which = w.say("S102", "2 出差").await;
    assert_eq!(which.len(), 1, "{which:?}");
    assert_eq!(
        which[0].0,
        "您回复的“2 出差”可以指以下几项，请选择您指的是哪一项："
    );
    assert_eq!(which[0].1.len(), 2, "{which:?}");
    assert!(
        which[0].1[0].contains("10月20日（周二）19:00") && which[0].1[0].ends_with(" → 请假"),
        "{which:?}"
    );
    assert!(
        which[0].1[1].contains("10月21日（周三）19:00") && which[0].1[1].ends_with(" → 请假"),
        "{which:?}"
    );
    let none: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM meeting_attendees WHERE rsvp <> 'none'")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(none, 0);
    // The pick keeps the reason typed with the ambiguous answer, and says what it applied to.
    let done = w.say("S102", "2").await;
    assert!(
        done[0].0.starts_with(
            "已为您登记请假：10月21日（周三）19:00 支委会，原因：出差。支部书记会收到通知。"
        ),
        "{done:?}"
    );
    let status: String = sqlx::query_scalar(
        "SELECT a.rsvp FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
         WHERE a.meeting_id = $1 AND m.key = 'S102'",
    )
    .bind(second)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(status, "leave");
    // Attending twice says it was confirmed before.
    let attend = format!("rsvp:attend:{first}");
    assert_eq!(
        texts(&w.tap("S102", &attend).await),
        ["已为您登记参加：10月20日（周二）19:00 支委会。如有变化，可改为请假。"]
    );
    assert_eq!(
        texts(&w.tap("S102", &attend).await),
        ["您已确认过参加：10月20日（周二）19:00 支委会。如有变化，可改为请假。"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_third_absence_in_a_row_without_leave_is_flagged_to_the_secretary() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00")).await;
    for key in ["S101", "S102"] {
        w.bind(key).await;
    }
    // The committee (黄晓明 S101, 孙丽 S102) meets monthly; 孙丽 never comes nor asks for leave.
    for (at, code_at) in [
        ("2026-10-10T19:00:00+08:00", "2026-10-10T19:05:00+08:00"),
        ("2026-11-10T19:00:00+08:00", "2026-11-10T19:05:00+08:00"),
        ("2026-12-10T19:00:00+08:00", "2026-12-10T19:05:00+08:00"),
    ] {
        let id = committee_meeting(&w, at).await;
        let code: String = sqlx::query_scalar("SELECT signin_code FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
        w.advance_to(code_at).await;
        w.say("S101", &code).await;
        w.advance_to(&at.replace("19:00", "20:00")).await;
    }
    let sun: Vec<String> = w
        .read("S102")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.contains("缺席"))
        .collect();
    assert_eq!(sun.len(), 3, "{sun:?}");
    let flags: Vec<String> = w
        .read("S101")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.contains("连续"))
        .collect();
    assert_eq!(
        flags,
        ["【学生第一党支部】孙丽同志已连续 3 次无故缺席组织生活（最近一次：12月10日（周四）19:00的支委会）。请及时谈心谈话，了解情况。"]
    );
}

/// Puts the quarterly compliance warning on the schedule, as the built-in schedule has it.
async fn schedule_warning(w: &World) {
    let warning = branchbot::meetings::warning::ComplianceWarning;
    let expr = branchbot::scheduler::Job::builtin_schedule(&warning).unwrap();
    w.engine
        .jobs
        .schedule(
            &w.store,
            &branchbot::scheduler::JobSpec {
                kind: "meeting-compliance".into(),
                dedupe_key: "builtin:meeting-compliance".into(),
                payload: "{}".into(),
                when: branchbot::scheduler::When::Cron {
                    crontab: expr.parse().unwrap(),
                    tz: TZ,
                },
                grace: None,
            },
            w.clock.now(),
        )
        .await
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn six_months_without_organisational_life_is_flagged_with_the_quarterly_warning() {
    let mut w = World::new(t("2026-04-01T09:00:00+08:00")).await;
    for key in ["S101", "S102"] {
        w.bind(key).await;
    }
    schedule_warning(&w).await;
    // 孙丽 (S102) misses the April and July committee meetings; 黄晓明 signs in at both.
    for at in ["2026-04-10T19:00:00+08:00", "2026-07-10T19:00:00+08:00"] {
        let id = committee_meeting(&w, at).await;
        let code: String = sqlx::query_scalar("SELECT signin_code FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
        w.advance_to(&at.replace("19:00", "19:05")).await;
        w.say("S101", &code).await;
        w.advance_to(&at.replace("19:00", "20:00")).await;
    }
    w.advance_to("2026-12-17T09:00:00+08:00").await;
    let warned: Vec<String> = w
        .read("S101")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.starts_with("提醒：本季度"))
        .collect();
    assert_eq!(
        warned,
        ["提醒：本季度（2026年第四季度）还没有召开或安排：党员大会、党课。季度末前请抓紧安排（发送 /meeting）。\n\
          以下同志已连续 6 个月未参加组织生活，请尽快联系：孙丽。"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_rescheduled_meeting_moves_its_reminders_and_a_cancelled_one_sends_none() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00")).await;
    for key in ["S101", "S102", "S103"] {
        w.bind(key).await;
    }
    let id = committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    assert_eq!(
        texts(
            &w.say("S103", &format!("/reschedule {id} 10月22日 19:00"))
                .await
        ),
        ["只有本支部的书记和支委可以管理会议。需要帮助请发 /help。"]
    );
    assert_eq!(
        texts(
            &w.say("S101", &format!("/reschedule {id} 2月30日 19:00"))
                .await
        ),
        ["“2月30日 19:00”不是一个存在的日期，请检查月份和日期。"]
    );
    assert_eq!(
        texts(
            &w.say("S101", &format!("/reschedule {id} 10月22日 19:00"))
                .await
        ),
        ["已改期到 10月22日（周四）19:00，提醒随之调整，参会同志已收到通知。"]
    );
    assert_eq!(
        texts(&w.read("S102").await),
        ["【学生第一党支部】支委会改期：\n原定：10月20日（周二）19:00\n改为：10月22日（周四）19:00\n地点：党员活动室"]
    );
    // The three-day reminder follows the meeting: not on the 17th, but on the 19th.
    w.advance_to("2026-10-17T19:00:00+08:00").await;
    assert!(w.read("S102").await.is_empty());
    w.advance_to("2026-10-19T19:00:00+08:00").await;
    let r = w.read("S102").await;
    assert!(r[0].0.contains("时间：10月22日（周四）19:00"), "{r:?}");
    assert_eq!(w.read("S101").await.len(), 1, "the secretary attends too");

    assert_eq!(
        texts(&w.say("S101", &format!("/cancelmeeting {id}")).await),
        [format!("会议 #{id} 已取消，参会同志已收到通知。")]
    );
    assert_eq!(
        texts(&w.read("S102").await),
        ["【学生第一党支部】原定10月22日（周四）19:00的支委会已取消。"]
    );
    assert_eq!(
        texts(&w.say("S101", &format!("/cancelmeeting {id}")).await),
        ["这个会议已经取消了。"]
    );
    w.advance_to("2026-10-22T18:00:00+08:00").await;
    assert!(
        w.read("S102").await.is_empty(),
        "no reminder for a cancelled meeting"
    );
    assert_eq!(
        texts(&w.tap("S102", &format!("rsvp:attend:{id}")).await),
        ["这个会议已经开始、已取消，或不需要您参加，无法再修改。有疑问请联系书记。"]
    );
}

#[tokio::test(start_paused = true)]
async fn configured_reminder_times_and_sign_in_window_are_the_ones_used() {
    let config: branchbot::config::Config =
        toml::from_str("[meetings]\nremind_before = [\"2h\", 10]\nsignin_opens_minutes = 5\n")
            .unwrap();
    let rules = config.meetings.rules().unwrap();
    let mut w = World::with_rules(t("2026-10-01T09:00:00+08:00"), rules).await;
    for key in ["S101", "S102"] {
        w.bind(key).await;
    }
    let id = committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    // No reminder three days or one day before: the list has neither.
    w.advance_to("2026-10-19T19:00:00+08:00").await;
    assert!(w.read("S102").await.is_empty());
    w.advance_to("2026-10-20T16:59:00+08:00").await;
    assert!(w.read("S102").await.is_empty());
    // Two hours before: an ordinary reminder.
    w.advance_to("2026-10-20T17:00:00+08:00").await;
    let r = w.read("S102").await;
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(r[0].0.contains("时间：10月20日（周二）19:00"), "{r:?}");
    assert_eq!(w.urgent_of("S102", "%支委会提醒%").await, 0);
    w.read("S101").await;
    // Ten minutes before: the urgent one, and the secretary gets the code.
    w.advance_to("2026-10-20T18:50:00+08:00").await;
    assert_eq!(w.read("S102").await.len(), 1);
    assert_eq!(w.urgent_of("S102", "%支委会提醒%").await, 1);
    let code: String = sqlx::query_scalar("SELECT signin_code FROM meetings WHERE id = $1")
        .bind(id)
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    let to_secretary = w.read("S101").await;
    let code_message = to_secretary
        .iter()
        .find(|(t, _)| t.contains(&code))
        .expect("the code goes to the secretary");
    // The secretary is told the window the organisation configured, not a fixed thirty.
    assert!(
        code_message.0.contains("会前 5 分钟开放签到"),
        "{}",
        code_message.0
    );
    // Sign-in opens five minutes before, not thirty.
    assert_eq!(
        texts(&w.say("S102", &code).await),
        ["签到还没开始：会议在 10月20日（周二）19:00，会前 5 分钟开放签到。"]
    );
    w.advance_to("2026-10-20T18:55:00+08:00").await;
    assert_eq!(texts(&w.say("S102", &code).await), ["签到成功：支委会。"]);
}

#[tokio::test(start_paused = true)]
async fn configured_cadences_drive_the_warning_a_party_lesson_twice_a_semester() {
    let config: branchbot::config::Config = toml::from_str(
        "[meetings]\nsemesters = [[\"02-20\", \"07-10\"], [\"09-01\", \"01-20\"]]\n\
         [meetings.cadence]\nlesson = \"semester:2\"\n",
    )
    .unwrap();
    let rules = config.meetings.rules().unwrap();
    let w = World::with_rules(t("2026-12-01T09:00:00+08:00"), rules).await;
    w.bind("S101").await;
    schedule_warning(&w).await;
    // One party lesson in the semester (from 1 September): one short of two.
    let mut tx = w.store.begin().await.unwrap();
    let branch = members::branch_id(&mut tx, "学生第一党支部")
        .await
        .unwrap()
        .unwrap();
    let starts = t("2026-12-05T19:00:00+08:00").timestamp_millis();
    branchbot::meetings::service::commit(
        &mut tx,
        w.engine.jobs.registry(),
        &[],
        w.clock.now(),
        branchbot::meetings::store::NewMeeting {
            branch_id: branch,
            kind: branchbot::domain::meetings::MeetingKind::Lesson,
            starts_at: starts,
            ends_at: starts + 3_600_000,
            place: "党员活动室".into(),
            topic: "党课".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    w.advance_to("2026-12-17T09:00:00+08:00").await;
    let warned: Vec<String> = w
        .read("S101")
        .await
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| t.starts_with("提醒："))
        .collect();
    assert_eq!(
        warned,
        ["提醒：本季度（2026年第四季度）还没有召开或安排：党员大会。季度末前请抓紧安排（发送 /meeting）。\n\
          提醒：本学期党课应至少召开 2 次，目前已召开或安排 1 次。请抓紧安排（发送 /meeting）。"]
    );
}

#[tokio::test(start_paused = true)]
async fn a_secretary_schedules_a_monthly_series_from_chat_after_seeing_the_next_three_dates() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00")).await;
    for key in ["S101", "S102", "S103"] {
        w.bind(key).await;
    }
    assert_eq!(
        texts(
            &w.say(
                "S103",
                "/meeting_series 主题党日; 0 19 15 * *; 党员活动室; 学习党章"
            )
            .await
        ),
        ["只有本支部的书记和支委可以管理会议。需要帮助请发 /help。"]
    );
    let r = w
        .say(
            "S101",
            "/meeting_series 主题党日; 0 25 15 * *; 党员活动室; 学习党章",
        )
        .await;
    assert!(r[0].0.starts_with("无法使用周期“0 25 15 * *”："), "{r:?}");
    assert!(texts(&w.say("S101", "/meeting_series").await)[0].starts_with("用法："));
    let r = w
        .say(
            "S101",
            "/meeting_series 主题党日；0 19 15 * *；党员活动室；学习党章；3",
        )
        .await;
    assert_eq!(
        r[0].0,
        "预览：主题党日，按周期 0 19 15 * * 安排 3 次\n最近三次：\n10月15日（周四）19:00\n\
         11月15日（周日）19:00\n12月15日（周二）19:00\n地点：党员活动室\n议题：学习党章\n参会：9 人"
    );
    assert_eq!(r[0].1, ["确认", "取消"]);
    let r = w.tap("S101", "meet:series").await;
    let starts: Vec<i64> = sqlx::query_scalar(
        "SELECT starts_at FROM meetings WHERE kind = 'themed_day' ORDER BY starts_at",
    )
    .fetch_all(w.store.pool())
    .await
    .unwrap();
    assert_eq!(
        starts,
        [
            t("2026-10-15T19:00:00+08:00").timestamp_millis(),
            t("2026-11-15T19:00:00+08:00").timestamp_millis(),
            t("2026-12-15T19:00:00+08:00").timestamp_millis(),
        ]
    );
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM meetings ORDER BY id")
        .fetch_all(w.store.pool())
        .await
        .unwrap();
    assert_eq!(
        texts(&r),
        [format!(
            "已安排 3 次主题党日（#{} 至 #{}），提醒已设置。",
            ids[0], ids[2]
        )]
    );
    // The reminders are on the schedule: three days before the first.
    w.advance_to("2026-10-12T19:00:00+08:00").await;
    let r = w.read("S102").await;
    assert!(r[0].0.contains("时间：10月15日（周四）19:00"), "{r:?}");
}

#[tokio::test(start_paused = true)]
async fn meetings_lists_a_meeting_in_progress_until_it_ends() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00")).await;
    for key in ["S101", "S102"] {
        w.bind(key).await;
    }
    committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    w.advance_to("2026-10-20T19:10:00+08:00").await;
    w.read("S102").await;
    // 孙丽 (S102) sits on the committee: the branch's line, then her own, without buttons.
    let r = w.say("S102", "/meetings").await;
    assert_eq!(
        texts(&r),
        [
            "本支部近期会议（编号 · 类型 · 时间 · 参加/请假/未回复）：\n\
             #1 支委会 10月20日（周二）19:00：参加 0 · 请假 0 · 未回复 2",
            "正在进行：支委会（10月20日（周二）19:00 开始，地点：党员活动室）。发送签到码即可签到。"
        ]
    );
    assert!(r[1].1.is_empty());
    w.advance_to("2026-10-20T20:00:00+08:00").await;
    w.read("S102").await;
    assert_eq!(
        texts(&w.say("S102", "/meetings").await),
        ["近期没有需要您参加的会议。"]
    );
}

/// The same flow with every member on the console channel: reminders arrive there (pushes
/// fall back to a console session when neither Telegram nor SMS reaches the member), and a
/// typed "2 出差" asks for leave with its reason.
#[tokio::test(start_paused = true)]
async fn over_the_console_members_get_their_reminders_and_answer_them() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00"))
        .await
        .on_console();
    for key in ["S101", "S102", "S103"] {
        w.bind(key).await;
    }
    let id = committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    w.advance_to("2026-10-17T19:00:00+08:00").await;
    let reminder = w.read("S102").await;
    assert_eq!(reminder.len(), 1, "{reminder:?}");
    assert!(
        reminder[0].0.contains("时间：10月20日（周二）19:00"),
        "{reminder:?}"
    );
    assert_eq!(reminder[0].1, vec!["参加", "请假"]);
    let ack = w.say("S102", "2 出差").await;
    assert!(
        ack[0].0.starts_with(
            "已为您登记请假：10月20日（周二）19:00 支委会，原因：出差。支部书记会收到通知。"
        ),
        "{ack:?}"
    );
    let secretary = w.read("S101").await;
    assert!(
        secretary.iter().any(|(text, _)| text.contains("出差")),
        "{secretary:?}"
    );
    let attend = w.say("S103", "1").await;
    assert!(!attend.is_empty(), "an answer comes back on the console");
    let status: String = sqlx::query_scalar(
        "SELECT a.rsvp FROM meeting_attendees a JOIN members m ON m.id = a.member_id \
         WHERE a.meeting_id = $1 AND m.key = 'S102'",
    )
    .bind(id)
    .fetch_one(w.store.pool())
    .await
    .unwrap();
    assert_eq!(status, "leave");
}

#[tokio::test(start_paused = true)]
async fn a_date_already_past_this_year_is_asked_about_and_shown_with_its_year() {
    // Monday 2026-12-07, 10:00 in Shanghai.
    let mut w = World::new(t("2026-12-07T10:00:00+08:00")).await;
    w.bind("S101").await;
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:general").await;
    let r = w.say("S101", "12月3日 19:30").await;
    assert_eq!(
        texts(&r),
        ["“12月3日 19:30”今年已经过去了。是指 2027 年 12 月 3 日吗？"]
    );
    assert_eq!(r[0].1, ["是", "不是，重新输入"]);
    // 不是: asked again, nothing taken.
    let r = w.say("S101", "不是，重新输入").await;
    assert_eq!(
        texts(&r),
        ["请输入会议时间，例如：12月10日 19:30、周三 19:30、下周三 19:30、明晚7点半、明天上午9点。"]
    );
    w.say("S101", "12月3日 19:30").await;
    assert_eq!(texts(&w.say("S101", "是").await), ["会议地点？"]);
    w.say("S101", "图书馆 305").await;
    let r = w.say("S101", "年度组织生活").await;
    assert!(
        r[0].0.contains("时间：2027年12月3日（周五）19:30"),
        "the year is shown: {}",
        r[0].0
    );
    let made: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(made, 0, "nothing before 确认");
}

#[tokio::test(start_paused = true)]
async fn spoken_times_are_understood_and_previewed_in_this_week() {
    let mut w = World::new(t("2026-12-07T10:00:00+08:00")).await;
    w.bind("S101").await;
    for (typed, shown) in [
        ("周三 19:30", "时间：12月9日（周三）19:30"),
        ("下周三 19:30", "时间：12月16日（周三）19:30"),
        ("下午3点", "时间：12月7日（周一）15:00"),
        ("晚上7点半", "时间：12月7日（周一）19:30"),
        ("明晚7点", "时间：12月8日（周二）19:00"),
        ("明天上午9点", "时间：12月8日（周二）09:00"),
        ("12-10 19：30", "时间：12月10日（周四）19:30"),
    ] {
        w.say("S101", "/meeting").await;
        w.tap("S101", "meet:kind:lesson").await;
        assert_eq!(
            texts(&w.say("S101", typed).await),
            ["会议地点？"],
            "{typed}"
        );
        w.say("S101", "党员活动室").await;
        let r = w.say("S101", "学习").await;
        assert!(r[0].0.contains(shown), "{typed}: {}", r[0].0);
        assert!(!r[0].0.contains("2026年"), "this year needs no year");
        w.tap("S101", "meet:discard").await;
    }
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:lesson").await;
    assert_eq!(
        texts(&w.say("S101", "明晚").await),
        ["“明晚”还缺具体时间，请加上几点，例如：明晚 19:30。"]
    );
}

#[tokio::test(start_paused = true)]
async fn rescheduling_to_a_date_past_this_year_asks_for_the_year_and_moves_nothing() {
    let mut w = World::new(t("2026-12-07T10:00:00+08:00")).await;
    w.bind("S101").await;
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:lesson").await;
    w.say("S101", "周三 19:30").await;
    w.say("S101", "党员活动室").await;
    w.say("S101", "学习").await;
    w.say("S101", "确认").await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    let r = w
        .say("S101", &format!("/reschedule {id} 12月3日 19:30"))
        .await;
    assert_eq!(
        texts(&r),
        ["“12月3日 19:30”今年已经过去了。如果您是指 2027 年 12 月 3 日，请写上年份，例如：2027-12-03 19:30。"]
    );
    let starts: i64 = sqlx::query_scalar("SELECT starts_at FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(starts, t("2026-12-09T19:30:00+08:00").timestamp_millis());
    let r = w
        .say("S101", &format!("/reschedule {id} 2027-12-03 19:30"))
        .await;
    assert_eq!(
        texts(&r),
        ["已改期到 2027年12月3日（周五）19:30，提醒随之调整，参会同志已收到通知。"]
    );
}

#[tokio::test(start_paused = true)]
async fn the_committee_sees_every_branch_meetings_each_named_by_its_branch() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00")).await;
    w.bind("T001").await;
    committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    let r = w.say("T001", "/meetings").await;
    assert_eq!(
        texts(&r),
        [
            "各支部近期会议（编号 · 支部 · 类型 · 时间 · 参加/请假/未回复）：\n\
          #1 学生第一党支部 支委会 10月20日（周二）19:00：参加 0 · 请假 0 · 未回复 2"
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn a_meeting_soon_promises_only_the_reminders_that_will_be_sent() {
    let mut w = World::new(t("2026-12-07T10:00:00+08:00")).await;
    w.bind("S101").await;
    for (typed, promise) in [
        ("11:09", "参会同志将在会前 1 小时收到提醒。"),
        ("明天 11:09", "参会同志将在会前 1 天和 1 小时收到提醒。"),
        (
            "10:30",
            "会议很快就要开始，来不及发提醒了，请您直接通知参会同志。",
        ),
    ] {
        w.say("S101", "/meeting").await;
        w.tap("S101", "meet:kind:committee").await;
        w.say("S101", typed).await;
        w.say("S101", "党员活动室").await;
        w.say("S101", "支委会").await;
        let r = w.say("S101", "确认").await;
        assert!(r[0].0.contains(promise), "{typed}: {}", r[0].0);
    }
}

#[tokio::test(start_paused = true)]
async fn a_party_group_meeting_is_set_for_the_group_the_secretary_chooses() {
    let mut w = World::new(t("2026-12-07T10:00:00+08:00")).await;
    w.bind("S101").await;
    w.say("S101", "/meeting").await;
    let r = w.tap("S101", "meet:kind:group").await;
    assert_eq!(texts(&r), ["哪个党小组开会？"]);
    assert_eq!(r[0].1, ["本科党小组", "研究生党小组"]);
    // The secretary (of 本科党小组) picks the other group, by typing its name.
    let r = w.say("S101", "研究生党小组").await;
    assert_eq!(
        texts(&r),
        ["请输入会议时间，例如：12月10日 19:30、周三 19:30、下周三 19:30、明晚7点半、明天上午9点。"]
    );
    w.say("S101", "周四 19:00").await;
    w.say("S101", "研究生活动室").await;
    let r = w.say("S101", "学习党章").await;
    assert_eq!(
        r[0].0,
        "预览：党小组会（研究生党小组）\n时间：12月10日（周四）19:00\n地点：研究生活动室\n议题：学习党章\n参会：5 人"
    );
    w.say("S101", "确认").await;
    let keys: Vec<String> = sqlx::query_scalar(
        "SELECT m.key FROM meeting_attendees a JOIN members m ON m.id = a.member_id ORDER BY m.key",
    )
    .fetch_all(w.store.pool())
    .await
    .unwrap();
    assert_eq!(keys, ["S106", "S107", "S108", "S109", "S110"]);
}

#[tokio::test(start_paused = true)]
async fn over_the_console_the_year_question_is_answered_by_number_and_a_new_date_is_still_read() {
    let mut w = World::new(t("2026-12-07T10:00:00+08:00"))
        .await
        .on_console();
    w.bind("S101").await;
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:lesson").await;
    let r = w.say("S101", "12月3日 19:30").await;
    assert!(r[0].0.contains("是指 2027 年 12 月 3 日吗？"), "{}", r[0].0);
    // A new date that starts with a number is a date, not option 1.
    let r = w.say("S101", "1月5日 19:30").await;
    assert!(r[0].0.contains("是指 2027 年 1 月 5 日吗？"), "{}", r[0].0);
    assert_eq!(texts(&w.say("S101", "1").await), ["会议地点？"]);
    w.say("S101", "党员活动室").await;
    let r = w.say("S101", "学习").await;
    assert!(
        r[0].0.contains("时间：2027年1月5日（周二）19:30"),
        "{}",
        r[0].0
    );
}

#[tokio::test(start_paused = true)]
async fn a_meeting_on_national_day_is_previewed_with_a_warning_and_still_created() {
    let mut w = World::new(t("2026-09-28T09:00:00+08:00")).await;
    w.bind("S101").await;
    let cal =
        branchbot::domain::calendar::parse(include_str!("../../examples/calendar.toml")).unwrap();
    let mut tx = w.store.begin().await.unwrap();
    branchbot::store::calendar::replace_years(&mut tx, &cal, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    w.say("S101", "/meeting").await;
    w.tap("S101", "meet:kind:general").await;
    w.say("S101", "10月2日 19:30").await;
    w.say("S101", "图书馆 305").await;
    let r = w.say("S101", "学习贯彻全会精神").await;
    assert_eq!(
        r[0].0,
        "预览：党员大会\n时间：10月2日（周五）19:30\n地点：图书馆 305\n议题：学习贯彻全会精神\n参会：9 人\n\
         提示：10月2日是国庆节假期，请确认会议时间无误。"
    );
    assert_eq!(r[0].1, ["确认", "取消"]);
    w.say("S101", "确认").await;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meetings")
        .fetch_one(w.store.pool())
        .await
        .unwrap();
    assert_eq!(count, 1, "a warning, not a refusal");
}

/// Conversations stored before 三会一课 had its own folder (`flows::State`'s meeting steps, as
/// they are in databases today) go on where they were: a leave reason asked for, a draft
/// waiting for its date, minutes asked for.
#[tokio::test(start_paused = true)]
async fn a_meeting_step_stored_by_the_older_binary_goes_on_where_it_was() {
    let mut w = World::new(t("2026-10-01T09:00:00+08:00"))
        .await
        .on_console();
    for key in ["S101", "S102"] {
        w.bind(key).await;
    }
    let id = committee_meeting(&w, "2026-10-20T19:00:00+08:00").await;
    w.save_state(
        "S102",
        &format!(r#"{{"step":"meeting_leave_reason","meeting_id":{id}}}"#),
    )
    .await;
    let ack = w.say("S102", "出差").await;
    assert!(
        ack[0].0.starts_with(
            "已为您登记请假：10月20日（周二）19:00 支委会，原因：出差。支部书记会收到通知。"
        ),
        "{ack:?}"
    );
    w.save_state(
        "S101",
        r#"{"step":"meeting_draft","kind":"committee","starts_at":null,"place":null,"topic":null}"#,
    )
    .await;
    // The secretary was told of the leave; then a draft of theirs goes on.
    assert!(w.read("S101").await[0].0.contains("出差"));
    assert_eq!(
        texts(&w.say("S101", "10月27日 19:00").await),
        ["会议地点？"]
    );
    assert_eq!(texts(&w.say("S101", "党员活动室").await), ["会议议题？"]);
    let preview = w.say("S101", "支委会").await;
    assert_eq!(preview[0].1, vec!["确认", "取消"], "{preview:?}");
    assert!(preview[0].0.contains("党员活动室"), "{preview:?}");
    w.save_state(
        "S101",
        &format!(r#"{{"step":"meeting_minutes","meeting_id":{id}}}"#),
    )
    .await;
    w.advance_to("2026-10-20T21:30:00+08:00").await;
    w.read("S101").await;
    let saved = w
        .say(
            "S101",
            "主持人：黄晓明\n记录人：孙丽\n学习了全会精神，讨论了发展党员工作。",
        )
        .await;
    assert!(!saved.is_empty(), "the minutes are answered");
    let minutes: Option<String> =
        sqlx::query_scalar("SELECT body FROM meeting_minutes WHERE meeting_id = $1")
            .bind(id)
            .fetch_optional(w.store.pool())
            .await
            .unwrap();
    assert!(
        minutes.is_some_and(|m| m.contains("学习了全会精神")),
        "{saved:?}"
    );
}
