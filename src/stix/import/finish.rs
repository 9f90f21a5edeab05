//! The import's last phase: cycles broken, names tidied, records and markings kept, and
//! every object of the bundle accounted for.

use super::*;

/// Drops the link claims that close a cycle (A operated by B operated by A), which the checker
/// rejects, with a warning naming the STIX object (`stix_ids`, by index in `file.claims`); the
/// rest of the bundle imports. Returns the indices the dropped claims had.
/// The STIX id each imported claim came from, by the claim's index: what a warning about a
/// claim names.
pub(super) fn stix_ids_of_claims(claim_of: &HashMap<String, usize>) -> HashMap<usize, &str> {
    claim_of.iter().map(|(sid, &i)| (i, sid.as_str())).collect()
}

pub(super) fn break_cycles(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    stix_ids: &HashMap<usize, &str>,
) -> Vec<usize> {
    let mut graph = LinkGraph::of(file);
    let mut dropped: Vec<usize> = Vec::new();
    for (i, a, b) in std::mem::take(&mut graph.links) {
        if graph.reaches(b, a) {
            let c = &file.claims[i];
            let o = c.object.as_deref().unwrap_or_default();
            let at = stix_ids.get(&i).copied().unwrap_or(c.id.as_str());
            warnings.push(format!(
                "{at}: `{}` {} `{o}` closes a cycle of attributions (`{o}` already leads back to `{}`); this link is left out, the rest imported",
                c.subject,
                c.relation.phrase(),
                c.subject
            ));
            dropped.push(i);
        } else {
            graph.kept[a].push(b);
        }
    }
    let gone: HashSet<String> = dropped.iter().map(|&i| file.claims[i].id.clone()).collect();
    let mut k = 0;
    file.claims.retain(|_| {
        k += 1;
        dropped.binary_search(&(k - 1)).is_err()
    });
    for c in &mut file.claims {
        c.derived_from.retain(|d| !gone.contains(d));
    }
    dropped
}

/// The actors and groups of an imported case (by number) with the links between them: the
/// declared `part_of`s, kept from the start, and the link claims, to be kept in file order
/// unless they close a cycle.
pub(super) struct LinkGraph {
    /// Each node's strongly connected component in the graph of every link: a link can close
    /// a cycle only within one, so the others are kept without a search, and a feed's acyclic
    /// links cost no more than reading them.
    component: Vec<usize>,
    /// The links kept so far, by the node they leave.
    kept: Vec<Vec<usize>>,
    /// The link claims still to decide: (claim index, from, to).
    links: Vec<(usize, usize, usize)>,
    /// Scratch for [`LinkGraph::reaches`], all false between calls.
    seen: Vec<bool>,
}

impl LinkGraph {
    pub(super) fn of(file: &CaseFile) -> LinkGraph {
        let ids = (file.actors.iter().map(|a| &a.id)).chain(file.groups.iter().map(|g| &g.id));
        let mut node: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let next = node.len();
            node.entry(id.as_str()).or_insert(next);
        }
        let n = node.len();
        let mut kept: Vec<Vec<usize>> = vec![Vec::new(); n];
        for a in &file.actors {
            if let Some(&p) = a.part_of.as_deref().and_then(|p| node.get(p)) {
                kept[node[a.id.as_str()]].push(p);
            }
        }
        let links: Vec<(usize, usize, usize)> = (file.claims.iter().enumerate())
            .filter(|(_, c)| c.relation.is_link())
            .filter_map(|(i, c)| {
                let o = c.object.as_deref()?;
                Some((i, *node.get(c.subject.as_str())?, *node.get(o)?))
            })
            .collect();
        use petgraph::graph::{DiGraph, NodeIndex};
        let mut graph: DiGraph<(), ()> = DiGraph::new();
        for _ in 0..n {
            graph.add_node(());
        }
        let every = (kept.iter().enumerate())
            .flat_map(|(a, to)| to.iter().map(move |&b| (a, b)))
            .chain(links.iter().map(|&(_, a, b)| (a, b)));
        for (a, b) in every {
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), ());
        }
        let mut component = vec![0; n];
        // `kosaraju_scc` keeps its own stack (`tarjan_scc` recurses: a long chain of links
        // overflowed the thread's).
        for (k, scc) in petgraph::algo::kosaraju_scc(&graph).into_iter().enumerate() {
            for x in scc {
                component[x.index()] = k;
            }
        }
        LinkGraph {
            component,
            kept,
            links,
            seen: vec![false; n],
        }
    }

    /// Whether the links kept so far lead from `from` to `to` (searched only within their
    /// component, where every such path runs).
    pub(super) fn reaches(&mut self, from: usize, to: usize) -> bool {
        let within = self.component[from];
        if self.component[to] != within {
            return false;
        }
        let mut stack = vec![from];
        let mut visited = Vec::new();
        let mut found = false;
        while let Some(x) = stack.pop() {
            if x == to {
                found = true;
                break;
            }
            if !std::mem::replace(&mut self.seen[x], true) {
                visited.push(x);
                let next = self.kept[x].iter();
                stack.extend(next.filter(|&&y| self.component[y] == within));
            }
        }
        for x in visited {
            self.seen[x] = false;
        }
        found
    }
}

pub(super) fn short(stix_id: &str) -> String {
    stix_id
        .split_once("--")
        .map_or(stix_id, |(_, u)| u)
        .chars()
        .take(8)
        .collect()
}

/// Mends, with a warning each, what a feed's objects may hold that a case cannot, so that one
/// untidy object does not keep the bundle out: a name that is blank (the object's id stands
/// in) or holds an invisible character (named as it shows), an alias or a family with an
/// invisible character (a terminal escape, a bidirectional override: dropped, since ids,
/// aliases and families are typed on the command line), and an end before the start (the end
/// left out).
pub(super) fn tidy(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    stix_id: &dyn Fn(&str) -> Option<String>,
) {
    let invisible = crate::escape::first_invisible;
    // Every named object, with its aliases when it has any, and the kind its record is kept
    // under.
    let named = (file.actors.iter_mut())
        .map(|a| ("entity", &a.id, &mut a.name, Some(&mut a.aliases)))
        .chain(
            (file.groups.iter_mut()).map(|g| ("entity", &g.id, &mut g.name, Some(&mut g.aliases))),
        )
        .chain(
            (file.incidents.iter_mut())
                .map(|i| ("incident", &i.id, &mut i.name, Some(&mut i.aliases))),
        )
        .chain((file.sources.iter_mut()).map(|s| ("source", &s.id, &mut s.name, None)));
    // Names reported first, then aliases, as the checker would list them.
    let mut dropped = Vec::new();
    for (kind, id, name, aliases) in named {
        // Each warning led by the object's STIX id, which places it in the bundle.
        let object = || object_named(stix_id, kind, id);
        if crate::escape::blank(name) {
            warnings.push(format!(
                "{}: its name is blank; named by its id, `{id}`",
                object()
            ));
            *name = id.clone();
        } else if let Some(c) = invisible(name) {
            // Every output escapes it, but a name is what the analyst reads and types: the
            // name as a terminal shows it, without the escape sequences it begins.
            let shown = crate::escape::shown_text(name).trim().to_string();
            warnings.push(format!(
                "{}: its name holds the invisible character {}; named as it shows, `{}`",
                object(),
                crate::escape::visible(c),
                crate::escape::terminal::text(&shortened(&shown))
            ));
            *name = shown;
        }
        if let Some(list) = aliases {
            list.retain(|a| match invisible(a) {
                Some(c) => {
                    dropped.push(format!(
                        "{}: its alias `{}` holds the invisible character {}; dropped",
                        object(),
                        crate::escape::terminal::text(a),
                        crate::escape::visible(c)
                    ));
                    false
                }
                None => true,
            });
        }
    }
    warnings.append(&mut dropped);
    for src in &mut file.sources {
        if let Some(c) = src.family.as_deref().and_then(invisible) {
            warnings.push(format!(
                "the family of source `{}` holds the invisible character {}; left out",
                src.id,
                crate::escape::visible(c)
            ));
            src.family = None;
        }
    }
    for i in &mut file.incidents {
        let date = |d: &Option<String>| d.as_deref().and_then(|d| crate::date::Date::parse(d).ok());
        if let (Some(start), Some(end)) = (date(&i.start), date(&i.end))
            && end.wholly_before(start)
        {
            warnings.push(format!(
                "incident `{}` ends ({end}) before it starts ({start}); its end is left out",
                i.id
            ));
            i.end = None;
        }
    }
}

/// An object of the case as a warning about it begins: its STIX id when it came from one
/// (which places the warning in the bundle, [`warning_paths`]), then its id in the case.
/// `kind` is what its record is kept under (`entity`, `incident`, `source`).
pub(super) fn object_named(
    stix_id: &dyn Fn(&str) -> Option<String>,
    kind: &str,
    id: &str,
) -> String {
    match stix_id(&format!("{kind}:{id}")) {
        Some(s) => format!("{} (`{id}`)", shortened(&s)),
        None => format!("`{id}`"),
    }
}

/// Makes names unique and drops aliases that would name two things (the checker rejects
/// both), saying what changed.
pub(super) fn resolve_alias_conflicts(
    file: &mut CaseFile,
    warnings: &mut Vec<String>,
    stix_id: &dyn Fn(&str) -> Option<String>,
) {
    let mut owner: HashMap<String, String> = HashMap::new();
    // Takes `key` for `id`; where another object has it, that object's id, to name it: "also
    // names another object" left an analyst searching the bundle for which.
    let mut claim = |key: &str, id: &str| -> Result<(), String> {
        let k = crate::model::name_key(key).into_owned();
        match owner.get(&k) {
            Some(o) if o != id => Err(o.clone()),
            _ => {
                owner.insert(k, id.to_string());
                Ok(())
            }
        }
    };
    let mut named: Vec<(&str, &String, &mut String)> = Vec::new();
    named.extend(
        file.actors
            .iter_mut()
            .map(|a| ("entity", &a.id, &mut a.name)),
    );
    named.extend(
        file.groups
            .iter_mut()
            .map(|g| ("entity", &g.id, &mut g.name)),
    );
    named.extend((file.incidents.iter_mut()).map(|i| ("incident", &i.id, &mut i.name)));
    for (_, id, _) in &named {
        let _ = claim(id, id);
    }
    for (kind, id, name) in named {
        if let Err(other) = claim(name, id) {
            let renamed = format!("{} ({id})", name.trim());
            let object = object_named(stix_id, kind, id);
            warnings.push(format!(
                "{object}: its name `{name}` also names the object `{other}`; renamed `{renamed}`"
            ));
            let _ = claim(&renamed, id);
            *name = renamed;
        }
    }
    let mut filter = |kind: &str, id: &str, aliases: &mut Vec<String>| {
        aliases.retain(|a| match claim(a, id) {
            Ok(()) => true,
            Err(other) => {
                let object = object_named(stix_id, kind, id);
                warnings.push(format!(
                    "{object}: its alias `{a}` also names the object `{other}`; dropped"
                ));
                false
            }
        });
    };
    for a in &mut file.actors {
        filter("entity", &a.id, &mut a.aliases);
    }
    for g in &mut file.groups {
        filter("entity", &g.id, &mut g.aliases);
    }
    for i in &mut file.incidents {
        filter("incident", &i.id, &mut i.aliases);
    }
}

impl<'a, 'i> Importer<'a, 'i> {
    /// Cycles broken, alias conflicts resolved, the STIX records of foreign objects kept with digests of what they became.
    pub(super) fn finish(mut self) -> Imported {
        self.break_cycles();
        self.unnamed_left_out();
        let records = &self.records;
        let stix_id = |key: &str| records.get(key).and_then(|(r, _)| r.id.clone());
        tidy(&mut self.file, &mut self.warnings, &stix_id);
        resolve_alias_conflicts(&mut self.file, &mut self.warnings, &stix_id);
        self.keep_records();
        self.keep_markings();
        self.unaccounted();
        self.file.stix = Some(std::mem::take(&mut self.stix));
        self.file.normalise();
        Imported {
            file: self.file,
            imported: self.imported,
            skipped: self.skipped,
            warnings: self.warnings,
            warning_paths: Vec::new(),
        }
    }

    /// What attrib's records name that the bundle no longer holds (an object removed since the
    /// export, whose record others still name) left out with a warning, so that the case
    /// passes its check: an actor's `part_of`, a named hypothesis, a member of a set of
    /// competing hypotheses (the set too when fewer than two are left, or its incident is
    /// gone).
    pub(super) fn unnamed_left_out(&mut self) {
        self.ids_by_name = None;
        let by_name = self.ids_by_name().clone();
        let known = |n: &str| by_name.contains_key(crate::model::name_key(n).as_ref());
        let shown = |n: &str| crate::report::shorten(n, 60);
        let mut said = Vec::new();
        for a in &mut self.file.actors {
            if let Some(p) = a.part_of.take_if(|p| !known(p)) {
                said.push(format!(
                    "actor `{}` is part of `{}`, which the bundle does not hold; left out",
                    shown(&a.id),
                    shown(&p)
                ));
            }
        }
        self.file.hypotheses.retain(|h| {
            let kept = known(&h.incident) && known(&h.actor);
            if !kept {
                said.push(format!(
                    "the hypothesis `{}` on `{}` names what the bundle does not hold; left out",
                    shown(&h.actor),
                    shown(&h.incident)
                ));
            }
            kept
        });
        self.file.exclusive.retain_mut(|set| {
            let before = set.members.len();
            set.members.retain(|m| known(m));
            let kept = known(&set.incident) && set.members.len() >= 2;
            if !kept || set.members.len() < before {
                said.push(format!(
                    "a set of competing hypotheses on `{}` names what the bundle does not hold; {}",
                    shown(&set.incident),
                    if kept { "those left out" } else { "left out" }
                ));
            }
            kept
        });
        // Two sets of the same members on one incident (two producers' groupings, or members
        // revoked in favour of the same actor) are one: a case declares a set once (E020).
        let mut first: std::collections::HashMap<(String, Vec<String>), usize> =
            std::collections::HashMap::new();
        let mut kept: Vec<ExclusiveFile> = Vec::new();
        for set in std::mem::take(&mut self.file.exclusive) {
            let mut members = set.members.clone();
            members.sort();
            members.dedup();
            match first.entry((set.incident.clone(), members)) {
                std::collections::hash_map::Entry::Occupied(at) => {
                    let one = &mut kept[*at.get()];
                    match (&mut one.note, set.note) {
                        (Some(a), Some(b)) if *a != b => {
                            a.push_str("\n\n");
                            a.push_str(&b);
                        }
                        (a @ None, b) => *a = b,
                        _ => {}
                    }
                    said.push(format!(
                        "two sets of competing hypotheses on `{}` hold the same members; \
                         taken as one",
                        shown(&set.incident)
                    ));
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(kept.len());
                    kept.push(set);
                }
            }
        }
        self.file.exclusive = kept;
        self.warnings.append(&mut said);
    }

    /// The link claims that close a cycle left out ([`break_cycles`]), their objects counted
    /// as skipped rather than imported.
    pub(super) fn break_cycles(&mut self) {
        let index = self.index;
        let stix_ids = stix_ids_of_claims(&self.claim_of);
        let dropped = break_cycles(&mut self.file, &mut self.warnings, &stix_ids);
        let kinds: Vec<&str> = dropped
            .iter()
            .filter_map(|i| index.objects.get(*stix_ids.get(i)?))
            .filter_map(|o| text(o, "type"))
            .collect();
        for kind in kinds {
            self.recount(kind, format!("{kind} (closes a cycle)"));
        }
    }

    /// Moves an object counted as imported under `was` to the skipped, under `now`.
    pub(super) fn recount(&mut self, was: &str, now: String) {
        if let Some(n) = self.imported.get_mut(was) {
            *n -= 1;
            if *n == 0 {
                self.imported.remove(was);
            }
            *self.skipped.entry(now).or_default() += 1;
        }
    }

    /// The STIX records of foreign objects, with digests of what they became (each found by
    /// its id through an index: a feed's tens of thousands of claims each have a record).
    pub(super) fn keep_records(&mut self) {
        use crate::stix::export::{content_digest, digest};
        let file = &self.file;
        fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> HashMap<&str, &T> {
            items.iter().map(|t| (id(t), t)).collect()
        }
        let actors = by_id(&file.actors, |a| &a.id);
        let groups = by_id(&file.groups, |g| &g.id);
        let incidents = by_id(&file.incidents, |i| &i.id);
        let sources = by_id(&file.sources, |s| &s.id);
        let claims = by_id(&file.claims, |c| &c.id);
        for (key, (mut rec, _)) in std::mem::take(&mut self.records) {
            let (kind, id) = key.split_once(':').expect("keyed kind:id");
            let (record, name) = match kind {
                "entity" => actors
                    .get(id)
                    .map(|a| (digest(*a), Some(&a.name)))
                    .or_else(|| groups.get(id).map(|g| (digest(*g), Some(&g.name))))
                    .unzip(),
                "incident" => incidents
                    .get(id)
                    .map(|i| (digest(*i), Some(&i.name)))
                    .unzip(),
                "source" => sources.get(id).map(|s| (digest(*s), Some(&s.name))).unzip(),
                _ => (claims.get(id).map(|c| digest(*c)), None),
            };
            // A name is kept only where the case's differs (made unique, or given to a blank
            // one): the case writes it as it came otherwise.
            if let Some(kept) = &mut rec.properties
                && let (Some(Value::String(came)), Some(Some(now))) = (kept.get("name"), name)
                && came == now
            {
                kept.remove("name");
            }
            rec.digest = record.map(|d| content_digest(d, rec.properties.as_ref()));
            if rec.digest.is_none() {
                continue;
            }
            // Kept in the record as it came, as `check` then warns (W120); export leaves it out.
            let odd = (rec.properties.iter().flatten())
                .map(|(name, _)| name)
                .filter(|name| !crate::stix::is_property_name(name));
            for name in odd {
                let sid = rec.id.as_deref().map(shortened).unwrap_or_default();
                self.warnings.push(format!(
                    "{sid}: `{name}` is not a STIX property name (3 to 250 of a-z, 0-9 and _, from a letter on); kept in the case, not exported"
                ));
            }
            self.stix.objects.insert(key, rec);
        }
    }

    /// The bundle's marking definitions that mark something imported, kept with the case
    /// (and counted as imported); the others counted as skipped.
    pub(super) fn keep_markings(&mut self) {
        let used: BTreeSet<&String> = self
            .stix
            .objects
            .values()
            .flat_map(|o| o.markings.iter())
            .collect();
        let (mut kept, mut unused) = (0, 0);
        // The definitions already kept, told apart by a set (a search of the list for each
        // made thousands of definitions quadratic).
        let mut had: HashSet<String> = (self.stix.markings.iter()).map(|m| m.id.clone()).collect();
        for (id, m) in &self.index.marking_defs {
            if !used.contains(id) {
                unused += 1;
                continue;
            }
            kept += 1;
            if had.insert(id.clone()) {
                self.stix.markings.push(m.clone());
            }
        }
        // Only what the case keeps: a RED object the import skipped is not the case's.
        let defs = markings::Definitions::new(&self.stix.markings);
        if (used.iter()).any(|m| markings::tlp_of(m, &defs) == Some(Tlp::Red)) {
            self.warnings.push(
                "the case holds TLP:RED objects: for the named recipients only; it keeps their \
                 marking and `export stix` writes it again"
                    .into(),
            );
        }
        for (n, counts, what) in [
            (kept, &mut self.imported, "marking-definition"),
            (
                unused,
                &mut self.skipped,
                "marking-definition (marks nothing imported)",
            ),
        ] {
            if n > 0 {
                *counts.entry(what.to_string()).or_default() += n;
            }
        }
    }

    /// Any indexed object no phase counted, counted as skipped, so that the counts add up to
    /// the bundle whatever it holds (the phases count every object they are given; the tests
    /// see that none is left to this).
    pub(super) fn unaccounted(&mut self) {
        let index = self.index;
        for (sid, o) in &index.objects {
            if !self.accounted.contains(sid) {
                let kind = text(o, "type").unwrap_or_default();
                self.skip(sid, format!("{kind} (not read)"));
            }
        }
    }
}
