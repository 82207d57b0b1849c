//! Signing in (签到): a member sends the meeting's code (or `/signin CODE`, or opens the deep
//! link `https://t.me/<bot>?start=si_<code>`) from half an hour before the start to the end;
//! after the start the sign-in is marked late. A manager may sign a member in on their behalf
//! (代签) with a reason: `/proxysignin <meeting id> <member key> <reason>`. The code may be the
//! meeting's static one or the rotating one on the meeting room's screen ([`super::screen`]):
//! the current 30-second window's or the one before; an older one is refused as expired.

use super::Waiting;
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::meetings::store as meetings;
use crate::msg;
use crate::store::{members, Conn, StoreError};

use crate::flows::Ctx;

pub use crate::chat::matching::{
    looks_like_signin_code as looks_like_code, signin_code_in as code_in,
};

/// A member signs in with a code.
pub async fn with_code(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    code: &str,
) -> Result<Step, StoreError> {
    let code = code_in(code).unwrap_or_else(|| crate::flows::fold(code).trim().to_owned());
    let m = match meetings::by_code(conn, &code, cx.now_ms).await? {
        Some(m) => m,
        None => match rotating(cx, conn, &code).await? {
            Ok(m) => m,
            Err(id) => return Ok(Step::text(cx.r(id, &[("code", code.as_str().into())]))),
        },
    };
    let when = crate::chat::dates::when_text(cx.catalog, cx.locale, cx.engine.tz, m.starts_at);
    let opens = cx.engine.meetings.signin_opens_minutes;
    if cx.now_ms < m.starts_at - opens * 60_000 {
        return Ok(Step::text(cx.r(
            msg!("meeting-signin-not-open"),
            &[("when", when.into()), ("minutes", opens.into())],
        )));
    }
    let expected = meetings::attendees(conn, m.id)
        .await?
        .iter()
        .any(|a| a.member_id == member.id);
    if !expected {
        return Ok(Step::text(cx.t(msg!("meeting-signin-not-attendee"))));
    }
    let late = cx.now_ms > m.starts_at;
    if !meetings::sign_in(conn, m.id, member.id, cx.now_ms, late, None).await? {
        return Ok(Step::text(cx.t(msg!("meeting-signin-already"))));
    }
    let kind = crate::meetings::text::kind_text(cx.catalog, cx.locale, m.kind);
    let id = if late {
        msg!("meeting-signed-in-late")
    } else {
        msg!("meeting-signed-in")
    };
    Ok(Step::text(cx.r(id, &[("kind", kind.into())])))
}

/// The meeting whose rotating code (on the meeting room's screen) `code` is now, or why not:
/// an expired code of a meeting is told so (it was read too long ago, or forwarded), anything
/// else is an unknown code.
async fn rotating(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    code: &str,
) -> Result<Result<meetings::Meeting, crate::i18n::Msg>, StoreError> {
    use crate::meetings::rules::{match_rotating, RotatingMatch};
    let opens = cx.engine.meetings.signin_opens_minutes * 60_000;
    let mut stale = false;
    for (id, secret) in crate::meetings::store::screen::open_secrets(conn, cx.now_ms, opens).await?
    {
        match match_rotating(&secret, code, cx.now_ms) {
            RotatingMatch::Valid => {
                if let Some(m) = meetings::get(conn, id).await? {
                    return Ok(Ok(m));
                }
            }
            RotatingMatch::Stale => stale = true,
            RotatingMatch::No => {}
        }
    }
    Ok(Err(if stale {
        msg!("meeting-signin-stale")
    } else {
        msg!("meeting-signin-unknown")
    }))
}

/// A manager signs a member in on their behalf (代签).
pub async fn proxy(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    manager: &Member,
    args: Option<&str>,
) -> Result<Step, StoreError> {
    let usage = || Step::text(cx.t(msg!("meeting-proxy-usage")));
    let Some(args) = args else {
        return Ok(usage());
    };
    let mut parts = args.splitn(3, char::is_whitespace);
    let (Some(id), Some(key)) = (parts.next(), parts.next()) else {
        return Ok(usage());
    };
    let Some(reason) = parts.next().filter(|r| !r.trim().is_empty()) else {
        // The reason is asked for, and the command is read again with it.
        return Ok(Step::new(
            vec![crate::flows::Reply::text(
                cx.t(msg!("meeting-proxy-ask-reason")),
            )],
            Waiting::MeetingProxyReason {
                args: format!("{id} {key}"),
            }
            .state(),
        ));
    };
    let Some(m) = (match id.parse::<i64>() {
        Ok(id) => meetings::get(conn, id).await?,
        Err(_) => None,
    }) else {
        return Ok(Step::text(
            cx.r(msg!("meeting-not-found"), &[("id", id.into())]),
        ));
    };
    if !manager.manages_branch(m.branch_id) {
        return Ok(Step::text(cx.t(msg!("meeting-not-allowed"))));
    }
    if m.cancelled {
        return Ok(Step::text(cx.t(msg!("meeting-already-cancelled"))));
    }
    // 代签 records that someone was there: not before anyone could sign in.
    let opens = cx.engine.meetings.signin_opens_minutes;
    if cx.now_ms < m.starts_at - opens * 60_000 {
        let when = crate::chat::dates::when_text_from(
            cx.catalog,
            cx.locale,
            cx.engine.tz,
            m.starts_at,
            cx.now_ms,
        );
        return Ok(Step::text(cx.r(
            msg!("meeting-proxy-not-open"),
            &[("when", when.into()), ("minutes", opens.into())],
        )));
    }
    let Some(member) = members::find(conn, key).await? else {
        return Ok(Step::text(
            cx.r(msg!("meeting-no-such-member"), &[("key", key.into())]),
        ));
    };
    let expected = meetings::attendees(conn, m.id)
        .await?
        .iter()
        .any(|a| a.member_id == member.id);
    if !expected {
        return Ok(Step::text(cx.t(msg!("meeting-signin-not-attendee"))));
    }
    let late = cx.now_ms > m.starts_at;
    let proxy = Some((manager.id, reason.trim()));
    if !meetings::sign_in(conn, m.id, member.id, cx.now_ms, late, proxy).await? {
        return Ok(Step::text(cx.t(msg!("meeting-signin-already"))));
    }
    Ok(Step::text(cx.r(
        msg!("meeting-proxy-done"),
        &[("name", member.name.as_str().into())],
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_understood_alone_or_after_the_word_sign_in() {
        for typed in [
            "976520",
            " ９７６５２０ ",
            "签到 976520",
            "签到976520",
            "签到：976520",
            "签到码 976520",
        ] {
            assert_eq!(code_in(typed).as_deref(), Some("976520"), "{typed:?}");
        }
        for typed in [
            "签到",
            "签到 97652",
            "976520 签到",
            "请假 976520",
            "1234567",
        ] {
            assert_eq!(code_in(typed), None, "{typed:?}");
        }
    }
}
