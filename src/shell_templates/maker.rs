//! Turning a component's native renderings into a JavaScript template: stand-in texts
//! become expressions, and what a changed input inserts or changes becomes a condition, a
//! loop or a choice by value (see `super` for how the shell uses it).

use crate::shell_tables::wire_name;

/// A piece of a template: text written as it is, or a JavaScript expression whose value
/// goes in its place.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Part {
    Text(String),
    Code(String),
}

/// A text stand-in in the rendered HTML and what the template writes there instead.
pub(super) struct StandIn {
    pub(super) rendered: String,
    pub(super) parts: Vec<Part>,
}

impl StandIn {
    pub(super) fn code(rendered: impl Into<String>, code: &str) -> Self {
        StandIn { rendered: rendered.into(), parts: vec![Part::Code(code.to_owned())] }
    }

    /// A stand-in whose own text around the value (`before`, `after`) stays: a number is
    /// only told apart from the other numbers of the markup with its surroundings.
    pub(super) fn around(rendered: impl Into<String>, before: &str, code: &str, after: &str) -> Self {
        let parts = vec![Part::Text(before.to_owned()), Part::Code(code.to_owned()), Part::Text(after.to_owned())];
        StandIn { rendered: rendered.into(), parts }
    }
}

/// A field's stand-in text: its name between two private-use characters.
pub(super) fn field(name: &str) -> String {
    format!("\u{E020}{name}\u{E021}")
}

/// `text` as leptos writes a text node.
pub(super) fn html_text(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// `text` cut at every stand-in (the earliest first; at one place, the one listed first).
fn with_stand_ins(text: &str, stand_ins: &[StandIn]) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut rest = text;
    loop {
        let next = stand_ins
            .iter()
            .filter_map(|stand_in| rest.find(&stand_in.rendered).map(|at| (at, stand_in)))
            .min_by_key(|(at, _)| *at);
        let Some((at, stand_in)) = next else { break };
        parts.push(Part::Text(rest[..at].to_owned()));
        parts.extend(stand_in.parts.iter().cloned());
        rest = &rest[at + stand_in.rendered.len()..];
    }
    parts.push(Part::Text(rest.to_owned()));
    parts.retain(|part| part != &Part::Text(String::new()));
    parts
}

/// The body of a JavaScript template literal for `parts`.
fn literal(parts: &[Part]) -> String {
    let mut out = String::from("`");
    for part in parts {
        match part {
            Part::Text(text) => {
                for character in text.chars() {
                    if matches!(character, '\\' | '`' | '$') {
                        out.push('\\');
                    }
                    out.push(character);
                }
            }
            Part::Code(code) => out.push_str(&format!("${{{code}}}")),
        }
    }
    out.push('`');
    out
}

fn common_prefix(texts: &[&str]) -> usize {
    let first = texts[0];
    let mut length = 0;
    for (at, character) in first.char_indices() {
        let end = at + character.len_utf8();
        if texts.iter().any(|text| text.get(..end) != Some(&first[..end])) {
            break;
        }
        length = end;
    }
    length
}

fn common_suffix(texts: &[&str], prefix: usize) -> usize {
    let first = texts[0];
    let shortest = texts.iter().map(|text| text.len()).min().unwrap_or(0);
    let mut length = 0;
    for (at, _) in first.char_indices().rev() {
        let suffix = &first[at..];
        if suffix.len() + prefix > shortest || texts.iter().any(|text| !text.ends_with(suffix)) {
            break;
        }
        length = suffix.len();
    }
    length
}

/// A change to the base rendering between two of its byte offsets.
struct Edit {
    start: usize,
    end: usize,
    parts: Vec<Part>,
}

/// Where `with` inserts text into `base`, and the text: among the places that give the
/// same result, the last one where the insertion is whole elements (`<…>`), for a
/// readable template. Panics when `with` is not `base` with one insertion.
fn insertion(base: &str, with: &str) -> (usize, String) {
    let length = with.len().checked_sub(base.len()).expect("the second rendering is longer");
    let prefix = common_prefix(&[base, with]);
    assert!(with[prefix + length..] == base[prefix..], "the second rendering is not the first with one insertion");
    let places = (prefix.saturating_sub(length)..=prefix).rev().filter(|&at| {
        base.is_char_boundary(at)
            && with.is_char_boundary(at + length)
            && with[..at] == base[..at]
            && with[at + length..] == base[at..]
    });
    let whole = places.clone().find(|&at| with[at..].starts_with('<') && with[..at + length].ends_with('>'));
    let at = whole.unwrap_or(prefix);
    (at, with[at..at + length].to_owned())
}

/// `html` cut into tags and the texts between them, as byte ranges.
fn tokens(html: &str) -> Vec<(usize, usize)> {
    let mut tokens = Vec::new();
    let mut start = 0;
    for (at, character) in html.char_indices() {
        if character == '<' && at > start {
            tokens.push((start, at));
            start = at;
        } else if character == '>' {
            tokens.push((start, at + 1));
            start = at + 1;
        }
    }
    if start < html.len() {
        tokens.push((start, html.len()));
    }
    tokens
}

/// Where `other` differs from `base`, tag by tag and text by text (the longest common
/// subsequence of their tokens): each differing stretch as its byte range in both.
fn differences(base: &str, other: &str) -> Vec<((usize, usize), (usize, usize))> {
    let (left, right) = (tokens(base), tokens(other));
    let same = |i: usize, j: usize| base[left[i].0..left[i].1] == other[right[j].0..right[j].1];
    // `longest[i][j]`: the common subsequence of `left[i..]` and `right[j..]`.
    let mut longest = vec![vec![0usize; right.len() + 1]; left.len() + 1];
    for i in (0..left.len()).rev() {
        for j in (0..right.len()).rev() {
            longest[i][j] =
                if same(i, j) { longest[i + 1][j + 1] + 1 } else { longest[i + 1][j].max(longest[i][j + 1]) };
        }
    }
    let offset =
        |tokens: &[(usize, usize)], index: usize, length: usize| tokens.get(index).map_or(length, |token| token.0);
    let (mut i, mut j) = (0, 0);
    let mut stretches = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    while i < left.len() || j < right.len() {
        if i < left.len() && j < right.len() && same(i, j) {
            if let Some((from_i, from_j)) = open.take() {
                stretches.push((
                    (offset(&left, from_i, base.len()), left[i].0),
                    (offset(&right, from_j, other.len()), right[j].0),
                ));
            }
            i += 1;
            j += 1;
            continue;
        }
        open.get_or_insert((i, j));
        if j < right.len() && (i == left.len() || longest[i][j + 1] >= longest[i + 1][j]) {
            j += 1;
        } else {
            i += 1;
        }
    }
    if let Some((from_i, from_j)) = open {
        stretches.push((
            (offset(&left, from_i, base.len()), base.len()),
            (offset(&right, from_j, other.len()), other.len()),
        ));
    }
    stretches
}

/// One component's template in one language, made from its renderings.
pub(super) struct TemplateMaker<Input> {
    render: Box<dyn Fn(&Input) -> String>,
    base_input: Input,
    base: String,
    stand_ins: Vec<StandIn>,
    edits: Vec<Edit>,
}

impl<Input: Clone> TemplateMaker<Input> {
    pub(super) fn new(base_input: Input, stand_ins: Vec<StandIn>, render: impl Fn(&Input) -> String + 'static) -> Self {
        let base = render(&base_input);
        TemplateMaker { render: Box::new(render), base_input, base, stand_ins, edits: Vec::new() }
    }

    /// A part the component shows only when `condition` (JavaScript) holds: what `change`
    /// to the base input inserts.
    pub(super) fn optional(&mut self, condition: &str, change: impl FnOnce(&mut Input)) {
        let mut input = self.base_input.clone();
        change(&mut input);
        let (at, inserted) = insertion(&self.base, &(self.render)(&input));
        let inner = literal(&with_stand_ins(&inserted, &self.stand_ins));
        self.edits.push(Edit { start: at, end: at, parts: vec![Part::Code(format!("{condition} ? {inner} : ''"))] });
    }

    /// Two forms of the markup: `condition` (JavaScript) picks what `change` to the base
    /// input renders, otherwise the base's; each stretch of elements and texts where the
    /// two differ becomes its own choice.
    pub(super) fn either(&mut self, condition: &str, change: impl FnOnce(&mut Input)) {
        let mut input = self.base_input.clone();
        change(&mut input);
        let other = (self.render)(&input);
        for ((start, end), (other_start, other_end)) in differences(&self.base, &other) {
            let [when_not, when] = [&self.base[start..end], &other[other_start..other_end]]
                .map(|text| literal(&with_stand_ins(text, &self.stand_ins)));
            let code = format!("{condition} ? {when} : {when_not}");
            self.edits.push(Edit { start, end, parts: vec![Part::Code(code)] });
        }
    }

    /// A part the component shows only when `condition` holds, written by `code` (another
    /// component's template, called): what `change` to the base input inserts is that
    /// component's markup.
    pub(super) fn optional_as(&mut self, condition: &str, change: impl FnOnce(&mut Input), code: &str) {
        let mut input = self.base_input.clone();
        change(&mut input);
        let (at, _) = insertion(&self.base, &(self.render)(&input));
        self.edits.push(Edit { start: at, end: at, parts: vec![Part::Code(format!("({condition} ? {code} : '')"))] });
    }

    /// A list whose items are another component's markup, written by `code` (its template,
    /// called) for each item of `each` (as in [`Self::repeated`]); returns where the list is
    /// in the base rendering, for what follows it ([`Self::code_at`]).
    pub(super) fn repeated_as(&mut self, each: &str, add: impl Fn(&mut Input), code: &str) -> usize {
        let (at, _) = self.list_item(add);
        self.edits.push(Edit { start: at, end: at, parts: vec![Part::Code(format!("{each} {code}).join('')"))] });
        at
    }

    /// `code` (JavaScript) written at `at` of the base rendering, after what is there already.
    pub(super) fn code_at(&mut self, at: usize, code: &str) {
        self.edits.push(Edit { start: at, end: at, parts: vec![Part::Code(code.to_owned())] });
    }

    /// A part written once per item of a list (`each`, JavaScript, e.g. `p.tags.map((tag) =>`):
    /// what `add_one` (one item, its fields stand-ins) inserts into the base input's empty
    /// list. Checked with two items, which must insert the same text twice.
    pub(super) fn repeated(&mut self, each: &str, add: impl Fn(&mut Input)) {
        let (at, item) = self.list_item(add);
        let inner = literal(&with_stand_ins(&item, &self.stand_ins));
        self.edits.push(Edit { start: at, end: at, parts: vec![Part::Code(format!("{each} {inner}).join('')"))] });
    }

    /// A text that depends on an enum's value (`expression`, JavaScript): the renderings
    /// with each value of `values`, the first of which is the base input's.
    pub(super) fn by_value<Value: Copy + serde::Serialize>(
        &mut self,
        expression: &str,
        values: &[Value],
        set: impl Fn(&mut Input, Value),
    ) {
        let renderings: Vec<String> = values
            .iter()
            .map(|&value| {
                let mut input = self.base_input.clone();
                set(&mut input, value);
                (self.render)(&input)
            })
            .collect();
        let texts: Vec<&str> = renderings.iter().map(String::as_str).collect();
        assert_eq!(texts[0], self.base, "the first value is the base input's");
        let prefix = common_prefix(&texts);
        let suffix = common_suffix(&texts, prefix);
        let entries: Vec<String> = values
            .iter()
            .zip(&texts)
            .map(|(&value, text)| {
                let middle = &text[prefix..text.len() - suffix];
                format!("{}: {}", wire_name(value), literal(&with_stand_ins(middle, &self.stand_ins)))
            })
            .collect();
        let code = format!("({{ {} }})[{expression}] || ''", entries.join(", "));
        self.edits.push(Edit { start: prefix, end: self.base.len() - suffix, parts: vec![Part::Code(code)] });
    }

    /// Where a list is in the base rendering and the markup of one item: what `add` (one
    /// item) inserts into the base input's empty list. Panics unless a second item inserts
    /// the same text again.
    fn list_item(&self, add: impl Fn(&mut Input)) -> (usize, String) {
        let mut one = self.base_input.clone();
        add(&mut one);
        let (at, item) = insertion(&self.base, &(self.render)(&one));
        let mut two = one.clone();
        add(&mut two);
        let mut expected = self.base.clone();
        expected.insert_str(at, &format!("{item}{item}"));
        assert_eq!((self.render)(&two), expected, "a list's second item is not written like its first");
        (at, item)
    }

    /// The template literal: the base rendering with the edits and the stand-ins in.
    pub(super) fn literal(mut self) -> String {
        // Stable: edits at one place keep the order they were made in.
        self.edits.sort_by_key(|edit| (edit.start, edit.end));
        let mut parts = Vec::new();
        let mut done = 0;
        for edit in &self.edits {
            assert!(edit.start >= done, "two of a template's changing parts overlap");
            parts.extend(with_stand_ins(&self.base[done..edit.start], &self.stand_ins));
            parts.extend(edit.parts.iter().cloned());
            done = edit.end;
        }
        parts.extend(with_stand_ins(&self.base[done..], &self.stand_ins));
        literal(&parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_ins_become_expressions_and_the_rest_stays_text() {
        let stand_ins = vec![StandIn::code(field("name"), "p.name")];
        let parts = with_stand_ins(&format!("<b>{}</b> `$", field("name")), &stand_ins);
        assert_eq!(literal(&parts), "`<b>${p.name}</b> \\`\\$`");
    }

    #[test]
    fn an_insertion_is_placed_at_whole_elements() {
        let base = "<ul><li>a</li></ul>";
        let with = "<ul><li>a</li><li>b</li></ul>";
        assert_eq!(insertion(base, with), (14, "<li>b</li>".to_owned()));
    }

    #[test]
    #[should_panic(expected = "not the first with one insertion")]
    fn a_change_that_is_no_insertion_is_refused() {
        insertion("<p>a</p>", "<p>bc</p>");
    }

    #[test]
    fn differences_are_found_tag_by_tag() {
        let base = "<dd><a href=\"x\">e</a></dd><p>a</p>";
        let other = "<dd>e</dd><p>a</p><p class=\"hint\">h</p>";
        let found: Vec<(&str, &str)> =
            differences(base, other).into_iter().map(|((a, b), (c, d))| (&base[a..b], &other[c..d])).collect();
        assert_eq!(found, [("<a href=\"x\">", ""), ("</a>", ""), ("", "<p class=\"hint\">h</p>")]);
    }

    #[test]
    fn common_ends_leave_the_differing_middle() {
        let texts = ["From 1/month", "From 1/hour", "From 1 once"];
        let prefix = common_prefix(&texts);
        assert_eq!(&texts[0][..prefix], "From 1");
        assert_eq!(common_suffix(&texts, prefix), 0);
    }
}
