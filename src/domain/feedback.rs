//! What of anonymous feedback the layers below the feature read: what is rated and its codes
//! (the targets file, `domain::targets`), and the day a row is dated by (also the evaluation's
//! finest time). The rest of its rules are the feature's (`feedback::rules`).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// What is rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// 学生党员示范宿舍: a building and a room, with its resident members.
    Dormitory,
    /// 党员服务窗口: a staff member at a post.
    Post,
    /// A branch as a whole.
    Branch,
    /// One member.
    Member,
}

impl TargetKind {
    /// The word used in target files and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dormitory => "dormitory",
            Self::Post => "post",
            Self::Branch => "branch",
            Self::Member => "member",
        }
    }

    /// Reads the file's word (English or Chinese).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "dormitory" | "dorm" | "示范宿舍" | "宿舍" => Some(Self::Dormitory),
            "post" | "badge" | "党员服务窗口" | "挂牌上岗" | "岗位" => Some(Self::Post),
            "branch" | "党支部" | "支部" => Some(Self::Branch),
            "member" | "党员" => Some(Self::Member),
            _ => None,
        }
    }
}

/// A target code: letters, digits, `-` and `_`, at most 24 characters (it travels in a
/// Telegram start payload, which allows `[A-Za-z0-9_-]{1,64}`).
pub fn parse_code(s: &str) -> Option<String> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 24
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    ok.then(|| s.to_owned())
}

/// The local day of a moment, as `2026-11-29`: the finest time a feedback row holds.
pub fn day(now: DateTime<Utc>, tz: Tz) -> String {
    now.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_local() {
        let t = DateTime::parse_from_rfc3339("2026-11-30T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(day(t, chrono_tz::Asia::Shanghai), "2026-12-01");
    }

    #[test]
    fn codes_and_kinds_parse() {
        assert_eq!(parse_code(" D12-305 "), Some("D12-305".into()));
        assert_eq!(parse_code("12号楼"), None);
        assert_eq!(TargetKind::parse("示范宿舍"), Some(TargetKind::Dormitory));
    }
}
