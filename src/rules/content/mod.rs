//! Content rules (VM2xx): what the message says. They read only text, so
//! they run on a Whisper transcript and on a typed script alike. One file per
//! rule or pair of rules; the helpers they share are here.

mod caller;
mod deceptive;
mod length;
mod name;
mod next_call;
mod number;
mod purpose;
mod referral;
mod selling;
mod wording;

pub use caller::CallerNotIdentified;
pub use deceptive::{Again, DeceptiveOpener};
pub use length::{Rambling, SelfFocused};
pub use name::NameNotTwice;
pub use next_call::NoNextCallTime;
pub use number::{NoCallbackNumber, NumberNotRepeated};
pub use purpose::{CrypticPurpose, NoReasonForThem};
pub use referral::NoMutualConnection;
pub use selling::Selling;
pub use wording::{FillerWords, WeakClose};

use super::{CheckInput, Evidence};
use crate::text::phrases::PhraseMatch;
use crate::text::{intro, names, unpunctuated};
use std::ops::Range;

/// Which tokens are part of a name: the caller's name and company (as
/// given, else as the introduction grammar reads them), the prospect's
/// name, and every capitalised run ("Keystone Benefits", "Harbor Results
/// Group"). A word of the rules' lexicon inside a name is part of the name,
/// not something said: "Pinecrest Savings" saves no one anything.
fn name_mask(input: &CheckInput) -> Vec<bool> {
    let view = input.text;
    let ctx = &input.message.context;
    let intro = intro::introduction(view);
    let given = |s: Option<&str>| s.filter(|s| !s.trim().is_empty()).map(str::to_string);
    let mut ranges: Vec<Range<usize>> = names::capitalised_names(view);
    ranges.extend(intro.name);
    ranges.extend(intro.company);
    if let Some(c) = given(ctx.caller.as_deref()) {
        ranges.extend(names::find_person(view, &c));
    }
    if let Some(c) = given(ctx.company.as_deref()) {
        ranges.extend(names::find_company(view, &c));
    }
    if let Some(p) = input.prospect {
        ranges.extend(names::find_person(view, &p.name));
    }
    let mut mask = vec![false; view.tokens.len()];
    for r in ranges {
        for i in r {
            if let Some(m) = mask.get_mut(i) {
                *m = true;
            }
        }
    }
    mask
}

/// The matches with no word inside a name (see [`name_mask`]).
fn outside_names(matches: Vec<PhraseMatch>, mask: &[bool]) -> Vec<PhraseMatch> {
    matches
        .into_iter()
        .filter(|m| {
            !m.tokens
                .clone()
                .any(|i| mask.get(i).copied().unwrap_or(false))
        })
        .collect()
}

fn dedupe(mut matches: Vec<PhraseMatch>) -> Vec<PhraseMatch> {
    // Longest first at each start, then drop anything overlapping a kept match.
    matches.sort_by(|a, b| {
        a.tokens
            .start
            .cmp(&b.tokens.start)
            .then(b.tokens.len().cmp(&a.tokens.len()))
    });
    let mut kept: Vec<PhraseMatch> = Vec::new();
    for m in matches {
        if kept
            .iter()
            .all(|k| k.tokens.end <= m.tokens.start || m.tokens.end <= k.tokens.start)
        {
            kept.push(m);
        }
    }
    kept
}

fn quote(input: &CheckInput, tokens: Range<usize>) -> (String, Option<Evidence>) {
    let e = Evidence::tokens(input, tokens);
    let text = e
        .as_ref()
        .map(|e| unpunctuated(&e.text).to_string())
        .unwrap_or_default();
    (text, e)
}

#[cfg(test)]
mod tests {
    use crate::analyze::{phone, Analysis, PhoneMention};
    use crate::message::{Context, Message, Transcript};
    use crate::rules::{check, RuleConfig};

    fn mention(t: &Transcript, word: &str, digits: &str) -> Vec<PhoneMention> {
        t.words
            .iter()
            .enumerate()
            .filter(|(_, w)| w.text.contains(word))
            .map(|(i, w)| PhoneMention {
                digits: digits.to_string(),
                extension: None,
                span: w.span,
                words: i..i + 1,
                time: None,
                digits_per_second: None,
                whole: true,
                cued: false,
            })
            .collect()
    }

    fn codes_with(text: &str, ctx: Context, number: Option<(&str, &str)>) -> Vec<&'static str> {
        let transcript = Transcript::from_text(text);
        let mut a = Analysis::default();
        if let Some((w, d)) = number {
            a.phone_mentions = mention(&transcript, w, d);
        }
        a.phone_numbers = phone::group(&a.phone_mentions);
        a.callback = phone::callback(
            &a.phone_mentions,
            &a.phone_numbers,
            ctx.number.as_deref(),
            RuleConfig::default().max_digits_per_second,
        );
        let msg = Message {
            transcript,
            context: ctx,
            ..Default::default()
        };
        let mut codes: Vec<_> = check(&msg, &a, &RuleConfig::default())
            .findings
            .iter()
            .map(|f| f.code)
            .collect();
        codes.dedup();
        codes
    }

    #[test]
    fn dedupe_keeps_the_longest_match_at_a_start_and_what_only_touches_it() {
        use crate::text::phrases::PhraseMatch;
        let m = |tokens: std::ops::Range<usize>| PhraseMatch { tokens, id: 0 };
        let kept: Vec<_> = super::dedupe(vec![m(3..5), m(0..2), m(5..6), m(2..4), m(0..3)])
            .into_iter()
            .map(|k| k.tokens)
            .collect();
        // 0..3 beats 0..2 (longer, same start); 2..4 overlaps it; 3..5 and
        // 5..6 only touch what is kept before them.
        assert_eq!(kept, [0..3, 3..5, 5..6]);
        // A later match inside a kept one, and one around it, are dropped.
        let kept: Vec<_> = super::dedupe(vec![m(1..4), m(2..3), m(4..6), m(0..7)])
            .into_iter()
            .map(|k| k.tokens)
            .collect();
        assert_eq!(kept, vec![(0..7)]);
    }

    /// A text rule quotes the words it found, and points at them.
    #[test]
    fn a_finding_quotes_its_words_and_gives_their_place() {
        let text = "Hi Sarah, it's me again, Mike from Butler Street.";
        let msg = Message {
            transcript: Transcript::from_text(text),
            ..Default::default()
        };
        let r = check(&msg, &Analysis::default(), &RuleConfig::default());
        let f = r
            .findings
            .iter()
            .find(|f| f.code == "VM207")
            .expect("VM207 fires on \"it's me again\"");
        assert!(f.message.starts_with("\"it's me again\""), "{}", f.message);
        let e = f.evidence.first().expect("evidence");
        assert_eq!(e.text, "it's me again,");
        assert_eq!(&text[e.span.start..e.span.end], "it's me again,");
    }

    #[test]
    fn seed_004_cryptic_message() {
        let c = codes_with(
            "Hi it's Mike, I have a question for you. Give me a call. 555-1212",
            Context::default(),
            Some(("555-1212", "5551212")),
        );
        for code in ["VM202", "VM204", "VM205", "VM209", "VM210"] {
            assert!(c.contains(&code), "{code} missing from {c:?}");
        }
        assert!(!c.contains(&"VM201"));
    }

    #[test]
    fn a_good_message_passes_content_rules() {
        // 56 words as spoken (each digit of a phone number is a word).
        let text = "Hi Sarah, Mike Jones from Butler Street. Dana Lee suggested I call you. \
                    We cut Acme's hiring time in half and can do that for your team. \
                    Sarah, I'll try you Thursday at 10. Call 555-212-3456, again 555-212-3456.";
        let c = codes_with(
            text,
            Context::default(),
            Some(("555-212-3456", "5552123456")),
        );
        assert!(c.is_empty(), "{c:?}");
    }

    /// A purpose or benefit word inside a name is part of the name: the
    /// company "Cedar Benefits" or "Harbor Results Group" beside "you" or the
    /// prospect's name is not an outcome for them, nor a reason for the call.
    #[test]
    fn a_word_inside_a_name_is_no_reason() {
        let fires = |text: &str, ctx: Context| {
            let c = codes_with(text, ctx, None);
            (c.contains(&"VM205"), c.contains(&"VM210"))
        };
        let none = Context::default;
        // Capitalised: the introduction's company and any capitalised run.
        assert_eq!(
            fires(
                "Hi Nora, Glen Price with Cedar Benefits, checking in to see if you have any thoughts.",
                none()
            ),
            (true, true)
        );
        assert_eq!(
            fires(
                "Good morning Nora, this is Glen Price from Harbor Results Group. I'll try you Monday.",
                none()
            ),
            (true, true)
        );
        assert_eq!(
            fires(
                "Hi Nora, Glen here. Jill Park at Summit Growth Partners asked about you.",
                none()
            ),
            (true, true)
        );
        // A feature word ("analytics") names the company, pitches nothing.
        assert_eq!(
            fires(
                "Hi Nora, Glen Price from Summit Analytics, checking in to see if you have any thoughts.",
                none()
            ),
            (true, true)
        );
        // Lower case: the introduction grammar's company.
        assert_eq!(
            fires(
                "hi nora it's glen from cedar growth partners just checking in to see if you have any thoughts",
                none()
            ),
            (true, true)
        );
        // A company given in the context, said without an introduction frame.
        let given = Context {
            company: Some("Cedar Savings".into()),
            ..Default::default()
        };
        assert_eq!(
            fires(
                "Hi Nora, cedar savings again, checking in to see how you are.",
                given
            ),
            (true, true)
        );
        // A name that is a word of the lexicon ("Win"): the prospect's, from
        // the greeting, and the caller's, given.
        assert_eq!(
            fires(
                "hi win it's glen just checking in to see if you have any thoughts",
                none()
            ),
            (true, true)
        );
        let caller = Context {
            caller: Some("Win Patel".into()),
            ..Default::default()
        };
        assert_eq!(
            fires(
                "hi nora win patel just checking in to see if you have any thoughts",
                caller
            ),
            (true, true)
        );
        // The same words outside a name still count.
        assert_eq!(
            fires(
                "Hi Nora, Glen Price with Cedar Benefits. I have an idea to cut your benefits paperwork in half.",
                none()
            ),
            (false, false)
        );
        assert_eq!(
            fires(
                "Hi Nora, Glen Price with Cedar Benefits. Your savings could grow, Nora.",
                none()
            ),
            (false, false)
        );
    }

    #[test]
    fn given_number_must_be_said() {
        let ctx = Context {
            number: Some("(555) 212-3456".into()),
            ..Default::default()
        };
        let c = codes_with(
            "Call me at 555-999-0000 or 555-999-0000.",
            ctx,
            Some(("555-999-0000", "5559990000")),
        );
        assert!(c.contains(&"VM201"));
    }

    #[test]
    fn given_names_are_matched_loosely() {
        let ctx = Context {
            prospect: Some("Sarah Lee".into()),
            caller: Some("Mike Jones".into()),
            company: Some("Butler Street".into()),
            ..Default::default()
        };
        let c = codes_with(
            "Hi sara, mike from butler street here. Talk soon Sara.",
            ctx,
            None,
        );
        assert!(!c.contains(&"VM203"), "{c:?}");
        assert!(!c.contains(&"VM204"), "{c:?}");
    }
}
