//! The app's state and its one update function: a message in, the state changed, effects out.

use super::keymap::{self, Cmd};
use super::msg::{DraftForm, Effect, FormDraft, JobOutcome, Msg, Place, PlaceScreen};
use super::screens::checklist::Checklist;
use super::screens::documents::{Documents, Subject};
use super::screens::exam::ExamScreen;
use super::screens::hazard::HazardScreen;
use super::screens::home::Home;
use super::screens::overlays::{NoteEditor, Overlay};
use super::screens::review::Review;
use super::screens::setup::Setup;
use super::screens::{Ctx, Screen, Step};
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};

/// A line for the status bar: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub screen: Screen,
    pub overlays: Vec<Overlay>,
    pub notice: Option<Notice>,
    /// When the last change was made durable ("已保存 HH:MM:SS").
    pub saved_at: Option<DateTime<Utc>>,
    pub quit: bool,
    /// The terminal is below the size the layout needs: the screen says so, and keys other
    /// than leaving are dropped (typed blind, they would answer items nobody sees).
    pub too_small: bool,
}

impl Default for App {
    fn default() -> Self {
        App {
            screen: Screen::Home(Home::default()),
            overlays: Vec::new(),
            notice: None,
            saved_at: None,
            quit: false,
            too_small: false,
        }
    }
}

impl App {
    /// Handles one message; returns what must be done outside (storage, quitting).
    pub fn update(&mut self, msg: Msg, ctx: &Ctx) -> Vec<Effect> {
        let steps = match msg {
            Msg::Key(ev) => {
                if ev.kind != KeyEventKind::Press || (self.too_small && !self.leaves(&ev)) {
                    return vec![];
                }
                self.notice = None;
                self.on_key(&ev, ctx)
            }
            Msg::Resize => vec![],
            // The home screen's figures are read again (a roster or bundle imported from the
            // command line in another window); a form being typed is left alone.
            Msg::FocusGained => match &self.screen {
                Screen::Home(home) if home.profile.is_none() && self.overlays.is_empty() => {
                    vec![Step::Do(Effect::LoadHome)]
                }
                _ => vec![],
            },
            other => self.on_result(other, ctx),
        };
        let mut effects = Vec::new();
        for step in steps {
            self.apply(step, ctx, &mut effects);
        }
        if effects.contains(&Effect::Quit) {
            self.quit = true;
        }
        effects
    }

    /// Whether the key leaves the app: Ctrl-C anywhere, `q` on the home screen.
    fn leaves(&self, ev: &KeyEvent) -> bool {
        let ctrl_c = ev.code == KeyCode::Char('c')
            && ev
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL);
        ctrl_c
            || (self.overlays.is_empty()
                && matches!(self.screen, Screen::Home(_))
                && keymap::lookup(keymap::HOME, ev) == Some(Cmd::Quit))
    }

    fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        // Ctrl-C leaves from anywhere: every answer is already saved, and a form is remembered
        // as of its last field.
        if ev.code == KeyCode::Char('c')
            && ev
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL)
        {
            // A bundle being written or read would be cut off: an import would roll back and
            // an export leave its temp file. Finish first.
            if let Screen::Exchange(x) = &self.screen
                && matches!(x.stage, super::screens::exchange::Stage::Running { .. })
            {
                return vec![Step::Say("正在处理数据包，完成后再退出".into())];
            }
            return vec![Step::Do(Effect::Quit)];
        }
        if let Some(top) = self.overlays.last_mut() {
            let mut steps = overlay_key(top, ev, ctx);
            // The note being typed is remembered as it changes (the runner writes the last of
            // a burst of keys before the next draw), and forgotten when the editor closes.
            if let (Overlay::Note(editor), Screen::Checklist(c)) = (top, &self.screen) {
                if steps.iter().any(|s| matches!(s, Step::Close)) {
                    steps.push(Step::Do(Effect::RememberPlace(c.place())));
                } else if let Some(draft) = editor.changed_draft() {
                    steps.push(Step::Do(Effect::RememberPlace(Place {
                        note: Some(draft),
                        ..c.place()
                    })));
                }
            }
            return steps;
        }
        match &mut self.screen {
            Screen::Home(s) => s.on_key(ev, ctx),
            Screen::Setup(s) => s.on_key(ev, ctx),
            Screen::Checklist(s) => s.on_key(ev, ctx),
            Screen::Hazard(s) => s.on_key(ev, ctx),
            Screen::Evidence(s) => s.on_key(ev, ctx),
            Screen::Exam(s) => s.on_key(ev, ctx),
            Screen::Actions(s) => s.on_key(ev, ctx),
            Screen::Review(s) => s.on_key(ev, ctx),
            Screen::Ledger(s) => s.on_key(ev, ctx),
            Screen::Exchange(s) => s.on_key(ev),
            Screen::Monthly(s) => s.on_key(ev, ctx),
            Screen::Roster(s) => s.on_key(ev, ctx),
            Screen::Documents(s) => s.on_key(ev, ctx),
        }
    }

    fn on_result(&mut self, msg: Msg, ctx: &Ctx) -> Vec<Step> {
        match msg {
            Msg::FolderListed(listed) => {
                let Some(Overlay::Attach(browser)) = self.overlays.last_mut() else {
                    return vec![];
                };
                match listed {
                    Ok(listing) => {
                        browser.listed(listing);
                        browser.want_preview()
                    }
                    Err(why) => {
                        self.notice = Some(Notice {
                            text: why,
                            error: true,
                        });
                        vec![]
                    }
                }
            }
            Msg::Thumbnail(key, made) => {
                if let Some(Overlay::Attach(browser)) = self.overlays.last_mut() {
                    browser.thumbnail(key, made);
                }
                vec![]
            }
            Msg::Attached(result) => self.attached(result),
            Msg::AttachedListed(listed) => {
                let Some(Overlay::Attach(browser)) = self.overlays.last_mut() else {
                    return vec![];
                };
                match listed {
                    Ok(stored) => {
                        browser.attached_listed(stored);
                        browser.want_preview()
                    }
                    // The folder is still there to attach from: the list is only a view.
                    Err(why) => vec![Step::Say(format!("读取已有附件失败：{why}"))],
                }
            }
            Msg::HomeLoaded(data) => {
                if let Screen::Home(home) = &mut self.screen {
                    home.selected = home.selected.min(data.drafts.len().saturating_sub(1));
                    home.data = Some(data);
                }
                vec![]
            }
            Msg::EnterprisesLoaded(index) => {
                if let Some(Overlay::Picker(p)) = self.overlays.last_mut() {
                    p.loaded(index);
                }
                vec![]
            }
            Msg::EnterpriseCreated(rec) => {
                // Created in the picker: on to what the picker was opened for.
                let next = match self.overlays.last() {
                    Some(Overlay::Picker(p)) => p.chosen(rec.id()),
                    _ => Effect::LoadSetup(rec.id()),
                };
                vec![
                    Step::Close,
                    Step::Say(format!("已登记企业：{}", rec.data.name)),
                    Step::Do(next),
                ]
            }
            Msg::SetupLoaded(data) => vec![Step::go(Screen::Setup(Setup::new(data, ctx)))],
            Msg::InspectionOpened(view, place) => {
                let checklist =
                    Checklist::new(*view, place.as_ref().and_then(|p| p.item.as_deref()));
                // Remember the draft at once (a form being restored keeps its saved place).
                let mut steps = Vec::new();
                let screen = match place {
                    Some(Place {
                        form: Some(draft), ..
                    }) => reopen_form(checklist, &draft, ctx),
                    Some(Place {
                        note: Some(draft), ..
                    }) => {
                        let editor = NoteEditor::reopen(checklist.view.id(), &draft);
                        steps.push(Step::Open(Overlay::Note(Box::new(editor))));
                        Screen::Checklist(checklist)
                    }
                    Some(Place {
                        exam: Some(draft), ..
                    }) => Screen::Exam(ExamScreen::reopen(checklist, draft)),
                    Some(Place {
                        screen: PlaceScreen::Review,
                        ..
                    }) => {
                        let review = Review::new(checklist);
                        steps.push(Step::Do(Effect::RememberPlace(review.place())));
                        Screen::Review(review)
                    }
                    // A finalized inspection is only looked at: no place to resume.
                    _ if checklist.read_only() => Screen::Checklist(checklist),
                    _ => {
                        steps.push(Step::Do(Effect::RememberPlace(checklist.place())));
                        Screen::Checklist(checklist)
                    }
                };
                steps.insert(0, Step::go(screen));
                steps
            }
            Msg::AnswerSaved {
                code,
                result,
                note,
                at,
            } => {
                self.saved_at = Some(at);
                if let Some(c) = self.checklist_mut() {
                    c.saved(code, result, note);
                }
                vec![]
            }
            Msg::HazardSaved(rec) => {
                self.saved_at = Some(rec.meta.created_at);
                let grade = rec.data.grade.label();
                if let Some(c) = self.checklist_mut() {
                    c.view.hazards.push(rec);
                }
                vec![
                    Step::BackToChecklist,
                    Step::Say(format!("已登记{grade}隐患")),
                ]
            }
            Msg::EvidenceSaved(rec) => {
                self.saved_at = Some(rec.meta.updated_at);
                if let Screen::Evidence(e) = &mut self.screen {
                    e.saved(rec);
                } else if let Some(c) = self.checklist_mut() {
                    c.view.evidence.push(rec);
                }
                vec![Step::Say("证据记录已保存".to_string())]
            }
            Msg::ExamSaved(rec) => {
                self.saved_at = Some(rec.meta.created_at);
                let score = rec.data.score_percent();
                if let Some(c) = self.checklist_mut() {
                    c.view.exams.push(rec);
                }
                vec![
                    Step::BackToChecklist,
                    Step::Say(format!("逢查必考已记录：得分 {score}%")),
                ]
            }
            Msg::ActionSaved(rec) if matches!(self.screen, Screen::Monthly(_)) => {
                self.saved_at = Some(rec.meta.created_at);
                super::screens::office::saved_on_monthly(
                    self,
                    ctx,
                    "已更正执法措施：另存为更正记录，原记录保留；调度表按更正记录统计",
                )
            }
            Msg::ActionSaved(rec) => {
                self.saved_at = Some(rec.meta.created_at);
                if let Screen::Actions(a) = &mut self.screen {
                    a.form = None;
                    a.correcting = None;
                }
                if let Some(c) = self.checklist_mut() {
                    c.view.actions.push(rec);
                }
                vec![Step::Say("执法措施已记录".to_string())]
            }
            Msg::Finalized(id, outcomes) => {
                let mut said = "检查已定稿：记录已冻结，不能再修改".to_string();
                for line in outcomes {
                    said.push('；');
                    said.push_str(&line);
                }
                said.push_str("。离开前可在此出具执法文书（Esc 回首页）");
                // Still on site: the documents are offered, issued on site by default.
                let docs = Documents::new(Subject::Inspection(id), None, true);
                vec![
                    Step::Do(Effect::ForgetPlace),
                    docs.load(),
                    Step::go(Screen::Documents(Box::new(docs))),
                    Step::Say(said),
                ]
            }
            Msg::DocumentsLoaded(list) => {
                if let Screen::Documents(d) = &mut self.screen {
                    return d.loaded(*list);
                }
                // Opened from a screen (the read-only view, a hazard): Esc goes back to it.
                let back = std::mem::replace(&mut self.screen, Screen::Home(Home::default()));
                let mut docs = Documents::new(list.subject, Some(Box::new(back)), false);
                docs.loaded(*list);
                vec![Step::go(Screen::Documents(Box::new(docs)))]
            }
            Msg::DocumentIssued(outcome) => {
                let Screen::Documents(d) = &mut self.screen else {
                    return vec![];
                };
                match outcome {
                    Ok(written) => {
                        self.saved_at = Some(ctx.now);
                        let said = format!(
                            "《{}》{}：{}",
                            written.kind.title(),
                            written.number,
                            if written.first {
                                "已出具，文件已写入"
                            } else {
                                "已按首次出具的内容重印"
                            }
                        );
                        d.written(*written);
                        // The issue form is done with (nothing to forget after a reprint).
                        vec![super::screens::forget_loose_form(), Step::Say(said)]
                    }
                    // Shown in red under the form, which stays open to be put right.
                    Err(why) => {
                        d.refused(why);
                        vec![]
                    }
                }
            }
            Msg::PhotosWritten(outcome) => match &mut self.screen {
                Screen::Documents(d) => d.photos_written(outcome),
                _ => vec![],
            },
            Msg::LedgerLoaded(index) => {
                if let Screen::Ledger(l) = &mut self.screen {
                    l.loaded(index);
                }
                vec![]
            }
            Msg::ReportLoaded(kind, text) => {
                if let Screen::Ledger(l) = &mut self.screen {
                    l.report = Some(super::screens::report::ReportView::new(
                        kind.title(),
                        super::keymap::REPORT,
                        text,
                    ));
                }
                vec![]
            }
            Msg::AddendumSaved => {
                if let Some(c) = self.checklist_mut() {
                    c.addendum = None;
                }
                vec![Step::Say(
                    "已补记：另存为新记录，与检查记录一并导出（paicha inspection show 可见）"
                        .into(),
                )]
            }
            Msg::TimesCorrected(rec) => {
                self.saved_at = Some(rec.meta.created_at);
                let Some(c) = self.checklist_mut() else {
                    return vec![];
                };
                c.view.time_corrections.push(rec);
                c.times = None;
                vec![
                    // The form's draft is done with.
                    Step::Do(Effect::RememberPlace(c.place())),
                    Step::Say(format!(
                        "已更正检查时间：{}。原记录保留，更正另存为新记录",
                        c.view.visit().text()
                    )),
                ]
            }
            Msg::EvidenceCorrected(rec) => {
                self.saved_at = Some(rec.meta.created_at);
                let Screen::Evidence(e) = &mut self.screen else {
                    return vec![];
                };
                e.corrected(rec);
                vec![
                    Step::Do(Effect::RememberPlace(e.back.place())),
                    Step::Say("证据记录已更正：原记录保留，更正另存为新记录".into()),
                ]
            }
            Msg::EnterprisesImported(outcome) => match outcome {
                Ok((said, warnings)) => {
                    if let Screen::Home(home) = &mut self.screen {
                        home.import = None;
                    }
                    let mut steps = vec![Step::Do(Effect::LoadHome)];
                    if !warnings.is_empty() {
                        let mut lines = vec![format!(
                            "{said}。以下 {} 条提示不影响导入：",
                            warnings.len()
                        )];
                        lines.extend(warnings);
                        steps.push(Step::Show("企业名册已导入".into(), lines));
                    }
                    steps.push(Step::Say(said));
                    steps
                }
                // The form stays open: a wrong path is fixed in place. Every problem is listed
                // in a window that scrolls; the status line holds only the first.
                Err(refusal) => vec![
                    Step::Show(refusal.title.clone(), refusal.lines.clone()),
                    Step::Say(refusal.title),
                ],
            },
            Msg::ProfileSaved(name) => {
                if let Screen::Home(home) = &mut self.screen {
                    home.profile = None;
                }
                vec![
                    Step::Do(Effect::LoadHome),
                    Step::Say(format!(
                        "已设置本机执法人员档案：{name}（此后的记录以此人署名，定稿时输入此姓名签名）"
                    )),
                ]
            }
            Msg::DemoLoaded(text) => vec![
                Step::Do(Effect::LoadHome),
                Step::Say(format!("已载入演示数据：{text}")),
            ],
            Msg::ActivitySaved(record) => {
                self.saved_at = Some(record.meta.created_at);
                let said = format!(
                    "已{}：{} {}（计入 {}）",
                    if record.data.corrects.is_some() {
                        "更正，另存为更正记录，原记录保留"
                    } else {
                        "登记"
                    },
                    record.data.kind.label(),
                    record.data.held_on,
                    record.data.kind.report_row()
                );
                super::screens::office::saved_on_monthly(self, ctx, &said)
            }
            Msg::LooseFormResumed(draft) => super::screens::loose_form::resumed(self, draft, ctx),
            Msg::OfficeHazardReady {
                enterprise,
                refused,
                draft,
            } => super::screens::office::hazard_ready(self, *enterprise, refused, draft, ctx),
            Msg::OfficeHazardSaved(rec, reward) => {
                self.saved_at = Some(rec.meta.created_at);
                super::screens::office::hazard_saved(self, &rec, reward)
            }
            Msg::MonthListLoaded(list, dir) => {
                if let Screen::Monthly(m) = &mut self.screen
                    && let Some(view) = &mut m.list
                {
                    view.loaded(*list, dir);
                }
                vec![]
            }
            Msg::MonthListExported(outcome) => match &mut self.screen {
                Screen::Monthly(m) if m.list.is_some() => {
                    m.list.as_mut().map_or(vec![], |l| l.exported(outcome))
                }
                _ => vec![Step::Say(outcome.unwrap_or_else(|e| e))],
            },
            Msg::CorrectionReady { target, draft } => {
                super::screens::office::correction_ready(self, target, draft, ctx)
            }
            Msg::MonthlyLoaded(table) => {
                if let Screen::Monthly(m) = &mut self.screen {
                    m.loaded(*table);
                }
                vec![]
            }
            Msg::HazardLoaded(row, warnings) => match &mut self.screen {
                Screen::Ledger(l) => l.hazard_loaded(row, warnings, ctx),
                _ => vec![],
            },
            Msg::StepApplied(id) => {
                self.saved_at = Some(ctx.now);
                vec![
                    // The step's form is done with.
                    super::screens::forget_loose_form(),
                    Step::Say("已办理".to_string()),
                    Step::Do(Effect::LoadHazard(id)),
                    Step::Do(Effect::LoadLedger),
                ]
            }
            Msg::RosterLoaded(data) => {
                if let Screen::Roster(r) = &mut self.screen {
                    r.loaded(*data);
                }
                vec![]
            }
            Msg::RosterWritten(said) => {
                self.saved_at = Some(ctx.now);
                match &mut self.screen {
                    Screen::Roster(r) => r.written(said),
                    _ => vec![Step::Say(said)],
                }
            }
            Msg::Discarded => vec![
                Step::Do(Effect::LoadHome),
                Step::Say("草稿已作废".to_string()),
            ],
            Msg::Failed(text) => {
                self.notice = Some(Notice { text, error: true });
                vec![]
            }
            Msg::JobProgress { done, total } => {
                if let Some(Overlay::Attach(b)) = self.overlays.last_mut() {
                    b.progressed(done, total);
                } else if let Some(Overlay::Backup(d)) = self.overlays.last_mut() {
                    d.progressed(done, total);
                } else if let Screen::Exchange(x) = &mut self.screen {
                    x.progress(done, total);
                }
                vec![]
            }
            Msg::JobDone(JobOutcome::Attached(result)) => self.attached(result),
            Msg::JobDone(JobOutcome::BackedUp(result)) => self.backed_up(result),
            Msg::JobDone(outcome) => {
                if let Screen::Exchange(x) = &mut self.screen {
                    x.finished(outcome);
                }
                vec![]
            }
            Msg::Key(_) | Msg::Resize | Msg::FocusGained => vec![],
        }
    }

    /// The checklist being worked on, whichever screen holds it now.
    /// Files were attached (the browser closes, the counts grow), or none was (the browser
    /// stays, its marks kept, and every reason is shown).
    fn attached(
        &mut self,
        result: Result<
            Vec<crate::domain::Record<crate::domain::attachment::Attachment>>,
            Vec<String>,
        >,
    ) -> Vec<Step> {
        // The browser that asked (not one opened after it was hidden with Esc).
        let open =
            matches!(self.overlays.last(), Some(Overlay::Attach(b)) if b.attaching.is_some());
        match result {
            Ok(records) => {
                let n = records.len();
                let label = match self.overlays.last() {
                    Some(Overlay::Attach(b)) => b.to.label.clone(),
                    _ => String::new(),
                };
                if let Some(last) = records.last() {
                    self.saved_at = Some(last.meta.created_at);
                }
                if let Some(c) = self.checklist_mut() {
                    c.view.attachments.extend(records);
                }
                let mut steps = Vec::new();
                steps.extend(super::screens::ledger::reload_detail(&self.screen));
                if open {
                    steps.push(Step::Close);
                }
                steps.push(Step::Say(format!(
                    "已添加 {n} 个附件到{label}（原样保存，不可删除）"
                )));
                steps
            }
            Err(lines) => {
                if let Some(Overlay::Attach(b)) = self.overlays.last_mut() {
                    b.failed();
                }
                vec![Step::Show("未添加任何文件".into(), lines)]
            }
        }
    }

    /// The backup job ended: the dialog closes on success (the home screen reads again, its
    /// reminder gone), or stays for another try; either way what happened is shown.
    fn backed_up(&mut self, result: Result<Vec<String>, Vec<String>>) -> Vec<Step> {
        match result {
            Ok(lines) => {
                if matches!(self.overlays.last(), Some(Overlay::Backup(_))) {
                    self.overlays.pop();
                }
                vec![
                    Step::Do(Effect::LoadHome),
                    Step::Show("备份完成".into(), lines),
                ]
            }
            Err(lines) => {
                if let Some(Overlay::Backup(d)) = self.overlays.last_mut() {
                    d.failed();
                }
                vec![Step::Show("备份没有完成".into(), lines)]
            }
        }
    }

    fn checklist_mut(&mut self) -> Option<&mut Checklist> {
        match &mut self.screen {
            Screen::Checklist(c) => Some(c),
            Screen::Hazard(h) => Some(&mut h.back),
            Screen::Evidence(e) => Some(&mut e.back),
            Screen::Exam(e) => Some(&mut e.back),
            Screen::Actions(a) => Some(&mut a.back),
            Screen::Review(r) => Some(&mut r.back),
            _ => None,
        }
    }

    fn apply(&mut self, step: Step, ctx: &Ctx, effects: &mut Vec<Effect>) {
        match step {
            Step::Do(effect) => effects.push(effect),
            Step::Go(screen) => {
                self.overlays.clear();
                self.screen = *screen;
            }
            Step::Open(overlay) => self.overlays.push(overlay),
            Step::Close => {
                self.overlays.pop();
            }
            Step::Say(text) => self.notice = Some(Notice { text, error: false }),
            Step::Help(table) => self
                .overlays
                .push(Overlay::Help(keymap::HelpView::new(table))),
            Step::Show(title, lines) => self
                .overlays
                .push(Overlay::Help(keymap::HelpView::message(title, lines))),
            Step::ToHazard
            | Step::ToReview
            | Step::ToEvidence
            | Step::ToExam
            | Step::ToActions
            | Step::BackToChecklist => self.transition(step, ctx, effects),
        }
    }

    /// Moves the checklist between its screens (it travels with them, so nothing reloads).
    fn transition(&mut self, step: Step, ctx: &Ctx, effects: &mut Vec<Effect>) {
        let current = std::mem::replace(&mut self.screen, Screen::Home(Home::default()));
        let checklist = match current {
            Screen::Checklist(c) => c,
            Screen::Hazard(h) => h.back,
            Screen::Evidence(e) => e.back,
            Screen::Exam(e) => e.back,
            Screen::Actions(a) => a.back,
            Screen::Review(r) => r.back,
            other => {
                self.screen = other;
                return;
            }
        };
        self.screen = match step {
            Step::ToHazard => match HazardScreen::new(checklist, ctx) {
                Some(h) => Screen::Hazard(h),
                None => return,
            },
            Step::ToEvidence => Screen::Evidence(super::screens::evidence::EvidenceScreen::new(
                checklist, ctx,
            )),
            Step::ToExam => match ExamScreen::new(checklist, ctx) {
                Ok(e) => {
                    // The questions drawn are remembered at once: a reopened exam shows them.
                    effects.push(Effect::RememberPlace(e.place()));
                    Screen::Exam(e)
                }
                Err(back) => {
                    // No bank for this sector: stay on the checklist and say why.
                    self.notice = Some(Notice {
                        text: "本企业不属于有逢查必考题库的行业".to_string(),
                        error: false,
                    });
                    Screen::Checklist(*back)
                }
            },
            Step::ToActions => {
                Screen::Actions(super::screens::actions::ActionsScreen::new(checklist))
            }
            Step::ToReview => {
                let review = Review::new(checklist);
                effects.push(Effect::RememberPlace(review.place()));
                Screen::Review(review)
            }
            _ => {
                effects.push(Effect::RememberPlace(checklist.place()));
                Screen::Checklist(checklist)
            }
        };
    }
}

/// The form a crash interrupted, with what had been typed into it.
fn reopen_form(checklist: Checklist, draft: &FormDraft, ctx: &Ctx) -> Screen {
    match draft.form {
        DraftForm::Hazard => match HazardScreen::new(checklist, ctx) {
            Some(mut h) => {
                h.form.restore(&draft.values, draft.focus);
                h.mark_required();
                Screen::Hazard(h)
            }
            None => Screen::Home(Home::default()),
        },
        DraftForm::Evidence { kind, record } => {
            let mut e = super::screens::evidence::EvidenceScreen::new(checklist, ctx);
            e.kind = kind;
            let existing = record.and_then(|id| {
                e.back
                    .view
                    .evidence
                    .iter()
                    .find(|r| r.id() == id)
                    .map(|r| r.data.clone())
            });
            if let Some(mut form) = e.form_for(ctx, existing.as_ref()) {
                form.restore(&draft.values, draft.focus);
                e.editing = Some((record, form));
            }
            Screen::Evidence(e)
        }
        DraftForm::Action => {
            let mut a = super::screens::actions::ActionsScreen::new(checklist);
            let mut form = super::screens::actions::ActionsScreen::new_form(ctx);
            form.restore(&draft.values, draft.focus);
            a.form = Some(form);
            Screen::Actions(a)
        }
        DraftForm::TimeCorrection => {
            let mut c = checklist;
            let mut form = super::screens::correction::times_form(&c.view);
            form.restore(&draft.values, draft.focus);
            c.times = Some(form);
            Screen::Checklist(c)
        }
        DraftForm::EvidenceCorrection { evidence } => {
            let mut e = super::screens::evidence::EvidenceScreen::new(checklist, ctx);
            e.open_correction(evidence, ctx);
            if let Some((_, form)) = &mut e.correcting {
                form.restore(&draft.values, draft.focus);
            }
            Screen::Evidence(e)
        }
        // Loose forms are remembered apart (no inspection behind them).
        DraftForm::OfficeHazard { .. }
        | DraftForm::Activity
        | DraftForm::ActivityCorrection { .. }
        | DraftForm::HazardStep { .. }
        | DraftForm::Document { .. }
        | DraftForm::DocumentFolder { .. } => Screen::Checklist(checklist),
        DraftForm::ActionCorrection { corrects } => {
            let mut a = super::screens::actions::ActionsScreen::new(checklist);
            let mut form = super::screens::actions::ActionsScreen::correction_form(ctx);
            form.restore(&draft.values, draft.focus);
            a.form = Some(form);
            a.correcting = Some(corrects);
            Screen::Actions(a)
        }
    }
}

fn overlay_key(top: &mut Overlay, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
    match top {
        Overlay::Help(help) => {
            if help.on_key(ev) {
                vec![Step::Close]
            } else {
                vec![]
            }
        }
        Overlay::Picker(p) => p.on_key(ev, ctx),
        Overlay::Attach(b) => b.on_key(ev),
        Overlay::Backup(d) => d.on_key(ev),
        Overlay::Confirm(c) => match ev.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter => {
                vec![Step::Close, Step::Do((*c.on_yes).clone())]
            }
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => vec![Step::Close],
            _ => vec![],
        },
        Overlay::Note(editor) => match keymap::lookup(keymap::NOTE, ev) {
            Some(Cmd::Help) => vec![Step::Help(keymap::NOTE)],
            Some(Cmd::Save) => vec![
                Step::Close,
                Step::Do(Effect::SaveAnswer {
                    inspection: editor.inspection,
                    code: editor.code.clone(),
                    result: editor.result,
                    note: editor.note(),
                }),
            ],
            Some(Cmd::Back) if editor.note() != editor.original && !editor.warned => {
                editor.warned = true;
                vec![Step::Say(
                    "备注已修改：再按 Esc 放弃修改，按 Ctrl-S 保存".to_string(),
                )]
            }
            Some(Cmd::Back) => vec![Step::Close],
            _ => {
                editor.warned = false;
                editor.text.input(*ev);
                vec![]
            }
        },
        Overlay::Sign(sign) => match ev.code {
            KeyCode::Esc => vec![Step::Close],
            KeyCode::Enter if sign.departed_at.is_none() => {
                sign.confirm_departure(ctx.now);
                vec![]
            }
            KeyCode::Enter => {
                let expected = sign.names.get(sign.signed).cloned().unwrap_or_default();
                if sign.typed.trim() == expected {
                    sign.signed += 1;
                    sign.typed.clear();
                    sign.error = None;
                    if sign.signed == sign.names.len() {
                        return vec![
                            Step::Close,
                            Step::Do(Effect::Finalize {
                                id: sign.inspection,
                                departed_at: sign.departed_at,
                            }),
                        ];
                    }
                } else {
                    sign.error = Some(format!("输入的姓名与“{expected}”不一致"));
                }
                vec![]
            }
            KeyCode::Backspace => {
                sign.typed.pop();
                vec![]
            }
            KeyCode::Char(c) => {
                sign.typed.push(c);
                vec![]
            }
            _ => vec![],
        },
    }
}
