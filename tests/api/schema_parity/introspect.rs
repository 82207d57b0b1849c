//! Reads a migrated database's schema into one shape for both dialects: SQLite through
//! `sqlite_master` and its `pragma_*` table functions, PostgreSQL through `information_schema`
//! and `pg_catalog`. What each dialect spells differently is normalised here (type names to a
//! family, `'x'::text` to `'x'`, `x = ANY (ARRAY[…])` to `x IN (…)`), so that what is left to
//! compare is what the schema means.

use std::collections::BTreeMap;

use branchbot::store::{Backend, Store};
use sqlx::Row;

/// One database's schema: its tables by name, and the migrations it applied.
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub tables: BTreeMap<String, Table>,
    /// `(version, description)` from `_sqlx_migrations`.
    pub migrations: Vec<(i64, String)>,
    /// Views and triggers, as `view NAME` and `trigger NAME on TABLE` (their bodies are
    /// written in each dialect's own language and not compared).
    pub others: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub columns: BTreeMap<String, Column>,
    pub primary_key: Vec<String>,
    /// Unique constraints and indexes, keyed by what they mean (see [`Index::key`]), with the
    /// name each has in the database (for the message).
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    /// Each CHECK, normalised (see [`normalise_expr`]).
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// `integer`, `text`, `real`, `blob`, `bool`, `numeric`, `time`, `json`, or the type as
    /// declared when it fits none.
    pub family: String,
    pub not_null: bool,
    /// The default, normalised; None when there is none.
    pub default: Option<String>,
    /// The database numbers it (a SQLite rowid alias, a PostgreSQL identity or serial).
    pub generated: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Index {
    pub name: String,
    pub unique: bool,
    pub columns: Vec<String>,
    /// A partial index's WHERE, normalised.
    pub predicate: Option<String>,
}

impl Index {
    /// What the index means, without its name: SQLite names the index behind a UNIQUE
    /// constraint itself (`sqlite_autoindex_…`).
    pub fn key(&self) -> String {
        format!(
            "{}({}){}",
            if self.unique { "UNIQUE " } else { "" },
            self.columns.join(", "),
            self.predicate
                .as_ref()
                .map(|p| format!(" WHERE {p}"))
                .unwrap_or_default()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    pub table: String,
    pub references: Vec<String>,
    pub on_delete: String,
    pub on_update: String,
}

impl ForeignKey {
    pub fn key(&self) -> String {
        format!(
            "({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}",
            self.columns.join(", "),
            self.table,
            self.references.join(", "),
            self.on_delete,
            self.on_update
        )
    }
}

/// Reads the schema of a migrated store.
pub async fn read(store: &Store) -> Schema {
    let mut schema = match store.backend() {
        Backend::Sqlite => read_sqlite(store).await,
        Backend::Postgres => read_postgres(store).await,
    };
    schema.migrations = sqlx::query(
        "SELECT version, description FROM _sqlx_migrations WHERE success = TRUE ORDER BY version",
    )
    .fetch_all(store.pool())
    .await
    .expect("read _sqlx_migrations")
    .iter()
    .map(|r| (r.get("version"), r.get("description")))
    .collect();
    schema.others.sort();
    for table in schema.tables.values_mut() {
        table.indexes.sort_by_key(Index::key);
        table.foreign_keys.sort_by_key(ForeignKey::key);
        table.checks.sort();
    }
    schema
}

async fn strings(store: &Store, sql: &str, bind: &str) -> Vec<sqlx::any::AnyRow> {
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .bind(bind.to_owned())
        .fetch_all(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn read_sqlite(store: &Store) -> Schema {
    let pool = store.pool();
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .expect("read sqlite_master");
    let mut schema = Schema::default();
    for (name, sql) in tables {
        let without_rowid = tokens(&sql)
            .windows(2)
            .any(|w| w[0].is_word("WITHOUT") && w[1].is_word("ROWID"));
        let mut table = Table::default();
        let mut pk: Vec<(i64, String, String)> = Vec::new();
        for r in strings(
            store,
            "SELECT name, type, \"notnull\" AS nn, dflt_value, pk FROM pragma_table_info($1)",
            &name,
        )
        .await
        {
            let column: String = r.get("name");
            let declared: String = r.get("type");
            let order: i64 = r.get("pk");
            if order > 0 {
                pk.push((order, column.clone(), declared.clone()));
            }
            table.columns.insert(
                column,
                Column {
                    family: family(&declared),
                    not_null: r.get::<i64, _>("nn") != 0,
                    default: r
                        .get::<Option<String>, _>("dflt_value")
                        .map(|d| normalise_expr(&d)),
                    generated: false,
                },
            );
        }
        pk.sort();
        // A single INTEGER PRIMARY KEY is the rowid: numbered by SQLite, never NULL. Other
        // key columns are NULL-able in a rowid table unless declared NOT NULL (a SQLite quirk
        // PostgreSQL does not share), but never in a WITHOUT ROWID one.
        if let [(_, column, declared)] = pk.as_slice() {
            if declared.eq_ignore_ascii_case("INTEGER") {
                let c = table.columns.get_mut(column).expect("key column");
                c.generated = true;
                c.not_null = true;
            }
        }
        if without_rowid {
            for (_, column, _) in &pk {
                table.columns.get_mut(column).expect("key column").not_null = true;
            }
        }
        table.primary_key = pk.into_iter().map(|(_, c, _)| c).collect();
        table.checks = checks_in(&sql);
        for r in strings(
            store,
            "SELECT l.name, l.\"unique\" AS uniq, l.origin, l.partial, m.sql \
             FROM pragma_index_list($1) l LEFT JOIN sqlite_master m \
             ON m.type = 'index' AND m.name = l.name",
            &name,
        )
        .await
        {
            let index: String = r.get("name");
            if r.get::<String, _>("origin") == "pk" {
                continue;
            }
            let columns = strings(
                store,
                "SELECT name FROM pragma_index_info($1) ORDER BY seqno",
                &index,
            )
            .await
            .iter()
            .map(|c| {
                c.get::<Option<String>, _>("name")
                    .unwrap_or_else(|| "(expression)".into())
            })
            .collect();
            let predicate = if r.get::<i64, _>("partial") != 0 {
                let sql: String = r.get("sql");
                where_clause(&sql)
            } else {
                None
            };
            table.indexes.push(Index {
                name: index,
                unique: r.get::<i64, _>("uniq") != 0,
                columns,
                predicate,
            });
        }
        for r in strings(
            store,
            "SELECT id, seq, \"table\" AS tbl, \"from\" AS col, \"to\" AS ref, \
             on_update, on_delete FROM pragma_foreign_key_list($1) ORDER BY id, seq",
            &name,
        )
        .await
        {
            let id: i64 = r.get("id");
            let seq: i64 = r.get("seq");
            if seq == 0 {
                table.foreign_keys.push(ForeignKey {
                    columns: Vec::new(),
                    table: r.get("tbl"),
                    references: Vec::new(),
                    on_delete: r.get::<String, _>("on_delete").to_uppercase(),
                    on_update: r.get::<String, _>("on_update").to_uppercase(),
                });
            }
            let fk = table.foreign_keys.last_mut().expect("seq 0 comes first");
            fk.columns.push(r.get("col"));
            // A reference without columns names the other table's primary key; filled in
            // below once every table is read.
            let to: Option<String> = r.get("ref");
            fk.references.push(to.unwrap_or_default());
            let _ = id;
        }
        schema.tables.insert(name, table);
    }
    let others: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, tbl_name FROM sqlite_master WHERE type IN ('view', 'trigger')",
    )
    .fetch_all(pool)
    .await
    .expect("read views and triggers");
    schema.others = others
        .into_iter()
        .map(|(kind, name, table)| match kind.as_str() {
            "trigger" => format!("trigger {name} on {table}"),
            _ => format!("{kind} {name}"),
        })
        .collect();
    let keys: BTreeMap<String, Vec<String>> = schema
        .tables
        .iter()
        .map(|(n, t)| (n.clone(), t.primary_key.clone()))
        .collect();
    for table in schema.tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if fk.references.iter().all(String::is_empty) {
                fk.references = keys.get(&fk.table).cloned().unwrap_or_default();
            }
        }
    }
    schema
}

async fn read_postgres(store: &Store) -> Schema {
    let pool = store.pool();
    let mut schema = Schema::default();
    let columns = sqlx::query(
        "SELECT c.table_name::text AS tbl, c.column_name::text AS col, c.data_type::text AS ty, \
         c.is_nullable::text AS nullable, c.column_default::text AS dflt, \
         c.is_identity::text AS ident \
         FROM information_schema.columns c JOIN information_schema.tables t \
         ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' \
         AND c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("read information_schema.columns");
    for r in columns {
        let default: Option<String> = r.get("dflt");
        let serial = default
            .as_deref()
            .is_some_and(|d| d.starts_with("nextval("));
        let generated = serial || r.get::<String, _>("ident") == "YES";
        schema
            .tables
            .entry(r.get("tbl"))
            .or_default()
            .columns
            .insert(
                r.get("col"),
                Column {
                    family: pg_family(&r.get::<String, _>("ty")),
                    not_null: r.get::<String, _>("nullable") == "NO",
                    default: default.filter(|_| !serial).map(|d| normalise_expr(&d)),
                    generated,
                },
            );
    }
    // Key columns in their order: `unnest … WITH ORDINALITY` over the int2 arrays.
    let constraints = sqlx::query(
        "SELECT t.relname::text AS tbl, c.contype::text AS kind, \
         COALESCE(f.relname::text, '') AS ref_tbl, \
         (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
            FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord) \
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS cols, \
         (SELECT string_agg(a.attname::text, ',' ORDER BY k.ord) \
            FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord) \
            JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS refs, \
         c.confupdtype::text AS on_update, c.confdeltype::text AS on_delete, \
         pg_get_constraintdef(c.oid)::text AS def \
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         LEFT JOIN pg_class f ON f.oid = c.confrelid \
         WHERE n.nspname = current_schema() AND c.contype IN ('p', 'f', 'c') \
         AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("read pg_constraint");
    for r in constraints {
        let table = schema.tables.entry(r.get("tbl")).or_default();
        let cols = split(r.get::<Option<String>, _>("cols"));
        match r.get::<String, _>("kind").as_str() {
            "p" => table.primary_key = cols,
            "f" => table.foreign_keys.push(ForeignKey {
                columns: cols,
                table: r.get("ref_tbl"),
                references: split(r.get::<Option<String>, _>("refs")),
                on_delete: action(&r.get::<String, _>("on_delete")),
                on_update: action(&r.get::<String, _>("on_update")),
            }),
            _ => {
                let def: String = r.get("def");
                table.checks.push(normalise_check(&tokens(&def)));
            }
        }
    }
    let indexes = sqlx::query(
        "SELECT t.relname::text AS tbl, i.relname::text AS idx, \
         CASE WHEN x.indisunique THEN 1 ELSE 0 END AS uniq, \
         CASE WHEN x.indisprimary THEN 1 ELSE 0 END AS prim, \
         (SELECT string_agg(COALESCE(a.attname::text, '(expression)'), ',' ORDER BY k.ord) \
            FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(attnum, ord) \
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum \
            WHERE k.ord <= x.indnkeyatts) AS cols, \
         pg_get_expr(x.indpred, x.indrelid)::text AS pred \
         FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND t.relname <> '_sqlx_migrations'",
    )
    .fetch_all(pool)
    .await
    .expect("read pg_index");
    for r in indexes {
        if r.get::<i32, _>("prim") != 0 {
            continue;
        }
        let table = schema.tables.entry(r.get("tbl")).or_default();
        table.indexes.push(Index {
            name: r.get("idx"),
            unique: r.get::<i32, _>("uniq") != 0,
            columns: split(r.get::<Option<String>, _>("cols")),
            predicate: r
                .get::<Option<String>, _>("pred")
                .map(|p| normalise_check(&tokens(&p))),
        });
    }
    let others: Vec<(String,)> = sqlx::query_as(
        "SELECT 'view ' || table_name::text FROM information_schema.views \
         WHERE table_schema = current_schema() \
         UNION ALL SELECT 'trigger ' || g.tgname::text || ' on ' || t.relname::text \
         FROM pg_trigger g JOIN pg_class t ON t.oid = g.tgrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE NOT g.tgisinternal AND n.nspname = current_schema()",
    )
    .fetch_all(pool)
    .await
    .expect("read views and triggers");
    schema.others = others.into_iter().map(|(o,)| o).collect();
    schema
}

fn split(list: Option<String>) -> Vec<String> {
    list.map(|l| l.split(',').map(str::to_owned).collect())
        .unwrap_or_default()
}

/// PostgreSQL's one-letter referential actions, as SQLite spells them.
fn action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => other,
    }
    .into()
}

/// SQLite's INTEGER holds 64 bits and the store reads every integer as `i64`: a PostgreSQL
/// `integer` or `smallint` is narrower, so it is a family of its own.
fn pg_family(data_type: &str) -> String {
    match data_type {
        "integer" | "smallint" => format!("{data_type} (narrower than 64 bits)"),
        other => family(other),
    }
}

/// The family of a declared type: what the two dialects agree a value of it is.
pub fn family(declared: &str) -> String {
    let t = declared.to_ascii_uppercase();
    let f = if t.contains("INT") {
        "integer"
    } else if t.contains("CHAR") || t.contains("TEXT") || t.contains("CLOB") {
        "text"
    } else if t.contains("BLOB") || t.contains("BYTEA") {
        "blob"
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        "real"
    } else if t.contains("BOOL") {
        "bool"
    } else if t.contains("NUMERIC") || t.contains("DECIMAL") {
        "numeric"
    } else if t.contains("TIME") || t.contains("DATE") {
        "time"
    } else if t.contains("JSON") {
        "json"
    } else {
        return if t.is_empty() { "(none)".into() } else { t };
    };
    f.into()
}

/// A token of SQL: comments and whitespace are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or keyword, lower-cased (a quoted one without its quotes).
    Word(String),
    /// A string literal, as written between its quotes.
    Str(String),
    Number(String),
    Punct(String),
}

impl Token {
    fn is_word(&self, w: &str) -> bool {
        matches!(self, Self::Word(x) if x.eq_ignore_ascii_case(w))
    }

    fn is_punct(&self, p: &str) -> bool {
        matches!(self, Self::Punct(x) if x == p)
    }
}

/// Splits SQL into tokens, dropping `--` and `/* */` comments.
pub fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                i += 1;
            }
            i += 2;
        } else if c == '\'' {
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i] == '\'' {
                    if chars.get(i + 1) == Some(&'\'') {
                        s.push('\'');
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Token::Str(s));
        } else if c == '"' || c == '`' {
            // A quoted identifier (never `[name]`: PostgreSQL writes arrays with brackets).
            let mut s = String::new();
            i += 1;
            while i < chars.len() && chars[i] != c {
                s.push(chars[i]);
                i += 1;
            }
            i += 1;
            out.push(Token::Word(s.to_lowercase()));
        } else if c.is_ascii_digit() {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Number(s));
        } else if c.is_alphanumeric() || c == '_' {
            let mut s = String::new();
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                s.push(chars[i]);
                i += 1;
            }
            out.push(Token::Word(s.to_lowercase()));
        } else {
            let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
            if ["<=", ">=", "<>", "!=", "::", "||", "=="].contains(&two.as_str()) {
                out.push(Token::Punct(two));
                i += 2;
            } else {
                out.push(Token::Punct(c.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// An expression (a default, a CHECK, an index's WHERE) in one spelling for both dialects:
/// casts (`::text`) and parentheses dropped, `= ANY (ARRAY[a, b])` read as `IN (a, b)`, `!=`
/// and `==` as `<>` and `=`, words lower-cased, tokens joined by single spaces.
pub fn normalise_check(tokens: &[Token]) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut i = 0;
    // PostgreSQL writes the constraint's keyword in its definition.
    if tokens.first().is_some_and(|t| t.is_word("check")) {
        i = 1;
    }
    while i < tokens.len() {
        let t = &tokens[i];
        if t.is_punct("::") {
            // A cast: skip the type name (`character varying`, `text[]`).
            i += 2;
            while i < tokens.len()
                && (tokens[i].is_word("varying")
                    || tokens[i].is_word("precision")
                    || tokens[i].is_punct("[")
                    || tokens[i].is_punct("]"))
            {
                i += 1;
            }
            continue;
        }
        if t.is_punct("=")
            && tokens.get(i + 1).is_some_and(|t| t.is_word("any"))
            && tokens.get(i + 2).is_some_and(|t| t.is_punct("("))
            && tokens.get(i + 3).is_some_and(|t| t.is_word("array"))
        {
            words.push("in".into());
            i += 5; // = ANY ( ARRAY [
            continue;
        }
        if t.is_punct("<>") && tokens.get(i + 1).is_some_and(|t| t.is_word("all")) {
            words.push("not".into());
            words.push("in".into());
            i += 5; // <> ALL ( ARRAY [
            continue;
        }
        match t {
            Token::Punct(p) if p == "(" || p == ")" || p == "[" || p == "]" => {}
            Token::Punct(p) if p == "!=" => words.push("<>".into()),
            Token::Punct(p) if p == "==" => words.push("=".into()),
            Token::Punct(p) => words.push(p.clone()),
            Token::Word(w) => words.push(w.clone()),
            // PostgreSQL writes a negative number's default as a cast string ('-1'::integer).
            Token::Str(s) if numeric_cast(tokens.get(i + 1), tokens.get(i + 2)) => {
                match s.strip_prefix('-') {
                    Some(n) => words.extend(["-".to_owned(), n.to_owned()]),
                    None => words.push(s.clone()),
                }
            }
            Token::Str(s) => words.push(format!("'{s}'")),
            Token::Number(n) => words.push(n.clone()),
        }
        i += 1;
    }
    words.join(" ")
}

fn numeric_cast(colons: Option<&Token>, ty: Option<&Token>) -> bool {
    colons.is_some_and(|t| t.is_punct("::"))
        && ty.is_some_and(|t| matches!(family_of(t).as_str(), "integer" | "real" | "numeric"))
}

fn family_of(t: &Token) -> String {
    match t {
        Token::Word(w) => family(w),
        _ => String::new(),
    }
}

/// [`normalise_check`] of a default or other expression given as text.
pub fn normalise_expr(sql: &str) -> String {
    normalise_check(&tokens(sql))
}

/// Every `CHECK (…)` in a CREATE TABLE statement, column or table constraint, normalised.
pub fn checks_in(sql: &str) -> Vec<String> {
    let tokens = tokens(sql);
    let mut checks = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if tokens[i].is_word("check") && tokens.get(i + 1).is_some_and(|t| t.is_punct("(")) {
            let start = i + 1;
            let mut depth = 0;
            let mut end = start;
            for (j, t) in tokens.iter().enumerate().skip(start) {
                if t.is_punct("(") {
                    depth += 1;
                } else if t.is_punct(")") {
                    depth -= 1;
                    if depth == 0 {
                        end = j;
                        break;
                    }
                }
            }
            checks.push(normalise_check(&tokens[start..=end]));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    checks
}

/// A CREATE INDEX statement's WHERE, normalised.
fn where_clause(sql: &str) -> Option<String> {
    let tokens = tokens(sql);
    let at = tokens.iter().position(|t| t.is_word("where"))?;
    Some(normalise_check(&tokens[at + 1..]))
}
