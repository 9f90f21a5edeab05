//! TAXII 2.1 client: read a collection's objects (following `more`/`next` pages) and add a
//! bundle's objects, waiting for the server's status resource.
//!
//! Credentials come from the environment, never from the command line (where `ps` and shell
//! history would show them): `ATTRIB_TAXII_TOKEN` (sent as a bearer token), or
//! `ATTRIB_TAXII_USER` and `ATTRIB_TAXII_PASSWORD` (HTTP basic). HTTPS is verified against the
//! system's root certificates.

use serde_json::{Value, json};
use std::time::{Duration, Instant};

const MEDIA: &str = "application/taxii+json;version=2.1";
/// Objects asked for per page.
const PAGE: usize = 100;
/// The most a response body may hold.
const MAX_BODY: u64 = 256 << 20;

/// A failed exchange, with the request that failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct TaxiiError(pub String);

/// How to reach a TAXII API root.
#[derive(Debug, Clone)]
pub struct Server {
    /// The API root, e.g. `https://taxii.example.org/api1/`.
    pub api_root: String,
    /// The collection's id.
    pub collection: String,
    /// `Authorization` header value, from the environment.
    pub authorization: Option<String>,
    /// For each request, and for waiting on a status.
    pub timeout: Duration,
}

/// The `Authorization` header the environment asks for, if any.
pub fn authorization_from_env() -> Result<Option<String>, TaxiiError> {
    if let Ok(token) = std::env::var("ATTRIB_TAXII_TOKEN")
        && !token.is_empty()
    {
        return Ok(Some(format!("Bearer {token}")));
    }
    match (
        std::env::var("ATTRIB_TAXII_USER"),
        std::env::var("ATTRIB_TAXII_PASSWORD"),
    ) {
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

impl Server {
    fn root(&self) -> String {
        format!("{}/", self.api_root.trim_end_matches('/'))
    }

    fn agent(&self) -> ureq::Agent {
        ureq::Agent::config_builder()
            .timeout_global(Some(self.timeout))
            .http_status_as_error(false)
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .build()
            .new_agent()
    }

    /// One request; the JSON answer, or an error naming the request and what went wrong.
    fn exchange(&self, method: &str, url: &str, body: Option<&str>) -> Result<Value, TaxiiError> {
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
                other => format!("{what}: {other}"),
            })
        })?;
        let status = resp.status().as_u16();
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
        let detail = || error_detail(&text);
        match status {
            200..=299 => serde_json::from_str(&text)
                .map_err(|e| TaxiiError(format!("{what}: the answer is not TAXII JSON: {e}"))),
            401 | 403 => Err(TaxiiError(format!(
                "{what}: HTTP {status}, not authorised ({}); set ATTRIB_TAXII_TOKEN, or ATTRIB_TAXII_USER and ATTRIB_TAXII_PASSWORD",
                detail()
            ))),
            404 => Err(TaxiiError(format!(
                "{what}: HTTP 404, no such API root or collection ({})",
                detail()
            ))),
            500..=599 => Err(TaxiiError(format!(
                "{what}: HTTP {status}, the server failed ({})",
                detail()
            ))),
            _ => Err(TaxiiError(format!("{what}: HTTP {status} ({})", detail()))),
        }
    }

    /// Every object of the collection (added after `added_after`, if given), page by page.
    pub fn fetch_objects(&self, added_after: Option<&str>) -> Result<Vec<Value>, TaxiiError> {
        let base = format!(
            "{}collections/{}/objects/",
            self.root(),
            encode(&self.collection)
        );
        let mut objects = Vec::new();
        let mut next: Option<String> = None;
        let mut pages = 0usize;
        loop {
            // `limit` goes with every page, `next` included: some servers answer a bare
            // `next` with an error.
            let mut url = format!("{base}?limit={PAGE}");
            if let Some(t) = added_after {
                url.push_str(&format!("&added_after={}", encode(t)));
            }
            if let Some(n) = &next {
                url.push_str(&format!("&next={}", encode(n)));
            }
            let page = self.exchange("GET", &url, None)?;
            pages += 1;
            let got = page
                .get("objects")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if let Some(list) = page.get("objects").and_then(Value::as_array) {
                objects.extend(list.iter().cloned());
            }
            let more = page.get("more").and_then(Value::as_bool).unwrap_or(false);
            if !more {
                break;
            }
            // A server may keep one `next` token for the whole walk; an empty page that still
            // promises more would never end.
            match page.get("next").and_then(Value::as_str) {
                Some(n) if got > 0 => next = Some(n.to_string()),
                _ => {
                    return Err(TaxiiError(format!(
                        "GET {url}: the server says there is more but gives no `next` or no objects (page {pages})"
                    )));
                }
            }
        }
        Ok(objects)
    }

    /// Adds the objects of `bundle` to the collection and waits until the server has
    /// processed them; returns the final status resource.
    pub fn add_objects(&self, objects: Vec<Value>) -> Result<Value, TaxiiError> {
        let url = format!(
            "{}collections/{}/objects/",
            self.root(),
            encode(&self.collection)
        );
        let body = crate::escape::json::to_string(&json!({ "objects": objects }));
        let mut status = self.exchange("POST", &url, Some(&body))?;
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
    .unwrap_or_else(|| text.chars().take(200).collect())
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
}
