//! `attrib import taxii` and `attrib export taxii`: STIX through a TAXII 2.1 collection.

use super::stix;
use crate::cli::Failure;
use crate::cli::args::{ExportTaxiiArgs, ImportStixArgs, ImportTaxiiArgs};
use crate::cli::input::{load_input, read_input};
use attrib::assess::{Request, stream};
use attrib::report::plural;
use std::io::{self, Write};
use std::process::ExitCode;

fn taxii_server(
    url: &str,
    collection: &str,
    timeout: u64,
) -> Result<attrib::stix::taxii::Server, Failure> {
    let authorization =
        attrib::stix::taxii::authorization_from_env().map_err(|e| Failure::usage(e.to_string()))?;
    Ok(attrib::stix::taxii::Server {
        api_root: url.to_string(),
        collection: collection.to_string(),
        authorization,
        timeout: std::time::Duration::from_secs(timeout.max(1)),
    })
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
    let server = taxii_server(&args.url, &args.collection, args.timeout)?;
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
        output: args.output,
    };
    stix::import_bundle(&bundle, &import, colour)
}

/// `export taxii`: the bundle `export stix` writes, added to a collection.
pub fn export(args: ExportTaxiiArgs, colour: bool) -> Result<ExitCode, Failure> {
    let server = taxii_server(&args.url, &args.collection, args.timeout)?;
    let mut input = read_input(args.file.as_deref())?;
    let loaded = load_input(&mut input, colour)?;
    let case = &loaded.case;
    let assessment = stream(case, Request::default());
    let options = stix::export_options(args.tlp);
    let mut bundle = Vec::new();
    attrib::stix::export::export(&loaded.file, case, &assessment, &options, &mut bundle)
        .map_err(|e| Failure::usage(format!("cannot write the bundle: {e}")))?;
    let objects = attrib::stix::taxii::objects_to_send(&String::from_utf8_lossy(&bundle));
    let sent = objects.len();
    let status = server
        .add_objects(objects)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let count = |f: &str| {
        status
            .get(f)
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0)
    };
    let _ = writeln!(
        io::stderr().lock(),
        "{}: sent {} to collection {}: {} stored, {} failed",
        args.url,
        plural(sent, "object"),
        args.collection,
        count("success_count"),
        count("failure_count")
    );
    if count("failure_count") > 0 {
        return Err(Failure::usage(format!(
            "the server refused {} (status {})",
            plural(count("failure_count") as usize, "object"),
            status
                .get("id")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("?")
        )));
    }
    Ok(ExitCode::SUCCESS)
}
