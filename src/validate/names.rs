//! Ids, names and aliases of actors, groups and incidents, and resolving what claims name.

use super::*;
use crate::model::name_key as key_of;
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// Something a subject or object can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Target {
    Entity(u32),
    Incident(u32),
}

pub(super) struct Names<'f> {
    /// Exact ids.
    ids: HashMap<&'f str, Target>,
    /// Ids, names and aliases as [`key_of`] matches them, to the first target declared with
    /// each (a second one was reported as ambiguous), and where that spelling was written.
    keys: HashMap<Cow<'f, str>, (Target, Spot)>,
    /// Names that hold an invisible character, by [`as_written`] (rare: usually empty).
    hidden: HashMap<String, Target>,
    /// Every id, name and alias, for suggestions (`suggest` picks the same whatever their
    /// order).
    spellings: Vec<&'f str>,
}

impl Names<'_> {
    pub(super) fn resolve(&self, name: &str) -> Option<Target> {
        if let Some(t) = self.ids.get(name) {
            return Some(*t);
        }
        let key = key_of(name);
        // A name is matched without its invisible characters, but a reference that holds one
        // is not taken for the name it looks like: `ir\u{200b}an` is reported, not read as
        // `iran`. It names only a name that holds the same.
        if matches!(key, Cow::Owned(_)) && name.chars().any(crate::escape::is_invisible) {
            return self.hidden.get(&as_written(name)).copied();
        }
        self.keys.get(key.as_ref()).map(|k| k.0)
    }
}

/// A spelling that holds an invisible character, matched as written: trimmed, composed and
/// lower-cased, the character kept.
fn as_written(spelling: &str) -> String {
    spelling.trim().nfc().collect::<String>().to_lowercase()
}

/// One declaration that can be named: an actor, group or incident as written, with its place.
struct Declaration<'f> {
    target: Target,
    at: At,
    id: &'f str,
    aliases: &'f [String],
    name: &'f str,
}

/// Which spelling of a declaration a key came from, to make its path when a diagnostic needs it.
/// (Where the declaration stands follows from its target: a large case's table of spellings
/// holds hundreds of thousands of these, and the smaller each is, the fewer cache misses.)
#[derive(Debug, Clone, Copy)]
pub(super) struct Spot {
    /// `None`: the id; `Some(None)`: the name; `Some(Some(j))`: the `j`th alias.
    what: Option<Option<u32>>,
}

impl Spot {
    /// The path of the spelling in the declaration at `at`.
    fn path(self, at: At) -> String {
        match self.what {
            None => at.field("id"),
            Some(None) => at.field("name"),
            Some(Some(j)) => index(&at.field("aliases"), j as usize),
        }
    }
}

impl<'f> Validator<'f> {
    pub(super) fn entity_names(&mut self) -> Names<'f> {
        let declared = self.declarations();
        let (ids, owners) = self.unique_ids(&declared);
        let keys = self.spelling_keys(&declared, &owners);
        self.lookalikes(&declared, &keys);
        let spellings: Vec<&str> = declared
            .iter()
            .flat_map(|d| {
                [d.id, d.name]
                    .into_iter()
                    .chain(d.aliases.iter().map(String::as_str))
            })
            .collect();
        // A name holding an invisible character is matched without it, and, as written, by a
        // reference that holds the same: rare, so kept apart.
        let hidden = declared
            .iter()
            .filter(|d| d.name.chars().any(crate::escape::is_invisible))
            .filter(|d| {
                keys.get(key_of(d.name).as_ref())
                    .is_some_and(|k| k.0 == d.target)
            })
            .map(|d| (as_written(d.name), d.target))
            .collect();
        Names {
            ids,
            keys,
            hidden,
            spellings,
        }
    }

    /// Actors, then groups, then incidents, in file order: the order targets are numbered in.
    fn declarations(&self) -> Vec<Declaration<'f>> {
        let f = self.file;
        let actors = f.actors.iter().enumerate().map(|(i, a)| Declaration {
            target: Target::Entity(i as u32),
            at: At::new("actors", i),
            id: &a.id,
            aliases: &a.aliases,
            name: &a.name,
        });
        let n_actors = f.actors.len();
        let groups = f.groups.iter().enumerate().map(|(i, g)| Declaration {
            target: Target::Entity((n_actors + i) as u32),
            at: At::new("groups", i),
            id: &g.id,
            aliases: &g.aliases,
            name: &g.name,
        });
        let incidents = f.incidents.iter().enumerate().map(|(i, inc)| Declaration {
            target: Target::Incident(i as u32),
            at: At::new("incidents", i),
            id: &inc.id,
            aliases: &inc.aliases,
            name: &inc.name,
        });
        actors.chain(groups).chain(incidents).collect()
    }

    /// Exact ids to their targets, and whether each declaration's id is the one its target
    /// is known by (not empty, not a duplicate); empty names and ids, and duplicate ids, are
    /// reported here.
    fn unique_ids(
        &mut self,
        declared: &[Declaration<'f>],
    ) -> (HashMap<&'f str, Target>, Vec<bool>) {
        let mut owners = vec![false; declared.len()];
        let mut ids: HashMap<&'f str, Target> =
            HashMap::with_capacity_and_hasher(declared.len(), Default::default());
        for (d, owner) in declared.iter().zip(&mut owners) {
            if !self.nonempty(d.id, || d.at.field("id"), "id") {
                continue;
            }
            self.nonempty(d.name, || d.at.field("name"), "name");
            if let Some(&first) = ids.get(d.id) {
                let diag =
                    diags::duplicate_id(d.id, d.at.field("id"), self.at_of(first).field("id"));
                self.push(diag);
            } else {
                ids.insert(d.id, d.target);
                *owner = true;
            }
        }
        (ids, owners)
    }

    /// Ids, names and aliases, lower-cased, to what they name; a spelling shared by two
    /// targets is reported as ambiguous where it was written the second time.
    fn spelling_keys(
        &mut self,
        declared: &[Declaration<'f>],
        owners: &[bool],
    ) -> HashMap<Cow<'f, str>, (Target, Spot)> {
        let mut keys: HashMap<Cow<'f, str>, (Target, Spot)> =
            HashMap::with_capacity_and_hasher(2 * declared.len(), Default::default());
        // The keys this declaration has already given, so that a name spelled like its id
        // counts once (a set: a list searched for each alias made an object of 40,000 aliases
        // quadratic).
        let mut own: rustc_hash::FxHashSet<Cow<'f, str>> = Default::default();
        for (d, &owner) in declared.iter().zip(owners) {
            let spot = |what| Spot { what };
            let mut spellings: Vec<(&'f str, Spot)> = Vec::with_capacity(2 + d.aliases.len());
            // A duplicate id was reported above; it is no alias of the second declaration.
            if owner {
                spellings.push((d.id, spot(None)));
            }
            spellings.push((d.name, spot(Some(None))));
            for (j, alias) in d.aliases.iter().enumerate() {
                let alias_spot = spot(Some(Some(j as u32)));
                if self.nonempty(alias, || alias_spot.path(d.at), "alias") {
                    spellings.push((alias, alias_spot));
                }
            }
            own.clear();
            for (spelling, spot) in spellings {
                let key = key_of(spelling);
                if key.is_empty() || own.contains(&key) {
                    continue;
                }
                match keys.get(key.as_ref()) {
                    // A declaration whose id is another's was reported (E020): a clash of its
                    // names with the first's would say so again.
                    Some(_) if !owner => {}
                    Some(&(other, first)) => {
                        // Two ids that differ only in case are reported here too; identical
                        // ids were reported as duplicates above (and the second is not a
                        // spelling).
                        let other_id = self.target_id(other);
                        // An id taken earlier as another's alias: the alias is what to
                        // change (claims name the id), so it is the one pointed at.
                        let alias = match first.what {
                            Some(Some(j)) if spot.what.is_none() => declared
                                .iter()
                                .find(|x| x.target == other)
                                .map(|x| x.aliases[j as usize].as_str()),
                            _ => None,
                        };
                        let diag = match alias {
                            Some(alias) => diags::ambiguous_name(
                                alias,
                                d.id,
                                other_id,
                                first.path(self.at_of(other)),
                                spot.path(d.at),
                            ),
                            None => diags::ambiguous_name(
                                spelling,
                                other_id,
                                d.id,
                                spot.path(d.at),
                                first.path(self.at_of(other)),
                            ),
                        };
                        self.push(diag);
                    }
                    None => {
                        keys.insert(key.clone(), (d.target, spot));
                    }
                }
                own.insert(key);
            }
        }
        keys
    }

    /// W117: two spellings of different targets that a reader cannot tell apart, one of them
    /// holding letters of another script (`Pаrk Jin Hyok`, its `а` Cyrillic, beside `Park Jin
    /// Hyok`): the same after Unicode's confusable skeleton (UTS #39). Spellings in ASCII alone
    /// are not compared (`rn` and `m` are confusable, `Kern` and `Kem` are two names), so a case
    /// spelt in ASCII costs nothing here.
    fn lookalikes(
        &mut self,
        declared: &[Declaration<'f>],
        keys: &HashMap<Cow<'f, str>, (Target, Spot)>,
    ) {
        if keys.keys().all(|k| k.is_ascii()) {
            return;
        }
        // In declaration order, so that the later of two is the one warned of.
        let order: Vec<(usize, &str, Spot)> = declared
            .iter()
            .enumerate()
            .flat_map(|(n, d)| {
                [
                    (d.id, Spot { what: None }),
                    (d.name, Spot { what: Some(None) }),
                ]
                .into_iter()
                .chain(d.aliases.iter().enumerate().map(|(j, a)| {
                    (
                        a.as_str(),
                        Spot {
                            what: Some(Some(j as u32)),
                        },
                    )
                }))
                .map(move |(s, spot)| (n, s, spot))
            })
            .filter(|&(n, s, _)| {
                // Only the spellings that name their declaration (not a reported clash).
                keys.get(key_of(s).as_ref())
                    .is_some_and(|k| k.0 == declared[n].target)
            })
            .collect();
        let mut seen: HashMap<String, (usize, &str, Spot)> = HashMap::default();
        for (n, spelling, spot) in order {
            let key = key_of(spelling);
            let skeleton: String = unicode_security::skeleton(&key).collect();
            match seen.get(&skeleton) {
                Some(&(m, first, first_spot))
                    if declared[m].target != declared[n].target
                        && (!key.is_ascii() || !key_of(first).is_ascii()) =>
                {
                    // Warned of where the other letters are: at the later spelling, unless
                    // only the first holds them.
                    let later = (n, spelling, spot);
                    let earlier = (m, first, first_spot);
                    let (odd, plain) = if key.is_ascii() {
                        (earlier, later)
                    } else {
                        (later, earlier)
                    };
                    self.push(diags::lookalike(
                        odd.1,
                        plain.1,
                        declared[plain.0].id,
                        odd.2.path(declared[odd.0].at),
                        plain.2.path(declared[plain.0].at),
                    ));
                }
                Some(_) => {}
                None => {
                    seen.insert(skeleton, (n, spelling, spot));
                }
            }
        }
    }

    /// Where the declaration of a target stands.
    fn at_of(&self, t: Target) -> At {
        let n_actors = self.file.actors.len();
        match t {
            Target::Entity(i) if (i as usize) < n_actors => At::new("actors", i as usize),
            Target::Entity(i) => At::new("groups", i as usize - n_actors),
            Target::Incident(i) => At::new("incidents", i as usize),
        }
    }

    pub(super) fn target_id(&self, t: Target) -> &'f str {
        match t {
            Target::Entity(i) => self.declared(i).0,
            Target::Incident(i) => &self.file.incidents[i as usize].id,
        }
    }

    /// The id, name and aliases of actor or group `i` (the groups numbered after the actors)
    /// as the file declares them.
    pub(super) fn declared(&self, i: u32) -> (&'f str, &'f str, &'f [String]) {
        let f = self.file;
        let i = i as usize;
        match f.actors.get(i) {
            Some(a) => (&a.id, &a.name, &a.aliases),
            None => {
                let g = &f.groups[i - f.actors.len()];
                (&g.id, &g.name, &g.aliases)
            }
        }
    }

    /// Resolves a name to an entity or incident, reporting unknown names with a suggestion.
    pub(super) fn lookup(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
    ) -> Option<Target> {
        if let (last, Some(t)) = &self.last_incident
            && last == name
        {
            return Some(*t);
        }
        if let Some(t) = names.resolve(name) {
            self.referenced.insert(t);
            if let Target::Incident(_) = t {
                let (last, slot) = &mut self.last_incident;
                last.clear();
                last.push_str(name);
                *slot = Some(t);
            }
            return Some(t);
        }
        let is_source = self.file.sources.iter().any(|s| s.id == name);
        // Never the name itself: an alias refused for an invisible character (E013) is a
        // spelling that names nothing, and "did you mean" it repeated the unknown name.
        let suggestion = self.near(
            name,
            names.spellings.len(),
            names.spellings.iter().copied().filter(|&s| s != name),
        );
        // `russia-svr` for `russia` in a claim: perhaps a part of it the case has not
        // declared. Not elsewhere: `part_of: "dprk-gov"` for `dprk` is a slip, and declaring
        // a new actor would be the wrong fix.
        let path = path();
        let whole = path.starts_with("claims[")
            && suggestion.is_some_and(|s| {
                matches!(names.resolve(s), Some(Target::Entity(_))) && qualifies(name, s)
            });
        self.push(diags::unknown_name(
            name, path, is_source, suggestion, whole,
        ));
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

    /// `help`: what to suggest when `name` is an actor or group instead.
    pub(super) fn incident_ref(
        &mut self,
        names: &Names,
        name: &str,
        path: &dyn Fn() -> String,
        role: &dyn Fn() -> String,
        help: Option<&str>,
    ) -> Option<IncidentId> {
        match self.lookup(names, name, path)? {
            Target::Incident(i) => Some(IncidentId(i)),
            Target::Entity(_) => {
                self.push(diags::not_an_incident(&role(), name, path(), help));
                None
            }
        }
    }
}

/// Whether `name` is `whole` with words added after it (`russia-svr` for `russia`, in any
/// case): the way an undeclared part is often named after its whole.
fn qualifies(name: &str, whole: &str) -> bool {
    let (name, whole) = (name.to_lowercase(), whole.to_lowercase());
    // After a separator a person types, and with nothing unseen in it: a name that only
    // looks like its whole's followed by something (a control sequence, a right-to-left mark)
    // is no undeclared part.
    (name.strip_prefix(&whole)).is_some_and(|rest| {
        rest.starts_with([' ', '-', '_', '.', '/', ':', '('])
            && rest.chars().any(char::is_alphanumeric)
            && !rest
                .chars()
                .any(|c| c.is_control() || crate::escape::is_invisible(c))
    })
}

#[cfg(test)]
mod tests {
    use super::qualifies;

    #[test]
    fn a_part_is_named_after_its_whole_with_a_separator_a_person_types() {
        assert!(qualifies("russia-svr", "russia"));
        assert!(qualifies("Russia SVR", "russia"));
        assert!(qualifies("dprk_rgb", "DPRK"));
        assert!(!qualifies("russia", "russia"), "the whole itself");
        assert!(
            !qualifies("russia-", "russia"),
            "nothing after the separator"
        );
        assert!(!qualifies("russian", "russia"), "a longer word");
        // A name that only looks like its whole's followed by something unseen.
        assert!(!qualifies("Dark Halo\u{202e}\u{1b}[31mX", "Dark Halo"));
        assert!(!qualifies("russia-\u{200b}svr", "russia"));
    }
}
