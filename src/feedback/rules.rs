//! Anonymous mass feedback, the pure part: ratings, periods, reply codes, and the rules that
//! decide what a report may show (thresholds and the suppression of complementary cells, so a
//! hidden group cannot be recovered by subtraction). Targets, their codes and the day a row is
//! dated by are `domain::feedback`'s (the targets file and other features read them), and
//! re-exported here.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Tz;

pub use crate::domain::feedback::{day, parse_code, TargetKind};

/// A distribution is shown only with at least this many ratings.
pub const MIN_RATINGS: i64 = 5;
/// A target's comments are shown once it has at least this many, counted across months up to
/// the period shown (each published in a mixed batch of at least five senders, see
/// `feedback::publish`, which is what protects the sender; this keeps a lone comment
/// from standing out on its target).
pub const MIN_COMMENTS: i64 = 5;
/// The longest comment kept (characters).
pub const MAX_COMMENT_CHARS: usize = 500;

/// 满意 / 基本满意 / 不满意.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rating {
    Satisfied = 1,
    Fair = 2,
    Dissatisfied = 3,
}

impl Rating {
    pub const ALL: [Rating; 3] = [Self::Satisfied, Self::Fair, Self::Dissatisfied];

    /// The stored number.
    pub fn as_i64(self) -> i64 {
        self as i64
    }

    /// From the stored number.
    pub fn from_i64(n: i64) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_i64() == n)
    }
}

/// The feedback period a moment belongs to: the calendar month in the organisation's zone,
/// as `2026-11`, and the instant (ms) it ends.
pub fn period(now: DateTime<Utc>, tz: Tz) -> (String, i64) {
    let local = now.with_timezone(&tz);
    let (y, m) = (local.year(), local.month());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let end = chrono::NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .and_then(|d| d.and_local_timezone(tz).earliest())
        .map(|d| d.timestamp_millis())
        .unwrap_or(i64::MAX);
    (format!("{y:04}-{m:02}"), end)
}

/// Letters and digits that cannot be mistaken for each other.
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A one-time reply code, shown as `K7Q-4MX`.
pub fn new_reply_code() -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    let raw: String = (0..6)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &raw[..3], &raw[3..])
}

/// A random id for a feedback row (shown in results, so a secretary can answer it).
pub fn new_feedback_id() -> String {
    use rand::RngExt;
    let mut rng = rand::rng();
    (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A random id for a pooled submission (see `feedback::publish`).
pub fn new_pool_id() -> String {
    hex::encode(rand::random::<[u8; 16]>())
}

/// A reply code or feedback id in canonical form: upper case, no separators.
pub fn normalize(code: &str) -> String {
    crate::chat::fold(code)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Counts of each rating, in [`Rating::ALL`] order.
pub type Counts = [i64; 3];

/// One cell of a report: a target's ratings, possibly part of a group (a building).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub target: String,
    /// The group whose total is also shown (a building for a dormitory), if any.
    pub group: Option<String>,
    pub counts: Counts,
}

/// What a report may show of a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Counts(Counts),
    /// Too few ratings (or hidden so a smaller one cannot be computed by difference).
    Hidden,
}

/// Decides which cells are shown. A cell with fewer than [`MIN_RATINGS`] is hidden; when a
/// group total is shown (see [`group_totals`]) and exactly one cell in it is hidden, the
/// smallest other shown cell is hidden too, so the hidden one cannot be recovered as the
/// group total minus the visible cells.
pub fn suppress(cells: &[Cell]) -> Vec<Shown> {
    let total = |c: &Cell| c.counts.iter().sum::<i64>();
    let mut hidden: Vec<bool> = cells.iter().map(|c| total(c) < MIN_RATINGS).collect();
    let mut groups: Vec<&str> = cells.iter().filter_map(|c| c.group.as_deref()).collect();
    groups.sort_unstable();
    groups.dedup();
    for g in groups {
        let members: Vec<usize> = (0..cells.len())
            .filter(|&i| cells[i].group.as_deref() == Some(g))
            .collect();
        // Hidden cells with ratings (an empty one reveals no one).
        let hidden_in: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&i| hidden[i] && total(&cells[i]) > 0)
            .collect();
        let hidden_total: i64 = hidden_in.iter().map(|&i| total(&cells[i])).sum();
        // A single hidden cell, or several whose sum is itself small, can be derived from the
        // group total: hide one more cell, the smallest shown.
        if !hidden_in.is_empty() && (hidden_in.len() == 1 || hidden_total < MIN_RATINGS) {
            if let Some(&j) = members
                .iter()
                .filter(|&&i| !hidden[i])
                .min_by_key(|&&i| total(&cells[i]))
            {
                hidden[j] = true;
            }
        }
    }
    cells
        .iter()
        .zip(hidden)
        .map(|(c, h)| {
            if h {
                Shown::Hidden
            } else {
                Shown::Counts(c.counts)
            }
        })
        .collect()
}

/// Which hidden cells have enough ratings and are hidden only so that a thinner one cannot be
/// derived by subtraction (shown as "为保护匿名，暂不显示", not "too few").
pub fn withheld(cells: &[Cell], shown: &[Shown]) -> Vec<bool> {
    cells
        .iter()
        .zip(shown)
        .map(|(c, s)| *s == Shown::Hidden && c.counts.iter().sum::<i64>() >= MIN_RATINGS)
        .collect()
}

/// The months of the semester holding `period` (`2026-11`), from its first month up to
/// `period` itself: spring is February to July, autumn August to January. None for a period
/// that is not a month.
pub fn semester_months_through(period: &str) -> Option<Vec<String>> {
    let (y, m) = period.split_once('-')?;
    let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
    if !(1..=12).contains(&m) || period.len() != 7 {
        return None;
    }
    // Months counted from the semester's first: spring starts in February, autumn in August.
    let (start_y, start_m) = match m {
        2..=7 => (y, 2),
        8..=12 => (y, 8),
        _ => (y - 1, 8),
    };
    let mut out = Vec::new();
    let (mut cy, mut cm) = (start_y, start_m);
    loop {
        out.push(format!("{cy:04}-{cm:02}"));
        if (cy, cm) == (y, m) {
            return Some(out);
        }
        (cy, cm) = if cm == 12 { (cy + 1, 1) } else { (cy, cm + 1) };
    }
}

/// Whether a target's semester-to-date figure may be shown where its month is too thin: it
/// needs [`MIN_RATINGS`], and the part not already shown month by month (`monthly_shown`, the
/// ratings of its months with at least [`MIN_RATINGS`]) must itself be at least that, or the
/// thin months could be computed by subtraction.
pub fn semester_shown(total: &Counts, monthly_shown: i64) -> bool {
    let total: i64 = total.iter().sum();
    total >= MIN_RATINGS && total - monthly_shown >= MIN_RATINGS
}

/// Group totals: shown only when the group has at least [`MIN_RATINGS`] ratings.
pub fn group_totals(cells: &[Cell]) -> Vec<(String, Shown)> {
    let mut out: Vec<(String, Counts)> = Vec::new();
    for c in cells {
        let Some(g) = &c.group else { continue };
        match out.iter_mut().find(|(name, _)| name == g) {
            Some((_, counts)) => {
                for (a, b) in counts.iter_mut().zip(c.counts) {
                    *a += b;
                }
            }
            None => out.push((g.clone(), c.counts)),
        }
    }
    out.into_iter()
        .map(|(g, counts)| {
            let shown = if counts.iter().sum::<i64>() < MIN_RATINGS {
                Shown::Hidden
            } else {
                Shown::Counts(counts)
            };
            (g, shown)
        })
        .collect()
}

/// Whether comments may be shown, given how many there are.
pub fn comments_shown(count: i64) -> bool {
    count >= MIN_COMMENTS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(target: &str, group: Option<&str>, n: i64) -> Cell {
        Cell {
            target: target.into(),
            group: group.map(Into::into),
            counts: [n, 0, 0],
        }
    }

    #[test]
    fn four_ratings_are_hidden_and_five_are_shown() {
        let shown = suppress(&[cell("a", None, 4), cell("b", None, 5)]);
        assert_eq!(shown[0], Shown::Hidden);
        assert_eq!(shown[1], Shown::Counts([5, 0, 0]));
    }

    #[test]
    fn a_hidden_room_cannot_be_recovered_from_the_building_total() {
        let cells = [
            cell("305", Some("12"), 3),
            cell("306", Some("12"), 6),
            cell("307", Some("12"), 8),
        ];
        let shown = suppress(&cells);
        assert_eq!(shown[0], Shown::Hidden);
        // The smallest visible room is hidden too: 17 - 8 = 9 is two rooms, not one.
        assert_eq!(shown[1], Shown::Hidden);
        assert_eq!(shown[2], Shown::Counts([8, 0, 0]));
        assert_eq!(group_totals(&cells)[0].1, Shown::Counts([17, 0, 0]));
        // An empty room reveals no one: its neighbour stays visible.
        let shown = suppress(&[cell("201", Some("8"), 5), cell("202", Some("8"), 0)]);
        assert_eq!(shown[0], Shown::Counts([5, 0, 0]));
    }

    #[test]
    fn semesters_run_february_to_july_and_august_to_january() {
        assert_eq!(
            semester_months_through("2026-11").unwrap(),
            ["2026-08", "2026-09", "2026-10", "2026-11"]
        );
        assert_eq!(
            semester_months_through("2027-01").unwrap(),
            ["2026-08", "2026-09", "2026-10", "2026-11", "2026-12", "2027-01"]
        );
        assert_eq!(semester_months_through("2027-02").unwrap(), ["2027-02"]);
        assert_eq!(semester_months_through("2026Q4"), None);
    }

    #[test]
    fn a_semester_figure_that_would_reveal_a_thin_month_by_subtraction_is_withheld() {
        // Three thin months of 2 each: 6 together, nothing shown monthly.
        assert!(semester_shown(&[4, 2, 0], 0));
        // 12 ratings, 9 of them shown in a full month: the other 3 would be derived.
        assert!(!semester_shown(&[10, 2, 0], 9));
        assert!(!semester_shown(&[3, 0, 0], 0));
    }

    #[test]
    fn four_comments_are_hidden_and_five_are_shown() {
        assert!(!comments_shown(4));
        assert!(comments_shown(5));
    }

    #[test]
    fn a_cell_hidden_only_because_it_could_be_subtracted_is_told_apart_from_a_thin_one() {
        let cells = [
            cell("305", Some("12"), 3),
            cell("306", Some("12"), 6),
            cell("307", Some("12"), 8),
        ];
        let shown = suppress(&cells);
        assert_eq!(withheld(&cells, &shown), vec![false, true, false]);
    }

    #[test]
    fn periods_are_local_months() {
        let t = DateTime::parse_from_rfc3339("2026-11-30T17:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let (p, end) = period(t, chrono_tz::Asia::Shanghai);
        assert_eq!(p, "2026-12");
        assert_eq!(
            end,
            DateTime::parse_from_rfc3339("2026-12-31T16:00:00Z")
                .unwrap()
                .timestamp_millis()
        );
    }

    #[test]
    fn reply_codes_read_in_any_case_and_spacing() {
        assert_eq!(normalize("k7q-4mx"), "K7Q4MX");
        assert_eq!(new_reply_code().len(), 7);
    }
}
