//! The Linux release builds (from `cargo xtask dist`) need no glibc newer than 2.28, so they
//! run on UOS 20 and Kylin V10 (glibc 2.28–2.31). The xtask refuses such a build already; this
//! checks the binaries as unpacked from the archives. Skipped without PAICHA_DIST_DIR.

#[path = "support/dist.rs"]
mod dist;
#[path = "../xtask/src/elf.rs"]
#[allow(dead_code)]
mod elf;

#[test]
fn linux_builds_need_glibc_2_28_at_most() {
    for triple in ["x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu"] {
        let Some(top) = dist::unpacked(triple) else {
            return;
        };
        let binary = std::fs::read(top.join("paicha")).expect("binary in the archive");
        let needs = elf::version_needs(&binary).expect("an ELF binary");
        let newest = elf::max_glibc_needed(&binary).expect("ELF");
        assert!(
            newest.is_some(),
            "{triple}: dynamically linked against glibc: {needs:?}"
        );
        assert!(
            newest <= Some((2, 28)),
            "{triple} needs glibc {newest:?}: {needs:?}"
        );
    }
}

#[test]
fn x86_64_linux_build_runs_here() {
    let Some(top) = dist::unpacked("x86_64-unknown-linux-gnu") else {
        return;
    };
    let out = std::process::Command::new(top.join("paicha"))
        .arg("--version")
        .output()
        .expect("run the release binary");
    let (stdout, stderr) = dist::text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout.trim(), format!("paicha {}", dist::version_of(&top)));
}
