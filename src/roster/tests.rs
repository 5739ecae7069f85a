use super::*;

fn sectors() -> SectorTable {
    SectorTable::shipped()
}

const HEADER: &str = "企业名称,统一社会信用代码,地址,乡镇,行业,主要负责人,联系电话,风险等级";

#[test]
fn parses_a_good_roster_in_any_column_order_with_extra_columns() {
    let csv = "序号,风险等级,统一社会信用代码,企业名称,备注,行业,乡镇\n\
               1,较大,91350100M000100Y43,方山县加油站,无,加油站,圪洞镇\n\
               2,,914403001922038216,方山县粮食储备库,,粮食仓储,峪口镇\n";
    let roster = parse(csv.as_bytes(), &sectors()).expect("valid");
    assert_eq!(roster.enterprises.len(), 2);
    let first = &roster.enterprises[0];
    assert_eq!(first.name, "方山县加油站");
    assert_eq!(first.credit_code.as_str(), "91350100M000100Y43");
    assert_eq!(first.risk_level, Some(RiskLevel::High));
    assert_eq!(first.sector_code.as_deref(), Some("fuel"));
    assert_eq!(first.town, "圪洞镇");
    assert_eq!(first.address, "", "missing optional column is empty");
    assert_eq!(roster.enterprises[1].risk_level, None);
    assert!(roster.fields.risk_level && roster.fields.sector && roster.fields.town);
    assert!(!roster.fields.address && !roster.fields.phone && !roster.fields.principal);
    let notes: Vec<String> = roster.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].starts_with("第1行: 以下列不是名册列，已忽略：序号、备注"),
        "{notes:?}"
    );
    assert!(
        notes[1].contains("保持不变：地址、主要负责人、联系电话"),
        "{notes:?}"
    );
}

#[test]
fn a_misspelt_header_is_named_in_a_warning() {
    let csv = "企业名称,统一社会信用代码,联系 电话\n甲,91350100M000100Y43,123\n";
    let roster = parse(csv.as_bytes(), &sectors()).expect("valid");
    assert!(!roster.fields.phone);
    assert!(
        roster.warnings[0].message.contains("已忽略：联系 电话"),
        "{:?}",
        roster.warnings
    );
}

#[test]
fn bom_and_crlf_and_padding_are_accepted() {
    let csv = format!(
        "\u{feff}{HEADER}\r\n 方山县燃气公司 ,91110000802100433B,城关,圪洞镇,城镇燃气,张三,0358-6021234,重大风险\r\n"
    );
    let roster = parse(csv.as_bytes(), &sectors()).expect("valid");
    assert_eq!(roster.enterprises[0].name, "方山县燃气公司");
    assert_eq!(roster.enterprises[0].risk_level, Some(RiskLevel::Major));
}

#[test]
fn every_bad_row_is_listed_with_its_line_and_nothing_is_returned() {
    let csv = format!(
        "{HEADER}\n\
         好企业,91350100M000100Y43,,,,,,\n\
         ,914403001922038216,,,,,,\n\
         坏代码,91350100M000100Y44,,,,,,\n\
         \n\
         坏等级,91110000802100433B,,,,,,很高\n\
         重复,91350100M000100Y43,,,,,,\n"
    );
    let err = parse(csv.as_bytes(), &sectors()).unwrap_err();
    let RosterError::Rows(problems) = &err else {
        panic!("expected row problems, got {err:?}");
    };
    let lines: Vec<u64> = problems.iter().map(|p| p.line).collect();
    assert_eq!(lines, [3, 4, 6, 7]);
    let text = err.to_string();
    assert!(text.contains("第3行: 企业名称为空"), "{text}");
    assert!(text.contains("第4行: 统一社会信用代码校验位错误"), "{text}");
    assert!(text.contains("第6行: “很高”不是有效的风险等级"), "{text}");
    assert!(
        text.contains("第7行: 统一社会信用代码 91350100M000100Y43 与第2行重复"),
        "{text}"
    );
    assert!(
        text.starts_with("企业名册有 4 处错误，未导入任何企业"),
        "{text}"
    );
}

#[test]
fn a_gbk_csv_from_chinese_excel_is_decoded() {
    let csv = format!(
        "{HEADER}\n方山县加油站,91350100M000100Y43,圪洞镇北街,圪洞镇,加油站,张三,0358-6021234,较大\n"
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&csv);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let roster = parse(&gbk, &sectors()).expect("GBK decoded");
    let e = &roster.enterprises[0];
    assert_eq!(e.name, "方山县加油站");
    assert_eq!(e.address, "圪洞镇北街");
    assert_eq!(e.risk_level, Some(RiskLevel::High));
    // Row errors in a GBK file still name their line.
    let bad = format!("{HEADER}\n,91350100M000100Y43,,,,,,\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&bad);
    let err = parse(&gbk, &sectors()).unwrap_err().to_string();
    assert!(err.contains("第2行: 企业名称为空"), "{err}");
}

#[test]
fn a_file_that_is_neither_utf8_nor_gbk_is_refused() {
    // 0xFF never starts a GBK/GB18030 character, and is not UTF-8 either.
    let bytes: &[u8] = b"\xc6\xf3\xd2\xb5\xc3\xfb\xb3\xc6,x\n\xff\xfe\xff\n";
    let err = parse(bytes, &sectors()).unwrap_err();
    assert!(matches!(err, RosterError::Encoding(_)), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("既不是 UTF-8 编码也不是 GBK 编码") && text.contains("第2行"),
        "{text}"
    );
    // Valid GB18030 bytes but a binary file (control characters): refused too.
    let err = parse(b"\x00\x01\x02binary", &sectors()).unwrap_err();
    assert!(err.to_string().contains("控制字符"), "{err}");
}

/// A workbook like the office keeps: a title-less first sheet, numbers typed as numbers.
fn workbook(rows: &[&[&str]], sheet: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).expect("name");
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let (r, c) = (r as u32, c as u16);
            match cell
                .parse::<f64>()
                .ok()
                .filter(|_| cell.len() <= 11)
                .ok_or(())
            {
                Ok(n) => ws.write_number(r, c, n).map(|_| ()),
                Err(_) => ws.write_string(r, c, *cell).map(|_| ()),
            }
            .expect("cell");
        }
    }
    // A second sheet is not read.
    book.add_worksheet()
        .write_string(0, 0, "不是名册")
        .expect("cell");
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn an_xlsx_roster_is_read_from_its_first_sheet() {
    let header: Vec<&str> = HEADER.split(',').collect();
    let bytes = workbook(
        &[
            &header,
            &[
                "方山县加油站",
                "91350100M000100Y43",
                "",
                "圪洞镇",
                "加油站",
                "张三",
                "13800000000",
                "较大",
            ],
            &[],
            &[
                "方山县粮食储备库",
                "914403001922038216",
                "",
                "",
                "粮食仓储",
                "",
                "",
                "",
            ],
        ],
        "企业名册",
    );
    assert!(is_workbook(&bytes));
    let roster = parse(&bytes, &sectors()).expect("valid");
    assert_eq!(roster.enterprises.len(), 2);
    let first = &roster.enterprises[0];
    assert_eq!(first.name, "方山县加油站");
    assert_eq!(first.phone, "13800000000", "a number cell keeps no .0");
    assert_eq!(first.sector_code.as_deref(), Some("fuel"));
    assert_eq!(first.risk_level, Some(RiskLevel::High));
    assert!(roster.fields.phone && roster.fields.risk_level);
    assert_eq!(roster.enterprises[1].name, "方山县粮食储备库");
}

#[test]
fn xlsx_errors_name_the_sheet_and_the_row_the_spreadsheet_shows() {
    let bytes = workbook(
        &[
            &["企业名称", "统一社会信用代码", "风险等级"],
            &["甲", "91350100M000100Y43", ""],
            &[],
            &["", "914403001922038216", ""],
            &["乙", "91110000802100433B", "很高", "多出来"],
        ],
        "Sheet1",
    );
    let err = parse(&bytes, &sectors()).unwrap_err().to_string();
    assert!(err.contains("工作表“Sheet1”第4行: 企业名称为空"), "{err}");
    assert!(
        err.contains("工作表“Sheet1”第5行: 第 4 列起有内容"),
        "{err}"
    );
    let missing = workbook(&[&["名称", "代码"], &["x", "y"]], "Sheet1");
    assert_eq!(
        parse(&missing, &sectors()),
        Err(RosterError::MissingColumns(vec![
            "企业名称".into(),
            "统一社会信用代码".into()
        ]))
    );
}

#[test]
fn a_damaged_workbook_is_refused_with_a_message() {
    let mut bytes = workbook(&[&["企业名称", "统一社会信用代码"]], "Sheet1");
    bytes.truncate(40);
    let err = parse(&bytes, &sectors()).unwrap_err();
    assert!(matches!(err, RosterError::Workbook(_)), "{err:?}");
    assert!(err.to_string().contains("无法读取 Excel/WPS 表格"), "{err}");
}

#[test]
fn utf16_is_recognised() {
    let err = parse(b"\xFF\xFEa\x00", &sectors()).unwrap_err();
    assert!(err.to_string().contains("UTF-16"));
}

#[test]
fn missing_required_columns_are_named() {
    let err = parse("名称,代码\nx,y\n".as_bytes(), &sectors()).unwrap_err();
    assert_eq!(
        err,
        RosterError::MissingColumns(vec!["企业名称".into(), "统一社会信用代码".into()])
    );
    assert!(
        err.to_string()
            .contains("表头缺少必需的列：企业名称、统一社会信用代码")
    );
}

#[test]
fn empty_file_is_refused() {
    assert_eq!(parse(b"", &sectors()), Err(RosterError::Empty));
    assert_eq!(
        parse("\u{feff}  \n".as_bytes(), &sectors()),
        Err(RosterError::Empty)
    );
}

#[test]
fn unquoted_comma_shifting_columns_is_caught() {
    let csv = format!(
        "{HEADER}\n方山县加油站,91350100M000100Y43,城关,镇,加油站,张三,0358-1234567,低,多出来\n"
    );
    let err = parse(csv.as_bytes(), &sectors()).unwrap_err().to_string();
    assert!(err.contains("第2行: 有 9 列，比表头多"), "{err}");
}

#[test]
fn quoted_cells_with_commas_and_newlines_are_fine() {
    let csv = format!(
        "{HEADER}\n\"方山县加油站,北站\",91350100M000100Y43,\"城关\n北街\",,,,,\n第二家,914403001922038216,,,,,,\n"
    );
    let roster = parse(csv.as_bytes(), &sectors()).expect("valid");
    assert_eq!(roster.enterprises[0].name, "方山县加油站,北站");
    assert_eq!(roster.enterprises[0].address, "城关\n北街");
}

#[test]
fn an_error_after_a_multiline_cell_names_the_spreadsheet_line() {
    let csv =
        format!("{HEADER}\n甲,91350100M000100Y43,\"多\n行\",,,,,\n,914403001922038216,,,,,,\n");
    let err = parse(csv.as_bytes(), &sectors()).unwrap_err().to_string();
    assert!(err.contains("第4行: 企业名称为空"), "{err}");
}

#[test]
fn unknown_sector_is_kept_verbatim_with_a_warning() {
    let csv = format!("{HEADER}\n钢铁厂,91350100M000100Y43,,,冶金,,,\n");
    let roster = parse(csv.as_bytes(), &sectors()).expect("valid");
    assert_eq!(roster.enterprises[0].sector, "冶金");
    assert_eq!(roster.enterprises[0].sector_code, None);
    assert_eq!(roster.warnings.len(), 1);
    assert!(
        roster.warnings[0]
            .to_string()
            .starts_with("第2行: 行业“冶金”")
    );
}
