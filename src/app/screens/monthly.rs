//! The monthly progress table (调度表) on screen: ←/→ change the month, Tab the scope (the
//! bureau, then each group's own section and its sectors), Enter on a row lists the records
//! it counted. The table is computed by the effect runner; this screen only asks for it.

use super::report::{After, ReportView};
use super::{Ctx, Step};
use crate::app::form::{Field, FieldKind, Form, Outcome};
use crate::app::keymap::{self, Cmd};
use crate::app::msg::Effect;
use crate::domain::{Activity, ActivityKind, ActivityLevel};
use crate::report::monthly::{Period, Scope, Table, render};
use chrono::Datelike;
use crossterm::event::KeyEvent;

const PAGE: usize = 10;

/// A scope to pick, with the unit that files it.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub scope: Scope,
    pub unit: String,
}

pub struct Monthly {
    pub year: i32,
    pub month: u32,
    pub choices: Vec<Choice>,
    pub choice: usize,
    /// The table for the month and scope shown, once computed.
    pub table: Option<Table>,
    pub selected: usize,
    /// The records behind the selected row, when opened.
    pub explain: Option<ReportView>,
    /// Logging an activity (C1, D rows), when open.
    pub form: Option<Form>,
}

impl Monthly {
    /// The current month's table for the bureau; `group` first when the profile has one.
    pub fn new(ctx: &Ctx, group: Option<&str>) -> Monthly {
        let campaign = &ctx.catalog.campaign;
        let mut choices = vec![Choice {
            scope: Scope::All,
            unit: campaign.bureau.clone(),
        }];
        for g in &campaign.groups {
            choices.push(Choice {
                scope: Scope::Own {
                    group: g.code.clone(),
                },
                unit: g.name.clone(),
            });
            choices.push(Choice {
                scope: Scope::Sector {
                    group: g.code.clone(),
                    sectors: g.sectors.clone(),
                },
                unit: g.name.clone(),
            });
        }
        let choice = group
            .and_then(|code| {
                choices
                    .iter()
                    .position(|c| matches!(&c.scope, Scope::Own { group } if group == code))
            })
            .unwrap_or(0);
        // The last table due: this month's once past the 28th, else last month's.
        let today = crate::domain::time::local(ctx.now).date();
        let (mut year, mut month) = (today.year(), today.month());
        if today.day() < crate::report::monthly::CUTOFF_DAY {
            (year, month) = previous(year, month);
        }
        // Within the campaign: not after its last month, not before its first 28th.
        if (year, month) > (campaign.end.year(), campaign.end.month()) {
            (year, month) = (campaign.end.year(), campaign.end.month());
        }
        while Period::month(campaign.start, year, month).is_some_and(|p| p.to < p.from) {
            (year, month) = next(year, month);
        }
        Monthly {
            year,
            month,
            choices,
            choice,
            table: None,
            selected: 0,
            explain: None,
            form: None,
        }
    }

    pub fn period(&self, ctx: &Ctx) -> Option<Period> {
        Period::month(ctx.catalog.campaign.start, self.year, self.month)
    }

    /// The effect that computes the table shown.
    pub fn load(&self, ctx: &Ctx) -> Vec<Step> {
        let Some(period) = self.period(ctx) else {
            return vec![];
        };
        let c = &self.choices[self.choice];
        vec![Step::Do(Effect::LoadMonthly {
            scope: c.scope.clone(),
            period,
            unit: c.unit.clone(),
        })]
    }

    /// A computed table: shown if it is still the one asked for (keys may have moved on).
    pub fn loaded(&mut self, table: Table) {
        let c = &self.choices[self.choice];
        if table.unit == c.unit
            && table.scope == c.scope.label()
            && (table.period.to.year(), table.period.to.month()) == (self.year, self.month)
        {
            self.selected = self.selected.min(table.rows.len().saturating_sub(1));
            self.table = Some(table);
        }
    }

    pub fn on_key(&mut self, ev: &KeyEvent, ctx: &Ctx) -> Vec<Step> {
        if let Some(form) = &mut self.form {
            return match form.handle(ev) {
                Outcome::Editing => vec![],
                Outcome::Help => vec![Step::Help(keymap::FORM)],
                Outcome::Cancel => {
                    self.form = None;
                    vec![]
                }
                Outcome::Submit => match self.activity() {
                    Ok(activity) => vec![Step::Do(Effect::SaveActivity(activity))],
                    Err(why) => vec![Step::Say(why)],
                },
            };
        }
        if let Some(explain) = &mut self.explain {
            return match explain.on_key(ev) {
                After::Stay(steps) => steps,
                After::Close => {
                    self.explain = None;
                    vec![]
                }
            };
        }
        let rows = self.table.as_ref().map_or(0, |t| t.rows.len());
        match keymap::lookup(keymap::MONTHLY, ev) {
            Some(Cmd::Left) => self.move_month(previous(self.year, self.month), ctx),
            Some(Cmd::Right) => self.move_month(next(self.year, self.month), ctx),
            Some(Cmd::NextField) => {
                self.choice = (self.choice + 1) % self.choices.len();
                self.reload(ctx)
            }
            Some(Cmd::PrevField) => {
                self.choice = (self.choice + self.choices.len() - 1) % self.choices.len();
                self.reload(ctx)
            }
            Some(Cmd::Down) => {
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
                vec![]
            }
            Some(Cmd::Up) => {
                self.selected = self.selected.saturating_sub(1);
                vec![]
            }
            Some(Cmd::PageDown) => {
                self.selected = (self.selected + PAGE).min(rows.saturating_sub(1));
                vec![]
            }
            Some(Cmd::PageUp) => {
                self.selected = self.selected.saturating_sub(PAGE);
                vec![]
            }
            Some(Cmd::Select) => {
                if let Some(table) = &self.table
                    && let Some(row) = table.rows.get(self.selected)
                {
                    self.explain = Some(ReportView::new(
                        format!("{} 计入的记录", row.code),
                        keymap::EXPLAIN,
                        render::explain(table, row),
                    ));
                }
                vec![]
            }
            Some(Cmd::Add) => {
                self.form = Some(activity_form(ctx));
                vec![]
            }
            Some(Cmd::Help) => vec![Step::Help(keymap::MONTHLY)],
            Some(Cmd::Back) => vec![
                Step::go(super::Screen::Home(Default::default())),
                Step::Do(Effect::LoadHome),
            ],
            _ => vec![],
        }
    }

    fn move_month(&mut self, (year, month): (i32, u32), ctx: &Ctx) -> Vec<Step> {
        let end = ctx.catalog.campaign.end;
        if (year, month) > (end.year(), end.month()) {
            return vec![Step::Say(format!(
                "专项行动已于 {end} 结束，没有之后的调度表"
            ))];
        }
        match Period::month(ctx.catalog.campaign.start, year, month) {
            Some(p) if p.to >= p.from => {
                (self.year, self.month) = (year, month);
                self.reload(ctx)
            }
            _ => vec![Step::Say("专项行动开始之前没有调度表".into())],
        }
    }

    /// Shows the table again, computed afresh (after a key, or an activity logged).
    pub fn reload(&mut self, ctx: &Ctx) -> Vec<Step> {
        self.table = None;
        self.load(ctx)
    }

    /// The activity the open form describes, or why it cannot be logged.
    fn activity(&self) -> Result<Activity, String> {
        let Some(form) = &self.form else {
            return Err("没有打开的登记表".into());
        };
        let kind = ActivityKind::ALL
            .iter()
            .copied()
            .find(|k| kind_choice(*k) == form.value("kind"))
            .ok_or("请选择活动类别")?;
        let level = ActivityLevel::parse(form.value("level")).map_err(|e| e.to_string())?;
        let held_on =
            crate::domain::time::parse_day(form.value("held_on")).ok_or("日期应写作 YYYY-MM-DD")?;
        let amount = form.value("amount").trim();
        let amount_fen = if amount.is_empty() {
            None
        } else {
            Some(crate::domain::activity::wan_to_fen(amount)?)
        };
        let count = match form.value("count").trim() {
            "" => None,
            n => Some(n.parse::<u32>().map_err(|_| "人数应为整数".to_string())?),
        };
        let activity = Activity {
            kind,
            level,
            group_code: self.choices[self.choice].scope.group().map(String::from),
            held_on,
            title: form.value("title").trim().to_string(),
            amount_fen,
            count,
            anonymous: form.value("anonymous") == "是",
            note: form.value("note").trim().to_string(),
            corrects: None,
        };
        activity.check()?;
        Ok(activity)
    }
}

/// How a kind is offered in the form: its row and name ("D1 专题学习十五条硬措施").
fn kind_choice(kind: ActivityKind) -> String {
    format!("{} {}", kind.report_row(), kind.label())
}

/// The activity log form, dated today.
fn activity_form(ctx: &Ctx) -> Form {
    let today = crate::domain::time::local(ctx.now).date().to_string();
    let kinds = ActivityKind::ALL.iter().map(|k| kind_choice(*k)).collect();
    let levels = ActivityLevel::ALL
        .iter()
        .map(|l| l.label().to_string())
        .collect();
    Form::new(
        "登记工作活动（调度表 C1、D 栏）",
        vec![
            Field::of_kind("kind", "活动类别", FieldKind::Choice(kinds), true),
            Field::of_kind("level", "层级", FieldKind::Choice(levels), true),
            Field::of_kind("held_on", "日期", FieldKind::Date, true).with_value(today),
            Field::text("title", "名称", true).with_help("如：专项行动小组学习十五条硬措施"),
            Field::text("amount", "金额（万元）", false).with_help("举报奖励填写，如 0.5"),
            Field::of_kind("count", "人数", FieldKind::Number, false)
                .with_help("配备专兼职技术检查员填写"),
            Field::of_kind(
                "anonymous",
                "匿名举报查实",
                FieldKind::Choice(vec!["否".into(), "是".into()]),
                true,
            ),
            Field::text("note", "备注", false),
        ],
    )
}

fn previous(year: i32, month: u32) -> (i32, u32) {
    if month == 1 {
        (year - 1, 12)
    } else {
        (year, month - 1)
    }
}

fn next(year: i32, month: u32) -> (i32, u32) {
    if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    }
}

#[cfg(test)]
mod tests {
    use crate::app::msg::{Effect, HomeData, Msg};
    use crate::app::screens::Screen;
    use crate::app::screens::Step;
    use crate::app::state::App;
    use crate::app::tests::{catalog, ch, ctx_at_now, feed, key};
    use crate::report::monthly::{self, Input, Scope};
    use crossterm::event::KeyCode;
    use std::collections::HashMap;

    fn home(group: Option<&str>) -> Msg {
        Msg::HomeLoaded(HomeData {
            drafts: vec![],
            today: vec![],
            enterprise_count: 1,
            open_major: 0,
            overdue_major: 0,
            profile_name: Some("李建山".into()),
            profile_group: group.map(String::from),
            data_dir: "/data".into(),
        })
    }

    /// The table the runner would compute for `effect`, over no records.
    pub fn computed(effect: &Effect) -> monthly::Table {
        let Effect::LoadMonthly {
            scope,
            period,
            unit,
        } = effect
        else {
            panic!("not a monthly load: {effect:?}");
        };
        let (groups, enterprises, items) = (HashMap::new(), HashMap::new(), HashMap::new());
        let input = Input {
            hazards: &[],
            inspections: &[],
            actions: &[],
            activities: &[],
            groups: &groups,
            enterprises: &enterprises,
            item_rows: &items,
        };
        monthly::table(&input, scope, *period, "调度表", unit)
    }

    fn loads(effects: &[Effect]) -> Vec<&Effect> {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::LoadMonthly { .. }))
            .collect()
    }

    #[test]
    fn r_opens_the_groups_own_table_of_the_last_month_due_and_keys_move_month_and_scope() {
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog); // 2023-08-15: July's table is the last one due
        let mut app = App::default();
        feed(&mut app, &ctx, [home(Some("energy"))]);
        let effects = feed(&mut app, &ctx, [ch('r')]);
        let asked = loads(&effects);
        assert_eq!(asked.len(), 1);
        let Effect::LoadMonthly { scope, period, .. } = asked[0] else {
            unreachable!()
        };
        assert_eq!(
            scope,
            &Scope::Own {
                group: "energy".into()
            }
        );
        assert_eq!(period.to.to_string(), "2023-07-28");
        assert_eq!(period.from.to_string(), "2023-04-25");
        let table = computed(asked[0]);
        feed(&mut app, &ctx, [Msg::MonthlyLoaded(Box::new(table))]);
        let Screen::Monthly(m) = &app.screen else {
            panic!("not the monthly screen")
        };
        assert!(m.table.is_some());

        // Down twice, Enter: the records behind A3; Esc back to the table.
        feed(&mut app, &ctx, [ch('j'), ch('j'), key(KeyCode::Enter)]);
        let Screen::Monthly(m) = &app.screen else {
            unreachable!()
        };
        let explain = m.explain.as_ref().expect("explain open");
        assert!(explain.title.starts_with("A3"), "{}", explain.title);
        assert!(
            explain.text.contains("计入的记录：0 条"),
            "{}",
            explain.text
        );
        feed(&mut app, &ctx, [key(KeyCode::Esc)]);
        let Screen::Monthly(m) = &app.screen else {
            unreachable!()
        };
        assert!(m.explain.is_none() && m.selected == 2);

        // → next month (August), Tab: the energy group's sectors.
        let effects = feed(&mut app, &ctx, [key(KeyCode::Right)]);
        let Effect::LoadMonthly { period, .. } = loads(&effects)[0] else {
            unreachable!()
        };
        assert_eq!(period.to.to_string(), "2023-08-28");
        let effects = feed(&mut app, &ctx, [key(KeyCode::Tab)]);
        let Effect::LoadMonthly { scope, .. } = loads(&effects)[0] else {
            unreachable!()
        };
        assert!(matches!(scope, Scope::Sector { group, .. } if group == "energy"));
        // A table computed for a month or scope no longer shown is not put on screen.
        let stale = computed(&Effect::LoadMonthly {
            scope: Scope::All,
            period: monthly::Period::month(catalog.campaign.start, 2023, 6).expect("p"),
            unit: catalog.campaign.bureau.clone(),
        });
        feed(&mut app, &ctx, [Msg::MonthlyLoaded(Box::new(stale))]);
        let Screen::Monthly(m) = &app.screen else {
            unreachable!()
        };
        assert!(m.table.is_none(), "still waiting for the right table");
        // Before the campaign: refused with a word, nothing loaded.
        let mut app = App::default();
        feed(&mut app, &ctx, [home(None), ch('r')]);
        let mut back = Vec::new();
        for _ in 0..4 {
            back.extend(feed(&mut app, &ctx, [key(KeyCode::Left)]));
        }
        // July → June → May → April (to the 28th, after the 25 April start) → March: refused.
        assert_eq!(loads(&back).len(), 3);
        assert!(
            app.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("开始之前"))
        );
    }

    #[test]
    fn an_activity_is_logged_from_the_table_checked_first_then_the_table_is_counted_again() {
        use crate::app::tests::{ctrl, typed};
        let catalog = catalog();
        let ctx = ctx_at_now(&catalog);
        let mut app = App::default();
        feed(&mut app, &ctx, [home(Some("energy")), ch('r'), ch('a')]);
        // D5 举报奖励: the sixth kind; no amount yet → refused with the reason.
        let mut keys: Vec<Msg> = (0..5).map(|_| key(KeyCode::Right)).collect();
        keys.extend([key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)]);
        keys.extend(typed("举报奖励兑现"));
        feed(&mut app, &ctx, keys);
        let effects = feed(&mut app, &ctx, [ctrl('s')]);
        assert!(!effects.iter().any(|e| matches!(e, Effect::SaveActivity(_))));
        assert!(
            app.notice.as_ref().is_some_and(|n| n.text.contains("金额")),
            "{:?}",
            app.notice
        );
        // The amount, then Ctrl-S: saved for the group shown, today.
        let mut keys = vec![key(KeyCode::Tab)];
        keys.extend(typed("0.35"));
        keys.push(ctrl('s'));
        let effects = feed(&mut app, &ctx, keys);
        let saved = effects
            .iter()
            .find_map(|e| match e {
                Effect::SaveActivity(a) => Some(a.clone()),
                _ => None,
            })
            .expect("saved");
        assert_eq!(saved.kind, crate::domain::ActivityKind::ReportReward);
        assert_eq!(saved.amount_fen, Some(350_000));
        assert_eq!(saved.group_code.as_deref(), Some("energy"));
        assert_eq!(saved.held_on.to_string(), "2023-08-15");
        assert_eq!(saved.title, "举报奖励兑现");
        let record = crate::domain::Record {
            meta: crate::app::tests::meta(),
            data: saved,
        };
        let effects = feed(&mut app, &ctx, [Msg::ActivitySaved(record)]);
        assert_eq!(loads(&effects).len(), 1, "the table is counted again");
        let Screen::Monthly(m) = &app.screen else {
            unreachable!()
        };
        assert!(m.form.is_none());
        assert!(
            app.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("计入 D5"))
        );
    }

    #[test]
    fn right_after_the_campaign_starts_it_opens_on_the_first_table_not_before() {
        use chrono::TimeZone;
        let catalog = catalog();
        // 2023-04-26, the day after the start: the last 28th (March) is before the campaign.
        let ctx = crate::app::screens::Ctx {
            catalog: &catalog,
            now: chrono::Utc
                .with_ymd_and_hms(2023, 4, 26, 2, 0, 0)
                .single()
                .expect("time"),
        };
        let m = super::Monthly::new(&ctx, None);
        assert_eq!((m.year, m.month), (2023, 4));
        let Some(Step::Do(Effect::LoadMonthly { period, .. })) = m.load(&ctx).into_iter().next()
        else {
            panic!("a table is asked for");
        };
        assert!(period.to >= period.from);
    }

    #[test]
    fn after_the_campaign_it_opens_on_its_last_month_and_goes_no_further() {
        use chrono::TimeZone;
        let catalog = catalog();
        let ctx = crate::app::screens::Ctx {
            catalog: &catalog,
            now: chrono::Utc
                .with_ymd_and_hms(2026, 11, 29, 2, 0, 0)
                .single()
                .expect("time"),
        };
        let mut app = App::default();
        feed(&mut app, &ctx, [home(None)]);
        let effects = feed(&mut app, &ctx, [ch('r')]);
        let Effect::LoadMonthly { period, .. } = loads(&effects)[0] else {
            unreachable!()
        };
        assert_eq!(period.to.to_string(), "2023-12-28");
        let effects = feed(&mut app, &ctx, [key(KeyCode::Right)]);
        assert!(loads(&effects).is_empty());
        assert!(
            app.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("已于 2023-12-31 结束"))
        );
    }
}
