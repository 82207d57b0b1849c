//! Whole conversations over Telegram (long polling), as a member reads them.

use branchbot::config::TelegramMode;

use crate::helpers::{spawn_app, spawn_with, Db, Spawn, WAIT};

const CHAT: i64 = 424_242;

#[tokio::test]
async fn a_member_binds_with_an_invite_code_and_is_welcomed_by_name() {
    let app = spawn_app().await;
    let code = app.invite("T001").await;
    let replies = app.ask(CHAT, &format!("/start {code}"), 2).await;
    assert_eq!(
        replies[0].text,
        "绑定成功！欢迎您，王建国同志（教工第一党支部 · 书记）。"
    );
    assert!(
        replies[1]
            .text
            .starts_with("王建国，您可以：\n/me 查看我的信息"),
        "{}",
        replies[1].text
    );
    assert!(replies[1]
        .text
        .contains("/unbound 查看所有支部还没有绑定的成员"));
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM bindings WHERE channel = 'telegram' AND address = '424242'"
        )
        .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn binding_works_the_same_on_postgres() {
    let Some(app) = spawn_with(Spawn {
        db: Db::Postgres,
        ..Spawn::default()
    })
    .await
    else {
        return;
    };
    let code = app.invite("S101").await;
    let replies = app.ask(CHAT, &format!("/start {code}"), 2).await;
    assert_eq!(
        replies[0].text,
        "绑定成功！欢迎您，黄晓明同志（学生第一党支部 · 书记）。"
    );
    let me = app.ask(CHAT, "/me", 1).await;
    assert!(
        me[0].text.contains("党支部：学生第一党支部"),
        "{}",
        me[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn an_invite_code_works_once_and_a_used_one_is_answered_like_a_wrong_one() {
    let app = spawn_app().await;
    let code = app.invite("T004").await;
    let first = app
        .ask(1, &format!("/start {}", code.to_lowercase()), 2)
        .await;
    assert_eq!(
        first[0].text,
        "绑定成功！欢迎您，刘洋同志（教工第一党支部 · 党员）。"
    );
    // A used code gets the answer a wrong one gets: a guesser learns nothing from it.
    let again = app.ask(2, &format!("/start {code}"), 1).await;
    assert_eq!(
        again[0].text,
        "邀请码无效。请核对后重新发送，或向支部书记索取新的邀请码。"
    );
    let wrong = app.ask(3, "/start ZZZZ-ZZZZ", 1).await;
    assert_eq!(
        wrong[0].text,
        "邀请码无效。请核对后重新发送，或向支部书记索取新的邀请码。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 1);
    app.stop().await;
}

#[tokio::test]
async fn an_expired_code_is_refused() {
    let app = spawn_app().await;
    let code = app.invite("T004").await;
    sqlx::query("UPDATE invites SET expires_at = 0")
        .execute(app.store.pool())
        .await
        .unwrap();
    let replies = app.ask(CHAT, &format!("/start {code}"), 1).await;
    assert_eq!(
        replies[0].text,
        "这个邀请码已过期。请向支部书记索取新的邀请码。"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unknown_sender_is_told_how_to_bind_and_nothing_about_them_is_kept() {
    let app = spawn_app().await;
    let english = app.fake.text_update(777, "hello", "en-GB");
    app.deliver(english).await;
    let replies = app.fake.wait_sent(777, 1, WAIT).await;
    assert!(
        replies[0]
            .text
            .starts_with("Hello! This is the college Party committee's organisational assistant."),
        "{}",
        replies[0].text
    );
    let chinese = app.ask(778, "你好", 1).await;
    assert!(
        chinese[0].text.contains("请向所在党支部书记索取邀请码"),
        "{}",
        chinese[0].text
    );
    // Only the update ids stay: no payload, no binding, no conversation, and the replies'
    // addresses are erased once sent.
    app.eventually("SELECT COUNT(*) FROM inbox WHERE payload IS NOT NULL", 0)
        .await;
    app.eventually("SELECT COUNT(*) FROM outbox WHERE address IS NOT NULL", 0)
        .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM conversations").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn help_depends_on_the_role() {
    let app = spawn_app().await;
    app.bind(10, "T004").await;
    let member = app.ask(10, "/help", 1).await;
    assert!(!member[0].text.contains("/unbound"), "{}", member[0].text);
    app.bind(11, "S201").await;
    let secretary = app.ask(11, "/help", 1).await;
    assert!(
        secretary[0]
            .text
            .contains("/unbound 查看本支部还没有绑定的成员"),
        "{}",
        secretary[0].text
    );
    app.stop().await;
}

#[tokio::test]
async fn help_offers_each_role_only_the_commands_it_may_use() {
    let app = spawn_app().await;
    let has = |text: &str, command: &str| {
        text.lines()
            .any(|l| l.split(['，', ' ']).any(|w| w == command))
    };
    // A member: meetings, pledges, evaluation, /reply; not /summary or managers' commands.
    app.bind(20, "T004").await;
    let member = app.ask(20, "/help", 1).await.remove(0).text;
    for c in [
        "/meetings",
        "/signin",
        "/pledge",
        "/evaluation",
        "/reply",
        "/campaign",
    ] {
        assert!(has(&member, c), "{c} missing for a member:\n{member}");
    }
    for c in [
        "/summary",
        "/answer",
        "/hide",
        "/meeting_series",
        "/unbound",
    ] {
        assert!(!has(&member, c), "{c} offered to a member:\n{member}");
    }
    // An activist (not a party member): no meetings, sign-in, pledges or evaluation.
    app.bind(21, "S105").await;
    let activist = app.ask(21, "/help", 1).await.remove(0).text;
    for c in ["/meetings", "/signin", "/pledge", "/evaluation", "/summary"] {
        assert!(
            !has(&activist, c),
            "{c} offered to an activist:\n{activist}"
        );
    }
    for c in ["/me", "/reply", "/campaign", "/feedback"] {
        assert!(
            has(&activist, c),
            "{c} missing for an activist:\n{activist}"
        );
    }
    // A secretary: /summary, /meeting_series and /answer; /hide is the committee's.
    app.bind(22, "S201").await;
    let secretary = app.ask(22, "/help", 1).await.remove(0).text;
    for c in ["/summary", "/meeting_series", "/answer", "/evaluation"] {
        assert!(
            has(&secretary, c),
            "{c} missing for a secretary:\n{secretary}"
        );
    }
    assert!(!has(&secretary, "/hide"), "{secretary}");
    app.bind(23, "T001").await;
    let committee = app.ask(23, "/help", 1).await.remove(0).text;
    for c in ["/hide", "/answer", "/audit", "/spotcheck"] {
        assert!(
            has(&committee, c),
            "{c} missing for the committee:\n{committee}"
        );
    }
    app.stop().await;
}

#[tokio::test]
async fn a_member_switches_language_with_a_button_and_the_bot_speaks_english() {
    let app = spawn_app().await;
    app.bind(CHAT, "T004").await;
    let offer = app.ask(CHAT, "/lang", 1).await;
    assert_eq!(offer[0].text, "请选择语言：");
    assert_eq!(offer[0].labels(), vec!["中文", "English"]);
    let data = offer[0].data_of("English").unwrap();
    let before = app.fake.sent_to(CHAT).len();
    app.deliver(app.fake.callback_update(CHAT, offer[0].message_id, &data))
        .await;
    let after = app.fake.wait_sent(CHAT, before + 1, WAIT).await;
    assert_eq!(
        after[before].text,
        "OK, I will speak English with you from now on."
    );
    let me = app.ask(CHAT, "/me", 1).await;
    assert!(me[0].text.contains("Role: member"), "{}", me[0].text);
    // The button's spinner was stopped.
    let deadline = tokio::time::Instant::now() + WAIT;
    while app.fake.calls("answerCallbackQuery").is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "answerCallbackQuery was never called"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.stop().await;
}

#[tokio::test]
async fn typed_answers_pick_the_offered_choice_and_a_wrong_number_is_explained() {
    let app = spawn_app().await;
    app.bind(CHAT, "T004").await;
    app.ask(CHAT, "/lang", 1).await;
    let wrong = app.ask(CHAT, "3", 1).await;
    assert_eq!(wrong[0].text, "没有选项 3。请回复：1 中文，2 English。");
    let right = app.ask(CHAT, "English", 1).await;
    assert_eq!(
        right[0].text,
        "OK, I will speak English with you from now on."
    );
    let back = app.ask(CHAT, "/lang zh", 1).await;
    assert_eq!(back[0].text, "好的，以后用中文和您交流。");
    app.stop().await;
}

#[tokio::test]
async fn nonsense_unknown_commands_stickers_and_long_texts_get_clear_answers() {
    let app = spawn_app().await;
    app.bind(CHAT, "T004").await;
    assert_eq!(
        app.ask(CHAT, "asdfgh", 1).await[0].text,
        "抱歉，未能识别这条消息。需要帮助请发 /help。"
    );
    assert_eq!(
        app.ask(CHAT, "/frobnicate", 1).await[0].text,
        "没有 /frobnicate 这个命令。需要帮助请发 /help。"
    );
    assert_eq!(
        app.ask(CHAT, "   ", 1).await[0].text,
        "消息是空的。需要帮助请发 /help。"
    );
    let long = "长".repeat(4097);
    assert_eq!(
        app.ask(CHAT, &long, 1).await[0].text,
        "消息太长了（最多 4096 个字）。请分几次发送。"
    );
    let before = app.fake.sent_to(CHAT).len();
    app.deliver(app.fake.sticker_update(CHAT)).await;
    let sent = app.fake.wait_sent(CHAT, before + 1, WAIT).await;
    assert_eq!(
        sent[before].text,
        "抱歉，未能识别：我能读文字、照片和文件，读不了贴纸、语音和视频。需要帮助请发 /help。"
    );
    // A tap on a button of a flow that no longer exists.
    let before = app.fake.sent_to(CHAT).len();
    app.deliver(app.fake.callback_update(CHAT, 1, "nosuch:thing"))
        .await;
    let sent = app.fake.wait_sent(CHAT, before + 1, WAIT).await;
    assert_eq!(
        sent[before].text,
        "这个按钮已经失效了。需要帮助请发 /help。"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_secretary_lists_the_branch_members_who_have_not_bound() {
    let app = spawn_app().await;
    app.bind(CHAT, "S201").await;
    app.bind(CHAT + 1, "S202").await;
    let list = app.ask(CHAT, "/unbound", 1).await;
    let text = &list[0].text;
    assert!(
        text.starts_with(
            "还有 8 人未绑定账号（共 10 人）：\n· 唐志强（S203，有手机号但未接短信网关）"
        ),
        "{text}"
    );
    assert!(text.contains("· 吕思远（S209，无手机号）"), "{text}");
    assert!(!text.contains("宋雨桐"), "{text}");
    app.bind(CHAT + 2, "S203").await;
    let member = app.ask(CHAT + 2, "/unbound", 1).await;
    assert_eq!(
        member[0].text,
        "只有书记和支委可以这样做。需要帮助请发 /help。"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_secretary_makes_invite_codes_in_chat_with_the_button_under_unbound() {
    let app = spawn_app().await;
    app.bind(CHAT, "S201").await;
    let list = app.ask(CHAT, "/unbound", 1).await;
    assert!(
        !list[0].text.contains("branchbot invite"),
        "{}",
        list[0].text
    );
    assert!(
        list[0]
            .text
            .ends_with("点下方按钮即可为他们生成邀请码，不必用命令行。"),
        "{}",
        list[0].text
    );
    assert_eq!(list[0].labels(), ["为这 9 人生成邀请码"]);
    let data = list[0].data_of("为这 9 人生成邀请码").unwrap();
    let before = app.fake.sent_to(CHAT).len();
    app.deliver(app.fake.callback_update(CHAT, list[0].message_id, &data))
        .await;
    let made = app.fake.wait_sent(CHAT, before + 1, WAIT).await[before]
        .text
        .clone();
    let lines: Vec<&str> = made.lines().collect();
    assert_eq!(lines[0], "已为 9 人生成邀请码（之前未用的邀请码已作废）：");
    assert!(
        lines[10].starts_with(
            "请把邀请码分别私下发给本人：在 Telegram 中向机器人发送 /start 邀请码 即可绑定。"
        ),
        "{made}"
    );
    // 唐志强 (S203) binds with the code shown for him.
    let code = lines
        .iter()
        .find_map(|l| l.strip_prefix("· 唐志强（S203）："))
        .expect("a code for S203")
        .to_owned();
    let bound = app.ask(CHAT + 5, &format!("/start {code}"), 1).await;
    assert!(
        bound[0].text.starts_with("绑定成功！欢迎您，唐志强"),
        "{}",
        bound[0].text
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'invites_issued'")
            .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_restart_in_the_middle_of_a_conversation_resumes_it() {
    let mut app = spawn_app().await;
    app.bind(CHAT, "T004").await;
    app.ask(CHAT, "/lang", 1).await;
    app.restart().await;
    let replies = app.ask(CHAT, "2", 1).await;
    assert_eq!(
        replies[0].text,
        "OK, I will speak English with you from now on."
    );
    app.stop().await;
}

#[tokio::test]
async fn the_command_menu_is_registered_in_both_languages() {
    let app = spawn_app().await;
    let calls = app.fake.calls("setMyCommands");
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0]["commands"][0]["description"], "我能做什么");
    assert_eq!(calls[1]["language_code"], "en");
    assert_eq!(calls[1]["commands"][0]["description"], "What I can do");
    app.stop().await;
}

#[tokio::test]
async fn webhook_mode_registers_the_webhook_with_its_secret() {
    let app = spawn_with(Spawn {
        mode: TelegramMode::Webhook,
        ..Spawn::default()
    })
    .await
    .unwrap();
    let calls = app.fake.calls("setWebhook");
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0]["url"], "https://bot.example.org/telegram/webhook");
    assert_eq!(calls[0]["secret_token"], crate::helpers::SECRET);
    app.stop().await;
}

#[tokio::test]
async fn guessing_invite_codes_is_stopped_after_five_wrong_ones() {
    let app = spawn_app().await;
    for _ in 0..5 {
        let wrong = app.ask(CHAT, "/start AAAA-AAAA", 1).await;
        assert!(wrong[0].text.starts_with("邀请码无效"), "{}", wrong[0].text);
    }
    let code = app.invite("T004").await;
    let locked = app.ask(CHAT, &format!("/start {code}"), 1).await;
    assert_eq!(
        locked[0].text,
        "邀请码输错的次数太多了。请 15 分钟后再试，或向支部书记核对邀请码。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    // Another chat is not affected and the code still works there.
    let other = app.ask(CHAT + 1, &format!("/start {code}"), 2).await;
    assert_eq!(
        other[0].text,
        "绑定成功！欢迎您，刘洋同志（教工第一党支部 · 党员）。"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_restart_does_not_unlock_a_chat_locked_out_for_wrong_codes() {
    let mut app = spawn_app().await;
    for _ in 0..5 {
        app.ask(CHAT, "/start AAAA-AAAA", 1).await;
    }
    app.restart().await;
    let code = app.invite("T004").await;
    let locked = app.ask(CHAT, &format!("/start {code}"), 1).await;
    assert_eq!(
        locked[0].text,
        "邀请码输错的次数太多了。请 15 分钟后再试，或向支部书记核对邀请码。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    // What is kept of the chat is a hash, not its id.
    assert_eq!(
        app.count("SELECT COUNT(*) FROM invite_failures WHERE chat_hash LIKE '%424242%'")
            .await,
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn wrong_codes_spread_over_many_chats_pause_binding_for_everyone() {
    let app = spawn_app().await;
    // Six chats, five guesses each: the college-wide limit of 30 wrong codes in 10 minutes.
    for chat in 0..6 {
        for _ in 0..5 {
            let r = app.ask(7000 + chat, "/start AAAA-AAAA", 1).await;
            assert!(r[0].text.starts_with("邀请码无效"), "{}", r[0].text);
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM invite_failures").await, 30);
    // A seventh chat, even with a genuine code, is told to wait; nothing is bound or counted.
    let code = app.invite("T004").await;
    let busy = app.ask(7100, &format!("/start {code}"), 1).await;
    assert_eq!(
        busy[0].text,
        "最近收到的错误邀请码太多，为安全起见，所有人的绑定都暂停了。请 10 分钟后再发送邀请码。"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM bindings").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invite_failures").await, 30);
    // Once the window has passed (the failures aged ten minutes), the code works.
    sqlx::query("UPDATE invite_failures SET at = at - 600001")
        .execute(app.store.pool())
        .await
        .unwrap();
    let bound = app.ask(7100, &format!("/start {code}"), 2).await;
    assert_eq!(
        bound[0].text,
        "绑定成功！欢迎您，刘洋同志（教工第一党支部 · 党员）。"
    );
    app.stop().await;
}

#[tokio::test]
async fn an_unreachable_telegram_is_reported_and_the_server_still_serves() {
    let db = branchbot::testkit::db::TempSqlite::new();
    // Nothing listens on this port: the network "cannot reach Telegram".
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let api_url = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    let mut config = branchbot::config::Config {
        database_url: db.url.clone(),
        ..Default::default()
    };
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.http.metrics_listen = String::new();
    config.telegram.token = Some("123456:TEST".into());
    config.telegram.api_url = Some(api_url);
    let app = branchbot::startup::Application::build(config, Default::default())
        .await
        .expect("the application starts without Telegram");
    assert!(app.telegram_unreachable.is_some());
    let health = reqwest::get(format!("http://{}/healthz", app.addr))
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    app.cancel_token().cancel();
    app.run_until_stopped().await;
}

#[tokio::test]
async fn a_token_telegram_refuses_stops_the_start_and_says_it_is_the_token() {
    // A Bot API that answers every call as Telegram answers a wrong token.
    let router = axum::Router::new().fallback(|| async {
        (
            axum::http::StatusCode::UNAUTHORIZED,
            axum::Json(serde_json::json!({
                "ok": false, "error_code": 401, "description": "Unauthorized"
            })),
        )
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    let db = branchbot::testkit::db::TempSqlite::new();
    let mut config = branchbot::config::Config {
        database_url: db.url.clone(),
        ..Default::default()
    };
    config.http.listen = "127.0.0.1:0".parse().unwrap();
    config.http.metrics_listen = String::new();
    config.telegram.token = Some("123456:WRONG".into());
    config.telegram.api_url = Some(api_url);
    match branchbot::startup::Application::build(config, Default::default()).await {
        Err(branchbot::startup::StartError::TelegramToken(_)) => {}
        Err(other) => panic!("not a token error: {other}"),
        Ok(_) => panic!("started with a refused token"),
    }
}

#[tokio::test]
async fn a_command_answered_from_idle_leaves_the_conversation_row_untouched() {
    let app = spawn_app().await;
    app.bind(CHAT, "T001").await;
    // The welcome offered buttons; the first command clears them (the row is written).
    app.ask(CHAT, "/me", 1).await;
    // Mark the row's time, then ask again: the answer comes, the row is not rewritten (no
    // statement spent on a conversation that did not change).
    sqlx::query("UPDATE conversations SET updated_at = 1")
        .execute(app.store.pool())
        .await
        .unwrap();
    let replies = app.ask(CHAT, "/me", 1).await;
    assert!(replies[0].text.contains("王建国"), "{}", replies[0].text);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM conversations WHERE updated_at = 1")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM inbox WHERE status <> 'done'")
            .await,
        0
    );
    app.stop().await;
}
