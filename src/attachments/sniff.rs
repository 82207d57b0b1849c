//! What an upload is, read from its bytes: its content type (never the declared one or the
//! name's extension), whether it is taken, the name it is shown under, and a photo without
//! its metadata. Pure: no I/O.

use img_parts::jpeg::{markers, Jpeg};
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

use super::{Kind, Refusal};

/// The longest display name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// What the bytes were found to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sniffed {
    pub content_type: &'static str,
    pub kind: Kind,
    /// The extension files of this type carry (`jpg`, `pdf`, `docx`).
    pub extension: &'static str,
}

/// The content type of `bytes`, or None when nothing known matches.
pub fn content_type(bytes: &[u8]) -> Option<&'static str> {
    infer::get(bytes).map(|t| t.mime_type())
}

/// The extension for a content type this feature takes.
pub fn extension_of(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/webp" => "webp",
        "image/gif" => "gif",
        "application/pdf" => "pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => "docx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => "xlsx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation" => "pptx",
        "application/msword" => "doc",
        "application/vnd.ms-excel" => "xls",
        "application/vnd.ms-powerpoint" => "ppt",
        _ => "bin",
    }
}

/// Checks an upload against the limits, in the order a person would want to hear: empty,
/// too large, not a kind taken.
pub fn check(bytes: &[u8], max_bytes: u64, allowed: &[&'static str]) -> Result<Sniffed, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() as u64 > max_bytes {
        return Err(Refusal::TooLarge {
            limit_bytes: max_bytes,
        });
    }
    let detected = content_type(bytes);
    match detected.and_then(|d| allowed.iter().find(|a| **a == d)) {
        Some(ct) => Ok(Sniffed {
            content_type: ct,
            kind: if ct.starts_with("image/") {
                Kind::Photo
            } else {
                Kind::Document
            },
            extension: extension_of(ct),
        }),
        None => Err(Refusal::TypeNotAllowed {
            detected: detected.unwrap_or("unknown").to_owned(),
        }),
    }
}

/// The photo without its metadata, the image data untouched (nothing is re-encoded):
/// - JPEG: every APP1 segment (EXIF, with its GPS position, and XMP) and APP13 (IPTC);
/// - PNG: the `eXIf` chunk and the text chunks (`tEXt`, `zTXt`, `iTXt`: XMP and raw EXIF
///   profiles live there);
/// - WebP: the `EXIF` and `XMP ` chunks;
/// - GIF carries no EXIF and is kept as it is.
///
/// Documents are returned as they are. A photo that cannot be parsed is refused.
pub fn strip_metadata(bytes: &[u8], content_type: &str) -> Result<Vec<u8>, Refusal> {
    let damaged = || Refusal::Damaged {
        detected: content_type.to_owned(),
    };
    let data = Bytes::copy_from_slice(bytes);
    match content_type {
        "image/jpeg" => {
            let mut jpeg = Jpeg::from_bytes(data).map_err(|_| damaged())?;
            jpeg.set_exif(None);
            jpeg.segments_mut()
                .retain(|s| s.marker() != markers::APP1 && s.marker() != markers::APP13);
            Ok(jpeg.encoder().bytes().to_vec())
        }
        "image/png" => {
            let mut png = Png::from_bytes(data).map_err(|_| damaged())?;
            png.set_exif(None);
            for kind in [*b"tEXt", *b"zTXt", *b"iTXt"] {
                png.remove_chunks_by_type(kind);
            }
            Ok(png.encoder().bytes().to_vec())
        }
        "image/webp" => {
            let mut webp = WebP::from_bytes(data).map_err(|_| damaged())?;
            webp.remove_chunks_by_id(*b"XMP ");
            // Also rewrites the VP8X flags to what is left.
            webp.set_exif(None);
            Ok(webp.encoder().bytes().to_vec())
        }
        _ => Ok(bytes.to_vec()),
    }
}

/// The name an upload is shown under: the last part of what the sender gave (no folders),
/// without control or direction-changing characters, no leading dots, at most
/// [`MAX_NAME_CHARS`] characters, ending in the stored type's extension. Never a path: the
/// object's key is generated.
pub fn display_name(declared: Option<&str>, sniffed: &Sniffed) -> String {
    let last = declared
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !is_format_char(*c))
        .map(|c| match c {
            ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim().to_owned();
    let ext = sniffed.extension;
    let (stem, has_ext) = match cleaned.rsplit_once('.') {
        Some((stem, e))
            if e.eq_ignore_ascii_case(ext) || (ext == "jpg" && e.eq_ignore_ascii_case("jpeg")) =>
        {
            (stem.trim_end_matches('.').to_owned(), Some(e.to_owned()))
        }
        _ => (cleaned.clone(), None),
    };
    let stem = if stem.trim().is_empty() {
        match sniffed.kind {
            Kind::Photo => "photo".to_owned(),
            Kind::Document => "document".to_owned(),
        }
    } else {
        stem
    };
    let ext = has_ext.unwrap_or_else(|| ext.to_owned());
    let room = MAX_NAME_CHARS.saturating_sub(ext.chars().count() + 1);
    let stem: String = stem.chars().take(room).collect();
    format!("{}.{ext}", stem.trim_end())
}

/// Invisible characters that change how a name reads (right-to-left overrides that make
/// `gpj.exe` look like `exe.jpg`, zero-width spaces).
fn is_format_char(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pdf() -> Sniffed {
        Sniffed {
            content_type: "application/pdf",
            kind: Kind::Document,
            extension: "pdf",
        }
    }

    fn jpg() -> Sniffed {
        Sniffed {
            content_type: "image/jpeg",
            kind: Kind::Photo,
            extension: "jpg",
        }
    }

    #[test]
    fn names_lose_their_folders_and_tricks() {
        assert_eq!(
            display_name(Some("../../etc/passwd.pdf"), &pdf()),
            "passwd.pdf"
        );
        assert_eq!(display_name(Some("..\\..\\win\\a.PDF"), &pdf()), "a.PDF");
        assert_eq!(display_name(Some(".."), &pdf()), "document.pdf");
        assert_eq!(display_name(Some(".bashrc"), &pdf()), "bashrc.pdf");
        assert_eq!(display_name(None, &jpg()), "photo.jpg");
        assert_eq!(display_name(Some("IMG_1.JPEG"), &jpg()), "IMG_1.JPEG");
        assert_eq!(display_name(Some("virus.exe"), &pdf()), "virus.exe.pdf");
        assert_eq!(
            display_name(Some("report\u{202E}fdp.exe"), &pdf()),
            "reportfdp.exe.pdf"
        );
        assert_eq!(display_name(Some("a\nb\r\u{0}c.pdf"), &pdf()), "abc.pdf");
        assert_eq!(display_name(Some("a:b?.pdf"), &pdf()), "a_b_.pdf");
        let long = format!("{}.pdf", "会".repeat(300));
        let name = display_name(Some(&long), &pdf());
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
    }

    #[test]
    fn limits_come_in_order() {
        let all = ["image/jpeg", "application/pdf"];
        assert_eq!(check(b"", 10, &all), Err(Refusal::Empty));
        assert_eq!(
            check(b"%PDF-1.4 hello", 5, &all),
            Err(Refusal::TooLarge { limit_bytes: 5 })
        );
        assert_eq!(
            check(b"%PDF-1.4 hello", 100, &all).unwrap().content_type,
            "application/pdf"
        );
        let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
        elf.resize(64, 0);
        assert!(matches!(
            check(&elf, 1000, &all),
            Err(Refusal::TypeNotAllowed { detected }) if detected == "application/x-executable"
        ));
        assert!(matches!(
            check(b"plain words", 1000, &all),
            Err(Refusal::TypeNotAllowed { detected }) if detected == "unknown"
        ));
    }
}
