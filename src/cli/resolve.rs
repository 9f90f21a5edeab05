//! Names given on the command line (ids, names, aliases) resolved against the case, with a
//! suggestion when a name is close to one the case has.

use super::Failure;
use super::args::WhatIfArgs;
use attrib::assess::Scenario;
use attrib::diagnostic::did_you_mean;
use attrib::model::{Case, EntityId, IncidentId, Reliability};

/// Turns what-if arguments into a scenario, resolving every id.
pub fn scenario(case: &Case, args: &WhatIfArgs) -> Result<Scenario, Failure> {
    let mut s = Scenario::default();
    for id in &args.without {
        if let Some(c) = case.find_claim(id) {
            s.without_claims.insert(c);
        } else if let Some(src) = case.find_source(id) {
            s.without_sources.insert(src);
        } else {
            let candidates = case
                .claims
                .iter()
                .map(|c| c.id.as_str())
                .chain(case.sources.iter().map(|s| s.id.as_str()));
            let hint = did_you_mean(id, candidates);
            return Err(Failure::usage(format!(
                "--without {id}: no claim or source has this id{hint}"
            )));
        }
    }
    for g in &args.grade {
        let src = &g.source;
        let Some(sid) = case.find_source(src) else {
            let hint = did_you_mean(src, case.sources.iter().map(|s| s.id.as_str()));
            return Err(Failure::usage(format!(
                "--grade {src}={}: no source `{src}`{hint}",
                g.grade
            )));
        };
        s.grades.insert(sid, Reliability::Grade(g.grade));
    }
    s.as_of = args.as_of;
    s.prior = args.prior;
    Ok(s)
}

/// The incident `--incident` names, if any.
pub fn incident(case: &Case, name: Option<&str>) -> Result<Option<IncidentId>, Failure> {
    match name {
        None => Ok(None),
        Some(n) => case.find_incident(n).map(Some).ok_or_else(|| {
            let hint = did_you_mean(n, case.incidents.iter().map(|i| i.id.as_str()));
            Failure::usage(format!(
                "--incident {n}: no incident has this id, name or alias{hint}"
            ))
        }),
    }
}

/// The actor or group `--actor` names.
pub fn actor(case: &Case, name: &str) -> Result<EntityId, Failure> {
    case.find_entity(name).ok_or_else(|| {
        let hint = did_you_mean(name, case.entities.iter().map(|e| e.id.as_str()));
        Failure::usage(format!(
            "--actor {name}: no actor or group has this id, name or alias{hint}"
        ))
    })
}
