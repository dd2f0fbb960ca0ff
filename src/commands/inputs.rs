//! Which files a command was given: paths as typed, folders searched for
//! every format `audio::open` reads (and the rest listed as skipped, with
//! why), and a unique, safe output name for each input when reports are
//! written into a folder.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};

use crate::audio::source::{is_supported_extension, EXTENSIONS};
use crate::report::escape;

/// One input: the name to show, and the path or why it cannot be used (a
/// batch reports it and goes on).
pub type Entry = (String, Result<PathBuf, String>);

/// What the paths expanded to.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<Entry>,
    /// Files found in folders and not read: (name shown, why).
    pub skipped: Vec<(String, String)>,
}

/// Expand files and folders (searched recursively, sorted by name).
pub fn expand(paths: &[PathBuf]) -> anyhow::Result<Inputs> {
    let mut out = Inputs::default();
    for p in paths {
        let meta = fs::metadata(p).with_context(|| {
            format!("cannot open {}", escape::terminal(&p.display().to_string()))
        })?;
        if meta.is_dir() {
            let before = out.files.len();
            let skipped_before = out.skipped.len();
            walk(p, &mut out).with_context(|| {
                format!(
                    "cannot read folder {}",
                    escape::terminal(&p.display().to_string())
                )
            })?;
            if out.files.len() == before {
                let skipped = out.skipped.len() - skipped_before;
                bail!(
                    "no audio files in {} ({} other file(s) skipped; vmcoach reads .{})",
                    escape::terminal(&p.display().to_string()),
                    skipped,
                    EXTENSIONS.join(", .")
                );
            }
        } else {
            out.files.push((p.display().to_string(), Ok(p.clone())));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Inputs) -> std::io::Result<()> {
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect();
    entries.sort_by_key(|e| e.as_ref().map(|e| e.file_name()).ok());
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.files.push((
                    dir.display().to_string(),
                    Err(format!("cannot read an entry of {}: {e}", dir.display())),
                ));
                continue;
            }
        };
        let path = entry.path();
        let shown = path.display().to_string();
        // Hidden files (.DS_Store, editor backups) are nobody's voicemail.
        let hidden = entry.file_name().as_encoded_bytes().first() == Some(&b'.');
        let ext = path.extension().and_then(OsStr::to_str);
        let supported = ext.is_some_and(is_supported_extension);
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                if !hidden {
                    walk(&path, out)?;
                }
            }
            Ok(_) if supported => out.files.push((shown, Ok(path))),
            Ok(_) if hidden => {}
            Ok(_) => out.skipped.push((
                shown,
                match ext {
                    Some(e) => format!("not an audio type vmcoach reads (.{e})"),
                    None => "no file name ending to say it is audio".into(),
                },
            )),
            Err(e) if supported => {
                out.files
                    .push((shown.clone(), Err(format!("cannot open {shown}: {e}"))));
            }
            Err(e) => out.skipped.push((shown, format!("cannot open: {e}"))),
        }
    }
    Ok(())
}

/// Picks one output file name per input inside an output folder: never
/// the same name twice (two `msg.wav` in different folders become
/// `a-msg.html` and `b-msg.html`), never a path outside the folder (the
/// name is one plain component), never an input's own path.
pub struct OutputNames {
    dir: PathBuf,
    used: HashSet<String>,
    inputs: HashSet<PathBuf>,
}

impl OutputNames {
    /// `inputs` are reserved: no output may replace one of them.
    pub fn new(dir: &Path, inputs: &[Entry]) -> Self {
        let inputs = inputs
            .iter()
            .filter_map(|(_, p)| p.as_ref().ok())
            .map(|p| fs::canonicalize(p).unwrap_or_else(|_| p.clone()))
            .collect();
        Self {
            dir: dir.to_path_buf(),
            used: HashSet::new(),
            inputs,
        }
    }

    /// Keep `name` (e.g. "index.html") from being given to a recording.
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_lowercase());
    }

    /// The output path for `input` with extension `ext` (e.g. "html").
    /// `all` is every input of the batch, to tell where names collide.
    pub fn name_for(&mut self, input: &Path, all_stems_collide: bool, ext: &str) -> PathBuf {
        let stem = safe_component(
            &input
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "report".into()),
        );
        // Where stems collide, the parent folder's name tells them apart.
        let first = if all_stems_collide {
            let parent = input
                .parent()
                .and_then(Path::file_name)
                .map(|s| safe_component(&s.to_string_lossy()));
            match parent {
                Some(p) if !p.is_empty() => format!("{p}-{stem}"),
                _ => stem.clone(),
            }
        } else {
            stem.clone()
        };
        let mut n = 1;
        loop {
            let name = if n == 1 {
                format!("{first}.{ext}")
            } else {
                format!("{first}-{n}.{ext}")
            };
            let path = self.dir.join(&name);
            let is_input = self
                .inputs
                .contains(&fs::canonicalize(&path).unwrap_or_else(|_| path.clone()));
            if !is_input && self.used.insert(name.to_lowercase()) {
                return path;
            }
            n += 1;
        }
    }
}

/// Stems that appear more than once in a batch.
pub fn colliding_stems(files: &[Entry]) -> HashSet<String> {
    let mut seen = HashSet::new();
    let mut twice = HashSet::new();
    for (_, p) in files {
        if let Ok(p) = p {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            if !seen.insert(stem.clone()) {
                twice.insert(stem);
            }
        }
    }
    twice
}

/// One file name component that is safe on every file system and in a
/// terminal: no separators, no control or bidi characters, no leading dot,
/// at most 100 characters.
pub fn safe_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_control()
                || escape::is_bidi_control(c)
                || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
            {
                '_'
            } else {
                c
            }
        })
        .take(100)
        .collect();
    while out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.trim().is_empty() {
        out = "report".into();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_one_safe_component() {
        assert_eq!(safe_component("../../etc/passwd"), "_._.._etc_passwd");
        assert_eq!(safe_component("a\nb\u{1b}[31m"), "a_b_[31m");
        assert_eq!(safe_component("x\u{202e}gpj.exe"), "x_gpj.exe");
        assert_eq!(safe_component(".hidden"), "_hidden");
        assert_eq!(safe_component(""), "report");
        assert_eq!(safe_component(&"x".repeat(300)).len(), 100);
    }

    #[test]
    fn colliding_names_get_their_folder_and_then_a_number() {
        let dir = Path::new("/tmp/out");
        let mut names = OutputNames::new(dir, &[]);
        let a = names.name_for(Path::new("dup/a/msg.wav"), true, "html");
        let b = names.name_for(Path::new("dup/b/msg.wav"), true, "html");
        let c = names.name_for(Path::new("other/a/msg.wav"), true, "html");
        assert_eq!(a, dir.join("a-msg.html"));
        assert_eq!(b, dir.join("b-msg.html"));
        assert_eq!(c, dir.join("a-msg-2.html"));
    }
}
