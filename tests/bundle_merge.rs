//! Three laptops and an office exchanging bundles in random interleavings (seeded): every
//! import of a genuine bundle succeeds, and whoever has received everything holds the same
//! records, whatever the order and however often a bundle was imported.
//! More trials: `PAICHA_MERGE_SEEDS=20 cargo test --test bundle_merge`.

#[path = "bundle/support.rs"]
mod support;

use paicha::domain::lifecycle::Step;
use std::path::PathBuf;
use support::*;

/// xorshift64*: small, seeded, good enough to shuffle test operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn shuffled(rng: &mut Rng, mut list: Vec<PathBuf>) -> Vec<PathBuf> {
    for i in (1..list.len()).rev() {
        list.swap(i, rng.below(i + 1));
    }
    list
}

fn trial(seed: u64) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut laptops = [site("李建山"), site("王五"), site("赵六")];
    let ent = enterprise(&mut laptops[0].store, "方山县加油站", "91350100M000100Y43");
    let first = export(&mut laptops[0], "seed.paicha", all());
    let mut bundles = vec![first.clone()];
    let mut hazards = Vec::new();
    for (i, laptop) in laptops.iter_mut().enumerate() {
        if i > 0 {
            import(laptop, &first).expect("the shared roster");
        }
        hazards.push(inspection(&mut laptop.store, ent, &format!("第{i}台电脑的发现")).1);
    }
    let steps = [
        Step::Transfer {
            to_unit: "能源股".into(),
        },
        Step::Rectify { fixes: None },
        Step::ReportRectified,
        Step::ListForSupervision {
            tracking_person: "张局长".into(),
        },
    ];
    for n in 0..24 {
        let who = rng.below(laptops.len());
        match rng.below(4) {
            0 => {
                let (_, h) = inspection(&mut laptops[who].store, ent, &format!("操作{n}"));
                hazards.push(h);
            }
            1 => {
                let hazard = hazards[rng.below(hazards.len())];
                let step = steps[rng.below(steps.len())].clone();
                let now = laptops[who].store.now();
                // Refused steps (a hazard this laptop has not seen, a guard) are fine here.
                let _ = laptops[who].store.apply_step(hazard, step, now, "");
            }
            2 => {
                let options = if rng.below(2) == 0 {
                    all()
                } else {
                    Default::default()
                };
                let name = format!("l{who}-{n}.paicha");
                bundles.push(export(&mut laptops[who], &name, options));
            }
            _ => {
                let bundle = bundles[rng.below(bundles.len())].clone();
                import(&mut laptops[who], &bundle)
                    .unwrap_or_else(|e| panic!("seed {seed}: genuine bundle refused: {e}"));
            }
        }
    }
    for (i, laptop) in laptops.iter_mut().enumerate() {
        bundles.push(export(laptop, &format!("final-{i}.paicha"), all()));
    }
    let mut reference: Option<String> = None;
    for _ in 0..2 {
        let mut office = site("张科长");
        let order = shuffled(&mut rng, bundles.clone());
        for bundle in order.iter().chain(order.iter().take(3)) {
            import(&mut office, bundle)
                .unwrap_or_else(|e| panic!("seed {seed}: office refused {bundle:?}: {e}"));
        }
        assert!(
            office
                .store
                .stale_hazard_status()
                .expect("check")
                .is_empty()
        );
        let me = office
            .store
            .profile()
            .expect("profile")
            .map(|p| p.id().to_string())
            .unwrap_or_default();
        let dump: String = records_dump(&office.store)
            .lines()
            .filter(|l| !l.starts_with(&me))
            .map(|l| format!("{l}\n"))
            .collect();
        match &reference {
            None => reference = Some(dump),
            Some(r) => assert_same(&dump, r, &format!("seed {seed}: two offices, two orders")),
        }
    }
    // Each laptop that takes every other laptop's final bundle ends with the office's records.
    let finals: Vec<PathBuf> = bundles[bundles.len() - 3..].to_vec();
    let mut dumps = Vec::new();
    for (i, laptop) in laptops.iter_mut().enumerate() {
        for (j, bundle) in finals.iter().enumerate() {
            if i != j {
                import(laptop, bundle).expect("final exchange");
            }
        }
        dumps.push(records_dump(&laptop.store));
    }
    for d in &dumps[1..] {
        assert_same(
            d,
            &dumps[0],
            &format!("seed {seed}: laptops after the exchange"),
        );
    }
    assert_same(
        &dumps[0],
        reference.as_deref().unwrap_or_default(),
        &format!("seed {seed}: laptops and office"),
    );
}

#[test]
fn random_interleavings_of_exports_and_imports_converge() {
    let seeds: u64 = std::env::var("PAICHA_MERGE_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for seed in 1..=seeds {
        trial(seed);
    }
}
