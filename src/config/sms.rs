//! The `[sms]` section: which gateway sends and receives text messages, how fast, how many a
//! number may get in a day, and each gateway's settings. Credentials come only from the
//! environment (or `NAME_FILE`) and are kept in [`Secret`], whose `Debug` prints no secret.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::{must_be_positive, not_positive, secret, ConfigError, Problem};
use crate::delivery::limits::{Limits, Rate};
use crate::msg;

/// A credential. Its `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for the one place that signs or authenticates with it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// The largest `sms.max_skew_secs` accepted: a day, far inside the 30 days the inbox keeps
/// the message ids that deduplicate a replay.
pub const MAX_SKEW_LIMIT_SECS: i64 = 24 * 3600;

/// Which SMS gateway is connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GatewayKind {
    /// No SMS: the channel is off.
    #[default]
    None,
    /// Twilio's Messages API and its signed webhooks.
    Twilio,
    /// SMS Gateway for Android (sms-gate.app): a phone with the organisation's own SIM.
    Android,
    /// Any HTTP API, through a URL, headers and a body template; a signed JSON webhook in.
    Generic,
}

impl GatewayKind {
    /// The name used in configuration and in the webhook path `/sms/<name>/inbound`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Twilio => "twilio",
            Self::Android => "android",
            Self::Generic => "generic",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "none" | "off" => Some(Self::None),
            "twilio" => Some(Self::Twilio),
            "android" => Some(Self::Android),
            "generic" => Some(Self::Generic),
            _ => None,
        }
    }
}

/// `[sms]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    pub gateway: GatewayKind,
    /// Messages a second through the gateway (a phone SIM or a Twilio long code: about 1).
    pub per_second: u32,
    /// Messages one number may get in a local day; non-urgent ones over it wait for the next.
    pub daily_cap: u32,
    /// How long to wait for the gateway's answer.
    pub timeout_secs: u64,
    /// How long a webhook's timestamp may be off before it is refused as a replay (Android,
    /// generic). At most [`MAX_SKEW_LIMIT_SECS`], so a message id is still remembered in the
    /// inbox (for 30 days) as long as a replay of it could pass.
    pub max_skew_secs: i64,
    /// `BRANCHBOT_SMS_WEBHOOK_KEY`: signs the Android and generic webhooks.
    #[serde(skip)]
    pub webhook_key: Option<Secret>,
    /// `BRANCHBOT_SMS_GATEWAY_PASSWORD`: the Android gateway's password, `{password}` in the
    /// generic templates.
    #[serde(skip)]
    pub password: Option<Secret>,
    pub twilio: TwilioConfig,
    pub android: AndroidConfig,
    pub generic: GenericConfig,
}

/// `[sms.twilio]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TwilioConfig {
    /// The API base (a fake in tests).
    pub api_url: String,
    /// The account SID (`AC…`); `BRANCHBOT_TWILIO_ACCOUNT_SID` overrides it.
    pub account_sid: Option<String>,
    /// `BRANCHBOT_TWILIO_AUTH_TOKEN`: authenticates sends and signs webhooks.
    #[serde(skip)]
    pub auth_token: Option<Secret>,
    /// The sending number (E.164), or
    pub from: Option<String>,
    /// a Messaging Service (`MG…`) that picks the number.
    pub messaging_service_sid: Option<String>,
    /// Ask Twilio for delivery receipts at `<public_url>/sms/twilio/inbound`.
    pub status_callback: bool,
}

/// `[sms.android]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AndroidConfig {
    /// The phone's local server (`http://192.168.1.10:8080`) or the cloud API
    /// (`https://api.sms-gate.app/3rdparty/v1`).
    pub base_url: Option<String>,
    /// The basic-auth user shown in the app.
    pub username: Option<String>,
    /// Which SIM sends (1–3); the app's default when unset.
    pub sim_number: Option<u8>,
}

/// `[sms.generic]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GenericConfig {
    /// Where to send; `{to}`, `{text}`, `{id}` and `{password}` are replaced (URL-encoded).
    pub url: Option<String>,
    /// Extra headers; the same placeholders, inserted as they are.
    pub headers: BTreeMap<String, String>,
    /// The body template; placeholders are JSON-escaped for `application/json` and
    /// URL-encoded for `application/x-www-form-urlencoded`.
    pub body: Option<String>,
    pub content_type: String,
    /// JSON pointer to the provider's message id in the answer (`/id`, `/data/msgId`).
    pub id_pointer: Option<String>,
    /// JSON pointer and value that mean success in a 200 answer (`/Code` = `OK`), for APIs
    /// that answer 200 to a refusal.
    pub ok_pointer: Option<String>,
    pub ok_value: Option<String>,
}

impl Default for SmsConfig {
    fn default() -> Self {
        Self {
            gateway: GatewayKind::None,
            per_second: 1,
            daily_cap: 10,
            timeout_secs: 30,
            max_skew_secs: 300,
            webhook_key: None,
            password: None,
            twilio: TwilioConfig::default(),
            android: AndroidConfig::default(),
            generic: GenericConfig::default(),
        }
    }
}

impl Default for TwilioConfig {
    fn default() -> Self {
        Self {
            api_url: "https://api.twilio.com".into(),
            account_sid: None,
            auth_token: None,
            from: None,
            messaging_service_sid: None,
            status_callback: true,
        }
    }
}

impl Default for GenericConfig {
    fn default() -> Self {
        Self {
            url: None,
            headers: BTreeMap::new(),
            body: None,
            content_type: "application/json".into(),
            id_pointer: None,
            ok_pointer: None,
            ok_value: None,
        }
    }
}

fn positive<T: std::str::FromStr + PartialOrd + Default>(
    name: &'static str,
    v: &str,
) -> Result<T, ConfigError> {
    v.trim()
        .parse::<T>()
        .ok()
        .filter(|n| *n > T::default())
        .ok_or_else(|| ConfigError::Env {
            name,
            problem: not_positive(v),
        })
}

impl SmsConfig {
    /// Applies `BRANCHBOT_SMS_*` overrides and the gateway credentials.
    pub fn apply_env(&mut self, get: &impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        if let Some(v) = get("BRANCHBOT_SMS_GATEWAY") {
            self.gateway = GatewayKind::parse(&v).ok_or_else(|| ConfigError::Env {
                name: "BRANCHBOT_SMS_GATEWAY",
                problem: Problem::new(msg!("config-env-sms-gateway-bad")).with("value", &v),
            })?;
        }
        if let Some(v) = get("BRANCHBOT_SMS_PER_SECOND") {
            self.per_second = positive("BRANCHBOT_SMS_PER_SECOND", &v)?;
        }
        if let Some(v) = get("BRANCHBOT_SMS_DAILY_CAP") {
            self.daily_cap = positive("BRANCHBOT_SMS_DAILY_CAP", &v)?;
        }
        if let Some(v) = get("BRANCHBOT_SMS_BASE_URL") {
            self.android.base_url = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_SMS_USERNAME") {
            self.android.username = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_SMS_FROM") {
            self.twilio.from = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_TWILIO_MESSAGING_SERVICE_SID") {
            self.twilio.messaging_service_sid = Some(v);
        }
        if let Some(v) = get("BRANCHBOT_TWILIO_API_URL") {
            self.twilio.api_url = v;
        }
        if let Some(v) = secret(get, "BRANCHBOT_TWILIO_ACCOUNT_SID")? {
            self.twilio.account_sid = Some(v);
        }
        let keep = |slot: &mut Option<Secret>, v: Option<String>| {
            if let Some(v) = v {
                *slot = Some(Secret(v));
            }
        };
        keep(
            &mut self.twilio.auth_token,
            secret(get, "BRANCHBOT_TWILIO_AUTH_TOKEN")?,
        );
        keep(
            &mut self.password,
            secret(get, "BRANCHBOT_SMS_GATEWAY_PASSWORD")?,
        );
        keep(
            &mut self.webhook_key,
            secret(get, "BRANCHBOT_SMS_WEBHOOK_KEY")?,
        );
        Ok(())
    }

    /// What only the server needs: the key that verifies the gateway's inbound webhook. The
    /// command line sends nothing through the webhook, so its commands do not ask for it.
    pub fn validate_inbound(&self) -> Result<(), ConfigError> {
        let needs_key = matches!(self.gateway, GatewayKind::Android | GatewayKind::Generic);
        if needs_key && self.webhook_key.is_none() {
            return Err(ConfigError::invalid(match self.gateway {
                GatewayKind::Android => msg!("config-sms-needs-webhook-key-android"),
                _ => msg!("config-sms-needs-webhook-key-generic"),
            }));
        }
        Ok(())
    }

    /// Checks that the chosen gateway has what it needs to send, naming what is missing (the
    /// inbound webhook's key is checked by [`Self::validate_inbound`], when serving).
    pub fn validate(&self, public_url: Option<&str>) -> Result<(), ConfigError> {
        let missing = |id| Err(ConfigError::invalid(id));
        must_be_positive("sms.per_second", self.per_second)?;
        must_be_positive("sms.daily_cap", self.daily_cap)?;
        must_be_positive("sms.timeout_secs", self.timeout_secs)?;
        if !(1..=MAX_SKEW_LIMIT_SECS).contains(&self.max_skew_secs) {
            return Err(ConfigError::Invalid(
                Problem::new(msg!("config-sms-max-skew"))
                    .with("value", self.max_skew_secs)
                    .with("max", MAX_SKEW_LIMIT_SECS),
            ));
        }
        match self.gateway {
            GatewayKind::None => {}
            GatewayKind::Twilio => {
                let t = &self.twilio;
                if t.account_sid.is_none() {
                    return missing(msg!("config-sms-needs-twilio-sid"));
                }
                if t.auth_token.is_none() {
                    return missing(msg!("config-sms-needs-twilio-token"));
                }
                if t.from.is_none() && t.messaging_service_sid.is_none() {
                    return missing(msg!("config-sms-needs-twilio-from"));
                }
                if public_url.is_none() {
                    return missing(msg!("config-sms-needs-public-url"));
                }
            }
            GatewayKind::Android => {
                if self.android.base_url.is_none() {
                    return missing(msg!("config-sms-needs-android-url"));
                }
                if self.android.username.is_none() || self.password.is_none() {
                    return missing(msg!("config-sms-needs-android-login"));
                }
                if let Some(n) = self.android.sim_number.filter(|n| !(1..=3).contains(n)) {
                    return Err(ConfigError::Invalid(
                        Problem::new(msg!("config-sms-sim-bad")).with("value", u32::from(n)),
                    ));
                }
            }
            GatewayKind::Generic => {
                let g = &self.generic;
                if g.url.is_none() || g.body.is_none() {
                    return missing(msg!("config-sms-needs-generic-url-body"));
                }
                for (key, p) in [
                    ("sms.generic.id_pointer", &g.id_pointer),
                    ("sms.generic.ok_pointer", &g.ok_pointer),
                ] {
                    let Some(p) = p else { continue };
                    if !p.is_empty() && !p.starts_with('/') {
                        return Err(ConfigError::Invalid(
                            Problem::new(msg!("config-sms-pointer-bad"))
                                .with("key", key)
                                .with("value", p),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The delivery limits: the gateway's rate overall, one message a second to a number.
    pub fn limits(&self) -> Limits {
        Limits {
            overall: Rate::per_second(self.per_second),
            per_chat: Rate::per_second(1),
            per_group: Rate::per_second(1),
        }
    }

    /// Whether a gateway is connected.
    pub fn enabled(&self) -> bool {
        self.gateway != GatewayKind::None
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

    #[test]
    fn secrets_come_from_the_environment_and_never_print() {
        let mut c: SmsConfig =
            toml::from_str("gateway = 'twilio'\n[twilio]\nfrom = '+15005550006'\n").unwrap();
        c.apply_env(&env(&[
            ("BRANCHBOT_TWILIO_ACCOUNT_SID", "AC123"),
            ("BRANCHBOT_TWILIO_AUTH_TOKEN", "tok-very-secret"),
        ]))
        .unwrap();
        assert_eq!(
            c.twilio.auth_token.as_ref().unwrap().expose(),
            "tok-very-secret"
        );
        let printed = format!("{c:?}");
        assert!(!printed.contains("tok-very-secret"), "{printed}");
        assert_eq!(
            c.validate(None).unwrap_err().to_string(),
            "sms.gateway = \"twilio\" needs http.public_url (or BRANCHBOT_PUBLIC_URL): Twilio signs the public URL it posts to"
        );
        assert!(c.validate(Some("https://bot.example.org")).is_ok());
    }

    #[test]
    fn each_gateway_names_what_it_lacks() {
        let mut c = SmsConfig {
            gateway: GatewayKind::Android,
            ..SmsConfig::default()
        };
        assert_eq!(
            c.validate(None).unwrap_err().to_string(),
            "sms.gateway = \"android\" needs sms.android.base_url (or BRANCHBOT_SMS_BASE_URL)"
        );
        c.apply_env(&env(&[
            ("BRANCHBOT_SMS_BASE_URL", "http://192.168.1.10:8080"),
            ("BRANCHBOT_SMS_USERNAME", "sms"),
            ("BRANCHBOT_SMS_GATEWAY_PASSWORD", "pw"),
        ]))
        .unwrap();
        // Sending needs no webhook key (the command line runs without it); serving does.
        assert!(c.validate(None).is_ok());
        assert!(c
            .validate_inbound()
            .unwrap_err()
            .to_string()
            .contains("BRANCHBOT_SMS_WEBHOOK_KEY"));
        let err = SmsConfig::default()
            .apply_env(&env(&[("BRANCHBOT_SMS_GATEWAY", "pigeon")]))
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "environment variable BRANCHBOT_SMS_GATEWAY: 'pigeon' is not one of twilio, android, generic, none"
        );
        let err = SmsConfig::default()
            .apply_env(&env(&[("BRANCHBOT_SMS_DAILY_CAP", "0")]))
            .unwrap_err();
        assert!(
            err.to_string().contains("not a positive whole number"),
            "{err}"
        );
        assert!(toml::from_str::<SmsConfig>("gateway = 'twillio'").is_err());
    }

    #[test]
    fn what_a_gateway_lacks_is_said_in_chinese_with_the_setting() {
        use crate::i18n::{Catalog, Locale};
        let zh = |e: ConfigError| e.render(Catalog::shared(), Locale::ZhCn);
        let mut c = SmsConfig {
            gateway: GatewayKind::Twilio,
            ..SmsConfig::default()
        };
        assert_eq!(
            zh(c.validate(None).unwrap_err()),
            "sms.gateway 设为“twilio”时，需要设置 BRANCHBOT_TWILIO_ACCOUNT_SID（或 sms.twilio.account_sid）。"
        );
        c.gateway = GatewayKind::Generic;
        c.generic.url = Some("https://sms.example.org/send".into());
        c.generic.body = Some("{}".into());
        c.generic.ok_pointer = Some("Code".into());
        assert_eq!(
            zh(c.validate(None).unwrap_err()),
            "sms.generic.ok_pointer 的值“Code”不是 JSON 指针，请写成 /data/id 这样的形式。"
        );
        c.generic.ok_pointer = None;
        c.daily_cap = 0;
        assert_eq!(
            zh(c.validate(None).unwrap_err()),
            "sms.daily_cap 必须是正数（现在是 0）。"
        );
        c.daily_cap = 10;
        assert_eq!(
            zh(c.validate_inbound().unwrap_err()),
            "sms.gateway 设为“generic”时，需要设置 BRANCHBOT_SMS_WEBHOOK_KEY（用于验证收到的 webhook 签名）。"
        );
        c.max_skew_secs = 0;
        assert_eq!(
            zh(c.validate(None).unwrap_err()),
            "sms.max_skew_secs 必须在 1 到 86400（一天）之间（现在是 0）：只有在消息编号仍被记住时，重放的消息才能被拒绝。"
        );
        let err = SmsConfig::default()
            .apply_env(&env(&[("BRANCHBOT_SMS_PER_SECOND", "fast")]))
            .unwrap_err();
        assert_eq!(
            zh(err),
            "环境变量 BRANCHBOT_SMS_PER_SECOND 的值有误：“fast”不是正整数。"
        );
    }

    #[test]
    fn the_replay_window_must_be_short_enough_for_the_dedupe_keys_to_outlive_it() {
        use crate::store::jobs::INBOX_DAYS;
        // Twice the window (a timestamp signed ahead, then replayed late) within the inbox's
        // memory of message ids.
        const { assert!(2 * MAX_SKEW_LIMIT_SECS < INBOX_DAYS * 86_400) };
        for bad in [0, -5, MAX_SKEW_LIMIT_SECS + 1, 30 * 86_400] {
            let c = SmsConfig {
                max_skew_secs: bad,
                ..SmsConfig::default()
            };
            assert!(
                c.validate(None)
                    .unwrap_err()
                    .to_string()
                    .starts_with("sms.max_skew_secs must be between 1 and 86400"),
                "{bad}"
            );
        }
        let c = SmsConfig {
            max_skew_secs: MAX_SKEW_LIMIT_SECS,
            ..SmsConfig::default()
        };
        assert!(c.validate(None).is_ok());
    }
}
