//! TAXII 2.1 client: read a collection's objects (following `more`/`next` pages) and add a
//! bundle's objects, waiting for the server's status resource.
//!
//! Credentials come from the environment, never from the command line (where `ps` and shell
//! history would show them): `ATTRIB_TAXII_TOKEN` (sent as a bearer token), or
//! `ATTRIB_TAXII_USER` and `ATTRIB_TAXII_PASSWORD` (HTTP basic). HTTPS is verified against the
//! system's root certificates, or the authorities of a file given ([`Server::trusting`]).

use serde_json::{Value, json};
use std::time::{Duration, Instant};

const MEDIA: &str = "application/taxii+json;version=2.1";
/// Objects asked for per page.
const PAGE: usize = 100;
/// The most a response body may hold.
const MAX_BODY: u64 = 256 << 20;
/// The most the answers of one walk through a collection's pages may hold together: a server
/// that promises more forever, each page new, is stopped here rather than read on without end
/// (the objects read take a few times this in memory).
const MAX_WALK: usize = 1 << 30;
/// Times a request is made again when the server asks to be asked later (HTTP 429 or 503 with
/// `Retry-After`).
const RETRIES: usize = 3;
/// Failures of an export's objects listed in the error, of those the server reports.
const FAILURES_SHOWN: usize = 10;

/// A failed exchange, with the request that failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct TaxiiError(pub String);

/// How to reach a TAXII API root: made by [`Server::new`], which refuses a root it cannot use
/// safely before anything is sent.
#[derive(Clone)]
pub struct Server {
    /// The API root, e.g. `https://taxii.example.org/api1/`.
    api_root: String,
    /// The collection's id.
    collection: String,
    /// `Authorization` header value, from the environment.
    authorization: Option<String>,
    /// For each request, and for waiting on a status.
    timeout: Duration,
    /// The certificates a server's must lead to: the system's store, or those of a file
    /// ([`Server::trusting`]).
    roots: ureq::tls::RootCerts,
    /// The file the roots came from, when they came from one: named when a certificate fails.
    roots_file: Option<String>,
}

/// The credentials left out, as from every message: `{:?}` of a server is logged and shown.
impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("api_root", &redacted(&self.api_root))
            .field("collection", &self.collection)
            .field("authorization", &self.authorization.as_ref().map(|_| "…"))
            .field("timeout", &self.timeout)
            .field("roots_file", &self.roots_file)
            .finish_non_exhaustive()
    }
}

/// The most a file of certificates may hold: a bundle of every public authority is about
/// 250 kB.
pub const MAX_CERTIFICATES_FILE: usize = 4 << 20;

/// The `Authorization` header the environment asks for, if any.
pub fn authorization_from_env() -> Result<Option<String>, TaxiiError> {
    if let Ok(token) = std::env::var("ATTRIB_TAXII_TOKEN")
        && !token.is_empty()
    {
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TaxiiError(
                "ATTRIB_TAXII_TOKEN holds a character an HTTP header cannot carry (a space, a \
                 line break, a control or a non-ASCII character): set it to the token alone \
                 (`export ATTRIB_TAXII_TOKEN=$(cat token.txt)` drops a final line break)"
                    .into(),
            ));
        }
        return Ok(Some(format!("Bearer {token}")));
    }
    match (
        std::env::var("ATTRIB_TAXII_USER"),
        std::env::var("ATTRIB_TAXII_PASSWORD"),
    ) {
        (Ok(u), Ok(_)) if u.contains(':') => Err(TaxiiError(
            "ATTRIB_TAXII_USER holds a `:`, which HTTP basic authentication reads as the end of \
             the user name"
                .into(),
        )),
        (Ok(u), Ok(p)) if (u.chars().chain(p.chars())).any(char::is_control) => Err(TaxiiError(
            "ATTRIB_TAXII_USER or ATTRIB_TAXII_PASSWORD holds a control character (a line \
             break?): set them to the name and the password alone"
                .into(),
        )),
        (Ok(u), Ok(p)) => Ok(Some(format!(
            "Basic {}",
            base64(format!("{u}:{p}").as_bytes())
        ))),
        (Ok(_), Err(_)) => Err(TaxiiError(
            "ATTRIB_TAXII_USER is set but ATTRIB_TAXII_PASSWORD is not".into(),
        )),
        (Err(_), Ok(_)) => Err(TaxiiError(
            "ATTRIB_TAXII_PASSWORD is set but ATTRIB_TAXII_USER is not".into(),
        )),
        _ => Ok(None),
    }
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Percent-encodes a query value or path segment.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `url` with what stands before an `@` in its authority (a user and a password) left out,
/// for messages.
///
/// Every `@` counts: a password written with a `/`, `?` or `#` unencoded ends the authority
/// early for a URL parser, but is a password all the same.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rfind('@') {
        Some(at) => format!("{scheme}://…{}", &rest[at..]),
        None => url.to_string(),
    }
}

/// Whether `url` is an `https://` URL (its scheme in any case).
fn is_https(url: &str) -> bool {
    url.split_once("://")
        .is_some_and(|(scheme, _)| scheme.eq_ignore_ascii_case("https"))
}

/// Whether `host` (as a URL's authority writes it, without the port) is this machine.
fn loopback(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost"
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Why `url` cannot be an API root attrib talks to, if it cannot: not `http` or `https`; no
/// host; a user and password in it (they would show in every message, and in `ps`); a query
/// or a fragment (attrib adds the collection's path and its own query after the root, and a
/// `#` would cut them off: the request would go to the root itself); or credentials to send
/// over plain `http` to another machine than this one.
fn unusable_root(url: &str, credentials: bool) -> Option<String> {
    let shown = redacted(url);
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some(format!("{shown}: not an http:// or https:// URL"));
    };
    let https = is_https(url);
    if !https && !scheme.eq_ignore_ascii_case("http") {
        return Some(format!("{shown}: not an http:// or https:// URL"));
    }
    if rest.contains('@') {
        return Some(format!(
            "{shown}: the URL holds an `@`, as a user name or password in it would; they would \
             show in messages and to `ps`: give them in ATTRIB_TAXII_USER and \
             ATTRIB_TAXII_PASSWORD (or a token in ATTRIB_TAXII_TOKEN) and leave them out of \
             the URL"
        ));
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6
            .split_once(']')
            .map_or(authority, |(h, _)| &authority[..h.len() + 2]),
        None => authority.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Some(format!("{shown}: the URL names no host"));
    }
    if rest.contains('#') {
        return Some(format!(
            "{shown}: an API root has no `#` part; attrib adds `collections/ID/objects/` after \
             the root, and a `#` would cut it off: remove it"
        ));
    }
    if rest.contains('?') {
        return Some(format!(
            "{shown}: an API root has no query (`?…`); attrib adds the collection's path and \
             its own query after the root: remove it"
        ));
    }
    if credentials && !https && !loopback(host) {
        return Some(format!(
            "{shown}: the credentials in ATTRIB_TAXII_… would cross the network unencrypted \
             over http://; use the server's https:// URL (attrib sends credentials over http \
             only to this machine: localhost, 127.0.0.1, [::1])"
        ));
    }
    None
}

/// The certificates of a PEM file of authorities, each checked to be one TLS can trust, or
/// why the file cannot serve. Every block counts, by its label: a PEM reader skips the
/// blocks it does not know (an encrypted key, a request), which would let a key file pass.
fn authorities(pem: &[u8]) -> Result<Vec<ureq::tls::Certificate<'static>>, String> {
    let text = std::str::from_utf8(pem).map_err(|_| "not a PEM file (not text)".to_string())?;
    let labels: Vec<&str> = (text.lines())
        .filter_map(|l| l.trim().strip_prefix("-----BEGIN "))
        .map(|l| l.trim_end_matches('-'))
        .collect();
    if let Some((i, label)) = (labels.iter().enumerate()).find(|(_, l)| **l != "CERTIFICATE") {
        let what = if label.contains("PRIVATE KEY") {
            "a private key"
        } else {
            "not a certificate"
        };
        return Err(format!(
            "block {} (`{label}`) is {what}; give the authority's certificates alone (the \
             `-----BEGIN CERTIFICATE-----` blocks)",
            i + 1
        ));
    }
    let mut certificates = Vec::new();
    for item in ureq::tls::parse_pem(pem) {
        match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => certificates.push(c),
            Ok(_) => return Err("holds a block that is not a certificate".into()),
            Err(_) => {
                return Err(format!(
                    "block {} does not read as PEM (not closed by its `-----END …-----` \
                     line, or not base64)",
                    certificates.len() + 1
                ));
            }
        }
    }
    if certificates.is_empty() {
        return Err(
            "holds no certificate (a PEM file of `-----BEGIN CERTIFICATE-----` blocks is \
             expected)"
                .into(),
        );
    }
    for (i, c) in certificates.iter().enumerate() {
        let der = rustls::pki_types::CertificateDer::from(c.der());
        if let Err(e) = rustls::RootCertStore::empty().add(der) {
            return Err(format!(
                "block {} is not a certificate TLS can trust as an authority ({e})",
                i + 1
            ));
        }
    }
    Ok(certificates)
}

impl Server {
    /// A server at the API root `api_root`, checked (`unusable_root`) before anything is
    /// sent to it.
    pub fn new(
        api_root: &str,
        collection: &str,
        authorization: Option<String>,
        timeout: Duration,
    ) -> Result<Server, TaxiiError> {
        if let Some(why) = unusable_root(api_root, authorization.is_some()) {
            return Err(TaxiiError(why));
        }
        Ok(Server {
            api_root: api_root.to_string(),
            collection: collection.to_string(),
            authorization,
            timeout,
            roots: ureq::tls::RootCerts::PlatformVerifier,
            roots_file: None,
        })
    }

    /// The collection's id.
    pub fn collection(&self) -> &str {
        &self.collection
    }

    /// The server, verified against the certificates of a PEM file alone (named `name`, its
    /// bytes given by `read`, as `curl --cacert` takes it) rather than the system's store: for
    /// a server whose certificate a private authority signed, on a machine whose store the user
    /// cannot add it to. Refused before the file is read: an `http://` root, which no
    /// certificate is checked for. Refused then: a file too large to be one, a block that is
    /// not a certificate (a private key above all: a key file given by mistake would lie about
    /// in the command's history), a certificate that does not read as one (which TLS would
    /// drop without a word, trusting nothing), and a file with none.
    pub fn trusting(
        mut self,
        name: &str,
        read: impl FnOnce() -> Result<Vec<u8>, TaxiiError>,
    ) -> Result<Server, TaxiiError> {
        let refuse = |why: String| TaxiiError(format!("--ca-cert {name}: {why}"));
        if !is_https(&self.api_root) {
            return Err(refuse(format!(
                "{} is http://, where no certificate is checked: give the server's https:// \
                 URL, or leave --ca-cert out",
                redacted(&self.api_root)
            )));
        }
        let pem = read()?;
        if pem.len() > MAX_CERTIFICATES_FILE {
            return Err(refuse(format!(
                "larger than {} MiB: not a file of certificates",
                MAX_CERTIFICATES_FILE >> 20
            )));
        }
        let certificates = authorities(&pem).map_err(refuse)?;
        self.roots = ureq::tls::RootCerts::new_with_certs(&certificates);
        self.roots_file = Some(name.to_string());
        Ok(self)
    }

    fn root(&self) -> String {
        format!("{}/", self.api_root.trim_end_matches('/'))
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            // A redirect is reported, not followed ([`Server::request_once`]).
            .max_redirects(0)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(self.roots.clone())
                    .build(),
            )
            .build()
            .new_agent()
    }

    /// One request; the JSON answer, or an error naming the request and what went wrong.
    fn exchange(&self, method: &str, url: &str, body: Option<&str>) -> Result<Value, TaxiiError> {
        let reply = self.request(method, url, body)?;
        let what = format!("{method} {url}");
        answer(
            &what,
            reply.status,
            &reply.text,
            self.authorization.as_deref(),
        )
    }

    /// How long to wait before asking again, when an answer of `status` asks for it (HTTP 429
    /// or 503 with `Retry-After` in seconds) and the wait fits in `--timeout`.
    fn retry_after(&self, status: u16, header: Option<&str>) -> Option<Duration> {
        if status != 429 && status != 503 {
            return None;
        }
        let seconds: u64 = header?.trim().parse().ok()?;
        let wait = Duration::from_secs(seconds.max(1));
        (wait <= self.timeout).then_some(wait)
    }

    /// One request: the HTTP status and the body of the answer. A server that asks to be
    /// asked again later ([`Server::retry_after`]) is, up to [`RETRIES`] times.
    fn request(&self, method: &str, url: &str, body: Option<&str>) -> Result<Reply, TaxiiError> {
        let mut tries = 0;
        loop {
            let reply = self.request_once(method, url, body)?;
            match self.retry_after(reply.status, reply.retry_after.as_deref()) {
                Some(wait) if tries < RETRIES => {
                    tries += 1;
                    std::thread::sleep(wait);
                }
                _ => return Ok(reply),
            }
        }
    }

    /// [`Server::request`] once.
    fn request_once(
        &self,
        method: &str,
        url: &str,
        body: Option<&str>,
    ) -> Result<Reply, TaxiiError> {
        let agent = self.agent();
        let what = format!("{method} {url}");
        let result = match body {
            None => {
                let mut req = agent.get(url).header("Accept", MEDIA);
                if let Some(a) = &self.authorization {
                    req = req.header("Authorization", a);
                }
                req.call()
            }
            Some(b) => {
                let mut req = agent
                    .post(url)
                    .header("Accept", MEDIA)
                    .header("Content-Type", MEDIA);
                if let Some(a) = &self.authorization {
                    req = req.header("Authorization", a);
                }
                req.send(b)
            }
        };
        let mut resp = result.map_err(|e| {
            TaxiiError(match e {
                ureq::Error::Timeout(_) => format!(
                    "{what}: no answer within {} s (timed out)",
                    self.timeout.as_secs_f64()
                ),
                other => format!(
                    "{what}: {other}{}",
                    hint(&other.to_string(), self.roots_file.as_deref())
                ),
            })
        })?;
        let status = resp.status().as_u16();
        let header = |name: &str| {
            (resp.headers().get(name))
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if (300..400).contains(&status) {
            return Err(TaxiiError(redirected(&what, status, header("location"))));
        }
        let (retry_after, added_last) = (header("retry-after"), header("x-taxii-date-added-last"));
        let text = resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY)
            .lossy_utf8(true)
            .read_to_string()
            .map_err(|e| {
                TaxiiError(match e {
                    ureq::Error::Timeout(_) => format!(
                        "{what}: the answer did not arrive within {} s (timed out)",
                        self.timeout.as_secs_f64()
                    ),
                    other => format!("{what}: reading the answer: {other}"),
                })
            })?;
        Ok(Reply {
            status,
            retry_after,
            added_last,
            text,
        })
    }

    /// The newest version of each object the collection holds, by id: what [`plan`] compares
    /// an export with.
    pub fn newest_objects(&self) -> Result<std::collections::BTreeMap<String, Value>, TaxiiError> {
        let mut newest = std::collections::BTreeMap::new();
        for o in self.fetch_objects(None)? {
            let Some(id) = o.get("id").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            if newest.get(&id).is_none_or(|n| stamp(n) < stamp(&o)) {
                newest.insert(id, o);
            }
        }
        Ok(newest)
    }

    /// Whether the credentials may write to the collection but not read it (its description
    /// says `can_read: false`, `can_write: true`): an inbox, to which an export sends without
    /// knowing what it holds.
    pub fn write_only(&self) -> bool {
        let url = format!("{}collections/{}/", self.root(), encode(&self.collection));
        self.exchange("GET", &url, None).is_ok_and(|c| {
            c.get("can_read") == Some(&Value::Bool(false))
                && c.get("can_write") == Some(&Value::Bool(true))
        })
    }

    /// Every object of the collection (added after `added_after`, if given): the `objects`
    /// of every page of its `objects` resource. A page that says
    /// there is more leads to the next by its `next` token, or, without one, by the
    /// `X-TAXII-Date-Added-Last` header as the next page's `added_after` (TAXII 2.1 §3.4). A
    /// walk ends where the server says there is no more; one that would never end is stopped:
    /// a page promising more that holds only objects read before (a `next` leading back), or
    /// answers beyond `MAX_WALK` together.
    pub fn fetch_objects(&self, added_after: Option<&str>) -> Result<Vec<Value>, TaxiiError> {
        let base = format!(
            "{}collections/{}/objects/?limit={PAGE}",
            self.root(),
            encode(&self.collection)
        );
        let mut objects = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // What the next page is asked by: `added_after` alone, or with `next`.
        let mut after = added_after.map(str::to_string);
        let mut next: Option<String> = None;
        let mut pages = 0usize;
        let mut read = 0usize;
        loop {
            // `limit` goes with every page, `next` included: some servers answer a bare
            // `next` with an error.
            let mut url = base.clone();
            if let Some(t) = &after {
                url.push_str(&format!("&added_after={}", encode(t)));
            }
            if let Some(n) = &next {
                url.push_str(&format!("&next={}", encode(n)));
            }
            let what = format!("GET {url}");
            let reply = self.request("GET", &url, None)?;
            pages += 1;
            read += reply.text.len();
            if read > MAX_WALK {
                return Err(TaxiiError(format!(
                    "{what}: the collection's pages hold more than {} MB together (page \
                     {pages}); attrib stops here rather than read on without end (narrow the \
                     walk with --added-after)",
                    MAX_WALK >> 20
                )));
            }
            let page = answer(
                &what,
                reply.status,
                &reply.text,
                self.authorization.as_deref(),
            )?;
            let (list, more, next_token) = envelope(&what, &page)?;
            let new = list
                .iter()
                .filter(|o| seen.insert((o.get("id").cloned(), o.get("modified").cloned())))
                .count();
            objects.extend(list.iter().cloned());
            if !more {
                break;
            }
            if new == 0 {
                return Err(TaxiiError(format!(
                    "{what}: page {pages} holds no object the pages before it did not, and the \
                     server says there is more: it leads back, and the walk would never end"
                )));
            }
            // A server may keep one `next` token for the whole walk; the check above stops
            // one that leads back.
            match (next_token, &reply.added_last) {
                (Some(n), _) => next = Some(n.to_string()),
                (None, Some(t)) if super::is_timestamp(t.trim()) => {
                    next = None;
                    after = Some(t.trim().to_string());
                }
                _ => {
                    return Err(TaxiiError(format!(
                        "{what}: the server says there is more but gives neither a `next` \
                         token nor an X-TAXII-Date-Added-Last to go on from (page {pages})"
                    )));
                }
            }
        }
        Ok(objects)
    }

    /// The most the API root takes in one request (its `max_content_length`), when it says.
    fn max_content_length(&self) -> Option<usize> {
        let root = self.exchange("GET", &self.root(), None).ok()?;
        let n = root.get("max_content_length")?.as_u64()?;
        usize::try_from(n).ok().filter(|&n| n > 0)
    }

    /// Adds `objects` to the collection, in as many requests as the API root's
    /// `max_content_length` asks, and waits until the server has processed each; what it
    /// stored, or an error naming what it refused.
    pub fn add_objects(&self, objects: Vec<Value>) -> Result<Added, TaxiiError> {
        let url = format!(
            "{}collections/{}/objects/",
            self.root(),
            encode(&self.collection)
        );
        let limit = self.max_content_length();
        let bodies = bodies(&objects, limit)?;
        let mut added = Added {
            sent: objects.len(),
            requests: bodies.len(),
            limit,
            ..Added::default()
        };
        for (k, (body, n)) in bodies.iter().enumerate() {
            let status = self.post_and_wait(&url, body)?;
            let (stored, warnings) = outcome(&status, *n).map_err(|TaxiiError(e)| {
                TaxiiError(match k {
                    0 => e,
                    k => format!(
                        "{e} (request {} of {}; the objects of the {} before it are stored)",
                        k + 1,
                        bodies.len(),
                        crate::report::plural(k, "request")
                    ),
                })
            })?;
            added.stored = match (k, added.stored, stored) {
                (0, _, stored) => stored,
                (_, Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            added.warnings.extend(warnings);
        }
        Ok(added)
    }

    /// Posts one envelope and waits until the server has processed it: the final status
    /// resource.
    fn post_and_wait(&self, url: &str, body: &str) -> Result<Value, TaxiiError> {
        let mut status = self.exchange("POST", url, Some(body))?;
        let start = Instant::now();
        let mut wait = Duration::from_millis(100);
        while status.get("status").and_then(Value::as_str) == Some("pending") {
            let Some(id) = status.get("id").and_then(Value::as_str) else {
                return Err(TaxiiError(format!(
                    "POST {url}: the status resource has no `id`"
                )));
            };
            if start.elapsed() > self.timeout {
                return Err(TaxiiError(format!(
                    "status {id}: still pending after {} s (timed out)",
                    self.timeout.as_secs_f64()
                )));
            }
            std::thread::sleep(wait);
            wait = (wait * 2).min(Duration::from_secs(2));
            status = self.exchange(
                "GET",
                &format!("{}status/{}/", self.root(), encode(id)),
                None,
            )?;
        }
        Ok(status)
    }
}

/// One answer: its status, the headers attrib reads, and its body.
struct Reply {
    status: u16,
    /// `Retry-After`, when a server too busy says when to ask again.
    retry_after: Option<String>,
    /// `X-TAXII-Date-Added-Last`: when the newest object of a page was added.
    added_last: Option<String>,
    text: String,
}

/// What the server did with an export's objects.
#[derive(Debug, Default)]
pub struct Added {
    /// Objects sent.
    pub sent: usize,
    /// Objects the server says it stored; `None` when a status did not say.
    pub stored: Option<u64>,
    /// Requests they went in.
    pub requests: usize,
    /// The API root's `max_content_length`, when it gave one.
    pub limit: Option<usize>,
    /// What the server left unsaid (a status without counts).
    pub warnings: Vec<String>,
}

/// The envelopes (`{"objects":[…]}`) to post `objects` in, each with how many objects it
/// holds: one, or as many as keep each within `limit` bytes.
fn bodies(objects: &[Value], limit: Option<usize>) -> Result<Vec<(String, usize)>, TaxiiError> {
    const OPEN: &str = "{\"objects\":[";
    const CLOSE: &str = "]}";
    let mut out: Vec<(String, usize)> = Vec::new();
    let mut body = String::from(OPEN);
    let mut n = 0;
    for o in objects {
        let text = crate::escape::json::to_string(o);
        if let Some(limit) = limit {
            if OPEN.len() + text.len() + CLOSE.len() > limit {
                let id = o.get("id").and_then(Value::as_str).unwrap_or("an object");
                return Err(TaxiiError(format!(
                    "{}: {} bytes, more than the {limit} the server takes in one request (its \
                     max_content_length)",
                    one_line(id, 120),
                    OPEN.len() + text.len() + CLOSE.len()
                )));
            }
            if n > 0 && body.len() + 1 + text.len() + CLOSE.len() > limit {
                body.push_str(CLOSE);
                out.push((std::mem::replace(&mut body, String::from(OPEN)), n));
                n = 0;
            }
        }
        if n > 0 {
            body.push(',');
        }
        body.push_str(&text);
        n += 1;
    }
    body.push_str(CLOSE);
    out.push((body, n));
    Ok(out)
}

/// What a final status resource says of `sent` objects: how many were stored and what it
/// leaves unsaid, or an error when it refused any, stored fewer than were sent, or is in no
/// state TAXII 2.1 defines.
fn outcome(status: &Value, sent: usize) -> Result<(Option<u64>, Vec<String>), TaxiiError> {
    let id = one_line(status.get("id").and_then(Value::as_str).unwrap_or("?"), 80);
    match status.get("status").and_then(Value::as_str) {
        Some("complete") => {}
        Some(other) => {
            return Err(TaxiiError(format!(
                "status {id}: the server says `{}`, neither of TAXII's complete and pending",
                one_line(other, 40)
            )));
        }
        None => {
            return Err(TaxiiError(format!(
                "status {id}: the status resource says nothing of the request's state (`status`)"
            )));
        }
    }
    let count = |field: &str| status.get(field).and_then(Value::as_u64);
    let failed = count("failure_count").unwrap_or(0);
    if failed > 0 {
        let listed: Vec<String> = (status.get("failures").and_then(Value::as_array))
            .into_iter()
            .flatten()
            .take(FAILURES_SHOWN)
            .map(|f| {
                let said = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or("?");
                format!(
                    "{} ({})",
                    one_line(said("id"), 100),
                    one_line(said("message"), 160)
                )
            })
            .collect();
        let more = (failed as usize).saturating_sub(listed.len());
        let listed = match (listed.is_empty(), more) {
            (true, _) => String::new(),
            (false, 0) => format!(": {}", listed.join("; ")),
            (false, more) => format!(": {}; and {more} more", listed.join("; ")),
        };
        return Err(TaxiiError(format!(
            "the server refused {} of the {sent} sent (status {id}){listed}",
            crate::report::plural(failed as usize, "object")
        )));
    }
    match count("success_count") {
        Some(stored) if stored >= sent as u64 => Ok((Some(stored), Vec::new())),
        Some(stored) => {
            let pending = count("pending_count").filter(|&p| p > 0);
            Err(TaxiiError(format!(
                "status {id}: the server stored {stored} of the {sent} objects sent and names \
                 none it refused{}: the collection may not hold this version of the case \
                 whole; export again to send what is missing",
                pending.map_or(String::new(), |p| format!(" ({p} still pending)"))
            )))
        }
        None => Ok((
            None,
            vec![format!(
                "status {id}: the server's status gives no `success_count`: whether it stored \
                 the {sent} objects is not known"
            )],
        )),
    }
}

/// What to add to a collection for one version of a case, given the newest version of each
/// object the collection holds ([`Server::fetch_objects`] reads only those).
#[derive(Debug, Default)]
pub struct Plan {
    /// The objects to add: new ones, changed ones under a later `modified`, and revocations.
    pub send: Vec<Value>,
    /// Objects the collection holds as they are: not sent (a server refuses a version it has).
    pub unchanged: usize,
    /// Objects whose content changed under the same (or an earlier) `modified`: sent as a
    /// version a millisecond later than the collection's.
    pub updated: usize,
    /// Objects the case imported and did not change, whose version in the collection is the
    /// one they came from (or a later one): not sent. attrib keeps only what it models of an
    /// imported object (docs/stix.md), and its copy, as a new version, would replace the
    /// fuller one every reader takes.
    pub theirs: usize,
    /// Claims an earlier version of the case put in the collection that this one no longer
    /// makes, revoked (by name).
    pub revoked: Vec<String>,
    /// Claims of this version whose newest version in the collection is a revocation (by
    /// name): STIX never restores a revoked object, so they are not sent.
    pub still_revoked: Vec<String>,
    /// This case has an `id`, and the collection holds the grouping of a case without one
    /// under the same title: most likely this case as published before it had an id, whose
    /// claims this export neither updates nor revokes (they have other STIX ids).
    pub published_without_id: bool,
}

/// Plans adding `objects` (a case's export) to a collection whose newest versions are `held`.
///
/// TAXII only adds, so three things need care. A version the collection has is refused by a
/// server, so sending an unchanged case again failed: what is there as it is is not sent. An
/// object whose content changed but whose `modified` did not (attrib dates objects by the
/// case, not by the clock) would be refused or lost: it goes as a version a millisecond later.
/// And a claim removed from the case would stay, and every reader of the collection
/// (`import taxii` included) would take it back: the collection's case grouping, when it is an
/// earlier version of this case (`same_case`), lists what the last export held, and those of
/// its claims (objects carrying attrib's claim record) that this version lacks are revoked, as
/// STIX withdraws what its producer retracts. Nothing else is revoked: actors, groups and
/// sources may be shared with other cases in the collection.
///
/// `imported` holds the STIX ids of the objects the case imported. attrib dates one it changed
/// later than the version it came from, so one no later than the collection's is unchanged
/// and is not sent, though attrib's copy differs from the producer's (it carries attrib's
/// record, and references as the case resolved them).
pub fn plan(
    objects: Vec<Value>,
    held: &std::collections::BTreeMap<String, Value>,
    imported: &std::collections::BTreeSet<String>,
) -> Plan {
    let mut plan = Plan::default();
    let id_of = |o: &Value| o.get("id").and_then(Value::as_str).map(str::to_string);
    let ours: std::collections::BTreeSet<String> = objects.iter().filter_map(id_of).collect();
    let earlier = objects
        .iter()
        .find(|o| {
            o.get("type").and_then(Value::as_str) == Some("grouping")
                && o.get("x_attrib_case").is_some()
        })
        .and_then(|case| held.get(&id_of(case)?).map(|g| (case, g)));
    plan.published_without_id = objects.iter().any(|o| {
        let case = &o["x_attrib_case"];
        case["id"].is_string()
            && held
                .get(&super::id_of(
                    "grouping",
                    super::case_uuid(None, super::CASE_GROUPING_KEY),
                ))
                .is_some_and(|g| g["x_attrib_case"]["title"] == case["title"])
    });
    if let Some((case, grouping)) = earlier.filter(|(case, g)| same_case(case, g, &ours, held)) {
        let gone = (grouping.get("object_refs").and_then(Value::as_array))
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|id| !ours.contains(*id))
            .filter_map(|id| held.get(id));
        for old in gone {
            if old.get("x_attrib_claim").is_none() || is_revoked(old) {
                continue;
            }
            // A later `modified`: the case grouping's when it moved on, else a millisecond
            // after the claim's own.
            let after = stamp(old).map(|t| super::markings::later_by_a_millisecond(&t));
            let modified = after.max(stamp(case)).unwrap_or_default();
            let mut revoked = old.clone();
            revoked["revoked"] = Value::Bool(true);
            revoked["modified"] = Value::String(modified);
            plan.revoked.push(claim_name(&revoked));
            plan.send.push(revoked);
        }
    }
    for mut o in objects {
        let Some(there) = id_of(&o).and_then(|id| held.get(&id)) else {
            plan.send.push(o);
            continue;
        };
        if is_revoked(there) {
            if o.get("x_attrib_claim").is_some() {
                plan.still_revoked.push(claim_name(&o));
            }
            continue;
        }
        let (ours, theirs) = (stamp(&o), stamp(there));
        if ours > theirs {
            plan.send.push(o);
        } else if without_modified(&o) == without_modified(there) {
            plan.unchanged += 1;
        } else if id_of(&o).is_some_and(|id| imported.contains(&id)) {
            plan.theirs += 1;
        } else if let Some(t) = theirs {
            o["modified"] = Value::String(super::markings::later_by_a_millisecond(&t));
            plan.updated += 1;
            plan.send.push(o);
        } else {
            plan.send.push(o);
        }
    }
    plan
}

/// Whether the collection's case grouping (`theirs`) is an earlier version of this case
/// (`ours`), not another case's. A case with an `id` has a grouping of its own, found under
/// its STIX id: it is when both name that id. Every case without one has the same grouping
/// id, so a collection holding two such cases holds the grouping of whichever was sent last.
/// It is when the titles are the same, or when this version still makes at least half the
/// claims it lists (a new version keeps most of the claims of the one before; another case
/// shares none or few).
fn same_case(
    ours: &Value,
    theirs: &Value,
    ids: &std::collections::BTreeSet<String>,
    held: &std::collections::BTreeMap<String, Value>,
) -> bool {
    let field = |g: &Value, name: &str| g["x_attrib_case"][name].as_str().map(str::to_string);
    if field(ours, "id").is_some() {
        return field(ours, "id") == field(theirs, "id");
    }
    if field(ours, "title").is_some() && field(ours, "title") == field(theirs, "title") {
        return true;
    }
    let claims: Vec<&str> = (theirs.get("object_refs").and_then(Value::as_array))
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|id| {
            held.get(*id)
                .is_some_and(|o| o.get("x_attrib_claim").is_some())
        })
        .collect();
    let kept = claims.iter().filter(|id| ids.contains(**id)).count();
    !claims.is_empty() && 2 * kept >= claims.len()
}

fn is_revoked(o: &Value) -> bool {
    o.get("revoked").and_then(Value::as_bool) == Some(true)
}

/// An object with its `modified` left out, to compare content.
fn without_modified(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(map) = o.as_object_mut() {
        map.remove("modified");
    }
    o
}

/// A claim as a summary names it: its attrib id, else its STIX id.
fn claim_name(o: &Value) -> String {
    (o["x_attrib_claim"]["id"].as_str())
        .or_else(|| o["id"].as_str())
        .unwrap_or("?")
        .to_string()
}

/// An object's `modified`, else its `created`.
fn stamp(o: &Value) -> Option<String> {
    (o.get("modified").or_else(|| o.get("created")))
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Which credentials a request carried (`authorization`, the header sent), for a refusal to
/// name: a stale token left in the environment goes before a user and password set beside it,
/// and a refusal that did not say which was sent sent the analyst to the wrong one.
fn credentials_sent(authorization: Option<&str>) -> String {
    let both = std::env::var_os("ATTRIB_TAXII_USER").is_some()
        && std::env::var_os("ATTRIB_TAXII_PASSWORD").is_some();
    match authorization {
        None => "no credentials were sent: set ATTRIB_TAXII_TOKEN, or ATTRIB_TAXII_USER and \
                 ATTRIB_TAXII_PASSWORD"
            .into(),
        Some(a) if a.starts_with("Bearer ") && both => {
            "the token in ATTRIB_TAXII_TOKEN was sent, not ATTRIB_TAXII_USER and \
             ATTRIB_TAXII_PASSWORD, which are set too: a token goes first (unset \
             ATTRIB_TAXII_TOKEN to send them)"
                .into()
        }
        Some(a) if a.starts_with("Bearer ") => "the token in ATTRIB_TAXII_TOKEN was sent".into(),
        Some(_) => "ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD were sent".into(),
    }
}

/// The JSON of a successful answer, or an error naming the request and what went wrong;
/// `authorization`, the credentials the request carried, for a refusal to name.
fn answer(
    what: &str,
    status: u16,
    text: &str,
    authorization: Option<&str>,
) -> Result<Value, TaxiiError> {
    let detail = || error_detail(text);
    match status {
        200..=299 => serde_json::from_str(text)
            .map_err(|e| TaxiiError(format!("{what}: the answer is not TAXII JSON: {e}"))),
        401 => Err(TaxiiError(format!(
            "{what}: HTTP 401, not authorised ({}); {}",
            detail(),
            credentials_sent(authorization)
        ))),
        // Credentials the server knows, refused this request: a collection that does not let
        // them write (an export) or read (an import, a write-only inbox).
        403 => Err(TaxiiError(format!(
            "{what}: HTTP 403, not authorised ({}): the server refuses these credentials this \
             request; the collection may not let them {} it (its `can_read` and `can_write` \
             say, in `GET …/collections/`); {}",
            detail(),
            if what.starts_with("POST") {
                "write to"
            } else {
                "read"
            },
            credentials_sent(authorization)
        ))),
        404 => Err(TaxiiError(format!(
            "{what}: HTTP 404, no such API root or collection ({})",
            detail()
        ))),
        429 => Err(TaxiiError(format!(
            "{what}: HTTP 429, too many requests: the server asks to wait ({}); try again later",
            detail()
        ))),
        503 => Err(TaxiiError(format!(
            "{what}: HTTP 503, the server is unavailable for now ({}); try again later",
            detail()
        ))),
        500..=599 => Err(TaxiiError(format!(
            "{what}: HTTP {status}, the server failed ({})",
            detail()
        ))),
        _ => Err(TaxiiError(format!("{what}: HTTP {status} ({})", detail()))),
    }
}

/// The error for a redirect to `location`. attrib follows none: the credentials would go
/// with the request to wherever it leads, or be dropped and the answer read as refused; the
/// user gives the URL the server names instead (its API root, when the redirect keeps attrib's
/// `collections/…` path after it).
fn redirected(what: &str, status: u16, location: Option<String>) -> String {
    let Some(location) = location else {
        return format!("{what}: HTTP {status}, a redirect that names no place to go");
    };
    let location = one_line(&location, 300);
    let root = (location.find("collections/"))
        .map(|at| &location[..at])
        .filter(|root| root.contains("://"));
    match root {
        Some(root) => format!(
            "{what}: HTTP {status}, the server sends the request to {location}; attrib follows \
             no redirect (the credentials would go with it): give {root} as the API root"
        ),
        None => format!(
            "{what}: HTTP {status}, the server sends the request to {location}; attrib follows \
             no redirect (the credentials would go with it): give the API root that URL \
             belongs to"
        ),
    }
}

/// What to try, for the connection errors whose library wording says little to a user;
/// `roots_file`, the file of authorities the server was checked against, if not the system's.
fn hint(error: &str, roots_file: Option<&str>) -> String {
    let unknown_authority = ["UnknownIssuer", "BadSignature"]
        .iter()
        .any(|e| error.contains(e));
    if error.contains("InvalidContentType") || error.contains("corrupt message") {
        " (the port does not speak TLS: is the server's URL http:// rather than https://?)".into()
    } else if unknown_authority {
        match roots_file {
            Some(file) => format!(
                " (the server's certificate does not lead to an authority of {file}, the only \
                 ones --ca-cert trusts: is it the authority that signed the server's?)"
            ),
            None => " (the server's certificate is not one attrib trusts: its authority must \
                     be in the system's certificate store, or its certificate given with \
                     --ca-cert FILE)"
                .into(),
        }
    } else if error.contains("NotValidForName") || error.contains("not valid for name") {
        " (the server's certificate is for another name than the URL's host: give the URL \
         with the name the certificate is for)"
            .into()
    } else if error.contains("No CA certificates were loaded") {
        " (this machine's certificate store is empty: install its CA certificates \
         (Debian: ca-certificates), or give the server's authority with --ca-cert FILE)"
            .into()
    } else if error.contains("certificate") || error.contains("Certificate") {
        " (the server's certificate was refused: see the reason above)".into()
    } else {
        String::new()
    }
}

/// A page of a collection as TAXII 2.1 writes it (§3.7, the envelope): its objects, whether
/// there is more, and the `next` token; anything else is an error naming what came instead.
/// An answer with none of the three is an empty page; one with other properties and no
/// `objects` is another resource (an API root's description, when the URL led there).
fn envelope<'v>(
    what: &str,
    page: &'v Value,
) -> Result<(&'v [Value], bool, Option<&'v str>), TaxiiError> {
    let not =
        |why: String| TaxiiError(format!("{what}: the answer is not a TAXII envelope: {why}"));
    let Some(o) = page.as_object() else {
        return Err(not(format!("it is {}, not an object", json_kind(page))));
    };
    let list = match o.get("objects") {
        Some(Value::Array(list)) => list.as_slice(),
        Some(Value::Null) => &[],
        Some(other) => {
            return Err(not(format!(
                "`objects` is {}, not a list",
                json_kind(other)
            )));
        }
        None => {
            if let Some(key) = o.keys().find(|k| !matches!(k.as_str(), "more" | "next")) {
                let hint = if o.contains_key("versions") || o.contains_key("max_content_length") {
                    " (an API root's description: is the URL the API root, and the collection's \
                     id right?)"
                } else if o.contains_key("api_roots") {
                    " (a discovery resource: give one of its `api_roots` as the URL)"
                } else if o.contains_key("collections") {
                    " (a list of collections: give one of their ids with --collection)"
                } else {
                    ""
                };
                return Err(not(format!(
                    "it has `{}` and no `objects`{hint}",
                    crate::report::shorten(key, 40)
                )));
            }
            &[]
        }
    };
    let more = match o.get("more") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(other) => {
            return Err(not(format!(
                "`more` is {}, not true or false",
                json_kind(other)
            )));
        }
    };
    let next = match o.get("next") {
        None | Some(Value::Null) => None,
        Some(Value::String(n)) => Some(n.as_str()),
        Some(other) => return Err(not(format!("`next` is {}, not a text", json_kind(other)))),
    };
    Ok((list, more, next))
}

/// What kind of JSON value `v` is, for a message.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What a server's error answer says: its TAXII error title and description, or the start of
/// the answer when it is no TAXII error.
fn error_detail(text: &str) -> String {
    let v: Option<Value> = serde_json::from_str(text).ok();
    v.and_then(|v| {
        let t = v.get("title").and_then(Value::as_str).map(str::to_string);
        let d = v
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string);
        match (t, d) {
            (Some(t), Some(d)) => Some(format!("{t}: {d}")),
            (Some(t), None) => Some(t),
            (None, d) => d,
        }
    })
    .map_or_else(
        || one_line(&without_markup(text), 200),
        |said| one_line(&said, 300),
    )
}

/// The text of an answer that is an HTML page (a proxy's or a web framework's error page),
/// its tags, scripts and styles left out; any other answer as it is.
fn without_markup(text: &str) -> String {
    let start = text.trim_start();
    if !start.starts_with('<') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = start;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag = &rest[open..];
        // A script's or a style's content is no text a reader is meant to see.
        let skip = ["<script", "<style"]
            .iter()
            .find(|t| {
                tag.get(..t.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(t))
            })
            .and_then(|t| {
                let close = format!("</{}", &t[1..]);
                tag.to_ascii_lowercase().find(&close)
            });
        let from = skip.unwrap_or(0);
        match tag[from..].find('>') {
            Some(end) => rest = &tag[from + end + 1..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// `text` on one line (every run of white space one space, so that a server's answer cannot
/// write lines of its own into attrib's messages), cut to about `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::report::shorten(&joined, max)
}

/// A bundle of fetched objects, for the importer.
pub fn bundle_of(objects: Vec<Value>) -> String {
    serde_json::to_string(&json!({
        "type": "bundle",
        "id": "bundle--00000000-0000-4000-8000-000000000000",
        "objects": objects,
    }))
    .expect("plain data serialises")
}

/// The objects of an exported bundle as they are sent: without the extension definition that
/// declares attrib's `x_attrib_*` properties, which some servers cannot store (its `version`
/// is read as a timestamp); the properties themselves are sent and kept.
pub fn objects_to_send(bundle: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(bundle).expect("attrib writes JSON");
    v["objects"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|o| o["type"] != "extension-definition")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_base64() {
        assert_eq!(base64(b"user:pass"), "dXNlcjpwYXNz");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(encode("2024-01-01T00:00:00Z"), "2024-01-01T00%3A00%3A00Z");
    }

    /// Credentials go over plain http to this machine only, by name or by address, and a
    /// user's password is never repeated in the message that refuses it.
    #[test]
    fn credentials_cross_the_network_only_encrypted() {
        for ok in [
            "http://localhost:6100/api1/",
            "http://127.0.0.2/api1/",
            "http://[::1]:6100/api1/",
            "HTTPS://cti.example.org/api1/",
        ] {
            assert_eq!(unusable_root(ok, true), None, "{ok}");
        }
        for (bad, says) in [
            ("http://[fe80::1]/api1/", "unencrypted"),
            ("http://localhost.example.org/api1/", "unencrypted"),
            ("http://10.0.0.1:6100/api1/", "unencrypted"),
            (
                "https://u:p4ss@x.org/a/",
                "https://…@x.org/a/: the URL holds an `@`",
            ),
            (
                "https://u:p4/ss@x.org/a/",
                "https://…@x.org/a/: the URL holds an `@`",
            ),
            (
                "https://u:p4?ss@x.org/a/",
                "https://…@x.org/a/: the URL holds an `@`",
            ),
            ("https:///api1/", "names no host"),
        ] {
            let why = unusable_root(bad, true).unwrap_or_default();
            assert!(why.contains(says) && !why.contains("p4ss"), "{bad}: {why}");
        }
        assert_eq!(unusable_root("http://10.0.0.1:6100/api1/", false), None);
    }

    /// Envelopes of at most the server's limit, every object once and in order; an object
    /// larger than the limit alone is refused by name.
    #[test]
    fn objects_go_in_envelopes_within_the_limit() {
        let objects: Vec<Value> = (0..10)
            .map(|n| json!({"id": format!("identity--{n}"), "name": "x".repeat(50)}))
            .collect();
        let whole = bodies(&objects, None).unwrap();
        assert_eq!(whole.len(), 1);
        let one: Value = serde_json::from_str(&whole[0].0).unwrap();
        assert_eq!(one["objects"].as_array().unwrap(), &objects);
        let parts = bodies(&objects, Some(250)).unwrap();
        assert!(parts.len() > 3);
        let mut again = Vec::new();
        for (body, n) in &parts {
            assert!(body.len() <= 250, "{body}");
            let v: Value = serde_json::from_str(body).unwrap();
            assert_eq!(v["objects"].as_array().unwrap().len(), *n);
            again.extend(v["objects"].as_array().unwrap().iter().cloned());
        }
        assert_eq!(again, objects);
        let err = bodies(&objects, Some(60)).unwrap_err().0;
        assert!(
            err.starts_with("identity--0: 94 bytes, more than the 60"),
            "{err}"
        );
    }

    /// A busy server is asked again only when it says in seconds to wait, within the
    /// timeout; a redirect names the API root to give when attrib's path survives in it.
    #[test]
    fn retries_and_redirects_are_read_from_the_answer() {
        let server = Server::new("https://x.org/api1/", "c", None, Duration::from_secs(10))
            .expect("a usable root");
        assert_eq!(
            server.retry_after(429, Some(" 3 ")),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            server.retry_after(503, Some("0")),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            server.retry_after(429, Some("11")),
            None,
            "beyond the timeout"
        );
        assert_eq!(
            server.retry_after(429, Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            None
        );
        assert_eq!(server.retry_after(429, None), None);
        assert_eq!(server.retry_after(500, Some("1")), None);
        let moved = redirected(
            "GET u",
            302,
            Some("https://y.org/taxii/api1/collections/c/objects/?limit=100".into()),
        );
        assert!(
            moved.ends_with("give https://y.org/taxii/api1/ as the API root"),
            "{moved}"
        );
        let relative = redirected("GET u", 301, Some("/login\nerror: forged".into()));
        assert!(
            relative.contains("to /login error: forged; attrib follows no redirect")
                && relative.ends_with("give the API root that URL belongs to"),
            "{relative}"
        );
        assert_eq!(
            redirected("GET u", 307, None),
            "GET u: HTTP 307, a redirect that names no place to go"
        );
    }

    /// Each failed connection gets the hint its library wording calls for; a certificate from
    /// an unknown authority names the file --ca-cert gave, when it gave one.
    #[test]
    fn a_failed_connection_is_told_what_to_try() {
        let issuer = "io: invalid peer certificate: UnknownIssuer";
        assert!(hint(issuer, None).contains("system's certificate store"));
        assert!(hint(issuer, Some("ca.pem")).contains("an authority of ca.pem"));
        let name = "invalid peer certificate: NotValidForName";
        assert!(hint(name, Some("ca.pem")).contains("for another name than the URL's host"));
        let empty = "No CA certificates were loaded from the system";
        assert!(hint(empty, None).contains("certificate store is empty"));
        let other = "invalid peer certificate: Expired";
        assert!(hint(other, None).contains("certificate was refused"));
        assert!(hint("received corrupt message", None).contains("does not speak TLS"));
        assert_eq!(hint("connection refused", None), "");
    }

    /// An HTML error page is told by its text, not its markup.
    #[test]
    fn an_html_error_page_is_told_by_its_text() {
        let page = "<!doctype html>\n<html lang=en>\n<title>500 Internal Server Error</title>\n\
                    <style>p { color: red }</style><script>var x = '<b>';</script>\n\
                    <h1>Internal Server Error</h1>\n<p>The server encountered an internal \
                    error &amp; could not complete your request.</p>";
        assert_eq!(
            error_detail(page),
            "500 Internal Server Error Internal Server Error The server encountered an \
             internal error & could not complete your request."
        );
        assert_eq!(error_detail("plain words"), "plain words");
        assert_eq!(error_detail("<unclosed"), "");
    }

    fn claim(id: &str, modified: &str, p: f64) -> Value {
        json!({"type": "relationship", "id": format!("relationship--{id}"), "modified": modified,
               "x_attrib_claim": {"id": id}, "confidence": p})
    }

    /// Objects by id, as a collection holds their newest versions.
    fn keyed(objects: Vec<Value>) -> std::collections::BTreeMap<String, Value> {
        (objects.into_iter())
            .map(|o| (o["id"].as_str().unwrap().to_string(), o))
            .collect()
    }

    fn case(modified: &str, refs: &[&str]) -> Value {
        let refs: Vec<String> = refs.iter().map(|r| format!("relationship--{r}")).collect();
        json!({"type": "grouping", "id": "grouping--case", "modified": modified,
               "x_attrib_case": {"title": "T"}, "object_refs": refs})
    }

    /// Against the newest versions a collection holds: the same object is not sent, a changed
    /// one goes a millisecond later, a claim the case dropped is revoked, and a revoked claim
    /// the case has again is named and not sent.
    #[test]
    fn a_plan_sends_only_what_changed_and_revokes_what_the_case_dropped() {
        let t = "2024-06-30T00:00:00.000Z";
        let held = keyed(vec![
            case(t, &["a", "b", "c"]),
            claim("a", t, 70.0),
            claim("b", t, 80.0),
            claim("c", t, 90.0),
            json!({"type": "relationship", "id": "relationship--d", "modified": t,
                   "x_attrib_claim": {"id": "d"}, "revoked": true}),
        ]);
        let ours = vec![
            case("2024-07-01T00:00:00.000Z", &["a", "b", "d"]),
            claim("a", t, 70.0),
            claim("b", t, 85.0),
            claim("d", t, 60.0),
        ];
        let plan = plan(ours, &held, &Default::default());
        assert_eq!(plan.unchanged, 1, "a");
        assert_eq!(plan.updated, 1, "b");
        assert_eq!(plan.revoked, ["c"]);
        assert_eq!(plan.still_revoked, ["d"]);
        let sent: Vec<(&str, &str)> = (plan.send.iter())
            .map(|o| (o["id"].as_str().unwrap(), o["modified"].as_str().unwrap()))
            .collect();
        assert_eq!(
            sent,
            [
                ("relationship--c", "2024-07-01T00:00:00.000Z"),
                ("grouping--case", "2024-07-01T00:00:00.000Z"),
                ("relationship--b", "2024-06-30T00:00:00.001Z"),
            ]
        );
        assert_eq!(plan.send[0]["revoked"], true);
        assert_eq!(
            plan.send[0]["confidence"], 90.0,
            "the claim as it was, revoked"
        );
    }

    /// An object the case imported and did not change is written by attrib with only what it
    /// models, under the `modified` it came with: the collection's version is that one, fuller
    /// (OpenCTI's `sophistication`, `x_opencti_*`), or a later one, and is left as it is. One
    /// the case changed is dated later and sent; an object of attrib's own still goes as a
    /// version a millisecond later when its content changed under the same `modified`.
    #[test]
    fn an_imported_object_unchanged_is_left_as_the_collection_holds_it() {
        let t = "2024-06-30T00:00:00.000Z";
        let actor = |name: &str, modified: &str, extra: Value| {
            let mut o = json!({"type": "threat-actor", "id": format!("threat-actor--{name}"),
                               "modified": modified, "name": name});
            if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
                o.extend(extra.clone());
            }
            o
        };
        let fuller = json!({"sophistication": "expert", "x_opencti_score": 80});
        let held = keyed(vec![
            actor("a", t, fuller.clone()),
            actor("b", "2024-07-02T00:00:00.000Z", fuller.clone()),
            actor("c", t, fuller.clone()),
            claim("d", t, 70.0),
        ]);
        let ours = vec![
            actor("a", t, json!({"x_attrib_actor": {}})),
            actor("b", t, json!({"x_attrib_actor": {}})),
            actor(
                "c",
                "2024-07-01T00:00:00.000Z",
                json!({"x_attrib_actor": {}}),
            ),
            claim("d", t, 75.0),
        ];
        let imported = ["threat-actor--a", "threat-actor--b", "threat-actor--c"]
            .map(str::to_string)
            .into();
        let plan = plan(ours, &held, &imported);
        assert_eq!(plan.theirs, 2, "a and b");
        assert_eq!(plan.updated, 1, "d");
        let sent: Vec<&str> = (plan.send.iter())
            .map(|o| o["id"].as_str().unwrap())
            .collect();
        assert_eq!(sent, ["threat-actor--c", "relationship--d"]);
    }

    /// Every case's grouping has the same id: one of another case (another title, none of its
    /// claims here) revokes nothing; one of an earlier version under another title, whose
    /// claims this version mostly keeps, still does.
    #[test]
    fn another_cases_grouping_revokes_nothing() {
        let t = "2024-06-30T00:00:00.000Z";
        let mut other = case(t, &["x", "y"]);
        other["x_attrib_case"]["title"] = json!("Another case");
        let held = keyed(vec![other, claim("x", t, 70.0), claim("y", t, 80.0)]);
        let ours = vec![case(t, &["a"]), claim("a", t, 70.0)];
        assert!(plan(ours, &held, &Default::default()).revoked.is_empty());
        let mut retitled = case(t, &["a", "b", "c"]);
        retitled["x_attrib_case"]["title"] = json!("The case, as known in July");
        let held = keyed(vec![
            retitled,
            claim("a", t, 70.0),
            claim("b", t, 80.0),
            claim("c", t, 90.0),
        ]);
        let ours = vec![
            case(t, &["a", "b"]),
            claim("a", t, 70.0),
            claim("b", t, 80.0),
        ];
        assert_eq!(plan(ours, &held, &Default::default()).revoked, ["c"]);
    }

    /// A case with an `id` is the earlier version of itself whatever its title and claims
    /// became, and never of a grouping without that id.
    #[test]
    fn a_case_with_an_id_is_known_by_it() {
        let t = "2024-06-30T00:00:00.000Z";
        let with_id = |mut g: Value, id: &str| {
            g["x_attrib_case"]["id"] = json!(id);
            g
        };
        let mut renamed = with_id(case(t, &["x", "y"]), "k");
        renamed["x_attrib_case"]["title"] = json!("Another title");
        let held = keyed(vec![renamed, claim("x", t, 70.0), claim("y", t, 80.0)]);
        let ours = vec![with_id(case(t, &["a"]), "k"), claim("a", t, 70.0)];
        assert_eq!(
            plan(ours, &held, &Default::default()).revoked,
            ["x", "y"],
            "same id: one case"
        );
        let held = keyed(vec![
            case(t, &["a", "b"]),
            claim("a", t, 70.0),
            claim("b", t, 80.0),
        ]);
        let ours = vec![with_id(case(t, &["a"]), "k"), claim("a", t, 70.0)];
        assert!(
            plan(ours.clone(), &held, &Default::default())
                .revoked
                .is_empty(),
            "the same title and claims, but no id: another case"
        );
        assert!(!plan(ours.clone(), &held, &Default::default()).published_without_id);
        // The grouping a case without an id is published under, with this title: this case
        // before it had an id.
        let mut before = case(t, &["a", "b"]);
        before["id"] = json!(crate::stix::id_of(
            "grouping",
            crate::stix::case_uuid(None, crate::stix::CASE_GROUPING_KEY)
        ));
        let held = keyed(vec![before.clone(), claim("a", t, 70.0)]);
        assert!(plan(ours.clone(), &held, &Default::default()).published_without_id);
        before["x_attrib_case"]["title"] = json!("Another case");
        let held = keyed(vec![before, claim("a", t, 70.0)]);
        assert!(!plan(ours, &held, &Default::default()).published_without_id);
    }
}
