//! The meetings' own rules, pure: who attends a kind by default, the semester a day falls in,
//! the quorum of a general meeting and the rotating sign-in code (a TOTP-like code per
//! 30-second window under the meeting's secret). The kinds, cadences, quarters and
//! `[meetings]`'s timings stay in `crate::domain::meetings`, which the configuration reads.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use crate::domain::meetings::{local_midnight, MeetingKind, MeetingRules};

/// Who is expected at a meeting unless the secretary says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attendees {
    /// Every party member of the branch (full and probationary).
    Branch,
    /// Secretary, deputy and committee members.
    Committee,
    /// The members of one party group.
    Group,
}

/// Who attends a meeting of `kind` by default.
pub fn default_attendees(kind: MeetingKind) -> Attendees {
    match kind {
        MeetingKind::Committee => Attendees::Committee,
        MeetingKind::Group => Attendees::Group,
        _ => Attendees::Branch,
    }
}

/// The semester of `rules` holding `at` in `tz`: its first instant and the first instant after
/// its last day. None between semesters.
pub fn semester_containing(
    rules: &MeetingRules,
    at: DateTime<Utc>,
    tz: Tz,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let day = at.with_timezone(&tz).date_naive();
    for &((fm, fd), (lm, ld)) in &rules.semesters {
        for first_year in [day.year() - 1, day.year()] {
            let last_year = if (lm, ld) < (fm, fd) {
                first_year + 1
            } else {
                first_year
            };
            let (Some(first), Some(last)) = (
                NaiveDate::from_ymd_opt(first_year, fm, fd),
                NaiveDate::from_ymd_opt(last_year, lm, ld),
            ) else {
                continue;
            };
            if first <= day && day <= last {
                return Some((
                    local_midnight(first, tz),
                    local_midnight(last + Duration::days(1), tz),
                ));
            }
        }
    }
    None
}

/// A general meeting can vote only when more than half of the members with a vote attend.
pub fn has_quorum(voting_attending: u32, voting_total: u32) -> bool {
    voting_attending * 2 > voting_total
}

/// The rotating sign-in code changes every this many milliseconds.
pub const ROTATING_WINDOW_MS: i64 = 30_000;

/// The 30-second window an instant falls in.
pub fn rotating_window(at_ms: i64) -> i64 {
    at_ms.div_euclid(ROTATING_WINDOW_MS)
}

/// The rotating sign-in code of a window: HMAC-SHA256 of the window number under the meeting's
/// secret, truncated to six digits as TOTP (RFC 6238) does, so the code on the screen cannot be
/// worked out from an earlier one nor forwarded for long.
pub fn rotating_code(secret: &[u8], window: i64) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(&window.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    // Dynamic truncation (RFC 4226 §5.3).
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let n = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!("{:06}", n % 1_000_000)
}

/// How a typed code compares with a meeting's rotating codes at `now_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RotatingMatch {
    /// The current window's code or the one before (a member who read it just before it changed).
    Valid,
    /// The code of an older window, up to [`STALE_WINDOWS`] back: forwarded or kept, refused.
    Stale,
    /// Not one of this meeting's codes.
    No,
}

/// How many windows back a code is still recognised as this meeting's (to say it expired).
pub const STALE_WINDOWS: i64 = 20;

/// Whether `code` is the meeting's rotating code now ([`RotatingMatch::Valid`]: the current or
/// the previous window), an expired one of its codes, or none of them.
pub fn match_rotating(secret: &[u8], code: &str, now_ms: i64) -> RotatingMatch {
    let now = rotating_window(now_ms);
    if (now - 1..=now).any(|w| rotating_code(secret, w) == code) {
        return RotatingMatch::Valid;
    }
    if (now - STALE_WINDOWS..now - 1).any(|w| rotating_code(secret, w) == code) {
        return RotatingMatch::Stale;
    }
    RotatingMatch::No
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::meetings::Cadence;

    const TZ: Tz = chrono_tz::Asia::Shanghai;

    fn local(at: DateTime<Utc>) -> String {
        at.with_timezone(&TZ).format("%Y-%m-%d %H:%M").to_string()
    }

    #[test]
    fn semesters_may_run_over_the_new_year() {
        let rules = MeetingRules {
            semesters: vec![((2, 20), (7, 10)), ((9, 1), (1, 20))],
            ..MeetingRules::default()
        };
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        let (from, to) = semester_containing(&rules, at("2027-01-10T12:00:00+08:00"), TZ).unwrap();
        assert_eq!(
            (local(from), local(to)),
            ("2026-09-01 00:00".into(), "2027-01-21 00:00".into())
        );
        let (from, _) = semester_containing(&rules, at("2026-12-10T12:00:00+08:00"), TZ).unwrap();
        assert_eq!(local(from), "2026-09-01 00:00");
        assert!(semester_containing(&rules, at("2026-08-10T12:00:00+08:00"), TZ).is_none());
        assert_eq!(rules.cadence(MeetingKind::Lesson), Cadence::Quarterly);
    }

    #[test]
    fn a_committee_meeting_expects_the_committee_and_a_group_meeting_the_group() {
        assert_eq!(
            default_attendees(MeetingKind::Committee),
            Attendees::Committee
        );
        assert_eq!(default_attendees(MeetingKind::Group), Attendees::Group);
        assert_eq!(default_attendees(MeetingKind::Lesson), Attendees::Branch);
    }

    #[test]
    fn a_general_meeting_needs_more_than_half_of_the_voting_members() {
        assert!(!has_quorum(5, 10));
        assert!(has_quorum(6, 10));
        assert!(has_quorum(1, 1));
        assert!(!has_quorum(0, 0));
    }

    #[test]
    fn the_rotating_code_changes_every_thirty_seconds_and_only_the_last_two_are_accepted() {
        let secret = [7u8; 32];
        let t0 = 1_790_000_000_000_i64 - 1_790_000_000_000_i64 % ROTATING_WINDOW_MS;
        let a = rotating_code(&secret, rotating_window(t0));
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(a, rotating_code(&secret, rotating_window(t0 + 29_999)));
        let b = rotating_code(&secret, rotating_window(t0 + 30_000));
        assert_ne!(a, b);
        assert_ne!(a, rotating_code(&[8u8; 32], rotating_window(t0)));
        assert_eq!(match_rotating(&secret, &a, t0 + 1), RotatingMatch::Valid);
        assert_eq!(
            match_rotating(&secret, &a, t0 + 59_999),
            RotatingMatch::Valid
        );
        assert_eq!(
            match_rotating(&secret, &a, t0 + 60_000),
            RotatingMatch::Stale
        );
        assert_eq!(match_rotating(&secret, "000000x", t0), RotatingMatch::No);
    }
}
