//! EXIF read from photos built here byte by byte (a TIFF structure in a JPEG APP1 segment),
//! so every case is visible in the test: zone or none, RATIONAL or SRATIONAL coordinates,
//! south and west, orientation, no EXIF at all.

use super::*;
use std::io::Cursor;

/// A value of an IFD entry.
#[derive(Debug, Clone)]
pub enum V {
    Ascii(&'static str),
    Short(u16),
    Rational(Vec<(u32, u32)>),
    SRational(Vec<(i32, i32)>),
}

impl V {
    /// (TIFF type, count, bytes little-endian).
    fn encode(&self) -> (u16, u32, Vec<u8>) {
        match self {
            V::Ascii(s) => {
                let mut b = s.as_bytes().to_vec();
                b.push(0);
                (2, b.len() as u32, b)
            }
            V::Short(n) => (3, 1, n.to_le_bytes().to_vec()),
            V::Rational(v) => (
                5,
                v.len() as u32,
                v.iter()
                    .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
                    .collect(),
            ),
            V::SRational(v) => (
                10,
                v.len() as u32,
                v.iter()
                    .flat_map(|(n, d)| [n.to_le_bytes(), d.to_le_bytes()].concat())
                    .collect(),
            ),
        }
    }
}

type Entries = Vec<(u16, V)>;

/// Bytes an IFD of `entries` takes with its out-of-line values.
fn ifd_len(entries: &[(u16, V)]) -> usize {
    let data: usize = entries
        .iter()
        .map(|(_, v)| v.encode().2.len())
        .filter(|&n| n > 4)
        .map(|n| n + n % 2)
        .sum();
    2 + 12 * entries.len() + 4 + data
}

/// Appends the IFD of `entries` (sorted by tag) at `out.len()`.
fn write_ifd(out: &mut Vec<u8>, mut entries: Entries) {
    entries.sort_by_key(|(t, _)| *t);
    let start = out.len();
    let mut data_at = start + 2 + 12 * entries.len() + 4;
    let mut data = Vec::new();
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (tag, v) in &entries {
        let (ty, count, bytes) = v.encode();
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&ty.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        if bytes.len() <= 4 {
            let mut inline = bytes.clone();
            inline.resize(4, 0);
            out.extend_from_slice(&inline);
        } else {
            out.extend_from_slice(&(data_at as u32).to_le_bytes());
            let mut b = bytes.clone();
            if b.len() % 2 == 1 {
                b.push(0);
            }
            data_at += b.len();
            data.extend(b);
        }
    }
    out.extend_from_slice(&0u32.to_le_bytes()); // no next IFD
    out.extend(data);
}

/// A little-endian TIFF with IFD0 `ifd0` and, when not empty, an Exif IFD and a GPS IFD.
pub fn tiff(mut ifd0: Entries, exif: Entries, gps: Entries) -> Vec<u8> {
    const EXIF_POINTER: u16 = 0x8769;
    const GPS_POINTER: u16 = 0x8825;
    let pointers = usize::from(!exif.is_empty()) + usize::from(!gps.is_empty());
    // Placeholders of the right size, so the layout is known before the offsets are.
    let ifd0_len = ifd_len(&ifd0) + 12 * pointers;
    let exif_at = 8 + ifd0_len;
    let gps_at = exif_at + if exif.is_empty() { 0 } else { ifd_len(&exif) };
    if !exif.is_empty() {
        ifd0.push((EXIF_POINTER, V::Short(0)));
    }
    if !gps.is_empty() {
        ifd0.push((GPS_POINTER, V::Short(0)));
    }
    let mut out = b"II*\0".to_vec();
    out.extend_from_slice(&8u32.to_le_bytes());
    write_ifd(&mut out, ifd0);
    // Turn the pointer placeholders into LONG offsets.
    let count = u16::from_le_bytes([out[8], out[9]]) as usize;
    for i in 0..count {
        let e = 10 + 12 * i;
        let tag = u16::from_le_bytes([out[e], out[e + 1]]);
        let target = match tag {
            EXIF_POINTER => exif_at,
            GPS_POINTER => gps_at,
            _ => continue,
        };
        out[e + 2..e + 4].copy_from_slice(&4u16.to_le_bytes());
        out[e + 8..e + 12].copy_from_slice(&(target as u32).to_le_bytes());
    }
    if !exif.is_empty() {
        write_ifd(&mut out, exif);
    }
    if !gps.is_empty() {
        write_ifd(&mut out, gps);
    }
    out
}

/// A JPEG carrying `tiff` as its EXIF (APP1), then a few bytes of "image".
pub fn jpeg(tiff: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 1, 2, 3, 4, 0xFF, 0xD9]);
    out
}

/// A phone photo: taken `when` ("YYYY:MM:DD HH:MM:SS") with `offset` if any, at 37°52'30" N
/// 112°33'36" E (太原), turned `orientation`.
pub fn phone_photo(when: &'static str, offset: Option<&'static str>, orientation: u16) -> Vec<u8> {
    let mut exif = vec![(0x9003, V::Ascii(when))];
    if let Some(o) = offset {
        exif.push((0x9011, V::Ascii(o)));
    }
    let gps = vec![
        (1, V::Ascii("N")),
        (2, V::Rational(vec![(37, 1), (52, 1), (30, 1)])),
        (3, V::Ascii("E")),
        (4, V::Rational(vec![(112, 1), (3360, 100), (0, 1)])),
    ];
    jpeg(&tiff(vec![(0x0112, V::Short(orientation))], exif, gps))
}

fn meta(bytes: &[u8]) -> Meta {
    read(Cursor::new(bytes)).expect("exif")
}

#[test]
fn capture_time_with_its_zone_place_and_orientation() {
    let m = meta(&phone_photo("2023:08:15 10:20:30", Some("+09:00"), 6));
    assert_eq!(
        m.taken.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-08-15T01:20:30+00:00")
    );
    assert!(m.zone_recorded);
    let place = m.place.expect("place");
    assert!((place.lat - 37.875).abs() < 1e-9, "{place:?}");
    assert!((place.lon - 112.56).abs() < 1e-9, "{place:?}");
    assert_eq!(m.orientation, Some(6));
}

#[test]
fn a_time_without_zone_is_beijing_time() {
    let m = meta(&phone_photo("2023:08:15 10:20:30", None, 1));
    assert_eq!(
        m.taken.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-08-15T02:20:30+00:00")
    );
    assert!(!m.zone_recorded);
}

#[test]
fn signed_rationals_south_and_west_are_negative() {
    let gps = vec![
        (1, V::Ascii("S")),
        (2, V::SRational(vec![(33, 1), (30, 1), (0, 1)])),
        (3, V::Ascii("W")),
        (4, V::SRational(vec![(70, 1), (15, 1), (0, 1)])),
    ];
    let m = meta(&jpeg(&tiff(vec![], vec![], gps)));
    let place = m.place.expect("place");
    assert!((place.lat + 33.5).abs() < 1e-9 && (place.lon + 70.25).abs() < 1e-9);
    assert_eq!(m.taken, None);
    assert_eq!(m.orientation, None);
}

#[test]
fn nonsense_values_are_no_facts() {
    let gps = vec![
        (1, V::Ascii("N")),
        (2, V::Rational(vec![(37, 0), (0, 1), (0, 1)])), // zero denominator
        (3, V::Ascii("E")),
        (4, V::Rational(vec![(112, 1), (0, 1), (0, 1)])),
    ];
    let exif = vec![(0x9003, V::Ascii("0000:00:00 00:00:00"))];
    let m = meta(&jpeg(&tiff(vec![(0x0112, V::Short(9))], exif, gps)));
    assert_eq!(m, Meta::default());
    // Out of range: latitude 137°.
    let gps = vec![
        (2, V::Rational(vec![(137, 1), (0, 1), (0, 1)])),
        (4, V::Rational(vec![(112, 1), (0, 1), (0, 1)])),
    ];
    assert_eq!(meta(&jpeg(&tiff(vec![], vec![], gps))).place, None);
}

#[test]
fn a_photo_without_exif_is_an_error_for_the_caller_to_ignore() {
    assert!(read(Cursor::new(&[0xFF, 0xD8, 0xFF, 0xD9][..])).is_err());
    assert!(read(Cursor::new(&b"not a photo"[..])).is_err());
}

#[test]
fn the_fixtures_from_phones_and_cameras_are_read() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/media");
    let open = |name: &str| std::fs::File::open(dir.join(name)).expect(name);
    for name in ["exif.jpg", "exif.png", "exif.heic"] {
        assert!(read(open(name)).is_ok(), "{name}");
    }
    let m = read(open("exif-no-tz.jpg")).expect("exif");
    assert!(m.taken.is_some(), "{m:?}");
}

#[test]
fn a_photo_with_only_the_file_change_time_has_no_capture_time() {
    // DateTime (0x0132) in IFD0 is when the file was last changed (EXIF 2.3), not taken.
    let edited = jpeg(&tiff(
        vec![(0x0132, V::Ascii("2023:09:01 18:00:00"))],
        vec![],
        vec![],
    ));
    assert_eq!(meta(&edited).taken, None);
    // With DateTimeDigitized (a scanner's), that is the time.
    let scanned = jpeg(&tiff(
        vec![(0x0132, V::Ascii("2023:09:01 18:00:00"))],
        vec![(0x9004, V::Ascii("2023:08:15 10:20:30"))],
        vec![],
    ));
    let taken = meta(&scanned).taken.expect("digitized");
    assert_eq!(
        crate::domain::time::local(taken)
            .format("%H:%M")
            .to_string(),
        "10:20"
    );
}
