//! The release archives: a .zip for Windows, a .tar.gz for Linux, both with one top folder
//! `paicha-<version>/`, and the SHA256SUMS file over them (`sha256sum -c` reads it).

use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

/// One file of an archive: its name inside the top folder, its bytes, and whether it runs.
pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
    pub executable: bool,
}

pub fn write_zip(path: &Path, top: &str, entries: &[Entry], mtime: i64) -> io::Result<()> {
    use zip::write::SimpleFileOptions;
    // Zip stores local time without a zone; the users are in China (UTC+8).
    let (y, mo, d, h, mi, s) = civil_time(mtime + 8 * 3600);
    let time = zip::DateTime::from_date_and_time(y as u16, mo, d, h, mi, s).unwrap_or_default();
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time);
    let mut zip = zip::ZipWriter::new(File::create(path)?);
    zip.add_directory(format!("{top}/"), options.unix_permissions(0o755))
        .map_err(io::Error::other)?;
    for entry in entries {
        let mode = if entry.executable { 0o755 } else { 0o644 };
        zip.start_file(
            format!("{top}/{}", entry.name),
            options.unix_permissions(mode),
        )
        .map_err(io::Error::other)?;
        zip.write_all(&entry.bytes)?;
    }
    zip.finish().map_err(io::Error::other)?.sync_all()
}

pub fn write_tar_gz(path: &Path, top: &str, entries: &[Entry], mtime: i64) -> io::Result<()> {
    let file = File::create(path)?;
    let mut gz = flate2::write::GzEncoder::new(file, flate2::Compression::best());
    gz.write_all(&tar_header(&format!("{top}/"), 0, 0o755, b'5', mtime)?)?;
    for entry in entries {
        let mode = if entry.executable { 0o755 } else { 0o644 };
        let name = format!("{top}/{}", entry.name);
        gz.write_all(&tar_header(
            &name,
            entry.bytes.len() as u64,
            mode,
            b'0',
            mtime,
        )?)?;
        gz.write_all(&entry.bytes)?;
        let pad = (512 - entry.bytes.len() % 512) % 512;
        gz.write_all(&vec![0; pad])?;
    }
    gz.write_all(&[0; 1024])?; // two zero blocks end the archive
    gz.finish()?.sync_all()
}

/// A POSIX ustar header. Names are UTF-8 and must fit the 100-byte name field (ours are short).
fn tar_header(name: &str, size: u64, mode: u32, kind: u8, mtime: i64) -> io::Result<[u8; 512]> {
    let mut h = [0u8; 512];
    if name.len() > 100 {
        return Err(io::Error::other(format!("tar name too long: {name}")));
    }
    h[..name.len()].copy_from_slice(name.as_bytes());
    let mut octal = |at: usize, width: usize, value: u64| {
        let text = format!("{value:0w$o}\0", w = width - 1);
        h[at..at + width].copy_from_slice(text.as_bytes());
    };
    octal(100, 8, mode.into());
    octal(108, 8, 0); // uid
    octal(116, 8, 0); // gid
    octal(124, 12, size);
    octal(136, 12, mtime.max(0) as u64);
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[265..269].copy_from_slice(b"root");
    h[297..301].copy_from_slice(b"root");
    // The checksum is computed with its own field as spaces.
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    Ok(h)
}

/// `sha256sum` lines ("<hex>  <name>") for the given files, in the order given.
pub fn sha256sums(files: &[&Path]) -> io::Result<String> {
    let mut out = String::new();
    for file in files {
        let digest = Sha256::digest(std::fs::read(file)?);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        out.push_str(&format!("{hex}  {name}\n"));
    }
    Ok(out)
}

/// Unix seconds → (year, month, day, hour, minute, second) in UTC (Howard Hinnant's
/// days-to-civil algorithm), for the zip entries' DOS time stamps.
fn civil_time(secs: i64) -> (i64, u8, u8, u8, u8, u8) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    (year, month, day, h as u8, m as u8, s as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_time_matches_known_dates() {
        assert_eq!(civil_time(0), (1970, 1, 1, 0, 0, 0));
        // 2026-12-05 01:58:45 UTC
        assert_eq!(civil_time(1_796_435_925), (2026, 12, 5, 1, 58, 45));
        assert_eq!(civil_time(951_782_400), (2000, 2, 29, 0, 0, 0));
    }

    #[test]
    fn tar_header_checksum_is_what_tar_expects() {
        let h = tar_header("paicha-0.1.0/paicha", 5, 0o755, b'0', 0).unwrap();
        let stored = u32::from_str_radix(std::str::from_utf8(&h[148..154]).unwrap(), 8).unwrap();
        let mut blank = h;
        blank[148..156].copy_from_slice(b"        ");
        assert_eq!(stored, blank.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(&h[124..136], b"00000000005\0");
        assert!(tar_header(&"x".repeat(101), 0, 0o644, b'0', 0).is_err());
    }
}
