//! Photos and files sent in chat (issue 22, section 1, the chat side; the storage is
//! [`crate::attachments`]). A feature folder of its own, which attaches files to what the
//! other features keep (meetings, pledge check-ins, service activities):
//!
//! - [`fetch`]: the engine's second pass — a channel's [`FileSource`](crate::chat::sources::FileSource) (Telegram's
//!   getFile and file URL, WeCom's media/get), the fetch with no transaction open, the
//!   outcome written into the stored update, transient failures retried later.
//! - [`targets`]: what a file may be attached to ([`targets::Target`]: the member's recent
//!   meetings, their current pledge check-in, their service activities) and who may.
//! - [`chat`]: a file that arrived — refused (too large, a type not allowed, empty: nothing
//!   kept), taken by a waiting step that asked for it (the minutes, an activity's preview), or
//!   asked about with a button per target and 不归档 ([`chat::Button`]); the reply names what
//!   it was attached to; how a meeting's record counts its photos and files.
//!
//! Declared to the platform as [`Files`] (the `att:` buttons, a help line, and the engine's
//! [`FileIntake`]: the refusal before a fetch, the fetch, the file as it arrived), listed in
//! `app::features`. A file never reaches this folder from an anonymous exchange (the feedback
//! flow refuses it before anything is fetched) or from a stranger (told how to bind).

pub mod chat;
pub mod fetch;
pub mod service;
pub mod targets;

use crate::chat::FileRef;
use crate::domain::org::Member;
use crate::flows::engine::{Engine, InboxItem};
use crate::flows::feature::{Answer, CommandSpec, Feature, Fetching, FileIntake, HelpLines};
use crate::flows::questions::Open;
use crate::flows::{Ctx, Reply, State};
use crate::msg;
use crate::store::Conn;

/// The tag of its waiting steps (it has none of its own) and its name in the list.
pub const NAME: &str = "files";

/// The feature's part of the conversation: the buttons that say where a file belongs.
#[derive(Debug, Clone, Copy, Default)]
pub struct Files;

impl Feature for Files {
    fn name(&self) -> &'static str {
        NAME
    }

    fn commands(&self) -> &'static [CommandSpec] {
        &[]
    }

    fn actions(&self) -> &'static [&'static str] {
        &[chat::ACTION]
    }

    fn help(&self, cx: &Ctx<'_>, _member: &Member, lines: &mut HelpLines) {
        lines.everyone.push(cx.t(msg!("help-files")));
    }

    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        name: &'static str,
        _arg: Option<&'a str>,
        _inbound: &'a crate::flows::Inbound,
    ) -> Answer<'a> {
        // It declares no command; the engine never asks.
        Box::pin(async move {
            Ok(crate::flows::engine::Step::text(cx.r(
                msg!("error-unknown-command"),
                &[("command", format!("/{name}").into())],
            )))
        })
    }

    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        _action: &'a str,
        value: &'a str,
    ) -> Answer<'a> {
        Box::pin(chat::chosen(cx, conn, member, state, value))
    }

    fn file_intake(&self) -> Option<&dyn FileIntake> {
        Some(self)
    }
}

impl FileIntake for Files {
    fn before_fetch(&self, cx: &Ctx<'_>, file: &FileRef) -> Option<Reply> {
        chat::before_fetch(cx, file)
    }

    fn fetch<'a>(
        &'a self,
        engine: &'a Engine,
        inbox_id: i64,
        item: &'a InboxItem,
        member_id: Option<i64>,
    ) -> Fetching<'a> {
        Box::pin(fetch::run(engine, inbox_id, item, member_id))
    }

    fn arrived<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: State,
        file: &'a FileRef,
        open: &'a mut Open,
    ) -> Answer<'a> {
        Box::pin(chat::arrived(cx, conn, member, state, file, open))
    }
}
