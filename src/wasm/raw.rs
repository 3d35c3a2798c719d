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

#[cfg(not(feature = "server"))]
use std::alloc::GlobalAlloc;
use std::alloc::Layout;
use std::cell::Cell;

#[cfg(not(feature = "server"))]
pub(crate) use page::{boxed, checked_utf8, filled, owned, put, put_str, put_within};

/// Both builds' allocator: a free list per power-of-two size class, the
/// blocks carved from memory the module grows (talc was ~1.3 KB raw here).
/// A freed block serves the next request of its class, so a program that
/// makes and frees clients and flows in a loop reuses the same blocks
/// (tests/pkg/page.test.mjs makes 10,000). The page build never splits or
/// joins blocks (its memory is a page's few flows); the full build's is a
/// buddy allocator (`buddy`): a freed block joins its free buddy, and a
/// request splits a larger free block, so memory freed in one class serves
/// the others (review 123 F1).
/// Single-threaded (no `atomics`): plain cells.
///
/// An unwind (a RangeError at the JS stack's limit, thrown at any wasm
/// function's entry) never leaves it half-updated: `alloc` and `dealloc`
/// call only `class` before they change a list (the rest is inlined, and
/// zeroing is `memory.fill`, not a call), and each list changes by stores
/// that each leave it valid. At worst a block being freed, split or joined
/// is lost. The full build's talc called its own functions mid-update
/// (`register_gap` in `allocate`): ~500 overflows deep in an app's
/// recursion left its lists pointing out of memory (review 110 F3's
/// family, tests/pkg/unwind.test.mjs).
struct Heap {
    /// The first free block of each class (0: none); each free block holds
    /// the address of the next.
    free: [Cell<usize>; 32],
    /// Where the next block is carved, and the end of the memory grown.
    #[cfg(not(feature = "server"))]
    next: Cell<usize>,
    #[cfg(not(feature = "server"))]
    end: Cell<usize>,
}

// SAFETY: the module is single-threaded (built without `atomics`).
unsafe impl Sync for Heap {}

/// How far below the stack's top `wipe_stack` zeroes: a start's frames
/// reach ~500 bytes below the stack's top (review 127 B's residue), the
/// deepest call measured ~17 KiB; 64 KiB is ~2 µs of `memory.fill`.
#[cfg(target_arch = "wasm32")]
const DEAD_STACK: usize = 65_536;

/// Zeroes from `DEAD_STACK` below `deepest` (the lowest pointer an export
/// started from since the last wipe: the top, unless calls nested) up to
/// the stack's top itself (review 137 A): the dead frames of earlier calls, where a start left its verifier (review
/// 127 B) and the HMAC its key's pads (review 130 A). The page's `f` calls
/// it last; the full build's glue, through `w`, once no export runs after
/// a client's `release`. Zeroing below a mark in the wiper's own frame
/// left what lay above it, which depended on the frames' layout (review
/// 136).
///
/// # Safety
/// No export but the caller runs, and the caller reads nothing from its
/// frame afterwards: in wasm a frame holds only address-taken locals (the
/// return address and the saved stack pointer are wasm locals), so every
/// byte zeroed is then dead.
#[cfg(target_arch = "wasm32")]
#[inline(always)]
unsafe fn wipe_stack(deepest: usize) {
    extern "C" {
        // The stack region's bounds (wasm-ld defines them).
        static __stack_low: u8;
        static __stack_high: u8;
    }
    let high = core::ptr::addr_of!(__stack_high) as usize;
    let low = core::ptr::addr_of!(__stack_low) as usize;
    let from = deepest.min(high).saturating_sub(DEAD_STACK).max(low);
    // SAFETY: [from, high) is in the stack region, and all of it dead (the
    // caller's contract).
    unsafe { core::ptr::write_bytes(from as *mut u8, 0, high.saturating_sub(from)) }
}

/// The full build's `w`: `wipe_stack`, which src/wasm/unwind.js calls once
/// the outermost export returns after a client's `release` ran in it
/// (review 136): `release` itself may run under live frames (app code
/// freeing a client during a call), which a wipe there must not reach.
///
/// # Safety
/// Called while no export runs (unwind.js counts them).
#[cfg(all(target_arch = "wasm32", feature = "server"))]
#[export_name = "w"]
unsafe extern "C" fn wipe_export(deepest: usize) {
    // SAFETY: no export runs (the caller's contract), so this is the only
    // frame, and it holds nothing.
    unsafe { wipe_stack(deepest) }
}

const PAGE: usize = 65_536;

#[global_allocator]
static HEAP: Heap = Heap {
    free: [const { Cell::new(0) }; 32],
    #[cfg(not(feature = "server"))]
    next: Cell::new(0),
    #[cfg(not(feature = "server"))]
    end: Cell::new(0),
};

/// A layout's class: log2 of its block size, a power of two at least 8,
/// its size and its alignment. Blocks are aligned to their size up to a
/// page (the full build's: to their size), so a block of the class fits
/// any alignment up to a page. Refused (aligned above a page): 32, no
/// list's (a plain number: an `Option` came back through memory).
/// Out of line: `alloc` and `dealloc` call it before any change, so an
/// overflow at the JS stack's limit falls there. Inlined, V8's checks
/// further in (`memory.fill`, loops) unwound 2 of review 125's 5 lost frees
/// after their zeroing (tests/pkg/review125: their bytes are kept).
#[inline(never)]
fn class(layout: Layout) -> usize {
    let size = layout.size().max(layout.align()).max(8);
    if layout.align() > PAGE {
        return 32;
    }
    (usize::BITS - (size - 1).leading_zeros()) as usize
}

// SAFETY: blocks come from memory the module grew and no one else uses; a
// block is handed out once until it is freed (the caller's contract), and
// each is as large and as aligned as its layout asks.
#[cfg(not(feature = "server"))]
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let class = class(layout);
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
        let class = class(layout);
        if let Some(head) = self.free.get(class) {
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

/// The full build's `Heap`: a buddy allocator over the same classes. Every
/// block of class `k` is aligned to `1 << k` (absolute addresses), so its
/// buddy, the other half of the block of class `k + 1` holding it, is at
/// `address ^ (1 << k)`. A block is free when it is in its class's list:
/// `dealloc` looks for the buddy in the list's first links (no tag inside
/// blocks, whose bytes a caller controls) and joins it unless it is alone
/// there, and `alloc` splits the smallest free block at least as large. Grown memory enters the lists as freed
/// blocks.
#[cfg(feature = "server")]
mod buddy {
    use super::{class, Heap, PAGE};
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::Cell;

    impl Heap {
        /// The link (the head, or a free block's first word) holding
        /// `buddy` if it is among the first eight free blocks of its list.
        /// Eight at most: a free costs a bounded walk (a whole list's made
        /// the full build's start ~10 % slower), and a buddy further down
        /// stays apart, each half serving its class.
        #[inline(always)]
        fn link_to(head: &Cell<usize>, buddy: usize) -> Option<*mut usize> {
            let mut link = head.as_ptr();
            for _ in 0..9 {
                // SAFETY: `link` is the head or a free block of this class,
                // whose first word is the next free block's address (or 0).
                let next = unsafe { *link };
                if next == 0 {
                    break;
                }
                if next == buddy {
                    return Some(link);
                }
                link = next as *mut usize;
            }
            None
        }

        /// Puts the free block at `block` of class `class` in the lists,
        /// joined with its buddy while that is free. Each step leaves every
        /// list valid: unlinking the buddy is one store (an unwind there
        /// loses the two halves, nothing else), the push two.
        ///
        /// # Safety
        /// `block` is `1 << class` bytes, aligned to them, ours and unused.
        #[inline(always)]
        unsafe fn push(&self, mut block: usize, mut class: usize) {
            while let Some(head) = self.free.get(class) {
                let buddy = block ^ (1 << class);
                let link = Self::link_to(head, buddy);
                // The buddy alone in its list stays there: a request of this
                // class would split it again (a start's buffers were split
                // from a page and joined back each time: start ~15 % slower).
                // SAFETY: a link found holds `buddy`, a free block.
                let alone = link == Some(head.as_ptr()) && unsafe { *(buddy as *const usize) } == 0;
                let Some(link) = link.filter(|_| !alone && class < 31) else {
                    // SAFETY: `block` is ours and unused (the caller's
                    // contract): its first word links it in.
                    unsafe { *(block as *mut usize) = head.get() };
                    head.set(block);
                    return;
                };
                // SAFETY: `buddy` is a free block of this class (found in
                // its list); `link` points at it.
                unsafe { *link = *(buddy as *const usize) };
                block &= !(1 << class);
                class += 1;
            }
        }

        /// Frees the upper halves of the block at `block` of class `from`
        /// down to class `to`, which it keeps (no join: each half's buddy
        /// holds the block). Each push leaves the lists valid.
        ///
        /// # Safety
        /// `block` is `1 << from` bytes, aligned to them, ours, and unused
        /// past `1 << to`.
        #[inline(always)]
        unsafe fn split(&self, block: usize, mut from: usize, to: usize) {
            while from > to {
                from -= 1;
                if let Some(head) = self.free.get(from) {
                    let half = block + (1 << from);
                    // SAFETY: an upper half: ours and unused.
                    unsafe { *(half as *mut usize) = head.get() };
                    head.set(half);
                }
            }
        }

        /// Gives the lists pages `from..to` as freed blocks: the largest
        /// aligned block that fits, then the next.
        ///
        /// # Safety
        /// The pages are newly grown: ours, unused.
        #[inline(always)]
        unsafe fn add(&self, mut from: usize, to: usize) {
            while from < to {
                // Log2 of the largest power of two dividing `from` (a page
                // index, not 0: the module's data is there) that fits
                // before `to`.
                let mut log = from.trailing_zeros().min(16);
                while from + (1 << log) > to {
                    log -= 1;
                }
                // SAFETY: pages `from..from + (1 << log)` are ours and unused,
                // and their start is aligned to their size.
                unsafe { self.push(from * PAGE, 16 + log as usize) };
                from += 1 << log;
            }
        }
    }

    // SAFETY: blocks come from memory the module grew and no one else uses;
    // a block is handed out once until it is freed (the caller's contract),
    // and each is as large as its class and aligned to it.
    unsafe impl GlobalAlloc for Heap {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let class = class(layout);
            if class > 31 {
                return std::ptr::null_mut();
            }
            loop {
                // The smallest free block at least as large.
                let mut from = class;
                while let Some(head) = self.free.get(from) {
                    let block = head.get();
                    if block != 0 {
                        // SAFETY: a free block holds the next's address;
                        // taken, it is ours and unused.
                        unsafe {
                            head.set(*(block as *const usize));
                            self.split(block, from, class);
                        }
                        return block as *mut u8;
                    }
                    from += 1;
                }
                // None: grow the memory by enough pages to hold a block of the
                // class aligned to its size, and give them all to the lists.
                let size = 1usize << class;
                let have = core::arch::wasm32::memory_size(0);
                let align = size.div_ceil(PAGE);
                let Some(want) = have
                    .checked_next_multiple_of(align)
                    .and_then(|start| start.checked_add(align))
                else {
                    return std::ptr::null_mut();
                };
                let grown = core::arch::wasm32::memory_grow(0, want - have);
                if grown == usize::MAX {
                    return std::ptr::null_mut();
                }
                // SAFETY: the pages just grown.
                unsafe { self.add(grown, grown + want - have) };
            }
        }

        // Out of line: inlined, its zeroing and joining were copied into each
        // drop of a box or `Vec`.
        #[inline(never)]
        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            let class = class(layout);
            if class < 32 {
                // SAFETY: a block of this class, no longer used (the caller's
                // contract), `1 << class` bytes long and aligned to them:
                // zeroed (a freed block keeps no key, code or verifier; a
                // joined one only the list's addresses), then freed.
                unsafe {
                    std::ptr::write_bytes(block, 0, 1 << class);
                    self.push(block as usize, class);
                }
            }
        }
    }
}

/// The full build's `Heap` (`wasm-pack test --node`), on heaps of their own:
/// each grows pages no other heap uses.
#[cfg(all(test, feature = "server"))]
mod tests {
    use super::{Heap, PAGE};
    use core::arch::wasm32::memory_size;
    use std::alloc::{GlobalAlloc, Layout};
    use std::cell::Cell;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn heap() -> Heap {
        Heap {
            free: [const { Cell::new(0) }; 32],
        }
    }

    impl Heap {
        fn take(&self, layout: Layout) -> usize {
            // SAFETY: the tests' layouts are not empty.
            unsafe { self.alloc(layout) as usize }
        }

        fn give(&self, block: usize, layout: Layout) {
            // SAFETY: the tests free each block they took once, with its layout.
            unsafe { self.dealloc(block as *mut u8, layout) }
        }

        fn resize(&self, block: usize, layout: Layout, size: usize) -> usize {
            // SAFETY: a block taken with `layout`, not freed; `size` not 0.
            unsafe { self.realloc(block as *mut u8, layout, size) as usize }
        }

        /// The free blocks of a class.
        fn listed(&self, class: usize, blocks: &mut Vec<usize>) {
            blocks.clear();
            let mut block = self.free[class].get();
            while block != 0 {
                blocks.push(block);
                // SAFETY: a free block holds the next's address.
                block = unsafe { *(block as *const usize) };
            }
        }
    }

    /// xorshift32: the same sequence each run.
    fn random(seed: &mut u32) -> u32 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 17;
        *seed ^= *seed << 5;
        *seed
    }

    // Random requests (1 B to 128 KiB, aligned 1 B to a page) and frees: every
    // block is aligned, inside memory, overlaps no live block, and comes back
    // zeroed of what it held; then, all freed, every page is free, once.
    #[wasm_bindgen_test]
    fn blocks_are_aligned_apart_and_reused() {
        // Allocated first: the pages grown below are the heap's.
        let mut live: Vec<(usize, Layout)> = Vec::with_capacity(400);
        let mut blocks = Vec::with_capacity(4096);
        let mut free: Vec<(usize, usize)> = Vec::with_capacity(4096);
        let pages = memory_size(0);
        let heap = heap();
        for seed in [1u32, 7, 2026] {
            let mut seed = seed;
            for step in 0..6000 {
                if live.len() < 300 && random(&mut seed) % 3 != 0 || live.is_empty() {
                    let size = match random(&mut seed) % 8 {
                        0 => random(&mut seed) as usize % (128 << 10) + 1,
                        1..=3 => random(&mut seed) as usize % 4096 + 1,
                        _ => random(&mut seed) as usize % 200 + 1,
                    };
                    let align = 1 << (random(&mut seed) % 17);
                    let layout = Layout::from_size_align(size, align).unwrap();
                    let block = heap.take(layout);
                    assert_ne!(block, 0);
                    assert_eq!(block % align, 0, "step {step}");
                    assert!(block + size <= memory_size(0) * PAGE);
                    for &(other, was) in &live {
                        assert!(
                            block + size <= other || other + was.size() <= block,
                            "step {step}: overlap"
                        );
                    }
                    // SAFETY: the block just taken: `size` bytes, ours.
                    let bytes = unsafe { std::slice::from_raw_parts_mut(block as *mut u8, size) };
                    // No word of what a freed block held (a joined block
                    // keeps the list's addresses, below 0xA5A5A5A5).
                    let words = bytes.chunks_exact(4).filter(|_| block % 4 == 0);
                    assert!(
                        words.into_iter().all(|w| w != [0xA5; 4]),
                        "step {step}: a freed block's bytes"
                    );
                    bytes.fill(0xA5);
                    live.push((block, layout));
                } else {
                    let (block, layout) = live.swap_remove(random(&mut seed) as usize % live.len());
                    heap.give(block, layout);
                }
            }
            for (block, layout) in live.drain(..) {
                heap.give(block, layout);
            }
        }
        // All freed: every page the heap grew is in its lists, once.
        all_listed(&heap, pages, &mut blocks, &mut free);
    }

    /// Every page grown since `pages` is in the lists once: the free blocks
    /// apart, adding up to those pages. `blocks` and `free` are the caller's,
    /// allocated before `pages` was read (growing here would count).
    fn all_listed(
        heap: &Heap,
        pages: usize,
        blocks: &mut Vec<usize>,
        free: &mut Vec<(usize, usize)>,
    ) {
        for class in 0..32 {
            heap.listed(class, blocks);
            free.extend(blocks.iter().map(|&block| (block, 1usize << class)));
        }
        free.sort_unstable();
        for pair in free.windows(2) {
            assert!(pair[0].0 + pair[0].1 <= pair[1].0, "free blocks overlap");
        }
        let total: usize = free.iter().map(|&(_, size)| size).sum();
        assert_eq!(total, (memory_size(0) - pages) * PAGE);
    }

    /// The `len` bytes at `at`.
    fn bytes<'a>(at: usize, len: usize) -> &'a mut [u8] {
        // SAFETY: the tests read and write blocks they hold, or memory the
        // heap grew.
        unsafe { std::slice::from_raw_parts_mut(at as *mut u8, len) }
    }

    // Random requests, frees and reallocs up and down (1 B to 128 KiB,
    // aligned 1 B to a page; realloc is std's: a new block, the bytes
    // copied, the old one freed): every block aligned, inside memory and
    // apart from the live ones; a realloc keeps the bytes it keeps and
    // brings no freed byte. All freed, every page is free, once.
    #[wasm_bindgen_test]
    fn realloc_keeps_bytes_and_blocks_apart() {
        let mut live: Vec<(usize, Layout)> = Vec::with_capacity(400);
        let mut blocks = Vec::with_capacity(4096);
        let mut free: Vec<(usize, usize)> = Vec::with_capacity(4096);
        let pages = memory_size(0);
        let heap = heap();
        let mut seed = 26u32;
        let size = |seed: &mut u32| match random(seed) % 8 {
            0 => random(seed) as usize % (128 << 10) + 1,
            1..=3 => random(seed) as usize % 4096 + 1,
            _ => random(seed) as usize % 200 + 1,
        };
        for step in 0..12000 {
            let op = random(&mut seed) % 3;
            let (block, layout, kept) = if live.is_empty() || live.len() < 300 && op == 0 {
                let align = 1 << (random(&mut seed) % 17);
                let layout = Layout::from_size_align(size(&mut seed), align).unwrap();
                (heap.take(layout), layout, 0)
            } else if op == 1 {
                let (block, layout) = live.swap_remove(random(&mut seed) as usize % live.len());
                assert!(bytes(block, layout.size()).iter().all(|&b| b == 0xA5));
                heap.give(block, layout);
                continue;
            } else {
                let (block, layout) = live.swap_remove(random(&mut seed) as usize % live.len());
                let new = Layout::from_size_align(size(&mut seed), layout.align()).unwrap();
                let got = heap.resize(block, layout, new.size());
                (got, new, layout.size().min(new.size()))
            };
            let size = layout.size();
            assert_ne!(block, 0);
            assert_eq!(block % layout.align(), 0, "step {step}");
            assert!(block + size <= memory_size(0) * PAGE);
            for &(other, was) in &live {
                assert!(
                    block + size <= other || other + was.size() <= block,
                    "step {step}: overlap"
                );
            }
            let held = bytes(block, size);
            assert!(
                held[..kept].iter().all(|&b| b == 0xA5),
                "step {step}: bytes lost"
            );
            // No word of a freed block or of a shrink's tail (the rest: zero
            // or a list link, below 0xA5A5A5A5).
            let words = held[kept..]
                .chunks_exact(4)
                .filter(|_| (block + kept) % 4 == 0);
            assert!(
                words.into_iter().all(|w| w != [0xA5; 4]),
                "step {step}: stale bytes"
            );
            held.fill(0xA5);
            live.push((block, layout));
        }
        for (block, layout) in live.drain(..) {
            heap.give(block, layout);
        }
        all_listed(&heap, pages, &mut blocks, &mut free);
    }

    // Memory freed in one class serves the others: small blocks filling
    // pages, freed, serve a block of 4 pages, and so on. The first round may
    // grow (a buddy left alone in its list stays apart), the next ones not.
    #[wasm_bindgen_test]
    fn freed_memory_serves_other_classes() {
        let heap = heap();
        let small = Layout::from_size_align(1000, 8).unwrap();
        let large = Layout::from_size_align(4 * PAGE, 8).unwrap();
        heap.give(heap.take(large), large);
        let mut pages = Vec::new();
        for _ in 0..4 {
            let blocks: Vec<usize> = (0..256).map(|_| heap.take(small)).collect();
            assert!(blocks.iter().all(|&b| b != 0));
            for block in blocks {
                heap.give(block, small);
            }
            let block = heap.take(large);
            assert_ne!(block, 0);
            heap.give(block, large);
            pages.push(memory_size(0));
        }
        assert!(pages.iter().all(|&p| p == pages[0]), "{pages:?}");
    }

    // Alignment up to a page; above, refused.
    #[wasm_bindgen_test]
    fn aligned_up_to_a_page() {
        let heap = heap();
        for log in 0..=16 {
            let layout = Layout::from_size_align(1, 1 << log).unwrap();
            let block = heap.take(layout);
            assert!(block != 0 && block % (1 << log) == 0);
        }
        let layout = Layout::from_size_align(8, 2 * PAGE).unwrap();
        assert_eq!(heap.take(layout), 0);
    }
}

/// The page build's exports (the full build's are wasm-bindgen's).
#[cfg(not(feature = "server"))]
mod page {
    use crate::core::callback::callback_buffers;
    use crate::core::client::Client;
    use crate::core::error::{Error, ErrorCode, Result};
    use crate::core::messages::Message;
    use crate::core::pkce;
    use crate::core::random::{self, Entropy};
    use crate::core::text::{is_utf8, utf8};
    use crate::wasm::record;
    use std::alloc::Layout;
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
        ManuallyDrop::new(with_capacity::<u8>(capacity)).as_mut_ptr()
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
        /// refuses it in the full build, `refused` naming it whole (its words
        /// are then in raw.js' table alone, not in the page wasm too).
        fn next(&mut self, length: i32, refused: Message) -> Result<&'a str> {
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
            text.ok_or_else(|| refused.error())
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

    /// A block for `layout` from the allocator (`zeroed`: filled with 0),
    /// or for size 0 a pointer aligned to it: the page's `Vec`s are made by
    /// `with_capacity` and `zeroed` below, so alloc's (`try_allocate_in`,
    /// `to_vec_in`) left the module. No layout (a size past `isize::MAX`) or
    /// no memory aborts, as alloc's do.
    #[inline(never)]
    fn block(layout: Option<Layout>, zeroed: bool) -> *mut u8 {
        let Some(layout) = layout else {
            std::process::abort()
        };
        if layout.size() == 0 {
            return std::ptr::without_provenance_mut(layout.align());
        }
        // SAFETY: the layout's size is not 0.
        let block = unsafe {
            match zeroed {
                true => std::alloc::alloc_zeroed(layout),
                false => std::alloc::alloc(layout),
            }
        };
        if block.is_null() {
            std::process::abort()
        }
        block
    }

    /// `Vec::with_capacity(count)` (`block`).
    #[inline(always)]
    pub(crate) fn with_capacity<T>(count: usize) -> Vec<T> {
        // SAFETY: an allocation of `count` `T`s' layout, or (size 0) a
        // pointer aligned to `T`; no item written yet.
        unsafe {
            Vec::from_raw_parts(
                block(Layout::array::<T>(count).ok(), false).cast(),
                0,
                count,
            )
        }
    }

    /// Integers: all-zero bytes are one.
    pub(crate) trait Zero {}
    impl Zero for u8 {}
    impl Zero for u16 {}

    /// `vec![0; count]` (`block`).
    #[inline(always)]
    pub(crate) fn zeroed<T: Zero>(count: usize) -> Vec<T> {
        // SAFETY: as `with_capacity`, and the `count` items are zero bytes,
        // each a `T` (`Zero`).
        unsafe {
            Vec::from_raw_parts(
                block(Layout::array::<T>(count).ok(), true).cast(),
                count,
                count,
            )
        }
    }

    /// Makes room in `out` for `more` bytes past its length: the page's one
    /// growth path (`text::put`), in place of alloc's (`grow_amortized` with
    /// its layout checks, `reserve`, `Extend`, `grow_one`: ~600 B raw). A
    /// full `out` moves to a block at least twice as large; the old one is
    /// freed (so zeroed), as alloc's growth frees it.
    #[inline(never)]
    fn room(out: &mut Vec<u8>, more: usize) {
        let len = out.len();
        if out.capacity() - len < more {
            // Twice `len` at least; saturated, a length past `isize::MAX`
            // aborts in `with_capacity`, as alloc's growth aborts.
            let mut grown = with_capacity(len.saturating_add(more.max(len)));
            // SAFETY: `grown` has room for `len` bytes, `out`'s first `len`
            // are written, and the two are different blocks.
            unsafe {
                std::ptr::copy_nonoverlapping(out.as_ptr(), grown.as_mut_ptr(), len);
                grown.set_len(len);
            }
            *out = grown;
        }
    }

    /// `out.extend_from_slice(bytes)` without alloc's growth path (`room`).
    #[inline(never)]
    pub(crate) fn put(out: &mut Vec<u8>, bytes: &[u8]) {
        let (len, more) = (out.len(), bytes.len());
        room(out, more);
        // SAFETY: `out` has room for `more` bytes past `len` (`room`), and
        // `bytes` is not in its block (`out` is borrowed mutably).
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), out.as_mut_ptr().add(len), more);
            out.set_len(len + more);
        }
    }

    /// `out.extend_from_within(from..from + more)` without alloc's growth
    /// path (a range past the length copies nothing).
    pub(crate) fn put_within(out: &mut Vec<u8>, from: usize, more: usize) {
        let len = out.len();
        let more = if from <= len && more <= len - from {
            more
        } else {
            0
        };
        room(out, more);
        // SAFETY: `out` has room for `more` bytes past `len` (`room`), and
        // its bytes `from..from + more` are written and end at or before
        // `len`, where the copy starts.
        unsafe {
            let at = out.as_mut_ptr();
            std::ptr::copy_nonoverlapping(at.add(from), at.add(len), more);
            out.set_len(len + more);
        }
    }

    /// `text.to_owned()`, at its length (`room` of an empty `String`):
    /// alloc's `to_vec_in` left the page.
    #[inline(never)]
    pub(crate) fn owned(text: &str) -> String {
        let mut out = String::new();
        put_str(&mut out, text);
        out
    }

    /// `out.push_str(text)` without alloc's growth path.
    #[inline(always)]
    pub(crate) fn put_str(out: &mut String, text: &str) {
        // SAFETY: text then text is text: only UTF-8 is appended.
        put(unsafe { out.as_mut_vec() }, text.as_bytes());
    }

    /// `Box::new(*value)`, written into the box from where `value` is (a
    /// preset's static): `Box::new` copied it through the stack (page −9 B
    /// gzip). `Box::write` would do it from Rust 1.87 (the MSRV is 1.85).
    pub(crate) fn boxed<T: Copy>(value: &T) -> Box<T> {
        let mut out = Box::<T>::new_uninit();
        out.write(*value);
        // SAFETY: written on the line above.
        unsafe { out.assume_init() }
    }

    /// `count` items of `item`, in a `Vec` of that capacity: written, not
    /// pushed (`push` is alloc's growth path; the record gives counts first).
    /// Out of line: page −12 B gzip.
    #[inline(never)]
    pub(crate) fn filled<T>(count: usize, mut item: impl FnMut() -> T) -> Vec<T> {
        let mut items: Vec<T> = with_capacity(count);
        for at in 0..count {
            let value = item();
            // SAFETY: `at < count`, so within the capacity; the `at` items
            // before are written.
            unsafe {
                items.as_mut_ptr().add(at).write(value);
                items.set_len(at + 1);
            }
        }
        items
    }

    /// A call on a freed client (the glue passes handle 0).
    fn freed() -> Error {
        Message::ClientFreed.error()
    }

    /// Milliseconds since the epoch (`Date.now()`), as seconds.
    fn seconds(now: f64) -> u64 {
        (now / 1000.0) as u64
    }

    /// The slots from 4, the answer's numbers, for the export or the core to
    /// write in place (`N` of them, 8 at most) before `set_slots` keeps them:
    /// not built on the stack, then copied.
    fn numbers<'a, const N: usize>() -> &'a mut [f64; N] {
        const { assert!(N <= SLOT_COUNT - 4) };
        // SAFETY: the slots are a static of this one thread (no `atomics`), `N`
        // of them from 4 are within it (checked above), and each caller writes
        // through the one reference, then answers (`set_slots`), so no two
        // are live at once.
        unsafe { &mut *SLOTS.with(Cell::as_ptr).cast::<f64>().add(4).cast() }
    }

    /// Sets the slots: the answer's bytes (address, length), the buffer to
    /// free (address, capacity), keeps the `count` numbers written from slot
    /// 4 (`numbers`) and zeroes the rest. The four as arguments, not an array
    /// (callers stored it on their stack); the numbers written in place, not
    /// built on the caller's stack and copied: page −31 B gzip.
    fn set_slots(address: usize, length: usize, buffer: usize, capacity: usize, count: usize) {
        let slots = SLOTS.with(Cell::as_ptr);
        // SAFETY: the slots are a static of this one thread, and no other
        // reference to them is live (`numbers`' is gone once written).
        let slots = unsafe { &mut *slots };
        let (head, rest) = slots.split_at_mut(4);
        for (slot, n) in head.iter_mut().zip([address, length, buffer, capacity]) {
            *slot = n as f64;
        }
        rest.get_mut(count..).unwrap_or_default().fill(0.0);
    }

    /// Leaves `length` bytes of `buffer` from `at` as the answer, and the
    /// first `numbers` numbers written; the glue frees `buffer`.
    fn leave(buffer: Vec<u8>, at: usize, length: usize, numbers: usize) {
        let buffer = ManuallyDrop::new(buffer);
        let address = buffer.as_ptr() as usize;
        set_slots(address + at, length, address, buffer.capacity(), numbers);
    }

    /// All of `bytes` as the answer. Out of line (four callers): page −4 B
    /// gzip; `leave` out of line was +28.
    #[inline(never)]
    fn answer(bytes: Vec<u8>, numbers: usize) {
        let length = bytes.len();
        leave(bytes, 0, length, numbers);
    }

    /// Text the module keeps (a name) as the answer: nothing to free, and read
    /// by the glue before anything else runs.
    fn answer_text(text: &str) {
        set_slots(text.as_ptr() as usize, text.len(), 0, 0, 0);
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
        let bytes = error.into_answer(numbers());
        answer(bytes.into_bytes(), 8);
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

    /// An export's outcome as its answer: `false` done, `true` failed. A
    /// `Result<()>` is one word (the error's box, or none).
    fn done(outcome: Result<()>) -> bool {
        match outcome {
            Ok(()) => false,
            Err(error) => failed(error),
        }
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
                record::read_client(Texts(&input).next(record, Message::ClientOptionsNotAString)?);
            // Both checks as one `Result`: one exit, one drop of the options
            // (two `?` were two drops, +20 B gzip).
            let client = options
                .check_secret_placement(has_document != 0)
                .and_then(|()| Client::from_input(&mut options))?;
            // No bytes and no buffer to free (capacity 0): the handle alone.
            *numbers() = [Box::into_raw(client) as usize as f64];
            set_slots(0, 0, 0, 0, 1);
            Ok(())
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
        // SAFETY: `f` is an export, which sets the pointer to the top first
        // (stack-reset.awk), and the module imports nothing, so no other
        // export runs beneath it; its own frame holds nothing once the
        // client's drop has returned, and this is its last act.
        unsafe { super::wipe_stack(usize::MAX) }
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
        // SAFETY: this export's input buffer from the glue.
        let mut input = unsafe { take(buffer, capacity, random + used(record)) };
        done((|| {
            // SAFETY: a handle from the glue. Checked here, not before the
            // closure: one test of a freed handle, not two.
            let client = unsafe { client(handle) }?;
            // Any count but 48 (0: the platform had none) is refused before
            // a byte is read.
            let Some((random, rest)) = input.split_first_chunk_mut::<48>().filter(|_| random == 48)
            else {
                return Err(random::unavailable());
            };
            let entropy = Entropy::from_bytes(random);
            // The verifier's and nonce's bytes do not outlive the call here.
            random.fill(0);
            let options =
                record::read_start(Texts(rest).next(record, Message::StartOptionsNotAString)?);
            let mut out = with_capacity(1024);
            client
                .write_start(&options, seconds(now), &entropy, &mut out, numbers())
                .map(|()| answer(out, 4))
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
        // SAFETY: this export's input buffer from the glue.
        let input = unsafe { take(buffer, capacity, used(url) + used(pending)) };
        done((|| {
            // SAFETY: a handle from the glue. Checked here, as the start's:
            // one test of a freed handle, not two.
            let client = unsafe { client(handle) }?;
            let mut texts = Texts(&input);
            let url = texts.next(url, Message::CallbackNotAString)?;
            let pending = texts.next(pending, Message::PendingNotAString)?;
            // One buffer for the decoded query and the result.
            let (bytes, names) = callback_buffers(url, pending);
            let (mut bytes, mut names) = (zeroed::<u8>(bytes), zeroed::<u16>(names));
            let base = bytes.as_ptr() as usize;
            let result = client.check_callback(
                url,
                pending,
                seconds(now),
                &mut bytes,
                &mut names,
                numbers(),
            )?;
            let (at, length) = ((result.as_ptr() as usize).wrapping_sub(base), result.len());
            leave(bytes, at, length, 6);
            Ok(())
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
        done(verifier.map(|()| answer(input, 0)))
    }

    /// `pkceChallenge(verifier)` (a negative length: not a string).
    #[export_name = "h"]
    unsafe extern "C" fn pkce_challenge(buffer: *mut u8, capacity: usize, verifier: i32) -> bool {
        // SAFETY: this export's input buffer (the glue's guarantee).
        let input = unsafe { take(buffer, capacity, used(verifier)) };
        let mut out = Vec::new();
        done(
            Texts(&input)
                .next(verifier, Message::VerifierNotAString)
                .and_then(|verifier| pkce::push_challenge(verifier, &mut out))
                .map(|()| answer(out, 0)),
        )
    }
}
