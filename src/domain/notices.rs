//! The audience of a notice or a campaign's announcement ([`Scope`]): who it reaches and who
//! may send to it. Pure: the store lists members, [`recipients`] picks them. Below the notices
//! feature because the campaign file names its audience as a scope; the notices' own rules
//! (typed confirmations, re-nudges) are `crate::notices::rules`.

use serde::{Deserialize, Serialize};

use crate::domain::org::{Member, Role};

/// The audience of a notice. Branch-bound variants carry the branch id. A scope reaches only
/// the people it names: 党员 (full and probationary members) unless activists, the masses or
/// everyone are chosen explicitly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// 全体党员: every full and probationary member of the college (committee only).
    All,
    /// 全支部党员: the full and probationary members of one branch.
    Branch { branch: i64 },
    /// The full and probationary members of one party group of a branch.
    Group { branch: i64, group: String },
    /// Those who run a branch (书记, 副书记, 支委); in every branch when `branch` is None.
    Committee { branch: Option<i64> },
    /// Branch secretaries only; in every branch when `branch` is None.
    Secretaries { branch: Option<i64> },
    /// Full members, without probationary members, activists or the masses.
    FullMembers { branch: Option<i64> },
    /// 全体人员: everyone on the roster, activists and the masses included; in the whole
    /// college when `branch` is None.
    Everyone { branch: Option<i64> },
    /// 入党积极分子 only.
    Activists { branch: Option<i64> },
    /// 群众 only.
    Masses { branch: Option<i64> },
}

impl Scope {
    /// The one branch this scope stays inside, if any.
    pub fn branch(&self) -> Option<i64> {
        match self {
            Self::All => None,
            Self::Branch { branch } | Self::Group { branch, .. } => Some(*branch),
            Self::Committee { branch }
            | Self::Secretaries { branch }
            | Self::FullMembers { branch }
            | Self::Everyone { branch }
            | Self::Activists { branch }
            | Self::Masses { branch } => *branch,
        }
    }

    /// Whether `m` is in the audience.
    pub fn includes(&self, m: &Member) -> bool {
        if !m.active {
            return false;
        }
        if let Some(b) = self.branch() {
            if m.branch_id != Some(b) {
                return false;
            }
        }
        match self {
            Self::All | Self::Branch { .. } => m.role.is_party_member(),
            Self::Group { group, .. } => {
                m.role.is_party_member() && m.group_name.as_deref() == Some(group.as_str())
            }
            Self::Committee { .. } => m.role.runs_branch(),
            Self::Secretaries { .. } => m.role == Role::Secretary,
            Self::FullMembers { .. } => m.role.has_vote(),
            Self::Everyone { .. } => true,
            Self::Activists { .. } => m.role == Role::Activist,
            Self::Masses { .. } => m.role == Role::Masses,
        }
    }

    /// Whether `sender` may send to this scope: the college committee anywhere, a branch's
    /// secretary or committee member only inside their own branch.
    pub fn allowed_for(&self, sender: &Member) -> bool {
        if sender.college {
            return true;
        }
        match (self.branch(), sender.branch_id) {
            (Some(b), Some(own)) => b == own && sender.role.runs_branch(),
            _ => false,
        }
    }

    /// The canonical text stored with the notice.
    pub fn to_db(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{\"kind\":\"all\"}".into())
    }

    /// Reads [`Self::to_db`] back.
    pub fn from_db(s: &str) -> Option<Self> {
        serde_json::from_str(s).ok()
    }
}

/// The members of `scope` among `members`, in the order given.
pub fn recipients<'m>(scope: &Scope, members: &'m [Member]) -> Vec<&'m Member> {
    members.iter().filter(|m| scope.includes(m)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    fn member(id: i64, branch: i64, group: &str, role: Role, college: bool) -> Member {
        Member {
            id,
            key: format!("K{id}"),
            name: format!("M{id}"),
            branch_id: Some(branch),
            branch_name: Some(format!("B{branch}")),
            group_name: Some(group.into()),
            role,
            college,
            phone: None,
            locale: Locale::ZhCn,
            active: true,
        }
    }

    fn roster() -> Vec<Member> {
        vec![
            member(1, 1, "g1", Role::Secretary, true),
            member(2, 1, "g1", Role::CommitteeMember, false),
            member(3, 1, "g2", Role::Member, false),
            member(4, 1, "g2", Role::Probationary, false),
            member(5, 2, "g1", Role::Secretary, false),
            member(6, 2, "g1", Role::Activist, false),
        ]
    }

    fn ids(scope: &Scope, all: &[Member]) -> Vec<i64> {
        recipients(scope, all).iter().map(|m| m.id).collect()
    }

    #[test]
    fn scopes_pick_their_audience() {
        let all = roster();
        assert_eq!(ids(&Scope::All, &all), vec![1, 2, 3, 4, 5]);
        assert_eq!(ids(&Scope::Branch { branch: 2 }, &all), vec![5]);
        let group = Scope::Group {
            branch: 1,
            group: "g2".into(),
        };
        assert_eq!(ids(&group, &all), vec![3, 4]);
        assert_eq!(ids(&Scope::Secretaries { branch: None }, &all), vec![1, 5]);
        assert_eq!(ids(&Scope::Committee { branch: Some(1) }, &all), vec![1, 2]);
        assert_eq!(
            ids(&Scope::FullMembers { branch: Some(1) }, &all),
            vec![1, 2, 3]
        );
    }

    #[test]
    fn party_member_scopes_leave_out_activists_and_the_masses_unless_chosen() {
        let mut all = roster();
        all.push(member(7, 2, "g1", Role::Masses, false));
        assert_eq!(ids(&Scope::All, &all), vec![1, 2, 3, 4, 5]);
        assert_eq!(ids(&Scope::Branch { branch: 2 }, &all), vec![5]);
        let group = Scope::Group {
            branch: 2,
            group: "g1".into(),
        };
        assert_eq!(ids(&group, &all), vec![5]);
        assert_eq!(
            ids(&Scope::Everyone { branch: None }, &all),
            vec![1, 2, 3, 4, 5, 6, 7]
        );
        assert_eq!(
            ids(&Scope::Everyone { branch: Some(2) }, &all),
            vec![5, 6, 7]
        );
        assert_eq!(ids(&Scope::Activists { branch: Some(2) }, &all), vec![6]);
        assert_eq!(ids(&Scope::Masses { branch: None }, &all), vec![7]);
    }

    #[test]
    fn scopes_stored_before_the_new_kinds_are_still_read() {
        assert_eq!(Scope::from_db("{\"kind\":\"all\"}"), Some(Scope::All));
        assert_eq!(
            Scope::from_db("{\"kind\":\"branch\",\"branch\":2}"),
            Some(Scope::Branch { branch: 2 })
        );
        assert_eq!(
            Scope::from_db("{\"kind\":\"full_members\",\"branch\":null}"),
            Some(Scope::FullMembers { branch: None })
        );
    }

    #[test]
    fn a_secretary_stays_inside_the_branch_and_a_member_sends_nothing() {
        let all = roster();
        let secretary = &all[4];
        assert!(Scope::Branch { branch: 2 }.allowed_for(secretary));
        assert!(!Scope::Branch { branch: 1 }.allowed_for(secretary));
        assert!(!Scope::All.allowed_for(secretary));
        assert!(!Scope::Branch { branch: 1 }.allowed_for(&all[2]));
        assert!(Scope::All.allowed_for(&all[0]));
    }

    #[test]
    fn scopes_survive_the_database() {
        let s = Scope::Group {
            branch: 3,
            group: "第一党小组".into(),
        };
        assert_eq!(Scope::from_db(&s.to_db()), Some(s));
    }
}
