//! `[pushes]`: the daily push budget — how many non-urgent pushes a member receives a day
//! before the rest wait for the digest, and when the digest goes out (in the organisation's
//! zone; quiet hours still hold it back).

use chrono::NaiveTime;
use chrono_tz::Tz;
use serde::Deserialize;

use super::{ConfigError, Problem};
use crate::domain::pushes::Budget;
use crate::msg;

/// `[pushes]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PushesConfig {
    /// Non-urgent pushes a member receives a day; 0 turns the budget off.
    pub daily_budget: i64,
    /// When the digest of held pushes goes out: `18:00`.
    pub digest_at: String,
}

impl Default for PushesConfig {
    fn default() -> Self {
        Self {
            daily_budget: 3,
            digest_at: "18:00".into(),
        }
    }
}

impl PushesConfig {
    /// The budget in zone `tz`; a negative count or a time that does not read is refused.
    pub fn budget(&self, tz: Tz) -> Result<Budget, ConfigError> {
        if self.daily_budget < 0 {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-pushes-budget-bad")).with("value", self.daily_budget),
            ));
        }
        let digest_at =
            NaiveTime::parse_from_str(self.digest_at.trim(), "%H:%M").map_err(|_| {
                ConfigError::Invalid(
                    Problem::new(msg!("config-pushes-digest-bad")).with("value", &self.digest_at),
                )
            })?;
        Ok(Budget {
            per_day: self.daily_budget,
            digest_at,
            tz,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_is_three_a_day_with_the_digest_at_six_and_bad_values_are_refused() {
        let tz = chrono_tz::Asia::Shanghai;
        let b = PushesConfig::default().budget(tz).unwrap();
        assert_eq!((b.per_day, b.crontab()), (3, "0 18 * * *".to_owned()));
        let c: PushesConfig = toml::from_str("daily_budget = 5\ndigest_at = \"17:30\"").unwrap();
        assert_eq!(c.budget(tz).unwrap().crontab(), "30 17 * * *");
        let bad = PushesConfig {
            digest_at: "6pm".into(),
            ..PushesConfig::default()
        };
        assert!(bad.budget(tz).is_err());
        let negative = PushesConfig {
            daily_budget: -1,
            ..PushesConfig::default()
        };
        assert!(negative.budget(tz).is_err());
    }
}
