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
            self.push(
                Diagnostic::at_path(
                    Code::Unreferenced,
                    format!("nothing refers to `{}`", e.id),
                    field(&path, "id"),
                )
                .label("no claim, link or hypothesis names it")
                .help("add the claims that concern it, or remove it"),
            );
        }
        for (i, inc) in incidents.iter().enumerate() {
            if !self.referenced.contains(&Target::Incident(i as u32)) {
                self.push(
                    Diagnostic::at_path(
                        Code::Unreferenced,
                        format!("no claim concerns incident `{}`", inc.id),
                        field(&index("incidents", i), "id"),
                    )
                    .label("no claim names it")
                    .help("add the claims made about it, or remove it"),
                );
            }
        }
    }

    pub(super) fn silent_sources(&mut self) {
        let f = self.file;
        let spoke: HashSet<&str> = f.claims.iter().map(|c| c.source.as_str()).collect();
        for (i, s) in f.sources.iter().enumerate() {
            if !spoke.contains(s.id.as_str()) {
                self.push(
                    Diagnostic::at_path(
                        Code::SilentSource,
                        format!("source `{}` makes no claim", s.id),
                        field(&index("sources", i), "id"),
                    )
                    .label("no claim has this source")
                    .help("add its claims, or remove it"),
                );
            }
        }
    }
}
