//! Arbitrary bytes as a RON case file, through `attrib check`'s path and everything
//! downstream of a successful load.
#![no_main]

use attrib::format::Syntax;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    attrib_fuzz::load_case(data, Syntax::Ron);
});
