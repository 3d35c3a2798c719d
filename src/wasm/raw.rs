//! Both builds' allocator (`Heap`), and the page build's exports (no
//! `server` feature): plain `extern "C"`
//! functions over linear memory, bound by hand-written glue (raw.js),
//! instead of wasm-bindgen's exports and glue (issue 26: fewer bytes). They
//! call the core as the full build's shims do (client.rs, helpers.rs); no
//! decision moves to JS. Randomness, the time and whether the page has a
//! DOM come from JS as arguments, so the module imports nothing.
//!
//! Each export is named by one letter (`#[export_name]`, which raw.js
//! calls): a name is bytes in both the module and the glue (page −63 B
//! gzip). The letters: a alloc, d dealloc, s slots, n client_new, f
//! client_free, p client_name, t start, c callback, v pkce_verifier, h
//! pkce_challenge.
//!
//! Each export answers `false` when done and `true` when it failed, and
//! leaves its answer in `SLOTS`, which the glue reads as a Float64Array at
//! `slots()`: the answer's bytes (address, length), the buffer holding them
//! (address, capacity: the glue frees it with `dealloc`), then numbers of
//! the export's own. A failure's bytes and numbers are its `OAuthError`'s
//! fields (`failed`).
//!
//! What the glue guarantees, which every `unsafe` below relies on:
//! - an input buffer comes from `alloc(capacity)`, the glue has written the
//!   bytes the export is told of (the random bytes, then the texts' lengths)
//!   from its start, and passes it to one export, which takes it over;
//! - a client handle is 0, or what `client_new` gave and `client_free` has
//!   not freed (the glue zeroes its handle as it frees it, and reads it
//!   after every call into code it does not own, which could free it; the
//!   module imports nothing, so no such code runs during an export);
//! - there is one instance: a second `init` keeps the first;
//! - an answer's buffer is freed once, with the address and capacity the
//!   slots gave, before the next call.
#![allow(unsafe_code)]
#![deny(clippy::undocumented_unsafe_blocks)]

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

#[cfg(not(feature = "server"))]
pub(crate) use page::checked_utf8;

/// Both builds' allocator: a free list per power-of-two size class, the
/// blocks carved from memory the module grows (talc was ~1.3 KB raw here).
/// A freed block serves the next request of its class, so a program that
/// makes and frees clients and flows in a loop reuses the same blocks
/// (tests/pkg/page.test.mjs makes 10,000); blocks are never split or joined.
/// Single-threaded (no `atomics`): plain cells.
///
/// An unwind (a RangeError at the JS stack's limit, thrown at any wasm
/// function's entry) never leaves it half-updated: `alloc` and `dealloc`
/// call only `class` before they change a list, and each list changes by
/// one load and one store (zeroing is `memory.fill`, not a call). At worst a
/// block being freed is lost. The full build's talc called its own
/// functions mid-update (`register_gap` in `allocate`): ~500 overflows deep
/// in an app's recursion left its lists pointing out of memory (review 110
/// F3's family, tests/pkg/unwind.test.mjs).
struct Heap {
    /// The first free block of each class (0: none); each free block holds
    /// the address of the next.
    free: [Cell<usize>; 32],
    /// Where the next block is carved, and the end of the memory grown.
    next: Cell<usize>,
    end: Cell<usize>,
}

// SAFETY: the module is single-threaded (built without `atomics`).
unsafe impl Sync for Heap {}

const PAGE: usize = 65_536;

#[global_allocator]
static HEAP: Heap = Heap {
    free: [const { Cell::new(0) }; 32],
    next: Cell::new(0),
    end: Cell::new(0),
};

/// A layout's class: log2 of its block size, a power of two at least 8,
/// its size and its alignment. Blocks are aligned to their size up to a
/// page, so a block of the class fits any alignment up to a page.
fn class(layout: Layout) -> Option<usize> {
    let size = layout
        .size()
        .max(layout.align())
        .max(8)
        .checked_next_power_of_two()?;
    (layout.align() <= PAGE).then_some(size.trailing_zeros() as usize)
}

// SAFETY: blocks come from memory the module grew and no one else uses; a
// block is handed out once until it is freed (the caller's contract), and
// each is as large and as aligned as its layout asks.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class(layout) else {
            return std::ptr::null_mut();
        };
        let Some(head) = self.free.get(class) else {
            return std::ptr::null_mut();
        };
        let block = head.get();
        if block != 0 {
            // SAFETY: a free block of this class holds the next's address.
            head.set(unsafe { *(block as *const usize) });
            return block as *mut u8;
        }
        let size = 1usize << class;
        let align = size.min(PAGE);
        let start = (self.next.get() + align - 1) & !(align - 1);
        let Some(stop) = start.checked_add(size) else {
            return std::ptr::null_mut();
        };
        if stop > self.end.get() {
            // From the end of ours, `start` is at most that end: `size` more
            // is enough (a block of a page or more is page-aligned).
            let pages = size.div_ceil(PAGE);
            let grown = core::arch::wasm32::memory_grow(0, pages);
            if grown == usize::MAX {
                return std::ptr::null_mut();
            }
            let base = grown * PAGE;
            if base != self.end.get() {
                // New memory not after ours (the first growth): start there.
                self.next.set(base);
            }
            self.end.set(base + pages * PAGE);
            // SAFETY: as above, with memory now grown enough.
            return unsafe { self.alloc(layout) };
        }
        self.next.set(stop);
        start as *mut u8
    }

    // Out of line: inlined, its zeroing and list push were copied into each
    // drop of a box or `Vec`.
    #[inline(never)]
    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        if let Some((class, head)) =
            class(layout).and_then(|class| Some((class, self.free.get(class)?)))
        {
            // SAFETY: a block of this class, no longer used (the caller's
            // contract), `1 << class` bytes long: zeroed (a freed block keeps
            // no key, code or verifier), then it holds the next free block's
            // address.
            unsafe {
                std::ptr::write_bytes(block, 0, 1 << class);
                *(block as *mut usize) = head.get();
            }
            head.set(block as usize);
        }
    }
}

/// The page build's exports (the full build's are wasm-bindgen's).
#[cfg(not(feature = "server"))]
mod page {
    use crate::core::callback::{callback_buffers, CallbackParts};
    use crate::core::client::Client;
    use crate::core::error::{Error, ErrorCode, Result};
    use crate::core::messages::Message;
    use crate::core::pkce;
    use crate::core::random::{self, Entropy};
    use crate::core::text::{is_utf8, utf8};
    use crate::wasm::record;
    use std::cell::Cell;
    use std::mem::ManuallyDrop;

    const SLOT_COUNT: usize = 12;

    thread_local! {
        // Single-threaded (no `atomics`): a plain static, at a fixed address.
        static SLOTS: Cell<[f64; SLOT_COUNT]> = const { Cell::new([0.0; SLOT_COUNT]) };
    }

    /// The address of the answers' slots.
    #[export_name = "s"]
    extern "C" fn slots() -> *const f64 {
        SLOTS.with(|slots| slots.as_ptr().cast())
    }

    /// An input buffer of `capacity` bytes for the glue to fill.
    #[export_name = "a"]
    extern "C" fn alloc(capacity: usize) -> *mut u8 {
        ManuallyDrop::new(Vec::<u8>::with_capacity(capacity)).as_mut_ptr()
    }

    /// Frees an answer's buffer (capacity 0: bytes the module does not own).
    #[export_name = "d"]
    unsafe extern "C" fn dealloc(buffer: *mut u8, capacity: usize) {
        if capacity > 0 {
            // SAFETY: an answer's buffer, a `Vec` left by `leave` with this
            // capacity, freed once (the glue's guarantee).
            drop(unsafe { Vec::from_raw_parts(buffer, 0, capacity) });
        }
    }

    /// Takes over an input buffer of which the glue wrote `used` bytes.
    ///
    /// # Safety
    /// `buffer` and `capacity` are an `alloc`'s, passed to this export only.
    unsafe fn take(buffer: *mut u8, capacity: usize, used: usize) -> Vec<u8> {
        // SAFETY: allocated by `alloc` (a `Vec<u8>` of this capacity), its first
        // `used` bytes written, and owned by no one else (the caller's contract).
        unsafe { Vec::from_raw_parts(buffer, used.min(capacity), capacity) }
    }

    /// A text's byte length as the glue passes it: negative for a value that was
    /// not a string (-1) or a text the glue did not copy, over its 16 Mi-unit
    /// bound (-2).
    fn used(length: i32) -> usize {
        usize::try_from(length).unwrap_or(0)
    }

    /// The length the glue passes for a text it did not copy (raw.js' TEXT_MAX).
    const TOO_LONG: i32 = -2;

    /// The texts the glue wrote one after another.
    struct Texts<'a>(&'a [u8]);

    impl<'a> Texts<'a> {
        /// The next text, `length` bytes of UTF-8 (TextEncoder's: always valid).
        /// A value that was not a string is refused as convert.rs' `string_arg`
        /// refuses it in the full build, `what` naming it (one message for all
        /// five: ~90 bytes less page wasm than five whole ones).
        fn next(&mut self, length: i32, what: &str) -> Result<&'a str> {
            if length == TOO_LONG {
                return Err(Message::PageTextTooLong.error());
            }
            let text = usize::try_from(length)
                .ok()
                .and_then(|length| self.0.split_at_checked(length))
                .and_then(|(text, rest)| {
                    self.0 = rest;
                    utf8(text)
                });
            text.ok_or_else(|| Message::NotAString.with(&[what]))
        }
    }

    /// `bytes` as text when they are UTF-8 (`text::utf8` in this build): the
    /// check is [`is_utf8`], ~0.4 KB of wasm less than std's validator.
    pub(crate) fn checked_utf8(bytes: &[u8]) -> Option<&str> {
        // SAFETY: `is_utf8` returned true: the bytes are UTF-8. Review 119
        // compared it with `str::from_utf8` over every sequence of up to four
        // bytes (all 2^32 of four); its unit test keeps every one of up to
        // three and four-byte ones with every lead and second byte.
        is_utf8(bytes).then(|| unsafe { std::str::from_utf8_unchecked(bytes) })
    }

    /// A call on a freed client (the glue passes handle 0).
    fn freed() -> Error {
        Message::ClientFreed.error()
    }

    /// Milliseconds since the epoch (`Date.now()`), as seconds.
    fn seconds(now: f64) -> u64 {
        (now / 1000.0) as u64
    }

    /// Seconds as milliseconds (f64 holds them exactly). Capped before the
    /// multiplication rather than `saturating_mul` (a 128-bit multiply call):
    /// the cap, 18446744073709551000, and `u64::MAX` both round to 2^64 as f64.
    fn milliseconds(seconds: u64) -> f64 {
        (seconds.min(u64::MAX / 1000) * 1000) as f64
    }

    /// Sets the slots: the answer's bytes (address, length), the buffer to
    /// free (address, capacity), then `numbers` (eight at most: a failure's).
    /// Copied as two runs: a loop over a chain of the two was 24 B more.
    fn set_slots(head: [usize; 4], numbers: &[f64]) {
        let mut slots = [0.0; SLOT_COUNT];
        let (first, rest) = slots.split_at_mut(head.len());
        first.copy_from_slice(&head.map(|n| n as f64));
        if let Some(rest) = rest.get_mut(..numbers.len()) {
            rest.copy_from_slice(numbers);
        }
        SLOTS.with(|cell| cell.set(slots));
    }

    /// Leaves `length` bytes of `buffer` from `at` as the answer, and `numbers`;
    /// the glue frees `buffer`. Returns `false`: done.
    fn leave(buffer: Vec<u8>, at: usize, length: usize, numbers: &[f64]) -> bool {
        let buffer = ManuallyDrop::new(buffer);
        let address = buffer.as_ptr() as usize;
        set_slots([address + at, length, address, buffer.capacity()], numbers);
        false
    }

    /// All of `bytes` as the answer.
    fn answer(bytes: Vec<u8>, numbers: &[f64]) -> bool {
        let length = bytes.len();
        leave(bytes, 0, length, numbers)
    }

    /// Text the module keeps (a name) as the answer: nothing to free, and read
    /// by the glue before anything else runs.
    fn answer_text(text: &str) -> bool {
        set_slots([text.as_ptr() as usize, text.len(), 0, 0], &[]);
        false
    }

    /// The error as raw.js makes it into an `OAuthError`: the bytes are its
    /// message's parts one after another (on the message's own buffer), then
    /// the provider's code and message; the numbers the code's index in
    /// `ErrorCode::ALL` (raw.js names it from error-codes.js' `PAGE_CODES`),
    /// the message's id (raw.js fills its template from `PAGE_MESSAGES`, and
    /// adds the provider's code and message as `Error::detail` does: the
    /// names and the prose stay out of the wasm), the provider fields' lengths
    /// (-1: no such field; an empty one is still there), then the four parts'
    /// (0 past the last). No HTTP status or body excerpt: this build's `Error`
    /// has neither field; no `refreshAndRetry`: no code this build raises asks
    /// for one (below). Returns `true`: failed.
    fn failed(error: Error) -> bool {
        let (code, id, lengths) = (error.code_index(), error.id(), error.part_lengths());
        let (parts, error) = error.into_detail();
        let mut bytes = parts.into_bytes();
        let mut push = |field: Option<&str>| match field {
            Some(field) => {
                bytes.extend_from_slice(field.as_bytes());
                field.len() as f64
            }
            None => -1.0,
        };
        // The provider's code, then its message: the order raw.js reads them.
        let (provider_code, provider_message) =
            (push(error.provider_code()), push(error.provider_message()));
        let numbers = [
            f64::from(code),
            f64::from(id),
            provider_code,
            provider_message,
            f64::from(lengths[0]),
            f64::from(lengths[1]),
            f64::from(lengths[2]),
            f64::from(lengths[3]),
        ];
        answer(bytes, &numbers);
        true
    }

    // This build's errors are its messages' (messages.rs asserts each code
    // `in_page` while compiling): none of them asks for a refresh.
    // Evaluated while compiling: an index out of range fails the build.
    #[allow(clippy::indexing_slicing)]
    const _: () = {
        let mut at = 0;
        while at < ErrorCode::ALL.len() {
            assert!(!(ErrorCode::ALL[at].in_page() && ErrorCode::ALL[at].refresh_and_retry()));
            at += 1;
        }
    };

    /// An export's outcome as its answer.
    fn done(outcome: Result<bool>) -> bool {
        outcome.unwrap_or_else(failed)
    }

    /// `new OAuthClient(options)`: `record` is what options.js' `clientOptions`
    /// wrote; `has_document` 1 in a page with a DOM. Answers the handle.
    #[export_name = "n"]
    unsafe extern "C" fn client_new(
        buffer: *mut u8,
        capacity: usize,
        record: i32,
        has_document: u32,
    ) -> bool {
        // SAFETY: this export's input buffer (the glue's guarantee).
        let input = unsafe { take(buffer, capacity, used(record)) };
        done((|| {
            let mut options =
                record::read_client(Texts(&input).next(record, "the client options")?);
            // Both checks as one `Result`: one exit, one drop of the options
            // (two `?` were two drops, +20 B gzip).
            let client = options
                .check_secret_placement(has_document != 0)
                .and_then(|()| Client::from_input(&mut options))?;
            // No bytes and no buffer to free (capacity 0): the handle alone.
            set_slots([0; 4], &[Box::into_raw(client) as usize as f64]);
            Ok(false)
        })())
    }

    /// `free()`, or the FinalizationRegistry's cleanup; 0 is a no-op.
    #[export_name = "f"]
    unsafe extern "C" fn client_free(client: *mut Client) {
        if !client.is_null() {
            // SAFETY: `client_new`'s handle, not freed yet (the glue zeroes its
            // handle as it frees it).
            drop(unsafe { Box::from_raw(client) });
        }
    }

    /// The client behind a handle; 0 (freed) is `invalid_argument`.
    ///
    /// # Safety
    /// `client` is 0 or a live handle of `client_new`.
    unsafe fn client<'a>(client: *const Client) -> Result<&'a Client> {
        // SAFETY: 0 or a live handle (the caller's contract), which stays live
        // through the call (nothing frees a client during one).
        unsafe { client.as_ref() }.ok_or_else(freed)
    }

    /// The `provider` getter (`environment` 0) and the `environment` getter
    /// (1): one export for both.
    #[export_name = "p"]
    unsafe extern "C" fn client_name(handle: *const Client, environment: u32) -> bool {
        // SAFETY: a handle from the glue.
        done(unsafe { client(handle) }.map(|client| {
            answer_text(match environment {
                0 => client.preset().name,
                _ => client.environment(),
            })
        }))
    }

    /// `startAuthorization(options)`: `random` bytes from crypto.getRandomValues
    /// (48, or 0 when the platform had none), then the record options.js'
    /// `startOptions` wrote. Answers `{ url, state, pending, flowId }` as one
    /// text and the lengths of its first three parts, then `flowExpiresAt` (ms).
    #[export_name = "t"]
    unsafe extern "C" fn start(
        handle: *const Client,
        buffer: *mut u8,
        capacity: usize,
        random: usize,
        record: i32,
        now: f64,
    ) -> bool {
        // SAFETY: a handle and this export's input buffer from the glue.
        let (client, mut input) = unsafe {
            (
                client(handle),
                take(buffer, capacity, random + used(record)),
            )
        };
        done((|| {
            let client = client?;
            let (random, rest) = input
                .split_at_mut_checked(random)
                .ok_or_else(random::unavailable)?;
            let entropy = Entropy::from_bytes(random);
            // The verifier's and nonce's bytes do not outlive the call here.
            random.fill(0);
            let entropy = entropy?;
            let options = record::read_start(Texts(rest).next(record, "the start options")?);
            let mut out = Vec::with_capacity(1024);
            let parts = client.write_start(&options, seconds(now), &entropy, &mut out)?;
            Ok(answer(
                out,
                &[
                    parts.url as f64,
                    parts.state as f64,
                    parts.pending as f64,
                    milliseconds(parts.flow_expires_at),
                ],
            ))
        })())
    }

    /// `parseCallback(url, pending)`: the two texts (a negative length: not a
    /// string; the glue passes a null pending value as ""). Answers the
    /// result's parts one after another as results.js' `callback` reads them:
    /// the lengths of code, state, payload and iss (-1: null), `flowExpiresAt`
    /// (ms), then 1 when the payload is verified.
    #[export_name = "c"]
    unsafe extern "C" fn callback(
        handle: *const Client,
        buffer: *mut u8,
        capacity: usize,
        url: i32,
        pending: i32,
        now: f64,
    ) -> bool {
        // SAFETY: a handle and this export's input buffer from the glue.
        let (client, input) = unsafe {
            (
                client(handle),
                take(buffer, capacity, used(url) + used(pending)),
            )
        };
        done((|| {
            let client = client?;
            let mut texts = Texts(&input);
            let url = texts.next(url, "the callback URL")?;
            let pending = texts.next(pending, "the pending value")?;
            // One buffer for the decoded query and the result.
            let (bytes, names) = callback_buffers(url, pending);
            let (mut bytes, mut names) = (vec![0; bytes], vec![0; names]);
            let base = bytes.as_ptr() as usize;
            let mut parts = CallbackParts::default();
            let result = client.check_callback(
                url,
                pending,
                seconds(now),
                &mut bytes,
                &mut names,
                &mut parts,
            )?;
            let (at, length) = ((result.as_ptr() as usize).wrapping_sub(base), result.len());
            let or_null = |part: Option<usize>| part.map_or(-1.0, |n| n as f64);
            Ok(leave(
                bytes,
                at,
                length,
                &[
                    parts.code as f64,
                    parts.state as f64,
                    or_null(parts.payload),
                    or_null(parts.iss),
                    milliseconds(parts.flow_expires_at),
                    f64::from(u8::from(parts.payload_verified)),
                ],
            ))
        })())
    }

    /// `newPkceVerifier()`: `random` bytes from crypto.getRandomValues (32, or 0
    /// when the platform had none).
    #[export_name = "v"]
    unsafe extern "C" fn pkce_verifier(buffer: *mut u8, capacity: usize, random: usize) -> bool {
        // SAFETY: this export's input buffer (the glue's guarantee).
        let mut input = unsafe { take(buffer, capacity, random) };
        // The random bytes are encoded over (a freed block is zeroed).
        let verifier = pkce::verifier_in_place(&mut input);
        done(verifier.map(|()| answer(input, &[])))
    }

    /// `pkceChallenge(verifier)` (a negative length: not a string).
    #[export_name = "h"]
    unsafe extern "C" fn pkce_challenge(buffer: *mut u8, capacity: usize, verifier: i32) -> bool {
        // SAFETY: this export's input buffer (the glue's guarantee).
        let input = unsafe { take(buffer, capacity, used(verifier)) };
        let mut out = Vec::new();
        done(
            Texts(&input)
                .next(verifier, "the PKCE verifier")
                .and_then(|verifier| pkce::push_challenge(verifier, &mut out))
                .map(|()| answer(out, &[])),
        )
    }
}
