//! Content rules (VM2xx): what the message says. They read only text, so
//! they run on a Whisper transcript and on a typed script alike.

use super::lexicon;
use super::{declare_rule, CheckInput, Evidence, Finding, NameSource, Rule, RuleMeta};
use crate::analyze::PhoneMention;
use crate::text::fillers::find_fillers;
use crate::text::names;
use crate::text::phrases::PhraseMatch;
use std::ops::Range;

declare_rule!(NoCallbackNumber, "VM201", "no-callback-number", Error, Text);
declare_rule!(
    NumberNotRepeated,
    "VM202",
    "number-not-repeated",
    Warning,
    Text
);
declare_rule!(NameNotTwice, "VM203", "name-not-twice", Warning, Text);
declare_rule!(
    CallerNotIdentified,
    "VM204",
    "caller-not-identified",
    Error,
    Text
);
declare_rule!(CrypticPurpose, "VM205", "cryptic-purpose", Error, Text);
declare_rule!(DeceptiveOpener, "VM206", "deceptive-opener", Error, Text);
declare_rule!(Again, "VM207", "again", Warning, Text);
declare_rule!(Selling, "VM208", "selling", Warning, Text);
declare_rule!(NoNextCallTime, "VM209", "no-next-call-time", Warning, Text);
declare_rule!(
    NoReasonForThem,
    "VM210",
    "no-reason-for-them",
    Warning,
    Text
);
declare_rule!(FillerWords, "VM211", "filler-words", Warning, Text);
declare_rule!(WeakClose, "VM212", "weak-close", Warning, Text);
declare_rule!(Rambling, "VM213", "rambling", Warning, Text);
declare_rule!(SelfFocused, "VM214", "self-focused", Warning, Text);
declare_rule!(
    NoMutualConnection,
    "VM215",
    "no-mutual-connection",
    Info,
    Text
);

/// The digits that identify a number: no punctuation, no leading country code 1.
fn core_digits(s: &str) -> String {
    let d: String = s.chars().filter(char::is_ascii_digit).collect();
    match d.strip_prefix('1') {
        Some(rest) if d.len() == 11 => rest.to_string(),
        _ => d,
    }
}

/// A number as it is read: 555-212-3456, 555-1212, 1-555-212-3456.
pub fn format_number(digits: &str) -> String {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    let g = |s: &str| -> String {
        match s.len() {
            10 => format!("{}-{}-{}", &s[..3], &s[3..6], &s[6..]),
            7 => format!("{}-{}", &s[..3], &s[3..]),
            _ => s.to_string(),
        }
    };
    match d.strip_prefix('1') {
        Some(rest) if d.len() == 11 => format!("1-{}", g(rest)),
        _ => g(&d),
    }
}

/// RULES.md: same digits ignoring a leading 1, or a 7-digit tail of a 10-digit number.
fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (core_digits(a), core_digits(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b
        || (a.len() == 7 && b.len() == 10 && b.ends_with(&a))
        || (b.len() == 7 && a.len() == 10 && a.ends_with(&b))
}

/// The mentions of the callback number: the one given (`--number`), else
/// the number said most often (ties: the first said).
fn callback_mentions<'a>(input: &'a CheckInput) -> (Option<String>, Vec<&'a PhoneMention>) {
    let mentions = &input.analysis.phone_mentions;
    let target = match input.message.context.number.as_deref() {
        Some(n) if !core_digits(n).is_empty() => Some(n.to_string()),
        _ => {
            let mut best: Option<(&str, usize)> = None;
            for m in mentions {
                let n = mentions
                    .iter()
                    .filter(|o| same_number(&o.digits, &m.digits))
                    .count();
                if best.is_none_or(|(_, c)| n > c) {
                    best = Some((&m.digits, n));
                }
            }
            best.map(|(d, _)| d.to_string())
        }
    };
    let said = match &target {
        Some(t) => mentions
            .iter()
            .filter(|m| same_number(&m.digits, t))
            .collect(),
        None => Vec::new(),
    };
    (target, said)
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
        .map(|e| {
            e.text
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
                .to_string()
        })
        .unwrap_or_default();
    (text, e)
}

impl Rule for NoCallbackNumber {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM201
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let (target, said) = callback_mentions(input);
        if !said.is_empty() {
            return;
        }
        let message = match (
            &input.message.context.number,
            input.analysis.phone_mentions.is_empty(),
        ) {
            (Some(n), false) => format!("You give a number, but never your callback number {n}."),
            (Some(n), true) => format!("You never say your callback number ({n})."),
            (None, _) => "You never say a callback number.".to_string(),
        };
        let _ = target;
        out.push(Finding::new(
            &Self::META,
            message,
            "Say your number slowly near the start and again at the end: \"my number is 555 … 212 … 3456\".",
        ));
    }
}

impl Rule for NumberNotRepeated {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM202
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let (target, said) = callback_mentions(input);
        let min = input.config.min_number_mentions;
        if said.is_empty() || said.len() >= min {
            return;
        }
        let number = format_number(&target.unwrap_or_default());
        let (times, want) = (crate::text::times(said.len()), crate::text::times(min));
        let mut f = Finding::new(
            &Self::META,
            format!("You say your number {number} only {times}; say it {want}."),
            "Repeat the number at the end, slowly: \"again, that's 555 … 212 … 3456\".",
        );
        for m in said {
            f.evidence
                .extend(Evidence::words(input.message, m.words.clone()));
        }
        out.push(f);
    }
}

impl Rule for NameNotTwice {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    fn unavailable(&self, input: &CheckInput) -> Option<String> {
        input.prospect.is_none().then(|| {
            "no prospect name known: pass --prospect, or greet them by name (\"Hi Sarah, …\")"
                .to_string()
        })
    }
    /// VM203
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let min = input.config.min_name_uses;
        let Some(p) = input.prospect else {
            return;
        };
        let uses = names::find_person(input.text, &p.name);
        if uses.len() >= min {
            return;
        }
        let first = names::name_parts(&p.name)
            .into_iter()
            .next()
            .unwrap_or_default();
        let first = capitalise(&first);
        let from = match p.source {
            NameSource::Greeting => " (name taken from your greeting)",
            NameSource::Given => "",
        };
        let want = crate::text::times(min);
        let message = match uses.len() {
            0 => format!("You never say {}'s name{from}.", p.name),
            n => format!(
                "You say {first}'s name {}{from}; use it {want}.",
                crate::text::times(n)
            ),
        };
        let mut f = Finding::new(
            &Self::META,
            message,
            format!("Use the name at the start and again before your number: \"{first}, the best number is …\"."),
        );
        for r in uses {
            f.evidence.extend(Evidence::tokens(input, r));
        }
        out.push(f);
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Does the message name the caller's company, without being told it?
fn company_said(input: &CheckInput) -> bool {
    let view = input.text;
    for m in lexicon::company_intro().find_all(view) {
        // "from Butler Street", "with Acme": a capitalised name right after.
        let next = m.tokens.end - usize::from(is_wild_end(view, &m));
        let cased = names::has_case(view);
        if names::name_like(view, next, cased) && !is_name_of_day(view.norm(next)) {
            return true;
        }
    }
    false
}

/// The company-intro patterns ending in `*` include the next word itself.
fn is_wild_end(view: &crate::text::TextView, m: &PhraseMatch) -> bool {
    matches!(view.norm(m.tokens.start), "from" | "with" | "at") && m.tokens.len() == 2
}

fn is_name_of_day(s: &str) -> bool {
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

impl Rule for CallerNotIdentified {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM204
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let ctx = &input.message.context;
        let name_said = match ctx.caller.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_person(input.text, c).is_empty(),
            None => names::self_introduction(input.text).is_some(),
        };
        let company_said = match ctx.company.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(c) => !names::find_company(input.text, c).is_empty(),
            None => company_said(input),
        };
        let caller = ctx.caller.as_deref().unwrap_or("Mike Jones");
        let company = ctx.company.as_deref().unwrap_or("Butler Street");
        let message = match (name_said, company_said) {
            (true, true) => return,
            (false, false) => "You never say who you are or where you work.",
            (true, false) => "You give your name but not your company.",
            (false, true) => "You name your company but not yourself.",
        };
        out.push(Finding::new(
            &Self::META,
            message,
            format!("Say both up front: \"this is {caller} from {company}\"."),
        ));
    }
}

/// Is there a sentence with an outcome for the listener in it?
fn benefit_sentence(input: &CheckInput) -> Option<Range<usize>> {
    let view = input.text;
    let prospect_parts = input
        .prospect
        .map(|p| names::name_matchers(&p.name))
        .unwrap_or_default();
    for s in &view.sentences {
        if lexicon::benefit().find_in(view, s.clone()).is_empty() {
            continue;
        }
        let about_them = s.clone().any(|i| {
            let t = view.norm(i);
            matches!(t, "you" | "your" | "yours" | "yourself")
                || prospect_parts.iter().any(|p| p.matches(t))
        });
        if about_them {
            return Some(s.clone());
        }
    }
    None
}

impl Rule for CrypticPurpose {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM205
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        if lexicon::purpose().any(input.text) || benefit_sentence(input).is_some() {
            return;
        }
        let hooks = dedupe(lexicon::cryptic_hooks().find_all(input.text));
        let mut f = match hooks.first() {
            Some(h) => {
                let (q, _) = quote(input, h.tokens.clone());
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" with no reason why: a cryptic message gets deleted."),
                    "Say why you're calling in one sentence about them: \"I'm calling because we helped Acme cut onboarding time in half.\"",
                )
            }
            None => Finding::new(
                &Self::META,
                "You never say why you're calling.",
                "Say why you're calling in one sentence about them: \"I'm calling because we helped Acme cut onboarding time in half.\"",
            ),
        };
        for h in hooks {
            f.evidence.extend(Evidence::tokens(input, h.tokens));
        }
        out.push(f);
    }
}

impl Rule for DeceptiveOpener {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM206
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let set = if input.config.prior_contact {
            lexicon::competitor()
        } else {
            lexicon::deceptive()
        };
        for m in dedupe(set.find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" fakes a relationship you don't have yet; it costs you their trust."),
                    "Be straight about a first call: \"We haven't spoken yet; I'm calling because …\".",
                )
                .evidence(e),
            );
        }
    }
}

impl Rule for Again {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM207
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for m in dedupe(lexicon::again().find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" reminds them they haven't called you back."),
                    "Say \"I'm sorry we haven't connected yet\" instead.",
                )
                .evidence(e),
            );
        }
    }
}

/// A money amount used as a price: "$99", "for only $49", "99 dollars a month".
fn price_tokens(input: &CheckInput) -> Vec<Range<usize>> {
    let view = input.text;
    let words = &input.message.transcript.words;
    let mut out = Vec::new();
    for (i, t) in view.tokens.iter().enumerate() {
        let raw = words.get(t.word).map(|w| w.text.as_str()).unwrap_or("");
        let is_money = (raw.contains(['$', '€', '£'])
            && t.norm.starts_with(|c: char| c.is_ascii_digit()))
            || matches!(view.norm(i + 1), "dollars" | "bucks" | "euros" | "pounds");
        // Only the first token of a written amount ("$1,455" is "1" "455").
        let continues = i > 0 && view.tokens.get(i - 1).is_some_and(|p| p.word == t.word);
        if !is_money || continues {
            continue;
        }
        let prev = if i > 0 { view.norm(i - 1) } else { "" };
        if matches!(
            prev,
            "only"
                | "just"
                | "for"
                | "costs"
                | "cost"
                | "at"
                | "is"
                | "pay"
                | "price"
                | "priced"
                | "from"
                | "under"
        ) {
            out.push(i..i + 1);
        }
    }
    out
}

impl Rule for Selling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM208
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let mut hits: Vec<Range<usize>> = dedupe(lexicon::selling().find_all(input.text))
            .into_iter()
            .map(|m| m.tokens)
            .collect();
        hits.extend(price_tokens(input));
        let features = dedupe(lexicon::features().find_all(input.text));
        let strong_feature = features.iter().any(|m| m.id <= 2);
        if features.len() >= 2 || strong_feature {
            hits.extend(features.into_iter().map(|m| m.tokens));
        }
        if hits.is_empty() {
            return;
        }
        hits.sort_by_key(|r| r.start);
        let (q, _) = quote(input, hits[0].clone());
        let mut f = Finding::new(
            &Self::META,
            format!("\"{q}\": a voicemail can't close a sale; pitching makes them delete it."),
            "Drop prices, offers and features; give one outcome and ask for a conversation.",
        );
        for h in hits {
            f.evidence.extend(Evidence::tokens(input, h));
        }
        out.push(f);
    }
}

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "noon", "half",
];

/// Does this sentence say when (a day, a time of day, "at 10", "10am")?
fn has_time(input: &CheckInput, s: Range<usize>) -> bool {
    let view = input.text;
    if !lexicon::time_words().find_in(view, s.clone()).is_empty() {
        return true;
    }
    s.clone().any(|i| {
        let t = view.norm(i);
        let next = view.norm(i + 1);
        let numeric =
            |x: &str| x.starts_with(|c: char| c.is_ascii_digit()) || NUMBER_WORDS.contains(&x);
        (matches!(t, "at" | "around" | "by" | "after" | "before" | "between") && numeric(next))
            || (t.starts_with(|c: char| c.is_ascii_digit())
                && (t.ends_with("am") || t.ends_with("pm")))
    })
}

impl Rule for NoNextCallTime {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM209
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let view = input.text;
        let promises = lexicon::will_call().find_all(view);
        for p in &promises {
            let Some(s) = view
                .sentence_of(p.tokens.start)
                .and_then(|s| view.sentences.get(s))
            else {
                continue;
            };
            if has_time(input, s.clone()) {
                return;
            }
        }
        let mut f = match promises.first() {
            Some(p) => {
                let (q, e) = quote(input, p.tokens.clone());
                Finding::new(&Self::META, format!("\"{q}\" — but not when."), "").evidence(e)
            }
            None => Finding::new(&Self::META, "You don't say when you'll call again.", ""),
        };
        f.suggestion =
            "Tell them when you'll try again: \"I'll try you Thursday at 10.\"".to_string();
        out.push(f);
    }
}

impl Rule for NoReasonForThem {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM210
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        if benefit_sentence(input).is_some() {
            return;
        }
        out.push(Finding::new(
            &Self::META,
            "Nothing in it for them: no outcome or benefit for the listener.",
            "Give them a reason to take your next call: \"we helped Acme cut hiring time in half; I have an idea for your team.\"",
        ));
    }
}

impl Rule for FillerWords {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM211
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for r in find_fillers(input.text) {
            let (q, e) = quote(input, r);
            let q = q.to_lowercase();
            let at = e
                .as_ref()
                .and_then(|e| e.time)
                .map(|t| format!(" at {:.1} s", t.start))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    &Self::META,
                    format!("Filler \"{q}\"{at}."),
                    format!("Script the line and pause silently where you'd say \"{q}\"."),
                )
                .evidence(e),
            );
        }
    }
}

impl Rule for WeakClose {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM212
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for m in dedupe(lexicon::weak_close().find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" sounds unsure and gives them a reason not to call."),
                    "Close with a plan: \"I'll try you Thursday at 10; if sooner suits, my number is …\".",
                )
                .evidence(e),
            );
        }
    }
}

/// Words that count toward length: words with a letter or digit, outside phone numbers.
fn counted_words(input: &CheckInput, words: Range<usize>) -> usize {
    let mentions = &input.analysis.phone_mentions;
    input
        .message
        .transcript
        .words
        .get(words.clone())
        .unwrap_or(&[])
        .iter()
        .zip(words)
        .filter(|(w, i)| {
            w.text.chars().any(char::is_alphanumeric)
                && !mentions.iter().any(|m| m.words.contains(i))
        })
        .count()
}

impl Rule for Rambling {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM213
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let cfg = input.config;
        let total = counted_words(input, 0..input.message.transcript.words.len());
        if total > cfg.max_words {
            out.push(Finding::new(
                &Self::META,
                format!(
                    "{total} words (phone numbers not counted); over {} is rambling.",
                    cfg.max_words
                ),
                "Cut to four sentences: who you are, why them, when you'll call, your number.",
            ));
        }
        for s in &input.text.sentences {
            let Some(words) = input.text.word_range(s.clone()) else {
                continue;
            };
            let n = counted_words(input, words.clone());
            if n > cfg.max_sentence_words {
                out.push(
                    Finding::new(
                        &Self::META,
                        format!(
                            "A {n}-word sentence; over {} loses the listener.",
                            cfg.max_sentence_words
                        ),
                        "Split it into short sentences of one idea each.",
                    )
                    .evidence(Evidence::words(input.message, words)),
                );
            }
        }
    }
}

impl Rule for SelfFocused {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM214
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        let view = input.text;
        let mut me = 0usize;
        let mut you = 0usize;
        for t in &view.tokens {
            match t.norm.as_str() {
                "i" | "me" | "my" | "mine" | "myself" | "we" | "us" | "our" | "ours"
                | "ourselves" => me += 1,
                "you" | "your" | "yours" | "yourself" | "yourselves" => you += 1,
                _ => {}
            }
        }
        let cfg = input.config;
        if me >= cfg.min_self_references && me as f64 > cfg.max_self_ratio * you as f64 {
            out.push(Finding::new(
                &Self::META,
                format!(
                    "You say I/we/our {} and you/your {}: it's about you, not them.",
                    crate::text::times(me),
                    crate::text::times(you)
                ),
                "Turn sentences around them: \"you'll get …\", \"your team …\".",
            ));
        }
    }
}

/// "Dana Reyes thought we could …", "Carlos said you …": a third person,
/// by name, vouching for the call. Neither the caller nor the prospect.
fn named_referrer(input: &CheckInput) -> bool {
    let view = input.text;
    let cased = names::has_case(view);
    let own = names::self_introduction(view);
    let prospect = input
        .prospect
        .map(|p| names::name_matchers(&p.name))
        .unwrap_or_default();
    // "Our CEO said" is not a referral: a name has no determiner before it.
    let determiner = |i: usize| {
        i > 0
            && matches!(
                view.norm(i - 1),
                "our" | "my" | "the" | "a" | "an" | "your" | "their"
            )
    };
    let is_other = |i: usize| {
        names::name_like(view, i, cased)
            && !determiner(i)
            && !own.as_ref().is_some_and(|r| r.contains(&i))
            && !prospect.iter().any(|p| p.matches(view.norm(i)))
    };
    let vouches = |w: &str| {
        matches!(
            w,
            "thought"
                | "thinks"
                | "said"
                | "says"
                | "mentioned"
                | "suggested"
                | "recommended"
                | "told"
                | "asked"
                | "felt"
                | "figured"
        )
    };
    (0..view.tokens.len()).any(|i| {
        is_other(i) && (vouches(view.norm(i + 1)) || (is_other(i + 1) && vouches(view.norm(i + 2))))
    })
}

impl Rule for NoMutualConnection {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }
    /// VM215
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        if lexicon::referral().any(input.text) || named_referrer(input) {
            return;
        }
        out.push(Finding::new(
            &Self::META,
            "No mutual connection mentioned.",
            "If you share a contact, lead with it: \"Dana Smith suggested I call you.\" (check LinkedIn)",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::Analysis;
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
            })
            .collect()
    }

    fn codes_with(text: &str, ctx: Context, number: Option<(&str, &str)>) -> Vec<&'static str> {
        let transcript = Transcript::from_text(text);
        let mut a = Analysis::default();
        if let Some((w, d)) = number {
            a.phone_mentions = mention(&transcript, w, d);
        }
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
        let text = "Hi Sarah, this is Mike Jones from Butler Street. Dana Lee suggested I call. \
                    We helped Acme cut their hiring time in half, and I have an idea that could do the same for your team. \
                    I'll try you Thursday at 10. Sarah, you can reach me at 555-212-3456, again 555-212-3456.";
        let c = codes_with(
            text,
            Context::default(),
            Some(("555-212-3456", "5552123456")),
        );
        assert!(c.is_empty(), "{c:?}");
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
    fn seven_digit_tail_is_the_same_number() {
        assert!(same_number("2123456", "15552123456"));
        assert!(!same_number("2123457", "5552123456"));
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
