//! Sending over WeCom: the access_token refreshed once when WeCom calls it expired and shared
//! by replicas, per-member limits never crossed (WeCom would drop the excess silently), a
//! member who left the app reached by SMS next, roster userids and the channel order.

use std::sync::Arc;
use std::time::Duration;

use branchbot::channels::wecom::api::Api;
use branchbot::clock::Clock;
use branchbot::config::sms::Secret;
use branchbot::delivery::route::{self, Push, Route, Unreachable};
use branchbot::domain::roster;
use branchbot::flows::{ChannelKind, Reply};
use branchbot::i18n::Locale;
use branchbot::store::{members, Store};
use branchbot::testkit::fake_wecom::{self, FakeWecom};

use super::{spawn_wecom, spawn_wecom_with, LIU};
use crate::helpers::{Db, TestDb, WAIT};

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_message_still_arrives() {
    let app = spawn_wecom().await;
    app.ask(LIU, "/help", 1).await;
    assert_eq!(app.wecom.gettoken_calls(), 1);
    app.ask(LIU, "/me", 1).await;
    assert_eq!(app.wecom.gettoken_calls(), 1, "the token is cached");
    app.wecom.expire_tokens();
    let me = app.ask(LIU, "/me", 1).await;
    assert!(me[0].contains("刘洋"), "{}", me[0]);
    assert_eq!(app.wecom.gettoken_calls(), 2, "refreshed once");
    assert_eq!(app.wecom.rejected_tokens(), 1);
    app.stop().await;
}

async fn replicas_share_one_token(db: Db) {
    let Some(test_db) = TestDb::new(db).await else {
        return;
    };
    let fake = FakeWecom::start().await;
    let store = Store::open(&test_db.url).await.unwrap();
    let api = |_: usize| {
        Arc::new(Api::new(
            reqwest::Client::new(),
            &fake.base_url(),
            fake_wecom::CORP_ID,
            fake_wecom::AGENT_ID,
            Secret::new(fake_wecom::SECRET),
            store.clone(),
            Clock::System,
        ))
    };
    let replicas: Vec<Arc<Api>> = (0..4).map(api).collect();
    let tokens = futures_util::future::join_all(replicas.iter().map(|a| a.token())).await;
    let tokens: Vec<String> = tokens.into_iter().map(Result::unwrap).collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    assert_eq!(fake.gettoken_calls(), 1, "one gettoken for four replicas");
    store.close().await;
}

#[tokio::test]
async fn replicas_on_one_database_call_gettoken_once_on_sqlite() {
    replicas_share_one_token(Db::Sqlite).await;
}

#[tokio::test]
async fn replicas_on_one_database_call_gettoken_once_on_postgres() {
    replicas_share_one_token(Db::Postgres).await;
}

async fn set(conn: &mut branchbot::store::Conn, id: i64, order: &str) {
    assert!(branchbot::store::wecom::set_preference(conn, id, order, 1)
        .await
        .unwrap());
}

/// Queues `n` pushes to a member as a scheduled job would.
async fn push_many(app: &super::WecomApp, key: &str, n: usize) {
    let mut tx = app.store.begin().await.unwrap();
    let member = members::find(&mut tx, key).await.unwrap().unwrap();
    let now = chrono::Utc::now().timestamp_millis();
    let catalog = &app.app().engine.catalog;
    for i in 0..n {
        let route = route::push(
            &mut tx,
            catalog,
            &member,
            &Reply::text(format!("第 {i} 条提醒")),
            &Push {
                dedupe_key: format!("test:{key}:{i}"),
                urgent: false,
                not_before: now,
                expires_at: None,
            },
            true,
            now,
        )
        .await
        .unwrap();
        assert!(matches!(route, Route::Wecom { .. }), "{route:?}");
    }
    tx.commit().await.unwrap();
    app.app().engine.wake.notify(ChannelKind::Wecom);
}

#[tokio::test]
async fn a_member_never_gets_more_than_the_per_minute_limit_and_the_rest_waits() {
    let fake = FakeWecom::with_limits(5, 1000).await;
    // WeCom's own limit, not the daily push budget (tests/api/pushes.rs), is what is tested.
    let app = spawn_wecom_with(Db::Sqlite, fake, |c| {
        c.wecom.per_member_per_minute = 5;
        c.pushes.daily_budget = 0;
    })
    .await
    .unwrap();
    push_many(&app, LIU, 8).await;
    app.wecom.wait_sent(LIU, 5, WAIT).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        app.wecom.sent_to(LIU).len(),
        5,
        "the sixth waits for the minute"
    );
    assert!(app.wecom.dropped().is_empty(), "WeCom dropped nothing");
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'wecom' AND status = 'pending' \
         AND next_attempt_at > created_at + 30000",
        3,
    )
    .await;
    app.stop().await;
}

#[tokio::test]
async fn a_member_who_left_the_app_is_unreachable_on_wecom_and_reached_by_sms_next() {
    let app = spawn_wecom().await;
    app.wecom.leave(LIU);
    push_many(&app, LIU, 1).await;
    app.eventually(
        "SELECT COUNT(*) FROM outbox WHERE channel = 'wecom' AND status = 'blocked'",
        1,
    )
    .await;
    let mut conn = app.store.pool().acquire().await.unwrap();
    let liu = members::find(&mut conn, LIU).await.unwrap().unwrap();
    assert_eq!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Sms {
            phone: "+8613800010004".into()
        }
    );
    drop(conn);
    app.stop().await;
}

#[tokio::test]
async fn roster_userids_match_case_insensitively_and_the_channel_order_decides_the_route() {
    let app = spawn_wecom_with(Db::Sqlite, FakeWecom::start().await, |c| {
        c.wecom.userid_is_key = false
    })
    .await
    .unwrap();
    // The roster names 刘洋's userid in the 企业微信账号 column.
    let csv = "编号,姓名,支部,支部类型,角色,手机,企业微信账号\n\
               T004,刘洋,教工第一党支部,teacher,党员,13800010004,LiuYang\n";
    let file = roster::parse(csv.as_bytes(), Locale::ZhCn).unwrap();
    assert_eq!(file.members[0].wecom.as_deref(), Some("LiuYang"));
    let mut tx = app.store.begin().await.unwrap();
    members::import(&mut tx, &file, false, 0).await.unwrap();
    branchbot::store::wecom::sync_bindings(&mut tx, false, 0)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let me = app.ask("liuyang", "/me", 1).await;
    assert!(me[0].contains("刘洋"), "{}", me[0]);
    // The key is not a userid here.
    let stranger = app.ask("T006", "你好", 1).await;
    assert!(stranger[0].contains("不在党员名单中"), "{}", stranger[0]);

    let mut conn = app.store.pool().acquire().await.unwrap();
    let liu = members::find(&mut conn, "T004").await.unwrap().unwrap();
    let yang = members::find(&mut conn, "T006").await.unwrap().unwrap();
    assert!(matches!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Wecom { .. }
    ));
    set(&mut conn, liu.id, "sms,wecom").await;
    assert!(matches!(
        route::route(&mut conn, &liu, true).await.unwrap(),
        Route::Sms { .. }
    ));
    set(&mut conn, liu.id, "sms,wecom").await;
    assert!(
        matches!(
            route::route(&mut conn, &liu, false).await.unwrap(),
            Route::Wecom { .. }
        ),
        "SMS off: WeCom next in the order"
    );
    set(&mut conn, yang.id, "wecom").await;
    assert_eq!(
        route::route(&mut conn, &yang, true).await.unwrap(),
        Route::Nowhere(Unreachable::NotPreferred)
    );
    set(&mut conn, yang.id, "telegram").await;
    assert_eq!(
        route::route(&mut conn, &yang, true).await.unwrap(),
        Route::Nowhere(Unreachable::TelegramOnly),
        "the older spelling keeps its meaning"
    );
    drop(conn);
    app.stop().await;
}
