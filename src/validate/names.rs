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

impl Validator<'_> {
    pub(super) fn entity_names(&mut self) -> Names {
        let f = self.file;
        let mut ids: HashMap<String, Target> = HashMap::default();
        let mut first_path: HashMap<String, String> = HashMap::default();
        let mut declared: Vec<(Target, String, &str, &[String], &str)> = Vec::new();
        for (i, a) in f.actors.iter().enumerate() {
            declared.push((
                Target::Entity(i as u32),
                index("actors", i),
                &a.id,
                &a.aliases,
                &a.name,
            ));
        }
        let n_actors = f.actors.len();
        for (i, g) in f.groups.iter().enumerate() {
            declared.push((
                Target::Entity((n_actors + i) as u32),
                index("groups", i),
                &g.id,
                &g.aliases,
                &g.name,
            ));
        }
        for (i, inc) in f.incidents.iter().enumerate() {
            declared.push((
                Target::Incident(i as u32),
                index("incidents", i),
                &inc.id,
                &inc.aliases,
                &inc.name,
            ));
        }
        for (target, path, id, _, name) in &declared {
            let id_path = field(path, "id");
            if !self.nonempty(id, || id_path.clone(), "id") {
                continue;
            }
            self.nonempty(name, || field(path, "name"), "name");
            if let Some(first) = first_path.get(*id) {
                let d = diags::duplicate_id(id, id_path, first.clone());
                self.push(d);
            } else {
                ids.insert(id.to_string(), *target);
                first_path.insert(id.to_string(), id_path);
            }
        }
        // Names and aliases, case-insensitive. Remember where each key was first declared.
        let mut keys: HashMap<String, Vec<Target>> = HashMap::default();
        let mut key_path: HashMap<String, String> = HashMap::default();
        for (target, path, id, aliases, name) in &declared {
            let mut spellings: Vec<(String, String)> =
                vec![(name.to_string(), field(path, "name"))];
            // A duplicate id was reported above; it is no alias of the second declaration.
            if ids.get(*id) == Some(target) {
                spellings.insert(0, (id.to_string(), field(path, "id")));
            }
            for (j, alias) in aliases.iter().enumerate() {
                let alias_path = index(&field(path, "aliases"), j);
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
                if entry.contains(target) {
                    continue;
                }
                if let Some(&other) = entry.first() {
                    // Two ids that differ only in case are reported here too; identical ids
                    // were reported as duplicates above (and the second is not a spelling).
                    let other_id = self.target_id(other);
                    self.push(diags::ambiguous_name(
                        &spelling,
                        other_id,
                        id,
                        spath.clone(),
                        key_path.get(&key).cloned().unwrap_or_default(),
                    ));
                }
                entry.push(*target);
                key_path.entry(key).or_insert(spath);
            }
        }
        let mut spellings: Vec<String> = declared
            .iter()
            .flat_map(|(_, _, id, aliases, _)| {
                std::iter::once(id.to_string()).chain(aliases.iter().cloned())
            })
            .collect();
        spellings.sort();
        spellings.dedup();
        Names {
            ids,
            keys,
            spellings,
        }
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
