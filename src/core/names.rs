//! Whether a list of names (JSON keys, query parameters) repeats one: one
//! sort, so a hostile input with many names stays O(n log n).

/// Whether a name repeats (`names` ends up sorted).
pub fn has_duplicates(names: &mut [&str]) -> bool {
    has_duplicates_by(names, |name| name)
}

/// As [`has_duplicates`], for items named by `key` (the callback's names
/// are offsets into its decoded query).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
// Page: LLVM inlines it into the callback's query reader (page -8 B gzip).
#[cfg_attr(not(feature = "server"), inline(always))]
pub fn has_duplicates_by<T: Copy, K: Ord>(items: &mut [T], key: impl Fn(T) -> K) -> bool {
    // One comparison for the sort and the scan: sorted, `a` repeats `b`
    // exactly when it is not less than it (each key site was a call).
    let less = |a: T, b: T| key(a) < key(b);
    heapsort(items, &less);
    items.windows(2).any(|pair| match pair {
        [a, b] => !less(*a, *b),
        _ => false,
    })
}

/// O(n log n) at worst in a few hundred bytes of wasm; `sort_unstable`
/// costs ~2.8 KB of it. One loop builds the heap (`i >= len`) and then
/// takes its largest out, as std's heapsort does: one sift-down site.
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn heapsort<T: Copy>(items: &mut [T], less: &impl Fn(T, T) -> bool) {
    let len = items.len();
    for i in (0..len + len / 2).rev() {
        let (mut root, end) = if i >= len {
            (i - len, len)
        } else {
            items.swap(0, i);
            (0, i)
        };
        let items_end = items.get_mut(..end).unwrap_or_default();
        loop {
            let mut child = 2 * root + 1;
            if let (Some(&left), Some(&right)) = (items_end.get(child), items_end.get(child + 1)) {
                if less(left, right) {
                    child += 1;
                }
            }
            match (items_end.get(root), items_end.get(child)) {
                (Some(&parent), Some(&larger)) if less(parent, larger) => {
                    items_end.swap(root, child);
                    root = child;
                }
                _ => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heapsort_sorts_like_the_standard_library() {
        let mut seed = 0x2545_f491_u32;
        for len in 0..200 {
            let words: Vec<String> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    format!("k{}", seed % 97)
                })
                .collect();
            let mut ours: Vec<&str> = words.iter().map(String::as_str).collect();
            let mut expected = ours.clone();
            heapsort(&mut ours, &|a: &str, b: &str| a < b);
            expected.sort();
            assert_eq!(ours, expected);
        }
    }

    #[test]
    fn finds_a_repeat_anywhere() {
        assert!(!has_duplicates(&mut ["b", "a", "c"]));
        assert!(has_duplicates(&mut ["b", "a", "c", "a"]));
        assert!(!has_duplicates(&mut []));
    }
}
