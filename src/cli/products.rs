//! Product files for `recommend` and `evaluate --products`: a JSON array of `Product` objects exactly as `new Engine`
//! takes them, or The Complete Journey's `products.csv` (`product_id,manufacturer_id,department,brand,
//! product_category,product_type,package_size`). The format is recognised from the first character (`[`) or the
//! header. A shop without a product file still works: its catalog is derived from the orders (`shop::catalog`).
//!
//! What the Complete Journey columns become, and the shop-specific policy defaults its file brings (used only when the
//! retailer's policy does not set the knob itself):
//! - `category` = [department, `product_category`, `product_type`] (empty levels dropped); `brand` = the `brand` column
//!   (`National` or `Private`: the data names no brands); `title` = `product_type` and package size.
//! - Non-product lines, as the data's PROVENANCE says: fuel (`product_type` `GASOLINE-REG UNLEADED`) and department
//!   `COUPON`. They are left out of the catalog and added to the policy's `nonProductIds`, so the engine's cleaning,
//!   the baskets, the model and the metrics all ignore them.
//! - Sensitive categories ([`CJ_SENSITIVE`]) become the policy's `sensitiveCategories` mapping.
//! - Appliance and cookware categories are durables ([`CJ_DURABLE`]); nothing else gets a lifecycle (the engine learns
//!   repurchase intervals from the history).

use crate::contract::input::{Lifecycle, LifecycleKind, Product, SensitivityClass};
use crate::engine::policy::{Policy, PolicySpec, DEFAULT_NON_PRODUCT_IDS};
use crate::util::dict::Dict;
use std::path::Path;

/// Complete Journey category names (any level) and the sensitivity class this tool maps them to.
pub const CJ_SENSITIVE: [(&str, SensitivityClass); 22] = [
    ("DIAPERS & DISPOSABLES", SensitivityClass::PregnancyBaby),
    ("INFANT FORMULA", SensitivityClass::PregnancyBaby),
    ("BABY FOODS", SensitivityClass::PregnancyBaby),
    ("BABYFOOD", SensitivityClass::PregnancyBaby),
    ("BABY HBC", SensitivityClass::PregnancyBaby),
    ("INFANT CARE PRODUCTS", SensitivityClass::PregnancyBaby),
    ("FAMILY PLANNING", SensitivityClass::ReproductiveHealth),
    ("FEMININE HYGIENE", SensitivityClass::IntimateCare),
    ("ADULT INCONTINENCE", SensitivityClass::IntimateCare),
    ("LAXATIVES", SensitivityClass::Medical),
    ("SMOKING CESSATIONS", SensitivityClass::Medical),
    ("PHARMACY", SensitivityClass::Medical),
    ("DIETARY AID PRODUCTS", SensitivityClass::WeightLoss),
    ("CIGARETTES", SensitivityClass::Tobacco),
    ("CIGARS", SensitivityClass::Tobacco),
    ("TOBACCO OTHER", SensitivityClass::Tobacco),
    ("BEERS/ALES", SensitivityClass::Alcohol),
    ("DOMESTIC WINE", SensitivityClass::Alcohol),
    ("IMPORTED WINE", SensitivityClass::Alcohol),
    ("MISC WINE", SensitivityClass::Alcohol),
    ("LIQUOR", SensitivityClass::Alcohol),
    ("SPIRITS", SensitivityClass::Alcohol),
];

/// Complete Journey categories whose products are durables, with their lifetime in days.
pub const CJ_DURABLE: [(&str, f64); 3] = [
    ("PORTABLE ELECTRIC APPLIANCES", 5.0 * 365.0),
    ("PERSONAL CARE APPLIANCES", 4.0 * 365.0),
    ("COOKWARE & BAKEWARE", 5.0 * 365.0),
];

/// The Complete Journey's fuel product type and coupon department: not products.
pub const CJ_FUEL_TYPE: &str = "GASOLINE-REG UNLEADED";
pub const CJ_COUPON_DEPARTMENT: &str = "COUPON";

/// A product file, read: the products, and the policy defaults its format brings.
#[derive(Debug, Clone)]
pub struct ProductFile {
    pub products: Vec<Product>,
    /// Ids the file marks as non-products (left out of `products`).
    pub non_products: Vec<String>,
    /// Category → class, for the policy's `sensitiveCategories` when the policy does not set it.
    pub sensitive: Dict<SensitivityClass>,
    /// Rows skipped, with their line numbers (the header is line 1).
    pub bad: Vec<crate::cli::read::BadRow>,
}

impl Default for ProductFile {
    fn default() -> Self {
        ProductFile { products: Vec::new(), non_products: Vec::new(), sensitive: Dict::new(), bad: Vec::new() }
    }
}

impl ProductFile {
    /// The policy with this file's defaults where the retailer's policy is silent: its non-product ids added to
    /// `nonProductIds` (to the default list when the policy has none), its sensitive mapping as
    /// `sensitiveCategories` when the policy has none.
    pub fn policy(&self, spec: &PolicySpec) -> PolicySpec {
        if self.non_products.is_empty() && self.sensitive.is_empty() {
            return spec.clone();
        }
        let mut p = match spec {
            PolicySpec::Preset(preset) => Policy { preset: Some(*preset), ..Policy::default() },
            PolicySpec::Custom(p) => (**p).clone(),
        };
        if !self.non_products.is_empty() {
            let mut ids =
                p.non_product_ids.take().unwrap_or_else(|| DEFAULT_NON_PRODUCT_IDS.map(String::from).to_vec());
            ids.extend(self.non_products.iter().cloned());
            p.non_product_ids = Some(ids);
        }
        if p.sensitive_categories.is_none() && !self.sensitive.is_empty() {
            p.sensitive_categories = Some(self.sensitive.clone());
        }
        PolicySpec::Custom(Box::new(p))
    }
}

/// Reads a product file (JSON array of `Product`, or the Complete Journey's `products.csv`).
pub fn read_products(path: &Path) -> Result<ProductFile, String> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| format!("{name}: {e}"))?;
    products_from(&text, &name)
}

/// As [`read_products`], from text; `name` names the file in messages.
pub fn products_from(text: &str, name: &str) -> Result<ProductFile, String> {
    if text.trim_start().starts_with('[') {
        json(text, name)
    } else {
        complete_journey(text, name)
    }
}

fn json(text: &str, name: &str) -> Result<ProductFile, String> {
    // serde_json's syntax errors carry "at line L column C".
    let v = crate::read::value::Value::from_json(text).map_err(|e| format!("{name}: {}", e.message))?;
    let products: Vec<Product> =
        crate::read::value::read(&v, "products").map_err(|e| format!("{name}: {}: {}", e.path, e.message))?;
    if products.is_empty() {
        return Err(format!("{name}: no products"));
    }
    Ok(ProductFile { products, ..ProductFile::default() })
}

fn complete_journey(text: &str, name: &str) -> Result<ProductFile, String> {
    use crate::cli::read::BadRow;
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header = rdr.headers().map_err(|e| format!("{name}: cannot read the header: {e}"))?.clone();
    let col = |n: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(n));
    let need = |n: &str| {
        col(n).ok_or_else(|| {
            format!("{name}: missing column '{n}' (a product file is a JSON array of products or The Complete Journey's products.csv)")
        })
    };
    let (id, dept, cat, kind) =
        (need("product_id")?, need("department")?, need("product_category")?, need("product_type")?);
    let (brand, size) = (col("brand"), col("package_size"));
    let mut out = ProductFile::default();
    let mut seen: rustc_hash::FxHashSet<String> = rustc_hash::FxHashSet::default();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                out.bad.push(BadRow { line: e.position().map_or(0, csv::Position::line), why: e.to_string() });
                continue;
            }
        };
        let line = rec.position().map_or(0, csv::Position::line);
        let field = |i: usize| rec.get(i).map_or("", str::trim);
        let pid = field(id);
        if pid.is_empty() {
            out.bad.push(BadRow { line, why: "no product_id".into() });
            continue;
        }
        if !seen.insert(pid.to_string()) {
            out.bad.push(BadRow { line, why: format!("product_id {pid} again (the first row is kept)") });
            continue;
        }
        let (d, c, t) = (field(dept), field(cat), field(kind));
        if t.eq_ignore_ascii_case(CJ_FUEL_TYPE) || d.eq_ignore_ascii_case(CJ_COUPON_DEPARTMENT) {
            out.non_products.push(pid.to_string());
            continue;
        }
        let path: Vec<String> =
            [d, c, t].iter().filter(|s| !s.is_empty()).map(std::string::ToString::to_string).collect();
        let title = [t, size.map_or("", field)].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
        let lifecycle = CJ_DURABLE.iter().find(|(n, _)| *n == c).map(|&(_, days)| Lifecycle {
            kind: LifecycleKind::Durable,
            lifetime_days: Some(days),
            repurchase_days: None,
        });
        out.products.push(Product {
            id: pid.to_string(),
            title: Some(title).filter(|t| !t.is_empty()),
            category: Some(path).filter(|p| !p.is_empty()),
            brand: brand.map(field).filter(|b| !b.is_empty()).map(str::to_string),
            lifecycle,
            ..Product::default()
        });
    }
    if out.products.is_empty() {
        let first = out.bad.first().map(|b| format!(" (line {}: {})", b.line, b.why)).unwrap_or_default();
        return Err(format!("{name}: no readable products{first}"));
    }
    out.sensitive = CJ_SENSITIVE.iter().map(|(n, c)| (n.to_string(), *c)).collect();
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::engine::policy::Settings;

    const CJ: &str = "product_id,manufacturer_id,department,brand,product_category,product_type,package_size\n\
                      25671,2,GROCERY,National,FRZN ICE,ICE - CRUSHED/CUBED,22 LB\n\
                      26081,2,MISCELLANEOUS,National,,,\n\
                      ,3,GROCERY,Private,SOUP,SOUP,\n\
                      6534178,69,KIOSK-GAS,Private,COUPON/MISC ITEMS,GASOLINE-REG UNLEADED,\n\
                      9999,1,COUPON,National,,,\n\
                      1,2,DRUG GM,National,DIAPERS & DISPOSABLES,BABY DIAPERS,40 CT\n\
                      25671,2,GROCERY,National,FRZN ICE,ICE,\n\
                      2,2,DRUG GM,National,PERSONAL CARE APPLIANCES,HAIR DRYERS,\n";

    #[test]
    fn reads_complete_journey_products_with_paths_non_products_and_bad_rows() {
        let f = products_from(CJ, "products.csv").unwrap();
        let ids: Vec<&str> = f.products.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, vec!["25671", "26081", "1", "2"]);
        let ice = &f.products[0];
        assert_eq!(ice.category.as_deref().unwrap(), ["GROCERY", "FRZN ICE", "ICE - CRUSHED/CUBED"]);
        assert_eq!(ice.brand.as_deref(), Some("National"));
        assert_eq!(ice.title.as_deref(), Some("ICE - CRUSHED/CUBED 22 LB"));
        assert_eq!(f.products[1].category.as_deref().unwrap(), ["MISCELLANEOUS"], "empty levels dropped");
        assert_eq!(f.products[3].lifecycle.as_ref().map(|l| l.kind), Some(LifecycleKind::Durable));
        assert_eq!(f.non_products, vec!["6534178".to_string(), "9999".to_string()], "fuel and coupons");
        let lines: Vec<u64> = f.bad.iter().map(|b| b.line).collect();
        assert_eq!(lines, vec![4, 8], "no id on line 4, a repeated id on line 8");
        assert!(f.bad[1].why.contains("25671"));
    }

    #[test]
    fn a_product_files_defaults_fill_only_what_the_policy_leaves_open() {
        let f = products_from(CJ, "products.csv").unwrap();
        let s = Settings::resolve(&f.policy(&PolicySpec::default()), "policy").unwrap();
        assert!(s.is_non_product("6534178") && s.is_non_product("POST"), "added to the default list");
        assert_eq!(s.sensitive_categories.get("diapers & disposables"), Some(&SensitivityClass::PregnancyBaby));
        let own = Policy { sensitive_categories: Some(Dict::new()), ..Policy::default() };
        let s = Settings::resolve(&f.policy(&PolicySpec::Custom(Box::new(own))), "policy").unwrap();
        assert!(s.sensitive_categories.is_empty(), "the retailer's own mapping wins");
        assert!(s.is_non_product("9999"));
    }

    #[test]
    fn reads_a_json_array_of_products_as_the_engine_takes_them() {
        let text = r#"[{"id":"milk","title":"Milk","category":["Grocery","Dairy"],"brand":"Acme","price":1.1,
                        "lifecycle":{"kind":"consumable","repurchaseDays":7}},
                       {"id":"kit","category":["Health"],"sensitivity":"pregnancy_baby"}]"#;
        let f = products_from(text, "p.json").unwrap();
        assert_eq!(f.products.len(), 2);
        assert_eq!(f.products[0].lifecycle.as_ref().and_then(|l| l.repurchase_days), Some(7.0));
        assert_eq!(f.products[1].sensitivity, Some(SensitivityClass::PregnancyBaby));
        assert!(f.non_products.is_empty() && f.sensitive.is_empty(), "JSON brings no policy defaults");
    }

    #[test]
    fn errors_name_the_file_and_where() {
        let e = products_from("[{\"id\":\"a\"},\n{\"id\":\"b\",\n\"price\":}]", "p.json").unwrap_err();
        assert!(e.starts_with("p.json: ") && e.contains("line 3"), "{e}");
        let e = products_from(r#"[{"id":"a"},{"id":"b","prize":2}]"#, "p.json").unwrap_err();
        assert!(e.contains("products[1].prize") && e.contains("unknown field"), "{e}");
        let e = products_from("[]", "p.json").unwrap_err();
        assert!(e.contains("no products"), "{e}");
        let e = products_from("product_id,department\n1,GROCERY\n", "p.csv").unwrap_err();
        assert!(e.contains("missing column 'product_category'"), "{e}");
        let e = products_from("product_id,department,product_category,product_type\n,GROCERY,SOUP,SOUP\n", "p.csv")
            .unwrap_err();
        assert!(e.contains("no readable products") && e.contains("line 2"), "{e}");
        let e = read_products(Path::new("does/not/exist.json")).unwrap_err();
        assert!(e.contains("does/not/exist.json"), "{e}");
    }
}
