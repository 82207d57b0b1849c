//! The questions open on one conversation (a member on a channel): each message that offered
//! choices — a reply to what the member did, or a push such as a meeting reminder or a notice
//! asking for 收到 — stays answerable by typing until it expires, is answered, or (for the
//! member's own conversation) the conversation moves on. A typed answer goes to the one
//! question it fits; when it fits several that mean different things it is never guessed: the
//! member is asked which one was meant ([`Resolved::Ambiguous`]).
//!
//! Rules, in order: a "which one did you mean" question takes its answer first; an answer to
//! what the member just asked for (their own latest step) wins over older pushes; pushes never
//! win over each other or over a newer conversation. Kept in the conversation's `choices`
//! column as JSON; the earlier form (one list of choices) still reads.

use serde::{Deserialize, Serialize};

use super::{match_choice, Choice, Reply};

/// How long a pushed question without an expiry stays answerable.
const PUSH_OPEN_MS: i64 = 14 * 24 * 3_600_000;

/// The most questions kept per conversation (the oldest pushes go first).
const MAX_OPEN: usize = 8;

/// What the anonymity key is derived for when the column is sealed.
const SEALED_PURPOSE: &str = "conversation-choices";

/// The longest "about" kept, in characters.
const ABOUT_CHARS: usize = 40;

/// One message's choices, still answerable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// What it is about, as the member read it (the message's first lines, shortened).
    pub about: String,
    pub choices: Vec<Choice>,
    /// When it was offered (Unix ms).
    pub at: i64,
    /// Answerable until (Unix ms); None: until the conversation moves on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i64>,
    /// Pushed to the member (a reminder, a notice), not a reply to them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pushed: bool,
    /// A "which one did you mean" question: the text that came after the ambiguous answer
    /// ("出差" of "2 出差"), given to whichever is picked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pick_rest: Option<String>,
    /// Offered by an anonymous step (a ballot's picks so far): while it is open the whole
    /// column is stored sealed, so the picks never sit in the clear next to the member.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub anonymous: bool,
}

/// The open questions of a conversation, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Open {
    pub questions: Vec<Question>,
    /// The choice this update answered, closed with its question once the step is taken (a
    /// correction keeps everything open).
    #[serde(skip)]
    pub answering: Option<String>,
}

/// What a typed answer resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// It fits no open question.
    Nothing,
    /// One choice, with what was typed after it.
    One { choice: Choice, rest: String },
    /// It fits questions that mean different things: `(about, choice)` per candidate, and
    /// what was typed after the number or word.
    Ambiguous {
        candidates: Vec<(String, Choice)>,
        rest: String,
    },
}

impl Question {
    /// A question from a message's text and choices.
    pub fn from_reply(reply: &Reply, at: i64, until: Option<i64>, pushed: bool) -> Self {
        Self {
            about: about(&reply.text),
            choices: reply.choices.clone(),
            at,
            until,
            pushed,
            pick_rest: None,
            anonymous: reply.anonymous,
        }
    }

    fn same_as(&self, other: &Question) -> bool {
        let data = |q: &Question| {
            let mut d: Vec<String> = q.choices.iter().map(|c| c.data.clone()).collect();
            d.sort();
            d
        };
        data(self) == data(other)
    }
}

impl Open {
    /// Reads the stored column: sealed or plain JSON of this form, or the earlier plain list
    /// of choices (one question).
    pub fn parse(stored: &str, now: i64) -> Self {
        let json = crate::anonymity::open_text(SEALED_PURPOSE, stored).unwrap_or_default();
        let json = json.as_str();
        if !json.trim_start().starts_with('[') {
            return serde_json::from_str::<Open>(json).unwrap_or_default();
        }
        let choices: Vec<Choice> = serde_json::from_str(json).unwrap_or_default();
        if choices.is_empty() {
            return Self::default();
        }
        Self {
            answering: None,
            questions: vec![Question {
                about: String::new(),
                choices,
                at: now,
                until: None,
                pushed: false,
                pick_rest: None,
                anonymous: false,
            }],
        }
    }

    /// The stored column: JSON, sealed while an anonymous question is open; nothing open is
    /// `[]`, as before.
    pub fn to_json(&self) -> String {
        if self.questions.is_empty() {
            return "[]".into();
        }
        let json = serde_json::to_string(self).unwrap_or_else(|_| "[]".into());
        if self.questions.iter().any(|q| q.anonymous) {
            return crate::anonymity::seal_text(SEALED_PURPOSE, &json, 1024);
        }
        json
    }

    /// Drops what expired by `now`, except the newest question: like a last message on the
    /// screen it stays answerable, and its flow says when an answer comes too late (a meeting
    /// that has started).
    pub fn expire(&mut self, now: i64) {
        let newest = self.questions.len().saturating_sub(1);
        let mut i = 0;
        self.questions.retain(|q| {
            i += 1;
            i - 1 == newest || q.until.is_none_or(|u| now < u)
        });
    }

    /// A pushed question: it replaces an earlier push with the same choices (the same
    /// reminder again), and the oldest pushes go when there are too many.
    pub fn push(&mut self, reply: &Reply, now: i64, expires_at: Option<i64>) {
        if reply.choices.is_empty() {
            return;
        }
        let q = Question::from_reply(
            reply,
            now,
            Some(expires_at.unwrap_or(now + PUSH_OPEN_MS)),
            true,
        );
        self.questions.retain(|old| !old.same_as(&q));
        self.questions.push(q);
        while self.questions.len() > MAX_OPEN {
            match self.questions.iter().position(|q| q.pushed) {
                Some(i) => self.questions.remove(i),
                None => self.questions.remove(0),
            };
        }
    }

    /// The member's conversation moved on: the question answered and its earlier questions go
    /// (other pushes stay), and each reply that offers choices is a question of its own.
    pub fn after_step(&mut self, replies: &[Reply], now: i64) {
        if let Some(data) = self.answering.take() {
            self.answered(&data);
        }
        self.questions.retain(|q| q.pushed);
        for r in replies.iter().filter(|r| !r.choices.is_empty()) {
            self.questions
                .push(Question::from_reply(r, now, None, false));
        }
    }

    /// Asks which question was meant: a question of its own whose choices are the candidates.
    pub fn ask_which(&mut self, question: Question) {
        self.questions.retain(|q| q.pushed);
        self.questions.push(question);
    }

    /// The question holding `data` was answered: it is closed.
    pub fn answered(&mut self, data: &str) {
        self.questions
            .retain(|q| !q.choices.iter().any(|c| c.data == data));
    }

    /// The rest typed with an ambiguous answer, for the picked `data`.
    pub fn pick_rest(&self, data: &str) -> Option<String> {
        self.questions
            .iter()
            .filter(|q| q.choices.iter().any(|c| c.data == data))
            .find_map(|q| q.pick_rest.clone())
    }

    /// The choices of the newest question, for "there is no option 5 (1 参加, 2 请假)".
    pub fn latest(&self) -> Vec<Choice> {
        self.questions
            .last()
            .map(|q| q.choices.clone())
            .unwrap_or_default()
    }

    /// Which open question a typed text answers.
    pub fn resolve(&self, text: &str) -> Resolved {
        // A "which one did you mean" question takes its answer first.
        if let Some(q) = self.questions.iter().rev().find(|q| q.pick_rest.is_some()) {
            if let Some((c, rest)) = match_choice(&q.choices, text) {
                let rest = if rest.is_empty() {
                    q.pick_rest.clone().unwrap_or_default()
                } else {
                    rest
                };
                return Resolved::One {
                    choice: c.clone(),
                    rest,
                };
            }
        }
        let fits: Vec<(&Question, &Choice, String)> = self
            .questions
            .iter()
            .filter_map(|q| match_choice(&q.choices, text).map(|(c, rest)| (q, c, rest)))
            .collect();
        if fits.is_empty() {
            return Resolved::Nothing;
        }
        // An answer to the member's own latest step wins over pushes offered before it.
        let newest_push = fits
            .iter()
            .filter(|(q, ..)| q.pushed)
            .map(|(q, ..)| q.at)
            .max();
        let own: Vec<&(&Question, &Choice, String)> = fits
            .iter()
            .filter(|(q, ..)| !q.pushed && newest_push.is_none_or(|p| q.at >= p))
            .collect();
        let fits: Vec<&(&Question, &Choice, String)> = if own.is_empty() {
            fits.iter().collect()
        } else {
            own
        };
        let mut distinct: Vec<&str> = fits.iter().map(|(_, c, _)| c.data.as_str()).collect();
        distinct.sort();
        distinct.dedup();
        let (_, choice, rest) = fits[0];
        if distinct.len() == 1 {
            return Resolved::One {
                choice: (*choice).clone(),
                rest: rest.clone(),
            };
        }
        // One candidate per meaning (the same meeting listed and reminded is one).
        let mut candidates: Vec<(String, Choice)> = Vec::new();
        for (q, c, _) in &fits {
            if !candidates.iter().any(|(_, seen)| seen.data == c.data) {
                candidates.push((q.about.clone(), (*c).clone()));
            }
        }
        Resolved::Ambiguous {
            candidates,
            rest: rest.clone(),
        }
    }
}

/// A message's first two lines, shortened: what a question is about.
fn about(text: &str) -> String {
    let head: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2)
        .collect();
    let joined = head.join(" ");
    if joined.chars().count() <= ABOUT_CHARS {
        return joined;
    }
    let mut cut: String = joined.chars().take(ABOUT_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(data: &str, label: &str) -> Choice {
        Choice {
            data: data.into(),
            label: label.into(),
            aliases: vec![label.into()],
        }
    }

    fn reminder(id: i64) -> Reply {
        Reply::with_choices(
            format!("【学生第二党支部】会议 {id} 提醒\n时间：12月8日 19:30"),
            vec![
                choice(&format!("rsvp:attend:{id}"), "参加"),
                choice(&format!("rsvp:leave:{id}"), "请假"),
            ],
        )
    }

    fn notice(id: i64) -> Reply {
        Reply::with_choices(
            format!("【通知】书记\n第 {id} 号通知"),
            vec![choice(&format!("notice:confirm:{id}"), "收到")],
        )
    }

    fn data(r: &Resolved) -> Option<&str> {
        match r {
            Resolved::One { choice, .. } => Some(choice.data.as_str()),
            _ => None,
        }
    }

    #[test]
    fn a_notice_pushed_after_a_reminder_does_not_take_the_reminders_answers() {
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(100_000));
        open.push(&notice(3), 2_000, None);
        // "参加" fits the reminder only, "收到" the notice only.
        assert_eq!(data(&open.resolve("参加")), Some("rsvp:attend:5"));
        assert_eq!(data(&open.resolve("收到")), Some("notice:confirm:3"));
        // "1" fits both: asked back, naming them.
        match open.resolve("1") {
            Resolved::Ambiguous { candidates, .. } => {
                let abouts: Vec<&str> = candidates.iter().map(|(a, _)| a.as_str()).collect();
                assert_eq!(
                    abouts,
                    [
                        "【学生第二党支部】会议 5 提醒 时间：12月8日 19:30",
                        "【通知】书记 第 3 号通知"
                    ]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_answer_to_ones_own_latest_step_wins_over_older_pushes_but_not_newer_ones() {
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(100_000));
        let lang = Reply::with_choices(
            "请选择语言",
            vec![choice("lang:zh-CN", "中文"), choice("lang:en", "English")],
        );
        open.after_step(std::slice::from_ref(&lang), 2_000);
        assert_eq!(data(&open.resolve("1")), Some("lang:zh-CN"));
        open.push(&notice(3), 3_000, None);
        assert!(matches!(open.resolve("1"), Resolved::Ambiguous { .. }));
    }

    #[test]
    fn two_listed_meetings_are_asked_about_and_the_pick_keeps_the_reason() {
        let mut open = Open::default();
        open.after_step(&[reminder(7), reminder(8)], 1_000);
        let Resolved::Ambiguous { candidates, rest } = open.resolve("2 出差") else {
            panic!("guessed");
        };
        assert_eq!(rest, "出差");
        let pick = Question {
            about: String::new(),
            choices: candidates.iter().map(|(_, c)| c.clone()).collect(),
            at: 1_500,
            until: None,
            pushed: false,
            pick_rest: Some(rest),
            anonymous: false,
        };
        open.ask_which(pick);
        assert_eq!(
            open.resolve("2"),
            Resolved::One {
                choice: choice("rsvp:leave:8", "请假"),
                rest: "出差".into()
            }
        );
    }

    #[test]
    fn questions_close_when_answered_or_expired_and_old_rows_still_read() {
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(10_000));
        open.push(&notice(3), 2_000, None);
        open.answered("notice:confirm:3");
        assert_eq!(data(&open.resolve("1")), Some("rsvp:attend:5"));
        // Expired, but the newest: its flow answers that it is too late.
        open.expire(10_000);
        assert_eq!(data(&open.resolve("1")), Some("rsvp:attend:5"));
        open.push(&notice(4), 11_000, None);
        open.expire(12_000);
        assert_eq!(data(&open.resolve("1")), Some("notice:confirm:4"));
        let old = serde_json::to_string(&vec![choice("lang:en", "English")]).unwrap();
        let open = Open::parse(&old, 0);
        assert_eq!(data(&open.resolve("1")), Some("lang:en"));
        assert_eq!(Open::parse(&open.to_json(), 0), open);
    }

    #[test]
    fn a_meeting_both_listed_and_reminded_is_named_once_when_asked_which() {
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(100_000));
        open.push(&notice(3), 2_000, None);
        open.push(&reminder(6), 2_500, Some(100_000));
        let Resolved::Ambiguous { candidates, .. } = open.resolve("1") else {
            panic!("guessed");
        };
        let picks: Vec<&str> = candidates.iter().map(|(_, c)| c.data.as_str()).collect();
        assert_eq!(
            picks,
            ["rsvp:attend:5", "notice:confirm:3", "rsvp:attend:6"]
        );
        // The same meeting offered twice is one meaning: no question.
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(100_000));
        open.after_step(&[reminder(5)], 2_000);
        assert_eq!(data(&open.resolve("2")), Some("rsvp:leave:5"));
    }

    #[test]
    fn the_same_reminder_pushed_again_replaces_the_first() {
        let mut open = Open::default();
        open.push(&reminder(5), 1_000, Some(100_000));
        open.push(&reminder(5), 2_000, Some(100_000));
        assert_eq!(open.questions.len(), 1);
        assert_eq!(data(&open.resolve("2")), Some("rsvp:leave:5"));
    }

    #[test]
    fn a_ballots_open_buttons_are_stored_sealed_and_read_back() {
        let mut ballot = Reply::with_choices(
            "请核对您的选票：· 黄晓明：合格".to_owned(),
            vec![choice("ev:1:0123:ok", "提交")],
        );
        ballot.anonymous = true;
        let mut open = Open::default();
        open.after_step(&[ballot], 1_000);
        let stored = open.to_json();
        assert!(
            !stored.contains("黄晓明") && !stored.contains("ev:1"),
            "{stored}"
        );
        assert_eq!(Open::parse(&stored, 2_000).questions, open.questions);
        open.questions.clear();
        open.after_step(&[reminder(7)], 3_000);
        assert!(
            open.to_json().contains("rsvp:"),
            "plain while nothing anonymous is open"
        );
    }
}
