//! Timing and phone-number analysis of a transcript (with word times when
//! the transcript came from audio).

pub mod align;
pub mod phone;
pub mod timing;

use crate::message::Message;
use serde::Serialize;

pub use phone::{PhoneMention, PhoneNumber};
pub use timing::Timing;

/// What the analysis found; the rules read this beside the [`Message`].
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Analysis {
    pub timing: Timing,
    pub phone_mentions: Vec<PhoneMention>,
    /// Mentions grouped by number, most said first.
    pub phone_numbers: Vec<PhoneNumber>,
}

/// Run every analysis on a message.
pub fn analyze(message: &Message) -> Analysis {
    let phone_mentions = phone::find_mentions(&message.transcript);
    let phone_numbers = phone::group(&phone_mentions);
    let timing = timing::analyze(&message.transcript, message.audio.as_ref());
    Analysis {
        timing,
        phone_mentions,
        phone_numbers,
    }
}
