//! Everything a contributor needs is in the repository: no file cites a
//! path outside it (a sibling `shared/` folder, partner guides kept
//! elsewhere, this machine's work folders). Provider facts are in the
//! top-level PROVIDERS.md, each with its public source or "partner guide,
//! not public".
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// Folders that are built, installed or fetched, not written.
const SKIPPED: &[&str] = &[
    ".git",
    "target",
    "node_modules",
    "pkg",
    "corpus",
    "artifacts",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        // A worktree's `.git` is a file naming the main checkout.
        let name = entry.file_name();
        let name = name.to_string_lossy();
        // Bundles the consumer tests write (`dist`, `dist-*`, `.demo-dist`) name this machine's paths.
        if SKIPPED.contains(&name.as_ref()) || name.starts_with("dist") || name == ".demo-dist" {
            continue;
        }
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// A guide's file name as the partners' guides were stored outside the
/// repository: three digits, `_`, 16 hex digits, `.txt`.
fn names_a_guide_file(text: &str) -> bool {
    text.match_indices(".txt").any(|(at, _)| {
        let head = &text.as_bytes()[..at];
        head.len() >= 20
            && head[head.len() - 16..].iter().all(u8::is_ascii_hexdigit)
            && head[head.len() - 17] == b'_'
            && head[head.len() - 20..head.len() - 17]
                .iter()
                .all(u8::is_ascii_digit)
    })
}

/// What each file may not contain, spelled so this file does not match.
fn outside_paths() -> Vec<String> {
    let shared = ["..", "/shared"].concat();
    vec![
        shared.clone(),
        ["shared/", "PROVIDERS"].concat(),
        ["shared/", "seeds"].concat(),
        ["seeds", "/"].concat(),
        ["/work", "/"].concat(),
        ["seed ", "00"].concat(),
    ]
}

#[test]
fn no_file_cites_a_path_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(root, &mut all);
    assert!(all.len() > 100, "walked {} files", all.len());
    let patterns = outside_paths();
    let mut found = Vec::new();
    for path in &all {
        // Binary files (images, wasm, fuzz inputs) are not prose.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let shown = path
            .strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string();
        for (number, line) in text.lines().enumerate() {
            for pattern in &patterns {
                if line.contains(pattern.as_str()) {
                    found.push(format!("{shown}:{}: {pattern}", number + 1));
                }
            }
            if names_a_guide_file(line) {
                found.push(format!("{shown}:{}: a guide's file name", number + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "cite the top-level PROVIDERS.md instead:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_provider_facts_are_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let facts = std::fs::read_to_string(root.join("PROVIDERS.md")).unwrap();
    for section in ["PayFit", "Payout", "Factorial", "TropiPay", "Billit"] {
        assert!(facts.contains(&format!("## {section}")), "{section}");
    }
    // Every fact row names its source.
    for line in facts
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| fact"))
    {
        let cells: Vec<&str> = line.split(" | ").collect();
        assert!(cells.len() >= 3, "a row without a source: {line}");
        let source = cells[cells.len() - 1].trim_end_matches(" |").trim();
        assert!(!source.is_empty(), "a row without a source: {line}");
    }
    assert!(names_a_guide_file(
        &["see 123_0123456789abcdef", ".txt"].concat()
    ));
    assert!(!names_a_guide_file("tests/tarball/files.txt"));
}
