//! `attrib import taxii` and `attrib export taxii`: STIX through a TAXII 2.1 collection.

use super::stix;
use crate::cli::Failure;
use crate::cli::args::{ExportTaxiiArgs, ImportStixArgs, ImportTaxiiArgs};
use crate::cli::input::{load_input, read_input};
use attrib::assess::{Request, stream};
use attrib::escape;
use attrib::report::plural;
use attrib::stix::taxii::TaxiiError;
use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

fn taxii_server(
    url: &str,
    collection: &str,
    timeout: u64,
    ca_cert: Option<&Path>,
) -> Result<attrib::stix::taxii::Server, Failure> {
    let authorization =
        attrib::stix::taxii::authorization_from_env().map_err(|e| Failure::usage(e.to_string()))?;
    let server = attrib::stix::taxii::Server::new(
        url,
        collection,
        authorization,
        std::time::Duration::from_secs(timeout),
    )
    .map_err(|e| Failure::usage(e.to_string()))?;
    let Some(path) = ca_cert else {
        return Ok(server);
    };
    let name = escape::terminal::text(&path.to_string_lossy()).into_owned();
    let read = || {
        let cannot = |e: io::Error| TaxiiError(format!("cannot read `{name}` (--ca-cert): {e}"));
        // A pipe or a terminal would be waited on, opened and read until it ends, which may
        // be never: no --timeout covers it. So it is told by its metadata, before it is opened.
        if !std::fs::metadata(path).map_err(cannot)?.is_file() {
            return Err(TaxiiError(format!(
                "--ca-cert {name}: not a regular file (a directory, a pipe or a device): give \
                 the PEM file of the authority's certificate"
            )));
        }
        let file = std::fs::File::open(path).map_err(cannot)?;
        // One byte past the most a file of certificates holds: `trusting` refuses it by its
        // size rather than have it read whole.
        let most = attrib::stix::taxii::MAX_CERTIFICATES_FILE as u64 + 1;
        let mut pem = Vec::new();
        file.take(most).read_to_end(&mut pem).map_err(cannot)?;
        Ok(pem)
    };
    server
        .trusting(&name, read)
        .map_err(|e| Failure::usage(e.to_string()))
}

/// `import taxii`: the collection's objects, imported as a bundle would be.
pub fn import(args: ImportTaxiiArgs, colour: bool) -> Result<ExitCode, Failure> {
    if let Some(t) = args
        .added_after
        .as_deref()
        .filter(|t| !attrib::stix::is_timestamp(t))
    {
        return Err(Failure::usage(format!(
            "--added-after {t}: not a STIX timestamp; write it as 2024-01-01T00:00:00Z"
        )));
    }
    crate::cli::output::refuse_misnamed_case(args.output.as_deref())?;
    crate::cli::output::refuse_unwritable(args.output.as_deref(), &[])?;
    let server = taxii_server(
        &args.url,
        &args.collection,
        args.timeout,
        args.ca_cert.as_deref(),
    )?;
    let objects = server
        .fetch_objects(args.added_after.as_deref())
        .map_err(|e| Failure::usage(e.to_string()))?;
    let _ = writeln!(
        io::stderr().lock(),
        "{}: read {} from collection {}",
        args.url,
        plural(objects.len(), "object"),
        args.collection
    );
    if objects.is_empty() {
        // An empty case would replace the output for nothing: a wrong collection, or a walk
        // that found nothing new.
        let kept = match &args.output {
            Some(path) => format!("; {} is left as it was", path.display()),
            None => String::new(),
        };
        return match &args.added_after {
            Some(t) => {
                let _ = writeln!(
                    io::stderr().lock(),
                    "nothing added to the collection after {t}: nothing to import{kept}"
                );
                Ok(ExitCode::SUCCESS)
            }
            None => Err(Failure::usage(format!(
                "collection {} at {} holds no objects: nothing to import{kept} (is the \
                 collection's id right?)",
                escape::terminal::text(&args.collection),
                args.url
            ))),
        };
    }
    if let Some(t) = &args.added_after {
        let _ = writeln!(
            io::stderr().lock(),
            "note: only the objects added after {t}: the case written holds them alone, not \
             the collection's whole case (what they refer to and the collection held before \
             is missing from it)"
        );
    }
    let name = format!("collection {} at {}", args.collection, args.url);
    let text = attrib::stix::taxii::bundle_of(objects);
    let bundle = stix::Bundle {
        name: &name,
        title: format!("Imported from TAXII collection {}", args.collection),
        text: &text,
        path: None,
    };
    let import = ImportStixArgs {
        bundle: name.clone(),
        reliability: args.reliability,
        aliases: vec![],
        confidence: args.confidence,
        case: args.case,
        output: args.output,
    };
    stix::import_bundle(&bundle, &import, colour)
}

/// `export taxii`: the bundle `export stix` writes, added to a collection.
pub fn export(args: ExportTaxiiArgs, colour: bool) -> Result<ExitCode, Failure> {
    let server = taxii_server(
        &args.url,
        &args.collection,
        args.timeout,
        args.ca_cert.as_deref(),
    )?;
    let mut input = read_input(args.file.as_deref())?;
    let loaded = load_input(&mut input, colour, &args.lint)?;
    let case = &loaded.case;
    let assessment = stream(case, Request::default());
    // What the case imported and did not change stays its producer's version there.
    let options = attrib::stix::export::ExportOptions {
        producers_versions: true,
        ..stix::export_options(args.tlp)
    };
    let mut bundle = Vec::new();
    attrib::stix::export::export(&loaded.file, case, &assessment, &options, &mut bundle)
        .map_err(|e| Failure::usage(format!("cannot write the bundle: {e}")))?;
    let objects = attrib::stix::taxii::objects_to_send(&String::from_utf8_lossy(&bundle));
    let imported = (loaded.file.stix.iter())
        .flat_map(|s| s.objects.values())
        .filter_map(|o| o.id.clone())
        .collect();
    let plan = to_add(&server, objects, &imported)?;
    let mut stderr = io::stderr().lock();
    let held = told(&plan, &mut stderr);
    if plan.send.is_empty() {
        let _ = writeln!(
            stderr,
            "{}: collection {} holds this version of the case already{held}; nothing sent",
            args.url, args.collection,
        );
        return Ok(ExitCode::SUCCESS);
    }
    let added = server
        .add_objects(plan.send)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let requests = match (added.requests, added.limit) {
        (1, _) => String::new(),
        (n, Some(limit)) => {
            format!(" in {n} requests (the server takes at most {limit} bytes in one)")
        }
        (n, None) => format!(" in {n} requests"),
    };
    let _ = writeln!(
        stderr,
        "{}: sent {} to collection {}{requests}: {}{held}",
        args.url,
        plural(added.sent, "object"),
        args.collection,
        match added.stored {
            Some(n) => format!("{n} stored"),
            None => "stored: not reported".to_string(),
        },
    );
    // What the server said, as a terminal shows text it did not write itself.
    for warning in &added.warnings {
        let _ = writeln!(stderr, "warning: {}", escape::terminal::text(warning));
    }
    if !plan.revoked.is_empty() {
        let names: Vec<_> = plan
            .revoked
            .iter()
            .map(|n| escape::terminal::text(n))
            .collect();
        let _ = writeln!(
            stderr,
            "revoked {} that an earlier version of this case put in the collection: {}",
            plural(names.len(), "claim"),
            names.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Warns of the claims that stay revoked; returns what the summary says of the objects not
/// sent as they were (` (36 objects there already; 16 changed since, as new versions)`).
fn told(plan: &attrib::stix::taxii::Plan, stderr: &mut impl Write) -> String {
    if plan.published_without_id {
        let _ = writeln!(
            stderr,
            "warning: the collection holds a case of this title published without an `id`; \
             this case has one, so its objects have other STIX ids and the earlier ones stay \
             there, neither updated nor revoked (docs/stix.md)"
        );
    }
    for name in &plan.still_revoked {
        let _ = writeln!(
            stderr,
            "warning: claim {} stays revoked in the collection: an earlier export withdrew it, \
             and STIX never restores a revoked object; give the claim a new id to publish it again",
            escape::terminal::text(name)
        );
    }
    let mut notes = Vec::new();
    if plan.unchanged > 0 {
        notes.push(format!(
            "{} there already",
            plural(plan.unchanged, "object")
        ));
    }
    if plan.updated > 0 {
        notes.push(format!("{} changed since, as new versions", plan.updated));
    }
    if plan.theirs > 0 {
        notes.push(format!(
            "{} imported and unchanged, left as their producers' versions there",
            plan.theirs
        ));
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    }
}

/// What to add to the collection ([`attrib::stix::taxii::plan`]), from the newest version of
/// each object it holds.
fn to_add(
    server: &attrib::stix::taxii::Server,
    objects: Vec<serde_json::Value>,
    imported: &std::collections::BTreeSet<String>,
) -> Result<attrib::stix::taxii::Plan, Failure> {
    let held = match server.newest_objects() {
        Ok(held) => held,
        Err(_) if server.write_only() => {
            let _ = writeln!(
                io::stderr().lock(),
                "warning: collection {} takes objects but does not let these credentials read \
                 it: every object is sent (a version it holds already is refused by the \
                 server), and no claim an earlier version made is revoked",
                escape::terminal::text(server.collection())
            );
            Default::default()
        }
        Err(e) => return Err(Failure::usage(e.to_string())),
    };
    Ok(attrib::stix::taxii::plan(objects, &held, imported))
}
