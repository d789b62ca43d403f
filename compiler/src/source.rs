//! Source files, byte spans and their line/column positions.
//!
//! A [`SourceFile`] owns the text of one input (a file, stdin, or a string handed to the library)
//! and knows where its lines start, so any [`Span`] maps to a 1-based line and a 1-based column
//! counted in characters. Reading from disk lives in [`crate::load`]; this module does no I/O.

use std::fmt;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `[start, end)` in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Self {
        Span {
            file,
            start,
            end: end.max(start),
        }
    }

    /// An empty span at `offset`.
    pub fn point(file: FileId, offset: u32) -> Self {
        Span::new(file, offset, offset)
    }

    pub fn len(&self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// A sub-span of this span, given byte offsets relative to its start (clamped to the span).
    pub fn sub(&self, rel_start: usize, rel_end: usize) -> Span {
        let len = self.len() as usize;
        let s = rel_start.min(len) as u32;
        let e = rel_end.min(len).max(rel_start.min(len)) as u32;
        Span::new(self.file, self.start + s, self.start + e)
    }
}

/// A 1-based line and 1-based column (in characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for LineCol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// The text of one input and its line index.
#[derive(Debug)]
pub struct SourceFile {
    id: FileId,
    name: String,
    text: String,
    /// Byte offset of the first character of each line.
    line_starts: Vec<u32>,
    /// Whether the text is pure ASCII (then character and byte offsets coincide).
    ascii: bool,
}

impl SourceFile {
    pub fn new(id: FileId, name: impl Into<String>, text: String) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| (i + 1) as u32),
        );
        SourceFile {
            id,
            name: name.into(),
            ascii: text.is_ascii(),
            text,
            line_starts,
        }
    }

    pub fn id(&self) -> FileId {
        self.id
    }

    /// The display name: a path as given on the command line, `<stdin>`, or a caller's label.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the text is pure ASCII.
    pub fn is_ascii(&self) -> bool {
        self.ascii
    }

    /// Byte offset of a character index, searching forward from a known (character, byte) pair
    /// at or before it; linear in the distance, so a forward-moving caller pays O(n) in total.
    pub fn byte_offset_from(&self, known: (usize, usize), char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        let (mut ci, mut bi) = if known.0 <= char_index { known } else { (0, 0) };
        for c in self.text[bi..].chars() {
            if ci == char_index {
                break;
            }
            ci += 1;
            bi += c.len_utf8();
        }
        bi
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Line (1-based) and column (1-based, in characters) of a byte offset.
    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = self.clamp(offset);
        let line_idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx] as usize;
        let col = self.text[start..offset as usize].chars().count() as u32 + 1;
        LineCol {
            line: line_idx as u32 + 1,
            col,
        }
    }

    /// Byte offset of a 1-based line and a 0-based character column (clamped to the line).
    pub fn offset_of(&self, line: usize, col_chars: usize) -> u32 {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len() as u32;
        };
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |&e| e as usize);
        let line_text = &self.text[start as usize..end];
        if self.ascii {
            return start + col_chars.min(line_text.len()) as u32;
        }
        let byte = line_text
            .char_indices()
            .nth(col_chars)
            .map(|(b, _)| b)
            .unwrap_or(line_text.len());
        start + byte as u32
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1) as usize) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line as usize)
            .map(|&e| e as usize)
            .unwrap_or(self.text.len());
        self.text[start as usize..end].trim_end_matches(['\n', '\r'])
    }

    /// The text covered by a span (empty when the span is outside the file).
    pub fn slice(&self, span: Span) -> &str {
        let s = self.clamp(span.start) as usize;
        let e = self.clamp(span.end) as usize;
        self.text.get(s..e).unwrap_or("")
    }

    fn clamp(&self, offset: u32) -> u32 {
        let mut o = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(o) {
            o -= 1;
        }
        o as u32
    }
}

/// Every source file of one lint run, indexed by [`FileId`].
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: String) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(SourceFile::new(id, name, text));
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let f = SourceFile::new(FileId(0), "a", "ab\nçd: x\n".to_string());
        assert_eq!(f.line_col(0), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, col: 1 });
        // `d` comes after the two-byte `ç`.
        assert_eq!(f.line_col(5), LineCol { line: 2, col: 2 });
        assert_eq!(f.offset_of(2, 1), 5);
        assert_eq!(f.line_text(2), "çd: x");
    }

    #[test]
    fn offsets_past_the_end_are_clamped() {
        let f = SourceFile::new(FileId(0), "a", "é".to_string());
        assert_eq!(f.line_col(1), LineCol { line: 1, col: 1 });
        assert_eq!(f.line_col(99), LineCol { line: 1, col: 2 });
        assert_eq!(f.line_text(7), "");
    }
}
