//! What reaches the terminal: a project's text may hold escape sequences (a Go
//! toolchain line of `go1.22\x1b]0;title\x07`, an `engines.node` that clears the
//! screen) or characters that reorder what a reader sees (bidi overrides, line
//! separators). Every byte docksmith writes to stdout and stderr passes through
//! [`Escaping`], which shows those as `\x1b`, `\u{202e}`; the only escape sequences
//! that pass are the colors docksmith itself paints (SGR: `ESC [ digits ; m`).

use std::io::{self, Write};

use crate::render::escape::is_deceptive as deceptive;

/// The length of the SGR sequence at the start of `text` (`ESC[1;31m`), if one is
/// complete there; `Err` when `text` may be the start of one (wait for more).
fn sgr_len(text: &str) -> Result<Option<usize>, ()> {
    let Some(rest) = text.strip_prefix("\x1b[") else {
        return if text == "\x1b" { Err(()) } else { Ok(None) };
    };
    for (i, c) in rest.char_indices() {
        match c {
            '0'..='9' | ';' if i < 16 => continue,
            'm' => return Ok(Some(2 + i + 1)),
            _ => return Ok(None),
        }
    }
    if rest.len() < 16 { Err(()) } else { Ok(None) }
}

/// A writer that escapes what a terminal would act on.
pub struct Escaping<W: Write> {
    inner: W,
    /// Bytes not yet written: an incomplete UTF-8 character or escape sequence.
    pending: Vec<u8>,
}

impl<W: Write> Escaping<W> {
    pub fn new(inner: W) -> Escaping<W> {
        Escaping {
            inner,
            pending: Vec::new(),
        }
    }

    /// Writes out what `pending` holds; with `end`, an incomplete tail too (escaped).
    fn drain(&mut self, end: bool) -> io::Result<()> {
        let mut out = String::new();
        let mut used = 0;
        loop {
            let rest = &self.pending[used..];
            if rest.is_empty() {
                break;
            }
            let valid = match std::str::from_utf8(rest) {
                Ok(text) => text,
                Err(e) => {
                    let valid = std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or("");
                    if valid.is_empty() {
                        match e.error_len() {
                            // Invalid bytes: shown as hex.
                            Some(n) => {
                                for byte in &rest[..n] {
                                    out.push_str(&format!("\\x{byte:02x}"));
                                }
                                used += n;
                                continue;
                            }
                            None if !end => break,
                            None => {
                                for byte in rest {
                                    out.push_str(&format!("\\x{byte:02x}"));
                                }
                                used += rest.len();
                                break;
                            }
                        }
                    }
                    valid
                }
            };
            let mut consumed = 0;
            let mut stop = false;
            for (i, c) in valid.char_indices() {
                if i < consumed {
                    continue;
                }
                if c == '\x1b' {
                    match sgr_len(&valid[i..]) {
                        Ok(Some(n)) => {
                            out.push_str(&valid[i..i + n]);
                            consumed = i + n;
                            continue;
                        }
                        Err(()) if !end && i + 16 > valid.len() => {
                            consumed = i;
                            stop = true;
                            break;
                        }
                        _ => {}
                    }
                }
                if (c.is_control() && c != '\n' && c != '\t') || deceptive(c) {
                    if (c as u32) < 0x100 {
                        out.push_str(&format!("\\x{:02x}", c as u32));
                    } else {
                        out.push_str(&format!("\\u{{{:x}}}", c as u32));
                    }
                } else {
                    out.push(c);
                }
                consumed = i + c.len_utf8();
            }
            used += consumed;
            if stop || consumed < valid.len() {
                break;
            }
        }
        self.pending.drain(..used);
        self.inner.write_all(out.as_bytes())
    }
}

impl<W: Write> Write for Escaping<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        self.drain(false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

impl<W: Write> Drop for Escaping<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(chunks: &[&[u8]]) -> String {
        let mut out = Vec::new();
        {
            let mut writer = Escaping::new(&mut out);
            for chunk in chunks {
                writer.write_all(chunk).unwrap();
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_and_deceptive_characters_are_shown_not_acted_on() {
        assert_eq!(
            escaped(&[b"go1.22\x1b]0;pwned\x07 and \x1b[2J\r\n"]),
            "go1.22\\x1b]0;pwned\\x07 and \\x1b[2J\\x0d\n"
        );
        assert_eq!(
            escaped(&["a\u{202e}b\u{2028}c\u{85}d\n".as_bytes()]),
            "a\\u{202e}b\\u{2028}c\\x85d\n"
        );
        assert_eq!(escaped(&[b"bad \xff byte\n"]), "bad \\xff byte\n");
    }

    #[test]
    fn docksmiths_own_colors_pass_even_split_across_writes() {
        assert_eq!(
            escaped(&[b"\x1b[1;3", b"1merror:\x1b[0m text\t\n"]),
            "\x1b[1;31merror:\x1b[0m text\t\n"
        );
        // A multi-byte character split across writes stays whole.
        let arrow = "→".as_bytes();
        assert_eq!(escaped(&[&arrow[..1], &arrow[1..]]), "→");
    }
}
