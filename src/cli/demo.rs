//! `paicha demo`: fills an empty data dir with demonstration data.

use crate::demo::{self, DemoOptions};
use crate::storage::Store;
use crate::templates::Catalog;
use clap::Args;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 企业数（默认 30）
    #[arg(
        long,
        value_name = "数量",
        default_value_t = 30,
        hide_default_value = true
    )]
    enterprises: usize,
    /// 检查次数（默认 60）
    #[arg(
        long,
        value_name = "数量",
        default_value_t = 60,
        hide_default_value = true
    )]
    inspections: usize,
    /// 随机种子：相同的种子生成相同的内容（默认 2023）
    #[arg(
        long,
        value_name = "种子",
        default_value_t = 2023,
        hide_default_value = true
    )]
    seed: u64,
}

pub fn run(args: DemoArgs, store: &mut Store, catalog: &Catalog) -> anyhow::Result<()> {
    let summary = demo::generate(
        store,
        catalog,
        DemoOptions {
            enterprises: args.enterprises,
            inspections: args.inspections,
            seed: args.seed,
        },
    )?;
    println!("已载入演示数据：{}", summary.text());
    Ok(())
}
