//! The XML WeCom posts, read with a real parser (quick-xml): the outer envelope
//! (`ToUserName`, `AgentID`, `Encrypt`) and the decrypted message or event. Only the root's
//! direct children are read; entities and CDATA are resolved; a DOCTYPE, an unknown entity,
//! mismatched tags or a truncated document are errors.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

/// The longest message text kept from WeCom (its own limit for a text is 2,048 bytes).
pub const MAX_FIELD_BYTES: usize = 64 * 1024;

/// The root's children by name, their text content.
pub fn fields(xml: &str) -> Result<HashMap<String, String>, String> {
    let mut reader = Reader::from_str(xml);
    let mut depth = 0usize;
    let mut roots = 0usize;
    let mut current: Option<String> = None;
    let mut text = String::new();
    let mut out = HashMap::new();
    loop {
        let event = reader.read_event().map_err(|e| format!("not XML: {e}"))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                if depth == 1 {
                    roots += 1;
                    if roots > 1 {
                        return Err("more than one root element".into());
                    }
                } else if depth == 2 {
                    let name = AsRef::<str>::as_ref(&e.local_name()).to_owned();
                    current = Some(name);
                    text.clear();
                }
            }
            Event::Empty(e) => {
                if depth == 0 {
                    roots += 1;
                    if roots > 1 {
                        return Err("more than one root element".into());
                    }
                } else if depth == 1 {
                    let name = AsRef::<str>::as_ref(&e.local_name()).to_owned();
                    out.insert(name, String::new());
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some(name) = current.take() {
                        out.insert(name, std::mem::take(&mut text));
                    }
                }
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| "an end tag without a start".to_owned())?;
            }
            Event::Text(t) if depth == 2 => {
                let content = t.xml10_content();
                push(&mut text, &content)?;
            }
            Event::CData(t) if depth == 2 => {
                let content = t.xml10_content();
                push(&mut text, &content)?;
            }
            Event::GeneralRef(r) if depth == 2 => {
                let name = r.into_inner();
                let escaped = format!("&{name};");
                let resolved = quick_xml::escape::unescape(&escaped)
                    .map_err(|e| format!("unknown entity {escaped}: {e}"))?
                    .into_owned();
                push(&mut text, &resolved)?;
            }
            Event::GeneralRef(r) if depth != 2 => {
                let name = r.into_inner();
                let escaped = format!("&{name};");
                if quick_xml::escape::unescape(&escaped).is_err() {
                    return Err(format!("unknown entity {escaped}"));
                }
            }
            Event::Text(t) if depth == 0 && !t.xml10_content().trim().is_empty() => {
                return Err("text outside the root element".into());
            }
            Event::DocType(_) => return Err("a DOCTYPE is not accepted".into()),
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 || roots == 0 {
        return Err("truncated XML".into());
    }
    Ok(out)
}

fn push(text: &mut String, more: &str) -> Result<(), String> {
    if text.len() + more.len() > MAX_FIELD_BYTES {
        return Err("a field is too long".into());
    }
    text.push_str(more);
    Ok(())
}

/// The outer envelope of a callback POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub to: Option<String>,
    pub agent_id: Option<String>,
    pub encrypt: String,
}

/// Reads the envelope; its `Encrypt` is required.
pub fn envelope(xml: &str) -> Result<Envelope, String> {
    let mut f = fields(xml)?;
    let encrypt = f
        .remove("Encrypt")
        .map(|e| e.trim().to_owned())
        .filter(|e| !e.is_empty())
        .ok_or_else(|| "no Encrypt element".to_owned())?;
    Ok(Envelope {
        to: f.remove("ToUserName"),
        agent_id: f.remove("AgentID"),
        encrypt,
    })
}

/// What a decrypted callback says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A text the member typed.
    Text {
        from: String,
        msg_id: String,
        content: String,
        create_time: String,
    },
    /// A button of a card was clicked (`template_card_event`).
    CardClick {
        from: String,
        create_time: String,
        /// The button's key: the choice's data.
        key: String,
        task_id: String,
        /// Lets the card be updated once (`update_template_card`), within 72 hours.
        response_code: Option<String>,
    },
    /// The member opened the app (`enter_agent`).
    EnterAgent { from: String, create_time: String },
    /// A picture (`image`) or a file (`file`): fetched with `media/get` by its `MediaId`,
    /// which WeCom keeps for three days.
    Media {
        from: String,
        msg_id: String,
        create_time: String,
        media_id: String,
        photo: bool,
        /// The file's name, when the callback names it.
        name: Option<String>,
    },
    /// A voice message, a video, a location…: not something the bot reads.
    Unsupported {
        from: String,
        msg_id: String,
        create_time: String,
    },
    /// An event the bot does not act on (subscribe, a menu view, an approval…).
    Ignored,
}

impl Message {
    /// The inbox's dedupe key: the `MsgId` of a message; for an event (which has none) the
    /// sender, time and what it was, as WeCom's documentation recommends.
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            Self::Text { msg_id, .. }
            | Self::Media { msg_id, .. }
            | Self::Unsupported { msg_id, .. } => Some(format!("msg:{msg_id}")),
            Self::CardClick {
                from,
                create_time,
                task_id,
                key,
                ..
            } => Some(format!("card:{from}:{create_time}:{task_id}:{key}")),
            Self::EnterAgent { from, create_time } => Some(format!("enter:{from}:{create_time}")),
            Self::Ignored => None,
        }
    }

    /// Who sent it.
    pub fn from(&self) -> Option<&str> {
        match self {
            Self::Text { from, .. }
            | Self::CardClick { from, .. }
            | Self::EnterAgent { from, .. }
            | Self::Media { from, .. }
            | Self::Unsupported { from, .. } => Some(from),
            Self::Ignored => None,
        }
    }
}

/// Reads a decrypted callback.
pub fn message(xml: &str) -> Result<Message, String> {
    let mut f = fields(xml)?;
    let mut take = |name: &str| f.remove(name).map(|v| v.trim().to_owned());
    let msg_type = take("MsgType").ok_or_else(|| "no MsgType".to_owned())?;
    let from = take("FromUserName").filter(|s| !s.is_empty());
    let create_time = take("CreateTime").unwrap_or_default();
    let need_from = |from: Option<String>| from.ok_or_else(|| "no FromUserName".to_owned());
    Ok(match msg_type.as_str() {
        "text" => {
            let msg_id = take("MsgId")
                .filter(|s| !s.is_empty())
                .ok_or_else(|| "a text without MsgId".to_owned())?;
            Message::Text {
                from: need_from(from)?,
                msg_id,
                // The text itself is not trimmed: spaces may matter to a flow.
                content: f.remove("Content").unwrap_or_default(),
                create_time,
            }
        }
        "event" => match take("Event").unwrap_or_default().as_str() {
            "template_card_event" => Message::CardClick {
                from: need_from(from)?,
                create_time,
                key: take("EventKey")
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| "a card click without EventKey".to_owned())?,
                task_id: take("TaskId").unwrap_or_default(),
                response_code: take("ResponseCode").filter(|s| !s.is_empty()),
            },
            "enter_agent" => Message::EnterAgent {
                from: need_from(from)?,
                create_time,
            },
            _ => Message::Ignored,
        },
        "image" | "file" => {
            let msg_id = take("MsgId").filter(|s| !s.is_empty());
            let media_id = take("MediaId").filter(|s| !s.is_empty());
            match (msg_id, media_id) {
                (Some(msg_id), Some(media_id)) => Message::Media {
                    from: need_from(from)?,
                    msg_id,
                    create_time,
                    media_id,
                    photo: msg_type == "image",
                    name: take("FileName")
                        .or_else(|| take("Title"))
                        .filter(|s| !s.is_empty()),
                },
                (Some(msg_id), None) => Message::Unsupported {
                    from: need_from(from)?,
                    msg_id,
                    create_time,
                },
                _ => Message::Ignored,
            }
        }
        "voice" | "video" | "location" | "link" => match take("MsgId") {
            Some(msg_id) if !msg_id.is_empty() => Message::Unsupported {
                from: need_from(from)?,
                msg_id,
                create_time,
            },
            _ => Message::Ignored,
        },
        _ => Message::Ignored,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_text_message_is_read() {
        let xml = "<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n\
            <FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n\
            <MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n\
            <MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>";
        let m = message(xml).unwrap();
        assert_eq!(
            m,
            Message::Text {
                from: "mycreate".into(),
                msg_id: "4561255354251345929".into(),
                content: "hello".into(),
                create_time: "1409659813".into(),
            }
        );
        assert_eq!(m.dedupe_key().unwrap(), "msg:4561255354251345929");
    }

    #[test]
    fn entities_and_cdata_are_resolved_and_nested_elements_ignored() {
        let xml = "<xml><FromUserName>T004</FromUserName><MsgType>text</MsgType>\
            <Content>2 出差 &amp; 开会 &#x4E2D;<![CDATA[<b>]]></Content><MsgId>7</MsgId>\
            <Extra><Inner>x</Inner></Extra></xml>";
        match message(xml).unwrap() {
            Message::Text { content, .. } => assert_eq!(content, "2 出差 & 开会 中<b>"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_card_click_and_entering_the_app_are_events_with_their_own_keys() {
        let click = "<xml><ToUserName>ww1</ToUserName><FromUserName>T004</FromUserName>\
            <CreateTime>1700000000</CreateTime><MsgType>event</MsgType>\
            <Event>template_card_event</Event><EventKey>rsvp:3:leave</EventKey>\
            <TaskId>bb-42</TaskId><CardType>button_interaction</CardType>\
            <ResponseCode>rc-1</ResponseCode><AgentID>1000002</AgentID></xml>";
        let m = message(click).unwrap();
        assert_eq!(
            m,
            Message::CardClick {
                from: "T004".into(),
                create_time: "1700000000".into(),
                key: "rsvp:3:leave".into(),
                task_id: "bb-42".into(),
                response_code: Some("rc-1".into()),
            }
        );
        assert_eq!(
            m.dedupe_key().unwrap(),
            "card:T004:1700000000:bb-42:rsvp:3:leave"
        );
        let enter = "<xml><FromUserName>T004</FromUserName><CreateTime>1</CreateTime>\
            <MsgType>event</MsgType><Event>enter_agent</Event><EventKey/></xml>";
        assert_eq!(
            message(enter).unwrap().dedupe_key().unwrap(),
            "enter:T004:1"
        );
        let other = "<xml><FromUserName>T004</FromUserName><MsgType>event</MsgType>\
            <Event>subscribe</Event></xml>";
        assert_eq!(message(other).unwrap(), Message::Ignored);
        let image = "<xml><FromUserName>T004</FromUserName><MsgType>image</MsgType>\
            <PicUrl>x</PicUrl><MsgId>9</MsgId></xml>";
        assert!(matches!(
            message(image).unwrap(),
            Message::Unsupported { .. }
        ));
        let image = "<xml><FromUserName>T004</FromUserName><MsgType>image</MsgType>\
            <PicUrl>x</PicUrl><MediaId><![CDATA[m-1]]></MediaId><MsgId>10</MsgId></xml>";
        let m = message(image).unwrap();
        assert_eq!(
            m,
            Message::Media {
                from: "T004".into(),
                msg_id: "10".into(),
                create_time: String::new(),
                media_id: "m-1".into(),
                photo: true,
                name: None,
            }
        );
        assert_eq!(m.dedupe_key().unwrap(), "msg:10");
        let voice = "<xml><FromUserName>T004</FromUserName><MsgType>voice</MsgType>\
            <MediaId>v</MediaId><MsgId>11</MsgId></xml>";
        assert!(matches!(
            message(voice).unwrap(),
            Message::Unsupported { .. }
        ));
    }

    #[test]
    fn malformed_documents_are_errors_not_panics() {
        for bad in [
            "",
            "hello",
            "<xml>",
            "<xml><Encrypt>abc</Encrypt>",
            "<xml><Encrypt>abc</Other></xml>",
            "<xml></xml><xml></xml>",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><Content>&e;</Content></xml>",
            "<xml><Content>&nope;</Content></xml>",
            "<xml><MsgType>text</MsgType><FromUserName>a</FromUserName></xml>",
            "<xml><MsgType>event</MsgType><Event>template_card_event</Event><FromUserName>a</FromUserName></xml>",
        ] {
            assert!(message(bad).is_err(), "{bad}");
        }
        assert!(envelope("<xml><ToUserName>x</ToUserName></xml>").is_err());
        let e = envelope(
            "<xml><ToUserName><![CDATA[ww1]]></ToUserName><Encrypt><![CDATA[abc=]]></Encrypt>\
             <AgentID><![CDATA[218]]></AgentID></xml>",
        )
        .unwrap();
        assert_eq!(e.encrypt, "abc=");
        assert_eq!(e.agent_id.as_deref(), Some("218"));
    }

    #[test]
    fn cut_documents_never_panic_the_reader() {
        let xml = "<xml><FromUserName><![CDATA[T004]]></FromUserName><MsgType>text</MsgType>\
            <Content>回复 &amp; 2 出差</Content><MsgId>1</MsgId></xml>";
        for (i, _) in xml.char_indices() {
            let _ = message(&xml[..i]);
            let _ = message(&xml[i..]);
        }
        assert!(message(xml).is_ok());
    }
}
