//! Number words: what an English number word means, reading a cardinal
//! phrase ("one thousand four hundred fifty five", "fourteen fifty-five"),
//! and how many words a listener hears for a transcript token ("555-0199"
//! is seven, "$1,455" is "one thousand four hundred fifty five dollars").
//!
//! Whisper writes numbers either as digits or as words, so both the phone
//! detector and the words-per-minute count need this.

/// The meaning of one number word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberWord {
    /// "zero" .. "nine".
    Digit(u8),
    /// "oh" or "o": zero, but only in a run of digits (it is also an interjection).
    Oh,
    /// "ten" .. "nineteen".
    Teen(u8),
    /// "twenty" .. "ninety" (the value: 20, 30, ...).
    Tens(u8),
    Hundred,
    Thousand,
    Million,
    Billion,
    /// "double" in "double five".
    Double,
    /// "triple" in "triple two".
    Triple,
}

impl NumberWord {
    /// The digit a listener dials for this word, if it stands for one digit.
    pub fn digit(self) -> Option<u8> {
        match self {
            NumberWord::Digit(d) => Some(d),
            NumberWord::Oh => Some(0),
            _ => None,
        }
    }
}

/// Read one number word (case-insensitive; no punctuation or hyphens).
pub fn number_word(word: &str) -> Option<NumberWord> {
    let lower = word.to_ascii_lowercase();
    let w = match lower.as_str() {
        "zero" => NumberWord::Digit(0),
        "one" => NumberWord::Digit(1),
        "two" => NumberWord::Digit(2),
        "three" => NumberWord::Digit(3),
        "four" => NumberWord::Digit(4),
        "five" => NumberWord::Digit(5),
        "six" => NumberWord::Digit(6),
        "seven" => NumberWord::Digit(7),
        "eight" => NumberWord::Digit(8),
        "nine" => NumberWord::Digit(9),
        "oh" | "o" => NumberWord::Oh,
        "ten" => NumberWord::Teen(10),
        "eleven" => NumberWord::Teen(11),
        "twelve" => NumberWord::Teen(12),
        "thirteen" => NumberWord::Teen(13),
        "fourteen" => NumberWord::Teen(14),
        "fifteen" => NumberWord::Teen(15),
        "sixteen" => NumberWord::Teen(16),
        "seventeen" => NumberWord::Teen(17),
        "eighteen" => NumberWord::Teen(18),
        "nineteen" => NumberWord::Teen(19),
        "twenty" => NumberWord::Tens(20),
        "thirty" => NumberWord::Tens(30),
        "forty" | "fourty" => NumberWord::Tens(40),
        "fifty" => NumberWord::Tens(50),
        "sixty" => NumberWord::Tens(60),
        "seventy" => NumberWord::Tens(70),
        "eighty" => NumberWord::Tens(80),
        "ninety" => NumberWord::Tens(90),
        "hundred" => NumberWord::Hundred,
        "thousand" => NumberWord::Thousand,
        "million" => NumberWord::Million,
        "billion" => NumberWord::Billion,
        "double" => NumberWord::Double,
        "triple" => NumberWord::Triple,
        _ => return None,
    };
    Some(w)
}

/// The word with punctuation trimmed from both ends ("Sarah," → "Sarah").
pub fn trim_punctuation(word: &str) -> &str {
    word.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Read the longest cardinal number at the start of `words` and return its
/// value and how many of `words` it used. Words may carry punctuation
/// ("fifty-five,"); hyphenated words count as one. Reads the usual forms
/// ("one thousand four hundred and fifty five") and the paired forms people
/// use for prices and years ("fourteen fifty-five", "twenty twenty five",
/// "nineteen oh five"). "oh", "double" and "triple" are not cardinals.
pub fn parse_number_words(words: &[&str]) -> Option<(u64, usize)> {
    let mut reader = CardinalReader::default();
    let mut used = 0;
    let mut pending_and = false;
    'words: for (i, raw) in words.iter().enumerate() {
        let word = trim_punctuation(raw);
        if word.is_empty() {
            break;
        }
        if word.eq_ignore_ascii_case("and") {
            // "hundred and fifty": only between a scale word and more number.
            if reader.after_scale() && !pending_and {
                pending_and = true;
                continue;
            }
            break;
        }
        let mut pieces = Vec::new();
        for piece in word.split('-') {
            match number_word(piece) {
                Some(w) => pieces.push(w),
                None => break 'words,
            }
        }
        let snapshot = reader.clone();
        for w in pieces {
            if !reader.push(w) {
                // A hyphenated word is all or nothing.
                reader = snapshot;
                break 'words;
            }
        }
        pending_and = false;
        used = i + 1;
    }
    if reader.words == 0 {
        return None;
    }
    Some((reader.value(), used))
}

/// Reads a cardinal one number word at a time.
#[derive(Debug, Clone, Default)]
struct CardinalReader {
    /// Completed thousands/millions.
    total: u64,
    /// The part under the last scale word.
    current: u64,
    last: Option<NumberWord>,
    /// A "hundred" was said in `current`.
    hundred_seen: bool,
    /// `current` is a paired form ("fourteen fifty").
    paired: bool,
    /// "nineteen oh": waiting for the digit.
    oh_pending: bool,
    words: usize,
}

impl CardinalReader {
    fn after_scale(&self) -> bool {
        matches!(
            self.last,
            Some(NumberWord::Hundred | NumberWord::Thousand | NumberWord::Million)
        )
    }

    fn value(&self) -> u64 {
        self.total.saturating_add(self.current)
    }

    /// Add a word; false when it cannot continue this number.
    fn push(&mut self, w: NumberWord) -> bool {
        let ok = match w {
            NumberWord::Digit(d) => self.push_digit(u64::from(d)),
            NumberWord::Oh => {
                // Only in "nineteen oh five".
                let ok = matches!(self.last, Some(NumberWord::Teen(_) | NumberWord::Tens(_)))
                    && self.total == 0
                    && !self.hundred_seen
                    && !self.paired
                    && self.current < 100;
                if ok {
                    self.current *= 100;
                    self.paired = true;
                    self.oh_pending = true;
                }
                ok
            }
            NumberWord::Teen(t) | NumberWord::Tens(t) => self.push_two_digit(u64::from(t)),
            NumberWord::Hundred => {
                let ok = !self.hundred_seen
                    && !self.paired
                    && !self.oh_pending
                    && self.current > 0
                    && self.current < 100;
                if ok {
                    self.current *= 100;
                    self.hundred_seen = true;
                }
                ok
            }
            NumberWord::Thousand | NumberWord::Million | NumberWord::Billion => {
                let scale: u64 = match w {
                    NumberWord::Thousand => 1_000,
                    NumberWord::Million => 1_000_000,
                    _ => 1_000_000_000,
                };
                // A larger scale must come first: "two million three thousand".
                let ok = self.current > 0
                    && !self.paired
                    && !self.oh_pending
                    && (self.total == 0 || self.total.is_multiple_of(scale * 1000));
                if ok {
                    self.total = self
                        .total
                        .saturating_add(self.current.saturating_mul(scale));
                    self.current = 0;
                    self.hundred_seen = false;
                }
                ok
            }
            NumberWord::Double | NumberWord::Triple => false,
        };
        if ok {
            self.last = Some(w);
            self.words += 1;
        }
        ok
    }

    fn push_digit(&mut self, d: u64) -> bool {
        if self.oh_pending {
            self.current += d;
            self.oh_pending = false;
            return true;
        }
        match self.last {
            None => {
                self.current = d;
                true
            }
            Some(NumberWord::Tens(_)) if self.current.is_multiple_of(10) => {
                self.current += d;
                true
            }
            Some(NumberWord::Hundred | NumberWord::Thousand | NumberWord::Million) => {
                self.current += d;
                true
            }
            _ => false,
        }
    }

    fn push_two_digit(&mut self, v: u64) -> bool {
        if self.oh_pending {
            return false;
        }
        match self.last {
            None => {
                self.current = v;
                true
            }
            Some(NumberWord::Hundred | NumberWord::Thousand | NumberWord::Million)
                if self.current.is_multiple_of(100) =>
            {
                self.current += v;
                true
            }
            // "fourteen fifty", "twenty twenty", "nineteen ninety-nine".
            Some(NumberWord::Teen(_) | NumberWord::Tens(_) | NumberWord::Digit(_))
                if self.total == 0
                    && !self.hundred_seen
                    && !self.paired
                    && self.current >= 10
                    && self.current < 100 =>
            {
                self.current = self.current * 100 + v;
                self.paired = true;
                true
            }
            _ => false,
        }
    }
}

/// How many words "n" is when said as a cardinal ("1455" → "one thousand
/// four hundred fifty five" → 7). Zero is one word.
pub fn cardinal_word_count(n: u64) -> usize {
    if n == 0 {
        return 1;
    }
    let mut count = 0;
    let mut rest = n;
    for scale in [1_000_000_000_000u64, 1_000_000_000, 1_000_000, 1_000] {
        let chunk = rest / scale;
        if chunk > 0 {
            count += under_thousand_words(chunk) + 1;
            rest %= scale;
        }
    }
    count + under_thousand_words(rest)
}

/// Words for 0..999 (0 → none, as inside a larger number).
fn under_thousand_words(n: u64) -> usize {
    let hundreds = n / 100;
    let rest = n % 100;
    let mut count = 0;
    if hundreds > 0 {
        // "one thousand" chunks above 999 recurse through cardinal_word_count.
        count += if hundreds < 10 {
            2
        } else {
            cardinal_word_count(hundreds) + 1
        };
    }
    count += match rest {
        0 => 0,
        1..=20 => 1,
        r if r % 10 == 0 => 1,
        _ => 2,
    };
    count
}

/// How people say a four-digit year-like number: "twenty twenty five" (3),
/// "nineteen oh five" (3), "two thousand five" (3), "twelve hundred" (2).
fn year_word_count(n: u64) -> usize {
    let hi = n / 100;
    let lo = n % 100;
    if (2000..=2009).contains(&n) {
        return cardinal_word_count(n);
    }
    let lo_words = match lo {
        0 => 1,     // "hundred"
        1..=9 => 2, // "oh five"
        10..=20 => 1,
        l if l % 10 == 0 => 1,
        _ => 2,
    };
    cardinal_word_count(hi) + lo_words
}

/// Words said for an extension's digits: a short one as a number
/// ("extension 12" is "twelve", "extension 30" is "thirty"), a longer one
/// digit by digit ("extension 204" is "two oh four").
pub fn extension_word_count(digits: &str) -> usize {
    let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
    match digits.parse::<u64>() {
        Ok(n) if digits.len() <= 2 => cardinal_word_count(n),
        _ => digits.len(),
    }
}

/// How many words a listener hears for one transcript token.
///
/// Punctuation alone is 0 and an ordinary word is 1. A number written in
/// digits counts as the words said for it: a phone-style number (7 or more
/// digits, or digits grouped by "-", "." or brackets) is one word per digit
/// ("555-0199" is 7); a price, a percentage, a time, an ordinal or a plain
/// count is its cardinal words ("$1,455" is "one thousand four hundred
/// fifty five dollars", 8; "4:30" is "four thirty", 2; "50%" is 2).
/// Hyphenated number words count each part ("fifty-five" is 2).
pub fn spoken_word_count(word: &str) -> usize {
    let core = word.trim_matches(|c: char| {
        !(c.is_alphanumeric() || matches!(c, '$' | '€' | '£' | '%' | '+' | '('))
    });
    if core.is_empty() {
        return 0;
    }
    if !core.chars().any(|c| c.is_ascii_digit()) {
        if !core.chars().any(char::is_alphanumeric) {
            // "$" or "%" alone is still said.
            return usize::from(core.contains(['$', '€', '£', '%']));
        }
        // "fifty-five" is two words; "follow-up" stays one.
        let parts: Vec<&str> = core.split('-').filter(|p| !p.is_empty()).collect();
        if parts.len() > 1 && parts.iter().all(|p| number_word(p).is_some()) {
            return parts.len();
        }
        return 1;
    }
    written_number_word_count(core)
}

/// Words said for a token holding digits (see [`spoken_word_count`]).
fn written_number_word_count(core: &str) -> usize {
    let currency = core.starts_with(['$', '€', '£']);
    let body = core.trim_start_matches(['$', '€', '£']);
    let percent = body.ends_with('%');
    let body = body.trim_end_matches('%');

    // Split off a letter suffix: "23rd", "3pm", "50k", "x204".
    let digit_end = body
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_ascii_digit())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let digit_start = body
        .char_indices()
        .find(|(_, c)| c.is_ascii_digit() || matches!(c, '+' | '('))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let prefix = body.get(..digit_start).unwrap_or("");
    let numeric = body.get(digit_start..digit_end).unwrap_or("");
    let suffix = body.get(digit_end..).unwrap_or("");
    let digits: String = numeric.chars().filter(char::is_ascii_digit).collect();
    let digit_count = digits.len();

    // Extension written as "x204" or "ext204": "extension" plus each digit.
    let prefix_lower = prefix.to_ascii_lowercase();
    let prefix_words = match prefix_lower.trim_end_matches('.') {
        "" => 0,
        "x" | "ext" | "extension" => {
            return 1 + extension_word_count(&digits);
        }
        _ => 1,
    };

    let suffix_lower = suffix.to_ascii_lowercase();
    let ordinal = matches!(suffix_lower.as_str(), "st" | "nd" | "rd" | "th");
    let suffix_words = match suffix_lower.trim_matches('.') {
        "" => 0,
        "st" | "nd" | "rd" | "th" => 0,
        "am" | "pm" | "a.m" | "p.m" => 2,
        _ => 1,
    };

    let base = if numeric.contains(':') {
        // A time: "4:30" → "four thirty", "4:05" → "four oh five", "4:00" → "four".
        let mut parts = numeric.split(':');
        let hour = parts
            .next()
            .and_then(|h| h.parse::<u64>().ok())
            .unwrap_or(0);
        let minute_text = parts.next().unwrap_or("");
        let minute = minute_text.parse::<u64>().unwrap_or(0);
        let minute_words = match minute {
            0 => 0,
            1..=9 => 2,
            m => cardinal_word_count(m),
        };
        cardinal_word_count(hour) + minute_words
    } else if is_thousands_grouped(numeric) {
        // "1,455" or "1,455.50".
        let (int_part, frac) = numeric.split_once('.').unwrap_or((numeric, ""));
        let int: String = int_part.chars().filter(char::is_ascii_digit).collect();
        let int_words = int.parse::<u64>().map(cardinal_word_count).unwrap_or(0);
        int_words + fraction_words(frac, currency)
    } else if let Some((int_part, frac)) = decimal_parts(numeric) {
        let int_words = int_part
            .parse::<u64>()
            .map(cardinal_word_count)
            .unwrap_or(0);
        int_words + fraction_words(frac, currency)
    } else if currency || percent || ordinal || !suffix.is_empty() {
        digits
            .parse::<u64>()
            .map(cardinal_word_count)
            .unwrap_or(digit_count)
    } else if is_plain_count(numeric) {
        let n = digits.parse::<u64>().unwrap_or(0);
        if digit_count == 4 && (1100..=2099).contains(&n) {
            year_word_count(n)
        } else {
            cardinal_word_count(n)
        }
    } else {
        // Phone-style, or digits with separators: one word per digit.
        digit_count
    };

    base + prefix_words + suffix_words + usize::from(currency) + usize::from(percent)
}

/// "1,455" / "12,500,000" (commas every three digits, optional decimals).
fn is_thousands_grouped(numeric: &str) -> bool {
    let int_part = numeric.split_once('.').map_or(numeric, |(i, _)| i);
    let mut groups = int_part.split(',');
    let first = groups.next().unwrap_or("");
    let rest: Vec<&str> = groups.collect();
    !rest.is_empty()
        && (1..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_digit())
        && rest
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
}

/// "4.5", "19.99": one dot and the whole thing too short for a phone number.
fn decimal_parts(numeric: &str) -> Option<(&str, &str)> {
    let (int_part, frac) = numeric.split_once('.')?;
    let all_digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if frac.contains('.') || !all_digits(int_part) || !all_digits(frac) {
        return None;
    }
    // "555.1212" is a phone number written with a dot.
    if int_part.len() == 3 && frac.len() == 4 {
        return None;
    }
    Some((int_part, frac))
}

/// Words for the part after a decimal point: cents are said as a number
/// ("nineteen ninety-nine" or "... and 50 cents"), otherwise digit by digit
/// after "point".
fn fraction_words(frac: &str, currency: bool) -> usize {
    if frac.is_empty() {
        return 0;
    }
    if currency {
        // "... dollars and fifty cents".
        frac.parse::<u64>()
            .map(|c| {
                if c == 0 {
                    0
                } else {
                    cardinal_word_count(c) + 2
                }
            })
            .unwrap_or(0)
    } else {
        1 + frac.chars().filter(char::is_ascii_digit).count()
    }
}

/// Digits with no separators and no leading zero, short enough to be said
/// as a number ("200", "2025") rather than digit by digit.
fn is_plain_count(numeric: &str) -> bool {
    numeric.len() <= 6
        && numeric.chars().all(|c| c.is_ascii_digit())
        && (numeric == "0" || !numeric.starts_with('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Option<(u64, usize)> {
        let words: Vec<&str> = s.split_whitespace().collect();
        parse_number_words(&words)
    }

    #[test]
    fn reads_cardinals() {
        assert_eq!(parse("five"), Some((5, 1)));
        assert_eq!(parse("fifty five dollars"), Some((55, 2)));
        assert_eq!(parse("fifty-five dollars"), Some((55, 1)));
        assert_eq!(
            parse("one thousand four hundred fifty five dollars"),
            Some((1455, 6))
        );
        assert_eq!(parse("four hundred and fifty"), Some((450, 4)));
        assert_eq!(parse("two million three thousand"), Some((2_003_000, 4)));
        assert_eq!(parse("twelve hundred"), Some((1200, 2)));
        assert_eq!(parse("hello"), None);
        assert_eq!(parse("and five"), None);
    }

    #[test]
    fn reads_paired_forms() {
        assert_eq!(parse("fourteen fifty-five dollars"), Some((1455, 2)));
        assert_eq!(parse("twenty twenty five"), Some((2025, 3)));
        assert_eq!(parse("nineteen oh five"), Some((1905, 3)));
        assert_eq!(parse("ten thirty"), Some((1030, 2)));
    }

    #[test]
    fn digit_strings_are_not_one_cardinal() {
        // "five five five" is digits, not a number: the reader stops after one.
        assert_eq!(parse("five five five"), Some((5, 1)));
        assert_eq!(parse("double five"), None);
        assert_eq!(parse("oh five"), None);
    }

    #[test]
    fn counts_cardinal_words() {
        assert_eq!(cardinal_word_count(0), 1);
        assert_eq!(cardinal_word_count(7), 1);
        assert_eq!(cardinal_word_count(20), 1);
        assert_eq!(cardinal_word_count(55), 2);
        assert_eq!(cardinal_word_count(200), 2);
        assert_eq!(cardinal_word_count(455), 4);
        assert_eq!(cardinal_word_count(1455), 6);
        assert_eq!(cardinal_word_count(1_000_000), 2);
        assert_eq!(cardinal_word_count(12_500_000), 5);
    }

    #[test]
    fn extensions_short_as_a_number_long_digit_by_digit() {
        assert_eq!(extension_word_count("12"), 1);
        assert_eq!(extension_word_count("30"), 1);
        assert_eq!(extension_word_count("45"), 2);
        assert_eq!(extension_word_count("7"), 1);
        assert_eq!(extension_word_count("204"), 3);
        assert_eq!(extension_word_count("1100"), 4);
    }

    #[test]
    fn spoken_words_per_token() {
        let cases: &[(&str, usize)] = &[
            ("hello", 1),
            ("Sarah,", 1),
            ("—", 0),
            ("...", 0),
            (",", 0),
            ("555-0199", 7),
            ("555-0199.", 7),
            ("(555)", 3),
            ("555-212-3456,", 10),
            ("5552123456", 10),
            ("+1", 1),
            ("$1,455", 7),
            ("$1,455.50", 10),
            ("$20", 2),
            ("50%", 2),
            ("4:30", 2),
            ("4:05", 3),
            ("4:00", 1),
            ("4:30pm", 4),
            ("3pm", 3),
            ("23rd", 2),
            ("2025", 3),
            ("2005", 3),
            ("1999", 3),
            ("200", 2),
            ("15", 1),
            ("4.5", 3),
            ("x204", 4),
            ("x12", 2),
            ("ext30", 2),
            ("x7", 2),
            ("fifty-five", 2),
            ("follow-up", 1),
            ("0199", 4),
        ];
        for (token, want) in cases {
            assert_eq!(spoken_word_count(token), *want, "token {token:?}");
        }
    }
}
