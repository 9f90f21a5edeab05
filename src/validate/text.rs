//! The case's text — ids, names, aliases, wordings, URLs, notes — given to it once the file
//! has passed: copied when the file is kept (`convert` and `export stix` write it again),
//! moved out of it when it is not, so that a large case is not held twice.
//!
//! The checks build the case with this text left empty (they read ids from the file for their
//! diagnostics), so both ways share one validator. Hypotheses and exclusive sets keep their
//! notes from the start: a duplicate hypothesis is left out of the case, so they do not follow
//! the file one for one.

use crate::format::{CaseFile, Likelihood};
use crate::model::Case;

/// A likelihood without its words, for the case until [`dress`] gives them back.
pub(super) fn shell(l: &Likelihood) -> Likelihood {
    match l {
        Likelihood::Icd(_) => Likelihood::Icd(String::new()),
        Likelihood::Phia(_) => Likelihood::Phia(String::new()),
        other => other.clone(),
    }
}

/// Copies or moves a value out of the file.
struct Take {
    keep: bool,
}

impl Take {
    fn take<T: Clone + Default>(&self, value: &mut T) -> T {
        if self.keep {
            value.clone()
        } else {
            std::mem::take(value)
        }
    }
}

/// Gives `case`, as the checks built it from `file` (every entity, incident and source in
/// file order, its claims at `positions`), the file's text.
pub(super) fn dress(case: &mut Case, positions: &[usize], file: &mut CaseFile, keep: bool) {
    let t = Take { keep };
    case.id = t.take(&mut file.id);
    case.title = t.take(&mut file.title);
    case.description = t.take(&mut file.description);
    case.analyst = t.take(&mut file.analyst);
    let declared = file
        .actors
        .iter_mut()
        .map(|a| (&mut a.id, &mut a.name, &mut a.aliases, &mut a.description))
        .chain(
            file.groups
                .iter_mut()
                .map(|g| (&mut g.id, &mut g.name, &mut g.aliases, &mut g.description)),
        );
    for (e, (id, name, aliases, description)) in case.entities.iter_mut().zip(declared) {
        e.id = t.take(id);
        e.name = t.take(name);
        e.aliases = t.take(aliases);
        e.description = t.take(description);
    }
    for (i, f) in case.incidents.iter_mut().zip(&mut file.incidents) {
        i.id = t.take(&mut f.id);
        i.name = t.take(&mut f.name);
        i.aliases = t.take(&mut f.aliases);
        i.victim = t.take(&mut f.victim);
        i.description = t.take(&mut f.description);
        i.references = t.take(&mut f.references);
    }
    for (s, f) in case.sources.iter_mut().zip(&mut file.sources) {
        s.id = t.take(&mut f.id);
        s.name = t.take(&mut f.name);
        s.url = t.take(&mut f.url);
        s.note = t.take(&mut f.note);
    }
    for (c, &at) in case.claims.iter_mut().zip(positions) {
        let f = &mut file.claims[at];
        c.id = t.take(&mut f.id);
        c.wording = t.take(&mut f.wording);
        c.url = t.take(&mut f.url);
        c.note = t.take(&mut f.note);
        if let (Some((l, _)), Some(words)) = (&mut c.likelihood, t.take(&mut f.likelihood)) {
            *l = words;
        }
    }
}
