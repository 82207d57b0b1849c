//! The rotating sign-in code (动态签到码): the secretary opens a page on the meeting room's
//! screen through a one-time link (`/signin_screen <id>`, the 签到大屏 button on `/attendance`,
//! `branchbot meeting screen`); the page shows a six-digit code that changes every 30 seconds
//! (`domain::meetings::rotating_code`: HMAC over the window under the meeting's secret), so a
//! code forwarded to someone who is not in the room stops working within a minute. Members
//! send it as they send the static code ([`super::signin`]); `/signin_screen <id> only` (or
//! `[meetings] static_signin_code = false` for every new meeting) leaves the rotating code as
//! the only one. The page itself is `http::meeting_screen`.

use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::Ctx;
use crate::meetings::store::screen as meeting_screens;
use crate::meetings::store::{self as meetings, Meeting};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The page a link opens, under the bot's public address.
pub fn link_url(base_url: &str, token: &str) -> String {
    format!(
        "{}/meetings/screen/open/{token}",
        base_url.trim_end_matches('/')
    )
}

/// Why no link was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    Cancelled,
    Ended,
}

/// Makes a meeting's secret (once) and a one-time link to its screen, for `by` (None: the
/// operator); with `only`, drops the static code so the rotating one is the only way in.
pub async fn issue(
    conn: &mut Conn,
    m: &Meeting,
    by: Option<i64>,
    only: bool,
    now: i64,
) -> Result<Result<String, Refused>, StoreError> {
    if m.cancelled {
        return Ok(Err(Refused::Cancelled));
    }
    if m.ends_at <= now {
        return Ok(Err(Refused::Ended));
    }
    meeting_screens::prune(conn, now).await?;
    meeting_screens::secret(conn, m.id, now).await?;
    if only {
        meetings::drop_static_code(conn, m.id).await?;
    }
    Ok(Ok(meeting_screens::create_link(conn, m.id, by, now).await?))
}

/// `/signin_screen <id> [only]`.
pub async fn command(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    arg: Option<&str>,
) -> Result<Step, StoreError> {
    let Some(m) = super::create::managed(cx, conn, member, arg).await? else {
        return super::create::refusal(cx, conn, member, arg).await;
    };
    let only = arg
        .and_then(|a| a.split_whitespace().nth(1))
        .is_some_and(|w| ["only", "仅动态码", "仅动态", "动态"].contains(&w));
    match issue(conn, &m, Some(member.id), only, cx.now_ms).await? {
        Ok(token) => {
            tracing::info!(
                member = member.id,
                meeting = m.id,
                "sign-in screen link issued"
            );
            let id = if only {
                msg!("meeting-screen-link-only")
            } else {
                msg!("meeting-screen-link")
            };
            Ok(Step::text(cx.r(
                id,
                &[
                    (
                        "link",
                        link_url(&cx.engine.dashboard.base_url, &token).into(),
                    ),
                    ("minutes", (meeting_screens::LINK_TTL_MS / 60_000).into()),
                ],
            )))
        }
        Err(Refused::Cancelled) => Ok(Step::text(cx.t(msg!("meeting-already-cancelled")))),
        Err(Refused::Ended) => Ok(Step::text(cx.t(msg!("meeting-screen-ended")))),
    }
}
