//! `attrib explain`.

use crate::cli::args::ExplainArgs;
use crate::cli::input::{load_case, note_bundled, read_input};
use crate::cli::output::write_with;
use crate::cli::{Failure, resolve};
use attrib::assess::{Request, Scenario, SensitivityFor, assess_with, stream};
use attrib::model::{Case, EntityId, IncidentId};
use attrib::report;
use std::process::ExitCode;

/// `attrib explain`: one hypothesis, claim by claim, and what would change it.
pub fn run(args: ExplainArgs, colour: bool) -> Result<ExitCode, Failure> {
    let mut input = read_input(args.file.as_deref())?;
    let loaded = load_case(&mut input, colour, &args.lint)?;
    note_bundled(args.file.as_deref());
    let case = &loaded.case;
    let scenario = resolve::scenario(case, &args.what_if)?;
    let Some(name) = args.actor.as_deref() else {
        let only = resolve::incident(case, args.incident.as_deref())?;
        return Err(Failure::usage(which_actor(case, &scenario, only)));
    };
    let actor = resolve::actor(case, name)?;
    let incident = match resolve::incident(case, args.incident.as_deref())? {
        Some(i) => i,
        None if case.incidents.len() == 1 => case.incident_ids().next().expect("one incident"),
        None if case.incidents.is_empty() => {
            return Err(Failure::usage(
                "the case has no incident, so there is nothing to explain: add an `Incident(…)` \
                 and the claims that attribute it",
            ));
        }
        None => match judged_on(case, &scenario, actor)[..] {
            // The one incident the actor is judged on is the one meant.
            [only] => only,
            ref judged => {
                return Err(Failure::usage(which_incident(case, judged, name)));
            }
        },
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
    write_with(None, &[], |w| {
        report::explain::render(case, &assessment, actor, width, w)
    })
}

/// The incidents on which the actor is a hypothesis under the scenario (by its own claims, or
/// through its parts, its wholes or its competitors).
fn judged_on(case: &Case, scenario: &Scenario, actor: EntityId) -> Vec<IncidentId> {
    let assessment = stream(
        case,
        Request {
            scenario: scenario.clone(),
            ..Request::default()
        },
    );
    assessment
        .each(case)
        .filter(|ia| ia.judgement(actor).is_some())
        .map(|ia| ia.incident)
        .collect()
}

/// What to say when `--actor` is left out: the hypotheses judged (on `only`, when given),
/// most probable first on each incident, the first few of them.
fn which_actor(case: &Case, scenario: &Scenario, only: Option<IncidentId>) -> String {
    const SHOWN: usize = 10;
    let assessment = stream(
        case,
        Request {
            scenario: scenario.clone(),
            incident: only,
            ..Request::default()
        },
    );
    let mut ids: Vec<&str> = Vec::new();
    for ia in assessment.each(case) {
        for j in &ia.hypotheses {
            let id = case.entity(j.actor).id.as_str();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    if ids.is_empty() {
        return "name the actor or group to explain with --actor ID (the case judges no \
                hypothesis: no claim attributes an incident)"
            .to_string();
    }
    let more = match ids.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    format!(
        "name the actor or group to explain with --actor ID (the case judges {}{more})",
        ids[..ids.len().min(SHOWN)].join(", ")
    )
}

/// What to say when a case of several incidents is explained without `--incident` and the
/// actor is judged on none or several of them: those it is judged on ([`judged_on`]), else
/// the case's, the first few of them.
fn which_incident(case: &Case, judged: &[IncidentId], name: &str) -> String {
    const SHOWN: usize = 10;
    // `Failure::usage` escapes the message for the terminal.
    let (what, ids): (String, Vec<&str>) = if judged.is_empty() {
        (
            format!("nothing bears on {name}; they are"),
            case.incidents.iter().map(|i| i.id.as_str()).collect(),
        )
    } else {
        (
            format!("{name} is judged on"),
            judged
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
