//! The whole ballot in one message: a round with many candidates (a branch's 评优票决 or 民主评议
//! has some 28) would take one message per candidate — one SMS each. The first ballot step
//! offers 一次填写全部 (`ev:<round>:all`): the candidates numbered in one compact text ("1王芳2李明
//! …"), answered with one digit per candidate in order ("1121…", full-width digits and spaces
//! allowed); the picks are then shown back in a few words and submitted with the same buttons
//! (`ev:<round>:<picks>:ok`) as the step-by-step ballot. Replies stay anonymous.

use super::super::rules::RoundKind;
use super::super::service::option_msg;
use super::super::store;
use super::{anon, Action, Waiting};
use crate::domain::org::Member;
use crate::flows::engine::Step;
use crate::flows::{Ctx, Reply};
use crate::i18n::{Catalog, Locale};
use crate::msg;
use crate::store::{Conn, StoreError};

/// The button data's last part that asks for the compact ballot.
pub const ALL: &str = "all";

/// The options as the compact ballot lists them: "1赞成 2反对 3弃权".
fn legend(catalog: &Catalog, locale: Locale, kind: RoundKind) -> String {
    (0..kind.options().len())
        .map(|o| format!("{}{}", o + 1, catalog.text(locale, option_msg(kind, o))))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The compact ballot's text: the round, how to answer, and the candidates numbered without
/// spaces ("1王芳2李明3张伟"), so that a ballot of 28 fits three SMS segments.
pub fn text(
    catalog: &Catalog,
    locale: Locale,
    kind: RoundKind,
    title: &str,
    names: &[String],
) -> String {
    let list: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| format!("{}{n}", i + 1))
        .collect();
    catalog.render(
        locale,
        msg!("evaluation-compact"),
        &[
            ("title", title.into()),
            ("count", names.len().into()),
            ("legend", legend(catalog, locale, kind).into()),
            ("list", list.into()),
        ],
    )
}

/// Why a typed compact ballot was not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// Something other than digits.
    NotDigits,
    /// This many digits for that many candidates.
    Count { got: usize, need: usize },
    /// The digit at this position (1-based) is not an option.
    Option { at: usize, digit: char },
}

/// Reads "1121…" (full-width digits, spaces and commas allowed) as one pick per candidate,
/// 0-based as the ballot keeps them.
pub fn read(typed: &str, candidates: usize, options: usize) -> Result<Vec<u8>, Unread> {
    let digits: Vec<char> = crate::flows::fold(typed)
        .chars()
        .filter(|c| !c.is_whitespace() && !",，、.。".contains(*c))
        .collect();
    if digits.is_empty() || !digits.iter().all(char::is_ascii_digit) {
        return Err(Unread::NotDigits);
    }
    if digits.len() != candidates {
        return Err(Unread::Count {
            got: digits.len(),
            need: candidates,
        });
    }
    digits
        .iter()
        .enumerate()
        .map(|(i, c)| match c.to_digit(10) {
            Some(d) if (1..=options as u32).contains(&d) => Ok((d - 1) as u8),
            _ => Err(Unread::Option {
                at: i + 1,
                digit: *c,
            }),
        })
        .collect()
}

/// The round if it is open and waits for `member`'s ballot; otherwise the step to answer.
async fn waiting(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round_id: i64,
) -> Result<Result<store::Round, Step>, StoreError> {
    let Some(round) = store::get(conn, round_id).await? else {
        return Ok(Err(Step::text(cx.t(msg!("error-stale-choice")))));
    };
    if !round.is_open(cx.now_ms) {
        return Ok(Err(anon(Step::text(cx.t(msg!("evaluation-closed"))))));
    }
    let pending = store::pending_for(conn, member.id, cx.now_ms).await?;
    if !pending.iter().any(|r| r.id == round.id) {
        return Ok(Err(anon(Step::text(cx.t(msg!("evaluation-not-waiting"))))));
    }
    Ok(Ok(round))
}

/// `ev:<round>:all`: the compact ballot, waiting for the digits.
pub async fn start(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round_id: i64,
) -> Result<Step, StoreError> {
    let round = match waiting(cx, conn, member, round_id).await? {
        Ok(r) => r,
        Err(step) => return Ok(step),
    };
    let kind = round.round_kind()?;
    let names: Vec<String> = store::candidates(conn, round.id)
        .await?
        .into_iter()
        .map(|(_, name)| name)
        .collect();
    Ok(anon(Step::new(
        vec![Reply::text(text(
            cx.catalog,
            cx.locale,
            kind,
            &round.title,
            &names,
        ))],
        Waiting::EvaluationCompact { round_id: round.id }.state(),
    )))
}

/// The digits typed for the compact ballot: shown back in a few words, with 提交 / 重新填写.
pub async fn typed(
    cx: &Ctx<'_>,
    conn: &mut Conn,
    member: &Member,
    round_id: i64,
    typed: &str,
) -> Result<Step, StoreError> {
    let round = match waiting(cx, conn, member, round_id).await? {
        Ok(r) => r,
        Err(step) => return Ok(step),
    };
    let kind = round.round_kind()?;
    let n = store::candidates(conn, round.id).await?.len();
    let options = kind.options().len();
    let picks = match read(typed, n, options) {
        Ok(p) => p,
        Err(why) => {
            let text = match why {
                Unread::NotDigits => cx.r(
                    msg!("evaluation-compact-not-digits"),
                    &[("count", n.into())],
                ),
                Unread::Count { got, need } => cx.r(
                    msg!("evaluation-compact-count"),
                    &[("got", got.into()), ("need", need.into())],
                ),
                Unread::Option { at, digit } => cx.r(
                    msg!("evaluation-compact-option"),
                    &[
                        ("at", at.into()),
                        ("digit", digit.to_string().into()),
                        ("max", options.into()),
                    ],
                ),
            };
            return Ok(anon(Step::retry(
                text,
                Waiting::EvaluationCompact { round_id }.state(),
            )));
        }
    };
    let shown: String = picks.iter().map(|p| (p + 1).to_string()).collect();
    let counts = (0..options)
        .map(|o| {
            format!(
                "{} {}",
                cx.t(option_msg(kind, o)),
                picks.iter().filter(|p| usize::from(**p) == o).count()
            )
        })
        .collect::<Vec<_>>()
        .join(&cx.t(msg!("cli-list-separator")));
    Ok(anon(Step::reply(Reply::with_choices(
        cx.r(
            msg!("evaluation-compact-review"),
            &[
                ("digits", shown.into()),
                ("count", n.into()),
                ("counts", counts.into()),
            ],
        ),
        vec![
            cx.choice(
                Action::Ballot {
                    round: round.id,
                    picks,
                    submit: true,
                }
                .encode(),
                msg!("evaluation-submit"),
            ),
            cx.choice(
                Action::Compact { round: round.id }.encode(),
                msg!("evaluation-restart"),
            ),
        ],
    ))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_compact_ballot_is_read_one_digit_per_candidate() {
        assert_eq!(read("1 2３,1", 4, 3), Ok(vec![0, 1, 2, 0]));
        assert_eq!(read("123", 4, 3), Err(Unread::Count { got: 3, need: 4 }));
        assert_eq!(
            read("1241", 4, 3),
            Err(Unread::Option { at: 3, digit: '4' })
        );
        assert_eq!(read("赞成", 1, 3), Err(Unread::NotDigits));
        assert_eq!(read("", 1, 3), Err(Unread::NotDigits));
    }

    #[test]
    fn a_ballot_of_twenty_eight_fits_three_sms_segments_instead_of_twenty_eight_texts() {
        let c = Catalog::load().unwrap();
        let names: Vec<String> = [
            "王建国",
            "李秀英",
            "张伟",
            "刘洋",
            "陈静",
            "杨帆",
            "赵敏",
            "周涛",
            "吴桂兰",
            "黄晓明",
            "孙丽",
            "马超",
            "胡静怡",
            "郭子豪",
            "林小雨",
            "何宇航",
            "高婷婷",
            "罗浩然",
            "郑佳琪",
            "谢文博",
            "宋雨桐",
            "唐志强",
            "韩梅梅",
            "冯思远",
            "彭博",
            "曹雪芹",
            "欧阳明月",
            "诸葛亮",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(names.len(), 28);
        let text = text(
            &c,
            Locale::ZhCn,
            RoundKind::Vote,
            "学生第一党支部评优票决（优秀共产党员）",
            &names,
        );
        assert!(
            text.starts_with("学生第一党支部评优票决（优秀共产党员）共 28 人。请按名单顺序回复 28 位数字（1赞成 2反对 3弃权）：1王建国2李秀英3张伟"),
            "{text}"
        );
        assert!(text.ends_with("27欧阳明月28诸葛亮"), "{text}");
        // The SMS as sent (no options appended: the reply is typed).
        let sms = crate::chat::sms::render(&c, Locale::ZhCn, &text, &[]);
        assert_eq!(crate::chat::sms::encoding::segments(&sms), 3, "{sms}");
        // 民主评议 with four grades fits the same.
        let grades = super::text(
            &c,
            Locale::ZhCn,
            RoundKind::Grades,
            "学生第一党支部民主评议党员",
            &names,
        );
        assert!(
            crate::chat::sms::encoding::segments(&grades) <= 3,
            "{grades}"
        );
    }
}
