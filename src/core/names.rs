//! Whether a list of names (JSON keys, query parameters) repeats one: one
//! sort, so a hostile input with many names stays O(n log n).

/// Whether a name repeats (`names` ends up sorted).
pub fn has_duplicates(names: &mut [&str]) -> bool {
    has_duplicates_by(names, |name| name)
}

/// As [`has_duplicates`], for items named by `key` (the callback's names
/// are offsets into its decoded query).
#[cfg_attr(partner_oauth_nightly, optimize(speed))]
pub fn has_duplicates_by<T: Copy, K: Ord>(items: &mut [T], key: impl Fn(T) -> K) -> bool {
    heapsort(items, &key);
    items.windows(2).any(|pair| match pair {
        [a, b] => key(*a) == key(*b),
        _ => false,
    })
}

/// O(n log n) at worst in a few hundred bytes of wasm; `sort_unstable`
/// costs ~2.8 KB of it.
fn heapsort<T: Copy, K: Ord>(items: &mut [T], key: &impl Fn(T) -> K) {
    let len = items.len();
    for root in (0..len / 2).rev() {
        sift_down(items, key, root, len);
    }
    for end in (1..len).rev() {
        items.swap(0, end);
        sift_down(items, key, 0, end);
    }
}

#[cfg_attr(partner_oauth_nightly, optimize(speed))]
fn sift_down<T: Copy, K: Ord>(items: &mut [T], key: &impl Fn(T) -> K, mut root: usize, end: usize) {
    // Keys compared directly, not as `Option`s: less code for the same order.
    let items_end = items.get_mut(..end).unwrap_or_default();
    loop {
        let mut child = 2 * root + 1;
        if let (Some(&left), Some(&right)) = (items_end.get(child), items_end.get(child + 1)) {
            if key(left) < key(right) {
                child += 1;
            }
        }
        match (items_end.get(root), items_end.get(child)) {
            (Some(&parent), Some(&larger)) if key(parent) < key(larger) => {
                items_end.swap(root, child);
                root = child;
            }
            _ => return,
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
            heapsort(&mut ours, &|word| word);
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
