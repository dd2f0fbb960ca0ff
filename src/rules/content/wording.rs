//! VM211 filler-words and VM212 weak-close: words that make the caller sound unsure.

use super::super::Evidence;
use super::super::{declare_rule, examples, lexicon, CheckInput, Finding, Rule};
use super::{dedupe, quote};
use crate::analyze::fillers::Witness;
use crate::message::{TextRange, TimeRange};
use crate::text::fillers::find_fillers;

declare_rule!(FillerWords, "VM211", "filler-words", Warning, Text);
declare_rule!(WeakClose, "VM212", "weak-close", Warning, Text);

impl Rule for FillerWords {
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
        // The audio's witness: um/uh the transcript left out (issue 16).
        for f in input
            .analysis
            .fillers
            .iter()
            .filter(|f| f.witness == Witness::Audio)
        {
            let at = f
                .time
                .map(|t| format!(" at {:.1} s", t.start))
                .unwrap_or_default();
            out.push(
                Finding::new(
                    &Self::META,
                    format!(
                        "Filler \"{}\"{at} (heard in the audio, not in the transcript).",
                        f.kind
                    ),
                    format!(
                        "Script the line and pause silently where you'd say \"{}\".",
                        f.kind
                    ),
                )
                .evidence(Some(Evidence {
                    text: f.kind.clone(),
                    span: insertion_point(input, f.time),
                    time: f.time,
                })),
            );
        }
    }
}

/// An audio filler has no words: its evidence points at the empty stretch
/// of text where it was said, before the first word that starts after it.
fn insertion_point(input: &CheckInput, time: Option<TimeRange>) -> TextRange {
    let t = &input.message.transcript;
    let at = time
        .and_then(|time| {
            t.words
                .iter()
                .find(|w| w.time.is_some_and(|wt| wt.start >= time.start))
        })
        .map_or(t.text.len(), |w| w.span.start);
    TextRange { start: at, end: at }
}

impl Rule for WeakClose {
    /// VM212
    fn check(&self, input: &CheckInput, out: &mut Vec<Finding>) {
        for m in dedupe(lexicon::weak_close().find_all(input.text)) {
            let (q, e) = quote(input, m.tokens);
            out.push(
                Finding::new(
                    &Self::META,
                    format!("\"{q}\" sounds unsure and gives them a reason not to call."),
                    format!(
                        "Close with a plan: \"I'll try you Thursday at 10; if sooner suits, my number is {}.\"",
                        examples::number(input)
                    ),
                )
                .evidence(e),
            );
        }
    }
}
