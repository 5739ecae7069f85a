//! Forms reopened after a crash, on a `TestBackend` at 80×24 and 120×40: a hazard's step form
//! in the ledger (its title names the hazard) and a measures decision's first issue on the
//! documents screen, each with what had been typed and the focus on the field being typed.

use crate::app::msg::{DraftForm, FormDraft, HazardNotes, Msg};
use crate::app::screens::documents::tests::list;
use crate::app::screens::hazard_detail::StepForm;
use crate::app::state::App;
use crate::app::tests::{catalog, ctx_at_now, ledger_index, meta, now};
use crate::domain::lifecycle;
use crate::domain::{Hazard, HazardGrade, HazardSource, Record};
use crate::templates::campaign::DocumentKind;
use unicode_width::UnicodeWidthStr;

fn snap(name: &str, app: &App) {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    for (w, h) in [(80, 24), (120, 40)] {
        let screen = super::tests::render(app, &ctx, w, h);
        for line in screen.lines() {
            assert!(line.width() <= w as usize, "{name} {w}x{h}: {line:?}");
        }
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn a_step_form_reopened_on_its_hazard() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let hazard = Record {
        meta: meta(),
        data: Hazard {
            enterprise_id: uuid::Uuid::nil(),
            inspection_id: None,
            item_code: None,
            grade: HazardGrade::Major,
            source: HazardSource::PublicReport,
            description: "餐饮用户使用可调式减压阀，液化气钢瓶存放在地下室".into(),
            location: "后厨".into(),
            basis: "GB 51142".into(),
            found_at: now(),
            rectify_immediately: false,
            fixes: None,
            supervision: None,
            anonymous_report: false,
            assigning_document: None,
        },
    };
    let status = lifecycle::fold(&hazard.data, &[]);
    let draft = FormDraft {
        form: DraftForm::HazardStep {
            hazard: hazard.id(),
            step: StepForm::Rectify,
        },
        values: vec![
            ("deadline".into(), "2023-10-01".into()),
            ("responsible".into(), "钱七".into()),
        ],
        focus: 2,
    };
    let mut app = App::default();
    for msg in [
        Msg::LooseFormResumed(draft),
        Msg::LedgerLoaded(ledger_index(3)),
        Msg::HazardLoaded(Box::new((hazard, vec![], status)), HazardNotes::default()),
    ] {
        app.update(msg, &ctx);
    }
    snap("loose_step_form_reopened", &app);
}

#[test]
fn a_measures_decision_reopened_on_its_row() {
    let catalog = catalog();
    let ctx = ctx_at_now(&catalog);
    let row = &list().rows[2];
    let draft = FormDraft {
        form: DraftForm::Document {
            subject: list().subject,
            kind: DocumentKind::OnsiteMeasures,
            of: row.subject,
            on_site: true,
        },
        values: vec![
            ("danger".into(), "卸油区油气浓度超标，静电接地线断开".into()),
            ("m_suspend".into(), "是".into()),
        ],
        focus: 5,
    };
    let mut app = App::default();
    app.update(Msg::LooseFormResumed(draft), &ctx);
    app.update(Msg::DocumentsLoaded(Box::new(list())), &ctx);
    snap("loose_measures_form_reopened", &app);
}
