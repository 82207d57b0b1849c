//! Guards that keep the structure from sliding back (issue 16, docs/ARCHITECTURE.md):
//! - the `crate::` edges between the top-level modules of `src/` are the ones listed in
//!   `tests/data/module-edges.txt`, no more (a new upward or sideways edge fails) and no fewer
//!   (an edge that is gone must be struck from the list, so the list only shrinks);
//! - the SQLite and PostgreSQL migrations describe the same schema: the same tables and
//!   columns, the same NOT NULL, CHECK, UNIQUE, primary and foreign keys and indexes, once the
//!   two dialects' spellings are made one.
//!
//! Both read the source tree as text, so they run without a database.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

// ---------------------------------------------------------------------------------------------
// Module edges

/// Every `.rs` file under `dir`, depth first, in name order.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            out.push(path);
        }
    }
}

/// The text without `//` comments (doc links name paths that are not imports). A `//` inside a
/// string literal cuts the rest of that line too, which only ever loses text, never adds an
/// edge.
fn without_comments(source: &str) -> String {
    source
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The top-level modules a source text names through `crate::…`, including the members of a
/// group (`use crate::{a::X, b};`).
fn named_modules(source: &str) -> BTreeSet<String> {
    let text = without_comments(source);
    let mut out = BTreeSet::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            continue; // `$crate::` or `branchbot_crate::`: not this crate's path
        }
        let rest_trim = rest.trim_start();
        if let Some(group) = rest_trim.strip_prefix('{') {
            // The first identifier of each item at depth one of the group.
            let mut depth = 1;
            let mut item_start = true;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        item_start = true;
                        continue;
                    }
                    _ => {}
                }
                if depth == 1 && item_start && !c.is_whitespace() {
                    item_start = false;
                    let name = ident_at(&group[i..]);
                    if !name.is_empty() {
                        out.insert(name.to_owned());
                    }
                }
            }
        } else {
            let name = ident_at(rest_trim);
            if !name.is_empty() {
                out.insert(name.to_owned());
            }
        }
    }
    out
}

/// The top-level module a file of `src/` belongs to (`src/flows/meetings/rsvp.rs` → `flows`).
fn owner(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main")).then(|| name.to_owned())
}

/// `from -> to` for every top-level module of `src/` that names another through `crate::`.
fn module_edges() -> BTreeSet<(String, String)> {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut modules = BTreeSet::new();
    for f in &files {
        if let Some(m) = owner(&src, f) {
            modules.insert(m);
        }
    }
    let mut edges = BTreeSet::new();
    for f in &files {
        let Some(from) = owner(&src, f) else { continue };
        let text = fs::read_to_string(f).expect("a source file");
        for to in named_modules(&text) {
            if to != from && modules.contains(&to) {
                edges.insert((from.clone(), to));
            }
        }
    }
    edges
}

fn allowed_edges() -> BTreeSet<(String, String)> {
    let path = Path::new(ROOT).join("tests/data/module-edges.txt");
    let text = fs::read_to_string(&path).expect("tests/data/module-edges.txt");
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (from, to) = l
                .split_once("->")
                .unwrap_or_else(|| panic!("not `from -> to`: {l:?}"));
            (from.trim().to_owned(), to.trim().to_owned())
        })
        .collect()
}

#[test]
fn every_import_between_top_level_modules_is_one_the_allowlist_names() {
    let edges = module_edges();
    let allowed = allowed_edges();
    let new: Vec<_> = edges
        .difference(&allowed)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        new.is_empty(),
        "imports not in tests/data/module-edges.txt (docs/ARCHITECTURE.md says which way \
         imports point; move the type down instead of adding the edge):\n{}",
        new.join("\n")
    );
}

/// A cycle among `edges` as `a -> b -> … -> a`, if there is one (depth first, in name order, so
/// the same tree always names the same cycle).
fn a_cycle(edges: &BTreeSet<(String, String)>) -> Option<Vec<String>> {
    let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        next.entry(a).or_default().push(b);
    }
    // 0 unseen, 1 on the path, 2 done.
    fn visit<'a>(
        at: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        mark: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<String>> {
        mark.insert(at, 1);
        path.push(at);
        for &to in next.get(at).into_iter().flatten() {
            match mark.get(to).copied().unwrap_or(0) {
                1 => {
                    let from = path.iter().position(|m| *m == to).expect("on the path");
                    let mut cycle: Vec<String> =
                        path[from..].iter().map(|m| m.to_string()).collect();
                    cycle.push(to.to_owned());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(to, next, mark, path) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        path.pop();
        mark.insert(at, 2);
        None
    }
    let mut mark = BTreeMap::new();
    let starts: Vec<&str> = next.keys().copied().collect();
    for start in starts {
        if mark.get(start).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(start, &next, &mut mark, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_top_level_modules_import_one_another_without_a_cycle() {
    // The kernel at the bottom, the platform above it, the features above that, the channels,
    // web, CLI and `app` (the one list of features) at the top: every import points down.
    if let Some(cycle) = a_cycle(&module_edges()) {
        panic!(
            "an import cycle among the top-level modules of src/: {} (move the shared type \
             down, or let the upper module hand it over, as app::features does)",
            cycle.join(" -> ")
        );
    }
}

#[test]
fn the_cycle_finder_finds_a_cycle_and_only_a_cycle() {
    let edges = |list: &[(&str, &str)]| -> BTreeSet<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        a_cycle(&edges(&[
            ("app", "flows"),
            ("flows", "store"),
            ("app", "store")
        ])),
        None
    );
    assert_eq!(
        a_cycle(&edges(&[
            ("dues", "flows"),
            ("flows", "store"),
            ("flows", "dues")
        ])),
        Some(vec!["dues".into(), "flows".into(), "dues".into()])
    );
}

#[test]
fn an_import_that_is_gone_is_struck_from_the_allowlist_so_it_only_shrinks() {
    let edges = module_edges();
    let allowed = allowed_edges();
    let gone: Vec<_> = allowed
        .difference(&edges)
        .map(|(a, b)| format!("{a} -> {b}"))
        .collect();
    assert!(
        gone.is_empty(),
        "these lines of tests/data/module-edges.txt no longer match an import; delete them:\n{}",
        gone.join("\n")
    );
}

#[test]
fn the_edge_reader_sees_plain_grouped_and_nested_paths_but_not_comments() {
    let found = named_modules(
        "use crate::flows::Reply;\n\
         use crate::{\n    i18n::{Catalog, Msg},\n    store::Store,\n    clock,\n};\n\
         let x = crate::config::Config::default();\n\
         // use crate::http::AppState;\n\
         /// [`crate::oversight`]\n\
         $crate::scheduler::x!();\n",
    );
    let want: BTreeSet<String> = ["flows", "i18n", "store", "clock", "config"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, want);
}

// ---------------------------------------------------------------------------------------------
// Layers

/// The layers of `src/`, bottom first (docs/ARCHITECTURE.md draws them). A module imports only
/// its own layer or those below it; within the feature layer, one feature reaches another only
/// through its public API ([`FEATURE_API`]). A module missing here fails the test: say where a
/// new one stands.
const LAYERS: &[(&str, &[&str])] = &[
    // No I/O: the conversation's vocabulary, texts, the clock, sealing, domain types.
    ("kernel", &["anonymity", "chat", "clock", "domain", "i18n"]),
    // The pool, transactions, dialects, migrations, shared tables.
    ("store", &["store"]),
    // Knows no feature: settings, the engine, inbox/outbox, scheduler, audit, exports, files.
    (
        "platform",
        &[
            "attachments",
            "config",
            "delivery",
            "export",
            "flows",
            "scheduler",
            "status",
            "terminal",
        ],
    ),
    // One folder each.
    (
        "features",
        &[
            "campaign",
            "dues",
            "evaluation",
            "feedback",
            "files",
            "meetings",
            "notices",
            "org",
            "pledges",
            "records",
            "recruitment",
            "spotcheck",
        ],
    ),
    // Read across features, translate for a channel, serve the web, wire it all.
    (
        "top",
        &[
            "app",
            "channels",
            "cli",
            "http",
            "oversight",
            "startup",
            "testkit",
        ],
    ),
];

/// What one feature may name of another: its `service` (what chat, CLI, jobs and other
/// features call) and its `rules` (pure types and parsing).
const FEATURE_API: &[&str] = &["service", "rules"];

fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, members))| members.contains(&module))
        .map(|(i, (name, _))| (i, *name))
}

#[test]
fn every_top_level_module_stands_in_a_layer() {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let unplaced: BTreeSet<String> = files
        .iter()
        .filter_map(|f| owner(&src, f))
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        unplaced.is_empty(),
        "top-level modules of src/ that no layer of tests/architecture.rs names (add each to \
         the layer it belongs to, as docs/ARCHITECTURE.md draws them): {unplaced:?}"
    );
}

#[test]
fn every_import_points_down_or_within_its_layer() {
    let upward: Vec<String> = module_edges()
        .into_iter()
        .filter_map(|(from, to)| {
            let (a, la) = layer_of(&from)?;
            let (b, lb) = layer_of(&to)?;
            (b > a).then(|| format!("{from} ({la}) -> {to} ({lb})"))
        })
        .collect();
    assert!(
        upward.is_empty(),
        "imports from a lower layer to a higher one (move the type down, or let the higher \
         module hand it over):\n{}",
        upward.join("\n")
    );
}

/// Steps over ` as name` after a path, if it is there.
fn skip_rename(s: &str, at: &mut usize) {
    let rest = &s[*at..];
    let trimmed = rest.trim_start();
    if let Some(after) = trimmed.strip_prefix("as") {
        if after.starts_with(char::is_whitespace) {
            let after = after.trim_start();
            *at += rest.len() - after.len() + ident_at(after).len();
        }
    }
}

/// Every `crate::` path of a source text, as its segments (a group `crate::a::{b, c::d}` is
/// `a::b` and `a::c::d`); comments are skipped as in [`named_modules`].
fn crate_paths(source: &str) -> Vec<Vec<String>> {
    fn tree(s: &str, at: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let bytes = s.as_bytes();
        let skip_ws = |at: &mut usize| {
            while *at < bytes.len() && (bytes[*at] as char).is_whitespace() {
                *at += 1;
            }
        };
        skip_ws(at);
        if *at < bytes.len() && bytes[*at] == b'{' {
            *at += 1;
            loop {
                skip_ws(at);
                if *at >= bytes.len() {
                    return;
                }
                if bytes[*at] == b'}' {
                    *at += 1;
                    return;
                }
                if bytes[*at] == b',' {
                    *at += 1;
                    continue;
                }
                let before = *at;
                tree(s, at, prefix, out);
                if *at == before {
                    *at += 1; // not a path (`*`, `self as x`): step over it
                }
            }
        }
        let name = ident_at(&s[*at..]);
        if name.is_empty() {
            if !prefix.is_empty() {
                out.push(prefix.to_vec());
            }
            return;
        }
        *at += name.len();
        if name == "self" {
            // `a::{self, b}`: `a` itself.
            out.push(prefix.to_vec());
            skip_rename(s, at);
            return;
        }
        let mut path = prefix.to_vec();
        path.push(name.to_owned());
        if s[*at..].starts_with("::") {
            *at += 2;
            tree(s, at, &path, out);
        } else {
            out.push(path);
            skip_rename(s, at);
        }
    }
    let text = without_comments(source);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("crate::") {
        let start = from + found;
        let before = text[..start].chars().next_back();
        let mut at = start + "crate::".len();
        if !before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
            tree(&text, &mut at, &[], &mut out);
        }
        from = at.max(start + 1);
    }
    out
}

#[test]
fn a_feature_reaches_another_only_through_its_service_or_rules() {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let features = LAYERS
        .iter()
        .find(|(name, _)| *name == "features")
        .map(|(_, m)| *m)
        .expect("a feature layer");
    let mut wrong = BTreeSet::new();
    for f in &files {
        let Some(from) = owner(&src, f) else { continue };
        if !features.contains(&from.as_str()) {
            continue;
        }
        let text = fs::read_to_string(f).expect("a source file");
        for path in crate_paths(&text) {
            let [to, second, ..] = path.as_slice() else {
                continue;
            };
            if *to != from
                && features.contains(&to.as_str())
                && !FEATURE_API.contains(&second.as_str())
            {
                let rel = f.strip_prefix(ROOT).unwrap_or(f).display().to_string();
                wrong.insert(format!("{rel}: crate::{}", path.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a feature names another feature's insides (go through its `service` or `rules`):\n{}",
        wrong.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn the_path_reader_expands_groups_and_skips_comments() {
    let paths = crate_paths(
        "use crate::meetings::{service::secretaries, text::{absent_entry, leave_entry}};\n\
         use crate::{pledges::service, store::Store};\n\
         use crate::meetings::store::{self as meetings, Rsvp as R};\n\
         let x = crate::dues::rules::Month::parse(s);\n\
         // crate::notices::chat::x\n\
         $crate::scheduler::x!();\n",
    );
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        shown,
        [
            "meetings::service::secretaries",
            "meetings::text::absent_entry",
            "meetings::text::leave_entry",
            "pledges::service",
            "store::Store",
            "meetings::store",
            "meetings::store::Rsvp",
            "dues::rules::Month::parse",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Migration parity

/// What the parity test compares of one table.
#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    /// Column name → its normalised description (type, NOT NULL, PRIMARY KEY, UNIQUE, CHECK,
    /// REFERENCES, DEFAULT present).
    columns: BTreeMap<String, String>,
    /// Table constraints, normalised (`UNIQUE(a,b)`, `PRIMARY KEY(a,b)`, `CHECK`, …).
    constraints: BTreeSet<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Table>,
    /// Index name → `UNIQUE? table(columns) WHERE?`.
    indexes: BTreeMap<String, String>,
}

fn strip_sql_comments(sql: &str) -> String {
    sql.lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Splits at commas that are not inside parentheses or quotes.
fn split_top(body: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quoted) = (Vec::new(), String::new(), 0, false);
    for c in body.chars() {
        match c {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(cur.trim().to_owned());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_owned());
    }
    out
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One dialect's spelling of a column made the other's: integer keys (`INTEGER PRIMARY KEY`
/// on SQLite, `BIGINT GENERATED … AS IDENTITY` on PostgreSQL), blobs, floats and booleans.
fn column(def: &str) -> (String, String) {
    let def = squash(def);
    let upper = def.to_uppercase();
    let name = ident_at(&def).to_lowercase();
    let rest = upper[name.len()..].trim().to_owned();
    let ty = rest.split(' ').next().unwrap_or("").to_owned();
    let ty = match ty.as_str() {
        "INTEGER" | "BIGINT" | "INT" | "INT8" | "SMALLINT" => "int",
        "TEXT" | "VARCHAR" => "text",
        "BLOB" | "BYTEA" => "bytes",
        "REAL" | "DOUBLE" | "FLOAT8" => "float",
        "BOOLEAN" | "BOOL" => "bool",
        other => panic!("a column type the parity test does not know: {other} in {def:?}"),
    };
    let has = |w: &str| rest.contains(w);
    let mut desc = vec![ty.to_owned()];
    if has("NOT NULL") {
        desc.push("not null".into());
    }
    // SQLite's INTEGER PRIMARY KEY and PostgreSQL's identity column are the same promise: a
    // key the database assigns.
    if has("PRIMARY KEY") {
        desc.push("primary key".into());
    }
    if has("GENERATED") && has("IDENTITY") || ty == "int" && rest.starts_with("INTEGER PRIMARY KEY")
    {
        desc.push("assigned".into());
    }
    if has("UNIQUE") {
        desc.push("unique".into());
    }
    if has("CHECK") {
        desc.push("check".into());
    }
    if let Some(at) = rest.find("REFERENCES ") {
        let target = ident_at(&rest[at + "REFERENCES ".len()..]).to_lowercase();
        desc.push(format!("references {target}"));
    }
    if has("DEFAULT") {
        desc.push("default".into());
    }
    (name, desc.join(" "))
}

fn constraint(def: &str) -> String {
    let def = squash(def).to_lowercase();
    let def = match def.strip_prefix("constraint ") {
        Some(rest) => rest.split_once(' ').map_or("", |(_, r)| r).to_owned(),
        None => def,
    };
    if def.starts_with("check") {
        return "check".into();
    }
    def.replace(' ', "")
}

fn schema(dialect: &str) -> Schema {
    let dir = Path::new(ROOT).join("migrations").join(dialect);
    let mut files: Vec<_> = fs::read_dir(&dir)
        .expect("a migrations folder")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut schema = Schema::default();
    for file in files {
        let sql = strip_sql_comments(&fs::read_to_string(&file).expect("a migration"));
        for stmt in sql.split(';').map(squash).filter(|s| !s.is_empty()) {
            let upper = stmt.to_uppercase();
            if let Some(rest) = upper.strip_prefix("CREATE TABLE ") {
                let rest = rest.trim_start_matches("IF NOT EXISTS ");
                let name = ident_at(rest).to_lowercase();
                let open = stmt.find('(').expect("a column list");
                let close = stmt.rfind(')').expect("a column list");
                let mut table = Table::default();
                for item in split_top(&stmt[open + 1..close]) {
                    let head = item.to_uppercase();
                    if [
                        "CONSTRAINT ",
                        "UNIQUE",
                        "CHECK",
                        "PRIMARY KEY",
                        "FOREIGN KEY",
                    ]
                    .iter()
                    .any(|k| head.starts_with(k))
                    {
                        table.constraints.insert(constraint(&item));
                    } else {
                        let (col, desc) = column(&item);
                        table.columns.insert(col, desc);
                    }
                }
                schema.tables.insert(name, table);
            } else if upper.starts_with("CREATE INDEX ")
                || upper.starts_with("CREATE UNIQUE INDEX ")
            {
                let unique = upper.starts_with("CREATE UNIQUE");
                let after = upper.split_once("INDEX ").expect("INDEX").1;
                let after = after.trim_start_matches("IF NOT EXISTS ");
                let name = ident_at(after).to_lowercase();
                let on = upper.split_once(" ON ").expect("ON").1;
                let desc = format!(
                    "{}{}",
                    if unique { "unique " } else { "" },
                    on.to_lowercase().replace(' ', "")
                );
                schema.indexes.insert(name, desc);
            } else if let Some(rest) = upper.strip_prefix("ALTER TABLE ") {
                let table = ident_at(rest).to_lowercase();
                let entry = |schema: &mut Schema| {
                    schema
                        .tables
                        .remove(&table)
                        .unwrap_or_else(|| panic!("ALTER of an unknown table: {stmt}"))
                };
                if let Some((_, to)) = rest.split_once(" RENAME TO ") {
                    // The last step of a SQLite table rebuild (create new, copy, drop, rename).
                    let moved = entry(&mut schema);
                    schema.tables.insert(ident_at(to).to_lowercase(), moved);
                } else if rest.contains(" ADD CONSTRAINT ") {
                    let mut t = entry(&mut schema);
                    let body = &stmt[stmt.to_uppercase().find(" ADD CONSTRAINT ").unwrap() + 5..];
                    for add in split_top(body) {
                        let add = add.trim_start_matches("ADD ").trim_start_matches("add ");
                        t.constraints.insert(constraint(add));
                    }
                    schema.tables.insert(table, t);
                } else {
                    let add = rest.split_once(" ADD COLUMN ").unwrap_or_else(|| {
                        panic!("an ALTER the parity test does not know: {stmt}")
                    });
                    let (col, desc) = column(add.1);
                    let mut t = entry(&mut schema);
                    t.columns.insert(col, desc);
                    schema.tables.insert(table, t);
                }
            } else if let Some(rest) = upper.strip_prefix("DROP INDEX ") {
                schema
                    .indexes
                    .remove(&ident_at(rest.trim_start_matches("IF EXISTS ")).to_lowercase());
            } else if let Some(rest) = upper.strip_prefix("DROP TABLE ") {
                schema
                    .tables
                    .remove(&ident_at(rest.trim_start_matches("IF EXISTS ")).to_lowercase());
            } else if upper.starts_with("INSERT ")
                || upper.starts_with("UPDATE ")
                || upper.starts_with("DELETE ")
            {
                // Data, not schema.
            } else if upper.starts_with("PRAGMA ")
                || upper.starts_with("BEGIN")
                || upper == "COMMIT"
                || upper.starts_with("CREATE TEMP TABLE ")
            {
                // A SQLite rebuild's own transaction, its foreign-key switch and the scratch
                // table its foreign-key check uses: nothing that stays in the schema.
            } else {
                panic!("a statement the parity test does not know, in {file:?}: {stmt}");
            }
        }
    }
    schema
}

#[test]
fn sqlite_and_postgres_migrations_describe_the_same_schema() {
    let sqlite = schema("sqlite");
    let postgres = schema("postgres");
    assert!(sqlite.tables.len() > 10, "the parser found too few tables");
    let mut drift = Vec::new();
    let names: BTreeSet<_> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(s), Some(p)) => {
                let cols: BTreeSet<_> = s.columns.keys().chain(p.columns.keys()).collect();
                for c in cols {
                    let (a, b) = (s.columns.get(c), p.columns.get(c));
                    if a != b {
                        drift.push(format!("{name}.{c}: sqlite {a:?}, postgres {b:?}"));
                    }
                }
                if s.constraints != p.constraints {
                    drift.push(format!(
                        "{name} constraints: sqlite {:?}, postgres {:?}",
                        s.constraints, p.constraints
                    ));
                }
            }
            (s, p) => drift.push(format!(
                "table {name}: in sqlite {}, in postgres {}",
                s.is_some(),
                p.is_some()
            )),
        }
    }
    let idx: BTreeSet<_> = sqlite
        .indexes
        .keys()
        .chain(postgres.indexes.keys())
        .collect();
    for i in idx {
        let (a, b) = (sqlite.indexes.get(i), postgres.indexes.get(i));
        if a != b {
            drift.push(format!("index {i}: sqlite {a:?}, postgres {b:?}"));
        }
    }
    assert!(drift.is_empty(), "the schemas drift:\n{}", drift.join("\n"));
}

#[test]
fn the_parity_reader_makes_the_two_spellings_of_a_key_one_and_sees_a_missing_not_null() {
    assert_eq!(
        column("id INTEGER PRIMARY KEY"),
        column("id   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
    );
    assert_eq!(column("body BLOB NOT NULL"), column("body BYTEA NOT NULL"));
    assert_ne!(column("kind TEXT NOT NULL"), column("kind TEXT"));
    assert_ne!(
        column("kind TEXT NOT NULL CHECK (kind IN ('a','b'))"),
        column("kind TEXT NOT NULL")
    );
    assert_ne!(
        constraint("CONSTRAINT x UNIQUE (a, b)"),
        constraint("UNIQUE (a)")
    );
}
