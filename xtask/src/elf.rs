//! Which glibc versions an ELF executable asks for: its `.gnu.version_r` section (version needs)
//! lists every `GLIBC_2.xx` the dynamic linker must provide. Read directly so the check works
//! for any architecture without binutils. ELF64 little-endian only (x86_64 and aarch64).
//!
//! Shared with the root crate's tests/dist_glibc.rs through `#[path]`: one parser, two users.

const SHT_GNU_VERNEED: u32 = 0x6fff_fffe;

/// The highest `GLIBC_2.x` version (as `(2, x)`) the executable needs, or `None` when it needs
/// none (a static binary).
pub fn max_glibc_needed(elf: &[u8]) -> Result<Option<(u32, u32)>, String> {
    Ok(version_needs(elf)?
        .iter()
        .filter_map(|name| parse_glibc(name))
        .max())
}

/// "GLIBC_2.28" → (2, 28); other names (GLIBC_PRIVATE, GCC_3.0, …) → None.
pub fn parse_glibc(name: &str) -> Option<(u32, u32)> {
    let rest = name.strip_prefix("GLIBC_")?;
    let mut parts = rest.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |m| m.parse().ok())?;
    Some((major, minor))
}

/// Every version name in the version-needs section (e.g. "GLIBC_2.17", "GCC_3.0").
pub fn version_needs(elf: &[u8]) -> Result<Vec<String>, String> {
    if elf.get(..4) != Some(b"\x7fELF") {
        return Err("not an ELF file".into());
    }
    if elf.get(4) != Some(&2) || elf.get(5) != Some(&1) {
        return Err("only 64-bit little-endian ELF is supported".into());
    }
    let shoff = u64_at(elf, 0x28)? as usize;
    let shentsize = u16_at(elf, 0x3a)? as usize;
    let shnum = u16_at(elf, 0x3c)? as usize;
    let section = |index: usize| -> Result<Section, String> {
        let at = shoff + index * shentsize;
        Ok(Section {
            kind: u32_at(elf, at + 4)?,
            offset: u64_at(elf, at + 24)? as usize,
            size: u64_at(elf, at + 32)? as usize,
            link: u32_at(elf, at + 40)? as usize,
            info: u32_at(elf, at + 44)? as usize,
        })
    };
    let mut names = Vec::new();
    for index in 0..shnum {
        let needs = section(index)?;
        if needs.kind != SHT_GNU_VERNEED {
            continue;
        }
        let strings = section(needs.link)?;
        let name_at = |offset: usize| -> Result<String, String> {
            let start = strings.offset + offset;
            let end = strings.offset + strings.size;
            let bytes = elf.get(start..end).ok_or("string out of range")?;
            let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
            Ok(String::from_utf8_lossy(&bytes[..len]).into_owned())
        };
        // Verneed entries (one per library), each with a chain of Vernaux (one per version).
        let mut entry = needs.offset;
        for _ in 0..needs.info {
            let count = u16_at(elf, entry + 2)?;
            let mut aux = entry + u32_at(elf, entry + 8)? as usize;
            for _ in 0..count {
                names.push(name_at(u32_at(elf, aux + 8)? as usize)?);
                aux += u32_at(elf, aux + 12)? as usize;
            }
            entry += u32_at(elf, entry + 12)? as usize;
        }
    }
    Ok(names)
}

struct Section {
    kind: u32,
    offset: usize,
    size: usize,
    link: usize,
    info: usize,
}

fn bytes_at<const N: usize>(elf: &[u8], at: usize) -> Result<[u8; N], String> {
    elf.get(at..at + N)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| format!("truncated ELF file (offset {at})"))
}

fn u16_at(elf: &[u8], at: usize) -> Result<u16, String> {
    bytes_at(elf, at).map(u16::from_le_bytes)
}

fn u32_at(elf: &[u8], at: usize) -> Result<u32, String> {
    bytes_at(elf, at).map(u32::from_le_bytes)
}

fn u64_at(elf: &[u8], at: usize) -> Result<u64, String> {
    bytes_at(elf, at).map(u64::from_le_bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_glibc_needs_of_this_test_binary() {
        // This test runs as a dynamically linked x86_64/aarch64 glibc executable; every such
        // Rust binary needs at least the architecture's base glibc version.
        let me = std::fs::read("/proc/self/exe").unwrap();
        let needs = version_needs(&me).unwrap();
        assert!(
            needs
                .iter()
                .any(|n| n == "GLIBC_2.2.5" || n == "GLIBC_2.17"),
            "{needs:?}"
        );
        let (major, minor) = max_glibc_needed(&me).unwrap().unwrap();
        assert_eq!(major, 2);
        assert!(minor >= 3, "{needs:?}");
    }

    #[test]
    fn parses_glibc_version_names_and_refuses_others() {
        assert_eq!(parse_glibc("GLIBC_2.28"), Some((2, 28)));
        assert_eq!(parse_glibc("GLIBC_2.2.5"), Some((2, 2)));
        assert_eq!(parse_glibc("GLIBC_PRIVATE"), None);
        assert_eq!(parse_glibc("GCC_3.0"), None);
        assert!(version_needs(b"not an elf").is_err());
        assert!(version_needs(b"\x7fELF\x02\x01").is_err(), "truncated");
    }
}
