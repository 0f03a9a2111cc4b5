//! The CSV format of import and export (RFC 4180, UTF-8, optional BOM):
//! header `occurred_on,kind,amount,category,description[,external_id]`.

use super::inputs::{Draft, Errors, NewTransaction, RawAmount};
use crate::domain::Transaction;
use kernel::{ApiError, FieldError};

/// The columns, in order; the last is optional on import and always written on export.
pub const COLUMNS: [&str; 6] = [
    "occurred_on",
    "kind",
    "amount",
    "category",
    "description",
    "external_id",
];
/// Most data rows an import takes.
pub const MAX_ROWS: usize = 10_000;
/// Largest import body, in bytes.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// The media type of both directions.
pub const CONTENT_TYPE: &str = "text/csv";

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A data row, parsed, with the line it starts on (the header is line 1).
#[derive(Clone, Debug)]
pub(crate) struct CsvRow {
    pub line: u64,
    pub draft: Draft,
}

fn line_field(line: u64) -> String {
    format!("line {line}")
}

/// Parses a whole file: every bad row is reported (422), nothing is partial.
pub(crate) fn parse(body: &[u8]) -> Result<Vec<CsvRow>, ApiError> {
    if body.len() > MAX_BYTES {
        return Err(ApiError::PayloadTooLarge(format!(
            "An import takes at most {MAX_BYTES} bytes."
        )));
    }
    let body = body.strip_prefix(BOM).unwrap_or(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body);
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(ApiError::field("line 1", format!("unreadable header: {e}")));
        }
        None => {
            return Err(ApiError::field(
                "line 1",
                format!(
                    "the file is empty; expected the header {}",
                    COLUMNS.join(",")
                ),
            ));
        }
    };
    let names: Vec<String> = header
        .iter()
        .map(|f| String::from_utf8_lossy(f).trim().to_ascii_lowercase())
        .collect();
    let with_external_id = if names == COLUMNS[..5] {
        false
    } else if names == COLUMNS {
        true
    } else {
        return Err(ApiError::field(
            "line 1",
            format!(
                "the header must be {} (external_id optional)",
                COLUMNS.join(",")
            ),
        ));
    };
    let width = if with_external_id { 6 } else { 5 };
    // The csv crate's own line counter is off by one after CRLF terminators:
    // lines are counted here from byte offsets instead.
    let newlines: Vec<usize> = body
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .map(|(i, _)| i)
        .collect();
    let line_at = |pos: Option<&csv::Position>| -> u64 {
        let mut at = pos.map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        while body.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            at += 1;
        }
        newlines.partition_point(|&n| n < at) as u64 + 1
    };
    let mut rows = Vec::new();
    let mut problems: Vec<FieldError> = Vec::new();
    let mut count = 0usize;
    for record in records {
        count += 1;
        if count > MAX_ROWS {
            return Err(ApiError::PayloadTooLarge(format!(
                "An import takes at most {MAX_ROWS} rows; split the file."
            )));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = line_at(e.position());
                problems.push(FieldError::new(
                    line_field(line),
                    format!("unreadable: {e}"),
                ));
                continue;
            }
        };
        let line = line_at(record.position());
        if record.len() != width {
            problems.push(FieldError::new(
                line_field(line),
                format!("has {} fields; expected {width}", record.len()),
            ));
            continue;
        }
        let mut fields = Vec::with_capacity(width);
        let mut utf8 = true;
        for (i, raw) in record.iter().enumerate() {
            match std::str::from_utf8(raw) {
                Ok(s) => fields.push(s),
                Err(_) => {
                    problems.push(FieldError::new(
                        line_field(line),
                        format!("{}: is not valid UTF-8", COLUMNS[i]),
                    ));
                    utf8 = false;
                    break;
                }
            }
        }
        if !utf8 {
            continue;
        }
        let optional = |s: &str| (!s.trim().is_empty()).then(|| s.to_owned());
        let input = NewTransaction {
            occurred_on: Some(fields[0].trim().to_owned()),
            kind: Some(fields[1].trim().to_owned()),
            amount: Some(RawAmount::Text(fields[2].trim().to_owned())),
            category: optional(fields[3]),
            description: optional(fields[4]),
            external_id: fields.get(5).and_then(|s| optional(s)),
        };
        match Draft::parse(&input) {
            Ok(draft) => rows.push(CsvRow { line, draft }),
            Err(ApiError::Validation(errors)) => {
                problems.extend(errors.into_iter().map(|e| {
                    FieldError::new(line_field(line), format!("{}: {}", e.field, e.message))
                }));
            }
            Err(other) => return Err(other),
        }
    }
    let mut seen = std::collections::HashMap::new();
    let mut errors = Errors(problems);
    for row in &rows {
        if let Some(id) = &row.draft.external_id
            && let Some(first) = seen.insert(id.as_str().to_owned(), row.line)
        {
            errors.push(
                &line_field(row.line),
                format!("external_id: repeats line {first}"),
            );
            seen.insert(id.as_str().to_owned(), first);
        }
    }
    errors.0.sort_by_key(|e| {
        e.field
            .strip_prefix("line ")
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    });
    errors.finish()?;
    Ok(rows)
}

/// The header line of an export.
pub fn header() -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(ApiError::internal)?;
    w.into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

/// Transactions as CSV lines (no header), in the import's format.
pub fn rows(transactions: &[Transaction]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::with_capacity(transactions.len() * 64));
    for t in transactions {
        w.write_record([
            t.occurred_on.to_string().as_str(),
            t.kind.as_str(),
            t.amount.to_string().as_str(),
            t.category.as_ref().map_or("", |c| c.name.as_str()),
            t.description.as_ref().map_or("", |d| d.as_str()),
            t.external_id.as_ref().map_or("", |x| x.as_str()),
        ])
        .map_err(ApiError::internal)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: ApiError) -> Vec<(String, String)> {
        match err {
            ApiError::Validation(errors) => {
                errors.into_iter().map(|e| (e.field, e.message)).collect()
            }
            other => panic!("not a validation error: {other}"),
        }
    }

    #[test]
    fn a_good_file_parses_with_line_numbers() {
        let body = "\u{feff}occurred_on,kind,amount,category,description,external_id\r\n\
                    2026-11-01,expense,12.50,Food,\"Lunch, with \"\"friends\"\"\",b-1\r\n\
                    2026-11-02,income,1000,,\"multi\nline\",\r\n\
                    2026-11-03,expense,3,Bills,,b-3\r\n";
        let rows = parse(body.as_bytes()).unwrap();
        assert_eq!(rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 5]);
        assert_eq!(
            rows[0].draft.description.as_ref().unwrap().as_str(),
            "Lunch, with \"friends\""
        );
        assert!(rows[1].draft.category.is_none() && rows[1].draft.external_id.is_none());
        assert_eq!(rows[2].draft.amount.to_string(), "3.00");
    }

    #[test]
    fn every_bad_row_is_reported() {
        let body = "occurred_on,kind,amount,category,description\n\
                    2026-13-01,expense,1,,\n\
                    2026-11-01,spend,1.001,,\n\
                    2026-11-01,expense,5,,\n\
                    2026-11-01,expense\n";
        let errors = fields(parse(body.as_bytes()).unwrap_err());
        assert_eq!(
            errors,
            vec![
                (
                    "line 2".into(),
                    "occurred_on: must be a date written YYYY-MM-DD".into()
                ),
                ("line 3".into(), "kind: must be income or expense".into()),
                (
                    "line 3".into(),
                    "amount: must have at most 2 decimals".into()
                ),
                ("line 5".into(), "has 2 fields; expected 5".into()),
            ]
        );
    }

    #[test]
    fn headers_and_duplicates_are_checked() {
        assert_eq!(fields(parse(b"").unwrap_err())[0].0, "line 1");
        assert_eq!(
            fields(parse(b"date,kind,amount\n").unwrap_err())[0].0,
            "line 1"
        );
        let body = "occurred_on,kind,amount,category,description,external_id\n\
                    2026-11-01,expense,1,,,x\n2026-11-01,expense,1,,,x\n";
        assert_eq!(
            fields(parse(body.as_bytes()).unwrap_err()),
            vec![("line 3".into(), "external_id: repeats line 2".into())]
        );
        let mut bad =
            b"occurred_on,kind,amount,category,description\n2026-11-01,expense,1,".to_vec();
        bad.extend_from_slice(b"\xff\xfe,\n");
        assert_eq!(
            fields(parse(&bad).unwrap_err())[0].1,
            "category: is not valid UTF-8"
        );
    }

    #[test]
    fn row_and_size_limits_hold() {
        let mut body = String::from("occurred_on,kind,amount,category,description\n");
        for _ in 0..=MAX_ROWS {
            body.push_str("2026-11-01,expense,1,,\n");
        }
        assert_eq!(parse(body.as_bytes()).unwrap_err().status(), 413);
        assert_eq!(parse(&vec![b' '; MAX_BYTES + 1]).unwrap_err().status(), 413);
    }
}
