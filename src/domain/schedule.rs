//! Schedules said in words — `每月1日9点`, `每周三晚上7点`, `每月最后一天`, `每季度末`, `每天 20:00`
//! — read into a standard crontab, and a crontab of one of those shapes said back in words
//! ("每月1日 9:00"), so that a secretary never has to read or write crontab syntax. Experts may
//! still type a crontab; one of another shape is said back as its next dates by the caller.
//! Pure: no I/O.

use crate::domain::when::{leading_number, parse_clock};

/// The time used when a schedule names a day but no time: the default check-in's 9:00.
pub const DEFAULT_TIME: (u32, u32) = (9, 0);

/// A schedule of a shape that can be said in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spoken {
    /// Every day at the time.
    Daily { h: u32, m: u32 },
    /// Every week on a weekday (1 = Monday … 7 = Sunday).
    Weekly { weekday: u32, h: u32, m: u32 },
    /// Every month on a day (1–31).
    Monthly { day: u32, h: u32, m: u32 },
    /// The last day of every month.
    MonthEnd { h: u32, m: u32 },
    /// The last day of March, June, September and December.
    QuarterEnd { h: u32, m: u32 },
    /// The first day of January, April, July and October.
    QuarterStart { h: u32, m: u32 },
}

impl Spoken {
    /// The standard five-field crontab.
    pub fn crontab(self) -> String {
        match self {
            Self::Daily { h, m } => format!("{m} {h} * * *"),
            Self::Weekly { weekday, h, m } => format!("{m} {h} * * {}", weekday % 7),
            Self::Monthly { day, h, m } => format!("{m} {h} {day} * *"),
            Self::MonthEnd { h, m } => format!("{m} {h} L * *"),
            Self::QuarterEnd { h, m } => format!("{m} {h} L 3,6,9,12 *"),
            Self::QuarterStart { h, m } => format!("{m} {h} 1 1,4,7,10 *"),
        }
    }

    /// The time of day, as `9:00`.
    pub fn time(self) -> String {
        let (Self::Daily { h, m }
        | Self::Weekly { h, m, .. }
        | Self::Monthly { h, m, .. }
        | Self::MonthEnd { h, m }
        | Self::QuarterEnd { h, m }
        | Self::QuarterStart { h, m }) = self;
        format!("{h}:{m:02}")
    }

    /// Reads a schedule said in words. None when it is not one.
    pub fn from_words(text: &str) -> Option<Self> {
        let folded = crate::chat::fold(text);
        let t: String = folded.split_whitespace().collect();
        let clock = |rest: &str| -> Option<(u32, u32)> {
            let rest = rest.trim_start_matches(['的', ',', '，']);
            if rest.is_empty() {
                Some(DEFAULT_TIME)
            } else {
                parse_clock(rest)
            }
        };
        let strip_any = |s: &'_ str, heads: &[&str]| -> Option<String> {
            heads
                .iter()
                .find_map(|h| s.strip_prefix(h))
                .map(str::to_owned)
        };
        if let Some(rest) = strip_any(&t, &["每季度末", "每个季度末", "每季末", "每季度最后一天"])
        {
            let (h, m) = clock(&rest)?;
            return Some(Self::QuarterEnd { h, m });
        }
        if let Some(rest) = strip_any(&t, &["每季度初", "每个季度初", "每季初", "每季度第一天"])
        {
            let (h, m) = clock(&rest)?;
            return Some(Self::QuarterStart { h, m });
        }
        if let Some(rest) = strip_any(&t, &["每天", "每日"]) {
            let (h, m) = clock(&rest).filter(|_| !rest.is_empty())?;
            return Some(Self::Daily { h, m });
        }
        if let Some(rest) = strip_any(&t, &["每周", "每星期", "每礼拜", "每个星期", "每个礼拜"])
        {
            let mut chars = rest.chars();
            let weekday = match chars.next()? {
                '一' | '1' => 1,
                '二' | '2' => 2,
                '三' | '3' => 3,
                '四' | '4' => 4,
                '五' | '5' => 5,
                '六' | '6' => 6,
                '日' | '天' | '七' | '7' => 7,
                _ => return None,
            };
            let (h, m) = clock(chars.as_str())?;
            return Some(Self::Weekly { weekday, h, m });
        }
        if let Some(rest) = strip_any(&t, &["每月", "每个月"]) {
            if let Some(rest) = strip_any(&rest, &["最后一天", "月底", "月末", "底", "末"])
            {
                let (h, m) = clock(&rest)?;
                return Some(Self::MonthEnd { h, m });
            }
            let (day, rest) = leading_number(&rest)?;
            let rest = rest.strip_prefix(['日', '号'])?;
            if !(1..=31).contains(&day) {
                return None;
            }
            let (h, m) = clock(rest)?;
            return Some(Self::Monthly { day, h, m });
        }
        None
    }

    /// The words for a crontab of one of these shapes (as [`Self::crontab`] writes them, or as
    /// an expert would: `0 9 1 * *`, `30 19 * * 3`). None for any other crontab.
    pub fn from_crontab(expr: &str) -> Option<Self> {
        let f: Vec<&str> = expr.split_whitespace().collect();
        let [m, h, dom, month, dow] = f.as_slice() else {
            return None;
        };
        let m: u32 = m.parse().ok().filter(|m| *m < 60)?;
        let h: u32 = h.parse().ok().filter(|h| *h < 24)?;
        Some(match (*dom, *month, *dow) {
            ("*", "*", "*") => Self::Daily { h, m },
            ("*", "*", d) => {
                const NAMES: [&str; 7] = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
                let lower = d.to_lowercase();
                let d: u32 = match NAMES.iter().position(|n| *n == lower) {
                    Some(i) => i as u32,
                    None => d.parse().ok().filter(|d| *d <= 7)?,
                };
                Self::Weekly {
                    weekday: if d == 0 { 7 } else { d },
                    h,
                    m,
                }
            }
            ("L", "*", "*") => Self::MonthEnd { h, m },
            ("L", "3,6,9,12", "*") => Self::QuarterEnd { h, m },
            ("1", "1,4,7,10", "*") => Self::QuarterStart { h, m },
            (d, "*", "*") => Self::Monthly {
                day: d.parse().ok().filter(|d| (1..=31).contains(d))?,
                h,
                m,
            },
            _ => return None,
        })
    }
}

/// The presets offered when no schedule is typed.
pub const PRESETS: [Spoken; 4] = [
    Spoken::Monthly { day: 1, h: 9, m: 0 },
    Spoken::Monthly {
        day: 15,
        h: 9,
        m: 0,
    },
    Spoken::MonthEnd { h: 9, m: 0 },
    Spoken::QuarterEnd { h: 9, m: 0 },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_said_in_words_become_crontabs() {
        for (said, cron) in [
            ("每月1日9点", "0 9 1 * *"),
            ("每月1号 9:00", "0 9 1 * *"),
            ("每月十五日 上午10点半", "30 10 15 * *"),
            ("每周三晚上7点", "0 19 * * 3"),
            ("每周日 20:00", "0 20 * * 0"),
            ("每星期五下午4点", "0 16 * * 5"),
            ("每天晚上8点", "0 20 * * *"),
            ("每月最后一天", "0 9 L * *"),
            ("每月最后一天18点", "0 18 L * *"),
            ("每月底 下午5点", "0 17 L * *"),
            ("每季度末", "0 9 L 3,6,9,12 *"),
            ("每季度初 9:30", "30 9 1 1,4,7,10 *"),
        ] {
            assert_eq!(
                Spoken::from_words(said).map(Spoken::crontab),
                Some(cron.to_owned()),
                "{said}"
            );
        }
    }

    #[test]
    fn what_is_not_a_schedule_in_words_is_not_guessed() {
        for said in [
            "每月32日9点",
            "每周八 9点",
            "每月1日 25点",
            "每天",
            "明天9点",
            "0 9 1 * *",
            "每月",
        ] {
            assert_eq!(Spoken::from_words(said), None, "{said}");
        }
    }

    #[test]
    fn crontabs_of_these_shapes_are_said_back_and_others_are_not() {
        assert_eq!(
            Spoken::from_crontab("0 9 1 * *"),
            Some(Spoken::Monthly { day: 1, h: 9, m: 0 })
        );
        assert_eq!(
            Spoken::from_crontab("30 19 * * 3"),
            Some(Spoken::Weekly {
                weekday: 3,
                h: 19,
                m: 30
            })
        );
        assert_eq!(
            Spoken::from_crontab("0 20 * * 0"),
            Some(Spoken::Weekly {
                weekday: 7,
                h: 20,
                m: 0
            })
        );
        assert_eq!(
            Spoken::from_crontab("0 9 L 3,6,9,12 *"),
            Some(Spoken::QuarterEnd { h: 9, m: 0 })
        );
        assert_eq!(Spoken::from_crontab("*/5 * * * *"), None);
        assert_eq!(
            Spoken::from_crontab("0 20 * * Fri"),
            Some(Spoken::Weekly {
                weekday: 5,
                h: 20,
                m: 0
            })
        );
        assert_eq!(Spoken::from_crontab("0 20 * * Mon-Fri"), None);
        for p in PRESETS {
            assert_eq!(Spoken::from_crontab(&p.crontab()), Some(p));
        }
        assert_eq!(Spoken::Monthly { day: 1, h: 9, m: 0 }.time(), "9:00");
    }
}
