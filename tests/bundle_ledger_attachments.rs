//! Issue 17: the office's ledger for the laptops carries the photos of hazards not closed out
//! (what a laptop compares at a 复查), and not those of closed-out hazards or of inspections,
//! which stay in the office's archive: a ledger of years would otherwise outgrow any bundle.

#[path = "bundle/support.rs"]
mod support;

use paicha::bundle::ExportOptions;
use paicha::domain::attachment::{AttachmentRules, PhotoRole};
use paicha::domain::lifecycle::Step;
use std::path::Path;
use support::*;

const LEADER: &str = "王县长";

fn photo(dir: &Path, name: &str, seed: u8) -> std::path::PathBuf {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..4096).map(|i: u32| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write photo");
    path
}

fn attach(site: &mut Site, id: uuid::Uuid, role: Option<PhotoRole>, file: &Path) -> String {
    let target = site.store.attachment_target(id, None).expect("target");
    let added = site
        .store
        .attach(
            &target,
            role,
            "",
            &[file.to_path_buf()],
            &AttachmentRules::default(),
        )
        .expect("attach");
    added[0].data.sha256.clone()
}

#[test]
fn the_ledger_carries_photos_of_open_hazards_only() {
    let mut office = site("张科长");
    paicha::demo::one_person_office(&mut office.store, "方山县应急管理局", LEADER).expect("office");
    let ent = enterprise(&mut office.store, "方山县加油站", "91350100M000100Y43");
    let (inspection_a, open) = inspection(&mut office.store, ent, "储罐区紧急切断阀失效");
    let (_, closed) = inspection(&mut office.store, ent, "卸油区静电接地断开");
    let camera = office.dir.path().join("camera");
    std::fs::create_dir_all(&camera).expect("camera");

    let open_before = attach(
        &mut office,
        open,
        Some(PhotoRole::Before),
        &photo(&camera, "open.jpg", 1),
    );
    let closed_before = attach(
        &mut office,
        closed,
        Some(PhotoRole::Before),
        &photo(&camera, "closed.jpg", 2),
    );
    let of_inspection = attach(
        &mut office,
        inspection_a,
        None,
        &photo(&camera, "gate.jpg", 3),
    );
    // The closed hazard walks its loop; a step photo of the open one travels too.
    step(&mut office.store, closed, Step::Rectify { fixes: None });
    step(&mut office.store, closed, Step::ReportRectified);
    step(
        &mut office.store,
        closed,
        Step::Verify {
            passed: true,
            by: "李建山".into(),
            new_deadline: None,
            case_opened: false,
        },
    );
    let leader = office
        .store
        .roster()
        .expect("roster")
        .expect("office")
        .people
        .values()
        .find(|p| p.name == LEADER)
        .expect("leader")
        .id;
    step(
        &mut office.store,
        closed,
        Step::CloseOut {
            signer: LEADER.into(),
            signed_at: chrono::Utc::now(),
            signer_id: Some(leader),
        },
    );
    step(&mut office.store, open, Step::Rectify { fixes: None });
    let event = office
        .store
        .hazard_events(open)
        .expect("events")
        .last()
        .expect("a step")
        .id();
    let open_step = attach(
        &mut office,
        event,
        Some(PhotoRole::After),
        &photo(&camera, "step.jpg", 4),
    );

    let names = |bundle: &Path| -> Vec<String> {
        entries(bundle)
            .into_iter()
            .filter_map(|(n, _)| n.strip_prefix("attachments/").map(str::to_string))
            .collect()
    };
    let ledger = export(
        &mut office,
        "ledger.paicha",
        ExportOptions {
            ledger: true,
            ..Default::default()
        },
    );
    let mut carried = names(&ledger);
    carried.sort();
    let mut expected = vec![open_before.clone(), open_step.clone()];
    expected.sort();
    assert_eq!(carried, expected, "only the open hazard's photos");
    // The findings bundle still carries every photo of what it carries.
    let findings = names(&export(&mut office, "all.paicha", all()));
    for sha in [&open_before, &closed_before, &of_inspection, &open_step] {
        assert!(findings.contains(sha), "{sha} missing from the findings");
    }

    // A laptop takes the ledger whole: the photos arrive with their records.
    let mut laptop = site("李建山");
    let fingerprint = match import(&mut laptop, &ledger) {
        Err(paicha::bundle::BundleError::Store(paicha::storage::StoreError::UnknownOffice {
            fingerprint,
            ..
        })) => fingerprint,
        other => panic!("the office's first ledger asks for its fingerprint: {other:?}"),
    };
    paicha::bundle::import_with_progress(
        &mut laptop.store,
        &ledger,
        paicha::bundle::Trust {
            office_fingerprint: Some(fingerprint),
            ..Default::default()
        },
        false,
        None,
        paicha::bundle::ImportLimits::default(),
        &|_, _| {},
    )
    .expect("ledger imported");
    let files = laptop.dir.path().join("attachments");
    assert!(files.join(&open_before).is_file());
    assert!(!files.join(&closed_before).exists());
}
