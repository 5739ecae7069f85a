//! Prepares data the binary carries, in the forms that cost it least (the release binary has a
//! size budget, see docs/performance.md):
//! - the text shipped inside it (the built-in configuration under `config/` and the manual),
//!   deflated into `OUT_DIR`, where `src/embedded.rs` includes it: about 270 KB of TOML and
//!   HTML become about 90 KB; the files themselves stay plain text in the repository;
//! - the pinyin initials the enterprise search matches (`fsjy` → 方山县加油站), one byte per
//!   character, taken from the `pinyin` crate here at build time: linking that crate instead
//!   carried full readings, tones' tables and pointer arrays, about 0.5 MB, for one letter.

use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    println!("cargo:rerun-if-changed=config");
    println!("cargo:rerun-if-changed=docs/manual");
    compress_tree(Path::new("config"), &out.join("config"));
    compress_tree(Path::new("docs/manual"), &out.join("docs/manual"));
    pinyin_initials(&out);
}

/// Every file under `from` is written deflated to the same relative path under `to`.
fn compress_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create OUT_DIR folder");
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .expect("read embedded folder")
        .map(|e| e.expect("read embedded folder").path())
        .collect();
    entries.sort();
    for path in entries {
        let target = to.join(path.file_name().expect("a named entry"));
        if path.is_dir() {
            compress_tree(&path, &target);
        } else {
            println!("cargo:rerun-if-changed={}", path.display());
            let text = std::fs::read(&path).expect("read embedded file");
            let packed = miniz_oxide::deflate::compress_to_vec(&text, 10);
            std::fs::write(&target, packed).expect("write to OUT_DIR");
        }
    }
}

/// Writes `pinyin_initials.rs` (included by `src/app/search.rs`): `BLOCKS`, runs of code
/// points with one byte per code point, `MULTI`, the commonest sets of several initials, and
/// `RARE`, the characters whose set is none of those. Sets are bit sets (bit 0 = a … bit 25 =
/// z). A byte is 0 for no pinyin, 1–26 for one initial (a–z), 27–254 for `MULTI[byte - 27]`
/// and 255 for "look the character up in `RARE`". 611 distinct sets would need two bytes a
/// character; this way 100 000 characters take one, and a few hundred eight.
fn pinyin_initials(out: &Path) {
    use pinyin::ToPinyinMulti;
    use std::collections::HashMap;
    use std::fmt::Write as _;
    // Every Chinese character the crate knows lies from U+3007 (〇) to the end of plane 3.
    let chars: Vec<(u32, u32)> = (0x3000..0x40000u32)
        .filter_map(|code| {
            let set = char::from_u32(code)?.to_pinyin_multi().map_or(0, |multi| {
                multi
                    .into_iter()
                    .filter_map(|p| p.first_letter().bytes().next())
                    .filter(u8::is_ascii_lowercase)
                    .fold(0u32, |set, letter| set | 1 << (letter - b'a'))
            });
            (set != 0).then_some((code, set))
        })
        .collect();
    let mut uses: HashMap<u32, usize> = HashMap::new();
    for &(_, set) in chars.iter().filter(|(_, set)| set.count_ones() > 1) {
        *uses.entry(set).or_default() += 1;
    }
    let mut multi: Vec<(usize, u32)> = uses.into_iter().map(|(set, n)| (n, set)).collect();
    multi.sort_by(|a, b| b.cmp(a));
    let multi: Vec<u32> = multi.into_iter().take(228).map(|(_, set)| set).collect();
    let mut rare: Vec<(u32, u32)> = Vec::new();
    let mut blocks: Vec<(u32, Vec<u8>)> = Vec::new();
    for &(code, set) in &chars {
        let byte = if set.count_ones() == 1 {
            1 + set.trailing_zeros() as u8
        } else if let Some(i) = multi.iter().position(|&m| m == set) {
            27 + i as u8
        } else {
            rare.push((code, set));
            255
        };
        // A gap of a few code points stays inside the block (as zeros); a long one starts a
        // new block.
        match blocks.last_mut() {
            Some((start, run)) if code - (*start + run.len() as u32) <= 64 => {
                run.resize((code - *start) as usize, 0);
                run.push(byte);
            }
            _ => blocks.push((code, vec![byte])),
        }
    }
    let mut rs = String::new();
    let _ = writeln!(
        rs,
        "pub static MULTI: [u32; {}] = {:?};",
        multi.len(),
        multi
    );
    let _ = writeln!(
        rs,
        "pub static RARE: [(u32, u32); {}] = {:?};",
        rare.len(),
        rare
    );
    let _ = writeln!(
        rs,
        "pub static BLOCKS: [(u32, &[u8]); {}] = [",
        blocks.len()
    );
    for (i, (start, run)) in blocks.iter().enumerate() {
        let file = format!("pinyin_initials_{i}.bin");
        std::fs::write(out.join(&file), run).expect("write to OUT_DIR");
        let _ = writeln!(
            rs,
            "    ({start:#x}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\"))),"
        );
    }
    rs.push_str("];\n");
    std::fs::write(out.join("pinyin_initials.rs"), rs).expect("write to OUT_DIR");
}
