//! Flags shared by the commands that run the rules (`check`, `score`,
//! `record`): who the message is from and for, when it is left, which rules
//! run, and where `vmcoach.toml` is (flags win over the file); and, for the
//! two that hear a recording, where its words come from.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::config;
use crate::message::{Context, LeftAt, LeftAtSource};
use crate::pipeline::{WhisperModel, WordSource};
use crate::rules::{self, RuleConfig};
use crate::transcribe::whisper::AudioContext;
use crate::transcribe::TranscribeOptions;

/// Where a recording's words come from: Whisper, or a transcript file.
#[derive(Debug, Clone, clap::Args)]
pub struct WordArgs {
    /// Take the words and their times from this file instead of running
    /// Whisper: whisper.cpp's full JSON (`whisper-cli -ojf`) or vmcoach's own
    /// transcript JSON (also a `vmcoach score --json` report). One WAV only.
    #[arg(long, value_name = "FILE")]
    pub transcript: Option<PathBuf>,

    #[command(flatten)]
    pub whisper: WhisperArgs,
}

impl WordArgs {
    /// The word source, built once per run; a Whisper model is loaded when
    /// first needed and then serves every recording.
    pub fn source(&self) -> WordSource {
        match &self.transcript {
            Some(p) => WordSource::File(p.clone()),
            None => WordSource::Whisper(WhisperModel::new(self.whisper.options())),
        }
    }
}

/// Which Whisper model, and how it runs: the flags of every command that
/// transcribes (`score`, `record`, `compare`, `eval`).
#[derive(Debug, Clone, clap::Args)]
pub struct WhisperArgs {
    /// Whisper model file. Default: $VMCOACH_MODEL, then models/ggml-<name>.bin,
    /// then the cache folder (see `vmcoach models`).
    #[arg(long, value_name = "FILE")]
    pub model: Option<PathBuf>,

    /// Which model to look for when --model is not given.
    #[arg(long, value_name = "NAME", default_value = crate::transcribe::model::DEFAULT_MODEL)]
    pub model_name: String,

    /// Threads for Whisper (default: all cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,

    /// Beams for Whisper's decoding: 1 is greedy; 5 reads natural speech's
    /// phone numbers more often right, for about a third more time.
    #[arg(long, value_name = "N", default_value_t = crate::transcribe::whisper::DEFAULT_BEAM_SIZE,
          value_parser = clap::value_parser!(u8).range(1..=16))]
    pub beam_size: u8,

    /// Read each phone number in doubt (not a whole number, heard two ways,
    /// too short where a callback number goes) again: a few seconds of audio
    /// with beam search, taken only when clearly better.
    #[arg(long, value_name = "BOOL", default_value_t = true, action = clap::ArgAction::Set)]
    pub reread_numbers: bool,

    /// Whisper's encoder context: `full` (30 s, whatever the length) or
    /// `fit` (the recording and 2 s: about a quarter less encoder time on a
    /// 20 s message, but fewer phone numbers read right on the development
    /// set; README, "Speed"); `fit:MS` sets the margin in milliseconds.
    #[arg(long, value_name = "full|fit[:MS]", default_value = "full")]
    pub audio_context: AudioContext,

    /// Show whisper.cpp's own log.
    #[arg(short, long)]
    pub verbose: bool,
}

impl WhisperArgs {
    /// The transcription options these flags ask for.
    pub fn options(&self) -> TranscribeOptions {
        TranscribeOptions {
            model: self.model.clone(),
            model_name: self.model_name.clone(),
            threads: self.threads.unwrap_or(0),
            verbose: self.verbose,
            beam_size: self.beam_size,
            reread_numbers: self.reread_numbers,
            audio_context: self.audio_context,
        }
    }
}

/// Who the message is from and for, and when it is left.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ContextArgs {
    /// The prospect's name (else taken from the greeting, "Hi Sarah, …").
    #[arg(long, value_name = "NAME")]
    pub prospect: Option<String>,
    /// Your name.
    #[arg(long, value_name = "NAME")]
    pub caller: Option<String>,
    /// Your company.
    #[arg(long, value_name = "NAME")]
    pub company: Option<String>,
    /// Your callback number.
    #[arg(long, value_name = "NUMBER")]
    pub number: Option<String>,
    /// When the message is left, local time: 2026-11-23T07:15. Default: the
    /// recording's own creation time if its metadata has one, else unknown
    /// (VM301 is skipped: a practice take is not judged on the clock).
    #[arg(long, value_name = "TIME")]
    pub left_at: Option<String>,
}

impl ContextArgs {
    pub fn to_context(&self) -> Context {
        Context {
            prospect: self.prospect.clone(),
            caller: self.caller.clone(),
            company: self.company.clone(),
            number: self.number.clone(),
            left_at: self.left_at.as_ref().map(|t| LeftAt {
                local: t.clone(),
                source: LeftAtSource::Flag,
            }),
        }
    }
}

/// Context plus rule selection and the config file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RuleSettingsArgs {
    #[command(flatten)]
    pub context: ContextArgs,

    /// Only run rules whose code starts with one of these (e.g. VM2,VM301).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub select: Vec<String>,

    /// Never run rules whose code starts with one of these (e.g. VM215).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub ignore: Vec<String>,

    /// Read settings from this file instead of looking for vmcoach.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What the message asks for: "callback" (default) or "email" — for
    /// teams that point prospects to an email instead of asking for a call
    /// back (the callback-number rules are skipped).
    #[arg(long, value_name = "PROFILE", value_parser = rules::Profile::NAMES)]
    pub profile: Option<String>,
}

impl RuleSettingsArgs {
    /// Validate the flags, read `vmcoach.toml`, and merge the two.
    pub fn resolve(&self) -> anyhow::Result<(Context, RuleConfig)> {
        if let Some(n) = &self.context.number {
            config::check_number(n).map_err(|m| anyhow::anyhow!("--number: {m}"))?;
        }
        if let Some(t) = &self.context.left_at {
            config::check_left_at(t).map_err(|m| anyhow::anyhow!("--left-at: {m}"))?;
        }
        let file = config::load(self.config.as_deref())?;
        let (ctx, mut rules) = config::merge(file.as_ref(), self.context.to_context());
        if let Some(p) = self.profile.as_deref().and_then(rules::Profile::parse) {
            rules.profile = p;
        }
        // A flag given replaces the file's list.
        for (flag, given, list) in [
            ("--select", &self.select, &mut rules.select),
            ("--ignore", &self.ignore, &mut rules.ignore),
        ] {
            if !given.is_empty() {
                *list = given
                    .iter()
                    .map(|s| rules::parse_selector(s))
                    .collect::<Result<_, _>>()
                    .context(flag)?;
            }
        }
        Ok((ctx, rules))
    }
}
