//! Zip files written byte by byte, so a test can make what no zip library writes: a name
//! twice, more entries than the end record counts, a stream that inflates to gigabytes.
#![allow(dead_code)] // each test uses part of it

/// One entry as it goes into the file.
#[derive(Clone)]
pub struct RawEntry {
    pub name: Vec<u8>,
    /// 0 stored, 8 deflated.
    pub method: u16,
    /// The bytes as stored (compressed for method 8).
    pub data: Vec<u8>,
    pub crc: u32,
    /// What the headers say the entry inflates to.
    pub size: u32,
}

impl RawEntry {
    pub fn stored(name: &str, bytes: &[u8]) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            method: 0,
            data: bytes.to_vec(),
            crc: crc32(bytes),
            size: u32::try_from(bytes.len()).expect("small entry"),
        }
    }

    /// A deflate stream made elsewhere (see [`inflating_run`]).
    pub fn deflated(name: &str, stream: Vec<u8>, size: u32, crc: u32) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            method: 8,
            data: stream,
            crc,
            size,
        }
    }
}

/// How the end of the file is written.
#[derive(Clone, Default)]
pub struct Ending {
    /// The entry count the end record gives (the real count when `None`).
    pub count: Option<u16>,
    /// The archive comment.
    pub comment: Vec<u8>,
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// 1980-01-01 00:00 in MS-DOS form (a zero date is not a date).
const DOS_DATE: u16 = (1 << 5) | 1;
/// Bit 11: names are UTF-8.
const FLAGS: u16 = 1 << 11;

/// The whole file: local headers and data, the central directory, the end record. Each entry's
/// local header carries `local_names[i]` when given (to make headers disagree).
pub fn zip_bytes(entries: &[RawEntry], ending: &Ending, local_names: &[Option<&str>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let name = local_names
            .get(i)
            .copied()
            .flatten()
            .map_or(e.name.clone(), |n| n.as_bytes().to_vec());
        offsets.push(u32::try_from(out.len()).expect("small zip"));
        u32le(&mut out, 0x0403_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, FLAGS);
        u16le(&mut out, e.method);
        u16le(&mut out, 0);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, e.crc);
        u32le(&mut out, u32::try_from(e.data.len()).expect("small data"));
        u32le(&mut out, e.size);
        u16le(&mut out, u16::try_from(name.len()).expect("short name"));
        u16le(&mut out, 0);
        out.extend_from_slice(&name);
        out.extend_from_slice(&e.data);
    }
    let directory = out.len();
    for (e, offset) in entries.iter().zip(&offsets) {
        u32le(&mut out, 0x0201_4b50);
        u16le(&mut out, 20);
        u16le(&mut out, 20);
        u16le(&mut out, FLAGS);
        u16le(&mut out, e.method);
        u16le(&mut out, 0);
        u16le(&mut out, DOS_DATE);
        u32le(&mut out, e.crc);
        u32le(&mut out, u32::try_from(e.data.len()).expect("small data"));
        u32le(&mut out, e.size);
        u16le(&mut out, u16::try_from(e.name.len()).expect("short name"));
        u16le(&mut out, 0); // extra
        u16le(&mut out, 0); // comment
        u16le(&mut out, 0); // disk
        u16le(&mut out, 0); // internal attributes
        u32le(&mut out, 0); // external attributes
        u32le(&mut out, *offset);
        out.extend_from_slice(&e.name);
    }
    let size = out.len() - directory;
    let count = ending
        .count
        .unwrap_or(u16::try_from(entries.len()).expect("few entries"));
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, count);
    u16le(&mut out, count);
    u32le(&mut out, u32::try_from(size).expect("small directory"));
    u32le(&mut out, u32::try_from(directory).expect("small zip"));
    u16le(
        &mut out,
        u16::try_from(ending.comment.len()).expect("short comment"),
    );
    out.extend_from_slice(&ending.comment);
    out
}

pub fn write(path: &std::path::Path, entries: &[RawEntry]) {
    std::fs::write(path, zip_bytes(entries, &Ending::default(), &[])).expect("write zip");
}

/// CRC-32 (IEEE), bit by bit: test entries are small.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Bits into bytes, least significant first, as deflate packs them.
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.n;
        self.n += count;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code: its most significant bit first.
    fn code(&mut self, code: u64, len: u32) {
        for i in (0..len).rev() {
            self.put((code >> i) & 1, 1);
        }
    }

    fn zeros(&mut self, mut count: u64) {
        while count > 0 && self.n != 0 {
            self.put(0, 1);
            count -= 1;
        }
        self.out.resize(
            self.out.len() + usize::try_from(count / 8).expect("fits"),
            0,
        );
        for _ in 0..count % 8 {
            self.put(0, 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream of one dynamic-Huffman block that inflates to `'a'` followed by
/// `matches` copies of 258 more `'a'`s (length 258 at distance 1), two bits per copy: about a
/// thousandfold. Returns the stream and the inflated size (`1 + 258 × matches`).
///
/// The block's codes: literal/length `'a'` = 10, end of block = 11, length 258 = 0; distance 1
/// = 0 (a second distance code = 1 makes the code complete); the code lengths themselves are
/// sent with the code-length code 18 = 0 (runs of zeros), 1 = 10, 2 = 11.
pub fn inflating_run(matches: u64) -> (Vec<u8>, u64) {
    let mut b = Bits {
        out: Vec::new(),
        acc: 0,
        n: 0,
    };
    b.put(1, 1); // last block
    b.put(2, 2); // dynamic Huffman
    b.put(286 - 257, 5); // literal/length codes: up to 285
    b.put(2 - 1, 5); // distance codes: 0 and 1
    b.put(18 - 4, 4); // code-length code lengths sent
    // In the order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1: 18 → 1, 2 → 2, 1 → 2.
    for len in [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2] {
        b.put(len, 3);
    }
    let zeros = |b: &mut Bits, mut run: u64| {
        while run > 0 {
            let n = run.min(138);
            assert!(n >= 11, "runs here are long");
            b.code(0, 1); // 18
            b.put(n - 11, 7);
            run -= n;
        }
    };
    zeros(&mut b, 97); // 0..=96
    b.code(0b11, 2); // 97 ('a'): length 2
    zeros(&mut b, 158); // 98..=255
    b.code(0b11, 2); // 256 (end of block): length 2
    zeros(&mut b, 28); // 257..=284
    b.code(0b10, 2); // 285 (length 258): length 1
    b.code(0b10, 2); // distance 0: length 1
    b.code(0b10, 2); // distance 1: length 1
    // Data: 'a', then `matches` × (length 258 = 0, distance 1 = 0), then the end.
    b.code(0b10, 2);
    b.zeros(2 * matches);
    b.code(0b11, 2);
    (b.finish(), 1 + 258 * matches)
}
