//! What differs between two schemas read by [`super::introspect`], one line per difference,
//! naming the table, the column or constraint, and what each dialect has.

use std::collections::BTreeSet;

use super::introspect::{Schema, Table};

/// Every difference between the SQLite and the PostgreSQL schema; empty when they agree.
pub fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    if sqlite.migrations != postgres.migrations {
        out.push(format!(
            "applied migrations differ: SQLite {:?}, PostgreSQL {:?}",
            sqlite.migrations, postgres.migrations
        ));
    }
    if sqlite.others != postgres.others {
        out.push(format!(
            "views and triggers differ: SQLite {:?}, PostgreSQL {:?}",
            sqlite.others, postgres.others
        ));
    }
    let names: BTreeSet<&String> = sqlite.tables.keys().chain(postgres.tables.keys()).collect();
    for name in names {
        match (sqlite.tables.get(name), postgres.tables.get(name)) {
            (Some(s), Some(p)) => table(name, s, p, &mut out),
            (Some(_), None) => out.push(format!("table {name}: only in SQLite")),
            (None, Some(_)) => out.push(format!("table {name}: only in PostgreSQL")),
            (None, None) => unreachable!(),
        }
    }
    out
}

fn table(name: &str, s: &Table, p: &Table, out: &mut Vec<String>) {
    let columns: BTreeSet<&String> = s.columns.keys().chain(p.columns.keys()).collect();
    for column in columns {
        let (sc, pc) = match (s.columns.get(column), p.columns.get(column)) {
            (Some(sc), Some(pc)) => (sc, pc),
            (Some(_), None) => {
                out.push(format!("{name}.{column}: only in SQLite"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("{name}.{column}: only in PostgreSQL"));
                continue;
            }
            (None, None) => unreachable!(),
        };
        if sc.family != pc.family {
            out.push(format!(
                "{name}.{column}: type {} in SQLite, {} in PostgreSQL",
                sc.family, pc.family
            ));
        }
        if sc.not_null != pc.not_null {
            out.push(format!(
                "{name}.{column}: {} in SQLite, {} in PostgreSQL",
                nullability(sc.not_null),
                nullability(pc.not_null)
            ));
        }
        if sc.default != pc.default {
            out.push(format!(
                "{name}.{column}: default {} in SQLite, {} in PostgreSQL",
                shown(&sc.default),
                shown(&pc.default)
            ));
        }
        if sc.generated != pc.generated {
            out.push(format!(
                "{name}.{column}: {} in SQLite, {} in PostgreSQL",
                numbering(sc.generated),
                numbering(pc.generated)
            ));
        }
    }
    if s.primary_key != p.primary_key {
        out.push(format!(
            "{name}: primary key ({}) in SQLite, ({}) in PostgreSQL",
            s.primary_key.join(", "),
            p.primary_key.join(", ")
        ));
    }
    only_in(
        name,
        "index",
        s.indexes.iter().map(|i| (i.key(), i.name.clone())),
        p.indexes.iter().map(|i| (i.key(), i.name.clone())),
        out,
    );
    only_in(
        name,
        "foreign key",
        s.foreign_keys.iter().map(|f| (f.key(), String::new())),
        p.foreign_keys.iter().map(|f| (f.key(), String::new())),
        out,
    );
    only_in(
        name,
        "CHECK",
        s.checks.iter().map(|c| (c.clone(), String::new())),
        p.checks.iter().map(|c| (c.clone(), String::new())),
        out,
    );
}

/// Compares two multisets of `(meaning, name)`, naming what one side has more of.
fn only_in(
    table: &str,
    what: &str,
    sqlite: impl Iterator<Item = (String, String)>,
    postgres: impl Iterator<Item = (String, String)>,
    out: &mut Vec<String>,
) {
    let mut rest: Vec<(String, String)> = postgres.collect();
    let mut only_sqlite = Vec::new();
    for (key, label) in sqlite {
        match rest.iter().position(|(k, _)| *k == key) {
            Some(at) => {
                rest.remove(at);
            }
            None => only_sqlite.push((key, label)),
        }
    }
    for (side, list) in [("SQLite", only_sqlite), ("PostgreSQL", rest)] {
        for (key, label) in list {
            let label = if label.is_empty() {
                String::new()
            } else {
                format!(" {label}")
            };
            out.push(format!("{table}: {what}{label} {key} only in {side}"));
        }
    }
}

fn nullability(not_null: bool) -> &'static str {
    if not_null {
        "NOT NULL"
    } else {
        "nullable"
    }
}

fn numbering(generated: bool) -> &'static str {
    if generated {
        "numbered by the database"
    } else {
        "not numbered by the database"
    }
}

fn shown(default: &Option<String>) -> String {
    default.clone().unwrap_or_else(|| "none".into())
}
