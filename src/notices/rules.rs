//! The notices' own rules, pure: which typed words confirm a notice (收到请回复) and when its
//! unconfirmed recipients may be nudged again. Who a notice reaches is `crate::domain::notices`,
//! which the campaign's announcements share.

/// Whether a typed text confirms a notice: "收到", "1", "ok" and their common variants.
pub fn is_confirmation(text: &str) -> bool {
    let folded: String = crate::chat::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !"。！，~～".contains(*c))
        .collect::<String>()
        .to_lowercase();
    matches!(
        folded.as_str(),
        "收到" | "已收到" | "收到了" | "1" | "ok" | "okay" | "确认" | "好的" | "received"
    )
}

/// Whether a re-nudge is allowed now: never nudged, or the last one is `interval_ms` old.
/// Returns the instant from which it is allowed when it is not.
pub fn nudge_allowed(last: Option<i64>, now: i64, interval_ms: i64) -> Result<(), i64> {
    match last {
        Some(at) if now < at + interval_ms => Err(at + interval_ms),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_confirmations_are_recognised() {
        for t in ["收到", "收到！", " OK ", "ok.", "１", "已收到", "Received"] {
            assert!(is_confirmation(t), "{t:?}");
        }
        for t in ["2", "收到了吗？不", "hello"] {
            assert!(!is_confirmation(t), "{t:?}");
        }
    }

    #[test]
    fn a_second_nudge_waits_for_the_interval() {
        assert_eq!(nudge_allowed(None, 10, 100), Ok(()));
        assert_eq!(nudge_allowed(Some(0), 50, 100), Err(100));
        assert_eq!(nudge_allowed(Some(0), 100, 100), Ok(()));
    }
}
