//! Parsing and validating a roster CSV. A file is accepted whole or refused whole, with one
//! problem per line naming the line, the column, what is wrong and what would be right.
//!
//! Columns (a header row is required; English or Chinese names, any order):
//! `key`/`编号`, `name`/`姓名`, `branch`/`支部`, `branch_kind`/`支部类型`, `group`/`党小组`,
//! `role`/`角色`, `mobile`/`手机`, `locale`/`语言`, `college`/`学院党委`.

use std::collections::HashMap;
use std::fmt;

use crate::domain::org::{BranchKind, Role};
use crate::domain::phone::Phone;
use crate::i18n::Locale;

/// The longest name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// The longest key accepted, in characters.
pub const MAX_KEY_CHARS: usize = 32;

/// One member row of a valid roster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterMember {
    pub line: usize,
    pub key: String,
    pub name: String,
    pub branch: Option<String>,
    pub group: Option<String>,
    pub role: Role,
    pub phone: Option<Phone>,
    pub locale: Locale,
    pub college: bool,
}

/// A whole valid roster: its branches (name and kind) and members, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    pub branches: Vec<(String, BranchKind)>,
    pub members: Vec<RosterMember>,
}

/// One problem in a roster file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterProblem {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub column: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for RosterProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.column {
            Some(col) => write!(f, "line {}, column '{}': {}", self.line, col, self.message),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Key,
    Name,
    Branch,
    BranchKind,
    Group,
    Role,
    Mobile,
    Locale,
    College,
}

impl Col {
    const ALL: [Col; 9] = [
        Col::Key,
        Col::Name,
        Col::Branch,
        Col::BranchKind,
        Col::Group,
        Col::Role,
        Col::Mobile,
        Col::Locale,
        Col::College,
    ];

    fn name(self) -> &'static str {
        match self {
            Col::Key => "key",
            Col::Name => "name",
            Col::Branch => "branch",
            Col::BranchKind => "branch_kind",
            Col::Group => "group",
            Col::Role => "role",
            Col::Mobile => "mobile",
            Col::Locale => "locale",
            Col::College => "college",
        }
    }

    fn from_header(h: &str) -> Option<Col> {
        let h = h.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match h.as_str() {
            "key" | "id" | "编号" | "学号" | "工号" | "学号/工号" => Col::Key,
            "name" | "姓名" => Col::Name,
            "branch" | "支部" | "党支部" => Col::Branch,
            "branch_kind" | "kind" | "支部类型" => Col::BranchKind,
            "group" | "party_group" | "党小组" => Col::Group,
            "role" | "角色" | "职务" => Col::Role,
            "mobile" | "phone" | "手机" | "手机号" | "电话" => Col::Mobile,
            "locale" | "language" | "语言" => Col::Locale,
            "college" | "学院党委" => Col::College,
            _ => return None,
        })
    }
}

/// Parses a roster from raw bytes. `default_locale` fills an empty locale cell.
pub fn parse(bytes: &[u8], default_locale: Locale) -> Result<Roster, Vec<RosterProblem>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);

    let mut records = Vec::new();
    for result in reader.byte_records() {
        match result {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line() as usize);
                records.push((line, rec));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                problems.push(RosterProblem {
                    line,
                    column: None,
                    message: format!("cannot read this line as CSV ({e})"),
                });
                return Err(problems);
            }
        }
    }
    let Some((header_line, header)) = records.first() else {
        return Err(vec![RosterProblem {
            line: 1,
            column: None,
            message: "the file is empty; the first line must name the columns (key,name,branch,branch_kind,group,role,mobile,locale,college)".into(),
        }]);
    };

    let mut columns: HashMap<Col, usize> = HashMap::new();
    let mut index_to_col = Vec::new();
    for (i, raw) in header.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            problems.push(RosterProblem {
                line: *header_line,
                column: None,
                message: "the header is not valid UTF-8; save the file as UTF-8".into(),
            });
            return Err(problems);
        };
        match Col::from_header(text) {
            Some(col) if columns.contains_key(&col) => problems.push(RosterProblem {
                line: *header_line,
                column: Some(col.name()),
                message: "this column appears twice".into(),
            }),
            Some(col) => {
                columns.insert(col, i);
                index_to_col.push(Some(col));
            }
            None if text.trim().is_empty() => index_to_col.push(None),
            None => problems.push(RosterProblem {
                line: *header_line,
                column: None,
                message: format!(
                    "unknown column '{}'; known columns: {}",
                    text.trim(),
                    Col::ALL.map(Col::name).join(", ")
                ),
            }),
        }
    }
    for required in [Col::Key, Col::Name, Col::Role] {
        if !columns.contains_key(&required) {
            problems.push(RosterProblem {
                line: *header_line,
                column: Some(required.name()),
                message: "this column is required".into(),
            });
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut roster = Roster::default();
    let mut branch_kinds: HashMap<String, (BranchKind, usize)> = HashMap::new();
    let mut branch_without_kind: Vec<(String, usize)> = Vec::new();
    let mut keys: HashMap<String, usize> = HashMap::new();
    let mut phones: HashMap<String, usize> = HashMap::new();

    for (line, rec) in records.iter().skip(1) {
        let line = *line;
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if rec.len() > header.len() {
            problems.push(RosterProblem {
                line,
                column: None,
                message: format!(
                    "{} fields but the header names {}; quote a value that contains a comma",
                    rec.len(),
                    header.len()
                ),
            });
            continue;
        }
        let mut cell = |col: Col| -> Option<String> {
            let idx = *columns.get(&col)?;
            let raw = rec.get(idx)?;
            match std::str::from_utf8(raw) {
                Ok(s) => {
                    let s = s.trim();
                    (!s.is_empty()).then(|| s.to_owned())
                }
                Err(_) => {
                    problems.push(RosterProblem {
                        line,
                        column: Some(col.name()),
                        message: "not valid UTF-8; save the file as UTF-8".into(),
                    });
                    None
                }
            }
        };
        let key = cell(Col::Key);
        let name = cell(Col::Name);
        let branch = cell(Col::Branch);
        let kind = cell(Col::BranchKind);
        let group = cell(Col::Group);
        let role = cell(Col::Role);
        let mobile = cell(Col::Mobile);
        let locale = cell(Col::Locale);
        let college = cell(Col::College);
        let before = problems.len();
        let mut problem = |column: Col, message: String| {
            problems.push(RosterProblem {
                line,
                column: Some(column.name()),
                message,
            })
        };

        let key = match key {
            None => {
                problem(
                    Col::Key,
                    "empty; every member needs a unique key (staff or student number)".into(),
                );
                None
            }
            Some(k) if k.chars().count() > MAX_KEY_CHARS || k.chars().any(char::is_whitespace) => {
                problem(
                    Col::Key,
                    format!("'{k}' is not a key: at most {MAX_KEY_CHARS} characters, no spaces"),
                );
                None
            }
            Some(k) => match keys.get(&k.to_lowercase()) {
                Some(first) => {
                    problem(
                        Col::Key,
                        format!("'{k}' is already used on line {first}; keys must be unique"),
                    );
                    None
                }
                None => {
                    keys.insert(k.to_lowercase(), line);
                    Some(k)
                }
            },
        };
        let name = match name {
            None => {
                problem(Col::Name, "empty; write the member's name".into());
                None
            }
            Some(n) if n.chars().count() > MAX_NAME_CHARS => {
                problem(
                    Col::Name,
                    format!("longer than {MAX_NAME_CHARS} characters"),
                );
                None
            }
            Some(n) if n.chars().any(char::is_control) => {
                problem(Col::Name, "contains a control character".into());
                None
            }
            Some(n) => Some(n),
        };
        let role = match role.as_deref().map(str::parse::<Role>) {
            None => {
                problem(Col::Role, "empty; use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)".into());
                None
            }
            Some(Err(())) => {
                problem(Col::Role, format!("'{}' is not a role; use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)", role.unwrap_or_default()));
                None
            }
            Some(Ok(r)) => Some(r),
        };
        let college = match college.as_deref().map(str::to_lowercase).as_deref() {
            None | Some("no" | "n" | "false" | "0" | "否") => Some(false),
            Some("yes" | "y" | "true" | "1" | "是") => Some(true),
            Some(other) => {
                problem(Col::College, format!("'{other}' is not yes or no (是/否)"));
                None
            }
        };
        let phone = match mobile {
            None => Some(None),
            Some(m) => match m.parse::<Phone>() {
                Ok(p) => match phones.get(p.as_str()) {
                    Some(first) => {
                        problem(Col::Mobile, format!("{p} is already used on line {first}; two members cannot share a mobile number"));
                        None
                    }
                    None => {
                        phones.insert(p.as_str().to_owned(), line);
                        Some(Some(p))
                    }
                },
                Err(e) => {
                    problem(Col::Mobile, format!("'{m}': {e}"));
                    None
                }
            },
        };
        let locale = match locale {
            None => Some(default_locale),
            Some(l) => match l.parse::<Locale>() {
                Ok(l) => Some(l),
                Err(_) => {
                    problem(
                        Col::Locale,
                        format!("'{l}' is not a locale; use zh-CN or en"),
                    );
                    None
                }
            },
        };
        if branch.is_none() && group.is_some() {
            problem(Col::Group, "a party group needs a branch".into());
        }
        if let (None, Some(r), Some(false)) = (&branch, role, college) {
            if r != Role::Masses {
                problem(Col::Branch, "empty; every member except the masses and college committee members belongs to a branch".into());
            }
        }
        if let Some(b) = &branch {
            if b.chars().count() > MAX_NAME_CHARS {
                problem(
                    Col::Branch,
                    format!("longer than {MAX_NAME_CHARS} characters"),
                );
            }
            match kind.as_deref().map(str::parse::<BranchKind>) {
                Some(Err(())) => problem(
                    Col::BranchKind,
                    format!(
                        "'{}' is not a branch kind; use teacher or student (教师/学生)",
                        kind.clone().unwrap_or_default()
                    ),
                ),
                Some(Ok(k)) => match branch_kinds.get(b) {
                    Some((existing, first)) if *existing != k => problem(
                        Col::BranchKind,
                        format!(
                            "line {first} says this branch is {}; one branch has one kind",
                            existing.as_str()
                        ),
                    ),
                    Some(_) => {}
                    None => {
                        branch_kinds.insert(b.clone(), (k, line));
                        roster.branches.push((b.clone(), k));
                    }
                },
                None => branch_without_kind.push((b.clone(), line)),
            }
        }
        if problems.len() > before {
            continue;
        }
        if let (Some(key), Some(name), Some(role), Some(phone), Some(locale), Some(college)) =
            (key, name, role, phone, locale, college)
        {
            roster.members.push(RosterMember {
                line,
                key,
                name,
                branch,
                group,
                role,
                phone,
                locale,
                college,
            });
        }
    }
    for (branch, line) in branch_without_kind {
        if !branch_kinds.contains_key(&branch) {
            problems.push(RosterProblem {
                line,
                column: Some(Col::BranchKind.name()),
                message: format!("no line gives the kind of branch '{branch}'; write teacher or student (教师/学生) on at least one of its lines"),
            });
            branch_kinds.insert(branch, (BranchKind::Teacher, line));
        }
    }
    if problems.is_empty() && roster.members.is_empty() {
        problems.push(RosterProblem {
            line: header_line + 1,
            column: None,
            message: "no members in the file".into(),
        });
    }
    if problems.is_empty() {
        Ok(roster)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "key,name,branch,branch_kind,group,role,mobile,locale,college\n";

    fn parse_str(s: &str) -> Result<Roster, Vec<RosterProblem>> {
        parse(s.as_bytes(), Locale::ZhCn)
    }

    #[test]
    fn a_valid_file_gives_branches_and_members() {
        let csv = format!(
            "{HEADER}T001,王建国,第一党支部,teacher,第一党小组,书记,13812345678,,是\nT002,\"O'Brien, \"\"Pat\"\"\",第一党支部,,,member,,en,\n"
        );
        let roster = parse_str(&csv).unwrap();
        assert_eq!(
            roster.branches,
            vec![("第一党支部".to_owned(), BranchKind::Teacher)]
        );
        assert_eq!(roster.members.len(), 2);
        assert_eq!(
            roster.members[0].phone.as_ref().unwrap().as_str(),
            "+8613812345678"
        );
        assert!(roster.members[0].college);
        assert_eq!(roster.members[1].name, "O'Brien, \"Pat\"");
        assert_eq!(roster.members[1].locale, Locale::En);
    }

    #[test]
    fn bom_and_mixed_line_endings_are_accepted() {
        let csv = format!(
            "\u{feff}{}T1,甲,一支部,student,,党员,,,\r\nT2,乙,一支部,,,党员,,,\n",
            HEADER.trim_end()
        );
        let csv = csv.replacen(HEADER.trim_end(), &format!("{}\r", HEADER.trim_end()), 1);
        let roster = parse_str(&format!("{csv}")).unwrap();
        assert_eq!(roster.members.len(), 2);
    }

    #[test]
    fn every_problem_is_reported_with_line_and_column() {
        let csv = format!(
            "{HEADER}T1,甲,一支部,student,,党员,13812345678,,\nT1,乙,一支部,,,chairman,13812345678,fr,maybe\n,,,,,,,,\nT3,,二支部,,,党员,12,,\n"
        );
        let problems = parse_str(&csv).unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            text.contains(
                &"line 3, column 'key': 'T1' is already used on line 2; keys must be unique"
                    .to_owned()
            ),
            "{text:#?}"
        );
        assert!(text
            .iter()
            .any(|t| t.starts_with("line 3, column 'role': 'chairman' is not a role")));
        assert!(text
            .iter()
            .any(|t| t
                .starts_with("line 3, column 'mobile': +8613812345678 is already used on line 2")));
        assert!(text
            .iter()
            .any(|t| t.starts_with("line 3, column 'locale': 'fr'")));
        assert!(text
            .iter()
            .any(|t| t.starts_with("line 3, column 'college': 'maybe'")));
        assert!(text
            .iter()
            .any(|t| t.starts_with("line 5, column 'name': empty")));
        assert!(text
            .iter()
            .any(|t| t.starts_with("line 5, column 'mobile': '12'")));
        assert!(text.iter().any(|t| t.starts_with(
            "line 5, column 'branch_kind': no line gives the kind of branch '二支部'"
        )));
    }

    #[test]
    fn invalid_utf8_is_named_not_garbled() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"T1,\xff\xfe,one,student,,member,,,\n");
        let problems = parse(&bytes, Locale::ZhCn).unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "line 2, column 'name': not valid UTF-8; save the file as UTF-8"
        );
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let problems = parse_str("key,name,salary\nT1,甲,1\n").unwrap_err();
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text[0].starts_with("line 1: unknown column 'salary'"));
        assert_eq!(text[1], "line 1, column 'role': this column is required");
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(parse_str("").unwrap_err()[0]
            .message
            .starts_with("the file is empty"));
        assert_eq!(
            parse_str(HEADER).unwrap_err()[0].message,
            "no members in the file"
        );
    }
}
