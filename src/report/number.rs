//! Numbers written straight into text: what `format!("{x:.2}")` and `format!("{n}")` write,
//! without the formatting machinery. A large case's table prints four fixed-point figures and
//! two counts on each of 1.6 million rows, and `core::fmt`'s exact float formatting (a bignum
//! fallback for every digit it cannot prove) was a tenth of the table's time.

use std::fmt::Write;

/// Powers of ten a figure is scaled by, one per number of decimals written fast.
const SCALE: [f64; 4] = [1.0, 10.0, 100.0, 1000.0];

/// Writes `x` with `digits` decimals, byte for byte what `write!(out, "{x:.digits$}")` writes.
///
/// Rust rounds the exact binary value half to even. For `0 ≤ x < 10^6` and at most three
/// decimals, `x · 10^digits` is computed with an error below `10^-7` (half an ulp of a value
/// below `2^30`), and taking its floor back off is exact, so wherever that fraction is more
/// than `10^-6` away from one half, rounding the computed value gives the same integer as
/// rounding the exact one. Anything else (a fraction near one half, negative numbers and
/// −0, NaN, infinities, large values, more decimals) goes through `core::fmt`.
pub(crate) fn write_fixed(out: &mut String, x: f64, digits: usize) {
    if digits < SCALE.len() && (0.0..1e6).contains(&x) && x.is_sign_positive() {
        let scaled = x * SCALE[digits];
        let floor = scaled.floor();
        let frac = scaled - floor;
        if (frac - 0.5).abs() > 1e-6 {
            let n = floor as u64 + u64::from(frac > 0.5);
            match unit_figure(n, digits) {
                Some(figure) => out.push_str(figure),
                None => push_scaled(out, n, digits),
            }
            return;
        }
    }
    let _ = write!(out, "{x:.digits$}");
}

/// Writes `n / 10^digits` with `digits` decimals: built right to left in a buffer (the
/// decimals, the point, and the integer part's digits, at least one), then copied.
/// `n < 10^7 · 10^digits` (a figure below 10^6, at most three decimals) fits.
fn push_scaled(out: &mut String, mut n: u64, digits: usize) {
    let mut buf = [b'0'; 12];
    let mut at = buf.len();
    for _ in 0..digits {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    if digits > 0 {
        at -= 1;
        buf[at] = b'.';
    }
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend(buf[at..].iter().map(|&b| char::from(b)));
}

/// The figure `n / 10^digits` when it lies between 0 and 1, where nearly every figure of a
/// report does (probabilities and opinions): each of the thousandths from 0 to 1 written
/// once, then copied.
fn unit_figure(n: u64, digits: usize) -> Option<&'static str> {
    static FIGURES: std::sync::OnceLock<[String; SCALE.len()]> = std::sync::OnceLock::new();
    let figures = FIGURES.get_or_init(|| {
        std::array::from_fn(|digits| {
            let mut all = String::new();
            for n in 0..=10u64.pow(digits as u32) {
                push_scaled(&mut all, n, digits);
            }
            all
        })
    });
    // Every figure up to 1 has one digit before the point: all are `digits + 2` bytes long
    // (one without decimals).
    let width = if digits == 0 { 1 } else { digits + 2 };
    let n = usize::try_from(n).ok()?;
    figures.get(digits)?.get(n * width..(n + 1) * width)
}

/// Writes `n` in decimal, as `write!(out, "{n}")` does (through `itoa`).
pub(crate) fn write_count(out: &mut String, n: u64) {
    out.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(x: f64, digits: usize) -> String {
        let mut s = String::new();
        write_fixed(&mut s, x, digits);
        s
    }

    #[test]
    fn fixed_writes_what_core_fmt_writes() {
        let mut xs = vec![
            0.0,
            -0.0,
            1.0,
            0.5,
            0.125,
            0.375,
            0.005,
            0.015,
            0.025,
            0.0005,
            0.9995,
            0.995,
            0.994_999_999_999,
            0.995_000_000_001,
            2.675,
            1.005,
            999_999.995,
            1e6,
            1e300,
            -0.004,
            -1.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MIN_POSITIVE,
            f64::EPSILON,
        ];
        // Every multiple of a thousandth, and the numbers either side of it and of every
        // half-thousandth: where rounding turns.
        for k in 0..=20_000u32 {
            let x = f64::from(k) / 2000.0;
            xs.extend([x, x.next_up(), x.next_down()]);
        }
        // A deterministic scatter over [0, 2).
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            xs.push((state >> 11) as f64 / (1u64 << 52) as f64);
        }
        for x in xs {
            for digits in 0..=4 {
                assert_eq!(
                    fixed(x, digits),
                    format!("{x:.digits$}"),
                    "{x:e} at {digits}"
                );
            }
        }
    }

    #[test]
    fn counts_write_what_core_fmt_writes() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u64::from(u32::MAX), u64::MAX] {
            let mut s = String::new();
            write_count(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }
}
