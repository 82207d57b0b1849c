//! A feature plugs into the conversation through `flows::feature` alone: a feature the engine
//! has never heard of (`echo`, defined here) answers its command and an alias, keeps its own
//! waiting step in the stored conversation, reads it back for the next text and for its
//! buttons, and a stored step of a feature the bot no longer has is answered as stale. The
//! list the bot really runs (`app::features::chat`) reaches `/dues` and `/mystage` the same way.

use std::sync::Arc;

use branchbot::domain::org::Member;
use branchbot::flows::engine::Step;
use branchbot::flows::feature::{Answer, CommandSpec, Feature, Features, HelpLines, TextAnswer};
use branchbot::flows::{Content, Ctx, Reply, State};
use branchbot::store::{members, Conn};
use chrono::TimeZone;
use serde::{Deserialize, Serialize};

use crate::helpers::{replace_step, stored_step};
use crate::world::{ChatWorld, Setup, TZ};

/// What `echo` keeps while it waits.
#[derive(Debug, Serialize, Deserialize)]
struct Waiting {
    asked: u32,
}

struct Echo;

impl Feature for Echo {
    fn name(&self) -> &'static str {
        "echo"
    }

    fn commands(&self) -> &'static [CommandSpec] {
        &[CommandSpec {
            name: "echo",
            aliases: &["huisheng"],
            menu: None,
        }]
    }

    fn actions(&self) -> &'static [&'static str] {
        &["echo"]
    }

    fn help(&self, _cx: &Ctx<'_>, _member: &Member, lines: &mut HelpLines) {
        lines.everyone.push("/echo 回声".into());
    }

    fn command<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _name: &'static str,
        arg: Option<&'a str>,
        _inbound: &'a branchbot::flows::Inbound,
    ) -> Answer<'a> {
        Box::pin(async move {
            let asked = arg.and_then(|a| a.parse().ok()).unwrap_or(1);
            Ok(Step::new(
                vec![Reply::text("请说一句话")],
                State::feature("echo", &Waiting { asked }),
            ))
        })
    }

    fn chosen<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        state: &'a State,
        _action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(async move {
            let asked = state.data_of::<Waiting>("echo").map_or(0, |w| w.asked);
            Ok(Step::text(format!("按钮 {value}，等第{asked}句")))
        })
    }

    fn on_text<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        data: &'a serde_json::Value,
        text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async move {
            let w: Waiting = serde_json::from_value(data.clone()).expect("its own data");
            Ok(Some(Step::text(format!("您说：{text}（第{}句）", w.asked))))
        })
    }
}

/// The shared world on SQLite with these features, at 10:00 on 7 December 2026, T001 (on
/// the college committee) bound on Telegram; what T001 reads is what was queued back.
struct World(ChatWorld);

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.0
    }
}

impl World {
    async fn new(features: Features) -> Self {
        let setup = Setup {
            features,
            ..Setup::default()
        };
        let start = TZ.with_ymd_and_hms(2026, 12, 7, 10, 0, 0).unwrap().to_utc();
        let w = ChatWorld::with(setup, start)
            .await
            .expect("SQLite always works");
        w.bind("T001").await;
        Self(w)
    }

    async fn send(&mut self, content: Content) -> Vec<String> {
        self.0.send("T001", content).await;
        let queued = self.0.take("T001").await;
        queued.into_iter().map(|q| q.body).collect()
    }

    async fn say(&mut self, text: &str) -> Vec<String> {
        self.send(Content::Text { text: text.into() }).await
    }

    /// The stored step of T001's Telegram conversation, as JSON.
    async fn stored_state(&self) -> serde_json::Value {
        stored_step(&self.store, "T001").await
    }

    async fn store_state(&self, json: &str) {
        replace_step(&self.store, "T001", json).await;
    }
}

fn with_echo() -> Features {
    let list: Vec<Arc<dyn Feature>> = vec![Arc::new(Echo)];
    Features::new(list)
}

#[tokio::test]
async fn a_feature_answers_its_command_and_alias_and_keeps_its_own_waiting_step() {
    let mut w = World::new(with_echo()).await;
    assert_eq!(w.say("/echo 3").await, ["请说一句话"]);
    assert_eq!(
        w.stored_state().await,
        serde_json::json!({"step": "feature", "feature": "echo", "data": {"asked": 3}})
    );
    assert_eq!(w.say("今天开会").await, ["您说：今天开会（第3句）"]);
    assert_eq!(w.stored_state().await["step"], "idle");

    // An alias, with the bot's name as Telegram adds it in groups.
    assert_eq!(w.say("/huisheng@branch_bot").await, ["请说一句话"]);
    let said = w
        .send(Content::Choice {
            data: "echo:again".into(),
        })
        .await;
    assert_eq!(said, ["按钮 again，等第1句"]);

    // /help carries the feature's line; a command no feature claims is still unknown.
    assert!(w.say("/help").await[0].contains("/echo 回声"));
    assert_eq!(
        w.say("/frobnicate").await,
        ["没有 /frobnicate 这个命令。需要帮助请发 /help。"]
    );
    // Without the real list, /dues is no command of this bot.
    assert_eq!(
        w.say("/dues").await,
        ["没有 /dues 这个命令。需要帮助请发 /help。"]
    );
}

#[tokio::test]
async fn a_stored_step_of_a_feature_the_bot_no_longer_has_is_stale_and_starts_over() {
    let mut w = World::new(with_echo()).await;
    w.say("/echo").await;
    w.store_state(r#"{"step":"feature","feature":"retired","data":{"x":1}}"#)
        .await;
    assert_eq!(
        w.say("随便说点").await,
        ["这个按钮已经失效了。需要帮助请发 /help。"]
    );
    assert_eq!(w.stored_state().await["step"], "idle");
}

#[tokio::test]
async fn the_bots_own_list_reaches_dues_and_recruitment_by_name_and_alias() {
    let mut w = World::new(branchbot::app::features::chat()).await;
    let dues = w.say("/dangfei").await;
    assert!(dues[0].contains("党费"), "{dues:?}");
    let stage = w.say("/my_stage").await;
    assert!(!stage[0].starts_with("没有"), "{stage:?}");
    let help = w.say("/help").await;
    assert!(help[0].contains("/dues"), "{help:?}");
    assert!(help[0].contains("/recruit"), "{help:?}");
}

#[tokio::test]
async fn a_spot_check_step_stored_before_the_feature_had_its_folder_reads_on() {
    let mut w = World::new(branchbot::app::features::chat()).await;
    w.say("/help").await;
    let check = {
        let mut conn = w.store.pool().acquire().await.unwrap();
        let checker = members::find(&mut conn, "T001").await.unwrap().unwrap();
        let branch = members::branch_id(&mut conn, "学生第一党支部")
            .await
            .unwrap()
            .unwrap();
        branchbot::spotcheck::store::start(&mut conn, checker.id, branch, "meeting", 1, 0)
            .await
            .unwrap()
    };
    // The JSON `flows::State::SpotCheckFinding` wrote, as a database holds it today.
    w.store_state(&format!(
        r#"{{"step":"spot_check_finding","check":{check},"narrow":""}}"#
    ))
    .await;
    let said = w.say("会议记录完整，签到表齐全").await;
    assert!(
        said[0].starts_with(&format!("已记录抽查 #{check} 的抽查意见")),
        "{said:?}"
    );
    let finding: Option<String> =
        sqlx::query_scalar("SELECT finding FROM spot_checks WHERE id = $1")
            .bind(check)
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(finding.as_deref(), Some("会议记录完整，签到表齐全"));

    // The step it shows now is kept in the feature's own form, and 换一个/取消 still answer.
    w.store_state(&format!(
        r#"{{"step":"spot_check_shown","check":{check},"narrow":""}}"#
    ))
    .await;
    let said = w
        .send(Content::Choice {
            data: format!("spot:cancel:{check}"),
        })
        .await;
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(!said[0].contains("失效"), "{said:?}");
}

#[tokio::test]
async fn a_notice_being_written_when_the_feature_had_no_folder_yet_reads_on() {
    let mut w = World::new(branchbot::app::features::chat()).await;
    w.say("/help").await;
    // The JSON `flows::State::NoticeText` wrote, as a database holds it today (T001 is on the
    // college committee, who may send to everyone).
    w.store_state(r#"{"step":"notice_text","scope":{"kind":"all"}}"#)
        .await;
    let said = w.say("周五下午三点开全体党员大会").await;
    assert_eq!(said, ["需要大家回复“收到”吗？"], "{said:?}");
    // A stored urgency question answers its button.
    w.store_state(
        r#"{"step":"notice_urgent","scope":{"kind":"all"},"text":"周五开会","confirm":false}"#,
    )
    .await;
    let said = w
        .send(Content::Choice {
            data: "notice:urgent:no".into(),
        })
        .await;
    assert!(said[0].contains("周五开会"), "the preview: {said:?}");
    // And a stored preview still cancels.
    w.store_state(
        r#"{"step":"notice_preview","draft":{"scope":{"kind":"all"},"text":"周五开会","confirm":false,"urgent":false}}"#,
    )
    .await;
    let said = w
        .send(Content::Choice {
            data: "notice:cancel".into(),
        })
        .await;
    assert_eq!(said, ["已取消，通知没有发出。"]);
}
