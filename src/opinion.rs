//! Subjective-logic binomial opinions and the operators attrib's model uses.
//!
//! An opinion `(b, d, u, a)` keeps belief, disbelief and uncertainty apart, which is what lets
//! attrib report a likelihood (from the projected probability) separately from a confidence
//! (from the uncertainty), as ICD 203 asks. The operators follow Jøsang, *Subjective Logic*
//! (Springer 2016); `docs/model.md` gives each formula with its source.

use std::fmt;

/// Non-informative prior weight `W` of the evidence mapping.
pub const W: f64 = 2.0;

/// Tolerance for `b + d + u = 1`.
const EPS: f64 = 1e-9;

/// A binomial opinion. The invariant `b, d, u, a ∈ [0, 1]`, `b + d + u = 1` holds for every
/// value of this type: the fields are private and every constructor checks or establishes it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Opinion {
    b: f64,
    d: f64,
    u: f64,
    a: f64,
}

/// Why components could not form an opinion.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("not an opinion: b={b}, d={d}, u={u}, a={a} (each must be in [0, 1] and b + d + u = 1)")]
pub struct InvalidOpinion {
    /// Belief.
    pub b: f64,
    /// Disbelief.
    pub d: f64,
    /// Uncertainty.
    pub u: f64,
    /// Base rate.
    pub a: f64,
}

impl Opinion {
    /// Checks the invariant and renormalises rounding error away.
    pub fn new(b: f64, d: f64, u: f64, a: f64) -> Result<Opinion, InvalidOpinion> {
        let unit = |x: f64| x.is_finite() && (-EPS..=1.0 + EPS).contains(&x);
        if !(unit(b) && unit(d) && unit(u) && unit(a)) || ((b + d + u) - 1.0).abs() > 1e-6 {
            return Err(InvalidOpinion { b, d, u, a });
        }
        Ok(Opinion::normalised(b, d, u, a))
    }

    /// Clamps tiny rounding excursions and rescales so the components sum to exactly 1.
    fn normalised(b: f64, d: f64, u: f64, a: f64) -> Opinion {
        let (b, d, u) = (b.clamp(0.0, 1.0), d.clamp(0.0, 1.0), u.clamp(0.0, 1.0));
        let sum = b + d + u;
        let (b, d, u) = if sum > 0.0 {
            (b / sum, d / sum, u / sum)
        } else {
            (0.0, 0.0, 1.0)
        };
        Opinion {
            b,
            d,
            u,
            a: a.clamp(0.0, 1.0),
        }
    }

    /// Total ignorance: `(0, 0, 1, a)`.
    pub fn vacuous(a: f64) -> Opinion {
        Opinion::normalised(0.0, 0.0, 1.0, a)
    }

    /// From `r` supporting and `s` opposing observations: `b = r/(r+s+W)`, `d = s/(r+s+W)`,
    /// `u = W/(r+s+W)`. Negative or non-finite counts are read as none.
    pub fn from_evidence(r: f64, s: f64, a: f64) -> Opinion {
        let clean = |x: f64| if x.is_finite() && x > 0.0 { x } else { 0.0 };
        let (r, s) = (clean(r), clean(s));
        let total = r + s + W;
        Opinion::normalised(r / total, s / total, W / total, a)
    }

    /// The evidence behind the opinion: `r = W·b/u`, `s = W·d/u` (infinite when dogmatic).
    pub fn evidence(&self) -> (f64, f64) {
        if self.u <= 0.0 {
            (
                if self.b > 0.0 { f64::INFINITY } else { 0.0 },
                if self.d > 0.0 { f64::INFINITY } else { 0.0 },
            )
        } else {
            (W * self.b / self.u, W * self.d / self.u)
        }
    }

    /// Belief `b`.
    pub fn belief(&self) -> f64 {
        self.b
    }
    /// Disbelief `d`.
    pub fn disbelief(&self) -> f64 {
        self.d
    }
    /// Uncertainty `u`.
    pub fn uncertainty(&self) -> f64 {
        self.u
    }
    /// Base rate `a`.
    pub fn base_rate(&self) -> f64 {
        self.a
    }

    /// The same opinion with another base rate.
    pub fn with_base_rate(self, a: f64) -> Opinion {
        Opinion::normalised(self.b, self.d, self.u, a)
    }

    /// Projected probability `P = b + a·u`.
    pub fn projected(&self) -> f64 {
        self.b + self.a * self.u
    }

    /// The most uncertain opinion with the same projected probability (Jøsang 2016, §3.5.6):
    /// `u = min(P/a, (1−P)/(1−a))`, then `b = P − a·u`, `d = 1 − P − (1−a)·u`.
    pub fn uncertainty_maximised(&self) -> Opinion {
        let p = self.projected();
        let a = self.a;
        let u = if a <= 0.0 {
            1.0 - p
        } else if a >= 1.0 {
            p
        } else {
            (p / a).min((1.0 - p) / (1.0 - a)).min(1.0)
        };
        Opinion::normalised(p - a * u, 1.0 - p - (1.0 - a) * u, u, a)
    }

    /// Probability-sensitive trust discounting (Jøsang 2016, §14.3.2): the analyst's view of
    /// this opinion when it arrives through a source trusted with `trust`:
    /// `b' = P_T·b`, `d' = P_T·d`, `u' = 1 − P_T·(b + d)`.
    pub fn trust_discount(&self, trust: &Opinion) -> Opinion {
        let pt = trust.projected();
        Opinion::normalised(
            pt * self.b,
            pt * self.d,
            1.0 - pt * (self.b + self.d),
            self.a,
        )
    }

    /// Belief-only chain discount of a link opinion (this) by the belief in its antecedent:
    /// `b = b_X·b_L`, `d = b_X·d_L`, `u = 1 − b_X·(b_L + d_L)`. Only belief travels, never the
    /// antecedent's prior, so an antecedent without evidence passes nothing on.
    pub fn chain_discount(&self, belief_in_antecedent: f64) -> Opinion {
        let bx = belief_in_antecedent.clamp(0.0, 1.0);
        Opinion::normalised(
            bx * self.b,
            bx * self.d,
            1.0 - bx * (self.b + self.d),
            self.a,
        )
    }

    /// n-ary cumulative fusion (Jøsang, Wang, Zhang, FUSION 2017): independent opinions add
    /// their evidence. When some inputs are dogmatic (`u = 0`), the result is their average, the
    /// limit of the general formula. The base rate is the first input's (all attrib's fusions
    /// share one).
    pub fn cumulative_fuse(opinions: &[Opinion]) -> Opinion {
        let Some(first) = opinions.first() else {
            return Opinion::vacuous(0.5);
        };
        let dogmatic: Vec<&Opinion> = opinions.iter().filter(|o| o.u <= 0.0).collect();
        if !dogmatic.is_empty() {
            let n = dogmatic.len() as f64;
            let b = dogmatic.iter().map(|o| o.b).sum::<f64>() / n;
            let d = dogmatic.iter().map(|o| o.d).sum::<f64>() / n;
            return Opinion::normalised(b, d, 0.0, first.a);
        }
        let (r, s) = opinions.iter().fold((0.0, 0.0), |(r, s), o| {
            let (ro, so) = o.evidence();
            (r + ro, s + so)
        });
        Opinion::from_evidence(r, s, first.a)
    }

    /// Degree of conflict between two opinions (Jøsang 2016, §12.3.4):
    /// `DC = |P_A − P_B|·(1 − u_A)·(1 − u_B)`.
    pub fn conflict(&self, other: &Opinion) -> f64 {
        (self.projected() - other.projected()).abs() * (1.0 - self.u) * (1.0 - other.u)
    }
}

/// An opinion shown without its base rate: what a contribution passed along a chain, a pair
/// or from a competitor is. Its base rate is a placeholder (½); the hypothesis's own prior
/// applies only once, to the fused result, and printing `a 0.50` beside a hypothesis whose
/// prior is 0.30 reads as a contradiction.
pub struct WithoutBaseRate<'o>(pub &'o Opinion);

impl fmt::Display for WithoutBaseRate<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = self.0;
        write!(f, "(b {:.3}, d {:.3}, u {:.3})", o.b, o.d, o.u)
    }
}

impl fmt::Display for Opinion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "(b {:.3}, d {:.3}, u {:.3}, a {:.2})",
            self.b, self.d, self.u, self.a
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Asserts an opinion's components to the 1e-4 of the published vectors.
    pub(crate) fn close(o: Opinion, b: f64, d: f64, u: f64) {
        assert!(
            (o.belief() - b).abs() < 1e-4
                && (o.disbelief() - d).abs() < 1e-4
                && (o.uncertainty() - u).abs() < 1e-4,
            "{o} vs ({b}, {d}, {u})"
        );
    }

    fn op(b: f64, d: f64, u: f64, a: f64) -> Opinion {
        Opinion::new(b, d, u, a).unwrap()
    }

    #[test]
    fn invariant_is_enforced() {
        assert!(Opinion::new(0.5, 0.5, 0.5, 0.5).is_err());
        assert!(Opinion::new(f64::NAN, 0.0, 1.0, 0.5).is_err());
        assert!(Opinion::new(-0.1, 0.1, 1.0, 0.5).is_err());
        assert!(Opinion::new(0.2, 0.3, 0.5, 1.5).is_err());
        assert!(Opinion::new(0.2, 0.3, 0.5, 0.5).is_ok());
    }

    #[test]
    fn evidence_round_trip() {
        let o = Opinion::from_evidence(9.3333, 3.0, 0.5);
        let (r, s) = o.evidence();
        assert!((r - 9.3333).abs() < 1e-9 && (s - 3.0).abs() < 1e-9);
    }

    /// Published vector (docs/model.md): (0.7, 0.3, 0, a 0.5) → (0.4, 0, 0.6).
    #[test]
    fn uncertainty_maximisation_vector() {
        close(
            op(0.7, 0.3, 0.0, 0.5).uncertainty_maximised(),
            0.4,
            0.0,
            0.6,
        );
    }

    /// Published vector (§3): trust (0.2, 0.4, 0.4, a 0.75), claim (0.45, 0.35, 0.2, a 0.25) →
    /// (0.2250, 0.1750, 0.6000).
    #[test]
    fn trust_discount_published_vector() {
        let t = op(0.2, 0.4, 0.4, 0.75);
        let c = op(0.45, 0.35, 0.2, 0.25);
        let r = c.trust_discount(&t);
        close(r, 0.2250, 0.1750, 0.6000);
        assert_eq!(r.base_rate(), 0.25);
    }

    /// Worked example (§3): trust B = evidence (8, 1); claim (0.85, 0.05, 0.10) →
    /// (0.6955, 0.0409, 0.2636), P = 0.8273.
    #[test]
    fn trust_discount_worked_example() {
        let trust = Opinion::from_evidence(8.0, 1.0, 0.5);
        assert!((trust.projected() - 0.8182).abs() < 1e-4);
        let r = op(0.85, 0.05, 0.10, 0.5).trust_discount(&trust);
        close(r, 0.6955, 0.0409, 0.2636);
        assert!((r.projected() - 0.8273).abs() < 1e-4);
    }

    /// Published vectors (§6): C1 ⊕ C2 ⊕ C3 → (0.6512, 0.2093, 0.1395) and
    /// (0.7, 0.1, 0.2) ⊕ (0.2, 0.3, 0.5) → (0.6500, 0.1833, 0.1667).
    #[test]
    fn cumulative_fusion_vectors() {
        let c1 = op(0.1, 0.3, 0.6, 0.5);
        let c2 = op(0.4, 0.2, 0.4, 0.5);
        let c3 = op(0.7, 0.1, 0.2, 0.5);
        close(
            Opinion::cumulative_fuse(&[c1, c2, c3]),
            0.6512,
            0.2093,
            0.1395,
        );
        close(
            Opinion::cumulative_fuse(&[c3, op(0.2, 0.3, 0.5, 0.5)]),
            0.6500,
            0.1833,
            0.1667,
        );
    }

    #[test]
    fn dogmatic_inputs_average() {
        let f = Opinion::cumulative_fuse(&[op(1.0, 0.0, 0.0, 0.5), op(0.0, 1.0, 0.0, 0.5)]);
        close(f, 0.5, 0.5, 0.0);
        close(
            Opinion::cumulative_fuse(&[op(1.0, 0.0, 0.0, 0.5), op(0.3, 0.1, 0.6, 0.5)]),
            1.0,
            0.0,
            0.0,
        );
    }

    /// §7: (0.5, 0, 0.5) vs (0, 0.5, 0.5) → 0.125.
    #[test]
    fn degree_of_conflict_vector() {
        let dc = op(0.5, 0.0, 0.5, 0.5).conflict(&op(0.0, 0.5, 0.5, 0.5));
        assert!((dc - 0.125).abs() < 1e-12);
    }

    #[test]
    fn chain_discount_passes_only_belief() {
        let link = op(0.8, 0.1, 0.1, 0.5);
        close(link.chain_discount(0.0), 0.0, 0.0, 1.0);
        close(link.chain_discount(0.5), 0.4, 0.05, 0.55);
        close(op(1.0, 0.0, 0.0, 0.5).chain_discount(0.7), 0.7, 0.0, 0.3);
    }
}
