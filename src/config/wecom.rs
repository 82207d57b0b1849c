//! The `[wecom]` section: the self-built app (自建应用) that carries the conversations on WeCom
//! (企业微信). WeCom is on when the CorpID, the app's Secret, the callback Token and the
//! EncodingAESKey are all set; any of them alone is a startup error naming what is missing.
//! The three secrets come only from the environment (or `NAME_FILE`).

use serde::Deserialize;

use super::sms::Secret;
use super::{must_be_positive, not_positive, secret, ConfigError, Problem};
use crate::delivery::limits::{Limits, Rate};
use crate::msg;

/// WeCom's API.
pub const DEFAULT_API_URL: &str = "https://qyapi.weixin.qq.com";

/// `[wecom]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WecomConfig {
    /// 企业ID (`BRANCHBOT_WECOM_CORP_ID`): 我的企业 → 企业信息.
    pub corp_id: Option<String>,
    /// The app's AgentId (`BRANCHBOT_WECOM_AGENT_ID`): 应用管理 → the app.
    pub agent_id: Option<i64>,
    /// The API base (`BRANCHBOT_WECOM_API_URL`; a fake in tests).
    pub api_url: String,
    /// Members' WeCom userids are their roster keys (工号/学号) unless the roster's `wecom`
    /// column says otherwise.
    pub userid_is_key: bool,
    /// Messages one member may get from the app in a minute (WeCom drops the rest silently).
    pub per_member_per_minute: u32,
    /// … in an hour.
    pub per_member_per_hour: u32,
    /// Messages the app may send in a local day; unset: 200 × the roster's active members
    /// (WeCom allows 200 × the organisation's seats).
    pub daily_cap: Option<u32>,
    /// API calls a second, overall.
    pub per_second: u32,
    /// How far a callback's timestamp may be from now before it is refused as a replay.
    pub max_skew_secs: i64,
    /// How long to wait for WeCom's answer.
    pub timeout_secs: u64,
    /// Send choices as a card with buttons after the text (the text always carries the
    /// numbered options, for the WeChat plugin, which shows text only).
    pub cards: bool,
    /// `BRANCHBOT_WECOM_SECRET`: the app's Secret.
    #[serde(skip)]
    pub secret: Option<Secret>,
    /// `BRANCHBOT_WECOM_TOKEN`: the callback's Token.
    #[serde(skip)]
    pub token: Option<Secret>,
    /// `BRANCHBOT_WECOM_AES_KEY`: the callback's EncodingAESKey (43 characters).
    #[serde(skip)]
    pub aes_key: Option<Secret>,
}

impl Default for WecomConfig {
    fn default() -> Self {
        Self {
            corp_id: None,
            agent_id: None,
            api_url: DEFAULT_API_URL.into(),
            userid_is_key: false,
            per_member_per_minute: 30,
            per_member_per_hour: 1000,
            daily_cap: None,
            per_second: 20,
            max_skew_secs: 300,
            timeout_secs: 10,
            cards: true,
            secret: None,
            token: None,
            aes_key: None,
        }
    }
}

fn positive(name: &'static str, v: &str) -> Result<u32, ConfigError> {
    v.trim()
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| ConfigError::Env {
            name,
            problem: not_positive(v),
        })
}

impl WecomConfig {
    pub fn apply_env(&mut self, get: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("BRANCHBOT_WECOM_CORP_ID").filter(|v| !v.trim().is_empty()) {
            self.corp_id = Some(v.trim().to_owned());
        }
        if let Some(v) = get("BRANCHBOT_WECOM_AGENT_ID").filter(|v| !v.trim().is_empty()) {
            self.agent_id = Some(v.trim().parse().map_err(|_| ConfigError::Env {
                name: "BRANCHBOT_WECOM_AGENT_ID",
                problem: Problem::new(msg!("config-env-agent-id-bad")).with("value", &v),
            })?);
        }
        if let Some(v) = get("BRANCHBOT_WECOM_API_URL").filter(|v| !v.trim().is_empty()) {
            self.api_url = v.trim().to_owned();
        }
        if let Some(v) = get("BRANCHBOT_WECOM_USERID_IS_KEY") {
            self.userid_is_key = match v.trim().to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" => true,
                "0" | "false" | "no" | "" => false,
                _ => {
                    return Err(ConfigError::Env {
                        name: "BRANCHBOT_WECOM_USERID_IS_KEY",
                        problem: Problem::new(msg!("config-env-bool-bad")).with("value", &v),
                    })
                }
            };
        }
        if let Some(v) = get("BRANCHBOT_WECOM_DAILY_CAP") {
            self.daily_cap = Some(positive("BRANCHBOT_WECOM_DAILY_CAP", &v)?);
        }
        if let Some(v) = secret(get, "BRANCHBOT_WECOM_SECRET")? {
            self.secret = Some(Secret::new(v));
        }
        if let Some(v) = secret(get, "BRANCHBOT_WECOM_TOKEN")? {
            self.token = Some(Secret::new(v));
        }
        if let Some(v) = secret(get, "BRANCHBOT_WECOM_AES_KEY")? {
            self.aes_key = Some(Secret::new(v));
        }
        Ok(())
    }

    /// Whether any of the four required values is set (WeCom is meant to be on).
    fn wanted(&self) -> bool {
        self.corp_id.is_some()
            || self.secret.is_some()
            || self.token.is_some()
            || self.aes_key.is_some()
    }

    /// Whether WeCom is connected (after [`Self::validate`], all four are set).
    pub fn enabled(&self) -> bool {
        self.corp_id.is_some()
            && self.secret.is_some()
            && self.token.is_some()
            && self.aes_key.is_some()
    }

    /// A partial configuration is an error naming every missing value.
    pub fn validate(&self) -> Result<(), ConfigError> {
        must_be_positive("wecom.per_member_per_minute", self.per_member_per_minute)?;
        must_be_positive("wecom.per_member_per_hour", self.per_member_per_hour)?;
        must_be_positive("wecom.per_second", self.per_second)?;
        must_be_positive("wecom.timeout_secs", self.timeout_secs)?;
        if let Some(cap) = self.daily_cap {
            must_be_positive("wecom.daily_cap", cap)?;
        }
        must_be_positive("wecom.max_skew_secs", self.max_skew_secs)?;
        if !self.wanted() {
            return Ok(());
        }
        let mut missing = Vec::new();
        if self.corp_id.is_none() {
            missing.push(msg!("config-wecom-missing-corp-id"));
        }
        if self.agent_id.is_none() {
            missing.push(msg!("config-wecom-missing-agent-id"));
        }
        if self.secret.is_none() {
            missing.push(msg!("config-wecom-missing-secret"));
        }
        if self.token.is_none() {
            missing.push(msg!("config-wecom-missing-token"));
        }
        if self.aes_key.is_none() {
            missing.push(msg!("config-wecom-missing-aes-key"));
        }
        if !missing.is_empty() {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-wecom-partial")).with_list("missing", missing),
            ));
        }
        if let Some(key) = &self.aes_key {
            // A secret is named by its length, never shown.
            let key = key.expose();
            if key.chars().count() != 43 {
                return Err(ConfigError::Invalid(
                    Problem::new(msg!("config-wecom-aes-key-length"))
                        .with("length", key.chars().count()),
                ));
            }
            // 43 characters and "=" are base64 for the 32-byte AES key; the last two of the 258
            // bits are not part of it and need not be zero.
            use base64::Engine as _;
            let lenient = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::GeneralPurposeConfig::new().with_decode_allow_trailing_bits(true),
            );
            let decoded = lenient.decode(format!("{key}="));
            if !matches!(decoded, Ok(bytes) if bytes.len() == 32) {
                return Err(ConfigError::invalid(msg!("config-wecom-aes-key-bad")));
            }
        }
        Ok(())
    }

    /// The delivery worker's pacing: API calls a second overall, one a second per member.
    /// The per-member minute and hour limits are kept exactly by the sender.
    pub fn limits(&self) -> Limits {
        Limits {
            overall: Rate::per_second(self.per_second).with_burst(2),
            per_chat: Rate::per_second(1).with_burst(3),
            per_group: Rate::per_second(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(pairs: &[(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        move |k| map.get(k).map(|v| v.to_string())
    }

    const KEY: &str = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";

    #[test]
    fn wecom_is_off_until_configured_and_on_with_all_four_values() {
        let mut c = WecomConfig::default();
        c.apply_env(&env(&[])).unwrap();
        c.validate().unwrap();
        assert!(!c.enabled());
        c.apply_env(&env(&[
            ("BRANCHBOT_WECOM_CORP_ID", "ww1234"),
            ("BRANCHBOT_WECOM_AGENT_ID", "1000002"),
            ("BRANCHBOT_WECOM_SECRET", "s"),
            ("BRANCHBOT_WECOM_TOKEN", "t"),
            ("BRANCHBOT_WECOM_AES_KEY", KEY),
            ("BRANCHBOT_WECOM_USERID_IS_KEY", "true"),
        ]))
        .unwrap();
        c.validate().unwrap();
        assert!(c.enabled());
        assert!(c.userid_is_key);
        assert_eq!(c.agent_id, Some(1000002));
        assert!(!format!("{c:?}").contains(KEY), "secrets never print");
    }

    #[test]
    fn a_partial_configuration_names_everything_missing() {
        let mut c = WecomConfig::default();
        c.apply_env(&env(&[("BRANCHBOT_WECOM_CORP_ID", "ww1234")]))
            .unwrap();
        let err = c.validate().unwrap_err().to_string();
        for name in [
            "BRANCHBOT_WECOM_AGENT_ID",
            "BRANCHBOT_WECOM_SECRET",
            "BRANCHBOT_WECOM_TOKEN",
            "BRANCHBOT_WECOM_AES_KEY",
        ] {
            assert!(err.contains(name), "{err}");
        }
        assert!(!err.contains("CORP_ID"), "{err}");
        let mut c = WecomConfig::default();
        c.apply_env(&env(&[("BRANCHBOT_WECOM_TOKEN", "t")]))
            .unwrap();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("BRANCHBOT_WECOM_CORP_ID"), "{err}");
        assert!(c
            .apply_env(&env(&[("BRANCHBOT_WECOM_AGENT_ID", "x")]))
            .is_err());
    }

    #[test]
    fn a_short_aes_key_is_refused_at_startup() {
        let mut c = WecomConfig::default();
        c.apply_env(&env(&[
            ("BRANCHBOT_WECOM_CORP_ID", "ww1234"),
            ("BRANCHBOT_WECOM_AGENT_ID", "1000002"),
            ("BRANCHBOT_WECOM_SECRET", "s"),
            ("BRANCHBOT_WECOM_TOKEN", "t"),
            ("BRANCHBOT_WECOM_AES_KEY", "short"),
        ]))
        .unwrap();
        assert!(c
            .validate()
            .unwrap_err()
            .to_string()
            .contains("43-character"));
    }

    #[test]
    fn what_is_missing_or_wrong_is_said_in_chinese() {
        use crate::i18n::{Catalog, Locale};
        let zh = |e: ConfigError| e.render(Catalog::shared(), Locale::ZhCn);
        let mut c = WecomConfig::default();
        c.apply_env(&env(&[("BRANCHBOT_WECOM_TOKEN", "t")]))
            .unwrap();
        assert_eq!(
            zh(c.validate().unwrap_err()),
            "企业微信只配置了一部分，还缺少：BRANCHBOT_WECOM_CORP_ID（或 wecom.corp_id）、BRANCHBOT_WECOM_AGENT_ID（或 wecom.agent_id）、BRANCHBOT_WECOM_SECRET、BRANCHBOT_WECOM_AES_KEY。企业ID、AgentId、Secret、Token 和 EncodingAESKey 都设置后，企业微信才会开启。"
        );
        c.apply_env(&env(&[
            ("BRANCHBOT_WECOM_CORP_ID", "ww1234"),
            ("BRANCHBOT_WECOM_AGENT_ID", "1000002"),
            ("BRANCHBOT_WECOM_SECRET", "s"),
            ("BRANCHBOT_WECOM_AES_KEY", "short"),
        ]))
        .unwrap();
        assert_eq!(
            zh(c.validate().unwrap_err()),
            "BRANCHBOT_WECOM_AES_KEY 必须是应用“接收消息”设置中 43 个字符的 EncodingAESKey（现在有 5 个字符）。"
        );
        // 43 characters, but not base64.
        c.aes_key = Some(Secret::new("!".repeat(43)));
        assert_eq!(
            zh(c.validate().unwrap_err()),
            "BRANCHBOT_WECOM_AES_KEY 不是有效的 EncodingAESKey（43 个字符，只含字母、数字、+ 和 /）：请从应用“接收消息”设置中重新复制。"
        );
        c.aes_key = Some(Secret::new(KEY));
        c.per_member_per_minute = 0;
        assert_eq!(
            zh(c.validate().unwrap_err()),
            "wecom.per_member_per_minute 必须是正数（现在是 0）。"
        );
        let err = WecomConfig::default()
            .apply_env(&env(&[("BRANCHBOT_WECOM_USERID_IS_KEY", "maybe")]))
            .unwrap_err();
        assert_eq!(
            zh(err),
            "环境变量 BRANCHBOT_WECOM_USERID_IS_KEY 的值有误：“maybe”既不是 true 也不是 false。"
        );
    }
}
