//! The JSON report of `attrib assess --format json`: every number the table shows, at full
//! precision, the full explanation (lines for and against with where each came from, and every
//! contribution) and the sensitivity of each hypothesis. The schema is documented in
//! `docs/json.md`; `schema` names its version.

use super::{Chunked, Pretty};
use crate::assess::{
    Assessment, Derivation, IncidentAssessment, Judgement, Origin, Removal, Tally, trace_line,
};
use crate::model::{Case, ClaimId, EntityId};
use serde_json::ser::Formatter;
use std::io::{self, Write};

/// The schema version the report names; bumped on any incompatible change (docs/json.md).
pub const SCHEMA: &str = "attrib-assessment/2";

/// The report's writer: serde_json's pretty layout ([`Pretty`]) driven by hand, straight from
/// the assessment, in the order of the documented fields. A derived `Serialize` went through
/// serde's generic machinery for every field (each key escaped byte by byte like any string,
/// each incident's report built as structs and vectors first): at several gigabytes of report
/// that was most of the time spent writing it. The bytes are serde_json's: the same formatter
/// writes the layout and the numbers, and a string that needs escaping is escaped by
/// serde_json itself.
struct Out<'a, 'w> {
    w: &'a mut Chunked<'w>,
    f: Pretty,
    numbers: Numbers,
}

/// The text of numbers written lately, by their bits, in a table of fixed size where a
/// number takes the place of the one before it at its slot. A large report writes tens of
/// millions of numbers but few distinct ones (the weights of claims graded alike, P
/// unchanged by most removals, zeros): nine in ten are found here, and copying their text is
/// several times faster than writing the shortest digits again. The text is serde_json's,
/// kept as it wrote it.
struct Numbers {
    slots: Vec<Number>,
}

#[derive(Clone, Copy)]
struct Number {
    /// The `f64`'s bits; a NaN's (never written as a number) for an empty slot.
    bits: u64,
    len: u8,
    text: [u8; Number::MAX],
}

impl Number {
    /// The longest shortest form of an `f64`: `-2.2250738585072014e-308`.
    const MAX: usize = 24;
}

impl Numbers {
    const SLOTS_LOG2: u32 = 12;

    fn new() -> Numbers {
        let empty = Number {
            bits: f64::NAN.to_bits(),
            len: 0,
            text: [0; Number::MAX],
        };
        Numbers {
            slots: vec![empty; 1 << Self::SLOTS_LOG2],
        }
    }

    /// The text serde_json writes for `x` (finite), from the table or written into it: the
    /// slot's bytes, and how many of them are the text.
    #[inline]
    fn text(&mut self, f: &mut Pretty, x: f64) -> io::Result<(&[u8; Number::MAX], usize)> {
        debug_assert!(x.is_finite(), "a NaN would find an empty slot");
        let bits = x.to_bits();
        // Fibonacci hashing: the high bits of the product depend on every bit of the number.
        let slot = (bits.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - Self::SLOTS_LOG2)) as usize;
        let n = &mut self.slots[slot];
        if n.bits != bits {
            // Empty until written whole.
            n.bits = f64::NAN.to_bits();
            let mut rest = &mut n.text[..];
            f.write_f64(&mut rest, x)?;
            let room = rest.len();
            n.len = (Number::MAX - room) as u8;
            n.bits = bits;
        }
        Ok((&n.text, usize::from(n.len)))
    }
}

/// An object: `{`, then each field as `object!` lists them, then `}`.
macro_rules! object {
    ($o:ident, $first:literal => $v:expr $(, $key:literal => $rest:expr)* $(,)?) => {{
        $o.f.begin_object($o.w)?;
        $o.key(true, const { &Key::new(concat!("\"", $first, "\": ")) })?;
        $v?;
        $o.f.end_object_value($o.w)?;
        $(
            $o.key(false, const { &Key::new(concat!("\"", $key, "\": ")) })?;
            $rest?;
            $o.f.end_object_value($o.w)?;
        )*
        $o.f.close_into($o.w, b"}")
    }};
}

/// A key as written before its value (`"key": `), padded with spaces for
/// [`super::Chunked::padded`]: made at compile time, where a key too long fails the build.
struct Key {
    padded: [u8; Key::PADDED],
    len: usize,
}

impl Key {
    const PADDED: usize = 32;

    const fn new(quoted: &str) -> Key {
        let bytes = quoted.as_bytes();
        assert!(bytes.len() <= Key::PADDED, "a key longer than Key::PADDED");
        let mut padded = [b' '; Key::PADDED];
        let mut i = 0;
        while i < bytes.len() {
            padded[i] = bytes[i];
            i += 1;
        }
        Key {
            padded,
            len: bytes.len(),
        }
    }
}

impl Out<'_, '_> {
    /// A key of an object, with what serde_json writes around it (a key of attrib's own:
    /// nothing in it needs escaping).
    #[inline(always)]
    fn key(&mut self, first: bool, key: &Key) -> io::Result<()> {
        match self.f.break_padded(!first) {
            Some(line) => self.w.padded(line, (&key.padded, key.len)),
            None => {
                self.f.begin_object_key(self.w, first)?;
                self.w.write_all(&key.padded[..key.len])
            }
        }
    }

    /// A string, escaped as serde_json escapes it.
    fn str(&mut self, s: &str) -> io::Result<()> {
        self.w.json_str(s)
    }

    /// One of attrib's own words (a kind, a reason, a likelihood term): nothing in them needs
    /// escaping, so they are not looked through for what would.
    #[inline(always)]
    fn word(&mut self, s: &'static str) -> io::Result<()> {
        debug_assert!(!crate::escape::json::needs_escape(s));
        self.w.quoted(s.as_bytes())
    }

    fn opt_str(&mut self, s: Option<&str>) -> io::Result<()> {
        match s {
            Some(s) => self.str(s),
            None => self.f.write_null(self.w),
        }
    }

    /// A number at full precision (the shortest text that reads back to the same `f64`, so
    /// that other tools can check every number), as serde_json writes it: `null` when it is
    /// not finite, and a negative zero as 0.
    #[inline(always)]
    fn num(&mut self, x: f64) -> io::Result<()> {
        if x.is_finite() {
            let text = self
                .numbers
                .text(&mut self.f, if x == 0.0 { 0.0 } else { x })?;
            self.w.padded(text, (&[], 0))
        } else {
            self.f.write_null(self.w)
        }
    }

    fn count(&mut self, n: usize) -> io::Result<()> {
        self.f.write_u64(self.w, n as u64)
    }

    fn bool(&mut self, b: bool) -> io::Result<()> {
        self.f.write_bool(self.w, b)
    }

    /// An array of `items`, each written by `each`.
    fn array<T>(
        &mut self,
        items: impl IntoIterator<Item = T>,
        mut each: impl FnMut(&mut Self, T) -> io::Result<()>,
    ) -> io::Result<()> {
        self.f.begin_array(self.w)?;
        for (i, x) in items.into_iter().enumerate() {
            self.f.line_into(self.w, i != 0)?;
            each(self, x)?;
            self.f.end_array_value(self.w)?;
        }
        self.f.close_into(self.w, b"]")
    }

    /// An array of strings, on one line.
    fn strs<'s>(&mut self, items: impl IntoIterator<Item = &'s str>) -> io::Result<()> {
        self.f.flat();
        self.array(items, |o, s| o.str(s))
    }

    fn tally(&mut self, t: &Tally) -> io::Result<()> {
        let o = self;
        o.f.flat();
        object!(o,
            "direct" => o.count(t.direct),
            "same_as" => o.count(t.same_as),
            "chain" => o.count(t.chain),
            "competing" => o.count(t.competing),
            "inherited" => o.count(t.inherited),
        )
    }
}

fn entity_id(case: &Case, e: EntityId) -> &str {
    case.entity(e).id.as_str()
}

fn claim_id(case: &Case, c: ClaimId) -> &str {
    case.claim(c).id.as_str()
}

/// Writes the report, with the sensitivity tables the assessment holds (an empty table where
/// it holds none). Each incident is assessed when it is reached and written at once.
pub fn render(case: &Case, assessment: &Assessment, out: &mut dyn io::Write) -> io::Result<()> {
    let mut chunked = Chunked::new(out);
    let o = &mut Out {
        w: &mut chunked,
        f: Pretty::default(),
        numbers: Numbers::new(),
    };
    let as_of = super::information_date(case, assessment).map(|d| d.to_string());
    object!(o,
        "schema" => o.word(SCHEMA),
        "case" => { o.f.flat(); object!(o,
            "id" => o.opt_str(case.id.as_deref()),
            "title" => o.str(&case.title),
            "as_of" => o.opt_str(as_of.as_deref()),
            "prior" => o.num(assessment.scenario.prior.unwrap_or(case.prior)),
            "tlp" => o.opt_str(case.tlp),
        ) },
        "what_if" => {
            let lines = super::scenario_lines(case, &assessment.scenario);
            o.strs(lines.iter().map(String::as_str))
        },
        "incidents" => o.array(assessment.each(case), |o, ia| incident(o, case, assessment, &ia)),
    )?;
    chunked.write_all(b"\n")?;
    chunked.finish()
}

/// One incident's part of the report.
fn incident(
    o: &mut Out<'_, '_>,
    case: &Case,
    assessment: &Assessment,
    ia: &IncidentAssessment,
) -> io::Result<()> {
    let inc = case.incident(ia.incident);
    object!(o,
        "id" => o.str(&inc.id),
        "name" => o.str(&inc.name),
        "hypotheses" => o.array(&ia.hypotheses, |o, j| hypothesis(o, case, assessment, ia, j)),
        "echoes" => o.strs(ia.derivation.echoes.iter().map(|&c| claim_id(case, c))),
        "condemnations" => o.strs(ia.condemnations.iter().map(|&c| claim_id(case, c))),
    )
}

/// One hypothesis of an incident: a field per documented key.
// Kept whole: one line per documented field, in the documented order.
fn hypothesis(
    o: &mut Out<'_, '_>,
    case: &Case,
    assessment: &Assessment,
    ia: &IncidentAssessment,
    j: &Judgement,
) -> io::Result<()> {
    let e = case.entity(j.actor);
    let fused = ia.derivation.fused.get(&j.actor);
    let opinion = j.opinion();
    object!(o,
        "actor" => o.str(&e.id),
        "name" => o.str(&e.name),
        "kind" => o.word(e.kind.word()),
        "likelihood" => o.word(j.term_word()),
        "band" => match j.term() {
            Some(t) => {
                let (lo, hi) = t.band();
                o.f.flat();
                o.array([lo, hi], |o, x| o.num(x))
            }
            None => o.f.write_null(o.w),
        },
        "confidence" => o.word(j.confidence().word()),
        "p" => o.num(j.p()),
        "belief" => o.num(opinion.belief()),
        "disbelief" => o.num(opinion.disbelief()),
        "uncertainty" => o.num(opinion.uncertainty()),
        "prior" => o.num(j.prior),
        "mostly_prior" => o.bool(super::mostly_prior(j.prior, opinion, j.term())),
        "evidence" => { o.f.flat(); object!(o,
            "supporting" => o.num(j.r),
            "opposing" => o.num(j.s),
            "opposing_from_exclusive" => o.num(j.s_exclusive),
        ) },
        "lines_for" => o.count(j.lines),
        "lines_against" => o.count(j.lines_against),
        "strong_lines" => o.count(j.strong_lines),
        "lines_for_from" => o.tally(&j.lines_for_from),
        "lines_against_from" => o.tally(&j.lines_against_from),
        "competitors" => o.strs(j.competitors.iter().map(|&x| entity_id(case, x))),
        "inherited_from" => o.strs(j.inherited_from.iter().map(|&x| entity_id(case, x))),
        "only_because" => o.opt_str(super::borrowed_reason(case, j).as_deref()),
        "above_wholes" => o.array(super::wholes_below(case, assessment, ia, j), |o, (k, whole)| {
            let link = &assessment.links[k];
            o.f.flat();
            object!(o,
                "whole" => o.str(entity_id(case, whole.actor)),
                "whole_p" => o.num(whole.p()),
                "link_claims" => o.strs(link.claims.iter().map(|&c| claim_id(case, c))),
                "link_belief" => o.num(assessment.link_beliefs.get(k).copied().unwrap_or(0.0)),
                "why" => o.strs(super::Crossing::of(j, whole).words()),
            )
        }),
        "conflict" => o.num(j.conflict),
        "conflict_flagged" => o.bool(j.conflict_flagged()),
        "carriers" => o.strs(j.carriers.iter().map(|&c| claim_id(case, c))),
        "carried_via" => o.strs(j.carried_via.iter().map(|&c| claim_id(case, c))),
        "opposing" => o.strs(j.opposing.iter().map(|&c| claim_id(case, c))),
        "weightless" => o.array(&j.weightless, |o, (c, why)| { o.f.flat(); object!(o,
            "claim" => o.str(claim_id(case, *c)),
            "reason" => o.word(why.word()),
        ) }),
        "explanation" => object!(o,
            "lines" => o.array(fused.map_or(&[][..], |f| &f.lines[..]), |o, l| {
                line(o, case, &ia.derivation, j.actor, l)
            }),
            "contributions" => o.array(fused.map_or(&[][..], |f| &f.contributions[..]), |o, c| {
                contribution(o, case, assessment, c)
            }),
        ),
        "sensitivity" => o.array(j.sensitivity.iter().flatten(), |o, s| sensitivity(o, case, s)),
    )
}

/// A family's line on a hypothesis, each side traced back to where it starts.
fn line(
    o: &mut Out<'_, '_>,
    case: &Case,
    result: &Derivation,
    actor: EntityId,
    l: &crate::assess::Line,
) -> io::Result<()> {
    object!(o,
        "family" => o.str(case.family(l.family)),
        "supporting" => o.num(l.r),
        "opposing" => o.num(l.s),
        "strong" => o.bool(l.strong()),
        "supporting_from" => line_origin(o, case, result, actor, l, true),
        "opposing_from" => line_origin(o, case, result, actor, l, false),
    )
}

/// Where the strongest share of a side of a family's line starts and the actors it passed
/// through (`null` for a side with no evidence).
fn line_origin(
    o: &mut Out<'_, '_>,
    case: &Case,
    result: &Derivation,
    actor: EntityId,
    l: &crate::assess::Line,
    for_side: bool,
) -> io::Result<()> {
    let evidence = if for_side { l.r } else { l.s };
    if evidence.is_nan() || evidence <= 0.0 {
        return o.f.write_null(o.w);
    }
    let t = trace_line(result, actor, l, for_side);
    let kind = match t.origin {
        Origin::Direct(_) if t.path.len() > 1 => {
            if for_side {
                "chain"
            } else {
                "inherited"
            }
        }
        Origin::Competing { .. } if t.path.len() > 1 => "inherited",
        origin => origin.kind(),
    };
    let competitor = match t.origin {
        Origin::Competing { from } => Some(entity_id(case, from)),
        _ => None,
    };
    o.f.flat();
    object!(o,
        "kind" => o.word(kind),
        "claim" => o.opt_str(t.claim.map(|c| claim_id(case, c))),
        "competitor" => o.opt_str(competitor),
        "path" => o.strs(t.path.iter().map(|&x| entity_id(case, x))),
    )
}

/// A contribution, with the claims that carried it across a link or a pair.
fn contribution(
    o: &mut Out<'_, '_>,
    case: &Case,
    assessment: &Assessment,
    c: &crate::assess::Contribution,
) -> io::Result<()> {
    let (claim, link_claims, structural): (Option<&str>, &[ClaimId], bool) = match c.origin {
        Origin::Direct(id) => (Some(claim_id(case, id)), &[], false),
        Origin::Chain { link: k, .. } | Origin::Inherited { link: k, .. } => {
            let l = &assessment.links[k];
            (None, &l.claims, l.structural)
        }
        Origin::SameAs { pair, .. } => (None, &assessment.pairs[pair].claims, false),
        Origin::Competing { .. } => (None, &[], false),
    };
    let opinion = c.opinion(&assessment.claims);
    object!(o,
        "kind" => o.word(c.origin.kind()),
        "claim" => o.opt_str(claim),
        "from" => o.opt_str(c.origin.from().map(|e| entity_id(case, e))),
        "link_claims" => o.strs(link_claims.iter().map(|&c| claim_id(case, c))),
        "structural" => o.bool(structural),
        "belief" => o.num(opinion.belief()),
        "disbelief" => o.num(opinion.disbelief()),
        "uncertainty" => o.num(opinion.uncertainty()),
        "supporting" => o.num(c.r),
        "opposing" => o.num(c.s),
        "shares" => o.array(&c.shares, |o, sh| { o.f.flat(); object!(o,
            "family" => o.str(case.family(sh.family)),
            "supporting" => o.num(sh.r),
            "opposing" => o.num(sh.s),
            "strong" => o.bool(sh.strong),
        ) }),
    )
}

/// One row of a sensitivity table.
fn sensitivity(o: &mut Out<'_, '_>, case: &Case, s: &crate::assess::Sensitivity) -> io::Result<()> {
    let (item, id) = match s.item {
        Removal::Claim(c) => ("claim", claim_id(case, c)),
        Removal::Source(src) => ("source", case.source(src).id.as_str()),
        Removal::Family(f) => ("line", case.family(f)),
    };
    o.f.flat();
    object!(o,
        "item" => o.word(item),
        "id" => o.str(id),
        "p_without" => o.num(s.p),
        "delta_p" => o.num(s.delta),
        "likelihood_without" => o.word(s.term.map_or("insufficient evidence", |t| t.word())),
        "confidence_without" => o.word(s.confidence.word()),
        "pivotal" => o.bool(s.pivotal),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// Numbers read from the table are the text serde_json writes for them: numbers that
        /// come back (found), that share a slot with others (replaced), and any `f64` at all.
        #[test]
        fn remembered_numbers_are_written_as_serde_json_writes_them(
            pool in proptest::collection::vec(proptest::num::f64::POSITIVE
                | proptest::num::f64::NEGATIVE | proptest::num::f64::NORMAL
                | proptest::num::f64::SUBNORMAL | proptest::num::f64::ZERO, 1..6000),
            picks in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..20000),
        ) {
            let mut numbers = Numbers::new();
            let mut f = Pretty::default();
            for x in pool.iter().copied().chain(picks.iter().map(|i| pool[i.index(pool.len())])) {
                let (bytes, len) = numbers.text(&mut f, x).unwrap();
                let ours = bytes[..len].to_vec();
                proptest::prop_assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    serde_json::to_string(&x).unwrap()
                );
            }
        }
    }

    #[test]
    fn the_longest_numbers_and_negative_zero_are_written_whole() {
        let mut numbers = Numbers::new();
        let mut f = Pretty::default();
        for x in [
            -2.2250738585072014e-308,
            f64::MIN,
            -f64::MIN_POSITIVE,
            -5e-324,
            -1.2345678901234567e-100,
            -0.000012345678901234568,
            -0.0,
        ] {
            let text = {
                let (bytes, len) = numbers.text(&mut f, x).unwrap();
                bytes[..len].to_vec()
            };
            assert_eq!(
                String::from_utf8(text).unwrap(),
                serde_json::to_string(&x).unwrap()
            );
        }
    }
}
