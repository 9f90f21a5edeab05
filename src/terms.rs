//! The wording tables analysts speak: ICD 203 and UK PHIA likelihood terms, Admiralty grades
//! and credibility, and analytic confidence levels.
//!
//! Every number here is documented in `docs/model.md` with its source. Inputs are read through
//! these tables; outputs are worded only with the ICD 203 table ([`IcdTerm::from_probability`]),
//! never through STIX's differing "DNI" bands.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How far past an edge (a band's, or a confidence level's bound on uncertainty) a computed
/// probability or uncertainty may fall and still be read at the edge. In exact arithmetic a
/// P can sit on an edge (a source trusted 4/5 calling it "almost no chance" gives P = 0.2);
/// floating point can put it an ulp or two past (0.19999999999999993), which would word it by
/// the band below, and the same evidence reached another way by the band above. A thousand
/// times the error of the arithmetic, and far below any difference evidence makes.
pub const EDGE_SLACK: f64 = 1e-12;

/// Whether `x` is at `edge` or above it, within [`EDGE_SLACK`].
pub fn at_or_above(x: f64, edge: f64) -> bool {
    x >= edge - EDGE_SLACK
}

/// Whether `x` is at `edge` or below it, within [`EDGE_SLACK`].
pub fn at_or_below(x: f64, edge: f64) -> bool {
    x <= edge + EDGE_SLACK
}

/// An ICD 203 likelihood term (row 1 of the directive's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IcdTerm {
    /// 1–5 %.
    AlmostNoChance,
    /// 5–20 %.
    VeryUnlikely,
    /// 20–45 %.
    Unlikely,
    /// 45–55 %.
    RoughlyEvenChance,
    /// 55–80 %.
    Likely,
    /// 80–95 %.
    VeryLikely,
    /// 95–99 %.
    AlmostCertain,
}

/// ICD 203 terms with both rows' wordings, their band and the band midpoint used as a stated
/// probability.
const ICD: [(IcdTerm, &str, &str, f64, f64); 7] = [
    (
        IcdTerm::AlmostNoChance,
        "almost no chance",
        "remote",
        0.01,
        0.05,
    ),
    (
        IcdTerm::VeryUnlikely,
        "very unlikely",
        "highly improbable",
        0.05,
        0.20,
    ),
    (IcdTerm::Unlikely, "unlikely", "improbable", 0.20, 0.45),
    (
        IcdTerm::RoughlyEvenChance,
        "roughly even chance",
        "roughly even odds",
        0.45,
        0.55,
    ),
    (IcdTerm::Likely, "likely", "probable", 0.55, 0.80),
    (
        IcdTerm::VeryLikely,
        "very likely",
        "highly probable",
        0.80,
        0.95,
    ),
    (
        IcdTerm::AlmostCertain,
        "almost certain",
        "nearly certain",
        0.95,
        0.99,
    ),
];

impl IcdTerm {
    /// Every term, from least to most likely.
    pub const ALL: [IcdTerm; 7] = [
        IcdTerm::AlmostNoChance,
        IcdTerm::VeryUnlikely,
        IcdTerm::Unlikely,
        IcdTerm::RoughlyEvenChance,
        IcdTerm::Likely,
        IcdTerm::VeryLikely,
        IcdTerm::AlmostCertain,
    ];

    fn row(self) -> &'static (IcdTerm, &'static str, &'static str, f64, f64) {
        &ICD[self as usize]
    }

    /// The row-1 wording ("very likely").
    pub fn word(self) -> &'static str {
        self.row().1
    }

    /// The term as what a hypothesis is: "is very likely", but "has almost no chance" and "has
    /// a roughly even chance", the two terms that are nouns.
    pub fn predicate(self) -> &'static str {
        match self {
            IcdTerm::AlmostNoChance => "has almost no chance",
            IcdTerm::VeryUnlikely => "is very unlikely",
            IcdTerm::Unlikely => "is unlikely",
            IcdTerm::RoughlyEvenChance => "has a roughly even chance",
            IcdTerm::Likely => "is likely",
            IcdTerm::VeryLikely => "is very likely",
            IcdTerm::AlmostCertain => "is almost certain",
        }
    }

    /// [`IcdTerm::predicate`] of a judgement, which may have no term: "rests on insufficient
    /// evidence".
    pub fn predicate_of(term: Option<IcdTerm>) -> &'static str {
        term.map_or("rests on insufficient evidence", IcdTerm::predicate)
    }

    /// The band as the directive prints it, e.g. `80-95 %`.
    pub fn band(self) -> (f64, f64) {
        let r = self.row();
        (r.3, r.4)
    }

    /// The band midpoint, the probability a statement in this term is read as.
    pub fn midpoint(self) -> f64 {
        match self {
            // The published midpoints (docs/model.md); 0.03 and 0.97 are the midpoints
            // of 1–5 % and 95–99 %.
            IcdTerm::AlmostNoChance => 0.03,
            IcdTerm::VeryUnlikely => 0.125,
            IcdTerm::Unlikely => 0.325,
            IcdTerm::RoughlyEvenChance => 0.5,
            IcdTerm::Likely => 0.675,
            IcdTerm::VeryLikely => 0.875,
            IcdTerm::AlmostCertain => 0.97,
        }
    }

    /// Reads a term in either row of the table, in any case, and the directive's adverbs
    /// ("almost certainly", "probably", "improbably") as their terms.
    pub fn parse(text: &str) -> Option<IcdTerm> {
        // A term written as the table has it is read without normalising it (every claim of a
        // large case has one).
        if let Some(row) = ICD.iter().find(|row| row.1 == text || row.2 == text) {
            return Some(row.0);
        }
        let t = normalise(text);
        // The directive's adverbs: "almost certain(ly)", "improbable (improbably)",
        // "probable (probably)".
        let t = match t.as_str() {
            "probably" => "probable",
            "improbably" => "improbable",
            t => t
                .strip_suffix("ly")
                .filter(|s| s.ends_with("certain"))
                .unwrap_or(t),
        };
        ICD.iter()
            .find(|row| row.1 == t || row.2 == t)
            .map(|row| row.0)
    }

    /// Words a probability with the ICD 203 table. The directive's bands share their edges
    /// (5, 20, 45, 55, 80, 95 %); attrib's convention is half-open bands closed below: an edge
    /// belongs to the band above it, so 0.80 is "very likely" and 0.95 "almost certain" (and
    /// so is a P that arithmetic put within [`EDGE_SLACK`] below the edge).
    /// Probabilities under 1 % or over 99 % take the outermost terms (the scale never reaches 0
    /// or 100 %).
    pub fn from_probability(p: f64) -> IcdTerm {
        ICD.iter()
            .rev()
            .find(|row| at_or_above(p, row.3))
            .map_or(IcdTerm::AlmostNoChance, |row| row.0)
    }

    /// All accepted spellings, for "did you mean" hints.
    pub fn spellings() -> impl Iterator<Item = &'static str> {
        ICD.iter().flat_map(|row| [row.1, row.2])
    }

    /// The directive's word for each term, one per term: for a hint from the beginning of a
    /// term (`roughly even` begins two spellings of one term).
    pub fn words() -> impl Iterator<Item = &'static str> {
        ICD.iter().map(|row| row.1)
    }
}

impl fmt::Display for IcdTerm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// [`IcdTerm::parse`], for `"very likely".parse::<IcdTerm>()`.
impl std::str::FromStr for IcdTerm {
    type Err = String;
    fn from_str(text: &str) -> Result<IcdTerm, String> {
        IcdTerm::parse(text).ok_or_else(|| format!("`{text}` is not an ICD 203 likelihood term"))
    }
}

/// UK Professional Head of Intelligence Assessment (PHIA) yardstick: term, midpoint of its band.
const PHIA: [(&str, f64); 7] = [
    ("remote chance", 0.025),
    ("highly unlikely", 0.15),
    ("unlikely", 0.30),
    ("realistic possibility", 0.45),
    ("likely", 0.65),
    ("highly likely", 0.85),
    ("almost certain", 0.975),
];

/// The probability a PHIA term is read as (midpoint of its band); "probably" and "almost
/// certainly" are accepted as the yardstick uses them in prose.
pub fn phia_probability(text: &str) -> Option<f64> {
    if let Some(row) = PHIA.iter().find(|row| row.0 == text) {
        return Some(row.1);
    }
    let t = normalise(text);
    let t = match t.as_str() {
        "probably" | "probable" => "likely",
        "almost certainly" => "almost certain",
        "highly probable" => "highly likely",
        other => other,
    };
    PHIA.iter().find(|row| row.0 == t).map(|row| row.1)
}

/// Whether a PHIA term is "realistic possibility": a term governments use to float an
/// attribution, whose band lies below even chance, so that the model reads it as slight doubt
/// (`docs/model.md`, "weaker support").
pub fn is_phia_hedge(text: &str) -> bool {
    normalise(text) == "realistic possibility"
}

/// All accepted PHIA spellings, for hints.
pub fn phia_spellings() -> impl Iterator<Item = &'static str> {
    PHIA.iter().map(|row| row.0)
}

/// The probability an Admiralty information-credibility code 1–5 is read as; 6 ("truth cannot
/// be judged") gives none.
pub fn admiralty_probability(code: i64) -> Option<f64> {
    match code {
        1 => Some(0.9),
        2 => Some(0.7),
        3 => Some(0.5),
        4 => Some(0.3),
        5 => Some(0.1),
        _ => None,
    }
}

/// Admiralty (NATO) source-reliability grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

impl Grade {
    /// Every grade, from most to least reliable.
    pub const ALL: [Grade; 6] = [Grade::A, Grade::B, Grade::C, Grade::D, Grade::E, Grade::F];

    /// The notional track record `(valid, invalid)` a grade stands for.
    pub fn track_record(self) -> (f64, f64) {
        match self {
            Grade::A => (38.0, 0.0),
            Grade::B => (8.0, 1.0),
            Grade::C => (4.0, 2.0),
            Grade::D => (2.0, 3.0),
            Grade::E => (0.0, 8.0),
            Grade::F => (0.0, 0.0),
        }
    }

    /// The grade's meaning in the Admiralty table.
    pub fn meaning(self) -> &'static str {
        match self {
            Grade::A => "completely reliable",
            Grade::B => "usually reliable",
            Grade::C => "fairly reliable",
            Grade::D => "not usually reliable",
            Grade::E => "unreliable",
            Grade::F => "reliability cannot be judged",
        }
    }

    /// A grade from its letter, in either case; `None` for anything else.
    pub fn parse(text: &str) -> Option<Grade> {
        match text.trim().to_ascii_uppercase().as_str() {
            "A" => Some(Grade::A),
            "B" => Some(Grade::B),
            "C" => Some(Grade::C),
            "D" => Some(Grade::D),
            "E" => Some(Grade::E),
            "F" => Some(Grade::F),
            _ => None,
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// [`Grade::parse`], for `"B".parse::<Grade>()`.
impl std::str::FromStr for Grade {
    type Err = String;
    fn from_str(text: &str) -> Result<Grade, String> {
        Grade::parse(text).ok_or_else(|| format!("`{text}` is not an Admiralty grade (A–F)"))
    }
}

/// Analytic confidence, stated by a source for its claim or reported by attrib for a judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Confidence {
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// High.
    High,
}

/// The uncertainty a likelihood carries of itself (model §2): 2·min(p, 1 − p), of p clamped
/// into [0.01, 0.99]; a stated confidence can only raise it ([`Confidence::min_uncertainty`]).
pub fn term_spread(p: f64) -> f64 {
    let p = p.clamp(0.01, 0.99);
    2.0 * p.min(1.0 - p)
}

impl Confidence {
    /// The least uncertainty a claim stated at this confidence carries (model §2).
    pub fn min_uncertainty(self) -> f64 {
        match self {
            Confidence::High => 0.10,
            Confidence::Moderate => 0.25,
            Confidence::Low => 0.50,
        }
    }

    /// The level as reports word it.
    pub fn word(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Moderate => "moderate",
            Confidence::Low => "low",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A term and a grade read through `str::parse`, as `parse` reads them.
    #[test]
    fn terms_and_grades_parse_from_str() {
        assert_eq!("highly probable".parse(), Ok(IcdTerm::VeryLikely));
        assert!("sure".parse::<IcdTerm>().unwrap_err().contains("`sure`"));
        assert_eq!("b".parse(), Ok(Grade::B));
        assert!("G".parse::<Grade>().is_err());
    }

    #[test]
    fn icd_terms_parse_in_both_rows() {
        assert_eq!(IcdTerm::parse("Very Likely"), Some(IcdTerm::VeryLikely));
        assert_eq!(IcdTerm::parse("highly probable"), Some(IcdTerm::VeryLikely));
        assert_eq!(
            IcdTerm::parse("almost certainly"),
            Some(IcdTerm::AlmostCertain)
        );
        assert_eq!(IcdTerm::parse("remote"), Some(IcdTerm::AlmostNoChance));
        assert_eq!(IcdTerm::parse("highly likely"), None);
        assert_eq!(IcdTerm::parse("probably"), Some(IcdTerm::Likely));
        assert_eq!(IcdTerm::parse("Improbably"), Some(IcdTerm::Unlikely));
        assert_eq!(IcdTerm::parse("highly probably"), None);
        assert_eq!(
            IcdTerm::parse("nearly certainly"),
            Some(IcdTerm::AlmostCertain)
        );
    }

    #[test]
    fn band_edges_belong_to_the_band_above() {
        let cases = [
            (0.0, IcdTerm::AlmostNoChance),
            (0.0499, IcdTerm::AlmostNoChance),
            (0.05, IcdTerm::VeryUnlikely),
            (0.1999, IcdTerm::VeryUnlikely),
            (0.20, IcdTerm::Unlikely),
            (0.45, IcdTerm::RoughlyEvenChance),
            (0.5499, IcdTerm::RoughlyEvenChance),
            (0.55, IcdTerm::Likely),
            (0.7999, IcdTerm::Likely),
            (0.80, IcdTerm::VeryLikely),
            (0.9499, IcdTerm::VeryLikely),
            (0.95, IcdTerm::AlmostCertain),
            (1.0, IcdTerm::AlmostCertain),
        ];
        for (p, term) in cases {
            assert_eq!(IcdTerm::from_probability(p), term, "p = {p}");
        }
    }

    /// A P arithmetic puts an ulp or two below an edge is read at the edge: a trust of 4/5 on
    /// "almost no chance" is P = 0.2 exactly, computed as 0.19999999999999993.
    #[test]
    fn a_probability_an_ulp_below_an_edge_is_read_at_it() {
        for row in ICD.iter().skip(1) {
            let edge = row.3;
            let below = f64::from_bits(edge.to_bits() - 2);
            assert_eq!(IcdTerm::from_probability(below), row.0, "{below}");
            assert_ne!(IcdTerm::from_probability(edge - 1e-9), row.0, "{edge}");
        }
        assert_eq!(
            IcdTerm::from_probability(0.19999999999999993),
            IcdTerm::Unlikely
        );
    }

    #[test]
    fn midpoints_lie_in_their_bands() {
        for t in IcdTerm::ALL {
            assert_eq!(IcdTerm::from_probability(t.midpoint()), t);
        }
    }

    #[test]
    fn phia_midpoints() {
        assert_eq!(phia_probability("almost certainly"), Some(0.975));
        assert_eq!(phia_probability("Realistic  possibility"), Some(0.45));
        assert_eq!(phia_probability("very likely"), None);
    }

    #[test]
    fn grade_trust_probabilities_match_the_model() {
        // P_trust = (r + a·W)/(r + s + W) with a = 0.5, W = 2 (model §3).
        let expect = [0.975, 0.8182, 0.625, 0.4286, 0.10, 0.50];
        for (g, p) in Grade::ALL.iter().zip(expect) {
            let (r, s) = g.track_record();
            let pt = (r + 1.0) / (r + s + 2.0);
            assert!((pt - p).abs() < 1e-4, "{g}: {pt} vs {p}");
        }
    }
}
