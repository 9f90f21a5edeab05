//! Every diagnostic validation reports, built in one place: each function is one kind of
//! problem with its code, message, label and help, so that the wording of the whole catalogue
//! (docs/format.md) can be read and kept consistent here, and the checks read as checks.
//! Paths are where the problem is (`claims[3].source`); `first` is where a duplicate was first
//! declared.

use crate::date::Date;
use crate::diagnostic::{Code, Diagnostic, Location};
use crate::format::Relation;
use crate::model::EntityKind;
use crate::terms::{self, IcdTerm};
use unicode_normalization::UnicodeNormalization;

fn help_or_suggest(d: Diagnostic, suggestion: Option<&str>, otherwise: &str) -> Diagnostic {
    match suggestion {
        Some(s) => d.help(format!("did you mean `{s}`?")),
        None => d.help(otherwise.to_string()),
    }
}

pub(super) fn show_number(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else if x == 0.0 {
        // `-0.0` is written `-0` by Rust, which reads as a sign where the value has none.
        "0".into()
    } else if x.abs() >= 1e16 || x.abs() < 1e-6 {
        // `1e308` and `1e-300` as written, not three hundred digits.
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn relation_name(r: Relation) -> String {
    format!("{r:?}")
}

// ---- values ---------------------------------------------------------------------------------

pub(super) fn empty(what: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(Code::MissingValue, format!("empty {what}"), path)
        .label("empty")
        .help(format!("write a non-empty {what}"))
}

pub(super) fn invisible(what: &str, c: char, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::BadValue,
        format!(
            "this {what} holds the invisible character {}",
            crate::escape::visible(c)
        ),
        path,
    )
    .label("invisible character")
    .help(
        "ids, aliases and families hold only visible characters: remove control characters, line breaks and direction overrides",
    )
}

pub(super) fn bad_date(text: &str, reason: String, path: String) -> Diagnostic {
    let d =
        Diagnostic::at_path(Code::BadDate, format!("invalid date `{text}`"), path).label(reason);
    if let Some(date) = padded_date(text) {
        return d.help(format!("months and days take two digits: write `{date}`"));
    }
    if let Some(date) = Date::from_compact(text).or_else(|| slashed_date(text)) {
        return d.help(format!("write it with hyphens: `{date}`"));
    }
    if let Some(date) = text
        .trim()
        .get(..10)
        .filter(|day| Date::parse(day).is_ok() && text.trim()[10..].starts_with(['T', 't', ' ']))
    {
        return d.help(format!("a date holds no time of day: write `{date}`"));
    }
    if let Some(date) = named_month_date(text) {
        return d.help(format!(
            "dates are written in numbers, year first: write `{date}`"
        ));
    }
    match reordered_dates(text).as_slice() {
        [one] => d.help(format!("dates are written year first: write `{one}`")),
        [a, b] => d.help(format!(
            "dates are written year first: write `{a}` or `{b}`, whichever day was meant"
        )),
        _ => d.help("write an existing date as `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only the month or year is known"),
    }
}

/// `2017/12/20`, `2017.5.12` or `2017/12` as `2017-12-20`, `2017-05-12`, `2017-12`: year
/// first, parted by slashes or dots.
fn slashed_date(text: &str) -> Option<String> {
    let text = text.trim();
    let separator = text.bytes().find(|b| matches!(b, b'/' | b'.'))?;
    let hyphened = text.replace(char::from(separator), "-");
    // Padded when a month or day has one digit (`padded_date` gives only a change).
    padded_date(&hyphened).or_else(|| Date::parse(&hyphened).is_ok().then_some(hyphened))
}

/// The `YYYY-MM-DD` dates a date written day and month before the year can be:
/// `19/12/2014` and `12.19.2014` one, `03/04/2014` two.
fn reordered_dates(text: &str) -> Vec<String> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let candidates = match parts.as_slice() {
        [a, b, year] if year.len() == 4 && [a, b, year].iter().all(|p| digits(p)) => {
            let date = |d: &str, m: &str| format!("{year}-{m:0>2}-{d:0>2}");
            let mut both = vec![date(a, b), date(b, a)];
            both.dedup();
            both
        }
        _ => Vec::new(),
    };
    (candidates.into_iter())
        .filter(|c| Date::parse(c).is_ok())
        .collect()
}

/// `Dec 20, 2014`, `20 December 2014` or `Dec. 2014` as `2014-12-20` or `2014-12`: a date with
/// the month named in English, a four-digit year and at most a day.
fn named_month_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let (mut month, mut year, mut day) = (None, None, None);
    for word in text.split([' ', ',', '.', '/']).filter(|w| !w.is_empty()) {
        let lower = word.to_ascii_lowercase();
        let digits = lower.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
        if lower.len() >= 3 && lower.bytes().all(|b| b.is_ascii_alphabetic()) {
            let m = MONTHS.iter().position(|m| lower.starts_with(m))?;
            month.replace(m + 1).is_none().then_some(())?;
        } else if word.len() == 4 && word.bytes().all(|b| b.is_ascii_digit()) {
            year.replace(word).is_none().then_some(())?;
        } else if (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
            day.replace(digits.parse::<u8>().ok()?)
                .is_none()
                .then_some(())?;
        } else {
            return None;
        }
    }
    let date = match day {
        Some(day) => format!("{}-{:02}-{day:02}", year?, month?),
        None => format!("{}-{:02}", year?, month?),
    };
    Date::parse(&date).is_ok().then_some(date)
}

/// `2018-2-16` as `2018-02-16`: a date whose month or day lacks its leading zero, when that
/// is all that is wrong with it.
fn padded_date(text: &str) -> Option<String> {
    let mut parts = text.trim().split('-');
    let year = parts.next()?;
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty()
        || rest.len() > 2
        || rest
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let padded = std::iter::once(year.to_string())
        .chain(rest.iter().map(|p| format!("{p:0>2}")))
        .collect::<Vec<_>>()
        .join("-");
    (padded != text && Date::parse(&padded).is_ok()).then_some(padded)
}

pub(super) fn certain_prior(p: f64, path: String) -> Diagnostic {
    let (what, only) = if p == 1.0 {
        ("certain", "only evidence against it can lower it")
    } else {
        ("impossible", "only evidence for it can raise it")
    };
    // The case's prior is every hypothesis's that lists none.
    let whose = if path == "prior" {
        "every hypothesis"
    } else {
        "the hypothesis"
    };
    Diagnostic::at_path(
        Code::CertainPrior,
        format!(
            "a prior of {} holds {whose} {what} before any evidence",
            show_number(p)
        ),
        path,
    )
    .label(format!("{what} before any evidence"))
    .note(format!(
        "P is b + prior × u: with nothing known (u = 1) P is the prior itself, and {only}"
    ))
    .help(
        "a prior is the base rate before evidence: 0.5 (the default) when nothing is known, \
           or the share of such attacks the actor is behind, e.g. 0.1 among ten candidates",
    )
}

pub(super) fn not_a_probability(what: &str, p: f64, path: String) -> Diagnostic {
    // A RON number past f64's range (`1e400`) is read as infinite: naming it `inf` would
    // quote something the file does not say, and the label shows what it does.
    let message = if p.is_infinite() {
        format!("{what} is infinite or too large to read, not a probability")
    } else {
        format!("{what} {} is not a probability", show_number(p))
    };
    let d = Diagnostic::at_path(Code::BadNumber, message, path).label("outside [0, 1]");
    if !(2.0..=100.0).contains(&p) {
        return d.help(format!("write {what} as a number from 0 to 1, e.g. 0.5"));
    }
    // A percentage: say it as a fraction (and, for a likelihood, on the 0–100 scale STIX uses).
    if what == "the likelihood" {
        let (ron, json) = likelihood_percent_help(p);
        d.help_in(ron, json)
    } else {
        d.help(format!(
            "write {what} as a number from 0 to 1: {} for {} %",
            fraction_of_percent(p),
            show_number(p)
        ))
    }
}

/// A likelihood of `p` % (0 to 100) as it is written, in RON and in JSON: as a probability,
/// and on the STIX scale when `p` is whole.
pub(crate) fn likelihood_percent_help(p: f64) -> (String, String) {
    let (percent, fraction) = (show_number(p), fraction_of_percent(p));
    if p.fract() == 0.0 {
        let stix = p as i64;
        (
            format!("for {percent} %, write `Probability({fraction})` or `Stix({stix})`"),
            format!(
                "for {percent} %, write `{{\"Probability\": {fraction}}}` or `{{\"Stix\": {stix}}}`"
            ),
        )
    } else {
        (
            format!("for {percent} %, write `Probability({fraction})`"),
            format!("for {percent} %, write `{{\"Probability\": {fraction}}}`"),
        )
    }
}

/// `p` % as a fraction, with as many decimals as `p` has and two more: 33.3 % is 0.333, not
/// the 0.33299999999999996 that dividing gives.
pub(crate) fn fraction_of_percent(p: f64) -> String {
    let percent = show_number(p);
    let decimals = percent.split_once('.').map_or(0, |(_, d)| d.len()) + 2;
    let fraction = format!("{:.*}", decimals, p / 100.0);
    fraction
        .trim_end_matches('0')
        .trim_end_matches('.')
        .to_string()
}

// ---- names ----------------------------------------------------------------------------------

pub(super) fn duplicate_id(id: &str, path: String, first: String) -> Diagnostic {
    Diagnostic::at_path(Code::DuplicateId, format!("duplicate id `{id}`"), path)
        .label("declared again here")
        .related(Location::Path(first), "first declared here")
        .help("give each actor, group and incident its own id; list other names under `aliases`")
}

pub(super) fn ambiguous_name(
    spelling: &str,
    other_id: &str,
    id: &str,
    path: String,
    first: String,
) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::AmbiguousName,
        format!("`{spelling}` names both `{other_id}` and `{id}`"),
        path,
    )
    .label(format!("also names `{other_id}`"))
    .related(
        Location::Path(first),
        format!("`{other_id}` is named so here"),
    );
    // Two ids a reader cannot tell apart (`état` typed composed and decomposed, `APT28` and
    // `apt28`): no alias to remove.
    let d = if spelling == id && crate::model::name_key(id) == crate::model::name_key(other_id) {
        d.help("give one of the two another id: ids that differ only in capitals, or in how an accented letter is encoded, name one thing")
    } else {
        d.help("an alias must name one thing only: remove it from one of the two; if they may be one actor under two names, say so with a `PossiblySameAs` claim between them (which does not merge them: it passes each one's evidence to the other, discounted)")
    };
    let d = if spelling != other_id && spelling.nfc().eq(other_id.nfc()) {
        d.note(format!(
            "`{spelling}` and `{other_id}` differ only in how an accented letter is encoded (as one character, or a letter and a combining mark: {} against {}), which a reader does not see",
            code_points(spelling),
            code_points(other_id)
        ))
    } else {
        d
    };
    match crate::escape::first_invisible(spelling) {
        Some(c) => d.note(format!(
            "names are matched without invisible characters, which a reader does not see: this one holds {}",
            crate::escape::visible(c)
        )),
        None => d,
    }
}

/// The characters of `text` beyond ASCII by code point, the rest as they are: `e` + U+0301
/// shown as `eU+0301tat`.
fn code_points(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c.to_string()
            } else {
                format!("⟨U+{:04X}⟩", c as u32)
            }
        })
        .collect()
}

pub(super) fn lookalike(
    spelling: &str,
    other: &str,
    other_id: &str,
    path: String,
    first: String,
) -> Diagnostic {
    let mut d = Diagnostic::at_path(
        Code::Lookalike,
        format!("`{spelling}` looks the same as `{other}`, which names `{other_id}`"),
        path,
    )
    .label("spelt with other letters")
    .related(
        Location::Path(first),
        format!("`{other_id}` is named so here"),
    );
    if let Some(letters) = other_letters(spelling, other) {
        d = d.note(letters);
    }
    d.note(
        "a reader takes them for one name and attrib for two: a claim that names one is not \
         read as the other",
    )
    .help(format!(
        "spell it with the letters of `{other}` if it names `{other_id}`; else spell the two \
         so that a reader tells them apart"
    ))
}

/// Which letters tell `spelling` from `other`, a name it looks like: "`Lаzarus` holds U+0430
/// `а` where `Lazarus` has U+0061 `a`". Compared letter by letter when both have as many;
/// else the letters outside ASCII. `None` when there is nothing to name.
pub(super) fn other_letters(spelling: &str, other: &str) -> Option<String> {
    let (a, b): (Vec<char>, Vec<char>) = (spelling.nfc().collect(), other.nfc().collect());
    let code = |c: char| format!("U+{:04X} `{c}`", c as u32);
    // Counted in full, written for the first few only: a name may be very long.
    const SHOWN: usize = 3;
    let (pairs, count): (Vec<String>, usize) = if a.len() == b.len() {
        let differ = || {
            a.iter()
                .zip(&b)
                .filter(|(x, y)| x != y && x.to_lowercase().ne(y.to_lowercase()))
        };
        (
            differ()
                .take(SHOWN)
                .map(|(&x, &y)| format!("{} where `{other}` has {}", code(x), code(y)))
                .collect(),
            differ().count(),
        )
    } else {
        let odd = || a.iter().filter(|c| !c.is_ascii());
        (odd().take(SHOWN).map(|&c| code(c)).collect(), odd().count())
    };
    let more = count.saturating_sub(SHOWN);
    let mut listed = pairs.join(", ");
    if listed.is_empty() {
        return None;
    }
    if more > 0 {
        listed.push_str(&format!(" and {more} more"));
    }
    Some(format!("`{spelling}` holds {listed}"))
}

pub(super) fn unknown_name(
    name: &str,
    path: String,
    is_source: bool,
    suggestion: Option<&str>,
    whole: bool,
) -> Diagnostic {
    let d = Diagnostic::at_path(Code::UnknownName, format!("unknown name `{name}`"), path)
        .label("no actor, group or incident has this id, name or alias");
    if is_source {
        d.help(format!(
            "`{name}` is a source: sources make claims, they are not what a claim is about; declare an actor for it under `actors` if it is also a party"
        ))
    } else {
        // A suggestion that looks the same as what was written: say which letters differ.
        let d = match suggestion {
            Some(s)
                if !name.is_ascii()
                    && unicode_security::skeleton(&name.to_lowercase())
                        .eq(unicode_security::skeleton(&s.to_lowercase())) =>
            {
                match other_letters(name, s) {
                    Some(letters) => d.note(format!("{letters}: it looks the same as `{s}`")),
                    None => d,
                }
            }
            _ => d,
        };
        match suggestion {
            // Named after a declared actor: the suggestion moves the claim up to the whole,
            // which may not be what the source said.
            Some(s) if whole => d.help(format!(
                "did you mean `{s}`? If `{name}` is a part of it (an agency or a unit), \
                 declare it under `actors` with `part_of: \"{s}\"` rather than name the \
                 whole: a claim on the whole says nothing of which part did it"
            )),
            _ => help_or_suggest(
                d,
                suggestion,
                "declare it under `actors`, `groups` or `incidents`, or add it to the `aliases` of the one you mean",
            ),
        }
    }
}

pub(super) fn not_an_entity(role: &str, name: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::WrongKind,
        format!("{role} must be an actor or group, but `{name}` is an incident"),
        path,
    )
    .label("an incident")
    .help("name an actor or group here")
}

/// A claim whose subject and object are an actor and an incident the wrong way round.
pub(super) fn swapped_ends(
    id: &str,
    subject: &str,
    object: &str,
    relation: Relation,
    path: String,
) -> Diagnostic {
    let (subject_kind, object_kind) = if relation == Relation::ClaimsResponsibility {
        ("an actor or group", "an incident")
    } else {
        ("an incident", "an actor or group")
    };
    Diagnostic::at_path(
        Code::WrongKind,
        format!("claim `{id}` has its subject and object the wrong way round"),
        path,
    )
    .label(format!("{object_kind}, where {subject_kind} goes"))
    .note(format!(
        "the subject of `{}` is {subject_kind} and its object {object_kind}",
        super::relation_name(relation)
    ))
    .help(format!(
        "write `subject: \"{object}\"` and `object: \"{subject}\"`"
    ))
}

/// A hypothesis that names an actor as its incident and an incident as its actor.
pub(super) fn swapped_hypothesis(incident: &str, actor: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::WrongKind,
        "this hypothesis has its incident and actor the wrong way round",
        path,
    )
    .label("an actor or group, where the incident goes")
    .note(format!(
        "`{incident}` is an actor or group, and `{actor}` an incident"
    ))
    .help(format!(
        "write `incident: \"{actor}\"` and `actor: \"{incident}\"`"
    ))
}

/// `help`: what the claim may have meant instead, when its relation suggests something.
pub(super) fn not_an_incident(
    role: &str,
    name: &str,
    path: String,
    help: Option<&str>,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::WrongKind,
        format!("{role} must be an incident, but `{name}` is an actor or group"),
        path,
    )
    .label("not an incident")
    .help(help.unwrap_or("name an incident here"))
}

// ---- declarations ---------------------------------------------------------------------------

pub(super) fn part_of_itself(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::SelfReference,
        format!("`{id}` is declared part of itself"),
        path,
    )
    .label("refers to its own actor")
    .help("remove `part_of`, or name the larger body it belongs to")
}

pub(super) fn ends_before_start(id: &str, start: Date, end: Date, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::BadDate,
        format!("incident `{id}` ends ({end}) before it starts ({start})"),
        path,
    )
    .label("before `start`")
    .help("swap `start` and `end`, or correct one of them")
}

pub(super) fn duplicate_source(id: &str, path: String, first: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::DuplicateId,
        format!("duplicate source id `{id}`"),
        path,
    )
    .label("declared again here")
    .related(Location::Path(first), "first declared here")
    .help("give each source its own id")
}

/// A source with no family, whose id is the family other sources name (W122): a family-less
/// source is its own line of evidence, named by its id, so it shares the line with them.
pub(super) fn family_of_its_id(source: &str, members: &[&str], path: String) -> Diagnostic {
    let listed = members
        .iter()
        .take(3)
        .map(|m| format!("`{m}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let more = match members.len() {
        n if n > 3 => format!(" and {} more", n - 3),
        _ => String::new(),
    };
    Diagnostic::at_path(
        Code::FamilyOfItsId,
        format!(
            "source `{source}` has no family, and `{source}` is the family of {listed}{more}: \
             it counts as one line of evidence with them"
        ),
        path,
    )
    .label(format!("in the family `{source}`"))
    .note(
        "a source without a family is a line of evidence of its own, named by its id; a family \
         of that name is the same line, so its claims and theirs count once",
    )
    .help(format!(
        "write `family: \"{source}\"` if it belongs with them; if it is independent of them, \
         give it a family of another name"
    ))
}

/// `alone`: when `near` too is written on one source only, that source's id and where its
/// family is written: which of the two is the slip cannot be told.
pub(super) fn lone_family(
    source: &str,
    (family, near): (&str, &str),
    near_sources: usize,
    alone: Option<(&str, String)>,
    path: String,
) -> Diagnostic {
    let of = if near_sources == 1 {
        "its source".to_string()
    } else {
        format!("its {near_sources} sources")
    };
    let d = Diagnostic::at_path(
        Code::LoneFamily,
        format!(
            "family `{family}` has only source `{source}`, and is spelt almost as family `{near}`"
        ),
        path,
    )
    .label(format!(
        "a line of evidence of its own, apart from `{near}`"
    ))
    .note(format!(
        "sources of one family share what they know and count as one line of evidence; as \
         written, `{source}` counts as independent of `{near}` and {of}, and its claims add \
         to theirs"
    ));
    let d = match alone {
        None => d.help(format!(
            "write `family: \"{near}\"` if `{source}` belongs to it; if `{family}` is another \
             family, allow the warning (`--allow W115`)"
        )),
        Some((other, at)) => d
            .related(
                Location::Path(at),
                format!("`{near}`, of source `{other}` only"),
            )
            .help(format!(
                "each family is written on one source, so which spelling is the slip cannot be \
                 told: if `{source}` and `{other}` share a line of evidence, write the right \
                 name on both; if they are two families, allow the warning (`--allow W115`)"
            )),
    };
    // Letters of another script that look the same: say which.
    let letters = if family.is_ascii() && near.is_ascii() {
        None
    } else {
        other_letters(family, near)
    };
    match letters {
        Some(letters) => d.note(letters),
        None => d,
    }
}

pub(super) fn grade_and_track_record(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::Conflicting,
        format!("source `{id}` has both `reliability` and `track_record`"),
        path,
    )
    .label("remove this or `reliability`")
    .help("grade a source either with an Admiralty letter or with its track record, not both")
}

pub(super) fn no_reliability(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::MissingValue,
        format!("source `{id}` has no reliability"),
        path,
    )
    .label("no `reliability` or `track_record`")
    .help_in(
        "add `reliability: B` (Admiralty A–F; F if it cannot be judged) or `track_record: (valid: 8, invalid: 1)`",
        "add `\"reliability\": \"B\"` (Admiralty A–F; F if it cannot be judged) or `\"track_record\": {\"valid\": 8, \"invalid\": 1}`",
    )
}

pub(super) fn graded_f(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::UngradedSource,
        format!("source `{id}` is graded F: its claims count at half strength"),
        path,
    )
    .label("reliability cannot be judged")
    .help("grade it A–E if anything is known of its record; F is a trust of P 0.50, an even chance that the source is right, so each of its claims keeps half its belief and disbelief")
}

/// W103 for a record of no reports: the trust of grade F, by another road.
pub(super) fn empty_track_record(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::UngradedSource,
        format!("source `{id}` has a track record of no reports: its claims count at half strength, as grade F"),
        path,
    )
    .label("nothing to judge its reliability by")
    .help("count its past reports that proved valid and invalid, or grade it A–E if anything is known of its record")
}

pub(super) fn bad_track_record(id: &str, valid: f64, invalid: f64, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::BadNumber,
        format!(
            "track record ({}, {}) of source `{id}` is not a number of reports",
            show_number(valid),
            show_number(invalid),
        ),
        path,
    )
    .label("numbers of reports go from 0 to 1,000,000")
    .help_in(
        "write how many past reports proved valid and invalid, e.g. `(valid: 8, invalid: 1)`",
        "write how many past reports proved valid and invalid, e.g. `{\"valid\": 8, \"invalid\": 1}`",
    )
}

// ---- claims ---------------------------------------------------------------------------------

pub(super) fn duplicate_claim(id: &str, path: String, first: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::DuplicateId,
        format!("duplicate claim id `{id}`"),
        path,
    )
    .label("declared again here")
    .related(Location::Path(first), "first declared here")
    .help("give each claim its own id")
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``.
fn or_list(ids: &[&str]) -> String {
    let quoted: Vec<String> = ids.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// What an unknown source in a claim may have meant.
pub(super) enum SourceHint<'a> {
    /// A source's name written for its id, as it is (`exact`) or its words written as an id
    /// is (`daily-courier` for "The Daily Courier"): the source's id and name.
    Name {
        id: &'a str,
        name: &'a str,
        exact: bool,
    },
    /// A family's name written for a source: the sources of the family.
    Family(&'a [&'a str]),
    /// The nearest source id, if any is near.
    Near(Option<&'a str>),
}

pub(super) fn unknown_source(
    claim: &str,
    source: &str,
    path: String,
    hint: SourceHint<'_>,
) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::UnknownSource,
        format!("claim `{claim}` is by unknown source `{source}`"),
        path,
    )
    .label("not declared under `sources`");
    let suggestion = match hint {
        SourceHint::Name { id, name, exact } => {
            // The name said when it is not what was written, and short enough to say.
            let label = if exact || name.chars().count() > 60 {
                format!("the name of source `{id}`, not its id")
            } else {
                format!("the name of source `{id}`, \"{name}\", written as an id")
            };
            return d
                .label(label)
                .help(format!("a claim names its source by id: write `{id}`"));
        }
        // The family's nearest member would be a guess of which of them spoke, and a claim
        // put on the wrong line of evidence.
        SourceHint::Family(members) => {
            return d.label("a family of sources, not a source").help(format!(
                "a claim names the one source that made it: write the id of the source of \
                 family `{source}` that did, {}",
                or_list(members)
            ));
        }
        SourceHint::Near(suggestion) => suggestion,
    };
    // `"norse "` declared, `"norse"` written (or the other way): spaces count in an id.
    if let Some(s) = suggestion.filter(|s| *s != source && s.trim() == source.trim()) {
        return d.help(format!(
            "the source is declared as `{s}`: spaces count in an id, so remove those around \
             one of the two"
        ));
    }
    help_or_suggest(
        d,
        suggestion,
        "declare the source under `sources` with its reliability",
    )
}

pub(super) fn derived_from_itself(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::SelfReference,
        format!("claim `{id}` is derived from itself"),
        path,
    )
    .label("its own id")
    .help("list the claims this one restates, not itself")
}

/// What an unknown claim in `derived_from` may have meant.
pub(super) enum OriginHint<'a> {
    /// The id of a source, not of a claim.
    Source,
    /// The nearest claim id, if any is near.
    Near(Option<&'a str>),
}

pub(super) fn unknown_origin(
    claim: &str,
    origin: &str,
    path: String,
    hint: OriginHint<'_>,
) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::UnknownName,
        format!("claim `{claim}` restates unknown claim `{origin}`"),
        path,
    )
    .label("no claim has this id");
    match hint {
        OriginHint::Source => d.label("the id of a source, not of a claim").help(format!(
            "`derived_from` lists the claims this one restates: write the id of the claim of \
             source `{origin}` it repeats"
        )),
        OriginHint::Near(suggestion) => help_or_suggest(
            d,
            suggestion,
            "add the original claim to the case, or remove it from `derived_from` so this claim counts on its own",
        ),
    }
}

pub(super) fn no_wording(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::NoWording,
        format!("claim `{id}` has no wording"),
        path,
    )
    .label("no `wording`")
    .help("quote the source verbatim in `wording`: it is what a reviewer audits")
}

pub(super) fn no_url(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::NoUrl,
        format!("claim `{id}` has no URL, nor has its source"),
        path,
    )
    .label("no `url`")
    .help("add the `url` where the statement was read, to the claim or to its source")
}

pub(super) fn not_linkable(url: &str, path: String) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::NotLinkable,
        format!(
            "`{}` is not a web address",
            crate::report::shorten(url.trim(), 60)
        ),
        path,
    );
    if crate::escape::uri::web_scheme(url) {
        // `https://` and then what no address holds: a port that is no number, two hosts.
        return d
            .label(
                "no address RFC 3986 can write, even with its spaces and letters percent-encoded",
            )
            .note("reports and STIX citations show it as text, never as a link")
            .help("copy the address again from the browser's address bar");
    }
    d.label("not http, https or mailto")
    .note("reports and STIX citations show it as text, never as a link: a `javascript:`, `data:` or `file:` address is not followed, and a path without a scheme leads nowhere outside this machine")
    .help("give the address the statement was read at, beginning with `https://`")
}

/// W123: an `OperatedBy` claim whose wording gives one of its actors the other's name.
pub(super) fn named_as_link(
    claim: &str,
    phrase: &str,
    (subject, object): (&str, &str),
    path: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::NamedAsLink,
        format!(
            "claim `{claim}` says \"{phrase}\", as a source does of one actor's second name, \
             but links `{subject}` and `{object}` with `OperatedBy`"
        ),
        path,
    )
    .label("one actor run by another")
    .note(format!(
        "`OperatedBy` says `{subject}` is run by `{object}`, another actor: what `{subject}` did \
         counts for `{object}` only as far as the claim is believed, and opposition to \
         `{object}` reaches `{subject}`, which can come out lower for the claim"
    ))
    .help(format!(
        "if the source says the two are one actor, write `relation: PossiblySameAs` (or, when \
         the case takes them for one, declare them as one actor, the other's name among its \
         `aliases`); if it says `{object}` runs `{subject}`, \
         keep the claim (`--allow W123` silences the warning, for every claim of the run)"
    ))
}

/// W119: a link or `part_of` from what stands above down to what stands below.
pub(super) fn upside_down(
    (from, from_kind): (&str, EntityKind),
    relation: &str,
    (to, to_kind): (&str, EntityKind),
    claim: Option<&str>,
    path: String,
) -> Diagnostic {
    let (a, b) = (from_kind.word(), to_kind.word());
    let said = format!("`{from}` ({a}) {relation} `{to}` ({b})");
    let (message, help) = match claim {
        Some(id) => (
            format!("claim `{id}` reads upside down: {said}"),
            format!("if the {b} is the {a}'s, write `subject: \"{to}\"` and `object: \"{from}\"`"),
        ),
        None => (
            format!("upside down: {said}"),
            format!(
                "if the {b} is the {a}'s, remove `part_of` and declare the link from `{to}` \
                 up to `{from}`: `part_of` on an actor, a claim (`SubordinateOf`, \
                 `OperatedBy`) for a group"
            ),
        ),
    };
    Diagnostic::at_path(Code::UpsideDown, message, path)
        .label(format!("from the {a} up to the {b}"))
        .note(format!(
            "responsibility flows from subject to object: what `{from}` did counts for `{to}`, \
             and what `{to}` did does not count for `{from}`"
        ))
        .help(help)
}

pub(super) fn condemnation_with_object(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::Conflicting,
        format!("claim `{id}`: `Condemns` takes no object"),
        path,
    )
    .label("remove this")
    .help("a condemnation names no one; if the source named a culprit, use `AttributedTo`")
}

pub(super) fn condemnation_with_likelihood(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::CondemnsLikelihood,
        format!("claim `{id}` condemns the incident: its likelihood is not read"),
        path,
    )
    .label("read as nothing")
    .help("a condemnation names no one, so it has nothing to be likely of: remove `likelihood`; if the source named a culprit, use `AttributedTo`")
}

pub(super) fn no_object(id: &str, relation: Relation, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::MissingValue,
        format!("claim `{id}` has no object"),
        path,
    )
    .label(format!("`{}` needs an `object`", relation_name(relation)))
    .help_in(
        "add `object:` naming what the subject is related to",
        "add `\"object\":` naming what the subject is related to",
    )
}

/// E028: a claim's subject and object name one actor or group, as written (`apt31` and its
/// alias `Zirconium` are named both, since neither alone shows the clash; `zirconium` and
/// `ZIRCONIUM` are one name, as the loader reads them).
pub(super) fn relates_to_itself(
    id: &str,
    (subject, object): (&str, &str),
    path: String,
) -> Diagnostic {
    let (message, label) = if crate::model::name_key(subject) == crate::model::name_key(object) {
        (
            format!("claim `{id}` relates `{object}` to itself"),
            if subject.trim() == object.trim() {
                "same as the subject".to_string()
            } else {
                format!("same as the subject, `{subject}`, in other letters")
            },
        )
    } else {
        (
            format!("claim `{id}` relates `{subject}` to `{object}`, another name of it"),
            format!("another name of `{subject}`, the subject"),
        )
    };
    Diagnostic::at_path(Code::SelfReference, message, path)
        .label(label)
        .help(
            "subject and object must be two different actors or groups (an alias is the same one)",
        )
}

pub(super) fn no_likelihood(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::MissingValue,
        format!("claim `{id}` has no likelihood"),
        path,
    )
    .label("no `likelihood`")
    .help_in(
        "state how sure the source was, e.g. `likelihood: Icd(\"very likely\")`, `Phia(\"almost certain\")` or `Probability(0.9)`",
        "state how sure the source was, e.g. `\"likelihood\": {\"Icd\": \"very likely\"}`, `{\"Phia\": \"almost certain\"}` or `{\"Probability\": 0.9}`",
    )
}

pub(super) fn hedge_against(id: &str, term: &str, p: f64, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::HedgeAgainst,
        format!("claim `{id}` says \"{term}\", which counts slightly against what it states"),
        path,
    )
    .label(format!("read as P {p}: below even chance"))
    .note("the PHIA yardstick puts a realistic possibility below even chance, so it is read as doubt, not support, however the source meant it")
    .help_in(
        "if the source offers it as support, say so: restate it above even chance (`Probability(0.55)`) and give the reason in `note`; if it is doubt, `--allow W111`",
        "if the source offers it as support, say so: restate it above even chance (`{\"Probability\": 0.55}`) and give the reason in `note`; if it is doubt, `--allow W111`",
    )
}

/// An unknown ICD 203 term: pointed to the PHIA scale when it is a PHIA term.
pub(super) fn unknown_icd_term(term: &str, path: String, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::UnknownTerm,
        format!("`{term}` is not an ICD 203 likelihood term"),
        path,
    )
    .label("unknown term");
    if terms::phia_probability(term).is_some() {
        d.help_in(
            format!("`{term}` is a UK PHIA term: write `Phia(\"{term}\")`"),
            format!("`{term}` is a UK PHIA term: write `{{\"Phia\": \"{term}\"}}`"),
        )
    } else if let Some(s) = suggestion {
        d.help(format!("did you mean `{s}`?"))
    } else {
        d.help(format!(
            "use one of: {}",
            IcdTerm::ALL.map(IcdTerm::word).join(", ")
        ))
    }
}

/// An unknown PHIA term: pointed to the ICD 203 scale when it is an ICD 203 term.
pub(super) fn unknown_phia_term(term: &str, path: String, suggestion: Option<&str>) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::UnknownTerm,
        format!("`{term}` is not a UK PHIA yardstick term"),
        path,
    )
    .label("unknown term");
    if IcdTerm::parse(term).is_some() {
        d.help_in(
            format!("`{term}` is an ICD 203 term: write `Icd(\"{term}\")`"),
            format!("`{term}` is an ICD 203 term: write `{{\"Icd\": \"{term}\"}}`"),
        )
    } else if let Some(s) = suggestion {
        d.help(format!("did you mean `{s}`?"))
    } else {
        d.help(format!(
            "use one of: {}",
            terms::phia_spellings().collect::<Vec<_>>().join(", ")
        ))
    }
}

pub(super) fn stix_confidence_out_of_range(n: i64, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::BadNumber,
        format!("STIX confidence {n} is outside 0–100"),
        path,
    )
    .label("outside 0–100")
    .help("a STIX 2.1 `confidence` is an integer from 0 to 100")
}

pub(super) fn credibility_out_of_range(n: i64, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::BadNumber,
        format!("Admiralty credibility {n} is outside 1–6"),
        path,
    )
    .label("outside 1–6")
    .help("credibility runs from 1 (confirmed) to 6 (truth cannot be judged)")
}

// ---- graph ----------------------------------------------------------------------------------

pub(super) fn echo_cycle(ids: &[&str], path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::EchoCycle,
        format!("claims restate each other in a circle: {}", ids.join(" → ")),
        path,
    )
    .label("part of the cycle")
    .help("a restatement points at the original it repeats; remove the `derived_from` entry that points back")
}

/// E030: `names` (the first repeated at the end), at the first link; `how` it is made
/// ("claimed", "declared part_of").
pub(super) fn link_cycle(names: &[&str], path: String, how: &str) -> Diagnostic {
    Diagnostic::at_path(
        Code::LinkCycle,
        format!("responsibility links form a cycle: {}", names.join(" → ")),
        path,
    )
    .label(format!(
        "one link of the cycle, {} → {} ({how})",
        names[0], names[1]
    ))
    .help("part-of, subordinate-of, operated-by and sponsored-by must point upward to larger bodies; remove or reverse one link (use `PossiblySameAs` for two names of one actor)")
}

/// E035: `ids`, a chain of links from its lowest actor up, longer than `max`; `path` points
/// at its first link, made as `how` says.
pub(super) fn deep_chain(ids: &[&str], max: usize, path: String, how: &str) -> Diagnostic {
    let links = ids.len() - 1;
    let shown = if ids.len() <= 7 {
        ids.join(" → ")
    } else {
        format!(
            "{} → … {} more … → {}",
            ids[..3].join(" → "),
            ids.len() - 6,
            ids[ids.len() - 3..].join(" → ")
        )
    };
    Diagnostic::at_path(
        Code::DeepChain,
        format!("a chain of {links} responsibility links, longer than the {max} attrib follows: {shown}"),
        path,
    )
    .label(format!("the chain's first link, {} → {} ({how})", ids[0], ids[1]))
    .note(format!("every report names each actor on the path a line of evidence takes, so a chain of n links makes the reports grow as n²; no organisation stands {max} levels deep"))
    .help(format!("link `{}` to the body that answers for it, or leave out the links that add no level of command; look for links chained by mistake (a script that linked each actor to the one before)", ids[0]))
}

/// E037: `id` has more than `max` wholes; `up` counts its direct wholes and names the first
/// few; `path` points at where its link up to `to` is made, as `how` says; `others` counts the
/// other actors past the bound.
pub(super) fn many_wholes(
    id: &str,
    (direct, first): (usize, &[&str]),
    max: usize,
    (path, to, how): (String, &str, &str),
    others: usize,
) -> Diagnostic {
    let named = first
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let through = if direct > first.len() {
        format!(
            "its {direct} links up go to {named} and {} more",
            direct - first.len()
        )
    } else if direct == 1 {
        format!("its one link up goes to {named}")
    } else {
        format!("its {direct} links up go to {named}")
    };
    let d = Diagnostic::at_path(
        Code::TooManyWholes,
        format!("`{id}` has more than {max} actors above it, the most attrib follows: {through}"),
        path,
    )
    .label(format!("its link up to `{to}` ({how})"))
    .note(format!("a line of evidence on an actor reaches every actor above it, directly or through others, and each is a hypothesis that names the path: with n actors above each of n actors the reports grow as n²; a group answers to a unit, an agency and a state, or to a few candidates for each, not to {max}"));
    let d = if others > 0 {
        let (who, have) = if others == 1 {
            ("1 other actor".to_string(), "has")
        } else {
            (format!("{others} other actors"), "have")
        };
        d.note(format!(
            "{who} {have} more than {max} above too, through `{id}` or another such actor"
        ))
    } else {
        d
    };
    d.help(format!("keep the links that say who answers for `{id}` and drop the others; look for links written the wrong way round (a state made subordinate of each of its groups) or made by a script for every pair"))
}

pub(super) fn after_as_of(claim: &str, date: Date, as_of: Date, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::AfterAsOf,
        format!("claim `{claim}` is dated {date}, after the case's `as_of` {as_of}"),
        path,
    )
    .label("after `as_of`")
    .help(format!("{}, or correct the claim's date", later(date)))
}

pub(super) fn maybe_after_as_of(claim: &str, date: Date, as_of: Date, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::MaybeAfterAsOf,
        format!("claim `{claim}` is dated {date}, which may fall after the case's `as_of` {as_of}"),
        path,
    )
    .label("may be after `as_of`")
    .note(format!(
        "`attrib assess --as-of {as_of}` leaves this claim out; without the flag it counts"
    ))
    .help(format!(
        "give the day the claim was made, or {}",
        later(date)
    ))
}

pub(super) fn before_incident(
    claim: &str,
    date: Date,
    incident: &str,
    start: Date,
    path: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::BeforeIncident,
        format!(
            "claim `{claim}` is dated {date}, before its incident `{incident}` began ({start})"
        ),
        path,
    )
    .label("before the incident began")
    .note(format!(
        "a claim that names who is behind an incident is made after it began; `assess --as-of` \
         a date before {start} counts this claim all the same"
    ))
    .help(format!(
        "correct the claim's date, or the `start` of `{incident}` if it is when the incident \
         was found rather than when it began"
    ))
}

pub(super) fn many_before_incident(
    claims: &[(&str, Date, String)],
    incident: &str,
    start: Date,
    path: String,
) -> Diagnostic {
    const SHOWN: usize = 5;
    let mut listed: Vec<String> = claims
        .iter()
        .take(SHOWN)
        .map(|(id, date, _)| format!("`{id}` ({date})"))
        .collect();
    if claims.len() > SHOWN {
        listed.push(format!("and {} more", claims.len() - SHOWN));
    }
    let mut d = Diagnostic::at_path(
        Code::BeforeIncident,
        format!(
            "{} claims on `{incident}` are dated before it began ({start})",
            claims.len()
        ),
        path,
    )
    .label(format!("{} claims are dated before this", claims.len()));
    for (id, _, at) in claims.iter().take(SHOWN) {
        d = d.related(Location::Path(at.clone()), format!("`{id}`"));
    }
    d.note(format!(
        "claims dated before: {}; a claim that names who is behind an incident is made after \
         it began, and `assess --as-of` a date before {start} counts them all the same",
        listed.join(", ")
    ))
    .help(format!(
        "if {start} is when `{incident}` was found rather than when it began, give the day it \
         began as its `start`; else correct the claims' dates"
    ))
}

fn later(date: Date) -> String {
    format!("move the case's `as_of` to {} or later", date.latest_day())
}

// ---- hypotheses -----------------------------------------------------------------------------

pub(super) fn duplicate_hypothesis(
    actor: &str,
    incident: &str,
    path: String,
    first: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::DuplicateId,
        format!("hypothesis `{actor}` on `{incident}` is declared twice"),
        path,
    )
    .label("declared again here")
    .related(Location::Path(first), "first declared here")
    .help("keep one declaration, with the prior you mean")
}

pub(super) fn listed_twice(member: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::DuplicateId,
        format!("`{member}` is listed twice in this set"),
        path,
    )
    .label("already a member")
    .help("list each competing hypothesis once (aliases name the same one)")
}

/// E020: an exclusive set with the same members on the same incident as the one at `first`.
pub(super) fn set_listed_twice(incident: &str, path: String, first: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::DuplicateId,
        format!("this exclusive set on `{incident}` is declared twice"),
        path,
    )
    .label("the same members again")
    .related(Location::Path(first), "first declared here")
    .help(
        "keep one of the two: the order of the members says nothing, and an alias names its actor",
    )
}

/// E036: the exclusive sets on `incident` hold `total` actors, more than `max`; `path` is
/// the member past it.
pub(super) fn too_many_exclusive(
    incident: &str,
    total: usize,
    max: usize,
    path: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::TooManyExclusive,
        format!("the exclusive sets on `{incident}` hold {total} actors, more than the {max} attrib weighs against each other"),
        path,
    )
    .label(format!("actor {} of the sets", max + 1))
    .note("each member counts every other member's lines of evidence against it, and every claim's sensitivity is weighed for every member: the reports grow with the square of the members, the work with the cube")
    .help("keep in the sets the hypotheses the analysis weighs against each other (a handful, in analysis of competing hypotheses); an actor left out is still judged on its own evidence")
}

pub(super) fn too_few_members(path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::MissingValue,
        "an exclusive set needs at least two members",
        path,
    )
    .label("fewer than two")
    .help("list the hypotheses that exclude each other, e.g. `members: [\"iran\", \"insider\"]`")
}

pub(super) fn exclusive_with_whole(part: &str, whole: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::ExclusiveWithWhole,
        format!("`{part}` is part of `{whole}`, so they cannot exclude each other"),
        path,
    )
    .label(format!("a part of `{whole}`, also in this set"))
    .help(format!("if `{part}` did it, `{whole}` did it: remove one of them from this set, or set `{whole}` against the alternatives to it"))
}

/// `said` and `origin_said`: each claim's subject, relation and object as the file writes them.
/// W108: `id` restates `origin` (through the restatement `via`, when `origin` is an original
/// at the root of its chain) but says something else.
pub(super) fn restates_other(
    (id, said): (&str, &str),
    (origin, origin_said): (&str, &str),
    via: Option<&str>,
    path: String,
) -> Diagnostic {
    let through = via.map_or_else(String::new, |m| format!(" (through `{m}`)"));
    Diagnostic::at_path(
        Code::RestatesOther,
        format!("claim `{id}` restates `{origin}`{through} but says something else"),
        path,
    )
    .label(format!("`{origin}` says {origin_said}; `{id}` says {said}"))
    .help(format!("a restatement is set aside while its origin stands and stands in for nothing without it, so what `{id}` says of its own is never counted: name the claim it restates, or remove `derived_from` if it reports something new"))
}

/// W116: `id` restates `origin` (through the restatement `via`, when `origin` is an original
/// at the root of its chain) on the other side of even chance.
pub(super) fn restates_opposite(
    (id, said): (&str, &str),
    (origin, origin_said): (&str, &str),
    via: Option<&str>,
    path: String,
) -> Diagnostic {
    let through = via.map_or_else(String::new, |m| format!(" (through `{m}`)"));
    Diagnostic::at_path(
        Code::RestatesOpposite,
        format!("claim `{id}` restates `{origin}`{through} but takes the other side"),
        path,
    )
    .label(format!("{said}, where `{origin}` is {origin_said}"))
    .note(format!(
        "a restatement carries what it restates: set aside while `{origin}` stands, and in its \
         stead no more than it would give on each side, so what `{id}` says against it is \
         never counted"
    ))
    .help(format!(
        "if `{id}` reports `{origin}`, give it `{origin}`'s likelihood; if it disputes it, \
         remove `derived_from`: a dispute is a claim of its own"
    ))
}

pub(super) fn restates_later(
    id: &str,
    date: Date,
    origin: &str,
    origin_date: Date,
    path: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::RestatesLater,
        format!(
            "claim `{id}` is dated {date}, before `{origin}` ({origin_date}), which it restates"
        ),
        path,
    )
    .label(format!("before `{origin}` was made"))
    .note(format!(
        "a restatement is made after what it restates; `assess --as-of` a date between \
         {date} and {origin_date} counts `{id}` in place of a claim not yet made"
    ))
    .help(format!(
        "correct one of the two dates, or remove `{origin}` from `derived_from` if `{id}` \
         did not take it from there"
    ))
}

pub(super) fn exclusive_priors(
    incident: &str,
    members: &[(String, f64, bool)],
    sum: f64,
    case_prior: f64,
    path: String,
) -> Diagnostic {
    let label = if members.iter().all(|m| !m.2) {
        format!(
            "{} members, each at the case's prior, {}",
            members.len(),
            show_number(case_prior)
        )
    } else {
        format!("priors {}", listed_priors(members))
    };
    // A share each of what is left to share, rounded down so that they add up to 1 at most:
    // to a hundredth, or, for over a hundred members, to as many places as it takes to stay
    // above 0.
    let share = |total: f64, count: usize| {
        let places = ((count as f64).log10().ceil() as i32 + 1).max(2);
        let scale = 10f64.powi(places);
        // (1 − 0.9 is 0.0999…: a hair added first, so that a tenth is one.)
        (total * scale / count as f64 + 1e-9).floor() / scale
    };
    // The members taking the case's prior share what those with a prior of their own leave.
    let free: Vec<&str> = (members.iter())
        .filter(|m| !m.2)
        .map(|m| m.0.as_str())
        .collect();
    let own: f64 = members.iter().filter(|m| m.2).map(|m| m.1).sum();
    let each_free = share(1.0 - own, free.len().max(1));
    let mut d = Diagnostic::at_path(
        Code::ExclusivePriors,
        format!(
            "the priors of this exclusive set add up to {}, more than 1",
            show_number((sum * 1000.0).round() / 1000.0)
        ),
        path,
    )
    .label(label)
    .note(
        "at most one of them did it, so the chances that each did cannot add up to more than \
         1; with no evidence each member's P is its prior, and the set's would add up to more \
         than certainty",
    )
    .help(match free.first() {
        None => format!(
            "lower the members' priors (`Hypothesis(…, prior: …)`) so that they add up to 1 at \
             most: {} each when nothing sets them apart",
            show_number(share(1.0, members.len()))
        ),
        // The members' own priors leave the others nothing: those are what must go down.
        Some(_) if each_free <= 0.0 => format!(
            "lower the priors of the members that have their own (`Hypothesis(…, prior: …)`): \
             they add up to {} alone, leaving nothing for the {} at the case's prior; the set's \
             may add up to 1 at most",
            show_number((own * 1000.0).round() / 1000.0),
            free.len()
        ),
        // The example names a member taking the case's prior: one with a `Hypothesis` of its
        // own declared again would be E020.
        Some(first) => format!(
            "lower the case's `prior` to {each} (every hypothesis's: a whole stays as likely \
             as its parts), or give each member without one a prior of its own \
             (`Hypothesis(incident: \"{incident}\", actor: \"{first}\", prior: {each})`), so \
             that they add up to 1 at most (a member's declared parts then need priors no \
             higher than its own: W121)",
            each = show_number(each_free)
        ),
    });
    if members.iter().any(|m| !m.2) {
        d = d.note(format!(
            "a member without a `Hypothesis` of its own takes the case's prior ({})",
            show_number(case_prior)
        ));
    }
    d
}

/// "`gru` 0.5 (the case's), `svr` 0.4": hypotheses as (id, prior, whether its own), the
/// first six and how many more.
fn listed_priors(hypotheses: &[(String, f64, bool)]) -> String {
    const SHOWN: usize = 6;
    let mut listed: Vec<String> = (hypotheses.iter().take(SHOWN))
        .map(|(id, p, own)| {
            let whose = if *own { "" } else { " (the case's)" };
            format!("`{id}` {}{whose}", show_number(*p))
        })
        .collect();
    if hypotheses.len() > SHOWN {
        listed.push(format!("and {} more", hypotheses.len() - SHOWN));
    }
    listed.join(", ")
}

/// W121: `parts` (id, prior, whether its own) above `whole` on `incident`.
pub(super) fn part_priors(
    incident: &str,
    whole: (String, f64, bool),
    parts: &[(String, f64, bool)],
    path: String,
) -> Diagnostic {
    let (whole, whole_prior, whole_own) = whole;
    let first = &parts[0].0;
    let theirs = if parts.len() == 1 {
        format!("`{first}`'s")
    } else {
        "theirs".to_string()
    };
    let which = if parts.len() == 1 {
        format!("`{first}`, a declared part of it")
    } else {
        format!("{} of its declared parts", parts.len())
    };
    Diagnostic::at_path(
        Code::PartPrior,
        format!(
            "on `{incident}`, `{whole}`'s prior ({}{}) is below that of {which}",
            show_number(whole_prior),
            if whole_own { "" } else { ", the case's" }
        ),
        path,
    )
    .label(format!(
        "{} {}",
        if parts.len() == 1 { "prior" } else { "priors" },
        listed_priors(parts)
    ))
    .note(
        "a declared part carries its evidence whole up to its whole, so the two rest on the \
         same evidence and differ only by their priors: the part is judged more likely than \
         its whole, though if the part did it, the whole did",
    )
    .help(format!(
        "give {} a prior of at most {} on `{incident}` (`Hypothesis(incident: \"{incident}\", \
         actor: \"{first}\", prior: {})`), or {}",
        if parts.len() == 1 { "it" } else { "each" },
        show_number(whole_prior),
        show_number(whole_prior),
        if whole_own {
            format!("raise `{whole}`'s to {theirs}")
        } else {
            format!("give `{whole}` a prior of its own as high as {theirs}")
        }
    ))
}

pub(super) fn exclusive_with_linked_whole(part: &str, whole: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::ExclusiveWithLinkedWhole,
        format!("`{part}` is linked up to `{whole}` by claims, yet they exclude each other"),
        path,
    )
    .label(format!("linked up to `{whole}`, also in this set"))
    .help(format!("the set assumes the claimed link from `{part}` to `{whole}` is false; if it may hold, remove one of them from the set"))
}

// ---- coverage -------------------------------------------------------------------------------

pub(super) fn unreferenced_entity(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::Unreferenced,
        format!("nothing refers to `{id}`"),
        path,
    )
    .label("no claim, link or hypothesis names it")
    .help("add the claims that concern it, or remove it")
}

pub(super) fn unreferenced_incident(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::Unreferenced,
        format!("no claim concerns incident `{id}`"),
        path,
    )
    .label("no claim names it")
    .help("add the claims made about it, or remove it")
}

pub(super) fn silent_source(id: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::SilentSource,
        format!("source `{id}` makes no claim"),
        path,
    )
    .label("no claim has this source")
    .help("add its claims, or remove it")
}

/// What to write for a TLP level that is none.
pub(super) const TLP_HELP: &str = "write `clear`, `green`, `amber`, `amber+strict` or `red`";

/// E013: a case's `tlp` that is no TLP level.
pub(super) fn unknown_tlp(text: &str, path: String) -> Diagnostic {
    const LEVELS: [&str; 5] = ["clear", "green", "amber", "amber+strict", "red"];
    let d = Diagnostic::at_path(
        Code::BadValue,
        format!("`{}` is not a TLP level", crate::report::shorten(text, 60)),
        path,
    )
    .label("not a TLP level");
    let suggestion = crate::diagnostic::suggest_value(text, &LEVELS);
    help_or_suggest(
        d,
        suggestion,
        &format!("{TLP_HELP} (TLP 2.0; `white` is read as `clear`)"),
    )
}

// ---- the stix section -----------------------------------------------------------------------

/// W120: a STIX record keyed by something the case does not declare (an id renamed since the
/// import, most often).
pub(super) fn stix_detached(
    key: &str,
    (prefix, what): (&str, &str),
    suggestion: Option<&str>,
    path: String,
) -> Diagnostic {
    let d = Diagnostic::at_path(
        Code::StixRecord,
        format!("STIX record `{key}` names no {what} of the case"),
        path,
    )
    .label("not used")
    .note(format!(
        "`export stix` writes nothing from it: if the {what} was renamed, it goes out under a \
         new STIX id, without the dates, author and markings it came with"
    ));
    match suggestion {
        Some(s) => d.help(format!(
            "if the {what} is now `{s}`, key its record `{prefix}:{s}`"
        )),
        None => d.help(format!(
            "key the record by the id of the {what} it is for (`{prefix}:ID`), or remove it"
        )),
    }
}

/// W120: a STIX record whose key says neither what kind of thing it is for.
pub(super) fn stix_key(key: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::StixRecord,
        format!(
            "STIX record `{}` is keyed by no kind of declaration",
            crate::report::shorten(key, 60)
        ),
        path,
    )
    .label("not used")
    .note("`export stix` writes nothing from it")
    .help("a record of an object of the case is keyed `entity:ID`, `incident:ID`, `source:ID` or `claim:ID`")
}

/// W120: a value of a STIX record that STIX 2.1 does not allow where it stands. `expected`
/// says what goes there, `written` what export makes of the value, `help` what to change.
pub(super) fn stix_value(
    value: &str,
    expected: &str,
    written: &str,
    help: &str,
    path: String,
) -> Diagnostic {
    Diagnostic::at_path(
        Code::StixRecord,
        format!("`{}` is not {expected}", crate::report::shorten(value, 60)),
        path,
    )
    .label("not STIX 2.1")
    .note(written.to_string())
    .help(help.to_string())
}

/// W120: a kept property that attrib writes its own of, and never from the record.
pub(super) fn stix_property_ours(name: &str, path: String) -> Diagnostic {
    let name = crate::report::shorten(name, 60);
    Diagnostic::at_path(
        Code::StixRecord,
        format!("property `{name}` is attrib's to write"),
        path,
    )
    .label("never written")
    .note(format!(
        "`export stix` writes its own `{name}` and never this one"
    ))
    .help(format!("remove `{name}` from `properties`"))
}

/// E013: a kept property nested deeper than any reader of a case goes (the RON reader stops
/// not far below, and the import keeps no deeper).
pub(super) fn stix_property_too_deep(name: &str, path: String) -> Diagnostic {
    let name = crate::report::shorten(name, 60);
    let max = crate::stix::wellformed::MAX_KEPT_DEPTH;
    Diagnostic::at_path(
        Code::BadValue,
        format!("property `{name}` nests more than {max} levels deep"),
        path,
    )
    .label("nested too deeply")
    .note(format!(
        "a STIX import keeps no property deeper than {max} levels, and a case in RON cannot hold one much deeper"
    ))
    .help(format!("flatten the value, or remove `{name}` from `properties`"))
}

/// W120: a kept property whose value is none STIX allows there, or none the import keeps
/// (`expected`: what it would have to be).
pub(super) fn stix_property_value(name: &str, expected: &str, path: String) -> Diagnostic {
    let note = if ["revoked", "x_mitre_deprecated"].contains(&name) {
        "`export stix` leaves the property out: an object revoked or deprecated is not imported"
    } else {
        "`export stix` leaves the property out: the bundle would fail STIX 2.1 validation"
    };
    let name = crate::report::shorten(name, 60);
    Diagnostic::at_path(
        Code::StixRecord,
        format!("property `{name}` is not {expected}"),
        path,
    )
    .label("never written")
    .note(note)
    .help(format!(
        "write the value the object came with, or remove `{name}` from `properties`"
    ))
}

/// W120: an entry of a kept `extensions` that is none STIX allows.
pub(super) fn stix_extension(key: &str, path: String) -> Diagnostic {
    Diagnostic::at_path(
        Code::StixRecord,
        format!(
            "extension `{}` is none STIX 2.1 allows",
            crate::report::shorten(key, 60)
        ),
        path,
    )
    .label("never written")
    .note("`export stix` leaves the extension out: the bundle would fail STIX 2.1 validation")
    .help(
        "STIX allows, under an extension definition's id, an object naming its \
         `extension_type` (`property-extension`, …), and under a name ending in `-ext` \
         (`x-acme-ext`), an object of one property or more; its properties named in `a`–`z`, \
         `0`–`9` and `_` from a letter on, none null or an empty list. Write the extension as \
         the object came with it, or remove it",
    )
}

/// W120: a record whose id is of another type than its `kind`.
pub(super) fn stix_kind(id: &str, kind: &str, path: String) -> Diagnostic {
    let named = id.split_once("--").map_or(id, |(t, _)| t);
    Diagnostic::at_path(
        Code::StixRecord,
        format!(
            "STIX record of type `{}` holds an id of type `{}`",
            crate::report::shorten(kind, 60),
            crate::report::shorten(named, 60)
        ),
        path,
    )
    .label("not the id's type")
    .note(
        "a STIX id begins with its object's type, so one of the two was edited: `export stix` \
         goes by neither, and writes the object under an id of attrib's, without the \
         properties kept in the record",
    )
    .help_in(
        format!("write `kind: \"{named}\"` if that is what the object came as"),
        format!("write `\"kind\": \"{named}\"` if that is what the object came as"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A date year first but parted by slashes or dots is given back with hyphens (padded);
    /// one that is no date that way gets the general help.
    #[test]
    fn a_year_first_date_with_slashes_is_rewritten_with_hyphens() {
        let help = |text: &str| {
            let d = bad_date(text, "x".into(), "claims[0].date".into());
            d.help.unwrap_or_default()
        };
        for (text, date) in [
            ("2017/12/20", "2017-12-20"),
            ("2017.5.12", "2017-05-12"),
            ("2017/12", "2017-12"),
        ] {
            assert_eq!(
                help(text),
                format!("write it with hyphens: `{date}`"),
                "{text}"
            );
        }
        assert!(help("2017/13/01").starts_with("write an existing date"));
        assert!(help("20/12/2017").contains("year first: write `2017-12-20`"));
    }

    /// The messages of RON `text`'s diagnostics: label and help of each.
    fn said(text: &str) -> Vec<(String, String)> {
        let Err(all) = crate::load::load(text, crate::format::Syntax::Ron) else {
            panic!("{text} loads");
        };
        (all.into_iter())
            .map(|d| (d.label, d.help.unwrap_or_default()))
            .collect()
    }

    const TWO_OF_A_FAMILY: &str = r#"Case(title: "t",
        actors: [Actor(id: "a", name: "A", kind: State)],
        incidents: [Incident(id: "x", name: "X")],
        sources: [
            Source(id: "us-wh", name: "White House", kind: Government, reliability: B, family: "us-gov"),
            Source(id: "doj", name: "DOJ", kind: Government, reliability: B, family: "us-gov"),
            Source(id: "au-gov", name: "Australia", kind: Government, reliability: B),
        ],
        claims: [
            Claim(id: "c1", source: "us-wh", subject: "x", relation: AttributedTo, object: "a",
                  wording: "w", url: "https://e.org", likelihood: Icd("likely")),
            Claim(id: "c2", source: SOURCE, subject: "x", relation: AttributedTo, object: "a",
                  wording: "w", url: "https://e.org", likelihood: Icd("likely"), derived_from: [ORIGIN]),
        ])"#;

    /// A source's name written as an id is told as the source's name, with the name said
    /// where it is not what was written (and short enough to say).
    #[test]
    fn a_sources_name_written_as_an_id_names_the_source() {
        let long = "The Ministry of Foreign Affairs and International Cooperation of Ruritania";
        for (name, written, label) in [
            (
                "White House",
                "White House",
                "the name of source `us-wh`, not its id",
            ),
            (
                "White House",
                "white-house",
                "the name of source `us-wh`, \"White House\", written as an id",
            ),
            (
                long,
                "ministry-of-foreign-affairs-and-international-cooperation-of-ruritania",
                "the name of source `us-wh`, not its id",
            ),
        ] {
            let text = TWO_OF_A_FAMILY
                .replace("\"White House\"", &format!("\"{name}\""))
                .replace("SOURCE", &format!("\"{written}\""))
                .replace("ORIGIN", "\"c1\"");
            let said = said(&text);
            assert_eq!(said.len(), 1, "{said:?}");
            assert_eq!(said[0].0, label);
            assert_eq!(said[0].1, "a claim names its source by id: write `us-wh`");
        }
    }

    /// A family's name for a claim's source is not answered with the nearest source id (a
    /// member of another family, here): the family's sources are named, none chosen.
    #[test]
    fn a_family_for_a_source_names_its_members() {
        let text = TWO_OF_A_FAMILY
            .replace("SOURCE", "\"us-gov\"")
            .replace("ORIGIN", "\"c1\"");
        let said = said(&text);
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!(said[0].0, "a family of sources, not a source");
        assert!(
            said[0]
                .1
                .ends_with("of family `us-gov` that did, `us-wh` or `doj`"),
            "{said:?}"
        );
        assert!(!said[0].1.contains("au-gov"), "{said:?}");
    }

    /// A source's id in `derived_from` is said to be a source's, not answered with advice to
    /// add the claim to the case.
    #[test]
    fn a_source_restated_is_said_to_be_no_claim() {
        let text = TWO_OF_A_FAMILY
            .replace("SOURCE", "\"doj\"")
            .replace("ORIGIN", "\"us-wh\"");
        // (Beside the warning that `au-gov` made no claim.)
        let said = said(&text);
        assert_eq!(said[0].0, "the id of a source, not of a claim");
        assert!(
            said[0].1.contains("the claim of source `us-wh` it repeats"),
            "{said:?}"
        );
    }

    #[test]
    fn numbers_are_shown_short_at_either_end() {
        assert_eq!(show_number(1e308), "1e308");
        assert_eq!(show_number(-1e-300), "-1e-300");
        assert_eq!(show_number(0.25), "0.25");
        assert_eq!(show_number(2000000.0), "2000000");
        assert_eq!(show_number(-0.0), "0");
    }

    /// A percentage's fraction has the digits the percentage has, not the ones dividing by a
    /// hundred leaves in binary floating point.
    #[test]
    fn a_percentage_is_written_as_its_fraction() {
        for (p, fraction) in [
            (30.0, "0.3"),
            (7.0, "0.07"),
            (100.0, "1"),
            (87.5, "0.875"),
            (33.3, "0.333"),
        ] {
            assert_eq!(fraction_of_percent(p), fraction, "{p}");
        }
        let (ron, json) = likelihood_percent_help(30.0);
        assert_eq!(ron, "for 30 %, write `Probability(0.3)` or `Stix(30)`");
        assert_eq!(
            json,
            "for 30 %, write `{\"Probability\": 0.3}` or `{\"Stix\": 30}`"
        );
    }

    /// A date written with the month's name, or with a time of day, is given back as the
    /// date to write; what names no single date gets the general help.
    #[test]
    fn dates_in_words_or_with_a_time_are_rewritten() {
        let help = |text: &str| {
            let d = bad_date(text, "x".into(), "claims[0].date".into());
            d.help.unwrap_or_default()
        };
        for (text, date) in [
            ("Dec 20, 2014", "2014-12-20"),
            ("20 December 2014", "2014-12-20"),
            ("December 20th, 2014", "2014-12-20"),
            ("Dec. 2014", "2014-12"),
            ("may 1st 2022", "2022-05-01"),
        ] {
            assert_eq!(
                help(text),
                format!("dates are written in numbers, year first: write `{date}`"),
                "{text}"
            );
        }
        for text in ["2014-12-20T10:00:00Z", "2014-12-20 10:00"] {
            assert_eq!(
                help(text),
                "a date holds no time of day: write `2014-12-20`",
                "{text}"
            );
        }
        for text in [
            "Feb 30, 2014",
            "Dec 2014 Jan",
            "Decembre 5 2014 6",
            "20 Smarch 2014",
            "é",
        ] {
            assert!(
                help(text).starts_with("write an existing date"),
                "{text}: {}",
                help(text)
            );
        }
    }
}
