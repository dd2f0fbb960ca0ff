//! Finding fixed phrases in a [`TextView`].
//!
//! A phrase is written as it is said, in lower case with contractions
//! expanded ("i will call you"). A slot may list alternatives with `|`
//! ("calling|phoning") and `*` matches any one token. Phrases are indexed
//! by their first word so a scan costs one hash lookup per token.

use super::tokens::TextView;
use std::collections::HashMap;
use std::ops::Range;

/// One compiled phrase.
#[derive(Debug, Clone)]
struct Phrase {
    /// Alternatives per slot; an empty slot is `*`.
    slots: Vec<Vec<&'static str>>,
    /// Index of the phrase in the list it was built from.
    id: usize,
}

/// A set of phrases, compiled once.
#[derive(Debug, Clone, Default)]
pub struct PhraseSet {
    by_first: HashMap<&'static str, Vec<Phrase>>,
    /// Phrases whose first slot is `*`.
    wild_first: Vec<Phrase>,
}

/// Where a phrase was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    /// Token range.
    pub tokens: Range<usize>,
    /// Which phrase (index into the list given to [`PhraseSet::new`]).
    pub id: usize,
}

impl PhraseSet {
    pub fn new(phrases: &[&'static str]) -> Self {
        let mut set = PhraseSet::default();
        for (id, p) in phrases.iter().enumerate() {
            let slots: Vec<Vec<&'static str>> = p
                .split_whitespace()
                .map(|s| {
                    if s == "*" {
                        Vec::new()
                    } else {
                        s.split('|').collect()
                    }
                })
                .collect();
            let Some(first) = slots.first().cloned() else {
                continue;
            };
            let phrase = Phrase { slots, id };
            if first.is_empty() {
                set.wild_first.push(phrase);
            } else {
                for f in first {
                    set.by_first.entry(f).or_default().push(phrase.clone());
                }
            }
        }
        set
    }

    /// Every match, left to right; overlapping matches of different phrases are kept.
    pub fn find_all(&self, view: &TextView) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        for i in 0..view.tokens.len() {
            self.matches_at(view, i, &mut |m| out.push(m));
        }
        out
    }

    /// Matches inside one token range (e.g. a sentence).
    pub fn find_in(&self, view: &TextView, range: Range<usize>) -> Vec<PhraseMatch> {
        let mut out = Vec::new();
        for i in range.clone() {
            self.matches_at(view, i, &mut |m| {
                if m.tokens.end <= range.end {
                    out.push(m)
                }
            });
        }
        out
    }

    /// Is there any match?
    pub fn any(&self, view: &TextView) -> bool {
        let mut found = false;
        for i in 0..view.tokens.len() {
            self.matches_at(view, i, &mut |_| found = true);
            if found {
                break;
            }
        }
        found
    }

    fn matches_at(&self, view: &TextView, i: usize, f: &mut dyn FnMut(PhraseMatch)) {
        let first = view.norm(i);
        let candidates = self.by_first.get(first).into_iter().flatten();
        for p in candidates.chain(self.wild_first.iter()) {
            if p.slots.iter().enumerate().all(|(k, alts)| {
                i + k < view.tokens.len() && (alts.is_empty() || alts.contains(&view.norm(i + k)))
            }) {
                f(PhraseMatch {
                    tokens: i..i + p.slots.len(),
                    id: p.id,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Transcript;

    #[test]
    fn finds_phrases_through_contractions_and_alternatives() {
        let set = PhraseSet::new(&["i will call|try you", "just * in"]);
        let v = TextView::new(&Transcript::from_text(
            "I'll try you Thursday. Just checking in.",
        ));
        let m = set.find_all(&v);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0].id, 0);
        assert_eq!(m[1].id, 1);
        assert_eq!(m[1].tokens, 5..8);
    }

    #[test]
    fn no_match_past_the_end() {
        let set = PhraseSet::new(&["call me back"]);
        let v = TextView::new(&Transcript::from_text("please call me"));
        assert!(!set.any(&v));
    }
}
