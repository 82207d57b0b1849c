//! The dashboard's HTML: escaping, the page frame with its inline stylesheet, and a small table
//! builder. Every text that reaches a page goes through [`esc`] (or [`Table::cell`], which
//! escapes); markup is written only here and in the page builders.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::i18n::Locale;

/// Escapes text for HTML content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Readable on a screen and on paper: system fonts with CJK fallbacks, tables that do not
/// break across pages mid-row, no navigation when printed.
const STYLE: &str = "
:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --red: #b3261e; --ok: #1a7f37; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.55 system-ui, -apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif; color: var(--ink); background: #fff; }
header { background: var(--red); color: #fff; padding: .6rem 1.2rem; display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: baseline; }
header .org { font-weight: 700; font-size: 1.1rem; margin-right: auto; }
header a, header button { color: #fff; text-decoration: none; font: inherit; background: none; border: 0; padding: 0; cursor: pointer; }
header a:hover, header button:hover { text-decoration: underline; }
header form { display: inline; margin: 0; }
main { max-width: 80rem; margin: 0 auto; padding: 1rem 1.2rem 2rem; }
h1 { font-size: 1.45rem; margin: .4rem 0 .8rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--red); padding-bottom: .2rem; }
p.meta, footer { color: var(--muted); font-size: .9rem; }
form.period { margin: .2rem 0 1rem; display: flex; gap: .4rem; align-items: center; }
form.period input { font: inherit; padding: .15rem .4rem; width: 8rem; }
form.period button { font: inherit; padding: .15rem .8rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; }
.wide { overflow-x: auto; }
.wide table { font-size: .9rem; }
td:first-child { white-space: nowrap; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
.bad { color: var(--red); font-weight: 600; }
.good { color: var(--ok); }
.muted { color: var(--muted); }
.current { background: #fff4e5; font-weight: 600; }
.notice-body { max-width: 32rem; white-space: pre-wrap; }
figure { margin: .6rem 0 1.2rem; }
figure img { width: 100%; height: auto; border: 1px solid var(--line); }
.photos { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr)); gap: .8rem; }
.photos figure { margin: 0; }
.photos img { aspect-ratio: 4 / 3; object-fit: cover; }
.photos figcaption { color: var(--muted); font-size: .85rem; overflow-wrap: anywhere; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.2rem; max-width: 36rem; margin: 3rem auto; }
footer { max-width: 80rem; margin: 0 auto; padding: 0 1.2rem 2rem; }
@media print {
  header nav, header form, form.period { display: none; }
  header { background: none; color: #000; border-bottom: 2px solid #000; padding: 0 0 .3rem; }
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  .wide { overflow: visible; }
  .wide table { font-size: 9pt; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
}
";

/// What the top bar shows for a signed-in member.
pub struct Frame<'a> {
    pub locale: Locale,
    pub org: &'a str,
    /// The page's title (the `<title>` and the heading).
    pub title: &'a str,
    /// Navigation links `(href, label)`; empty on error pages.
    pub nav: Vec<(String, String)>,
    /// `(who is signed in, the logout button's label)`.
    pub signed_in: Option<(String, String)>,
    pub footer: Option<String>,
}

/// A whole page: the frame around `body` (already HTML).
pub fn page(frame: &Frame<'_>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 1024);
    out.push_str("<!doctype html>\n<html lang=\"");
    out.push_str(frame.locale.code());
    out.push_str("\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"no-referrer\"><title>");
    out.push_str(&esc(frame.title));
    out.push_str(" · ");
    out.push_str(&esc(frame.org));
    out.push_str("</title><style>");
    out.push_str(STYLE);
    out.push_str("</style></head><body><header><span class=\"org\">");
    out.push_str(&esc(frame.org));
    out.push_str("</span>");
    if !frame.nav.is_empty() {
        out.push_str("<nav>");
        for (i, (href, label)) in frame.nav.iter().enumerate() {
            if i > 0 {
                out.push_str(" · ");
            }
            out.push_str(&format!("<a href=\"{}\">{}</a>", esc(href), esc(label)));
        }
        out.push_str("</nav>");
    }
    if let Some((who, logout)) = &frame.signed_in {
        out.push_str(&format!(
            "<span>{}</span><form method=\"post\" action=\"/dashboard/logout\"><button type=\"submit\">{}</button></form>",
            esc(who),
            esc(logout)
        ));
    }
    out.push_str("</header><main><h1>");
    out.push_str(&esc(frame.title));
    out.push_str("</h1>\n");
    out.push_str(body);
    out.push_str("</main>");
    if let Some(footer) = &frame.footer {
        out.push_str("<footer>");
        out.push_str(&esc(footer));
        out.push_str("</footer>");
    }
    out.push_str("</body></html>\n");
    out
}

/// An HTML response that is never cached, never framed and never leaks its URL (a login link
/// holds a token) to another site.
pub fn respond(status: StatusCode, html: String) -> Response {
    let mut res = (status, html).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    res
}

/// A table built row by row; every cell is escaped unless added with [`Table::raw`].
#[derive(Default)]
pub struct Table {
    html: String,
    row_open: bool,
}

impl Table {
    /// A table with these column headings; headings in `numeric` are right-aligned.
    pub fn new(headings: &[String], numeric: &[usize]) -> Self {
        let mut html = String::from("<table><thead><tr>");
        for (i, h) in headings.iter().enumerate() {
            if numeric.contains(&i) {
                html.push_str(&format!("<th class=\"num\">{}</th>", esc(h)));
            } else {
                html.push_str(&format!("<th>{}</th>", esc(h)));
            }
        }
        html.push_str("</tr></thead><tbody>");
        Self {
            html,
            row_open: false,
        }
    }

    /// Starts a row (closing the one before), with an optional class.
    pub fn row(&mut self, class: Option<&str>) -> &mut Self {
        if self.row_open {
            self.html.push_str("</tr>");
        }
        match class {
            Some(c) => self.html.push_str(&format!("<tr class=\"{}\">", esc(c))),
            None => self.html.push_str("<tr>"),
        }
        self.row_open = true;
        self
    }

    /// A text cell.
    pub fn cell(&mut self, text: &str) -> &mut Self {
        self.html.push_str(&format!("<td>{}</td>", esc(text)));
        self
    }

    /// A right-aligned figure.
    pub fn num(&mut self, text: &str) -> &mut Self {
        self.html
            .push_str(&format!("<td class=\"num\">{}</td>", esc(text)));
        self
    }

    /// A text cell with a class (`bad`, `good`, `muted`).
    pub fn marked(&mut self, text: &str, class: &str) -> &mut Self {
        self.html
            .push_str(&format!("<td class=\"{}\">{}</td>", esc(class), esc(text)));
        self
    }

    /// A cell of markup made by the caller from escaped parts (a link).
    pub fn raw(&mut self, html: &str) -> &mut Self {
        self.html.push_str("<td>");
        self.html.push_str(html);
        self.html.push_str("</td>");
        self
    }

    pub fn finish(mut self) -> String {
        if self.row_open {
            self.html.push_str("</tr>");
        }
        self.html.push_str("</tbody></table>\n");
        self.html
    }
}

/// A link with escaped target and text.
pub fn link(href: &str, text: &str) -> String {
    format!("<a href=\"{}\">{}</a>", esc(href), esc(text))
}

/// A paragraph of escaped text, with an optional class.
pub fn para(text: &str, class: Option<&str>) -> String {
    match class {
        Some(c) => format!("<p class=\"{}\">{}</p>\n", esc(c), esc(text)),
        None => format!("<p>{}</p>\n", esc(text)),
    }
}

/// A section heading.
pub fn h2(text: &str, id: &str) -> String {
    format!("<h2 id=\"{}\">{}</h2>\n", esc(id), esc(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_in_cells_links_and_paragraphs() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        let mut t = Table::new(&["<b>".to_owned()], &[]);
        t.row(None).cell("<i>a</i>");
        let html = t.finish();
        assert!(html.contains("<th>&lt;b&gt;</th>"), "{html}");
        assert!(
            html.contains("<td>&lt;i&gt;a&lt;/i&gt;</td></tr>"),
            "{html}"
        );
        assert_eq!(
            link("/x?a=1&b=\"2\"", "<a>"),
            "<a href=\"/x?a=1&amp;b=&quot;2&quot;\">&lt;a&gt;</a>"
        );
    }
}
