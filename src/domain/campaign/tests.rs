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
fn the_example_campaign_is_valid_and_runs_from_december_2026() {
    let c = parse(include_str!("../../../examples/campaign.toml"), TZ).expect("valid");
    assert_eq!(c.name, "创先争优");
    assert_eq!(c.phases.len(), 4);
    assert_eq!(c.phases[0].title.zh, "第一阶段：发动部署、党内评优表彰");
    assert_eq!(
        c.phases[0].start.to_rfc3339(),
        "2026-11-30T16:00:00+00:00",
        "local midnight in Shanghai"
    );
    let today = "2026-12-07T02:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let (i, p) = c.current(today).expect("a phase runs in December 2026");
    assert_eq!((i, p.last_day_text(TZ)), (0, "2027-02-28".to_owned()));
    assert_eq!(
        c.phases[1].title.en,
        "Phase 2: welcoming the Party's 106th anniversary"
    );
    assert_eq!(c.phases[0].tasks.len(), 3);
    assert_eq!((c.summary_days_before_end, c.remind_every_days), (7, 2));
}

#[test]
fn the_example_welcomes_only_anniversaries_its_phases_lead_up_to() {
    // The Party was founded on 1 July 1921: its Nth anniversary is 1 July (1921 + N). A phase
    // that welcomes it (喜迎) runs up to that day: the day falls in the phase or is its end.
    let c = parse(include_str!("../../../examples/campaign.toml"), TZ).expect("valid");
    let mut named = 0;
    for p in &c.phases {
        let texts = [&p.title.zh, &p.theme.zh, &p.announcement.zh];
        for t in texts {
            let Some(at) = t.find("建党") else { continue };
            let digits: String = t[at + "建党".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let n: i32 = digits.parse().expect("a number after 建党");
            let day = NaiveDate::from_ymd_opt(1921 + n, 7, 1).unwrap();
            assert!(
                p.start.with_timezone(&TZ).date_naive() <= day
                    && day <= p.end.with_timezone(&TZ).date_naive(),
                "{t}: the {n}th anniversary is {day}, outside the phase"
            );
            named += 1;
        }
    }
    assert!(named > 0, "the example welcomes an anniversary");
}

#[test]
fn a_phase_ending_at_midnight_runs_until_the_day_before_in_shanghai() {
    let src = format!("name = \"x\"\n{}", phase("2026-12-01", "2026-12-12"));
    let c = parse(&src, TZ).unwrap();
    let p = &c.phases[0];
    assert_eq!(p.last_day_text(TZ), "2026-12-11");
    // 23:59:59 on 12-07 in Shanghai: today to 12-11 is five days.
    let late = "2026-12-07T15:59:59Z".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(p.days_left(late), 5);
    // Midnight of 12-08: four.
    let midnight = "2026-12-07T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(p.days_left(midnight), 4);
    // The last second of the last day: one; at the end: none, and no phase runs.
    let last = "2026-12-11T15:59:59Z".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(p.days_left(last), 1);
    let end = "2026-12-11T16:00:00Z".parse::<DateTime<Utc>>().unwrap();
    assert_eq!(p.days_left(end), 0);
    assert!(c.current(end).is_none());
}

#[test]
fn a_shifted_file_keeps_its_lines_and_moves_every_phase_by_the_same_days() {
    let src = include_str!("../../../examples/campaign.toml");
    let c = parse(src, TZ).unwrap();
    let day = NaiveDate::from_ymd_opt(2029, 3, 5).unwrap();
    let days = c.days_to_start_on(day, TZ);
    let moved = shift(src, days);
    assert_eq!(moved.lines().count(), src.lines().count());
    let m = parse(&moved, TZ).expect("still valid");
    assert_eq!(
        m.phases[0].start.with_timezone(&TZ).date_naive(),
        day,
        "the first phase starts on the day asked"
    );
    for (a, b) in c.phases.iter().zip(&m.phases) {
        assert_eq!(b.start - a.start, chrono::TimeDelta::days(days));
        assert_eq!(b.end - a.end, chrono::TimeDelta::days(days));
        assert_eq!(a.title, b.title);
    }
    // A time of day and an offset are kept.
    assert_eq!(
        shift("start = 2027-03-01T09:00:00+08:00\n", 1),
        "start = 2027-03-02T09:00:00+08:00\n"
    );
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
