//! The records as the people involved read them, on paused time, on SQLite and PostgreSQL:
//! 马超 logs a 志愿服务 activity step by step (a day still to come and a word that is no day
//! refused, participants picked by button and by name, an unknown name refused), the secretary
//! confirms and 胡静怡 says 不是我, an activist is refused; 马超's next pledge check-in says
//! how many activities he confirmed and the committee's `/campaign` counts the branch's; the
//! secretary publishes the branch's work plan (too short refused, a member refused), a member
//! of the masses reads it by part of the name, the committee sees which branches have not
//! published, someone never bound reads it too; at the first phase's end the committee is asked
//! for its 领导点评 and writes it on the branch and on 马超, pushed to them, read back with
//! `/comments`.

use branchbot::flows::Content;
use branchbot::pledges::store as pledges;
use branchbot::scheduler::{JobSpec, When};
use branchbot::store::members;
use chrono::{DateTime, TimeZone, Utc};

use crate::helpers::Db;
use crate::world::ChatWorld;

const TZ: chrono_tz::Tz = chrono_tz::Asia::Shanghai;

fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    TZ.with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&Utc)
}

/// One message queued for a chat: its text and button labels with their data.
#[derive(Debug, Clone)]
struct Said {
    text: String,
    buttons: Vec<(String, String)>,
}

impl Said {
    fn labels(&self) -> Vec<&str> {
        self.buttons.iter().map(|(l, _)| l.as_str()).collect()
    }

    fn data_of(&self, label: &str) -> String {
        self.buttons
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("no button {label:?} in {self:#?}"))
            .1
            .clone()
    }
}

/// The shared world with 路人甲 (a member of the masses), the example campaign and the members
/// these tests speak as bound; what a member reads is what was queued for their chat.
struct World(ChatWorld);

impl std::ops::Deref for World {
    type Target = ChatWorld;
    fn deref(&self) -> &ChatWorld {
        &self.0
    }
}

impl World {
    async fn new(db: Db, start: DateTime<Utc>) -> Option<Self> {
        let w = ChatWorld::new(db, start, Default::default()).await?;
        // 路人甲, a member of the masses known to the branch: reads plans, nothing else.
        sqlx::query(
            "INSERT INTO members (key, name, branch_id, role, college, phone, locale, active, \
             created_at, updated_at) SELECT 'Q001', '路人甲', id, 'masses', 0, NULL, 'zh-CN', 1, \
             0, 0 FROM branches WHERE name = '学生第一党支部'",
        )
        .execute(w.store.pool())
        .await
        .unwrap();
        let mut tx = w.store.begin().await.unwrap();
        branchbot::campaign::schedule::load(
            &mut tx,
            &branchbot::app::features::jobs(),
            TZ,
            include_str!("../../examples/campaign.toml"),
            start,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        for key in ["S101", "S103", "S104", "S105", "T009", "T010", "Q001"] {
            w.bind(key).await;
        }
        Some(Self(w))
    }

    async fn send(&mut self, key: &str, content: Content) -> Vec<Said> {
        self.0.send(key, content).await;
        self.read(key).await
    }

    async fn say(&mut self, key: &str, text: &str) -> Vec<Said> {
        self.send(
            key,
            Content::Text {
                text: text.to_owned(),
            },
        )
        .await
    }

    /// The one answer to a text.
    async fn said(&mut self, key: &str, text: &str) -> Said {
        let mut out = self.say(key, text).await;
        assert_eq!(out.len(), 1, "{text}: {out:#?}");
        out.remove(0)
    }

    /// Taps a button of `on` and returns the one answer.
    async fn tap(&mut self, key: &str, on: &Said, label: &str) -> Said {
        let data = on.data_of(label);
        let mut out = self.send(key, Content::Choice { data }).await;
        assert_eq!(out.len(), 1, "{label}: {out:#?}");
        out.remove(0)
    }

    /// What was queued for a chat since last read.
    async fn read(&self, key: &str) -> Vec<Said> {
        self.take(key)
            .await
            .into_iter()
            .map(|q| Said {
                buttons: q.choices.into_iter().map(|c| (c.label, c.data)).collect(),
                text: q.body,
            })
            .collect()
    }

    async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(self.store.pool())
            .await
            .unwrap()
    }

    /// Moves paused time to `to` and runs what fell due.
    async fn advance_to(&self, to: DateTime<Utc>) {
        tokio::time::advance((to - self.clock.now()).to_std().unwrap()).await;
        self.scheduler.drain().await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn an_activity_is_logged_and_confirmed_plans_are_published_and_comments_reach_the_branch_on_sqlite(
) {
    records(Db::Sqlite).await;
}

#[tokio::test(start_paused = true)]
async fn an_activity_is_logged_and_confirmed_plans_are_published_and_comments_reach_the_branch_on_postgres(
) {
    records(Db::Postgres).await;
}

const PLAN: &str = "一、深入开展创先争优活动，每月组织一次主题党日；\n二、每位党员结对帮扶一名学业困难同学；\n三、每学期开展两次进社区志愿服务。";

async fn records(db: Db) {
    // 20 February 2027: the campaign's first phase runs until the end of 28 February.
    let Some(mut w) = World::new(db, at(2027, 2, 20, 10)).await else {
        return;
    };

    // /help offers each what they may use.
    assert!(w
        .said("S103", "/help")
        .await
        .text
        .contains("/activity — 登记结对帮扶、志愿服务、走访慰问等服务活动"));
    let masses = w.said("Q001", "/help").await.text;
    assert!(
        masses.contains("/plan [支部名] — 查看支部工作方案") && !masses.contains("/activity"),
        "{masses}"
    );
    assert!(w
        .said("T010", "/help")
        .await
        .text
        .contains("/comment 支部名 [@学号] 点评内容 — 撰写本阶段的领导点评"));

    // --- An activity, step by step.
    let kinds = w.said("S103", "/activity").await;
    assert_eq!(kinds.text, "请选择服务活动的类别：");
    assert_eq!(
        kinds.labels(),
        ["结对帮扶", "志愿服务", "走访慰问", "进社区"]
    );
    let day = w.tap("S103", &kinds, "志愿服务").await;
    assert_eq!(
        day.text,
        "志愿服务：请问活动是哪一天开展的？（如 2026-12-05、12月5日、今天）"
    );
    assert_eq!(
        w.said("S103", "2027-02-21").await.text,
        "日期“2027-02-21”还没到，只能登记已经开展的活动。"
    );
    assert_eq!(
        w.said("S103", "下周").await.text,
        "无法识别日期“下周”，请按 2026-12-05、12月5日 或“今天”“昨天”填写。"
    );
    assert_eq!(w.said("S103", "2月18日").await.text, "请输入活动地点：");
    let pick = w.said("S103", "社区服务中心").await;
    assert_eq!(
        pick.text,
        "已选参加人 1 位：马超。请点按姓名添加或取消，也可以直接输入姓名或学号（用顿号分隔）；\
         选好后点“完成”。"
    );
    assert_eq!(&pick.labels()[..4], ["黄晓明", "孙丽", "✓ 马超", "胡静怡"]);
    assert!(
        !pick.labels().contains(&"路人甲"),
        "the masses are not named"
    );
    assert_eq!(pick.labels().last(), Some(&"完成"));
    let pick = w.tap("S103", &pick, "胡静怡").await;
    assert!(
        pick.text.starts_with("已选参加人 2 位：马超、胡静怡。"),
        "{pick:?}"
    );
    // An unknown name changes nothing, even after a good one.
    assert_eq!(
        w.said("S103", "S101、张三").await.text,
        "本支部名册中没有“张三”，请核对姓名或学号，或点按名单中的按钮。"
    );
    let pick = w.said("S103", "黄晓明").await;
    assert!(
        pick.text
            .starts_with("已选参加人 3 位：黄晓明、马超、胡静怡。"),
        "{pick:?}"
    );
    assert_eq!(
        w.tap("S103", &pick, "完成").await.text,
        "请简要描述活动内容（不超过 500 字）："
    );
    let preview = w.said("S103", "为社区老人讲解智能手机的使用方法").await;
    assert_eq!(
        preview.text,
        "请核对服务活动：\n类别：志愿服务\n日期：2027-02-18\n地点：社区服务中心\n\
         参加人：马超、胡静怡、黄晓明\n内容：为社区老人讲解智能手机的使用方法\n\
         确认无误请点“保存”，保存后将请各位参加人确认。\n\
         可以现在发活动照片（可跳过），保存时一起归档。"
    );
    assert_eq!(
        w.tap("S103", &preview, "保存").await.text,
        "已登记2027-02-18的志愿服务活动，已请 2 位参加人确认。"
    );
    assert_eq!(w.count("SELECT COUNT(*) FROM activities").await, 1);

    // Each participant is asked; the secretary confirms, 胡静怡 says it was not her.
    let asked = w.read("S101").await;
    assert_eq!(asked.len(), 1);
    assert_eq!(
        asked[0].text,
        "马超登记了您参加的服务活动：\n志愿服务 · 2027-02-18 · 社区服务中心\n\
         为社区老人讲解智能手机的使用方法\n请确认您是否参加。"
    );
    assert_eq!(asked[0].labels(), ["确认参加", "不是我"]);
    assert_eq!(
        w.tap("S101", &asked[0], "确认参加").await.text,
        "谢谢，已确认您参加了2027-02-18的志愿服务活动。"
    );
    let hu = w.read("S104").await;
    assert_eq!(
        w.tap("S104", &hu[0], "不是我").await.text,
        "已记下：您没有参加2027-02-18的志愿服务活动。"
    );
    // Someone not named cannot confirm it; an activist cannot log one.
    assert_eq!(
        w.tap("S105", &asked[0], "确认参加").await.text,
        "您不在这次活动的参加人名单中，无需确认。"
    );
    assert_eq!(
        w.said("S105", "/activity").await.text,
        "只有本支部党员和学院党委委员可以登记支部的服务活动。"
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM activity_participants WHERE status = 'confirmed'")
            .await,
        2
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity_logged'")
            .await,
        1
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'activity_answered'")
            .await,
        2
    );

    // The committee's /campaign counts the branch's activities in the phase.
    let campaign = w.said("T010", "/campaign").await;
    assert!(
        campaign
            .text
            .contains("学生第一党支部 1 次（确认参加 2 人次）"),
        "{campaign:?}"
    );
    assert!(campaign
        .text
        .contains("学生第二党支部 0 次（确认参加 0 人次）"));

    // 马超's pledge check-in says how many activities he confirmed.
    {
        let mut tx = w.store.begin().await.unwrap();
        let ma = members::find(&mut tx, "S103").await.unwrap().unwrap();
        let sec = members::find(&mut tx, "S101").await.unwrap().unwrap();
        let item = pledges::NewItem {
            way: "serve".into(),
            text: "每月参加一次志愿服务".into(),
            target_date: None,
        };
        let (_, version) = pledges::submit(&mut tx, ma.id, &[item], 0).await.unwrap();
        pledges::review(&mut tx, version, sec.id, true, None, 0)
            .await
            .unwrap();
        let branch = ma.branch_id.unwrap();
        branchbot::scheduler::plan::schedule(
            &mut tx,
            &branchbot::app::features::jobs(),
            &JobSpec {
                kind: "pledge_checkin".into(),
                dedupe_key: format!("pledge:checkin:{branch}"),
                payload: serde_json::json!({ "branch_id": branch }).to_string(),
                when: When::At(at(2027, 2, 25, 19)),
                grace: None,
            },
            w.clock.now(),
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    w.read("S103").await;
    w.advance_to(at(2027, 2, 25, 20)).await;
    let checkin = w.read("S103").await;
    assert_eq!(checkin.len(), 1, "{checkin:#?}");
    assert!(
        checkin[0]
            .text
            .starts_with("本期践诺填报：\n您已确认参加服务活动 1 次（志愿服务 1 次）。\n1. "),
        "{checkin:#?}"
    );

    // --- The branch's work plan.
    assert_eq!(
        w.said("S101", "/plan_publish").await.text,
        "请发送本支部的工作方案全文（不超过 8000 字）："
    );
    assert_eq!(
        w.said("S101", "太短了").await.text,
        "支部工作方案至少需要 10 个字，请补充后重新输入。"
    );
    assert_eq!(
        w.said("S101", PLAN).await.text,
        "已公布学生第一党支部的支部工作方案，党员和群众可用 /plan 学生第一党支部 查看。"
    );
    assert_eq!(
        w.said("S103", "/plan_publish 我们支部的方案是这样的……")
            .await
            .text,
        "只有支部书记、支委和学院党委委员可以公布支部工作方案。"
    );
    // A member of the masses reads it by part of the name.
    assert_eq!(
        w.said("Q001", "/plan 学生第一").await.text,
        format!("学生第一党支部工作方案（黄晓明，2027-02-25公布）：\n{PLAN}")
    );
    let several = w.said("Q001", "/plan 学生").await.text;
    assert!(
        several.starts_with("有多个支部名称包含“学生”：")
            && several.contains("学生第一党支部")
            && several.contains("学生第二党支部"),
        "{several}"
    );
    assert!(w
        .said("Q001", "/plan 第九党支部")
        .await
        .text
        .starts_with("没有名为“第九党支部”的支部。现有支部："));
    assert_eq!(
        w.said("Q001", "/plan 学生第二党支部").await.text,
        "学生第二党支部尚未公布支部工作方案。"
    );
    // So does someone who never bound.
    assert_eq!(
        w.said("stranger", "/plan 学生第一党支部").await.text,
        format!("学生第一党支部工作方案（黄晓明，2027-02-25公布）：\n{PLAN}")
    );
    assert_eq!(
        w.said("Q001", "/plan").await.text,
        "已公布工作方案的支部有 1 个：学生第一党支部。请用 /plan 支部名 查看。"
    );
    assert_eq!(
        w.said("Q001", "/activity").await.text,
        "只有本支部党员和学院党委委员可以登记支部的服务活动。"
    );
    assert_eq!(
        w.said("Q001", "/comments").await.text,
        "领导点评仅向本支部党员公开；您可以用 /plan 查看支部工作方案。"
    );
    // Emily Carter reads in English.
    assert_eq!(
        w.said("T009", "/plan").await.text,
        "1 branch has published their work plan: 学生第一党支部. Read one with /plan BRANCH."
    );
    assert_eq!(
        w.said("T009", "/activity").await.labels(),
        ["Pair help", "Volunteer service", "Visits", "Community work"]
    );
    // The committee sees which branches have not published.
    let missing = w.said("T010", "/plan").await.text;
    assert!(
        missing.contains("\n尚未公布工作方案的支部有 2 个：")
            && missing.contains("学生第二党支部")
            && missing.contains("教工第一党支部"),
        "{missing}"
    );
    // Publishing again replaces it; both are audited.
    assert_eq!(
        w.said(
            "S101",
            &format!("/plan_publish {PLAN}\n四、每季度走访慰问困难党员。")
        )
        .await
        .text,
        "已更新学生第一党支部的支部工作方案。"
    );
    assert_eq!(
        w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'plan_published'")
            .await,
        2
    );

    // --- 领导点评 at the first phase's end (midnight): the committee is asked for it.
    w.advance_to(at(2027, 3, 1, 0) + chrono::TimeDelta::minutes(1))
        .await;
    let told = w.read("T010").await;
    let prompt =
        "“第一阶段：发动部署、党内评优表彰”已结束，请为各支部撰写领导点评：/comment 支部名 \
                  点评内容（关于某位党员：/comment 支部名 @学号 点评内容）。发送 /comment 可查看\
                  各支部的点评情况。";
    assert!(told.iter().any(|s| s.text == prompt), "{told:#?}");
    // The second phase's announcement and 马超's self-assessment went out at the same time.
    for key in ["S101", "S103", "S104", "S105", "T009", "Q001"] {
        w.read(key).await;
    }
    w.advance_to(at(2027, 3, 1, 9)).await;
    let state = w.said("T010", "/comment").await.text;
    assert!(
        state.starts_with(
            "第一阶段：发动部署、党内评优表彰领导点评：请用 /comment 支部名 点评内容 撰写"
        ) && state.contains("· 学生第一党支部 未点评"),
        "{state}"
    );
    assert_eq!(
        w.said("S103", "/comment 学生第一党支部 很好").await.text,
        "只有学院党委委员可以撰写领导点评。"
    );
    w.read("S103").await;
    assert_eq!(
        w.said(
            "T010",
            "/comment 学生第一党支部 组织生活规范，服务活动有特色。"
        )
        .await
        .text,
        "已保存学生第一党支部第一阶段：发动部署、党内评优表彰的领导点评，已推送给 9 位同志。"
    );
    let pushed = w.read("S103").await;
    assert_eq!(
        pushed[0].text,
        "学院党委对学生第一党支部“第一阶段：发动部署、党内评优表彰”的领导点评：\n\
         组织生活规范，服务活动有特色。"
    );
    assert_eq!(
        w.said(
            "T010",
            "/comment 学生第一党支部 @S103 带头开展志愿服务，值得肯定。"
        )
        .await
        .text,
        "已保存学生第一党支部第一阶段：发动部署、党内评优表彰的领导点评，已推送给 2 位同志。"
    );
    assert_eq!(
        w.read("S103").await[0].text,
        "学院党委对学生第一党支部马超同志“第一阶段：发动部署、党内评优表彰”的领导点评：\n\
         带头开展志愿服务，值得肯定。"
    );
    let long = format!("/comment 学生第一党支部 {}", "好".repeat(501));
    assert_eq!(
        w.said("T010", &long).await.text,
        "点评内容不能超过 500 个字，请精简后重新输入。"
    );
    assert!(w
        .said("T010", "/comment 第九党支部 很好")
        .await
        .text
        .starts_with("没有名为“第九党支部”的支部。"));
    assert_eq!(
        w.count("SELECT COUNT(*) FROM audit_log WHERE action = 'comment_written'")
            .await,
        2
    );
    // The branch reads them; a comment about 马超 is his (and the secretary's), not 胡静怡's.
    assert_eq!(
        w.said("S103", "/comments").await.text,
        "创先争优 · 领导点评\n\
         【第一阶段：发动部署、党内评优表彰】学生第一党支部：组织生活规范，服务活动有特色。\n\
         【第一阶段：发动部署、党内评优表彰】马超（S103）：带头开展志愿服务，值得肯定。"
    );
    let told = w.read("S104").await;
    assert_eq!(told.len(), 1, "the branch's comment, not 马超's: {told:#?}");
    assert_eq!(
        w.said("S104", "/comments").await.text,
        "创先争优 · 领导点评\n\
         【第一阶段：发动部署、党内评优表彰】学生第一党支部：组织生活规范，服务活动有特色。"
    );
}
