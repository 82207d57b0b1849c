//! Whole conversations over SMS, as a member reads them on a phone.

use branchbot::channels::sms::encoding;
use branchbot::config::sms::GatewayKind;

use super::{spawn_sms, spawn_sms_with, EMILY, LIU, STRANGER};
use crate::helpers::{invite_code, Db, WAIT};

#[tokio::test]
async fn a_member_talks_to_the_bot_over_sms_by_number_and_word() {
    let app = spawn_sms(GatewayKind::Android).await;
    let me = app.ask(LIU, "/me", 1).await;
    assert_eq!(
        me[0].text,
        "姓名：刘洋\n编号：T004\n党支部：教工第一党支部\n党小组：第一党小组\n身份：党员\n\
         学院党委委员：否\n手机：+86138****0004\n语言：中文"
    );
    let offer = app.ask(LIU, "/lang", 1).await;
    assert_eq!(offer[0].text, "请选择语言：\n回复 1 中文，2 English");
    let wrong = app.ask(LIU, "3", 1).await;
    assert_eq!(wrong[0].text, "没有选项 3。请回复：1 中文，2 English。");
    let english = app.ask(LIU, "2", 1).await;
    assert_eq!(
        english[0].text,
        "OK, I will speak English with you from now on."
    );
    let offer = app.ask(LIU, "/lang", 1).await;
    assert_eq!(offer[0].text, "Choose a language:\nReply 1 中文, 2 English");
    let back = app.ask(LIU, "  中文。 ", 1).await;
    assert_eq!(back[0].text, "好的，以后用中文和您交流。");
    app.ask(LIU, "/lang", 1).await;
    let again = app.ask(LIU, "English", 1).await;
    assert_eq!(
        again[0].text,
        "OK, I will speak English with you from now on."
    );
    app.ask(LIU, "/lang", 1).await;
    let full_width = app.ask(LIU, "１", 1).await;
    assert_eq!(full_width[0].text, "好的，以后用中文和您交流。");

    let long = "长".repeat(1000);
    let too_long = app.ask(LIU, &long, 1).await;
    assert_eq!(
        too_long[0].text,
        "消息太长了（最多 500 个字）。请分几次发送。"
    );
    let empty = app.ask(LIU, "", 1).await;
    assert_eq!(empty[0].text, "消息是空的。需要帮助请发 /help。");

    // The member is known by the roster's number: no binding, one conversation on SMS.
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM conversations WHERE channel = 'sms'")
            .await,
        1
    );
    // What was read is not kept once processed; the over-long text was never stored.
    app.eventually(
        "SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL AND payload <> ''",
        0,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn each_row_carries_the_segments_its_sms_text_took() {
    let app = spawn_sms(GatewayKind::Generic).await;
    let help = app.ask(LIU, "/help", 1).await;
    let offer = app.ask(LIU, "/lang", 1).await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE status = 'sent'", 2)
        .await;
    let rows: Vec<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT body, segments, provider_id FROM outbox WHERE channel = 'sms' ORDER BY id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    assert_eq!(rows[0].1, encoding::segments(&help[0].text) as i64);
    assert!(rows[0].1 >= 2, "the help text is long: {}", help[0].text);
    // The options line is part of what is counted.
    assert_eq!(rows[1].0, "请选择语言：");
    assert_eq!(rows[1].1, 1);
    assert_eq!(offer[0].text, "请选择语言：\n回复 1 中文，2 English");
    // The generic template got the bot's reference and the provider's id came back.
    assert!(help[0].raw.contains("\"ref\":\"bb-"), "{}", help[0].raw);
    assert_eq!(rows[0].2.as_deref(), Some(help[0].id.as_str()));
    app.stop().await;
}

#[tokio::test]
async fn the_same_reply_is_buttons_on_telegram_and_numbered_options_over_sms() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    // Bind a Telegram chat to the same member with an invite code.
    let code = invite_code(&app.store, "T004").await;
    let chat = 4_004;
    app.telegram.push_text(chat, &format!("/start {code}"));
    app.telegram.wait_sent(chat, 2, WAIT).await;
    app.telegram.push_text(chat, "/lang");
    let on_telegram = app.telegram.wait_sent(chat, 3, WAIT).await;
    assert_eq!(on_telegram[2].text, "请选择语言：");
    assert_eq!(on_telegram[2].labels(), vec!["中文", "English"]);

    let over_sms = app.ask(LIU, "/lang", 1).await;
    assert_eq!(over_sms[0].text, "请选择语言：\n回复 1 中文，2 English");
    assert_eq!(over_sms[0].from.as_deref(), Some("+15005550006"));
    // Each channel keeps its own step: the typed answer works on SMS.
    let answer = app.ask(LIU, "2", 1).await;
    assert_eq!(
        answer[0].text,
        "OK, I will speak English with you from now on."
    );
    app.stop().await;
}

#[tokio::test]
async fn an_english_reader_gets_english_options() {
    let app = spawn_sms(GatewayKind::Android).await;
    let offer = app.ask(EMILY, "/lang", 1).await;
    assert_eq!(offer[0].text, "Choose a language:\nReply 1 中文, 2 English");
    let wrong = app.ask(EMILY, "7", 1).await;
    assert_eq!(
        wrong[0].text,
        "There is no option 7. Reply with: 1 中文, 2 English."
    );
    // A reason after the number is fine too; the number chooses.
    let chosen = app.ask(EMILY, "[1] thanks", 1).await;
    assert_eq!(chosen[0].text, "好的，以后用中文和您交流。");
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_number_gets_one_short_explanation_a_day_and_is_not_kept() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let first = app.ask(STRANGER, "你好，请问这是哪里？", 1).await;
    assert_eq!(
        first[0].text,
        "您好！这里是学院党委组织生活助手。此号码不在党员名册中，如有疑问请联系所在支部书记。回复TD退订。"
    );
    assert_eq!(encoding::segments(&first[0].text), 1);
    app.text(STRANGER, "hello??").await;
    app.text(STRANGER, "/me").await;
    app.quiet(STRANGER, 1).await;
    let english = app.ask("+447700900123", "Hi, who is this?", 1).await;
    assert!(
        english[0]
            .text
            .starts_with("Hello! This is the college Party committee's assistant."),
        "{}",
        english[0].text
    );

    // Nothing ties the bot to these numbers: no payload, no address once sent, no binding,
    // no conversation, and only keyed tags (not numbers) for the once-a-day rule.
    app.eventually("SELECT COUNT(*) FROM outbox WHERE address IS NOT NULL", 0)
        .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL AND payload <> ''")
            .await,
        0
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM inbox").await, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM sms_optouts").await, 0);
    let tags: Vec<String> = sqlx::query_scalar("SELECT tag FROM sms_strangers")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert_eq!(tags.len(), 2);
    assert!(tags
        .iter()
        .all(|t| t.len() == 64 && t.chars().all(|c| c.is_ascii_hexdigit())));
    for sql in [
        "SELECT COUNT(*) FROM outbox WHERE body LIKE '%912345678%' OR address LIKE '%912345678%'",
        "SELECT COUNT(*) FROM inbox WHERE payload LIKE '%912345678%' OR external_id LIKE '%912345678%'",
        "SELECT COUNT(*) FROM sms_strangers WHERE tag LIKE '%912345678%'",
    ] {
        assert_eq!(app.count(sql).await, 0, "{sql}");
    }
    app.stop().await;
}

#[tokio::test]
async fn a_conversation_over_sms_works_the_same_on_postgres() {
    let Some(app) = spawn_sms_with(GatewayKind::Generic, Db::Postgres, |_| {}).await else {
        return;
    };
    let offer = app.ask(LIU, "/lang", 1).await;
    assert_eq!(offer[0].text, "请选择语言：\n回复 1 中文，2 English");
    let chosen = app.ask(LIU, "2", 1).await;
    assert_eq!(
        chosen[0].text,
        "OK, I will speak English with you from now on."
    );
    let stop = app.ask(LIU, "TD", 1).await;
    assert_eq!(
        stop[0].text,
        "You are unsubscribed and will get no more notices at this number. Reply START to subscribe again."
    );
    let stranger = app.ask(STRANGER, "你好", 1).await;
    assert!(stranger[0].text.contains("此号码不在党员名册中"));
    app.stop().await;
}

#[tokio::test]
async fn a_stranger_rates_a_model_dormitory_by_sms_with_a_keyword_and_numbers() {
    let app = spawn_sms(GatewayKind::Android).await;
    let lines =
        branchbot::domain::targets::parse(include_bytes!("../../../examples/targets.csv"), false)
            .unwrap();
    let mut tx = app.store.begin().await.unwrap();
    branchbot::feedback::load::load(&mut tx, &lines)
        .await
        .unwrap()
        .unwrap();
    tx.commit().await.unwrap();
    let intro = app.ask(STRANGER, "评价 D12-305", 1).await;
    assert!(
        intro[0]
            .text
            .starts_with("评价：学生党员示范宿舍 · 12号楼 305（匿名，不记录您的身份）"),
        "{}",
        intro[0].text
    );
    assert!(
        intro[0].text.ends_with("回复 1 满意，2 基本满意，3 不满意"),
        "{}",
        intro[0].text
    );
    // The intro, the question and the options fit in one SMS (they took two).
    assert_eq!(encoding::segments(&intro[0].text), 1, "{}", intro[0].text);
    let ask = app.ask(STRANGER, "2", 1).await;
    assert!(
        ask[0].text.starts_with("想补充几句吗？（可跳过）"),
        "{}",
        ask[0].text
    );
    let thanks = app.ask(STRANGER, "晚上有时比较吵", 1).await;
    assert!(
        thanks[0].text.starts_with("谢谢！您的回执码："),
        "{}",
        thanks[0].text
    );
    // The number is kept nowhere: the replies' addresses and bodies are erased once sent.
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE anonymous = 1 AND (address IS NOT NULL OR body <> '')",
        0,
    )
    .await;
    // Accepted: sealed in the pool, published once four others have rated too.
    assert_eq!(app.count("SELECT COUNT(*) FROM feedback_pool").await, 1);
    app.stop().await;
}
