//! What a number is once its digits are known: whether a listener could
//! dial it, when two digit strings are the same number (exactly, as
//! RULES.md says, or forgiving one misheard digit), how it is shown, and
//! reading the rep's own number from a flag or the config file.
//!
//! Every other module asks here; none compares or formats digits itself.

use super::{MAX_DIGITS, MIN_DIGITS};

/// Fewest digits (without a country code 1) for two numbers to be matched
/// forgivingly: on a 10-digit number one misheard digit still leaves nine
/// right, while two 7-digit numbers one digit apart are as likely two lines.
const FORGIVING_MIN_DIGITS: usize = 9;

/// The number without a leading country code 1 ("15552123456" → "5552123456").
pub fn national(digits: &str) -> &str {
    if digits.len() == 11 {
        digits.strip_prefix('1').unwrap_or(digits)
    } else {
        digits
    }
}

/// A whole North American number: 7 digits (local), 10 (with area code)
/// or 11 (with the country code 1); area codes and exchanges start with 2–9.
pub fn is_north_american(digits: &str) -> bool {
    let national = match digits.len() {
        7 | 10 => digits,
        11 => match digits.strip_prefix('1') {
            Some(rest) => rest,
            None => return false,
        },
        _ => return false,
    };
    national.starts_with(['2', '3', '4', '5', '6', '7', '8', '9'])
}

/// Could a listener dial it as heard? A North American number, or an
/// international one written with its "+" (11 to 15 digits). Anything else
/// that is long enough to be a number — 8 or 9 digits, 10 starting with 0 or
/// 1, 12 without a "+" — is a number heard wrong or cut short.
pub fn is_whole(digits: &str, plus: bool) -> bool {
    is_north_american(digits) || (plus && (11..=MAX_DIGITS).contains(&digits.len()))
}

/// One digit off a North American number: 9 digits, or 11 that do not
/// start with the country code 1 — how Whisper writes a 10-digit number
/// it heard with one digit lost ("double five five" as "55") or doubled.
/// Said once, such a run is a number that could not be made out; said
/// twice the same way, it is the rep's number heard consistently wrong
/// (see [`super::grouping::callback`]).
pub fn one_digit_off_whole(digits: &str) -> bool {
    digits.bytes().all(|b| b.is_ascii_digit())
        && match digits.len() {
            9 => true,
            11 => !digits.starts_with('1'),
            _ => false,
        }
}

/// The same number, as RULES.md defines it: the same digits ignoring a
/// leading country code 1, or a 7-digit mention that is the tail of a
/// 10-digit one.
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (national(a), national(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b
        || (a.len() == 7 && b.len() == 10 && b.ends_with(a))
        || (b.len() == 7 && a.len() == 10 && a.ends_with(b))
}

/// The same number, or the same number with one digit missing, added or
/// changed when both have at least nine digits: Whisper drops or mishears a
/// digit ("305-55-1114" for 305-555-1114, "512-555-1191" for 512-555-0191),
/// and a rep who says the number twice said one number.
pub fn near_number(a: &str, b: &str) -> bool {
    if same_number(a, b) {
        return true;
    }
    let (a, b) = (national(a), national(b));
    a.len().min(b.len()) >= FORGIVING_MIN_DIGITS && one_edit_apart(a.as_bytes(), b.as_bytes())
}

/// At most one insertion, deletion or substitution between `a` and `b`.
fn one_edit_apart(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        // One substitution: everything after the first difference matches.
        short.get(prefix + 1..) == long.get(prefix + 1..)
    } else {
        // One deletion: skip a digit of the longer at the first difference.
        short.get(prefix..) == long.get(prefix + 1..)
    }
}

/// A number as it is shown everywhere — terminal, HTML, findings:
/// 555-212-3456, 555-1212, 1-555-212-3456. A number heard with a digit
/// missing keeps the same grouping as far as it goes (775-301-441), so two
/// forms of one number line up when shown side by side.
pub fn format_number(digits: &str) -> String {
    let d: String = digits.chars().filter(char::is_ascii_digit).collect();
    if d.len() == 11 && d.starts_with('1') {
        return format!("1-{}", format_number(&d[1..]));
    }
    match d.len() {
        0..=6 => d,
        7 => format!("{}-{}", &d[..3], &d[3..]),
        _ => format!("{}-{}-{}", &d[..3], &d[3..6], &d[6..]),
    }
}

/// Read the rep's own number (`--number`, `number` in vmcoach.toml): phone
/// punctuation only, with an optional extension ("x204", "ext. 204"), and
/// 7 to 15 digits before it. Returns the digits without the extension.
pub fn parse_given(n: &str) -> Result<String, String> {
    let bad = || {
        format!("`{n}` is not a phone number (give {MIN_DIGITS} to {MAX_DIGITS} digits, e.g. 555-212-3456)")
    };
    let lower = n.to_ascii_lowercase();
    let number = ["extension", "ext.", "ext", "x"]
        .iter()
        .find_map(|marker| {
            let at = lower.find(marker)?;
            let ext = lower[at + marker.len()..].trim();
            (!ext.is_empty() && ext.chars().all(|c| c.is_ascii_digit())).then(|| &n[..at])
        })
        .unwrap_or(n);
    let clean = number
        .chars()
        .all(|c| c.is_ascii_digit() || " -+().".contains(c));
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if clean && (MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
        Ok(digits)
    } else {
        Err(bad())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_digit_tail_is_the_same_number() {
        assert!(same_number("2123456", "15552123456"));
        assert!(!same_number("2123457", "5552123456"));
    }

    #[test]
    fn one_edit() {
        assert!(one_edit_apart(b"7753014418", b"775301441"));
        assert!(one_edit_apart(b"7753014418", b"7753014413"));
        assert!(one_edit_apart(b"305551114", b"3055551114"));
        assert!(!one_edit_apart(b"7753014418", b"7753014431"));
        assert!(!one_edit_apart(b"7753014418", b"77530144"));
        assert!(one_edit_apart(b"", b"1"));
    }

    #[test]
    fn near_needs_nine_digits() {
        assert!(near_number("7753014418", "775301441"));
        assert!(near_number("17753014418", "775301441"));
        assert!(!near_number("5551212", "5551213"));
        assert!(!near_number("55512123", "5551212"));
    }

    #[test]
    fn formats() {
        assert_eq!(format_number("5552123456"), "555-212-3456");
        assert_eq!(format_number("15552123456"), "1-555-212-3456");
        assert_eq!(format_number("5551212"), "555-1212");
        assert_eq!(format_number("415555013"), "415-555-013");
        assert_eq!(format_number("(555) 212-3456"), "555-212-3456");
        assert_eq!(format_number("12345"), "12345");
    }

    #[test]
    fn given_numbers() {
        assert_eq!(parse_given("(555) 212-3456").as_deref(), Ok("5552123456"));
        assert_eq!(
            parse_given("555-212-3456 x204").as_deref(),
            Ok("5552123456")
        );
        assert_eq!(
            parse_given("555-212-3456 ext. 12").as_deref(),
            Ok("5552123456")
        );
        assert_eq!(
            parse_given("+44 20 7946 0958").as_deref(),
            Ok("442079460958")
        );
        assert!(parse_given("555-12").is_err());
        assert!(parse_given("call me").is_err());
        assert!(parse_given("1234567890123456").is_err());
    }
}
