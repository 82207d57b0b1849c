//! Spot checks (随机抽查): what a check looks at, how `/spotcheck` narrows its pick, and what
//! makes a finding acceptable. Pure rules; the pick itself is random in the flow.

/// How far back a meeting counts as recent.
pub const RECENT_DAYS: i64 = 90;

/// When no meeting was held in the last [`RECENT_DAYS`], the last this many held ones are
/// candidates instead.
pub const LAST_FEW: i64 = 5;

/// The longest finding: a short note, not a report.
pub const MAX_FINDING_CHARS: usize = 500;

/// What a spot check looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectKind {
    /// A held meeting: its attendance, leave, 代签 and minutes.
    Meeting,
    /// A member's published pledge and its latest check-in answers.
    Pledge,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Pledge => "pledge",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "meeting" | "meetings" | "会议" | "会" | "三会一课" => Some(Self::Meeting),
            "pledge" | "pledges" | "承诺" | "党员承诺" => Some(Self::Pledge),
            _ => None,
        }
    }
}

/// What `/spotcheck <arg>` asks for: any subject anywhere, one kind, or one branch.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Narrow {
    pub kind: Option<SubjectKind>,
    /// A branch's name as typed.
    pub branch: Option<String>,
}

impl Narrow {
    /// Reads the words after `/spotcheck`: `meeting`, `pledge` (or 会议, 承诺), and anything
    /// else as a branch name, in any order (`/spotcheck 学生第一党支部 pledge`).
    pub fn parse(arg: Option<&str>) -> Self {
        let mut narrow = Self::default();
        let mut rest = Vec::new();
        for word in arg.unwrap_or("").split_whitespace() {
            match SubjectKind::parse(word) {
                Some(kind) if narrow.kind.is_none() => narrow.kind = Some(kind),
                _ => rest.push(word),
            }
        }
        if !rest.is_empty() {
            narrow.branch = Some(rest.join(" "));
        }
        narrow
    }

    /// The words that give this narrowing back (kept in the conversation for "another one").
    pub fn to_arg(&self) -> String {
        let mut words = Vec::new();
        if let Some(kind) = self.kind {
            words.push(kind.as_str().to_owned());
        }
        if let Some(branch) = &self.branch {
            words.push(branch.clone());
        }
        words.join(" ")
    }
}

/// Why a typed finding was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FindingError {
    Empty,
    TooLong,
}

/// A finding as it is stored: trimmed, non-empty, at most [`MAX_FINDING_CHARS`].
pub fn parse_finding(text: &str) -> Result<String, FindingError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FindingError::Empty);
    }
    if text.chars().count() > MAX_FINDING_CHARS {
        return Err(FindingError::TooLong);
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pick_is_narrowed_by_kind_and_branch_in_either_order() {
        assert_eq!(Narrow::parse(None), Narrow::default());
        assert_eq!(
            Narrow::parse(Some("pledge")),
            Narrow {
                kind: Some(SubjectKind::Pledge),
                branch: None
            }
        );
        assert_eq!(
            Narrow::parse(Some("学生第一党支部 会议")),
            Narrow {
                kind: Some(SubjectKind::Meeting),
                branch: Some("学生第一党支部".into())
            }
        );
        let n = Narrow::parse(Some("Meeting 教工第一党支部"));
        assert_eq!(Narrow::parse(Some(&n.to_arg())), n);
    }

    #[test]
    fn a_finding_is_short_and_not_empty() {
        assert_eq!(parse_finding("  记录完整 "), Ok("记录完整".into()));
        assert_eq!(parse_finding(" \n "), Err(FindingError::Empty));
        let long = "很".repeat(MAX_FINDING_CHARS + 1);
        assert_eq!(parse_finding(&long), Err(FindingError::TooLong));
        assert!(parse_finding(&"很".repeat(MAX_FINDING_CHARS)).is_ok());
    }
}
