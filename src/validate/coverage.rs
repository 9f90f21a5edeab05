//! Warnings about what nothing uses: entities and incidents no claim names, sources that make
//! no claim.

use super::*;

impl Validator<'_> {
    pub(super) fn unreferenced(&mut self, entities: &[Entity], incidents: &[Incident]) {
        let n_actors = self.file.actors.len();
        for (i, e) in entities.iter().enumerate() {
            if e.part_of.is_some() || self.referenced.contains(Target::Entity(i as u32)) {
                continue;
            }
            let path = if i < n_actors {
                index("actors", i)
            } else {
                index("groups", i - n_actors)
            };
            let id = self.target_id(Target::Entity(i as u32));
            self.push(diags::unreferenced_entity(id, field(&path, "id")));
        }
        let f = self.file;
        for i in 0..incidents.len() {
            if !self.referenced.contains(Target::Incident(i as u32)) {
                self.push(diags::unreferenced_incident(
                    &f.incidents[i].id,
                    field(&index("incidents", i), "id"),
                ));
            }
        }
    }

    pub(super) fn silent_sources(
        &mut self,
        source_ids: &HashMap<&str, SourceId>,
        resolved: &Resolved<'_>,
    ) {
        let f = self.file;
        for (i, s) in f.sources.iter().enumerate() {
            // A source spoke when a claim cites its id: through the source that id resolves
            // to, or as written when it resolves to none (an empty id, say).
            let spoke = match source_ids.get(s.id.as_str()) {
                Some(j) => resolved.spoke[j.index()],
                None => resolved.stray_sources.contains(s.id.as_str()),
            };
            if !spoke {
                self.push(diags::silent_source(
                    &s.id,
                    field(&index("sources", i), "id"),
                ));
            }
        }
    }
}
