//! Warnings about what nothing uses: entities and incidents no claim names, sources that make
//! no claim.

use super::*;

impl Validator<'_> {
    pub(super) fn unreferenced(&mut self, entities: &[Entity], incidents: &[Incident]) {
        let n_actors = self.file.actors.len();
        for (i, e) in entities.iter().enumerate() {
            if e.part_of.is_some() || self.referenced.contains(&Target::Entity(i as u32)) {
                continue;
            }
            let path = if i < n_actors {
                index("actors", i)
            } else {
                index("groups", i - n_actors)
            };
            self.push(diags::unreferenced_entity(&e.id, field(&path, "id")));
        }
        for (i, inc) in incidents.iter().enumerate() {
            if !self.referenced.contains(&Target::Incident(i as u32)) {
                self.push(diags::unreferenced_incident(
                    &inc.id,
                    field(&index("incidents", i), "id"),
                ));
            }
        }
    }

    pub(super) fn silent_sources(&mut self) {
        let f = self.file;
        let spoke: HashSet<&str> = f.claims.iter().map(|c| c.source.as_str()).collect();
        for (i, s) in f.sources.iter().enumerate() {
            if !spoke.contains(s.id.as_str()) {
                self.push(diags::silent_source(
                    &s.id,
                    field(&index("sources", i), "id"),
                ));
            }
        }
    }
}
