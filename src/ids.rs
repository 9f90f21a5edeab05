//! The order ids are listed in for people: runs of digits by their value, so that claim `c2`
//! comes before `c10` and `d4b` before `d10`, as analysts number their claims.
//!
//! Every list attrib writes by id (the sensitivity tables, the claims behind a hypothesis,
//! echoes, what-if lines, a converted or imported case file) is in this order. It is a total
//! order over the ids' text (ids that read as the same numbers, `c01` and `c1`, by their text),
//! so the lists never depend on the order of the file. Natural-sort crates leave such ties
//! equal or order mixed runs inconsistently, which a sort may not be given; this one is
//! property-tested to be a total order.

use std::cmp::Ordering;

/// A readable id from a name: lower case, runs of anything but letters and digits as `-`
/// (what `import stix` makes ids of, and what `check` matches a name written as an id by).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        if ch.is_alphanumeric() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Compares two ids in natural order (see the module).
pub fn cmp(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    // The first byte that differs decides, unless it is in a run of digits in both.
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    let digit_at = |s: &[u8], i: usize| s.get(i).is_some_and(u8::is_ascii_digit);
    let run_start = (0..same)
        .rev()
        .take_while(|&i| x[i].is_ascii_digit())
        .last()
        .unwrap_or(same);
    // The bytes at the first difference (`None` where an id ends, which comes first).
    let first = x.get(same).cmp(&y.get(same));
    let common = &x[run_start..same];
    let both_digits = digit_at(x, same) && digit_at(y, same);
    if common.is_empty() && !both_digits {
        return first;
    }
    // Where the common digits hold a significant one, or none are common and neither run
    // starts with a zero, the runs' leading zeros are the same: the longer rest of digits is
    // the larger number, and between rests as long the first difference decides.
    if common.iter().any(|&b| b != b'0')
        || (common.is_empty() && x[same] != b'0' && y[same] != b'0')
    {
        let digits = |s: &[u8]| s[same..].iter().take_while(|b| b.is_ascii_digit()).count();
        return digits(x).cmp(&digits(y)).then(first);
    }
    match numbers(&x[run_start..], &y[run_start..]) {
        Ordering::Equal => natural_rest(&x[run_start..], &y[run_start..]).then_with(|| x.cmp(y)),
        decided => decided,
    }
}

/// Compares the runs of digits that start `x` and `y` by their value.
fn numbers(x: &[u8], y: &[u8]) -> Ordering {
    fn run(s: &[u8]) -> &[u8] {
        let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
        let zeros = s[..n].iter().take_while(|&&b| b == b'0').count();
        &s[zeros..n]
    }
    let (p, q) = (run(x), run(y));
    p.len().cmp(&q.len()).then_with(|| p.cmp(q))
}

/// Compares `x` and `y`, which start with runs of digits of equal value, token by token: each
/// run of digits by its value, every other byte as it is.
fn natural_rest(mut x: &[u8], mut y: &[u8]) -> Ordering {
    loop {
        match (x.first(), y.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p.is_ascii_digit() && q.is_ascii_digit() => {
                let decided = numbers(x, y);
                if decided != Ordering::Equal {
                    return decided;
                }
                x = &x[x.iter().take_while(|b| b.is_ascii_digit()).count()..];
                y = &y[y.iter().take_while(|b| b.is_ascii_digit()).count()..];
            }
            (Some(p), Some(q)) => {
                if p != q {
                    return p.cmp(q);
                }
                x = &x[1..];
                y = &y[1..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(ids: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| cmp(a, b));
        v
    }

    #[test]
    fn numbers_in_ids_sort_by_value() {
        assert_eq!(
            sorted(&[
                "d10", "d4b", "c10", "c2", "d13-mois", "d4", "c1", "d10b", "c01", "d9"
            ]),
            [
                "c01", "c1", "c2", "c10", "d4", "d4b", "d9", "d10", "d10b", "d13-mois"
            ]
        );
        assert_eq!(sorted(&["t15", "t1", "t2"]), ["t1", "t2", "t15"]);
        assert_eq!(
            sorted(&["uk-gov", "us-gov", "nsc", "aa22-264a"]),
            ["aa22-264a", "nsc", "uk-gov", "us-gov"]
        );
        assert_eq!(cmp("c1", "c1"), Ordering::Equal);
        assert_eq!(
            cmp("c99999999999999999999999", "c100000000000000000000000"),
            Ordering::Less
        );
    }

    /// Token by token, as written out: the reference the fast path is held to.
    fn reference(a: &str, b: &str) -> Ordering {
        natural_rest(a.as_bytes(), b.as_bytes()).then_with(|| a.cmp(b))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// A total order (antisymmetric, transitive, equal only for equal text) that agrees
        /// with comparing token by token.
        #[test]
        fn ids_are_totally_ordered(
            a in "[a0-9:/-]{0,7}",
            b in "[a0-9:/-]{0,7}",
            c in "[a0-9:/-]{0,7}",
        ) {
            proptest::prop_assert_eq!(cmp(&a, &b), reference(&a, &b));
            proptest::prop_assert_eq!(cmp(&a, &b), cmp(&b, &a).reverse());
            proptest::prop_assert_eq!(cmp(&a, &b) == Ordering::Equal, a == b);
            if cmp(&a, &b) != Ordering::Greater && cmp(&b, &c) != Ordering::Greater {
                proptest::prop_assert!(cmp(&a, &c) != Ordering::Greater, "{} {} {}", a, b, c);
            }
        }

        /// The same, for ids that share a beginning and differ in or after a run of digits
        /// (`d10b`, `d1-2`, `c007`), which random texts seldom do.
        #[test]
        fn ids_sharing_a_beginning_are_ordered_by_their_tokens(
            common in "[a0-9-]{0,4}",
            a in "[0-9]{0,3}[a0-9-]{0,3}",
            b in "[0-9]{0,3}[a0-9-]{0,3}",
        ) {
            let (a, b) = (format!("{common}{a}"), format!("{common}{b}"));
            proptest::prop_assert_eq!(cmp(&a, &b), reference(&a, &b));
        }
    }
}
