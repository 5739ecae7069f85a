//! Printing documents to PDF with headless Chromium and reading the PDF back with poppler's
//! tools (tests/print_pdf*.rs; docs/printing.md).
#![allow(dead_code)] // each test file uses some of these

use crate::cli::{paicha, stderr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A4 in PDF points.
pub const A4: (f64, f64) = (595.28, 841.89);

/// A program on PATH.
pub fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// PAICHA_CHROMIUM when set, else the first of Chromium's usual names on PATH; or why not.
pub fn chromium() -> Result<PathBuf, String> {
    if let Some(named) = std::env::var_os("PAICHA_CHROMIUM").filter(|s| !s.is_empty()) {
        let named = PathBuf::from(named);
        return if named.is_file() {
            Ok(named)
        } else {
            on_path(&named.to_string_lossy()).ok_or(format!(
                "PAICHA_CHROMIUM={} is not a program",
                named.display()
            ))
        };
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(on_path)
        .ok_or_else(|| {
            "no chromium, chromium-browser or google-chrome on PATH and PAICHA_CHROMIUM not set \
             (apt-get install chromium fonts-noto-cjk poppler-utils)"
                .to_string()
        })
}

/// Runs `cmd` to its end, at most `limit`; panics with its output if it fails. Its output is
/// read while it runs: a tool writing more than a pipe holds (pdftotext -bbox of a long
/// document) would otherwise block until the limit.
pub fn run(mut cmd: Command, limit: Duration) -> std::process::Output {
    let shown = format!("{cmd:?}");
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {shown}: {e}"));
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            let err = stderr.join().unwrap_or_default();
            panic!(
                "{shown} did not finish in {limit:?}:\n{}",
                String::from_utf8_lossy(&err)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = std::process::Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    assert!(
        out.status.success(),
        "{shown} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Prints `html` to `pdf` with headless Chromium, default print settings, a fresh profile.
pub fn print_to_pdf(chromium: &Path, html: &Path, pdf: &Path) {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(format!("file://{}", html.display()));
    run(cmd, Duration::from_secs(120));
    assert!(
        std::fs::metadata(pdf).map(|m| m.len() > 0).unwrap_or(false),
        "Chromium wrote no PDF for {}",
        html.display()
    );
}

pub fn tool(name: &str, args: &[&str], pdf: &Path) -> String {
    let mut cmd = Command::new(name);
    cmd.args(args).arg(pdf);
    if name == "pdftotext" {
        cmd.arg("-");
    }
    String::from_utf8_lossy(&run(cmd, Duration::from_secs(60)).stdout).into_owned()
}

/// One printed page as pdftotext -bbox sees it.
pub struct Page {
    pub width: f64,
    pub height: f64,
    /// The words, in reading order.
    pub text: String,
    /// How far down the page the lowest word ends, in points.
    pub lowest: f64,
}

pub fn attr(tag: &str, name: &str) -> f64 {
    let key = format!("{name}=\"");
    let at = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + key.len();
    let end = at + tag[at..].find('"').expect("closing quote");
    tag[at..end].parse().expect("a number")
}

pub fn pages(pdf: &Path) -> Vec<Page> {
    let xml = tool("pdftotext", &["-bbox"], pdf);
    xml.split("<page ")
        .skip(1)
        .map(|block| {
            let head = &block[..block.find('>').expect("page tag")];
            let mut page = Page {
                width: attr(head, "width"),
                height: attr(head, "height"),
                text: String::new(),
                lowest: 0.0,
            };
            for word in block.split("<word ").skip(1) {
                let close = word.find('>').expect("word tag");
                page.lowest = page.lowest.max(attr(&word[..close], "yMax"));
                let text = &word[close + 1..word.find("</word>").expect("word end")];
                page.text.push_str(text);
                page.text.push(' ');
            }
            page
        })
        .collect()
}

/// `12/4/26`, `2026/12/4`: a date as a browser's header prints it.
pub fn has_slash_date(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || c == '/'))
        .any(|token| {
            let parts: Vec<&str> = token.split('/').collect();
            parts.len() == 3 && parts.iter().all(|p| !p.is_empty())
        })
}

pub struct Printed {
    pub name: &'static str,
    pub pages: Vec<Page>,
}

/// Prints `html` and checks what every document must be on paper.
pub fn print_and_check(
    chromium: &Path,
    dir: &Path,
    name: &'static str,
    html: &Path,
    title: &str,
) -> Printed {
    let pdf = dir.join(format!("{name}.pdf"));
    print_to_pdf(chromium, html, &pdf);
    let info = tool("pdfinfo", &[], &pdf);
    let pages = pages(&pdf);
    assert!(!pages.is_empty(), "{name}: no pages:\n{info}");
    for (k, p) in pages.iter().enumerate() {
        assert!(
            (p.width - A4.0).abs() < 2.0 && (p.height - A4.1).abs() < 2.0,
            "{name}: page {} is {} x {} pt, not A4 (595 x 842):\n{info}",
            k + 1,
            p.width,
            p.height
        );
    }
    let all: String = pages.iter().map(|p| p.text.as_str()).collect();
    let squeezed: String = all.chars().filter(|c| !c.is_whitespace()).collect();
    // The title is letter-spaced on the page: compare without spaces.
    assert!(
        squeezed.contains(title),
        "{name}: the title {title} is not in the printed text:\n{all}"
    );
    // The browser's header and footer: date and time, title and number, file address,
    // page numbers. The document's number is printed once, under the title; a header would
    // repeat it (with the title) on every page.
    assert!(
        !all.contains("file:"),
        "{name}: the file address printed:\n{all}"
    );
    assert!(
        !has_slash_date(&all),
        "{name}: a print date printed:\n{all}"
    );
    let source = std::fs::read_to_string(html).expect("html");
    let number = source
        .split("<p class=\"no\">")
        .nth(1)
        .and_then(|rest| rest.split("</p>").next())
        .expect("the document's number in the page");
    assert_eq!(
        squeezed.matches(number).count(),
        1,
        "{name}: the number {number} should print once, under the title:\n{all}"
    );
    let n = pages.len();
    for (k, p) in pages.iter().enumerate() {
        let words: Vec<&str> = p.text.split_whitespace().collect();
        assert!(
            words.last() != Some(&format!("{}/{n}", k + 1).as_str()),
            "{name}: page {} ends with the browser's page number:\n{}",
            k + 1,
            p.text
        );
    }
    // Fonts: embedded, so the paper matches the screen wherever the PDF goes.
    let fonts = tool("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "{name}: no fonts:\n{fonts}");
    for row in &rows {
        // name, type (one or two words), encoding, then emb sub uni and the object id.
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols.len() >= 5 && cols[cols.len() - 5] == "yes",
            "{name}: a font not embedded:\n{fonts}"
        );
    }
    Printed { name, pages }
}

impl Printed {
    pub fn count(&self) -> usize {
        self.pages.len()
    }

    /// Every page but the last is filled: its lowest text is in the bottom third. A row kept
    /// whole that does not fit would move to the next page and leave this one half empty.
    pub fn assert_no_page_left_mostly_blank(&self) {
        let n = self.pages.len();
        for (k, p) in self.pages.iter().enumerate().take(n.saturating_sub(1)) {
            assert!(
                p.lowest > p.height * 2.0 / 3.0,
                "{}: page {} of {n} ends {:.0} pt down a {:.0} pt page, mostly blank:\n{}",
                self.name,
                k + 1,
                p.lowest,
                p.height,
                p.text
            );
        }
    }
}

pub fn json(data: &Path, args: &[&str]) -> serde_json::Value {
    let out = paicha(data, args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).expect("json")
}

pub fn write_doc(data: &Path, args: &[&str], out: &Path) -> String {
    let mut all: Vec<&str> = vec!["doc"];
    all.extend_from_slice(args);
    let out_arg = out.to_string_lossy();
    all.extend_from_slice(&["--out", &out_arg]);
    let o = paicha(data, &all);
    assert!(o.status.success(), "{all:?}: {}", stderr(&o));
    std::fs::read_to_string(out).expect("html")
}

/// Says on stderr, past the test harness's capture (so it shows even when the test passes),
/// that nothing was checked.
pub fn skipped(why: &str) {
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: print_pdf: {why}; printing to PDF NOT checked"
    );
}

/// Chromium and poppler's tools, or `None` after saying SKIPPED on stderr.
pub fn printer() -> Option<PathBuf> {
    let chromium = match chromium() {
        Ok(found) => found,
        Err(why) => {
            skipped(&why);
            return None;
        }
    };
    let missing: Vec<&str> = ["pdfinfo", "pdftotext", "pdffonts"]
        .into_iter()
        .filter(|t| on_path(t).is_none())
        .collect();
    if !missing.is_empty() {
        skipped(&format!(
            "{} not on PATH (apt-get install poppler-utils)",
            missing.join(", ")
        ));
        return None;
    }
    Some(chromium)
}
