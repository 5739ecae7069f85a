//! `paicha enterprise`: importing good, bad, BOM, GBK and xlsx rosters and listing them, through
//! the real binary.

#[path = "support/cli.rs"]
mod cli;

use cli::*;
use std::process::Command;

#[test]
fn good_roster_imports_and_lists_in_every_format() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("共 3 家，新增 3 家，更新 0 家，未变 0 家"),
        "{}",
        stdout(&out)
    );

    let json = listed_json(&data);
    let list = json.as_array().expect("array");
    assert_eq!(list.len(), 3);
    let gas = list
        .iter()
        .find(|e| e["credit_code"] == "91110000802100433B")
        .expect("gas");
    assert_eq!(gas["name"], "方山县燃气有限公司");
    assert_eq!(gas["risk_level"], "major", "codes, not labels, in JSON");
    assert_eq!(gas["sector_code"], "town_gas");
    for key in [
        "id",
        "created_at",
        "updated_at",
        "author_id",
        "replica_id",
        "town",
        "principal",
        "phone",
        "address",
        "sector",
    ] {
        assert!(gas.get(key).is_some(), "missing {key}");
    }

    let table = stdout(&paicha(&data, &["enterprise", "list"]));
    assert!(table.starts_with("企业名称"), "{table}");
    assert!(table.contains("共 3 家企业"), "{table}");
    let rows: Vec<&str> = table.lines().take(4).collect();
    let col = |l: &str| unicode_width::UnicodeWidthStr::width(&l[..l.find("9").unwrap_or(0)]);
    assert_eq!(col(rows[1]), col(rows[2]), "credit codes align:\n{table}");

    let csv = paicha(&data, &["enterprise", "list", "--format", "csv"]);
    assert!(
        csv.stdout.starts_with(b"\xEF\xBB\xBF"),
        "CSV has a BOM for Excel/WPS"
    );
    // What paicha writes, paicha reads back unchanged.
    let again = write(tmp.path(), "export.csv", &csv.stdout);
    let out = paicha(&data, &["enterprise", "import", &again]);
    assert!(
        stdout(&out).contains("新增 0 家，更新 0 家，未变 3 家"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn reimport_updates_by_credit_code_instead_of_duplicating() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    assert!(
        paicha(&data, &["enterprise", "import", &file])
            .status
            .success()
    );
    let changed = GOOD.replace("13800138000", "13900139000") + "新企业,9111000071093123XX,,,,,,\n";
    let file = write(tmp.path(), "roster2.csv", changed.as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(
        stdout(&out).contains("共 4 家，新增 1 家，更新 1 家，未变 2 家"),
        "{}",
        stdout(&out)
    );
    let json = listed_json(&data);
    assert_eq!(json.as_array().expect("array").len(), 4);
    let grain = json
        .as_array()
        .expect("array")
        .iter()
        .find(|e| e["credit_code"] == "914403001922038216")
        .expect("grain");
    assert_eq!(grain["phone"], "13900139000");
}

#[test]
fn a_bad_roster_imports_nothing_and_lists_every_bad_row() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let bad = format!(
        "{GOOD}坏代码企业,91350100M000100Y44,,,,,,\n,9111000071093123XX,,,,,,\n重复企业,914403001922038216,,,,,,\n"
    );
    let file = write(tmp.path(), "bad.csv", bad.as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("企业名册有 3 处错误，未导入任何企业"), "{err}");
    assert!(err.contains("第5行: 统一社会信用代码校验位错误"), "{err}");
    assert!(err.contains("第6行: 企业名称为空"), "{err}");
    assert!(
        err.contains("第7行: 统一社会信用代码 914403001922038216 与第3行重复"),
        "{err}"
    );
    assert_eq!(
        listed_json(&data),
        serde_json::json!([]),
        "nothing imported"
    );
}

#[test]
fn bom_gbk_and_xlsx_rosters_are_accepted_and_other_bytes_are_refused() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(GOOD.as_bytes());
    let file = write(tmp.path(), "bom.csv", &bom);
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(listed_json(&data).as_array().expect("array").len(), 3);

    // The same roster as Chinese Excel's "CSV（逗号分隔）" writes it: GBK.
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(GOOD);
    assert!(!unmappable);
    let gbk_data = tmp.path().join("gbk");
    let file = write(tmp.path(), "gbk.csv", &gbk);
    let out = paicha(&gbk_data, &["enterprise", "import", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(listed_names(&gbk_data), listed_names(&data));

    // The same roster as an Excel workbook (first sheet).
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in GOOD.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, cell).expect("cell");
        }
    }
    let xlsx_data = tmp.path().join("xlsx");
    let file = write(
        tmp.path(),
        "名册.xlsx",
        &book.save_to_buffer().expect("xlsx"),
    );
    let out = paicha(&xlsx_data, &["enterprise", "import", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(listed_names(&xlsx_data), listed_names(&data));

    // Neither UTF-8 nor GBK: refused, nothing imported.
    let other = tmp.path().join("other");
    let file = write(tmp.path(), "bad.csv", b"\xc6\xf3\xd2\xb5,\xff\xff\n");
    let out = paicha(&other, &["enterprise", "import", &file]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("既不是 UTF-8 编码也不是 GBK 编码") && err.contains("CSV UTF-8"),
        "{err}"
    );
    assert_eq!(listed_json(&other), serde_json::json!([]));
}

/// What a roster says of each enterprise, without the record ids and times.
fn listed_names(data: &std::path::Path) -> Vec<String> {
    let json = listed_json(data);
    let mut out: Vec<String> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|e| {
            [
                "name",
                "credit_code",
                "address",
                "town",
                "sector",
                "principal",
                "phone",
                "risk_level",
            ]
            .iter()
            .map(|k| e[k].to_string())
            .collect::<Vec<_>>()
            .join("|")
        })
        .collect();
    out.sort();
    assert!(!out.is_empty());
    out
}

#[test]
fn a_missing_file_and_missing_columns_are_explained() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let out = paicha(&data, &["enterprise", "import", "/nonexistent/名册.csv"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("无法读取文件 /nonexistent/名册.csv：路径不存在"),
        "{}",
        stderr(&out)
    );
    let file = write(tmp.path(), "cols.csv", "名称,电话\n甲,1\n".as_bytes());
    let out = paicha(&data, &["enterprise", "import", &file]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("表头缺少必需的列：企业名称、统一社会信用代码"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn listing_into_a_closed_pipe_is_quiet() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let rows: String = (0..3000)
        .map(|i| format!("企业{i},{},,,,,,\n", code(i)))
        .collect();
    let file = write(
        tmp.path(),
        "big.csv",
        format!("企业名称,统一社会信用代码,地址,乡镇,行业,主要负责人,联系电话,风险等级\n{rows}")
            .as_bytes(),
    );
    assert!(
        paicha(&data, &["enterprise", "import", &file])
            .status
            .success()
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_paicha"))
        .arg("--data-dir")
        .arg(&data)
        .args(["enterprise", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take()); // the reader goes away at once
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

#[test]
fn the_table_aligns_chinese_columns_of_different_widths() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let roster = "企业名称,统一社会信用代码,乡镇\n方山县圪洞镇东关加油加气站,91350100M000100Y43,圪洞镇\n甲,914403001922038216,峪口镇\nAB 公司,91110000802100433B,北武当镇\n";
    let file = write(tmp.path(), "roster.csv", roster.as_bytes());
    assert!(
        paicha(&data, &["enterprise", "import", &file])
            .status
            .success()
    );
    let table = stdout(&paicha(&data, &["enterprise", "list"]));
    let lines: Vec<&str> = table.lines().collect();
    let code_column: Vec<usize> = lines[1..4]
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(&l[..l.find('9').expect("a code")]))
        .collect();
    assert_eq!(
        code_column,
        vec![code_column[0]; 3],
        "credit codes start in one column:\n{table}"
    );
    let header_code =
        unicode_width::UnicodeWidthStr::width(&lines[0][..lines[0].find("统一").expect("header")]);
    assert_eq!(
        header_code, code_column[0],
        "and so does their header:\n{table}"
    );
}

#[test]
fn profile_set_then_records_are_signed_by_it() {
    let tmp = tempfile::tempdir().expect("dir");
    let data = tmp.path().join("data");
    let out = paicha(
        &data,
        &[
            "profile",
            "set",
            "--name",
            "李建山",
            "--cert-no",
            "14010001",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let show = stdout(&paicha(&data, &["profile", "show"]));
    assert!(
        show.contains("执法人员：李建山") && show.contains("14010001"),
        "{show}"
    );
    let file = write(tmp.path(), "roster.csv", GOOD.as_bytes());
    assert!(
        paicha(&data, &["enterprise", "import", &file])
            .status
            .success()
    );
    let json = listed_json(&data);
    let authors: std::collections::HashSet<_> = json
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["author_id"].clone())
        .collect();
    assert_eq!(authors.len(), 1);
}
