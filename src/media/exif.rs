//! EXIF of a photo (JPEG, HEIC/HEIF, PNG, TIFF, WebP) through kamadak-exif: when it was taken,
//! where, and which way up.
//!
//! Cameras write the capture time as local wall time (`DateTimeOriginal`), the zone only
//! sometimes (`OffsetTimeOriginal`). Without a zone the time is taken as Beijing time, the
//! time every inspector's camera and phone are set to.
//!
//! `DateTime` (0x0132) is not read as a capture time: EXIF 2.3 defines it as when the file was
//! last changed (an editor or a scanner's software rewrites it), so a photo with only that tag
//! gets the file time, marked as such, like one without EXIF.

use crate::domain::attachment::Place;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use exif::{Exif, In, Reader, Tag, Value};
use std::io::{BufReader, Read, Seek};

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Meta {
    /// The moment the photo was taken.
    pub taken: Option<DateTime<Utc>>,
    /// Whether the camera wrote its zone (else Beijing time was assumed).
    pub zone_recorded: bool,
    pub place: Option<Place>,
    /// EXIF Orientation 1..=8.
    pub orientation: Option<u32>,
}

/// Reads the EXIF of the photo in `r`; an error when it has none or it cannot be parsed.
pub fn read<R: Read + Seek>(r: R) -> Result<Meta, exif::Error> {
    let exif = Reader::new().read_from_container(&mut BufReader::new(r))?;
    let mut meta = Meta::default();
    for (time, offset) in [
        (Tag::DateTimeOriginal, Tag::OffsetTimeOriginal),
        (Tag::DateTimeDigitized, Tag::OffsetTimeDigitized),
    ] {
        if let Some((t, zoned)) = moment(&exif, time, offset) {
            meta.taken = Some(t);
            meta.zone_recorded = zoned;
            break;
        }
    }
    let lat = degrees(&exif, Tag::GPSLatitude, Tag::GPSLatitudeRef, b'S');
    let lon = degrees(&exif, Tag::GPSLongitude, Tag::GPSLongitudeRef, b'W');
    if let (Some(lat), Some(lon)) = (lat, lon) {
        meta.place = Place::new(lat, lon);
    }
    meta.orientation = exif
        .get_field(Tag::Orientation, In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o));
    Ok(meta)
}

fn ascii(exif: &Exif, tag: Tag) -> Option<&[u8]> {
    match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Ascii(v) => v.first().map(|s| s.as_slice()),
        _ => None,
    }
}

/// The time of `tag` with the zone of `offset` (Beijing time when absent); whether the zone
/// was recorded.
fn moment(exif: &Exif, tag: Tag, offset: Tag) -> Option<(DateTime<Utc>, bool)> {
    let mut dt = exif::DateTime::from_ascii(ascii(exif, tag)?).ok()?;
    if let Some(off) = ascii(exif, offset) {
        let _ = dt.parse_offset(off);
    }
    let local = NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?
        .and_hms_opt(dt.hour.into(), dt.minute.into(), dt.second.into())?;
    let zoned = dt.offset.is_some();
    let zone = match dt.offset {
        Some(minutes) => FixedOffset::east_opt(i32::from(minutes) * 60)?,
        None => crate::domain::time::beijing(),
    };
    let t = zone.from_local_datetime(&local).single()?;
    Some((t.with_timezone(&Utc), zoned))
}

/// Degrees of a GPS coordinate, negative on the `negative` side ('S', 'W').
fn degrees(exif: &Exif, tag: Tag, reference: Tag, negative: u8) -> Option<f64> {
    // RATIONAL per the standard; some phones (vivo) write SRATIONAL.
    let dms: Vec<f64> = match &exif.get_field(tag, In::PRIMARY)?.value {
        Value::Rational(r) if r.iter().all(|x| x.denom != 0) => {
            r.iter().map(|x| x.to_f64()).collect()
        }
        Value::SRational(r) if r.iter().all(|x| x.denom != 0) => {
            r.iter().map(|x| x.to_f64()).collect()
        }
        _ => return None,
    };
    let [d, m, s, ..] = dms[..] else { return None };
    let value = d + m / 60.0 + s / 3600.0;
    let sign = match ascii(exif, reference).and_then(|r| r.first()) {
        Some(&c) if c == negative => -1.0,
        _ => 1.0,
    };
    Some(sign * value)
}

#[cfg(test)]
pub(crate) mod tests;
