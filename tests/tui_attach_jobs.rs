//! Attaching as the TUI runs it (issue 17): the copy is a background job that reports bytes,
//! the UI thread only starts it; a folder is listed off the UI thread and the latest asked
//! for is the one shown; the 已附 list names each stored copy by its hash.

#[path = "support/photo_site.rs"]
mod photo_site;

use paicha::app::effects::Runner;
use paicha::app::msg::{Effect, JobOutcome, Msg};
use paicha::app::screens::attach::AttachTo;
use paicha::storage::Store;
use paicha::templates::Catalog;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Polls the runner as the event loop does, until `done` says stop; the news seen on the way.
fn poll_until(runner: &mut Runner, done: impl Fn(&Msg) -> bool) -> Vec<Msg> {
    let start = Instant::now();
    let mut seen = Vec::new();
    loop {
        if let Some(msg) = runner.poll_job() {
            let stop = done(&msg);
            seen.push(msg);
            if stop {
                return seen;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never ended");
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn files_are_attached_by_a_background_job_reporting_bytes_and_listed_afterwards() {
    let dir = tempfile::tempdir().expect("dir");
    let (_inspection, hazard) = photo_site::site(dir.path());
    let photos = tempfile::tempdir().expect("photos");
    // Three files of 3 MB (several copy pieces each), told apart by their first pixel bytes.
    let mut files = Vec::new();
    for i in 0..3u8 {
        let mut bytes = std::fs::read(photo_site::fixture("exif.jpg")).expect("fixture");
        bytes.extend(std::iter::repeat_n(i, 3 << 20));
        let path = photos.path().join(format!("整改前 {i}.jpg"));
        std::fs::write(&path, &bytes).expect("write");
        files.push(path);
    }
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("meta").len())
        .sum();

    let mut store = Store::open(dir.path(), Arc::new(paicha::domain::SystemClock)).expect("open");
    let catalog = Catalog::builtin().expect("catalog");
    let mut runner = Runner::new(&mut store, &catalog, dir.path().display().to_string());
    let to = AttachTo {
        id: hazard,
        item: None,
        role: Some(paicha::domain::attachment::PhotoRole::Before),
        hazard: true,
        label: "隐患".into(),
    };
    // The UI thread only starts the job.
    assert!(
        runner
            .run(Effect::Attach {
                to: to.clone(),
                files: files.clone()
            })
            .is_none()
    );
    assert!(runner.busy());
    let news = poll_until(&mut runner, |m| matches!(m, Msg::JobDone(_)));
    let Some(Msg::JobDone(JobOutcome::Attached(Ok(records)))) = news.last() else {
        panic!("{:?}", news.last());
    };
    assert_eq!(records.len(), 3);
    // Progress is by bytes, never past the total, ending on it when it was seen at all.
    let mut last = 0;
    for m in &news {
        if let Msg::JobProgress { done, total: of } = m {
            assert_eq!(*of, total);
            assert!(*done >= last && *done <= total, "{done} after {last}");
            last = *done;
        }
    }
    assert!(!runner.busy());

    // The 已附 list: each record with its stored copy, named by hash, holding the bytes.
    let Some(Msg::AttachedListed(Ok(stored))) = runner.run(Effect::ListAttached(to)) else {
        panic!("not listed");
    };
    assert_eq!(stored.len(), 3);
    for (s, file) in stored.iter().zip(&files) {
        assert!(s.path.ends_with(&s.record.data.sha256));
        assert_eq!(
            std::fs::read(&s.path).expect("stored"),
            std::fs::read(file).expect("source")
        );
    }
}

#[test]
fn a_folder_is_listed_off_the_ui_thread_and_only_the_latest_asked_for_is_shown() {
    let dir = tempfile::tempdir().expect("dir");
    photo_site::site(dir.path());
    let photos = tempfile::tempdir().expect("photos");
    for name in ["a", "b"] {
        let sub = photos.path().join(name);
        std::fs::create_dir(&sub).expect("mkdir");
        std::fs::copy(photo_site::fixture("exif.jpg"), sub.join("p.jpg")).expect("copy");
    }
    let mut store = Store::open(dir.path(), Arc::new(paicha::domain::SystemClock)).expect("open");
    let catalog = Catalog::builtin().expect("catalog");
    let mut runner = Runner::new(&mut store, &catalog, dir.path().display().to_string());
    let mut shown = Vec::new();
    for name in ["a", "b"] {
        match runner.run(Effect::ListFolder(Some(photos.path().join(name)))) {
            Some(Msg::FolderListed(Ok(l))) => shown.push(l.dir),
            Some(other) => panic!("{other:?}"),
            // Still being read: the answer comes through the loop's polling.
            None => {}
        }
    }
    if runner.busy() {
        let news = poll_until(&mut runner, |m| matches!(m, Msg::FolderListed(_)));
        for m in news {
            if let Msg::FolderListed(Ok(l)) = m {
                shown.push(l.dir);
            }
        }
    }
    assert_eq!(shown.last(), Some(&photos.path().join("b")));
    assert!(!runner.busy());
    // A folder that cannot be read says so in Chinese.
    let missing = photos.path().join("不存在");
    let said = match runner.run(Effect::ListFolder(Some(missing))) {
        Some(Msg::FolderListed(r)) => r,
        None => match poll_until(&mut runner, |m| matches!(m, Msg::FolderListed(_))).pop() {
            Some(Msg::FolderListed(r)) => r,
            other => panic!("{other:?}"),
        },
        Some(other) => panic!("{other:?}"),
    };
    assert!(said.expect_err("missing").contains("无法打开文件夹"));
}
