//! Ids, names and aliases of actors, groups and incidents, and resolving what claims name.

use super::*;

/// Something a subject or object can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Target {
    Entity(u32),
    Incident(u32),
}

pub(super) struct Names {
    /// Exact ids.
    ids: HashMap<String, Target>,
    /// Lower-cased ids, names and aliases; more than one target means ambiguous.
    keys: HashMap<String, Vec<Target>>,
    /// Every spelling, sorted, for suggestions.
    spellings: Vec<String>,
}

impl Names {
    pub(super) fn resolve(&self, name: &str) -> Option<Target> {
        if let Some(t) = self.ids.get(name) {
            return Some(*t);
        }
        self.keys
            .get(&name.trim().to_lowercase())
            .and_then(|ts| ts.first().copied())
    }
}

/// One declaration that can be named: an actor, group or incident as written, with its path.
struct Declaration<'f> {
    target: Target,
    path: String,
    id: &'f str,
    aliases: &'f [String],
    name: &'f str,
}

impl<'f> Validator<'f> {
    pub(super) fn entity_names(&mut self) -> Names {
        let declared = self.declarations();
        let ids = self.unique_ids(&declared);
        let keys = self.spelling_keys(&declared, &ids);
        let mut spellings: Vec<String> = declared
            .iter()
            .flat_map(|d| std::iter::once(d.id.to_string()).chain(d.aliases.iter().cloned()))
            .collect();
        spellings.sort();
        spellings.dedup();
        Names {
            ids,
            keys,
            spellings,
        }
    }

    /// Actors, then groups, then incidents, in file order: the order targets are numbered in.
    fn declarations(&self) -> Vec<Declaration<'f>> {
        let f = self.file;
        let actors = f.actors.iter().enumerate().map(|(i, a)| Declaration {
            target: Target::Entity(i as u32),
            path: index("actors", i),
            id: &a.id,
            aliases: &a.aliases,
            name: &a.name,
        });
        let n_actors = f.actors.len();
        let groups = f.groups.iter().enumerate().map(|(i, g)| Declaration {
            target: Target::Entity((n_actors + i) as u32),
            path: index("groups", i),
            id: &g.id,
            aliases: &g.aliases,
            name: &g.name,
        });
        let incidents = f.incidents.iter().enumerate().map(|(i, inc)| Declaration {
            target: Target::Incident(i as u32),
            path: index("incidents", i),
            id: &inc.id,
            aliases: &inc.aliases,
            name: &inc.name,
        });
        actors.chain(groups).chain(incidents).collect()
    }

    /// Exact ids to their targets; empty names and ids, and duplicate ids, are reported here.
    fn unique_ids(&mut self, declared: &[Declaration<'_>]) -> HashMap<String, Target> {
        let mut ids: HashMap<String, Target> = HashMap::default();
        let mut first_path: HashMap<String, String> = HashMap::default();
        for d in declared {
            let id_path = field(&d.path, "id");
            if !self.nonempty(d.id, || id_path.clone(), "id") {
                continue;
            }
            self.nonempty(d.name, || field(&d.path, "name"), "name");
            if let Some(first) = first_path.get(d.id) {
                let diag = diags::duplicate_id(d.id, id_path, first.clone());
                self.push(diag);
            } else {
                ids.insert(d.id.to_string(), d.target);
                first_path.insert(d.id.to_string(), id_path);
            }
        }
        ids
    }

    /// Ids, names and aliases, lower-cased, to what they name; a spelling shared by two
    /// targets is reported as ambiguous where it was written the second time.
    fn spelling_keys(
        &mut self,
        declared: &[Declaration<'_>],
        ids: &HashMap<String, Target>,
    ) -> HashMap<String, Vec<Target>> {
        let mut keys: HashMap<String, Vec<Target>> = HashMap::default();
        // Where each key was first declared.
        let mut key_path: HashMap<String, String> = HashMap::default();
        for d in declared {
            let mut spellings: Vec<(String, String)> =
                vec![(d.name.to_string(), field(&d.path, "name"))];
            // A duplicate id was reported above; it is no alias of the second declaration.
            if ids.get(d.id) == Some(&d.target) {
                spellings.insert(0, (d.id.to_string(), field(&d.path, "id")));
            }
            for (j, alias) in d.aliases.iter().enumerate() {
                let alias_path = index(&field(&d.path, "aliases"), j);
                if self.nonempty(alias, || alias_path.clone(), "alias") {
                    spellings.push((alias.clone(), alias_path));
                }
            }
            for (spelling, spath) in spellings {
                let key = spelling.trim().to_lowercase();
                if key.is_empty() {
                    continue;
                }
                let entry = keys.entry(key.clone()).or_default();
                if entry.contains(&d.target) {
                    continue;
                }
                if let Some(&other) = entry.first() {
                    // Two ids that differ only in case are reported here too; identical ids
                    // were reported as duplicates above (and the second is not a spelling).
                    let other_id = self.target_id(other);
                    self.push(diags::ambiguous_name(
                        &spelling,
                        other_id,
                        d.id,
                        spath.clone(),
                        key_path.get(&key).cloned().unwrap_or_default(),
                    ));
                }
                entry.push(d.target);
                key_path.entry(key).or_insert(spath);
            }
        }
        keys
    }

    pub(super) fn target_id(&self, t: Target) -> &str {
        let f = self.file;
        match t {
            Target::Entity(i) => {
                let i = i as usize;
                if i < f.actors.len() {
                    &f.actors[i].id
                } else {
                    &f.groups[i - f.actors.len()].id
                }
            }
            Target::Incident(i) => &f.incidents[i as usize].id,
        }
    }

    /// Resolves a name to an entity or incident, reporting unknown names with a suggestion.
    pub(super) fn lookup(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
    ) -> Option<Target> {
        if let Some(t) = names.resolve(name) {
            self.referenced.insert(t);
            return Some(t);
        }
        let is_source = self.file.sources.iter().any(|s| s.id == name);
        let suggestion = suggest(name, names.spellings.iter().map(String::as_str));
        self.push(diags::unknown_name(name, path(), is_source, suggestion));
        None
    }

    pub(super) fn entity_ref(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
        role: &dyn Fn() -> String,
    ) -> Option<EntityId> {
        match self.lookup(names, name, path)? {
            Target::Entity(i) => Some(EntityId(i)),
            Target::Incident(_) => {
                self.push(diags::not_an_entity(&role(), name, path()));
                None
            }
        }
    }

    pub(super) fn incident_ref(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
        role: &dyn Fn() -> String,
    ) -> Option<IncidentId> {
        match self.lookup(names, name, path)? {
            Target::Incident(i) => Some(IncidentId(i)),
            Target::Entity(_) => {
                self.push(diags::not_an_incident(&role(), name, path()));
                None
            }
        }
    }
}
