//! Text understanding without a network or a model: sentences, number
//! words, names, fillers.
pub(crate) mod fillers;
pub(crate) mod intro;
pub(crate) mod names;
pub mod numbers;
pub(crate) mod phrases;
pub(crate) mod tokens;

pub use tokens::{unpunctuated, TextView, Token};

/// "once", "twice", "3 times": a count as a rep reads it (never "1 times").
pub fn times(n: usize) -> String {
    match n {
        1 => "once".to_string(),
        2 => "twice".to_string(),
        n => format!("{n} times"),
    }
}

#[cfg(test)]
mod times_tests {
    #[test]
    fn counts_read_as_words() {
        assert_eq!(super::times(0), "0 times");
        assert_eq!(super::times(1), "once");
        assert_eq!(super::times(2), "twice");
        assert_eq!(super::times(7), "7 times");
    }
}
