//! A finalized inspection with a hazard to attach photos to, and what the photo tests compare
//! with (tests/documents_photos*.rs).
#![allow(dead_code)] // each test file uses some of these

use chrono::{DateTime, NaiveDate, Utc};
use paicha::domain::{
    AnswerResult, CreditCode, Enterprise, FiveFixes, Hazard, HazardGrade, HazardSource, Inspection,
    InspectionMode, Inspector, ItemSnapshot, SystemClock, time,
};
use paicha::storage::Store;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use uuid::Uuid;

/// A 1×1 PNG built here (the smallest valid one: IHDR, one IDAT, IEND).
pub const TINY_PNG: [u8; 67] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
    0x42, 0x60, 0x82,
];

pub fn bj(m: u32, d: u32, h: u32) -> DateTime<Utc> {
    let day = NaiveDate::from_ymd_opt(2023, m, d).expect("day");
    time::from_local(day.and_hms_opt(h, 0, 0).expect("time"))
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/media")
        .join(name)
}

pub fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Standard base64, written out independently of the program's.
pub fn b64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = String::new();
    for b in bytes {
        bits.push_str(&format!("{b:08b}"));
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut out: String = bits
        .as_bytes()
        .chunks(6)
        .map(|c| {
            let n = u8::from_str_radix(std::str::from_utf8(c).expect("bits"), 2).expect("n");
            A[n as usize] as char
        })
        .collect();
    while !out.len().is_multiple_of(4) {
        out.push('=');
    }
    out
}

/// A finalized inspection (two officers, item E12 non-compliant) with a major hazard.
pub fn site(dir: &Path) -> (Uuid, Uuid) {
    let mut store = Store::open(dir, Arc::new(SystemClock)).expect("store");
    store
        .set_profile(Inspector {
            name: "李建山".into(),
            cert_no: "14010001".into(),
            group_code: Some("energy".into()),
        })
        .expect("profile");
    let me = store.author_id().expect("me");
    let colleague = store
        .add_inspector(Inspector {
            name: "高峰翔".into(),
            cert_no: "14010002".into(),
            group_code: Some("energy".into()),
        })
        .expect("colleague")
        .id();
    let e = store
        .add_enterprise(Enterprise {
            name: "方山县甲加油站".into(),
            credit_code: CreditCode::from_body("91350100M000100Y4").expect("code"),
            address: "圪洞镇大街1号".into(),
            town: "圪洞镇".into(),
            sector: "加油站".into(),
            sector_code: Some("fuel".into()),
            risk_level: None,
            principal: "王五".into(),
            phone: "0358-6021234".into(),
        })
        .expect("enterprise")
        .id();
    let item = ItemSnapshot {
        code: "E12".into(),
        template_id: "duties".into(),
        template_version: 1,
        section: "任务".into(),
        question: "电焊等特种作业人员是否持证上岗？".into(),
        basis: String::new(),
    };
    let inspection = store
        .create_inspection(Inspection::draft(
            e,
            InspectionMode::Unannounced,
            vec![me, colleague],
            bj(9, 5, 9),
            vec![],
            vec![item],
        ))
        .expect("draft")
        .id();
    store
        .set_answer(
            inspection,
            "E12",
            AnswerResult::NonCompliant,
            "焊工无证动火",
        )
        .expect("answer");
    let hazard = store
        .record_hazard(Hazard {
            enterprise_id: e,
            inspection_id: Some(inspection),
            item_code: Some("E12".into()),
            grade: HazardGrade::Major,
            source: HazardSource::Inspection,
            description: "无证人员在储罐区动火作业".into(),
            location: "储罐区".into(),
            basis: String::new(),
            found_at: bj(9, 5, 10),
            rectify_immediately: false,
            fixes: Some(FiveFixes {
                responsible_person: "王五".into(),
                measures: "停止作业，持证上岗".into(),
                funds: "1万元".into(),
                deadline: NaiveDate::from_ymd_opt(2023, 10, 30).expect("d"),
                emergency_plan: "停止动火".into(),
            }),
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        })
        .expect("hazard")
        .id();
    store
        .finalize_with_follow_ups(inspection, Some(bj(9, 5, 11)))
        .expect("final");
    (inspection, hazard)
}
