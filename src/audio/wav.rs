//! Loading WAV files of any common PCM encoding into mono f32.
