//! The features the bot runs, listed once: their chat commands, buttons and help lines
//! ([`chat`]) and their job kinds ([`jobs`], [`jobs_for`]). A new feature is a line in each
//! list and nothing else outside its folder; startup, the CLI and the tests take both lists
//! from here.

use std::sync::Arc;

use crate::campaign::jobs::{PhaseAnnouncement, SummaryReminder};
use crate::config::{Config, Settings};
use crate::evaluation::jobs::{EvaluationRemind, EvaluationTally};
use crate::feedback::periods::FeedbackPeriods;
use crate::feedback::publish_job::FeedbackPublish;
use crate::flows::feature::{Feature, Features};
use crate::meetings::jobs::MeetingReminder;
use crate::meetings::warning::ComplianceWarning;
use crate::pledges::jobs::{PledgeAssessment, PledgeCheckin, PledgeReminder};
use crate::scheduler::kinds::{housekeeping::Housekeeping, message::Message};
use crate::scheduler::Registry;

/// The features that answer chat commands and buttons the engine does not answer itself.
pub fn chat() -> Features {
    let list: Vec<Arc<dyn Feature>> = vec![
        // In the order their `/help` lines have always stood within each section.
        Arc::new(crate::meetings::Meetings),
        Arc::new(crate::notices::Notices),
        Arc::new(crate::pledges::Pledges),
        Arc::new(crate::evaluation::Evaluation),
        Arc::new(crate::campaign::Campaign),
        Arc::new(crate::feedback::Feedback),
        Arc::new(crate::dues::Dues),
        Arc::new(crate::recruitment::Recruitment),
        Arc::new(crate::spotcheck::Spotcheck),
        Arc::new(crate::flows::records::Records),
        Arc::new(crate::flows::files::Files),
    ];
    Features::new(list)
}

/// Every kind of job, with its built-in schedule (the platform's kinds first, then each
/// feature's).
pub fn jobs() -> Registry {
    Registry::new()
        .with(Message)
        .with(Housekeeping)
        .with(PledgeCheckin)
        .with(PledgeReminder)
        .with(PledgeAssessment)
        .with(crate::notices::jobs::NoticeEscalation)
        .with(PhaseAnnouncement)
        .with(SummaryReminder)
        .with(FeedbackPeriods)
        .with(FeedbackPublish)
        .with(EvaluationTally)
        .with(EvaluationRemind)
        .with(MeetingReminder)
        .with(ComplianceWarning)
        .with(crate::recruitment::jobs::RecruitmentClocks)
        .with(crate::dues::jobs::DuesReminders::default())
        .with(crate::notices::jobs::NoticeRenudge)
        .with(crate::scheduler::kinds::push_digest::PushDigest::default())
}

/// [`jobs`], with the kinds whose schedule the configuration sets (`[dues]`, `[pushes]`) set
/// from it, and the daily tidy-up of the attachment storage it names (`[attachments]`).
pub fn jobs_for(config: &Config, settings: &Settings) -> Registry {
    jobs()
        .replace(crate::dues::jobs::DuesReminders::new(&config.dues))
        .replace(crate::scheduler::kinds::push_digest::PushDigest::new(
            &settings.pushes,
        ))
        .with(crate::attachments::jobs::AttachmentsTidy::new(
            crate::attachments::Files::from_settings(settings)
                .unwrap_or_else(|e| crate::attachments::Files::unavailable(e.to_string())),
        ))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::time::Duration;

    use super::*;
    use crate::scheduler::crontab::Crontab;

    #[test]
    fn no_two_features_claim_a_command_and_none_claims_one_of_the_engines() {
        let names = chat().names();
        let unique: HashSet<_> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "claimed twice in {names:?}");
        for name in &names {
            assert!(
                matches!(
                    crate::flows::command::parse(&format!("/{name}")),
                    Some(crate::flows::command::Command::Other(..))
                ),
                "/{name} is the engine's own command"
            );
            assert!(
                name.len() <= 32
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "/{name} is not a name Telegram's menu takes"
            );
        }
    }

    #[test]
    fn a_features_aliases_reach_its_command_and_its_buttons_reach_it() {
        let features = chat();
        assert_eq!(features.command("dangfei").map(|(_, n)| n), Some("dues"));
        assert_eq!(
            features.command("duespay").map(|(_, n)| n),
            Some("dues_pay")
        );
        assert_eq!(
            features.command("my_stage").map(|(_, n)| n),
            Some("mystage")
        );
        assert!(features.command("frobnicate").is_none());
        assert!(features.action("dues").is_some());
        assert_eq!(features.command("fangan").map(|(_, n)| n), Some("plan"));
        assert!(features.action("rec").is_some());
        assert_eq!(
            features.command("notices").map(|(_, n)| n),
            Some("notice_status")
        );
        assert!(features.action("notice").is_some());
        assert_eq!(
            features.command("choucha").map(|(_, n)| n),
            Some("spotcheck")
        );
        assert!(features.action("spot").is_some());
        assert_eq!(
            features.command("pledges_review").map(|(_, n)| n),
            Some("pledges_review")
        );
        assert!(features.action("pck").is_some());
        assert!(features.action("meet").is_some());
        assert!(features.action("rsvp").is_some());
        assert_eq!(features.command("qd").map(|(_, n)| n), Some("signin"));
        assert_eq!(features.command("buxue").map(|(_, n)| n), Some("makeup"));
        assert_eq!(
            features
                .word("补学 12 自学会议精神")
                .map(|(_, n, a)| (n, a)),
            Some(("makeup", Some("12 自学会议精神".to_owned())))
        );
        assert_eq!(
            features.word("补学").map(|(_, n, a)| (n, a)),
            Some(("makeup", None))
        );
        assert!(features.word("补学了会议精神").is_none());
        assert_eq!(
            features.start_link("si_123456").map(|(_, n, r)| (n, r)),
            Some(("signin", "123456"))
        );
    }

    #[test]
    fn the_telegram_menu_lists_the_commands_in_the_order_it_always_had() {
        let menu: Vec<_> = chat()
            .menu_with(crate::flows::command::MENU)
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(
            menu,
            [
                "help",
                "me",
                "lang",
                "unbound",
                "notice",
                "notice_status",
                "campaign",
                "summary",
                "cancel",
                "pledge",
                "pledges",
                "pledges_review",
                "pledge_stats",
                "pledge_schedule",
                "feedback",
                "evaluation",
                "meetings",
                "signin",
                "meeting",
                "attendance",
                "minutes",
                "compliance",
                "audit",
                "dashboard",
                "dues",
                "dues_pay",
                "dues_report",
                "mystage",
                "recruit",
                "spotcheck",
                "activity",
                "plan",
                "comments"
            ]
        );
    }

    #[test]
    fn every_builtin_kind_has_a_unique_name_and_every_builtin_schedule_parses() {
        let registry = jobs();
        let names = registry.names();
        let unique: HashSet<_> = names.iter().collect();
        assert_eq!(
            unique.len(),
            names.len(),
            "duplicate kind names in {names:?}"
        );
        assert!(
            names.contains(&"message") && names.contains(&"housekeeping"),
            "{names:?}"
        );
        let mut recurring = 0;
        for job in registry.iter() {
            if let Some(expr) = job.builtin_schedule() {
                Crontab::parse(expr).unwrap_or_else(|e| panic!("{}: '{expr}': {e}", job.name()));
                recurring += 1;
            }
            assert!(job.grace() > Duration::ZERO, "{}", job.name());
        }
        assert!(recurring >= 1, "housekeeping is a built-in recurring job");
    }

    #[test]
    fn every_builtin_kind_has_a_calendar_rule_and_every_rule_a_kind() {
        let names = jobs().names();
        for name in &names {
            assert!(
                crate::domain::calendar::default_rule(name).is_some(),
                "{name} has no calendar rule in DEFAULT_RULES"
            );
        }
        for (kind, _) in crate::domain::calendar::DEFAULT_RULES {
            assert!(names.contains(kind), "the rule for {kind} names no kind");
        }
    }

    #[test]
    fn the_configured_day_and_time_replace_the_built_in_schedule() {
        let policy = crate::config::dues::Policy {
            remind_day: 10,
            remind_at: "08:30".into(),
        };
        let registry = jobs().replace(crate::dues::jobs::DuesReminders::new(&policy));
        let kinds: Vec<_> = registry
            .names()
            .into_iter()
            .filter(|n| *n == crate::dues::jobs::KIND)
            .collect();
        assert_eq!(kinds, [crate::dues::jobs::KIND]);
        assert_eq!(
            registry
                .get(crate::dues::jobs::KIND)
                .unwrap()
                .builtin_schedule(),
            Some("30 8 10 * *")
        );
        assert_eq!(
            jobs()
                .get(crate::dues::jobs::KIND)
                .unwrap()
                .builtin_schedule(),
            Some("0 10 5 * *")
        );
    }
}
