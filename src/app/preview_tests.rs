//! Thumbnails: decoded small and upright from generated JPEG and PNG files, refused in Chinese
//! when not an image, kept least recently used out; the worker answers off the UI thread.

use super::*;
use image::{ImageFormat, Rgb, RgbImage};

/// A `w`×`h` picture, left half red, right half blue, written as `format` into `dir`.
pub(crate) fn picture(dir: &Path, name: &str, w: u32, h: u32, format: ImageFormat) -> PathBuf {
    let img = RgbImage::from_fn(w, h, |x, _| {
        if x < w / 2 {
            Rgb([220, 30, 30])
        } else {
            Rgb([30, 30, 220])
        }
    });
    let path = dir.join(name);
    img.save_with_format(&path, format).expect("save");
    path
}

#[test]
fn a_large_photo_is_shrunk_to_a_thumbnail_keeping_its_shape() {
    let dir = tempfile::tempdir().expect("dir");
    let jpeg = picture(dir.path(), "big.jpg", 1600, 800, ImageFormat::Jpeg);
    let thumb = thumbnail(&jpeg).expect("thumbnail");
    assert_eq!((thumb.width(), thumb.height()), (MAX_SIDE, MAX_SIDE / 2));
    let png = picture(dir.path(), "small.png", 8, 4, ImageFormat::Png);
    let thumb = thumbnail(&png).expect("thumbnail");
    assert_eq!((thumb.width(), thumb.height()), (8, 4), "never enlarged");
}

#[test]
fn what_is_not_a_picture_gets_a_reason_in_chinese() {
    let dir = tempfile::tempdir().expect("dir");
    let fake = dir.path().join("fake.jpg");
    std::fs::write(&fake, b"\xFF\xD8\xFF\xE0 not really a jpeg").expect("write");
    let why = thumbnail(&fake).expect_err("refused");
    assert!(
        why.contains("图像无法解码") || why.contains("无法读取"),
        "{why}"
    );
    let missing = thumbnail(&dir.path().join("none.png")).expect_err("refused");
    assert!(missing.contains("无法读取"), "{missing}");
}

#[test]
fn the_cache_keeps_the_most_recently_used_sixteen() {
    let mut thumbs = Thumbs::default();
    let key = |i: u64| (PathBuf::from(format!("/p/{i}.jpg")), i);
    thumbs.pending.push(key(0));
    assert!(thumbs.known(&key(0)));
    for i in 0..CACHE as u64 {
        thumbs.insert(key(i), Thumb::Failed(String::new()));
    }
    assert!(thumbs.pending.is_empty(), "answered: no longer pending");
    // Using the oldest keeps it; the next one in pushes out the second oldest.
    assert!(thumbs.get(&key(0)).is_some());
    thumbs.insert(key(99), Thumb::Failed(String::new()));
    assert_eq!(thumbs.len(), CACHE);
    assert!(thumbs.known(&key(0)));
    assert!(!thumbs.known(&key(1)));
}

#[test]
fn the_worker_answers_off_the_ui_thread_and_is_busy_until_then() {
    let dir = tempfile::tempdir().expect("dir");
    let png = picture(dir.path(), "a.png", 40, 20, ImageFormat::Png);
    let mut worker = Worker::start(Picker::halfblocks());
    assert!(!worker.busy());
    worker.request((png.clone(), 1), Some(Size::new(20, 10)));
    assert!(worker.busy());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let msg = loop {
        if let Some(msg) = worker.poll() {
            break msg;
        }
        assert!(std::time::Instant::now() < deadline, "no answer");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(!worker.busy());
    let Msg::Thumbnail(key, Made(Ok(_))) = msg else {
        panic!("{msg:?}");
    };
    assert_eq!(key, (png, 1));
}

#[test]
fn a_portrait_photo_stored_sideways_is_shown_upright() {
    // Phones store a portrait photo as landscape pixels with EXIF Orientation 6 (turn 90°
    // clockwise to view): the left (red) half must end up on top.
    let dir = tempfile::tempdir().expect("dir");
    let landscape = picture(dir.path(), "raw.jpg", 400, 300, ImageFormat::Jpeg);
    let pixels = std::fs::read(&landscape).expect("read");
    let phone = crate::media::exif::tests::phone_photo("2023:08:15 10:20:30", None, 6);
    let app1_len = usize::from(u16::from_be_bytes([phone[4], phone[5]]));
    let mut bytes = pixels[..2].to_vec();
    bytes.extend_from_slice(&phone[2..4 + app1_len]);
    bytes.extend_from_slice(&pixels[2..]);
    let portrait = dir.path().join("IMG_portrait.jpg");
    std::fs::write(&portrait, bytes).expect("write");
    let thumb = thumbnail(&portrait).expect("thumbnail").to_rgb8();
    assert_eq!((thumb.width(), thumb.height()), (300, 400), "upright");
    let top = thumb.get_pixel(150, 20);
    let bottom = thumb.get_pixel(150, 380);
    assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "blue below: {bottom:?}");
}
