//! Phone-number mentions: a table of written, spoken and mixed forms and of
//! near-misses (years, prices, times, dates, counts, percentages), with the
//! digits, extension and exact text span of every mention; times and digit
//! rates on timed transcripts; grouping.

use vmcoach::analyze::phone::{find_mentions, group, PhoneMention};
use vmcoach::message::{TimeRange, Transcript};

/// (transcript text, expected mentions as (digits, extension, text of the span)).
type Case = (
    &'static str,
    &'static [(&'static str, Option<&'static str>, &'static str)],
);

const CASES: &[Case] = &[
    // Written digits, any punctuation.
    ("Call me at 555-212-3456 today.", &[("5552123456", None, "555-212-3456")]),
    ("My number is (555) 212 3456.", &[("5552123456", None, "(555) 212 3456")]),
    ("call (555)212-3456.", &[("5552123456", None, "(555)212-3456")]),
    ("Reach me at 555.212.3456, thanks", &[("5552123456", None, "555.212.3456")]),
    ("That's +1 555 212 3456.", &[("15552123456", None, "+1 555 212 3456")]),
    ("Just dial 555-1212.", &[("5551212", None, "555-1212")]),
    ("It's 5552123456 okay", &[("5552123456", None, "5552123456")]),
    ("Toll free: 1-800-555-1212!", &[("18005551212", None, "1-800-555-1212")]),
    ("Hi it's Mike, I have a question for you. Give me a call. 555-1212", &[("5551212", None, "555-1212")]),
    // Spoken digits.
    (
        "five five five, two one two, three four five six.",
        &[("5552123456", None, "five five five, two one two, three four five six")],
    ),
    ("Five Five Five two one two three four five six", &[("5552123456", None, "Five Five Five two one two three four five six")]),
    ("it's five five five oh one nine nine", &[("5550199", None, "five five five oh one nine nine")]),
    ("it's five five five zero one nine nine", &[("5550199", None, "five five five zero one nine nine")]),
    ("it's five five five o one nine nine", &[("5550199", None, "five five five o one nine nine")]),
    ("double five five, two one two, triple three four", &[("5552123334", None, "double five five, two one two, triple three four")]),
    ("five five five, double oh, one nine", &[("5550019", None, "five five five, double oh, one nine")]),
    // Whisper's beam search on "four one five, double five five, oh one
    // three three": the words after "double" as heard, or already doubled.
    ("My number is 415, double 55, 0133. Thanks", &[("4155550133", None, "415, double 55, 0133")]),
    ("Call me at 415. Double 555. 0133. Thanks", &[("4155550133", None, "415. Double 555. 0133")]),
    ("it's 555, double 0, 19", &[("5550019", None, "555, double 0, 19")]),
    ("one eight hundred five five five one two one two", &[("18005551212", None, "one eight hundred five five five one two one two")]),
    ("eight hundred, five five five, twelve twelve.", &[("8005551212", None, "eight hundred, five five five, twelve twelve")]),
    ("five fifty-five, two one two, thirty-four fifty-six", &[("5552123456", None, "five fifty-five, two one two, thirty-four fifty-six")]),
    ("five five five, two thousand", &[("5552000", None, "five five five, two thousand")]),
    ("five-five-five, two-one-two, three-four-five-six", &[("5552123456", None, "five-five-five, two-one-two, three-four-five-six")]),
    (
        "five five five dash two one two dash three four five six",
        &[("5552123456", None, "five five five dash two one two dash three four five six")],
    ),
    (
        "five five five, two one two, thirty-four hundred",
        &[("5552123400", None, "five five five, two one two, thirty-four hundred")],
    ),
    (
        "five hundred fifty five, two one two, three four five six",
        &[("5552123456", None, "five hundred fifty five, two one two, three four five six")],
    ),
    (
        "area code eight oh five, five five five, one two one two",
        &[("8055551212", None, "eight oh five, five five five, one two one two")],
    ),
    // "at five fifty-five" is an area code here, not a time.
    (
        "call me at five fifty-five, two one two, three four five six",
        &[("5552123456", None, "five fifty-five, two one two, three four five six")],
    ),
    ("Call +44 20 7946 0958 in London", &[("442079460958", None, "+44 20 7946 0958")]),
    // Mixed written and spoken.
    ("call 555 two one two 3456 anytime", &[("5552123456", None, "555 two one two 3456")]),
    ("at 555 212 thirty-four fifty-six", &[("5552123456", None, "555 212 thirty-four fifty-six")]),
    // One number said as separate sentences.
    ("Call five five five. Two one two. Three four five six. Thanks", &[("5552123456", None, "five five five. Two one two. Three four five six")]),
    // Extensions.
    ("five five five two one two three four five six extension two oh four", &[("5552123456", Some("204"), "five five five two one two three four five six extension two oh four")]),
    ("555-212-3456 ext. 204 is my desk", &[("5552123456", Some("204"), "555-212-3456 ext. 204")]),
    ("555-212-3456 x204", &[("5552123456", Some("204"), "555-212-3456 x204")]),
    ("555-212-3456x204", &[("5552123456", Some("204"), "555-212-3456x204")]),
    ("555-212-3456, extension 12.", &[("5552123456", Some("12"), "555-212-3456, extension 12")]),
    ("555-1212 extension oh four, or 555-1313", &[("5551212", Some("04"), "555-1212 extension oh four"), ("5551313", None, "555-1313")]),
    // Several numbers.
    ("555-1212, 555-1212.", &[("5551212", None, "555-1212"), ("5551212", None, "555-1212")]),
    ("5552123456 5552123456", &[("5552123456", None, "5552123456"), ("5552123456", None, "5552123456")]),
    ("my number is 555 212 3456 and my cell is 555 987 6543", &[("5552123456", None, "555 212 3456"), ("5559876543", None, "555 987 6543")]),
    (
        "five five five two one two three four five six five five five two one two three four five six",
        &[("5552123456", None, "five five five two one two three four five six"), ("5552123456", None, "five five five two one two three four five six")],
    ),
    (
        "That's five five five, two one two, three four five six. Again, five five five, two one two, three four five six.",
        &[("5552123456", None, "five five five, two one two, three four five six"), ("5552123456", None, "five five five, two one two, three four five six")],
    ),
    ("It's 555-1212, second line 555-1313", &[("5551212", None, "555-1212"), ("5551313", None, "555-1313")]),
    ("Call 555-212-3456 days or evenings", &[("5552123456", None, "555-212-3456")]),
    // "oh" as an interjection is not a zero.
    ("Oh, and call me at 555-1212.", &[("5551212", None, "555-1212")]),
    ("five five five two one two three four five six. Oh, and thanks", &[("5552123456", None, "five five five two one two three four five six")]),
    // A time or a year just before the number is not part of it.
    ("I'll try you Thursday at ten thirty, five five five, two one two, three four five six", &[("5552123456", None, "five five five, two one two, three four five six")]),
    ("I'll call at 10. 555-1212", &[("5551212", None, "555-1212")]),
    ("We started in 2019. 555-1212", &[("5551212", None, "555-1212")]),
    // Whisper's spellings: a digit heard as a word or letter ("for" 4, "to"
    // 2, "won" 1, "a" 8), dots as separators, a dropped digit.
    ("My number is 775 301 441a.", &[("7753014418", None, "775 301 441a")]),
    ("It's 775-301-441a, thanks", &[("7753014418", None, "775-301-441a")]),
    ("It's 775 301 for 418.", &[("7753014418", None, "775 301 for 418")]),
    ("It's 775-301-for 418.", &[("7753014418", None, "775-301-for 418")]),
    ("It's 775, 301, for 418.", &[("7753014418", None, "775, 301, for 418")]),
    ("call 512 555 to 191", &[("5125552191", None, "512 555 to 191")]),
    ("call 512 won 55 0191", &[("5121550191", None, "512 won 55 0191")]),
    ("five five five two one two for five six seven", &[("5552124567", None, "five five five two one two for five six seven")]),
    ("seven seven five, three oh one, four four one eight.", &[("7753014418", None, "seven seven five, three oh one, four four one eight")]),
    ("775 three o one 4418", &[("7753014418", None, "775 three o one 4418")]),
    ("That's 801.5555. 0072. Thanks", &[("80155550072", None, "801.5555. 0072")]),
    ("That's 801.555.0072.", &[("8015550072", None, "801.555.0072")]),
    ("Call 305-55-1114 today", &[("305551114", None, "305-55-1114")]),
    ("Call 552123456 today", &[("552123456", None, "552123456")]),
    // Separate things said as separate sentences are not one number.
    ("10001. 90210. 01803.", &[]),
    ("10001, 90210, 01803", &[]),
    ("Zip 10001. Call 555-1212.", &[("5551212", None, "555-1212")]),
    ("Room 204. 555-1212", &[("5551212", None, "555-1212")]),
    // Homophones that are words: no digit is invented.
    ("From 2019 to 2021 we grew.", &[]),
    ("We grew 2019 to 2021 by half", &[]),
    ("We went from 10 to 15 reps.", &[]),
    ("Call 555-1212 for 20 minutes.", &[("5551212", None, "555-1212")]),
    ("Call 555-1212 for a chat.", &[("5551212", None, "555-1212")]),
    ("It's a 2 for 1 deal at $5 for 10 seats.", &[]),
    ("We won 3 of 4 deals in 2024 for 12 clients", &[]),
    ("I'll call between 9 to 5 on Friday", &[]),
    ("555-1212 to 555-1313", &[("5551212", None, "555-1212"), ("5551313", None, "555-1313")]),
    ("It's 555 212 3456 a day", &[("5552123456", None, "555 212 3456")]),
    ("Suite 12a, 555-1212", &[("5551212", None, "555-1212")]),
    // Near-misses: none of these is a phone number.
    ("We started in 2025 with a small team.", &[]),
    ("Since twenty twenty five we have grown.", &[]),
    ("It was founded in nineteen ninety nine.", &[]),
    ("The plan is $1,455 a month.", &[]),
    ("The deal was $1,455,000 last year.", &[]),
    ("It's 1,455,000 dollars.", &[]),
    ("It's fourteen fifty-five dollars a month.", &[]),
    ("one thousand four hundred fifty five dollars", &[]),
    ("We saved them 1200000 dollars.", &[]),
    ("I'll call you at 4:30 on Thursday.", &[]),
    ("I'll call you at ten thirty tomorrow.", &[]),
    ("Let's talk at 3pm.", &[]),
    ("The meeting is on 11/23/2026.", &[]),
    ("The meeting is on 2026-11-23.", &[]),
    ("See you November 23rd, 2026.", &[]),
    ("We have 200 customers in your area.", &[]),
    ("We work with 1500000 customers.", &[]),
    ("That's a 50% saving.", &[]),
    ("That's fifty percent off.", &[]),
    ("It's 1.5 million users.", &[]),
    ("Prices start at 4.99 a seat.", &[]),
    ("order number 12345 shipped", &[]),
    ("twelve twelve", &[]),
    ("room 204, floor 3", &[]),
    ("I'm calling about the one thing we discussed.", &[]),
    ("Oh, hi Sarah.", &[]),
    ("In an emergency dial nine one one.", &[]),
    (
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen",
        &[],
    ),
];

fn found(text: &str) -> Vec<(String, Option<String>, String)> {
    let t = Transcript::from_text(text);
    find_mentions(&t)
        .into_iter()
        .map(|m| {
            let span = t
                .text
                .get(m.span.range())
                .unwrap_or("<bad span>")
                .to_string();
            (m.digits, m.extension, span)
        })
        .collect()
}

#[test]
fn table_of_forms_and_near_misses() {
    assert!(CASES.len() >= 40);
    let mut failures = Vec::new();
    for (text, want) in CASES {
        let want: Vec<(String, Option<String>, String)> = want
            .iter()
            .map(|(d, e, s)| (d.to_string(), e.map(str::to_string), s.to_string()))
            .collect();
        let got = found(text);
        if got != want {
            failures.push(format!("{text:?}\n   want {want:?}\n    got {got:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn word_ranges_cover_the_mention() {
    let t = Transcript::from_text("Call me at 555 212 3456 extension 204 please");
    let m = find_mentions(&t);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].words, 3..8);
    assert_eq!(m[0].extension.as_deref(), Some("204"));
}

/// A transcript with (word, start, end) times.
fn timed(words: &[(&str, f64, f64)]) -> Transcript {
    Transcript::from_timed_words(
        words
            .iter()
            .map(|(w, s, e)| (w.to_string(), Some(TimeRange::new(*s, *e)), None)),
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn spoken_digits_time_and_rate() {
    // Ten digits, one every 0.5 s, each word 0.3 s long.
    let mut words = vec![("call", 0.0, 0.3), ("me", 0.35, 0.5), ("at", 0.55, 0.7)];
    let digits = [
        "five", "five", "five,", "two", "one", "two,", "three", "four", "five", "six.",
    ];
    for (k, d) in digits.iter().enumerate() {
        let start = 1.0 + 0.5 * k as f64;
        words.push((d, start, start + 0.3));
    }
    words.push(("Thanks.", 6.5, 6.9));
    let t = timed(&words);
    let m = find_mentions(&t);
    assert_eq!(m.len(), 1);
    let time = m[0].time.expect("timed words give the mention a time");
    assert!(close(time.start, 1.0) && close(time.end, 5.8), "{time:?}");
    let rate = m[0].digits_per_second.expect("rate");
    assert!(close(rate, 10.0 / 4.8), "{rate}");
    assert_eq!(m[0].words, 3..13);
}

#[test]
fn written_number_word_time_covers_all_its_digits() {
    let t = timed(&[
        ("Call", 0.0, 0.3),
        ("555-1212,", 0.4, 2.4),
        ("thanks", 2.5, 2.9),
    ]);
    let m = find_mentions(&t);
    assert_eq!(m.len(), 1);
    let time = m[0].time.expect("time");
    assert!(close(time.start, 0.4) && close(time.end, 2.4));
    assert!(close(m[0].digits_per_second.expect("rate"), 7.0 / 2.0));
}

#[test]
fn number_split_across_timed_words_and_the_extension_is_not_timed() {
    let t = timed(&[
        ("(555)", 1.0, 1.6),
        ("212-", 1.7, 2.3),
        ("3456", 2.4, 3.0),
        ("extension", 3.2, 3.8),
        ("204.", 3.9, 4.5),
    ]);
    let m = find_mentions(&t);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].digits, "5552123456");
    assert_eq!(m[0].extension.as_deref(), Some("204"));
    assert_eq!(&t.text[m[0].span.range()], "(555) 212- 3456 extension 204");
    let time = m[0].time.expect("time");
    assert!(close(time.start, 1.0) && close(time.end, 3.0), "{time:?}");
    assert!(close(m[0].digits_per_second.expect("rate"), 10.0 / 2.0));
}

#[test]
fn whisper_style_separate_punctuation_tokens() {
    let t = timed(&[
        ("555", 0.0, 0.5),
        ("-", 0.5, 0.5),
        ("212", 0.6, 1.1),
        ("-", 1.1, 1.1),
        ("3456", 1.2, 2.0),
    ]);
    let m = find_mentions(&t);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].digits, "5552123456");
    assert_eq!(&t.text[m[0].span.range()], "555 - 212 - 3456");
    assert!(close(m[0].digits_per_second.expect("rate"), 5.0));
}

#[test]
fn untimed_text_has_no_time_or_rate() {
    let m = find_mentions(&Transcript::from_text("555-212-3456"));
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].time, None);
    assert_eq!(m[0].digits_per_second, None);
}

fn mentions_of(text: &str) -> Vec<PhoneMention> {
    find_mentions(&Transcript::from_text(text))
}

#[test]
fn grouping_ignores_country_code_and_joins_seven_digit_tails() {
    let m = mentions_of(
        "Call 555-212-3456. That's 1 555 212 3456. Or just 212-3456. My cell is 555-987-6543.",
    );
    let digits: Vec<&str> = m.iter().map(|x| x.digits.as_str()).collect();
    assert_eq!(
        digits,
        ["5552123456", "15552123456", "2123456", "5559876543"]
    );
    let g = group(&m);
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].digits, "15552123456");
    assert_eq!(g[0].count, 3);
    assert_eq!(g[0].mentions, [0, 1, 2]);
    assert_eq!(g[1].digits, "5559876543");
    assert_eq!(g[1].count, 1);
    assert_eq!(g[1].mentions, [3]);
}

#[test]
fn grouping_a_tail_said_first_and_most_said_first() {
    let m = mentions_of(
        "Call 987-6543 or 555-1212. Again 555-1212. Or 555-1212. My full number is 555-987-6543.",
    );
    let g = group(&m);
    assert_eq!(g.len(), 2);
    assert_eq!(g[0].digits, "5551212");
    assert_eq!(g[0].count, 3);
    assert_eq!(g[0].mentions, [1, 2, 3]);
    assert_eq!(g[1].digits, "5559876543");
    assert_eq!(g[1].count, 2);
    assert_eq!(g[1].mentions, [0, 4]);
}

#[test]
fn grouping_keeps_different_numbers_apart() {
    // Two digits apart: two numbers (one digit apart is one number misheard,
    // see grouping_forgives_one_misheard_digit).
    let m = mentions_of("555-212-3456 and 555-212-3477 and 212-3458");
    let g = group(&m);
    assert_eq!(g.len(), 3);
    assert!(g.iter().all(|x| x.count == 1));
    assert!(group(&[]).is_empty());
}

/// Random mixtures of number words, digits, punctuation and non-ASCII text
/// never panic, and every mention is well-formed: a span on character
/// boundaries inside the text, 7 to 15 ASCII digits, a word range inside
/// the transcript.
#[test]
fn arbitrary_text_gives_well_formed_mentions() {
    const TOKENS: &[&str] = &[
        "five",
        "oh",
        "o",
        "double",
        "triple",
        "hundred",
        "thousand",
        "million",
        "fifty-five",
        "twenty-",
        "-five",
        "twelve",
        "extension",
        "ext.",
        "x",
        "x204",
        "dash",
        "-",
        ",",
        ".",
        "(555)",
        "555-",
        "212",
        "3456.",
        "+1",
        "$1,455",
        "4:30",
        "50%",
        "23rd",
        "1,2",
        "12.5.",
        "o'clock",
        "dollars",
        "at",
        "in",
        "2025",
        "é",
        "日本",
        "٣",
        "½",
        "\u{200b}",
        "1e5",
        "0x1F",
        "555-212-3456x",
        "((",
        "))",
        "+",
        "1-800-",
        "seven",
        "nine",
        "zero",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..3000 {
        let n = 1 + (next() % 30) as usize;
        let mut text = String::new();
        for _ in 0..n {
            let token = TOKENS[(next() % TOKENS.len() as u64) as usize];
            text.push_str(token);
            if next() % 4 != 0 {
                text.push(' ');
            }
        }
        let t = Transcript::from_text(&text);
        let mentions = find_mentions(&t);
        for m in &mentions {
            assert!(t.text.get(m.span.range()).is_some(), "bad span in {text:?}");
            assert!(
                (7..=15).contains(&m.digits.len()) && m.digits.bytes().all(|b| b.is_ascii_digit()),
                "bad digits {:?} in {text:?}",
                m.digits
            );
            assert!(m.words.start < m.words.end && m.words.end <= t.words.len());
        }
        let groups = group(&mentions);
        assert_eq!(
            groups.iter().map(|g| g.count).sum::<usize>(),
            mentions.len()
        );
        for w in &t.words {
            assert!(vmcoach::text::numbers::spoken_word_count(&w.text) < 100);
        }
    }
}

#[test]
fn grouping_forgives_one_misheard_digit() {
    // Said twice; heard once with the last digit dropped ("441a" read
    // without its homophone), once with a digit changed.
    for (text, other) in [
        ("Call 775-301-4418. Again, 775301441.", "775301441"),
        ("Call 512-555-0191. Again, 512-555-1191.", "5125551191"),
        ("Call 305-555-1114. Again 305-55-1114.", "305551114"),
    ] {
        let m = mentions_of(text);
        assert_eq!(m.len(), 2, "{text}");
        let g = group(&m);
        assert_eq!(g.len(), 1, "{text}: {g:?}");
        assert_eq!(g[0].count, 2);
        assert_eq!(g[0].mentions, [0, 1]);
        assert!(g[0].whole);
        assert_eq!(g[0].heard_as, [other], "{text}");
    }
    let g = group(&mentions_of("Call 775-301-4418. Again, 775301441."));
    assert_eq!(
        vmcoach::analyze::phone::heard_note(&g[0]),
        " (heard as 775-301-4418 and 775-301-441)"
    );
    // A 7-digit number one digit off is another line, not a mishearing.
    assert_eq!(group(&mentions_of("555-1212 or 555-1213")).len(), 2);
}

#[test]
fn a_nine_digit_run_is_not_a_whole_number() {
    let m = mentions_of("My number is 552123456.");
    assert_eq!(m.len(), 1);
    assert!(!m[0].whole);
    let g = group(&m);
    assert!(!g[0].whole);
    assert_eq!(
        vmcoach::analyze::phone::heard_note(&g[0]),
        " (not a whole number)"
    );
    assert!(mentions_of("+44 20 7946 0958")[0].whole);
    assert!(!mentions_of("44 20 7946 0958")[0].whole);
}

/// The content findings (code, message) on a typed message, with the rep's
/// own number if given.
fn findings(text: &str, number: Option<&str>) -> Vec<(&'static str, String)> {
    use vmcoach::message::{Context, Message};
    let message = Message {
        transcript: Transcript::from_text(text),
        audio: None,
        context: Context {
            number: number.map(str::to_string),
            ..Default::default()
        },
    };
    let analysis = vmcoach::analyze::analyze(&message);
    let config = vmcoach::rules::RuleConfig::default();
    vmcoach::rules::check(&message, &analysis, &config)
        .findings
        .into_iter()
        .filter(|f| matches!(f.code, "VM201" | "VM202" | "VM105"))
        .map(|f| (f.code, f.message))
        .collect()
}

#[test]
fn a_number_said_twice_with_one_digit_misheard_is_said_twice() {
    let f = findings("Call me at 775-301-4418. Again, that's 775-301-4413.", None);
    assert!(f.is_empty(), "{f:?}");
    let f = findings("Call me at 775-301-4418. Thanks.", None);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "VM202");
    assert!(f[0].1.contains("775-301-4418 only once"), "{f:?}");
}

#[test]
fn own_number_matched_forgivingly() {
    // Heard with a digit missing, twice: the rep's number, said twice.
    let f = findings("It's 415-55-0133. Again 415-55-0133.", Some("415-555-0133"));
    assert!(f.is_empty(), "{f:?}");
    // Heard once exactly and once a digit off.
    let f = findings(
        "It's 415-555-0133. Again 415-555-0183.",
        Some("(415) 555-0133"),
    );
    assert!(f.is_empty(), "{f:?}");
    // Another number altogether is still not the rep's.
    let f = findings(
        "It's 212-555-9876. Again 212-555-9876.",
        Some("415-555-0133"),
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "VM201");
    assert!(
        f[0].1.contains("never your callback number 415-555-0133"),
        "{f:?}"
    );
}

#[test]
fn a_number_heard_one_digit_off_the_same_way_twice_is_the_number() {
    // Tiny Whisper models write "415, double five five, 0133" as 415-550-133,
    // the same both times: the rep said a number, twice.
    let f = findings(
        "Call me at 415-550-133. I'll try you Friday. That's 415-550-133.",
        None,
    );
    assert!(f.is_empty(), "{f:?}");
    let f = findings("Call me at 81525552012. Again, 81525552012.", None);
    assert!(f.is_empty(), "{f:?}");
    // Once is a number that could not be made out; two different 9-digit
    // runs are not one number said twice; 8 digits is two digits off.
    for text in [
        "Call me at 415-550-133. Thanks.",
        "Call me at 415-550-133. Or 212-987-654.",
        "Call me at 4155-0133. Again 4155-0133.",
    ] {
        let f = findings(text, None);
        assert!(
            f.iter()
                .any(|(c, m)| *c == "VM201" && m.contains("could not be made out")),
            "{text}: {f:?}"
        );
    }
}

#[test]
fn an_unreadable_number_is_hard_to_make_out_not_missing() {
    let f = findings("Hi, call me back at 552123456. Bye.", None);
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].0, "VM201");
    assert!(
        f[0].1.contains("could not be made out (552-123-456)"),
        "{f:?}"
    );
    assert!(f[0].1.contains("too fast"), "{f:?}");
    let f = findings("Hi, call me back at 5521234. Bye.", Some("415-555-0133"));
    assert!(f[0].1.contains("never your callback number"), "{f:?}");
    let f = findings("Hi, call me back at 41555501. Bye.", Some("415-555-0133"));
    assert!(
        f[0].1
            .contains("Your callback number 415-555-0133 was hard to make out"),
        "{f:?}"
    );
    // Too few digits for a number, where the callback number goes.
    for text in [
        "Hi, my number is 555-21. Bye.",
        "Hi, call me at five five two one. Bye.",
        "Hi, my number's 55521, bye.",
    ] {
        let f = findings(text, None);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].1.contains("could not be made out"), "{text}: {f:?}");
    }
    // Not where a number goes, or a time or a year: the plain message.
    for text in [
        "Hi, I'll call at 1030. Bye.",
        "Hi, call me at 10. Bye.",
        "Hi, call me at ten thirty. Bye.",
        "Hi, call me back at four oh five. Bye.",
        "Hi, we have 5521 users. Bye.",
        "Hi, my number is 2025 worth. Bye.",
    ] {
        let f = findings(text, None);
        assert_eq!(
            f,
            [("VM201", "You never say a callback number.".to_string())],
            "{text}"
        );
    }
    // Nothing number-like at all: the plain message.
    let f = findings("Hi, call me back. Bye.", None);
    assert_eq!(
        f,
        [("VM201", "You never say a callback number.".to_string())]
    );
}

#[test]
fn a_misheard_mention_is_shown_as_its_number() {
    use vmcoach::message::Message;
    let message = Message {
        transcript: Transcript::from_text("Call 552123456. Again, 555-212-3456."),
        ..Default::default()
    };
    let a = vmcoach::analyze::analyze(&message);
    assert_eq!(a.mention_shown(0), "555-212-3456 (heard as 552-123-456)");
    assert_eq!(a.mention_shown(1), "555-212-3456");
    assert!(a.mention_readable(0));
    assert!(a.unclear_mentions().is_empty());
    let c = a.callback.expect("a callback number");
    assert_eq!(
        (c.digits.as_str(), c.mentions.as_slice()),
        ("5552123456", &[0, 1][..])
    );
}
