//! Text understanding without a network or a model: sentences, number
//! words, names, fillers.
pub mod numbers;
