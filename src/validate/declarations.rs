//! Actors, groups, incidents and sources: ids, kinds, reliability grades.

use super::*;

impl<'f> Validator<'f> {
    /// Actors, then groups, without their text (see [`text`]).
    pub(super) fn entities(&mut self, names: &Names) -> Vec<Entity> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.actors.len() + f.groups.len());
        for (i, a) in f.actors.iter().enumerate() {
            let at = At::new("actors", i);
            let part_of = a.part_of.as_deref().and_then(|p| {
                let ppath = || at.field("part_of");
                let target = self.entity_ref(names, p, &ppath, &|| "`part_of`".into())?;
                if target.0 as usize == i {
                    self.push(diags::part_of_itself(&a.id, ppath()));
                    return None;
                }
                Some(target)
            });
            out.push(Entity {
                id: String::new(),
                name: String::new(),
                kind: EntityKind::Actor(a.kind),
                aliases: Vec::new(),
                part_of,
                description: None,
            });
        }
        for g in &f.groups {
            out.push(Entity {
                id: String::new(),
                name: String::new(),
                kind: EntityKind::Group(g.kind),
                aliases: Vec::new(),
                part_of: None,
                description: None,
            });
        }
        out
    }

    pub(super) fn incidents(&mut self) -> Vec<Incident> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.incidents.len());
        for (i, inc) in f.incidents.iter().enumerate() {
            let at = At::new("incidents", i);
            let start = inc
                .start
                .as_deref()
                .and_then(|d| self.date(d, || at.field("start")));
            let end = inc
                .end
                .as_deref()
                .and_then(|d| self.date(d, || at.field("end")));
            if let (Some(s), Some(e)) = (start, end)
                && e.wholly_before(s)
            {
                self.push(diags::ends_before_start(&inc.id, s, e, at.field("end")));
            }
            out.push(Incident {
                id: String::new(),
                name: String::new(),
                aliases: Vec::new(),
                start,
                end,
                victim: None,
                description: None,
                references: Vec::new(),
            });
        }
        out
    }

    pub(super) fn sources(&mut self) -> (Vec<Source>, Vec<String>, HashMap<&'f str, SourceId>) {
        let f = self.file;
        let mut out = Vec::with_capacity(f.sources.len());
        let mut ids: HashMap<&str, SourceId> =
            HashMap::with_capacity_and_hasher(f.sources.len(), Default::default());
        // Families are numbered in name order, so that nothing downstream depends on the order
        // sources are declared in.
        let family_name = |s: &'f crate::format::SourceFile| s.family.as_deref().unwrap_or(&s.id);
        let names: Vec<&str> = f
            .sources
            .iter()
            .map(family_name)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let family_ids: HashMap<&str, FamilyId> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, FamilyId(i as u32)))
            .collect();
        let families = names.into_iter().map(str::to_string).collect();
        for (i, s) in f.sources.iter().enumerate() {
            let at = At::new("sources", i);
            if self.nonempty(&s.id, || at.field("id"), "id") {
                if let Some(&first) = ids.get(s.id.as_str()) {
                    self.push(diags::duplicate_source(
                        &s.id,
                        at.field("id"),
                        At::new("sources", first.index()).field("id"),
                    ));
                } else {
                    ids.insert(&s.id, SourceId(i as u32));
                }
            }
            self.nonempty(&s.name, || at.field("name"), "name");
            let reliability = self.reliability(s, at);
            self.linkable(s.url.as_deref(), || at.field("url"));
            if let Some(fam) = &s.family {
                self.nonempty(fam, || at.field("family"), "family");
            }
            let family = family_ids[family_name(s)];
            out.push(Source {
                id: String::new(),
                name: String::new(),
                kind: s.kind,
                reliability,
                family,
                url: None,
                note: None,
            });
        }
        (out, families, ids)
    }

    /// A source's reliability: its Admiralty grade or its track record; F when it has neither,
    /// both, or a track record out of range.
    fn reliability(&mut self, s: &crate::format::SourceFile, at: At) -> Reliability {
        match (s.reliability, s.track_record) {
            (Some(_), Some(_)) => {
                self.push(diags::grade_and_track_record(
                    &s.id,
                    at.field("track_record"),
                ));
                Reliability::Grade(Grade::F)
            }
            (None, None) => {
                self.push(diags::no_reliability(&s.id, at.path()));
                Reliability::Grade(Grade::F)
            }
            (Some(g), None) => {
                if g == Grade::F {
                    self.push(diags::graded_f(&s.id, at.field("reliability")));
                }
                Reliability::Grade(g)
            }
            (None, Some(t)) => {
                let tpath = at.field("track_record");
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
