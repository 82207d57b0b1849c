use super::*;

const TZ: Tz = chrono_tz::Asia::Shanghai;

fn text(zh: &str, en: &str) -> String {
    format!("{{ zh-CN = \"{zh}\", en = \"{en}\" }}")
}

fn phase(start: &str, end: &str) -> String {
    format!(
        "[[phases]]\nstart = {start}\nend = {end}\ntitle = {}\ntheme = {}\nannouncement = {}\n",
        text("标题", "Title"),
        text("主题", "Theme"),
        text("公告", "Notice")
    )
}

fn problems(src: &str) -> Vec<(usize, ProblemKind)> {
    parse(src, TZ)
        .expect_err("invalid")
        .into_iter()
        .map(|p| (p.line, p.kind))
        .collect()
}

#[test]
fn the_example_campaign_is_valid_and_runs_in_2027() {
    let c = parse(include_str!("../../../examples/campaign.toml"), TZ).expect("valid");
    assert_eq!(c.name, "创先争优");
    assert_eq!(c.phases.len(), 4);
    assert_eq!(c.phases[0].title.zh, "第一阶段：发动部署、党内评优表彰");
    assert_eq!(
        c.phases[0].start.to_rfc3339(),
        "2027-05-31T16:00:00+00:00",
        "local midnight in Shanghai"
    );
    assert_eq!(
        c.phases[1].title.en,
        "Phase 2: welcoming the Party's 90th anniversary"
    );
    assert_eq!(c.phases[0].tasks.len(), 3);
    assert_eq!((c.summary_days_before_end, c.remind_every_days), (7, 2));
}

#[test]
fn reversed_and_overlapping_phases_are_named_with_their_lines() {
    let src = format!(
        "name = \"x\"\n{}{}",
        phase("2027-06-01", "2027-05-01"),
        phase("2027-04-01", "2027-07-01")
    );
    assert_eq!(
        problems(&src),
        vec![
            (
                4,
                ProblemKind::Reversed {
                    field: "phases[1].end".into()
                }
            ),
            (
                9,
                ProblemKind::Overlap {
                    field: "phases[2].start".into(),
                    previous: 1
                }
            ),
        ]
    );
}

#[test]
fn a_missing_locale_and_an_unknown_field_are_named() {
    let src = "name = \"x\"\n[[phases]]\nstart = 2027-06-01\nend = 2027-07-01\n\
               title = { zh-CN = \"标题\" }\ntheme = { zh-CN = \"a\", en = \"b\" }\n\
               announcement = { zh-CN = \"a\", en = \"b\" }\n";
    assert_eq!(
        problems(src),
        vec![(
            5,
            ProblemKind::MissingText {
                field: "phases[1].title".into(),
                locale: "en"
            }
        )]
    );
    let unknown = format!(
        "name = \"x\"\nremind_every = 3\n{}",
        phase("2027-06-01", "2027-07-01")
    );
    let got = problems(&unknown);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, 2);
    assert!(
        matches!(&got[0].1, ProblemKind::Syntax(m) if m.contains("remind_every")),
        "{got:?}"
    );
}

#[test]
fn phases_know_the_current_one_and_the_days_left() {
    let src = format!(
        "name = \"x\"\n{}{}",
        phase("2027-06-01T00:00:00Z", "2027-07-01T00:00:00Z"),
        phase("2027-07-01T00:00:00Z", "2027-08-01T00:00:00Z")
    );
    let c = parse(&src, TZ).unwrap();
    let now = "2027-06-20T12:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let (i, p) = c.current(now).unwrap();
    assert_eq!((i, p.days_left(now)), (0, 11));
    assert_eq!(c.next(now).map(|(i, _)| i), Some(1));
}
