//! Binding a chat to a member with an invite code (`/start <code>`), and what an unknown sender
//! is told. Nothing is stored about an unknown sender: the inbox keeps only the update's id.

use rand::RngExt;

use super::attempts::{BindAttempts, Verdict};
use super::engine::Step;
use super::{command, help, Content, Ctx, Inbound, Reply};
use crate::domain::org::Member;
use crate::msg;
use crate::store::invites::{self, Redeem};
use crate::store::{bindings, members, Conn, StoreError};

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A new random invite code, shown as `ABCD-EF23`.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let raw: String = (0..8)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &raw[..4], &raw[4..])
}

/// The canonical form a code is hashed in: upper case, no separators.
pub fn normalize_code(code: &str) -> String {
    super::fold(code)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Everything an unbound sender can do: redeem a code, or be told how to get one.
pub async fn unknown_sender(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    attempts: &BindAttempts,
) -> Result<Vec<Reply>, StoreError> {
    let Content::Text { text } = &inbound.content else {
        return Ok(vec![Reply::text(cx.t(msg!("unbound-explain")))]);
    };
    match command::parse(text) {
        Some(command::Command::Start(Some(code))) => {
            match redeem(cx, conn, inbound, &code, attempts).await? {
                Ok(member) => Ok(welcome(cx, &member)),
                Err(reason) => Ok(vec![Reply::text(reason)]),
            }
        }
        // What a feature makes public is for everyone, the masses included: published pledges
        // (公示), a branch's work plan.
        Some(command::Command::Other(name, arg)) => match cx.engine.features.command(&name) {
            Some((feature, name)) if feature.public_commands().contains(&name) => Ok(feature
                .for_stranger(cx, conn, name, arg.as_deref())
                .await?
                .replies),
            _ => Ok(vec![Reply::text(cx.t(msg!("unbound-explain")))]),
        },
        _ => Ok(vec![Reply::text(cx.t(msg!("unbound-explain")))]),
    }
}

/// `/start` from a member who is already bound: welcome back, or, with another member's code,
/// switch this chat to that member.
pub async fn bound_start(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    inbound: &Inbound,
    code: Option<&str>,
    attempts: &BindAttempts,
) -> Result<Step, StoreError> {
    let Some(code) = code else {
        return Ok(Step::text(cx.r(
            msg!("start-welcome-back"),
            &[("name", member.name.as_str().into())],
        )));
    };
    match redeem(cx, conn, inbound, code, attempts).await? {
        Ok(other) if other.id == member.id => Ok(Step::text(cx.r(
            msg!("start-already-bound"),
            &[("name", member.name.as_str().into())],
        ))),
        Ok(other) => Ok(Step::new(welcome(cx, &other), Default::default())),
        Err(reason) => Ok(Step::text(reason)),
    }
}

/// Redeems a code and binds the sender's address to its member. Returns the member, or the
/// localized reason the code was refused.
async fn redeem(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    inbound: &Inbound,
    code: &str,
    attempts: &BindAttempts,
) -> Result<Result<Member, String>, StoreError> {
    let channel = inbound.channel.as_str();
    match attempts
        .check(conn, channel, &inbound.address, cx.now_ms)
        .await?
    {
        Verdict::Allowed => {}
        Verdict::ChatLocked { minutes } => {
            return Ok(Err(cx.r(
                msg!("invite-too-many-attempts"),
                &[("minutes", minutes.into())],
            )))
        }
        Verdict::Busy { minutes } => {
            return Ok(Err(
                cx.r(msg!("invite-busy"), &[("minutes", minutes.into())])
            ))
        }
    }
    let code = normalize_code(code);
    let refused = match invites::redeem(conn, &code, cx.now_ms).await? {
        Redeem::Member(id) => match members::by_id(conn, id).await? {
            Some(member) if member.active => {
                bindings::bind(
                    conn,
                    inbound.channel.as_str(),
                    &inbound.address,
                    member.id,
                    cx.now_ms,
                )
                .await?;
                // Who was bound, and on what, only at debug level (the audit trail is the
                // bindings table).
                tracing::info!("chat bound");
                tracing::debug!(
                    member = member.id,
                    channel = inbound.channel.as_str(),
                    "chat bound to member"
                );
                return Ok(Ok(member));
            }
            _ => msg!("invite-invalid"),
        },
        // A used code is answered as a wrong one: the answer does not tell a guesser that a
        // code existed.
        Redeem::Unknown | Redeem::Used => msg!("invite-invalid"),
        Redeem::Expired => msg!("invite-expired"),
    };
    attempts
        .failed(conn, channel, &inbound.address, cx.now_ms)
        .await?;
    Ok(Err(cx.t(refused)))
}

/// The welcome after binding, in the member's own locale.
fn welcome(cx: &Ctx<'_>, member: &Member) -> Vec<Reply> {
    let cx = cx.for_member(member);
    let branch = member
        .branch_name
        .clone()
        .unwrap_or_else(|| cx.t(msg!("no-branch")));
    vec![
        Reply::text(cx.r(
            msg!("start-bound"),
            &[
                ("name", member.name.as_str().into()),
                ("branch", branch.into()),
                ("role", cx.t(member.role.msg()).into()),
            ],
        )),
        Reply::text(help::text(&cx, member)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unambiguous_and_normalize() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(normalize_code(" abcd-ef23 "), "ABCDEF23");
        assert_eq!(normalize_code("ＡＢＣＤ ＥＦ２３"), "ABCDEF23");
    }
}
