//! What the fuzz targets check, kept in one library so that every target follows the path the
//! CLI takes and applies the same oracles.
//!
//! A target fails (and libFuzzer saves the input) on any panic: a panic inside attrib is a bug
//! by itself (bad input must give diagnostics), and the `assert!`s here add what "no panic"
//! cannot see — an empty diagnostic, a converted file that no longer loads, DOT in which an
//! untrusted string escaped its quotes.

use arbitrary::{Arbitrary, Unstructured};
use attrib::diagnostic::render;
use attrib::export::dot::{self, View};
use attrib::format::{
    ActorFile, ActorKind, CaseFile, ClaimFile, GroupFile, GroupKind, IncidentFile, Likelihood,
    Relation, SourceFile, SourceKind, Syntax,
};
use attrib::load::{load, load_bytes, text_of};
use attrib::model::Case;
use attrib::report::table::Screen;
use attrib::terms::{Confidence, Grade};
use std::collections::{BTreeMap, BTreeSet};
use std::iter::Peekable;
use std::str::CharIndices;
use unicode_width::UnicodeWidthStr;

/// Loads bytes as `attrib check` does, then runs everything downstream of a successful load.
/// Returns whether the bytes were a valid case.
pub fn load_case(bytes: &[u8], syntax: Syntax) -> bool {
    let text = match text_of(bytes) {
        Ok(text) => text,
        Err(d) => {
            let d = [d];
            assert!(!render(&d, "fuzz", "", false).is_empty());
            placed(bytes, &d);
            return false;
        }
    };
    match load(text, syntax) {
        Err(diags) => {
            assert!(!diags.is_empty(), "a failed load gave no diagnostic");
            assert!(
                diags.iter().any(|d| d.is_error()),
                "a failed load gave no error"
            );
            assert!(!render(&diags, "fuzz", text, false).is_empty());
            placed(bytes, &diags);
            false
        }
        Ok(loaded) => {
            if !loaded.warnings.is_empty() {
                assert!(!render(&loaded.warnings, "fuzz", text, false).is_empty());
                placed(bytes, &loaded.warnings);
            }
            downstream(&loaded.case);
            round_trip(&loaded.file, loaded.case.claims.len());
            true
        }
    }
}

/// `check --format json` of the diagnostics: JSON that reads back, one entry per diagnostic,
/// every place within the file and its start no later than its end.
fn placed(bytes: &[u8], diagnostics: &[attrib::diagnostic::Diagnostic]) {
    use attrib::diagnostic::json;
    let entry = json::place(&json::Checked {
        file: "fuzz",
        bytes,
        counts: None,
        diagnostics,
        allowed: 0,
        ok: false,
    });
    let mut out = Vec::new();
    json::write(&[entry], &mut out).expect("written into memory");
    let doc: serde_json::Value = serde_json::from_slice(&out).expect("the document is JSON");
    let listed = doc["files"][0]["diagnostics"].as_array().expect("a list");
    assert_eq!(listed.len(), diagnostics.len());
    let places = listed.iter().chain(
        listed
            .iter()
            .flat_map(|d| d["related"].as_array().expect("a list")),
    );
    for p in places {
        if p["start"].is_null() {
            continue;
        }
        let at = |end: &str| p[end]["offset"].as_u64().expect("an offset") as usize;
        assert!(at("start") <= at("end") && at("end") <= bytes.len(), "{p}");
    }
}

/// `attrib convert` output must load again, in both syntaxes, with the same claims.
fn round_trip(file: &CaseFile, claims: usize) {
    let mut file = file.clone();
    file.normalise();
    for syntax in [Syntax::Ron, Syntax::Json] {
        let text = file.to_syntax(syntax);
        match load_bytes(text.as_bytes(), syntax) {
            Ok(again) => assert_eq!(again.case.claims.len(), claims, "{syntax:?}:\n{text}"),
            Err(diags) => panic!(
                "a loaded case, converted to {syntax:?}, no longer loads:\n{}\n{text}",
                render(&diags, "converted", &text, false)
            ),
        }
    }
}

/// Renders into memory, as the CLI renders into standard output or a file: a renderer may not
/// fail on a writer that does not, and what it writes is UTF-8.
fn rendered(render: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    render(&mut out).expect("writing into memory does not fail");
    String::from_utf8(out).expect("renderers write UTF-8")
}

/// The text without the ANSI colour sequences the table wraps its likelihood cells in (case
/// text reaches the table escaped, so every escape character is attrib's own).
fn strip_colour(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\u{1b}') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let end = tail.find('m').map_or(tail.len(), |m| m + 1);
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Reasons on a valid case and renders every report and both diagrams.
pub fn downstream(case: &Case) {
    let assessment = attrib::assess(case, Default::default());
    assert!(!rendered(|w| attrib::report::markdown::render(case, &assessment, w)).is_empty());
    assert!(!rendered(|w| attrib::report::json::render(case, &assessment, w)).is_empty());
    // As wide as its content, and fitted to a narrow terminal (wrapped or stacked rows): every
    // line within the width.
    assert!(
        !rendered(|w| attrib::report::table::render(case, &assessment, Screen::default(), w))
            .is_empty()
    );
    let narrow = Screen {
        colour: true,
        width: Some(40),
    };
    let fitted = rendered(|w| attrib::report::table::render(case, &assessment, narrow, w));
    let bare = strip_colour(&fitted);
    for line in bare.lines() {
        assert!(
            UnicodeWidthStr::width(line) <= 40,
            "wider than 40: {line:?}\n{bare}"
        );
    }
    for view in [View::Assessment, View::Evidence] {
        let figure = dot::figure(case, &assessment, view, None);
        let text = rendered(|w| dot::write(&figure, w));
        let (nodes, edges) = figure.count();
        if let Err(e) = check_dot(&text, nodes, edges) {
            panic!("{view:?} view: {e}\n{text}");
        }
        // Focus on every node in turn is too slow for a fuzz loop; the first one will do.
        if let Some(first) = figure.first_node() {
            let focused = figure.focus(first, 1).expect("a node of the figure");
            let text = rendered(|w| dot::write(&focused, w));
            let (nodes, edges) = focused.count();
            if let Err(e) = check_dot(&text, nodes, edges) {
                panic!("{view:?} view focused on {first:?}: {e}\n{text}");
            }
        }
    }
}

/// Imports a STIX bundle as `attrib import stix` does; the case it writes must parse again.
pub fn import_stix(bytes: &[u8]) {
    let Ok(text) = text_of(bytes) else { return };
    use attrib::stix::import::ConfidenceReading;
    // Both readings of `confidence`, chosen by the input so the corpus covers each.
    let confidence = if bytes.len().is_multiple_of(2) {
        ConfidenceReading::Probability
    } else {
        ConfidenceReading::Strength
    };
    let options = attrib::stix::import::ImportOptions {
        reliability: Grade::B,
        title: "Imported from fuzz".to_string(),
        confidence,
        case: None,
    };
    let Ok(mut imported) = attrib::stix::import::import(text, &options) else {
        return;
    };
    // The summary accounts for every object of the bundle, once.
    let objects = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| v.get("objects").and_then(|o| o.as_array()).map(Vec::len));
    if let Some(objects) = objects {
        let counted: usize = imported
            .imported
            .values()
            .chain(imported.skipped.values())
            .sum();
        assert_eq!(
            counted, objects,
            "imported {:?}, skipped {:?}",
            imported.imported, imported.skipped
        );
    }
    imported.file.normalise();
    for syntax in [Syntax::Ron, Syntax::Json] {
        let written = imported.file.to_syntax(syntax);
        // The import need not be a valid case (the analyst finishes it), but it must be a
        // well-formed file, and checking it must give diagnostics, not a panic.
        let parsed = attrib::load::parse(&written, syntax);
        assert!(
            parsed.is_ok(),
            "the imported case does not parse as {syntax:?}: {:?}\n{written}",
            parsed.err()
        );
        load_case(written.as_bytes(), syntax);
    }
}

// ---------------------------------------------------------------------------------------------
// A case built from fuzzed strings, for the DOT writer.

/// A small case whose structure is always sensible (claims link the right kinds of things) and
/// whose every string — ids, names, aliases, titles, notes, families — comes from the fuzzer.
#[derive(Debug, Arbitrary)]
pub struct FuzzCase {
    // One incident, actor, source and claim at least, so that most inputs draw something.
    incident: FuzzIncident,
    actor: FuzzActor,
    source: FuzzSource,
    claim: FuzzClaim,
    title: String,
    description: Option<String>,
    analyst: Option<String>,
    actors: Vec<FuzzActor>,
    groups: Vec<FuzzGroup>,
    incidents: Vec<FuzzIncident>,
    sources: Vec<FuzzSource>,
    claims: Vec<FuzzClaim>,
}

#[derive(Debug, Arbitrary)]
struct FuzzActor {
    id: String,
    name: String,
    kind: u8,
    aliases: Vec<String>,
    part_of: Option<u8>,
    description: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct FuzzGroup {
    id: String,
    name: String,
    persona: bool,
    aliases: Vec<String>,
    description: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct FuzzIncident {
    id: String,
    name: String,
    aliases: Vec<String>,
    victim: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct FuzzSource {
    id: String,
    name: String,
    kind: u8,
    grade: u8,
    family: Option<String>,
    url: Option<String>,
    note: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct FuzzClaim {
    id: String,
    source: u8,
    shape: u8,
    subject: u8,
    object: u8,
    likelihood: u8,
    confidence: u8,
    wording: Option<String>,
    url: Option<String>,
    note: Option<String>,
    derived_from: Option<u8>,
}

const ACTOR_KINDS: [ActorKind; 7] = [
    ActorKind::State,
    ActorKind::Agency,
    ActorKind::MilitaryUnit,
    ActorKind::Organisation,
    ActorKind::Company,
    ActorKind::Person,
    ActorKind::Unidentified,
];

const SOURCE_KINDS: [SourceKind; 8] = [
    SourceKind::Government,
    SourceKind::Vendor,
    SourceKind::Victim,
    SourceKind::Adversary,
    SourceKind::Media,
    SourceKind::Alliance,
    SourceKind::KnowledgeBase,
    SourceKind::Researcher,
];

fn likelihood(n: u8) -> Likelihood {
    match n % 6 {
        0 => Likelihood::Icd("very likely".into()),
        1 => Likelihood::Icd("roughly even chance".into()),
        2 => Likelihood::Phia("highly unlikely".into()),
        3 => Likelihood::Probability(f64::from(n) / 256.0 + 0.001),
        4 => Likelihood::Stix(i64::from(n % 101)),
        _ => Likelihood::Admiralty(i64::from(n % 6) + 1),
    }
}

fn pick<T: Clone>(list: &[T], n: u8) -> Option<T> {
    (!list.is_empty()).then(|| list[usize::from(n) % list.len()].clone())
}

/// Fuzzed text, made non-blank where attrib requires a value (a blank one is rejected before
/// anything is drawn); what the fuzzer chose is kept.
fn filled(text: &str) -> String {
    if text.trim().is_empty() {
        format!("{text}x")
    } else {
        text.to_string()
    }
}

/// Fuzzed text for an identifier (an id, alias or family): attrib rejects an invisible
/// character in one before anything is drawn (ids are written bare in every output), so they
/// are left out here; names, titles and notes keep whatever the fuzzer chose.
fn identifier(text: &str) -> String {
    let visible: String = text
        .chars()
        .filter(|c| !attrib::escape::is_invisible(*c))
        .collect();
    filled(&visible)
}

/// Makes each id unique (a duplicate id is rejected before anything is drawn).
fn unique(id: String, used: &mut BTreeSet<String>) -> String {
    let mut candidate = id.clone();
    let mut n = 1;
    while !used.insert(candidate.clone()) {
        candidate = format!("{id}~{n}");
        n += 1;
    }
    candidate
}

/// Hands out the ids, names and aliases of actors, groups and incidents, which share one
/// case-insensitive namespace: a spelling naming two things is rejected before anything is
/// drawn, so a clash gets a suffix.
#[derive(Default)]
struct Names {
    owner: BTreeMap<String, usize>,
}

impl Names {
    fn spell(&mut self, text: &str, owner: usize) -> String {
        let text = filled(text);
        let mut candidate = text.clone();
        let mut n = 1;
        loop {
            let key = candidate.trim().to_lowercase();
            match self.owner.get(&key) {
                Some(&o) if o != owner => {
                    candidate = format!("{text}~{n}");
                    n += 1;
                }
                _ => {
                    self.owner.insert(key, owner);
                    return candidate;
                }
            }
        }
    }

    fn spell_all(&mut self, texts: &[String], owner: usize) -> Vec<String> {
        texts
            .iter()
            .map(|t| self.spell(&identifier(t), owner))
            .collect()
    }
}

/// The ids a generated claim may name, by what they are.
struct Ends {
    actors: Vec<String>,
    groups: Vec<String>,
    incidents: Vec<String>,
    sources: Vec<String>,
    /// Actors then groups: what an incident can be attributed to.
    responsible: Vec<String>,
}

/// At most this many declarations of each kind (twice as many claims): enough for every shape
/// of graph, few enough for a fast run.
const MAX: usize = 6;

impl FuzzCase {
    pub fn to_file(&self) -> CaseFile {
        // Every declaration's names are spelled apart from every other's, in this order.
        let mut names = Names::default();
        let mut owner = 0;
        let actors = self.actor_files(&mut names, &mut owner);
        let groups = self.group_files(&mut names, &mut owner);
        let incidents = self.incident_files(&mut names, &mut owner);
        let sources = self.source_files();
        let actor_ids: Vec<String> = actors.iter().map(|a| a.id.clone()).collect();
        let group_ids: Vec<String> = groups.iter().map(|g| g.id.clone()).collect();
        let ends = Ends {
            responsible: actor_ids.iter().chain(&group_ids).cloned().collect(),
            actors: actor_ids,
            groups: group_ids,
            incidents: incidents.iter().map(|i| i.id.clone()).collect(),
            sources: sources.iter().map(|s| s.id.clone()).collect(),
        };
        let claims = self.claim_files(&ends);
        CaseFile {
            title: filled(&self.title),
            description: self.description.clone(),
            analyst: self.analyst.clone(),
            as_of: Some("2024-01-01".into()),
            actors,
            groups,
            incidents,
            sources,
            claims,
            ..Default::default()
        }
    }

    fn actor_files(&self, names: &mut Names, owner: &mut usize) -> Vec<ActorFile> {
        let mut next = || {
            *owner += 1;
            *owner
        };
        let mut actors: Vec<ActorFile> = std::iter::once(&self.actor)
            .chain(&self.actors)
            .take(MAX)
            .map(|a| {
                let o = next();
                (a, o)
            })
            .map(|(a, o)| ActorFile {
                id: names.spell(&identifier(&a.id), o),
                name: names.spell(&a.name, o),
                kind: ACTOR_KINDS[usize::from(a.kind) % ACTOR_KINDS.len()],
                aliases: names.spell_all(&a.aliases, o),
                part_of: None,
                description: a.description.clone(),
            })
            .collect();
        let actor_ids: Vec<String> = actors.iter().map(|a| a.id.clone()).collect();
        // Structural membership only towards an earlier actor: no cycle.
        for (i, a) in std::iter::once(&self.actor)
            .chain(&self.actors)
            .take(MAX)
            .enumerate()
        {
            if let Some(p) = a.part_of
                && i > 0
            {
                actors[i].part_of = Some(actor_ids[usize::from(p) % i].clone());
            }
        }
        actors
    }

    fn group_files(&self, names: &mut Names, owner: &mut usize) -> Vec<GroupFile> {
        let mut next = || {
            *owner += 1;
            *owner
        };
        self.groups
            .iter()
            .take(MAX)
            .map(|g| {
                let o = next();
                (g, o)
            })
            .map(|(g, o)| GroupFile {
                id: names.spell(&identifier(&g.id), o),
                name: names.spell(&g.name, o),
                kind: if g.persona {
                    GroupKind::Persona
                } else {
                    GroupKind::IntrusionSet
                },
                aliases: names.spell_all(&g.aliases, o),
                description: g.description.clone(),
            })
            .collect()
    }

    fn incident_files(&self, names: &mut Names, owner: &mut usize) -> Vec<IncidentFile> {
        let mut next = || {
            *owner += 1;
            *owner
        };
        std::iter::once(&self.incident)
            .chain(&self.incidents)
            .take(MAX)
            .map(|i| {
                let o = next();
                (i, o)
            })
            .map(|(i, o)| IncidentFile {
                id: names.spell(&identifier(&i.id), o),
                name: names.spell(&i.name, o),
                aliases: names.spell_all(&i.aliases, o),
                start: Some("2022-07-15".into()),
                end: None,
                victim: i.victim.clone(),
                description: i.description.clone(),
                references: vec![],
            })
            .collect()
    }

    fn source_files(&self) -> Vec<SourceFile> {
        let mut source_ids = BTreeSet::new();
        std::iter::once(&self.source)
            .chain(&self.sources)
            .take(MAX)
            .map(|s| SourceFile {
                id: unique(identifier(&s.id), &mut source_ids),
                name: filled(&s.name),
                kind: SOURCE_KINDS[usize::from(s.kind) % SOURCE_KINDS.len()],
                reliability: Some(Grade::ALL[usize::from(s.grade) % Grade::ALL.len()]),
                track_record: None,
                family: s.family.as_deref().map(identifier),
                url: s.url.clone(),
                note: s.note.clone(),
            })
            .collect()
    }

    /// Claims of the five shapes over `ends`, each derived only from an earlier attribution.
    fn claim_files(&self, ends: &Ends) -> Vec<ClaimFile> {
        let mut claim_ids = BTreeSet::new();
        let mut claims: Vec<ClaimFile> = Vec::new();
        for c in std::iter::once(&self.claim)
            .chain(&self.claims)
            .take(2 * MAX)
        {
            let Some(source) = pick(&ends.sources, c.source) else {
                break;
            };
            let (subject, relation, object) = match c.shape % 5 {
                0 => (
                    pick(&ends.incidents, c.subject),
                    Relation::AttributedTo,
                    pick(&ends.responsible, c.object),
                ),
                1 => (
                    pick(&ends.responsible, c.subject),
                    Relation::ClaimsResponsibility,
                    pick(&ends.incidents, c.object),
                ),
                2 => (
                    pick(&ends.groups, c.subject),
                    Relation::SponsoredBy,
                    pick(&ends.actors, c.object),
                ),
                3 => (
                    pick(&ends.groups, c.subject),
                    Relation::OperatedBy,
                    pick(&ends.actors, c.object),
                ),
                _ => (
                    pick(&ends.incidents, c.subject),
                    Relation::Condemns,
                    Some(String::new()),
                ),
            };
            let (Some(subject), Some(object)) = (subject, object) else {
                continue;
            };
            let derived_from = match c.derived_from {
                Some(d) if !claims.is_empty() && relation == Relation::AttributedTo => {
                    let earlier = &claims[usize::from(d) % claims.len()];
                    if earlier.relation == Relation::AttributedTo {
                        vec![earlier.id.clone()]
                    } else {
                        vec![]
                    }
                }
                _ => vec![],
            };
            claims.push(ClaimFile {
                id: unique(identifier(&c.id), &mut claim_ids),
                source,
                date: Some("2022-09-07".into()),
                subject,
                relation,
                object: (!object.is_empty()).then_some(object),
                wording: c.wording.clone(),
                likelihood: (relation != Relation::Condemns).then(|| likelihood(c.likelihood)),
                confidence: match c.confidence % 4 {
                    0 => None,
                    1 => Some(Confidence::Low),
                    2 => Some(Confidence::Moderate),
                    _ => Some(Confidence::High),
                },
                url: c.url.clone(),
                derived_from,
                note: c.note.clone(),
            });
        }
        claims
    }
}

/// Builds a case from fuzzed strings, writes it as RON (as an analyst would), loads it, and —
/// when it is a valid case — checks both diagrams and every report. Returns whether the case
/// was valid (and so drawn).
pub fn dot_writer(data: &[u8]) -> bool {
    let Ok(case) = FuzzCase::arbitrary_take_rest(Unstructured::new(data)) else {
        return false;
    };
    let text = case.to_file().to_ron();
    load_case(text.as_bytes(), Syntax::Ron)
}

// ---------------------------------------------------------------------------------------------
// The DOT oracle.

/// Attributes attrib writes; anything else outside a string means text escaped its quotes.
const DOT_ATTRIBUTES: &[&str] = &[
    "arrowhead",
    "arrowtail",
    "color",
    "constraint",
    "decorate",
    "dir",
    "fillcolor",
    "fontcolor",
    "fontname",
    "fontsize",
    "label",
    "labelloc",
    "nodesep",
    "penwidth",
    "rankdir",
    "ranksep",
    "shape",
    "style",
    "tooltip",
];

/// Elements and attributes attrib puts in HTML-like labels.
const HTML_ELEMENTS: &[&str] = &["l", "B", "BR", "FONT", "TABLE", "TR", "TD"];
const HTML_ATTRIBUTES: &[&str] = &[
    "ALIGN",
    "BALIGN",
    "BGCOLOR",
    "BORDER",
    "CELLBORDER",
    "CELLPADDING",
    "CELLSPACING",
    "COLOR",
    "COLSPAN",
    "POINT-SIZE",
    "WIDTH",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A bare word: keyword, attribute name, number, or constant.
    Word(String),
    /// A double-quoted string (its raw contents).
    Str(String),
    /// An HTML-like label (its contents without the outer `<` `>`).
    Html(String),
    Punct(&'static str),
}

fn tokens(dot: &str) -> Result<Vec<Tok>, String> {
    let mut out = Vec::new();
    let mut chars = dot.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_ascii_whitespace() => {}
            '"' => out.push(Tok::Str(quoted(&mut chars, at)?)),
            '<' => {
                let label = html_label(&mut chars, at)?;
                check_html(&label)?;
                out.push(Tok::Html(label));
            }
            '-' if chars.peek().is_some_and(|(_, d)| *d == '>') => {
                chars.next();
                out.push(Tok::Punct("->"));
            }
            '{' => out.push(Tok::Punct("{")),
            '}' => out.push(Tok::Punct("}")),
            '[' => out.push(Tok::Punct("[")),
            ']' => out.push(Tok::Punct("]")),
            ';' => out.push(Tok::Punct(";")),
            '=' => out.push(Tok::Punct("=")),
            ',' => out.push(Tok::Punct(",")),
            c if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' => {
                let mut w = String::from(c);
                while let Some(&(_, d)) = chars.peek() {
                    if d.is_ascii_alphanumeric() || d == '_' || d == '.' {
                        w.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Word(w));
            }
            c => return Err(format!("character {c:?} outside any string at byte {at}")),
        }
    }
    Ok(out)
}

/// The rest of a double-quoted DOT string opened at byte `at`: its raw contents, checked to
/// hold only the escapes, and none of the characters, attrib never writes.
fn quoted(chars: &mut Peekable<CharIndices<'_>>, at: usize) -> Result<String, String> {
    let mut s = String::new();
    loop {
        match chars.next() {
            None => return Err(format!("a string opened at byte {at} never closes")),
            Some((_, '"')) => break,
            Some((i, '\\')) => match chars.next() {
                Some((_, e @ ('\\' | '"' | 'n'))) => {
                    s.push('\\');
                    s.push(e);
                }
                other => {
                    return Err(format!(
                        "escape `\\{:?}` at byte {i} is not one attrib writes",
                        other.map(|(_, c)| c)
                    ));
                }
            },
            Some((i, c)) if c.is_control() => {
                return Err(format!(
                    "control character {c:?} inside a string at byte {i}"
                ));
            }
            // Graphviz copies strings into SVG, where XML forbids these.
            Some((i, c @ ('\u{fffe}' | '\u{ffff}'))) => {
                return Err(format!("non-character {c:?} inside a string at byte {i}"));
            }
            Some((_, c)) => s.push(c),
        }
    }
    Ok(s)
}

/// The rest of an HTML-like label opened at byte `at`: its contents up to the `>` that
/// balances the opening `<`.
fn html_label(chars: &mut Peekable<CharIndices<'_>>, at: usize) -> Result<String, String> {
    let mut depth = 1;
    let mut s = String::new();
    loop {
        match chars.next() {
            None => {
                return Err(format!("an HTML label opened at byte {at} never closes"));
            }
            Some((_, '<')) => {
                depth += 1;
                s.push('<');
            }
            Some((_, '>')) => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                s.push('>');
            }
            Some((_, c)) => s.push(c),
        }
    }
    Ok(s)
}

/// An HTML-like label must be well-formed markup made only of attrib's own elements: text
/// from the case may show inside it, never as an element or attribute.
fn check_html(label: &str) -> Result<(), String> {
    let wrapped = format!("<l>{label}</l>");
    let doc = roxmltree::Document::parse(&wrapped)
        .map_err(|e| format!("HTML-like label is not well-formed ({e}): <{label}>"))?;
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name();
        if !HTML_ELEMENTS.contains(&tag) {
            return Err(format!("element <{tag}> in an HTML-like label: <{label}>"));
        }
        for attr in node.attributes() {
            if !HTML_ATTRIBUTES.contains(&attr.name()) {
                return Err(format!(
                    "attribute {} on <{tag}> in an HTML-like label",
                    attr.name()
                ));
            }
        }
    }
    Ok(())
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
    nodes: usize,
    edges: usize,
}

impl Parser {
    fn next(&mut self) -> Result<Tok, String> {
        let t = self.toks.get(self.pos).cloned().ok_or("DOT ends early")?;
        self.pos += 1;
        Ok(t)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn expect(&mut self, p: &'static str) -> Result<(), String> {
        match self.next()? {
            Tok::Punct(q) if q == p => Ok(()),
            other => Err(format!(
                "expected `{p}`, found {other:?} (token {})",
                self.pos
            )),
        }
    }

    fn attribute(&mut self) -> Result<(), String> {
        match self.next()? {
            Tok::Word(k) if DOT_ATTRIBUTES.contains(&k.as_str()) => {}
            other => return Err(format!("{other:?} where an attribute name belongs")),
        }
        self.expect("=")?;
        match self.next()? {
            Tok::Str(_) | Tok::Html(_) | Tok::Word(_) => Ok(()),
            other => Err(format!("{other:?} where an attribute value belongs")),
        }
    }

    fn attr_list(&mut self) -> Result<(), String> {
        self.expect("[")?;
        loop {
            match self.peek() {
                Some(Tok::Punct("]")) => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(Tok::Punct(",")) => self.pos += 1,
                _ => self.attribute()?,
            }
        }
    }

    fn statements(&mut self) -> Result<(), String> {
        loop {
            match self.next()? {
                Tok::Punct("}") => return Ok(()),
                Tok::Punct(";") => {}
                Tok::Word(w) if w == "subgraph" => {
                    match self.next()? {
                        Tok::Word(c) if c.starts_with("cluster_") => {}
                        other => return Err(format!("subgraph named {other:?}")),
                    }
                    self.expect("{")?;
                    self.statements()?;
                }
                Tok::Word(w) if w == "node" || w == "edge" || w == "graph" => self.attr_list()?,
                Tok::Word(_) => {
                    self.pos -= 1;
                    self.attribute()?;
                }
                Tok::Str(_) => {
                    if self.peek() == Some(&Tok::Punct("->")) {
                        self.pos += 1;
                        match self.next()? {
                            Tok::Str(_) => self.edges += 1,
                            other => return Err(format!("edge to {other:?}")),
                        }
                    } else {
                        self.nodes += 1;
                    }
                    if self.peek() == Some(&Tok::Punct("[")) {
                        self.attr_list()?;
                    }
                }
                other => return Err(format!("{other:?} where a statement belongs")),
            }
        }
    }
}

/// Checks that `dot` is a digraph in the shape attrib writes — every id and free text a quoted
/// string, only attrib's attributes outside strings, well-formed HTML-like labels — with
/// exactly the expected numbers of node and edge statements (an injected one would add to them).
pub fn check_dot(dot: &str, nodes: usize, edges: usize) -> Result<(), String> {
    let toks = tokens(dot)?;
    let mut p = Parser {
        toks,
        pos: 0,
        nodes: 0,
        edges: 0,
    };
    match p.next()? {
        Tok::Word(w) if w == "digraph" => {}
        other => return Err(format!("starts with {other:?}, not `digraph`")),
    }
    p.expect("{")?;
    p.statements()?;
    if p.pos != p.toks.len() {
        return Err(format!(
            "tokens after the closing brace: {:?}",
            &p.toks[p.pos..]
        ));
    }
    if (p.nodes, p.edges) != (nodes, edges) {
        return Err(format!(
            "{} node and {} edge statements, expected {nodes} and {edges}",
            p.nodes, p.edges
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"digraph {
  label="a \"b\" \\";
  rankdir="LR";
  nodesep=0.30;
  node [fontname="Helvetica", fontsize=11];
  subgraph cluster_0 {
    label="x";
    "n1" [shape="note", label=<<B>a &amp; b</B><BR/><FONT POINT-SIZE="9">c</FONT>>];
  }
  "n2";
  "n1" -> "n2" [color="#000000", penwidth=1.50];
}
"##;

    #[test]
    fn accepts_what_attrib_writes() {
        assert_eq!(check_dot(GOOD, 2, 1), Ok(()));
        let case = include_str!("../../tests/data/hostile/hostile.ron");
        let loaded = attrib::load::load(case, Syntax::Ron).unwrap();
        downstream(&loaded.case);
    }

    #[test]
    fn rejects_escaped_text() {
        let injected = [
            GOOD.replace(r#""n2";"#, r#""n2" [URL="file:///etc/passwd"];"#),
            GOOD.replace(r#""n2";"#, r#""n2"; "evil";"#),
            GOOD.replace(r#""n2";"#, r#""n2\";"#),
            GOOD.replace(r#""n2";"#, r#""n2\x";"#),
            GOOD.replace("a &amp; b", "a <IMG SRC=\"x\"/> b"),
            GOOD.replace("a &amp; b", "a & b"),
            GOOD.replace("cluster_0", "evil"),
            GOOD.replace(r#""x""#, "\"x\ny\""),
            GOOD.replace(r#""x""#, "\"x\u{ffff}\""),
            GOOD.replace("a &amp; b", "a \u{fffe} b"),
        ];
        for dot in injected {
            assert!(check_dot(&dot, 2, 1).is_err(), "accepted:\n{dot}");
        }
        assert!(check_dot(GOOD, 3, 1).is_err());
    }

    /// Most fuzzed cases must be valid, or the DOT target would rarely draw anything.
    #[test]
    fn fuzzed_cases_are_mostly_valid() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut valid = 0;
        let mut with_claims = 0;
        for _ in 0..200 {
            let bytes: Vec<u8> = (0..400)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state >> 32) as u8
                })
                .collect();
            let case = FuzzCase::arbitrary_take_rest(Unstructured::new(&bytes)).unwrap();
            with_claims += usize::from(!case.to_file().claims.is_empty());
            valid += usize::from(dot_writer(&bytes));
        }
        assert!(valid >= 100, "{valid} of 200 fuzzed cases valid");
        assert!(
            with_claims >= 50,
            "{with_claims} of 200 fuzzed cases with claims"
        );
    }
}
