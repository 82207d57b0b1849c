//! How a feature plugs into the conversation without the engine naming it: the commands it
//! answers (name, aliases, the line in Telegram's menu), the button data it owns, its lines of
//! `/help`, and its handlers. `app::features::chat` lists the features; the engine asks that
//! list for any command or button it does not answer itself, `/help` and the Telegram menu are
//! built from the same declarations, and a new command of a feature changes only its folder.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::engine::{Engine, InboxItem, Step};
use super::questions::Open;
use super::{Choice, Ctx, Inbound, Reply, State};
use crate::chat::FileRef;
use crate::config::{Config, Settings};
use crate::domain::org::Member;
use crate::i18n::Msg;
use crate::scheduler::Registry;
use crate::store::{Conn, StoreError};

/// What a handler answers with.
pub type Answer<'a> = Pin<Box<dyn Future<Output = Result<Step, StoreError>> + Send + 'a>>;

/// What a feature answers typed text with: `None` when the text is not for its waiting step
/// (a typed option of the buttons it showed, a sign-in code), which the engine then reads as
/// it reads any text.
pub type TextAnswer<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Step>, StoreError>> + Send + 'a>>;

/// What a feature answers an update with before the sender's own conversation
/// ([`Feature::before_conversation`]): its replies, or `None` to leave the update to the engine.
pub type Intercepted<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Vec<Reply>>, StoreError>> + Send + 'a>>;

/// Whether a feature takes a message ([`Feature::wants_stranger`]).
pub type Wants<'a> = Pin<Box<dyn Future<Output = Result<bool, StoreError>> + Send + 'a>>;

/// One command of a feature.
#[derive(Debug, Clone, Copy)]
pub struct CommandSpec {
    /// What people type after `/` (lower case, at most 32 characters of `a-z0-9_`: Telegram's
    /// rule for its menu).
    pub name: &'static str,
    /// Other spellings that mean the same (`dangfei` for `dues`).
    pub aliases: &'static [&'static str],
    /// Its line in Telegram's command menu; `None` keeps it out of the menu.
    pub menu: Option<Msg>,
}

/// The lines a feature adds to `/help`, by section.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct HelpLines {
    /// What anyone of this role can do.
    pub everyone: Vec<String>,
    /// What a branch manager or the college committee can do.
    pub managing: Vec<String>,
    /// The paragraph about the campaign, feedback and evaluation opens with these…
    pub campaign_head: Vec<String>,
    /// …and closes with these.
    pub campaign_tail: Vec<String>,
    /// What a branch manager or the college committee can do, listed early: after the role's
    /// heading, before [`HelpLines::managing`] (the meeting practice, `/notice`, evaluation and
    /// feedback).
    pub managing_early: Vec<String>,
}

/// When the engine asks a feature about typed text that is not a command
/// ([`Feature::reads_text`], [`Feature::on_typed_text`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextStage {
    /// Once the member's waiting step, if any, has declined the text ([`Feature::on_text`]),
    /// before it is read as an answer to the choices offered: in any step (a sign-in code).
    BeforeChoices,
    /// Last, when nothing else took it — no waiting step, no offered choice, no feature's
    /// [`Feature::unmatched`] — before the engine's "not understood" (a typed 收到).
    Unclaimed,
}

/// A feature's part of the conversation.
pub trait Feature: Send + Sync {
    /// Its name: the tag of its waiting steps (`State::Feature`), lower case.
    fn name(&self) -> &'static str;

    /// Its commands.
    fn commands(&self) -> &'static [CommandSpec];

    /// The first field of the button data it owns (`dues` owns `dues:…`).
    fn actions(&self) -> &'static [&'static str] {
        &[]
    }

    /// The command its lines in Telegram's menu follow: one of the engine's (`command::MENU`)
    /// or another feature's. `None` (the default), or a command no one has, puts them at the
    /// end, in the list's order.
    fn menu_after(&self) -> Option<&'static str> {
        None
    }

    /// Adds its lines to `/help` for `member`.
    fn help(&self, cx: &Ctx<'_>, member: &Member, lines: &mut HelpLines);

    /// Answers `/name arg`, `name` being one of [`Feature::commands`] (never an alias). `arg`
    /// is folded as `command::parse` folds it (full-width to ASCII); `inbound` is the message
    /// as sent, for a feature that keeps a text as typed.
    #[allow(clippy::too_many_arguments)]
    fn command<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        name: &'static str,
        arg: Option<&'a str>,
        inbound: &'a Inbound,
    ) -> Answer<'a>;

    /// Answers a button `action:value` whose `action` is one of [`Feature::actions`];
    /// `state` is the member's current step (its own data through `State::data_of`).
    #[allow(clippy::too_many_arguments)]
    fn chosen<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        action: &'a str,
        value: &'a str,
    ) -> Answer<'a>;

    /// [`Feature::chosen`], with `rest`: what was typed after a typed option ("2 进度稍慢"),
    /// empty for a tap. The engine calls this one; the default drops `rest`.
    #[allow(clippy::too_many_arguments)]
    fn chosen_with_rest<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: &'a State,
        action: &'a str,
        value: &'a str,
        _rest: &'a str,
    ) -> Answer<'a> {
        self.chosen(cx, conn, member, state, action, value)
    }

    /// Text typed while one of its waiting steps is current (`State::Feature` with its name);
    /// `data` is what it stored. `None` leaves the text to the engine (the default, for a
    /// feature whose steps wait only for buttons).
    fn on_text<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _data: &'a serde_json::Value,
        _text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async { Ok(None) })
    }

    /// Text that none of the open questions took, asked of every feature in turn after the
    /// offered choices were tried (where [`Feature::on_text`] is asked before them): a step
    /// whose text may also be one of the choices it offered (跳过 for a date), or a hint about
    /// the feature's own open question. `state` is the member's step, `offered` the latest
    /// question's choices. `None` (the default) leaves the text to the next feature.
    #[allow(clippy::too_many_arguments)]
    fn unmatched<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _state: &'a State,
        _offered: &'a [Choice],
        _text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async { Ok(None) })
    }

    /// A file sent while one of its waiting steps is current: `attachment` is the accepted
    /// file (`attachments`, not attached to anything yet), `data` what the step stored. `None`
    /// (the default) leaves it to be asked about like any file (`files`).
    fn on_file<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _data: &'a serde_json::Value,
        _attachment: i64,
    ) -> TextAnswer<'a> {
        Box::pin(async { Ok(None) })
    }

    /// Its commands that someone not yet bound may use (reading what is public, such as a
    /// branch's work plan).
    fn public_commands(&self) -> &'static [&'static str] {
        &[]
    }

    /// Answers one of [`Feature::public_commands`] for a sender the bot does not know yet.
    fn for_stranger<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _name: &'static str,
        _arg: Option<&'a str>,
    ) -> Answer<'a> {
        Box::pin(async move { Ok(Step::text(cx.t(crate::msg!("unbound-explain")))) })
    }

    /// Button data (prefixes, `meet:year:`) that a typed answer names before the text is read
    /// for a waiting step: "1" answers the first of them rather than being read as a date.
    fn typed_choices_first(&self) -> &'static [&'static str] {
        &[]
    }

    /// When the engine asks [`Feature::on_typed_text`] about text, in any step; `None` (the
    /// default): never, the feature reads no text but its waiting steps'.
    fn reads_text(&self) -> Option<TextStage> {
        None
    }

    /// Text that is not a command, asked at the stage [`Feature::reads_text`] declares, of
    /// every feature declaring that stage in the list's order: a sign-in code typed as it is
    /// ([`TextStage::BeforeChoices`]), a typed 收到 confirming the latest notice
    /// ([`TextStage::Unclaimed`]). `None` (the default): not the feature's, the engine reads
    /// on.
    fn on_typed_text<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _member: &'a Member,
        _text: &'a str,
    ) -> TextAnswer<'a> {
        Box::pin(async { Ok(None) })
    }

    /// `/start` payloads that mean one of its commands: (`si_`, `signin`) makes
    /// `/start si_123456` answer as `/signin 123456`.
    fn start_links(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Words typed without a `/` that mean one of its commands, with what follows as its
    /// argument: (`补学`, `makeup`) makes `补学 12 自学` answer as `/makeup 12 自学` (an SMS
    /// reader types no slash). The word must stand alone or be followed by a space.
    fn words(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Steps of the engine's older `State` enum that are now this feature's (their stored JSON,
    /// `{"step": …}`, is read as its data), so conversations stored before the feature had its
    /// own folder read on.
    fn legacy_steps(&self) -> &'static [&'static str] {
        &[]
    }

    /// An update the feature answers before the sender's own conversation, from a member or a
    /// stranger alike (anonymous feedback by link or code, `/reply`, a rating in progress). Its
    /// replies are queued as anonymous and the exchange keeps no conversation row; `None` (the
    /// default) leaves the update to the conversation. `live`: whether one of its exchanges was
    /// in progress when the update was claimed (read with the claim, `store::inbox`); when none
    /// was, only an update that starts one need be looked into.
    fn before_conversation<'a>(
        &'a self,
        _cx: &'a Ctx<'_>,
        _conn: &'a mut Conn,
        _inbound: &'a Inbound,
        _live: bool,
    ) -> Intercepted<'a> {
        Box::pin(async { Ok(None) })
    }

    /// Whether a message from a sender the roster does not know (an SMS from an unknown number,
    /// a WeCom user not bound) is one that [`Feature::before_conversation`] answers, so the
    /// channel's intake keeps it for the engine instead of answering it itself. `false` (the
    /// default): not the feature's.
    fn wants_stranger<'a>(
        &'a self,
        _engine: &'a Engine,
        _conn: &'a mut Conn,
        _inbound: &'a Inbound,
    ) -> Wants<'a> {
        Box::pin(async { Ok(false) })
    }
    /// What takes the photos and files members send, if this feature does (`files`): the
    /// engine hands every file to the first feature that answers here. `None` (the default):
    /// not this one.
    fn file_intake(&self) -> Option<&dyn FileIntake> {
        None
    }

    /// Its kinds of job, added to `registry`. `configured` is the running bot's configuration,
    /// for a kind whose schedule it sets; `None` asks for the built-in schedules.
    fn jobs(&self, registry: Registry, _configured: Option<Configured<'_>>) -> Registry {
        registry
    }
}

/// The configuration a feature's job kinds are built from ([`Feature::jobs`]).
#[derive(Clone, Copy)]
pub struct Configured<'a> {
    pub config: &'a Config,
    pub settings: &'a Settings,
}

/// What the fetch of a file comes to: `Ok(true)` the outcome is recorded in the stored update,
/// run it again; `Ok(false)` it is to be tried later (or another replica has it).
pub type Fetching<'a> = Pin<Box<dyn Future<Output = Result<bool, StoreError>> + Send + 'a>>;

/// The taking of files sent in chat, in the engine's two passes over an update that carries
/// one ([`Engine::process`]): refused or wanted before it is fetched, fetched with no
/// transaction open, then answered as it arrived in the member's conversation. A feature offers
/// it through [`Feature::file_intake`]; the engine names no feature for it.
pub trait FileIntake: Send + Sync {
    /// A file announced but not yet fetched, from a member outside any anonymous exchange:
    /// `Some(reply)` refuses it now (a declared size over the limit), `None` fetches it.
    fn before_fetch(&self, cx: &Ctx<'_>, file: &FileRef) -> Option<Reply>;

    /// Fetches the file of inbox row `inbox_id` (whose stored update is `item`) for
    /// `member_id` and writes the outcome into the stored update.
    fn fetch<'a>(
        &'a self,
        engine: &'a Engine,
        inbox_id: i64,
        item: &'a InboxItem,
        member_id: Option<i64>,
    ) -> Fetching<'a>;

    /// A fetched file (its outcome in `file`) in `member`'s conversation, `state` being their
    /// current step and `open` the questions still open.
    #[allow(clippy::too_many_arguments)]
    fn arrived<'a>(
        &'a self,
        cx: &'a Ctx<'_>,
        conn: &'a mut Conn,
        member: &'a Member,
        state: State,
        file: &'a FileRef,
        open: &'a mut Open,
    ) -> Answer<'a>;
}

/// The features the engine asks, in the order `app::features::chat` lists them.
#[derive(Clone, Default)]
pub struct Features(Arc<[Arc<dyn Feature>]>);

impl Features {
    pub fn new(list: Vec<Arc<dyn Feature>>) -> Self {
        Self(list.into())
    }

    /// The feature answering `/name` (or an alias of it), with the command's own name.
    pub fn command(&self, name: &str) -> Option<(&dyn Feature, &'static str)> {
        self.0.iter().find_map(|f| {
            f.commands()
                .iter()
                .find(|c| c.name == name || c.aliases.contains(&name))
                .map(|c| (f.as_ref(), c.name))
        })
    }

    /// The feature called `name` (whose waiting step a stored state names).
    pub fn named(&self, name: &str) -> Option<&dyn Feature> {
        self.0.iter().find(|f| f.name() == name).map(AsRef::as_ref)
    }

    /// A stored step the engine's `State` no longer reads, as the feature that claims it.
    pub fn legacy(&self, json: &str) -> Option<State> {
        let data: serde_json::Value = serde_json::from_str(json).ok()?;
        let step = data.get("step")?.as_str()?;
        let feature = self.0.iter().find(|f| f.legacy_steps().contains(&step))?;
        Some(State::Feature {
            feature: feature.name().to_owned(),
            data,
        })
    }

    /// The feature owning button data that starts with `action`.
    pub fn action(&self, action: &str) -> Option<&dyn Feature> {
        self.0
            .iter()
            .find(|f| f.actions().contains(&action))
            .map(AsRef::as_ref)
    }

    /// Every feature, in the list's order.
    pub fn iter(&self) -> impl Iterator<Item = &dyn Feature> {
        self.0.iter().map(AsRef::as_ref)
    }

    /// What takes the files members send: the first feature's [`Feature::file_intake`].
    pub fn file_intake(&self) -> Option<&dyn FileIntake> {
        self.0.iter().find_map(|f| f.file_intake())
    }

    /// The whole command menu: `own` (the engine's, in order), each feature's lines right after
    /// the command its [`Feature::menu_after`] names (which may be another feature's, placed
    /// first), the rest at the end, in the list's order.
    pub fn menu_with(&self, own: &[(&'static str, Msg)]) -> Vec<(&'static str, Msg)> {
        let lines_of = |f: &Arc<dyn Feature>| {
            f.commands()
                .iter()
                .filter_map(|c| c.menu.map(|m| (c.name, m)))
                .collect::<Vec<_>>()
        };
        let mut menu: Vec<(&'static str, Msg)> = own.to_vec();
        let mut left: Vec<&Arc<dyn Feature>> = self.0.iter().collect();
        // Each pass places the features whose anchor is in the menu by now; one placed may be
        // another's anchor, so go on while a pass places any.
        loop {
            let before = left.len();
            left.retain(|f| {
                let at = f
                    .menu_after()
                    .and_then(|after| menu.iter().position(|(n, _)| *n == after));
                match at {
                    Some(at) => {
                        let lines = lines_of(f);
                        menu.splice(at + 1..at + 1, lines);
                        false
                    }
                    None => true,
                }
            });
            if left.len() == before {
                break;
            }
        }
        for f in left {
            menu.extend(lines_of(f));
        }
        menu
    }

    /// What the first feature reading text at `stage` ([`Feature::reads_text`]) answers to
    /// `text`, in the list's order ([`Feature::on_typed_text`]); `None`: none took it.
    pub async fn typed_text(
        &self,
        stage: TextStage,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        member: &Member,
        text: &str,
    ) -> Result<Option<Step>, StoreError> {
        for f in self.0.iter().filter(|f| f.reads_text() == Some(stage)) {
            if let Some(step) = f.on_typed_text(cx, conn, member, text).await? {
                return Ok(Some(step));
            }
        }
        Ok(None)
    }

    /// Whether `data`, a button offered now, is one a feature wants taken when typed before
    /// its waiting step reads the text ([`Feature::typed_choices_first`]).
    pub fn typed_first(&self, data: &str) -> bool {
        self.0
            .iter()
            .flat_map(|f| f.typed_choices_first())
            .any(|p| data.starts_with(p))
    }

    /// The feature and command a `/start` payload means, with the rest of the payload.
    pub fn start_link<'p>(
        &self,
        payload: &'p str,
    ) -> Option<(&dyn Feature, &'static str, &'p str)> {
        self.0.iter().find_map(|f| {
            f.start_links().iter().find_map(|(prefix, name)| {
                payload
                    .strip_prefix(prefix)
                    .map(|rest| (f.as_ref(), *name, rest))
            })
        })
    }

    /// The feature and command a word typed without `/` means (folded as commands are), with
    /// its argument.
    pub fn word(&self, text: &str) -> Option<(&dyn Feature, &'static str, Option<String>)> {
        let text = super::fold(text);
        let text = text.trim();
        self.0.iter().find_map(|f| {
            f.words().iter().find_map(|(word, name)| {
                let rest = text.strip_prefix(word)?;
                if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                    return None;
                }
                let rest = rest.trim();
                Some((
                    f.as_ref(),
                    *name,
                    (!rest.is_empty()).then(|| rest.to_owned()),
                ))
            })
        })
    }

    /// The replies of the first feature that answers `inbound` before the sender's own
    /// conversation ([`Feature::before_conversation`]).
    pub async fn before_conversation(
        &self,
        cx: &Ctx<'_>,
        conn: &mut Conn,
        inbound: &Inbound,
        live: bool,
    ) -> Result<Option<Vec<Reply>>, StoreError> {
        for f in self.0.iter() {
            if let Some(replies) = f.before_conversation(cx, conn, inbound, live).await? {
                return Ok(Some(replies));
            }
        }
        Ok(None)
    }

    /// Whether any feature takes a message from a sender the roster does not know
    /// ([`Feature::wants_stranger`]).
    pub async fn want_stranger(
        &self,
        engine: &Engine,
        conn: &mut Conn,
        inbound: &Inbound,
    ) -> Result<bool, StoreError> {
        for f in self.0.iter() {
            if f.wants_stranger(engine, conn, inbound).await? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Every feature's lines of `/help` for `member`.
    pub fn help(&self, cx: &Ctx<'_>, member: &Member) -> HelpLines {
        let mut lines = HelpLines::default();
        for f in self.0.iter() {
            f.help(cx, member, &mut lines);
        }
        lines
    }

    /// Every command name and alias, for the checks that no two features claim one.
    pub fn names(&self) -> Vec<&'static str> {
        self.0
            .iter()
            .flat_map(|f| f.commands())
            .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
            .collect()
    }
}
