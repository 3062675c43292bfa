//! Copy as a stream of items (words, numbers, currency signs, merge tokens) with their spans in UTF-16 code units,
//! the unit JS strings index by (`"é".length` is 1, `"😀".length` is 2), so `text.slice(start, end)` in the page is
//! exactly the flagged text.
//!
//! Merge tokens of the common senders are recognised: `{FNAME}`, `${firstName}`, `{{ first_name }}` (with Liquid
//! filters, `{{ customer.first_name | default: "there" }}`), `*|FNAME|*`, `%%FirstName%%`. Liquid and Handlebars
//! tags (`{% … %}`, `{{#if …}}`) are skipped, and so are HTML tags and entities in a body.

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Letters and digits starting with a letter; apostrophes inside (`can't`). `text` is lower case.
    Word,
    /// Digits with `.` or `,` groups (`0`, `0.00`, `1,299`). `text` is the digits as written.
    Number,
    /// A currency sign (`$ € £ ¥ ₹`), or a minus sign (`-`, `−`) before an amount. `text` is the sign.
    Sign,
    /// A merge token. `text` is its normalised field name (see [`field_name`]).
    Token,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub kind: Kind,
    pub text: String,
    /// Span in UTF-16 code units.
    pub start: u32,
    pub end: u32,
    /// Span in bytes of the Rust string, for quoting.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The first character is upper case (for salutations: `Miss Lee` vs `don't miss`).
    pub capital: bool,
}

/// Longest merge token looked for, in bytes.
const MAX_TOKEN: usize = 200;

fn is_field_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | ':')
}

fn is_currency(c: char) -> bool {
    matches!(c, '$' | '€' | '£' | '¥' | '₹')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

/// A field name as compared everywhere: the part after the last `.` or `:`, lower case, without `_`, `-` and
/// spaces; `fname` is `firstname` and `lname` is `lastname` (`{FNAME}`, `{{first_name}}` and `%%FirstName%%` are one
/// field).
pub fn field_name(raw: &str) -> String {
    let last = raw.rsplit(['.', ':']).next().unwrap_or(raw);
    let mut name = String::with_capacity(last.len());
    for c in last.chars().filter(|c| !matches!(c, '_' | '-' | ' ')) {
        push_lower(&mut name, c);
    }
    match name.as_str() {
        "fname" => "firstname".to_string(),
        "lname" => "lastname".to_string(),
        _ => name,
    }
}

/// Appends `c` in lower case, `’` as `'`: one loop shared by words, patterns and field names.
fn push_lower(out: &mut String, c: char) {
    if is_apostrophe(c) {
        out.push('\'');
    } else if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else {
        out.extend(c.to_lowercase());
    }
}

/// `s` in lower case, apostrophes unified.
fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        push_lower(&mut out, c);
    }
    out
}

fn u16_len(s: &str) -> u32 {
    s.chars().map(|c| c.len_utf16() as u32).sum()
}

/// A merge token at the start of `rest`: its length in bytes and its raw field name (`None`: a tag to skip).
fn merge_token(rest: &str) -> Option<(usize, Option<&str>)> {
    let window = head(rest, MAX_TOKEN);
    let enclosed = |open: &str, close: &str| -> Option<(usize, &str)> {
        let inner = window.strip_prefix(open)?;
        let end = inner.find(close)?;
        Some((open.len() + end + close.len(), inner.get(..end)?))
    };
    let ident = |s: &str| !s.is_empty() && s.chars().all(is_field_char);
    if let Some((len, _)) = enclosed("{%", "%}") {
        return Some((len, None));
    }
    if let Some((len, inner)) = enclosed("{{", "}}") {
        let inner = inner.trim_start_matches('{').trim();
        let name = inner.split(|c: char| c == '|' || c.is_whitespace()).next().unwrap_or("");
        let len = if rest.get(len..).is_some_and(|r| r.starts_with('}')) { len + 1 } else { len };
        return Some((len, Some(name).filter(|n| ident(n))));
    }
    for (open, close) in [("${", "}"), ("{", "}"), ("*|", "|*"), ("%%", "%%")] {
        if let Some((len, inner)) = enclosed(open, close) {
            if ident(inner) {
                return Some((len, Some(inner)));
            }
        }
    }
    None
}

/// The first `max` bytes of `s` (fewer, to end on a character boundary): searches stay bounded.
fn head(s: &str, max: usize) -> &str {
    let mut n = s.len().min(max);
    while !s.is_char_boundary(n) {
        n -= 1;
    }
    s.get(..n).unwrap_or("")
}

/// Longest HTML tag or comment looked for, in bytes.
const MAX_TAG: usize = 4000;

/// An HTML tag (`<td …>`, `</p>`, `<!-- … -->`) or entity (`&nbsp;`, `&#36;`) at the start of `rest`: its length.
fn markup(rest: &str) -> Option<usize> {
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some('<'), Some(c)) if c.is_ascii_alphabetic() || c == '/' || c == '!' => {
            let window = head(rest, MAX_TAG);
            if rest.starts_with("<!--") {
                return window.find("-->").map(|i| i + 3);
            }
            window.find('>').map(|i| i + 1)
        }
        (Some('&'), Some(c)) if c.is_ascii_alphanumeric() || c == '#' => {
            let end = head(rest, 12).find(';')?;
            rest.get(1..end).filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric() || c == '#')).map(|_| end + 1)
        }
        _ => None,
    }
}

/// A minus sign counts only before an amount (`-5`, `-$5`); a hyphen between words (`below-market`) is no item.
fn starts_amount(after: Option<&str>) -> bool {
    after.and_then(|a| a.chars().next()).is_some_and(|n| n.is_ascii_digit() || is_currency(n))
}

/// Splits copy into items. `markup`: skip HTML tags and entities (for a body).
pub fn items(text: &str, skip_markup: bool) -> Vec<Item> {
    let mut out = Vec::new();
    let (mut pos, mut pos16) = (0usize, 0u32);
    while let Some(rest) = text.get(pos..).filter(|r| !r.is_empty()) {
        let Some(c) = rest.chars().next() else { break };
        let mut push = |kind, item_text: String, len: usize, pos16: u32, capital| {
            let piece = rest.get(..len).unwrap_or("");
            out.push(Item {
                kind,
                text: item_text,
                start: pos16,
                end: pos16 + u16_len(piece),
                byte_start: pos,
                byte_end: pos + len,
                capital,
            });
        };
        let len = if let Some((len, name)) = merge_token(rest) {
            if let Some(name) = name {
                push(Kind::Token, field_name(name), len, pos16, false);
            }
            len
        } else if let Some(len) = markup(rest).filter(|_| skip_markup) {
            len
        } else if c.is_alphabetic() {
            let mut len = 0;
            let mut it = rest.char_indices().peekable();
            while let Some((i, ch)) = it.next() {
                let inner_apostrophe = is_apostrophe(ch) && it.peek().is_some_and(|(_, n)| n.is_alphabetic());
                if !(ch.is_alphanumeric() || inner_apostrophe) {
                    break;
                }
                len = i + ch.len_utf8();
            }
            push(Kind::Word, lower(rest.get(..len).unwrap_or("")), len, pos16, c.is_uppercase());
            len
        } else if c.is_ascii_digit() {
            let b = rest.as_bytes();
            let mut len = 0;
            while len < b.len() {
                match b.get(len) {
                    Some(d) if d.is_ascii_digit() => len += 1,
                    Some(b'.' | b',') if b.get(len + 1).is_some_and(u8::is_ascii_digit) => len += 1,
                    _ => break,
                }
            }
            push(Kind::Number, rest.get(..len).unwrap_or("").to_string(), len, pos16, false);
            len
        } else if is_currency(c) || ((c == '-' || c == '−') && starts_amount(rest.get(c.len_utf8()..))) {
            push(Kind::Sign, c.to_string(), c.len_utf8(), pos16, false);
            c.len_utf8()
        } else {
            c.len_utf8()
        };
        pos16 += u16_len(rest.get(..len).unwrap_or(""));
        pos += len.max(1);
    }
    out
}

/// A phrase of a word list: words, each either exact or a prefix (written with a trailing `*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phrase {
    pub words: Vec<(String, bool)>,
    /// Exact words of four letters or more also match their regular inflections (see [`inflects`]).
    pub inflect: bool,
}

impl Phrase {
    /// `"below market"`, `"low-cost"` (two words, as the copy is split), `"cheap*"` (cheap, cheaper, cheapest).
    /// The pattern is split where the copy would be (anything but letters, digits, inner apostrophes and `*`), so
    /// `"loan (denied)"` is the two words; empty words are dropped, so a bare `*` matches nothing, not everything.
    pub fn parse(pattern: &str) -> Phrase {
        let mut words = Vec::new();
        for w in pattern.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c) || c == '*')) {
            let word = w.trim_matches(|c: char| is_apostrophe(c) || c == '*');
            if !word.is_empty() {
                words.push((lower(word), w.ends_with('*')));
            }
        }
        Phrase { words, inflect: false }
    }

    /// [`Phrase::parse`], with the regular inflections of exact words: `"diet"` is diet, diets, dieted, dieting.
    pub fn inflected(pattern: &str) -> Phrase {
        Phrase { inflect: true, ..Phrase::parse(pattern) }
    }

    /// If the phrase starts at `items[i]` (consecutive words), the index of its last item.
    pub fn matches_at(&self, items: &[Item], i: usize) -> Option<usize> {
        if self.words.is_empty() {
            return None;
        }
        for (j, (w, prefix)) in self.words.iter().enumerate() {
            let item = items.get(i + j)?;
            let ok = item.kind == Kind::Word
                && if *prefix {
                    item.text.starts_with(w.as_str())
                } else {
                    item.text == *w || (self.inflect && inflects(&item.text, w))
                };
            if !ok {
                return None;
            }
        }
        Some(i + self.words.len() - 1)
    }
}

/// `word` is a regular inflection of `base` (four letters or more): `-s`, `-es`, `-'s`, `-ed`, `-ing`; `-d` after
/// an `e`; `-ing` without a final `e` (nurse: nursing); `-ed`/`-ing` with a final consonant doubled (slim:
/// slimming); `-ies`/`-ied` for a final `y` (nappy: nappies). Never a derivation: "bump" is not "bumper", "diet" is
/// not "dietary". Short bases match exactly ("to", "be", "ivf"), so phrases do not grow odd forms.
pub fn inflects(word: &str, base: &str) -> bool {
    if base.len() < 4 || !base.is_ascii() {
        return false;
    }
    if let Some(rest) = word.strip_prefix(base) {
        if matches!(rest, "s" | "es" | "'s" | "ed" | "ing") || (rest == "d" && base.ends_with('e')) {
            return true;
        }
        let last = base.as_bytes().last().copied().unwrap_or(b'a');
        if !b"aeiouwxy".contains(&last) && rest.as_bytes().first() == Some(&last) {
            if let Some(end) = rest.get(1..) {
                return matches!(end, "ed" | "ing");
            }
        }
        return false;
    }
    let stem_plus = |suffix: char, ends: &[&str]| {
        base.strip_suffix(suffix).and_then(|stem| word.strip_prefix(stem)).is_some_and(|rest| ends.contains(&rest))
    };
    stem_plus('e', &["ing"]) || stem_plus('y', &["ies", "ied"])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String, u32, u32)> {
        items(text, true).into_iter().map(|i| (i.kind, i.text, i.start, i.end)).collect()
    }

    #[test]
    fn merge_tokens_of_common_senders_are_one_field() {
        for t in [
            "{FNAME}",
            "{{first_name}}",
            "{{ customer.first_name | default: \"there\" }}",
            "*|FNAME|*",
            "%%FirstName%%",
            "${firstName}",
            "{{{first_name}}}",
        ] {
            let it = items(t, false);
            assert_eq!(it.len(), 1, "{t}: {it:?}");
            assert_eq!((it[0].kind, it[0].text.as_str()), (Kind::Token, "firstname"), "{t}");
            assert_eq!((it[0].start, it[0].end), (0, t.encode_utf16().count() as u32), "{t}");
        }
        assert!(items("{% if x %}{{#if vip}}", false).is_empty(), "tags are skipped");
        assert_eq!(items("td { color: red }", true).iter().filter(|i| i.kind == Kind::Token).count(), 0);
    }

    #[test]
    fn spans_are_utf16_code_units() {
        let text = "Für 😀 Zoë, {FNAME}: cheap";
        let it = items(text, false);
        let units: Vec<u16> = text.encode_utf16().collect();
        for i in &it {
            let slice = String::from_utf16(&units[i.start as usize..i.end as usize]).unwrap();
            assert_eq!(slice, text[i.byte_start..i.byte_end], "{i:?}");
        }
        let cheap = it.iter().find(|i| i.text == "cheap").unwrap();
        assert_eq!((cheap.start, cheap.end), (21, 26), "😀 is two code units, ü and ë one each");
        assert_eq!(it[0].text, "für");
    }

    #[test]
    fn words_numbers_signs_and_markup() {
        let k = kinds("<p class=\"x\">Can’t miss: -$0.00 &amp; 1,299 pts</p>");
        let texts: Vec<&str> = k.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(texts, ["can't", "miss", "-", "$", "0.00", "1,299", "pts"]);
        assert_eq!(k[4].0, Kind::Number);
        assert_eq!(k[2].0, Kind::Sign);
    }

    #[test]
    fn phrases_match_consecutive_words_and_prefixes() {
        let it = items("So cheaper, and below-market!", false);
        assert_eq!(Phrase::parse("cheap*").matches_at(&it, 1), Some(1));
        assert_eq!(Phrase::parse("cheap").matches_at(&it, 1), None);
        assert_eq!(Phrase::parse("below market").matches_at(&it, 3), Some(4));
        assert_eq!(Phrase::parse("Below-Market").matches_at(&it, 3), Some(4));
        assert_eq!(Phrase::parse("below (market)!").matches_at(&it, 3), Some(4), "split as the copy is");
        assert!(Phrase::parse("*").words.is_empty(), "a bare star matches nothing, not every word");
        assert!(Phrase::parse(" * - ").matches_at(&it, 0).is_none());
    }

    #[test]
    fn inflections_are_regular_forms_only() {
        for (base, yes) in [
            ("diet", &["diet", "diets", "dieted", "dieting"][..]),
            ("bump", &["bump", "bumps", "bumped", "bumping"]),
            ("nurse", &["nurses", "nursed", "nursing"]),
            ("slim", &["slimming", "slimmed"]),
            ("nappy", &["nappies"]),
            ("loss", &["losses"]),
            ("divorce", &["divorced", "divorcing", "divorce's"]),
        ] {
            for w in yes {
                assert!(*w == base || inflects(w, base), "{w} of {base}");
            }
        }
        for (base, no) in [
            ("diet", &["dietary", "dietitian", "die"][..]),
            ("bump", &["bumper", "bumpy"]),
            ("nurse", &["nursery"]),
            ("loss", &["lossy"]),
            ("ivf", &["ivfs"]),
            ("be", &["bed"]),
        ] {
            for w in no {
                assert!(!inflects(w, base), "{w} is not {base}");
            }
        }
        let it = items("Dieting tips, dietary fibre", false);
        let diet = Phrase::inflected("diet");
        assert_eq!((diet.matches_at(&it, 0), diet.matches_at(&it, 2)), (Some(0), None));
        assert_eq!(Phrase::parse("diet").matches_at(&it, 0), None, "only inflected phrases inflect");
    }
}
