use super::*;

#[derive(Debug)]
#[allow(dead_code)] // the fields are read through Debug only
enum Sample {
    Unit,
    Tuple(String),
    Named { name: String },
}

#[test]
fn a_variant_name_is_kept_and_its_payload_is_not() {
    assert_eq!(variant(&Sample::Unit), "Unit");
    assert_eq!(variant(&Sample::Tuple("张三".into())), "Tuple");
    assert_eq!(
        variant(&Sample::Named {
            name: "李四".into()
        }),
        "Named"
    );
    assert_eq!(variant(&"王五"), "text");
    assert_eq!(variant(&42), "value");
}

#[test]
fn an_error_chain_is_logged_as_kinds_without_its_text() {
    let io = std::io::Error::new(std::io::ErrorKind::NotFound, "/home/zhang/名册.xlsx");
    let e = anyhow::Error::new(io).context("企业 张三五金厂 不存在");
    let kinds = error_kinds(&e);
    assert_eq!(kinds, "context > io:NotFound");
    let plain = anyhow::anyhow!("企业 {} 不存在", "张三五金厂");
    assert_eq!(error_kinds(&plain), "text");
    let key = crate::identity::KeyError::Corrupt("/home/zhang/k".into());
    assert_eq!(error_kinds(&anyhow::Error::new(key)), "Corrupt");
}

#[test]
fn a_formatted_panic_message_loses_its_values() {
    let literal: Box<dyn std::any::Any + Send> = Box::new("attach: no staged file");
    assert_eq!(panic_message(literal.as_ref()), "attach: no staged file");
    let formatted: Box<dyn std::any::Any + Send> = Box::new(String::from(
        "called `Result::unwrap()` on an `Err` value: Io { path: \"/home/张三\" }",
    ));
    assert_eq!(
        panic_message(formatted.as_ref()),
        "called `Result::unwrap()` on an `Err` value"
    );
}

#[test]
fn steps_are_written_only_before_a_failure() {
    let dir = tempfile::tempdir().expect("dir");
    tracing::subscriber::with_default(for_data_dir(dir.path()), || {
        tracing::debug!(effect = "LoadHome", "step");
        tracing::info!(command = "tui", "started");
    });
    let log = dir.path().join(LOG_DIR).join(LOG_FILE);
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("started command=\"tui\""), "{text}");
    assert!(
        !text.contains("LoadHome"),
        "a step alone is not written: {text}"
    );
    tracing::subscriber::with_default(for_data_dir(dir.path()), || {
        for _ in 0..subscriber::STEPS + 5 {
            tracing::debug!(effect = "LoadHome", "step");
        }
        tracing::debug!(effect = "SaveProfile", "step");
        tracing::warn!(effect = "SaveProfile", "effect failed");
    });
    let text = std::fs::read_to_string(&log).expect("log");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1 + subscriber::STEPS + 1, "{text}");
    assert!(
        lines[lines.len() - 2].contains("DEBUG") && lines[lines.len() - 2].contains("SaveProfile")
    );
    assert!(
        lines[lines.len() - 1].contains("WARN") && lines[lines.len() - 1].contains("effect failed")
    );
}
