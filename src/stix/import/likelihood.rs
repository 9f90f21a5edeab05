//! The likelihood and confidence a claim states, read from a relationship's labels and
//! `confidence`, or from an opinion's five words.

use super::*;

/// The likelihood and the confidence a statement states, as a claim holds them.
pub(super) type Stated = (Option<Likelihood>, Option<Confidence>);

/// What a statement's labels say that is not read as written: a label of a known vocabulary
/// whose value is none of it (`likelihood-probability="maybe"`, credibility 7), labels that
/// disagree (the first is read), a credibility beside a likelihood label (the likelihood is
/// read), and an estimative-language label and `confidence` (read as a probability) in
/// different ICD 203 terms (the label is read: a label that turns a confidence of 80 into
/// "almost no chance" would otherwise turn support into a denial unseen; attrib's own exports
/// write both alike).
pub(super) fn label_warnings(o: &Obj, sid: &str, reading: ConfidenceReading) -> Vec<String> {
    const VOCABULARIES: [(&str, &str); 3] = [
        (
            "estimative-language:likelihood-probability=",
            "an ICD 203 likelihood term",
        ),
        (
            "admiralty-scale:information-credibility=",
            "an Admiralty credibility 1 to 6",
        ),
        (
            "estimative-language:confidence-in-analytic-judgment=",
            "a confidence (low, moderate, high)",
        ),
    ];
    let sid = shortened(sid);
    let ls = labels(o);
    let mut out = Vec::new();
    for l in &ls {
        let readable = vocab::parse_likelihood(l).is_some()
            || vocab::parse_credibility(l).is_some()
            || vocab::parse_confidence(l).is_some();
        if let Some((_, what)) = VOCABULARIES.iter().find(|(p, _)| l.starts_with(p))
            && !readable
        {
            out.push(format!(
                "{sid}: label {} is not {what}; not read",
                shortened(l)
            ));
        }
    }
    let terms: Vec<(&str, crate::terms::IcdTerm)> = (ls.iter())
        .filter_map(|l| Some((*l, vocab::parse_likelihood(l)?)))
        .collect();
    if let Some((first, t)) = terms.first()
        && let Some((other, _)) = terms.iter().find(|(_, u)| u != t)
    {
        out.push(format!(
            "{sid}: labels {} and {} disagree; the first is read",
            shortened(first),
            shortened(other)
        ));
    }
    let credibility = ls.iter().find(|l| vocab::parse_credibility(l).is_some());
    if let (Some((first, _)), Some(c)) = (terms.first(), credibility) {
        out.push(format!(
            "{sid}: label {} states a likelihood and {} a credibility; the likelihood is read",
            shortened(first),
            shortened(c)
        ));
    }
    let confidence = o
        .get("confidence")
        .and_then(Value::as_i64)
        .filter(|n| (0..=100).contains(n));
    if let (Some((_, term)), Some(n)) = (terms.first(), confidence) {
        let read = crate::terms::IcdTerm::from_probability(n as f64 / 100.0);
        if reading == ConfidenceReading::Probability && read != *term {
            out.push(format!(
                "{sid}: its label says \"{}\" but its `confidence` {n} reads as \"{}\"; the \
                 label is read",
                term.word(),
                read.word()
            ));
        }
    }
    out
}

/// A likelihood from a STIX `confidence` and the labels next to it.
pub(super) fn likelihood_of(
    o: &Obj,
    sid: &str,
    reading: ConfidenceReading,
) -> Result<Stated, ImportError> {
    // Checked first: a label that states the likelihood does not make `confidence: 150` valid.
    let stated = stix_confidence(o, sid)?;
    let ls = labels(o);
    let confidence = ls.iter().find_map(|l| vocab::parse_confidence(l));
    if let Some(t) = ls.iter().find_map(|l| vocab::parse_likelihood(l)) {
        return Ok((Some(Likelihood::Icd(t.word().to_string())), confidence));
    }
    if let Some(n) = ls.iter().find_map(|l| vocab::parse_credibility(l)) {
        return Ok((Some(Likelihood::Admiralty(n)), confidence));
    }
    let likelihood = stated.map(|n| match reading {
        ConfidenceReading::Probability => Likelihood::Stix(n),
        ConfidenceReading::Strength => {
            Likelihood::Probability(((0.5 + 0.49 * n as f64 / 100.0) * 1e4).round() / 1e4)
        }
    });
    Ok((likelihood, confidence))
}

/// An object's STIX `confidence`, an integer from 0 to 100, when it has one; anything else is
/// refused, naming the object.
pub(super) fn stix_confidence(o: &Obj, sid: &str) -> Result<Option<i64>, ImportError> {
    let Some(v) = o.get("confidence") else {
        return Ok(None);
    };
    match v.as_i64().filter(|n| (0..=100).contains(n)) {
        Some(n) => Ok(Some(n)),
        None => Err(ImportError::of(
            o,
            "confidence",
            Code::BadValue,
            format!(
                "{}: field `confidence` must be an integer from 0 to 100, found {}",
                shortened(sid),
                shown_value(v)
            ),
        )),
    }
}

/// What an opinion whose `confidence` says it has no basis ([`vocab::NO_BASIS`]) is read as:
/// an even chance, which carries no weight.
pub(super) const NO_BASIS_NOTE: &str = "Its confidence is 0 (none): the opinion has no basis, read as an even chance, which carries no weight.";

/// What an opinion whose word is none of STIX's five is read as: an even chance.
pub(super) const UNREAD_OPINION_NOTE: &str = "Its `opinion` is none of STIX's five words (strongly-disagree to strongly-agree): read as neutral, an even chance, which carries no weight.";

/// The likelihood an opinion states: its confidence read as a probability that it is right,
/// turned round when it disagrees, or else the probability its agreement word stands for; and
/// a note when its confidence says it has no basis ([`vocab::NO_BASIS`]: attrib's judgement on
/// insufficient evidence is written so), read as an even chance whatever its word.
pub(super) fn opinion_likelihood(
    o: &Obj,
    sid: &str,
) -> Result<(Stated, Option<&'static str>), ImportError> {
    let (l, c) = likelihood_of(o, sid, ConfidenceReading::Probability)?;
    // An opinion's confidence is the opiner's confidence in its opinion: in a
    // disagreement, that the attribution is false.
    let word = text(o, "opinion").unwrap_or("neutral");
    let disagrees = vocab::disagrees(word);
    if let Some(Likelihood::Stix(vocab::NO_BASIS)) = l {
        return Ok(((Some(Likelihood::Probability(0.5)), c), Some(NO_BASIS_NOTE)));
    }
    // A word none of the five says neither agreement nor disagreement, whatever the
    // confidence in it: read as an even chance, and the claim's note says so (the import's
    // warning says the word is not kept). Read as its confidence, "AGREE" or `null` with
    // confidence 95 had become strong support, and "totally-disagree" a denial.
    let unread = |v: &Value| {
        v.as_str()
            .is_none_or(|w| vocab::opinion_probability(w).is_none())
    };
    if o.get("opinion").is_some_and(unread) {
        return Ok((
            (Some(Likelihood::Probability(0.5)), c),
            Some(UNREAD_OPINION_NOTE),
        ));
    }
    let l = match l {
        Some(Likelihood::Stix(n)) if disagrees => Likelihood::Stix(100 - n),
        // A neutral opinion's confidence is confidence that the attribution is an even
        // chance, not that it holds: read as the probability only where it is one attrib
        // writes as neutral (its judgements of roughly even chance, [`vocab::opinion_word`]);
        // "neutral" with confidence 95 had read as strong support.
        Some(Likelihood::Stix(n))
            if word == "neutral" && vocab::opinion_word(n as f64 / 100.0) != "neutral" =>
        {
            Likelihood::Probability(0.5)
        }
        Some(l) => l,
        None => match vocab::opinion_probability(word) {
            Some(p) => Likelihood::Probability(p),
            None => {
                return Err(ImportError::of(
                    o,
                    "opinion",
                    Code::BadValue,
                    format!(
                        "{}: field `opinion` must be one of strongly-disagree, disagree, \
                         neutral, agree, strongly-agree",
                        shortened(sid)
                    ),
                ));
            }
        },
    };
    Ok(((Some(l), c), None))
}
