//! Text encodings of `.dbf` attribute tables.
//!
//! The encoding is chosen in this order (the first that applies wins):
//! 1. an explicit label (`ReadOptions::encoding`, the CLI's `--encoding`);
//! 2. the shapefile's `.cpg` file;
//! 3. the `.dbf` language-driver byte (LDID, header byte 29), when it names a code page;
//! 4. UTF-8 when every field name and text value is valid UTF-8;
//! 5. otherwise GB18030, a superset of GBK and GB2312 (reclaim's users are Chinese
//!    county bureaus, whose tables are GBK unless declared otherwise).
//!
//! Decoding is strict: bytes that are invalid in the chosen encoding are an error,
//! never silently replaced by `�`.

use encoding_rs::Encoding;

/// The encoding an encoding label names (`--encoding` values and `.cpg` contents).
///
/// Accepts WHATWG labels ("utf-8", "gbk", "gb18030", "big5", "latin1", "shift_jis",
/// "windows-1251" …), Windows code-page numbers ("936", "CP936", "1252", "ANSI 1251",
/// "54936", "65001") and the ISO-8859 spellings GDAL writes ("8859-1", "88591").
/// Case and surrounding whitespace (and a UTF-8 BOM) are ignored.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let upper = label
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_uppercase();
    let named = match upper.as_str() {
        "UTF-8" | "UTF8" | "65001" | "CP65001" => Some(encoding_rs::UTF_8),
        "GBK" | "CP936" | "936" | "MS936" | "WINDOWS-936" | "GB2312" | "GB_2312-80" | "EUC-CN" => {
            Some(encoding_rs::GBK)
        }
        "GB18030" | "GB-18030" | "54936" | "CP54936" => Some(encoding_rs::GB18030),
        "BIG5" | "BIG-5" | "CP950" | "950" | "BIG5-HKSCS" => Some(encoding_rs::BIG5),
        "SHIFT_JIS" | "SJIS" | "CP932" | "932" => Some(encoding_rs::SHIFT_JIS),
        "EUC-KR" | "CP949" | "949" => Some(encoding_rs::EUC_KR),
        "LATIN1" | "LATIN-1" | "ISO-8859-1" | "ISO8859-1" | "8859-1" | "88591" | "ANSI"
        | "1252" | "CP1252" | "ANSI 1252" => Some(encoding_rs::WINDOWS_1252),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    // GDAL writes ISO-8859-n as "8859-n" or "8859n".
    if let Some(rest) = upper.strip_prefix("8859") {
        let n = rest.trim_start_matches('-');
        return Encoding::for_label(format!("iso-8859-{n}").as_bytes());
    }
    // Bare code-page numbers ("1251", "ANSI 1251", "CP1251") → windows-125x; "866"/"874".
    let digits = upper
        .trim_start_matches("ANSI")
        .trim_start_matches("CP")
        .trim();
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let windows = match digits {
            "866" => "ibm866".to_string(),
            "874" => "windows-874".to_string(),
            d if d.len() == 4 && d.starts_with("125") => format!("windows-{d}"),
            _ => return None,
        };
        return Encoding::for_label(windows.as_bytes());
    }
    Encoding::for_label(upper.as_bytes())
}

/// The encoding a `.dbf` language-driver byte (LDID) declares, when it declares one
/// that encoding_rs can decode.
///
/// `0x00` (none) and `0x57` ("current ANSI code page", which depends on the machine that
/// wrote the file) declare nothing, so detection decides; so do DOS code pages
/// (437, 850 …) that encoding_rs lacks.
pub fn encoding_for_ldid(ldid: u8) -> Option<&'static Encoding> {
    match ldid {
        0x03 => Some(encoding_rs::WINDOWS_1252),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x4D | 0x7A => Some(encoding_rs::GBK),
        0x4E | 0x79 => Some(encoding_rs::EUC_KR),
        0x4F | 0x78 => Some(encoding_rs::BIG5),
        0x50 | 0x7C => Some(encoding_rs::WINDOWS_874),
        0x65 => Some(encoding_rs::IBM866),
        0x7D => Some(encoding_rs::WINDOWS_1255),
        0x7E => Some(encoding_rs::WINDOWS_1256),
        0xC8 => Some(encoding_rs::WINDOWS_1250),
        0xC9 => Some(encoding_rs::WINDOWS_1251),
        0xCA => Some(encoding_rs::WINDOWS_1254),
        0xCB => Some(encoding_rs::WINDOWS_1253),
        0xCC => Some(encoding_rs::WINDOWS_1257),
        _ => None,
    }
}

/// Decodes `bytes` strictly: `None` when they are not valid in `encoding`.
///
/// When `full_width` is true (the value fills its whole fixed-width field), one
/// multi-byte character cut off at the end of the field is dropped rather than
/// rejected: writers truncate long text at the field width, mid-character.
pub fn decode_strict(
    encoding: &'static Encoding,
    bytes: &[u8],
    full_width: bool,
) -> Option<String> {
    if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        return Some(s.into_owned());
    }
    if full_width {
        // A cut character is at most 3 bytes of a 4-byte sequence (UTF-8, GB18030).
        for cut in 1..=3usize.min(bytes.len()) {
            let head = bytes.get(..bytes.len() - cut)?;
            if let Some(s) = encoding.decode_without_bom_handling_and_without_replacement(head) {
                return Some(s.into_owned());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_from_cpg_files_and_the_cli() {
        assert_eq!(encoding_for_label("UTF-8"), Some(encoding_rs::UTF_8));
        assert_eq!(encoding_for_label(" utf8\r\n"), Some(encoding_rs::UTF_8));
        assert_eq!(encoding_for_label("GBK"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_label("gb2312"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_label("CP936"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_label("936"), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_label("GB18030"), Some(encoding_rs::GB18030));
        assert_eq!(
            encoding_for_label("\u{feff}gb18030"),
            Some(encoding_rs::GB18030)
        );
        assert_eq!(encoding_for_label("Big-5"), Some(encoding_rs::BIG5));
        assert_eq!(encoding_for_label("big5"), Some(encoding_rs::BIG5));
        assert_eq!(
            encoding_for_label("ISO-8859-1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            encoding_for_label("latin1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(encoding_for_label("1252"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            encoding_for_label("ANSI 1251"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(
            encoding_for_label("CP1250"),
            Some(encoding_rs::WINDOWS_1250)
        );
        assert_eq!(encoding_for_label("88592"), Some(encoding_rs::ISO_8859_2));
        assert_eq!(
            encoding_for_label("8859-15"),
            Some(encoding_rs::ISO_8859_15)
        );
        assert_eq!(
            encoding_for_label("shift_jis"),
            Some(encoding_rs::SHIFT_JIS)
        );
        assert_eq!(encoding_for_label("koi8-r"), Some(encoding_rs::KOI8_R));
        assert_eq!(encoding_for_label("klingon"), None);
        assert_eq!(encoding_for_label(""), None);
        assert_eq!(encoding_for_label("437"), None);
    }

    #[test]
    fn language_driver_bytes() {
        assert_eq!(encoding_for_ldid(0x7A), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_ldid(0x4D), Some(encoding_rs::GBK));
        assert_eq!(encoding_for_ldid(0x78), Some(encoding_rs::BIG5));
        assert_eq!(encoding_for_ldid(0x00), None);
        assert_eq!(encoding_for_ldid(0x57), None);
    }

    #[test]
    fn strict_decoding() {
        // "简体" in GBK.
        let gbk = [0xBC, 0xF2, 0xCC, 0xE5];
        assert_eq!(
            decode_strict(encoding_rs::GBK, &gbk, false).as_deref(),
            Some("简体")
        );
        assert_eq!(decode_strict(encoding_rs::UTF_8, &gbk, false), None);
        // A lead byte cut off at the field's end is dropped only for full-width values.
        let cut = [0xBC, 0xF2, 0xCC];
        assert_eq!(decode_strict(encoding_rs::GBK, &cut, false), None);
        assert_eq!(
            decode_strict(encoding_rs::GBK, &cut, true).as_deref(),
            Some("简")
        );
        // "𠮷" (U+20BB7) is 4 bytes in GB18030 and not in GBK.
        let ext_b = [0x95, 0x34, 0xB2, 0x35];
        assert_eq!(
            decode_strict(encoding_rs::GB18030, &ext_b, false).as_deref(),
            Some("𠮷")
        );
    }
}
