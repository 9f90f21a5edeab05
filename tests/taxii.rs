//! TAXII 2.1 against a real server: the OASIS reference server medallion (in-memory back end)
//! started on a free localhost port for each test. Marked `needs medallion`: `.ci/run` installs
//! it (scripts/install-test-tools.sh), and the tests install it themselves when it is missing.

use crate::{Test, root};
use serde_json::{Value, json};
use std::io::Read;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const COLLECTION: &str = "91a7b528-80eb-42ed-a74d-c6fbd5a26116";
const BROKEN: &str = "52892447-4d7e-4f70-b94d-d7f22742ff63";
const USER: &str = "analyst";
const PASSWORD: &str = "correct horse";

fn medallion() -> PathBuf {
    if let Some(p) = std::env::var_os("MEDALLION") {
        return PathBuf::from(p);
    }
    if Command::new("medallion")
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
    {
        return PathBuf::from("medallion");
    }
    let out = Command::new("bash")
        .arg(root().join("scripts/install-test-tools.sh"))
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "could not install medallion: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("medallion")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A medallion server; stopped when dropped.
struct Server {
    child: Child,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn collection(id: &str, title: &str, objects: Vec<Value>) -> Value {
    json!({
        "id": id, "title": title, "can_read": true, "can_write": true,
        "media_types": ["application/stix+json;version=2.1"],
        "objects": objects, "manifest": [],
    })
}

fn start(page_size: usize) -> Server {
    let dir = tempfile::tempdir().unwrap();
    // A collection holding an extension definition answers every read with HTTP 500 in
    // medallion 3.0.0: the server error the client must report.
    let extension = json!({
        "type": "extension-definition", "spec_version": "2.1",
        "id": "extension-definition--1f611280-fbe1-48e8-92ab-ff47ce02d5b7",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "created_by_ref": "identity--11111111-1111-4111-8111-111111111111",
        "name": "x", "schema": "x", "version": "1.0.0",
        "extension_types": ["toplevel-property-extension"],
    });
    let data = json!({
        "/discovery": {
            "title": "attrib test server", "default": "http://127.0.0.1/api1/",
            "api_roots": ["http://127.0.0.1/api1/"],
        },
        "api1": {
            "information": {
                "title": "api1", "versions": ["application/taxii+json;version=2.1"],
                "max_content_length": 104857600,
            },
            "status": [],
            "collections": [
                collection(COLLECTION, "attrib", vec![]),
                collection(BROKEN, "broken", vec![extension]),
            ],
        },
    });
    let data_path = dir.path().join("data.json");
    std::fs::write(&data_path, data.to_string()).unwrap();
    let config = json!({
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": data_path,
        },
        "users": { USER: PASSWORD },
        "taxii": { "max_page_size": page_size },
    });
    let config_path = dir.path().join("config.json");
    std::fs::write(&config_path, config.to_string()).unwrap();
    let port = free_port();
    let child = Command::new(medallion())
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .arg(&config_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("medallion starts");
    let server = Server {
        child,
        url: format!("http://127.0.0.1:{port}/api1/"),
        _dir: dir,
    };
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "medallion did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    server
}

/// A run of attrib with the TAXII credentials in the environment.
fn with_credentials(args: &[&str], user: &str, password: &str) -> Test {
    Test::new()
        .args(args)
        .env("ATTRIB_TAXII_TOKEN", None)
        .env("ATTRIB_TAXII_USER", Some(user))
        .env("ATTRIB_TAXII_PASSWORD", Some(password))
}

#[test]
#[ignore = "needs medallion"]
fn the_albania_case_round_trips_through_a_taxii_server_page_by_page() {
    // Pages of 7 objects: the case needs many, so `next` is followed.
    let server = start(7);
    let case = root().join("graphs/albania-2022.ron");
    let case = case.to_str().unwrap();
    with_credentials(
        &[
            "export",
            "taxii",
            &server.url,
            "--collection",
            COLLECTION,
            case,
        ],
        USER,
        PASSWORD,
    )
    .stderr_has(" stored\n")
    .run();
    let tmp = tempfile::tempdir().unwrap();
    let back = tmp.path().join("back.ron");
    let err = with_credentials(
        &["import", "taxii", &server.url, "--collection", COLLECTION],
        USER,
        PASSWORD,
    )
    .args(["-o", back.to_str().unwrap()])
    .run()
    .stderr;
    // The summary names the collection, not a file of attrib's own.
    assert!(
        err.contains(&format!(
            "collection {COLLECTION} at {}: imported",
            server.url
        )),
        "{err}"
    );
    assert!(!err.contains(".json"), "{err}");
    // Every object sent came back: the count the export reported is the count read.
    let sent: usize = err_count(&Test::new().args(["export", "stix", case]).run().stdout);
    assert!(
        err.contains(&format!("read {} objects", sent - 1)),
        "all objects but the extension definition: {err}"
    );
    let assess = |case: &str| {
        Test::new()
            .args(["assess", case, "--format", "json"])
            .run()
            .stdout
    };
    let (a, b) = (assess(case), assess(back.to_str().unwrap()));
    assert_eq!(a, b, "the assessment changed through TAXII");

    // Objects added after a time later than the upload: none.
    with_credentials(
        &["import", "taxii", &server.url, "--collection", COLLECTION],
        USER,
        PASSWORD,
    )
    .args(["--added-after", "2999-01-01T00:00:00Z"])
    .stderr_has("read 0 objects")
    .run();
}

/// TAXII only adds: a claim the case no longer makes stayed in the collection, and the next
/// `import taxii` took it back. Exporting the later version revokes it (STIX's withdrawal by
/// its producer), so reading the collection gives the later version's case.
#[test]
#[ignore = "needs medallion"]
fn a_claim_removed_from_the_case_is_revoked_in_the_collection() {
    let server = start(50);
    let tmp = tempfile::tempdir().unwrap();
    let v1 = root().join("graphs/tutorial.ron");
    let mut case: Value = serde_json::from_str(
        &Test::new()
            .args(["convert", v1.to_str().unwrap(), "--to", "json"])
            .run()
            .stdout,
    )
    .unwrap();
    let claims = case["claims"].as_array_mut().unwrap();
    let before = claims.len();
    claims.retain(|c| c["id"] != "t3");
    assert_eq!(claims.len(), before - 1);
    let v2 = tmp.path().join("tutorial-v2.json");
    std::fs::write(&v2, case.to_string()).unwrap();
    let export = |file: &std::path::Path| export_to(&server.url, file);
    let first = export(&v1);
    assert!(all_stored(&first) && first.contains(" stored\n"), "{first}");
    assert!(!first.contains("revoked"), "{first}");
    // Only what changed is sent: the revoked claim, and the objects whose content moved on
    // (the case's grouping, the judgements t3 was behind, under a later `modified`); a server
    // refuses a version it has.
    let second = export(&v2);
    assert!(
        all_stored(&second) && second.contains(" stored ("),
        "{second}"
    );
    assert!(second.contains(" objects there already; "), "{second}");
    assert!(
        second.contains(" changed since, as new versions)\n"),
        "{second}"
    );
    assert!(
        second.contains(
            "revoked 1 claim that an earlier version of this case put in the collection: t3"
        ),
        "{second}"
    );
    let back = tmp.path().join("back.ron");
    with_credentials(
        &["import", "taxii", &server.url, "--collection", COLLECTION],
        USER,
        PASSWORD,
    )
    .args(["-o", back.to_str().unwrap()])
    .run();
    let text = std::fs::read_to_string(&back).unwrap();
    assert!(!text.contains("id: \"t3\""), "the revoked claim came back");
    let assess = |case: &std::path::Path| {
        Test::new()
            .args(["assess", case.to_str().unwrap(), "--format", "json"])
            .run()
            .stdout
    };
    assert_eq!(assess(&back), assess(&v2));
    // Sent again, the same version sends nothing and revokes nothing more.
    let third = export(&v2);
    assert!(
        third.contains("holds this version of the case already"),
        "{third}"
    );
    assert!(!third.contains("revoked"), "{third}");
    // Restored, the claim cannot be published again under its id: said so.
    let fourth = export(&v1);
    assert!(
        fourth.contains("warning: claim t3 stays revoked in the collection"),
        "{fourth}"
    );
    // Another case sent to the same collection revokes nothing of this one (every case's
    // grouping has the same STIX id), nor this one of it when sent again.
    let albania = root().join("graphs/albania-2022.ron");
    let other = export(&albania);
    assert!(all_stored(&other), "{other}");
    assert!(!other.contains("revoked"), "{other}");
    let again = export(&v2);
    assert!(!again.contains("revoked"), "{again}");
}

/// Whether an export's summary says the server stored every object sent ("sent 54 objects
/// to collection …: 54 stored").
fn all_stored(stderr: &str) -> bool {
    let number = |s: &str| s.split(' ').next().and_then(|n| n.parse::<usize>().ok());
    stderr.lines().any(|l| {
        let Some(sent) = l.split_once(": sent ").and_then(|(_, r)| number(r)) else {
            return false;
        };
        l.rsplit_once(": ")
            .and_then(|(_, r)| number(r))
            .is_some_and(|stored| stored == sent && l.contains(&format!(": {stored} stored")))
    })
}

fn err_count(bundle: &str) -> usize {
    let v: Value = serde_json::from_str(bundle).unwrap();
    v["objects"].as_array().unwrap().len()
}

#[test]
#[ignore = "needs medallion"]
fn a_wrong_password_is_reported_as_not_authorised() {
    let server = start(100);
    with_credentials(
        &["import", "taxii", &server.url, "--collection", COLLECTION],
        USER,
        "wrong",
    )
    .stdout("")
    .stderr_has("HTTP 401, not authorised")
    // Says how to fix it.
    .stderr_has("ATTRIB_TAXII_USER")
    // The password is never printed.
    .stderr_lacks("wrong")
    .code(2)
    .run();
}

#[test]
#[ignore = "needs medallion"]
fn a_server_error_names_the_request() {
    let server = start(100);
    with_credentials(
        &["import", "taxii", &server.url, "--collection", BROKEN],
        USER,
        PASSWORD,
    )
    .stderr_has("HTTP 500, the server failed")
    .stderr_has(format!("GET {}collections/{BROKEN}/objects/", server.url))
    .code(2)
    .run();
}

#[test]
#[ignore = "needs medallion"]
fn a_silent_server_times_out_with_a_clear_message() {
    // Accepts connections and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().flatten() {
            let mut s2 = s.try_clone().unwrap();
            let mut buf = [0u8; 1024];
            let _ = s2.read(&mut buf);
            held.push(s);
        }
    });
    let url = format!("http://127.0.0.1:{port}/api1/");
    with_credentials(
        &["import", "taxii", &url, "--collection", COLLECTION],
        USER,
        PASSWORD,
    )
    .args(["--timeout", "1"])
    .stderr_has("timed out")
    .stderr_has(format!("GET {url}collections/"))
    .code(2)
    .run();
}

/// `--added-after` is checked before anything is asked of the server (which answered a word
/// with HTTP 500), and every failure exits 2: 1 is kept for a threshold not met.
#[test]
fn added_after_must_be_a_timestamp() {
    Test::new()
        .args([
            "import",
            "taxii",
            "http://127.0.0.1:9/api1/",
            "--collection",
            COLLECTION,
            "--added-after",
            "yesterday",
        ])
        .stdout("")
        .stderr_has(
            "--added-after yesterday: not a STIX timestamp; write it as 2024-01-01T00:00:00Z",
        )
        .code(2)
        .run();
}

/// A case published without an `id` and exported again with one has new STIX ids for its
/// claims: the earlier objects stay in the collection, neither updated nor revoked, and the
/// export says so rather than leave two versions side by side in silence.
#[test]
#[ignore = "needs medallion"]
fn giving_a_published_case_an_id_is_warned_of() {
    let server = start(50);
    let tmp = tempfile::tempdir().unwrap();
    let plain = root().join("graphs/tutorial.ron");
    let text = std::fs::read_to_string(&plain).unwrap();
    let with_id = tmp.path().join("tutorial-id.ron");
    std::fs::write(
        &with_id,
        text.replacen("\nCase(\n", "\nCase(\n    id: \"tutorial\",\n", 1),
    )
    .unwrap();
    assert_ne!(std::fs::read_to_string(&with_id).unwrap(), text);
    let export = |file: &std::path::Path| export_to(&server.url, file);
    let first = export(&plain);
    assert!(!first.contains("without an `id`"), "{first}");
    let second = export(&with_id);
    assert!(
        second.contains(
            "warning: the collection holds a case of this title published without an `id`"
        ),
        "{second}"
    );
    // The earlier objects are still there on the next export: so is the warning.
    let third = export(&with_id);
    assert!(third.contains("without an `id`"), "{third}");
    // The collection holds both sets: reading it asks which, and reads either.
    let import = || {
        with_credentials(
            &["import", "taxii", &server.url, "--collection", COLLECTION],
            USER,
            PASSWORD,
        )
    };
    import()
        .code(2)
        .stderr_has("the bundle holds 2 of attrib's cases: ")
        .stderr_has("`tutorial` (")
        .stderr_has("(published without an id)")
        .run();
    let assess = |case: &std::path::Path| {
        Test::new()
            .args(["assess", case.to_str().unwrap(), "--format", "json"])
            .run()
            .stdout
    };
    for (pick, case) in [
        ("tutorial", &with_id),
        ("Tutorial (fictional): the Port of Marlin outage", &plain),
    ] {
        let back = tmp.path().join("back.ron");
        import()
            .args(["--case", pick, "-o", back.to_str().unwrap()])
            .run();
        assert_eq!(assess(&back), assess(case), "{pick}");
    }
}

/// `attrib export taxii URL --collection COLLECTION FILE` with the test's credentials: what
/// it says on stderr.
fn export_to(url: &str, file: &std::path::Path) -> String {
    with_credentials(
        &["export", "taxii", url, "--collection", COLLECTION],
        USER,
        PASSWORD,
    )
    .args([file.to_str().unwrap()])
    .run()
    .stderr
}

/// One request a [`fake`] server answered: method, target (path and query), and body.
type Request = (String, String, String);

/// A TAXII server of canned answers, for what medallion never does: `answer` takes a
/// request's method, target and body, and gives the HTTP status and the JSON to send back.
/// The requests it answered are kept in order.
struct Fake {
    url: String,
    requests: std::sync::Arc<std::sync::Mutex<Vec<Request>>>,
}

impl Fake {
    fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

fn fake(answer: impl Fn(&str, &str, &str) -> (u16, String) + Send + 'static) -> Fake {
    serve("http", answer, |stream| Box::new(stream))
}

/// As [`fake`], over TLS with `certificate` (a chain of PEM blocks) and its `key`.
fn fake_tls(
    certificate: &str,
    key: &str,
    answer: impl Fn(&str, &str, &str) -> (u16, String) + Send + 'static,
) -> Fake {
    use rustls::pki_types::pem::PemObject;
    let chain = rustls::pki_types::CertificateDer::pem_slice_iter(certificate.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap();
    let config = std::sync::Arc::new(
        rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap(),
    );
    // A client that refuses the certificate ends the handshake: the next connection.
    serve("https", answer, move |stream| {
        let connection = rustls::ServerConnection::new(config.clone()).unwrap();
        Box::new(rustls::StreamOwned::new(connection, stream))
    })
}

/// What a [`fake`] server talks over: a TCP stream, or TLS over one.
trait Stream: std::io::Read + std::io::Write {}
impl<S: std::io::Read + std::io::Write> Stream for S {}

/// A server of canned answers on a free port of this machine, each connection `wrap`ped
/// (in TLS, or not) and answered in turn; a connection that sends nothing for ten seconds is
/// dropped, so that no stuck client holds up the next.
fn serve(
    scheme: &str,
    answer: impl Fn(&str, &str, &str) -> (u16, String) + Send + 'static,
    wrap: impl Fn(std::net::TcpStream) -> Box<dyn Stream> + Send + 'static,
) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let requests = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let kept = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            converse(wrap(stream), &answer, &kept);
        }
    });
    Fake {
        url: format!("{scheme}://127.0.0.1:{port}/api1/"),
        requests,
    }
}

/// One request read from `stream` and answered as [`fake`] says.
fn converse(
    mut stream: impl std::io::Read + std::io::Write,
    answer: &impl Fn(&str, &str, &str) -> (u16, String),
    kept: &std::sync::Mutex<Vec<Request>>,
) {
    use std::io::{BufRead, BufReader};
    let mut reader = BufReader::new(&mut stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header == "\r\n" {
            break;
        }
        if let Some(v) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    drop(reader);
    let body = String::from_utf8_lossy(&body).into_owned();
    let (status, text) = answer(&method, &target, &body);
    kept.lock().unwrap().push((method, target, body));
    // A server too busy asks to be asked again in a second; a redirect's answer is where it
    // leads.
    let (mut retry, text) = match status {
        429 | 503 => ("Retry-After: 1\r\n".to_string(), text),
        300..=399 => (format!("Location: {text}\r\n"), String::new()),
        _ => (String::new(), text),
    };
    // A page's `_added_last` goes as its X-TAXII-Date-Added-Last header.
    let text = match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(mut page)) if page.contains_key("_added_last") => {
            let last = page.remove("_added_last").unwrap();
            retry.push_str(&format!(
                "X-TAXII-Date-Added-Last: {}\r\n",
                last.as_str().unwrap()
            ));
            Value::Object(page).to_string()
        }
        _ => text,
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/taxii+json;version=2.1\r\n\
         {retry}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.flush();
}

/// `attrib import taxii URL` of the test collection, with no credentials.
fn import_from(url: &str) -> Test {
    Test::new()
        .args(["import", "taxii", url, "--collection", COLLECTION])
        .env("ATTRIB_TAXII_TOKEN", None)
}

/// An identity, as a collection's page holds one.
fn identity(n: u32) -> Value {
    json!({
        "type": "identity", "spec_version": "2.1",
        "id": format!("identity--00000000-0000-4000-8000-{n:012}"),
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "name": format!("Source {n}"), "identity_class": "organization",
    })
}

/// `import taxii` from `url` into an existing case file: the run, and whether the file was
/// left as it was.
fn import_over_a_case(url: &str, extra: &[&str], code: i32) -> (crate::Output, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("case.ron");
    let before = std::fs::read(root().join("graphs/tutorial.ron")).unwrap();
    std::fs::write(&out, &before).unwrap();
    let run = Test::new()
        .args([
            "import",
            "taxii",
            url,
            "--collection",
            COLLECTION,
            "--timeout",
            "5",
        ])
        .args(extra)
        .args(["-o", out.to_str().unwrap()])
        .env("ATTRIB_TAXII_TOKEN", None)
        .env("ATTRIB_TAXII_USER", None)
        .env("ATTRIB_TAXII_PASSWORD", None)
        .code(code)
        .run();
    let kept = std::fs::read(&out).unwrap() == before;
    (run, kept)
}

/// An answer that is no page of a collection was read as an empty one, and an existing case
/// replaced by an empty case with exit 0: an API root's description (where a URL's `#` or a
/// wrong path leads), a list, `objects` that is no list, `more` written as a text.
#[test]
fn answers_that_are_no_envelope_are_refused_and_the_output_kept() {
    for (answer, says) in [
        (
            json!({"title": "api1", "versions": ["application/taxii+json;version=2.1"],
                   "max_content_length": 1000}),
            "it has `max_content_length` and no `objects` (an API root's description",
        ),
        (json!([1, 2, 3]), "it is a list, not an object"),
        (
            json!({"objects": {"a": 1}}),
            "`objects` is an object, not a list",
        ),
        (
            json!({"more": "true", "next": "2", "objects": [identity(1)]}),
            "`more` is a text, not true or false",
        ),
    ] {
        let text = answer.to_string();
        let server = fake(move |_, _, _| (200, text.clone()));
        let (run, kept) = import_over_a_case(&server.url, &[], 2);
        assert!(
            run.stderr.contains("the answer is not a TAXII envelope: ")
                && run.stderr.contains(says),
            "{answer}: {}",
            run.stderr
        );
        assert!(kept, "{answer}: the case file was written over");
    }
}

/// A server whose `next` leads back to a page read before said there was more forever:
/// attrib asked again and again, without end. It stops at the first page that holds nothing
/// new.
#[test]
fn a_next_that_leads_back_is_stopped() {
    let page = json!({"more": true, "next": "n", "objects": [identity(1), identity(2)]});
    let text = page.to_string();
    let server = fake(move |_, _, _| (200, text.clone()));
    let (run, kept) = import_over_a_case(&server.url, &[], 2);
    assert!(
        run.stderr.contains(
            "page 2 holds no object the pages before it did not, and the server says there is \
             more: it leads back"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(server.requests().len(), 2);
    assert!(kept);
    // A last page may repeat what came before: the walk ends there.
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let server = fake(move |_, _, _| {
        let page = match calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0 => json!({"more": true, "next": "2", "objects": [identity(1), identity(2)]}),
            _ => json!({"more": false, "objects": [identity(2)]}),
        };
        (200, page.to_string())
    });
    import_from(&server.url)
        .stderr_has("read 3 objects from collection")
        .run();
}

/// A server without `next` tokens says where to go on from in X-TAXII-Date-Added-Last (TAXII
/// 2.1 §3.4): the next page is asked for what was added after it. It was an error.
#[test]
fn a_walk_without_next_goes_on_from_the_date_added_last() {
    let server = fake(|_, target, _| {
        let page = if target.contains("added_after=2024-02-01") {
            json!({"more": false, "objects": [identity(2)]})
        } else {
            json!({"more": true, "objects": [identity(1)],
                   "_added_last": "2024-02-01T00:00:00.000Z"})
        };
        (200, page.to_string())
    });
    import_from(&server.url)
        .stderr_has("read 2 objects from collection")
        .run();
    let asked: Vec<String> = server.requests().into_iter().map(|r| r.1).collect();
    assert_eq!(asked.len(), 2, "{asked:?}");
    assert!(
        asked[1].ends_with("?limit=100&added_after=2024-02-01T00%3A00%3A00.000Z"),
        "{asked:?}"
    );
}

/// An empty collection (or a wrong collection id a server answers with an empty page) wrote
/// an empty case over the output with exit 0. Nothing is written now: an error without
/// `--added-after`, and with it a note that nothing is new (exit 0, for scheduled runs).
#[test]
fn an_empty_collection_is_not_written_over_the_output() {
    let server = fake(|_, _, _| (200, "{}".to_string()));
    let (run, kept) = import_over_a_case(&server.url, &[], 2);
    assert!(
        run.stderr.contains("holds no objects: nothing to import; "),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("case.ron is left as it was"),
        "{}",
        run.stderr
    );
    assert!(kept);
    let (run, kept) =
        import_over_a_case(&server.url, &["--added-after", "2024-01-01T00:00:00Z"], 0);
    assert!(
        run.stderr
            .contains("nothing added to the collection after 2024-01-01T00:00:00Z"),
        "{}",
        run.stderr
    );
    assert!(kept);
    assert!(
        server.requests()[1]
            .1
            .contains("added_after=2024-01-01T00%3A00%3A00Z"),
        "{:?}",
        server.requests()
    );
}

/// Credentials travel only in the environment's variables, and over plain http only to this
/// machine: a URL with a password in it was used, and printed in every message; a token went
/// to any host over http. Both are refused before anything is sent, and the password is not
/// repeated. A `?` or `#` in the API root is refused too: attrib adds its path after it.
#[test]
fn credentials_never_travel_in_urls_or_in_clear() {
    let import = |url: &str, token: Option<&str>| {
        Test::new()
            .args(["import", "taxii", url, "--collection", COLLECTION])
            .env("ATTRIB_TAXII_TOKEN", token)
            .env("ATTRIB_TAXII_USER", None)
            .env("ATTRIB_TAXII_PASSWORD", None)
            .code(2)
            .stdout("")
    };
    import("http://analyst:s3cret@127.0.0.1:9/api1/", None)
        .stderr_has("http://…@127.0.0.1:9/api1/: the URL holds an `@`, as a user name or password")
        .stderr_has("ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD")
        .stderr_lacks("s3cret")
        .run();
    import("http://192.0.2.1/api1/", Some("t0ken"))
        .stderr_has(
            "would cross the network unencrypted over http://; use the server's https:// URL",
        )
        .stderr_lacks("t0ken")
        .run();
    import("http://127.0.0.1:9/api1/#main", None)
        .stderr_has("an API root has no `#` part")
        .run();
    import("http://127.0.0.1:9/api1/?x=1", None)
        .stderr_has("an API root has no query")
        .run();
    import("ftp://127.0.0.1/api1/", None)
        .stderr_has("not an http:// or https:// URL")
        .run();
    import("https://x.example/api1/", Some("t0ken\n"))
        .stderr_has("ATTRIB_TAXII_TOKEN holds a character an HTTP header cannot carry")
        .run();
    // To this machine, over http, a token goes (medallion's tests run so).
    let server = fake(|_, _, _| (200, json!({"objects": [identity(1)]}).to_string()));
    Test::new()
        .args(["import", "taxii", &server.url, "--collection", COLLECTION])
        .env("ATTRIB_TAXII_TOKEN", Some("t0ken"))
        .stderr_has("read 1 object from collection")
        .run();
}

/// The API root's description, an empty collection, and what its status resource says of
/// each export's POST.
fn export_server(limit: usize, status: impl Fn(usize) -> Value + Send + 'static) -> Fake {
    fake(move |method, target, body| {
        if method == "POST" {
            let objects: Value = serde_json::from_str(body).unwrap();
            let n = objects["objects"].as_array().unwrap().len();
            (202, status(n).to_string())
        } else if target.contains("/collections/") {
            (200, "{}".to_string())
        } else {
            let root = json!({"title": "api1", "max_content_length": limit,
                              "versions": ["application/taxii+json;version=2.1"]});
            (200, root.to_string())
        }
    })
}

fn export_tutorial(url: &str, code: i32) -> crate::Output {
    Test::new()
        .args([
            "export",
            "taxii",
            url,
            "--collection",
            COLLECTION,
            "graphs/tutorial.ron",
        ])
        .env("ATTRIB_TAXII_TOKEN", None)
        .env("ATTRIB_TAXII_USER", None)
        .env("ATTRIB_TAXII_PASSWORD", None)
        .code(code)
        .run()
}

/// The objects go in as many requests as the API root's `max_content_length` asks (a server
/// answered one larger request with HTTP 413, and a case could not be published), each
/// within it, all of them once.
#[test]
fn an_export_keeps_within_the_servers_max_content_length() {
    let complete = |n: usize| {
        json!({"id": "s1", "status": "complete", "total_count": n,
                                     "success_count": n, "failure_count": 0, "pending_count": 0})
    };
    let server = export_server(20_000, complete);
    let run = export_tutorial(&server.url, 0);
    let posts: Vec<String> = (server.requests().into_iter())
        .filter(|r| r.0 == "POST")
        .map(|r| r.2)
        .collect();
    assert!(posts.len() >= 3, "{} requests", posts.len());
    let mut ids = std::collections::BTreeSet::new();
    for body in &posts {
        assert!(body.len() <= 20_000, "{} bytes", body.len());
        let v: Value = serde_json::from_str(body).unwrap();
        for o in v["objects"].as_array().unwrap() {
            assert!(
                ids.insert(o["id"].as_str().unwrap().to_string()),
                "sent twice"
            );
        }
    }
    let sent = err_count(
        &Test::new()
            .args(["export", "stix", "graphs/tutorial.ron"])
            .run()
            .stdout,
    );
    assert_eq!(
        ids.len(),
        sent - 1,
        "every object but the extension definition"
    );
    assert!(all_stored(&run.stderr), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            " in {} requests (the server takes at most 20000 bytes in one): ",
            posts.len()
        )),
        "{}",
        run.stderr
    );
}

/// An export reported success whatever the server's status said of the objects: fewer
/// stored than sent, a state TAXII does not define, refusals without their reasons.
#[test]
fn an_export_is_judged_by_what_the_server_stored() {
    type Status = fn(usize) -> Value;
    let cases: [(Status, &str); 3] = [
        (
            |n| {
                json!({"id": "s1", "status": "complete", "success_count": 3, "failure_count": 0,
                       "pending_count": 0, "total_count": n})
            },
            "status s1: the server stored 3 of the 54 objects sent and names none it refused",
        ),
        (
            |_| json!({"id": "s1", "status": "exploded"}),
            "status s1: the server says `exploded`, neither of TAXII's complete and pending",
        ),
        (
            |n| {
                json!({"id": "s1", "status": "complete", "success_count": n - 2,
                       "failure_count": 2, "failures": [
                           {"id": "relationship--1", "version": "x", "message": "no\nroom"},
                           {"id": "indicator--2", "message": "refused"}]})
            },
            "the server refused 2 objects of the 54 sent (status s1): relationship--1 (no room); \
             indicator--2 (refused)",
        ),
    ];
    for (status, says) in cases {
        let server = export_server(100 << 20, status);
        let run = export_tutorial(&server.url, 2);
        assert!(run.stderr.contains(says), "{says}: {}", run.stderr);
    }
    // A status that does not count is warned of, its id shown as a terminal shows text it
    // did not write (a server's escape sequence would clear the screen).
    let server = export_server(
        100 << 20,
        |_| json!({"id": "s1\u{1b}[2J", "status": "complete"}),
    );
    let run = export_tutorial(&server.url, 0);
    assert!(
        run.stderr.contains(": stored: not reported\n"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("warning: status s1␛[2J: the server's status gives no `success_count`"),
        "{}",
        run.stderr
    );
}

/// A server too busy for now (HTTP 429 or 503 with `Retry-After`) is asked again after the
/// wait it asks for, three times at most; then the error says to try later.
#[test]
fn a_busy_server_is_asked_again_after_the_wait_it_asks_for() {
    let calls = std::sync::atomic::AtomicUsize::new(0);
    let server =
        fake(
            move |_, _, _| match calls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                0 => (429, "{}".to_string()),
                1 => (503, "{}".to_string()),
                _ => (200, json!({"objects": [identity(1)]}).to_string()),
            },
        );
    import_from(&server.url)
        .stderr_has("read 1 object from collection")
        .run();
    assert_eq!(server.requests().len(), 3);
    let busy = fake(|_, _, _| (429, json!({"title": "slow down"}).to_string()));
    import_from(&busy.url)
        .code(2)
        .stderr_has(
            "HTTP 429, too many requests: the server asks to wait (slow down); try again later",
        )
        .run();
    assert_eq!(busy.requests().len(), 4);
}

/// A collection the credentials may write to but not read (an inbox) refused every export:
/// the export reads what the collection holds first. It sends every object now, and says
/// what it cannot do without reading.
#[test]
fn an_export_to_a_write_only_collection_sends_everything() {
    let server = fake(|method, target, body| {
        if method == "POST" {
            let v: Value = serde_json::from_str(body).unwrap();
            let n = v["objects"].as_array().unwrap().len();
            let status = json!({"id": "s1", "status": "complete", "success_count": n,
                                "failure_count": 0, "total_count": n});
            (202, status.to_string())
        } else if target.contains("/objects/") {
            (
                403,
                json!({"title": "Forbidden to read collection"}).to_string(),
            )
        } else if target.ends_with(&format!("/collections/{COLLECTION}/")) {
            let info = json!({"id": COLLECTION, "title": "inbox", "can_read": false,
                              "can_write": true});
            (200, info.to_string())
        } else {
            (
                200,
                json!({"title": "api1", "max_content_length": 10_000_000}).to_string(),
            )
        }
    });
    let run = export_tutorial(&server.url, 0);
    assert!(
        run.stderr
            .contains("takes objects but does not let these credentials read it"),
        "{}",
        run.stderr
    );
    assert!(all_stored(&run.stderr), "{}", run.stderr);
    // Where reading is refused and the collection is no inbox, the refusal is the error.
    let closed = fake(|_, _, _| (403, json!({"title": "Forbidden"}).to_string()));
    let run = export_tutorial(&closed.url, 2);
    assert!(
        run.stderr.contains("HTTP 403, not authorised (Forbidden)"),
        "{}",
        run.stderr
    );
}

/// A redirect was followed silently, to another host too, without the credentials (so a
/// protected collection answered 401, which named the original URL); a POST's gave a bare
/// "redirect failed". None is followed: the error names where the server sends the request,
/// and the API root to give.
#[test]
fn a_redirect_is_reported_with_the_api_root_to_give() {
    let server = fake(|_, target, _| {
        let moved = target.replacen("/api1/", "/taxii2/api1/", 1);
        (301, format!("https://cti.example.org{moved}"))
    });
    import_from(&server.url)
        .code(2)
        .stderr_has(format!(
            "HTTP 301, the server sends the request to https://cti.example.org/taxii2/api1/collections/{COLLECTION}/objects/?limit=100; attrib follows no redirect (the credentials would go with it): give https://cti.example.org/taxii2/api1/ as the API root"
        ))
        .run();
    assert_eq!(server.requests().len(), 1);
}

/// What `--added-after` reads is the objects added since, not the collection's case: the case
/// written holds them alone, and the summary says so.
#[test]
fn an_import_of_what_was_added_since_says_it_is_part_of_the_case() {
    let server = fake(|_, _, _| (200, json!({"objects": [identity(1)]}).to_string()));
    Test::new()
        .args(["import", "taxii", &server.url, "--collection", COLLECTION])
        .args(["--added-after", "2024-01-01T00:00:00Z"])
        .env("ATTRIB_TAXII_TOKEN", None)
        .stderr_has("note: only the objects added after 2024-01-01T00:00:00Z: the case written holds them alone")
        .run();
}

/// An authority made for the test and a certificate it signed for 127.0.0.1: the authority's
/// certificate, the server's, and the server's key, as PEM.
fn private_authority() -> (String, String, String) {
    let authority_key = rcgen::KeyPair::generate().unwrap();
    let mut authority = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    authority.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    (authority.distinguished_name).push(rcgen::DnType::CommonName, "Test authority");
    let authority_pem = authority.self_signed(&authority_key).unwrap().pem();
    let issuer = rcgen::Issuer::new(authority, authority_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let server = rcgen::CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    let server_pem = server.signed_by(&key, &issuer).unwrap().pem();
    (authority_pem, server_pem, key.serialize_pem())
}

/// A server whose certificate a private authority signed is refused against the system's
/// store, with the way out named; with that authority's certificate given (`--ca-cert`), the
/// collection is read. Another authority's certificate does not let it in.
#[test]
fn a_private_authority_is_trusted_only_when_given() {
    let (authority, certificate, key) = private_authority();
    let page = json!({"more": false, "objects": [identity(1), identity(2)]});
    let server = fake_tls(&certificate, &key, move |_, _, _| (200, page.to_string()));
    let tmp = tempfile::tempdir().unwrap();
    let ca = tmp.path().join("ca.pem");
    std::fs::write(&ca, &authority).unwrap();
    let out = import_from(&server.url)
        .args(["--timeout", "5"])
        .code(2)
        .run();
    assert!(out.stderr.contains("UnknownIssuer"), "{}", out.stderr);
    assert!(out.stderr.contains("--ca-cert FILE"), "{}", out.stderr);
    assert!(
        server.requests().is_empty(),
        "nothing was asked of an untrusted server"
    );

    let out = import_from(&server.url)
        .args(["--timeout", "5", "--ca-cert", ca.to_str().unwrap()])
        .run();
    assert!(out.stderr.contains("read 2 objects"), "{}", out.stderr);
    assert!(
        out.stdout.contains("Imported from TAXII collection"),
        "{}",
        out.stdout
    );
    assert_eq!(server.requests().len(), 1);

    let (other, _, _) = private_authority();
    let wrong = tmp.path().join("other.pem");
    std::fs::write(&wrong, other).unwrap();
    let out = import_from(&server.url)
        .args(["--timeout", "5", "--ca-cert", wrong.to_str().unwrap()])
        .code(2)
        .run();
    assert!(
        out.stderr.contains("does not lead to an authority of"),
        "{}",
        out.stderr
    );
    assert_eq!(server.requests().len(), 1, "nothing more was asked");
}

/// What `--ca-cert` cannot be: a file with no certificate, one with a private key (plain or
/// encrypted), a garbled or cut certificate, a pipe, a file that is not there, and any file
/// for an `http://` root, where no certificate is checked. Each is refused before anything is
/// sent, in import and export alike.
#[test]
fn a_ca_cert_that_cannot_serve_is_refused_before_anything_is_sent() {
    let (authority, _, key) = private_authority();
    let server = fake(|_, _, _| (200, json!({"objects": []}).to_string()));
    let https = server.url.replace("http://", "https://");
    let tmp = tempfile::tempdir().unwrap();
    let file = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let fifo = tmp.path().join("fifo.pem");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.unwrap().success());
    let fifo = fifo.to_str().unwrap().to_string();
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let garbled = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let cases = [
        (
            https.clone(),
            file("empty.pem", "no certificate here\n"),
            "holds no certificate",
        ),
        (
            https.clone(),
            file("with-key.pem", &format!("{authority}{key}")),
            "block 2 (`PRIVATE KEY`) is a private key",
        ),
        (
            https.clone(),
            file("encrypted.pem", &format!("{authority}{encrypted}")),
            "block 2 (`ENCRYPTED PRIVATE KEY`) is a private key",
        ),
        (
            https.clone(),
            file("garbled.pem", garbled),
            "block 1 is not a certificate TLS can trust",
        ),
        (
            https.clone(),
            file("cut.pem", &authority[..authority.len() / 2]),
            "does not read as PEM",
        ),
        (https.clone(), fifo.clone(), "not a regular file"),
        // An http:// root is refused before the file is opened: a pipe would be waited on.
        (server.url.clone(), fifo.clone(), "is http://"),
        (
            https.clone(),
            tmp.path().join("missing.pem").to_str().unwrap().to_string(),
            "cannot read",
        ),
        (server.url.clone(), file("ca.pem", &authority), "is http://"),
    ];
    for (url, ca, says) in cases {
        for command in ["import", "export"] {
            let out = Test::new()
                .args([command, "taxii", &url, "--collection", COLLECTION])
                .args(["--ca-cert", &ca])
                .env("ATTRIB_TAXII_TOKEN", None)
                .code(2)
                .run();
            assert!(out.stderr.contains(says), "{command} {ca}: {}", out.stderr);
            assert!(out.stdout.is_empty());
        }
    }
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// A refusal names the credentials that were sent: a stale token left in the environment
/// goes before a user and password set beside it, and "set ATTRIB_TAXII_TOKEN, or …" sent
/// the analyst to check the wrong one. A 403 (credentials known, request refused) says the
/// collection may not let them read or write it.
#[test]
fn a_refusal_names_the_credentials_sent() {
    let refusing = fake(|_, _, _| (401, json!({"title": "Unauthorized"}).to_string()));
    let import = |token: Option<&str>, user: Option<&str>| {
        Test::new()
            .args(["import", "taxii", &refusing.url, "--collection", COLLECTION])
            .env("ATTRIB_TAXII_TOKEN", token)
            .env("ATTRIB_TAXII_USER", user)
            .env("ATTRIB_TAXII_PASSWORD", user.map(|_| "secret-pw"))
            .code(2)
            .stderr_lacks("secret-pw")
            .stderr_lacks("stale-token")
    };
    import(Some("stale-token"), Some("analyst"))
        .stderr_has(
            "HTTP 401, not authorised (Unauthorized); the token in ATTRIB_TAXII_TOKEN was sent, \
             not ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD, which are set too",
        )
        .run();
    import(None, Some("analyst"))
        .stderr_has("ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD were sent")
        .run();
    import(None, None)
        .stderr_has("no credentials were sent: set ATTRIB_TAXII_TOKEN")
        .run();
    let read_only = fake(|method, _, _| match method {
        "POST" => (
            403,
            json!({"title": "Forbidden to write collection"}).to_string(),
        ),
        _ => (200, json!({}).to_string()),
    });
    let run = export_tutorial(&read_only.url, 2);
    assert!(
        run.stderr.contains(
            "HTTP 403, not authorised (Forbidden to write collection): the server refuses these \
             credentials this request; the collection may not let them write to it"
        ),
        "{}",
        run.stderr
    );
}

/// A case imported from a collection and not changed since goes back without replacing what
/// its producers put there, even where attrib writes an object otherwise than it came (an end
/// merged into the group that revoked it, an `attributed-to` between intrusion sets as
/// OpenCTI's `part-of`): a bundle makes such an object a later version, which sent to the
/// collection would stand for the producer's; STIX leaves new versions to an object's creator.
#[test]
fn an_unchanged_import_leaves_its_producers_versions_in_the_collection() {
    let platform: Value = serde_json::from_str(crate::stix::PLATFORM).unwrap();
    let objects = platform["objects"].clone();
    let server = fake(move |method, target, body| {
        if method == "POST" {
            let n = serde_json::from_str::<Value>(body).unwrap()["objects"]
                .as_array()
                .unwrap()
                .len();
            let status = json!({"id": "s1", "status": "complete", "success_count": n,
                                "failure_count": 0, "total_count": n});
            (202, status.to_string())
        } else if target.contains("/objects/") {
            (200, json!({"more": false, "objects": objects}).to_string())
        } else if target.ends_with(&format!("/collections/{COLLECTION}/")) {
            let info = json!({"id": COLLECTION, "title": "shared", "can_read": true,
                              "can_write": true});
            (200, info.to_string())
        } else {
            (200, json!({"title": "api1"}).to_string())
        }
    });
    let tmp = tempfile::tempdir().unwrap();
    let case = tmp.path().join("case.ron");
    import_from(&server.url)
        .args(["-o", case.to_str().unwrap()])
        .env("ATTRIB_TAXII_USER", None)
        .env("ATTRIB_TAXII_PASSWORD", None)
        .run();
    Test::new()
        .args(["export", "taxii", &server.url, "--collection", COLLECTION])
        .args([case.to_str().unwrap()])
        .env("ATTRIB_TAXII_TOKEN", None)
        .env("ATTRIB_TAXII_USER", None)
        .env("ATTRIB_TAXII_PASSWORD", None)
        .stderr_has("imported and unchanged, left as their producers' versions there")
        .run();
    let sent: Vec<String> = (server.requests().into_iter())
        .filter(|(method, _, _)| method == "POST")
        .flat_map(|(_, _, body)| {
            let v: Value = serde_json::from_str(&body).unwrap();
            (v["objects"].as_array().unwrap().iter())
                .map(|o| o["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for producers in [
        "relationship--7b2e1b0b-4f57-4c6e-9d0e-3a1f1b7c0a09",
        "relationship--9b2e1b0b-4f57-4c6e-9d0e-3a1f1b7c0a11",
        "intrusion-set--1b2e1b0b-4f57-4c6e-9d0e-3a1f1b7c0a03",
    ] {
        assert!(
            !sent.iter().any(|id| id == producers),
            "{producers} sent: {sent:?}"
        );
    }
}
