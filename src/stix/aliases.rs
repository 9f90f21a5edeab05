//! Alias tables (Microsoft's threat-actor naming map, MISP's threat-actor galaxy) merged into a
//! case, so that every vendor's name for a group resolves to it. Each table row is one table's
//! claim that a set of names denote one actor; rows that would join two things the case keeps
//! apart, and names that two tables give to different things, are reported, never resolved
//! silently.

use crate::diagnostic::{Code, Diagnostic, Location};
use crate::format::CaseFile;
use crate::locate::index;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What an alias table is, for a file that is not one.
const TABLE_HELP: &str = "give Microsoft's naming map (a JSON list of rows with \"Threat actor \
     name\" and \"Other names\") or a MISP galaxy cluster file (an object with \"values\")";

/// One table: rows of names that denote one actor.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTable {
    /// The table's name, for messages.
    pub name: String,
    /// Each row: the names one actor goes by.
    pub rows: Vec<Vec<String>>,
}

/// Reads a table, recognising its format: Microsoft's mapping (a list of
/// `{"Threat actor name", "Other names"}`) or a MISP galaxy cluster file (`{"values": [{"value",
/// "meta": {"synonyms"}}]}`). A table it cannot read is refused with a diagnostic located in
/// its text, as a case's are (`name` is the table's name in messages).
pub fn parse_table(text: &str, name: &str) -> Result<AliasTable, Diagnostic> {
    // Strictly: a key given twice (two "Threat actor name"s in a row) is refused, not read
    // as its last.
    let v: Value =
        super::strict::json(text).map_err(|e| crate::load::json_fault(text, &e).diagnostic())?;
    // Where the value at `path` (`[3]`, `values[2].meta.synonyms`) starts.
    let at = |path: &str| {
        let start = (crate::locate::Locations::scan_for(text, [path]).find(path))
            .map_or(0, |span| span.start);
        let end = text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Location::Span(start..end)
    };
    let mut rows = match &v {
        Value::Array(items) => microsoft_rows(items, at)?,
        Value::Object(o) if o.get("values").is_some_and(Value::is_array) => {
            misp_rows(o["values"].as_array().into_iter().flatten(), at)?
        }
        _ => {
            return Err(
                Diagnostic::new(Code::BadValue, "not an alias table", at(""))
                    .label("this value")
                    .help(TABLE_HELP),
            );
        }
    };
    for row in &mut rows {
        row.retain(|s| !s.is_empty());
    }
    Ok(AliasTable {
        name: name.to_string(),
        rows,
    })
}

/// The name a row or cluster (`what`, its index) gives under `field`, or the diagnostic of
/// one that has none, at `at` (found only then: it scans the table's text).
fn name_of<'v>(
    item: &'v Value,
    field: &str,
    (what, i): (&str, usize),
    at: impl FnOnce() -> Location,
) -> Result<&'v str, Diagnostic> {
    item.get(field).and_then(Value::as_str).ok_or_else(|| {
        Diagnostic::new(
            Code::MissingField,
            // Counted from 1, as a reader counts them; the location gives the place.
            format!("{what} {} has no \"{field}\" (a name as text)", i + 1),
            at(),
        )
        .label(format!("in this {what}"))
        .help(format!("give each {what} its name: `\"{field}\": \"…\"`"))
    })
}

/// The rows of Microsoft's naming map: each row's "Threat actor name" and its comma-separated
/// "Other names"; `at` locates a value by its path.
fn microsoft_rows(
    items: &[Value],
    at: impl Fn(&str) -> Location,
) -> Result<Vec<Vec<String>>, Diagnostic> {
    let mut rows = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let primary = name_of(item, "Threat actor name", ("row", i), || at(&index("", i)))?;
        let mut row = vec![primary.trim().to_string()];
        if let Some(other) = item.get("Other names").and_then(Value::as_str) {
            row.extend(other.split(',').map(|s| s.trim().to_string()));
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The rows of a MISP galaxy cluster file: each cluster's "value" and its `meta.synonyms`.
fn misp_rows<'a>(
    values: impl Iterator<Item = &'a Value>,
    at: impl Fn(&str) -> Location,
) -> Result<Vec<Vec<String>>, Diagnostic> {
    let mut rows = Vec::new();
    for (i, item) in values.enumerate() {
        let primary = name_of(item, "value", ("cluster", i), || at(&index("values", i)))?;
        let mut row = vec![primary.trim().to_string()];
        match item.pointer("/meta/synonyms") {
            None => {}
            Some(Value::Array(syn)) if syn.iter().all(Value::is_string) => row.extend(
                syn.iter()
                    .filter_map(Value::as_str)
                    .map(|s| s.trim().to_string()),
            ),
            Some(_) => {
                let path = format!("{}.meta.synonyms", index("values", i));
                return Err(Diagnostic::new(
                    Code::BadValue,
                    format!(
                        "the synonyms of cluster {i} (`{}`) are not a list of names",
                        crate::report::shorten(primary, 60)
                    ),
                    at(&path),
                )
                .label("not a list of names")
                .help("write them as [\"name\", …]"));
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// (entity id, alias, table) for every alias added.
    pub added: Vec<(String, String, String)>,
    /// Names two tables (or a table and the case) give to different actors, left out.
    pub conflicts: Vec<String>,
    /// Names left out for what they hold: an invisible character (a terminal escape, a
    /// bidirectional override), which a case refuses in a name typed on the command line.
    pub dropped: Vec<String>,
}

/// A name as tables and the case are matched by: as validation tells names apart
/// ([`crate::model::name_key`]: trimmed, composed, invisible characters aside, lower-cased),
/// so that a name the case would take for one it holds is never added to another actor.
fn key(s: &str) -> String {
    crate::model::name_key(s).into_owned()
}

/// Every name the case already uses (ids, names, aliases, by [`key`]), and whose it is.
fn owners(file: &CaseFile) -> HashMap<String, String> {
    let mut owner: HashMap<String, String> = HashMap::new();
    for a in &file.actors {
        for n in [&a.id, &a.name].into_iter().chain(&a.aliases) {
            owner.insert(key(n), a.id.clone());
        }
    }
    for g in &file.groups {
        for n in [&g.id, &g.name].into_iter().chain(&g.aliases) {
            owner.insert(key(n), g.id.clone());
        }
    }
    for i in &file.incidents {
        for n in [&i.id, &i.name].into_iter().chain(&i.aliases) {
            owner.insert(key(n), i.id.clone());
        }
    }
    owner
}

/// The conflict of a row of `table` that names several (`matched`) of what the case keeps
/// apart. The names the row would have added go with it: said, so that an analyst can give
/// the ones that are plainly one actor's to it by hand.
fn kept_apart(
    table: &str,
    row: &[String],
    matched: &BTreeSet<&String>,
    owner: &HashMap<String, String>,
) -> String {
    let unowned: Vec<String> = (row.iter())
        .filter(|n| !owner.contains_key(&key(n)))
        .map(|n| format!("`{n}`"))
        .collect();
    let left_out = match unowned.len() {
        0 => String::new(),
        _ => format!(
            "; its other names ({}) are left out with it: add by hand those that belong to one \
             of them",
            unowned.join(", ")
        ),
    };
    format!(
        "{table}: the row for `{}` names {} in the case, which the case keeps apart; not \
         merged{left_out}",
        row[0],
        (matched.iter().map(|m| format!("`{m}`")))
            .collect::<Vec<_>>()
            .join(" and ")
    )
}

/// Adds to each actor and group the names the tables give it.
pub fn merge(file: &mut CaseFile, tables: &[AliasTable]) -> Merged {
    let owner = owners(file);
    let mut merged = Merged::default();
    // alias key → entity → (spelling, tables)
    let mut proposals: BTreeMap<String, BTreeMap<String, (String, BTreeSet<String>)>> =
        BTreeMap::new();
    for table in tables {
        for row in &table.rows {
            let matched: BTreeSet<&String> =
                row.iter().filter_map(|n| owner.get(&key(n))).collect();
            match matched.len() {
                0 => {}
                1 => {
                    let entity = matched.into_iter().next().expect("one match").clone();
                    for n in row.iter().filter(|n| !owner.contains_key(&key(n))) {
                        if let Some(c) = crate::escape::first_invisible(n) {
                            merged.dropped.push(format!(
                                "{}: `{}` holds the invisible character {}; not added",
                                table.name,
                                crate::escape::terminal::text(n),
                                crate::escape::visible(c)
                            ));
                            continue;
                        }
                        proposals
                            .entry(key(n))
                            .or_default()
                            .entry(entity.clone())
                            .or_insert_with(|| (n.clone(), BTreeSet::new()))
                            .1
                            .insert(table.name.clone());
                    }
                }
                _ => merged
                    .conflicts
                    .push(kept_apart(&table.name, row, &matched, &owner)),
            }
        }
    }
    // Where each actor and group stands: looked up once per alias added.
    let at: HashMap<String, (bool, usize)> = (file.actors.iter().enumerate())
        .map(|(i, a)| (a.id.clone(), (true, i)))
        .chain((file.groups.iter().enumerate()).map(|(i, g)| (g.id.clone(), (false, i))))
        .rev()
        .collect();
    for (_, claims) in proposals {
        if claims.len() > 1 {
            let who: Vec<String> = claims
                .iter()
                .map(|(e, (_, t))| {
                    format!(
                        "`{e}` ({})",
                        t.iter().cloned().collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            let spelling = &claims.values().next().expect("non-empty").0;
            merged.conflicts.push(format!(
                "`{spelling}` is given to {}; not added",
                who.join(" and ")
            ));
            continue;
        }
        let (entity, (spelling, tables)) = claims.into_iter().next().expect("one claim");
        let table = tables.into_iter().collect::<Vec<_>>().join(", ");
        match at.get(&entity) {
            Some(&(true, i)) => file.actors[i].aliases.push(spelling.clone()),
            Some(&(false, i)) => file.groups[i].aliases.push(spelling.clone()),
            None => continue,
        }
        merged.added.push((entity, spelling, table));
    }
    merged
}

/// `text`, the case `before` was read from, with the aliases `after` adds to its actors and
/// groups written in where each declares its aliases, and nothing else touched: comments,
/// order and layout stay as the analyst wrote them (writing the case whole dropped every
/// comment of a hand-kept file and re-sorted it). An alias goes after the last one listed, on
/// a line of its own with the same indentation when the list is written one to a line, or
/// into a new `aliases` field after the name. `None` when `after` differs from `before` in
/// anything else, or the text read back is not `after` (the caller writes the case whole).
pub fn added_in_text(
    text: &str,
    syntax: crate::format::Syntax,
    before: &CaseFile,
    after: &CaseFile,
) -> Option<String> {
    use crate::format::Syntax;
    use crate::locate::{Locations, field, index};
    // The text after a byte-order mark is what is read and edited (and written: the mark
    // tells nothing a UTF-8 file needs).
    if let Some(rest) = text.strip_prefix('\u{feff}') {
        return added_in_text(rest, syntax, before, after);
    }
    // Lines added end as the file's do.
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let additions = additions(before, after)?;
    let mut paths: Vec<String> = Vec::new();
    for (path, len, _) in &additions {
        paths.push(field(path, "aliases"));
        paths.push(field(path, "name"));
        if *len > 0 {
            paths.push(index(&field(path, "aliases"), len - 1));
        }
    }
    let at = Locations::scan_for(text, paths.iter().map(String::as_str));
    let quoted = |s: &str| match syntax {
        Syntax::Ron => crate::escape::ron::string(s),
        Syntax::Json => crate::escape::json::to_string(s),
    };
    let mut edits: Vec<(usize, String)> = Vec::new();
    for (path, len, new) in &additions {
        let names: Vec<String> = new.iter().map(|s| quoted(s)).collect();
        let list = field(path, "aliases");
        let edit = match (at.exactly(&list), *len) {
            (Some(span), 0) => (span.start + 1, names.join(", ")),
            (Some(span), len) => {
                let last = at.exactly(&index(&list, len - 1))?;
                edits.extend(after_last(
                    text,
                    span.start..last.start,
                    last,
                    &names,
                    newline,
                ));
                continue;
            }
            (None, _) => {
                let name = at.exactly(&field(path, "name"))?;
                let key = match syntax {
                    Syntax::Ron => "aliases",
                    Syntax::Json => "\"aliases\"",
                };
                (name.end, format!(", {key}: [{}]", names.join(", ")))
            }
        };
        edits.push(edit);
    }
    // Written in one pass (inserting each into the text moved the rest of it every time: 8,000
    // groups took a second), in the order of the text; edits at one place go in the reverse
    // of the order they were made in, as inserting each there in turn would put them.
    let mut edits: Vec<(usize, (usize, String))> = edits.into_iter().enumerate().collect();
    edits.sort_by_key(|(i, e)| (e.0, std::cmp::Reverse(*i)));
    let mut edited =
        String::with_capacity(text.len() + edits.iter().map(|e| e.1.1.len()).sum::<usize>());
    let mut from = 0;
    for (_, (offset, insert)) in edits {
        edited.push_str(&text[from..offset]);
        edited.push_str(&insert);
        from = offset;
    }
    edited.push_str(&text[from..]);
    // Only insertions were made, so the text is right when it reads back as `after`.
    (crate::load::parse(&edited, syntax).ok()? == *after).then_some(edited)
}

/// The insertions that put `names` after the last entry of a list (`list` from its start to
/// that entry's span) in `text`. A list written over several lines gets each name on a line of
/// its own, indented as the last entry's line; one on a line gets them after its last entry. A
/// comment after the last entry on its line stays with it: the names go on the lines below,
/// and a comma the entry lacked goes before the comment.
fn after_last(
    text: &str,
    list: std::ops::Range<usize>,
    last: std::ops::Range<usize>,
    names: &[String],
    newline: &str,
) -> Vec<(usize, String)> {
    let line = text[..last.start].rfind('\n').map_or(0, |n| n + 1);
    let before = &text[line..last.start];
    let mut indent =
        before[..before.len() - before.trim_start_matches([' ', '\t']).len()].to_string();
    // An entry after the list's opening on its line (`aliases: ["A", // note`): the names go
    // one step further in than that line; a line of entries or comments sets their indent.
    let first = &before[indent.len()..];
    if !(first.is_empty() || first.starts_with(['"', 'r', '/'])) {
        indent.push_str(if indent.contains('\t') { "\t" } else { "    " });
    }
    let (comma, below) = trailing(text, last.end);
    let commented = below.is_some();
    let own_lines = text[list].contains('\n') || commented;
    if !own_lines {
        return vec![(last.end, format!(", {}", names.join(", ")))];
    }
    let sep = format!(",{newline}{indent}");
    if !commented {
        return vec![(last.end, format!("{sep}{}", names.join(&sep)))];
    }
    let mut edits = vec![(
        below.unwrap_or(last.end),
        format!(
            "{newline}{indent}{}{}",
            names.join(&sep),
            if comma { "," } else { "" }
        ),
    )];
    if !comma {
        edits.push((last.end, ",".to_string()));
    }
    edits
}

/// What follows a list's last entry (ending at `from`) on its line: whether a comma does,
/// and, when comments follow it there and nothing else does, the end of the line the last of
/// them ends on (where names below it go). The comma and the comments may come in any order,
/// a block comment may hold another or run over lines.
fn trailing(text: &str, from: usize) -> (bool, Option<usize>) {
    let b = text.as_bytes();
    let line_end = |i: usize| {
        let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
        end - usize::from(text[..end].ends_with('\r'))
    };
    let (mut i, mut comma, mut commented) = (from, false, false);
    loop {
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        match (b.get(i), b.get(i + 1)) {
            (Some(b','), _) if !comma => {
                comma = true;
                i += 1;
            }
            (Some(b'/'), Some(b'/')) => {
                commented = true;
                i = line_end(i);
            }
            (Some(b'/'), Some(b'*')) => match crate::load::block_comment_end(b, i) {
                Some(end) => {
                    commented = true;
                    i = end;
                }
                None => break,
            },
            _ => break,
        }
    }
    let end = line_end(i);
    let alone = text[i..end].trim().is_empty();
    (comma, (commented && alone).then_some(end))
}

/// The aliases `after` adds to each actor and group of `before`, after those it has, as (its
/// path in the file, how many it had, the added); `None` when `after` changes anything else
/// of them, where the text is no guide.
fn additions<'a>(
    before: &CaseFile,
    after: &'a CaseFile,
) -> Option<Vec<(String, usize, &'a [String])>> {
    fn lists(f: &CaseFile) -> Vec<&[String]> {
        (f.actors.iter().map(|a| a.aliases.as_slice()))
            .chain(f.groups.iter().map(|g| g.aliases.as_slice()))
            .collect()
    }
    let (was, is) = (lists(before), lists(after));
    if was.len() != is.len() || before.actors.len() != after.actors.len() {
        return None;
    }
    let mut out = Vec::new();
    for (k, (w, n)) in was.iter().zip(&is).enumerate() {
        if n.len() < w.len() || n[..w.len()] != w[..] {
            return None;
        }
        if n.len() > w.len() {
            let path = if k < before.actors.len() {
                crate::locate::index("actors", k)
            } else {
                crate::locate::index("groups", k - before.actors.len())
            };
            out.push((path, w.len(), &n[w.len()..]));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table refused for a row it cannot read says where the row stands, line and column,
    /// as a case's diagnostics do.
    #[test]
    fn a_table_refused_names_the_line_and_column() {
        let err = |text: &str| {
            let d = parse_table(text, "t.json").unwrap_err();
            let Location::Span(at) = &d.at else {
                panic!("not located: {d:?}")
            };
            let (line, column) = crate::diagnostic::line_and_column(text, at.start);
            format!("{}:{line}:{column}: {}", d.code.as_str(), d.message)
        };
        assert_eq!(
            err("[\n  {\"Threat actor name\": \"A\"},\n  {\"Other names\": \"x\"}\n]"),
            "E012:3:3: row 2 has no \"Threat actor name\" (a name as text)"
        );
        assert_eq!(
            err("{\"values\": [\n {\"value\": \"Ä\", \"meta\": {\"synonyms\": \"B\"}}]}"),
            "E013:2:38: the synonyms of cluster 0 (`Ä`) are not a list of names"
        );
        assert_eq!(
            err("\n\n  {\"values\": [{\"meta\": {}}]}"),
            "E012:3:15: cluster 1 has no \"value\" (a name as text)"
        );
        assert_eq!(
            err("  {\"MuddyWater\": [\"SeedWorm\"]}"),
            "E013:1:3: not an alias table"
        );
        // A syntax error at the character it stopped on (the second string, a comma missing).
        assert_eq!(
            err("[\n {\"Threat actor name\": \"Y\" \"Other names\": \"c\"}]"),
            "E010:2:28: not JSON: expected `,` or `}`"
        );
    }

    fn case() -> CaseFile {
        crate::load::parse(
            r#"Case(title: "t",
                actors: [Actor(id: "mois", name: "MOIS", kind: Agency)],
                groups: [Group(id: "muddywater", name: "MuddyWater"), Group(id: "oilrig", name: "OilRig")])"#,
            crate::format::Syntax::Ron,
        )
        .unwrap()
    }

    #[test]
    fn rows_add_names_and_conflicts_are_reported() {
        let ms = AliasTable {
            name: "ms".into(),
            rows: vec![
                vec![
                    "Mango Sandstorm".into(),
                    "MERCURY".into(),
                    "SeedWorm".into(),
                    "MuddyWater".into(),
                ],
                vec!["Hazel Sandstorm".into(), "OilRig".into(), "Shared".into()],
            ],
        };
        let misp = AliasTable {
            name: "misp".into(),
            rows: vec![
                vec!["MuddyWater".into(), "Seedworm".into(), "Shared".into()],
                vec!["OilRig".into(), "MuddyWater".into()],
            ],
        };
        let mut f = case();
        let m = merge(&mut f, &[ms, misp]);
        let mw = f.groups.iter().find(|g| g.id == "muddywater").unwrap();
        assert!(mw.aliases.contains(&"Mango Sandstorm".to_string()));
        assert!(mw.aliases.contains(&"MERCURY".to_string()));
        assert_eq!(
            mw.aliases
                .iter()
                .filter(|a| a.eq_ignore_ascii_case("seedworm"))
                .count(),
            1
        );
        assert!(!mw.aliases.contains(&"Shared".to_string()));
        assert_eq!(m.conflicts.len(), 2, "{:?}", m.conflicts);
        assert!(
            m.conflicts
                .iter()
                .any(|c| c.contains("`Shared` is given to"))
        );
        assert!(
            m.conflicts
                .iter()
                .any(|c| c.contains("which the case keeps apart"))
        );
    }

    /// A row naming two actors the case keeps apart is not merged, and its names the case
    /// does not hold are said to be left out with it, for the analyst to place by hand.
    #[test]
    fn a_row_not_merged_names_what_it_leaves_out() {
        let misp = AliasTable {
            name: "misp".into(),
            rows: vec![vec![
                "OilRig".into(),
                "APT34".into(),
                "MuddyWater".into(),
                "Helix Kitten".into(),
            ]],
        };
        let mut f = case();
        let m = merge(&mut f, &[misp]);
        assert!(m.added.is_empty(), "{:?}", m.added);
        assert_eq!(m.conflicts.len(), 1, "{:?}", m.conflicts);
        assert!(
            m.conflicts[0].ends_with(
                "not merged; its other names (`APT34`, `Helix Kitten`) are left out with it: \
                 add by hand those that belong to one of them"
            ),
            "{}",
            m.conflicts[0]
        );
    }

    /// A name with an invisible character would make a case its check refuses (E013): it is
    /// left out and said, the row's other names added.
    #[test]
    fn names_with_invisible_characters_are_left_out() {
        let table = AliasTable {
            name: "t".into(),
            rows: vec![vec![
                "MuddyWater".into(),
                "Fancy\u{1b}[31m".into(),
                "\u{202e}evil".into(),
                "Seedworm".into(),
            ]],
        };
        let mut f = case();
        let m = merge(&mut f, &[table]);
        let mw = f.groups.iter().find(|g| g.id == "muddywater").unwrap();
        assert_eq!(mw.aliases, ["Seedworm"]);
        assert_eq!(m.dropped.len(), 2, "{:?}", m.dropped);
        assert!(
            m.dropped[0].contains("invisible character ␛"),
            "{:?}",
            m.dropped
        );
        assert!(crate::validate::validate(f).case.is_some());
    }

    /// A key given twice in a row is refused, with where it is, not read as the last one.
    #[test]
    fn a_key_given_twice_refuses_the_table() {
        let text = "[{\"Threat actor name\": \"A\",\n \"Threat actor name\": \"B\"}]";
        let err = parse_table(text, "t.json").unwrap_err();
        assert!(
            err.message.contains("`Threat actor name` is given twice"),
            "{err:?}"
        );
        let Location::Span(at) = err.at else {
            panic!("not located: {err:?}")
        };
        assert_eq!(crate::diagnostic::line_and_column(text, at.start).0, 2);
    }

    /// MISP's synonyms are a list; anything else is refused, not read as none.
    #[test]
    fn synonyms_that_are_not_a_list_are_refused() {
        let text = r#"{"values": [{"value": "COPPER HERON", "meta": {"synonyms": "Heron"}}]}"#;
        let err = parse_table(text, "g.json").unwrap_err();
        assert!(
            err.message
                .contains("the synonyms of cluster 0 (`COPPER HERON`)"),
            "{err:?}"
        );
        let ok = r#"{"values": [{"value": "A", "meta": {"synonyms": ["B"]}}, {"value": "C"}]}"#;
        assert_eq!(
            parse_table(ok, "g.json").unwrap().rows,
            [vec!["A", "B"], vec!["C"]]
        );
    }
}
