//! A case built from fuzzed names and texts, rendered as both DOT views: every untrusted
//! string must stay inside one quoted DOT string or escaped HTML-like label.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    attrib_fuzz::dot_writer(data);
});
