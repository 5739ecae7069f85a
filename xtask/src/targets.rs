//! The release targets, the toolchain pieces each needs, and how each is built.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The cargo-zigbuild version CI installs (.ci/cross) and the hint below names.
pub const ZIGBUILD_VERSION: &str = "0.24.1";
/// Oldest glibc the Linux builds must run on: UOS 20 / Kylin V10 ship 2.28–2.31.
pub const GLIBC_FLOOR: (u32, u32) = (2, 28);

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Target {
    WindowsX64,
    LinuxX64,
    LinuxArm64,
}

pub const ALL: [Target; 3] = [Target::WindowsX64, Target::LinuxX64, Target::LinuxArm64];

impl Target {
    pub fn triple(self) -> &'static str {
        match self {
            Target::WindowsX64 => "x86_64-pc-windows-gnu",
            Target::LinuxX64 => "x86_64-unknown-linux-gnu",
            Target::LinuxArm64 => "aarch64-unknown-linux-gnu",
        }
    }

    pub fn parse(triple: &str) -> Option<Target> {
        ALL.into_iter().find(|t| t.triple() == triple)
    }

    pub fn is_windows(self) -> bool {
        self == Target::WindowsX64
    }

    pub fn exe_name(self) -> &'static str {
        if self.is_windows() {
            "paicha.exe"
        } else {
            "paicha"
        }
    }

    /// Where cargo leaves the release binary (zigbuild drops the `.2.28` glibc suffix).
    pub fn built_binary(self, target_dir: &Path) -> PathBuf {
        target_dir
            .join(self.triple())
            .join("release")
            .join(self.exe_name())
    }

    /// The cargo command that builds this target's release binary.
    pub fn build_command(self, cargo: &str) -> Command {
        let mut cmd = Command::new(cargo);
        if self.is_windows() {
            cmd.args(["build", "--target", self.triple()]);
        } else {
            let (major, minor) = GLIBC_FLOOR;
            let pinned = format!("{}.{major}.{minor}", self.triple());
            cmd.args(["zigbuild", "--target", &pinned]);
        }
        cmd.args([
            "--release",
            "--locked",
            "--package",
            "paicha",
            "--bin",
            "paicha",
        ]);
        cmd
    }
}

/// A toolchain piece that is missing, and the command that adds it.
pub struct Missing {
    pub what: String,
    pub fix: String,
}

/// Everything the chosen targets need that this machine lacks (empty when all is there).
pub fn missing_pieces(targets: &[Target]) -> Vec<Missing> {
    let mut missing = Vec::new();
    let installed = installed_rust_targets();
    for target in targets {
        let triple = target.triple();
        // Without rustup the list is unknown: let cargo itself report a missing std.
        if let Some(list) = &installed
            && !list.iter().any(|t| t == triple)
        {
            missing.push(Missing {
                what: format!("Rust 标准库 {triple}"),
                fix: format!("rustup target add {triple}"),
            });
        }
    }
    if targets.iter().any(|t| t.is_windows()) && !runs("x86_64-w64-mingw32-gcc", &["--version"]) {
        missing.push(Missing {
            what: "MinGW-w64 交叉编译器 x86_64-w64-mingw32-gcc（Windows 版链接与内置 SQLite 编译）"
                .into(),
            fix: "apt-get install mingw-w64".into(),
        });
    }
    if targets.iter().any(|t| !t.is_windows()) {
        // `cargo zigbuild` has no --version; the binary itself does.
        if !runs("cargo-zigbuild", &["--version"]) {
            missing.push(Missing {
                what:
                    "cargo-zigbuild（Linux 版按 glibc 2.28 链接，可在统信 UOS 20、麒麟 V10 上运行）"
                        .into(),
                fix: format!("cargo install cargo-zigbuild --version {ZIGBUILD_VERSION} --locked"),
            });
        }
        if !runs("zig", &["version"]) && !runs("python3", &["-m", "ziglang", "version"]) {
            missing.push(Missing {
                what: "zig（cargo-zigbuild 用它作链接器）".into(),
                fix: "pip install ziglang".into(),
            });
        }
    }
    missing
}

fn installed_rust_targets() -> Option<Vec<String>> {
    let out = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| l.trim().to_string())
            .collect()
    })
}

/// Whether `program args…` runs and succeeds.
fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}
