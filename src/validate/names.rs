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
                let d = Diagnostic::at_path(
                    Code::DuplicateId,
                    format!("duplicate id `{id}`"),
                    id_path,
                )
                .label("declared again here")
                .related(Location::Path(first.clone()), "first declared here")
                .help("give each actor, group and incident its own id; list other names under `aliases`");
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
                    self.push(
                        Diagnostic::at_path(
                            Code::AmbiguousName,
                            format!("`{spelling}` names both `{other_id}` and `{id}`"),
                            spath.clone(),
                        )
                        .label(format!("also names `{other_id}`"))
                        .related(
                            Location::Path(key_path.get(&key).cloned().unwrap_or_default()),
                            format!("`{other_id}` is named so here"),
                        )
                        .help("an alias must name one thing only: remove it from one of the two, or merge them with a `PossiblySameAs` claim"),
                    );
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
        let mut d =
            Diagnostic::at_path(Code::UnknownName, format!("unknown name `{name}`"), path())
                .label("no actor, group or incident has this id, name or alias");
        if self.file.sources.iter().any(|s| s.id == name) {
            d = d.help(format!(
                "`{name}` is a source: sources make claims, they are not what a claim is about; declare an actor for it under `actors` if it is also a party"
            ));
        } else if let Some(s) = suggest(name, names.spellings.iter().map(String::as_str)) {
            d = d.help(format!("did you mean `{s}`?"));
        } else {
            d = d.help("declare it under `actors`, `groups` or `incidents`, or add it to the `aliases` of the one you mean");
        }
        self.push(d);
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
                self.push(
                    Diagnostic::at_path(
                        Code::WrongKind,
                        format!(
                            "{} must be an actor or group, but `{name}` is an incident",
                            role()
                        ),
                        path(),
                    )
                    .label("an incident")
                    .help("name an actor or group here"),
                );
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
                self.push(
                    Diagnostic::at_path(
                        Code::WrongKind,
                        format!(
                            "{} must be an incident, but `{name}` is an actor or group",
                            role()
                        ),
                        path(),
                    )
                    .label("not an incident")
                    .help("name an incident here"),
                );
                None
            }
        }
    }
}
