//! Property-based fuzzing of every parser that reads what someone outside typed or sent: the
//! Telegram webhook body, the three SMS gateways' webhooks (signature and body), the WeCom
//! callback (end to end, on the running application), the roster CSV, crontab expressions,
//! typed answers, reporting periods and 党费 amounts and months.
//!
//! Each property runs a bounded number of cases in `cargo test` (a few seconds in a debug
//! build). To search longer, set `PROPTEST_CASES`, e.g.
//! `PROPTEST_CASES=100000 cargo test --release --test fuzz`. A failure prints the smallest
//! input found; it becomes a plain regression test beside the code it broke.

use axum::http::{HeaderMap, HeaderValue};
use branchbot::channels::sms::{android, generic, twilio, Event, Received, Request, Webhook};
use branchbot::channels::telegram::webhook;
use branchbot::config::sms::Secret;
use branchbot::domain::period::{Period, PeriodError};
use branchbot::domain::roster;
use branchbot::flows::{match_choice, Choice, Content};
use branchbot::i18n::Locale;
use branchbot::scheduler::crontab::Crontab;
use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::json;

/// `cases` unless `PROPTEST_CASES` says otherwise; failures are reported, not saved to files.
fn config(cases: u32) -> ProptestConfig {
    let mut c = ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = cases;
    }
    c
}

/// Any text, with a good share of the characters that break parsers: separators, quotes,
/// full-width forms, letters that change length in lower case, control characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                ' ', ',', '"', '\n', '\r', '.', '-', ':', '=', '&', '%', '+', '{', '}', '[', ']',
                '0', '1', '2', '9', 'Q', 'q', '*', '/', '@', 'L', '#', 'İ', 'ẞ', '１', '（', '：',
                '　', '参', '加', '请', '假', '\u{0}', '\u{FEFF}',
            ]),
        ],
        0..40,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

// ---- Telegram -------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_bytes_posted_to_the_telegram_webhook_are_read_or_refused_without_a_panic(
        body in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let _ = webhook::read(&body);
    }

    #[test]
    fn a_private_text_update_is_read_as_that_text_from_that_chat(
        update_id in 0u64..=u64::from(u32::MAX),
        chat in 1i64..i64::MAX / 2,
        text in text(),
        lang in "[a-z]{0,3}(-[A-Za-z]{0,4})?",
    ) {
        let body = json!({
            "update_id": update_id,
            "message": {
                "message_id": 7, "date": 1_764_000_000,
                "chat": {"id": chat, "type": "private", "first_name": "T"},
                "from": {"id": chat, "is_bot": false, "first_name": "T", "language_code": lang},
                "text": text,
            }
        })
        .to_string();
        let (id, item) = webhook::read(body.as_bytes()).expect("a genuine update");
        prop_assert_eq!(id, update_id.to_string());
        let item = item.expect("a private message is read");
        prop_assert_eq!(item.inbound.address, chat.to_string());
        prop_assert_eq!(item.inbound.content, Content::Text { text });
    }

    #[test]
    fn a_telegram_update_with_one_field_replaced_by_anything_does_not_panic(
        path in prop::sample::select(vec![
            "/update_id", "/message", "/message/chat", "/message/chat/id", "/message/chat/type",
            "/message/from", "/message/text", "/message/date", "/callback_query",
            "/callback_query/data", "/callback_query/from/id", "/callback_query/message",
        ]),
        replacement in prop_oneof![
            Just(json!(null)), Just(json!([])), Just(json!({})), Just(json!(-1)),
            Just(json!(1e308)), Just(json!("group")), Just(json!(u64::MAX)), text().prop_map(|t| json!(t)),
        ],
        callback in any::<bool>(),
    ) {
        let mut update = if callback {
            json!({"update_id": 3, "callback_query": {
                "id": "cb", "chat_instance": "1", "data": "a",
                "from": {"id": 5, "is_bot": false, "first_name": "T"},
                "message": {"message_id": 1, "date": 1, "chat": {"id": 5, "type": "private", "first_name": "T"}, "text": "x"}
            }})
        } else {
            json!({"update_id": 3, "message": {
                "message_id": 1, "date": 1, "text": "x",
                "chat": {"id": 5, "type": "private", "first_name": "T"},
                "from": {"id": 5, "is_bot": false, "first_name": "T"}
            }})
        };
        if let Some(slot) = update.pointer_mut(path) {
            *slot = replacement;
        }
        let _ = webhook::read(update.to_string().as_bytes());
    }
}

// ---- SMS webhooks ---------------------------------------------------------------------------

const TOKEN: &str = "twilio-token";
const ACCOUNT: &str = "AC00000000000000000000000000000000";
const URL: &str = "https://bot.example.org/sms/twilio/inbound";
const KEY: &str = "webhook-key";
const NOW: i64 = 1_800_000_000;

fn req<'a>(headers: &'a HeaderMap, body: &'a [u8]) -> Request<'a> {
    Request {
        headers,
        query: None,
        body,
        now_secs: NOW,
    }
}

fn twilio_hook() -> twilio::TwilioWebhook {
    twilio::TwilioWebhook::new(Secret::new(TOKEN), URL.into(), ACCOUNT.into())
}

fn form(pairs: &[(String, String)]) -> Vec<u8> {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
        .into_bytes()
}

fn twilio_headers(signed: &[(String, String)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    h.insert(
        twilio::HEADER,
        HeaderValue::from_str(&twilio::signature(TOKEN, URL, signed)).unwrap(),
    );
    h
}

/// A genuine inbound message as Twilio posts it, its parameters sorted by name.
fn twilio_message() -> impl Strategy<Value = Vec<(String, String)>> {
    (
        "[0-9a-f]{32}",
        "\\+[1-9][0-9]{6,13}",
        text(),
        prop::option::of("[A-Z]{2,8}"),
        0u32..3,
    )
        .prop_map(|(hex, from, body, city, media)| {
            let sid = format!("SM{hex}");
            let mut p = vec![
                ("AccountSid".to_owned(), ACCOUNT.to_owned()),
                ("ApiVersion".to_owned(), "2010-04-01".to_owned()),
                ("Body".to_owned(), body),
                ("From".to_owned(), from),
                ("MessageSid".to_owned(), sid.clone()),
                ("NumMedia".to_owned(), media.to_string()),
                ("SmsMessageSid".to_owned(), sid.clone()),
                ("SmsSid".to_owned(), sid),
                ("SmsStatus".to_owned(), "received".to_owned()),
                ("To".to_owned(), "+15005550006".to_owned()),
            ];
            if let Some(city) = city {
                p.push(("FromCity".to_owned(), city));
            }
            p.sort();
            p
        })
}

/// Moves `n` characters across boundary `at` of the flattened name, value, name, value… list:
/// the re-split an attacker can make without changing what the signature covers.
fn shift(params: &[(String, String)], at: usize, n: usize, forward: bool) -> Vec<(String, String)> {
    let mut tokens: Vec<String> = params
        .iter()
        .flat_map(|(k, v)| [k.clone(), v.clone()])
        .collect();
    let at = at % (tokens.len() - 1);
    let (from, to) = if forward { (at, at + 1) } else { (at + 1, at) };
    for _ in 0..n {
        let moved = if forward {
            tokens[from].pop()
        } else if tokens[from].is_empty() {
            None
        } else {
            Some(tokens[from].remove(0))
        };
        let Some(c) = moved else { break };
        if forward {
            tokens[to].insert(0, c);
        } else {
            tokens[to].push(c);
        }
    }
    tokens
        .chunks(2)
        .map(|kv| (kv[0].clone(), kv[1].clone()))
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_genuine_twilio_message_is_read_as_sent(params in twilio_message()) {
        let headers = twilio_headers(&params);
        let body = form(&params);
        let hook = twilio_hook();
        prop_assert_eq!(hook.verify(&req(&headers, &body)), Ok(()));
        let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap();
        let event = hook.parse(&req(&headers, &body));
        prop_assert_eq!(
            event,
            Ok(Event::Message(Received {
                id: get("MessageSid"),
                from: get("From"),
                text: get("Body"),
                media: get("NumMedia") != "0",
            }))
        );
    }

    /// The property behind the Twilio finding: re-splitting the signed text keeps the signature
    /// valid, so whatever passes must be the very message that was signed (a replay of its
    /// sid), never a new one or another text.
    #[test]
    fn a_twilio_message_with_shifted_boundaries_is_refused_or_the_same_message(
        params in twilio_message(),
        at in any::<usize>(),
        n in 1usize..6,
        forward in any::<bool>(),
    ) {
        let headers = twilio_headers(&params);
        let genuine = twilio_hook().parse(&req(&headers, &form(&params)));
        let shifted = shift(&params, at, n, forward);
        let body = form(&shifted);
        let hook = twilio_hook();
        if hook.verify(&req(&headers, &body)).is_ok() {
            if let Ok(event) = hook.parse(&req(&headers, &body)) {
                prop_assert_eq!(Ok(event), genuine, "{:?}", shifted);
            }
        }
    }

    #[test]
    fn any_signed_twilio_form_is_read_or_refused_without_a_panic(
        pairs in prop::collection::vec((text(), text()), 0..8),
    ) {
        let headers = twilio_headers(&pairs);
        let body = form(&pairs);
        let hook = twilio_hook();
        prop_assert_eq!(hook.verify(&req(&headers, &body)), Ok(()));
        let _ = hook.parse(&req(&headers, &body));
    }

    #[test]
    fn any_signed_generic_or_android_body_is_read_or_refused_without_a_panic(
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..200),
            (text(), text(), text(), prop::option::of(text())).prop_map(|(id, from, t, status)| {
                let mut v = json!({"id": id, "from": from, "text": t});
                if let Some(s) = status { v = json!({"id": v["id"], "status": s, "error": from}); }
                v.to_string().into_bytes()
            }),
            (text(), text(), text()).prop_map(|(event, id, msg)| json!({
                "event": event, "id": id,
                "payload": {"messageId": id, "message": msg, "phoneNumber": msg, "sender": msg}
            }).to_string().into_bytes()),
        ],
    ) {
        let stamp = NOW.to_string();
        let mut g = HeaderMap::new();
        g.insert(generic::SIGNATURE_HEADER, generic::sign(KEY, &body, &stamp).parse().unwrap());
        g.insert(generic::TIMESTAMP_HEADER, stamp.parse().unwrap());
        let hook = generic::GenericWebhook::new(Secret::new(KEY), 300);
        prop_assert_eq!(hook.verify(&req(&g, &body)), Ok(()));
        let _ = hook.parse(&req(&g, &body));

        let mut a = HeaderMap::new();
        a.insert(android::SIGNATURE_HEADER, android::sign(KEY, &body, &stamp).parse().unwrap());
        a.insert(android::TIMESTAMP_HEADER, stamp.parse().unwrap());
        let hook = android::AndroidWebhook::new(Secret::new(KEY), 300);
        prop_assert_eq!(hook.verify(&req(&a, &body)), Ok(()));
        let _ = hook.parse(&req(&a, &body));
    }

    /// Moving digits between the body and the timestamp keeps the generic signature: the
    /// result must be refused (not JSON, not digits, or far outside the window) or be the
    /// same request.
    #[test]
    fn a_generic_request_with_digits_moved_between_body_and_timestamp_is_refused(
        id in "[a-z0-9-]{1,12}",
        t in text(),
        n in 1usize..10,
        into_body in any::<bool>(),
        now_off in -300i64..300,
    ) {
        let body = json!({"from": "+8613800010004", "text": t, "id": id}).to_string();
        let stamp = NOW.to_string();
        let sig = generic::sign(KEY, body.as_bytes(), &stamp);
        let joined = format!("{body}{stamp}");
        let cut = if into_body { body.len() + n.min(stamp.len()) } else { body.len().saturating_sub(n) };
        if !joined.is_char_boundary(cut) { return Ok(()); }
        let (b2, s2) = joined.split_at(cut);
        let Ok(s2v) = HeaderValue::from_str(s2) else { return Ok(()) };
        let mut h = HeaderMap::new();
        h.insert(generic::SIGNATURE_HEADER, sig.parse().unwrap());
        h.insert(generic::TIMESTAMP_HEADER, s2v);
        let hook = generic::GenericWebhook::new(Secret::new(KEY), 300);
        let r = Request { headers: &h, query: None, body: b2.as_bytes(), now_secs: NOW + now_off };
        if hook.verify(&r).is_ok() {
            prop_assert!(hook.parse(&r).is_err(), "accepted {b2:?} at {s2:?}");
        }
    }
}

// ---- Roster, crontab, typed answers, periods ------------------------------------------------

/// A roster line with each cell either plausible or anything.
fn roster_line() -> impl Strategy<Value = String> {
    let cell = |plausible: Vec<&'static str>| {
        prop_oneof![
            3 => prop::sample::select(plausible).prop_map(str::to_owned),
            1 => text(),
        ]
    };
    (
        cell(vec!["T001", "T002", "S101", "t001", ""]),
        cell(vec!["王建国", "Emily Carter", "\"李, 秀英\"", ""]),
        cell(vec!["教工第一党支部", "学生党支部", ""]),
        cell(vec!["teacher", "student", "retired", ""]),
        cell(vec!["第一党小组", ""]),
        cell(vec!["书记", "党员", "secretary", "member", ""]),
        cell(vec![
            "13800010001",
            "+8613800010002",
            "138-0001-0003",
            "",
            "123",
        ]),
        cell(vec!["zh-CN", "en", ""]),
        cell(vec!["是", "否", "yes", ""]),
    )
        .prop_map(|c| [c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8].join(","))
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn any_roster_file_is_read_or_refused_with_problems_on_real_lines(
        lines in prop::collection::vec(roster_line(), 0..12),
        bom in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let mut file = String::from("key,name,branch,branch_kind,group,role,mobile,locale,college");
        for l in &lines {
            file.push_str(if crlf { "\r\n" } else { "\n" });
            file.push_str(l);
        }
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(file.as_bytes());
        match roster::parse(&bytes, Locale::ZhCn) {
            Ok(r) => prop_assert!(r.members.len() <= lines.len()),
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                // A problem names a line of the file, or the one after the last ("no members").
                let physical = file.split('\n').count();
                for p in &problems {
                    prop_assert!(p.line >= 1 && p.line <= physical + 1, "{p:?} of {physical}");
                }
            }
        }
    }

    #[test]
    fn any_bytes_as_a_roster_are_read_or_refused_without_a_panic(
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let _ = roster::parse(&bytes, Locale::En);
    }

    #[test]
    fn any_crontab_text_is_read_or_refused_without_a_panic(
        t in prop_oneof![
            text(),
            prop::collection::vec(
                prop::sample::select(vec!["*", "*/15", "0", "59", "1-5", "L", "5#2", "MON-FRI", "1,15", "60", "-1", "*/0", "31", "2", "JAN", "7", "0-7/2"]),
                0..7,
            ).prop_map(|f| f.join(" ")),
        ],
    ) {
        let _ = Crontab::parse(&t);
    }

    /// Every expression that parses fires, and each fire time is after the instant asked
    /// about and fires again later.
    #[test]
    fn a_valid_crontab_fires_after_any_instant(
        minute in prop::sample::select(vec!["*", "0", "*/7", "5,35", "58-59"]),
        hour in prop::sample::select(vec!["*", "0", "9-17", "*/5", "23"]),
        dom in prop::sample::select(vec!["*", "1", "L", "29", "31", "15-16"]),
        month in prop::sample::select(vec!["*", "2", "*/3", "12", "JAN-MAR"]),
        dow in prop::sample::select(vec!["*", "0", "7", "MON-FRI", "5#5", "1#1", "SAT,SUN"]),
        after in 946_684_800i64..4_102_444_800,
        tz in prop::sample::select(vec![chrono_tz::Asia::Shanghai, chrono_tz::Europe::Berlin, chrono_tz::UTC]),
    ) {
        let text = format!("{minute} {hour} {dom} {month} {dow}");
        let Ok(tab) = Crontab::parse(&text) else { return Ok(()) };
        let after = DateTime::<Utc>::from_timestamp(after, 0).unwrap();
        let next = tab.next_after(tz, after);
        prop_assert!(next.is_some(), "{text} never fires after {after}");
        let next = next.unwrap();
        prop_assert!(next > after, "{text}: {next} is not after {after}");
        prop_assert!(tab.next_after(tz, next).is_some_and(|n| n > next));
    }

    #[test]
    fn any_typed_answer_is_matched_or_not_without_a_panic(
        typed in text(),
        labels in prop::collection::vec(text(), 0..4),
    ) {
        let choices: Vec<Choice> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| Choice { data: i.to_string(), label: l.clone(), aliases: vec![l.to_uppercase()] })
            .collect();
        if let Some((c, _rest)) = match_choice(&choices, &typed) {
            prop_assert!(choices.iter().any(|x| x.data == c.data));
        }
    }

    /// A number, or a label in any case, followed by a reason, chooses that option and keeps
    /// the reason.
    #[test]
    fn a_typed_number_or_label_with_a_reason_chooses_that_option(
        pick in 0usize..3,
        by_number in any::<bool>(),
        upper in any::<bool>(),
        reason in "[a-zA-Z\u{4e00}-\u{4e20}İẞ]{1,12}",
    ) {
        let labels = ["参加", "请假", "Leave early"];
        let choices: Vec<Choice> = labels
            .iter()
            .enumerate()
            .map(|(i, l)| Choice { data: i.to_string(), label: (*l).to_owned(), aliases: vec![(*l).to_owned()] })
            .collect();
        let head = if by_number {
            (pick + 1).to_string()
        } else if upper {
            labels[pick].to_uppercase()
        } else {
            labels[pick].to_owned()
        };
        let typed = format!("{head} {reason}");
        let got = match_choice(&choices, &typed).map(|(c, r)| (c.data.clone(), r));
        prop_assert_eq!(got, Some((pick.to_string(), reason)));
    }

    #[test]
    fn any_period_text_is_read_or_refused_without_a_panic(t in text()) {
        if let Ok(p) = t.parse::<Period>() {
            let (from, to) = p.bounds(chrono_tz::Asia::Shanghai);
            prop_assert!(from < to);
        }
    }

    /// Every range of days reads back as itself, and is refused exactly when it is longer
    /// than five years or ends before it starts.
    #[test]
    fn a_range_of_days_reads_back_or_is_refused_for_a_reason(
        start in 0i64..(200 * 365),
        len in -40i64..(7 * 366),
    ) {
        let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let from = base + chrono::Days::new(start as u64);
        let Some(to) = from.checked_add_signed(chrono::TimeDelta::days(len)) else { return Ok(()) };
        if to.format("%Y").to_string().parse::<i32>().unwrap() > 2200 { return Ok(()) }
        let typed = format!("{from}..{to}");
        match typed.parse::<Period>() {
            Ok(p) => {
                prop_assert!(to >= from);
                prop_assert!(to < from.checked_add_months(chrono::Months::new(60)).unwrap());
                prop_assert_eq!(p.to_string(), typed.clone());
                prop_assert_eq!(p.to_string().parse::<Period>(), Ok(p));
            }
            Err(PeriodError::Empty) => prop_assert!(to < from),
            Err(PeriodError::TooLong) => {
                prop_assert!(to >= from.checked_add_months(chrono::Months::new(60)).unwrap())
            }
            Err(PeriodError::Unknown) => prop_assert!(false, "{typed} not read"),
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// Any typed amount or month is read or refused, never a panic; a refused one never reads
    /// as money.
    #[test]
    fn any_typed_dues_amount_or_month_is_read_or_refused_without_a_panic(typed in text()) {
        if let Ok(a) = branchbot::dues::rules::Amount::parse(&typed) {
            prop_assert!(a.0 > 0 && a.0 <= branchbot::dues::rules::MAX_FEN, "{typed:?} → {a:?}");
        }
        if let Some(m) = branchbot::dues::rules::Month::parse(&typed) {
            prop_assert!((1..=12).contains(&m.month), "{typed:?} → {m:?}");
        }
    }

    /// Every amount in fen, written as yuan with one or two decimals, with or without the
    /// sign, reads back as exactly that many fen.
    #[test]
    fn every_amount_written_as_yuan_reads_back_as_the_same_fen(
        fen in 1i64..=branchbot::dues::rules::MAX_FEN,
        sign in prop_oneof![Just(""), Just("¥"), Just("￥")],
    ) {
        use branchbot::dues::rules::Amount;
        let two = format!("{sign}{}", Amount(fen));
        prop_assert_eq!(Amount::parse(&two), Ok(Amount(fen)));
        if fen % 10 == 0 {
            let one = format!("{}.{}", fen / 100, (fen % 100) / 10);
            prop_assert_eq!(Amount::parse(&one), Ok(Amount(fen)));
        }
    }
}

// ---- WeCom: the callback, end to end -------------------------------------------------------

use branchbot::testkit::fake_wecom::{self, Callbacks, FakeWecom};
use proptest::test_runner::TestRunner;

/// The skew the application allows between a callback's timestamp and now (the default).
const WECOM_SKEW: i64 = 300;

/// One request to `/wecom/callback`: a genuine, signed and encrypted message from a member,
/// then changed (or not) in one way.
#[derive(Debug, Clone)]
enum Change {
    /// Sent as WeCom signed it.
    None,
    /// One byte of the body replaced.
    BodyByte(prop::sample::Index, u8),
    /// One byte of the query replaced.
    QueryByte(prop::sample::Index, u8),
    /// The body cut short.
    BodyCut(prop::sample::Index),
    /// Text put into the body somewhere.
    BodyInsert(prop::sample::Index, String),
    /// Another body altogether, any bytes.
    BodyAny(Vec<u8>),
    /// Another query altogether, any text.
    QueryAny(String),
    /// Another timestamp, signed again with the real keys (as WeCom would) or not.
    Timestamp(i64, bool),
    /// Another nonce, signed again or not.
    Nonce(String, bool),
    /// One of the three parameters left out.
    Drop(prop::sample::Index),
    /// A parameter given a second time, first or last, with any value.
    Twice(prop::sample::Index, String, bool),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        1 => Just(Change::None),
        3 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Change::BodyByte(i, b)),
        2 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Change::QueryByte(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Change::BodyCut),
        2 => (any::<prop::sample::Index>(), text()).prop_map(|(i, t)| Change::BodyInsert(i, t)),
        1 => prop::collection::vec(any::<u8>(), 0..600).prop_map(Change::BodyAny),
        1 => text().prop_map(Change::QueryAny),
        2 => (prop_oneof![-1000i64..1000, any::<i64>()], any::<bool>())
            .prop_map(|(d, resign)| Change::Timestamp(d, resign)),
        1 => (text(), any::<bool>()).prop_map(|(n, resign)| Change::Nonce(n, resign)),
        1 => any::<prop::sample::Index>().prop_map(Change::Drop),
        1 => (any::<prop::sample::Index>(), text(), any::<bool>())
            .prop_map(|(i, v, first)| Change::Twice(i, v, first)),
    ]
}

/// What a member sends: a text (any characters, even ones that break XML), a button click, or
/// a decrypted payload that is not a message at all.
fn wecom_inner() -> impl Strategy<Value = (u8, String)> {
    (0u8..3, text())
}

/// `SHA1(sort(token, timestamp, nonce, encrypt))` in lower-case hex, computed here apart from
/// the application's own code.
fn wecom_signature(timestamp: &str, nonce: &str, encrypt: &str) -> String {
    use sha1::{Digest, Sha1};
    let mut parts = [fake_wecom::TOKEN, timestamp, nonce, encrypt];
    parts.sort_unstable();
    hex::encode(Sha1::digest(parts.concat().as_bytes()))
}

/// Whether some reading of the request carries a valid signature over some `Encrypt` of its
/// body at a fresh timestamp: the condition without which nothing may be stored. Generous on
/// purpose (every occurrence of every parameter, every `Encrypt` element, with or without
/// CDATA), so that it holds for whatever the application read.
fn could_verify(query: &str, body: &[u8], now: i64) -> bool {
    let values = |name: &str| -> Vec<String> {
        form_urlencoded::parse(query.as_bytes())
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .collect()
    };
    let body = String::from_utf8_lossy(body);
    let mut encrypts = Vec::new();
    for (at, _) in body.match_indices("<Encrypt>") {
        let rest = &body[at + "<Encrypt>".len()..];
        let Some(end) = rest.find("</Encrypt>") else {
            continue;
        };
        let inner = &rest[..end];
        let inner = inner
            .strip_prefix("<![CDATA[")
            .and_then(|i| i.strip_suffix("]]>"))
            .unwrap_or(inner);
        encrypts.push(inner.to_owned());
        encrypts.push(inner.trim().to_owned());
    }
    let stamps: Vec<String> = values("timestamp")
        .into_iter()
        .filter(|t| {
            t.trim()
                .parse::<i64>()
                .is_ok_and(|t| (now - t).abs() <= WECOM_SKEW + 5)
        })
        .collect();
    values("msg_signature").iter().any(|sig| {
        stamps.iter().any(|ts| {
            values("nonce").iter().any(|nonce| {
                encrypts
                    .iter()
                    .any(|e| wecom_signature(ts, nonce, e).eq_ignore_ascii_case(sig.trim()))
            })
        })
    })
}

/// Applies `change` to a genuine request: the query (without `?`) and the body.
fn changed(query: &str, body: &str, change: &Change, now: i64) -> (String, Vec<u8>) {
    let mut pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let encode = |pairs: &[(String, String)]| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        q.finish()
    };
    let encrypt = body
        .split("<Encrypt><![CDATA[")
        .nth(1)
        .and_then(|r| r.split("]]>").next())
        .unwrap_or("")
        .to_owned();
    let value = |pairs: &[(String, String)], name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let set = |pairs: &mut Vec<(String, String)>, name: &str, v: String| {
        if let Some(slot) = pairs.iter_mut().find(|(k, _)| k == name) {
            slot.1 = v;
        }
    };
    let mut bytes = body.as_bytes().to_vec();
    match change {
        Change::None => return (query.to_owned(), bytes),
        Change::BodyByte(i, b) => {
            let at = i.index(bytes.len());
            bytes[at] = *b;
        }
        Change::QueryByte(i, b) => {
            let mut q = query.as_bytes().to_vec();
            let at = i.index(q.len());
            q[at] = *b;
            return (String::from_utf8_lossy(&q).into_owned(), bytes);
        }
        Change::BodyCut(i) => bytes.truncate(i.index(bytes.len())),
        Change::BodyInsert(i, t) => {
            let at = i.index(bytes.len() + 1);
            bytes.splice(at..at, t.bytes());
        }
        Change::BodyAny(any) => bytes = any.clone(),
        Change::QueryAny(q) => return (q.clone(), bytes),
        Change::Timestamp(d, resign) => {
            let ts = now.saturating_add(*d).to_string();
            if *resign {
                let sig = wecom_signature(&ts, &value(&pairs, "nonce"), &encrypt);
                set(&mut pairs, "msg_signature", sig);
            }
            set(&mut pairs, "timestamp", ts);
        }
        Change::Nonce(n, resign) => {
            if *resign {
                let sig = wecom_signature(&value(&pairs, "timestamp"), n, &encrypt);
                set(&mut pairs, "msg_signature", sig);
            }
            set(&mut pairs, "nonce", n.clone());
        }
        Change::Drop(i) => {
            pairs.remove(i.index(pairs.len()));
        }
        Change::Twice(i, v, first) => {
            let name = pairs[i.index(pairs.len())].0.clone();
            let at = if *first { 0 } else { pairs.len() };
            pairs.insert(at, (name, v.clone()));
        }
    }
    (encode(&pairs), bytes)
}

/// Random and mutated bodies, signatures, timestamps, nonces and query strings posted to the
/// real `/wecom/callback` of a running application (SQLite, the example college, userids as
/// roster keys, the fake WeCom API for replies): never a 5xx, never a dropped connection (a
/// panic), and the inbox grows only by a request whose signature verifies at a fresh
/// timestamp, and then only by the very message that was signed.
#[test]
fn anything_posted_to_the_wecom_callback_is_refused_or_taken_and_only_signed_messages_are_stored() {
    use branchbot::config::sms::Secret;
    use branchbot::config::Config;
    use branchbot::startup::{Application, Overrides};
    use branchbot::store::{members, Store};
    use branchbot::testkit::db::TempSqlite;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let db = TempSqlite::new();
    let (app, _wecom) = runtime.block_on(async {
        let store = Store::open(&db.url).await.unwrap();
        let college = roster::parse(include_bytes!("../examples/college.csv"), Locale::ZhCn)
            .expect("example roster");
        let mut tx = store.begin().await.unwrap();
        members::import(&mut tx, &college, false, 0).await.unwrap();
        tx.commit().await.unwrap();
        store.close().await;
        let wecom = FakeWecom::start().await;
        let mut config = Config {
            database_url: db.url.clone(),
            ..Config::default()
        };
        config.http.listen = "127.0.0.1:0".parse().unwrap();
        config.http.metrics_listen = String::new();
        let w = &mut config.wecom;
        w.corp_id = Some(fake_wecom::CORP_ID.into());
        w.agent_id = Some(fake_wecom::AGENT_ID);
        w.api_url = wecom.base_url();
        w.userid_is_key = true;
        w.max_skew_secs = WECOM_SKEW;
        w.timeout_secs = 2;
        w.secret = Some(Secret::new(fake_wecom::SECRET));
        w.token = Some(Secret::new(fake_wecom::TOKEN));
        w.aes_key = Some(Secret::new(fake_wecom::AES_KEY));
        config.validate().expect("valid configuration");
        let app = Application::build(config, Overrides::default())
            .await
            .expect("the application starts");
        (app, wecom)
    });
    let url = format!("http://{}/wecom/callback", app.addr);
    let http = reqwest::Client::new();
    let calls = Callbacks::default();
    let pool = app.engine.store.pool().clone();
    let stored = || {
        runtime.block_on(async {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM inbox WHERE channel = 'wecom'")
                .fetch_one(&pool)
                .await
                .unwrap()
        })
    };
    let signed = std::sync::Mutex::new(std::collections::HashSet::new());
    let next_id = std::sync::atomic::AtomicU64::new(7_000_000_000_000_000_000);

    let mut runner = TestRunner::new(config(192));
    let result = runner.run(&(wecom_inner(), change()), |((kind, content), change)| {
        let id = next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let inner = match kind {
            0 => {
                signed.lock().unwrap().insert(format!("msg:{id}"));
                calls.text_xml("T004", &content, id)
            }
            1 => calls.click_xml("T004", &content, &format!("task{id}"), "code"),
            _ => content.clone(),
        };
        let now = chrono::Utc::now().timestamp();
        let (query, body) = calls.post(&inner, now);
        let (query, body) = changed(&query, &body, &change, now);
        let before = stored();
        let status = runtime.block_on(async {
            http.post(format!("{url}?{query}"))
                .header("content-type", "text/xml")
                .body(body.clone())
                .send()
                .await
                .map(|r| r.status())
        });
        let status = match status {
            Ok(s) => s,
            // A query no URL can carry never reaches the application.
            Err(e) if e.is_builder() => return Ok(()),
            Err(e) => return Err(TestCaseError::fail(format!("no answer (a panic?): {e}"))),
        };
        prop_assert!(
            !status.is_server_error(),
            "{status} for {query:?} {change:?}"
        );
        let after = stored();
        if after > before {
            prop_assert!(
                could_verify(&query, &body, now),
                "stored without a valid signature: {query:?} {change:?}"
            );
            prop_assert_eq!(status, reqwest::StatusCode::OK);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // What was stored is what the member sent and WeCom signed: no other message id.
    let keys: Vec<String> = runtime.block_on(async {
        sqlx::query_scalar("SELECT external_id FROM inbox WHERE channel = 'wecom'")
            .fetch_all(&pool)
            .await
            .unwrap()
    });
    let signed = signed.into_inner().unwrap();
    assert!(
        !keys.is_empty(),
        "no genuine message was taken: nothing was tested"
    );
    for key in &keys {
        assert!(
            key.starts_with("card:T004:") || signed.contains(key),
            "stored a message nobody signed: {key}"
        );
    }
    runtime.block_on(app.stop());
}
