//! The features the bot runs, listed once: their chat commands, buttons and help lines
//! ([`chat`]) and their job kinds ([`jobs`], [`jobs_for`]). A new feature is a line in each
//! list and nothing else outside its folder; startup, the CLI and the tests take both lists
//! from here.

use std::sync::Arc;

use crate::config::{Config, ConfigError, Problem, Settings};
use crate::flows::feature::{Configured, Feature, Features};
use crate::scheduler::kinds::{
    housekeeping::Housekeeping, message::Message, push_digest::PushDigest,
};
use crate::scheduler::Registry;

/// The features, in the order their `/help` lines have always stood within each section.
fn list() -> Vec<Arc<dyn Feature>> {
    vec![
        Arc::new(crate::org::Org),
        Arc::new(crate::meetings::Meetings),
        Arc::new(crate::notices::Notices),
        Arc::new(crate::pledges::Pledges),
        Arc::new(crate::evaluation::Evaluation),
        Arc::new(crate::campaign::Campaign),
        Arc::new(crate::feedback::Feedback),
        Arc::new(crate::dues::Dues),
        Arc::new(crate::recruitment::Recruitment),
        Arc::new(crate::spotcheck::Spotcheck),
        Arc::new(crate::records::Records),
        Arc::new(crate::files::Files),
        // Last: its `/dashboard` line closes the managers' part of `/help`.
        Arc::new(crate::org::Committee),
    ]
}

/// The features that answer chat commands and buttons the engine does not answer itself.
pub fn chat() -> Features {
    Features::new(list())
}

/// Every kind of job with its built-in schedule: the platform's kinds, then each feature's.
pub fn jobs() -> Registry {
    registry(None)
}

/// [`jobs`], with the kinds whose schedule the configuration sets (`[dues]`, `[pushes]`) set
/// from it, and the daily tidy-up of the attachment storage it names (`[attachments]`).
pub fn jobs_for(config: &Config, settings: &Settings) -> Registry {
    registry(Some(Configured { config, settings })).with(
        crate::attachments::jobs::AttachmentsTidy::new(
            crate::attachments::Files::from_settings(settings)
                .unwrap_or_else(|e| crate::attachments::Files::unavailable(e.to_string())),
        ),
    )
}

fn registry(configured: Option<Configured<'_>>) -> Registry {
    let platform = Registry::new()
        .with(Message)
        .with(Housekeeping)
        .with(match configured {
            Some(c) => PushDigest::new(&c.settings.pushes),
            None => PushDigest::default(),
        });
    list()
        .iter()
        .fold(platform, |registry, f| f.jobs(registry, configured))
}

/// Refuses `[calendar.rules.<kind>]` for a kind this binary does not run, naming the kinds it
/// does (the configuration itself knows no kinds: each feature declares its own).
pub fn check_calendar(settings: &Settings) -> Result<(), ConfigError> {
    let registry = jobs();
    match registry.unknown_calendar_kind(&settings.calendar) {
        None => Ok(()),
        Some(kind) => Err(ConfigError::Invalid(
            Problem::new(crate::msg!("config-calendar-kind-bad"))
                .with("kind", kind.to_owned())
                .with("known", registry.names().join(", ")),
        )),
    }
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
    fn sign_in_codes_are_read_before_the_offered_choices_and_a_typed_confirmation_last() {
        use crate::flows::feature::TextStage;
        let features = chat();
        let stages: Vec<_> = features
            .iter()
            .filter_map(|f| f.reads_text().map(|s| (f.name(), s)))
            .collect();
        assert_eq!(
            stages,
            [
                ("meetings", TextStage::BeforeChoices),
                ("notices", TextStage::Unclaimed)
            ]
        );
        assert!(features.file_intake().is_some(), "no feature takes files");
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
    fn each_kind_declares_its_own_calendar_rule_and_the_configuration_may_name_only_those() {
        use crate::domain::calendar::{HolidayRule, KindRule};
        let registry = jobs();
        // A push that can wait moves to the next working day, a daily chore drops a holiday's
        // run, what belongs to an event or the machinery keeps its time.
        for (kind, rule) in [
            (
                "pledge_checkin",
                KindRule::new(HolidayRule::NextWorkingDay, true, true),
            ),
            (
                "notice_escalation",
                KindRule::new(HolidayRule::NextWorkingDay, true, false),
            ),
            (
                "campaign_announcement",
                KindRule::new(HolidayRule::NextWorkingDay, true, false),
            ),
            (
                "dues-reminders",
                KindRule::new(HolidayRule::NextWorkingDay, true, false),
            ),
            (
                "meeting-compliance",
                KindRule::new(HolidayRule::NextWorkingDay, true, false),
            ),
            (
                "evaluation-remind",
                KindRule::new(HolidayRule::Drop, true, false),
            ),
            (
                "recruitment-clocks",
                KindRule::new(HolidayRule::Drop, true, false),
            ),
            ("meeting", KindRule::KEEP),
            ("message", KindRule::KEEP),
            ("feedback-publish", KindRule::KEEP),
        ] {
            assert_eq!(registry.calendar_rule(kind), rule, "{kind}");
        }
        let config: Config =
            toml::from_str("[calendar.rules.pledge_checkin]\non_holiday = 'drop'\n").unwrap();
        let settings = config.settings().unwrap();
        check_calendar(&settings).unwrap();
        assert_eq!(
            registry.rule_under(&settings.calendar, "pledge_checkin"),
            KindRule::new(HolidayRule::Drop, true, true)
        );
        let config: Config = toml::from_str("[calendar.rules.fax]\non_holiday = 'drop'\n").unwrap();
        let zh = check_calendar(&config.settings().unwrap())
            .unwrap_err()
            .render(crate::i18n::Catalog::shared(), crate::i18n::Locale::ZhCn);
        assert!(
            zh.starts_with(
                "calendar.rules 中没有名为“fax”的任务类型（可用：message, housekeeping,"
            ),
            "{zh}"
        );
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
