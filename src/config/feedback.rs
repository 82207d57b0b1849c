//! The `[feedback]` section: how the web page (`/f/<code>`) tells that one person rates a
//! target once per period, and how fast the page may be used.

use serde::Deserialize;

use super::{must_be_positive, ConfigError};
use crate::msg;

/// How the web page checks "one rating per person per period" (README, docs/PRIVACY.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WebCheck {
    /// A 6-digit code by SMS to a mobile number: one rating per number (the default when an
    /// SMS gateway is configured).
    Sms,
    /// WeCom's web authorization (`snsapi_base`): one rating per WeCom account (a member's
    /// userid, an outsider's openid). Needs the WeCom channel; the page must be opened in WeCom.
    Wecom,
    /// A signed HttpOnly cookie per period and per-client limits: one rating per browser, the
    /// weakest check (clearing cookies rates again), for trials (the default without SMS).
    Device,
}

impl WebCheck {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "sms",
            Self::Wecom => "wecom",
            Self::Device => "device",
        }
    }
}

/// `[feedback]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeedbackConfig {
    /// `sms`, `wecom` or `device`; unset: `sms` with an SMS gateway, else `device`.
    pub web_check: Option<WebCheck>,
    /// Submissions (and reply-code lookups) one client (address) may make in an hour.
    pub web_per_client_per_hour: u32,
    /// Submissions the whole page accepts in a minute, from everyone.
    pub web_per_minute: u32,
    /// Codes sent by SMS to one number in an hour.
    pub sms_codes_per_number_per_hour: u32,
    /// Codes sent by SMS at the request of one client in an hour.
    pub sms_codes_per_client_per_hour: u32,
    /// WeCom's web authorization page (`wecom` check); another address only in tests.
    pub wecom_authorize_url: String,
}

/// WeCom's web authorization page.
pub const WECOM_AUTHORIZE_URL: &str = "https://open.weixin.qq.com/connect/oauth2/authorize";

impl Default for FeedbackConfig {
    fn default() -> Self {
        Self {
            web_check: None,
            // A dormitory behind one campus address still rates; a script does not flood.
            web_per_client_per_hour: 60,
            web_per_minute: 120,
            sms_codes_per_number_per_hour: 3,
            sms_codes_per_client_per_hour: 10,
            wecom_authorize_url: WECOM_AUTHORIZE_URL.into(),
        }
    }
}

impl FeedbackConfig {
    /// The check in force, given whether an SMS gateway is configured.
    pub fn check(&self, sms_enabled: bool) -> WebCheck {
        self.web_check.unwrap_or(if sms_enabled {
            WebCheck::Sms
        } else {
            WebCheck::Device
        })
    }

    pub fn validate(&self, sms_enabled: bool, wecom_enabled: bool) -> Result<(), ConfigError> {
        match self.check(sms_enabled) {
            WebCheck::Sms if !sms_enabled => {
                return Err(ConfigError::invalid(msg!(
                    "config-feedback-sms-needs-gateway"
                )))
            }
            WebCheck::Wecom if !wecom_enabled => return Err(ConfigError::WecomCheckWithoutWecom),
            _ => {}
        }
        must_be_positive(
            "feedback.web_per_client_per_hour",
            self.web_per_client_per_hour,
        )?;
        must_be_positive("feedback.web_per_minute", self.web_per_minute)?;
        must_be_positive(
            "feedback.sms_codes_per_number_per_hour",
            self.sms_codes_per_number_per_hour,
        )?;
        must_be_positive(
            "feedback.sms_codes_per_client_per_hour",
            self.sms_codes_per_client_per_hour,
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_is_sms_with_a_gateway_and_device_without_and_wecom_needs_the_channel() {
        let c = FeedbackConfig::default();
        assert_eq!(c.check(true), WebCheck::Sms);
        assert_eq!(c.check(false), WebCheck::Device);
        assert!(c.validate(false, false).is_ok());
        let sms = FeedbackConfig {
            web_check: Some(WebCheck::Sms),
            ..FeedbackConfig::default()
        };
        let err = sms.validate(false, true).unwrap_err().to_string();
        assert!(err.contains("needs an SMS gateway"), "{err}");
        let wecom = FeedbackConfig {
            web_check: Some(WebCheck::Wecom),
            ..FeedbackConfig::default()
        };
        let err = wecom.validate(true, false).unwrap_err();
        assert!(matches!(err, ConfigError::WecomCheckWithoutWecom), "{err}");
        assert!(wecom.validate(false, true).is_ok());
        let parsed: FeedbackConfig = toml::from_str("web_check = \"device\"").unwrap();
        assert_eq!(parsed.check(true), WebCheck::Device);
    }

    #[test]
    fn the_page_s_settings_are_refused_in_chinese_with_the_setting_and_value() {
        use crate::i18n::{Catalog, Locale};
        let zh = |e: ConfigError| e.render(Catalog::shared(), Locale::ZhCn);
        let sms = FeedbackConfig {
            web_check: Some(WebCheck::Sms),
            ..FeedbackConfig::default()
        };
        assert_eq!(
            zh(sms.validate(false, false).unwrap_err()),
            "feedback.web_check 设为“sms”时，需要连接短信网关（[sms] 中的 gateway 设为“twilio”、“android”或“generic”）；没有短信网关时请设为“device”。"
        );
        let limits = FeedbackConfig {
            web_per_minute: 0,
            ..FeedbackConfig::default()
        };
        assert_eq!(
            zh(limits.validate(false, false).unwrap_err()),
            "feedback.web_per_minute 必须是正数（现在是 0）。"
        );
    }
}
