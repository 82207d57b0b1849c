//! The printable plaque of a feedback target: an SVG with the QR code of its web page
//! (`<public_url>/f/<code>`, which WeChat's scanner opens), the target's name, "扫码匿名评价",
//! one sentence on what is stored with the privacy page's address, and smaller lines for the
//! other ways in (the Telegram deep link, the SMS keyword); and the same drawn as a PNG with a
//! CJK font found on the machine (never with boxes: without such a font the PNG is refused,
//! naming the fonts to install).

use qrcode::{Color, EcLevel, QrCode};

/// What a plaque shows.
#[derive(Debug, Clone)]
pub struct Plaque {
    /// What the QR code holds: the target's web page.
    pub link: String,
    pub title: String,
    pub invitation: String,
    /// One plain sentence on what is stored (`feedback-stored`).
    pub stored: String,
    /// Smaller lines under it: the privacy page, the Telegram link, the SMS keyword.
    pub lines: Vec<String>,
}

/// Font families that draw Chinese, in order of preference.
pub const CJK_FAMILIES: &[&str] = &[
    "Noto Sans CJK SC",
    "Noto Serif CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "AR PL UMing CN",
];

/// Why a PNG could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum PngError {
    #[error("no CJK font is installed (install fonts-noto-cjk or fonts-wqy-zenhei)")]
    NoCjkFont,
    #[error("the plaque does not render: {0}")]
    Render(String),
}

/// Size of one QR module in SVG units, and the quiet zone in modules.
const MODULE: usize = 10;
/// The plaque's least width in SVG units.
const WIDTH: usize = 640;
const QUIET: usize = 4;

impl Plaque {
    /// The plaque as an SVG document (A6-like proportions, text below the code).
    pub fn svg(&self) -> String {
        self.svg_with(&CJK_FAMILIES.join(", "))
    }

    /// The plaque as a PNG at twice the SVG's size, drawn with a CJK font of this machine.
    pub fn png(&self) -> Result<Vec<u8>, PngError> {
        use resvg::{tiny_skia, usvg};
        let mut options = usvg::Options::default();
        options.fontdb_mut().load_system_fonts();
        let family = options
            .fontdb
            .faces()
            .flat_map(|f| f.families.iter().map(|(name, _)| name.clone()))
            .find(|name| CJK_FAMILIES.iter().any(|c| name == c))
            .ok_or(PngError::NoCjkFont)?;
        let tree = usvg::Tree::from_str(&self.svg_with(&family), &options)
            .map_err(|e| PngError::Render(e.to_string()))?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width() * 2, size.height() * 2)
            .ok_or_else(|| PngError::Render("empty image".into()))?;
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(2.0, 2.0),
            &mut pixmap.as_mut(),
        );
        pixmap
            .encode_png()
            .map_err(|e| PngError::Render(e.to_string()))
    }

    fn svg_with(&self, fonts: &str) -> String {
        let code = QrCode::with_error_correction_level(self.link.as_bytes(), EcLevel::M)
            .expect("a deep link fits in a QR code");
        let n = code.width();
        let side = (n + 2 * QUIET) * MODULE;
        // Wide enough for a name of about twenty Chinese characters under the code.
        let width = side.max(WIDTH);
        let left = (width - side) / 2;
        let height = side + 150 + 24 * self.lines.len();
        let mut rects = String::new();
        for (i, c) in code.to_colors().iter().enumerate() {
            if *c == Color::Dark {
                let (x, y) = (i % n + QUIET, i / n + QUIET);
                rects.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{MODULE}\" height=\"{MODULE}\"/>",
                    left + x * MODULE,
                    y * MODULE
                ));
            }
        }
        let mut small = String::new();
        for (i, line) in self.lines.iter().enumerate() {
            small.push_str(&format!(
                "<text x=\"{}\" y=\"{}\" font-size=\"14\" fill=\"#444\">{}</text>",
                width / 2,
                side + 150 + 24 * i,
                escape(line)
            ));
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\">\
             <rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\
             <g fill=\"#000\">{rects}</g>\
             <g font-family=\"{fonts}\" text-anchor=\"middle\" fill=\"#b00\">\
             <text x=\"{mid}\" y=\"{t1}\" font-size=\"30\" font-weight=\"bold\">{title}</text>\
             <text x=\"{mid}\" y=\"{t2}\" font-size=\"24\" fill=\"#000\">{invitation}</text>\
             <text x=\"{mid}\" y=\"{t3}\" font-size=\"15\" fill=\"#444\">{stored}</text>\
             {small}</g></svg>\n",
            mid = width / 2,
            t1 = side + 40,
            t2 = side + 85,
            t3 = side + 125,
            title = escape(&self.title),
            invitation = escape(&self.invitation),
            stored = escape(&self.stored),
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
            link: "https://bot.example.org/f/D12-305".into(),
            title: "学生党员示范宿舍 · 12号楼 305 <A&B>".into(),
            invitation: "扫码匿名评价".into(),
            stored: "只保存评分和意见".into(),
            lines: vec!["Telegram：https://t.me/branch_bot?start=fb_D12-305".into()],
        };
        let svg = p.svg();
        assert!(svg.contains("扫码匿名评价"));
        assert!(svg.contains("Telegram：https://t.me/branch_bot?start=fb_D12-305"));
        assert!(svg.contains("只保存评分和意见"));
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("12号楼 305 &lt;A&amp;B&gt;"));
        assert!(svg.matches("<rect").count() > 100);
    }

    #[test]
    fn the_plaque_draws_as_a_png_with_a_cjk_font_or_says_which_font_is_missing() {
        let p = Plaque {
            link: "https://bot.example.org/f/D12-305".into(),
            title: "学生党员示范宿舍 · 12号楼 305".into(),
            invitation: "扫码匿名评价".into(),
            stored: "只保存评分和意见".into(),
            lines: vec!["短信：发送“评价 D12-305”".into()],
        };
        match p.png() {
            Ok(png) => assert!(png.starts_with(b"\x89PNG") && png.len() > 1000),
            Err(PngError::NoCjkFont) if std::env::var_os("CI").is_none() => {
                eprintln!("skipped: no CJK font; install fonts-wqy-zenhei")
            }
            Err(e) => panic!("{e}"),
        }
    }
}
