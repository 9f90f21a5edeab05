//! Actors, groups, incidents and sources: ids, kinds, reliability grades.

use super::*;
use std::borrow::Cow;

impl<'f> Validator<'f> {
    /// Actors, then groups, without their text (see [`text`]).
    pub(super) fn entities(&mut self, names: &Names) -> Vec<Entity> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.actors.len() + f.groups.len());
        for (i, a) in f.actors.iter().enumerate() {
            let at = At::new("actors", i);
            let part_of = a.part_of.as_deref().and_then(|p| {
                let ppath = || at.field("part_of");
                let target = self.entity_ref(names, p, &ppath, &|| "`part_of`".into())?;
                if target.0 as usize == i {
                    self.push(diags::part_of_itself(&a.id, ppath()));
                    return None;
                }
                Some(target)
            });
            out.push(Entity {
                id: String::new(),
                name: String::new(),
                kind: EntityKind::Actor(a.kind),
                aliases: Vec::new(),
                part_of,
                description: None,
            });
        }
        for g in &f.groups {
            out.push(Entity {
                id: String::new(),
                name: String::new(),
                kind: EntityKind::Group(g.kind),
                aliases: Vec::new(),
                part_of: None,
                description: None,
            });
        }
        out
    }

    pub(super) fn incidents(&mut self) -> Vec<Incident> {
        let f = self.file;
        let mut out = Vec::with_capacity(f.incidents.len());
        for (i, inc) in f.incidents.iter().enumerate() {
            let at = At::new("incidents", i);
            let start = inc
                .start
                .as_deref()
                .and_then(|d| self.date(d, || at.field("start")));
            let end = inc
                .end
                .as_deref()
                .and_then(|d| self.date(d, || at.field("end")));
            if let (Some(s), Some(e)) = (start, end)
                && e.wholly_before(s)
            {
                self.push(diags::ends_before_start(&inc.id, s, e, at.field("end")));
            }
            // A blank reference is a slip (a list left with an empty entry), and reports
            // would list it as nothing.
            for (k, r) in inc.references.iter().enumerate() {
                self.nonempty(r, || index(&at.field("references"), k), "reference");
            }
            out.push(Incident {
                id: String::new(),
                name: String::new(),
                aliases: Vec::new(),
                start,
                end,
                victim: None,
                description: None,
                references: Vec::new(),
            });
        }
        out
    }

    pub(super) fn sources(&mut self) -> (Vec<Source>, Vec<String>, HashMap<&'f str, SourceId>) {
        let f = self.file;
        let mut out = Vec::with_capacity(f.sources.len());
        let mut ids: HashMap<&str, SourceId> =
            HashMap::with_capacity_and_hasher(f.sources.len(), Default::default());
        // Families are numbered in name order, so that nothing downstream depends on the order
        // sources are declared in.
        // A family is named as a reader sees it: `ministère` typed with a combining accent is
        // the family `ministère` ([`composed`]).
        let family_name =
            |s: &'f crate::format::SourceFile| composed(s.family.as_deref().unwrap_or(&s.id));
        let names: Vec<Cow<'f, str>> = f
            .sources
            .iter()
            .map(family_name)
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let family_ids: HashMap<Cow<'f, str>, FamilyId> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), FamilyId(i as u32)))
            .collect();
        let families = names.into_iter().map(Cow::into_owned).collect();
        for (i, s) in f.sources.iter().enumerate() {
            let at = At::new("sources", i);
            if self.nonempty(&s.id, || at.field("id"), "id") {
                if let Some(&first) = ids.get(s.id.as_str()) {
                    self.push(diags::duplicate_source(
                        &s.id,
                        at.field("id"),
                        At::new("sources", first.index()).field("id"),
                    ));
                } else {
                    ids.insert(&s.id, SourceId(i as u32));
                }
            }
            self.nonempty(&s.name, || at.field("name"), "name");
            let reliability = self.reliability(s, at);
            self.linkable(s.url.as_deref(), || at.field("url"));
            if let Some(fam) = &s.family {
                self.nonempty(fam, || at.field("family"), "family");
            }
            let family = family_ids[&family_name(s)];
            out.push(Source {
                id: String::new(),
                name: String::new(),
                kind: s.kind,
                reliability,
                family,
                url: None,
                note: None,
            });
        }
        self.lone_families(&ids);
        self.families_of_ids(&ids);
        (out, families, ids)
    }

    /// A source with no family whose id is the family other sources name (W122): read as one
    /// line with them, where the file says each source without a family is its own.
    fn families_of_ids(&mut self, ids: &HashMap<&'f str, SourceId>) {
        let f = self.file;
        let mut members: HashMap<Cow<'f, str>, Vec<&'f str>> = HashMap::default();
        for s in &f.sources {
            if let Some(fam) = s.family.as_deref() {
                members.entry(composed(fam)).or_default().push(&s.id);
            }
        }
        if members.is_empty() {
            return;
        }
        for (i, s) in f.sources.iter().enumerate() {
            if s.family.is_some() || ids.get(s.id.as_str()) != Some(&SourceId(i as u32)) {
                continue; // a duplicate id is reported as such
            }
            if let Some(named) = members.get(&composed(&s.id)) {
                self.push(diags::family_of_its_id(
                    &s.id,
                    named,
                    At::new("sources", i).field("id"),
                ));
            }
        }
    }

    /// A family written on one source only, and spelt as another family but for a slip of
    /// the keyboard (W115): `us-gvo` beside `us-gov` makes the source a line of evidence of its
    /// own, which counts its claims as independent of the family it belongs to. Only slips
    /// that do not make another word are taken for one (letters swapped, one too many or too
    /// few, case or separators): `uk-gov` beside `us-gov` is another government.
    fn lone_families(&mut self, ids: &HashMap<&'f str, SourceId>) {
        let f = self.file;
        let mut written: BTreeMap<Cow<'f, str>, Vec<usize>> = BTreeMap::new();
        for (i, s) in f.sources.iter().enumerate() {
            if let Some(fam) = s.family.as_deref().filter(|n| !n.trim().is_empty()) {
                written.entry(composed(fam)).or_default().push(i);
            }
        }
        if !written.values().any(|at| at.len() == 1) {
            return;
        }
        // Two names a slip apart share a spelling with at most one character left out of each
        // (swapped neighbours: the same one, left out of each at one place): candidates are
        // looked up by those spellings, so that a file of many families is not compared pair
        // by pair.
        let families: Vec<(&str, &[usize])> = written
            .iter()
            .map(|(n, at)| (n.as_ref(), at.as_slice()))
            .collect();
        let bare: Vec<Vec<char>> = families
            .iter()
            .map(|(n, _)| bare_name(n).chars().collect())
            .collect();
        let mut by_spelling: HashMap<String, Vec<usize>> = HashMap::default();
        let lookalike = lookalike_keys(&families, &bare);
        for (k, b) in bare.iter().enumerate() {
            for key in slip_keys(b).into_iter().chain(lookalike[k].clone()) {
                by_spelling.entry(key).or_default().push(k);
            }
        }
        // Many names can share a spelling with one letter left out (`famx` and a letter
        // each): a lone family is compared with the first few under each of its spellings,
        // which a slip of a family spelt with care is among.
        const LOOKED_AT: usize = 64;
        for (k, &(name, at)) in families.iter().enumerate() {
            let &[i] = at else { continue };
            let mut candidates: Vec<usize> = slip_keys(&bare[k])
                .iter()
                .chain(&lookalike[k])
                .filter_map(|key| by_spelling.get(key))
                .flat_map(|bucket| bucket.iter().take(LOOKED_AT))
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            // Of two families of one source each, one warning, at the one declared later. A
            // family of several sources is the likelier target of a slip than a lone one.
            let alike: Vec<usize> = (candidates.into_iter())
                .filter(|&c| c != k)
                .filter(|&c| {
                    let other_at = families[c].1;
                    let looks_alike = lookalike[k].is_some()
                        && lookalike[k] == lookalike[c]
                        && !(families[k].0.is_ascii() && families[c].0.is_ascii());
                    (other_at.len() > 1 || other_at[0] < i)
                        && (slipped(&bare[k], &bare[c]) || looks_alike)
                        && !two_letters_swapped(families[k].0, families[c].0)
                })
                .collect();
            let near = (alike.iter())
                .find(|&&c| families[c].1.len() > 1)
                .or(alike.first())
                .map(|&c| families[c]);
            if let Some((other, other_at)) = near {
                let source = &f.sources[i].id;
                if ids.get(source.as_str()) != Some(&SourceId(i as u32)) {
                    continue; // a duplicate id is reported as such
                }
                // Of one source each, either spelling may be the slip: both are named.
                let alone = (other_at.len() == 1).then(|| self.family_of(other_at[0]));
                self.push(diags::lone_family(
                    source,
                    (name, other),
                    other_at.len(),
                    alone,
                    At::new("sources", i).field("family"),
                ));
            }
        }
    }

    /// Source `j`'s id, and where its family is written.
    fn family_of(&self, j: usize) -> (&'f str, String) {
        let id = self.file.sources[j].id.as_str();
        (id, At::new("sources", j).field("family"))
    }

    /// A source's reliability: its Admiralty grade or its track record; F when it has neither,
    /// both, or a track record out of range.
    fn reliability(&mut self, s: &crate::format::SourceFile, at: At) -> Reliability {
        match (s.reliability, s.track_record) {
            (Some(_), Some(_)) => {
                self.push(diags::grade_and_track_record(
                    &s.id,
                    at.field("track_record"),
                ));
                Reliability::Grade(Grade::F)
            }
            (None, None) => {
                self.push(diags::no_reliability(&s.id, at.path()));
                Reliability::Grade(Grade::F)
            }
            (Some(g), None) => {
                if g == Grade::F {
                    self.push(diags::graded_f(&s.id, at.field("reliability")));
                }
                Reliability::Grade(g)
            }
            (None, Some(t)) => {
                let tpath = at.field("track_record");
                let ok = |x: f64| (0.0..=1e6).contains(&x);
                if !ok(t.valid) || !ok(t.invalid) {
                    self.push(diags::bad_track_record(&s.id, t.valid, t.invalid, tpath));
                    Reliability::Grade(Grade::F)
                } else {
                    if t.valid == 0.0 && t.invalid == 0.0 {
                        self.push(diags::empty_track_record(&s.id, tpath));
                    }
                    Reliability::TrackRecord {
                        valid: t.valid,
                        invalid: t.invalid,
                    }
                }
            }
        }
    }
}

/// The spellings under which a name's near misses ([`slipped`]) are looked up: the name
/// without case and separators (`bare`), and that with each character but a digit in turn
/// left out. None for a name too long to be a family's (over 64 characters), which is then
/// compared with nothing.
fn slip_keys(bare: &[char]) -> Vec<String> {
    if bare.len() > 64 {
        return Vec::new();
    }
    let mut keys = vec![bare.iter().collect::<String>()];
    // A digit left out changes a number, which no slip does.
    for k in (0..bare.len()).filter(|&k| !bare[k].is_ascii_digit()) {
        keys.push(bare[..k].iter().chain(&bare[k + 1..]).collect());
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Letters of another script that look like a family's (`us-gоv` with a Cyrillic `о`) are
/// no slip of the keyboard but as easily missed: each family's confusable skeleton (UTS #39)
/// as a lookup key, when any family name leaves ASCII (else none, at no cost).
fn lookalike_keys(families: &[(&str, &[usize])], bare: &[Vec<char>]) -> Vec<Option<String>> {
    if families.iter().all(|(n, _)| n.is_ascii()) {
        return vec![None; families.len()];
    }
    bare.iter()
        .map(|b| {
            let text: String = b.iter().collect();
            Some(format!(
                "~{}",
                unicode_security::skeleton(&text).collect::<String>()
            ))
        })
        .collect()
}

/// A name in Unicode's composed form (NFC): an accent typed as a letter and a combining mark
/// is the accented letter, as a reader sees it. Borrowed when ASCII.
pub(crate) fn composed(name: &str) -> Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if name.is_ascii() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(name.nfc().collect())
    }
}

/// A name without case and separators (`-`, `_`, `.`, spaces).
fn bare_name(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `a` is `b` mistyped: the same but for case and separators (`-`, `_`, `.`, spaces),
/// two neighbouring characters swapped, or one character added or left out (from four
/// characters on), numbers unchanged. A character replaced by another is not taken for a slip: it is how
/// `uk-gov` and `us-gov` differ.
#[cfg(test)]
fn keyboard_slip(a: &str, b: &str) -> bool {
    let bare = |s: &str| -> Vec<char> { bare_name(s).chars().collect() };
    slipped(&bare(a), &bare(b))
}

/// Whether two names differ only in a word of two letters written backwards: `ua-gov` and
/// `au-gov` are Ukraine's government and Australia's, not a slip (two-letter words are mostly
/// country and language codes, and many codes are others backwards: `is`/`si`, `ca`/`ac`).
fn two_letters_swapped(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<(&String, &String)> = a.iter().zip(&b).filter(|(x, y)| x != y).collect();
    matches!(differ.as_slice(), [(x, y)] if x.chars().count() == 2
        && x.chars().rev().eq(y.chars()))
}

/// [`keyboard_slip`] of two names already without case and separators ([`bare_name`]).
fn slipped(a: &[char], b: &[char]) -> bool {
    if a == b {
        return true;
    }
    // Numbered families (`gov1`, `gov51`) are told apart by their numbers.
    let numbers =
        |s: &[char]| -> Vec<char> { s.iter().copied().filter(char::is_ascii_digit).collect() };
    if numbers(a) != numbers(b) {
        return false;
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if short.len() < 4 {
        return false;
    }
    if long.len() == short.len() + 1 {
        // One left out: the rest matches once it is skipped.
        let first = short
            .iter()
            .zip(long.iter())
            .take_while(|(x, y)| x == y)
            .count();
        return short[first..] == long[first + 1..];
    }
    if a.len() != b.len() {
        return false;
    }
    let differ: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
    matches!(differ.as_slice(), &[k, l] if l == k + 1 && a[k] == b[l] && a[l] == b[k])
}

#[cfg(test)]
mod tests {
    use super::keyboard_slip;

    #[test]
    fn a_country_code_backwards_is_another_country() {
        use super::two_letters_swapped;
        assert!(two_letters_swapped("ua-gov", "au-gov"));
        assert!(two_letters_swapped("gov-IS", "gov-si"));
        assert!(!two_letters_swapped("us-gvo", "us-gov"));
        assert!(!two_letters_swapped("usa-gov", "sua-gov"));
        assert!(!two_letters_swapped("ua-gov", "au-vog"));
    }

    #[test]
    fn slips_of_the_keyboard_but_not_other_words() {
        assert!(keyboard_slip("us-gvo", "us-gov"));
        assert!(keyboard_slip("us-gv", "us-gov"));
        assert!(keyboard_slip("us-goov", "us-gov"));
        assert!(keyboard_slip("US_gov", "us-gov"));
        assert!(keyboard_slip("usgov", "us-gov"));
        assert!(!keyboard_slip("uk-gov", "us-gov"));
        assert!(!keyboard_slip("albania-gov", "us-gov"));
        assert!(!keyboard_slip("fbi", "fbis"), "too short to tell");
        assert!(!keyboard_slip("mandiant", "microsoft"));
        assert!(!keyboard_slip("gov51", "gov1"), "another number");
        assert!(!keyboard_slip("unit-26165", "unit-26156"), "another number");
    }
}
