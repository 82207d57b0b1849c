//! Notices with 收到请回复, as the secretary and the members read them: the guided flow and its
//! preview, confirmations by button and by typed reply, the status, the re-nudge of the
//! unconfirmed only, refusals, and the SMS escalation with the fake SMS gateway.

use branchbot::config::sms::GatewayKind;

use crate::helpers::{spawn_app, tap, TestApp, WAIT};
use crate::sms::spawn_sms;

/// 谢文博 (S201), secretary of 学生第二党支部; 唐志强 (S203), 韩梅梅 (S204) and 彭博 (S207) are
/// members of that branch.
const SECRETARY: i64 = 201;
const TANG: i64 = 203;
const HAN: i64 = 204;
const PENG: i64 = 207;

const TEXT: &str = "周五前提交个人承诺践诺情况。";

/// The secretary composes and sends an urgent notice to the whole branch, asking for 收到.
async fn send_branch_notice(app: &TestApp) {
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    assert_eq!(scope[0].text, "发给谁？");
    assert_eq!(
        scope[0].labels(),
        vec![
            "全支部党员",
            "指定党小组",
            "支委会成员",
            "正式党员",
            "入党积极分子",
            "群众",
            "全支部人员（含入党积极分子、群众）"
        ]
    );
    let ask = tap(app, SECRETARY, &scope[0], "全支部党员", 1).await;
    assert_eq!(ask[0].text, "请输入通知内容。");
    let confirm = app.ask(SECRETARY, TEXT, 1).await;
    assert_eq!(confirm[0].text, "需要大家回复“收到”吗？");
    let urgent = tap(app, SECRETARY, &confirm[0], "需要", 1).await;
    assert_eq!(urgent[0].labels(), vec!["不紧急", "紧急"]);
    let plans = tap(app, SECRETARY, &urgent[0], "紧急", 1).await;
    assert_eq!(
        plans[0].labels(),
        vec![
            "不自动提醒",
            "每 5 分钟提醒一次，共 3 次",
            "每 5 分钟提醒一次，共 3 次，第 2 次起改发短信",
            "每 30 分钟提醒一次，共 2 次，第 2 次起改发短信"
        ]
    );
    let preview = tap(app, SECRETARY, &plans[0], "不自动提醒", 1).await;
    assert_eq!(
        preview[0].text,
        format!(
            "{TEXT}\n——\n预览：3 人将收到（Telegram 3 人）。\n\
             其中：正式党员 7 人，预备党员 1 人。\n\
             另有 5 人无法送达（未绑定账号，也无法发短信）。\n需要随通知发送文件，可以现在把文件发给我。"
        )
    );
    assert_eq!(preview[0].labels(), vec!["发送", "修改", "取消"]);
    // Nothing goes out before [发送].
    assert_eq!(app.count("SELECT COUNT(*) FROM notices").await, 0);
    let sent = tap(app, SECRETARY, &preview[0], "发送", 1).await;
    assert_eq!(
        sent[0].text,
        "已发送（通知 #1，3 人）。/notice_status 查看确认情况。"
    );
}

#[tokio::test]
async fn a_secretary_sends_a_notice_and_sees_exactly_who_confirmed() {
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    for (chat, key) in [(TANG, "S203"), (HAN, "S204"), (PENG, "S207")] {
        app.bind(chat, key).await;
    }
    send_branch_notice(&app).await;
    let expected = format!("【紧急通知】谢文博（学生第二党支部）\n{TEXT}\n收到请回复。");
    let mut received = Vec::new();
    for chat in [TANG, HAN, PENG] {
        let got = app.fake.wait_sent(chat, 3, WAIT).await;
        assert_eq!(got[2].text, expected);
        assert_eq!(got[2].labels(), vec!["收到"]);
        received.push(got[2].clone());
    }
    // 唐志强 taps 收到, twice; 韩梅梅 types it.
    let done = tap(&app, TANG, &received[0], "收到", 1).await;
    assert_eq!(done[0].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));
    let again = tap(&app, TANG, &received[0], "收到", 1).await;
    assert_eq!(
        again[0].text,
        format!("您已确认过通知 #1（{TEXT}），不用再回复。谢谢！")
    );
    let typed = app.ask(HAN, "收到", 1).await;
    assert_eq!(
        typed[0].text,
        format!("已确认收到通知 #1（{TEXT}），谢谢！")
    );
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'notice:%' AND status = 'sent'",
        3,
    )
    .await;

    let status = app.ask(SECRETARY, "/notice_status", 1).await;
    let lines: Vec<&str> = status[0].text.lines().collect();
    assert!(lines[0].starts_with("通知 #1（"), "{}", status[0].text);
    assert!(
        lines[0].ends_with(&format!("）：{TEXT}")),
        "{}",
        status[0].text
    );
    assert_eq!(
        lines[1..],
        [
            "共 8 人：已发送 3 · 排队中 0 · 失败 0 · 已拒收 0 · 无法送达 5",
            "已确认 2/8 · 未确认 6 人：宋雨桐、冯磊、曹雪、彭博、曾晓燕、蒋欣然",
        ]
    );
    assert_eq!(status[0].labels(), vec!["提醒未确认者"]);

    // The nudge reaches 彭博 only: the others confirmed or cannot be reached.
    let nudged = tap(&app, SECRETARY, &status[0], "提醒未确认者", 1).await;
    assert_eq!(
        nudged[0].text,
        "已提醒 1 位未确认的人。\n另有 5 位无法送达（有手机号但未接短信网关：5 位）。"
    );
    let peng = app.fake.wait_sent(PENG, 4, WAIT).await;
    assert_eq!(
        peng[3].text,
        format!("【提醒】请确认收到以下通知。\n{expected}")
    );
    let too_soon = tap(&app, SECRETARY, &status[0], "提醒未确认者", 1).await;
    assert!(
        too_soon[0].text.starts_with("刚刚提醒过，")
            && too_soon[0].text.ends_with("以后才能再次提醒。"),
        "{}",
        too_soon[0].text
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        app.fake.sent_to(TANG).len(),
        5,
        "no nudge for who confirmed"
    );
    assert_eq!(app.fake.sent_to(HAN).len(), 4);

    let ok = app.ask(PENG, "ok", 1).await;
    assert_eq!(ok[0].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));
    let status = app.ask(SECRETARY, "/notice_status 1", 1).await;
    assert!(
        status[0]
            .text
            .contains("已确认 3/8 · 未确认 5 人：宋雨桐、冯磊、曹雪、曾晓燕、蒋欣然"),
        "{}",
        status[0].text
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM notice_recipients WHERE confirmed_at IS NOT NULL")
            .await,
        3
    );
    app.stop().await;
}

#[tokio::test]
async fn a_member_is_refused_and_a_secretary_cannot_reach_beyond_the_branch() {
    let app = spawn_app().await;
    app.bind(TANG, "S203").await;
    let refused = app.ask(TANG, "/notice", 1).await;
    assert_eq!(
        refused[0].text,
        "只有书记和支委可以发送通知。需要帮助请发 /help。"
    );
    app.bind(SECRETARY, "S201").await;
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    // A forged college-wide choice is refused.
    let before = app.fake.sent_to(SECRETARY).len();
    app.deliver(
        app.fake
            .callback_update(SECRETARY, scope[0].message_id, "notice:scope:all"),
    )
    .await;
    let forged = app.fake.wait_sent(SECRETARY, before + 1, WAIT).await;
    assert_eq!(forged[before].text, "您只能给本支部发送通知。");
    // The college committee member 王建国 (T001) sees the college-wide scopes.
    app.bind(1, "T001").await;
    let college = app.ask(1, "/notice", 1).await;
    assert_eq!(
        college[0].labels()[..3],
        ["全体党员", "全体人员（含入党积极分子、群众）", "各支部书记"]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM notices").await, 0);
    app.stop().await;
}

/// Makes the pending escalation job due now and wakes the scheduler.
async fn escalate_now(store: &branchbot::store::Store, app: &branchbot::startup::Application) {
    let now = chrono::Utc::now().timestamp_millis() - 1;
    sqlx::query("UPDATE jobs SET due_at = $1, next_run_at = $1 WHERE kind = 'notice_escalation'")
        .bind(now)
        .execute(store.pool())
        .await
        .unwrap();
    app.scheduler.wake();
}

#[tokio::test]
async fn without_an_sms_gateway_the_escalation_is_recorded_as_pending() {
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    app.bind(TANG, "S203").await;
    app.bind(HAN, "S204").await;
    app.bind(PENG, "S207").await;
    send_branch_notice(&app).await;
    let usage = app.ask(SECRETARY, "/notice_escalate", 1).await;
    assert_eq!(
        usage[0].text,
        "用法：/notice_escalate 小时数 [通知编号]，例如 /notice_escalate 4（1 到 168 小时）。"
    );
    let set = app.ask(SECRETARY, "/notice_escalate 4", 1).await;
    assert!(
        set[0].text.starts_with("好的：")
            && set[0]
                .text
                .ends_with("时仍未确认的人将收到通知 #1 的短信。"),
        "{}",
        set[0].text
    );
    escalate_now(&app.store, app.app()).await;
    app.eventually(
        "SELECT COUNT(*) FROM notices WHERE escalation = 'pending'",
        1,
    )
    .await;
    let status = app.ask(SECRETARY, "/notice_status", 1).await;
    let last = status[0].text.lines().last().unwrap().to_owned();
    assert!(
        last.starts_with("短信提醒：已到时间（")
            && last.ends_with("），但没有连接短信网关，尚未发出。"),
        "{}",
        status[0].text
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE channel = 'sms'")
            .await,
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn unconfirmed_telegram_readers_get_the_notice_by_sms_when_it_escalates() {
    let app = spawn_sms(GatewayKind::Android).await;
    // 唐志强 and 韩梅梅 read Telegram; the secretary composes by SMS.
    for (chat, key) in [(TANG, "S203"), (HAN, "S204")] {
        sqlx::query(
            "INSERT INTO bindings (channel, address, member_id, bound_at) \
             SELECT 'telegram', $1, id, 0 FROM members WHERE key = $2",
        )
        .bind(chat.to_string())
        .bind(key)
        .execute(app.store.pool())
        .await
        .unwrap();
    }
    let sec = "+8613900030001";
    let scope = app.ask(sec, "/notice", 1).await;
    assert_eq!(
        scope[0].text,
        "发给谁？\n回复 1 全支部党员，2 指定党小组，3 支委会成员，4 正式党员，5 入党积极分子，\
         6 群众，7 全支部人员（含入党积极分子、群众）"
    );
    app.ask(sec, "1", 1).await;
    app.ask(sec, TEXT, 1).await;
    app.ask(sec, "1", 1).await; // 需要
    app.ask(sec, "2", 1).await; // 紧急
    let preview = app.ask(sec, "1", 1).await; // 不自动提醒
    assert!(
        preview[0].text.contains(
            "预览：8 人将收到（Telegram 2 人，短信 6 人，每人 1 条短信，共 6 条）。\n\
             其中：正式党员 7 人，预备党员 1 人。"
        ),
        "{}",
        preview[0].text
    );
    let sent = app.ask(sec, "1", 1).await;
    assert!(
        sent[0].text.starts_with("已发送（通知 #1，8 人）。"),
        "{}",
        sent[0].text
    );
    // An SMS reader confirms with "1".
    let song = "+8613900030002";
    let got = app.sms.wait_sent(song, 1, WAIT).await;
    assert!(got[0].text.ends_with("收到请回复1"), "{}", got[0].text);
    let ok = app.ask(song, "1", 1).await;
    assert_eq!(ok[0].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));
    // 韩梅梅 confirms on Telegram; 唐志强 does not.
    app.telegram.wait_sent(HAN, 1, WAIT).await;
    app.telegram.push_text(HAN, "收到");
    let han = app.telegram.wait_sent(HAN, 2, WAIT).await;
    assert_eq!(han[1].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));

    app.ask(sec, "/notice_escalate 2", 1).await;
    escalate_now(&app.store, app.app()).await;
    let tang = "+8613900030003";
    let sms = app.sms.wait_sent(tang, 1, WAIT).await;
    assert_eq!(
        sms[0].text,
        format!("【紧急通知】谢文博（学生第二党支部）\n{TEXT}\n回复 1 收到")
    );
    app.quiet("+8613900030004", 0).await;
    let ok = app.ask(tang, "收到", 1).await;
    assert_eq!(ok[0].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));
    let status = app.ask(sec, "/notice_status", 1).await;
    assert!(status[0].text.contains("已确认 3/8"), "{}", status[0].text);
    assert!(
        status[0].text.contains("短信提醒：已于 "),
        "{}",
        status[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn a_draft_can_be_edited_and_cancelled_and_nothing_is_sent() {
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    app.bind(TANG, "S203").await;
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    let groups = tap(&app, SECRETARY, &scope[0], "指定党小组", 1).await;
    assert_eq!(groups[0].text, "发给哪个党小组？");
    assert_eq!(groups[0].labels(), vec!["第一党小组", "第二党小组"]);
    tap(&app, SECRETARY, &groups[0], "第一党小组", 1).await;
    let confirm = app.ask(SECRETARY, "周五开会", 1).await;
    let urgent = tap(&app, SECRETARY, &confirm[0], "不需要", 1).await;
    let preview = tap(&app, SECRETARY, &urgent[0], "不紧急", 1).await;
    assert_eq!(
        preview[0].text,
        "周五开会\n——\n预览：1 人将收到（Telegram 1 人）。\n\
         其中：正式党员 3 人，预备党员 1 人。\n\
         另有 3 人无法送达（未绑定账号，也无法发短信）。\n需要随通知发送文件，可以现在把文件发给我。"
    );
    let edit = tap(&app, SECRETARY, &preview[0], "修改", 1).await;
    assert_eq!(edit[0].text, "请输入通知内容。");
    let confirm = app.ask(SECRETARY, "周六开会", 1).await;
    let urgent = tap(&app, SECRETARY, &confirm[0], "不需要", 1).await;
    let preview = tap(&app, SECRETARY, &urgent[0], "不紧急", 1).await;
    assert!(
        preview[0].text.starts_with("周六开会\n——\n"),
        "{}",
        preview[0].text
    );
    let cancelled = tap(&app, SECRETARY, &preview[0], "取消", 1).await;
    assert_eq!(cancelled[0].text, "已取消，通知没有发出。");
    // The old preview's [发送] no longer sends anything.
    let stale = tap(&app, SECRETARY, &preview[0], "发送", 1).await;
    assert_eq!(stale[0].text, "这个按钮已经失效了。需要帮助请发 /help。");
    assert_eq!(app.count("SELECT COUNT(*) FROM notices").await, 0);
    assert_eq!(app.fake.sent_to(TANG).len(), 2, "only the binding replies");
    app.stop().await;
}

#[test]
fn the_command_line_previews_a_notice_and_sends_it_only_with_yes() {
    let db = branchbot::testkit::db::TempSqlite::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("college.csv"),
        include_str!("../../examples/college.csv"),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_branchbot"))
            .args(["--database", &db.url])
            .args(args)
            .current_dir(dir.path())
            .env("BRANCHBOT_LOCALE", "zh-CN")
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert_eq!(run(&["import", "college.csv"]).0, Some(0));
    let send = [
        "notice",
        "send",
        "--scope",
        "role:secretary",
        "--text",
        "周五交材料",
        "--confirm",
    ];
    let (code, out, _) = run(&send);
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "周五交材料\n——\n预览：0 人将收到（Telegram 0 人）。\n\
         其中：正式党员 2 人。\n\
         另有 2 人无法送达（未绑定账号，也无法发短信）。\n\
         未发送。确认无误后加 --yes 再运行一次。\n"
    );
    let mut yes = send.to_vec();
    yes.push("--yes");
    let (_, out, _) = run(&yes);
    assert!(
        out.ends_with("已发送通知 #1（0 人）。用 branchbot notice status 1 查看确认情况。\n"),
        "{out}"
    );
    let (_, status, _) = run(&["notice", "status"]);
    let lines: Vec<&str> = status.lines().collect();
    assert_eq!(
        lines[1..],
        [
            "共 2 人：已发送 0 · 排队中 0 · 失败 0 · 已拒收 0 · 无法送达 2",
            "已确认 0/2 · 未确认 2 人：黄晓明、谢文博",
        ]
    );
    let (code, _, err) = run(&["notice", "send", "--scope", "branch:不存在", "--text", "x"]);
    assert_eq!(code, Some(2), "{err}");
}

#[tokio::test]
async fn a_notice_to_all_party_members_leaves_out_activists_and_everyone_is_a_choice_of_its_own() {
    let app = spawn_app().await;
    // 王建国 (T001) on the college committee; 马超 (S103) a member; 郭子豪 (S105) an activist.
    app.bind(1, "T001").await;
    app.bind(103, "S103").await;
    app.bind(105, "S105").await;
    let dues = "请各位党员于12月15日前完成2026年度党费缴纳。";
    let scope = app.ask(1, "/notice", 1).await;
    tap(&app, 1, &scope[0], "全体党员", 1).await;
    let confirm = app.ask(1, dues, 1).await;
    let urgent = tap(&app, 1, &confirm[0], "需要", 1).await;
    let plans = tap(&app, 1, &urgent[0], "不紧急", 1).await;
    assert_eq!(
        plans[0].labels(),
        vec![
            "不自动提醒",
            "每 2 小时提醒一次，共 1 次",
            "每 2 小时提醒一次，共 2 次，第 2 次起改发短信"
        ]
    );
    // An ordinary notice keeps the two-hour floor; the refusal names it and asks again.
    let refused = app.ask(1, "30 2", 1).await;
    assert_eq!(
        refused[0].text,
        "普通通知的提醒间隔最短为 2 小时（紧急通知最短 5 分钟）。\n\
         未确认的人要自动再提醒吗？可点选，或输入“间隔分钟 次数 [第几次起改发短信]”，\
         例如 120 2 2。普通通知最短每 2 小时提醒一次；更密的提醒请发紧急通知。"
    );
    let preview = tap(&app, 1, &refused[0], "不自动提醒", 1).await;
    // 28 party members on the roster, without the sender: 23 full, 4 probationary.
    assert_eq!(
        preview[0].text,
        format!(
            "{dues}\n——\n预览：1 人将收到（Telegram 1 人）。\n\
             其中：正式党员 23 人，预备党员 4 人。\n\
             另有 26 人无法送达（未绑定账号，也无法发短信）。\n需要随通知发送文件，可以现在把文件发给我。"
        )
    );
    let activist_before = app.fake.sent_to(105).len();
    tap(&app, 1, &preview[0], "发送", 1).await;
    app.fake.wait_sent(103, 3, WAIT).await;
    // The worker records the outcome just after Telegram took the message.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND dedupe_key LIKE 'notice:%'",
        1,
    )
    .await;
    let status = app.ask(1, "/notice_status", 1).await;
    assert!(
        status[0]
            .text
            .contains("共 27 人：已发送 1 · 排队中 0 · 失败 0 · 已拒收 0 · 无法送达 26"),
        "{}",
        status[0].text
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM notice_recipients r JOIN members m ON m.id = r.member_id \
             WHERE m.role IN ('activist', 'masses')"
        )
        .await,
        0
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(app.fake.sent_to(105).len(), activist_before, "no notice");

    // 全体人员 is chosen explicitly, and the preview says who is in it.
    let scope = app.ask(1, "/notice", 1).await;
    tap(&app, 1, &scope[0], "全体人员（含入党积极分子、群众）", 1).await;
    let confirm = app.ask(1, "周五下午举行入党积极分子培训结业式。", 1).await;
    let urgent = tap(&app, 1, &confirm[0], "不需要", 1).await;
    let preview = tap(&app, 1, &urgent[0], "不紧急", 1).await;
    assert!(
        preview[0].text.contains(
            "预览：2 人将收到（Telegram 2 人）。\n\
             其中：正式党员 23 人，预备党员 4 人，入党积极分子 2 人。"
        ),
        "{}",
        preview[0].text
    );
    tap(&app, 1, &preview[0], "发送", 1).await;
    let got = app.fake.wait_sent(105, activist_before + 1, WAIT).await;
    assert!(
        got[activist_before]
            .text
            .ends_with("周五下午举行入党积极分子培训结业式。"),
        "{:?}",
        got[activist_before]
    );
    app.stop().await;
}

#[tokio::test]
async fn console_only_members_are_counted_apart_from_telegram_and_unbound_says_how_each_is_reached()
{
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    app.bind(TANG, "S203").await;
    // 韩梅梅 (S204) only ever opened a console session.
    sqlx::query(
        "INSERT INTO bindings (channel, address, member_id, bound_at) \
         SELECT 'console', key, id, 0 FROM members WHERE key = 'S204'",
    )
    .execute(app.store.pool())
    .await
    .unwrap();
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    tap(&app, SECRETARY, &scope[0], "全支部党员", 1).await;
    let confirm = app.ask(SECRETARY, TEXT, 1).await;
    let urgent = tap(&app, SECRETARY, &confirm[0], "不需要", 1).await;
    let preview = tap(&app, SECRETARY, &urgent[0], "不紧急", 1).await;
    assert!(
        preview[0]
            .text
            .contains("预览：2 人将收到（Telegram 1 人，本机控制台 1 人）。"),
        "{}",
        preview[0].text
    );
    tap(&app, SECRETARY, &preview[0], "取消", 1).await;
    // Without an SMS gateway a mobile number reaches nobody, and /unbound says so.
    let list = app.ask(SECRETARY, "/unbound", 1).await;
    let text = &list[0].text;
    for line in [
        "· 韩梅梅（S204，仅本机控制台）",
        "· 宋雨桐（S202，有手机号但未接短信网关）",
        "· 吕思远（S209，无手机号）",
    ] {
        assert!(text.contains(line), "{line}: {text}");
    }
    assert!(!text.contains("可收短信"), "{text}");
    app.stop().await;
}

#[tokio::test]
async fn on_telegram_a_typed_1_with_a_reminder_and_a_notice_open_is_asked_about_with_buttons() {
    use branchbot::domain::meetings::{MeetingKind, MeetingRules};
    let app = spawn_app().await;
    app.bind(SECRETARY, "S201").await;
    app.bind(TANG, "S203").await;
    // A party lesson of 学生第二党支部 whose one-hour reminder falls due in two seconds.
    let now = chrono::Utc::now();
    let starts = now + chrono::TimeDelta::seconds(3602);
    let mut tx = app.store.begin().await.unwrap();
    let branch = branchbot::store::members::branch_id(&mut tx, "学生第二党支部")
        .await
        .unwrap()
        .unwrap();
    let by = branchbot::meetings::service::Creator {
        registry: app.app().scheduler.registry(),
        rules: &MeetingRules::default(),
        tz: chrono_tz::Asia::Shanghai,
        now,
        actor: branchbot::store::audit::Actor::operator(),
    };
    branchbot::meetings::service::create(
        &mut tx,
        &by,
        branchbot::meetings::store::NewMeeting {
            branch_id: branch,
            kind: MeetingKind::Lesson,
            starts_at: starts.timestamp_millis(),
            ends_at: starts.timestamp_millis() + 3_600_000,
            place: "党员活动室".into(),
            topic: "党章学习".into(),
            created_by: None,
            attendees: Vec::new(),
            signin_code: String::new(),
        },
        branchbot::meetings::service::Invited::Default(None),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.app().scheduler.wake();
    let reminder = app.fake.wait_sent(TANG, 3, WAIT * 3).await;
    assert_eq!(reminder[2].labels(), vec!["参加", "请假"]);
    // The secretary has the reminder and the sign-in code too.
    app.fake.wait_sent(SECRETARY, 4, WAIT).await;
    // Then a notice asking for 收到.
    send_branch_notice_to_party_members(&app).await;
    let notice = app.fake.wait_sent(TANG, 4, WAIT).await;
    assert_eq!(notice[3].labels(), vec!["收到"]);

    let which = app.ask(TANG, "1", 1).await;
    assert_eq!(
        which[0].text,
        "您回复的“1”可以指以下几项，请选择您指的是哪一项："
    );
    let labels = which[0].labels();
    assert!(
        labels[0].starts_with("【学生第二党支部】党课提醒") && labels[0].ends_with(" → 参加"),
        "{labels:?}"
    );
    assert_eq!(
        labels[1],
        format!("【紧急通知】谢文博（学生第二党支部） {TEXT} → 收到")
    );
    let done = tap(&app, TANG, &which[0], &labels[1], 1).await;
    assert_eq!(done[0].text, format!("已确认收到通知 #1（{TEXT}），谢谢！"));
    // The reminder is still open: 参加 answers it.
    let attend = app.ask(TANG, "参加", 1).await;
    assert!(
        attend[0].text.starts_with("已为您登记参加：") && attend[0].text.contains("党课"),
        "{}",
        attend[0].text
    );
    app.stop().await;
}

/// [`send_branch_notice`] without its assertions on the preview's figures.
async fn send_branch_notice_to_party_members(app: &TestApp) {
    let scope = app.ask(SECRETARY, "/notice", 1).await;
    tap(app, SECRETARY, &scope[0], "全支部党员", 1).await;
    let confirm = app.ask(SECRETARY, TEXT, 1).await;
    let urgent = tap(app, SECRETARY, &confirm[0], "需要", 1).await;
    let plans = tap(app, SECRETARY, &urgent[0], "紧急", 1).await;
    let preview = tap(app, SECRETARY, &plans[0], "不自动提醒", 1).await;
    tap(app, SECRETARY, &preview[0], "发送", 1).await;
}
