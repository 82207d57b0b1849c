//! The meetings' buttons as typed data. On the wire they are what the buttons carried before
//! they were typed (`rsvp:attend:12`, `meet:kind:committee`, `meet:leavefor:12:7`, …), so
//! buttons already sent, and answers typed to them, still work; each fits Telegram's
//! [`MAX_DATA_BYTES`] (a party group's name, the one free text, is as long as the roster has
//! it).

use crate::domain::meetings::MeetingKind;

/// Telegram's limit on a button's data.
pub const MAX_DATA_BYTES: usize = 64;

/// The first field of the data of a reminder's 参加 / 请假.
pub const RSVP: &str = "rsvp";
/// The first field of every other meetings button.
pub const MEET: &str = "meet";

/// A meetings button.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// 参加 under a reminder: `rsvp:attend:<meeting>`.
    Attend(i64),
    /// 请假 under a reminder: `rsvp:leave:<meeting>`.
    Leave(i64),
    /// `/meeting`: the kind chosen, `meet:kind:<kind>`.
    Kind(MeetingKind),
    /// A 党小组会's party group: `meet:group:<name>`.
    Group(String),
    /// 是 / 不是 to "是指明年…吗？": `meet:year:<epoch ms>`, or `meet:year:no`.
    Year(Option<i64>),
    /// 确认 under a draft's preview: `meet:confirm`.
    Confirm,
    /// 确认 under a series' preview: `meet:series`.
    Series,
    /// 取消 under a preview: `meet:discard`.
    Discard,
    /// 提醒未回复的人 on the attendance view: `meet:nudge:<meeting>`.
    Nudge(i64),
    /// 代请假 on the attendance view (`meet:leavefor:<meeting>`), then the member chosen
    /// (`meet:leavefor:<meeting>:<member>`).
    LeaveFor { meeting: i64, member: Option<i64> },
    /// 补学 for a missed meeting: `meet:makeup:<meeting>`.
    Makeup(i64),
    /// The rotating code's screen: `meet:screen:<meeting>`.
    Screen(i64),
}

impl Action {
    /// The button's data.
    pub fn encode(&self) -> String {
        match self {
            Self::Attend(id) => format!("{RSVP}:attend:{id}"),
            Self::Leave(id) => format!("{RSVP}:leave:{id}"),
            Self::Kind(kind) => format!("{MEET}:kind:{}", kind.as_str()),
            Self::Group(name) => format!("{MEET}:group:{name}"),
            Self::Year(Some(at)) => format!("{MEET}:year:{at}"),
            Self::Year(None) => format!("{MEET}:year:no"),
            Self::Confirm => format!("{MEET}:confirm"),
            Self::Series => format!("{MEET}:series"),
            Self::Discard => format!("{MEET}:discard"),
            Self::Nudge(id) => format!("{MEET}:nudge:{id}"),
            Self::LeaveFor {
                meeting,
                member: None,
            } => format!("{MEET}:leavefor:{meeting}"),
            Self::LeaveFor {
                meeting,
                member: Some(member),
            } => format!("{MEET}:leavefor:{meeting}:{member}"),
            Self::Makeup(id) => format!("{MEET}:makeup:{id}"),
            Self::Screen(id) => format!("{MEET}:screen:{id}"),
        }
    }

    /// What a button's data means, given its first field (`rsvp` or `meet`) and the rest;
    /// `None` for data this version never wrote (answered as a stale choice).
    pub fn decode(action: &str, value: &str) -> Option<Self> {
        let (verb, arg) = value.split_once(':').unwrap_or((value, ""));
        let id = || arg.parse::<i64>().ok();
        match (action, verb) {
            (RSVP, "attend") => id().map(Self::Attend),
            (RSVP, "leave") => id().map(Self::Leave),
            (MEET, "kind") => arg.parse().ok().map(Self::Kind),
            (MEET, "group") => Some(Self::Group(arg.to_owned())),
            // Anything but a time asks for the date again, as 不是 does.
            (MEET, "year") => Some(Self::Year(arg.parse().ok())),
            // Whatever followed these was never read.
            (MEET, "confirm") => Some(Self::Confirm),
            (MEET, "series") => Some(Self::Series),
            (MEET, "discard") => Some(Self::Discard),
            (MEET, "nudge") => id().map(Self::Nudge),
            (MEET, "leavefor") => {
                let (meeting, member) = match arg.split_once(':') {
                    Some((meeting, member)) => (meeting, Some(member.parse().ok()?)),
                    None => (arg, None),
                };
                Some(Self::LeaveFor {
                    meeting: meeting.parse().ok()?,
                    member,
                })
            }
            (MEET, "makeup") => id().map(Self::Makeup),
            (MEET, "screen") => id().map(Self::Screen),
            _ => None,
        }
    }

    /// [`Action::decode`] of whole data, `meet:confirm`.
    pub fn parse(data: &str) -> Option<Self> {
        let (action, value) = data.split_once(':').unwrap_or((data, ""));
        Self::decode(action, value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<Action> {
        let mut all: Vec<Action> = MeetingKind::ALL.iter().map(|k| Action::Kind(*k)).collect();
        all.extend([
            Action::Attend(12),
            Action::Leave(i64::MAX),
            Action::Group("本科生第一党小组".into()),
            Action::Year(Some(1_796_000_000_000)),
            Action::Year(None),
            Action::Confirm,
            Action::Series,
            Action::Discard,
            Action::Nudge(3),
            Action::LeaveFor {
                meeting: 4,
                member: None,
            },
            Action::LeaveFor {
                meeting: i64::MAX,
                member: Some(i64::MAX),
            },
            Action::Makeup(5),
            Action::Screen(6),
        ]);
        all
    }

    #[test]
    fn every_action_reads_back_as_itself_and_fits_telegram() {
        for action in all() {
            let data = action.encode();
            assert!(data.len() <= MAX_DATA_BYTES, "{data}");
            assert_eq!(Action::parse(&data), Some(action), "{data}");
        }
    }

    /// The data buttons already sent carry, as the code before this type wrote it.
    #[test]
    fn the_data_of_buttons_sent_before_reads_as_what_it_meant() {
        let today = [
            ("rsvp:attend:12", Action::Attend(12)),
            ("rsvp:leave:12", Action::Leave(12)),
            ("meet:kind:general", Action::Kind(MeetingKind::General)),
            ("meet:kind:committee", Action::Kind(MeetingKind::Committee)),
            ("meet:kind:group", Action::Kind(MeetingKind::Group)),
            ("meet:kind:lesson", Action::Kind(MeetingKind::Lesson)),
            ("meet:kind:themed_day", Action::Kind(MeetingKind::ThemedDay)),
            ("meet:kind:life", Action::Kind(MeetingKind::Life)),
            ("meet:kind:other", Action::Kind(MeetingKind::Other)),
            ("meet:group:第一党小组", Action::Group("第一党小组".into())),
            (
                "meet:year:1796000000000",
                Action::Year(Some(1_796_000_000_000)),
            ),
            ("meet:year:no", Action::Year(None)),
            ("meet:confirm", Action::Confirm),
            ("meet:series", Action::Series),
            ("meet:discard", Action::Discard),
            ("meet:nudge:7", Action::Nudge(7)),
            (
                "meet:leavefor:7",
                Action::LeaveFor {
                    meeting: 7,
                    member: None,
                },
            ),
            (
                "meet:leavefor:7:31",
                Action::LeaveFor {
                    meeting: 7,
                    member: Some(31),
                },
            ),
            ("meet:makeup:9", Action::Makeup(9)),
            ("meet:screen:9", Action::Screen(9)),
        ];
        for (data, action) in today {
            assert_eq!(Action::parse(data), Some(action.clone()), "{data}");
            assert_eq!(action.encode(), data);
        }
        for stale in [
            "",
            "meet",
            "meet:frobnicate",
            "meet:kind:party_day",
            "meet:nudge:x",
            "meet:leavefor:7:x",
            "rsvp:attend:",
            "rsvp:maybe:3",
            "spot:find:3",
        ] {
            assert_eq!(Action::parse(stale), None, "{stale}");
        }
    }
}
