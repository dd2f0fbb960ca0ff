//! Reading a CTranslate2 model file (`model.bin`, as faster-whisper uses):
//! its header and the place of every variable, never the weights themselves.
//!
//! ```text
//! u32 binary version | string spec name | u32 spec revision
//! u32 n_variables, each: string name, u8 rank, rank × u32 dims,
//!                        u8 dtype, u32 n_bytes, n_bytes of data
//! u32 n_aliases, each: string alias, string variable name
//! ```
//!
//! A string is a u16 length (counting a trailing NUL) then the bytes. All
//! integers are little-endian. (CTranslate2's `models.cc`, binary versions
//! 4–6.) The file comes from strangers, so every count is checked against the
//! bytes actually left before anything is read or allocated: a header that
//! claims 4 GB of data in a 1 kB file is an error, not a 4 GB allocation.

use std::io::{self, Cursor, Read, Seek};

/// Binary versions whose layout this reader knows (dtype id and byte count per
/// variable, aliases at the end).
pub const VERSIONS: std::ops::RangeInclusive<u32> = 4..=6;
/// More variables or aliases than any real model has (Whisper large: ~1,300).
const MAX_ENTRIES: u32 = 100_000;
/// Values up to this size are kept with the header (scalars like `num_heads`).
const SMALL_VALUE: u64 = 16;

/// The element types of CTranslate2 (`DataType` in its `types.h`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ct2Type {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl Ct2Type {
    fn from_id(id: u8) -> Option<Self> {
        Some(match id {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    pub fn size(self) -> u64 {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::F32 => "float32",
            Self::I8 => "int8",
            Self::I16 => "int16",
            Self::I32 => "int32",
            Self::F16 => "float16",
            Self::Bf16 => "bfloat16",
        }
    }
}

/// One variable: where its data is, not the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    pub name: String,
    pub shape: Vec<u32>,
    pub dtype: Ct2Type,
    /// Offset of the data from the start of the file.
    pub offset: u64,
    pub n_bytes: u64,
    /// The data, when it is at most a few bytes (scalars).
    pub small: Option<Vec<u8>>,
}

impl Variable {
    /// A scalar integer variable's value (`num_heads`, …).
    pub fn scalar_int(&self) -> Option<i64> {
        let b = self.small.as_deref()?;
        Some(match (self.dtype, b.len()) {
            (Ct2Type::I8, 1) => i64::from(b[0] as i8),
            (Ct2Type::I16, 2) => i64::from(i16::from_le_bytes([b[0], b[1]])),
            (Ct2Type::I32, 4) => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            _ => return None,
        })
    }
}

/// The header of a CTranslate2 model file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ct2Header {
    pub version: u32,
    /// e.g. "WhisperSpec".
    pub spec: String,
    pub revision: u32,
    pub variables: Vec<Variable>,
    pub aliases: Vec<(String, String)>,
    /// Length of the file the header was read from.
    pub len: u64,
}

impl Ct2Header {
    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }
}

/// Why a file is not a readable CTranslate2 model.
#[derive(Debug, thiserror::Error)]
pub enum Ct2Error {
    #[error("cannot read it: {0}")]
    Io(#[from] io::Error),
    #[error("it is not a CTranslate2 model ({0})")]
    NotCt2(String),
    #[error("it is truncated: {what} needs {needed} bytes at offset {offset}, but only {len} bytes are there")]
    Truncated {
        what: String,
        offset: u64,
        needed: u64,
        len: u64,
    },
    #[error("it is corrupt: {0}")]
    Corrupt(String),
}

/// Parse a header held in memory (the fuzzing entry point).
pub fn parse_header(bytes: &[u8]) -> Result<Ct2Header, Ct2Error> {
    read_header(&mut Cursor::new(bytes), bytes.len() as u64)
}

/// Read the header from `r`, a file of `len` bytes positioned at its start.
/// Variable data is skipped with `seek`, never read (except a few bytes of
/// scalars).
pub fn read_header<R: Read + Seek>(r: &mut R, len: u64) -> Result<Ct2Header, Ct2Error> {
    let mut h = HeaderReader { r, pos: 0, len };
    let version = h.u32("the format version")?;
    if !VERSIONS.contains(&version) {
        return Err(if version == 0 || version > 1000 {
            Ct2Error::NotCt2(format!("it starts with {version:#010x}"))
        } else {
            Ct2Error::NotCt2(format!(
                "format version {version}; versions {} to {} are supported",
                VERSIONS.start(),
                VERSIONS.end()
            ))
        });
    }
    let spec = h.string("the model spec name")?;
    let revision = h.u32("the spec revision")?;
    let n_vars = h.u32("the variable count")?;
    if n_vars > MAX_ENTRIES {
        return Err(Ct2Error::Corrupt(format!("it claims {n_vars} variables")));
    }
    // Grown as records are read, never sized from the count.
    let mut variables = Vec::new();
    for i in 0..n_vars {
        variables.push(h.variable(i)?);
    }
    let n_aliases = h.u32("the alias count")?;
    if n_aliases > MAX_ENTRIES {
        return Err(Ct2Error::Corrupt(format!("it claims {n_aliases} aliases")));
    }
    let mut aliases = Vec::new();
    for _ in 0..n_aliases {
        let alias = h.string("an alias")?;
        let target = h.string("an alias")?;
        aliases.push((alias, target));
    }
    Ok(Ct2Header {
        version,
        spec,
        revision,
        variables,
        aliases,
        len,
    })
}

struct HeaderReader<'a, R> {
    r: &'a mut R,
    pos: u64,
    len: u64,
}

impl<R: Read + Seek> HeaderReader<'_, R> {
    fn need(&self, n: u64, what: &str) -> Result<(), Ct2Error> {
        if self.pos.checked_add(n).is_none_or(|end| end > self.len) {
            return Err(Ct2Error::Truncated {
                what: what.to_string(),
                offset: self.pos,
                needed: n,
                len: self.len,
            });
        }
        Ok(())
    }

    fn fill(&mut self, buf: &mut [u8], what: &str) -> Result<(), Ct2Error> {
        self.need(buf.len() as u64, what)?;
        self.r.read_exact(buf)?;
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn u8(&mut self, what: &str) -> Result<u8, Ct2Error> {
        let mut b = [0u8; 1];
        self.fill(&mut b, what)?;
        Ok(b[0])
    }

    fn u32(&mut self, what: &str) -> Result<u32, Ct2Error> {
        let mut b = [0u8; 4];
        self.fill(&mut b, what)?;
        Ok(u32::from_le_bytes(b))
    }

    fn string(&mut self, what: &str) -> Result<String, Ct2Error> {
        let mut b = [0u8; 2];
        self.fill(&mut b, what)?;
        let n = u16::from_le_bytes(b);
        // At most 64 kB: a u16 bounds it.
        let mut s = vec![0u8; usize::from(n)];
        self.fill(&mut s, what)?;
        if s.pop() != Some(0) {
            return Err(Ct2Error::Corrupt(format!(
                "{what} at offset {} is not NUL-terminated",
                self.pos - u64::from(n) - 2
            )));
        }
        Ok(String::from_utf8_lossy(&s).into_owned())
    }

    fn variable(&mut self, i: u32) -> Result<Variable, Ct2Error> {
        let what = format!("variable {i}");
        let name = self.string(&what)?;
        let rank = self.u8(&what)?;
        let mut shape = Vec::with_capacity(usize::from(rank));
        for _ in 0..rank {
            shape.push(self.u32(&what)?);
        }
        let type_id = self.u8(&what)?;
        let dtype = Ct2Type::from_id(type_id).ok_or_else(|| {
            Ct2Error::Corrupt(format!("variable '{name}' has unknown type id {type_id}"))
        })?;
        let n_bytes = u64::from(self.u32(&what)?);
        let expected = shape
            .iter()
            .try_fold(dtype.size(), |n, &d| n.checked_mul(u64::from(d)));
        if expected != Some(n_bytes) {
            return Err(Ct2Error::Corrupt(format!(
                "variable '{name}' of shape {shape:?} ({}) claims {n_bytes} bytes",
                dtype.name()
            )));
        }
        let offset = self.pos;
        self.need(n_bytes, &format!("the data of variable '{name}'"))?;
        let small = if n_bytes <= SMALL_VALUE {
            let mut b = vec![0u8; n_bytes as usize];
            self.fill(&mut b, &what)?;
            Some(b)
        } else {
            let off = i64::try_from(n_bytes)
                .map_err(|_| Ct2Error::Corrupt(format!("variable '{name}' is too large")))?;
            self.r.seek_relative(off)?;
            self.pos += n_bytes;
            None
        };
        Ok(Variable {
            name,
            shape,
            dtype,
            offset,
            n_bytes,
            small,
        })
    }
}

/// Writes a CTranslate2 model file (binary version 6): for tests, and for
/// anyone who needs a small valid file.
pub fn write_model(
    w: &mut impl io::Write,
    spec: &str,
    variables: &[(&str, &[u32], Ct2Type, &[u8])],
    aliases: &[(&str, &str)],
) -> io::Result<()> {
    let string = |w: &mut dyn io::Write, s: &str| -> io::Result<()> {
        let n = u16::try_from(s.len() + 1).map_err(|_| io::Error::other("name too long"))?;
        w.write_all(&n.to_le_bytes())?;
        w.write_all(s.as_bytes())?;
        w.write_all(&[0])
    };
    w.write_all(&6u32.to_le_bytes())?;
    string(w, spec)?;
    w.write_all(&3u32.to_le_bytes())?;
    w.write_all(&(variables.len() as u32).to_le_bytes())?;
    for (name, shape, dtype, data) in variables {
        string(w, name)?;
        w.write_all(&[shape.len() as u8])?;
        for d in *shape {
            w.write_all(&d.to_le_bytes())?;
        }
        let id: u8 = match dtype {
            Ct2Type::F32 => 0,
            Ct2Type::I8 => 1,
            Ct2Type::I16 => 2,
            Ct2Type::I32 => 3,
            Ct2Type::F16 => 4,
            Ct2Type::Bf16 => 5,
        };
        w.write_all(&[id])?;
        let n = u32::try_from(data.len()).map_err(|_| io::Error::other("variable too large"))?;
        w.write_all(&n.to_le_bytes())?;
        w.write_all(data)?;
    }
    w.write_all(&(aliases.len() as u32).to_le_bytes())?;
    for (a, t) in aliases {
        string(w, a)?;
        string(w, t)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut b = Vec::new();
        let heads = 6i16.to_le_bytes();
        let w: Vec<u8> = (0..24u8).collect();
        let r = write_model(
            &mut b,
            "WhisperSpec",
            &[
                ("encoder/num_heads", &[], Ct2Type::I16, &heads),
                ("encoder/w", &[3, 4], Ct2Type::F16, &w),
            ],
            &[("decoder/projection/weight", "encoder/w")],
        );
        assert!(r.is_ok());
        b
    }

    #[test]
    fn reads_what_write_model_writes() {
        let b = sample();
        let h = parse_header(&b).expect("parses");
        assert_eq!(h.version, 6);
        assert_eq!(h.spec, "WhisperSpec");
        assert_eq!(h.variables.len(), 2);
        assert_eq!(
            h.get("encoder/num_heads").and_then(Variable::scalar_int),
            Some(6)
        );
        let w = h.get("encoder/w").expect("w");
        assert_eq!(w.shape, [3, 4]);
        assert_eq!(w.n_bytes, 24);
        assert_eq!(&b[w.offset as usize..][..2], &[0, 1]);
        assert_eq!(h.aliases.len(), 1);
    }

    #[test]
    fn every_cut_is_truncated_never_a_panic() {
        let b = sample();
        for cut in 0..b.len() {
            match parse_header(&b[..cut]) {
                Err(Ct2Error::Truncated { .. }) => {}
                other => panic!("cut at {cut}: {other:?}"),
            }
        }
    }

    #[test]
    fn lying_sizes_are_refused_without_allocating() {
        let mut b = sample();
        // The variable count (after version, "WhisperSpec\0" and revision).
        let count_at = 4 + 2 + 12 + 4;
        b[count_at..count_at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(parse_header(&b), Err(Ct2Error::Corrupt(_))));
        // Within the cap: the records run out (the aliases read as garbage).
        b[count_at..count_at + 4].copy_from_slice(&50_000u32.to_le_bytes());
        assert!(matches!(
            parse_header(&b),
            Err(Ct2Error::Truncated { .. } | Ct2Error::Corrupt(_))
        ));

        // A shape claiming 4 GB with a matching byte count, in a tiny file.
        let mut v = Vec::new();
        let r = write_model(
            &mut v,
            "WhisperSpec",
            &[("x", &[1], Ct2Type::I8, &[7])],
            &[],
        );
        assert!(r.is_ok());
        let dims_at = 4 + 2 + 12 + 4 + 4 + 2 + 2 + 1;
        v[dims_at..dims_at + 4].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
        v[dims_at + 5..dims_at + 9].copy_from_slice(&0xffff_ffffu32.to_le_bytes());
        match parse_header(&v) {
            Err(Ct2Error::Truncated { needed, .. }) => assert_eq!(needed, 0xffff_ffff),
            other => panic!("{other:?}"),
        }
        // Shape and byte count that disagree.
        v[dims_at + 5..dims_at + 9].copy_from_slice(&5u32.to_le_bytes());
        assert!(matches!(parse_header(&v), Err(Ct2Error::Corrupt(_))));
    }

    #[test]
    fn foreign_bytes_are_not_ct2() {
        assert!(matches!(
            parse_header(b"lmggxxxxxxxxxxxxxxx"),
            Err(Ct2Error::NotCt2(_))
        ));
        assert!(matches!(parse_header(&[0u8; 64]), Err(Ct2Error::NotCt2(_))));
        assert!(matches!(
            parse_header(&[2, 0, 0, 0, 1, 0, 0]),
            Err(Ct2Error::NotCt2(_))
        ));
    }
}
