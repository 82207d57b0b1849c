//! Parsing and validating a roster CSV. A file is accepted whole or refused whole, with one
//! problem per line naming the line, the column, what is wrong and what would be right.
//!
//! Columns (a header row is required; English or Chinese names, any order):
//! `key`/`编号`, `name`/`姓名`, `branch`/`支部`, `branch_kind`/`支部类型`, `group`/`党小组`,
//! `role`/`角色`, `mobile`/`手机`, `locale`/`语言`, `college`/`学院党委`, and the optional
//! `wecom`/`企业微信账号` (the member's WeCom userid).
//!
//! A [`RosterProblem`] is data (a [`ProblemKind`] with its values, plus where); it becomes text
//! only in [`RosterProblem::render`], in the reader's locale.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use crate::domain::org::{BranchKind, Role};
use crate::domain::phone::{Phone, PhoneError};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;

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
    /// The member's WeCom userid (企业微信账号), if the file names one.
    pub wecom: Option<String>,
}

/// A whole valid roster: its branches (name and kind) and members, in file order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Roster {
    pub branches: Vec<(String, BranchKind)>,
    pub members: Vec<RosterMember>,
}

/// A column of the roster file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Key,
    Name,
    Branch,
    BranchKind,
    Group,
    Role,
    Mobile,
    Locale,
    College,
    Wecom,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::Key,
        Column::Name,
        Column::Branch,
        Column::BranchKind,
        Column::Group,
        Column::Role,
        Column::Mobile,
        Column::Locale,
        Column::College,
        Column::Wecom,
    ];

    /// The English header, as `examples/college.csv` writes it.
    pub fn header(self) -> &'static str {
        match self {
            Column::Key => "key",
            Column::Name => "name",
            Column::Branch => "branch",
            Column::BranchKind => "branch_kind",
            Column::Group => "group",
            Column::Role => "role",
            Column::Mobile => "mobile",
            Column::Locale => "locale",
            Column::College => "college",
            Column::Wecom => "wecom",
        }
    }

    /// The column's name in a locale; every locale's name is also accepted as a header.
    pub fn msg(self) -> Msg {
        match self {
            Column::Key => msg!("roster-column-key"),
            Column::Name => msg!("roster-column-name"),
            Column::Branch => msg!("roster-column-branch"),
            Column::BranchKind => msg!("roster-column-branch-kind"),
            Column::Group => msg!("roster-column-group"),
            Column::Role => msg!("roster-column-role"),
            Column::Mobile => msg!("roster-column-mobile"),
            Column::Locale => msg!("roster-column-locale"),
            Column::College => msg!("roster-column-college"),
            Column::Wecom => msg!("roster-column-wecom"),
        }
    }

    /// The column a header cell names, if any.
    pub fn from_header(h: &str) -> Option<Column> {
        let h = h.trim().to_lowercase().replace([' ', '-'], "_");
        Some(match h.as_str() {
            "key" | "id" | "编号" | "学号" | "工号" | "学号/工号" => Column::Key,
            "name" | "姓名" => Column::Name,
            "branch" | "支部" | "党支部" => Column::Branch,
            "branch_kind" | "kind" | "支部类型" => Column::BranchKind,
            "group" | "party_group" | "党小组" => Column::Group,
            "role" | "角色" | "职务" => Column::Role,
            "mobile" | "phone" | "手机" | "手机号" | "电话" => Column::Mobile,
            "locale" | "language" | "语言" => Column::Locale,
            "college" | "学院党委" => Column::College,
            "wecom" | "wecom_userid" | "企业微信" | "企业微信账号" | "企业微信帐号" => {
                Column::Wecom
            }
            _ => return None,
        })
    }
}

/// What is wrong, with the values the message needs. Where it is wrong is in [`RosterProblem`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// The CSV reader gave up on this line.
    Unreadable {
        detail: String,
    },
    /// Not even a header line.
    EmptyFile,
    HeaderNotUtf8,
    /// The header names the problem's column twice.
    DuplicateColumn,
    UnknownColumn {
        header: String,
    },
    /// The header lacks the problem's column.
    MissingColumn,
    TooManyFields {
        found: usize,
        expected: usize,
    },
    /// The cell is not UTF-8.
    NotUtf8,
    KeyEmpty,
    KeyInvalid {
        value: String,
    },
    KeyDuplicate {
        value: String,
        first_line: usize,
    },
    NameEmpty,
    /// A name (or branch name) longer than `max` characters.
    TooLong {
        max: usize,
    },
    ControlCharacter,
    RoleEmpty,
    RoleInvalid {
        value: String,
    },
    CollegeInvalid {
        value: String,
    },
    PhoneInvalid {
        value: String,
        reason: PhoneError,
    },
    PhoneDuplicate {
        phone: Phone,
        first_line: usize,
    },
    LocaleInvalid {
        value: String,
    },
    GroupWithoutBranch,
    BranchEmpty,
    BranchKindInvalid {
        value: String,
    },
    BranchKindConflict {
        first_line: usize,
        kind: BranchKind,
    },
    BranchKindMissing {
        branch: String,
    },
    NoMembers,
    /// Found on import, not in the file: the number belongs to a member the file leaves out.
    PhoneHeldByOther {
        phone: Phone,
        holder: String,
    },
    /// Not a WeCom userid (1–64 bytes of letters, digits and `_-.@`).
    WecomInvalid {
        value: String,
    },
    WecomDuplicate {
        value: String,
        first_line: usize,
    },
    /// Found on import: the userid belongs to a member the file leaves out.
    WecomHeldByOther {
        value: String,
        holder: String,
    },
}

/// One problem in a roster file: where it is and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterProblem {
    /// 1-based line in the file (the header is line 1).
    pub line: usize,
    pub column: Option<Column>,
    pub kind: ProblemKind,
}

impl RosterProblem {
    pub fn new(line: usize, column: Option<Column>, kind: ProblemKind) -> Self {
        Self { line, column, kind }
    }

    /// The problem as one line of text: where, what is wrong, and what would be right.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let problem = self.kind.render(catalog, locale);
        match self.column {
            Some(column) => catalog.render(
                locale,
                msg!("roster-problem-cell"),
                &[
                    ("line", self.line.into()),
                    ("column", catalog.text(locale, column.msg()).into()),
                    ("problem", problem.into()),
                ],
            ),
            None => catalog.render(
                locale,
                msg!("roster-problem-line"),
                &[("line", self.line.into()), ("problem", problem.into())],
            ),
        }
    }
}

impl ProblemKind {
    /// What is wrong and what would be right, without the place.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let r = |id: Msg, args: &[(&str, Arg)]| catalog.render(locale, id, args);
        let value = |v: &str| -> Arg { shown(v).into() };
        match self {
            Self::Unreadable { detail } => {
                r(msg!("roster-unreadable"), &[("detail", value(detail))])
            }
            Self::EmptyFile => r(
                msg!("roster-empty-file"),
                &[("columns", columns(catalog, locale).into())],
            ),
            Self::HeaderNotUtf8 => r(msg!("roster-header-not-utf8"), &[]),
            Self::DuplicateColumn => r(msg!("roster-duplicate-column"), &[]),
            Self::UnknownColumn { header } => r(
                msg!("roster-unknown-column"),
                &[
                    ("header", value(header)),
                    ("known", columns(catalog, locale).into()),
                ],
            ),
            Self::MissingColumn => r(msg!("roster-missing-column"), &[]),
            Self::TooManyFields { found, expected } => r(
                msg!("roster-too-many-fields"),
                &[("found", (*found).into()), ("expected", (*expected).into())],
            ),
            Self::NotUtf8 => r(msg!("roster-not-utf8"), &[]),
            Self::KeyEmpty => r(msg!("roster-key-empty"), &[]),
            Self::KeyInvalid { value: v } => r(
                msg!("roster-key-invalid"),
                &[("value", value(v)), ("max", MAX_KEY_CHARS.into())],
            ),
            Self::KeyDuplicate {
                value: v,
                first_line,
            } => r(
                msg!("roster-key-duplicate"),
                &[("value", value(v)), ("first", (*first_line).into())],
            ),
            Self::NameEmpty => r(msg!("roster-name-empty"), &[]),
            Self::TooLong { max } => r(msg!("roster-too-long"), &[("max", (*max).into())]),
            Self::ControlCharacter => r(msg!("roster-control-character"), &[]),
            Self::RoleEmpty => r(msg!("roster-role-empty"), &[]),
            Self::RoleInvalid { value: v } => {
                r(msg!("roster-role-invalid"), &[("value", value(v))])
            }
            Self::CollegeInvalid { value: v } => {
                r(msg!("roster-college-invalid"), &[("value", value(v))])
            }
            Self::PhoneInvalid { value: v, reason } => r(
                msg!("roster-phone-invalid"),
                &[
                    ("value", value(v)),
                    ("reason", reason.render(catalog, locale).into()),
                ],
            ),
            Self::PhoneDuplicate { phone, first_line } => r(
                msg!("roster-phone-duplicate"),
                &[
                    ("phone", phone.as_str().into()),
                    ("first", (*first_line).into()),
                ],
            ),
            Self::LocaleInvalid { value: v } => {
                r(msg!("roster-locale-invalid"), &[("value", value(v))])
            }
            Self::GroupWithoutBranch => r(msg!("roster-group-without-branch"), &[]),
            Self::BranchEmpty => r(msg!("roster-branch-empty"), &[]),
            Self::BranchKindInvalid { value: v } => {
                r(msg!("roster-branch-kind-invalid"), &[("value", value(v))])
            }
            Self::BranchKindConflict { first_line, kind } => {
                let kind = match kind {
                    BranchKind::Teacher => msg!("roster-kind-teacher"),
                    BranchKind::Student => msg!("roster-kind-student"),
                };
                r(
                    msg!("roster-branch-kind-conflict"),
                    &[
                        ("first", (*first_line).into()),
                        ("kind", catalog.text(locale, kind).into()),
                    ],
                )
            }
            Self::BranchKindMissing { branch } => r(
                msg!("roster-branch-kind-missing"),
                &[("branch", value(branch))],
            ),
            Self::NoMembers => r(msg!("roster-no-members"), &[]),
            Self::PhoneHeldByOther { phone, holder } => r(
                msg!("roster-phone-held"),
                &[("phone", phone.as_str().into()), ("holder", value(holder))],
            ),
            Self::WecomInvalid { value: v } => {
                r(msg!("roster-wecom-invalid"), &[("value", value(v))])
            }
            Self::WecomDuplicate {
                value: v,
                first_line,
            } => r(
                msg!("roster-wecom-duplicate"),
                &[("value", value(v)), ("first", (*first_line).into())],
            ),
            Self::WecomHeldByOther { value: v, holder } => r(
                msg!("roster-wecom-held"),
                &[("value", value(v)), ("holder", value(holder))],
            ),
        }
    }
}

/// WeCom's rule for a userid: 1–64 bytes of letters, digits and `_`, `-`, `.`, `@`.
pub fn valid_wecom_userid(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'@'))
}

/// Every column's name in a locale, as a list.
fn columns(catalog: &Catalog, locale: Locale) -> String {
    let names: Vec<String> = Column::ALL
        .iter()
        .map(|c| catalog.text(locale, c.msg()))
        .collect();
    names.join(&catalog.text(locale, msg!("cli-list-separator")))
}

/// A value from the file as it may be shown on a terminal: control characters escaped, so a
/// stray escape sequence in a cell cannot repaint the screen.
fn shown(value: &str) -> String {
    value
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
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
                let detail = e.to_string();
                problems.push(RosterProblem::new(
                    line,
                    None,
                    ProblemKind::Unreadable { detail },
                ));
                return Err(problems);
            }
        }
    }
    let Some((header_line, header)) = records.first() else {
        return Err(vec![RosterProblem::new(1, None, ProblemKind::EmptyFile)]);
    };
    let header_line = *header_line;

    let mut columns: HashMap<Column, usize> = HashMap::new();
    for (i, raw) in header.iter().enumerate() {
        let Ok(text) = std::str::from_utf8(raw) else {
            problems.push(RosterProblem::new(
                header_line,
                None,
                ProblemKind::HeaderNotUtf8,
            ));
            return Err(problems);
        };
        match Column::from_header(text) {
            Some(col) if columns.contains_key(&col) => problems.push(RosterProblem::new(
                header_line,
                Some(col),
                ProblemKind::DuplicateColumn,
            )),
            Some(col) => {
                columns.insert(col, i);
            }
            None if text.trim().is_empty() => {}
            None => problems.push(RosterProblem::new(
                header_line,
                None,
                ProblemKind::UnknownColumn {
                    header: text.trim().to_owned(),
                },
            )),
        }
    }
    for required in [Column::Key, Column::Name, Column::Role] {
        if !columns.contains_key(&required) {
            problems.push(RosterProblem::new(
                header_line,
                Some(required),
                ProblemKind::MissingColumn,
            ));
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
    let mut wecoms: HashMap<String, usize> = HashMap::new();

    for (line, rec) in records.iter().skip(1) {
        let line = *line;
        if rec.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        if rec.len() > header.len() {
            problems.push(RosterProblem::new(
                line,
                None,
                ProblemKind::TooManyFields {
                    found: rec.len(),
                    expected: header.len(),
                },
            ));
            continue;
        }
        let mut cell = |col: Column| -> Option<String> {
            let idx = *columns.get(&col)?;
            let raw = rec.get(idx)?;
            match std::str::from_utf8(raw) {
                Ok(s) => {
                    let s = s.trim();
                    (!s.is_empty()).then(|| s.to_owned())
                }
                Err(_) => {
                    problems.push(RosterProblem::new(line, Some(col), ProblemKind::NotUtf8));
                    None
                }
            }
        };
        let key = cell(Column::Key);
        let name = cell(Column::Name);
        let branch = cell(Column::Branch);
        let kind = cell(Column::BranchKind);
        let group = cell(Column::Group);
        let role = cell(Column::Role);
        let mobile = cell(Column::Mobile);
        let locale = cell(Column::Locale);
        let college = cell(Column::College);
        let wecom = cell(Column::Wecom);
        let before = problems.len();
        let mut problem = |column: Column, kind: ProblemKind| {
            problems.push(RosterProblem::new(line, Some(column), kind))
        };

        let key = match key {
            None => {
                problem(Column::Key, ProblemKind::KeyEmpty);
                None
            }
            Some(k) if k.chars().count() > MAX_KEY_CHARS || k.chars().any(char::is_whitespace) => {
                problem(Column::Key, ProblemKind::KeyInvalid { value: k });
                None
            }
            Some(k) => match keys.get(&k.to_lowercase()) {
                Some(&first_line) => {
                    problem(
                        Column::Key,
                        ProblemKind::KeyDuplicate {
                            value: k,
                            first_line,
                        },
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
                problem(Column::Name, ProblemKind::NameEmpty);
                None
            }
            Some(n) if n.chars().count() > MAX_NAME_CHARS => {
                problem(
                    Column::Name,
                    ProblemKind::TooLong {
                        max: MAX_NAME_CHARS,
                    },
                );
                None
            }
            Some(n) if n.chars().any(char::is_control) => {
                problem(Column::Name, ProblemKind::ControlCharacter);
                None
            }
            Some(n) => Some(n),
        };
        let role = match role.as_deref().map(str::parse::<Role>) {
            None => {
                problem(Column::Role, ProblemKind::RoleEmpty);
                None
            }
            Some(Err(())) => {
                problem(
                    Column::Role,
                    ProblemKind::RoleInvalid {
                        value: role.unwrap_or_default(),
                    },
                );
                None
            }
            Some(Ok(r)) => Some(r),
        };
        let college = match college.as_deref().map(str::to_lowercase).as_deref() {
            None | Some("no" | "n" | "false" | "0" | "否") => Some(false),
            Some("yes" | "y" | "true" | "1" | "是") => Some(true),
            Some(_) => {
                problem(
                    Column::College,
                    ProblemKind::CollegeInvalid {
                        value: college.unwrap_or_default(),
                    },
                );
                None
            }
        };
        let phone = match mobile {
            None => Some(None),
            Some(m) => match m.parse::<Phone>() {
                Ok(p) => match phones.get(p.as_str()) {
                    Some(&first_line) => {
                        problem(
                            Column::Mobile,
                            ProblemKind::PhoneDuplicate {
                                phone: p,
                                first_line,
                            },
                        );
                        None
                    }
                    None => {
                        phones.insert(p.as_str().to_owned(), line);
                        Some(Some(p))
                    }
                },
                Err(reason) => {
                    problem(
                        Column::Mobile,
                        ProblemKind::PhoneInvalid { value: m, reason },
                    );
                    None
                }
            },
        };
        let wecom = match wecom {
            None => Some(None),
            Some(w) if !valid_wecom_userid(&w) => {
                problem(Column::Wecom, ProblemKind::WecomInvalid { value: w });
                None
            }
            // WeCom userids are not case-sensitive.
            Some(w) => match wecoms.entry(w.to_lowercase()) {
                Entry::Occupied(first) => {
                    problem(
                        Column::Wecom,
                        ProblemKind::WecomDuplicate {
                            value: w,
                            first_line: *first.get(),
                        },
                    );
                    None
                }
                Entry::Vacant(slot) => {
                    slot.insert(line);
                    Some(Some(w))
                }
            },
        };
        let locale = match locale {
            None => Some(default_locale),
            Some(l) => match l.parse::<Locale>() {
                Ok(l) => Some(l),
                Err(_) => {
                    problem(Column::Locale, ProblemKind::LocaleInvalid { value: l });
                    None
                }
            },
        };
        if branch.is_none() && group.is_some() {
            problem(Column::Group, ProblemKind::GroupWithoutBranch);
        }
        if let (None, Some(r), Some(false)) = (&branch, role, college) {
            if r != Role::Masses {
                problem(Column::Branch, ProblemKind::BranchEmpty);
            }
        }
        if let Some(b) = &branch {
            if b.chars().count() > MAX_NAME_CHARS {
                problem(
                    Column::Branch,
                    ProblemKind::TooLong {
                        max: MAX_NAME_CHARS,
                    },
                );
            }
            match kind.as_deref().map(str::parse::<BranchKind>) {
                Some(Err(())) => problem(
                    Column::BranchKind,
                    ProblemKind::BranchKindInvalid {
                        value: kind.clone().unwrap_or_default(),
                    },
                ),
                Some(Ok(k)) => match branch_kinds.get(b) {
                    Some(&(existing, first_line)) if existing != k => problem(
                        Column::BranchKind,
                        ProblemKind::BranchKindConflict {
                            first_line,
                            kind: existing,
                        },
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
        if let (
            Some(key),
            Some(name),
            Some(role),
            Some(phone),
            Some(locale),
            Some(college),
            Some(wecom),
        ) = (key, name, role, phone, locale, college, wecom)
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
                wecom,
            });
        }
    }
    for (branch, line) in branch_without_kind {
        // Reported once, on the branch's first line; the placeholder kind silences the rest.
        if let Entry::Vacant(slot) = branch_kinds.entry(branch) {
            let branch = slot.key().clone();
            slot.insert((BranchKind::Teacher, line));
            problems.push(RosterProblem::new(
                line,
                Some(Column::BranchKind),
                ProblemKind::BranchKindMissing { branch },
            ));
        }
    }
    if problems.is_empty() && roster.members.is_empty() {
        problems.push(RosterProblem::new(
            header_line + 1,
            None,
            ProblemKind::NoMembers,
        ));
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
    const ROLES: &str = "use one of: secretary, deputy_secretary, committee_member, group_leader, member, probationary, activist, masses (or 书记, 副书记, 支委, 党小组长, 党员, 预备党员, 入党积极分子, 群众)";
    const RIGHT_PHONE_EN: &str = "write an 11-digit Chinese mobile number (13812345678) or + and the country code (+8613812345678)";

    fn parse_str(s: &str) -> Result<Roster, Vec<RosterProblem>> {
        parse(s.as_bytes(), Locale::ZhCn)
    }

    fn rendered(problems: &[RosterProblem], locale: Locale) -> Vec<String> {
        let catalog = Catalog::load().unwrap();
        problems
            .iter()
            .map(|p| p.render(&catalog, locale))
            .collect()
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
        let roster = parse_str(&csv).unwrap();
        assert_eq!(roster.members.len(), 2);
    }

    #[test]
    fn every_problem_is_reported_with_line_and_column_in_english() {
        let csv = format!(
            "{HEADER}T1,甲,一支部,student,,党员,13812345678,,\nT1,乙,一支部,,,chairman,13812345678,fr,Maybe\n,,,,,,,,\nT3,,二支部,,,党员,12,,\n"
        );
        let problems = parse_str(&csv).unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            vec![
                "line 3, column 'key': 'T1' is already used on line 2; keys must be unique".to_owned(),
                format!("line 3, column 'role': 'chairman' is not a role; {ROLES}"),
                "line 3, column 'college': 'Maybe' is not yes or no (是/否)".to_owned(),
                "line 3, column 'mobile': +8613812345678 is already used on line 2; two members cannot share a mobile number".to_owned(),
                "line 3, column 'locale': 'fr' is not a locale; use zh-CN or en".to_owned(),
                "line 5, column 'name': empty; write the member's name".to_owned(),
                format!("line 5, column 'mobile': '12' is not a phone number: it has 2 digits; {RIGHT_PHONE_EN}"),
                "line 5, column 'branch_kind': no line gives the kind of branch '二支部'; write teacher or student (教师/学生) on at least one of its lines".to_owned(),
            ]
        );
    }

    #[test]
    fn every_problem_is_reported_with_line_and_column_in_chinese() {
        let csv = format!(
            "{HEADER}T1,甲,一支部,student,,党员,13812345678,,\nT1,乙,一支部,,,chairman,13812345678,fr,Maybe\n,,,,,,,,\nT3,,二支部,,,党员,1381234,,\n"
        );
        let text = rendered(&parse_str(&csv).unwrap_err(), Locale::ZhCn);
        assert_eq!(
            text[0],
            "第 3 行，“编号”列：“T1”已在第 2 行用过；编号不能重复"
        );
        assert_eq!(
            text[1],
            "第 3 行，“角色”列：“chairman”不是可用的角色；请填写以下之一：书记、副书记、支委、党小组长、党员、预备党员、入党积极分子、群众"
        );
        assert_eq!(
            text[2],
            "第 3 行，“学院党委”列：“Maybe”不是“是”或“否”；请填写“是”或“否”（留空即为“否”）"
        );
        assert_eq!(
            text[3],
            "第 3 行，“手机”列：+8613812345678 已在第 2 行用过；两位成员不能共用一个手机号"
        );
        assert_eq!(text[5], "第 5 行，“姓名”列：没有填写；请写上成员的姓名");
        assert_eq!(
            text[6],
            "第 5 行，“手机”列：“1381234”不是手机号：位数不对（7 位）；请写 11 位的中国大陆手机号（如 13812345678），或写 + 加国家代码（如 +8613812345678）"
        );
        assert_eq!(text[7], "第 5 行，“支部类型”列：没有哪一行写明支部“二支部”的类型；请至少在它的一行里填写“教师”或“学生”");
    }

    #[test]
    fn problems_are_data_that_name_the_kind_and_its_values() {
        let csv = format!("{HEADER}T1,甲,一支部,student,,党员,13812345678,,\nt1,乙,一支部,,,党员,+86 138 1234 5678,,\n");
        let problems = parse_str(&csv).unwrap_err();
        assert_eq!(
            problems,
            vec![
                RosterProblem::new(
                    3,
                    Some(Column::Key),
                    ProblemKind::KeyDuplicate {
                        value: "t1".into(),
                        first_line: 2
                    }
                ),
                RosterProblem::new(
                    3,
                    Some(Column::Mobile),
                    ProblemKind::PhoneDuplicate {
                        phone: "13812345678".parse().unwrap(),
                        first_line: 2
                    }
                ),
            ]
        );
    }

    #[test]
    fn invalid_utf8_is_named_not_garbled() {
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend_from_slice(b"T1,\xff\xfe,one,student,,member,,,\n");
        let problems = parse(&bytes, Locale::ZhCn).unwrap_err();
        // The undecodable cell then also counts as empty (the parser's behaviour, kept as is).
        assert_eq!(
            rendered(&problems, Locale::En),
            [
                "line 2, column 'name': not valid UTF-8; save the file as UTF-8",
                "line 2, column 'name': empty; write the member's name"
            ]
        );
        assert_eq!(
            rendered(&problems[..1], Locale::ZhCn),
            ["第 2 行，“姓名”列：不是 UTF-8 编码；请把文件另存为 UTF-8 编码"]
        );
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let problems = parse_str("key,name,salary\nT1,甲,1\n").unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            [
                "line 1: unknown column 'salary'; known columns: key, name, branch, branch_kind, group, role, mobile, locale, college, wecom",
                "line 1, column 'role': this column is required; add it to the first line",
            ]
        );
        assert_eq!(
            rendered(&problems, Locale::ZhCn),
            [
                "第 1 行：不认识的列名“salary”；可用的列名：编号、姓名、支部、支部类型、党小组、角色、手机、语言、学院党委、企业微信账号",
                "第 1 行，“角色”列：缺少这一列；请在第一行加上它",
            ]
        );
    }

    #[test]
    fn a_repeated_column_and_a_line_with_too_many_fields_are_refused() {
        let problems = parse_str("key,name,role,姓名\nT1,甲,党员,乙\n").unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            ["line 1, column 'name': this column appears twice; keep one of them"]
        );
        let problems =
            parse_str(&format!("{HEADER}T1,甲,一支部,student,,党员,,,,extra\n")).unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            ["line 2: 10 fields but the header names 9; quote a value that contains a comma"]
        );
        assert_eq!(
            rendered(&problems, Locale::ZhCn),
            ["第 2 行：这一行有 10 个字段，但表头只有 9 列；含逗号的内容请用英文双引号括起来"]
        );
    }

    #[test]
    fn a_branch_with_two_kinds_names_the_line_that_gave_the_first() {
        let csv = format!("{HEADER}T1,甲,一支部,teacher,,党员,,,\nT2,乙,一支部,学生,,党员,,,\n");
        let problems = parse_str(&csv).unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            ["line 3, column 'branch_kind': line 2 says this branch is teacher; a branch has one kind, so write the same on every line"]
        );
        assert_eq!(
            rendered(&problems, Locale::ZhCn),
            ["第 3 行，“支部类型”列：第 2 行写的是“教师”；同一个支部只能有一种类型，请在各行写成一样"]
        );
    }

    #[test]
    fn keys_names_and_branches_that_are_not_right_say_what_would_be() {
        let long = "长".repeat(MAX_NAME_CHARS + 1);
        let csv = format!(
            "{HEADER},甲,一支部,student,,党员,,,\nT 2,乙,一支部,,,党员,,,\nT3,{long},一支部,,,党员,,,\nT4,丁,,,组,党员,,,\nT5,戊,一支部,party,,,,,\n"
        );
        let problems = parse_str(&csv).unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            [
                "line 2, column 'key': empty; every member needs a unique key (staff or student number)",
                "line 3, column 'key': 'T 2' is not a key: at most 32 characters, no spaces",
                "line 4, column 'name': longer than 64 characters; shorten it",
                "line 5, column 'group': a party group needs a branch; fill in the branch or leave the group empty",
                "line 5, column 'branch': empty; every member except the masses and college committee members belongs to a branch",
                &format!("line 6, column 'role': empty; {ROLES}"),
                "line 6, column 'branch_kind': 'party' is not a branch kind; use teacher or student (教师/学生)",
            ]
        );
    }

    #[test]
    fn control_characters_in_a_value_are_shown_escaped() {
        let csv = format!("{HEADER}T1,\"甲\t乙\",一支部,student,,\"x\u{1b}[31m\",,,\n");
        let problems = parse_str(&csv).unwrap_err();
        assert_eq!(
            rendered(&problems, Locale::En),
            [
                "line 2, column 'name': contains a control character (such as a tab or a line break); remove it".to_owned(),
                format!("line 2, column 'role': 'x\\u{{1b}}[31m' is not a role; {ROLES}"),
            ]
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        let empty = parse_str("").unwrap_err();
        assert_eq!(empty[0].kind, ProblemKind::EmptyFile);
        assert_eq!(
            rendered(&empty, Locale::En),
            ["line 1: the file is empty; the first line must name the columns (key, name, branch, branch_kind, group, role, mobile, locale, college, wecom)"]
        );
        let no_members = parse_str(HEADER).unwrap_err();
        assert_eq!(no_members[0].kind, ProblemKind::NoMembers);
        assert_eq!(
            rendered(&no_members, Locale::En),
            ["line 2: no members in the file; write one member per line below the header"]
        );
        assert_eq!(
            rendered(&no_members, Locale::ZhCn),
            ["第 2 行：文件里没有成员；请在表头下面每行写一位成员"]
        );
    }

    #[test]
    fn a_number_held_by_a_member_missing_from_the_file_is_explained() {
        let problem = RosterProblem::new(
            7,
            Some(Column::Mobile),
            ProblemKind::PhoneHeldByOther {
                phone: "13800010001".parse().unwrap(),
                holder: "T001".into(),
            },
        );
        assert_eq!(
            rendered(std::slice::from_ref(&problem), Locale::En),
            ["line 7, column 'mobile': +8613800010001 belongs to member 'T001', who is not in this file; add that member to the file (with their new number) or check this number"]
        );
        assert_eq!(
            rendered(&[problem], Locale::ZhCn),
            ["第 7 行，“手机”列：+8613800010001 属于成员“T001”，但该成员不在这个文件里；请把该成员（连同其新手机号）也写进文件，或核对这个号码"]
        );
    }

    #[test]
    fn every_column_name_in_every_locale_is_accepted_as_a_header() {
        let catalog = Catalog::load().unwrap();
        for locale in Locale::ALL {
            for column in Column::ALL {
                let name = catalog.text(locale, column.msg());
                assert_eq!(Column::from_header(&name), Some(column), "{locale}: {name}");
            }
        }
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.header()), Some(column));
        }
    }
}
