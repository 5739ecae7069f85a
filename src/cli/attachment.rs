//! `paicha attachment add | list | export`: photos, videos and scans attached as evidence to an
//! inspection, one of its items, a hazard or one of its steps, an evidence record or an
//! enforcement action. Each file is stored once, as it came, and each attachment is its own
//! signed record: addable at any time, never changed, never removed.

use super::TableFormat;
use crate::domain::attachment::{self, Attachment, PhotoRole};
use crate::domain::{Record, time};
use crate::storage::attachment_files::size_text;
use crate::storage::{AttachmentTarget, Store};
use clap::Subcommand;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// 添加照片、视频或扫描件（原样保存，全部文件无误才添加）
    Add {
        /// 附到哪条记录：检查记录、隐患、隐患办理记录、证据记录或执法措施的编号
        #[arg(long, value_name = "编号")]
        to: String,
        /// 附到检查记录的某个检查项（如 E3）
        #[arg(long, value_name = "检查项")]
        item: Option<String>,
        /// 隐患照片的用途：整改前 或 整改后
        #[arg(long, value_name = "用途")]
        role: Option<String>,
        /// 照片说明：拍的是什么
        #[arg(
            long,
            value_name = "说明",
            default_value = "",
            hide_default_value = true
        )]
        note: String,
        /// 要添加的文件（可以多个）
        #[arg(value_name = "文件", required = true)]
        files: Vec<PathBuf>,
    },
    /// 列出一条记录的附件（检查记录的含其各检查项的附件）
    List {
        /// 记录编号
        #[arg(long, value_name = "编号")]
        of: String,
        #[command(flatten)]
        format: TableFormat,
    },
    /// 把一条记录的附件按原文件名导出到文件夹（内容与原文件逐字节相同）
    Export {
        /// 附件所附记录的编号
        #[arg(value_name = "编号")]
        id: String,
        /// 导出到的文件夹（不存在则新建；不覆盖已有文件）
        #[arg(long, value_name = "目录")]
        out: PathBuf,
    },
}

pub fn run(
    cmd: AttachmentCommand,
    store: &mut Store,
    rules: &attachment::AttachmentRules,
) -> anyhow::Result<()> {
    match cmd {
        AttachmentCommand::Add {
            to,
            item,
            role,
            note,
            files,
        } => {
            let id = record_id(&to)?;
            let role = role
                .map(|r| PhotoRole::parse(&r).map_err(|e| anyhow::anyhow!("--role：{e}")))
                .transpose()?;
            let target = store.attachment_target(id, item.as_deref())?;
            let added = store.attach(&target, role, &note, &files, rules)?;
            let visit = store.visit_of(&target)?;
            println!("已添加 {} 个文件到{}：", added.len(), target.text());
            for a in &added {
                let outside = outside(visit.as_ref(), &a.data);
                println!(
                    "  {}  {}  {}  拍摄时间 {}{}  附件编号 {}",
                    a.data.file_name,
                    attachment::media_label(&a.data.media_type),
                    size_text(a.data.size),
                    captured_text(&a.data),
                    outside.map(|o| format!("（{o}）")).unwrap_or_default(),
                    a.id()
                );
            }
            Ok(())
        }
        AttachmentCommand::List { of, format } => list(store, record_id(&of)?, format),
        AttachmentCommand::Export { id, out } => export(store, record_id(&id)?, &out),
    }
}

fn record_id(text: &str) -> anyhow::Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| anyhow::anyhow!("“{text}”不是记录编号"))
}

/// "2023-08-15 09:30:12", "2023-08-15 09:30:12（文件修改时间）", "无".
fn captured_text(a: &Attachment) -> String {
    let Some(t) = a.captured_at else {
        return "无".into();
    };
    let text = time::local(t).format("%Y-%m-%d %H:%M:%S").to_string();
    match a.capture_source {
        attachment::CaptureSource::FileTime => format!("{text}（{}）", a.capture_source.label()),
        _ => text,
    }
}

fn outside(visit: Option<&crate::domain::VisitTimes>, a: &Attachment) -> Option<String> {
    let visit = visit?;
    attachment::attachment_outside_visit(a, visit.arrival, visit.departure).map(|o| o.text())
}

/// What an attachment is on, as listed: "检查项 E3", "隐患（整改后）".
fn on_text(a: &Attachment) -> String {
    let base = match &a.item_code {
        Some(code) => format!("检查项 {code}"),
        None => a.target_kind.label().to_string(),
    };
    match a.role {
        Some(r) => format!("{base}（{}）", r.label()),
        None => base,
    }
}

fn list(store: &Store, id: Uuid, format: TableFormat) -> anyhow::Result<()> {
    let list = attached_to(store, id)?;
    let mut visits = HashMap::new();
    let mut facts = Vec::new();
    for a in &list {
        let target = AttachmentTarget {
            kind: a.data.target_kind,
            id: a.data.target_id,
            item_code: a.data.item_code.clone(),
        };
        let key = (target.kind, target.id);
        let visit = match visits.get(&key) {
            Some(v) => v,
            None => {
                let v = store.visit_of(&target)?;
                visits.entry(key).or_insert(v)
            }
        };
        facts.push(outside(visit.as_ref(), &a.data));
    }
    let json: Vec<serde_json::Value> = list
        .iter()
        .zip(&facts)
        .map(|(a, outside)| json_of(store, a, outside.as_deref()))
        .collect();
    let rows: Vec<Vec<String>> = list
        .iter()
        .zip(&facts)
        .map(|(a, outside)| {
            let d = &a.data;
            vec![
                on_text(d),
                d.file_name.clone(),
                attachment::media_label(&d.media_type),
                size_text(d.size),
                captured_text(d),
                outside.clone().unwrap_or_default(),
                d.place.map(|p| p.text()).unwrap_or_default(),
                d.note.clone(),
                a.id().to_string(),
            ]
        })
        .collect();
    super::table::write_rows(
        format.format,
        &json,
        &[
            "附在",
            "文件名",
            "类型",
            "大小",
            "拍摄时间",
            "提示",
            "地点",
            "说明",
            "附件编号",
        ],
        &rows,
        "这条记录还没有附件（用 paicha attachment add --to 编号 文件… 添加）。",
        Some(format!("共 {} 个附件", rows.len())),
    )
}

/// The attachments of the record `id` (refused when there is no such record): an
/// inspection's with its items', an answer's those of its item.
fn attached_to(store: &Store, id: Uuid) -> anyhow::Result<Vec<Record<Attachment>>> {
    let target = store.attachment_target(id, None)?;
    let mut list = store.attachments_of(target.id)?;
    if target.kind == attachment::TargetKind::Answer {
        list.retain(|a| a.data.item_code == target.item_code);
    }
    Ok(list)
}

fn json_of(store: &Store, a: &Record<Attachment>, outside: Option<&str>) -> serde_json::Value {
    let mut v = serde_json::to_value(a).unwrap_or_default();
    if let Some(o) = v.as_object_mut() {
        o.insert(
            "stored_at".into(),
            store
                .attachment_path(&a.data.sha256)
                .display()
                .to_string()
                .into(),
        );
        o.insert("outside_visit".into(), outside.into());
    }
    v
}

/// Writes the files attached to `id` into `out` under their original names (made unique),
/// each checked against its recorded hash while copied.
fn export(store: &Store, id: Uuid, out: &Path) -> anyhow::Result<()> {
    let list = attached_to(store, id)?;
    if list.is_empty() {
        anyhow::bail!("{id} 没有附件，没有导出任何文件");
    }
    std::fs::create_dir_all(out).map_err(|e| {
        anyhow::anyhow!(
            "无法建立目录 {}：{}",
            out.display(),
            crate::storage::describe_io(&e)
        )
    })?;
    let mut taken: HashSet<String> = std::fs::read_dir(out)?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_lowercase())
        .collect();
    let mut written = Vec::new();
    for a in &list {
        let d = &a.data;
        let fallback = format!(
            "{}.{}",
            &d.sha256[..12],
            attachment::extension(&d.media_type)
        );
        let name = attachment::export_name(&d.file_name, &fallback, &mut taken);
        let dest = out.join(&name);
        copy_checked(&store.attachment_path(&d.sha256), &dest, &d.sha256, d.size)
            .map_err(|why| anyhow::anyhow!("{}：{why}", d.file_name))?;
        written.push(name);
    }
    println!("已导出 {} 个文件到 {}：", written.len(), out.display());
    for name in written {
        println!("  {name}");
    }
    Ok(())
}

/// Copies the stored file to `dest` (a new file), streaming, and checks its hash and size on
/// the way; a mismatch removes `dest` and says the store's copy is damaged.
fn copy_checked(from: &Path, dest: &Path, sha256: &str, size: u64) -> Result<(), String> {
    let io = |e: std::io::Error| crate::storage::describe_io(&e);
    let mut src = std::fs::File::open(from).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("附件存储中缺少这个文件（{}）", from.display()),
        _ => format!("无法读取附件存储中的文件：{}", io(e)),
    })?;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dest)
        .map_err(|e| format!("无法写入 {}：{}", dest.display(), io(e)))?;
    let result = (|| {
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        let mut copied = 0u64;
        loop {
            let n = src.read(&mut buf).map_err(io)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            file.write_all(&buf[..n]).map_err(io)?;
            copied += n as u64;
        }
        let got: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if got != sha256 || copied != size {
            return Err(format!(
                "附件存储中的文件已被改动或损坏（校验值不符），没有导出：{}",
                from.display()
            ));
        }
        file.sync_all().map_err(io)
    })();
    if result.is_err() {
        drop(file);
        let _ = std::fs::remove_file(dest);
    }
    result
}
