//! 现场照片补充页: the photos of an inspection added after its 现场检查记录 was first issued
//! (photos usually come off the camera at the office, after the record was printed on site).
//! The record's reprint never changes; this page carries what came later, names the record
//! it belongs to, and is signed by hand. It is not an issued document (no number of its own):
//! printed again with no new attachment, it gives the same bytes.

use super::html::{blank, esc, page_styled};
use super::layout::date_blanks;
use super::photos::{self, Photo};
use super::{DocumentError, InspectionFacts, time_text};
use crate::storage::Store;
use crate::templates::campaign::{Campaign, DocumentKind};
use uuid::Uuid;

/// The page's title.
pub const TITLE: &str = "现场照片补充页";

/// A 现场照片补充页 ready to save.
#[derive(Debug, Clone)]
pub struct PhotoSupplement {
    pub html: String,
    /// How many attachments it prints.
    pub count: usize,
    pub warnings: Vec<String>,
}

/// The 现场照片补充页 of a finalized inspection: its attachments recorded after its on-site
/// record was first issued (all of them when the record was never issued). Refused when
/// there are none.
pub fn photo_supplement(
    store: &Store,
    campaign: &Campaign,
    inspection_id: Uuid,
) -> Result<PhotoSupplement, DocumentError> {
    let facts = InspectionFacts::load(store, campaign, inspection_id)?;
    let record = facts.onsite_record.as_ref();
    let photos = photos::later_photos(store, inspection_id, &facts.visit, record)?;
    if photos.is_empty() {
        return Err(DocumentError::Refused(match record {
            Some(r) => format!(
                "现场检查记录（{}）出具后这次检查没有新增照片或其他附件：已有的都印在记录的照片页上",
                r.number
            ),
            None => "这次检查没有照片或其他附件".into(),
        }));
    }
    let mut warnings = photos::warnings(&photos);
    if record.is_none() {
        warnings.push(
            "这次检查的现场检查记录还没有出具：出具时照片会印在记录的照片页上，无需补充页".into(),
        );
    }
    Ok(PhotoSupplement {
        html: html(&facts, record.map(|r| r.number.as_str()), &photos),
        count: photos.len(),
        warnings,
    })
}

fn html(f: &InspectionFacts, record_no: Option<&str>, photos: &[Photo]) -> String {
    let until = f.visit.departure.map(time_text).unwrap_or_default();
    let which = match record_no {
        Some(_) => "上述编号的《现场检查记录》",
        None => "《现场检查记录》",
    };
    let mut body = format!(
        "<table>\n<tr><th>被检查单位</th><td>{}</td></tr>\n\
         <tr><th>检查时间</th><td>自 {} 至 {}</td></tr>\n\
         <tr><td colspan=\"2\">以下 {} 份照片及其他附件在{which}出具后记录，作为该记录的补充。</td></tr>\n\
         <tr class=\"sign-row\"><td colspan=\"2\">检查人员签字：{}　{}　　{}</td></tr>\n</table>\n",
        esc(&f.enterprise.name),
        esc(&time_text(f.visit.arrival)),
        esc(&until),
        photos.len(),
        blank(25),
        blank(25),
        date_blanks(),
    );
    body.push_str(&super::photo_page::figures(photos));
    let number = match record_no {
        Some(no) => format!("{}{no}附页", DocumentKind::OnsiteRecord.title()),
        None => format!("{}附页", DocumentKind::OnsiteRecord.title()),
    };
    page_styled(
        &f.department,
        TITLE,
        &number,
        super::photo_page::STYLE,
        &body,
    )
}
