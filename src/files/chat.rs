//! A file in the conversation. Before it is fetched ([`before_fetch`]) a declared size over
//! the limit, or an empty file, is refused. Once fetched ([`arrived`]) a refusal is said (too
//! large, a type not allowed, empty: nothing was kept); a waiting step that asked for files
//! takes it (the minutes of a meeting, an activity's preview: [`Feature::on_file`]); otherwise
//! the member is asked where it belongs, with a button per target ([`super::targets`]) and
//! 不归档. A tap attaches the file, with the member's other files of the same sending
//! ([`BATCH_MS`]) that are not attached yet, and the reply names what they were attached to:
//! "已附到 11月12日 支部党员大会 的记录：照片 2 张".
//!
//! 不归档 attaches nothing and deletes nothing: the file stays unattached, in no record, so a
//! tap that was a slip loses nothing (removing unattached files after a while is the
//! storage's concern, `attachments`).
//!
//! [`Feature::on_file`]: crate::flows::feature::Feature::on_file

use chrono::DateTime;

use super::fetch::refusal_of;
use super::targets::{self, Target};
use crate::attachments::{service, Attachment, Kind, Owner, Refusal};
use crate::chat::{Fetched, FileRef};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{questions, Choice, Ctx, Reply, State};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The first field of the buttons' data.
pub const ACTION: &str = "att";

/// Files sent within this long before a tap go with the file the tap is about (an album of
/// photos arrives as one message per photo).
pub const BATCH_MS: i64 = 30 * 60_000;

/// Telegram's limit on a button's data.
pub const MAX_DATA_BYTES: usize = 64;

/// A button under "这个文件归到哪里？", as typed data: on the wire `att:m:<file>:<meeting>`,
/// `att:c:<file>:<round>`, `att:a:<file>:<activity>`, `att:x:<file>` (不归档), at most
/// [`MAX_DATA_BYTES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    Attach {
        file: i64,
        target: Target,
    },
    /// 不归档.
    Keep {
        file: i64,
    },
}

impl Button {
    /// The button's data.
    pub fn encode(self) -> String {
        match self {
            Self::Attach { file, target } => {
                let (tag, id) = match target {
                    Target::Meeting(id) => ("m", id),
                    Target::CheckIn(id) => ("c", id),
                    Target::Activity(id) => ("a", id),
                };
                format!("{ACTION}:{tag}:{file}:{id}")
            }
            Self::Keep { file } => format!("{ACTION}:x:{file}"),
        }
    }

    /// What a button's data after `att:` means; None for data this version never wrote.
    pub fn decode(value: &str) -> Option<Self> {
        let mut parts = value.split(':');
        let tag = parts.next()?;
        let file: i64 = parts.next()?.parse().ok()?;
        let id: Option<i64> = match parts.next() {
            Some(id) => Some(id.parse().ok()?),
            None => None,
        };
        if parts.next().is_some() {
            return None;
        }
        let target = match (tag, id) {
            ("x", None) => return Some(Self::Keep { file }),
            ("m", Some(id)) => Target::Meeting(id),
            ("c", Some(id)) => Target::CheckIn(id),
            ("a", Some(id)) => Target::Activity(id),
            _ => return None,
        };
        Some(Self::Attach { file, target })
    }

    fn file(self) -> i64 {
        match self {
            Self::Attach { file, .. } | Self::Keep { file } => file,
        }
    }
}

/// A file announced with a size: refused before it is fetched when empty or over the limit
/// (Telegram says the size). None: fetch it.
pub fn before_fetch(cx: &Ctx<'_>, file: &FileRef) -> Option<Reply> {
    let limit = service::limit_bytes(&cx.engine.files);
    let refusal = match file.size {
        Some(0) => Refusal::Empty,
        Some(n) if n > limit => Refusal::TooLarge { limit_bytes: limit },
        _ => return None,
    };
    Some(Reply::text(refusal_text(cx, &refusal)))
}

/// How a refusal reads: what was wrong and what to do (the storage's own words).
pub fn refusal_text(cx: &Ctx<'_>, r: &Refusal) -> String {
    r.render(cx.catalog, cx.locale)
}

/// A fetched file in `member`'s conversation (`state` is their current step).
pub async fn arrived(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: State,
    file: &FileRef,
    open: &mut questions::Open,
) -> Result<Step, StoreError> {
    let id = match &file.outcome {
        Some(Fetched::Stored { attachment }) => *attachment,
        Some(Fetched::Refused {
            message,
            limit_bytes,
            detected,
        }) => {
            let text = match refusal_of(message, *limit_bytes, detected) {
                Some(r) => refusal_text(cx, &r),
                None => cx.t(msg!("files-fetch-failed")),
            };
            return Ok(Step::retry(text, state));
        }
        Some(Fetched::Failed) | None => {
            return Ok(Step::retry(cx.t(msg!("files-fetch-failed")), state))
        }
    };
    let Some(file) = service::get(conn, id).await? else {
        return Ok(Step::retry(cx.t(msg!("files-fetch-failed")), state));
    };
    if let Some(step) = taken_by_step(cx, conn, member, &state, &file).await? {
        return Ok(step);
    }
    ask_where(cx, conn, member, state, &file, open).await
}

/// A feature's waiting step that asked for files takes it (`Feature::on_file`: a meeting's
/// minutes, a photo of the sign-in sheet; an activity's or a notice's preview).
async fn taken_by_step(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    file: &Attachment,
) -> Result<Option<Step>, StoreError> {
    match state {
        State::Feature { feature, data } => match cx.engine.features.named(feature) {
            Some(f) => f.on_file(cx, conn, member, data, file.id).await,
            None => Ok(None),
        },
        _ => Ok(None),
    }
}

/// A file sent while a meeting's minutes are asked for (a photo of the sign-in sheet): it and
/// the rest of its batch are filed to the meeting's record. The text says so and that the
/// minutes may follow; None when `member` may not add to that record (the file is then asked
/// about as any file is).
pub async fn attach_to_minutes(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    meeting_id: i64,
    attachment: i64,
) -> Result<Option<String>, StoreError> {
    let Some(file) = service::get(conn, attachment).await? else {
        return Ok(None);
    };
    let target = Target::Meeting(meeting_id);
    let Some(label) = targets::allowed(cx, conn, member, target).await? else {
        return Ok(None);
    };
    let batch = attach(cx, conn, member, &file, target).await?;
    Ok(Some(format!(
        "{}\n{}",
        attached_text(cx, &label, &batch),
        cx.t(msg!("files-minutes-go-on"))
    )))
}

/// "收到照片。归到哪里？" with a button per target and 不归档; the member's step is kept.
async fn ask_where(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: State,
    file: &Attachment,
    _open: &mut questions::Open,
) -> Result<Step, StoreError> {
    let pending = batch_of(cx, conn, member, file).await?;
    let counts = counts_text(cx, &pending);
    let offered = targets::of(cx, conn, member).await?;
    if offered.is_empty() {
        return Ok(Step::retry(
            cx.r(msg!("files-nowhere"), &[("counts", counts.into())]),
            state,
        ));
    }
    let mut choices: Vec<Choice> = offered
        .into_iter()
        .map(|o| Choice {
            data: Button::Attach {
                file: file.id,
                target: o.target,
            }
            .encode(),
            label: o.label,
            aliases: Vec::new(),
        })
        .collect();
    choices.push(cx.choice(Button::Keep { file: file.id }.encode(), msg!("files-keep")));
    let reply = Reply::with_choices(
        cx.r(msg!("files-where"), &[("counts", counts.into())]),
        choices,
    );
    Ok(Step::new(vec![reply], state))
}

/// A tap on one of the buttons of [`ask_where`].
pub async fn chosen(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    state: &State,
    value: &str,
) -> Result<Step, StoreError> {
    let keep = |text: String| Step::new(vec![Reply::text(text)], state.clone());
    let Some(button) = Button::decode(value) else {
        return Ok(keep(cx.t(msg!("error-stale-choice"))));
    };
    let file = match service::get(conn, button.file()).await? {
        Some(f) if f.uploaded_by == Some(member.id) => f,
        _ => return Ok(keep(cx.t(msg!("error-stale-choice")))),
    };
    if file.owner.is_some() {
        return Ok(keep(cx.t(msg!("files-already-attached"))));
    }
    match button {
        Button::Keep { .. } => Ok(keep(cx.t(msg!("files-kept")))),
        Button::Attach { target, .. } => {
            let Some(label) = targets::allowed(cx, conn, member, target).await? else {
                return Ok(keep(cx.t(msg!("files-not-allowed"))));
            };
            let batch = attach(cx, conn, member, &file, target).await?;
            Ok(keep(attached_text(cx, &label, &batch)))
        }
    }
}

/// The member's files not attached yet that go with `file`: itself and those sent in the
/// [`BATCH_MS`] before now, oldest first.
async fn batch_of(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    file: &Attachment,
) -> Result<Vec<Attachment>, StoreError> {
    let since = DateTime::from_timestamp_millis(cx.now_ms - BATCH_MS).unwrap_or_default();
    let mut batch = service::unlinked_of(conn, member.id, since).await?;
    if !batch.iter().any(|a| a.id == file.id) && file.owner.is_none() {
        batch.push(file.clone());
    }
    batch.sort_by_key(|a| a.id);
    Ok(batch)
}

/// Attaches `file` and the rest of its batch to `target`; returns what was attached.
async fn attach(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    file: &Attachment,
    target: Target,
) -> Result<Vec<Attachment>, StoreError> {
    let batch = batch_of(cx, conn, member, file).await?;
    for a in &batch {
        service::link(conn, a.id, target.owner()).await?;
    }
    Ok(batch)
}

/// The files of `ids` that exist, in that order.
pub async fn of_ids(conn: &mut Conn, ids: &[i64]) -> Result<Vec<Attachment>, StoreError> {
    let mut files = Vec::new();
    for id in ids {
        if let Some(a) = service::get(conn, *id).await? {
            files.push(a);
        }
    }
    Ok(files)
}

/// Attaches the files of `ids` that `member` sent and that are not attached yet to `target`
/// (a step that collected them, such as an activity's preview); returns those attached.
pub async fn attach_ids(
    conn: &mut Conn,
    member: &Member,
    ids: &[i64],
    target: Target,
) -> Result<Vec<Attachment>, StoreError> {
    let mut attached = Vec::new();
    for a in of_ids(conn, ids).await? {
        if a.owner.is_none() && a.uploaded_by == Some(member.id) {
            service::link(conn, a.id, target.owner()).await?;
            attached.push(a);
        }
    }
    Ok(attached)
}

/// "已附到 11月12日 支部党员大会 的记录：照片 2 张".
pub fn attached_text(cx: &Ctx<'_>, label: &str, batch: &[Attachment]) -> String {
    cx.r(
        msg!("files-attached"),
        &[
            ("what", label.into()),
            ("counts", counts_text(cx, batch).into()),
        ],
    )
}

/// "照片 2 张、文件 1 个" ("2 photos, 1 file").
pub fn counts_text(cx: &Ctx<'_>, files: &[Attachment]) -> String {
    let photos = files
        .iter()
        .filter(|a| matches!(a.kind, Kind::Photo))
        .count();
    let documents = files.len() - photos;
    count_words(cx, photos, documents)
}

/// [`counts_text`] from the two counts.
pub fn count_words(cx: &Ctx<'_>, photos: usize, documents: usize) -> String {
    let mut parts = Vec::new();
    if photos > 0 {
        parts.push(cx.r(msg!("files-count-photos"), &[("count", photos.into())]));
    }
    if documents > 0 {
        parts.push(cx.r(
            msg!("files-count-documents"),
            &[("count", documents.into())],
        ));
    }
    parts.join(&cx.t(msg!("cli-list-separator")))
}

/// The line of a meeting's record that says what it holds: "照片 2 张、文件 1 个", or None
/// when it has none.
pub async fn record_line(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    meeting_id: i64,
) -> Result<Option<String>, StoreError> {
    let files = service::list_for(conn, Owner::Meeting(meeting_id)).await?;
    if files.is_empty() {
        return Ok(None);
    }
    Ok(Some(cx.r(
        msg!("files-record-line"),
        &[("counts", counts_text(cx, &files).into())],
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_reads_back_as_itself_within_telegrams_64_bytes() {
        let big = i64::MAX;
        let buttons = [
            Button::Attach {
                file: big,
                target: Target::Meeting(big),
            },
            Button::Attach {
                file: 7,
                target: Target::CheckIn(3),
            },
            Button::Attach {
                file: big,
                target: Target::Activity(big),
            },
            Button::Keep { file: big },
        ];
        for b in buttons {
            let data = b.encode();
            assert!(
                data.len() <= MAX_DATA_BYTES,
                "{data} is {} bytes",
                data.len()
            );
            let value = data.strip_prefix("att:").unwrap();
            assert_eq!(Button::decode(value), Some(b), "{data}");
        }
    }

    #[test]
    fn data_this_version_never_wrote_is_not_read_as_a_button() {
        for value in [
            "", "m", "m:1", "x", "x:1:2", "q:1:2", "m:a:2", "m:1:2:3", "c:1:-",
        ] {
            assert_eq!(Button::decode(value), None, "{value:?}");
        }
    }
}
