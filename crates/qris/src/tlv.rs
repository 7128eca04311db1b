//! The TLV layer: tag (2 digits), length (2 digits, counting characters), value.
//!
//! Parsing borrows from the payload and keeps every object's exact text, so a
//! converter can write back every byte it does not mean to change.

use serde::Serialize;
use std::fmt;

/// One data object, with its place in the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataObject<'a> {
    pub tag: &'a str,
    /// The length digits as written (always two characters).
    #[serde(skip)]
    pub len: &'a str,
    pub value: &'a str,
    /// Character offset of the tag within the payload (or within the parent's value).
    #[serde(skip)]
    pub offset: usize,
}

impl<'a> DataObject<'a> {
    pub fn tag_number(&self) -> u8 {
        // parse() only produces two ASCII digits
        self.tag.parse().unwrap_or(0)
    }

    /// Length in characters, as EMVCo counts it.
    pub fn char_len(&self) -> usize {
        self.value.chars().count()
    }

    /// The object exactly as it appears in the payload.
    pub fn write_to(&self, out: &mut String) {
        out.push_str(self.tag);
        out.push_str(self.len);
        out.push_str(self.value);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TlvErrorKind {
    /// The tag or length is not two digits.
    NotNumeric { found: String },
    /// Fewer than four characters left for a tag and length.
    Truncated,
    /// The length says more characters than there are.
    Overrun {
        tag: String,
        len: usize,
        available: usize,
    },
}

/// A structural error, with the character position where it occurs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TlvError {
    pub position: usize,
    #[serde(flatten)]
    pub kind: TlvErrorKind,
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            TlvErrorKind::NotNumeric { found } => write!(
                f,
                "expected a 2-digit tag and 2-digit length at character {}, found {:?}",
                self.position, found
            ),
            TlvErrorKind::Truncated => write!(
                f,
                "the data ends in the middle of a tag or length at character {}",
                self.position
            ),
            TlvErrorKind::Overrun {
                tag,
                len,
                available,
            } => write!(
                f,
                "tag {tag} at character {} declares {len} characters but only {available} remain",
                self.position
            ),
        }
    }
}

impl std::error::Error for TlvError {}

/// Split `s` after `n` characters, or None if it has fewer.
fn split_chars(s: &str, n: usize) -> Option<(&str, &str)> {
    if s.is_ascii() {
        return (s.len() >= n).then(|| s.split_at(n));
    }
    if n == 0 {
        return Some(("", s));
    }
    let mut count = 0;
    for (i, _) in s.char_indices() {
        if count == n {
            return Some(s.split_at(i));
        }
        count += 1;
    }
    (count == n).then_some((s, ""))
}

fn two_digits(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    if b.len() == 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit() {
        Some(((b[0] - b'0') * 10 + (b[1] - b'0')) as usize)
    } else {
        None
    }
}

/// Parse one level of TLV data objects. Offsets are character offsets relative to `base`.
pub fn parse_level(data: &str, base: usize) -> Result<Vec<DataObject<'_>>, TlvError> {
    let mut out = Vec::with_capacity(24);
    let mut rest = data;
    let mut pos = base;
    while !rest.is_empty() {
        let Some((head, after)) = split_chars(rest, 4) else {
            return Err(TlvError {
                position: pos,
                kind: TlvErrorKind::Truncated,
            });
        };
        // split by characters: a non-ASCII character can sit where a digit should
        let (tag, len) = split_chars(head, 2).unwrap_or((head, ""));
        let (Some(_), Some(n)) = (two_digits(tag), two_digits(len)) else {
            return Err(TlvError {
                position: pos,
                kind: TlvErrorKind::NotNumeric {
                    found: head.to_string(),
                },
            });
        };
        let Some((value, after_value)) = split_chars(after, n) else {
            return Err(TlvError {
                position: pos,
                kind: TlvErrorKind::Overrun {
                    tag: tag.to_string(),
                    len: n,
                    available: after.chars().count(),
                },
            });
        };
        out.push(DataObject {
            tag,
            len,
            value,
            offset: pos,
        });
        pos += 4 + n;
        rest = after_value;
    }
    Ok(out)
}

/// Write one data object; the caller guarantees `value` is at most 99 characters.
pub fn write_object(out: &mut String, tag: &str, value: &str) {
    use std::fmt::Write;
    debug_assert!(value.chars().count() <= 99);
    let _ = write!(out, "{tag}{:02}{value}", value.chars().count());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        let objs = parse_level("5905Café 6002ID", 0).unwrap();
        assert_eq!(objs[0].value, "Café ");
        assert_eq!(objs[1].offset, 9);
    }

    #[test]
    fn trailing_spaces_are_kept() {
        let objs = parse_level("5910Starbucks ", 0).unwrap();
        assert_eq!(objs[0].value, "Starbucks ");
    }

    #[test]
    fn errors_say_where() {
        let e = parse_level("0002015A", 0).unwrap_err();
        assert_eq!(e.position, 6);
        assert!(matches!(e.kind, TlvErrorKind::Truncated));
        let e = parse_level("000201XX02", 0).unwrap_err();
        assert_eq!(e.position, 6);
        let e = parse_level("00050", 0).unwrap_err();
        assert!(matches!(
            e.kind,
            TlvErrorKind::Overrun {
                len: 5,
                available: 1,
                ..
            }
        ));
    }
}
