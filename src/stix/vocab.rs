//! The standard words the STIX export speaks and the import reads back: OpenCTI's accepted
//! relationship types, MISP taxonomy labels (`estimative-language`, `admiralty-scale`) and the
//! few plain labels that name what an object is in the case.

use crate::format::{ClaimFile, Likelihood, Relation, SourceKind};
use crate::terms::{Confidence, Grade, IcdTerm};

/// A `note` of an actor about its own responsibility, or of an interested party about who did it.
pub const SELF_CLAIM: &str = "claim-of-responsibility";
/// A `note` of a source condemning an incident without naming anyone.
pub const CONDEMNATION: &str = "condemnation";
/// A `note` saying a claim restates others (circular reporting).
pub const RESTATES: &str = "restatement";
/// An `opinion` of attrib: a computed judgement.
pub const JUDGEMENT: &str = "attrib-judgement";
/// A `grouping` of an incident and hypotheses that exclude each other.
pub const EXCLUSIVE: &str = "competing-hypotheses";

/// The relationship type OpenCTI accepts for "the incident (or campaign) is the doing of this
/// actor" between these STIX types, if any (`stixCoreRelationshipsMapping`).
pub fn attribution_type(from: &str, to: &str) -> Option<&'static str> {
    match (from, to) {
        ("incident", "campaign" | "intrusion-set" | "threat-actor") => Some("attributed-to"),
        ("campaign", "intrusion-set" | "threat-actor") => Some("attributed-to"),
        _ => None,
    }
}

/// The relationship type OpenCTI accepts for "responsibility of `from` is responsibility of
/// `to`" between these STIX types, if any.
pub fn link_type(from: &str, to: &str, _same: bool) -> Option<&'static str> {
    match (from, to) {
        ("intrusion-set" | "campaign", "threat-actor") => Some("attributed-to"),
        ("campaign", "intrusion-set") => Some("attributed-to"),
        ("threat-actor", "identity") => Some("attributed-to"),
        ("intrusion-set", "intrusion-set") | ("threat-actor", "threat-actor") => Some("part-of"),
        _ => None,
    }
}

fn kebab(s: &str) -> String {
    s.replace(' ', "-")
}

/// The label attrib writes for a likelihood term.
pub fn likelihood_label(t: IcdTerm) -> String {
    format!(
        "estimative-language:likelihood-probability=\"{}\"",
        kebab(t.word())
    )
}

/// The label attrib writes for a confidence level.
pub fn confidence_label(c: Confidence) -> String {
    format!(
        "estimative-language:confidence-in-analytic-judgment=\"{}\"",
        c.word()
    )
}

/// The label attrib writes for a reliability grade.
pub fn reliability_label(g: Grade) -> String {
    format!(
        "admiralty-scale:source-reliability=\"{}\"",
        g.to_string().to_lowercase()
    )
}

fn credibility_label(n: i64) -> String {
    format!("admiralty-scale:information-credibility=\"{n}\"")
}

/// The label attrib writes for a dependence family.
pub fn family_label(family: &str) -> String {
    format!("source-family:{family}")
}

/// The label attrib writes for a relation.
pub fn relation_label(r: Relation) -> String {
    format!("relation:{}", kebab(r.phrase()))
}

/// Labels stating a claim's likelihood and confidence on the MISP scales, when it used them.
pub fn claim_labels(c: &ClaimFile) -> Vec<String> {
    let mut out = Vec::new();
    match &c.likelihood {
        Some(Likelihood::Icd(t)) => out.extend(IcdTerm::parse(t).map(likelihood_label)),
        Some(Likelihood::Admiralty(n)) => out.push(credibility_label(*n)),
        _ => {}
    }
    if let Some(conf) = c.confidence {
        out.push(confidence_label(conf));
    }
    out
}

/// The five-point STIX opinion a probability amounts to, along the ICD 203 bands.
pub fn opinion_word(p: f64) -> &'static str {
    // Each edge read within the arithmetic's error, as the likelihood's bands are
    // (`terms::EDGE_SLACK`): a P of 0.2 computed a hair below is on the edge.
    use crate::terms::{at_or_above, at_or_below};
    if !at_or_above(p, 0.20) {
        "strongly-disagree"
    } else if !at_or_above(p, 0.45) {
        "disagree"
    } else if at_or_below(p, 0.55) {
        "neutral"
    } else if !at_or_above(p, 0.80) {
        "agree"
    } else {
        "strongly-agree"
    }
}

/// Whether a five-point opinion word disagrees (`disagree`, `strongly-disagree`).
pub fn disagrees(word: &str) -> bool {
    word.ends_with("disagree")
}

/// The `confidence` of an opinion of probability `p` ([`opinion_word`]): the opiner's
/// confidence in its opinion, that the attribution is false when it disagrees, else that it is
/// true; `import stix` reads it back the same way.
///
/// A whole percent, rounded, unless rounding crosses into another ICD 203 band than `p`'s:
/// P 0.798 ("likely") rounds to 80, which reads back as 0.80, "very likely"; it is 79 then.
pub fn opinion_confidence(p: f64) -> i64 {
    let disagree = disagrees(opinion_word(p));
    let side = if disagree { 1.0 - p } else { p };
    // As `import stix` reads it: `100 - c` percent for a disagreement.
    let read = |c: i64| (if disagree { 100 - c } else { c }) as f64 / 100.0;
    let term = IcdTerm::from_probability(p);
    let rounded = (side * 100.0).round() as i64;
    [
        rounded,
        (side * 100.0).floor() as i64,
        (side * 100.0).ceil() as i64,
    ]
    .into_iter()
    .find(|&c| IcdTerm::from_probability(read(c)) == term)
    .unwrap_or(rounded)
}

/// The `confidence` of an opinion that has no basis: 0, "None" on the None/Low/Med/High scale
/// of STIX 2.1's confidence appendix. attrib states it with `neutral` for a judgement on
/// insufficient evidence ([`judgement_opinion`]), and `import stix` reads an opinion with this
/// confidence as stating no likelihood (an even chance), whatever its word. It cannot be
/// mistaken for a committed opinion's: [`opinion_confidence`] is never below 45.
pub const NO_BASIS: i64 = 0;

/// The five-point opinion and the `confidence` of attrib's judgement of probability `p` and
/// likelihood `term`: as any opinion of probability `p` ([`opinion_word`],
/// [`opinion_confidence`]), but `neutral` with [`NO_BASIS`] when the evidence is insufficient
/// for a term (`term` is `None`), whatever `p`: attrib then neither agrees nor disagrees.
pub fn judgement_opinion(p: f64, term: Option<IcdTerm>) -> (&'static str, i64) {
    match term {
        Some(_) => (opinion_word(p), opinion_confidence(p)),
        None => ("neutral", NO_BASIS),
    }
}

/// The probability a five-point opinion is read as when nothing more precise is stated.
pub fn opinion_probability(word: &str) -> Option<f64> {
    Some(match word {
        "strongly-disagree" => IcdTerm::AlmostNoChance.midpoint(),
        "disagree" => IcdTerm::Unlikely.midpoint(),
        "neutral" => 0.5,
        "agree" => IcdTerm::Likely.midpoint(),
        "strongly-agree" => IcdTerm::VeryLikely.midpoint(),
        _ => return None,
    })
}

/// The STIX industry sector of a kind of source, if any.
pub fn sector(kind: SourceKind) -> Option<&'static str> {
    match kind {
        SourceKind::Government => Some("government-national"),
        SourceKind::Alliance => Some("government"),
        SourceKind::Vendor => Some("technology"),
        SourceKind::Media => Some("communications"),
        _ => None,
    }
}

fn value_of<'a>(label: &'a str, prefix: &str) -> Option<&'a str> {
    label.strip_prefix(prefix).map(|v| v.trim_matches('"'))
}

/// A likelihood term from its label.
pub fn parse_likelihood(label: &str) -> Option<IcdTerm> {
    value_of(label, "estimative-language:likelihood-probability=")
        .and_then(|v| IcdTerm::parse(&v.replace('-', " ")))
}

/// A confidence level from its label.
pub fn parse_confidence(label: &str) -> Option<Confidence> {
    match value_of(
        label,
        "estimative-language:confidence-in-analytic-judgment=",
    )? {
        "low" => Some(Confidence::Low),
        "moderate" => Some(Confidence::Moderate),
        "high" => Some(Confidence::High),
        _ => None,
    }
}

/// A reliability grade from its label.
pub fn parse_reliability(label: &str) -> Option<Grade> {
    value_of(label, "admiralty-scale:source-reliability=").and_then(Grade::parse)
}

/// An Admiralty credibility (1–6) from its label.
pub fn parse_credibility(label: &str) -> Option<i64> {
    value_of(label, "admiralty-scale:information-credibility=")?
        .parse()
        .ok()
        .filter(|n| (1..=6).contains(n))
}

/// A dependence family from its label.
pub fn parse_family(label: &str) -> Option<&str> {
    label
        .strip_prefix("source-family:")
        .filter(|f| !f.is_empty())
}

/// A relation from its label.
pub fn parse_relation(label: &str) -> Option<Relation> {
    let phrase = label.strip_prefix("relation:")?.replace('-', " ");
    Relation::ALL.into_iter().find(|r| r.phrase() == phrase)
}

/// OpenCTI's `x_opencti_reliability` ("B - Usually reliable") as a grade.
pub fn opencti_reliability(text: &str) -> Option<Grade> {
    let first = text.trim().split([' ', '-']).next()?;
    Grade::parse(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_back_to_what_they_say() {
        for t in IcdTerm::ALL {
            assert_eq!(parse_likelihood(&likelihood_label(t)), Some(t));
        }
        for c in [Confidence::Low, Confidence::Moderate, Confidence::High] {
            assert_eq!(parse_confidence(&confidence_label(c)), Some(c));
        }
        for g in Grade::ALL {
            assert_eq!(parse_reliability(&reliability_label(g)), Some(g));
        }
        for r in Relation::ALL {
            assert_eq!(parse_relation(&relation_label(r)), Some(r));
        }
        assert_eq!(parse_credibility(&credibility_label(2)), Some(2));
        assert_eq!(parse_family(&family_label("us-gov")), Some("us-gov"));
        assert_eq!(opencti_reliability("B - Usually reliable"), Some(Grade::B));
        assert_eq!(opencti_reliability("nonsense"), None);
    }

    #[test]
    fn only_accepted_relationship_types_are_chosen() {
        assert_eq!(attribution_type("incident", "identity"), None);
        assert_eq!(link_type("threat-actor", "intrusion-set", false), None);
        assert_eq!(
            attribution_type("incident", "campaign"),
            Some("attributed-to")
        );
        assert_eq!(opinion_word(0.03), "strongly-disagree");
        assert_eq!(opinion_word(0.97), "strongly-agree");
    }

    /// An opinion's confidence is on the side it takes: a judgement of P 0.01 strongly
    /// disagrees with 99, not 1; a "realistic possibility" (0.45) is neutral and reads as 45,
    /// not 55; and reading it as `import stix` does gives back P, to the percent.
    #[test]
    fn an_opinions_confidence_is_on_its_own_side() {
        assert_eq!(
            (opinion_word(0.01), opinion_confidence(0.01)),
            ("strongly-disagree", 99)
        );
        assert_eq!(
            (opinion_word(0.45), opinion_confidence(0.45)),
            ("neutral", 45)
        );
        assert_eq!(
            (opinion_word(0.93), opinion_confidence(0.93)),
            ("strongly-agree", 93)
        );
        for k in 0..=1000 {
            let p = f64::from(k) / 1000.0;
            let n = opinion_confidence(p);
            assert!(n >= 45 && n != NO_BASIS, "{p}");
            let read = if disagrees(opinion_word(p)) {
                100 - n
            } else {
                n
            };
            let back = f64::from(read as i32) / 100.0;
            // To the percent, or a percent more where rounding would cross a band edge.
            assert!((back - p).abs() <= 0.01 + 1e-12, "{p}");
            assert_eq!(
                IcdTerm::from_probability(back),
                IcdTerm::from_probability(p),
                "{p} read back as {back}"
            );
        }
        // Just below an edge, read back below it: P 0.798 is likely, 80 would be very likely.
        assert_eq!(opinion_confidence(0.798), 79);
        assert_eq!(opinion_confidence(0.7996), 79);
        assert_eq!(opinion_confidence(0.1996), 81);
        assert_eq!(opinion_confidence(0.8), 80);
    }

    /// A judgement on insufficient evidence is neutral, with no basis, whatever its P: a P
    /// of 0.1 or 0.45 with no likelihood term does not disagree. A judgement with a term is
    /// an opinion of its P like any other.
    #[test]
    fn a_judgement_without_a_term_neither_agrees_nor_disagrees() {
        for p in [0.0, 0.1, 0.449, 0.5, 0.53, 0.9, 1.0] {
            assert_eq!(judgement_opinion(p, None), ("neutral", NO_BASIS), "{p}");
        }
        assert_eq!(
            judgement_opinion(0.1, Some(IcdTerm::VeryUnlikely)),
            ("strongly-disagree", 90)
        );
        assert_eq!(
            judgement_opinion(0.9, Some(IcdTerm::VeryLikely)),
            ("strongly-agree", 90)
        );
    }
}
