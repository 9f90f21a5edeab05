//! roff, for the man pages: text outside ASCII as roff's own glyph names where it has one a
//! terminal can show in ASCII (`\(em` for `—`, which `-Tascii` draws as `--`), else as `\[u`
//! and the code point in hex (`\[u00E9]` for `é`). groff reads raw UTF-8 only when told to,
//! and `man` under a C locale drops it.

/// `page` (roff source, already escaped for roff's own syntax) with every character outside
/// ASCII written as a roff escape. `…` has no glyph name and `\[u2026]` no ASCII fallback in
/// groff, so it is written out as `...`.
pub fn ascii(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        match c {
            c if c.is_ascii() => out.push(c),
            '…' => out.push_str("..."),
            '–' => out.push_str("\\(en"),
            '—' => out.push_str("\\(em"),
            '‘' => out.push_str("\\(oq"),
            '’' => out.push_str("\\(cq"),
            '“' => out.push_str("\\(lq"),
            '”' => out.push_str("\\(rq"),
            '×' => out.push_str("\\(mu"),
            '→' => out.push_str("\\(->"),
            '≤' => out.push_str("\\(<="),
            '≥' => out.push_str("\\(>="),
            c => out.push_str(&format!("\\[u{:04X}]", u32::from(c))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn glyphs_by_name_ellipsis_spelt_out_the_rest_by_code_point() {
        assert_eq!(
            super::ascii("a … b — c – d × e é \\-f"),
            "a ... b \\(em c \\(en d \\(mu e \\[u00E9] \\-f"
        );
    }
}
