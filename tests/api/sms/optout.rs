//! Opting out and back in, HELP, and where pushes are routed.

use branchbot::config::sms::GatewayKind;
use branchbot::delivery::route::{self, Push, Route, Unreachable};
use branchbot::flows::{ChannelKind, Choice, Reply};
use branchbot::i18n::Catalog;
use branchbot::store::outbox::{self, NewMessage};
use branchbot::store::{bindings, members, sms};

use super::{spawn_sms, spawn_sms_with, SmsApp, EMILY, LIU, STRANGER};
use crate::helpers::{Db, WAIT};

/// A non-urgent notice to a member's number, as a broadcast queues it.
pub async fn notice(app: &SmsApp, to: &str, key: &str, urgent: bool) {
    let mut conn = app.store.pool().acquire().await.unwrap();
    let member = members::find(&mut conn, to).await.unwrap().unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    outbox::enqueue(
        &mut conn,
        &[NewMessage {
            channel: "sms".into(),
            address: to.into(),
            member_id: Some(member.id),
            body: format!("通知 {key}"),
            choices_json: "[]".into(),
            dedupe_key: key.into(),
            urgent,
            not_before: now,
            expires_at: None,
            segments: 1,
        }],
        now,
    )
    .await
    .unwrap();
    app.app().engine.wake.notify(ChannelKind::Sms);
}

#[tokio::test]
async fn stop_words_opt_a_number_out_and_subscribe_brings_it_back() {
    let app = spawn_sms(GatewayKind::Twilio).await;
    let stop = app.ask(LIU, "退订", 1).await;
    assert_eq!(
        stop[0].text,
        "已退订，此号码将不再收到通知。回复“订阅”可恢复。"
    );
    // A notice now is refused at the door of the gateway, and the row says why.
    notice(&app, LIU, "n1", false).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'n1' AND status = 'blocked' \
         AND last_error LIKE '%opted out%'",
        1,
    )
    .await;
    // An urgent one still goes.
    notice(&app, LIU, "u1", true).await;
    let urgent = app.sms.wait_sent(LIU, 2, WAIT).await;
    assert_eq!(urgent[1].text, "通知 u1");
    // A second stop word is not answered again.
    app.text(LIU, "R").await;
    app.quiet(LIU, 2).await;
    // R works for the English reader too, in English.
    let emily = app.ask(EMILY, "r", 1).await;
    assert_eq!(
        emily[0].text,
        "You are unsubscribed and will get no more notices at this number. Reply START to subscribe again."
    );
    let back = app.ask(LIU, "订阅", 1).await;
    assert_eq!(
        back[0].text,
        "已恢复订阅，通知会照常发到此号码。回复TD可退订。"
    );
    notice(&app, LIU, "n2", false).await;
    let after = app.sms.wait_sent(LIU, 4, WAIT).await;
    assert_eq!(after[3].text, "通知 n2");
    let left: Vec<String> = sqlx::query_scalar("SELECT phone FROM sms_optouts")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    assert_eq!(left, vec![EMILY.to_owned()]);
    app.stop().await;
}

#[tokio::test]
async fn help_says_what_the_number_is_for() {
    let app = spawn_sms(GatewayKind::Generic).await;
    let member = app.ask(LIU, "帮助", 1).await;
    assert_eq!(
        member[0].text,
        "刘洋同志，这里是学院党委组织生活助手。回复1/2答复会议，回复“收到”确认通知，\
         回复“评价 编号”匿名评价；回复TD退订。"
    );
    // SMS readers type no commands, and the help is one SMS.
    assert!(!member[0].text.contains("/me") && !member[0].text.contains("/lang"));
    assert_eq!(
        branchbot::channels::sms::encoding::segments(&member[0].text),
        1,
        "{}",
        member[0].text
    );
    let english = app.ask(EMILY, "HELP", 1).await;
    assert!(
        english[0]
            .text
            .starts_with("Emily Carter, this is the college Party committee's assistant."),
        "{}",
        english[0].text
    );
    let stranger = app.ask(STRANGER, "帮助", 1).await;
    assert_eq!(
        stranger[0].text,
        "这里是学院党委组织生活助手，只为名册中的党员服务。回复TD退订，回复“订阅”恢复。"
    );
    // Once answered today, a stranger is not answered again.
    app.text(STRANGER, "你好").await;
    app.quiet(STRANGER, 1).await;
    app.stop().await;
}

#[tokio::test]
async fn pushes_go_to_telegram_first_then_sms_as_the_member_allows() {
    let app = spawn_sms(GatewayKind::Android).await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let liu = members::find(&mut conn, "T004").await.unwrap().unwrap();
    let zhao = members::find(&mut conn, "T007").await.unwrap().unwrap();
    let now = chrono::Utc::now().timestamp_millis();

    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Sms { phone: LIU.into() }
    );
    // No SMS gateway, or no mobile number: nowhere, and each says why.
    assert_eq!(
        route::route(&mut conn, &liu, false).await.unwrap(),
        Route::Nowhere(Unreachable::NoGateway)
    );
    assert_eq!(
        route::route(&mut conn, &zhao, true).await.unwrap(),
        Route::Nowhere(Unreachable::NoPhone)
    );
    bindings::bind(&mut conn, "telegram", "4004", liu.id, now)
        .await
        .unwrap();
    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Telegram {
            chat: "4004".into()
        }
    );
    bindings::mark_unreachable(&mut conn, "telegram", "4004")
        .await
        .unwrap();
    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Sms { phone: LIU.into() }
    );
    sms::set_preference(&mut conn, liu.id, "telegram", now)
        .await
        .unwrap();
    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Nowhere(Unreachable::TelegramOnly)
    );
    sms::set_preference(&mut conn, liu.id, "sms", now)
        .await
        .unwrap();
    sms::opt_out(&mut conn, LIU, "TD", now).await.unwrap();
    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Nowhere(Unreachable::OptedOut)
    );
    sms::opt_in(&mut conn, LIU).await.unwrap();

    // A push with choices: numbered over SMS, and the typed answer is understood there.
    let catalog = Catalog::load().unwrap();
    let reply = Reply::with_choices(
        "请选择语言：",
        vec![
            Choice {
                data: "lang:zh-CN".into(),
                label: "中文".into(),
                aliases: vec![],
            },
            Choice {
                data: "lang:en".into(),
                label: "English".into(),
                aliases: vec![],
            },
        ],
    );
    let push = Push {
        dedupe_key: "push:lang:T004".into(),
        urgent: false,
        not_before: now,
        expires_at: None,
    };
    let routed = route::push(&mut conn, &catalog, &liu, &reply, &push, true, now)
        .await
        .unwrap();
    assert_eq!(routed.channel(), Some(ChannelKind::Sms));
    drop(conn);
    app.app().engine.wake.notify(ChannelKind::Sms);
    let pushed = app.sms.wait_sent(LIU, 1, WAIT).await;
    assert_eq!(pushed[0].text, "请选择语言：\n回复 1 中文，2 English");
    let answer = app.ask(LIU, "2", 1).await;
    assert_eq!(
        answer[0].text,
        "OK, I will speak English with you from now on."
    );
    app.stop().await;
}

#[tokio::test]
async fn opt_outs_work_the_same_on_postgres() {
    let Some(app) = spawn_sms_with(GatewayKind::Android, Db::Postgres, |_| {}).await else {
        return;
    };
    app.ask(LIU, "STOP", 1).await;
    notice(&app, LIU, "pg1", false).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE dedupe_key = 'pg1' AND status = 'blocked'",
        1,
    )
    .await;
    let back = app.ask(LIU, "start", 1).await;
    assert!(back[0].text.starts_with("已恢复订阅"), "{}", back[0].text);
    app.stop().await;
}
