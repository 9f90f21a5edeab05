//! Items whose id changed between two versions of a case.
//!
//! Vendors rename what they track (Microsoft's DEV-0861 became Storm-0861), and an analyst
//! follows by changing the group's id, keeping the old name as an alias. Matched by id alone,
//! the group is removed and another added, every claim naming it changes, and its judgements
//! disappear and appear again at the same P. So before the versions are compared, an item only
//! the old version has is paired with one only the new version has when they are the same
//! thing by their spellings or by the claims naming them, and the old version's id is read as
//! the new one's everywhere it is named: what is left to compare is what changed besides the
//! id.

use crate::format::CaseFile;
use crate::load::Loaded;
use crate::model::{Case, Claim, EntityId, IncidentId, SourceId, Statement, name_key};
use std::collections::{BTreeMap, BTreeSet};

/// What kind of item was renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    /// An actor or a group.
    Entity,
    /// An incident.
    Incident,
    /// A source.
    Source,
    /// A claim.
    Claim,
}

/// One item renamed: its id in the old version and in the new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Rename {
    pub kind: Kind,
    pub old: String,
    pub new: String,
}

/// `old` read with the ids of `new` where an item was renamed ([`renamed`]), and the renames;
/// `None` and no renames when nothing was renamed, or `old` renamed is no valid case.
pub(super) fn aligned(old: &Loaded, new: &Case) -> (Option<Loaded>, Vec<Rename>) {
    let renames = renames(&old.case, new);
    match renamed(old, &renames) {
        Some(renamed) => (Some(renamed), renames),
        None => (None, Vec::new()),
    }
}

/// The id the new version gives the item of kind `kind` that the old version calls `id`:
/// `id` itself when it was not renamed.
pub(super) fn new_id<'a>(renames: &'a [Rename], kind: Kind, id: &'a str) -> &'a str {
    (renames.iter())
        .find(|r| r.kind == kind && r.old == id)
        .map_or(id, |r| r.new.as_str())
}

/// The items renamed from `old` to `new`: an item only `old` has and one only `new` has, of the
/// same kind (both actors, both groups, both incidents or both sources), that share a spelling
/// (id, name or alias, compared as names are: without regard to case) or are named by the same
/// claims saying the same of them (made by them, for sources; an actor of the same kind), each
/// the other's only such partner. Two candidates for one item are no rename: which one it
/// became is a guess.
fn renames(old: &Case, new: &Case) -> Vec<Rename> {
    let mut out = Vec::new();
    let (in_old, in_new) = (Unmatched::of(old, new), Unmatched::of(new, old));
    let pair = |kind, items: for<'a> fn(&'a Case, &Unmatched) -> Vec<Item<'a>>| {
        paired(kind, &items(old, &in_old), &items(new, &in_new))
    };
    out.extend(pair(Kind::Entity, entities));
    out.extend(pair(Kind::Incident, incidents));
    out.extend(pair(Kind::Source, sources));
    let claims = claims(old, new, &out);
    out.extend(claims);
    out
}

/// The claims given a new id and nothing else that says what they state: a claim only `old`
/// has and one only `new` has, made by the same source (under its new id, if renamed) of the
/// same ends, by the same relation, likelihood, confidence and date, each the other's only
/// such partner. Their wording, address and note may differ: the diff lists that as a change
/// of the renamed claim.
fn claims(old: &Case, new: &Case, items: &[Rename]) -> Vec<Rename> {
    fn ids(c: &Case) -> BTreeSet<&str> {
        c.claims.iter().map(|c| c.id.as_str()).collect()
    }
    let (old_ids, new_ids) = (ids(old), ids(new));
    // Looked up once per item a claim names (a scan of the renames each time made renaming
    // thousands of items and claims together quadratic).
    let items: NewIds<'_> = (items.iter())
        .map(|r| ((r.kind, r.old.as_str()), r.new.as_str()))
        .collect();
    // Each statement with the claims of each version stating it.
    let mut by: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
    for c in old
        .claims
        .iter()
        .filter(|c| !new_ids.contains(c.id.as_str()))
    {
        by.entry(statement(old, c, &items))
            .or_default()
            .0
            .push(&c.id);
    }
    for c in new
        .claims
        .iter()
        .filter(|c| !old_ids.contains(c.id.as_str()))
    {
        (by.entry(statement(new, c, &NewIds::default()))
            .or_default()
            .1)
            .push(&c.id);
    }
    (by.into_values())
        .filter_map(|(gone, came)| match (&gone[..], &came[..]) {
            ([o], [n]) => Some(Rename {
                kind: Kind::Claim,
                old: o.to_string(),
                new: n.to_string(),
            }),
            _ => None,
        })
        .collect()
}

/// Each renamed item's new id, by its kind and old id.
type NewIds<'a> = std::collections::HashMap<(Kind, &'a str), &'a str>;

/// What `claim` of `case` states, its items named by their ids after `renames`.
fn statement(case: &Case, claim: &Claim, renames: &NewIds<'_>) -> String {
    let id = |kind: Kind, id: &str| -> String {
        renames.get(&(kind, id)).copied().unwrap_or(id).to_string()
    };
    let entity = |e: EntityId| id(Kind::Entity, &case.entity(e).id);
    let incident = |i: IncidentId| id(Kind::Incident, &case.incident(i).id);
    let source = id(Kind::Source, &case.source(claim.source).id);
    written(claim, &source, entity, incident)
}

/// What `claim` states, in one line, its source and ends written as `source`, `entity` and
/// `incident` say: two claims alike by it state the same thing.
fn written(
    claim: &Claim,
    source: &str,
    entity: impl Fn(EntityId) -> String,
    incident: impl Fn(IncidentId) -> String,
) -> String {
    let ends = match claim.statement {
        Statement::Responsible { incident: i, actor } => {
            format!("{} {}", incident(i), entity(actor))
        }
        Statement::Link { from, to } => format!("{} {}", entity(from), entity(to)),
        Statement::SameAs { a, b } => format!("{} {}", entity(a), entity(b)),
        Statement::Condemns { incident: i } => incident(i),
    };
    format!(
        "{source}|{:?}|{ends}|{:?}|{:?}|{:?}",
        claim.relation, claim.likelihood, claim.confidence, claim.date
    )
}

/// The actors and groups of `c` the other version lacks, as items.
fn entities<'a>(c: &'a Case, unmatched: &Unmatched) -> Vec<Item<'a>> {
    let named = naming(c, unmatched, |claim| match claim.statement {
        Statement::Responsible { actor, .. } => vec![Me::Entity(actor)],
        Statement::Link { from, to } => vec![Me::Entity(from), Me::Entity(to)],
        Statement::SameAs { a, b } => vec![Me::Entity(a), Me::Entity(b)],
        Statement::Condemns { .. } => vec![],
    });
    let items = c.entities.iter().zip(named);
    (items
        .filter(|(e, _)| unmatched.entities.contains(&e.id))
        .map(|(e, claims)| Item {
            id: e.id.clone(),
            kind: e.kind.declared_as(),
            detail: format!("{:?}", e.kind),
            spellings: keys(e.spellings()),
            claims,
        }))
    .collect()
}

/// The incidents of `c` the other version lacks, as items.
fn incidents<'a>(c: &'a Case, unmatched: &Unmatched) -> Vec<Item<'a>> {
    let named = naming(c, unmatched, |claim| match claim.statement {
        Statement::Responsible { incident, .. } | Statement::Condemns { incident } => {
            vec![Me::Incident(incident)]
        }
        Statement::Link { .. } | Statement::SameAs { .. } => vec![],
    });
    let items = c.incidents.iter().zip(named);
    (items
        .filter(|(i, _)| unmatched.incidents.contains(&i.id))
        .map(|(i, claims)| Item {
            id: i.id.clone(),
            kind: "incident",
            detail: String::new(),
            spellings: keys(i.spellings()),
            claims,
        }))
    .collect()
}

/// The sources of `c` the other version lacks, as items, each "named" by the claims it made.
fn sources<'a>(c: &'a Case, unmatched: &Unmatched) -> Vec<Item<'a>> {
    let made = naming(c, unmatched, |claim| vec![Me::Source(claim.source)]);
    let items = c.sources.iter().zip(made);
    (items
        .filter(|(s, _)| unmatched.sources.contains(&s.id))
        .map(|(s, claims)| Item {
            id: s.id.clone(),
            kind: "source",
            detail: String::new(),
            spellings: keys([s.id.as_str(), s.name.as_str()].into_iter()),
            claims,
        }))
    .collect()
}

/// An item by id, with what kind it is declared as, its own kind (an actor's: `State`,
/// `Unidentified`, …), the keys of its spellings, and the claims naming it, each by id with
/// what it says ([`signature`]).
struct Item<'a> {
    id: String,
    kind: &'static str,
    detail: String,
    spellings: BTreeSet<String>,
    claims: BTreeMap<&'a str, String>,
}

/// An item a claim names, as the item a [`signature`] is taken for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Me {
    Entity(EntityId),
    Incident(IncidentId),
    Source(SourceId),
}

impl Me {
    fn index(self) -> usize {
        match self {
            Me::Entity(e) => e.0 as usize,
            Me::Incident(i) => i.0 as usize,
            Me::Source(s) => s.0 as usize,
        }
    }
}

/// The claims naming each item the other version lacks, by the item's index (`named` gives the
/// items a claim names), each claim by id with what it says of the item; for as many items as
/// are named, at least: `zip` reads the rest as unnamed.
fn naming<'a>(
    case: &'a Case,
    unmatched: &Unmatched,
    named: impl Fn(&Claim) -> Vec<Me>,
) -> impl Iterator<Item = BTreeMap<&'a str, String>> {
    let mut out: Vec<BTreeMap<&str, String>> = Vec::new();
    for claim in &case.claims {
        for me in named(claim) {
            let i = me.index();
            if out.len() <= i {
                out.resize_with(i + 1, BTreeMap::new);
            }
            // Only items one version lacks are matched: no other claim is read.
            if unmatched.has(case, me) {
                out[i].insert(&claim.id, signature(case, unmatched, claim, me));
            }
        }
    }
    out.into_iter().chain(std::iter::repeat_with(BTreeMap::new))
}

/// The ids of one version that the other does not have, by kind: the items that may have
/// been renamed.
struct Unmatched {
    entities: BTreeSet<String>,
    incidents: BTreeSet<String>,
    sources: BTreeSet<String>,
}

impl Unmatched {
    /// Whether `me`, an item of `case`, is one the other version does not have.
    fn has(&self, case: &Case, me: Me) -> bool {
        match me {
            Me::Entity(e) => self.entities.contains(&case.entity(e).id),
            Me::Incident(i) => self.incidents.contains(&case.incident(i).id),
            Me::Source(s) => self.sources.contains(&case.source(s).id),
        }
    }

    /// The ids of `case` that `other` does not have.
    fn of(case: &Case, other: &Case) -> Unmatched {
        fn only<'a>(
            here: impl Iterator<Item = &'a String>,
            there: BTreeSet<&str>,
        ) -> BTreeSet<String> {
            here.filter(|id| !there.contains(id.as_str()))
                .cloned()
                .collect()
        }
        Unmatched {
            entities: only(
                case.entities.iter().map(|e| &e.id),
                other.entities.iter().map(|e| e.id.as_str()).collect(),
            ),
            incidents: only(
                case.incidents.iter().map(|i| &i.id),
                other.incidents.iter().map(|i| i.id.as_str()).collect(),
            ),
            sources: only(
                case.sources.iter().map(|s| &s.id),
                other.sources.iter().map(|s| s.id.as_str()).collect(),
            ),
        }
    }
}

/// What a claim says, with `me` (the item it is matched for) written `*`, and any other item
/// only this version has written `?` (it may be renamed too, as a source and the group it
/// blames both given new ids): a claim naming a renamed item says the same in both
/// versions; one pointed at another item both versions have, or changed otherwise, does not.
fn signature(case: &Case, unmatched: &Unmatched, claim: &Claim, me: Me) -> String {
    let shown = |this: bool, id: &'_ str, only_here: &BTreeSet<String>| -> String {
        if this {
            "*".to_string()
        } else if only_here.contains(id) {
            "?".to_string()
        } else {
            id.to_string()
        }
    };
    let entity = |e: EntityId| shown(me == Me::Entity(e), &case.entity(e).id, &unmatched.entities);
    let incident = |i: IncidentId| {
        shown(
            me == Me::Incident(i),
            &case.incident(i).id,
            &unmatched.incidents,
        )
    };
    let source = shown(
        me == Me::Source(claim.source),
        &case.source(claim.source).id,
        &unmatched.sources,
    );
    written(claim, &source, entity, incident)
}

fn keys<'a>(spellings: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    spellings.map(|s| name_key(s).into_owned()).collect()
}

/// The one-to-one pairs of an item only the old version has (`gone`) with one only the new
/// version has (`came`) that are alike ([`renames`]): of the same kind, sharing a spelling,
/// or named by the same claims saying the same with the same detail. Found through what
/// they share (comparing every item gone with every item come took 18 s for 16,000 renamed
/// groups): a key shared by two items on one side gives the item on the other two partners,
/// so no pair, without listing the pairs.
fn paired(kind: Kind, gone: &[Item], came: &[Item]) -> Vec<Rename> {
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum Key<'i, 'a> {
        Spelling(&'static str, &'i str),
        Claims(&'static str, &'i str, &'i BTreeMap<&'a str, String>),
    }
    fn keys<'i, 'a>(item: &'i Item<'a>) -> impl Iterator<Item = Key<'i, 'a>> {
        let spellings = (item.spellings.iter()).map(|s| Key::Spelling(item.kind, s));
        let claims =
            (!item.claims.is_empty()).then_some(Key::Claims(item.kind, &item.detail, &item.claims));
        spellings.chain(claims)
    }
    /// An item's partners on the other side, as far as the keys read so far tell.
    #[derive(Clone, Copy, PartialEq)]
    enum Partner {
        Unmet,
        One(usize),
        Many,
    }
    /// `partner` met `other` (`None`: items that are not one).
    fn met(partner: &mut Partner, other: Option<usize>) {
        *partner = match (*partner, other) {
            (Partner::Unmet, Some(o)) => Partner::One(o),
            (Partner::One(p), Some(o)) if p == o => Partner::One(p),
            _ => Partner::Many,
        };
    }
    let mut by: BTreeMap<Key, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, o) in gone.iter().enumerate() {
        for k in keys(o) {
            by.entry(k).or_default().0.push(i);
        }
    }
    for (j, n) in came.iter().enumerate() {
        for k in keys(n) {
            by.entry(k).or_default().1.push(j);
        }
    }
    let mut forth = vec![Partner::Unmet; gone.len()];
    let mut back = vec![Partner::Unmet; came.len()];
    let one = |side: &[usize]| (side.len() == 1).then(|| side[0]);
    for (g, c) in by.values() {
        if g.is_empty() || c.is_empty() {
            continue;
        }
        for &i in g {
            met(&mut forth[i], one(c));
        }
        for &j in c {
            met(&mut back[j], one(g));
        }
    }
    let mut out: Vec<Rename> = (forth.iter().enumerate())
        .filter_map(|(i, &f)| {
            let Partner::One(j) = f else {
                return None;
            };
            (back[j] == Partner::One(i)).then(|| Rename {
                kind,
                old: gone[i].id.clone(),
                new: came[j].id.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.old.cmp(&b.old));
    out
}

/// `old` with every rename applied: each item's id, and each place the file names it by that
/// id, read as in the new version. `None` when the result is no valid case (an old id that is
/// also another item's spelling, say): the versions are then compared by id as they are.
fn renamed(old: &Loaded, renames: &[Rename]) -> Option<Loaded> {
    if renames.is_empty() {
        return None;
    }
    let mut file = old.file.clone();
    let by = |kind: Kind| -> Ids<'_> {
        (renames.iter())
            .filter(|r| r.kind == kind)
            .map(|r| (name_key(&r.old).into_owned(), r.new.as_str()))
            .collect()
    };
    let (entities, incidents, sources) = (by(Kind::Entity), by(Kind::Incident), by(Kind::Source));
    rename_all(&mut file, &entities, &incidents, &sources);
    // Claim ids are matched exactly, not as names.
    let claims: BTreeMap<&str, &str> = (renames.iter())
        .filter(|r| r.kind == Kind::Claim)
        .map(|r| (r.old.as_str(), r.new.as_str()))
        .collect();
    rename_claims(&mut file, &claims);
    crate::load::validated(file).ok()
}

/// Applies claim renames (old id to new) to every claim's id, every claim it restates, and
/// the STIX record of each.
fn rename_claims(file: &mut CaseFile, claims: &BTreeMap<&str, &str>) {
    if claims.is_empty() {
        return;
    }
    let rename = |id: &mut String| {
        if let Some(new) = claims.get(id.as_str()) {
            *id = (*new).to_string();
        }
    };
    for c in &mut file.claims {
        rename(&mut c.id);
        c.derived_from.iter_mut().for_each(rename);
    }
    if let Some(stix) = &mut file.stix {
        let objects = std::mem::take(&mut stix.objects);
        stix.objects = (objects.into_iter())
            .map(|(mut key, object)| {
                if let Some(new) = key.strip_prefix("claim:").and_then(|id| claims.get(id)) {
                    key = format!("claim:{new}");
                }
                (key, object)
            })
            .collect();
    }
}

/// Old ids' keys ([`name_key`]) to new ids.
type Ids<'a> = BTreeMap<String, &'a str>;

/// `name` as the new version names the item, when it names a renamed item by its old id;
/// whether it did.
fn rename(map: &Ids<'_>, name: &mut String) -> bool {
    match map.get(name_key(name).as_ref()) {
        Some(new) => {
            *name = (*new).to_string();
            true
        }
        None => false,
    }
}

/// Applies the renames to every id of `file` and every place that names an item by one.
fn rename_all(file: &mut CaseFile, entities: &Ids<'_>, incidents: &Ids<'_>, sources: &Ids<'_>) {
    // A claim's subject and object name an actor, a group or an incident: one of them, so
    // an actor renamed to what an incident was called is not renamed twice.
    let either = |name: &mut String| {
        if !rename(entities, name) {
            rename(incidents, name);
        }
    };
    for a in &mut file.actors {
        rename(entities, &mut a.id);
        if let Some(p) = &mut a.part_of {
            rename(entities, p);
        }
    }
    for g in &mut file.groups {
        rename(entities, &mut g.id);
    }
    for i in &mut file.incidents {
        rename(incidents, &mut i.id);
    }
    for s in &mut file.sources {
        // A source without a family is its own, named by its id: the old family keeps its
        // name, so that a source declaring it stays on the same line of evidence, and a family
        // renamed with the source shows as a change of its own.
        if s.family.is_none() && sources.contains_key(name_key(&s.id).as_ref()) {
            s.family = Some(s.id.clone());
        }
        rename(sources, &mut s.id);
    }
    for c in &mut file.claims {
        rename(sources, &mut c.source);
        either(&mut c.subject);
        if let Some(o) = &mut c.object {
            either(o);
        }
    }
    for h in &mut file.hypotheses {
        rename(incidents, &mut h.incident);
        rename(entities, &mut h.actor);
    }
    for x in &mut file.exclusive {
        rename(incidents, &mut x.incident);
        for m in &mut x.members {
            rename(entities, m);
        }
    }
    if let Some(stix) = &mut file.stix {
        let objects = std::mem::take(&mut stix.objects);
        stix.objects = (objects.into_iter())
            .map(|(mut key, object)| {
                if let Some((prefix, id)) = key.split_once(':') {
                    let map = match prefix {
                        "entity" => Some(entities),
                        "incident" => Some(incidents),
                        "source" => Some(sources),
                        _ => None,
                    };
                    if let Some(new) = map.and_then(|m| m.get(name_key(id).as_ref())) {
                        key = format!("{prefix}:{new}");
                    }
                }
                (key, object)
            })
            .collect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item<'a>(id: &str, spellings: &[&str], claims: &[(&'a str, &str)]) -> Item<'a> {
        Item {
            id: id.to_string(),
            kind: "group",
            detail: String::new(),
            spellings: spellings.iter().map(|s| s.to_string()).collect(),
            claims: claims.iter().map(|&(c, s)| (c, s.to_string())).collect(),
        }
    }

    fn pairs(gone: &[Item], came: &[Item]) -> Vec<(String, String)> {
        (paired(Kind::Entity, gone, came).into_iter())
            .map(|r| (r.old, r.new))
            .collect()
    }

    #[test]
    fn only_items_each_the_others_one_partner_are_paired() {
        let pair = |o: &str, n: &str| (o.to_string(), n.to_string());
        // By a spelling, and by the same claims saying the same; in the order of old ids.
        let gone = [
            item("b", &["beta"], &[]),
            item("a", &["x1"], &[("c1", "s")]),
        ];
        let came = [
            item("b2", &["beta"], &[]),
            item("a2", &["y1"], &[("c1", "s")]),
        ];
        assert_eq!(pairs(&gone, &came), [pair("a", "a2"), pair("b", "b2")]);
        // Two spellings of one item gone, each another item's come: two candidates, none.
        let gone = [item("a", &["one", "two"], &[])];
        let came = [item("n1", &["one"], &[]), item("n2", &["two"], &[])];
        assert_eq!(pairs(&gone, &came), []);
        // Two items gone sharing a spelling with one come: none either way.
        let gone = [item("a", &["one"], &[]), item("b", &["one"], &[])];
        let came = [item("n", &["one"], &[])];
        assert_eq!(pairs(&gone, &came), []);
        // One key shared by two on a side spoils the pair another key makes.
        let gone = [item("a", &["one", "two"], &[]), item("b", &["two"], &[])];
        let came = [item("n", &["one"], &[]), item("m", &["two"], &[])];
        assert_eq!(pairs(&gone, &came), []);
        // Many keys shared by the same two items: one pair.
        let gone = [item("a", &["one", "two", "three"], &[("c", "s")])];
        let came = [item("n", &["one", "two", "three"], &[("c", "s")])];
        assert_eq!(pairs(&gone, &came), [pair("a", "n")]);
    }
}
