//! A video's creation time from its MP4/MOV/3GP container (`moov/mvhd`): box headers only,
//! seeking over the media data, so memory stays flat whatever the file's size.
//!
//! The field counts seconds since 1904-01-01 UTC. Zero (many cameras leave it unset) or a time
//! before 1970 means "not recorded".

use chrono::{DateTime, Utc};
use std::io::{Read, Seek, SeekFrom};

/// Seconds from 1904-01-01 to 1970-01-01.
const MAC_EPOCH_TO_UNIX: u64 = 2_082_844_800;

/// Boxes looked at before giving up (a pathological file of tiny boxes ends here).
const MAX_BOXES: usize = 100_000;

/// Whether `media_type` is a container [`creation_time`] reads.
pub fn is_isobmff_video(media_type: &str) -> bool {
    matches!(media_type, "video/mp4" | "video/quicktime" | "video/3gpp")
}

/// The creation time in `moov/mvhd`, or `None` when there is none or it is not set.
pub fn creation_time<R: Read + Seek>(r: &mut R) -> std::io::Result<Option<DateTime<Utc>>> {
    let end = r.seek(SeekFrom::End(0))?;
    let Some((moov, moov_end)) = find(r, 0, end, b"moov")? else {
        return Ok(None);
    };
    let Some((mvhd, mvhd_end)) = find(r, moov, moov_end, b"mvhd")? else {
        return Ok(None);
    };
    if mvhd + 8 > mvhd_end {
        return Ok(None);
    }
    r.seek(SeekFrom::Start(mvhd))?;
    let mut version = [0u8; 4]; // version (1 byte) and flags (3)
    r.read_exact(&mut version)?;
    let secs = if version[0] == 1 {
        if mvhd + 12 > mvhd_end {
            return Ok(None);
        }
        let mut b = [0u8; 8];
        r.read_exact(&mut b)?;
        u64::from_be_bytes(b)
    } else {
        let mut b = [0u8; 4];
        r.read_exact(&mut b)?;
        u64::from(u32::from_be_bytes(b))
    };
    if secs <= MAC_EPOCH_TO_UNIX {
        return Ok(None);
    }
    let unix = i64::try_from(secs - MAC_EPOCH_TO_UNIX).ok();
    Ok(unix.and_then(|s| DateTime::from_timestamp(s, 0)))
}

/// The body (start, end) of the first box of `kind` among the boxes in `[at, to)`.
fn find<R: Read + Seek>(
    r: &mut R,
    mut at: u64,
    to: u64,
    kind: &[u8; 4],
) -> std::io::Result<Option<(u64, u64)>> {
    for _ in 0..MAX_BOXES {
        if at.saturating_add(8) > to {
            break;
        }
        r.seek(SeekFrom::Start(at))?;
        let mut h = [0u8; 8];
        r.read_exact(&mut h)?;
        let mut size = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
        let mut header = 8;
        if size == 1 {
            let mut large = [0u8; 8];
            r.read_exact(&mut large)?;
            size = u64::from_be_bytes(large);
            header = 16;
        } else if size == 0 {
            size = to - at; // to the end of the enclosing box (or file)
        }
        if size < header || at.saturating_add(size) > to {
            return Ok(None);
        }
        if &h[4..8] == kind {
            return Ok(Some((at + header, at + size)));
        }
        at += size;
    }
    Ok(None)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Cursor;

    /// A box of `kind` around `body`.
    pub fn boxed(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
        let mut b = ((body.len() + 8) as u32).to_be_bytes().to_vec();
        b.extend_from_slice(kind);
        b.extend_from_slice(body);
        b
    }

    /// A version-0 `mvhd` body created `secs` after 1904.
    pub fn mvhd_v0(secs: u32) -> Vec<u8> {
        let mut body = vec![0, 0, 0, 0];
        body.extend_from_slice(&secs.to_be_bytes()); // creation
        body.extend_from_slice(&secs.to_be_bytes()); // modification
        body.extend_from_slice(&1000u32.to_be_bytes()); // timescale
        body.extend_from_slice(&[0; 84]);
        body
    }

    /// A small MP4: ftyp, a large mdat, then moov with mvhd (as phones write them).
    pub fn mp4(mvhd_body: &[u8]) -> Vec<u8> {
        let mut f = boxed(b"ftyp", b"isom\0\0\0\0isomiso2mp41");
        f.extend(boxed(b"mdat", &[7u8; 4096]));
        f.extend(boxed(b"moov", &boxed(b"mvhd", mvhd_body)));
        f
    }

    fn read(bytes: &[u8]) -> Option<DateTime<Utc>> {
        creation_time(&mut Cursor::new(bytes)).expect("read")
    }

    /// 2023-08-15 01:30:00 UTC in seconds since 1904.
    const AUG_15: u64 = 1_692_063_000 + MAC_EPOCH_TO_UNIX;

    #[test]
    fn the_creation_time_is_read_from_moov_mvhd_after_the_media_data() {
        let t = read(&mp4(&mvhd_v0(AUG_15 as u32))).expect("time");
        assert_eq!(t.to_rfc3339(), "2023-08-15T01:30:00+00:00");
    }

    #[test]
    fn version_1_and_a_64_bit_box_size_are_read() {
        let mut body = vec![1, 0, 0, 0];
        body.extend_from_slice(&AUG_15.to_be_bytes());
        body.extend_from_slice(&AUG_15.to_be_bytes());
        body.extend_from_slice(&[0; 96]);
        let mvhd = boxed(b"mvhd", &body);
        // moov written with a 64-bit size (size field 1, then the real size).
        let mut moov = 1u32.to_be_bytes().to_vec();
        moov.extend_from_slice(b"moov");
        moov.extend_from_slice(&((mvhd.len() + 16) as u64).to_be_bytes());
        moov.extend(mvhd);
        let mut file = boxed(b"ftyp", b"qt  \0\0\0\0qt  ");
        file.extend(moov);
        let t = read(&file).expect("time");
        assert_eq!(t.to_rfc3339(), "2023-08-15T01:30:00+00:00");
    }

    #[test]
    fn unset_missing_or_broken_headers_give_no_time() {
        assert_eq!(read(&mp4(&mvhd_v0(0))), None, "zero = not set");
        assert_eq!(read(&mp4(&mvhd_v0(1000))), None, "before 1970");
        let mut no_moov = boxed(b"ftyp", b"isom\0\0\0\0");
        no_moov.extend(boxed(b"mdat", &[0; 64]));
        assert_eq!(read(&no_moov), None);
        // A box claiming more than the file holds.
        let mut lying = boxed(b"ftyp", b"isom\0\0\0\0");
        lying.extend_from_slice(&[0, 0, 0x10, 0, b'm', b'o', b'o', b'v', 0, 0]);
        assert_eq!(read(&lying), None);
        // mvhd cut short.
        assert_eq!(read(&mp4(&[0, 0, 0])), None);
        assert_eq!(read(&[]), None);
    }
}
