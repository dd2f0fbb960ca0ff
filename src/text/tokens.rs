//! Words as the rules compare them: lower-cased, apostrophes unified,
//! contractions expanded ("I'll" → "i will"), each token pointing back at
//! the transcript word it came from, and grouped into sentences.
//!
//! Expanding contractions lets one phrase ("i will call") match every way a
//! rep or Whisper writes it ("I'll call", "I will call").

use crate::message::Transcript;
use std::ops::Range;

/// One comparable token.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Lower-case, apostrophes as `'`, no surrounding punctuation.
    pub norm: String,
    /// Index of the transcript word it came from.
    pub word: usize,
    /// The word started with a capital letter (a hint for names).
    pub capitalized: bool,
    /// Punctuation written right after the token (',' '.' '?' '!' ';' ':'),
    /// only for the last token of a word.
    pub punct_after: Option<char>,
    /// Index of the sentence it belongs to.
    pub sentence: usize,
}

/// A transcript cut into tokens and sentences.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextView {
    pub tokens: Vec<Token>,
    /// Token ranges, one per sentence, in order.
    pub sentences: Vec<Range<usize>>,
}

/// Words whose trailing full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "etc", "inc", "co", "ltd", "e.g", "i.e",
];

impl TextView {
    /// Tokenise a transcript and split it into sentences.
    pub fn new(transcript: &Transcript) -> Self {
        let mut tokens: Vec<Token> = Vec::with_capacity(transcript.words.len() + 8);
        let mut sentences = Vec::new();
        let mut sentence = 0usize;
        let mut sentence_start = 0usize;
        let text = transcript.text.as_str();
        let words = &transcript.words;
        for (wi, w) in words.iter().enumerate() {
            // A blank line between words in a typed script ends a sentence.
            if wi > 0 && tokens.len() > sentence_start {
                let prev_end = words[wi - 1].span.end;
                let gap = text.get(prev_end..w.span.start).unwrap_or("");
                if gap.matches('\n').count() >= 2 {
                    sentences.push(sentence_start..tokens.len());
                    sentence += 1;
                    sentence_start = tokens.len();
                }
            }
            let before = tokens.len();
            push_word_tokens(&w.text, wi, sentence, &mut tokens);
            if tokens.len() > before && ends_sentence(&w.text, words.get(wi + 1).map(|n| &*n.text))
            {
                sentences.push(sentence_start..tokens.len());
                sentence += 1;
                sentence_start = tokens.len();
            }
        }
        if tokens.len() > sentence_start {
            sentences.push(sentence_start..tokens.len());
        }
        TextView { tokens, sentences }
    }

    /// The normalised token at `i`, or "" past the end (keeps lookbehind simple).
    pub fn norm(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.norm.as_str()).unwrap_or("")
    }

    /// The transcript words a token range covers.
    pub fn word_range(&self, tokens: Range<usize>) -> Option<Range<usize>> {
        let first = self.tokens.get(tokens.start)?.word;
        let last = self.tokens.get(tokens.end.checked_sub(1)?)?.word;
        Some(first..last + 1)
    }

    /// The transcript words a token range covers, as written but without
    /// the punctuation around each ("Butler Street." → "Butler", "Street");
    /// a word of punctuation alone gives "".
    pub fn words_said<'a>(
        &self,
        transcript: &'a Transcript,
        tokens: Range<usize>,
    ) -> Option<Vec<&'a str>> {
        let words = self.word_range(tokens)?;
        Some(
            transcript
                .words
                .get(words)?
                .iter()
                .map(|w| unpunctuated(&w.text))
                .collect(),
        )
    }

    /// The sentence index of a token.
    pub fn sentence_of(&self, token: usize) -> Option<usize> {
        self.tokens.get(token).map(|t| t.sentence)
    }
}

/// `s` without the punctuation around it; apostrophes stay ("Sarah's," →
/// "Sarah's").
pub fn unpunctuated(s: &str) -> &str {
    s.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
}

/// Split one transcript word into tokens, expanding contractions.
fn push_word_tokens(raw: &str, word: usize, sentence: usize, out: &mut Vec<Token>) {
    let capitalized = raw
        .chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase());
    let first_new = out.len();
    let mut cur = String::new();
    let flush = |cur: &mut String, out: &mut Vec<Token>| {
        let t = cur.trim_matches('\'');
        if !t.is_empty() {
            expand(t, word, sentence, capitalized, out);
        }
        cur.clear();
    };
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '’' || c == '‘' { '\'' } else { c };
        if c.is_alphanumeric() || c == '\'' {
            cur.extend(c.to_lowercase());
        } else if c == '.'
            && !cur.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
            && cur.chars().all(|x| x.is_alphabetic())
            && cur.chars().count() <= 2
        {
            // "a.m.", "e.g.": keep the dots inside.
            cur.push('.');
        } else {
            flush(&mut cur, out);
        }
    }
    flush(&mut cur, out);
    if out.len() > first_new {
        let punct = raw
            .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
            .chars()
            .next_back()
            .filter(|c| matches!(c, ',' | '.' | '?' | '!' | ';' | ':' | '-' | '—' | '…'));
        if let Some(last) = out.last_mut() {
            last.punct_after = punct;
        }
    }
}

/// Push a token, expanding a contraction into its words.
fn expand(t: &str, word: usize, sentence: usize, capitalized: bool, out: &mut Vec<Token>) {
    let push = |s: &str, out: &mut Vec<Token>| {
        out.push(Token {
            norm: s.to_string(),
            word,
            capitalized,
            punct_after: None,
            sentence,
        })
    };
    let pairs: &[(&str, &[&str])] = &[
        ("won't", &["will", "not"]),
        ("can't", &["can", "not"]),
        ("cannot", &["can", "not"]),
        ("let's", &["let", "us"]),
    ];
    for (c, words) in pairs {
        if t == *c {
            for w in *words {
                push(w, out);
            }
            return;
        }
    }
    if let Some((base, suffix)) = t.rsplit_once('\'') {
        let tail = match suffix {
            "ll" => Some("will"),
            "m" => Some("am"),
            "re" => Some("are"),
            "ve" => Some("have"),
            "d" => Some("would"),
            "t" if base.ends_with('n') => None,
            "s" => {
                if matches!(
                    base,
                    "it" | "that" | "what" | "there" | "here" | "he" | "she" | "who" | "where"
                ) {
                    Some("is")
                } else {
                    // A possessive: "Sarah's" is about Sarah.
                    push(base, out);
                    return;
                }
            }
            _ => {
                push(t, out);
                return;
            }
        };
        match tail {
            Some(tail) => {
                push(base, out);
                push(tail, out);
            }
            None => {
                // "don't" → "do not", "haven't" → "have not".
                let stem = &base[..base.len() - 1];
                push(stem, out);
                push("not", out);
            }
        }
        return;
    }
    push(t, out);
}

/// Does this word end a sentence? `next` is the following word, if any.
fn ends_sentence(raw: &str, next: Option<&str>) -> bool {
    let trimmed = raw.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    let Some(last) = trimmed.chars().next_back() else {
        return false;
    };
    match last {
        '?' | '!' | '…' => true,
        '.' => {
            let stem: String = trimmed
                .trim_end_matches('.')
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            let next_upper = next
                .and_then(|n| n.chars().find(|c| c.is_alphanumeric()))
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            if matches!(stem.as_str(), "mr" | "mrs" | "ms" | "dr" | "st") {
                false
            } else if ABBREVIATIONS.contains(&stem.as_str())
                || stem == "a.m"
                || stem == "p.m"
                || (stem.chars().count() == 1 && stem.chars().all(char::is_alphabetic))
            {
                // "at 10 a.m. I'll call" vs "at 10 a.m. tomorrow": a capital decides.
                next.is_none() || next_upper
            } else {
                true
            }
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        TextView::new(&Transcript::from_text(s))
            .tokens
            .into_iter()
            .map(|t| t.norm)
            .collect()
    }

    #[test]
    fn contractions_expand_and_possessives_drop() {
        assert_eq!(
            norms("I'll call, it’s Sarah's don't"),
            ["i", "will", "call", "it", "is", "sarah", "do", "not"]
        );
    }

    #[test]
    fn sentences_split_on_stops_not_abbreviations() {
        let v = TextView::new(&Transcript::from_text(
            "Hi Mr. Lee, this is Dr. Ann. I'll call at 10 a.m. tomorrow. Thanks! Bye",
        ));
        assert_eq!(v.sentences.len(), 4, "{:?}", v.sentences);
        assert_eq!(v.norm(v.sentences[1].start), "i");
    }

    #[test]
    fn blank_line_ends_a_sentence() {
        let v = TextView::new(&Transcript::from_text("Hi Sarah\n\nthis is Mike"));
        assert_eq!(v.sentences.len(), 2);
    }

    #[test]
    fn punctuation_after_is_kept() {
        let v = TextView::new(&Transcript::from_text("So, like, yes."));
        assert_eq!(v.tokens[0].punct_after, Some(','));
        assert_eq!(v.tokens[1].punct_after, Some(','));
        assert_eq!(v.tokens[2].punct_after, Some('.'));
    }
}
