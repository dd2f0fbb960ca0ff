//! Who is calling, and for which company: a small grammar of the ways reps
//! introduce themselves, matched over a [`TextView`].
//!
//! ```text
//! introduction := LEAD NAME [TAIL]            "this is Mike Jones from Butler Street"
//!               | OPENING NAME TAIL           "Hi Sarah, Mike Jones from Butler Street."
//! LEAD         := "this is" | "it is" | "my name is" | "i am"
//! OPENING      := the start of a sentence or of a clause (after a comma):
//!                 "Hi Sam, Priya …", "it's me again, Lauren …"
//! NAME         := name-word [name-word]       (see names::name_like)
//! TAIL         := ["here" | "again"] [","] COMPANY-LEAD COMPANY
//!               | "here"                      "Priya from Northwind here", "Carlos here"
//!               | "," COMPANY <end of sentence>   "Sam Ortiz, Brightline Payroll."
//! COMPANY-LEAD := "from" | "with" | "at" | "over at" | "calling from"
//! COMPANY      := name-word{1,4}, not a day or month
//!
//! company      := NAME TAIL (above)
//!               | FIRST-PERSON COMPANY        "I'm with Meadowbrook Foods", "I work at
//!                                              Summit", "calling from Clearpath", "we at
//!                                              Greenfield Payroll"
//! ```
//!
//! A name-word is a capitalised word that is not a common word (in text
//! with case) or any word that is not a common word (in text without case,
//! as some Whisper output is). Words that are also names ("Will", "Hope",
//! "Grace") count as names when capitalised away from a sentence start.
//!
//! Case is evidence, not a requirement, inside the frame that makes an
//! introduction plain. Whisper writes words it does not know as ordinary
//! lower-case words ("Mike Jones from butter street" for Butler Street), so:
//!
//! ```text
//! COMPANY after a COMPANY-LEAD    may be open words: 1–3 words that are not
//!                                 closed-class (pronoun, determiner,
//!                                 preposition, conjunction, auxiliary) nor
//!                                 time words, ending at punctuation, at a
//!                                 closed-class word or at a capital
//!                                 ("from butter street.", "with acme
//!                                 logistics we …"; not "from the
//!                                 conference", "with some news", "from last
//!                                 week")
//! NAME after a LEAD, or opening   may be open words too, but only when a
//!   the clause after the greeting COMPANY-LEAD and a company follow:
//!                                 "it's mike jones from butter street"
//! ```
//!
//! A company in apposition ("Sam Ortiz, Brightline Payroll.") still needs
//! name-words: without a lead, a comma and lower-case words are any clause.

use super::names;
use super::tokens::TextView;
use std::ops::Range;

/// What the grammar found: the caller's name and company, as token ranges.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Introduction {
    pub name: Option<Range<usize>>,
    pub company: Option<Range<usize>>,
}

/// Words that can follow a name and lead into the company.
fn company_lead(view: &TextView, i: usize) -> Option<usize> {
    match (view.norm(i), view.norm(i + 1)) {
        ("over" | "here", "at" | "with" | "from") => Some(2),
        ("calling", "from") => Some(2),
        ("from" | "with" | "at", _) => Some(1),
        _ => None,
    }
}

/// Days and months read as capitalised words but are never a company
/// ("at Thursday", "from March"), nor is "LinkedIn".
fn is_calendar_word(s: &str) -> bool {
    matches!(
        s,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "linkedin"
    )
}

/// Closed-class words (pronouns, determiners, prepositions, conjunctions,
/// auxiliaries) and words of time: an open word is none of these, nor one
/// of [`names::could_be_name`]'s common words. A grammatical category, not a
/// list of phrases: it says where a name or company cannot be, so that
/// lower-case words can fill those slots ("from butter street") and "with
/// some news", "from last week", "from about" cannot.
fn is_closed_class(s: &str) -> bool {
    matches!(
        s,
        // determiners and quantifiers
        "some" | "any" | "every" | "each" | "another" | "other" | "these" | "those"
            | "his" | "her" | "their" | "its" | "them" | "him" | "few" | "several"
            | "more" | "most" | "much" | "many" | "such" | "own" | "both" | "either"
            | "neither" | "no" | "none" | "plenty" | "lots" | "lot"
            // prepositions and particles
            | "about" | "after" | "before" | "into" | "onto" | "over" | "under"
            | "up" | "down" | "out" | "off" | "through" | "around" | "across"
            | "behind" | "between" | "during" | "without" | "within" | "regarding"
            | "like" | "near" | "past" | "since" | "until" | "via" | "per"
            // conjunctions and clause words
            | "if" | "as" | "than" | "then" | "because" | "while" | "when" | "where"
            | "why" | "whether" | "though" | "although" | "also" | "too" | "only"
            | "even" | "still" | "really" | "actually" | "maybe" | "not"
            // auxiliaries and modals
            | "has" | "had" | "does" | "did" | "could" | "should" | "may" | "might"
            | "must" | "shall" | "being" | "were" | "going" | "gonna" | "got"
            | "get" | "let" | "let's"
            // words of time
            | "last" | "next" | "earlier" | "later" | "yesterday" | "tonight"
            | "now" | "soon" | "week" | "weeks" | "month" | "months" | "year"
            | "years" | "day" | "days" | "time" | "ago"
    )
}

/// An open word at `i`: a word that could be part of a name or a company
/// whatever its case (alphabetic, not common, not closed-class, not a day).
fn open_word(view: &TextView, i: usize) -> bool {
    let s = view.norm(i);
    !s.is_empty()
        && s.chars().all(|c| c.is_alphabetic() || c == '\'')
        && names::could_be_name(s)
        && !is_closed_class(s)
        && !is_calendar_word(s)
}

/// Skip "um", "uh" and the like from `i`.
fn skip_hesitations(view: &TextView, mut i: usize) -> usize {
    while matches!(view.norm(i), "um" | "uh" | "er" | "ah" | "erm") {
        i += 1;
    }
    i
}

/// A company name starting at `i` (after any "um", "uh"): up to four
/// name-words, stopping at punctuation.
fn company_at(view: &TextView, i: usize, cased: bool) -> Option<Range<usize>> {
    let i = skip_hesitations(view, i);
    let mut e = i;
    while e < i + 4 && names::name_like(view, e, cased) && !is_calendar_word(view.norm(e)) {
        e += 1;
        if view.tokens[e - 1].punct_after.is_some() {
            break;
        }
    }
    (e > i).then_some(i..e)
}

/// A company after a company lead: name-words as [`company_at`] reads
/// them, or else 1–3 open words whatever their case ("from butter
/// street."), which must end the phrase: punctuation after the last, the
/// end of the sentence, or a word that cannot be part of it (a common or
/// closed-class word, a number, or a capital after lower case: "from butter
/// street Dana Reyes thought").
fn company_after_lead(view: &TextView, i: usize, cased: bool) -> Option<Range<usize>> {
    if let Some(c) = company_at(view, i, cased) {
        return Some(c);
    }
    let i = skip_hesitations(view, i);
    let mut e = i;
    while e < i + 3 && open_word(view, e) && !(cased && e > i && view.tokens[e].capitalized) {
        e += 1;
        if view.tokens[e - 1].punct_after.is_some() {
            break;
        }
    }
    if e == i {
        return None;
    }
    let last = &view.tokens[e - 1];
    let ends = last.punct_after.is_some()
        || e >= view.tokens.len()
        || view.tokens[e].sentence != last.sentence
        || !open_word(view, e)
        || (cased && view.tokens[e].capitalized);
    ends.then_some(i..e)
}

/// A person's name starting at `i`: one or two name-words.
fn name_at(view: &TextView, i: usize, cased: bool) -> Option<Range<usize>> {
    if !names::name_like(view, i, cased) {
        return None;
    }
    let mut e = i + 1;
    if view.tokens[i].punct_after.is_none() && names::name_like(view, e, cased) {
        e += 1;
    }
    Some(i..e)
}

/// "this is", "it is", "my name is" introduce a name; "i am" as often
/// introduces a state ("I'm working with …"), so only a name-word follows it.
fn lead_allows_open_name(view: &TextView, i: usize) -> bool {
    view.norm(i) != "i"
}

/// A name in open words whatever their case, where the frame makes it
/// plain (after a lead, or opening the clause after the greeting): one or
/// two open words that a company lead and a company follow ("it's mike
/// jones from butter street"). Returns the name and the company.
fn open_name_with_company(
    view: &TextView,
    i: usize,
    cased: bool,
) -> Option<(Range<usize>, Range<usize>)> {
    for len in [2, 1] {
        let e = i + len;
        let words_ok = (i..e).all(|k| open_word(view, k))
            && (i..e - 1).all(|k| view.tokens[k].punct_after.is_none());
        if !words_ok {
            continue;
        }
        let mut j = e;
        if matches!(view.norm(j), "here" | "again") && view.tokens[e - 1].punct_after.is_none() {
            j += 1;
        }
        if let Some(lead) = company_lead(view, j) {
            if let Some(c) = company_after_lead(view, j + lead, cased) {
                return Some((i..e, c));
            }
        }
    }
    None
}

/// After a name ending at `e`: the company the tail names, and whether the
/// tail is the bare "here" ("Carlos here").
fn tail(view: &TextView, e: usize, cased: bool, sentence: usize) -> (Option<Range<usize>>, bool) {
    let mut j = e;
    let mut here = false;
    if matches!(view.norm(j), "here" | "again") && view.tokens[e - 1].punct_after.is_none() {
        here = view.norm(j) == "here";
        j += 1;
    }
    if let Some(lead) = company_lead(view, j) {
        if let Some(c) = company_after_lead(view, j + lead, cased) {
            return (Some(c), here);
        }
    }
    // "Sam Ortiz, Brightline Payroll." — a company in apposition that ends
    // the sentence.
    if !here && view.tokens[e - 1].punct_after == Some(',') {
        if let Some(c) = company_at(view, e, cased) {
            let last = &view.tokens[c.end - 1];
            let ends = c.end >= view.tokens.len()
                || view.tokens[c.end].sentence != sentence
                || matches!(last.punct_after, Some('.' | '!' | ';'));
            if ends {
                return (Some(c), false);
            }
        }
    }
    (None, here)
}

/// Does a clause start at token `i`: a sentence start, after a comma, or
/// (in text without punctuation, "hey karen sam from …") right after the
/// greeting's name?
fn clause_start(view: &TextView, i: usize, after_greeting: Option<usize>) -> bool {
    i == 0
        || after_greeting == Some(i)
        || view.tokens.get(i - 1).is_some_and(|p| {
            p.punct_after.is_some() || view.tokens.get(i).is_some_and(|t| t.sentence != p.sentence)
        })
}

/// The caller's introduction, by the grammar in the module doc.
pub fn introduction(view: &TextView) -> Introduction {
    let cased = names::has_case(view);
    let n = view.tokens.len();
    let mut out = Introduction::default();
    let after_greeting = names::name_from_greeting(view).map(|r| r.end);
    for i in 0..n {
        let lead = match (view.norm(i), view.norm(i + 1), view.norm(i + 2)) {
            ("this", "is", _) | ("it", "is", _) | ("i", "am", _) => 2,
            ("my", "name", "is") => 3,
            _ => 0,
        };
        let sentence = view.tokens[i].sentence;
        if lead > 0 {
            // "it is me again", "this is a quick call", "i am calling": no name.
            if let Some(name) = name_at(view, i + lead, cased) {
                let (company, _) = tail(view, name.end, cased, sentence);
                out.name.get_or_insert(name);
                if out.company.is_none() {
                    out.company = company;
                }
            } else if let Some((name, company)) = (lead_allows_open_name(view, i))
                .then(|| open_name_with_company(view, i + lead, cased))
                .flatten()
            {
                // "it's mike jones from butter street"; not after "i am"
                // ("I'm working with Acme", "I'm currently at Acme").
                out.name.get_or_insert(name);
                out.company.get_or_insert(company);
            }
        } else if out.name.is_none() && clause_start(view, i, after_greeting) {
            // "Mike Jones from Butler Street", "Priya from Northwind here",
            // "Sam Ortiz, Brightline Payroll", "Carlos here".
            if let Some(name) = name_at(view, i, cased) {
                let (company, here) = tail(view, name.end, cased, sentence);
                if company.is_some() || here {
                    out.name = Some(name);
                    out.company = out.company.clone().or(company);
                }
            } else if after_greeting == Some(i) {
                // "Hi Sarah, mike jones from butter street."
                if let Some((name, company)) = open_name_with_company(view, i, cased) {
                    out.name = Some(name);
                    out.company = out.company.clone().or(Some(company));
                }
            }
        }
        if out.company.is_none() {
            out.company = first_person_company(view, i, cased);
        }
    }
    out
}

/// "i am with X", "i work at|for|with X", "calling from X", "we at X",
/// "here at X", "over at X": the company without the name.
fn first_person_company(view: &TextView, i: usize, cased: bool) -> Option<Range<usize>> {
    let lead = match (view.norm(i), view.norm(i + 1), view.norm(i + 2)) {
        ("i", "am", "with" | "from") => 3,
        ("i", "work", "at" | "for" | "with") => 3,
        ("calling", "from", _) | ("we", "at", _) => 2,
        ("here" | "over", "at", _) => 2,
        _ => return None,
    };
    company_after_lead(view, i + lead, cased)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Transcript;

    fn intro(s: &str) -> (Option<String>, Option<String>) {
        let v = TextView::new(&Transcript::from_text(s));
        let i = introduction(&v);
        let text = |r: Option<Range<usize>>| {
            r.map(|r| {
                r.map(|k| v.norm(k).to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        };
        (text(i.name), text(i.company))
    }

    fn both(s: &str, name: &str, company: &str) {
        assert_eq!(
            intro(s),
            (Some(name.to_string()), Some(company.to_string())),
            "{s}"
        );
    }

    #[test]
    fn introductions_reps_use() {
        both(
            "Hi Sarah, this is Mike Jones from Butler Street.",
            "mike jones",
            "butler street",
        );
        both(
            "Hi Sarah, Mike Jones from Butler Street. I'm calling because",
            "mike jones",
            "butler street",
        );
        both(
            "Hi Sam, Priya from Northwind here. We helped",
            "priya",
            "northwind",
        );
        both(
            "Hey Jordan, it's Dana with Acme Logistics. We",
            "dana",
            "acme logistics",
        );
        both(
            "Hi Karen, Sam Ortiz, Brightline Payroll. Your team",
            "sam ortiz",
            "brightline payroll",
        );
        both(
            "Hi Denise, Carlos Ruiz here with Meadowbrook Foods.",
            "carlos ruiz",
            "meadowbrook foods",
        );
        both(
            "Hi Victor, Natalie here at Lumen. Sorry",
            "natalie",
            "lumen",
        );
        both(
            "Hi Brian, it's me again, Lauren from Keystone Benefits.",
            "lauren",
            "keystone benefits",
        );
        both(
            "Hi Denise, I'm Carlos Ruiz, I'm with Meadowbrook Foods.",
            "carlos ruiz",
            "meadowbrook foods",
        );
        both(
            "Hello Mr. Grant, my name is Teresa Lopez and I work at Summit Dental Supply.",
            "teresa lopez",
            "summit dental supply",
        );
        both(
            "Hi Jennifer, Carlos Ruiz again from Greenfield Payroll, trying",
            "carlos ruiz",
            "greenfield payroll",
        );
        both(
            "hi jessica this is tony from redwood staffing we helped",
            "tony",
            "redwood staffing",
        );
        both(
            "hey karen sam from brightline payroll we help",
            "sam",
            "brightline payroll",
        );
        both(
            "Hi Sarah, um, this is Mike Jones from, uh, Butler Street.",
            "mike jones",
            "butler street",
        );
    }

    #[test]
    fn word_names_count_when_capitalised() {
        both(
            "Hey Will, Mark Chen at Copperline. We",
            "mark chen",
            "copperline",
        );
        both(
            "Hi Donna, Will Harper from Oakline Payroll.",
            "will harper",
            "oakline payroll",
        );
        both(
            "Hi Grace, Hope Martinez from Brightwater Health.",
            "hope martinez",
            "brightwater health",
        );
    }

    #[test]
    fn half_introductions() {
        assert_eq!(
            intro("Hi Linda, it's Greg. I noticed"),
            (Some("greg".into()), None)
        );
        assert_eq!(
            intro("Hi Tom, calling from Clearpath Software. We helped"),
            (None, Some("clearpath software".into()))
        );
        assert_eq!(
            intro("Hi Jennifer, this is Carlos. We at Greenfield Payroll are proud."),
            (Some("carlos".into()), Some("greenfield payroll".into()))
        );
    }

    #[test]
    fn whisper_lower_case_companies_and_names() {
        // tiny.en on fixtures/good.wav: the company it does not know comes
        // out as ordinary lower-case words.
        both(
            "Hi Sarah, it's Mike Jones from butter street. Dana Reyes thought",
            "mike jones",
            "butter street",
        );
        both(
            "Hi Sarah it's Mike Jones from butter street Dana Reyes thought",
            "mike jones",
            "butter street",
        );
        both(
            "Hi Sarah, Mike Jones from butter street. I'm calling because",
            "mike jones",
            "butter street",
        );
        both(
            "Hi Sam, Priya from north wind here. We helped",
            "priya",
            "north wind",
        );
        both(
            "Hey Jordan, it's Dana with acme logistics we trimmed",
            "dana",
            "acme logistics",
        );
        both(
            "Hi Sarah, it's mike jones from butter street.",
            "mike jones",
            "butter street",
        );
        both(
            "Hi Sarah, mike jones from butter street. We",
            "mike jones",
            "butter street",
        );
        both(
            "Hi Tom, this is Greg calling from clear path software.",
            "greg",
            "clear path software",
        );
        assert_eq!(
            intro("Hi Tom, I work at clear path. We helped"),
            (None, Some("clear path".into()))
        );
    }

    #[test]
    fn open_words_stop_where_a_company_cannot_be() {
        // A determiner, a word of time, a number, or a run too long to be a
        // company: no company.
        assert_eq!(
            intro("Hi Tom, it's Greg from the conference last week."),
            (Some("greg".into()), None)
        );
        assert_eq!(
            intro("Hi Tom, this is Greg with some news about your account."),
            (Some("greg".into()), None)
        );
        assert_eq!(
            intro("Hi Tom, it's Greg from last week's webinar."),
            (Some("greg".into()), None)
        );
        assert_eq!(
            intro("Hi Tom, it's Greg from 2019."),
            (Some("greg".into()), None)
        );
        assert_eq!(
            intro("Hi Tom, it's Greg from accounts payable audit review team meetings."),
            (Some("greg".into()), None)
        );
        // Open words are a name only with a company after them, and never
        // after "I'm" ("I'm working with", "I'm currently at").
        assert_eq!(
            intro("Hi Tom, I'm working with Acme on payroll."),
            (None, None)
        );
        assert_eq!(
            intro("Hi Tom, leaders across retail tell us the same."),
            (None, None)
        );
        assert_eq!(intro("Hi Tom, this is about your renewal."), (None, None));
        // Lower-case words in apposition are any clause, not a company.
        assert_eq!(intro("Hi Karen, Sam Ortiz, payroll is hard."), (None, None));
    }

    #[test]
    fn not_introductions() {
        // A referrer, a day, "me again", the prospect's own name.
        assert_eq!(intro("Hi Sarah, Dana Lee suggested I call."), (None, None));
        assert_eq!(intro("it's me again, calling about the roof"), (None, None));
        assert_eq!(
            intro("I'll try you at Thursday. We help teams like yours."),
            (None, None)
        );
        assert_eq!(
            intro("Hi Sarah, we help teams like yours cut hiring time."),
            (None, None)
        );
    }
}
