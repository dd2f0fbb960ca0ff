//! The practice history: every scored take, kept in a local SQLite
//! database so a rep can see whether they are improving (`vmcoach history`)
//! and put two takes side by side (`vmcoach compare`).
//!
//! The database is `history.sqlite3` in the user's data folder
//! (`~/.local/share/vmcoach/` on Linux), or in `$VMCOACH_DATA_DIR` when set
//! (the tests set it, so they never touch the real one). It holds figures,
//! finding codes and the transcript text — no audio.
//!
//! A killed process never leaves it unreadable: SQLite's write-ahead log
//! plus one transaction per take means a write either lands whole or not at
//! all. The schema's version is SQLite's `user_version`; [`MIGRATIONS`]
//! brings an older file up to date, one transaction per step.

pub mod compare;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::report::Report;
use crate::rules::Severity;

/// The database's file name inside the data folder.
pub const FILE_NAME: &str = "history.sqlite3";
/// The variable that moves the data folder (tests, portable installs).
pub const DATA_DIR_ENV: &str = "VMCOACH_DATA_DIR";
/// Test hook: milliseconds to wait inside the write transaction, after the
/// row is inserted and before it is committed, so a test can kill the
/// process mid-write. Not for users; never set outside tests.
pub const TEST_PAUSE_ENV: &str = "VMCOACH_TEST_HISTORY_WRITE_PAUSE_MS";

/// Schema steps: `MIGRATIONS[i]` takes `user_version` i to i + 1.
const MIGRATIONS: &[&str] = &["
    CREATE TABLE takes (
        id                INTEGER PRIMARY KEY AUTOINCREMENT,
        file              TEXT    NOT NULL,
        sha256            TEXT    NOT NULL,
        scored_at         TEXT    NOT NULL, -- UTC, RFC 3339
        score             INTEGER NOT NULL,
        duration          REAL,             -- the recording, seconds
        speech            REAL,             -- first word to last, seconds
        wpm               REAL,
        number_count      INTEGER NOT NULL, -- times the callback number was said
        digits_per_second REAL,             -- its fastest mention
        findings          TEXT    NOT NULL, -- JSON [{code, name, severity}]
        transcript        TEXT    NOT NULL
    );
    CREATE INDEX takes_sha256 ON takes (sha256);
"];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the history could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("no data folder for the practice history (set {DATA_DIR_ENV})")]
    NoDataDir,
    #[error("cannot create the data folder {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("practice history {}: {source}", path.display())]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "practice history {} was written by a newer vmcoach (schema {found}, this one knows {SCHEMA_VERSION})",
        path.display()
    )]
    NewerSchema { path: PathBuf, found: i64 },
    #[error("cannot read {} to fingerprint it: {source}", path.display())]
    Hash {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A finding, as the history keeps it: which rule, at what severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingCode {
    pub code: String,
    pub name: String,
    pub severity: Severity,
}

/// The figures a take is judged and compared by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TakeFigures {
    pub score: u32,
    /// Length of the recording, seconds.
    pub duration: Option<f64>,
    /// First word to last word, seconds.
    pub speech: Option<f64>,
    pub words_per_minute: Option<f64>,
    /// Times the callback number (the one said most) was said.
    pub number_count: usize,
    /// Digits per second of that number's fastest mention.
    pub digits_per_second: Option<f64>,
    /// One entry per rule that fired, at its worst severity, by code.
    pub findings: Vec<FindingCode>,
}

impl TakeFigures {
    pub fn of(report: &Report) -> Self {
        let number = report.phone_numbers.first();
        let digits_per_second = number.and_then(|n| {
            n.mentions
                .iter()
                .filter_map(|&i| report.phone_mentions.get(i)?.digits_per_second)
                .reduce(f64::max)
        });
        let mut findings: Vec<FindingCode> = Vec::new();
        for f in &report.findings {
            match findings.iter_mut().find(|c| c.code == f.code) {
                Some(c) => c.severity = c.severity.max(f.severity),
                None => findings.push(FindingCode {
                    code: f.code.to_string(),
                    name: f.name.to_string(),
                    severity: f.severity,
                }),
            }
        }
        findings.sort_by(|a, b| a.code.cmp(&b.code));
        TakeFigures {
            score: report.score.value,
            duration: report
                .audio
                .as_ref()
                .map(|a| a.duration)
                .or(report.timing.duration),
            speech: report.timing.speech.map(|s| s.duration()),
            words_per_minute: report.timing.words_per_minute,
            number_count: number.map_or(0, |n| n.count),
            digits_per_second,
            findings,
        }
    }
}

/// One take in the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Take {
    pub id: i64,
    /// The path as it was given when scored.
    pub file: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
    /// When it was scored, UTC, RFC 3339.
    pub scored_at: String,
    #[serde(flatten)]
    pub figures: TakeFigures,
    pub transcript: String,
}

/// The practice history database.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

/// The data folder: `$VMCOACH_DATA_DIR`, else the user's data folder.
pub fn data_dir() -> Result<PathBuf, HistoryError> {
    if let Some(d) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(d));
    }
    directories::ProjectDirs::from("", "", "vmcoach")
        .map(|d| d.data_dir().to_path_buf())
        .ok_or(HistoryError::NoDataDir)
}

/// Where the history database is (or would be).
pub fn default_path() -> Result<PathBuf, HistoryError> {
    Ok(data_dir()?.join(FILE_NAME))
}

/// SHA-256 of a file's bytes, hex: the same take under another name is the same take.
pub fn file_sha256(path: &Path) -> Result<String, HistoryError> {
    let err = |source| HistoryError::Hash {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(err)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

impl History {
    /// Open (creating if needed) the database in the data folder.
    pub fn open_default() -> Result<Self, HistoryError> {
        let dir = data_dir()?;
        std::fs::create_dir_all(&dir).map_err(|source| HistoryError::CreateDir {
            path: dir.clone(),
            source,
        })?;
        Self::open(&dir.join(FILE_NAME))
    }

    /// Open (creating if needed) the database at `path` and bring its schema up to date.
    pub fn open(path: &Path) -> Result<Self, HistoryError> {
        let sql = |source| HistoryError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        // Another vmcoach writing at the same moment waits, not fails.
        conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
        // The write-ahead log: a writer killed mid-transaction leaves the
        // main file untouched and its partial log ignored.
        let _mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(sql)?;
        migrate(&mut conn, path)?;
        Ok(History {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn sql(&self, source: rusqlite::Error) -> HistoryError {
        HistoryError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Log a scored take; returns its id.
    pub fn add(
        &mut self,
        file: &str,
        sha256: &str,
        figures: &TakeFigures,
        transcript: &str,
    ) -> Result<i64, HistoryError> {
        let scored_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        // Serialising plain strings and an enum cannot fail.
        let findings = serde_json::to_string(&figures.findings).unwrap_or_else(|_| "[]".into());
        let path = self.path.clone();
        let sql = |source| HistoryError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(sql)?;
        tx.execute(
            "INSERT INTO takes (file, sha256, scored_at, score, duration, speech, wpm,
                                number_count, digits_per_second, findings, transcript)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                file,
                sha256,
                scored_at,
                figures.score,
                figures.duration,
                figures.speech,
                figures.words_per_minute,
                figures.number_count as i64,
                figures.digits_per_second,
                findings,
                transcript,
            ],
        )
        .map_err(sql)?;
        let id = tx.last_insert_rowid();
        test_pause();
        tx.commit().map_err(sql)?;
        Ok(id)
    }

    /// The latest `limit` takes (all when `None`), oldest first.
    pub fn list(&self, limit: Option<usize>) -> Result<Vec<Take>, HistoryError> {
        let limit = limit.map_or(-1, |n| n as i64);
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT * FROM (SELECT {COLUMNS} FROM takes ORDER BY id DESC LIMIT ?1) ORDER BY id"
            ))
            .map_err(|e| self.sql(e))?;
        let rows = stmt
            .query_map([limit], take_from_row)
            .map_err(|e| self.sql(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.sql(e))
    }

    /// The take with this id.
    pub fn get(&self, id: i64) -> Result<Option<Take>, HistoryError> {
        self.conn
            .query_row(
                &format!("SELECT {COLUMNS} FROM takes WHERE id = ?1"),
                [id],
                take_from_row,
            )
            .optional()
            .map_err(|e| self.sql(e))
    }

    /// How many takes are logged.
    pub fn count(&self) -> Result<i64, HistoryError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM takes", [], |r| r.get(0))
            .map_err(|e| self.sql(e))
    }
}

const COLUMNS: &str = "id, file, sha256, scored_at, score, duration, speech, wpm, \
                       number_count, digits_per_second, findings, transcript";

fn take_from_row(r: &rusqlite::Row) -> rusqlite::Result<Take> {
    let findings: String = r.get(10)?;
    let number_count: i64 = r.get(8)?;
    Ok(Take {
        id: r.get(0)?,
        file: r.get(1)?,
        sha256: r.get(2)?,
        scored_at: r.get(3)?,
        figures: TakeFigures {
            score: r.get(4)?,
            duration: r.get(5)?,
            speech: r.get(6)?,
            words_per_minute: r.get(7)?,
            number_count: usize::try_from(number_count).unwrap_or(0),
            digits_per_second: r.get(9)?,
            // A row this build cannot read keeps its figures; its codes are lost.
            findings: serde_json::from_str(&findings).unwrap_or_default(),
        },
        transcript: r.get(11)?,
    })
}

/// Bring the schema up to `SCHEMA_VERSION`, one transaction per step, so
/// a migration cut short leaves the previous version intact.
fn migrate(conn: &mut Connection, path: &Path) -> Result<(), HistoryError> {
    let sql = |source| HistoryError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let found: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql)?;
    if found > SCHEMA_VERSION {
        return Err(HistoryError::NewerSchema {
            path: path.to_path_buf(),
            found,
        });
    }
    for (step, ddl) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction().map_err(sql)?;
        tx.execute_batch(ddl).map_err(sql)?;
        tx.pragma_update(None, "user_version", step as i64 + 1)
            .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(())
}

fn test_pause() {
    let Some(ms) = std::env::var(TEST_PAUSE_ENV)
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("vmcoach: test hook: pausing {ms} ms inside the history write");
    std::thread::sleep(Duration::from_millis(ms));
}

/// Log a scored recording: fingerprint the file and add the take.
pub fn log_report(
    history: &mut History,
    path: &Path,
    report: &Report,
) -> Result<i64, HistoryError> {
    let sha = file_sha256(path)?;
    history.add(
        &path.display().to_string(),
        &sha,
        &TakeFigures::of(report),
        &report.transcript.text,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures(score: u32) -> TakeFigures {
        TakeFigures {
            score,
            duration: Some(18.0),
            speech: Some(16.5),
            words_per_minute: Some(150.0),
            number_count: 2,
            digits_per_second: Some(2.1),
            findings: vec![FindingCode {
                code: "VM209".into(),
                name: "no-next-call-time".into(),
                severity: Severity::Warning,
            }],
        }
    }

    #[test]
    fn takes_round_trip_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut h = History::open(&path).unwrap();
        let a = h.add("a.wav", "aa", &figures(60), "Hi Sarah").unwrap();
        let b = h.add("b.wav", "bb", &figures(84), "Hi again").unwrap();
        assert!(b > a);
        drop(h);
        let h = History::open(&path).unwrap();
        let all = h.list(None).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].file, "a.wav");
        assert_eq!(all[1].figures, figures(84));
        assert_eq!(h.list(Some(1)).unwrap()[0].id, b);
        assert_eq!(h.get(a).unwrap().unwrap().transcript, "Hi Sarah");
        assert!(h.get(999).unwrap().is_none());
    }

    #[test]
    fn schema_version_is_set_and_a_newer_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        drop(History::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let v: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        let err = History::open(&path).err().unwrap().to_string();
        assert!(err.contains("newer vmcoach"), "{err}");
    }

    #[test]
    fn hash_is_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(
            file_sha256(&p).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
