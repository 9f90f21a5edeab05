//! Actors, groups, incidents and sources: ids, kinds, reliability grades.

use super::*;

impl Validator<'_> {
    pub(super) fn entities(&mut self, names: &Names) -> Vec<Entity> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.actors.len() + f.groups.len());
        for (i, a) in f.actors.iter().enumerate() {
            let path = index("actors", i);
            let part_of = a.part_of.as_deref().and_then(|p| {
                let ppath = field(&path, "part_of");
                let target =
                    self.entity_ref(names, p, &|| ppath.clone(), &|| "`part_of`".into())?;
                if target.0 as usize == i {
                    self.push(diags::part_of_itself(&a.id, ppath));
                    return None;
                }
                Some(target)
            });
            out.push(Entity {
                id: a.id.clone(),
                name: a.name.clone(),
                kind: EntityKind::Actor(a.kind),
                aliases: a.aliases.clone(),
                part_of,
                description: a.description.clone(),
            });
        }
        for g in &f.groups {
            out.push(Entity {
                id: g.id.clone(),
                name: g.name.clone(),
                kind: EntityKind::Group(g.kind),
                aliases: g.aliases.clone(),
                part_of: None,
                description: g.description.clone(),
            });
        }
        out
    }

    pub(super) fn incidents(&mut self) -> Vec<Incident> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.incidents.len());
        for (i, inc) in f.incidents.iter().enumerate() {
            let path = index("incidents", i);
            let start = inc
                .start
                .as_deref()
                .and_then(|d| self.date(d, || field(&path, "start")));
            let end = inc
                .end
                .as_deref()
                .and_then(|d| self.date(d, || field(&path, "end")));
            if let (Some(s), Some(e)) = (start, end)
                && e.latest_day() < s.earliest_day()
            {
                self.push(diags::ends_before_start(&inc.id, s, e, field(&path, "end")));
            }
            out.push(Incident {
                id: inc.id.clone(),
                name: inc.name.clone(),
                aliases: inc.aliases.clone(),
                start,
                end,
                victim: inc.victim.clone(),
                description: inc.description.clone(),
                references: inc.references.clone(),
            });
        }
        out
    }

    pub(super) fn sources(&mut self) -> (Vec<Source>, Vec<String>, HashMap<String, SourceId>) {
        let f = self.file;
        let mut out = Vec::with_capacity(f.sources.len());
        let mut ids: HashMap<String, SourceId> = HashMap::default();
        // Families are numbered in name order, so that nothing downstream depends on the order
        // sources are declared in.
        let family_name =
            |s: &crate::format::SourceFile| s.family.clone().unwrap_or_else(|| s.id.clone());
        let families: Vec<String> = f
            .sources
            .iter()
            .map(family_name)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let family_ids: HashMap<String, FamilyId> = families
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), FamilyId(i as u32)))
            .collect();
        for (i, s) in f.sources.iter().enumerate() {
            let path = index("sources", i);
            if self.nonempty(&s.id, || field(&path, "id"), "id") {
                if ids.contains_key(&s.id) {
                    let first = f.sources.iter().position(|o| o.id == s.id).unwrap_or(0);
                    self.push(diags::duplicate_source(
                        &s.id,
                        field(&path, "id"),
                        field(&index("sources", first), "id"),
                    ));
                } else {
                    ids.insert(s.id.clone(), SourceId(i as u32));
                }
            }
            self.nonempty(&s.name, || field(&path, "name"), "name");
            let reliability = self.reliability(s, &path);
            if let Some(fam) = &s.family {
                self.nonempty(fam, || field(&path, "family"), "family");
            }
            let family = family_ids[&family_name(s)];
            out.push(Source {
                id: s.id.clone(),
                name: s.name.clone(),
                kind: s.kind,
                reliability,
                family,
                url: s.url.clone(),
                note: s.note.clone(),
            });
        }
        (out, families, ids)
    }

    /// A source's reliability: its Admiralty grade or its track record; F when it has neither,
    /// both, or a track record out of range.
    fn reliability(&mut self, s: &crate::format::SourceFile, path: &str) -> Reliability {
        match (s.reliability, s.track_record) {
            (Some(_), Some(_)) => {
                self.push(diags::grade_and_track_record(
                    &s.id,
                    field(path, "track_record"),
                ));
                Reliability::Grade(Grade::F)
            }
            (None, None) => {
                self.push(diags::no_reliability(&s.id, path.to_string()));
                Reliability::Grade(Grade::F)
            }
            (Some(g), None) => {
                if g == Grade::F {
                    self.push(diags::graded_f(&s.id, field(path, "reliability")));
                }
                Reliability::Grade(g)
            }
            (None, Some(t)) => {
                let tpath = field(path, "track_record");
                let ok = |x: f64| (0.0..=1e6).contains(&x);
                if !ok(t.valid) || !ok(t.invalid) {
                    self.push(diags::bad_track_record(&s.id, t.valid, t.invalid, tpath));
                    Reliability::Grade(Grade::F)
                } else {
                    Reliability::TrackRecord {
                        valid: t.valid,
                        invalid: t.invalid,
                    }
                }
            }
        }
    }
}
