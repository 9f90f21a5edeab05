//! Arbitrary bytes as a STIX 2.1 bundle, through `attrib import stix`; the case it writes must
//! parse again and check without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| attrib_fuzz::import_stix(data));
