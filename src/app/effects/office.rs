//! The office screens' effects: the hazard entry (permission asked before the form, the hazard
//! and its reward in one write), the month's lists and their xlsx, the record a row of the
//! monthly table counted found for its correction, and the loose form (one with no draft
//! inspection behind it: these screens', the ledger's step forms, the documents screen's)
//! remembered apart from any inspection.

use super::{Runner, failed};
use crate::app::msg::{CorrectionTarget, Effect, FormDraft, Msg};
use crate::domain::HazardSource;
use crate::domain::trust::Action;
use crate::report::hazard_list::Window;
use crate::report::month_lists;
use crate::storage::{StoreError, describe_io};
use std::io::Write;
use std::path::{Path, PathBuf};
use uuid::Uuid;

impl Runner<'_> {
    /// Runs one of the office screens' effects.
    pub(super) fn office(&mut self, effect: Effect) -> Option<Msg> {
        let result = match effect {
            Effect::RememberLooseForm(draft) => {
                let text = draft.map(|d| serde_json::to_string(&d).unwrap_or_default());
                return self
                    .store
                    .remember_loose_form(text.as_deref())
                    .err()
                    .map(failed);
            }
            Effect::ResumeLooseForm => {
                let text = self.store.loose_form().ok()??;
                let draft: FormDraft = serde_json::from_str(&text).ok()?;
                return Some(Msg::LooseFormResumed(draft));
            }
            Effect::OpenOfficeHazard { enterprise, draft } => {
                self.store.enterprise(enterprise).and_then(|e| {
                    // Every office source needs the same role: asked before the form is filled.
                    let refused = self
                        .store
                        .may(&Action::RegisterHazard {
                            source: HazardSource::PublicReport,
                            inspectors: None,
                        })?
                        .err();
                    Ok(Msg::OfficeHazardReady {
                        enterprise: Box::new(e),
                        refused,
                        draft,
                    })
                })
            }
            Effect::RecordOfficeHazard { hazard, reward_fen } => self
                .store
                .record_office_hazard(hazard, reward_fen)
                .map(|(saved, reward)| {
                    let changed = self.store.hazard_summary(saved.id()).map(|s| vec![s]);
                    self.ledger.patch(changed);
                    Msg::OfficeHazardSaved(saved, reward.and_then(|r| r.data.amount_fen))
                }),
            Effect::LoadMonthList { which, year, month } => self
                .month_list(which, year, month)
                .map(|list| Msg::MonthListLoaded(Box::new(list), self.documents_dir())),
            Effect::ExportMonthList {
                which,
                year,
                month,
                path,
            } => {
                return Some(Msg::MonthListExported(
                    self.export_month_list(which, year, month, &path),
                ));
            }
            Effect::OpenCorrection { record, draft } => self
                .correction_target(record)
                .map(|target| Msg::CorrectionReady { target, draft }),
            _ => return None,
        };
        Some(result.unwrap_or_else(failed))
    }

    fn month_list(
        &self,
        which: month_lists::Which,
        year: i32,
        month: u32,
    ) -> Result<month_lists::MonthList, StoreError> {
        let window = Window::month(year, month)
            .ok_or_else(|| StoreError::Invalid(format!("{year}年{month}月不是有效的月份")))?;
        month_lists::build(self.store, self.catalog, window, None, which)
    }

    /// Where an export is offered: the user's Documents folder, else the data folder.
    fn documents_dir(&self) -> PathBuf {
        let data = self.store.path().parent().unwrap_or(Path::new("."));
        crate::paths::documents_dir(data)
    }

    /// The list as the CLI's `--format xlsx` writes it, written whole or not at all (a temp
    /// file beside it, renamed once on disk): where it went, or why not.
    fn export_month_list(
        &self,
        which: month_lists::Which,
        year: i32,
        month: u32,
        path: &Path,
    ) -> Result<String, String> {
        let list = self
            .month_list(which, year, month)
            .map_err(|e| e.to_string())?;
        let bytes = list.listing.xlsx()?;
        let Some(name) = path.file_name() else {
            return Err(format!("{} 不是文件名：请写上文件名", path.display()));
        };
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(format!("没有这个目录：{}", dir.display()));
        }
        let temp = dir.join(format!(".{}.part", name.to_string_lossy()));
        let written = (|| -> std::io::Result<()> {
            let mut f = std::fs::File::create(&temp)?;
            f.write_all(&bytes)?;
            f.sync_all()?;
            std::fs::rename(&temp, path)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(format!("无法写入 {}：{}", path.display(), describe_io(&e)));
        }
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let mut said = format!(
            "已写入 {}（{}，{} 项）",
            shown.display(),
            list.listing.title,
            list.listing.rows.len()
        );
        if !list.withheld.is_empty() {
            said.push_str(&format!(
                "；{} 项因描述只涉及举报人未公开，请用“更正”改写描述",
                list.withheld.len()
            ));
        }
        Ok(said)
    }

    /// The activity or enforcement action `record`, if it may be corrected here and now.
    fn correction_target(
        &self,
        record: Uuid,
    ) -> Result<Result<CorrectionTarget, String>, StoreError> {
        let activities = self.store.activities()?;
        if let Some(a) = activities.iter().find(|a| a.id() == record) {
            if let Some(newer) = activities.iter().find(|b| b.data.corrects == Some(record)) {
                return Ok(Err(format!(
                    "这条工作活动已被更正（更正记录：{} {}，编号 {}）：请更正那条更正记录（在它计入的行按 Enter，选中后按 c）",
                    newer.data.held_on,
                    newer.data.kind.label(),
                    newer.id()
                )));
            }
            return Ok(self
                .may_correct(a.meta.author_id)?
                .map(|()| CorrectionTarget::Activity(a.clone())));
        }
        let actions = self.store.enforcement_actions()?;
        if let Some(a) = actions.iter().find(|a| a.id() == record) {
            if let Some(newer) = actions.iter().find(|b| b.data.corrects == Some(record)) {
                return Ok(Err(format!(
                    "这条执法措施已被更正（更正记录：{} {}，编号 {}）：请更正那条更正记录（在它计入的行按 Enter，选中后按 c）",
                    newer.data.decided_on,
                    newer.data.kind.label(),
                    newer.id()
                )));
            }
            return Ok(self
                .may_correct(a.meta.author_id)?
                .map(|()| CorrectionTarget::Action(a.clone())));
        }
        Ok(Err(
            "这里只能更正工作活动和执法措施：隐患在台账（首页按 l）中打开后按 c 更正，检查记录在首页按 o 打开后按 e 补记"
                .into(),
        ))
    }

    /// Whether the profile may correct a record of `author` (asked before the form is filled).
    fn may_correct(&self, author: Uuid) -> Result<Result<(), String>, StoreError> {
        Ok(self
            .store
            .may(&Action::Correction {
                original_author: author,
            })?
            .map_err(|why| format!("不能更正：{why}")))
    }
}
