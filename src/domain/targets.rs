//! The feedback targets file (`branchbot targets load`): CSV with a header, or TOML with
//! `[[target]]` tables. Columns: `code`, `kind` (dormitory / post / branch / member, or
//! 示范宿舍 / 党员服务窗口 / 党支部 / 党员), `name`, `building`, `branch`, `member` (a roster key),
//! `residents` (roster keys separated by `;` or spaces). A file with any problem is refused
//! whole; each problem names its line and column.

use serde::Deserialize;

use super::feedback::{parse_code, TargetKind};
use crate::i18n::{Arg, Catalog, Locale, Msg};
use crate::msg;

/// One target as read from the file (names and keys not yet resolved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetLine {
    /// 1-based line (CSV: the header is line 1; TOML: the table's position).
    pub line: usize,
    pub code: String,
    pub kind: TargetKind,
    pub name: String,
    pub building: Option<String>,
    pub branch: Option<String>,
    pub member: Option<String>,
    pub residents: Vec<String>,
}

/// What is wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetProblem {
    pub line: usize,
    pub column: &'static str,
    pub what: Msg,
    pub value: String,
}

impl TargetProblem {
    /// The problem as one line in a locale.
    pub fn render(&self, catalog: &Catalog, locale: Locale) -> String {
        let what = catalog.render(
            locale,
            self.what,
            &[("value", Arg::from(self.value.as_str()))],
        );
        catalog.render(
            locale,
            msg!("targets-problem"),
            &[
                ("line", self.line.into()),
                ("column", self.column.into()),
                ("what", what.into()),
            ],
        )
    }
}

#[derive(Debug, Deserialize)]
struct Raw {
    #[serde(default)]
    code: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    building: Option<String>,
    #[serde(default)]
    branch: Option<String>,
    #[serde(default)]
    member: Option<String>,
    #[serde(default)]
    residents: Option<String>,
}

#[derive(Debug, Deserialize)]
struct TomlFile {
    #[serde(default)]
    target: Vec<Raw>,
}

/// Reads a targets file; `toml` chooses the format.
pub fn parse(bytes: &[u8], toml: bool) -> Result<Vec<TargetLine>, Vec<TargetProblem>> {
    let raws: Vec<(usize, Raw)> = if toml {
        let text = String::from_utf8_lossy(bytes);
        match ::toml::from_str::<TomlFile>(&text) {
            Ok(f) => f
                .target
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i + 1, r))
                .collect(),
            Err(e) => {
                return Err(vec![problem(
                    0,
                    "-",
                    msg!("targets-unreadable"),
                    e.message(),
                )])
            }
        }
    } else {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(bytes);
        let mut out = Vec::new();
        for (i, rec) in reader.deserialize::<Raw>().enumerate() {
            match rec {
                Ok(r) => out.push((i + 2, r)),
                Err(e) => {
                    return Err(vec![problem(
                        i + 2,
                        "-",
                        msg!("targets-unreadable"),
                        &e.to_string(),
                    )])
                }
            }
        }
        out
    };
    let mut problems = Vec::new();
    let mut lines = Vec::new();
    let mut codes = std::collections::HashSet::new();
    for (line, r) in raws {
        let code = parse_code(&r.code);
        if code.is_none() {
            problems.push(problem(line, "code", msg!("targets-bad-code"), &r.code));
        } else if !codes.insert(r.code.trim().to_owned()) {
            problems.push(problem(
                line,
                "code",
                msg!("targets-duplicate-code"),
                &r.code,
            ));
        }
        let kind = TargetKind::parse(&r.kind);
        if kind.is_none() {
            problems.push(problem(line, "kind", msg!("targets-bad-kind"), &r.kind));
        }
        if r.name.trim().is_empty() {
            problems.push(problem(line, "name", msg!("targets-missing"), ""));
        }
        let opt = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let (building, branch, member) = (opt(r.building), opt(r.branch), opt(r.member));
        match kind {
            Some(TargetKind::Dormitory) if building.is_none() => {
                problems.push(problem(line, "building", msg!("targets-missing"), ""))
            }
            Some(TargetKind::Post | TargetKind::Member) if member.is_none() => {
                problems.push(problem(line, "member", msg!("targets-missing"), ""))
            }
            Some(TargetKind::Branch) if branch.is_none() => {
                problems.push(problem(line, "branch", msg!("targets-missing"), ""))
            }
            _ => {}
        }
        let residents = r
            .residents
            .unwrap_or_default()
            .split(|c: char| c == ';' || c == '；' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if let (Some(code), Some(kind)) = (code, kind) {
            lines.push(TargetLine {
                line,
                code,
                kind,
                name: r.name.trim().to_owned(),
                building,
                branch,
                member,
                residents,
            });
        }
    }
    if problems.is_empty() {
        Ok(lines)
    } else {
        Err(problems)
    }
}

/// A problem at a line and column.
pub fn problem(line: usize, column: &'static str, what: Msg, value: &str) -> TargetProblem {
    TargetProblem {
        line,
        column,
        what,
        value: value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_targets_file_reads() {
        let lines = parse(include_bytes!("../../examples/targets.csv"), false).unwrap();
        assert!(lines
            .iter()
            .any(|l| l.kind == TargetKind::Dormitory && !l.residents.is_empty()));
        assert!(lines.iter().any(|l| l.kind == TargetKind::Post));
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.kind == TargetKind::Branch)
                .count(),
            3
        );
    }

    #[test]
    fn a_bad_targets_file_is_refused_with_every_problem_located() {
        let csv = "code,kind,name,building,branch,member,residents\n\
                   12号楼,宿舍,x,12,,,\n\
                   D1,castle,y,,,,\n\
                   P1,post,,,,,\n";
        let problems = parse(csv.as_bytes(), false).unwrap_err();
        let at: Vec<(usize, &str)> = problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(
            at,
            vec![(2, "code"), (3, "kind"), (4, "name"), (4, "member")]
        );
        let toml = "[[target]]\ncode = \"D12-305\"\nkind = \"dormitory\"\nname = \"12号楼 305\"\nbuilding = \"12\"\n";
        assert_eq!(parse(toml.as_bytes(), true).unwrap()[0].code, "D12-305");
    }
}
