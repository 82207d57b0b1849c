//! The printable plaque of a feedback target: an SVG with the QR code of its Telegram deep
//! link (`https://t.me/<bot>?start=fb_<code>`), the target's name and a one-line invitation.

use qrcode::{Color, EcLevel, QrCode};

/// What a plaque shows.
#[derive(Debug, Clone)]
pub struct Plaque {
    pub link: String,
    pub title: String,
    pub invitation: String,
}

/// Size of one QR module in SVG units, and the quiet zone in modules.
const MODULE: usize = 8;
const QUIET: usize = 4;

impl Plaque {
    /// The plaque as an SVG document (A6-like proportions, text below the code).
    pub fn svg(&self) -> String {
        let code = QrCode::with_error_correction_level(self.link.as_bytes(), EcLevel::M)
            .expect("a deep link fits in a QR code");
        let n = code.width();
        let side = (n + 2 * QUIET) * MODULE;
        let height = side + 140;
        let mut rects = String::new();
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == Color::Dark {
                let (x, y) = (i % n + QUIET, i / n + QUIET);
                rects.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{MODULE}\" height=\"{MODULE}\"/>",
                    x * MODULE,
                    y * MODULE
                ));
            }
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{side}\" height=\"{height}\" \
             viewBox=\"0 0 {side} {height}\">\
             <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
             <g fill=\"#000\">{rects}</g>\
             <g font-family=\"Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif\" text-anchor=\"middle\" fill=\"#b00\">\
             <text x=\"{mid}\" y=\"{t1}\" font-size=\"28\" font-weight=\"bold\">{title}</text>\
             <text x=\"{mid}\" y=\"{t2}\" font-size=\"22\" fill=\"#000\">{invitation}</text>\
             </g></svg>\n",
            mid = side / 2,
            t1 = side + 45,
            t2 = side + 95,
            title = escape(&self.title),
            invitation = escape(&self.invitation),
        )
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feedback_plaque_holds_the_link_as_a_qr_code_and_the_name() {
        let p = Plaque {
            link: "https://t.me/branch_bot?start=fb_D12-305".into(),
            title: "学生党员示范宿舍 · 12号楼 305 <A&B>".into(),
            invitation: "扫码匿名评价".into(),
        };
        let svg = p.svg();
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("12号楼 305 &lt;A&amp;B&gt;"));
        assert!(svg.matches("<rect").count() > 100);
    }
}
