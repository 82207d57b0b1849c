//! Evaluation rounds, the pure part: 民主评议党员 grades, 票决 votes, tallies and the warning
//! when 优秀 exceeds a third. A ballot is never kept as a row: it only adds to counters.

/// The kind of round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundKind {
    /// 民主评议党员: one grade per member evaluated.
    Grades,
    /// 票决: for / against / abstain per candidate.
    Vote,
}

impl RoundKind {
    /// The stored word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Grades => "grades",
            Self::Vote => "vote",
        }
    }

    /// From the stored word.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "grades" => Some(Self::Grades),
            "vote" => Some(Self::Vote),
            _ => None,
        }
    }

    /// The options a voter picks from, as stored codes.
    pub fn options(self) -> &'static [&'static str] {
        match self {
            Self::Grades => &["excellent", "qualified", "basic", "unqualified"],
            Self::Vote => &["for", "against", "abstain"],
        }
    }
}

/// Whether 优秀 (the first grade) exceeds a third of the grades a member received.
pub fn too_many_excellent(excellent: i64, total: i64) -> bool {
    total > 0 && excellent * 3 > total
}

/// Tallies per candidate and option: `(candidate, option index) -> count`, from counters.
pub fn tally(options: usize, rows: &[(usize, usize, i64)], candidates: usize) -> Vec<Vec<i64>> {
    let mut out = vec![vec![0; options]; candidates];
    for &(c, o, n) in rows {
        if let Some(cell) = out.get_mut(c).and_then(|r| r.get_mut(o)) {
            *cell += n;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_than_a_third_excellent_is_flagged() {
        assert!(!too_many_excellent(3, 9));
        assert!(too_many_excellent(4, 9));
        assert!(!too_many_excellent(0, 0));
    }

    #[test]
    fn tallies_add_counters_and_ignore_strays() {
        let t = tally(3, &[(0, 0, 2), (0, 2, 1), (1, 1, 4), (5, 0, 9)], 2);
        assert_eq!(t, vec![vec![2, 0, 1], vec![0, 4, 0]]);
        assert_eq!(RoundKind::Vote.options().len(), 3);
        assert_eq!(RoundKind::parse("grades"), Some(RoundKind::Grades));
    }
}
