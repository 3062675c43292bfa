//! Readers for order exports: the UCI Online Retail columns, The Complete Journey's transactions, and a plain
//! `customer_id,product_id,at[,quantity,order_id,price]` file. The format is recognised from the header. Bad rows are
//! skipped and reported with their line numbers; reading fails only when a file is missing, lacks a needed column, or
//! has no readable row at all.

use crate::contract::time::Timestamp;
use std::path::Path;

/// One line of an order export, normalised.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Line number in the file (the header is line 1).
    pub line: u64,
    pub customer: String,
    pub product: String,
    pub title: Option<String>,
    /// Milliseconds since the epoch (UTC).
    pub at: i64,
    /// Always ≥ 0; a cancellation's quantity is the amount cancelled.
    pub quantity: f64,
    pub price: Option<f64>,
    pub order: Option<String>,
    /// A cancellation (Online Retail `C…` invoice or a negative quantity).
    pub cancel: bool,
}

/// A skipped row: its line number and why.
#[derive(Debug, Clone, PartialEq)]
pub struct BadRow {
    pub line: u64,
    pub why: String,
}

#[derive(Debug, Default)]
pub struct Orders {
    pub rows: Vec<Row>,
    pub bad: Vec<BadRow>,
}

impl Orders {
    /// "3 bad rows skipped (line 4: …; line 9: …)", or nothing when all rows were read.
    pub fn bad_summary(&self, name: &str) -> Option<String> {
        if self.bad.is_empty() {
            return None;
        }
        let shown: Vec<String> = self.bad.iter().take(5).map(|b| format!("line {}: {}", b.line, b.why)).collect();
        let more = if self.bad.len() > 5 { format!("; and {} more", self.bad.len() - 5) } else { String::new() };
        Some(format!("{name}: {} bad rows skipped ({}{more})", self.bad.len(), shown.join("; ")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    OnlineRetail,
    CompleteJourney,
    Plain,
}

/// Column positions of one format.
struct Columns {
    format: Format,
    customer: usize,
    product: usize,
    at: usize,
    quantity: Option<usize>,
    order: Option<usize>,
    price: Option<usize>,
    title: Option<usize>,
}

fn position(header: &csv::StringRecord, name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

fn columns(header: &csv::StringRecord, file: &str) -> Result<Columns, String> {
    let need = |name: &str, format: &str| {
        position(header, name).ok_or_else(|| format!("{file}: missing column '{name}' (read as {format})"))
    };
    if position(header, "StockCode").is_some() || position(header, "InvoiceNo").is_some() {
        let f = "Online Retail";
        return Ok(Columns {
            format: Format::OnlineRetail,
            customer: need("CustomerID", f)?,
            product: need("StockCode", f)?,
            at: need("InvoiceDate", f)?,
            quantity: Some(need("Quantity", f)?),
            order: Some(need("InvoiceNo", f)?),
            price: Some(need("UnitPrice", f)?),
            title: position(header, "Description"),
        });
    }
    if position(header, "household_id").is_some() {
        let f = "The Complete Journey";
        return Ok(Columns {
            format: Format::CompleteJourney,
            customer: need("household_id", f)?,
            product: need("product_id", f)?,
            at: need("transaction_timestamp", f)?,
            quantity: position(header, "quantity"),
            order: position(header, "basket_id"),
            price: position(header, "sales_value"),
            title: None,
        });
    }
    let f = "customer_id,product_id,at[,quantity,order_id,price]";
    Ok(Columns {
        format: Format::Plain,
        customer: need("customer_id", f)?,
        product: need("product_id", f)?,
        at: need("at", f)?,
        quantity: position(header, "quantity"),
        order: position(header, "order_id"),
        price: position(header, "price"),
        title: position(header, "title"),
    })
}

/// `13748.0` → `13748`: exports written through a float column carry a `.0`.
pub fn normalise_id(text: &str) -> String {
    let t = text.trim();
    match t.strip_suffix(".0") {
        Some(int) if !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()) => int.to_string(),
        _ => t.to_string(),
    }
}

/// A time as ISO-8601 (`2010-12-01 09:00:00`, `2024-05-01T10:00:00Z`) or milliseconds since the epoch.
pub fn parse_time(text: &str) -> Result<i64, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return t.parse::<i64>().map_err(|e| e.to_string());
    }
    Timestamp::parse_iso(t).map(Timestamp::millis)
}

fn number(text: &str, what: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("{what} '{}' is not a number", text.trim())),
    }
}

fn row(rec: &csv::StringRecord, c: &Columns, line: u64) -> Result<Row, String> {
    let field = |i: usize| rec.get(i).map_or("", str::trim);
    let customer = normalise_id(field(c.customer));
    if customer.is_empty() {
        return Err("no customer id".into());
    }
    let product = field(c.product).to_string();
    if product.is_empty() {
        return Err("no product id".into());
    }
    let at = parse_time(field(c.at))?;
    let quantity = match c.quantity.map(field) {
        Some(q) if !q.is_empty() => number(q, "quantity")?,
        _ => 1.0,
    };
    let price = match c.price.map(field) {
        Some(p) if !p.is_empty() => Some(number(p, "price")?),
        _ => None,
    };
    let order = c.order.map(field).filter(|o| !o.is_empty()).map(str::to_string);
    let title = c.title.map(field).filter(|t| !t.is_empty()).map(str::to_string);
    let cancel =
        quantity < 0.0 || (c.format == Format::OnlineRetail && order.as_deref().is_some_and(|o| o.starts_with('C')));
    if quantity == 0.0 {
        return Err("quantity is 0".into());
    }
    // Complete Journey's sales_value is the line total.
    let price = match (c.format, price) {
        (Format::CompleteJourney, Some(v)) => Some(v / quantity.abs()),
        (_, p) => p,
    };
    Ok(Row { line, customer, product, title, at, quantity: quantity.abs(), price, order, cancel })
}

/// Reads an order export from any reader (for tests); `file` names it in messages.
pub fn read_from<R: std::io::Read>(input: R, file: &str) -> Result<Orders, String> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header = rdr.headers().map_err(|e| format!("{file}: cannot read the header: {e}"))?.clone();
    let cols = columns(&header, file)?;
    let mut out = Orders::default();
    let mut rec = csv::StringRecord::new();
    let mut line = 1u64;
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                line = rec.position().map_or(line + 1, csv::Position::line);
                match row(&rec, &cols, line) {
                    Ok(r) => out.rows.push(r),
                    Err(why) => out.bad.push(BadRow { line, why }),
                }
            }
            Err(e) => {
                line = e.position().map_or(line + 1, csv::Position::line);
                out.bad.push(BadRow { line, why: e.to_string() });
            }
        }
    }
    if out.rows.is_empty() {
        let first = out.bad.first().map(|b| format!(" (line {}: {})", b.line, b.why)).unwrap_or_default();
        return Err(format!("{file}: no readable rows{first}"));
    }
    Ok(out)
}

pub fn read_orders(path: &Path) -> Result<Orders, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    read_from(std::io::BufReader::new(file), &path.display().to_string())
}

/// Requests (customer, when) and the rows skipped.
pub type Requests = (Vec<(String, i64)>, Vec<BadRow>);

/// `customer_id,at` — when each customer comes back.
pub fn read_requests(path: &Path) -> Result<Requests, String> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(std::io::BufReader::new(file));
    let header = rdr.headers().map_err(|e| format!("{name}: cannot read the header: {e}"))?.clone();
    let cust = position(&header, "customer_id").ok_or_else(|| format!("{name}: missing column 'customer_id'"))?;
    let at = position(&header, "at").ok_or_else(|| format!("{name}: missing column 'at'"))?;
    let mut out = Vec::new();
    let mut bad = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, csv::Position::line);
                let c = normalise_id(r.get(cust).unwrap_or(""));
                match (c.is_empty(), parse_time(r.get(at).unwrap_or(""))) {
                    (false, Ok(t)) => out.push((c, t)),
                    (true, _) => bad.push(BadRow { line, why: "no customer id".into() }),
                    (_, Err(why)) => bad.push(BadRow { line, why }),
                }
            }
            Err(e) => bad.push(BadRow { line: e.position().map_or(0, csv::Position::line), why: e.to_string() }),
        }
    }
    if out.is_empty() {
        return Err(format!("{name}: no readable rows"));
    }
    Ok((out, bad))
}

/// `customer_id,product_id` — the products each customer bought next.
pub fn read_targets(path: &Path) -> Result<Vec<(String, String)>, String> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(std::io::BufReader::new(file));
    let header = rdr.headers().map_err(|e| format!("{name}: cannot read the header: {e}"))?.clone();
    let cust = position(&header, "customer_id").ok_or_else(|| format!("{name}: missing column 'customer_id'"))?;
    let prod = position(&header, "product_id").ok_or_else(|| format!("{name}: missing column 'product_id'"))?;
    let mut out = Vec::new();
    for r in rdr.records().flatten() {
        let c = normalise_id(r.get(cust).unwrap_or(""));
        let p = r.get(prod).unwrap_or("").trim().to_string();
        if !c.is_empty() && !p.is_empty() {
            out.push((c, p));
        }
    }
    if out.is_empty() {
        return Err(format!("{name}: no readable rows"));
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn reads_online_retail_with_float_ids_cancellations_and_bad_rows() {
        let text = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n\
                    536371,22086,PAPER CHAIN KIT ,80,2010-12-01 09:00:00,2.55,13748.0,United Kingdom\n\
                    C536379,22086,PAPER CHAIN KIT ,-80,2010-12-01 09:41:00,2.55,13748.0,United Kingdom\n\
                    536380,POST,POSTAGE,1,2010-12-01 09:41:00,18,13748.0,United Kingdom\n\
                    536381,22087,X,two,2010-12-01 09:41:00,1,13748.0,United Kingdom\n\
                    536382,22088,X,1,yesterday,1,13748.0,United Kingdom\n\
                    536383,22089,X,1,2010-12-01 09:41:00,1,,United Kingdom\n";
        let o = read_from(text.as_bytes(), "t.csv").unwrap();
        assert_eq!(o.rows.len(), 3);
        assert_eq!(o.rows[0].customer, "13748");
        assert_eq!(o.rows[0].title.as_deref(), Some("PAPER CHAIN KIT"));
        assert!(o.rows[1].cancel && o.rows[1].quantity == 80.0);
        assert_eq!(o.rows[2].product, "POST", "non-products pass through to the engine's cleaning");
        let lines: Vec<u64> = o.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![5, 6, 7]);
        assert!(o.bad[0].why.contains("quantity"));
        assert!(o.bad_summary("t.csv").unwrap().contains("line 6"));
    }

    #[test]
    fn reads_plain_and_complete_journey_files() {
        let plain = "customer_id,product_id,at,quantity\nc1,p1,2024-05-01T10:00:00Z,2\nc1,p2,1714557600000,\n";
        let o = read_from(plain.as_bytes(), "p.csv").unwrap();
        assert_eq!(o.rows.len(), 2);
        assert_eq!(o.rows[1].at, 1_714_557_600_000);
        assert_eq!(o.rows[1].quantity, 1.0);
        let cj =
            "household_id,store_id,basket_id,product_id,quantity,sales_value,retail_disc,week,transaction_timestamp\n\
                  2261,309,3162,940996,2.0,3.86,0.43,5,2017-01-28 19:06:53\n";
        let o = read_from(cj.as_bytes(), "cj.csv").unwrap();
        assert_eq!(o.rows[0].order.as_deref(), Some("3162"));
        assert_eq!(o.rows[0].price, Some(1.93));
    }

    #[test]
    fn fails_clearly_without_columns_or_readable_rows() {
        let e = read_from("customer_id,at\nc1,2024-01-01\n".as_bytes(), "x.csv").unwrap_err();
        assert!(e.contains("missing column 'product_id'"), "{e}");
        let e = read_from("customer_id,product_id,at\nc1,p1,soon\n".as_bytes(), "x.csv").unwrap_err();
        assert!(e.contains("no readable rows") && e.contains("line 2"), "{e}");
        let e = read_orders(Path::new("does/not/exist.csv")).unwrap_err();
        assert!(e.contains("does/not/exist.csv"), "{e}");
    }
}
