//! Person and company names in a transcript, robust to Whisper's spelling
//! and case: "Sara" and "Sarah", "Jon" and "John", "katherine" and
//! "Catherine" are the same name.
//!
//! Two names match when their phonetic keys (below) are equal, or within a
//! small edit distance that grows with length. Common words that happen to
//! sit one letter from a name ("like" vs "Mike") never match.

use super::tokens::TextView;

/// Words that are never taken as a name, even when capitalised.
const NOT_NAMES: &[&str] = &[
    "he",
    "she",
    "they",
    "someone",
    "somebody",
    "nobody",
    "people",
    "everybody",
    "everyone",
    "who",
    "what",
    "which",
    "a",
    "an",
    "the",
    "i",
    "it",
    "is",
    "this",
    "that",
    "there",
    "here",
    "hi",
    "hello",
    "hey",
    "good",
    "morning",
    "afternoon",
    "evening",
    "dear",
    "all",
    "everyone",
    "team",
    "folks",
    "guys",
    "you",
    "your",
    "me",
    "my",
    "we",
    "our",
    "us",
    "just",
    "so",
    "and",
    "but",
    "um",
    "uh",
    "ah",
    "er",
    "again",
    "sir",
    "madam",
    "ma'am",
    "friend",
    "like",
    "how",
    "are",
    "hope",
    "thanks",
    "thank",
    "please",
    "calling",
    "call",
    "again",
    "yes",
    "no",
    "ok",
    "okay",
    "well",
    "am",
    "was",
    "with",
    "from",
    "at",
    "for",
    "to",
    "of",
    "on",
    "in",
    "by",
    "and",
    "or",
    "mr",
    "mrs",
    "ms",
    "dr",
    "today",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "one",
    "two",
    "three",
    "not",
    "do",
    "have",
    "will",
    "would",
    "can",
    "be",
    "been",
    "quick",
    "question",
    "sorry",
    "great",
    "nice",
];

/// Is this token (normalised) allowed to be a name?
pub fn could_be_name(norm: &str) -> bool {
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    norm.chars().next().is_some_and(char::is_alphabetic)
        && !SET
            .get_or_init(|| NOT_NAMES.iter().copied().collect())
            .contains(norm)
}

/// A rough phonetic key: letters that sound alike folded together, silent
/// `h` after a consonant or at the end dropped, doubled letters collapsed.
pub fn phonetic_key(name: &str) -> String {
    let lower: String = name
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    let s = lower
        .replace("ph", "f")
        .replace("th", "t")
        .replace("ck", "k")
        .replace("qu", "kw")
        .replace(['c', 'q'], "k")
        .replace('y', "i")
        .replace('z', "s");
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(chars.len());
    let mut prev: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        // A silent h: "Sarah", "John" (but not "Johanna").
        let next_vowel = chars.get(i + 1).is_some_and(|n| "aeiou".contains(*n));
        if c == 'h' && i > 0 && !next_vowel {
            continue;
        }
        if Some(c) == prev {
            continue;
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Levenshtein distance over chars, for short strings.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Do a transcript token and a known name refer to the same name? (The
/// rules match through `NamePart`; the tests ask this way.)
#[cfg(test)]
fn same_name(token: &str, name: &str) -> bool {
    NamePart::new(name).matches(&token.to_lowercase())
}

/// The first sound of a word, as [`phonetic_key`] would start it.
fn first_sound(s: &str) -> Option<char> {
    if s.starts_with("ph") {
        return Some('f');
    }
    s.chars().next().map(|c| match c {
        'c' | 'q' => 'k',
        'y' => 'i',
        'z' => 's',
        other => other,
    })
}

/// One part of a known name, prepared once for matching against many tokens.
#[derive(Debug, Clone)]
pub struct NamePart {
    lower: String,
    key: String,
    first: Option<char>,
}

impl NamePart {
    pub fn new(part: &str) -> Self {
        let lower = part.to_lowercase();
        let key = phonetic_key(&lower);
        let first = first_sound(&lower);
        NamePart { lower, key, first }
    }

    /// Does a normalised (lower-case) token say this name?
    pub fn matches(&self, token: &str) -> bool {
        if token == self.lower {
            return true;
        }
        // Cheap tests first: a name starts with the same sound and is of a similar length.
        if first_sound(token) != self.first
            || token.len().abs_diff(self.lower.len()) > 3
            || !could_be_name(token)
        {
            return false;
        }
        let kt = phonetic_key(token);
        if kt.is_empty() || self.key.is_empty() {
            return false;
        }
        if kt == self.key {
            return true;
        }
        let len = kt.chars().count().max(self.key.chars().count());
        let allowed = match len {
            0..=4 => 0,
            5..=7 => 1,
            _ => 2,
        };
        allowed > 0 && edit_distance(&kt, &self.key) <= allowed
    }
}

/// Every part of a name, prepared: "Sarah Lee" → [sarah, lee].
pub fn name_matchers(name: &str) -> Vec<NamePart> {
    name_parts(name).iter().map(|p| NamePart::new(p)).collect()
}

/// The parts of a name worth looking for: "Sarah Lee" → ["sarah", "lee"].
pub fn name_parts(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .map(|p| p.trim_matches('\'').to_lowercase())
        .filter(|p| {
            p.chars().any(char::is_alphabetic) && !matches!(p.as_str(), "mr" | "mrs" | "ms" | "dr")
        })
        .collect()
}

/// Token positions where a person's name is said. Consecutive parts of
/// the same name ("Sarah Lee") count once, at the first part.
pub fn find_person(view: &TextView, name: &str) -> Vec<std::ops::Range<usize>> {
    let parts = name_matchers(name);
    let cased = has_case(view);
    // "Will" the name is not the "will" of "I'll call": a name that is also
    // a common word must be written with its capital when the text has case.
    let is_part = |i: usize| {
        parts.iter().any(|p| p.matches(view.norm(i)))
            && (could_be_name(view.norm(i)) || !cased || capital_as_name(view, i))
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < view.tokens.len() {
        if is_part(i) {
            let mut end = i + 1;
            while end < view.tokens.len() && end < i + parts.len() && is_part(end) {
                end += 1;
            }
            out.push(i..end);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

/// Token positions where a company name is said: all its words in a row
/// (each matched like a name), ignoring "Inc", "LLC" and the like.
pub fn find_company(view: &TextView, company: &str) -> Vec<std::ops::Range<usize>> {
    let parts: Vec<String> = name_parts(company)
        .into_iter()
        .filter(|p| !matches!(p.as_str(), "inc" | "llc" | "ltd" | "co" | "corp" | "the"))
        .collect();
    let mut out = Vec::new();
    if parts.is_empty() {
        return out;
    }
    let n = view.tokens.len();
    for i in 0..n {
        if i + parts.len() <= n
            && parts
                .iter()
                .enumerate()
                .all(|(k, p)| view.norm(i + k) == p || same_company_word(view.norm(i + k), p))
        {
            out.push(i..i + parts.len());
        }
    }
    out
}

fn same_company_word(token: &str, part: &str) -> bool {
    // Company words are often ordinary words ("Butler Street"): compare
    // spelling only, allowing one slip in longer words.
    token.chars().count() >= 5 && edit_distance(token, part) <= 1
}

/// Greeting words that come before the prospect's name.
const GREETINGS: &[&[&str]] = &[
    &["hi"],
    &["hello"],
    &["hey"],
    &["dear"],
    &["good", "morning"],
    &["good", "afternoon"],
    &["good", "evening"],
    &["morning"],
];

/// The prospect's name from the greeting ("Hi Sarah, …", "Good morning,
/// Sarah Lee."): the token range of the name, if the message opens with one.
pub fn name_from_greeting(view: &TextView) -> Option<std::ops::Range<usize>> {
    let first = view.sentences.first()?.clone();
    // "Sarah, this is Mike …": the name alone, then the introduction.
    let opener = &view.tokens.get(first.start)?;
    if opener.capitalized
        && could_be_name(&opener.norm)
        && opener.punct_after == Some(',')
        && matches!(
            (view.norm(first.start + 1), view.norm(first.start + 2)),
            ("this", "is") | ("it", "is") | ("my", "name") | ("i", "am")
        )
    {
        return Some(first.start..first.start + 1);
    }
    for g in GREETINGS {
        if g.iter()
            .enumerate()
            .all(|(k, w)| view.norm(first.start + k) == *w)
        {
            let mut i = first.start + g.len();
            // "Hi there Sarah" is rare; "Hi, Sarah" is common — commas live in punct.
            if matches!(view.norm(i), "mr" | "mrs" | "ms" | "dr") {
                i += 1;
            }
            let start = i;
            while i < first.end && i < start + 2 {
                let t = &view.tokens[i];
                // A name is capitalised in typed text and in Whisper output;
                // accept lower case only right after the greeting word. A
                // word that is also a name ("Hi Will,") is one here.
                let nameable = could_be_name(&t.norm) || is_word_name(&t.norm);
                if !nameable || !(t.capitalized || i == start) {
                    break;
                }
                i += 1;
                if t.punct_after.is_some() {
                    break;
                }
            }
            return (i > start).then_some(start..i);
        }
    }
    None
}

/// Does the text carry case at all? An all-lower-case transcript (some
/// Whisper outputs, hasty typing) gives no capital to look for in a name.
pub fn has_case(view: &TextView) -> bool {
    view.tokens.iter().any(|t| t.capitalized && t.norm != "i")
}

/// Proper names written with capitals: runs of two or more capitalised
/// words with no punctuation between them ("Keystone Benefits", "Harbor
/// Results Group", "Jill Park"). "I" is not one; a run may start a sentence.
/// Text without case has none (the introduction grammar finds names there).
pub fn capitalised_names(view: &TextView) -> Vec<std::ops::Range<usize>> {
    let capital = |i: usize| {
        let t = &view.tokens[i];
        let own_word = i == 0 || view.tokens[i - 1].word != t.word;
        t.capitalized && own_word && t.norm != "i"
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < view.tokens.len() {
        let mut e = i;
        while e < view.tokens.len() && capital(e) {
            e += 1;
            if view.tokens[e - 1].punct_after.is_some() {
                break;
            }
        }
        if e - i >= 2 {
            out.push(i..e);
        }
        i = e.max(i + 1);
    }
    out
}

/// Common words that are also first names: "Will", "Hope", "Grace".
const WORD_NAMES: &[&str] = &[
    "will", "hope", "grace", "faith", "joy", "mark", "bill", "rose", "dawn", "may", "june",
    "april", "summer", "sky", "chase", "hunter", "bob", "pat", "sue", "rob", "art", "jack",
];

/// Is this (normalised) word a common word that is also a first name?
pub fn is_word_name(norm: &str) -> bool {
    WORD_NAMES.contains(&norm)
}

/// Is token `i` capitalised as a name is: the first token of its word (not
/// the "will" of "I'll"), capitalised, and either inside a sentence or
/// addressed with a comma ("Will, I'll try you …")?
fn capital_as_name(view: &TextView, i: usize) -> bool {
    let Some(t) = view.tokens.get(i) else {
        return false;
    };
    let prev = i.checked_sub(1).and_then(|p| view.tokens.get(p));
    t.capitalized
        && prev.is_none_or(|p| p.word != t.word)
        && (prev.is_some_and(|p| p.sentence == t.sentence) || t.punct_after == Some(','))
}

/// A name-like token: capitalised when the text has case, any non-common
/// word when it has none. A word that is also a name ("Will", "Hope")
/// counts when it is capitalised away from a sentence start.
pub fn name_like(view: &TextView, i: usize, cased: bool) -> bool {
    let Some(t) = view.tokens.get(i) else {
        return false;
    };
    if could_be_name(&t.norm) {
        return t.capitalized || !cased;
    }
    cased && is_word_name(&t.norm) && capital_as_name(view, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Transcript;

    fn view(s: &str) -> TextView {
        TextView::new(&Transcript::from_text(s))
    }

    #[test]
    fn spelling_variants_match() {
        assert!(same_name("sara", "Sarah"));
        assert!(same_name("SARAH", "sarah"));
        assert!(same_name("jon", "John"));
        assert!(same_name("katherine", "Catherine"));
        assert!(same_name("kathryn", "Catherine"));
        assert!(same_name("stephen", "Steven"));
    }

    #[test]
    fn common_words_do_not_match_names() {
        assert!(!same_name("like", "Mike"));
        assert!(!same_name("sir", "Sarah"));
        assert!(!same_name("share", "Sarah"));
        assert!(!same_name("tom", "Tim"));
    }

    #[test]
    fn capitalised_runs_are_names() {
        let names = |s: &str| {
            let v = view(s);
            capitalised_names(&v)
                .into_iter()
                .map(|r| {
                    r.map(|i| v.norm(i).to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names("Derek Shaw from Pinecrest Savings, checking in."),
            ["derek shaw", "pinecrest savings"]
        );
        // A lone capital, "I", and a comma between two capitals are not runs.
        assert!(names("We save teams time, Sarah. I think Acme will.").is_empty());
        assert!(names("Thanks Sarah, Acme").len() == 1);
        assert!(names("no case here at all").is_empty());
    }

    #[test]
    fn greeting_gives_the_name() {
        let v = view("Hi Sarah, this is Mike from Butler Street.");
        let r = name_from_greeting(&v).unwrap();
        assert_eq!(v.norm(r.start), "sarah");
        assert_eq!(r.len(), 1);
        let v = view("Good morning, Sarah Lee. It's Mike.");
        assert_eq!(name_from_greeting(&v).unwrap().len(), 2);
        assert!(name_from_greeting(&view("Hi it's Mike, I have a question")).is_none());
        assert!(name_from_greeting(&view("Hi there, this is Mike")).is_none());
    }

    #[test]
    fn person_counted_once_per_full_name() {
        let v = view("Sarah Lee, this is Mike. Again Sara, call me.");
        assert_eq!(find_person(&v, "Sarah Lee").len(), 2);
    }

    #[test]
    fn company_words_in_a_row() {
        let v = view("Mike from butler street here");
        assert_eq!(find_company(&v, "Butler Street Inc").len(), 1);
        assert!(find_company(&v, "Butler Avenue").is_empty());
    }
}
