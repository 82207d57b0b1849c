//! Tables as an office reads them: CSV, and XLSX workbooks with a summary sheet and one sheet
//! per branch (bold headers, frozen header row, columns wide enough for Chinese text, valid
//! and unique sheet names).

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One cell of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Number(i64),
    /// A whole percentage, 0–100.
    Percent(u32),
    /// Nothing (a suppressed figure, a date not set).
    Blank,
}

impl Cell {
    /// The cell as text (CSV, the terminal).
    pub fn display(&self) -> String {
        match self {
            Self::Text(t) => t.clone(),
            Self::Number(n) => n.to_string(),
            Self::Percent(p) => format!("{p}%"),
            Self::Blank => String::new(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Self::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Self::Text(s.to_owned())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Self {
        Self::Number(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Self {
        Self::Number(i64::from(n))
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Self {
        Self::Number(n as i64)
    }
}

/// A header row and rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn new(header: Vec<String>) -> Self {
        Self {
            header,
            rows: Vec::new(),
        }
    }

    /// The rows as text.
    pub fn text_rows(&self) -> Vec<Vec<String>> {
        self.rows
            .iter()
            .map(|r| r.iter().map(Cell::display).collect())
            .collect()
    }
}

/// A workbook: the summary sheet first, then one sheet per branch.
#[derive(Debug, Clone, Default)]
pub struct Book {
    pub summary_name: String,
    pub summary: Table,
    /// `(branch name, its table)`.
    pub sheets: Vec<(String, Table)>,
}

/// Characters Excel refuses in a sheet name.
const FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];
/// Excel's longest sheet name, in characters.
const MAX_SHEET: usize = 31;

/// Sheet names Excel accepts for `names`, in order: forbidden characters become `_`, no
/// leading or trailing apostrophe, at most 31 characters, and unique without regard to case
/// (a repeated name gets ` (2)`, ` (3)`…). `summary` is taken first.
pub fn sheet_names(summary: &str, names: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for name in std::iter::once(summary).chain(names.iter().map(String::as_str)) {
        let clean: String = name
            .chars()
            .map(|c| {
                if FORBIDDEN.contains(&c) || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let clean = clean.trim().trim_matches('\'').trim().to_owned();
        let base = if clean.is_empty() {
            "Sheet".to_owned()
        } else {
            clean
        };
        let mut n = 1;
        let name = loop {
            let suffix = if n == 1 {
                String::new()
            } else {
                format!(" ({n})")
            };
            let keep = MAX_SHEET - suffix.chars().count();
            let candidate: String = base.chars().take(keep).collect::<String>() + &suffix;
            if !taken
                .iter()
                .any(|t| t.to_lowercase() == candidate.to_lowercase())
            {
                break candidate;
            }
            n += 1;
        };
        taken.push(name.clone());
        out.push(name);
    }
    out
}

/// How wide a text shows, in Excel's character units: a Chinese character takes two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Writes a table as CSV with a header row (UTF-8 with a byte-order mark, so that Excel opens
/// the Chinese text correctly).
pub fn write_csv(path: &Path, table: &Table) -> std::io::Result<()> {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut bytes);
        w.write_record(&table.header)?;
        for row in table.text_rows() {
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    std::fs::write(path, bytes)
}

/// Writes a workbook; `done` is called after each sheet (for a progress bar).
pub fn write_xlsx(path: &Path, book: &Book, mut done: impl FnMut()) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#F2F2F2");
    let percent = Format::new().set_num_format("0%");
    let names: Vec<String> = book.sheets.iter().map(|(n, _)| n.clone()).collect();
    let sheet_names = sheet_names(&book.summary_name, &names);
    let tables = std::iter::once(&book.summary).chain(book.sheets.iter().map(|(_, t)| t));
    for (name, table) in sheet_names.iter().zip(tables) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let mut widths: Vec<usize> = table.header.iter().map(|h| width(h)).collect();
        for (c, h) in table.header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string(r, col, t)?;
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, col, *n as f64)?;
                    }
                    Cell::Percent(p) => {
                        sheet.write_number_with_format(r, col, f64::from(*p) / 100.0, &percent)?;
                    }
                    Cell::Blank => {}
                }
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(width(&cell.display()));
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet.set_column_width(c as u16, (*w + 2).clamp(6, 60) as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        done();
    }
    workbook.save(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_cleaned_cut_to_31_characters_and_made_unique() {
        let names = vec![
            "学生第一党支部".to_owned(),
            "a/b:c[d]*?\\".to_owned(),
            "'引号'".to_owned(),
            "汇总".to_owned(),
            "教工党支部教工党支部教工党支部教工党支部教工党支部教工党支部教工党支部".to_owned(),
            "教工党支部教工党支部教工党支部教工党支部教工党支部教工党支部教工党支部".to_owned(),
            "Branch".to_owned(),
            "BRANCH".to_owned(),
            "".to_owned(),
        ];
        let got = sheet_names("汇总", &names);
        assert_eq!(got[0], "汇总");
        assert_eq!(got[1], "学生第一党支部");
        assert_eq!(got[2], "a_b_c_d____");
        assert_eq!(got[3], "引号");
        assert_eq!(got[4], "汇总 (2)");
        assert_eq!(got[5].chars().count(), 31);
        assert_eq!(got[6].chars().count(), 31);
        assert!(got[6].ends_with(" (2)"));
        assert_eq!(got[7], "Branch");
        assert_eq!(got[8], "BRANCH (2)");
        assert_eq!(got[9], "Sheet");
    }

    #[test]
    fn cells_show_as_text_with_percentages_and_blanks() {
        let row: Vec<Cell> = vec!["支部".into(), 3i64.into(), Cell::Percent(85), Cell::Blank];
        let shown: Vec<String> = row.iter().map(Cell::display).collect();
        assert_eq!(shown, ["支部", "3", "85%", ""]);
    }

    #[test]
    fn a_csv_file_opens_in_excel_with_its_chinese_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut t = Table::new(vec!["党支部".into(), "出席率".into()]);
        t.rows
            .push(vec!["学生第一党支部".into(), Cell::Percent(90)]);
        write_csv(&path, &t).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "\u{feff}党支部,出席率\n学生第一党支部,90%\n");
    }
}
