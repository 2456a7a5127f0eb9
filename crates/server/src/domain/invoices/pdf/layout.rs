//! Page layout for invoice PDFs: text measured with the font's advances, wrapped to a
//! width (between words where there are spaces, between any two characters in Chinese),
//! and placed on A4 pages, a new page when the next block does not fit.

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
pub const RIGHT_EDGE: f32 = PAGE_WIDTH - MARGIN;

/// Something drawn on a page (y grows downwards; text at its baseline).
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        gray: u8,
        text: String,
    },
    /// A horizontal rule from `x` to `x + width`.
    Rule {
        x: f32,
        y: f32,
        width: f32,
        thickness: f32,
    },
}

/// Pages being laid out, from the top of the first.
pub struct Layout<'font> {
    face: rustybuzz::Face<'font>,
    units_per_em: f32,
    pub pages: Vec<Vec<Mark>>,
    /// The baseline of the next line on the last page.
    pub y: f32,
}

impl<'font> Layout<'font> {
    pub fn new(font_data: &'font [u8], index: u32) -> Option<Layout<'font>> {
        let face = rustybuzz::Face::from_slice(font_data, index)?;
        let units_per_em = face.units_per_em() as f32;
        Some(Layout { face, units_per_em, pages: vec![Vec::new()], y: MARGIN })
    }

    /// The width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: u32 = text
            .chars()
            .map(|character| {
                let glyph = self.face.glyph_index(character).unwrap_or_default();
                u32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0))
            })
            .sum();
        units as f32 * size / self.units_per_em
    }

    /// `text` broken into lines no wider than `width`: at spaces when a word fits, else
    /// between characters (Chinese has no spaces; a very long word is cut).
    pub fn wrap(&self, text: &str, size: f32, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_inclusive(' ') {
            let candidate = format!("{line}{word}");
            if self.width(candidate.trim_end(), size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() && self.width(word.trim_end(), size) <= width {
                lines.push(std::mem::take(&mut line).trim_end().to_owned());
                line = word.to_owned();
                continue;
            }
            for character in word.chars() {
                line.push(character);
                if self.width(line.trim_end(), size) > width {
                    line.pop();
                    lines.push(std::mem::take(&mut line).trim_end().to_owned());
                    line.push(character);
                }
            }
        }
        if !line.trim().is_empty() || lines.is_empty() {
            lines.push(line.trim_end().to_owned());
        }
        lines
    }

    /// Starts a new page when `height` more points do not fit on this one.
    pub fn keep_together(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - MARGIN {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page is always open").push(mark);
    }

    /// `text` with its left edge at `x` on the current line.
    pub fn text(&mut self, x: f32, size: f32, gray: u8, text: &str) {
        let y = self.y;
        self.mark(Mark::Text { x, y, size, gray, text: text.to_owned() });
    }

    /// `text` with its right edge at `right` on the current line.
    pub fn text_right(&mut self, right: f32, size: f32, gray: u8, text: &str) {
        let x = right - self.width(text, size);
        self.text(x, size, gray, text);
    }

    /// A rule across `x..x + width`, `gap` points below the current line.
    pub fn rule(&mut self, x: f32, width: f32, gap: f32, thickness: f32) {
        let y = self.y + gap;
        self.mark(Mark::Rule { x, y, width, thickness });
    }

    /// Moves to the next line, `leading` points down.
    pub fn advance(&mut self, leading: f32) {
        self.y += leading;
    }
}
