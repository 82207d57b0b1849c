//! Bound members for the benches that feed the bot `/me` updates: member i has the roster key
//! `B0000i`, the name `成员i`, and writes from Telegram chat [`FIRST_CHAT`] + i.

use branchbot::chat::ChannelKind;
use branchbot::domain::roster;
use branchbot::i18n::Locale;
use branchbot::store::{bindings, members, Store};

/// Chat ids of the bound members start here: member i writes from chat `FIRST_CHAT + i`.
pub const FIRST_CHAT: i64 = 100_000;

/// Member i's roster key; the `/me` profile names it.
pub fn member_key(i: usize) -> String {
    format!("B{i:05}")
}

/// Imports `count` members into the database at `url` (migrating it), spread over 20 branches,
/// and binds each to its Telegram chat when `telegram`.
pub async fn members(url: &str, count: usize, telegram: bool) -> Result<(), String> {
    let mut csv = String::from("key,name,branch,branch_kind,group,role,locale\n");
    for i in 0..count {
        csv.push_str(&format!(
            "{},成员{i},第{}学生党支部,student,第一党小组,党员,zh-CN\n",
            member_key(i),
            i % 20 + 1
        ));
    }
    let roster = roster::parse(csv.as_bytes(), Locale::ZhCn)
        .map_err(|p| format!("generated roster: {p:?}"))?;
    let store = Store::open(url).await.map_err(|e| e.to_string())?;
    let now = chrono::Utc::now().timestamp_millis();
    let mut tx = store.begin().await.map_err(|e| e.to_string())?;
    members::import(&mut tx, &roster, false, now)
        .await
        .map_err(|e| e.to_string())?;
    let ids: Vec<(i64, String)> = sqlx::query_as("SELECT id, key FROM members")
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
    for (id, key) in ids.into_iter().filter(|_| telegram) {
        let i: i64 = key[1..]
            .parse()
            .map_err(|_| format!("unexpected key {key}"))?;
        bindings::bind(
            &mut tx,
            ChannelKind::Telegram.as_str(),
            &(FIRST_CHAT + i).to_string(),
            id,
            now,
        )
        .await
        .map_err(|e| e.to_string())?;
    }
    tx.commit().await.map_err(|e| e.to_string())?;
    store.close().await;
    Ok(())
}
