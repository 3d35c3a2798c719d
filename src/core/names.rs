//! Whether a list of names (JSON keys, query parameters) repeats one: one
//! sort, so a hostile input with many names stays O(n log n).

/// Whether a name repeats (`names` ends up sorted).
pub fn has_duplicates(names: &mut [&str]) -> bool {
    heapsort(names);
    names.windows(2).any(|pair| pair.first() == pair.last())
}

/// O(n log n) at worst in a few hundred bytes of wasm; `sort_unstable`
/// costs ~2.8 KB of it.
fn heapsort(keys: &mut [&str]) {
    let len = keys.len();
    for root in (0..len / 2).rev() {
        sift_down(keys, root, len);
    }
    for end in (1..len).rev() {
        keys.swap(0, end);
        sift_down(keys, 0, end);
    }
}

fn sift_down(keys: &mut [&str], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && keys.get(child) < keys.get(child + 1) {
            child += 1;
        }
        if keys.get(root) >= keys.get(child) {
            return;
        }
        keys.swap(root, child);
        root = child;
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
            heapsort(&mut ours);
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
