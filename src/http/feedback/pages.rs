//! The feedback page's HTML: small, server-rendered, readable at 360 px, with plain forms that
//! work with JavaScript off, no outside resources and one inline stylesheet allowed by its
//! hash. Every text goes through [`esc`].

use std::sync::OnceLock;

use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::Words;
use crate::feedback::rules::{Rating, MAX_COMMENT_CHARS};
use crate::feedback::store::Target;
use crate::feedback::{kind_msg, rating_msg};
use crate::i18n::Locale;
use crate::msg;

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

/// Large touch targets, system fonts with CJK fallbacks, visible focus, contrast ≥ 4.5:1.
const STYLE: &str = "*{box-sizing:border-box}\
body{margin:0;font:17px/1.6 system-ui,-apple-system,'PingFang SC','Noto Sans CJK SC','Microsoft YaHei',sans-serif;color:#1f2328;background:#fff}\
header{background:#a1221b;color:#fff;padding:.6rem 1rem;font-weight:700}\
main{max-width:32rem;margin:0 auto;padding:1rem}\
h1{font-size:1.3rem;margin:.2rem 0 .8rem;line-height:1.35}\
.kind{display:block;font-size:.95rem;font-weight:400;color:#4d5560}\
fieldset{border:0;margin:0 0 1rem;padding:0}\
legend{font-weight:600;margin-bottom:.4rem}\
.choice{display:block;border:2px solid #8c959f;border-radius:10px;padding:.8rem 1rem;margin:.5rem 0;font-size:1.15rem;cursor:pointer}\
.choice input{width:1.3rem;height:1.3rem;margin:0 .7rem 0 0;vertical-align:-.2rem}\
.choice:has(input:checked){border-color:#a1221b;background:#fff1f0}\
label.field{display:block;font-weight:600;margin:.8rem 0 .3rem}\
textarea,input[type=tel],input[type=text]{width:100%;font:inherit;padding:.6rem;border:2px solid #8c959f;border-radius:8px}\
button{display:block;width:100%;font:inherit;font-weight:700;padding:.8rem;margin:1rem 0;border:0;border-radius:10px;background:#a1221b;color:#fff;cursor:pointer}\
:focus-visible{outline:3px solid #0550ae;outline-offset:2px}\
.hint,.note,footer{color:#4d5560;font-size:.9rem}\
.error{color:#a1221b;font-weight:600;border-left:4px solid #a1221b;padding-left:.6rem}\
.code{font:700 1.8rem/1.2 ui-monospace,monospace;letter-spacing:.15em;text-align:center;border:2px dashed #1f2328;border-radius:10px;padding:.6rem;margin:.6rem 0}\
.answer{border-left:4px solid #1a7f37;padding-left:.6rem;white-space:pre-wrap}\
footer{max-width:32rem;margin:0 auto;padding:0 1rem 2rem}\
footer a,main a{color:#0550ae}";

/// The Content-Security-Policy: nothing but this site's forms and the one stylesheet.
pub fn csp() -> &'static str {
    static CSP: OnceLock<String> = OnceLock::new();
    CSP.get_or_init(|| {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE));
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
        )
    })
}

/// A whole page. `here` is the path the language switch reloads.
pub fn page(w: &Words<'_>, title: &str, body: &str, here: &str) -> String {
    let other = match w.locale {
        Locale::ZhCn => Locale::En,
        Locale::En => Locale::ZhCn,
    };
    let sep = if here.contains('?') { '&' } else { '?' };
    let mut out = String::with_capacity(body.len() + STYLE.len() + 800);
    out.push_str(&format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\"><title>{} · {}</title>\
         <style>{STYLE}</style></head><body><header>{}</header><main>\n<h1>{}</h1>\n{body}</main>\
         <footer><a href=\"{}{sep}lang={}\" lang=\"{}\" hreflang=\"{}\">{}</a> · \
         <a href=\"/f/privacy?lang={}\">{}</a> · <a href=\"/f/reply?lang={}\">{}</a></footer>\
         </body></html>\n",
        w.locale.code(),
        esc(title),
        esc(w.org()),
        esc(w.org()),
        title_html(title),
        esc(here),
        other.code(),
        other.code(),
        other.code(),
        esc(&w.catalog().text(other, msg!("web-switch-language"))),
        w.locale.code(),
        esc(&w.t(msg!("web-privacy-link"))),
        w.locale.code(),
        esc(&w.t(msg!("web-reply-link"))),
    ));
    out
}

fn title_html(title: &str) -> String {
    esc(title)
}

/// The hidden fields every form carries.
fn hidden(w: &Words<'_>, csrf: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"lang\" value=\"{}\">",
        esc(csrf),
        w.locale.code()
    )
}

/// The heading of a target's page: its kind, then its name.
pub fn target_title(w: &Words<'_>, target: &Target) -> String {
    format!("{} · {}", w.t(kind_msg(&target.kind)), target.name)
}

/// What the rating form needs beyond the target.
pub struct RateForm<'a> {
    pub csrf: &'a str,
    pub period: &'a str,
    /// The sealed SMS challenge (SMS check only).
    pub challenge: Option<&'a str>,
    /// The sealed pass WeCom's authorization earned (WeCom check only).
    pub pass: Option<&'a str>,
    /// What was picked and typed before an error.
    pub rating: Option<Rating>,
    pub comment: &'a str,
    pub error: Option<String>,
}

/// The rating form: three large choices, an optional comment, a submit.
pub fn rate(w: &Words<'_>, target: &Target, form: &RateForm<'_>) -> String {
    let mut b = String::new();
    b.push_str(&format!("<p>{}</p>\n", esc(&w.t(msg!("web-anonymous")))));
    if let Some(e) = &form.error {
        b.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>\n",
            esc(e)
        ));
    }
    b.push_str(&format!(
        "<form method=\"post\" action=\"/f/{}\">{}<input type=\"hidden\" name=\"period\" value=\"{}\">",
        esc(&target.code),
        hidden(w, form.csrf),
        esc(form.period)
    ));
    if let Some(c) = form.challenge {
        b.push_str(&format!(
            "<input type=\"hidden\" name=\"challenge\" value=\"{}\">",
            esc(c)
        ));
    }
    if let Some(p) = form.pass {
        b.push_str(&format!(
            "<input type=\"hidden\" name=\"pass\" value=\"{}\">",
            esc(p)
        ));
    }
    b.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        esc(&w.t(msg!("web-rating-question")))
    ));
    for r in Rating::ALL {
        let checked = if form.rating == Some(r) {
            " checked"
        } else {
            ""
        };
        b.push_str(&format!(
            "<label class=\"choice\"><input type=\"radio\" name=\"rating\" value=\"{}\" required{checked}>{}</label>",
            r.as_i64(),
            esc(&w.t(rating_msg(r)))
        ));
    }
    b.push_str("</fieldset>");
    b.push_str(&format!(
        "<label class=\"field\" for=\"comment\">{}</label>\
         <textarea id=\"comment\" name=\"comment\" rows=\"4\" maxlength=\"{MAX_COMMENT_CHARS}\" aria-describedby=\"comment-hint\">{}</textarea>\
         <p class=\"hint\" id=\"comment-hint\">{}</p>",
        esc(&w.t(msg!("web-comment-label"))),
        esc(form.comment),
        esc(&w.r(msg!("web-comment-hint"), &[("max", MAX_COMMENT_CHARS.into())]))
    ));
    if form.challenge.is_some() {
        b.push_str(&format!(
            "<label class=\"field\" for=\"sms_code\">{}</label>\
             <input type=\"text\" id=\"sms_code\" name=\"sms_code\" inputmode=\"numeric\" autocomplete=\"one-time-code\" maxlength=\"6\" required>",
            esc(&w.t(msg!("web-sms-code-label")))
        ));
    }
    b.push_str(&format!(
        "<button type=\"submit\">{}</button></form>\n",
        esc(&w.t(msg!("web-submit")))
    ));
    b.push_str(&format!(
        "<p class=\"note\">{}</p>\n",
        esc(&w.t(msg!("web-stored-note")))
    ));
    b
}

/// The SMS check's first step: a mobile number to send the code to.
pub fn phone(
    w: &Words<'_>,
    target: &Target,
    csrf: &str,
    typed: &str,
    error: Option<&str>,
) -> String {
    let mut b = format!("<p>{}</p>\n", esc(&w.t(msg!("web-anonymous"))));
    if let Some(e) = error {
        b.push_str(&format!(
            "<p class=\"error\" role=\"alert\">{}</p>\n",
            esc(e)
        ));
    }
    b.push_str(&format!(
        "<form method=\"post\" action=\"/f/{}/code\">{}\
         <label class=\"field\" for=\"phone\">{}</label>\
         <input type=\"tel\" id=\"phone\" name=\"phone\" autocomplete=\"tel\" inputmode=\"tel\" value=\"{}\" required aria-describedby=\"phone-hint\">\
         <p class=\"hint\" id=\"phone-hint\">{}</p>\
         <button type=\"submit\">{}</button></form>\n<p class=\"note\">{}</p>\n",
        esc(&target.code),
        hidden(w, csrf),
        esc(&w.t(msg!("web-phone-label"))),
        esc(typed),
        esc(&w.t(msg!("web-phone-hint"))),
        esc(&w.t(msg!("web-send-code"))),
        esc(&w.t(msg!("web-stored-note")))
    ));
    b
}

/// The thank-you with the one-time reply code.
pub fn thanks(w: &Words<'_>, code: &str) -> String {
    format!(
        "<p>{}</p>\n<p class=\"code\" aria-label=\"{}\">{}</p>\n<p>{}</p>\n<p><a href=\"/f/reply?lang={}\">{}</a></p>\n<p class=\"note\">{}</p>\n",
        esc(&w.t(msg!("web-thanks-code"))),
        esc(&w.t(msg!("web-reply-code-label"))),
        esc(code),
        esc(&w.r(msg!("web-thanks-where"), &[("url", w.reply_url().into())])),
        w.locale.code(),
        esc(&w.t(msg!("web-reply-link"))),
        esc(&w.t(msg!("web-thanks-when"))),
    )
}

/// `/f/reply`: the form, and what the code led to.
pub fn reply(w: &Words<'_>, csrf: &str, typed: &str, result: Option<(bool, String)>) -> String {
    let mut b = String::new();
    if let Some((answered, text)) = result {
        let class = if answered { "answer" } else { "error" };
        b.push_str(&format!(
            "<p class=\"{class}\" role=\"status\">{}</p>\n",
            esc(&text)
        ));
    }
    b.push_str(&format!(
        "<form method=\"post\" action=\"/f/reply\">{}\
         <label class=\"field\" for=\"code\">{}</label>\
         <input type=\"text\" id=\"code\" name=\"code\" autocomplete=\"off\" autocapitalize=\"characters\" maxlength=\"20\" value=\"{}\" required>\
         <button type=\"submit\">{}</button></form>\n",
        hidden(w, csrf),
        esc(&w.t(msg!("web-reply-code-label"))),
        esc(typed),
        esc(&w.t(msg!("web-reply-submit")))
    ));
    b
}

/// A page that only says something (a refusal, an ending), with a way on.
pub fn notice(text: &str, link: Option<(&str, &str)>) -> String {
    let mut b = format!("<p>{}</p>\n", esc(text));
    if let Some((href, label)) = link {
        b.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            esc(href),
            esc(label)
        ));
    }
    b
}

/// The privacy page: what is and is not kept, and what each check proves.
pub fn privacy(w: &Words<'_>, check: &str) -> String {
    let mut b = String::new();
    for m in [
        msg!("web-privacy-kept"),
        msg!("web-privacy-not-kept"),
        msg!("web-privacy-batch"),
    ] {
        b.push_str(&format!("<p>{}</p>\n", esc(&w.t(m))));
    }
    let m = match check {
        "sms" => msg!("web-privacy-check-sms"),
        "wecom" => msg!("web-privacy-check-wecom"),
        _ => msg!("web-privacy-check-device"),
    };
    b.push_str(&format!("<p>{}</p>\n", esc(&w.t(m))));
    b
}
