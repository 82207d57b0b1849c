//! The organisation: branches, party groups, members and their roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::i18n::{Locale, Msg};
use crate::msg;

/// A branch is a teacher branch or a student branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BranchKind {
    Teacher,
    Student,
}

impl BranchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Teacher => "teacher",
            Self::Student => "student",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Self::Teacher => msg!("branch-kind-teacher"),
            Self::Student => msg!("branch-kind-student"),
        }
    }
}

impl FromStr for BranchKind {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_lowercase().as_str() {
            "teacher" | "教师" | "教工" | "教师支部" | "教工支部" => Ok(Self::Teacher),
            "student" | "学生" | "学生支部" => Ok(Self::Student),
            _ => Err(()),
        }
    }
}

/// A person's role in their branch. The order is from most to least responsibility.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 书记
    Secretary,
    /// 副书记
    DeputySecretary,
    /// 支委
    CommitteeMember,
    /// 党小组长
    GroupLeader,
    /// 党员
    Member,
    /// 预备党员
    Probationary,
    /// 入党积极分子
    Activist,
    /// 群众
    Masses,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Self::Secretary,
        Self::DeputySecretary,
        Self::CommitteeMember,
        Self::GroupLeader,
        Self::Member,
        Self::Probationary,
        Self::Activist,
        Self::Masses,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Secretary => "secretary",
            Self::DeputySecretary => "deputy_secretary",
            Self::CommitteeMember => "committee_member",
            Self::GroupLeader => "group_leader",
            Self::Member => "member",
            Self::Probationary => "probationary",
            Self::Activist => "activist",
            Self::Masses => "masses",
        }
    }

    pub fn msg(self) -> Msg {
        match self {
            Self::Secretary => msg!("role-secretary"),
            Self::DeputySecretary => msg!("role-deputy-secretary"),
            Self::CommitteeMember => msg!("role-committee-member"),
            Self::GroupLeader => msg!("role-group-leader"),
            Self::Member => msg!("role-member"),
            Self::Probationary => msg!("role-probationary"),
            Self::Activist => msg!("role-activist"),
            Self::Masses => msg!("role-masses"),
        }
    }

    /// Secretary, deputy and committee members run the branch (支委会).
    pub fn runs_branch(self) -> bool {
        matches!(
            self,
            Self::Secretary | Self::DeputySecretary | Self::CommitteeMember
        )
    }

    /// Full and probationary members (党员); activists and the masses are not.
    pub fn is_party_member(self) -> bool {
        self <= Self::Probationary
    }

    /// Members with a vote: full members (probationary members have none).
    pub fn has_vote(self) -> bool {
        self <= Self::Member
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();

    /// Accepts the English key (`secretary`, `deputy-secretary`, …) or the Chinese title.
    fn from_str(s: &str) -> Result<Self, ()> {
        let t = s.trim().to_lowercase().replace(['-', ' '], "_");
        Ok(match t.as_str() {
            "secretary" | "书记" | "支部书记" => Self::Secretary,
            "deputy_secretary" | "deputy" | "副书记" => Self::DeputySecretary,
            "committee_member" | "committee" | "支委" | "支部委员" => Self::CommitteeMember,
            "group_leader" | "党小组长" | "小组长" => Self::GroupLeader,
            "member" | "党员" | "正式党员" => Self::Member,
            "probationary" | "probationary_member" | "预备党员" => Self::Probationary,
            "activist" | "入党积极分子" | "积极分子" => Self::Activist,
            "masses" | "群众" => Self::Masses,
            _ => return Err(()),
        })
    }
}

/// A member as the flows see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: i64,
    pub key: String,
    pub name: String,
    pub branch_id: Option<i64>,
    pub branch_name: Option<String>,
    pub group_name: Option<String>,
    pub role: Role,
    /// Sits on the college committee or the campaign office: sees every branch.
    pub college: bool,
    pub phone: Option<String>,
    pub locale: Locale,
    pub active: bool,
}

impl Member {
    /// Whether this member may manage the given branch (its meetings, notices, roster view).
    pub fn manages_branch(&self, branch_id: i64) -> bool {
        self.college || (self.role.runs_branch() && self.branch_id == Some(branch_id))
    }

    /// Whether this member manages any branch at all.
    pub fn is_manager(&self) -> bool {
        self.college || (self.role.runs_branch() && self.branch_id.is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_english_and_chinese() {
        assert_eq!("书记".parse::<Role>(), Ok(Role::Secretary));
        assert_eq!(
            "Deputy-Secretary".parse::<Role>(),
            Ok(Role::DeputySecretary)
        );
        assert_eq!("预备党员".parse::<Role>(), Ok(Role::Probationary));
        assert_eq!("chairman".parse::<Role>(), Err(()));
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
    }

    #[test]
    fn probationary_members_are_members_without_a_vote() {
        assert!(Role::Probationary.is_party_member());
        assert!(!Role::Probationary.has_vote());
        assert!(Role::Member.has_vote());
        assert!(!Role::Activist.is_party_member());
    }
}
