//! Text understanding without a network or a model: sentences, number
//! words, names, fillers.
pub mod fillers;
pub mod intro;
pub mod names;
pub mod numbers;
pub mod phrases;
pub mod tokens;

pub use tokens::{TextView, Token};
