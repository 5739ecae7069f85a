//! Text shipped inside the binary (the built-in configuration and the manual), stored
//! deflated by `build.rs` and inflated on first use: a few hundred KB of TOML and HTML cost a
//! third of that in the executable, and inflating all of it takes about a millisecond.

/// Includes `config/…` or `docs/…` as compressed by `build.rs`.
#[macro_export]
macro_rules! embedded_text {
    ($path:expr) => {
        include_bytes!(concat!(env!("OUT_DIR"), "/", $path))
    };
}

/// The text of an embedded file. The bytes were deflated from UTF-8 text at build time, so
/// neither step can fail for a binary that was built at all.
pub fn inflate(packed: &[u8]) -> String {
    let bytes = miniz_oxide::inflate::decompress_to_vec(packed)
        .expect("embedded text was deflated by build.rs");
    String::from_utf8(bytes).expect("embedded text is UTF-8")
}

#[cfg(test)]
mod tests {
    #[test]
    fn embedded_files_read_back_as_the_repository_has_them() {
        let manual = super::inflate(embedded_text!("docs/manual/使用手册.html"));
        assert_eq!(manual, include_str!("../docs/manual/使用手册.html"));
        let rules = super::inflate(embedded_text!("config/rules.toml"));
        assert_eq!(rules, include_str!("../config/rules.toml"));
    }
}
