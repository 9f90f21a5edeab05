//! `attrib explain`.

use crate::cli::args::ExplainArgs;
use crate::cli::input::{load_case, note_bundled, read_input};
use crate::cli::output::write_with;
use crate::cli::{Failure, resolve};
use attrib::assess::{Request, SensitivityFor, assess_with};
use attrib::model::{Case, EntityId, IncidentId, Statement};
use attrib::report;
use std::process::ExitCode;

/// `attrib explain`: one hypothesis, claim by claim, and what would change it.
pub fn run(args: ExplainArgs, colour: bool) -> Result<ExitCode, Failure> {
    let mut input = read_input(args.file.as_deref())?;
    let loaded = load_case(&mut input, colour)?;
    note_bundled(args.file.as_deref());
    let case = &loaded.case;
    let scenario = resolve::scenario(case, &args.what_if)?;
    let actor = resolve::actor(case, &args.actor)?;
    let incident = match resolve::incident(case, args.incident.as_deref())? {
        Some(i) => i,
        None if case.incidents.len() == 1 => case.incident_ids().next().expect("one incident"),
        None if case.incidents.is_empty() => {
            return Err(Failure::usage(
                "the case has no incident, so there is nothing to explain: add an `Incident(…)` \
                 and the claims that attribute it",
            ));
        }
        None => return Err(Failure::usage(which_incident(case, actor, &args.actor))),
    };
    // The actor is judged even when it is no candidate: nothing bears on it, and the
    // explanation says so.
    let assessment = assess_with(
        case,
        Request {
            scenario,
            incident: Some(incident),
            actor: Some(actor),
            sensitivity: SensitivityFor::Actor(actor),
        },
    );
    let width = crate::cli::screen::width(args.width, true);
    write_with(None, None, |w| {
        report::explain::render(case, &assessment, actor, width, w)
    })
}

/// What to say when a case of several incidents is explained without `--incident`: the
/// incidents whose claims name the actor (else the case's), the first few of them.
fn which_incident(case: &Case, actor: EntityId, name: &str) -> String {
    const SHOWN: usize = 10;
    let mut naming: Vec<IncidentId> = case
        .claims
        .iter()
        .filter_map(|c| match c.statement {
            Statement::Responsible { incident, actor: a } if a == actor => Some(incident),
            _ => None,
        })
        .collect();
    naming.sort_unstable();
    naming.dedup();
    let (what, ids): (String, Vec<&str>) = if naming.is_empty() {
        (
            format!("no claim names {name}; they are"),
            case.incidents.iter().map(|i| i.id.as_str()).collect(),
        )
    } else {
        (
            format!("claims name {name} in"),
            naming
                .iter()
                .map(|&i| case.incident(i).id.as_str())
                .collect(),
        )
    };
    let more = match ids.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(
        "the case has {} incidents: name one with --incident ({what} {}{more})",
        case.incidents.len(),
        ids[..ids.len().min(SHOWN)].join(", ")
    )
}
