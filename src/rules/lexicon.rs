//! The phrases the content rules listen for, written as
//! [`PhraseSet`](crate::text::phrases::PhraseSet) patterns: lower case,
//! contractions expanded ("i will" matches "I'll"), `a|b` for alternatives,
//! `*` for any one word. Each list is compiled once, on first use.

use crate::text::phrases::PhraseSet;
use std::sync::OnceLock;

macro_rules! lexicon {
    ($(#[$m:meta])* $fn:ident, [$($p:literal),* $(,)?]) => {
        $(#[$m])*
        pub fn $fn() -> &'static PhraseSet {
            static SET: OnceLock<PhraseSet> = OnceLock::new();
            SET.get_or_init(|| PhraseSet::new(&[$($p),*]))
        }
    };
}

lexicon!(
    /// VM205: hooks that hide the reason for the call (seeds 001, 004).
    cryptic_hooks,
    [
        "i have a quick|brief question for you",
        "i have a question for you",
        "i have a quick|brief question",
        "i have a question",
        "got a question for you",
        "important matter",
        "urgent matter",
        "something important",
        "a personal matter",
        "need to speak|talk with|to you",
        "need to speak|talk with|to you about something",
        "give me a call",
        "call me back",
        "please call me",
        "call me when you can",
        "it is important",
        "it is urgent",
    ]
);

lexicon!(
    /// VM205: a stated reason for the call.
    purpose,
    [
        "the reason i am calling",
        "the reason for my call",
        "the reason for the call",
        "reason i am reaching out",
        "i am calling about|because|regarding|to|with",
        "i am reaching out about|because|regarding|to",
        "reaching out about|because|regarding",
        "calling about|because|regarding",
        "calling to * you",
        "i wanted to share|show|ask|talk|discuss|see|introduce|tell|send|offer|invite|congratulate",
        "i would like to share|show|ask|talk|discuss|introduce|offer|invite|set|book|tell",
        "i will send|share|email|drop",
        "can share|show|send",
        "love to work|help|tell|talk|share|show|discuss|introduce|ask",
        "could work together",
        "like yours lose|struggle|spend|waste|pay|miss",
        "wanted to share|show|ask|discuss|introduce|invite",
        "want to share|show|ask|discuss|introduce|invite",
        "we help",
        "we have helped",
        "we helped",
        "helped * *",
        "i noticed",
        "i saw",
        "i read",
        "i heard",
        "noticed that|your|you",
        "saw that|your|you",
        "heard that|your|you",
        "read that|your|you|about",
        "congratulations on",
        "question about",
        "an idea for|about|on|to|that",
        "idea to",
        "calling with",
        "idea that",
        "in regards to",
        "regarding your",
        "about your",
        "so that you",
        "so you can",
        "could help|save|cut",
        "can help|save|cut",
        "would help|save|cut",
        "it is about",
        "this is about",
    ]
);

lexicon!(
    /// VM205: a follow-up that names its topic ("following up on the
    /// proposal", "checking in about your hiring plans"). A pretext VM206 or
    /// VM207 may flag, but a stated reason; a bare "just following up." is not.
    pretext_topic,
    [
        "following up on|about|regarding",
        "circling back on|about|regarding",
        "touching base on|about|regarding",
        "checking in on|about|regarding",
        "you again about|regarding",
        "returning your call",
        "information you requested",
        "info you requested",
        "information you asked for",
    ]
);

/// VM205/VM210: helpers between "we"/"I" and a result verb ("we have
/// helped", "we just cut", "we usually save").
pub const RESULT_HELPERS: &[&str] = &[
    "have",
    "had",
    "just",
    "recently",
    "usually",
    "typically",
    "often",
    "also",
    "already",
    "regularly",
    "always",
    "can",
    "could",
    "will",
    "would",
    "routinely",
    "like",
    "totally",
    "really",
    "actually",
    "basically",
];

/// VM205/VM210: verbs of a result won for a client ("we helped Acme cut …").
pub const RESULT_VERBS: &[&str] = &[
    "help",
    "helps",
    "helped",
    "cut",
    "cuts",
    "save",
    "saves",
    "saved",
    "trim",
    "trims",
    "trimmed",
    "reduce",
    "reduces",
    "reduced",
    "lower",
    "lowers",
    "lowered",
    "slash",
    "slashed",
    "shaved",
    "halved",
    "doubled",
    "tripled",
    "fill",
    "filled",
    "fixed",
    "booked",
    "recovered",
    "eliminated",
    "got",
    "get",
    "gets",
    "put",
    "improved",
    "increased",
    "boosted",
    "sped",
    "moved",
];

lexicon!(
    /// VM206: trick openers that fake a relationship (seeds 001, 004).
    deceptive,
    [
        "just following up",
        "just circling back",
        "circling back on",
        "i am following up on",
        "following up on our",
        "following up on my|the|your",
        "following up from",
        "returning your call",
        "return your call",
        "information you requested",
        "info you requested",
        "information you asked for",
        "the details you requested",
        "as you requested",
        "as promised",
        "as we discussed",
        "per our conversation",
        "per our last conversation",
        "as per our conversation",
        "your competitor",
        "your competitors",
        "one of your competitors",
        "we spoke last week|month|time",
        "when we spoke last",
        "since we last spoke",
    ]
);

lexicon!(
    /// VM206: the competitor hook, which no prior contact makes honest.
    competitor,
    [
        "your competitor",
        "your competitors",
        "one of your competitors",
    ]
);

lexicon!(
    /// VM207: "again" and friends (seed 004).
    again,
    [
        "it is me again",
        "me again",
        "calling again",
        "calling you again",
        "calling back again",
        "trying you again",
        "trying to reach you again",
        "trying to get a hold of you again",
        "reaching out again",
        "just checking in",
        "checking in",
        "touching base",
        "touch base",
        "another message",
        "left you a message",
        "left you a few|couple|several messages",
        "left you a couple of messages",
        "left you a voicemail",
        "left you several voicemails",
        "left you a few|couple voicemails",
        "left you a couple of voicemails",
        "have not heard back",
        "have not heard from you",
        "did not hear back",
        "one more time",
        "my last|previous message|voicemail|call",
        "following up on my last|previous",
        "my second|third|fourth|last message",
        "second|third|fourth time i have called",
    ]
);

lexicon!(
    /// VM208: prices, discounts and offers (seeds 003, 004).
    selling,
    [
        "special offer",
        "special deal",
        "great deal",
        "limited time",
        "limited-time",
        "limited offer",
        "act now",
        "buy now",
        "sign up today",
        "discount",
        "discounts",
        "discounted",
        "percent off",
        "% off",
        "free trial",
        "promotion",
        "promo",
        "promo code",
        "our price",
        "our prices",
        "our pricing",
        "pricing starts",
        "starting at",
        "starts at",
        "priced at",
        "per month",
        "per user",
        "per seat",
        "only costs",
        "it costs",
        "for only",
        "lowest price",
        "best price",
        "this week only",
        "today only",
        "while supplies last",
        "exclusive offer",
        "bundle",
    ]
);

lexicon!(
    /// VM208: a product pitch — features, not outcomes.
    features,
    [
        "our platform|software|product|solution|tool|app|system features|includes|offers|has|comes",
        "features include",
        "comes with",
        "all-in-one",
        "all in one",
        "state-of-the-art",
        "state of the art",
        "cutting-edge",
        "cutting edge",
        "best-in-class",
        "best in class",
        "industry-leading",
        "industry leading",
        "world-class",
        "world class",
        "next-generation",
        "integrates with",
        "dashboard",
        "analytics",
        "ai-powered",
        "powered by",
        "award-winning",
    ]
);

lexicon!(
    /// VM209: the caller says they will call again (with [`time_words`]).
    will_call,
    [
        "i will call|try|ring|phone|reach|follow|be|give|circle|swing",
        "i am going to call|try|ring|phone|reach|follow|give|circle|swing",
        "i am gonna call|try|ring|phone|reach|follow|give|circle|swing",
        "i will be calling|trying|in",
        "i plan to call|try|reach",
        "i will try you",
        "i will call you back",
        "expect my call",
        "expect a call",
        "you will hear from me",
        "i will reach back out",
        "let me try you",
        "i am planning to call|try",
    ]
);

lexicon!(
    /// VM209: when.
    time_words,
    [
        "monday|tuesday|wednesday|thursday|friday|saturday|sunday",
        "mondays|tuesdays|wednesdays|thursdays|fridays",
        "tomorrow",
        "tonight",
        "this morning|afternoon|evening",
        "later today",
        "next monday|tuesday|wednesday|thursday|friday",
        "end of the day",
        "end of day",
        "noon",
        "midday",
        "o'clock",
        "a.m|p.m|pm",
        "at * o'clock",
        "in the morning|afternoon|evening",
        "in an hour",
        "in a couple of days",
        "in two|three|four days",
    ]
);

lexicon!(
    /// VM210: outcomes a listener cares about (seeds 001, 003).
    benefit,
    [
        "save|saves|saved|saving|savings",
        "cut|cuts|cutting",
        "reduce|reduced|reduces|reducing",
        "lower|lowered|lowering",
        "grow|grew|grows|growing|growth",
        "increase|increased|increases|increasing",
        "improve|improved|improves|improving",
        "boost|boosted|boosting",
        "double|doubled|triple|tripled",
        "faster|quicker|fewer",
        "speed|speeds|speeding up",
        "shorten|shorter|simplify|simpler|easier",
        "avoid|avoided|prevent|prevented|protect",
        "free up",
        "win|won|winning",
        "more revenue|profit|sales|customers|clients|deals|meetings|leads",
        "more time for|to|with|back",
        "less time|cost|churn|risk|turnover|downtime|paperwork",
        "benefit|benefits",
        "results",
        "roi",
        "help you",
        "* hours a|per week|month|day|year",
        "hours back",
        "in half the time",
        "half the time",
        "time back",
        "give|gives|giving * back",
        "could|can|would stop",
        "no more",
        "help your",
        "helped",
        "helps",
        "worth your",
    ]
);

lexicon!(
    /// VM212: weak closes (seed 004).
    weak_close,
    [
        "hope to hear from you",
        "hoping to hear from you",
        "hope to hear back",
        "hoping to hear back",
        "if you get a chance",
        "if you have a chance",
        "when you get a chance",
        "when you get a moment|minute|second",
        "when you have a moment|minute|second",
        "if you have a moment",
        "when you can",
        "whenever you get a chance",
        "if you get a minute",
        "if you have a minute",
        "whenever you have time",
        "whenever you have a minute",
        "whenever you can",
        "whenever it is convenient",
        "at your convenience",
        "at your earliest convenience",
        "no worries if not",
        "no pressure",
        "sorry to bother you",
        "sorry for bothering you",
        "sorry to bug you",
        "i know you are busy",
        "if you are interested",
        "if it is not too much trouble",
        "if you want",
        "only if you want",
        "no rush",
    ]
);

lexicon!(
    /// VM215: a referral or mutual contact (seed 004).
    referral,
    [
        "referred",
        "referral",
        "suggested i call|reach|contact|speak|talk|get",
        "suggested that i",
        "recommended i|that|you|we|reaching|calling|speaking",
        "recommended that",
        "mutual friend|friends|connection|contact|colleague",
        "our mutual",
        "a friend of yours",
        "a colleague of yours",
        "your colleague",
        "your former colleague",
        "introduced us",
        "introduction from",
        "told me to call|reach",
        "asked me to call|reach",
        "mentioned you",
        "we both know",
        "passed along your",
        "gave me your name|number",
    ]
);

/// VM213: words after which a pronoun carries on the sentence ("and
/// I", "because we", "I think we") rather than starting one.
pub const CARRY_ON: &[&str] = &[
    "and", "but", "or", "so", "because", "cause", "that", "if", "when", "since", "as", "then",
    "which", "who", "where", "while", "think", "thought", "know", "knew", "said", "guess", "hope",
    "believe", "feel", "felt", "see", "saw", "noticed", "figured", "like", "than", "what", "how",
    "whether", "until", "unless", "although", "though",
];

/// VM209: words that give an hour after "at", "around", "by" … ("at ten",
/// "around noon", "by half past").
pub const CLOCK_NUMBERS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "noon", "half",
];
