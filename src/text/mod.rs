//! Text understanding without a network or a model: sentences, number
//! words, names, fillers.
pub(crate) mod fillers;
pub(crate) mod intro;
pub(crate) mod names;
pub mod numbers;
pub(crate) mod phrases;
pub(crate) mod tokens;

pub use tokens::{TextView, Token};
