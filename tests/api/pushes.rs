//! Fewer, better pushes, on paused time and both backends: an urgent notice's automatic
//! re-nudges arrive at the chosen times, move to SMS (the fake SMS gateway) from the chosen
//! rung and stop for whoever confirmed; the fourth non-urgent push of a day waits for the
//! evening digest, which arrives once with every held item and its buttons, across a restart.

use std::sync::Arc;

use branchbot::delivery::route::{self, Push};
use branchbot::delivery::Outgoing;
use branchbot::domain::period::Period;
use branchbot::domain::pushes::Budget;
use branchbot::flows::{Choice, Content, Reply};
use branchbot::i18n::Catalog;
use branchbot::oversight::pushes::weekly;
use branchbot::scheduler::kinds::push_digest::PushDigest;
use branchbot::store::members;
use branchbot::testkit::fake_sms::FakeSms;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::Db;
use crate::world::{ChatWorld, Delivery, Setup, TZ};

const TEXT: &str = "今晚8点前报送本支部疫情防控值班表。";

fn budget() -> Budget {
    Budget::new(TZ)
}

/// The shared world with an SMS gateway connected, the push digest on this budget and the
/// built-in jobs installed, and its Telegram and SMS workers; what a member reads is what
/// Telegram was asked to send them.
struct World {
    w: ChatWorld,
    delivery: Delivery,
    fake_sms: FakeSms,
}

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.w
    }
}

impl World {
    async fn new(db: Db, start: DateTime<Utc>) -> Option<Self> {
        let setup = Setup {
            db,
            jobs: Arc::new(branchbot::app::features::jobs().replace(PushDigest::new(&budget()))),
            sms_connected: true,
            ..Setup::default()
        };
        let w = ChatWorld::with(setup, start).await?;
        w.scheduler.install_builtins().await.unwrap();
        let fake_sms = FakeSms::start().await;
        let delivery = Delivery::new(&w, &fake_sms, budget());
        Some(Self {
            w,
            delivery,
            fake_sms,
        })
    }

    /// Stops everything and starts it again on the same database, at the same time.
    async fn restart(&mut self) {
        self.w.restart().await;
        self.w.scheduler.install_builtins().await.unwrap();
        self.delivery = Delivery::new(&self.w, &self.fake_sms, budget());
    }

    /// What `key` writes on Telegram; the replies as they read them.
    async fn say(&mut self, key: &str, text: &str) -> Vec<Outgoing> {
        self.send(key, Content::Text { text: text.into() }).await
    }

    /// Taps the button labelled `label` on `msg`, as `key`.
    async fn tap(&mut self, key: &str, msg: &Outgoing, label: &str) -> Vec<Outgoing> {
        let choice = msg
            .choices
            .iter()
            .find(|c| c.label == label)
            .unwrap_or_else(|| panic!("no button {label:?} on {:?}", msg.text));
        let data = choice.data.clone();
        self.send(key, Content::Choice { data }).await
    }

    async fn send(&mut self, key: &str, content: Content) -> Vec<Outgoing> {
        self.w.send(key, content).await;
        self.deliver().await;
        self.read(key)
    }

    async fn deliver(&mut self) {
        self.delivery.drain().await;
    }

    /// What Telegram chat `key` received since the last read.
    fn read(&self, key: &str) -> Vec<Outgoing> {
        self.delivery.read(key)
    }

    /// Moves paused time to `at` (Shanghai), runs what fell due and delivers it.
    async fn advance_to(&mut self, at: DateTime<Utc>) {
        self.w.advance(at).await;
        self.deliver().await;
    }
}

fn shanghai(d: u32, h: u32, m: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(2026, 12, d, h, m, 0)
        .unwrap()
        .with_timezone(&Utc)
}

crate::paused_on_both!(
    an_urgent_notice_is_re_nudged_every_five_minutes_then_by_sms_until_everyone_confirms,
    the_fourth_push_of_a_day_waits_for_one_evening_digest_that_survives_a_restart,
);

async fn an_urgent_notice_is_re_nudged_every_five_minutes_then_by_sms_until_everyone_confirms(
    db: Db,
) {
    let Some(mut w) = World::new(db, shanghai(7, 10, 0)).await else {
        return;
    };
    // 谢文博 (S201) runs 学生第二党支部; 唐志强 (S203), 韩梅梅 (S204) and 彭博 (S207) read
    // Telegram and have mobile numbers; the branch's others are reached by SMS.
    for key in ["S201", "S203", "S204", "S207"] {
        w.bind(key).await;
    }
    let scope = w.say("S201", "/notice").await;
    w.tap("S201", &scope[0], "全支部党员").await;
    let confirm = w.say("S201", TEXT).await;
    let urgent = w.tap("S201", &confirm[0], "需要").await;
    let plans = w.tap("S201", &urgent[0], "紧急").await;
    assert_eq!(
        plans[0].text,
        "未确认的人要自动再提醒吗？可点选，或输入“间隔分钟 次数 [第几次起改发短信]”，\
         例如 5 3 2。紧急通知最短每 5 分钟提醒一次。"
    );
    // Closer than 5 minutes is refused, saying the floor; the question stays.
    let refused = w.say("S201", "3 3 2").await;
    assert!(
        refused[0]
            .text
            .starts_with("紧急通知的提醒间隔最短为 5 分钟。\n未确认的人要自动再提醒吗？"),
        "{}",
        refused[0].text
    );
    assert_eq!(refused[0].choices.len(), 4);
    let preview = w
        .tap(
            "S201",
            &refused[0],
            "每 5 分钟提醒一次，共 3 次，第 2 次起改发短信",
        )
        .await;
    assert!(
        preview[0].text.ends_with(
            "\n自动提醒：每 5 分钟提醒一次，共 3 次，第 2 次起改发短信。\
             没有手机号的人仍在原渠道收到。\n需要随通知发送文件，可以现在把文件发给我。"
        ),
        "{}",
        preview[0].text
    );
    let sent = w.tap("S201", &preview[0], "发送").await;
    assert!(
        sent[0].text.starts_with("已发送（通知 #1，"),
        "{}",
        sent[0].text
    );
    let notice = format!("【紧急通知】谢文博（学生第二党支部）\n{TEXT}\n收到请回复。");
    for key in ["S203", "S204", "S207"] {
        let got = w.read(key);
        assert_eq!(got.len(), 1, "{key}");
        assert_eq!(got[0].text, notice);
    }
    // 唐志强 confirms at once.
    w.say("S203", "收到").await;

    // Nothing before five minutes; then the first nudge, on Telegram, to the unconfirmed.
    w.advance_to(shanghai(7, 10, 4)).await;
    assert!(w.read("S204").is_empty());
    w.advance_to(shanghai(7, 10, 5)).await;
    let nudge = format!("【提醒】请确认收到以下通知。\n{notice}");
    let mut nudged = Vec::new();
    for key in ["S204", "S207"] {
        let got = w.read(key);
        assert_eq!(got.len(), 1, "{key}");
        assert_eq!(got[0].text, nudge);
        assert_eq!(got[0].choices[0].label, "收到");
        nudged.push(got[0].clone());
    }
    assert!(w.read("S203").is_empty(), "who confirmed is not nudged");
    let before = w.fake_sms.sent_to("+8613900030004").len();
    // 韩梅梅 confirms with the nudge's button.
    w.tap("S204", &nudged[0], "收到").await;

    // The second nudge is the SMS rung: 彭博 gets it on his phone, not on Telegram.
    w.advance_to(shanghai(7, 10, 10)).await;
    assert!(w.read("S207").is_empty());
    let texts = w.fake_sms.sent_to("+8613900030007");
    let last = texts.last().expect("an SMS to 彭博");
    assert!(
        last.text
            .starts_with("【提醒】请确认收到以下通知。\n【紧急通知】谢文博（学生第二党支部）")
            && last.text.contains(TEXT),
        "{}",
        last.text
    );
    assert_eq!(
        w.fake_sms.sent_to("+8613900030004").len(),
        before,
        "no SMS to who confirmed"
    );
    // Everyone confirms (彭博 on Telegram, the SMS readers by SMS rows marked confirmed).
    w.say("S207", "收到").await;
    sqlx::query("UPDATE notice_recipients SET confirmed_at = 1 WHERE confirmed_at IS NULL")
        .execute(w.store.pool())
        .await
        .unwrap();
    let sms_before = w.fake_sms.sent().len();
    w.advance_to(shanghai(7, 10, 15)).await;
    assert!(w.read("S207").is_empty());
    assert_eq!(
        w.fake_sms.sent().len(),
        sms_before,
        "the last nudge sends nothing"
    );
    assert_eq!(
        w.count("SELECT done FROM notice_nudge_plans WHERE notice_id = 1")
            .await,
        3
    );
    let note: String =
        sqlx::query_scalar("SELECT last_note FROM jobs WHERE dedupe_key = 'notice:1:renudge:3'")
            .fetch_one(w.store.pool())
            .await
            .unwrap();
    assert_eq!(note, "everyone confirmed: nothing sent");
}

impl World {
    /// A non-urgent push to `key` from a feature, with one button.
    async fn push(&self, key: &str, n: u32, expires_at: Option<i64>) {
        let mut tx = self.store.begin().await.unwrap();
        let m = members::find(&mut tx, key).await.unwrap().unwrap();
        let reply = Reply::with_choices(
            format!("【会议提醒】第{n}项：周三 19:30 支部党员大会，请答复是否参加。"),
            vec![Choice {
                data: format!("meeting:rsvp:{n}:yes"),
                label: "参加".into(),
                aliases: Vec::new(),
            }],
        );
        let push = Push {
            dedupe_key: format!("test:{key}:{n}"),
            urgent: false,
            not_before: self.clock.now_ms(),
            expires_at,
        };
        route::push(
            &mut tx,
            Catalog::shared(),
            &m,
            &reply,
            &push,
            false,
            self.clock.now_ms(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
}

async fn the_fourth_push_of_a_day_waits_for_one_evening_digest_that_survives_a_restart(db: Db) {
    let Some(mut w) = World::new(db, shanghai(7, 9, 0)).await else {
        return;
    };
    w.bind("S203").await;
    // Three pushes in the morning reach 唐志强 one by one.
    for n in 1..=3 {
        w.push("S203", n, None).await;
        w.deliver().await;
    }
    assert_eq!(w.read("S203").len(), 3);
    // The fourth and fifth wait; one that expires before 18:00 and an urgent one do not.
    w.advance_to(shanghai(7, 11, 0)).await;
    w.push("S203", 4, None).await;
    w.push("S203", 5, None).await;
    w.push("S203", 6, Some(shanghai(7, 12, 0).timestamp_millis()))
        .await;
    w.deliver().await;
    let got = w.read("S203");
    assert_eq!(got.len(), 1);
    assert!(
        got[0].text.starts_with("【会议提醒】第6项"),
        "{}",
        got[0].text
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM outbox WHERE status = 'held'")
            .await,
        2
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM push_holds").await, 2);

    // A restart keeps them: they are rows.
    w.restart().await;
    w.advance_to(shanghai(7, 17, 59)).await;
    assert!(w.read("S203").is_empty());
    w.advance_to(shanghai(7, 18, 0)).await;
    let digest = w.read("S203");
    assert_eq!(digest.len(), 1, "one digest");
    assert_eq!(
        digest[0].text,
        "【今日汇总】为减少打扰，今天另有 2 条消息没有单独推送，汇总如下：\n\
         1. 【会议提醒】第4项：周三 19:30 支部党员大会，请答复是否参加。\n\
         2. 【会议提醒】第5项：周三 19:30 支部党员大会，请答复是否参加。\n\
         可按下方选项办理，每个选项标有条目编号。"
    );
    let labels: Vec<&str> = digest[0].choices.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["第1条：参加", "第2条：参加"]);
    assert_eq!(digest[0].choices[1].data, "meeting:rsvp:5:yes");
    assert_eq!(
        w.count("SELECT COUNT(*) FROM outbox WHERE status = 'digested'")
            .await,
        2
    );
    // The next day the count starts again, and no second digest comes.
    w.advance_to(shanghai(8, 9, 0)).await;
    w.push("S203", 7, None).await;
    w.deliver().await;
    assert_eq!(w.read("S203").len(), 1);
    w.advance_to(shanghai(8, 18, 0)).await;
    assert!(w.read("S203").is_empty(), "nothing held, no digest");
    assert_eq!(
        w.count("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE 'digest:%'")
            .await,
        1
    );
    // What the committee reads in `report pushes`: one row for the week.
    let period: Period = "2026-12".parse().unwrap();
    let mut conn = w.store.pool().acquire().await.unwrap();
    let rows = weekly(&mut conn, TZ, &period, None).await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| (r.week.as_str(), r.name.as_str(), r.sent, r.digests, r.held))
            .collect::<Vec<_>>(),
        [("2026-W50", "唐志强", 6, 1, 2)]
    );
}
