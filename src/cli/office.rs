//! `paicha office …` and `paicha roster …`: the office's trust anchor and its roster of
//! people, keys and roles. Everything is a new signed roster entry: nothing is edited in
//! place, and the history stays readable with `roster log`.

use crate::domain::trust::roles::listed;
use crate::domain::trust::roster::fingerprint;
use crate::domain::trust::{Body, Role, Roster};
use crate::identity::key_file;
use crate::storage::Store;
use clap::Subcommand;
use std::path::PathBuf;
use uuid::Uuid;

#[derive(Debug, Subcommand)]
pub enum OfficeCommand {
    /// 把本数据目录设为办公室：生成办公室锚定密钥，建立人员名册，本机执法人员登记为内勤和检查人员
    Init {
        /// 办公室名称，如“方山县应急管理局”
        #[arg(long, value_name = "名称")]
        name: String,
        /// 本人除内勤、检查人员外的其他角色（可多次）：组长、销号签字领导
        #[arg(long = "role", value_name = "角色")]
        roles: Vec<String>,
    },
    /// 显示办公室名称和锚定公钥指纹（各台电脑首次导入台账时据此核对）
    Show,
    /// 更换办公室锚定密钥（新密钥由旧密钥签名宣告，各台电脑自动接受）
    Rotate,
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// 列出名册中的人员、角色和公钥
    List {
        #[command(flatten)]
        format: super::TableFormat,
    },
    /// 列出名册的全部条目（历史，不可更改）
    Log,
    /// 登记一名人员（可同时登记其公钥）
    Add {
        /// 姓名
        #[arg(long, value_name = "姓名")]
        name: String,
        /// 执法证号（没有可不填）
        #[arg(
            long,
            value_name = "证号",
            default_value = "",
            hide_default_value = true
        )]
        cert_no: String,
        /// 所属专项行动小组代码
        #[arg(long, value_name = "小组")]
        group: Option<String>,
        /// 角色（可多次）：检查人员、组长、销号签字领导、内勤
        #[arg(long = "role", value_name = "角色", required = true)]
        roles: Vec<String>,
        /// 本人用 paicha keys --export 导出的公钥文件
        #[arg(long, value_name = "文件")]
        key: Option<PathBuf>,
    },
    /// 重新设定一名人员的角色（历史保留）
    Role {
        /// 姓名或执法证号
        #[arg(value_name = "人员")]
        person: String,
        /// 新的角色（可多次；不给则取消全部角色）
        #[arg(long = "role", value_name = "角色")]
        roles: Vec<String>,
    },
    /// 人员离开：停用，不再有任何角色
    Leave {
        /// 姓名或执法证号
        #[arg(value_name = "人员")]
        person: String,
    },
    /// 为一名人员登记公钥（本人用 paicha keys --export 导出的文件）
    Key {
        /// 姓名或执法证号
        #[arg(value_name = "人员")]
        person: String,
        /// 公钥文件
        #[arg(long, value_name = "文件")]
        key: PathBuf,
    },
    /// 吊销一把公钥（电脑丢失、人员离开）；此前已收到的记录仍有效，此后它签名的记录留待复核
    Revoke {
        /// 公钥指纹（或 64 位十六进制公钥）
        #[arg(value_name = "指纹")]
        key: String,
    },
    /// 给一台现场电脑分配文书编号前缀（本机设备标识见该电脑的 paicha profile show）
    Device {
        /// 设备标识
        #[arg(value_name = "设备标识")]
        replica: String,
        /// 编号前缀，如“A”
        #[arg(long, value_name = "前缀")]
        prefix: String,
    },
}

fn parse_roles(texts: &[String]) -> anyhow::Result<Vec<Role>> {
    let mut out = Vec::new();
    for t in texts {
        let role = Role::parse(t).map_err(|e| anyhow::anyhow!("{e}"))?;
        if !out.contains(&role) {
            out.push(role);
        }
    }
    Ok(out)
}

pub fn run_office(cmd: OfficeCommand, store: &mut Store) -> anyhow::Result<()> {
    match cmd {
        OfficeCommand::Init { name, roles } => {
            let roles = parse_roles(&roles)?;
            let roster = store.office_init(&name, &roles)?;
            println!("已建立“{}”的人员名册。", roster.office_name);
            println!("办公室锚定公钥指纹：{}", roster.fingerprint());
            println!(
                "请把这个指纹抄给各位检查人员：他们的电脑第一次导入台账数据包时，要核对并输入它\n\
                 （paicha import --office-fingerprint \"{}\" 台账.paicha）。",
                roster.fingerprint()
            );
            println!(
                "下一步：用 paicha roster add 登记人员（至少一位销号签字领导），\n\
                 用 paicha export --ledger 导出台账（含名册）发到各台电脑。"
            );
            warn_first_sight_keys(store, &roster)?;
            Ok(())
        }
        OfficeCommand::Show => {
            let roster = require_roster(store)?;
            println!("办公室：{}", roster.office_name);
            println!("锚定公钥指纹：{}", roster.fingerprint());
            if roster.anchor_key != roster.genesis_key {
                println!(
                    "（锚定密钥已更换，现用密钥指纹 {}）",
                    fingerprint(&roster.anchor_key)
                );
            }
            println!(
                "名册条目 {} 条；本机{}办公室",
                roster.len,
                if store.is_office()? { "是" } else { "不是" }
            );
            Ok(())
        }
        OfficeCommand::Rotate => {
            let roster = store.rotate_anchor()?;
            println!(
                "已更换锚定密钥，新密钥指纹 {}。下次导出的台账会带上这条由旧密钥签名的宣告；\n\
                 各台电脑首次信任时核对的仍是最初的指纹 {}。",
                fingerprint(&roster.anchor_key),
                roster.fingerprint()
            );
            Ok(())
        }
    }
}

/// Keys trusted on first sight before the office kept a roster: their new records are held
/// until a clerk enrols the key (or rejects it).
fn warn_first_sight_keys(store: &Store, roster: &Roster) -> anyhow::Result<()> {
    let pending: Vec<(String, String, String)> = store
        .first_sight_keys()?
        .into_iter()
        .filter(|(_, _, key)| !roster.keys.contains_key(key))
        .collect();
    if pending.is_empty() {
        return Ok(());
    }
    println!(
        "\n以下 {} 把公钥是建立名册之前按“首次见到即信任”记下的，尚未登记。它们此后签名的新记录将留待复核，\n\
         请核实本人后用 paicha roster add … --key 或 paicha roster key 登记：",
        pending.len()
    );
    for (id, name, key) in pending {
        println!("  {name}（档案 {id}）公钥指纹 {}", fingerprint(&key));
    }
    Ok(())
}

fn require_roster(store: &Store) -> anyhow::Result<Roster> {
    store.roster()?.ok_or_else(|| {
        anyhow::anyhow!(
            "还没有办公室名册：在办公室用 paicha office init --name 名称 建立；现场电脑在导入办公室的台账数据包时得到名册"
        )
    })
}

fn find<'r>(roster: &'r Roster, text: &str) -> anyhow::Result<&'r crate::domain::trust::Person> {
    roster
        .find_person(text)
        .ok_or_else(|| anyhow::anyhow!("名册中没有“{}”（按姓名或执法证号查找）", text.trim()))
}

pub fn run_roster(cmd: RosterCommand, store: &mut Store) -> anyhow::Result<()> {
    match cmd {
        RosterCommand::List { format } => {
            let roster = require_roster(store)?;
            list(&roster, format.format)
        }
        RosterCommand::Log => {
            let entries = store.roster_entries()?;
            let roster = require_roster(store)?;
            for e in entries {
                println!(
                    "{:>4}  {}  {}",
                    e.entry.seq,
                    crate::domain::time::parse_record_time(&e.entry.made_at)
                        .map(|t| crate::domain::time::local(t)
                            .format("%Y-%m-%d %H:%M")
                            .to_string())
                        .unwrap_or_else(|| e.entry.made_at.clone()),
                    e.entry.body.describe(Some(&roster))
                );
            }
            Ok(())
        }
        RosterCommand::Add {
            name,
            cert_no,
            group,
            roles,
            key,
        } => {
            let roles = parse_roles(&roles)?;
            if name.trim().is_empty() {
                anyhow::bail!("姓名不能为空");
            }
            let person_id = crate::storage::new_person_id();
            let mut bodies = vec![Body::Person {
                person_id,
                name: name.trim().to_string(),
                cert_no: cert_no.trim().to_string(),
                group_code: group,
                roles: roles.clone(),
                active: true,
            }];
            let mut key_note = String::new();
            if let Some(path) = key {
                let (body, note) = Body::key_from_file(person_id, key_file::read(&path)?);
                bodies.push(body);
                key_note = note;
            }
            store.roster_append(bodies)?;
            println!("已登记 {}（{}）{key_note}", name.trim(), listed(&roles));
            Ok(())
        }
        RosterCommand::Role { person, roles } => {
            let roles = parse_roles(&roles)?;
            let roster = require_roster(store)?;
            let p = find(&roster, &person)?.clone();
            store.roster_append(vec![p.restated(roles.clone(), true)])?;
            println!("{} 的角色改为：{}", p.name, listed(&roles));
            Ok(())
        }
        RosterCommand::Leave { person } => {
            let roster = require_roster(store)?;
            let p = find(&roster, &person)?.clone();
            store.roster_append(vec![p.restated(p.roles.clone(), false)])?;
            println!(
                "{} 已停用，不再有任何角色。如其电脑丢失，另请用 paicha roster revoke 吊销公钥",
                p.name
            );
            Ok(())
        }
        RosterCommand::Key { person, key } => {
            let roster = require_roster(store)?;
            let p = find(&roster, &person)?.clone();
            let file = key_file::read(&key)?;
            store.roster_append(vec![Body::Key {
                person_id: p.id,
                inspector_id: file.inspector_id,
                public_key: file.public_key.clone(),
            }])?;
            println!(
                "已为 {} 登记公钥，指纹 {}",
                p.name,
                fingerprint(&file.public_key)
            );
            Ok(())
        }
        RosterCommand::Revoke { key } => {
            let roster = require_roster(store)?;
            let public = roster
                .keys
                .keys()
                .find(|k| {
                    k.as_str() == key.trim()
                        || crate::domain::trust::roster::fingerprint_matches(&key, k)
                })
                .cloned()
                .ok_or_else(|| anyhow::anyhow!("名册中没有指纹为“{}”的公钥", key.trim()))?;
            let accepted = store.records_signed_by(&public)?;
            store.roster_append(vec![Body::Revoke {
                public_key: public.clone(),
                accepted: accepted.clone(),
            }])?;
            println!(
                "已吊销公钥 {}。此前已收到它签名的 {} 条记录仍然有效；此后带来它新签名记录的数据包将留待复核",
                fingerprint(&public),
                accepted.len()
            );
            Ok(())
        }
        RosterCommand::Device { replica, prefix } => {
            let replica = Uuid::parse_str(replica.trim())
                .map_err(|_| anyhow::anyhow!("设备标识应为 paicha profile show 显示的编号"))?;
            store.roster_append(vec![Body::Device {
                replica_id: replica,
                prefix: prefix.trim().to_string(),
            }])?;
            println!("设备 {replica} 的文书编号前缀为“{}”", prefix.trim());
            Ok(())
        }
    }
}

fn list(roster: &Roster, format: super::Format) -> anyhow::Result<()> {
    let rows: Vec<serde_json::Value> = roster
        .people
        .values()
        .map(|p| {
            let keys: Vec<serde_json::Value> = roster
                .keys
                .values()
                .filter(|k| k.person_id == p.id)
                .map(|k| {
                    serde_json::json!({
                        "fingerprint": fingerprint(&k.public_key),
                        "public_key": k.public_key,
                        "inspector_id": k.inspector_id,
                        "revoked": k.revoked.is_some(),
                    })
                })
                .collect();
            serde_json::json!({
                "person_id": p.id,
                "name": p.name,
                "cert_no": p.cert_no,
                "group_code": p.group_code,
                "roles": p.roles().iter().map(|r| r.code()).collect::<Vec<_>>(),
                "active": p.active,
                "keys": keys,
            })
        })
        .collect();
    let json = serde_json::json!({
        "office": roster.office_name,
        "fingerprint": roster.fingerprint(),
        "people": rows,
    });
    if format != super::Format::Json {
        println!(
            "办公室：{}  指纹：{}",
            roster.office_name,
            roster.fingerprint()
        );
    }
    let table: Vec<Vec<String>> = roster
        .people
        .values()
        .map(|p| {
            let keys: Vec<String> = roster
                .keys
                .values()
                .filter(|k| k.person_id == p.id)
                .map(|k| {
                    let fp = fingerprint(&k.public_key);
                    if k.revoked.is_some() {
                        format!("{fp}（已吊销）")
                    } else {
                        fp
                    }
                })
                .collect();
            vec![
                format!("{}{}", p.name, if p.active { "" } else { "（已停用）" }),
                p.cert_no.clone(),
                p.group_code.clone().unwrap_or_default(),
                listed(p.roles()),
                if keys.is_empty() {
                    "未登记".into()
                } else {
                    keys.join("；")
                },
            ]
        })
        .collect();
    super::table::write_rows(
        format,
        &json,
        &["姓名", "执法证号", "小组", "角色", "公钥指纹"],
        &table,
        "名册中还没有人员",
        None,
    )
}
