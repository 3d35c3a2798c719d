//! Review 134 (helper cb50): `Error::with_provider` clears earlier provider
//! fields before `with_provider_bytes` forgets the `None`s it replaces, and a
//! refused callback's provider fields are its own. Net heap bytes are
//! counted by this binary's allocator: a forgotten `String` would stay.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::*;
use partner_oauth::{Client, Error, ErrorCode, StartOptions};
use serde_json::json;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;
// Per thread: the harness's own threads (output capture, the other test) do
// not count. Nothing allocated here is freed on another thread.
thread_local! {
    static NET: Cell<isize> = const { Cell::new(0) };
}
fn add(n: isize) {
    let _ = NET.try_with(|c| c.set(c.get() + n));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        add(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        add(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        add(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn net() -> isize {
    NET.with(Cell::get)
}

#[test]
fn review134_with_provider_twice_keeps_only_the_last_fields_and_frees_the_first() {
    let fields = |e: &Error| {
        (
            e.provider_code().map(str::to_owned),
            e.provider_message().map(str::to_owned),
        )
    };
    let e = Error::new(ErrorCode::AuthorizationError, "m")
        .with_provider(Some("first"), Some("first text"))
        .with_provider(Some("second"), None);
    assert_eq!(fields(&e), (Some("second".into()), None));
    let e = e.with_provider(None, Some("third"));
    assert_eq!(fields(&e), (None, Some("third".into())));
    let e = e.with_provider(None, None);
    assert_eq!(fields(&e), (None, None));
    drop(e);
    let before = net();
    for i in 0..10_000 {
        let e = Error::new(ErrorCode::AuthorizationError, "m")
            .with_provider(Some(&"c".repeat(i % 300)), Some(&"d".repeat(i % 400)))
            .with_provider(Some("x"), Some(&"y".repeat(i % 50)))
            .with_provider(Some(&"z".repeat(i % 200)), None);
        assert_eq!(e.provider_message(), None);
    }
    assert_eq!(net() - before, 0);
}

#[test]
fn review134_refused_callbacks_free_their_provider_fields() {
    let client: Client = client("billit", json!({"stateKey": KEY}));
    let s = client
        .start_authorization(&StartOptions::default(), NOW, &entropy())
        .unwrap();
    let pending = s.pending.expose().to_owned();
    let desc = "d".repeat(200);
    let urls = [
        format!(
            "{REDIRECT}?error=access_denied&error_description={desc}&state={}",
            s.state
        ),
        format!("{REDIRECT}?error=server_error&error_description={desc}"),
        format!(
            "{REDIRECT}?error={}&error_description={}&state={}",
            "e".repeat(300),
            "%C3%A9".repeat(300),
            s.state
        ),
        format!("{REDIRECT}?error=e&state=x"),
    ];
    // Once each first: anything made once and kept is not a leak.
    for url in &urls {
        let _ = client.parse_callback(url, &pending, NOW + 5);
    }
    let before = net();
    for i in 0..20_000 {
        let e = client
            .parse_callback(&urls[i % 4], &pending, NOW + 5)
            .unwrap_err();
        match i % 4 {
            0 => assert_eq!(
                (e.provider_code(), e.provider_message()),
                (Some("access_denied"), Some(desc.as_str()))
            ),
            1 => assert_eq!(
                (e.provider_code(), e.provider_message()),
                (Some("server_error"), Some(desc.as_str()))
            ),
            2 => {
                assert_eq!(e.provider_code().map(str::len), Some(256));
                assert_eq!(e.provider_message().map(|m| m.chars().count()), Some(256));
            }
            _ => assert_eq!((e.provider_code(), e.provider_message()), (None, None)),
        }
    }
    assert_eq!(net() - before, 0);
}
