//! "Everything about a provider lives in its file": no provider's name or
//! provider-specific answer key appears in shared code, comments included.
//! Shared code reads only the `Preset` and `Dialect` vocabulary.
#![cfg(not(target_arch = "wasm32"))]

use partner_oauth::core::providers::PROVIDERS;
use std::fs;
use std::path::{Path, PathBuf};

/// Where provider knowledge may live: the provider files; and the doc
/// lines of the error declaration, which become the README's error table
/// and say which provider sends a code. Nothing else.
const ALLOWED: &[(&str, Lines)] = &[
    ("src/core/providers/", Lines::All),
    ("src/core/error.rs", Lines::DocComments),
];

#[derive(PartialEq)]
enum Lines {
    All,
    DocComments,
}

/// Provider names (every preset but the generic one), matched in any casing.
fn names() -> Vec<&'static str> {
    PROVIDERS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| *name != "custom")
        .collect()
}

/// Provider-specific answer keys, exactly as spelled (RFC 6749's own
/// `expires_in` is not Billit's `Expires_In`). `errors` is an English word
/// too, so only its spellings as a key count: quoted, in backticks, or
/// indexed.
const KEYS: &[&str] = &[
    "company_id",
    "Expires_In",
    "valid_for",
    "\"errors\"",
    "`errors",
    "errors[",
];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn shared_core_names_no_provider_and_no_provider_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/core"), &mut files);
    let names = names();
    let mut found = Vec::new();
    let mut checked = 0;
    for path in files {
        let relative = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let allowed = ALLOWED
            .iter()
            .find(|(prefix, _)| relative.starts_with(prefix))
            .map(|(_, lines)| lines);
        if allowed == Some(&Lines::All) {
            continue;
        }
        checked += 1;
        let text = fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            if allowed == Some(&Lines::DocComments) && line.trim_start().starts_with("///") {
                continue;
            }
            let lower = line.to_ascii_lowercase();
            let hits = names
                .iter()
                .filter(|name| lower.contains(*name))
                .chain(KEYS.iter().filter(|key| line.contains(*key)));
            for hit in hits {
                found.push(format!("{relative}:{}: {hit}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(checked >= 20, "only {checked} files read: wrong directory?");
    assert!(
        found.is_empty(),
        "provider knowledge in shared code:\n{}",
        found.join("\n")
    );
}

// The check above must be able to fail: the provider files it skips are
// full of what it looks for.
#[test]
fn the_provider_files_hold_what_the_guard_looks_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut text = String::new();
    for name in names() {
        text += &fs::read_to_string(root.join(format!("src/core/providers/{name}.rs"))).unwrap();
    }
    for key in ["company_id", "Expires_In", "valid_for", "\"errors\""] {
        assert!(text.contains(key), "{key}");
    }
}

/// The shipped JS (`pkg-template/*.js`, comments included) names no provider
/// and no provider's answer key: a provider's behaviour reaches it as preset
/// data only (`oneTokenPerCompany`, `refreshTokenLifetime`, …). The
/// generated `.d.ts` unions list the names and are not read here.
#[test]
fn shipped_js_names_no_provider_and_no_provider_key() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let names = names();
    let mut found = Vec::new();
    let mut checked = 0;
    for entry in fs::read_dir(root.join("pkg-template")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "js") {
            continue;
        }
        checked += 1;
        let text = fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_ascii_lowercase();
            let hits = names
                .iter()
                .filter(|name| lower.contains(*name))
                .chain(KEYS.iter().filter(|key| line.contains(*key)));
            for hit in hits {
                found.push(format!(
                    "pkg-template/{file}:{}: {hit}: {}",
                    n + 1,
                    line.trim()
                ));
            }
        }
    }
    assert!(checked >= 10, "only {checked} files read: wrong directory?");
    assert!(
        found.is_empty(),
        "provider knowledge in shipped JS:\n{}",
        found.join("\n")
    );
}

// The JS guard must be able to fail: the sandbox's provider file (a provider
// file, like src/core/providers/) names the five providers it emulates.
#[test]
fn the_sandbox_provider_file_holds_what_the_js_guard_looks_for() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = fs::read_to_string(root.join("www/sandbox/providers.mjs"))
        .unwrap()
        .to_ascii_lowercase();
    let held = names()
        .into_iter()
        .filter(|name| text.contains(name))
        .count();
    assert!(held >= 5, "only {held} provider names in providers.mjs");
}
