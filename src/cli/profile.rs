//! `paicha profile …`: who this device records as the author.

use crate::domain::Inspector;
use crate::storage::Store;
use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// 显示本机执法人员档案
    Show,
    /// 设置本机执法人员档案（此后的记录都以此人署名）
    Set {
        /// 姓名
        #[arg(long, value_name = "姓名")]
        name: String,
        /// 执法证号
        #[arg(long, value_name = "证号")]
        cert_no: String,
        /// 所属专项行动小组代码
        #[arg(long, value_name = "小组")]
        group: Option<String>,
    },
}

pub fn run(cmd: ProfileCommand, store: &mut Store) -> anyhow::Result<()> {
    match cmd {
        ProfileCommand::Show => {
            match store.profile()? {
                Some(p) => println!(
                    "执法人员：{}\n执法证号：{}\n所属小组：{}\n本机设备标识：{}",
                    p.data.name,
                    if p.data.cert_no.is_empty() {
                        "（未填）"
                    } else {
                        &p.data.cert_no
                    },
                    p.data.group_code.as_deref().unwrap_or("（未填）"),
                    store.replica_id()
                ),
                None => println!(
                    "尚未设置本机执法人员档案。用 paicha profile set --name 姓名 --cert-no 执法证号 设置。\n本机设备标识：{}",
                    store.replica_id()
                ),
            }
            Ok(())
        }
        ProfileCommand::Set {
            name,
            cert_no,
            group,
        } => {
            let name = name.trim().to_string();
            if name.is_empty() {
                anyhow::bail!("姓名不能为空");
            }
            let p = store.set_profile(Inspector {
                name,
                cert_no: cert_no.trim().to_string(),
                group_code: group,
            })?;
            println!(
                "已设置本机执法人员档案：{}（执法证号 {}）",
                p.data.name, p.data.cert_no
            );
            Ok(())
        }
    }
}
